//! `ssot-lint registry import`: Markdown import registry → TOML.

use std::process::ExitCode;

use crate::cli::RegistryCommand;
use crate::error::Result;

pub fn run(_command: &RegistryCommand) -> Result<ExitCode> {
    Err(super::not_built("registry import"))
}
