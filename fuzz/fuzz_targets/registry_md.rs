//! Arbitrary text as a Markdown import registry: the converted TOML must be a valid config.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // `registry import` decodes lossily, so the importer sees any text.
    let text = String::from_utf8_lossy(data);
    let converted = ssot_lint::registry_md::convert(&text, "SSOT_IMPORT_REGISTRY.md");
    if let Err(error) = ssot_lint::config::from_text(&converted.toml, Path::new("/nonexistent")) {
        panic!(
            "the converted registry is not a valid config: {error}\n--- input\n{text}\n--- output\n{}",
            converted.toml
        );
    }
});
