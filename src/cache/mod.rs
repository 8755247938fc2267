//! `lws_cache`: lws's TTL / LRU cache levels (lws-cache-ttl.h). A cache is a
//! chain of levels, L1 (usually the heap store) first, each with an optional
//! parent behind it (the heap store again, or the netscape cookie jar file).
//! Writes go through every level from the outermost; reads try L1 first and a
//! hit in the cookie jar is copied into L1. Wildcard lookups are answered by
//! the outermost level and their results kept in L1 under a synthetic `!`
//! key, in lws's results format ([`serialize_results`], walked with
//! [`walk_results`]), until a write or removal that they would cover.
//!
//! The chain functions take the levels as one slice, L1 first, and the index
//! of the level the call was made on; the handles live in `ffi::cache`.
#![forbid(unsafe_code)]

pub mod cookiejar;
pub mod heap;

use crate::text::strings::strcmp_wildcard;

pub use cookiejar::Jar;
pub use heap::Heap;

/// Synthetic lookup-result items have keys starting with this.
pub const META: u8 = b'!';
/// Separator inside structured tags (`host|path|name`).
pub const SEP: u8 = b'|';
/// lws's limit on chained levels.
pub const MAX_LEVELS: usize = 3;

/// One key found by a wildcard lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub tag: Vec<u8>,
    /// What a get of this tag would return, in bytes.
    pub payload_size: usize,
    /// 0, or when the item expires (µs).
    pub expiry: i64,
}

/// How a level matches tags against a wildcard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rules {
    /// `lws_strcmp_wildcard` on the whole tag.
    Wildcard,
    /// The cookie jar's `host|path|name` rules (cookie path scoping on lookups).
    Cookie,
}

impl Rules {
    /// Whether `tag` matches `wc` (`lookup`: with lookup rules).
    pub fn matches(self, wc: &[u8], tag: &[u8], lookup: bool) -> bool {
        match self {
            Self::Wildcard => strcmp_wildcard(wc, tag) == 0,
            Self::Cookie => cookiejar::tag_match(wc, tag, lookup),
        }
    }
}

/// One level of a cache.
pub enum Store {
    Heap(Heap),
    Jar(Jar),
}

/// A refused or failed cache operation (lws returns 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed(pub String);

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Store {
    pub fn rules(&self) -> Rules {
        match self {
            Self::Heap(_) => Rules::Wildcard,
            Self::Jar(_) => Rules::Cookie,
        }
    }

    /// `lws_cache_footprint`.
    pub fn footprint(&self) -> u64 {
        match self {
            Self::Heap(h) => h.footprint(),
            Self::Jar(j) => j.footprint(),
        }
    }

    /// When this level next needs its expiry pass, if ever.
    pub fn next_expiry(&self) -> Option<i64> {
        match self {
            Self::Heap(h) => h.next_expiry(),
            Self::Jar(j) => j.next_expiry(),
        }
    }

    /// The expiry pass (the level's sul fired).
    pub fn expire(&mut self, now: i64) {
        match self {
            Self::Heap(h) => h.expire(now),
            Self::Jar(j) => {
                let _ = j.regen(now, None, None);
            }
        }
    }

    /// Logs the level's contents (debug level).
    pub fn debug_dump(&self, name: &str) {
        match self {
            Self::Heap(h) => h.debug_dump(name),
            Self::Jar(j) => j.debug_dump(name),
        }
    }
}

/// The rules of the level behind `levels[i]` (its own when it has none).
fn backing_rules(levels: &[&mut Store], i: usize) -> Rules {
    levels.get(i + 1).unwrap_or(&levels[i]).rules()
}

/// `lws_cache_item_remove`: removes `key` from every level from `at` out;
/// stops with a failure at the first level that fails.
pub fn item_remove(
    levels: &mut [&mut Store],
    at: usize,
    now: i64,
    key: &[u8],
) -> Result<(), Failed> {
    for i in at..levels.len() {
        invalidate_level(levels, i, now, key)?;
    }
    Ok(())
}

/// A store's own write (`ops->write`) into level `i`; the payload's place
/// when the level keeps it.
pub fn write_level<'a>(
    levels: &'a mut [&mut Store],
    i: usize,
    now: i64,
    key: &[u8],
    source: Option<&[u8]>,
    size: usize,
    expiry: i64,
) -> Result<Option<&'a mut [u8]>, Failed> {
    let rules = backing_rules(levels, i);
    match &mut *levels[i] {
        Store::Heap(h) => Ok(Some(h.write(key, source, size, expiry, rules))),
        Store::Jar(j) => {
            let line = source.ok_or_else(|| Failed("a cookie jar write needs a payload".into()))?;
            j.write(now, line)?;
            Ok(None)
        }
    }
}

/// `lws_cache_write_through`: removes `key` everywhere from `at` out, then
/// writes it into every level from the outermost in. Gives the payload's place
/// in level `at` (to fill when `source` is None).
pub fn write_through<'a>(
    levels: &'a mut [&mut Store],
    at: usize,
    now: i64,
    key: &[u8],
    source: Option<&[u8]>,
    size: usize,
    expiry: i64,
) -> Result<Option<&'a mut [u8]>, Failed> {
    let _ = item_remove(levels, at, now, key);
    for i in (at + 1..levels.len()).rev() {
        write_level(levels, i, now, key, source, size, expiry)?;
    }
    write_level(levels, at, now, key, source, size, expiry)
}

/// Where a get found its payload.
#[derive(Debug, Clone, Copy)]
enum Found {
    Heap(usize),
    Scratch(usize),
}

/// Looks `key` up in level `i` alone; a hit in a cookie jar is copied into L1
/// (`levels[0]`), or kept in the jar's scratch copy when it is its own L1.
fn find_level(levels: &mut [&mut Store], i: usize, key: &[u8]) -> Option<Found> {
    let (line, expiry) = match &mut *levels[i] {
        Store::Heap(h) => return h.get(key).map(|_| Found::Heap(i)),
        Store::Jar(j) => j.get(key)?,
    };
    let rules = backing_rules(levels, 0);
    match &mut *levels[0] {
        Store::Heap(h) => {
            h.write(key, Some(&line), line.len(), expiry, rules);
            Some(Found::Heap(0))
        }
        Store::Jar(j) => {
            j.keep(line);
            Some(Found::Scratch(0))
        }
    }
}

fn payload<'a>(levels: &'a mut [&mut Store], f: Found, key: &[u8]) -> Option<&'a [u8]> {
    match f {
        Found::Heap(i) => match &mut *levels[i] {
            Store::Heap(h) => h.get(key).map(|p| &*p),
            Store::Jar(_) => None,
        },
        Found::Scratch(i) => match &*levels[i] {
            Store::Jar(j) => Some(j.scratch()),
            Store::Heap(_) => None,
        },
    }
}

/// A store's own get (`ops->get`): level `i` alone, a cookie jar hit copied
/// into L1 and returned from there.
pub fn get_level<'a>(levels: &'a mut [&mut Store], i: usize, key: &[u8]) -> Option<&'a [u8]> {
    let f = find_level(levels, i, key)?;
    payload(levels, f, key)
}

/// `lws_cache_item_get`: the first level from `at` out that has `key`.
pub fn item_get<'a>(levels: &'a mut [&mut Store], at: usize, key: &[u8]) -> Option<&'a [u8]> {
    let f = (at..levels.len()).find_map(|i| find_level(levels, i, key))?;
    payload(levels, f, key)
}

/// A store's own invalidate (`ops->invalidate`) on level `i`.
pub fn invalidate_level(
    levels: &mut [&mut Store],
    i: usize,
    now: i64,
    key: &[u8],
) -> Result<(), Failed> {
    let rules = backing_rules(levels, i);
    match &mut *levels[i] {
        Store::Heap(h) => {
            h.invalidate(key, rules);
            Ok(())
        }
        Store::Jar(j) => j.regen(now, Some(key), None),
    }
}

/// The L1 key under which the results of a wildcard lookup are kept (lws
/// copies at most 125 bytes of the wildcard).
pub fn meta_key(wildcard: &[u8]) -> Vec<u8> {
    let mut k = vec![META];
    k.extend_from_slice(&wildcard[..wildcard.len().min(125)]);
    k
}

/// lws's results format: per match, the payload size and the tag length as
/// 32-bit big-endian numbers, then the tag and a NUL.
pub fn serialize_results(matches: &[Match]) -> Vec<u8> {
    let mut out = Vec::new();
    for m in matches {
        out.extend_from_slice(&(m.payload_size as u32).to_be_bytes());
        out.extend_from_slice(&(m.tag.len() as u32).to_be_bytes());
        out.extend_from_slice(&m.tag);
        out.push(0);
    }
    out
}

/// One step of `lws_cache_results_walk` over `blob`: (payload size, tag
/// length, bytes consumed), or None at the end or on a truncated record.
pub fn walk_results(blob: &[u8]) -> Option<(usize, usize, usize)> {
    let head = blob.get(..8)?;
    let pay = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
    let tag = u32::from_be_bytes([head[4], head[5], head[6], head[7]]) as usize;
    let step = 8usize.checked_add(tag)?.checked_add(1)?;
    (step <= blob.len()).then_some((pay, tag, step))
}

/// `lws_cache_lookup`: the results blob for `wildcard`, from level `at` when it
/// holds them already, else computed by the outermost level and kept in `at`
/// with the earliest expiry of the results.
pub fn lookup<'a>(
    levels: &'a mut [&mut Store],
    at: usize,
    wildcard: &[u8],
) -> Result<&'a [u8], Failed> {
    let key = meta_key(wildcard);
    let cached = match &mut *levels[at] {
        Store::Heap(h) => h.get(&key).is_some(),
        Store::Jar(_) => false,
    };
    if !cached {
        let top = levels.len() - 1;
        let mut results = Vec::new();
        match &*levels[top] {
            Store::Heap(h) => h.lookup(wildcard, &mut results),
            Store::Jar(j) => j.lookup(wildcard, &mut results)?,
        }
        let blob = serialize_results(&results);
        let expiry = results
            .iter()
            .map(|m| m.expiry)
            .filter(|&e| e != 0)
            .min()
            .unwrap_or(0);
        let rules = backing_rules(levels, at);
        return Ok(match &mut *levels[at] {
            Store::Heap(h) => &*h.write(&key, Some(&blob), blob.len(), expiry, rules),
            Store::Jar(j) => j.keep(blob),
        });
    }
    match &mut *levels[at] {
        Store::Heap(h) => Ok(h.get(&key).map(|p| &*p).unwrap_or_default()),
        Store::Jar(_) => Err(Failed("unreachable".into())),
    }
}

/// `lws_cache_expunge`: every level from `at` out drops its contents
/// (the cookie jar deletes its file); fails if any level failed.
pub fn expunge(levels: &mut [&mut Store], at: usize) -> Result<(), Failed> {
    let mut r = Ok(());
    for l in levels.iter_mut().skip(at) {
        let step = match &mut **l {
            Store::Heap(h) => {
                h.expunge();
                Ok(())
            }
            Store::Jar(j) => j.expunge(),
        };
        r = r.and(step);
    }
    r
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    fn heap() -> Store {
        Store::Heap(Heap::new(heap::Limits::default()))
    }

    #[test]
    fn results_format_round_trips() {
        let m = [
            Match {
                tag: b"ab".to_vec(),
                payload_size: 7,
                expiry: 0,
            },
            Match {
                tag: b"c".to_vec(),
                payload_size: 0x0102_0304,
                expiry: 0,
            },
        ];
        let blob = serialize_results(&m);
        assert_eq!(blob.len(), 8 + 3 + 8 + 2);
        assert_eq!(&blob[..8], &[0, 0, 0, 7, 0, 0, 0, 2]);
        assert_eq!(walk_results(&blob), Some((7, 2, 11)));
        assert_eq!(walk_results(&blob[11..]), Some((0x0102_0304, 1, 10)));
        assert_eq!(walk_results(&blob[21..]), None);
        assert_eq!(walk_results(&blob[11..15]), None);
    }

    #[test]
    fn lookups_are_kept_in_l1_until_a_matching_write() {
        let mut a = heap();
        let mut levels = [&mut a];
        write_through(&mut levels, 0, 1, b"k1", Some(b"v1"), 2, 0).unwrap();
        write_through(&mut levels, 0, 1, b"k2", Some(b"v22"), 3, 0).unwrap();
        write_through(&mut levels, 0, 1, b"x", Some(b"v"), 1, 0).unwrap();
        let blob = lookup(&mut levels, 0, b"k*").unwrap().to_vec();
        assert_eq!(blob.len(), 2 * (8 + 3));
        // kept: a second lookup gives the same bytes
        assert_eq!(lookup(&mut levels, 0, b"k*").unwrap(), &blob[..]);
        // a new matching key invalidates the kept results
        write_through(&mut levels, 0, 1, b"k3", Some(b"v"), 1, 0).unwrap();
        assert_eq!(lookup(&mut levels, 0, b"k*").unwrap().len(), 3 * 11);
        // and so does removing one
        item_remove(&mut levels, 0, 1, b"k1").unwrap();
        assert_eq!(lookup(&mut levels, 0, b"k*").unwrap().len(), 2 * 11);
    }

    #[test]
    fn get_falls_through_to_the_parent_level() {
        let mut l1 = heap();
        let mut l2 = heap();
        {
            let mut levels = [&mut l1, &mut l2];
            write_through(&mut levels, 0, 1, b"k", Some(b"v"), 1, 0).unwrap();
        }
        if let Store::Heap(h) = &mut l1 {
            h.expunge();
        }
        let mut levels = [&mut l1, &mut l2];
        assert_eq!(
            item_get(&mut levels, 0, b"k").map(<[u8]>::to_vec),
            Some(b"v".to_vec())
        );
        assert_eq!(item_get(&mut levels, 0, b"nope"), None);
    }
}
