//! The gazetteer: countries, organisations, people and places, loaded from TOML and checked.
//!
//! The shipped tables live in `data/gazetteer/` (schema in `data/gazetteer/SCHEMA.md`) and are embedded
//! in the binary ([`Gazetteer::load_default`]); an analyst can copy that folder, extend it and load the
//! copy without recompiling ([`Gazetteer::from_dir`]). Loading checks every entry and every reference
//! between the files (a country's capital is a place, a role's country is a known code ...) and builds
//! the matcher of `mentions.rs` over all names; an error names the file, the entry and the problem.

use crate::DataError;
use crate::mentions::{Alias, Entity, Matcher, MentionKind};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::Path;

const COUNTRIES: &str = include_str!("../data/gazetteer/countries.toml");
const ORGANISATIONS: &str = include_str!("../data/gazetteer/organisations.toml");
const PEOPLE: &str = include_str!("../data/gazetteer/people.toml");
const PLACES: &str = include_str!("../data/gazetteer/places.toml");

/// The four files of a gazetteer folder.
pub const FILES: [&str; 4] = [
    "countries.toml",
    "organisations.toml",
    "people.toml",
    "places.toml",
];

/// A country: `countries.toml`.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Country {
    /// ISO 3166-1 alpha-3 code (`XKX` for Kosovo, as the reference table has it).
    pub code: String,
    /// Short English name: `Türkiye`, `Czechia`.
    pub name: String,
    /// Other names: `Turkey`, `Republic of Türkiye`, `UK`.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Adjectives: `Turkish`, `Armenian`.
    #[serde(default)]
    pub adjectives: Vec<String>,
    /// Nouns for its people: `Turks`, `Armenians`.
    #[serde(default)]
    pub demonyms: Vec<String>,
    /// The name of its capital, a place of kind `capital` in `places.toml`.
    #[serde(default)]
    pub capital: Option<String>,
}

/// An organisation: `organisations.toml`.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// Short unique code: `EU`, `OSCE-MG`, `ARM-NA`.
    pub code: String,
    /// Canonical name: `European Union`.
    pub name: String,
    /// Other names and abbreviations: `EU`, `E.U.`.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Free word for what it is: `union`, `mission`, `parliament`, `think tank` ...
    #[serde(default)]
    pub kind: Option<String>,
    /// The party code it stands for in an event (`EU`, `ARM`), if any.
    #[serde(default)]
    pub country: Option<String>,
    /// Code of the organisation it belongs to (`OSCE` for the Minsk Group).
    #[serde(default)]
    pub parent: Option<String>,
    /// Name of the place of its seat, a place in `places.toml`.
    #[serde(default)]
    pub seat: Option<String>,
    /// A note for readers.
    #[serde(default)]
    pub note: Option<String>,
}

/// A person: `people.toml`.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Canonical name, as in the gold annotations: `Serdar Kılıç`.
    pub name: String,
    /// Other spellings and unambiguous surnames: `Kilic`, `Kılıç`.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The party the person mainly acts for (`TUR`, `EU`), if any.
    #[serde(default)]
    pub country: Option<String>,
    /// Offices held, in order.
    #[serde(default)]
    pub roles: Vec<Role>,
}

/// An office a person held.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// What the office is, in our words: `Minister of Foreign Affairs of Türkiye`.
    pub title: String,
    /// The party the person acted for in this office (a country or organisation code).
    #[serde(default)]
    pub country: Option<String>,
    /// First day, ISO at any precision (`2021`, `2021-12`, `2021-12-15`).
    #[serde(default)]
    pub from: Option<String>,
    /// Last day, ISO at any precision; absent while the office is held.
    #[serde(default)]
    pub to: Option<String>,
}

/// A place: `places.toml`.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    /// Canonical English exonym: `Saint Petersburg`, `Khankendi`.
    pub name: String,
    /// Other names and transliterations: `St. Petersburg`, `Stepanakert`.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// What kind of place it is.
    pub kind: PlaceKind,
    /// ISO alpha-3 code of the country it lies in (de jure), if it lies in one.
    #[serde(default)]
    pub country: Option<String>,
    /// Latitude, WGS84 decimal degrees.
    pub lat: f64,
    /// Longitude, WGS84 decimal degrees.
    pub lon: f64,
    /// What the place stands for as a metonym when that is not simply `country`: `EU` for Brussels.
    #[serde(default)]
    pub metonym: Option<String>,
    /// Whether its names are matched in text (`false` for names that are mostly other words).
    #[serde(default = "yes")]
    pub matched: bool,
    /// A note for readers.
    #[serde(default)]
    pub note: Option<String>,
}

fn yes() -> bool {
    true
}

/// What kind of place a [`Place`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceKind {
    /// A country's capital (seat of government); mentions of it are [`MentionKind::Capital`].
    Capital,
    /// A city.
    City,
    /// A town.
    Town,
    /// A village.
    Village,
    /// A region, province, district or exclave.
    Region,
    /// A border crossing.
    Crossing,
    /// A road, corridor or transport route.
    Route,
    /// A building or site: `Kremlin`, `White House`.
    Landmark,
    /// A mountain.
    Mountain,
    /// A river.
    River,
    /// A sea or lake.
    Sea,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CountriesFile {
    #[serde(default)]
    country: Vec<Country>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrganisationsFile {
    #[serde(default)]
    organisation: Vec<Organisation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeopleFile {
    #[serde(default)]
    person: Vec<Person>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlacesFile {
    #[serde(default)]
    place: Vec<Place>,
}

/// The gazetteer: the four tables and the matcher built over all their names.
#[derive(Clone, Debug)]
pub struct Gazetteer {
    countries: Vec<Country>,
    organisations: Vec<Organisation>,
    people: Vec<Person>,
    places: Vec<Place>,
    by_country: HashMap<String, usize>,
    by_organisation: HashMap<String, usize>,
    by_person: HashMap<String, usize>,
    by_place: HashMap<String, usize>,
    pub(crate) matcher: Matcher,
}

/// The source text of the four files, each with the name to use in errors.
struct Sources<'a> {
    countries: (&'a str, &'a str),
    organisations: (&'a str, &'a str),
    people: (&'a str, &'a str),
    places: (&'a str, &'a str),
}

impl Gazetteer {
    /// The gazetteer shipped in `crates/extract/data/gazetteer/`, embedded at compile time.
    pub fn load_default() -> Result<Gazetteer, DataError> {
        Gazetteer::from_sources(Sources {
            countries: ("countries.toml", COUNTRIES),
            organisations: ("organisations.toml", ORGANISATIONS),
            people: ("people.toml", PEOPLE),
            places: ("places.toml", PLACES),
        })
    }

    /// A gazetteer read from `dir/countries.toml`, `dir/organisations.toml`, `dir/people.toml` and
    /// `dir/places.toml` (see [`FILES`]); all four must be there, with the shipped schema.
    pub fn from_dir(dir: &Path) -> Result<Gazetteer, DataError> {
        let mut texts = Vec::with_capacity(FILES.len());
        for file in FILES {
            let path = dir.join(file);
            let text = std::fs::read_to_string(&path).map_err(|source| DataError::Io {
                path: path.display().to_string(),
                source,
            })?;
            texts.push((path.display().to_string(), text));
        }
        Gazetteer::from_sources(Sources {
            countries: (&texts[0].0, &texts[0].1),
            organisations: (&texts[1].0, &texts[1].1),
            people: (&texts[2].0, &texts[2].1),
            places: (&texts[3].0, &texts[3].1),
        })
    }

    fn from_sources(src: Sources<'_>) -> Result<Gazetteer, DataError> {
        let countries: CountriesFile = parse(src.countries)?;
        let organisations: OrganisationsFile = parse(src.organisations)?;
        let people: PeopleFile = parse(src.people)?;
        let places: PlacesFile = parse(src.places)?;
        let files = Files {
            countries: src.countries.0,
            organisations: src.organisations.0,
            people: src.people.0,
            places: src.places.0,
        };
        let mut g = Gazetteer {
            countries: countries.country,
            organisations: organisations.organisation,
            people: people.person,
            places: places.place,
            by_country: HashMap::new(),
            by_organisation: HashMap::new(),
            by_person: HashMap::new(),
            by_place: HashMap::new(),
            matcher: Matcher::default(),
        };
        g.index(&files)?;
        g.validate(&files)?;
        g.matcher = Matcher::build(g.aliases(&files))?;
        Ok(g)
    }

    /// All countries, in file order.
    pub fn countries(&self) -> &[Country] {
        &self.countries
    }

    /// All organisations, in file order.
    pub fn organisations(&self) -> &[Organisation] {
        &self.organisations
    }

    /// All people, in file order.
    pub fn people(&self) -> &[Person] {
        &self.people
    }

    /// All places, in file order.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// The country with ISO alpha-3 `code`.
    pub fn country(&self, code: &str) -> Option<&Country> {
        self.by_country.get(code).map(|&i| &self.countries[i])
    }

    /// The organisation with `code`.
    pub fn organisation(&self, code: &str) -> Option<&Organisation> {
        self.by_organisation
            .get(code)
            .map(|&i| &self.organisations[i])
    }

    /// The person with canonical `name`.
    pub fn person(&self, name: &str) -> Option<&Person> {
        self.by_person.get(name).map(|&i| &self.people[i])
    }

    /// The place with canonical `name`.
    pub fn place(&self, name: &str) -> Option<&Place> {
        self.by_place.get(name).map(|&i| &self.places[i])
    }

    /// Whether `code` is a party code: a country code or an organisation code.
    pub fn is_party(&self, code: &str) -> bool {
        self.by_country.contains_key(code) || self.by_organisation.contains_key(code)
    }

    /// How many distinct match keys (folded names) the matcher holds.
    pub fn alias_count(&self) -> usize {
        self.matcher.len()
    }

    /// Indexes the tables by code or name; duplicate codes or names are errors.
    fn index(&mut self, files: &Files<'_>) -> Result<(), DataError> {
        for (i, c) in self.countries.iter().enumerate() {
            let bad = |p: &str| invalid(files.countries, &format!("country {:?}", c.code), p);
            if c.code.len() != 3 || !c.code.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(bad(
                    "code must be three upper-case letters (ISO 3166-1 alpha-3)",
                ));
            }
            if self.by_country.insert(c.code.clone(), i).is_some() {
                return Err(bad("code appears twice"));
            }
        }
        for (i, o) in self.organisations.iter().enumerate() {
            let bad = |p: &str| {
                invalid(
                    files.organisations,
                    &format!("organisation {:?}", o.code),
                    p,
                )
            };
            if o.code.trim().is_empty() || o.code.chars().any(char::is_whitespace) {
                return Err(bad("code must be one word"));
            }
            if self.by_country.contains_key(&o.code) {
                return Err(bad("code is also a country code"));
            }
            if self.by_organisation.insert(o.code.clone(), i).is_some() {
                return Err(bad("code appears twice"));
            }
        }
        for (i, p) in self.people.iter().enumerate() {
            if self.by_person.insert(p.name.clone(), i).is_some() {
                let entry = format!("person {:?}", p.name);
                return Err(invalid(files.people, &entry, "name appears twice"));
            }
        }
        for (i, p) in self.places.iter().enumerate() {
            if self.by_place.insert(p.name.clone(), i).is_some() {
                let entry = format!("place {:?}", p.name);
                return Err(invalid(files.places, &entry, "name appears twice"));
            }
        }
        Ok(())
    }

    /// Checks every entry's fields and references to other entries.
    fn validate(&self, files: &Files<'_>) -> Result<(), DataError> {
        let party = |code: &Option<String>| code.as_deref().is_none_or(|c| self.is_party(c));
        for c in &self.countries {
            let entry = format!("country {:?}", c.code);
            let bad = |p: String| invalid(files.countries, &entry, &p);
            check_names(&c.name, [&c.aliases, &c.adjectives, &c.demonyms]).map_err(&bad)?;
            if let Some(cap) = &c.capital {
                match self.place(cap) {
                    None => {
                        return Err(bad(format!(
                            "capital {cap:?} is not a place in places.toml"
                        )));
                    }
                    Some(p) if p.kind != PlaceKind::Capital => {
                        return Err(bad(format!(
                            "capital {cap:?} is not of kind \"capital\" in places.toml"
                        )));
                    }
                    Some(p) if p.country.as_deref() != Some(&c.code) => {
                        return Err(bad(format!(
                            "capital {cap:?} lies in another country in places.toml"
                        )));
                    }
                    Some(_) => {}
                }
            }
        }
        for o in &self.organisations {
            let entry = format!("organisation {:?}", o.code);
            let bad = |p: String| invalid(files.organisations, &entry, &p);
            check_names(&o.name, [&o.aliases]).map_err(&bad)?;
            if !party(&o.country) {
                return Err(bad(format!(
                    "country {:?} is neither a country nor an organisation code",
                    o.country.as_deref().unwrap_or("")
                )));
            }
            if let Some(parent) = &o.parent
                && (self.organisation(parent).is_none() || parent == &o.code)
            {
                return Err(bad(format!(
                    "parent {parent:?} is not another organisation"
                )));
            }
            if let Some(seat) = &o.seat
                && self.place(seat).is_none()
            {
                return Err(bad(format!("seat {seat:?} is not a place in places.toml")));
            }
        }
        for p in &self.people {
            let entry = format!("person {:?}", p.name);
            let bad = |m: String| invalid(files.people, &entry, &m);
            check_names(&p.name, [&p.aliases]).map_err(&bad)?;
            if !party(&p.country) {
                return Err(bad(format!(
                    "country {:?} is neither a country nor an organisation code",
                    p.country.as_deref().unwrap_or("")
                )));
            }
            for r in &p.roles {
                if r.title.trim().is_empty() {
                    return Err(bad("a role has an empty title".to_string()));
                }
                if !party(&r.country) {
                    return Err(bad(format!(
                        "role {:?}: country {:?} is neither a country nor an organisation code",
                        r.title,
                        r.country.as_deref().unwrap_or("")
                    )));
                }
                for d in [&r.from, &r.to].into_iter().flatten() {
                    if !is_iso_date(d) {
                        return Err(bad(format!(
                            "role {:?}: date {d:?} is not YYYY, YYYY-MM or YYYY-MM-DD",
                            r.title
                        )));
                    }
                }
                if let (Some(from), Some(to)) = (&r.from, &r.to)
                    && to.as_str() < &from[..from.len().min(to.len())]
                {
                    return Err(bad(format!(
                        "role {:?}: ends ({to}) before it starts ({from})",
                        r.title
                    )));
                }
            }
        }
        for p in &self.places {
            let entry = format!("place {:?}", p.name);
            let bad = |m: String| invalid(files.places, &entry, &m);
            check_names(&p.name, [&p.aliases]).map_err(&bad)?;
            if let Some(c) = &p.country
                && self.country(c).is_none()
            {
                return Err(bad(format!(
                    "country {c:?} is not a code in countries.toml"
                )));
            }
            if p.kind == PlaceKind::Capital && p.country.is_none() {
                return Err(bad("a capital needs a country".to_string()));
            }
            if !party(&p.metonym) {
                return Err(bad(format!(
                    "metonym {:?} is neither a country nor an organisation code",
                    p.metonym.as_deref().unwrap_or("")
                )));
            }
            if !(p.lat.is_finite() && (-90.0..=90.0).contains(&p.lat)) {
                return Err(bad(format!("lat {} is not between -90 and 90", p.lat)));
            }
            if !(p.lon.is_finite() && (-180.0..=180.0).contains(&p.lon)) {
                return Err(bad(format!("lon {} is not between -180 and 180", p.lon)));
            }
        }
        Ok(())
    }

    /// Every name to match, with what it refers to.
    fn aliases<'a>(&'a self, files: &Files<'a>) -> Vec<Alias<'a>> {
        let entity = |kind, id: &str, name: &str, country: Option<&str>| Entity {
            kind,
            id: id.to_string(),
            name: name.to_string(),
            country: country.map(str::to_string),
        };
        let mut out = Vec::new();
        for c in &self.countries {
            let entry = format!("country {:?}", c.code);
            let as_country = entity(MentionKind::Country, &c.code, &c.name, Some(&c.code));
            for name in std::iter::once(&c.name).chain(&c.aliases) {
                out.push(Alias::new(
                    name,
                    as_country.clone(),
                    entry.clone(),
                    files.countries,
                ));
            }
            let as_demonym = entity(MentionKind::Demonym, &c.code, &c.name, Some(&c.code));
            for name in c.adjectives.iter().chain(&c.demonyms) {
                out.push(Alias::new(
                    name,
                    as_demonym.clone(),
                    entry.clone(),
                    files.countries,
                ));
            }
        }
        for o in &self.organisations {
            let entry = format!("organisation {:?}", o.code);
            let e = entity(
                MentionKind::Organisation,
                &o.code,
                &o.name,
                o.country.as_deref(),
            );
            for name in std::iter::once(&o.name).chain(&o.aliases) {
                out.push(Alias::new(
                    name,
                    e.clone(),
                    entry.clone(),
                    files.organisations,
                ));
            }
        }
        for p in &self.people {
            let entry = format!("person {:?}", p.name);
            let e = entity(MentionKind::Person, &p.name, &p.name, p.country.as_deref());
            for name in std::iter::once(&p.name).chain(&p.aliases) {
                out.push(Alias::new(name, e.clone(), entry.clone(), files.people));
            }
        }
        for p in self.places.iter().filter(|p| p.matched) {
            let entry = format!("place {:?}", p.name);
            let kind = match p.kind {
                PlaceKind::Capital => MentionKind::Capital,
                _ => MentionKind::Place,
            };
            let stands_for = p.metonym.as_deref().or(p.country.as_deref());
            let e = entity(kind, &p.name, &p.name, stands_for);
            for name in std::iter::once(&p.name).chain(&p.aliases) {
                let mut alias = Alias::new(name, e.clone(), entry.clone(), files.places);
                if p.kind == PlaceKind::Capital {
                    // A city-state's capital shares the country's name: the country wins.
                    alias.yields_to = p
                        .country
                        .as_ref()
                        .map(|c| (format!("country {c:?}"), files.countries));
                }
                out.push(alias);
            }
        }
        out
    }
}

/// The names of the four files, for errors.
struct Files<'a> {
    countries: &'a str,
    organisations: &'a str,
    people: &'a str,
    places: &'a str,
}

fn parse<T: serde::de::DeserializeOwned>((file, src): (&str, &str)) -> Result<T, DataError> {
    toml::from_str(src).map_err(|e| DataError::Parse {
        file: file.to_string(),
        message: e.to_string().trim_end().to_string(),
    })
}

fn invalid(file: &str, entry: &str, problem: &str) -> DataError {
    DataError::Invalid {
        file: file.to_string(),
        entry: entry.to_string(),
        problem: problem.to_string(),
    }
}

/// A name and its aliases must each hold a letter or digit; no alias may repeat within one list.
fn check_names<const N: usize>(name: &str, lists: [&Vec<String>; N]) -> Result<(), String> {
    if !name.chars().any(char::is_alphanumeric) {
        return Err(format!("name {name:?} has no letter"));
    }
    for list in lists {
        let mut seen = HashSet::new();
        for a in list {
            if !a.chars().any(char::is_alphanumeric) {
                return Err(format!("alias {a:?} has no letter"));
            }
            if a.trim() != a {
                return Err(format!("alias {a:?} has blanks around it"));
            }
            if !seen.insert(a) {
                return Err(format!("alias {a:?} is listed twice"));
            }
        }
    }
    Ok(())
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with a plausible month and day.
fn is_iso_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| p.len() == len && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] => num(y, 4),
        [y, m] => num(y, 4) && num(m, 2) && (1..=12).contains(&m.parse::<u32>().unwrap_or(0)),
        [y, m, d] => {
            num(y, 4)
                && num(m, 2)
                && num(d, 2)
                && (1..=12).contains(&m.parse::<u32>().unwrap_or(0))
                && (1..=31).contains(&d.parse::<u32>().unwrap_or(0))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources<'a>(
        countries: &'a str,
        orgs: &'a str,
        people: &'a str,
        places: &'a str,
    ) -> Sources<'a> {
        Sources {
            countries: ("countries.toml", countries),
            organisations: ("organisations.toml", orgs),
            people: ("people.toml", people),
            places: ("places.toml", places),
        }
    }

    const ARM: &str = "[[country]]\ncode = \"ARM\"\nname = \"Armenia\"\nadjectives = [\"Armenian\"]\ncapital = \"Yerevan\"\n";
    const YEREVAN: &str = "[[place]]\nname = \"Yerevan\"\nkind = \"capital\"\ncountry = \"ARM\"\nlat = 40.1776\nlon = 44.5126\n";

    fn err(src: Sources<'_>) -> String {
        Gazetteer::from_sources(src).unwrap_err().to_string()
    }

    #[test]
    fn a_minimal_gazetteer_loads() {
        let g = Gazetteer::from_sources(sources(ARM, "", "", YEREVAN)).unwrap();
        assert_eq!(g.country("ARM").unwrap().name, "Armenia");
        assert_eq!(g.place("Yerevan").unwrap().kind, PlaceKind::Capital);
        assert_eq!(g.alias_count(), 3);
    }

    #[test]
    fn errors_name_file_entry_and_problem() {
        let e = err(sources(ARM, "", "", ""));
        assert_eq!(
            e,
            "countries.toml: country \"ARM\": capital \"Yerevan\" is not a place in places.toml"
        );

        let bad_lat = YEREVAN.replace("40.1776", "140.0");
        let e = err(sources(ARM, "", "", &bad_lat));
        assert_eq!(
            e,
            "places.toml: place \"Yerevan\": lat 140 is not between -90 and 90"
        );

        let person = "[[person]]\nname = \"A B\"\ncountry = \"XYZ\"\n";
        let e = err(sources(ARM, "", person, YEREVAN));
        assert!(
            e.starts_with("people.toml: person \"A B\": country \"XYZ\""),
            "{e}"
        );

        let role = "[[person]]\nname = \"A B\"\nroles = [{ title = \"T\", from = \"2021-13\" }]\n";
        let e = err(sources(ARM, "", role, YEREVAN));
        assert!(e.contains("date \"2021-13\""), "{e}");

        let clash = "[[organisation]]\ncode = \"AR\"\nname = \"Armenian\"\n";
        let e = err(sources(ARM, clash, "", YEREVAN));
        assert!(
            e.starts_with("organisations.toml: organisation \"AR\": alias \"Armenian\"")
                && e.contains("country \"ARM\" (countries.toml)"),
            "{e}"
        );

        let e = err(sources(
            "[[country]]\ncode = \"arm\"\nname = \"Armenia\"\n",
            "",
            "",
            "",
        ));
        assert!(e.contains("three upper-case letters"), "{e}");

        let e = err(sources(
            "[[country]]\ncode = \"ARM\"\nnom = \"Armenia\"\n",
            "",
            "",
            "",
        ));
        assert!(e.starts_with("countries.toml: "), "{e}");
    }

    #[test]
    fn iso_dates() {
        for ok in ["2021", "2021-12", "2021-12-31"] {
            assert!(is_iso_date(ok), "{ok}");
        }
        for bad in ["21", "2021-1", "2021-00", "2021-12-32", "2021/12", ""] {
            assert!(!is_iso_date(bad), "{bad}");
        }
    }
}
