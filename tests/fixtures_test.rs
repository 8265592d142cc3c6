//! Every fixture tree under tests/fixtures/ yields exactly the findings marked in its source.

mod common;

use common::*;

fn assert_exact_findings(case: &str) {
    let temp = copy_to_temp(&fixtures_dir().join(case));
    let report = check_json(temp.path(), &[]);
    let found = found(&report);
    let expected = expected(temp.path());
    assert!(!expected.is_empty(), "fixture {case} has no `# expect:` markers");
    let missing: Vec<_> = expected.iter().filter(|(key, count)| found.get(*key) != Some(count)).collect();
    let unexpected: Vec<_> = found.iter().filter(|(key, count)| expected.get(*key) != Some(count)).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "fixture {case}:\n  expected but not found (or wrong count): {missing:#?}\n  found but not expected: {unexpected:#?}\n  report: {}",
        serde_json::to_string_pretty(&report["findings"]).unwrap_or_default()
    );
}

macro_rules! fixture_tests {
    ($($name:ident => $case:literal),* $(,)?) => {
        $(#[test] fn $name() { assert_exact_findings($case); })*
    };
}

fixture_tests! {
    non_canonical_import => "non-canonical-import",
    compat_import => "compat-import",
    deprecated_module => "deprecated-module",
    duplicate_definition => "duplicate-definition",
    duplicate_class => "duplicate-class",
    competing_factory => "competing-factory",
    deprecated_factory_call => "deprecated-factory-call",
    banned_pattern => "banned-pattern",
    unknown_event => "unknown-event",
    stale_registry => "stale-registry",
    syntax_error => "syntax-error",
    suppressions => "suppressions",
    rust_imports => "rust-imports",
    rust_definitions => "rust-definitions",
    rust_calls => "rust-calls",
    rust_syntax_error => "rust-syntax-error",
    modern_python => "modern-python",
    qualified_names => "qualified-names",
    rust_qualified_names => "rust-qualified-names",
    allow_in => "allow-in",
    per_file_ignores => "per-file-ignores",
    unused_suppression => "unused-suppression",
    suppression_reasons => "suppression-reasons",
}

#[test]
fn every_fixture_tree_has_a_test() {
    let tested = [
        "non-canonical-import",
        "compat-import",
        "deprecated-module",
        "duplicate-definition",
        "duplicate-class",
        "competing-factory",
        "deprecated-factory-call",
        "banned-pattern",
        "unknown-event",
        "stale-registry",
        "syntax-error",
        "suppressions",
        "rust-imports",
        "rust-definitions",
        "rust-calls",
        "rust-syntax-error",
        "modern-python",
        "qualified-names",
        "rust-qualified-names",
        "allow-in",
        "per-file-ignores",
        "unused-suppression",
        "suppression-reasons",
    ];
    for entry in std::fs::read_dir(fixtures_dir()).expect("fixtures") {
        let entry = entry.expect("entry");
        if entry.path().is_dir() {
            let name = entry.file_name().to_string_lossy().into_owned();
            assert!(tested.contains(&name.as_str()), "fixture tree {name} has no test");
        }
    }
}

/// The demo extends the shipped rule pack by a relative path, so both are copied.
#[test]
fn demo_findings_are_exactly_the_marked_ones() {
    let temp = tempfile::tempdir().expect("temp dir");
    let demo = temp.path().join("examples/chat-backend");
    copy_tree(&repo_dir().join("examples/chat-backend"), &demo);
    copy_tree(&repo_dir().join("rules/packs"), &temp.path().join("rules/packs"));
    init_git(temp.path());
    let report = check_json(&demo, &[]);
    let found = found(&report);
    let mut expected = expected(&demo);
    // The pack's own finding: its websocket-manager concept names a canonical factory
    // (`UnifiedWebSocketManager.create_for_user`) the demo has not written yet.
    let pack = std::fs::read_to_string(repo_dir().join("rules/packs/websocket-ssot.toml")).expect("pack");
    let lines: Vec<&str> = pack.lines().collect();
    let name_line =
        lines.iter().position(|line| line.trim() == "name = \"websocket-manager\"").expect("concept");
    let header = (0..name_line).rev().find(|&index| lines[index].starts_with("[[concept]]")).expect("header");
    let key = (
        "stale-registry".to_string(),
        "../../rules/packs/websocket-ssot.toml".to_string(),
        header as u64 + 1,
    );
    expected.insert(key, 1);
    let missing: Vec<_> = expected.iter().filter(|(key, count)| found.get(*key) != Some(count)).collect();
    let unexpected: Vec<_> = found.iter().filter(|(key, count)| expected.get(*key) != Some(count)).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "missing: {missing:#?}\nunexpected: {unexpected:#?}"
    );
}
