//! `check --watch`: lint, then lint again whenever a Python, Rust or TOML file under the linted
//! paths changes. Events are debounced (a save that writes several files, or an editor's
//! write-then-rename, is one re-run), and each re-run goes through the result cache, so an edit
//! costs the files it changed.

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Duration;

use notify::event::{MetadataKind, ModifyKind};
use notify::{Event, EventKind, RecursiveMode, Watcher};

use crate::cli::CheckArgs;
use crate::error::{Error, Result};

/// How long the file system must be quiet before a re-run.
const DEBOUNCE: Duration = Duration::from_millis(200);

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
    let (sender, receiver) = mpsc::channel::<notify::Result<Event>>();
    let mut watcher = notify::recommended_watcher(sender)
        .map_err(|error| Error::usage(format!("--watch: cannot watch files: {error}")))?;
    for path in &watched {
        let mode = if path.is_dir() { RecursiveMode::Recursive } else { RecursiveMode::NonRecursive };
        watcher
            .watch(path, mode)
            .map_err(|error| Error::usage(format!("--watch: cannot watch {}: {error}", path.display())))?;
    }

    lint_and_report(args, &once, None);
    while let Ok(first) = receiver.recv() {
        let mut changed = BTreeSet::new();
        collect(first, &mut changed);
        // Debounce: take every event until the file system has been quiet for DEBOUNCE.
        while let Ok(event) = receiver.recv_timeout(DEBOUNCE) {
            collect(event, &mut changed);
        }
        let Some(first) = changed.first() else { continue };
        let shown = first.strip_prefix(&cwd).unwrap_or(first).display().to_string();
        let more = if changed.len() > 1 { format!(" and {} more", changed.len() - 1) } else { String::new() };
        lint_and_report(args, &once, Some(format!("{shown}{more}")));
    }
    Ok(ExitCode::SUCCESS)
}

/// Adds the relevant paths an event wrote to `changed`. Reads are not changes: the watcher
/// reports files being opened, and every run opens the files it lints, so counting those would
/// make each run trigger the next.
fn collect(event: notify::Result<Event>, changed: &mut BTreeSet<PathBuf>) {
    let event = match event {
        Ok(event) => event,
        Err(error) => {
            crate::stderr_line!("warning: --watch: {error}");
            return;
        }
    };
    let writes = !matches!(
        event.kind,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))
    );
    if writes {
        changed.extend(event.paths.into_iter().filter(|path| relevant(path)));
    }
}

/// One run; its errors (a config being edited, say) are printed and the watch goes on.
fn lint_and_report(
    args: &CheckArgs,
    once: &impl Fn(&CheckArgs) -> Result<ExitCode>,
    changed: Option<String>,
) {
    let stdout = std::io::stdout();
    if stdout.is_terminal() {
        // Clear the screen and move the cursor home, so each run starts on a clean terminal;
        // flushed now, before the run writes anything to stderr.
        let mut stdout = stdout.lock();
        let _ = stdout.write_all(b"\x1b[2J\x1b[H").and_then(|()| stdout.flush());
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
