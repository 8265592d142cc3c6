//! Text output (SPEC §5.4): rich miette diagnostics on a terminal, or one line per finding.

use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, NamedSource, SourceCode,
    SourceSpan, SpanContents,
};

use super::{phase_totals, Report};
use crate::finding::{Finding, Severity};
use crate::source::SourceFile;

/// The concise report; `summary: false` (`--quiet`) leaves only the findings.
pub(crate) fn write_concise_with(
    report: &Report,
    out: &mut dyn std::io::Write,
    summary: bool,
) -> std::io::Result<()> {
    for finding in report.findings {
        writeln!(
            out,
            "{}:{}:{}: {} {}{}{}",
            finding.path,
            finding.start.line,
            finding.start.column,
            finding.rule,
            fixable_marker(finding),
            finding.message,
            qualifier(finding)
        )?;
    }
    if !summary {
        return Ok(());
    }
    writeln!(out, "{}", summary_line(report))?;
    write_fixable_line(report, out)
}

/// The rich report; `summary: false` (`--quiet`) leaves only the findings.
pub(crate) fn write_rich_with(
    report: &Report,
    out: &mut dyn std::io::Write,
    color: bool,
    summary: bool,
) -> std::io::Result<()> {
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(110).with_context_lines(1);
    for finding in report.findings {
        let source = report.sources.get(&finding.path).map(|file| {
            NamedSource::new(finding.path.clone(), SharedText(Arc::clone(file)))
                .with_language(file.language().name())
        });
        let diagnostic = FindingDiagnostic { finding, source };
        let mut rendered = String::new();
        if handler.render_report(&mut rendered, &diagnostic).is_err() {
            rendered = format!("{}:{}: {}\n", finding.path, finding.start.line, finding.message);
        }
        writeln!(out, "{rendered}")?;
    }
    if !summary {
        return Ok(());
    }
    writeln!(out, "{}", summary_line(report))?;
    write_fixable_line(report, out)
}

/// `[*] ` before the message of a finding `ssot-lint fix` can resolve (as ruff marks fixes).
fn fixable_marker(finding: &Finding) -> &'static str {
    if finding.fix.is_some() {
        "[*] "
    } else {
        ""
    }
}

/// `[*] N fixable with `ssot-lint fix``, after the summary, when any shown finding is.
fn write_fixable_line(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let fixable = report.findings.iter().filter(|finding| finding.fix.is_some()).count();
    if fixable == 0 {
        return Ok(());
    }
    writeln!(out, "[*] {fixable} fixable with `ssot-lint fix`")
}

/// Why a finding that is not an error is shown anyway: baselined, or its (lower) severity.
fn qualifier(finding: &Finding) -> &'static str {
    match (finding.baselined, finding.severity) {
        (true, _) => " [baselined]",
        (false, Severity::Error) => "",
        (false, Severity::Warning) => " [warning]",
        (false, Severity::Info) => " [info]",
    }
}

/// The last line of every text report, with per-phase totals.
pub(crate) fn summary_line(report: &Report) -> String {
    let summary = report.summary;
    // "in M files" counts the files with findings; how many were linted is in parentheses.
    let linted = format!("{} linted", plural(summary.files, "file"));
    let mut line = if summary.findings == 0 {
        format!("No findings ({linted})")
    } else {
        let files = format!("{} ({linted})", plural(summary.files_with_findings, "file"));
        let phase = match report.config.current_phase {
            Some(current) => format!(" (phases <= {current})"),
            None => String::new(),
        };
        format!(
            "Found {} in {files}: {} gating{phase}, {} not gating",
            plural(summary.findings, "finding"),
            summary.gating,
            summary.non_gating()
        )
    };
    let totals = phase_totals(report);
    if !totals.is_empty() && !report.config.phases.is_empty() {
        let parts: Vec<String> =
            totals
                .iter()
                .map(|(key, count)| {
                    if key == "none" {
                        format!("no phase: {count}")
                    } else {
                        format!("phase {key}: {count}")
                    }
                })
                .collect();
        line.push_str(&format!(" · {}", parts.join(", ")));
    }
    if summary.suppressed > 0 {
        line.push_str(&format!(" · {} suppressed", summary.suppressed));
    }
    if summary.baselined > 0 {
        line.push_str(&format!(" · {} baselined", summary.baselined));
    }
    if !summary.skipped.is_empty() {
        line.push_str(&format!(" · {} not linted (see warnings)", plural(summary.skipped.len(), "file")));
    }
    line
}

pub(crate) fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    source: Option<NamedSource<SharedText>>,
}

/// A source file's text, shared with the lint result instead of copied.
struct SharedText(Arc<SourceFile>);

impl SourceCode for SharedText {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        self.0.text.as_str().read_span(span, context_lines_before, context_lines_after)
    }
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FindingDiagnostic").field("rule", &self.finding.rule).finish()
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let phase = self.finding.phase.map(|phase| format!(" (phase {phase})")).unwrap_or_default();
        Some(Box::new(format!("{}{phase}", self.finding.rule)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        // Baselined findings (shown with `--show-baselined`) are notes, whatever their severity.
        Some(match self.finding.severity {
            _ if self.finding.baselined => miette::Severity::Advice,
            Severity::Error => miette::Severity::Error,
            Severity::Info => miette::Severity::Advice,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let note = if self.finding.baselined { "baselined; " } else { "" };
        let fix = match &self.finding.fix {
            Some(fix) => format!("fixable with `ssot-lint fix` ({}); ", fix.message),
            None => String::new(),
        };
        Some(Box::new(format!("{note}{fix}see `ssot-lint explain {}`", self.finding.rule)))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|source| source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let text_length = self.source.as_ref()?.inner().0.text.len();
        let span = self.finding.span;
        let start = span.start.min(text_length);
        let length = span.end.min(text_length).saturating_sub(start);
        let label = LabeledSpan::new(Some(self.finding.check.clone()), start, length);
        Some(Box::new(std::iter::once(label)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::test_finding;

    #[test]
    fn the_qualifier_names_the_severity_below_error() {
        assert_eq!(qualifier(&test_finding(Severity::Error, true, false)), "");
        assert_eq!(qualifier(&test_finding(Severity::Warning, false, false)), " [warning]");
        assert_eq!(qualifier(&test_finding(Severity::Info, false, false)), " [info]");
        assert_eq!(qualifier(&test_finding(Severity::Info, false, true)), " [baselined]");
    }
}
