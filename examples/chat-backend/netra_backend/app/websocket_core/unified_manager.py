"""The one WebSocket manager: the SSOT target of issue #1098.

``UnifiedWebSocketManager.create_for_user`` is not written yet (the plan adds it in phase 1),
so ssot-lint reports the websocket-manager concept of the rule pack as stale-registry.
"""

from __future__ import annotations

import asyncio
import enum
from typing import Any

from netra_backend.app.services.user_execution_context import UserExecutionContext


class WebSocketManagerMode(enum.Enum):  # expect: duplicate-class
    UNIFIED = "unified"
    ISOLATED = "isolated"


class _UnifiedWebSocketManagerImplementation:  # expect: duplicate-class
    """Connection bookkeeping, split out in an earlier refactor."""

    def __init__(self) -> None:
        self.connections: dict[str, Any] = {}


class UnifiedWebSocketManager:
    """Delivers events to the WebSocket connections of exactly one user."""

    def __init__(self, user_context: UserExecutionContext, mode=WebSocketManagerMode.UNIFIED):
        self.user_context = user_context
        self.mode = mode
        self._impl = _UnifiedWebSocketManagerImplementation()
        self.outbox: asyncio.Queue = asyncio.Queue()

    async def send_event(self, event_type: str, data: dict[str, Any]) -> None:
        await self.outbox.put({"type": event_type, "user_id": self.user_context.user_id, "data": data})

    async def send_tool_executing(self, run_id, agent_name, tool_name, args) -> None:
        data = {"run_id": run_id, "agent_name": agent_name, "tool_name": tool_name, "args": args}
        await self.send_event("tool_executing", data)

    async def send_tool_completed(self, run_id, agent_name, tool_name, result) -> None:
        data = {"run_id": run_id, "agent_name": agent_name, "tool_name": tool_name, "result": result}
        await self.send_event("tool_completed", data)

    async def send_agent_thinking(self, run_id, agent_name, thought) -> None:
        data = {"run_id": run_id, "agent_name": agent_name, "thought": thought}
        await self.send_event("agent_thinking", data)

    async def broadcast_to_all(self, data: dict[str, Any]) -> None:
        """Legacy admin helper: writes to every connection, whoever it belongs to."""
        for connection in self._impl.connections.values():
            await connection.send_json(data)
