//! Vhosts: a name, a protocol table, an optional listening socket, and where the
//! vhost is in its protocol-init / destroy life.
#![forbid(unsafe_code)]

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use std::sync::Arc;

use mio::net::TcpListener;

use crate::tls::config::{ClientTls, ServerTlsSelector, ServerTlsSpec};

use super::Error;

/// What the vhost needs to know of one protocol; the C table itself stays with
/// the boundary layer.
#[derive(Clone, Debug, Default)]
pub struct ProtocolSpec {
    pub name: String,
    pub per_session_data_size: usize,
    pub rx_buffer_size: usize,
    pub tx_packet_size: usize,
    pub id: u32,
    /// Whether PROTOCOL_INIT is sent to it (spec B1.5: every protocol when the
    /// vhost has no pvo list, else only those named in it).
    pub instantiated: bool,
}

/// Where a vhost listens (spec B1.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listen {
    /// `CONTEXT_PORT_NO_LISTEN`: client-only.
    None,
    /// `CONTEXT_PORT_NO_LISTEN_SERVER`: no socket, but serves adopted ones.
    AdoptOnly,
    /// A TCP port (0: the OS picks one) on an address (None: every IPv4 address).
    Tcp { port: u16, addr: Option<IpAddr> },
}

#[derive(Clone, Debug)]
pub struct VhostConfig {
    pub name: String,
    pub protocols: Vec<ProtocolSpec>,
    pub listen: Listen,
    /// `LWS_SERVER_OPTION_SKIP_PROTOCOL_INIT`.
    pub skip_protocol_init: bool,
    /// The validity policy of connections accepted here.
    pub validity: Validity,
    /// `info.keepalive_timeout` (default 5): idle limit between keep-alive
    /// requests.
    pub keepalive_secs: u32,
    pub mounts: Vec<crate::http::Mount>,
    /// `info.headers`: added to every HTTP response.
    pub headers: Vec<(String, String)>,
    /// `info.server_string`.
    pub server_string: Option<String>,
    /// `info.error_document_404`: a 404 answer becomes a 302 to this URI.
    pub error_document_404: Option<String>,
    /// Server TLS (B3.3): None serves plain TCP.
    pub server_tls: Option<ServerTlsSpec>,
    pub client_tls: ClientTlsState,
    /// Plain-text clients on this TLS listener (B3.3).
    pub plain_on_tls: PlainOnTls,
    /// permessage-deflate from `info.extensions`, offered (client) and
    /// accepted (server) on this vhost's connections.
    pub deflate: Option<crate::ws::deflate::DeflateConfig>,
    /// What accepted connections become (`LWS_SERVER_OPTION_ONLY_RAW`,
    /// `..._FALLBACK_TO_APPLY_LISTEN_ACCEPT_CONFIG`).
    pub accept: AcceptAs,
}

/// What a vhost's accepted connections become.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AcceptAs {
    /// HTTP (and WebSocket upgrades): the default.
    #[default]
    Http,
    /// Raw sockets bound to this protocol index (`LWS_SERVER_OPTION_ONLY_RAW`).
    Raw { protocol: usize },
    /// HTTP, unless the first bytes cannot be an HTTP request: then a raw
    /// socket bound to this protocol index.
    HttpOrRaw { protocol: usize },
}

/// What a TLS listener does with a client that speaks plain text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PlainOnTls {
    /// Dropped (the default).
    #[default]
    Refuse,
    /// Served as plain HTTP (`..._ALLOW_NON_SSL_ON_SSL_PORT` with
    /// `..._ALLOW_HTTP_ON_HTTPS_LISTENER`).
    Serve,
    /// Requests answered with a 301 to the https:// URL (`..._ALLOW_NON_SSL_ON_SSL_PORT`
    /// with `..._REDIRECT_HTTP_TO_HTTPS`); upgrades served as plain.
    Redirect,
}

/// The vhost's client TLS context (B3.4).
#[derive(Clone)]
#[allow(clippy::large_enum_variant, reason = "one per vhost")]
pub enum ClientTlsState {
    /// Built without `LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT`: TLS connects fail.
    NotConfigured,
    Ready {
        tls: Arc<ClientTls>,
        /// A trust source that could not be used (not fatal, B3.4); named in
        /// the error when a handshake then fails.
        ca_problem: Option<String>,
    },
}

impl std::fmt::Debug for ClientTlsState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClientTlsState::NotConfigured => f.write_str("NotConfigured"),
            ClientTlsState::Ready { ca_problem, .. } => {
                write!(f, "Ready (CA problem: {ca_problem:?})")
            }
        }
    }
}

/// When to ping an idle WebSocket connection and when to give up on it
/// (`lws_retry_bo_t`'s `secs_since_valid_ping` / `_hangup`, spec B6.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Validity {
    pub ping_secs: u16,
    /// 0 disables the mechanism.
    pub hangup_secs: u16,
}

impl Default for Validity {
    /// lws's context default: ping after 300 s, hang up after 310 s.
    fn default() -> Validity {
        Validity {
            ping_secs: 300,
            hangup_secs: 310,
        }
    }
}

/// How far protocol initialisation got on this vhost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InitState {
    Pending,
    /// Protocols below `next` have had their PROTOCOL_INIT.
    Running {
        next: usize,
    },
    Done,
    /// `SKIP_PROTOCOL_INIT`: never initialised, never destroyed.
    Skipped,
}

/// Where the vhost is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Life {
    Live,
    /// `lws_vhost_destroy1` was called: no longer found by name nor picked
    /// for new connections, its listener handed on or closed; its
    /// connections and protocols live on until `lws_vhost_destroy` or the
    /// context's end.
    Retiring,
    /// `lws_vhost_destroy` was called; torn down at the end of the service pass.
    Doomed,
    Destroyed,
}

pub struct Vhost {
    pub name: String,
    pub protocols: Vec<ProtocolSpec>,
    pub listener: Option<TcpListener>,
    pub listen_port: Option<u16>,
    /// Another vhost of this context already listens on the same port: its
    /// socket is shared, and requests are routed by Host (B3.1).
    pub shares_listener_of: Option<super::VhostId>,
    pub init: InitState,
    /// Per protocol: false when its PROTOCOL_INIT returned non-zero, so it gets no
    /// PROTOCOL_DESTROY (lws main's rule; see docs/COMPAT.md).
    pub init_ok: Vec<bool>,
    pub life: Life,
    pub validity: Validity,
    pub keepalive_secs: u32,
    /// Since when (µs) accepting has been failing for want of descriptors;
    /// retried on a timer and whenever a connection closes.
    pub accept_starved_since: Option<u64>,
    pub mounts: Vec<crate::http::Mount>,
    pub headers: Vec<(String, String)>,
    pub server_string: Option<String>,
    pub error_document_404: Option<String>,
    pub server_tls: Option<ServerTlsSpec>,
    pub client_tls: ClientTlsState,
    pub plain_on_tls: PlainOnTls,
    pub deflate: Option<crate::ws::deflate::DeflateConfig>,
    pub accept: AcceptAs,
    /// On a listener's owner: picks each TLS vhost's certificate by SNI.
    pub tls_selector: Option<Arc<ServerTlsSelector>>,
    /// The HTTP proxy its client connections go through (`lws_set_proxy`).
    pub proxy: super::proxy::ProxySetting,
    /// The host's handle for this vhost (kept after destruction: C may still
    /// hold the pointer until the context is freed).
    pub face: Option<super::Face>,
}

impl Vhost {
    /// Builds the vhost and opens its listening socket. A port that is already in
    /// use fails the vhost (spec B1.3).
    pub fn new(cfg: VhostConfig, shared: Option<(super::VhostId, u16)>) -> Result<Vhost, Error> {
        let (listener, listen_port) = match cfg.listen {
            Listen::Tcp { .. } if shared.is_some() => (None, shared.map(|s| s.1)),
            Listen::Tcp { port, addr } => {
                let sa = SocketAddr::new(addr.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)), port);
                let l = TcpListener::bind(sa)
                    .map_err(|e| Error::io(format!("vhost {}: listen on {sa}", cfg.name), e))?;
                let port = l
                    .local_addr()
                    .map_err(|e| Error::io(format!("vhost {}: local address", cfg.name), e))?
                    .port();
                (Some(l), Some(port))
            }
            Listen::None | Listen::AdoptOnly => (None, None),
        };
        let n = cfg.protocols.len();
        Ok(Vhost {
            name: cfg.name,
            protocols: cfg.protocols,
            listener,
            listen_port,
            shares_listener_of: shared.map(|s| s.0),
            init: if cfg.skip_protocol_init {
                InitState::Skipped
            } else {
                InitState::Pending
            },
            init_ok: vec![true; n],
            life: Life::Live,
            validity: cfg.validity,
            keepalive_secs: cfg.keepalive_secs,
            accept_starved_since: None,
            mounts: cfg.mounts,
            headers: cfg.headers,
            server_string: cfg.server_string,
            error_document_404: cfg.error_document_404,
            server_tls: cfg.server_tls,
            client_tls: cfg.client_tls,
            plain_on_tls: cfg.plain_on_tls,
            deflate: cfg.deflate,
            accept: cfg.accept,
            tls_selector: None,
            proxy: super::proxy::ProxySetting::default(),
            face: None,
        })
    }

    pub fn is_live(&self) -> bool {
        self.life == Life::Live
    }

    /// Whether PROTOCOL_DESTROY is owed at teardown.
    pub fn was_initialised(&self) -> bool {
        matches!(self.init, InitState::Done | InitState::Running { .. })
    }
}
