//! External poll in Rust (issue 11): a host that keeps the table the
//! poll-fd callouts describe and reports every announced event as ready
//! through `Runtime::service_fd`, as a level-triggered loop whose sockets are
//! always ready would.
#![forbid(unsafe_code)]

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};

use super::conn::{ClientSpec, Conn, ConnId, Phase, Role};
use super::context::Settings;
use super::poll::{wanted_events, FdOwner, PollChange, POLLIN, POLLOUT};
use super::runtime::{FdServiced, Runtime};
use super::timers::SulKey;
use super::vhost::{ClientTlsState, Listen, ProtocolSpec, VhostConfig};
use super::{Callout, ConnEvent, Error, Host, VhostId};

#[derive(Clone, Debug, PartialEq, Eq)]
enum Seen {
    Poll(FdOwner, i32, PollChange),
    Conn(ConnId, String),
}

struct TableHost<'a> {
    rt: &'a Runtime,
    table: RefCell<BTreeMap<i32, i32>>,
    seen: RefCell<Vec<Seen>>,
    bad: RefCell<Vec<String>>,
}

impl Host for TableHost<'_> {
    fn deliver(&self, callout: &mut Callout) -> i32 {
        match callout {
            Callout::Poll { owner, fd, change } => {
                let mut t = self.table.borrow_mut();
                match *change {
                    PollChange::Add { events } => {
                        if t.insert(*fd, events).is_some() {
                            self.bad.borrow_mut().push(format!("fd {fd} added twice"));
                        }
                    }
                    PollChange::Change { prev, events } => {
                        if t.insert(*fd, events) != Some(prev) {
                            self.bad
                                .borrow_mut()
                                .push(format!("fd {fd}: prev {prev} wrong"));
                        }
                    }
                    PollChange::Del => {
                        if t.remove(fd).is_none() {
                            self.bad
                                .borrow_mut()
                                .push(format!("fd {fd} deleted unknown"));
                        }
                    }
                }
                self.seen
                    .borrow_mut()
                    .push(Seen::Poll(*owner, *fd, *change));
                0
            }
            Callout::Conn { id, event } => {
                let name = format!("{event:?}");
                let name = name
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .next()
                    .unwrap_or_default()
                    .to_string();
                self.seen.borrow_mut().push(Seen::Conn(*id, name));
                let role = self.rt.with_core(|c| c.conn(*id).map(|k| k.role));
                match (role, &*event) {
                    // The server asks for one WRITEABLE and closes in it.
                    (Ok(Some(Role::Server)), ConnEvent::Established) => {
                        let _ = self.rt.with_core(|c| c.request_writable(*id));
                        0
                    }
                    (Ok(Some(Role::Server)), ConnEvent::Writeable) => -1,
                    _ => 0,
                }
            }
            _ => 0,
        }
    }
}

impl TableHost<'_> {
    /// One loop turn: every descriptor in the table, with its events.
    fn turn(&self) {
        let ready: Vec<(i32, i32)> = self.table.borrow().iter().map(|(f, e)| (*f, *e)).collect();
        for (fd, events) in ready {
            if self.table.borrow().contains_key(&fd) {
                let r = self.rt.service_fd(self, fd, events);
                assert_ne!(r, FdServiced::Refused);
                assert_ne!(r, FdServiced::NotOurs, "fd {fd} is in the table");
            }
        }
        let _ = self.rt.adjust_timeout(self, 10);
    }

    fn count(&self, what: &str) -> usize {
        self.seen
            .borrow()
            .iter()
            .filter(|s| matches!(s, Seen::Conn(_, n) if n == what))
            .count()
    }

    fn index(&self, pred: impl Fn(&Seen) -> bool) -> usize {
        self.seen
            .borrow()
            .iter()
            .position(pred)
            .unwrap_or_else(|| panic!("not seen in {:?}", self.seen.borrow()))
    }
}

fn vhost(name: &str, listen: Listen) -> VhostConfig {
    VhostConfig {
        name: name.into(),
        protocols: vec![ProtocolSpec {
            name: "p".into(),
            instantiated: true,
            ..ProtocolSpec::default()
        }],
        listen,
        skip_protocol_init: false,
        validity: Default::default(),
        keepalive_secs: 5,
        mounts: Vec::new(),
        headers: Vec::new(),
        server_string: None,
        error_document_404: None,
        server_tls: None,
        client_tls: ClientTlsState::NotConfigured,
        plain_on_tls: Default::default(),
        deflate: None,
        accept: Default::default(),
    }
}

/// Every descriptor is added before its first event, changes its events
/// when writable interest comes and goes, and is deleted after its closing
/// callbacks and before WSI_DESTROY; a host that only uses `service_fd`
/// runs the whole ws session.
#[test]
fn fd_only_host_sees_add_change_del_in_lws_order_issue_11() -> Result<(), Error> {
    let rt = Runtime::new(Settings::default())?;
    let host = TableHost {
        rt: &rt,
        table: RefCell::new(BTreeMap::new()),
        seen: RefCell::new(Vec::new()),
        bad: RefCell::new(Vec::new()),
    };
    let server = rt.add_vhost(vhost(
        "srv",
        Listen::Tcp {
            port: 0,
            addr: Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        },
    ))?;
    rt.pump(&host);
    // The listener, then the cancel pipe, both with POLLIN.
    let owners: Vec<FdOwner> = host
        .table
        .borrow()
        .keys()
        .filter_map(|fd| rt.with_core(|c| c.fd_owner(*fd)).ok().flatten())
        .collect();
    assert_eq!(owners.len(), 2);
    assert!(owners.contains(&FdOwner::Listener(server)));
    assert!(owners.contains(&FdOwner::CancelPipe));
    assert!(host.table.borrow().values().all(|e| *e == POLLIN));
    let port = rt.listen_port(server).ok_or(Error::Refused("no port"))?;
    for _ in 0..3 {
        host.turn();
    }
    let client = rt.with_core(|c| {
        c.request_client(
            ClientSpec {
                address: "127.0.0.1".into(),
                port,
                path: "/".into(),
                host: "127.0.0.1".into(),
                protocol: Some("p".into()),
                vhost: Some(VhostId(0)),
                ..ClientSpec::default()
            },
            false,
        )
    })??;
    rt.pump(&host);
    for _ in 0..2000 {
        if host.count("WsiDestroy") >= 2 {
            break;
        }
        host.turn();
    }
    assert_eq!(host.count("WsiDestroy"), 2, "{:?}", host.seen.borrow());
    assert!(host.bad.borrow().is_empty(), "{:?}", host.bad.borrow());

    let add = |id: ConnId| {
        host.index(
            |s| matches!(s, Seen::Poll(FdOwner::Conn(i), _, PollChange::Add { .. }) if *i == id),
        )
    };
    let del = |id: ConnId| {
        host.index(|s| matches!(s, Seen::Poll(FdOwner::Conn(i), _, PollChange::Del) if *i == id))
    };
    let ev =
        |id: ConnId, n: &str| host.index(|s| matches!(s, Seen::Conn(i, e) if *i == id && e == n));
    // The client: added before CONNECTING, POLLOUT while connecting (a
    // change right after the add: the connect completes on POLLOUT).
    assert!(add(client) < ev(client, "Connecting"));
    let connecting_pollout = host.index(|s| {
        matches!(s, Seen::Poll(FdOwner::Conn(i), _, PollChange::Change { prev, events })
            if *i == client && *prev == POLLIN && *events == POLLIN | POLLOUT)
    });
    assert!(connecting_pollout < ev(client, "EstablishedClientHttp"));
    assert!(del(client) > ev(client, "Closed"));
    assert!(del(client) < ev(client, "WsiDestroy"));
    let server_conn = host
        .seen
        .borrow()
        .iter()
        .find_map(|s| match s {
            Seen::Conn(i, n) if n == "Writeable" => Some(*i),
            _ => None,
        })
        .ok_or(Error::Refused("no server WRITEABLE"))?;
    assert!(add(server_conn) < ev(server_conn, "WsiCreate"));
    assert!(del(server_conn) > ev(server_conn, "Closed"));
    assert!(del(server_conn) < ev(server_conn, "WsiDestroy"));
    // The server's writable request reached the host as POLLIN|POLLOUT
    // before its WRITEABLE (the host's report of POLLOUT produced it).
    let pollout_on = host.index(|s| {
        matches!(s, Seen::Poll(FdOwner::Conn(i), _, PollChange::Change { events, .. })
            if *i == server_conn && *events == POLLIN | POLLOUT)
    });
    assert!(pollout_on < ev(server_conn, "Writeable"));
    // Only the listener and the pipe are left, until the context goes.
    assert_eq!(host.table.borrow().len(), 2);
    assert!(matches!(
        rt.destroy(&host),
        super::runtime::Teardown::Complete { .. }
    ));
    assert!(host.table.borrow().is_empty(), "{:?}", host.table.borrow());
    Ok(())
}

/// A descriptor the context does not own is left alone.
#[test]
fn unknown_fd_is_not_ours_issue_11() -> Result<(), Error> {
    let rt = Runtime::new(Settings::default())?;
    let host = TableHost {
        rt: &rt,
        table: RefCell::new(BTreeMap::new()),
        seen: RefCell::new(Vec::new()),
        bad: RefCell::new(Vec::new()),
    };
    assert_eq!(rt.service_fd(&host, 100_000, POLLIN), FdServiced::NotOurs);
    Ok(())
}

/// `adjust_timeout`: cut to the next timer, 0 once it is due.
#[test]
fn adjust_timeout_follows_the_next_timer_issue_11() -> Result<(), Error> {
    let rt = Runtime::new(Settings::default())?;
    let host = TableHost {
        rt: &rt,
        table: RefCell::new(BTreeMap::new()),
        seen: RefCell::new(Vec::new()),
        bad: RefCell::new(Vec::new()),
    };
    // The start-up steps run first.
    let _ = rt.adjust_timeout(&host, 0);
    assert_eq!(rt.adjust_timeout(&host, 1000), 1000);
    rt.schedule_sul(SulKey(1), 200_000)?;
    let t = rt.adjust_timeout(&host, 1000);
    assert!(t > 100 && t <= 200, "{t}");
    assert_eq!(rt.adjust_timeout(&host, 50), 50);
    Ok(())
}

/// The events a connection waits for.
#[test]
fn wanted_events_follow_flow_control_and_writable_interest_issue_11() {
    let id = ConnId { index: 0, gen: 1 };
    let mut c = Conn::new(
        id,
        VhostId(0),
        Role::Server,
        Phase::ReadingHeaders,
        Default::default(),
    );
    assert_eq!(wanted_events(&c), POLLIN);
    c.want_writable = true;
    assert_eq!(wanted_events(&c), POLLIN | POLLOUT);
    c.rx_flow_off = 1;
    assert_eq!(wanted_events(&c), POLLOUT);
    c.want_writable = false;
    assert_eq!(wanted_events(&c), 0);
    let c = Conn::new(
        id,
        VhostId(0),
        Role::Client,
        Phase::Connecting(Default::default()),
        Default::default(),
    );
    assert_eq!(wanted_events(&c), POLLIN | POLLOUT);
}

/// Inside a callback, work already queued (a callout owed) makes
/// `adjust_timeout` say 0: the host's poll would not see it.
#[test]
fn adjust_timeout_is_zero_while_work_is_queued_issue_11() -> Result<(), Error> {
    struct Probe<'a> {
        rt: &'a Runtime,
        said: RefCell<Vec<i32>>,
    }
    impl Host for Probe<'_> {
        fn deliver(&self, callout: &mut Callout) -> i32 {
            if let Callout::Sul(SulKey(1)) = callout {
                self.said
                    .borrow_mut()
                    .push(self.rt.adjust_timeout(self, 1000));
                let _ = self
                    .rt
                    .with_core(|c| c.outbox.push_back(Callout::Sul(SulKey(2))));
                self.said
                    .borrow_mut()
                    .push(self.rt.adjust_timeout(self, 1000));
            }
            0
        }
    }
    let rt = Runtime::new(Settings::default())?;
    let probe = Probe {
        rt: &rt,
        said: RefCell::new(Vec::new()),
    };
    let _ = rt.adjust_timeout(&probe, 0);
    rt.schedule_sul(SulKey(1), 0)?;
    std::thread::sleep(std::time::Duration::from_millis(1));
    let _ = rt.adjust_timeout(&probe, 1000);
    assert_eq!(*probe.said.borrow(), [1000, 0]);
    Ok(())
}

/// A socket a connection drops while it lives on (a redirect) is announced
/// deleted, stays open until that was delivered, and its number is free for
/// the connection's next ADD.
#[test]
fn a_released_socket_is_deleted_before_it_closes_issue_11() -> Result<(), Error> {
    let rt = Runtime::new(Settings::default())?;
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| Error::io("bind", e))?;
    let s = std::net::TcpStream::connect(l.local_addr().map_err(|e| Error::io("addr", e))?)
        .map_err(|e| Error::io("connect", e))?;
    s.set_nonblocking(true)
        .map_err(|e| Error::io("nonblocking", e))?;
    let stream = mio::net::TcpStream::from_std(s);
    let fd = std::os::fd::AsRawFd::as_raw_fd(&stream);
    let (id, queued) = rt.with_core(|c| {
        let id = c.insert_conn(|id| {
            Conn::new(
                id,
                VhostId(0),
                Role::Client,
                Phase::AwaitingUpgrade(Default::default()),
                super::transport::Transport::Tcp(stream),
            )
        })?;
        let taken = c.conn_mut(id).and_then(|k| k.io.take_tcp());
        if let Some(t) = taken {
            c.release_stream(id, t);
        }
        Ok::<_, Error>((id, c.outbox.drain(..).collect::<Vec<_>>()))
    })??;
    assert_eq!(
        queued,
        [
            Callout::Poll {
                owner: FdOwner::Conn(id),
                fd,
                change: PollChange::Add { events: POLLIN }
            },
            Callout::Poll {
                owner: FdOwner::Conn(id),
                fd,
                change: PollChange::Del
            }
        ]
    );
    let (owned, parked, announced) = rt.with_core(|c| {
        (
            c.fd_owner(fd),
            c.poll.parting.len(),
            c.conn(id).and_then(|k| k.poll.announced),
        )
    })?;
    assert_eq!((owned, parked, announced), (None, 1, None));
    rt.with_core(|c| c.apply(queued[1].clone(), 0))?;
    assert_eq!(rt.with_core(|c| c.poll.parting.len())?, 0);
    Ok(())
}
