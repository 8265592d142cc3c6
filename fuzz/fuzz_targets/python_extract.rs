//! Arbitrary bytes as a Python file: fact extraction, every per-file rule, and the `fix` plan
//! (applied, and the result re-parsed), all under one fixed config that has every entry kind.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use ssot_lint::config::Config;
use ssot_lint::facts::FileFacts;
use ssot_lint::finding::{Finding, Fingerprinter, Violation};
use ssot_lint::lang::python;
use ssot_lint::rules::{self, stale_registry, FileContext};
use ssot_lint::source::SourceFile;

/// Every entry kind, with names the seed corpus (the test fixtures) uses; shared with the
/// regression tests of the main crate.
const CONFIG: &str = include_str!("../../tests/fuzz-regressions/python_extract/ssot-lint.toml");

fn config() -> &'static Config {
    static CONFIG_CELL: OnceLock<Config> = OnceLock::new();
    CONFIG_CELL.get_or_init(|| {
        ssot_lint::config::from_text(CONFIG, Path::new("/nonexistent"))
            .expect("the fixed fuzz config is valid")
    })
}

/// Places violations the way `lint` does: positions, suppressions, fingerprints.
fn findings(file: &SourceFile, facts: &FileFacts, violations: Vec<Violation>) -> Vec<Finding> {
    let mut fingerprints = Fingerprinter::new();
    violations
        .into_iter()
        .map(|violation| {
            assert!(violation.span.start <= file.text.len() && violation.span.end <= file.text.len());
            let start = file.position(violation.span.start);
            let end = file.position(violation.span.end.max(violation.span.start));
            let fingerprint = fingerprints.next(
                violation.rule,
                &file.rel_path,
                &violation.check,
                file.line_text(start.line),
                file.slice(violation.span),
            );
            let suppressed =
                ssot_lint::suppress::is_suppressed(&facts.suppressions, violation.rule, start.line);
            Finding {
                rule: violation.rule,
                severity: violation.severity,
                phase: violation.phase,
                gating: false,
                path: file.rel_path.clone(),
                span: violation.span,
                start,
                end,
                message: violation.message,
                check: violation.check,
                fingerprint,
                baselined: false,
                suppressed,
                justification: None,
                fix: violation.fix,
            }
        })
        .collect()
}

/// A rewrite must leave a file that parses when the original did.
fn check_fix(file: &SourceFile, facts: &FileFacts, config: &Config, findings: &mut [Finding]) {
    let plan = ssot_lint::fix::plan(file, facts, config, findings);
    ssot_lint::fix::attach(file, facts, config, findings);
    if plan.blocked.is_some() || plan.rewrites.is_empty() {
        return;
    }
    for rewrite in &plan.rewrites {
        ssot_lint::fix::minimal_edit(file, rewrite);
    }
    let new_text = ssot_lint::fix::apply(&file.text, &plan.rewrites);
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
    let facts = python::extract(&file);
    let config = config();
    let context = FileContext::new(&file, &facts, config);
    let violations = rules::check_file(&context);
    stale_registry::check(config, &[stale_registry::contribute(&context)]);
    let mut findings = findings(&file, &facts, violations);
    check_fix(&file, &facts, config, &mut findings);
});
