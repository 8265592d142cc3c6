//! `# ssot: ignore` comments (SPEC §4.2).

use crate::facts::Suppressions;

/// Is a finding of `rule` starting on 1-based `line` suppressed?
pub fn is_suppressed(suppressions: &Suppressions, rule: &str, line: usize) -> bool {
    suppressions.whole_file
        || suppressions.lines.iter().any(|suppression| {
            suppression.line == line
                && (suppression.rules.is_empty() || suppression.rules.iter().any(|id| id == rule))
        })
}
