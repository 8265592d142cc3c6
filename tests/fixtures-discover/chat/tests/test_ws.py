# test code: must not count
from app.legacy.websocket import UnifiedWebSocketManager
from app.websocket import UnifiedWebSocketManager as Canonical


class FakeWebSocketManager:
    pass


def format_event(event):
    return "fake"


def create_websocket_manager():
    return FakeWebSocketManager()
