//! lws-context-vhost.h: `lwsws_get_config_globals`, lwsws's JSON
//! configuration directory read into a creation info (the reading is
//! `json::lwsws_conf`). Strings and the reject-keyword list are placed in the
//! caller's buffer `*cs` (`*len` bytes), which is advanced past them, as lws
//! does.

use std::ffi::{c_char, c_int, CStr};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::ptr;

use super::guard;
use super::types::*;
use crate::core::Error;
use crate::json::lwsws_conf::{read_globals, Global};
use crate::log::level;
use crate::lwsl;

/// lws keeps room for this many plugin directory pointers first.
const MAX_PLUGIN_DIRS: usize = 10;

/// The caller's buffer, filled from `p` up to `end`.
struct Arena {
    p: *mut c_char,
    end: *mut c_char,
}

impl Arena {
    fn room(&self) -> usize {
        (self.end as usize).saturating_sub(self.p as usize)
    }

    /// Moves to the next 16-byte boundary (`lwsws_align`).
    fn align(&mut self) -> Result<(), Error> {
        let pad = (16 - (self.p as usize & 15)) & 15;
        if pad > self.room() {
            return Err(Error::Refused("config buffer too small"));
        }
        self.p = self.p.wrapping_add(pad);
        Ok(())
    }

    /// Reserves `n` bytes; their start.
    fn take(&mut self, n: usize) -> Result<*mut c_char, Error> {
        if n > self.room() {
            return Err(Error::Refused("config buffer too small"));
        }
        let at = self.p;
        self.p = self.p.wrapping_add(n);
        Ok(at)
    }

    /// Copies `s` NUL-terminated; its start.
    fn string(&mut self, s: &[u8]) -> Result<*const c_char, Error> {
        let at = self.take(s.len() + 1)?;
        // SAFETY: `at` has room for `s.len() + 1` bytes inside the caller's
        // buffer (checked by `take`); `s` is ours.
        unsafe { ptr::copy_nonoverlapping(s.as_ptr(), at.cast::<u8>(), s.len()) };
        // SAFETY: as above, the last reserved byte.
        unsafe { at.wrapping_add(s.len()).write(0) };
        Ok(at)
    }
}

/// Reads `<d>/conf` then the files of `<d>/conf.d` (name order) and sets
/// what their `global` sections say in `info`: uid, gid, username,
/// groupname, count-threads, init-ssl (DO_SSL_GLOBAL_INIT), server-string,
/// timeout-secs, reject-service-keywords (prepended to
/// `info.reject_service_keywords`), default-alpn, rlimit-nofile; plugin-dir
/// entries are kept in the buffer (lws without plugins does not use them).
/// 0, or 1 when `<d>/conf` cannot be read or parsed, or the buffer is too
/// small (one log line); a `conf.d` file that fails to parse stops the walk
/// there, as in lws.
///
/// # Safety
/// `info` a writable creation info; `d` NUL-terminated; `*cs` writable for
/// `*len` bytes, and must outlive the use of `info`.
#[no_mangle]
pub unsafe extern "C" fn lwsws_get_config_globals(
    info: *mut lws_context_creation_info,
    d: *const c_char,
    cs: *mut *mut c_char,
    len: *mut c_int,
) -> c_int {
    guard("lwsws_get_config_globals", 1, || {
        if info.is_null() || d.is_null() || cs.is_null() || len.is_null() {
            return Err(super::null("info, d, cs or len is NULL"));
        }
        // SAFETY: readable by contract.
        let start = unsafe { *cs };
        // SAFETY: readable by contract.
        let room = unsafe { *len };
        if start.is_null() || room < 1 {
            return Err(super::null("no config buffer"));
        }
        // SAFETY: NUL-terminated by contract.
        let dir = Path::new(std::ffi::OsStr::from_bytes(
            unsafe { CStr::from_ptr(d) }.to_bytes(),
        ));
        let (found, problems) = read_globals(dir).map_err(|e| Error::Config(e.to_string()))?;
        for p in problems {
            lwsl!(level::ERR, "lwsws_get_config_globals: {p}");
        }
        let mut a = Arena {
            p: start,
            // lws keeps the last byte out of reach.
            end: start.wrapping_add(room as usize - 1),
        };
        a.align()?;
        let dirs = a
            .take(MAX_PLUGIN_DIRS * std::mem::size_of::<*const c_char>())?
            .cast::<*const c_char>();
        let mut count_dirs = 0;
        // SAFETY: a writable creation info by contract; no other reference.
        let info = unsafe { &mut *info };
        for g in found {
            match g {
                Global::Uid(v) => info.uid = v,
                Global::Gid(v) => info.gid = v,
                Global::Username(s) => info.username = a.string(&s)?,
                Global::Groupname(s) => info.groupname = a.string(&s)?,
                Global::CountThreads(v) => info.count_threads = v,
                Global::InitSsl => info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT,
                Global::ServerString(s) => info.server_string = a.string(&s)?,
                Global::PluginDir(s) => {
                    if count_dirs == MAX_PLUGIN_DIRS - 1 {
                        return Err(Error::Config("Too many plugin dirs".into()));
                    }
                    let p = a.string(&s)?;
                    // SAFETY: `count_dirs` < MAX_PLUGIN_DIRS slots reserved above.
                    unsafe { dirs.wrapping_add(count_dirs).write_unaligned(p) };
                    count_dirs += 1;
                }
                Global::TimeoutSecs(v) => info.timeout_secs = v,
                Global::RejectKeyword { name, value } => {
                    a.align()?;
                    let rej = a
                        .take(std::mem::size_of::<lws_protocol_vhost_options>())?
                        .cast::<lws_protocol_vhost_options>();
                    let name = a.string(&name)?;
                    let value = a.string(&value)?;
                    // SAFETY: 16-byte aligned room for the struct in the
                    // caller's buffer (reserved above).
                    unsafe {
                        rej.write(lws_protocol_vhost_options {
                            next: info.reject_service_keywords,
                            options: ptr::null(),
                            name,
                            value,
                        })
                    };
                    info.reject_service_keywords = rej;
                }
                Global::DefaultAlpn(s) => info.alpn = a.string(&s)?,
                Global::PeerLimit => {}
                Global::RlimitNofile(v) => info.rlimit_nofile = v,
            }
        }
        // SAFETY: the slot after the last directory, reserved above.
        unsafe { dirs.wrapping_add(count_dirs).write_unaligned(ptr::null()) };
        // SAFETY: writable by contract.
        unsafe { *cs = a.p };
        // SAFETY: as above.
        unsafe { *len = a.room() as c_int };
        Ok(0)
    })
}
