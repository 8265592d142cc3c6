//! Which files to lint: explicit files as given, directories walked honouring ignore files,
//! hidden-file rules, `include` and `exclude`. The result is sorted and deduplicated, so the
//! rest of the run never depends on directory order.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostic::{FileDiagnostic, Skipped};
use crate::error::{Error, Result};
use crate::language::Language;

/// One file to lint.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileEntry {
    /// Path relative to the project root, `/`-separated (or as given when outside the root).
    pub rel_path: String,
    /// Path to open.
    pub path: PathBuf,
    /// The language to read it as: decided once here, from its name (`Language::of_path`);
    /// the engine picks the front end from it.
    pub language: Language,
}

impl FileEntry {
    pub fn new(rel_path: String, path: PathBuf) -> Self {
        let language = Language::of_path(&rel_path);
        FileEntry { rel_path, path, language }
    }
}

#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    /// Apply `exclude` to explicitly named files too.
    pub force_exclude: bool,
    pub follow_links: bool,
}

/// The files to lint, and what the walk could not enter (unreadable directories, symlink loops).
#[derive(Debug, Default)]
pub struct Walked {
    pub files: Vec<FileEntry>,
    pub problems: Vec<Skipped>,
}

pub fn collect(config: &Config, cwd: &Path, paths: &[PathBuf], options: &WalkOptions) -> Result<Walked> {
    let mut walked = Walked::default();
    for given in paths {
        let path = if given.is_absolute() { given.clone() } else { cwd.join(given) };
        let metadata = std::fs::metadata(&path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => Error::usage(format!("path {} does not exist", given.display())),
            _ => Error::Read { path: given.clone(), source },
        })?;
        if metadata.is_dir() {
            let path = path.canonicalize().unwrap_or(path);
            walk_directory(config, &path, options, &mut walked);
        } else {
            // A symlink is reported under its own name: only its directory is resolved.
            let path = canonical_parent(path);
            let rel_path = relative_path(&config.root, &path);
            if !(options.force_exclude && config.exclude.is_match(&rel_path)) {
                walked.files.push(FileEntry::new(rel_path, path));
            }
        }
    }
    walked.files.sort();
    walked.files.dedup_by(|a, b| a.rel_path == b.rel_path);
    walked.problems.sort_by_cached_key(|problem| (problem.path.clone(), problem.reason.to_string()));
    walked.problems.dedup();
    Ok(walked)
}

fn walk_directory(config: &Config, directory: &Path, options: &WalkOptions, walked: &mut Walked) {
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
    // A directory the walk cannot enter may hold files to lint: it is reported, never
    // silently dropped. Symlinks are not followed unless --follow-links; FIFOs, sockets and
    // devices are not regular files and are passed over.
    for result in walker {
        let entry = match result {
            Ok(entry) => entry,
            Err(error) => {
                walked.problems.push(walk_problem(&config.root, &error));
                continue;
            }
        };
        if !entry.file_type().is_some_and(|kind| kind.is_file()) {
            continue;
        }
        let rel_path = relative_path(&config.root, entry.path());
        if config.include.is_match(&rel_path) && !config.exclude.is_match(&rel_path) {
            walked.files.push(FileEntry::new(rel_path, entry.into_path()));
        }
    }
}

/// A walk error as a skipped path with its reason.
fn walk_problem(root: &Path, error: &ignore::Error) -> Skipped {
    fn path_of(error: &ignore::Error) -> Option<&Path> {
        match error {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::Loop { child, .. } => Some(child),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => path_of(err),
            _ => None,
        }
    }
    fn reason_of(error: &ignore::Error) -> FileDiagnostic {
        match error {
            ignore::Error::WithPath { err, .. }
            | ignore::Error::WithDepth { err, .. }
            | ignore::Error::WithLineNumber { err, .. } => reason_of(err),
            ignore::Error::Loop { ancestor, .. } => FileDiagnostic::LinkLoop(ancestor.display().to_string()),
            other => FileDiagnostic::Walk(other.to_string()),
        }
    }
    let path = path_of(error).map(|path| relative_path(root, path)).unwrap_or_default();
    Skipped { path, reason: reason_of(error) }
}

/// `path` with its directory resolved (symlinks, `..`) and its file name as given.
fn canonical_parent(path: PathBuf) -> PathBuf {
    let resolved = match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => {
            let parent = if parent.as_os_str().is_empty() { Path::new(".") } else { parent };
            parent.canonicalize().ok().map(|parent| parent.join(name))
        }
        _ => None,
    };
    resolved.or_else(|| path.canonicalize().ok()).unwrap_or(path)
}

/// `path` relative to `root` with `/` separators; paths outside the root stay absolute.
///
/// The result is what reports show and what identifies a file in the run, so it is injective
/// and safe to print: a file name that is valid UTF-8 without control characters and without
/// `\x` is kept as is (a `\` in a Unix name is an ordinary character, not a separator);
/// any other name is escaped, `\` as `\\` and each invalid byte or control character's
/// bytes as `\xNN`. An escaped name always contains `\x` and a kept one never does, so two
/// distinct files never get the same path, and no name can start a new line of output.
pub(crate) fn relative_path(root: &Path, path: &Path) -> String {
    use std::path::Component;
    let relative = path.strip_prefix(root).unwrap_or(path);
    let mut out = String::new();
    for component in relative.components() {
        let part = match component {
            Component::CurDir => continue,
            Component::RootDir => {
                out.push('/');
                continue;
            }
            Component::Prefix(prefix) => escape_name(prefix.as_os_str()),
            Component::ParentDir => "..".into(),
            Component::Normal(name) => escape_name(name),
        };
        if !out.is_empty() && !out.ends_with('/') {
            out.push('/');
        }
        out.push_str(&part);
    }
    out
}

/// One path component for display (see `relative_path`).
pub(crate) fn escape_name(name: &std::ffi::OsStr) -> std::borrow::Cow<'_, str> {
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(name);
    #[cfg(not(unix))]
    let lossy = name.to_string_lossy();
    #[cfg(not(unix))]
    let bytes = lossy.as_bytes();
    if let Ok(text) = std::str::from_utf8(bytes) {
        if !text.contains("\\x") && !text.chars().any(char::is_control) {
            return std::borrow::Cow::Owned(text.to_string());
        }
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '\\' {
                out.push_str("\\\\");
            } else if c.is_control() {
                let mut buffer = [0; 4];
                for byte in c.encode_utf8(&mut buffer).bytes() {
                    out.push_str(&format!("\\x{byte:02x}"));
                }
            } else {
                out.push(c);
            }
        }
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The module name of a file: for Python its path relative to the first import root
/// containing it; for Rust its crate and path inside it (`lang::rust::module_name`).
pub(crate) fn module_for(config: &Config, rel_path: &str, language: Language) -> (String, bool) {
    if language == Language::Rust {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn name(bytes: &[u8]) -> PathBuf {
        PathBuf::from(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(bytes))
    }

    #[test]
    #[cfg(unix)]
    fn report_paths_are_injective_and_printable() {
        let root = Path::new("/p");
        let rel = |bytes: &[u8]| relative_path(root, &root.join(name(bytes)));
        assert_eq!(rel(b"app/u.py"), "app/u.py");
        assert_eq!(rel(b"app/back\\slash.py"), "app/back\\slash.py");
        assert_ne!(rel(b"app/back\\slash.py"), rel(b"app/back/slash.py"));
        assert_eq!(rel(b"app/r\xff.py"), "app/r\\xff.py");
        assert_ne!(rel(b"app/r\xff.py"), rel(b"app/r\xfe.py"));
        // A literal `\xff` in a name is escaped too, so it cannot meet the byte 0xff.
        assert_eq!(rel(b"app/r\\xff.py"), "app/r\\\\xff.py");
        assert_eq!(rel(b"app/x\n::warning.py"), "app/x\\x0a::warning.py");
        assert_eq!(rel(b"app/\x1b[31m.py"), "app/\\x1b[31m.py");
        assert_eq!(relative_path(root, Path::new("/elsewhere/e.py")), "/elsewhere/e.py");
        assert_eq!(relative_path(root, root), "");
    }
}
