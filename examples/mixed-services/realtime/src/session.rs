//! The canonical session manager and its one factory.
pub use crate::ids::UserId;

pub struct SessionManager {
    user: u64,
}

impl SessionManager {
    pub fn for_user(user: &UserId) -> SessionManager {
        SessionManager { user: user.0 }
    }
}
