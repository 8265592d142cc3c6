//! `ssot-lint clean`: remove the result cache.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::CleanArgs;
use crate::error::{Error, Result};

/// Removes `--cache-dir DIR`, else `.ssot-lint-cache` in the project root (the directory of
/// `--config FILE`, else of the config found from the current directory upwards, else the
/// current directory). The config is not compiled, so a broken config does not stop `clean`.
pub fn run(args: &CleanArgs) -> Result<ExitCode> {
    let cwd = std::env::current_dir().map_err(|source| Error::Read { path: PathBuf::from("."), source })?;
    let dir = match &args.cache_dir {
        Some(dir) => cwd.join(dir),
        None => project_root(&cwd, args.config.as_deref())?.join(crate::cache::DIR_NAME),
    };
    let removed = crate::cache::clean(&dir).map_err(|source| Error::Write { path: dir.clone(), source })?;
    if removed {
        crate::stderr_line!("removed {}", dir.display());
    } else {
        crate::stderr_line!("nothing to clean: {} does not exist", dir.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn project_root(cwd: &std::path::Path, config: Option<&std::path::Path>) -> Result<PathBuf> {
    if let Some(config) = config {
        let path = cwd.join(config);
        if !path.is_file() {
            return Err(Error::usage(format!(
                "config file {} does not exist or is not a file",
                config.display()
            )));
        }
        return Ok(path.parent().map_or_else(|| cwd.to_path_buf(), std::path::Path::to_path_buf));
    }
    Ok(crate::config::discover(cwd)?
        .and_then(|path| path.parent().map(std::path::Path::to_path_buf))
        .unwrap_or_else(|| cwd.to_path_buf()))
}
