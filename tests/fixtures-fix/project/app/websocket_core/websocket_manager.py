"""Compatibility module: re-exports the unified manager."""
from app.websocket_core.unified_manager import UnifiedWebSocketManager

UserExecutionContext = None
