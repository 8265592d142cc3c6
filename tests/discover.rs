//! `ssot-lint discover` end to end on a fixture project with a known answer
//! (`tests/fixtures/discover/chat`):
//!
//! - `UnifiedWebSocketManager` is defined in `app.websocket.unified_manager` and (an old copy)
//!   in `app.legacy.websocket`, re-exported by two compat modules (`app.websocket`,
//!   `app.websocket.websocket_manager`) and imported from all four;
//! - `Settings` is defined once and re-exported by its package;
//! - `format_event` is defined in three modules (inside a top-level `with` in one);
//! - five `*WebSocketManager` classes (two inside top-level `if` / `except` blocks) with two
//!   factories;
//! - test code (`tests/`, `conftest.py`, `*_test.py`) defines more of all of these and must not count.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{copy_to_temp, repo_dir, ssot_lint};
use serde_json::json;

fn fixture() -> tempfile::TempDir {
    copy_to_temp(&repo_dir().join("tests/fixtures/discover/chat"))
}

fn discover(dir: &Path, args: &[&str]) -> std::process::Output {
    ssot_lint().current_dir(dir).arg("discover").args(args).output().expect("run ssot-lint")
}

fn stdout(output: &std::process::Output) -> String {
    assert!(
        output.status.success(),
        "discover failed: {}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("UTF-8")
}

fn discover_json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&stdout(&discover(dir, &all))).expect("JSON report")
}

#[test]
fn json_report_is_exactly_the_known_answer() {
    let temp = fixture();
    let report = discover_json(temp.path(), &[]);
    let expected = json!({
        "version": 1,
        "files": 19,
        "scattered": [
            {
                "name": "UnifiedWebSocketManager",
                "defined_in": ["app.legacy.websocket", "app.websocket.unified_manager"],
                "imported_from": {
                    "app.legacy.websocket": 2,
                    "app.websocket": 2,
                    "app.websocket.unified_manager": 6,
                    "app.websocket.websocket_manager": 1
                }
            },
            {
                "name": "Settings",
                "defined_in": ["app.config.settings"],
                "imported_from": {"app.config": 3, "app.config.settings": 2}
            }
        ],
        "duplicates": [
            {
                "name": "format_event",
                "kind": "function",
                "defined_in": [
                    {"module": "app.agents.isolated", "path": "app/agents/isolated.py", "line": 8},
                    {"module": "app.routes.emitter", "path": "app/routes/emitter.py", "line": 12},
                    {"module": "app.services.events", "path": "app/services/events.py", "line": 9}
                ]
            },
            {
                "name": "UnifiedWebSocketManager",
                "kind": "class",
                "defined_in": [
                    {"module": "app.legacy.websocket", "path": "app/legacy/websocket.py", "line": 2},
                    {"module": "app.websocket.unified_manager", "path": "app/websocket/unified_manager.py", "line": 1}
                ]
            }
        ],
        "families": [
            {
                "suffix": "WebSocketManager",
                "classes": [
                    "app.agents.isolated.IsolatedWebSocketManager",
                    "app.legacy.websocket.UnifiedWebSocketManager",
                    "app.routes.emitter.EmitterWebSocketManager",
                    "app.services.user_ws.UserWebSocketManager",
                    "app.websocket.unified_manager.UnifiedWebSocketManager"
                ],
                "factories": [
                    "app.services.user_ws.create_websocket_manager",
                    "app.websocket.factory.get_websocket_manager_factory"
                ]
            }
        ]
    });
    assert_eq!(report, expected, "{}", serde_json::to_string_pretty(&report).unwrap_or_default());
    // The bytes are stable too (key order, pretty printing).
    let text = stdout(&discover(temp.path(), &["--format", "json"]));
    insta::assert_snapshot!("discover_json", text);
}

#[test]
fn structure_holds_whatever_the_thread_count() {
    let temp = fixture();
    let one = discover_json(temp.path(), &["--jobs", "1"]);
    let many = discover_json(temp.path(), &["--jobs", "4"]);
    assert_eq!(one, many);
    for item in one["scattered"].as_array().expect("scattered") {
        let sources = item["imported_from"].as_object().expect("imported_from");
        assert!(sources.len() >= 2, "{item}");
    }
    for item in one["duplicates"].as_array().expect("duplicates") {
        assert!(item["defined_in"].as_array().expect("defined_in").len() >= 2, "{item}");
        assert!(["class", "function"].contains(&item["kind"].as_str().expect("kind")));
    }
}

#[test]
fn include_tests_counts_test_code() {
    let temp = fixture();
    let report = discover_json(temp.path(), &["--include-tests"]);
    assert_eq!(report["files"], 23);
    let family = &report["families"][0];
    assert_eq!(family["suffix"], "WebSocketManager");
    assert_eq!(family["classes"].as_array().expect("classes").len(), 8);
    let format_event = report["duplicates"]
        .as_array()
        .expect("duplicates")
        .iter()
        .find(|item| item["name"] == "format_event")
        .expect("format_event");
    assert_eq!(format_event["defined_in"].as_array().expect("defined_in").len(), 4);
    let manager = &report["scattered"][0];
    assert_eq!(manager["name"], "UnifiedWebSocketManager");
    assert_eq!(manager["imported_from"]["app.legacy.websocket"], 4);
}

#[test]
fn thresholds_shorten_the_lists() {
    let temp = fixture();
    let report =
        discover_json(temp.path(), &["--min-modules", "3", "--min-imports", "4", "--min-family", "7"]);
    let names: Vec<&str> = report["scattered"]
        .as_array()
        .expect("scattered")
        .iter()
        .filter_map(|item| item["name"].as_str())
        .collect();
    // Settings has two import sources and 3 imports elsewhere: both thresholds drop it.
    assert_eq!(names, vec!["UnifiedWebSocketManager"]);
    let duplicates: Vec<&str> = report["duplicates"]
        .as_array()
        .expect("duplicates")
        .iter()
        .filter_map(|item| item["name"].as_str())
        .collect();
    assert_eq!(duplicates, vec!["format_event"]);
    assert_eq!(report["families"], json!([]));
    // Six: the five *WebSocketManager classes are no family of their own any more, so the
    // one-word *Manager family takes them with SessionManager.
    let report = discover_json(temp.path(), &["--min-family", "6"]);
    assert_eq!(report["families"][0]["suffix"], "Manager");
    assert_eq!(report["families"][0]["classes"].as_array().expect("classes").len(), 6);
}

#[test]
fn text_and_markdown_reports() {
    let temp = fixture();
    // Not a terminal: one line per item.
    let lines = stdout(&discover(temp.path(), &[]));
    insta::assert_snapshot!("discover_text_lines", lines);
    let markdown = stdout(&discover(temp.path(), &["--format", "markdown"]));
    insta::assert_snapshot!("discover_markdown", markdown);
    assert!(lines.contains(
        "scattered UnifiedWebSocketManager: imported 6x from app.websocket.unified_manager, 2x from app.legacy.websocket, \
         2x from app.websocket, 1x from app.websocket.websocket_manager; defined in app.legacy.websocket, app.websocket.unified_manager"
    ));
}

/// (rule, check) → count of `check --format json` findings.
fn check_counts(dir: &Path) -> BTreeMap<(String, String), usize> {
    let output = ssot_lint()
        .current_dir(dir)
        .args(["check", "--format", "json", "--no-cache"])
        .output()
        .expect("run check");
    // Exit 1: the written config gates (every entry is an error); 2 would be a bad config.
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("check JSON");
    let mut counts = BTreeMap::new();
    for finding in report["findings"].as_array().expect("findings") {
        let key = (
            finding["rule"].as_str().expect("rule").to_string(),
            finding["check"].as_str().expect("check").to_string(),
        );
        *counts.entry(key).or_insert(0) += 1;
    }
    counts
}

#[test]
fn written_config_through_check_reports_exactly_the_counted_imports() {
    let temp = fixture();
    let report = discover_json(temp.path(), &["--write", "ssot-lint.toml"]);
    let written = std::fs::read_to_string(temp.path().join("ssot-lint.toml")).expect("written config");
    insta::assert_snapshot!("discover_written_config", written);

    // Every entry is preceded by its evidence comment.
    let lines: Vec<&str> = written.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        if *line == "[[registry]]" || *line == "[[concept]]" {
            assert!(index > 0 && lines[index - 1].starts_with("# "), "no evidence before line {}", index + 1);
        }
    }

    // What the report says check will count, from the report and the written entries.
    let config: toml::Table = written.parse().expect("written TOML");
    let mut expected = BTreeMap::new();
    for entry in config["registry"].as_array().expect("registry") {
        let symbol = entry["symbol"].as_str().expect("symbol");
        let home = entry["module"].as_str().expect("module");
        let compat: Vec<&str> = entry
            .get("compat")
            .and_then(|compat| compat.as_array())
            .map(|compat| compat.iter().filter_map(|module| module.as_str()).collect())
            .unwrap_or_default();
        let item = report["scattered"]
            .as_array()
            .expect("scattered")
            .iter()
            .find(|item| item["name"] == symbol)
            .expect("registry entry of a reported name");
        let (mut non_canonical, mut compat_imports) = (0, 0);
        for (module, count) in item["imported_from"].as_object().expect("imported_from") {
            let count = count.as_u64().expect("count") as usize;
            if compat.contains(&module.as_str()) {
                compat_imports += count;
            } else if module != home {
                non_canonical += count;
            }
        }
        for (rule, count) in [("non-canonical-import", non_canonical), ("compat-import", compat_imports)] {
            if count > 0 {
                expected.insert((rule.to_string(), symbol.to_string()), count);
            }
        }
    }
    assert_eq!(
        expected,
        BTreeMap::from([
            (("compat-import".to_string(), "Settings".to_string()), 3),
            (("compat-import".to_string(), "UnifiedWebSocketManager".to_string()), 3),
            (("non-canonical-import".to_string(), "UnifiedWebSocketManager".to_string()), 2),
        ])
    );
    assert!(written.contains("# `check` with this entry: 2 non-canonical, 3 compat imports\n"));

    let found: BTreeMap<(String, String), usize> = check_counts(temp.path())
        .into_iter()
        .filter(|((rule, _), _)| rule == "non-canonical-import" || rule == "compat-import")
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn written_concepts_flag_the_family_through_check() {
    let temp = fixture();
    stdout(&discover(temp.path(), &["--write", "ssot-lint.toml", "-q"]));
    let counts = check_counts(temp.path());
    // Every class of the family (no canonical class yet) and both factories; test code excluded.
    assert_eq!(counts.get(&("duplicate-class".to_string(), "web-socket-manager".to_string())), Some(&5));
    assert_eq!(counts.get(&("competing-factory".to_string(), "web-socket-manager".to_string())), Some(&2));
}

#[test]
fn write_refuses_to_overwrite_without_force() {
    let temp = fixture();
    let target = temp.path().join("ssot-lint.toml");
    std::fs::write(&target, "# mine\n").expect("write");
    let output = discover(temp.path(), &["--write", "ssot-lint.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("ssot-lint.toml already exists") && stderr.contains("--force"), "{stderr}");
    assert!(output.stdout.is_empty(), "no report when refusing");
    assert_eq!(std::fs::read_to_string(&target).expect("read"), "# mine\n");

    // --force overwrites; the existing config was used for the walk (no exclude there).
    let output = discover(temp.path(), &["--write", "ssot-lint.toml", "--force"]);
    stdout(&output);
    let written = std::fs::read_to_string(&target).expect("read");
    assert!(written
        .starts_with("# ssot-lint configuration written by `ssot-lint discover --write ssot-lint.toml`"));
    assert!(String::from_utf8_lossy(&output.stderr)
        .contains("wrote ssot-lint.toml: 2 registry entries, 1 concept"));
}

#[test]
fn init_discover_writes_the_proposed_config() {
    let temp = fixture();
    let output = ssot_lint().current_dir(temp.path()).args(["init", "--discover"]).output().expect("run");
    let report = stdout(&output);
    assert!(report.contains("scattered UnifiedWebSocketManager"), "{report}");
    let written = std::fs::read_to_string(temp.path().join("ssot-lint.toml")).expect("written");
    assert!(written.contains("symbol = \"UnifiedWebSocketManager\""));
    let again = ssot_lint().current_dir(temp.path()).args(["init", "--discover"]).output().expect("run");
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
}

#[test]
fn config_roots_and_exclude_carry_over() {
    let temp = tempfile::tempdir().expect("temp");
    common::copy_tree(&repo_dir().join("tests/fixtures/discover/chat"), &temp.path().join("src"));
    std::fs::write(
        temp.path().join("pyproject.toml"),
        "[tool.ssot-lint.project]\nroots = [\"src\"]\nexclude = [\"src/app/legacy/**\"]\n",
    )
    .expect("write");
    let report = discover_json(temp.path(), &["--write", "proposed.toml"]);
    // The legacy copy is excluded: the manager has one home and one fewer import source.
    assert_eq!(report["files"], 17);
    assert_eq!(report["scattered"][0]["defined_in"], json!(["app.websocket.unified_manager"]));
    let written = std::fs::read_to_string(temp.path().join("proposed.toml")).expect("written");
    assert!(written.contains("roots = [\"src\"]\n"), "{written}");
    assert!(written.contains("exclude = [\"src/app/legacy/**\", \"**/tests/**\""), "{written}");
    // Accepted by check as it stands, with the same module names.
    let output = ssot_lint()
        .current_dir(temp.path())
        .args(["check", "--config", "proposed.toml", "--format", "json", "--no-cache", "--exit-zero"])
        .output()
        .expect("run check");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let check: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(check["summary"]["by_rule"]["compat-import"], 6);
    assert!(check["summary"]["by_rule"].get("stale-registry").is_none(), "{}", check["summary"]);
}

fn fails(dir: &Path, args: &[&str], message: &str) {
    let output = ssot_lint().current_dir(dir).args(args).output().expect("run");
    assert_eq!(output.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(message), "{args:?}: expected {message:?} in\n{stderr}");
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let temp = fixture();
    let dir = temp.path();
    fails(dir, &["discover", "missing/"], "path missing/ does not exist");
    fails(dir, &["discover", "--min-modules", "1"], "--min-modules");
    fails(dir, &["discover", "--min-family", "x"], "--min-family");
    fails(dir, &["discover", "--force"], "--write");
    fails(dir, &["discover", "--format", "sarif"], "sarif");
    fails(dir, &["discover", "--write", "app"], "is a directory");
    fails(dir, &["discover", "--config", "nope.toml"], "config file nope.toml does not exist");
    fails(dir, &["discover", "tests"], "no Python files outside test code to discover under tests");
    std::fs::write(dir.join("ssot-lint.toml"), "[project]\nroots = 3\n").expect("write");
    fails(dir, &["discover"], "ssot-lint.toml");
    let empty = tempfile::tempdir().expect("temp");
    fails(empty.path(), &["discover"], "no Python files");
}

#[test]
fn help_explains_the_sections_and_thresholds() {
    let output = ssot_lint().args(["discover", "--help"]).output().expect("run");
    let help = String::from_utf8_lossy(&output.stdout);
    for needle in [
        "scattered imports",
        "duplicate definitions",
        "families",
        "--write",
        "--min-modules",
        "--include-tests",
        "[default: 2]",
        "[default: 3]",
    ] {
        assert!(help.contains(needle), "{needle} missing from\n{help}");
    }
}

#[test]
fn families_without_factories_are_listed_not_enforced() {
    let temp = fixture();
    // Three more *Handler classes and no factory: a candidate, written as a comment.
    std::fs::write(
        temp.path().join("app/handlers.py"),
        "class ChatHandler: pass\nclass EventHandler: pass\nclass UserHandler: pass\n",
    )
    .expect("write");
    let report = discover_json(temp.path(), &["--write", "ssot-lint.toml"]);
    let suffixes: Vec<&str> = report["families"]
        .as_array()
        .expect("families")
        .iter()
        .filter_map(|family| family["suffix"].as_str())
        .collect();
    assert_eq!(suffixes, vec!["WebSocketManager", "Handler"]);
    let written = std::fs::read_to_string(temp.path().join("ssot-lint.toml")).expect("written");
    assert_eq!(written.matches("\n[[concept]]\n").count(), 1, "{written}");
    assert!(
        written.contains("#   *Handler: 3 classes: app.handlers.ChatHandler, app.handlers.EventHandler, app.handlers.UserHandler\n"),
        "{written}"
    );
}
