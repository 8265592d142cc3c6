//! Deprecated: sessions moved to `crate::session`.
pub struct LegacySessionManager; // expect: duplicate-class

pub fn create_session_manager() -> LegacySessionManager { // expect: competing-factory
    LegacySessionManager
}
