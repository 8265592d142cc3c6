# compat: the package re-exports the canonical manager
from .unified_manager import UnifiedWebSocketManager
