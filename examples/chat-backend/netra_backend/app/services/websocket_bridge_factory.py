"""Per-user bridges between agents and their user's WebSocket manager.

WebSocketBridgeFactory.create_bridge is the one factory; the adapter factories below are the
competing ones that Step 4.2 of issue #1098 consolidates.
"""

from __future__ import annotations

from typing import Any

from netra_backend.app.services.user_execution_context import UserExecutionContext
from netra_backend.app.websocket_core.unified_manager import UnifiedWebSocketManager


class AgentWebSocketBridge:
    """What agents emit through: context.websocket_bridge.emit_agent_event(...)."""

    def __init__(self, user_context: UserExecutionContext, manager: UnifiedWebSocketManager):
        self._user_context = user_context
        self._manager = manager

    async def emit_agent_event(self, event_type: str, data: dict[str, Any]) -> None:
        payload = {"run_id": self._user_context.run_id, "agent_name": self._user_context.agent_name, **data}
        await self._manager.send_event(event_type, payload)


class WebSocketBridgeFactory:
    @staticmethod
    def create_bridge(user_context: UserExecutionContext, manager: UnifiedWebSocketManager) -> AgentWebSocketBridge:
        return AgentWebSocketBridge(user_context, manager)


# Competing adapter factories left over from earlier refactors.
class StandardWebSocketAdapterFactory:  # expect: competing-factory
    def create_websocket_adapter(self, user_context, manager) -> AgentWebSocketBridge:  # expect: competing-factory
        return AgentWebSocketBridge(user_context, manager)


class IsolatedWebSocketAdapterFactory(StandardWebSocketAdapterFactory):  # expect: competing-factory
    """Same as the standard one; the isolation now lives in UserExecutionContext."""


_adapter_factory = None


def get_websocket_bridge_factory() -> StandardWebSocketAdapterFactory:  # expect: competing-factory
    global _adapter_factory
    if _adapter_factory is None:
        _adapter_factory = IsolatedWebSocketAdapterFactory()  # expect: deprecated-factory-call
    return _adapter_factory


def create_agent_websocket_bridge(user_context, manager) -> AgentWebSocketBridge:  # expect: competing-factory
    adapter_factory = get_websocket_bridge_factory()  # expect: deprecated-factory-call
    return adapter_factory.create_websocket_adapter(user_context, manager)  # expect: deprecated-factory-call
