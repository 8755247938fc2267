//! The heap cache level (`lws_cache_ops_heap`): items kept in memory in LRU
//! order, evicted past the level's item-count or footprint limit, destroyed
//! when their expiry time passes (the handle's sul runs [`Heap::expire`]).
//! Destroyed payloads are kept in [`Heap::take_destroyed`] until the handle
//! has shown them to the user's destroy callback.
#![forbid(unsafe_code)]

use std::collections::VecDeque;

use super::{Match, Rules, META};
use crate::log::level;
use crate::lwsl;

/// The creation info's limits (0: none).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Limits {
    pub max_footprint: usize,
    pub max_items: usize,
}

struct Item {
    key: Vec<u8>,
    /// The payload and one NUL after it.
    payload: Box<[u8]>,
    /// 0, or when it expires (µs).
    expiry: i64,
}

impl Item {
    fn size(&self) -> usize {
        self.payload.len() - 1
    }
    fn is_meta(&self) -> bool {
        self.key.first() == Some(&META)
    }
}

/// The items, most recently used first.
pub struct Heap {
    items: VecDeque<Item>,
    limits: Limits,
    footprint: u64,
    destroyed: Vec<Box<[u8]>>,
}

impl Heap {
    pub fn new(limits: Limits) -> Self {
        Self {
            items: VecDeque::new(),
            limits,
            footprint: 0,
            destroyed: Vec::new(),
        }
    }

    /// Payload bytes held.
    pub fn footprint(&self) -> u64 {
        self.footprint
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Payloads destroyed since the last call (with their trailing NUL).
    pub fn take_destroyed(&mut self) -> Vec<Box<[u8]>> {
        std::mem::take(&mut self.destroyed)
    }

    fn destroy_at(&mut self, at: usize) {
        if let Some(it) = self.items.remove(at) {
            self.footprint -= it.size() as u64;
            self.destroyed.push(it.payload);
        }
    }

    /// Destroys the kept lookup results that `key` would be part of, under the
    /// backing level's `rules` (and any kept under exactly `key`).
    fn drop_results_covering(&mut self, key: &[u8], rules: Rules) {
        if key.first() == Some(&META) {
            return;
        }
        let mut i = 0;
        while i < self.items.len() {
            let it = &self.items[i];
            if it.is_meta() && (&it.key[1..] == key || rules.matches(&it.key[1..], key, true)) {
                self.destroy_at(i);
            } else {
                i += 1;
            }
        }
    }

    /// The item's payload, now most recently used.
    pub fn get(&mut self, key: &[u8]) -> Option<&mut [u8]> {
        let at = self.items.iter().position(|i| i.key == key)?;
        let it = self.items.remove(at)?;
        self.items.push_front(it);
        let it = self.items.front_mut()?;
        let n = it.size();
        Some(&mut it.payload[..n])
    }

    /// Removes `key` and the kept lookup results that listed it.
    pub fn invalidate(&mut self, key: &[u8], rules: Rules) {
        let Some(at) = self.items.iter().position(|i| i.key == key) else {
            return;
        };
        let is_meta = self.items[at].is_meta();
        self.destroy_at(at);
        if !is_meta {
            self.drop_results_covering(key, rules);
        }
    }

    /// Stores `size` bytes (from `source`, or zeroes to fill in) under `key`,
    /// replacing any item of that key, evicting least recently used items to
    /// keep within the limits (one item bigger than the limits is still kept).
    pub fn write(
        &mut self,
        key: &[u8],
        source: Option<&[u8]>,
        size: usize,
        expiry: i64,
        rules: Rules,
    ) -> &mut [u8] {
        self.drop_results_covering(key, rules);
        self.invalidate(key, rules);
        while !self.items.is_empty()
            && ((self.limits.max_footprint != 0
                && self.footprint + size as u64 > self.limits.max_footprint as u64)
                || (self.limits.max_items != 0 && self.items.len() + 1 > self.limits.max_items))
        {
            self.destroy_at(self.items.len() - 1);
        }
        let mut payload = vec![0u8; size + 1].into_boxed_slice();
        if let Some(src) = source {
            let n = src.len().min(size);
            payload[..n].copy_from_slice(&src[..n]);
        }
        self.footprint += size as u64;
        self.items.push_front(Item {
            key: key.to_vec(),
            payload,
            expiry,
        });
        let it = &mut self.items[0];
        &mut it.payload[..size]
    }

    /// Adds a match for every item whose key `wildcard` matches and that the
    /// results do not list yet, most recently used first.
    pub fn lookup(&self, wildcard: &[u8], results: &mut Vec<Match>) {
        for it in &self.items {
            if Rules::Wildcard.matches(wildcard, &it.key, true)
                && !results.iter().any(|m| m.tag == it.key)
            {
                results.push(Match {
                    tag: it.key.clone(),
                    payload_size: it.size(),
                    expiry: it.expiry,
                });
            }
        }
    }

    /// Destroys every item whose expiry is at or before `now`.
    pub fn expire(&mut self, now: i64) {
        let mut i = 0;
        while i < self.items.len() {
            let e = self.items[i].expiry;
            if e != 0 && e <= now {
                self.destroy_at(i);
            } else {
                i += 1;
            }
        }
    }

    /// The earliest expiry of any item.
    pub fn next_expiry(&self) -> Option<i64> {
        self.items
            .iter()
            .map(|i| i.expiry)
            .filter(|&e| e != 0)
            .min()
    }

    /// Destroys every item.
    pub fn expunge(&mut self) {
        while !self.items.is_empty() {
            self.destroy_at(0);
        }
    }

    pub fn debug_dump(&self, name: &str) {
        lwsl!(
            level::DEBUG,
            "lws_cache_heap_debug_dump: {name}: items {}, earliest {}",
            self.items.len(),
            self.next_expiry().unwrap_or(0)
        );
        for it in &self.items {
            lwsl!(
                level::DEBUG,
                "  {}: size {}, exp {}",
                String::from_utf8_lossy(&it.key),
                it.size(),
                it.expiry
            );
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    const W: Rules = Rules::Wildcard;

    #[test]
    fn items_expire_at_their_time() {
        let mut h = Heap::new(Limits::default());
        h.write(b"a", Some(b"is_a\0"), 5, 100, W);
        h.write(b"b", Some(b"is_b\0"), 5, 200, W);
        h.write(b"c", Some(b"c"), 1, 0, W);
        assert_eq!(h.next_expiry(), Some(100));
        h.expire(150);
        assert!(h.get(b"a").is_none());
        assert_eq!(h.get(b"b").map(|p| p.to_vec()), Some(b"is_b\0".to_vec()));
        assert_eq!(h.next_expiry(), Some(200));
        assert_eq!(h.take_destroyed().len(), 1);
        assert_eq!(h.footprint(), 6);
    }

    #[test]
    fn limits_evict_least_recently_used() {
        let mut h = Heap::new(Limits {
            max_footprint: 0,
            max_items: 2,
        });
        h.write(b"a", Some(b"1"), 1, 0, W);
        h.write(b"b", Some(b"2"), 1, 0, W);
        assert!(h.get(b"a").is_some());
        h.write(b"c", Some(b"3"), 1, 0, W);
        assert!(h.get(b"b").is_none());
        assert!(h.get(b"a").is_some() && h.get(b"c").is_some());

        let mut h = Heap::new(Limits {
            max_footprint: 4,
            max_items: 0,
        });
        h.write(b"a", Some(b"12"), 2, 0, W);
        h.write(b"b", Some(b"34"), 2, 0, W);
        h.write(b"c", Some(b"5"), 1, 0, W);
        assert!(h.get(b"a").is_none());
        assert_eq!(h.footprint(), 3);
        // one item over the limit is still kept
        h.write(b"big", Some(b"123456"), 6, 0, W);
        assert_eq!(h.len(), 1);
        assert_eq!(h.footprint(), 6);
    }

    #[test]
    fn rewrite_replaces_and_zero_fills() {
        let mut h = Heap::new(Limits::default());
        h.write(b"k", Some(b"old"), 3, 0, W);
        let p = h.write(b"k", None, 4, 0, W);
        assert_eq!(p, &[0, 0, 0, 0]);
        p.copy_from_slice(b"new!");
        assert_eq!(h.len(), 1);
        assert_eq!(h.get(b"k").map(|p| p.to_vec()), Some(b"new!".to_vec()));
        assert_eq!(h.footprint(), 4);
    }

    #[test]
    fn lookup_lists_each_key_once_newest_first() {
        let mut h = Heap::new(Limits::default());
        h.write(b"ka", Some(b"1"), 1, 0, W);
        h.write(b"kb", Some(b"22"), 2, 7, W);
        let mut r = vec![Match {
            tag: b"ka".to_vec(),
            payload_size: 1,
            expiry: 0,
        }];
        h.lookup(b"k*", &mut r);
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].tag, b"kb");
        assert_eq!((r[1].payload_size, r[1].expiry), (2, 7));
    }
}
