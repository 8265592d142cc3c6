"""Parenthesised imports keep their layout: names move with their lines and comments."""
from app.websocket_core import (
    # the manager
    UnifiedWebSocketManager,  # moves
    helpers,
    UserExecutionContext as Ctx  # moves, had no comma
)
from app.websocket_core import (UnifiedWebSocketManager as M,
                                helpers as h)
from app.agents import (  # all three move
    AgentRegistry,
    WebSocketBridge,

    UserExecutionContext,
    # trailing note stays with the first statement
)

print(UnifiedWebSocketManager, helpers, Ctx, M, h, AgentRegistry, WebSocketBridge, UserExecutionContext)
