class UnifiedWebSocketManager:
    """The one WebSocket manager."""

    @classmethod
    def create_for_user(cls, user_id):
        return cls()
