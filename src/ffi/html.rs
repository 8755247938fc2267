//! lws-http.h's chunked HTML substitution, `lws_chunked_html_process`: the
//! variable replacement of `http::substitute` applied in place to the
//! caller's buffer, with lws's chunked framing.

use std::ffi::{c_char, c_int, CStr};
use std::ptr;

use super::callout;
use super::guard;
use super::types::*;
use crate::core::Error;
use crate::http::substitute::{chunk_header, chunk_trailer, substitute, HELD_MAX};
use crate::log::level;
use crate::lwsl;

/// Replaces the variables `s->vars` (each starting with `$`, at most 14
/// bytes) in the `args->len` bytes at `args->p` by what `s->replace(s->data,
/// index)` returns, writing the result back at `args->p` (`args->len` set
/// to its length). A match cut by the end of the chunk is held in
/// `s->swallow` / `s->pos` and continued by the next call; the call with
/// `args->final` set flushes it. With `args->chunked`, the chunk is framed
/// as lws frames it: its hex length and CRLF are written just before
/// `args->p` (which moves back over them; the caller leaves that room, lws
/// keeps 10 bytes), CRLF after it, and after the final one the last chunk.
/// The result must fit in `args->max_len` bytes from `args->p` (data and
/// trailer), else -1 ("Used up interpret padding", as lws). 0 on success;
/// -1 with one log line for NULL arguments or an inconsistent state.
///
/// # Safety
/// `args->p` is writable for `args->max_len` bytes (and the 10 before it
/// when chunked); `s->vars` holds `s->count_vars` NUL-terminated strings.
#[no_mangle]
pub unsafe extern "C" fn lws_chunked_html_process(
    args: *mut lws_process_html_args,
    s: *mut lws_process_html_state,
) -> c_int {
    guard("lws_chunked_html_process", -1, || {
        if args.is_null() || s.is_null() {
            return Err(super::null("args or state is NULL"));
        }
        // SAFETY: non-NULL and writable by contract; no other reference.
        let a = unsafe { &mut *args };
        // SAFETY: as above.
        let st = unsafe { &mut *s };
        let (Ok(len), Ok(max_len), Ok(pos)) = (
            usize::try_from(a.len),
            usize::try_from(a.max_len),
            usize::try_from(st.pos),
        ) else {
            return Err(Error::Refused("negative len, max_len or pos"));
        };
        if a.p.is_null() || pos >= HELD_MAX || st.count_vars < 0 {
            return Err(Error::Refused("no buffer, or a bad state"));
        }
        let count = st.count_vars as usize;
        if count > 0 && st.vars.is_null() {
            return Err(super::null("vars is NULL"));
        }
        let mut names = Vec::with_capacity(count);
        for n in 0..count {
            // SAFETY: `count_vars` entries by contract.
            let v = unsafe { *st.vars.wrapping_add(n) };
            if v.is_null() {
                return Err(super::null("a vars entry is NULL"));
            }
            // SAFETY: NUL-terminated by contract.
            names.push(unsafe { CStr::from_ptr(v) }.to_bytes());
        }
        let replace = st.replace;
        if count > 0 && replace.is_none() {
            return Err(super::null("replace is NULL"));
        }
        // SAFETY: `len` readable bytes at `p` by contract.
        let input = unsafe { std::slice::from_raw_parts(a.p.cast::<u8>(), len) }.to_vec();
        let mut held: Vec<u8> = st.swallow[..pos].iter().map(|&c| c as u8).collect();
        let last = a.r#final != 0;
        let data = st.data;
        let out = substitute(&mut held, &input, last, &names, |n| match replace {
            // SAFETY: the caller's replace callback with its own data.
            Some(f) => unsafe { callout::html_replace(f, data, n as c_int) },
            None => Vec::new(),
        });
        let chunked = a.chunked != 0;
        let trailer = if chunked { chunk_trailer(last) } else { b"" };
        if out.len() + trailer.len() > max_len {
            lwsl!(level::ERR, "Used up interpret padding");
            return Ok(-1);
        }
        st.swallow = [0; 16];
        for (d, &b) in st.swallow.iter_mut().zip(&held) {
            *d = b as c_char;
        }
        st.pos = held.len() as c_int;
        let mut p = a.p.cast::<u8>();
        // SAFETY: `out.len()` + trailer fit in the `max_len` writable bytes at `p`.
        unsafe { ptr::copy_nonoverlapping(out.as_ptr(), p, out.len()) };
        // SAFETY: as above, right after the output.
        unsafe {
            ptr::copy_nonoverlapping(trailer.as_ptr(), p.wrapping_add(out.len()), trailer.len())
        };
        let mut total = out.len();
        if chunked {
            let head = chunk_header(out.len());
            p = p.wrapping_sub(head.len());
            // SAFETY: the caller keeps room before `args->p` for the chunk
            // header (at most 10 bytes for any int length), as lws's callers do.
            unsafe { ptr::copy_nonoverlapping(head.as_ptr(), p, head.len()) };
            total += head.len() + trailer.len();
        }
        a.p = p.cast();
        a.len = total as c_int;
        st.start = a.p;
        Ok(0)
    })
}
