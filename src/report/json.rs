//! `--format json` (SPEC §5.1).

use serde::Serialize;

use super::Report;
use crate::finding::{Finding, Fix};
use crate::gate::Summary;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tool: Tool,
    findings: Vec<JsonFinding<'a>>,
    /// Suppressed findings with their reasons; left out when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<JsonSuppression<'a>>,
    summary: &'a Summary,
}

/// A suppressed finding: where, what, and the `# ssot: ignore` reason (`justification`).
#[derive(Serialize)]
struct JsonSuppression<'a> {
    rule: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    check: &'a str,
    fingerprint: &'a str,
    /// Always `"inSource"` (a comment in the file), as SARIF names it.
    kind: &'static str,
    justification: Option<&'a str>,
}

impl<'a> From<&'a Finding> for JsonSuppression<'a> {
    fn from(finding: &'a Finding) -> Self {
        JsonSuppression {
            rule: finding.rule.as_str(),
            path: &finding.path,
            line: finding.start.line,
            column: finding.start.column,
            end_line: finding.end.line,
            end_column: finding.end.column,
            message: &finding.message,
            check: &finding.check,
            fingerprint: &finding.fingerprint,
            kind: "inSource",
            justification: finding.justification.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: &'a str,
    phase: Option<u32>,
    gating: bool,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    check: &'a str,
    fingerprint: &'a str,
    baselined: bool,
    fix: Option<JsonFix<'a>>,
}

/// A fix as SPEC §5.1 shows it: positions, not byte offsets.
#[derive(Serialize)]
struct JsonFix<'a> {
    message: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    content: &'a str,
}

impl<'a> From<&'a Fix> for JsonFix<'a> {
    fn from(fix: &'a Fix) -> Self {
        JsonFix {
            message: &fix.message,
            edits: fix
                .edits
                .iter()
                .map(|edit| JsonEdit {
                    line: edit.line,
                    column: edit.column,
                    end_line: edit.end_line,
                    end_column: edit.end_column,
                    content: &edit.content,
                })
                .collect(),
        }
    }
}

impl<'a> From<&'a Finding> for JsonFinding<'a> {
    fn from(finding: &'a Finding) -> Self {
        JsonFinding {
            rule: finding.rule.as_str(),
            severity: finding.severity.as_str(),
            phase: finding.phase,
            gating: finding.gating,
            path: &finding.path,
            line: finding.start.line,
            column: finding.start.column,
            end_line: finding.end.line,
            end_column: finding.end.column,
            message: &finding.message,
            check: &finding.check,
            fingerprint: &finding.fingerprint,
            baselined: finding.baselined,
            fix: finding.fix.as_ref().map(JsonFix::from),
        }
    }
}

pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let json = JsonReport {
        version: 1,
        tool: Tool { name: "ssot-lint", version: env!("CARGO_PKG_VERSION") },
        findings: report.findings.iter().map(JsonFinding::from).collect(),
        suppressions: report.suppressed.iter().map(JsonSuppression::from).collect(),
        summary: report.summary,
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    writeln!(out)
}
