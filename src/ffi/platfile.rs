//! lws-purify.h: whole-file helpers `lws_plat_write_file` / `lws_plat_read_file`.

use std::ffi::{c_char, c_int, c_void, CStr};
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use super::guard;

/// # Safety
/// `p` is NULL or a NUL-terminated string.
unsafe fn path_of<'a>(p: *const c_char) -> Option<&'a Path> {
    if p.is_null() {
        return None;
    }
    // SAFETY: NUL-terminated by contract.
    let s = unsafe { CStr::from_ptr(p) };
    Some(Path::new(std::ffi::OsStr::from_bytes(s.to_bytes())))
}

/// Writes `len` bytes of `buf` to `filename`, created (mode 0600) or truncated.
/// Returns 0 on success, 1 on failure.
///
/// # Safety
/// `filename` a C string; `buf` valid for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_plat_write_file(
    filename: *const c_char,
    buf: *mut c_void,
    len: usize,
) -> c_int {
    guard("lws_plat_write_file", 1, || {
        // SAFETY: forwarded contract.
        let path = unsafe { path_of(filename) }.ok_or(super::null("filename is NULL"))?;
        if buf.is_null() && len > 0 {
            return Err(super::null("buf is NULL"));
        }
        let data: &[u8] = if len == 0 {
            &[]
        } else {
            // SAFETY: valid for `len` bytes by contract.
            unsafe { std::slice::from_raw_parts(buf.cast::<u8>(), len) }
        };
        let written = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(path)
            .and_then(|mut f| f.write_all(data));
        Ok(c_int::from(written.is_err()))
    })
}

/// Reads up to `len` bytes of `filename` into `buf` (one read). Returns the
/// count read, or -1 when the file cannot be opened or read.
///
/// # Safety
/// `filename` a C string; `buf` writable for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_plat_read_file(
    filename: *const c_char,
    buf: *mut c_void,
    len: usize,
) -> c_int {
    guard("lws_plat_read_file", -1, || {
        // SAFETY: forwarded contract.
        let path = unsafe { path_of(filename) }.ok_or(super::null("filename is NULL"))?;
        if buf.is_null() && len > 0 {
            return Err(super::null("buf is NULL"));
        }
        let Ok(mut f) = File::open(path) else {
            return Ok(-1);
        };
        if len == 0 {
            return Ok(0);
        }
        // SAFETY: writable for `len` bytes by contract.
        let out = unsafe {
            std::slice::from_raw_parts_mut(buf.cast::<u8>(), len.min(c_int::MAX as usize))
        };
        Ok(f.read(out).map_or(-1, |n| n as c_int))
    })
}
