//! Which files to lint: explicit files as given, directories walked honouring ignore files,
//! hidden-file rules, `include` and `exclude`. The result is sorted and deduplicated, so the
//! rest of the run never depends on directory order.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::{Error, Result};

/// One file to lint.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileEntry {
    /// Path relative to the project root, `/`-separated (or as given when outside the root).
    pub rel_path: String,
    /// Path to open.
    pub path: PathBuf,
}

#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    /// Apply `exclude` to explicitly named files too.
    pub force_exclude: bool,
    pub follow_links: bool,
}

pub fn collect(
    config: &Config,
    cwd: &Path,
    paths: &[PathBuf],
    options: &WalkOptions,
) -> Result<Vec<FileEntry>> {
    let mut files = Vec::new();
    for given in paths {
        let path = if given.is_absolute() { given.clone() } else { cwd.join(given) };
        let metadata = std::fs::metadata(&path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => Error::usage(format!("path {} does not exist", given.display())),
            _ => Error::Read { path: given.clone(), source },
        })?;
        let path = path.canonicalize().unwrap_or(path);
        if metadata.is_dir() {
            walk_directory(config, &path, options, &mut files);
        } else {
            let rel_path = relative_path(&config.root, &path);
            if !(options.force_exclude && config.exclude.is_match(&rel_path)) {
                files.push(FileEntry { rel_path, path });
            }
        }
    }
    files.sort();
    files.dedup_by(|a, b| a.rel_path == b.rel_path);
    Ok(files)
}

fn walk_directory(config: &Config, directory: &Path, options: &WalkOptions, files: &mut Vec<FileEntry>) {
    let root = config.root.clone();
    let exclude = config.exclude.clone();
    let walker = ignore::WalkBuilder::new(directory)
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .ignore(true)
        .parents(true)
        .require_git(false)
        .follow_links(options.follow_links)
        .filter_entry(move |entry| {
            let is_dir = entry.file_type().is_some_and(|kind| kind.is_dir());
            !(is_dir && entry.depth() > 0 && exclude.is_match(relative_path(&root, entry.path())))
        })
        .build();
    // Unreadable directories and broken links are not files we were asked to lint; the
    // walker's errors are skipped here (explicit paths were checked by the caller).
    for entry in walker.flatten() {
        if !entry.file_type().is_some_and(|kind| kind.is_file()) {
            continue;
        }
        let rel_path = relative_path(&config.root, entry.path());
        if config.include.is_match(&rel_path) && !config.exclude.is_match(&rel_path) {
            files.push(FileEntry { rel_path, path: entry.into_path() });
        }
    }
}

/// `path` relative to `root` with `/` separators; paths outside the root stay as they are.
pub fn relative_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let text = relative.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}

/// The module name of a file: for Python its path relative to the first import root
/// containing it; for Rust its crate and path inside it (`lang::rust::module_name`).
pub fn module_for(config: &Config, rel_path: &str) -> (String, bool) {
    if crate::lang::Language::of_path(rel_path) == crate::lang::Language::Rust {
        return (crate::lang::rust::module_name(&config.root, rel_path), false);
    }
    let under_root = config
        .roots
        .iter()
        .find_map(|root| {
            if root.is_empty() {
                Some(rel_path)
            } else {
                rel_path.strip_prefix(root.as_str()).and_then(|rest| rest.strip_prefix('/'))
            }
        })
        .unwrap_or(rel_path);
    crate::source::module_name(under_root)
}
