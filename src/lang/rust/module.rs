//! Module names of Rust files: `crate_name::path::to::module`.
//!
//! The crate is the nearest `Cargo.toml` above the file (at or below the project root when the
//! file is inside it): its `[lib] name`, else its `[package] name` with `-` turned into `_`.
//! Inside the crate, Cargo's layout decides:
//!
//! | file (relative to the crate)            | module                        |
//! |-----------------------------------------|-------------------------------|
//! | `src/lib.rs`, `src/main.rs`             | `crate_name`                  |
//! | `src/a/b.rs`, `src/a/b/mod.rs`          | `crate_name::a::b`            |
//! | `src/bin/tool.rs`, `src/bin/tool/main.rs` | `tool` (its own crate)      |
//! | `tests/it.rs`, `examples/demo.rs`, `benches/b.rs` | `it`, `demo`, `b`   |
//! | `tests/common/mod.rs`                   | `common`                      |
//! | `build.rs`                              | `build_script_build`          |
//!
//! A file with no `Cargo.toml` above it, or whose manifest names no package, is named from its
//! path relative to the project root the same way (`tools/gen.rs` → `tools::gen`).

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
struct Manifest {
    package: Option<NameTable>,
    lib: Option<NameTable>,
}

#[derive(Debug, Default, Deserialize)]
struct NameTable {
    name: Option<String>,
}

/// The crate a file belongs to: its manifest's names.
#[derive(Clone, Debug, PartialEq, Eq)]
struct CrateInfo {
    package: String,
    lib: String,
}

/// The module name of the Rust file at `rel_path` (relative to `root`, `/`-separated).
pub fn module_name(root: &Path, rel_path: &str) -> String {
    let file = root.join(rel_path);
    match find_crate(root, &file) {
        Some((crate_dir, info)) => {
            let within = file.strip_prefix(&crate_dir).unwrap_or(&file).to_string_lossy().replace('\\', "/");
            crate_module(&info, &within)
        }
        None => path_module(&segments(rel_path)),
    }
}

/// The nearest folder above `file` whose `Cargo.toml` names a package. Inside the project the
/// search stops at the root; a file given outside it searches up to the filesystem root.
fn find_crate(root: &Path, file: &Path) -> Option<(PathBuf, CrateInfo)> {
    let inside = file.starts_with(root);
    for dir in file.ancestors().skip(1) {
        if let Some(info) = read_manifest(&dir.join("Cargo.toml")) {
            return Some((dir.to_path_buf(), info));
        }
        if inside && dir == root {
            break;
        }
    }
    None
}

/// A manifest's size and modification time: a memoized read stands while these do.
type Stamp = (u64, Option<std::time::SystemTime>);

thread_local! {
    /// Manifests already read on this thread: every file of a crate looks up the same
    /// Cargo.toml, which is then read and parsed once per thread rather than once per file.
    static MANIFESTS: RefCell<HashMap<PathBuf, (Stamp, Option<CrateInfo>)>> = RefCell::new(HashMap::new());
}

/// The names in a manifest; `None` when it is missing, unreadable, not TOML or has no package
/// (a virtual workspace manifest): then the file is not in this crate.
fn read_manifest(path: &Path) -> Option<CrateInfo> {
    let metadata = std::fs::metadata(path).ok()?;
    let stamp = (metadata.len(), metadata.modified().ok());
    let known = MANIFESTS.with(|memo| memo.borrow().get(path).filter(|(seen, _)| *seen == stamp).cloned());
    if let Some((_, info)) = known {
        return info;
    }
    let info = parse_manifest(path);
    MANIFESTS.with(|memo| memo.borrow_mut().insert(path.to_path_buf(), (stamp, info.clone())));
    info
}

/// `module_name` for a file that is not on disk (a blob of a git commit, for `trend`): the
/// manifests are read through `manifest(dir)`, the text of `dir/Cargo.toml` (`dir` relative to
/// the project root, `""` for the root itself), searched upwards to the root as `module_name` does.
pub fn module_name_with(rel_path: &str, manifest: impl Fn(&str) -> Option<String>) -> String {
    let mut dir = rel_path;
    while let Some(slash) = dir.rfind('/').or((!dir.is_empty()).then_some(0)) {
        dir = &dir[..slash];
        if let Some(info) = manifest(dir).as_deref().and_then(parse_manifest_text) {
            let within = if dir.is_empty() { rel_path } else { &rel_path[dir.len() + 1..] };
            return crate_module(&info, within);
        }
    }
    path_module(&segments(rel_path))
}

fn parse_manifest(path: &Path) -> Option<CrateInfo> {
    parse_manifest_text(&std::fs::read_to_string(path).ok()?)
}

fn parse_manifest_text(text: &str) -> Option<CrateInfo> {
    let manifest: Manifest = toml::from_str(text).ok()?;
    let package = crate_ident(&manifest.package?.name?);
    let lib =
        manifest.lib.and_then(|lib| lib.name).map_or_else(|| package.clone(), |name| crate_ident(&name));
    Some(CrateInfo { package, lib })
}

/// A package or target name as Rust code spells it: `-` becomes `_`.
fn crate_ident(name: &str) -> String {
    name.replace('-', "_")
}

fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|segment| !segment.is_empty() && *segment != ".").collect()
}

/// The module of a file given its path inside its crate.
fn crate_module(info: &CrateInfo, within: &str) -> String {
    let parts = segments(within);
    match parts.as_slice() {
        ["src", "main.rs"] => info.package.clone(),
        ["src", "bin", rest @ ..] | ["tests" | "examples" | "benches", rest @ ..] => target_module(rest),
        ["src", rest @ ..] => prefixed(&info.lib, rest),
        ["build.rs"] => "build_script_build".to_string(),
        _ => prefixed(&info.package, &parts),
    }
}

/// A target whose crate is named after its file (`tool.rs` → `tool`) or folder
/// (`tool/main.rs` → `tool`, `tool/x.rs` → `tool::x`).
fn target_module(rest: &[&str]) -> String {
    match rest {
        [] => String::new(),
        [file] => crate_ident(file.strip_suffix(".rs").unwrap_or(file)),
        [folder, inner @ ..] => prefixed(&crate_ident(folder), inner),
    }
}

fn prefixed(crate_name: &str, rest: &[&str]) -> String {
    let module = path_module(rest);
    if module.is_empty() {
        crate_name.to_string()
    } else if crate_name.is_empty() {
        module
    } else {
        format!("{crate_name}::{module}")
    }
}

/// `a/b.rs` → `a::b`; a trailing `mod.rs`, `lib.rs` or `main.rs` names its folder.
fn path_module(parts: &[&str]) -> String {
    let Some((file, folders)) = parts.split_last() else {
        return String::new();
    };
    let stem = file.strip_suffix(".rs").unwrap_or(file);
    let mut names: Vec<&str> = folders.to_vec();
    if !matches!(stem, "mod" | "lib" | "main") {
        names.push(stem);
    }
    names.join("::")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
        let temp = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = temp.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        temp
    }

    const PACKAGE: &str = "[package]\nname = \"chat-core\"\nversion = \"0.1.0\"\n";

    #[test]
    fn module_names_from_manifests_not_on_disk_match_those_on_disk() {
        let files = [
            ("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n"),
            ("crates/core/Cargo.toml", PACKAGE),
            ("crates/io/Cargo.toml", "[package]\nname = \"io\"\n[lib]\nname = \"chat_io\"\n"),
        ];
        let temp = project(&files);
        let manifest = |dir: &str| {
            let path = if dir.is_empty() { "Cargo.toml".to_string() } else { format!("{dir}/Cargo.toml") };
            files.iter().find(|(name, _)| *name == path).map(|(_, text)| text.to_string())
        };
        for path in [
            "crates/core/src/lib.rs",
            "crates/core/src/a/b.rs",
            "crates/io/src/x.rs",
            "tools/gen.rs",
            "build.rs",
            "x.rs",
        ] {
            assert_eq!(module_name_with(path, manifest), module_name(temp.path(), path), "{path}");
        }
    }

    #[test]
    fn files_under_src_are_modules_of_the_package() {
        let temp = project(&[("Cargo.toml", PACKAGE)]);
        let name = |path| module_name(temp.path(), path);
        assert_eq!(name("src/lib.rs"), "chat_core");
        assert_eq!(name("src/main.rs"), "chat_core");
        assert_eq!(name("src/ws/manager.rs"), "chat_core::ws::manager");
        assert_eq!(name("src/ws/mod.rs"), "chat_core::ws");
        assert_eq!(name("src/ws.rs"), "chat_core::ws");
    }

    #[test]
    fn bins_tests_examples_and_build_scripts_are_their_own_crates() {
        let temp = project(&[("Cargo.toml", PACKAGE)]);
        let name = |path| module_name(temp.path(), path);
        assert_eq!(name("src/bin/load-test.rs"), "load_test");
        assert_eq!(name("src/bin/tool/main.rs"), "tool");
        assert_eq!(name("src/bin/tool/args.rs"), "tool::args");
        assert_eq!(name("tests/smoke.rs"), "smoke");
        assert_eq!(name("tests/common/mod.rs"), "common");
        assert_eq!(name("examples/demo.rs"), "demo");
        assert_eq!(name("build.rs"), "build_script_build");
    }

    #[test]
    fn the_nearest_manifest_wins_and_lib_name_overrides_the_package() {
        let temp = project(&[
            ("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n"),
            ("crates/ws-server/Cargo.toml", "[package]\nname = \"ws-server\"\n[lib]\nname = \"wss\"\n"),
            ("crates/ids/Cargo.toml", "[package]\nname = \"ids\"\n"),
        ]);
        let name = |path| module_name(temp.path(), path);
        assert_eq!(name("crates/ws-server/src/lib.rs"), "wss");
        assert_eq!(name("crates/ws-server/src/conn.rs"), "wss::conn");
        assert_eq!(name("crates/ws-server/src/main.rs"), "ws_server");
        assert_eq!(name("crates/ids/src/user.rs"), "ids::user");
        // The workspace manifest has no package: a file outside every crate is named by path.
        assert_eq!(name("tools/gen.rs"), "tools::gen");
    }

    #[test]
    fn an_edited_manifest_is_read_again() {
        let temp = project(&[("Cargo.toml", PACKAGE)]);
        assert_eq!(module_name(temp.path(), "src/a.rs"), "chat_core::a");
        std::fs::write(temp.path().join("Cargo.toml"), "[package]\nname = \"renamed-crate\"\n").unwrap();
        assert_eq!(module_name(temp.path(), "src/a.rs"), "renamed_crate::a");
    }

    #[test]
    fn broken_or_missing_manifests_fall_back_to_the_path() {
        let temp = project(&[("svc/Cargo.toml", "[package\nname = "), ("lone/Cargo.toml", "[package]\n")]);
        let name = |path| module_name(temp.path(), path);
        assert_eq!(name("svc/src/lib.rs"), "svc::src");
        assert_eq!(name("lone/src/a.rs"), "lone::src::a");
        assert_eq!(name("main.rs"), "");
        assert_eq!(name("mod.rs"), "");
        assert_eq!(name("a/b/mod.rs"), "a::b");
    }
}
