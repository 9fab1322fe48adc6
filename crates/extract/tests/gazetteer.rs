//! The shipped gazetteer: it loads, holds the entries the gold annotations rely on, and an analyst's
//! copy loaded with `Gazetteer::from_dir` behaves like it; broken copies give errors that name the file.

use peacetrack_extract::gazetteer::{FILES, PlaceKind};
use peacetrack_extract::{Extractor, Gazetteer, MentionKind};
use std::path::{Path, PathBuf};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

fn default() -> Gazetteer {
    Gazetteer::load_default().expect("the shipped gazetteer loads")
}

#[test]
fn countries_are_complete_and_current() {
    let g = default();
    assert!(
        g.countries().len() >= 195,
        "{} countries",
        g.countries().len()
    );
    let tur = g.country("TUR").unwrap();
    assert_eq!(tur.name, "Türkiye");
    assert!(tur.aliases.iter().any(|a| a == "Turkey"));
    assert_eq!(tur.capital.as_deref(), Some("Ankara"));
    assert!(tur.adjectives.iter().any(|a| a == "Turkish"));
    for (code, name) in [
        ("CZE", "Czechia"),
        ("SWZ", "Eswatini"),
        ("MKD", "North Macedonia"),
        ("ARM", "Armenia"),
        ("AZE", "Azerbaijan"),
    ] {
        assert_eq!(
            g.country(code).map(|c| c.name.as_str()),
            Some(name),
            "{code}"
        );
    }
    // Every country but Hong Kong has a capital, and every capital is a place with coordinates.
    let without: Vec<&str> = g
        .countries()
        .iter()
        .filter(|c| c.capital.is_none())
        .map(|c| c.code.as_str())
        .collect();
    assert_eq!(without, ["HKG"]);
    let capitals = g
        .places()
        .iter()
        .filter(|p| p.kind == PlaceKind::Capital)
        .count();
    assert_eq!(capitals, g.countries().len() - 1);
    for (code, capital) in [
        ("ARM", "Yerevan"),
        ("AZE", "Baku"),
        ("RUS", "Moscow"),
        ("USA", "Washington"),
        ("BEL", "Brussels"),
        ("GEO", "Tbilisi"),
    ] {
        assert_eq!(g.country(code).unwrap().capital.as_deref(), Some(capital));
    }
}

#[test]
fn organisations_of_the_process() {
    let g = default();
    let eu = g.organisation("EU").unwrap();
    assert_eq!(
        (eu.name.as_str(), eu.country.as_deref()),
        ("European Union", Some("EU"))
    );
    assert_eq!(
        g.organisation("OSCE-MG").unwrap().parent.as_deref(),
        Some("OSCE")
    );
    for code in [
        "OSCE", "UN", "UNSC", "CIS", "CSTO", "NATO", "COE", "EP", "EUMA", "ICJ", "ECHR", "TEPAV",
    ] {
        assert!(g.organisation(code).is_some(), "{code}");
    }
    assert_eq!(
        g.resolve("Collective Security Treaty Organization")
            .unwrap()
            .id,
        "CSTO"
    );
}

#[test]
fn people_of_the_gold_annotations() {
    let g = default();
    // The canonical names listed in shared/gold/SCHEMA.md, plus others of the process.
    let names = [
        "Serdar Kılıç",
        "Ilham Aliyev",
        "Nikol Pashinyan",
        "Mevlüt Çavuşoğlu",
        "Ararat Mirzoyan",
        "Jeyhun Bayramov",
        "Charles Michel",
        "Toivo Klaar",
        "Armen Grigoryan",
        "Hikmet Hajiyev",
        "Elchin Amirbayov",
        "Ruben Rubinyan",
        "Olaf Scholz",
        "Vladimir Putin",
        "Murat Ersavcı",
        "Recep Tayyip Erdoğan",
        "Hakan Fidan",
        "Antony Blinken",
        "Sergey Lavrov",
        "Emmanuel Macron",
        "Donald Trump",
        "Joe Biden",
    ];
    for name in names {
        let p = g.person(name).unwrap_or_else(|| panic!("{name} missing"));
        assert!(!p.roles.is_empty(), "{name} has no role");
    }
    for (spelling, who) in [
        ("Kilic", "Serdar Kılıç"),
        ("Cavusoglu", "Mevlüt Çavuşoğlu"),
        ("Ersavci", "Murat Ersavcı"),
        ("Pashinian", "Nikol Pashinyan"),
    ] {
        let e = g.resolve(spelling).unwrap();
        assert_eq!(
            (e.kind, e.id.as_str()),
            (MentionKind::Person, who),
            "{spelling}"
        );
    }
    let fm = &g.person("Mevlüt Çavuşoğlu").unwrap().roles;
    assert!(
        fm.iter()
            .any(|r| r.title.contains("Foreign Affairs") && r.to.as_deref() == Some("2023-06-04"))
    );
}

#[test]
fn places_of_the_gold_annotations() {
    let g = default();
    let names = [
        "Moscow",
        "Vienna",
        "Brussels",
        "Antalya",
        "Saint Petersburg",
        "Washington",
        "Margara",
        "Alican",
        "Khankendi",
        "Nakhchivan",
        "Bishkek",
        "Granada",
        "Munich",
        "Berlin",
        "Sochi",
        "Nagorno-Karabakh",
        "Syunik",
        "Tavush",
        "Gazakh",
        "Lachin",
        "Margara–Alican border crossing",
    ];
    for name in names {
        let p = g.place(name).unwrap_or_else(|| panic!("{name} missing"));
        assert!(p.lat != 0.0 && p.lon != 0.0, "{name} has no coordinates");
    }
    for (spelling, place) in [
        ("Stepanakert", "Khankendi"),
        ("Nakhichevan", "Nakhchivan"),
        ("Zangezur", "Syunik"),
        ("Karabakh", "Nagorno-Karabakh"),
    ] {
        assert_eq!(g.resolve(spelling).unwrap().id, place, "{spelling}");
    }
    let brussels = g.resolve("Brussels").unwrap();
    assert_eq!(
        (brussels.kind, brussels.country.as_deref()),
        (MentionKind::Capital, Some("EU"))
    );
    let yerevan = g.place("Yerevan").unwrap();
    assert!((yerevan.lat - 40.18).abs() < 0.05 && (yerevan.lon - 44.51).abs() < 0.05);
}

#[test]
fn from_dir_matches_the_embedded_copy() {
    let g = default();
    let d = Gazetteer::from_dir(&data_dir().join("gazetteer")).unwrap();
    assert_eq!(g.alias_count(), d.alias_count());
    assert_eq!(g.people(), d.people());
    let x = Extractor::from_dir(&data_dir()).unwrap();
    let text = "Envoy Kilic met Rubinyan in Vienna.";
    assert_eq!(
        x.find_mentions(text),
        Extractor::load_default().unwrap().find_mentions(text)
    );
}

#[test]
fn an_analysts_copy_can_extend_and_break() {
    let dir = tempfile::tempdir().unwrap();
    for f in FILES {
        std::fs::copy(data_dir().join("gazetteer").join(f), dir.path().join(f)).unwrap();
    }
    // Extending: a new person is found without recompiling.
    let people = dir.path().join("people.toml");
    let mut src = std::fs::read_to_string(&people).unwrap();
    src.push_str(
        "\n[[person]]\nname = \"Anna Ohanyan\"\naliases = [\"Ohanyan\"]\ncountry = \"ARM\"\n",
    );
    std::fs::write(&people, &src).unwrap();
    let g = Gazetteer::from_dir(dir.path()).unwrap();
    let m = g.find_mentions("Ohanyan spoke.");
    assert_eq!(
        (m[0].id.as_str(), m[0].country.as_deref()),
        ("Anna Ohanyan", Some("ARM"))
    );

    // Breaking: the error names the file, the entry and the problem.
    src.push_str("\n[[person]]\nname = \"Someone Else\"\naliases = [\"Putin\"]\n");
    std::fs::write(&people, &src).unwrap();
    let e = Gazetteer::from_dir(dir.path()).unwrap_err().to_string();
    assert!(
        e.contains("people.toml: person \"Someone Else\": alias \"Putin\" is already a name of person \"Vladimir Putin\""),
        "{e}"
    );

    std::fs::remove_file(dir.path().join("places.toml")).unwrap();
    let e = Gazetteer::from_dir(dir.path()).unwrap_err().to_string();
    assert!(e.contains("places.toml"), "{e}");
}
