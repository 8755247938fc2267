//! External poll and custom event libraries (lws-service.h,
//! lws-eventlib-exports.h, lws-protocols-plugins.h). `lws_pollfd` is the
//! platform's `struct pollfd`; these mirrors are read by the library and
//! declared to C by the hand-written `libwebsockets/lws-eventlib.h`.

use core::ffi::{c_char, c_int, c_short, c_uint, c_void};

use super::{lws, lws_context, lws_context_creation_info};

/// `struct lws_pollfd` (`#define lws_pollfd pollfd` on Linux).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct lws_pollfd {
    pub fd: c_int,
    pub events: c_short,
    pub revents: c_short,
}

/// The per-thread object of lws (opaque; never handed out by this library).
pub enum lws_context_per_thread {}

/// `struct lws_event_loop_ops`: a custom event library's operations.
#[repr(C)]
pub struct lws_event_loop_ops {
    pub name: *const c_char,
    pub init_context:
        Option<unsafe extern "C" fn(*mut lws_context, *const lws_context_creation_info) -> c_int>,
    pub destroy_context1: Option<unsafe extern "C" fn(*mut lws_context) -> c_int>,
    pub destroy_context2: Option<unsafe extern "C" fn(*mut lws_context) -> c_int>,
    pub init_vhost_listen_wsi: Option<unsafe extern "C" fn(*mut lws) -> c_int>,
    pub init_pt: Option<unsafe extern "C" fn(*mut lws_context, *mut c_void, c_int) -> c_int>,
    pub wsi_logical_close: Option<unsafe extern "C" fn(*mut lws) -> c_int>,
    pub check_client_connect_ok: Option<unsafe extern "C" fn(*mut lws) -> c_int>,
    pub close_handle_manually: Option<unsafe extern "C" fn(*mut lws)>,
    pub sock_accept: Option<unsafe extern "C" fn(*mut lws) -> c_int>,
    pub io: Option<unsafe extern "C" fn(*mut lws, c_uint)>,
    pub run_pt: Option<unsafe extern "C" fn(*mut lws_context, c_int)>,
    pub destroy_pt: Option<unsafe extern "C" fn(*mut lws_context, c_int)>,
    pub destroy_wsi: Option<unsafe extern "C" fn(*mut lws)>,
    pub foreign_thread: Option<unsafe extern "C" fn(*mut lws_context, c_int) -> c_int>,
    pub flags: u8,
    pub evlib_size_ctx: u16,
    pub evlib_size_pt: u16,
    pub evlib_size_vh: u16,
    pub evlib_size_wsi: u16,
}

/// `lws_plugin_header_t`.
#[repr(C)]
pub struct lws_plugin_header_t {
    pub name: *const c_char,
    pub _class: *const c_char,
    pub lws_build_hash: *const c_char,
    pub api_magic: c_uint,
}

/// `lws_plugin_evlib_t` (`struct lws_plugin_evlib`).
#[repr(C)]
pub struct lws_plugin_evlib_t {
    pub hdr: lws_plugin_header_t,
    pub ops: *const lws_event_loop_ops,
}

/// `LWS_EV_READ` ... `LWS_EV_STOP`: the flags of `lws_event_loop_ops.io`.
pub const LWS_EV_READ: c_uint = 1;
pub const LWS_EV_WRITE: c_uint = 2;
pub const LWS_EV_START: c_uint = 4;
pub const LWS_EV_STOP: c_uint = 8;

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::{offset_of, size_of};

    /// Measured on lws 4.3.3's headers (x86_64).
    #[test]
    fn layouts_match_lws() {
        assert_eq!(size_of::<lws_pollfd>(), 8);
        assert_eq!(size_of::<lws_event_loop_ops>(), 136);
        assert_eq!(offset_of!(lws_event_loop_ops, io), 80);
        assert_eq!(offset_of!(lws_event_loop_ops, flags), 120);
        assert_eq!(offset_of!(lws_event_loop_ops, evlib_size_pt), 124);
        assert_eq!(offset_of!(lws_event_loop_ops, evlib_size_wsi), 128);
        assert_eq!(size_of::<lws_plugin_header_t>(), 32);
        assert_eq!(offset_of!(lws_plugin_header_t, api_magic), 24);
        assert_eq!(offset_of!(lws_plugin_evlib_t, ops), 32);
        assert_eq!(size_of::<lws_plugin_evlib_t>(), 40);
    }
}
