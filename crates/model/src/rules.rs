//! The mapping from events to status steps and stances, and the state words of condition
//! statements: data in `data/status.toml` (embedded; schema at the top of that file).

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{LineIndex, LoadError, Problem};
use crate::fold::CueSet;
use crate::outcome::States;

/// The embedded default rules file.
pub const DEFAULT_RULES: &str = include_str!("../data/status.toml");

/// A party's stance on an issue, from an attributed statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    /// The party asks for it (REQUEST).
    Demands,
    /// The party puts it forward (AGREE with mode proposal).
    Proposes,
    /// The party accepts or agrees to it (AGREE, CONCEDE).
    Accepts,
    /// The party rejects it (REJECT).
    Rejects,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMatch {
    #[serde(default)]
    types: Vec<String>,
    #[serde(default)]
    modes: Vec<String>,
    #[serde(default)]
    not_modes: Vec<String>,
    #[serde(default)]
    text_cues: Vec<String>,
    state: Option<String>,
    stance: Option<Stance>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStateCue {
    state: String,
    cues: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(default)]
    step: Vec<toml::Spanned<RawMatch>>,
    #[serde(default)]
    stance: Vec<toml::Spanned<RawMatch>>,
    #[serde(default)]
    state_cue: Vec<RawStateCue>,
}

/// One matching rule: event types, modes and text cues.
#[derive(Clone, Debug)]
pub struct Matcher {
    types: Vec<String>,
    modes: Vec<String>,
    not_modes: Vec<String>,
    text_cues: CueSet,
    has_text_cues: bool,
}

impl Matcher {
    fn new(r: &RawMatch) -> Matcher {
        let mut text_cues = CueSet::new();
        for c in &r.text_cues {
            text_cues.add(c, 0);
        }
        Matcher {
            types: r.types.iter().map(|t| t.to_ascii_uppercase()).collect(),
            modes: r.modes.iter().map(|m| m.to_ascii_lowercase()).collect(),
            not_modes: r.not_modes.iter().map(|m| m.to_ascii_lowercase()).collect(),
            has_text_cues: !r.text_cues.is_empty(),
            text_cues,
        }
    }

    /// Whether an event of this type and mode, with this evidence text, matches.
    pub fn matches(&self, event_type: &str, mode: Option<&str>, text: &str) -> bool {
        let t = event_type.to_ascii_uppercase();
        let m = mode.unwrap_or("").to_ascii_lowercase();
        (self.types.is_empty() || self.types.contains(&t))
            && (self.modes.is_empty() || self.modes.contains(&m))
            && !self.not_modes.contains(&m)
            && (!self.has_text_cues || !self.text_cues.find(text).is_empty())
    }
}

/// The compiled rules.
#[derive(Clone, Debug)]
pub struct Rules {
    steps: Vec<(Matcher, String)>,
    stances: Vec<(Matcher, Stance)>,
    state_cues: CueSet,
    state_names: Vec<String>,
}

impl Rules {
    /// The embedded rules (`data/status.toml`). The embedded file is checked by the crate's tests.
    pub fn embedded() -> Rules {
        match Rules::from_toml_str("data/status.toml", DEFAULT_RULES) {
            Ok(r) => r,
            // Unreachable while the test `embedded_rules_load` passes; no rules rather than a panic.
            Err(_) => Rules {
                steps: Vec::new(),
                stances: Vec::new(),
                state_cues: CueSet::new(),
                state_names: Vec::new(),
            },
        }
    }

    /// Loads an analyst's rules file in the same schema.
    pub fn load(path: impl AsRef<Path>) -> Result<Rules, LoadError> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let src = std::fs::read_to_string(path)
            .map_err(|e| LoadError::whole_file(&shown, format!("cannot read: {e}")))?;
        Rules::from_toml_str(&shown, &src)
    }

    /// Parses rules from TOML text; `name` names the file in errors.
    pub fn from_toml_str(name: &str, src: &str) -> Result<Rules, LoadError> {
        let lines = LineIndex::new(src);
        let problem = |offset: Option<usize>, message: String| {
            let (line, column) = match offset {
                Some(o) => {
                    let (l, c) = lines.locate(o);
                    (Some(l), Some(c))
                }
                None => (None, None),
            };
            Problem {
                line,
                column,
                message,
            }
        };
        let raw: RawRules = toml::from_str(src).map_err(|e| LoadError {
            file: name.to_string(),
            problems: vec![problem(
                e.span().map(|s| s.start),
                e.message().trim().to_string(),
            )],
        })?;
        let mut problems = Vec::new();
        let mut steps = Vec::new();
        for s in &raw.step {
            match (&s.get_ref().state, &s.get_ref().stance) {
                (Some(state), None) if !state.trim().is_empty() => {
                    steps.push((Matcher::new(s.get_ref()), state.trim().to_string()))
                }
                _ => problems.push(problem(
                    Some(s.span().start),
                    "a [[step]] needs a non-empty `state` and no `stance`".to_string(),
                )),
            }
        }
        let mut stances = Vec::new();
        for s in &raw.stance {
            match (&s.get_ref().state, &s.get_ref().stance) {
                (None, Some(stance)) => stances.push((Matcher::new(s.get_ref()), *stance)),
                _ => problems.push(problem(
                    Some(s.span().start),
                    "a [[stance]] needs a `stance` and no `state`".to_string(),
                )),
            }
        }
        if !problems.is_empty() {
            return Err(LoadError {
                file: name.to_string(),
                problems,
            });
        }
        let mut state_cues = CueSet::new();
        let mut state_names = Vec::new();
        for (i, sc) in raw.state_cue.iter().enumerate() {
            state_names.push(sc.state.clone());
            for c in &sc.cues {
                state_cues.add(c, i);
            }
        }
        Ok(Rules {
            steps,
            stances,
            state_cues,
            state_names,
        })
    }

    /// The state an event moves an issue with these states to, if any rule applies.
    pub fn step_state(
        &self,
        event_type: &str,
        mode: Option<&str>,
        text: &str,
        states: &States,
    ) -> Option<&str> {
        self.steps
            .iter()
            .find(|(m, s)| states.contains(s) && m.matches(event_type, mode, text))
            .map(|(_, s)| s.as_str())
    }

    /// The stance an event expresses, if any rule applies.
    pub fn stance(&self, event_type: &str, mode: Option<&str>, text: &str) -> Option<Stance> {
        self.stances
            .iter()
            .find(|(m, _)| m.matches(event_type, mode, text))
            .map(|(_, s)| *s)
    }

    /// The state a statement text names for an issue with these states: the highest-ranked state
    /// (by [`States::rank`]) whose cue occurs in the text, with the cue match.
    pub fn state_in_text(
        &self,
        text: &str,
        states: &States,
    ) -> Option<(String, crate::fold::CueMatch)> {
        let mut best: Option<(usize, String, crate::fold::CueMatch)> = None;
        for (i, m) in self.state_cues.find(text) {
            let Some(name) = self.state_names.get(i) else {
                continue;
            };
            // Off-ladder states rank above the ladder in `rank`; here a ladder state is preferred
            // only by its position, and an explicit rejection word wins over the ladder.
            let Some(rank) = states.rank(name) else {
                continue;
            };
            if best.as_ref().is_none_or(|b| rank > b.0) {
                best = Some((rank, name.clone(), m));
            }
        }
        best.map(|(_, s, m)| (s, m))
    }
}

impl Default for Rules {
    fn default() -> Rules {
        Rules::embedded()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_rules_load() {
        let r = Rules::from_toml_str("data/status.toml", DEFAULT_RULES).unwrap();
        assert!(r.steps.len() >= 10);
        assert!(r.stances.len() >= 4);
    }

    #[test]
    fn events_map_to_states() {
        let r = Rules::embedded();
        let l = States::default();
        let st = |t, m, x| r.step_state(t, Some(m), x, &l).map(str::to_string);
        assert_eq!(
            st("AGREE", "signing", "they signed the treaty").as_deref(),
            Some("signed")
        );
        assert_eq!(
            st("AGREE", "signing", "the text was initialled").as_deref(),
            Some("initialled")
        );
        assert_eq!(st("AGREE", "ratification", "").as_deref(), Some("ratified"));
        assert_eq!(
            st("agree", "Joint_Statement", "").as_deref(),
            Some("agreed_in_principle")
        );
        assert_eq!(st("AGREE", "proposal", "").as_deref(), Some("proposed"));
        assert_eq!(st("REQUEST", "demand", "").as_deref(), Some("proposed"));
        assert_eq!(st("REJECT", "rejection", "").as_deref(), Some("rejected"));
        assert_eq!(st("REJECT", "refusal_to_meet", ""), None);
        assert_eq!(st("CONSULT", "meeting", ""), None);
        assert_eq!(
            st("OTHER", "border_opening", "").as_deref(),
            Some("implemented")
        );
        // An issue without `signed` gets nothing from a signing.
        let vote = States {
            ladder: vec!["held".into(), "passed".into()],
            off_ladder: vec![],
        };
        assert_eq!(r.step_state("AGREE", Some("signing"), "", &vote), None);
        assert_eq!(
            r.step_state("OTHER", Some("referendum"), "", &vote),
            Some("held")
        );
    }

    #[test]
    fn stances_and_state_words() {
        let r = Rules::embedded();
        assert_eq!(
            r.stance("REQUEST", Some("demand"), ""),
            Some(Stance::Demands)
        );
        assert_eq!(
            r.stance("AGREE", Some("proposal"), ""),
            Some(Stance::Proposes)
        );
        assert_eq!(r.stance("CONCEDE", None, ""), Some(Stance::Accepts));
        assert_eq!(
            r.stance("REJECT", Some("statement"), ""),
            Some(Stance::Rejects)
        );
        assert_eq!(r.stance("CONSULT", Some("meeting"), ""), None);
        let l = States::default();
        let (s, m) = r
            .state_in_text("the signing and Ratification of the treaty", &l)
            .unwrap();
        assert_eq!(s, "ratified");
        assert_eq!(m.text, "Ratification");
        assert_eq!(r.state_in_text("a peace treaty", &l), None);
        assert_eq!(
            r.state_in_text("Armenia opening its border", &l).unwrap().0,
            "implemented"
        );
    }

    #[test]
    fn bad_rules_are_reported() {
        let e = Rules::from_toml_str("r.toml", "[[step]]\ntypes = [\"AGREE\"]\n").unwrap_err();
        assert_eq!(e.problems[0].line, Some(1), "{e}");
        let e = Rules::from_toml_str("r.toml", "[[stance]]\nstance = \"loves\"\n").unwrap_err();
        assert_eq!(e.problems[0].line, Some(2), "{e}");
        let e =
            Rules::from_toml_str("r.toml", "[[step]]\nstate = \"x\"\ncolour = 1\n").unwrap_err();
        assert_eq!(e.problems[0].line, Some(3), "{e}");
    }
}
