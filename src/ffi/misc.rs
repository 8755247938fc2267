//! lws-misc.h and friends: command-line helpers, strings, version (B7.4, B7.5).

use std::ffi::{c_char, c_int, CStr};
use std::ptr;

use super::context::VERSION;
use super::guard;
use super::types::lws_context_creation_info;
use crate::log::level;

/// Finds option `val` in argv, scanning from the last element back (argv[0]
/// excluded): "-x v" gives "v", a final "-x" gives "", "-x=v" and "-xv" give
/// "v"; NULL when absent (B7.4).
///
/// # Safety
/// `argv` holds `argc` NUL-terminated strings; `val` is NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn lws_cmdline_option(
    argc: c_int,
    argv: *mut *const c_char,
    val: *const c_char,
) -> *const c_char {
    guard("lws_cmdline_option", ptr::null(), || {
        if argv.is_null() || val.is_null() || argc < 2 {
            return Ok(ptr::null());
        }
        // SAFETY: NUL-terminated by contract.
        let want = unsafe { CStr::from_ptr(val) }.to_bytes();
        let argc = argc as usize;
        for n in (1..argc).rev() {
            // SAFETY: n < argc.
            let a = unsafe { *argv.wrapping_add(n) };
            if a.is_null() {
                continue;
            }
            // SAFETY: argv entries are NUL-terminated.
            let arg = unsafe { CStr::from_ptr(a) }.to_bytes();
            if !arg.starts_with(want) {
                continue;
            }
            if arg.len() == want.len() {
                if n + 1 < argc {
                    // SAFETY: n + 1 < argc.
                    let next = unsafe { *argv.wrapping_add(n + 1) };
                    // SAFETY: argv entries are NUL-terminated.
                    if !next.is_null() && unsafe { CStr::from_ptr(next) }.to_bytes().len() > 1024 {
                        return Ok(ptr::null());
                    }
                    return Ok(next);
                }
                return Ok(c"".as_ptr());
            }
            let skip = want.len() + usize::from(arg[want.len()] == b'=');
            // SAFETY: `skip` <= arg.len(), inside the same C string.
            return Ok(unsafe { a.add(skip) });
        }
        Ok(ptr::null())
    })
}

/// Handles the options every lws example accepts: `-d <levels>` (default
/// USER|ERR|WARN|NOTICE) and `--ignore-sigterm`; always sets the log level.
///
/// # Safety
/// As `lws_cmdline_option`; `info` may be NULL.
#[no_mangle]
pub unsafe extern "C" fn lws_cmdline_option_handle_builtin(
    argc: c_int,
    argv: *mut *const c_char,
    info: *mut lws_context_creation_info,
) {
    guard("lws_cmdline_option_handle_builtin", (), || {
        let _ = info;
        let mut levels = (level::USER | level::ERR | level::WARN | level::NOTICE) as c_int;
        // SAFETY: forwarded contract.
        let d = unsafe { lws_cmdline_option(argc, argv, c"-d".as_ptr()) };
        if !d.is_null() {
            // SAFETY: a NUL-terminated argv string.
            let s = unsafe { CStr::from_ptr(d) }.to_string_lossy();
            levels = parse_c_int(&s);
        }
        // SAFETY: forwarded contract.
        if !unsafe { lws_cmdline_option(argc, argv, c"--ignore-sigterm".as_ptr()) }.is_null() {
            // SAFETY: ignoring SIGTERM is what the option asks for.
            unsafe { libc::signal(libc::SIGTERM, libc::SIG_IGN) };
        }
        // SAFETY: NULL keeps the current emitter.
        unsafe { super::logs::lws_set_log_level(levels, None) };
        Ok(())
    })
}

/// atoi-like: leading digits (optional sign), 0 when none.
fn parse_c_int(s: &str) -> c_int {
    let t = s.trim_start();
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let end = digits
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(digits.len());
    let v = digits[..end]
        .parse::<i64>()
        .unwrap_or(0)
        .clamp(0, i64::from(c_int::MAX));
    (if neg { -v } else { v }) as c_int
}

/// Copies at most `size - 1` bytes of `src` and always NUL-terminates; returns
/// `dest`.
///
/// # Safety
/// `dest` has room for `size` bytes; `src` is readable up to its NUL or
/// `size - 1` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_strncpy(
    dest: *mut c_char,
    src: *const c_char,
    size: usize,
) -> *mut c_char {
    guard("lws_strncpy", dest, || {
        if dest.is_null() || size == 0 {
            return Ok(dest);
        }
        if src.is_null() {
            // SAFETY: size >= 1.
            unsafe { *dest = 0 };
            return Ok(dest);
        }
        // Like lws's strncpy(dest, src, size - 1): no byte past the first NUL
        // or past size - 1 is read (lws_strnncpy hands text that is not
        // NUL-terminated, the bound being its length).
        let mut n = 0;
        // SAFETY: readable up to its NUL or size - 1 bytes, whichever is first.
        while n < size - 1 && unsafe { *src.wrapping_add(n) } != 0 {
            n += 1;
        }
        // SAFETY: n < size bytes fit in dest; the regions belong to the caller
        // and strncpy semantics do not allow overlap.
        unsafe { ptr::copy_nonoverlapping(src, dest, n) };
        // SAFETY: n < size.
        unsafe { *dest.wrapping_add(n) = 0 };
        Ok(dest)
    })
}

/// "4.3.3-lws-rs": the lws version this library implements, then its build.
///
/// # Safety
/// Always safe.
#[no_mangle]
pub unsafe extern "C" fn lws_get_library_version() -> *const c_char {
    guard("lws_get_library_version", VERSION.as_ptr(), || {
        Ok(VERSION.as_ptr())
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn atoi_semantics() {
        assert_eq!(super::parse_c_int("1039"), 1039);
        assert_eq!(super::parse_c_int("7x"), 7);
        assert_eq!(super::parse_c_int("x"), 0);
        assert_eq!(super::parse_c_int("-3"), -3);
    }
}
