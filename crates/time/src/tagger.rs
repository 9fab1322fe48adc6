//! The rule engine: compiles the rule and lexicon files once, then tags texts.
//!
//! Matching is one pass over the text: every rule's pattern is compiled into a single multi-pattern
//! regex (`regex_automata::meta::Regex::new_many`), searched leftmost-first, so at one start position the
//! rule listed first in `rules.toml` wins. Each match's named groups are normalised through the lexicons
//! (`month` → `03`, `num` → `3`, …) and substituted into the rule's value template; [`crate::resolve`]
//! then turns the template's directives (`@rel(Y,-1)`, `@wd(5,news)`, …) into TIMEX3 values, in text
//! order, so anaphoric expressions can see the narrative's last date.

use crate::resolve::{Resolver, Tense};
use crate::{Timex, TimexType};
use jiff::civil::Date;
use regex::Regex;
use regex_automata::util::captures::Captures;
use regex_automata::{Input, meta};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

const DEFAULT_LEXICON: &str = include_str!("../data/lexicon.toml");
const DEFAULT_RULES: &str = include_str!("../data/rules.toml");

/// A rule or lexicon file could not be loaded or compiled.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    /// A data file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A data file is malformed.
    #[error("{file}: {message}")]
    Invalid {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
}

fn invalid(file: &str, message: impl Into<String>) -> RuleError {
    RuleError::Invalid {
        file: file.to_string(),
        message: message.into(),
    }
}

/// `lexicon.toml` as written.
#[derive(Deserialize)]
struct LexiconFile {
    /// Words that name a time only when capitalised ("May", "March", "Sun").
    #[serde(default)]
    capitalized_only: Vec<String>,
    /// Cue words that make a sentence future-oriented (for year and weekday inference).
    #[serde(default)]
    future_cues: Vec<String>,
    /// Cue words that make a sentence past-oriented.
    #[serde(default)]
    past_cues: Vec<String>,
    /// Word endings that make a word a past cue ("ed").
    #[serde(default)]
    past_suffixes: Vec<String>,
    #[serde(flatten)]
    tables: BTreeMap<String, BTreeMap<String, toml::Value>>,
}

/// `rules.toml` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    macros: BTreeMap<String, String>,
    rule: Vec<RuleSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    pattern: String,
    #[serde(default)]
    value: String,
    #[serde(rename = "mod", default)]
    modifier: Option<String>,
    /// The match is not a temporal expression: consume it so no other rule tags inside it.
    #[serde(default)]
    reject: bool,
    /// Drop the match when the text right before it matches this regex (anchored at the end).
    #[serde(default)]
    not_after: Option<String>,
    /// Drop the match when the text right after it matches this regex (anchored at the start).
    #[serde(default)]
    not_before: Option<String>,
    /// Keep the match only when the text right before it matches this regex (anchored at the end).
    #[serde(default)]
    only_after: Option<String>,
    /// Keep the match only when the text right after it matches this regex (anchored at the start).
    #[serde(default)]
    only_before: Option<String>,
}

/// The lexicons, keyed by table name then by normalised word.
#[derive(Debug)]
pub(crate) struct Lexicon {
    tables: HashMap<String, HashMap<String, String, Fnv>, Fnv>,
}

/// FNV-1a, for the lexicon's short keys: the lookups run for every group of every match, and the
/// default SipHash costs more than the rest of a lookup. The keys come from our own data files, so
/// hash flooding is no concern.
type Fnv = std::hash::BuildHasherDefault<FnvHasher>;

/// The state of an FNV-1a hash ([`Fnv`]).
struct FnvHasher(u64);

impl Default for FnvHasher {
    fn default() -> FnvHasher {
        FnvHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for FnvHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl Lexicon {
    /// Looks a word or phrase up in a table; the phrase is normalised (lower case, single spaces,
    /// straight apostrophes, no trailing period).
    pub(crate) fn get(&self, table: &str, phrase: &str) -> Option<&str> {
        let mut buf = [0; 40];
        let owned;
        let key = match ascii_key(phrase, &mut buf) {
            Some(key) => key,
            None => {
                owned = normalise_phrase(phrase);
                owned.as_str()
            }
        };
        let t = self.tables.get(table)?;
        t.get(key)
            .or_else(|| {
                key.contains('-')
                    .then(|| t.get(&key.replace('-', " ")))
                    .flatten()
            })
            .map(String::as_str)
    }
}

/// [`normalise_phrase`] of a short ASCII phrase that needs only lower-casing (as most matched words
/// do: single spaces, no space or period at either end), written into `buf` without allocating;
/// `None` for any other phrase.
fn ascii_key<'b>(phrase: &str, buf: &'b mut [u8]) -> Option<&'b str> {
    let b = phrase.as_bytes();
    let simple = b.len() <= buf.len()
        && b.first().is_some_and(|&c| c != b' ')
        && b.last().is_some_and(|&c| c != b' ' && c != b'.')
        && !b.windows(2).any(|w| w == b"  ")
        // ASCII without whitespace but the plain space (`\t` to `\r` are whitespace too).
        && b.iter().all(|&c| c.is_ascii() && !(b'\t'..=b'\r').contains(&c));
    if !simple {
        return None;
    }
    let key = &mut buf[..b.len()];
    key.copy_from_slice(b);
    key.make_ascii_lowercase();
    std::str::from_utf8(key).ok()
}

/// Lower case, whitespace runs to one space, curly apostrophes straightened, trailing `.` removed.
pub(crate) fn normalise_phrase(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.trim().chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        match c {
            '\u{2019}' | '\u{2018}' => out.push('\''),
            '\u{2010}'..='\u{2014}' => out.push('-'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    while out.ends_with('.') {
        out.pop();
    }
    out
}

#[derive(Debug)]
struct Rule {
    id: String,
    kind: TimexType,
    value: String,
    modifier: Option<String>,
    reject: bool,
    not_after: Option<Regex>,
    not_before: Option<Regex>,
    only_after: Option<Regex>,
    only_before: Option<Regex>,
    /// Named groups of this rule's pattern, in group-index order.
    groups: Vec<String>,
    /// Whether a match's groups are used: the rule keeps its matches and its value or mod template
    /// names a group. Without, finding the groups (an anchored capture search) is skipped.
    needs_groups: bool,
}

/// Compiled temporal rules.
#[derive(Debug)]
pub struct Tagger {
    regex: meta::Regex,
    /// Each rule's pattern alone, for anchored retries after a veto.
    singles: Vec<meta::Regex>,
    rules: Vec<Rule>,
    lexicon: Lexicon,
    future_cue: Regex,
    past_cue: Regex,
    /// `\w` alone, to tell word characters outside ASCII as the cue patterns' `\b` does.
    word_char: Regex,
    /// Whether the cue words allow [`AsciiWindow`]: ASCII only, without `_` or `#`.
    ascii_cues: bool,
}

/// One rule match before resolution: span, rule, and the value template with groups substituted.
#[derive(Debug)]
pub(crate) struct Candidate {
    pub start: usize,
    pub end: usize,
    pub rule: usize,
    pub value: String,
    pub modifier: Option<String>,
    /// The tense around the expression ([`Tagger::tense`]), found when a directive first needs it.
    pub tense: std::cell::OnceCell<Tense>,
}

impl Tagger {
    /// The tagger with the rules and lexicons shipped in `crates/time/data/`.
    pub fn new() -> Result<Tagger, RuleError> {
        Tagger::from_sources(
            ("lexicon.toml", DEFAULT_LEXICON),
            ("rules.toml", DEFAULT_RULES),
        )
    }

    /// A tagger with rules and lexicons read from `dir/lexicon.toml` and `dir/rules.toml`.
    pub fn from_dir(dir: &Path) -> Result<Tagger, RuleError> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).map_err(|source| RuleError::Io {
                path: path.display().to_string(),
                source,
            })
        };
        let lex = read("lexicon.toml")?;
        let rules = read("rules.toml")?;
        let lex_name = dir.join("lexicon.toml").display().to_string();
        let rules_name = dir.join("rules.toml").display().to_string();
        Tagger::from_sources((&lex_name, &lex), (&rules_name, &rules))
    }

    fn from_sources(lex: (&str, &str), rules: (&str, &str)) -> Result<Tagger, RuleError> {
        let (lex_name, lex_src) = lex;
        let (rules_name, rules_src) = rules;
        let lex_file: LexiconFile =
            toml::from_str(lex_src).map_err(|e| invalid(lex_name, e.to_string()))?;
        let rules_file: RulesFile =
            toml::from_str(rules_src).map_err(|e| invalid(rules_name, e.to_string()))?;

        let capitalized: Vec<String> = lex_file
            .capitalized_only
            .iter()
            .map(|w| normalise_phrase(w))
            .collect();
        let mut tables = HashMap::default();
        let mut macros: BTreeMap<String, String> = BTreeMap::new();
        for (name, entries) in &lex_file.tables {
            let mut table = HashMap::default();
            for (word, value) in entries {
                let v = match value {
                    toml::Value::String(s) => s.clone(),
                    toml::Value::Integer(i) => i.to_string(),
                    toml::Value::Float(f) => f.to_string(),
                    other => {
                        return Err(invalid(
                            lex_name,
                            format!("[{name}] {word}: expected a string or a number, got {other}"),
                        ));
                    }
                };
                table.insert(normalise_phrase(word), v);
            }
            macros.insert(
                name.to_ascii_uppercase(),
                alternation(entries.keys(), &capitalized),
            );
            tables.insert(name.clone(), table);
        }
        for (name, pattern) in &rules_file.macros {
            if macros.contains_key(name) {
                return Err(invalid(
                    rules_name,
                    format!("macro {name} is also a lexicon table"),
                ));
            }
            macros.insert(name.clone(), pattern.clone());
        }
        // Macros may use other macros: expand them to a fixed point (bounded, so a cycle is an error).
        let names: Vec<String> = macros.keys().cloned().collect();
        for _ in 0..8 {
            let mut changed = false;
            for name in &names {
                let expanded = expand(&macros[name], &macros);
                if expanded != macros[name] {
                    macros.insert(name.clone(), expanded);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }

        let mut patterns = Vec::with_capacity(rules_file.rule.len());
        let mut singles = Vec::with_capacity(rules_file.rule.len());
        let mut rules = Vec::with_capacity(rules_file.rule.len());
        for spec in rules_file.rule {
            let where_ = format!("rule {}", spec.id);
            let kind = TimexType::parse(&spec.kind).ok_or_else(|| {
                invalid(
                    rules_name,
                    format!(
                        "{where_}: unknown type {:?} (DATE, TIME, DURATION, SET)",
                        spec.kind
                    ),
                )
            })?;
            let pattern = expand(&spec.pattern, &macros);
            if let Some(open) = pattern.find('{').filter(|&i| {
                pattern[i + 1..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_uppercase())
            }) {
                return Err(invalid(
                    rules_name,
                    format!("{where_}: unknown macro at {:?}", &pattern[open..]),
                ));
            }
            let pattern = format!("(?i){}", pattern.replace(r"\b", r"(?-u:\b)"));
            // Validate each pattern alone so the error names the rule.
            let single = meta::Regex::new(&pattern)
                .map_err(|e| invalid(rules_name, format!("{where_}: {e}")))?;
            let groups = single
                .group_info()
                .pattern_names(regex_automata::PatternID::ZERO)
                .map(|n| n.unwrap_or("").to_string())
                .collect();
            let compile =
                |re: &Option<String>, anchor_end: bool| -> Result<Option<Regex>, RuleError> {
                    re.as_ref()
                        .map(|r| {
                            let full = if anchor_end {
                                format!("(?i)(?:{r})$")
                            } else {
                                format!("(?i)^(?:{r})")
                            };
                            Regex::new(&expand(&full, &macros))
                                .map_err(|e| invalid(rules_name, format!("{where_}: {e}")))
                        })
                        .transpose()
                };
            let needs_groups = !spec.reject
                && (spec.value.contains('{')
                    || spec.modifier.as_ref().is_some_and(|m| m.contains('{')));
            rules.push(Rule {
                not_after: compile(&spec.not_after, true)?,
                not_before: compile(&spec.not_before, false)?,
                only_after: compile(&spec.only_after, true)?,
                only_before: compile(&spec.only_before, false)?,
                id: spec.id,
                kind,
                value: spec.value,
                modifier: spec.modifier,
                needs_groups,
                reject: spec.reject,
                groups,
            });
            patterns.push(pattern);
            singles.push(single);
        }
        let regex = meta::Builder::new()
            .configure(
                meta::Config::new()
                    .match_kind(regex_automata::MatchKind::LeftmostFirst)
                    // Many case-insensitive patterns: a larger lazy-DFA cache avoids falling back
                    // to the slower engines on long texts.
                    .hybrid_cache_capacity(16 << 20),
            )
            .build_many(&patterns)
            .map_err(|e| invalid(rules_name, e.to_string()))?;

        let cue_regex = |words: &[String], what: &str| {
            let alt = alternation(words.iter(), &[]);
            Regex::new(&format!(r"(?i)\b(?:{alt})\b"))
                .map_err(|e| invalid(lex_name, format!("{what}: {e}")))
        };
        Ok(Tagger {
            regex,
            singles,
            rules,
            lexicon: Lexicon { tables },
            word_char: Regex::new(r"\A\w\z").map_err(|e| invalid(lex_name, e.to_string()))?,
            ascii_cues: lex_file
                .future_cues
                .iter()
                .chain(&lex_file.past_cues)
                .chain(&lex_file.past_suffixes)
                .all(|w| w.is_ascii() && !w.contains(['_', '#'])),
            future_cue: cue_regex(&lex_file.future_cues, "future_cues")?,
            past_cue: {
                let words = alternation(lex_file.past_cues.iter(), &[]);
                let suffixes: Vec<String> = lex_file
                    .past_suffixes
                    .iter()
                    .map(|s| format!(r"[a-z]{{3,}}{}", regex::escape(s)))
                    .collect();
                let all = std::iter::once(words)
                    .chain(suffixes)
                    .collect::<Vec<_>>()
                    .join("|");
                Regex::new(&format!(r"(?i)\b(?:{all})\b"))
                    .map_err(|e| invalid(lex_name, format!("past_cues: {e}")))?
            },
        })
    }

    /// Finds and normalises every temporal expression in `text`; relative expressions are resolved
    /// against `reference` (the document date) when it is known, anaphoric ones against the last date
    /// the text mentioned before them.
    pub fn tag(&self, text: &str, reference: Option<Date>) -> Vec<Timex> {
        self.resolve_all(text, &self.candidates(text), reference)
    }

    /// Tags a document whose date may be unknown. With a `reference` this is [`Tagger::tag`]; without
    /// one, the date is inferred from the text ([`crate::docdate`]) and the expressions are resolved
    /// against it. One matching pass serves both.
    pub fn tag_document(
        &self,
        text: &str,
        reference: Option<Date>,
    ) -> (Vec<Timex>, Option<crate::docdate::InferredDate>) {
        match reference {
            Some(_) => (self.tag(text, reference), None),
            None => self.tag_inferring(text, None),
        }
    }

    /// [`Tagger::tag_document`] without a reference date, for a text known to report an occurrence on
    /// `reported` (a dated milestone it names without the year): the inferred date is the one
    /// [`crate::docdate`] gives when `reported` counts among the explicit dates the text reports.
    pub fn tag_document_reporting(
        &self,
        text: &str,
        reported: Date,
    ) -> (Vec<Timex>, Option<crate::docdate::InferredDate>) {
        self.tag_inferring(text, Some(reported))
    }

    /// One matching pass: the expressions resolved without a reference date give the document's
    /// date ([`crate::docdate`], with `reported` among its explicit dates), and are resolved again
    /// against it.
    fn tag_inferring(
        &self,
        text: &str,
        reported: Option<Date>,
    ) -> (Vec<Timex>, Option<crate::docdate::InferredDate>) {
        let candidates = self.candidates(text);
        let unresolved = self.resolve_all(text, &candidates, None);
        match crate::docdate::infer_reporting(self, text, &unresolved, reported) {
            Some(inferred) => (
                self.resolve_all(text, &candidates, Some(inferred.date)),
                Some(inferred),
            ),
            None => (unresolved, None),
        }
    }

    /// Resolves candidates in text order against a reference date.
    fn resolve_all(
        &self,
        text: &str,
        candidates: &[Candidate],
        reference: Option<Date>,
    ) -> Vec<Timex> {
        let mut resolver = Resolver::new(reference);
        let mut out = Vec::with_capacity(candidates.len());
        for c in candidates {
            let rule = &self.rules[c.rule];
            let tense = || *c.tense.get_or_init(|| self.tense(text, c.start, c.end));
            let Some(value) = resolver.resolve_lazy(&c.value, &tense, rule.kind) else {
                continue;
            };
            out.push(Timex {
                start: c.start,
                end: c.end,
                kind: rule.kind,
                value,
                modifier: c.modifier.clone(),
                rule: rule.id.clone(),
            });
        }
        out
    }

    /// Every rule match, in text order, with its template filled in.
    ///
    /// At each position the multi-pattern regex proposes the highest-priority rule; when that rule's
    /// context filters veto it, the lower-priority rules are tried at the same position, one by one.
    pub(crate) fn candidates(&self, text: &str) -> Vec<Candidate> {
        let mut out = Vec::new();
        // One capture buffer per rule, made when the rule first matches in this text and reused.
        let mut caps_of: Vec<Option<Captures>> = Vec::new();
        caps_of.resize_with(self.rules.len(), || None);
        let mut at = 0;
        while at < text.len() {
            let input = Input::new(text).span(at..text.len());
            // Only the span and the rule here: the groups come from the rule's own pattern below,
            // whose automaton is a small part of the one of all rules together.
            let Some(m) = self.regex.search(&input) else {
                break;
            };
            let (start, first) = (m.start(), m.pattern().as_usize());
            let found = if self.accepts(first, text, start, m.end()) {
                Some((first, m.end(), None))
            } else {
                self.next_rule_at(text, start, first)
            };
            let Some((rule_ix, end, own_caps)) = found else {
                at = next_char(text, start);
                continue;
            };
            at = end;
            let rule = &self.rules[rule_ix];
            if rule.reject {
                continue;
            }
            let fallback;
            let caps = match &own_caps {
                Some(caps) => Some(caps),
                None if !rule.needs_groups => None,
                None => {
                    let caps = caps_of[rule_ix]
                        .get_or_insert_with(|| self.singles[rule_ix].create_captures());
                    fallback = self.groups_at(rule_ix, text, start, end, caps);
                    Some(fallback.as_ref().unwrap_or(caps))
                }
            };
            if let Some(c) = self.candidate(text, rule_ix, start, end, caps) {
                out.push(c);
            }
        }
        out
    }

    /// Fills `caps` with the groups of rule `ix`'s match `start..end`: its own pattern, anchored at
    /// `start`, finds the same match the pattern of all rules did (at one start the first rule that
    /// matches wins, with its own leftmost-first end). Should it not, the pattern of all rules is
    /// asked, as before, and its captures are returned instead.
    ///
    /// The search is confined to `start..end` (look-around still sees the text on either side): the
    /// match is the highest-priority way the pattern matches from `start`, and it ends at `end`, so
    /// it is also the highest-priority way within `start..end`. The lazy DFA that meta runs before
    /// the capture engine then stops at `end` instead of scanning on until it dies.
    fn groups_at(
        &self,
        ix: usize,
        text: &str,
        start: usize,
        end: usize,
        caps: &mut Captures,
    ) -> Option<Captures> {
        let input = Input::new(text)
            .span(start..end)
            .anchored(regex_automata::Anchored::Yes);
        self.singles[ix].search_captures(&input, caps);
        if caps.get_match().is_some_and(|m| m.end() == end) {
            return None;
        }
        let mut caps = self.regex.create_captures();
        self.regex
            .search_captures(&Input::new(text).span(start..text.len()), &mut caps);
        Some(caps)
    }

    /// Whether rule `ix` may match `start..end`: not empty, and no context filter vetoes it.
    fn accepts(&self, ix: usize, text: &str, start: usize, end: usize) -> bool {
        let rule = &self.rules[ix];
        end > start
            && !rule
                .not_after
                .as_ref()
                .is_some_and(|r| r.is_match(&text[..start]))
            && !rule
                .not_before
                .as_ref()
                .is_some_and(|r| r.is_match(&text[end..]))
            && rule
                .only_after
                .as_ref()
                .is_none_or(|r| r.is_match(&text[..start]))
            && rule
                .only_before
                .as_ref()
                .is_none_or(|r| r.is_match(&text[end..]))
    }

    /// The first rule after `after` (in priority order) that matches at `start` and is accepted there.
    fn next_rule_at(
        &self,
        text: &str,
        start: usize,
        after: usize,
    ) -> Option<(usize, usize, Option<Captures>)> {
        for ix in after + 1..self.rules.len() {
            let single = &self.singles[ix];
            let mut caps = single.create_captures();
            let input = Input::new(text)
                .span(start..text.len())
                .anchored(regex_automata::Anchored::Yes);
            single.search_captures(&input, &mut caps);
            if let Some(m) = caps.get_match()
                && self.accepts(ix, text, start, m.end())
            {
                return Some((ix, m.end(), Some(caps)));
            }
        }
        None
    }

    /// The candidate for an accepted match of rule `ix` (`None` for reject rules and for matches whose
    /// groups cannot be normalised). `caps` is `None` for rules whose templates use no group.
    fn candidate(
        &self,
        text: &str,
        ix: usize,
        start: usize,
        end: usize,
        caps: Option<&Captures>,
    ) -> Option<Candidate> {
        let rule = &self.rules[ix];
        if rule.reject {
            return None;
        }
        // A named group's text, if it took part in the match (group names are unique in a pattern;
        // unnamed groups are listed as "" and never looked up).
        let group = |name: &str| {
            if name.is_empty() {
                return None;
            }
            let gi = rule.groups.iter().position(|n| n == name)?;
            let span = caps?.get_group(gi)?;
            Some(&text[span.start..span.end])
        };
        let value = fill(&rule.value, &group, &self.lexicon)?;
        let modifier = match &rule.modifier {
            Some(t) => fill(t, &group, &self.lexicon).filter(|m| !m.is_empty()),
            None => None,
        };
        Some(Candidate {
            start,
            end,
            rule: ix,
            value,
            modifier,
            tense: std::cell::OnceCell::new(),
        })
    }

    /// Whether the clause around an expression looks ahead (a future cue nearer than any past cue).
    pub(crate) fn is_future_context(&self, text: &str, t: &Timex) -> bool {
        self.cue_tense(text, t.start, t.end, true) == Tense::Future
    }

    /// The tense around a span: the nearest cue wins, looking at the clause before the expression (a
    /// future cue only counts there: "will meet on Friday") and a little after it (past cues only:
    /// "Friday, officials said").
    fn tense(&self, text: &str, start: usize, end: usize) -> Tense {
        self.cue_tense(text, start, end, false)
    }

    /// [`Tagger::tense`]; with `future_or_not`, for callers that only ask whether it is
    /// [`Tense::Future`], the past cues are not searched when no future cue precedes the span (most
    /// spans), and the answer is then [`Tense::Unknown`] even where it would be [`Tense::Past`].
    fn cue_tense(&self, text: &str, start: usize, end: usize, future_or_not: bool) -> Tense {
        let s = sentence_start(text, start).max(floor_boundary(text, start.saturating_sub(80)));
        let before = AsciiWindow::new(&text[s..start], self);
        let last_before = |r: &Regex| {
            r.find_iter(before.hay())
                .last()
                .map(|m| before.len() - before.original(m.end()))
        };
        let future = last_before(&self.future_cue);
        if future_or_not && future.is_none() {
            return Tense::Unknown;
        }
        let e = sentence_end(text, end).min(ceil_boundary(text, (end + 40).min(text.len())));
        let after = AsciiWindow::new(&text[end..e], self);
        let first_after = |r: &Regex| r.find(after.hay()).map(|m| after.original(m.start()));
        let past = [last_before(&self.past_cue), first_after(&self.past_cue)]
            .into_iter()
            .flatten()
            .min();
        match (future, past) {
            (Some(f), Some(p)) if f <= p => Tense::Future,
            (Some(_), None) => Tense::Future,
            (_, Some(_)) => Tense::Past,
            (None, None) => Tense::Unknown,
        }
    }
}

/// A stretch of text the tense cues are searched in, made ASCII so that the cue patterns' Unicode
/// `\b` runs in the lazy DFA (which gives up on other bytes and leaves the search to slower engines).
///
/// Every character becomes one byte that the cue patterns treat exactly as they treat the character:
/// ASCII stays; `’` (which the patterns accept for `'`) becomes `'`; other whitespace becomes a space;
/// other word characters (`\w`) become `_` and the rest `#`, which no cue contains. Then every
/// match in the ASCII stretch is, character for character, a match in the original, and offsets map
/// back through `offsets`. Texts with `K` (KELVIN SIGN) or `ſ`, which match `k` and `s` case-
/// insensitively, and cue lists with other characters, are searched as they are.
struct AsciiWindow<'t> {
    text: &'t str,
    /// The ASCII stretch and, for each of its bytes (and its end), the offset in `text`; `None`
    /// when `text` is searched as it is.
    ascii: Option<(String, Vec<usize>)>,
}

impl<'t> AsciiWindow<'t> {
    fn new(text: &'t str, tagger: &Tagger) -> AsciiWindow<'t> {
        let as_is = AsciiWindow { text, ascii: None };
        if text.is_ascii() || !tagger.ascii_cues || text.contains(['\u{212A}', '\u{17F}']) {
            return as_is;
        }
        let mut hay = String::with_capacity(text.len());
        let mut offsets = Vec::with_capacity(text.len() + 1);
        for (i, c) in text.char_indices() {
            offsets.push(i);
            hay.push(if c.is_ascii() {
                c
            } else if c == '\u{2019}' {
                '\''
            } else if c.is_whitespace() {
                ' '
            } else if tagger.word_char.is_match(c.encode_utf8(&mut [0; 4])) {
                '_'
            } else {
                '#'
            });
        }
        offsets.push(text.len());
        AsciiWindow {
            text,
            ascii: Some((hay, offsets)),
        }
    }

    /// What to search.
    fn hay(&self) -> &str {
        self.ascii.as_ref().map_or(self.text, |(hay, _)| hay)
    }

    /// The offset in the original text of offset `i` of [`AsciiWindow::hay`].
    fn original(&self, i: usize) -> usize {
        self.ascii.as_ref().map_or(i, |(_, offsets)| {
            offsets.get(i).copied().unwrap_or(self.text.len())
        })
    }

    /// The original text's length.
    fn len(&self) -> usize {
        self.text.len()
    }
}

fn next_char(text: &str, at: usize) -> usize {
    text[at..]
        .chars()
        .next()
        .map_or(text.len() + 1, |c| at + c.len_utf8())
}

fn sentence_start(text: &str, at: usize) -> usize {
    // Only the last 200 bytes are searched: an earlier sentence end would be overridden by the
    // bound below anyway (the delimiters are ASCII, so offsets in the slice are offsets in `text`).
    let from = floor_boundary(text, at.saturating_sub(200));
    text[from..at]
        .rfind(['.', '!', '?', '\n'])
        .map(|i| from + i)
        .map_or(0, |i| i + 1)
        .max(at.saturating_sub(200))
        .min(at)
        .max(floor_boundary(text, at.saturating_sub(200)))
}

fn sentence_end(text: &str, at: usize) -> usize {
    let limit = ceil_boundary(text, (at + 200).min(text.len()));
    text[at..limit]
        .find(['.', '!', '?', '\n'])
        .map_or(limit, |i| at + i)
}

/// The char boundary at or before `i`.
pub(crate) fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// A regex alternation of lexicon words, longest first; multi-word entries match any whitespace run,
/// hyphenated ones also a space; `capitalized` words only match with a capital first letter.
fn alternation<'a>(words: impl Iterator<Item = &'a String>, capitalized: &[String]) -> String {
    let mut words: Vec<&String> = words.collect();
    words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    let alts: Vec<String> = words
        .iter()
        .map(|w| {
            let mut p = String::new();
            for (i, part) in w.split(' ').enumerate() {
                if i > 0 {
                    p.push_str(r"\s+");
                }
                let escaped = regex::escape(part)
                    .replace('-', r"[-\s]?")
                    .replace('\'', "['\u{2019}]");
                p.push_str(&escaped);
            }
            if capitalized.iter().any(|c| c == &normalise_phrase(w)) {
                let mut chars = p.chars();
                let first = chars.next().map(|c| c.to_ascii_uppercase()).unwrap_or(' ');
                format!("(?-i:{first}{}|{})", chars.as_str(), p.to_uppercase())
            } else {
                p
            }
        })
        .collect();
    format!("(?:{})", alts.join("|"))
}

/// Replaces `{NAME}` (upper-case macro names) with the macro's pattern.
fn expand(pattern: &str, macros: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit()))
            .unwrap_or(after.len());
        let name = &after[..name_len];
        if !name.is_empty()
            && after[name_len..].starts_with('}')
            && let Some(m) = macros.get(name)
        {
            out.push_str(m);
            rest = &after[name_len + 1..];
        } else {
            out.push('{');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Fills a value template: `{group}` is replaced by the named group's normalised text. A group that did
/// not take part in the match is replaced by nothing; a group that cannot be normalised drops the match
/// (returns `None`). `group` gives a named group's text, `None` when it did not take part.
fn fill<'t>(
    template: &str,
    group: &dyn Fn(&str) -> Option<&'t str>,
    lex: &Lexicon,
) -> Option<String> {
    let mut out = String::with_capacity(template.len() + 8);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}')?;
        let name = &after[..close];
        if let Some(text) = group(name) {
            out.push_str(&crate::normalise::group(name, text, lex)?);
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// The cue searches on an [`AsciiWindow`] find exactly what they find on the text itself:
        /// every match, at the same offsets.
        #[test]
        fn ascii_windows_find_what_the_text_gives(parts in prop::collection::vec(
            prop_oneof![
                prop::sample::select(vec![
                    "will", "we’ll", "we'll", "’ll", "going to", "going\u{a0}to", "said", "was",
                    "planned", "rejected", "talked", "ago", "last", "éd", "ed", "Said", "WILL",
                    "\u{212a}ept", "waſ", "é", "ß", "’", "‘", "“", "\u{a0}", "\u{2003}", "\u{200b}",
                    "\u{301}", "_", "#", "-", " ", ".", ",", "平", "ε", "İ", "ı", "🙂", "x", "2022",
                ]).prop_map(str::to_string),
                any::<char>().prop_map(String::from),
            ],
            0..16,
        ), glue in any::<bool>()) {
            static TAGGER: std::sync::LazyLock<Tagger> =
                std::sync::LazyLock::new(|| Tagger::new().unwrap());
            let t = &*TAGGER;
            let text = parts.join(if glue { "" } else { " " });
            let window = AsciiWindow::new(&text, t);
            for r in [&t.future_cue, &t.past_cue] {
                let direct: Vec<(usize, usize)> =
                    r.find_iter(&text).map(|m| (m.start(), m.end())).collect();
                let mapped: Vec<(usize, usize)> = r
                    .find_iter(window.hay())
                    .map(|m| (window.original(m.start()), window.original(m.end())))
                    .collect();
                prop_assert_eq!(direct, mapped, "in {:?}", text);
            }
        }
    }

    #[test]
    fn the_shipped_rules_compile() {
        Tagger::new().unwrap();
    }

    proptest! {
        /// The lexicon's allocation-free key is the normalised phrase whenever it is given.
        #[test]
        fn ascii_keys_are_normalised_phrases(phrase in prop_oneof![
            "[a-zA-Z0-9 .'-]{0,44}",
            "[ -~\t\n\r\x0b\x0c\u{1c}-\u{1f}\u{7f}\u{85}\u{a0}\u{2019}é]{0,44}",
        ]) {
            let mut buf = [0; 40];
            if let Some(key) = ascii_key(&phrase, &mut buf) {
                prop_assert_eq!(key, normalise_phrase(&phrase));
            }
        }
    }

    #[test]
    fn phrases_are_normalised() {
        assert_eq!(
            normalise_phrase("  New  Year\u{2019}s Day. "),
            "new year's day"
        );
    }

    #[test]
    fn macros_expand_recursively() {
        let mut m = BTreeMap::new();
        m.insert("A".to_string(), "x{B}".to_string());
        m.insert("B".to_string(), "y".to_string());
        assert_eq!(expand("{A}-{B}{2,3}", &m), "x{B}-y{2,3}");
    }

    #[test]
    fn a_bad_rule_is_reported_with_its_id() {
        let err = Tagger::from_sources(
            ("lexicon.toml", "[month]\njanuary = 1\n"),
            (
                "rules.toml",
                "[[rule]]\nid = \"broken\"\ntype = \"DATE\"\npattern = \"(\"\nvalue = \"x\"\n",
            ),
        )
        .unwrap_err();
        assert!(err.to_string().contains("rule broken"), "{err}");
    }
}
