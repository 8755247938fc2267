//! Protocol, extension, mount and HTTP helper structs of the lws 4.3.3 ABI.
//!
//! `struct lws_http_mount` has three one-bit bitfields, which cbindgen cannot print: its
//! C definition is hand-written in include/libwebsockets/lws-types.h and cbindgen.toml
//! excludes it. Here the bits live in one byte (`cache_flags`, offset 76) with accessors;
//! the byte after it is already `origin_protocol`, so the storage cannot be wider.

use core::ffi::{c_char, c_int, c_uint, c_ushort, c_void};

use super::{
    lws, lws_callback_reasons, lws_context, lws_ext_options_types, lws_extension_callback_reasons,
    lws_sockfd_type,
};

/// `struct lws_protocols`: one protocol a vhost serves. Arrays of these end with
/// `LWS_PROTOCOL_LIST_TERM` (an entry whose `callback` is NULL).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_protocols {
    /// Protocol name, matched against the websocket subprotocol.
    pub name: *const c_char,
    /// The protocol callback (`lws_callback_function *`).
    pub callback: Option<
        unsafe extern "C" fn(
            wsi: *mut lws,
            reason: lws_callback_reasons,
            user: *mut c_void,
            in_: *mut c_void,
            len: usize,
        ) -> c_int,
    >,
    /// Bytes of per-connection user data lws allocates (zeroed) for each connection.
    pub per_session_data_size: usize,
    /// Receive buffer size (0: default).
    pub rx_buffer_size: usize,
    /// Free for the protocol's own use (e.g. a version).
    pub id: c_uint,
    /// Free for the protocol's own use.
    pub user: *mut c_void,
    /// Maximum size of one transmitted packet (0: `rx_buffer_size`).
    pub tx_packet_size: usize,
}

/// `struct lws_protocol_vhost_options`: a name/value list node, optionally with a
/// nested option list (used for per-vhost protocol options, extra headers, mimetypes).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_protocol_vhost_options {
    /// Next sibling, or NULL.
    pub next: *const lws_protocol_vhost_options,
    /// Child options, or NULL.
    pub options: *const lws_protocol_vhost_options,
    /// Option name.
    pub name: *const c_char,
    /// Option value.
    pub value: *const c_char,
}

/// `struct lws_extension`: a websocket extension. Arrays end with a NULL `name`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_extension {
    /// Extension name, e.g. "permessage-deflate".
    pub name: *const c_char,
    /// The extension callback (`lws_extension_callback_function *`).
    pub callback: Option<
        unsafe extern "C" fn(
            context: *mut lws_context,
            ext: *const lws_extension,
            wsi: *mut lws,
            reason: lws_extension_callback_reasons,
            user: *mut c_void,
            in_: *mut c_void,
            len: usize,
        ) -> c_int,
    >,
    /// What a client offers in Sec-WebSocket-Extensions.
    pub client_offer: *const c_char,
}

/// `struct lws_ext_options`: one option an extension accepts.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_ext_options {
    /// Option name.
    pub name: *const c_char,
    /// How the option's argument is parsed.
    pub r#type: lws_ext_options_types,
}

/// `struct lws_ext_option_arg`: an option being set on an extension.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_ext_option_arg {
    /// Option name (NULL: use `option_index`).
    pub option_name: *const c_char,
    /// Option index.
    pub option_index: c_int,
    /// Argument text (not NUL-terminated).
    pub start: *const c_char,
    /// Argument length.
    pub len: c_int,
}

/// `struct lws_http_mount`: maps a URL prefix to something that serves it.
/// See the module docs for the bitfields.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_http_mount {
    /// Next mount, or NULL.
    pub mount_next: *const lws_http_mount,
    /// URL prefix, e.g. "/".
    pub mountpoint: *const c_char,
    /// Where it is served from (directory, URL, or protocol name).
    pub origin: *const c_char,
    /// Default file for a directory URL.
    pub def: *const c_char,
    /// Protocol whose callback handles `LWSMPRO_CALLBACK` mounts.
    pub protocol: *const c_char,
    /// CGI environment.
    pub cgienv: *const lws_protocol_vhost_options,
    /// Extra mimetypes by file extension.
    pub extra_mimetypes: *const lws_protocol_vhost_options,
    /// Files to interpret with a protocol.
    pub interpret: *const lws_protocol_vhost_options,
    /// CGI timeout in seconds.
    pub cgi_timeout: c_int,
    /// max-age for Cache-Control.
    pub cache_max_age: c_int,
    /// Authorization bits a request needs.
    pub auth_mask: c_uint,
    /// Storage of the C bitfields `cache_reusable:1`, `cache_revalidate:1`,
    /// `cache_intermediaries:1` (bits 0, 1, 2).
    pub cache_flags: u8,
    /// `LWSMPRO_*`.
    pub origin_protocol: u8,
    /// `strlen(mountpoint)`.
    pub mountpoint_len: u8,
    /// Basic-auth credentials file.
    pub basic_auth_login_file: *const c_char,
}

impl lws_http_mount {
    const CACHE_REUSABLE: u8 = 1 << 0;
    const CACHE_REVALIDATE: u8 = 1 << 1;
    const CACHE_INTERMEDIARIES: u8 = 1 << 2;

    /// The `cache_reusable` bitfield.
    pub fn cache_reusable(&self) -> bool {
        self.cache_flags & Self::CACHE_REUSABLE != 0
    }

    /// The `cache_revalidate` bitfield.
    pub fn cache_revalidate(&self) -> bool {
        self.cache_flags & Self::CACHE_REVALIDATE != 0
    }

    /// The `cache_intermediaries` bitfield.
    pub fn cache_intermediaries(&self) -> bool {
        self.cache_flags & Self::CACHE_INTERMEDIARIES != 0
    }

    /// Sets the `cache_reusable` bitfield.
    pub fn set_cache_reusable(&mut self, on: bool) {
        self.set_flag(Self::CACHE_REUSABLE, on);
    }

    /// Sets the `cache_revalidate` bitfield.
    pub fn set_cache_revalidate(&mut self, on: bool) {
        self.set_flag(Self::CACHE_REVALIDATE, on);
    }

    /// Sets the `cache_intermediaries` bitfield.
    pub fn set_cache_intermediaries(&mut self, on: bool) {
        self.set_flag(Self::CACHE_INTERMEDIARIES, on);
    }

    fn set_flag(&mut self, bit: u8, on: bool) {
        if on {
            self.cache_flags |= bit;
        } else {
            self.cache_flags &= !bit;
        }
    }
}

/// `struct lws_token_limits`: maximum stored length per header slot
/// (indexed by `lws_token_indexes`, `WSI_TOKEN_COUNT` = 96 slots).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_token_limits {
    /// Limit per header slot.
    pub token_limit: [c_ushort; 96],
}

/// `struct lws_process_html_args`: the argument of `LWS_CALLBACK_PROCESS_HTML`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_process_html_args {
    /// The HTML chunk.
    pub p: *mut c_char,
    /// Its length.
    pub len: c_int,
    /// Space available at `p`.
    pub max_len: c_int,
    /// Non-zero for the last chunk.
    pub r#final: c_int,
    /// Non-zero when the output is chunked.
    pub chunked: c_int,
}

/// `struct lws_pollargs`: the argument of the poll-fd callback reasons.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_pollargs {
    /// The socket.
    pub fd: lws_sockfd_type,
    /// Events wanted now.
    pub events: c_int,
    /// Events wanted before.
    pub prev_events: c_int,
}

#[cfg(test)]
mod tests {
    use super::lws_http_mount;

    #[test]
    fn mount_bitfields() {
        // SAFETY: lws_http_mount is plain data; all-zero is a valid value (NULL pointers).
        let mut m: lws_http_mount = unsafe { core::mem::zeroed() };
        m.set_cache_revalidate(true);
        assert_eq!(m.cache_flags, 2);
        assert!(m.cache_revalidate() && !m.cache_reusable() && !m.cache_intermediaries());
        m.set_cache_reusable(true);
        m.set_cache_intermediaries(true);
        m.set_cache_revalidate(false);
        assert_eq!(m.cache_flags, 5);
    }
}
