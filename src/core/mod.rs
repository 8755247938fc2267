//! The safe core: contexts, vhosts, timers, system state and the service loop.
//!
//! Invariants (guide §3.6):
//! - The core never calls user code. Whatever should reach user code becomes a
//!   [`Callout`], delivered by [`runtime::Runtime`] through a [`Host`] with no lock
//!   held, so callbacks may re-enter the API freely.
//! - Structural changes (vhost and context destruction) are deferred to the end of
//!   a service pass, so nothing C can still name is freed under a callback.
//! - Pointers that must be handed back to C (sul nodes, user data) are opaque
//!   tokens here: stored and compared, never dereferenced.
#![forbid(unsafe_code)]

pub mod apply;
pub mod client;
pub mod close;
pub mod conmon;
pub mod conn;
pub mod conn_requests;
pub mod conn_table;
pub mod connect_queue;
pub mod conns;
pub mod context;
pub mod error;
pub mod fast_hash;
pub mod http_client;
pub mod http_server;
pub mod poll;
pub mod produce;
pub mod proxy;
pub mod raw;
pub mod readiness;
pub mod runtime;
pub mod server;
pub mod system;
pub mod timers;
pub mod tls_budget;
pub mod transport;
pub mod vhost;

#[cfg(test)]
mod poll_tests;
#[cfg(test)]
mod recording_host_tests;

pub use conn::{ConnId, Role};
pub use error::Error;
pub use system::SysState;
pub use timers::SulKey;

/// Index of a vhost in its context, in creation order. Stable for the context's
/// life: a destroyed vhost leaves a tombstone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VhostId(pub usize);

/// One protocol of one vhost: the target of protocol-wide callbacks, delivered
/// with a stand-in connection object (spec B0.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ProtocolRef {
    pub vhost: VhostId,
    pub index: usize,
}

/// Protocol-wide events (no real connection behind them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtocolEvent {
    /// First callback of a service thread, to `protocols[0]` of the first vhost.
    GetThreadId,
    Init,
    Destroy,
    /// One broadcast per batch of `lws_cancel_service()` calls (spec B1.6).
    EventWaitCancelled,
}

/// The host's own object for a connection (the address of its C handle): an
/// opaque token the core keeps in the connection's slab entry and hands back,
/// never interprets. One store: the handle lives and dies with the entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Face(pub usize);

/// What a raw connection is over: lws's raw-skt role, or its raw-file role
/// (the application reads and writes the descriptor itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawOver {
    Socket,
    File,
}

/// Something user code must hear about. The host answers with the callback's
/// return value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Callout {
    Protocol {
        at: ProtocolRef,
        event: ProtocolEvent,
    },
    /// A user timer is due.
    Sul(SulKey),
    /// Ask the user notifiers whether `current -> target` may happen; non-zero
    /// from any of them holds the state (spec B2.2).
    StateAttempt { current: SysState, target: SysState },
    /// Tell every user notifier that `state` was reached.
    StateArrival { state: SysState },
    /// The vhost's protocols were destroyed: run its `finalize` hook and release
    /// its per-protocol storage.
    VhostFinalized(VhostId),
    /// Something about one connection.
    Conn { id: ConnId, event: ConnEvent },
    /// The context's first protocol-init walk is over (lws then runs
    /// `lws_finalize_startup`).
    StartupFinished,
    /// A descriptor of the library is added, changes its events or is about
    /// to close (external poll: LWS_CALLBACK_ADD_POLL_FD, CHANGE_MODE_POLL_FD,
    /// DEL_POLL_FD to `protocols[0]`, each between LOCK_POLL and UNLOCK_POLL).
    Poll {
        owner: poll::FdOwner,
        fd: i32,
        change: poll::PollChange,
    },
}

/// Connection events, in the order lws delivers them (spec B4.3, B5.4). The
/// boundary maps each to its lws reason for the connection's role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnEvent {
    /// To `protocols[0]` of the vhost.
    WsiCreate,
    NewClientInstantiated,
    /// The connection is bound to its protocol: its per-session data exists
    /// from here on.
    BindProtocol,
    /// Client: the socket exists and connect() is about to be issued.
    Connecting {
        fd: i32,
    },
    /// Server: the requested `Sec-WebSocket-Protocol` value; non-zero refuses.
    FilterProtocolConnection {
        requested: Option<Vec<u8>>,
    },
    /// Server: the client offered this extension, which the vhost has;
    /// non-zero declines it for this connection (CONFIRM_EXTENSION_OKAY).
    ConfirmExtensionOkay {
        name: String,
    },
    /// Client: the vhost has this extension; non-zero leaves it out of the
    /// offer (CLIENT_CONFIRM_EXTENSION_SUPPORTED, on protocols[0]).
    ClientConfirmExtensionSupported {
        name: String,
    },
    /// Server: room for extra headers in the 101 answer; the host fills
    /// `appended` (LWS_CALLBACK_ADD_HEADERS, B5.4 step 8).
    AddHeaders {
        room: usize,
        appended: Vec<u8>,
    },
    Established,
    /// Client: room for extra request headers; the host fills `appended`.
    AppendHandshakeHeader {
        room: usize,
        appended: Vec<u8>,
    },
    EstablishedClientHttp,
    ClientFilterPreEstablish,
    Receive {
        payload: RxBytes,
        first: bool,
        last: bool,
        binary: bool,
        remaining: u64,
    },
    ReceivePong(Vec<u8>),
    Writeable,
    /// The peer's close payload; 0 from the callback echoes it.
    PeerInitiatedClose(Vec<u8>),
    DropProtocol,
    Closed,
    HttpDropProtocol,
    ClosedHttp,
    /// Client, before establishment: why it failed (spec B4.4).
    ConnectionError(String),
    /// `lws_set_timer_usecs` fired.
    Timer,
    /// Server HTTP: the sanitised path; non-zero from the callback closes.
    FilterHttpConnection {
        path: Vec<u8>,
    },
    /// Server HTTP, CALLBACK mounts: non-zero refuses with 401.
    CheckAccessRights,
    /// LWS_CALLBACK_HTTP with the path.
    Http {
        path: Vec<u8>,
    },
    HttpBody(Vec<u8>),
    HttpBodyCompletion,
    HttpWriteable,
    HttpFileCompletion,
    /// Server HTTP: open `path` with the context's file operations for
    /// `usage`; the host sets `opened` (none when it cannot be opened).
    FileOpen {
        path: String,
        /// Boxed: the largest part of any event, and every callout is moved
        /// several times on its way.
        usage: Box<http_server::FileUse>,
        opened: Option<http_server::FileInfo>,
    },
    /// Read up to `want` bytes of the open file from offset `at`; the host
    /// sets `data` (none on error).
    FileRead {
        at: u64,
        want: usize,
        data: Option<Vec<u8>>,
    },
    /// Close the open file.
    FileClose,
    /// Client HTTP: room to send more of the request body.
    ClientHttpWriteable,
    /// Client HTTP: body bytes are readable with `lws_http_client_read`.
    ReceiveClientHttp,
    CompletedClientHttp,
    /// Client HTTP: a 3xx to `location`; non-zero from the callback refuses
    /// to follow it (spec B4.4).
    ClientHttpRedirect {
        location: Vec<u8>,
        status: u16,
    },
    /// Raw: the connection is bound to its protocol (RAW_SKT_BIND_PROTOCOL).
    RawBind,
    /// Raw: adopted, accepted on a raw vhost, or fallen back from HTTP
    /// (RAW_ADOPT / RAW_ADOPT_FILE); non-zero closes.
    RawAdopt(RawOver),
    /// Raw client: connected (RAW_CONNECTED); negative closes.
    RawConnected,
    /// Raw: bytes received (RAW_RX), or a file is readable (RAW_RX_FILE, no
    /// bytes). A socket closes on a negative answer, a file on any non-zero
    /// one; the bytes of an HTTP fallback close on any non-zero one.
    RawRx {
        over: RawOver,
        data: Vec<u8>,
        fallback: bool,
    },
    /// Raw: writeable (RAW_WRITEABLE / RAW_WRITEABLE_FILE).
    RawWriteable(RawOver),
    /// Raw socket: unbound from its protocol on the way out
    /// (RAW_SKT_DROP_PROTOCOL, only when it has per-session data).
    RawDrop,
    /// Raw: closed (RAW_CLOSE / RAW_CLOSE_FILE).
    RawClose(RawOver),
    /// The last event of every connection (to `protocols[0]`).
    WsiDestroy,
}

/// The bytes of a received data chunk: a range of `buf`. When `input` is set,
/// `buf` is the connection's own input buffer, lent to the callout (the
/// payload was unmasked in place, nothing was copied) and given back to the
/// connection when the callback's answer is applied.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RxBytes {
    pub buf: Vec<u8>,
    pub range: std::ops::Range<usize>,
    pub input: bool,
}

impl RxBytes {
    /// Bytes the parser produced itself (inflated data).
    pub fn owned(buf: Vec<u8>) -> RxBytes {
        RxBytes {
            range: 0..buf.len(),
            buf,
            input: false,
        }
    }

    pub fn as_slice(&self) -> &[u8] {
        self.buf.get(self.range.clone()).unwrap_or_default()
    }
}

/// Delivers callouts to user code (implemented by the C boundary).
pub trait Host {
    /// Runs the callout; some events carry room for the callback's output.
    fn deliver(&self, callout: &mut Callout) -> i32;

    /// The same, with the host's own handle for the connection (`face`) as
    /// the core had it when it produced the callout: a host that keeps its
    /// handles there need not take the core lock again to find it.
    fn deliver_with_face(&self, callout: &mut Callout, face: Option<Face>) -> i32 {
        let _ = face;
        self.deliver(callout)
    }
}
