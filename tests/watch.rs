//! `check --watch` driven by real file edits in a temp dir: the output is read line by line, and
//! every wait has a deadline, so a watch that never re-runs fails the test instead of hanging it.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use common::*;
use predicates::prelude::*;

const CONFIG: &str =
    "[project]\nroots = [\".\"]\n\n[[registry]]\nsymbol = \"Thing\"\nmodule = \"app.things\"\n";

/// Kills the watcher when the test ends, passing or not.
struct Watcher {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Watcher {
    fn start(dir: &Path) -> Watcher {
        let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("ssot-lint"));
        command.args(["check", "--watch", "--output-format", "concise"]);
        Watcher::spawn(command, dir)
    }

    fn spawn(mut command: std::process::Command, dir: &Path) -> Watcher {
        let mut child = command
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .env("SSOT_LINT_TIMINGS", "1")
            .env_remove("GITHUB_ACTIONS")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start ssot-lint --watch");
        let (sender, lines) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        for (stream, prefix) in
            [(Box::new(stdout) as Box<dyn std::io::Read + Send>, "out: "), (Box::new(stderr), "err: ")]
        {
            let sender = sender.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    // A terminal (the `script` test) ends lines with CR LF.
                    let line = line.trim_end_matches('\r');
                    if sender.send(format!("{prefix}{line}")).is_err() {
                        break;
                    }
                }
            });
        }
        Watcher { child, lines, seen: Vec::new() }
    }

    /// Reads for `duration` and asserts no run was started: reading files (every run opens its
    /// sources) must not look like a change, or each run would trigger the next.
    fn assert_idle_for(&mut self, duration: Duration) {
        let deadline = Instant::now() + duration;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            if let Ok(line) = self.lines.recv_timeout(left) {
                assert!(
                    !line.contains("changed; linting again"),
                    "a run without a change: {line}\n{:#?}",
                    self.seen
                );
                self.seen.push(line);
            }
        }
    }

    /// Waits (at most 60 s) until a line containing each of `texts` has been read (stdout and
    /// stderr are read by two threads, so their lines may arrive in either order); returns the
    /// lines read until then.
    fn wait_for(&mut self, texts: &[&str]) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(60);
        let start = self.seen.len();
        let mut missing: Vec<&str> = texts.to_vec();
        while !missing.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    missing.retain(|text| !line.contains(text));
                    self.seen.push(line);
                }
                Err(_) => {
                    panic!("no line with {missing:?} within 60 s; output so far:\n{}", self.seen.join("\n"))
                }
            }
        }
        self.seen[start..].to_vec()
    }
}

const WAITING: &str = "err: [watch] waiting for changes";

#[test]
fn watch_relints_after_each_edit_from_the_cache() {
    let temp = project(
        CONFIG,
        &[
            ("app/things.py", "class Thing:\n    pass\n"),
            ("app/a.py", "from app.other import Thing\n"),
            ("app/b.py", "x = 1\n"),
        ],
    );
    let mut watcher = Watcher::start(temp.path());
    watcher.wait_for(&["out: Found 1 finding in 1 file (3 files linted)", WAITING]);
    watcher.assert_idle_for(Duration::from_millis(1500));

    // A new violation in b.py: one re-run, the other files from the cache.
    std::fs::write(temp.path().join("app/b.py"), "from app.elsewhere import Thing\n").expect("edit b.py");
    let run = watcher.wait_for(&["out: Found 2 findings in 2 files (3 files linted)", WAITING]);
    assert!(run.iter().any(|line| line == "err: [watch] app/b.py changed; linting again"), "{run:#?}");
    assert!(run.iter().any(|line| line.starts_with("out: app/b.py:1:27: non-canonical-import")), "{run:#?}");
    // stdout and stderr interleave freely; the run's one stats line is somewhere in between.
    let stats = run.iter().find(|line| line.starts_with("err: ssot-lint files:")).expect("stats line");
    assert!(stats.ends_with(", 1 linted"), "an edit of one file re-lints one file: {stats}");

    // Fixing a.py: back to one finding.
    std::fs::write(temp.path().join("app/a.py"), "from app.things import Thing\n").expect("edit a.py");
    let run = watcher.wait_for(&["out: Found 1 finding in 1 file (3 files linted)", WAITING]);
    assert!(run.iter().any(|line| line.contains("[watch] app/a.py changed")), "{run:#?}");
    watcher.assert_idle_for(Duration::from_millis(1500));
    // Piped output is not a terminal: no screen clearing.
    assert!(watcher.seen.iter().all(|line| !line.contains('\u{1b}')), "escape codes in piped output");
}

/// On a terminal each run starts on a cleared screen. util-linux `script` gives the watcher a
/// pseudo-terminal (Linux CI has it; elsewhere the test is ignored rather than passed).
#[test]
#[cfg_attr(not(target_os = "linux"), ignore = "needs util-linux `script` for a pseudo-terminal")]
fn watch_clears_the_screen_between_runs_on_a_terminal() {
    let temp = project(CONFIG, &[("app/things.py", "class Thing:\n    pass\n"), ("app/a.py", "x = 1\n")]);
    let binary = assert_cmd::cargo::cargo_bin("ssot-lint");
    let mut command = std::process::Command::new("script");
    // -q: no banner; -f: flush as written; -e: the child's exit code; -c: the command; the
    // typescript goes to /dev/null and the terminal's output to our stdout.
    command.args([
        "-qfec",
        &format!("'{}' check --watch --output-format concise", binary.display()),
        "/dev/null",
    ]);
    let mut watcher = Watcher::spawn(command, temp.path());
    watcher.wait_for(&["No findings (2 files linted)", "[watch] waiting for changes"]);
    std::fs::write(temp.path().join("app/a.py"), "from app.other import Thing\n").expect("edit a.py");
    watcher.wait_for(&["Found 1 finding in 1 file (2 files linted)", "[watch] waiting for changes"]);
    const CLEAR: &str = "\u{1b}[2J\u{1b}[H";
    let position = |text: &str| watcher.seen.iter().position(|line| line.contains(text));
    let cleared: Vec<usize> =
        watcher.seen.iter().enumerate().filter(|(_, line)| line.contains(CLEAR)).map(|(at, _)| at).collect();
    assert_eq!(cleared.len(), 2, "one clear per run: {:#?}", watcher.seen);
    // Each run starts with the clear: it is the first thing on its line, before the run's output.
    assert!(cleared.iter().all(|&at| watcher.seen[at].starts_with(&format!("out: {CLEAR}"))));
    let first_report = position("No findings (2 files linted)").expect("first report");
    let second_report = position("Found 1 finding in 1 file").expect("second report");
    assert!(
        cleared[0] <= first_report && first_report < cleared[1] && cleared[1] <= second_report,
        "{:#?}",
        watcher.seen
    );
}

#[test]
fn watch_survives_a_broken_config_and_recovers() {
    let temp = project(CONFIG, &[("app/things.py", "class Thing:\n    pass\n"), ("app/a.py", "x = 1\n")]);
    let mut watcher = Watcher::start(temp.path());
    watcher.wait_for(&["out: No findings (2 files linted)", WAITING]);
    std::fs::write(temp.path().join("ssot-lint.toml"), "[project\n").expect("break config");
    let run = watcher.wait_for(&["invalid config", WAITING]);
    assert!(run.iter().all(|line| !line.contains("ssot_lint::")), "internal error code shown: {run:#?}");
    std::fs::write(temp.path().join("ssot-lint.toml"), CONFIG).expect("restore config");
    watcher.wait_for(&["out: No findings (2 files linted)", WAITING]);
}

#[test]
fn watch_rejects_output_and_exit_zero() {
    let temp = project(CONFIG, &[("app/a.py", "x = 1\n")]);
    for flag in [&["--output", "report.txt"][..], &["--exit-zero"]] {
        ssot_lint()
            .current_dir(temp.path())
            .args(["check", "--watch"])
            .args(flag)
            .timeout(Duration::from_secs(60))
            .assert()
            .code(2)
            .stderr(predicate::str::contains("cannot be used with"));
    }
}

#[test]
fn watch_of_a_missing_path_is_exit_2() {
    let temp = project(CONFIG, &[("app/a.py", "x = 1\n")]);
    ssot_lint()
        .current_dir(temp.path())
        .args(["check", "--watch", "missing"])
        .timeout(Duration::from_secs(60))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing"));
}
