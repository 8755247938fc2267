//! OpenSSL-style cipher lists, honoured as far as rustls allows.
//!
//! rustls offers a fixed set of AEAD suites (ring provider: three TLS 1.3 suites and six
//! ECDHE TLS 1.2 suites). A list naming some of them (by OpenSSL or IANA name) restricts
//! and orders the offer; `!NAME` / `-NAME` removes a suite. Everything else (keywords,
//! suites rustls does not have, `+` moves, `@STRENGTH`, ...) cannot be honoured and is
//! reported as a warning. A list that names no usable suite leaves the defaults in place.
#![forbid(unsafe_code)]

use rustls::crypto::CryptoProvider;
use rustls::{CipherSuite, SupportedCipherSuite, SupportedProtocolVersion};

/// Known names of the suites the ring provider offers: OpenSSL name(s), IANA name.
const NAMES: &[(&str, CipherSuite)] = &[
    (
        "TLS_AES_128_GCM_SHA256",
        CipherSuite::TLS13_AES_128_GCM_SHA256,
    ),
    (
        "TLS13_AES_128_GCM_SHA256",
        CipherSuite::TLS13_AES_128_GCM_SHA256,
    ),
    (
        "TLS_AES_256_GCM_SHA384",
        CipherSuite::TLS13_AES_256_GCM_SHA384,
    ),
    (
        "TLS13_AES_256_GCM_SHA384",
        CipherSuite::TLS13_AES_256_GCM_SHA384,
    ),
    (
        "TLS_CHACHA20_POLY1305_SHA256",
        CipherSuite::TLS13_CHACHA20_POLY1305_SHA256,
    ),
    (
        "TLS13_CHACHA20_POLY1305_SHA256",
        CipherSuite::TLS13_CHACHA20_POLY1305_SHA256,
    ),
    (
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    ),
    (
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    ),
    (
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    ),
    (
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    ),
    (
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        CipherSuite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    ),
    (
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        CipherSuite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    ),
    (
        "ECDHE-RSA-AES128-GCM-SHA256",
        CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    ),
    (
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    ),
    (
        "ECDHE-RSA-AES256-GCM-SHA384",
        CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    ),
    (
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    ),
    (
        "ECDHE-RSA-CHACHA20-POLY1305",
        CipherSuite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ),
    (
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        CipherSuite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ),
];

/// Keywords that select every suite rustls offers.
const ALL_KEYWORDS: &[&str] = &["DEFAULT", "ALL", "HIGH"];

/// Exclusions that rustls satisfies anyway: it never offers such suites.
const NEVER_OFFERED: &[&str] = &[
    "aNULL", "eNULL", "NULL", "EXPORT", "EXP", "LOW", "MEDIUM", "MD5", "RC4", "DES", "3DES",
    "IDEA", "SEED", "CAMELLIA", "ARIA", "PSK", "SRP", "DSS", "aDSS", "ADH", "AECDH", "kRSA",
    "kDHE", "EDH", "DHE", "SHA1", "SHA", "CBC", "AESCCM", "AESCCM8",
];

/// The result of applying the lists: the provider to build configs with.
pub(crate) struct CipherSelection {
    pub provider: CryptoProvider,
    pub versions: Vec<&'static SupportedProtocolVersion>,
    pub warnings: Vec<String>,
}

fn lookup(name: &str) -> Option<CipherSuite> {
    NAMES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, s)| *s)
}

fn is_tls13(s: &SupportedCipherSuite) -> bool {
    matches!(s, SupportedCipherSuite::Tls13(_))
}

/// Applies `cipher_list` (TLS ≤ 1.2 in OpenSSL) and `tls13_cipher_list` to the ring
/// provider. A known suite name is honoured in whichever list it appears.
pub(crate) fn select(tls12_list: Option<&str>, tls13_list: Option<&str>) -> CipherSelection {
    let base = rustls::crypto::ring::default_provider();
    let all: Vec<SupportedCipherSuite> = base.cipher_suites.clone();
    let mut warnings = Vec::new();
    let mut wanted: Vec<CipherSuite> = Vec::new();
    let mut excluded: Vec<CipherSuite> = Vec::new();
    let mut all_requested = false;

    for (what, list) in [
        ("cipher list", tls12_list),
        ("TLS 1.3 cipher list", tls13_list),
    ] {
        let Some(list) = list else { continue };
        for tok in list
            .split([':', ',', ' ', ';'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            if let Some(name) = tok.strip_prefix('!').or_else(|| tok.strip_prefix('-')) {
                if let Some(suite) = lookup(name) {
                    excluded.push(suite);
                } else if !NEVER_OFFERED.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                    warnings.push(format!("{what}: cannot honour exclusion '{tok}'; ignored"));
                }
            } else if let Some(suite) = lookup(tok) {
                if !wanted.contains(&suite) {
                    wanted.push(suite);
                }
            } else if ALL_KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(tok)) {
                all_requested = true;
            } else {
                warnings.push(format!(
                    "{what}: '{tok}' is not a cipher suite rustls offers; ignored"
                ));
            }
        }
    }

    let pick = |tls13: bool| -> Vec<SupportedCipherSuite> {
        let named: Vec<SupportedCipherSuite> = wanted
            .iter()
            .filter_map(|w| all.iter().find(|s| s.suite() == *w).copied())
            .filter(|s| is_tls13(s) == tls13)
            .collect();
        let mut chosen = if named.is_empty() || all_requested {
            let mut v = named;
            for s in all.iter().filter(|s| is_tls13(s) == tls13) {
                if !v.iter().any(|x| x.suite() == s.suite()) {
                    v.push(*s);
                }
            }
            v
        } else {
            named
        };
        chosen.retain(|s| !excluded.contains(&s.suite()));
        chosen
    };
    let tls13 = pick(true);
    let tls12 = pick(false);

    let mut suites: Vec<SupportedCipherSuite> = tls13.iter().chain(tls12.iter()).copied().collect();
    let mut versions = Vec::new();
    if !tls13.is_empty() {
        versions.push(&rustls::version::TLS13);
    }
    if !tls12.is_empty() {
        versions.push(&rustls::version::TLS12);
    }
    if suites.is_empty() {
        warnings.push("the cipher lists leave no suite; using the rustls defaults".to_string());
        suites = all;
        versions = vec![&rustls::version::TLS13, &rustls::version::TLS12];
    }
    CipherSelection {
        provider: CryptoProvider {
            cipher_suites: suites,
            ..base
        },
        versions,
        warnings,
    }
}
