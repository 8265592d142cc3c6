//! The one home of user identifiers in the Rust service.
pub struct UserId(pub u64);
