//! HTTP proxying of client connections (lws's `LWS_CLIENT_HTTP_PROXYING`):
//! a vhost's proxy setting (`info.http_proxy_address` / `_port`, the
//! `http_proxy` environment variable, `lws_set_proxy`), the `CONNECT` request a
//! client sends to the proxy and the proxy's answer, after which TLS or the
//! handshake goes through the tunnel.
#![forbid(unsafe_code)]

use super::close::Ending;
use super::conn::ConnId;
use super::context::Core;
use super::timers::{now_us, TimerTarget};
use super::VhostId;
use crate::log::level;
use crate::lwsl;

/// lws's `http_proxy_address[128]`: longer addresses are cut.
const ADDRESS_ROOM: usize = 128;
/// lws's `authstring[96]`: the `user:pass` part before the `@`.
const AUTH_ROOM: usize = 96;
/// lws's `proxy_basic_auth_token[128]`: the base64 of `user:pass`.
const TOKEN_ROOM: usize = 128;

/// A vhost's proxy, field for field lws's: in use while `port` is not 0.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProxySetting {
    pub address: String,
    /// As lws stores it (`atoi` of what follows the `:`), used as a 16-bit
    /// port when connecting.
    pub port: u32,
    /// The base64 of `user:pass` for `Proxy-authorization: basic`.
    pub auth: Option<String>,
}

impl ProxySetting {
    /// Whether client connections go through it.
    pub fn in_use(&self) -> bool {
        self.port != 0
    }

    /// Applies an `lws_set_proxy` string (`[http://][user:pass@]host[:port]`,
    /// `[v6]:port`) to this setting, as lws does: a string without a port
    /// keeps the port already set (`info.http_proxy_port`), and fails when
    /// there is none. On failure the setting is unchanged; the error is the
    /// line lws logs.
    pub fn apply(&mut self, text: &str) -> Result<(), &'static str> {
        let text = text.strip_prefix("http://").unwrap_or(text);
        let (auth, rest) = match text.rfind('@') {
            Some(at) => {
                let cred = &text.as_bytes()[..at];
                if cred.len() > AUTH_ROOM - 1 {
                    return Err("proxy auth too long");
                }
                let mut token = [0u8; TOKEN_ROOM];
                let n =
                    crate::text::base64::encode(crate::text::base64::STANDARD, cred, &mut token)
                        .ok_or("proxy auth too long")?;
                (
                    Some(String::from_utf8_lossy(&token[..n]).into_owned()),
                    &text[at + 1..],
                )
            }
            None => (None, text),
        };
        let (host, port_text) = match rest.strip_prefix('[') {
            Some(v6) => {
                let cut = cut_to(v6, ADDRESS_ROOM - 1);
                let Some((h, tail)) = cut.split_once(']') else {
                    return Err("malformed proxy");
                };
                (h, tail.split_once(':').map(|(_, p)| p))
            }
            None => {
                let cut = cut_to(rest, ADDRESS_ROOM - 1);
                match cut.split_once(':') {
                    Some((h, p)) => (h, Some(p)),
                    None => (cut, None),
                }
            }
        };
        let port = match port_text {
            Some(p) => atoi(p),
            None if self.port == 0 => return Err("http_proxy needs to be ads:port"),
            None => self.port,
        };
        *self = ProxySetting {
            address: host.to_string(),
            port,
            auth,
        };
        Ok(())
    }
}

/// `s` cut to at most `max` bytes, on a character boundary.
fn cut_to(s: &str, max: usize) -> &str {
    let mut n = s.len().min(max);
    while !s.is_char_boundary(n) {
        n -= 1;
    }
    &s[..n]
}

/// C's `atoi` for a port: leading digits, 0 when there are none.
fn atoi(s: &str) -> u32 {
    s.trim_start()
        .bytes()
        .take_while(u8::is_ascii_digit)
        .fold(0u32, |n, d| {
            n.wrapping_mul(10).wrapping_add(u32::from(d - b'0'))
        })
}

/// The request that opens the tunnel to `address:port`, with the proxy's
/// credentials when the setting has them (lws's header spellings).
pub fn connect_request(address: &str, port: u16, auth: Option<&str>) -> Vec<u8> {
    // An IPv6 literal is bracketed (RFC 9110 authority form).
    let target = if address.contains(':') && !address.starts_with('[') {
        format!("[{address}]:{port}")
    } else {
        format!("{address}:{port}")
    };
    let mut s = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\nUser-agent: lws\r\n");
    if let Some(token) = auth {
        s.push_str(&format!("Proxy-authorization: basic {token}\r\n"));
    }
    s.push_str("\r\n");
    s.into_bytes()
}

/// A client connection on its way through the proxy: the TLS session (for
/// wss / https) waits until the tunnel is open, the bytes before it are plain.
#[derive(Debug)]
pub enum Tunnel {
    /// The TCP connect to the proxy is under way.
    Dialing {
        tls: Option<Box<crate::tls::session::TlsSession>>,
    },
    /// `CONNECT` sent; the proxy's answer is awaited.
    Awaiting {
        tls: Option<Box<crate::tls::session::TlsSession>>,
    },
}

/// What the proxy's answer says so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// More is needed.
    Partial,
    /// A 200 whose head takes the first `usize` bytes: the tunnel is open.
    Open(usize),
    /// The tunnel will not open: the CLIENT_CONNECTION_ERROR text.
    Refused(String),
}

/// Judges the proxy's answer in `buf`. The status is acted on as soon as the
/// status line shows it (a refusal need not be read to its end); a 200 is
/// taken once its head is complete, so no header of the proxy reaches the
/// tunnel. A head longer than `max` is refused.
pub fn judge_answer(buf: &[u8], max: usize) -> Answer {
    // lws's sanity check: "HTTP/1.0 " or "HTTP/1.1 " and a status.
    let prefix = b"HTTP/1.";
    let seen = buf.len().min(prefix.len());
    if buf[..seen] != prefix[..seen]
        || buf.get(7).is_some_and(|b| !matches!(b, b'0' | b'1'))
        || buf.get(8).is_some_and(|b| *b != b' ')
    {
        return Answer::Refused("http_proxy fail".into());
    }
    // The status is known once its line ended or a character follows its
    // three digits (lws reads it with atoi).
    if buf.contains(&b'\n') || buf.len() >= 13 {
        let digits = buf.get(9..buf.len().min(20)).unwrap_or_default();
        let code = atoi(&String::from_utf8_lossy(digits));
        if code != 200 {
            return Answer::Refused(format!("http_proxy -> {code}"));
        }
    }
    // A 200: the tunnel opens after the blank line that ends the head
    // (its header lines are the proxy's business and are skipped).
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4);
    match end {
        Some(n) if n <= max => Answer::Open(n),
        None if buf.len() <= max => Answer::Partial,
        _ => Answer::Refused("http_proxy fail: answer head too long".into()),
    }
}

impl Core {
    /// `lws_set_proxy` (and the vhost's creation: `port` is
    /// `info.http_proxy_port`, set first as lws does).
    pub fn set_proxy(
        &mut self,
        vhost: VhostId,
        text: &str,
        port: Option<u32>,
    ) -> Result<(), &'static str> {
        let v = self
            .vhosts
            .get_mut(vhost.0)
            .filter(|v| v.life != super::vhost::Life::Destroyed)
            .ok_or("vhost destroyed")?;
        if let Some(p) = port.filter(|p| *p != 0) {
            v.proxy.port = p;
        }
        v.proxy.apply(text)?;
        if v.proxy.auth.is_some() {
            lwsl!(level::INFO, "vhost {}: Proxy auth in use", v.name);
        }
        lwsl!(
            level::INFO,
            "vhost {}: Proxy {}:{}",
            v.name,
            v.proxy.address,
            v.proxy.port
        );
        Ok(())
    }

    /// The TCP connect to the proxy completed: the CONNECT request goes out
    /// and the answer is awaited within `timeout_secs`.
    pub(super) fn send_proxy_connect(&mut self, id: ConnId) {
        let secs = u64::from(self.settings.timeout_secs);
        let Some(c) = self.conn(id) else {
            return;
        };
        let auth = self.vhost(c.vhost).and_then(|v| v.proxy.auth.clone());
        let Some(spec) = c.client.as_ref() else {
            return;
        };
        let req = connect_request(&spec.address, spec.port, auth.as_deref());
        lwsl!(level::INFO, "conn {}: going via proxy", id.index);
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        let Some(dialing) = c.dialing_mut() else {
            return;
        };
        dialing.tunnel = match dialing.tunnel.take() {
            Some(Tunnel::Dialing { tls } | Tunnel::Awaiting { tls }) => {
                Some(Tunnel::Awaiting { tls })
            }
            None => None,
        };
        c.conmon_mut().connected(false);
        if c.queue(&req).is_err() {
            return self.finish(id, Ending::ClientError("proxy write failed".into()));
        }
        self.timers
            .schedule(TimerTarget::ConnTimeout(id), now_us() + secs * 1_000_000);
        self.ready.push_back(id);
    }

    /// Reads the proxy's answer from the buffered input: on a 200 the tunnel
    /// is open and the connection goes on as if it had just connected to
    /// the server (TLS, then the handshake or request).
    pub(super) fn proxy_answer(&mut self, id: ConnId) {
        let max = self.settings.max_header;
        let Some(c) = self.conn_mut(id) else {
            return;
        };
        match judge_answer(c.unread(), max) {
            Answer::Partial => {}
            Answer::Refused(why) => self.finish(id, Ending::ClientError(why)),
            Answer::Open(n) => {
                c.in_pos += n;
                let tls = match c.dialing_mut().and_then(|d| d.tunnel.take()) {
                    Some(Tunnel::Dialing { tls } | Tunnel::Awaiting { tls }) => tls,
                    None => None,
                };
                if tls.is_some() && !c.unread().is_empty() {
                    // A TLS server does not speak first: these bytes are the proxy's.
                    return self.finish(id, Ending::ClientError("http_proxy fail".into()));
                }
                lwsl!(
                    level::INFO,
                    "conn {}: proxy connection established",
                    id.index
                );
                c.tls = tls;
                self.timers.cancel(TimerTarget::ConnTimeout(id));
                self.on_connected(id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str) -> Result<ProxySetting, &'static str> {
        let mut s = ProxySetting::default();
        s.apply(text).map(|()| s)
    }

    #[test]
    fn settings_parse_as_lws_set_proxy() {
        let s = set("127.0.0.1:3128").unwrap_or_default();
        assert_eq!(
            (s.address.as_str(), s.port, s.auth),
            ("127.0.0.1", 3128, None)
        );
        let s = set("http://user:pass@proxy.example:8080").unwrap_or_default();
        assert_eq!((s.address.as_str(), s.port), ("proxy.example", 8080));
        assert_eq!(s.auth.as_deref(), Some("dXNlcjpwYXNz"));
        // The last '@' separates the credentials.
        let s = set("a@b:c@h:1").unwrap_or_default();
        assert_eq!(s.auth.as_deref(), Some("YUBiOmM="));
        assert_eq!(s.address, "h");
        let s = set("[::1]:3128").unwrap_or_default();
        assert_eq!((s.address.as_str(), s.port), ("::1", 3128));
        assert_eq!(set("[::1:3128"), Err("malformed proxy"));
        assert_eq!(set("host"), Err("http_proxy needs to be ads:port"));
        // atoi: trailing junk ignored, no digits is port 0 (not in use).
        assert_eq!(set("h:81/").map(|s| s.port), Ok(81));
        assert_eq!(set("h:x").map(|s| s.in_use()), Ok(false));
        // user:pass up to 93 bytes fits lws's 128-byte token, 94 does not.
        let ok = format!("{}@h:1", "u".repeat(93));
        assert!(set(&ok).is_ok());
        let long = format!("{}@h:1", "u".repeat(94));
        assert_eq!(set(&long), Err("proxy auth too long"));
        let longer = format!("{}@h:1", "u".repeat(96));
        assert_eq!(set(&longer), Err("proxy auth too long"));
    }

    #[test]
    fn port_from_info_is_kept_when_the_string_has_none() {
        let mut s = ProxySetting {
            port: 8888,
            ..ProxySetting::default()
        };
        assert_eq!(s.apply("localhost"), Ok(()));
        assert_eq!((s.address.as_str(), s.port), ("localhost", 8888));
        // A failed call leaves the setting as it was.
        let before = s.clone();
        assert!(s.apply("[oops").is_err());
        assert_eq!(s, before);
        // Credentials go away with a string that has none.
        assert_eq!(s.apply("u:p@h:1"), Ok(()));
        assert_eq!(s.apply("h:2"), Ok(()));
        assert_eq!(s.auth, None);
    }

    #[test]
    fn connect_request_is_lws_s() {
        let r = connect_request("example.com", 443, Some("dXNlcjpwYXNz"));
        assert_eq!(
            String::from_utf8_lossy(&r),
            "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nUser-agent: lws\r\n\
             Proxy-authorization: basic dXNlcjpwYXNz\r\n\r\n"
        );
        let r = connect_request("::1", 80, None);
        assert!(String::from_utf8_lossy(&r)
            .starts_with("CONNECT [::1]:80 HTTP/1.1\r\nHost: [::1]:80\r\n"));
    }

    #[test]
    fn answers_are_judged_as_they_arrive() {
        let ok = b"HTTP/1.1 200 Connection established\r\nVia: p\r\n\r\nrest";
        for n in 0..ok.len() - 4 {
            assert_eq!(judge_answer(&ok[..n], 4096), Answer::Partial, "{n} bytes");
        }
        assert_eq!(judge_answer(ok, 4096), Answer::Open(ok.len() - 4));
        assert_eq!(
            judge_answer(b"HTTP/1.0 200 OK\r\n\r\n", 4096),
            Answer::Open(19)
        );
        // A refusal is known from its status line.
        assert_eq!(
            judge_answer(b"HTTP/1.1 407 Proxy Authentication Required\r\n", 4096),
            Answer::Refused("http_proxy -> 407".into())
        );
        assert_eq!(
            judge_answer(b"HTTP/1.1 502 ", 4096),
            Answer::Refused("http_proxy -> 502".into())
        );
        for bad in [&b"SSH-2.0"[..], b"HTTP/2 200", b"HTTP/1.1-200", b"X"] {
            assert_eq!(
                judge_answer(bad, 4096),
                Answer::Refused("http_proxy fail".into()),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
        // Header lines of the proxy are skipped, whatever they hold.
        let many = format!("HTTP/1.1 200 OK\r\n{}\r\n", "a: b\r\n".repeat(200));
        assert_eq!(
            judge_answer(many.as_bytes(), 4096),
            Answer::Open(many.len())
        );
    }

    #[test]
    fn a_head_that_never_ends_is_bounded() {
        let mut head = b"HTTP/1.1 200 OK\r\n".to_vec();
        while head.len() <= 4096 {
            assert_eq!(judge_answer(&head, 4096), Answer::Partial);
            head.extend_from_slice(b"X-Filler: aaaaaaaaaaaaaaaa\r\n");
        }
        assert_eq!(
            judge_answer(&head, 4096),
            Answer::Refused("http_proxy fail: answer head too long".into())
        );
        // Complete but too long is refused as well.
        head.extend_from_slice(b"\r\n");
        assert_eq!(
            judge_answer(&head, 4096),
            Answer::Refused("http_proxy fail: answer head too long".into())
        );
    }
}
