//! A similarity index over PDQ hashes: multi-index hashing with an exact brute-force fallback.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::sync::OnceLock;

use crate::hash::{Dihedral, Hash256};

/// Number of 16-bit chunks a 256-bit hash is cut into.
const CHUNKS: usize = 16;

/// A match of a (dihedral) query against the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Match<K> {
    /// The indexed entry.
    pub key: K,
    /// Hamming distance between the entry's hash and the query hash of `transform`.
    pub distance: u32,
    /// Which of the query's eight dihedral hashes matched best: the entry looks like the query
    /// image with this transform applied ([`Dihedral::Original`] for a plain copy).
    pub transform: Dihedral,
    /// Which of the key's hashes matched best: its position in what
    /// [`SimilarityIndex::insert_all`] was given (0 for [`SimilarityIndex::insert`]'s only hash;
    /// with [`PerceptualHashes::pdq_all`](crate::PerceptualHashes::pdq_all), 0 is the picture
    /// as it is, then come the trimmed picture if it had a border, then the crops).
    pub entry: usize,
}

/// Finds every indexed 256-bit hash within a Hamming radius of a query, exactly.
///
/// Multi-index hashing (Norouzi et al., "Fast search in Hamming space with multi-index
/// hashing", CVPR 2012): each hash is cut into 16 chunks of 16 bits (Meta's words), and each
/// chunk position has a table from chunk value to entries. If two hashes are within distance
/// `r`, by the pigeonhole principle at least one of their 16 chunks differs in at most
/// `t = ⌊r / 16⌋` bits (else the distance would be ≥ 16·(t+1) > r). A query therefore probes,
/// in every table, all chunk values within `t` bits of its own (17 probes per table for
/// `r ≤ 31`, 137 for `r ≤ 47`, …), marks every entry of those buckets in a bitset, and then checks
/// each marked entry's full distance once, in slot order (so nothing is reported twice, and
/// the 8 hashes of a dihedral query share the checks). That is exact for any radius; when the
/// probes would cost more than a linear scan (large radius or a small index), the query scans
/// every entry instead, with the same results.
///
/// A key holds one hash ([`insert`](Self::insert)) or several
/// ([`insert_all`](Self::insert_all): a work's whole-picture PDQ and its crop hashes); queries
/// report each key once, at its nearest hash. Inserting an existing key replaces its hashes.
/// Removal is O(bucket size) per hash.
#[derive(Debug, Clone)]
pub struct SimilarityIndex<K> {
    /// Per slot (one slot per indexed hash): its key, its hash, and the key's next slot.
    keys: Vec<K>,
    hashes: Vec<Hash256>,
    next: Vec<u32>,
    /// Each key's first slot.
    heads: HashMap<K, u32>,
    tables: Vec<HashMap<u16, Vec<u32>>>,
    strategy: Lookup,
}

/// End of a key's chain of slots.
const NO_SLOT: u32 = u32::MAX;

/// How queries find candidates (always `Auto` outside this module's tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lookup {
    Auto,
    #[cfg(test)]
    Tables,
    #[cfg(test)]
    Scan,
}

impl<K: Copy + Eq + Hash> Default for SimilarityIndex<K> {
    fn default() -> Self {
        Self::new()
    }
}

/// All 16-bit masks ordered by popcount, so masks of weight ≤ t are a prefix.
fn masks_by_weight() -> &'static [u16] {
    static MASKS: OnceLock<Vec<u16>> = OnceLock::new();
    MASKS.get_or_init(|| {
        let mut masks: Vec<u16> = (0..=u16::MAX).collect();
        masks.sort_by_key(|m| (m.count_ones(), *m));
        masks
    })
}

/// Number of 16-bit masks of weight ≤ t.
fn ball_size(t: u32) -> usize {
    let mut total = 0usize;
    let mut binomial = 1usize; // C(16, w)
    for w in 0..=t.min(16) as usize {
        total += binomial;
        binomial = binomial * (16 - w) / (w + 1);
    }
    total
}

impl<K: Copy + Eq + Hash> SimilarityIndex<K> {
    /// An empty index.
    pub fn new() -> Self {
        Self {
            keys: Vec::new(),
            hashes: Vec::new(),
            next: Vec::new(),
            heads: HashMap::new(),
            tables: (0..CHUNKS).map(|_| HashMap::new()).collect(),
            strategy: Lookup::Auto,
        }
    }

    /// Number of indexed keys (works).
    pub fn len(&self) -> usize {
        self.heads.len()
    }

    /// Number of indexed hashes (at least [`len`](Self::len)).
    pub fn entries(&self) -> usize {
        self.hashes.len()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.heads.is_empty()
    }

    /// The (first) hash indexed under `key`.
    pub fn get(&self, key: &K) -> Option<Hash256> {
        self.heads.get(key).map(|&s| self.hashes[s as usize])
    }

    /// Every hash indexed under `key`, in insertion order (empty if absent).
    pub fn get_all(&self, key: &K) -> Vec<Hash256> {
        self.chain(key).map(|s| self.hashes[s as usize]).collect()
    }

    /// Every (key, hash) entry, in no particular order; a key with several hashes comes once
    /// per hash.
    pub fn iter(&self) -> impl Iterator<Item = (K, Hash256)> + '_ {
        self.keys.iter().copied().zip(self.hashes.iter().copied())
    }

    /// The slots of `key`, in insertion order.
    fn chain(&self, key: &K) -> impl Iterator<Item = u32> + '_ {
        let mut slot = self.heads.get(key).copied().unwrap_or(NO_SLOT);
        std::iter::from_fn(move || {
            (slot != NO_SLOT).then(|| {
                let s = slot;
                slot = self.next[s as usize];
                s
            })
        })
    }

    /// Position of `slot` among its key's hashes.
    fn entry_of(&self, slot: u32) -> usize {
        self.chain(&self.keys[slot as usize])
            .position(|s| s == slot)
            .unwrap_or(0)
    }

    /// Indexes `hash` under `key` (its only hash); returns the (first) hash it replaces, if
    /// `key` was present.
    ///
    /// # Panics
    /// If the index would exceed `u32::MAX - 1` hashes.
    pub fn insert(&mut self, key: K, hash: Hash256) -> Option<Hash256> {
        self.insert_all(key, &[hash]).first().copied()
    }

    /// Indexes all of `hashes` under `key` (e.g. [`PerceptualHashes::pdq_all`]: a work's PDQ and
    /// its crop hashes), replacing whatever `key` had; returns the hashes it replaces. An empty
    /// `hashes` removes `key`.
    ///
    /// [`PerceptualHashes::pdq_all`]: crate::PerceptualHashes::pdq_all
    ///
    /// # Panics
    /// If the index would exceed `u32::MAX - 1` hashes.
    pub fn insert_all(&mut self, key: K, hashes: &[Hash256]) -> Vec<Hash256> {
        let previous = self.remove_all(&key);
        let mut last = NO_SLOT;
        for &hash in hashes {
            let slot = u32::try_from(self.keys.len())
                .ok()
                .filter(|&s| s != NO_SLOT)
                .expect("similarity index is limited to 2^32 - 1 hashes");
            self.keys.push(key);
            self.hashes.push(hash);
            self.next.push(NO_SLOT);
            if last == NO_SLOT {
                self.heads.insert(key, slot);
            } else {
                self.next[last as usize] = slot;
            }
            last = slot;
            for (c, table) in self.tables.iter_mut().enumerate() {
                table.entry(hash.word(c)).or_default().push(slot);
            }
        }
        previous
    }

    /// Removes `key`; returns its (first) hash if it was present.
    pub fn remove(&mut self, key: &K) -> Option<Hash256> {
        self.remove_all(key).first().copied()
    }

    /// Removes `key`; returns all its hashes (empty if it was absent).
    pub fn remove_all(&mut self, key: &K) -> Vec<Hash256> {
        let slots: Vec<u32> = self.chain(key).collect();
        if slots.is_empty() {
            return Vec::new();
        }
        let hashes = slots.iter().map(|&s| self.hashes[s as usize]).collect();
        self.heads.remove(key);
        let mut descending = slots;
        descending.sort_unstable_by(|a, b| b.cmp(a));
        // Highest first, so the last slot moved into a freed one is never one still to free.
        for slot in descending {
            self.free_slot(slot);
        }
        hashes
    }

    /// Drops `slot` from the tables and moves the last slot into it (fixing its key's chain).
    fn free_slot(&mut self, slot: u32) {
        let hash = self.hashes[slot as usize];
        for (c, table) in self.tables.iter_mut().enumerate() {
            if let Entry::Occupied(mut bucket) = table.entry(hash.word(c)) {
                if let Some(pos) = bucket.get().iter().position(|&s| s == slot) {
                    bucket.get_mut().swap_remove(pos);
                }
                if bucket.get().is_empty() {
                    bucket.remove();
                }
            }
        }
        let last = (self.keys.len() - 1) as u32;
        if slot != last {
            let moved = self.hashes[last as usize];
            for (c, table) in self.tables.iter_mut().enumerate() {
                if let Some(s) = table
                    .get_mut(&moved.word(c))
                    .and_then(|bucket| bucket.iter_mut().find(|s| **s == last))
                {
                    *s = slot;
                }
            }
            let moved_key = self.keys[last as usize];
            match self.heads.get_mut(&moved_key) {
                Some(head) if *head == last => *head = slot,
                Some(head) => {
                    let mut s = *head;
                    while self.next[s as usize] != last {
                        s = self.next[s as usize];
                    }
                    self.next[s as usize] = slot;
                }
                None => {}
            }
        }
        self.keys.swap_remove(slot as usize);
        self.hashes.swap_remove(slot as usize);
        self.next.swap_remove(slot as usize);
    }

    /// Whether probing the chunk tables is expected to beat a linear scan for radius `r`.
    fn use_tables(&self, r: u32) -> bool {
        match self.strategy {
            Lookup::Auto => {}
            #[cfg(test)]
            Lookup::Tables => return true,
            #[cfg(test)]
            Lookup::Scan => return false,
        }
        let t = r / CHUNKS as u32;
        if t > 4 {
            return false;
        }
        let probes = CHUNKS * ball_size(t);
        let candidates = probes * self.entries() / 65536; // expected bucket size n / 2^16
        // Measured on 1M entries: a probe or a candidate check (random memory accesses) costs
        // about 15 times as much as one entry of a sequential scan.
        (probes + candidates) * 15 < self.entries()
    }

    /// Calls `found(slot, distance, i)` exactly once for every entry within `r` of any of
    /// `queries`, in ascending slot order, with its distance to the nearest query `queries[i]`
    /// (the first such on ties).
    ///
    /// With the tables, candidates from every probed bucket of every query are first marked in
    /// a bitset over slots, then checked in slot order: each entry is checked once whatever the
    /// number of queries and chunks that found it, and the hash array is read front to back
    /// (about 3× faster than checking candidates as they come at 5M hashes, where nearly
    /// every check is a cache and TLB miss).
    fn for_each_within_any(
        &self,
        queries: &[Hash256],
        r: u32,
        mut found: impl FnMut(u32, u32, usize),
    ) {
        // The nearest query within r (first on ties), stopping each distance once it cannot win.
        let nearest = |h: &Hash256| -> Option<(u32, usize)> {
            let mut best: Option<(u32, usize)> = None;
            for (i, q) in queries.iter().enumerate() {
                let cap = best.map_or(r, |(d, _)| d.saturating_sub(1));
                if best.is_some_and(|(d, _)| d == 0) {
                    break;
                }
                let mut d = 0;
                for (a, b) in h.0.iter().zip(&q.0) {
                    d += (a ^ b).count_ones();
                    if d > cap {
                        break;
                    }
                }
                if d <= cap {
                    best = Some((d, i));
                }
            }
            best
        };
        if !self.use_tables(r) {
            for (slot, h) in self.hashes.iter().enumerate() {
                if let Some((d, i)) = nearest(h) {
                    found(slot as u32, d, i);
                }
            }
            return;
        }
        let t = r / CHUNKS as u32;
        let masks = &masks_by_weight()[..ball_size(t)];
        let mut candidates = vec![0u64; self.hashes.len().div_ceil(64)];
        for query in queries {
            for (c, table) in self.tables.iter().enumerate() {
                let word = query.word(c);
                for &mask in masks {
                    if let Some(bucket) = table.get(&(word ^ mask)) {
                        for &slot in bucket {
                            candidates[(slot >> 6) as usize] |= 1 << (slot & 63);
                        }
                    }
                }
            }
        }
        // Gather first (independent loads, many cache misses in flight), then compare.
        let mut gathered: Vec<(u32, Hash256)> = Vec::new();
        for (w, &bits) in candidates.iter().enumerate() {
            let mut bits = bits;
            while bits != 0 {
                let slot = (w << 6) as u32 | bits.trailing_zeros();
                bits &= bits - 1;
                gathered.push((slot, self.hashes[slot as usize]));
            }
        }
        for (slot, h) in &gathered {
            if let Some((d, i)) = nearest(h) {
                found(*slot, d, i);
            }
        }
    }

    /// Every key with a hash within `max_distance` of `hash`, once, at its nearest hash's
    /// distance, nearest first (ties in no defined order).
    pub fn query(&self, hash: &Hash256, max_distance: u32) -> Vec<(K, u32)> {
        let mut out: Vec<(u32, u32)> = Vec::new();
        self.for_each_within_any(std::slice::from_ref(hash), max_distance, |slot, d, _| {
            out.push((d, slot))
        });
        out.sort_unstable();
        let mut seen = HashSet::new();
        out.into_iter()
            .map(|(d, slot)| (self.keys[slot as usize], d))
            .filter(|(k, _)| seen.insert(*k))
            .collect()
    }

    /// Every key with a hash within `max_distance` of any of a query image's eight dihedral
    /// hashes (from [`pdq_dihedral_exact`](crate::pdq_dihedral_exact) or
    /// [`fingerprint`](crate::fingerprint)), once per key with its best transform and hash,
    /// nearest first (ties: the earlier transform in [`Dihedral::ALL`]).
    pub fn query_dihedral(&self, hashes: &[Hash256; 8], max_distance: u32) -> Vec<Match<K>> {
        // (distance, transform, slot), best per slot.
        let mut out: Vec<(u32, usize, u32)> = Vec::new();
        self.for_each_within_any(hashes, max_distance, |slot, d, t| out.push((d, t, slot)));
        out.sort_unstable();
        let mut seen = HashSet::new();
        out.into_iter()
            .filter(|&(_, _, slot)| seen.insert(self.keys[slot as usize]))
            .map(|(distance, t, slot)| Match {
                key: self.keys[slot as usize],
                distance,
                transform: Dihedral::ALL[t],
                entry: self.entry_of(slot),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn brute_force(entries: &[(u32, Hash256)], q: &Hash256, r: u32) -> Vec<(u32, u32)> {
        let mut out: Vec<(u32, u32)> = entries
            .iter()
            .map(|(k, h)| (h.distance(q), *k))
            .filter(|(d, _)| *d <= r)
            .collect();
        out.sort_unstable();
        out
    }

    fn brute_force_dihedral(
        entries: &[(u32, Hash256)],
        qs: &[Hash256; 8],
        r: u32,
    ) -> Vec<(u32, usize, u32)> {
        let mut out = Vec::new();
        for (k, h) in entries {
            let (d, t) = qs
                .iter()
                .enumerate()
                .map(|(t, q)| (h.distance(q), t))
                .min()
                .unwrap_or((u32::MAX, 0));
            if d <= r {
                out.push((d, t, *k));
            }
        }
        out.sort_unstable();
        out
    }

    fn flip(h: Hash256, bits: &[usize]) -> Hash256 {
        // Distinct positions are guaranteed by the caller's sampling (a subsequence of 0..256).
        bits.iter().fold(h, |h, &k| h.with_bit_flipped(k))
    }

    fn arb_hash() -> impl Strategy<Value = Hash256> {
        any::<[u64; 4]>().prop_map(Hash256)
    }

    /// A hash plus a planted neighbour at exactly `d` bits, d in 0..=40.
    fn arb_planted() -> impl Strategy<Value = (Hash256, Hash256)> {
        (
            arb_hash(),
            proptest::sample::subsequence((0..256).collect::<Vec<usize>>(), 0..=40),
        )
            .prop_map(|(h, bits)| (h, flip(h, &bits)))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn index_equals_brute_force(
            random in proptest::collection::vec(arb_hash(), 0..150),
            planted in proptest::collection::vec(arb_planted(), 1..40),
            query_pick in any::<proptest::sample::Index>(),
            query_flip in proptest::sample::subsequence((0..256).collect::<Vec<usize>>(), 0..=40),
            r in 0u32..=64,
            removals in proptest::collection::vec(any::<proptest::sample::Index>(), 0..20),
        ) {
            // Entries: random hashes, and clusters of planted neighbours around shared centres.
            let mut entries: Vec<(u32, Hash256)> = Vec::new();
            for h in random {
                entries.push((entries.len() as u32, h));
            }
            for (centre, neighbour) in &planted {
                entries.push((entries.len() as u32, *centre));
                entries.push((entries.len() as u32, *neighbour));
            }
            let mut indexes = [Lookup::Auto, Lookup::Tables, Lookup::Scan].map(|strategy| {
                let mut index = SimilarityIndex::new();
                index.strategy = strategy;
                for (k, h) in &entries {
                    index.insert(*k, *h);
                }
                index
            });
            for pick in removals {
                let (k, _) = entries.swap_remove(pick.index(entries.len()));
                for index in &mut indexes {
                    prop_assert!(index.remove(&k).is_some());
                    prop_assert!(index.remove(&k).is_none());
                }
                if entries.is_empty() {
                    break;
                }
            }
            // Query near a planted hash (or anywhere, if everything was removed).
            let base = if entries.is_empty() {
                planted[0].0
            } else {
                entries[query_pick.index(entries.len())].1
            };
            let q = flip(base, &query_flip);
            let qs: [Hash256; 8] = std::array::from_fn(|t| if t == 0 { q } else { flip(planted[t % planted.len()].1, &query_flip[..query_flip.len() / 2]) });
            let expected = brute_force(&entries, &q, r);
            let expected_dihedral = brute_force_dihedral(&entries, &qs, r);
            for index in &indexes {
                prop_assert_eq!(index.len(), entries.len());
                let mut got: Vec<(u32, u32)> = index.query(&q, r).into_iter().map(|(k, d)| (d, k)).collect();
                // Equal distances come in no defined order.
                got.sort_unstable();
                prop_assert_eq!(&got, &expected);
                let mut got: Vec<(u32, usize, u32)> = index
                    .query_dihedral(&qs, r)
                    .into_iter()
                    .map(|m| (m.distance, m.transform.index(), m.key))
                    .collect();
                prop_assert!(got.windows(2).all(|w| w[0].0 <= w[1].0), "sorted by distance");
                got.sort_unstable();
                prop_assert_eq!(&got, &expected_dihedral);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(100))]

        /// Keys with several hashes: each key reported once at its best (distance, transform),
        /// the same by tables, scan and brute force, through replacements and removals.
        #[test]
        fn multi_hash_keys_equal_brute_force(
            centres in proptest::collection::vec(arb_hash(), 1..12),
            sets in proptest::collection::vec(
                (0usize..12, proptest::collection::vec(
                    proptest::sample::subsequence((0..256).collect::<Vec<usize>>(), 0..=40), 0..5)),
                1..60),
            query_flip in proptest::sample::subsequence((0..256).collect::<Vec<usize>>(), 0..=30),
            r in 0u32..=64,
            removals in proptest::collection::vec(0u32..60, 0..15),
        ) {
            let mut model: HashMap<u32, Vec<Hash256>> = HashMap::new();
            let mut indexes = [Lookup::Auto, Lookup::Tables, Lookup::Scan].map(|strategy| {
                let mut index = SimilarityIndex::new();
                index.strategy = strategy;
                index
            });
            // Keys repeat (key = position mod 40), so some inserts replace.
            for (i, (centre, flips)) in sets.iter().enumerate() {
                let key = (i % 40) as u32;
                let centre = centres[centre % centres.len()];
                let hashes: Vec<Hash256> = flips.iter().map(|bits| flip(centre, bits)).collect();
                let expected_previous = model.remove(&key).unwrap_or_default();
                if !hashes.is_empty() {
                    model.insert(key, hashes.clone());
                }
                for index in &mut indexes {
                    prop_assert_eq!(&index.insert_all(key, &hashes), &expected_previous);
                }
            }
            for key in removals {
                let expected = model.remove(&key).unwrap_or_default();
                for index in &mut indexes {
                    prop_assert_eq!(&index.remove_all(&key), &expected);
                }
            }
            let q = flip(centres[0], &query_flip);
            let qs: [Hash256; 8] = std::array::from_fn(|t| flip(centres[t % centres.len()], &query_flip[..query_flip.len() * t / 8]));
            let mut expected: Vec<(u32, u32)> = Vec::new();
            let mut expected_dihedral: Vec<(u32, usize, u32, usize)> = Vec::new();
            for (&k, hashes) in &model {
                let d = hashes.iter().map(|h| h.distance(&q)).min().unwrap_or(u32::MAX);
                if d <= r {
                    expected.push((d, k));
                }
                let best = hashes
                    .iter()
                    .enumerate()
                    .flat_map(|(e, h)| qs.iter().enumerate().map(move |(t, q)| (h.distance(q), t, e)))
                    .min()
                    .unwrap_or((u32::MAX, 0, 0));
                if best.0 <= r {
                    expected_dihedral.push((best.0, best.1, k, best.2));
                }
            }
            expected.sort_unstable();
            expected_dihedral.sort_unstable();
            for index in &indexes {
                prop_assert_eq!(index.len(), model.len());
                prop_assert_eq!(index.entries(), model.values().map(Vec::len).sum::<usize>());
                for (k, hashes) in &model {
                    prop_assert_eq!(&index.get_all(k), hashes);
                }
                let mut got: Vec<(u32, u32)> = index.query(&q, r).into_iter().map(|(k, d)| (d, k)).collect();
                got.sort_unstable();
                prop_assert_eq!(&got, &expected);
                let mut got: Vec<(u32, usize, u32, usize)> = index
                    .query_dihedral(&qs, r)
                    .into_iter()
                    .map(|m| (m.distance, m.transform.index(), m.key, m.entry))
                    .collect();
                got.sort_unstable();
                // The entry is the best one up to ties between a key's hashes at equal distance.
                let strip = |v: &[(u32, usize, u32, usize)]| v.iter().map(|&(d, t, k, _)| (d, t, k)).collect::<Vec<_>>();
                prop_assert_eq!(strip(&got), strip(&expected_dihedral));
                for &(d, t, k, e) in &got {
                    prop_assert_eq!(model[&k][e].distance(&qs[t]), d);
                }
            }
        }
    }

    #[test]
    fn insert_replaces_and_remove_moves_slots() {
        let mut index = SimilarityIndex::new();
        let a = Hash256([1, 2, 3, 4]);
        let b = Hash256([5, 6, 7, 8]);
        assert_eq!(index.insert("a", a), None);
        assert_eq!(index.insert("b", b), None);
        assert_eq!(index.insert("a", b), Some(a));
        assert_eq!(index.len(), 2);
        assert_eq!(index.get(&"a"), Some(b));
        assert_eq!(index.remove(&"b"), Some(b));
        assert_eq!(index.query(&b, 0), vec![("a", 0)]);
        assert_eq!(index.remove(&"a"), Some(b));
        assert!(index.is_empty());
        assert!(index.query(&b, 256).is_empty());
    }

    #[test]
    fn ball_sizes() {
        assert_eq!(ball_size(0), 1);
        assert_eq!(ball_size(1), 17);
        assert_eq!(ball_size(2), 137);
        assert_eq!(ball_size(16), 65536);
        assert!(masks_by_weight()[..17].iter().all(|m| m.count_ones() <= 1));
    }
}
