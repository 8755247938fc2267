//! The raw roles (lws's raw-skt and raw-file): adopted descriptors, raw
//! server vhosts, the fallback of an HTTP listener to raw, raw client
//! connects, and parent / child connections.
//!
//! A raw socket is read by the library and its bytes delivered as RAW_RX, in
//! chunks of at most the service buffer size; what the application writes
//! is queued as it is. A raw file is only watched: the application reads and
//! writes the descriptor itself in RAW_RX_FILE / RAW_WRITEABLE_FILE. The
//! poller is edge-triggered, lws's is level-triggered, and only the
//! application knows whether it drained the descriptor: so a file's
//! readiness is used once and the descriptor re-armed after each delivery
//! (the poller then reports it again if it is still ready).
#![forbid(unsafe_code)]

use std::os::fd::AsRawFd;

use mio::unix::SourceFd;
use mio::{Interest, Token};

use super::close::Ending;
use super::conn::{Conn, ConnId, Phase, PhaseKind, Role};
use super::context::Core;
use super::timers::TimerTarget;
use super::transport::Transport;
use super::{Callout, ConnEvent, Error, RawOver, VhostId};
use crate::log::level;
use crate::lwsl;

/// The descriptor handed to `lws_adopt_descriptor_vhost`, already owned.
#[derive(Debug)]
pub enum AdoptIo {
    Socket(mio::net::TcpStream),
    File(std::fs::File),
}

/// What an adoption asks for (`lws_adopt_desc_t`).
#[derive(Debug)]
pub struct Adoption {
    pub io: AdoptIo,
    /// `LWS_ADOPT_HTTP`: served as an accepted HTTP connection.
    pub http: bool,
    /// `LWS_ADOPT_ALLOW_SSL`: TLS when the vhost has it.
    pub tls: bool,
    /// The protocol to bind (`vh_prot_name`), else the vhost's raw protocol.
    pub protocol: Option<usize>,
    pub parent: Option<ConnId>,
    /// Bytes already read from the socket (`lws_adopt_socket_readbuf`).
    pub readbuf: Vec<u8>,
}

/// An adoption that failed; a file descriptor is given back unclosed (lws
/// closes only sockets it could not adopt).
#[derive(Debug)]
pub struct AdoptFailure {
    pub error: Error,
    pub file: Option<std::fs::File>,
}

/// A UDP socket in the raw role.
#[derive(Debug)]
pub struct Udp {
    pub socket: mio::net::UdpSocket,
    /// Where `lws_write` sends: the source of the last datagram received,
    /// else the address it was connected to.
    pub peer: Option<std::net::SocketAddr>,
    pub connected: bool,
}

/// What `lws_create_adopt_udp` asks for.
#[derive(Debug)]
pub struct UdpAdoption {
    /// `LWS_CAUDP_BIND`: bound to this address; otherwise connected to it.
    pub bind: bool,
    pub addr: std::net::SocketAddr,
    pub broadcast: bool,
    pub protocol: Option<usize>,
    pub parent: Option<ConnId>,
}

/// Whether bytes could be the start of an HTTP request line (lws's parser
/// matches the method case-insensitively).
fn could_be_http(bytes: &[u8]) -> bool {
    const METHODS: [&[u8]; 8] = [
        b"GET ",
        b"POST ",
        b"OPTIONS ",
        b"PUT ",
        b"PATCH ",
        b"DELETE ",
        b"HEAD ",
        b"CONNECT ",
    ];
    METHODS.iter().any(|m| {
        let n = bytes.len().min(m.len());
        bytes[..n].eq_ignore_ascii_case(&m[..n])
    })
}

impl Core {
    /// A protocol of a vhost by name.
    pub fn protocol_index(&self, vh: VhostId, name: &str) -> Option<usize> {
        self.vhost(vh)?
            .protocols
            .iter()
            .position(|p| p.name == name)
    }

    /// `lws_adopt_descriptor_vhost_via_info`: the connection is created now;
    /// its callbacks (WSI_CREATE, the bind, RAW_ADOPT...) follow in the
    /// service loop.
    pub fn adopt(&mut self, vh: VhostId, a: Adoption) -> Result<ConnId, AdoptFailure> {
        let fail = |error, file| AdoptFailure { error, file };
        let Some(v) = self.vhost(vh).filter(|v| v.is_live()) else {
            let file = match a.io {
                AdoptIo::File(f) => Some(f),
                AdoptIo::Socket(_) => None,
            };
            return Err(fail(Error::Refused("vhost is gone"), file));
        };
        let raw_protocol = match v.accept {
            super::vhost::AcceptAs::Raw { protocol }
            | super::vhost::AcceptAs::HttpOrRaw { protocol } => protocol,
            super::vhost::AcceptAs::Http => 0,
        };
        let protocol = a.protocol.unwrap_or(raw_protocol);
        let rx_chunk = self.rx_chunk_for(vh, protocol);
        match a.io {
            AdoptIo::Socket(stream) if a.http => {
                let id = self
                    .server_conn(vh, stream, a.tls)
                    .map_err(|e| fail(e, None))?;
                self.conns.set_parent(id, a.parent);
                if let Some(c) = self.conn_mut(id) {
                    c.inbuf.extend_from_slice(&a.readbuf);
                }
                self.server_conn_started(id);
                self.ready.push_back(id);
                Ok(id)
            }
            AdoptIo::Socket(stream) => {
                let tls = a
                    .tls
                    .then(|| self.vhost(vh).and_then(|v| v.tls_selector.clone()))
                    .flatten()
                    .map(crate::tls::session::TlsSession::server_select);
                let id = self
                    .insert_conn(|id| {
                        let mut c =
                            Conn::new(id, vh, Role::Server, Phase::Raw, Transport::Tcp(stream));
                        c.raw = Some(RawOver::Socket);
                        c.protocol = protocol;
                        c.rx_chunk = rx_chunk;
                        c.parent = a.parent;
                        c.tls = tls.map(Box::new);
                        c.inbuf = a.readbuf;
                        c
                    })
                    .map_err(|e| fail(e, None))?;
                self.raw_started(id, RawOver::Socket);
                Ok(id)
            }
            AdoptIo::File(file) => {
                let id = match self.insert_conn(|id| {
                    let mut c = Conn::new(id, vh, Role::Server, Phase::Raw, Transport::Detached);
                    c.raw = Some(RawOver::File);
                    c.protocol = protocol;
                    c.parent = a.parent;
                    c
                }) {
                    Ok(id) => id,
                    Err(e) => return Err(fail(e, Some(file))),
                };
                let fd = file.as_raw_fd();
                if let Err(e) = self.registry.register(
                    &mut SourceFd(&fd),
                    Token(id.index),
                    Interest::READABLE | Interest::WRITABLE,
                ) {
                    self.remove_conn(id);
                    let why = format!("fd {fd} cannot be watched: {e}");
                    return Err(fail(Error::Config(why), Some(file)));
                }
                if let Some(c) = self.conn_mut(id) {
                    c.io = Transport::File(file);
                }
                self.announce_add(super::poll::FdOwner::Conn(id), fd);
                self.raw_started(id, RawOver::File);
                Ok(id)
            }
        }
    }

    /// `lws_create_adopt_udp`: a UDP socket bound to (or connected to) an
    /// address, in the raw role. As lws: WSI_CREATE, RAW_SKT_BIND_PROTOCOL,
    /// RAW_ADOPT, then the protocol is bound again (RAW_SKT_DROP_PROTOCOL,
    /// RAW_SKT_BIND_PROTOCOL, fresh per-session data).
    pub fn adopt_udp(&mut self, vh: VhostId, a: UdpAdoption) -> Result<ConnId, Error> {
        let v = self
            .vhost(vh)
            .filter(|v| v.is_live())
            .ok_or(Error::Refused("vhost is gone"))?;
        let raw_protocol = match v.accept {
            super::vhost::AcceptAs::Raw { protocol }
            | super::vhost::AcceptAs::HttpOrRaw { protocol } => protocol,
            super::vhost::AcceptAs::Http => 0,
        };
        let protocol = a.protocol.unwrap_or(raw_protocol);
        let rx_chunk = self.rx_chunk_for(vh, protocol);
        let std_socket = if a.bind {
            std::net::UdpSocket::bind(a.addr)
                .map_err(|e| Error::io(format!("udp: bind {}", a.addr), e))?
        } else {
            let any =
                std::net::SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED), 0);
            let s = std::net::UdpSocket::bind(any).map_err(|e| Error::io("udp: socket", e))?;
            s.connect(a.addr)
                .map_err(|e| Error::io(format!("udp: connect {}", a.addr), e))?;
            s
        };
        if a.broadcast {
            std_socket
                .set_broadcast(true)
                .map_err(|e| Error::io("udp: broadcast", e))?;
        }
        std_socket
            .set_nonblocking(true)
            .map_err(|e| Error::io("udp: nonblocking", e))?;
        let mut socket = mio::net::UdpSocket::from_std(std_socket);
        let id = self.insert_conn(|id| {
            let mut c = Conn::new(id, vh, Role::Server, Phase::Raw, Transport::Detached);
            c.raw = Some(RawOver::Socket);
            c.protocol = protocol;
            c.rx_chunk = rx_chunk;
            c.parent = a.parent;
            c
        })?;
        if let Err(e) = self.registry.register(
            &mut socket,
            Token(id.index),
            Interest::READABLE | Interest::WRITABLE,
        ) {
            self.remove_conn(id);
            return Err(Error::io("udp: register", e));
        }
        let fd = socket.as_raw_fd();
        if let Some(c) = self.conn_mut(id) {
            c.io = Transport::Udp(Udp {
                socket,
                peer: Some(a.addr).filter(|_| !a.bind),
                connected: !a.bind,
            });
        }
        self.announce_add(super::poll::FdOwner::Conn(id), fd);
        for event in [
            ConnEvent::WsiCreate,
            ConnEvent::RawBind,
            ConnEvent::RawAdopt(RawOver::Socket),
            ConnEvent::RawDrop,
            ConnEvent::RawBind,
        ] {
            self.outbox.push_back(Callout::Conn { id, event });
        }
        self.ready.push_back(id);
        Ok(id)
    }

    /// The addresses `lws_get_udp` reports: (peer, connected).
    pub fn udp_state(&self, id: ConnId) -> Option<(Option<std::net::SocketAddr>, bool)> {
        let u = self.conn(id)?.io.udp()?;
        Some((u.peer, u.connected))
    }

    /// The first callbacks of a raw connection made here (lws's order:
    /// WSI_CREATE, the protocol bind for sockets, then RAW_ADOPT).
    fn raw_started(&mut self, id: ConnId, over: RawOver) {
        let mut seq = vec![ConnEvent::WsiCreate];
        if over == RawOver::Socket {
            seq.push(ConnEvent::RawBind);
        }
        seq.push(ConnEvent::RawAdopt(over));
        self.outbox
            .extend(seq.into_iter().map(|event| Callout::Conn { id, event }));
        self.ready.push_back(id);
    }

    /// An accepted connection on a vhost whose connections are raw.
    pub(super) fn accepted_raw(&mut self, id: ConnId, protocol: usize) {
        let rx_chunk = self.rx_chunk_for(self.conn(id).map_or(VhostId(0), |c| c.vhost), protocol);
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        c.set_phase(Phase::Raw);
        c.raw = Some(RawOver::Socket);
        c.protocol = protocol;
        c.rx_chunk = rx_chunk;
        self.timers.cancel(TimerTarget::ConnTimeout(id));
        self.raw_started(id, RawOver::Socket);
    }

    /// An HTTP listener with the fallback: the first bytes cannot be an HTTP
    /// request, so the connection becomes a raw socket. As lws: the bind
    /// (while still HTTP), RAW_ADOPT, then RAW_RX with what arrived so far.
    /// Returns whether it fell back.
    pub(super) fn maybe_fall_back(&mut self, id: ConnId) -> bool {
        let Some(c) = self.conn(id) else {
            return false;
        };
        let super::vhost::AcceptAs::HttpOrRaw { protocol } =
            self.vhost(c.vhost).map_or(Default::default(), |v| v.accept)
        else {
            return false;
        };
        if c.unread().is_empty() || could_be_http(c.unread()) {
            return false;
        }
        let rx_chunk = self.rx_chunk_for(c.vhost, protocol);
        let name = self
            .vhost(c.vhost)
            .and_then(|v| v.protocols.get(protocol))
            .map_or(String::new(), |p| p.name.clone());
        let Some(c) = self.conn_mut(id) else {
            return false;
        };
        lwsl!(
            level::NOTICE,
            "conn {}: not HTTP: falling back to raw, protocol {name}",
            id.index
        );
        c.set_phase(Phase::Raw);
        c.raw = Some(RawOver::Socket);
        c.protocol = protocol;
        c.rx_chunk = rx_chunk;
        let data = c.unread().to_vec();
        c.in_pos = c.inbuf.len();
        self.timers.cancel(TimerTarget::ConnTimeout(id));
        for event in [
            ConnEvent::BindProtocol,
            ConnEvent::RawAdopt(RawOver::Socket),
            ConnEvent::RawRx {
                over: RawOver::Socket,
                data,
                fallback: true,
            },
        ] {
            self.outbox.push_back(Callout::Conn { id, event });
        }
        true
    }

    /// A raw client connected: RAW_CONNECTED (after WSI_CREATE, as lws).
    pub(super) fn raw_client_connected(&mut self, id: ConnId) {
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        let _ = c.io.tcp().map(|s| s.set_nodelay(true));
        c.set_phase(Phase::Raw);
        c.raw = Some(RawOver::Socket);
        let restarted = c.restarted;
        self.timers.cancel(TimerTarget::ConnTimeout(id));
        if !restarted {
            self.outbox.push_back(Callout::Conn {
                id,
                event: ConnEvent::WsiCreate,
            });
        }
        self.outbox.push_back(Callout::Conn {
            id,
            event: ConnEvent::RawConnected,
        });
        self.ready.push_back(id);
    }

    /// The next raw event from a connection's input (PhaseKind::Raw).
    pub(super) fn next_raw_event(&mut self, id: ConnId) -> Option<Callout> {
        let c = self.conn_mut(id)?;
        if c.raw == Some(RawOver::File) {
            // Readiness is used once; the descriptor is re-armed after the
            // callback (`raw_delivered`).
            if !std::mem::take(&mut c.readable) {
                return None;
            }
            let event = ConnEvent::RawRx {
                over: RawOver::File,
                data: Vec::new(),
                fallback: false,
            };
            return Some(Callout::Conn { id, event });
        }
        if c.io.udp().is_some() {
            return self.next_datagram(id);
        }
        let unread = c.unread();
        if unread.is_empty() {
            return None;
        }
        let n = unread.len().min(c.rx_chunk.max(1));
        let data = unread[..n].to_vec();
        c.in_pos += n;
        let event = ConnEvent::RawRx {
            over: RawOver::Socket,
            data,
            fallback: false,
        };
        Some(Callout::Conn { id, event })
    }

    /// One datagram as RAW_RX (its source becomes where `lws_write` sends).
    /// An empty datagram is skipped (lws closes the socket on one).
    fn next_datagram(&mut self, id: ConnId) -> Option<Callout> {
        let c = self.conn_mut(id)?;
        let chunk = c.rx_chunk.max(1);
        let u = c.io.udp_mut()?;
        for _ in 0..64 {
            let mut buf = vec![0u8; chunk];
            match u.socket.recv_from(&mut buf) {
                Ok((0, _)) => continue,
                Ok((n, from)) => {
                    buf.truncate(n);
                    u.peer = Some(from);
                    let event = ConnEvent::RawRx {
                        over: RawOver::Socket,
                        data: buf,
                        fallback: false,
                    };
                    return Some(Callout::Conn { id, event });
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    c.readable = false;
                    return None;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    // An ICMP error for an earlier send (connection refused):
                    // the socket stays usable, as in lws.
                    lwsl!(level::INFO, "conn {}: udp receive: {e}", id.index);
                    return None;
                }
            }
        }
        None
    }

    /// A raw callback returned `ret` (lws's rules: sockets close on a
    /// negative answer to RX, WRITEABLE and CONNECTED; files, RAW_ADOPT and
    /// the fallback's first RX on any non-zero one).
    pub(super) fn raw_delivered(&mut self, id: ConnId, event: &ConnEvent, ret: i32) {
        let closes = match event {
            ConnEvent::RawAdopt(_) => ret != 0,
            ConnEvent::RawConnected => ret < 0,
            ConnEvent::RawRx {
                over: RawOver::Socket,
                fallback,
                ..
            } => ret < 0 || (*fallback && ret != 0),
            ConnEvent::RawWriteable(RawOver::Socket) => ret < 0,
            ConnEvent::RawRx {
                over: RawOver::File,
                ..
            }
            | ConnEvent::RawWriteable(RawOver::File) => ret != 0,
            _ => false,
        };
        if closes {
            lwsl!(
                level::INFO,
                "conn {}: raw callback returned {ret}: closing",
                id.index
            );
            return self.finish(id, Ending::Abrupt);
        }
        if matches!(
            event,
            ConnEvent::RawRx {
                over: RawOver::File,
                ..
            } | ConnEvent::RawWriteable(RawOver::File)
        ) {
            if let Some(c) = self.conn_mut(id) {
                if matches!(event, ConnEvent::RawWriteable(_)) {
                    c.writable = false;
                }
            }
            self.rearm_file(id);
        }
    }

    /// Asks the poller to report a raw file's readiness again.
    pub(super) fn rearm_file(&mut self, id: ConnId) {
        let Some(fd) = self
            .conn(id)
            .filter(|c| c.phase() != PhaseKind::Finished)
            .and_then(|c| c.io.file())
            .map(AsRawFd::as_raw_fd)
        else {
            return;
        };
        if let Err(e) = self.registry.reregister(
            &mut SourceFd(&fd),
            Token(id.index),
            Interest::READABLE | Interest::WRITABLE,
        ) {
            lwsl!(level::INFO, "conn {}: re-arm fd {fd}: {e}", id.index);
            self.finish(id, Ending::Abrupt);
        }
    }

    /// The poller saw a hang-up with nothing to read: a raw file closes
    /// (lws: POLLHUP without POLLIN).
    pub fn on_hangup(&mut self, index: usize) {
        let Some(c) = self.conns.at(index) else {
            return;
        };
        if c.raw == Some(RawOver::File) && c.phase() == PhaseKind::Raw {
            let id = c.id;
            lwsl!(level::INFO, "conn {}: raw file hung up", id.index);
            self.finish(id, Ending::Abrupt);
        }
    }

    /// `lws_write` on a raw socket or file: the bytes are queued as they are.
    pub fn write_raw(&mut self, id: ConnId, bytes: &[u8]) -> Result<usize, Error> {
        let c = self.conn_mut(id).ok_or(Error::Refused("wsi is closed"))?;
        if c.phase() != PhaseKind::Raw {
            return Err(Error::Refused("raw connection is closing"));
        }
        if let Some(u) = c.io.udp() {
            // One datagram, to the peer of the last one received.
            let sent = match (u.peer, u.connected) {
                (_, true) => u.socket.send(bytes),
                (Some(to), false) => u.socket.send_to(bytes, to),
                (None, false) => return Err(Error::Refused("udp: no peer to send to yet")),
            };
            return sent.map_err(|e| Error::io("lws_write (udp)", e));
        }
        self.queue_as_is(id, bytes)
    }

    /// Whether a connection is in the raw role.
    pub fn is_raw(&self, id: ConnId) -> bool {
        self.conn(id).is_some_and(|c| c.raw.is_some())
    }

    /// `lws_raw_transaction_completed`: with output still queued the close
    /// waits for it to leave (0); otherwise -1, which the callback returns
    /// to close.
    pub fn raw_transaction_completed(&mut self, id: ConnId) -> i32 {
        match self.conn(id) {
            Some(c) if c.has_unsent() => {
                self.drain_then_finish(id);
                0
            }
            _ => -1,
        }
    }

    /// The parent of a connection, while it exists.
    pub fn parent_of(&self, id: ConnId) -> Option<ConnId> {
        let p = self.conn(id)?.parent?;
        self.conn(p).map(|c| c.id)
    }

    /// The newest live child of a connection (lws's child list is kept
    /// newest first).
    pub fn child_of(&self, id: ConnId) -> Option<ConnId> {
        self.conns
            .children_of(id)
            .filter(|c| c.phase() != PhaseKind::Finished)
            .max_by_key(|c| c.id.gen)
            .map(|c| c.id)
    }

    /// The live children of a connection (closed before it).
    pub(super) fn children_of(&self, id: ConnId) -> Vec<ConnId> {
        self.conns
            .children_of(id)
            .filter(|c| c.phase() != PhaseKind::Finished)
            .map(|c| c.id)
            .collect()
    }

    /// Whether the raw socket's protocol has per-session data (lws sends
    /// RAW_SKT_DROP_PROTOCOL only then).
    pub(super) fn has_session_data(&self, id: ConnId) -> bool {
        self.conn(id)
            .and_then(|c| self.vhost(c.vhost)?.protocols.get(c.protocol))
            .is_some_and(|p| p.per_session_data_size > 0)
    }

    /// `__lws_close_free_wsi_final`: closed with no callback but WSI_DESTROY.
    pub fn close_final(&mut self, id: ConnId) {
        self.finish(id, Ending::Quiet);
    }
}

#[cfg(test)]
mod tests {
    use super::could_be_http;

    #[test]
    fn first_bytes_that_can_start_an_http_request() {
        for yes in [
            &b"G"[..],
            b"GE",
            b"GET / HTTP/1.1\r\n",
            b"post /x",
            b"OPTIONS",
        ] {
            assert!(could_be_http(yes), "{yes:?}");
        }
        for no in [&b"hello"[..], b"GET/", b"\x16\x03\x01", b"SSH-2.0", b"GETX"] {
            assert!(!could_be_http(no), "{no:?}");
        }
    }
}
