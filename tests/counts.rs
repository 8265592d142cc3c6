//! `ssot-lint counts` (SPEC §5.5) on the `tests/fixtures/counts/phases` tree: every grouping in
//! every format (snapshots), declared phases at zero, `--phase N`, and the baseline column.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use predicates::prelude::*;

fn phases_fixture() -> PathBuf {
    repo_dir().join("tests/fixtures/counts/phases")
}

fn counts(dir: &Path, args: &[&str]) -> String {
    let output = ssot_lint().current_dir(dir).arg("counts").args(args).output().expect("run ssot-lint");
    assert_eq!(output.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

fn counts_json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let text = counts(dir, &[args, &["--format", "json"]].concat());
    serde_json::from_str(&text).expect("JSON counts")
}

/// The fixture's markers are the contract the snapshots below rest on.
#[test]
fn fixture_findings_are_exactly_the_marked_ones() {
    let temp = copy_to_temp(&phases_fixture());
    let report = check_json(temp.path(), &[]);
    assert_eq!(found(&report), expected(temp.path()));
    assert_eq!(report["summary"]["suppressed"], 1);
}

#[test]
fn snapshots_for_every_grouping_and_format() {
    let temp = copy_to_temp(&phases_fixture());
    // `owner`: from the fixture's .github/CODEOWNERS.
    for by in ["phase", "rule", "concept", "check", "file", "owner"] {
        for format in ["text", "json", "csv", "markdown"] {
            let output = counts(temp.path(), &["--by", by, "--format", format]);
            insta::assert_snapshot!(format!("counts_{by}_{format}"), output);
        }
    }
}

#[test]
fn owner_grouping_follows_codeowners_and_counts_the_rest_as_unowned() {
    let temp = copy_to_temp(&phases_fixture());
    let json = counts_json(temp.path(), &["--by", "owner"]);
    let groups: Vec<(String, u64)> = json["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|group| {
            (group["key"].as_str().expect("key").to_string(), group["count"].as_u64().expect("count"))
        })
        .collect();
    let expected = [("@org/api-team @alice", 4), ("@org/migration", 3), ("unowned", 1)];
    let expected: Vec<(String, u64)> =
        expected.iter().map(|(key, count)| (key.to_string(), *count)).collect();
    assert_eq!(groups, expected);
    assert_eq!(json["total"], counts_json(temp.path(), &[])["total"]);

    // Without a CODEOWNERS file everything is unowned, and stderr says why.
    std::fs::remove_dir_all(temp.path().join(".github")).expect("remove .github");
    let output = ssot_lint()
        .current_dir(temp.path())
        .args(["counts", "--by", "owner", "--format", "csv"])
        .output()
        .expect("run ssot-lint");
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no CODEOWNERS file"));
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("unowned,8,"),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn text_is_the_default_and_phase_the_default_grouping() {
    let temp = copy_to_temp(&phases_fixture());
    assert_eq!(counts(temp.path(), &[]), counts(temp.path(), &["--by", "phase", "--format", "text"]));
}

#[test]
fn every_declared_phase_is_listed_including_zeros() {
    let temp = copy_to_temp(&phases_fixture());
    let json = counts_json(temp.path(), &[]);
    let rows: Vec<(String, u64)> = json["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|group| {
            (group["key"].as_str().expect("key").to_string(), group["count"].as_u64().expect("count"))
        })
        .collect();
    let expected = [("1", 2), ("2", 2), ("3", 0), ("4", 3), ("none", 1)];
    assert_eq!(rows, expected.map(|(key, count)| (key.to_string(), count)));
    assert_eq!(json["groups"][2]["name"], "Old modules");
}

/// Counts are `check`'s findings regrouped: same total, same per-phase and per-rule numbers.
#[test]
fn counts_agree_with_the_check_summary() {
    let temp = copy_to_temp(&phases_fixture());
    let summary = check_json(temp.path(), &[])["summary"].clone();
    let by_phase = counts_json(temp.path(), &["--by", "phase"]);
    assert_eq!(by_phase["total"], summary["findings"]);
    assert_eq!(by_phase["gating"], summary["gating"]);
    for group in by_phase["groups"].as_array().expect("groups") {
        let key = group["key"].as_str().expect("key");
        assert_eq!(
            group["count"].as_u64(),
            Some(summary["by_phase"][key].as_u64().unwrap_or(0)),
            "phase {key}"
        );
    }
    let by_rule = counts_json(temp.path(), &["--by", "rule"]);
    for group in by_rule["groups"].as_array().expect("groups") {
        let key = group["key"].as_str().expect("key");
        assert_eq!(group["count"], summary["by_rule"][key], "rule {key}");
    }
}

/// `--by concept` rolls the registry symbol's import findings into the concept that owns it.
#[test]
fn concept_grouping_rolls_registry_findings_into_their_concept() {
    let temp = copy_to_temp(&phases_fixture());
    let json = counts_json(temp.path(), &["--by", "concept"]);
    let manager = &json["groups"][0];
    assert_eq!(manager["key"], "manager");
    assert_eq!(
        manager["by_rule"],
        serde_json::json!({
            "compat-import": 1, "competing-factory": 1, "deprecated-factory-call": 1,
            "duplicate-class": 1, "non-canonical-import": 1
        })
    );
}

#[test]
fn phase_option_prints_one_number_without_suppressed_findings() {
    let temp = copy_to_temp(&phases_fixture());
    // Phase 2 has three raw sends, one of them suppressed.
    let expected = [("1", "2\n"), ("2", "2\n"), ("3", "0\n"), ("4", "3\n")];
    for (phase, number) in expected {
        assert_eq!(counts(temp.path(), &["--phase", phase]), number, "phase {phase}");
    }
}

#[test]
fn phase_option_excludes_baselined_findings() {
    let temp = copy_to_temp(&phases_fixture());
    ssot_lint().current_dir(temp.path()).args(["baseline", "-q"]).assert().code(0);
    let views = temp.path().join("app/api/views.py");
    let text = std::fs::read_to_string(&views).expect("read views");
    let text = text.replace("    return Manager,", "    client.send_raw(b\"new\")\n    return Manager,");
    std::fs::write(&views, text).expect("write views");
    let number = counts(temp.path(), &["--phase", "2", "--baseline", ".ssot-lint-baseline.json"]);
    assert_eq!(number, "1\n");
}

#[test]
fn undeclared_phase_is_exit_2() {
    let temp = copy_to_temp(&phases_fixture());
    ssot_lint()
        .current_dir(temp.path())
        .args(["counts", "--phase", "7"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--phase 7: phase 7 is not declared in the config"))
        .stderr(predicate::str::contains("declared phases: 1, 2, 3, 4"));
}

/// After a baseline, fix one phase-2 and one phase-4 finding and add one new phase-2 finding.
fn project_moved_on_since_baseline() -> tempfile::TempDir {
    let temp = copy_to_temp(&phases_fixture());
    ssot_lint().current_dir(temp.path()).args(["baseline", "-q"]).assert().code(0);
    let views = temp.path().join("app/api/views.py");
    let text = std::fs::read_to_string(&views).expect("read views");
    let text = text.replacen("    client.send_raw(b\"hello\")  # expect: banned-pattern\n", "", 1);
    let text = text.replace("    return Manager,", "    other.send_raw(b\"new\")\n    return Manager,");
    std::fs::write(&views, text).expect("write views");
    let other = temp.path().join("app/legacy/other.py");
    let text = std::fs::read_to_string(&other).expect("read other");
    std::fs::write(&other, text.replace("return make_manager()", "return None")).expect("write other");
    temp
}

#[test]
fn baseline_adds_baselined_and_fixed_columns() {
    let temp = project_moved_on_since_baseline();
    let args = ["--baseline", ".ssot-lint-baseline.json"];
    insta::assert_snapshot!("counts_baseline_text", counts(temp.path(), &args));
    insta::assert_snapshot!(
        "counts_baseline_markdown",
        counts(temp.path(), &[&args[..], &["--format", "markdown"]].concat())
    );
    insta::assert_snapshot!(
        "counts_baseline_json",
        counts(temp.path(), &[&args[..], &["--format", "json"]].concat())
    );
    insta::assert_snapshot!(
        "counts_baseline_csv_by_file",
        counts(temp.path(), &[&args[..], &["--format", "csv", "--by", "file"]].concat())
    );
}

#[test]
fn fixed_entries_keep_their_concept_and_phase() {
    let temp = project_moved_on_since_baseline();
    let json = counts_json(temp.path(), &["--by", "concept", "--baseline", ".ssot-lint-baseline.json"]);
    let fixed: Vec<(String, u64)> = json["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .filter(|group| group["fixed"].as_u64() != Some(0))
        .map(|group| {
            (group["key"].as_str().expect("key").to_string(), group["fixed"].as_u64().expect("fixed"))
        })
        .collect();
    assert_eq!(fixed, [("raw-send".to_string(), 1), ("manager".to_string(), 1)]);
}

#[test]
fn without_declared_phases_everything_is_no_phase() {
    let temp = tempfile::tempdir().expect("temp dir");
    std::fs::write(temp.path().join("ssot-lint.toml"), "[[pattern]]\nid = \"p\"\nmatch = \"**.send_raw\"\n")
        .expect("config");
    std::fs::write(temp.path().join("a.py"), "x.send_raw(1)\n").expect("source");
    assert_eq!(
        counts(temp.path(), &[]),
        "phase  name        violations  gating\nnone   (no phase)           1       1\ntotal                       1       1\n"
    );
    std::fs::write(temp.path().join("a.py"), "x = 1\n").expect("source");
    let json = counts_json(temp.path(), &[]);
    assert_eq!(json["groups"][0]["key"], "none");
    assert_eq!(json["groups"][0]["count"], 0);
}

#[test]
fn output_option_writes_the_file() {
    let temp = copy_to_temp(&phases_fixture());
    let stdout = counts(temp.path(), &["--output", "counts.md", "--format", "markdown"]);
    assert_eq!(stdout, "");
    let written = std::fs::read_to_string(temp.path().join("counts.md")).expect("counts.md");
    assert_eq!(written, counts(temp.path(), &["--format", "markdown"]));
}

#[test]
fn bad_baseline_is_exit_2() {
    let temp = copy_to_temp(&phases_fixture());
    std::fs::write(temp.path().join("base.json"), "not json").expect("write");
    ssot_lint()
        .current_dir(temp.path())
        .args(["counts", "--baseline", "base.json"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("invalid baseline base.json: not valid JSON"));
}

/// A deprecated module counts toward the one concept whose canonical code lives in its
/// replacement; with two such concepts it is ambiguous and keeps its own name.
#[test]
fn deprecated_module_rolls_into_the_concept_of_its_replacement() {
    let concept = |name: &str, class: &str| {
        format!("[[concept]]\nname = \"{name}\"\ncanonical-class = \"app.new.{class}\"\nclass-patterns = [\"*{class}\"]\n\n")
    };
    let deprecated = "[[deprecated-module]]\nmodule = \"app.old\"\nreplacement = \"app.new\"\n\n";
    let temp = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(temp.path().join("app")).expect("mkdir");
    std::fs::write(temp.path().join("app/user.py"), "import app.old\n").expect("source");
    std::fs::write(temp.path().join("app/new.py"), "class Manager:\n    pass\n\n\nclass Bridge:\n    pass\n")
        .expect("source");
    let keys = |config: &str| {
        std::fs::write(temp.path().join("ssot-lint.toml"), config).expect("config");
        let json = counts_json(temp.path(), &["--by", "concept"]);
        let groups = json["groups"].as_array().expect("groups").clone();
        groups
            .iter()
            .map(|group| format!("{}={}", group["key"].as_str().unwrap_or(""), group["count"]))
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(&format!("{deprecated}{}", concept("manager", "Manager"))), ["manager=1"]);
    assert_eq!(
        keys(&format!("{deprecated}{}{}", concept("manager", "Manager"), concept("bridge", "Bridge"))),
        ["app.old=1", "bridge=0", "manager=0"]
    );
}
