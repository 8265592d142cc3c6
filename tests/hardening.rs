//! Hardening, round 2 (issue 14): one test per reproducer of `../shared/repro` and per promise of
//! the issue, in temp dirs, asserting the exit code and the message.

mod common;

use std::path::Path;
use std::process::Command as StdCommand;
use std::time::{Duration, Instant};

use common::*;
use predicates::prelude::*;

/// The reproducers' project: a registry entry with a compat module and a deprecated module.
const CONFIG: &str =
    "[[registry]]\nsymbol = \"Manager\"\nmodule = \"app.core.manager\"\ncompat = [\"app.compat\"]\n\n\
                      [[deprecated-module]]\nmodule = \"app.old\"\nreplacement = \"app.core.manager\"\n";

fn proj(files: &[(&str, &str)]) -> tempfile::TempDir {
    let mut all: Vec<(&str, &str)> = vec![
        ("app/__init__.py", ""),
        ("app/core/__init__.py", ""),
        ("app/core/manager.py", "class Manager:\n    pass\n"),
    ];
    all.extend_from_slice(files);
    project(CONFIG, &all)
}

fn write(root: &Path, path: impl AsRef<Path>, content: impl AsRef<[u8]>) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, content).expect("write");
}

fn read(root: &Path, path: impl AsRef<Path>) -> String {
    String::from_utf8_lossy(&std::fs::read(root.join(path)).expect("read")).into_owned()
}

fn git(dir: &Path, args: &[&str]) {
    let status = StdCommand::new("git")
        .args(["-c", "user.email=a@b", "-c", "user.name=a", "-c", "protocol.file.allow=always"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run git");
    assert!(status.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&status.stderr));
}

fn has(tool: &str) -> bool {
    StdCommand::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|out| out.status.success())
}

#[cfg(unix)]
fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

fn run(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    ssot_lint().current_dir(dir).args(args).timeout(Duration::from_secs(120)).assert()
}

#[cfg(unix)]
fn os(bytes: &[u8]) -> std::path::PathBuf {
    use std::os::unix::ffi::OsStrExt;
    std::path::PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

// ------------------------------------------------------------------ never destroy user files

#[test]
fn clean_refuses_a_directory_that_is_not_its_cache() {
    let temp = proj(&[("app/u.py", "from app import Manager\n")]);
    run(temp.path(), &["clean", "--cache-dir", "app"])
        .code(2)
        .stderr(predicate::str::contains("refusing to remove"))
        .stderr(predicate::str::contains("not an ssot-lint cache directory"));
    assert!(temp.path().join("app/u.py").is_file());
    // Its own cache it removes.
    run(temp.path(), &["check", "--cache-dir", "cache", "--exit-zero"]).success();
    assert!(temp.path().join("cache/CACHEDIR.TAG").is_file());
    run(temp.path(), &["clean", "--cache-dir", "cache"])
        .success()
        .stderr(predicate::str::contains("removed"));
    assert!(!temp.path().join("cache").exists());
}

#[test]
fn a_cache_dir_holding_sources_gets_no_gitignore() {
    let temp = proj(&[("app/u.py", "from app import Manager\n")]);
    for _ in 0..2 {
        run(temp.path(), &["check", "--cache-dir", "app", "--format", "concise"])
            .code(1)
            .stderr(predicate::str::contains("not an ssot-lint cache directory"));
    }
    assert!(!temp.path().join("app/.gitignore").exists());
    assert!(!temp.path().join("app/CACHEDIR.TAG").exists());
}

#[test]
fn a_different_build_does_not_serve_cached_findings() {
    let temp = proj(&[("app/u.py", "from app import Manager\n")]);
    let binary = assert_cmd::cargo::cargo_bin("ssot-lint");
    let bytes = std::fs::read(&binary).expect("read binary");
    let (old, new) = (b" must be imported from ".as_slice(), b" MUST be imported from ".as_slice());
    let at = bytes.windows(old.len()).position(|window| window == old).expect("message in the binary");
    let mut patched = bytes.clone();
    patched[at..at + old.len()].copy_from_slice(new);
    let patched_path = temp.path().join("patched-ssot-lint");
    std::fs::write(&patched_path, patched).expect("write patched");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&patched_path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    run(temp.path(), &["check", "--format", "concise"]).code(1);
    std::thread::sleep(Duration::from_millis(2100));
    run(temp.path(), &["check", "--format", "concise"]).code(1);
    let output = StdCommand::new(&patched_path)
        .args(["check", "--format", "concise"])
        .current_dir(temp.path())
        .output()
        .expect("run patched");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("MUST be imported from"), "the new build's message: {stdout}");
}

#[test]
fn output_refuses_a_linted_source_the_config_and_the_baseline() {
    let temp = proj(&[("app/u.py", "from app import Manager\nprint(\"important code\")\n")]);
    run(temp.path(), &["check", "--no-cache", "--format", "json", "--output", "app/u.py"])
        .code(2)
        .stderr(predicate::str::contains("refusing to write the report to app/u.py"))
        .stderr(predicate::str::contains("a linted source file"));
    assert!(read(temp.path(), "app/u.py").contains("important code"));
    run(temp.path(), &["check", "--no-cache", "-o", "ssot-lint.toml"])
        .code(2)
        .stderr(predicate::str::contains("a config file of"));
    run(temp.path(), &["baseline", "--no-cache", "--output", "base.json"]).success();
    run(temp.path(), &["check", "--no-cache", "--baseline", "base.json", "-o", "./base.json"])
        .code(2)
        .stderr(predicate::str::contains("the --baseline file"));
    run(temp.path(), &["counts", "--no-cache", "-o", "app/u.py"]).code(2);
    run(temp.path(), &["baseline", "--no-cache", "--output", "app/u.py"]).code(2);
    assert!(read(temp.path(), "app/u.py").contains("important code"));
    // Any other file is fine.
    run(temp.path(), &["check", "--no-cache", "-o", "report.txt"]).code(1);
    assert!(read(temp.path(), "report.txt").contains("non-canonical-import"));
}

#[cfg(target_os = "linux")]
#[test]
fn fix_does_not_lose_an_edit_made_while_it_writes() {
    if !has("strace") {
        eprintln!("skipped: needs strace to widen the race window");
        return;
    }
    let temp = proj(&[("app/u.py", "from app import Manager\nx = 1\n")]);
    let binary = assert_cmd::cargo::cargo_bin("ssot-lint");
    let child = StdCommand::new("strace")
        .args(["-f", "-qq", "-o", "/dev/null", "-e", "trace=fsync,fdatasync"])
        .args(["-e", "inject=fsync,fdatasync:delay_exit=1500000"])
        .arg(&binary)
        .args(["fix", "--no-cache", "--jobs", "1"])
        .current_dir(temp.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("strace");
    std::thread::sleep(Duration::from_millis(800));
    let mut text = read(temp.path(), "app/u.py");
    text.push_str("# user edit made while fix was running\n");
    write(temp.path(), "app/u.py", &text);
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(read(temp.path(), "app/u.py").contains("user edit"), "edit lost; fix said: {stderr}");
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("the file changed while it was being fixed"), "{stderr}");
}

// ------------------------------------------------------------------ the dirty-tree guard

#[test]
fn fix_refuses_a_dirty_file_in_a_submodule() {
    let outer = tempfile::tempdir().expect("temp");
    let sub = outer.path().join("s");
    write(&sub, "s.py", "x = 1\n");
    git(&sub, &["init", "-q"]);
    git(&sub, &["add", "-A"]);
    git(&sub, &["commit", "-qm", "s"]);
    let temp = proj(&[]);
    git(temp.path(), &["init", "-q"]);
    git(temp.path(), &["submodule", "add", "-q", sub.to_str().expect("utf-8"), "sub"]);
    git(temp.path(), &["add", "-A"]);
    git(temp.path(), &["commit", "-qm", "init"]);
    write(temp.path(), "sub/s.py", "from app import Manager\n");
    run(temp.path(), &["fix", "--no-cache", "sub/s.py"])
        .code(2)
        .stderr(predicate::str::contains("error: sub/s.py has uncommitted changes"));
    assert_eq!(read(temp.path(), "sub/s.py"), "from app import Manager\n");
}

#[test]
fn fix_refuses_ignored_and_untracked_files() {
    let temp = proj(&[(".gitignore", "gen/\n")]);
    git(temp.path(), &["init", "-q"]);
    git(temp.path(), &["add", "-A"]);
    git(temp.path(), &["commit", "-qm", "i"]);
    write(temp.path(), "gen/g.py", "from app import Manager\n");
    run(temp.path(), &["fix", "--no-cache", "gen/g.py"])
        .code(2)
        .stderr(predicate::str::contains("error: gen/g.py has uncommitted changes"));
    assert_eq!(read(temp.path(), "gen/g.py"), "from app import Manager\n");
    run(temp.path(), &["fix", "--no-cache", "--allow-dirty", "gen/g.py"]).success();
    assert!(read(temp.path(), "gen/g.py").contains("app.core.manager"));
}

#[test]
fn fix_takes_pathspec_magic_literally() {
    let temp = proj(&[("app/clean.py", "from app import Manager\n")]);
    git(temp.path(), &["init", "-q"]);
    git(temp.path(), &["add", "-A"]);
    git(temp.path(), &["commit", "-qm", "i"]);
    write(temp.path(), ":!y.py", "from app import Manager\n");
    run(temp.path(), &["fix", "--no-cache", ":!y.py", "app/clean.py"])
        .code(2)
        .stderr(predicate::str::contains("error: :!y.py has uncommitted changes"));
    assert_eq!(read(temp.path(), ":!y.py"), "from app import Manager\n");
    assert_eq!(read(temp.path(), "app/clean.py"), "from app import Manager\n", "nothing written");
}

#[cfg(unix)]
#[test]
fn a_path_outside_any_repository_does_not_disable_the_guard() {
    let outside = tempfile::tempdir().expect("temp");
    write(outside.path(), "ext.py", "from app import Manager\n");
    let temp = proj(&[("app/dirty.py", "x = 1\n")]);
    std::os::unix::fs::symlink(outside.path().join("ext.py"), temp.path().join("app/extlink.py"))
        .expect("symlink");
    git(temp.path(), &["init", "-q"]);
    git(temp.path(), &["add", "-A"]);
    git(temp.path(), &["commit", "-qm", "init"]);
    write(temp.path(), "app/dirty.py", "from app import Manager\n");
    run(temp.path(), &["fix", "--no-cache", "app/dirty.py", "app/extlink.py"])
        .code(2)
        .stderr(predicate::str::contains("error: app/dirty.py has uncommitted changes"))
        .stderr(predicate::str::contains("writing anyway: app/extlink.py\n"));
    assert_eq!(read(temp.path(), "app/dirty.py"), "from app import Manager\n");
}

// ------------------------------------------------------------------ fix writes working code

#[test]
fn fix_never_splits_into_a_continued_compound_header() {
    let temp = proj(&[("app/bsif.py", "if True: \\\n    from app import Manager, x\n")]);
    run(temp.path(), &["fix", "--no-cache", "--allow-dirty"]).success();
    assert_eq!(
        read(temp.path(), "app/bsif.py"),
        "if True: \\\n    from app.core.manager import Manager; from app import x\n"
    );
    if has("python3") {
        let compiled = StdCommand::new("python3")
            .args(["-m", "py_compile", "app/bsif.py"])
            .current_dir(temp.path())
            .output()
            .expect("python3");
        assert!(compiled.status.success(), "{}", String::from_utf8_lossy(&compiled.stderr));
    }
}

#[test]
fn fix_leaves_a_submodule_import_alone() {
    let config = format!("{CONFIG}\n[[registry]]\nsymbol = \"utils\"\nmodule = \"app.common\"\n");
    let temp = proj(&[
        ("app/common.py", "def utils():\n    pass\n"),
        ("app/utils.py", "X = 1\n"),
        ("app/f.py", "from app import utils\nprint(utils.X)\n"),
    ]);
    write(temp.path(), "ssot-lint.toml", config);
    run(temp.path(), &["fix", "--no-cache", "--allow-dirty"]).success().stderr(predicate::str::contains(
        "cannot fix utils: app.utils is a module, not the registry symbol utils",
    ));
    assert_eq!(read(temp.path(), "app/f.py"), "from app import utils\nprint(utils.X)\n");
}

#[test]
fn fix_never_moves_a_name_to_a_module_that_does_not_provide_it() {
    let config = "[[registry]]\nsymbol = \"URLPattern\"\nmodule = \"httpx._urls\"\n\n\
                  [[registry]]\nsymbol = \"Client\"\nmodule = \"httpx._client\"\n";
    let temp = project(
        config,
        &[
            ("httpx/__init__.py", "from ._utils import URLPattern\nfrom ._client import Client\n"),
            ("httpx/_urls.py", "class URL: ...\n"),
            ("httpx/_utils.py", "class URLPattern: ...\n"),
            ("httpx/_client.py", "class Client: ...\n"),
            ("use.py", "from httpx import URLPattern, Client\n"),
        ],
    );
    run(temp.path(), &["fix", "--no-cache", "--allow-dirty"]).success().stderr(predicate::str::contains(
        "its registry module httpx._urls does not define, import or assign URLPattern",
    ));
    assert_eq!(
        read(temp.path(), "use.py"),
        "from httpx import URLPattern\nfrom httpx._client import Client\n"
    );
}

#[cfg(unix)]
#[test]
fn fix_refuses_a_read_only_file() {
    use std::os::unix::fs::PermissionsExt;
    let temp = proj(&[("app/ro.py", "from app import Manager\n")]);
    let file = temp.path().join("app/ro.py");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    run(temp.path(), &["fix", "--no-cache", "--allow-dirty"])
        .code(2)
        .stderr(predicate::str::contains("app/ro.py: the file is read-only"));
    assert_eq!(read(temp.path(), "app/ro.py"), "from app import Manager\n");
    assert_eq!(std::fs::metadata(&file).expect("stat").permissions().mode() & 0o777, 0o444);
}

#[cfg(unix)]
#[test]
fn fix_keeps_owner_group_and_mode() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let temp = proj(&[("app/own.py", "from app import Manager\n")]);
    let file = temp.path().join("app/own.py");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let owner = if is_root() {
        std::os::unix::fs::chown(&file, Some(65534), Some(65534)).expect("chown");
        (65534, 65534)
    } else {
        let metadata = std::fs::metadata(&file).expect("stat");
        (metadata.uid(), metadata.gid())
    };
    run(temp.path(), &["fix", "--no-cache", "--allow-dirty"]).success();
    let metadata = std::fs::metadata(&file).expect("stat");
    assert!(read(temp.path(), "app/own.py").contains("app.core.manager"));
    assert_eq!((metadata.uid(), metadata.gid()), owner);
    assert_eq!(metadata.permissions().mode() & 0o777, 0o640);
}

#[cfg(unix)]
#[test]
fn fix_handles_a_non_utf8_file_name() {
    let temp =
        project("[[registry]]\nsymbol = \"Manager\"\nmodule = \"app.core\"\n", &[("app/__init__.py", "")]);
    write(temp.path(), "app/core.py", "class Manager: ...\n");
    let name = os(b"app/r\xff.py");
    write(temp.path(), &name, "from app import Manager\n");
    run(temp.path(), &["fix", "--no-cache", "--allow-dirty"]).success();
    assert_eq!(read(temp.path(), &name), "from app.core import Manager\n");
}

#[test]
fn fix_diff_headers_are_quoted_so_git_apply_and_patch_accept_them() {
    let temp = proj(&[
        ("app/with space.py", "from app import Manager\n"),
        ("app/tab\tx.py", "from app import Manager\n"),
    ]);
    git(temp.path(), &["init", "-q"]);
    git(temp.path(), &["add", "-A"]);
    git(temp.path(), &["commit", "-qm", "i"]);
    for file in ["app/with space.py", "app/tab\tx.py"] {
        let output = ssot_lint()
            .current_dir(temp.path())
            .args(["fix", "--dry-run", "--no-cache", file])
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(1));
        let diff = temp.path().join("d.diff");
        std::fs::write(&diff, &output.stdout).expect("write diff");
        let text = String::from_utf8_lossy(&output.stdout);
        if file.contains('\t') {
            assert!(text.contains("--- \"a/app/tab\\tx.py\"\n"), "{text}");
        } else {
            assert!(text.contains("--- a/app/with space.py\t\n"), "{text}");
        }
        let applied = StdCommand::new("git")
            .args(["apply", "--check"])
            .arg(&diff)
            .current_dir(temp.path())
            .output()
            .expect("git apply");
        assert!(applied.status.success(), "git apply: {}", String::from_utf8_lossy(&applied.stderr));
        if has("patch") {
            let patched = StdCommand::new("sh")
                .args(["-c", "patch -p1 --dry-run < d.diff"])
                .current_dir(temp.path())
                .output()
                .expect("patch");
            assert!(patched.status.success(), "patch: {}", String::from_utf8_lossy(&patched.stdout));
        }
    }
}

#[test]
fn config_module_names_must_be_python_module_names() {
    for (module, why) in [
        ("app.class", "keyword in a module path"),
        ("app.1x", "`1x` is not an identifier"),
        ("app..x", "an empty segment"),
        ("app.x-y", "`x-y` is not an identifier"),
    ] {
        let config = format!("[[registry]]\nsymbol = \"Manager\"\nmodule = \"{module}\"\n");
        let temp = project(&config, &[("app/__init__.py", ""), ("app/u.py", "from app import Manager\n")]);
        run(temp.path(), &["check", "--no-cache"])
            .code(2)
            .stderr(predicate::str::contains("ssot-lint.toml:3:10:"))
            .stderr(predicate::str::contains(why));
    }
    let temp = project("[[deprecated-module]]\nmodule = \"app.import\"\n", &[("app/__init__.py", "")]);
    run(temp.path(), &["check", "--no-cache"])
        .code(2)
        .stderr(predicate::str::contains("keyword in a module path"));
    // Soft keywords are names.
    let temp =
        project("[[registry]]\nsymbol = \"M\"\nmodule = \"app.match.type\"\n", &[("app/__init__.py", "")]);
    run(temp.path(), &["check", "--no-cache", "--exit-zero"]).success();
}

// ------------------------------------------------------------------ no finding lost to a path

#[cfg(unix)]
#[test]
fn a_backslash_in_a_name_is_not_a_separator() {
    let temp =
        project("[[registry]]\nsymbol = \"Manager\"\nmodule = \"app.core\"\n", &[("app/__init__.py", "")]);
    write(temp.path(), "app/back\\slash.py", "from app import Manager\n");
    write(temp.path(), "app/back/slash.py", "x = 1\n");
    run(temp.path(), &["check", "--no-cache", "--format", "concise", "app"])
        .code(1)
        .stdout(predicate::str::contains("app/back\\slash.py:1:17: non-canonical-import"));
}

#[cfg(unix)]
#[test]
fn non_utf8_names_do_not_collide() {
    let temp =
        project("[[registry]]\nsymbol = \"Manager\"\nmodule = \"app.core\"\n", &[("app/__init__.py", "")]);
    write(temp.path(), os(b"app/r\xff.py"), "from app import Manager\n");
    write(temp.path(), os(b"app/r\xfe.py"), "x = 1\n");
    run(temp.path(), &["check", "--no-cache", "--format", "concise", "app"])
        .code(1)
        .stdout(predicate::str::contains("app/r\\xff.py:1:17: non-canonical-import"));
    // The baseline records the escaped path; the next run matches it.
    run(temp.path(), &["baseline", "--no-cache"]).success();
    run(temp.path(), &["check", "--no-cache", "--baseline", ".ssot-lint-baseline.json", "app"]).success();
}

#[cfg(unix)]
#[test]
fn control_characters_in_names_cannot_inject_lines() {
    let temp = proj(&[]);
    write(temp.path(), "app/x\n::warning file=README.md::injected.py", "from app import Manager\n");
    for format in ["concise", "text", "github"] {
        let output = ssot_lint()
            .current_dir(temp.path())
            .args(["check", "--no-cache", "--format", format, "app"])
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(1));
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            !stdout.lines().any(|line| line.starts_with("::warning file=README.md")),
            "{format}: {stdout}"
        );
        assert!(stdout.contains("app/x\\x0a"), "{format}: {stdout}");
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_is_reported_under_its_own_path() {
    let outside = tempfile::tempdir().expect("temp");
    write(outside.path(), "ext.py", "from app import Manager\n");
    let temp = proj(&[]);
    std::os::unix::fs::symlink(outside.path().join("ext.py"), temp.path().join("app/extlink.py"))
        .expect("symlink");
    let report = check_json(temp.path(), &["app/extlink.py"]);
    assert_eq!(report["findings"][0]["path"], "app/extlink.py");
    let sarif = ssot_lint()
        .current_dir(temp.path())
        .args(["check", "--no-cache", "--format", "sarif", "app/extlink.py"])
        .output()
        .expect("run");
    let sarif: serde_json::Value = serde_json::from_slice(&sarif.stdout).expect("sarif");
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "app/extlink.py");
}

// ------------------------------------------------------------------ a config outside the tree

#[test]
fn a_config_named_with_config_applies_to_the_current_directory() {
    let org = tempfile::tempdir().expect("temp");
    write(
        org.path(),
        "ssot-lint.toml",
        "[[registry]]\nsymbol = \"Manager\"\nmodule = \"app.core.manager\"\n",
    );
    let temp = proj(&[("app/u.py", "from app import Manager\n")]);
    std::fs::remove_file(temp.path().join("ssot-lint.toml")).expect("rm");
    let config = org.path().join("ssot-lint.toml");
    let report = check_json(temp.path(), &["--config", config.to_str().expect("utf-8")]);
    let paths: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["path"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(paths, ["app/u.py"], "report paths relative to the cwd, module names from it: {report}");

    // `[project] root` (relative to the config file) names the root explicitly.
    write(
        org.path(),
        "elsewhere.toml",
        "[project]\nroot = \".\"\n[[registry]]\nsymbol = \"Manager\"\nmodule = \"app.core.manager\"\n",
    );
    let config = org.path().join("elsewhere.toml");
    run(
        temp.path(),
        &[
            "check",
            "--no-cache",
            "--format",
            "concise",
            "--config",
            config.to_str().expect("utf-8"),
            "app/u.py",
        ],
    )
    .stderr(predicate::str::contains("is outside the project root"));
}

#[test]
fn a_bad_project_root_is_a_config_error() {
    let temp = project("[project]\nroot = \"nope\"\n", &[("a.py", "x = 1\n")]);
    run(temp.path(), &["check", "--no-cache"])
        .code(2)
        .stderr(predicate::str::contains("ssot-lint.toml:2:8: project root"))
        .stderr(predicate::str::contains("is not a directory"));
}

// ------------------------------------------------------------------ Rust per-item recovery

#[test]
fn one_rust_item_syn_cannot_parse_does_not_hide_the_file() {
    let config = "[[registry]]\nsymbol = \"Manager\"\nmodule = \"app::core\"\n";
    let temp = project(
        config,
        &[
            ("Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\n"),
            ("src/lib.rs", "pub mod core;\npub mod sig;\n"),
            ("src/core.rs", "pub struct Manager;\n"),
            (
                "src/sig.rs",
                "use crate::legacy::Manager;\ntype Action = Fn(&siginfo_t) + Send + Sync;\nfn broken() -> {}\nuse crate::old::Manager as M;\n",
            ),
        ],
    );
    let report = check_json(temp.path(), &["--ignore", "stale-registry"]);
    let found: Vec<(String, u64)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| (f["rule"].as_str().unwrap_or("").to_string(), f["line"].as_u64().unwrap_or(0)))
        .collect();
    assert_eq!(
        found,
        [
            ("non-canonical-import".to_string(), 1),
            ("syntax-error".to_string(), 3),
            ("non-canonical-import".to_string(), 4)
        ],
        "{report}"
    );
}

// ------------------------------------------------------------------ config reading safety

#[cfg(target_os = "linux")]
#[test]
fn extend_never_reads_proc_sys_or_dev() {
    let temp = proj(&[]);
    write(temp.path(), "evil.toml", "[project]\nextend = [\"/proc/self/environ\"]\n");
    ssot_lint()
        .current_dir(temp.path())
        .args(["check", "--no-cache", "--config", "evil.toml"])
        .env("SSOT_SECRET_CANARY", "s3cr3t-value-42")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("under /proc, /sys or /dev"))
        .stderr(predicate::str::contains("s3cr3t").not());
    write(temp.path(), "dev.toml", "[project]\nextend = [\"../../../../../../dev/zero\"]\n");
    run(temp.path(), &["check", "--no-cache", "--config", "dev.toml"]).code(2);
}

#[test]
fn extend_stays_in_the_project_unless_absolute() {
    let outside = tempfile::tempdir().expect("temp");
    write(outside.path(), "pack.toml", "[[registry]]\nsymbol = \"X\"\nmodule = \"app.x\"\n");
    let temp = proj(&[]);
    let relative = pathdiff(temp.path(), &outside.path().join("pack.toml"));
    write(temp.path(), "ssot-lint.toml", format!("[project]\nextend = [\"{relative}\"]\n"));
    run(temp.path(), &["check", "--no-cache"])
        .code(2)
        .stderr(predicate::str::contains("outside the project root and its repository"));
    let absolute = outside.path().join("pack.toml");
    write(temp.path(), "ssot-lint.toml", format!("[project]\nextend = [\"{}\"]\n", absolute.display()));
    run(temp.path(), &["check", "--no-cache", "--exit-zero"]).success();
}

/// `to` written relative to `from` with `..` segments.
fn pathdiff(from: &Path, to: &Path) -> String {
    let from = from.canonicalize().expect("canonical");
    let to = to.canonicalize().expect("canonical");
    let common = from.ancestors().find(|ancestor| to.starts_with(ancestor)).expect("common ancestor");
    let ups = from.strip_prefix(common).expect("prefix").components().count();
    let mut out = "../".repeat(ups);
    out.push_str(&to.strip_prefix(common).expect("prefix").to_string_lossy());
    out
}

#[test]
fn an_error_in_a_file_that_is_not_toml_shows_only_a_little_of_it() {
    let temp = proj(&[]);
    let secret_line = format!("A=1\0SECRET_ONE=hunter2\0{}\0SECRET_TWO=tiger\0", "B=2\0".repeat(500));
    write(temp.path(), "pack.toml", &secret_line);
    write(temp.path(), "ssot-lint.toml", "[project]\nextend = [\"pack.toml\"]\n");
    let output = ssot_lint().current_dir(temp.path()).args(["check", "--no-cache"]).output().expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("pack.toml:1:"), "{stderr}");
    assert!(!stderr.contains("SECRET_TWO"), "the snippet is cut near the error: {stderr}");
    assert!(stderr.len() < 2000, "{stderr}");
}

// ------------------------------------------------------------------ caches and baselines

#[test]
fn baseline_update_drops_entries_of_deleted_files() {
    let temp =
        proj(&[("app/u1.py", "from app import Manager\n"), ("app/u2.py", "from app import Manager\n")]);
    run(temp.path(), &["baseline", "--no-cache", "--output", "base.json"]).success();
    assert!(read(temp.path(), "base.json").contains("\"app/u2.py\""));
    std::fs::rename(temp.path().join("app/u2.py"), temp.path().join("app/renamed.py")).expect("mv");
    run(temp.path(), &["baseline", "--no-cache", "--allow-new", "--update", "base.json"])
        .success()
        .stderr(predicate::str::contains("(removed 1 fixed, added 1 new)"));
    let text = read(temp.path(), "base.json");
    assert!(!text.contains("\"app/u2.py\""), "{text}");
    assert!(text.contains("\"app/renamed.py\"") && text.contains("\"app/u1.py\""), "{text}");
}

#[cfg(unix)]
#[test]
fn baseline_files_get_the_umask_mode_and_update_keeps_it() {
    use std::os::unix::fs::PermissionsExt;
    let temp = proj(&[("app/u.py", "from app import Manager\n")]);
    let binary = assert_cmd::cargo::cargo_bin("ssot-lint");
    let status = StdCommand::new("sh")
        .args(["-c", "umask 022 && exec \"$0\" baseline --no-cache --output base.json"])
        .arg(&binary)
        .current_dir(temp.path())
        .status()
        .expect("sh");
    assert!(status.success());
    let mode =
        |temp: &Path| std::fs::metadata(temp.join("base.json")).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode(temp.path()), 0o644);
    std::fs::set_permissions(temp.path().join("base.json"), std::fs::Permissions::from_mode(0o664))
        .expect("chmod");
    run(temp.path(), &["baseline", "--no-cache", "--update", "base.json"]).success();
    assert_eq!(mode(temp.path()), 0o664);
}

#[test]
fn counts_lists_phases_in_declared_order() {
    let config =
        "[[phase]]\nid = 2\nname = \"declared-first\"\n[[phase]]\nid = 1\nname = \"declared-second\"\n\
                  [[registry]]\nsymbol = \"M\"\nmodule = \"app\"\nphase = 1\n";
    let temp = project(config, &[("app/__init__.py", "")]);
    let output = ssot_lint().current_dir(temp.path()).args(["counts", "--no-cache"]).output().expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let first_column: Vec<&str> =
        stdout.lines().skip(1).filter_map(|line| line.split_whitespace().next()).take(2).collect();
    assert_eq!(first_column, ["2", "1"], "{stdout}");
}

// ------------------------------------------------------------------ scale without surprises

#[test]
fn jobs_is_capped() {
    let temp = proj(&[("app/u.py", "from app import Manager\n")]);
    let started = Instant::now();
    run(temp.path(), &["check", "--no-cache", "--jobs", "20000", "-o", "report.txt"])
        .code(1)
        .stderr(predicate::str::contains("--jobs is capped at 256 threads"));
    assert!(started.elapsed() < Duration::from_secs(30), "{:?}", started.elapsed());
    run(temp.path(), &["check", "--help"]).success().stdout(predicate::str::contains("at most 256"));
}

#[test]
fn many_stale_registry_entries_cost_linear_time() {
    let mut config = String::new();
    for index in 0..10_000 {
        config.push_str(&format!(
            "[[registry]]\nsymbol = \"Sym{index}\"\nmodule = \"app.mod{}\"\n\n",
            index % 500
        ));
    }
    let temp = project(&config, &[("app/__init__.py", ""), ("app/a.py", "x = 1\n")]);
    let started = Instant::now();
    let output = ssot_lint()
        .current_dir(temp.path())
        .args(["check", "--no-cache", "--exit-zero", "--format", "json", "-o", "report.json"])
        .output()
        .expect("run");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let elapsed = started.elapsed();
    let report: serde_json::Value = serde_json::from_str(&read(temp.path(), "report.json")).expect("json");
    assert_eq!(report["summary"]["by_rule"]["stale-registry"], 10_000);
    assert!(elapsed < Duration::from_secs(30), "10k stale-registry findings took {elapsed:?}");
}

#[test]
fn many_findings_on_one_long_line_cost_linear_time() {
    let line = vec!["from app import Manager"; 10_000].join("; ") + "\n";
    let temp = project(
        "[[registry]]\nsymbol = \"Manager\"\nmodule = \"app.core\"\n",
        &[("app/__init__.py", ""), ("app/one.py", &line)],
    );
    let started = Instant::now();
    let output = ssot_lint()
        .current_dir(temp.path())
        .args(["check", "--no-cache", "--format", "json", "-o", "report.json", "app/one.py"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let elapsed = started.elapsed();
    let report: serde_json::Value = serde_json::from_str(&read(temp.path(), "report.json")).expect("json");
    assert_eq!(report["summary"]["by_rule"]["non-canonical-import"], 10_000);
    let fingerprints: std::collections::HashSet<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["fingerprint"].as_str())
        .collect();
    assert_eq!(fingerprints.len(), 10_000, "fingerprints stay distinct");
    assert!(elapsed < Duration::from_secs(30), "took {elapsed:?}");
}
