//! Shared helpers for the integration tests: fixture trees copied to temp dirs, the binary,
//! and `# expect: rule-id` (`// expect: rule-id` in Rust) markers.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The one fixture root: `rules/<rule-id>/` and `cases/<name>/` are exact-findings trees,
/// `counts/`, `discover/`, `fix/` and `registry/` belong to the tests of those commands.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The groups of exact-findings trees under `fixtures_dir()`: one per rule, then the cases about
/// features rather than one rule (suppressions, path scoping, the Rust front end, ...).
pub const FINDINGS_GROUPS: [&str; 2] = ["rules", "cases"];

/// Every exact-findings tree, as (`group/name`, its path), sorted: each directory directly
/// under `tests/fixtures/rules/` and `tests/fixtures/cases/`. Found, never listed, so a new
/// tree needs no registration.
pub fn findings_trees() -> Vec<(String, PathBuf)> {
    let mut trees = Vec::new();
    for group in FINDINGS_GROUPS {
        let dir = fixtures_dir().join(group);
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|error| panic!("{}: {error}", dir.display())) {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                let name = path.file_name().expect("name").to_string_lossy().into_owned();
                trees.push((format!("{group}/{name}"), path));
            }
        }
    }
    trees.sort();
    trees
}

pub fn repo_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies `source` (recursively) into a fresh temp dir and returns it.
pub fn copy_to_temp(source: &Path) -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp dir");
    copy_tree(source, temp.path());
    temp
}

pub fn copy_tree(source: &Path, target: &Path) {
    std::fs::create_dir_all(target).expect("create dir");
    for entry in std::fs::read_dir(source).expect("read dir") {
        let entry = entry.expect("dir entry");
        let to = target.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &to);
        } else {
            std::fs::copy(entry.path(), &to).expect("copy file");
        }
    }
}

/// Makes `dir` a git work tree, as the repository is: the demo extends `../../rules/packs/...`,
/// and `extend` reads outside the project root only within the repository holding it.
pub fn init_git(dir: &Path) {
    let status =
        std::process::Command::new("git").args(["init", "-q"]).current_dir(dir).status().expect("run git");
    assert!(status.success(), "git init failed");
}

/// The binary, with a clean environment for deterministic output.
pub fn ssot_lint() -> Command {
    let mut command = Command::cargo_bin("ssot-lint").expect("binary");
    command.env("NO_COLOR", "1").env_remove("GITHUB_ACTIONS");
    command
}

/// Runs `check --format json` in `dir` (plus `extra` args) and returns the parsed report.
pub fn check_json(dir: &Path, extra: &[&str]) -> serde_json::Value {
    let output = ssot_lint()
        .current_dir(dir)
        .args(["check", "--format", "json", "--exit-zero", "--no-cache"])
        .args(extra)
        .output()
        .expect("run ssot-lint");
    assert!(
        output.status.success(),
        "ssot-lint failed: {}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON report")
}

/// (rule, path, line) → how many findings, from a JSON report.
pub fn found(report: &serde_json::Value) -> BTreeMap<(String, String, u64), usize> {
    let mut found = BTreeMap::new();
    for finding in report["findings"].as_array().expect("findings array") {
        let key = (
            finding["rule"].as_str().expect("rule").to_string(),
            finding["path"].as_str().expect("path").to_string(),
            finding["line"].as_u64().expect("line"),
        );
        *found.entry(key).or_insert(0) += 1;
    }
    found
}

/// (rule, path, line) → count from `# expect: a, b` markers in every .py/.toml file of `dir`
/// and `// expect: a, b` markers in every .rs file.
pub fn expected(dir: &Path) -> BTreeMap<(String, String, u64), usize> {
    let mut expected = BTreeMap::new();
    collect_markers(dir, dir, &mut expected);
    expected
}

/// The comment leader of a file's markers, by extension.
fn comment_leader(path: &Path) -> Option<&'static str> {
    match path.extension()?.to_str()? {
        "py" | "toml" => Some("#"),
        "rs" => Some("//"),
        _ => None,
    }
}

fn collect_markers(root: &Path, dir: &Path, out: &mut BTreeMap<(String, String, u64), usize>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect_markers(root, &path, out);
            continue;
        }
        let Some(leader) = comment_leader(&path) else {
            continue;
        };
        let marker = format!("{leader} expect:");
        let text = String::from_utf8_lossy(&std::fs::read(&path).expect("read")).into_owned();
        let rel = path.strip_prefix(root).expect("relative").to_string_lossy().replace('\\', "/");
        for (index, line) in text.lines().enumerate() {
            let Some(at) = line.find(&marker) else { continue };
            let list = &line[at + marker.len()..];
            // The id list ends at the next comment (e.g. a trailing `// ssot: ignore`).
            let list = list.split(leader).next().unwrap_or("");
            for rule in list.split(',').map(str::trim).filter(|rule| !rule.is_empty()) {
                *out.entry((rule.to_string(), rel.clone(), index as u64 + 1)).or_insert(0) += 1;
            }
        }
    }
}

/// A temp project: `ssot-lint.toml` with `config`, plus `files` (path, content).
pub fn project<C: AsRef<[u8]>>(config: &str, files: &[(&str, C)]) -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp dir");
    std::fs::write(temp.path().join("ssot-lint.toml"), config).expect("write config");
    for (path, content) in files {
        let path = temp.path().join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, content).expect("write file");
    }
    temp
}
