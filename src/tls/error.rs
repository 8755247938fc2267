//! Errors of the TLS module, and the words lws users see.
//!
//! Every error that reaches an lws user reads `"tls: ..."` (spec B3.6). Certificate
//! verification failures are reduced to a few classes a user can act on
//! ([`CertProblem`]); other handshake failures carry the rustls text.
#![forbid(unsafe_code)]

use std::fmt;
use std::io;

/// A class of certificate verification failure, worded for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CertProblem {
    /// The chain ends in a self-signed certificate that is not trusted.
    SelfSigned,
    /// The chain's issuer is not among the trust anchors.
    UnknownIssuer,
    /// A certificate of the chain has expired.
    Expired,
    /// A certificate of the chain is not valid yet.
    NotYetValid,
    /// The certificate does not name the host that was connected to.
    HostnameMismatch,
    /// A signature in the chain does not verify.
    BadSignature,
    /// A certificate was revoked.
    Revoked,
    /// The certificate may not be used for this purpose (extended key usage).
    InvalidPurpose,
    /// A CA certificate (`CA:TRUE`) was presented as the end-entity certificate.
    CaUsedAsEndEntity,
    /// A certificate could not be parsed.
    BadEncoding,
    /// The peer presented no certificate.
    NoCertificate,
    /// Anything else, with the verifier's text.
    Other(String),
}

impl fmt::Display for CertProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CertProblem::SelfSigned => f.write_str("unknown issuer (self-signed certificate)"),
            CertProblem::UnknownIssuer => f.write_str("unknown issuer"),
            CertProblem::Expired => f.write_str("certificate expired"),
            CertProblem::NotYetValid => f.write_str("certificate not yet valid"),
            CertProblem::HostnameMismatch => f.write_str("hostname mismatch"),
            CertProblem::BadSignature => f.write_str("bad certificate signature"),
            CertProblem::Revoked => f.write_str("certificate revoked"),
            CertProblem::InvalidPurpose => f.write_str("certificate not valid for this purpose"),
            CertProblem::CaUsedAsEndEntity => {
                f.write_str("CA certificate used as end-entity certificate")
            }
            CertProblem::BadEncoding => f.write_str("bad certificate encoding"),
            CertProblem::NoCertificate => f.write_str("peer sent no certificate"),
            CertProblem::Other(text) => write!(f, "invalid certificate: {text}"),
        }
    }
}

/// Carried inside `rustls::CertificateError::Other` by our verifier, so that a class
/// rustls has no variant for (self-signed) survives the trip through the handshake.
impl std::error::Error for CertProblem {}

impl CertProblem {
    /// Classifies a rustls certificate error.
    pub fn from_rustls(err: &rustls::CertificateError) -> CertProblem {
        use rustls::CertificateError as E;
        match err {
            E::BadEncoding => CertProblem::BadEncoding,
            E::Expired | E::ExpiredContext { .. } => CertProblem::Expired,
            E::NotValidYet | E::NotValidYetContext { .. } => CertProblem::NotYetValid,
            E::Revoked => CertProblem::Revoked,
            E::UnknownIssuer => CertProblem::UnknownIssuer,
            E::BadSignature => CertProblem::BadSignature,
            E::NotValidForName | E::NotValidForNameContext { .. } => CertProblem::HostnameMismatch,
            E::InvalidPurpose | E::InvalidPurposeContext { .. } => CertProblem::InvalidPurpose,
            E::Other(other) => {
                if let Some(ours) = other.0.downcast_ref::<CertProblem>() {
                    ours.clone()
                } else if let Some(webpki::Error::CaUsedAsEndEntity) =
                    other.0.downcast_ref::<webpki::Error>()
                {
                    CertProblem::CaUsedAsEndEntity
                } else {
                    CertProblem::Other(other.0.to_string())
                }
            }
            other => CertProblem::Other(format!("{other:?}")),
        }
    }
}

/// A TLS failure: configuration, certificate verification or protocol.
///
/// `Display` gives the text lws users see, always starting with `"tls: "`.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// A certificate, key, CA or option could not be loaded or used.
    #[error("tls: {0}")]
    Config(String),
    /// Verifying the peer's certificate failed.
    #[error("tls: {0}")]
    Certificate(CertProblem),
    /// The peer closed the connection before the handshake completed.
    #[error("tls: peer closed during handshake")]
    PeerClosedDuringHandshake,
    /// Any other TLS failure, with the rustls text.
    #[error("tls: {0}")]
    Protocol(rustls::Error),
}

impl TlsError {
    /// Maps a rustls error to the error (and text) lws users see.
    pub fn from_rustls(err: rustls::Error) -> TlsError {
        match &err {
            rustls::Error::InvalidCertificate(cert) => {
                TlsError::Certificate(CertProblem::from_rustls(cert))
            }
            rustls::Error::NoCertificatesPresented => {
                TlsError::Certificate(CertProblem::NoCertificate)
            }
            _ => TlsError::Protocol(err),
        }
    }

    /// The certificate problem, if this is a verification failure.
    pub fn cert_problem(&self) -> Option<&CertProblem> {
        match self {
            TlsError::Certificate(p) => Some(p),
            _ => None,
        }
    }
}

impl From<rustls::Error> for TlsError {
    fn from(err: rustls::Error) -> Self {
        TlsError::from_rustls(err)
    }
}

/// The error of [`crate::tls::session::TlsSession`] socket operations: either the socket's
/// own error (including `WouldBlock`, passed through unchanged) or a TLS failure.
#[derive(Debug, thiserror::Error)]
pub enum TlsIoError {
    /// The socket failed, or would block.
    #[error(transparent)]
    Io(#[from] io::Error),
    /// TLS failed; the text is what lws users see.
    #[error(transparent)]
    Tls(#[from] TlsError),
}

impl TlsIoError {
    /// True for a socket `WouldBlock`: wait for readiness and try again.
    pub fn is_would_block(&self) -> bool {
        matches!(self, TlsIoError::Io(e) if e.kind() == io::ErrorKind::WouldBlock)
    }

    /// The TLS failure, if this is one.
    pub fn tls(&self) -> Option<&TlsError> {
        match self {
            TlsIoError::Tls(t) => Some(t),
            TlsIoError::Io(_) => None,
        }
    }
}

impl From<TlsIoError> for io::Error {
    fn from(err: TlsIoError) -> Self {
        match err {
            TlsIoError::Io(e) => e,
            TlsIoError::Tls(t) => io::Error::new(io::ErrorKind::InvalidData, t),
        }
    }
}
