//! Issue 16: no heap allocation per message in steady state on the plain
//! WebSocket echo path, in both roles. One runtime serves and connects to
//! itself over loopback; the server echoes every message from WRITEABLE (as
//! bench/echo-server.c does) and the client sends the next one when the echo
//! is back. After a warm-up, a counting global allocator sees 10,000 echoed
//! messages go by without one allocation on this thread.
//!
//! A separate test binary, so that its global allocator affects no other test.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::{Cell, RefCell};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use websockets::core::conn::{ClientSpec, ConnId, Role};
use websockets::core::conn_requests::WriteKind;
use websockets::core::context::Settings;
use websockets::core::runtime::Runtime;
use websockets::core::vhost::{ClientTlsState, Listen, ProtocolSpec, VhostConfig};
use websockets::core::{Callout, ConnEvent, Error, Host};
use websockets::ws::tx::Opcode;

/// Counts allocations made by the thread that switched counting on.
struct Counting;

static ALLOCS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

fn note() {
    // try_with: allocations during thread teardown are not ours to count.
    if COUNTING.try_with(Cell::get).unwrap_or(false) {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: forwards every call to the system allocator unchanged; it only
// counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: forwarded contract.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: forwarded contract.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note();
        // SAFETY: forwarded contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded contract.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const PRE: usize = 16;
const SIZE: usize = 16;

/// Echo server and ping-pong client in one host, with preallocated buffers.
struct Echo<'a> {
    rt: &'a Runtime,
    /// Server: the message waiting to go back, with LWS_PRE headroom.
    srv_buf: RefCell<[u8; PRE + SIZE]>,
    srv_len: Cell<usize>,
    /// Client: the next message to send (rewritten each time: a client's
    /// payload is masked in place, as lws does).
    cli_buf: RefCell<[u8; PRE + SIZE]>,
    sent: Cell<u64>,
    echoed: Cell<u64>,
    /// Set on a mismatch or an unexpected event.
    broken: Cell<bool>,
    limit: Cell<u64>,
}

fn pattern(n: u64, at: usize) -> u8 {
    (n as usize).wrapping_mul(31).wrapping_add(at) as u8
}

impl Echo<'_> {
    fn role(&self, id: ConnId) -> Option<Role> {
        self.rt.with_core(|c| c.conn(id).map(|k| k.role())).ok()?
    }

    fn writable(&self, id: ConnId) {
        if self.rt.with_core(|c| c.request_writable(id)).is_err() {
            self.broken.set(true);
        }
    }

    fn send(&self, id: ConnId, buf: &mut [u8]) {
        let kind = WriteKind::Ws {
            op: Opcode::Binary,
            fin: true,
        };
        match self.rt.with_core(|c| c.write_in_place(id, buf, PRE, kind)) {
            Ok(Ok(n)) if n == buf.len() - PRE => {}
            _ => self.broken.set(true),
        }
    }
}

impl Echo<'_> {
    /// Client WRITEABLE: the next message, once the last one is back.
    fn client_send(&self, id: ConnId) {
        let n = self.sent.get();
        if n < self.limit.get() && n == self.echoed.get() {
            let mut buf = self.cli_buf.borrow_mut();
            for (i, b) in buf[PRE..].iter_mut().enumerate() {
                *b = pattern(n, i);
            }
            self.send(id, &mut buf[..]);
            self.sent.set(n + 1);
        }
    }

    /// Server WRITEABLE: the message received, sent back.
    fn server_echo(&self, id: ConnId) {
        if self.srv_len.replace(0) == SIZE {
            let mut buf = self.srv_buf.borrow_mut();
            self.send(id, &mut buf[..]);
        }
    }
}

impl Host for Echo<'_> {
    fn deliver(&self, callout: &mut Callout) -> i32 {
        let Callout::Conn { id, event } = callout else {
            return 0;
        };
        let id = *id;
        match (self.role(id), &*event) {
            (Some(Role::Client), ConnEvent::Established) => self.writable(id),
            (Some(Role::Client), ConnEvent::Writeable) => self.client_send(id),
            (Some(Role::Client), ConnEvent::Receive { payload, last, .. }) => {
                let n = self.echoed.get();
                let ok = *last
                    && payload.as_slice().len() == SIZE
                    && payload
                        .as_slice()
                        .iter()
                        .enumerate()
                        .all(|(i, b)| *b == pattern(n, i));
                if !ok {
                    self.broken.set(true);
                }
                self.echoed.set(n + 1);
                self.writable(id);
            }
            (Some(Role::Server), ConnEvent::Receive { payload, .. }) => {
                let bytes = payload.as_slice();
                if bytes.len() != SIZE {
                    self.broken.set(true);
                    return -1;
                }
                self.srv_buf.borrow_mut()[PRE..].copy_from_slice(bytes);
                self.srv_len.set(bytes.len());
                self.writable(id);
            }
            (Some(Role::Server), ConnEvent::Writeable) => self.server_echo(id),
            _ => {}
        }
        0
    }
}

fn vhost(name: &str, listen: Listen) -> VhostConfig {
    VhostConfig {
        name: name.into(),
        protocols: vec![ProtocolSpec {
            name: "echo".into(),
            instantiated: true,
            ..ProtocolSpec::default()
        }],
        listen,
        skip_protocol_init: false,
        validity: Default::default(),
        mounts: Vec::new(),
        headers: Vec::new(),
        server_string: None,
        server_tls: None,
        client_tls: ClientTlsState::NotConfigured,
        plain_on_tls: Default::default(),
        deflate: None,
        error_document_404: None,
        keepalive_secs: 5,
        accept: Default::default(),
    }
}

/// Services until `host` has seen `target` echoes (bounded in time).
fn run_until(rt: &Runtime, host: &Echo<'_>, client: ConnId, target: u64) {
    host.limit.set(target);
    if host.sent.get() > 0 {
        host.writable(client);
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while host.echoed.get() < target && !host.broken.get() && Instant::now() < deadline {
        rt.service(host, -1);
    }
}

#[test]
fn ws_echo_allocates_nothing_per_message_in_either_role_issue_16() -> Result<(), Error> {
    let rt = Runtime::new(Settings::default())?;
    let server = rt.add_vhost(vhost(
        "srv",
        Listen::Tcp {
            port: 0,
            addr: Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        },
    ))?;
    let client_vh = rt.add_vhost(vhost("cli", Listen::None))?;
    let port = rt.listen_port(server).ok_or(Error::Refused("no port"))?;
    let host = Echo {
        rt: &rt,
        srv_buf: RefCell::new([0; PRE + SIZE]),
        srv_len: Cell::new(0),
        cli_buf: RefCell::new([0; PRE + SIZE]),
        sent: Cell::new(0),
        echoed: Cell::new(0),
        broken: Cell::new(false),
        limit: Cell::new(0),
    };
    for _ in 0..5 {
        rt.service(&host, -1);
    }
    let client = rt.with_core(|c| {
        c.request_client(
            ClientSpec {
                address: "127.0.0.1".into(),
                port,
                path: "/".into(),
                host: "127.0.0.1".into(),
                protocol: Some("echo".into()),
                vhost: Some(client_vh),
                ..ClientSpec::default()
            },
            false,
        )
    })??;

    // Warm-up: connection set up, buffers and queues at their working size.
    run_until(&rt, &host, client, 1_000);
    assert!(!host.broken.get(), "warm-up echo failed");
    assert_eq!(host.echoed.get(), 1_000, "warm-up did not finish");

    ALLOCS.store(0, Ordering::Relaxed);
    COUNTING.with(|c| c.set(true));
    run_until(&rt, &host, client, 11_000);
    COUNTING.with(|c| c.set(false));
    let allocs = ALLOCS.load(Ordering::Relaxed);

    assert!(!host.broken.get(), "an echo came back wrong");
    assert_eq!(
        host.echoed.get(),
        11_000,
        "the 10,000 echoes did not finish"
    );
    assert_eq!(
        allocs, 0,
        "heap allocations during 10,000 echoed messages (both roles)"
    );

    // The counter does see an allocation made while it counts.
    COUNTING.with(|c| c.set(true));
    let probe = std::hint::black_box(vec![1u8; 8]);
    COUNTING.with(|c| c.set(false));
    drop(probe);
    assert_eq!(ALLOCS.load(Ordering::Relaxed), 1, "the counter counts");
    Ok(())
}
