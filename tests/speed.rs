//! The speed-ups never change findings: prefilter and result cache; and `ssot-lint clean`.

mod common;

use std::path::Path;

use common::*;
use predicates::prelude::*;

const CONFIG: &str =
    "[project]\nroots = [\".\"]\n\n[[registry]]\nsymbol = \"Thing\"\nmodule = \"app.things\"\n\n\
    [[pattern]]\nid = \"no-sleep\"\nmatch = \"time.sleep\"\n";

/// `check --format json` with the cache on (in `dir`'s default cache directory) plus `extra`.
fn run_json(dir: &Path, extra: &[&str]) -> std::process::Output {
    let output = ssot_lint()
        .current_dir(dir)
        .args(["check", "--format", "json", "--exit-zero"])
        .args(extra)
        .output()
        .expect("run ssot-lint");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    output
}

/// Every fixture tree and the demo, each copied to a temp dir: (name, temp, project dir).
fn every_tree() -> Vec<(String, tempfile::TempDir, std::path::PathBuf)> {
    let mut trees = Vec::new();
    for (name, path) in findings_trees() {
        let temp = copy_to_temp(&path);
        let dir = temp.path().to_path_buf();
        trees.push((name, temp, dir));
    }
    let temp = tempfile::tempdir().expect("temp dir");
    let demo = temp.path().join("examples/chat-backend");
    copy_tree(&repo_dir().join("examples/chat-backend"), &demo);
    copy_tree(&repo_dir().join("rules/packs"), &temp.path().join("rules/packs"));
    init_git(temp.path());
    trees.push(("demo".to_string(), temp, demo));
    trees
}

#[test]
fn findings_are_identical_without_the_prefilter() {
    for (name, _temp, dir) in every_tree() {
        let fast = check_json(&dir, &[]);
        let slow = check_json(&dir, &["--no-prefilter"]);
        assert!(!fast["findings"].as_array().expect("findings").is_empty(), "{name} has findings");
        assert_eq!(fast["findings"], slow["findings"], "{name}: findings differ without the prefilter");
    }
}

#[test]
fn warm_runs_print_exactly_what_cold_runs_print() {
    for (name, _temp, dir) in every_tree() {
        let cold = run_json(&dir, &[]);
        assert!(dir.join(".ssot-lint-cache").is_dir(), "{name}: the cache was written");
        let warm = run_json(&dir, &[]);
        let uncached = run_json(&dir, &["--no-cache"]);
        assert_eq!(String::from_utf8_lossy(&cold.stdout), String::from_utf8_lossy(&warm.stdout), "{name}");
        assert_eq!(cold.stdout, uncached.stdout, "{name}");
        // Rich text draws snippets from the sources, which a warm run reads again.
        let text = |extra: &[&str]| {
            let output = ssot_lint()
                .current_dir(&dir)
                .args(["check", "--color", "always", "--exit-zero"])
                .args(extra)
                .output()
                .expect("run");
            output.stdout
        };
        assert_eq!(text(&[]), text(&["--no-cache"]), "{name}: rich text from the cache");
    }
}

#[test]
fn an_edited_file_is_linted_again() {
    let temp = project(CONFIG, &[("app/a.py", "x = 1\n"), ("app/things.py", "class Thing: pass\n")]);
    run_json(temp.path(), &[]);
    // Same size and a fresh mtime: the content hash decides.
    std::fs::write(temp.path().join("app/a.py"), "from b import Thing\n").expect("edit");
    let report: serde_json::Value = serde_json::from_slice(&run_json(temp.path(), &[]).stdout).expect("json");
    assert_eq!(report["findings"][0]["rule"], "non-canonical-import");
    assert_eq!(report["findings"].as_array().map(Vec::len), Some(1));
}

#[test]
fn a_corrupt_cache_is_ignored_and_replaced() {
    let temp =
        project(CONFIG, &[("app/a.py", "from b import Thing\n"), ("app/things.py", "class Thing: pass\n")]);
    let cold = run_json(temp.path(), &[]);
    let cache = temp.path().join(".ssot-lint-cache");
    let mut corrupted = 0;
    for entry in std::fs::read_dir(&cache).expect("cache dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|ext| ext == "bin") {
            let mut bytes = std::fs::read(&path).expect("read");
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0x5a;
            std::fs::write(&path, &bytes).expect("corrupt");
            corrupted += 1;
        }
    }
    assert_eq!(corrupted, 1);
    assert_eq!(run_json(temp.path(), &[]).stdout, cold.stdout);
    std::fs::write(cache.join("results-0000000000000000.bin"), b"not a cache").expect("write");
    assert_eq!(run_json(temp.path(), &[]).stdout, cold.stdout);
}

#[test]
fn a_config_change_invalidates_the_cache() {
    let temp = project(
        CONFIG,
        &[("app/a.py", "from b import Thing, Other\n"), ("app/things.py", "class Thing: pass\n")],
    );
    let before: serde_json::Value = serde_json::from_slice(&run_json(temp.path(), &[]).stdout).expect("json");
    assert_eq!(before["findings"].as_array().map(Vec::len), Some(1));
    let config = format!("{CONFIG}\n[[registry]]\nsymbol = \"Other\"\nmodule = \"app.things\"\n");
    std::fs::write(temp.path().join("ssot-lint.toml"), config).expect("edit config");
    let after: serde_json::Value = serde_json::from_slice(&run_json(temp.path(), &[]).stdout).expect("json");
    let rules: Vec<&str> =
        after["findings"].as_array().expect("findings").iter().filter_map(|f| f["check"].as_str()).collect();
    assert_eq!(rules, ["Thing", "Other", "Other"], "{after}");
}

#[test]
fn concurrent_runs_share_a_cache_directory() {
    let files: Vec<(String, String)> = (0..200)
        .map(|index| (format!("app/m{index}.py"), format!("from b import Thing\nV = {index}\n")))
        .collect();
    let borrowed: Vec<(&str, &str)> =
        files.iter().map(|(path, text)| (path.as_str(), text.as_str())).collect();
    let temp = project(CONFIG, &borrowed);
    let cache = tempfile::tempdir().expect("cache dir");
    let spawn = || {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("ssot-lint"))
            .current_dir(temp.path())
            .args(["check", "--format", "json", "--exit-zero", "--cache-dir"])
            .arg(cache.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    for _ in 0..3 {
        let (first, second) = (spawn(), spawn());
        let first = first.wait_with_output().expect("first");
        let second = second.wait_with_output().expect("second");
        assert!(
            first.status.success() && second.status.success(),
            "{}",
            String::from_utf8_lossy(&second.stderr)
        );
        assert_eq!(first.stdout, second.stdout);
        assert!(
            first.stderr.is_empty() && second.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&first.stderr)
        );
    }
    assert!(!temp.path().join(".ssot-lint-cache").exists(), "--cache-dir is used instead");
}

#[test]
fn clean_removes_the_cache_directory() {
    let temp = project(CONFIG, &[("app/a.py", "x = 1\n")]);
    run_json(temp.path(), &[]);
    assert!(temp.path().join(".ssot-lint-cache").is_dir());
    ssot_lint()
        .current_dir(temp.path())
        .arg("clean")
        .assert()
        .code(0)
        .stderr(predicate::str::contains("removed"));
    assert!(!temp.path().join(".ssot-lint-cache").exists());
    ssot_lint()
        .current_dir(temp.path())
        .arg("clean")
        .assert()
        .code(0)
        .stderr(predicate::str::contains("nothing to clean"));
    // From a subdirectory, the project root's cache; a broken config does not matter.
    std::fs::create_dir_all(temp.path().join("app/sub")).expect("mkdir");
    run_json(temp.path(), &[]);
    std::fs::write(temp.path().join("ssot-lint.toml"), "[project\n").expect("break config");
    ssot_lint().current_dir(temp.path().join("app/sub")).arg("clean").assert().code(0);
    assert!(!temp.path().join(".ssot-lint-cache").exists());
}

#[test]
fn clean_with_a_missing_config_is_a_usage_error() {
    let temp = tempfile::tempdir().expect("temp dir");
    ssot_lint()
        .current_dir(temp.path())
        .args(["clean", "--config", "nope.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("config file nope.toml does not exist"));
}

/// A function of `lines` lines of commented-out code at varying indentation, with an import of
/// a registry symbol and a banned call inside it.
fn comment_heavy(lines: usize) -> String {
    let mut text = String::from("def handler():\n    from b import Thing\n    time.sleep(1)\n");
    for index in 0..lines {
        let indent = " ".repeat(4 * (1 + index % 6));
        text.push_str(&format!("{indent}# if value_{index} > {index}: return compute(value_{index})\n"));
        text.push_str(&format!("    value_{index} = {index}\n"));
    }
    text
}

#[test]
fn a_comment_heavy_file_is_linted_quickly() {
    let temp = project(
        CONFIG,
        &[("app/big.py", comment_heavy(4000).as_str()), ("app/things.py", "class Thing: pass\n")],
    );
    let started = std::time::Instant::now();
    let report = check_json(temp.path(), &[]);
    let rules: Vec<&str> =
        report["findings"].as_array().expect("findings").iter().filter_map(|f| f["rule"].as_str()).collect();
    assert_eq!(rules, ["non-canonical-import", "banned-pattern"]);
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "took {:?}", started.elapsed());
}

/// No time budget: a big file gets every finding, the same in every run.
#[test]
fn a_big_file_gets_every_finding() {
    let files = [
        ("app/big.py", comment_heavy(40_000)),
        ("app/small.py", "import time\ntime.sleep(1)\n".to_string()),
        ("app/things.py", "class Thing: pass\n".to_string()),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(path, text)| (*path, text.as_str())).collect();
    let temp = project(CONFIG, &files);
    let report = check_json(temp.path(), &[]);
    let found: Vec<(String, String, u64)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or("").to_string(),
                f["rule"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let expected = [
        ("app/big.py", "non-canonical-import", 2),
        ("app/big.py", "banned-pattern", 3),
        ("app/small.py", "banned-pattern", 2),
    ];
    let expected: Vec<(String, String, u64)> =
        expected.iter().map(|(path, rule, line)| (path.to_string(), rule.to_string(), *line)).collect();
    assert_eq!(found, expected, "{report}");
    assert_eq!(check_json(temp.path(), &[]), report);
}

/// A file the prefilter rules out (nothing in it any rule could match) is still parsed, so its
/// syntax error is reported, with the parser's message, exactly as without the prefilter.
#[test]
fn syntax_errors_are_reported_in_files_no_rule_can_fire_in() {
    let temp = project(
        CONFIG,
        &[("app/broken.py", "import os\n\ndef f(:\n    pass\n"), ("app/things.py", "class Thing: pass\n")],
    );
    let fast = check_json(temp.path(), &[]);
    let slow = check_json(temp.path(), &["--no-prefilter"]);
    assert_eq!(fast, slow);
    let finding = &fast["findings"][0];
    assert_eq!(
        (finding["path"].as_str(), finding["rule"].as_str()),
        (Some("app/broken.py"), Some("syntax-error"))
    );
    assert_eq!((finding["line"].as_u64(), finding["column"].as_u64()), (Some(3), Some(7)));
    assert!(finding["message"].as_str().is_some_and(|m| m.contains("Expected")), "{finding}");
}

/// Where no rule can fire, a file is only lexed unless its tokens show a sign of an error: an
/// error inside a line (`x = = 1`) is then reported only with `--no-prefilter` (or where a
/// rule could fire, see the previous test).
#[test]
fn errors_the_token_screen_cannot_see_are_found_without_the_prefilter() {
    let temp = project(CONFIG, &[("app/odd.py", "x = = 1\n"), ("app/things.py", "class Thing: pass\n")]);
    let fast = check_json(temp.path(), &[]);
    assert_eq!(fast["findings"].as_array().map(Vec::len), Some(0), "{fast}");
    let slow = check_json(temp.path(), &["--no-prefilter"]);
    assert_eq!(slow["findings"][0]["rule"], "syntax-error", "{slow}");
    // With a needle in it, the file is parsed and the error reported by default too.
    std::fs::write(temp.path().join("app/odd.py"), "from app import Thing\nx = = 1\n").expect("write");
    let needle = check_json(temp.path(), &[]);
    let rules: Vec<&str> =
        needle["findings"].as_array().expect("findings").iter().filter_map(|f| f["rule"].as_str()).collect();
    assert!(rules.contains(&"syntax-error"), "{needle}");
}
