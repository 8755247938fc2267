//! The HTTP/2 entry points of lws-http.h. This library speaks HTTP/1.1 only (ALPN
//! never selects h2), so every connection is what lws calls an h1 connection and
//! these answer as lws 4.3.3 does for one.

use std::ffi::{c_int, c_uint};

use super::guard;
use super::handle;
use super::types::*;

/// Long-poll mode for an h2 client stream: 1 (refused) on a connection that is not
/// an h2 stream, which every connection here is.
///
/// # Safety
/// `wsi` is a wsi of this library.
#[no_mangle]
pub unsafe extern "C" fn lws_h2_client_stream_long_poll_rxonly(wsi: *mut lws) -> c_int {
    guard("lws_h2_client_stream_long_poll_rxonly", 1, || {
        // SAFETY: checked handle conversion.
        unsafe { handle::wsi(wsi) }?;
        Ok(1)
    })
}

/// lws's estimate of the peer's tx credit on this connection: what
/// `lws_h2_update_peer_txcredit` added (0 unless it was called).
///
/// # Safety
/// `wsi` is a wsi of this library.
#[no_mangle]
pub unsafe extern "C" fn lws_h2_get_peer_txcredit_estimate(wsi: *mut lws) -> c_int {
    guard("lws_h2_get_peer_txcredit_estimate", 0, || {
        // SAFETY: checked handle conversion.
        let w = unsafe { handle::wsi(wsi) }?;
        Ok(w.peer_tx_credit.get())
    })
}

/// Adds `bump` to the peer's estimated tx credit, for the stream and for the
/// network connection as lws does; on an h1 connection those are the same wsi, so
/// the estimate grows by twice `bump`, and no WINDOW_UPDATE is ever sent. 0 (lws's
/// value), also for a zero bump; `sid` is not used without streams.
///
/// # Safety
/// `wsi` is a wsi of this library.
#[no_mangle]
pub unsafe extern "C" fn lws_h2_update_peer_txcredit(
    wsi: *mut lws,
    _sid: c_uint,
    bump: c_int,
) -> c_int {
    guard("lws_h2_update_peer_txcredit", 1, || {
        // SAFETY: checked handle conversion.
        let w = unsafe { handle::wsi(wsi) }?;
        let c = w.peer_tx_credit.get();
        w.peer_tx_credit
            .set(c.wrapping_add(bump).wrapping_add(bump));
        Ok(0)
    })
}
