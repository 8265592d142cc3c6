"""Compatibility shim: the old import path of the WebSocket manager.

Re-exporting ``UnifiedWebSocketManager`` is tolerated until phase 3 (compat-import warnings);
the three classes below are the copies that Step 3.2 of issue #1098 consolidates.
"""

from typing import Protocol

from netra_backend.app.websocket_core.unified_manager import UnifiedWebSocketManager

# Old name kept for callers that still say WebSocketManager (count-aliases is off in the pack).
WebSocketManager = UnifiedWebSocketManager


class WebSocketManagerMode:  # expect: duplicate-class
    """Copy of unified_manager.WebSocketManagerMode from before it became an Enum."""

    UNIFIED = "unified"
    ISOLATED = "isolated"


class WebSocketManagerProtocol(Protocol):  # expect: duplicate-class
    async def send_event(self, event_type: str, data: dict) -> None: ...


class _UnifiedWebSocketManagerImplementation:  # expect: duplicate-class
    """Second copy of the connection bookkeeping; drifted from unified_manager's."""

    def __init__(self) -> None:
        self.connections = {}
        self.closed = set()


__all__ = ["UnifiedWebSocketManager", "WebSocketManager", "WebSocketManagerMode", "WebSocketManagerProtocol"]
