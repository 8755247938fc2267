//! Readiness: poller events into a connection's readable / writable state,
//! the start of a service pass (the pending set), and flushing queued output.
#![forbid(unsafe_code)]

use super::close::Ending;
use super::conn::{Conn, ConnId, PhaseKind, RxPending};
use super::context::Core;
use crate::log::level;
use crate::lwsl;

/// What the poll that ends a pass waits for, read under one lock.
#[derive(Debug, Clone, Copy)]
pub struct WaitHint {
    /// Input or callouts are pending: the poll must not wait.
    pub pending: bool,
    /// When the next timer is due (microseconds, [`super::timers::now_us`]).
    pub next_due: Option<u64>,
}

impl Core {
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
    pub fn begin_pass(&mut self, now: u64) {
        self.pass += 1;
        self.pass_at = now;
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
    pub(super) fn note_rx_leftover(&mut self, id: ConnId) {
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

    /// What the poll that ends a pass waits for.
    pub fn wait_hint(&self) -> WaitHint {
        WaitHint {
            pending: self.has_pending_work(),
            next_due: self.timers.next_due(),
        }
    }

    /// Whether the next poll must not wait: input or callouts are pending.
    /// Looks at the pending set only.
    fn has_pending_work(&self) -> bool {
        !self.outbox.is_empty()
            || !self.writers.is_empty()
            || !self.ready.is_empty()
            || self.rx_pending.iter().any(|&id| {
                self.conn(id).is_some_and(|c| {
                    c.has_rx_leftover() && (c.readable || c.phase() != PhaseKind::Connecting)
                })
            })
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
}
