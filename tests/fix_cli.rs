//! `ssot-lint fix` end to end on `tests/fixtures/fix/project`: every `app/cases/X.py` must become
//! exactly `X.py.fixed` (or stay unchanged when there is none), twice in a row, and still compile.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::*;

fn fixture() -> PathBuf {
    repo_dir().join("tests/fixtures/fix/project")
}

fn run(dir: &Path, args: &[&str]) -> Output {
    ssot_lint().current_dir(dir).args(args).arg("--no-cache").output().expect("run ssot-lint")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("read file")
}

/// `(case file, expected bytes)` for every case of the fixture.
fn expected_cases() -> Vec<(String, Vec<u8>)> {
    let cases = fixture().join("app/cases");
    let mut names: Vec<String> = std::fs::read_dir(&cases)
        .expect("cases dir")
        .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".py"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let fixed = cases.join(format!("{name}.fixed"));
            let expected = if fixed.exists() { read(&fixed) } else { read(&cases.join(&name)) };
            (format!("app/cases/{name}"), expected)
        })
        .collect()
}

fn assert_cases_fixed(dir: &Path) {
    for (case, expected) in expected_cases() {
        let actual = read(&dir.join(&case));
        assert!(
            actual == expected,
            "{case} differs from its .fixed file:\n{}",
            String::from_utf8_lossy(&actual)
        );
    }
}

/// Every file under `dir/app` except the fixed cases: `(path, bytes)`.
fn tree_bytes(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.join("app")];
    while let Some(directory) = stack.pop() {
        for entry in std::fs::read_dir(&directory).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push((path.clone(), read(&path)));
            }
        }
    }
    files.sort();
    files
}

const LEFT_MESSAGES: [&str; 3] = [
    "app/agents/registry.py:2:31: cannot fix AgentRegistry: its canonical module app.agents.registry is this file",
    "warning: app/cases/broken.py: left alone: syntax error at line 5, column 12",
    "app/cases/unplaceable.py:2:33: cannot fix UnifiedWebSocketManager: a comment sits between the imported names; move it by hand",
];

#[test]
fn fix_rewrites_every_case_exactly() {
    let temp = copy_to_temp(&fixture());
    let output = run(temp.path(), &["fix"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert!(output.stdout.is_empty());
    for message in LEFT_MESSAGES {
        assert!(err.contains(message), "missing `{message}` in:\n{err}");
    }
    assert!(err.contains("writing anyway"), "outside git the check is skipped with a warning: {err}");
    assert!(err.ends_with("fixed 36 imports and removed 13 unused suppressions in 11 files\n"), "{err}");
    assert_cases_fixed(temp.path());
}

#[test]
fn fixing_twice_changes_nothing() {
    let temp = copy_to_temp(&fixture());
    assert_eq!(run(temp.path(), &["fix"]).status.code(), Some(0));
    let before = tree_bytes(temp.path());
    let second = run(temp.path(), &["fix"]);
    assert_eq!(second.status.code(), Some(0));
    assert!(stderr(&second).ends_with("fixed 0 imports in 0 files\n"), "{}", stderr(&second));
    assert_eq!(tree_bytes(temp.path()), before);
    let dry = run(temp.path(), &["fix", "--dry-run"]);
    assert_eq!(dry.status.code(), Some(0));
    assert!(dry.stdout.is_empty());
}

#[test]
fn the_fixed_tree_keeps_only_the_imports_fix_cannot_place() {
    let temp = copy_to_temp(&fixture());
    assert_eq!(run(temp.path(), &["fix"]).status.code(), Some(0));
    let report = check_json(temp.path(), &[]);
    let mut remaining: Vec<(String, String, u64, bool)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|finding| finding["rule"] != "duplicate-definition")
        .map(|finding| {
            (
                finding["rule"].as_str().expect("rule").to_string(),
                finding["path"].as_str().expect("path").to_string(),
                finding["line"].as_u64().expect("line"),
                finding["fix"].is_null(),
            )
        })
        .collect();
    remaining.sort();
    let expected = [
        ("non-canonical-import", "app/agents/registry.py", 2),
        ("non-canonical-import", "app/cases/broken.py", 2),
        ("syntax-error", "app/cases/broken.py", 5),
        // Only `get_websocket_manager_factory` is left on the deprecated module: it has no home.
        ("deprecated-module", "app/cases/deprecated.py", 3),
        ("deprecated-module", "app/cases/deprecated.py", 5),
        ("non-canonical-import", "app/cases/unplaceable.py", 2),
    ];
    let mut expected: Vec<(String, String, u64, bool)> =
        expected.iter().map(|(rule, path, line)| (rule.to_string(), path.to_string(), *line, true)).collect();
    expected.sort();
    assert_eq!(remaining, expected);
}

#[test]
fn fixed_files_compile_with_python() {
    let python_available =
        std::process::Command::new("python3").arg("--version").output().is_ok_and(|o| o.status.success());
    if !python_available {
        eprintln!("python3 not found: skipping py_compile");
        return;
    }
    let temp = copy_to_temp(&fixture());
    assert_eq!(run(temp.path(), &["fix"]).status.code(), Some(0));
    let files: Vec<String> = expected_cases()
        .into_iter()
        .map(|(case, _)| case)
        .filter(|case| !case.ends_with("broken.py"))
        .collect();
    let output = std::process::Command::new("python3")
        .current_dir(temp.path())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .args(["-m", "py_compile"])
        .args(&files)
        .output()
        .expect("run python3");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn dry_run_prints_a_diff_and_changes_nothing() {
    let temp = copy_to_temp(&fixture());
    let before = tree_bytes(temp.path());
    let output = run(temp.path(), &["fix", "--dry-run"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(tree_bytes(temp.path()), before);
    assert!(
        stderr(&output).ends_with("would fix 36 imports and remove 13 unused suppressions in 11 files\n"),
        "{}",
        stderr(&output)
    );
    let diff = String::from_utf8_lossy(&output.stdout).replace('\r', "␍");
    insta::assert_snapshot!("fix_dry_run_diff", diff);

    let alias = run(temp.path(), &["fix", "--diff"]);
    assert_eq!(alias.status.code(), Some(1));
    assert_eq!(alias.stdout, output.stdout);
}

#[test]
fn paths_limit_what_is_fixed() {
    let temp = copy_to_temp(&fixture());
    let before = tree_bytes(temp.path());
    let output = run(temp.path(), &["fix", "app/cases/split.py"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let split = temp.path().join("app/cases/split.py");
    assert_eq!(read(&split), read(&fixture().join("app/cases/split.py.fixed")));
    let changed: Vec<PathBuf> = tree_bytes(temp.path())
        .into_iter()
        .zip(before)
        .filter(|(after, before)| after != before)
        .map(|(after, _)| after.0)
        .collect();
    assert_eq!(changed, vec![split]);
}

#[cfg(unix)]
#[test]
fn permissions_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let temp = copy_to_temp(&fixture());
    let file = temp.path().join("app/cases/split.py");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o750)).expect("chmod");
    assert_eq!(run(temp.path(), &["fix"]).status.code(), Some(0));
    let mode = std::fs::metadata(&file).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(mode, 0o750);
    assert_eq!(read(&file), read(&fixture().join("app/cases/split.py.fixed")));
}

/// Runs git in `dir` with a config that does not depend on the machine.
fn git(dir: &Path, args: &[&str]) {
    let output = std::process::Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .args(["-c", "user.name=ssot", "-c", "user.email=ssot@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .expect("run git");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

fn git_available() -> bool {
    std::process::Command::new("git").arg("--version").output().is_ok_and(|output| output.status.success())
}

/// The fixture in a fresh git repository with everything committed.
fn committed_fixture() -> tempfile::TempDir {
    let temp = copy_to_temp(&fixture());
    git(temp.path(), &["init", "-q"]);
    git(temp.path(), &["add", "-A"]);
    git(temp.path(), &["commit", "-q", "-m", "fixture"]);
    temp
}

#[test]
fn a_clean_git_tree_is_fixed_without_warning() {
    if !git_available() {
        eprintln!("git not found: skipping");
        return;
    }
    let temp = committed_fixture();
    let output = run(temp.path(), &["fix"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!stderr(&output).contains("uncommitted"), "{}", stderr(&output));
    assert_cases_fixed(temp.path());
}

#[test]
fn files_with_uncommitted_changes_are_refused() {
    if !git_available() {
        eprintln!("git not found: skipping");
        return;
    }
    let temp = committed_fixture();
    let split = temp.path().join("app/cases/split.py");
    let mut text = read(&split);
    text.extend_from_slice(b"# local edit\n");
    std::fs::write(&split, &text).expect("edit");
    std::fs::write(temp.path().join("app/cases/new.py"), "from app.agents import AgentRegistry\n")
        .expect("new file");
    let before = tree_bytes(temp.path());

    let refused = run(temp.path(), &["fix"]);
    assert_eq!(refused.status.code(), Some(2));
    let err = stderr(&refused);
    assert!(
        err.contains("error: app/cases/new.py has uncommitted changes\nerror: app/cases/split.py has uncommitted changes\n"),
        "{err}"
    );
    assert!(err.contains("refusing to fix 2 files with uncommitted changes"), "{err}");
    assert!(err.contains("--allow-dirty"), "{err}");
    assert_eq!(tree_bytes(temp.path()), before);

    // A dry run writes nothing, so it does not care.
    assert_eq!(run(temp.path(), &["fix", "--dry-run"]).status.code(), Some(1));

    let allowed = run(temp.path(), &["fix", "--allow-dirty"]);
    assert_eq!(allowed.status.code(), Some(0), "{}", stderr(&allowed));
    assert_eq!(
        read(&temp.path().join("app/cases/new.py")),
        b"from app.agents.registry import AgentRegistry\n"
    );
    let mut expected = read(&fixture().join("app/cases/split.py.fixed"));
    expected.extend_from_slice(b"# local edit\n");
    assert_eq!(read(&split), expected);
}

#[test]
fn check_marks_fixable_findings() {
    let temp = copy_to_temp(&fixture());
    let output = run(temp.path(), &["check", "--format", "concise"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!("fix_check_concise", String::from_utf8_lossy(&output.stdout));

    let report = check_json(temp.path(), &[]);
    let findings = report["findings"].as_array().expect("findings");
    let split = findings
        .iter()
        .find(|finding| {
            finding["path"] == "app/cases/split.py" && finding["line"] == 3 && finding["column"] == 39
        })
        .expect("WebSocketBridge in split.py");
    insta::assert_json_snapshot!("fix_json_fix_field", split["fix"]);
    let fixable = findings.iter().filter(|finding| !finding["fix"].is_null()).count();
    // 37 imports and 12 unused suppressions (the 13th becomes unused once its import is fixed).
    assert_eq!(fixable, 49);
    let unused =
        findings.iter().find(|finding| finding["path"] == "app/cases/unused.py" && finding["line"] == 4);
    insta::assert_json_snapshot!("fix_json_unused_suppression_fix", unused.expect("unused.py line 4")["fix"]);
}
