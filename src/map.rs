//! `lws_map`: a hash table of key/value items whose memory comes from the
//! caller's allocator (lws-map.h). This module holds the table's shape — lws's
//! default hash, the bucket lists and their order — over item tokens; the
//! items' bytes are C memory and stay in `ffi::map`.
#![forbid(unsafe_code)]

/// lws's default number of buckets (`modulo` 0).
pub const DEFAULT_MODULO: usize = 8;

/// `lws_map_hash_from_key_default`: lws's flat-enough hash.
pub fn default_hash(key: &[u8]) -> u32 {
    key.iter().fold(0x1234_5678u32, |h, &b| {
        (h.rotate_left(7).wrapping_add(0xa1b2_c3d4) ^ u32::from(b)) ^ h
    })
}

/// The default key compare: equal length and bytes.
pub fn default_equal(a: &[u8], b: &[u8]) -> bool {
    a == b
}

/// The bucket lists; each lists its items newest first, as lws adds at the head.
pub struct Buckets<T> {
    lists: Vec<Vec<T>>,
}

impl<T: Copy + PartialEq> Buckets<T> {
    /// `modulo` buckets (0: [`DEFAULT_MODULO`]).
    pub fn new(modulo: usize) -> Self {
        let n = if modulo == 0 { DEFAULT_MODULO } else { modulo };
        Self {
            lists: (0..n).map(|_| Vec::new()).collect(),
        }
    }

    pub fn modulo(&self) -> usize {
        self.lists.len()
    }

    /// The bucket a hash falls in.
    pub fn bucket_of(&self, hash: u32) -> usize {
        hash as usize % self.lists.len()
    }

    /// Adds `item` at the head of bucket `b`.
    pub fn insert(&mut self, b: usize, item: T) {
        self.lists[b].push(item);
    }

    /// Takes `item` off bucket `b`; false when it is not there.
    pub fn remove(&mut self, b: usize, item: T) -> bool {
        let list = &mut self.lists[b];
        match list.iter().position(|&i| i == item) {
            Some(at) => {
                list.remove(at);
                true
            }
            None => false,
        }
    }

    /// Bucket `b`'s items, newest first.
    pub fn candidates(&self, b: usize) -> Vec<T> {
        self.lists[b].iter().rev().copied().collect()
    }

    /// Every item, newest first in each bucket, without removing them.
    pub fn candidates_all(&self) -> Vec<T> {
        self.lists
            .iter()
            .flat_map(|l| l.iter().rev().copied())
            .collect()
    }

    pub fn len(&self) -> usize {
        self.lists.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn default_hash_is_lws_s() {
        // h = ((rotl(h, 7) + 0xa1b2c3d4) ^ byte) ^ h, from 0x12345678
        assert_eq!(default_hash(b""), 0x1234_5678);
        let h0 = 0x1234_5678u32;
        let h1 = (h0.rotate_left(7).wrapping_add(0xa1b2_c3d4) ^ u32::from(b'a')) ^ h0;
        assert_eq!(default_hash(b"a"), h1);
        assert_ne!(default_hash(b"ab"), default_hash(b"ba"));
    }

    #[test]
    fn buckets_list_newest_first_and_drain() {
        let mut b = Buckets::new(0);
        assert_eq!(b.modulo(), 8);
        b.insert(1, 10);
        b.insert(1, 11);
        b.insert(2, 20);
        assert_eq!(b.candidates(1), vec![11, 10]);
        assert!(b.remove(1, 10));
        assert!(!b.remove(1, 10));
        assert_eq!(b.len(), 2);
        let mut all = b.candidates_all();
        all.sort_unstable();
        assert_eq!(all, vec![11, 20]);
        assert!(b.remove(1, 11) && b.remove(2, 20));
        assert!(b.is_empty());
        assert_eq!(Buckets::<u8>::new(3).bucket_of(7), 1);
    }
}
