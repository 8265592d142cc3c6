//! Arbitrary bytes as a Python file: the engine's per-file entry point (`check_source`: fact
//! extraction, every rule, placement, attached fixes) and the `fix` plan (applied, and the
//! result re-parsed), all under one fixed config that has every entry kind.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use ssot_lint::config::Config;
use ssot_lint::engine::check_source;
use ssot_lint::facts::FileFacts;
use ssot_lint::finding::Finding;
use ssot_lint::lang::python;
use ssot_lint::rules::{self, fix_imports, RuleSet};
use ssot_lint::settings::Settings;
use ssot_lint::source::SourceFile;

/// Every entry kind, with names the seed corpus (the test fixtures) uses; shared with the
/// regression tests of the main crate.
const CONFIG: &str = include_str!("../../tests/fuzz-regressions/python_extract/ssot-lint.toml");

/// Every rule on every input: no prefilter.
fn settings() -> &'static Settings {
    static SETTINGS: OnceLock<Settings> = OnceLock::new();
    SETTINGS.get_or_init(|| {
        let config = ssot_lint::config::from_text(CONFIG, Path::new("/nonexistent"))
            .expect("the fixed fuzz config is valid");
        Settings { prefilter: None, ..Settings::new(config) }
    })
}

/// A rewrite must leave a file that parses when the original did. (`check_source` already ran
/// the import fixer that attaches these rewrites to the findings.)
fn check_fix(file: &SourceFile, facts: &FileFacts, config: &Config, findings: &[Finding]) {
    let plan = fix_imports::plan(file, facts, config, findings);
    if plan.blocked.is_some() || plan.rewrites.is_empty() {
        return;
    }
    for rewrite in &plan.rewrites {
        fix_imports::minimal_edit(file, rewrite);
    }
    let new_text = fix_imports::apply(&file.text, &plan.rewrites);
    let new = SourceFile::from_text(&file.rel_path, &file.module, file.is_package, &new_text);
    let new_facts = python::extract(&new);
    assert!(
        new_facts.syntax_error.is_none(),
        "the rewritten file does not parse:\n--- before\n{}\n--- after\n{}",
        file.text,
        new_text
    );
}

fuzz_target!(|data: &[u8]| {
    let file = SourceFile::new(
        "app/services/handlers.py".into(),
        "app.services.handlers".into(),
        false,
        data.to_vec(),
    );
    let settings = settings();
    let config = &settings.config;
    let result = check_source(&file, settings);
    for finding in &result.findings {
        assert!(finding.span.start <= file.text.len() && finding.span.end <= file.text.len());
    }
    rules::check_project(config, RuleSet::all(), &[&result.contribution]);
    let facts = python::extract(&file);
    check_fix(&file, &facts, config, &result.findings);
});
