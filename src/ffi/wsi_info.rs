//! Per-connection queries of lws-misc.h / lws-ws-state.h / lws-writeable.h /
//! lws-network-helper.h / lws-timeout-timer.h: the Close payload, the
//! RSV bits of the frame being received, tx credit (h2 only in lws: h1 and
//! ws connections have none), peer addresses of a socket, and telling the
//! validity clock that the connection is alive.

use std::ffi::{c_char, c_int, c_uchar, CStr};
use std::ptr;

use super::guard;
use super::handle::{self, WsiHandle};
use super::types::*;
use crate::core::{ConnId, Error};

/// # Safety
/// `wsi` is NULL or a wsi handed out by this library.
unsafe fn ws_conn<'a>(wsi: *mut lws) -> Result<(&'a WsiHandle, ConnId), Error> {
    // SAFETY: checked handle conversion.
    let w = unsafe { handle::wsi(wsi) }?;
    let id = w.conn_id()?;
    let is_ws = w
        .context()
        .runtime
        .with_core(|c| c.conn(id).is_some_and(|k| k.is_websocket()))?;
    if !is_ws {
        return Err(Error::Refused("not a WebSocket connection"));
    }
    Ok((w, id))
}

/// The length of the connection's Close payload: what `lws_close_reason`
/// set (2 status bytes and the reason), or on a client the peer's payload
/// once WS_PEER_INITIATED_CLOSE returned (kept to echo it); 0 before either.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_get_close_length(wsi: *mut lws) -> c_int {
    guard("lws_get_close_length", 0, || {
        // SAFETY: forwarded contract.
        let (w, _) = unsafe { ws_conn(wsi) }?;
        Ok(w.close_len.get() as c_int)
    })
}

/// The connection's Close payload (`lws_get_close_length` bytes: the
/// status in network order, then the reason), in a buffer of the connection.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_get_close_payload(wsi: *mut lws) -> *mut c_uchar {
    guard("lws_get_close_payload", ptr::null_mut(), || {
        // SAFETY: forwarded contract.
        let (w, _) = unsafe { ws_conn(wsi) }?;
        Ok(w.close_payload.get().cast())
    })
}

/// The RSV bits of the frame being received, in place (0x40 RSV1, set on
/// compressed messages with permessage-deflate; 0x20 RSV2; 0x10 RSV3).
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_get_reserved_bits(wsi: *mut lws) -> c_uchar {
    guard("lws_get_reserved_bits", 0, || {
        // SAFETY: forwarded contract.
        let (w, id) = unsafe { ws_conn(wsi) }?;
        w.context().runtime.with_core(|c| {
            c.conn(id)
                .and_then(|k| k.ws()?.rx())
                .map_or(0, |r| r.reserved_bits())
        })
    })
}

/// How much the peer lets us send: -1, "no flow control", on every
/// connection here (lws has tx credit only on h2 streams).
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_get_peer_write_allowance(wsi: *mut lws) -> lws_fileofs_t {
    guard("lws_get_peer_write_allowance", -1, || {
        // SAFETY: checked handle conversion.
        unsafe { handle::wsi(wsi) }?.conn_id()?;
        Ok(-1)
    })
}

/// Reads or adds to the tx credit of a connection's flow control: 0 on
/// every connection here, which has none (lws has it only on h2 streams).
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_wsi_tx_credit(
    wsi: *mut lws,
    _peer_to_us: c_char,
    _add: c_int,
) -> c_int {
    guard("lws_wsi_tx_credit", 0, || {
        // SAFETY: checked handle conversion.
        unsafe { handle::wsi(wsi) }?.conn_id()?;
        Ok(0)
    })
}

/// The application saw the connection alive: its validity clock restarts as
/// on a PONG, so the next ping is `secs_since_valid_ping` from now (B6.7).
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_validity_confirmed(wsi: *mut lws) {
    guard("lws_validity_confirmed", (), || {
        // SAFETY: checked handle conversion.
        let w = unsafe { handle::wsi(wsi) }?;
        let id = w.conn_id()?;
        w.context().runtime.with_core(|c| c.validity_confirmed(id))
    })
}

/// Copies `text` NUL-terminated into `out` (room `len`), truncating.
///
/// # Safety
/// `out` writable for `len` bytes when `len > 0`.
unsafe fn put(out: *mut c_char, len: c_int, text: &[u8]) {
    let Ok(room) = usize::try_from(len) else {
        return;
    };
    if room == 0 {
        return;
    }
    let n = text.len().min(room - 1);
    // SAFETY: `n < room`; the regions do not overlap.
    unsafe { ptr::copy_nonoverlapping(text.as_ptr(), out.cast::<u8>(), n) };
    // SAFETY: `n < room`: inside the caller's buffer.
    unsafe { out.wrapping_add(n).write(0) };
}

/// lws 4.3.3 (built without IPv6): the peer of socket `fd`, as the host
/// name getnameinfo() gives (`name`) and that name's IPv4 address
/// (`rip`). Both are "" when the peer is unknown or its name does not
/// resolve.
///
/// # Safety
/// `wsi` NULL or a wsi of this library; `name` / `rip` writable for their
/// lengths.
#[no_mangle]
pub unsafe extern "C" fn lws_get_peer_addresses(
    wsi: *mut lws,
    fd: lws_sockfd_type,
    name: *mut c_char,
    name_len: c_int,
    rip: *mut c_char,
    rip_len: c_int,
) {
    guard("lws_get_peer_addresses", (), || {
        if !wsi.is_null() {
            // SAFETY: checked handle conversion.
            unsafe { handle::wsi(wsi) }?;
        }
        if name.is_null() || rip.is_null() || name_len < 1 || rip_len < 1 {
            return Err(super::null("name or rip is NULL or has no room"));
        }
        // SAFETY: writable for at least one byte each.
        unsafe { put(name, name_len, b"") };
        // SAFETY: as above.
        unsafe { put(rip, rip_len, b"") };
        // SAFETY: plain C struct; all-zero is valid.
        let mut sa: libc::sockaddr_in = unsafe { std::mem::zeroed() };
        let mut sl = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
        // SAFETY: `sa` is writable for `sl` bytes.
        if unsafe { libc::getpeername(fd, (&raw mut sa).cast(), &mut sl) } < 0 {
            return Err(Error::Refused("getpeername failed"));
        }
        let mut host = [0 as c_char; 256];
        let room = (name_len as usize).min(host.len()) as libc::socklen_t;
        // SAFETY: `sa` holds the peer address; `host` is writable for `room`.
        let r = unsafe {
            libc::getnameinfo(
                (&raw const sa).cast(),
                std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t,
                host.as_mut_ptr(),
                room,
                ptr::null_mut(),
                0,
                0,
            )
        };
        if r != 0 {
            return Ok(());
        }
        // SAFETY: getnameinfo wrote a NUL-terminated name.
        let hname = unsafe { CStr::from_ptr(host.as_ptr()) };
        // SAFETY: `name` writable for `name_len`.
        unsafe { put(name, name_len, hname.to_bytes()) };
        let Ok(text) = hname.to_str() else {
            return Ok(());
        };
        let v4 = std::net::ToSocketAddrs::to_socket_addrs(&(text, 0))
            .ok()
            .and_then(|mut it| it.find(|a| a.is_ipv4()));
        if let Some(a) = v4 {
            // SAFETY: `rip` writable for `rip_len`.
            unsafe { put(rip, rip_len, a.ip().to_string().as_bytes()) };
        }
        Ok(())
    })
}
