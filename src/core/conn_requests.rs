//! What the application asks of one connection: writes, writable
//! callbacks, rx flow control, the close reason, timeouts and timers, and
//! the validity (ping) policy.
#![forbid(unsafe_code)]

use super::close::Ending;
use super::conn::{ConnId, PhaseKind, Role};
use super::context::Core;
use super::timers::{now_us, TimerTarget};
use super::{Callout, ConnEvent, Error};
use crate::log::level;
use crate::lwsl;
use crate::ws::tx::Opcode;

/// What `lws_write` was asked to send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteKind {
    Ws { op: Opcode, fin: bool },
}

impl Core {
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
        self.queue_as_is(id, bytes)
    }

    /// Queues `bytes` as they are (HTTP, raw): a write the socket did not
    /// take whole is followed by one WRITEABLE once it drained (B6.1); a
    /// failed write closes the connection.
    pub(super) fn queue_as_is(&mut self, id: ConnId, bytes: &[u8]) -> Result<usize, Error> {
        let c = self.conn_mut(id).ok_or(Error::Refused("wsi is closed"))?;
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
    pub(super) fn mark_valid(&mut self, id: ConnId) {
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
}
