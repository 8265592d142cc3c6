//! `ssot-lint counts`: violation counts per phase / rule / concept / check / file (SPEC §5.5).

use std::process::ExitCode;

use crate::cli::CountsArgs;
use crate::error::Result;

pub fn run(_args: &CountsArgs) -> Result<ExitCode> {
    Err(super::not_built("counts"))
}
