//! Numeric IPv4/IPv6 addresses as text and bytes (lws-network-helper.h), and
//! the `lws_sockaddr46` comparisons of this build (IPv4 only, as lws's default
//! configuration has no LWS_WITH_IPV6).
#![forbid(unsafe_code)]

use crate::log::level;
use crate::lwsl;

/// One piece of an address as lws's tokenizer (with `NO_INTEGERS` and
/// `MINUS_NONTERM`) splits it.
#[derive(Debug, PartialEq, Eq)]
enum Piece<'a> {
    Token(&'a [u8]),
    Delimiter(u8),
    Ended,
    /// Quoted strings, `name=`, bytes outside ASCII: never part of an address.
    Other,
}

struct Pieces<'a> {
    text: &'a [u8],
    at: usize,
}

impl<'a> Pieces<'a> {
    fn next(&mut self) -> Piece<'a> {
        let text = self.text;
        // The token so far (start, end), and whether white space followed it.
        let mut token: Option<(usize, usize)> = None;
        let mut post_terminal = false;
        while self.at < text.len() {
            let c = text[self.at];
            if c == 0 {
                break;
            }
            if c >= 0x80 || c == b'"' {
                return Piece::Other;
            }
            if matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0c) {
                self.at += 1;
                post_terminal = token.is_some();
                continue;
            }
            if c == b'=' && token.is_some() {
                return Piece::Other;
            }
            let payload = c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
            match token {
                None if !payload => {
                    self.at += 1;
                    return Piece::Delimiter(c);
                }
                None => token = Some((self.at, self.at + 1)),
                // Report the token; this character starts the next piece.
                Some((s, e)) if !payload || post_terminal => return Piece::Token(&text[s..e]),
                Some((s, _)) => token = Some((s, self.at + 1)),
            }
            self.at += 1;
        }
        self.at = text.len();
        match token {
            Some((s, e)) => Piece::Token(&text[s..e]),
            None => Piece::Ended,
        }
    }
}

/// What `lws_parse_numeric_address` leaves in the caller's buffer.
#[derive(Debug, PartialEq, Eq)]
pub struct ParsedAddress {
    /// lws's result: 4 or 16 (the address length), or a negative error code.
    pub code: i32,
    /// The bytes lws has stored from the start of the buffer (also on
    /// failure: lws writes as it goes). May run past the buffer size.
    pub stored: Vec<u8>,
    /// IPv6 text: lws zeroes the whole buffer before storing.
    pub zero_fill: bool,
}

/// `lws_parse_numeric_address`: a dotted IPv4 ("1.2.3.4", 4 bytes) or IPv6
/// ("2001:db8::1", "::ffff:1.2.3.4", 16 bytes) address into a buffer of
/// `max_len` bytes (lws wants at least 4, or 16 for IPv6). Malformed text of
/// any kind gives a negative code; for text lws would overrun its own
/// buffers with, -12.
pub fn parse_numeric_address(ads: &[u8], max_len: usize) -> ParsedAddress {
    let ads = ads.split(|&b| b == 0).next().unwrap_or(&[]);
    let ipv6 = ads.contains(&b':');
    let early = if !ipv6 && ads.len() < 7 {
        Some(-1)
    } else if ipv6 && ads.len() < 2 {
        Some(-2)
    } else if !ipv6 && max_len < 4 {
        Some(-3)
    } else if ipv6 && max_len < 16 {
        Some(-4)
    } else {
        None
    };
    if let Some(code) = early {
        return ParsedAddress {
            code,
            stored: Vec::new(),
            zero_fill: false,
        };
    }
    let mut out = if ipv6 { vec![0u8; 16] } else { Vec::new() };
    let mut r = 0usize;
    let code = match parse_pieces(ads, ipv6, max_len, &mut out, &mut r) {
        Ok(()) => i32::try_from(out.len()).unwrap_or(-12),
        Err(code) => code,
    };
    ParsedAddress {
        code,
        stored: out,
        zero_fill: ipv6,
    }
}

/// The body of `parse_numeric_address`, storing into `out` at `*r`; on
/// success `out` is exactly the address.
fn parse_pieces(
    ads: &[u8],
    mut ipv6: bool,
    max_len: usize,
    out: &mut Vec<u8>,
    r: &mut usize,
) -> Result<(), i32> {
    let put = |out: &mut Vec<u8>, r: &mut usize, b: u8| {
        if *r < out.len() {
            out[*r] = b;
        } else {
            out.push(b);
        }
        *r += 1;
    };
    let (mut sects, mut skip_point, mut dm) = (0, None::<usize>, 0);
    let mut pieces = Pieces { text: ads, at: 0 };
    loop {
        match pieces.next() {
            Piece::Token(t) => {
                dm = 0;
                let text = std::str::from_utf8(t).unwrap_or("-");
                if ipv6 {
                    if t.len() > 4 || !t.iter().all(u8::is_ascii_hexdigit) {
                        return Err(-1);
                    }
                    let u = u16::from_str_radix(text, 16).map_err(|_| -1)?;
                    put(out, r, (u >> 8) as u8);
                    put(out, r, u as u8);
                } else {
                    if t.len() > 3 || !t.iter().all(u8::is_ascii_digit) {
                        return Err(-1);
                    }
                    let u: u16 = text.parse().map_err(|_| -1)?;
                    let u = u8::try_from(u).map_err(|_| -6)?;
                    put(out, r, u);
                }
                sects += 1;
            }
            Piece::Delimiter(d) => {
                dm += 1;
                if dm > 1 {
                    if dm > 2 {
                        return Err(-8);
                    }
                    if d != b':' {
                        return Err(-9);
                    }
                    // "::": the run of zero groups.
                    put(out, r, 0);
                    put(out, r, 0);
                    skip_point = Some(*r);
                } else if ipv6 && out[2] == 0xff && out[3] == 0xff && skip_point == Some(2) {
                    // "::ffff:" then the dotted IPv4 part.
                    ipv6 = false;
                    out.clear();
                    out.resize(16, 0);
                    out[10] = 0xff;
                    out[11] = 0xff;
                    skip_point = None;
                    *r = 12;
                    sects = 0;
                } else if ipv6 && d != b':' {
                    return Err(-10);
                } else if !ipv6 && d != b'.' {
                    return Err(-11);
                }
            }
            Piece::Ended => {
                if (!ipv6 && sects == 4) || (ipv6 && sects == 8) {
                    out.truncate(*r);
                    return Ok(());
                }
                let Some(skip) = skip_point else {
                    return Err(-12);
                };
                if *r > 16 {
                    return Err(-12);
                }
                // Move the groups after "::" to the end.
                let tail = out[skip..*r].to_vec();
                out.truncate(16);
                out[skip..].fill(0);
                out[16 - tail.len()..].copy_from_slice(&tail);
                return Ok(());
            }
            Piece::Other => {
                lwsl!(
                    level::ERR,
                    "lws_parse_numeric_address: malformed ip address"
                );
                return Err(-13);
            }
        }
        if *r > max_len {
            return Err(-14);
        }
    }
}

/// `lws_write_numeric_address`: writes the text of a 4- or 16-byte address
/// into `buf` (a C buffer) as lws does and returns its length, or -1 (other
/// sizes, or IPv6 text that does not fit: lws wants 8 bytes of room before
/// each group). IPv6 collapses the first run of zero groups to "::" and
/// shows `::ffff:a.b.c.d` for mapped IPv4.
pub fn write_numeric_address(ads: &[u8], buf: &mut [u8]) -> i32 {
    let snprintf = |buf: &mut [u8], at: usize, s: String| super::snprintf_at(buf, at, s.as_bytes());
    if ads.len() == 4 {
        let s = format!("{}.{}.{}.{}", ads[0], ads[1], ads[2], ads[3]);
        return i32::try_from(snprintf(buf, 0, s)).unwrap_or(-1);
    }
    if ads.len() != 16 {
        return -1;
    }
    let e = buf.len();
    let mut p = 0usize;
    let putc = |buf: &mut [u8], p: &mut usize, c: u8| {
        if *p < buf.len() {
            buf[*p] = c;
        }
        *p += 1;
    };
    let (mut elided, mut soe, mut zb, mut ipv4) = (false, false, None::<usize>, false);
    for c in 0..8 {
        let v = u16::from_be_bytes([ads[2 * c], ads[2 * c + 1]]);
        if p + 8 > e {
            return -1;
        }
        if soe {
            if v != 0 {
                putc(buf, &mut p, b':');
            }
        } else if !elided && v == 0 {
            elided = true;
            soe = true;
            zb = Some(c);
            continue;
        }
        if ipv4 {
            p += snprintf(buf, p, format!("{}.{}", ads[2 * c], ads[2 * c + 1]));
            if c == 6 {
                putc(buf, &mut p, b'.');
            }
        } else {
            if soe && v == 0 {
                continue;
            }
            if c != 0 {
                putc(buf, &mut p, b':');
            }
            p += snprintf(buf, p, format!("{v:x}"));
            if soe && v != 0 {
                soe = false;
                if c == 5 && v == 0xffff && zb == Some(0) {
                    ipv4 = true;
                    putc(buf, &mut p, b':');
                }
            }
        }
    }
    if p + 3 > e {
        return -1;
    }
    if soe {
        putc(buf, &mut p, b':');
        putc(buf, &mut p, b':');
        if p < buf.len() {
            buf[p] = 0;
        }
    }
    i32::try_from(p).unwrap_or(-1)
}

/// An IPv4 `lws_sockaddr46` as the comparisons see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sa46 {
    /// `sin_family` (AF_INET is 2).
    pub family: u16,
    /// The address in network order.
    pub addr: [u8; 4],
}

/// AF_INET on Linux.
pub const AF_INET: u16 = 2;
/// AF_INET6 on Linux.
pub const AF_INET6: u16 = 10;
/// AF_UNIX on Linux.
pub const AF_UNIX: u16 = 1;

/// `lws_sa46_compare_ads`: 0 when both have the same family and, for IPv4,
/// the same address; nonzero otherwise.
pub fn compare(a: &Sa46, b: &Sa46) -> i32 {
    if a.family != b.family {
        return 1;
    }
    if a.family == AF_INET {
        return i32::from(a.addr != b.addr);
    }
    0
}

/// `lws_sa46_on_net`: 0 when `a` lies in `net`/`net_len` (both IPv4 in this
/// build; anything else is 1).
pub fn on_net(a: &Sa46, net: &Sa46, net_len: i32) -> i32 {
    if a.family != AF_INET || net.family != AF_INET {
        return 1;
    }
    let mut bits = net_len;
    for (x, y) in a.addr.iter().zip(net.addr.iter()) {
        if bits <= 0 {
            break;
        }
        let mask = if bits < 8 { 0xffu8 << (8 - bits) } else { 0xff };
        if x & mask != y & mask {
            return 1;
        }
        bits -= 8;
    }
    // lws reads on past the 4 bytes for lengths over 32; we stop at the address.
    0
}

/// `lws_sa46_write_numeric_address`'s text for an address of this build.
pub fn sa46_text(a: &Sa46, buf: &mut [u8]) -> i32 {
    let s: &[u8] = match a.family {
        AF_INET => return write_numeric_address(&a.addr, buf),
        AF_UNIX => b"(unix skt)",
        0 => b"(unset)",
        AF_INET6 => b"(ipv6 unsupp)",
        f => {
            super::snprintf_at(buf, 0, format!("(AF{f} unsupp)").as_bytes());
            return -1;
        }
    };
    i32::try_from(super::snprintf_at(buf, 0, s)).unwrap_or(-1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(ads: &[u8], len: usize) -> (i32, String) {
        let mut b = vec![b'#'; len];
        let n = write_numeric_address(ads, &mut b);
        let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
        (n, String::from_utf8_lossy(&b[..end]).into_owned())
    }

    #[test]
    fn parses_dotted_ipv4() {
        let p = |s: &str| {
            let r = parse_numeric_address(s.as_bytes(), 16);
            if r.code < 0 {
                Err(r.code)
            } else {
                Ok(r.stored)
            }
        };
        assert_eq!(p("192.168.1.254"), Ok(vec![192, 168, 1, 254]));
        assert_eq!(p(" 10.0.0.1"), Ok(vec![10, 0, 0, 1]));
        assert_eq!(p("1.2.3"), Err(-1), "short text");
        assert_eq!(p("1.2.3.4.5"), Err(-12));
        assert_eq!(p("1.2.3.256"), Err(-6));
        assert_eq!(p("1.2.3.1234"), Err(-1));
        assert_eq!(p("1.2..3.4"), Err(-9));
        assert_eq!(p("1.2.3/4.5"), Err(-11));
        assert_eq!(p("1.2.3.4x"), Err(-1));
        assert_eq!(p("\"1.2.3.4\""), Err(-13));
        assert_eq!(p("1 .2.3.4"), Ok(vec![1, 2, 3, 4]), "space before a dot");
        assert_eq!(parse_numeric_address(b"1.2.3.4", 3).code, -3);
        let bad = parse_numeric_address(b"1.2.3.256", 16);
        assert_eq!(
            (bad.code, bad.stored, bad.zero_fill),
            (-6, vec![1, 2, 3], false),
            "lws stores as it goes"
        );
    }

    #[test]
    fn parses_ipv6_with_elision_and_mapped_ipv4() {
        let p = |s: &str| {
            let r = parse_numeric_address(s.as_bytes(), 16);
            if r.code < 0 {
                Err(r.code)
            } else {
                Ok(r.stored)
            }
        };
        let mut one = vec![0u8; 16];
        one[15] = 1;
        assert_eq!(p("::1"), Ok(one));
        assert_eq!(p("::"), Ok(vec![0; 16]));
        let full = p("2001:db8:85a3:0:0:8a2e:370:7334").unwrap_or_default();
        assert_eq!(
            full,
            [0x20, 0x01, 0x0d, 0xb8, 0x85, 0xa3, 0, 0, 0, 0, 0x8a, 0x2e, 0x03, 0x70, 0x73, 0x34]
        );
        assert_eq!(p("2001:db8:85a3::8a2e:370:7334"), Ok(full));
        let mut mapped = vec![0u8; 16];
        mapped[10..].copy_from_slice(&[0xff, 0xff, 192, 0, 2, 128]);
        assert_eq!(p("::ffff:192.0.2.128"), Ok(mapped));
        assert_eq!(p("1:::2"), Err(-8));
        assert_eq!(p("12345::1"), Err(-1));
        assert_eq!(p("g::1"), Err(-1));
        assert_eq!(p("1:2"), Err(-12));
        assert_eq!(parse_numeric_address(b"::1", 15).code, -4);
        let bad = parse_numeric_address(b"1:2", 16);
        assert_eq!(bad.code, -12);
        assert!(bad.zero_fill && bad.stored[..4] == [0, 1, 0, 2]);
        assert_eq!(p(":"), Err(-2));
    }

    #[test]
    fn writes_addresses_as_lws() {
        assert_eq!(text(&[127, 0, 0, 1], 32), (9, "127.0.0.1".into()));
        assert_eq!(
            text(&[127, 0, 0, 1], 5),
            (5, "127.".into()),
            "lws_snprintf's truncation"
        );
        let mut one = [0u8; 16];
        one[15] = 1;
        assert_eq!(text(&one, 64), (3, "::1".into()));
        assert_eq!(text(&[0; 16], 64), (2, "::".into()));
        let mut a = [0u8; 16];
        a[..2].copy_from_slice(&[0x20, 0x01]);
        a[14..].copy_from_slice(&[0, 1]);
        assert_eq!(text(&a, 64), (7, "2001::1".into()));
        let mut m = [0u8; 16];
        m[10..].copy_from_slice(&[0xff, 0xff, 192, 0, 2, 128]);
        assert_eq!(text(&m, 64), (18, "::ffff:192.0.2.128".into()));
        let mut z = [0u8; 16];
        z[1] = 1;
        z[7] = 2;
        z[15] = 3;
        assert_eq!(
            text(&z, 64),
            (12, "1::2:0:0:0:3".into()),
            "only the first zero run goes"
        );
        assert_eq!(
            text(&one, 7),
            (-1, "#######".into()),
            "refused before writing"
        );
        assert_eq!(text(&[1, 2, 3], 64).0, -1);
    }

    #[test]
    fn sa46_comparisons() {
        let a = Sa46 {
            family: AF_INET,
            addr: [10, 1, 2, 3],
        };
        let b = Sa46 {
            family: AF_INET,
            addr: [10, 1, 2, 4],
        };
        let net = Sa46 {
            family: AF_INET,
            addr: [10, 1, 0, 0],
        };
        assert_eq!(compare(&a, &a), 0);
        assert_eq!(compare(&a, &b), 1);
        assert_eq!(
            compare(
                &a,
                &Sa46 {
                    family: AF_INET6,
                    addr: a.addr
                }
            ),
            1
        );
        let u = Sa46 {
            family: AF_UNIX,
            addr: [0; 4],
        };
        assert_eq!(
            compare(
                &u,
                &Sa46 {
                    family: AF_UNIX,
                    addr: [1; 4]
                }
            ),
            0
        );
        assert_eq!(on_net(&a, &net, 16), 0);
        assert_eq!(on_net(&a, &net, 24), 1);
        assert_eq!(
            on_net(
                &a,
                &Sa46 {
                    family: AF_INET,
                    addr: [10, 1, 2, 0]
                },
                30
            ),
            0
        );
        assert_eq!(
            on_net(
                &a,
                &Sa46 {
                    family: AF_INET,
                    addr: [10, 1, 2, 4]
                },
                30
            ),
            1
        );
        assert_eq!(on_net(&a, &net, 0), 0);
        assert_eq!(on_net(&u, &net, 8), 1);
    }

    #[test]
    fn sa46_text_names_other_families() {
        let t = |f: u16| {
            let mut b = [0u8; 32];
            let n = sa46_text(
                &Sa46 {
                    family: f,
                    addr: [1, 2, 3, 4],
                },
                &mut b,
            );
            let end = b.iter().position(|&c| c == 0).unwrap_or(32);
            (n, String::from_utf8_lossy(&b[..end]).into_owned())
        };
        assert_eq!(t(AF_INET), (7, "1.2.3.4".into()));
        assert_eq!(t(0), (7, "(unset)".into()));
        assert_eq!(t(AF_UNIX), (10, "(unix skt)".into()));
        assert_eq!(t(AF_INET6), (13, "(ipv6 unsupp)".into()));
        assert_eq!(t(17), (-1, "(AF17 unsupp)".into()));
    }
}
