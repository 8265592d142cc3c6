from app.websocket.websocket_manager import UnifiedWebSocketManager


class MockWebSocketManager(UnifiedWebSocketManager):
    pass
