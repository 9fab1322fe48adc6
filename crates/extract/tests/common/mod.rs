//! Helpers shared by the data-driven test files: reading a case file from `tests/data/` and failing
//! once with every failing case listed.

/// Parses `tests/data/NAME` (TOML) into `T`, panicking with the path on any problem.
pub fn read<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let src = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    toml::from_str(&src).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Fails when any case failed, listing them all.
pub fn check(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} failing case(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
