//! The mixed demo: one `ssot-lint.toml` over a Python package and a Rust crate.

mod common;

use common::*;

fn demo() -> tempfile::TempDir {
    copy_to_temp(&repo_dir().join("examples/mixed-services"))
}

#[test]
fn mixed_demo_findings_are_exactly_the_marked_ones() {
    let temp = demo();
    let report = check_json(temp.path(), &[]);
    let found = found(&report);
    let expected = expected(temp.path());
    let rust_markers = expected.keys().filter(|(_, path, _)| path.ends_with(".rs")).count();
    let python_markers = expected.keys().filter(|(_, path, _)| path.ends_with(".py")).count();
    assert!(rust_markers > 0 && python_markers > 0, "{expected:#?}");
    let missing: Vec<_> = expected.iter().filter(|(key, count)| found.get(*key) != Some(count)).collect();
    let unexpected: Vec<_> = found.iter().filter(|(key, count)| expected.get(*key) != Some(count)).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "missing: {missing:#?}\nunexpected: {unexpected:#?}"
    );
    assert_eq!(report["summary"]["gating"], 11);
}

#[test]
fn mixed_demo_concise_snapshot() {
    let temp = demo();
    let output = ssot_lint()
        .current_dir(temp.path())
        .args(["check", "--format", "concise", "--no-cache"])
        .output()
        .expect("run ssot-lint");
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    insta::assert_snapshot!("mixed_demo_concise", String::from_utf8_lossy(&output.stdout));
}
