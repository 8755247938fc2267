//! The two big "info" structs C programs fill in: `struct lws_context_creation_info`
//! (for `lws_create_context()` and `lws_create_vhost()`) and
//! `struct lws_client_connect_info` (for `lws_client_connect_via_info()`).
//!
//! Layouts are frozen to the reference 4.3.3 build (spec B0.2): members that exist only
//! under some build options are present exactly when that build had them. Members whose
//! C types we do not carry use a same-sized stand-in (`caps` is `cap_value_t[4]`, an
//! `int` array here). Offsets are asserted in `layout_asserts.rs`.

use core::ffi::{c_char, c_int, c_long, c_uint, c_ushort, c_void};

use libc::{gid_t, uid_t};

use super::{
    lws, lws_context, lws_extension, lws_http_mount, lws_log_cx_t, lws_plat_file_ops,
    lws_plugin_evlib, lws_protocol_vhost_options, lws_protocols, lws_retry_bo_t, lws_sequencer,
    lws_smd_class_t, lws_smd_notification_cb_t, lws_state_notify_link_t, lws_system_ops_t,
    lws_token_limits, lws_usec_t, lws_vhost, ssl_ctx_st,
};

/// `struct lws_context_creation_info`: everything `lws_create_context()` and
/// `lws_create_vhost()` are told. C zeroes it, then sets what it needs.
#[repr(C)]
pub struct lws_context_creation_info {
    /// Interface name or address to bind the listening socket to; NULL for all.
    pub iface: *const c_char,
    /// Protocol list, terminated by an entry with a NULL callback.
    pub protocols: *const lws_protocols,
    /// Extension list, terminated by an entry with a NULL name.
    pub extensions: *const lws_extension,
    /// Per-header size limits; NULL for the defaults.
    pub token_limits: *const lws_token_limits,
    /// Proxy for client connections ("host:port").
    pub http_proxy_address: *const c_char,
    /// Extra headers added to every HTTP response.
    pub headers: *const lws_protocol_vhost_options,
    /// Reject requests whose user agent contains one of these names.
    pub reject_service_keywords: *const lws_protocol_vhost_options,
    /// Per-vhost protocol options.
    pub pvo: *const lws_protocol_vhost_options,
    /// Log file path (unused on this platform).
    pub log_filepath: *const c_char,
    /// HTTP mount list.
    pub mounts: *const lws_http_mount,
    /// Value of the Server: header.
    pub server_string: *const c_char,
    /// URL served for 404s.
    pub error_document_404: *const c_char,
    /// Listen port; `CONTEXT_PORT_NO_LISTEN` for none.
    pub port: c_int,
    /// Port of `http_proxy_address`.
    pub http_proxy_port: c_uint,
    /// Header buffer size (wins over `max_http_header_data` when non-zero).
    pub max_http_header_data2: c_uint,
    /// Header pool size (wins over `max_http_header_pool` when non-zero).
    pub max_http_header_pool2: c_uint,
    /// Idle seconds before a keep-alive HTTP connection is closed.
    pub keepalive_timeout: c_int,
    /// HTTP/2 SETTINGS values, indexed by setting id.
    pub http2_settings: [u32; 7],
    /// Header buffer size.
    pub max_http_header_data: c_ushort,
    /// Header pool size.
    pub max_http_header_pool: c_ushort,
    /// Password of the server private key.
    pub ssl_private_key_password: *const c_char,
    /// Server certificate file (PEM).
    pub ssl_cert_filepath: *const c_char,
    /// Server private key file (PEM).
    pub ssl_private_key_filepath: *const c_char,
    /// CA file used to check client certificates.
    pub ssl_ca_filepath: *const c_char,
    /// Server cipher list (TLS 1.2 and below).
    pub ssl_cipher_list: *const c_char,
    /// ECDH curve name.
    pub ecdh_curve: *const c_char,
    /// Server cipher list for TLS 1.3.
    pub tls1_3_plus_cipher_list: *const c_char,
    /// Server certificate in memory.
    pub server_ssl_cert_mem: *const c_void,
    /// Server private key in memory.
    pub server_ssl_private_key_mem: *const c_void,
    /// CA in memory for checking client certificates.
    pub server_ssl_ca_mem: *const c_void,
    /// OpenSSL option bits to set on the server context.
    pub ssl_options_set: c_long,
    /// OpenSSL option bits to clear on the server context.
    pub ssl_options_clear: c_long,
    /// Maximum simultaneous TLS connections (0: no limit).
    pub simultaneous_ssl_restriction: c_int,
    /// Maximum simultaneous TLS handshakes (0: no limit).
    pub simultaneous_ssl_handshake_restriction: c_int,
    /// Which TLS info events reach `LWS_CALLBACK_SSL_INFO`.
    pub ssl_info_event_mask: c_int,
    /// Length of `server_ssl_cert_mem`.
    pub server_ssl_cert_mem_len: c_uint,
    /// Length of `server_ssl_private_key_mem`.
    pub server_ssl_private_key_mem_len: c_uint,
    /// Length of `server_ssl_ca_mem`.
    pub server_ssl_ca_mem_len: c_uint,
    /// Comma-separated ALPN list.
    pub alpn: *const c_char,
    /// Password of the client private key.
    pub client_ssl_private_key_password: *const c_char,
    /// Client certificate file.
    pub client_ssl_cert_filepath: *const c_char,
    /// Client certificate in memory.
    pub client_ssl_cert_mem: *const c_void,
    /// Length of `client_ssl_cert_mem`.
    pub client_ssl_cert_mem_len: c_uint,
    /// Client private key file.
    pub client_ssl_private_key_filepath: *const c_char,
    /// Client private key in memory.
    pub client_ssl_key_mem: *const c_void,
    /// CA file used to check servers.
    pub client_ssl_ca_filepath: *const c_char,
    /// CA in memory used to check servers.
    pub client_ssl_ca_mem: *const c_void,
    /// Client cipher list (TLS 1.2 and below).
    pub client_ssl_cipher_list: *const c_char,
    /// Client cipher list for TLS 1.3.
    pub client_tls_1_3_plus_cipher_list: *const c_char,
    /// OpenSSL option bits to set on the client context.
    pub ssl_client_options_set: c_long,
    /// OpenSSL option bits to clear on the client context.
    pub ssl_client_options_clear: c_long,
    /// Length of `client_ssl_ca_mem`.
    pub client_ssl_ca_mem_len: c_uint,
    /// Length of `client_ssl_key_mem`.
    pub client_ssl_key_mem_len: c_uint,
    /// A ready-made OpenSSL client `SSL_CTX *`.
    pub provided_client_ssl_ctx: *mut ssl_ctx_st,
    /// TCP keepalive idle time (0: keepalive off).
    pub ka_time: c_int,
    /// TCP keepalive probe count.
    pub ka_probes: c_int,
    /// TCP keepalive probe interval.
    pub ka_interval: c_int,
    /// Default timeout in seconds for various protocol stages.
    pub timeout_secs: c_uint,
    /// Timeout for a client connect.
    pub connect_timeout_secs: c_uint,
    /// Bind the listen socket to `iface` as a device (SO_BINDTODEVICE).
    pub bind_iface: c_int,
    /// Seconds a connection may hold an idle header buffer.
    pub timeout_secs_ah_idle: c_uint,
    /// TLS session cache timeout.
    pub tls_session_timeout: u32,
    /// TLS session cache size.
    pub tls_session_cache_max: u32,
    /// Group id to change to after init (0: keep).
    pub gid: gid_t,
    /// User id to change to after init (0: keep).
    pub uid: uid_t,
    /// `LWS_SERVER_OPTION_*` bits.
    pub options: u64,
    /// Opaque user pointer, returned by `lws_context_user()`.
    pub user: *mut c_void,
    /// Service threads wanted (clamped to `LWS_MAX_SMP`).
    pub count_threads: c_uint,
    /// Maximum fds per service thread (0: process limit).
    pub fd_limit_per_thread: c_uint,
    /// Name of the vhost this info creates.
    pub vhost_name: *const c_char,
    /// Freed with the vhost.
    pub external_baggage_free_on_destroy: *mut c_void,
    /// Size of the per-thread service buffer (0: default).
    pub pt_serv_buf_size: c_uint,
    /// Custom file operations.
    pub fops: *const lws_plat_file_ops,
    /// Capabilities to keep after dropping privileges (`cap_value_t[4]`).
    pub caps: [c_int; 4],
    /// How many of `caps` are used.
    pub count_caps: c_char,
    /// Foreign event loops to run on.
    pub foreign_loops: *mut *mut c_void,
    /// Signal handler for event-library integrations.
    pub signal_cb: Option<unsafe extern "C" fn(event_lib_handle: *mut c_void, signum: c_int)>,
    /// If non-NULL, receives the context pointer early.
    pub pcontext: *mut *mut lws_context,
    /// Called when the vhost is destroyed.
    pub finalize: Option<unsafe extern "C" fn(vh: *mut lws_vhost, arg: *mut c_void)>,
    /// Argument of `finalize`.
    pub finalize_arg: *mut c_void,
    /// Role to bind accepted connections to directly.
    pub listen_accept_role: *const c_char,
    /// Protocol to bind accepted connections to directly.
    pub listen_accept_protocol: *const c_char,
    /// Protocol list given as an array of pointers (alternative to `protocols`).
    pub pprotocols: *mut *const lws_protocols,
    /// User name to change to after init.
    pub username: *const c_char,
    /// Group name to change to after init.
    pub groupname: *const c_char,
    /// "user:group" owner for a unix listening socket.
    pub unix_socket_perms: *const c_char,
    /// Platform hooks.
    pub system_ops: *const lws_system_ops_t,
    /// Retry and idle-validity policy for connections of this vhost.
    pub retry_and_idle_policy: *const lws_retry_bo_t,
    /// NULL-terminated array of system-state notifiers to register at creation.
    pub register_notifier_list: *const *mut lws_state_notify_link_t,
    /// RLIMIT_NOFILE to set (0: keep).
    pub rlimit_nofile: c_int,
    /// SMD participant registered at creation.
    pub early_smd_cb: lws_smd_notification_cb_t,
    /// Opaque pointer for `early_smd_cb`.
    pub early_smd_opaque: *mut c_void,
    /// Message classes `early_smd_cb` wants.
    pub early_smd_class_filter: lws_smd_class_t,
    /// SMD message lifetime.
    pub smd_ttl_us: lws_usec_t,
    /// SMD queue depth.
    pub smd_queue_depth: u16,
    /// listen() backlog (0: default).
    pub fo_listen_queue: c_int,
    /// A custom event library.
    pub event_lib_custom: *const lws_plugin_evlib,
    /// Log context for this context (NULL: the process default).
    pub log_cx: *mut lws_log_cx_t,
    /// Cookie jar file.
    pub http_nsc_filepath: *const c_char,
    /// Cookie cache limit: bytes.
    pub http_nsc_heap_max_footprint: usize,
    /// Cookie cache limit: entries.
    pub http_nsc_heap_max_items: usize,
    /// Cookie cache limit: bytes per entry.
    pub http_nsc_heap_max_payload: usize,
    /// Reserved; keep zero.
    pub _unused: [*mut c_void; 2],
}

/// `struct lws_client_connect_info`: what `lws_client_connect_via_info()` connects to.
#[repr(C)]
pub struct lws_client_connect_info {
    /// The context to connect from.
    pub context: *mut lws_context,
    /// Host name or address of the server.
    pub address: *const c_char,
    /// Server port.
    pub port: c_int,
    /// `LCCSCF_*` bits.
    pub ssl_connection: c_int,
    /// URI path (with query).
    pub path: *const c_char,
    /// Value of the Host: header.
    pub host: *const c_char,
    /// Value of the Origin: header.
    pub origin: *const c_char,
    /// Websocket subprotocol list; NULL (and `method` non-NULL) for plain HTTP.
    pub protocol: *const c_char,
    /// Websocket version, or -1 for the latest.
    pub ietf_version_or_minus_one: c_int,
    /// Per-connection user data to use instead of allocating it.
    pub userdata: *mut c_void,
    /// Client extensions (unused).
    pub client_exts: *const c_void,
    /// HTTP method; NULL for a websocket connection.
    pub method: *const c_char,
    /// Parent connection.
    pub parent_wsi: *mut lws,
    /// URI rewriting: replace this prefix...
    pub uri_replace_from: *const c_char,
    /// ... with this one.
    pub uri_replace_to: *const c_char,
    /// Vhost to bind the connection to (NULL: the default vhost).
    pub vhost: *mut lws_vhost,
    /// If non-NULL, receives the wsi as soon as it exists (and NULL if it fails).
    pub pwsi: *mut *mut lws,
    /// Local interface to bind to.
    pub iface: *const c_char,
    /// Protocol to bind the connection to (by name).
    pub local_protocol_name: *const c_char,
    /// ALPN list for this connection.
    pub alpn: *const c_char,
    /// Sequencer to notify.
    pub seq: *mut lws_sequencer,
    /// Value for `lws_get_opaque_user_data()`.
    pub opaque_user_data: *mut c_void,
    /// Retry and idle-validity policy.
    pub retry_and_idle_policy: *const lws_retry_bo_t,
    /// Initial HTTP/2 tx credit (0: default).
    pub manual_initial_tx_credit: c_int,
    /// Index of a system client certificate to use (+1; 0: none).
    pub sys_tls_client_cert: u8,
    /// Socket priority.
    pub priority: u8,
    /// MQTT connect parameters (MQTT is off).
    pub mqtt_cp: *mut c_void,
    /// Fault-injection name (fault injection is off).
    pub fi_wsi_name: *const c_char,
    /// Seconds to keep an idle mux connection open.
    pub keep_warm_secs: u16,
    /// Log context for this connection.
    pub log_cx: *mut lws_log_cx_t,
    /// Reserved; keep zero.
    pub _unused: [*mut c_void; 4],
}
