//! Baseline files (SPEC §6): known findings that do not gate.

use std::path::Path;

use crate::error::{Error, Result};
use crate::finding::Finding;

/// Marks the findings recorded in the baseline at `path` as baselined.
pub fn apply(path: &Path, _findings: &mut [Finding]) -> Result<()> {
    Err(Error::usage(format!("--baseline {}: baselines are not available in this build yet", path.display())))
}
