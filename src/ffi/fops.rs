//! Platform file helpers (issue 12): `lws_open`, whose C-variadic front is in
//! csrc/variadic.c and which ends here with the mode already taken from `...`.

use std::ffi::{c_char, c_int, c_uint};

use super::guard;

/// The body of `lws_open`: open(2) with `mode` (only read by the C front when
/// `O_CREAT` or `O_TMPFILE` is in `oflag`, as lws does), then FD_CLOEXEC set on
/// the descriptor. Returns the fd or -1.
///
/// # Safety
/// `file` is NULL or a NUL-terminated path.
#[no_mangle]
pub unsafe extern "C" fn lws_rs_open(file: *const c_char, oflag: c_int, mode: c_uint) -> c_int {
    guard("lws_open", -1, || {
        if file.is_null() {
            return Err(super::null("NULL path"));
        }
        // SAFETY: NUL-terminated path by contract; open(2) has no other precondition.
        let fd = unsafe { libc::open(file, oflag, mode) };
        if fd < 0 {
            return Ok(-1);
        }
        // SAFETY: `fd` is the descriptor just opened.
        if unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) } < 0 {
            // SAFETY: `fd` is ours and not handed out.
            unsafe { libc::close(fd) };
            return Ok(-1);
        }
        Ok(fd)
    })
}
