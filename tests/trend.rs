//! `trend` and `--baseline-ref`: git history linted from the object store must equal `check`
//! on a checkout of each commit.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::ssot_lint;
use predicates::prelude::*;
use serde_json::Value;

const CONFIG: &str = r#"[project]
roots = ["."]
current-phase = 1
exclude = ["**/vendor/**"]

[[phase]]
id = 1
name = "imports"

[[phase]]
id = 2
name = "legacy modules"

[[registry]]
symbol = "Manager"
module = "app.core"
phase = 1

# Provided only from the commit that adds app/later.py: stale-registry until then.
[[registry]]
symbol = "Later"
module = "app.later"
phase = 1

[[deprecated-module]]
module = "app.legacy"
replacement = "app.core"
phase = 2

[[pattern]]
id = "no-broadcast"
match = "**.broadcast_to_all"
kind = "call"
"#;

/// Runs git in `dir` with fixed identities and dates, so commit ids are the same on every run.
fn git(dir: &Path, args: &[&str]) -> String {
    git_at(dir, args, 0)
}

fn git_at(dir: &Path, args: &[&str], day: u32) -> String {
    let date = format!("2025-01-{:02}T12:00:00+00:00", day.clamp(1, 28));
    let output = Command::new("git")
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "user.name=Trend Test",
            "-c",
            "user.email=trend@example.com",
        ])
        .args(["-c", "init.defaultBranch=main", "-c", "core.autocrlf=false"])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("run git");
    assert!(output.status.success(), "git {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("utf-8")
}

fn write(dir: &Path, path: &str, text: impl AsRef<[u8]>) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// A scripted history on `main` (14 commits, 13 of them on the first-parent line): files added, changed, renamed and
/// deleted, an ignored file that a `.gitignore` change brings in, a merge, a suppression, a
/// phase-2 violation fixed, hidden, excluded and binary files, and stale-registry resolved.
fn scripted_history() -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    git(dir, &["init", "-q"]);
    let commit = |day: u32, message: &str| {
        git_at(dir, &["add", "-A"], day);
        git_at(dir, &["commit", "-q", "-m", message], day);
    };
    write(dir, "ssot-lint.toml", CONFIG);
    write(dir, "app/__init__.py", "");
    write(dir, "app/core.py", "class Manager:\n    pass\n");
    write(dir, "app/legacy.py", "x = 1\n");
    write(dir, "app/a.py", "from app.legacy import x\n");
    commit(1, "start: one deprecated import");

    write(dir, "app/b.py", "from app.legacy import x\nfrom app.other import Manager\n");
    commit(2, "add b.py");

    write(dir, "app/a.py", "from app.legacy import x\nfrom app.elsewhere import Manager\n");
    commit(3, "change a.py");

    git(dir, &["mv", "app/b.py", "app/c.py"]);
    commit(4, "rename b.py to c.py");

    write(dir, ".gitignore", "generated/\n");
    write(dir, "generated/g.py", "from app.gen import Manager\n");
    git(dir, &["add", "-f", "generated/g.py"]);
    commit(5, "commit a generated file that .gitignore ignores");

    write(dir, ".gitignore", "*.tmp\n");
    commit(6, ".gitignore no longer ignores generated/");

    git(dir, &["checkout", "-q", "-b", "feature"]);
    write(dir, "app/feature.py", "from app.feat import Manager\nimport app.legacy\n");
    commit(7, "feature: a new module");
    git(dir, &["checkout", "-q", "main"]);
    write(dir, "app/d.py", "def f(hub):\n    hub.broadcast_to_all()\n");
    commit(8, "add d.py");
    git_at(dir, &["merge", "-q", "--no-ff", "-m", "merge feature", "feature"], 9);

    write(dir, "app/c.py", "from app.legacy import x\nfrom app.other import Manager  # ssot: ignore\n");
    commit(10, "suppress the import in c.py");

    write(dir, "app/a.py", "from app.elsewhere import Manager\n");
    commit(11, "fix the phase-2 violation in a.py");

    std::fs::remove_file(dir.join("app/c.py")).expect("delete");
    commit(12, "delete c.py");

    write(dir, ".hidden/h.py", "from app.h import Manager\n");
    write(dir, "vendor/v.py", "from app.v import Manager\n");
    write(dir, "app/bin.py", b"x = 1\0\0binary\n".as_slice());
    write(dir, "app/broken.py", "def broken(:\n");
    // A nested .gitignore, and an .ignore file (which `check`'s walk honours too).
    write(dir, "app/sub/.gitignore", "ignored_*.py\n");
    write(dir, "app/sub/ignored_x.py", "from app.x import Manager\n");
    write(dir, "app/sub/kept.py", "from app.kept import Manager\n");
    write(dir, "app/sub/also_ignored.py", "from app.y import Manager\n");
    write(dir, ".ignore", "app/sub/also_ignored.py\n");
    git(dir, &["add", "-f", "app/sub/ignored_x.py"]);
    commit(13, "hidden, excluded, binary, broken and ignored files");

    write(dir, "app/later.py", "class Later:\n    pass\n");
    commit(14, "provide app.later");
    temp
}

fn trend_json(dir: &Path, extra: &[&str]) -> Value {
    let output = ssot_lint()
        .current_dir(dir)
        .args(["trend", "--format", "json", "--no-cache"])
        .args(extra)
        .output()
        .expect("run ssot-lint");
    assert!(output.status.success(), "trend failed: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("trend JSON")
}

/// Extracts `commit`'s tree into a fresh directory (a clean checkout without .git).
fn checkout(repo: &Path, commit: &str) -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp dir");
    let archive = temp.path().join("tree.tar");
    git(repo, &["archive", "--format=tar", "-o", archive.to_str().expect("path"), commit]);
    let status =
        Command::new("tar").args(["-xf", "tree.tar"]).current_dir(temp.path()).status().expect("run tar");
    assert!(status.success());
    std::fs::remove_file(&archive).expect("remove tar");
    temp
}

fn non_zero(map: &Value) -> BTreeMap<String, u64> {
    map.as_object()
        .expect("object")
        .iter()
        .map(|(key, value)| (key.clone(), value.as_u64().expect("count")))
        .filter(|(_, count)| *count > 0)
        .collect()
}

#[test]
fn every_trend_point_equals_check_on_a_checkout_of_that_commit() {
    let repo = scripted_history();
    let trend = trend_json(repo.path(), &["--all-parents"]);
    let points = trend["points"].as_array().expect("points");
    assert_eq!(points.len(), 14, "13 commits on main's first-parent line and 1 on the merged branch");
    let first_parent = trend_json(repo.path(), &[]);
    assert_eq!(first_parent["points"].as_array().expect("points").len(), 13);
    assert_eq!(trend["rev"].as_str(), Some(git(repo.path(), &["rev-parse", "HEAD"]).trim()));

    let mut seen_rules = BTreeSet::new();
    for point in points {
        let commit = point["commit"].as_str().expect("commit");
        let tree = checkout(repo.path(), commit);
        let report = common::check_json(tree.path(), &[]);
        let summary = &report["summary"];
        let subject = point["subject"].as_str().unwrap_or_default();
        assert_eq!(point["files"], summary["files"], "files at {commit} ({subject})");
        assert_eq!(point["total"], summary["findings"], "total at {commit} ({subject})");
        assert_eq!(point["gating"], summary["gating"], "gating at {commit} ({subject})");
        assert_eq!(
            non_zero(&point["by_phase"]),
            non_zero(&summary["by_phase"]),
            "by_phase at {commit} ({subject})"
        );
        assert_eq!(point["by_rule"], summary["by_rule"], "by_rule at {commit} ({subject})");
        seen_rules.extend(non_zero(&point["by_rule"]).into_keys());
    }
    // The history exercises every kind of finding the config can produce.
    let expected: BTreeSet<String> =
        ["deprecated-module", "non-canonical-import", "banned-pattern", "stale-registry", "syntax-error"]
            .map(str::to_string)
            .into();
    assert!(seen_rules.is_superset(&expected), "rules seen: {seen_rules:?}");
}

/// PATHS narrow every commit as they narrow `check` (no stale-registry: not the whole project).
#[test]
fn trend_of_a_subdirectory_equals_check_of_it() {
    let repo = scripted_history();
    let trend = trend_json(repo.path(), &["app/sub", "generated"]);
    for point in trend["points"].as_array().expect("points") {
        let commit = point["commit"].as_str().expect("commit");
        let tree = checkout(repo.path(), commit);
        // `check` refuses a path that does not exist; the commits without it count nothing.
        let paths: Vec<&str> =
            ["app/sub", "generated"].into_iter().filter(|path| tree.path().join(path).exists()).collect();
        if paths.is_empty() {
            assert_eq!((point["files"].as_u64(), point["total"].as_u64()), (Some(0), Some(0)), "at {commit}");
            continue;
        }
        let summary = &common::check_json(tree.path(), &paths)["summary"];
        assert_eq!(point["files"], summary["files"], "files at {commit}");
        assert_eq!(point["total"], summary["findings"], "total at {commit}");
        assert_eq!(point["by_rule"], summary["by_rule"], "by_rule at {commit}");
    }
}

/// `--max-commits`, `--every` and `--since` pick the points.
#[test]
fn max_commits_every_and_since_select_the_points() {
    let repo = scripted_history();
    let subjects = |value: &Value| -> Vec<String> {
        value["points"]
            .as_array()
            .expect("points")
            .iter()
            .map(|point| point["subject"].as_str().expect("subject").to_string())
            .collect()
    };
    let last3 = trend_json(repo.path(), &["--max-commits", "3"]);
    assert_eq!(
        subjects(&last3),
        ["delete c.py", "hidden, excluded, binary, broken and ignored files", "provide app.later"]
    );
    let every5 = trend_json(repo.path(), &["--every", "5"]);
    assert_eq!(subjects(&every5), ["change a.py", "merge feature", "provide app.later"]);
    let since = trend_json(repo.path(), &["--since", "2025-01-12"]);
    assert_eq!(since["points"].as_array().expect("points").len(), 3);
}

/// Distinct (blob, path) pairs of the `.py` files of `commits` (all lintable in this history).
fn distinct_versions(repo: &Path, commits: &[String]) -> usize {
    let mut versions = BTreeSet::new();
    for commit in commits {
        for line in git(repo, &["ls-tree", "-r", commit]).lines() {
            let (meta, path) = line.split_once('\t').expect("ls-tree line");
            let blob = meta.split_whitespace().nth(2).expect("blob id");
            if path.ends_with(".py") {
                versions.insert((blob.to_string(), path.to_string()));
            }
        }
    }
    versions.len()
}

/// `ssot-lint trend: N file versions read and linted, M from the cache` (SSOT_LINT_TIMINGS).
fn trend_reads(dir: &Path, cache: &Path) -> (usize, usize, Value) {
    let output = ssot_lint()
        .current_dir(dir)
        .env("SSOT_LINT_TIMINGS", "1")
        .args(["trend", "--format", "json", "--cache-dir"])
        .arg(cache)
        .output()
        .expect("run ssot-lint");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let line = stderr.lines().find(|line| line.starts_with("ssot-lint trend: ")).expect("reads line");
    let numbers: Vec<usize> = line.split_whitespace().filter_map(|word| word.parse().ok()).collect();
    (numbers[0], numbers[1], serde_json::from_slice(&output.stdout).expect("json"))
}

#[test]
fn each_file_version_is_read_once_and_a_second_run_reads_none() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path().join("repo");
    std::fs::create_dir(&dir).expect("mkdir");
    let cache = temp.path().join("cache");
    git(&dir, &["init", "-q"]);
    write(&dir, "ssot-lint.toml", CONFIG);
    write(&dir, "app/core.py", "class Manager:\n    pass\n");
    // Unchanged files are shared by every commit; a file reverted to an earlier version is
    // the same blob again.
    for day in 1..=12u32 {
        let version = day % 4;
        write(&dir, "app/churn.py", format!("from app.other import Manager\nVERSION = {version}\n"));
        write(&dir, &format!("app/m{day}.py"), "from app.legacy import x\n");
        git_at(&dir, &["add", "-A"], day);
        git_at(&dir, &["commit", "-q", "-m", &format!("commit {day}")], day);
    }
    let commits: Vec<String> = git(&dir, &["rev-list", "HEAD"]).lines().map(str::to_string).collect();
    let (read, cached, first) = trend_reads(&dir, &cache);
    assert_eq!(cached, 0);
    // core.py once, churn.py in its 4 versions, m1..m12 once each.
    assert_eq!(read, 1 + 4 + 12);
    assert_eq!(read, distinct_versions(&dir, &commits));

    let (read, cached, second) = trend_reads(&dir, &cache);
    assert_eq!((read, cached), (0, 17), "a second run reads no blob");
    assert_eq!(first, second, "cached results give the same trend");

    // A new commit costs only what changed in it.
    write(&dir, "app/churn.py", "from app.other import Manager\nVERSION = 99\n");
    git_at(&dir, &["commit", "-q", "-am", "commit 13"], 13);
    let (read, _, third) = trend_reads(&dir, &cache);
    assert_eq!(read, 1);
    let last = third["points"].as_array().and_then(|points| points.last()).expect("point");
    assert_eq!(last["subject"], "commit 13");
}

/// Fingerprints of the findings of a `check --format json` report that satisfy `keep`.
fn fingerprints(report: &Value, keep: impl Fn(&Value) -> bool) -> BTreeSet<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|finding| keep(finding))
        .map(|finding| finding["fingerprint"].as_str().expect("fingerprint").to_string())
        .collect()
}

#[test]
fn baseline_ref_gates_what_a_baseline_file_at_the_merge_base_gates() {
    let repo = scripted_history();
    let dir = repo.path();
    // A pull request branched off main two commits ago; main moved on since.
    git(dir, &["checkout", "-q", "-b", "pr", "HEAD~2"]);
    write(dir, "app/new.py", "from app.legacy import x\nfrom app.pr import Manager\n");
    write(dir, "app/a.py", "from app.elsewhere import Manager\nfrom app.again import Manager\n");
    git_at(dir, &["add", "-A"], 20);
    git_at(dir, &["commit", "-q", "-m", "pr: new violations"], 20);
    let merge_base = git(dir, &["merge-base", "main", "HEAD"]).trim().to_string();
    assert_eq!(merge_base, git(dir, &["rev-parse", "main~2"]).trim());

    let with_ref = common::check_json(dir, &["--baseline-ref", "main"]);
    let base_tree = checkout(dir, &merge_base);
    let output = ssot_lint()
        .current_dir(base_tree.path())
        .args(["baseline", "--no-cache", "--output", "baseline.json"])
        .output()
        .expect("run baseline");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let baseline_file = base_tree.path().join("baseline.json");
    let with_file = common::check_json(dir, &["--baseline", baseline_file.to_str().expect("path")]);

    let gating = |finding: &Value| finding["gating"] == true;
    let baselined = |finding: &Value| finding["baselined"] == true;
    assert_eq!(fingerprints(&with_ref, gating), fingerprints(&with_file, gating));
    assert_eq!(fingerprints(&with_ref, baselined), fingerprints(&with_file, baselined));
    assert_eq!(with_ref["summary"], with_file["summary"]);
    assert!(!fingerprints(&with_ref, gating).is_empty(), "the PR adds gating findings");
    assert!(!fingerprints(&with_ref, baselined).is_empty(), "the merge base had findings");

    // The same for `counts`.
    let counts = |extra: &[&str]| {
        let output = ssot_lint()
            .current_dir(dir)
            .args(["counts", "--no-cache", "--format", "json"])
            .args(extra)
            .output()
            .expect("run counts");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).expect("utf-8")
    };
    assert_eq!(
        counts(&["--baseline-ref", "main"]),
        counts(&["--baseline", baseline_file.to_str().expect("path")])
    );

    // Exit codes: the PR's own gating findings fail the gate.
    ssot_lint()
        .current_dir(dir)
        .args(["check", "--no-cache", "--quiet", "--baseline-ref", "main"])
        .assert()
        .code(1);
}

fn trend_output(dir: &Path, format: &str) -> String {
    let output = ssot_lint()
        .current_dir(dir)
        .args(["trend", "--no-cache", "--format", format])
        .output()
        .expect("run ssot-lint");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("utf-8")
}

#[test]
fn markdown_csv_json_and_text_snapshots() {
    let repo = scripted_history();
    insta::assert_snapshot!("trend_markdown", trend_output(repo.path(), "markdown"));
    insta::assert_snapshot!("trend_csv", trend_output(repo.path(), "csv"));
    insta::assert_snapshot!("trend_json", trend_output(repo.path(), "json"));
    insta::assert_snapshot!("trend_text", trend_output(repo.path(), "text"));
}

#[test]
fn the_svg_is_well_formed_with_one_series_per_phase() {
    let repo = scripted_history();
    let svg = trend_output(repo.path(), "svg");
    let document = roxmltree::Document::parse(&svg).expect("well-formed XML");
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2000/svg"));
    let series: Vec<&str> = root
        .descendants()
        .filter(|node| node.attribute("class") == Some("series"))
        .map(|node| node.attribute("data-phase").expect("data-phase"))
        .collect();
    // Phases 1 and 2, and findings of no phase (syntax-error, the pattern, stale-registry).
    assert_eq!(series, ["1", "2", "none"]);
    let legend: String = root
        .descendants()
        .filter(|node| node.attribute("class") == Some("legend"))
        .flat_map(|node| node.descendants())
        .filter_map(|node| node.text())
        .collect();
    assert!(legend.contains("phase 1: imports") && legend.contains("phase 2: legacy modules"), "{legend}");
    for line in root.descendants().filter(|node| node.tag_name().name() == "polyline") {
        let points = line.attribute("points").expect("points").split_whitespace().count();
        assert_eq!(points, 13, "one vertex per commit");
    }

    let html = trend_output(repo.path(), "html");
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg") && html.contains("<table>"));
    assert!(!html.contains("http://") || html.matches("http://").count() == 1, "no network resources");
}

/// A `file://` URL for a local path (`git clone --depth` ignores the depth of a plain path).
fn file_url(path: &Path) -> String {
    let path = path.display().to_string().replace('\\', "/");
    format!("file:///{}", path.trim_start_matches('/'))
}

fn repo_without_git() -> tempfile::TempDir {
    common::project(CONFIG, &[("app/a.py", "from app.legacy import x\n")])
}

#[test]
fn outside_a_git_repository_trend_and_baseline_ref_exit_2() {
    let temp = repo_without_git();
    ssot_lint()
        .current_dir(temp.path())
        .env("GIT_CEILING_DIRECTORIES", temp.path().parent().expect("parent"))
        .args(["trend", "--no-cache"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not in a git repository"));
    ssot_lint()
        .current_dir(temp.path())
        .env("GIT_CEILING_DIRECTORIES", temp.path().parent().expect("parent"))
        .args(["check", "--no-cache", "--baseline-ref", "main"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not in a git repository"));
}

#[test]
fn unknown_revisions_and_bad_dates_exit_2() {
    let repo = scripted_history();
    ssot_lint()
        .current_dir(repo.path())
        .args(["trend", "--no-cache", "--rev", "no-such-branch"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown revision `no-such-branch`"));
    ssot_lint()
        .current_dir(repo.path())
        .args(["check", "--no-cache", "--baseline-ref", "no-such-branch"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown revision `no-such-branch`"));
    ssot_lint()
        .current_dir(repo.path())
        .args(["trend", "--no-cache", "--since", "not a date at all"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--since not a date at all: not a date"));
    ssot_lint()
        .current_dir(repo.path())
        .args(["check", "--baseline", "b.json", "--baseline-ref", "main"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot be used with"));
}

#[test]
fn a_shallow_clone_lints_the_commits_it_has_and_says_how_many() {
    let repo = scripted_history();
    let temp = tempfile::tempdir().expect("temp dir");
    let url = file_url(repo.path());
    git(temp.path(), &["clone", "-q", "--depth", "3", &url, "shallow"]);
    let shallow: PathBuf = temp.path().join("shallow");
    let output = ssot_lint()
        .current_dir(&shallow)
        .args(["trend", "--no-cache", "--format", "json"])
        .output()
        .expect("run ssot-lint");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("shallow clone: only 3 commits of history are available"), "{stderr}");
    let trend: Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(trend["points"].as_array().expect("points").len(), 3);
    // The same points as the full history's last three.
    let full = trend_json(repo.path(), &["--max-commits", "3"]);
    assert_eq!(trend["points"], full["points"]);
}

#[test]
fn a_no_checkout_clone_needs_no_work_tree() {
    let repo = scripted_history();
    let temp = tempfile::tempdir().expect("temp dir");
    let url = file_url(repo.path());
    git(temp.path(), &["clone", "-q", "--no-checkout", &url, "bare"]);
    let clone = temp.path().join("bare");
    std::fs::write(temp.path().join("ssot-lint.toml"), CONFIG).expect("config");
    let config = temp.path().join("ssot-lint.toml");
    let trend = trend_json(&clone, &["--config", config.to_str().expect("path")]);
    let full = trend_json(repo.path(), &[]);
    assert_eq!(trend["points"], full["points"]);
}

#[test]
fn a_binary_blob_is_a_warning_and_the_run_goes_on() {
    let repo = scripted_history();
    ssot_lint()
        .current_dir(repo.path())
        .args(["trend", "--no-cache", "--max-commits", "2"])
        .assert()
        .success()
        .stderr(
            predicates::str::contains("warning: skipped app/bin.py")
                .and(predicates::str::contains("binary file")),
        );
}

#[test]
fn a_corrupt_or_huge_blob_is_a_warning_and_the_run_goes_on() {
    let repo = scripted_history();
    let dir = repo.path();
    write(dir, "app/huge.py", "x = 1\n".repeat(2 * 1024 * 1024));
    git_at(dir, &["add", "-A"], 15);
    git_at(dir, &["commit", "-q", "-m", "a file over 10 MiB"], 15);
    // Overwrite the loose object of app/core.py with garbage.
    let blob = git(dir, &["rev-parse", "HEAD:app/core.py"]).trim().to_string();
    let object = dir.join(".git/objects").join(&blob[..2]).join(&blob[2..]);
    let mut permissions = std::fs::metadata(&object).expect("loose object").permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&object, permissions).expect("chmod");
    std::fs::write(&object, b"not a zlib stream").expect("corrupt");
    let output = ssot_lint()
        .current_dir(dir)
        .args(["trend", "--no-cache", "--format", "json", "--max-commits", "2"])
        .output()
        .expect("run ssot-lint");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("warning: skipped app/core.py") && stderr.contains("cannot read the git blob"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: skipped app/huge.py") && stderr.contains("larger than 10 MiB"),
        "{stderr}"
    );
    let trend: Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(trend["points"].as_array().expect("points").len(), 2);
}

/// A run narrowed by `--select` judges only the suppression ids of the rules that ran, in
/// `trend` as in `check` (each rule decides which of its findings such a run reports).
#[test]
fn a_narrowed_trend_reports_what_a_narrowed_check_reports() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    git(dir, &["init", "-q"]);
    write(dir, "ssot-lint.toml", CONFIG);
    write(
        dir,
        "app/a.py",
        "x = 1  # ssot: ignore[banned-pattern]\ny = 2  # ssot: ignore[non-canonical-import]\n",
    );
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "two unused suppressions"]);
    let select = ["--select", "unused-suppression,non-canonical-import"];
    let trend = trend_json(dir, &select);
    let report = common::check_json(dir, &select);
    let point = &trend["points"][0];
    assert_eq!(point["by_rule"], report["summary"]["by_rule"]);
    assert_eq!(point["total"], 1, "only the id of a rule that ran is judged: {point}");
}
