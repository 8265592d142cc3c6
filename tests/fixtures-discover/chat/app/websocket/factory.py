from .unified_manager import UnifiedWebSocketManager


def get_websocket_manager_factory():
    return UnifiedWebSocketManager.create_for_user
