//! lws-service.h: the service loop and its cross-thread wake-up (B1.4, B1.6).

use std::ffi::c_int;

use super::callout::CHost;
use super::guard;
use super::handle;
use super::types::{lws, lws_context, lws_pollfd};
use crate::core::runtime::FdServiced;

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
        if let Some(bytes) = cx.runtime.take_give_back() {
            super::alloc::give_back(bytes);
        }
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

/// Services one descriptor a host event loop found ready (external poll):
/// `pollfd->revents` as its poll reported them. Returns 0 with `revents`
/// zeroed when it was ours and handled; 1 when its connection closed while
/// being serviced (`revents` untouched: the host's table may have changed
/// under it, retry that slot); 0 with `revents` untouched for a descriptor
/// that is not ours (logged); -1 when refused (being destroyed, inside a
/// callback, another thread). A NULL `pollfd` runs a pass that does not wait
/// (due timers, buffered input), as `lws_service(context, -1)` (COMPAT: lws
/// 4.3.3 refuses NULL).
///
/// # Safety
/// `context` is a live context; `pollfd` NULL or a valid `struct pollfd`.
#[no_mangle]
pub unsafe extern "C" fn lws_service_fd(
    context: *mut lws_context,
    pollfd: *mut lws_pollfd,
) -> c_int {
    guard("lws_service_fd", -1, || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(context) }?;
        // SAFETY: NULL or the caller's pollfd, valid for the call.
        let Some(pfd) = (unsafe { pollfd.as_mut() }) else {
            // SAFETY: forwarded contract.
            return Ok(unsafe { lws_service(context, -1) });
        };
        let sys = super::system::of(cx);
        super::system::after_service(cx, &sys);
        let done = cx
            .runtime
            .service_fd(&CHost { ctx: cx }, pfd.fd, c_int::from(pfd.revents));
        super::system::after_service(cx, &sys);
        Ok(match done {
            FdServiced::Handled => {
                pfd.revents = 0;
                0
            }
            FdServiced::Closed => 1,
            FdServiced::NotOurs => 0,
            FdServiced::Refused => -1,
        })
    })
}

/// As `lws_service_fd`; there is one service thread, so `tsi` must be 0.
///
/// # Safety
/// As `lws_service_fd`.
#[no_mangle]
pub unsafe extern "C" fn lws_service_fd_tsi(
    context: *mut lws_context,
    pollfd: *mut lws_pollfd,
    tsi: c_int,
) -> c_int {
    guard("lws_service_fd_tsi", -1, || {
        if tsi != 0 {
            return Err(crate::core::Error::Refused(
                "tsi does not exist (one service thread)",
            ));
        }
        // SAFETY: forwarded contract.
        Ok(unsafe { lws_service_fd(context, pollfd) })
    })
}

/// How long a host event loop may sleep, at most `timeout_ms`: runs what is
/// due first (timers, protocol init, queued system messages), then 0 while
/// input is buffered where the host's poll cannot see it (read but not yet
/// delivered, TLS records already decrypted, messages pending), else
/// `timeout_ms` cut to the next timer. 1 for a NULL context (as lws).
///
/// # Safety
/// `context` is NULL or a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_service_adjust_timeout(
    context: *mut lws_context,
    timeout_ms: c_int,
    tsi: c_int,
) -> c_int {
    guard("lws_service_adjust_timeout", 1, || {
        if context.is_null() {
            return Ok(1);
        }
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(context) }?;
        if tsi != 0 {
            return Err(crate::core::Error::Refused(
                "tsi does not exist (one service thread)",
            ));
        }
        let sys = super::system::of(cx);
        super::system::after_service(cx, &sys);
        let n = cx.runtime.adjust_timeout(&CHost { ctx: cx }, timeout_ms);
        super::system::after_service(cx, &sys);
        Ok(n)
    })
}

/// The wsi's socket is writable (as a POLLOUT from the host's poll): queued
/// output is sent, and a WRITEABLE owed is delivered. 0, or -1 when the
/// connection closed (the caller closes it in lws; here it is already gone).
///
/// # Safety
/// `wsi` is a live wsi; `pollfd` is unused (may be NULL).
#[no_mangle]
pub unsafe extern "C" fn lws_handle_POLLOUT_event(wsi: *mut lws, pollfd: *mut lws_pollfd) -> c_int {
    guard("lws_handle_POLLOUT_event", -1, || {
        let _ = pollfd;
        // SAFETY: checked handle conversion.
        let w = unsafe { handle::wsi(wsi) }?;
        let id = w.conn_id()?;
        let cx = w.context();
        let open = cx.runtime.with_core_pumped(&CHost { ctx: cx }, |c| {
            c.conn_revents(id, crate::core::poll::POLLOUT);
            c.conn(id).is_some()
        })?;
        let open = open
            && cx
                .runtime
                .with_core(|c| {
                    c.conn(id)
                        .is_some_and(|k| k.phase() != crate::core::conn::PhaseKind::Finished)
                })
                .unwrap_or(false);
        Ok(if open { 0 } else { -1 })
    })
}

/// The service thread index of the wsi: always 0 (one service thread).
///
/// # Safety
/// `wsi` is a live wsi.
#[no_mangle]
pub unsafe extern "C" fn lws_get_tsi(wsi: *mut lws) -> c_int {
    guard("lws_get_tsi", -1, || {
        // SAFETY: checked handle conversion.
        unsafe { handle::wsi(wsi) }?;
        Ok(0)
    })
}

/// As `lws_get_tsi`.
///
/// # Safety
/// `wsi` is a live wsi.
#[no_mangle]
pub unsafe extern "C" fn lws_wsi_tsi(wsi: *mut lws) -> c_int {
    guard("lws_wsi_tsi", -1, || {
        // SAFETY: checked handle conversion.
        unsafe { handle::wsi(wsi) }?;
        Ok(0)
    })
}
