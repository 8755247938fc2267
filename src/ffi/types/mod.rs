//! TEMPORARY minimal mirrors of the lws 4.3.3 types, until the ABI branch lands.
#![allow(non_camel_case_types, non_snake_case, dead_code)]
use std::ffi::{c_char, c_int, c_long, c_uint, c_ushort, c_void};

pub enum lws {}
pub enum lws_context {}
pub enum lws_vhost {}
pub enum lws_ring {}

pub type lws_callback_reasons = c_uint;
pub type lws_usec_t = i64;
pub type lws_callback_function =
    unsafe extern "C" fn(*mut lws, lws_callback_reasons, *mut c_void, *mut c_void, usize) -> c_int;

#[repr(C)]
pub struct lws_protocols {
    pub name: *const c_char,
    pub callback: Option<
        unsafe extern "C" fn(
            wsi: *mut lws,
            reason: lws_callback_reasons,
            user: *mut c_void,
            in_: *mut c_void,
            len: usize,
        ) -> c_int,
    >,
    pub per_session_data_size: usize,
    pub rx_buffer_size: usize,
    pub id: c_uint,
    pub user: *mut c_void,
    pub tx_packet_size: usize,
}

#[repr(C)]
pub struct lws_protocol_vhost_options {
    pub next: *const lws_protocol_vhost_options,
    pub options: *const lws_protocol_vhost_options,
    pub name: *const c_char,
    pub value: *const c_char,
}

#[repr(C)]
pub struct lws_dll2 {
    pub prev: *mut lws_dll2,
    pub next: *mut lws_dll2,
    pub owner: *mut lws_dll2_owner,
}
pub type lws_dll2_t = lws_dll2;
#[repr(C)]
pub struct lws_dll2_owner {
    pub tail: *mut lws_dll2,
    pub head: *mut lws_dll2,
    pub count: u32,
}
pub type lws_dll2_owner_t = lws_dll2_owner;

pub type sul_cb_t = Option<unsafe extern "C" fn(sul: *mut lws_sorted_usec_list)>;
#[repr(C)]
pub struct lws_sorted_usec_list {
    pub list: lws_dll2,
    pub us: lws_usec_t,
    pub cb: sul_cb_t,
    pub latency_us: u32,
}
pub type lws_sorted_usec_list_t = lws_sorted_usec_list;

pub type lws_state_notify_t = Option<
    unsafe extern "C" fn(
        mgr: *mut lws_state_manager,
        link: *mut lws_state_notify_link,
        current: c_int,
        target: c_int,
    ) -> c_int,
>;
#[repr(C)]
pub struct lws_state_notify_link {
    pub list: lws_dll2,
    pub notify_cb: lws_state_notify_t,
    pub name: *const c_char,
}
pub type lws_state_notify_link_t = lws_state_notify_link;
#[repr(C)]
pub struct lws_state_manager {
    pub notify_list: lws_dll2_owner,
    pub context: *mut lws_context,
    pub parent: *mut c_void,
    pub smd_class: u32,
    pub state_names: *mut *const c_char,
    pub name: *const c_char,
    pub state: c_int,
}
pub type lws_state_manager_t = lws_state_manager;

#[repr(C)]
pub struct lws_retry_bo {
    pub retry_ms_table: *const u32,
    pub retry_ms_table_count: u16,
    pub conceal_count: u16,
    pub secs_since_valid_ping: u16,
    pub secs_since_valid_hangup: u16,
    pub jitter_percent: u8,
}
pub type lws_retry_bo_t = lws_retry_bo;
pub type lws_log_emit_t = Option<unsafe extern "C" fn(level: c_int, line: *const c_char)>;

#[repr(C)]
pub struct lws_context_creation_info {
    pub iface: *const c_char,
    pub protocols: *const lws_protocols,
    pub extensions: *mut c_void,
    pub token_limits: *mut c_void,
    pub http_proxy_address: *const c_char,
    pub headers: *mut c_void,
    pub reject_service_keywords: *mut c_void,
    pub pvo: *const lws_protocol_vhost_options,
    pub log_filepath: *const c_char,
    pub mounts: *mut c_void,
    pub server_string: *const c_char,
    pub error_document_404: *const c_char,
    pub port: c_int,
    pub http_proxy_port: c_uint,
    pub max_http_header_data2: c_uint,
    pub max_http_header_pool2: c_uint,
    pub keepalive_timeout: c_int,
    pub http2_settings: [u32; 7],
    pub max_http_header_data: c_ushort,
    pub max_http_header_pool: c_ushort,
    pub ssl_private_key_password: *const c_char,
    pub ssl_cert_filepath: *const c_char,
    pub ssl_private_key_filepath: *const c_char,
    pub ssl_ca_filepath: *const c_char,
    pub ssl_cipher_list: *const c_char,
    pub ecdh_curve: *const c_char,
    pub tls1_3_plus_cipher_list: *const c_char,
    pub server_ssl_cert_mem: *mut c_void,
    pub server_ssl_private_key_mem: *mut c_void,
    pub server_ssl_ca_mem: *mut c_void,
    pub ssl_options_set: c_long,
    pub ssl_options_clear: c_long,
    pub simultaneous_ssl_restriction: c_int,
    pub simultaneous_ssl_handshake_restriction: c_int,
    pub ssl_info_event_mask: c_int,
    pub server_ssl_cert_mem_len: c_uint,
    pub server_ssl_private_key_mem_len: c_uint,
    pub server_ssl_ca_mem_len: c_uint,
    pub alpn: *const c_char,
    pub client_ssl_private_key_password: *const c_char,
    pub client_ssl_cert_filepath: *const c_char,
    pub client_ssl_cert_mem: *mut c_void,
    pub client_ssl_cert_mem_len: c_uint,
    pub client_ssl_private_key_filepath: *const c_char,
    pub client_ssl_key_mem: *mut c_void,
    pub client_ssl_ca_filepath: *const c_char,
    pub client_ssl_ca_mem: *mut c_void,
    pub client_ssl_cipher_list: *const c_char,
    pub client_tls_1_3_plus_cipher_list: *const c_char,
    pub ssl_client_options_set: c_long,
    pub ssl_client_options_clear: c_long,
    pub client_ssl_ca_mem_len: c_uint,
    pub client_ssl_key_mem_len: c_uint,
    pub provided_client_ssl_ctx: *mut c_void,
    pub ka_time: c_int,
    pub ka_probes: c_int,
    pub ka_interval: c_int,
    pub timeout_secs: c_uint,
    pub connect_timeout_secs: c_uint,
    pub bind_iface: c_int,
    pub timeout_secs_ah_idle: c_uint,
    pub tls_session_timeout: u32,
    pub tls_session_cache_max: u32,
    pub gid: u32,
    pub uid: u32,
    pub options: u64,
    pub user: *mut c_void,
    pub count_threads: c_uint,
    pub fd_limit_per_thread: c_uint,
    pub vhost_name: *const c_char,
    pub external_baggage_free_on_destroy: *mut c_void,
    pub pt_serv_buf_size: c_uint,
    pub fops: *mut c_void,
    pub caps: [c_int; 4],
    pub count_caps: c_char,
    pub foreign_loops: *mut c_void,
    pub signal_cb: *mut c_void,
    pub pcontext: *mut *mut lws_context,
    pub finalize: Option<unsafe extern "C" fn(vh: *mut lws_vhost, arg: *mut c_void)>,
    pub finalize_arg: *mut c_void,
    pub listen_accept_role: *const c_char,
    pub listen_accept_protocol: *const c_char,
    pub pprotocols: *const *const lws_protocols,
    pub username: *const c_char,
    pub groupname: *const c_char,
    pub unix_socket_perms: *const c_char,
    pub system_ops: *mut c_void,
    pub retry_and_idle_policy: *mut c_void,
    pub register_notifier_list: *const *mut lws_state_notify_link_t,
    pub rlimit_nofile: c_int,
    pub early_smd_cb: *mut c_void,
    pub early_smd_opaque: *mut c_void,
    pub early_smd_class_filter: u32,
    pub smd_ttl_us: i64,
    pub smd_queue_depth: u16,
    pub fo_listen_queue: c_int,
    pub event_lib_custom: *mut c_void,
    pub log_cx: *mut c_void,
    pub http_nsc_filepath: *const c_char,
    pub http_nsc_heap_max_footprint: usize,
    pub http_nsc_heap_max_items: usize,
    pub http_nsc_heap_max_payload: usize,
    pub _unused: [*mut c_void; 2],
}
const _: () = assert!(std::mem::size_of::<lws_context_creation_info>() == 744);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, iface) == 0);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, protocols) == 8);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, extensions) == 16);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, token_limits) == 24);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, http_proxy_address) == 32);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, headers) == 40);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, reject_service_keywords) == 48);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, pvo) == 56);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, log_filepath) == 64);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, mounts) == 72);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, server_string) == 80);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, error_document_404) == 88);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, port) == 96);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, http_proxy_port) == 100);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, max_http_header_data2) == 104);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, max_http_header_pool2) == 108);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, keepalive_timeout) == 112);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, http2_settings) == 116);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, max_http_header_data) == 144);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, max_http_header_pool) == 146);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, ssl_private_key_password) == 152);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, ssl_cert_filepath) == 160);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, ssl_private_key_filepath) == 168);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, ssl_ca_filepath) == 176);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, ssl_cipher_list) == 184);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, ecdh_curve) == 192);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, tls1_3_plus_cipher_list) == 200);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, server_ssl_cert_mem) == 208);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, server_ssl_private_key_mem) == 216);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, server_ssl_ca_mem) == 224);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, ssl_options_set) == 232);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, ssl_options_clear) == 240);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, simultaneous_ssl_restriction) == 248);
const _: () = assert!(
    std::mem::offset_of!(
        lws_context_creation_info,
        simultaneous_ssl_handshake_restriction
    ) == 252
);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, ssl_info_event_mask) == 256);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, server_ssl_cert_mem_len) == 260);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, server_ssl_private_key_mem_len) == 264);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, server_ssl_ca_mem_len) == 268);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, alpn) == 272);
const _: () = assert!(
    std::mem::offset_of!(lws_context_creation_info, client_ssl_private_key_password) == 280
);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, client_ssl_cert_filepath) == 288);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, client_ssl_cert_mem) == 296);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, client_ssl_cert_mem_len) == 304);
const _: () = assert!(
    std::mem::offset_of!(lws_context_creation_info, client_ssl_private_key_filepath) == 312
);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, client_ssl_key_mem) == 320);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, client_ssl_ca_filepath) == 328);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, client_ssl_ca_mem) == 336);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, client_ssl_cipher_list) == 344);
const _: () = assert!(
    std::mem::offset_of!(lws_context_creation_info, client_tls_1_3_plus_cipher_list) == 352
);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, ssl_client_options_set) == 360);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, ssl_client_options_clear) == 368);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, client_ssl_ca_mem_len) == 376);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, client_ssl_key_mem_len) == 380);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, provided_client_ssl_ctx) == 384);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, ka_time) == 392);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, ka_probes) == 396);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, ka_interval) == 400);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, timeout_secs) == 404);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, connect_timeout_secs) == 408);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, bind_iface) == 412);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, timeout_secs_ah_idle) == 416);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, tls_session_timeout) == 420);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, tls_session_cache_max) == 424);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, gid) == 428);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, uid) == 432);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, options) == 440);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, user) == 448);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, count_threads) == 456);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, fd_limit_per_thread) == 460);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, vhost_name) == 464);
const _: () = assert!(
    std::mem::offset_of!(lws_context_creation_info, external_baggage_free_on_destroy) == 472
);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, pt_serv_buf_size) == 480);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, fops) == 488);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, caps) == 496);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, count_caps) == 512);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, foreign_loops) == 520);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, signal_cb) == 528);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, pcontext) == 536);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, finalize) == 544);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, finalize_arg) == 552);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, listen_accept_role) == 560);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, listen_accept_protocol) == 568);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, pprotocols) == 576);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, username) == 584);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, groupname) == 592);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, unix_socket_perms) == 600);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, system_ops) == 608);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, retry_and_idle_policy) == 616);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, register_notifier_list) == 624);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, rlimit_nofile) == 632);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, early_smd_cb) == 640);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, early_smd_opaque) == 648);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, early_smd_class_filter) == 656);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, smd_ttl_us) == 664);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, smd_queue_depth) == 672);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, fo_listen_queue) == 676);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, event_lib_custom) == 680);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, log_cx) == 688);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, http_nsc_filepath) == 696);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, http_nsc_heap_max_footprint) == 704);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, http_nsc_heap_max_items) == 712);
const _: () =
    assert!(std::mem::offset_of!(lws_context_creation_info, http_nsc_heap_max_payload) == 720);
const _: () = assert!(std::mem::offset_of!(lws_context_creation_info, _unused) == 728);
#[repr(C)]
pub struct lws_client_connect_info {
    pub context: *mut c_void,
    pub address: *const c_char,
    pub port: c_int,
    pub ssl_connection: c_int,
    pub path: *const c_char,
    pub host: *const c_char,
    pub origin: *const c_char,
    pub protocol: *const c_char,
    pub ietf_version_or_minus_one: c_int,
    pub userdata: *mut c_void,
    pub client_exts: *mut c_void,
    pub method: *const c_char,
    pub parent_wsi: *mut c_void,
    pub uri_replace_from: *const c_char,
    pub uri_replace_to: *const c_char,
    pub vhost: *mut c_void,
    pub pwsi: *mut c_void,
    pub iface: *const c_char,
    pub local_protocol_name: *const c_char,
    pub alpn: *const c_char,
    pub seq: *mut c_void,
    pub opaque_user_data: *mut c_void,
    pub retry_and_idle_policy: *mut c_void,
    pub manual_initial_tx_credit: c_int,
    pub sys_tls_client_cert: u8,
    pub priority: u8,
    pub mqtt_cp: *mut c_void,
    pub fi_wsi_name: *const c_char,
    pub keep_warm_secs: u16,
    pub log_cx: *mut c_void,
    pub _unused: [*mut c_void; 4],
}
const _: () = assert!(std::mem::size_of::<lws_client_connect_info>() == 248);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, context) == 0);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, address) == 8);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, port) == 16);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, ssl_connection) == 20);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, path) == 24);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, host) == 32);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, origin) == 40);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, protocol) == 48);
const _: () =
    assert!(std::mem::offset_of!(lws_client_connect_info, ietf_version_or_minus_one) == 56);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, userdata) == 64);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, client_exts) == 72);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, method) == 80);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, parent_wsi) == 88);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, uri_replace_from) == 96);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, uri_replace_to) == 104);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, vhost) == 112);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, pwsi) == 120);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, iface) == 128);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, local_protocol_name) == 136);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, alpn) == 144);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, seq) == 152);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, opaque_user_data) == 160);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, retry_and_idle_policy) == 168);
const _: () =
    assert!(std::mem::offset_of!(lws_client_connect_info, manual_initial_tx_credit) == 176);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, sys_tls_client_cert) == 180);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, priority) == 181);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, mqtt_cp) == 184);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, fi_wsi_name) == 192);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, keep_warm_secs) == 200);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, log_cx) == 208);
const _: () = assert!(std::mem::offset_of!(lws_client_connect_info, _unused) == 216);
