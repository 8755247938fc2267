//! lws-lejp.h: the streaming JSON parser's context, which C programs allocate
//! themselves and read directly from their callback.

use core::ffi::{c_char, c_int, c_schar, c_uint, c_void};

// Array sizes are literal so that cbindgen can print the struct; they are
// LEJP_MAX_PARSING_STACK_DEPTH, LEJP_MAX_DEPTH, LEJP_MAX_INDEX_DEPTH,
// LEJP_MAX_PATH and LEJP_STRING_CHUNK + 1 (checked below).
const _: () = assert!(
    super::LEJP_MAX_PARSING_STACK_DEPTH == 5
        && super::LEJP_MAX_DEPTH == 12
        && super::LEJP_MAX_INDEX_DEPTH == 8
        && super::LEJP_MAX_PATH == 128
        && super::LEJP_STRING_CHUNK + 1 == 255
);

/// `enum lejp_states`.
pub type lejp_states = c_uint;
/// `enum lejp_reasons`.
pub type lejp_reasons = c_int;
/// `enum lejp_callbacks`.
pub type lejp_callbacks = c_uint;
/// `enum num_flags`.
pub type num_flags = c_uint;

/// The parser callback: `reason` is one of `LEJPCB_*`; non-zero rejects the
/// document (for most reasons).
pub type lejp_callback =
    Option<unsafe extern "C" fn(ctx: *mut lejp_ctx, reason: c_char) -> c_schar>;

/// One nesting level of the document.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct _lejp_stack {
    /// lejp_state of the level.
    pub s: c_char,
    /// Path length to return to.
    pub p: c_char,
    /// Index-array depth to return to.
    pub i: c_char,
    /// Free for the user.
    pub b: c_char,
}

/// One stacked parser (`lejp_parser_push`).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct _lejp_parsing_stack {
    /// Private to the stack level.
    pub user: *mut c_void,
    pub callback: lejp_callback,
    pub paths: *const *const c_char,
    pub count_paths: u8,
    pub ppos: u8,
    pub path_match: u8,
}

/// The whole parser state.
#[repr(C)]
pub struct lejp_ctx {
    pub user: *mut c_void,
    pub pst: [_lejp_parsing_stack; 5],
    pub st: [_lejp_stack; 12],
    /// Index in each enclosing array.
    pub i: [u16; 8],
    /// Path offsets of the wildcards of the current match.
    pub wild: [u16; 8],
    pub path: [c_char; 128],
    pub buf: [c_char; 255],
    /// Distance between the path pointers given (0: `sizeof(char *)`).
    pub path_stride: usize,
    pub line: u32,
    pub uni: u16,
    pub npos: u8,
    pub dcount: u8,
    pub f: u8,
    /// Stack head.
    pub sp: u8,
    /// Index stack depth.
    pub ipos: u8,
    pub count_paths: u8,
    pub path_match: u8,
    pub path_match_len: u8,
    pub wildcount: u8,
    /// Parsing stack head.
    pub pst_sp: u8,
    pub outer_array: u8,
}
