//! `--format sarif` (SPEC §5.2): one SARIF 2.1.0 log for GitHub code scanning and SARIF viewers.
//!
//! Built with `serde-sarif`'s typed builders. GitHub's rules shape it: relative,
//! percent-encoded URIs against `%SRCROOT%` (declared in `originalUriBaseIds`), a `rules[]` entry
//! for every rule with its documentation, `partialFingerprints`, and at most 25,000 results.

use std::collections::BTreeMap;
use std::path::Path;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::json;
use serde_sarif::sarif::{
    ArtifactChange, ArtifactContent, ArtifactLocation, Fix, Location, Message, MultiformatMessageString,
    PhysicalLocation, PropertyBag, Region, Replacement, ReportingConfiguration, ReportingDescriptor, Result,
    ResultLevel, Run, RunAutomationDetails, Sarif, Suppression, Tool, ToolComponent,
};

use super::Report;
use crate::finding::{self, Finding, Severity};
use crate::rules::{RuleMeta, RULES};

/// The official schema's URI (the one `$schema` names in the OASIS standard).
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// GitHub code scanning rejects runs with more results than this.
pub(crate) const MAX_RESULTS: usize = 25_000;
/// GitHub truncates longer `fullDescription`s.
const MAX_FULL_DESCRIPTION: usize = 1024;
const SRCROOT: &str = "%SRCROOT%";
const FINGERPRINT_KEY: &str = "ssotLint/v1";

/// Everything but unreserved characters and `/` is escaped in a relative URI path; `:` in
/// particular, or `a:b.py` would read as a URI with scheme `a`.
const PATH: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~').remove(b'/');
/// An absolute `file:` URI may keep `:` (a Windows drive letter).
const FILE_PATH: &AsciiSet = &PATH.remove(b':');

/// Writes the log: every finding of the report, then the suppressed ones with their
/// `suppressions[]`. The caller keeps a run within [`MAX_RESULTS`] (`gate::most_severe`).
pub fn write(report: &Report, category: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let results: Vec<&Finding> = report.findings.iter().chain(report.suppressed).collect();
    let log = sarif_log(report, category, &results);
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// The log for `findings` (already limited), as `serde_sarif` values.
pub(crate) fn sarif_log(report: &Report, category: &str, findings: &[&Finding]) -> Sarif {
    let run = Run::builder()
        .tool(Tool::builder().driver(driver()).build())
        .automation_details(RunAutomationDetails::builder().id(category).build())
        .original_uri_base_ids(BTreeMap::from([(SRCROOT.to_string(), project_root(&report.config.root))]))
        .column_kind(json!("unicodeCodePoints"))
        .results(findings.iter().map(|finding| result(finding)).collect::<Vec<_>>())
        .build();
    Sarif::builder().schema(SCHEMA_URI).version(json!("2.1.0")).runs(vec![run]).build()
}

fn driver() -> ToolComponent {
    ToolComponent::builder()
        .name("ssot-lint")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri(env!("CARGO_PKG_HOMEPAGE"))
        .rules(RULES.iter().map(rule_descriptor).collect::<Vec<_>>())
        .build()
}

/// A rule's SARIF entry; every text comes from its doc (`rules/<id>.md`).
fn rule_descriptor(rule: &RuleMeta) -> ReportingDescriptor {
    let full = rule.section("What it does").unwrap_or_else(|| rule.summary());
    ReportingDescriptor::builder()
        .id(rule.id.as_str())
        .name(rule_name(rule.id.as_str()))
        .short_description(MultiformatMessageString::builder().text(rule.summary()).build())
        .full_description(
            MultiformatMessageString::builder().text(truncate(full, MAX_FULL_DESCRIPTION)).build(),
        )
        .help(MultiformatMessageString::builder().text(rule.doc.trim()).markdown(rule.doc.trim()).build())
        .help_uri(help_uri(rule.id.as_str()))
        .default_configuration(
            ReportingConfiguration::builder().level(json!(level_name(rule.default_severity))).build(),
        )
        .build()
}

/// `non-canonical-import` → `NonCanonicalImport` (SARIF suggests a PascalCase name).
fn rule_name(id: &str) -> String {
    id.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

fn help_uri(id: &str) -> String {
    format!("{}/blob/main/rules/{id}.md", env!("CARGO_PKG_REPOSITORY"))
}

/// Cuts `text` to at most `max` characters at a word boundary, marking the cut with `…`.
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max - 1).collect();
    let cut = cut.rsplit_once(char::is_whitespace).map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end())
}

fn level_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Baselined findings are notes: known, tolerated, not to be re-raised.
fn level(finding: &Finding) -> ResultLevel {
    if finding.baselined {
        return ResultLevel::Note;
    }
    match finding.severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

fn result(finding: &Finding) -> Result {
    let rule_index = finding.rule as i64;
    let region = region(finding.start.line, finding.start.column, finding.end.line, finding.end.column);
    let location =
        PhysicalLocation::builder().artifact_location(artifact(&finding.path)).region(region).build();
    let properties = PropertyBag::builder()
        .additional_properties(BTreeMap::from([
            ("phase".to_string(), json!(finding.phase)),
            ("check".to_string(), json!(finding.check)),
            ("gating".to_string(), json!(finding.gating)),
        ]))
        .build();
    let mut result = Result::builder()
        .rule_id(finding.rule.as_str())
        .rule_index(rule_index)
        .level(level(finding))
        .message(Message::builder().text(finding.message.as_str()).build())
        .locations(vec![Location::builder().physical_location(location).build()])
        .partial_fingerprints(BTreeMap::from([(FINGERPRINT_KEY.to_string(), finding.fingerprint.clone())]))
        .properties(properties)
        .build();
    if finding.baselined {
        result.baseline_state = Some(json!("unchanged"));
    }
    if finding.suppressed {
        let mut suppression = Suppression::builder().kind(json!("inSource")).build();
        suppression.justification = finding.justification.clone();
        result.suppressions = Some(vec![suppression]);
    }
    // SARIF requires at least one replacement per artifact change.
    let fix = finding.fix.as_ref().filter(|fix| !fix.edits.is_empty());
    result.fixes = fix.map(|fix| vec![sarif_fix(&finding.path, fix)]);
    result
}

fn region(start_line: usize, start_column: usize, end_line: usize, end_column: usize) -> Region {
    Region::builder()
        .start_line(start_line as i64)
        .start_column(start_column as i64)
        .end_line(end_line as i64)
        .end_column(end_column as i64)
        .build()
}

/// A fix's edits, all in the finding's file, as one artifact change.
fn sarif_fix(path: &str, fix: &finding::Fix) -> Fix {
    let replacements: Vec<Replacement> = fix
        .edits
        .iter()
        .map(|edit| {
            Replacement::builder()
                .deleted_region(region(edit.line, edit.column, edit.end_line, edit.end_column))
                .inserted_content(ArtifactContent::builder().text(edit.content.as_str()).build())
                .build()
        })
        .collect();
    let change =
        ArtifactChange::builder().artifact_location(artifact(path)).replacements(replacements).build();
    Fix::builder()
        .description(Message::builder().text(fix.message.as_str()).build())
        .artifact_changes(vec![change])
        .build()
}

fn artifact(path: &str) -> ArtifactLocation {
    ArtifactLocation::builder().uri(relative_uri(path)).uri_base_id(SRCROOT).build()
}

/// A report path (`/`-separated, relative to the project root) as a relative URI reference.
pub(crate) fn relative_uri(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

/// `%SRCROOT%`: the project root as an absolute `file:` URI ending in `/` (SARIF viewers resolve
/// result URIs against it; GitHub resolves them against the repository root instead).
fn project_root(root: &Path) -> ArtifactLocation {
    let description =
        Message::builder().text("The project root: the directory of the ssot-lint config").build();
    let Some(uri) = file_uri(root) else {
        return ArtifactLocation::builder().description(description).build();
    };
    ArtifactLocation::builder().uri(uri).description(description).build()
}

fn file_uri(directory: &Path) -> Option<String> {
    if !directory.is_absolute() {
        return None;
    }
    let path = directory.to_str()?.replace('\\', "/");
    let path = path.trim_end_matches('/');
    let slash = if path.starts_with('/') { "" } else { "/" };
    Some(format!("file://{slash}{}/", utf8_percent_encode(path, FILE_PATH)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Span;
    use crate::finding::Edit;

    fn finding(severity: Severity, gating: bool, baselined: bool) -> Finding {
        crate::finding::test_finding(severity, gating, baselined)
    }

    #[test]
    fn uris_are_percent_encoded_relative_references() {
        assert_eq!(relative_uri("app/a b/ü%:,#?.py"), "app/a%20b/%C3%BC%25%3A%2C%23%3F.py");
        assert_eq!(relative_uri("../../rules/packs/x.toml"), "../../rules/packs/x.toml");
        assert_eq!(file_uri(Path::new("/tmp/my project")).as_deref(), Some("file:///tmp/my%20project/"));
        assert_eq!(file_uri(Path::new("relative")), None);
    }

    #[test]
    fn baselined_findings_are_unchanged_notes() {
        let value = serde_json::to_value(result(&finding(Severity::Error, false, true))).expect("json");
        assert_eq!(value["level"], "note");
        assert_eq!(value["baselineState"], "unchanged");
        let value = serde_json::to_value(result(&finding(Severity::Error, true, false))).expect("json");
        assert_eq!(value["level"], "error");
        assert!(value.get("baselineState").is_none());
    }

    #[test]
    fn fixes_become_replacements_in_the_findings_file() {
        let mut with_fix = finding(Severity::Error, true, false);
        with_fix.path = "app/my file.py".to_string();
        with_fix.fix = Some(finding::Fix {
            message: "import it from its canonical module".to_string(),
            edits: vec![Edit {
                span: Span { start: 0, end: 0 },
                line: 3,
                column: 6,
                end_line: 3,
                end_column: 9,
                content: "app.core".to_string(),
            }],
            changes: 1,
        });
        let value = serde_json::to_value(result(&with_fix)).expect("json");
        let mut without_edits = with_fix.clone();
        without_edits.fix =
            Some(finding::Fix { message: "nothing".to_string(), edits: Vec::new(), changes: 0 });
        assert!(serde_json::to_value(result(&without_edits)).expect("json").get("fixes").is_none());
        assert_eq!(
            value["fixes"],
            json!([{
                "description": {"text": "import it from its canonical module"},
                "artifactChanges": [{
                    "artifactLocation": {"uri": "app/my%20file.py", "uriBaseId": "%SRCROOT%"},
                    "replacements": [{
                        "deletedRegion": {"startLine": 3, "startColumn": 6, "endLine": 3, "endColumn": 9},
                        "insertedContent": {"text": "app.core"}
                    }]
                }]
            }])
        );
    }

    #[test]
    fn rule_entries_come_from_the_docs_and_fit_githubs_limits() {
        for (index, rule) in RULES.iter().enumerate() {
            let value = serde_json::to_value(rule_descriptor(rule)).expect("json");
            assert_eq!(value["id"], rule.id.as_str(), "rule {index}");
            assert_eq!(value["shortDescription"]["text"], rule.summary());
            assert_eq!(value["help"]["markdown"], rule.doc.trim());
            let full = value["fullDescription"]["text"].as_str().expect("fullDescription");
            assert!(!full.is_empty() && full.chars().count() <= MAX_FULL_DESCRIPTION, "{}", rule.id);
        }
        assert_eq!(rule_name("non-canonical-import"), "NonCanonicalImport");
        let long = "word ".repeat(400);
        let cut = truncate(&long, MAX_FULL_DESCRIPTION);
        assert!(cut.chars().count() <= MAX_FULL_DESCRIPTION && cut.ends_with("word…"), "{cut}");
    }
}
