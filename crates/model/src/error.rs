//! Errors: loading problems (with file and line) and model errors.

use std::fmt;

use serde::Serialize;

/// One problem found while loading a file: where, and what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// 1-based line, when the problem has a place in the file.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// A file that could not be loaded: every problem found in it (validation does not stop at the
/// first). Displayed one problem per line as `FILE:LINE:COLUMN: message`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct LoadError {
    /// The file (path as given, or the name passed to `from_toml_str`).
    pub file: String,
    /// The problems, in file order.
    pub problems: Vec<Problem>,
}

impl LoadError {
    /// A load error with one problem that has no line (an IO error, a missing file).
    pub fn whole_file(file: impl Into<String>, message: impl Into<String>) -> LoadError {
        LoadError {
            file: file.into(),
            problems: vec![Problem {
                line: None,
                column: None,
                message: message.into(),
            }],
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}", self.file)?;
            if let Some(l) = p.line {
                write!(f, ":{l}")?;
                if let Some(c) = p.column {
                    write!(f, ":{c}")?;
                }
            }
            write!(f, ": {}", p.message)?;
        }
        Ok(())
    }
}

/// Maps byte offsets of a source text to 1-based lines and columns.
#[derive(Clone, Debug)]
pub(crate) struct LineIndex<'a> {
    src: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(src: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { src, starts }
    }

    /// (line, column) of a byte offset, both 1-based; offsets past the end give the last line.
    pub(crate) fn locate(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.src.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let col = self
            .src
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }
}

/// Errors of the model's computations (graph queries, scenarios, probabilities).
#[derive(Clone, Debug, PartialEq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ModelError {
    /// A string that is not `ISSUE=STATE`.
    #[error("{0}")]
    Syntax(String),
    /// An outcome whose issue or state the case does not define.
    #[error("unknown outcome `{outcome}`: {reason}")]
    UnknownOutcome {
        /// The outcome as written.
        outcome: String,
        /// Unknown issue or unknown state, with the known ones.
        reason: String,
    },
    /// The goal is not a node of the condition graph (no condition mentions it) and the assumptions
    /// do not satisfy it.
    #[error("`{0}` is not in the condition graph: no condition has it as goal or requirement")]
    NotInGraph(String),
    /// Leaf outcomes in the goal's requirement tree have no probability.
    #[error("no probability for the leaf outcome(s) {}: give a [[prior]] in the case, a prior in the options, or a default prior", .0.join(", "))]
    MissingPriors(Vec<String>),
    /// A probability outside [0, 1] or not a number.
    #[error("probability {value} for `{what}` is not in [0, 1]")]
    BadProbability {
        /// What the probability was for.
        what: String,
        /// The value given.
        value: f64,
    },
    /// Exact inference would need to enumerate more shared variables than the limit allows.
    #[error(
        "exact inference needs {count} shared variables, more than the limit of {limit}; simplify the graph or raise the limit"
    )]
    TooManySharedVariables {
        /// Shared variables in the goal's formula.
        count: usize,
        /// The limit in force.
        limit: usize,
    },
    /// The goal's requirement chains are deeper than the limit.
    #[error("the requirement chains under the goal are deeper than {limit} outcomes")]
    TooDeep {
        /// The limit in force.
        limit: usize,
    },
    /// The goal's unfolded requirement formula is too large.
    #[error("the goal's requirement formula exceeds {limit} terms")]
    FormulaTooLarge {
        /// The limit in force.
        limit: usize,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let idx = LineIndex::new("ab\ncé\n\nx");
        assert_eq!(idx.locate(0), (1, 1));
        assert_eq!(idx.locate(1), (1, 2));
        assert_eq!(idx.locate(3), (2, 1));
        assert_eq!(idx.locate(6), (2, 3));
        assert_eq!(idx.locate(7), (3, 1));
        assert_eq!(idx.locate(8), (4, 1));
        assert_eq!(idx.locate(999), (4, 2));
    }

    #[test]
    fn load_error_display() {
        let e = LoadError {
            file: "c.toml".into(),
            problems: vec![
                Problem {
                    line: Some(3),
                    column: Some(7),
                    message: "bad".into(),
                },
                Problem {
                    line: None,
                    column: None,
                    message: "worse".into(),
                },
            ],
        };
        assert_eq!(e.to_string(), "c.toml:3:7: bad\nc.toml: worse");
    }
}
