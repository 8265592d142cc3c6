"""A chat handler with one violation of each kind the config governs."""
from chat_api.ids import UserId
from chat_api.handlers.models import UserId as ModelUserId  # expect: non-canonical-import
from chat_api import legacy_events  # expect: deprecated-module


class LegacyConnectionPool:  # expect: duplicate-class
    pass


class LegacySessionManager:  # the session-manager concept is Rust-only: not a finding here
    pass


def handle(emitter, hub, user: UserId, other: ModelUserId):
    emitter.emit_event("message_sent", user)
    emitter.emit_event("message_sant", user)  # expect: unknown-event
    hub.broadcast_to_all("hello")  # expect: banned-pattern
    hub.send_blocking(user)  # expect: banned-pattern
    legacy_events.emit("message_sent", other)
