//! Fuzz target: arbitrary bytes read as a plain-text document must never panic, and any document read
//! keeps the view/text invariants.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::read_and_check(data, peacetrack_read::Format::Text);
});
