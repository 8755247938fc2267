//! lws-context-vhost.h, the vhost half: creating, finding and destroying
//! vhosts, their names, ports, user data and per-protocol storage (spec B3.1,
//! B3.2).

use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::ptr;

use super::callout::{self, CHost};
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
    // SAFETY: NULL or NUL-terminated (lws contract).
    let proxy = unsafe { opt_string(info.http_proxy_address) };
    set_up_proxy(ctx, id, proxy, info.http_proxy_port);
    let finalize = info.finalize;
    // lws's Linux build spends ordinal 0 of the vhost lifecycle group on its
    // netlink route watcher at context creation: vhosts count from 1.
    let ordinal = id.0 + 1;
    let mut vh = VhostHandle::new(
        ctx,
        id,
        CString::new(name.clone()).unwrap_or_default(),
        table,
        info.pvo,
        info.user,
        info.port,
        finalize,
        info.finalize_arg,
    );
    vh.iface = info.iface;
    // SAFETY: NULL or NUL-terminated (lws contract).
    let iface = unsafe { opt_string(info.iface) };
    vh.tag = vhost_tag(ordinal, &name, iface.as_deref(), info.port);
    vh.cert_paths = super::tls::server_cert_paths(info);
    let vh = ctx.publish_vhost(vh)?;
    // Its listener (and, for the first vhost, the cancel pipe) is announced
    // to protocols[0] before the caller can poll anything (external poll).
    if !ctx.runtime.in_callout() {
        ctx.runtime.pump(&CHost { ctx });
    }
    Ok(vh)
}

/// The vhost's HTTP proxy as lws sets it at creation: `info.http_proxy_address`
/// (with `info.http_proxy_port` for an address without one), else the
/// `http_proxy` environment variable (cut to lws's 95 bytes). A string lws
/// refuses is logged and leaves the vhost without a proxy.
fn set_up_proxy(ctx: &ContextHandle, id: crate::core::VhostId, info: Option<String>, port: u32) {
    let (text, port) = match info {
        Some(t) => (t, Some(port)),
        None => match std::env::var_os("http_proxy") {
            Some(v) => {
                let mut t = v.to_string_lossy().into_owned();
                let mut cut = t.len().min(95);
                while !t.is_char_boundary(cut) {
                    cut -= 1;
                }
                t.truncate(cut);
                (t, None)
            }
            None => return,
        },
    };
    match ctx.runtime.with_core(|c| c.set_proxy(id, &text, port)) {
        Ok(Ok(())) => {}
        Ok(Err(why)) => crate::lwsl!(crate::log::level::ERR, "vhost proxy {text:?}: {why}"),
        Err(e) => crate::lwsl!(crate::log::level::ERR, "vhost proxy: {e}"),
    }
}

/// lws's lifecycle tag of a vhost: `[vh|<ordinal, hex>|<name>[|<iface>]
/// [|<port>, only for a port with no low 16 bits>|<iface or "">|<port>]`,
/// at most 63 characters with the closing `]` kept.
fn vhost_tag(ordinal: usize, name: &str, iface: Option<&str>, port: c_int) -> CString {
    let mut buf = name.to_string();
    if let Some(i) = iface {
        buf.push('|');
        buf.push_str(i);
    }
    if port != 0 && port & 0xffff == 0 {
        buf.push_str(&format!("|{}", port as u32));
    }
    let mut tag = format!("[vh|{ordinal:x}|{buf}|{}|{port}", iface.unwrap_or(""));
    let mut cut = tag.len().min(62);
    while !tag.is_char_boundary(cut) {
        cut -= 1;
    }
    tag.truncate(cut);
    tag.push(']');
    CString::new(tag.replace('\0', "")).unwrap_or_default()
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

/// The vhost's lifecycle tag, as lws logs it (`[vh|0|default||7681]`).
///
/// # Safety
/// `vh` is a vhost of a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_vh_tag(vh: *mut lws_vhost) -> *const c_char {
    guard("lws_vh_tag", ptr::null(), || {
        // SAFETY: checked handle conversion.
        Ok(unsafe { handle::vhost(vh) }?.tag.as_ptr())
    })
}

/// `info.iface` of the vhost (NULL when none was given).
///
/// # Safety
/// `vhost` is a vhost of a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_get_vhost_iface(vhost: *mut lws_vhost) -> *const c_char {
    guard("lws_get_vhost_iface", ptr::null(), || {
        // SAFETY: checked handle conversion.
        Ok(unsafe { handle::vhost(vhost) }?.iface)
    })
}

/// The vhost's listen port: the bound one (the OS-chosen one for port 0),
/// else the configured value.
///
/// # Safety
/// `vhost` is a vhost of a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_get_vhost_port(vhost: *mut lws_vhost) -> c_int {
    guard("lws_get_vhost_port", -1, || {
        // SAFETY: checked handle conversion.
        let vh = unsafe { handle::vhost(vhost) }?;
        Ok(vh
            .context()
            .runtime
            .listen_port(vh.id)
            .map_or(vh.configured_port, c_int::from))
    })
}

/// `info.user` of the vhost (the same as `lws_vhost_user`).
///
/// # Safety
/// `vhost` is a vhost of a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_get_vhost_user(vhost: *mut lws_vhost) -> *mut c_void {
    guard("lws_get_vhost_user", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        Ok(unsafe { handle::vhost(vhost) }?.user)
    })
}

/// The first half of `lws_vhost_destroy` (B3.1): the vhost is marked as
/// being destroyed, so it is no longer found by name nor used for new
/// connections, and its listening socket is handed to a live vhost sharing
/// it, or closed. As in lws, the rest of the destroy (PROTOCOL_DESTROY,
/// storage, finalize) follows at the end of a service pass once nothing is
/// bound to it: its listener closed and no connections, or its last
/// connection gone; else at `lws_vhost_destroy` or the context's end. A
/// second call does nothing.
///
/// # Safety
/// `vh` is a vhost of a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_vhost_destroy1(vh: *mut lws_vhost) {
    guard("lws_vhost_destroy1", (), || {
        // SAFETY: checked handle conversion.
        let vh = unsafe { handle::vhost(vh) }?;
        vh.context().runtime.with_core(|c| c.retire_vhost(vh.id))
    })
}

/// Calls `cb(node, arg)` once per listening socket of the context's vhosts,
/// in vhost order; stops at the first non-zero answer and returns 1, else 0.
/// Each node is a `struct lws_dll2` of a list made for the walk (it is not
/// embedded in a `struct lws`, see docs/COMPAT.md).
///
/// # Safety
/// `cx` a live context; `cb` callable with a node and `arg`.
#[no_mangle]
pub unsafe extern "C" fn lws_vhost_foreach_listen_wsi(
    cx: *mut lws_context,
    arg: *mut c_void,
    cb: lws_dll2_foreach_cb_t,
) -> c_int {
    guard("lws_vhost_foreach_listen_wsi", -1, || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(cx) }?;
        let cb = cb.ok_or(super::null("cb is NULL"))?;
        let listeners = cx.runtime.with_core(|c| {
            (0..c.vhost_slots())
                .filter(|i| {
                    c.vhost(crate::core::VhostId(*i))
                        .is_some_and(|v| v.listener.is_some())
                })
                .count()
        })?;
        let mut owner = Box::new(handle::empty_owner());
        let op: *mut lws_dll2_owner = &mut *owner;
        let mut nodes: Vec<lws_dll2> = (0..listeners)
            .map(|_| lws_dll2 {
                prev: ptr::null_mut(),
                next: ptr::null_mut(),
                owner: op,
            })
            .collect();
        let base = nodes.as_mut_ptr();
        for i in 1..listeners {
            // `i - 1` and `i` index `nodes`, which is not resized while linked.
            let (a, b) = (base.wrapping_add(i - 1), base.wrapping_add(i));
            // SAFETY: both point into `nodes`; no reference to it is live.
            unsafe { (*a).next = b };
            // SAFETY: as above.
            unsafe { (*b).prev = a };
        }
        if listeners > 0 {
            let tail = base.wrapping_add(listeners - 1);
            // SAFETY: `op` is the boxed owner; no reference to it is live.
            unsafe {
                *op = lws_dll2_owner {
                    tail,
                    head: base,
                    count: listeners as u32,
                }
            };
        }
        for i in 0..listeners {
            // SAFETY: a node of the walk's list, alive until the end of this call.
            let r = unsafe { callout::dll2_foreach_callback(cb, base.wrapping_add(i), arg) };
            if r != 0 {
                return Ok(1);
            }
        }
        Ok(0)
    })
}

/// The host name found at context creation (gethostname), or "unknown" when
/// it failed or the context was made with
/// LWS_SERVER_OPTION_SKIP_SERVER_CANONICAL_NAME.
///
/// # Safety
/// `context` is a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_canonical_hostname(context: *mut lws_context) -> *const c_char {
    guard("lws_canonical_hostname", ptr::null(), || {
        // SAFETY: checked handle conversion.
        Ok(unsafe { handle::context(context) }?
            .canonical_hostname
            .as_ptr())
    })
}

#[cfg(test)]
mod tests {
    use super::vhost_tag;

    /// The tags lws 4.3.3 gives these vhosts (measured with its lws_vh_tag).
    #[test]
    fn vhost_tags_are_lws_lifecycle_tags() {
        assert_eq!(
            vhost_tag(1, "default", None, 0).to_bytes(),
            b"[vh|1|default||0]"
        );
        assert_eq!(vhost_tag(2, "b", None, -1).to_bytes(), b"[vh|2|b||-1]");
        assert_eq!(
            vhost_tag(3, "c", Some("lo"), 131072).to_bytes(),
            b"[vh|3|c|lo|131072|lo|131072]"
        );
        let long = vhost_tag(10, &"n".repeat(100), None, 80);
        assert_eq!(long.to_bytes().len(), 63);
        assert!(long.to_bytes().starts_with(b"[vh|a|nnn"));
        assert!(long.to_bytes().ends_with(b"n]"));
    }
}
