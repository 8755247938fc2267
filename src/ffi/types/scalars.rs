//! Scalar typedefs, opaque handles and callback pointer types of the lws 4.3.3 ABI.
//!
//! Opaque handles are empty enums, which cbindgen prints as incomplete C structs
//! (`struct lws;`), so C cannot take their size. Callback typedefs are `Option<fn>` so a
//! NULL from C is representable; cbindgen prints them as C function-pointer typedefs.
//! `lws_callback_function` and `lws_extension_callback_function` are C function *types*
//! (C code writes `lws_callback_function *`), which cbindgen cannot print: their C
//! typedefs are hand-written in include/libwebsockets/lws-types.h and cbindgen.toml
//! excludes the Rust aliases below.

use core::ffi::{c_char, c_int, c_void};

use super::{
    lws_callback_reasons, lws_dll2, lws_extension, lws_extension_callback_reasons, lws_log_cx,
    lws_sorted_usec_list, lws_state_manager, lws_state_notify_link, lws_tls_session_dump,
};

/// Microseconds (signed, 64-bit).
pub type lws_usec_t = i64;
/// A position in a file (unsigned, 64-bit).
pub type lws_filepos_t = u64;
/// A file offset (signed, 64-bit).
pub type lws_fileofs_t = i64;
/// A socket descriptor.
pub type lws_sockfd_type = c_int;
/// A file descriptor.
pub type lws_filefd_type = c_int;
/// Flags for the file-operation open call.
pub type lws_fop_flags_t = u32;
/// Connection-monitor intervals, in microseconds.
pub type lws_conmon_interval_us_t = u32;
/// A class bitmap of the system message distribution (SMD).
pub type lws_smd_class_t = u32;

/// A connection (wsi). Opaque to C.
pub enum lws {}
/// A context. Opaque to C.
pub enum lws_context {}
/// A virtual host. Opaque to C.
pub enum lws_vhost {}
/// A ring buffer (`lws_ring_*`). Opaque to C.
pub enum lws_ring {}
/// A sequencer. Opaque to C.
pub enum lws_sequencer {}
/// A buffer list. Opaque to C.
pub enum lws_buflist {}
/// A custom event-library plugin (only ever passed by pointer; not implemented).
pub enum lws_plugin_evlib {}
/// A registered system message peer (`lws_smd_register`). Opaque to C.
pub enum lws_smd_peer {}
/// A system blob (`lws_system_get_blob`). Opaque to C.
pub enum lws_system_blob {}
/// `lws_system_blob_t`.
pub type lws_system_blob_t = lws_system_blob;
/// Called when a deprecated context has no connections left.
pub type lws_reload_func = Option<unsafe extern "C" fn() -> c_int>;
/// An item of the `lws_system_ops.attach` queue (only ever passed by pointer).
pub enum lws_attach_item {}
/// OpenSSL's `SSL_CTX` (its tag is `struct ssl_ctx_st`); only ever passed by pointer.
pub enum ssl_ctx_st {}

/// `lws_callback_function`: a protocol callback (a C function type, see the module docs).
pub type lws_callback_function = unsafe extern "C" fn(
    wsi: *mut lws,
    reason: lws_callback_reasons,
    user: *mut c_void,
    in_: *mut c_void,
    len: usize,
) -> c_int;

/// `lws_extension_callback_function`: an extension callback (a C function type).
pub type lws_extension_callback_function = unsafe extern "C" fn(
    context: *mut lws_context,
    ext: *const lws_extension,
    wsi: *mut lws,
    reason: lws_extension_callback_reasons,
    user: *mut c_void,
    in_: *mut c_void,
    len: usize,
) -> c_int;

/// Called when a scheduled `lws_sorted_usec_list_t` expires.
pub type sul_cb_t = Option<unsafe extern "C" fn(sul: *mut lws_sorted_usec_list)>;

/// A log emitter: gets one level bit and one complete, NUL-terminated line.
pub type lws_log_emit_t = Option<unsafe extern "C" fn(level: c_int, line: *const c_char)>;

/// A log emitter bound to a log context.
pub type lws_log_emit_cx_t = Option<
    unsafe extern "C" fn(cx: *mut lws_log_cx, level: c_int, line: *const c_char, len: usize),
>;

/// Adds an object-specific prefix to a log line of a log context.
pub type lws_log_prepend_cx_t = Option<
    unsafe extern "C" fn(
        cx: *mut lws_log_cx,
        obj: *mut c_void,
        p: *mut *mut c_char,
        e: *mut c_char,
    ),
>;

/// Told when a log context gains (`_new` != 0) or loses a user.
pub type lws_log_use_cx_t = Option<unsafe extern "C" fn(cx: *mut lws_log_cx, _new: c_int)>;

/// A system-state notifier: returning non-zero from a notification of a transition
/// that is not yet done vetoes it.
pub type lws_state_notify_t = Option<
    unsafe extern "C" fn(
        mgr: *mut lws_state_manager,
        link: *mut lws_state_notify_link,
        current: c_int,
        target: c_int,
    ) -> c_int,
>;

/// Receives a system message (SMD).
pub type lws_smd_notification_cb_t = Option<
    unsafe extern "C" fn(
        opaque: *mut c_void,
        _class: lws_smd_class_t,
        timestamp: lws_usec_t,
        buf: *mut c_void,
        len: usize,
    ) -> c_int,
>;

/// Called on the service thread when an `lws_system_ops.attach` request is served.
pub type lws_attach_cb_t =
    Option<unsafe extern "C" fn(context: *mut lws_context, tsi: c_int, opaque: *mut c_void)>;

/// Saves or loads one TLS session (`lws_tls_session_dump_save/_load`).
pub type lws_tls_sess_cb_t = Option<
    unsafe extern "C" fn(context: *mut lws_context, info: *mut lws_tls_session_dump) -> c_int,
>;

/// Visits one list member (`lws_dll2_foreach_safe`); non-zero stops the walk.
pub type lws_dll2_foreach_cb_t =
    Option<unsafe extern "C" fn(d: *mut lws_dll2, user: *mut c_void) -> c_int>;
