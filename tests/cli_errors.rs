//! Bad input never crashes: every case has a clear message and the SPEC's exit code.

mod common;

use std::path::Path;

use common::*;
use predicates::prelude::*;

const MINIMAL: &str =
    "[project]\nroots = [\".\"]\n\n[[registry]]\nsymbol = \"Thing\"\nmodule = \"app.things\"\n";

fn check(dir: &Path) -> assert_cmd::assert::Assert {
    ssot_lint().current_dir(dir).args(["check", "--no-cache"]).assert()
}

fn config_error(config: &str, expected: &[&str]) {
    let temp = project(config, &[("app/a.py", b"x = 1\n")]);
    let mut assert = check(temp.path()).code(2);
    for text in expected {
        assert = assert.stderr(predicate::str::contains(*text));
    }
}

#[test]
fn broken_toml_names_file_line_and_column() {
    config_error("[project\nroots = [\".\"]\n", &["ssot-lint.toml:1:", "invalid config"]);
}

#[test]
fn unknown_key_is_underlined() {
    config_error(
        "[[registry]]\nsymbol = \"A\"\nmodule = \"m\"\nmodules = \"x\"\n",
        &["ssot-lint.toml:4:1", "unknown field `modules`", "modules = \"x\""],
    );
}

#[test]
fn wrong_type_is_an_error() {
    config_error("[project]\ncurrent-phase = \"two\"\n", &["ssot-lint.toml:2:", "invalid type"]);
}

#[test]
fn duplicate_registry_symbol_is_an_error() {
    let config =
        "[[registry]]\nsymbol = \"A\"\nmodule = \"m\"\n\n[[registry]]\nsymbol = \"A\"\nmodule = \"n\"\n";
    config_error(
        config,
        &["ssot-lint.toml:6:10", "duplicate registry symbol `A`", "first declared in ssot-lint.toml line 2"],
    );
}

#[test]
fn bad_glob_is_an_error() {
    let config = "[[pattern]]\nid = \"p\"\nmatch = \"a..b\"\n";
    config_error(config, &["ssot-lint.toml:3:9", "invalid dotted-name glob `a..b`"]);
}

#[test]
fn bad_path_glob_is_an_error() {
    config_error("[project]\nexclude = [\"a/[b\"]\n", &["ssot-lint.toml:2:", "invalid path glob"]);
}

#[test]
fn undeclared_phase_is_an_error() {
    let config = "[[phase]]\nid = 1\n\n[[registry]]\nsymbol = \"A\"\nmodule = \"m\"\nphase = 3\n";
    config_error(config, &["ssot-lint.toml:7:9", "phase 3 is not declared", "declared phases: 1"]);
}

#[test]
fn missing_rule_pack_is_an_error() {
    config_error(
        "[project]\nextend = [\"packs/nope.toml\"]\n",
        &["ssot-lint.toml:2:", "cannot read rule pack"],
    );
}

#[test]
fn unknown_phase_on_the_command_line_is_an_error() {
    let temp = project("[[phase]]\nid = 1\n", &[("a.py", b"x = 1\n")]);
    ssot_lint()
        .current_dir(temp.path())
        .args(["check", "--phase", "7"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("phase 7 is not declared"));
}

#[test]
fn unknown_rule_in_select_is_an_error() {
    let temp = project(MINIMAL, &[("a.py", b"x = 1\n")]);
    ssot_lint()
        .current_dir(temp.path())
        .args(["check", "--select", "no-such-rule"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown rule `no-such-rule`"));
}

#[test]
fn missing_path_is_exit_2() {
    let temp = project(MINIMAL, &[("a.py", b"x = 1\n")]);
    ssot_lint()
        .current_dir(temp.path())
        .args(["check", "does/not/exist"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("path does/not/exist does not exist"));
}

#[test]
fn missing_config_file_is_exit_2() {
    let temp = project(MINIMAL, &[("a.py", b"x = 1\n")]);
    ssot_lint()
        .current_dir(temp.path())
        .args(["check", "--config", "nope.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("config file nope.toml does not exist or is not a file"));
}

#[test]
fn directory_without_python_files_is_exit_2() {
    let temp = project(MINIMAL, &[("README.md", b"# hi\n")]);
    check(temp.path()).code(2).stderr(predicate::str::contains("no Python or Rust files to lint"));
}

#[test]
fn empty_config_runs_and_says_nothing_is_configured() {
    let temp = project("", &[("a.py", b"x = 1\n")]);
    check(temp.path()).code(0).stderr(predicate::str::contains("declares nothing to check"));
}

#[test]
fn no_config_runs_with_a_warning() {
    let temp = tempfile::tempdir().expect("temp");
    std::fs::write(temp.path().join("a.py"), "def f(:\n").expect("write");
    ssot_lint()
        .current_dir(temp.path())
        .args(["check", "--format", "concise"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("no ssot-lint.toml found"))
        .stdout(predicate::str::contains("a.py:1:7: syntax-error"));
}

#[test]
fn binary_file_is_skipped_with_a_warning_and_the_run_goes_on() {
    let bad = b"from app import Thing\n";
    let temp = project(MINIMAL, &[("bin.py", b"\x00\x01\x02ELF\x00" as &[u8]), ("bad.py", bad)]);
    check(temp.path())
        .code(1)
        .stderr(predicate::str::contains("warning: skipped bin.py: binary file"))
        .stdout(predicate::str::contains("bad.py:1:17: non-canonical-import"));
}

#[test]
fn huge_file_is_skipped_with_a_warning() {
    let temp = project(MINIMAL, &[("ok.py", b"x = 1\n")]);
    let big = vec![b'#'; 10 * 1024 * 1024 + 1];
    std::fs::write(temp.path().join("big.py"), big).expect("write");
    check(temp.path())
        .code(0)
        .stderr(predicate::str::contains("warning: skipped big.py: file is larger than 10 MiB"));
}

#[test]
fn invalid_utf8_is_a_syntax_error_warning_and_the_file_is_still_linted() {
    let temp = project(MINIMAL, &[("app/latin.py", b"name = 'caf\xe9'\nfrom app import Thing\n")]);
    check(temp.path())
        .code(1)
        .stdout(predicate::str::contains("app/latin.py:1:12: syntax-error file is not valid UTF-8"))
        .stdout(predicate::str::contains("app/latin.py:2:17: non-canonical-import"));
}

#[test]
fn syntax_error_is_a_warning_and_the_rest_is_linted() {
    let temp = project(MINIMAL, &[("app/broken.py", b"def f(:\n    pass\n\nfrom app import Thing\n")]);
    check(temp.path())
        .code(1)
        .stdout(predicate::str::contains("app/broken.py:1:7: syntax-error"))
        .stdout(predicate::str::contains("app/broken.py:4:17: non-canonical-import"));
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_skipped_and_the_run_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let temp = project(
        MINIMAL,
        &[("secret.py", b"from app import Thing\n"), ("bad.py", b"from app import Thing\n")],
    );
    let secret = temp.path().join("secret.py");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let readable_anyway = std::fs::read(&secret).is_ok(); // root ignores permissions
    let assert =
        check(temp.path()).code(1).stdout(predicate::str::contains("bad.py:1:17: non-canonical-import"));
    if !readable_anyway {
        assert.stderr(predicate::str::contains("warning: skipped secret.py: cannot read"));
    }
}

#[cfg(unix)]
#[test]
fn fifo_named_like_python_is_skipped() {
    let temp = project(MINIMAL, &[("bad.py", b"from app import Thing\n")]);
    let fifo = temp.path().join("pipe.py");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    check(temp.path()).code(1).stdout(predicate::str::contains("bad.py:1:17: non-canonical-import"));
    ssot_lint()
        .current_dir(temp.path())
        .args(["check", "pipe.py"])
        .assert()
        .stderr(predicate::str::contains("skipped pipe.py: not a regular file"));
}

#[test]
fn exit_zero_and_the_reason_on_stderr() {
    let temp = project(MINIMAL, &[("bad.py", b"from app import Thing\n")]);
    check(temp.path()).code(1).stderr(predicate::str::contains("1 gating finding"));
    ssot_lint().current_dir(temp.path()).args(["check", "--exit-zero"]).assert().code(0);
}

#[test]
fn unknown_command_line_flag_is_exit_2() {
    ssot_lint()
        .args(["check", "--no-such-flag"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--no-such-flag"));
}

#[test]
fn explain_unknown_rule_is_exit_2() {
    ssot_lint()
        .args(["explain", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown rule `nope`"));
}

#[test]
fn init_refuses_to_overwrite_without_force() {
    let temp = tempfile::tempdir().expect("temp");
    ssot_lint().current_dir(temp.path()).arg("init").assert().code(0);
    let written = std::fs::read_to_string(temp.path().join("ssot-lint.toml")).expect("written");
    assert!(written.contains("[project]"));
    ssot_lint()
        .current_dir(temp.path())
        .arg("init")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    ssot_lint().current_dir(temp.path()).args(["init", "--force"]).assert().code(0);
    // The starter config is valid as written.
    ssot_lint()
        .current_dir(temp.path())
        .arg("check")
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no Python or Rust files"));
}

#[cfg(unix)]
#[test]
fn a_rule_pack_that_is_not_a_regular_file_is_an_error_not_a_hang() {
    config_error(
        "[project]\nextend = [\"/dev/zero\"]\n",
        &["cannot read rule pack /dev/zero: not a config file"],
    );
}

#[test]
fn a_required_event_outside_the_vocabulary_is_an_error() {
    let config = "[[events]]\nname = \"e\"\nemitters = [\"emit\"]\nallowed = [\"a\", \"b\"]\nrequired = [\"a\", \"c\"]\n";
    config_error(
        config,
        &["ssot-lint.toml:5:18", "required event \"c\" is not in `allowed`", "add it to `allowed`"],
    );
}

#[test]
fn an_unknown_event_scope_is_an_error() {
    let config = "[[events]]\nname = \"e\"\nemitters = [\"emit\"]\nallowed = [\"a\"]\nscope = \"module\"\n";
    config_error(config, &["ssot-lint.toml:5:", "unknown variant `module`", "expected `file` or `class`"]);
}
