//! The close protocol: a callback's or the application's close, the
//! WebSocket closing handshake (our Close, the peer's, the echo), and
//! `finish`, which queues the closing callbacks and WSI_DESTROY.
#![forbid(unsafe_code)]

use super::conn::{ClosesAs, ConnId, PeerClose, Phase, PhaseKind, Role};
use super::context::Core;
use super::poll::{FdOwner, Parting};
use super::timers::{now_us, TimerTarget};
use super::{Callout, ConnEvent};
use crate::log::level;
use crate::lwsl;
use crate::ws::tx::Opcode;

/// How long a closing handshake may take (lws's `PENDING_TIMEOUT_CLOSE_ACK`).
pub(super) const CLOSE_SECS: u64 = 5;

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

impl Core {
    /// A callback returned non-zero: close, with a Close frame only if the
    /// application set a reason (B6.4).
    pub(super) fn close_by_callback(&mut self, id: ConnId) {
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
    pub(super) fn owe_close(&mut self, id: ConnId, echo: Vec<u8>) {
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
    pub(super) fn settle_peer_close(&mut self, id: ConnId) {
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
    pub(super) fn echo_close(&mut self, id: ConnId, payload: &[u8]) {
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
        // Closed now, or parked until the host heard of its removal, which
        // is delivered before WSI_DESTROY frees the slot.
        io.deregister(&self.registry, true);
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
}
