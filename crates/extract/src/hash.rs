//! A small, fast hasher for the hash maps looked up once per token or per sentence (the cue
//! vocabulary, the abbreviation lists). std's SipHash is built to resist flooding by chosen keys; these
//! maps are built from the data files once and only *looked up* with text, so a chosen text cannot
//! grow them, and the multiply-rotate hash of `rustc-hash` does the job at a fraction of the cost.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A map keyed with [`FastHasher`].
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// A set keyed with [`FastHasher`].
pub(crate) type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

/// The `rustc-hash` (FxHash) scheme: each word is mixed in with a rotate, a xor and a multiply.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct FastHasher(u64);

const SEED: u64 = 0xf135_7aea_2e62_a9c5;

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // The multiply leaves its best bits at the top; hashbrown takes the bucket from the bottom.
        self.0.rotate_left(26)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_work_and_spread() {
        let mut m: FastMap<String, usize> = FastMap::default();
        for i in 0..1000 {
            m.insert(format!("word{i}"), i);
        }
        assert!((0..1000).all(|i| m.get(format!("word{i}").as_str()) == Some(&i)));
        assert_eq!(m.get("word1000"), None);
        let s: FastSet<&str> = ["a", "b"].into_iter().collect();
        assert!(s.contains("a") && !s.contains("c"));
    }
}
