//! `check --watch`: lint, then lint again whenever a Python, Rust or TOML file under the linted
//! paths changes. Events are debounced (a save that writes several files, or an editor's
//! write-then-rename, is one re-run), and each re-run goes through the result cache, so an edit
//! costs the files it changed.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{new_debouncer, DebounceEventResult};

use crate::cli::CheckArgs;
use crate::error::{Error, Result};

/// How long the file system must be quiet before a re-run.
const DEBOUNCE: Duration = Duration::from_millis(200);

/// See `modified_since`.
const MTIME_SLACK: Duration = Duration::from_millis(50);

/// Runs until the process is interrupted (Ctrl-C); returns only when the watch cannot be set up
/// or the event channel closes.
pub fn run(args: &CheckArgs, once: impl Fn(&CheckArgs) -> Result<ExitCode>) -> Result<ExitCode> {
    let cwd = std::env::current_dir().map_err(|source| Error::Read { path: PathBuf::from("."), source })?;
    let mut watched: Vec<PathBuf> = if args.common.paths.is_empty() {
        vec![cwd.clone()]
    } else {
        args.common.paths.iter().map(|path| cwd.join(path)).collect()
    };
    if let Some(config) = &args.common.config {
        watched.push(cwd.join(config));
    }
    let (sender, receiver) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, sender)
        .map_err(|error| Error::usage(format!("--watch: cannot watch files: {error}")))?;
    for path in &watched {
        let mode = if path.is_dir() { RecursiveMode::Recursive } else { RecursiveMode::NonRecursive };
        debouncer
            .watcher()
            .watch(path, mode)
            .map_err(|error| Error::usage(format!("--watch: cannot watch {}: {error}", path.display())))?;
    }

    let mut since = SystemTime::now();
    lint_and_report(args, &once, None);
    for events in receiver {
        let mut changed: Vec<PathBuf> = match events {
            Ok(events) => events
                .into_iter()
                .map(|event| event.path)
                .filter(|path| relevant(path) && modified_since(path, since))
                .collect(),
            Err(error) => {
                crate::stderr_line!("warning: --watch: {error}");
                continue;
            }
        };
        changed.sort();
        changed.dedup();
        let Some(first) = changed.first() else { continue };
        let shown = first.strip_prefix(&cwd).unwrap_or(first).display().to_string();
        let more = if changed.len() > 1 { format!(" and {} more", changed.len() - 1) } else { String::new() };
        since = SystemTime::now();
        lint_and_report(args, &once, Some(format!("{shown}{more}")));
    }
    Ok(ExitCode::SUCCESS)
}

/// One run; its errors (a config being edited, say) are printed and the watch goes on.
fn lint_and_report(args: &CheckArgs, once: &impl Fn(&CheckArgs) -> Result<ExitCode>, changed: Option<String>) {
    if std::io::stdout().is_terminal() {
        // Clear the screen and move the cursor home, so each run starts on a clean terminal.
        print!("\x1b[2J\x1b[H");
    }
    if let Some(changed) = changed {
        if !args.common.quiet {
            crate::stderr_line!("[watch] {changed} changed; linting again");
        }
    }
    if let Err(error) = once(args) {
        crate::stderr_line!("{:?}", miette::Report::new(crate::error::WithoutCode(error)));
    }
    if !args.common.quiet {
        crate::stderr_line!("[watch] waiting for changes (Ctrl-C to stop)");
    }
}

/// Whether `path` was written (or removed) since the last run started. The watcher also reports
/// files being opened, and every run opens the config and the files it lints: without this
/// check each run would trigger the next.
/// File times come from a coarse clock that can lag `SystemTime::now()` by a few milliseconds,
/// so a write right after a fast run can look older than it: `MTIME_SLACK` allows for that. It
/// is far below `DEBOUNCE`, so the edit that triggered a run never counts again after it.
fn modified_since(path: &Path, since: SystemTime) -> bool {
    let since = since.checked_sub(MTIME_SLACK).unwrap_or(since);
    match std::fs::metadata(path) {
        Ok(metadata) => metadata.modified().map_or(true, |modified| modified >= since),
        Err(_) => true,
    }
}

/// Sources and configs; not the cache, git's files or editors' temporary files.
fn relevant(path: &Path) -> bool {
    let inside_ignored_dir = path.components().any(|component| {
        let name = component.as_os_str().to_str();
        name == Some(crate::cache::DIR_NAME) || name == Some(".git")
    });
    let kind = path.extension().and_then(|ext| ext.to_str());
    !inside_ignored_dir && matches!(kind, Some("py" | "pyi" | "rs" | "toml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_and_configs_trigger_a_run() {
        assert!(relevant(Path::new("/p/app/x.py")));
        assert!(relevant(Path::new("/p/src/lib.rs")));
        assert!(relevant(Path::new("/p/ssot-lint.toml")));
        assert!(!relevant(Path::new("/p/.ssot-lint-cache/results-1.bin")));
        assert!(!relevant(Path::new("/p/.git/index")));
        assert!(!relevant(Path::new("/p/app/x.py.swp")));
        assert!(!relevant(Path::new("/p/.ssot-lint-cache/x.toml")));
    }
}
