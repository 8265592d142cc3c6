class UnifiedWebSocketManager:
    """The one WebSocket manager."""
