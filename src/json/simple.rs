//! The cheap JSON and SQL text helpers: find one member's value without a
//! parser (`lws_json_simple_find`), and escape text for a JSON string or an
//! SQL literal (`lws_json_purify`, `lws_sql_purify`).
#![forbid(unsafe_code)]

use std::cmp::Ordering;

/// Where `needle` first occurs in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The value after the first occurrence of `name` (which should include the
/// quotes and colon, like `"\"id\":"`), as (offset, length) in `buf`. Blanks
/// after the name are skipped. A quoted value runs to its closing quote
/// (escaped quotes included) and is returned without the quotes; anything else
/// runs up to the next `,`, `]` or `}`.
pub fn simple_find(buf: &[u8], name: &[u8]) -> Option<(usize, usize)> {
    let mut at = find(buf, name)? + name.len();
    while at < buf.len() && (buf[at] == b' ' || buf[at] == b'\t') {
        at += 1;
    }
    if at >= buf.len() {
        return None;
    }
    let quoted = buf[at] == b'"';
    if quoted {
        at += 1;
    }
    let start = at;
    while at < buf.len() {
        let c = buf[at];
        if quoted && c == b'"' || !quoted && matches!(c, b'}' | b']' | b',') {
            break;
        }
        if quoted && c == b'\\' {
            at += 1;
        }
        at += 1;
    }
    // A backslash at the very end does not take the value past the buffer.
    Some((start, at.min(buf.len()) - start))
}

/// `strncmp(value, comp, len)` after [`simple_find`] when the value has the
/// same length as `comp`; -1 when the member is missing or the lengths differ.
pub fn simple_strcmp(buf: &[u8], name: &[u8], comp: &[u8]) -> i32 {
    let Some((at, len)) = simple_find(buf, name) else {
        return -1;
    };
    if len != comp.len() {
        return -1;
    }
    for (&a, &b) in buf[at..at + len].iter().zip(comp) {
        match a.cmp(&b) {
            Ordering::Equal if a == 0 => return 0,
            Ordering::Equal => {}
            _ => return i32::from(a) - i32::from(b),
        }
    }
    0
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Escapes `s` (up to a NUL) for use inside a JSON string, into at most
/// `room` bytes including the NUL the caller adds. As in lws, the output
/// stops while at least 6 bytes of room remain unused; bytes below 0x20, `"`
/// and (since lws treats `char` as signed) bytes from 0x80 become `\u00XX`.
/// Returns the escaped bytes (no NUL) and how many input bytes they cover.
pub fn json_purify(s: &[u8], room: i32) -> (Vec<u8>, usize) {
    let mut out = Vec::new();
    let mut left = i64::from(room);
    let mut used = 0;
    for &c in s {
        if c == 0 || left <= 6 {
            break;
        }
        let before = out.len();
        match c {
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\\' => out.extend_from_slice(b"\\\\"),
            c if c == b'"' || !(0x20..0x80).contains(&c) => {
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(c >> 4)]);
                out.push(HEX[usize::from(c & 15)]);
            }
            c => out.push(c),
        }
        // Charged by what was written, so the output always fits `room`.
        left -= (out.len() - before) as i64;
        used += 1;
    }
    (out, used)
}

/// How long [`json_purify`] output for `s` can be (lws counts 6 for `\\`,
/// which is written as 2, so this is an upper bound).
pub fn json_purify_len(s: &[u8]) -> usize {
    s.iter()
        .take_while(|&&c| c != 0)
        .map(|&c| match c {
            b'\t' | b'\n' | b'\r' => 2,
            b'"' | b'\\' => 6,
            c if !(0x20..0x80).contains(&c) => 6,
            _ => 1,
        })
        .sum()
}

/// Doubles each `'` of `s` (up to a NUL) for an SQL string literal, into at
/// most `room` bytes including the NUL the caller adds.
pub fn sql_purify(s: &[u8], room: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut left = room;
    for &c in s {
        if c == 0 || left <= 2 {
            break;
        }
        left -= 1;
        if c == b'\'' {
            out.extend_from_slice(b"''");
            left -= 1;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_members_like_lws() {
        let t = br#"{"myname1":true,"myname2":"string", "myname3": 123}"#;
        assert_eq!(simple_find(t, br#""myname1":"#), Some((11, 4)));
        assert_eq!(simple_find(t, br#""myname2":"#), Some((27, 6)));
        assert_eq!(simple_find(t, br#""myname3":"#), Some((47, 3)));
        assert_eq!(simple_find(t, br#""nope":"#), None);
        assert_eq!(simple_find(br#"{"a":"x\"y"}"#, br#""a":"#), Some((6, 4)));
        assert_eq!(simple_find(br#"{"a":  "#, br#""a":"#), None);
        assert_eq!(simple_find(br#"{"a":"x\"#, br#""a":"#), Some((6, 2)));
        assert_eq!(simple_find(b"abc", b""), None);
    }

    #[test]
    fn compares_members() {
        let t = br#"{"blah":123,"ext":{"authorized":1}}"#;
        assert_eq!(simple_strcmp(t, br#""authorized":"#, b"1"), 0);
        assert_eq!(simple_strcmp(t, br#""authorized":"#, b"12"), -1);
        assert!(simple_strcmp(t, br#""blah":"#, b"124") < 0);
        assert_eq!(simple_strcmp(t, br#""x":"#, b"1"), -1);
    }

    #[test]
    fn json_escapes() {
        let (o, used) = json_purify(b"a\"b\\c\td\x01\xc3\xa9", 100);
        assert_eq!(o, b"a\\u0022b\\\\c\\td\\u0001\\u00C3\\u00A9".to_vec());
        assert_eq!(used, 10);
        assert_eq!(
            json_purify_len(b"a\"b\\c\td\x01\xc3\xa9"),
            1 + 6 + 1 + 6 + 1 + 2 + 1 + 6 + 12
        );
        // Stops with six bytes of room to spare.
        let (o, used) = json_purify(b"abcdefghij", 10);
        assert_eq!((o, used), (b"abcd".to_vec(), 4));
        // Never more than the room, however many escapes.
        let (o, _) = json_purify(&[b'\t'; 50], 20);
        assert!(o.len() < 20);
        assert_eq!(json_purify(b"", 10), (Vec::new(), 0));
    }

    #[test]
    fn sql_escapes() {
        assert_eq!(sql_purify(b"it's", 100), b"it''s".to_vec());
        assert_eq!(sql_purify(b"abcdef", 5), b"abc".to_vec());
        assert!(sql_purify(b"''''''", 6).len() < 6);
        assert_eq!(sql_purify(b"abc", 0), Vec::<u8>::new());
    }
}
