"""Names the fix cannot place stay where they are (and `fix` says why)."""
from app.websocket_core import (UnifiedWebSocketManager,  # a comment between the names
                                helpers)
from app.websocket_core import helpers as h, UserExecutionContext
