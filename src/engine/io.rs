//! Reading source files: what the engine refuses to lint (too big, not a file, binary).

use std::path::Path;

use crate::cache::Stamp;
use crate::diagnostic::FileDiagnostic;

/// Files over this size are skipped with a warning (SPEC §4).
pub const MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// A file's size and mtime, refusing what is not a regular file or is too big.
pub(crate) fn stat_source(path: &Path) -> Result<Stamp, FileDiagnostic> {
    let metadata = std::fs::metadata(path).map_err(|error| FileDiagnostic::Unreadable(error.to_string()))?;
    if !metadata.is_file() {
        return Err(FileDiagnostic::NotARegularFile);
    }
    if metadata.len() > MAX_FILE_SIZE {
        return Err(FileDiagnostic::TooLarge(metadata.len()));
    }
    Ok(Stamp::of(&metadata))
}

/// Reads a file to lint, refusing what is not source text: binary or unreadable.
pub(crate) fn read_source(path: &Path) -> Result<Vec<u8>, FileDiagnostic> {
    let bytes = std::fs::read(path).map_err(|error| FileDiagnostic::Unreadable(error.to_string()))?;
    refuse(&bytes)?;
    Ok(bytes)
}

/// Refuses bytes that are not source text to lint: too big or binary (from disk or a git blob).
pub(crate) fn refuse(bytes: &[u8]) -> Result<(), FileDiagnostic> {
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(FileDiagnostic::TooLarge(bytes.len() as u64));
    }
    if memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some() {
        return Err(FileDiagnostic::Binary);
    }
    Ok(())
}
