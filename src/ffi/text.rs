//! Text and encoding helpers: base64, hex, random, SHA-1, constant-time
//! compare, wildcard/substring search, URI splitting, URL escaping,
//! humanize, HTTP dates, header token names, big-endian and VBI integers.
//! The algorithms are in `crate::text`; this converts the C buffers.
//!
//! Where lws puts a NUL after its output even when the output filled the
//! size it was given (base64 decode, urldecode, urlencode with no room), we
//! write it there too: callers of lws size their buffers for it.

use std::ffi::{c_char, c_int, c_uchar, c_void, CStr};
use std::ptr;

use super::types::*;
use super::{guard, handle, null};
use crate::core::Error;
use crate::text::{self, base64, date, hex, humanize, strings, tokens};

/// The bytes of a C string, without its NUL.
///
/// # Safety
/// `p` is non-NULL and NUL-terminated, and outlives `'a`.
pub(super) unsafe fn c_bytes<'a>(p: *const c_char) -> &'a [u8] {
    // SAFETY: the caller's contract.
    unsafe { CStr::from_ptr(p) }.to_bytes()
}

/// `len` bytes at `p` (which may be NULL when `len` is 0).
///
/// # Safety
/// `p` is valid for reading `len` bytes when `len > 0`.
pub(super) unsafe fn bytes<'a>(p: *const u8, len: usize) -> &'a [u8] {
    if len == 0 || p.is_null() {
        return &[];
    }
    // SAFETY: the caller's contract.
    unsafe { std::slice::from_raw_parts(p, len) }
}

/// `len` writable bytes at `p` (which may be NULL when `len` is 0).
///
/// # Safety
/// `p` is valid for writing `len` bytes when `len > 0`, and nothing else
/// refers to them meanwhile.
pub(super) unsafe fn bytes_mut<'a>(p: *mut u8, len: usize) -> &'a mut [u8] {
    if len == 0 || p.is_null() {
        return &mut [];
    }
    // SAFETY: the caller's contract.
    unsafe { std::slice::from_raw_parts_mut(p, len) }
}

/// Writes `s` and a NUL at `dest`.
///
/// # Safety
/// `dest` has room for `s.len() + 1` bytes.
pub(super) unsafe fn put_c(dest: *mut c_char, s: &[u8]) {
    // SAFETY: the caller's contract.
    unsafe { ptr::copy_nonoverlapping(s.as_ptr().cast::<c_char>(), dest, s.len()) };
    // SAFETY: as above, the byte after the text.
    unsafe { *dest.wrapping_add(s.len()) = 0 };
}

fn len_of(n: usize) -> c_int {
    c_int::try_from(n).unwrap_or(c_int::MAX)
}

/// Base64 with `alphabet` into a C buffer.
///
/// # Safety
/// `in_` has `in_len` bytes, `out` has `out_size`.
unsafe fn b64_encode(
    alphabet: &[u8; 64],
    in_: *const c_char,
    in_len: c_int,
    out: *mut c_char,
    out_size: c_int,
) -> Result<c_int, Error> {
    let (Ok(n), Ok(size)) = (usize::try_from(in_len), usize::try_from(out_size.max(0))) else {
        return Err(Error::Refused("negative in_len"));
    };
    if (n > 0 && in_.is_null()) || (size > 0 && out.is_null()) {
        return Err(null("in or out is NULL"));
    }
    // SAFETY: `in_len` readable bytes by contract.
    let input = unsafe { bytes(in_.cast::<u8>(), n) };
    // SAFETY: `out_size` writable bytes by contract.
    let output = unsafe { bytes_mut(out.cast::<u8>(), size) };
    Ok(base64::encode(alphabet, input, output).map_or(-1, len_of))
}

/// Base64-encodes `in_len` bytes into `out` (NUL-terminated): the text
/// length, or -1 when `out_size` is too small (it needs the length + 2).
///
/// # Safety
/// `in_` has `in_len` bytes; `out` has room for `out_size` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_b64_encode_string(
    in_: *const c_char,
    in_len: c_int,
    out: *mut c_char,
    out_size: c_int,
) -> c_int {
    guard("lws_b64_encode_string", -1, || {
        // SAFETY: forwarded contract.
        unsafe { b64_encode(base64::STANDARD, in_, in_len, out, out_size) }
    })
}

/// As `lws_b64_encode_string` with the URL alphabet (`-` and `_`).
///
/// # Safety
/// As `lws_b64_encode_string`.
#[no_mangle]
pub unsafe extern "C" fn lws_b64_encode_string_url(
    in_: *const c_char,
    in_len: c_int,
    out: *mut c_char,
    out_size: c_int,
) -> c_int {
    guard("lws_b64_encode_string_url", -1, || {
        // SAFETY: forwarded contract.
        unsafe { b64_encode(base64::URL_SAFE, in_, in_len, out, out_size) }
    })
}

/// Decodes base64 (either alphabet) into `out`, NUL-terminated after the
/// data: the byte count. A negative `in_len` means up to the NUL.
///
/// # Safety
/// `in_` has `in_len` bytes or is NUL-terminated; `out` has `out_size` bytes
/// plus one for the NUL when the data fills it.
unsafe fn b64_decode(
    in_: *const c_char,
    in_len: c_int,
    out: *mut c_char,
    out_size: c_int,
) -> Result<c_int, Error> {
    if in_.is_null() || out.is_null() {
        return Err(null("in or out is NULL"));
    }
    let size = usize::try_from(out_size).map_err(|_| Error::Refused("negative out_size"))?;
    let input = match usize::try_from(in_len) {
        // SAFETY: `in_len` readable bytes by contract.
        Ok(n) => unsafe { bytes(in_.cast::<u8>(), n) },
        // SAFETY: NUL-terminated by contract.
        Err(_) => unsafe { c_bytes(in_) },
    };
    // SAFETY: `out_size` writable bytes by contract.
    let output = unsafe { bytes_mut(out.cast::<u8>(), size) };
    let n = base64::decode(input, output);
    // SAFETY: lws's contract: the NUL follows the data (see the module doc).
    unsafe { *out.wrapping_add(n) = 0 };
    Ok(len_of(n))
}

/// Decodes the NUL-terminated base64 `in_` into `out`: the byte count (0
/// when nothing was decoded; cut at whole groups when `out` is small).
///
/// # Safety
/// `in_` NUL-terminated; `out` has `out_size` bytes (+1 when filled).
#[no_mangle]
pub unsafe extern "C" fn lws_b64_decode_string(
    in_: *const c_char,
    out: *mut c_char,
    out_size: c_int,
) -> c_int {
    guard("lws_b64_decode_string", -1, || {
        // SAFETY: forwarded contract.
        unsafe { b64_decode(in_, -1, out, out_size) }
    })
}

/// As `lws_b64_decode_string` for the first `in_len` characters of `in_`.
///
/// # Safety
/// `in_` has `in_len` bytes; `out` has `out_size` bytes (+1 when filled).
#[no_mangle]
pub unsafe extern "C" fn lws_b64_decode_string_len(
    in_: *const c_char,
    in_len: c_int,
    out: *mut c_char,
    out_size: c_int,
) -> c_int {
    guard("lws_b64_decode_string_len", -1, || {
        // SAFETY: forwarded contract.
        unsafe { b64_decode(in_, in_len, out, out_size) }
    })
}

/// Resets a streaming base64 decoder.
///
/// # Safety
/// `state` points at a `struct lws_b64state`.
#[no_mangle]
pub unsafe extern "C" fn lws_b64_decode_state_init(state: *mut lws_b64state) {
    guard("lws_b64_decode_state_init", (), || {
        if state.is_null() {
            return Err(null("state is NULL"));
        }
        // SAFETY: a valid state by contract.
        unsafe {
            state.write(lws_b64state {
                quad: [0; 4],
                done: 0,
                len: 0,
                i: 0,
                c: 0,
            })
        };
        Ok(())
    })
}

/// Decodes one chunk of base64: `*in_len` characters in, at most
/// `*out_size` bytes out (whole groups); both are updated to what was used
/// and made, and a NUL follows the output. With `final` a partial last group
/// is flushed. Returns 0, or -1 for NULL arguments.
///
/// # Safety
/// `s` is a state set up by `lws_b64_decode_state_init`; `in_` has `*in_len`
/// bytes; `out` has `*out_size` bytes (+1 for the NUL when filled).
#[no_mangle]
pub unsafe extern "C" fn lws_b64_decode_stateful(
    s: *mut lws_b64state,
    in_: *const c_char,
    in_len: *mut usize,
    out: *mut u8,
    out_size: *mut usize,
    final_: c_int,
) -> c_int {
    guard("lws_b64_decode_stateful", -1, || {
        if s.is_null() || in_len.is_null() || out_size.is_null() || out.is_null() {
            return Err(null("state, in_len, out or out_size is NULL"));
        }
        // SAFETY: valid pointers by contract.
        let c = unsafe { *s };
        // SAFETY: as above.
        let il = unsafe { *in_len };
        // SAFETY: as above.
        let ol = unsafe { *out_size };
        if il > 0 && in_.is_null() {
            return Err(null("in is NULL"));
        }
        let mut st = base64::DecodeState {
            quad: c.quad,
            done: c.done,
            len: c.len,
            i: c.i,
            c: c.c,
        };
        // SAFETY: `*in_len` readable bytes by contract.
        let input = unsafe { bytes(in_.cast::<u8>(), il) };
        // SAFETY: `*out_size` writable bytes by contract.
        let output = unsafe { bytes_mut(out, ol) };
        let (used, made) = base64::decode_step(&mut st, input, output, final_ != 0);
        // SAFETY: lws's contract: the NUL follows the output.
        unsafe { *out.wrapping_add(made) = 0 };
        let back = lws_b64state {
            quad: st.quad,
            done: st.done,
            len: st.len,
            i: st.i,
            c: st.c,
        };
        // SAFETY: valid pointers by contract.
        unsafe { s.write(back) };
        // SAFETY: as above.
        unsafe { in_len.write(used) };
        // SAFETY: as above.
        unsafe { out_size.write(made) };
        Ok(0)
    })
}

/// Renders `slen` bytes as lower-case hex into `dest` (`len` bytes with the
/// NUL, truncated to fit).
///
/// # Safety
/// `src` has `slen` bytes; `dest` has `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_hex_from_byte_array(
    src: *const u8,
    slen: usize,
    dest: *mut c_char,
    len: usize,
) {
    guard("lws_hex_from_byte_array", (), || {
        if dest.is_null() || len == 0 || (slen > 0 && src.is_null()) {
            return Err(Error::Refused("NULL src or dest, or len 0"));
        }
        // SAFETY: `slen` readable bytes by contract.
        let text = hex::from_bytes(unsafe { bytes(src, slen) }, len);
        // SAFETY: `from_bytes` leaves room for the NUL within `len`.
        unsafe { put_c(dest, &text) };
        Ok(())
    })
}

/// Decodes the NUL-terminated hex text `h` into `dest`: the byte count, or
/// -1 for bad hex, an odd length, or `max` not above the byte count.
///
/// # Safety
/// `h` NUL-terminated; `dest` has room for `max` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_hex_to_byte_array(
    h: *const c_char,
    dest: *mut u8,
    max: c_int,
) -> c_int {
    guard("lws_hex_to_byte_array", -1, || {
        if h.is_null() || dest.is_null() {
            return Err(null("h or dest is NULL"));
        }
        if max < 0 {
            return Err(Error::Refused("negative max"));
        }
        // SAFETY: NUL-terminated by contract.
        let (data, n) = hex::to_bytes(unsafe { c_bytes(h) }, max);
        // SAFETY: `to_bytes` makes at most `max` bytes.
        unsafe { ptr::copy_nonoverlapping(data.as_ptr(), dest, data.len()) };
        Ok(n)
    })
}

/// Fills `len` bytes from the system's random source: `len`, or 0 on failure.
///
/// # Safety
/// `context` is a live context; `buf` has room for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_get_random(
    context: *mut lws_context,
    buf: *mut c_void,
    len: usize,
) -> usize {
    guard("lws_get_random", 0, || {
        // SAFETY: checked handle conversion.
        unsafe { handle::context_any_thread(context) }?;
        if len > 0 && buf.is_null() {
            return Err(null("buf is NULL"));
        }
        // SAFETY: `len` writable bytes by contract.
        let out = unsafe { bytes_mut(buf.cast::<u8>(), len) };
        Ok(if text::fill_random(out) { len } else { 0 })
    })
}

/// Writes `len - 1` random lower-case hex characters and a NUL: 0, or 1 when
/// there was no randomness (or `len` is 0).
///
/// # Safety
/// `context` is a live context; `dest` has room for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_hex_random(
    context: *mut lws_context,
    dest: *mut c_char,
    len: usize,
) -> c_int {
    guard("lws_hex_random", 1, || {
        // SAFETY: checked handle conversion.
        unsafe { handle::context_any_thread(context) }?;
        if dest.is_null() || len == 0 {
            return Err(Error::Refused("dest is NULL or len is 0"));
        }
        let mut random = vec![0u8; hex::random_bytes_needed(len)];
        if !text::fill_random(&mut random) {
            return Ok(1);
        }
        // SAFETY: `random_text` makes `len - 1` characters.
        unsafe { put_c(dest, &hex::random_text(&random, len)) };
        Ok(0)
    })
}

/// The 20-byte SHA-1 digest of `n` bytes at `d`, into `md`; returns `md`.
///
/// # Safety
/// `d` has `n` bytes; `md` has room for 20.
#[no_mangle]
pub unsafe extern "C" fn lws_SHA1(d: *const c_uchar, n: usize, md: *mut c_uchar) -> *mut c_uchar {
    guard("lws_SHA1", ptr::null_mut(), || {
        if md.is_null() || (n > 0 && d.is_null()) {
            return Err(null("d or md is NULL"));
        }
        // SAFETY: `n` readable bytes by contract.
        let digest = text::sha1(unsafe { bytes(d, n) });
        // SAFETY: room for 20 bytes by contract.
        unsafe { ptr::copy_nonoverlapping(digest.as_ptr(), md, digest.len()) };
        Ok(md)
    })
}

/// Compares `len` bytes in constant time: 0 when equal, else nonzero.
///
/// # Safety
/// `a` and `b` have `len` bytes each.
#[no_mangle]
pub unsafe extern "C" fn lws_timingsafe_bcmp(
    a: *const c_void,
    b: *const c_void,
    len: u32,
) -> c_int {
    guard("lws_timingsafe_bcmp", 1, || {
        if len > 0 && (a.is_null() || b.is_null()) {
            return Err(null("a or b is NULL"));
        }
        let n = len as usize;
        // SAFETY: `len` readable bytes by contract.
        let x = unsafe { bytes(a.cast::<u8>(), n) };
        // SAFETY: as above.
        let y = unsafe { bytes(b.cast::<u8>(), n) };
        Ok(c_int::from(text::timingsafe_differ(x, y)))
    })
}

/// Zeroes `len` bytes in a way the compiler may not drop (for secrets).
///
/// # Safety
/// `p` has `len` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_explicit_bzero(p: *mut c_void, len: usize) {
    guard("lws_explicit_bzero", (), || {
        if len > 0 && p.is_null() {
            return Err(null("p is NULL"));
        }
        let base = p.cast::<u8>();
        for i in 0..len {
            // SAFETY: `len` writable bytes by contract; volatile so it stays.
            unsafe { ptr::write_volatile(base.wrapping_add(i), 0) };
        }
        Ok(())
    })
}

/// 0 when `check` matches `wildcard` (up to three `*`), else 1.
///
/// # Safety
/// `wildcard` has `wlen` bytes, `check` has `clen`.
#[no_mangle]
pub unsafe extern "C" fn lws_strcmp_wildcard(
    wildcard: *const c_char,
    wlen: usize,
    check: *const c_char,
    clen: usize,
) -> c_int {
    guard("lws_strcmp_wildcard", 1, || {
        if (wlen > 0 && wildcard.is_null()) || (clen > 0 && check.is_null()) {
            return Err(null("wildcard or check is NULL"));
        }
        // SAFETY: `wlen` readable bytes by contract.
        let w = unsafe { bytes(wildcard.cast::<u8>(), wlen) };
        // SAFETY: `clen` readable bytes by contract.
        let c = unsafe { bytes(check.cast::<u8>(), clen) };
        Ok(strings::strcmp_wildcard(w, c))
    })
}

/// The first occurrence of `name` (`nl` bytes) in `buf` (`len` bytes), or NULL.
///
/// # Safety
/// `buf` has `len` bytes, `name` has `nl`.
#[no_mangle]
pub unsafe extern "C" fn lws_nstrstr(
    buf: *const c_char,
    len: usize,
    name: *const c_char,
    nl: usize,
) -> *const c_char {
    guard("lws_nstrstr", ptr::null(), || {
        if (len > 0 && buf.is_null()) || (nl > 0 && name.is_null()) {
            return Err(null("buf or name is NULL"));
        }
        // SAFETY: `len` readable bytes by contract.
        let hay = unsafe { bytes(buf.cast::<u8>(), len) };
        // SAFETY: `nl` readable bytes by contract.
        let needle = unsafe { bytes(name.cast::<u8>(), nl) };
        Ok(strings::nstrstr(hay, needle).map_or(ptr::null(), |at| buf.wrapping_add(at)))
    })
}

/// Cuts `p` ("prot://ads:port/path") into pieces in place; `*port` is set
/// when given or implied by the scheme. Returns 0, or -1 for NULL arguments.
///
/// # Safety
/// `p` is a writable NUL-terminated string; the others point at writable
/// results.
#[no_mangle]
pub unsafe extern "C" fn lws_parse_uri(
    p: *mut c_char,
    prot: *mut *const c_char,
    ads: *mut *const c_char,
    port: *mut c_int,
    path: *mut *const c_char,
) -> c_int {
    guard("lws_parse_uri", -1, || {
        if p.is_null() || prot.is_null() || ads.is_null() || port.is_null() || path.is_null() {
            return Err(null("an argument is NULL"));
        }
        // SAFETY: NUL-terminated by contract.
        let n = unsafe { c_bytes(p) }.len();
        // SAFETY: the string and its NUL are writable by contract.
        let buf = unsafe { bytes_mut(p.cast::<u8>(), n + 1) };
        let parts = strings::parse_uri(buf);
        // SAFETY: result pointers are writable by contract.
        unsafe { prot.write(p.wrapping_add(parts.prot)) };
        // SAFETY: as above.
        unsafe { ads.write(p.wrapping_add(parts.ads)) };
        if let Some(v) = parts.port {
            // SAFETY: as above.
            unsafe { port.write(v) };
        }
        let path_ptr = parts
            .path
            .map_or(c"/".as_ptr(), |at| p.wrapping_add(at).cast_const());
        // SAFETY: as above.
        unsafe { path.write(path_ptr) };
        Ok(0)
    })
}

/// Decodes `%XX` and `+` of `escaped` into `string` (at most `len` bytes,
/// then a NUL; in place is fine): 0, or -1 on a bad escape.
///
/// # Safety
/// `escaped` NUL-terminated; `string` has room for `len` bytes and the NUL.
#[no_mangle]
pub unsafe extern "C" fn lws_urldecode(
    string: *mut c_char,
    escaped: *const c_char,
    len: c_int,
) -> c_int {
    guard("lws_urldecode", -1, || {
        if string.is_null() || escaped.is_null() {
            return Err(null("string or escaped is NULL"));
        }
        let len = usize::try_from(len).map_err(|_| Error::Refused("negative len"))?;
        // SAFETY: NUL-terminated by contract; copied, as it may be `string`.
        let input = unsafe { c_bytes(escaped) }.to_vec();
        let (decoded, rc) = match strings::urldecode(&input, len) {
            Ok(d) => (d, 0),
            Err(d) => (d, -1),
        };
        // SAFETY: at most `len` bytes fit by contract.
        unsafe { ptr::copy(decoded.as_ptr().cast::<c_char>(), string, decoded.len()) };
        if rc == 0 {
            // SAFETY: lws's contract: the NUL follows the text.
            unsafe { *string.wrapping_add(decoded.len()) = 0 };
        }
        Ok(rc)
    })
}

/// URL-encodes `string` into `escaped` (`len` bytes with the NUL); returns
/// `escaped`.
///
/// # Safety
/// `string` NUL-terminated; `escaped` has `len` bytes (at least 1), and is
/// not `string`.
#[no_mangle]
pub unsafe extern "C" fn lws_urlencode(
    escaped: *mut c_char,
    string: *const c_char,
    len: c_int,
) -> *const c_char {
    guard("lws_urlencode", ptr::null(), || {
        if escaped.is_null() || string.is_null() {
            return Err(null("escaped or string is NULL"));
        }
        // SAFETY: NUL-terminated by contract.
        let text = strings::urlencode(unsafe { c_bytes(string) }, len);
        // SAFETY: `urlencode` leaves room for the NUL within `len`.
        unsafe { put_c(escaped, &text) };
        Ok(escaped.cast_const())
    })
}

/// Replaces `..`, `:`, `\`, `$` and `%` in a file name with `_`.
///
/// # Safety
/// `filename` is a writable NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn lws_filename_purify_inplace(filename: *mut c_char) {
    guard("lws_filename_purify_inplace", (), || {
        if filename.is_null() {
            return Err(null("filename is NULL"));
        }
        // SAFETY: NUL-terminated by contract.
        let n = unsafe { c_bytes(filename) }.len();
        // SAFETY: writable by contract.
        strings::filename_purify(unsafe { bytes_mut(filename.cast::<u8>(), n) });
        Ok(())
    })
}

/// Renders `value` with the units of `schema` ("1.000Ki") into `buf`:
/// the text length.
///
/// # Safety
/// `buf` has `len` bytes; `schema` is an array ending with a NULL name.
#[no_mangle]
pub unsafe extern "C" fn lws_humanize(
    buf: *mut c_char,
    len: usize,
    value: u64,
    schema: *const lws_humanize_unit_t,
) -> c_int {
    guard("lws_humanize", 0, || {
        if buf.is_null() || schema.is_null() {
            return Err(null("buf or schema is NULL"));
        }
        let mut units = Vec::new();
        for i in 0.. {
            // SAFETY: the array runs to its NULL name by contract.
            let row = unsafe { *schema.wrapping_add(i) };
            if row.name.is_null() {
                break;
            }
            if i == 256 {
                return Err(Error::Refused(
                    "schema has no end (256 rows without a NULL name)",
                ));
            }
            // SAFETY: names are NUL-terminated by contract.
            let name = unsafe { CStr::from_ptr(row.name) };
            units.push(humanize::Unit {
                name,
                factor: row.factor,
            });
        }
        // SAFETY: `len` writable bytes by contract.
        Ok(humanize::humanize(
            unsafe { bytes_mut(buf.cast::<u8>(), len) },
            value,
            &units,
        ))
    })
}

/// The lower-case text lws matches for header token `token` ("host:"), or
/// NULL past the known tokens.
///
/// # Safety
/// Always safe to call.
#[no_mangle]
pub unsafe extern "C" fn lws_token_to_string(token: lws_token_indexes) -> *const c_uchar {
    guard("lws_token_to_string", ptr::null(), || {
        Ok(tokens::token_name(token).map_or(ptr::null(), |s| s.as_ptr().cast::<c_uchar>()))
    })
}

/// Renders `*t` as an RFC 7231 date into `buf` (at least 29 bytes): 0, or -1.
///
/// # Safety
/// `buf` has `len` bytes; `t` points at a time.
#[no_mangle]
pub unsafe extern "C" fn lws_http_date_render_from_unix(
    buf: *mut c_char,
    len: usize,
    t: *const libc::time_t,
) -> c_int {
    guard("lws_http_date_render_from_unix", -1, || {
        if buf.is_null() || t.is_null() {
            return Err(null("buf or t is NULL"));
        }
        // SAFETY: a valid time by contract.
        let Some(text) = date::render(unsafe { *t }, len) else {
            return Ok(-1);
        };
        // SAFETY: `render` returns at most `len` bytes, NUL included.
        unsafe { ptr::copy_nonoverlapping(text.as_ptr().cast::<c_char>(), buf, text.len()) };
        Ok(0)
    })
}

/// Parses an RFC 7231 date (the first 29 of `len` bytes of `b`) into `*t`:
/// 0, or -1 (also, after storing it, for the time -1, as lws does).
///
/// # Safety
/// `b` has `len` bytes; `t` is writable.
#[no_mangle]
pub unsafe extern "C" fn lws_http_date_parse_unix(
    b: *const c_char,
    len: usize,
    t: *mut libc::time_t,
) -> c_int {
    guard("lws_http_date_parse_unix", -1, || {
        if b.is_null() || t.is_null() {
            return Err(null("b or t is NULL"));
        }
        // SAFETY: `len` readable bytes by contract.
        let Some(v) = date::parse(unsafe { bytes(b.cast::<u8>(), len) }) else {
            return Ok(-1);
        };
        // SAFETY: writable by contract.
        unsafe { t.write(v) };
        Ok(if v as c_int == -1 { -1 } else { 0 })
    })
}

/// Stores `N` big-endian bytes at `b`.
///
/// # Safety
/// `b` has room for `N` bytes.
unsafe fn store_be<const N: usize>(b: *mut u8, v: [u8; N]) -> Result<(), Error> {
    if b.is_null() {
        return Err(null("b is NULL"));
    }
    // SAFETY: room for N bytes by contract.
    unsafe { ptr::copy_nonoverlapping(v.as_ptr(), b, N) };
    Ok(())
}

/// Loads `N` bytes at `b` (zeros for NULL, with a log line).
///
/// # Safety
/// `b` has `N` bytes.
unsafe fn load_be<const N: usize>(b: *const u8) -> Result<[u8; N], Error> {
    if b.is_null() {
        return Err(null("b is NULL"));
    }
    let mut v = [0u8; N];
    // SAFETY: N readable bytes by contract.
    unsafe { ptr::copy_nonoverlapping(b, v.as_mut_ptr(), N) };
    Ok(v)
}

/// Writes `u` as 2 big-endian bytes.
///
/// # Safety
/// `b` has room for 2 bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_ser_wu16be(b: *mut u8, u: u16) {
    guard("lws_ser_wu16be", (), || {
        // SAFETY: forwarded contract.
        unsafe { store_be(b, u.to_be_bytes()) }
    })
}

/// Writes `u32` as 4 big-endian bytes.
///
/// # Safety
/// `b` has room for 4 bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_ser_wu32be(b: *mut u8, u32: u32) {
    guard("lws_ser_wu32be", (), || {
        // SAFETY: forwarded contract.
        unsafe { store_be(b, u32.to_be_bytes()) }
    })
}

/// Writes `u64` as 8 big-endian bytes.
///
/// # Safety
/// `b` has room for 8 bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_ser_wu64be(b: *mut u8, u64: u64) {
    guard("lws_ser_wu64be", (), || {
        // SAFETY: forwarded contract.
        unsafe { store_be(b, u64.to_be_bytes()) }
    })
}

/// Reads 2 big-endian bytes.
///
/// # Safety
/// `b` has 2 bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_ser_ru16be(b: *const u8) -> u16 {
    guard("lws_ser_ru16be", 0, || {
        // SAFETY: forwarded contract.
        Ok(u16::from_be_bytes(unsafe { load_be(b) }?))
    })
}

/// Reads 4 big-endian bytes.
///
/// # Safety
/// `b` has 4 bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_ser_ru32be(b: *const u8) -> u32 {
    guard("lws_ser_ru32be", 0, || {
        // SAFETY: forwarded contract.
        Ok(u32::from_be_bytes(unsafe { load_be(b) }?))
    })
}

/// Reads 8 big-endian bytes.
///
/// # Safety
/// `b` has 8 bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_ser_ru64be(b: *const u8) -> u64 {
    guard("lws_ser_ru64be", 0, || {
        // SAFETY: forwarded contract.
        Ok(u64::from_be_bytes(unsafe { load_be(b) }?))
    })
}

/// Writes `value` (at most 0xfffffff) as a variable byte integer: its
/// length (1..=4), or -1.
///
/// # Safety
/// `buf` has room for 4 bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_vbi_encode(value: u64, buf: *mut c_void) -> c_int {
    guard("lws_vbi_encode", -1, || {
        if buf.is_null() {
            return Err(null("buf is NULL"));
        }
        let Some(v) = strings::vbi_encode(value) else {
            return Err(Error::Refused("value above 0xfffffff"));
        };
        // SAFETY: room for up to 4 bytes by contract.
        unsafe { ptr::copy_nonoverlapping(v.as_ptr(), buf.cast::<u8>(), v.len()) };
        Ok(len_of(v.len()))
    })
}

/// lws 4.3.3's variable byte integer reader (see `strings::vbi_decode`):
/// sets `*value` and returns the offset of the byte it stopped at, or 0.
///
/// # Safety
/// `buf` has `len` bytes; `value` is writable.
#[no_mangle]
pub unsafe extern "C" fn lws_vbi_decode(buf: *const c_void, value: *mut u64, len: usize) -> c_int {
    guard("lws_vbi_decode", 0, || {
        if value.is_null() || (len > 0 && buf.is_null()) {
            return Err(null("buf or value is NULL"));
        }
        // SAFETY: `len` readable bytes by contract.
        let Some((at, v)) = strings::vbi_decode(unsafe { bytes(buf.cast::<u8>(), len) }) else {
            return Ok(0);
        };
        // SAFETY: writable by contract.
        unsafe { value.write(v) };
        Ok(len_of(at))
    })
}
