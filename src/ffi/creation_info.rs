//! The one reader of lws's C creation structs (`lws_context_creation_info`,
//! its protocol table, pvo lists, mounts, retry policy): C data in, core
//! settings and vhost configuration out.
//!
//! Copy-or-keep rules (guide §3.5): the protocol table is copied per vhost
//! (B3.1); protocol names, `pvo`, `user`, `finalize_arg` and the notifier links
//! are kept by reference, as lws keeps them.

use std::ffi::{c_char, c_int, c_uint, CStr};
use std::net::IpAddr;
use std::ptr;

use super::types::*;
use crate::core::context::Settings;
use crate::core::vhost::{AcceptAs, Listen, PlainOnTls, ProtocolSpec, Validity, VhostConfig};
use crate::core::Error;
use crate::http::{CachePolicy, Mount, MountKind};

/// The context-wide settings of `info` (B1.1 defaults for zero fields).
pub fn settings_of(info: &lws_context_creation_info) -> Settings {
    let nonzero = |v: u32, default: u32| if v == 0 { default } else { v };
    Settings {
        validate_utf8: info.options & LWS_SERVER_OPTION_VALIDATE_UTF8 != 0,
        timeout_secs: nonzero(info.timeout_secs, 15),
        max_header: nonzero(u32::from(info.max_http_header_data), 4096) as usize,
        serv_buf_size: nonzero(info.pt_serv_buf_size, 4096) as usize,
        tls_max_conns: u32::try_from(info.simultaneous_ssl_restriction).unwrap_or(0),
        tls_max_handshakes: u32::try_from(info.simultaneous_ssl_handshake_restriction).unwrap_or(0),
    }
}

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
pub unsafe fn protocol_table(
    info: &lws_context_creation_info,
) -> Result<Vec<lws_protocols>, Error> {
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
pub unsafe fn pvo_names(pvo: *const lws_protocol_vhost_options, name: *const c_char) -> bool {
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
pub fn iface_addr(iface: &str) -> Result<IpAddr, Error> {
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
pub unsafe fn pvo_pairs(mut p: *const lws_protocol_vhost_options) -> Vec<(String, String)> {
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
pub unsafe fn mounts_of(mut m: *const lws_http_mount) -> Vec<Mount> {
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
                protocol: copy(node.protocol),
                mountpoint_len: usize::from(node.mountpoint_len),
                cache: CachePolicy {
                    max_age: u32::try_from(node.cache_max_age).unwrap_or(0),
                    reusable: node.cache_reusable(),
                    revalidate: node.cache_revalidate(),
                    intermediaries: node.cache_intermediaries(),
                },
                basic_auth_file: copy(node.basic_auth_login_file),
                auth_mode: node.auth_mask & 0xF000_0000,
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

/// What the vhost's accepted connections become: raw sockets bound to
/// `listen_accept_protocol` (else the protocol whose pvo has a "raw"
/// option, else protocols[0]) with `LWS_SERVER_OPTION_ONLY_RAW`, or HTTP
/// that falls back to that with `..._FALLBACK_TO_APPLY_LISTEN_ACCEPT_CONFIG`.
///
/// # Safety
/// `info` follows lws's contract.
unsafe fn accept_as(info: &lws_context_creation_info, protocols: &[ProtocolSpec]) -> AcceptAs {
    let only_raw = info.options & LWS_SERVER_OPTION_ONLY_RAW != 0;
    let fallback = info.options & LWS_SERVER_OPTION_FALLBACK_TO_APPLY_LISTEN_ACCEPT_CONFIG != 0;
    if !only_raw && !fallback {
        return AcceptAs::Http;
    }
    let by_name = |name: &str| protocols.iter().position(|p| p.name == name);
    // SAFETY: NULL or NUL-terminated.
    let named = unsafe { opt_string(info.listen_accept_protocol) };
    let mut protocol = named.as_deref().and_then(by_name);
    let mut p = info.pvo;
    while protocol.is_none() && !p.is_null() {
        // SAFETY: valid list nodes with NUL-terminated names (lws's contract).
        let node = unsafe { &*p };
        let mut o = node.options;
        while !o.is_null() {
            // SAFETY: as above.
            let opt = unsafe { &*o };
            // SAFETY: as above.
            if !opt.name.is_null() && unsafe { CStr::from_ptr(opt.name) }.to_bytes() == b"raw" {
                // SAFETY: as above.
                let pname = unsafe { opt_string(node.name) };
                protocol = protocol.or(pname.as_deref().and_then(by_name));
            }
            o = opt.next;
        }
        p = node.next;
    }
    let protocol = protocol.unwrap_or(0);
    if only_raw {
        AcceptAs::Raw { protocol }
    } else {
        AcceptAs::HttpOrRaw { protocol }
    }
}

/// The vhost `info` describes, and its copy of the protocol table (B3.1).
///
/// # Safety
/// `info` follows lws's contract.
pub unsafe fn vhost_config_of(
    info: &lws_context_creation_info,
) -> Result<(VhostConfig, Vec<lws_protocols>), Error> {
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
    let protocols: Vec<ProtocolSpec> = table
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
    // lws: plain text on a TLS port is looked at only with ALLOW_NON_SSL_ON_SSL_PORT,
    // then redirected (REDIRECT_HTTP_TO_HTTPS) or served (ALLOW_HTTP_ON_HTTPS_LISTENER);
    // with neither it is dropped ("did not send a valid tls hello").
    let has = |o: u64| info.options & o == o;
    let plain_on_tls = if !has(LWS_SERVER_OPTION_ALLOW_NON_SSL_ON_SSL_PORT) {
        PlainOnTls::Refuse
    } else if has(LWS_SERVER_OPTION_REDIRECT_HTTP_TO_HTTPS) {
        PlainOnTls::Redirect
    } else if has(LWS_SERVER_OPTION_ALLOW_HTTP_ON_HTTPS_LISTENER) {
        PlainOnTls::Serve
    } else {
        PlainOnTls::Refuse
    };
    // SAFETY: forwarded contract.
    let accept = unsafe { accept_as(info, &protocols) };
    let cfg = VhostConfig {
        accept,
        server_tls,
        client_tls,
        plain_on_tls,
        name,
        protocols,
        listen,
        skip_protocol_init: info.options & LWS_SERVER_OPTION_SKIP_PROTOCOL_INIT != 0,
        // SAFETY: NULL or a policy the caller keeps valid.
        validity: unsafe { info.retry_and_idle_policy.as_ref() }
            .and_then(validity_of)
            .unwrap_or_default(),
        keepalive_secs: u32::try_from(info.keepalive_timeout)
            .ok()
            .filter(|s| *s > 0)
            .unwrap_or(5),
        // SAFETY: NULL or a mount list the caller keeps valid (as lws does).
        mounts: unsafe { mounts_of(info.mounts) },
        headers: {
            // SAFETY: NULL or a valid pvo list.
            let mut h = unsafe { pvo_pairs(info.headers) };
            if info.options & LWS_SERVER_OPTION_HTTP_HEADERS_SECURITY_BEST_PRACTICES_ENFORCE != 0 {
                h.extend(
                    crate::http::SECURITY_BEST_PRACTICE_HEADERS
                        .iter()
                        .map(|(n, v)| ((*n).to_string(), (*v).to_string())),
                );
            }
            h
        },
        // SAFETY: NULL or NUL-terminated.
        server_string: unsafe { opt_string(info.server_string) },
        // SAFETY: NULL or NUL-terminated.
        error_document_404: unsafe { opt_string(info.error_document_404) },
        // SAFETY: NULL or an extension table the caller keeps valid.
        deflate: unsafe { super::extensions::deflate_of(info.extensions) },
    };
    Ok((cfg, table))
}
