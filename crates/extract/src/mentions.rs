//! Finding gazetteer names in text: one key trie over every folded name, one pass.
//!
//! Every name of every entry (country names and aliases, adjectives and demonyms, organisation names
//! and abbreviations, people's names and aliases, place names) is folded with [`crate::fold`] into a
//! key; one trie holds all keys and the longest key at a position wins (so `Hakan Fidan` beats
//! `Fidan`, `OSCE Minsk Group` beats `OSCE`): the semantics of a leftmost-longest Aho-Corasick search
//! ([`crate::trie`]). The text is folded once, searched once, and each match is mapped back to a byte
//! span of the original text.
//!
//! A match is reported only when
//! - it is a whole word: no letter or digit right before or after it in the folded text, and it starts
//!   and ends on whole characters of the original text;
//! - the original text has the case the name is written with in the data: a name written capitalised
//!   (`Turkey`, `Civil Contract`) needs a capital first letter (`turkey` the bird is not a country); a
//!   name written in capitals (`US`, `UN`, `NK`) needs no lower-case letter (`us` is a pronoun); a name
//!   written in lower case (`separatist administration of Karabakh`) matches in any case.
//!
//! When the longest match at a position is rejected, the search resumes one byte later, so a shorter
//! name inside it can still be found. In practice this is still one linear pass.
//!
//! **Possessives.** `Ankara's` and `Ankara’s` give the span of the bare name `Ankara`: the apostrophe
//! is not a word character, so the name ends before it. Offsets therefore always cover the name only.

use crate::fold::{Folded, fold_key};
use crate::trie::KeyTrie;
use crate::{DataError, Gazetteer};
use serde::Serialize;
use std::collections::HashMap;

/// What a mention refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MentionKind {
    /// A country by name: `Armenia`, `Türkiye`, `the U.S.`; `id` is the ISO alpha-3 code.
    Country,
    /// An organisation: `EU`, `OSCE Minsk Group`; `id` is its code in the gazetteer.
    Organisation,
    /// A person; `id` is the canonical name (gazetteer) or the name as written (found from context).
    Person,
    /// A place other than a capital: `Margara`, `Nagorno-Karabakh`; `id` is the canonical name.
    Place,
    /// A country's adjective or demonym: `Armenian`, `Turks`; `id` is the ISO alpha-3 code.
    Demonym,
    /// A capital, often a metonym for its government (`Ankara`, `Brussels` for the EU); `id` is the
    /// canonical place name and `country` the party it stands for.
    Capital,
}

/// How a mention was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// A gazetteer name.
    Gazetteer,
    /// A title before a name: `Foreign Minister X`, `Armenian leader X`.
    Title,
    /// An apposition after a name: `X, director of ...`.
    Apposition,
    /// A verb of saying next to a name: `said X`, `X said`.
    Speech,
    /// The surname of a person found earlier in the same text by one of the cues above.
    Surname,
}

/// A name found in a text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mention {
    /// First byte of the name in the text.
    pub start: usize,
    /// One past the last byte of the name (possessive `'s` excluded).
    pub end: usize,
    /// What the name refers to.
    pub kind: MentionKind,
    /// Identifier: ISO alpha-3 code for countries and demonyms, organisation code, canonical person or
    /// place name.
    pub id: String,
    /// Canonical name: `Türkiye` for `Turkish`, `European Union` for `EU`.
    pub name: String,
    /// The party the mention stands for: a country's code, a capital's metonym (`EU` for Brussels), a
    /// person's or organisation's country, a place's country.
    pub country: Option<String>,
    /// How it was found.
    pub source: Source,
    /// For people found from context: the title or role the text gives (`Foreign Minister`).
    pub role: Option<String>,
}

/// What a gazetteer name refers to (see [`Gazetteer::resolve`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entity {
    /// The kind of mention the name gives.
    pub kind: MentionKind,
    /// Identifier, as in [`Mention::id`].
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// The party it stands for, as in [`Mention::country`].
    pub country: Option<String>,
}

/// One name to put in the matcher, with the entry it belongs to.
pub(crate) struct Alias<'a> {
    pub text: &'a str,
    pub entity: Entity,
    /// The entry, for errors: `country "ARM"`.
    pub entry: String,
    /// The file of the entry.
    pub file: &'a str,
    /// An entry (entry, file) that wins silently when both have this name (a capital yields to its
    /// city-state).
    pub yields_to: Option<(String, &'a str)>,
}

impl<'a> Alias<'a> {
    pub(crate) fn new(text: &'a str, entity: Entity, entry: String, file: &'a str) -> Alias<'a> {
        Alias {
            text,
            entity,
            entry,
            file,
            yields_to: None,
        }
    }
}

/// The case a match must have in the original text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum CaseRule {
    /// No lower-case letter (`US`, `NK`).
    AllCaps,
    /// The first letter is not lower case (`Turkey`).
    Capitalised,
    /// Any case.
    Any,
}

impl CaseRule {
    fn of(alias: &str) -> CaseRule {
        let first = alias.chars().find(|c| c.is_alphabetic());
        let cased = alias
            .chars()
            .filter(|c| c.is_uppercase() || c.is_lowercase());
        let (mut upper, mut lower) = (0, 0);
        for c in cased {
            if c.is_uppercase() {
                upper += 1;
            } else {
                lower += 1;
            }
        }
        match first {
            Some(f) if f.is_lowercase() => CaseRule::Any,
            _ if lower == 0 && upper >= 2 => CaseRule::AllCaps,
            _ if upper > 0 => CaseRule::Capitalised,
            _ => CaseRule::Any,
        }
    }

    fn accepts(self, original: &str) -> bool {
        match self {
            CaseRule::AllCaps => !original.chars().any(char::is_lowercase),
            CaseRule::Capitalised => original
                .chars()
                .find(|c| c.is_alphabetic())
                .is_none_or(|c| !c.is_lowercase()),
            CaseRule::Any => true,
        }
    }
}

/// One key of the automaton: the entity it names and the case it needs.
#[derive(Clone, Debug)]
struct Target {
    entity: usize,
    case: CaseRule,
}

/// The automaton over all folded names.
#[derive(Clone, Debug, Default)]
pub(crate) struct Matcher {
    ac: Option<KeyTrie>,
    /// The folded keys, by pattern index.
    patterns: Vec<String>,
    /// Pattern index → target.
    targets: Vec<Target>,
    entities: Vec<Entity>,
    /// Folded key → pattern index.
    keys: HashMap<String, usize>,
}

impl Matcher {
    /// Builds the automaton. Two entries may not share a name (after folding), except that an entry
    /// may repeat its own names and a capital yields to its city-state.
    pub(crate) fn build(aliases: Vec<Alias<'_>>) -> Result<Matcher, DataError> {
        let mut m = Matcher::default();
        let mut entity_ids: HashMap<(MentionKind, String), usize> = HashMap::new();
        let mut owners: Vec<(String, String)> = Vec::new(); // pattern → (entry, file)
        let mut patterns: Vec<String> = Vec::new();
        for alias in aliases {
            let key = fold_key(alias.text);
            if key.is_empty() {
                return Err(DataError::Invalid {
                    file: alias.file.to_string(),
                    entry: alias.entry,
                    problem: format!("alias {:?} folds to nothing", alias.text),
                });
            }
            let case = CaseRule::of(alias.text);
            let entity = *entity_ids
                .entry((alias.entity.kind, alias.entity.id.clone()))
                .or_insert_with(|| {
                    m.entities.push(alias.entity.clone());
                    m.entities.len() - 1
                });
            match m.keys.get(&key) {
                None => {
                    m.keys.insert(key.clone(), patterns.len());
                    patterns.push(key);
                    m.targets.push(Target { entity, case });
                    owners.push((alias.entry, alias.file.to_string()));
                }
                Some(&p) => {
                    let (entry, file) = &owners[p];
                    let same_owner = *entry == alias.entry && file == alias.file;
                    if same_owner {
                        // The same entry again (`Kılıç` and `Kilic`): keep the more permissive case.
                        if m.targets[p].entity == entity {
                            m.targets[p].case = m.targets[p].case.max(case);
                        }
                        continue;
                    }
                    if alias
                        .yields_to
                        .as_ref()
                        .is_some_and(|(e, f)| e == entry && f == file)
                    {
                        continue;
                    }
                    return Err(DataError::Invalid {
                        file: alias.file.to_string(),
                        entry: alias.entry,
                        problem: format!(
                            "alias {:?} is already a name of {entry} ({file})",
                            alias.text
                        ),
                    });
                }
            }
        }
        if !patterns.is_empty() {
            m.ac = Some(KeyTrie::new(&patterns));
        }
        m.patterns = patterns;
        Ok(m)
    }

    /// How many distinct keys the automaton holds.
    pub(crate) fn len(&self) -> usize {
        self.targets.len()
    }

    /// What the name `name` refers to, if it is a gazetteer name (ignoring case rules).
    pub(crate) fn resolve(&self, name: &str) -> Option<&Entity> {
        let p = *self.keys.get(&fold_key(name))?;
        Some(&self.entities[self.targets[p].entity])
    }

    /// All gazetteer mentions in `text`, in order, not overlapping.
    /// `folded` is `text` folded ([`Folded::new`]).
    pub(crate) fn find(&self, text: &str, folded: &Folded) -> Vec<Mention> {
        let Some(ac) = &self.ac else {
            return Vec::new();
        };
        let mut out = Vec::new();
        ac.scan(folded, |_, s, e, pattern| {
            self.take(text, folded, s, e, pattern, &mut out)
        });
        out
    }

    /// The folded keys, by pattern index (for a [`KeyTrie`] over several lists).
    pub(crate) fn keys(&self) -> &[String] {
        &self.patterns
    }

    /// Takes the match of key `pattern` at the folded range `s..e` into `out` if it is a whole word
    /// of whole characters with the case the name needs (the test [`Matcher::find`] applies to the
    /// longest key at each position).
    pub(crate) fn take(
        &self,
        text: &str,
        folded: &Folded,
        s: usize,
        e: usize,
        pattern: usize,
        out: &mut Vec<Mention>,
    ) -> bool {
        let target = &self.targets[pattern];
        let Some(span) = folded.whole_source(s..e) else {
            return false;
        };
        if !target.case.accepts(&text[span.clone()]) {
            return false;
        }
        let entity = &self.entities[target.entity];
        out.push(Mention {
            start: span.start,
            end: span.end,
            kind: entity.kind,
            id: entity.id.clone(),
            name: entity.name.clone(),
            country: entity.country.clone(),
            source: Source::Gazetteer,
            role: None,
        });
        true
    }
}

impl Gazetteer {
    /// Every gazetteer name in `text`, in order and not overlapping, with byte spans into `text`.
    ///
    /// ```
    /// use peacetrack_extract::{Gazetteer, MentionKind};
    /// let g = Gazetteer::load_default().unwrap();
    /// let text = "Ankara’s envoy Serdar Kilic met Armenian officials.";
    /// let m = g.find_mentions(text);
    /// assert_eq!(&text[m[0].start..m[0].end], "Ankara");
    /// assert_eq!((m[0].kind, m[0].country.as_deref()), (MentionKind::Capital, Some("TUR")));
    /// assert_eq!(m[1].id, "Serdar Kılıç");
    /// assert_eq!((m[2].kind, m[2].id.as_str()), (MentionKind::Demonym, "ARM"));
    /// ```
    pub fn find_mentions(&self, text: &str) -> Vec<Mention> {
        self.matcher.find(text, &Folded::new(text))
    }

    /// What `name` refers to if it is one of the gazetteer's names, compared after folding (so
    /// `Kilic` resolves to Serdar Kılıç). Case rules are not applied.
    pub fn resolve(&self, name: &str) -> Option<&Entity> {
        self.matcher.resolve(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::sync::LazyLock;

    static GAZ: LazyLock<Gazetteer> =
        LazyLock::new(|| Gazetteer::load_default().expect("the shipped gazetteer loads"));

    fn found(text: &str) -> Vec<(&str, MentionKind, String)> {
        GAZ.find_mentions(text)
            .into_iter()
            .map(|m| (&text[m.start..m.end], m.kind, m.id))
            .collect()
    }

    #[test]
    fn case_rules() {
        assert_eq!(CaseRule::of("US"), CaseRule::AllCaps);
        assert_eq!(CaseRule::of("U.S."), CaseRule::AllCaps);
        assert_eq!(CaseRule::of("Turkey"), CaseRule::Capitalised);
        assert_eq!(CaseRule::of("DR Congo"), CaseRule::Capitalised);
        assert_eq!(CaseRule::of("von der Leyen"), CaseRule::Any);
        assert!(!CaseRule::AllCaps.accepts("us"));
        assert!(CaseRule::AllCaps.accepts("US"));
        assert!(!CaseRule::Capitalised.accepts("turkey"));
        assert!(CaseRule::Capitalised.accepts("TURKEY"));
    }

    #[test]
    fn whole_words_case_and_possessives() {
        let text = "They told us the US and Türkiye’s envoy Kılıç met; a turkey was served in Ankara's hall.";
        let got = found(text);
        let ids: Vec<(&str, &str)> = got.iter().map(|(s, _, id)| (*s, id.as_str())).collect();
        assert_eq!(
            ids,
            [
                ("US", "USA"),
                ("Türkiye", "TUR"),
                ("Kılıç", "Serdar Kılıç"),
                ("Ankara", "Ankara")
            ]
        );
    }

    #[test]
    fn longest_name_wins() {
        let got = found("The OSCE Minsk Group and Hakan Fidan met in Saint Petersburg.");
        let ids: Vec<&str> = got.iter().map(|(_, _, id)| id.as_str()).collect();
        assert_eq!(ids, ["OSCE-MG", "Hakan Fidan", "Saint Petersburg"]);
    }

    #[test]
    fn hyphens_and_line_breaks() {
        let got = found("the Nagorno-\nKarabakh conflict; Nagorno Karabakh; Stepanakert");
        let ids: Vec<&str> = got.iter().map(|(_, _, id)| id.as_str()).collect();
        assert_eq!(ids, ["Nagorno-Karabakh", "Nagorno-Karabakh", "Khankendi"]);
    }

    #[test]
    fn a_rejected_long_match_leaves_shorter_ones() {
        // "Armenian parliament" needs a capital A; in lower case only "Armenia" is left... and it is
        // not a whole word inside "armenian", so nothing is found; "Yerevan" still is.
        let got = found("the armenian parliament in Yerevan");
        let ids: Vec<&str> = got.iter().map(|(_, _, id)| id.as_str()).collect();
        assert_eq!(ids, ["Yerevan"]);
    }

    #[test]
    fn resolve_by_any_spelling() {
        let e = GAZ.resolve("Cavusoglu").unwrap();
        assert_eq!(
            (e.kind, e.id.as_str()),
            (MentionKind::Person, "Mevlüt Çavuşoğlu")
        );
        assert_eq!(GAZ.resolve("turkiye").unwrap().id, "TUR");
        assert!(GAZ.resolve("Atlantis").is_none());
    }

    /// Pieces to build texts from: names, their folds' tricky characters, spaces, punctuation.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("Kılıç".to_string()),
            Just("Serdar Kilic".to_string()),
            Just("Türkiye".to_string()),
            Just("İstanbul".to_string()),
            Just("Nagorno-".to_string()),
            Just("Karabakh".to_string()),
            Just("Armenia".to_string()),
            Just("US".to_string()),
            Just("U.S.".to_string()),
            Just("Ankara’s".to_string()),
            Just("Çavuşoğlu".to_string()),
            Just("Москва".to_string()),
            Just("習近平".to_string()),
            Just("\u{0327}".to_string()),
            Just("\u{00AD}".to_string()),
            Just("ß".to_string()),
            Just("—".to_string()),
            Just("…".to_string()),
            Just(" ".to_string()),
            Just("\n".to_string()),
            Just("\u{00A0}".to_string()),
            Just("-".to_string()),
            Just("'s".to_string()),
            "[a-zA-Z]{1,3}",
            any::<char>().prop_map(String::from),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Every mention's span lies on char boundaries, in order, and folds to a key that names the
        /// mention's entity.
        #[test]
        fn spans_fold_back_to_their_names(parts in prop::collection::vec(piece(), 0..24)) {
            let text: String = parts.concat();
            let mut last_end = 0;
            for m in GAZ.find_mentions(&text) {
                prop_assert!(m.start < m.end && m.end <= text.len());
                prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
                prop_assert!(m.start >= last_end);
                last_end = m.end;
                let span = &text[m.start..m.end];
                let entity = GAZ.resolve(span);
                prop_assert!(entity.is_some(), "{span:?} in {text:?} resolves to nothing");
                let entity = entity.unwrap();
                prop_assert_eq!((entity.kind, entity.id.as_str()), (m.kind, m.id.as_str()));
            }
        }

        /// Folding never panics and its map always gives char-boundary ranges.
        #[test]
        fn fold_map_is_on_char_boundaries(text in any::<String>()) {
            let f = Folded::new(&text);
            for i in 0..f.as_str().len() {
                let r = f.source(i..i + 1);
                prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                prop_assert!(r.start <= r.end && r.end <= text.len());
            }
        }
    }
}
