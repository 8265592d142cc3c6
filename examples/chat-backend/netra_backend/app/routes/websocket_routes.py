"""WebSocket endpoints: one connection per user session."""

from __future__ import annotations

import uuid

from netra_backend.app.agents.supervisor import SupervisorAgent
from netra_backend.app.services.user_execution_context import UserExecutionContext
from netra_backend.app.websocket_core import UnifiedWebSocketManager  # expect: non-canonical-import
from netra_backend.app.websocket_core.websocket_manager_factory import get_websocket_manager_factory  # expect: deprecated-module


async def websocket_endpoint(websocket, user_id: str, thread_id: str) -> None:
    context = UserExecutionContext(user_id=user_id, thread_id=thread_id, run_id=str(uuid.uuid4()))
    factory = get_websocket_manager_factory()  # expect: deprecated-factory-call
    manager: UnifiedWebSocketManager = factory.create_manager(context)
    supervisor = SupervisorAgent(manager)
    async for message in websocket.iter_text():
        reply = await supervisor.run(context, message)
        await websocket.send_json({"type": "reply", "text": reply})


async def legacy_v1_endpoint(websocket, user_id: str) -> None:
    """/ws/v1, frozen for old mobile clients; deleted together with the shim in phase 3."""
    from netra_backend.app.websocket_core.websocket_manager import UnifiedWebSocketManager as V1Manager  # ssot: ignore[compat-import]

    context = UserExecutionContext(user_id=user_id, thread_id="v1", run_id=str(uuid.uuid4()))
    manager = V1Manager(context)
    await websocket.send_json({"type": "hello", "mode": manager.mode.value})


async def maintenance_notice(manager: UnifiedWebSocketManager, text: str) -> None:
    from netra_backend.app.websocket_core import websocket_manager_factory  # expect: deprecated-module

    await manager.broadcast_to_all({"type": "maintenance", "text": text})  # expect: banned-pattern
    websocket_manager_factory.get_websocket_manager_factory()._managers.clear()  # expect: deprecated-factory-call
