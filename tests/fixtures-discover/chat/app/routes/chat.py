from typing import TYPE_CHECKING

from app.config import Settings
from app.websocket import UnifiedWebSocketManager

if TYPE_CHECKING:
    from app.legacy.websocket import UnifiedWebSocketManager as LegacyManager


def handle(settings: Settings) -> None:
    UnifiedWebSocketManager()
