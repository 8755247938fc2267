//! lws-writeable.h / lws-protocols-plugins.h: calling a protocol's callback
//! for every connection bound to it (`lws_callback_all_protocol*`), every
//! protocol of a vhost for one wsi (`lws_callback_vhost_protocols`), the
//! protocol and per-session storage of a wsi, the protocol-init walk, and the
//! pvo lookups of plugins.
//!
//! The walks first take the list of connections from the core, then call
//! user code with no lock held; a connection closed by an earlier callback of
//! the walk is skipped (its handle is gone).

use std::ffi::{c_char, c_int, c_void, CStr};
use std::ptr;

use super::callout::{self, CHost};
use super::guard;
use super::handle::{self, ContextHandle, VhostHandle};
use super::types::*;
use crate::core::{Error, VhostId};

/// Calls `protocol`'s callback with `reason`, the connection's per-session
/// data and (`argp`, `len`) for every connection of `vh` bound to it (every
/// connection of `vh`, each with its own protocol's callback, when
/// `protocol` is NULL and `any` is set).
fn call_bound(
    cx: &ContextHandle,
    vh: &VhostHandle,
    protocol: *const lws_protocols,
    any: bool,
    reason: lws_callback_reasons,
    argp: *mut c_void,
    len: usize,
) -> Result<(), Error> {
    let wanted = if protocol.is_null() && any {
        None
    } else {
        match vh.protocol_index(protocol) {
            Some(i) => Some(i),
            None => return Ok(()),
        }
    };
    let ids = cx.runtime.with_core(|c| {
        c.conn_ids()
            .into_iter()
            .filter(|id| {
                c.conn(*id).is_some_and(|k| {
                    k.vhost() == vh.id
                        && k.phase() != crate::core::conn::PhaseKind::Queued
                        && wanted.is_none_or(|w| k.protocol() == w)
                })
            })
            .collect::<Vec<_>>()
    })?;
    for id in ids {
        let Some(w) = cx.existing_wsi(id) else {
            continue;
        };
        let Some(cb) = vh.protocols.get(w.protocol.get()).and_then(|p| p.callback) else {
            continue;
        };
        // SAFETY: the protocol's callback with a live wsi of it and its own
        // per-session data; `argp`/`len` are the caller's.
        unsafe {
            callout::protocol_callback(&cx.runtime, cb, w.as_c(), reason, w.user.get(), argp, len)
        };
    }
    Ok(())
}

fn reason_of(reason: c_int) -> Result<lws_callback_reasons, Error> {
    lws_callback_reasons::try_from(reason).map_err(|_| Error::Refused("negative reason"))
}

/// Calls `protocol`'s callback for every connection, on any vhost, bound to
/// it (`in` NULL, `len` 0). Returns 0.
///
/// # Safety
/// `context` a live context; `protocol` a protocol pointer.
#[no_mangle]
pub unsafe extern "C" fn lws_callback_all_protocol(
    context: *mut lws_context,
    protocol: *const lws_protocols,
    reason: c_int,
) -> c_int {
    guard("lws_callback_all_protocol", -1, || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(context) }?;
        if protocol.is_null() {
            return Err(super::null("protocol is NULL"));
        }
        let reason = reason_of(reason)?;
        for i in 0..cx.vhost_count() {
            if let Some(vh) = cx.vhost_handle(VhostId(i)) {
                call_bound(cx, vh, protocol, false, reason, ptr::null_mut(), 0)?;
            }
        }
        Ok(0)
    })
}

/// As [`lws_callback_all_protocol`] on one vhost, with `argp` / `len` as
/// the callback's `in` / `len`; a NULL `protocol` means every connection of
/// the vhost. Returns 0.
///
/// # Safety
/// `vh` a live vhost; `protocol` NULL or a protocol pointer.
#[no_mangle]
pub unsafe extern "C" fn lws_callback_all_protocol_vhost_args(
    vh: *mut lws_vhost,
    protocol: *const lws_protocols,
    reason: c_int,
    argp: *mut c_void,
    len: usize,
) -> c_int {
    guard("lws_callback_all_protocol_vhost_args", -1, || {
        // SAFETY: checked handle conversion.
        let vh = unsafe { handle::vhost(vh) }?;
        let reason = reason_of(reason)?;
        call_bound(vh.context(), vh, protocol, true, reason, argp, len)?;
        Ok(0)
    })
}

/// [`lws_callback_all_protocol_vhost_args`] with no arguments.
///
/// # Safety
/// `vh` a live vhost; `protocol` NULL or a protocol pointer.
#[no_mangle]
pub unsafe extern "C" fn lws_callback_all_protocol_vhost(
    vh: *mut lws_vhost,
    protocol: *const lws_protocols,
    reason: c_int,
) -> c_int {
    guard("lws_callback_all_protocol_vhost", -1, || {
        // SAFETY: checked handle conversion.
        let vh = unsafe { handle::vhost(vh) }?;
        let reason = reason_of(reason)?;
        call_bound(vh.context(), vh, protocol, true, reason, ptr::null_mut(), 0)?;
        Ok(0)
    })
}

/// Calls every protocol of the wsi's vhost, in table order, with this wsi,
/// a NULL user and (`in`, `len`); stops at and returns 1 on the first
/// non-zero answer, else 0.
///
/// # Safety
/// `wsi` a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_callback_vhost_protocols(
    wsi: *mut lws,
    reason: c_int,
    in_: *mut c_void,
    len: usize,
) -> c_int {
    guard("lws_callback_vhost_protocols", -1, || {
        // SAFETY: checked handle conversion.
        let w = unsafe { handle::wsi(wsi) }?;
        let vh = w.vhost().ok_or(Error::Refused("wsi has no vhost yet"))?;
        let reason = reason_of(reason)?;
        for i in 0..vh.protocols.len() {
            let Some(cb) = vh.protocols.get(i).and_then(|p| p.callback) else {
                continue;
            };
            // SAFETY: a protocol callback of the wsi's vhost with the wsi.
            let r = unsafe {
                callout::protocol_callback(
                    &w.context().runtime,
                    cb,
                    w.as_c(),
                    reason,
                    ptr::null_mut(),
                    in_,
                    len,
                )
            };
            if r != 0 {
                return Ok(1);
            }
        }
        Ok(0)
    })
}

/// The protocol the wsi is bound to (NULL for a connection not bound yet).
///
/// # Safety
/// `wsi` a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_protocol_get(wsi: *mut lws) -> *const lws_protocols {
    guard("lws_protocol_get", ptr::null(), || {
        // SAFETY: checked handle conversion.
        let w = unsafe { handle::wsi(wsi) }?;
        Ok(w.vhost()
            .and_then(|v| v.protocols.get(w.protocol.get()))
            .map_or(ptr::null(), |p| p as *const _))
    })
}

/// Sets the per-session data size of the wsi's protocol to `new_size` (for
/// the connections bound from now on) and, when the wsi has no per-session
/// data yet, allocates it zeroed; returns the wsi's per-session data (NULL
/// when the size is 0 and it had none).
///
/// # Safety
/// `wsi` a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_adjust_protocol_psds(wsi: *mut lws, new_size: usize) -> *mut c_void {
    guard("lws_adjust_protocol_psds", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        let w = unsafe { handle::wsi(wsi) }?;
        let vh = w.vhost().ok_or(Error::Refused("wsi has no vhost yet"))?;
        let psds = vh
            .psds
            .get(w.protocol.get())
            .ok_or(Error::Refused("wsi has no protocol"))?;
        psds.set(new_size);
        if new_size > 0 && w.user.get().is_null() {
            // SAFETY: plain zeroed allocation, freed when the wsi is retired.
            let p = unsafe { libc::calloc(1, new_size) };
            if p.is_null() {
                return Err(Error::Refused("out of memory"));
            }
            w.user.set(p);
            w.user_owned.set(true);
        }
        Ok(w.user.get())
    })
}

/// Runs PROTOCOL_INIT for every protocol of every vhost still owed one
/// (nothing while a walk is already running). 0, or -1 when one of them
/// failed.
///
/// # Safety
/// `context` a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_protocol_init(context: *mut lws_context) -> c_int {
    guard("lws_protocol_init", -1, || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(context) }?;
        let all_ok = cx.runtime.init_protocols(&CHost { ctx: cx });
        Ok(if all_ok { 0 } else { -1 })
    })
}

/// Finds `name` in the pvo list `in` (as handed to PROTOCOL_INIT) and sets
/// `*result` to its value: 0, or 1 when there is no such entry.
///
/// # Safety
/// `in_` NULL or a pvo list; `name` NUL-terminated; `result` writable.
#[no_mangle]
pub unsafe extern "C" fn lws_pvo_get_str(
    in_: *mut c_void,
    name: *const c_char,
    result: *mut *const c_char,
) -> c_int {
    guard("lws_pvo_get_str", 1, || {
        if name.is_null() || result.is_null() {
            return Err(super::null("name or result is NULL"));
        }
        // SAFETY: NUL-terminated by contract.
        let name = unsafe { CStr::from_ptr(name) };
        // SAFETY: `in_` is NULL or a pvo list by contract.
        let pv = unsafe { pvo_find(in_.cast_const().cast(), name) };
        // SAFETY: NULL or a node of the list.
        let Some(pv) = (unsafe { pv.as_ref() }) else {
            return Ok(1);
        };
        // SAFETY: writable by contract.
        unsafe { *result = pv.value };
        Ok(0)
    })
}

/// The node called `name` in a pvo list, or NULL.
///
/// # Safety
/// `pvo` NULL or a valid list.
unsafe fn pvo_find(
    mut pvo: *const lws_protocol_vhost_options,
    name: &CStr,
) -> *const lws_protocol_vhost_options {
    while !pvo.is_null() {
        // SAFETY: a valid node by contract.
        let node = unsafe { &*pvo };
        // SAFETY: pvo names are NUL-terminated.
        if !node.name.is_null() && unsafe { CStr::from_ptr(node.name) } == name {
            return pvo;
        }
        pvo = node.next;
    }
    ptr::null()
}

/// The per-vhost storage (`lws_protocol_vh_priv_get`) of protocol
/// `protname` on the first vhost whose pvo for that protocol has an option
/// `pvo_name` equal to `pvo_value`; NULL when none has.
///
/// # Safety
/// `cx` a live context; the strings NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn lws_vhd_find_by_pvo(
    cx: *mut lws_context,
    protname: *const c_char,
    pvo_name: *const c_char,
    pvo_value: *const c_char,
) -> *mut c_void {
    guard("lws_vhd_find_by_pvo", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(cx) }?;
        if protname.is_null() || pvo_name.is_null() || pvo_value.is_null() {
            return Err(super::null("protname, pvo_name or pvo_value is NULL"));
        }
        // SAFETY: NUL-terminated by contract (the three lines below).
        let prot = unsafe { CStr::from_ptr(protname) };
        // SAFETY: as above.
        let pname = unsafe { CStr::from_ptr(pvo_name) };
        // SAFETY: as above.
        let pvalue = unsafe { CStr::from_ptr(pvo_value) };
        for i in 0..cx.vhost_count() {
            let Some(vh) = cx.vhost_handle(VhostId(i)) else {
                continue;
            };
            if cx.runtime.with_core(|c| c.vhost(vh.id).is_none())? {
                continue;
            }
            let privs = vh.privs.lock().clone();
            for (n, p) in vh.protocols.iter().enumerate() {
                // SAFETY: names in the copied table are non-NULL C strings.
                if unsafe { CStr::from_ptr(p.name) } != prot {
                    continue;
                }
                // SAFETY: the vhost's pvo list (kept by reference, as lws does).
                let pv = unsafe { pvo_find(vh.pvo, prot) };
                // SAFETY: NULL or a node of that list.
                let Some(pv) = (unsafe { pv.as_ref() }) else {
                    continue;
                };
                // SAFETY: its options are NULL or a valid list.
                let opt = unsafe { pvo_find(pv.options, pname) };
                // SAFETY: NULL or a node.
                let Some(opt) = (unsafe { opt.as_ref() }) else {
                    continue;
                };
                // SAFETY: option values are NUL-terminated.
                if !opt.value.is_null() && unsafe { CStr::from_ptr(opt.value) } == pvalue {
                    return Ok(privs
                        .get(n)
                        .and_then(|l| l.last().copied())
                        .unwrap_or(ptr::null_mut()));
                }
            }
        }
        Ok(ptr::null_mut())
    })
}
