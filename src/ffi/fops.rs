//! lws-vfs.h and the platform file helpers (issue 12): `lws_open` (its
//! C-variadic front is in csrc/variadic.c and ends here with the mode already
//! taken from `...`), the platform fops `_lws_plat_file_*`, the per-context
//! fops chain (`lws_get_fops` / `lws_set_fops`) and the `lws_vfs_*` helpers.
//!
//! A context's chain starts with its own copy of the platform fops, whose
//! `next` is `info.fops` (lws 4.3.3 without ZIP_FOPS); a path is opened by the
//! first later fops one of whose `fi[].sig` signatures ends a `/`-terminated
//! prefix of the path (`lws_vfs_select_fops`), else by the head.

use std::ffi::{c_char, c_int, c_uint, CStr};
use std::ptr;

use super::callout;
use super::guard;
use super::handle;
use super::types::*;
use crate::core::Error;

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
        // SAFETY: forwarded contract.
        Ok(unsafe { open_cloexec(file, oflag, mode) })
    })
}

/// open(2) then FD_CLOEXEC; -1 on failure.
///
/// # Safety
/// `file` is a NUL-terminated path.
unsafe fn open_cloexec(file: *const c_char, oflag: c_int, mode: c_uint) -> c_int {
    // SAFETY: NUL-terminated path by contract; open(2) has no other precondition.
    let fd = unsafe { libc::open(file, oflag, mode) };
    if fd < 0 {
        return -1;
    }
    // SAFETY: `fd` is the descriptor just opened.
    if unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) } < 0 {
        // SAFETY: `fd` is ours and not handed out.
        unsafe { libc::close(fd) };
        return -1;
    }
    fd
}

/// A context's platform fops table, chained to `next` (`info.fops`).
pub fn platform_fops(next: *const lws_plat_file_ops) -> lws_plat_file_ops {
    let none = || lws_fops_index {
        sig: ptr::null(),
        len: 0,
    };
    lws_plat_file_ops {
        open: Some(_lws_plat_file_open),
        close: Some(_lws_plat_file_close),
        seek_cur: Some(_lws_plat_file_seek_cur),
        read: Some(_lws_plat_file_read),
        write: Some(_lws_plat_file_write),
        fi: [none(), none(), none()],
        next,
    }
}

/// `lws_vfs_select_fops`: the fops of the chain starting at `head` that
/// handles `path`, and where the path's virtual part starts (just after the
/// `/` that ends the matched signature), if a signature matched.
///
/// # Safety
/// `head` is a valid fops table whose chain is valid.
pub unsafe fn select_fops(
    head: *const lws_plat_file_ops,
    path: &CStr,
) -> (*const lws_plat_file_ops, Option<usize>) {
    // SAFETY: a valid table by contract.
    let first = unsafe { (*head).next };
    if first.is_null() {
        return (head, None);
    }
    let bytes = path.to_bytes();
    for (i, _) in bytes.iter().enumerate().filter(|(_, b)| **b == b'/') {
        let mut pf = first;
        while !pf.is_null() {
            // SAFETY: every table in a chain is valid by contract.
            let ops = unsafe { &*pf };
            for fi in ops.fi.iter().take_while(|f| !f.sig.is_null()) {
                let len = usize::from(fi.len);
                // lws compares the `len - 1` bytes ending at the `/` with the
                // start of the signature (".zip/" without its slash).
                if len >= 1 && i >= len {
                    // SAFETY: a NUL-terminated signature of `len` characters.
                    let sig = unsafe { CStr::from_ptr(fi.sig) }.to_bytes();
                    let want = &sig[..(len - 1).min(sig.len())];
                    if &bytes[i + 1 - len..i] == want {
                        return (pf, Some(i + 1));
                    }
                }
            }
            pf = ops.next;
        }
    }
    (head, None)
}

/// The current head of the context's fops chain.
///
/// # Safety
/// `context` is a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_get_fops(context: *mut lws_context) -> *mut lws_plat_file_ops {
    guard("lws_get_fops", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(context) }?;
        Ok(cx.fops.get().cast_mut())
    })
}

/// Replaces the head of the context's fops chain; files opened from now on
/// (mounts, `lws_serve_http_file`) go through it. The table must outlive the
/// context, as in lws.
///
/// # Safety
/// `context` is a live context; `fops` a valid table.
#[no_mangle]
pub unsafe extern "C" fn lws_set_fops(context: *mut lws_context, fops: *const lws_plat_file_ops) {
    guard("lws_set_fops", (), || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(context) }?;
        if fops.is_null() {
            return Err(super::null("fops is NULL"));
        }
        cx.fops.set(fops);
        Ok(())
    })
}

/// Opens `vfs_path` with the fops of the chain at `fops` that handles it
/// (its `open` gets the chain head, the path and where its virtual part
/// starts, or NULL). NULL when it cannot be opened.
///
/// # Safety
/// `fops` a valid chain; `vfs_path` NUL-terminated; `flags` writable.
#[no_mangle]
pub unsafe extern "C" fn lws_vfs_file_open(
    fops: *const lws_plat_file_ops,
    vfs_path: *const c_char,
    flags: *mut lws_fop_flags_t,
) -> lws_fop_fd_t {
    guard("lws_vfs_file_open", ptr::null_mut(), || {
        if fops.is_null() || vfs_path.is_null() || flags.is_null() {
            return Err(super::null("fops, vfs_path or flags is NULL"));
        }
        // SAFETY: NUL-terminated by contract.
        let path = unsafe { CStr::from_ptr(vfs_path) };
        // SAFETY: a valid chain by contract.
        let (selected, vpath) = unsafe { select_fops(fops, path) };
        // SAFETY: `vpath` is an offset inside the path.
        let vpath = vpath.map_or(ptr::null(), |o| unsafe { vfs_path.add(o) });
        // SAFETY: forwarded contract.
        Ok(unsafe { callout::fops_open(selected, fops, vfs_path, vpath, flags) })
    })
}

/// Reads the open file behind `fop_fd`.
///
/// # Safety
/// `fop_fd` is NULL or a valid open file.
unsafe fn fd_ref<'a>(fop_fd: lws_fop_fd_t) -> Result<&'a lws_fop_fd, Error> {
    // SAFETY: NULL or valid by contract.
    unsafe { fop_fd.as_ref() }.ok_or(super::null("fop_fd is NULL"))
}

/// Seeks to `offset` from the start, through the file's `seek_cur`; returns
/// the new position or -1.
///
/// # Safety
/// `fop_fd` is a valid open file.
#[no_mangle]
pub unsafe extern "C" fn lws_vfs_file_seek_set(
    fop_fd: lws_fop_fd_t,
    offset: lws_fileofs_t,
) -> lws_fileofs_t {
    guard("lws_vfs_file_seek_set", -1, || {
        // SAFETY: forwarded contract.
        let pos = unsafe { fd_ref(fop_fd) }?.pos as lws_fileofs_t;
        // SAFETY: as above.
        Ok(unsafe { callout::fops_seek_cur(fop_fd, offset.wrapping_sub(pos)) })
    })
}

/// lws 4.3.3's seek from the end: `seek_cur(len + pos + offset)`, which lands
/// `offset` before the end only from position 0 (a seek past the end is
/// clamped to it by the platform fops). Kept as lws computes it.
///
/// # Safety
/// `fop_fd` is a valid open file.
#[no_mangle]
pub unsafe extern "C" fn lws_vfs_file_seek_end(
    fop_fd: lws_fop_fd_t,
    offset: lws_fileofs_t,
) -> lws_fileofs_t {
    guard("lws_vfs_file_seek_end", -1, || {
        // SAFETY: forwarded contract.
        let f = unsafe { fd_ref(fop_fd) }?;
        let rel = (f.len as lws_fileofs_t)
            .wrapping_add(f.pos as lws_fileofs_t)
            .wrapping_add(offset);
        // SAFETY: as above.
        Ok(unsafe { callout::fops_seek_cur(fop_fd, rel) })
    })
}

/// The file's length.
///
/// # Safety
/// `fop_fd` is a valid open file.
#[no_mangle]
pub unsafe extern "C" fn lws_vfs_get_length(fop_fd: lws_fop_fd_t) -> lws_filepos_t {
    guard("lws_vfs_get_length", 0, || {
        // SAFETY: forwarded contract.
        Ok(unsafe { fd_ref(fop_fd) }?.len)
    })
}

/// The file's modification time as its fops set it.
///
/// # Safety
/// `fop_fd` is a valid open file.
#[no_mangle]
pub unsafe extern "C" fn lws_vfs_get_mod_time(fop_fd: lws_fop_fd_t) -> u32 {
    guard("lws_vfs_get_mod_time", 0, || {
        // SAFETY: forwarded contract.
        Ok(unsafe { fd_ref(fop_fd) }?.mod_time)
    })
}

/// The file's position.
///
/// # Safety
/// `fop_fd` is a valid open file.
#[no_mangle]
pub unsafe extern "C" fn lws_vfs_tell(fop_fd: lws_fop_fd_t) -> lws_filepos_t {
    guard("lws_vfs_tell", 0, || {
        // SAFETY: forwarded contract.
        Ok(unsafe { fd_ref(fop_fd) }?.pos)
    })
}

/// The platform `open`: `filename` opened with `*flags & LWS_FOP_FLAGS_MASK`
/// (mode 0664 when creating), its length from fstat, position 0. The `vpath`
/// is not used. NULL when it cannot be opened.
///
/// # Safety
/// `filename` NUL-terminated; `flags` readable.
#[no_mangle]
pub unsafe extern "C" fn _lws_plat_file_open(
    fops: *const lws_plat_file_ops,
    filename: *const c_char,
    _vpath: *const c_char,
    flags: *mut lws_fop_flags_t,
) -> lws_fop_fd_t {
    guard("_lws_plat_file_open", ptr::null_mut(), || {
        if filename.is_null() || flags.is_null() {
            return Err(super::null("filename or flags is NULL"));
        }
        // SAFETY: readable by contract.
        let fl = unsafe { *flags };
        // SAFETY: NUL-terminated by contract.
        let fd = unsafe { open_cloexec(filename, (fl & LWS_FOP_FLAGS_MASK) as c_int, 0o664) };
        if fd < 0 {
            return Ok(ptr::null_mut());
        }
        // SAFETY: plain C struct, all-zero is a valid value.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        // SAFETY: `fd` is open; `st` is writable.
        let stat_ok = unsafe { libc::fstat(fd, &mut st) } == 0;
        let p = if stat_ok {
            // SAFETY: plain allocation, freed by _lws_plat_file_close (with
            // free, as lws does, so a user close that frees it stays correct).
            unsafe { libc::calloc(1, std::mem::size_of::<lws_fop_fd>()) }.cast::<lws_fop_fd>()
        } else {
            ptr::null_mut()
        };
        if p.is_null() {
            // SAFETY: ours, not handed out.
            unsafe { libc::close(fd) };
            return Ok(ptr::null_mut());
        }
        // SAFETY: freshly allocated and sized for the struct.
        unsafe {
            p.write(lws_fop_fd {
                fd,
                fops,
                filesystem_priv: ptr::null_mut(),
                pos: 0,
                len: st.st_size as lws_filepos_t,
                flags: fl,
                mod_time: 0,
            })
        };
        Ok(p)
    })
}

/// The platform `close`: frees the file, sets `*fop_fd` to NULL and returns
/// close(2)'s result.
///
/// # Safety
/// `fop_fd` points at a file opened by `_lws_plat_file_open`.
#[no_mangle]
pub unsafe extern "C" fn _lws_plat_file_close(fop_fd: *mut lws_fop_fd_t) -> c_int {
    guard("_lws_plat_file_close", -1, || {
        if fop_fd.is_null() {
            return Err(super::null("fop_fd is NULL"));
        }
        // SAFETY: readable by contract.
        let f = unsafe { *fop_fd };
        // SAFETY: NULL or an open file.
        let fd = unsafe { fd_ref(f) }?.fd;
        // SAFETY: allocated with calloc in _lws_plat_file_open, freed once here.
        unsafe { libc::free(f.cast()) };
        // SAFETY: the caller's slot, writable by contract, is cleared.
        unsafe { *fop_fd = ptr::null_mut() };
        // SAFETY: the file's own descriptor.
        Ok(unsafe { libc::close(fd) })
    })
}

/// The platform `seek_cur`: the offset is clamped to stay within
/// `[0, len]`; returns the new position or -1 (with a log line).
///
/// # Safety
/// `fop_fd` is a valid open file.
#[no_mangle]
pub unsafe extern "C" fn _lws_plat_file_seek_cur(
    fop_fd: lws_fop_fd_t,
    offset: lws_fileofs_t,
) -> lws_fileofs_t {
    guard("_lws_plat_file_seek_cur", -1, || {
        // SAFETY: forwarded contract.
        let f = unsafe { fd_ref(fop_fd) }?;
        let (pos, len) = (f.pos as lws_fileofs_t, f.len as lws_fileofs_t);
        let mut off = offset;
        if off > 0 && off > len - pos {
            off = len - pos;
        }
        if pos + off < 0 {
            off = -pos;
        }
        // SAFETY: the file's own descriptor.
        let r = unsafe { libc::lseek(f.fd, off, libc::SEEK_CUR) };
        if r < 0 {
            return Err(Error::Refused("error seeking from the current position"));
        }
        // SAFETY: a valid open file, no reference to it is live.
        unsafe { (*fop_fd).pos = r as lws_filepos_t };
        Ok(r)
    })
}

/// One read(2) or write(2) of the platform fops.
///
/// # Safety
/// `fop_fd` a valid open file; `amount` writable; `buf` valid for `len`.
unsafe fn plat_io(
    fop_fd: lws_fop_fd_t,
    amount: *mut lws_filepos_t,
    buf: *mut u8,
    len: lws_filepos_t,
    write: bool,
) -> Result<c_int, Error> {
    // SAFETY: forwarded contract.
    let fd = unsafe { fd_ref(fop_fd) }?.fd;
    if amount.is_null() || (buf.is_null() && len > 0) {
        return Err(super::null("amount or buf is NULL"));
    }
    let n = usize::try_from(len).unwrap_or(usize::MAX);
    let r = if write {
        // SAFETY: `buf` readable for `len` bytes by contract.
        unsafe { libc::write(fd, buf.cast(), n) }
    } else {
        // SAFETY: `buf` writable for `len` bytes by contract.
        unsafe { libc::read(fd, buf.cast(), n) }
    };
    if r < 0 {
        // SAFETY: writable by contract.
        unsafe { *amount = 0 };
        return Ok(-1);
    }
    // SAFETY: a valid open file, not referenced elsewhere.
    unsafe { (*fop_fd).pos += r as lws_filepos_t };
    // SAFETY: writable by contract.
    unsafe { *amount = r as lws_filepos_t };
    Ok(0)
}

/// The platform `read`: one read(2); `*amount` is what was read. 0, or -1
/// on error (`*amount` 0).
///
/// # Safety
/// `fop_fd` a valid open file; `amount` writable; `buf` writable for `len`.
#[no_mangle]
pub unsafe extern "C" fn _lws_plat_file_read(
    fop_fd: lws_fop_fd_t,
    amount: *mut lws_filepos_t,
    buf: *mut u8,
    len: lws_filepos_t,
) -> c_int {
    guard("_lws_plat_file_read", -1, || {
        // SAFETY: forwarded contract.
        unsafe { plat_io(fop_fd, amount, buf, len, false) }
    })
}

/// The platform `write`: one write(2); `*amount` is what was written. 0, or
/// -1 on error (`*amount` 0).
///
/// # Safety
/// `fop_fd` a valid open file; `amount` writable; `buf` readable for `len`.
#[no_mangle]
pub unsafe extern "C" fn _lws_plat_file_write(
    fop_fd: lws_fop_fd_t,
    amount: *mut lws_filepos_t,
    buf: *mut u8,
    len: lws_filepos_t,
) -> c_int {
    guard("_lws_plat_file_write", -1, || {
        // SAFETY: forwarded contract.
        unsafe { plat_io(fop_fd, amount, buf, len, true) }
    })
}
