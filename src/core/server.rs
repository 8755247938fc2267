//! The server side of a connection: accepting, reading the request head, and
//! the WebSocket upgrade (spec B5.1, B5.4, B9.1, B9.2, B12.5–B12.7).
#![forbid(unsafe_code)]

use httparse::Status;

use super::close::Ending;
use super::conn::{Conn, ConnId, Handshake, Head, Phase, PhaseKind, Role};
use super::timers::{now_us, TimerTarget};
use super::tls_budget::TlsLoan;
use super::transport::Transport;
use super::{Callout, ConnEvent, VhostId};
use crate::log::level;
use crate::lwsl;
use crate::ws::deflate;
use crate::ws::handshake;

use super::context::Core;

const METHODS: [&str; 8] = [
    "GET", "POST", "OPTIONS", "PUT", "PATCH", "DELETE", "HEAD", "CONNECT",
];
const MAX_HEADERS: usize = 96;
/// How often a listener starved of descriptors tries to accept again.
const ACCEPT_RETRY_MS: u64 = 100;

/// Accept failures that mean "no room for another socket now", not a broken
/// listener: EMFILE, ENFILE, ENOBUFS, ENOMEM (Linux's numbers, as
/// `raw_os_error` reports them; std has no stable kind for the first three).
fn is_starvation(e: &std::io::Error) -> bool {
    const ENOMEM: i32 = 12;
    const ENFILE: i32 = 23;
    const EMFILE: i32 = 24;
    const ENOBUFS: i32 = 105;
    e.kind() == std::io::ErrorKind::OutOfMemory
        || matches!(e.raw_os_error(), Some(EMFILE | ENFILE | ENOBUFS | ENOMEM))
}

impl Core {
    /// Accepts every pending connection on a vhost's listener (B5.1).
    pub fn accept_all(&mut self, vh: VhostId) {
        loop {
            let Some(v) = self.vhosts.get(vh.0) else {
                return;
            };
            if v.tls_selector.is_some() && self.tls_budget.spent() {
                return self.accept_gated(vh);
            }
            let Some(l) = v.listener.as_ref() else {
                return;
            };
            match l.accept() {
                Ok((stream, peer)) => match self.server_conn(vh, stream, true) {
                    Ok(id) => {
                        self.accept_fed(vh);
                        lwsl!(level::INFO, "conn {}: accepted from {peer}", id.index);
                        match self.vhost(vh).map(|v| v.accept) {
                            Some(super::vhost::AcceptAs::Raw { protocol }) => {
                                self.accepted_raw(id, protocol)
                            }
                            _ => self.server_conn_started(id),
                        }
                    }
                    Err(e) => lwsl!(level::ERR, "accept from {peer}: {e}"),
                },
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return self.accept_fed(vh),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::Interrupted | std::io::ErrorKind::ConnectionAborted
                    ) => {}
                Err(e) if is_starvation(&e) => return self.accept_starved(vh, &e),
                Err(e) => {
                    lwsl!(level::WARN, "accept: {e}");
                    return;
                }
            }
        }
    }

    /// A server connection on `vh` reading its first request head (TLS
    /// when the vhost has it and `tls` allows it).
    pub(super) fn server_conn(
        &mut self,
        vh: VhostId,
        stream: mio::net::TcpStream,
        tls: bool,
    ) -> Result<ConnId, super::Error> {
        let _ = stream.set_nodelay(true);
        let plain_on_tls = self
            .vhosts
            .get(vh.0)
            .map(|v| v.plain_on_tls)
            .unwrap_or_default();
        let validity = self
            .vhosts
            .get(vh.0)
            .map(|v| v.validity)
            .unwrap_or_default();
        // A TLS listener: the certificate is chosen by SNI among the
        // vhosts sharing it (B3.3).
        let tls = self
            .vhosts
            .get(vh.0)
            .and_then(|v| v.tls_selector.clone())
            .filter(|_| tls)
            .map(crate::tls::session::TlsSession::server_select);
        let loan = match tls {
            Some(_) => self
                .tls_budget
                .borrow()
                .ok_or(super::Error::Refused("tls restriction limit"))?,
            None => TlsLoan::None,
        };
        let inserted = self.insert_conn(|id| {
            let mut c = Conn::new(
                id,
                vh,
                Role::Server,
                Phase::ReadingHeaders,
                Transport::Tcp(stream),
            );
            c.validity = validity;
            c.plain_on_tls = tls.is_some().then_some(plain_on_tls);
            c.tls = tls.map(Box::new);
            c.tls_loan = loan;
            c
        });
        if inserted.is_err() {
            self.tls_budget.give_back(&mut { loan });
        }
        inserted
    }

    /// The first callbacks of an accepted (or adopted) HTTP connection, and
    /// its timeout for the request head.
    pub(super) fn server_conn_started(&mut self, id: ConnId) {
        let due = now_us() + u64::from(self.settings.timeout_secs) * 1_000_000;
        self.timers.schedule(TimerTarget::ConnTimeout(id), due);
        for event in [ConnEvent::WsiCreate, ConnEvent::NewClientInstantiated] {
            self.outbox.push_back(Callout::Conn { id, event });
        }
    }

    /// Parses the request head once it is complete.
    pub(super) fn parse_request(&mut self, id: ConnId) -> Option<Callout> {
        if self.maybe_fall_back(id) {
            return None;
        }
        let max = self.settings.max_header;
        let c = self.conn_mut(id)?;
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut req = httparse::Request::new(&mut headers);
        let parsed = req.parse(c.unread());
        match parsed {
            Ok(Status::Partial) => {
                if c.unread().len() > max {
                    lwsl!(
                        level::NOTICE,
                        "conn {}: request head over {max} bytes: closed",
                        id.index
                    );
                    self.finish(id, Ending::Abrupt);
                }
                None
            }
            Ok(Status::Complete(n)) => {
                let head = Head {
                    method: req.method.unwrap_or("").to_string(),
                    path: req.path.unwrap_or("").to_string(),
                    status: 0,
                    version_minor: req.version.unwrap_or(0),
                    headers: req
                        .headers
                        .iter()
                        .map(|h| (h.name.to_ascii_lowercase(), h.value.to_vec()))
                        .collect(),
                };
                c.in_pos += n;
                if n > max {
                    lwsl!(
                        level::NOTICE,
                        "conn {}: request head over {max} bytes: closed",
                        id.index
                    );
                    self.finish(id, Ending::Abrupt);
                    return None;
                }
                self.on_request(id, head);
                None
            }
            Err(e) => {
                lwsl!(level::NOTICE, "conn {}: bad request: {e}", id.index);
                let status = if e == httparse::Error::TooManyHeaders {
                    None
                } else {
                    Some(400)
                };
                self.refuse(id, status);
                None
            }
        }
    }

    /// Accepting failed for want of descriptors (or memory): the pending
    /// connections stay in the kernel's backlog and are tried again in
    /// `ACCEPT_RETRY_MS`, or as soon as one of ours closes. One log line per
    /// episode, not per try, and no busy loop (the listener is edge-triggered).
    fn accept_starved(&mut self, vh: VhostId, e: &std::io::Error) {
        let Some(v) = self.vhosts.get_mut(vh.0) else {
            return;
        };
        if v.accept_starved_since.is_none() {
            v.accept_starved_since = Some(now_us());
            lwsl!(
                level::WARN,
                "vhost {}: accept: {e}: new connections wait until descriptors free up",
                v.name
            );
        }
        self.timers.schedule(
            TimerTarget::AcceptRetry(vh),
            now_us() + ACCEPT_RETRY_MS * 1000,
        );
    }

    /// A TLS listener stops accepting while the context's TLS budget is spent
    /// (lws gates its listeners the same way); the connections wait in the
    /// kernel's backlog until a TLS connection or handshake ends
    /// (`retry_starved_accepts`).
    fn accept_gated(&mut self, vh: VhostId) {
        let Some(v) = self.vhosts.get_mut(vh.0) else {
            return;
        };
        if v.accept_starved_since.is_none() {
            v.accept_starved_since = Some(now_us());
            lwsl!(
                level::NOTICE,
                "vhost {}: tls connection limit reached: not accepting",
                v.name
            );
        }
    }

    /// Accepting works (again).
    fn accept_fed(&mut self, vh: VhostId) {
        let Some(v) = self.vhosts.get_mut(vh.0) else {
            return;
        };
        if let Some(since) = v.accept_starved_since.take() {
            lwsl!(
                level::NOTICE,
                "vhost {}: accepting again after {} ms",
                v.name,
                (now_us() - since) / 1000
            );
            self.timers.cancel(TimerTarget::AcceptRetry(vh));
        }
    }

    /// A descriptor was released: starved listeners try again at once.
    pub(super) fn retry_starved_accepts(&mut self) {
        let starved: Vec<usize> = (0..self.vhosts.len())
            .filter(|i| self.vhosts[*i].accept_starved_since.is_some())
            .collect();
        for i in starved {
            self.timers
                .schedule(TimerTarget::AcceptRetry(VhostId(i)), now_us());
        }
    }

    fn on_request(&mut self, id: ConnId, head: Head) {
        if !METHODS.contains(&head.method.as_str()) {
            lwsl!(
                level::NOTICE,
                "conn {}: unknown method {:?}: 403",
                id.index,
                head.method
            );
            return self.refuse(id, Some(403));
        }
        if !head.path.starts_with('/') {
            return self.refuse(id, Some(403));
        }
        // Vhosts sharing this listener: the Host header picks one (B3.1).
        if let Some(c) = self.conn(id) {
            let routed = self.route_by_host(c.vhost, head.header_str("host"));
            if let Some(c) = self.conn_mut(id) {
                c.vhost = routed;
            }
        }
        match head.header_str("upgrade") {
            Some(u) if u.trim().eq_ignore_ascii_case("websocket") => self.start_upgrade(id, head),
            Some(_) => self.refuse(id, Some(403)),
            // A WebSocket key without `Upgrade` is a broken upgrade, not a
            // plain request (B12.7, as for a missing `Connection: upgrade`).
            None if head.header("sec-websocket-key").is_some() => {
                lwsl!(
                    level::NOTICE,
                    "conn {}: Sec-WebSocket-Key without Upgrade: 400",
                    id.index
                );
                self.refuse(id, Some(400))
            }
            None => self.start_http(id, head),
        }
    }

    /// Answers with an error status (or just closes) and ends the connection.
    fn refuse(&mut self, id: ConnId, status: Option<u16>) {
        let Some(s) = status else {
            return self.finish(id, Ending::Abrupt);
        };
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        match c.queue(&handshake::error_response(s)) {
            Ok(true) => self.finish(id, Ending::Abrupt),
            Ok(false) => c.drain(),
            Err(_) => self.finish(id, Ending::Abrupt),
        }
    }

    fn start_upgrade(&mut self, id: ConnId, head: Head) {
        let checked =
            handshake::check_upgrade(&head.method, head.version_minor, &|n| head.header_str(n));
        if let Err(r) = checked {
            lwsl!(
                level::NOTICE,
                "conn {}: upgrade refused: {}",
                id.index,
                r.reason
            );
            return self.refuse(id, r.status);
        }
        let Some(c) = self.conn(id) else {
            return;
        };
        let Some(vh) = self.vhost(c.vhost) else {
            return self.finish(id, Ending::Abrupt);
        };
        // The client's list, in its order: the first name this vhost has wins;
        // no header binds the default protocol (B5.4 step 4).
        let requested = head.header("sec-websocket-protocol").map(<[u8]>::to_vec);
        let chosen = match head.header_str("sec-websocket-protocol") {
            None => Some(0),
            Some(list) => list
                .split(',')
                .map(str::trim)
                .find_map(|want| vh.protocols.iter().position(|p| p.name == want)),
        };
        let Some(protocol) = chosen.filter(|p| *p < vh.protocols.len()) else {
            lwsl!(
                level::NOTICE,
                "conn {}: no protocol offered by the client exists here",
                id.index
            );
            return self.refuse(id, Some(400));
        };
        let rx_chunk = self.rx_chunk_for(c.vhost, protocol);
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        c.protocol = protocol;
        c.rx_chunk = rx_chunk;
        let key = head
            .header_str("sec-websocket-key")
            .unwrap_or("")
            .trim()
            .to_string();
        c.head = Some(head);
        c.set_phase(Phase::Upgrading(Handshake {
            key,
            ..Handshake::default()
        }));
        self.outbox.push_back(Callout::Conn {
            id,
            event: ConnEvent::BindProtocol,
        });
        self.outbox.push_back(Callout::Conn {
            id,
            event: ConnEvent::FilterProtocolConnection { requested },
        });
    }

    /// FILTER_PROTOCOL_CONNECTION accepted: answer 101 and open (B5.4 steps 8–9).
    pub(super) fn complete_upgrade(&mut self, id: ConnId, extra_headers: &[u8]) {
        let validate = self.settings.validate_utf8;
        let Some(c) = self.conn(id) else {
            return;
        };
        let Some(hs) = c.handshake().filter(|_| c.phase() == PhaseKind::Upgrading) else {
            return;
        };
        let accept = tungstenite::handshake::derive_accept_key(hs.key.as_bytes());
        // Sec-WebSocket-Protocol is answered only when the client sent one.
        let asked = c
            .head
            .as_ref()
            .is_some_and(|h| h.header("sec-websocket-protocol").is_some());
        let name = self
            .vhost(c.vhost)
            .and_then(|v| v.protocols.get(c.protocol))
            .filter(|_| asked)
            .map(|p| p.name.clone());
        // permessage-deflate, when this vhost has it and the client offers it.
        let deflate = self.deflate_config(id).and_then(|d| {
            let offers = hs.deflate_offer.as_deref()?;
            let (params, answer) = deflate::accept_offer(&deflate::parse_extension_list(offers)?)?;
            Some((d.level, params, answer))
        });
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        let response = handshake::response_101(
            &accept,
            name.as_deref(),
            deflate.as_ref().map(|d| d.2.as_str()),
            extra_headers,
        );
        if c.queue(&response).is_err() {
            return self.finish(id, Ending::Abrupt);
        }
        let pmd = deflate.as_ref().map(|d| d.1);
        c.open_ws(validate, deflate.map_or(0, |d| d.0), pmd);
        self.timers.cancel(TimerTarget::ConnTimeout(id));
        self.outbox.push_back(Callout::Conn {
            id,
            event: ConnEvent::Established,
        });
        self.ready.push_back(id);
    }
}
