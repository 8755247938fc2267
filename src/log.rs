//! Logging.
#![forbid(unsafe_code)]
