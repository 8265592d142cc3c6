//! `ssot-lint baseline`: write or update the baseline file (SPEC §6).

use std::process::ExitCode;

use crate::cli::BaselineArgs;
use crate::error::Result;

pub fn run(_args: &BaselineArgs) -> Result<ExitCode> {
    Err(super::not_built("baseline"))
}
