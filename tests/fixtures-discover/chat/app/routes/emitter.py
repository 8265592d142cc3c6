from app.websocket.websocket_manager import UnifiedWebSocketManager

try:
    import orjson as json
except ImportError:
    import json

    class EmitterWebSocketManager:
        pass


def format_event(event):
    return json.dumps(event)


def emit(event):
    from app.websocket.unified_manager import UnifiedWebSocketManager as Manager

    Manager().send(format_event(event))
