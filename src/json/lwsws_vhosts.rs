//! The `vhosts` section of lwsws's JSON configuration directory, as lws
//! 4.3.3's `lwsws_get_config_vhosts` reads it: `<dir>/conf`, then the files
//! of `<dir>/conf.d` in name order (names with `~` skipped), each parsed
//! with LEJP against the `vhosts[].*` paths. Each file gives the vhost
//! definitions it completes, in order; the ffi creates them.
#![forbid(unsafe_code)]

use std::path::Path;

use super::lejp::{self, reason, Host, Lejp, Patterns};
use super::lwsws_conf::{atoi, config_files, to_bool, ConfError};

/// The `vhosts[].*` paths, in lws's order (the index is what the callback
/// matches on).
const PATHS: [&str; 68] = [
    "vhosts[]",
    "vhosts[].name",
    "vhosts[].port",
    "vhosts[].interface",
    "vhosts[].unix-socket",
    "vhosts[].unix-socket-perms",
    "vhosts[].sts",
    "vhosts[].host-ssl-key",
    "vhosts[].host-ssl-cert",
    "vhosts[].host-ssl-ca",
    "vhosts[].access-log",
    "vhosts[].mounts[].mountpoint",
    "vhosts[].mounts[].origin",
    "vhosts[].mounts[].protocol",
    "vhosts[].mounts[].default",
    "vhosts[].mounts[].auth-mask",
    "vhosts[].mounts[].cgi-timeout",
    "vhosts[].mounts[].cgi-env[].*",
    "vhosts[].mounts[].cgi-env[]",
    "vhosts[].mounts[].cache-max-age",
    "vhosts[].mounts[].cache-reuse",
    "vhosts[].mounts[].cache-revalidate",
    "vhosts[].mounts[].basic-auth",
    "vhosts[].mounts[].cache-intermediaries",
    "vhosts[].mounts[].extra-mimetypes.*",
    "vhosts[].mounts[].extra-mimetypes",
    "vhosts[].mounts[].interpret.*",
    "vhosts[].mounts[].interpret",
    "vhosts[].mounts[]",
    "vhosts[].ws-protocols[].*.*",
    "vhosts[].ws-protocols[].*",
    "vhosts[].ws-protocols[]",
    "vhosts[].keepalive_timeout",
    "vhosts[].enable-client-ssl",
    "vhosts[].ciphers",
    "vhosts[].ecdh-curve",
    "vhosts[].noipv6",
    "vhosts[].ipv6only",
    "vhosts[].ssl-option-set",
    "vhosts[].ssl-option-clear",
    "vhosts[].mounts[].pmo[].*",
    "vhosts[].mounts[].pmo[]",
    "vhosts[].headers[].*",
    "vhosts[].headers[]",
    "vhosts[].client-ssl-key",
    "vhosts[].client-ssl-cert",
    "vhosts[].client-ssl-ca",
    "vhosts[].client-ssl-ciphers",
    "vhosts[].onlyraw",
    "vhosts[].client-cert-required",
    "vhosts[].ignore-missing-cert",
    "vhosts[].error-document-404",
    "vhosts[].alpn",
    "vhosts[].fo-listen-queue",
    "vhosts[].ssl-client-option-set",
    "vhosts[].ssl-client-option-clear",
    "vhosts[].tls13-ciphers",
    "vhosts[].client-tls13-ciphers",
    "vhosts[].strict-host-check",
    "vhosts[].listen-accept-role",
    "vhosts[].listen-accept-protocol",
    "vhosts[].apply-listen-accept",
    "vhosts[].fallback-listen-accept",
    "vhosts[].allow-non-tls",
    "vhosts[].redirect-http",
    "vhosts[].allow-http-on-https",
    "vhosts[].disable-no-protocol-ws-upgrades",
    "vhosts[].h2-half-closed-long-poll",
];

/// Indices into [`PATHS`] the reader acts on.
mod at {
    pub const VHOST: usize = 0;
    pub const MOUNT_ORIGIN: usize = 12;
    pub const CGI_ENV: usize = 17;
    pub const EXTRA_MIMETYPES: usize = 24;
    pub const INTERPRET: usize = 26;
    pub const MOUNT: usize = 28;
    pub const PROTOCOL_OPTION: usize = 29;
    pub const PROTOCOL: usize = 30;
    pub const PMO: usize = 40;
    pub const HEADER: usize = 42;
}

/// An option bit a vhost key sets or clears.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flag {
    UnixSock,
    Sts,
    DisableIpv6,
    /// `ipv6only`: also sets IPV6_V6ONLY_MODIFY.
    Ipv6Only,
    /// `client-cert-required`: only ever set.
    RequireValidClientCert,
    IgnoreMissingCert,
    StrictHostCheck,
    /// `onlyraw` and `apply-listen-accept`.
    ApplyListenAccept,
    FallbackListenAccept,
    AllowNonTls,
    RedirectHttp,
    AllowHttpOnHttps,
    H2HalfClosedLongPoll,
}

/// Which creation-info string a key sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    Name,
    Interface,
    UnixSocketPerms,
    HostSslKey,
    HostSslCert,
    HostSslCa,
    AccessLog,
    Ciphers,
    Tls13Ciphers,
    EcdhCurve,
    ClientSslKey,
    ClientSslCert,
    ClientSslCa,
    ClientCiphers,
    ClientTls13Ciphers,
    ErrorDocument404,
    Alpn,
    ListenAcceptRole,
    ListenAcceptProtocol,
}

/// Which creation-info number a key sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Number {
    Port,
    KeepaliveTimeout,
    FoListenQueue,
    /// The four `ssl-*option-*` keys are or-ed in.
    SslOptionSet,
    SslOptionClear,
    SslClientOptionSet,
    SslClientOptionClear,
}

/// One vhost key, in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Setting {
    Text(Text, Vec<u8>),
    Number(Number, i64),
    Flag(Flag, bool),
    EnableClientSsl(bool),
    /// `disable-no-protocol-ws-upgrades`: an upgrade naming no protocol is refused.
    RejectWsWithNoProtocol,
}

/// Name / value pairs (pvo lists), in file order.
pub type Pairs = Vec<(Vec<u8>, Vec<u8>)>;

/// The origin prefixes lws knows, as `LWSMPRO_*` (their index).
const ORIGIN_PREFIXES: [&str; 8] = [
    "http://",
    "https://",
    "file://",
    "cgi://",
    ">http://",
    ">https://",
    "callback://",
    "gzip://",
];

/// One `mounts[]` entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MountDef {
    pub mountpoint: Vec<u8>,
    /// The origin after its `scheme://` prefix.
    pub origin: Vec<u8>,
    /// `LWSMPRO_*`: the index of the prefix.
    pub origin_protocol: u8,
    /// A `callback://` origin: the protocol name.
    pub protocol: Option<Vec<u8>>,
    pub def: Option<Vec<u8>>,
    pub auth_mask: u32,
    pub cgi_timeout: i32,
    pub cache_max_age: i32,
    pub cache_reusable: bool,
    pub cache_revalidate: bool,
    pub cache_intermediaries: bool,
    pub basic_auth: Option<Vec<u8>>,
    /// `cgi-env` and `pmo` entries (both are the mount's `cgienv` in lws).
    pub cgi_env: Pairs,
    pub extra_mimetypes: Pairs,
    pub interpret: Pairs,
}

/// One `ws-protocols[]` entry: the protocol is enabled with these options.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProtocolDef {
    pub name: Vec<u8>,
    pub options: Pairs,
}

/// One `vhosts[]` entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VhostDef {
    pub settings: Vec<Setting>,
    pub mounts: Vec<MountDef>,
    pub protocols: Vec<ProtocolDef>,
    /// `headers[]`: response headers (names without the ':').
    pub headers: Pairs,
}

impl VhostDef {
    /// The port the definition gives (0 when none), as lws's `atoi`.
    pub fn port(&self) -> i64 {
        self.settings
            .iter()
            .rev()
            .find_map(|s| match s {
                Setting::Number(Number::Port, n) => Some(*n),
                _ => None,
            })
            .unwrap_or(0)
    }

    /// Whether the last `unix-socket` key turned it on.
    pub fn unix_socket(&self) -> bool {
        self.settings
            .iter()
            .rev()
            .find_map(|s| match s {
                Setting::Flag(Flag::UnixSock, on) => Some(*on),
                _ => None,
            })
            .unwrap_or(false)
    }
}

struct Reader {
    done: Vec<VhostDef>,
    vhost: Option<VhostDef>,
    mount: Option<MountDef>,
    partial: Vec<u8>,
    /// Why the callback stopped the parse.
    refused: Option<String>,
}

impl Patterns for Reader {
    fn pattern(&self, _level: usize, n: usize) -> Option<&[u8]> {
        PATHS.get(n).map(|p| p.as_bytes())
    }
}

impl Reader {
    fn refuse(&mut self, why: String) -> i8 {
        self.refused = Some(why);
        1
    }

    /// The end of a `mounts[]` object: it needs a mountpoint and an origin
    /// with a known prefix.
    fn end_mount(&mut self) -> i8 {
        let Some(mut m) = self.mount.take() else {
            return 0;
        };
        if m.mountpoint.is_empty() || m.origin.is_empty() {
            return self.refuse("mountpoint and origin required".into());
        }
        let Some(n) = ORIGIN_PREFIXES
            .iter()
            .position(|p| m.origin.starts_with(p.as_bytes()))
        else {
            let shown = String::from_utf8_lossy(&m.origin).into_owned();
            return self.refuse(format!("unsupported protocol:// {shown}"));
        };
        m.origin.drain(..ORIGIN_PREFIXES[n].len());
        m.origin_protocol = n as u8;
        if let Some(v) = self.vhost.as_mut() {
            v.mounts.push(m);
        }
        0
    }

    /// The end of a `vhosts[]` object: it needs a port (or a unix socket).
    fn end_vhost(&mut self) -> i8 {
        let Some(v) = self.vhost.take() else {
            return 0;
        };
        if v.port() == 0 && !v.unix_socket() {
            return self.refuse("Port required (eg, 443)".into());
        }
        self.done.push(v);
        0
    }

    fn value(&mut self, l: &mut Lejp, r: u8, m: usize) -> i8 {
        if r == reason::VAL_STR_CHUNK {
            self.partial
                .extend_from_slice(&l.buf[..usize::from(l.npos).min(l.buf.len())]);
            return 0;
        }
        let mut value = std::mem::take(&mut self.partial);
        value.extend_from_slice(l.buf_str());
        let wild = |k| l.wildcard(k, 256).map(|(w, _)| w).unwrap_or_default();
        let n = atoi(&value);
        let on = to_bool(&value);
        let (Some(v), mount) = (self.vhost.as_mut(), self.mount.as_mut()) else {
            return 0;
        };
        let text = |t| Some(Setting::Text(t, value.clone()));
        let num = |k| Some(Setting::Number(k, n));
        let flag = |f| Some(Setting::Flag(f, on));
        let setting = match m {
            1 => text(Text::Name),
            2 => num(Number::Port),
            3 => text(Text::Interface),
            4 => flag(Flag::UnixSock),
            5 => text(Text::UnixSocketPerms),
            6 => flag(Flag::Sts),
            7 => text(Text::HostSslKey),
            8 => text(Text::HostSslCert),
            9 => text(Text::HostSslCa),
            10 => text(Text::AccessLog),
            32 => num(Number::KeepaliveTimeout),
            33 => Some(Setting::EnableClientSsl(on)),
            34 => text(Text::Ciphers),
            35 => text(Text::EcdhCurve),
            36 => flag(Flag::DisableIpv6),
            37 => flag(Flag::Ipv6Only),
            38 => num(Number::SslOptionSet),
            39 => num(Number::SslOptionClear),
            44 => text(Text::ClientSslKey),
            45 => text(Text::ClientSslCert),
            46 => text(Text::ClientSslCa),
            47 => text(Text::ClientCiphers),
            48 | 61 => flag(Flag::ApplyListenAccept),
            49 if on => flag(Flag::RequireValidClientCert),
            50 => flag(Flag::IgnoreMissingCert),
            51 => text(Text::ErrorDocument404),
            52 => text(Text::Alpn),
            53 => num(Number::FoListenQueue),
            54 => num(Number::SslClientOptionSet),
            55 => num(Number::SslClientOptionClear),
            56 => text(Text::Tls13Ciphers),
            57 => text(Text::ClientTls13Ciphers),
            58 => flag(Flag::StrictHostCheck),
            59 => text(Text::ListenAcceptRole),
            60 => text(Text::ListenAcceptProtocol),
            62 => flag(Flag::FallbackListenAccept),
            63 => flag(Flag::AllowNonTls),
            64 => flag(Flag::RedirectHttp),
            65 => flag(Flag::AllowHttpOnHttps),
            66 => Some(Setting::RejectWsWithNoProtocol),
            67 => flag(Flag::H2HalfClosedLongPoll),
            _ => None,
        };
        if let Some(s) = setting {
            v.settings.push(s);
            return 0;
        }
        match m {
            at::HEADER => v.headers.push((wild(0), value)),
            at::PROTOCOL_OPTION => {
                if let Some(p) = v.protocols.last_mut() {
                    p.options.push((wild(1), value));
                }
            }
            _ => {
                let Some(mt) = mount else {
                    return 0;
                };
                match m {
                    11 => mt.mountpoint = value,
                    at::MOUNT_ORIGIN => {
                        if let Some(name) = value.strip_prefix(b"callback://") {
                            mt.protocol = Some(name.to_vec());
                        }
                        if mt.origin.is_empty() {
                            mt.origin = value;
                        }
                    }
                    14 => mt.def = Some(value),
                    15 => mt.auth_mask = n as u32,
                    16 => mt.cgi_timeout = n as i32,
                    at::CGI_ENV | at::PMO => mt.cgi_env.push((wild(0), value)),
                    19 => mt.cache_max_age = n as i32,
                    20 => mt.cache_reusable = on,
                    21 => mt.cache_revalidate = on,
                    22 => mt.basic_auth = Some(value),
                    23 => mt.cache_intermediaries = on,
                    at::EXTRA_MIMETYPES => mt.extra_mimetypes.push((wild(0), value)),
                    at::INTERPRET => mt.interpret.push((wild(0), value)),
                    _ => {}
                }
            }
        }
        0
    }
}

impl Host for Reader {
    fn callback(&mut self, l: &mut Lejp, r: u8) -> i8 {
        let m = usize::from(l.path_match);
        match (r, m.checked_sub(1)) {
            (reason::OBJECT_START, Some(at::VHOST)) => {
                self.vhost = Some(VhostDef::default());
                return 0;
            }
            (reason::OBJECT_START, Some(at::MOUNT)) => {
                self.mount = Some(MountDef::default());
                return 0;
            }
            (reason::OBJECT_START, Some(at::PROTOCOL)) => {
                let name = l.wildcard(0, 256).map(|(w, _)| w).unwrap_or_default();
                if let Some(v) = self.vhost.as_mut() {
                    v.protocols.push(ProtocolDef {
                        name,
                        options: Vec::new(),
                    });
                }
                return 0;
            }
            (reason::OBJECT_END, Some(at::MOUNT)) => return self.end_mount(),
            (reason::OBJECT_END, Some(at::VHOST)) => return self.end_vhost(),
            _ => {}
        }
        if r & reason::IS_VALUE == 0 || m == 0 {
            return 0;
        }
        self.value(l, r, m - 1)
    }
}

/// What one configuration file gave: the vhosts it completed, then why it
/// stopped early (a parse error, or a definition lws refuses).
#[derive(Debug, Default)]
pub struct FileVhosts {
    pub file: String,
    pub vhosts: Vec<VhostDef>,
    pub error: Option<String>,
}

fn read_file(path: &Path) -> FileVhosts {
    let file = path.display().to_string();
    let Ok(bytes) = std::fs::read(path) else {
        return FileVhosts {
            error: Some(ConfError::Open(file.clone()).to_string()),
            file,
            vhosts: Vec::new(),
        };
    };
    let mut reader = Reader {
        done: Vec::new(),
        vhost: None,
        mount: None,
        partial: Vec::new(),
        refused: None,
    };
    let mut l = Lejp::new(PATHS.len() as u8);
    let mut m = lejp::code::CONTINUE;
    for chunk in bytes.chunks(128) {
        m = l.parse(&mut reader, chunk);
        if m != lejp::code::CONTINUE {
            break;
        }
    }
    let error = (m < 0 && m != lejp::code::CONTINUE).then(|| {
        let parse = ConfError::Parse {
            file: file.clone(),
            line: l.line,
            code: m,
        };
        match reader.refused.take() {
            Some(why) => format!("{why}; {parse}"),
            None => parse.to_string(),
        }
    });
    FileVhosts {
        file,
        vhosts: reader.done,
        error,
    }
}

/// The vhosts of `<dir>/conf` then of each `<dir>/conf.d` file, one entry
/// per file read (lws goes on to the next file only when one succeeds, so
/// the walk stops after a file with an error).
pub fn read_vhosts(dir: &Path) -> Vec<FileVhosts> {
    let mut out = Vec::new();
    for f in config_files(dir) {
        let one = read_file(&f);
        let failed = one.error.is_some();
        out.push(one);
        if failed {
            break;
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::expect_used, reason = "tests")]
mod tests {
    use super::*;

    fn dir_with(tag: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("lws-rs-vhosts-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("conf.d")).expect("test dir");
        for (name, text) in files {
            std::fs::write(d.join(name), text).expect("test file");
        }
        d
    }

    #[test]
    fn vhosts_mounts_protocols_and_headers() {
        let d = dir_with(
            "full",
            &[
                ("conf", r#"{"global": {"uid": 1}}"#),
                (
                    "conf.d/site",
                    r#"{"vhosts": [{
                        "name": "one", "port": "7681", "interface": "lo",
                        "host-ssl-cert": "/c.pem", "sts": "on", "keepalive_timeout": "9",
                        "mounts": [{"mountpoint": "/", "origin": "file:///srv",
                                    "default": "index.html", "cache-max-age": "60",
                                    "cache-reuse": "1",
                                    "extra-mimetypes": {".zip": "application/zip"}},
                                   {"mountpoint": "/dyn", "origin": "callback://dyn"}],
                        "ws-protocols": [{"echo": {"status": "ok", "x": "y"}}],
                        "headers": [{"x-a": "b"}]
                    }, {"name": "two", "port": 7682}]}"#,
                ),
            ],
        );
        let files = read_vhosts(&d);
        assert_eq!(files.len(), 2);
        assert!(files.iter().all(|f| f.error.is_none()), "{files:?}");
        assert!(files[0].vhosts.is_empty());
        let v = &files[1].vhosts;
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].port(), 7681);
        assert_eq!(
            v[0].settings,
            [
                Setting::Text(Text::Name, b"one".to_vec()),
                Setting::Number(Number::Port, 7681),
                Setting::Text(Text::Interface, b"lo".to_vec()),
                Setting::Text(Text::HostSslCert, b"/c.pem".to_vec()),
                Setting::Flag(Flag::Sts, true),
                Setting::Number(Number::KeepaliveTimeout, 9),
            ]
        );
        let m = &v[0].mounts;
        assert_eq!(m.len(), 2);
        assert_eq!(
            (m[0].mountpoint.as_slice(), m[0].origin.as_slice()),
            (&b"/"[..], &b"/srv"[..])
        );
        assert_eq!(m[0].origin_protocol, 2);
        assert_eq!(m[0].def.as_deref(), Some(&b"index.html"[..]));
        assert_eq!((m[0].cache_max_age, m[0].cache_reusable), (60, true));
        assert_eq!(
            m[0].extra_mimetypes,
            [(b".zip".to_vec(), b"application/zip".to_vec())]
        );
        assert_eq!(
            (m[1].origin_protocol, m[1].protocol.as_deref()),
            (6, Some(&b"dyn"[..]))
        );
        assert_eq!(
            v[0].protocols,
            [ProtocolDef {
                name: b"echo".to_vec(),
                options: vec![
                    (b"status".to_vec(), b"ok".to_vec()),
                    (b"x".to_vec(), b"y".to_vec())
                ],
            }]
        );
        assert_eq!(v[0].headers, [(b"x-a".to_vec(), b"b".to_vec())]);
        assert_eq!(v[1].port(), 7682);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn lws_refusals_stop_the_file_after_the_vhosts_before() {
        let d = dir_with(
            "bad",
            &[(
                "conf",
                r#"{"vhosts": [{"name": "a", "port": 1}, {"name": "b"}, {"name": "c", "port": 3}]}"#,
            )],
        );
        let files = read_vhosts(&d);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].vhosts.len(), 1);
        let e = files[0].error.as_deref().expect("refused");
        assert!(e.starts_with("Port required"), "{e}");
        std::fs::write(
            d.join("conf"),
            r#"{"vhosts": [{"port": 1, "mounts": [{"mountpoint": "/", "origin": "ftp://x"}]}]}"#,
        )
        .expect("test file");
        let e = read_vhosts(&d)[0].error.clone().expect("refused");
        assert!(e.starts_with("unsupported protocol:// ftp://x"), "{e}");
        std::fs::write(
            d.join("conf"),
            r#"{"vhosts": [{"port": 1, "mounts": [{"mountpoint": "/"}]}]}"#,
        )
        .expect("test file");
        let e = read_vhosts(&d)[0].error.clone().expect("refused");
        assert!(e.starts_with("mountpoint and origin required"), "{e}");
        std::fs::remove_file(d.join("conf")).expect("rm");
        assert!(read_vhosts(&d)[0]
            .error
            .as_deref()
            .is_some_and(|e| e.starts_with("Cannot open")));
        let _ = std::fs::remove_dir_all(&d);
    }
}
