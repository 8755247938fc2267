//! Hex text and byte arrays (lws-misc.h `lws_hex_*`).
#![forbid(unsafe_code)]

const DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Value of one hex digit (either case).
pub fn digit_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// `lws_hex_to_byte_array`: decodes the hex pairs of `h` (the text before its
/// NUL), producing at most `max` bytes. Returns the bytes produced (which
/// lws has already stored, even when it then fails) and the result: the byte
/// count, or -1 for a non-hex character, an odd digit count, or a `max` that
/// leaves no spare slot (lws needs `max` greater than the byte count).
pub fn to_bytes(h: &[u8], max: i32) -> (Vec<u8>, i32) {
    let mut out = Vec::new();
    let mut budget = max;
    let mut i = 0;
    loop {
        let go = budget != 0 && i < h.len();
        budget -= 1;
        if !go {
            break;
        }
        let hi = digit_value(h[i]);
        i += 1;
        let (Some(hi), true) = (hi, i < h.len()) else {
            return (out, -1);
        };
        let Some(lo) = digit_value(h[i]) else {
            return (out, -1);
        };
        i += 1;
        out.push((hi << 4) | lo);
    }
    if budget < 0 {
        return (out, -1);
    }
    let n = i32::try_from(out.len()).unwrap_or(-1);
    (out, n)
}

/// `lws_hex_from_byte_array`: the lower-case hex of `src` that fits, with its
/// NUL, in a buffer of `len` (>= 1) bytes; truncation may split a byte.
pub fn from_bytes(src: &[u8], len: usize) -> Vec<u8> {
    let end = len.saturating_sub(1);
    let mut out = Vec::with_capacity(end.min(src.len() * 2));
    for &b in src {
        if out.len() == end {
            break;
        }
        out.push(DIGITS[usize::from(b >> 4)]);
        if out.len() == end {
            break;
        }
        out.push(DIGITS[usize::from(b & 0xf)]);
    }
    out
}

/// How many random bytes `lws_hex_random` draws for a buffer of `len` (>= 1).
pub fn random_bytes_needed(len: usize) -> usize {
    (len - 1) / 2 + 1
}

/// `lws_hex_random`'s text from its random bytes: `len - 1` hex characters
/// (the last one a high nibble when `len - 1` is odd), without the NUL.
pub fn random_text(random: &[u8], len: usize) -> Vec<u8> {
    let chars = len.saturating_sub(1);
    let mut out = Vec::with_capacity(chars);
    for &b in random {
        if out.len() + 2 <= chars {
            out.push(DIGITS[usize::from(b >> 4)]);
            out.push(DIGITS[usize::from(b & 0xf)]);
        } else if out.len() < chars {
            out.push(DIGITS[usize::from(b >> 4)]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_text_decodes_in_either_case() {
        assert_eq!(
            to_bytes(b"0123456789abcdefABCDEF", 64),
            (
                vec![0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xab, 0xcd, 0xef],
                11
            )
        );
        assert_eq!(to_bytes(b"", 4), (vec![], 0));
    }

    #[test]
    fn bad_hex_text_is_refused() {
        assert_eq!(to_bytes(b"abc", 8), (vec![0xab], -1), "odd digit count");
        assert_eq!(to_bytes(b"ab-c", 8), (vec![0xab], -1));
        assert_eq!(to_bytes(b"zz", 8), (vec![], -1));
        assert_eq!(to_bytes(b"az", 8), (vec![], -1));
    }

    #[test]
    fn max_must_exceed_the_byte_count() {
        // lws counts the final test against max too: 2 bytes need max >= 3.
        assert_eq!(to_bytes(b"abcd", 3), (vec![0xab, 0xcd], 2));
        assert_eq!(to_bytes(b"abcd", 2), (vec![0xab, 0xcd], -1));
        assert_eq!(to_bytes(b"abcdef", 2), (vec![0xab, 0xcd], -1));
        assert_eq!(to_bytes(b"", 0), (vec![], -1));
    }

    #[test]
    fn byte_arrays_render_lower_case_and_truncate_to_fit() {
        assert_eq!(from_bytes(&[0x01, 0xab, 0xff], 7), b"01abff");
        assert_eq!(
            from_bytes(&[0x01, 0xab, 0xff], 6),
            b"01abf",
            "a byte may be split"
        );
        assert_eq!(from_bytes(&[0x01, 0xab, 0xff], 5), b"01ab");
        assert_eq!(from_bytes(&[0x01], 1), b"");
        assert_eq!(from_bytes(&[], 8), b"");
    }

    #[test]
    fn random_hex_fills_all_but_the_nul() {
        assert_eq!(random_bytes_needed(1), 1);
        assert_eq!(random_bytes_needed(2), 1);
        assert_eq!(random_bytes_needed(3), 2);
        assert_eq!(random_bytes_needed(33), 17);
        assert_eq!(random_text(&[0xab], 1), b"");
        assert_eq!(random_text(&[0xab], 2), b"a");
        assert_eq!(random_text(&[0xab, 0xcd], 3), b"ab");
        assert_eq!(random_text(&[0xab, 0xcd], 4), b"abc");
        assert_eq!(random_text(&[0x12, 0x34, 0x56], 6), b"12345");
    }
}
