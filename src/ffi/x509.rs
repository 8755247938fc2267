//! lws-x509.h over [`crate::tls::x509`]: `struct lws_x509_cert *` is a boxed
//! [`X509Handle`] (a magic word tells a live one from garbage), and the
//! cert-info answers are written into lws's `union lws_tls_cert_info_results`.

use std::cell::{Cell, RefCell};
use std::ffi::{c_char, c_int, c_void, CStr};

use super::types::*;
use super::{guard, null};
use crate::core::Error;
use crate::tls::x509::{Cert, CertInfo, Info, X509Error, DEFAULT_NAME_LEN};

const X509_MAGIC: u64 = 0x6c77_732d_7835_3039;

/// Behind `struct lws_x509_cert *`: empty until a PEM is parsed into it.
struct X509Handle {
    magic: Cell<u64>,
    cert: RefCell<Option<Cert>>,
}

impl From<X509Error> for Error {
    fn from(e: X509Error) -> Error {
        Error::Config(e.to_string())
    }
}

/// # Safety
/// `p` is NULL or a pointer from `lws_x509_create`.
unsafe fn handle<'a>(p: *mut lws_x509_cert) -> Result<&'a X509Handle, Error> {
    if p.is_null() {
        return Err(null("x509 is NULL"));
    }
    let h = p.cast::<X509Handle>();
    // SAFETY: by contract an X509Handle; the magic word tells a live one.
    if unsafe { &(*h).magic }.get() != X509_MAGIC {
        return Err(Error::Refused("not a live lws_x509_cert"));
    }
    // SAFETY: the magic word says this is a live X509Handle.
    Ok(unsafe { &*h })
}

/// The parsed certificate of a handle (lws: a handle without one is an error).
///
/// # Safety
/// As [`handle`].
unsafe fn cert_of(p: *mut lws_x509_cert) -> Result<Cert, Error> {
    // SAFETY: forwarded contract.
    let h = unsafe { handle(p) }?;
    let cert = h.cert.borrow().clone();
    cert.ok_or(Error::Refused("x509 has no certificate parsed into it"))
}

/// Writes `cert`'s answer to `what` into `buf` as lws does: `ns.len` is zeroed
/// first; 0 on success, 1 when the certificate lacks the extension, -1 (and a
/// log line) otherwise.
///
/// # Safety
/// `buf` is NULL or points at the union with `len` bytes of `ns.name` (64
/// when `len` is 0).
pub unsafe fn write_info(
    cert: Option<&Cert>,
    what: lws_tls_cert_info,
    buf: *mut lws_tls_cert_info_results,
    len: usize,
) -> Result<c_int, Error> {
    if buf.is_null() {
        return Err(null("buf is NULL"));
    }
    // SAFETY: buf is not NULL and points at the union by contract.
    let ns = unsafe { &raw mut (*buf).ns };
    // SAFETY: buf points at a writable union by contract.
    unsafe { (*ns).len = 0 };
    let Some(cert) = cert else {
        return Err(Error::Refused("no certificate"));
    };
    let kind = CertInfo::from_raw(what).ok_or(Error::Refused("unknown cert info type"))?;
    let room = if len == 0 { DEFAULT_NAME_LEN } else { len };
    // SAFETY: ns points into the caller's union.
    let name = unsafe { &raw mut (*ns).name }.cast::<u8>();
    match cert.info(kind, room)? {
        // Every member of the union starts at its beginning. Names and blobs
        // are at most `room` bytes (text one less, for its NUL): what the
        // caller said `ns.name` holds.
        // SAFETY: buf points at a writable union, time is its member at 0.
        Info::Time(t) => unsafe { buf.cast::<libc::time_t>().write(t) },
        // SAFETY: buf points at a writable union, usage is its member at 0.
        Info::Usage(u) => unsafe { buf.cast::<std::ffi::c_uint>().write(u) },
        Info::Text(t) => {
            let mut z = t.clone();
            z.push(0);
            // SAFETY: see above; t.len() + 1 <= room.
            unsafe { std::ptr::copy_nonoverlapping(z.as_ptr(), name, z.len()) };
            // SAFETY: see above.
            unsafe { (*ns).len = t.len() as c_int };
        }
        Info::Bytes(b) => {
            // SAFETY: see above; b.len() <= room.
            unsafe { std::ptr::copy_nonoverlapping(b.as_ptr(), name, b.len()) };
            // SAFETY: see above.
            unsafe { (*ns).len = b.len() as c_int };
        }
        Info::Absent => return Ok(1),
    }
    Ok(0)
}

/// Makes an empty certificate handle in `*x509`: 0, or nonzero on failure.
///
/// # Safety
/// `x509` is NULL or points at a writable pointer.
#[no_mangle]
pub unsafe extern "C" fn lws_x509_create(x509: *mut *mut lws_x509_cert) -> c_int {
    guard("lws_x509_create", 1, || {
        if x509.is_null() {
            return Err(null("x509 is NULL"));
        }
        let h = Box::new(X509Handle {
            magic: Cell::new(X509_MAGIC),
            cert: RefCell::new(None),
        });
        // SAFETY: x509 is writable by contract.
        unsafe { *x509 = Box::into_raw(h).cast() };
        Ok(0)
    })
}

/// Parses the first certificate of `len` bytes of PEM into `x509`: 0, or -1
/// with a log line when it does not parse.
///
/// # Safety
/// `x509` is from `lws_x509_create`; `pem` points at `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_x509_parse_from_pem(
    x509: *mut lws_x509_cert,
    pem: *const c_void,
    len: usize,
) -> c_int {
    guard("lws_x509_parse_from_pem", -1, || {
        // SAFETY: forwarded contract.
        let h = unsafe { handle(x509) }?;
        if pem.is_null() {
            return Err(null("pem is NULL"));
        }
        // SAFETY: `len` readable bytes by contract.
        let text = unsafe { std::slice::from_raw_parts(pem.cast::<u8>(), len) };
        let cert = Cert::from_pem(text).map_err(|_| Error::Refused("unable to parse PEM cert"))?;
        *h.cert.borrow_mut() = Some(cert);
        Ok(0)
    })
}

/// 0 when `trusted` issued `x509` (and, if `common_name` is not NULL, the
/// subject's CN is exactly it), else -1 with a log line.
///
/// # Safety
/// `x509` and `trusted` are from `lws_x509_create`; `common_name` is NULL or
/// NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn lws_x509_verify(
    x509: *mut lws_x509_cert,
    trusted: *mut lws_x509_cert,
    common_name: *const c_char,
) -> c_int {
    guard("lws_x509_verify", -1, || {
        // SAFETY: forwarded contract.
        let cert = unsafe { cert_of(x509) }?;
        // SAFETY: forwarded contract.
        let trusted = unsafe { cert_of(trusted) }?;
        let cn = if common_name.is_null() {
            None
        } else {
            // SAFETY: NUL-terminated by contract.
            Some(
                unsafe { CStr::from_ptr(common_name) }
                    .to_string_lossy()
                    .into_owned(),
            )
        };
        cert.verify(&trusted, cn.as_deref())?;
        Ok(0)
    })
}

/// Answers `type` about `x509` into `buf` (see [`write_info`]).
///
/// # Safety
/// `x509` is from `lws_x509_create`; `buf` as for [`write_info`].
#[no_mangle]
pub unsafe extern "C" fn lws_x509_info(
    x509: *mut lws_x509_cert,
    r#type: lws_tls_cert_info,
    buf: *mut lws_tls_cert_info_results,
    len: usize,
) -> c_int {
    guard("lws_x509_info", -1, || {
        // SAFETY: forwarded contract.
        let cert = unsafe { cert_of(x509) }?;
        // SAFETY: forwarded contract.
        unsafe { write_info(Some(&cert), r#type, buf, len) }
    })
}

/// Frees `*x509` and sets it to NULL (nothing when it is already NULL).
///
/// # Safety
/// `x509` is NULL or points at NULL or a pointer from `lws_x509_create`.
#[no_mangle]
pub unsafe extern "C" fn lws_x509_destroy(x509: *mut *mut lws_x509_cert) {
    guard("lws_x509_destroy", (), || {
        if x509.is_null() {
            return Err(null("x509 is NULL"));
        }
        // SAFETY: readable by contract.
        let p = unsafe { *x509 };
        if p.is_null() {
            return Ok(());
        }
        // SAFETY: forwarded contract.
        let h = unsafe { handle(p) }?;
        h.magic.set(0);
        // SAFETY: a live handle from Box::into_raw in lws_x509_create, now dead.
        drop(unsafe { Box::from_raw(p.cast::<X509Handle>()) });
        // SAFETY: writable by contract.
        unsafe { *x509 = std::ptr::null_mut() };
        Ok(())
    })
}

/// Answers `type` about the certificate the peer of `wsi`'s TLS connection
/// presented: -1 when there is none (a plain connection, a client that sent
/// none, a handshake not yet done). `LWS_TLS_CERT_INFO_VERIFIED` is not
/// answered (-1, docs/COMPAT.md): rustls either verified the chain or, with
/// the client's ALLOW_* flags, accepted it unverified, and it does not say which.
///
/// # Safety
/// `wsi` is a wsi handed out by this library; `buf` as for [`write_info`].
#[no_mangle]
pub unsafe extern "C" fn lws_tls_peer_cert_info(
    wsi: *mut lws,
    r#type: lws_tls_cert_info,
    buf: *mut lws_tls_cert_info_results,
    len: usize,
) -> c_int {
    guard("lws_tls_peer_cert_info", -1, || {
        // SAFETY: checked handle conversion.
        let w = unsafe { super::handle::wsi(wsi) }?;
        let id = w.conn_id()?;
        let der = w.context().runtime.with_core(|c| {
            c.conn(id)
                .and_then(|k| k.tls())
                .and_then(|t| t.connection())
                .and_then(|c| c.peer_certificates())
                .and_then(|v| v.first())
                .map(|d| d.as_ref().to_vec())
        })?;
        let Some(cert) = der.and_then(|d| Cert::from_der(d).ok()) else {
            // lws: "no peer cert" at debug level only.
            return Ok(-1);
        };
        if r#type == LWS_TLS_CERT_INFO_VERIFIED {
            return Err(Error::Refused("VERIFIED is not known with rustls"));
        }
        // SAFETY: forwarded contract.
        unsafe { write_info(Some(&cert), r#type, buf, len) }
    })
}

/// Answers `type` about the vhost's own server certificate (the leaf of its
/// chain); -1 when the vhost serves no TLS.
///
/// # Safety
/// `vhost` is a vhost handed out by this library; `buf` as for [`write_info`].
#[no_mangle]
pub unsafe extern "C" fn lws_tls_vhost_cert_info(
    vhost: *mut lws_vhost,
    r#type: lws_tls_cert_info,
    buf: *mut lws_tls_cert_info_results,
    len: usize,
) -> c_int {
    guard("lws_tls_vhost_cert_info", -1, || {
        // SAFETY: checked handle conversion.
        let vh = unsafe { super::handle::vhost(vhost) }?;
        let chain = vh.context().runtime.with_core(|c| {
            c.vhost(vh.id)
                .and_then(|v| v.server_tls.as_ref())
                .map(|t| t.cert_chain.clone())
        })?;
        let leaf = chain
            .and_then(|pem| crate::tls::config::parse_certs(&pem, "vhost certificate").ok())
            .and_then(|certs| certs.into_iter().next())
            .and_then(|d| Cert::from_der(d.as_ref().to_vec()).ok());
        // SAFETY: forwarded contract.
        unsafe { write_info(leaf.as_ref(), r#type, buf, len) }
    })
}
