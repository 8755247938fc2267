//! One connection: its socket, buffers, phase, and WebSocket state.
//!
//! Invariants:
//! - `readable` / `writable` mirror the edge-triggered poller: set by events,
//!   cleared only when a read or write hits WouldBlock (guide §3.8).
//! - Nothing is ever written after a Close frame (spec B12.1): `write_frame`
//!   refuses once the open WebSocket's `close_sent`.
#![forbid(unsafe_code)]

use std::io::{self, Read, Write};

use super::http_server::HttpTxn;
use super::timers::now_us;
use super::VhostId;
use crate::log::level;
use crate::lwsl;
use crate::tls::error::TlsIoError;
use crate::tls::session::TlsSession;
use crate::ws::deflate::{self, PmdParams};
use crate::ws::rx::{RxError, RxItem, RxParser, Side};
use crate::ws::tx::{self, DeflateFramer, Opcode};

/// A connection's identity: a slab index plus a generation, so a stale id
/// never reaches a newer connection in the same slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnId {
    pub index: usize,
    pub gen: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Server,
    Client,
}

/// Where a connection is in its life, with the state that exists only in
/// that phase. Every change goes through [`Conn::set_phase`] or
/// [`Conn::transition`], which check it against [`PhaseKind::may_become`].
pub enum Phase {
    /// Client: waiting in the connect queue for the system to be ready (B2.7).
    Queued,
    /// Client: TCP connect in flight; the lookup's other addresses wait
    /// their turn.
    Connecting(Dialing),
    /// Client: request sent (an HTTP client's body may still be being
    /// written), waiting for the answer: the 101, or an HTTP response head.
    AwaitingUpgrade(Awaiting),
    /// Server: reading the request head.
    ReadingHeaders,
    /// Server: head accepted, protocol callbacks running before the 101.
    /// Client: the answer is read, its callbacks run before it opens.
    Upgrading(Handshake),
    /// Server: an HTTP transaction is in progress.
    HttpServing(HttpTxn),
    /// Client: reading an HTTP response body.
    ClientHttpBody(super::http_client::ClientBody),
    /// WebSocket open.
    Open(WsOpen),
    /// We sent a Close frame and wait (bounded) for the peer's; its frames
    /// are still parsed (for that Close).
    ClosingSent(WsOpen),
    /// Flushing a final response or close echo, then closing; a response's
    /// transaction stays while the file it sends still has a read out.
    Draining(Option<HttpTxn>),
    /// A raw socket or file (the raw roles): bytes in and out as they are.
    Raw,
    /// Closing callbacks queued; removed once WSI_DESTROY has been delivered.
    Finished,
}

/// Which phase a connection is in, without its state: what callers compare
/// and what the transition table is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhaseKind {
    Queued,
    Connecting,
    AwaitingUpgrade,
    ReadingHeaders,
    Upgrading,
    HttpServing,
    ClientHttpBody,
    Open,
    ClosingSent,
    Draining,
    Raw,
    Finished,
}

impl Phase {
    pub fn kind(&self) -> PhaseKind {
        match self {
            Phase::Queued => PhaseKind::Queued,
            Phase::Connecting(_) => PhaseKind::Connecting,
            Phase::AwaitingUpgrade(_) => PhaseKind::AwaitingUpgrade,
            Phase::ReadingHeaders => PhaseKind::ReadingHeaders,
            Phase::Upgrading(_) => PhaseKind::Upgrading,
            Phase::HttpServing(_) => PhaseKind::HttpServing,
            Phase::ClientHttpBody(_) => PhaseKind::ClientHttpBody,
            Phase::Open(_) => PhaseKind::Open,
            Phase::ClosingSent(_) => PhaseKind::ClosingSent,
            Phase::Draining(_) => PhaseKind::Draining,
            Phase::Raw => PhaseKind::Raw,
            Phase::Finished => PhaseKind::Finished,
        }
    }
}

/// A client's connect in flight: the addresses of the lookup not tried yet.
/// A refused or failed connect moves to the next, as lws tries every DNS
/// result before it reports CLIENT_CONNECTION_ERROR ("localhost" is ::1 and
/// 127.0.0.1; a server listening on one of them must be reached).
#[derive(Debug, Default)]
pub struct Dialing {
    pub untried: std::collections::VecDeque<std::net::SocketAddr>,
    /// The CONNECT tunnel, when the connection goes through the vhost's
    /// HTTP proxy: dialing the proxy, then waiting for its answer.
    pub tunnel: Option<super::proxy::Tunnel>,
}

/// A client's request is out and its answer awaited.
#[derive(Debug, Default)]
pub struct Awaiting {
    pub handshake: Handshake,
    /// `lws_client_http_body_pending(wsi, 1)`: an HTTP client is still
    /// writing its request body; the response timeout starts when it says
    /// it is done, as lws's does (PENDING_TIMEOUT_CLIENT_ISSUE_PAYLOAD, then
    /// AWAITING_SERVER_RESPONSE).
    pub body_pending: bool,
}

/// A WebSocket handshake under way (both roles), until it opens.
#[derive(Debug, Default)]
pub struct Handshake {
    /// `Sec-WebSocket-Key`: ours as a client, the client's as a server.
    pub key: String,
    /// The permessage-deflate offer in play: as a client the one we send, as
    /// a server the client's `Sec-WebSocket-Extensions`; None when there is
    /// none or the application declined it (CLIENT_CONFIRM_EXTENSION_SUPPORTED
    /// / CONFIRM_EXTENSION_OKAY returned non-zero).
    pub deflate_offer: Option<String>,
    /// Client: the verdict on the server's answer, acted on after
    /// ESTABLISHED_CLIENT_HTTP (spec B4.T5).
    pub verdict: Option<Result<(), String>>,
    /// Client: the permessage-deflate parameters the server's answer agreed
    /// (RFC 7692), used when it opens.
    pub pmd: Option<PmdParams>,
}

/// A WebSocket's state while it is open (and while our Close waits for the
/// peer's): the frame parser, the compressor, the peer's Close owed.
pub struct WsOpen {
    /// The frame parser (with the inflating half of permessage-deflate);
    /// None once the peer violated the protocol (nothing more is parsed).
    rx: Option<RxParser>,
    /// permessage-deflate on what we send, once negotiated.
    deflate_tx: Option<Box<DeflateFramer>>,
    /// A Close frame was written: nothing more is (B12.1).
    close_sent: bool,
    /// The peer's Close, while writes the application asked for before it
    /// arrived are still being served (RFC 6455 5.5.1: the current message
    /// may be finished first); answered once they are done.
    pub peer_close: Option<PeerClose>,
}

impl WsOpen {
    /// The frame parser, while frames are parsed.
    pub fn rx(&self) -> Option<&RxParser> {
        self.rx.as_ref()
    }

    pub fn close_sent(&self) -> bool {
        self.close_sent
    }

    /// The compressor, when permessage-deflate was agreed.
    pub fn deflate_tx_mut(&mut self) -> Option<&mut DeflateFramer> {
        self.deflate_tx.as_deref_mut()
    }
}

/// Which closing callbacks a connection gets: what the application was told
/// it is (lws's CLOSED for an established WebSocket, CLOSED_HTTP for one
/// that served HTTP and never became a WebSocket).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClosesAs {
    /// Neither: a client gets CLIENT_CONNECTION_ERROR, a server nothing.
    Unannounced,
    /// It served HTTP: HTTP_DROP_PROTOCOL and CLOSED_HTTP.
    Http,
    /// ESTABLISHED (or CLIENT_ESTABLISHED) was delivered and accepted:
    /// DROP_PROTOCOL and CLOSED.
    WebSocket,
}

impl PhaseKind {
    /// The transition table: whether a connection in `self` may move to `to`.
    pub fn may_become(self, to: PhaseKind) -> bool {
        use PhaseKind::*;
        match (self, to) {
            (Finished, _) => false,
            (_, Finished) => true,
            // Flushing a final response or close echo, then closing.
            (Draining, _) => false,
            (_, Draining) => true,
            // Client: the queue, the TCP connect, the upgrade request; a
            // redirect or `lws_client_reset` starts the same connection again from
            // the queue.
            (Queued, Connecting) => true,
            (Connecting, AwaitingUpgrade) => true,
            (Connecting | AwaitingUpgrade | Upgrading | ClientHttpBody | Open, Queued) => true,
            (AwaitingUpgrade, Upgrading | Open) => true,
            (Upgrading, Open | ClientHttpBody) => true,
            // Server: the head decides between an HTTP transaction and an
            // upgrade; keep-alive goes back to reading the next head.
            (ReadingHeaders, HttpServing | Upgrading) => true,
            (HttpServing, ReadingHeaders) => true,
            (Open, ClosingSent) => true,
            // Raw: a raw client once connected; an HTTP listener falling back
            // to raw on a first request that is not HTTP.
            (Connecting | ReadingHeaders, Raw) => true,
            _ => false,
        }
    }
}

/// A parsed HTTP head (request on servers, response on clients). Header names
/// are lower-case; readable through `lws_hdr_*` while it is kept.
#[derive(Clone, Debug, Default)]
pub struct Head {
    pub method: String,
    pub path: String,
    pub status: u16,
    pub version_minor: u8,
    pub headers: Vec<(String, Vec<u8>)>,
}

impl Head {
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
    }

    pub fn header_str(&self, name: &str) -> Option<&str> {
        self.header(name).and_then(|v| std::str::from_utf8(v).ok())
    }
}

/// What a client connection was asked to do (copied at call time, B2.7).
#[derive(Clone, Debug, Default)]
pub struct ClientSpec {
    pub address: String,
    pub port: u16,
    pub path: String,
    pub host: String,
    pub origin: Option<String>,
    /// Sent as `Sec-WebSocket-Protocol`.
    pub protocol: Option<String>,
    /// Local protocol to bind (defaults to `protocol`).
    pub local_protocol_name: Option<String>,
    pub vhost: Option<VhostId>,
    pub iface: Option<String>,
    /// The connection's own validity policy (`i.retry_and_idle_policy`).
    pub validity: Option<super::vhost::Validity>,
    /// An HTTP method: a plain HTTP client instead of a WebSocket (B4.5).
    pub method: Option<String>,
    /// `LCCSCF_PIPELINE`: no `connection: close` on the request.
    pub pipeline: bool,
    /// `LCCSCF_USE_SSL`: the verification flags and the ALPN list to offer.
    pub tls: Option<(crate::tls::verify::VerifyFlags, Vec<Vec<u8>>)>,
    /// HTTP 3xx answers are followed (unless `LCCSCF_HTTP_NO_FOLLOW_REDIRECT`).
    pub follow_redirects: bool,
    /// `LCCSCF_ACCEPT_TLS_DOWNGRADE_REDIRECTS`.
    pub allow_tls_downgrade: bool,
    /// Redirects followed so far (bounded).
    pub redirects: u8,
    /// A redirect turned the method into GET (`lws_http_is_redirected_to_get`).
    pub redirected_to_get: bool,
    /// `LCCSCF_CONMON`: keep the DNS results for `lws_conmon_wsi_take`.
    pub conmon: bool,
    /// What the request body is (`LCCSCF_HTTP_MULTIPART_MIME`,
    /// `LCCSCF_HTTP_X_WWW_FORM_URLENCODED`): sets its content-type.
    pub form: Option<FormKind>,
    /// `method = "RAW"`: a raw socket once connected (no handshake).
    pub raw: bool,
    /// `parent_wsi`: the connection this one is a child of.
    pub parent: Option<ConnId>,
}

/// The form encoding of a client request body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormKind {
    /// multipart/form-data with the request's boundary (random, as lws).
    Multipart {
        boundary: String,
    },
    UrlEncoded,
}

impl FormKind {
    /// A multipart body with a fresh boundary: like lws, nine random bytes in
    /// base64 (twelve characters).
    pub fn multipart() -> FormKind {
        let mut raw = [0u8; 9];
        if !crate::text::fill_random(&mut raw) {
            // No random source: a fixed boundary still frames the parts.
            raw = *b"lws-rs-mp";
        }
        // Room for the NUL the lws-compatible encoder also writes.
        let mut out = [0u8; 14];
        let n =
            crate::text::base64::encode(crate::text::base64::STANDARD, &raw, &mut out).unwrap_or(0);
        FormKind::Multipart {
            boundary: String::from_utf8_lossy(&out[..n]).into_owned(),
        }
    }
}

pub struct Conn {
    pub(in crate::core) id: ConnId,
    pub(in crate::core) vhost: VhostId,
    pub(in crate::core) protocol: usize,
    pub(in crate::core) role: Role,
    /// Changed only through `set_phase`.
    phase: Phase,
    /// What it reads and writes.
    pub(in crate::core) io: super::transport::Transport,
    pub(in crate::core) inbuf: Vec<u8>,
    pub(in crate::core) in_pos: usize,
    pub(in crate::core) out: Vec<u8>,
    pub(in crate::core) out_pos: usize,
    pub(in crate::core) readable: bool,
    pub(in crate::core) writable: bool,
    pub(in crate::core) eof: bool,
    pub(in crate::core) want_writable: bool,
    /// A write left data queued: one WRITEABLE follows the drain (B6.1).
    pub(in crate::core) writable_after_drain: bool,
    /// Reasons holding receive delivery (`lws_rx_flow_control`); 0 = flowing.
    pub(in crate::core) rx_flow_off: u8,
    pub(in crate::core) rx_chunk: usize,
    /// `lws_close_reason`: sent in the Close frame when the connection closes.
    pub(in crate::core) close_reason: Option<(u16, Vec<u8>)>,
    /// Which closing callbacks it gets (set as it serves HTTP or is
    /// established as a WebSocket).
    pub(in crate::core) closes_as: ClosesAs,
    pub(in crate::core) head: Option<Head>,
    pub(in crate::core) client: Option<Box<ClientSpec>>,
    /// The service pass that last read from the socket (one read per pass,
    /// fairness between peers); 0 before the first read.
    pub(in crate::core) read_pass: u64,
    /// Whether the connection is in the core's pending set (`Core::rx_pending`).
    pub(in crate::core) rx_pending: RxPending,
    /// A readiness event reported the peer's end of input (or an error): the
    /// socket is read until it says so itself.
    pub(in crate::core) hup: bool,
    pub(in crate::core) validity: super::vhost::Validity,
    /// When the connection was last known alive (established, or a PONG).
    pub(in crate::core) validated_at: u64,
    /// TLS over the socket (rustls), when the vhost or the request asks for it.
    pub(in crate::core) tls: Option<Box<TlsSession>>,
    /// What this connection holds of the context's TLS budget.
    pub(in crate::core) tls_loan: super::tls_budget::TlsLoan,
    /// A trust source the vhost could not use, named in TLS errors.
    pub(in crate::core) tls_hint: Option<String>,
    /// Server on a TLS listener, until the first byte the client sends is
    /// seen: what to do if it is plain text (a TLS record starts below ' ').
    pub(in crate::core) plain_on_tls: Option<super::vhost::PlainOnTls>,
    /// This request came in plain text on a TLS listener that redirects.
    pub(in crate::core) redirect_to_https: bool,
    /// The HTTP version (minor) and keep-alive of the last transaction this
    /// connection completed and kept open (server).
    pub(in crate::core) http_prev: Option<(u8, bool)>,
    /// A client connection restarted by a redirect: its first callbacks
    /// (bind, WSI_CREATE) are not repeated.
    pub(in crate::core) restarted: bool,
    /// The host's handle for this connection, once it made one.
    pub(in crate::core) face: Option<super::Face>,
    /// Client: DNS, connect, TLS and transaction timings (lws-conmon.h).
    pub(in crate::core) conmon: Option<Box<super::conmon::Conmon>>,
    /// When bytes last moved on the socket, either way (µs): an HTTP
    /// transaction's idle limit counts from here.
    pub(in crate::core) traffic_at: u64,
    /// The raw role: what the raw connection is over (lws's raw-skt and
    /// raw-file roles), once it is one.
    pub(in crate::core) raw: Option<super::RawOver>,
    /// The connection this one is a child of (closed with it, first).
    pub(in crate::core) parent: Option<ConnId>,
    /// What a host event loop was told about the descriptor (external poll).
    pub(in crate::core) poll: super::poll::PollState,
}

/// A connection's place in the pending set (`Core::rx_pending`): the
/// connections serviced again by the next pass for input left over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RxPending {
    No,
    Listed,
    /// Taken out by `lws_ssl_remove_wsi_from_buffered_list` (a TLS
    /// connection): not listed again until its socket reports readiness;
    /// what it holds stays buffered and is read then.
    Parked,
}

/// A Close from the peer that is answered later.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerClose {
    /// The payload to echo (empty for an empty Close).
    pub echo: Vec<u8>,
    /// A WRITEABLE was requested (or a write was still leaving) when it came.
    pub writes_pending: bool,
}

/// What the host may read of a connection (its fields are the core's).
impl Conn {
    pub fn id(&self) -> ConnId {
        self.id
    }

    pub fn vhost(&self) -> VhostId {
        self.vhost
    }

    /// The index of its protocol in the vhost's table.
    pub fn protocol(&self) -> usize {
        self.protocol
    }

    pub fn role(&self) -> Role {
        self.role
    }

    /// What a client connection was asked to do.
    pub fn client(&self) -> Option<&ClientSpec> {
        self.client.as_deref()
    }

    /// The HTTP head it keeps (`lws_hdr_*`).
    pub fn head(&self) -> Option<&Head> {
        self.head.as_ref()
    }

    pub fn tls(&self) -> Option<&TlsSession> {
        self.tls.as_deref()
    }

    /// Its TCP socket, when it is over one.
    pub fn tcp(&self) -> Option<&mio::net::TcpStream> {
        self.io.tcp()
    }

    /// The socket took everything so far and can take more.
    pub fn is_writable(&self) -> bool {
        self.writable
    }

    /// The host's handle for it, once made.
    pub fn face(&self) -> Option<super::Face> {
        self.face
    }
}

impl Conn {
    /// The client's timings, started when it first measures something
    /// (boxed: server connections never have one).
    pub(in crate::core) fn conmon_mut(&mut self) -> &mut super::conmon::Conmon {
        self.conmon.get_or_insert_with(Default::default)
    }
}

impl Conn {
    pub fn phase(&self) -> PhaseKind {
        self.phase.kind()
    }

    /// Moves to `to`, dropping the state of the phase left.
    pub fn set_phase(&mut self, to: Phase) {
        self.transition(|_| to);
    }

    /// The one way a connection changes phase: `step` turns the phase left
    /// (with its state) into the next one. A move the table does not allow
    /// is a bug (fails the Rust tests; logged as an error otherwise).
    pub fn transition(&mut self, step: impl FnOnce(Phase) -> Phase) {
        let from = std::mem::replace(&mut self.phase, Phase::Finished);
        let (was, to) = (from.kind(), step(from));
        let allowed = was.may_become(to.kind());
        #[cfg(test)]
        assert!(
            allowed,
            "conn {}: {:?} -> {:?} is not a transition",
            self.id.index,
            was,
            to.kind()
        );
        if !allowed {
            lwsl!(
                level::ERR,
                "conn {}: {:?} -> {:?} is not a transition",
                self.id.index,
                was,
                to.kind()
            );
        }
        self.phase = to;
    }

    /// The addresses a connecting client has not tried yet, and its proxy
    /// tunnel.
    pub fn dialing_mut(&mut self) -> Option<&mut Dialing> {
        match &mut self.phase {
            Phase::Connecting(d) => Some(d),
            _ => None,
        }
    }

    /// The proxy tunnel of a connecting client.
    pub fn tunnel(&self) -> Option<&super::proxy::Tunnel> {
        match &self.phase {
            Phase::Connecting(d) => d.tunnel.as_ref(),
            _ => None,
        }
    }

    /// Waiting for the proxy's answer to our CONNECT.
    pub fn awaits_proxy(&self) -> bool {
        matches!(self.tunnel(), Some(super::proxy::Tunnel::Awaiting { .. }))
    }

    /// The WebSocket handshake, while one is under way.
    pub fn handshake(&self) -> Option<&Handshake> {
        match &self.phase {
            Phase::AwaitingUpgrade(a) => Some(&a.handshake),
            Phase::Upgrading(h) => Some(h),
            _ => None,
        }
    }

    pub fn handshake_mut(&mut self) -> Option<&mut Handshake> {
        match &mut self.phase {
            Phase::AwaitingUpgrade(a) => Some(&mut a.handshake),
            Phase::Upgrading(h) => Some(h),
            _ => None,
        }
    }

    /// The answer to a client's request arrived: its callbacks run next,
    /// with the handshake's state.
    pub fn answer_arrived(&mut self) {
        self.transition(|p| match p {
            Phase::AwaitingUpgrade(a) => Phase::Upgrading(a.handshake),
            other => other,
        });
    }

    /// A client's request, while its answer is awaited.
    pub fn awaiting_mut(&mut self) -> Option<&mut Awaiting> {
        match &mut self.phase {
            Phase::AwaitingUpgrade(a) => Some(a),
            _ => None,
        }
    }

    /// An HTTP client's response body, while it is read.
    pub fn client_body(&self) -> Option<&super::http_client::ClientBody> {
        match &self.phase {
            Phase::ClientHttpBody(b) => Some(b),
            _ => None,
        }
    }

    /// The response body with the buffered input it is decoded from.
    pub fn client_body_with_input(
        &mut self,
    ) -> Option<(&mut super::http_client::ClientBody, &[u8], &mut usize)> {
        match &mut self.phase {
            Phase::ClientHttpBody(b) => Some((b, &self.inbuf, &mut self.in_pos)),
            _ => None,
        }
    }

    pub fn client_body_mut(&mut self) -> Option<&mut super::http_client::ClientBody> {
        match &mut self.phase {
            Phase::ClientHttpBody(b) => Some(b),
            _ => None,
        }
    }

    /// A plain HTTP client (a method other than "RAW" was asked for), not a
    /// WebSocket or raw one.
    pub fn is_http_client(&self) -> bool {
        self.client.as_ref().is_some_and(|s| s.method.is_some())
    }

    /// The WebSocket state, while open or closing with our Close sent.
    pub fn ws(&self) -> Option<&WsOpen> {
        match &self.phase {
            Phase::Open(w) | Phase::ClosingSent(w) => Some(w),
            _ => None,
        }
    }

    pub fn ws_mut(&mut self) -> Option<&mut WsOpen> {
        match &mut self.phase {
            Phase::Open(w) | Phase::ClosingSent(w) => Some(w),
            _ => None,
        }
    }

    /// The server's HTTP transaction, while it is served (or its response
    /// drained).
    pub fn http(&self) -> Option<&HttpTxn> {
        match &self.phase {
            Phase::HttpServing(t) | Phase::Draining(Some(t)) => Some(t),
            _ => None,
        }
    }

    pub fn http_mut(&mut self) -> Option<&mut HttpTxn> {
        match &mut self.phase {
            Phase::HttpServing(t) | Phase::Draining(Some(t)) => Some(t),
            _ => None,
        }
    }

    /// The HTTP transaction with the buffered input it reads its body from
    /// (`inbuf`, and `in_pos`, where the unread part starts).
    pub fn http_with_input(&mut self) -> Option<(&mut HttpTxn, &[u8], &mut usize)> {
        match &mut self.phase {
            Phase::HttpServing(t) | Phase::Draining(Some(t)) => {
                Some((t, &self.inbuf, &mut self.in_pos))
            }
            _ => None,
        }
    }

    /// Starts flushing what is queued before closing (a response being
    /// served keeps its transaction).
    pub fn drain(&mut self) {
        self.transition(|p| match p {
            Phase::HttpServing(t) => Phase::Draining(Some(t)),
            _ => Phase::Draining(None),
        });
    }

    /// A WebSocket: open now, or closing after it was established (its
    /// frame information stays readable in the closing callbacks).
    pub fn is_websocket(&self) -> bool {
        self.ws().is_some() || self.closes_as == ClosesAs::WebSocket
    }

    /// The next frame event from buffered input; None when no frames are
    /// parsed (not a WebSocket, or the peer violated the protocol).
    pub fn next_ws_item(&mut self) -> Option<Result<Option<RxItem>, RxError>> {
        let (Phase::Open(w) | Phase::ClosingSent(w)) = &mut self.phase else {
            return None;
        };
        let parser = w.rx.as_mut()?;
        let mut pos = self.in_pos.min(self.inbuf.len());
        let r = parser.next_in_place(&mut self.inbuf, &mut pos, self.rx_chunk);
        self.in_pos = pos;
        Some(r)
    }

    /// The peer violated the protocol: nothing more is parsed or read.
    pub fn stop_ws_rx(&mut self) {
        self.in_pos = self.inbuf.len();
        if let Some(w) = self.ws_mut() {
            w.rx = None;
        }
    }

    /// Our Close frame was written on an open WebSocket: wait for the peer's.
    pub fn await_peer_close(&mut self) {
        self.transition(|p| match p {
            Phase::Open(w) => Phase::ClosingSent(w),
            other => other,
        });
    }

    pub fn new(
        id: ConnId,
        vhost: VhostId,
        role: Role,
        phase: Phase,
        io: super::transport::Transport,
    ) -> Conn {
        Conn {
            id,
            vhost,
            protocol: 0,
            role,
            phase,
            io,
            inbuf: Vec::new(),
            in_pos: 0,
            out: Vec::new(),
            out_pos: 0,
            readable: false,
            writable: false,
            eof: false,
            want_writable: false,
            writable_after_drain: false,
            rx_flow_off: 0,
            rx_chunk: 4096,
            close_reason: None,
            closes_as: ClosesAs::Unannounced,
            head: None,
            client: None,
            read_pass: 0,
            rx_pending: RxPending::No,
            hup: false,
            validity: super::vhost::Validity::default(),
            validated_at: 0,
            tls: None,
            tls_loan: Default::default(),
            tls_hint: None,
            plain_on_tls: None,
            conmon: None,
            redirect_to_https: false,
            http_prev: None,
            restarted: false,
            face: None,
            traffic_at: now_us(),
            poll: super::poll::PollState::default(),
            raw: None,
            parent: None,
        }
    }

    /// Input may be left to read or parse: the socket was readable at its
    /// last read, or bytes are buffered, and nothing holds reception.
    pub fn has_rx_leftover(&self) -> bool {
        (self.readable || self.in_pos < self.inbuf.len())
            && self.rx_flow_off == 0
            && !matches!(self.phase, Phase::Finished)
    }

    /// The descriptor the connection is over (socket, raw file or UDP socket).
    pub fn fd(&self) -> Option<std::os::fd::RawFd> {
        self.io.fd()
    }

    /// Roughly what this connection's buffers hold allocated (TLS sessions
    /// counted at their usual record buffers).
    pub fn buffer_bytes(&self) -> usize {
        self.inbuf.capacity() + self.out.capacity() + if self.tls.is_some() { 32 * 1024 } else { 0 }
    }

    /// Releases an input or output buffer grown past
    /// [`super::context::IDLE_BUFFER_KEEP`] by a burst, once it is empty;
    /// returns the bytes freed.
    pub fn shrink_idle_buffers(&mut self) -> usize {
        let keep = super::context::IDLE_BUFFER_KEEP;
        let mut freed = 0;
        if self.in_pos == self.inbuf.len() && self.inbuf.capacity() > keep {
            freed += self.inbuf.capacity();
            self.inbuf = Vec::new();
            self.in_pos = 0;
        }
        if self.out_pos == 0 && self.out.is_empty() && self.out.capacity() > keep {
            freed += self.out.capacity();
            self.out = Vec::new();
        }
        freed
    }

    pub fn unread(&self) -> &[u8] {
        &self.inbuf[self.in_pos..]
    }

    pub fn has_unsent(&self) -> bool {
        self.out_pos < self.out.len() || self.tls.as_deref().is_some_and(TlsSession::wants_write)
    }

    /// A TLS failure as users read it ("tls: ..."), with the vhost's trust
    /// problem when there was one; the alert is sent on the way out.
    fn tls_failure(&mut self, e: TlsIoError) -> io::Error {
        match e {
            TlsIoError::Io(e) => e,
            TlsIoError::Tls(t) => {
                if let (Some(tls), Some(s)) = (self.tls.as_mut(), self.io.tcp_mut()) {
                    let _ = tls.flush_to(s);
                }
                let mut text = t.to_string();
                if let Some(h) = &self.tls_hint {
                    text.push_str(&format!(" ({h})"));
                }
                io::Error::other(text)
            }
        }
    }

    /// Reads what the socket has (one read call) onto the end of `inbuf`;
    /// bytes read stamp `now` as the last traffic. Ok(0) means EOF. Bytes go
    /// through one per-thread scratch buffer, so a connection's buffer only
    /// ever holds what really arrived.
    pub fn fill(&mut self, now: u64) -> io::Result<usize> {
        let Some(s) = self.io.tcp_mut() else {
            return Ok(0);
        };
        self.in_pos = self.in_pos.min(self.inbuf.len());
        if self.in_pos > 0 && self.in_pos == self.inbuf.len() {
            self.inbuf.clear();
            self.in_pos = 0;
        } else if self.in_pos > 65_536 {
            self.inbuf.drain(..self.in_pos);
            self.in_pos = 0;
        }
        if let Some(plain) = self.plain_on_tls.filter(|_| self.inbuf.is_empty()) {
            use super::vhost::PlainOnTls;
            let mut first = [0u8; 1];
            match s.peek(&mut first) {
                // lws: a first byte below ' ' is TLS (0x16 a handshake)
                Ok(1) if first[0] >= b' ' => match plain {
                    // lws closes without a word ("did not send a valid tls hello")
                    PlainOnTls::Refuse => {
                        self.plain_on_tls = None;
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            "client did not send a valid tls hello",
                        ));
                    }
                    PlainOnTls::Serve | PlainOnTls::Redirect => {
                        self.tls = None;
                        self.redirect_to_https = plain == PlainOnTls::Redirect;
                    }
                },
                Ok(_) => {}
                Err(e) => {
                    if e.kind() == io::ErrorKind::WouldBlock {
                        self.readable = false;
                    }
                    return Err(e);
                }
            }
            self.plain_on_tls = None;
        }
        let r: io::Result<usize> = match self.tls.as_mut() {
            Some(tls) => {
                let got = tls.read_from(s, &mut self.inbuf);
                if let Some(m) = self.conmon.as_mut().filter(|m| m.timing_tls()) {
                    if !tls.is_handshaking() {
                        m.tls_done();
                    }
                }
                // Handshake records (or an alert) may be waiting to go out.
                if tls.wants_write() {
                    if let Err(e) = tls.flush_to(s) {
                        if !e.is_would_block() {
                            return Err(self.tls_failure(e));
                        }
                    }
                }
                match got {
                    Ok(n) => Ok(n),
                    Err(e) => Err(self.tls_failure(e)),
                }
            }
            None => SCRATCH.with(|scratch| {
                let mut scratch = scratch.borrow_mut();
                let n = s.read(&mut scratch[..])?;
                self.inbuf.extend_from_slice(&scratch[..n]);
                // A TCP read shorter than the buffer took all the socket had
                // (the kernel copies every queued byte up to the length), and
                // bytes (or the end of input) arriving later raise a new edge:
                // no probing read, and no extra pass, to learn it is empty.
                // An end of input already reported is read to the end (its
                // edge is spent).
                if n > 0 && n < scratch.len() && !self.hup {
                    self.readable = false;
                }
                Ok(n)
            }),
        };
        match r {
            Ok(0) => {
                self.eof = true;
                Ok(0)
            }
            Ok(n) => {
                self.traffic_at = now;
                Ok(n)
            }
            Err(e) => {
                if e.kind() == io::ErrorKind::WouldBlock {
                    self.readable = false;
                }
                Err(e)
            }
        }
    }

    /// Writes queued bytes until done or WouldBlock; Ok(true) when drained.
    pub fn flush(&mut self) -> io::Result<bool> {
        if self.tls.is_some() {
            return self.flush_tls();
        }
        while self.out_pos < self.out.len() {
            let Some(s) = self.io.writer() else {
                return Err(io::Error::from(io::ErrorKind::NotConnected));
            };
            match s.write(&self.out[self.out_pos..]) {
                Ok(0) => return Err(io::Error::from(io::ErrorKind::WriteZero)),
                Ok(n) => {
                    self.out_pos += n;
                    self.traffic_at = now_us();
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    self.writable = false;
                    return Ok(false);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        self.out.clear();
        self.out_pos = 0;
        Ok(true)
    }

    /// TLS: plaintext goes to rustls, records to the socket.
    fn flush_tls(&mut self) -> io::Result<bool> {
        let (Some(tls), Some(s)) = (self.tls.as_mut(), self.io.tcp_mut()) else {
            return Err(io::Error::from(io::ErrorKind::NotConnected));
        };
        if self.out_pos < self.out.len() {
            tls.write_plain(&self.out[self.out_pos..])?;
            self.out.clear();
            self.out_pos = 0;
        }
        let mut counted = Counted { inner: s, moved: 0 };
        let flushed = tls.flush_to(&mut counted);
        if counted.moved > 0 {
            self.traffic_at = now_us();
        }
        match flushed {
            Ok(true) => Ok(true),
            Ok(false) => {
                self.writable = false;
                Ok(false)
            }
            Err(e) if e.is_would_block() => {
                self.writable = false;
                Ok(false)
            }
            Err(e) => Err(self.tls_failure(e)),
        }
    }

    /// The handshake is done: the WebSocket opens, frames flow from now on,
    /// compressed when permessage-deflate was agreed (`pmd`).
    pub fn open_ws(&mut self, validate_utf8: bool, level: u32, pmd: Option<PmdParams>) {
        let (side, role) = match self.role {
            Role::Client => (Side::Client, deflate::Role::Client),
            Role::Server => (Side::Server, deflate::Role::Server),
        };
        let mut rx = RxParser::new(side, validate_utf8);
        let mut deflate_tx = None;
        if let Some(p) = pmd {
            rx.enable_deflate(p.inflater(role), crate::ws::rx::MAX_INFLATED_MESSAGE);
            deflate_tx = Some(Box::new(DeflateFramer::new(p.deflater(role, level))));
        }
        self.set_phase(Phase::Open(WsOpen {
            rx: Some(rx),
            deflate_tx,
            close_sent: false,
            peer_close: None,
        }));
    }

    /// Queues raw bytes (HTTP heads) and tries to send them.
    pub fn queue(&mut self, bytes: &[u8]) -> io::Result<bool> {
        self.out.extend_from_slice(bytes);
        self.flush()
    }

    /// Queues one WebSocket frame (masked when we are the client).
    pub fn write_frame(&mut self, fin: bool, op: Opcode, payload: &[u8]) -> io::Result<bool> {
        let (Phase::Open(w) | Phase::ClosingSent(w)) = &mut self.phase else {
            return Err(io::Error::other("not a WebSocket"));
        };
        if w.close_sent {
            return Err(io::Error::other("close already sent"));
        }
        let mask = (self.role == Role::Client).then(random_mask);
        match (&mut w.deflate_tx, op) {
            (Some(z), Opcode::Text | Opcode::Binary | Opcode::Continuation) => z
                .frame(&mut self.out, fin, op, payload, mask)
                .map_err(|e| io::Error::other(e.0))?,
            _ => tx::frame(&mut self.out, fin, op, payload, mask),
        }
        if op == Opcode::Close {
            w.close_sent = true;
        }
        self.flush()
    }

    /// Sends one WebSocket frame whose payload is `buf[pre..]`, its header
    /// written into the headroom `buf[..pre]` and the payload masked in place
    /// (client), as lws does: when nothing else is queued the frame goes to
    /// the socket straight from `buf`, and only what the socket does not take
    /// is copied into the output queue. Compressed or TLS connections, or a
    /// queue already holding bytes, take the copying path.
    pub fn write_frame_in_place(
        &mut self,
        fin: bool,
        op: Opcode,
        buf: &mut [u8],
        pre: usize,
    ) -> io::Result<bool> {
        let Some(w) = self.ws() else {
            return Err(io::Error::other("not a WebSocket"));
        };
        let compressed = w.deflate_tx.is_some()
            && matches!(op, Opcode::Text | Opcode::Binary | Opcode::Continuation);
        if w.close_sent
            || compressed
            || self.tls.is_some()
            || self.has_unsent()
            || self.io.tcp().is_none()
            || pre > buf.len()
        {
            return self.write_frame(fin, op, buf.get(pre..).unwrap_or_default());
        }
        let mask = (self.role == Role::Client).then(random_mask);
        let (room, payload) = buf.split_at_mut(pre);
        let Some(h) = tx::header_before(room, fin, op, payload.len() as u64, mask) else {
            return self.write_frame(fin, op, payload);
        };
        if let Some(k) = mask {
            tx::mask_in_place(payload, k);
        }
        if op == Opcode::Close {
            if let Some(w) = self.ws_mut() {
                w.close_sent = true;
            }
        }
        let frame = &buf[pre - h..];
        let Some(s) = self.io.tcp_mut() else {
            return Err(io::Error::from(io::ErrorKind::NotConnected));
        };
        loop {
            match s.write(frame) {
                Ok(0) if !frame.is_empty() => {
                    return Err(io::Error::from(io::ErrorKind::WriteZero))
                }
                Ok(n) if n == frame.len() => return Ok(true),
                Ok(n) => {
                    self.out.extend_from_slice(&frame[n..]);
                    self.out_pos = 0;
                    return self.flush();
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    self.writable = false;
                    self.out.extend_from_slice(frame);
                    self.out_pos = 0;
                    return Ok(false);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    pub fn is_closing(&self) -> bool {
        matches!(
            self.phase,
            Phase::ClosingSent(_) | Phase::Draining(_) | Phase::Finished
        )
    }
}

/// A socket writer that counts what the peer's socket accepted.
struct Counted<'a, W: Write> {
    inner: &'a mut W,
    moved: usize,
}

impl<W: Write> Write for Counted<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.moved += n;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

thread_local! {
    /// The receive buffer every read goes through (one per service thread).
    static SCRATCH: std::cell::RefCell<Box<[u8]>> = std::cell::RefCell::new(vec![0u8; 65_536].into_boxed_slice());
}

/// A masking key: RFC 6455 wants it unpredictable to intermediaries, not secret.
fn random_mask() -> [u8; 4] {
    use std::cell::Cell;
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    thread_local!(static STATE: Cell<u64> = Cell::new({
        let mut h = RandomState::new().build_hasher();
        h.write_u64(0x9e37_79b9_7f4a_7c15);
        h.finish() | 1
    }));
    STATE.with(|s| {
        let mut x = s.get();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s.set(x);
        (x as u32).to_ne_bytes()
    })
}

#[cfg(test)]
mod tests {
    use super::PhaseKind::{self, *};

    const ALL: [PhaseKind; 12] = [
        Queued,
        Connecting,
        AwaitingUpgrade,
        ReadingHeaders,
        Upgrading,
        HttpServing,
        ClientHttpBody,
        Open,
        ClosingSent,
        Draining,
        Raw,
        Finished,
    ];

    /// Issue 10 (connection phases as data): the whole transition table, so a
    /// change to it is a visible, reviewed change.
    #[test]
    fn phase_transition_table() {
        let mut allowed = Vec::new();
        for from in ALL {
            for to in ALL {
                if from.may_become(to) {
                    allowed.push((from, to));
                }
            }
        }
        let mut want = vec![
            (Queued, Connecting),
            (Connecting, AwaitingUpgrade),
            (Connecting, Queued),
            (AwaitingUpgrade, Queued),
            (AwaitingUpgrade, Upgrading),
            (AwaitingUpgrade, Open),
            (Upgrading, Queued),
            (Upgrading, Open),
            (Upgrading, ClientHttpBody),
            (ClientHttpBody, Queued),
            (Open, Queued),
            (ReadingHeaders, HttpServing),
            (ReadingHeaders, Upgrading),
            (HttpServing, ReadingHeaders),
            (Open, ClosingSent),
            (Connecting, Raw),
            (ReadingHeaders, Raw),
        ];
        for from in ALL {
            if !matches!(from, Draining | Finished) {
                want.push((from, Draining));
            }
            if from != Finished {
                want.push((from, Finished));
            }
        }
        allowed.sort_by_key(|(a, b)| (*a as u8, *b as u8));
        want.sort_by_key(|(a, b)| (*a as u8, *b as u8));
        assert_eq!(allowed, want);
    }
}
