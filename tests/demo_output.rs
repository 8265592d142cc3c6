//! The demo's rendered output (insta snapshots) and output determinism.

mod common;

use common::*;

/// The demo and the pack it extends, copied to a temp dir; returns (temp, demo dir).
fn demo() -> (tempfile::TempDir, std::path::PathBuf) {
    let temp = tempfile::tempdir().expect("temp dir");
    let demo = temp.path().join("examples/chat-backend");
    copy_tree(&repo_dir().join("examples/chat-backend"), &demo);
    copy_tree(&repo_dir().join("rules/packs"), &temp.path().join("rules/packs"));
    init_git(temp.path());
    (temp, demo)
}

fn run(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    ssot_lint().current_dir(dir).args(args).output().expect("run ssot-lint")
}

#[test]
fn demo_json_snapshot() {
    let (_temp, dir) = demo();
    let output = run(&dir, &["check", "--format", "json", "--no-cache"]);
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    insta::assert_snapshot!("demo_json", String::from_utf8_lossy(&output.stdout));
}

#[test]
fn demo_concise_snapshot() {
    let (_temp, dir) = demo();
    let output = run(&dir, &["check", "--format", "concise", "--no-cache"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!("demo_concise", String::from_utf8_lossy(&output.stdout));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("gating findings (phases <= 2)"), "{stderr}");
}

#[test]
fn demo_text_is_concise_when_stdout_is_not_a_terminal() {
    let (_temp, dir) = demo();
    let text = run(&dir, &["check", "--no-cache"]);
    let concise = run(&dir, &["check", "--format", "concise", "--no-cache"]);
    assert_eq!(text.stdout, concise.stdout);
}

#[test]
fn demo_rich_text_snapshot() {
    let (_temp, dir) = demo();
    // `--color always` forces the rich renderer off a terminal; colors are stripped here.
    let output = run(&dir, &["check", "--format", "text", "--color", "always", "--no-cache"]);
    let stdout = strip_ansi(&String::from_utf8_lossy(&output.stdout));
    assert!(stdout.contains("╭─[netra_backend/app/agents/base/executor.py:"), "{stdout}");
    insta::assert_snapshot!("demo_rich_text", stdout);
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI sequences: ESC [ ... final byte in @..~; OSC 8 links: ESC ] ... ESC \\
            match chars.next() {
                Some('[') => {
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                }
                Some(']') => {
                    while let Some(c) = chars.next() {
                        if c == '\u{7}' || (c == '\u{1b}' && chars.next_if_eq(&'\\').is_some()) {
                            break;
                        }
                    }
                }
                _ => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn jobs_1_and_jobs_2_give_identical_json() {
    let (_temp, dir) = demo();
    let one = run(&dir, &["check", "--format", "json", "--no-cache", "--jobs", "1"]);
    let two = run(&dir, &["check", "--format", "json", "--no-cache", "--jobs", "2"]);
    assert!(!one.stdout.is_empty());
    assert_eq!(one.stdout, two.stdout);
}

#[test]
fn output_file_gets_the_report() {
    let (_temp, dir) = demo();
    let output = run(&dir, &["check", "--format", "json", "--no-cache", "--output", "report.json"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let written = std::fs::read(dir.join("report.json")).expect("report written");
    let report: serde_json::Value = serde_json::from_slice(&written).expect("valid JSON");
    assert_eq!(report["version"], 1);
}

#[test]
fn demo_runs_from_the_repository_root_by_path() {
    let (temp, _dir) = demo();
    let output = run(temp.path(), &["check", "--format", "concise", "examples/chat-backend"]);
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("netra_backend/app/agents/base/executor.py"), "{stdout}");
}
