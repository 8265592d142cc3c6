# test code (*_test.py): must not count
from app.legacy.websocket import UnifiedWebSocketManager


class ProbeWebSocketManager(UnifiedWebSocketManager):
    pass
