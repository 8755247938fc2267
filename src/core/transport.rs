//! What a connection reads and writes: a TCP socket (TLS rides on it), a raw
//! file descriptor the application reads itself, or a UDP socket — one at a
//! time, or none while a client waits in the queue or restarts.
#![forbid(unsafe_code)]

use std::io::Write;
use std::os::fd::{AsRawFd, RawFd};

use mio::net::TcpStream;
use mio::unix::SourceFd;
use mio::Registry;

use super::raw::Udp;

#[derive(Debug, Default)]
pub enum Transport {
    /// Nothing yet (a queued client), or no more (closed, restarting).
    #[default]
    Detached,
    Tcp(TcpStream),
    /// lws's raw-file role: readiness is watched; the application reads and
    /// writes the descriptor itself (`lws_write` writes it too).
    File(std::fs::File),
    /// A raw UDP socket (`lws_create_adopt_udp`).
    Udp(Udp),
}

impl Transport {
    pub fn fd(&self) -> Option<RawFd> {
        match self {
            Transport::Detached => None,
            Transport::Tcp(s) => Some(s.as_raw_fd()),
            Transport::File(f) => Some(f.as_raw_fd()),
            Transport::Udp(u) => Some(u.socket.as_raw_fd()),
        }
    }

    pub fn tcp(&self) -> Option<&TcpStream> {
        match self {
            Transport::Tcp(s) => Some(s),
            _ => None,
        }
    }

    pub fn tcp_mut(&mut self) -> Option<&mut TcpStream> {
        match self {
            Transport::Tcp(s) => Some(s),
            _ => None,
        }
    }

    pub fn file(&self) -> Option<&std::fs::File> {
        match self {
            Transport::File(f) => Some(f),
            _ => None,
        }
    }

    pub fn udp(&self) -> Option<&Udp> {
        match self {
            Transport::Udp(u) => Some(u),
            _ => None,
        }
    }

    pub fn udp_mut(&mut self) -> Option<&mut Udp> {
        match self {
            Transport::Udp(u) => Some(u),
            _ => None,
        }
    }

    /// The byte stream queued output goes to: the socket, or a raw file (it
    /// takes what `lws_write` gives it as a socket does).
    pub fn writer(&mut self) -> Option<&mut dyn Write> {
        match self {
            Transport::Tcp(s) => Some(s),
            Transport::File(f) => Some(f),
            Transport::Detached | Transport::Udp(_) => None,
        }
    }

    /// Takes the TCP socket out, leaving nothing; None when it is not one.
    pub fn take_tcp(&mut self) -> Option<TcpStream> {
        match std::mem::take(self) {
            Transport::Tcp(s) => Some(s),
            other => {
                *self = other;
                None
            }
        }
    }

    /// Stops the poller watching it; the descriptor stays open (it closes
    /// when the transport is dropped). A TCP socket that will be closed
    /// before its poller token (the connection's slot) can belong to another
    /// connection (`closed_before_reuse`) needs no call: closing its only
    /// descriptor takes it off the poller, and an event for it until then
    /// reaches its finished connection, which ignores it — one system call
    /// per connection fewer. (A raw file or UDP socket may share its open
    /// file with descriptors of the application, so it is always taken off.)
    pub fn deregister(&mut self, registry: &Registry, closed_before_reuse: bool) {
        let r = match self {
            Transport::Detached => Ok(()),
            Transport::Tcp(_) if closed_before_reuse => Ok(()),
            Transport::Tcp(s) => registry.deregister(s),
            Transport::File(f) => registry.deregister(&mut SourceFd(&f.as_raw_fd())),
            Transport::Udp(u) => registry.deregister(&mut u.socket),
        };
        // Deregistering a descriptor the poller no longer has is harmless.
        drop(r);
    }
}
