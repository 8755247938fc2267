//! The global section of lwsws's JSON configuration directory, as lws 4.3.3's
//! `lwsws_get_config_globals` reads it: `<dir>/conf`, then every file of
//! `<dir>/conf.d` in name order (names with `~` skipped), each parsed with
//! LEJP against the `global.*` paths.
#![forbid(unsafe_code)]

use std::path::Path;

use super::lejp::{self, reason, Host, Lejp, Patterns};

/// The `global.*` paths lws matches, in its order.
const PATHS: [&str; 16] = [
    "global.uid",
    "global.gid",
    "global.username",
    "global.groupname",
    "global.count-threads",
    "global.init-ssl",
    "global.server-string",
    "global.plugin-dir",
    "global.ws-pingpong-secs",
    "global.timeout-secs",
    "global.reject-service-keywords[].*",
    "global.reject-service-keywords[]",
    "global.default-alpn",
    "global.ip-limit-ah",
    "global.ip-limit-wsi",
    "global.rlimit-nofile",
];

/// One setting found, in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Global {
    Uid(u32),
    Gid(u32),
    Username(Vec<u8>),
    Groupname(Vec<u8>),
    CountThreads(u32),
    /// `init-ssl` true: LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT.
    InitSsl,
    ServerString(Vec<u8>),
    PluginDir(Vec<u8>),
    TimeoutSecs(u32),
    /// `"reject-service-keywords": [ { "name": "value" } ]`.
    RejectKeyword {
        name: Vec<u8>,
        value: Vec<u8>,
    },
    DefaultAlpn(Vec<u8>),
    /// `ip-limit-ah` / `ip-limit-wsi` (lws without PEER_LIMITS reads and drops them).
    PeerLimit,
    RlimitNofile(i32),
}

/// C's atoi: optional blanks and sign, then digits.
pub(super) fn atoi(s: &[u8]) -> i64 {
    let s: Vec<u8> = s
        .iter()
        .copied()
        .skip_while(u8::is_ascii_whitespace)
        .collect();
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, &s[..]),
    };
    let v = digits
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .fold(0i64, |a, b| {
            a.saturating_mul(10).saturating_add(i64::from(b - b'0'))
        });
    if neg {
        -v
    } else {
        v
    }
}

/// lws's `arg_to_bool`: a non-zero number, or on / yes / true.
pub(super) fn to_bool(s: &[u8]) -> bool {
    atoi(s) != 0
        || ["on", "yes", "true"]
            .iter()
            .any(|w| s.eq_ignore_ascii_case(w.as_bytes()))
}

struct Reader {
    found: Vec<Global>,
    /// String chunks of the value being read.
    partial: Vec<u8>,
}

impl Patterns for Reader {
    fn pattern(&self, _level: usize, n: usize) -> Option<&[u8]> {
        PATHS.get(n).map(|p| p.as_bytes())
    }
}

impl Host for Reader {
    fn callback(&mut self, l: &mut Lejp, r: u8) -> i8 {
        if r & reason::IS_VALUE == 0 || l.path_match == 0 {
            return 0;
        }
        if r == reason::VAL_STR_CHUNK {
            self.partial
                .extend_from_slice(&l.buf[..usize::from(l.npos).min(l.buf.len())]);
            return 0;
        }
        let mut value = std::mem::take(&mut self.partial);
        value.extend_from_slice(l.buf_str());
        let n = || atoi(&value);
        let item = match l.path_match - 1 {
            0 => Global::Uid(n() as u32),
            1 => Global::Gid(n() as u32),
            2 => Global::Username(value),
            3 => Global::Groupname(value),
            4 => Global::CountThreads(n() as u32),
            5 if to_bool(&value) => Global::InitSsl,
            6 => Global::ServerString(value),
            7 => Global::PluginDir(value),
            9 => Global::TimeoutSecs(n() as u32),
            10 if r == reason::VAL_STR_END => {
                let name = l.wildcard(0, 256).map(|(w, _)| w).unwrap_or_default();
                Global::RejectKeyword { name, value }
            }
            12 => Global::DefaultAlpn(value),
            13 | 14 => Global::PeerLimit,
            15 => Global::RlimitNofile(n() as i32),
            _ => return 0,
        };
        self.found.push(item);
        0
    }
}

/// Why a configuration could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum ConfError {
    /// The file cannot be opened.
    Open(String),
    /// A LEJP parse error (`lejp_error_to_string`), with the line.
    Parse { file: String, line: u32, code: i32 },
}

impl std::fmt::Display for ConfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfError::Open(p) => write!(f, "Cannot open {p}"),
            ConfError::Parse { file, line, code } => {
                write!(
                    f,
                    "{file}({line}): parsing error {code}: {}",
                    lejp::error_text(*code)
                )
            }
        }
    }
}

fn read_file(path: &Path, found: &mut Vec<Global>) -> Result<(), ConfError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|_| ConfError::Open(shown.clone()))?;
    let mut reader = Reader {
        found: Vec::new(),
        partial: Vec::new(),
    };
    let mut l = Lejp::new(PATHS.len() as u8);
    let mut m = lejp::code::CONTINUE;
    for chunk in bytes.chunks(128) {
        m = l.parse(&mut reader, chunk);
        if m != lejp::code::CONTINUE {
            break;
        }
    }
    found.append(&mut reader.found);
    if m < 0 && m != lejp::code::CONTINUE {
        return Err(ConfError::Parse {
            file: shown,
            line: l.line,
            code: m,
        });
    }
    Ok(())
}

/// The files of a configuration directory in the order lws reads them:
/// `<dir>/conf`, then the regular files of `<dir>/conf.d` in name order,
/// names with `~` skipped.
pub(super) fn config_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut names: Vec<_> = std::fs::read_dir(dir.join("conf.d"))
        .map(|it| {
            it.flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| e.file_name())
                .filter(|n| !n.to_string_lossy().contains('~'))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut files = vec![dir.join("conf")];
    files.extend(names.into_iter().map(|n| dir.join("conf.d").join(n)));
    files
}

/// What `<dir>/conf` and `<dir>/conf.d/*` set, in order; an error when
/// `<dir>/conf` cannot be read or parsed. As in lws, a `conf.d` file that
/// fails stops the walk (it is reported, the rest is skipped) without
/// failing the whole.
pub fn read_globals(dir: &Path) -> Result<(Vec<Global>, Vec<ConfError>), ConfError> {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for (k, f) in config_files(dir).into_iter().enumerate() {
        match read_file(&f, &mut found) {
            Ok(()) => {}
            Err(e) if k == 0 => return Err(e),
            Err(e) => {
                problems.push(e);
                break;
            }
        }
    }
    Ok((found, problems))
}

#[cfg(test)]
#[allow(clippy::expect_used, reason = "tests")]
mod tests {
    use super::*;

    fn dir_with(files: &[(&str, &str)]) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!(
            "lws-rs-lwsws-{}-{}",
            std::process::id(),
            files.len()
        ));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("conf.d")).expect("test dir");
        for (name, text) in files {
            std::fs::write(d.join(name), text).expect("test file");
        }
        d
    }

    #[test]
    fn globals_from_conf_then_conf_d_in_name_order() {
        let d = dir_with(&[
            (
                "conf",
                r#"{"global": {"uid": "48", "gid": 49, "username": "apache",
                   "init-ssl": "yes", "server-string": "myserver",
                   "reject-service-keywords": [{"scumbot": "404 Not Found"}],
                   "timeout-secs": "7", "rlimit-nofile": "-1"}}"#,
            ),
            ("conf.d/b", r#"{"global": {"default-alpn": "h2"}}"#),
            ("conf.d/a", r#"{"global": {"count-threads": "2"}}"#),
            ("conf.d/c~", r#"{"global": {"uid": "1"}}"#),
        ]);
        let (found, problems) = read_globals(&d).expect("readable conf");
        assert!(problems.is_empty());
        assert_eq!(
            found,
            [
                Global::Uid(48),
                Global::Gid(49),
                Global::Username(b"apache".to_vec()),
                Global::InitSsl,
                Global::ServerString(b"myserver".to_vec()),
                Global::RejectKeyword {
                    name: b"scumbot".to_vec(),
                    value: b"404 Not Found".to_vec()
                },
                Global::TimeoutSecs(7),
                Global::RlimitNofile(-1),
                Global::CountThreads(2),
                Global::DefaultAlpn(b"h2".to_vec()),
            ]
        );
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn a_missing_or_broken_conf_fails_a_broken_conf_d_file_stops_the_walk() {
        let d = dir_with(&[]);
        assert!(matches!(read_globals(&d), Err(ConfError::Open(_))));
        std::fs::write(d.join("conf"), "{\"global\": {\"uid\": }").expect("test file");
        assert!(matches!(read_globals(&d), Err(ConfError::Parse { .. })));
        std::fs::write(d.join("conf"), "{\"global\": {\"uid\": 5}}").expect("test file");
        std::fs::write(d.join("conf.d/1"), "{\"global\": [}").expect("test file");
        std::fs::write(d.join("conf.d/2"), "{\"global\": {\"gid\": 6}}").expect("test file");
        let (found, problems) = read_globals(&d).expect("readable conf");
        assert_eq!(found, [Global::Uid(5)]);
        assert_eq!(problems.len(), 1);
        let _ = std::fs::remove_dir_all(&d);
    }
}
