//! `ssot-lint registry import` end to end: the sample Markdown registry converts to the
//! snapshotted TOML, `check` accepts that TOML as its config and finds exactly the marked findings.

mod common;

use std::path::PathBuf;
use std::process::Output;

use common::*;

fn sample() -> PathBuf {
    repo_dir().join("tests/fixtures/registry/SSOT_IMPORT_REGISTRY.md")
}

fn import(args: &[&str]) -> Output {
    ssot_lint().args(["registry", "import"]).args(args).output().expect("run ssot-lint")
}

#[test]
fn the_sample_registry_converts_to_the_snapshot() {
    let output = ssot_lint()
        .current_dir(repo_dir().join("tests/fixtures/registry"))
        .args(["registry", "import", "SSOT_IMPORT_REGISTRY.md"])
        .output()
        .expect("run ssot-lint");
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!("registry_import_toml", String::from_utf8_lossy(&output.stdout));
    insta::assert_snapshot!("registry_import_stderr", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn windows_line_endings_give_the_same_toml() {
    let temp = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(sample()).expect("sample");
    let crlf = temp.path().join("SSOT_IMPORT_REGISTRY.md");
    std::fs::write(&crlf, text.replace('\n', "\r\n")).expect("write");
    let lf = import(&[sample().to_str().expect("utf-8 path")]);
    let windows = import(&[crlf.to_str().expect("utf-8 path")]);
    assert_eq!(windows.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&windows.stdout), String::from_utf8_lossy(&lf.stdout));
}

#[test]
fn check_accepts_the_output_and_finds_the_marked_imports() {
    let temp = copy_to_temp(&repo_dir().join("tests/fixtures/registry/project"));
    let config = temp.path().join("ssot-lint.toml");
    let output =
        import(&[sample().to_str().expect("utf-8 path"), "--output", config.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stdout.is_empty(), "--output writes the file, not stdout");
    // The registry's modules are not in this small tree: stale-registry would flag every one.
    let report = check_json(temp.path(), &["--config", "ssot-lint.toml", "--ignore", "stale-registry"]);
    assert_eq!(found(&report), expected(temp.path()));
    assert_eq!(report["summary"]["findings"], 11);
}

#[test]
fn a_missing_file_is_exit_2() {
    let output = import(&["does-not-exist.md"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read does-not-exist.md"));
    assert!(output.stdout.is_empty());
}

#[test]
fn a_directory_is_exit_2() {
    let temp = tempfile::tempdir().expect("temp dir");
    let output = import(&[temp.path().to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read"));
}

#[test]
fn odd_input_converts_with_warnings() {
    let temp = tempfile::tempdir().expect("temp dir");
    let file = temp.path().join("odd.md");
    std::fs::write(
        &file,
        b"## \xff\xfe \xe2\x9c\x85 Verified\n```python\nfrom a.b import A\nfrom c import (\n    B,\n",
    )
    .expect("write");
    let output = import(&[file.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("[[registry]]  # line 3\nsymbol = \"A\"\nmodule = \"a.b\"\n"), "{stdout}");
    assert!(stdout.contains("[[registry]]  # line 5\nsymbol = \"B\"\nmodule = \"c\"\n"), "{stdout}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("odd.md:2: code fence is never closed"), "{stderr}");
}
