//! The HTTP/1.1 upgrade handshake, both sides (RFC 6455 §4; spec B4.3, B5.4,
//! B12.5–B12.7).
#![forbid(unsafe_code)]

use super::deflate::{self, PmdParams};
use tungstenite::handshake::derive_accept_key;

/// Why a server refuses an upgrade request, and the HTTP status it answers
/// with (None: close without a response, as lws does).
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
    pub status: Option<u16>,
    pub reason: &'static str,
}

fn refuse(status: u16, reason: &'static str) -> Refusal {
    Refusal {
        status: Some(status),
        reason,
    }
}

/// Whether a comma-separated header value contains `token` (case-insensitive).
pub fn has_token(value: &str, token: &str) -> bool {
    value
        .split(',')
        .any(|t| t.trim().eq_ignore_ascii_case(token))
}

/// Checks an upgrade request (`header` looks a request header up by its
/// lower-case name); returns the accept key.
pub fn check_upgrade<'a>(
    method: &str,
    version_minor: u8,
    h: &dyn Fn(&str) -> Option<&'a str>,
) -> Result<String, Refusal> {
    if method != "GET" || version_minor < 1 {
        return Err(refuse(400, "websocket upgrade needs GET and HTTP/1.1"));
    }
    if !h("connection").is_some_and(|v| has_token(v, "upgrade")) {
        return Err(refuse(400, "Connection header lacks upgrade"));
    }
    if h("host").is_none() {
        return Err(refuse(400, "no Host header"));
    }
    if h("sec-websocket-version").map(str::trim) != Some("13") {
        return Err(refuse(426, "unsupported Sec-WebSocket-Version"));
    }
    let key = h("sec-websocket-key").map(str::trim).unwrap_or("");
    if !is_valid_key(key) {
        return Err(refuse(400, "bad Sec-WebSocket-Key"));
    }
    Ok(derive_accept_key(key.as_bytes()))
}

/// A key must be 16 bytes, base64-encoded: 22 base64 characters and "==".
fn is_valid_key(key: &str) -> bool {
    let b = key.as_bytes();
    b.len() == 24
        && b[22..] == *b"=="
        && b[..22]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
        && matches!(b[21], b'A' | b'Q' | b'g' | b'w')
}

/// The 101 response.
pub fn response_101(
    accept: &str,
    protocol: Option<&str>,
    extensions: Option<&str>,
    extra_headers: &[u8],
) -> Vec<u8> {
    let mut r = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n"
    );
    if let Some(p) = protocol {
        r.push_str("Sec-WebSocket-Protocol: ");
        r.push_str(p);
        r.push_str("\r\n");
    }
    if let Some(e) = extensions {
        r.push_str("Sec-WebSocket-Extensions: ");
        r.push_str(e);
        r.push_str("\r\n");
    }
    let mut out = r.into_bytes();
    out.extend_from_slice(extra_headers);
    out.extend_from_slice(b"\r\n");
    out
}

/// A complete error response with a small body, then the connection closes.
pub fn error_response(status: u16) -> Vec<u8> {
    let text = match status {
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        426 => "Upgrade Required",
        _ => "Error",
    };
    let body = format!("<html><body><h1>{status}</h1><p>{text}</p></body></html>");
    let extra = if status == 426 {
        "Sec-WebSocket-Version: 13\r\n"
    } else {
        ""
    };
    format!(
        "HTTP/1.1 {status} {text}\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n{extra}\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// What a client puts in its upgrade request (spec B4.3).
pub struct ClientRequest<'a> {
    pub path: &'a str,
    pub host: &'a str,
    pub origin: Option<&'a str>,
    pub protocol: Option<&'a str>,
    pub key: &'a str,
    /// The `Sec-WebSocket-Extensions` offer.
    pub extensions: Option<&'a str>,
}

/// The request head up to (not including) the appended headers and blank line.
pub fn client_request(r: &ClientRequest<'_>) -> Vec<u8> {
    let mut s = format!(
        "GET {} HTTP/1.1\r\nPragma: no-cache\r\nCache-Control: no-cache\r\nHost: {}\r\n",
        r.path, r.host
    );
    if let Some(o) = r.origin {
        s.push_str(&format!("Origin: {o}\r\n"));
    }
    s.push_str(&format!(
        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {}\r\n",
        r.key
    ));
    if let Some(p) = r.protocol {
        s.push_str(&format!("Sec-WebSocket-Protocol: {p}\r\n"));
    }
    if let Some(e) = r.extensions {
        s.push_str(&format!("Sec-WebSocket-Extensions: {e}\r\n"));
    }
    s.push_str("Sec-WebSocket-Version: 13\r\n");
    s.into_bytes()
}

/// What the server's 101 agreed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreed {
    /// The subprotocol it chose, if it named one.
    pub protocol: Option<String>,
    /// permessage-deflate, if it accepted our offer.
    pub deflate: Option<PmdParams>,
}

/// Checks the server's answer to our upgrade; the error strings are lws's
/// (spec B4.4). `offered_extensions` is the `Sec-WebSocket-Extensions` value we
/// sent: an answer naming anything else fails (RFC 6455 4.1).
pub fn check_response(
    status: u16,
    header: &dyn Fn(&str) -> Option<String>,
    key: &str,
    offered: Option<&str>,
    offered_extensions: Option<&str>,
) -> Result<Agreed, &'static str> {
    if status == 401 {
        return Err("HS: ws upgrade unauthorized");
    }
    if status != 101 {
        return Err("HS: ws upgrade response not 101");
    }
    match header("upgrade") {
        None => return Err("HS: UPGRADE missing"),
        Some(u) if !u.trim().eq_ignore_ascii_case("websocket") => {
            return Err("HS: Upgrade to something other than websocket")
        }
        Some(_) => {}
    }
    match header("connection") {
        None => return Err("HS: CONNECTION missing"),
        Some(c) if !has_token(&c, "upgrade") => return Err("HS: UPGRADE malformed"),
        Some(_) => {}
    }
    match header("sec-websocket-accept") {
        None => return Err("HS: ACCEPT missing"),
        Some(a) if a.trim() != derive_accept_key(key.as_bytes()) => {
            return Err("HS: Accept hash wrong")
        }
        Some(_) => {}
    }
    let chosen = header("sec-websocket-protocol").map(|p| p.trim().to_string());
    if let Some(c) = &chosen {
        let ok = offered.is_some_and(|o| o.split(',').any(|x| x.trim() == c));
        if !ok {
            return Err("HS: PROTOCOL malformed");
        }
    }
    let deflate = match header("sec-websocket-extensions") {
        None => None,
        Some(answer) => check_extensions(&answer, offered_extensions.unwrap_or(""))?,
    };
    Ok(Agreed {
        protocol: chosen,
        deflate,
    })
}

/// Every extension the server answered with must be one we offered, once, with
/// parameters our offer allows.
fn check_extensions(answer: &str, offer: &str) -> Result<Option<PmdParams>, &'static str> {
    const REJECTED: &str = "HS: EXT: Rejects server options";
    let answered = deflate::parse_extension_list(answer).ok_or(REJECTED)?;
    let offered = deflate::parse_extension_list(offer).unwrap_or_default();
    for (i, a) in answered.iter().enumerate() {
        if answered[..i].iter().any(|b| b.name == a.name) {
            return Err(REJECTED);
        }
        if a.name != deflate::NAME || !offered.iter().any(|o| o.name == a.name) {
            return Err("HS: EXT: unknown ext");
        }
    }
    if answered.is_empty() {
        return Ok(None);
    }
    deflate::check_response(offer, answer)
        .map(Some)
        .map_err(|_| REJECTED)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req<'a>(hs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<&'a str> + 'a {
        move |n: &str| {
            hs.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(n))
                .map(|(_, v)| *v)
        }
    }

    const GOOD: [(&str, &str); 4] = [
        ("Host", "x"),
        ("Connection", "keep-alive, Upgrade"),
        ("Sec-WebSocket-Version", "13"),
        ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
    ];

    #[test]
    fn rfc_example_key_is_accepted() {
        let h = req(&GOOD);
        assert_eq!(
            check_upgrade("GET", 1, &h),
            Ok("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=".to_string())
        );
    }

    #[test]
    fn bad_requests_get_4xx_spec_b12_6() {
        let mut v8 = GOOD;
        v8[2] = ("Sec-WebSocket-Version", "8");
        let mut badkey = GOOD;
        badkey[3] = ("Sec-WebSocket-Key", "short");
        let nokey = &GOOD[..3];
        for (hs, status) in [(&v8[..], 426), (&badkey[..], 400), (nokey, 400)] {
            let h = req(hs);
            assert_eq!(
                check_upgrade("GET", 1, &h).map_err(|e| e.status),
                Err(Some(status))
            );
        }
        let h = req(&GOOD);
        assert!(check_upgrade("POST", 1, &h).is_err());
        assert!(check_upgrade("GET", 0, &h).is_err());
    }

    #[test]
    fn client_checks_the_answer_spec_b4_4() {
        let key = "dGhlIHNhbXBsZSBub25jZQ==";
        let good = |n: &str| match n {
            "upgrade" => Some("websocket".to_string()),
            "connection" => Some("Upgrade".to_string()),
            "sec-websocket-accept" => Some("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=".to_string()),
            _ => None,
        };
        let none = Agreed {
            protocol: None,
            deflate: None,
        };
        assert_eq!(check_response(101, &good, key, None, None), Ok(none));
        assert_eq!(
            check_response(200, &good, key, None, None),
            Err("HS: ws upgrade response not 101")
        );
        let wrong = |n: &str| {
            if n == "sec-websocket-accept" {
                Some("x".into())
            } else {
                good(n)
            }
        };
        assert_eq!(
            check_response(101, &wrong, key, None, None),
            Err("HS: Accept hash wrong")
        );
        let proto = |n: &str| {
            if n == "sec-websocket-protocol" {
                Some("b".into())
            } else {
                good(n)
            }
        };
        assert_eq!(
            check_response(101, &proto, key, Some("a, b"), None).map(|a| a.protocol),
            Ok(Some("b".into()))
        );
        assert_eq!(
            check_response(101, &proto, key, Some("a"), None),
            Err("HS: PROTOCOL malformed")
        );
    }

    #[test]
    fn client_fails_extensions_it_did_not_offer_rfc6455_4_1() {
        let key = "dGhlIHNhbXBsZSBub25jZQ==";
        let with_ext = |ext: &'static str| {
            move |n: &str| match n {
                "upgrade" => Some("websocket".to_string()),
                "connection" => Some("Upgrade".to_string()),
                "sec-websocket-accept" => Some("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=".to_string()),
                "sec-websocket-extensions" => Some(ext.to_string()),
                _ => None,
            }
        };
        let offer = Some("permessage-deflate; client_max_window_bits");
        let pmd = with_ext("permessage-deflate; server_no_context_takeover");
        let agreed = check_response(101, &pmd, key, None, offer).map(|a| a.deflate);
        assert!(matches!(agreed, Ok(Some(p)) if p.server_no_context_takeover));
        // Not offered at all, or another extension, or twice, or bad parameters.
        assert_eq!(
            check_response(101, &pmd, key, None, None),
            Err("HS: EXT: unknown ext")
        );
        let other = with_ext("x-webkit-deflate-frame");
        assert_eq!(
            check_response(101, &other, key, None, offer),
            Err("HS: EXT: unknown ext")
        );
        let twice = with_ext("permessage-deflate, permessage-deflate");
        assert_eq!(
            check_response(101, &twice, key, None, offer),
            Err("HS: EXT: Rejects server options")
        );
        let bits = with_ext("permessage-deflate; server_max_window_bits=99");
        assert_eq!(
            check_response(101, &bits, key, None, offer),
            Err("HS: EXT: Rejects server options")
        );
    }
}
