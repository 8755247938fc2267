//! The callout producer: the pull loop that turns a connection's input
//! into callouts one at a time, reading once per pass.
//!
//! Callouts are produced lazily (`next_callout`), one at a time, so that what a
//! callback does (close, pause rx, write) takes effect before the next piece of
//! input is parsed: nothing is ever delivered for a connection after its
//! callback asked to close, and paused input stays buffered (B6.3).
#![forbid(unsafe_code)]

use super::close::Ending;
use super::conn::{ConnId, PeerClose, PhaseKind, Role};
use super::context::Core;
use super::tls_budget::TlsLoan;
use super::{Callout, ConnEvent, Face, RxBytes};
use crate::log::level;
use crate::lwsl;
use crate::ws::rx::{DataBytes, RxError, RxItem};
use crate::ws::tx::Opcode;
use std::io;

impl Core {
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
            let (pass, now) = (self.pass, self.pass_at);
            let c = self.conn_mut(id)?;
            if c.phase() == PhaseKind::Finished || !c.readable || c.read_pass == pass {
                return None;
            }
            c.read_pass = pass;
            let filled = c.fill(now);
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
}
