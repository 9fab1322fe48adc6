//! Sanity run over the sample corpus (`shared/corpus`, next to the repository) against its gold
//! annotations (`shared/gold`): every person, place and organisation among a gold file's actors and
//! places that occurs in its document (under one of its gazetteer spellings) must be found with its
//! canonical name, and every party code of the gold events must be the country of some mention.
//! Nothing is hard-coded: the names come from the gold files. Run with `--nocapture` for the figures.
//!
//! When the corpus is absent the test prints a note and passes, unless `PEACETRACK_REQUIRE_SHARED=1`
//! is set (CI), in which case it fails.

use peacetrack_extract::fold::Folded;
use peacetrack_extract::{Extractor, Gazetteer, Mention, MentionKind};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn shared() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    if dir.join("gold").is_dir() && dir.join("corpus").is_dir() {
        return Some(dir);
    }
    let required = std::env::var("PEACETRACK_REQUIRE_SHARED").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "PEACETRACK_REQUIRE_SHARED=1 but the corpus is missing at {}",
        dir.display()
    );
    println!(
        "note: corpus not found at {}; sanity run skipped",
        dir.display()
    );
    None
}

/// Whether the folded `key` occurs as a whole word in the folded text.
fn occurs(folded: &Folded, name: &str) -> bool {
    let key = peacetrack_extract::fold::fold_key(name);
    let hay = folded.as_str();
    hay.match_indices(&key)
        .any(|(i, _)| folded.is_whole_word(i..i + key.len()))
}

/// The spellings the gazetteer knows for a canonical name (the name itself if it knows none).
fn spellings(g: &Gazetteer, name: &str) -> Vec<String> {
    let mut out = vec![name.to_string()];
    if let Some(p) = g.person(name) {
        out.extend(p.aliases.iter().cloned());
    }
    if let Some(p) = g.place(name) {
        out.extend(p.aliases.iter().cloned());
    }
    if let Some(o) = g.organisations().iter().find(|o| o.name == name) {
        out.extend(o.aliases.iter().cloned());
    }
    out
}

/// Tallies of one kind of check.
#[derive(Default)]
struct Tally {
    in_gold: usize,
    occurring: usize,
    found: usize,
}

impl Tally {
    fn line(&self, what: &str) -> String {
        format!(
            "{what}: {}/{} occurring found ({} in gold)",
            self.found, self.occurring, self.in_gold
        )
    }
}

#[test]
fn gold_names_that_occur_are_found() {
    let Some(shared) = shared() else {
        return;
    };
    let x = Extractor::load_default().expect("the shipped data loads");
    let g = x.gazetteer();
    let mut golds: Vec<PathBuf> = std::fs::read_dir(shared.join("gold"))
        .expect("gold folder reads")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".gold.json"))
        .collect();
    golds.sort();
    assert!(!golds.is_empty(), "no gold files");

    let (mut people, mut others, mut places, mut parties) = (
        Tally::default(),
        Tally::default(),
        Tally::default(),
        Tally::default(),
    );
    let mut misses = Vec::new();
    let mut kinds: BTreeMap<MentionKind, usize> = BTreeMap::new();
    let (mut n_sentences, mut n_bytes) = (0, 0);
    for gold_path in &golds {
        let gold: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(gold_path).unwrap()).unwrap();
        let doc = gold["doc"].as_str().expect("gold has a doc name");
        let text = std::fs::read_to_string(shared.join("corpus").join(doc)).unwrap();
        let folded = Folded::new(&text);
        let mentions = x.find_mentions(&text);
        n_sentences += x.sentences(&text).len();
        n_bytes += text.len();
        for m in &mentions {
            *kinds.entry(m.kind).or_default() += 1;
        }
        let events = gold["events"].as_array().cloned().unwrap_or_default();
        let strings = |field: &str| -> BTreeSet<String> {
            events
                .iter()
                .flat_map(|e| match &e[field] {
                    serde_json::Value::Array(a) => a
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect(),
                    serde_json::Value::String(s) => vec![s.clone()],
                    _ => Vec::new(),
                })
                .collect()
        };
        let named = |name: &str, ms: &[Mention]| {
            ms.iter().any(|m| {
                m.name == name
                    || m.id == name
                    || peacetrack_extract::fold::fold_key(&text[m.start..m.end])
                        == peacetrack_extract::fold::fold_key(name)
            })
        };
        for actor in strings("actors") {
            let tally = if g.person(&actor).is_some() {
                &mut people
            } else {
                &mut others
            };
            tally.in_gold += 1;
            if spellings(g, &actor).iter().any(|s| occurs(&folded, s)) {
                tally.occurring += 1;
                if named(&actor, &mentions) {
                    tally.found += 1;
                } else {
                    misses.push(format!("{doc}: actor {actor:?}"));
                }
            } else {
                println!("{doc}: actor {actor:?} does not occur under a known spelling");
            }
        }
        for place in strings("place") {
            places.in_gold += 1;
            if spellings(g, &place).iter().any(|s| occurs(&folded, s)) {
                places.occurring += 1;
                if named(&place, &mentions) {
                    places.found += 1;
                } else {
                    misses.push(format!("{doc}: place {place:?}"));
                }
            } else {
                println!("{doc}: place {place:?} does not occur under a known spelling");
            }
        }
        for code in strings("countries") {
            parties.in_gold += 1;
            if g.is_party(&code) {
                parties.occurring += 1;
                if mentions
                    .iter()
                    .any(|m| m.country.as_deref() == Some(code.as_str()))
                {
                    parties.found += 1;
                } else {
                    misses.push(format!("{doc}: party {code:?}"));
                }
            }
        }
    }
    println!(
        "corpus: {} documents, {} bytes, {} sentences",
        golds.len(),
        n_bytes,
        n_sentences
    );
    println!("mentions by kind: {kinds:?}");
    println!("{}", people.line("gold people"));
    println!("{}", others.line("gold other actors"));
    println!("{}", places.line("gold places"));
    println!(
        "{}",
        parties.line("gold party codes (known to the gazetteer)")
    );
    assert!(misses.is_empty(), "not found:\n{}", misses.join("\n"));
    assert!(
        people.found > 0,
        "no gold person occurs in the corpus: the gold files look wrong"
    );
}
