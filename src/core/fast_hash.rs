//! The hasher of the core's maps, whose keys are small and ours (timer
//! targets, descriptor numbers): none comes from a peer, so SipHash's
//! resistance to chosen keys buys nothing here, and it cost about 2,500
//! instructions per connection (a third of a connection's map work).
//! Multiply-rotate mixing of each word, as rustc's FxHasher does.
#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Word-at-a-time multiply-rotate hasher.
#[derive(Clone, Copy, Debug, Default)]
pub struct FastHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u16(&mut self, i: u16) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn write_i32(&mut self, i: i32) {
        self.add(i as u32 as u64);
    }

    fn write_isize(&mut self, i: isize) {
        self.add(i as u64);
    }
}

/// A HashMap with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn hash_of(v: impl Hash) -> u64 {
        BuildHasherDefault::<FastHasher>::default().hash_one(v)
    }

    #[test]
    fn distinct_small_keys_hash_apart_and_maps_work() {
        let hashes: std::collections::HashSet<u64> = (0..10_000u64).map(hash_of).collect();
        assert_eq!(hashes.len(), 10_000);
        assert_ne!(hash_of((1u32, 2u64)), hash_of((2u32, 1u64)));
        assert_ne!(hash_of(b"abcdefghi"), hash_of(b"abcdefgh"));
        let mut m: FastMap<i32, i32> = FastMap::default();
        for i in 0..1000 {
            m.insert(i, -i);
        }
        assert!((0..1000).all(|i| m.get(&i) == Some(&-i)));
        assert_eq!(m.remove(&7), Some(-7));
        assert_eq!(m.len(), 999);
    }
}
