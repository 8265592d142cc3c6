//! `unused-suppression`: a `# ssot: ignore`, an id of `ignore[...]` or an `ignore-file` that
//! suppressed nothing in this run (like ruff's RUF100).
//!
//! Judged after the other rules have placed their findings (`crate::suppress::Usage` records
//! which directives did suppress something). A run narrowed by `--select`/`--ignore` reports
//! only the findings whose ids belong to rules that ran (`judged`, through `RuleMeta::reported`).
//! Each finding carries a fix that removes the directive (the whole comment when it holds
//! nothing else), or only the unused ids of a list.

use super::{ConceptKey, RuleId, RuleMeta, RuleScope, RuleSet, SuppressionContext};
use crate::facts::{Directive, Span};
use crate::finding::{Edit, Finding, Fix, Severity, Violation};
use crate::source::SourceFile;

pub(crate) const META: RuleMeta = RuleMeta {
    id: RuleId::UnusedSuppression,
    default_severity: Severity::Warning,
    reported: judged_rules,
    doc: include_str!("../../rules/unused-suppression.md"),
    scope: RuleScope::Suppressions(check),
    needles: super::no_needles,
    interest: super::no_interest,
    concept: ConceptKey::Check,
    // The finding carries its own fix: removing the directive.
    fix: super::Fixability::InRule,
};

/// The `check` of an unused blanket `ignore` and of an unused `ignore-file` (a list's check is
/// its unused ids, comma-separated).
const BLANKET: &str = "ignore";
const FILE: &str = "ignore-file";

/// Only where every rule ran (`complete`); ids of rules switched off in this file
/// (`per-file-ignores`) are not judged.
fn check(context: &SuppressionContext, out: &mut Vec<Violation>) {
    if !context.complete {
        return;
    }
    let SuppressionContext { file, suppressions, usage, not_run, .. } = *context;
    for (index, directive) in suppressions.directives.iter().enumerate() {
        let Some(mut unused) = usage.unused(suppressions, index) else { continue };
        // Ids of rules switched off here, and of the rules judging the suppressions (this one
        // included: their findings are not known until this check ends), are not judged.
        unused.retain(|&slot| {
            !RuleId::parse(&directive.rules[slot].0)
                .is_some_and(|id| not_run.contains(id) || id.meta().judges_suppressions())
        });
        if unused.is_empty() && !directive.rules.is_empty() {
            continue;
        }
        let written = file.slice(directive.span);
        let (check, message, fix) = if directive.file {
            (
                FILE.to_string(),
                format!("`{written}` suppressed nothing in this file"),
                "remove the unused suppression",
            )
        } else if directive.rules.is_empty() {
            (
                BLANKET.to_string(),
                format!("`{written}` suppressed nothing on this line"),
                "remove the unused suppression",
            )
        } else {
            let ids: Vec<&str> = unused.iter().map(|&slot| directive.rules[slot].0.as_str()).collect();
            let unknown: Vec<&str> = ids.iter().copied().filter(|id| super::rule(id).is_none()).collect();
            let unknown = match unknown.as_slice() {
                [] => String::new(),
                ids => format!(" (no such rule: {})", ids.join(", ")),
            };
            let what = if unused.len() == directive.rules.len() {
                format!("`{written}` suppressed nothing on this line{unknown}")
            } else {
                let quoted: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
                format!("{} in `{written}` suppressed nothing on this line{unknown}", quoted.join(", "))
            };
            (ids.join(","), what, "remove the unused ids from the suppression")
        };
        let edit = if unused.len() < directive.rules.len() {
            shorten_list(file, directive, &unused)
        } else {
            edit(file, removal(&file.text, directive), String::new())
        };
        out.push(Violation {
            rule: META.id,
            span: directive.span,
            message: format!("unused suppression: {message}"),
            check,
            phase: None,
            severity: META.default_severity,
            fix: Some(Fix { message: fix.to_string(), edits: vec![edit], changes: 1 }),
        });
    }
}

/// `reported`: an `unused-suppression` finding is reported when the rule is enabled and its ids
/// were judged in this run (`judged`).
fn judged_rules(finding: &Finding, enabled: RuleSet) -> bool {
    enabled.contains(finding.rule) && judged(&finding.check, enabled)
}

/// Is an `unused-suppression` finding with this `check` judged in a run with these rules
/// enabled? Only ids of rules that ran are; blanket directives only when every
/// rule ran. Ids that name no rule are judged in every run.
pub fn judged(check: &str, enabled: RuleSet) -> bool {
    if enabled.is_all() {
        return true;
    }
    if check == BLANKET || check == FILE {
        return false;
    }
    check.split(',').all(|id| RuleId::parse(id).is_none_or(|id| enabled.contains(id)))
}

fn edit(file: &SourceFile, span: Span, content: String) -> Edit {
    let start = file.position(span.start);
    let end = file.position(span.end);
    Edit { span, line: start.line, column: start.column, end_line: end.line, end_column: end.column, content }
}

/// The bytes to delete to remove a whole directive: the whole comment when it holds nothing
/// else (and the whole line when the line holds nothing else), otherwise the directive with the
/// comment markers and blanks that introduce it.
fn removal(text: &str, directive: &Directive) -> Span {
    let is_marker = |c: char| c == '#' || c == '/' || c == '!' || c == ' ' || c == '\t';
    let comment = directive.comment;
    let before = &text[comment.start..directive.span.start];
    let after = &text[directive.span.end..comment.end];
    let starts_comment = before.chars().all(is_marker);
    if starts_comment && after.trim().is_empty() {
        // The comment is only this directive: remove it and the blanks before it.
        let line_start = text[..comment.start].rfind('\n').map_or(0, |at| at + 1);
        let blanks = text[line_start..comment.start].trim_end_matches([' ', '\t']).len();
        let start = line_start + blanks;
        if start == line_start {
            // Nothing else on the line: the line goes, its line ending too.
            let rest = &text[comment.end..];
            let ending = if rest.starts_with("\r\n") {
                2
            } else {
                usize::from(rest.starts_with('\n') || rest.starts_with('\r'))
            };
            return Span::new(line_start, comment.end + ending);
        }
        return Span::new(start, comment.end);
    }
    if starts_comment {
        // `# ssot: ignore[x]  # other` → `# other`.
        let skipped = after.len() - after.trim_start_matches(is_marker).len();
        return Span::new(directive.span.start, directive.span.end + skipped);
    }
    // `# other  # ssot: ignore[x]` → `# other`.
    let kept = before.trim_end_matches(is_marker).len();
    Span::new(comment.start + kept, directive.span.end)
}

/// The edit that drops the `unused` ids (slots) from a list, keeping every other byte: each
/// kept id keeps the separator written before it (the first kept one none).
fn shorten_list(file: &SourceFile, directive: &Directive, unused: &[usize]) -> Edit {
    let rules = &directive.rules;
    let region = Span::new(rules[0].1.start, rules[rules.len() - 1].1.end);
    let mut content = String::new();
    let mut first = true;
    for (slot, (_, span)) in rules.iter().enumerate() {
        if unused.contains(&slot) {
            continue;
        }
        if !first {
            let previous_end = rules[slot - 1].1.end;
            content.push_str(file.slice(Span::new(previous_end, span.start)));
        }
        content.push_str(file.slice(*span));
        first = false;
    }
    edit(file, region, content)
}
