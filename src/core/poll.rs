//! External poll (issue 11): the descriptors the library owns, as a host
//! event loop sees them.
//!
//! Every descriptor (listener, accepted or client connection, the cancel
//! pipe) is announced to the host before its first event can matter
//! (`PollChange::Add`, always POLLIN as lws does), again whenever the events a
//! connection waits for change (`Change`: POLLOUT while something is to be
//! written or a WRITEABLE is owed, POLLIN unless rx flow control holds it), and
//! once more before it is closed (`Del`: the socket is parked until the host
//! has heard, so it never polls a closed or reused descriptor).
//!
//! Changes are found without a walk over every connection: `Core::conn_mut`
//! marks the connection it hands out, and [`Core::next_poll_change`] compares
//! only the marked ones, after every other callout of the pass was delivered
//! (a POLLOUT wanted and served within one pass is never announced). Our own
//! mio loop needs none of this: for a program that ignores the callbacks the
//! cost is the callbacks themselves.
#![forbid(unsafe_code)]

use super::fast_hash::FastMap;
use std::io::Read;
use std::os::fd::AsRawFd;

use super::conn::{Conn, ConnId, PhaseKind};
use super::context::Core;
use super::{Callout, VhostId};

/// `LWS_POLLIN`, `LWS_POLLOUT`, `LWS_POLLHUP` on Linux (`POLLHUP | POLLERR`).
pub const POLLIN: i32 = 0x001;
pub const POLLOUT: i32 = 0x004;
pub const POLLERR: i32 = 0x008;
pub const POLLHUP: i32 = 0x010;

/// What a descriptor of the library belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FdOwner {
    Conn(ConnId),
    Listener(VhostId),
    /// The descriptor `lws_cancel_service` makes readable.
    CancelPipe,
}

/// What the host is told about one descriptor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PollChange {
    Add { events: i32 },
    Change { prev: i32, events: i32 },
    Del,
}

/// What the host was last told about a connection's descriptor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PollState {
    /// The events announced; None before the Add and after the Del.
    pub announced: Option<i32>,
    /// Touched since the last comparison (queued in `Core::poll_dirty`).
    pub dirty: bool,
}

/// A descriptor announced deleted and not yet closed.
pub enum Parting {
    Conn(super::transport::Transport),
    Listener(mio::net::TcpListener),
}

/// The descriptors announced to the host, and those waiting to close.
#[derive(Default)]
pub struct PollTable {
    pub owners: FastMap<i32, FdOwner>,
    /// Closed once their Del was delivered.
    pub parting: Vec<(i32, Parting)>,
    /// Connections touched since their events were last compared.
    pub dirty: Vec<ConnId>,
    /// The read end of the cancel pipe (its write end is the runtime's).
    pub cancel_pipe: Option<mio::net::UnixStream>,
    /// Whether the cancel pipe was announced (it waits for a first vhost,
    /// whose `protocols[0]` hears of it) and not yet retired.
    pub cancel_announced: bool,
}

/// The events a connection waits for now.
pub fn wanted_events(c: &Conn) -> i32 {
    let mut ev = 0;
    if c.rx_flow_off == 0 {
        ev |= POLLIN;
    }
    let sending_file = c.http().is_some_and(|t| t.file.is_some());
    if c.want_writable || c.has_unsent() || sending_file || c.phase() == PhaseKind::Connecting {
        ev |= POLLOUT;
    }
    ev
}

impl Core {
    /// A descriptor starts to belong to the library: the host hears of it.
    pub(super) fn announce_add(&mut self, owner: FdOwner, fd: i32) {
        self.poll.owners.insert(fd, owner);
        if let FdOwner::Conn(id) = owner {
            if let Some(c) = self.conns.get_mut(id) {
                // Announced as POLLIN; what it really waits for (POLLOUT while
                // connecting) follows as a change.
                c.poll.announced = Some(POLLIN);
                Core::mark_poll_dirty(&mut self.poll, c);
            }
        }
        self.outbox.push_back(Callout::Poll {
            owner,
            fd,
            change: PollChange::Add { events: POLLIN },
        });
    }

    /// A descriptor is about to close: the host hears first, the close
    /// follows the delivery.
    pub(super) fn announce_del(&mut self, owner: FdOwner, fd: i32, parting: Parting) {
        self.poll.owners.remove(&fd);
        self.poll.parting.push((fd, parting));
        self.outbox.push_back(Callout::Poll {
            owner,
            fd,
            change: PollChange::Del,
        });
    }

    /// The cancel pipe is announced with the first vhost's first descriptor.
    pub(super) fn announce_cancel_pipe(&mut self) {
        if self.poll.cancel_announced {
            return;
        }
        if let Some(fd) = self.poll.cancel_pipe.as_ref().map(AsRawFd::as_raw_fd) {
            self.poll.cancel_announced = true;
            self.announce_add(FdOwner::CancelPipe, fd);
        }
    }

    /// The host forgets the cancel pipe (context destroy,
    /// `lws_destroy_event_pipe`); it stays open, unannounced, until the
    /// context is freed, so a late `lws_cancel_service` still finds it.
    pub fn retire_cancel_pipe(&mut self) -> bool {
        if !self.poll.cancel_announced {
            return false;
        }
        self.poll.cancel_announced = false;
        let Some(fd) = self.poll.cancel_pipe.as_ref().map(AsRawFd::as_raw_fd) else {
            return false;
        };
        self.poll.owners.remove(&fd);
        self.outbox.push_back(Callout::Poll {
            owner: FdOwner::CancelPipe,
            fd,
            change: PollChange::Del,
        });
        true
    }

    /// Empties the cancel pipe (the broadcast follows at the end of the pass).
    pub fn drain_cancel_pipe(&mut self) {
        let Some(p) = self.poll.cancel_pipe.as_mut() else {
            return;
        };
        let mut buf = [0u8; 64];
        // Bounded: the pipe holds at most what writers put in before this.
        for _ in 0..1024 {
            match p.read(&mut buf) {
                Ok(n) if n > 0 => {}
                _ => return,
            }
        }
    }

    /// A connection's socket goes (a redirect starts over on a new one): out
    /// of our poller, and announced deleted first if the host knew it.
    pub(super) fn release_stream(&mut self, id: ConnId, stream: mio::net::TcpStream) {
        let announced = self
            .conns
            .get_mut(id)
            .and_then(|c| c.poll.announced.take())
            .is_some();
        let fd = stream.as_raw_fd();
        let mut io = super::transport::Transport::Tcp(stream);
        io.deregister(&self.registry, !announced);
        if announced {
            self.announce_del(FdOwner::Conn(id), fd, Parting::Conn(io));
        }
    }

    /// Queues a connection for comparison of its events (from `conn_mut`).
    pub(super) fn mark_poll_dirty(poll: &mut PollTable, c: &mut Conn) {
        if !c.poll.dirty && c.poll.announced.is_some() {
            c.poll.dirty = true;
            poll.dirty.push(c.id);
        }
    }

    /// The next CHANGE_MODE the host is owed, if any.
    pub(super) fn next_poll_change(&mut self) -> Option<Callout> {
        while let Some(id) = self.poll.dirty.pop() {
            let Some(c) = self.conns.get_mut(id) else {
                continue;
            };
            c.poll.dirty = false;
            let (Some(prev), Some(fd)) = (
                c.poll.announced,
                c.io.tcp().map(std::os::fd::AsRawFd::as_raw_fd),
            ) else {
                continue;
            };
            let events = wanted_events(c);
            if events != prev {
                c.poll.announced = Some(events);
                return Some(Callout::Poll {
                    owner: FdOwner::Conn(id),
                    fd,
                    change: PollChange::Change { prev, events },
                });
            }
        }
        None
    }

    /// The host heard of a change; a deleted descriptor closes now.
    pub(super) fn poll_change_delivered(&mut self, fd: i32, change: PollChange) {
        if change == PollChange::Del {
            if let Some(i) = self.poll.parting.iter().position(|(f, _)| *f == fd) {
                drop(self.poll.parting.swap_remove(i));
            }
        }
    }

    /// What owns `fd` (`wsi_from_fd`, `lws_service_fd`).
    pub fn fd_owner(&self, fd: i32) -> Option<FdOwner> {
        self.poll.owners.get(&fd).copied()
    }

    /// The events last announced for `fd` (tests and `lws_service_fd` logs).
    pub fn announced_events(&self, fd: i32) -> Option<i32> {
        match self.fd_owner(fd)? {
            FdOwner::Conn(id) => self.conn(id)?.poll.announced,
            FdOwner::Listener(_) | FdOwner::CancelPipe => Some(POLLIN),
        }
    }

    /// Work a host's poll cannot see: callouts or WRITEABLEs owed, input
    /// already read (or decrypted) and queued to be parsed and delivered
    /// (after rx flow control is lifted, or an API call from a callback).
    /// Input still in a socket, or part of a frame waiting for the rest, is
    /// not counted: the host's poll reports the bytes that complete it.
    pub fn has_hidden_work(&self) -> bool {
        !self.outbox.is_empty() || !self.writers.is_empty() || !self.ready.is_empty()
    }

    /// `lws_service_do_ripe_rxflow`: connections with input held while rx
    /// flow control was on, and now free to take it, are serviced.
    pub fn queue_ripe_rxflow(&mut self) {
        for c in self.conns.iter_mut() {
            if c.rx_flow_off == 0 && c.in_pos < c.inbuf.len() && c.phase() != PhaseKind::Finished {
                self.ready.push_back(c.id);
            }
        }
    }

    /// The host's poll reported `revents` on a connection: as a readiness
    /// event of our own loop. The connection may read once more this pass.
    pub fn conn_revents(&mut self, id: ConnId, revents: i32) {
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        c.read_pass = 0;
        if revents & POLLHUP != 0 && revents & POLLIN == 0 {
            // A raw file closes on a hang-up with nothing to read.
            self.on_hangup(id.index);
        }
        let readable = revents & (POLLIN | POLLHUP | POLLERR) != 0;
        let writable = revents & (POLLOUT | POLLERR) != 0;
        let hup = revents & (POLLHUP | POLLERR) != 0;
        self.on_ready(id.index, readable, writable, hup);
    }
}
