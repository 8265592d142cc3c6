//! `ssot-lint clean`: remove the result cache.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::CleanArgs;
use crate::error::{Error, Result};

/// Removes `--cache-dir DIR`, else `.ssot-lint-cache` in the project root (found as `check`
/// finds it). The config is not compiled, so a broken config does not stop `clean`. Only a
/// directory ssot-lint wrote is removed (`cache::clean`); anything else is refused (exit 2).
pub fn run(args: &CleanArgs) -> Result<ExitCode> {
    let cwd = std::env::current_dir().map_err(|source| Error::Read { path: PathBuf::from("."), source })?;
    let dir = match &args.cache_dir {
        Some(dir) => cwd.join(dir),
        None => crate::config::project_root(args.config.as_deref(), &cwd)?.join(crate::cache::DIR_NAME),
    };
    let removed = match crate::cache::clean(&dir) {
        Ok(removed) => removed,
        Err(crate::cache::CleanError::Io(source)) => return Err(Error::Write { path: dir, source }),
        Err(crate::cache::CleanError::NotACache(reason)) => {
            return Err(Error::usage_with_help(
                format!("refusing to remove {}: not an ssot-lint cache directory ({reason})", dir.display()),
                "clean removes only a directory ssot-lint created (CACHEDIR.TAG, results-*.bin); check --cache-dir",
            ))
        }
    };
    if removed {
        crate::stderr_line!("removed {}", dir.display());
    } else {
        crate::stderr_line!("nothing to clean: {} does not exist", dir.display());
    }
    Ok(ExitCode::SUCCESS)
}
