//! Tests of the TLS module over real loopback TCP sockets in non-blocking mode.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod certs;
mod x509;

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::{ClientConfig, ServerConfig};

use super::config::{parse_certs, parse_key};
use super::session::NoVectoredWrite;
use super::*;
use certs::certs;

// ------------------------------------------------------------------------------------
// Harness

/// One end: a session over a non-blocking socket, and what it received.
struct Side {
    tls: TlsSession,
    sock: TcpStream,
    inbox: Vec<u8>,
    err: Option<String>,
    eof: bool,
}

impl Side {
    /// One round of socket I/O; true if anything happened.
    fn step(&mut self) -> bool {
        if self.err.is_some() || self.eof {
            return false;
        }
        let mut progress = false;
        loop {
            match self.tls.read_from(&mut self.sock, &mut self.inbox) {
                Ok(0) => {
                    self.eof = true;
                    return true;
                }
                Ok(_) => progress = true,
                Err(e) if e.is_would_block() => break,
                Err(e) => {
                    self.err = Some(e.to_string());
                    let _ = self.tls.flush_to(&mut self.sock);
                    return true;
                }
            }
        }
        if self.tls.wants_write() {
            match self.tls.flush_to(&mut self.sock) {
                Ok(_) => progress = true,
                Err(e) => {
                    self.err = Some(e.to_string());
                    return true;
                }
            }
        }
        progress
    }

    fn established(&self) -> bool {
        !self.tls.is_handshaking() && !self.tls.wants_write()
    }
}

fn tcp_pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();
    for s in [&client, &server] {
        s.set_nonblocking(true).unwrap();
        s.set_nodelay(true).unwrap();
    }
    (client, server)
}

/// Pumps both sides until `done`, an error on either side, or 10 s.
fn pump(c: &mut Side, s: &mut Side, done: impl Fn(&Side, &Side) -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if done(c, s) {
            return true;
        }
        if c.err.is_some() || s.err.is_some() {
            // Let the other side read the alert.
            let until = Instant::now() + Duration::from_millis(100);
            while Instant::now() < until && (c.err.is_none() || s.err.is_none()) {
                if !(c.step() | s.step()) {
                    std::thread::sleep(Duration::from_millis(1));
                }
            }
            return false;
        }
        if !(c.step() | s.step()) {
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    done(c, s)
}

struct Outcome {
    c: Side,
    s: Side,
}

impl Outcome {
    fn ok(&self) -> bool {
        self.c.err.is_none() && self.s.err.is_none()
    }

    fn client_err(&self) -> &str {
        self.c.err.as_deref().unwrap_or("")
    }

    fn server_err(&self) -> &str {
        self.s.err.as_deref().unwrap_or("")
    }
}

/// Handshake, then "ping" one way and "pong" the other, which also surfaces alerts that
/// TLS 1.3 sends after the client has finished its part.
fn run(client: Arc<ClientConfig>, host: &str, server: Arc<ServerConfig>) -> Outcome {
    run_with(client, host, TlsSession::server(server).unwrap())
}

fn run_with(client: Arc<ClientConfig>, host: &str, server: TlsSession) -> Outcome {
    let (cs, ss) = tcp_pair();
    let mut c = Side {
        tls: TlsSession::client(client, host).unwrap(),
        sock: cs,
        inbox: Vec::new(),
        err: None,
        eof: false,
    };
    let mut s = Side {
        tls: server,
        sock: ss,
        inbox: Vec::new(),
        err: None,
        eof: false,
    };
    if pump(&mut c, &mut s, |c, s| c.established() && s.established()) {
        c.tls.write_plain(b"ping").unwrap();
        if pump(&mut c, &mut s, |_, s| s.inbox == b"ping") {
            s.tls.write_plain(b"pong").unwrap();
            pump(&mut c, &mut s, |c, _| c.inbox == b"pong");
        }
    }
    Outcome { c, s }
}

fn spec(cert: &str) -> ServerTlsSpec {
    let k = certs();
    ServerTlsSpec {
        cert_chain: k.pem(&format!("{cert}.pem")),
        key: k.pem(&format!("{cert}.key")),
        ..ServerTlsSpec::default()
    }
}

fn server(cert: &str) -> Arc<ServerConfig> {
    server_config(&spec(cert)).unwrap()
}

/// A client context trusting the given CA files (and not the OS store).
fn client_tls(cas: &[&str]) -> ClientTls {
    let k = certs();
    ClientTls::new(&ClientTlsSpec {
        ca: cas.iter().map(|c| k.pem(c)).collect(),
        ..ClientTlsSpec::default()
    })
    .unwrap()
}

fn client(cas: &[&str], flags: VerifyFlags) -> Arc<ClientConfig> {
    client_tls(cas).config(flags, &[])
}

const NONE: VerifyFlags = VerifyFlags {
    allow_selfsigned: false,
    skip_hostname_check: false,
    allow_expired: false,
    allow_insecure: false,
};
const SELFSIGNED: VerifyFlags = VerifyFlags {
    allow_selfsigned: true,
    ..NONE
};
const SKIP_NAME: VerifyFlags = VerifyFlags {
    skip_hostname_check: true,
    ..NONE
};
const EXPIRED: VerifyFlags = VerifyFlags {
    allow_expired: true,
    ..NONE
};
const INSECURE: VerifyFlags = VerifyFlags {
    allow_insecure: true,
    ..NONE
};

fn assert_ok(o: &Outcome) {
    assert!(o.ok(), "client: {:?} server: {:?}", o.c.err, o.s.err);
    assert_eq!(o.c.inbox, b"pong");
}

fn assert_client_err(o: &Outcome, text: &str) {
    assert_eq!(o.client_err(), text, "server said {:?}", o.s.err);
    assert!(o.server_err().starts_with("tls: "), "server: {:?}", o.s.err);
}

// ------------------------------------------------------------------------------------
// Sessions over TCP

#[test]
fn handshake_data_both_ways_and_close_notify() {
    let (cs, ss) = tcp_pair();
    let mut c = Side {
        tls: TlsSession::client(client(&["ca1.pem"], NONE), "localhost").unwrap(),
        sock: cs,
        inbox: Vec::new(),
        err: None,
        eof: false,
    };
    let mut s = Side {
        tls: TlsSession::server(server("localhost")).unwrap(),
        sock: ss,
        inbox: Vec::new(),
        err: None,
        eof: false,
    };
    assert!(c.tls.is_handshaking() && s.tls.is_handshaking());
    // Plaintext queued before the handshake is sent after it.
    c.tls.write_plain(b"early").unwrap();
    assert!(
        pump(&mut c, &mut s, |_, s| s.inbox == b"early"),
        "{:?} {:?}",
        c.err,
        s.err
    );
    assert!(!c.tls.is_handshaking() && !s.tls.is_handshaking());
    assert_eq!(s.tls.sni_hostname(), Some("localhost"));
    assert_eq!(c.tls.sni_hostname(), None);
    assert_eq!(
        c.tls.protocol_version(),
        Some(rustls::ProtocolVersion::TLSv1_3)
    );

    // Big transfers both ways: far more than the socket buffers, so WouldBlock happens.
    let big: Vec<u8> = (0..4 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    s.inbox.clear();
    c.tls.write_plain(&big).unwrap();
    s.tls.write_plain(&big[..1024 * 1024]).unwrap();
    let n = big.len();
    assert!(pump(&mut c, &mut s, |c, s| s.inbox.len() == n
        && c.inbox.len() == 1024 * 1024));
    assert!(s.inbox == big);
    assert!(c.inbox[..] == big[..1024 * 1024]);

    // close_notify from the client: the server sees a clean EOF.
    c.tls.send_close_notify();
    assert!(c.tls.wants_write());
    assert!(c.tls.flush_to(&mut c.sock).unwrap());
    assert!(pump(&mut c, &mut s, |_, s| s.eof));
    assert!(s.tls.peer_closed_cleanly());
    assert!(s.err.is_none());
    // ... and answers with its own.
    s.tls.send_close_notify();
    assert!(s.tls.flush_to(&mut s.sock).unwrap());
    assert!(pump(&mut c, &mut s, |c, _| c.eof));
    assert!(c.tls.peer_closed_cleanly());
    // Further reads keep saying EOF.
    let mut more = Vec::new();
    assert_eq!(c.tls.read_from(&mut c.sock, &mut more).unwrap(), 0);
}

#[test]
fn tcp_close_without_close_notify_is_eof() {
    let mut o = run(client(&["ca1.pem"], NONE), "localhost", server("localhost"));
    assert_ok(&o);
    o.s.sock.shutdown(std::net::Shutdown::Both).unwrap();
    assert!(pump(&mut o.c, &mut o.s, |c, _| c.eof));
    assert!(!o.c.tls.peer_closed_cleanly());
}

#[test]
fn peer_closed_during_handshake() {
    let (mut cs, mut ss) = tcp_pair();
    let mut tls = TlsSession::client(client(&["ca1.pem"], NONE), "localhost").unwrap();
    assert!(tls.flush_to(&mut cs).unwrap());
    // Read the ClientHello, so that closing sends FIN rather than RST.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut buf = [0u8; 4096];
    loop {
        match ss.read(&mut buf) {
            Ok(n) if n > 0 => break,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(1));
            }
            other => panic!("{other:?}"),
        }
    }
    drop(ss);
    let mut out = Vec::new();
    let err = loop {
        match tls.read_from(&mut cs, &mut out) {
            Err(e) if e.is_would_block() && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(1));
            }
            Err(e) => break e,
            Ok(n) => panic!("read {n}"),
        }
    };
    assert_eq!(err.to_string(), "tls: peer closed during handshake");
    assert!(matches!(
        err.tls(),
        Some(TlsError::PeerClosedDuringHandshake)
    ));
}

/// A writer that records how it was called.
#[derive(Default)]
struct Recorder {
    data: Vec<u8>,
    writes: usize,
    vectored: usize,
}

impl Write for Recorder {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writes += 1;
        // Take part of it, to make the caller come back.
        let n = buf.len().min(3000);
        self.data.extend_from_slice(&buf[..n]);
        Ok(n)
    }

    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        self.vectored += 1;
        let mut n = 0;
        for b in bufs {
            self.data.extend_from_slice(b);
            n += b.len();
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn socket_writes_never_use_write_vectored() {
    // The adapter on its own.
    let mut rec = Recorder::default();
    let bufs = [
        io::IoSlice::new(b""),
        io::IoSlice::new(b"abc"),
        io::IoSlice::new(b"def"),
    ];
    assert_eq!(NoVectoredWrite(&mut rec).write_vectored(&bufs).unwrap(), 3);
    assert_eq!(NoVectoredWrite(&mut rec).write_vectored(&[]).unwrap(), 0);
    assert_eq!((rec.data.as_slice(), rec.vectored), (&b"abc"[..], 0));

    // Through the session: many queued records (rustls hands them to write_vectored).
    let mut o = run(client(&["ca1.pem"], NONE), "localhost", server("localhost"));
    assert_ok(&o);
    let mut rec = Recorder::default();
    let mut sent = Vec::new();
    for i in 0..40u8 {
        let chunk = vec![i; 5000];
        o.c.tls.write_plain(&chunk).unwrap();
        sent.extend_from_slice(&chunk);
    }
    assert!(o.c.tls.flush_to(&mut rec).unwrap());
    assert_eq!(rec.vectored, 0);
    assert!(rec.writes > 40, "{}", rec.writes);
    // The recorded bytes are valid TLS for the server.
    o.c.sock.set_nonblocking(false).unwrap();
    o.c.sock.write_all(&rec.data).unwrap();
    o.c.sock.set_nonblocking(true).unwrap();
    o.s.inbox.clear();
    let n = sent.len();
    assert!(pump(&mut o.c, &mut o.s, |_, s| s.inbox.len() == n));
    assert!(o.s.inbox == sent);
}

// ------------------------------------------------------------------------------------
// Trust sources

#[test]
fn ca_from_file() {
    assert_ok(&run(
        client(&["ca1.pem"], NONE),
        "localhost",
        server("localhost"),
    ));
}

#[test]
fn ca_from_memory_pem_and_der() {
    let k = certs();
    let pem = std::fs::read(k.path("ca1.pem")).unwrap();
    let der = std::fs::read(k.path("ca1.der")).unwrap();
    for blob in [pem, der] {
        let tls = ClientTls::new(&ClientTlsSpec {
            ca: vec![Pem::from_bytes(blob)],
            ..ClientTlsSpec::default()
        })
        .unwrap();
        assert_eq!(tls.trust_anchor_count(), 1);
        assert!(tls.warnings().is_empty(), "{:?}", tls.warnings());
        assert_ok(&run(
            tls.config(NONE, &[]),
            "localhost",
            server("localhost"),
        ));
    }
}

#[test]
fn ca_from_directory() {
    let k = certs();
    let dir = k.path("cadir");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(k.path("ca1.pem"), dir.join("ca1.pem")).unwrap();
    let tls = ClientTls::new(&ClientTlsSpec {
        ca_dirs: vec![dir],
        ..ClientTlsSpec::default()
    })
    .unwrap();
    assert_eq!(tls.trust_anchor_count(), 1);
    assert_ok(&run(
        tls.config(NONE, &[]),
        "localhost",
        server("localhost"),
    ));
}

#[test]
fn unusable_ca_is_a_warning_not_an_error() {
    let tls = ClientTls::new(&ClientTlsSpec {
        ca: vec![Pem::from_bytes(&b"not a certificate"[..])],
        ..ClientTlsSpec::default()
    })
    .unwrap();
    assert_eq!(tls.trust_anchor_count(), 0);
    assert_eq!(tls.warnings().len(), 1);
    assert!(
        tls.warnings()[0].starts_with("tls: CA #1"),
        "{:?}",
        tls.warnings()
    );
    // With no anchor at all, nothing verifies...
    let o = run(tls.config(NONE, &[]), "localhost", server("localhost"));
    assert_client_err(&o, "tls: unknown issuer");
    // ... except what the flags allow.
    let o = run(
        tls.config(SELFSIGNED, &[]),
        "localhost",
        server("self_leaf"),
    );
    assert_ok(&o);
}

#[test]
fn system_roots_do_not_trust_test_certs() {
    let tls = ClientTls::new(&ClientTlsSpec {
        system_roots: true,
        ..ClientTlsSpec::default()
    })
    .unwrap();
    assert!(tls.trust_anchor_count() > 0 || !tls.warnings().is_empty());
    let o = run(tls.config(NONE, &[]), "localhost", server("localhost"));
    assert_client_err(&o, "tls: unknown issuer");
}

#[test]
fn wrong_ca_is_unknown_issuer() {
    let o = run(client(&["ca2.pem"], NONE), "localhost", server("localhost"));
    assert_client_err(&o, "tls: unknown issuer");
}

#[test]
fn intermediate_sent_by_server() {
    let k = certs();
    let chain = ServerTlsSpec {
        cert_chain: k.chain(&["leaf_i.pem", "inter.pem"]),
        key: k.pem("leaf_i.key"),
        ..ServerTlsSpec::default()
    };
    let o = run(
        client(&["ca1.pem"], NONE),
        "localhost",
        server_config(&chain).unwrap(),
    );
    assert_ok(&o);
    // Without the intermediate, the issuer is unknown.
    let o = run(client(&["ca1.pem"], NONE), "localhost", server("leaf_i"));
    assert_client_err(&o, "tls: unknown issuer");
}

// ------------------------------------------------------------------------------------
// Verification flags (B3.5): each flag forgives its own class only.

#[test]
fn hostname_mismatch_and_skip_hostname_check() {
    let o = run(
        client(&["ca1.pem"], NONE),
        "wrong.test",
        server("localhost"),
    );
    assert_client_err(&o, "tls: hostname mismatch");
    assert_ok(&run(
        client(&["ca1.pem"], SKIP_NAME),
        "wrong.test",
        server("localhost"),
    ));
    // Other flags do not forgive it.
    let all_but = VerifyFlags {
        allow_selfsigned: true,
        allow_expired: true,
        allow_insecure: true,
        skip_hostname_check: false,
    };
    let o = run(
        client(&["ca1.pem"], all_but),
        "wrong.test",
        server("localhost"),
    );
    assert_client_err(&o, "tls: hostname mismatch");
    // The flag does not forgive an untrusted chain.
    let o = run(
        client(&["ca2.pem"], SKIP_NAME),
        "wrong.test",
        server("localhost"),
    );
    assert_client_err(&o, "tls: unknown issuer");
}

/// A leaf without subjectAltName names its host by its subject CN, as OpenSSL's
/// X509_check_host (what lws 4.3.3 uses) accepts; with a subjectAltName the CN
/// is ignored.
#[test]
fn common_name_names_the_host_without_subject_alt_names() {
    assert_ok(&run(
        client(&["ca1.pem"], NONE),
        "localhost",
        server("cn_only"),
    ));
    assert_ok(&run(
        client(&["ca1.pem"], NONE),
        "LocalHost",
        server("cn_only"),
    ));
    let o = run(client(&["ca1.pem"], NONE), "other.test", server("cn_only"));
    assert_client_err(&o, "tls: hostname mismatch");
    assert_ok(&run(
        client(&["ca1.pem"], NONE),
        "a.wild.test",
        server("cn_wild"),
    ));
    for bad in ["wild.test", "a.b.wild.test"] {
        let o = run(client(&["ca1.pem"], NONE), bad, server("cn_wild"));
        assert_client_err(&o, "tls: hostname mismatch");
    }
    let o = run(
        client(&["ca1.pem"], NONE),
        "localhost",
        server("cn_ignored"),
    );
    assert_client_err(&o, "tls: hostname mismatch");
    assert_ok(&run(
        client(&["ca1.pem"], NONE),
        "elsewhere.test",
        server("cn_ignored"),
    ));
}

#[test]
fn ip_addresses_are_checked_as_ips() {
    assert_ok(&run(
        client(&["ca1.pem"], NONE),
        "127.0.0.1",
        server("localhost"),
    ));
    let o = run(client(&["ca1.pem"], NONE), "127.0.0.2", server("localhost"));
    assert_client_err(&o, "tls: hostname mismatch");
    // No SNI is sent for an IP address.
    let o = run(client(&["ca1.pem"], NONE), "127.0.0.1", server("localhost"));
    assert_eq!(o.s.tls.sni_hostname(), None);
    // "[::1]" is accepted as a name (and mismatches this certificate).
    let o = run(client(&["ca1.pem"], NONE), "[::1]", server("localhost"));
    assert_client_err(&o, "tls: hostname mismatch");
}

#[test]
fn self_signed_ca_true() {
    let o = run(client(&["ca1.pem"], NONE), "localhost", server("self_ca"));
    assert_client_err(&o, "tls: unknown issuer (self-signed certificate)");
    let o = run(
        client(&["ca1.pem"], INSECURE),
        "localhost",
        server("self_ca"),
    );
    assert_client_err(&o, "tls: unknown issuer (self-signed certificate)");
    assert_ok(&run(
        client(&["ca1.pem"], SELFSIGNED),
        "localhost",
        server("self_ca"),
    ));
    // The flag does not skip the name check.
    let o = run(
        client(&["ca1.pem"], SELFSIGNED),
        "other.test",
        server("self_ca"),
    );
    assert_client_err(&o, "tls: hostname mismatch");
    // Trusting the certificate itself works without the flag.
    assert_ok(&run(
        client(&["self_ca.pem"], NONE),
        "localhost",
        server("self_ca"),
    ));
}

#[test]
fn self_signed_leaf() {
    let o = run(client(&["ca1.pem"], NONE), "localhost", server("self_leaf"));
    assert_client_err(&o, "tls: unknown issuer (self-signed certificate)");
    let o = run(
        client(&["ca1.pem"], INSECURE),
        "localhost",
        server("self_leaf"),
    );
    assert_client_err(&o, "tls: unknown issuer (self-signed certificate)");
    assert_ok(&run(
        client(&["ca1.pem"], SELFSIGNED),
        "localhost",
        server("self_leaf"),
    ));
    let o = run(
        client(&["ca1.pem"], SELFSIGNED),
        "other.test",
        server("self_leaf"),
    );
    assert_client_err(&o, "tls: hostname mismatch");
    let both = VerifyFlags {
        skip_hostname_check: true,
        ..SELFSIGNED
    };
    assert_ok(&run(
        client(&["ca1.pem"], both),
        "other.test",
        server("self_leaf"),
    ));
    assert_ok(&run(
        client(&["self_leaf.pem"], NONE),
        "localhost",
        server("self_leaf"),
    ));
}

#[test]
fn self_signed_root_in_chain() {
    let k = certs();
    let chain = server_config(&ServerTlsSpec {
        cert_chain: k.chain(&["other.pem", "ca2.pem"]),
        key: k.pem("other.key"),
        ..ServerTlsSpec::default()
    })
    .unwrap();
    let o = run(client(&["ca1.pem"], NONE), "localhost", chain.clone());
    assert_client_err(&o, "tls: unknown issuer (self-signed certificate)");
    let o = run(client(&["ca1.pem"], INSECURE), "localhost", chain.clone());
    assert_client_err(&o, "tls: unknown issuer (self-signed certificate)");
    assert_ok(&run(client(&["ca1.pem"], SELFSIGNED), "localhost", chain));
}

#[test]
fn unknown_issuer_and_allow_insecure() {
    // `other` is issued by ca2, which the server does not send: not self-signed.
    let o = run(client(&["ca1.pem"], NONE), "localhost", server("other"));
    assert_client_err(&o, "tls: unknown issuer");
    let o = run(
        client(&["ca1.pem"], SELFSIGNED),
        "localhost",
        server("other"),
    );
    assert_client_err(&o, "tls: unknown issuer");
    assert_ok(&run(
        client(&["ca1.pem"], INSECURE),
        "localhost",
        server("other"),
    ));
    let o = run(
        client(&["ca1.pem"], INSECURE),
        "wrong.test",
        server("other"),
    );
    assert_client_err(&o, "tls: hostname mismatch");
    // An untrusted intermediate chain: everything below the top is still checked.
    let k = certs();
    let chain = server_config(&ServerTlsSpec {
        cert_chain: k.chain(&["leaf_i.pem", "inter.pem"]),
        key: k.pem("leaf_i.key"),
        ..ServerTlsSpec::default()
    })
    .unwrap();
    let o = run(client(&["ca2.pem"], NONE), "localhost", chain.clone());
    assert_client_err(&o, "tls: unknown issuer");
    assert_ok(&run(client(&["ca2.pem"], INSECURE), "localhost", chain));
}

#[test]
fn expired_and_allow_expired() {
    let o = run(client(&["ca1.pem"], NONE), "localhost", server("expired"));
    assert_client_err(&o, "tls: certificate expired");
    for other in [SELFSIGNED, SKIP_NAME, INSECURE] {
        let o = run(client(&["ca1.pem"], other), "localhost", server("expired"));
        assert_client_err(&o, "tls: certificate expired");
    }
    assert_ok(&run(
        client(&["ca1.pem"], EXPIRED),
        "localhost",
        server("expired"),
    ));
    // The flag does not forgive the issuer or the name.
    let o = run(
        client(&["ca2.pem"], EXPIRED),
        "localhost",
        server("expired"),
    );
    assert_client_err(&o, "tls: unknown issuer");
    let o = run(
        client(&["ca1.pem"], EXPIRED),
        "wrong.test",
        server("expired"),
    );
    assert_client_err(&o, "tls: hostname mismatch");
}

#[test]
fn not_yet_valid_and_allow_expired() {
    let o = run(client(&["ca1.pem"], NONE), "localhost", server("notyet"));
    assert_client_err(&o, "tls: certificate not yet valid");
    assert_ok(&run(
        client(&["ca1.pem"], EXPIRED),
        "localhost",
        server("notyet"),
    ));
}

#[test]
fn expired_self_signed_needs_both_flags() {
    let o = run(
        client(&["ca1.pem"], SELFSIGNED),
        "localhost",
        server("self_expired"),
    );
    assert_client_err(&o, "tls: certificate expired");
    let o = run(
        client(&["ca1.pem"], EXPIRED),
        "localhost",
        server("self_expired"),
    );
    assert_client_err(&o, "tls: unknown issuer (self-signed certificate)");
    let both = VerifyFlags {
        allow_expired: true,
        ..SELFSIGNED
    };
    assert_ok(&run(
        client(&["ca1.pem"], both),
        "localhost",
        server("self_expired"),
    ));
}

#[test]
fn flags_from_lccscf_bits() {
    assert_eq!(VerifyFlags::from_lccscf(1), NONE);
    assert_eq!(VerifyFlags::from_lccscf(1 | 2), SELFSIGNED);
    assert_eq!(VerifyFlags::from_lccscf(4), SKIP_NAME);
    assert_eq!(VerifyFlags::from_lccscf(8), EXPIRED);
    assert_eq!(VerifyFlags::from_lccscf(16), INSECURE);
}

// ------------------------------------------------------------------------------------
// Client certificates

fn require_client_cert(ca: &str) -> Arc<ServerConfig> {
    let k = certs();
    server_config(&ServerTlsSpec {
        client_ca: Some(k.pem(ca)),
        require_client_cert: true,
        ..spec("localhost")
    })
    .unwrap()
}

fn with_client_cert(cert: &str) -> Arc<ClientConfig> {
    let k = certs();
    ClientTls::new(&ClientTlsSpec {
        ca: vec![k.pem("ca1.pem")],
        client_cert: Some((k.pem(&format!("{cert}.pem")), k.pem(&format!("{cert}.key")))),
        ..ClientTlsSpec::default()
    })
    .unwrap()
    .config(NONE, &[])
}

#[test]
fn client_certificate_required() {
    let o = run(
        with_client_cert("client"),
        "localhost",
        require_client_cert("ca1.pem"),
    );
    assert_ok(&o);
    let peer = o.s.tls.connection().unwrap().peer_certificates().unwrap();
    assert_eq!(peer[0].as_ref(), certs().der("client.pem").as_slice());

    // No client certificate: the server refuses, the client hears why.
    let o = run(
        client(&["ca1.pem"], NONE),
        "localhost",
        require_client_cert("ca1.pem"),
    );
    assert_eq!(o.server_err(), "tls: peer sent no certificate");
    assert!(o.client_err().starts_with("tls: "), "{:?}", o.c.err);

    // A certificate from another CA.
    let o = run(
        with_client_cert("client2"),
        "localhost",
        require_client_cert("ca1.pem"),
    );
    assert_eq!(o.server_err(), "tls: unknown issuer");
    assert!(o.client_err().starts_with("tls: "), "{:?}", o.c.err);
}

#[test]
fn client_certificate_not_asked_for() {
    let o = run(with_client_cert("client"), "localhost", server("localhost"));
    assert_ok(&o);
    assert!(o.s.tls.connection().unwrap().peer_certificates().is_none());
}

// ------------------------------------------------------------------------------------
// SNI and ALPN

fn peer_leaf(side: &Side) -> Vec<u8> {
    side.tls.connection().unwrap().peer_certificates().unwrap()[0]
        .as_ref()
        .to_vec()
}

#[test]
fn sni_chooses_the_certificate() {
    let k = certs();
    let cfg = sni_server_config(&[
        (vec!["a.test".to_string()], spec("a")),
        (
            vec!["B.Test".to_string(), "www.b.test".to_string()],
            spec("b"),
        ),
    ])
    .unwrap();
    let o = run(client(&["ca1.pem"], NONE), "b.test", cfg.clone());
    assert_ok(&o);
    assert_eq!(o.s.tls.sni_hostname(), Some("b.test"));
    assert_eq!(peer_leaf(&o.c), k.der("b.pem"));
    let o = run(client(&["ca1.pem"], NONE), "a.test", cfg.clone());
    assert_ok(&o);
    assert_eq!(peer_leaf(&o.c), k.der("a.pem"));
    // Case-insensitive; a subdomain matches its parent; unknown names get the first.
    let o = run(client(&["ca1.pem"], SKIP_NAME), "WWW.B.TEST", cfg.clone());
    assert_eq!(peer_leaf(&o.c), k.der("b.pem"));
    let o = run(client(&["ca1.pem"], SKIP_NAME), "x.y.b.test", cfg.clone());
    assert_eq!(peer_leaf(&o.c), k.der("b.pem"));
    let o = run(client(&["ca1.pem"], SKIP_NAME), "nob.test", cfg.clone());
    assert_eq!(peer_leaf(&o.c), k.der("a.pem"));
    let o = run(client(&["ca1.pem"], SKIP_NAME), "127.0.0.1", cfg);
    assert_ok(&o);
    assert_eq!(peer_leaf(&o.c), k.der("a.pem"));
}

#[test]
fn sni_entries_must_agree_on_client_cert_policy() {
    let k = certs();
    let strict = ServerTlsSpec {
        client_ca: Some(k.pem("ca1.pem")),
        require_client_cert: true,
        ..spec("b")
    };
    let err = sni_server_config(&[
        (vec!["a.test".into()], spec("a")),
        (vec!["b.test".into()], strict),
    ])
    .unwrap_err();
    assert!(
        err.to_string().starts_with("tls: vhosts sharing a port"),
        "{err}"
    );
}

#[test]
fn alpn_http11_negotiated() {
    let srv = server_config(&ServerTlsSpec {
        alpn: parse_alpn_list("http/1.1"),
        ..spec("localhost")
    })
    .unwrap();
    let tls = client_tls(&["ca1.pem"]);
    let o = run(
        tls.config(NONE, &parse_alpn_list("h2, http/1.1")),
        "localhost",
        srv.clone(),
    );
    assert_ok(&o);
    assert_eq!(o.c.tls.alpn_protocol(), Some(&b"http/1.1"[..]));
    assert_eq!(o.s.tls.alpn_protocol(), Some(&b"http/1.1"[..]));
    // No ALPN offered: none negotiated.
    let o = run(tls.config(NONE, &[]), "localhost", srv);
    assert_ok(&o);
    assert_eq!(o.c.tls.alpn_protocol(), None);
}

#[test]
fn client_configs_are_cached_per_flags_and_alpn() {
    let tls = client_tls(&["ca1.pem"]);
    let h1 = parse_alpn_list("http/1.1");
    let a = tls.config(NONE, &h1);
    assert!(Arc::ptr_eq(&a, &tls.config(NONE, &h1)));
    assert!(!Arc::ptr_eq(&a, &tls.config(NONE, &[])));
    assert!(!Arc::ptr_eq(&a, &tls.config(SELFSIGNED, &h1)));
    assert_eq!(a.alpn_protocols, h1);
}

// ------------------------------------------------------------------------------------
// Loading certificates and keys

#[test]
fn key_formats() {
    let k = certs();
    // PKCS#8 (EC), SEC1 (EC), PKCS#1 (RSA), and DER.
    for (cert, key) in [
        ("localhost.pem", "localhost.key"),
        ("localhost.pem", "localhost_sec1.key"),
        ("rsa.pem", "rsa.key"),
    ] {
        let text = std::fs::read_to_string(k.path(key)).unwrap();
        let cfg = server_config(&ServerTlsSpec {
            cert_chain: k.pem(cert),
            key: k.pem(key),
            ..ServerTlsSpec::default()
        })
        .unwrap_or_else(|e| panic!("{key}: {e}"));
        assert_ok(&run(client(&["ca1.pem"], NONE), "localhost", cfg));
        let der = parse_key(&k.pem(key), key).unwrap();
        let from_der = parse_key(&Pem(der.secret_der().to_vec()), key).unwrap();
        assert_eq!(
            der.secret_der(),
            from_der.secret_der(),
            "{key} {}",
            &text[..30]
        );
    }
    assert!(std::fs::read_to_string(k.path("rsa.key"))
        .unwrap()
        .starts_with("-----BEGIN RSA PRIVATE KEY"));
    assert!(std::fs::read_to_string(k.path("localhost_sec1.key"))
        .unwrap()
        .starts_with("-----BEGIN EC PRIVATE KEY"));
    // A DER certificate is accepted as a chain of one.
    let der = parse_certs(&Pem(k.der("localhost.pem")), "x").unwrap();
    assert_eq!(der.len(), 1);
    let chain = parse_certs(&k.chain(&["leaf_i.pem", "inter.pem"]), "x").unwrap();
    assert_eq!(chain.len(), 2);
}

#[test]
fn configuration_errors() {
    let k = certs();
    let missing = Pem::from_file(k.path("nope.pem")).unwrap_err().to_string();
    assert!(
        missing.starts_with("tls: cannot read ") && missing.contains("nope.pem"),
        "{missing}"
    );

    let bad = |spec: ServerTlsSpec| server_config(&spec).unwrap_err().to_string();
    let e = bad(ServerTlsSpec {
        key: k.pem("a.key"),
        ..spec("localhost")
    });
    assert!(e.starts_with("tls: server certificate/key: "), "{e}");
    let e = bad(ServerTlsSpec {
        key: k.pem("localhost_enc.key"),
        ..spec("localhost")
    });
    assert_eq!(
        e,
        "tls: server private key: encrypted private keys are not supported"
    );
    let e = bad(ServerTlsSpec {
        cert_chain: Pem::default(),
        ..spec("localhost")
    });
    assert_eq!(e, "tls: server certificate: no certificate found");
    let e = bad(ServerTlsSpec {
        key: k.pem("localhost.pem"),
        ..spec("localhost")
    });
    assert!(
        e.starts_with("tls: server private key: no usable private key"),
        "{e}"
    );
    let e = bad(ServerTlsSpec {
        require_client_cert: true,
        ..spec("localhost")
    });
    assert!(e.contains("no CA"), "{e}");
    assert!(sni_server_config(&[]).is_err());

    // A client certificate that cannot be used is fatal (B3.4).
    let e = ClientTls::new(&ClientTlsSpec {
        client_cert: Some((k.pem("client.pem"), k.pem("a.key"))),
        ..ClientTlsSpec::default()
    })
    .unwrap_err()
    .to_string();
    assert!(e.starts_with("tls: client certificate/key: "), "{e}");
    let e = ClientTls::new(&ClientTlsSpec {
        client_cert: Some((Pem::default(), k.pem("client.key"))),
        ..ClientTlsSpec::default()
    })
    .unwrap_err()
    .to_string();
    assert_eq!(e, "tls: client certificate: no certificate found");
    // Bad server names.
    let cfg = client(&["ca1.pem"], NONE);
    assert!(TlsSession::client(cfg, "bad name!").is_err());
    // Key material never shows in Debug.
    assert_eq!(format!("{:?}", Pem(vec![1, 2, 3])), "Pem(3 bytes)");
}

// ------------------------------------------------------------------------------------
// Cipher lists

fn suites(cfg: &ClientConfig) -> Vec<rustls::CipherSuite> {
    cfg.crypto_provider()
        .cipher_suites
        .iter()
        .map(|s| s.suite())
        .collect()
}

#[test]
fn cipher_lists_map_known_names_and_warn_about_the_rest() {
    use rustls::CipherSuite as C;
    let tls = ClientTls::new(&ClientTlsSpec {
        ca: vec![certs().pem("ca1.pem")],
        cipher_list: Some(
            "ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA:TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:!aNULL:!MD5:@STRENGTH".into(),
        ),
        tls13_cipher_list: Some("TLS_CHACHA20_POLY1305_SHA256".into()),
        ..ClientTlsSpec::default()
    })
    .unwrap();
    let cfg = tls.config(NONE, &[]);
    assert_eq!(
        suites(&cfg),
        [
            C::TLS13_CHACHA20_POLY1305_SHA256,
            C::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            C::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
        ]
    );
    assert_eq!(tls.warnings().len(), 2, "{:?}", tls.warnings());
    assert!(tls.warnings()[0].contains("'AES128-SHA'"));
    assert!(tls.warnings()[1].contains("'@STRENGTH'"));
    let o = run(cfg, "localhost", server("localhost"));
    assert_ok(&o);
    let negotiated =
        o.c.tls
            .connection()
            .unwrap()
            .negotiated_cipher_suite()
            .unwrap()
            .suite();
    assert_eq!(negotiated, C::TLS13_CHACHA20_POLY1305_SHA256);
}

#[test]
fn cipher_lists_can_force_tls12() {
    use rustls::CipherSuite as C;
    let tls = ClientTls::new(&ClientTlsSpec {
        ca: vec![certs().pem("ca1.pem")],
        cipher_list: Some("ECDHE-ECDSA-AES256-GCM-SHA384".into()),
        tls13_cipher_list: Some(
            "!TLS_AES_128_GCM_SHA256:!TLS_AES_256_GCM_SHA384:!TLS_CHACHA20_POLY1305_SHA256".into(),
        ),
        ..ClientTlsSpec::default()
    })
    .unwrap();
    assert!(tls.warnings().is_empty(), "{:?}", tls.warnings());
    let cfg = tls.config(NONE, &[]);
    assert_eq!(suites(&cfg), [C::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]);
    let o = run(cfg, "localhost", server("localhost"));
    assert_ok(&o);
    assert_eq!(
        o.c.tls.protocol_version(),
        Some(rustls::ProtocolVersion::TLSv1_2)
    );
    // TLS 1.2 verification goes through the same verifier and words.
    let tls12_only = |flags| {
        ClientTls::new(&ClientTlsSpec {
            tls13_cipher_list: Some(
                "!TLS_AES_128_GCM_SHA256:!TLS_AES_256_GCM_SHA384:!TLS_CHACHA20_POLY1305_SHA256"
                    .into(),
            ),
            ..ClientTlsSpec::default()
        })
        .unwrap()
        .config(flags, &[])
    };
    let o = run(tls12_only(NONE), "localhost", server("self_leaf"));
    assert_client_err(&o, "tls: unknown issuer (self-signed certificate)");
    assert_ok(&run(
        tls12_only(SELFSIGNED),
        "localhost",
        server("self_leaf"),
    ));
    // RSA server key over TLS 1.2 (this client trusts no CA).
    let o = run(tls12_only(NONE), "localhost", server("rsa"));
    assert_client_err(&o, "tls: unknown issuer");
    let o = run(tls12_only(INSECURE), "localhost", server("rsa"));
    assert_ok(&o);
    assert_eq!(
        o.c.tls.protocol_version(),
        Some(rustls::ProtocolVersion::TLSv1_2)
    );
}

#[test]
fn cipher_lists_fall_back_to_defaults() {
    let defaults = rustls::crypto::ring::default_provider().cipher_suites.len();
    for (list, warnings) in [("HIGH:!aNULL", 0), ("RC4-SHA:DES-CBC3-SHA", 2), ("", 0)] {
        let tls = ClientTls::new(&ClientTlsSpec {
            cipher_list: Some(list.into()),
            ..ClientTlsSpec::default()
        })
        .unwrap();
        assert_eq!(suites(&tls.config(NONE, &[])).len(), defaults, "{list}");
        assert_eq!(
            tls.warnings().len(),
            warnings,
            "{list}: {:?}",
            tls.warnings()
        );
    }
    // Excluding everything leaves the defaults, with a warning.
    let all = "!TLS_AES_128_GCM_SHA256:!TLS_AES_256_GCM_SHA384:!TLS_CHACHA20_POLY1305_SHA256:\
        !ECDHE-ECDSA-AES128-GCM-SHA256:!ECDHE-ECDSA-AES256-GCM-SHA384:!ECDHE-ECDSA-CHACHA20-POLY1305:\
        !ECDHE-RSA-AES128-GCM-SHA256:!ECDHE-RSA-AES256-GCM-SHA384:!ECDHE-RSA-CHACHA20-POLY1305";
    let tls = ClientTls::new(&ClientTlsSpec {
        cipher_list: Some(all.into()),
        ..ClientTlsSpec::default()
    })
    .unwrap();
    assert_eq!(suites(&tls.config(NONE, &[])).len(), defaults);
    assert_eq!(tls.warnings().len(), 1, "{:?}", tls.warnings());
}

// ------------------------------------------------------------------------------------
// Per-vhost selection from the ClientHello

fn selector() -> Arc<ServerTlsSelector> {
    let k = certs();
    ServerTlsSelector::new(&[
        (
            vec!["a.test".to_string()],
            ServerTlsSpec {
                alpn: parse_alpn_list("http/1.1"),
                ..spec("a")
            },
        ),
        (
            vec!["b.test".to_string()],
            ServerTlsSpec {
                client_ca: Some(k.pem("ca1.pem")),
                require_client_cert: true,
                ..spec("b")
            },
        ),
    ])
    .unwrap()
}

#[test]
fn selector_applies_each_vhosts_policy() {
    let k = certs();
    let sel = selector();
    assert_eq!(sel.vhost_index(Some("B.TEST.")), 1);
    assert_eq!(sel.vhost_index(Some("www.a.test")), 0);
    assert_eq!(sel.vhost_index(None), 0);
    let h1 = parse_alpn_list("http/1.1");

    // a.test: ALPN, no client certificate.
    let o = run_with(
        client_tls(&["ca1.pem"]).config(NONE, &h1),
        "a.test",
        TlsSession::server_select(sel.clone()),
    );
    assert_ok(&o);
    assert_eq!(o.s.tls.sni_hostname(), Some("a.test"));
    assert_eq!(o.s.tls.alpn_protocol(), Some(&b"http/1.1"[..]));
    assert_eq!(peer_leaf(&o.c), k.der("a.pem"));

    // b.test: requires a client certificate, has no ALPN.
    let o = run_with(
        client(&["ca1.pem"], NONE),
        "b.test",
        TlsSession::server_select(sel.clone()),
    );
    assert_eq!(o.server_err(), "tls: peer sent no certificate");
    let with_cert = ClientTls::new(&ClientTlsSpec {
        ca: vec![k.pem("ca1.pem")],
        client_cert: Some((k.pem("client.pem"), k.pem("client.key"))),
        ..ClientTlsSpec::default()
    })
    .unwrap();
    let o = run_with(
        with_cert.config(NONE, &h1),
        "b.test",
        TlsSession::server_select(sel),
    );
    assert_ok(&o);
    assert_eq!(peer_leaf(&o.c), k.der("b.pem"));
    assert_eq!(o.s.tls.alpn_protocol(), None);
    assert!(o.s.tls.connection().unwrap().peer_certificates().is_some());
}

#[test]
fn alpn_without_overlap() {
    let h2 = parse_alpn_list("h2");
    // rustls on its own refuses the handshake...
    let srv = server_config(&ServerTlsSpec {
        alpn: parse_alpn_list("http/1.1"),
        ..spec("a")
    })
    .unwrap();
    let o = run(client_tls(&["ca1.pem"]).config(NONE, &h2), "a.test", srv);
    assert!(o.client_err().starts_with("tls: "), "{:?}", o.c.err);
    assert!(o.server_err().starts_with("tls: "), "{:?}", o.s.err);
    // ... the selector serves the client without ALPN, as lws on OpenSSL does.
    let o = run_with(
        client_tls(&["ca1.pem"]).config(NONE, &h2),
        "a.test",
        TlsSession::server_select(selector()),
    );
    assert_ok(&o);
    assert_eq!(o.c.tls.alpn_protocol(), None);
}

#[test]
fn selector_session_queues_early_writes() {
    let mut server = TlsSession::server_select(selector());
    assert!(server.is_handshaking());
    assert!(!server.wants_write());
    assert!(server.connection().is_none());
    server.write_plain(b"hello from the server").unwrap();
    let (cs, ss) = tcp_pair();
    let mut c = Side {
        tls: TlsSession::client(client(&["ca1.pem"], NONE), "a.test").unwrap(),
        sock: cs,
        inbox: Vec::new(),
        err: None,
        eof: false,
    };
    let mut s = Side {
        tls: server,
        sock: ss,
        inbox: Vec::new(),
        err: None,
        eof: false,
    };
    assert!(pump(&mut c, &mut s, |c, _| c.inbox == b"hello from the server"));
}

#[test]
fn selector_refuses_plain_text_with_an_alert() {
    let (mut cs, ss) = tcp_pair();
    let mut s = Side {
        tls: TlsSession::server_select(selector()),
        sock: ss,
        inbox: Vec::new(),
        err: None,
        eof: false,
    };
    cs.write_all(b"GET / HTTP/1.1\r\nHost: a.test\r\n\r\n")
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while s.err.is_none() && Instant::now() < deadline {
        if !s.step() {
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    let err = s.err.clone().unwrap();
    assert!(err.starts_with("tls: "), "{err}");
    // The alert went out (Side::step flushes after an error)...
    assert!(!s.tls.wants_write());
    let mut buf = [0u8; 64];
    let n = loop {
        match cs.read(&mut buf) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(1));
            }
            other => break other.unwrap(),
        }
    };
    assert!(n >= 7 && buf[0] == 0x15, "{:?}", &buf[..n]);
    // ... and the error stays.
    let again = s.tls.read_from(&mut s.sock, &mut Vec::new()).unwrap_err();
    assert_eq!(again.to_string(), err);
    assert!(s.tls.write_plain(b"x").is_err());
}

#[test]
fn selector_peer_closed_before_client_hello() {
    let (cs, mut ss) = tcp_pair();
    drop(cs);
    let mut tls = TlsSession::server_select(selector());
    let deadline = Instant::now() + Duration::from_secs(5);
    let err = loop {
        match tls.read_from(&mut ss, &mut Vec::new()) {
            Err(e) if e.is_would_block() && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(1));
            }
            Err(e) => break e,
            Ok(n) => panic!("read {n}"),
        }
    };
    assert_eq!(err.to_string(), "tls: peer closed during handshake");
}
