"""Imports inside `if TYPE_CHECKING:`, `try`, functions and methods keep their indentation."""
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.websocket_core import UnifiedWebSocketManager, helpers

try:
    from app.agents import AgentRegistry
except ImportError:
    AgentRegistry = None


def handler():
    from app.websocket_core.websocket_manager import UnifiedWebSocketManager, UserExecutionContext
    return UnifiedWebSocketManager, UserExecutionContext


class Service:
    def run(self):
        if self: from app.agents import AgentRegistry, WebSocketBridge
        return AgentRegistry, WebSocketBridge


def tabbed():
	from app.websocket_core import (
	    helpers,
	    WebSocketBridge,
	)
	return helpers, WebSocketBridge
