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
    summary: &'a Summary,
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
    fix: Option<&'a Fix>,
}

impl<'a> From<&'a Finding> for JsonFinding<'a> {
    fn from(finding: &'a Finding) -> Self {
        JsonFinding {
            rule: finding.rule,
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
            fix: finding.fix.as_ref(),
        }
    }
}

pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let json = JsonReport {
        version: 1,
        tool: Tool { name: "ssot-lint", version: env!("CARGO_PKG_VERSION") },
        findings: report.findings.iter().map(JsonFinding::from).collect(),
        summary: report.summary,
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    writeln!(out)
}
