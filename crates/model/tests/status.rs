//! Status histories and positions from invented events: the mapping, the ordering and its
//! tie-breaking, flagged events, issues with their own states, milestones, and overrides.

use peacetrack_model::{
    Case, EventInput, LinkOverride, Linker, OverrideAction, Precision, Rules, Stance, Target,
    current_outcomes, positions, status_history,
};

const CASE: &str = r#"
[process]
id = "s"
name = "S"
[[party]]
code = "AAA"
name = "Aland"
[[party]]
code = "BBB"
name = "Bland"
[[mediator]]
code = "EU"
name = "European Union"
[[track]]
id = "t"
name = "T"
parties = ["AAA", "BBB"]
[[issue]]
id = "treaty"
name = "Treaty"
track = "t"
cues = ["treaty"]
[[issue]]
id = "vote"
name = "Vote"
track = "t"
cues = ["referendum"]
states = ["held", "passed"]
[[milestone]]
id = "m1"
outcome = "treaty=agreed_in_principle"
date = "2022-12"
citations = [{ doc = "d0", note = "text agreed" }]
"#;

fn ev(
    id: &str,
    t: &str,
    mode: &str,
    date: Option<&str>,
    countries: &[&str],
    text: &str,
) -> EventInput {
    EventInput {
        id: id.into(),
        doc: Some(format!("doc-{id}")),
        event_type: t.into(),
        mode: Some(mode.into()),
        date: date.map(str::to_string),
        countries: countries.iter().map(|c| c.to_string()).collect(),
        evidence: text.into(),
        ..Default::default()
    }
}

fn events() -> Vec<EventInput> {
    let mut v = vec![
        ev(
            "e1",
            "AGREE",
            "proposal",
            Some("2022-03"),
            &["AAA", "BBB"],
            "Aland proposed a treaty.",
        ),
        ev(
            "e2",
            "AGREE",
            "signing",
            Some("2023-05-01"),
            &["AAA"],
            "The treaty was initialled.",
        ),
        ev(
            "e3",
            "AGREE",
            "signing",
            Some("2023-05-01"),
            &["BBB", "AAA"],
            "They signed the treaty.",
        ),
        ev(
            "e4",
            "AGREE",
            "signing",
            Some("2023-05-01"),
            &[],
            "The parties signed the TREATY.",
        ),
        ev(
            "e5",
            "REJECT",
            "statement",
            Some("2023"),
            &["BBB"],
            "Bland rejected the treaty.",
        ),
        ev(
            "e6",
            "AGREE",
            "ratification",
            None,
            &[],
            "Both ratified the treaty.",
        ),
        ev(
            "e7",
            "AGREE",
            "ratification",
            Some("2024"),
            &[],
            "They did not ratify the treaty.",
        ),
        ev(
            "e8",
            "CONSULT",
            "meeting",
            Some("2024"),
            &["AAA", "BBB"],
            "Talks on the treaty.",
        ),
        ev(
            "e9",
            "OTHER",
            "referendum",
            Some("2024-06"),
            &["AAA"],
            "A referendum was held.",
        ),
        ev(
            "e10",
            "AGREE",
            "signing",
            Some("2024-07"),
            &["AAA"],
            "Decree signed on the referendum.",
        ),
        ev(
            "e11",
            "REQUEST",
            "demand",
            Some("2021"),
            &["XXX", "EU"],
            "The EU asked for a treaty.",
        ),
        ev(
            "e12",
            "AGREE",
            "proposal",
            Some("2020"),
            &["AAA"],
            "A proposal on fisheries.",
        ),
    ];
    v[6].negated = true;
    v
}

#[test]
fn histories_are_ordered_and_grouped() {
    let case = Case::from_toml_str("s", CASE).unwrap();
    let linker = Linker::new(&case);
    let h = status_history(&linker, &events(), &Rules::embedded());
    assert_eq!(h.len(), 2);
    let treaty = &h[0];
    assert_eq!(treaty.issue, "treaty");
    let steps: Vec<(Option<&str>, &str, Vec<&str>)> = treaty
        .steps
        .iter()
        .map(|s| {
            (
                s.date.as_deref(),
                s.state.as_str(),
                s.events.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            // Undated first.
            (None, "ratified", vec!["e6"]),
            (Some("2021"), "proposed", vec!["e11"]),
            (Some("2022-03"), "proposed", vec!["e1"]),
            // The milestone.
            (Some("2022-12"), "agreed_in_principle", vec![]),
            // A year-precision date sorts before a day in the same year.
            (Some("2023"), "rejected", vec!["e5"]),
            // Same day: initialled before signed (ladder order); e3 and e4 are one step.
            (Some("2023-05-01"), "initialled", vec!["e2"]),
            (Some("2023-05-01"), "signed", vec!["e3", "e4"]),
        ]
    );
    assert_eq!(treaty.current.as_deref(), Some("signed"));
    let signed = &treaty.steps[6];
    assert_eq!(signed.precision, Precision::Day);
    assert_eq!(signed.docs, ["doc-e3", "doc-e4"]);
    let m = &treaty.steps[3];
    assert_eq!(m.milestones, ["m1"]);
    assert_eq!(m.citations[0].doc, "d0");
    assert_eq!(m.precision, Precision::Month);
    // The vote has its own states: the referendum was held; a signing gives it no step.
    let vote = &h[1];
    assert_eq!(vote.steps.len(), 1);
    assert_eq!(
        (
            vote.steps[0].state.as_str(),
            vote.steps[0].events.as_slice()
        ),
        ("held", &["e9".to_string()][..])
    );
    let now: Vec<String> = current_outcomes(&h).iter().map(|o| o.to_string()).collect();
    assert_eq!(now, ["treaty=signed", "vote=held"]);
    // Deterministic whatever the input order.
    let mut rev = events();
    rev.reverse();
    assert_eq!(status_history(&linker, &rev, &Rules::embedded()), h);
}

#[test]
fn positions_per_issue_and_party() {
    let case = Case::from_toml_str("s", CASE).unwrap();
    let linker = Linker::new(&case);
    let p = positions(&linker, &events(), &Rules::embedded());
    type Row<'a> = (&'a str, &'a str, Vec<(Stance, &'a str)>, Option<Stance>);
    let got: Vec<Row> = p
        .iter()
        .map(|x| {
            (
                x.issue.as_str(),
                x.party.as_str(),
                x.stances
                    .iter()
                    .map(|s| (s.stance, s.event.as_str()))
                    .collect(),
                x.current,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "treaty",
                "AAA",
                vec![(Stance::Proposes, "e1"), (Stance::Accepts, "e2")],
                Some(Stance::Accepts)
            ),
            // e3's first country is BBB; e5 (2023) sorts before e3 (2023-05-01).
            (
                "treaty",
                "BBB",
                vec![(Stance::Rejects, "e5"), (Stance::Accepts, "e3")],
                Some(Stance::Accepts)
            ),
            // XXX is no party: the stance goes to the first country that is (a mediator here).
            (
                "treaty",
                "EU",
                vec![(Stance::Demands, "e11")],
                Some(Stance::Demands)
            ),
            (
                "vote",
                "AAA",
                vec![(Stance::Accepts, "e10")],
                Some(Stance::Accepts)
            ),
        ]
    );
    // An explicit agent wins.
    let mut e = events();
    e[4].agent = Some("AAA".into());
    let p = positions(&linker, &e, &Rules::embedded());
    assert!(
        p.iter()
            .any(|x| x.party == "AAA" && x.stances.iter().any(|s| s.event == "e5"))
    );
}

#[test]
fn overrides_change_what_counts() {
    let case = Case::from_toml_str("s", CASE).unwrap();
    let o = [
        LinkOverride {
            item: "e3".into(),
            target: Target::Issue("treaty".into()),
            action: OverrideAction::Remove,
            side: None,
            note: None,
        },
        LinkOverride {
            item: "e12".into(),
            target: Target::Issue("vote".into()),
            action: OverrideAction::Add,
            side: None,
            note: Some("the fisheries proposal is the vote".into()),
        },
    ];
    let linker = Linker::new(&case).with_overrides(&o);
    let h = status_history(&linker, &events(), &Rules::embedded());
    let signed = h[0].steps.iter().find(|s| s.state == "signed").unwrap();
    assert_eq!(signed.events, ["e4"]);
    // `proposed` is not a state of the vote: the added link gives no step.
    assert_eq!(h[1].steps.len(), 1);
    let p = positions(&linker, &events(), &Rules::embedded());
    assert!(
        p.iter()
            .any(|x| x.issue == "vote" && x.stances.iter().any(|s| s.event == "e12"))
    );
}

#[test]
fn custom_rules_replace_the_mapping() {
    let case = Case::from_toml_str("s", CASE).unwrap();
    let rules = Rules::from_toml_str(
        "mine.toml",
        "[[step]]\ntypes = [\"CONSULT\"]\nstate = \"stalled\"\n[[stance]]\ntypes = [\"CONSULT\"]\nstance = \"rejects\"\n",
    )
    .unwrap();
    let linker = Linker::new(&case);
    let h = status_history(&linker, &events(), &rules);
    let states: Vec<&str> = h[0].steps.iter().map(|s| s.state.as_str()).collect();
    assert_eq!(states, ["agreed_in_principle", "stalled"]);
    let p = positions(&linker, &events(), &rules);
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].stances[0].event, "e8");
    assert!(Rules::load("/nonexistent/rules.toml").is_err());
}
