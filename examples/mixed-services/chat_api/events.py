"""The event emitter."""


class EventEmitter:
    def emit_event(self, name, payload):
        return (name, payload)
