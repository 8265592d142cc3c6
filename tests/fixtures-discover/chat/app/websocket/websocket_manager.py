# compat: the old module name, kept while callers migrate
from app.websocket.unified_manager import UnifiedWebSocketManager

__all__ = ["UnifiedWebSocketManager"]
