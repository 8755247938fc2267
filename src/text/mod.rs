//! The text, encoding and address helpers of the lws API (lws-misc.h,
//! lws-sha1-base64.h, lws-http.h, lws-network-helper.h, lws-purify.h), as pure
//! functions over byte slices. `src/ffi/text.rs` and `src/ffi/netaddr.rs` turn
//! C pointers into slices and call them.
//!
//! lws's exact results are the contract here, quirks included (buffer-size
//! rules, truncation, what counts as invalid): programs compare them. Where
//! lws would write past the end of a buffer, these functions stop at the end
//! instead; each such place says so.
#![forbid(unsafe_code)]

pub mod addr;
pub mod base64;
pub mod date;
pub mod hex;
pub mod humanize;
pub mod strings;
pub mod tokens;

/// Writes `s` at `buf[at..]` the way `lws_snprintf` does: truncated to the
/// room left and NUL-terminated (nothing at all when there is no room).
/// Returns what lws_snprintf returns: `s.len()`, or the room when truncated.
pub fn snprintf_at(buf: &mut [u8], at: usize, s: &[u8]) -> usize {
    let room = buf.len().saturating_sub(at);
    if room == 0 {
        return 0;
    }
    let n = s.len().min(room - 1);
    buf[at..at + n].copy_from_slice(&s[..n]);
    buf[at + n] = 0;
    if s.len() >= room {
        room
    } else {
        s.len()
    }
}

/// `lws_timingsafe_bcmp`: nonzero when `a` and `b` differ, looking at every
/// byte whatever the answer, so the time taken tells nothing.
pub fn timingsafe_differ(a: &[u8], b: &[u8]) -> u8 {
    a.iter()
        .zip(b)
        .fold(0u8, |acc, (x, y)| std::hint::black_box(acc | (x ^ y)))
}

/// The SHA-1 digest of `data` (`lws_SHA1`), from the sha1 crate.
pub fn sha1(data: &[u8]) -> [u8; 20] {
    use sha1::Digest;
    let mut out = [0u8; 20];
    out.copy_from_slice(sha1::Sha1::digest(data).as_slice());
    out
}

/// Fills `buf` from the operating system's random source (getrandom(2));
/// false when it fails.
pub fn fill_random(buf: &mut [u8]) -> bool {
    getrandom::fill(buf).is_ok()
}

/// C `atoi`: optional leading white space and sign, then decimal digits
/// (wrapping on overflow, where C is undefined).
pub fn atoi(s: &[u8]) -> i32 {
    let mut i = 0;
    while i < s.len() && matches!(s[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
        i += 1;
    }
    let negative = i < s.len() && s[i] == b'-';
    if i < s.len() && (s[i] == b'-' || s[i] == b'+') {
        i += 1;
    }
    let mut v: i32 = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        v = v.wrapping_mul(10).wrapping_add(i32::from(s[i] - b'0'));
        i += 1;
    }
    if negative {
        v.wrapping_neg()
    } else {
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snprintf_truncates_and_terminates_like_lws_snprintf() {
        let mut b = [b'X'; 6];
        assert_eq!(snprintf_at(&mut b, 0, b"abc"), 3);
        assert_eq!(&b, b"abc\0XX");
        assert_eq!(snprintf_at(&mut b, 2, b"wxyz"), 4);
        assert_eq!(&b, b"abwxy\0");
        assert_eq!(snprintf_at(&mut b, 6, b"q"), 0);
        let mut b = [b'X'; 3];
        assert_eq!(snprintf_at(&mut b, 0, b"abc"), 3, "no room for the NUL");
        assert_eq!(&b, b"ab\0");
    }

    #[test]
    fn sha1_matches_fips_180_vectors() {
        assert_eq!(
            hex::from_bytes(&sha1(b"abc"), 41),
            b"a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hex::from_bytes(&sha1(b""), 41),
            b"da39a3ee5e6b4b0d3255bfef95601890afd80709"
        );
    }

    #[test]
    fn timingsafe_differ_sees_any_difference() {
        assert_eq!(timingsafe_differ(b"abcd", b"abcd"), 0);
        assert_ne!(timingsafe_differ(b"abcd", b"abce"), 0);
        assert_ne!(timingsafe_differ(b"\x80bcd", b"abcd"), 0);
        assert_eq!(timingsafe_differ(b"", b""), 0);
    }

    #[test]
    fn random_bytes_vary() {
        let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
        assert!(fill_random(&mut a) && fill_random(&mut b));
        assert_ne!(a, b);
    }

    #[test]
    fn atoi_is_c_atoi() {
        assert_eq!(atoi(b"42abc"), 42);
        assert_eq!(atoi(b"  -7"), -7);
        assert_eq!(atoi(b"+5 "), 5);
        assert_eq!(atoi(b"x1"), 0);
        assert_eq!(atoi(b""), 0);
    }
}
