//! Building rustls configurations from lws-style TLS settings (spec B3.3, B3.4).
//!
//! Everything is built with the ring provider explicitly, never with the process-wide
//! default provider.
#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use parking_lot::Mutex;
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert, WebPkiClientVerifier};
use rustls::sign::{CertifiedKey, SingleCertAndKey};
use rustls::WantsVerifier;
use rustls::{ClientConfig, ConfigBuilder, RootCertStore, ServerConfig};

use super::ciphers;
use super::error::TlsError;
use super::verify::LwsServerVerifier;
pub use super::verify::VerifyFlags;

/// PEM text (a file's contents or an in-memory blob). DER is accepted too: a single
/// DER certificate, or a DER private key (PKCS#8, PKCS#1 or SEC1).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Pem(pub Vec<u8>);

impl Pem {
    /// The contents of a file. A missing or unreadable file is an error naming it.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Pem, TlsError> {
        let path = path.as_ref();
        std::fs::read(path)
            .map(Pem)
            .map_err(|e| TlsError::Config(format!("cannot read {}: {e}", path.display())))
    }

    /// An in-memory blob.
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Pem {
        Pem(bytes.into())
    }

    fn looks_like_pem(&self) -> bool {
        self.0.windows(11).any(|w| w == b"-----BEGIN ")
    }
}

/// Shows only the size: a `Pem` may hold a private key.
impl fmt::Debug for Pem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pem({} bytes)", self.0.len())
    }
}

/// All certificates in `pem` (PEM, or one DER certificate). `what` names it in errors.
pub fn parse_certs(pem: &Pem, what: &str) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    if !pem.looks_like_pem() {
        if pem.0.first() == Some(&0x30) {
            return Ok(vec![CertificateDer::from(pem.0.clone())]);
        }
        return Err(TlsError::Config(format!("{what}: no certificate found")));
    }
    let certs = CertificateDer::pem_slice_iter(&pem.0)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TlsError::Config(format!("{what}: {e}")))?;
    if certs.is_empty() {
        return Err(TlsError::Config(format!("{what}: no certificate found")));
    }
    Ok(certs)
}

/// The first private key in `pem` (PEM PKCS#8 / PKCS#1 / SEC1, or DER).
///
/// Encrypted keys are not supported (rustls has no PKCS#8 decryption).
pub fn parse_key(pem: &Pem, what: &str) -> Result<PrivateKeyDer<'static>, TlsError> {
    if !pem.looks_like_pem() {
        return PrivateKeyDer::try_from(pem.0.clone())
            .map_err(|e| TlsError::Config(format!("{what}: {e}")));
    }
    match PrivateKeyDer::from_pem_slice(&pem.0) {
        Ok(key) => Ok(key),
        Err(_) if pem.0.windows(9).any(|w| w == b"ENCRYPTED") => Err(TlsError::Config(format!(
            "{what}: encrypted private keys are not supported"
        ))),
        Err(e) => Err(TlsError::Config(format!(
            "{what}: no usable private key: {e}"
        ))),
    }
}

/// A certificate with its key, checked to belong together.
fn certified_key(
    chain: &Pem,
    key: &Pem,
    provider: &CryptoProvider,
    what: &str,
) -> Result<Arc<CertifiedKey>, TlsError> {
    let certs = parse_certs(chain, &format!("{what} certificate"))?;
    let key = parse_key(key, &format!("{what} private key"))?;
    CertifiedKey::from_der(certs, key, provider)
        .map(Arc::new)
        .map_err(|e| TlsError::Config(format!("{what} certificate/key: {e}")))
}

/// Splits lws's comma-separated ALPN list (`"h2,http/1.1"`).
pub fn parse_alpn_list(list: &str) -> Vec<Vec<u8>> {
    list.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| p.as_bytes().to_vec())
        .collect()
}

fn ring_provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

// ------------------------------------------------------------------------------------
// Server

/// What a server vhost's TLS needs (lws `ssl_cert_filepath`, `ssl_private_key_filepath`,
/// `ssl_ca_filepath`, `LWS_SERVER_OPTION_REQUIRE_VALID_OPENSSL_CLIENT_CERT`, `alpn`).
#[derive(Debug, Clone, Default)]
pub struct ServerTlsSpec {
    /// The certificate chain, leaf first.
    pub cert_chain: Pem,
    /// The private key of the leaf.
    pub key: Pem,
    /// CAs that client certificates must chain to; used only with `require_client_cert`.
    pub client_ca: Option<Pem>,
    /// Require a client certificate that chains to `client_ca`.
    pub require_client_cert: bool,
    /// ALPN protocols, in order of preference.
    pub alpn: Vec<Vec<u8>>,
}

/// A server configuration for one vhost.
pub fn server_config(spec: &ServerTlsSpec) -> Result<Arc<ServerConfig>, TlsError> {
    build_server(&[(&[], spec)])
}

/// Several vhosts on one port: the certificate is chosen by SNI.
///
/// The name the client sends is matched, case-insensitively, first exactly against each
/// entry's names, then as a subdomain (`www.example.com` matches an entry named
/// `example.com` or `*.example.com`); with no SNI or no match the first entry is used.
/// One `ServerConfig` has one client-certificate policy and one ALPN list: the entries
/// must agree on `require_client_cert` and `client_ca` (an error otherwise), and the ALPN
/// list of the first entry is used.
pub fn sni_server_config(
    certs: &[(Vec<String>, ServerTlsSpec)],
) -> Result<Arc<ServerConfig>, TlsError> {
    let entries: Vec<(&[String], &ServerTlsSpec)> =
        certs.iter().map(|(n, s)| (n.as_slice(), s)).collect();
    build_server(&entries)
}

fn build_server(entries: &[(&[String], &ServerTlsSpec)]) -> Result<Arc<ServerConfig>, TlsError> {
    let Some((_, first)) = entries.first() else {
        return Err(TlsError::Config("no server certificate given".into()));
    };
    for (_, spec) in entries.iter().skip(1) {
        if spec.require_client_cert != first.require_client_cert
            || (first.require_client_cert && spec.client_ca != first.client_ca)
        {
            return Err(TlsError::Config(
                "vhosts sharing a port must have the same client certificate policy".into(),
            ));
        }
    }
    let provider = ring_provider();
    let mut resolver = SniResolver {
        entries: Vec::new(),
    };
    for (names, spec) in entries {
        let key = certified_key(&spec.cert_chain, &spec.key, &provider, "server")?;
        resolver.entries.push((normalise_names(names), key));
    }

    let builder = ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError::Config(e.to_string()))?;
    let builder = if first.require_client_cert {
        let Some(ca) = &first.client_ca else {
            return Err(TlsError::Config(
                "a client certificate is required but no CA to verify it was given".into(),
            ));
        };
        let mut roots = RootCertStore::empty();
        let (added, _) = roots.add_parsable_certificates(parse_certs(ca, "client CA")?);
        if added == 0 {
            return Err(TlsError::Config("client CA: no usable certificate".into()));
        }
        let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
            .build()
            .map_err(|e| TlsError::Config(format!("client CA: {e}")))?;
        builder.with_client_cert_verifier(verifier)
    } else {
        builder.with_no_client_auth()
    };
    let mut config = builder.with_cert_resolver(Arc::new(resolver));
    config.alpn_protocols = first.alpn.clone();
    Ok(Arc::new(config))
}

/// The entry for an SNI name: exact (case-insensitive) first, then a parent domain
/// (`www.example.com` matches `example.com` or `*.example.com`), else the first entry.
/// `lists` holds lower-case names without a trailing dot.
fn pick_by_name(lists: &[&[String]], sni: Option<&str>) -> usize {
    let Some(sni) = sni else { return 0 };
    let sni = sni.trim_end_matches('.').to_ascii_lowercase();
    if let Some(i) = lists.iter().position(|names| names.contains(&sni)) {
        return i;
    }
    let is_parent = |name: &String| {
        let base = name.strip_prefix("*.").unwrap_or(name);
        sni.len() > base.len() + 1
            && sni.ends_with(base)
            && sni.as_bytes().get(sni.len() - base.len() - 1) == Some(&b'.')
    };
    lists
        .iter()
        .position(|names| names.iter().any(is_parent))
        .unwrap_or(0)
}

fn normalise_names(names: &[String]) -> Vec<String> {
    names
        .iter()
        .map(|n| n.trim_end_matches('.').to_ascii_lowercase())
        .collect()
}

/// Chooses the server certificate by SNI.
#[derive(Debug)]
struct SniResolver {
    /// Lower-case names, and the certificate; never empty.
    entries: Vec<(Vec<String>, Arc<CertifiedKey>)>,
}

impl SniResolver {
    fn pick(&self, sni: Option<&str>) -> Option<&Arc<CertifiedKey>> {
        let lists: Vec<&[String]> = self.entries.iter().map(|(n, _)| n.as_slice()).collect();
        let i = pick_by_name(&lists, sni);
        self.entries.get(i).map(|(_, key)| key)
    }
}

impl ResolvesServerCert for SniResolver {
    fn resolve(&self, client_hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        self.pick(client_hello.server_name()).cloned()
    }
}

/// One vhost's server configuration, and the same without ALPN.
#[derive(Debug)]
struct VhostServerTls {
    names: Vec<String>,
    config: Arc<ServerConfig>,
    without_alpn: Arc<ServerConfig>,
}

/// Server TLS for all the vhosts that share a listen port, chosen per connection from
/// the ClientHello (use it with [`crate::tls::TlsSession::server_select`]).
///
/// Unlike [`sni_server_config`], each vhost keeps its own client-certificate policy and
/// ALPN list. And as with lws on OpenSSL, a client whose ALPN offer has nothing in
/// common with the vhost's list is served without ALPN (rustls alone would refuse the
/// handshake with a `no_application_protocol` alert).
#[derive(Debug)]
pub struct ServerTlsSelector {
    /// The default vhost (the first one).
    first: VhostServerTls,
    /// The others, in order.
    rest: Vec<VhostServerTls>,
}

impl ServerTlsSelector {
    /// Vhost names (matched as in [`sni_server_config`]; the first vhost is the default)
    /// and their TLS settings.
    pub fn new(
        vhosts: &[(Vec<String>, ServerTlsSpec)],
    ) -> Result<Arc<ServerTlsSelector>, TlsError> {
        let mut out = Vec::with_capacity(vhosts.len());
        for (names, spec) in vhosts {
            let config = build_server(&[(names.as_slice(), spec)])?;
            let without_alpn = if config.alpn_protocols.is_empty() {
                config.clone()
            } else {
                let mut plain = (*config).clone();
                plain.alpn_protocols.clear();
                Arc::new(plain)
            };
            out.push(VhostServerTls {
                names: normalise_names(names),
                config,
                without_alpn,
            });
        }
        let mut out = out.into_iter();
        let Some(first) = out.next() else {
            return Err(TlsError::Config("no server certificate given".into()));
        };
        Ok(Arc::new(ServerTlsSelector {
            first,
            rest: out.collect(),
        }))
    }

    /// The configuration for a ClientHello with this SNI name and ALPN offer.
    pub fn select<'a>(
        &self,
        sni: Option<&str>,
        client_alpn: Option<impl Iterator<Item = &'a [u8]>>,
    ) -> Arc<ServerConfig> {
        let vhost = self.vhost(self.vhost_index(sni));
        let ours = &vhost.config.alpn_protocols;
        let no_overlap = match client_alpn {
            Some(offered) if !ours.is_empty() => {
                let mut offered = offered;
                !offered.any(|p| ours.iter().any(|o| o == p))
            }
            _ => false,
        };
        if no_overlap {
            vhost.without_alpn.clone()
        } else {
            vhost.config.clone()
        }
    }

    /// Which vhost (index in the list given to `new`) an SNI name selects.
    pub fn vhost_index(&self, sni: Option<&str>) -> usize {
        let lists: Vec<&[String]> = std::iter::once(&self.first)
            .chain(&self.rest)
            .map(|v| v.names.as_slice())
            .collect();
        pick_by_name(&lists, sni)
    }

    fn vhost(&self, index: usize) -> &VhostServerTls {
        match index.checked_sub(1) {
            Some(i) => self.rest.get(i).unwrap_or(&self.first),
            None => &self.first,
        }
    }
}

// ------------------------------------------------------------------------------------
// Client

/// What a vhost's client TLS context needs (spec B3.4).
#[derive(Debug, Clone, Default)]
pub struct ClientTlsSpec {
    /// Extra trust anchors (`client_ssl_ca_filepath` / `client_ssl_ca_mem`), PEM or DER.
    /// One that yields no certificate is a warning, not an error (B3.4).
    pub ca: Vec<Pem>,
    /// Directories of CA files (OpenSSL `CApath` style), loaded as extra trust anchors.
    pub ca_dirs: Vec<PathBuf>,
    /// Trust the OS store (unless `LWS_SERVER_OPTION_DISABLE_OS_CA_CERTS`).
    pub system_roots: bool,
    /// A client certificate chain and its key. Unusable or mismatched is an error.
    pub client_cert: Option<(Pem, Pem)>,
    /// `client_ssl_cipher_list` (OpenSSL syntax, TLS ≤ 1.2).
    pub cipher_list: Option<String>,
    /// `client_tls_1_3_plus_cipher_list`.
    pub tls13_cipher_list: Option<String>,
}

/// The OS trust store, loaded once per process (`SSL_CERT_FILE` / `SSL_CERT_DIR` are
/// honoured the first time).
fn system_roots() -> &'static (Vec<CertificateDer<'static>>, Vec<String>) {
    static ROOTS: OnceLock<(Vec<CertificateDer<'static>>, Vec<String>)> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let found = rustls_native_certs::load_native_certs();
        let warnings = found
            .errors
            .iter()
            .map(|e| format!("system trust store: {e}"))
            .collect();
        (found.certs, warnings)
    })
}

/// Most distinct (flags, ALPN) configurations kept by one [`ClientTls`].
const CONFIG_CACHE_MAX: usize = 32;

type ConfigKey = (VerifyFlags, Vec<Vec<u8>>);

/// A vhost's client TLS context. Connections pick a configuration by their
/// [`VerifyFlags`] and ALPN list; the few combinations in use are cached.
pub struct ClientTls {
    builder: ConfigBuilder<ClientConfig, WantsVerifier>,
    roots: Arc<RootCertStore>,
    algs: WebPkiSupportedAlgorithms,
    client_cert: Option<Arc<CertifiedKey>>,
    cache: Mutex<HashMap<ConfigKey, Arc<ClientConfig>>>,
    warnings: Vec<String>,
}

impl fmt::Debug for ClientTls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientTls")
            .field("trust_anchors", &self.roots.len())
            .field("client_cert", &self.client_cert.is_some())
            .field("warnings", &self.warnings)
            .finish_non_exhaustive()
    }
}

impl ClientTls {
    /// Builds the context. Fails on an unusable client certificate or key (B3.4); CA
    /// problems and cipher-list entries that rustls cannot honour become [`warnings`].
    ///
    /// [`warnings`]: ClientTls::warnings
    pub fn new(spec: &ClientTlsSpec) -> Result<ClientTls, TlsError> {
        let selection = ciphers::select(
            spec.cipher_list.as_deref(),
            spec.tls13_cipher_list.as_deref(),
        );
        let mut warnings = selection.warnings;
        let algs = selection.provider.signature_verification_algorithms;
        let provider = Arc::new(selection.provider);

        let mut roots = RootCertStore::empty();
        if spec.system_roots {
            let (certs, errors) = system_roots();
            warnings.extend(errors.iter().cloned());
            let (added, _) = roots.add_parsable_certificates(certs.iter().cloned());
            if added == 0 {
                warnings.push("system trust store: no certificate found".into());
            }
        }
        for (i, ca) in spec.ca.iter().enumerate() {
            match parse_certs(ca, &format!("CA #{}", i + 1)) {
                Ok(certs) => {
                    let (_, ignored) = roots.add_parsable_certificates(certs);
                    if ignored > 0 {
                        warnings.push(format!("CA #{}: {ignored} certificate(s) unusable", i + 1));
                    }
                }
                Err(e) => warnings.push(e.to_string()),
            }
        }
        for dir in &spec.ca_dirs {
            let found = rustls_native_certs::load_certs_from_paths(None, Some(dir));
            for e in &found.errors {
                warnings.push(format!("CA directory {}: {e}", dir.display()));
            }
            let (added, _) = roots.add_parsable_certificates(found.certs);
            if added == 0 {
                warnings.push(format!(
                    "CA directory {}: no certificate found",
                    dir.display()
                ));
            }
        }

        let client_cert = match &spec.client_cert {
            Some((chain, key)) => Some(certified_key(chain, key, &provider, "client")?),
            None => None,
        };
        let builder = ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&selection.versions)
            .map_err(|e| TlsError::Config(format!("cipher lists: {e}")))?;

        Ok(ClientTls {
            builder,
            roots: Arc::new(roots),
            algs,
            client_cert,
            cache: Mutex::new(HashMap::new()),
            warnings,
        })
    }

    /// What could not be honoured (unusable CA entries, cipher-list entries): log these.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// A copy that also trusts `der` (one DER certificate), for
    /// `lws_tls_client_vhost_extra_cert_mem`; configs are rebuilt as needed.
    pub fn with_extra_anchor(&self, der: &[u8]) -> Result<ClientTls, TlsError> {
        let mut roots = (*self.roots).clone();
        roots
            .add(CertificateDer::from(der.to_vec()))
            .map_err(|e| TlsError::Config(format!("extra CA certificate: {e}")))?;
        Ok(ClientTls {
            builder: self.builder.clone(),
            roots: Arc::new(roots),
            algs: self.algs,
            client_cert: self.client_cert.clone(),
            cache: Mutex::new(HashMap::new()),
            warnings: self.warnings.clone(),
        })
    }

    /// How many trust anchors the context has.
    pub fn trust_anchor_count(&self) -> usize {
        self.roots.len()
    }

    /// The configuration for a connection with these flags and ALPN list.
    pub fn config(&self, flags: VerifyFlags, alpn: &[Vec<u8>]) -> Arc<ClientConfig> {
        let key = (flags, alpn.to_vec());
        let mut cache = self.cache.lock();
        if let Some(cfg) = cache.get(&key) {
            return cfg.clone();
        }
        let verifier = Arc::new(LwsServerVerifier::new(self.roots.clone(), flags, self.algs));
        let builder = self
            .builder
            .clone()
            .dangerous()
            .with_custom_certificate_verifier(verifier);
        let mut cfg = match &self.client_cert {
            Some(ck) => {
                builder.with_client_cert_resolver(Arc::new(SingleCertAndKey::from(ck.clone())))
            }
            None => builder.with_no_client_auth(),
        };
        cfg.alpn_protocols = alpn.to_vec();
        let cfg = Arc::new(cfg);
        if cache.len() >= CONFIG_CACHE_MAX {
            cache.clear();
        }
        cache.insert(key, cfg.clone());
        cfg
    }
}
