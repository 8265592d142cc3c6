"""Unused suppressions go, or only their unused ids; everything else stays byte for byte."""
from app.services.websocket_bridge import WebSocketBridge  # ssot: ignore
from app.services.websocket_bridge import WebSocketBridge as B  # ssot: ignore[non-canonical-import] -- moved long ago
from app.websocket_core import UserExecutionContext as U  # ssot: ignore[non-canonical-import, compat-import]
from app.websocket_core import UnifiedWebSocketManager as M  # ssot: ignore[deprecated-module,non-canonical-import]
from app.websocket_core import UnifiedWebSocketManager as N  # ssot: ignore[compat-import,  non-canonical-import ,banned-pattern]
# ssot: ignore
    # ssot: ignore[compat-import] -- an indented comment line goes whole
x = 1  # noqa: E501  # ssot: ignore[banned-pattern]
y = 2  # ssot: ignore[deprecated-module]  # keep this note
z = 3  # ssot:ignore[no-such-rule]
w = 4  # ssot: ignore[unused-suppression]
