"""Suppressed findings are left alone."""
from app.websocket_core import UnifiedWebSocketManager  # ssot: ignore
from app.websocket_core import UserExecutionContext  # ssot: ignore[non-canonical-import]
from app.websocket_core import (
    UnifiedWebSocketManager as M,  # ssot: ignore[non-canonical-import]
    UserExecutionContext as C,
)
from app.websocket_core.websocket_manager import UnifiedWebSocketManager as Old  # ssot: ignore[compat-import]
from app.websocket_core.websocket_manager_factory import UnifiedWebSocketManager as F  # ssot: ignore[deprecated-module]
