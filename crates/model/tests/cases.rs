//! Case loading: a broken invented case reports every problem with its line; bad input never
//! panics (property tests over arbitrary and mutated case files).

use std::path::{Path, PathBuf};

use peacetrack_model::Case;
use proptest::prelude::*;

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

#[test]
fn broken_case_names_file_and_line_of_every_problem() {
    let e = Case::load(data().join("broken.toml")).unwrap_err();
    assert!(e.file.ends_with("broken.toml"), "{}", e.file);
    let got: Vec<(usize, &str)> = e
        .problems
        .iter()
        .map(|p| (p.line.unwrap(), p.message.as_str()))
        .collect();
    let want: [(usize, &str); 9] = [
        (13, "track `t`: unknown party `ZZZ`"),
        (21, "duplicate issue id `x` (first defined on line 16)"),
        (23, "issue `x`: unknown track `nowhere`"),
        (27, "unknown state `signd` for issue `x`"),
        (28, "unknown issue `y`"),
        (29, "probability -0.1 is out of range"),
        (34, "`x signed` is not of the form ISSUE=STATE"),
        (35, "probability 2 is out of range"),
        (39, "date `2024-02-30` is not YYYY, YYYY-MM or YYYY-MM-DD"),
    ];
    assert_eq!(got.len(), want.len(), "{e}");
    for ((line, msg), (wl, wm)) in got.iter().zip(want) {
        assert_eq!(*line, wl, "{msg}");
        assert!(msg.contains(wm), "line {line}: `{msg}` lacks `{wm}`");
    }
    // The display is one `file:line:column: message` per problem.
    let text = e.to_string();
    assert_eq!(text.lines().count(), 9);
    assert!(text.lines().all(|l| l.contains("broken.toml:")), "{text}");
    assert!(
        text.lines().next().unwrap().contains("broken.toml:13:"),
        "{text}"
    );
}

#[test]
fn the_shipped_case_with_a_typo_names_the_line() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../cases/south-caucasus/case.toml");
    let src = std::fs::read_to_string(path).unwrap();
    let line = src
        .lines()
        .position(|l| l == "requires = [\"referendum=passed\"]")
        .unwrap()
        + 1;
    let bad = src.replace(
        "requires = [\"referendum=passed\"]",
        "requires = [\"referendum=won\"]",
    );
    let e = Case::from_toml_str("sc.toml", &bad).unwrap_err();
    assert_eq!(e.problems.len(), 1);
    assert_eq!(e.problems[0].line, Some(line));
    assert!(
        e.problems[0]
            .message
            .contains("unknown state `won` for issue `referendum`")
    );
    assert!(
        e.problems[0]
            .message
            .contains("proposed, scheduled, held, passed, failed, stalled")
    );
}

#[test]
fn structural_errors_name_the_line() {
    let cases: [(&str, usize, &str); 5] = [
        (
            "[process]\nid = \"x\"\nname = \"X\"\n[[issue]]\nid = \"a\"\nname = \"A\"\n",
            4,
            "track",
        ),
        (
            "[process]\nid = \"x\"\nname = \"X\"\ncolour = 1\n",
            4,
            "unknown field `colour`",
        ),
        (
            "[process]\nid = \"x\"\nname = \"X\"\n[[condition]]\nid = \"c\"\ngoal = 3\n",
            6,
            "string",
        ),
        (
            "[process]\nid = \"x\"\nname = \"X\"\n[[link_override]]\nitem = \"e\"\nissue = \"a\"\naction = \"flip\"\n",
            7,
            "flip",
        ),
        (
            "[process]\nid = \"x\"\nname = \"X\"\n\n[[track]]\nid = \"t\"\nname = \"T\"\n[[issue]]\nid = \"i\"\nname = \"I\"\ntrack = \"t\"\nstates = []\n",
            9,
            "`states` is empty",
        ),
    ];
    for (src, line, msg) in cases {
        let e = Case::from_toml_str("x.toml", src).unwrap_err();
        assert_eq!(e.problems[0].line, Some(line), "{e}");
        assert!(e.problems[0].message.contains(msg), "{e}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_never_panics(src in "\\PC{0,300}") {
        let _ = Case::from_toml_str("fuzz", &src);
    }

    #[test]
    fn mutated_cases_never_panic(cut in 0usize..4000, insert in "[\\[\\]=\"a-z0-9 ,\n.#{}-]{0,12}") {
        let path = data().join("cycle.toml");
        let src = std::fs::read_to_string(path).unwrap();
        let mut at = cut.min(src.len());
        while !src.is_char_boundary(at) {
            at -= 1;
        }
        let mutated = format!("{}{}{}", &src[..at], insert, &src[at..]);
        if let Err(e) = Case::from_toml_str("m.toml", &mutated) {
            prop_assert!(!e.problems.is_empty());
            prop_assert!(e.problems.iter().all(|p| p.line.is_none_or(|l| l >= 1 && l <= mutated.lines().count() + 1)));
        }
    }
}
