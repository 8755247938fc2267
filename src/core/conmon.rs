//! Connection monitoring of a client connection (lws-conmon.h): how long DNS, the
//! TCP connect, the TLS handshake and the first transaction took, and (with
//! `LCCSCF_CONMON`) the addresses DNS gave. lws measures the same four intervals at
//! the same points, for every client connection.
#![forbid(unsafe_code)]

use std::net::SocketAddrV4;

use super::timers::now_us;

/// `lws_conmon_dns_disposition_t`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DnsDisposition {
    /// No lookup was attempted.
    #[default]
    None,
    /// The lookup gave results.
    Ok,
    /// The resolver could not be reached.
    ServerUnreachable,
    /// The resolver answered with nothing usable.
    NoResult,
}

impl DnsDisposition {
    /// lws's value for it.
    pub fn code(self) -> u32 {
        match self {
            DnsDisposition::None => 0,
            DnsDisposition::Ok => 1,
            DnsDisposition::ServerUnreachable => 2,
            DnsDisposition::NoResult => 3,
        }
    }
}

/// Where the measurement of the next interval stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Step {
    #[default]
    Idle,
    /// TCP connect issued at this time.
    Connecting(u64),
    /// TLS handshake started at this time.
    Tls(u64),
    /// Request sent (or TLS done with the request queued) at this time.
    Transaction(u64),
}

/// What a client connection measured (microseconds, saturating at `u32::MAX`).
#[derive(Clone, Debug, Default)]
pub struct Conmon {
    /// `LCCSCF_CONMON`: keep the DNS results.
    pub keep_dns: bool,
    pub dns_us: u32,
    pub sockconn_us: u32,
    pub tls_us: u32,
    pub txn_resp_us: u32,
    pub dns: DnsDisposition,
    /// The IPv4 results (this build has no IPv6, as lws's default one), until taken.
    pub dns_results: Vec<SocketAddrV4>,
    /// The peer connected to.
    pub peer: Option<SocketAddrV4>,
    /// The first HTTP response status.
    pub http_response: Option<u16>,
    step: Step,
}

fn since(t: u64) -> u32 {
    u32::try_from(now_us().saturating_sub(t)).unwrap_or(u32::MAX)
}

impl Conmon {
    /// A fresh measurement; `keep_dns` with `LCCSCF_CONMON`.
    pub fn new(keep_dns: bool) -> Conmon {
        Conmon {
            keep_dns,
            ..Conmon::default()
        }
    }

    /// The lookup took `us` and ended as `dns` with these addresses.
    pub fn resolved(&mut self, us: u64, dns: DnsDisposition, addrs: &[std::net::SocketAddr]) {
        self.dns_us = u32::try_from(us).unwrap_or(u32::MAX);
        self.dns = dns;
        if self.keep_dns {
            for a in addrs {
                if let std::net::SocketAddr::V4(v4) = a {
                    if !self.dns_results.contains(v4) {
                        self.dns_results.push(*v4);
                    }
                }
            }
        }
    }

    /// The TCP connect was issued to `peer`.
    pub fn connecting(&mut self, peer: std::net::SocketAddr) {
        self.peer = match peer {
            std::net::SocketAddr::V4(v4) => Some(v4),
            std::net::SocketAddr::V6(_) => None,
        };
        self.sockconn_us = 0;
        self.step = Step::Connecting(now_us());
    }

    /// The TCP connect completed; a TLS handshake follows when `tls`.
    pub fn connected(&mut self, tls: bool) {
        if let Step::Connecting(t) = self.step {
            self.sockconn_us = since(t);
        }
        self.step = if tls { Step::Tls(now_us()) } else { Step::Idle };
    }

    /// True while the TLS handshake is being timed.
    pub fn timing_tls(&self) -> bool {
        matches!(self.step, Step::Tls(_))
    }

    /// The TLS handshake completed; the request (already queued) goes out now.
    pub fn tls_done(&mut self) {
        if let Step::Tls(t) = self.step {
            self.tls_us = since(t);
            self.step = Step::Transaction(now_us());
        }
    }

    /// The request was sent (a TLS connection sends it once the handshake is done).
    pub fn request_sent(&mut self) {
        if !self.timing_tls() {
            self.step = Step::Transaction(now_us());
        }
    }

    /// The response head arrived with `status` (HTTP; 0 for none).
    pub fn response(&mut self, status: Option<u16>) {
        if let Step::Transaction(t) = self.step {
            self.txn_resp_us = since(t);
            self.step = Step::Idle;
        }
        if self.http_response.is_none() {
            self.http_response = status;
        }
    }

    /// Everything measured, the DNS results moved out (a second take gets none).
    pub fn take(&mut self) -> Conmon {
        let mut out = self.clone();
        out.dns_results = std::mem::take(&mut self.dns_results);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_follow_the_steps_and_results_are_taken_once() {
        let mut m = Conmon::new(true);
        let a: std::net::SocketAddr = "127.0.0.1:80".parse().unwrap_or_else(|_| unreachable!());
        let b: std::net::SocketAddr = "[::1]:80".parse().unwrap_or_else(|_| unreachable!());
        m.resolved(12, DnsDisposition::Ok, &[a, b, a]);
        assert_eq!(m.dns_results.len(), 1, "IPv4 only, no duplicates");
        m.connecting(a);
        std::thread::sleep(std::time::Duration::from_millis(2));
        m.connected(true);
        assert!(m.sockconn_us >= 2000);
        m.request_sent();
        std::thread::sleep(std::time::Duration::from_millis(2));
        m.tls_done();
        assert!(m.tls_us >= 2000);
        m.response(Some(200));
        assert_eq!(m.http_response, Some(200));
        let t = m.take();
        assert_eq!(t.dns_results.len(), 1);
        assert_eq!(t.dns_us, 12);
        assert!(m.take().dns_results.is_empty());
    }
}
