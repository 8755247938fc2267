//! lws-vfs.h: the file-operations table (`struct lws_plat_file_ops`), the open
//! file it makes (`struct lws_fop_fd`) and the vfs path signatures of a chain.

use std::ffi::{c_char, c_void};

use super::scalars::{lws_filefd_type, lws_fileofs_t, lws_filepos_t, lws_fop_flags_t};

/// An open file of some fops (`struct lws_fop_fd`); `lws_fop_fd_t` points at it.
#[repr(C)]
pub struct lws_fop_fd {
    /// The real file descriptor, when there is one.
    pub fd: lws_filefd_type,
    /// The fops that opened it (its close/seek/read/write are used).
    pub fops: *const lws_plat_file_ops,
    /// Owned by the fops' handlers; lws ignores it.
    pub filesystem_priv: *mut c_void,
    /// Position in the file.
    pub pos: lws_filepos_t,
    /// Length of the file.
    pub len: lws_filepos_t,
    /// The flags the open returned.
    pub flags: lws_fop_flags_t,
    /// Modification time; valid when `flags` has LWS_FOP_FLAG_MOD_TIME_VALID.
    pub mod_time: u32,
}

/// `lws_fop_fd_t`.
pub type lws_fop_fd_t = *mut lws_fop_fd;

/// A vfs path signature (`struct lws_fops_index`): a path containing `sig`
/// (e.g. ".zip/") is opened by the fops carrying it.
#[repr(C)]
pub struct lws_fops_index {
    /// NULL or the signature.
    pub sig: *const c_char,
    /// strlen(sig).
    pub len: u8,
}

/// `open` of a fops table.
pub type lws_fop_open_fn = Option<
    unsafe extern "C" fn(
        fops: *const lws_plat_file_ops,
        filename: *const c_char,
        vpath: *const c_char,
        flags: *mut lws_fop_flags_t,
    ) -> lws_fop_fd_t,
>;
/// `close` of a fops table: closes the file and sets `*fop_fd` to NULL.
pub type lws_fop_close_fn = Option<unsafe extern "C" fn(fop_fd: *mut lws_fop_fd_t) -> i32>;
/// `seek_cur` of a fops table.
pub type lws_fop_seek_cur_fn =
    Option<unsafe extern "C" fn(fop_fd: lws_fop_fd_t, offset: lws_fileofs_t) -> lws_fileofs_t>;
/// `read` / `write` of a fops table; `*amount` is set to what was moved.
pub type lws_fop_io_fn = Option<
    unsafe extern "C" fn(
        fop_fd: lws_fop_fd_t,
        amount: *mut lws_filepos_t,
        buf: *mut u8,
        len: lws_filepos_t,
    ) -> i32,
>;

/// `struct lws_plat_file_ops`: one file system. A context's fops form a chain
/// (`next`), the platform's first; `fi` are the path signatures that select a
/// later one.
#[repr(C)]
pub struct lws_plat_file_ops {
    pub open: lws_fop_open_fn,
    pub close: lws_fop_close_fn,
    pub seek_cur: lws_fop_seek_cur_fn,
    pub read: lws_fop_io_fn,
    pub write: lws_fop_io_fn,
    pub fi: [lws_fops_index; 3],
    pub next: *const lws_plat_file_ops,
}
