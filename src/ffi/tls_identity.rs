//! TLS identity queries on a connection (issue 15). There is no OpenSSL here:
//! `lws_get_ssl` has no `SSL *` to give and returns NULL (docs/COMPAT.md).

use std::ffi::{c_int, c_void};

use super::guard;
use super::handle;
use super::types::*;

/// 1 when `wsi` speaks TLS, else 0 (lws: `use_ssl & LCCSCF_USE_SSL`).
///
/// # Safety
/// `wsi` is NULL or a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_is_ssl(wsi: *mut lws) -> c_int {
    guard("lws_is_ssl", 0, || {
        // SAFETY: checked handle conversion.
        let w = unsafe { handle::wsi(wsi) }?;
        let id = w.conn_id()?;
        w.context()
            .runtime
            .with_core(|c| c.conn(id).is_some_and(|k| k.tls.is_some()))
            .map(c_int::from)
    })
}

/// The connection's OpenSSL `SSL *` in lws. rustls has none to hand out, so this
/// is always NULL; a NULL or unknown `wsi` also gets a log line.
///
/// # Safety
/// `wsi` is NULL or a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_get_ssl(wsi: *mut lws) -> *mut c_void {
    guard("lws_get_ssl", std::ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        unsafe { handle::wsi(wsi) }?;
        Ok(std::ptr::null_mut())
    })
}

/// The RSA key size lws recommends on this platform (4096 on unix).
///
/// # Safety
/// Always safe to call.
#[no_mangle]
pub unsafe extern "C" fn lws_plat_recommended_rsa_bits() -> c_int {
    guard("lws_plat_recommended_rsa_bits", 4096, || Ok(4096))
}
