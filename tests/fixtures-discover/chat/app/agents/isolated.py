from app.websocket import UnifiedWebSocketManager

if UnifiedWebSocketManager is not None:
    class IsolatedWebSocketManager:
        pass


def format_event(event):
    return str(event)
