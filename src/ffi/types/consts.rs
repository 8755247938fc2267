//! The enum types and constants of the lws 4.3.3 ABI.
//!
//! Every C enum is a plain integer alias here, named like its C tag (or typedef), so an
//! exported function can take `reason: lws_callback_reasons` and still accept any value
//! C passes (`LWS_WRITE_BINARY | LWS_WRITE_NO_FIN`, `LWS_CALLBACK_USER + 5`): a Rust
//! `enum` would make such values undefined behaviour. cbindgen.toml excludes these
//! aliases and renames the tag ones to `enum <tag>`, so prototypes show the real C enum.
//!
//! The constants themselves come from `constants_table.rs`, which build.rs also renders
//! into include/libwebsockets/lws-constants.h: one table, two languages.
#![allow(
    non_upper_case_globals,
    reason = "lws spells a few constants in mixed case (LNDIW_ACQ_IPv4)"
)]

use core::ffi::{c_int, c_uint};

use super::{lws_filepos_t, lws_sockfd_type, lws_usec_t};
#[rustfmt::skip]
use super::{lejp_callbacks, lejp_reasons, lejp_states, num_flags, lws_tokenize_delimiter_tracking, lws_tokenize_elem};

/// `enum lws_callback_reasons`: why a protocol callback is called.
pub type lws_callback_reasons = c_uint;
/// `enum lws_write_protocol`: the kind of write, plus flag bits.
pub type lws_write_protocol = c_uint;
/// `enum lws_token_indexes`: HTTP header slots.
pub type lws_token_indexes = c_uint;
/// `enum lws_close_status`: websocket close codes.
pub type lws_close_status = c_uint;
/// `enum pending_timeout`: why a timeout is pending.
pub type pending_timeout = c_uint;
/// `enum http_status`: HTTP status codes.
pub type http_status = c_uint;
/// `enum lws_client_connect_ssl_connection_flags` (`LCCSCF_*` bits).
pub type lws_client_connect_ssl_connection_flags = c_uint;
/// `enum lws_mount_protocols` (`LWSMPRO_*`).
pub type lws_mount_protocols = c_uint;
/// `enum lws_extension_callback_reasons`.
pub type lws_extension_callback_reasons = c_uint;
/// `enum lws_ext_options_types`.
pub type lws_ext_options_types = c_uint;
/// `lws_system_states_t` (a typedef of `enum lws_system_states`).
pub type lws_system_states_t = c_uint;
/// `lws_dir_obj_type_t` (`LDOT_*`).
pub type lws_dir_obj_type_t = c_uint;
/// `lws_cpd_result_t` (`LWS_CPD_*`).
pub type lws_cpd_result_t = c_uint;
/// `lws_system_blob_item_t` (`LWS_SYSBLOB_TYPE_*`).
pub type lws_system_blob_item_t = c_uint;
/// `lws_adoption_type` (`LWS_ADOPT_*` bits).
pub type lws_adoption_type = c_uint;
/// `lws_conmon_pcol_t`.
pub type lws_conmon_pcol_t = c_uint;
/// `lws_conmon_dns_disposition_t`.
pub type lws_conmon_dns_disposition_t = c_uint;
/// `enum lws_tls_cert_info` (`LWS_TLS_CERT_INFO_*`).
pub type lws_tls_cert_info = c_uint;
/// `enum lws_spa_fileupload_states` (`LWS_UFS_*`).
pub type lws_spa_fileupload_states = c_uint;

// Typedef names of enums from constants_table_misc.rs.
/// `lws_metric_rpt_kind_t` (lws-metrics.h).
pub type lws_metric_rpt_kind_t = c_uint;
/// `lws_struct_map_type_eum` (lws-struct.h).
pub type lws_struct_map_type_eum = c_uint;
/// `lws_struct_json_serialize_result_t` (lws-struct.h).
pub type lws_struct_json_serialize_result_t = c_uint;
/// `lws_seq_events_t` (lws-sequencer.h).
pub type lws_seq_events_t = c_uint;
/// `lws_seq_cb_return_t` (lws-sequencer.h).
pub type lws_seq_cb_return_t = c_uint;
/// `lws_ss_constate_t` (lws-secure-streams.h).
pub type lws_ss_constate_t = c_uint;
/// `lws_unit_test_packet_disposition` (abstract/transports/unit-test.h).
pub type lws_unit_test_packet_disposition = c_uint;
/// `adns_query_type_t` (lws-async-dns.h).
pub type adns_query_type_t = c_uint;
/// `lws_async_dns_retcode_t` (lws-async-dns.h).
pub type lws_async_dns_retcode_t = c_int;
/// `lws_gpio_irq_t` (lws-gpio.h).
pub type lws_gpio_irq_t = c_uint;
/// `lws_netdev_type_t` (lws-netdev.h).
pub type lws_netdev_type_t = c_uint;
/// `lws_netdev_wifi_state_t` (lws-netdev.h).
pub type lws_netdev_wifi_state_t = c_uint;
/// `lws_ss_conn_states_t` (lws-secure-streams.h).
pub type lws_ss_conn_states_t = c_uint;
/// `lws_ss_state_return_t` (lws-secure-streams.h).
pub type lws_ss_state_return_t = c_int;

/// `LWS_LIBRARY_VERSION_MAJOR` (include/lws_config.h).
pub const LWS_LIBRARY_VERSION_MAJOR: c_int = 4;
/// `LWS_LIBRARY_VERSION_MINOR` (include/lws_config.h).
pub const LWS_LIBRARY_VERSION_MINOR: c_int = 3;
/// `LWS_LIBRARY_VERSION_PATCH` (include/lws_config.h).
pub const LWS_LIBRARY_VERSION_PATCH: c_int = 3;
/// `LWS_LIBRARY_VERSION` (include/lws_config.h).
pub const LWS_LIBRARY_VERSION: &str = "4.3.3";
/// `LWS_MAX_SMP` (include/lws_config.h): one service thread per context.
pub const LWS_MAX_SMP: c_int = 1;

// Rust side of the table grammar: every entry becomes a `pub const`.
macro_rules! lws_abi_constants {
    () => {};
    ($(#[doc = $d:literal])* enum $tag:ident: $alias:ident {
        $($name:ident = $val:expr),* $(,)?
    } $($rest:tt)*) => {
        $(#[doc = concat!("Member of `enum ", stringify!($tag), "`.")]
        pub const $name: $alias = $val;)*
        lws_abi_constants! { $($rest)* }
    };
    ($(#[doc = $d:literal])* typedef enum $tag:ident: $alias:ident {
        $($name:ident = $val:expr),* $(,)?
    } $($rest:tt)*) => {
        $(#[doc = concat!("Member of `", stringify!($alias), "`.")]
        pub const $name: $alias = $val;)*
        lws_abi_constants! { $($rest)* }
    };
    ($(#[doc = $d:literal])* anon enum $group:ident: $ty:ty {
        $($name:ident = $val:expr),* $(,)?
    } $($rest:tt)*) => {
        $(#[doc = concat!("Member of an untagged enum (`", stringify!($group), "`).")]
        pub const $name: $ty = $val;)*
        lws_abi_constants! { $($rest)* }
    };
    ($(#[doc = $d:literal])* defines $group:ident: $ty:ty $(as $sfx:literal)? {
        $($name:ident = $val:expr),* $(,)?
    } $($rest:tt)*) => {
        $(#[doc = concat!("One of the `", stringify!($group), "` #defines.")]
        pub const $name: $ty = $val;)*
        lws_abi_constants! { $($rest)* }
    };
    ($(#[doc = $d:literal])* const $name:ident: $ty:ty = $val:expr => $c:literal;
        $($rest:tt)*) => {
        $(#[doc = $d])*
        pub const $name: $ty = $val;
        lws_abi_constants! { $($rest)* }
    };
}

include!("constants_table.rs");
include!("constants_table_misc.rs");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spot_values() {
        assert_eq!(LWS_CALLBACK_USER, 1000);
        assert_eq!(LWS_WRITE_CLIENT_IGNORE_XOR_MASK, LWS_WRITE_H2_STREAM_END);
        assert_eq!(LWS_SERVER_OPTION_DISABLE_TLS_SESSION_CACHE, 1 << 39);
        assert_eq!(LWS_SERVER_OPTION_REDIRECT_HTTP_TO_HTTPS, 6144);
        assert_eq!(LWS_ADOPT_RAW_SOCKET_UDP, 18);
        assert_eq!(LWS_ILLEGAL_HTTP_CONTENT_LEN, u64::MAX);
        assert_eq!(LLL_USER, 1024);
        assert_eq!(LWS_PRE, 16);
        assert_eq!(
            LWS_LIBRARY_VERSION_NUMBER,
            LWS_LIBRARY_VERSION_MAJOR * 1_000_000
                + LWS_LIBRARY_VERSION_MINOR * 1000
                + LWS_LIBRARY_VERSION_PATCH
        );
    }
}
