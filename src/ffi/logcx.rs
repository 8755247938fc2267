//! lws-logs.h log contexts (`lws_log_cx_t`): per-object emitters, level masks,
//! prefixes and reference counts, plus the syslog / no-timestamp emitters,
//! `lwsl_timestamp` and the context hex dump.
//!
//! The process-wide log context is [`PROCESS_CX`]: lines logged through it (or
//! through NULL) go to the process logger (src/log.rs), so `lws_set_log_level`
//! governs them. Any other log context is the application's: its mask is its
//! own `lll_flags`, and its emitter, prepend and refcount callbacks are called
//! through the callout gate, never under the core lock (user code calls these
//! functions, and it never runs under that lock).

use std::cell::UnsafeCell;
use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::ptr;

use parking_lot::Mutex;

use super::handle;
use super::types::*;
use super::{callout, guard, system};
use crate::core::Error;
use crate::log;

/// The process log context, as lws's global `log_cx`.
struct ProcessCx(UnsafeCell<lws_log_cx>);

// SAFETY: the library never reads its members (the process logger has its own
// state); C may read them, and the only writes (lwsl_refcount_cx) are
// serialized by REFCOUNT.
unsafe impl Sync for ProcessCx {}

static PROCESS_CX: ProcessCx = ProcessCx(UnsafeCell::new(lws_log_cx {
    u: lws_log_cx_u {
        emit: Some(super::logs::lwsl_emit_stderr as unsafe extern "C" fn(c_int, *const c_char)),
    },
    refcount_cb: None,
    prepend: None,
    parent: ptr::null_mut(),
    opaque: ptr::null_mut(),
    stg: ptr::null_mut(),
    lll_flags: LLL_ERR as u32 | LLL_WARN as u32 | LLL_NOTICE as u32,
    refcount: 0,
}));

/// Serializes reference count changes (lws's `refcount_lock`).
static REFCOUNT: Mutex<()> = Mutex::new(());

/// Deepest parent chain followed: a loop in `parent` links cannot hang a log call.
const MAX_PARENTS: usize = 16;

/// Room for the prefixes of one line (lws formats lines into 256 bytes).
const PREFIX_ROOM: usize = 256;

fn process_cx() -> *mut lws_log_cx {
    PROCESS_CX.0.get()
}

fn is_process(cx: *mut lws_log_cx) -> bool {
    cx.is_null() || cx == process_cx()
}

/// Whether `cx` (NULL: the process one) wants `filter`.
///
/// # Safety
/// `cx` is NULL or a valid log context.
unsafe fn visible(cx: *mut lws_log_cx, filter: c_int) -> bool {
    if is_process(cx) {
        return log::visible(filter as u32);
    }
    // SAFETY: a valid log context by contract.
    unsafe { (*cx).lll_flags & filter as u32 != 0 }
}

/// Appends what `prep` writes for (`cx`, `obj`) to `out`.
///
/// # Safety
/// As [`callout::log_prepend`]'s `cx` and `obj`.
unsafe fn run_prepend(
    prep: lws_log_prepend_cx_t,
    cx: *mut lws_log_cx,
    obj: *mut c_void,
    out: &mut Vec<u8>,
) {
    let Some(prep) = prep else {
        return;
    };
    let mut buf = [0 as c_char; PREFIX_ROOM];
    let start = buf.as_mut_ptr();
    let mut p = start;
    let end = start.wrapping_add(PREFIX_ROOM - 1);
    // SAFETY: `p` points into `buf`, which ends at `end`; both outlive the call.
    unsafe { callout::log_prepend(prep, cx, obj, &mut p, end) };
    let used = (p as usize)
        .saturating_sub(start as usize)
        .min(PREFIX_ROOM - 1);
    out.extend(buf[..used].iter().map(|&c| c as u8).take_while(|&b| b != 0));
}

/// Logs `msg` through `cx` as `_lws_log_cx` does: the parents' prefixes (top
/// first), `prep`'s prefix for `obj`, `fun: `, the message.
///
/// # Safety
/// `cx` is NULL or a valid log context; `prep` / `obj` as the log call gives them.
unsafe fn emit_through(
    cx: *mut lws_log_cx,
    prep: lws_log_prepend_cx_t,
    obj: *mut c_void,
    filter: c_int,
    fun: Option<&[u8]>,
    msg: &[u8],
) {
    // SAFETY: forwarded contract.
    if !unsafe { visible(cx, filter) } {
        return;
    }
    let cx = if cx.is_null() { process_cx() } else { cx };
    let mut text: Vec<u8> = Vec::new();
    // The chain cx, parent, grandparent ...
    let mut chain = vec![cx];
    while chain.len() <= MAX_PARENTS {
        let last = chain[chain.len() - 1];
        // SAFETY: every context of the chain is valid (lws's contract).
        let parent = unsafe { (*last).parent };
        if parent.is_null() {
            break;
        }
        chain.push(parent);
    }
    let depth = chain.len() - 1;
    if depth == 0 {
        // SAFETY: a valid context.
        let own = unsafe { (*cx).prepend };
        // SAFETY: the context's own prepend, for the context itself.
        unsafe { run_prepend(own, cx, ptr::null_mut(), &mut text) };
    } else {
        for &anc in chain[1..].iter().rev() {
            // SAFETY: a valid context of the chain.
            let theirs = unsafe { (*anc).prepend };
            // SAFETY: as above.
            unsafe { run_prepend(theirs, anc, ptr::null_mut(), &mut text) };
        }
    }
    // lws hands the object's prepend the last context it visited.
    let last = chain[depth.min(1)];
    // SAFETY: the log call's own prepend and object.
    unsafe { run_prepend(prep, last, obj, &mut text) };
    if let Some(f) = fun {
        text.extend_from_slice(f);
        text.extend_from_slice(b": ");
    }
    text.extend_from_slice(msg);
    let text = String::from_utf8_lossy(&text);
    if cx == process_cx() {
        log::emit(filter as u32, &text);
        return;
    }
    let line = log::line_for(filter as u32, &text);
    // SAFETY: a valid application context.
    let aware = unsafe { (*cx).lll_flags } & LLLF_LOG_CONTEXT_AWARE != 0;
    // SAFETY: the application's context and its emitter.
    unsafe { callout::log_cx_emit(cx, aware, filter, &line) };
}

/// Called by the C body of `_lws_log_cx` before it formats.
///
/// # Safety
/// `cx` is NULL or a valid log context.
#[no_mangle]
pub unsafe extern "C" fn lws_rs_log_cx_visible(cx: *mut lws_log_cx, filter: c_int) -> c_int {
    guard("_lws_log_cx", 0, || {
        // SAFETY: forwarded contract.
        Ok(c_int::from(unsafe { visible(cx, filter) }))
    })
}

/// Called by the C body of `_lws_log_cx` with the formatted message.
///
/// # Safety
/// `cx` NULL or valid; `fun` NULL or NUL-terminated; `msg` has `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_rs_log_cx_emit(
    cx: *mut lws_log_cx,
    prep: lws_log_prepend_cx_t,
    obj: *mut c_void,
    filter: c_int,
    fun: *const c_char,
    msg: *const c_char,
    len: usize,
) {
    guard("_lws_log_cx", (), || {
        if msg.is_null() {
            return Ok(());
        }
        // SAFETY: `len` bytes formatted by the C body.
        let msg = unsafe { std::slice::from_raw_parts(msg.cast::<u8>(), len) };
        // SAFETY: NUL-terminated by contract (`__func__`).
        let fun = (!fun.is_null()).then(|| unsafe { CStr::from_ptr(fun) }.to_bytes());
        // SAFETY: forwarded contract.
        unsafe { emit_through(cx, prep, obj, filter, fun, msg) };
        Ok(())
    })
}

/// The log context of a context: `info.log_cx`, or the process one.
pub fn of_context(cx: &super::handle::ContextHandle) -> *mut lws_log_cx {
    let own = system::of(cx).log_cx();
    if own.is_null() {
        process_cx()
    } else {
        own
    }
}

/// `lwsl_context_get_cx`: the context's log context (`info.log_cx` or the
/// process one).
///
/// # Safety
/// `cx` is a live context.
#[no_mangle]
pub unsafe extern "C" fn lwsl_context_get_cx(cx: *mut lws_context) -> *mut lws_log_cx {
    guard("lwsl_context_get_cx", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        Ok(of_context(unsafe { handle::context_any_thread(cx) }?))
    })
}

/// The log context a vhost logs through: its context's.
///
/// # Safety
/// `vh` is a vhost of a live context.
#[no_mangle]
pub unsafe extern "C" fn lwsl_vhost_get_cx(vh: *mut lws_vhost) -> *mut lws_log_cx {
    guard("lwsl_vhost_get_cx", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        Ok(of_context(unsafe { handle::vhost(vh) }?.context()))
    })
}

/// The log context a wsi logs through: its context's.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lwsl_wsi_get_cx(wsi: *mut lws) -> *mut lws_log_cx {
    guard("lwsl_wsi_get_cx", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        Ok(of_context(unsafe { handle::wsi(wsi) }?.context()))
    })
}

/// Counts a user of `cx` in (`_new` > 0) or out, then tells its `refcount_cb`.
///
/// # Safety
/// `cx` is NULL or a valid log context.
#[no_mangle]
pub unsafe extern "C" fn lwsl_refcount_cx(cx: *mut lws_log_cx, _new: c_int) {
    guard("lwsl_refcount_cx", (), || {
        if cx.is_null() {
            return Ok(());
        }
        let _g = REFCOUNT.lock();
        // SAFETY: a valid log context; count changes are serialized above.
        let c = unsafe { &mut *cx };
        if _new > 0 {
            c.refcount = c.refcount.saturating_add(1);
        } else if c.refcount > 0 {
            c.refcount -= 1;
        } else {
            return Err(Error::Refused("log context refcount is already 0"));
        }
        let cb = c.refcount_cb;
        if let Some(cb) = cb {
            // SAFETY: the context's own callback, with the context.
            unsafe { callout::log_cx_refcount(cb, cx, _new) };
        }
        Ok(())
    })
}

/// Writes `text` at `*p` (stopping before `e`) and advances `*p` as
/// `lws_snprintf` counts: by the length, or to the end when cut.
///
/// # Safety
/// `*p` and `e` bound one writable buffer, `*p <= e`.
unsafe fn write_prefix(p: *mut *mut c_char, e: *mut c_char, text: &[u8]) -> Result<(), Error> {
    if p.is_null() || e.is_null() {
        return Err(super::null("p or e is NULL"));
    }
    // SAFETY: readable by contract.
    let at = unsafe { *p };
    if at.is_null() {
        return Err(super::null("*p is NULL"));
    }
    let room = (e as usize).saturating_sub(at as usize);
    if room == 0 {
        return Ok(());
    }
    let n = text.len().min(room - 1);
    // SAFETY: `room` writable bytes from `at`; n + 1 <= room.
    let dst = unsafe { std::slice::from_raw_parts_mut(at.cast::<u8>(), n + 1) };
    dst[..n].copy_from_slice(&text[..n]);
    dst[n] = 0;
    let advance = if text.len() >= room { room } else { text.len() };
    // SAFETY: writable by contract.
    unsafe { *p = at.wrapping_add(advance) };
    Ok(())
}

/// Prefix for lines about a context: its name (`info.vhost_name`) and ": ",
/// if it has one.
///
/// # Safety
/// `obj` is a live context; `*p` / `e` bound a writable buffer.
#[no_mangle]
pub unsafe extern "C" fn lws_log_prepend_context(
    cx: *mut lws_log_cx,
    obj: *mut c_void,
    p: *mut *mut c_char,
    e: *mut c_char,
) {
    guard("lws_log_prepend_context", (), || {
        let _ = cx;
        // SAFETY: checked handle conversion.
        let h = unsafe { handle::context_any_thread(obj.cast()) }?;
        if let Some(name) = system::of(h).name() {
            let mut t = name.into_bytes();
            t.extend_from_slice(b": ");
            // SAFETY: forwarded contract.
            unsafe { write_prefix(p, e, &t) }?;
        }
        Ok(())
    })
}

/// Prefix for lines about a vhost: its name and ": ".
///
/// # Safety
/// `obj` is a vhost of a live context; `*p` / `e` bound a writable buffer.
#[no_mangle]
pub unsafe extern "C" fn lws_log_prepend_vhost(
    cx: *mut lws_log_cx,
    obj: *mut c_void,
    p: *mut *mut c_char,
    e: *mut c_char,
) {
    guard("lws_log_prepend_vhost", (), || {
        let _ = cx;
        // SAFETY: checked handle conversion.
        let vh = unsafe { handle::vhost(obj.cast()) }?;
        let mut t = vh.name.as_bytes().to_vec();
        t.extend_from_slice(b": ");
        // SAFETY: forwarded contract.
        unsafe { write_prefix(p, e, &t) }
    })
}

/// Prefix for lines about a wsi: its tag (`lws_wsi_tag`) and ": ".
///
/// # Safety
/// `obj` is a wsi handed out by this library; `*p` / `e` bound a writable buffer.
#[no_mangle]
pub unsafe extern "C" fn lws_log_prepend_wsi(
    cx: *mut lws_log_cx,
    obj: *mut c_void,
    p: *mut *mut c_char,
    e: *mut c_char,
) {
    guard("lws_log_prepend_wsi", (), || {
        let _ = cx;
        // SAFETY: checked handle conversion.
        let w = unsafe { handle::wsi(obj.cast()) }?;
        let mut t = w.tag.as_bytes().to_vec();
        t.extend_from_slice(b": ");
        // SAFETY: forwarded contract.
        unsafe { write_prefix(p, e, &t) }
    })
}

/// A `refcount_cb` that keeps the log file named by `cx->opaque` open while
/// the context has users: opened (truncated, 0600) on the first, closed after
/// the last; the fd lives in `cx->stg`.
///
/// # Safety
/// `cx` is a valid log context whose `opaque` is a NUL-terminated path.
#[no_mangle]
pub unsafe extern "C" fn lws_log_use_cx_file(cx: *mut lws_log_cx, _new: c_int) {
    guard("lws_log_use_cx_file", (), || {
        if cx.is_null() {
            return Err(super::null("cx is NULL"));
        }
        // SAFETY: a valid log context by contract.
        let c = unsafe { &mut *cx };
        if _new > 0 && c.refcount == 1 {
            if c.opaque.is_null() {
                return Err(super::null("cx->opaque (the log file path) is NULL"));
            }
            // SAFETY: a NUL-terminated path by contract.
            let fd = unsafe {
                libc::open(
                    c.opaque as *const c_char,
                    libc::O_CREAT | libc::O_TRUNC | libc::O_WRONLY,
                    0o600,
                )
            };
            c.stg = fd as isize as *mut c_void;
            if fd < 0 {
                return Err(Error::Refused("unable to open the log file"));
            }
            return Ok(());
        }
        let fd = c.stg as isize as c_int;
        if _new <= 0 && c.refcount == 0 && fd >= 0 {
            // SAFETY: the fd this callback opened; closed once.
            unsafe { libc::close(fd) };
            c.stg = -1isize as *mut c_void;
        }
        Ok(())
    })
}

/// A context-aware emitter writing each line to the fd in `cx->stg`.
///
/// # Safety
/// `cx` is a valid log context; `line` has `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_log_emit_cx_file(
    cx: *mut lws_log_cx,
    level: c_int,
    line: *const c_char,
    len: usize,
) {
    guard("lws_log_emit_cx_file", (), || {
        let _ = level;
        if cx.is_null() || line.is_null() {
            return Err(super::null("cx or line is NULL"));
        }
        // SAFETY: a valid log context by contract.
        let fd = unsafe { (*cx).stg } as isize as c_int;
        if fd >= 0 {
            // SAFETY: `len` readable bytes by contract.
            let n = unsafe { libc::write(fd, line.cast(), len) };
            if n < 0 || n as usize != len {
                log::write_stderr(c"Unable to write log to file\n");
            }
        }
        Ok(())
    })
}

/// Hex dump of `len` bytes through log context `cx`, as lws prints it: an
/// empty line, one row per 16 bytes, an empty line.
///
/// # Safety
/// `cx` NULL or valid; `vbuf` NULL or `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn lwsl_hexdump_level_cx(
    cx: *mut lws_log_cx,
    prep: lws_log_prepend_cx_t,
    obj: *mut c_void,
    hexdump_level: c_int,
    vbuf: *const c_void,
    len: usize,
) {
    guard("lwsl_hexdump_level_cx", (), || {
        // SAFETY: forwarded contract.
        unsafe { hexdump(cx, prep, obj, hexdump_level, vbuf, len) };
        Ok(())
    })
}

/// # Safety
/// As `lwsl_hexdump_level_cx`.
unsafe fn hexdump(
    cx: *mut lws_log_cx,
    prep: lws_log_prepend_cx_t,
    obj: *mut c_void,
    lvl: c_int,
    vbuf: *const c_void,
    len: usize,
) {
    // SAFETY: forwarded contract.
    if !unsafe { visible(cx, lvl) } {
        return;
    }
    let say = |m: &[u8]| {
        // SAFETY: forwarded contract.
        unsafe { emit_through(cx, prep, obj, lvl, None, m) }
    };
    if len == 0 {
        say(b"(hexdump: zero length)\n");
        return;
    }
    if vbuf.is_null() {
        say(b"(hexdump: NULL ptr)\n");
        return;
    }
    // SAFETY: `len` readable bytes by contract.
    let buf = unsafe { std::slice::from_raw_parts(vbuf.cast::<u8>(), len) };
    say(b"\n");
    for (i, chunk) in buf.chunks(16).enumerate() {
        say(log::hexdump_row(i * 16, chunk).as_bytes());
    }
    say(b"\n");
}

/// Hex dump at LLL_DEBUG through the process logger (lws prints it only when
/// debug logging is on).
///
/// # Safety
/// `vbuf` NULL or `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn lwsl_hexdump(vbuf: *const c_void, len: usize) {
    guard("lwsl_hexdump", (), || {
        // SAFETY: forwarded contract.
        unsafe { hexdump(ptr::null_mut(), None, ptr::null_mut(), LLL_DEBUG, vbuf, len) };
        Ok(())
    })
}

/// Writes the `[date time:ffff] L: ` prefix for `level` (exactly one level bit)
/// into `p` (`len` bytes); returns its length (`len` when cut), or 0 with `p`
/// emptied for any other level.
///
/// # Safety
/// `p` is writable for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lwsl_timestamp(level: c_int, p: *mut c_char, len: usize) -> c_int {
    guard("lwsl_timestamp", 0, || {
        if p.is_null() || len == 0 {
            return Err(super::null("p is NULL or len is 0"));
        }
        let text = log::timestamp_prefix(level as u32).unwrap_or_default();
        let mut at = p;
        let end = p.wrapping_add(len);
        // SAFETY: `p .. p + len` is writable by contract.
        unsafe { write_prefix(&mut at, end, text.as_bytes()) }?;
        Ok(c_int::try_from((at as usize) - (p as usize)).unwrap_or(0))
    })
}

/// An emitter for `lws_set_log_level` that sends each line to syslog, at the
/// priority matching its level.
///
/// # Safety
/// `line` is NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn lwsl_emit_syslog(level: c_int, line: *const c_char) {
    guard("lwsl_emit_syslog", (), || {
        if line.is_null() {
            return Ok(());
        }
        let prio = match level {
            LLL_ERR => libc::LOG_ERR,
            LLL_WARN => libc::LOG_WARNING,
            LLL_NOTICE => libc::LOG_NOTICE,
            LLL_INFO => libc::LOG_INFO,
            _ => libc::LOG_DEBUG,
        };
        // SAFETY: a constant format and a NUL-terminated line.
        unsafe { libc::syslog(prio, c"%s".as_ptr(), line) };
        Ok(())
    })
}

/// An emitter that writes the line to stderr as it is (the line already holds
/// whatever prefix the logger gave it).
///
/// # Safety
/// `line` is NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn lwsl_emit_stderr_notimestamp(level: c_int, line: *const c_char) {
    guard("lwsl_emit_stderr_notimestamp", (), || {
        let _ = level;
        if line.is_null() {
            return Ok(());
        }
        // SAFETY: NUL-terminated by contract.
        let line = unsafe { CStr::from_ptr(line) };
        log::write_stderr(line);
        Ok(())
    })
}

/// The name a context logs under, as given in `info.vhost_name`.
pub fn context_name(p: *const c_char) -> Option<CString> {
    if p.is_null() {
        return None;
    }
    // SAFETY: the creation info's NUL-terminated string (lws contract).
    Some(unsafe { CStr::from_ptr(p) }.to_owned())
}
