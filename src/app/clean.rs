//! `ssot-lint clean`: remove the fact cache.

use std::process::ExitCode;

use crate::cli::CleanArgs;
use crate::error::Result;

pub fn run(_args: &CleanArgs) -> Result<ExitCode> {
    Err(super::not_built("clean"))
}
