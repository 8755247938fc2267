//! The safe core.
#![forbid(unsafe_code)]
