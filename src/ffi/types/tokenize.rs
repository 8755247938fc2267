//! lws-tokenize.h: the tokenizer state and the `${name}` string expander.

use core::ffi::{c_char, c_int, c_uint, c_void};

/// `lws_tokenize_elem`: what `lws_tokenize` found (negative: an error).
pub type lws_tokenize_elem = c_int;
/// `enum lws_tokenize_delimiter_tracking`.
pub type lws_tokenize_delimiter_tracking = c_uint;

/// Tokenizer state: set `start`/`len` (or use `lws_tokenize_init`), then call
/// `lws_tokenize` until it returns 0 or an error.
#[repr(C)]
pub struct lws_tokenize {
    /// The rest of the string to tokenize.
    pub start: *const c_char,
    /// The token or delimiter found.
    pub token: *const c_char,
    /// Bytes left at `start`.
    pub len: usize,
    pub token_len: usize,
    /// `LWS_TOKENIZE_F_*`.
    pub flags: u16,
    /// Comma-list tracking (`LWSTZ_DT_*`).
    pub delim: u8,
    /// Free for the caller's last result.
    pub e: i8,
}

/// `lws_tokenize_t`.
pub type lws_tokenize_t = lws_tokenize;

/// Writes the expansion of `name` at `out + *pos` (at most `olen` in all),
/// advancing `*pos`; `*exp_ofs` tracks a partial expansion across calls.
/// Returns `LSTRX_DONE`, `LSTRX_FILLED_OUT` or `LSTRX_FATAL_NAME_UNKNOWN`.
pub type lws_strexp_expand_cb = Option<
    unsafe extern "C" fn(
        priv_: *mut c_void,
        name: *const c_char,
        out: *mut c_char,
        pos: *mut usize,
        olen: usize,
        exp_ofs: *mut usize,
    ) -> c_int,
>;

/// `${name}` expander state.
#[repr(C)]
pub struct lws_strexp {
    pub name: [c_char; 32],
    pub cb: lws_strexp_expand_cb,
    pub r#priv: *mut c_void,
    pub out: *mut c_char,
    pub olen: usize,
    pub pos: usize,
    pub exp_ofs: usize,
    pub name_pos: u8,
    pub state: c_char,
}

/// `lws_strexp_t`.
pub type lws_strexp_t = lws_strexp;
