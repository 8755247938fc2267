//! Small lws helpers applications use around connections: tags, retry with a
//! wsi's policy, basic-auth headers, numeric addresses, per-vhost broadcasts.

use std::ffi::{c_char, c_int, c_void};
use std::ptr;

use super::callout;
use super::guard;
use super::handle;
use super::types::*;
use crate::core::Error;

/// lws's tag for a NULL wsi, also what a refused handle gets (it is printed).
const NULL_TAG: &std::ffi::CStr = c"[null wsi]";

/// lws's lifecycle tag of the wsi ("[wsicli|3|GET/h1/default/example.com]"): valid while the
/// wsi lives; "[null wsi]" for NULL, as lws.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_wsi_tag(wsi: *mut lws) -> *const c_char {
    guard("lws_wsi_tag", NULL_TAG.as_ptr(), || {
        if wsi.is_null() {
            return Ok(NULL_TAG.as_ptr());
        }
        // SAFETY: checked handle conversion.
        Ok(unsafe { handle::wsi(wsi) }?.tag.as_ptr())
    })
}

/// The wsi that owns the network connection: the wsi itself (no HTTP/2 streams).
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_get_network_wsi(wsi: *mut lws) -> *mut lws {
    guard("lws_get_network_wsi", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        Ok(unsafe { handle::wsi(wsi) }?.as_c())
    })
}

/// `lws_retry_sul_schedule` with the wsi's context and retry policy (the one
/// given in its connect info, else the default table).
///
/// # Safety
/// As `lws_retry_sul_schedule`.
#[no_mangle]
pub unsafe extern "C" fn lws_retry_sul_schedule_retry_wsi(
    wsi: *mut lws,
    sul: *mut lws_sorted_usec_list_t,
    cb: sul_cb_t,
    ctry: *mut u16,
) -> c_int {
    guard("lws_retry_sul_schedule_retry_wsi", 1, || {
        // SAFETY: checked handle conversion.
        let w = unsafe { handle::wsi(wsi) }?;
        // SAFETY: forwarded contract.
        Ok(unsafe {
            super::timeout::lws_retry_sul_schedule(
                w.context().as_c(),
                0,
                sul,
                w.retry_policy.get(),
                cb,
                ctry,
            )
        })
    })
}

/// Standard base64 (RFC 4648) with padding.
fn base64(input: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(T[((n >> shift) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Writes "Basic base64(user:pw)" into `buf` (NUL-terminated): 0, or 1 when
/// it does not fit.
///
/// # Safety
/// `user`, `pw` NUL-terminated; `buf` has room for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_http_basic_auth_gen(
    user: *const c_char,
    pw: *const c_char,
    buf: *mut c_char,
    len: usize,
) -> c_int {
    guard("lws_http_basic_auth_gen", 1, || {
        // SAFETY: each is NULL or NUL-terminated by contract.
        let copy = |s| unsafe { super::context::opt_string(s) };
        let (Some(u), Some(p)) = (copy(user), copy(pw)) else {
            return Err(super::null("user or pw is NULL"));
        };
        let text = format!("Basic {}", base64(format!("{u}:{p}").as_bytes()));
        if buf.is_null() || text.len() + 1 > len {
            return Ok(1);
        }
        // SAFETY: text.len() + 1 <= len bytes fit in `buf`.
        unsafe { ptr::copy_nonoverlapping(text.as_ptr().cast::<c_char>(), buf, text.len()) };
        // SAFETY: as above.
        unsafe { *buf.wrapping_add(text.len()) = 0 };
        Ok(0)
    })
}

/// Writes the numeric form of an address ("127.0.0.1", else lws's "(unset)",
/// "(unix skt)", "(ipv6 unsupp)") into `buf`; returns its length, or -1.
///
/// # Safety
/// `sa46` is a valid address; `buf` has room for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_sa46_write_numeric_address(
    sa46: *mut lws_sockaddr46,
    buf: *mut c_char,
    len: usize,
) -> c_int {
    guard("lws_sa46_write_numeric_address", -1, || {
        if sa46.is_null() || buf.is_null() {
            return Err(super::null("sa46 or buf is NULL"));
        }
        // SAFETY: a valid address by contract.
        let addr = unsafe { super::netaddr::sa46(sa46) };
        // SAFETY: lws empties `buf` first, whatever follows.
        unsafe { *buf = 0 };
        // SAFETY: `len` writable bytes by contract.
        let out = unsafe { super::text::bytes_mut(buf.cast::<u8>(), len) };
        Ok(crate::text::addr::sa46_text(&addr, out))
    })
}

/// Calls every protocol of `vh` with `reason`, `in` and `len` (stand-in wsi,
/// NULL user), now. Returns 0.
///
/// # Safety
/// `vh` is a live vhost; `in` is what the reason means to the callbacks.
#[no_mangle]
pub unsafe extern "C" fn lws_callback_vhost_protocols_vhost(
    vh: *mut lws_vhost,
    reason: c_int,
    in_: *mut c_void,
    len: usize,
) -> c_int {
    guard("lws_callback_vhost_protocols_vhost", -1, || {
        // SAFETY: checked handle conversion.
        let vh = unsafe { handle::vhost(vh) }?;
        let reason = lws_callback_reasons::try_from(reason)
            .map_err(|_| Error::Refused("negative reason"))?;
        let rt = &vh.context().runtime;
        for (p, w) in vh.protocols.iter().zip(vh.stand_ins.iter()) {
            if let Some(cb) = p.callback {
                // SAFETY: the protocol's callback with its stand-in wsi; a
                // destroy it asks for is deferred until the walk is over.
                unsafe {
                    callout::protocol_callback(rt, cb, w.as_c(), reason, ptr::null_mut(), in_, len)
                };
            }
        }
        Ok(0)
    })
}

/// Whether the TLS session of this connection was resumed.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_tls_session_is_reused(wsi: *mut lws) -> c_int {
    guard("lws_tls_session_is_reused", 0, || {
        // SAFETY: checked handle conversion.
        let w = unsafe { handle::wsi(wsi) }?;
        let id = w.conn_id()?;
        let reused = w.context().runtime.with_core(|c| {
            c.conn(id)
                .and_then(|k| k.tls())
                .and_then(|t| t.connection())
                .and_then(|k| k.handshake_kind())
                .is_some_and(|k| k == rustls::HandshakeKind::Resumed)
        })?;
        Ok(c_int::from(reused))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_rfc_4648_vectors() {
        let cases: [(&[u8], &str); 4] = [
            (b"", ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foobar", "Zm9vYmFy"),
        ];
        for (i, o) in cases {
            assert_eq!(super::base64(i), o);
        }
        assert_eq!(
            super::base64(b"Aladdin:open sesame"),
            "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
    }
}
