//! Lists, timers, retry policy, system state, connection monitoring, TLS session dumps,
//! addresses and log contexts: the smaller structs and unions of the lws 4.3.3 ABI.
//!
//! lws declares several of these as `typedef struct X { ... } X_t;`. Here the struct
//! keeps the tag name and a type alias gives the `_t` name; cbindgen prints both.
//! `lws_sockaddr46` and `lws_sock_file_fd_type` are typedef-only unions in lws; cbindgen
//! prints them as `union <name>` and include/libwebsockets/lws-types.h adds the
//! `typedef union <name> <name>;` that C code spells.
//! Nested anonymous members of lws get small named types here (`lws_conmon_http`,
//! `lws_conmon_protocol_specific`, `lws_log_cx_u`), with the same layout and member names.

use core::ffi::{c_char, c_int, c_void};

use libc::{addrinfo, sockaddr_in};

use super::{
    lws_attach_cb_t, lws_attach_item, lws_conmon_dns_disposition_t, lws_conmon_interval_us_t,
    lws_conmon_pcol_t, lws_context, lws_filefd_type, lws_log_emit_cx_t, lws_log_emit_t,
    lws_log_prepend_cx_t, lws_log_use_cx_t, lws_metric_pub_t, lws_smd_class_t, lws_sockfd_type,
    lws_state_notify_t, lws_system_states_t, lws_usec_t, sul_cb_t,
};

/// `struct lws_dll2`: a member of a doubly-linked list, embedded in the listed object.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_dll2 {
    /// Previous member, or NULL.
    pub prev: *mut lws_dll2,
    /// Next member, or NULL.
    pub next: *mut lws_dll2,
    /// The list this member is on, or NULL when detached.
    pub owner: *mut lws_dll2_owner,
}
/// `lws_dll2_t`.
pub type lws_dll2_t = lws_dll2;

/// `struct lws_dll2_owner`: the head of an `lws_dll2` list.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_dll2_owner {
    /// Last member, or NULL.
    pub tail: *mut lws_dll2,
    /// First member, or NULL.
    pub head: *mut lws_dll2,
    /// Number of members.
    pub count: u32,
}
/// `lws_dll2_owner_t`.
pub type lws_dll2_owner_t = lws_dll2_owner;

/// `struct lws_sorted_usec_list`: a timer, embedded in the caller's object.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_sorted_usec_list {
    /// Position in the pending-timer list.
    pub list: lws_dll2,
    /// Absolute expiry time.
    pub us: lws_usec_t,
    /// Called at expiry.
    pub cb: sul_cb_t,
    /// Latency measurement.
    pub latency_us: u32,
}
/// `lws_sorted_usec_list_t`.
pub type lws_sorted_usec_list_t = lws_sorted_usec_list;

/// `struct lws_retry_bo`: a retry backoff and connection-validity policy.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_retry_bo {
    /// Delays in ms for successive retries; the last one repeats.
    pub retry_ms_table: *const u32,
    /// Entries in `retry_ms_table`.
    pub retry_ms_table_count: u16,
    /// Retries before giving up (`LWS_RETRY_CONCEAL_ALWAYS`: never).
    pub conceal_count: u16,
    /// Idle seconds before a validity check (e.g. a ping) is sent.
    pub secs_since_valid_ping: u16,
    /// Idle seconds before the connection is dropped.
    pub secs_since_valid_hangup: u16,
    /// Random jitter added to each delay, in percent.
    pub jitter_percent: u8,
}
/// `lws_retry_bo_t`.
pub type lws_retry_bo_t = lws_retry_bo;

/// `struct lws_state_notify_link`: a registered system-state notifier.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_state_notify_link {
    /// Position in the manager's notifier list.
    pub list: lws_dll2_t,
    /// The notifier.
    pub notify_cb: lws_state_notify_t,
    /// Name for logging.
    pub name: *const c_char,
}
/// `lws_state_notify_link_t`.
pub type lws_state_notify_link_t = lws_state_notify_link;

/// `struct lws_state_manager`: a state machine with notifiers.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_state_manager {
    /// Registered notifiers.
    pub notify_list: lws_dll2_owner_t,
    /// The owning context.
    pub context: *mut lws_context,
    /// The owner's object.
    pub parent: *mut c_void,
    /// SMD class to announce transitions with (0: none).
    pub smd_class: lws_smd_class_t,
    /// Names of the states, for logging.
    pub state_names: *mut *const c_char,
    /// Name of the manager, for logging.
    pub name: *const c_char,
    /// The current state.
    pub state: c_int,
}
/// `lws_state_manager_t`.
pub type lws_state_manager_t = lws_state_manager;

/// `struct lws_system_ops`: platform hooks an application may supply.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_system_ops {
    /// Reboots the device.
    pub reboot: Option<unsafe extern "C" fn() -> c_int>,
    /// Sets the system clock.
    pub set_clock: Option<unsafe extern "C" fn(us: lws_usec_t) -> c_int>,
    /// Queues `cb` to run on the service thread once the system reaches `state`.
    pub attach: Option<
        unsafe extern "C" fn(
            context: *mut lws_context,
            tsi: c_int,
            cb: lws_attach_cb_t,
            state: lws_system_states_t,
            opaque: *mut c_void,
            get: *mut *mut lws_attach_item,
        ) -> c_int,
    >,
    /// Starts captive-portal detection.
    pub captive_portal_detect_request:
        Option<unsafe extern "C" fn(context: *mut lws_context) -> c_int>,
    /// Reports a metric.
    pub metric_report: Option<unsafe extern "C" fn(mdata: *mut lws_metric_pub_t) -> c_int>,
    /// Asks for a trusted CA by subject key id.
    pub jit_trust_query: Option<
        unsafe extern "C" fn(
            cx: *mut lws_context,
            skid: *const u8,
            skid_len: usize,
            got_opaque: *mut c_void,
        ) -> c_int,
    >,
    /// Worst-case wake-up latency of the platform.
    pub wake_latency_us: u32,
}
/// `lws_system_ops_t`.
pub type lws_system_ops_t = lws_system_ops;

/// `struct lws_xos` (`lws_xos_t`): the state of lws's xoshiro256** PRNG.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_xos {
    /// The four state words.
    pub s: [u64; 4],
}
/// `lws_xos_t`.
pub type lws_xos_t = lws_xos;

/// `lws_sockaddr46`: an IPv4 address (IPv6 is off in this build, so no `sa6`).
#[repr(C)]
#[derive(Clone, Copy)]
pub union lws_sockaddr46 {
    /// The IPv4 address (`sa4.sin_family` tells the family).
    pub sa4: sockaddr_in,
}

/// `lws_sock_file_fd_type`: a socket or a file descriptor.
#[repr(C)]
#[derive(Clone, Copy)]
pub union lws_sock_file_fd_type {
    /// As a socket.
    pub sockfd: lws_sockfd_type,
    /// As a file.
    pub filefd: lws_filefd_type,
}

/// `struct lws_udp` (`lws_get_udp`): the peer of the last datagram received
/// (where `lws_write` sends), the one a pending send goes to, and whether the
/// socket is connected. `connected` is a one-bit bitfield in C: the struct is
/// hand-written in lws-macros.h.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_udp {
    pub sa46: lws_sockaddr46,
    pub sa46_pending: lws_sockaddr46,
    /// The byte holding the `connected:1` bitfield.
    pub connected: u8,
}

/// `lws_adopt_desc_t`: what `lws_adopt_descriptor_vhost_via_info()` adopts.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_adopt_desc {
    /// The vhost the new wsi belongs to.
    pub vh: *mut super::lws_vhost,
    /// `LWS_ADOPT_*` flags.
    pub r#type: super::lws_adoption_type,
    /// The socket (`LWS_ADOPT_SOCKET`) or file descriptor.
    pub fd: lws_sock_file_fd_type,
    /// NULL, or the vhost protocol to bind the connection to.
    pub vh_prot_name: *const c_char,
    /// NULL, or the wsi the new one is a child of.
    pub parent: *mut super::lws,
    /// The new wsi's opaque user data.
    pub opaque: *mut c_void,
    /// Fault-injection name filter (fault injection is not built: unused).
    pub fi_wsi_name: *const c_char,
}

/// `lws_adopt_desc_t`.
pub type lws_adopt_desc_t = lws_adopt_desc;

/// The `http` member of `lws_conmon.protocol_specific`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_conmon_http {
    /// HTTP response code.
    pub response: c_int,
}

/// `lws_conmon.protocol_specific`.
#[repr(C)]
#[derive(Clone, Copy)]
pub union lws_conmon_protocol_specific {
    /// Valid when `pcol` is `LWSCONMON_PCOL_HTTP`.
    pub http: lws_conmon_http,
}

/// `struct lws_conmon`: connection-timing information taken from a connection.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_conmon {
    /// The peer address.
    pub peer46: lws_sockaddr46,
    /// Protocol-specific results (see `pcol`).
    pub protocol_specific: lws_conmon_protocol_specific,
    /// DNS results; owned by the taker, freed by `lws_conmon_release()`.
    pub dns_results_copy: *mut addrinfo,
    /// DNS lookup time.
    pub ciu_dns: lws_conmon_interval_us_t,
    /// Socket connect time.
    pub ciu_sockconn: lws_conmon_interval_us_t,
    /// TLS handshake time.
    pub ciu_tls: lws_conmon_interval_us_t,
    /// Time from request to the first response byte.
    pub ciu_txn_resp: lws_conmon_interval_us_t,
    /// Which member of `protocol_specific` is valid.
    pub pcol: lws_conmon_pcol_t,
    /// How the DNS lookup ended.
    pub dns_disposition: lws_conmon_dns_disposition_t,
}

/// `struct lws_tls_session_dump`: one TLS session being saved or loaded.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_tls_session_dump {
    /// Session tag ("host:port" and vhost), NUL-terminated.
    pub tag: [c_char; 96],
    /// Serialized session.
    pub blob: *mut c_void,
    /// The caller's opaque pointer.
    pub opaque: *mut c_void,
    /// Length of `blob`.
    pub blob_len: usize,
}

/// `lws_log_cx_t.u`: the emitter, in one of two forms.
#[repr(C)]
#[derive(Clone, Copy)]
pub union lws_log_cx_u {
    /// Plain emitter.
    pub emit: lws_log_emit_t,
    /// Emitter that is told the log context.
    pub emit_cx: lws_log_emit_cx_t,
}

/// `struct lws_log_cx` (`lws_log_cx_t`): a log context: the application's emitter,
/// level mask and prefixes for the objects bound to it (measured in
/// abi/layouts-system.tsv).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_log_cx {
    /// The emitter.
    pub u: lws_log_cx_u,
    /// Told about users coming and going.
    pub refcount_cb: lws_log_use_cx_t,
    /// Adds an object prefix to lines.
    pub prepend: lws_log_prepend_cx_t,
    /// Parent log context.
    pub parent: *mut lws_log_cx,
    /// Opaque pointer for the emitter.
    pub opaque: *mut c_void,
    /// Emitter storage.
    pub stg: *mut c_void,
    /// Level bits and flags.
    pub lll_flags: u32,
    /// Users.
    pub refcount: i32,
}
/// `lws_log_cx_t`.
pub type lws_log_cx_t = lws_log_cx;
