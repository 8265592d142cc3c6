//! Phase gating (SPEC §2) and the summary every report shares.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::finding::{Finding, Severity};
use crate::lint::Skipped;

/// Decides each finding's final severity and whether it gates: later-phase findings become
/// warnings; a finding gates when it is an error of a phase `<= current` (or of no phase), and
/// is neither suppressed nor baselined.
pub fn apply(findings: &mut [Finding], current_phase: Option<u32>) {
    for finding in findings {
        let later_phase =
            matches!((finding.phase, current_phase), (Some(phase), Some(current)) if phase > current);
        if later_phase {
            finding.severity = finding.severity.min(Severity::Warning);
        }
        finding.gating = finding.severity == Severity::Error && !finding.suppressed && !finding.baselined;
    }
}

/// Totals over one run (SPEC §5.1 `summary`). Suppressed findings count only in `suppressed`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Files linted.
    pub files: usize,
    /// Distinct paths of the reported findings (config files of stale-registry included); for
    /// the text summary line only, so the JSON summary keeps its documented shape.
    #[serde(skip)]
    pub files_with_findings: usize,
    pub findings: usize,
    pub gating: usize,
    pub suppressed: usize,
    pub baselined: usize,
    pub by_rule: BTreeMap<String, usize>,
    pub by_phase: BTreeMap<String, usize>,
    /// Files that could not be linted at all (unreadable, binary, too big, not enterable).
    pub skipped: Vec<Skipped>,
}

impl Summary {
    pub fn new(files: usize, findings: &[Finding]) -> Self {
        let mut summary = Summary { files, ..Summary::default() };
        let mut paths = std::collections::HashSet::new();
        for finding in findings {
            if finding.suppressed {
                summary.suppressed += 1;
                continue;
            }
            summary.findings += 1;
            paths.insert(finding.path.as_str());
            summary.gating += usize::from(finding.gating);
            summary.baselined += usize::from(finding.baselined);
            *summary.by_rule.entry(finding.rule.to_string()).or_default() += 1;
            *summary.by_phase.entry(phase_key(finding.phase)).or_default() += 1;
        }
        summary.files_with_findings = paths.len();
        summary
    }

    /// The same summary, listing the files that could not be linted.
    pub fn with_skipped(mut self, skipped: &[Skipped]) -> Self {
        self.skipped = skipped.to_vec();
        self
    }

    /// Reported findings that do not gate (warnings, later phases, baselined).
    pub fn non_gating(&self) -> usize {
        self.findings - self.gating
    }
}

/// The key a phase is counted under: its id, or `none`.
pub fn phase_key(phase: Option<u32>) -> String {
    phase.map_or_else(|| "none".to_string(), |phase| phase.to_string())
}
