//! Long-lived HTTP responses (lws-http.h): `lws_http_mark_sse` turns the current
//! transaction into a server-sent-events stream, `lws_http_headers_detach` frees
//! the request headers of a transaction that no longer needs them.

use std::ffi::c_int;

use super::guard;
use super::handle;
use super::types::*;

/// Drops the request headers of `wsi`'s transaction: `lws_hdr_*` find nothing
/// afterwards. 0 (also when they were gone already), as lws.
///
/// # Safety
/// `wsi` is a wsi of this library.
#[no_mangle]
pub unsafe extern "C" fn lws_http_headers_detach(wsi: *mut lws) -> c_int {
    guard("lws_http_headers_detach", 0, || {
        // SAFETY: checked handle conversion.
        let w = unsafe { handle::wsi(wsi) }?;
        let id = w.conn_id()?;
        w.context()
            .runtime
            .with_core(|c| c.http_headers_detach(id))?;
        Ok(0)
    })
}

/// Marks the transaction as a server-sent-events stream: its request headers
/// are detached and its pending timeout cancelled ("immortal"), so it lives
/// until either side closes; the application writes events from
/// `LWS_CALLBACK_HTTP_WRITEABLE`. 0; NULL is accepted (lws).
///
/// # Safety
/// `wsi` is NULL or a wsi of this library.
#[no_mangle]
pub unsafe extern "C" fn lws_http_mark_sse(wsi: *mut lws) -> c_int {
    guard("lws_http_mark_sse", 0, || {
        if wsi.is_null() {
            return Ok(0);
        }
        // SAFETY: checked handle conversion.
        let w = unsafe { handle::wsi(wsi) }?;
        let id = w.conn_id()?;
        w.context().runtime.with_core(|c| {
            c.http_headers_detach(id);
            c.set_timeout(id, 0)
        })??;
        Ok(0)
    })
}
