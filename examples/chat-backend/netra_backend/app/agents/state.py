"""Agent run state shared by the agents package."""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class UserExecutionContext:  # expect: duplicate-definition
    """Local copy from before services.user_execution_context existed; it has drifted."""

    user_id: str
    run_id: str
    agent_name: str = "data"
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class AgentResult:
    agent_name: str
    summary: str
    rows: list[dict[str, Any]] = field(default_factory=list)
