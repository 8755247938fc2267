//! TLS for lws-rs: rustls 0.23 with the ring provider, safe code only.
//!
//! - [`config`]: server and client configurations from lws-style settings (certificates,
//!   keys, CAs, OS roots, client certificates, SNI, ALPN, cipher lists);
//! - [`verify`]: server certificate verification honouring the `LCCSCF_*` relaxations;
//! - [`session`]: a non-blocking session over any `Read + Write` socket;
//! - [`sessions`]: the client session cache (resumption) and session dumps;
//! - [`error`]: errors, worded as lws users see them (`"tls: ..."`).
//!
//! This module knows nothing of the connection engine; it is driven by the caller.
//!
//! Where lws options ask for what rustls cannot do:
//! - cipher lists: only the suites rustls offers (AEAD, ECDHE) can be selected, by
//!   OpenSSL or IANA name; keywords, CBC/RSA-kx/DHE suites and ordering operators are
//!   returned as warnings ([`ClientTls::warnings`]);
//! - TLS 1.0/1.1 and SSLv3 do not exist; encrypted private keys
//!   (`ssl_private_key_password`) are refused;
//! - `allow_expired` re-verifies at a moment when the failing certificate was valid; a
//!   chain whose validity windows never overlap still fails (OpenSSL would skip the
//!   date checks entirely);
//! - a CA-issued `CA:TRUE` certificate used as a server certificate is refused
//!   ("CA certificate used as end-entity certificate"); OpenSSL accepts it. A self-signed
//!   `CA:TRUE` one is handled like any self-signed certificate;
//! - no CRL/OCSP checks, no `provided_client_ssl_ctx` (a raw `SSL_CTX`), no OpenSSL
//!   verify-callback hooks (`OPENSSL_PERFORM_SERVER_CERT_VERIFICATION`).
#![forbid(unsafe_code)]

mod ciphers;
pub mod config;
pub mod error;
pub mod session;
pub mod sessions;
pub mod verify;
pub mod x509;

#[cfg(test)]
mod tests;

pub use config::{
    parse_alpn_list, server_config, sni_server_config, ClientTls, ClientTlsSpec, Pem,
    ServerTlsSelector, ServerTlsSpec,
};
pub use error::{CertProblem, TlsError, TlsIoError};
pub use session::TlsSession;
pub use verify::VerifyFlags;
