//! The TLS parts of the creation info (spec B3.3, B3.4): what is read from
//! files and memory blobs when a vhost is made.

use std::ffi::{c_char, c_int, c_uint, c_void, CStr, CString};

use super::context::opt_string;
use super::guard;
use super::handle;
use super::types::*;
use crate::core::vhost::ClientTlsState;
use crate::core::{Error, VhostId};
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

/// The server certificate / key paths a vhost was given (both, TLS on), for
/// `lws_tls_cert_updated`.
pub fn server_cert_paths(info: &lws_context_creation_info) -> Option<(CString, CString, bool)> {
    if info.options & LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT == 0 {
        return None;
    }
    // SAFETY: NULL or NUL-terminated (lws contract).
    let cert = unsafe { opt_string(info.ssl_cert_filepath) }?;
    // SAFETY: as above.
    let key = unsafe { opt_string(info.ssl_private_key_filepath) }?;
    let ignore_missing = info.options & LWS_SERVER_OPTION_IGNORE_MISSING_CERT != 0;
    Some((
        CString::new(cert).ok()?,
        CString::new(key).ok()?,
        ignore_missing,
    ))
}

/// lws's certificate upgrade step: when `<path>.upd` exists it becomes
/// `<path>` (an existing `<path>` is first renamed `<path>.old.<n>`, the
/// first free n below 50). False when a rename failed.
fn take_upgrade(path: &str) -> bool {
    let upd = format!("{path}.upd");
    if !std::path::Path::new(&upd).exists() {
        return true;
    }
    if std::path::Path::new(path).exists() {
        let moved = (0..50).any(|n| {
            let old = format!("{path}.old.{n}");
            !std::path::Path::new(&old).exists() && std::fs::rename(path, &old).is_ok()
        });
        if !moved {
            lwsl!(level::NOTICE, "unable to rename {path}");
            return false;
        }
    }
    if std::fs::rename(&upd, path).is_err() {
        lwsl!(level::NOTICE, "unable to rename {upd} to {path}");
        return false;
    }
    true
}

/// Gives a vhost made without a client TLS context one, from `info` (its
/// client CA / certificate / cipher members, as at vhost creation; the
/// listen port is not used). Nothing happens without
/// LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT in `info.options` or when the vhost
/// already has one. 0, or 1 when it cannot be made (a bad client
/// certificate).
///
/// # Safety
/// `info` a valid creation info; `vhost` a live vhost.
#[no_mangle]
pub unsafe extern "C" fn lws_init_vhost_client_ssl(
    info: *const lws_context_creation_info,
    vhost: *mut lws_vhost,
) -> c_int {
    guard("lws_init_vhost_client_ssl", 1, || {
        // SAFETY: checked handle conversion.
        let vh = unsafe { handle::vhost(vhost) }?;
        // SAFETY: NULL or a creation info by contract.
        let info = unsafe { info.as_ref() }.ok_or(super::null("info is NULL"))?;
        if info.options & LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT == 0 {
            return Ok(0);
        }
        let rt = &vh.context().runtime;
        let (has_client, has_server) = rt.with_core(|c| {
            c.vhost(vh.id).map_or((true, false), |v| {
                (
                    !matches!(v.client_tls, ClientTlsState::NotConfigured),
                    v.server_tls.is_some(),
                )
            })
        })?;
        if has_client {
            return Ok(0);
        }
        // SAFETY: the pointers in `info` follow lws's contract.
        match unsafe { client_state(info, has_server) } {
            Ok(state) => {
                rt.with_core(|c| c.init_client_tls(vh.id, state))?;
                Ok(0)
            }
            Err(e) => {
                lwsl!(level::ERR, "lws_init_vhost_client_ssl: {e}");
                Ok(1)
            }
        }
    })
}

/// Adds one DER certificate to the trust store of the vhost's client TLS
/// context: TLS connections made from now on accept servers it issued. 0,
/// or 1 (with a log line) for a certificate that does not parse or a vhost
/// without a client TLS context.
///
/// # Safety
/// `vh` a live vhost; `der` readable for `der_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_tls_client_vhost_extra_cert_mem(
    vh: *mut lws_vhost,
    der: *const u8,
    der_len: usize,
) -> c_int {
    guard("lws_tls_client_vhost_extra_cert_mem", 1, || {
        // SAFETY: checked handle conversion.
        let vh = unsafe { handle::vhost(vh) }?;
        if der.is_null() || der_len == 0 {
            return Err(super::null("der is NULL or empty"));
        }
        // SAFETY: `der_len` readable bytes by contract.
        let der = unsafe { std::slice::from_raw_parts(der, der_len) };
        vh.context()
            .runtime
            .with_core(|c| c.add_client_trust_anchor(vh.id, der))??;
        Ok(0)
    })
}

/// The certificate at `certpath` / `keypath` was renewed: every vhost whose
/// server certificate was configured with exactly these paths loads it again
/// (`<path>.upd` files first replace the paths; the memory copies are used
/// when that fails, or when a file is missing on a vhost made with
/// LWS_SERVER_OPTION_IGNORE_MISSING_CERT, as lws) and serves it to its new
/// connections. A certificate that cannot be
/// used is logged and the vhost keeps its old one. Returns 0.
///
/// # Safety
/// `context` a live context; the paths NUL-terminated; each blob NULL or
/// readable for its length.
#[no_mangle]
pub unsafe extern "C" fn lws_tls_cert_updated(
    context: *mut lws_context,
    certpath: *const c_char,
    keypath: *const c_char,
    mem_cert: *const c_char,
    len_mem_cert: usize,
    mem_privkey: *const c_char,
    len_mem_privkey: usize,
) -> c_int {
    guard("lws_tls_cert_updated", -1, || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(context) }?;
        if certpath.is_null() || keypath.is_null() {
            return Err(super::null("certpath or keypath is NULL"));
        }
        // SAFETY: NUL-terminated by contract.
        let want_cert = unsafe { CStr::from_ptr(certpath) };
        // SAFETY: as above.
        let want_key = unsafe { CStr::from_ptr(keypath) };
        let blob = |mem: *const c_char, len: usize| {
            // SAFETY: NULL or `len` readable bytes by contract.
            (!mem.is_null() && len > 0).then(|| unsafe {
                Pem::from_bytes(std::slice::from_raw_parts(mem.cast::<u8>(), len).to_vec())
            })
        };
        // The files at the paths, as lws reloads them; the memory copies only
        // when a file cannot be read.
        // As lws: `<path>.upd` files replace the paths first (the old file
        // kept as `<path>.old.<n>`); the files are reloaded, or the memory
        // copies when a rename failed, or when a file is missing on a vhost
        // made with IGNORE_MISSING_CERT.
        let load = |ignore_missing: bool| -> Result<(Pem, Pem), Error> {
            let cert_p = want_cert.to_string_lossy().into_owned();
            let key_p = want_key.to_string_lossy().into_owned();
            let renamed = take_upgrade(&cert_p) && take_upgrade(&key_p);
            let present =
                std::path::Path::new(&cert_p).exists() && std::path::Path::new(&key_p).exists();
            let use_mem = !renamed || (!present && ignore_missing);
            if !use_mem {
                let files = Pem::from_file(&cert_p).and_then(|c| Ok((c, Pem::from_file(&key_p)?)));
                return files.map_err(|e| Error::Config(e.to_string()));
            }
            match (
                blob(mem_cert, len_mem_cert),
                blob(mem_privkey, len_mem_privkey),
            ) {
                (Some(c), Some(k)) => Ok((c, k)),
                _ => Err(Error::Config(format!(
                    "{cert_p} / {key_p} not usable and no certificate and key in memory"
                ))),
            }
        };
        for i in 0..cx.vhost_count() {
            let Some(vh) = cx.vhost_handle(VhostId(i)) else {
                continue;
            };
            let Some((_, _, ignore_missing)) = vh
                .cert_paths
                .as_ref()
                .filter(|(c, k, _)| c.as_c_str() == want_cert && k.as_c_str() == want_key)
            else {
                continue;
            };
            let old = cx
                .runtime
                .with_core(|c| c.vhost(vh.id).and_then(|v| v.server_tls.clone()))?;
            let Some(old) = old else {
                continue;
            };
            let spec = load(*ignore_missing).and_then(|(cert, key)| {
                let spec = ServerTlsSpec {
                    cert_chain: cert,
                    key,
                    ..old
                };
                config::server_config(&spec)
                    .map(|_| spec)
                    .map_err(|e| Error::Config(e.to_string()))
            });
            match spec {
                Ok(spec) => cx
                    .runtime
                    .with_core(|c| c.replace_server_tls(vh.id, spec))?
                    .map_err(|e| Error::Config(e.to_string()))?,
                Err(e) => lwsl!(
                    level::ERR,
                    "lws_tls_cert_updated: vhost {}: {e}; keeping its certificate",
                    vh.name.to_string_lossy()
                ),
            }
        }
        Ok(0)
    })
}
