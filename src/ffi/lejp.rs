//! lws-lejp.h: the streaming JSON parser ([`crate::json::lejp`]) over the
//! caller's `struct lejp_ctx`.
//!
//! The C struct is the only home of the state (C code allocates it, often on
//! the stack, and never tells us when it goes away). Each call copies it into
//! a [`Lejp`], runs the parser, and copies it back; around every user
//! callback the state is copied out and read back, so the callback sees
//! `ctx->path`, `ctx->buf`, `ctx->i[]` ... current and may change them, push
//! or pop parsers, or change callbacks. User callbacks are called only in
//! [`deliver`].

use std::ffi::{c_char, c_int, c_uchar, c_void, CStr, CString};
use std::ptr;
use std::sync::OnceLock;

use super::guard;
use super::types::{_lejp_parsing_stack, lejp_callback, lejp_ctx};
use crate::core::Error;
use crate::json::lejp::{self, reason, Host, Lejp, Level, Parser, Patterns};

/// Calls the callback of the parser on top of `ctx`'s stack (or of the
/// bottom parser, for the construct/destruct notifications).
fn deliver(ctx: *mut lejp_ctx, bottom: bool, why: u8) -> i8 {
    // SAFETY: `ctx` is the caller's live context (checked non-NULL by every
    // entry point); no Rust reference to it is held across this call.
    let cb: lejp_callback = unsafe {
        let c = &*ctx;
        let level = if bottom { 0 } else { usize::from(c.pst_sp) };
        c.pst.get(level).and_then(|p| p.callback)
    };
    match cb {
        // SAFETY: the user's callback with its own context and a LEJPCB_ reason.
        Some(f) => unsafe { super::callout::lejp_callback(f, ctx, why as c_char) },
        None => 0,
    }
}

/// Copies the C state into a [`Lejp`]. Stack pointers and positions C code
/// may have damaged are clamped into range, so they can never index outside
/// the arrays.
fn load(ctx: *const lejp_ctx) -> Lejp {
    // SAFETY: the caller's live context; only read, and the reference ends here.
    let c = unsafe { &*ctx };
    let mut l = Lejp::default();
    for (d, s) in l.pst.iter_mut().zip(c.pst.iter()) {
        *d = Parser {
            count_paths: s.count_paths,
            ppos: s.ppos,
            path_match: s.path_match,
        };
    }
    for (d, s) in l.st.iter_mut().zip(c.st.iter()) {
        *d = Level {
            s: s.s as u8,
            p: s.p as u8,
            i: s.i as u8,
            b: s.b as u8,
        };
    }
    l.i = c.i;
    l.wild = c.wild;
    for (d, s) in l.path.iter_mut().zip(c.path.iter()) {
        *d = *s as u8;
    }
    for (d, s) in l.buf.iter_mut().zip(c.buf.iter()) {
        *d = *s as u8;
    }
    l.line = c.line;
    l.uni = c.uni;
    l.npos = c.npos.min((lejp::STRING_CHUNK - 1) as u8);
    l.dcount = c.dcount;
    l.f = c.f;
    l.sp = c.sp.min((lejp::MAX_DEPTH - 1) as u8);
    l.ipos = c.ipos.min(lejp::INDEX_DEPTH as u8);
    l.count_paths = c.count_paths;
    l.path_match = c.path_match;
    l.path_match_len = c.path_match_len;
    l.wildcount = c.wildcount.min(lejp::INDEX_DEPTH as u8);
    l.pst_sp = c.pst_sp.min((lejp::PARSING_STACK_DEPTH - 1) as u8);
    l.outer_array = c.outer_array;
    l
}

/// Copies a [`Lejp`] back into the C state (the user's pointers stay).
fn store(l: &Lejp, ctx: *mut lejp_ctx) {
    // SAFETY: the caller's live context; the reference ends here, before any
    // user code runs.
    let c = unsafe { &mut *ctx };
    for (d, s) in c.pst.iter_mut().zip(l.pst.iter()) {
        d.count_paths = s.count_paths;
        d.ppos = s.ppos;
        d.path_match = s.path_match;
    }
    for (d, s) in c.st.iter_mut().zip(l.st.iter()) {
        d.s = s.s as c_char;
        d.p = s.p as c_char;
        d.i = s.i as c_char;
        d.b = s.b as c_char;
    }
    c.i = l.i;
    c.wild = l.wild;
    for (d, s) in c.path.iter_mut().zip(l.path.iter()) {
        *d = *s as c_char;
    }
    for (d, s) in c.buf.iter_mut().zip(l.buf.iter()) {
        *d = *s as c_char;
    }
    c.line = l.line;
    c.uni = l.uni;
    c.npos = l.npos;
    c.dcount = l.dcount;
    c.f = l.f;
    c.sp = l.sp;
    c.ipos = l.ipos;
    c.count_paths = l.count_paths;
    c.path_match = l.path_match;
    c.path_match_len = l.path_match_len;
    c.wildcount = l.wildcount;
    c.pst_sp = l.pst_sp;
    c.outer_array = l.outer_array;
}

/// The parser's view of a C context: its pattern tables and callbacks.
struct CParser {
    ctx: *mut lejp_ctx,
}

impl Patterns for CParser {
    fn pattern(&self, level: usize, n: usize) -> Option<&[u8]> {
        // SAFETY: the caller's live context; only two fields are read.
        let (paths, stride) = unsafe {
            let c = &*self.ctx;
            (c.pst.get(level)?.paths, c.path_stride)
        };
        if paths.is_null() {
            return None;
        }
        // lws_struct passes pointers embedded in larger records: `path_stride`
        // apart instead of adjacent.
        let stride = if stride == 0 {
            size_of::<*const c_char>()
        } else {
            stride
        };
        let at = paths
            .cast::<u8>()
            .wrapping_add(n.checked_mul(stride)?)
            .cast::<*const c_char>();
        // SAFETY: the caller's table holds `count_paths` pattern pointers
        // `stride` bytes apart (n < count_paths); they need not be aligned.
        let p = unsafe { at.read_unaligned() };
        if p.is_null() {
            return None;
        }
        // SAFETY: patterns are NUL-terminated strings that outlive the parse.
        Some(unsafe { CStr::from_ptr(p) }.to_bytes())
    }
}

impl Host for CParser {
    fn callback(&mut self, l: &mut Lejp, why: u8) -> i8 {
        store(l, self.ctx);
        let r = deliver(self.ctx, false, why);
        *l = load(self.ctx);
        r
    }
}

fn context(ctx: *mut lejp_ctx) -> Result<CParser, Error> {
    if ctx.is_null() {
        return Err(super::null("ctx is NULL"));
    }
    Ok(CParser { ctx })
}

/// Prepares `ctx` for a new document with `callback` and the path patterns
/// `paths[0..paths_count]`, then calls back with LEJPCB_CONSTRUCTED.
///
/// # Safety
/// `ctx` points to writable memory for a `struct lejp_ctx`; `paths` holds
/// `paths_count` NUL-terminated strings that outlive the parse.
#[no_mangle]
pub unsafe extern "C" fn lejp_construct(
    ctx: *mut lejp_ctx,
    callback: lejp_callback,
    user: *mut c_void,
    paths: *const *const c_char,
    paths_count: c_uchar,
) {
    guard("lejp_construct", (), || {
        let p = context(ctx)?;
        let bottom = _lejp_parsing_stack {
            user: ptr::null_mut(),
            callback,
            paths,
            count_paths: paths_count,
            ppos: 0,
            path_match: 0,
        };
        let unused = _lejp_parsing_stack {
            callback: None,
            paths: ptr::null(),
            count_paths: 0,
            ..bottom
        };
        // SAFETY: writable by contract; the reference ends before user code runs.
        let c = unsafe { &mut *ctx };
        c.user = user;
        c.path_stride = 0;
        c.pst = [unused; lejp::PARSING_STACK_DEPTH];
        c.pst[0] = bottom;
        // Every field is set: the memory may be fresh (lws leaves the last
        // document's values in `buf`, `i[]` ... of a reused context).
        store(&Lejp::new(paths_count), p.ctx);
        deliver(p.ctx, true, reason::CONSTRUCTED);
        Ok(())
    })
}

/// Tells the bottom callback LEJPCB_DESTRUCTED (nothing is allocated).
///
/// # Safety
/// `ctx` is NULL or a constructed context.
#[no_mangle]
pub unsafe extern "C" fn lejp_destruct(ctx: *mut lejp_ctx) {
    guard("lejp_destruct", (), || {
        // lws accepts NULL here silently.
        if !ctx.is_null() {
            deliver(ctx, true, reason::DESTRUCTED);
        }
        Ok(())
    })
}

/// Parses `len` more bytes of the document: LEJP_CONTINUE when they were all
/// taken, the count of bytes left after a complete document, or a negative
/// LEJP_REJECT_* (after LEJPCB_FAILED).
///
/// # Safety
/// `ctx` is a constructed context; `json` is readable for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lejp_parse(ctx: *mut lejp_ctx, json: *const c_uchar, len: c_int) -> c_int {
    guard("lejp_parse", lejp::code::REJECT_UNKNOWN, || {
        let mut p = context(ctx)?;
        let len = usize::try_from(len).map_err(|_| Error::Refused("len is negative"))?;
        if json.is_null() && len > 0 {
            return Err(super::null("json is NULL"));
        }
        let bytes: &[u8] = if len == 0 {
            &[]
        } else {
            // SAFETY: readable for `len` bytes by contract; callbacks do not
            // write the input.
            unsafe { std::slice::from_raw_parts(json, len) }
        };
        let mut l = load(ctx);
        let r = l.parse(&mut p, bytes);
        store(&l, ctx);
        Ok(r)
    })
}

/// Replaces the bottom callback: the old one hears LEJPCB_DESTRUCTED, the new
/// one LEJPCB_CONSTRUCTED and LEJPCB_START.
///
/// # Safety
/// `ctx` is a constructed context.
#[no_mangle]
pub unsafe extern "C" fn lejp_change_callback(ctx: *mut lejp_ctx, callback: lejp_callback) {
    guard("lejp_change_callback", (), || {
        let p = context(ctx)?;
        deliver(p.ctx, true, reason::DESTRUCTED);
        // SAFETY: a constructed context; one plain field.
        unsafe { (*ctx).pst[0].callback = callback };
        deliver(p.ctx, true, reason::CONSTRUCTED);
        deliver(p.ctx, true, reason::START);
        Ok(())
    })
}

/// Re-evaluates `ctx->path` against the top parser's patterns when no match
/// is active (sets `path_match`, `wildcount`, `wild[]`).
///
/// # Safety
/// `ctx` is a constructed context.
#[no_mangle]
pub unsafe extern "C" fn lejp_check_path_match(ctx: *mut lejp_ctx) {
    guard("lejp_check_path_match", (), || {
        let p = context(ctx)?;
        let mut l = load(ctx);
        l.check_path_match(&p);
        store(&l, ctx);
        Ok(())
    })
}

/// Copies the path text matched by wildcard `wildcard` of the current match
/// into `dest` (at most `len - 1` bytes and a NUL); returns the bytes copied
/// plus one, or 0 when there is no such wildcard.
///
/// # Safety
/// `ctx` is a constructed context; `dest` is writable for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lejp_get_wildcard(
    ctx: *mut lejp_ctx,
    wildcard: c_int,
    dest: *mut c_char,
    len: c_int,
) -> c_int {
    guard("lejp_get_wildcard", 0, || {
        context(ctx)?;
        let (Ok(which), Ok(room)) = (usize::try_from(wildcard), usize::try_from(len)) else {
            return Err(Error::Refused("wildcard or len is negative"));
        };
        let Some((text, ret)) = load(ctx).wildcard(which, room) else {
            return Ok(0);
        };
        if dest.is_null() {
            return Err(super::null("dest is NULL"));
        }
        // SAFETY: `text` is shorter than `len`, the writable size of `dest`.
        unsafe { ptr::copy_nonoverlapping(text.as_ptr().cast::<c_char>(), dest, text.len()) };
        // SAFETY: as above: the NUL fits too.
        unsafe { *dest.wrapping_add(text.len()) = 0 };
        Ok(ret)
    })
}

/// Stacks a parser with its own callback, user pointer and patterns; the
/// paths it sees start where it was pushed. Returns 0, or -1 when all
/// LEJP_MAX_PARSING_STACK_DEPTH levels are used.
///
/// # Safety
/// `ctx` is a constructed context; `paths` holds `paths_count` NUL-terminated
/// strings that outlive the parser.
#[no_mangle]
pub unsafe extern "C" fn lejp_parser_push(
    ctx: *mut lejp_ctx,
    user: *mut c_void,
    paths: *const *const c_char,
    paths_count: c_uchar,
    lejp_cb: lejp_callback,
) -> c_int {
    guard("lejp_parser_push", -1, || {
        let p = context(ctx)?;
        let mut l = load(ctx);
        let next = usize::from(l.pst_sp) + 1;
        if next >= lejp::PARSING_STACK_DEPTH {
            return Ok(-1);
        }
        // The new level's pointers first: the push matches against them.
        // SAFETY: a constructed context; `next` is in range; the reference
        // ends here.
        let level = unsafe { &mut (*ctx).pst[next] };
        level.user = user;
        level.callback = lejp_cb;
        level.paths = paths;
        let r = l.push(&p, paths_count);
        store(&l, ctx);
        Ok(if r { 0 } else { -1 })
    })
}

/// Returns to the parser below; -1 at the bottom.
///
/// # Safety
/// `ctx` is a constructed context.
#[no_mangle]
pub unsafe extern "C" fn lejp_parser_pop(ctx: *mut lejp_ctx) -> c_int {
    guard("lejp_parser_pop", -1, || {
        let p = context(ctx)?;
        let mut l = load(ctx);
        let r = l.pop(&p);
        store(&l, ctx);
        Ok(if r { 0 } else { -1 })
    })
}

/// A static description of a `lejp_parse` result.
///
/// # Safety
/// Always safe to call.
#[no_mangle]
pub unsafe extern "C" fn lejp_error_to_string(e: c_int) -> *const c_char {
    guard("lejp_error_to_string", c"Unknown error".as_ptr(), || {
        static TEXTS: OnceLock<Vec<CString>> = OnceLock::new();
        let texts = TEXTS.get_or_init(|| {
            (-30..=0)
                .map(|code| CString::new(lejp::error_text(code)).unwrap_or_default())
                .collect()
        });
        let index = usize::try_from(e.clamp(-30, 0) + 30).unwrap_or(0);
        Ok(texts
            .get(index)
            .map_or(c"Unknown error".as_ptr(), |s| s.as_ptr()))
    })
}
