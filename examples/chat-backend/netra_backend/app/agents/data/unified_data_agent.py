"""Data analysis agent.

Step 2.2 of issue #1098 replaces its private _emit_websocket_event with the bridge. One event
name below is misspelled ("agent_finished"): the frontend never sees the run finish.
"""

from __future__ import annotations

from typing import Any

from netra_backend.app.websocket_core.unified_manager import UnifiedWebSocketManager

from ..state import AgentResult, UserExecutionContext  # expect: non-canonical-import


class UnifiedDataAgent:
    name = "data"

    def __init__(self, manager: UnifiedWebSocketManager):
        self.websocket_manager = manager

    async def execute(self, context: UserExecutionContext, question: str) -> AgentResult:
        await self._emit_websocket_event("agent_started", {"question": question})  # expect: banned-pattern
        await self._emit_websocket_event("agent_thinking", {"step": "choosing tables"})  # expect: banned-pattern
        rows = await self._run_query(context, f"-- {question}\nSELECT day, total FROM usage")
        await self._emit_websocket_event("agent_thinking", {"step": "summarising"})  # expect: banned-pattern
        summary = f"{len(rows)} rows for {context.user_id}"
        await self._emit_websocket_event("agent_finished", {"summary": summary})  # expect: banned-pattern, unknown-event
        return AgentResult(agent_name=self.name, summary=summary, rows=rows)

    async def _run_query(self, context: UserExecutionContext, sql: str) -> list[dict[str, Any]]:
        await self._emit_websocket_event("tool_executing", {"tool_name": "sql", "args": {"sql": sql}})  # expect: banned-pattern
        rows = [{"day": "2025-09-15", "total": 42}]
        await self._emit_websocket_event("tool_completed", {"tool_name": "sql", "rows": len(rows)})  # expect: banned-pattern
        return rows

    async def _emit_websocket_event(self, event_type: str, data: dict[str, Any]) -> None:
        """The private side channel the plan removes (its lines 943-967)."""
        await self.websocket_manager.send_event(event_type, {"agent_name": self.name, **data})
