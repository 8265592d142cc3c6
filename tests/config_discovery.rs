//! Config discovery (SPEC §3) and rule packs.

mod common;

use common::*;
use predicates::prelude::*;

const REGISTRY: &str = "[[registry]]\nsymbol = \"Thing\"\nmodule = \"app.things\"\n";
const VIOLATION: &[u8] = b"from app import Thing\n";

fn tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp dir");
    for (path, content) in files {
        let path = temp.path().join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, content).expect("write");
    }
    temp
}

fn concise(dir: &std::path::Path, args: &[&str]) -> assert_cmd::assert::Assert {
    ssot_lint().current_dir(dir).args(["check", "--format", "concise"]).args(args).assert()
}

#[test]
fn pyproject_tool_table_is_found() {
    let pyproject = "[project]\nname = \"x\"\n\n[tool.ruff]\nline-length = 100\n\n[tool.ssot-lint.project]\nroots = [\".\"]\n\n[[tool.ssot-lint.registry]]\nsymbol = \"Thing\"\nmodule = \"app.things\"\n";
    let temp = tree(&[("pyproject.toml", pyproject.as_bytes()), ("app/use.py", VIOLATION)]);
    concise(temp.path(), &[])
        .code(1)
        .stdout(predicate::str::contains("app/use.py:1:17: non-canonical-import [*]"));
}

#[test]
fn pyproject_without_the_table_is_not_a_config() {
    let temp = tree(&[("pyproject.toml", b"[project]\nname = \"x\"\n"), ("app/use.py", VIOLATION)]);
    concise(temp.path(), &[]).code(0).stderr(predicate::str::contains("no ssot-lint.toml found"));
}

#[test]
fn pyproject_errors_point_into_pyproject() {
    let pyproject = b"[tool.ssot-lint.project]\nrots = [\".\"]\n";
    let temp = tree(&[("pyproject.toml", pyproject), ("a.py", b"x = 1\n")]);
    concise(temp.path(), &[]).code(2).stderr(
        predicate::str::contains("pyproject.toml:2:1").and(predicate::str::contains("unknown field `rots`")),
    );
}

#[test]
fn dot_ssot_lint_toml_is_found() {
    let temp = tree(&[(".ssot-lint.toml", REGISTRY.as_bytes()), ("app/use.py", VIOLATION)]);
    concise(temp.path(), &[]).code(1).stdout(predicate::str::contains("non-canonical-import"));
}

#[test]
fn config_is_searched_upwards_and_paths_stay_relative_to_the_root() {
    let temp = tree(&[("ssot-lint.toml", REGISTRY.as_bytes()), ("app/sub/use.py", VIOLATION)]);
    concise(&temp.path().join("app/sub"), &[])
        .code(1)
        .stdout(predicate::str::contains("app/sub/use.py:1:17: non-canonical-import"));
}

#[test]
fn config_is_found_from_the_given_path_when_the_cwd_has_none() {
    let temp = tree(&[("proj/ssot-lint.toml", REGISTRY.as_bytes()), ("proj/app/use.py", VIOLATION)]);
    concise(temp.path(), &["proj"])
        .code(1)
        .stdout(predicate::str::contains("app/use.py:1:17: non-canonical-import [*]"));
}

#[test]
fn explicit_config_wins() {
    let temp =
        tree(&[("ssot-lint.toml", b""), ("other.toml", REGISTRY.as_bytes()), ("app/use.py", VIOLATION)]);
    concise(temp.path(), &["--config", "other.toml"])
        .code(1)
        .stdout(predicate::str::contains("non-canonical-import"));
}

#[test]
fn rule_packs_are_merged_and_builtin_packs_exist() {
    let config = "[project]\nextend = [\"packs/things.toml\", \"builtin:websocket-ssot\"]\n";
    let temp = tree(&[
        ("ssot-lint.toml", config.as_bytes()),
        ("packs/things.toml", REGISTRY.as_bytes()),
        ("app/use.py", b"from app import Thing\nfrom x import UnifiedWebSocketManager\n"),
    ]);
    concise(temp.path(), &["app"])
        .code(1)
        .stdout(predicate::str::contains("app/use.py:1:17: non-canonical-import [*]"))
        .stdout(predicate::str::contains(
            "app/use.py:2:15: non-canonical-import [*] UnifiedWebSocketManager",
        ));
}

#[test]
fn unknown_builtin_pack_is_an_error() {
    let temp = tree(&[("ssot-lint.toml", b"[project]\nextend = [\"builtin:nope\"]\n"), ("a.py", b"x = 1\n")]);
    concise(temp.path(), &[])
        .code(2)
        .stderr(predicate::str::contains("unknown built-in rule pack `builtin:nope`"));
}

#[test]
fn a_pack_may_not_set_project() {
    let temp = tree(&[
        ("ssot-lint.toml", b"[project]\nextend = [\"pack.toml\"]\n"),
        ("pack.toml", b"[project]\nroots = [\"src\"]\n"),
        ("a.py", b"x = 1\n"),
    ]);
    concise(temp.path(), &[]).code(2).stderr(
        predicate::str::contains("pack.toml:1:1")
            .and(predicate::str::contains("cannot contain a [project] table")),
    );
}

#[test]
fn roots_define_module_names() {
    let config =
        "[project]\nroots = [\"src\"]\n\n[[registry]]\nsymbol = \"Thing\"\nmodule = \"app.things\"\n";
    let temp = tree(&[
        ("ssot-lint.toml", config.as_bytes()),
        ("src/app/things.py", b"class Thing: ...\n"),
        ("src/app/use.py", b"from .things import Thing\n"),
    ]);
    concise(temp.path(), &[]).code(0).stdout(predicate::str::contains("No findings (2 files linted)"));
}

#[test]
fn gitignore_hidden_and_exclude_are_honoured_but_explicit_files_are_linted() {
    let config = format!("[project]\nexclude = [\"**/generated/**\"]\n\n{REGISTRY}");
    let temp = tree(&[
        ("ssot-lint.toml", config.as_bytes()),
        (".gitignore", b"ignored/\n"),
        ("ignored/a.py", VIOLATION),
        (".hidden/a.py", VIOLATION),
        ("pkg/generated/a.py", VIOLATION),
        ("pkg/ok.py", b"x = 1\n"),
    ]);
    concise(temp.path(), &["--ignore", "stale-registry"])
        .code(0)
        .stdout(predicate::str::contains("No findings (1 file linted)"));
    concise(temp.path(), &["pkg/generated/a.py"])
        .code(1)
        .stdout(predicate::str::contains("pkg/generated/a.py:1:17"));
    concise(temp.path(), &["--force-exclude", "pkg/generated/a.py", "pkg/ok.py"]).code(0);
}
