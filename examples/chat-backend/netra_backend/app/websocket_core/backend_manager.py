"""The older manager that predates unified_manager ("backend_manager vs unified_manager").

Forked when the v1 socket protocol was frozen; same name, different behaviour.
"""


class UnifiedWebSocketManager:  # expect: duplicate-definition, duplicate-class
    """Pre-SSOT fork: one shared connection table for all users."""

    connections: dict = {}

    async def send_event(self, event_type: str, data: dict) -> None:
        for connection in self.connections.values():
            await connection.send_json({"type": event_type, "data": data})
