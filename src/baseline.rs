//! Baseline files (SPEC §6): the findings a team has accepted, by fingerprint, so only new ones
//! gate. The file is JSON with a format marker and version (foreign or future files are refused,
//! never read as empty) and one sorted line per finding, so that a ratchet commit shows exactly
//! the findings that went away.
//!
//! Version 2 is written to merge: nothing in it changes when an unrelated finding is fixed (no
//! totals, counters or timestamps: per-phase totals are derived when read), and every finding
//! line ends with a comma (a constant `null` closes the list), so adding or removing one line
//! never touches another. Two branches that each fixed a different finding and ran
//! `baseline --update` merge cleanly with git (unless their lines are adjacent, which git
//! always treats as a conflict), into the file `baseline --update` writes on the merged tree.
//! Version 1 files (with totals, no `null`) are still read.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::config::Phase;
use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::gate::phase_key;
use crate::rule_id::{RuleId, RuleSet};

/// The value of the `format` marker every baseline file carries.
pub(crate) const FORMAT: &str = "ssot-lint-baseline";
/// The newest baseline layout this build reads and the one it writes.
pub const VERSION: u64 = 2;
/// The versions this build reads.
const READS: [u64; 2] = [1, VERSION];

/// One accepted finding. Matching ignores `phase`: it is recorded so that counts of fixed
/// findings can be grouped by phase after the finding (or its config entry) is gone.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub path: String,
    pub rule: String,
    pub check: String,
    pub fingerprint: String,
    #[serde(default)]
    pub phase: Option<u32>,
}

impl Entry {
    pub(crate) fn from_finding(finding: &Finding) -> Self {
        Entry {
            path: finding.path.clone(),
            rule: finding.rule.to_string(),
            check: finding.check.clone(),
            fingerprint: finding.fingerprint.clone(),
            phase: finding.phase,
        }
    }

    fn key(&self) -> Key<'_> {
        (&self.path, &self.rule, &self.check, &self.fingerprint)
    }
}

/// What identifies a finding across runs: path, rule, check and fingerprint.
type Key<'a> = (&'a str, &'a str, &'a str, &'a str);

fn finding_key(finding: &Finding) -> Key<'_> {
    (&finding.path, finding.rule.as_str(), &finding.check, &finding.fingerprint)
}

/// The parsed file: its entries sorted and without duplicates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Baseline {
    pub entries: Vec<Entry>,
}

/// The file layout as read, once `check_marker` has accepted the marker and version. Version 1
/// files carry totals (ignored: they are derived); version 2 lists end with a `null`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    #[serde(rename = "format")]
    _format: serde::de::IgnoredAny,
    #[serde(rename = "version")]
    _version: serde::de::IgnoredAny,
    #[serde(rename = "totals", default)]
    _totals: Option<serde::de::IgnoredAny>,
    findings: Vec<Option<Entry>>,
}

impl Baseline {
    /// Every reported finding of a run (suppressed ones are not violations, so not recorded).
    pub(crate) fn from_findings(findings: &[Finding]) -> Self {
        Baseline::from_entries(findings.iter().filter(|finding| !finding.suppressed).map(Entry::from_finding))
    }

    pub(crate) fn from_entries(entries: impl IntoIterator<Item = Entry>) -> Self {
        let mut entries: Vec<Entry> = entries.into_iter().collect();
        entries.sort();
        entries.dedup_by(|a, b| a.key() == b.key());
        Baseline { entries }
    }

    /// Reads and validates the file at `path`; any problem is an error (exit 2), never an
    /// empty baseline.
    pub fn load(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => invalid(
                path,
                "the file does not exist".to_string(),
                "create it with `ssot-lint baseline --output FILE`",
            ),
            _ => Error::Read { path: path.to_path_buf(), source },
        })?;
        let text = String::from_utf8(bytes)
            .map_err(|_| invalid(path, "the file is not UTF-8 text".to_string(), REGENERATE))?;
        Baseline::parse(&text, path)
    }

    /// Parses a baseline file's text; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Self> {
        if text.trim().is_empty() {
            return Err(invalid(path, "the file is empty".to_string(), REGENERATE));
        }
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|error| invalid(path, format!("not valid JSON: {error}"), REGENERATE))?;
        check_marker(&value, path)?;
        let file: BaselineFile = serde_json::from_value(value)
            .map_err(|error| invalid(path, format!("unexpected content: {error}"), REGENERATE))?;
        Ok(Baseline::from_entries(file.findings.into_iter().flatten()))
    }

    pub fn contains(&self, finding: &Finding) -> bool {
        let key = finding_key(finding);
        self.entries.binary_search_by(|entry| entry.key().cmp(&key)).is_ok()
    }

    /// Marks the findings recorded here as baselined; returns how many were marked.
    pub fn mark(&self, findings: &mut [Finding]) -> usize {
        let mut marked = 0;
        for finding in findings.iter_mut().filter(|finding| !finding.suppressed) {
            if self.contains(finding) {
                finding.baselined = true;
                marked += 1;
            }
        }
        marked
    }

    /// Entries of files and rules this run looked at that no reported finding matches any more.
    pub fn fixed<'a>(&'a self, findings: &[Finding], scope: &Scope) -> Vec<&'a Entry> {
        let present: HashSet<Key> =
            findings.iter().filter(|finding| !finding.suppressed).map(finding_key).collect();
        self.entries
            .iter()
            .filter(|entry| scope.covers(&entry.rule, &entry.path) && !present.contains(&entry.key()))
            .collect()
    }

    /// Findings per phase: every declared phase (zeros included), then `none` when non-zero.
    pub(crate) fn phase_totals(&self, phases: &[Phase]) -> Vec<(String, usize)> {
        let mut counted: BTreeMap<String, usize> = BTreeMap::new();
        for entry in &self.entries {
            *counted.entry(phase_key(entry.phase)).or_default() += 1;
        }
        let mut totals: Vec<(String, usize)> = phases
            .iter()
            .map(|phase| {
                let key = phase.id.to_string();
                let count = counted.remove(&key).unwrap_or(0);
                (key, count)
            })
            .collect();
        // Phases no longer declared, numerically, then `none`.
        let mut rest: Vec<(String, usize)> = counted.into_iter().collect();
        rest.sort_by_key(|(key, _)| key.parse::<u32>().map_or((1, 0), |id| (0, id)));
        totals.extend(rest);
        totals
    }

    /// The file's text: a constant header line, one line per entry (sorted, each ending with a
    /// comma), and a constant `null` closing the list (see the module doc).
    pub fn to_json(&self) -> String {
        let mut text = format!("{{\"format\": \"{FORMAT}\", \"version\": {VERSION}, \"findings\": [\n");
        for entry in &self.entries {
            text.push_str("  ");
            text.push_str(&serde_json::to_string(entry).unwrap_or_default());
            text.push_str(",\n");
        }
        text.push_str("  null\n]}\n");
        text
    }

    /// Writes the file atomically (temp file in the same directory, then rename). A new file
    /// gets the mode the umask gives (0644 under umask 022, like any file a tool writes); an
    /// existing one keeps its mode.
    pub fn write(&self, path: &Path) -> Result<()> {
        let write_error = |source: std::io::Error| Error::Write { path: path.to_path_buf(), source };
        let dir = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // The mode passed to open(2): the kernel applies the umask.
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let mut temp = builder.tempfile_in(dir).map_err(write_error)?;
        if let Ok(existing) = std::fs::metadata(path) {
            std::fs::set_permissions(temp.path(), existing.permissions()).map_err(write_error)?;
        }
        std::io::Write::write_all(&mut temp, self.to_json().as_bytes()).map_err(write_error)?;
        temp.persist(path).map_err(|error| write_error(error.error))?;
        Ok(())
    }
}

const REGENERATE: &str = "regenerate it with `ssot-lint baseline --output FILE`";

/// Refuses JSON that is not a baseline of a version this build reads.
fn check_marker(value: &serde_json::Value, path: &Path) -> Result<()> {
    let Some(object) = value.as_object() else {
        return Err(invalid(path, "expected a JSON object".to_string(), REGENERATE));
    };
    match object.get("format").and_then(serde_json::Value::as_str) {
        Some(FORMAT) => {}
        _ if object.contains_key("tool") && object.contains_key("summary") => {
            return Err(invalid(
                path,
                "this is a `check --format json` report, not a baseline".to_string(),
                "write a baseline with `ssot-lint baseline --output FILE`",
            ))
        }
        _ => {
            return Err(invalid(
                path,
                format!("not an ssot-lint baseline (no \"format\": \"{FORMAT}\" marker)"),
                REGENERATE,
            ))
        }
    }
    match object.get("version").and_then(serde_json::Value::as_u64) {
        Some(version) if READS.contains(&version) => Ok(()),
        Some(version) => Err(invalid(
            path,
            format!(
                "baseline version {version} is not supported (this ssot-lint reads versions 1 to {VERSION})"
            ),
            "upgrade ssot-lint, or regenerate the baseline with this version",
        )),
        None => Err(invalid(path, "missing or non-numeric \"version\"".to_string(), REGENERATE)),
    }
}

fn invalid(path: &Path, problem: String, help: &str) -> Error {
    Error::usage_with_help(format!("invalid baseline {}: {problem}", path.display()), help)
}

/// What one run looked at: the files it linted and the rules it ran. Baseline entries outside
/// it are neither "fixed" nor pruned by `baseline --update`, so a partial run (some paths,
/// `--select`) cannot empty the file.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    files: HashSet<String>,
    rules: RuleSet,
}

impl Scope {
    /// `files`: report paths linted (config files included on whole-project runs);
    /// `rules`: the enabled rules.
    pub fn new(files: impl IntoIterator<Item = String>, rules: RuleSet) -> Self {
        Scope { files: files.into_iter().collect(), rules }
    }

    /// The enabled rules.
    pub fn rules(&self) -> RuleSet {
        self.rules
    }

    /// `rule` as written in a baseline entry: an id this build does not know counts as covered
    /// only when every rule ran.
    pub fn covers(&self, rule: &str, path: &str) -> bool {
        self.files.contains(path)
            && (self.rules.is_all() || RuleId::parse(rule).is_some_and(|id| self.rules.contains(id)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, fingerprint: &str, phase: Option<u32>) -> Entry {
        Entry {
            path: path.to_string(),
            rule: "banned-pattern".to_string(),
            check: "p".to_string(),
            fingerprint: fingerprint.to_string(),
            phase,
        }
    }

    fn phases() -> Vec<Phase> {
        vec![Phase { id: 1, name: "One".to_string() }, Phase { id: 2, name: "Two".to_string() }]
    }

    #[test]
    fn written_file_reads_back_sorted_and_deduplicated() {
        let baseline = Baseline::from_entries([
            entry("b.py", "02", Some(1)),
            entry("a.py", "01", None),
            entry("b.py", "02", Some(1)),
        ]);
        let text = baseline.to_json();
        assert_eq!(
            text,
            "{\"format\": \"ssot-lint-baseline\", \"version\": 2, \"findings\": [\n  \
             {\"path\":\"a.py\",\"rule\":\"banned-pattern\",\"check\":\"p\",\"fingerprint\":\"01\",\"phase\":null},\n  \
             {\"path\":\"b.py\",\"rule\":\"banned-pattern\",\"check\":\"p\",\"fingerprint\":\"02\",\"phase\":1},\n  \
             null\n]}\n"
        );
        assert_eq!(Baseline::parse(&text, Path::new("b.json")).expect("parses"), baseline);
        // Totals are derived when read.
        let totals = baseline.phase_totals(&phases());
        assert_eq!(totals, [("1".to_string(), 1), ("2".to_string(), 0), ("none".to_string(), 1)]);
    }

    #[test]
    fn removing_a_finding_changes_exactly_its_line() {
        let all = Baseline::from_entries([
            entry("a.py", "01", None),
            entry("b.py", "02", Some(1)),
            entry("c.py", "03", Some(2)),
        ]);
        for removed in 0..3 {
            let mut fewer = all.clone();
            fewer.entries.remove(removed);
            let before: Vec<String> = all.to_json().lines().map(str::to_string).collect();
            let after: Vec<String> = fewer.to_json().lines().map(str::to_string).collect();
            let mut expected = before.clone();
            expected.remove(removed + 1);
            assert_eq!(after, expected, "removing entry {removed}");
        }
    }

    #[test]
    fn version_1_files_are_still_read() {
        let text = "{\n  \"format\": \"ssot-lint-baseline\",\n  \"version\": 1,\n  \
             \"totals\": {\"findings\": 1, \"by_phase\": {\"1\": 1}},\n  \"findings\": [\n    \
             {\"path\":\"b.py\",\"rule\":\"banned-pattern\",\"check\":\"p\",\"fingerprint\":\"02\",\"phase\":1}\n  ]\n}\n";
        let baseline = Baseline::parse(text, Path::new("b.json")).expect("parses");
        assert_eq!(baseline, Baseline::from_entries([entry("b.py", "02", Some(1))]));
    }

    #[test]
    fn empty_baseline_is_valid_json() {
        let text = Baseline::default().to_json();
        assert_eq!(
            text,
            "{\"format\": \"ssot-lint-baseline\", \"version\": 2, \"findings\": [\n  null\n]}\n"
        );
        assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok());
        assert_eq!(Baseline::parse(&text, Path::new("b.json")).expect("parses"), Baseline::default());
    }

    #[test]
    fn undeclared_phases_sort_numerically_before_none() {
        let baseline = Baseline::from_entries([
            entry("a", "1", Some(10)),
            entry("a", "2", Some(9)),
            entry("a", "3", None),
        ]);
        let totals = baseline.phase_totals(&phases());
        let keys: Vec<&str> = totals.iter().map(|(key, _)| key.as_str()).collect();
        assert_eq!(keys, ["1", "2", "9", "10", "none"]);
    }

    fn error_of(text: &str) -> String {
        match Baseline::parse(text, Path::new("b.json")) {
            Ok(baseline) => panic!("accepted {text:?} as {baseline:?}"),
            Err(Error::Usage { message, .. }) => message,
            Err(other) => panic!("unexpected error {other:?}"),
        }
    }

    #[test]
    fn bad_files_are_refused_with_a_reason() {
        assert_eq!(error_of(""), "invalid baseline b.json: the file is empty");
        assert!(error_of("{").starts_with("invalid baseline b.json: not valid JSON: EOF"));
        assert_eq!(error_of("[]"), "invalid baseline b.json: expected a JSON object");
        assert_eq!(
            error_of("{}"),
            "invalid baseline b.json: not an ssot-lint baseline (no \"format\": \"ssot-lint-baseline\" marker)"
        );
        assert_eq!(
            error_of(r#"{"version": 1, "tool": {}, "findings": [], "summary": {}}"#),
            "invalid baseline b.json: this is a `check --format json` report, not a baseline"
        );
        assert_eq!(
            error_of(r#"{"format": "ssot-lint-baseline", "version": 3, "findings": []}"#),
            "invalid baseline b.json: baseline version 3 is not supported (this ssot-lint reads versions 1 to 2)"
        );
        assert_eq!(
            error_of(r#"{"format": "ssot-lint-baseline", "findings": []}"#),
            "invalid baseline b.json: missing or non-numeric \"version\""
        );
        assert!(error_of(r#"{"format": "ssot-lint-baseline", "version": 1, "findings": [{"path": "a"}]}"#)
            .starts_with("invalid baseline b.json: unexpected content: missing field `rule`"));
        assert!(error_of(r#"{"format": "ssot-lint-baseline", "version": 1}"#)
            .contains("missing field `findings`"));
    }

    #[test]
    fn scope_limits_files_and_rules() {
        let all = Scope::new(["a.py".to_string()], RuleSet::all());
        assert!(all.covers("banned-pattern", "a.py"));
        assert!(!all.covers("banned-pattern", "b.py"));
        let selected = Scope::new(["a.py".to_string()], [RuleId::CompatImport].into_iter().collect());
        assert!(!selected.covers("banned-pattern", "a.py"));
        assert!(selected.covers("compat-import", "a.py"));
    }
}
