//! The one question `fix` asks git: which of these files have uncommitted changes?

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Files among `paths` (relative to `root`, `/`-separated) that git reports as modified, staged,
/// or untracked, in the order given. `Err(reason)` when git cannot answer (git is not installed,
/// or `root` is not inside a work tree).
pub fn dirty(root: &Path, paths: &[&str]) -> Result<Vec<String>, String> {
    if paths.is_empty() {
        return Ok(Vec::new());
    }
    let toplevel = git(root, &["rev-parse", "--show-toplevel"])?;
    let toplevel = PathBuf::from(String::from_utf8_lossy(&toplevel).trim_end_matches(['\n', '\r']));
    let toplevel = canonical(toplevel);
    let mut reported = HashSet::new();
    // Chunks keep the command line far below any OS limit.
    for chunk in paths.chunks(200) {
        let mut args = vec!["status", "--porcelain=v1", "-z", "--untracked-files=all", "--"];
        args.extend(chunk.iter().copied());
        let output = git(root, &args)?;
        reported.extend(porcelain_paths(&output).into_iter().map(|path| canonical(toplevel.join(path))));
    }
    Ok(paths
        .iter()
        .filter(|path| reported.contains(&canonical(root.join(path))))
        .map(|path| path.to_string())
        .collect())
}

fn canonical(path: PathBuf) -> PathBuf {
    path.canonicalize().unwrap_or(path)
}

/// Runs git in `directory` and returns its stdout, or why it failed.
fn git(directory: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(directory)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .output()
        .map_err(|error| format!("cannot run git: {error}"))?;
    if output.status.success() {
        return Ok(output.stdout);
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let reason = stderr.lines().next().unwrap_or("git failed").trim().to_string();
    Err(reason)
}

/// The paths (relative to the repository root) of `git status --porcelain=v1 -z` records.
/// A rename or copy record is followed by its source path, which is skipped.
fn porcelain_paths(output: &[u8]) -> Vec<String> {
    let mut paths = Vec::new();
    let mut records = output.split(|&byte| byte == 0).filter(|record| !record.is_empty());
    while let Some(record) = records.next() {
        let Some(path) = record.get(3..) else { continue };
        paths.push(String::from_utf8_lossy(path).into_owned());
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
        assert_eq!(porcelain_paths(output), vec!["app/a.py", "new file.py", "app/b.py", "c.py"]);
    }

    #[test]
    fn no_paths_means_no_git_call() {
        assert_eq!(dirty(Path::new("/nonexistent/dir"), &[]), Ok(Vec::new()));
    }
}
