//! `--format github` (SPEC §5.3): GitHub Actions workflow commands, one annotation per finding.
//!
//! `::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=ssot-lint (RULE)::MESSAGE`.
//! The runner splits a command on `::` and its properties on `,` and `=`, and reads `%XX`
//! escapes, so messages escape `%`, `\r` and `\n`, and property values also `:` and `,`.

use super::text::summary_line;
use super::Report;
use crate::finding::{Finding, Severity};

pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    for finding in report.findings {
        writeln!(out, "{}", annotation(finding))?;
    }
    // GitHub shows 10 annotations of each level per step; the rest live in the log and SARIF.
    let totals = format!(
        "{}. GitHub shows at most 10 annotations of each level per step: upload \
         `ssot-lint check --format sarif` to code scanning for the full list.",
        summary_line(report)
    );
    writeln!(out, "::notice title={}::{}", escape_property("ssot-lint"), escape_message(&totals))
}

/// One workflow command for one finding.
pub(crate) fn annotation(finding: &Finding) -> String {
    let mut properties = vec![("file", finding.path.clone()), ("line", finding.start.line.to_string())];
    // Columns of a multi-line range would be read as one line's columns; GitHub drops them.
    let single_line = finding.start.line == finding.end.line;
    if single_line {
        properties.push(("col", finding.start.column.to_string()));
    }
    properties.push(("endLine", finding.end.line.to_string()));
    if single_line {
        properties.push(("endColumn", finding.end.column.to_string()));
    }
    properties.push(("title", format!("ssot-lint ({})", finding.rule)));
    let properties: Vec<String> =
        properties.iter().map(|(key, value)| format!("{key}={}", escape_property(value))).collect();
    format!("::{} {}::{}", command(finding), properties.join(","), escape_message(&finding.message))
}

/// Baselined findings (shown only with `--show-baselined`) are notes, like in SARIF.
fn command(finding: &Finding) -> &'static str {
    if finding.baselined {
        return "notice";
    }
    match finding.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Escapes the data part of a workflow command.
pub(crate) fn escape_message(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a property value: the message escapes plus the separators `:` and `,`.
pub(crate) fn escape_property(text: &str) -> String {
    escape_message(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Span;
    use crate::source::Position;

    fn finding(path: &str, message: &str, start: (usize, usize), end: (usize, usize)) -> Finding {
        Finding {
            rule: crate::rule_id::RuleId::BannedPattern,
            severity: Severity::Error,
            phase: Some(1),
            gating: true,
            path: path.to_string(),
            span: Span { start: 0, end: 1 },
            start: Position { line: start.0, column: start.1 },
            end: Position { line: end.0, column: end.1 },
            message: message.to_string(),
            check: "p".to_string(),
            fingerprint: "0123456789abcdef".to_string(),
            baselined: false,
            suppressed: false,
            justification: None,
            fix: None,
        }
    }

    #[test]
    fn escapes_percent_colon_comma_and_newlines_in_paths_and_messages() {
        let finding = finding("a%b/c:d,e\nf\rg.py", "100% wrong:\nsee a, b\r\nend", (3, 5), (3, 9));
        assert_eq!(
            annotation(&finding),
            "::error file=a%25b/c%3Ad%2Ce%0Af%0Dg.py,line=3,col=5,endLine=3,endColumn=9,\
             title=ssot-lint (banned-pattern)::100%25 wrong:%0Asee a, b%0D%0Aend"
        );
    }

    #[test]
    fn multi_line_findings_drop_columns() {
        let finding = finding("app/x.py", "spans lines", (3, 5), (4, 2));
        assert_eq!(
            annotation(&finding),
            "::error file=app/x.py,line=3,endLine=4,title=ssot-lint (banned-pattern)::spans lines"
        );
    }

    #[test]
    fn warnings_info_and_baselined_findings_use_their_commands() {
        let mut warning = finding("x.py", "m", (1, 1), (1, 2));
        warning.severity = Severity::Warning;
        assert!(annotation(&warning).starts_with("::warning file=x.py,"));
        let mut info = finding("x.py", "m", (1, 1), (1, 2));
        info.severity = Severity::Info;
        assert!(annotation(&info).starts_with("::notice file=x.py,"));
        let mut baselined = finding("x.py", "m", (1, 1), (1, 2));
        baselined.baselined = true;
        assert!(annotation(&baselined).starts_with("::notice file=x.py,"));
    }
}
