//! `--format gitlab`: a GitLab code quality report, the subset of the Code Climate issue format
//! GitLab reads (`description`, `check_name`, `fingerprint`, `severity`, `location.path`,
//! `location.lines.begin`). GitLab shows it in merge requests as `artifacts:reports:codequality`.

use serde::Serialize;

use super::Report;
use crate::finding::{Finding, Severity};

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: &'a str,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let issues: Vec<Issue> = report.findings.iter().map(issue).collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}

fn issue(finding: &Finding) -> Issue<'_> {
    Issue {
        // GitLab lists issues by description alone: name the rule there.
        description: format!("{}: {}", finding.rule, finding.message),
        check_name: finding.rule.as_str(),
        fingerprint: &finding.fingerprint,
        severity: severity(finding),
        location: Location { path: &finding.path, lines: Lines { begin: finding.start.line } },
    }
}

/// Code Climate severities: info, minor, major, critical, blocker. A gating error is what
/// blocks the merge; other errors (baselined) are major.
fn severity(finding: &Finding) -> &'static str {
    match finding.severity {
        Severity::Error if finding.gating => "blocker",
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}
