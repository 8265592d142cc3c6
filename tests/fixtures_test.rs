//! Every fixture tree under tests/fixtures/ yields exactly the findings marked in its source.

mod common;

use common::*;

/// The findings of one fixture tree against its markers: `None` when they are exactly the
/// marked ones, else what differs.
fn mismatch(case: &str) -> Option<String> {
    let temp = copy_to_temp(&fixtures_dir().join(case));
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

/// Every tree under tests/fixtures/ is a case: a new rule's fixture needs no registration.
#[test]
fn every_fixture_tree_yields_exactly_its_marked_findings() {
    let mut cases: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("fixtures")
        .map(|entry| entry.expect("entry"))
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    // The rules' own fixtures are among them (a discovery that finds nothing proves nothing).
    for rule in ssot_lint::rules::RULES {
        let id = rule.id.as_str();
        let covered = id == "suppression-without-reason" || cases.iter().any(|case| case == id);
        assert!(covered, "rule {id} has no fixture tree tests/fixtures/{id}/");
    }
    let failures: Vec<String> = cases.iter().filter_map(|case| mismatch(case)).collect();
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
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
