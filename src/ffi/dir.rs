//! The `lws_dir` part of lws-misc.h: the directory scan with a C callback per
//! entry, and lws's two ready-made callbacks (filename glob, recursive
//! remove). Listing, filtering and removing are in `crate::dir`.

use std::ffi::{c_char, c_int, c_void, CStr, CString, OsStr};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use super::callout;
use super::guard;
use super::types::{lws_dir_callback_function, lws_dir_entry, lws_dir_glob_t, LDOT_DIR};
use crate::dir::{self, Kind};
use crate::log::level;
use crate::lwsl;

/// # Safety
/// `s` is a valid C string.
unsafe fn path_of<'a>(s: *const c_char) -> &'a Path {
    // SAFETY: by contract.
    Path::new(OsStr::from_bytes(unsafe { CStr::from_ptr(s) }.to_bytes()))
}

/// Calls `cb(dirpath, user, entry)` for every object in `dirpath` (sorted by
/// name; `.`, `..` and names containing `~` are skipped, as in lws). Returns 0
/// when a callback returned non-zero to stop the scan, 1 otherwise, also when
/// the directory cannot be read (with one error line).
///
/// # Safety
/// `dirpath` a valid C string; `cb` callable with `user`.
#[no_mangle]
pub unsafe extern "C" fn lws_dir(
    dirpath: *const c_char,
    user: *mut c_void,
    cb: Option<lws_dir_callback_function>,
) -> c_int {
    guard("lws_dir", 1, || {
        if dirpath.is_null() {
            return Err(super::null("dirpath is NULL"));
        }
        let Some(cb) = cb else {
            return Err(super::null("cb is NULL"));
        };
        // SAFETY: valid C string by contract.
        let path = unsafe { path_of(dirpath) };
        let entries = match dir::list(path) {
            Ok(e) => e,
            Err(e) => {
                lwsl!(
                    level::ERR,
                    "Scandir on '{}' failed, errno {}",
                    path.display(),
                    e.raw_os_error().unwrap_or(0)
                );
                return Ok(1);
            }
        };
        for e in entries {
            let Ok(name) = CString::new(e.name.as_bytes()) else {
                continue;
            };
            let mut lde = lws_dir_entry {
                name: name.as_ptr(),
                r#type: e.kind as u32,
            };
            // SAFETY: the caller's callback; `dirpath`, `lde` and its name are
            // valid for the call.
            if unsafe { callout::dir_entry(cb, dirpath, user, &mut lde) } != 0 {
                return Ok(0);
            }
        }
        Ok(1)
    })
}

/// An `lws_dir` callback: for each file (not directory) whose name passes the
/// `lws_dir_glob_t` filter in `user` (like `"*.txt"`), calls its `cb` with
/// `user->user` and the path `dirpath/name`. Always 0 (keep going).
///
/// # Safety
/// `dirpath` a valid C string; `user` a valid `lws_dir_glob_t`; `lde` valid.
#[no_mangle]
pub unsafe extern "C" fn lws_dir_glob_cb(
    dirpath: *const c_char,
    user: *mut c_void,
    lde: *mut lws_dir_entry,
) -> c_int {
    guard("lws_dir_glob_cb", 0, || {
        if dirpath.is_null() || user.is_null() || lde.is_null() {
            return Err(super::null("dirpath, user or lde is NULL"));
        }
        // SAFETY: valid by contract.
        let g = unsafe { &*user.cast::<lws_dir_glob_t>() };
        // SAFETY: valid by contract.
        let e = unsafe { &*lde };
        if e.name.is_null() || g.filter.is_null() {
            return Err(super::null("entry name or filter is NULL"));
        }
        // SAFETY: valid C string by contract.
        let name = unsafe { CStr::from_ptr(e.name) };
        // SAFETY: valid C string by contract.
        let filter = unsafe { CStr::from_ptr(g.filter) };
        if matches!(name.to_bytes(), b"." | b"..") || e.r#type == LDOT_DIR {
            return Ok(0);
        }
        if dir::glob_matches(name.to_bytes(), filter.to_bytes()) {
            // SAFETY: valid C string by contract.
            let full = dir::join(
                unsafe { path_of(dirpath) },
                OsStr::from_bytes(name.to_bytes()),
            );
            let Ok(full) = CString::new(full.as_os_str().as_bytes()) else {
                return Ok(0);
            };
            if let Some(cb) = g.cb {
                // SAFETY: the caller's callback with its user pointer and a
                // path valid for the call.
                unsafe { callout::dir_glob_path(cb, g.user, full.as_ptr()) };
            }
        }
        Ok(0)
    })
}

/// An `lws_dir` callback that removes the entry: a directory recursively
/// (not following symlinks), anything else with unlink; failures are logged
/// warnings. `user` is ignored. Always 0 (keep going).
///
/// # Safety
/// `dirpath` a valid C string; `lde` valid.
#[no_mangle]
pub unsafe extern "C" fn lws_dir_rm_rf_cb(
    dirpath: *const c_char,
    user: *mut c_void,
    lde: *mut lws_dir_entry,
) -> c_int {
    guard("lws_dir_rm_rf_cb", 0, || {
        let _ = user;
        if dirpath.is_null() || lde.is_null() {
            return Err(super::null("dirpath or lde is NULL"));
        }
        // SAFETY: valid by contract.
        let e = unsafe { &*lde };
        if e.name.is_null() {
            return Err(super::null("entry name is NULL"));
        }
        // SAFETY: valid C string by contract.
        let name = unsafe { CStr::from_ptr(e.name) }.to_bytes();
        if matches!(name, b"." | b"..") {
            return Ok(0);
        }
        let kind = Kind::from_raw(e.r#type);
        // SAFETY: valid C string by contract.
        dir::remove_entry(unsafe { path_of(dirpath) }, OsStr::from_bytes(name), kind);
        Ok(0)
    })
}
