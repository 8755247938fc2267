//! `#[repr(C)]` mirrors of the lws 4.3.3 types of the headers' other areas (CBOR / LECP,
//! COSE / JOSE, generic crypto, secure streams, sequencer, metrics, plugins, drivers,
//! netdev, ...): the structs, unions and typedefs a C program for lws may declare, that no
//! exported function of lws-rs takes yet. Field names and types as in lws; layouts
//! measured by scripts/ref-probe.py (abi/layouts-misc.tsv, asserted in layout_asserts.rs).
//!
//! Pointers to OpenSSL objects (`EVP_MD_CTX *`, `BIGNUM *`, ...) are `void *` here: lws-rs
//! does not use OpenSSL and its header does not include OpenSSL's. The structs with
//! bitfields are written in C (include/libwebsockets/lws-misc-structs.h) and are opaque
//! to Rust, as are the types lws itself leaves incomplete.

use core::ffi::{c_char, c_int, c_schar, c_short, c_uchar, c_uint, c_ulong, c_ushort, c_void};

use super::*;

// Types lws leaves incomplete, and the C-only structs with bitfields.
/// `struct lws_abs` (only ever used by pointer here).
pub enum lws_abs {}
/// `struct lws_cose_validate_context` (only ever used by pointer here).
pub enum lws_cose_validate_context {}
/// `struct lws_led_state` (only ever used by pointer here).
pub enum lws_led_state {}
/// `struct lws_metric` (only ever used by pointer here).
pub enum lws_metric {}
/// `struct lws_route` (only ever used by pointer here).
pub enum lws_route {}
/// `struct lws_seq_info` (only ever used by pointer here).
pub enum lws_seq_info {}
/// `struct lws_ss_handle` (only ever used by pointer here).
pub enum lws_ss_handle {}
/// `struct lws_ss_metadata` (only ever used by pointer here).
pub enum lws_ss_metadata {}
/// `struct lws_ss_policy` (only ever used by pointer here).
pub enum lws_ss_policy {}
/// `struct lws_ss_x509` (only ever used by pointer here).
pub enum lws_ss_x509 {}
/// `struct sqlite3` (only ever used by pointer here).
pub enum sqlite3 {}
/// A published metric (`lws_metric_pub_t`).
pub type lws_metric_pub_t = lws_metric_pub;

// Tagged enums of constants_table_misc.rs, as the integer type C gives them.
/// `enum cbp_state`.
pub type cbp_state = c_uint;
/// `enum enum_aes_modes`.
pub type enum_aes_modes = c_uint;
/// `enum enum_aes_operation`.
pub type enum_aes_operation = c_uint;
/// `enum enum_aes_padding`.
pub type enum_aes_padding = c_uint;
/// `enum enum_genec_alg`.
pub type enum_genec_alg = c_uint;
/// `enum enum_genrsa_mode`.
pub type enum_genrsa_mode = c_uint;
/// `enum lws_cgi_hdr_state`.
pub type lws_cgi_hdr_state = c_uint;
/// `enum lws_cose_sig_types`.
pub type lws_cose_sig_types = c_uint;
/// `enum lws_display_controller_state`.
pub type lws_display_controller_state = c_uint;
/// `enum lws_enum_stdinouterr`.
pub type lws_enum_stdinouterr = c_uint;
/// `enum lws_genhash_types`.
pub type lws_genhash_types = c_uint;
/// `enum lws_genhmac_types`.
pub type lws_genhmac_types = c_uint;
/// `enum lws_jose_algtype`.
pub type lws_jose_algtype = c_uint;
/// `enum lws_threadpool_task_return`.
pub type lws_threadpool_task_return = c_uint;
/// `enum lws_threadpool_task_status`.
pub type lws_threadpool_task_status = c_uint;

/// `lws_ctx_t` of lws 4.3.3.
pub type lws_ctx_t = *mut lws_context;
/// `lws_abs_protocol_inst_t` of lws 4.3.3.
pub type lws_abs_protocol_inst_t = c_void;
/// `lws_abs_t` of lws 4.3.3.
pub type lws_abs_t = lws_abs;
/// `lws_abs_transport_inst_t` of lws 4.3.3.
pub type lws_abs_transport_inst_t = c_void;
/// `lws_token_map_t` of lws 4.3.3.
pub type lws_token_map_t = lws_token_map;
/// `lws_abs_protocol_t` of lws 4.3.3.
pub type lws_abs_protocol_t = lws_abs_protocol;
/// `lws_abs_transport_t` of lws 4.3.3.
pub type lws_abs_transport_t = lws_abs_transport;
/// `lws_unit_test_packet_cb` of lws 4.3.3.
pub type lws_unit_test_packet_cb = Option<unsafe extern "C" fn(*mut lws_abs_t) -> c_int>;
/// `lws_unit_test_packet_t` of lws 4.3.3.
pub type lws_unit_test_packet_t = lws_unit_test_packet;
/// `lws_unit_test_packet_test_cb` of lws 4.3.3.
pub type lws_unit_test_packet_test_cb = Option<unsafe extern "C" fn(*const c_void, c_int) -> c_int>;
/// `lws_unit_test_t` of lws 4.3.3.
pub type lws_unit_test_t = lws_unit_test;
/// `lws_async_dns_cb_t` of lws 4.3.3.
pub type lws_async_dns_cb_t = Option<
    unsafe extern "C" fn(
        *mut lws,
        *const c_char,
        *const libc::addrinfo,
        c_int,
        *mut c_void,
    ) -> *mut lws,
>;
/// `lws_bb_i2c_t` of lws 4.3.3.
pub type lws_bb_i2c_t = lws_bb_i2c;
/// `lws_bb_spi_t` of lws 4.3.3.
pub type lws_bb_spi_t = lws_bb_spi;
/// `lws_button_cb_t` of lws 4.3.3.
pub type lws_button_cb_t = Option<unsafe extern "C" fn(*mut c_void, lws_button_idx_t, c_int)>;
/// `lws_button_controller_t` of lws 4.3.3.
pub type lws_button_controller_t = lws_button_controller;
/// `lws_button_idx_t` of lws 4.3.3.
pub type lws_button_idx_t = u16;
/// `lws_button_map_t` of lws 4.3.3.
pub type lws_button_map_t = lws_button_map;
/// `lws_button_regime_t` of lws 4.3.3.
pub type lws_button_regime_t = lws_button_regime;
/// `lws_context_ready_cb_t` of lws 4.3.3.
pub type lws_context_ready_cb_t = Option<unsafe extern "C" fn(*mut lws_context) -> c_int>;
/// `lws_peer_limits_notify_t` of lws 4.3.3.
pub type lws_peer_limits_notify_t =
    Option<unsafe extern "C" fn(*mut lws_context, lws_sockfd_type, *mut lws_sockaddr46) -> c_int>;
/// `cose_param_t` of lws 4.3.3.
pub type cose_param_t = i64;
/// `lws_cose_key_import_callback` of lws 4.3.3.
pub type lws_cose_key_import_callback =
    Option<unsafe extern "C" fn(*mut lws_cose_key, *mut c_void) -> c_int>;
/// `lws_cose_key_t` of lws 4.3.3.
pub type lws_cose_key_t = lws_cose_key;
/// `lws_cose_sign_create_info_t` of lws 4.3.3.
pub type lws_cose_sign_create_info_t = lws_cose_sign_create_info;
/// `lws_cose_sign_ext_pay_cb_t` of lws 4.3.3.
pub type lws_cose_sign_ext_pay_cb_t =
    Option<unsafe extern "C" fn(*mut lws_cose_sig_ext_pay_t) -> c_int>;
/// `lws_cose_validate_create_info_t` of lws 4.3.3.
pub type lws_cose_validate_create_info_t = lws_cose_validate_create_info;
/// `lws_cose_validate_pay_cb_t` of lws 4.3.3.
pub type lws_cose_validate_pay_cb_t = Option<
    unsafe extern "C" fn(*mut lws_cose_validate_context, *mut c_void, *const u8, usize) -> c_int,
>;
/// `lws_display_scalar` of lws 4.3.3.
pub type lws_display_scalar = u16;
/// `lws_display_state_t` of lws 4.3.3.
pub type lws_display_state_t = lws_display_state;
/// `lws_display_t` of lws 4.3.3.
pub type lws_display_t = lws_display;
/// `lws_gc_elem_t` of lws 4.3.3.
pub type lws_gc_elem_t = lws_gencrypto_keyelem;
/// `_lws_plat_gpio_t` of lws 4.3.3.
pub type _lws_plat_gpio_t = c_int;
/// `lws_gpio_irq_cb_t` of lws 4.3.3.
pub type lws_gpio_irq_cb_t = Option<unsafe extern "C" fn(*mut c_void)>;
/// `lws_gpio_ops_t` of lws 4.3.3.
pub type lws_gpio_ops_t = lws_gpio_ops;
/// `lws_hdr_custom_fe_cb_t` of lws 4.3.3.
pub type lws_hdr_custom_fe_cb_t = Option<unsafe extern "C" fn(*const c_char, c_int, *mut c_void)>;
/// `lws_process_html_state_cb` of lws 4.3.3.
pub type lws_process_html_state_cb =
    Option<unsafe extern "C" fn(*mut c_void, c_int) -> *const c_char>;
/// `lws_i2c_ops_t` of lws 4.3.3.
pub type lws_i2c_ops_t = lws_i2c_ops;
/// `lws_display_ili9341_t` of lws 4.3.3.
pub type lws_display_ili9341_t = lws_display_ili9341;
/// `lws_jwk_key_import_callback` of lws 4.3.3.
pub type lws_jwk_key_import_callback =
    Option<unsafe extern "C" fn(*mut lws_jwk, *mut c_void) -> c_int>;
/// `lecp_callback` of lws 4.3.3.
pub type lecp_callback = Option<unsafe extern "C" fn(*mut lecp_ctx, c_char) -> c_schar>;
/// `lws_lec_pctx_t` of lws 4.3.3.
pub type lws_lec_pctx_t = lws_lec_pctx;
/// `lws_led_gpio_controller_t` of lws 4.3.3.
pub type lws_led_gpio_controller_t = lws_led_gpio_controller;
/// `lws_led_gpio_map_t` of lws 4.3.3.
pub type lws_led_gpio_map_t = lws_led_gpio_map;
/// `lws_led_intensity_t` of lws 4.3.3.
pub type lws_led_intensity_t = u16;
/// `lws_led_lookup_t` of lws 4.3.3.
pub type lws_led_lookup_t =
    Option<unsafe extern "C" fn(lws_led_seq_phase_t) -> lws_led_intensity_t>;
/// `lws_led_ops_t` of lws 4.3.3.
pub type lws_led_ops_t = lws_led_ops;
/// `lws_led_seq_phase_t` of lws 4.3.3.
pub type lws_led_seq_phase_t = u16;
/// `lws_led_state_ch_t` of lws 4.3.3.
pub type lws_led_state_ch_t = lws_led_state_ch;
/// `lws_led_state_chs_t` of lws 4.3.3.
pub type lws_led_state_chs_t = lws_led_state_chs;
/// `lwsac_cached_file_t` of lws 4.3.3.
pub type lwsac_cached_file_t = *mut c_uchar;
/// `lws_metric_bucket_t` of lws 4.3.3.
pub type lws_metric_bucket_t = lws_metric_bucket;
/// `lws_metric_caliper_t` of lws 4.3.3.
pub type lws_metric_caliper_t = lws_metric_caliper;
/// `lws_metrics_tag_t` of lws 4.3.3.
pub type lws_metrics_tag_t = lws_metrics_tag;
/// `u_mt_t` of lws 4.3.3.
pub type u_mt_t = u64;
/// `lws_netdev_config_t` of lws 4.3.3.
pub type lws_netdev_config_t = lws_netdev_config;
/// `lws_netdev_instance_t` of lws 4.3.3.
pub type lws_netdev_instance_t = lws_netdev_instance;
/// `lws_netdev_instance_wifi_t` of lws 4.3.3.
pub type lws_netdev_instance_wifi_t = lws_netdev_instance_wifi;
/// `lws_netdev_ops_t` of lws 4.3.3.
pub type lws_netdev_ops_t = lws_netdev_ops;
/// `lws_netdevs_t` of lws 4.3.3.
pub type lws_netdevs_t = lws_netdevs;
/// `lws_wifi_ch_t` of lws 4.3.3.
pub type lws_wifi_ch_t = u8;
/// `lws_wifi_creds_t` of lws 4.3.3.
pub type lws_wifi_creds_t = lws_wifi_creds;
/// `lws_wifi_rssi_t` of lws 4.3.3.
pub type lws_wifi_rssi_t = i8;
/// `lws_wifi_sta_t` of lws 4.3.3.
pub type lws_wifi_sta_t = lws_wifi_sta;
/// `lws_dns_score_t` of lws 4.3.3.
pub type lws_dns_score_t = lws_dns_score;
/// `lws_dns_sort_t` of lws 4.3.3.
pub type lws_dns_sort_t = lws_route_t;
/// `lws_route_t` of lws 4.3.3.
pub type lws_route_t = lws_route;
/// `lws_route_uidx_t` of lws 4.3.3.
pub type lws_route_uidx_t = u16;
/// `lws_pwm_map_t` of lws 4.3.3.
pub type lws_pwm_map_t = lws_pwm_map;
/// `lws_pwm_ops_t` of lws 4.3.3.
pub type lws_pwm_ops_t = lws_pwm_ops;
/// `lws_metric_policy_t` of lws 4.3.3.
pub type lws_metric_policy_t = lws_metric_policy;
/// `lws_ss_auth_t` of lws 4.3.3.
pub type lws_ss_auth_t = lws_ss_auth;
/// `lws_ss_http_respmap_t` of lws 4.3.3.
pub type lws_ss_http_respmap_t = lws_ss_http_respmap;
/// `lws_ss_metadata_t` of lws 4.3.3.
pub type lws_ss_metadata_t = lws_ss_metadata;
/// `lws_ss_policy_t` of lws 4.3.3.
pub type lws_ss_policy_t = lws_ss_policy;
/// `lws_ss_trust_store_t` of lws 4.3.3.
pub type lws_ss_trust_store_t = lws_ss_trust_store;
/// `lws_ss_x509_t` of lws 4.3.3.
pub type lws_ss_x509_t = lws_ss_x509;
/// `plugin_auth_status_cb` of lws 4.3.3.
pub type plugin_auth_status_cb = Option<unsafe extern "C" fn(*mut lws_ss_handle, c_int) -> c_int>;
/// `lws_ss_info_t` of lws 4.3.3.
pub type lws_ss_info_t = lws_ss_info;
/// `lws_ss_tx_ordinal_t` of lws 4.3.3.
pub type lws_ss_tx_ordinal_t = u32;
/// `lws_sscb_rx` of lws 4.3.3.
pub type lws_sscb_rx =
    Option<unsafe extern "C" fn(*mut c_void, *const u8, usize, c_int) -> lws_ss_state_return_t>;
/// `lws_sscb_state` of lws 4.3.3.
pub type lws_sscb_state = Option<
    unsafe extern "C" fn(
        *mut c_void,
        *mut c_void,
        lws_ss_constate_t,
        lws_ss_tx_ordinal_t,
    ) -> lws_ss_state_return_t,
>;
/// `lws_sscb_tx` of lws 4.3.3.
pub type lws_sscb_tx = Option<
    unsafe extern "C" fn(
        *mut c_void,
        lws_ss_tx_ordinal_t,
        *mut u8,
        *mut usize,
        *mut c_int,
    ) -> lws_ss_state_return_t,
>;
/// `lws_sssfec_cb` of lws 4.3.3.
pub type lws_sssfec_cb = Option<unsafe extern "C" fn(*mut lws_ss_handle, *mut c_void)>;
/// `lws_seq_event_cb` of lws 4.3.3.
pub type lws_seq_event_cb = Option<
    unsafe extern "C" fn(
        *mut lws_sequencer,
        *mut c_void,
        c_int,
        *mut c_void,
        *mut c_void,
    ) -> lws_seq_cb_return_t,
>;
/// `lws_seq_info_t` of lws 4.3.3.
pub type lws_seq_info_t = lws_seq_info;
/// `lws_settings_ops_t` of lws 4.3.3.
pub type lws_settings_ops_t = lws_settings_ops;
/// `lws_spi_cb_t` of lws 4.3.3.
pub type lws_spi_cb_t = Option<unsafe extern "C" fn(*mut c_void) -> c_int>;
/// `lws_spi_desc_t` of lws 4.3.3.
pub type lws_spi_desc_t = lws_spi_desc;
/// `lws_spi_ops_t` of lws 4.3.3.
pub type lws_spi_ops_t = lws_spi_ops;
/// `lws_display_ssd1306_t` of lws 4.3.3.
pub type lws_display_ssd1306_t = lws_display_ssd1306;
/// `lejp_collation_t` of lws 4.3.3.
pub type lejp_collation_t = lejp_collation;
/// `lws_struct_args_cb` of lws 4.3.3.
pub type lws_struct_args_cb = Option<unsafe extern "C" fn(*mut c_void, *mut c_void) -> c_int>;
/// `lws_struct_args_t` of lws 4.3.3.
pub type lws_struct_args_t = lws_struct_args;
/// `lws_struct_map_t` of lws 4.3.3.
pub type lws_struct_map_t = lws_struct_map;
/// `lws_struct_serialize_st_t` of lws 4.3.3.
pub type lws_struct_serialize_st_t = lws_struct_serialize_st;
/// `lws_struct_serialize_t` of lws 4.3.3.
pub type lws_struct_serialize_t = lws_struct_serialize;
/// `dhcpc_cb_t` of lws 4.3.3.
pub type dhcpc_cb_t = Option<unsafe extern "C" fn(*mut c_void, *mut lws_dhcpc_ifstate_t) -> c_int>;
/// `lws_dhcpc_ifstate_t` of lws 4.3.3.
pub type lws_dhcpc_ifstate_t = lws_dhcpc_ifstate;
/// `lws_test_sequence_cb` of lws 4.3.3.
pub type lws_test_sequence_cb = Option<unsafe extern "C" fn(*const c_void)>;
/// `lws_test_sequencer_args_t` of lws 4.3.3.
pub type lws_test_sequencer_args_t = lws_test_sequencer_args;

/// `union lws_token_map_u` of lws 4.3.3 (an inline member).
#[repr(C)]
#[derive(Clone, Copy)]
pub union lws_token_map_u {
    pub value: *const c_char,
    pub bvalue: *mut u8,
    pub lvalue: c_ulong,
}

/// `struct lws_token_map` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_token_map {
    pub u: lws_token_map_u,
    pub name_index: c_short,
    pub length_or_zero: c_short,
}

/// `struct lws_abs_protocol` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_abs_protocol {
    pub name: *const c_char,
    pub alloc: c_int,
    pub flags: c_int,
    pub create: Option<unsafe extern "C" fn(*const lws_abs) -> c_int>,
    pub destroy: Option<unsafe extern "C" fn(*mut *mut lws_abs_protocol_inst_t)>,
    pub compare: Option<unsafe extern "C" fn(*mut lws_abs_t, *mut lws_abs_t) -> c_int>,
    pub accept: Option<unsafe extern "C" fn(*mut lws_abs_protocol_inst_t) -> c_int>,
    pub rx: Option<unsafe extern "C" fn(*mut lws_abs_protocol_inst_t, *const u8, usize) -> c_int>,
    pub writeable: Option<unsafe extern "C" fn(*mut lws_abs_protocol_inst_t, usize) -> c_int>,
    pub closed: Option<unsafe extern "C" fn(*mut lws_abs_protocol_inst_t) -> c_int>,
    pub heartbeat: Option<unsafe extern "C" fn(*mut lws_abs_protocol_inst_t) -> c_int>,
    pub child_bind: Option<unsafe extern "C" fn(*mut lws_abs_t) -> c_int>,
}

/// `struct lws_abs_transport` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_abs_transport {
    pub name: *const c_char,
    pub alloc: c_int,
    pub create: Option<unsafe extern "C" fn(*mut lws_abs_t) -> c_int>,
    pub destroy: Option<unsafe extern "C" fn(*mut *mut lws_abs_transport_inst_t)>,
    pub compare: Option<unsafe extern "C" fn(*mut lws_abs_t, *mut lws_abs_t) -> c_int>,
    pub tx: Option<unsafe extern "C" fn(*mut lws_abs_transport_inst_t, *mut u8, usize) -> c_int>,
    pub client_conn: Option<unsafe extern "C" fn(*const lws_abs_t) -> c_int>,
    pub close: Option<unsafe extern "C" fn(*mut lws_abs_transport_inst_t) -> c_int>,
    pub ask_for_writeable: Option<unsafe extern "C" fn(*mut lws_abs_transport_inst_t) -> c_int>,
    pub set_timeout:
        Option<unsafe extern "C" fn(*mut lws_abs_transport_inst_t, c_int, c_int) -> c_int>,
    pub state: Option<unsafe extern "C" fn(*mut lws_abs_transport_inst_t) -> c_int>,
}

/// `struct lws_unit_test` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_unit_test {
    pub name: *const c_char,
    pub expect_array: *mut lws_unit_test_packet_t,
    pub max_secs: c_int,
}

/// `struct lws_unit_test_packet` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_unit_test_packet {
    pub buffer: *mut c_void,
    pub pre: lws_unit_test_packet_cb,
    pub len: usize,
    pub flags: u32,
}

/// `struct lws_bb_i2c` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_bb_i2c {
    pub bb_ops: lws_i2c_ops_t,
    pub scl: _lws_plat_gpio_t,
    pub sda: _lws_plat_gpio_t,
    pub gpio: *const lws_gpio_ops_t,
    pub delay: Option<unsafe extern "C" fn()>,
}

/// `struct lws_bb_spi` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_bb_spi {
    pub bb_ops: lws_spi_ops_t,
    pub gpio: *const lws_gpio_ops_t,
    pub clk: _lws_plat_gpio_t,
    pub ncs: [_lws_plat_gpio_t; 4],
    pub ncmd: [_lws_plat_gpio_t; 4],
    pub mosi: _lws_plat_gpio_t,
    pub miso: _lws_plat_gpio_t,
    pub flags: u8,
}

/// `struct lws_button_controller` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_button_controller {
    pub smd_bc_name: *const c_char,
    pub gpio_ops: *const lws_gpio_ops_t,
    pub button_map: *const lws_button_map_t,
    pub active_state_bitmap: lws_button_idx_t,
    pub count_buttons: u8,
}

/// `struct lws_button_map` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_button_map {
    pub gpio: _lws_plat_gpio_t,
    pub smd_interaction_name: *const c_char,
    pub regime: *const lws_button_regime_t,
}

/// `struct lws_button_regime` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_button_regime {
    pub ms_min_down: u16,
    pub ms_min_down_longpress: u16,
    pub ms_up_settle: u16,
    pub ms_doubleclick_grace: u16,
    pub ms_repeat_down: u16,
    pub flags: u8,
}

/// `struct lws_acme_cert_aging_args` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_acme_cert_aging_args {
    pub vh: *mut lws_vhost,
    pub element_overrides: [*const c_char; 11],
}

/// `struct lws_filter_network_conn_args` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_filter_network_conn_args {
    pub cli_addr: libc::sockaddr_storage,
    pub clilen: libc::socklen_t,
    pub accept_fd: lws_sockfd_type,
}

/// `struct lws_ssl_info` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_ssl_info {
    pub r#where: c_int,
    pub ret: c_int,
}

/// `struct lws_cgi_args` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_cgi_args {
    pub stdwsi: *mut *mut lws,
    pub ch: lws_enum_stdinouterr,
    pub data: *mut c_uchar,
    pub hdr_state: lws_cgi_hdr_state,
    pub len: c_int,
}

/// `struct lws_cose_key` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_cose_key {
    pub e: [lws_gencrypto_keyelem; 12],
    pub meta: [lws_gencrypto_keyelem; 5],
    pub list: lws_dll2_t,
    pub gencrypto_kty: c_int,
    pub kty: cose_param_t,
    pub cose_alg: cose_param_t,
    pub cose_curve: cose_param_t,
    pub private_key: c_char,
}

/// `struct lws_cose_sign_create_info` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_cose_sign_create_info {
    pub cx: *mut lws_context,
    pub keyset: *mut lws_dll2_owner_t,
    pub lec: *mut lws_lec_pctx_t,
    pub ext_cb: lws_cose_sign_ext_pay_cb_t,
    pub ext_opaque: *mut c_void,
    pub ext_len: usize,
    pub inline_payload_len: usize,
    pub flags: c_int,
    pub sigtype: lws_cose_sig_types,
}

/// `struct lws_cose_validate_create_info` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_cose_validate_create_info {
    pub cx: *mut lws_context,
    pub keyset: *mut lws_dll2_owner_t,
    pub sigtype: lws_cose_sig_types,
    pub pay_cb: lws_cose_validate_pay_cb_t,
    pub pay_opaque: *mut c_void,
    pub ext_cb: lws_cose_sign_ext_pay_cb_t,
    pub ext_opaque: *mut c_void,
    pub ext_len: usize,
}

/// `struct lws_display` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_display {
    pub init: Option<unsafe extern "C" fn(*const lws_display) -> c_int>,
    pub bl_pwm_ops: *const lws_pwm_ops_t,
    pub contrast: Option<unsafe extern "C" fn(*const lws_display, u8) -> c_int>,
    pub blit: Option<
        unsafe extern "C" fn(
            *const lws_display,
            *const u8,
            lws_display_scalar,
            lws_display_scalar,
            lws_display_scalar,
            lws_display_scalar,
        ) -> c_int,
    >,
    pub power: Option<unsafe extern "C" fn(*const lws_display, c_int) -> c_int>,
    pub bl_active: *const lws_led_sequence_def_t,
    pub bl_dim: *const lws_led_sequence_def_t,
    pub bl_transition: *const lws_led_sequence_def_t,
    pub variant: *mut c_void,
    pub bl_index: c_int,
    pub w: lws_display_scalar,
    pub h: lws_display_scalar,
    pub latency_wake_ms: u8,
}

/// `struct lws_display_state` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_display_state {
    pub sul_autodim: lws_sorted_usec_list_t,
    pub disp: *const lws_display_t,
    pub ctx: *mut lws_context,
    pub autodim_ms: c_int,
    pub off_ms: c_int,
    pub bl_lcs: *mut lws_led_state,
    pub chs: lws_led_state_chs_t,
    pub state: lws_display_controller_state,
}

/// `struct lws_fts_result` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_fts_result {
    pub filepath_head: *mut lws_fts_result_filepath,
    pub autocomplete_head: *mut lws_fts_result_autocomplete,
    pub duration_ms: c_int,
    pub effective_flags: c_int,
}

/// `struct lws_fts_result_autocomplete` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_fts_result_autocomplete {
    pub next: *mut lws_fts_result_autocomplete,
    pub instances: c_int,
    pub agg_instances: c_int,
    pub ac_length: c_int,
    pub elided: c_char,
    pub has_children: c_char,
}

/// `struct lws_fts_result_filepath` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_fts_result_filepath {
    pub next: *mut lws_fts_result_filepath,
    pub matches: c_int,
    pub matches_length: c_int,
    pub lines_in_file: c_int,
    pub filepath_length: c_int,
}

/// `struct lws_fts_search_params` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_fts_search_params {
    pub needle: *const c_char,
    pub only_filepath: *const c_char,
    pub results_head: *mut lwsac,
    pub flags: c_int,
    pub max_autocomplete: c_int,
    pub max_files: c_int,
    pub max_lines: c_int,
}

/// `struct lws_genaes_ctx` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_genaes_ctx {
    pub ctx: *mut c_void,
    pub cipher: *const c_void,
    pub engine: *mut c_void,
    pub init: c_char,
    pub tag: [c_uchar; 16],
    pub k: *mut lws_gencrypto_keyelem,
    pub op: enum_aes_operation,
    pub mode: enum_aes_modes,
    pub padding: enum_aes_padding,
    pub taglen: c_int,
    pub underway: c_char,
}

/// `struct lws_gencrypto_keyelem` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_gencrypto_keyelem {
    pub buf: *mut u8,
    pub len: u32,
}

/// `struct lws_ec_curves` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_ec_curves {
    pub name: *const c_char,
    pub tls_lib_nid: c_int,
    pub key_bytes: u16,
}

/// `struct lws_genec_ctx` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_genec_ctx {
    pub ctx: [*mut c_void; 2],
    pub context: *mut lws_context,
    pub curve_table: *const lws_ec_curves,
    pub genec_alg: enum_genec_alg,
    pub has_private: c_char,
}

/// `struct lws_genhash_ctx` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_genhash_ctx {
    pub r#type: u8,
    pub evp_type: *const c_void,
    pub mdctx: *mut c_void,
}

/// `struct lws_genhmac_ctx` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_genhmac_ctx {
    pub r#type: u8,
    pub evp_type: *const c_void,
    pub ctx: *mut c_void,
    pub key: *mut c_void,
}

/// `struct lws_genrsa_ctx` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_genrsa_ctx {
    pub bn: [*mut c_void; 12],
    pub ctx: *mut c_void,
    pub rsa: *mut c_void,
    pub context: *mut lws_context,
    pub mode: enum_genrsa_mode,
}

/// `struct lws_gpio_ops` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_gpio_ops {
    pub mode: Option<unsafe extern "C" fn(_lws_plat_gpio_t, c_int)>,
    pub read: Option<unsafe extern "C" fn(_lws_plat_gpio_t) -> c_int>,
    pub set: Option<unsafe extern "C" fn(_lws_plat_gpio_t, c_int)>,
    pub irq_mode: Option<
        unsafe extern "C" fn(
            _lws_plat_gpio_t,
            lws_gpio_irq_t,
            lws_gpio_irq_cb_t,
            *mut c_void,
        ) -> c_int,
    >,
}

/// `struct lws_process_html_state` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_process_html_state {
    pub start: *mut c_char,
    pub swallow: [c_char; 16],
    pub pos: c_int,
    pub data: *mut c_void,
    pub vars: *const *const c_char,
    pub count_vars: c_int,
    pub replace: lws_process_html_state_cb,
}

/// `struct lws_tokens` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_tokens {
    pub token: *mut c_uchar,
    pub len: c_int,
}

/// `struct lws_i2c_ops` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_i2c_ops {
    pub init: Option<unsafe extern "C" fn(*const lws_i2c_ops) -> c_int>,
    pub start: Option<unsafe extern "C" fn(*const lws_i2c_ops) -> c_int>,
    pub stop: Option<unsafe extern "C" fn(*const lws_i2c_ops)>,
    pub write: Option<unsafe extern "C" fn(*const lws_i2c_ops, u8) -> c_int>,
    pub read: Option<unsafe extern "C" fn(*const lws_i2c_ops) -> c_int>,
    pub set_ack: Option<unsafe extern "C" fn(*const lws_i2c_ops, c_int)>,
}

/// `struct lws_display_ili9341` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_display_ili9341 {
    pub disp: lws_display_t,
    pub spi: *const lws_spi_ops_t,
    pub gpio: *const lws_gpio_ops_t,
    pub reset_gpio: _lws_plat_gpio_t,
    pub spi_index: u8,
}

/// `struct lws_jose` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_jose {
    pub e: [lws_gencrypto_keyelem; 24],
    pub recipient: [lws_jws_recpient; 3],
    pub typ: [c_char; 32],
    pub alg: *const lws_jose_jwe_alg,
    pub enc_alg: *const lws_jose_jwe_alg,
    pub recipients: c_int,
}

/// `struct lws_jose_jwe_alg` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_jose_jwe_alg {
    pub hash_type: lws_genhash_types,
    pub hmac_type: lws_genhmac_types,
    pub algtype_signing: lws_jose_algtype,
    pub algtype_crypto: lws_jose_algtype,
    pub alg: *const c_char,
    pub curve_name: *const c_char,
    pub keybits_min: c_ushort,
    pub keybits_fixed: c_ushort,
    pub ivbits: c_ushort,
}

/// `struct lws_jws_recpient` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_jws_recpient {
    pub unprot: [lws_gencrypto_keyelem; 24],
    pub jwk_ephemeral: lws_jwk,
    pub jwk: lws_jwk,
}

/// `struct lws_jwk` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_jwk {
    pub e: [lws_gencrypto_keyelem; 12],
    pub meta: [lws_gencrypto_keyelem; 6],
    pub kty: c_int,
    pub private_key: c_char,
}

/// `struct lws_jwk_parse_state` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_jwk_parse_state {
    pub jwk: *mut lws_jwk,
    pub b64: [c_char; 1366],
    pub per_key_cb: lws_jwk_key_import_callback,
    pub user: *mut c_void,
    pub pos: c_int,
    pub cose_state: c_int,
    pub seen: c_int,
    pub possible: c_ushort,
}

/// `struct lws_jws` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_jws {
    pub jwk: *mut lws_jwk,
    pub context: *mut lws_context,
    pub map: lws_jws_map,
    pub map_b64: lws_jws_map,
}

/// `struct lws_jws_map` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_jws_map {
    pub buf: [*const c_char; 6],
    pub len: [u32; 6],
}

/// `struct lws_jwt_sign_info` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_jwt_sign_info {
    pub alg: *const c_char,
    pub jose_hdr: *const c_char,
    pub jose_hdr_len: usize,
    pub out: *mut c_char,
    pub out_len: *mut usize,
    pub temp: *mut c_char,
    pub tl: c_int,
}

/// `struct lws_jwt_sign_set_cookie` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_jwt_sign_set_cookie {
    pub jwk: *mut lws_jwk,
    pub alg: *const c_char,
    pub iss: *const c_char,
    pub aud: *const c_char,
    pub cookie_name: *const c_char,
    pub sub: [c_char; 33],
    pub extra_json: *const c_char,
    pub extra_json_len: usize,
    pub csrf_in: *const c_char,
    pub expiry_unix_time: c_ulong,
}

/// `struct _lecp_parsing_stack` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct _lecp_parsing_stack {
    pub user: *mut c_void,
    pub cb: lecp_callback,
    pub paths: *const *const c_char,
    pub count_paths: u8,
    pub ppos: u8,
    pub path_match: u8,
}

/// `struct _lecp_stack` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct _lecp_stack {
    pub s: c_char,
    pub p: u8,
    pub i: c_char,
    pub indet: c_char,
    pub intermediate: c_char,
    pub pop_iss: c_char,
    pub tag: u64,
    pub collect_rem: u64,
    pub ordinal: u32,
    pub opcode: u8,
    pub send_new_array_item: u8,
    pub barrier: u8,
}

/// `struct lecp_ctx` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lecp_ctx {
    pub user: *mut c_void,
    pub collect_tgt: *mut u8,
    pub pst: [_lecp_parsing_stack; 5],
    pub st: [_lecp_stack; 12],
    pub i: [u16; 8],
    pub wild: [u16; 8],
    pub path: [c_char; 128],
    pub cbor: [u8; 64],
    pub item: lecp_item,
    pub path_stride: usize,
    pub used_in: usize,
    pub uni: u16,
    pub npos: u8,
    pub dcount: u8,
    pub f: u8,
    pub sp: u8,
    pub ipos: u8,
    pub count_paths: u8,
    pub path_match: u8,
    pub path_match_len: u8,
    pub wildcount: u8,
    pub pst_sp: u8,
    pub outer_array: u8,
    pub cbor_pos: u8,
    pub literal_cbor_report: u8,
    pub present: c_char,
    pub be: u8,
    pub buf: [c_char; 255],
}

/// `union lecp_item_u` of lws 4.3.3 (an inline member).
#[repr(C)]
#[derive(Clone, Copy)]
pub union lecp_item_u {
    pub u64: u64,
    pub i64: i64,
    pub u32: u64,
    pub hf: u16,
    pub f: f32,
    pub d: f64,
}

/// `struct lecp_item` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lecp_item {
    pub u: lecp_item_u,
    pub opcode: u8,
}

/// `struct lws_lec_pctx` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_lec_pctx {
    pub stack: [u8; 16],
    pub vaa: [u8; 16],
    pub indet: [u8; 16],
    pub scratch: [u8; 24],
    pub start: *mut u8,
    pub buf: *mut u8,
    pub end: *mut u8,
    pub ongoing_src: *const u8,
    pub ongoing_len: u64,
    pub ongoing_done: u64,
    pub item: lecp_item,
    pub used: usize,
    pub opaque: [c_int; 4],
    pub state: cbp_state,
    pub fmt_pos: c_uint,
    pub sp: u8,
    pub scratch_len: u8,
    pub escflag: u8,
    pub _long: u8,
    pub vaa_pos: u8,
    pub dotstar: u8,
}

/// `struct lws_led_gpio_controller` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_led_gpio_controller {
    pub led_ops: lws_led_ops_t,
    pub gpio_ops: *const lws_gpio_ops_t,
    pub led_map: *const lws_led_gpio_map_t,
    pub count_leds: u8,
}

/// `struct lws_led_gpio_map` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_led_gpio_map {
    pub name: *const c_char,
    pub gpio: _lws_plat_gpio_t,
    pub intensity_correction: lws_led_lookup_t,
    pub pwm_ops: *const lws_pwm_ops,
    pub active_level: u8,
}

/// `struct lws_led_ops` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_led_ops {
    pub intensity:
        Option<unsafe extern "C" fn(*const lws_led_ops, *const c_char, lws_led_intensity_t)>,
    pub create: Option<unsafe extern "C" fn(*const lws_led_ops) -> *mut lws_led_state>,
    pub destroy: Option<unsafe extern "C" fn(*mut lws_led_state)>,
}

/// `struct lws_led_sequence_def_t` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_led_sequence_def_t {
    pub func: lws_led_lookup_t,
    pub ledphase_offset: lws_led_seq_phase_t,
    pub ledphase_total: c_int,
    pub ms: u16,
    pub flags: u8,
}

/// `struct lws_led_state_ch` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_led_state_ch {
    pub seq: *const lws_led_sequence_def_t,
    pub ph: lws_led_seq_phase_t,
    pub step: lws_led_seq_phase_t,
    pub phase_budget: c_int,
    pub last: lws_led_intensity_t,
}

/// `struct lws_led_state_chs` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_led_state_chs {
    pub seqs: [lws_led_state_ch_t; 3],
}

/// `struct lws_metric_bucket` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_metric_bucket {
    pub next: *mut lws_metric_bucket,
    pub count: u64,
}

/// `struct lws_metric_caliper` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_metric_caliper {
    pub mtags_owner: lws_dll2_owner,
    pub mt: *mut lws_metric,
    pub us_start: lws_usec_t,
}

/// `struct lws_metric_pub_u_agg` of lws 4.3.3 (an inline member).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_metric_pub_u_agg {
    pub sum: [u_mt_t; 2],
    pub min: u_mt_t,
    pub max: u_mt_t,
    pub count: [u32; 2],
}

/// `struct lws_metric_pub_u_hist` of lws 4.3.3 (an inline member).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_metric_pub_u_hist {
    pub head: *mut lws_metric_bucket_t,
    pub total_count: u64,
    pub list_size: u32,
}

/// `union lws_metric_pub_u` of lws 4.3.3 (an inline member).
#[repr(C)]
#[derive(Clone, Copy)]
pub union lws_metric_pub_u {
    pub agg: lws_metric_pub_u_agg,
    pub hist: lws_metric_pub_u_hist,
}

/// `struct lws_metric_pub` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_metric_pub {
    pub name: *const c_char,
    pub backend_opaque: *mut c_void,
    pub us_first: lws_usec_t,
    pub us_last: lws_usec_t,
    pub us_dumped: lws_usec_t,
    pub u: lws_metric_pub_u,
    pub flags: u8,
}

/// `struct lws_metrics_tag` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_metrics_tag {
    pub list: lws_dll2_t,
    pub name: *const c_char,
}

/// `struct lws_fsmount` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_fsmount {
    pub layers_path: *const c_char,
    pub overlay_path: *const c_char,
    pub mp: [c_char; 256],
    pub ovname: [c_char; 64],
    pub distro: [c_char; 64],
    pub layers: [*const c_char; 4],
}

/// `struct lws_wifi_scan` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_wifi_scan {
    pub next: *mut lws_wifi_scan,
    pub ssid: [c_char; 32],
    pub rssi: i32,
    pub bssid: [u8; 6],
    pub count: u8,
    pub channel: u8,
    pub authmode: u8,
}

/// `struct lws_netdev_config` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_netdev_config {
    pub plat_config: *mut c_void,
}

/// `struct lws_netdev_instance` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_netdev_instance {
    pub name: *const c_char,
    pub ops: *const lws_netdev_ops_t,
    pub platinfo: *mut c_void,
    pub list: lws_dll2_t,
    pub mac: [u8; 6],
    pub r#type: u8,
}

/// `struct lws_netdev_instance_wifi` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_netdev_instance_wifi {
    pub inst: lws_netdev_instance_t,
    pub scan: lws_dll2_owner_t,
    pub sul_scan: lws_sorted_usec_list_t,
    pub ap_cred: *mut lws_wifi_creds_t,
    pub ap_ip: *const c_char,
    pub sta_ads: *const c_char,
    pub current_attempt_ssid: [c_char; 33],
    pub current_attempt_bssid: [u8; 6],
    pub flags: u8,
    pub state: u8,
}

/// `struct lws_netdev_ops` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_netdev_ops {
    pub create: Option<
        unsafe extern "C" fn(
            *mut lws_context,
            *const lws_netdev_ops,
            *const c_char,
            *mut c_void,
        ) -> *mut lws_netdev_instance,
    >,
    pub configure:
        Option<unsafe extern "C" fn(*mut lws_netdev_instance, *mut lws_netdev_config_t) -> c_int>,
    pub up: Option<unsafe extern "C" fn(*mut lws_netdev_instance) -> c_int>,
    pub down: Option<unsafe extern "C" fn(*mut lws_netdev_instance) -> c_int>,
    pub event: Option<
        unsafe extern "C" fn(*mut lws_netdev_instance, lws_usec_t, *mut c_void, usize) -> c_int,
    >,
    pub destroy: Option<unsafe extern "C" fn(*mut *mut lws_netdev_instance)>,
    pub connect: Option<
        unsafe extern "C" fn(
            *mut lws_netdev_instance,
            *const c_char,
            *const c_char,
            *mut u8,
        ) -> c_int,
    >,
    pub scan: Option<unsafe extern "C" fn(*mut lws_netdev_instance)>,
}

/// `struct lws_netdevs` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_netdevs {
    pub owner: lws_dll2_owner_t,
    pub owner_creds: lws_dll2_owner_t,
    pub ac_creds: *mut lwsac,
    pub si: *mut lws_settings_instance_t,
    pub sa46_dns_resolver: lws_sockaddr46,
    pub refcount_creds: u8,
}

/// `struct lws_wifi_creds` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_wifi_creds {
    pub list: lws_dll2_t,
    pub bssid: [u8; 6],
    pub passphrase: [c_char; 64],
    pub ssid: [c_char; 33],
    pub alg: u8,
}

/// `struct lws_wifi_sta` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_wifi_sta {
    pub list: lws_dll2_t,
    pub last_seen: u32,
    pub last_tried: u32,
    pub bssid: [u8; 6],
    pub ssid: *mut c_char,
    pub ssid_len: u8,
    pub ch: lws_wifi_ch_t,
    pub rssi: [lws_wifi_rssi_t; 8],
    pub rssi_avg: i16,
    pub authmode: u8,
    pub rssi_count: u8,
    pub rssi_next: u8,
}

/// `struct lws_dns_score` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_dns_score {
    pub precedence: u8,
    pub label: u8,
}

/// `struct lws_pwm_map` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_pwm_map {
    pub gpio: _lws_plat_gpio_t,
    pub index: u8,
    pub active_level: u8,
}

/// `struct lws_pwm_ops` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_pwm_ops {
    pub init: Option<unsafe extern "C" fn(*const lws_pwm_ops) -> c_int>,
    pub intensity:
        Option<unsafe extern "C" fn(*const lws_pwm_ops, _lws_plat_gpio_t, lws_led_intensity_t)>,
    pub pwm_map: *const lws_pwm_map_t,
    pub count_pwm_map: u8,
}

/// `struct lws_metric_policy` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_metric_policy {
    pub next: *const lws_metric_policy,
    pub name: *const c_char,
    pub report: *const c_char,
    pub us_schedule: u64,
    pub us_decay_unit: u32,
    pub min_contributors: u8,
}

/// `struct lws_ss_auth` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_ss_auth {
    pub next: *mut lws_ss_auth,
    pub name: *const c_char,
    pub r#type: *const c_char,
    pub streamtype: *const c_char,
    pub blob_index: u8,
}

/// `struct lws_ss_http_respmap` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_ss_http_respmap {
    pub resp: u16,
    pub state: u16,
}

/// `struct lws_ss_trust_store` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_ss_trust_store {
    pub next: *mut lws_ss_trust_store,
    pub name: *const c_char,
    pub ssx509: [*const lws_ss_x509_t; 6],
    pub count: c_int,
}

/// `struct lws_ss_info` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_ss_info {
    pub streamtype: *const c_char,
    pub user_alloc: usize,
    pub handle_offset: usize,
    pub opaque_user_data_offset: usize,
    pub rx: lws_sscb_rx,
    pub tx: lws_sscb_tx,
    pub state: lws_sscb_state,
    pub manual_initial_tx_credit: c_int,
    pub client_pid: u32,
    pub flags: u8,
    pub sss_protocol_version: u8,
}

/// `struct lws_settings_ops` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_settings_ops {
    pub get: Option<
        unsafe extern "C" fn(
            *mut lws_settings_instance_t,
            *const c_char,
            *mut u8,
            *mut usize,
        ) -> c_int,
    >,
    pub set: Option<
        unsafe extern "C" fn(
            *mut lws_settings_instance_t,
            *const c_char,
            *const u8,
            usize,
        ) -> c_int,
    >,
}

/// `struct lws_spi_desc` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_spi_desc {
    pub src: *const u8,
    pub data: *const u8,
    pub dest: *mut u8,
    pub opaque: *mut c_void,
    pub completion_cb: lws_spi_cb_t,
    pub count_cmd: u16,
    pub count_write: u16,
    pub count_read: u16,
    pub txn_type: u8,
    pub channel: u8,
}

/// `struct lws_spi_ops` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_spi_ops {
    pub init: Option<unsafe extern "C" fn(*const lws_spi_ops) -> c_int>,
    pub queue: Option<unsafe extern "C" fn(*const lws_spi_ops, *const lws_spi_desc_t) -> c_int>,
    pub bus_mode: u8,
}

/// `struct lws_display_ssd1306` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_display_ssd1306 {
    pub disp: lws_display_t,
    pub i2c: *const lws_i2c_ops_t,
    pub gpio: *const lws_gpio_ops_t,
    pub reset_gpio: _lws_plat_gpio_t,
    pub i2c7_address: u8,
}

/// `struct lejp_collation` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lejp_collation {
    pub chunks: lws_dll2,
    pub len: c_int,
    pub buf: [c_char; 255],
}

/// `struct lws_struct_args` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_struct_args {
    pub map_st: [*const lws_struct_map_t; 5],
    pub cb: lws_struct_args_cb,
    pub ac: *mut lwsac,
    pub cb_arg: *mut c_void,
    pub dest: *mut c_void,
    pub dest_len: usize,
    pub toplevel_dll2_ofs: usize,
    pub map_entries_st: [usize; 5],
    pub ac_block_size: usize,
    pub subtype: c_int,
    pub top_schema_index: c_int,
    pub ac_chunks: *mut lwsac,
    pub chunks_owner: lws_dll2_owner,
    pub chunks_length: usize,
}

/// `struct lws_struct_map` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_struct_map {
    pub colname: *const c_char,
    pub child_map: *const lws_struct_map,
    pub lejp_cb: lejp_callback,
    pub ofs: usize,
    pub aux: usize,
    pub ofs_clist: usize,
    pub child_map_size: usize,
    pub r#type: lws_struct_map_type_eum,
}

/// `struct lws_struct_serialize` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_struct_serialize {
    pub st: [lws_struct_serialize_st_t; 5],
    pub offset: usize,
    pub remaining: usize,
    pub sp: c_int,
    pub flags: c_int,
}

/// `struct lws_struct_serialize_st` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_struct_serialize_st {
    pub dllpos: *const lws_dll2,
    pub map: *const lws_struct_map_t,
    pub obj: *const c_char,
    pub map_entries: usize,
    pub map_entry: usize,
    pub size: usize,
    pub subsequent: c_char,
    pub idt: c_char,
}

/// `struct lws_dhcpc_ifstate` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_dhcpc_ifstate {
    pub ifname: [c_char; 16],
    pub domain: [c_char; 64],
    pub mac: [u8; 6],
    pub nums: [u32; 5],
    pub sa46: [lws_sockaddr46; 8],
}

/// `struct lws_test_sequencer_args` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_test_sequencer_args {
    pub abs: *mut lws_abs_t,
    pub tests: *mut lws_unit_test_t,
    pub results: *mut c_int,
    pub results_max: c_int,
    pub count_tests: *mut c_int,
    pub count_passes: *mut c_int,
    pub cb: lws_test_sequence_cb,
    pub cb_user: *mut c_void,
}

/// `struct lws_threadpool_create_args` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_threadpool_create_args {
    pub threads: c_int,
    pub max_queue_depth: c_int,
}

/// `struct lws_threadpool_task_args` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_threadpool_task_args {
    pub wsi: *mut lws,
    pub user: *mut c_void,
    pub name: *const c_char,
    pub async_task: c_char,
    pub task: Option<
        unsafe extern "C" fn(*mut c_void, lws_threadpool_task_status) -> lws_threadpool_task_return,
    >,
    pub cleanup: Option<unsafe extern "C" fn(*mut lws, *mut c_void)>,
}

/// `struct lws_write_passthru` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_write_passthru {
    pub wsi: *mut lws,
    pub buf: *mut c_uchar,
    pub len: usize,
    pub wp: lws_write_protocol,
}

/// `struct lws_cose_sig_ext_pay_t` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_cose_sig_ext_pay_t {
    pub cps: *mut lws_cose_validate_context,
    pub ext: *const u8,
    pub xl: usize,
}

/// `struct lws_cose_validate_res_t` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_cose_validate_res_t {
    pub list: lws_dll2_t,
    pub cose_key: *const lws_cose_key_t,
    pub cose_alg: cose_param_t,
    pub result: c_int,
}

/// `struct lws_settings_instance_t` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_settings_instance_t {
    pub handle_plat: *mut c_void,
    pub so: *const lws_settings_ops,
    pub refcount: u8,
    pub opaque_plat: *mut c_void,
}

// The plugin list entries (the plugin header and the event-library plugin are in
// eventlib.rs).
/// `each_plugin_cb_t` of lws 4.3.3.
pub type each_plugin_cb_t = Option<unsafe extern "C" fn(*mut lws_plugin, *mut c_void) -> c_int>;
/// `lws_plugin_protocol_t` of lws 4.3.3.
pub type lws_plugin_protocol_t = lws_plugin_protocol;

/// `union lws_plugin_u` of lws 4.3.3 (an inline member).
#[repr(C)]
#[derive(Clone, Copy)]
pub union lws_plugin_u {
    pub l: *mut c_void,
}

/// `struct lws_plugin` of lws 4.3.3.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_plugin {
    pub list: *mut lws_plugin,
    pub hdr: *const lws_plugin_header_t,
    pub u: lws_plugin_u,
}

/// `struct lws_plugin_protocol` of lws 4.3.3.
#[repr(C)]
pub struct lws_plugin_protocol {
    pub hdr: lws_plugin_header_t,
    pub protocols: *const lws_protocols,
    pub extensions: *const lws_extension,
    pub count_protocols: c_int,
    pub count_extensions: c_int,
}
