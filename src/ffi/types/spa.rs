//! lws-spa.h: the POSTed-form parser's types (layouts in abi/layouts-spa.tsv).

use core::ffi::{c_char, c_int, c_void};

use super::lws_spa_fileupload_states;

/// A form parser (`lws_spa_create`). Opaque to C.
pub enum lws_spa {}

/// lws's chunked allocator, named by `lws_spa_create_info.ac`. Opaque to C.
pub enum lwsac {}

/// Receives file uploads: `data` is the `opt_data` given at creation, `name` the
/// form field, `filename` the client's file name (both untrusted), `buf`/`len`
/// the bytes (NULL and 0 for `LWS_UFS_CLOSE`). A negative return aborts the parse.
pub type lws_spa_fileupload_cb = Option<
    unsafe extern "C" fn(
        data: *mut c_void,
        name: *const c_char,
        filename: *const c_char,
        buf: *mut c_char,
        len: c_int,
        state: lws_spa_fileupload_states,
    ) -> c_int,
>;

/// `lws_spa_create_info_t`: the arguments of `lws_spa_create_via_info()`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_spa_create_info {
    /// The form field names to keep, like "username".
    pub param_names: *const *const c_char,
    /// How many names `param_names` has.
    pub count_params: c_int,
    /// Bytes the kept values may use in all (each value also uses one for its NUL);
    /// 0 for 512.
    pub max_storage: c_int,
    /// NULL, or the receiver of file uploads.
    pub opt_cb: lws_spa_fileupload_cb,
    /// Passed to `opt_cb`.
    pub opt_data: *mut c_void,
    /// 0 when `param_names` is an array of `char *`; else the distance in bytes
    /// from one name pointer to the next (names inside an array of structs).
    pub param_names_stride: usize,
    /// NULL, or an lwsac for the parser's allocations.
    pub ac: *mut *mut lwsac,
    /// The lwsac's chunk size (0: its default).
    pub ac_chunk_size: usize,
}

/// `lws_spa_create_info_t`.
pub type lws_spa_create_info_t = lws_spa_create_info;
