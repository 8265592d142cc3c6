"""Supervisor tests. FakeWebSocketManager is a test double: allow-classes lets it be."""

import asyncio

from netra_backend.app.agents.supervisor import SupervisorAgent
from netra_backend.app.services.user_execution_context import UserExecutionContext


class FakeWebSocketManager:
    def __init__(self) -> None:
        self.events: list[tuple[str, dict]] = []

    async def send_event(self, event_type: str, data: dict) -> None:
        self.events.append((event_type, data))


def test_supervisor_emits_the_critical_events() -> None:
    manager = FakeWebSocketManager()
    context = UserExecutionContext(user_id="u1", thread_id="t1", run_id="r1")
    asyncio.run(SupervisorAgent(manager).run(context, "usage last week?"))
    sent = [event_type for event_type, _ in manager.events]
    assert sent[0] == "agent_started"
    assert sent[-1] == "agent_completed"
