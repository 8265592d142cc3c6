//! Every exact-findings tree under tests/fixtures/rules/ and tests/fixtures/cases/ yields exactly
//! the findings marked in its source, and every rule has its own tree.

mod common;

use std::path::Path;

use common::*;

/// The findings of one fixture tree against its markers: `None` when they are exactly the
/// marked ones, else what differs.
fn mismatch(case: &str, dir: &Path) -> Option<String> {
    let temp = copy_to_temp(dir);
    let report = check_json(temp.path(), &[]);
    let found = found(&report);
    let expected = expected(temp.path());
    if expected.is_empty() {
        return Some(format!("fixture {case} has no `# expect:` markers"));
    }
    let missing: Vec<_> = expected.iter().filter(|(key, count)| found.get(*key) != Some(count)).collect();
    let unexpected: Vec<_> = found.iter().filter(|(key, count)| expected.get(*key) != Some(count)).collect();
    (!missing.is_empty() || !unexpected.is_empty()).then(|| {
        format!(
            "fixture {case}:\n  expected but not found (or wrong count): {missing:#?}\n  found but not expected: {unexpected:#?}\n  report: {}",
            serde_json::to_string_pretty(&report["findings"]).unwrap_or_default()
        )
    })
}

/// Every tree under tests/fixtures/rules/ and tests/fixtures/cases/ is a case: a new rule's
/// fixture needs no registration.
#[test]
fn every_fixture_tree_yields_exactly_its_marked_findings() {
    let cases = findings_trees();
    // A discovery that finds nothing proves nothing: at least one tree per rule.
    assert!(cases.len() > ssot_lint::rules::RULES.len(), "found only {} fixture trees", cases.len());
    let failures: Vec<String> = cases.iter().filter_map(|(case, dir)| mismatch(case, dir)).collect();
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// The directory names directly under `dir`, sorted; every entry there must be a directory
/// (a stray file would be a fixture nobody runs).
fn subdirectories(dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|error| panic!("{}: {error}", dir.display())) {
        let path = entry.expect("dir entry").path();
        assert!(path.is_dir(), "{} is not a fixture tree (only directories belong here)", path.display());
        names.push(path.file_name().expect("name").to_string_lossy().into_owned());
    }
    names.sort();
    names
}

/// `tests/fixtures/rules/<id>/` exists for every rule in `RULES` and marks at least one finding
/// of that rule; every folder there is a rule's id.
#[test]
fn every_rule_has_its_own_fixture_folder() {
    let rules_dir = fixtures_dir().join("rules");
    let ids: Vec<&str> = ssot_lint::rules::RULES.iter().map(|rule| rule.id.as_str()).collect();
    let mut problems = Vec::new();
    for id in &ids {
        let dir = rules_dir.join(id);
        if !dir.join("ssot-lint.toml").is_file() {
            problems.push(format!(
                "rule {id} has no fixture: create tests/fixtures/rules/{id}/ with an ssot-lint.toml \
                 and sources that end each line where a finding of {id} must start with \
                 `# expect: {id}` (`// expect: {id}` in Rust); see tests/fixtures/README.md"
            ));
        } else if !expected(&dir).keys().any(|(rule, _, _)| rule == id) {
            problems.push(format!(
                "tests/fixtures/rules/{id}/ marks no finding of its own rule: add a source line \
                 that {id} reports, ending in `# expect: {id}`"
            ));
        }
    }
    for name in subdirectories(&rules_dir) {
        if !ids.contains(&name.as_str()) {
            problems.push(format!(
                "tests/fixtures/rules/{name}/ names no rule in RULES (src/rules/mod.rs): rename it to \
                 the id of the rule it tests, or move it to tests/fixtures/cases/{name}/ if it is \
                 about a feature rather than one rule"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The fixture root holds the two groups of exact-findings trees and the four fixtures of the
/// command tests, nothing else: a tree put anywhere else would be a fixture nobody runs.
#[test]
fn the_fixture_root_holds_only_known_groups() {
    let root = fixtures_dir();
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .expect("tests/fixtures")
        .map(|entry| entry.expect("dir entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let known = ["README.md", "cases", "counts", "discover", "fix", "registry", "rules"];
    let unknown: Vec<&String> = names.iter().filter(|name| !known.contains(&name.as_str())).collect();
    assert!(
        unknown.is_empty(),
        "tests/fixtures/ holds {unknown:?}, which no test reads: a rule's exact-findings tree goes \
         in tests/fixtures/rules/<rule-id>/, one about a feature in tests/fixtures/cases/<name>/ \
         (tests/fixtures/README.md)"
    );
    for group in FINDINGS_GROUPS {
        assert!(!subdirectories(&root.join(group)).is_empty(), "tests/fixtures/{group}/ is empty");
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
