"""Per-request user context: the unit of user isolation."""

from dataclasses import dataclass
from typing import Any


@dataclass
class UserExecutionContext:
    user_id: str
    thread_id: str
    run_id: str
    agent_name: str = "supervisor"
    websocket_bridge: Any = None
    # Legacy: goes away once the executor emits through websocket_bridge (phase 2).
    websocket_manager: Any = None
