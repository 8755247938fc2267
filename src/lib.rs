//! lws-rs: the libwebsockets 4.3 C API, implemented in Rust.
//!
//! Layout (see docs/ARCHITECTURE.md):
//! - [`core`]: the safe engine (context, vhosts, connections, timers, system state,
//!   connect queue). It knows nothing of C and never calls user code directly: it
//!   queues callouts that a driver delivers with no lock held.
//! - [`log`]: the process-wide log level mask and emitter, shared by C and Rust.
//! - `ffi`: the only module with `unsafe`, `extern "C"` and raw pointers. It converts
//!   C arguments, calls the core once, and converts the result back.
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

pub mod buflist;
pub mod cache;
pub mod core;
pub mod dir;
pub mod http;
pub mod json;
pub mod log;
pub mod lwsac;
pub mod map;
pub mod prng;
pub mod ring;
pub mod smd;
pub mod strexp;
pub mod sysblob;
pub mod text;
pub mod tls;
pub mod tokenize;
pub mod ws;

mod ffi;
