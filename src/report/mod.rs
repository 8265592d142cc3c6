//! Reporters: they get the final, sorted findings plus the summary and only format them.

pub mod counts;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod sarif;
pub mod text;
pub mod trend;

use std::collections::HashMap;
use std::sync::Arc;

use crate::config::Config;
use crate::finding::Finding;
use crate::gate::Summary;
use crate::source::SourceFile;

/// Everything a reporter may read.
pub struct Report<'a> {
    /// The findings to show, sorted; suppressed ones are already left out.
    pub findings: &'a [Finding],
    /// The suppressed findings, sorted: JSON lists them and SARIF includes them with their
    /// `suppressions[]`, each with its reason.
    pub suppressed: &'a [Finding],
    pub summary: &'a Summary,
    pub config: &'a Config,
    /// Sources by report path, for snippets (files with findings and the config files).
    pub sources: &'a HashMap<String, Arc<SourceFile>>,
}

/// `(phase id, count)` for every declared phase, zeros included, then findings of no phase.
pub(crate) fn phase_totals(report: &Report) -> Vec<(String, usize)> {
    let mut totals: Vec<(String, usize)> = report
        .config
        .phases
        .iter()
        .map(|phase| {
            let key = phase.id.to_string();
            let count = report.summary.by_phase.get(&key).copied().unwrap_or(0);
            (key, count)
        })
        .collect();
    for (key, count) in &report.summary.by_phase {
        if !totals.iter().any(|(known, _)| known == key) {
            totals.push((key.clone(), *count));
        }
    }
    totals
}
