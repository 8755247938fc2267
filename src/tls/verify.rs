//! Server certificate verification with lws's per-connection relaxations (spec B3.5).
//!
//! [`LwsServerVerifier`] runs the webpki chain and name checks and forgives exactly the
//! error classes its [`VerifyFlags`] allow:
//!
//! | flag | forgives |
//! |---|---|
//! | `allow_selfsigned` (`LCCSCF_ALLOW_SELFSIGNED`) | a chain that ends in a self-signed certificate nobody trusts (a self-signed leaf, or a self-signed root sent by the server) |
//! | `skip_hostname_check` (`LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK`) | the leaf not naming the host |
//!
//! The host name is checked as OpenSSL does for lws: webpki's subjectAltName check, and
//! for a leaf without DNS/IP subjectAltNames its subject common name ([`subject_cn_names`]).
//! | `allow_expired` (`LCCSCF_ALLOW_EXPIRED`) | expired and not-yet-valid certificates |
//! | `allow_insecure` (`LCCSCF_ALLOW_INSECURE`) | a chain whose issuer is unknown and not self-signed |
//!
//! Everything else (bad signatures, broken encodings, wrong key usage, a self-signed chain
//! with only `allow_insecure`, ...) still fails. When a flag forgives the trust of the
//! chain, the presented chain is still checked against its own top certificate: every
//! signature below it, and the validity dates at the verification time.
#![forbid(unsafe_code)]

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{verify_server_cert_signed_by_trust_anchor, verify_server_name};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{CertificateError, DigitallySignedStruct, Error, OtherError, RootCertStore};

use super::error::CertProblem;

/// Per-connection relaxations of server certificate verification (lws `LCCSCF_*`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct VerifyFlags {
    /// `LCCSCF_ALLOW_SELFSIGNED`: accept a chain ending in an untrusted self-signed certificate.
    pub allow_selfsigned: bool,
    /// `LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK`: do not check the name.
    pub skip_hostname_check: bool,
    /// `LCCSCF_ALLOW_EXPIRED`: accept expired and not-yet-valid certificates.
    pub allow_expired: bool,
    /// `LCCSCF_ALLOW_INSECURE`: accept a chain from an unknown (not self-signed) issuer.
    pub allow_insecure: bool,
}

impl VerifyFlags {
    /// From lws `LCCSCF_*` bits (`ssl_connection`); other bits are ignored.
    pub fn from_lccscf(bits: u32) -> VerifyFlags {
        VerifyFlags {
            allow_selfsigned: bits & 2 != 0,
            skip_hostname_check: bits & 4 != 0,
            allow_expired: bits & 8 != 0,
            allow_insecure: bits & 16 != 0,
        }
    }
}

/// How many times the verification is re-run after forgiving one error class.
const MAX_RETRIES: usize = 8;

/// A `ServerCertVerifier` over the webpki checks that honours [`VerifyFlags`].
///
/// It works with an empty root store (then only the flags can make a chain acceptable),
/// unlike rustls's `WebPkiServerVerifier`, which refuses to be built without roots.
#[derive(Debug)]
pub struct LwsServerVerifier {
    roots: Arc<RootCertStore>,
    flags: VerifyFlags,
    algs: WebPkiSupportedAlgorithms,
}

impl LwsServerVerifier {
    /// A verifier trusting `roots`, relaxed by `flags`, using `algs` for signatures.
    pub fn new(
        roots: Arc<RootCertStore>,
        flags: VerifyFlags,
        algs: WebPkiSupportedAlgorithms,
    ) -> LwsServerVerifier {
        LwsServerVerifier { roots, flags, algs }
    }

    /// Verifies the chain (trust and dates), forgiving what the flags allow.
    fn verify_chain(
        &self,
        leaf: &ParsedCertificate<'_>,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<(), Error> {
        let mut time = now;
        let mut own_roots: Option<RootCertStore> = None;
        let mut last_err = Error::InvalidCertificate(CertificateError::UnknownIssuer);
        for _ in 0..MAX_RETRIES {
            let roots = own_roots.as_ref().unwrap_or(&self.roots);
            let err = match verify_server_cert_signed_by_trust_anchor(
                leaf,
                roots,
                intermediates,
                time,
                self.algs.all,
            ) {
                Ok(()) => return Ok(()),
                Err(Error::InvalidCertificate(err)) => err,
                Err(other) => return Err(other),
            };
            match &err {
                // Re-verify at a moment when the offending certificate was valid.
                CertificateError::ExpiredContext { not_after, .. } if self.flags.allow_expired => {
                    time = *not_after;
                }
                CertificateError::NotValidYetContext { not_before, .. }
                    if self.flags.allow_expired =>
                {
                    time = *not_before;
                }
                // A trust anchor whose name collides with the issuer but whose key
                // cannot have signed the chain (e.g. Debian's snakeoil certificate,
                // subject "CN=localhost", in the OS store) means: no trusted issuer.
                CertificateError::UnknownIssuer
                | CertificateError::BadSignature
                | CertificateError::UnsupportedSignatureAlgorithmForPublicKeyContext { .. }
                    if own_roots.is_none() =>
                {
                    let top = intermediates.last().unwrap_or(end_entity);
                    let self_signed = is_self_issued(top);
                    let allowed = if self_signed {
                        self.flags.allow_selfsigned
                    } else {
                        self.flags.allow_insecure
                    };
                    if !allowed {
                        return Err(if self_signed {
                            problem(CertProblem::SelfSigned)
                        } else {
                            Error::InvalidCertificate(err)
                        });
                    }
                    if !self_signed && intermediates.is_empty() {
                        // A lone leaf from an unknown issuer: there is no signature we can
                        // check. Its dates, basic constraints and key usage passed already
                        // (webpki checks them before looking for the issuer).
                        return Ok(());
                    }
                    // Trust the top of the presented chain, and verify everything below it.
                    let mut store = RootCertStore::empty();
                    store.add(top.clone().into_owned())?;
                    own_roots = Some(store);
                }
                CertificateError::Other(other)
                    if matches!(
                        other.0.downcast_ref::<webpki::Error>(),
                        Some(webpki::Error::CaUsedAsEndEntity)
                    ) && intermediates.is_empty()
                        && is_self_issued(end_entity) =>
                {
                    // A self-signed `CA:TRUE` certificate used as a server certificate (what
                    // `openssl req -x509` makes by default). webpki refuses a CA as end
                    // entity before looking at the issuer; its dates were checked already.
                    // OpenSSL accepts it when it is itself a trust anchor, or with the flag.
                    return if self.flags.allow_selfsigned || is_anchor(roots, end_entity) {
                        Ok(())
                    } else {
                        Err(problem(CertProblem::SelfSigned))
                    };
                }
                _ => return Err(Error::InvalidCertificate(err)),
            }
            last_err = Error::InvalidCertificate(err);
        }
        Err(last_err)
    }
}

/// A verification failure in a class rustls has no variant for.
fn problem(p: CertProblem) -> Error {
    Error::InvalidCertificate(CertificateError::Other(OtherError(Arc::new(p))))
}

/// True when the certificate's issuer name equals its subject name.
///
/// That is how OpenSSL tells "self-signed" apart from "unknown issuer" when it reports
/// an untrusted chain; the signature itself is checked when the certificate is then used
/// as the trust anchor.
pub fn is_self_issued(cert: &CertificateDer<'_>) -> bool {
    match webpki::EndEntityCert::try_from(cert) {
        Ok(parsed) => parsed.issuer() == parsed.subject(),
        Err(_) => false,
    }
}

/// True when `cert` (subject and key) is one of the trust anchors of `roots`.
fn is_anchor(roots: &RootCertStore, cert: &CertificateDer<'_>) -> bool {
    match webpki::anchor_from_trusted_cert(cert) {
        Ok(anchor) => roots.roots.iter().any(|a| {
            a.subject.as_ref() == anchor.subject.as_ref()
                && a.subject_public_key_info.as_ref() == anchor.subject_public_key_info.as_ref()
        }),
        Err(_) => false,
    }
}

/// The name check OpenSSL's `X509_check_host` adds to webpki's (lws's OpenSSL
/// client relies on it): a certificate without DNS or IP subjectAltNames names
/// its host by the subject's common name, compared without case, with a
/// leftmost `*` label matching exactly one label. Many self-signed
/// certificates (`openssl req -x509 -subj /CN=host`) carry only that.
fn subject_cn_names(end_entity: &CertificateDer<'_>, server_name: &ServerName<'_>) -> bool {
    use x509_parser::extensions::GeneralName;
    let Ok((_, cert)) = x509_parser::parse_x509_certificate(end_entity.as_ref()) else {
        return false;
    };
    let has_san_names = cert
        .subject_alternative_name()
        .ok()
        .flatten()
        .is_some_and(|ext| {
            ext.value
                .general_names
                .iter()
                .any(|n| matches!(n, GeneralName::DNSName(_) | GeneralName::IPAddress(_)))
        });
    if has_san_names {
        return false;
    }
    let host = match server_name {
        ServerName::DnsName(d) => d.as_ref().to_string(),
        ServerName::IpAddress(ip) => std::net::IpAddr::from(*ip).to_string(),
        _ => return false,
    };
    let named = cert
        .subject()
        .iter_common_name()
        .filter_map(|cn| cn.as_str().ok())
        .any(|cn| cn_matches(cn, &host));
    named
}

/// `pattern` (a common name) names `host`: equal without case, or `*.rest`
/// matching one non-empty label followed by `.rest` (no partial wildcards).
fn cn_matches(pattern: &str, host: &str) -> bool {
    let host = host.trim_end_matches('.');
    let pattern = pattern.trim_end_matches('.');
    if pattern.eq_ignore_ascii_case(host) {
        return true;
    }
    let Some(rest) = pattern.strip_prefix("*.") else {
        return false;
    };
    // A wildcard needs at least two labels after it, as OpenSSL requires.
    if !rest.contains('.') {
        return false;
    }
    match host.split_once('.') {
        Some((label, tail)) => !label.is_empty() && tail.eq_ignore_ascii_case(rest),
        None => false,
    }
}

impl ServerCertVerifier for LwsServerVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        let leaf = ParsedCertificate::try_from(end_entity)?;
        self.verify_chain(&leaf, end_entity, intermediates, now)?;
        if !self.flags.skip_hostname_check {
            if let Err(e) = verify_server_name(&leaf, server_name) {
                if !subject_cn_names(end_entity, server_name) {
                    return Err(e);
                }
            }
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls12_signature(message, cert, dss, &self.algs)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls13_signature(message, cert, dss, &self.algs)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.algs.supported_schemes()
    }
}
