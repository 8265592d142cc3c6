//! Hostile trees and inputs (issue 7): the gate never crashes, hangs or silently drops files.

mod common;

use std::path::Path;
use std::time::Duration;

use common::*;
use predicates::prelude::*;

const CONFIG: &str = "[[registry]]\nsymbol = \"Thing\"\nmodule = \"app.things\"\n";
const VIOLATION: &str = "from app import Thing\n";

fn project() -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp dir");
    write(temp.path(), "ssot-lint.toml", CONFIG);
    write(temp.path(), "app/things.py", "class Thing: ...\n");
    temp
}

fn write(root: &Path, path: &str, content: impl AsRef<[u8]>) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, content).expect("write");
}

fn check(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    ssot_lint()
        .current_dir(dir)
        .args(["check", "--format", "concise", "--no-cache"])
        .args(args)
        .timeout(Duration::from_secs(120))
        .assert()
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_not_followed_forever() {
    let temp = project();
    write(temp.path(), "app/use.py", VIOLATION);
    std::os::unix::fs::symlink("..", temp.path().join("app/loop")).expect("symlink");
    check(temp.path(), &[]).code(1).stdout(predicate::str::contains("app/use.py:1:17"));
    check(temp.path(), &["--follow-links"])
        .code(1)
        .stdout(predicate::str::contains("app/use.py:1:17"))
        .stderr(predicate::str::contains("warning: skipped app/loop: symbolic link loop"));
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_root_are_not_followed_unless_asked() {
    let temp = project();
    let outside = tempfile::tempdir().expect("outside");
    write(outside.path(), "elsewhere.py", VIOLATION);
    std::os::unix::fs::symlink(outside.path(), temp.path().join("app/outside")).expect("symlink");
    check(temp.path(), &[]).code(0);
    check(temp.path(), &["--follow-links"]).code(1).stdout(predicate::str::contains("elsewhere.py:1:17"));
}

#[cfg(unix)]
#[test]
fn fifos_and_sockets_in_the_tree_are_passed_over_without_hanging() {
    let temp = project();
    write(temp.path(), "app/use.py", VIOLATION);
    let fifo = temp.path().join("app/pipe.py");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo").success());
    let _socket = std::os::unix::net::UnixListener::bind(temp.path().join("app/sock.py")).expect("socket");
    check(temp.path(), &[])
        .code(1)
        .stdout(predicate::str::contains("Found 1 finding in 1 file (2 files linted)"));
}

#[cfg(unix)]
#[test]
fn unreadable_directories_are_reported_and_the_run_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let temp = project();
    write(temp.path(), "app/use.py", VIOLATION);
    write(temp.path(), "app/locked/inner.py", VIOLATION);
    let locked = temp.path().join("app/locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let enterable_anyway = std::fs::read_dir(&locked).is_ok(); // root ignores permissions
    let assert = check(temp.path(), &[]).code(1).stdout(predicate::str::contains("app/use.py:1:17"));
    if !enterable_anyway {
        assert.stderr(predicate::str::contains("warning: skipped app/locked"));
        check(temp.path(), &["--strict"]).code(2).stderr(predicate::str::contains("--strict"));
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).expect("chmod back");
}

#[test]
fn a_50_mib_file_is_skipped_listed_and_fails_strict() {
    let temp = project();
    write(temp.path(), "app/use.py", VIOLATION);
    let big = std::fs::File::create(temp.path().join("app/huge.py")).expect("create");
    big.set_len(50 * 1024 * 1024).expect("sparse 50 MiB file");
    check(temp.path(), &[])
        .code(1)
        .stderr(predicate::str::contains("warning: skipped app/huge.py: file is larger than 10 MiB"))
        .stdout(predicate::str::contains("1 file not linted (see warnings)"));
    let output = ssot_lint()
        .current_dir(temp.path())
        .args(["check", "--format", "json", "--no-cache", "--exit-zero"])
        .output()
        .expect("run");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(report["summary"]["skipped"][0]["path"], "app/huge.py");
    assert!(report["summary"]["skipped"][0]["reason"]
        .as_str()
        .is_some_and(|reason| reason.contains("10 MiB")));
    check(temp.path(), &["--strict"])
        .code(2)
        .stderr(predicate::str::contains("--strict: 1 file could not be linted completely: app/huge.py"));
}

#[test]
fn strict_passes_when_every_file_was_linted() {
    let temp = project();
    write(temp.path(), "app/use.py", "x = 1\n");
    check(temp.path(), &["--strict"]).code(0);
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let temp = project();
    let parens = format!("{VIOLATION}x = {}1{}\n", "(".repeat(10_000), ")".repeat(10_000));
    let chain = format!("{VIOLATION}y = a{}\n", ".b".repeat(5_000));
    // Each operator nests the syntax tree one level deeper (its visit and drop recurse).
    let operators = format!("{VIOLATION}z = {}1\n", "a + ".repeat(200_000));
    let unary = format!("{VIOLATION}w = {}1\n", "-".repeat(500_000));
    write(temp.path(), "app/parens.py", parens);
    write(temp.path(), "app/chain.py", chain);
    write(temp.path(), "app/operators.py", operators);
    write(temp.path(), "app/unary.py", unary);
    let assert = check(temp.path(), &[]).code(1);
    for file in ["parens", "chain", "operators", "unary"] {
        assert!(
            String::from_utf8_lossy(&assert.get_output().stdout).contains(&format!("app/{file}.py:1:17")),
            "{file}"
        );
    }
}

#[test]
fn nul_bytes_bom_crlf_and_mixed_indentation_are_linted() {
    let temp = project();
    // A NUL byte past the binary sniffing window is just a bad character, not a binary file.
    let mut late_nul = "x = 1\n".repeat(2_000).into_bytes();
    late_nul.extend_from_slice(b"y = '\0'\nfrom app import Thing\n");
    write(temp.path(), "app/late_nul.py", late_nul);
    write(temp.path(), "app/bom.py", format!("\u{FEFF}{VIOLATION}"));
    write(temp.path(), "app/crlf.py", "import os\r\nfrom app import Thing\r\n");
    write(temp.path(), "app/tabs.py", "def f():\n\tif True:\n\t\tfrom app import Thing\n        return 1\n");
    check(temp.path(), &[])
        .code(1)
        .stdout(predicate::str::contains("app/late_nul.py:2002:17: non-canonical-import"))
        .stdout(predicate::str::contains("app/bom.py:1:17: non-canonical-import"))
        .stdout(predicate::str::contains("app/crlf.py:2:17: non-canonical-import"))
        .stdout(predicate::str::contains("app/tabs.py:3:19: non-canonical-import"));
}

#[test]
fn a_100k_file_tree_is_linted() {
    let temp = project();
    for package in 0..100 {
        let dir = temp.path().join(format!("pkg{package}"));
        std::fs::create_dir_all(&dir).expect("mkdir");
        for module in 0..1_000 {
            std::fs::write(dir.join(format!("m{module}.py")), "x = 1\n").expect("write");
        }
    }
    write(temp.path(), "pkg7/use.py", VIOLATION);
    check(temp.path(), &[])
        .code(1)
        .stdout(predicate::str::contains("pkg7/use.py:1:17"))
        .stdout(predicate::str::contains("(100002 files linted)"));
}
