"""Windows line endings stay Windows line endings."""
from app.websocket_core import (
    UnifiedWebSocketManager,  # moves
    helpers,
)
from app.agents import AgentRegistry, WebSocketBridge


def f():
    from app.websocket_core import helpers, UserExecutionContext
    return helpers, UserExecutionContext
