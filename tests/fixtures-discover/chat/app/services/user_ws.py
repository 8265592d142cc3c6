from app.websocket.unified_manager import UnifiedWebSocketManager

try:
    from app.legacy.websocket import UnifiedWebSocketManager as Legacy
except ImportError:
    Legacy = None


class UserWebSocketManager(UnifiedWebSocketManager):
    pass


def create_websocket_manager(user_id):
    return UserWebSocketManager()
