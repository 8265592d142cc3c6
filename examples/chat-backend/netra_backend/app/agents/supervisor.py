"""Supervisor agent: answers one chat message, delegating data questions.

Mostly on the SSOT path already (canonical imports, the bridge factory, emit_agent_event);
the user_emitter notifications are what Step 4.1 of issue #1098 removes.
"""

from __future__ import annotations

from netra_backend.app.agents.data.unified_data_agent import UnifiedDataAgent
from netra_backend.app.services.user_execution_context import UserExecutionContext
from netra_backend.app.services.websocket_bridge_factory import WebSocketBridgeFactory
from netra_backend.app.websocket_core.unified_manager import UnifiedWebSocketManager


class SupervisorAgent:
    def __init__(self, manager: UnifiedWebSocketManager, user_emitter=None):
        self.manager = manager
        self.user_emitter = user_emitter

    async def run(self, context: UserExecutionContext, message: str) -> str:
        context.websocket_bridge = WebSocketBridgeFactory.create_bridge(context, self.manager)
        await context.websocket_bridge.emit_agent_event("agent_started", {"message": message})
        if self.user_emitter is not None:
            await self.user_emitter.notify_agent_started(context.run_id, context.agent_name)  # expect: banned-pattern

        await context.websocket_bridge.emit_agent_event("agent_thinking", {"thought": "delegating to the data agent"})
        result = await UnifiedDataAgent(self.manager).execute(context, message)

        await context.websocket_bridge.emit_agent_event("agent_completed", {"summary": result.summary})
        if self.user_emitter is not None:
            await self.user_emitter.notify_agent_completed(context.run_id, result.summary)  # expect: banned-pattern
        return result.summary
