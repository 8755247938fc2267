//! String helpers of lws-misc.h, lws-http.h, lws-tokenize.h and lws-purify.h:
//! wildcard compare, substring search, URI splitting, URL escaping, filename
//! sanitising, and MQTT-style variable byte integers.
#![forbid(unsafe_code)]

use crate::log::level;
use crate::lwsl;

/// `lws_strcmp_wildcard`: 0 when `check` matches `wildcard`, where each `*`
/// (at most three) stands for any run of characters, else 1. As in lws an
/// empty wildcard matches nothing, not even an empty string.
pub fn strcmp_wildcard(wildcard: &[u8], check: &[u8]) -> i32 {
    // Where to resume in each string after a `*`, innermost last.
    let mut stack = [(0usize, 0usize); 3];
    let mut sp = 0;
    let (mut w, mut c) = (0usize, 0usize);
    loop {
        'step: {
            if w == wildcard.len() {
                // Out of pattern but not of text: retry from the last `*`.
                if sp == 0 {
                    return 1;
                }
                sp -= 1;
                (w, c) = stack[sp];
                break 'step;
            }
            if wildcard[w] == b'*' {
                w += 1;
                if w == wildcard.len() {
                    return 0;
                }
                if sp == stack.len() {
                    lwsl!(level::ERR, "lws_strcmp_wildcard: exceeds * stack");
                    return 1;
                }
                stack[sp] = (w, c + 1);
                sp += 1;
                break 'step;
            }
            let got = check.get(c).copied();
            c += 1;
            if got == Some(wildcard[w]) {
                w += 1;
                break 'step;
            }
            if sp == 0 {
                return 1;
            }
        }
        if c >= check.len() {
            break;
        }
    }
    i32::from(w != wildcard.len())
}

/// `lws_nstrstr`: where `needle` first occurs in `hay`. An empty needle is
/// never found (lws reads outside the strings for it).
pub fn nstrstr(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The pieces `lws_parse_uri` cuts a URI into, as offsets into its buffer
/// (each now a NUL-terminated string there).
#[derive(Debug, PartialEq, Eq)]
pub struct UriParts {
    /// The scheme ("https"), or the empty string at the end when there is none.
    pub prot: usize,
    /// The host (without `[]` for an IPv6 literal), or a `+`unix socket path.
    pub ads: usize,
    /// The port: given, else 80/443 for http/ws and https/wss, else untouched.
    pub port: Option<i32>,
    /// The path after the separating `/` (lws drops the slash), or `None` for
    /// lws's constant "/" when there is no path.
    pub path: Option<usize>,
}

/// `lws_parse_uri`: splits the NUL-terminated URI in `buf` (its last byte is
/// the NUL) in place, writing NULs between the pieces as lws does.
pub fn parse_uri(buf: &mut [u8]) -> UriParts {
    let at = |buf: &[u8], i: usize| buf.get(i).copied().unwrap_or(0);
    let mut p = 0;
    while at(buf, p) != 0
        && (at(buf, p) != b':' || at(buf, p + 1) != b'/' || at(buf, p + 2) != b'/')
    {
        p += 1;
    }
    let prot;
    if at(buf, p) == 0 {
        prot = p;
        p = 0;
    } else {
        prot = 0;
        buf[p] = 0;
        p += 3;
    }
    let unix_socket = at(buf, p) == b'+';
    let mut ads = p;
    let scheme_end = buf[prot..]
        .iter()
        .position(|&b| b == 0)
        .map_or(buf.len(), |n| prot + n);
    let mut port = match &buf[prot..scheme_end] {
        b"http" | b"ws" => Some(80),
        b"https" | b"wss" => Some(443),
        _ => None,
    };
    if at(buf, p) == b'[' {
        ads += 1;
        while at(buf, p) != 0 && at(buf, p) != b']' {
            p += 1;
        }
        if at(buf, p) != 0 {
            buf[p] = 0;
            p += 1;
        }
    } else {
        while at(buf, p) != 0 && at(buf, p) != b':' && (unix_socket || at(buf, p) != b'/') {
            p += 1;
        }
    }
    if at(buf, p) == b':' {
        buf[p] = 0;
        p += 1;
        port = Some(super::atoi(&buf[p..]));
        while at(buf, p) != 0 && at(buf, p) != b'/' {
            p += 1;
        }
    }
    let mut path = None;
    if at(buf, p) != 0 {
        buf[p] = 0;
        p += 1;
        if at(buf, p) != 0 {
            path = Some(p);
        }
    }
    UriParts {
        prot,
        ads,
        port,
        path,
    }
}

const UPPER_HEX: &[u8; 16] = b"0123456789ABCDEF";

/// `lws_urlencode`: the escaped text of `s` that lws writes into a buffer of
/// `len` bytes (without the NUL): letters and digits as they are, space as
/// `+`, other bytes as `%XX`; it stops when fewer than 4 bytes are left.
pub fn urlencode(s: &[u8], len: i32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut left = len;
    for &c in s {
        let go = left > 3;
        left -= 1;
        if !go {
            break;
        }
        if c == b' ' {
            out.push(b'+');
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            out.extend_from_slice(&[
                b'%',
                UPPER_HEX[usize::from(c >> 4)],
                UPPER_HEX[usize::from(c & 15)],
            ]);
            left -= 2;
        }
    }
    out
}

/// `lws_urldecode`: decodes `%XX` and `+` of `escaped` into at most `len`
/// bytes. `Err` carries what lws had written before a bad escape (lws then
/// returns -1 without a NUL).
pub fn urldecode(escaped: &[u8], len: usize) -> Result<Vec<u8>, Vec<u8>> {
    let mut out = Vec::new();
    let mut high = None;
    let mut in_escape = false;
    for &c in escaped {
        if out.len() == len {
            break;
        }
        if in_escape {
            let Some(v) = super::hex::digit_value(c) else {
                return Err(out);
            };
            match high.take() {
                None => high = Some(v << 4),
                Some(h) => {
                    out.push(h | v);
                    in_escape = false;
                }
            }
            continue;
        }
        match c {
            b'%' => in_escape = true,
            b'+' => out.push(b' '),
            c => out.push(c),
        }
    }
    Ok(out)
}

/// `lws_filename_purify_inplace`: makes a file name harmless: each `..` pair
/// becomes `__`, and `:`, `\`, `$` and `%` become `_`.
pub fn filename_purify(name: &mut [u8]) {
    for i in 0..name.len() {
        if name[i] == b'.' && name.get(i + 1) == Some(&b'.') {
            name[i] = b'_';
            name[i + 1] = b'_';
        }
        if matches!(name[i], b':' | b'\\' | b'$' | b'%') {
            name[i] = b'_';
        }
    }
}

/// `lws_vbi_encode`: `value` as a variable byte integer (7 bits a byte, low
/// group first, top bit set on all but the last); `None` above 0xfffffff.
pub fn vbi_encode(mut value: u64) -> Option<Vec<u8>> {
    if value > 0xfff_ffff {
        return None;
    }
    let mut out = Vec::with_capacity(4);
    loop {
        let b = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(b);
            return Some(out);
        }
        out.push(0x80 | b);
    }
}

/// `lws_vbi_decode` as lws 4.3.3 has it: it accumulates 7-bit groups and
/// stops at the first byte with the top bit *set*, returning (its offset,
/// value so far); 0 with no value when no such byte is found.
pub fn vbi_decode(buf: &[u8]) -> Option<(usize, u64)> {
    let mut v = 0u64;
    let mut shift = 0;
    for (i, &b) in buf.iter().enumerate() {
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 != 0 {
            return Some((i, v));
        }
        shift += 7;
        if shift >= 64 {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_as_in_lws_api_test() {
        let wc = |w: &str, c: &str| strcmp_wildcard(w.as_bytes(), c.as_bytes());
        assert_eq!(wc("allied", "allied"), 0);
        assert_eq!(wc("a*", "allied"), 0);
        assert_eq!(wc("all*", "allied"), 0);
        assert_eq!(wc("all*d", "allied"), 0);
        assert_eq!(wc("b*", "allied"), 1);
        assert_eq!(wc("b*ed", "allied"), 1);
        assert_eq!(wc("*ied", "allied"), 0);
        assert_eq!(wc("a*l*d", "allied"), 0);
        assert_eq!(wc("a*x*d", "allied"), 1);
        assert_eq!(wc("*", ""), 0);
        assert_eq!(wc("", ""), 1, "lws: an empty wildcard matches nothing");
        assert_eq!(wc("allie", "allied"), 1);
        assert_eq!(wc("allied", "allie"), 1);
        assert_eq!(wc("a*b*c*d", "abcd"), 0);
        assert_eq!(wc("a*b*c*d*e", "abcde"), 1, "more than three * is refused");
        assert_eq!(wc("a*b*c*", "abcd"), 0);
    }

    #[test]
    fn nstrstr_finds_the_first_occurrence() {
        let t = b"abc123456";
        assert_eq!(nstrstr(t, b"abc"), Some(0));
        assert_eq!(nstrstr(t, b"def"), None);
        assert_eq!(nstrstr(t, b"456"), Some(6));
        assert_eq!(nstrstr(t, b"1"), Some(3));
        assert_eq!(nstrstr(t, b"abc1234567"), None);
        assert_eq!(nstrstr(b"aXaXb", b"aXb"), Some(2));
        assert_eq!(nstrstr(t, b""), None);
    }

    fn uri(s: &str) -> (String, String, Option<i32>, String) {
        let mut b = s.as_bytes().to_vec();
        b.push(0);
        let p = parse_uri(&mut b);
        let cstr = |o: usize| {
            let end = b[o..].iter().position(|&c| c == 0).unwrap_or(0);
            String::from_utf8_lossy(&b[o..o + end]).into_owned()
        };
        (
            cstr(p.prot),
            cstr(p.ads),
            p.port,
            p.path.map_or("/".into(), cstr),
        )
    }

    #[test]
    fn uris_split_as_lws_does() {
        let t = |a: &str, b: &str, port: Option<i32>, d: &str| {
            (a.to_string(), b.to_string(), port, d.to_string())
        };
        assert_eq!(
            uri("https://warmcat.com/a/b?c"),
            t("https", "warmcat.com", Some(443), "a/b?c")
        );
        assert_eq!(uri("http://h:8080/x"), t("http", "h", Some(8080), "x"));
        assert_eq!(uri("ws://h"), t("ws", "h", Some(80), "/"));
        assert_eq!(uri("wss://h/"), t("wss", "h", Some(443), "/"));
        assert_eq!(uri("foo://h:99"), t("foo", "h", Some(99), "/"));
        assert_eq!(uri("foo://h"), t("foo", "h", None, "/"));
        assert_eq!(
            uri("h.com:81/p"),
            t("", "h.com", Some(81), "p"),
            "no scheme"
        );
        assert_eq!(
            uri("http://[::1]:7681/x"),
            t("http", "::1", Some(7681), "x")
        );
        assert_eq!(uri("http://[::1]/x"), t("http", "::1", Some(80), "x"));
        assert_eq!(
            uri("http://+/var/run/s.sock:/my/path"),
            t("http", "+/var/run/s.sock", Some(0), "my/path")
        );
        assert_eq!(
            uri("http://h:abc/x"),
            t("http", "h", Some(0), "x"),
            "atoi of a bad port"
        );
        assert_eq!(uri(""), t("", "", None, "/"));
    }

    #[test]
    fn urlencode_escapes_and_stops_with_four_bytes_left() {
        assert_eq!(urlencode(b"a b/c", 64), b"a+b%2Fc");
        assert_eq!(urlencode(&[0xc3, 0xa9, b'-'], 64), b"%C3%A9%2D");
        assert_eq!(urlencode(b"abcdef", 6), b"abc");
        assert_eq!(urlencode(b"//", 6), b"%2F", "an escape takes three");
        assert_eq!(urlencode(b"abc", 3), b"");
        assert_eq!(urlencode(b"abc", 0), b"");
    }

    #[test]
    fn urldecode_decodes_until_len_and_refuses_bad_escapes() {
        assert_eq!(urldecode(b"a+b%2fc%2F", 64), Ok(b"a b/c/".to_vec()));
        assert_eq!(urldecode(b"abcdef", 3), Ok(b"abc".to_vec()));
        assert_eq!(urldecode(b"ab%zz", 64), Err(b"ab".to_vec()));
        assert_eq!(
            urldecode(b"ab%4", 64),
            Ok(b"ab".to_vec()),
            "a cut escape is dropped"
        );
        assert_eq!(urldecode(b"", 4), Ok(vec![]));
        assert_eq!(urldecode(b"%41%42", 1), Ok(b"A".to_vec()));
    }

    #[test]
    fn filenames_lose_dangerous_characters() {
        let mut n = b"../a:b\\c$d%e..f...g".to_vec();
        filename_purify(&mut n);
        assert_eq!(n, b"__/a_b_c_d_e__f__.g");
    }

    #[test]
    fn vbi_round_trips_within_lws_limits() {
        assert_eq!(vbi_encode(0), Some(vec![0]));
        assert_eq!(vbi_encode(127), Some(vec![0x7f]));
        assert_eq!(vbi_encode(128), Some(vec![0x80, 0x01]));
        assert_eq!(vbi_encode(0xfff_ffff), Some(vec![0xff, 0xff, 0xff, 0x7f]));
        assert_eq!(vbi_encode(0x1000_0000), None);
        // lws 4.3.3's decoder ends at a byte with the top bit set.
        assert_eq!(vbi_decode(&[0x05, 0x81]), Some((1, 5 | (1 << 7))));
        assert_eq!(vbi_decode(&[0x85]), Some((0, 5)));
        assert_eq!(vbi_decode(&[0x05]), None);
        assert_eq!(vbi_decode(&[]), None);
    }
}
