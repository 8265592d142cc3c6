//! What `cargo fuzz` found (fuzz/README.md), replayed through the binary so it stays fixed.
//! Inputs live in `tests/fuzz-regressions/<target>/`, next to the config the target uses.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::*;

/// The file the `python_extract` target lints, with the target's config.
const FUZZED_FILE: &str = "app/services/handlers.py";

fn regressions() -> PathBuf {
    repo_dir().join("tests/fuzz-regressions/python_extract")
}

fn project(source: &[u8]) -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp dir");
    std::fs::copy(regressions().join("ssot-lint.toml"), temp.path().join("ssot-lint.toml")).expect("config");
    let path = temp.path().join(FUZZED_FILE);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
    std::fs::write(path, source).expect("source");
    temp
}

fn fix(dir: &Path) -> Output {
    ssot_lint().current_dir(dir).args(["fix", "--allow-dirty", "--no-cache"]).output().expect("run fix")
}

fn fixed_text(dir: &Path) -> String {
    std::fs::read_to_string(dir.join(FUZZED_FILE)).expect("read fixed file")
}

/// The `content` of every fix edit `check` attaches.
fn fix_contents(dir: &Path) -> Vec<String> {
    check_json(dir, &[])["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|finding| finding["fix"]["edits"][0]["content"].as_str())
        .map(str::to_string)
        .collect()
}

/// python_extract crash-4d2a1b95: a relative module written against the keywords
/// (`from.unified import ...`) was replaced by its absolute home without a space, giving
/// `fromapp.core.unified import ...`: `check` attached that broken edit and `fix` refused the file.
#[test]
fn a_relative_module_touching_from_gets_a_space() {
    // (source, the edit `check` attaches, the file after `fix`)
    let cases = [
        ("from.unified import UnifiedManager\n", "from app.core.unified import UnifiedManager", None),
        ("from..misc import UnifiedManager as M\n", "from app.core.unified import UnifiedManager as M", None),
        ("from .import UnifiedManager\n", "from app.core.unified import UnifiedManager", None),
        ("from.import(UnifiedManager)\n", "from app.core.unified import(UnifiedManager)", None),
        (
            "from.misc import(\n    UnifiedManager,\n)\n",
            "from app.core.unified import(",
            Some("from app.core.unified import(\n    UnifiedManager,\n)\n"),
        ),
    ];
    for (source, edit, file) in cases {
        let temp = project(source.as_bytes());
        assert_eq!(fix_contents(temp.path()), [edit], "check's fix for {source:?}");
        let expected = file.map_or_else(|| format!("{edit}\n"), str::to_string);
        let output = fix(temp.path());
        assert_eq!(output.status.code(), Some(0), "{source:?}: {}", String::from_utf8_lossy(&output.stderr));
        assert_eq!(fixed_text(temp.path()), expected, "fix of {source:?}");
    }
}

/// The input as the fuzzer found it has a real syntax error on line 12 (CPython rejects it
/// there too; tree-sitter-python used to accept it): it is reported, and `fix` leaves a file
/// with a syntax error alone rather than rewrite code it cannot read exactly.
#[test]
fn the_fuzzed_file_has_a_syntax_error_and_is_left_alone() {
    let source = std::fs::read(regressions().join("crash-4d2a1b95")).expect("fuzz input");
    let temp = project(&source);
    let report = check_json(temp.path(), &[]);
    let errors: Vec<u64> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|finding| finding["rule"] == "syntax-error")
        .filter_map(|finding| finding["line"].as_u64())
        .collect();
    assert_eq!(errors, [12]);
    fix(temp.path());
    assert_eq!(std::fs::read(temp.path().join(FUZZED_FILE)).expect("read"), source);
}
