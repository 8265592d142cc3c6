"""The statement's trailing comment stays with the names that stay."""
from app.websocket_core import UnifiedWebSocketManager, helpers  # noqa: F401
from app.websocket_core import helpers as h2, UnifiedWebSocketManager as M  # keep me
from app.agents import AgentRegistry  # type: ignore[attr-defined]
from app.websocket_core import (
    helpers as h3,
    UnifiedWebSocketManager as M2,
)  # closing comment
