//! lws-context-vhost.h, the vhost half: creating, finding and destroying
//! vhosts, their names, ports, user data and per-protocol storage (spec B3.1,
//! B3.2).

use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::ptr;

use super::callout::CHost;
use super::creation_info::{opt_string, vhost_config_of};
use super::guard;
use super::handle::{self, ContextHandle, VhostHandle};
use super::types::*;
use crate::core::Error;

/// Builds and publishes a vhost from `info` (B3.1). PROTOCOL_INIT follows only
/// if the context already did its protocol init.
///
/// # Safety
/// `info` follows lws's contract.
pub unsafe fn make_vhost(
    ctx: &ContextHandle,
    info: &lws_context_creation_info,
) -> Result<*mut VhostHandle, Error> {
    // SAFETY: forwarded contract.
    let (cfg, table) = unsafe { vhost_config_of(info) }?;
    let name = cfg.name.clone();
    let id = ctx.runtime.add_vhost(cfg)?;
    let finalize = info.finalize;
    let vh = VhostHandle::new(
        ctx,
        id,
        CString::new(name).unwrap_or_default(),
        table,
        info.pvo,
        info.user,
        info.port,
        finalize,
        info.finalize_arg,
    );
    let vh = ctx.publish_vhost(vh)?;
    // Its listener (and, for the first vhost, the cancel pipe) is announced
    // to protocols[0] before the caller can poll anything (external poll).
    if !ctx.runtime.in_callout() {
        ctx.runtime.pump(&CHost { ctx });
    }
    Ok(vh)
}

/// Creates another vhost on the context (B3.1).
///
/// # Safety
/// `context` is a live context; `info` a valid creation info.
#[no_mangle]
pub unsafe extern "C" fn lws_create_vhost(
    context: *mut lws_context,
    info: *const lws_context_creation_info,
) -> *mut lws_vhost {
    guard("lws_create_vhost", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(context) }?;
        if info.is_null() {
            return Err(super::null("info is NULL"));
        }
        // SAFETY: non-NULL creation info following lws's contract.
        let info = unsafe { &*info };
        // SAFETY: as above.
        let vh = unsafe { make_vhost(cx, info) }?;
        cx.runtime.init_new_vhosts(&CHost { ctx: cx });
        // SAFETY: just published; lives until the context is freed.
        Ok(unsafe { &*vh }.as_c())
    })
}

/// Finds a live vhost by name.
///
/// # Safety
/// `context` is a live context; `name` NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn lws_get_vhost_by_name(
    context: *mut lws_context,
    name: *const c_char,
) -> *mut lws_vhost {
    guard("lws_get_vhost_by_name", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(context) }?;
        // SAFETY: NULL or NUL-terminated.
        let Some(name) = (unsafe { opt_string(name) }) else {
            return Err(super::null("name is NULL"));
        };
        Ok(cx
            .runtime
            .vhost_by_name(&name)
            .and_then(|id| cx.vhost_handle(id))
            .map_or(ptr::null_mut(), |v| v.as_c()))
    })
}

/// Destroys a vhost: it is no longer found at once, and its protocols get
/// PROTOCOL_DESTROY at the end of the service pass (B3.1).
///
/// # Safety
/// `vh` is a vhost of a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_vhost_destroy(vh: *mut lws_vhost) {
    guard("lws_vhost_destroy", (), || {
        // SAFETY: checked handle conversion.
        let vh = unsafe { handle::vhost(vh) }?;
        let cx = vh.context();
        cx.runtime.request_vhost_destroy(vh.id)
    })
}

/// `info.user` of the vhost.
///
/// # Safety
/// `vh` is a vhost of a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_vhost_user(vh: *mut lws_vhost) -> *mut c_void {
    guard("lws_vhost_user", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        Ok(unsafe { handle::vhost(vh) }?.user)
    })
}

/// The vhost's name.
///
/// # Safety
/// `vh` is a vhost of a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_get_vhost_name(vh: *mut lws_vhost) -> *const c_char {
    guard("lws_get_vhost_name", ptr::null(), || {
        // SAFETY: checked handle conversion.
        Ok(unsafe { handle::vhost(vh) }?.name.as_ptr())
    })
}

/// The port the vhost listens on (the OS-chosen one when `info.port` was 0), or
/// the configured value when it has no listener.
///
/// # Safety
/// `vh` is a vhost of a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_get_vhost_listen_port(vh: *mut lws_vhost) -> c_int {
    guard("lws_get_vhost_listen_port", -1, || {
        // SAFETY: checked handle conversion.
        let vh = unsafe { handle::vhost(vh) }?;
        Ok(vh
            .context()
            .runtime
            .listen_port(vh.id)
            .map_or(vh.configured_port, c_int::from))
    })
}

/// The vhost's copy of the protocol named `name`, or NULL.
///
/// # Safety
/// `vh` is a live vhost; `name` NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn lws_vhost_name_to_protocol(
    vh: *mut lws_vhost,
    name: *const c_char,
) -> *const lws_protocols {
    guard("lws_vhost_name_to_protocol", ptr::null(), || {
        // SAFETY: checked handle conversion.
        let vh = unsafe { handle::vhost(vh) }?;
        if name.is_null() {
            return Err(super::null("name is NULL"));
        }
        // SAFETY: NUL-terminated by contract.
        let name = unsafe { CStr::from_ptr(name) };
        Ok(vh
            .protocols
            .iter()
            // SAFETY: names in the copied table are non-NULL and NUL-terminated.
            .find(|p| unsafe { CStr::from_ptr(p.name) } == name)
            .map_or(ptr::null(), |p| p as *const _))
    })
}

/// Allocates zeroed per-(vhost, protocol) storage (B3.2). A second call for the
/// same pair gives a new block; the old one stays valid until the vhost goes.
///
/// # Safety
/// `vhost` is a live vhost; `prot` a protocol pointer.
#[no_mangle]
pub unsafe extern "C" fn lws_protocol_vh_priv_zalloc(
    vhost: *mut lws_vhost,
    prot: *const lws_protocols,
    size: c_int,
) -> *mut c_void {
    guard("lws_protocol_vh_priv_zalloc", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        let vh = unsafe { handle::vhost(vhost) }?;
        let idx = vh
            .protocol_index(prot)
            .ok_or(Error::Refused("protocol is not on this vhost"))?;
        let size = usize::try_from(size).map_err(|_| Error::Refused("negative size"))?;
        // SAFETY: plain allocation; freed when the vhost is finalised.
        let block = unsafe { libc::calloc(1, size.max(1)) };
        if block.is_null() {
            return Err(Error::Refused("out of memory"));
        }
        if let Some(list) = vh.privs.lock().get_mut(idx) {
            list.push(block);
        }
        Ok(block)
    })
}

/// The storage allocated for (vhost, protocol), or NULL (B3.T3).
///
/// # Safety
/// `vhost` is a live vhost; `prot` a protocol pointer.
#[no_mangle]
pub unsafe extern "C" fn lws_protocol_vh_priv_get(
    vhost: *mut lws_vhost,
    prot: *const lws_protocols,
) -> *mut c_void {
    guard("lws_protocol_vh_priv_get", ptr::null_mut(), || {
        if vhost.is_null() || prot.is_null() {
            return Ok(ptr::null_mut());
        }
        // SAFETY: checked handle conversion.
        let vh = unsafe { handle::vhost(vhost) }?;
        let Some(idx) = vh.protocol_index(prot) else {
            return Ok(ptr::null_mut());
        };
        Ok(vh
            .privs
            .lock()
            .get(idx)
            .and_then(|l| l.last().copied())
            .unwrap_or(ptr::null_mut()))
    })
}

/// Finds the entry called `name` in a pvo list, or NULL.
///
/// # Safety
/// `pvo` is NULL or a valid list; `name` NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn lws_pvo_search(
    pvo: *const lws_protocol_vhost_options,
    name: *const c_char,
) -> *const lws_protocol_vhost_options {
    guard("lws_pvo_search", ptr::null(), || {
        if name.is_null() {
            return Ok(ptr::null());
        }
        // SAFETY: NUL-terminated by contract.
        let wanted = unsafe { CStr::from_ptr(name) };
        let mut p = pvo;
        while !p.is_null() {
            // SAFETY: a valid list node by contract.
            let node = unsafe { &*p };
            let (pname, next) = (node.name, node.next);
            // SAFETY: pvo names are NUL-terminated.
            if !pname.is_null() && unsafe { CStr::from_ptr(pname) } == wanted {
                return Ok(p);
            }
            p = next;
        }
        Ok(ptr::null())
    })
}
