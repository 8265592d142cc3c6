"""WebSocket core package: re-exports kept for old callers."""
from app.websocket_core.unified_manager import UnifiedWebSocketManager

helpers = object()
