class WebSocketBridge:
    """Emits agent events."""
