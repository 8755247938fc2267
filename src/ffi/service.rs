//! lws-service.h: the service loop and its cross-thread wake-up (B1.4, B1.6).

use std::ffi::c_int;

use super::callout::CHost;
use super::guard;
use super::handle;
use super::types::lws_context;

/// Runs one service pass: due timers, protocol init if not yet done, one wait
/// for network activity / the next timer / `lws_cancel_service` (a negative
/// `timeout_ms` means "do not wait"), then the work that woke it. Returns 0, -1
/// once the context is being destroyed (leave the loop and destroy again), or 1
/// for a NULL context.
///
/// # Safety
/// `context` is NULL or a live context; call from one thread only.
#[no_mangle]
pub unsafe extern "C" fn lws_service(context: *mut lws_context, timeout_ms: c_int) -> c_int {
    guard("lws_service", -1, || {
        if context.is_null() {
            return Ok(1);
        }

        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(context) }?;
        // Messages queued before the loop started go out first; those queued
        // during the pass (or from other threads, which wake it) right after it.
        let sys = super::system::of(cx);
        super::system::after_service(cx, &sys);
        let n = cx.runtime.service(&CHost { ctx: cx }, timeout_ms);
        super::system::after_service(cx, &sys);
        Ok(n)
    })
}

/// As `lws_service`; there is one service thread, so `tsi` must be 0.
///
/// # Safety
/// As `lws_service`.
#[no_mangle]
pub unsafe extern "C" fn lws_service_tsi(
    context: *mut lws_context,
    timeout_ms: c_int,
    tsi: c_int,
) -> c_int {
    guard("lws_service_tsi", -1, || {
        if tsi != 0 {
            return Err(crate::core::Error::Refused(
                "tsi does not exist (one service thread)",
            ));
        }
        // SAFETY: forwarded contract.
        Ok(unsafe { lws_service(context, timeout_ms) })
    })
}

/// Wakes the service thread, which then broadcasts one EVENT_WAIT_CANCELLED to
/// every protocol of every vhost. Safe from any thread (not a signal handler).
///
/// # Safety
/// `context` is NULL or a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_cancel_service(context: *mut lws_context) {
    guard("lws_cancel_service", (), || {
        if context.is_null() {
            return Ok(());
        }
        // SAFETY: checked handle conversion (no thread check: this is the one
        // cross-thread entry point).
        let cx = unsafe { handle::context_any_thread(context) }?;
        cx.runtime.shared().cancel_service();
        Ok(())
    })
}

/// How many service threads the context has: always 1 (B0.T2).
///
/// # Safety
/// `context` is NULL or a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_get_count_threads(context: *mut lws_context) -> c_int {
    guard("lws_get_count_threads", 1, || {
        let _ = context;
        Ok(1)
    })
}
