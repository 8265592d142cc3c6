from app.config import Settings
from app.websocket.unified_manager import UnifiedWebSocketManager


def run(settings: Settings) -> UnifiedWebSocketManager:
    return UnifiedWebSocketManager()
