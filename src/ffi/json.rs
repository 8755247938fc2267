//! lws-misc.h / lws-purify.h: finding a JSON member without a parser, and
//! escaping text for JSON strings and SQL literals ([`crate::json::simple`]).

use std::ffi::{c_char, c_int, CStr};
use std::ptr;

use super::guard;
use crate::core::Error;
use crate::json::simple;

/// The bytes of a NUL-terminated C string.
///
/// # Safety
/// `s` is a non-NULL NUL-terminated string valid for the returned lifetime.
unsafe fn c_bytes<'a>(s: *const c_char) -> &'a [u8] {
    // SAFETY: by contract.
    unsafe { CStr::from_ptr(s) }.to_bytes()
}

/// Writes `out` and a NUL at `dest`.
///
/// # Safety
/// `dest` is writable for `out.len() + 1` bytes.
unsafe fn put_c_string(dest: *mut c_char, out: &[u8]) {
    // SAFETY: room for `out` by contract.
    unsafe { ptr::copy_nonoverlapping(out.as_ptr().cast::<c_char>(), dest, out.len()) };
    // SAFETY: and for its NUL.
    unsafe { *dest.wrapping_add(out.len()) = 0 };
}

/// Finds the value after `name` (e.g. `"\"id\":"`) in `buf[0..len]`:
/// returns a pointer to it inside `buf` and its length in `*alen`, or NULL.
///
/// # Safety
/// `buf` is readable for `len` bytes, `name` NUL-terminated, `alen` writable.
#[no_mangle]
pub unsafe extern "C" fn lws_json_simple_find(
    buf: *const c_char,
    len: usize,
    name: *const c_char,
    alen: *mut usize,
) -> *const c_char {
    guard("lws_json_simple_find", ptr::null(), || {
        if buf.is_null() || name.is_null() || alen.is_null() {
            return Err(super::null("buf, name or alen is NULL"));
        }
        // SAFETY: readable for `len` bytes by contract.
        let hay = unsafe { std::slice::from_raw_parts(buf.cast::<u8>(), len) };
        // SAFETY: NUL-terminated by contract.
        let name = unsafe { c_bytes(name) };
        let Some((at, n)) = simple::simple_find(hay, name) else {
            return Ok(ptr::null());
        };
        // SAFETY: writable by contract.
        unsafe { *alen = n };
        Ok(buf.wrapping_add(at))
    })
}

/// 0 when the value after `name` in `buf[0..len]` is exactly `comp`; -1 when
/// it is missing or of another length; otherwise the `strncmp` difference.
///
/// # Safety
/// `buf` is readable for `len` bytes; `name` and `comp` NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn lws_json_simple_strcmp(
    buf: *const c_char,
    len: usize,
    name: *const c_char,
    comp: *const c_char,
) -> c_int {
    guard("lws_json_simple_strcmp", -1, || {
        if buf.is_null() || name.is_null() || comp.is_null() {
            return Err(super::null("buf, name or comp is NULL"));
        }
        // SAFETY: readable for `len` bytes by contract.
        let hay = unsafe { std::slice::from_raw_parts(buf.cast::<u8>(), len) };
        // SAFETY: NUL-terminated by contract.
        let name = unsafe { c_bytes(name) };
        // SAFETY: NUL-terminated by contract.
        let comp = unsafe { c_bytes(comp) };
        Ok(simple::simple_strcmp(hay, name, comp))
    })
}

/// Escapes `string` for a JSON string value into `escaped` (`len` bytes with
/// the NUL); `*in_used` (if not NULL) gets how much of `string` it covers.
/// A NULL `string` gives an empty result. Returns `escaped`.
///
/// # Safety
/// `escaped` is writable for `len` bytes; `string` is NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn lws_json_purify(
    escaped: *mut c_char,
    string: *const c_char,
    len: c_int,
    in_used: *mut c_int,
) -> *const c_char {
    guard("lws_json_purify", ptr::null(), || {
        if escaped.is_null() {
            return Err(super::null("escaped is NULL"));
        }
        if len <= 0 {
            return Err(Error::Refused("len leaves no room for the NUL"));
        }
        if string.is_null() {
            // SAFETY: at least one writable byte.
            unsafe { *escaped = 0 };
            return Ok(escaped.cast_const());
        }
        // SAFETY: NUL-terminated by contract.
        let (out, used) = simple::json_purify(unsafe { c_bytes(string) }, len);
        // SAFETY: json_purify keeps `out` shorter than `len`.
        unsafe { put_c_string(escaped, &out) };
        if !in_used.is_null() {
            // SAFETY: writable by contract.
            unsafe { *in_used = c_int::try_from(used).unwrap_or(c_int::MAX) };
        }
        Ok(escaped.cast_const())
    })
}

/// How many bytes `lws_json_purify` may need for `string` (without the NUL).
///
/// # Safety
/// `string` is NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn lws_json_purify_len(string: *const c_char) -> c_int {
    guard("lws_json_purify_len", 0, || {
        if string.is_null() {
            return Err(super::null("string is NULL"));
        }
        // SAFETY: NUL-terminated by contract.
        let n = simple::json_purify_len(unsafe { c_bytes(string) });
        Ok(c_int::try_from(n).unwrap_or(c_int::MAX))
    })
}

/// Copies `string` into `escaped` (`len` bytes with the NUL) doubling each
/// `'` for an SQL literal. Returns `escaped`.
///
/// # Safety
/// `escaped` is writable for `len` bytes; `string` is NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn lws_sql_purify(
    escaped: *mut c_char,
    string: *const c_char,
    len: usize,
) -> *const c_char {
    guard("lws_sql_purify", ptr::null(), || {
        if escaped.is_null() {
            return Err(super::null("escaped is NULL"));
        }
        if len == 0 {
            return Err(Error::Refused("len leaves no room for the NUL"));
        }
        let out = if string.is_null() {
            Vec::new()
        } else {
            // SAFETY: NUL-terminated by contract.
            simple::sql_purify(unsafe { c_bytes(string) }, len)
        };
        // SAFETY: sql_purify keeps `out` shorter than `len`.
        unsafe { put_c_string(escaped, &out) };
        Ok(escaped.cast_const())
    })
}
