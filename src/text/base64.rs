//! Base64 as lws does it (lws-sha1-base64.h).
//!
//! Our own code rather than the base64 crate: lws's decoder is lenient in its
//! own way (it skips characters outside the alphabet, accepts both alphabets
//! at once, decodes in chunks with a resumable state and truncates at whole
//! groups), and those results are the contract.
#![forbid(unsafe_code)]

/// RFC 4648 alphabet.
pub const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/// RFC 4648 "URL and filename safe" alphabet.
pub const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Encodes `input` into `out` (a C buffer of `out.len()` bytes), NUL-terminated.
///
/// Returns the length of the text, or `None` when `out` is too small. As in
/// lws, each 4-character group needs room for itself plus one byte, and the
/// final NUL needs one spare byte after it (so the text needs
/// `len + 2` bytes); the groups that fitted are left in `out` on failure.
pub fn encode(alphabet: &[u8; 64], input: &[u8], out: &mut [u8]) -> Option<usize> {
    let mut done = 0;
    for group in input.chunks(3) {
        if done + 4 >= out.len() {
            return None;
        }
        let b = [
            group[0],
            *group.get(1).unwrap_or(&0),
            *group.get(2).unwrap_or(&0),
        ];
        let sextet = |i: u8| alphabet[usize::from(i & 0x3f)];
        out[done] = sextet(b[0] >> 2);
        out[done + 1] = sextet((b[0] << 4) | (b[1] >> 4));
        out[done + 2] = if group.len() > 1 {
            sextet((b[1] << 2) | (b[2] >> 6))
        } else {
            b'='
        };
        out[done + 3] = if group.len() > 2 { sextet(b[2]) } else { b'=' };
        done += 4;
    }
    if done + 1 >= out.len() {
        return None;
    }
    out[done] = 0;
    Some(done)
}

/// The resumable decoder state, field for field `struct lws_b64state`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DecodeState {
    /// The group being collected (sextet values).
    pub quad: [u8; 4],
    /// Running count lws keeps of decoded bytes (wraps as in lws).
    pub done: usize,
    /// Characters counted into the current group.
    pub len: usize,
    /// Position in the current group.
    pub i: i32,
    /// The last character read (after mapping `-` and `_`), 0 for none.
    pub c: i32,
}

/// Sextet value + 1 of a character (either alphabet), 0 for "skip it".
fn sextet_plus_one(c: u8) -> u8 {
    match c {
        b'A'..=b'Z' => c - b'A' + 1,
        b'a'..=b'z' => c - b'a' + 27,
        b'0'..=b'9' => c - b'0' + 53,
        b'+' => 63,
        b'/' => 64,
        _ => 0,
    }
}

/// One step of `lws_b64_decode_stateful`: decodes from `input` (stopping at
/// its end or at a NUL) into `out`, one whole group at a time while 3 bytes of
/// room are left. With `last`, a partial final group is flushed. Returns
/// (characters consumed, bytes written). lws then puts a NUL after the
/// output (even at `out[out.len()]`); that is the caller's to write.
///
/// Characters outside both alphabets, and `=`, are skipped; a group that ends
/// in `=` at the end of the input is one byte shorter.
pub fn decode_step(
    s: &mut DecodeState,
    input: &[u8],
    out: &mut [u8],
    last: bool,
) -> (usize, usize) {
    let (mut ip, mut op) = (0, 0);
    let more = |ip: usize| ip < input.len() && input[ip] != 0;
    while more(ip) && op + 3 <= out.len() {
        while s.i < 4 && more(ip) {
            let mut v = 0u8;
            s.c = 0;
            while more(ip) && v == 0 {
                let c = match input[ip] {
                    b'-' => b'+',
                    b'_' => b'/',
                    c => c,
                };
                ip += 1;
                s.c = i32::from(c);
                v = sextet_plus_one(c);
            }
            let slot = s.i as usize & 3;
            if s.c != 0 {
                s.len += 1;
                if v != 0 {
                    s.quad[slot] = v - 1;
                }
            } else {
                s.quad[slot] = 0;
            }
            s.i += 1;
        }
        if s.i != 4 && !last {
            continue;
        }
        s.i = 0;
        if !more(ip) && s.c == i32::from(b'=') {
            s.len = s.len.wrapping_sub(1);
        }
        let q = s.quad;
        if s.len >= 2 {
            out[op] = (q[0] << 2) | (q[1] >> 4);
            op += 1;
        }
        if s.len >= 3 {
            out[op] = (q[1] << 4) | (q[2] >> 2);
            op += 1;
        }
        if s.len >= 4 {
            out[op] = ((q[2] << 6) & 0xc0) | q[3];
            op += 1;
        }
        s.done = s.done.wrapping_add(s.len.wrapping_sub(1));
        s.len = 0;
    }
    (ip, op)
}

/// `lws_b64_decode_string_len`: decodes all of `input` into `out` and returns
/// the byte count; 0 when nothing was consumed. When `out` is too small the
/// result is silently cut at the last whole group that fitted.
pub fn decode(input: &[u8], out: &mut [u8]) -> usize {
    let mut s = DecodeState::default();
    let (used, made) = decode_step(&mut s, input, out, true);
    if used == 0 {
        0
    } else {
        made
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(input: &[u8], size: usize) -> Option<String> {
        let mut out = vec![b'#'; size];
        let n = encode(STANDARD, input, &mut out)?;
        assert_eq!(out[n], 0);
        Some(String::from_utf8_lossy(&out[..n]).into_owned())
    }

    fn dec(input: &[u8], size: usize) -> (usize, Vec<u8>) {
        let mut out = vec![b'#'; size];
        let n = decode(input, &mut out);
        (n, out)
    }

    #[test]
    fn encodes_rfc_4648_vectors_with_padding() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
            ("any carnal pleasure.", "YW55IGNhcm5hbCBwbGVhc3VyZS4="),
        ] {
            assert_eq!(enc(i.as_bytes(), 64).as_deref(), Some(o), "{i}");
        }
    }

    #[test]
    fn url_alphabet_swaps_the_last_two() {
        let mut out = [0u8; 16];
        let n = encode(URL_SAFE, &[0xfb, 0xff, 0xbf], &mut out);
        assert_eq!(n, Some(4));
        assert_eq!(&out[..5], b"-_-_\0");
        let n = encode(STANDARD, &[0xfb, 0xff, 0xbf], &mut out);
        assert_eq!(n, Some(4));
        assert_eq!(&out[..4], b"+/+/");
    }

    #[test]
    fn encoding_needs_two_bytes_beyond_the_text() {
        // lws: text of 4 needs out_size 6 (group + 1, then NUL + 1).
        assert_eq!(enc(b"f", 6).as_deref(), Some("Zg=="));
        assert_eq!(enc(b"f", 5), None);
        assert_eq!(enc(b"f", 4), None);
        assert_eq!(enc(b"", 2).as_deref(), Some(""));
        assert_eq!(enc(b"", 1), None);
        assert_eq!(enc(b"", 0), None);
        // The groups that fitted stay written.
        let mut out = [b'#'; 7];
        assert_eq!(encode(STANDARD, b"foobar", &mut out), None);
        assert_eq!(&out, b"Zm9v###");
    }

    #[test]
    fn decodes_padded_unpadded_and_url_text() {
        assert_eq!(dec(b"Zm9vYmFy", 16).0, 6);
        for (i, o) in [
            (&b"Zg=="[..], &b"f"[..]),
            (b"Zg", b"f"),
            (b"Zm8=", b"fo"),
            (b"Zm8", b"fo"),
            (b"Zm9vYg==", b"foob"),
            (b"YW55IGNhcm5hbCBwbGVhc3VyZS4=", b"any carnal pleasure."),
            (b"-_-_", &[0xfb, 0xff, 0xbf]),
            (b"+/+/", &[0xfb, 0xff, 0xbf]),
        ] {
            let (n, out) = dec(i, 32);
            assert_eq!(&out[..n], o, "{}", String::from_utf8_lossy(i));
        }
    }

    #[test]
    fn decoding_skips_foreign_characters_and_stops_at_nul() {
        let (n, out) = dec(b"Zm9v\nYmFy", 16);
        assert_eq!(&out[..n], b"foobar");
        let (n, out) = dec(b"Zm9v YmFy\0Zm9v", 16);
        assert_eq!(&out[..n], b"foobar");
        let (n, out) = dec(b"Zm*9v", 16);
        assert_eq!(&out[..n], b"foo");
        assert_eq!(dec(b"", 16).0, 0);
        assert_eq!(dec(b"\0Zm9v", 16).0, 0);
    }

    #[test]
    fn decoding_cuts_at_whole_groups_when_out_is_small() {
        // Each group needs 3 bytes of room before it is decoded.
        assert_eq!(dec(b"Zm8=", 2).0, 0);
        let (n, out) = dec(b"Zm9vYmFy", 5);
        assert_eq!((n, &out[..4]), (3, &b"foo#"[..]));
        let (n, out) = dec(b"Zm9v", 3);
        assert_eq!((n, &out[..]), (3, &b"foo"[..]));
    }

    #[test]
    fn stateful_decoding_resumes_across_chunks() {
        let text = b"YW55IGNhcm5hbCBwbGVhc3VyZS4=";
        for split in 0..text.len() {
            let mut s = DecodeState::default();
            let mut out = [0u8; 64];
            let (u1, n1) = decode_step(&mut s, &text[..split], &mut out, false);
            assert_eq!(u1, split, "a non-final chunk is consumed whole");
            let (u2, n2) = decode_step(&mut s, &text[split..], &mut out[n1..], true);
            assert_eq!(u2, text.len() - split);
            assert_eq!(&out[..n1 + n2], b"any carnal pleasure.", "split {split}");
        }
    }

    #[test]
    fn stateful_decoding_stops_when_out_is_full() {
        let mut s = DecodeState::default();
        let mut out = [0u8; 4];
        let (used, made) = decode_step(&mut s, b"Zm9vYmFy", &mut out, true);
        assert_eq!((used, made), (4, 3));
        assert_eq!(&out[..3], b"foo");
        let (used, made) = decode_step(&mut s, b"YmFy", &mut out, true);
        assert_eq!((used, made), (4, 3));
        assert_eq!(&out[..3], b"bar");
    }
}
