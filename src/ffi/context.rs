//! lws-context-vhost.h: contexts and vhosts (spec B1, B3.1, B3.2).
//!
//! Copy-or-keep rules for the creation info (guide §3.5): the protocol table is
//! copied per vhost (B3.1); protocol names, `pvo`, `user`, `finalize_arg` and the
//! notifier links are kept by reference, as lws keeps them.

use std::ffi::{c_char, c_int, c_uint, c_void, CStr, CString};
use std::net::IpAddr;
use std::ptr;

use super::callout::CHost;
use super::handle::{self, ContextHandle, VhostHandle};
use super::types::*;
use super::{dll2, guard};
use crate::core::context::Settings;
use crate::core::runtime::{Runtime, Teardown};
use crate::core::vhost::{Listen, PlainOnTls, ProtocolSpec, Validity, VhostConfig};
use crate::core::Error;
use crate::http::{Mount, MountKind};
use crate::log::level;
use crate::lwsl;

/// The library version string (B7.5).
pub const VERSION: &CStr = c"4.3.3-lws-rs";

/// A C string argument, copied; None for NULL.
///
/// # Safety
/// `p` is NULL or NUL-terminated.
pub unsafe fn opt_string(p: *const c_char) -> Option<String> {
    if p.is_null() {
        return None;
    }
    // SAFETY: non-NULL and NUL-terminated by contract.
    Some(unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
}

/// Copies the protocol table out of the creation info: `protocols` (up to the
/// entry with a NULL callback) or `pprotocols` (up to NULL); neither gives the
/// single "http-only" protocol on the dummy HTTP handler (B3.1).
///
/// # Safety
/// The pointers in `info` follow lws's contract.
unsafe fn protocol_table(info: &lws_context_creation_info) -> Result<Vec<lws_protocols>, Error> {
    let mut out = Vec::new();
    if !info.protocols.is_null() {
        let mut p = info.protocols;
        loop {
            // SAFETY: lws's contract: the table ends with an entry whose callback
            // is NULL (LWS_PROTOCOL_LIST_TERM).
            let entry = unsafe { ptr::read(p) };
            if entry.callback.is_none() {
                break;
            }
            out.push(entry);
            // SAFETY: not past the terminator yet.
            p = unsafe { p.add(1) };
        }
    } else if !info.pprotocols.is_null() {
        let mut pp = info.pprotocols;
        loop {
            // SAFETY: lws's contract: a NULL-terminated array of protocol pointers.
            let p = unsafe { *pp };
            if p.is_null() {
                break;
            }
            // SAFETY: each element points at a valid protocol entry.
            out.push(unsafe { ptr::read(p) });
            // SAFETY: not past the terminator yet.
            pp = unsafe { pp.add(1) };
        }
    } else {
        out.push(lws_protocols {
            name: c"http-only".as_ptr(),
            callback: Some(super::http_response::lws_callback_http_dummy),
            per_session_data_size: 0,
            rx_buffer_size: 0,
            id: 0,
            user: ptr::null_mut(),
            tx_packet_size: 0,
        });
    }
    if out.iter().any(|p| p.name.is_null()) {
        return Err(Error::Config("a protocol has a NULL name".into()));
    }
    Ok(out)
}

/// Whether `name` appears in the pvo list (protocol instantiation, B1.5).
///
/// # Safety
/// `pvo` is NULL or a valid list; `name` is NUL-terminated.
unsafe fn pvo_names(pvo: *const lws_protocol_vhost_options, name: *const c_char) -> bool {
    // SAFETY: forwarded contract.
    let name = unsafe { CStr::from_ptr(name) };
    let mut p = pvo;
    while !p.is_null() {
        // SAFETY: valid list node.
        let node = unsafe { &*p };
        let (pname, next) = (node.name, node.next);
        // SAFETY: pvo names are NUL-terminated.
        if !pname.is_null() && unsafe { CStr::from_ptr(pname) } == name {
            return true;
        }
        p = next;
    }
    false
}

/// `info.iface`: a numeric address, or an interface name looked up with
/// getifaddrs (its first IPv4 address).
fn iface_addr(iface: &str) -> Result<IpAddr, Error> {
    if let Ok(a) = iface.parse::<IpAddr>() {
        return Ok(a);
    }
    let mut ifap: *mut libc::ifaddrs = ptr::null_mut();
    // SAFETY: getifaddrs fills `ifap` with a list we free below.
    if unsafe { libc::getifaddrs(&mut ifap) } != 0 {
        return Err(Error::io("getifaddrs", std::io::Error::last_os_error()));
    }
    let mut found = None;
    let mut cur = ifap;
    while !cur.is_null() {
        // SAFETY: `cur` is a node of the list getifaddrs returned.
        let ifa = unsafe { &*cur };
        // SAFETY: interface names are NUL-terminated.
        let name = unsafe { CStr::from_ptr(ifa.ifa_name) };
        if name.to_bytes() == iface.as_bytes() && !ifa.ifa_addr.is_null() {
            // SAFETY: a non-NULL ifa_addr points at a sockaddr.
            let family = c_int::from(unsafe { (*ifa.ifa_addr).sa_family });
            if family == libc::AF_INET {
                // SAFETY: AF_INET addresses are sockaddr_in.
                let sin = unsafe { &*(ifa.ifa_addr as *const libc::sockaddr_in) };
                found = Some(IpAddr::from(
                    u32::from_be(sin.sin_addr.s_addr).to_be_bytes(),
                ));
                break;
            }
        }
        cur = ifa.ifa_next;
    }
    // SAFETY: frees the list from getifaddrs once.
    unsafe { libc::freeifaddrs(ifap) };
    found.ok_or_else(|| Error::Config(format!("iface {iface}: no such interface or address")))
}

/// Name/value pairs of a pvo list (e.g. `info.headers`).
///
/// # Safety
/// `p` is NULL or a valid list.
unsafe fn pvo_pairs(mut p: *const lws_protocol_vhost_options) -> Vec<(String, String)> {
    let mut out = Vec::new();
    while !p.is_null() {
        // SAFETY: a valid list node.
        let node = unsafe { &*p };
        // SAFETY: NULL or NUL-terminated strings.
        let copy = |s| unsafe { opt_string(s) };
        let (n, v) = (copy(node.name), copy(node.value));
        if let Some(n) = n {
            out.push((n, v.unwrap_or_default()));
        }
        p = node.next;
    }
    out
}

/// The vhost's mounts (`info.mounts`), copied.
///
/// # Safety
/// `m` is NULL or a valid mount list.
unsafe fn mounts_of(mut m: *const lws_http_mount) -> Vec<Mount> {
    let mut out = Vec::new();
    while !m.is_null() {
        // SAFETY: a valid list node.
        let node = unsafe { &*m };
        // SAFETY: NULL or NUL-terminated strings.
        let copy = |s| unsafe { opt_string(s) };
        let (mp, origin, def) = (copy(node.mountpoint), copy(node.origin), copy(node.def));
        let kind = match c_uint::from(node.origin_protocol) {
            LWSMPRO_FILE => MountKind::File,
            LWSMPRO_CALLBACK => MountKind::Callback,
            LWSMPRO_REDIR_HTTP => MountKind::RedirHttp,
            LWSMPRO_REDIR_HTTPS => MountKind::RedirHttps,
            _ => MountKind::Unsupported,
        };
        if let Some(mountpoint) = mp {
            out.push(Mount {
                mountpoint,
                origin: origin.unwrap_or_default(),
                def,
                kind,
                // SAFETY: NULL or a valid pvo list.
                extra_mimetypes: unsafe { pvo_pairs(node.extra_mimetypes) },
            });
        }
        m = node.mount_next;
    }
    out
}

/// The validity part of a retry policy; None when it gives no ping time
/// (the context default then applies, B1.1).
pub fn validity_of(p: &lws_retry_bo_t) -> Option<Validity> {
    (p.secs_since_valid_ping != 0).then_some(Validity {
        ping_secs: p.secs_since_valid_ping,
        hangup_secs: p.secs_since_valid_hangup,
    })
}

/// Builds and publishes a vhost from `info` (B3.1). PROTOCOL_INIT follows only
/// if the context already did its protocol init.
///
/// # Safety
/// `info` follows lws's contract.
unsafe fn make_vhost(
    ctx: &ContextHandle,
    info: &lws_context_creation_info,
) -> Result<*mut VhostHandle, Error> {
    // SAFETY: forwarded contract.
    let table = unsafe { protocol_table(info) }?;
    // SAFETY: vhost_name is NULL or NUL-terminated.
    let name = unsafe { opt_string(info.vhost_name) }.unwrap_or_else(|| "default".into());
    let listen = match info.port {
        CONTEXT_PORT_NO_LISTEN => Listen::None,
        CONTEXT_PORT_NO_LISTEN_SERVER => Listen::AdoptOnly,
        p if (0..=65535).contains(&p) => {
            // SAFETY: iface is NULL or NUL-terminated.
            let addr = match unsafe { opt_string(info.iface) } {
                Some(i) => Some(iface_addr(&i)?),
                None => None,
            };
            Listen::Tcp {
                port: p as u16,
                addr,
            }
        }
        p => return Err(Error::Config(format!("port {p} is out of range"))),
    };
    let protocols = table
        .iter()
        .map(|p| ProtocolSpec {
            // SAFETY: names were checked non-NULL in protocol_table.
            name: unsafe { CStr::from_ptr(p.name) }
                .to_string_lossy()
                .into_owned(),
            per_session_data_size: p.per_session_data_size,
            rx_buffer_size: p.rx_buffer_size,
            tx_packet_size: p.tx_packet_size,
            id: p.id,
            // SAFETY: pvo is NULL or a valid list; names are NUL-terminated.
            instantiated: info.pvo.is_null() || unsafe { pvo_names(info.pvo, p.name) },
        })
        .collect();
    // SAFETY: forwarded contract.
    let server_tls = unsafe { super::tls::server_spec(info) }?;
    // SAFETY: forwarded contract.
    let client_tls = unsafe { super::tls::client_state(info, server_tls.is_some()) }?;
    let plain_on_tls = if info.options & LWS_SERVER_OPTION_REDIRECT_HTTP_TO_HTTPS
        == LWS_SERVER_OPTION_REDIRECT_HTTP_TO_HTTPS
    {
        PlainOnTls::Redirect
    } else if info.options & LWS_SERVER_OPTION_ALLOW_NON_SSL_ON_SSL_PORT
        == LWS_SERVER_OPTION_ALLOW_NON_SSL_ON_SSL_PORT
    {
        PlainOnTls::Serve
    } else {
        PlainOnTls::Refuse
    };
    let id = ctx.runtime.add_vhost(VhostConfig {
        server_tls,
        client_tls,
        plain_on_tls,
        name: name.clone(),
        protocols,
        listen,
        skip_protocol_init: info.options & LWS_SERVER_OPTION_SKIP_PROTOCOL_INIT != 0,
        // SAFETY: NULL or a policy the caller keeps valid.
        validity: unsafe { info.retry_and_idle_policy.as_ref() }
            .and_then(validity_of)
            .unwrap_or_default(),
        // SAFETY: NULL or a mount list the caller keeps valid (as lws does).
        mounts: unsafe { mounts_of(info.mounts) },
        // SAFETY: NULL or a valid pvo list.
        headers: unsafe { pvo_pairs(info.headers) },
        // SAFETY: NULL or NUL-terminated.
        server_string: unsafe { opt_string(info.server_string) },
    })?;
    if id.0 != ctx.vhost_count() {
        return Err(Error::Refused("vhost table out of step"));
    }
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
    Ok(ctx.push_vhost(vh))
}

/// Creates a context (B1.1). No PROTOCOL_INIT happens here (B1.T1).
///
/// # Safety
/// `info` is NULL or a valid creation info whose pointers follow lws's contract.
#[no_mangle]
pub unsafe extern "C" fn lws_create_context(
    info: *const lws_context_creation_info,
) -> *mut lws_context {
    guard("lws_create_context", ptr::null_mut(), || {
        if info.is_null() {
            return Err(super::null("info is NULL"));
        }
        // SAFETY: non-NULL creation info from the caller.
        let info = unsafe { &*info };
        lwsl!(
            level::NOTICE,
            "LWS: {}, lws-rs (Rust), loop: mio, tls: rustls",
            VERSION.to_string_lossy()
        );
        let nonzero = |v: u32, default: u32| if v == 0 { default } else { v };
        let settings = Settings {
            validate_utf8: info.options & LWS_SERVER_OPTION_VALIDATE_UTF8 != 0,
            timeout_secs: nonzero(info.timeout_secs, 15),
            max_header: nonzero(u32::from(info.max_http_header_data), 4096) as usize,
            serv_buf_size: nonzero(info.pt_serv_buf_size, 4096) as usize,
        };
        let runtime = Runtime::new(settings)?;
        let ctx = Box::into_raw(ContextHandle::new(
            runtime,
            info.user,
            info.options,
            info.pcontext,
        ));
        // SAFETY: just allocated; freed only by destroy_context below or by
        // lws_context_destroy.
        let cx = unsafe { &*ctx };
        // SAFETY: the manager is inside the handle; nothing else refers to it yet.
        unsafe {
            (*cx.state_mgr.get()).context = cx.as_c();
        }
        // SAFETY: as above.
        unsafe {
            (*cx.state_mgr.get()).parent = cx.as_c().cast();
        }
        // SAFETY: the info this context is made from.
        unsafe { super::system::attach(cx, info) };
        if !info.register_notifier_list.is_null() {
            let mut pp = info.register_notifier_list;
            loop {
                // SAFETY: a NULL-terminated array of notifier links (lws contract).
                let link = unsafe { *pp };
                if link.is_null() {
                    break;
                }
                // SAFETY: the link must stay valid while registered; the owner is
                // the manager inside the handle.
                unsafe { register_notifier(cx, link) };
                // SAFETY: not past the terminator yet.
                pp = unsafe { pp.add(1) };
            }
        }
        if info.options & LWS_SERVER_OPTION_EXPLICIT_VHOSTS == 0 {
            // SAFETY: info follows lws's contract.
            if let Err(e) = unsafe { make_vhost(cx, info) } {
                lwsl!(level::ERR, "lws_create_context: default vhost: {e}");
                // SAFETY: `ctx` came from Box::into_raw above and is not yet
                // published to the caller.
                unsafe { destroy_context(ctx) };
                return Ok(ptr::null_mut());
            }
        }
        if !info.pcontext.is_null() {
            // SAFETY: the caller gave a writable pointer for the context.
            unsafe { *info.pcontext = cx.as_c() };
        }
        Ok(cx.as_c())
    })
}

/// Adds a notifier at the head of the context's list (newest consulted first).
///
/// # Safety
/// `link` is a valid, unregistered notifier link that outlives its registration.
pub unsafe fn register_notifier(cx: &ContextHandle, link: *mut lws_state_notify_link) {
    // The link's dll2 node is its first member; the owner is the manager's list
    // inside the context handle.
    let node = link.cast::<lws_dll2>();
    let owner = cx.state_mgr.get().cast::<lws_dll2_owner>();
    // SAFETY: a valid unregistered link and the context's own list (offset 0 of
    // the manager).
    unsafe { dll2::add_head(node, owner) };
}

/// Delivers the teardown and frees the context.
///
/// # Safety
/// `ctx` came from `Box::into_raw` in `lws_create_context` and is not used after.
unsafe fn destroy_context(ctx: *mut ContextHandle) {
    // SAFETY: live until freed below.
    let cx = unsafe { &*ctx };
    let Teardown::Complete { armed_suls } = cx.runtime.destroy(&CHost { ctx: cx }) else {
        return;
    };
    // Suls still armed would keep pointing at the freed context: detached, a
    // later lws_sul_cancel on them is a no-op (issue 10 defect 6).
    for key in armed_suls {
        // SAFETY: an armed sul must stay valid while armed (lws_sul_schedule's
        // contract); it was armed until the teardown disarmed it just now.
        unsafe { super::timeout::detach(key.0 as *mut lws_sorted_usec_list_t) };
    }
    if !cx.pcontext.is_null() {
        // SAFETY: the caller's pointer for the context, given at creation.
        unsafe { *cx.pcontext = ptr::null_mut() };
    }
    cx.free_all_wsis();
    cx.free_all_vhosts();
    // The manager goes away: its notifier links (the application's memory)
    // are left detached, so they can be registered again elsewhere.
    let owner = cx.state_mgr.get().cast::<lws_dll2_owner>();
    loop {
        // SAFETY: the manager's list inside the live handle.
        let head = unsafe { (*owner).head };
        if head.is_null() {
            break;
        }
        // SAFETY: a registered link is valid while registered.
        unsafe { dll2::remove(head) };
    }
    super::system::detach(cx);
    cx.kill();
    // SAFETY: `ctx` came from Box::into_raw; freed once.
    drop(unsafe { Box::from_raw(ctx) });
}

/// Destroys a context (B1.7). From inside a callback it only marks the context:
/// `lws_service` then returns -1 and the caller destroys again after its loop.
///
/// # Safety
/// `context` is NULL or a live context; not used after this returns (unless the
/// destroy was deferred, see above).
#[no_mangle]
pub unsafe extern "C" fn lws_context_destroy(context: *mut lws_context) {
    guard("lws_context_destroy", (), || {
        if context.is_null() {
            return Ok(());
        }
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(context) }?;
        // SAFETY: the handle is live and owned by this call from now on.
        unsafe { destroy_context(cx as *const ContextHandle as *mut ContextHandle) };
        Ok(())
    })
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

/// `info.user` of the context.
///
/// # Safety
/// `context` is a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_context_user(context: *mut lws_context) -> *mut c_void {
    guard("lws_context_user", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        Ok(unsafe { handle::context_any_thread(context) }?.user)
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

/// The context a wsi belongs to.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_get_context(wsi: *const lws) -> *mut lws_context {
    guard("lws_get_context", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        let w = unsafe { handle::wsi(wsi) }?;
        Ok(w.ctx as *mut lws_context)
    })
}

/// The vhost a wsi is bound to.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_get_vhost(wsi: *mut lws) -> *mut lws_vhost {
    guard("lws_get_vhost", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        Ok(unsafe { handle::wsi(wsi) }?
            .vhost()
            .map_or(ptr::null_mut(), |v| v.as_c()))
    })
}

/// The wsi's protocol: a pointer into its vhost's copy of the table (B3.T1).
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_get_protocol(wsi: *mut lws) -> *const lws_protocols {
    guard("lws_get_protocol", ptr::null(), || {
        // SAFETY: checked handle conversion.
        let w = unsafe { handle::wsi(wsi) }?;
        Ok(w.vhost()
            .and_then(|v| v.protocols.get(w.protocol.get()))
            .map_or(ptr::null(), |p| p as *const _))
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
