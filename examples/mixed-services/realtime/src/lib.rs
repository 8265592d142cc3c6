//! The realtime gateway: crate `realtime_gateway`.
pub mod handlers;
pub mod ids;
pub mod legacy;
pub mod pool;
pub mod session;
