//! The connection engine: the slab, readiness, the pull loop that turns input
//! into callouts one at a time, callback results, writes, and closing.
//!
//! Callouts are produced lazily (`next_callout`), one at a time, so that what a
//! callback does (close, pause rx, write) takes effect before the next piece of
//! input is parsed: nothing is ever delivered for a connection after its
//! callback asked to close, and paused input stays buffered (B6.3).
#![forbid(unsafe_code)]

use std::io;
use std::os::fd::AsRawFd;

use mio::{Interest, Token};

use super::conn::{ClosesAs, Conn, ConnId, PeerClose, Phase, PhaseKind, Role, RxPending};
use super::context::Core;
use super::poll::{FdOwner, Parting};
use super::timers::{now_us, TimerTarget};
use super::tls_budget::TlsLoan;
use super::transport::Transport;
use super::{Callout, ConnEvent, Error, Face, RxBytes};
use crate::log::level;
use crate::lwsl;
use crate::ws::close;
use crate::ws::rx::{DataBytes, RxError, RxItem};
use crate::ws::tx::Opcode;

/// How long a closing handshake may take (lws's `PENDING_TIMEOUT_CLOSE_ACK`).
const CLOSE_SECS: u64 = 5;

/// How a connection ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    /// Drop TCP without a Close frame (peer sees 1006).
    Abrupt,
    /// Send a Close frame with this code and reason, then wait for the peer's.
    CloseFrame(u16, Vec<u8>),
    /// A client that never got established: CLIENT_CONNECTION_ERROR with this.
    ClientError(String),
    /// No closing callback, only WSI_DESTROY (`__lws_close_free_wsi_final`).
    Quiet,
}

/// What `lws_write` was asked to send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteKind {
    Ws { op: Opcode, fin: bool },
}

impl Core {
    pub fn conn(&self, id: ConnId) -> Option<&Conn> {
        self.conns.get(id)
    }

    /// The connection, marked for a comparison of the events it waits for
    /// (external poll): every change to it goes through here.
    pub fn conn_mut(&mut self, id: ConnId) -> Option<&mut Conn> {
        let c = self.conns.get_mut(id)?;
        Core::mark_poll_dirty(&mut self.poll, c);
        Some(c)
    }

    /// Reserves a slot and builds the connection in it; registers its socket.
    pub fn insert_conn(&mut self, make: impl FnOnce(ConnId) -> Conn) -> Result<ConnId, Error> {
        let id = self.conns.reserve();
        let index = id.index;
        let mut conn = make(id);
        if let Some(s) = conn.io.tcp_mut() {
            if let Err(e) =
                self.registry
                    .register(s, Token(index), Interest::READABLE | Interest::WRITABLE)
            {
                self.conns.unreserve(id);
                return Err(Error::io("register connection", e));
            }
        }
        let fd = conn.io.tcp().map(AsRawFd::as_raw_fd);
        self.conns.fill(conn);
        if let Some(fd) = fd {
            self.announce_add(FdOwner::Conn(id), fd);
        }
        Ok(id)
    }

    /// Gives a connection made without a socket (queued) its socket.
    pub fn attach_stream(
        &mut self,
        id: ConnId,
        mut stream: mio::net::TcpStream,
    ) -> Result<(), Error> {
        self.registry
            .register(
                &mut stream,
                Token(id.index),
                Interest::READABLE | Interest::WRITABLE,
            )
            .map_err(|e| Error::io("register connection", e))?;
        let fd = stream.as_raw_fd();
        if let Some(c) = self.conn_mut(id) {
            c.io = Transport::Tcp(stream);
            self.announce_add(FdOwner::Conn(id), fd);
        }
        Ok(())
    }

    /// A TLS handshake finished: its share of the budget goes back, and a
    /// listener that stopped for want of it accepts again.
    fn tls_handshake_done(&mut self, id: ConnId) {
        if let Some(c) = self.conns.get_mut(id) {
            self.tls_budget.handshake_done(&mut c.tls_loan);
        }
        self.retry_starved_accepts();
    }

    pub(super) fn remove_conn(&mut self, id: ConnId) {
        if let Some(mut c) = self.conns.remove(id) {
            self.note_released(c.buffer_bytes());
            self.tls_budget.give_back(&mut c.tls_loan);
            let mut io = std::mem::take(&mut c.io);
            io.deregister(&self.registry);
            if let (Some(fd), Some(_)) = (io.fd(), c.poll.announced) {
                self.announce_del(FdOwner::Conn(id), fd, Parting::Conn(io));
            }
            self.orphan_faces.extend(c.face.take());
            self.retry_starved_accepts();
            self.doom_if_retired_and_idle(c.vhost);
        }
        self.timers.cancel(TimerTarget::ConnTimeout(id));
        self.timers.cancel(TimerTarget::ConnTimer(id));
        self.timers.cancel(TimerTarget::ConnValidity(id));
    }

    /// Poller readiness for the connection in slot `index`.
    /// `hup`: the event also reported the peer's end of input (or an error).
    pub fn on_ready(&mut self, index: usize, readable: bool, writable: bool, hup: bool) {
        let Some(c) = self.conns.at_mut(index) else {
            return;
        };
        let id = c.id;
        c.hup |= hup;
        if readable {
            c.readable = true;
            if c.rx_pending == RxPending::Parked {
                c.rx_pending = RxPending::No;
            }
            self.ready.push_back(id);
        }
        if writable {
            c.writable = true;
            match c.phase() {
                // (The CONNECT sent to a proxy is flushed as any output.)
                PhaseKind::Connecting if !c.awaits_proxy() => self.ready.push_back(id),
                _ => {
                    if c.has_unsent() {
                        self.flush_conn(id);
                    } else {
                        self.writers.push_back(id);
                    }
                }
            }
        }
    }

    /// Starts a service pass: connections with input left over from the last
    /// pass (still readable, or bytes buffered) are serviced again. Only the
    /// pending set is looked at, never every connection, so the cost of a pass
    /// does not grow with idle connections.
    pub fn begin_pass(&mut self) {
        self.pass += 1;
        let mut list = std::mem::take(&mut self.rx_pending);
        let mut keep = std::mem::take(&mut self.rx_pending_next);
        for id in list.drain(..) {
            let Some(c) = self.conn_mut(id) else {
                continue;
            };
            if c.has_rx_leftover() {
                keep.push(id);
                self.ready.push_back(id);
            } else {
                c.rx_pending = RxPending::No;
            }
        }
        self.rx_pending = keep;
        self.rx_pending_next = list;
    }

    /// Releases the buffers of a connection a burst grew, once they are
    /// empty (looked at when the connection was serviced, not by a scan).
    fn shrink_serviced(&mut self, id: ConnId) {
        let freed = self.conn_mut(id).map_or(0, Conn::shrink_idle_buffers);
        if freed > 0 {
            self.note_released(freed);
        }
    }

    /// Puts a connection whose input was just serviced into the pending set
    /// when input may be left (every way input appears passes through
    /// `ready`, so the set misses none).
    fn note_rx_leftover(&mut self, id: ConnId) {
        self.shrink_serviced(id);
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        if c.rx_pending == RxPending::No && c.has_rx_leftover() {
            c.rx_pending = RxPending::Listed;
            self.rx_pending.push(id);
        }
    }

    /// `lws_ssl_remove_wsi_from_buffered_list`: a TLS connection leaves the
    /// pending set (lws's list of connections with decrypted data waiting),
    /// so no pass services it for input it already holds until its socket
    /// reports readiness again; that input stays buffered and is read
    /// first then. A connection without TLS is not on lws's list: no change.
    /// Nor is one whose socket is not known drained (`readable`): lws's
    /// level-triggered poll still reports it, while our edge is spent, so
    /// parking it would strand input lws reads.
    pub fn park_tls_rx(&mut self, id: ConnId) {
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        if c.tls.is_none() || c.readable {
            return;
        }
        c.rx_pending = RxPending::Parked;
        self.rx_pending.retain(|&p| p != id);
    }

    /// Whether the next poll must not wait: input or callouts are pending.
    /// Looks at the pending set only.
    pub fn has_pending_work(&self) -> bool {
        !self.outbox.is_empty()
            || !self.writers.is_empty()
            || !self.ready.is_empty()
            || self.rx_pending.iter().any(|&id| {
                self.conn(id).is_some_and(|c| {
                    c.has_rx_leftover() && (c.readable || c.phase() != PhaseKind::Connecting)
                })
            })
    }

    /// [`Core::next_callout`] with the host's handle of the connection it is
    /// about (when it has one).
    pub fn next_callout_with_face(&mut self) -> Option<(Callout, Option<Face>)> {
        let co = self.next_callout()?;
        let face = match &co {
            Callout::Conn { id, .. } => self.conn(*id).and_then(|c| c.face),
            _ => None,
        };
        Some((co, face))
    }

    /// The next callout to deliver, producing it from input if needed.
    pub fn next_callout(&mut self) -> Option<Callout> {
        if let Some(c) = self.outbox.pop_front() {
            return Some(c);
        }
        while let Some(&id) = self.ready.front() {
            if let Some(co) = self.produce(id) {
                return Some(co);
            }
            self.ready.pop_front();
            self.note_rx_leftover(id);
            if let Some(c) = self.outbox.pop_front() {
                return Some(c);
            }
        }
        while let Some(id) = self.writers.pop_front() {
            let Some(c) = self.conn_mut(id) else {
                continue;
            };
            let busy_with_file = c.http().is_some_and(|t| t.file.is_some());
            if c.want_writable && c.writable && !c.has_unsent() && !busy_with_file {
                let event = match c.phase() {
                    PhaseKind::Open => ConnEvent::Writeable,
                    PhaseKind::HttpServing => ConnEvent::HttpWriteable,
                    PhaseKind::AwaitingUpgrade if c.is_http_client() => {
                        ConnEvent::ClientHttpWriteable
                    }
                    PhaseKind::Raw => {
                        ConnEvent::RawWriteable(c.raw.unwrap_or(super::RawOver::Socket))
                    }
                    _ => continue,
                };
                c.want_writable = false;
                return Some(Callout::Conn { id, event });
            }
        }
        self.next_poll_change()
    }

    /// One callout from this connection's input, reading once per pass.
    fn produce(&mut self, id: ConnId) -> Option<Callout> {
        loop {
            let c = self.conn_mut(id)?;
            let produced = match c.phase() {
                PhaseKind::Finished | PhaseKind::Upgrading | PhaseKind::Queued => return None,
                PhaseKind::Connecting if c.awaits_proxy() => {
                    self.proxy_answer(id);
                    None
                }
                PhaseKind::Connecting => {
                    if c.writable {
                        self.on_connected(id);
                    }
                    return self.outbox.pop_front();
                }
                PhaseKind::Draining => {
                    c.in_pos = c.inbuf.len();
                    None
                }
                PhaseKind::ReadingHeaders => self.parse_request(id),
                PhaseKind::HttpServing => {
                    if c.rx_flow_off != 0 {
                        return None;
                    }
                    self.next_body_event(id)
                }
                PhaseKind::ClientHttpBody => self.next_client_body_event(id),
                PhaseKind::AwaitingUpgrade => self.parse_response(id),
                PhaseKind::Open if c.ws().is_some_and(|w| w.peer_close.is_some()) => {
                    // Nothing may follow the peer's Close (RFC 6455 5.5.1).
                    c.in_pos = c.inbuf.len();
                    None
                }
                PhaseKind::Open | PhaseKind::ClosingSent => {
                    if c.rx_flow_off != 0 {
                        return None;
                    }
                    self.parse_frame(id)
                }
                PhaseKind::Raw => {
                    if c.rx_flow_off != 0 {
                        return None;
                    }
                    self.next_raw_event(id)
                }
            };
            if produced.is_some() {
                return produced;
            }
            if !self.outbox.is_empty() {
                return self.outbox.pop_front();
            }
            if self.http_client_blocked(id) {
                return None;
            }
            let pass = self.pass;
            let c = self.conn_mut(id)?;
            if c.phase() == PhaseKind::Finished || !c.readable || c.read_pass == pass {
                return None;
            }
            c.read_pass = pass;
            let filled = c.fill();
            if c.tls_loan == TlsLoan::Handshaking
                // (no session left: a TLS listener's plain-HTTP fallback)
                && c.tls.as_ref().is_none_or(|t| !t.is_handshaking())
            {
                self.tls_handshake_done(id);
            }
            match filled {
                Ok(0) => {
                    self.on_eof(id);
                    return self.outbox.pop_front();
                }
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return None,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    lwsl!(level::INFO, "conn {}: read: {e}", id.index);
                    self.on_read_error(id, &e);
                    return self.outbox.pop_front();
                }
            }
        }
    }

    /// A read failed: a client not yet established reports why (a TLS failure
    /// reads "tls: ...", B3.6); anything else is a lost connection.
    fn on_read_error(&mut self, id: ConnId, e: &io::Error) {
        let Some(c) = self.conn(id) else {
            return;
        };
        let text = e.to_string();
        let pre_establish = c.role == Role::Client
            && matches!(
                c.phase(),
                PhaseKind::Connecting | PhaseKind::AwaitingUpgrade
            );
        if pre_establish && c.tunnel().is_some() {
            return self.finish(id, Ending::ClientError("proxy read err".into()));
        }
        if pre_establish && text.starts_with("tls: ") {
            return self.finish(id, Ending::ClientError(text));
        }
        if pre_establish && c.phase() == PhaseKind::AwaitingUpgrade {
            // The request went out on a connected socket: lws reports a failed
            // read of the response head, and tries no other address.
            return self.finish(id, Ending::ClientError("read failed".into()));
        }
        if pre_establish {
            let why = format!("conn fail: {}", e.raw_os_error().unwrap_or(0));
            return self.connect_failed(id, why);
        }
        self.on_eof(id);
    }

    fn on_eof(&mut self, id: ConnId) {
        let Some(c) = self.conn(id) else {
            return;
        };
        let ending = match (c.role, c.phase()) {
            (Role::Client, PhaseKind::AwaitingUpgrade) => {
                Ending::ClientError("Peer hung up".into())
            }
            (Role::Client, PhaseKind::Connecting) if c.tunnel().is_some() => {
                Ending::ClientError("proxy conn dead".into())
            }
            (Role::Client, PhaseKind::ClientHttpBody) => {
                if self.http_client_eof(id) {
                    // The completion goes out first; the close follows it.
                    if let Some(c) = self.conn_mut(id) {
                        c.readable = false;
                    }
                }
                Ending::Abrupt
            }
            _ => Ending::Abrupt,
        };
        self.finish(id, ending);
    }

    /// The next WebSocket event from buffered input.
    fn parse_frame(&mut self, id: ConnId) -> Option<Callout> {
        let r = self.conn_mut(id)?.next_ws_item()?;
        match r {
            Ok(None) => None,
            Ok(Some(ev)) => self.on_ws_event(id, ev),
            Err(RxError { code, reason }) => {
                lwsl!(
                    level::NOTICE,
                    "conn {}: protocol violation from peer: {reason}",
                    id.index
                );
                // The stream cannot be parsed past a violation: nothing more is
                // read from it. With a Close to send, the connection ends as soon
                // as that Close has left (B12.7); otherwise at once.
                if let Some(c) = self.conn_mut(id) {
                    c.stop_ws_rx();
                }
                match code {
                    Some(code) => {
                        self.close(id, Ending::CloseFrame(code, reason.as_bytes().to_vec()));
                        if self
                            .conn(id)
                            .is_some_and(|c| c.phase() == PhaseKind::ClosingSent)
                        {
                            self.drain_then_finish(id);
                        }
                    }
                    None => self.finish(id, Ending::Abrupt),
                }
                self.outbox.pop_front()
            }
        }
    }

    fn on_ws_event(&mut self, id: ConnId, ev: RxItem) -> Option<Callout> {
        let c = self.conn_mut(id)?;
        let event = match ev {
            RxItem::Data {
                bytes,
                first,
                last,
                binary,
                remaining,
            } => {
                if c.phase() == PhaseKind::ClosingSent {
                    return None;
                }
                // The payload is handed on where it lies: the input buffer
                // goes with the callout and comes back in `apply`.
                let payload = match bytes {
                    DataBytes::Input(range) => RxBytes {
                        buf: std::mem::take(&mut c.inbuf),
                        range,
                        input: true,
                    },
                    DataBytes::Inflated(v) => RxBytes::owned(v),
                };
                ConnEvent::Receive {
                    payload,
                    first,
                    last,
                    binary,
                    remaining,
                }
            }
            RxItem::Ping(p) => {
                if c.phase() == PhaseKind::Open {
                    // Answer the latest ping before any application data (B6.6, B12.2).
                    if let Err(e) = c.write_frame(true, Opcode::Pong, &p) {
                        lwsl!(level::INFO, "conn {}: pong: {e}", id.index);
                        self.finish(id, Ending::Abrupt);
                    }
                }
                return None;
            }
            RxItem::Pong(p) => {
                self.mark_valid(id);
                ConnEvent::ReceivePong(p)
            }
            RxItem::Close(p) => {
                if c.phase() == PhaseKind::ClosingSent {
                    // The acknowledgement of our own Close: done.
                    self.finish(id, Ending::Abrupt);
                    return self.outbox.pop_front();
                }
                let writes_pending = c.want_writable || c.writable_after_drain;
                if let Some(w) = c.ws_mut() {
                    w.peer_close = Some(PeerClose {
                        echo: Vec::new(),
                        writes_pending,
                    });
                }
                ConnEvent::PeerInitiatedClose(p)
            }
        };
        Some(Callout::Conn { id, event })
    }

    /// Applies a callback's return value (spec B4.3, B5.4, B6.4, B6.5), then
    /// the `lws_client_reset` calls the callback made.
    pub fn apply(&mut self, callout: Callout, ret: i32) {
        self.apply_answer(callout, ret);
        if !self.resets.is_empty() {
            self.run_resets();
        }
    }

    fn apply_answer(&mut self, callout: Callout, ret: i32) {
        let (id, event) = match callout {
            Callout::Conn { id, event } => (id, event),
            Callout::Poll { fd, change, .. } => return self.poll_change_delivered(fd, change),
            _ => return,
        };
        match event {
            ConnEvent::RawAdopt(_)
            | ConnEvent::RawConnected
            | ConnEvent::RawRx { .. }
            | ConnEvent::RawWriteable(_) => self.raw_delivered(id, &event, ret),
            ConnEvent::RawBind | ConnEvent::RawDrop | ConnEvent::RawClose(_) => {}
            ConnEvent::WsiDestroy => self.remove_conn(id),
            ConnEvent::FileOpen { usage, opened, .. } => self.file_opened(id, usage, opened),
            ConnEvent::FileRead { data, .. } => self.file_read(id, data),
            ConnEvent::ClientHttpRedirect { location, .. } => {
                self.http_redirect_decided(id, &location, ret)
            }
            ConnEvent::FilterProtocolConnection { .. } => {
                if ret != 0 {
                    lwsl!(
                        level::INFO,
                        "conn {}: refused by FILTER_PROTOCOL_CONNECTION",
                        id.index
                    );
                    self.finish(id, Ending::Abrupt);
                } else {
                    self.confirm_extension_then_add_headers(id);
                }
            }
            ConnEvent::ConfirmExtensionOkay { .. } => {
                if ret != 0 {
                    lwsl!(
                        level::INFO,
                        "conn {}: permessage-deflate declined by CONFIRM_EXTENSION_OKAY",
                        id.index
                    );
                    if let Some(h) = self.conn_mut(id).and_then(Conn::handshake_mut) {
                        h.deflate_offer = None;
                    }
                }
                self.push_add_headers(id);
            }
            ConnEvent::ClientConfirmExtensionSupported { .. } => {
                if ret != 0 {
                    if let Some(h) = self.conn_mut(id).and_then(Conn::handshake_mut) {
                        h.deflate_offer = None;
                    }
                }
            }
            ConnEvent::AddHeaders { appended, .. } => {
                if ret != 0 {
                    self.finish(id, Ending::Abrupt);
                } else {
                    self.complete_upgrade(id, &appended);
                }
            }
            ConnEvent::AppendHandshakeHeader { appended, .. } => {
                if ret != 0 {
                    self.finish(
                        id,
                        Ending::ClientError("HS: Rejected by APPEND_HANDSHAKE_HEADER".into()),
                    );
                } else {
                    self.send_client_request(id, &appended);
                }
            }
            // HTTP clients: FILTER_PRE_ESTABLISH comes first and
            // ESTABLISHED_CLIENT_HTTP opens the body phase (B4.5 step 3).
            ConnEvent::EstablishedClientHttp if ret == 0 && self.is_http_client(id) => {
                self.http_client_established(id)
            }
            ConnEvent::ClientFilterPreEstablish if ret == 0 && self.is_http_client(id) => {}
            ConnEvent::EstablishedClientHttp => {
                self.client_handshake_step(id, ret, "HS: disallowed by client filter")
            }
            ConnEvent::ClientFilterPreEstablish => {
                self.client_handshake_step(id, ret, "HS: Rejected by filter cb")
            }
            ConnEvent::Established => {
                let client = self.conn(id).is_some_and(|c| c.role == Role::Client);
                if ret != 0 && client {
                    self.finish(
                        id,
                        Ending::ClientError("HS: Rejected at CLIENT_ESTABLISHED".into()),
                    );
                } else if ret != 0 {
                    self.close_by_callback(id);
                } else if let Some(c) = self.conn_mut(id) {
                    c.closes_as = ClosesAs::WebSocket;
                    // Request headers are readable up to here only (B5.4 step 9).
                    c.head = None;
                    self.mark_valid(id);
                }
            }
            ConnEvent::PeerInitiatedClose(payload) => {
                if ret == 0 {
                    let code = if payload.len() >= 2 {
                        u16::from_be_bytes([payload[0], payload[1]])
                    } else {
                        close::NORMAL
                    };
                    let reason = if payload.len() > 2 {
                        payload[2..].to_vec()
                    } else {
                        Vec::new()
                    };
                    let echo = if payload.is_empty() {
                        Vec::new()
                    } else {
                        let mut p = code.to_be_bytes().to_vec();
                        p.extend_from_slice(&reason);
                        p
                    };
                    self.owe_close(id, echo);
                } else {
                    self.finish(id, Ending::Abrupt);
                }
            }
            ConnEvent::FilterHttpConnection { .. } => {
                if ret != 0 {
                    self.finish(id, Ending::Abrupt);
                } else {
                    self.route_http(id);
                }
            }
            ConnEvent::CheckAccessRights => {
                if ret != 0 {
                    self.outbox
                        .retain(|co| !matches!(co, Callout::Conn { id: i, .. } if *i == id));
                    if let Some(t) = self.conn_mut(id).and_then(|c| c.http_mut()) {
                        t.keepalive = false;
                    }
                    self.queue_status(id, 401, None);
                    self.drain_then_finish(id);
                }
            }
            ConnEvent::Http { .. } => {
                if let Some(t) = self.conn_mut(id).and_then(|c| c.http_mut()) {
                    t.http_delivered = true;
                }
                if ret != 0 {
                    self.close_by_callback(id);
                } else {
                    self.ready.push_back(id);
                }
            }
            ConnEvent::Writeable => {
                if ret != 0 {
                    self.close_by_callback(id);
                } else {
                    self.settle_peer_close(id);
                }
            }
            ConnEvent::Receive { payload, .. } => {
                if payload.input {
                    if let Some(c) = self.conn_mut(id) {
                        if c.inbuf.is_empty() {
                            c.inbuf = payload.buf;
                        }
                    }
                }
                if ret != 0 {
                    self.close_by_callback(id);
                }
            }
            ConnEvent::HttpBody(_)
            | ConnEvent::HttpBodyCompletion
            | ConnEvent::HttpWriteable
            | ConnEvent::HttpFileCompletion
            | ConnEvent::ClientHttpWriteable
            | ConnEvent::ReceiveClientHttp
            | ConnEvent::CompletedClientHttp
            | ConnEvent::ReceivePong(_)
            | ConnEvent::Timer
            | ConnEvent::BindProtocol
            | ConnEvent::NewClientInstantiated => {
                if ret != 0 {
                    self.close_by_callback(id);
                }
            }
            ConnEvent::WsiCreate
            | ConnEvent::Connecting { .. }
            | ConnEvent::DropProtocol
            | ConnEvent::Closed
            | ConnEvent::HttpDropProtocol
            | ConnEvent::ClosedHttp
            | ConnEvent::ConnectionError(_)
            | ConnEvent::FileClose => {}
        }
    }

    /// FILTER_PROTOCOL_CONNECTION accepted: the application is asked about
    /// the client's permessage-deflate offer (when this vhost has it), then
    /// for extra 101 headers (B5.4 step 8).
    fn confirm_extension_then_add_headers(&mut self, id: ConnId) {
        let has_deflate = self.deflate_config(id).is_some();
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        let offer = c
            .head
            .as_ref()
            .and_then(|h| h.header_str("sec-websocket-extensions"))
            .filter(|v| {
                crate::ws::deflate::parse_extension_list(v)
                    .is_some_and(|l| l.iter().any(|e| e.name == crate::ws::deflate::NAME))
            })
            .filter(|_| has_deflate)
            .map(str::to_string);
        let Some(hs) = c.handshake_mut() else {
            return;
        };
        hs.deflate_offer = offer;
        if hs.deflate_offer.is_some() {
            self.outbox.push_back(Callout::Conn {
                id,
                event: ConnEvent::ConfirmExtensionOkay {
                    name: crate::ws::deflate::NAME.to_string(),
                },
            });
        } else {
            self.push_add_headers(id);
        }
    }

    fn push_add_headers(&mut self, id: ConnId) {
        self.outbox.push_back(Callout::Conn {
            id,
            event: ConnEvent::AddHeaders {
                room: 2048,
                appended: Vec::new(),
            },
        });
    }

    fn is_http_client(&self, id: ConnId) -> bool {
        self.conn(id).is_some_and(Conn::is_http_client)
    }

    /// A callback returned non-zero: close, with a Close frame only if the
    /// application set a reason (B6.4).
    fn close_by_callback(&mut self, id: ConnId) {
        let Some(c) = self.conn(id) else {
            return;
        };
        if c.phase() == PhaseKind::HttpServing {
            // An HTTP response still leaving is finished before the close.
            return self.drain_then_finish(id);
        }
        let ending = match &c.close_reason {
            Some((code, reason)) => Ending::CloseFrame(*code, reason.clone()),
            None => Ending::Abrupt,
        };
        self.close(id, ending);
    }

    /// Starts closing a connection.
    pub fn close(&mut self, id: ConnId, ending: Ending) {
        if let Some(spec) = self.take_reset(id) {
            // Reset from a callback that then closed it (lws's redirect flow).
            return self.restart_client(id, spec);
        }
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        if matches!(c.phase(), PhaseKind::Finished | PhaseKind::ClosingSent) {
            return;
        }
        match ending {
            Ending::CloseFrame(code, reason)
                if c.phase() == PhaseKind::Open && c.ws().is_some_and(|w| !w.close_sent()) =>
            {
                let mut payload = code.to_be_bytes().to_vec();
                payload.extend_from_slice(&reason[..reason.len().min(123)]);
                // Nothing queued after a Close may be sent (B12.1): drop unsent
                // application data that is not already on its way.
                if c.out_pos == 0 {
                    c.out.clear();
                }
                match c.write_frame(true, Opcode::Close, &payload) {
                    Ok(_) => {
                        c.await_peer_close();
                        let due = now_us() + 5_000_000;
                        self.timers.schedule(TimerTarget::ConnTimeout(id), due);
                    }
                    Err(_) => self.finish(id, Ending::Abrupt),
                }
            }
            other => self.finish(id, other),
        }
    }

    /// The peer's Close was accepted (WS_PEER_INITIATED_CLOSE returned 0):
    /// answered now, or, when the application had asked to write before it
    /// came, after those writes (bounded by the close timeout).
    fn owe_close(&mut self, id: ConnId, echo: Vec<u8>) {
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        let Some(w) = c.ws_mut() else {
            return;
        };
        let writes_pending = w.peer_close.as_ref().is_some_and(|p| p.writes_pending);
        w.peer_close = Some(PeerClose {
            echo,
            writes_pending,
        });
        if writes_pending {
            let due = now_us() + CLOSE_SECS * 1_000_000;
            self.timers.schedule(TimerTarget::ConnTimeout(id), due);
        }
        self.settle_peer_close(id);
    }

    /// Answers an owed Close once no write of the application is pending.
    fn settle_peer_close(&mut self, id: ConnId) {
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        let done = !c.want_writable && !c.writable_after_drain;
        let Some(w) = c.ws_mut() else {
            return;
        };
        if w.peer_close
            .as_ref()
            .is_some_and(|p| !p.writes_pending || done)
        {
            if let Some(p) = w.peer_close.take() {
                self.echo_close(id, &p.echo);
            }
        }
    }

    /// Echoes the peer's Close (B6.5) after what is already queued, and
    /// closes once it is flushed.
    fn echo_close(&mut self, id: ConnId, payload: &[u8]) {
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        match c.write_frame(true, Opcode::Close, payload) {
            Ok(true) => self.finish(id, Ending::Abrupt),
            Ok(false) => {
                c.drain();
                self.timers.schedule(
                    TimerTarget::ConnTimeout(id),
                    now_us() + CLOSE_SECS * 1_000_000,
                );
            }
            Err(_) => self.finish(id, Ending::Abrupt),
        }
    }

    /// Ends the connection now: socket closed, closing callouts queued (and
    /// anything else queued for it dropped), WSI_DESTROY last.
    pub fn finish(&mut self, id: ConnId, ending: Ending) {
        if ending != Ending::Quiet {
            if let Some(spec) = self.take_reset(id) {
                return self.restart_client(id, spec);
            }
        }
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        if c.phase() == PhaseKind::Finished {
            return;
        }
        c.set_phase(Phase::Finished);
        c.want_writable = false;
        let _ = c.flush();
        let fd = c.fd();
        let mut io = std::mem::take(&mut c.io);
        let announced = c.poll.announced.take().is_some();
        let (role, closes_as, raw) = (c.role, c.closes_as, c.raw);
        io.deregister(&self.registry);
        // Children close first, their callbacks before the parent's.
        for child in self.children_of(id) {
            self.finish(child, Ending::Abrupt);
        }
        let drop_protocol = raw == Some(super::RawOver::Socket) && self.has_session_data(id);
        self.timers.cancel(TimerTarget::ConnTimeout(id));
        self.timers.cancel(TimerTarget::ConnTimer(id));
        self.timers.cancel(TimerTarget::ConnValidity(id));
        // Nothing queued for it is delivered any more, except a completed HTTP
        // transaction, which precedes the close.
        self.outbox.retain(|co| match co {
            Callout::Conn { id: i, event } => *i != id || *event == ConnEvent::CompletedClientHttp,
            _ => true,
        });
        let mut seq = Vec::new();
        // A client ending with an error was never established for its user, even
        // when CLIENT_ESTABLISHED itself refused it: lws reports that through
        // CLIENT_CONNECTION_ERROR ("HS: Rejected at CLIENT_ESTABLISHED"), not CLOSED.
        let client_error = role == Role::Client && matches!(ending, Ending::ClientError(_));
        if ending == Ending::Quiet {
        } else if let Some(over) = raw {
            if drop_protocol {
                seq.push(ConnEvent::RawDrop);
            }
            seq.push(ConnEvent::RawClose(over));
        } else if closes_as == ClosesAs::WebSocket && !client_error {
            seq.push(ConnEvent::DropProtocol);
            seq.push(ConnEvent::Closed);
        } else if closes_as == ClosesAs::Http {
            seq.push(ConnEvent::HttpDropProtocol);
            seq.push(ConnEvent::ClosedHttp);
        } else if role == Role::Client {
            let why = match ending {
                Ending::ClientError(s) => s,
                _ => "closed before established".into(),
            };
            lwsl!(
                level::INFO,
                "conn {}: client connection failed: {why}",
                id.index
            );
            seq.push(ConnEvent::ConnectionError(why));
        }
        self.outbox
            .extend(seq.into_iter().map(|event| Callout::Conn { id, event }));
        // The host forgets the descriptor before it closes (after the closing
        // callbacks, before WSI_DESTROY, as lws removes it from its fds).
        match fd {
            Some(fd) if announced => self.announce_del(FdOwner::Conn(id), fd, Parting::Conn(io)),
            _ => drop(io),
        }
        self.retry_starved_accepts();
        self.outbox.push_back(Callout::Conn {
            id,
            event: ConnEvent::WsiDestroy,
        });
    }

    /// Flushes queued output after a writable event.
    pub fn flush_conn(&mut self, id: ConnId) {
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        match c.flush() {
            Ok(true) => {
                if c.phase() == PhaseKind::Draining {
                    self.finish(id, Ending::Abrupt);
                } else if c.http().is_some_and(|t| t.file.is_some()) {
                    self.pump_file(id);
                } else if std::mem::take(&mut c.writable_after_drain) {
                    c.want_writable = true;
                    self.writers.push_back(id);
                } else if c.want_writable {
                    self.writers.push_back(id);
                }
            }
            Ok(false) => {}
            Err(e) => {
                lwsl!(level::INFO, "conn {}: write: {e}", id.index);
                self.finish(id, Ending::Abrupt);
            }
        }
    }

    /// `lws_write`: one frame of `buf[pre..]` with the caller's headroom `buf[..pre]`
    /// (LWS_PRE): the frame header goes there and the frame is sent from
    /// `buf` without a copy when the socket takes it whole (client payloads
    /// are masked in place, as lws does). The whole payload is accepted (B6.1).
    pub fn write_in_place(
        &mut self,
        id: ConnId,
        buf: &mut [u8],
        pre: usize,
        kind: WriteKind,
    ) -> Result<usize, Error> {
        let c = self.conn_mut(id).ok_or(Error::Refused("wsi is closed"))?;
        if c.phase() != PhaseKind::Open || c.ws().is_none_or(|w| w.close_sent()) {
            return Err(Error::Refused("wsi is not open for writing"));
        }
        let WriteKind::Ws { op, fin } = kind;
        let len = buf.len().saturating_sub(pre);
        if matches!(op, Opcode::Ping | Opcode::Pong) && len > 125 {
            return Err(Error::Refused("control frame payload over 125 bytes"));
        }
        match c.write_frame_in_place(fin, op, buf, pre) {
            Ok(true) => Ok(len),
            Ok(false) => {
                c.writable_after_drain = true;
                Ok(len)
            }
            Err(e) => {
                self.finish(id, Ending::Abrupt);
                Err(Error::io("lws_write", e))
            }
        }
    }

    /// `lws_write` of HTTP headers or body bytes: queued as they are.
    pub fn write_http(&mut self, id: ConnId, bytes: &[u8]) -> Result<usize, Error> {
        let c = self.conn_mut(id).ok_or(Error::Refused("wsi is closed"))?;
        let client_body = c.phase() == PhaseKind::AwaitingUpgrade && c.is_http_client();
        if c.phase() != PhaseKind::HttpServing && !client_body {
            return Err(Error::Refused("no HTTP transaction on this wsi"));
        }
        match c.queue(bytes) {
            Ok(true) => Ok(bytes.len()),
            Ok(false) => {
                c.writable_after_drain = true;
                Ok(bytes.len())
            }
            Err(e) => {
                self.finish(id, Ending::Abrupt);
                Err(Error::io("lws_write", e))
            }
        }
    }

    /// `lws_callback_on_writable`: 1 armed, 0 closing.
    pub fn request_writable(&mut self, id: ConnId) -> Result<i32, Error> {
        let c = self.conn_mut(id).ok_or(Error::Refused("wsi is closed"))?;
        if c.is_closing() {
            return Ok(0);
        }
        c.want_writable = true;
        if c.writable && !c.has_unsent() {
            self.writers.push_back(id);
        }
        Ok(1)
    }

    /// `lws_rx_flow_control` (already converted to lws's bitmap form).
    pub fn rx_flow(&mut self, id: ConnId, enable: bool, reasons: u8) -> Result<(), Error> {
        let c = self.conn_mut(id).ok_or(Error::Refused("wsi is closed"))?;
        if enable {
            c.rx_flow_off &= !reasons;
        } else {
            c.rx_flow_off |= reasons;
        }
        if c.rx_flow_off == 0 {
            let file = c.raw == Some(super::RawOver::File);
            if file {
                // What it became while held is seen afresh.
                c.readable = false;
            }
            self.ready.push_back(id);
            if file {
                self.rearm_file(id);
            }
        }
        Ok(())
    }

    pub fn set_close_reason(&mut self, id: ConnId, code: u16, reason: &[u8]) -> Result<(), Error> {
        let c = self.conn_mut(id).ok_or(Error::Refused("wsi is closed"))?;
        c.close_reason = Some((code, reason[..reason.len().min(123)].to_vec()));
        Ok(())
    }

    /// `lws_set_timeout`: `secs` 0 cancels; negative closes at once (async).
    pub fn set_timeout(&mut self, id: ConnId, secs: i32) -> Result<(), Error> {
        let c = self.conn_mut(id).ok_or(Error::Refused("wsi is closed"))?;
        // The application's timeout replaces the transaction's idle limit.
        if let Some(t) = c.http_mut() {
            t.idle_us = None;
        }
        let t = TimerTarget::ConnTimeout(id);
        match secs {
            0 => {
                self.timers.cancel(t);
            }
            s if s < 0 => self.close_by_callback(id),
            s => self
                .timers
                .schedule(t, now_us() + u64::from(s.unsigned_abs()) * 1_000_000),
        }
        Ok(())
    }

    /// `lws_set_timer_usecs`: one LWS_CALLBACK_TIMER later (negative cancels).
    pub fn set_timer(&mut self, id: ConnId, usecs: i64) -> Result<(), Error> {
        self.conn(id).ok_or(Error::Refused("wsi is closed"))?;
        let t = TimerTarget::ConnTimer(id);
        match u64::try_from(usecs) {
            Ok(us) => self.timers.schedule(t, now_us() + us),
            Err(_) => {
                self.timers.cancel(t);
            }
        }
        Ok(())
    }

    /// A connection's timeout fired.
    pub fn on_timeout(&mut self, id: ConnId) {
        let Some(c) = self.conn(id) else {
            return;
        };
        // An HTTP transaction's limit counts from its last traffic.
        if let (PhaseKind::HttpServing, Some(limit)) = (c.phase(), c.http().and_then(|t| t.idle_us))
        {
            let due = c.traffic_at + limit;
            if due > now_us() {
                self.timers.schedule(TimerTarget::ConnTimeout(id), due);
                return;
            }
        }
        if c.ws().is_some_and(|w| w.peer_close.is_some()) {
            // The writes owed before the Close took too long: answer it now.
            let owed = self
                .conn_mut(id)
                .and_then(|c| c.ws_mut())
                .and_then(|w| w.peer_close.take());
            if let Some(p) = owed {
                lwsl!(
                    level::INFO,
                    "conn {}: writes before the peer's Close timed out",
                    id.index
                );
                self.echo_close(id, &p.echo);
            }
            return;
        }
        let ending = match (c.role, c.phase()) {
            (_, PhaseKind::ClosingSent | PhaseKind::Draining) => Ending::Abrupt,
            // The proxy's answer did not come: lws closes with its generic
            // reason (no state of its own is named for it).
            (Role::Client, PhaseKind::Connecting) if c.awaits_proxy() => {
                Ending::ClientError("closed before established".into())
            }
            (Role::Client, PhaseKind::Connecting) => {
                Ending::ClientError("Unable to connect".into())
            }
            (Role::Client, PhaseKind::AwaitingUpgrade) => {
                Ending::ClientError("Timed out waiting server reply".into())
            }
            _ => Ending::Abrupt,
        };
        lwsl!(
            level::INFO,
            "conn {}: timed out in {:?}",
            id.index,
            c.phase()
        );
        self.finish(id, ending);
    }

    /// The connection proved alive: the validity clock restarts (B6.7: only
    /// establishment and PONGs count, not received data).
    fn mark_valid(&mut self, id: ConnId) {
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        if c.validity.hangup_secs == 0 {
            return;
        }
        c.validated_at = now_us();
        let due = c.validated_at + u64::from(c.validity.ping_secs) * 1_000_000;
        self.timers.schedule(TimerTarget::ConnValidity(id), due);
    }

    /// `lws_validity_confirmed`: the application saw the connection alive, so
    /// its validity clock restarts as on a PONG (no effect without a
    /// validity policy).
    pub fn validity_confirmed(&mut self, id: ConnId) {
        self.mark_valid(id);
    }

    /// The validity timer: ping once the ping time has passed since the last
    /// validation, hang up (no Close frame) once the hang-up time has.
    pub fn on_validity(&mut self, id: ConnId) {
        let now = now_us();
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        if c.phase() != PhaseKind::Open {
            return;
        }
        let since = now.saturating_sub(c.validated_at);
        let hangup = u64::from(c.validity.hangup_secs) * 1_000_000;
        if since >= hangup {
            lwsl!(
                level::INFO,
                "conn {}: no PONG within {} s: hanging up",
                id.index,
                c.validity.hangup_secs
            );
            return self.finish(id, Ending::Abrupt);
        }
        if c.write_frame(true, Opcode::Ping, &[]).is_err() {
            return self.finish(id, Ending::Abrupt);
        }
        let due = c.validated_at + hangup;
        self.timers.schedule(TimerTarget::ConnValidity(id), due);
    }

    pub fn on_timer(&mut self, id: ConnId) {
        if self
            .conn(id)
            .is_some_and(|c| c.phase() != PhaseKind::Finished)
        {
            self.outbox.push_back(Callout::Conn {
                id,
                event: ConnEvent::Timer,
            });
        }
    }

    /// Every live connection (context teardown).
    /// The host's handle of a connection, made by `make` on first use; None
    /// when the connection does not exist.
    pub fn face_for(&mut self, id: ConnId, make: impl FnOnce(&Conn) -> Face) -> Option<Face> {
        let c = self.conn_mut(id)?;
        if let Some(face) = c.face {
            return Some(face);
        }
        let face = make(c);
        c.face = Some(face);
        Some(face)
    }

    /// Takes every connection handle still held (the context is going away).
    pub fn take_all_faces(&mut self) -> Vec<Face> {
        let mut all = std::mem::take(&mut self.orphan_faces);
        all.extend(self.conns.iter_mut().filter_map(|c| c.face.take()));
        all
    }

    /// `lws_conmon_wsi_take`: the client's timings, handed out once.
    pub fn take_conmon(&mut self, id: ConnId) -> Option<super::conmon::Conmon> {
        self.conn_mut(id).map(|k| k.conmon.take())
    }

    /// The host's handle of a connection, which the host takes back.
    pub fn take_face(&mut self, id: ConnId) -> Option<Face> {
        self.conn_mut(id).and_then(|k| k.face.take())
    }

    pub fn conn_ids(&self) -> Vec<ConnId> {
        self.conns.iter().map(|c| c.id).collect()
    }

    /// The rx chunk size of a protocol (B5.5: `rx_buffer_size`, else the
    /// service buffer size).
    /// The permessage-deflate configuration of the connection's vhost.
    pub fn deflate_config(&self, id: ConnId) -> Option<crate::ws::deflate::DeflateConfig> {
        let c = self.conn(id)?;
        self.vhost(c.vhost)?.deflate.clone()
    }

    /// `lws_set_extension_option` on a connection with permessage-deflate:
    /// `compression_level` applies to what is sent from now on; the other
    /// options lws knows were settled by the handshake and change nothing.
    pub fn set_deflate_option(&mut self, id: ConnId, name: &str, value: &str) -> Result<(), Error> {
        let c = self.conn_mut(id).ok_or(Error::Refused("wsi is closed"))?;
        let z = c
            .ws_mut()
            .and_then(|w| w.deflate_tx_mut())
            .ok_or(Error::Refused(
                "permessage-deflate is not active on this wsi",
            ))?;
        match name {
            "compression_level" => {
                let level = value
                    .trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|l| *l <= 9)
                    .ok_or(Error::Refused("compression_level must be 0..9"))?;
                z.set_level(level)
                    .map_err(|_| Error::Refused("compression_level refused by zlib"))
            }
            "server_no_context_takeover"
            | "client_no_context_takeover"
            | "server_max_window_bits"
            | "client_max_window_bits"
            | "rx_buf_size"
            | "tx_buf_size"
            | "mem_level" => {
                lwsl!(
                    level::INFO,
                    "conn {}: permessage-deflate option {name} has no effect after the handshake",
                    id.index
                );
                Ok(())
            }
            _ => Err(Error::Refused("unknown permessage-deflate option")),
        }
    }

    pub fn rx_chunk_for(&self, vhost: super::VhostId, protocol: usize) -> usize {
        let n = self
            .vhost(vhost)
            .and_then(|v| v.protocols.get(protocol))
            .map_or(0, |p| p.rx_buffer_size);
        if n == 0 {
            self.settings.serv_buf_size
        } else {
            n
        }
    }
}
