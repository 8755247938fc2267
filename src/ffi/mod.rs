//! The C boundary.
pub mod types;
