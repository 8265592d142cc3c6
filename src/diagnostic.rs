//! Files that could not be linted, and why. Typed, so callers can tell the cases apart; shown
//! with one wording everywhere (`Display`). A problem with one file is a warning, and the run
//! goes on.

use std::fmt;

/// Why a file was not linted.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum FileDiagnostic {
    /// Reading it failed (the OS error's text).
    Unreadable(String),
    /// A directory, device or socket named where a source file was expected.
    NotARegularFile,
    /// Bigger than `engine::MAX_FILE_SIZE` (its size in bytes).
    TooLarge(u64),
    /// A NUL byte in its first 8 KiB: not source text.
    Binary,
    /// The walk could not enter it: a symbolic link loop back to this ancestor.
    LinkLoop(String),
    /// The walk could not enter it (the walker's message).
    Walk(String),
    /// A git blob (`trend`, `--baseline-ref`) could not be read: its id and the error.
    GitBlob(String),
    /// The engine lost a file's result (a bug; the file is reported rather than dropped).
    NoResult,
}

impl fmt::Display for FileDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileDiagnostic::Unreadable(error) => write!(f, "cannot read: {error}"),
            FileDiagnostic::NotARegularFile => f.write_str("not a regular file"),
            FileDiagnostic::TooLarge(bytes) => write!(f, "file is larger than 10 MiB ({bytes} bytes)"),
            FileDiagnostic::Binary => f.write_str("binary file (contains NUL bytes)"),
            FileDiagnostic::LinkLoop(ancestor) => write!(f, "symbolic link loop back to {ancestor}"),
            FileDiagnostic::Walk(error) => write!(f, "cannot walk: {error}"),
            FileDiagnostic::GitBlob(error) => write!(f, "cannot read the git blob {error}"),
            FileDiagnostic::NoResult => f.write_str("internal error: no result"),
        }
    }
}

/// A file that could not be linted, and why (serialised with the reason as its message).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    pub path: String,
    #[serde(serialize_with = "as_message")]
    pub reason: FileDiagnostic,
}

fn as_message<S: serde::Serializer>(reason: &FileDiagnostic, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(reason)
}
