//! The client side of a WebSocket connection: connect, handshake request,
//! and checking the answer (spec B4.1–B4.4).
#![forbid(unsafe_code)]

use std::net::{SocketAddr, ToSocketAddrs};

use httparse::Status;
use mio::net::TcpStream;

use super::close::Ending;
use super::conmon::{Conmon, DnsDisposition};
use super::conn::{
    Awaiting, ClientSpec, ClosesAs, Conn, ConnId, Dialing, Handshake, Head, Phase, PhaseKind, Role,
};
use super::context::Core;
use super::timers::{now_us, TimerTarget};
use super::tls_budget::TlsLoan;
use super::{Callout, ConnEvent, VhostId};
use crate::log::level;
use crate::lwsl;
use crate::ws::handshake::{self, ClientRequest};

/// Room offered to CLIENT_APPEND_HANDSHAKE_HEADER (lws's request buffer is
/// `pt_serv_buf_size`; what the fixed headers use is subtracted).
const REQUEST_BUFFER: usize = 4096;

/// The vhost-independent connect timeout (lws's `connect_timeout_secs`).
const CONNECT_TIMEOUT_SECS: u64 = 20;

/// The lookup's outcome: the address to connect to (the first result), all
/// results, how it ended and how long it took (lws-conmon.h).
struct Lookup {
    first: Result<SocketAddr, String>,
    all: Vec<SocketAddr>,
    disposition: DnsDisposition,
    us: u64,
}

fn resolve(address: &str, port: u16) -> Lookup {
    let start = now_us();
    let all: Result<Vec<SocketAddr>, std::io::Error> = match address.parse::<std::net::IpAddr>() {
        Ok(ip) => Ok(vec![SocketAddr::new(ip, port)]),
        Err(_) => (address, port).to_socket_addrs().map(Iterator::collect),
    };
    let us = now_us().saturating_sub(start);
    match all {
        Ok(all) if !all.is_empty() => Lookup {
            first: Ok(all[0]),
            all,
            disposition: DnsDisposition::Ok,
            us,
        },
        Ok(_) => Lookup {
            first: Err("DNS NXDOMAIN".to_string()),
            all: Vec::new(),
            disposition: DnsDisposition::NoResult,
            us,
        },
        Err(e) => Lookup {
            first: Err("DNS NXDOMAIN".to_string()),
            all: Vec::new(),
            // getaddrinfo's EAI_AGAIN / EAI_FAIL: the resolver was not reached.
            disposition: if ["Temporary failure", "Non-recoverable"]
                .iter()
                .any(|m| e.to_string().contains(m))
            {
                DnsDisposition::ServerUnreachable
            } else {
                DnsDisposition::NoResult
            },
            us,
        },
    }
}

/// Issues a non-blocking connect to the first of the untried addresses that
/// takes one; the rest stay for a refusal reported later (`connect_failed`).
fn dial(dialing: &mut Dialing, conmon: &mut Conmon) -> Result<TcpStream, String> {
    let mut why = "DNS NXDOMAIN".to_string();
    while let Some(addr) = dialing.untried.pop_front() {
        conmon.connecting(addr);
        match TcpStream::connect(addr) {
            Ok(s) => return Ok(s),
            Err(e) => why = format!("conn fail: {}", e.raw_os_error().unwrap_or(0)),
        }
    }
    Err(why)
}

impl Core {
    /// Creates a client connection and starts it at once.
    pub fn client_connect(
        &mut self,
        spec: ClientSpec,
        vhost: VhostId,
    ) -> Result<ConnId, super::Error> {
        let id = self.insert_conn(|id| {
            Conn::new(id, vhost, Role::Client, Phase::Queued, Default::default())
        })?;
        self.start_client(id, spec, vhost);
        Ok(id)
    }

    /// Starts a client connection on `vhost`: binds its protocol, resolves the
    /// address and issues a non-blocking connect. Failures from here on are
    /// reported as CLIENT_CONNECTION_ERROR, never by a return value (B10 #2275).
    pub fn start_client(&mut self, id: ConnId, spec: ClientSpec, vhost: VhostId) {
        let Some(v) = self.vhost(vhost) else {
            return self.finish(id, Ending::ClientError("No vhost in the context".into()));
        };
        let wanted = spec
            .local_protocol_name
            .as_deref()
            .or(spec.protocol.as_deref());
        let protocol = match wanted {
            None => 0,
            Some(w) => {
                let first = w.split(',').next().unwrap_or("").trim();
                v.protocols
                    .iter()
                    .position(|p| p.name == first)
                    .unwrap_or_else(|| {
                        lwsl!(
                            level::NOTICE,
                            "client: protocol {first:?} not on vhost {}: using {}",
                            v.name,
                            v.protocols.first().map_or("?", |p| p.name.as_str())
                        );
                        0
                    })
            }
        };
        let default_validity = v.validity;
        let client_tls = v.client_tls.clone();
        let vname = v.name.clone();
        // Through the vhost's HTTP proxy, when it has one: the connect goes
        // to the proxy (lws's connect2 "priority 1").
        let proxy = v
            .proxy
            .in_use()
            .then(|| (v.proxy.address.clone(), v.proxy.port as u16));
        let rx_chunk = self.rx_chunk_for(vhost, protocol);
        let lookup = match &proxy {
            Some((address, port)) => resolve(address, *port),
            None => resolve(&spec.address, spec.port),
        };
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        c.conmon = Some(Box::new(Conmon::new(spec.conmon)));
        c.conmon_mut()
            .resolved(lookup.us, lookup.disposition, &lookup.all);
        let mut dialing = Dialing {
            untried: lookup.all.into(),
            tunnel: None,
        };
        let connected = lookup
            .first
            .and_then(|_| dial(&mut dialing, c.conmon_mut()));
        c.vhost = vhost;
        c.protocol = protocol;
        c.rx_chunk = rx_chunk;
        c.validity = spec.validity.unwrap_or(default_validity);
        if let Some((flags, alpn)) = &spec.tls {
            // The name checked and sent as SNI is `host` without its port (B3.5).
            let host = spec
                .host
                .rsplit_once(':')
                .map_or(spec.host.as_str(), |(h, p)| {
                    if p.bytes().all(|b| b.is_ascii_digit()) && !h.contains(':') {
                        h
                    } else {
                        spec.host.as_str()
                    }
                });
            let session = match &client_tls {
                super::vhost::ClientTlsState::NotConfigured => Err(format!(
                    "tls: vhost {vname} has no client TLS context (create it with LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT)"
                )),
                super::vhost::ClientTlsState::Ready { tls, ca_problem } => {
                    c.tls_hint = ca_problem.clone();
                    crate::tls::session::TlsSession::client(tls.config(*flags, alpn, spec.port), host).map_err(|e| e.to_string())
                }
            };
            match session {
                Ok(s) => c.tls = Some(Box::new(s)),
                Err(why) => {
                    c.client = Some(Box::new(spec));
                    return self.finish(id, Ending::ClientError(why));
                }
            }
        }
        // Through a proxy, TLS waits for the tunnel.
        dialing.tunnel = proxy.map(|_| super::proxy::Tunnel::Dialing { tls: c.tls.take() });
        let parent = spec.parent;
        let bind = if spec.raw {
            ConnEvent::RawBind
        } else {
            ConnEvent::BindProtocol
        };
        c.client = Some(Box::new(spec));
        c.set_phase(Phase::Connecting(dialing));
        let restarted = c.restarted;
        self.conns.set_parent(id, parent);
        if !restarted {
            self.outbox.push_back(Callout::Conn { id, event: bind });
        }
        let stream = match connected {
            Ok(s) => s,
            Err(why) => return self.finish(id, Ending::ClientError(why)),
        };
        let fd = std::os::fd::AsRawFd::as_raw_fd(&stream);
        if let Err(e) = self.attach_stream(id, stream) {
            return self.finish(id, Ending::ClientError(format!("conn fail: {e}")));
        }
        for event in [
            ConnEvent::Connecting { fd },
            ConnEvent::NewClientInstantiated,
        ] {
            self.outbox.push_back(Callout::Conn { id, event });
        }
        self.timers.schedule(
            TimerTarget::ConnTimeout(id),
            now_us() + CONNECT_TIMEOUT_SECS * 1_000_000,
        );
    }

    /// The socket became writable while connecting: connected or refused.
    pub(super) fn on_connected(&mut self, id: ConnId) {
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        let Some(s) = c.io.tcp() else {
            return;
        };
        if let Ok(Some(e)) | Err(e) = s.take_error() {
            let why = format!("conn fail: {}", e.raw_os_error().unwrap_or(0));
            return self.connect_failed(id, why);
        }
        match s.peer_addr() {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotConnected => {
                // Spurious wake-up: still connecting.
                c.writable = false;
                return;
            }
            Err(e) => {
                let why = format!("conn fail: {}", e.raw_os_error().unwrap_or(0));
                return self.connect_failed(id, why);
            }
        }
        if matches!(c.tunnel(), Some(super::proxy::Tunnel::Dialing { .. })) {
            return self.send_proxy_connect(id);
        }
        if c.client.as_ref().is_some_and(|s| s.raw) {
            return self.raw_client_connected(id);
        }
        let _ = s.set_nodelay(true);
        let tls = c.tls.is_some();
        // As in lws, the TLS budget is borrowed when the handshake is about
        // to start (once: a restarted connection keeps its loan).
        if tls && c.tls_loan == TlsLoan::None {
            let Some(loan) = self.tls_budget.borrow() else {
                lwsl!(
                    level::NOTICE,
                    "conn {}: tls connection limit reached",
                    id.index
                );
                return self.finish(id, Ending::ClientError("tls restriction limit".into()));
            };
            let Some(c) = self.conn_mut(id) else {
                return;
            };
            c.tls_loan = loan;
        }
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        c.conmon_mut().connected(tls);
        let restarted = c.restarted;
        let ws = !c.is_http_client();
        let deflate_offer = self
            .deflate_config(id)
            .filter(|_| ws)
            .map(|d| d.client_offer);
        let handshake = Handshake {
            key: tungstenite::handshake::client::generate_key(),
            deflate_offer,
            ..Handshake::default()
        };
        if let Some(c) = self.conn_mut(id) {
            c.set_phase(Phase::AwaitingUpgrade(Awaiting {
                handshake,
                body_pending: false,
            }));
        }
        let head_len = self.client_request_head(id).map_or(0, |h| h.len());
        if !restarted {
            self.outbox.push_back(Callout::Conn {
                id,
                event: ConnEvent::WsiCreate,
            });
        }
        if self
            .conn(id)
            .and_then(Conn::handshake)
            .is_some_and(|h| h.deflate_offer.is_some())
        {
            // Asked before the request is made, as lws does (the answer can
            // take the extension out of the offer).
            self.outbox.push_back(Callout::Conn {
                id,
                event: ConnEvent::ClientConfirmExtensionSupported {
                    name: crate::ws::deflate::NAME.to_string(),
                },
            });
        }
        self.outbox.push_back(Callout::Conn {
            id,
            event: ConnEvent::AppendHandshakeHeader {
                room: REQUEST_BUFFER.saturating_sub(head_len + 2),
                appended: Vec::new(),
            },
        });
    }

    /// The connect in flight failed: on to the lookup's next address with a
    /// new socket (the old one is announced deleted, the new one added, and
    /// CONNECTING comes again with its descriptor, as lws's
    /// try_next_dns_result); with none left, CLIENT_CONNECTION_ERROR.
    pub(super) fn connect_failed(&mut self, id: ConnId, why: String) {
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        let next = match c.dialing_mut() {
            Some(d) if !d.untried.is_empty() => {
                let mut d = std::mem::take(d);
                let next = dial(&mut d, c.conmon_mut());
                if let Some(left) = c.dialing_mut() {
                    *left = d;
                }
                next
            }
            _ => return self.finish(id, Ending::ClientError(why)),
        };
        let old = c.io.take_tcp();
        c.writable = false;
        if let Some(old) = old {
            self.release_stream(id, old);
        }
        let stream = match next {
            Ok(s) => s,
            Err(why) => return self.finish(id, Ending::ClientError(why)),
        };
        let fd = std::os::fd::AsRawFd::as_raw_fd(&stream);
        if let Err(e) = self.attach_stream(id, stream) {
            return self.finish(id, Ending::ClientError(format!("conn fail: {e}")));
        }
        self.outbox.push_back(Callout::Conn {
            id,
            event: ConnEvent::Connecting { fd },
        });
        self.timers.schedule(
            TimerTarget::ConnTimeout(id),
            now_us() + CONNECT_TIMEOUT_SECS * 1_000_000,
        );
    }

    fn client_request_head(&self, id: ConnId) -> Option<Vec<u8>> {
        let c = self.conn(id)?;
        let spec = c.client.as_ref()?;
        let handshake = c.handshake()?;
        if let Some(m) = &spec.method {
            return Some(super::http_client::request_head(
                m,
                &spec.path,
                &spec.host,
                spec.origin.as_deref(),
                spec.pipeline,
                spec.form.as_ref(),
            ));
        }
        Some(handshake::client_request(&ClientRequest {
            path: &spec.path,
            host: &spec.host,
            origin: spec.origin.as_deref(),
            protocol: spec.protocol.as_deref(),
            key: &handshake.key,
            extensions: handshake.deflate_offer.as_deref(),
        }))
    }

    /// Sends the upgrade request with the headers the application appended.
    pub(super) fn send_client_request(&mut self, id: ConnId, appended: &[u8]) {
        let Some(mut req) = self.client_request_head(id) else {
            return;
        };
        req.extend_from_slice(appended);
        req.extend_from_slice(b"\r\n");
        let secs = u64::from(self.settings.timeout_secs);
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        if let Err(e) = c.queue(&req) {
            return self.finish(
                id,
                Ending::ClientError(format!("conn fail: {}", e.raw_os_error().unwrap_or(0))),
            );
        }
        c.conmon_mut().request_sent();
        self.timers
            .schedule(TimerTarget::ConnTimeout(id), now_us() + secs * 1_000_000);
        self.ready.push_back(id);
    }

    /// Parses the server's answer; ESTABLISHED_CLIENT_HTTP comes first whatever
    /// the status (B4.T5), the verdict is acted on after it.
    pub(super) fn parse_response(&mut self, id: ConnId) -> Option<Callout> {
        let max = self.settings.max_header;
        let c = self.conn_mut(id)?;
        if c.handshake().is_none_or(|h| h.verdict.is_some()) {
            return None;
        }
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut resp = httparse::Response::new(&mut headers);
        match resp.parse(c.unread()) {
            Ok(Status::Partial) => {
                if c.unread().len() > max {
                    self.finish(
                        id,
                        Ending::ClientError("HS: response headers too long".into()),
                    );
                }
                None
            }
            Ok(Status::Complete(n)) => {
                let head = Head {
                    status: resp.code.unwrap_or(0),
                    version_minor: resp.version.unwrap_or(0),
                    headers: resp
                        .headers
                        .iter()
                        .map(|h| (h.name.to_ascii_lowercase(), h.value.to_vec()))
                        .collect(),
                    ..Head::default()
                };
                c.in_pos += n;
                // lws records the status only of a redirect (client-http.c),
                // and only on HTTP clients.
                let redirect = matches!(head.status, 301 | 302 | 303 | 307 | 308);
                let http = c.is_http_client();
                c.conmon_mut()
                    .response((http && redirect).then_some(head.status));
                if c.is_http_client() {
                    return self.http_response_head(id, head);
                }
                let offered = c.client.as_ref().and_then(|s| s.protocol.clone());
                let hs = c.handshake_mut()?;
                let verdict = handshake::check_response(
                    head.status,
                    &|name| head.header_str(name).map(str::to_string),
                    &hs.key,
                    offered.as_deref(),
                    hs.deflate_offer.as_deref(),
                )
                .map(|agreed| hs.pmd = agreed.deflate)
                .map_err(str::to_string);
                hs.verdict = Some(verdict);
                c.head = Some(head);
                Some(Callout::Conn {
                    id,
                    event: ConnEvent::EstablishedClientHttp,
                })
            }
            Err(e) => {
                self.finish(id, Ending::ClientError(format!("HS: bad response: {e}")));
                None
            }
        }
    }

    /// After ESTABLISHED_CLIENT_HTTP, then CLIENT_FILTER_PRE_ESTABLISH (B4.3).
    pub(super) fn client_handshake_step(&mut self, id: ConnId, ret: i32, refusal: &str) {
        if ret != 0 {
            return self.finish(id, Ending::ClientError(refusal.to_string()));
        }
        let validate = self.settings.validate_utf8;
        let level = self.deflate_config(id).map_or(0, |d| d.level);
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        match c.handshake_mut().and_then(|h| h.verdict.take()) {
            Some(Err(why)) => self.finish(id, Ending::ClientError(why)),
            Some(Ok(())) => {
                // The verdict is used up: the next step (after the filter) opens.
                c.answer_arrived();
                self.outbox.push_back(Callout::Conn {
                    id,
                    event: ConnEvent::ClientFilterPreEstablish,
                });
            }
            None => {
                // Second step: the filter accepted. Open; headers are gone from
                // CLIENT_ESTABLISHED on (B4.3 step 8).
                c.head = None;
                let pmd = c.handshake_mut().and_then(|h| h.pmd.take());
                c.open_ws(validate, level, pmd);
                c.closes_as = ClosesAs::WebSocket;
                self.timers.cancel(TimerTarget::ConnTimeout(id));
                self.outbox.push_back(Callout::Conn {
                    id,
                    event: ConnEvent::Established,
                });
                self.ready.push_back(id);
            }
        }
    }
}

/// How many times one connection may be moved (lws's `wsi->redirects`
/// limit in `lws_client_reset`).
const MAX_RESETS: u8 = 4;

/// Where `lws_client_reset` moves a connection.
#[derive(Clone, Debug)]
pub struct ResetTarget {
    pub tls: bool,
    pub address: String,
    /// 0: port 443 with TLS, as lws forces it.
    pub port: u16,
    /// Without its leading '/' (lws's convention; one is added either way).
    pub path: String,
    pub host: String,
}

impl Core {
    /// Drops the connection's transport and starts it over on the same wsi
    /// towards `spec` (redirects and `lws_client_reset`): no second bind or
    /// WSI_CREATE, no closing callback for the old transport.
    pub fn restart_client(&mut self, id: ConnId, spec: ClientSpec) {
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        if !c.phase().may_become(PhaseKind::Queued) {
            return self.finish(id, Ending::Abrupt);
        }
        let stream = c.io.take_tcp();
        c.tls = None;
        c.inbuf.clear();
        c.in_pos = 0;
        c.out.clear();
        c.out_pos = 0;
        c.head = None;
        c.eof = false;
        c.hup = false;
        c.readable = false;
        c.writable = false;
        c.want_writable = false;
        c.writable_after_drain = false;
        // A WebSocket's life ends with its transport (its state goes with
        // the phase left below).
        c.closes_as = ClosesAs::Unannounced;
        c.restarted = true;
        c.set_phase(Phase::Queued);
        let vhost = c.vhost;
        self.timers.cancel(TimerTarget::ConnValidity(id));
        self.outbox
            .retain(|co| !matches!(co, Callout::Conn { id: i, .. } if *i == id));
        if let Some(s) = stream {
            self.release_stream(id, s);
        }
        self.start_client(id, spec, vhost);
    }

    /// `lws_client_reset`: the connection's next destination, checked as lws
    /// does (a client, not closing, at most four moves). The caller restarts
    /// it now ([`Core::restart_client`]) or, from inside a callback, once
    /// that callback returned ([`Core::reset_after_callback`]).
    pub fn client_reset(
        &mut self,
        id: ConnId,
        to: ResetTarget,
    ) -> Result<ClientSpec, &'static str> {
        let c = self.conn(id).ok_or("connection gone")?;
        if c.role != Role::Client {
            return Err("not a client connection");
        }
        if !c.phase().may_become(PhaseKind::Queued) {
            return Err("connection is not connecting or connected");
        }
        let mut spec = c
            .client
            .as_deref()
            .cloned()
            .ok_or("not a client connection")?;
        if spec.redirects >= MAX_RESETS {
            return Err("Too many redirects");
        }
        spec.redirects += 1;
        let (tls, port) = match to.port {
            0 => (true, 443),
            p => (to.tls, p),
        };
        spec.tls = if tls {
            Some(
                spec.tls
                    .take()
                    .unwrap_or_else(|| (Default::default(), vec![b"http/1.1".to_vec()])),
            )
        } else {
            None
        };
        lwsl!(
            level::NOTICE,
            "conn {}: REDIRECT {}:{port}, path='{}', ssl = {}",
            id.index,
            to.address,
            to.path,
            u8::from(tls)
        );
        spec.address = to.address;
        spec.port = port;
        // lws strips one '/' of a leading "//" and requests "/" + the rest.
        let path = to.path.strip_prefix("//").map_or(to.path.as_str(), |p| p);
        spec.path = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("/{path}")
        };
        spec.host = to.host;
        Ok(spec)
    }

    /// Records a reset asked for inside a callback: applied when the
    /// callback's answer is, or at once when the connection closes (lws
    /// picks the redirect up in its close flow).
    pub fn reset_after_callback(&mut self, id: ConnId, spec: ClientSpec) {
        self.resets.retain(|(r, _)| *r != id);
        self.resets.push((id, spec));
    }

    /// The connection's pending reset, taken (it restarts instead of closing).
    pub(super) fn take_reset(&mut self, id: ConnId) -> Option<ClientSpec> {
        let at = self.resets.iter().position(|(r, _)| *r == id)?;
        Some(self.resets.swap_remove(at).1)
    }

    /// Applies every pending reset (after a callback returned).
    pub(super) fn run_resets(&mut self) {
        while let Some((id, spec)) = self.resets.pop() {
            self.restart_client(id, spec);
        }
    }
}
