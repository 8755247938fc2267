//! `Core`: everything a context owns, behind the runtime's one lock. Methods here
//! are plain state changes; none of them runs user code.
#![forbid(unsafe_code)]

use std::collections::VecDeque;
use std::os::fd::AsRawFd;

use mio::{Interest, Registry, Token};

use super::poll::{FdOwner, Parting};
use super::Callout;

use super::system::SysState;
use super::timers::TimerStore;
use super::vhost::{InitState, Life, Vhost, VhostConfig};
use super::{Error, ProtocolRef, VhostId};
use crate::log::level;
use crate::lwsl;

/// Token of the cancel waker.
pub const WAKER_TOKEN: Token = Token(usize::MAX);
/// Listener tokens are `LISTENER_BASE + vhost index`.
pub const LISTENER_BASE: usize = 1 << 40;

/// Where the context-wide protocol-init pass is (spec B1.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InitWalk {
    NotYet,
    Active,
    Completed,
}

/// Context-wide settings from the creation info.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `LWS_SERVER_OPTION_VALIDATE_UTF8`.
    pub validate_utf8: bool,
    /// `info.timeout_secs` (default 15): handshakes and replies.
    pub timeout_secs: u32,
    /// `info.max_http_header_data` (default 4096).
    pub max_header: usize,
    /// `info.pt_serv_buf_size` (default 4096): the rx chunk when a protocol
    /// gives no `rx_buffer_size`.
    pub serv_buf_size: usize,
    /// `info.simultaneous_ssl_restriction` (0: no limit).
    pub tls_max_conns: u32,
    /// `info.simultaneous_ssl_handshake_restriction` (0: no limit).
    pub tls_max_handshakes: u32,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            validate_utf8: false,
            timeout_secs: 15,
            max_header: 4096,
            serv_buf_size: 4096,
            tls_max_conns: 0,
            tls_max_handshakes: 0,
        }
    }
}

pub struct Core {
    pub(in crate::core) vhosts: Vec<Vhost>,
    pub(in crate::core) timers: TimerStore,
    pub(in crate::core) state: SysState,
    pub(in crate::core) init_walk: InitWalk,
    pub(in crate::core) thread_id_sent: bool,
    pub(in crate::core) settings: Settings,
    /// What the TLS connection and handshake limits have lent out.
    pub(in crate::core) tls_budget: super::tls_budget::TlsBudget,
    pub(in crate::core) conns: super::conn_table::ConnTable,
    /// Handles of connections removed before the host retired them; the host
    /// frees them with the context.
    pub(in crate::core) orphan_faces: Vec<super::Face>,
    /// Callouts waiting for delivery, in order.
    pub(in crate::core) outbox: VecDeque<Callout>,
    /// Connections with input to read or parse.
    pub(in crate::core) ready: VecDeque<super::ConnId>,
    /// Connections that may be owed a WRITEABLE.
    pub(in crate::core) writers: VecDeque<super::ConnId>,
    /// Connections that may have input left to read or parse at the start of
    /// the next pass (the explicit pending set: a pass never scans all
    /// connections). Kept once in the set (`Conn::rx_pending`).
    pub(in crate::core) rx_pending: Vec<super::ConnId>,
    /// The same set being rebuilt by `begin_pass` (kept to reuse its memory).
    pub(in crate::core) rx_pending_next: Vec<super::ConnId>,
    /// The number of the current service pass (a connection reads once per pass).
    pub(in crate::core) pass: u64,
    /// The clock (µs) when the current pass, or the host's `lws_service_fd`
    /// call, began: what a read stamps as its connection's last traffic. One
    /// clock read per pass instead of one per read.
    pub(in crate::core) pass_at: u64,
    /// Client connections waiting for the system to be ready, in request order.
    pub(in crate::core) connect_queue: VecDeque<super::ConnId>,
    /// `lws_client_reset` calls made from a callback: each connection starts
    /// over with its new destination once the callback returned.
    pub(in crate::core) resets: Vec<(super::ConnId, super::conn::ClientSpec)>,
    /// The descriptors announced to a host event loop (external poll).
    pub(in crate::core) poll: super::poll::PollTable,
    pub(super) registry: Registry,
    /// Buffer memory connections gave up, not yet handed back to the system.
    pub(in crate::core) released: Released,
}

/// Buffer memory freed by connections (closed, or idle after a burst), handed
/// back to the system allocator in one go a moment later (`GIVE_BACK_DELAY_MS`)
/// by the host, so that RSS returns near its idle level after a storm.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Released {
    #[default]
    Nothing,
    /// Bytes freed; the give-back timer is armed.
    Pending(usize),
    /// The timer fired: the host should give these back now.
    Due(usize),
}

/// What a connection may keep allocated while idle: a bigger input or output
/// buffer is released once it is empty.
pub const IDLE_BUFFER_KEEP: usize = 256 * 1024;
/// How much must have been freed before it is worth handing back.
const GIVE_BACK_MIN: usize = 64 * 1024;
/// How long after the first release the memory is handed back (frees that
/// follow within it go in the same give-back).
const GIVE_BACK_DELAY_MS: u64 = 1000;

/// What the reaper at the end of a pass acts on, taken under one lock: the
/// vhosts destroyed during the pass and the buffer memory due to go back to
/// the system allocator.
#[derive(Debug, Default)]
pub struct Reaping {
    pub doomed: Vec<VhostId>,
    pub give_back: Option<usize>,
}

impl Core {
    /// `bytes` of buffer memory were freed.
    pub fn note_released(&mut self, bytes: usize) {
        let total = match self.released {
            Released::Nothing => bytes,
            Released::Pending(n) | Released::Due(n) => n + bytes,
        };
        if total < GIVE_BACK_MIN {
            self.released = Released::Pending(total);
            return;
        }
        if !matches!(self.released, Released::Due(_))
            && !self.timers.is_armed(super::timers::TimerTarget::GiveBack)
        {
            self.timers.schedule(
                super::timers::TimerTarget::GiveBack,
                super::timers::now_us() + GIVE_BACK_DELAY_MS * 1000,
            );
        }
        self.released = match self.released {
            Released::Due(_) => Released::Due(total),
            _ => Released::Pending(total),
        };
    }

    /// The give-back timer fired.
    pub fn give_back_due(&mut self) {
        if let Released::Pending(n) = self.released {
            self.released = Released::Due(n);
        }
    }

    /// What the host should hand back now, if anything.
    pub fn take_give_back(&mut self) -> Option<usize> {
        match self.released {
            Released::Due(n) => {
                self.released = Released::Nothing;
                Some(n)
            }
            _ => None,
        }
    }
}

impl Core {
    pub fn new(registry: Registry) -> Core {
        Core {
            vhosts: Vec::new(),
            timers: TimerStore::default(),
            state: SysState::ContextCreated,
            init_walk: InitWalk::NotYet,
            thread_id_sent: false,
            settings: Settings::default(),
            tls_budget: Default::default(),
            conns: Default::default(),
            orphan_faces: Vec::new(),
            outbox: VecDeque::new(),
            ready: VecDeque::new(),
            writers: VecDeque::new(),
            rx_pending: Vec::new(),
            rx_pending_next: Vec::new(),
            pass: 1,
            pass_at: super::timers::now_us(),
            connect_queue: VecDeque::new(),
            resets: Vec::new(),
            poll: super::poll::PollTable::default(),
            registry,
            released: Released::Nothing,
        }
    }

    /// Builds a vhost, registers its listener and appends it (creation order is
    /// the order of every later walk).
    pub fn add_vhost(&mut self, cfg: VhostConfig) -> Result<VhostId, Error> {
        // A second vhost on a port this context already listens on shares that
        // socket (B3.1), instead of failing to bind it.
        let shared = match cfg.listen {
            super::vhost::Listen::Tcp { port, .. } if port != 0 => self
                .vhosts
                .iter()
                .position(|v| v.is_live() && v.listener.is_some() && v.listen_port == Some(port))
                .map(|i| (VhostId(i), port)),
            _ => None,
        };
        let mut vh = Vhost::new(cfg, shared)?;
        let id = VhostId(self.vhosts.len());
        if let Some(l) = vh.listener.as_mut() {
            self.registry
                .register(l, Token(LISTENER_BASE + id.0), Interest::READABLE)
                .map_err(|e| Error::io(format!("vhost {}: register listener", vh.name), e))?;
        }
        if let Some(port) = vh.listen_port {
            lwsl!(level::INFO, "vhost {}: listening on port {port}", vh.name);
        }
        let owner = vh.shares_listener_of.unwrap_or(id);
        let listen_fd = vh.listener.as_ref().map(AsRawFd::as_raw_fd);
        self.vhosts.push(vh);
        if let Err(e) = self.rebuild_tls_selector(owner) {
            self.vhosts.pop();
            return Err(Error::Config(e.to_string()));
        }
        if let Some(fd) = listen_fd {
            self.announce_add(FdOwner::Listener(id), fd);
        }
        self.announce_cancel_pipe();
        Ok(id)
    }

    /// The SNI selector of a listener: the TLS vhosts on it, owner first.
    fn rebuild_tls_selector(&mut self, owner: VhostId) -> Result<(), crate::tls::error::TlsError> {
        let entries: Vec<(Vec<String>, crate::tls::config::ServerTlsSpec)> = (0..self.vhosts.len())
            .filter(|i| *i == owner.0 || self.vhosts[*i].shares_listener_of == Some(owner))
            .filter_map(|i| {
                let v = &self.vhosts[i];
                v.server_tls
                    .clone()
                    .map(|spec| (vec![v.name.clone()], spec))
            })
            .collect();
        let selector = if entries.is_empty() {
            None
        } else {
            Some(crate::tls::config::ServerTlsSelector::new(&entries)?)
        };
        if let Some(v) = self.vhosts.get_mut(owner.0) {
            v.tls_selector = selector;
        }
        Ok(())
    }

    /// `lws_tls_cert_updated`: the vhost serves `spec` to new connections
    /// (its listener's SNI selector is rebuilt).
    pub fn replace_server_tls(
        &mut self,
        id: VhostId,
        spec: crate::tls::config::ServerTlsSpec,
    ) -> Result<(), crate::tls::error::TlsError> {
        let Some(v) = self
            .vhosts
            .get_mut(id.0)
            .filter(|v| v.life != Life::Destroyed)
        else {
            return Ok(());
        };
        v.server_tls = Some(spec);
        let owner = v.shares_listener_of.unwrap_or(id);
        self.rebuild_tls_selector(owner)
    }

    /// `lws_init_vhost_client_ssl`: a client TLS context for a vhost made
    /// without one (one it already has is kept, as in lws).
    pub fn init_client_tls(&mut self, id: VhostId, state: super::vhost::ClientTlsState) {
        if let Some(v) = self
            .vhosts
            .get_mut(id.0)
            .filter(|v| v.life != Life::Destroyed)
        {
            if matches!(v.client_tls, super::vhost::ClientTlsState::NotConfigured) {
                v.client_tls = state;
            }
        }
    }

    /// `lws_tls_client_vhost_extra_cert_mem`: the vhost's client TLS trusts one
    /// more certificate (DER) from now on. Fails without a client TLS context.
    pub fn add_client_trust_anchor(&mut self, id: VhostId, der: &[u8]) -> Result<(), Error> {
        let v = self
            .vhosts
            .get_mut(id.0)
            .filter(|v| v.life != Life::Destroyed)
            .ok_or(Error::Refused("vhost destroyed"))?;
        match &mut v.client_tls {
            super::vhost::ClientTlsState::NotConfigured => {
                Err(Error::Refused("the vhost has no client TLS context"))
            }
            super::vhost::ClientTlsState::Ready { tls, .. } => {
                let more = tls
                    .with_extra_anchor(der)
                    .map_err(|e| Error::Config(e.to_string()))?;
                *tls = std::sync::Arc::new(more);
                Ok(())
            }
        }
    }

    /// How many vhost ids were handed out (destroyed vhosts keep theirs):
    /// every `VhostId` below this was a vhost of this context.
    pub fn vhost_slots(&self) -> usize {
        self.vhosts.len()
    }

    pub fn vhost(&self, id: VhostId) -> Option<&Vhost> {
        self.vhosts.get(id.0).filter(|v| v.life != Life::Destroyed)
    }

    /// The vhost a request on `owner`'s listener is for: the one named by the
    /// Host header (port stripped; exact name, then a parent domain), else the
    /// listener's own vhost (B3.1).
    pub fn route_by_host(&self, owner: VhostId, host: Option<&str>) -> VhostId {
        let Some(host) = host else {
            return owner;
        };
        let name = host.rsplit_once(':').map_or(host, |(h, p)| {
            if p.bytes().all(|b| b.is_ascii_digit()) {
                h
            } else {
                host
            }
        });
        let candidates: Vec<VhostId> = (0..self.vhosts.len())
            .map(VhostId)
            .filter(|v| *v == owner || self.vhosts[v.0].shares_listener_of == Some(owner))
            .filter(|v| self.vhosts[v.0].is_live())
            .collect();
        let named = |pred: &dyn Fn(&str) -> bool| {
            candidates
                .iter()
                .copied()
                .find(|v| pred(&self.vhosts[v.0].name))
        };
        named(&|n| n.eq_ignore_ascii_case(name))
            .or_else(|| {
                named(&|n| {
                    name.len() > n.len()
                        && name
                            .to_ascii_lowercase()
                            .ends_with(&format!(".{}", n.to_ascii_lowercase()))
                })
            })
            .unwrap_or(owner)
    }

    /// Gives a vhost its host handle (once, right after `add_vhost`).
    pub fn set_vhost_face(&mut self, id: VhostId, face: super::Face) {
        if let Some(v) = self.vhosts.get_mut(id.0) {
            v.face = Some(face);
        }
    }

    /// The host handle of a vhost, destroyed ones included.
    pub fn vhost_face(&self, id: VhostId) -> Option<super::Face> {
        self.vhosts.get(id.0).and_then(|v| v.face)
    }

    /// Takes every vhost handle (the context is going away).
    pub fn take_vhost_faces(&mut self) -> Vec<super::Face> {
        self.vhosts
            .iter_mut()
            .filter_map(|v| v.face.take())
            .collect()
    }

    /// The first vhost not destroyed nor doomed (the cancel pipe's).
    pub fn first_live_vhost(&self) -> Option<VhostId> {
        self.vhosts.iter().position(Vhost::is_live).map(VhostId)
    }

    pub fn vhost_by_name(&self, name: &str) -> Option<VhostId> {
        self.vhosts
            .iter()
            .position(|v| v.is_live() && v.name == name)
            .map(VhostId)
    }

    /// The next protocol owed a PROTOCOL_INIT, marked as started; None when every
    /// existing vhost is done.
    pub fn next_protocol_init(&mut self) -> Option<ProtocolRef> {
        for (vi, vh) in self.vhosts.iter_mut().enumerate() {
            if !vh.is_live() {
                continue;
            }
            let mut next = match vh.init {
                InitState::Pending => 0,
                InitState::Running { next } => next,
                InitState::Done | InitState::Skipped => continue,
            };
            while next < vh.protocols.len() && !vh.protocols[next].instantiated {
                next += 1;
            }
            if next >= vh.protocols.len() {
                vh.init = InitState::Done;
                continue;
            }
            vh.init = InitState::Running { next: next + 1 };
            return Some(ProtocolRef {
                vhost: VhostId(vi),
                index: next,
            });
        }
        None
    }

    /// Records a PROTOCOL_INIT's return: non-zero means that protocol failed to
    /// initialise and will get no PROTOCOL_DESTROY.
    pub fn record_init_result(&mut self, at: ProtocolRef, ret: i32) {
        if ret == 0 {
            return;
        }
        if let Some(vh) = self.vhosts.get_mut(at.vhost.0) {
            if let Some(ok) = vh.init_ok.get_mut(at.index) {
                *ok = false;
            }
            let pname = vh
                .protocols
                .get(at.index)
                .map(|p| p.name.as_str())
                .unwrap_or("?");
            lwsl!(
                level::ERR,
                "vhost {}: protocol {pname} failed PROTOCOL_INIT ({ret})",
                vh.name
            );
        }
    }

    /// Every protocol of every live vhost (broadcast targets, spec B1.6).
    pub fn all_protocols(&self) -> Vec<ProtocolRef> {
        self.vhosts
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_live())
            .flat_map(|(vi, v)| {
                (0..v.protocols.len()).map(move |index| ProtocolRef {
                    vhost: VhostId(vi),
                    index,
                })
            })
            .collect()
    }

    /// The protocols owed PROTOCOL_DESTROY when `id` goes away, in array order.
    pub fn destroy_targets(&self, id: VhostId) -> Vec<ProtocolRef> {
        match self.vhosts.get(id.0) {
            Some(v) if v.was_initialised() => (0..v.protocols.len())
                .filter(|i| v.init_ok.get(*i).copied().unwrap_or(false))
                .map(|index| ProtocolRef { vhost: id, index })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Closes a vhost's listening socket.
    pub fn close_listener(&mut self, id: VhostId) {
        if let Some(vh) = self.vhosts.get_mut(id.0) {
            if let Some(mut l) = vh.listener.take() {
                let _ = self.registry.deregister(&mut l);
                let fd = l.as_raw_fd();
                self.announce_del(FdOwner::Listener(id), fd, Parting::Listener(l));
            }
        }
    }

    /// A destroyed vhost's listening socket: handed to the first live vhost
    /// sharing it, which keeps accepting (and becomes the owner the others
    /// share), else closed (B3.1). True when it was handed on.
    pub fn release_listener(&mut self, id: VhostId) -> bool {
        let heir = (0..self.vhosts.len()).find(|i| {
            *i != id.0
                && self.vhosts[*i].is_live()
                && self.vhosts[*i].shares_listener_of == Some(id)
        });
        let Some(heir) = heir else {
            self.close_listener(id);
            return false;
        };
        let Some(mut l) = self.vhosts.get_mut(id.0).and_then(|v| v.listener.take()) else {
            return false;
        };
        if let Err(e) =
            self.registry
                .reregister(&mut l, Token(LISTENER_BASE + heir), Interest::READABLE)
        {
            lwsl!(
                level::ERR,
                "vhost {}: listener hand-over: {e}",
                self.vhosts[heir].name
            );
            let _ = self.registry.deregister(&mut l);
            return false;
        }
        self.poll
            .owners
            .insert(l.as_raw_fd(), FdOwner::Listener(VhostId(heir)));
        for v in &mut self.vhosts {
            if v.shares_listener_of == Some(id) {
                v.shares_listener_of = Some(VhostId(heir));
            }
        }
        let vh = &mut self.vhosts[heir];
        vh.shares_listener_of = None;
        vh.listener = Some(l);
        lwsl!(level::INFO, "vhost {}: took over the listener", vh.name);
        if let Err(e) = self.rebuild_tls_selector(VhostId(heir)) {
            lwsl!(level::ERR, "vhost listener hand-over: tls: {e}");
        }
        true
    }

    /// The started connections bound to `id` (queued connects resolve their
    /// vhost when they start).
    pub fn conns_of_vhost(&self, id: VhostId) -> Vec<super::ConnId> {
        self.conns
            .iter()
            .filter(|c| c.vhost == id && c.phase() != super::conn::PhaseKind::Queued)
            .map(|c| c.id)
            .collect()
    }

    /// `lws_vhost_destroy1`: the first half of a destroy (B3.1): the
    /// listener is handed to a live vhost sharing it or closed, and the vhost
    /// stops being found. As in lws, the rest of the destroy follows (at the
    /// end of a service pass) once nothing is bound to it any more: at once
    /// when its own listener was closed and it has no connections, else when
    /// its last connection goes (a vhost whose listener was handed on, or
    /// that had none, and has no connections waits for the context's end).
    pub fn retire_vhost(&mut self, id: VhostId) {
        let Some(v) = self.vhosts.get(id.0).filter(|v| v.is_live()) else {
            return;
        };
        let own_listener = v.listener.is_some();
        let handed_on = self.release_listener(id);
        self.vhosts[id.0].life = Life::Retiring;
        if own_listener && !handed_on && self.conns_of_vhost(id).is_empty() {
            self.vhosts[id.0].life = Life::Doomed;
        }
    }

    /// A connection of `id` went: a retiring vhost with none left is doomed.
    pub fn doom_if_retired_and_idle(&mut self, id: VhostId) {
        let retiring = self
            .vhosts
            .get(id.0)
            .is_some_and(|v| v.life == Life::Retiring);
        if retiring && self.conns_of_vhost(id).is_empty() {
            self.vhosts[id.0].life = Life::Doomed;
        }
    }

    pub fn mark_doomed(&mut self, id: VhostId) -> bool {
        match self.vhosts.get_mut(id.0) {
            Some(v) if matches!(v.life, Life::Live | Life::Retiring) => {
                v.life = Life::Doomed;
                true
            }
            _ => false,
        }
    }

    /// What the reaper at the end of a pass needs.
    pub fn reaping(&mut self) -> Reaping {
        Reaping {
            doomed: self.doomed_vhosts(),
            give_back: self.take_give_back(),
        }
    }

    fn doomed_vhosts(&self) -> Vec<VhostId> {
        (0..self.vhosts.len())
            .filter(|i| self.vhosts[*i].life == Life::Doomed)
            .map(VhostId)
            .collect()
    }

    pub fn mark_destroyed(&mut self, id: VhostId) {
        if let Some(v) = self.vhosts.get_mut(id.0) {
            v.life = Life::Destroyed;
        }
    }
}
