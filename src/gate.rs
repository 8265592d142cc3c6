//! Phase gating (SPEC §2) and the summary every report shares.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnostic::Skipped;
use crate::finding::{Finding, Severity};

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

/// Keeps the `limit` most severe findings, in their original order, and counts the rest (a
/// SARIF run holds at most `report::sarif::MAX_RESULTS`). Gating findings come first, then
/// errors, warnings, and infos with baselined findings (known and tolerated); ties keep the
/// earlier finding.
pub(crate) fn most_severe(findings: &[Finding], limit: usize) -> (Vec<&Finding>, usize) {
    if findings.len() <= limit {
        return (findings.iter().collect(), 0);
    }
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by_key(|&index| std::cmp::Reverse(severity_rank(&findings[index])));
    let mut keep: Vec<usize> = order[..limit].to_vec();
    keep.sort_unstable();
    (keep.into_iter().map(|index| &findings[index]).collect(), findings.len() - limit)
}

fn severity_rank(finding: &Finding) -> u8 {
    if finding.baselined {
        return 1;
    }
    match finding.severity {
        Severity::Error if finding.gating => 4,
        Severity::Error => 3,
        Severity::Warning => 2,
        Severity::Info => 1,
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
    pub(crate) fn with_skipped(mut self, skipped: &[Skipped]) -> Self {
        self.skipped = skipped.to_vec();
        self
    }

    /// Reported findings that do not gate (warnings, later phases, baselined).
    pub(crate) fn non_gating(&self) -> usize {
        self.findings - self.gating
    }
}

/// The key a phase is counted under: its id, or `none`.
pub(crate) fn phase_key(phase: Option<u32>) -> String {
    phase.map_or_else(|| "none".to_string(), |phase| phase.to_string())
}

#[cfg(test)]
mod limit_tests {
    use super::*;

    fn finding(severity: Severity, gating: bool, baselined: bool) -> Finding {
        crate::finding::test_finding(severity, gating, baselined)
    }

    #[test]
    fn over_the_limit_the_most_severe_findings_stay_in_their_order() {
        let findings = vec![
            finding(Severity::Warning, false, false),
            finding(Severity::Error, true, false),
            finding(Severity::Error, false, true),
            finding(Severity::Info, false, false),
            finding(Severity::Error, true, false),
        ];
        let (kept, dropped) = most_severe(&findings, 3);
        assert_eq!(dropped, 2);
        let kept: Vec<*const Finding> = kept.into_iter().map(|f| f as *const Finding).collect();
        // Both gating errors, then the warning (a baselined error is only a note).
        assert_eq!(kept, vec![&findings[0] as *const _, &findings[1] as *const _, &findings[4] as *const _]);
        assert_eq!(most_severe(&findings, 5).1, 0);
    }
}
