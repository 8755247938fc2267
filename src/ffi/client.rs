//! lws-client.h: `lws_client_connect_via_info` (spec B4.1, B4.2), and the
//! client's HTTP proxy (`lws_set_proxy`) and moves (`lws_client_reset`).
//!
//! Copy-or-keep (B2.7): address, path, host, origin, protocol, iface and the
//! local protocol name are copied now; `userdata`, `opaque_user_data`, `vhost`
//! and `pwsi` are kept by reference. The call never runs a callback of the new
//! connection before it returns: every failure after the wsi exists arrives as
//! CLIENT_CONNECTION_ERROR from the service loop (B10 #2275).

use std::ffi::{c_char, c_int};
use std::ptr;

use super::callout::CHost;
use super::context::{opt_string, validity_of};
use super::guard;
use super::handle;
use super::types::*;
use crate::core::client::ResetTarget;
use crate::core::conn::ClientSpec;
use crate::core::{Error, Role, VhostId};

/// Starts a client connection and returns its wsi at once (also stored in
/// `*i->pwsi`). NULL only for bad arguments.
///
/// # Safety
/// `ccinfo` is NULL or a valid connect info whose strings are NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn lws_client_connect_via_info(
    ccinfo: *const lws_client_connect_info,
) -> *mut lws {
    guard("lws_client_connect_via_info", ptr::null_mut(), || {
        if ccinfo.is_null() {
            return Err(super::null("info is NULL"));
        }
        // SAFETY: non-NULL connect info by contract.
        let i = unsafe { &*ccinfo };
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(i.context) }?;
        if cx.runtime.is_destroy_requested() {
            return Err(Error::Refused("context is being destroyed"));
        }
        // SAFETY: each string is NULL or NUL-terminated (lws's contract); copied now.
        let copy = |p| unsafe { opt_string(p) };
        let (address, path, host, origin, protocol, local, iface, method) = (
            copy(i.address),
            copy(i.path),
            copy(i.host),
            copy(i.origin),
            copy(i.protocol),
            copy(i.local_protocol_name),
            copy(i.iface),
            copy(i.method),
        );
        let address = address.ok_or(Error::Refused("address is NULL"))?;
        let port = u16::try_from(i.port).map_err(|_| Error::Refused("port out of range"))?;
        const METHODS: [&str; 8] = [
            "GET", "POST", "OPTIONS", "HEAD", "PUT", "PATCH", "DELETE", "CONNECT",
        ];
        // `method = "RAW"`: a raw socket once connected.
        let raw = method.as_deref() == Some("RAW");
        let method = method.filter(|_| !raw);
        if let Some(m) = &method {
            if !METHODS.contains(&m.as_str()) {
                return Err(Error::Config(format!(
                    "method {m:?} is not an HTTP method lws knows"
                )));
            }
        }
        if !matches!(i.ietf_version_or_minus_one, -1 | 0 | 13) {
            return Err(Error::Config("only WebSocket version 13 exists".into()));
        }
        let vhost = if i.vhost.is_null() {
            None
        } else {
            // SAFETY: checked handle conversion.
            Some(unsafe { handle::vhost(i.vhost) }?.id)
        };
        let parent = if i.parent_wsi.is_null() {
            None
        } else {
            // SAFETY: checked handle conversion.
            let p = unsafe { handle::wsi(i.parent_wsi) }?;
            Some(
                p.conn
                    .ok_or(Error::Refused("parent_wsi is not a connection"))?,
            )
        };
        let tls = i.ssl_connection & LCCSCF_USE_SSL as i32 != 0;
        let path = match path {
            None => "/".to_string(),
            Some(p) if p.starts_with('/') => p,
            Some(p) => format!("/{p}"),
        };
        let origin = origin.map(|o| {
            if cx.options & LWS_SERVER_OPTION_JUST_USE_RAW_ORIGIN != 0 {
                o
            } else {
                format!("{}://{o}", if tls { "https" } else { "http" })
            }
        });
        let spec = ClientSpec {
            host: host.unwrap_or_else(|| address.clone()),
            address,
            port,
            path,
            origin,
            protocol,
            local_protocol_name: local,
            vhost,
            iface,
            method,
            pipeline: i.ssl_connection & LCCSCF_PIPELINE as i32 != 0,
            follow_redirects: i.ssl_connection & LCCSCF_HTTP_NO_FOLLOW_REDIRECT as i32 == 0,
            allow_tls_downgrade: i.ssl_connection & LCCSCF_ACCEPT_TLS_DOWNGRADE_REDIRECTS as i32
                != 0,
            redirects: 0,
            redirected_to_get: false,
            conmon: i.ssl_connection & LCCSCF_CONMON as i32 != 0,
            raw,
            parent,
            form: if i.ssl_connection & LCCSCF_HTTP_MULTIPART_MIME as i32 != 0 {
                Some(crate::core::conn::FormKind::multipart())
            } else if i.ssl_connection & LCCSCF_HTTP_X_WWW_FORM_URLENCODED as i32 != 0 {
                Some(crate::core::conn::FormKind::UrlEncoded)
            } else {
                None
            },
            tls: tls.then(|| {
                // SAFETY: NULL or NUL-terminated.
                let alpn = unsafe { opt_string(i.alpn) }
                    .map(|a| crate::tls::config::parse_alpn_list(&a))
                    .map(crate::tls::config::without_h2)
                    .filter(|l| !l.is_empty())
                    .unwrap_or_else(|| vec![b"http/1.1".to_vec()]);
                (
                    crate::tls::verify::VerifyFlags::from_lccscf(i.ssl_connection as u32),
                    alpn,
                )
            }),
            // SAFETY: NULL or a policy the caller keeps valid (lws keeps it by
            // reference too).
            validity: unsafe { i.retry_and_idle_policy.as_ref() }.and_then(validity_of),
        };
        let host = CHost { ctx: cx };
        // A connect made before the first service still sees every protocol
        // initialised first (B1.T3).
        if !cx.runtime.protocols_initialised() && !cx.runtime.in_callout() {
            cx.runtime.init_protocols(&host);
        }
        let from_state_driver = cx.runtime.driving_state();
        let id = cx
            .runtime
            .with_core(|c| c.request_client(spec, from_state_driver))??;
        let (vh, protocol) = cx.runtime.with_core(|c| {
            c.conn(id)
                .map_or((VhostId(0), 0), |k| (k.vhost(), k.protocol()))
        })?;
        let vh = cx.vhost_handle(vh).map_or(ptr::null(), |v| v as *const _);
        let w = cx
            .wsi_for(id, vh, protocol, Role::Client)
            .ok_or(Error::Refused("connection ended during the connect call"))?;
        if !i.userdata.is_null() {
            w.user.set(i.userdata);
        }
        w.opaque.set(i.opaque_user_data);
        w.retry_policy.set(i.retry_and_idle_policy);
        if !i.pwsi.is_null() {
            // SAFETY: the caller's slot for the new wsi.
            unsafe { *i.pwsi = w.as_c() };
        }
        Ok(w.as_c())
    })
}

/// `lws_client_reset` (lws exports it without declaring it in its headers):
/// moves a client connection to a new destination on the same wsi, as a
/// redirect does. From inside a callback the move happens once the callback
/// returned (whatever it returned: a close asked for then is the move, as in
/// lws's redirect flow); otherwise at once. Returns `*pwsi`, or NULL when the
/// connection cannot move (not a client, closing, four moves already).
///
/// # Safety
/// `pwsi` is NULL or points at a wsi handed out by this library; the strings
/// are NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn lws_client_reset(
    pwsi: *mut *mut lws,
    ssl: c_int,
    address: *const c_char,
    port: c_int,
    path: *const c_char,
    host: *const c_char,
    weak: c_char,
) -> *mut lws {
    guard("lws_client_reset", ptr::null_mut(), || {
        if pwsi.is_null() {
            return Err(super::null("pwsi is NULL"));
        }
        // SAFETY: non-NULL slot by contract.
        let wsi = unsafe { *pwsi };
        // SAFETY: checked handle conversion.
        let w = unsafe { handle::wsi(wsi) }?;
        let id = w.conn_id()?;
        // SAFETY: NULL or NUL-terminated (lws's contract); copied now.
        let copy = |p| unsafe { opt_string(p) };
        let address = copy(address).ok_or(Error::Refused("address is NULL"))?;
        let path = copy(path).ok_or(Error::Refused("path is NULL"))?;
        let host = copy(host).unwrap_or_else(|| address.clone());
        let port = u16::try_from(port).map_err(|_| Error::Refused("port out of range"))?;
        // `weak` keeps lws's ws struct across the move; ours has none to keep.
        let _ = weak;
        let to = ResetTarget {
            tls: ssl != 0,
            address,
            port,
            path,
            host,
        };
        let cx = w.context();
        let deferred = cx.runtime.in_callout();
        cx.runtime.with_core_pumped(&CHost { ctx: cx }, |c| {
            let spec = c.client_reset(id, to).map_err(Error::Refused)?;
            if deferred {
                c.reset_after_callback(id, spec);
            } else {
                c.restart_client(id, spec);
            }
            Ok::<(), Error>(())
        })??;
        Ok(wsi)
    })
}

/// `lws_set_proxy`: the HTTP proxy of the vhost's later client connections
/// (`[http://][user:pass@]host[:port]`, `[v6]:port`; a string without a
/// port keeps `info.http_proxy_port`). 0, or -1 for NULL or a string lws
/// refuses (logged).
///
/// # Safety
/// `vhost` is a vhost of this library; `proxy` NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn lws_set_proxy(vhost: *mut lws_vhost, proxy: *const c_char) -> c_int {
    guard("lws_set_proxy", -1, || {
        // SAFETY: checked handle conversion.
        let vh = unsafe { handle::vhost(vhost) }?;
        // SAFETY: NULL or NUL-terminated (lws's contract).
        let text = unsafe { opt_string(proxy) }.ok_or(Error::Refused("proxy is NULL"))?;
        let id = vh.id;
        vh.context()
            .runtime
            .with_core(|c| c.set_proxy(id, &text, None))?
            .map_err(Error::Refused)?;
        Ok(0)
    })
}
