//! The one question `fix` asks git: may this file be rewritten, or does it hold work that git
//! could not give back?
//!
//! Each file is checked against the repository that actually contains it (a submodule or a
//! nested repository has its own), with literal pathspecs (a file named `:!x.py` is a file, not
//! pathspec magic). A file is clean only when it is tracked and unmodified: untracked and
//! git-ignored files are dirty (git can neither show nor undo a rewrite of them). A file in no
//! repository at all gets `NoRepository`; the caller decides what that means for that file only.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// What git says about one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    /// Tracked, and neither modified nor staged.
    Clean,
    /// Tracked, with uncommitted (staged or unstaged) changes.
    Modified,
    /// Not tracked: untracked or ignored.
    Untracked,
    /// Not inside a git work tree, or git cannot answer (the reason).
    NoRepository(String),
}

/// The status of each of `paths` (paths to existing files, ideally canonical), in order.
pub(crate) fn statuses(paths: &[PathBuf]) -> Vec<Status> {
    let mut toplevels: HashMap<PathBuf, Result<PathBuf, String>> = HashMap::new();
    // Repository → (index in `paths`, path relative to the repository).
    let mut by_repository: BTreeMap<PathBuf, Vec<(usize, PathBuf)>> = BTreeMap::new();
    let mut out = vec![Status::Clean; paths.len()];
    for (index, path) in paths.iter().enumerate() {
        let directory = path.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let toplevel = toplevels.entry(directory.clone()).or_insert_with(|| toplevel(&directory));
        match toplevel {
            Ok(toplevel) => match path.strip_prefix(&*toplevel) {
                Ok(relative) => {
                    by_repository.entry(toplevel.clone()).or_default().push((index, relative.to_path_buf()))
                }
                Err(_) => out[index] = Status::NoRepository("outside its repository's work tree".into()),
            },
            Err(reason) => out[index] = Status::NoRepository(reason.clone()),
        }
    }
    for (repository, files) in by_repository {
        match repository_statuses(&repository, &files) {
            Ok(statuses) => {
                for ((index, _), status) in files.iter().zip(statuses) {
                    out[*index] = status;
                }
            }
            Err(reason) => {
                for (index, _) in &files {
                    out[*index] = Status::NoRepository(reason.clone());
                }
            }
        }
    }
    out
}

/// The work tree root of the repository that contains `directory`.
fn toplevel(directory: &Path) -> Result<PathBuf, String> {
    let output = git(directory, &["rev-parse".as_ref(), "--show-toplevel".as_ref()])?;
    let text = bytes_to_path(trim_newline(&output));
    Ok(text.canonicalize().unwrap_or(text))
}

fn repository_statuses(repository: &Path, files: &[(usize, PathBuf)]) -> Result<Vec<Status>, String> {
    let mut tracked: HashSet<Vec<u8>> = HashSet::new();
    let mut modified: HashSet<Vec<u8>> = HashSet::new();
    // Chunks keep the command line far below any OS limit.
    for chunk in files.chunks(200) {
        let mut args: Vec<&std::ffi::OsStr> =
            ["ls-files", "-z", "--full-name", "--"].map(AsRef::as_ref).to_vec();
        args.extend(chunk.iter().map(|(_, path)| path.as_os_str()));
        let listed = git(repository, &args)?;
        tracked.extend(listed.split(|&byte| byte == 0).filter(|path| !path.is_empty()).map(<[u8]>::to_vec));

        let mut args: Vec<&std::ffi::OsStr> =
            ["status", "--porcelain=v1", "-z", "--untracked-files=no", "--"].map(AsRef::as_ref).to_vec();
        args.extend(chunk.iter().map(|(_, path)| path.as_os_str()));
        modified.extend(porcelain_paths(&git(repository, &args)?));
    }
    Ok(files
        .iter()
        .map(|(_, path)| {
            let key = path_bytes(path);
            if !tracked.contains(&key) {
                Status::Untracked
            } else if modified.contains(&key) {
                Status::Modified
            } else {
                Status::Clean
            }
        })
        .collect())
}

/// Runs git in `directory` (literal pathspecs, no optional locks) and returns its stdout, or
/// why it failed.
fn git(directory: &Path, args: &[&std::ffi::OsStr]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .arg("--literal-pathspecs")
        .args(args)
        .current_dir(directory)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_LITERAL_PATHSPECS", "1")
        .output()
        .map_err(|error| format!("cannot run git: {error}"))?;
    if output.status.success() {
        return Ok(output.stdout);
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let reason = stderr.lines().next().unwrap_or("git failed").trim().to_string();
    Err(reason)
}

fn trim_newline(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    bytes.strip_suffix(b"\r").unwrap_or(bytes)
}

/// A path's bytes, `/`-separated (how git prints paths).
pub(crate) fn path_bytes(path: &Path) -> Vec<u8> {
    #[cfg(unix)]
    {
        std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()).to_vec()
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().replace('\\', "/").into_bytes()
    }
}

fn bytes_to_path(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        PathBuf::from(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
    }
}

/// The paths (relative to the repository root) of `git status --porcelain=v1 -z` records.
/// A rename or copy record is followed by its source path, which is skipped.
fn porcelain_paths(output: &[u8]) -> Vec<Vec<u8>> {
    let mut paths = Vec::new();
    let mut records = output.split(|&byte| byte == 0).filter(|record| !record.is_empty());
    while let Some(record) = records.next() {
        let Some(path) = record.get(3..) else { continue };
        paths.push(path.to_vec());
        if matches!(record.first(), Some(b'R' | b'C')) {
            records.next();
        }
    }
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn porcelain_records_are_parsed_and_rename_sources_skipped() {
        let output = b" M app/a.py\0?? new file.py\0R  app/b.py\0app/old_b.py\0A  c.py\0";
        let paths: Vec<&[u8]> = vec![b"app/a.py", b"new file.py", b"app/b.py", b"c.py"];
        assert_eq!(porcelain_paths(output), paths);
    }

    #[test]
    fn no_paths_means_no_git_call() {
        assert_eq!(statuses(&[]), Vec::new());
    }

    #[test]
    fn a_file_outside_any_repository_is_only_that_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().canonicalize().unwrap().join("x.py");
        std::fs::write(&file, "x = 1\n").unwrap();
        assert!(matches!(statuses(&[file]).as_slice(), [Status::NoRepository(_)]));
    }
}
