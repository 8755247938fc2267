//! lws-write.h and lws-writeable.h, plus the per-connection controls of
//! lws-misc.h / lws-timeout-timer.h that act on a wsi (spec B5.5, B6).

use std::ffi::{c_int, c_uchar, c_void};
use std::ptr;

use super::callout::CHost;
use super::guard;
use super::handle::{self, ContextHandle, VhostHandle, WsiHandle};
use super::types::*;
use crate::core::conn_requests::WriteKind;
use crate::core::{ConnId, Error};
use crate::ws::tx::Opcode;

/// # Safety
/// `wsi` is NULL or a wsi handed out by this library.
unsafe fn conn<'a>(wsi: *mut lws) -> Result<(&'a WsiHandle, ConnId), Error> {
    // SAFETY: checked handle conversion.
    let w = unsafe { handle::wsi(wsi) }?;
    let id = w.conn_id()?;
    Ok((w, id))
}

/// What `lws_write`'s protocol argument asks for on a non-raw connection.
enum Framing {
    Ws(WriteKind),
    /// HTTP body or header bytes, sent as they are.
    Http,
    Unknown,
}

/// Sends one WebSocket frame from `buf`, which must have LWS_PRE writable
/// bytes before it, as in lws: the frame header is written there and the
/// frame leaves from the caller's buffer without a copy when the socket takes
/// it whole (a client's payload is masked in place, as lws does). Returns `len` when all of it was accepted
/// (what the socket cannot take now is sent later, and the next WRITEABLE
/// waits for that), or -1 when the connection is not writable: return -1 then.
///
/// # Safety
/// `buf` points at `len` readable bytes (or is NULL with `len` 0).
#[no_mangle]
pub unsafe extern "C" fn lws_write(
    wsi: *mut lws,
    buf: *mut c_uchar,
    len: usize,
    protocol: lws_write_protocol,
) -> c_int {
    guard("lws_write", -1, || {
        // SAFETY: checked handle conversion.
        let (w, id) = unsafe { conn(wsi) }?;
        if buf.is_null() && len > 0 {
            return Err(super::null("buf is NULL"));
        }
        let fin = protocol & LWS_WRITE_NO_FIN == 0;
        let ws = |op| Framing::Ws(WriteKind::Ws { op, fin });
        let framing = match protocol & 0x0f {
            LWS_WRITE_TEXT => ws(Opcode::Text),
            LWS_WRITE_BINARY => ws(Opcode::Binary),
            LWS_WRITE_CONTINUATION => ws(Opcode::Continuation),
            LWS_WRITE_PING => ws(Opcode::Ping),
            LWS_WRITE_PONG => ws(Opcode::Pong),
            LWS_WRITE_HTTP
            | LWS_WRITE_HTTP_FINAL
            | LWS_WRITE_HTTP_HEADERS
            | LWS_WRITE_HTTP_HEADERS_CONTINUATION => Framing::Http,
            _ => Framing::Unknown,
        };
        let plain = || -> &[u8] {
            if len == 0 {
                &[]
            } else {
                // SAFETY: `len` readable bytes by contract (not NULL: checked).
                unsafe { std::slice::from_raw_parts(buf, len) }
            }
        };
        // One lock for the whole write.
        let n = w.context().runtime.with_core(|c| {
            // A raw socket takes the bytes as they are, whatever the protocol
            // argument says (lws's raw role has no framing).
            if c.is_raw(id) {
                return c.write_raw(id, plain());
            }
            match framing {
                Framing::Http => c.write_http(id, plain()),
                Framing::Unknown => Err(Error::Refused("unknown write protocol")),
                Framing::Ws(kind) if buf.is_null() => c.write_in_place(id, &mut [], 0, kind),
                Framing::Ws(kind) => {
                    // SAFETY: lws's contract for WebSocket writes: `buf` has
                    // LWS_PRE writable bytes before it (lws itself writes the
                    // frame header there), so the start of the headroom is in
                    // the same allocation.
                    let start = unsafe { buf.sub(LWS_PRE) };
                    // SAFETY: LWS_PRE bytes of headroom and `len` writable bytes
                    // from `buf`, by the same contract; nothing else uses them
                    // during the call.
                    let whole = unsafe { std::slice::from_raw_parts_mut(start, LWS_PRE + len) };
                    c.write_in_place(id, whole, LWS_PRE, kind)
                }
            }
        })??;
        Ok(c_int::try_from(n).unwrap_or(c_int::MAX))
    })
}

/// Asks for one WRITEABLE callback when the connection can take data: 1 armed,
/// 0 when the wsi is closing, -1 on error. Requests do not accumulate.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_callback_on_writable(wsi: *mut lws) -> c_int {
    guard("lws_callback_on_writable", -1, || {
        // SAFETY: checked handle conversion.
        let (w, id) = unsafe { conn(wsi) }?;
        w.context().runtime.with_core(|c| c.request_writable(id))?
    })
}

/// Arms WRITEABLE on every connection of `vh` bound to `prot` (its copy in the
/// vhost's table, or any protocol of the same name: B3.T2 MAY improve).
fn writable_all(
    cx: &ContextHandle,
    vh: &VhostHandle,
    prot: *const lws_protocols,
) -> Result<c_int, Error> {
    let Some(index) = vh.protocol_index(prot) else {
        return Ok(0);
    };
    cx.runtime.with_core(|c| {
        for id in c.conn_ids() {
            let bound = c.conn(id).is_some_and(|k| {
                k.vhost() == vh.id
                    && k.protocol() == index
                    && k.phase() == crate::core::conn::PhaseKind::Open
            });
            if bound {
                let _ = c.request_writable(id);
            }
        }
    })?;
    Ok(0)
}

/// # Safety
/// `vhost` is a live vhost; `protocol` a protocol pointer.
#[no_mangle]
pub unsafe extern "C" fn lws_callback_on_writable_all_protocol_vhost(
    vhost: *const lws_vhost,
    protocol: *const lws_protocols,
) -> c_int {
    guard("lws_callback_on_writable_all_protocol_vhost", -1, || {
        // SAFETY: checked handle conversion.
        let vh = unsafe { handle::vhost(vhost) }?;
        let cx = vh.context();
        writable_all(cx, vh, protocol)
    })
}

/// # Safety
/// `context` is a live context; `protocol` a protocol pointer.
#[no_mangle]
pub unsafe extern "C" fn lws_callback_on_writable_all_protocol(
    context: *const lws_context,
    protocol: *const lws_protocols,
) -> c_int {
    guard("lws_callback_on_writable_all_protocol", -1, || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(context) }?;
        for i in 0..cx.vhost_count() {
            if let Some(vh) = cx.vhost_handle(crate::core::VhostId(i)) {
                writable_all(cx, vh, protocol)?;
            }
        }
        Ok(0)
    })
}

/// Pauses (0) or resumes (1) delivery of received data; the bitmap form with
/// `LWS_RXFLOW_REASON_APPLIES` combines independent reasons (B6.3).
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_rx_flow_control(wsi: *mut lws, enable: c_int) -> c_int {
    guard("lws_rx_flow_control", -1, || {
        const APPLIES: c_int = 1 << 14;
        const ENABLE_BIT: c_int = 1 << 13;
        const USER_BOOL: c_int = 1;
        // SAFETY: checked handle conversion.
        let (w, id) = unsafe { conn(wsi) }?;
        let en = if enable & APPLIES == 0 {
            APPLIES | USER_BOOL | if enable & 1 != 0 { ENABLE_BIT } else { 0 }
        } else {
            enable
        };
        let host = CHost { ctx: w.context() };
        w.context().runtime.with_core_pumped(&host, |c| {
            c.rx_flow(id, en & ENABLE_BIT != 0, (en & 0xff) as u8)
        })??;
        Ok(0)
    })
}

fn rx_info(wsi: *mut lws) -> Result<super::handle::RxInfo, Error> {
    // SAFETY: checked handle conversion.
    Ok(unsafe { handle::wsi(wsi) }?.rx.get())
}

/// Whether the current RECEIVE chunk ends its message.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_is_final_fragment(wsi: *mut lws) -> c_int {
    guard("lws_is_final_fragment", 0, || {
        Ok(c_int::from(rx_info(wsi)?.last))
    })
}

/// Whether the current RECEIVE chunk starts its message.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_is_first_fragment(wsi: *mut lws) -> c_int {
    guard("lws_is_first_fragment", 0, || {
        Ok(c_int::from(rx_info(wsi)?.first))
    })
}

/// Whether the current message is binary.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_frame_is_binary(wsi: *mut lws) -> c_int {
    guard("lws_frame_is_binary", 0, || {
        Ok(c_int::from(rx_info(wsi)?.binary))
    })
}

/// Bytes still to come in the current frame.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_remaining_packet_payload(wsi: *mut lws) -> usize {
    guard("lws_remaining_packet_payload", 0, || {
        Ok(usize::try_from(rx_info(wsi)?.remaining).unwrap_or(usize::MAX))
    })
}

/// Records the close code and up to 123 bytes of reason for when the
/// connection closes; closes nothing by itself (B6.4).
///
/// # Safety
/// `buf` points at `len` readable bytes (or is NULL).
#[no_mangle]
pub unsafe extern "C" fn lws_close_reason(
    wsi: *mut lws,
    status: lws_close_status,
    buf: *mut c_uchar,
    len: usize,
) {
    guard("lws_close_reason", (), || {
        // SAFETY: checked handle conversion.
        let (w, id) = unsafe { conn(wsi) }?;
        let code =
            u16::try_from(status).map_err(|_| Error::Refused("close status out of range"))?;
        let reason: &[u8] = if buf.is_null() || len == 0 {
            &[]
        } else {
            // SAFETY: `len` readable bytes by contract.
            unsafe { std::slice::from_raw_parts(buf, len.min(123)) }
        };
        w.context()
            .runtime
            .with_core(|c| c.set_close_reason(id, code, reason))??;
        let mut payload = code.to_be_bytes().to_vec();
        payload.extend_from_slice(reason);
        w.set_close_payload(&payload);
        Ok(())
    })
}

/// Closes the wsi `secs` seconds from now unless re-armed; 0 cancels;
/// `LWS_TO_KILL_ASYNC` / `LWS_TO_KILL_SYNC` close it in this service pass.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_set_timeout(wsi: *mut lws, reason: pending_timeout, secs: c_int) {
    guard("lws_set_timeout", (), || {
        let _ = reason;
        // SAFETY: checked handle conversion.
        let (w, id) = unsafe { conn(wsi) }?;
        w.context().runtime.with_core(|c| c.set_timeout(id, secs))?
    })
}

/// One LWS_CALLBACK_TIMER on this wsi `usecs` from now
/// (`LWS_SET_TIMER_USEC_CANCEL` cancels).
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_set_timer_usecs(wsi: *mut lws, usecs: lws_usec_t) {
    guard("lws_set_timer_usecs", (), || {
        // SAFETY: checked handle conversion.
        let (w, id) = unsafe { conn(wsi) }?;
        w.context().runtime.with_core(|c| c.set_timer(id, usecs))?
    })
}

/// The wsi's per-session data.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_wsi_user(wsi: *mut lws) -> *mut c_void {
    guard("lws_wsi_user", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        Ok(unsafe { handle::wsi(wsi) }?.user.get())
    })
}

/// Replaces the wsi's per-session data pointer (the library then frees
/// nothing for it).
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_set_wsi_user(wsi: *mut lws, user: *mut c_void) {
    guard("lws_set_wsi_user", (), || {
        // SAFETY: checked handle conversion.
        let w = unsafe { handle::wsi(wsi) }?;
        if w.user_owned.replace(false) {
            // SAFETY: owned data came from libc::calloc; freed once, here.
            unsafe { libc::free(w.user.get()) };
        }
        w.user.set(user);
        Ok(())
    })
}

/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_get_opaque_user_data(wsi: *const lws) -> *mut c_void {
    guard("lws_get_opaque_user_data", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        Ok(unsafe { handle::wsi(wsi) }?.opaque.get())
    })
}

/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_set_opaque_user_data(wsi: *mut lws, data: *mut c_void) {
    guard("lws_set_opaque_user_data", (), || {
        // SAFETY: checked handle conversion.
        unsafe { handle::wsi(wsi) }?.opaque.set(data);
        Ok(())
    })
}

/// Whether output is still queued on the wsi.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_partial_buffered(wsi: *mut lws) -> c_int {
    guard("lws_partial_buffered", 0, || {
        // SAFETY: checked handle conversion.
        let (w, id) = unsafe { conn(wsi) }?;
        Ok(c_int::from(w.context().runtime.with_core(|c| {
            c.conn(id).is_some_and(|k| k.has_unsent())
        })?))
    })
}

/// Whether the socket cannot take more now (a write would be queued).
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_send_pipe_choked(wsi: *mut lws) -> c_int {
    guard("lws_send_pipe_choked", 1, || {
        // SAFETY: checked handle conversion.
        let (w, id) = unsafe { conn(wsi) }?;
        Ok(c_int::from(w.context().runtime.with_core(|c| {
            c.conn(id)
                .is_none_or(|k| k.has_unsent() || !k.is_writable())
        })?))
    })
}

/// The socket descriptor of the wsi, or -1.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_get_socket_fd(wsi: *mut lws) -> lws_sockfd_type {
    guard("lws_get_socket_fd", -1, || {
        // SAFETY: checked handle conversion.
        let w = unsafe { handle::wsi(wsi) }?;
        // A listener's or the cancel pipe's wsi, or a connection whose socket
        // is being announced deleted (its close follows).
        let Some(id) = w.conn else {
            return Ok(w.socket.get());
        };
        w.context()
            .runtime
            .with_core(|c| c.conn(id).and_then(|k| k.fd()).unwrap_or(w.socket.get()))
    })
}

/// Lifts the application's rx flow control (`lws_rx_flow_control(wsi, 1)`)
/// on every connection bound to `protocol` (that very table entry, as lws
/// compares it) on any vhost.
///
/// # Safety
/// `context` is a live context; `protocol` a protocol pointer or NULL.
#[no_mangle]
pub unsafe extern "C" fn lws_rx_flow_allow_all_protocol(
    context: *const lws_context,
    protocol: *const lws_protocols,
) {
    guard("lws_rx_flow_allow_all_protocol", (), || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(context) }?;
        let bound: Vec<(crate::core::VhostId, usize)> = (0..cx.vhost_count())
            .filter_map(|i| {
                let vh = cx.vhost_handle(crate::core::VhostId(i))?;
                let p = vh.protocols.iter().position(|p| ptr::eq(p, protocol))?;
                Some((vh.id, p))
            })
            .collect();
        if bound.is_empty() {
            return Ok(());
        }
        cx.runtime.with_core_pumped(&CHost { ctx: cx }, |c| {
            for id in c.conn_ids() {
                let hit = c
                    .conn(id)
                    .is_some_and(|k| bound.contains(&(k.vhost(), k.protocol())));
                if hit {
                    let _ = c.rx_flow(id, true, 1);
                }
            }
        })?;
        Ok(())
    })
}
