//! TLS for lws-rs: rustls 0.23 with the ring provider, safe code only.
//!
//! - [`config`]: server and client configurations from lws-style settings (certificates,
//!   keys, CAs, OS roots, client certificates, SNI, ALPN, cipher lists);
//! - [`verify`]: server certificate verification honouring the `LCCSCF_*` relaxations;
//! - [`session`]: a non-blocking session over any `Read + Write` socket;
//! - [`error`]: errors, worded as lws users see them (`"tls: ..."`).
//!
//! This module knows nothing of the connection engine; it is driven by the caller.
#![forbid(unsafe_code)]

mod ciphers;
pub mod config;
pub mod error;
pub mod session;
pub mod verify;

#[cfg(test)]
mod tests;

pub use config::{
    parse_alpn_list, server_config, sni_server_config, ClientTls, ClientTlsSpec, Pem, ServerTlsSpec,
};
pub use error::{CertProblem, TlsError, TlsIoError};
pub use session::TlsSession;
pub use verify::VerifyFlags;
