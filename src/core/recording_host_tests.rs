//! Core behaviour tested in Rust, without C: a recording host drives one
//! runtime that serves and connects to itself over loopback, and checks the
//! callback order per connection and what a callback may do from inside
//! (issue 10: core tests in Rust; spec B4.3, B5.4, B1.4).
#![forbid(unsafe_code)]

use std::cell::RefCell;
use std::net::{IpAddr, Ipv4Addr};

use super::conn::{ClientSpec, ConnId, Role};
use super::context::Settings;
use super::runtime::Runtime;
use super::vhost::{ClientTlsState, Listen, ProtocolSpec, VhostConfig};
use super::{Callout, ConnEvent, Error, Host};

/// One delivered connection event: who heard it and its name.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Heard {
    id: ConnId,
    role: Option<Role>,
    event: String,
}

/// Records every connection event and answers like a simple application: the
/// server closes once established (or, with `client_rejects`, the client
/// refuses CLIENT_ESTABLISHED). Inside callbacks it also probes re-entry.
struct RecordingHost<'a> {
    rt: &'a Runtime,
    client_rejects: bool,
    heard: RefCell<Vec<Heard>>,
    /// (event, whether the core was reachable, what a nested lws_service gave)
    reentry: RefCell<Vec<(String, bool, i32)>>,
}

/// The variant name of an event ("Receive", "Closed", ...).
fn name_of(event: &ConnEvent) -> String {
    let dbg = format!("{event:?}");
    dbg.split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_string()
}

impl Host for RecordingHost<'_> {
    fn deliver(&self, callout: &mut Callout) -> i32 {
        let Callout::Conn { id, event } = callout else {
            return 0;
        };
        // Re-entry: no core lock is held during a callout, so the core can be
        // read; a nested service pass is refused.
        let role = self.rt.with_core(|c| c.conn(*id).map(|k| k.role));
        let name = name_of(event);
        if matches!(event, ConnEvent::Established) {
            let nested = self.rt.service(self, 0);
            self.reentry
                .borrow_mut()
                .push((name.clone(), role.is_ok(), nested));
        }
        let role = role.ok().flatten();
        self.heard.borrow_mut().push(Heard {
            id: *id,
            role,
            event: name,
        });
        match (role, &*event) {
            (Some(Role::Server), ConnEvent::Established) if !self.client_rejects => -1,
            (Some(Role::Client), ConnEvent::Established) if self.client_rejects => -1,
            _ => 0,
        }
    }
}

fn protocol() -> ProtocolSpec {
    ProtocolSpec {
        name: "p".into(),
        instantiated: true,
        ..ProtocolSpec::default()
    }
}

fn vhost(name: &str, listen: Listen) -> VhostConfig {
    VhostConfig {
        name: name.into(),
        protocols: vec![protocol()],
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

/// The events one connection heard, in order.
fn events_of(heard: &[Heard], id: ConnId) -> Vec<&str> {
    heard
        .iter()
        .filter(|h| h.id == id)
        .map(|h| h.event.as_str())
        .collect()
}

fn position(events: &[&str], name: &str) -> usize {
    events
        .iter()
        .position(|e| *e == name)
        .unwrap_or_else(|| panic!("{name} missing from {events:?}"))
}

/// Serves and connects to itself once; returns every event heard, the client's
/// id and the re-entry probes, after both ends were destroyed.
type Probe = (String, bool, i32);
fn loopback_session(client_rejects: bool) -> Result<(Vec<Heard>, ConnId, Vec<Probe>), Error> {
    loopback_session_dialing(client_rejects, false)
}

/// As `loopback_session`; with `refused_first` the client's lookup gives a
/// refusing address first and the server's second.
fn loopback_session_dialing(
    client_rejects: bool,
    refused_first: bool,
) -> Result<(Vec<Heard>, ConnId, Vec<Probe>), Error> {
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
    let host = RecordingHost {
        rt: &rt,
        client_rejects,
        heard: RefCell::new(Vec::new()),
        reentry: RefCell::new(Vec::new()),
    };
    for _ in 0..5 {
        rt.service(&host, -1);
    }
    // A port nothing listens on: bound, then closed.
    let refused = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map_err(|e| Error::io("bind", e))?
        .port();
    let client = rt.with_core(|c| {
        let id = c.request_client(
            ClientSpec {
                address: "127.0.0.1".into(),
                port: if refused_first { refused } else { port },
                path: "/".into(),
                host: "127.0.0.1".into(),
                protocol: Some("p".into()),
                vhost: Some(client_vh),
                follow_redirects: true,
                ..ClientSpec::default()
            },
            false,
        )?;
        if refused_first {
            let dialing = c.conn_mut(id).and_then(|c| c.dialing_mut());
            let dialing = dialing.ok_or(Error::Refused("refused at once, not connecting"))?;
            dialing
                .untried
                .push_back((Ipv4Addr::LOCALHOST, port).into());
        }
        Ok::<_, Error>(id)
    })??;

    let destroyed = |h: &RecordingHost<'_>| {
        h.heard
            .borrow()
            .iter()
            .filter(|x| x.event == "WsiDestroy")
            .count()
    };
    for _ in 0..500 {
        if destroyed(&host) >= 2 {
            break;
        }
        rt.service(&host, 10);
    }
    let heard = host.heard.borrow().clone();
    assert_eq!(destroyed(&host), 2, "both ends finish: {heard:?}");
    assert!(!rt.in_callout());
    let reentry = host.reentry.borrow().clone();
    Ok((heard, client, reentry))
}

#[test]
fn loopback_ws_callback_order_and_reentry_spec_b4_3_b5_4() -> Result<(), Error> {
    let (heard, client, reentry) = loopback_session(false)?;

    // B4.3: NEW_CLIENT_INSTANTIATED may come before WSI_CREATE (the
    // connect is asynchronous); the rest is fixed.
    let mut cli = events_of(&heard, client);
    if let Some(i) = cli.iter().position(|e| *e == "NewClientInstantiated") {
        cli.remove(i);
    }
    assert_eq!(
        cli,
        [
            "BindProtocol",
            "Connecting",
            "WsiCreate",
            "AppendHandshakeHeader",
            "EstablishedClientHttp",
            "ClientFilterPreEstablish",
            "Established",
            "DropProtocol",
            "Closed",
            "WsiDestroy"
        ]
    );

    let server_conn = heard
        .iter()
        .find(|h| h.role == Some(Role::Server))
        .map(|h| h.id)
        .ok_or(Error::Refused("no server connection"))?;
    let srv = events_of(&heard, server_conn);
    assert_eq!(srv.first(), Some(&"WsiCreate"), "{srv:?}");
    assert!(position(&srv, "BindProtocol") < position(&srv, "FilterProtocolConnection"));
    assert!(position(&srv, "FilterProtocolConnection") < position(&srv, "AddHeaders"));
    assert!(position(&srv, "AddHeaders") < position(&srv, "Established"));
    assert_eq!(srv.last(), Some(&"WsiDestroy"), "{srv:?}");
    assert_eq!(srv.iter().filter(|e| **e == "WsiDestroy").count(), 1);

    // Inside both ESTABLISHED callbacks the core was reachable and a nested
    // service pass was refused (B1.4).
    assert_eq!(reentry.len(), 2, "{reentry:?}");
    assert!(reentry
        .iter()
        .all(|(_, reachable, nested)| *reachable && *nested == -1));
    Ok(())
}

/// A refused connect is not the end while the lookup has more addresses:
/// the next one is dialled with a new socket (CONNECTING again, with its
/// descriptor) and the session goes on as if the first had answered, as lws's
/// try_next_dns_result ("localhost" resolving to ::1 and 127.0.0.1 reaches a
/// server listening on 127.0.0.1 only; minimal-http-client -l).
#[test]
fn refused_connect_dials_the_next_address_b4_1() -> Result<(), Error> {
    let (heard, client, _) = loopback_session_dialing(false, true)?;
    let cli = events_of(&heard, client);
    assert_eq!(
        cli.iter().filter(|e| **e == "Connecting").count(),
        2,
        "{cli:?}"
    );
    assert!(cli.contains(&"Established"), "{cli:?}");
    assert!(!cli.contains(&"ClientConnectionError"), "{cli:?}");
    Ok(())
}

/// A client whose CLIENT_ESTABLISHED returns non-zero hears
/// CLIENT_CONNECTION_ERROR "HS: Rejected at CLIENT_ESTABLISHED" and then
/// WSI_DESTROY, as lws's handshake bail path gives; never DROP_PROTOCOL or
/// CLIENT_CLOSED (issue 10; checked against lws 4.3.3).
#[test]
fn client_refusing_established_gets_connection_error_spec_b4_3() -> Result<(), Error> {
    let (heard, client, _) = loopback_session(true)?;
    let cli: Vec<&Heard> = heard.iter().filter(|h| h.id == client).collect();
    let tail: Vec<&str> = cli
        .iter()
        .rev()
        .take(3)
        .rev()
        .map(|h| h.event.as_str())
        .collect();
    assert_eq!(
        tail,
        ["Established", "ConnectionError", "WsiDestroy"],
        "{cli:?}"
    );
    assert!(!cli
        .iter()
        .any(|h| h.event == "Closed" || h.event == "DropProtocol"));
    Ok(())
}

/// Records protocol-wide events; PROTOCOL_INIT of protocol 1 fails.
struct ProtocolHost {
    heard: RefCell<Vec<(usize, super::ProtocolEvent)>>,
}

impl Host for ProtocolHost {
    fn deliver(&self, callout: &mut Callout) -> i32 {
        let Callout::Protocol { at, event } = callout else {
            return 0;
        };
        self.heard.borrow_mut().push((at.index, *event));
        i32::from(*event == super::ProtocolEvent::Init && at.index == 1)
    }
}

/// docs/COMPAT.md row 11 (B1.5): a PROTOCOL_INIT that returns non-zero does
/// not stop the other protocols' inits; only the protocol whose init failed
/// gets no PROTOCOL_DESTROY.
#[test]
fn failed_protocol_init_skips_only_its_destroy_compat_11_spec_b1_5() -> Result<(), Error> {
    use super::ProtocolEvent::{Destroy, Init};
    let rt = Runtime::new(Settings::default())?;
    let mut cfg = vhost("v", Listen::None);
    cfg.protocols = ["a", "b", "c"]
        .iter()
        .map(|n| ProtocolSpec {
            name: (*n).into(),
            ..protocol()
        })
        .collect();
    rt.add_vhost(cfg)?;
    let host = ProtocolHost {
        heard: RefCell::new(Vec::new()),
    };
    rt.service(&host, -1);
    let _ = rt.destroy(&host);
    let heard: Vec<(usize, super::ProtocolEvent)> = host
        .heard
        .borrow()
        .iter()
        .copied()
        .filter(|(_, e)| matches!(e, Init | Destroy))
        .collect();
    assert_eq!(
        heard,
        [(0, Init), (1, Init), (2, Init), (0, Destroy), (2, Destroy)]
    );
    Ok(())
}

/// `lws_vhost_destroy1` (B3.1): a retired vhost is no longer found and its
/// own listener closes; as in lws the rest of the destroy (PROTOCOL_DESTROY)
/// follows once nothing is bound to it: at once for a vhost whose listener
/// closed and that has no connections, not for one that never listened
/// (that one waits for the context's end).
#[test]
fn retired_vhost_is_destroyed_once_nothing_is_bound_b3_1() -> Result<(), Error> {
    use super::ProtocolEvent::Destroy;
    let rt = Runtime::new(Settings::default())?;
    let listening = rt.add_vhost(vhost(
        "listening",
        Listen::Tcp {
            port: 0,
            addr: Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        },
    ))?;
    let quiet = rt.add_vhost(vhost("quiet", Listen::None))?;
    let port = rt.listen_port(listening).ok_or(Error::Refused("no port"))?;
    let host = ProtocolHost {
        heard: RefCell::new(Vec::new()),
    };
    rt.service(&host, -1);
    rt.with_core(|c| {
        c.retire_vhost(listening);
        c.retire_vhost(quiet);
        c.retire_vhost(quiet);
    })?;
    assert_eq!(rt.vhost_by_name("listening"), None);
    assert_eq!(rt.vhost_by_name("quiet"), None);
    // The listener closes in the next pass (after DEL_POLL_FD), as lws's
    // asynchronous close.
    rt.service(&host, -1);
    assert!(std::net::TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err());
    let destroys = |h: &ProtocolHost| {
        h.heard
            .borrow()
            .iter()
            .filter(|(_, e)| *e == Destroy)
            .count()
    };
    assert_eq!(destroys(&host), 1, "only the vhost whose listener closed");
    let _ = rt.destroy(&host);
    assert_eq!(destroys(&host), 2, "the other one at the context's end");
    Ok(())
}

/// Before OPERATIONAL a request waits in the connect queue, unless the
/// application's state machinery made it (a notifier or the captive-portal
/// hook): that one starts at once, or captive-portal detection, which holds the
/// state at CPD_PRE_TIME until its connection answers, could never finish
/// (B2.7; minimal-http-client-captive-portal).
#[test]
fn state_driver_requests_start_before_operational_b2_7() -> Result<(), Error> {
    let rt = Runtime::new(Settings::default())?;
    let client_vh = rt.add_vhost(vhost("cli", Listen::None))?;
    let spec = || ClientSpec {
        address: "127.0.0.1".into(),
        port: 9,
        path: "/".into(),
        host: "127.0.0.1".into(),
        vhost: Some(client_vh),
        ..ClientSpec::default()
    };
    rt.with_core(|c| {
        assert_ne!(c.state, super::system::SysState::Operational);
        let queued = c.request_client(spec(), false)?;
        let started = c.request_client(spec(), true)?;
        let kind = |id| c.conn(id).map(|k| k.phase());
        assert_eq!(kind(queued), Some(super::conn::PhaseKind::Queued));
        assert_ne!(kind(started), Some(super::conn::PhaseKind::Queued));
        assert_eq!(c.connect_queue.len(), 1);
        Ok::<_, Error>(())
    })?
}

/// Records the events of an HTTP client that says its request body is still
/// being written (`lws_client_http_body_pending(wsi, 1)` when it appends its
/// headers).
struct BodyPendingHost<'a> {
    rt: &'a Runtime,
    heard: RefCell<Vec<String>>,
}

impl Host for BodyPendingHost<'_> {
    fn deliver(&self, callout: &mut Callout) -> i32 {
        let Callout::Conn { id, event } = callout else {
            return 0;
        };
        if matches!(event, ConnEvent::AppendHandshakeHeader { .. }) {
            let _ = self.rt.with_core(|c| c.set_body_pending(*id, true));
        }
        self.heard.borrow_mut().push(name_of(event));
        0
    }
}

/// The reply timeout (`timeout_secs`) runs from when the client says its
/// body is done (`lws_client_http_body_pending(wsi, 0)`), not from the
/// request head: lws sets PENDING_TIMEOUT_AWAITING_SERVER_RESPONSE then. The
/// server answers 2.1 s after the head, 1.6 s after the body was done, with
/// timeout_secs 2 (spec B4.5).
#[test]
fn reply_timeout_starts_when_the_request_body_is_done_b4_5() -> Result<(), Error> {
    use std::io::{Read, Write};
    use std::time::{Duration, Instant};
    let listener =
        std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(|e| Error::io("bind", e))?;
    let port = listener
        .local_addr()
        .map_err(|e| Error::io("local_addr", e))?
        .port();
    let server = std::thread::spawn(move || -> std::io::Result<()> {
        let (mut s, _) = listener.accept()?;
        s.set_read_timeout(Some(Duration::from_secs(5)))?;
        let mut got = Vec::new();
        let mut buf = [0u8; 1024];
        while !got.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = s.read(&mut buf)?;
            if n == 0 {
                return Ok(());
            }
            got.extend_from_slice(&buf[..n]);
        }
        std::thread::sleep(Duration::from_millis(2100));
        s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")?;
        std::thread::sleep(Duration::from_millis(300));
        Ok(())
    });
    let rt = Runtime::new(Settings {
        timeout_secs: 2,
        ..Settings::default()
    })?;
    let client_vh = rt.add_vhost(vhost("cli", Listen::None))?;
    let host = BodyPendingHost {
        rt: &rt,
        heard: RefCell::new(Vec::new()),
    };
    for _ in 0..5 {
        rt.service(&host, -1);
    }
    let id = rt.with_core(|c| {
        c.request_client(
            ClientSpec {
                address: "127.0.0.1".into(),
                port,
                path: "/".into(),
                host: "127.0.0.1".into(),
                method: Some("POST".into()),
                vhost: Some(client_vh),
                ..ClientSpec::default()
            },
            false,
        )
    })??;
    let start = Instant::now();
    let mut body_done = false;
    while start.elapsed() < Duration::from_secs(5) {
        rt.service(&host, 10);
        if !body_done && start.elapsed() >= Duration::from_millis(500) {
            rt.with_core(|c| c.set_body_pending(id, false))?;
            body_done = true;
        }
        let heard = host.heard.borrow();
        if heard
            .iter()
            .any(|e| e == "EstablishedClientHttp" || e == "ConnectionError")
        {
            break;
        }
    }
    let heard = host.heard.borrow().clone();
    assert!(
        heard.iter().any(|e| e == "EstablishedClientHttp"),
        "the answer arrived in time: {heard:?}"
    );
    assert!(!heard.iter().any(|e| e == "ConnectionError"), "{heard:?}");
    drop(rt);
    server
        .join()
        .map_err(|_| Error::Refused("server thread panicked"))?
        .map_err(|e| Error::io("server", e))
}

/// Buffer memory due to go back to the system allocator reaches the host
/// also when the lock that found it was one of a pump outside the pass's end
/// (an API call that delivers callouts), not only through the pass's reaper.
#[test]
fn give_back_found_by_a_pump_reaches_the_host() -> Result<(), Error> {
    let rt = Runtime::new(Settings::default())?;
    rt.add_vhost(vhost("v", Listen::None))?;
    let host = ProtocolHost {
        heard: RefCell::new(Vec::new()),
    };
    rt.service(&host, -1);
    let _ = rt.take_give_back();
    rt.with_core_pumped(&host, |c| {
        c.note_released(100_000);
        c.give_back_due();
        c.outbox.push_back(Callout::StartupFinished);
    })?;
    assert_eq!(rt.take_give_back(), Some(100_000));
    let _ = rt.destroy(&host);
    Ok(())
}
