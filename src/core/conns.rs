//! The connections of a context as the rest of the core and the host reach
//! them: lookup (a change marks the connection for the external-poll
//! comparison), insertion with its socket's registration, removal, the
//! host's handles, and per-connection settings read from its vhost.
//!
//! The engine around them is split by job: `readiness.rs` (poller events,
//! the pass's pending set, flushing), `produce.rs` (input into callouts),
//! `apply.rs` (callback answers), `close.rs` (the close protocol) and
//! `conn_requests.rs` (what the application asks of a connection).
#![forbid(unsafe_code)]

use std::os::fd::AsRawFd;

use mio::{Interest, Token};

use super::conn::{Conn, ConnId};
use super::context::Core;
use super::poll::{FdOwner, Parting};
use super::timers::TimerTarget;
use super::transport::Transport;
use super::{Error, Face};
use crate::log::level;
use crate::lwsl;

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
    pub(super) fn tls_handshake_done(&mut self, id: ConnId) {
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
            let parked = c.poll.announced.is_some();
            io.deregister(&self.registry, !parked);
            if let (Some(fd), true) = (io.fd(), parked) {
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
        self.conn_mut(id).map(|k| k.conmon_mut().take())
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
