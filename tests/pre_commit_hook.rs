//! The pre-commit hooks' command lines (`.pre-commit-hooks.yaml`) as pre-commit runs them: the
//! entry plus the staged files. `.ci/integrations` runs the real pre-commit on the demo.

mod common;

use std::path::PathBuf;

use common::*;

/// The `entry:` of hook `id` in `.pre-commit-hooks.yaml`, split into words.
fn hook_entry(id: &str) -> Vec<String> {
    let hooks = std::fs::read_to_string(repo_dir().join(".pre-commit-hooks.yaml")).expect("hooks file");
    let start = hooks.find(&format!("- id: {id}\n")).unwrap_or_else(|| panic!("hook {id}"));
    let entry = hooks[start..].lines().find_map(|line| line.trim().strip_prefix("entry: ")).expect("entry");
    entry.split_whitespace().map(str::to_string).collect()
}

fn demo() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().expect("temp dir");
    let demo = temp.path().join("examples/chat-backend");
    copy_tree(&repo_dir().join("examples/chat-backend"), &demo);
    copy_tree(&repo_dir().join("rules/packs"), &temp.path().join("rules/packs"));
    init_git(temp.path());
    (temp, demo)
}

/// Runs the hook's entry (with `ssot-lint` the binary under test) on `files` in `dir`.
fn run_hook(id: &str, dir: &std::path::Path, files: &[&str]) -> std::process::Output {
    let entry = hook_entry(id);
    assert_eq!(entry[0], "ssot-lint");
    ssot_lint().current_dir(dir).args(&entry[1..]).args(files).output().expect("run hook")
}

#[test]
fn hooks_declare_what_spec_section_8_asks() {
    assert_eq!(hook_entry("ssot-lint"), ["ssot-lint", "check", "--force-exclude"]);
    assert_eq!(hook_entry("ssot-lint-fix"), ["ssot-lint", "fix", "--force-exclude", "--allow-dirty"]);
    let hooks = std::fs::read_to_string(repo_dir().join(".pre-commit-hooks.yaml")).expect("hooks file");
    // The check hook also takes Rust files (ssot-lint lints both); fix rewrites Python only.
    assert_eq!(hooks.matches("  types_or: [python, rust]\n").count(), 1);
    assert_eq!(hooks.matches("  types: [python]\n").count(), 1);
    assert_eq!(hooks.matches("  require_serial: true\n").count(), 2);
    assert_eq!(hooks.matches("  language: rust\n").count(), 2);
}

#[test]
fn check_hook_reports_only_the_given_files() {
    let (_temp, dir) = demo();
    let output = run_hook(
        "ssot-lint",
        &dir,
        &["netra_backend/app/agents/state.py", "netra_backend/app/agents/supervisor.py"],
    );
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let files: std::collections::BTreeSet<&str> =
        stdout.lines().filter_map(|line| line.split_once(':')).map(|(path, _)| path).collect();
    // The summary line ("Found ...") has a colon too; every other line is a finding.
    let findings: Vec<&str> = files.into_iter().filter(|path| path.ends_with(".py")).collect();
    assert_eq!(findings, ["netra_backend/app/agents/state.py", "netra_backend/app/agents/supervisor.py"]);
    assert!(!stdout.contains("stale-registry"), "stale-registry needs the whole project: {stdout}");
}

#[test]
fn check_hook_passes_on_a_clean_file() {
    let (_temp, dir) = demo();
    let output = run_hook("ssot-lint", &dir, &["netra_backend/app/services/user_execution_context.py"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "No findings (1 file linted) · phase 1: 0, phase 2: 0, phase 3: 0, phase 4: 0\n"
    );
}

#[test]
fn check_hook_passes_when_every_given_file_is_excluded() {
    let (_temp, dir) = demo();
    let fixture = dir.join("netra_backend/tests/fixtures/legacy_import.py");
    std::fs::create_dir_all(fixture.parent().expect("parent")).expect("mkdir");
    std::fs::write(&fixture, "from netra_backend.app.agents.state import UserExecutionContext\n")
        .expect("fixture");
    let output = run_hook("ssot-lint", &dir, &["netra_backend/tests/fixtures/legacy_import.py"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "No findings (0 files linted) · phase 1: 0, phase 2: 0, phase 3: 0, phase 4: 0\n"
    );
    // Without --force-exclude an explicit file is linted even when excluded (as ruff does).
    let output = ssot_lint()
        .current_dir(&dir)
        .args(["check", "netra_backend/tests/fixtures/legacy_import.py"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_missing_file_is_still_an_error_with_force_exclude() {
    let (_temp, dir) = demo();
    let output = run_hook("ssot-lint", &dir, &["netra_backend/app/nope.py"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("nope.py"));
}
