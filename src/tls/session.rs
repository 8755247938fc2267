//! A non-blocking TLS session over any socket that implements `Read` / `Write` and
//! reports `WouldBlock`.
//!
//! The session never loops on the socket until the handshake is done: each call moves
//! what the socket allows and returns. A caller driven by readiness events does:
//! - on readable: [`TlsSession::read_from`] until it returns `WouldBlock` (or EOF/error),
//!   then, if [`TlsSession::wants_write`], [`TlsSession::flush_to`];
//! - to send: [`TlsSession::write_plain`], then [`TlsSession::flush_to`]; when that
//!   returns `Ok(false)`, wait for writable and flush again.
//!
//! After a TLS error, call `flush_to` once more (ignoring its result): rustls may have
//! queued an alert telling the peer why.
//!
//! Socket writes go through [`NoVectoredWrite`]: rustls writes TLS records with
//! `write_vectored`, which `std` implements with `writev(2)`, and `writev` raises
//! `SIGPIPE` on a closed connection, killing a C host that has not ignored it. Plain
//! `write` on a `std`/`mio` `TcpStream` uses `send(MSG_NOSIGNAL)`.
#![forbid(unsafe_code)]

use std::fmt;
use std::io::{self, Read, Write};
use std::sync::Arc;

use rustls::pki_types::ServerName;
use rustls::server::{AcceptedAlert, Acceptor};
use rustls::{ClientConfig, ClientConnection, Connection, ServerConfig, ServerConnection};

use super::config::ServerTlsSelector;
use super::error::{TlsError, TlsIoError};

/// Plaintext taken in one `read_from` call before returning, so that one busy
/// connection cannot grow `out` without bound (the caller calls again).
const READ_BUDGET: usize = 256 * 1024;

/// A `Write` adapter whose `write_vectored` writes only the first non-empty buffer with
/// plain `write`, so that the inner writer's `write_vectored` (`writev`) is never used.
#[derive(Debug)]
pub struct NoVectoredWrite<'a, W: Write + ?Sized>(pub &'a mut W);

impl<W: Write + ?Sized> Write for NoVectoredWrite<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        match bufs.iter().find(|b| !b.is_empty()) {
            Some(buf) => self.0.write(buf),
            None => Ok(0),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// One TLS connection, client or server side.
pub struct TlsSession {
    state: State,
    /// A socket error that arrived after plaintext was already taken in the same call;
    /// reported by the next `read_from`.
    pending_error: Option<io::Error>,
    /// Set once the peer's `close_notify` has been read.
    closed_cleanly: bool,
}

enum State {
    /// A server session waiting for the ClientHello to choose its configuration.
    Accepting(Box<Accepting>),
    /// The ClientHello was refused: `alert` is still to be sent, `error` is reported.
    Refused {
        alert: AcceptedAlert,
        alert_sent: bool,
        error: TlsError,
    },
    Conn(Box<Connection>),
}

struct Accepting {
    acceptor: Acceptor,
    selector: Arc<ServerTlsSelector>,
    /// Plaintext written before the connection exists.
    queued: Vec<u8>,
}

impl fmt::Debug for TlsSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Accepting(_) => "accepting",
            State::Refused { .. } => "refused",
            State::Conn(c) if c.is_handshaking() => "handshaking",
            State::Conn(_) => "established",
        };
        f.debug_struct("TlsSession")
            .field("state", &state)
            .field("closed_cleanly", &self.closed_cleanly)
            .finish_non_exhaustive()
    }
}

/// Server name for verification and SNI: brackets of an IPv6 literal are removed; an IP
/// address is verified as an IP (and sent without SNI).
fn server_name(host: &str) -> Result<ServerName<'static>, TlsError> {
    let host = host.trim();
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    ServerName::try_from(bare.to_string())
        .map_err(|_| TlsError::Config(format!("invalid server name '{host}'")))
}

impl TlsSession {
    /// A client session to `server_name` (a host without `:port`).
    pub fn client(cfg: Arc<ClientConfig>, server_name_str: &str) -> Result<Self, TlsError> {
        let name = server_name(server_name_str)?;
        let conn = ClientConnection::new(cfg, name).map_err(TlsError::from_rustls)?;
        Ok(Self::wrap(Connection::Client(conn)))
    }

    /// A server session.
    pub fn server(cfg: Arc<ServerConfig>) -> Result<Self, TlsError> {
        let conn = ServerConnection::new(cfg).map_err(TlsError::from_rustls)?;
        Ok(Self::wrap(Connection::Server(conn)))
    }

    /// A server session for a port shared by several vhosts: the configuration is
    /// chosen when the ClientHello arrives (SNI, ALPN; see [`ServerTlsSelector`]).
    pub fn server_select(selector: Arc<ServerTlsSelector>) -> Self {
        TlsSession {
            state: State::Accepting(Box::new(Accepting {
                acceptor: Acceptor::default(),
                selector,
                queued: Vec::new(),
            })),
            pending_error: None,
            closed_cleanly: false,
        }
    }

    fn wrap(mut conn: Connection) -> Self {
        // `write_plain` accepts everything: the engine keeps its own flow control.
        conn.set_buffer_limit(None);
        TlsSession {
            state: State::Conn(Box::new(conn)),
            pending_error: None,
            closed_cleanly: false,
        }
    }

    /// While accepting: reads until the ClientHello is complete, then becomes a
    /// connection. `Ok(())` once there is a connection.
    fn accept<R: Read + ?Sized>(&mut self, sock: &mut R) -> Result<(), TlsIoError> {
        let accepting = match &mut self.state {
            State::Accepting(a) => a,
            State::Refused { error, .. } => return Err(error.clone().into()),
            State::Conn(_) => return Ok(()),
        };
        loop {
            match accepting.acceptor.read_tls(&mut ReadAdapter(&mut *sock)) {
                Ok(0) => return Err(TlsError::PeerClosedDuringHandshake.into()),
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(TlsIoError::Io(e)),
            }
            let refused = match accepting.acceptor.accept() {
                Ok(None) => continue,
                Ok(Some(accepted)) => {
                    let hello = accepted.client_hello();
                    let cfg = accepting.selector.select(hello.server_name(), hello.alpn());
                    match accepted.into_connection(cfg) {
                        Ok(conn) => {
                            let queued = std::mem::take(&mut accepting.queued);
                            let mut conn = Connection::Server(conn);
                            conn.set_buffer_limit(None);
                            self.state = State::Conn(Box::new(conn));
                            if let State::Conn(conn) = &mut self.state {
                                // Records that came with the ClientHello.
                                conn.process_new_packets().map_err(TlsError::from_rustls)?;
                                conn.writer().write_all(&queued)?;
                            }
                            return Ok(());
                        }
                        Err(refused) => refused,
                    }
                }
                Err(refused) => refused,
            };
            let (err, alert) = refused;
            let error = TlsError::from_rustls(err);
            self.state = State::Refused {
                alert,
                alert_sent: false,
                error: error.clone(),
            };
            return Err(error.into());
        }
    }

    /// Reads what the socket has, processes it and appends the plaintext to `out`.
    ///
    /// Returns the number of plaintext bytes appended. `Ok(0)` means EOF: the peer
    /// closed (with or without `close_notify`; see [`TlsSession::peer_closed_cleanly`]).
    /// The socket's `WouldBlock` is passed through when there is no plaintext; handshake
    /// progress alone returns `WouldBlock` too, so check [`TlsSession::wants_write`]
    /// after every call. A TLS failure is `TlsIoError::Tls`, whose text is what lws
    /// users see. Call again until `WouldBlock` (edge-triggered readiness).
    pub fn read_from<R: Read + ?Sized>(
        &mut self,
        sock: &mut R,
        out: &mut Vec<u8>,
    ) -> Result<usize, TlsIoError> {
        self.accept(sock)?;
        let start = out.len();
        loop {
            let closed = self.drain(out)?;
            let got = out.len() - start;
            if closed || got >= READ_BUDGET {
                return Ok(got);
            }
            if let Some(e) = self.pending_error.take() {
                return Err(TlsIoError::Io(e));
            }
            let State::Conn(conn) = &mut self.state else {
                return Ok(got);
            };
            match conn.read_tls(&mut ReadAdapter(&mut *sock)) {
                Ok(0) => {
                    if conn.is_handshaking() {
                        return Err(TlsError::PeerClosedDuringHandshake.into());
                    }
                    // The next drain reports the EOF (clean or not).
                }
                Ok(_) => {
                    conn.process_new_packets().map_err(TlsError::from_rustls)?;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if got > 0 => {
                    if e.kind() != io::ErrorKind::WouldBlock {
                        self.pending_error = Some(e);
                    }
                    return Ok(got);
                }
                Err(e) => return Err(TlsIoError::Io(e)),
            }
        }
    }

    /// Moves received plaintext to `out`; true when the peer has closed.
    fn drain(&mut self, out: &mut Vec<u8>) -> Result<bool, TlsIoError> {
        let State::Conn(conn) = &mut self.state else {
            return Ok(false);
        };
        match conn.reader().read_to_end(out) {
            Ok(_) => {
                self.closed_cleanly = true;
                Ok(true)
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(false),
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(true),
            Err(e) => Err(TlsIoError::Io(e)),
        }
    }

    /// Queues plaintext; all of it is accepted (rustls buffers it, also while the
    /// handshake is still going). Send it with [`TlsSession::flush_to`].
    pub fn write_plain(&mut self, data: &[u8]) -> io::Result<()> {
        match &mut self.state {
            State::Conn(conn) => conn.writer().write_all(data),
            State::Accepting(a) => {
                a.queued.extend_from_slice(data);
                Ok(())
            }
            State::Refused { .. } => Err(io::Error::new(
                io::ErrorKind::NotConnected,
                "tls: handshake failed",
            )),
        }
    }

    /// Writes queued TLS records to the socket. `Ok(true)`: nothing is left;
    /// `Ok(false)`: the socket would block, flush again when it is writable.
    pub fn flush_to<W: Write + ?Sized>(&mut self, sock: &mut W) -> Result<bool, TlsIoError> {
        let mut writer = NoVectoredWrite(sock);
        let conn = match &mut self.state {
            State::Conn(conn) => conn,
            State::Accepting(_) => return Ok(true),
            State::Refused {
                alert, alert_sent, ..
            } => {
                while !*alert_sent {
                    match alert.write(&mut writer) {
                        Ok(0) => *alert_sent = true,
                        Ok(_) => {}
                        Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(false),
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(TlsIoError::Io(e)),
                    }
                }
                return Ok(true);
            }
        };
        while conn.wants_write() {
            match conn.write_tls(&mut writer) {
                Ok(0) => return Err(TlsIoError::Io(io::ErrorKind::WriteZero.into())),
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(false),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(TlsIoError::Io(e)),
            }
        }
        Ok(true)
    }

    /// True until the handshake has completed.
    pub fn is_handshaking(&self) -> bool {
        match &self.state {
            State::Conn(conn) => conn.is_handshaking(),
            State::Accepting(_) | State::Refused { .. } => true,
        }
    }

    /// True when TLS records are waiting for [`TlsSession::flush_to`].
    pub fn wants_write(&self) -> bool {
        match &self.state {
            State::Conn(conn) => conn.wants_write(),
            State::Accepting(_) => false,
            State::Refused { alert_sent, .. } => !*alert_sent,
        }
    }

    /// The negotiated ALPN protocol.
    pub fn alpn_protocol(&self) -> Option<&[u8]> {
        self.connection()?.alpn_protocol()
    }

    /// The SNI name the client sent (server side only).
    pub fn sni_hostname(&self) -> Option<&str> {
        match self.connection()? {
            Connection::Server(s) => s.server_name(),
            Connection::Client(_) => None,
        }
    }

    /// True when the peer closed with `close_notify` (not a bare TCP close).
    pub fn peer_closed_cleanly(&self) -> bool {
        self.closed_cleanly
    }

    /// Queues a `close_notify` alert; send it with [`TlsSession::flush_to`].
    pub fn send_close_notify(&mut self) {
        if let State::Conn(conn) = &mut self.state {
            conn.send_close_notify();
        }
    }

    /// The negotiated protocol version, once known.
    pub fn protocol_version(&self) -> Option<rustls::ProtocolVersion> {
        self.connection()?.protocol_version()
    }

    /// The rustls connection (none while a [`TlsSession::server_select`] session waits
    /// for the ClientHello), for anything this wrapper does not cover.
    pub fn connection(&self) -> Option<&Connection> {
        match &self.state {
            State::Conn(conn) => Some(conn.as_ref()),
            State::Accepting(_) | State::Refused { .. } => None,
        }
    }
}

/// `read_tls` wants `&mut dyn Read`; this lets `read_from` take unsized readers too.
struct ReadAdapter<'a, R: Read + ?Sized>(&'a mut R);

impl<R: Read + ?Sized> Read for ReadAdapter<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}
