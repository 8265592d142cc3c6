//! `suppression-without-reason`: with `[project] require-suppression-reason = true`, every
//! `# ssot: ignore...` must say why after `--`.

use super::RuleMeta;
use crate::facts::Suppressions;
use crate::finding::{Severity, Violation};
use crate::source::SourceFile;

pub const META: RuleMeta = RuleMeta {
    id: "suppression-without-reason",
    default_severity: Severity::Warning,
    doc: include_str!("../../rules/suppression-without-reason.md"),
};

pub fn check(file: &SourceFile, suppressions: &Suppressions, required: bool) -> Vec<Violation> {
    if !required {
        return Vec::new();
    }
    suppressions
        .directives
        .iter()
        .filter(|directive| directive.reason.is_none())
        .map(|directive| {
            let written = file.slice(directive.span);
            Violation {
                rule: META.id,
                span: directive.span,
                message: format!("`{written}` gives no reason: add `-- why` after it"),
                check: if directive.file { "ignore-file" } else { "ignore" }.to_string(),
                phase: None,
                severity: META.default_severity,
                fix: None,
            }
        })
        .collect()
}
