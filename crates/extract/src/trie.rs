//! Whole-word key search on a folded text: the keys (folded names or cue phrases) of one or more
//! lists in one byte trie, walked only where a word can start.
//!
//! For each list, [`KeyTrie::scan`] reports exactly what a leftmost-longest Aho-Corasick search over
//! that list's keys reports when it resumes one byte after each match the caller rejects and after the
//! end of each match it accepts (the search `mentions.rs` and `cues.rs` used to run, one automaton per
//! list): at each position, in text order, the list's longest key starting there is offered to the
//! caller, and if the caller takes it the list's search goes on after it. Only positions where a whole
//! word can start are tried (the text's start, or after a byte that is not a word byte in the sense of
//! [`Folded::is_whole_word`]): a match anywhere else is not a whole word, so the callers reject it, and
//! rejecting it only moves the search one byte on, which the scan does anyway. One walk down the trie
//! per word start serves every list, instead of one automaton pass per list over every byte.

use crate::fold::Folded;
use std::collections::BTreeMap;

/// No state, no key.
const NONE: u32 = u32::MAX;

/// Set in [`Slot::base`] when keys end at the state.
const ENDS: u32 = 1 << 31;

/// The keys of one or more lists in a byte trie, stored as a double array: the child of state `s`
/// for a byte of class `c` is the slot `base(s) + c` if that slot's `check` is `s`. One slot (eight
/// bytes) is read per byte of the walk, and the whole trie of the shipped data fits in a few
/// hundred kilobytes. Build once, scan every text.
#[derive(Clone, Debug)]
pub(crate) struct KeyTrie {
    /// The class of every byte: 0 for bytes no key contains, else 1 and up.
    class: Box<[u8; 256]>,
    /// The states; state 0 is the root.
    slots: Vec<Slot>,
    /// For every state where keys end, the range of `ends` with its keys.
    ends_at: Vec<(u32, u32)>,
    /// The keys ending at the states: `(list, key index)`, one per list and state at most (the
    /// lowest index when a list repeats a key, as in the automaton).
    ends: Vec<(u32, u32)>,
    /// How many lists.
    lists: usize,
}

#[derive(Clone, Copy, Debug)]
struct Slot {
    /// Where the state's children start (plus [`ENDS`] when keys end here).
    base: u32,
    /// The state whose child this slot is, or [`NONE`] for a free slot.
    check: u32,
}

/// A node of the trie under construction.
#[derive(Default)]
struct BuildNode {
    children: BTreeMap<u8, BuildNode>,
    ends: Vec<(u32, u32)>,
}

/// A list or key number. Tries hold the names and cues of data files, far below `u32::MAX` of them.
fn index(i: usize) -> u32 {
    u32::try_from(i).expect("fewer than 2^31 keys and trie states")
}

impl KeyTrie {
    /// A trie over one list of keys; a key's index in the list is its number. Empty keys are ignored.
    pub(crate) fn new<S: AsRef<str>>(keys: &[S]) -> KeyTrie {
        KeyTrie::of_lists(&[keys])
    }

    /// A trie over several lists of keys (list `i` is list number `i`).
    pub(crate) fn of_lists<S: AsRef<str>>(lists: &[&[S]]) -> KeyTrie {
        let mut root = BuildNode::default();
        let mut class = Box::new([0u8; 256]);
        let mut classes = 0u8;
        for (l, keys) in lists.iter().enumerate() {
            for (i, key) in keys.iter().enumerate() {
                let key = key.as_ref().as_bytes();
                if key.is_empty() {
                    continue;
                }
                let mut node = &mut root;
                for &b in key {
                    if class[usize::from(b)] == 0 {
                        classes += 1;
                        class[usize::from(b)] = classes;
                    }
                    node = node.children.entry(b).or_default();
                }
                let l = index(l);
                // The first of equal keys of a list wins, as in the automaton.
                if !node.ends.iter().any(|&(list, _)| list == l) {
                    node.ends.push((l, index(i)));
                }
            }
        }
        let mut trie = KeyTrie {
            class,
            slots: vec![Slot {
                base: 0,
                check: NONE,
            }],
            ends_at: Vec::new(),
            ends: Vec::new(),
            lists: lists.len(),
        };
        // Breadth first, each node's children placed at the first base where all their slots are
        // free (the search for it starts where the last one was found, minus a little).
        let mut queue = std::collections::VecDeque::from([(0u32, root)]);
        let mut search_from = 1usize;
        while let Some((state, node)) = queue.pop_front() {
            if !node.ends.is_empty() {
                let from = index(trie.ends.len());
                trie.ends.extend_from_slice(&node.ends);
                let state = state as usize;
                if trie.ends_at.len() <= state {
                    trie.ends_at.resize(state + 1, (0, 0));
                }
                trie.ends_at[state] = (from, index(trie.ends.len()));
            }
            if node.children.is_empty() {
                continue;
            }
            let cls: Vec<usize> = node
                .children
                .keys()
                .map(|&b| usize::from(trie.class[usize::from(b)]))
                .collect();
            let mut base = search_from.max(1);
            while cls.iter().any(|&c| {
                trie.slots
                    .get(base + c)
                    .is_some_and(|slot| slot.check != NONE || base + c == 0)
            }) {
                base += 1;
            }
            search_from = base.saturating_sub(256).max(1);
            let top = base + cls.iter().max().copied().unwrap_or(0);
            if trie.slots.len() <= top {
                trie.slots.resize(
                    top + 1,
                    Slot {
                        base: 0,
                        check: NONE,
                    },
                );
            }
            let ends_flag = trie.slots[state as usize].base & ENDS;
            trie.slots[state as usize].base = index(base) | ends_flag;
            for ((_, child), c) in node.children.into_iter().zip(cls) {
                let id = index(base + c);
                let flag = if child.ends.is_empty() { 0 } else { ENDS };
                trie.slots[base + c] = Slot {
                    base: flag,
                    check: state,
                };
                queue.push_back((id, child));
            }
        }
        trie
    }

    /// The child of `state` for byte `b`, or [`NONE`].
    #[inline]
    fn child(&self, state: u32, base: u32, b: u8) -> u32 {
        let c = self.class[usize::from(b)];
        if c == 0 {
            return NONE;
        }
        let t = (base & !ENDS) as usize + usize::from(c);
        match self.slots.get(t) {
            Some(slot) if slot.check == state => t as u32,
            _ => NONE,
        }
    }

    /// Offers `take(list, start, end, key)`, for each list, the list's longest key at each position
    /// of the folded text where a whole word can start, in order, skipping the positions inside the
    /// list's matches it took (`true`). See the module docs for why this equals a leftmost-longest
    /// search per list with restarts.
    pub(crate) fn scan(
        &self,
        folded: &Folded,
        mut take: impl FnMut(usize, usize, usize, usize) -> bool,
    ) {
        let hay = folded.as_str().as_bytes();
        let root = self.slots[0].base;
        // Per list: where its search goes on, and its longest key at the current position.
        let mut at = vec![0; self.lists];
        let mut best: Vec<(usize, u32)> = vec![(0, NONE); self.lists];
        let mut found: Vec<u32> = Vec::with_capacity(self.lists);
        for &p in folded.word_starts() {
            let p = p as usize;
            let mut state = self.child(0, root, hay[p]);
            let mut q = p + 1;
            while state != NONE {
                let base = self.slots[state as usize].base;
                if base & ENDS != 0 {
                    let (from, to) = self.ends_at[state as usize];
                    for &(list, key) in &self.ends[from as usize..to as usize] {
                        let slot = &mut best[list as usize];
                        if slot.1 == NONE {
                            found.push(list);
                        }
                        // Deeper is longer.
                        *slot = (q, key);
                    }
                }
                let Some(&b) = hay.get(q) else { break };
                state = self.child(state, base, b);
                q += 1;
            }
            for list in found.drain(..) {
                let list = list as usize;
                let (end, key) = std::mem::replace(&mut best[list], (0, NONE));
                if p >= at[list] && take(list, p, end, key as usize) {
                    at[list] = end;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, Input, MatchKind};
    use proptest::prelude::*;

    /// The search the trie replaces: leftmost-longest, one byte on after a rejected match.
    fn reference(
        keys: &[&str],
        folded: &Folded,
        take: impl Fn(usize, usize) -> bool,
    ) -> Vec<(usize, usize, usize)> {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(keys)
            .unwrap();
        let hay = folded.as_str();
        let mut out = Vec::new();
        let mut at = 0;
        while at < hay.len() {
            let Some(m) = ac.find(Input::new(hay).range(at..)) else {
                break;
            };
            if folded.is_whole_word(m.start()..m.end()) && take(m.start(), m.end()) {
                out.push((m.start(), m.end(), m.pattern().as_usize()));
                at = m.end();
            } else {
                at = m.start() + 1;
            }
        }
        out
    }

    fn trie_hits(
        keys: &[&str],
        folded: &Folded,
        take: impl Fn(usize, usize) -> bool,
    ) -> Vec<(usize, usize, usize)> {
        let trie = KeyTrie::new(keys);
        let mut out = Vec::new();
        trie.scan(folded, |_, s, e, p| {
            let ok = folded.is_whole_word(s..e) && take(s, e);
            if ok {
                out.push((s, e, p));
            }
            ok
        });
        out
    }

    const KEYS: &[&str] = &[
        "met",
        "meet",
        "meeting",
        "talks",
        "talks with",
        "the",
        "the hague",
        "us",
        "u s",
        "a",
        "in",
        "in order to",
        "order",
        "met",
        "e",
        "s",
        "'s",
        "peace talks",
        "talk",
    ];

    #[test]
    fn equals_the_automaton_on_examples() {
        let texts = [
            "They met in The Hague; talks withdrawn. Meeting the U.S. in order to talk.",
            "metmet met-met peace talks with us, u.s. e s 's a",
            "",
            "talks",
            "the hague's talks with",
        ];
        for t in texts {
            let f = Folded::new(t);
            assert_eq!(
                trie_hits(KEYS, &f, |_, _| true),
                reference(KEYS, &f, |_, _| true),
                "{t:?}"
            );
            // A caller that rejects some whole words too.
            let odd = |s: usize, _: usize| !s.is_multiple_of(3);
            assert_eq!(trie_hits(KEYS, &f, odd), reference(KEYS, &f, odd), "{t:?}");
        }
    }

    proptest! {
        #[test]
        fn equals_the_automaton(
            words in prop::collection::vec(prop_oneof![
                Just("met"), Just("meeting"), Just("talks"), Just("with"), Just("the"), Just("hague"),
                Just("u"), Just("s"), Just("."), Just(" "), Just("-"), Just("'"), Just("order"),
                Just("to"), Just("in"), Just("é"), Just("習"), Just("x"), Just("peace"),
            ], 0..30),
            reject in 0usize..5,
        ) {
            let text: String = words.concat();
            let f = Folded::new(&text);
            let take = |s: usize, e: usize| reject == 0 || !(s + e).is_multiple_of(reject + 1);
            prop_assert_eq!(trie_hits(KEYS, &f, take), reference(KEYS, &f, take));

            // Several lists in one trie: each list gets what its own search gives.
            let lists: [&[&str]; 3] = [&KEYS[..8], &KEYS[5..], &["s", "u s", "the", "met"]];
            let trie = KeyTrie::of_lists(&lists);
            let mut hits = vec![Vec::new(); lists.len()];
            trie.scan(&f, |list, s, e, p| {
                let ok = f.is_whole_word(s..e) && take(s, e) && (list != 1 || s % 2 == 0);
                if ok {
                    hits[list].push((s, e, p));
                }
                ok
            });
            for (l, keys) in lists.iter().enumerate() {
                let want = reference(keys, &f, |s, e| take(s, e) && (l != 1 || s % 2 == 0));
                prop_assert_eq!(&hits[l], &want, "list {} in {:?}", l, text);
            }
        }
    }
}
