//! The TLS parts of the creation info (spec B3.3, B3.4): what is read from
//! files and memory blobs when a vhost is made.

use std::ffi::{c_uint, c_void};

use super::context::opt_string;
use super::types::*;
use crate::core::vhost::ClientTlsState;
use crate::core::Error;
use crate::log::level;
use crate::lwsl;
use crate::tls::config::{self, ClientTls, ClientTlsSpec, Pem, ServerTlsSpec};

/// A blob given as pointer + length.
///
/// # Safety
/// `p` is NULL or points at `len` readable bytes.
unsafe fn blob(p: *const c_void, len: c_uint) -> Option<Pem> {
    if p.is_null() || len == 0 {
        return None;
    }
    // SAFETY: `len` readable bytes by contract.
    Some(Pem::from_bytes(
        unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len as usize) }.to_vec(),
    ))
}

/// A PEM from a file path or a memory blob (the blob wins, as in lws).
///
/// # Safety
/// As `blob`; `path` NULL or NUL-terminated.
unsafe fn pem(
    path: *const std::ffi::c_char,
    mem: *const c_void,
    len: c_uint,
) -> Result<Option<Pem>, Error> {
    // SAFETY: forwarded contract.
    if let Some(b) = unsafe { blob(mem, len) } {
        return Ok(Some(b));
    }
    // SAFETY: forwarded contract.
    match unsafe { opt_string(path) } {
        None => Ok(None),
        Some(p) => Pem::from_file(&p)
            .map(Some)
            .map_err(|e| Error::Config(e.to_string())),
    }
}

fn alpn_of(info: &lws_context_creation_info) -> Vec<Vec<u8>> {
    // SAFETY: NULL or NUL-terminated.
    match unsafe { opt_string(info.alpn) } {
        Some(list) => config::parse_alpn_list(&list),
        None => vec![b"http/1.1".to_vec()],
    }
}

/// The vhost's server TLS, or None for plain TCP. A certificate that cannot be
/// loaded fails the vhost, unless `IGNORE_MISSING_CERT` (then it serves plain).
///
/// # Safety
/// The pointers in `info` follow lws's contract.
pub unsafe fn server_spec(
    info: &lws_context_creation_info,
) -> Result<Option<ServerTlsSpec>, Error> {
    if info.options & LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT == 0 {
        return Ok(None);
    }
    // SAFETY: forwarded contract.
    let cert = unsafe {
        pem(
            info.ssl_cert_filepath,
            info.server_ssl_cert_mem,
            info.server_ssl_cert_mem_len,
        )
    };
    // SAFETY: forwarded contract.
    let key = unsafe {
        pem(
            info.ssl_private_key_filepath,
            info.server_ssl_private_key_mem,
            info.server_ssl_private_key_mem_len,
        )
    };
    let ignore_missing = info.options & LWS_SERVER_OPTION_IGNORE_MISSING_CERT != 0;
    let (cert, key) = match (cert, key) {
        (Ok(Some(c)), Ok(Some(k))) => (c, k),
        (Ok(None), Ok(None)) => return Ok(None),
        (Err(e), _) | (_, Err(e)) if !ignore_missing => return Err(e),
        (Ok(Some(_)), Ok(None)) | (Ok(None), Ok(Some(_))) if !ignore_missing => {
            return Err(Error::Config(
                "tls: a server certificate needs both the certificate and its key".into(),
            ))
        }
        _ => {
            lwsl!(
                level::WARN,
                "server certificate missing: serving plain TCP (IGNORE_MISSING_CERT)"
            );
            return Ok(None);
        }
    };
    let require = info.options & LWS_SERVER_OPTION_REQUIRE_VALID_OPENSSL_CLIENT_CERT
        == LWS_SERVER_OPTION_REQUIRE_VALID_OPENSSL_CLIENT_CERT;
    // SAFETY: forwarded contract.
    let client_ca = unsafe {
        pem(
            info.ssl_ca_filepath,
            info.server_ssl_ca_mem,
            info.server_ssl_ca_mem_len,
        )
    }?;
    let spec = ServerTlsSpec {
        cert_chain: cert,
        key,
        client_ca,
        require_client_cert: require,
        alpn: alpn_of(info),
    };
    // Build once now, so a bad certificate or key fails the vhost (B3.3).
    config::server_config(&spec).map_err(|e| Error::Config(e.to_string()))?;
    Ok(Some(spec))
}

/// The vhost's client TLS context (B3.4): none without DO_SSL_GLOBAL_INIT; an
/// unusable CA is logged and remembered, a bad client certificate fails the vhost.
///
/// # Safety
/// The pointers in `info` follow lws's contract.
pub unsafe fn client_state(
    info: &lws_context_creation_info,
    has_server_tls: bool,
) -> Result<ClientTlsState, Error> {
    if info.options & LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT == 0 {
        return Ok(ClientTlsState::NotConfigured);
    }
    let mut problems = Vec::new();
    let mut spec = ClientTlsSpec {
        system_roots: info.options & LWS_SERVER_OPTION_DISABLE_OS_CA_CERTS == 0,
        // SAFETY: NULL or NUL-terminated.
        cipher_list: unsafe { opt_string(info.client_ssl_cipher_list) },
        // SAFETY: NULL or NUL-terminated.
        tls13_cipher_list: unsafe { opt_string(info.client_tls_1_3_plus_cipher_list) },
        session_cache: (info.options & LWS_SERVER_OPTION_DISABLE_TLS_SESSION_CACHE == 0)
            .then_some(info.tls_session_cache_max as usize),
        ..ClientTlsSpec::default()
    };
    // The server's CA file stands in when the vhost has no server TLS (B3.4).
    let ca_path = if info.client_ssl_ca_filepath.is_null() && !has_server_tls {
        info.ssl_ca_filepath
    } else {
        info.client_ssl_ca_filepath
    };
    // SAFETY: forwarded contract.
    match unsafe { pem(ca_path, info.client_ssl_ca_mem, info.client_ssl_ca_mem_len) } {
        Ok(Some(p)) => spec.ca.push(p),
        Ok(None) => {}
        Err(e) => {
            lwsl!(level::ERR, "client TLS: {e}; continuing without it");
            problems.push(format!("CA not loaded: {e}"));
        }
    }
    let (cert_path, key_path) = if info.client_ssl_cert_filepath.is_null() && !has_server_tls {
        (info.ssl_cert_filepath, info.ssl_private_key_filepath)
    } else {
        (
            info.client_ssl_cert_filepath,
            info.client_ssl_private_key_filepath,
        )
    };
    // SAFETY: forwarded contract.
    let cert = unsafe {
        pem(
            cert_path,
            info.client_ssl_cert_mem,
            info.client_ssl_cert_mem_len,
        )
    }?;
    // SAFETY: forwarded contract.
    let key = unsafe {
        pem(
            key_path,
            info.client_ssl_key_mem,
            info.client_ssl_key_mem_len,
        )
    }?;
    match (cert, key) {
        (Some(c), Some(k)) => spec.client_cert = Some((c, k)),
        (None, None) => {}
        _ => {
            return Err(Error::Config(
                "tls: a client certificate needs both the certificate and its key".into(),
            ))
        }
    }
    let tls = ClientTls::new(&spec).map_err(|e| Error::Config(e.to_string()))?;
    for w in tls.warnings() {
        lwsl!(level::WARN, "client TLS: {w}");
        if w.contains("CA") {
            problems.push(w.clone());
        }
    }
    Ok(ClientTlsState::Ready {
        tls: std::sync::Arc::new(tls),
        ca_problem: (!problems.is_empty()).then(|| problems.join("; ")),
    })
}
