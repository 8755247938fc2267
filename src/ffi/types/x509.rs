//! lws-x509.h: certificate handles and the cert-info query results (layouts
//! in abi/layouts-x509.tsv).

use core::ffi::{c_char, c_int, c_uint};

/// A certificate (`lws_x509_create`). Opaque to C.
pub enum lws_x509_cert {}

/// The `ns` member of `union lws_tls_cert_info_results`: a name or a blob.
/// `name` is really as long as the caller's `len` says (64 when it says 0).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_tls_cert_info_ns {
    pub len: c_int,
    pub name: [c_char; 64],
}

/// What a cert-info query answers; which member depends on the query.
#[repr(C)]
#[derive(Clone, Copy)]
pub union lws_tls_cert_info_results {
    pub verified: c_uint,
    pub time: libc::time_t,
    pub usage: c_uint,
    pub ns: lws_tls_cert_info_ns,
}
