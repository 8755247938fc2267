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
            .with_core(|c| c.conn(id).is_some_and(|k| k.tls().is_some()))
            .map(c_int::from)
    })
}

/// Takes a TLS `wsi` off the list of connections whose decrypted input is
/// serviced again without a new readiness event (our pending set): no
/// service pass returns to it for what it already holds (in its input
/// buffer) until its socket reports readiness again; nothing is dropped,
/// that input is read first then. Only once its socket is known drained: a
/// socket with unread input stays serviced (docs/COMPAT.md row 32). A wsi
/// without TLS is on no such list: nothing changes. A NULL or dead wsi gets
/// a log line.
///
/// # Safety
/// `wsi` is NULL or a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_ssl_remove_wsi_from_buffered_list(wsi: *mut lws) {
    guard("lws_ssl_remove_wsi_from_buffered_list", (), || {
        // SAFETY: checked handle conversion.
        let w = unsafe { handle::wsi(wsi) }?;
        let id = w.conn_id()?;
        w.context().runtime.with_core(|c| c.park_tls_rx(id))
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

/// Writes a certificate (or key, `is_key`) of `len` bytes to `fd` as lws's
/// unix platform does: one write(2), fsync(2), then back to the start of the
/// file. 0 when all of it was written, else 1 (`vhost` is not used).
///
/// # Safety
/// `buf` is NULL or points at `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_plat_write_cert(
    vhost: *mut lws_vhost,
    is_key: c_int,
    fd: c_int,
    buf: *mut c_void,
    len: usize,
) -> c_int {
    guard("lws_plat_write_cert", 1, || {
        let _ = (vhost, is_key);
        if buf.is_null() && len > 0 {
            return Err(super::null("buf is NULL"));
        }
        // SAFETY: `len` readable bytes at buf by contract; a bad fd is write(2)'s EBADF.
        let n = unsafe { libc::write(fd, buf, len) };
        // SAFETY: fsync(2) on any fd is defined (EBADF/EINVAL at worst).
        if n < 0 || unsafe { libc::fsync(fd) } != 0 {
            return Ok(1);
        }
        // SAFETY: lseek(2) on any fd is defined.
        if unsafe { libc::lseek(fd, 0, libc::SEEK_SET) } < 0 {
            return Ok(1);
        }
        Ok(c_int::from(n as usize != len))
    })
}
