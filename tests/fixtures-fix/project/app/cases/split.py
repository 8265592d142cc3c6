"""Names with different homes: one statement per home, in the order the names appear."""
from app.websocket_core import UnifiedWebSocketManager, UserExecutionContext as Ctx, helpers
from app.agents import AgentRegistry, WebSocketBridge
from app.websocket_core.websocket_manager import UnifiedWebSocketManager as Compat
from app.websocket_core.unified_manager import UnifiedWebSocketManager as AlreadyHome
import os, sys; from app.websocket_core import helpers as h, UserExecutionContext

print(UnifiedWebSocketManager, Ctx, helpers, AgentRegistry, WebSocketBridge, Compat, AlreadyHome, os, sys, h)
print(UserExecutionContext)
