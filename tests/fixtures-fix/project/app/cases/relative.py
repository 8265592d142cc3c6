"""Relative imports are resolved; moved names get the absolute canonical module."""
from ..websocket_core import UnifiedWebSocketManager, helpers
from ..agents import AgentRegistry
from ..websocket_core.unified_manager import UnifiedWebSocketManager as AtHome
from . import split
from .. import websocket_core
from ..websocket_core.websocket_manager import (
    UserExecutionContext,
    UnifiedWebSocketManager as Compat,
)
