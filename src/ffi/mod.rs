//! The C boundary: the only module with `unsafe`, `extern "C"` and raw pointers.
//!
//! Every exported function has the same shape (guide §3.4): a literal
//! `#[no_mangle] pub unsafe extern "C" fn` whose body is [`guard`]. The closure
//! validates the C arguments (NULL, liveness, thread), makes one call into the
//! core, and converts the result. A refusal logs one error line naming the API
//! and returns the lws error value for that function; a panic is caught, logged
//! and turned into the same value, so no panic ever crosses into C.
//!
//! Handle pointers become references only after their magic-word check
//! (`handle.rs`, `ring.rs`); C function pointers are invoked only in
//! `callout.rs`, the gate to user code. `tests/architecture.rs` enforces both
//! the shape of the exports and the gate.

pub mod adopt;
pub mod alloc;
pub mod buflist;
pub mod cache;
pub mod callout;
pub mod client;
pub mod conmon;
pub mod context;
pub mod creation_info;
pub mod dir;
pub mod dll2;
pub mod eventlib;
pub mod extensions;
pub mod extras;
pub mod fops;
pub mod h2;
pub mod handle;
pub mod html;
pub mod http;
pub mod http_response;
pub mod http_stream;
pub mod json;
pub mod lejp;
pub mod logcx;
pub mod logs;
pub mod lwsac;
pub mod lwsws;
pub mod map;
pub mod misc;
pub mod netaddr;
pub mod platfile;
pub mod protocol_calls;
pub mod reasons;
pub mod ring;
pub mod service;
pub mod smd;
pub mod spa;
pub mod state;
pub mod system;
pub mod text;
pub mod timeout;
pub mod tls;
pub mod tls_identity;
pub mod tls_sessions;
pub mod tokenize;
pub mod types;
pub mod variadic;
pub mod vhost;
pub mod write;
pub mod wsi_info;
pub mod x509;

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::core::Error;
use crate::log::level;
use crate::lwsl;

/// Runs an entry point's body: refusals and panics become `fallback` plus one
/// error log line naming `api`.
/// A caught panic poisons the contexts of the calling thread (issue 10 defect
/// 8; [`handle::poison_this_threads_contexts`]): their state may be
/// half-changed, so every later call on them is refused except
/// `lws_context_destroy`, which frees them without callbacks.
pub fn guard<T>(api: &'static str, fallback: T, body: impl FnOnce() -> Result<T, Error>) -> T {
    let result = catch_unwind(AssertUnwindSafe(body));
    if result.is_err() {
        handle::poison_this_threads_contexts();
    }
    match result {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            lwsl!(level::ERR, "{api}: {e}");
            fallback
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            lwsl!(
                level::ERR,
                "{api}: internal error (panic: {what}); call refused"
            );
            fallback
        }
    }
}

/// The error for a NULL argument that lws does not allow.
pub fn null(what: &'static str) -> Error {
    Error::Refused(what)
}

#[cfg(feature = "test-hooks")]
/// Test hook: panics inside the guard, to prove a panic never reaches C.
/// # Safety
/// Always safe to call; exists only in builds with the `test-hooks` feature.
#[no_mangle]
pub unsafe extern "C" fn lws_rs_test_panic(n: std::ffi::c_int) -> std::ffi::c_int {
    guard("lws_rs_test_panic", -1, || {
        if n >= 0 {
            panic!("test hook asked to panic");
        }
        Ok(n)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_the_fallback_value() {
        let r: i32 = guard("test_api", -7, || panic!("boom"));
        assert_eq!(r, -7);
    }

    #[test]
    fn a_refusal_becomes_the_fallback_value() {
        let r: i32 = guard("test_api", -1, || Err(Error::Refused("no")));
        assert_eq!(r, -1);
        assert_eq!(guard("test_api", -1, || Ok(5)), 5);
    }
}
