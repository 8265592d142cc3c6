//! Arbitrary text as a baseline file: parse it; what parses must survive a write/read round trip.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use ssot_lint::baseline::Baseline;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let path = Path::new("ssot-lint-baseline.json");
    let Ok(baseline) = Baseline::parse(text, path) else { return };
    let written = baseline.to_json();
    let reread = Baseline::parse(&written, path).expect("a written baseline parses");
    assert_eq!(reread, baseline, "round trip changed the baseline:\n{written}");
});
