"""Execution strategies for agent phases.

Step 2.1 of issue #1098 moves these from context.websocket_manager to context.websocket_bridge;
MigratedSequentialStrategy at the bottom shows the target.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Awaitable, Callable

if TYPE_CHECKING:
    from netra_backend.app.services.user_execution_context import UserExecutionContext
    from netra_backend.app.websocket_core.websocket_manager import UnifiedWebSocketManager  # expect: compat-import


class ExecutionPhase:
    def __init__(self, name: str, handler: Callable[[UserExecutionContext], Awaitable[Any]]):
        self.name = name
        self.handler = handler


class SequentialStrategy:
    async def run(self, context: UserExecutionContext, phases: list[ExecutionPhase]) -> list[Any]:
        results = []
        for phase in phases:
            if hasattr(context, "websocket_manager") and context.websocket_manager:  # expect: banned-pattern
                await context.websocket_manager.send_tool_executing(  # expect: banned-pattern
                    context.run_id, context.agent_name, phase.name, {"phase": phase.name}
                )
            results.append(await phase.handler(context))
        return results


class PipelineStrategy:
    async def run(self, context: UserExecutionContext, phases: list[ExecutionPhase]) -> Any:
        value = None
        for phase in phases:
            value = await phase.handler(context)
            if hasattr(context, "websocket_manager") and context.websocket_manager:  # expect: banned-pattern
                await context.websocket_manager.send_tool_completed(  # expect: banned-pattern
                    context.run_id, context.agent_name, phase.name, {"result": value}
                )
        return value


class ParallelStrategy:
    def __init__(self, manager: UnifiedWebSocketManager | None = None):
        self.manager = manager

    async def run(self, context: UserExecutionContext, phases: list[ExecutionPhase]) -> list[Any]:
        if context.websocket_manager:  # expect: banned-pattern
            await context.websocket_manager.send_agent_thinking(  # expect: banned-pattern
                context.run_id, context.agent_name, f"running {len(phases)} phases in parallel"
            )
        return list(await asyncio.gather(*(phase.handler(context) for phase in phases)))


class MigratedSequentialStrategy:
    """SequentialStrategy after Step 2.1: the SSOT event path."""

    async def run(self, context: UserExecutionContext, phases: list[ExecutionPhase]) -> list[Any]:
        results = []
        for phase in phases:
            if hasattr(context, "websocket_bridge") and context.websocket_bridge:
                await context.websocket_bridge.emit_agent_event(
                    "tool_executing",
                    {"run_id": context.run_id, "agent_name": context.agent_name, "tool_name": phase.name, "args": {"phase": phase.name}},
                )
            results.append(await phase.handler(context))
        return results
