//! `lws_dir` and its ready-made callbacks (lws-misc.h): listing a directory
//! the way lws does (sorted by name, without `.`, `..` and any name with a
//! `~`), lws's one-star filename filter, and the recursive remove.
#![forbid(unsafe_code)]

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};

use crate::log::level;
use crate::lwsl;

/// `lws_dir_obj_type_t`, with lws's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum Kind {
    Unknown = 0,
    File = 1,
    Dir = 2,
    Link = 3,
    Fifo = 4,
    Socket = 5,
    Char = 6,
    Block = 7,
}

impl Kind {
    /// From lws's number (unknown numbers are `Unknown`).
    pub fn from_raw(n: u32) -> Self {
        [
            Self::Unknown,
            Self::File,
            Self::Dir,
            Self::Link,
            Self::Fifo,
            Self::Socket,
            Self::Char,
            Self::Block,
        ]
        .get(n as usize)
        .copied()
        .unwrap_or(Self::Unknown)
    }

    fn of(t: fs::FileType) -> Self {
        if t.is_dir() {
            Self::Dir
        } else if t.is_file() {
            Self::File
        } else if t.is_symlink() {
            Self::Link
        } else if t.is_fifo() {
            Self::Fifo
        } else if t.is_socket() {
            Self::Socket
        } else if t.is_char_device() {
            Self::Char
        } else if t.is_block_device() {
            Self::Block
        } else {
            Self::Unknown
        }
    }
}

/// One listed object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: OsString,
    pub kind: Kind,
}

/// The objects in `dir`, sorted by name bytes (`alphasort` in the C locale),
/// without `.`, `..` and names containing `~` (lws skips those).
pub fn list(dir: &Path) -> io::Result<Vec<Entry>> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir)? {
        let e = e?;
        let name = e.file_name();
        if name.as_bytes().contains(&b'~') {
            continue;
        }
        let kind = match e.file_type() {
            Ok(t) => Kind::of(t),
            Err(_) => Kind::Unknown,
        };
        out.push(Entry { name, kind });
    }
    out.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
    Ok(out)
}

/// lws's filename filter: literal bytes up to a `*`, after which the rest of
/// the filter must equal the rest of the name at some later point (so
/// `"*.txt"`, `"pre-*.deb"`). A filter without `*` never matches, as in lws.
pub fn glob_matches(name: &[u8], filter: &[u8]) -> bool {
    let mut f = 0;
    for (i, &c) in name.iter().enumerate() {
        if filter.get(f) == Some(&b'*') {
            if name[i..] == filter[f + 1..] {
                return true;
            }
        } else {
            if filter.get(f) != Some(&c) {
                return false;
            }
            f += 1;
        }
    }
    false
}

/// `dirpath/name`, as lws joins them.
pub fn join(dirpath: &Path, name: &OsStr) -> PathBuf {
    let mut p = dirpath.as_os_str().to_owned();
    p.push("/");
    p.push(name);
    PathBuf::from(p)
}

/// What `lws_dir_rm_rf_cb` does with one entry of `dirpath`: a directory that
/// is not a symlink is emptied the same way (through [`list`], so names with a
/// `~` stay, as in lws) and removed, anything else unlinked. Failures are
/// logged warnings, as in lws.
pub fn remove_entry(dirpath: &Path, name: &OsStr, kind: Kind) {
    remove_at(dirpath, name, kind, 0);
}

/// Deepest directory nesting the recursive remove follows.
const MAX_DEPTH: usize = 64;

fn remove_at(dirpath: &Path, name: &OsStr, kind: Kind, depth: usize) {
    let path = join(dirpath, name);
    if kind != Kind::Dir {
        if let Err(e) = fs::remove_file(&path) {
            lwsl!(
                level::WARN,
                "lws_dir_rm_rf_cb: unlink {} failed {} (type {})",
                path.display(),
                e.raw_os_error().unwrap_or(0),
                kind as u32
            );
        }
        return;
    }
    let is_link = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link && depth < MAX_DEPTH {
        match list(&path) {
            Ok(entries) => {
                for e in entries {
                    remove_at(&path, &e.name, e.kind, depth + 1);
                }
            }
            Err(e) => lwsl!(
                level::ERR,
                "Scandir on '{}' failed, errno {}",
                path.display(),
                e.raw_os_error().unwrap_or(0)
            ),
        }
    }
    if let Err(e) = fs::remove_dir(&path) {
        lwsl!(
            level::WARN,
            "lws_dir_rm_rf_cb: rmdir {} failed {}",
            path.display(),
            e.raw_os_error().unwrap_or(0)
        );
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    fn scratch(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("lws-rs-dir-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn glob_is_lws_s() {
        assert!(glob_matches(b"a.txt", b"*.txt"));
        assert!(glob_matches(b"sai-1.deb", b"sai-*.deb"));
        assert!(!glob_matches(b"sai-1.rpm", b"sai-*.deb"));
        assert!(!glob_matches(b"a.txt", b"a.txt"));
        assert!(!glob_matches(b"b.txt", b"a*"));
        // the star may stand for nothing, but the name must reach it
        assert!(glob_matches(b".txt", b"*.txt"));
        assert!(!glob_matches(b"pre-", b"pre-*"));
    }

    #[test]
    fn listing_is_sorted_and_skips_tilde_names() {
        let d = scratch("list");
        fs::write(d.join("b"), b"").unwrap();
        fs::write(d.join("a"), b"").unwrap();
        fs::write(d.join("c~"), b"").unwrap();
        fs::create_dir(d.join("sub")).unwrap();
        let got: Vec<(String, Kind)> = list(&d)
            .unwrap()
            .into_iter()
            .map(|e| (e.name.to_string_lossy().into_owned(), e.kind))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a".into(), Kind::File),
                ("b".into(), Kind::File),
                ("sub".into(), Kind::Dir)
            ]
        );
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn remove_entry_empties_trees_but_not_through_symlinks() {
        let d = scratch("rm");
        let outside = scratch("rm-outside");
        fs::write(outside.join("keep"), b"x").unwrap();
        fs::create_dir_all(d.join("t/u")).unwrap();
        fs::write(d.join("t/u/f"), b"x").unwrap();
        fs::write(d.join("t/g"), b"x").unwrap();
        std::os::unix::fs::symlink(&outside, d.join("t/link")).unwrap();
        remove_entry(&d, OsStr::new("t"), Kind::Dir);
        assert!(!d.join("t").exists());
        assert!(outside.join("keep").exists());
        fs::remove_dir_all(&d).unwrap();
        fs::remove_dir_all(&outside).unwrap();
    }
}
