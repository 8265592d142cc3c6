//! The baseline ratchet (SPEC §6): `baseline --output`, `check --baseline`, `baseline --update`,
//! `--allow-new`, `--show-baselined`, and refusing bad baseline files.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use predicates::prelude::*;

const BASELINE: &str = ".ssot-lint-baseline.json";

fn phases_fixture() -> tempfile::TempDir {
    copy_to_temp(&repo_dir().join("tests/fixtures/counts/phases"))
}

fn run(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    ssot_lint().current_dir(dir).args(args).assert()
}

fn write_baseline(dir: &Path) {
    run(dir, &["baseline"]).code(0).stderr(predicate::str::contains(
        "wrote 8 findings to .ssot-lint-baseline.json (phase 1: 2, phase 2: 2, phase 3: 0, phase 4: 3, no phase: 1)",
    ));
}

fn baseline_entries(dir: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(dir.join(BASELINE)).expect("baseline file");
    let json: serde_json::Value = serde_json::from_str(&text).expect("baseline JSON");
    // The list ends with a constant `null` (so every finding line ends with a comma).
    let findings = json["findings"].as_array().expect("findings");
    assert_eq!(findings.last(), Some(&serde_json::Value::Null), "{text}");
    findings.iter().filter(|entry| !entry.is_null()).cloned().collect()
}

fn views(dir: &Path) -> PathBuf {
    dir.join("app/api/views.py")
}

/// Replaces `from` (which must occur) with `to` in `path`.
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{} does not contain {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

const NEW_SEND: &str = "    client.send_raw(b\"new\")\n";
const RETURN: &str = "    return Manager, HelperManager\n";

/// The gating findings of `check --baseline` as `path:line rule`.
fn gating(dir: &Path) -> Vec<String> {
    let report = check_json(dir, &["--baseline", BASELINE]);
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|finding| finding["gating"] == true)
        .map(|finding| {
            format!(
                "{}:{} {}",
                finding["path"].as_str().unwrap_or(""),
                finding["line"],
                finding["rule"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn file_is_sorted_one_line_per_finding_without_totals() {
    let temp = phases_fixture();
    write_baseline(temp.path());
    let text = std::fs::read_to_string(temp.path().join(BASELINE)).expect("baseline");
    insta::assert_snapshot!("baseline_file", text);
    let entries = baseline_entries(temp.path());
    let keys: Vec<(String, String)> =
        entries.iter().map(|entry| (entry["path"].to_string(), entry["rule"].to_string())).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    // The suppressed raw send is not a violation, so it is not recorded.
    assert_eq!(entries.len(), 8);
}

#[test]
fn round_trip_gates_only_new_findings_and_update_shrinks_the_file() {
    let temp = phases_fixture();
    let dir = temp.path();
    write_baseline(dir);
    run(dir, &["check", "--baseline", BASELINE]).code(0);

    edit(&views(dir), RETURN, &format!("{NEW_SEND}{RETURN}"));
    run(dir, &["check", "--baseline", BASELINE])
        .code(1)
        .stdout(predicate::str::contains("app/api/views.py:15:5: banned-pattern"))
        .stderr(predicate::str::contains("1 gating finding (phases <= 2); 8 baselined"));
    assert_eq!(gating(dir), ["app/api/views.py:15 banned-pattern"]);

    edit(&views(dir), NEW_SEND, "");
    run(dir, &["check", "--baseline", BASELINE]).code(0);

    // Fix a baselined finding too: the ratchet drops it from the file.
    edit(
        &views(dir),
        "from app.api.helpers import Manager as HelperManager  # expect: non-canonical-import",
        "HelperManager = None",
    );
    run(dir, &["check", "--baseline", BASELINE]).code(0);
    let before = baseline_entries(dir);
    run(dir, &["baseline", "--update", BASELINE]).code(0).stderr(predicate::str::contains(
        "updated .ssot-lint-baseline.json: 7 findings (removed 1 fixed, added 0 new) (phase 1: 1,",
    ));
    let after = baseline_entries(dir);
    let removed: Vec<_> = before.iter().filter(|entry| !after.contains(entry)).collect();
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0]["rule"], "non-canonical-import");
    assert!(after.iter().all(|entry| before.contains(entry)), "update added entries");
    run(dir, &["check", "--baseline", BASELINE]).code(0);
}

#[test]
fn update_refuses_new_findings_unless_allowed() {
    let temp = phases_fixture();
    let dir = temp.path();
    write_baseline(dir);
    let original = baseline_entries(dir);
    edit(&views(dir), RETURN, &format!("{NEW_SEND}{RETURN}"));
    edit(
        &dir.join("app/legacy/other.py"),
        "class OtherManager:  # expect: duplicate-class",
        "class OtherThing:",
    );

    run(dir, &["baseline", "--update", BASELINE, "--quiet"])
        .code(1)
        .stderr(predicate::str::contains(
            "error: 1 finding is not in the baseline:\n  app/api/views.py:15:5: banned-pattern client.send_raw() is banned (raw-send): send through the manager\nfix it, or rerun with --allow-new to accept it into the baseline\n",
        ));
    // The fixed finding was pruned anyway; the new one was not added.
    let pruned = baseline_entries(dir);
    assert_eq!(pruned.len(), original.len() - 1);
    assert!(pruned.iter().all(|entry| original.contains(entry)));
    assert!(pruned.iter().all(|entry| entry["rule"] != "duplicate-class"));
    run(dir, &["check", "--baseline", BASELINE]).code(1);

    run(dir, &["baseline", "--update", BASELINE, "--allow-new"])
        .code(0)
        .stderr(predicate::str::contains("(removed 0 fixed, added 1 new)"));
    assert_eq!(baseline_entries(dir).len(), original.len());
    run(dir, &["check", "--baseline", BASELINE]).code(0);
}

#[test]
fn update_of_part_of_the_project_keeps_entries_outside_it() {
    let temp = phases_fixture();
    let dir = temp.path();
    write_baseline(dir);
    let original = baseline_entries(dir);
    // Only app/api is linted: entries of other files, and of rules not selected, stay.
    run(dir, &["baseline", "--update", BASELINE, "app/api", "--select", "banned-pattern"])
        .code(0)
        .stderr(predicate::str::contains("8 findings (removed 0 fixed, added 0 new)"));
    assert_eq!(baseline_entries(dir), original);
}

#[test]
fn baselined_findings_are_hidden_unless_asked_and_marked_in_json() {
    let temp = phases_fixture();
    let dir = temp.path();
    write_baseline(dir);
    run(dir, &["check", "--baseline", BASELINE, "--format", "concise"]).code(0).stdout(
        "Found 8 findings in 3 files (9 files linted): 0 gating (phases <= 2), 8 not gating · phase 1: 2, phase 2: 2, phase 3: 0, phase 4: 3, no phase: 1 · 1 suppressed · 8 baselined\n",
    );
    run(dir, &["check", "--baseline", BASELINE, "--format", "concise", "--show-baselined"])
        .code(0)
        .stdout(predicate::str::contains(
            "app/api/views.py:12:5: banned-pattern client.send_raw() is banned (raw-send): send through the manager [baselined]\n",
        ))
        .stdout(predicate::function(|out: &str| out.lines().filter(|line| line.ends_with("[baselined]")).count() == 8));
    let report = check_json(dir, &["--baseline", BASELINE]);
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 8);
    assert!(findings.iter().all(|finding| finding["baselined"] == true && finding["gating"] == false));
    assert_eq!(report["summary"]["baselined"], 8);
}

#[test]
fn rich_text_shows_baselined_findings_as_notes() {
    let temp = phases_fixture();
    let dir = temp.path();
    write_baseline(dir);
    let output = ssot_lint()
        .current_dir(dir)
        .args(["check", "--baseline", BASELINE, "--show-baselined", "--format", "text", "--color", "always"])
        .output()
        .expect("run");
    let text = strip_ansi(&String::from_utf8_lossy(&output.stdout));
    assert_eq!(text.matches("help: baselined; ").count(), 8, "{text}");
    // miette draws advice (notes) with ☞, errors with ×.
    assert!(!text.contains('×'), "{text}");
}

/// Drops ANSI color sequences (`ESC [ ... m`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            chars.by_ref().find(|&c| c == 'm');
        } else {
            out.push(c);
        }
    }
    out
}

/// miette wraps an error message at 80 columns behind `×` / `│`; this joins it back (a line
/// broken after a hyphen continues without a space).
fn unwrapped(stderr: &[u8]) -> String {
    let mut joined = String::new();
    for line in String::from_utf8_lossy(stderr).lines() {
        let line = line.trim().trim_start_matches(['×', '│']).trim();
        if line.is_empty() {
            continue;
        }
        if !joined.is_empty() && !joined.ends_with('-') {
            joined.push(' ');
        }
        joined.push_str(line);
    }
    joined
}

/// Runs `args` in `dir`, expecting exit 2, nothing on stdout and `message` on stderr.
fn fails_with(dir: &Path, args: &[&str], message: &str) {
    let output = ssot_lint().current_dir(dir).args(args).output().expect("run");
    assert_eq!(output.status.code(), Some(2), "{args:?}");
    assert!(output.stdout.is_empty(), "{args:?} printed {}", String::from_utf8_lossy(&output.stdout));
    let stderr = unwrapped(&output.stderr);
    assert!(stderr.contains(message), "{args:?}: {stderr:?} does not contain {message:?}");
}

fn refused(contents: &[u8], message: &str) {
    let temp = phases_fixture();
    let dir = temp.path();
    std::fs::write(dir.join("base.json"), contents).expect("write baseline");
    for args in [
        &["check", "--baseline", "base.json"][..],
        &["baseline", "--update", "base.json"][..],
        &["counts", "--baseline", "base.json"][..],
    ] {
        fails_with(dir, args, &format!("invalid baseline base.json: {message}"));
    }
    // Never rewritten by a refused update.
    assert_eq!(std::fs::read(dir.join("base.json")).expect("read"), contents);
}

#[test]
fn malformed_baseline_is_exit_2() {
    refused(b"{\"format\": \"ssot-lint-baseline\", \"version\": 1, \"findings\": [", "not valid JSON");
    refused(b"", "the file is empty");
    refused(b"\xff\xfe", "the file is not UTF-8 text");
    refused(
        b"{\"format\": \"ssot-lint-baseline\", \"version\": 1, \"findings\": [{\"path\": \"a.py\"}]}",
        "unexpected content: missing field `rule`",
    );
}

#[test]
fn foreign_baseline_is_exit_2() {
    refused(
        b"{\"name\": \"some-package\", \"version\": \"1.0.0\"}",
        "not an ssot-lint baseline (no \"format\": \"ssot-lint-baseline\" marker)",
    );
    refused(b"[]", "expected a JSON object");
    refused(
        b"{\"format\": \"ssot-lint-baseline\", \"version\": 9, \"findings\": []}",
        "baseline version 9 is not supported (this ssot-lint reads versions 1 to 2)",
    );
}

#[test]
fn check_report_as_baseline_is_explained() {
    let temp = phases_fixture();
    let dir = temp.path();
    run(dir, &["check", "--format", "json", "--output", "report.json"]).code(1);
    fails_with(
        dir,
        &["check", "--baseline", "report.json"],
        "invalid baseline report.json: this is a `check --format json` report, not a baseline help: write a baseline with `ssot-lint baseline --output FILE`",
    );
}

#[test]
fn missing_baseline_is_exit_2() {
    let temp = phases_fixture();
    fails_with(
        temp.path(),
        &["check", "--baseline", "nope.json"],
        "invalid baseline nope.json: the file does not exist help: create it with `ssot-lint baseline --output FILE`",
    );
    run(temp.path(), &["baseline", "--update", "nope.json"]).code(2);
    assert!(!temp.path().join("nope.json").exists());
}

#[test]
fn allow_new_requires_update() {
    let temp = phases_fixture();
    run(temp.path(), &["baseline", "--allow-new"]).code(2).stderr(predicate::str::contains("--update"));
}

#[test]
fn unwritable_output_is_exit_2() {
    let temp = phases_fixture();
    run(temp.path(), &["baseline", "--output", "missing-dir/base.json"])
        .code(2)
        .stderr(predicate::str::contains("cannot write missing-dir/base.json"));
}
