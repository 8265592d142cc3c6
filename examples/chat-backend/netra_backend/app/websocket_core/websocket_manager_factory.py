"""Legacy per-user manager factory (1,001 lines in the real code base).

Deprecated by issue #1098: callers move to UnifiedWebSocketManager.create_for_user() and this
module is deleted in phase 3.
"""

from netra_backend.app.services.user_execution_context import UserExecutionContext
from netra_backend.app.websocket_core.unified_manager import UnifiedWebSocketManager


class WebSocketManagerFactory:  # expect: competing-factory
    """Caches one manager per user id."""

    def __init__(self) -> None:
        self._managers: dict[str, UnifiedWebSocketManager] = {}

    def create_manager(self, user_context: UserExecutionContext) -> UnifiedWebSocketManager:
        manager = self._managers.get(user_context.user_id)
        if manager is None:
            manager = UnifiedWebSocketManager(user_context)
            self._managers[user_context.user_id] = manager
        return manager


_factory = None


def get_websocket_manager_factory() -> WebSocketManagerFactory:  # expect: competing-factory
    global _factory
    if _factory is None:
        _factory = WebSocketManagerFactory()  # expect: deprecated-factory-call
    return _factory


def create_websocket_manager(user_context: UserExecutionContext) -> UnifiedWebSocketManager:  # expect: competing-factory
    factory = get_websocket_manager_factory()  # expect: deprecated-factory-call
    return factory.create_manager(user_context)
