//! `ssot-lint fix`: rewrite non-canonical imports (SPEC §7).

use std::process::ExitCode;

use crate::cli::FixArgs;
use crate::error::Result;

pub fn run(_args: &FixArgs) -> Result<ExitCode> {
    Err(super::not_built("fix"))
}
