//! The Rust side of the same decisions.
use crate::ids::UserId;
use crate::legacy::create_session_manager; // expect: deprecated-module
use crate::session::{SessionManager, UserId as SessionUserId}; // expect: non-canonical-import

pub struct LegacyConnectionPool; // expect: duplicate-class

pub fn handle(emitter: &Emitter, hub: &Hub, user: UserId, other: SessionUserId) {
    emitter.emit_event("message_sent", &user);
    emitter.emit_event("message_snt", &user); // expect: unknown-event
    hub.broadcast_to_all("hello"); // the pattern is Python-only: not a finding here
    hub.send_blocking(&other); // expect: banned-pattern
    let legacy = create_session_manager(); // expect: deprecated-factory-call
    let canonical = SessionManager::for_user(&user);
    drop((legacy, canonical));
}
