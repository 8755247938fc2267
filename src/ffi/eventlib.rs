//! lws-eventlib-exports.h and the descriptor half of lws-service.h: custom
//! event libraries (`info.event_lib_custom`), the per-thread storage they are
//! given, `wsi_from_fd`, and the service entry points a host loop uses
//! (`lws_service_fd` is in `service.rs`).

use std::cell::{Cell, OnceCell};
use std::ffi::{c_int, c_void};
use std::ptr;

use super::callout::CHost;
use super::guard;
use super::handle::{self, ContextHandle, WsiHandle};
use super::types::*;
use crate::core::poll::FdOwner;
use crate::core::Error;

/// The smallest per-thread storage handed out: lws returns a valid pointer
/// even when the event library asked for none.
const MIN_PT_STORAGE: usize = 16;

/// A context's custom event library, its per-thread storage, and the wsi of
/// the cancel pipe. Only the service thread touches it.
pub struct EventLib {
    ops: Cell<*const lws_event_loop_ops>,
    /// `evlib_size_pt` zeroed bytes (at least [`MIN_PT_STORAGE`]), from calloc.
    pt: Cell<*mut c_void>,
    pipe_wsi: OnceCell<Box<WsiHandle>>,
}

impl Default for EventLib {
    fn default() -> EventLib {
        EventLib {
            ops: Cell::new(ptr::null()),
            pt: Cell::new(ptr::null_mut()),
            pipe_wsi: OnceCell::new(),
        }
    }
}

impl Drop for EventLib {
    fn drop(&mut self) {
        if let Some(w) = self.pipe_wsi.get() {
            w.kill();
        }
        // SAFETY: NULL or the block from libc::calloc in `attach`, freed once.
        unsafe { libc::free(self.pt.replace(ptr::null_mut())) };
    }
}

impl EventLib {
    /// The custom event library's operations, if the context has one.
    pub fn ops(&self) -> Option<&lws_event_loop_ops> {
        // SAFETY: NULL or the `ops` of the application's event library
        // object, which must outlive the context (lws's contract).
        unsafe { self.ops.get().as_ref() }
    }

    /// The cancel pipe's wsi, made on first use.
    pub fn pipe_wsi(&self, ctx: &ContextHandle) -> &WsiHandle {
        self.pipe_wsi
            .get_or_init(|| Box::new(WsiHandle::descriptor(ctx, ptr::null(), "pipe")))
    }

    fn pt_storage(&self) -> *mut c_void {
        self.pt.get()
    }
}

/// Reads `info.event_lib_custom` and `info.foreign_loops` into a new context:
/// the per-thread storage is allocated, then the library's `init_context` and
/// `init_pt` run (lws does so before any vhost exists).
///
/// # Safety
/// `info` is the creation info of `cx`, following lws's contract.
pub unsafe fn attach(cx: &ContextHandle, info: &lws_context_creation_info) -> Result<(), Error> {
    let lib = info.event_lib_custom.cast::<lws_plugin_evlib_t>();
    // SAFETY: NULL or the application's event library object.
    let ops = unsafe { lib.as_ref() }.map_or(ptr::null(), |l| l.ops);
    // SAFETY: NULL or the library's operations, which outlive the context.
    let size = unsafe { ops.as_ref() }.map_or(0, |o| usize::from(o.evlib_size_pt));
    // SAFETY: plain allocation, freed in EventLib's Drop.
    let pt = unsafe { libc::calloc(1, size.max(MIN_PT_STORAGE)) };
    if pt.is_null() {
        return Err(Error::Refused("out of memory for the event library"));
    }
    cx.evlib.pt.set(pt);
    cx.evlib.ops.set(ops);
    let Some(ops) = cx.evlib.ops() else {
        return Ok(());
    };
    let foreign = if info.foreign_loops.is_null() {
        ptr::null_mut()
    } else {
        // SAFETY: a non-NULL foreign_loops has one entry per service thread.
        unsafe { *info.foreign_loops }
    };
    // SAFETY: the library's operations with this context, its info and loop.
    if unsafe { CHost { ctx: cx }.evlib_init(ops, info, foreign) } != 0 {
        return Err(Error::Config(
            "the custom event library failed to initialise".into(),
        ));
    }
    Ok(())
}

/// The custom event library hears the context go (its `destroy_pt`).
pub fn detach(cx: &ContextHandle) {
    if let Some(ops) = cx.evlib.ops() {
        CHost { ctx: cx }.evlib_destroy(ops);
    }
}

/// The storage of the event library for service thread `tsi` (only 0
/// exists): `evlib_size_pt` zeroed bytes; without a custom library a valid
/// pointer to an empty block, as lws.
///
/// # Safety
/// `cx` is a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_evlib_tsi_to_evlib_pt(
    cx: *mut lws_context,
    tsi: c_int,
) -> *mut c_void {
    guard("lws_evlib_tsi_to_evlib_pt", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(cx) }?;
        if tsi != 0 {
            return Err(Error::Refused("tsi does not exist (one service thread)"));
        }
        Ok(cx.evlib.pt_storage())
    })
}

/// As `lws_evlib_tsi_to_evlib_pt` for the wsi's service thread.
///
/// # Safety
/// `wsi` is a live wsi.
#[no_mangle]
pub unsafe extern "C" fn lws_evlib_wsi_to_evlib_pt(wsi: *mut lws) -> *mut c_void {
    guard("lws_evlib_wsi_to_evlib_pt", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        let w = unsafe { handle::wsi(wsi) }?;
        Ok(w.context().evlib.pt_storage())
    })
}

/// The wsi of a descriptor of the library (a connection, a listener, the
/// cancel pipe), NULL for any other.
///
/// # Safety
/// `context` is a live context.
#[no_mangle]
pub unsafe extern "C" fn wsi_from_fd(context: *const lws_context, fd: c_int) -> *mut lws {
    guard("wsi_from_fd", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(context) }?;
        Ok(descriptor_wsi(cx, fd).map_or(ptr::null_mut(), WsiHandle::as_c))
    })
}

/// The wsi standing for `fd`, if the library owns it.
pub fn descriptor_wsi(cx: &ContextHandle, fd: c_int) -> Option<&WsiHandle> {
    match cx.runtime.with_core(|c| c.fd_owner(fd)).ok()?? {
        FdOwner::Conn(id) => cx.existing_wsi(id).or_else(|| {
            let (vh, protocol, role) = cx
                .runtime
                .with_core(|c| c.conn(id).map(|k| (k.vhost(), k.protocol(), k.role())))
                .ok()??;
            let vh = cx.vhost_handle(vh).map_or(ptr::null(), |v| v as *const _);
            cx.wsi_for(id, vh, protocol, role)
        }),
        FdOwner::Listener(vh) => Some(&cx.vhost_handle(vh)?.listen_wsi),
        FdOwner::CancelPipe => Some(cx.evlib.pipe_wsi(cx)),
    }
}

/// The host forgets the cancel pipe (DEL_POLL_FD, the event library's
/// `wsi_logical_close`); `lws_cancel_service` still wakes our own loop, which
/// keeps the pipe until the context is freed. Only the pipe's wsi is taken.
///
/// # Safety
/// `wsi` is a live wsi.
#[no_mangle]
pub unsafe extern "C" fn lws_destroy_event_pipe(wsi: *mut lws) {
    guard("lws_destroy_event_pipe", (), || {
        // SAFETY: checked handle conversion.
        let w = unsafe { handle::wsi(wsi) }?;
        let cx = w.context();
        let is_pipe = cx.evlib.pipe_wsi.get().is_some_and(|p| ptr::eq(&**p, w));
        if !is_pipe {
            return Err(Error::Refused("not the cancel pipe's wsi"));
        }
        cx.runtime
            .with_core_pumped(&CHost { ctx: cx }, |c| c.retire_cancel_pipe())?;
        Ok(())
    })
}

/// One service pass of the platform loop (what `lws_service_tsi` runs).
///
/// # Safety
/// As `lws_service_tsi`.
#[no_mangle]
pub unsafe extern "C" fn _lws_plat_service_tsi(
    context: *mut lws_context,
    timeout_ms: c_int,
    tsi: c_int,
) -> c_int {
    guard("_lws_plat_service_tsi", -1, || {
        // SAFETY: forwarded contract.
        Ok(unsafe { super::service::lws_service_tsi(context, timeout_ms, tsi) })
    })
}

/// Services what is pending without waiting (input buffered where a poll
/// cannot see it, due timers): a pass that does not block. 0, or -1 once
/// the context is being destroyed.
///
/// # Safety
/// `context` is a live context.
#[no_mangle]
pub unsafe extern "C" fn _lws_plat_service_forced_tsi(
    context: *mut lws_context,
    tsi: c_int,
) -> c_int {
    guard("_lws_plat_service_forced_tsi", -1, || {
        // SAFETY: forwarded contract.
        Ok(unsafe { super::service::lws_service_tsi(context, -1, tsi) })
    })
}

/// Delivers the input held for connections whose rx flow control has been
/// lifted. `pt` has no public constructor in lws: this library takes the
/// context pointer in its place (COMPAT).
///
/// # Safety
/// `pt` is a live context pointer.
#[no_mangle]
pub unsafe extern "C" fn lws_service_do_ripe_rxflow(pt: *mut lws_context_per_thread) {
    guard("lws_service_do_ripe_rxflow", (), || {
        // SAFETY: checked handle conversion (a pointer that is not one of our
        // contexts is refused by its magic word).
        let cx = unsafe { handle::context(pt.cast::<lws_context>()) }?;
        cx.runtime
            .with_core_pumped(&CHost { ctx: cx }, |c| c.queue_ripe_rxflow())?;
        Ok(())
    })
}

/// Wakes the service thread of the wsi's context (`lws_cancel_service`).
///
/// # Safety
/// `wsi` is a live wsi.
#[no_mangle]
pub unsafe extern "C" fn lws_cancel_service_pt(wsi: *mut lws) {
    guard("lws_cancel_service_pt", (), || {
        // SAFETY: checked handle conversion.
        let w = unsafe { handle::wsi(wsi) }?;
        w.context().runtime.shared().cancel_service();
        Ok(())
    })
}
