"""A file with a syntax error is left alone."""
from app.websocket_core import UnifiedWebSocketManager


def broken(:
    pass
