//! X.509 certificates as lws's `lws_x509_*` and `lws_tls_*_cert_info` see
//! them (issue 15), parsed with x509-parser instead of OpenSSL. Names are
//! rendered as OpenSSL's `X509_NAME_oneline` does ("/C=GB/O=Org/CN=name"),
//! because lws hands that text to its users.
#![forbid(unsafe_code)]

use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::FromDer;
use x509_parser::x509::X509Name;

/// One of `enum lws_tls_cert_info` (the values are lws's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CertInfo {
    ValidityFrom = 0,
    ValidityTo = 1,
    CommonName = 2,
    IssuerName = 3,
    Usage = 4,
    Verified = 5,
    OpaquePublicKey = 6,
    DerRaw = 7,
    AuthorityKeyId = 8,
    AuthorityKeyIdIssuer = 9,
    AuthorityKeyIdSerial = 10,
    SubjectKeyId = 11,
}

impl CertInfo {
    /// The kind for lws's enum value, None when out of range.
    pub fn from_raw(v: u32) -> Option<CertInfo> {
        use CertInfo::*;
        [
            ValidityFrom,
            ValidityTo,
            CommonName,
            IssuerName,
            Usage,
            Verified,
            OpaquePublicKey,
            DerRaw,
            AuthorityKeyId,
            AuthorityKeyIdIssuer,
            AuthorityKeyIdSerial,
            SubjectKeyId,
        ]
        .get(v as usize)
        .copied()
    }
}

/// What a certificate query gives, as lws fills `union lws_tls_cert_info_results`.
#[derive(Debug, PartialEq, Eq)]
pub enum Info {
    /// `time` (seconds since the epoch).
    Time(i64),
    /// `usage`: the key-usage bits as OpenSSL numbers them (KU_DIGITAL_SIGNATURE
    /// 0x80 ... KU_DECIPHER_ONLY 0x8000), all ones without the extension.
    Usage(u32),
    /// `ns`: text (NUL-terminated by the caller) or raw bytes.
    Text(Vec<u8>),
    Bytes(Vec<u8>),
    /// The certificate has no such extension: lws returns 1.
    Absent,
}

/// Why a query or a verification failed (lws returns -1).
#[derive(Debug, PartialEq, Eq)]
pub enum X509Error {
    Parse,
    /// The answer does not fit in the caller's `len` bytes.
    TooLong,
    Unsupported,
    CommonNameMismatch,
    NotIssuedBy,
}

impl std::fmt::Display for X509Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            X509Error::Parse => "unable to parse cert",
            X509Error::TooLong => "result does not fit the buffer",
            X509Error::Unsupported => "unsupported cert info type",
            X509Error::CommonNameMismatch => "common name mismatch",
            X509Error::NotIssuedBy => "unable to verify cert relationship",
        })
    }
}

/// A certificate, kept as its DER (parsed again per query: queries are rare).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cert {
    der: Vec<u8>,
}

/// The size of `ns.name` lws assumes when the caller passes `len` 0.
pub const DEFAULT_NAME_LEN: usize = 64;

impl Cert {
    /// The first certificate of a PEM text.
    pub fn from_pem(pem: &[u8]) -> Result<Cert, X509Error> {
        let (_, pem) = x509_parser::pem::parse_x509_pem(pem).map_err(|_| X509Error::Parse)?;
        if pem.label != "CERTIFICATE" {
            return Err(X509Error::Parse);
        }
        Cert::from_der(pem.contents)
    }

    /// A DER certificate.
    pub fn from_der(der: Vec<u8>) -> Result<Cert, X509Error> {
        X509Certificate::from_der(&der).map_err(|_| X509Error::Parse)?;
        Ok(Cert { der })
    }

    pub fn der(&self) -> &[u8] {
        &self.der
    }

    fn parsed(&self) -> X509Certificate<'_> {
        // from_der checked that it parses.
        X509Certificate::from_der(&self.der)
            .map(|(_, c)| c)
            .unwrap_or_else(|_| unreachable!("checked at construction"))
    }

    /// Answers `what` as lws_x509_info does, with `len` the room in `ns.name`
    /// (0 meaning 64). `Verified` is a property of a connection, not of a
    /// certificate: Unsupported here.
    pub fn info(&self, what: CertInfo, len: usize) -> Result<Info, X509Error> {
        let len = if len == 0 { DEFAULT_NAME_LEN } else { len };
        let c = self.parsed();
        let fits = |b: Vec<u8>| {
            if b.len() > len {
                Err(X509Error::TooLong)
            } else {
                Ok(Info::Bytes(b))
            }
        };
        match what {
            CertInfo::ValidityFrom => Ok(Info::Time(c.validity().not_before.timestamp())),
            CertInfo::ValidityTo => Ok(Info::Time(c.validity().not_after.timestamp())),
            CertInfo::CommonName => {
                // lws: the subject's oneline in len - 2, then what follows "/CN=".
                let line = oneline(c.subject(), len.saturating_sub(2));
                let cn = match line.find("/CN=") {
                    Some(at) => line[at + 4..].to_string(),
                    None => line,
                };
                Ok(Info::Text(cn.into_bytes()))
            }
            CertInfo::IssuerName => Ok(Info::Text(
                oneline(c.issuer(), len.saturating_sub(1)).into_bytes(),
            )),
            CertInfo::Usage => Ok(Info::Usage(match c.key_usage() {
                Ok(Some(ku)) => openssl_key_usage(ku.value.flags),
                _ => u32::MAX,
            })),
            CertInfo::Verified => Err(X509Error::Unsupported),
            CertInfo::OpaquePublicKey => fits(c.public_key().raw.to_vec()),
            CertInfo::DerRaw => fits(self.der.clone()),
            CertInfo::SubjectKeyId => match extension(&c, |e| match e {
                ParsedExtension::SubjectKeyIdentifier(k) => Some(k.0.to_vec()),
                _ => None,
            }) {
                Some(k) => fits(k),
                None => Ok(Info::Absent),
            },
            CertInfo::AuthorityKeyId => match extension(&c, |e| match e {
                ParsedExtension::AuthorityKeyIdentifier(a) => {
                    a.key_identifier.as_ref().map(|k| k.0.to_vec())
                }
                _ => None,
            }) {
                Some(k) => fits(k),
                None => Ok(Info::Absent),
            },
            CertInfo::AuthorityKeyIdIssuer => {
                let names = extension(&c, |e| match e {
                    ParsedExtension::AuthorityKeyIdentifier(a) => a
                        .authority_cert_issuer
                        .as_ref()
                        .map(|v| v.iter().filter_map(general_name_text).collect::<Vec<_>>()),
                    _ => None,
                });
                // lws appends each "<type><value>" that still fits (len > its length).
                let mut out = String::new();
                let mut room = len;
                for n in names.unwrap_or_default() {
                    if room > n.len() {
                        room -= n.len();
                        out.push_str(&n);
                    }
                }
                if out.is_empty() {
                    Ok(Info::Absent)
                } else {
                    Ok(Info::Text(out.into_bytes()))
                }
            }
            // lws 4.3.3 finds the serial but does not render it (its code for
            // that is compiled out): 0 with an empty result.
            CertInfo::AuthorityKeyIdSerial => match extension(&c, |e| match e {
                ParsedExtension::AuthorityKeyIdentifier(a) => a.authority_cert_serial.map(|_| ()),
                _ => None,
            }) {
                Some(()) => Ok(Info::Bytes(Vec::new())),
                None => Ok(Info::Absent),
            },
        }
    }

    /// lws_x509_verify: when `common_name` is given, the subject's CN (from a
    /// 30-char oneline, as lws) must equal it; then `trusted` must have issued
    /// this certificate (its subject is our issuer and its key made our
    /// signature; lws checks the issuer relationship with X509_check_issued).
    pub fn verify(&self, trusted: &Cert, common_name: Option<&str>) -> Result<(), X509Error> {
        let c = self.parsed();
        if let Some(want) = common_name {
            let line = oneline(c.subject(), 30);
            let cn = match line.find("/CN=") {
                Some(at) => &line[at + 4..],
                None => &line[..],
            };
            if cn != want {
                return Err(X509Error::CommonNameMismatch);
            }
        }
        let t = trusted.parsed();
        if t.subject().as_raw() != c.issuer().as_raw() {
            return Err(X509Error::NotIssuedBy);
        }
        if let Ok(Some(ku)) = t.key_usage() {
            if !ku.value.key_cert_sign() {
                return Err(X509Error::NotIssuedBy);
            }
        }
        c.verify_signature(Some(t.public_key()))
            .map_err(|_| X509Error::NotIssuedBy)
    }
}

fn extension<T>(
    c: &X509Certificate<'_>,
    pick: impl Fn(&ParsedExtension<'_>) -> Option<T>,
) -> Option<T> {
    c.extensions()
        .iter()
        .find_map(|e| pick(e.parsed_extension()))
}

/// A general name as OpenSSL's i2v_GENERAL_NAMES names it: type then value.
fn general_name_text(n: &GeneralName<'_>) -> Option<String> {
    Some(match n {
        GeneralName::DNSName(s) => format!("DNS{s}"),
        GeneralName::RFC822Name(s) => format!("email{s}"),
        GeneralName::URI(s) => format!("URI{s}"),
        GeneralName::DirectoryName(name) => format!("DirName{}", oneline(name, 256)),
        _ => return None,
    })
}

/// The key-usage bit string's first two octets as OpenSSL packs them: DER bit
/// 0 (digitalSignature) is 0x80, bit 7 is 0x01, bit 8 (decipherOnly) 0x8000.
fn openssl_key_usage(flags: u16) -> u32 {
    let lo = (flags & 0xff) as u8;
    let hi = (flags >> 8) as u8;
    u32::from(lo.reverse_bits()) | (u32::from(hi.reverse_bits()) << 8)
}

/// OpenSSL's short name for an attribute type, else its dotted OID.
fn short_name(oid: &str) -> String {
    match oid {
        "2.5.4.3" => "CN",
        "2.5.4.4" => "SN",
        "2.5.4.5" => "serialNumber",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.9" => "street",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.12" => "title",
        "2.5.4.17" => "postalCode",
        "2.5.4.42" => "GN",
        "2.5.4.43" => "initials",
        "2.5.4.44" => "generationQualifier",
        "2.5.4.46" => "dnQualifier",
        "2.5.4.65" => "pseudonym",
        "1.2.840.113549.1.9.1" => "emailAddress",
        "0.9.2342.19200300.100.1.1" => "UID",
        "0.9.2342.19200300.100.1.25" => "DC",
        other => return other.to_string(),
    }
    .to_string()
}

/// X509_NAME_oneline into a buffer of `size` bytes: "/type=value" per
/// attribute, bytes outside printable ASCII as \xHH, and only whole
/// attributes that fit in `size - 1` characters.
pub fn oneline(name: &X509Name<'_>, size: usize) -> String {
    let room = size.saturating_sub(1);
    let mut out = String::new();
    for attr in name.iter_attributes() {
        let mut entry = format!("/{}=", short_name(&attr.attr_type().to_id_string()));
        let value = attr
            .as_str()
            .map(str::as_bytes)
            .unwrap_or(attr.attr_value().data);
        for &b in value {
            if (b' '..=b'~').contains(&b) {
                entry.push(char::from(b));
            } else {
                entry.push_str(&format!("\\x{b:02X}"));
            }
        }
        if out.len() + entry.len() > room {
            break;
        }
        out.push_str(&entry);
    }
    out
}
