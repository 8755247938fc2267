//! The netscape cookie jar cache level (`lws_cache_ops_nscookiejar`): items
//! are the lines of a `cookies.txt` file (tab-separated host, subdomains flag,
//! path, secure flag, expiry in seconds, name, value), tagged
//! `host|path|name`. The file is device-wide and other processes may replace
//! it, so it is read afresh for every operation and rewritten whole (via
//! `<file>.tmp`, renamed over it) under a `<file>.LCK` lock file, as lws does;
//! every rewrite drops expired and unparseable lines.
#![forbid(unsafe_code)]

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{Failed, Match, SEP};
use crate::log::level;
use crate::lwsl;
use crate::text::strings::strcmp_wildcard;

/// The first line every rewrite starts with (other consumers insist on it).
pub const HEADER: &[u8] = b"# Netscape HTTP Cookie File\n";

const COL_HOST: usize = 0;
const COL_PATH: usize = 2;
const COL_EXPIRY: usize = 4;
const COL_NAME: usize = 5;

/// lws's tag buffer sizes: lookups and gets, rewrites, writes.
const TAG_LOOKUP: usize = 200;
const TAG_REGEN: usize = 256;
const TAG_WRITE: usize = 128;

/// Lock attempts, 100 ms apart.
const LOCK_TRIES: usize = 51;

/// `atoll`: optional blanks and sign, then digits.
fn atoll(s: &[u8]) -> i64 {
    let mut i = 0;
    while i < s.len() && (s[i] == b' ' || (b'\t'..=b'\r').contains(&s[i])) {
        i += 1;
    }
    let neg = s.get(i) == Some(&b'-');
    if matches!(s.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    let mut v: i64 = 0;
    while let Some(d) = s.get(i).filter(|c| c.is_ascii_digit()) {
        v = v.wrapping_mul(10).wrapping_add(i64::from(d - b'0'));
        i += 1;
    }
    if neg {
        v.wrapping_neg()
    } else {
        v
    }
}

/// The `host|path|name` tag of a cookie line and its expiry in µs, as lws's
/// `nsc_line_to_tag` makes them (columns cut at 63 bytes; None when the line is
/// under 3 bytes or the tag would not fit `max_tag` with its NUL).
pub fn line_to_tag(line: &[u8], max_tag: usize) -> Option<(Vec<u8>, i64)> {
    if line.len() < 3 {
        return None;
    }
    let mut tag = Vec::new();
    let mut expiry = 0i64;
    let (mut bn, mut idx) = (0usize, 0usize);
    while bn < line.len() && idx <= COL_NAME {
        let start = bn;
        while bn < line.len() && bn - start < 63 && line[bn] != b'\t' {
            bn += 1;
        }
        let col = &line[start..bn];
        if line.get(bn) == Some(&b'\t') {
            bn += 1;
        }
        match idx {
            COL_EXPIRY => expiry = atoll(col).wrapping_mul(1_000_000),
            COL_HOST | COL_PATH | COL_NAME => {
                if tag.len() + col.len() + 2 > max_tag {
                    return None;
                }
                if !tag.is_empty() {
                    tag.push(SEP);
                }
                tag.extend_from_slice(col);
            }
            _ => {}
        }
        idx += 1;
    }
    Some((tag, expiry))
}

/// C `strncmp(a, b, n) == 0` over byte strings that end in an implied NUL.
fn strncmp_eq(a: &[u8], b: &[u8], n: usize) -> bool {
    for i in 0..n {
        let (x, y) = (
            a.get(i).copied().unwrap_or(0),
            b.get(i).copied().unwrap_or(0),
        );
        if x != y {
            return false;
        }
        if x == 0 {
            return true;
        }
    }
    true
}

/// lws's cookie path scoping (`nsc_match` on the path column): looking up
/// `/my/path` matches cookies for `/`, `/my` and `/my/path`, not `/m` or
/// `/my/pa`. As in lws the comparisons run on the rest of both strings from
/// the path on (`wc` and `col`), the parts being their first `wc_len` and
/// `col_len` bytes.
fn path_match(wc: &[u8], wc_len: usize, col: &[u8], col_len: usize) -> bool {
    if col == wc {
        return true;
    }
    for n in 0..=wc_len {
        if n == wc_len || wc[n] == b'/' {
            if n != 0 && col_len <= n && strncmp_eq(wc, col, n) {
                return true;
            }
            if n != wc_len && col_len <= n + 1 && strncmp_eq(wc, col, n + 1) {
                return true;
            }
        }
    }
    false
}

/// `lws_cache_nscookiejar_tag_match`: true when `tag` (`host|path|name`)
/// matches `wc`, part by part, with cookie path scoping when `lookup`.
pub fn tag_match(wc: &[u8], tag: &[u8], lookup: bool) -> bool {
    let (mut w, mut t) = (0usize, 0usize);
    for n in 0..3 {
        let (ws, ts) = (w, t);
        while w < wc.len() && wc[w] != SEP {
            w += 1;
        }
        while t < tag.len() && tag[t] != SEP {
            t += 1;
        }
        let hit = if lookup && n == 1 {
            path_match(&wc[ws..], w - ws, &tag[ts..], t - ts)
        } else {
            strcmp_wildcard(&wc[ws..w], &tag[ts..t]) == 0
        };
        if !hit {
            return false;
        }
        if w < wc.len() {
            w += 1;
        }
        if t < tag.len() {
            t += 1;
        }
    }
    true
}

/// The lines of a cookie file that are not comments.
fn lines(content: &[u8]) -> impl Iterator<Item = &[u8]> {
    let body = content.strip_suffix(b"\n").unwrap_or(content);
    body.split(|&c| c == b'\n')
        .filter(move |l| !(content.is_empty() || l.first() == Some(&b'#')))
}

/// A held `<file>.LCK`; removed on drop.
struct Lock(PathBuf);

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

/// The cookie jar level.
pub struct Jar {
    path: PathBuf,
    earliest: i64,
    footprint: u64,
    /// What a get or a lookup on a jar used as its own L1 returned.
    scratch: Vec<u8>,
}

impl Jar {
    /// A jar over `path`. Call [`Jar::regen`] once to clean the file (lws does
    /// at creation).
    pub fn new(path: PathBuf) -> Self {
        Self {
            path,
            earliest: 0,
            footprint: 0,
            scratch: Vec::new(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Bytes of cookie lines kept at the last rewrite.
    pub fn footprint(&self) -> u64 {
        self.footprint
    }

    /// The earliest expiry seen at the last rewrite.
    pub fn next_expiry(&self) -> Option<i64> {
        (self.earliest != 0).then_some(self.earliest)
    }

    fn with_suffix(&self, suffix: &str) -> PathBuf {
        let mut p = self.path.as_os_str().to_owned();
        p.push(suffix);
        PathBuf::from(p)
    }

    fn lock(&self) -> Result<Lock, Failed> {
        let lock = self.with_suffix(".LCK");
        for attempt in 0..LOCK_TRIES {
            match OpenOptions::new().write(true).create_new(true).open(&lock) {
                Ok(_) => return Ok(Lock(lock)),
                Err(e) if attempt + 1 == LOCK_TRIES => {
                    lwsl!(
                        level::WARN,
                        "nsc_backing_open_lock: unable to lock {}: errno {}",
                        lock.display(),
                        e.raw_os_error().unwrap_or(0)
                    );
                }
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
        Err(Failed(format!("unable to lock {}", lock.display())))
    }

    /// Locks and reads the file, creating it empty when missing.
    fn read_locked(&self) -> Result<(Lock, Vec<u8>), Failed> {
        let lock = self.lock()?;
        let opened = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&self.path)
            .and_then(|mut f| {
                let mut v = Vec::new();
                std::io::Read::read_to_end(&mut f, &mut v).map(|_| v)
            });
        match opened {
            Ok(v) => Ok((lock, v)),
            Err(_) => {
                lwsl!(
                    level::WARN,
                    "nsc_backing_open_lock: unable to open or create {}",
                    self.path.display()
                );
                Err(Failed(format!("unable to open {}", self.path.display())))
            }
        }
    }

    /// Rewrites the file: `add` first (when given), then every line kept from
    /// the old file, dropping expired ones, unparseable ones and those whose tag
    /// `delete` matches (plain wildcard rules).
    pub fn regen(
        &mut self,
        now: i64,
        delete: Option<&[u8]>,
        add: Option<&[u8]>,
    ) -> Result<(), Failed> {
        let (_lock, content) = self.read_locked()?;
        let mut out = HEADER.to_vec();
        if let Some(a) = add {
            out.extend_from_slice(a);
            out.push(b'\n');
        }
        let (mut footprint, mut earliest) = (0u64, 0i64);
        for line in lines(&content) {
            let Some((tag, expiry)) = line_to_tag(line, TAG_REGEN) else {
                continue;
            };
            if expiry != 0 && expiry < now {
                continue;
            }
            if delete.is_some_and(|wc| tag_match(wc, &tag, false)) {
                continue;
            }
            if expiry != 0 && (earliest == 0 || expiry < earliest) {
                earliest = expiry;
            }
            footprint += line.len() as u64;
            out.extend_from_slice(line);
            out.push(b'\n');
        }
        let tmp = self.with_suffix(".tmp");
        let _ = fs::remove_file(&tmp);
        let written = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .and_then(|mut f| f.write_all(&out));
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(Failed(format!("writing {}: {e}", tmp.display())));
        }
        if let Err(e) = fs::rename(&tmp, &self.path) {
            let _ = fs::remove_file(&tmp);
            lwsl!(
                level::INFO,
                "nsc_regen: rename {} failed",
                self.path.display()
            );
            return Err(Failed(format!("rename {}: {e}", self.path.display())));
        }
        self.footprint = footprint;
        self.earliest = earliest;
        Ok(())
    }

    /// Stores a cookie line (its tag comes from the line, replacing any line of
    /// the same tag).
    pub fn write(&mut self, now: i64, line: &[u8]) -> Result<(), Failed> {
        let Some((tag, _)) = line_to_tag(line, TAG_WRITE) else {
            return Err(Failed("payload is not a cookie line".into()));
        };
        self.regen(now, Some(&tag), Some(line)).inspect_err(|_| {
            lwsl!(level::ERR, "lws_cache_nscookiejar_write: regen failed");
        })
    }

    /// The line tagged exactly `key` and its expiry.
    pub fn get(&self, key: &[u8]) -> Option<(Vec<u8>, i64)> {
        let (_lock, content) = self.read_locked().ok()?;
        for line in lines(&content) {
            match line_to_tag(line, TAG_LOOKUP) {
                Some((tag, expiry)) if tag == key => return Some((line.to_vec(), expiry)),
                Some(_) => {}
                None => lwsl!(level::ERR, "nsc_get_cb: can't get tag"),
            }
        }
        None
    }

    /// Adds a match for every line whose tag `wildcard` matches under lookup
    /// rules, in file order.
    pub fn lookup(&self, wildcard: &[u8], results: &mut Vec<Match>) -> Result<(), Failed> {
        let (_lock, content) = self.read_locked()?;
        for line in lines(&content) {
            if let Some((tag, expiry)) = line_to_tag(line, TAG_LOOKUP) {
                if tag_match(wildcard, &tag, true) {
                    results.push(Match {
                        tag,
                        payload_size: line.len(),
                        expiry,
                    });
                }
            }
        }
        Ok(())
    }

    /// Keeps `data` as the answer of a get or lookup made on this level itself.
    pub fn keep(&mut self, data: Vec<u8>) -> &[u8] {
        self.scratch = data;
        &self.scratch
    }

    /// The last answer kept by [`Jar::keep`].
    pub fn scratch(&self) -> &[u8] {
        &self.scratch
    }

    /// Deletes the file.
    pub fn expunge(&mut self) -> Result<(), Failed> {
        fs::remove_file(&self.path).map_err(|e| {
            lwsl!(
                level::WARN,
                "lws_cache_nscookiejar_expunge: failed to unlink {}",
                self.path.display()
            );
            Failed(format!("unlink {}: {e}", self.path.display()))
        })
    }

    pub fn debug_dump(&self, name: &str) {
        let Ok((_lock, content)) = self.read_locked() else {
            return;
        };
        lwsl!(level::DEBUG, "lws_cache_nscookiejar_debug_dump: {name}");
        for line in lines(&content) {
            lwsl!(level::DEBUG, "  {}", String::from_utf8_lossy(line));
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    const C1: &[u8] = b"host.com\tFALSE\t/\tTRUE\t4000000000\tmycookie\tmycookievalue";

    #[test]
    fn lines_become_tags() {
        assert_eq!(
            line_to_tag(C1, 200),
            Some((b"host.com|/|mycookie".to_vec(), 4_000_000_000_000_000))
        );
        assert_eq!(line_to_tag(b"ab", 200), None);
        assert_eq!(line_to_tag(C1, 12), None);
    }

    #[test]
    fn cookie_paths_scope_lookups() {
        let look = |wc: &str, tag: &str| tag_match(wc.as_bytes(), tag.as_bytes(), true);
        assert!(look("h|/|*", "h|/|n"));
        assert!(look("h|/xxx|*", "h|/xxx|n"));
        assert!(look("h|/my/path|*", "h|/my|n"));
        assert!(!look("h|/my/path|*", "h|/m|n"));
        assert!(!look("h|/my/path|*", "h|/my/pa|n"));
        assert!(!look("h|/|*", "h|/xxx|n"));
        assert!(!look("h|/yy|*", "h|/yyy|n"));
        assert!(look("h|/yyy|*", "h|/yyy|n"));
        assert!(tag_match(b"host.com|/xxx|*", b"host.com|/|mycookie", true));
        assert!(!tag_match(
            b"host.com|/xxx|*",
            b"host.com|/|mycookie",
            false
        ));
        assert!(tag_match(
            b"host.com|/|mycookie",
            b"host.com|/|mycookie",
            false
        ));
        assert!(!tag_match(b"other.com|/|*", b"host.com|/|mycookie", true));
    }

    #[test]
    fn the_file_is_rewritten_with_expired_and_deleted_lines_dropped() {
        let dir = std::env::temp_dir().join(format!("lws-rs-jar-{}", std::process::id()));
        let _ = fs::create_dir_all(&dir);
        let path = dir.join("cookies.txt");
        fs::write(
            &path,
            b"# Netscape HTTP Cookie File\nhost.com\tFALSE\t/\tFALSE\t1234\told\tv\nx\n",
        )
        .unwrap();
        let mut j = Jar::new(path.clone());
        let now = 2_000_000_000;
        j.regen(now, None, None).unwrap();
        assert_eq!(fs::read(&path).unwrap(), HEADER);
        j.write(now, C1).unwrap();
        let c3 = b"host.com\tFALSE\t/\tTRUE\t4000000000\textra\tv3";
        j.write(now, c3).unwrap();
        assert_eq!(
            j.get(b"host.com|/|mycookie").map(|g| g.0),
            Some(C1.to_vec())
        );
        let mut r = Vec::new();
        j.lookup(b"host.com|/|*", &mut r).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].tag, b"host.com|/|extra");
        j.regen(now, Some(b"host.com|/|mycookie"), None).unwrap();
        assert_eq!(j.get(b"host.com|/|mycookie"), None);
        assert_eq!(j.footprint(), c3.len() as u64);
        assert_eq!(j.next_expiry(), Some(4_000_000_000_000_000));
        j.expunge().unwrap();
        assert!(!path.exists());
        let _ = fs::remove_dir_all(&dir);
    }
}
