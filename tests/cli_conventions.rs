//! The command-line conventions a ruff user expects: `--output-format` (with `--format` kept),
//! `--statistics`, `--show-settings`, `--show-files`, `--extend-select`, `-q` / `-qq`,
//! `counts --only-phase`, the summary line, error messages without internal codes, shell
//! completions and the man page.

mod common;

use std::path::Path;

use common::*;
use predicates::prelude::*;

const CONFIG: &str = "[project]\nroots = [\".\"]\ncurrent-phase = 1\n\n\
    [[phase]]\nid = 1\nname = \"First\"\n\n[[phase]]\nid = 2\nname = \"Second\"\n\n\
    [[registry]]\nsymbol = \"Thing\"\nmodule = \"app.things\"\nphase = 1\n\n\
    [[deprecated-module]]\nmodule = \"app.old\"\nphase = 2\n";

/// Two files with findings (two non-canonical imports, one deprecated module), one clean file.
fn sample() -> tempfile::TempDir {
    project(
        CONFIG,
        &[
            ("app/things.py", "class Thing:\n    pass\n"),
            ("app/a.py", "from app.other import Thing\nfrom app.old import x\n"),
            ("app/b.py", "from app.elsewhere import Thing\n"),
            ("app/other.py", "from app.things import Thing\n"),
        ],
    )
}

fn run(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    ssot_lint().current_dir(dir).args(args).assert()
}

#[test]
fn output_format_and_its_format_alias_give_the_same_report() {
    let temp = sample();
    let new = ssot_lint()
        .current_dir(temp.path())
        .args(["check", "--no-cache", "--output-format", "json"])
        .output();
    let old = ssot_lint().current_dir(temp.path()).args(["check", "--no-cache", "--format", "json"]).output();
    let (new, old) = (new.expect("run"), old.expect("run"));
    assert_eq!(new.status.code(), Some(1));
    assert_eq!(new.stdout, old.stdout);
    let report: serde_json::Value = serde_json::from_slice(&new.stdout).expect("JSON");
    assert_eq!(report["findings"].as_array().map(Vec::len), Some(3));
    for command in [&["counts"][..], &["rules"], &["discover"]] {
        let mut args = command.to_vec();
        args.extend(["--output-format", "json"]);
        let output = ssot_lint().current_dir(temp.path()).args(&args).output().expect("run");
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        serde_json::from_slice::<serde_json::Value>(&output.stdout).expect("JSON");
    }
}

#[test]
fn bad_output_format_is_exit_2() {
    let temp = sample();
    run(temp.path(), &["check", "--output-format", "xml"])
        .code(2)
        .stderr(predicate::str::contains("invalid value 'xml' for '--output-format"));
}

#[test]
fn summary_counts_files_with_findings_and_files_linted() {
    let temp = sample();
    run(temp.path(), &["check", "--no-cache"]).code(1).stdout(predicate::str::contains(
        "Found 3 findings in 2 files (4 files linted): 2 gating (phases <= 1)",
    ));
    let clean = project(CONFIG, &[("app/things.py", "class Thing:\n    pass\n")]);
    run(clean.path(), &["check", "--no-cache"])
        .code(0)
        .stdout(predicate::str::contains("No findings (1 file linted)"));
}

#[test]
fn statistics_count_findings_per_rule() {
    let temp = sample();
    run(temp.path(), &["check", "--no-cache", "--statistics"])
        .code(1)
        .stdout("2  [*] non-canonical-import\n1  deprecated-module\n");
    let output = ssot_lint()
        .current_dir(temp.path())
        .args(["check", "--no-cache", "--statistics", "--output-format", "json"])
        .output()
        .expect("run");
    let rows: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(rows[0]["rule"], "non-canonical-import");
    assert_eq!(rows[0]["count"], 2);
    assert_eq!(rows[0]["fixable"], true);
    assert_eq!(rows[1]["rule"], "deprecated-module");
}

#[test]
fn statistics_with_a_ci_format_is_exit_2() {
    let temp = sample();
    run(temp.path(), &["check", "--statistics", "--output-format", "sarif"])
        .code(2)
        .stderr(predicate::str::contains("--statistics cannot be combined with --output-format sarif"));
}

#[test]
fn show_settings_prints_the_resolved_config() {
    let temp = sample();
    std::fs::write(
        temp.path().join("pack.toml"),
        "[[registry]]\nsymbol = \"Other\"\nmodule = \"app.other\"\n",
    )
    .expect("write pack");
    let config = CONFIG.replace("current-phase = 1\n", "current-phase = 1\nextend = [\"pack.toml\"]\n");
    std::fs::write(temp.path().join("ssot-lint.toml"), config).expect("write config");
    run(temp.path(), &["check", "--show-settings", "--phase", "2", "--select", "non-canonical-import"])
        .code(0)
        .stdout(predicate::str::contains("config file: ssot-lint.toml\n"))
        .stdout(predicate::str::contains("project root: .\n"))
        .stdout(predicate::str::contains("extends [1]: pack.toml\n"))
        .stdout(predicate::str::contains("current phase: 2 (--phase)\n"))
        .stdout(predicate::str::contains("phase 2: Second\n"))
        .stdout(predicate::str::contains("  Thing -> app.things  [ssot-lint.toml]\n"))
        .stdout(predicate::str::contains("  Other -> app.other  [pack.toml]\n"))
        .stdout(predicate::str::contains("rules: non-canonical-import\n"));
}

#[test]
fn show_settings_with_a_bad_phase_is_exit_2() {
    let temp = sample();
    run(temp.path(), &["check", "--show-settings", "--phase", "7"])
        .code(2)
        .stderr(predicate::str::contains("phase 7 is not declared"));
}

#[test]
fn show_files_lists_what_would_be_linted() {
    let temp = sample();
    std::fs::write(temp.path().join("notes.txt"), "not python\n").expect("write");
    run(temp.path(), &["check", "--show-files"])
        .code(0)
        .stdout("app/a.py\napp/b.py\napp/other.py\napp/things.py\n");
    run(temp.path(), &["check", "--show-files", "missing/"])
        .code(2)
        .stderr(predicate::str::contains("missing"));
}

#[test]
fn extend_select_adds_to_select() {
    let temp = sample();
    let count = |args: &[&str]| {
        let report = check_json(temp.path(), args);
        report["findings"].as_array().map_or(0, Vec::len)
    };
    assert_eq!(count(&["--select", "deprecated-module"]), 1);
    assert_eq!(count(&["--select", "deprecated-module", "--extend-select", "non-canonical-import"]), 3);
    assert_eq!(count(&["--extend-select", "non-canonical-import"]), 3);
}

#[test]
fn unknown_extend_select_rule_is_exit_2() {
    let temp = sample();
    run(temp.path(), &["check", "--extend-select", "no-such-rule"])
        .code(2)
        .stderr(predicate::str::contains("unknown rule `no-such-rule`"));
}

#[test]
fn quiet_prints_only_findings_and_double_quiet_nothing() {
    let temp = sample();
    // Without a config file warnings would appear on stderr; -q silences them and the summary.
    std::fs::write(temp.path().join("bad.py"), b"\xff\xfe\x00binary").expect("write");
    let output =
        ssot_lint().current_dir(temp.path()).args(["check", "--no-cache", "-q"]).output().expect("run");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    assert!(!stdout.contains("Found"), "{stdout}");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");

    run(temp.path(), &["check", "--no-cache", "-qq"]).code(1).stdout("").stderr("");
    // -qq: not even errors; the exit code says it.
    run(temp.path(), &["check", "-qq", "--select", "nope"]).code(2).stdout("").stderr("");
}

#[test]
fn counts_only_phase_prints_one_number() {
    let temp = sample();
    run(temp.path(), &["counts", "--no-cache", "--only-phase", "1"]).code(0).stdout("2\n").stderr("");
    run(temp.path(), &["counts", "--no-cache", "--only-phase", "2"]).code(0).stdout("1\n");
    run(temp.path(), &["counts", "--only-phase", "9"])
        .code(2)
        .stderr(predicate::str::contains("--only-phase 9: phase 9 is not declared"));
    run(temp.path(), &["counts", "--only-phase", "x"])
        .code(2)
        .stderr(predicate::str::contains("invalid value"));
}

#[test]
fn counts_phase_alone_is_the_deprecated_one_number_form() {
    let temp = sample();
    run(temp.path(), &["counts", "--no-cache", "--phase", "1"])
        .code(0)
        .stdout("2\n")
        .stderr(predicate::str::contains("deprecated: use `counts --only-phase 1`"));
}

#[test]
fn counts_phase_with_a_format_overrides_the_current_phase_as_in_check() {
    let temp = sample();
    let output = ssot_lint()
        .current_dir(temp.path())
        .args(["counts", "--no-cache", "--phase", "2", "--output-format", "json"])
        .output()
        .expect("run");
    let counts: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(counts["current_phase"], 2);
    assert_eq!(counts["gating"], 3);
    assert!(!String::from_utf8_lossy(&output.stderr).contains("deprecated"));
}

#[test]
fn errors_hide_internal_codes_unless_verbose() {
    let temp = sample();
    run(temp.path(), &["check", "--select", "nope"])
        .code(2)
        .stderr(predicate::str::contains("unknown rule `nope`"))
        .stderr(predicate::str::contains("ssot_lint::").not());
    run(temp.path(), &["check", "--verbose", "--select", "nope"])
        .code(2)
        .stderr(predicate::str::contains("ssot_lint::usage"));
    run(temp.path(), &["--verbose", "check", "--select", "nope"])
        .code(2)
        .stderr(predicate::str::contains("ssot_lint::usage"));
    // A config error keeps its snippet and loses only the code.
    std::fs::write(temp.path().join("ssot-lint.toml"), "[project]\nroot = 1\n").expect("write");
    run(temp.path(), &["check"])
        .code(2)
        .stderr(predicate::str::contains("ssot-lint.toml:2:"))
        .stderr(predicate::str::contains("ssot_lint::").not());
}

#[test]
fn help_does_not_cite_the_spec() {
    for command in ["check", "counts", "baseline", "fix", "discover"] {
        run(Path::new("."), &[command, "--help"]).code(0).stdout(predicate::str::contains("SPEC").not());
    }
}

#[test]
fn completions_for_every_shell_mention_the_commands() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let output = ssot_lint().args(["completions", shell]).output().expect("run");
        assert!(output.status.success(), "{shell}");
        let script = String::from_utf8_lossy(&output.stdout);
        for word in ["check", "counts", "baseline", "discover", "output-format", "statistics"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
}

#[test]
fn bash_completion_is_valid_bash() {
    use std::io::Write;
    let output = ssot_lint().args(["completions", "bash"]).output().expect("run");
    // The script on stdin (no temp-file path for bash to translate on Windows).
    let mut bash = std::process::Command::new("bash")
        .arg("-n")
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("bash is installed");
    bash.stdin.take().expect("stdin").write_all(&output.stdout).expect("write script");
    let checked = bash.wait_with_output().expect("bash -n");
    assert!(
        checked.status.success(),
        "bash -n rejects the script: {}",
        String::from_utf8_lossy(&checked.stderr)
    );
    // bash -n does reject a broken script, so the check above is not vacuous.
    let mut broken = std::process::Command::new("bash")
        .arg("-n")
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("bash");
    broken.stdin.take().expect("stdin").write_all(b"_f() { if true; then\n}\n").expect("write");
    assert!(!broken.wait().expect("bash -n").success());
}

#[test]
fn completions_for_an_unknown_shell_is_exit_2() {
    ssot_lint()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid value 'tcsh'"));
    ssot_lint().args(["completions"]).assert().code(2).stderr(predicate::str::contains("<SHELL>"));
}

#[test]
fn man_page_is_roff_with_every_command() {
    let output = ssot_lint().args(["man"]).output().expect("run");
    assert!(output.status.success());
    let page = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(page.starts_with(".TH ssot-lint 1"), "{}", &page[..page.len().min(200)]);
    for section in
        [".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS", "SSOT-LINT CHECK", "SSOT-LINT COUNTS", "SSOT-LINT MAN"]
    {
        assert!(page.contains(section), "man page lacks {section}");
    }
    assert!(page.contains("statistics"), "check's options are in the page");
    // Every request line uses a request or man macro that exists.
    let known = [
        "TH", "SH", "SS", "TP", "PP", "IP", "B", "I", "BR", "IR", "RS", "RE", "br", "ie", "el", "ds", "nf",
        "fi", "sp", "in", "TQ", "EX", "EE", "LP", "P",
    ];
    for line in page.lines().filter(|line| line.starts_with('.')) {
        let name = line[1..].split_whitespace().next().unwrap_or_default();
        assert!(known.contains(&name), "unexpected roff request: {line}");
    }
    ssot_lint().args(["man", "extra"]).assert().code(2);
}

/// groff renders the page without a single warning (`-ww`: all warnings on). Linux CI has groff
/// (man-db needs it); elsewhere the test is ignored rather than passed.
#[test]
#[cfg_attr(not(target_os = "linux"), ignore = "needs groff, which Linux CI has")]
fn groff_renders_the_man_page_without_warnings() {
    let output = ssot_lint().args(["man"]).output().expect("run");
    let temp = tempfile::tempdir().expect("temp dir");
    let page = temp.path().join("ssot-lint.1");
    std::fs::write(&page, &output.stdout).expect("write");
    let render = std::process::Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .arg(&page)
        .output()
        .expect("groff is installed (apt-get install groff-base)");
    assert!(render.status.success());
    assert_eq!(String::from_utf8_lossy(&render.stderr), "", "groff warnings");
}
