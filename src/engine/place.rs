//! Placing violations in the project: positions, suppressions, fingerprints. One place turns a
//! rule's byte span into a finding.

use crate::config::Config;
use crate::facts::FileFacts;
use crate::finding::{Finding, Fingerprinter, Violation};
use crate::rules::ConfigViolation;
use crate::source::{line_starts, line_text_in, position_in, SourceFile};

/// Places a file's violations: positions, suppressions (recorded in `usage`), fingerprints, in
/// file order.
pub(super) fn file_findings(
    file: &SourceFile,
    facts: &FileFacts,
    mut violations: Vec<Violation>,
    usage: &mut crate::suppress::Usage,
) -> Vec<Finding> {
    violations.sort_by(|a, b| (a.span.start, a.rule, &a.message).cmp(&(b.span.start, b.rule, &b.message)));
    let mut fingerprints = Fingerprinter::new();
    violations
        .into_iter()
        .map(|violation| {
            let start = file.position(violation.span.start);
            let end = file.position(violation.span.end.max(violation.span.start));
            let fingerprint = fingerprints.next(
                violation.rule.as_str(),
                &file.rel_path,
                &violation.check,
                file.line_text(start.line),
                file.slice(violation.span),
            );
            let explicit_only = violation.rule.meta().judges_suppressions();
            let justification =
                usage.suppress(&facts.suppressions, violation.rule.as_str(), start.line, explicit_only);
            let mut finding = into_finding(
                violation,
                file.rel_path.clone(),
                start,
                end,
                fingerprint,
                justification.is_some(),
            );
            finding.justification = justification.flatten();
            finding
        })
        .collect()
}

/// Places violations located in config files (the project-wide rules').
pub(super) fn config_findings(config: &Config, violations: Vec<ConfigViolation>) -> Vec<Finding> {
    let mut fingerprints = Fingerprinter::new();
    // Each config file's line index is built once, not once per finding.
    let line_index: Vec<Vec<usize>> = config.sources.iter().map(|source| line_starts(&source.text)).collect();
    violations
        .into_iter()
        .filter_map(|located| {
            let source = config.sources.get(located.source)?;
            let violation = located.violation;
            if config.per_file_ignores.ignored(&source.display).contains(violation.rule) {
                return None;
            }
            let starts = line_index.get(located.source)?;
            let start = position_in(&source.text, starts, violation.span.start);
            let end = position_in(&source.text, starts, violation.span.end);
            let line = line_text_in(&source.text, starts, start.line);
            let fingerprint = fingerprints.next(
                violation.rule.as_str(),
                &source.display,
                &violation.check,
                line,
                &violation.message,
            );
            Some(into_finding(violation, source.display.clone(), start, end, fingerprint, false))
        })
        .collect()
}

fn into_finding(
    violation: Violation,
    path: String,
    start: crate::source::Position,
    end: crate::source::Position,
    fingerprint: String,
    suppressed: bool,
) -> Finding {
    Finding {
        rule: violation.rule,
        severity: violation.severity,
        phase: violation.phase,
        gating: false,
        path,
        span: violation.span,
        start,
        end,
        message: violation.message,
        check: violation.check,
        fingerprint,
        baselined: false,
        suppressed,
        justification: None,
        fix: violation.fix,
    }
}
