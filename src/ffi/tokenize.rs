//! lws-tokenize.h: the tokenizer ([`crate::tokenize`]) over the caller's
//! `struct lws_tokenize`, and the `${name}` expander ([`crate::strexp`]) over
//! its `lws_strexp_t`, whose name callback is called only in [`call_expand`].

use std::ffi::{c_char, c_int, c_void};
use std::mem::offset_of;
use std::ptr;

use super::guard;
use super::types::{lws_strexp_expand_cb, lws_strexp_t, lws_tokenize, lws_tokenize_elem};
use crate::strexp::{self, Strexp};
use crate::tokenize;

/// Points `ts` at the NUL-terminated `start` with `flags`
/// (`LWS_TOKENIZE_F_*`).
///
/// # Safety
/// `ts` is writable; `start` is a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn lws_tokenize_init(
    ts: *mut lws_tokenize,
    start: *const c_char,
    flags: c_int,
) {
    guard("lws_tokenize_init", (), || {
        if ts.is_null() {
            return Err(super::null("ts is NULL"));
        }
        // SAFETY: writable by contract; the reference ends here.
        let t = unsafe { &mut *ts };
        t.start = start;
        // lws's "up to the NUL".
        t.len = 0x7fff_ffff;
        t.flags = flags as u16;
        t.delim = tokenize::list::NEED_FIRST_CONTENT;
        Ok(())
    })
}

/// Finds the next element from `ts->start` (at most `ts->len` bytes, up to a
/// NUL): sets `ts->token` / `ts->token_len` to it and moves `start` past it.
/// Returns an LWS_TOKZE_* element, 0 at the end, or a negative error.
///
/// # Safety
/// `ts` is a tokenizer whose `start` is readable for `len` bytes or up to a NUL.
#[no_mangle]
pub unsafe extern "C" fn lws_tokenize(ts: *mut lws_tokenize) -> lws_tokenize_elem {
    guard("lws_tokenize", tokenize::elem::ENDED, || {
        if ts.is_null() {
            return Err(super::null("ts is NULL"));
        }
        // SAFETY: a valid tokenizer by contract; no other reference exists.
        let t = unsafe { &mut *ts };
        t.token = ptr::null();
        t.token_len = 0;
        if t.len == 0 {
            return Ok(tokenize::next(&[], t.flags, &mut t.delim).elem);
        }
        if t.start.is_null() {
            return Err(super::null("ts->start is NULL"));
        }
        // The tokenizer stops at a NUL, so it never looks further than the
        // first one: the bytes it may read are up to and including it.
        // SAFETY: `start` is readable up to `len` bytes or its NUL.
        let visible = unsafe { libc::strnlen(t.start, t.len) };
        let readable = if visible < t.len {
            visible + 1
        } else {
            visible
        };
        // SAFETY: as above, `readable` bytes are readable.
        let input = unsafe { std::slice::from_raw_parts(t.start.cast::<u8>(), readable) };
        let found = tokenize::next(input, t.flags, &mut t.delim);
        if let Some(at) = found.token {
            t.token = t.start.wrapping_add(at);
            t.token_len = found.token_len;
        }
        t.start = t.start.wrapping_add(found.consumed);
        t.len -= found.consumed;
        Ok(found.elem)
    })
}

/// Copies the current token into `str` as a C string; 1 (nothing copied)
/// when it does not fit in `max` bytes with its NUL.
///
/// # Safety
/// `ts` is a tokenizer after `lws_tokenize`; `str` is writable for `max` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_tokenize_cstr(
    ts: *mut lws_tokenize,
    str: *mut c_char,
    max: usize,
) -> c_int {
    guard("lws_tokenize_cstr", 1, || {
        if ts.is_null() || str.is_null() {
            return Err(super::null("ts or str is NULL"));
        }
        // SAFETY: a valid tokenizer by contract; only read.
        let t = unsafe { &*ts };
        let (token, n) = (t.token, t.token_len);
        if n + 1 >= max {
            return Ok(1);
        }
        if token.is_null() && n > 0 {
            return Err(super::null("ts->token is NULL"));
        }
        if n > 0 {
            // SAFETY: the token is `n` readable bytes of the input; `str` has
            // room for them and the NUL (checked above).
            unsafe { ptr::copy_nonoverlapping(token, str, n) };
        }
        // SAFETY: as above.
        unsafe { *str.wrapping_add(n) = 0 };
        Ok(0)
    })
}

/// Sets up an expander writing to `out` (`olen` bytes; `out` may be NULL to
/// only measure) and looking names up with `cb(priv, ...)`.
///
/// # Safety
/// `exp` is writable; `out` is NULL or writable for `olen` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_strexp_init(
    exp: *mut lws_strexp_t,
    priv_: *mut c_void,
    cb: lws_strexp_expand_cb,
    out: *mut c_char,
    olen: usize,
) {
    guard("lws_strexp_init", (), || {
        if exp.is_null() {
            return Err(super::null("exp is NULL"));
        }
        // SAFETY: writable by contract; the reference ends here.
        let e = unsafe { &mut *exp };
        e.cb = cb;
        e.r#priv = priv_;
        e.out = out;
        store_strexp(&Strexp::new(olen), e);
        Ok(())
    })
}

/// Gives the expander a fresh output buffer (after LSTRX_FILLED_OUT).
///
/// # Safety
/// `exp` was set up by `lws_strexp_init`; `out` as there.
#[no_mangle]
pub unsafe extern "C" fn lws_strexp_reset_out(
    exp: *mut lws_strexp_t,
    out: *mut c_char,
    olen: usize,
) {
    guard("lws_strexp_reset_out", (), || {
        if exp.is_null() {
            return Err(super::null("exp is NULL"));
        }
        // SAFETY: a set-up expander; the reference ends here.
        let e = unsafe { &mut *exp };
        e.out = out;
        e.olen = olen;
        e.pos = 0;
        Ok(())
    })
}

/// Expands `in[0..len]`: LSTRX_DONE, LSTRX_FILLED_OUT (reset the output and
/// go on from `in + *pused_in`), or a fatal LSTRX_* / -1 (a literal `$x` did
/// not fit). `*pused_out` is the output length.
///
/// # Safety
/// `exp` was set up by `lws_strexp_init`; `in` is readable for `len` bytes;
/// `pused_in` and `pused_out` are writable.
#[no_mangle]
pub unsafe extern "C" fn lws_strexp_expand(
    exp: *mut lws_strexp_t,
    r#in: *const c_char,
    len: usize,
    pused_in: *mut usize,
    pused_out: *mut usize,
) -> c_int {
    guard(
        "lws_strexp_expand",
        strexp::result::FATAL_NAME_UNKNOWN,
        || {
            if exp.is_null() || pused_in.is_null() || pused_out.is_null() {
                return Err(super::null("exp, pused_in or pused_out is NULL"));
            }
            if r#in.is_null() && len > 0 {
                return Err(super::null("in is NULL"));
            }
            let input: &[u8] = if len == 0 {
                &[]
            } else {
                // SAFETY: readable for `len` bytes by contract.
                unsafe { std::slice::from_raw_parts(r#in.cast::<u8>(), len) }
            };
            let mut host = CExpander { exp };
            let mut st = load_strexp(exp);
            let outcome = st.expand(&mut host, input);
            // SAFETY: a set-up expander; the reference ends here.
            store_strexp(&st, unsafe { &mut *exp });
            if let Some((used_in, used_out)) = outcome.used {
                // SAFETY: both writable by contract.
                unsafe { *pused_in = used_in };
                // SAFETY: as above.
                unsafe { *pused_out = used_out };
            }
            Ok(outcome.result)
        },
    )
}

fn load_strexp(exp: *const lws_strexp_t) -> Strexp {
    // SAFETY: a set-up expander; only read, the reference ends here.
    let e = unsafe { &*exp };
    let mut st = Strexp::new(e.olen);
    for (d, s) in st.name.iter_mut().zip(e.name.iter()) {
        *d = *s as u8;
    }
    st.name_pos = e.name_pos.min((strexp::NAME_LEN - 1) as u8);
    st.state = e.state as u8;
    st.pos = e.pos;
    st.exp_ofs = e.exp_ofs;
    st
}

fn store_strexp(st: &Strexp, e: &mut lws_strexp_t) {
    for (d, s) in e.name.iter_mut().zip(st.name.iter()) {
        *d = *s as c_char;
    }
    e.name_pos = st.name_pos;
    e.state = st.state as c_char;
    e.pos = st.pos;
    e.olen = st.olen;
    e.exp_ofs = st.exp_ofs;
}

/// The expander's view of the C side: the output buffer and the callback.
struct CExpander {
    exp: *mut lws_strexp_t,
}

impl strexp::Host for CExpander {
    fn put(&mut self, at: usize, c: u8) {
        // SAFETY: a set-up expander; one field read.
        let out = unsafe { (*self.exp).out };
        if !out.is_null() {
            // SAFETY: `at` < `olen`, the writable size of `out`.
            unsafe { *out.wrapping_add(at) = c as c_char };
        }
    }

    fn expand(&mut self, st: &mut Strexp) -> i32 {
        // SAFETY: a set-up expander; the reference ends before the callback.
        store_strexp(st, unsafe { &mut *self.exp });
        let r = call_expand(self.exp);
        *st = load_strexp(self.exp);
        r
    }
}

/// Calls the user's name callback for the name in `exp`, with pointers to the
/// output position and expansion offset it advances.
fn call_expand(exp: *mut lws_strexp_t) -> c_int {
    // SAFETY: a set-up expander; fields read, the reference ends here.
    let e = unsafe { &*exp };
    let (cb, priv_, out, olen) = (e.cb, e.r#priv, e.out, e.olen);
    let field = |offset: usize| exp.cast::<u8>().wrapping_add(offset);
    let Some(cb) = cb else {
        crate::lwsl!(
            crate::log::level::ERR,
            "lws_strexp_expand: no callback for a ${{name}}"
        );
        return strexp::result::FATAL_NAME_UNKNOWN;
    };
    // SAFETY: the user's callback with its private pointer, the NUL-terminated
    // name, and pointers into the live expander for `pos` and `exp_ofs`.
    unsafe {
        super::callout::strexp_expand(
            cb,
            priv_,
            field(offset_of!(lws_strexp_t, name)).cast::<c_char>(),
            out,
            field(offset_of!(lws_strexp_t, pos)).cast::<usize>(),
            olen,
            field(offset_of!(lws_strexp_t, exp_ofs)).cast::<usize>(),
        )
    }
}
