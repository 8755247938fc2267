//! lws-context-vhost.h: `lwsws_get_config_globals` and
//! `lwsws_get_config_vhosts`, lwsws's JSON configuration directory read into
//! a creation info and vhosts (the reading is `json::lwsws_conf` and
//! `json::lwsws_vhosts`). Strings and the reject-keyword list are placed in the
//! caller's buffer `*cs` (`*len` bytes), which is advanced past them, as lws
//! does.

use std::ffi::{c_char, c_int, c_long, c_uint, CStr};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::ptr;

use super::guard;
use super::types::*;
use crate::core::Error;
use crate::json::lwsws_conf::{read_globals, Global};
use crate::json::lwsws_vhosts::{read_vhosts, Flag, Number, Setting, Text, VhostDef};
use crate::log::level;
use crate::lwsl;

/// lws keeps room for this many plugin directory pointers first.
const MAX_PLUGIN_DIRS: usize = 10;

/// The caller's buffer, filled from `p` up to `end`.
struct Arena {
    p: *mut c_char,
    end: *mut c_char,
}

impl Arena {
    fn room(&self) -> usize {
        (self.end as usize).saturating_sub(self.p as usize)
    }

    /// Moves to the next 16-byte boundary (`lwsws_align`).
    fn align(&mut self) -> Result<(), Error> {
        let pad = (16 - (self.p as usize & 15)) & 15;
        if pad > self.room() {
            return Err(Error::Refused("config buffer too small"));
        }
        self.p = self.p.wrapping_add(pad);
        Ok(())
    }

    /// Reserves `n` bytes; their start.
    fn take(&mut self, n: usize) -> Result<*mut c_char, Error> {
        if n > self.room() {
            return Err(Error::Refused("config buffer too small"));
        }
        let at = self.p;
        self.p = self.p.wrapping_add(n);
        Ok(at)
    }

    /// Copies `s` NUL-terminated; its start.
    fn string(&mut self, s: &[u8]) -> Result<*const c_char, Error> {
        let at = self.take(s.len() + 1)?;
        // SAFETY: `at` has room for `s.len() + 1` bytes inside the caller's
        // buffer (checked by `take`); `s` is ours.
        unsafe { ptr::copy_nonoverlapping(s.as_ptr(), at.cast::<u8>(), s.len()) };
        // SAFETY: as above, the last reserved byte.
        unsafe { at.wrapping_add(s.len()).write(0) };
        Ok(at)
    }
}

/// Reads `<d>/conf` then the files of `<d>/conf.d` (name order) and sets
/// what their `global` sections say in `info`: uid, gid, username,
/// groupname, count-threads, init-ssl (DO_SSL_GLOBAL_INIT), server-string,
/// timeout-secs, reject-service-keywords (prepended to
/// `info.reject_service_keywords`), default-alpn, rlimit-nofile; plugin-dir
/// entries are kept in the buffer (lws without plugins does not use them).
/// 0, or 1 when `<d>/conf` cannot be read or parsed, or the buffer is too
/// small (one log line); a `conf.d` file that fails to parse stops the walk
/// there, as in lws.
///
/// # Safety
/// `info` a writable creation info; `d` NUL-terminated; `*cs` writable for
/// `*len` bytes, and must outlive the use of `info`.
#[no_mangle]
pub unsafe extern "C" fn lwsws_get_config_globals(
    info: *mut lws_context_creation_info,
    d: *const c_char,
    cs: *mut *mut c_char,
    len: *mut c_int,
) -> c_int {
    guard("lwsws_get_config_globals", 1, || {
        if info.is_null() || d.is_null() || cs.is_null() || len.is_null() {
            return Err(super::null("info, d, cs or len is NULL"));
        }
        // SAFETY: readable by contract.
        let start = unsafe { *cs };
        // SAFETY: readable by contract.
        let room = unsafe { *len };
        if start.is_null() || room < 1 {
            return Err(super::null("no config buffer"));
        }
        // SAFETY: NUL-terminated by contract.
        let dir = Path::new(std::ffi::OsStr::from_bytes(
            unsafe { CStr::from_ptr(d) }.to_bytes(),
        ));
        let (found, problems) = read_globals(dir).map_err(|e| Error::Config(e.to_string()))?;
        for p in problems {
            lwsl!(level::ERR, "lwsws_get_config_globals: {p}");
        }
        let mut a = Arena {
            p: start,
            // lws keeps the last byte out of reach.
            end: start.wrapping_add(room as usize - 1),
        };
        a.align()?;
        let dirs = a
            .take(MAX_PLUGIN_DIRS * std::mem::size_of::<*const c_char>())?
            .cast::<*const c_char>();
        let mut count_dirs = 0;
        // SAFETY: a writable creation info by contract; no other reference.
        let info = unsafe { &mut *info };
        for g in found {
            match g {
                Global::Uid(v) => info.uid = v,
                Global::Gid(v) => info.gid = v,
                Global::Username(s) => info.username = a.string(&s)?,
                Global::Groupname(s) => info.groupname = a.string(&s)?,
                Global::CountThreads(v) => info.count_threads = v,
                Global::InitSsl => info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT,
                Global::ServerString(s) => info.server_string = a.string(&s)?,
                Global::PluginDir(s) => {
                    if count_dirs == MAX_PLUGIN_DIRS - 1 {
                        return Err(Error::Config("Too many plugin dirs".into()));
                    }
                    let p = a.string(&s)?;
                    // SAFETY: `count_dirs` < MAX_PLUGIN_DIRS slots reserved above.
                    unsafe { dirs.wrapping_add(count_dirs).write_unaligned(p) };
                    count_dirs += 1;
                }
                Global::TimeoutSecs(v) => info.timeout_secs = v,
                Global::RejectKeyword { name, value } => {
                    a.align()?;
                    let rej = a
                        .take(std::mem::size_of::<lws_protocol_vhost_options>())?
                        .cast::<lws_protocol_vhost_options>();
                    let name = a.string(&name)?;
                    let value = a.string(&value)?;
                    // SAFETY: 16-byte aligned room for the struct in the
                    // caller's buffer (reserved above).
                    unsafe {
                        rej.write(lws_protocol_vhost_options {
                            next: info.reject_service_keywords,
                            options: ptr::null(),
                            name,
                            value,
                        })
                    };
                    info.reject_service_keywords = rej;
                }
                Global::DefaultAlpn(s) => info.alpn = a.string(&s)?,
                Global::PeerLimit => {}
                Global::RlimitNofile(v) => info.rlimit_nofile = v,
            }
        }
        // SAFETY: the slot after the last directory, reserved above.
        unsafe { dirs.wrapping_add(count_dirs).write_unaligned(ptr::null()) };
        // SAFETY: writable by contract.
        unsafe { *cs = a.p };
        // SAFETY: as above.
        unsafe { *len = a.room() as c_int };
        Ok(0)
    })
}

impl Arena {
    /// Reserves room for one `T` on a 16-byte boundary and writes `value` there.
    fn place<T>(&mut self, value: T) -> Result<*mut T, Error> {
        self.align()?;
        let at = self.take(std::mem::size_of::<T>())?.cast::<T>();
        // SAFETY: 16-byte aligned room for a `T` inside the caller's buffer
        // (reserved above); `T` is a plain C struct.
        unsafe { at.write(value) };
        Ok(at)
    }

    /// A pvo list of `pairs`, linked as lws links them (each new entry goes
    /// first); `suffix` is appended to each name (lws adds ':' to header names).
    fn pairs(
        &mut self,
        pairs: &[(Vec<u8>, Vec<u8>)],
        suffix: &[u8],
    ) -> Result<*const lws_protocol_vhost_options, Error> {
        let mut head: *const lws_protocol_vhost_options = ptr::null();
        for (n, v) in pairs {
            let name = with_suffix(n, suffix);
            let node = lws_protocol_vhost_options {
                next: head,
                options: ptr::null(),
                name: self.string(&name)?,
                value: self.string(v)?,
            };
            head = self.place(node)?;
        }
        Ok(head)
    }
}

fn with_suffix(n: &[u8], suffix: &[u8]) -> Vec<u8> {
    let mut name = n.to_vec();
    name.extend_from_slice(suffix);
    name
}

/// The creation-info options lws carries from one vhost definition to the next.
const KEPT_OPTIONS: u64 = LWS_SERVER_OPTION_SKIP_SERVER_CANONICAL_NAME
    | LWS_SERVER_OPTION_LIBUV
    | LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT
    | LWS_SERVER_OPTION_EXPLICIT_VHOSTS
    | LWS_SERVER_OPTION_UV_NO_SIGSEGV_SIGFPE_SPIN
    | LWS_SERVER_OPTION_LIBEVENT
    | LWS_SERVER_OPTION_LIBEV;

fn flag_bits(f: Flag) -> u64 {
    match f {
        Flag::UnixSock => LWS_SERVER_OPTION_UNIX_SOCK,
        Flag::Sts => LWS_SERVER_OPTION_STS,
        Flag::DisableIpv6 => LWS_SERVER_OPTION_DISABLE_IPV6,
        Flag::Ipv6Only => LWS_SERVER_OPTION_IPV6_V6ONLY_VALUE,
        Flag::RequireValidClientCert => LWS_SERVER_OPTION_REQUIRE_VALID_OPENSSL_CLIENT_CERT,
        Flag::IgnoreMissingCert => LWS_SERVER_OPTION_IGNORE_MISSING_CERT,
        Flag::StrictHostCheck => LWS_SERVER_OPTION_VHOST_UPG_STRICT_HOST_CHECK,
        Flag::ApplyListenAccept => LWS_SERVER_OPTION_ADOPT_APPLY_LISTEN_ACCEPT_CONFIG,
        Flag::FallbackListenAccept => LWS_SERVER_OPTION_FALLBACK_TO_APPLY_LISTEN_ACCEPT_CONFIG,
        Flag::AllowNonTls => LWS_SERVER_OPTION_ALLOW_NON_SSL_ON_SSL_PORT,
        Flag::RedirectHttp => LWS_SERVER_OPTION_REDIRECT_HTTP_TO_HTTPS,
        Flag::AllowHttpOnHttps => LWS_SERVER_OPTION_ALLOW_HTTP_ON_HTTPS_LISTENER,
        Flag::H2HalfClosedLongPoll => LWS_SERVER_OPTION_VH_H2_HALF_CLOSED_LONG_POLL,
    }
}

/// What the caller's creation info gives every vhost (lws reads these once,
/// before the first definition).
#[derive(Clone, Copy)]
struct Tables {
    protocols: *const lws_protocols,
    pprotocols: *mut *const lws_protocols,
    extensions: *const lws_extension,
}

/// Fills `info` for one definition as lws does: cleared, keeping the thread
/// count, some options, the server string and timeout; the caller's
/// protocol and extension tables; keep-alive 5 s; then the definition's
/// keys in order, its mounts (in order), ws-protocols as the pvo list and
/// headers, everything placed in the arena. True when the vhost also wants
/// a client TLS context (`enable-client-ssl`).
fn fill_info(
    info: &mut lws_context_creation_info,
    a: &mut Arena,
    def: &VhostDef,
    t: Tables,
) -> Result<bool, Error> {
    let (threads, options, server_string, timeout) = (
        info.count_threads,
        info.options & KEPT_OPTIONS,
        info.server_string,
        info.timeout_secs,
    );
    // SAFETY: a plain C struct of integers and pointers: all-zero is valid
    // (lws clears it the same way).
    *info = unsafe { std::mem::zeroed() };
    info.count_threads = threads;
    info.options = options;
    info.server_string = server_string;
    info.timeout_secs = timeout;
    info.protocols = t.protocols;
    info.pprotocols = t.pprotocols;
    info.extensions = t.extensions;
    info.keepalive_timeout = 5;
    let mut client_ssl = false;
    for s in &def.settings {
        match s {
            Setting::Text(which, v) => {
                let p = a.string(v)?;
                let slot = match which {
                    Text::Name => &mut info.vhost_name,
                    Text::Interface => &mut info.iface,
                    Text::UnixSocketPerms => &mut info.unix_socket_perms,
                    Text::HostSslKey => &mut info.ssl_private_key_filepath,
                    Text::HostSslCert => &mut info.ssl_cert_filepath,
                    Text::HostSslCa => &mut info.ssl_ca_filepath,
                    Text::AccessLog => &mut info.log_filepath,
                    Text::Ciphers => &mut info.ssl_cipher_list,
                    Text::Tls13Ciphers => &mut info.tls1_3_plus_cipher_list,
                    Text::EcdhCurve => &mut info.ecdh_curve,
                    Text::ClientSslKey => &mut info.client_ssl_private_key_filepath,
                    Text::ClientSslCert => &mut info.client_ssl_cert_filepath,
                    Text::ClientSslCa => &mut info.client_ssl_ca_filepath,
                    Text::ClientCiphers => &mut info.client_ssl_cipher_list,
                    Text::ClientTls13Ciphers => &mut info.client_tls_1_3_plus_cipher_list,
                    Text::ErrorDocument404 => &mut info.error_document_404,
                    Text::Alpn => &mut info.alpn,
                    Text::ListenAcceptRole => &mut info.listen_accept_role,
                    Text::ListenAcceptProtocol => &mut info.listen_accept_protocol,
                };
                *slot = p;
            }
            Setting::Number(which, n) => match which {
                Number::Port => info.port = *n as c_int,
                Number::KeepaliveTimeout => info.keepalive_timeout = *n as c_int,
                Number::FoListenQueue => info.fo_listen_queue = *n as c_int,
                Number::SslOptionSet => info.ssl_options_set |= *n as c_long,
                Number::SslOptionClear => info.ssl_options_clear |= *n as c_long,
                Number::SslClientOptionSet => info.ssl_client_options_set |= *n as c_long,
                Number::SslClientOptionClear => info.ssl_client_options_clear |= *n as c_long,
            },
            Setting::Flag(f, on) => {
                if *f == Flag::Ipv6Only {
                    info.options |= LWS_SERVER_OPTION_IPV6_V6ONLY_MODIFY;
                }
                if *on {
                    info.options |= flag_bits(*f);
                } else if *f != Flag::RequireValidClientCert {
                    info.options &= !flag_bits(*f);
                }
            }
            Setting::EnableClientSsl(on) => client_ssl = *on,
            Setting::RejectWsWithNoProtocol => lwsl!(
                level::WARN,
                "lwsws_get_config_vhosts: disable-no-protocol-ws-upgrades is not supported (ignored)"
            ),
        }
    }
    let mut last: *mut lws_http_mount = ptr::null_mut();
    for m in &def.mounts {
        let origin = a.string(&m.origin)?;
        // SAFETY: a plain C struct: all-zero is valid.
        let mut node: lws_http_mount = unsafe { std::mem::zeroed() };
        node.mountpoint = a.string(&m.mountpoint)?;
        node.mountpoint_len = m.mountpoint.len().min(255) as u8;
        node.origin = origin;
        node.protocol = match &m.protocol {
            Some(p) => a.string(p)?,
            None => ptr::null(),
        };
        node.def = match &m.def {
            Some(d) => a.string(d)?,
            None => ptr::null(),
        };
        node.basic_auth_login_file = match &m.basic_auth {
            Some(b) => a.string(b)?,
            None => ptr::null(),
        };
        node.auth_mask = m.auth_mask as c_uint;
        node.cgi_timeout = m.cgi_timeout;
        node.cache_max_age = m.cache_max_age;
        node.set_cache_reusable(m.cache_reusable);
        node.set_cache_revalidate(m.cache_revalidate);
        node.set_cache_intermediaries(m.cache_intermediaries);
        node.origin_protocol = m.origin_protocol;
        node.cgienv = a.pairs(&m.cgi_env, b"")?;
        node.extra_mimetypes = a.pairs(&m.extra_mimetypes, b"")?;
        node.interpret = a.pairs(&m.interpret, b"")?;
        let placed = a.place(node)?;
        if last.is_null() {
            info.mounts = placed;
        } else {
            // SAFETY: the previous mount, placed in the arena above.
            unsafe { (*last).mount_next = placed };
        }
        last = placed;
    }
    let mut pvo: *const lws_protocol_vhost_options = ptr::null();
    for p in &def.protocols {
        let node = lws_protocol_vhost_options {
            next: pvo,
            options: a.pairs(&p.options, b"")?,
            name: a.string(&p.name)?,
            value: a.string(b"")?,
        };
        pvo = a.place(node)?;
    }
    info.pvo = pvo;
    info.headers = a.pairs(&def.headers, b":")?;
    Ok(client_ssl)
}

/// Reads the `vhosts` of `<d>/conf` then of each `<d>/conf.d` file (name
/// order) and creates each vhost as its definition ends, with `info` filled
/// as lws fills it (see `fill_info`; `info.protocols`, `pprotocols` and
/// `extensions` are taken for every vhost). Keys: name, port, interface,
/// sts, host-ssl-key/-cert/-ca, access-log, keepalive_timeout, ciphers,
/// tls13-ciphers, ecdh-curve, noipv6, ipv6only, ssl-option-set/-clear,
/// enable-client-ssl with client-ssl-key/-cert/-ca/-ciphers and
/// client-tls13-ciphers, client-cert-required, ignore-missing-cert,
/// strict-host-check, error-document-404, alpn, fo-listen-queue,
/// listen-accept-role/-protocol, onlyraw / apply-listen-accept,
/// fallback-listen-accept, allow-non-tls, redirect-http,
/// allow-http-on-https, h2-half-closed-long-poll; mounts (mountpoint,
/// origin with its `file://`, `callback://`, `http(s)://`, `>http(s)://`
/// prefix, protocol, default, auth-mask, cache-*, basic-auth, cgi-env, pmo,
/// extra-mimetypes, interpret), ws-protocols with their options, headers.
/// Strings and structs go into the caller's buffer `*cs` (`*len` bytes),
/// advanced past them. 0, or 1 (one log line) when `<d>/conf` cannot be
/// read, fails to parse or holds a definition that cannot be created (a
/// missing port, a mount without mountpoint or origin or with an unknown
/// origin prefix, a vhost lws_create_vhost refuses), when the buffer is too
/// small, or when no vhost was created ("Need at least one vhost"); such a
/// failure in a conf.d file stops the walk there, as in lws.
///
/// # Safety
/// `context` a live context; `info` a writable creation info (its protocol
/// table and extensions are used for every vhost); `d` NUL-terminated;
/// `*cs` writable for `*len` bytes and kept while the vhosts live.
#[no_mangle]
pub unsafe extern "C" fn lwsws_get_config_vhosts(
    context: *mut lws_context,
    info: *mut lws_context_creation_info,
    d: *const c_char,
    cs: *mut *mut c_char,
    len: *mut c_int,
) -> c_int {
    guard("lwsws_get_config_vhosts", 1, || {
        // SAFETY: checked handle conversion.
        unsafe { super::handle::context(context) }?;
        if info.is_null() || d.is_null() || cs.is_null() || len.is_null() {
            return Err(super::null("info, d, cs or len is NULL"));
        }
        // SAFETY: readable by contract.
        let start = unsafe { *cs };
        // SAFETY: as above.
        let room = unsafe { *len };
        if start.is_null() || room < 1 {
            return Err(super::null("no config buffer"));
        }
        // SAFETY: NUL-terminated by contract.
        let dir = Path::new(std::ffi::OsStr::from_bytes(
            unsafe { CStr::from_ptr(d) }.to_bytes(),
        ));
        let mut a = Arena {
            p: start,
            end: start.wrapping_add(room as usize),
        };
        let tables = {
            // SAFETY: a readable creation info by contract.
            let i = unsafe { &*info };
            Tables {
                protocols: i.protocols,
                pprotocols: i.pprotocols,
                extensions: i.extensions,
            }
        };
        let mut any = false;
        for (k, file) in read_vhosts(dir).into_iter().enumerate() {
            let mut failed = false;
            for def in &file.vhosts {
                // SAFETY: writable by contract; no other reference lives.
                let client_ssl = fill_info(unsafe { &mut *info }, &mut a, def, tables)?;
                // SAFETY: as above.
                let name_ptr = unsafe { (*info).vhost_name };
                // SAFETY: NULL or a string just placed in the arena.
                let named = unsafe { super::context::opt_string(name_ptr) };
                let vh = if def.unix_socket() {
                    lwsl!(
                        level::ERR,
                        "lwsws_get_config_vhosts: unix-socket vhosts are not supported"
                    );
                    ptr::null_mut()
                } else {
                    // SAFETY: a live context and the info just filled.
                    unsafe { super::vhost::lws_create_vhost(context, info) }
                };
                if vh.is_null() {
                    lwsl!(
                        level::ERR,
                        "Failed to create vhost {}",
                        named.as_deref().unwrap_or("(unnamed)")
                    );
                    failed = true;
                    break;
                }
                any = true;
                if client_ssl {
                    // SAFETY: as above.
                    let i = unsafe { &mut *info };
                    // SAFETY: a plain C struct: all-zero is valid.
                    let mut c: lws_context_creation_info = unsafe { std::mem::zeroed() };
                    c.client_ssl_cert_filepath = i.client_ssl_cert_filepath;
                    c.client_ssl_private_key_filepath = i.client_ssl_private_key_filepath;
                    c.client_ssl_ca_filepath = i.client_ssl_ca_filepath;
                    c.client_ssl_cipher_list = i.client_ssl_cipher_list;
                    c.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
                    *i = c;
                    // SAFETY: the info just filled and the vhost just made.
                    if unsafe { super::tls::lws_init_vhost_client_ssl(info, vh) } != 0 {
                        failed = true;
                        break;
                    }
                }
            }
            if let Some(e) = &file.error {
                lwsl!(level::ERR, "lwsws_get_config_vhosts: {e}");
                failed = true;
            }
            if failed {
                if k == 0 {
                    return Ok(1);
                }
                break;
            }
        }
        // SAFETY: writable by contract.
        unsafe { *cs = a.p };
        // SAFETY: as above.
        unsafe { *len = a.room() as c_int };
        if !any {
            lwsl!(level::ERR, "Need at least one vhost");
            return Ok(1);
        }
        Ok(0)
    })
}
