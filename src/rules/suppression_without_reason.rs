//! `suppression-without-reason`: with `[project] require-suppression-reason = true`, every
//! `# ssot: ignore...` must say why after `--`.

use super::{ConceptKey, RuleId, RuleMeta, RuleScope, SuppressionContext};
use crate::finding::{Severity, Violation};

pub(crate) const META: RuleMeta = RuleMeta {
    id: RuleId::SuppressionWithoutReason,
    default_severity: Severity::Warning,
    reported: super::when_enabled,
    doc: include_str!("../../rules/suppression-without-reason.md"),
    scope: RuleScope::Suppressions(check),
    needles: super::no_needles,
    interest: super::no_interest,
    concept: ConceptKey::Check,
    fix: super::Fixability::None,
};

/// Only with `[project] require-suppression-reason = true`.
fn check(context: &SuppressionContext, out: &mut Vec<Violation>) {
    if !context.config.require_suppression_reason {
        return;
    }
    let file = context.file;
    let found = context.suppressions.directives.iter().filter(|directive| directive.reason.is_none()).map(
        |directive| {
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
        },
    );
    out.extend(found);
}
