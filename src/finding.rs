//! What the rules report, and the one place a finding gets its position and fingerprint.

use serde::{Deserialize, Serialize};

use crate::facts::Span;
use crate::rule_id::RuleId;
use crate::source::Position;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Phase and severity of the config entry that produced a violation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntryLevel {
    pub phase: Option<u32>,
    pub severity: Option<Severity>,
}

/// What a rule returns: a location in the file it was checking and what is wrong there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub rule: RuleId,
    pub span: Span,
    pub message: String,
    /// The config entry that produced it: registry symbol, module, concept, pattern id, events name.
    pub check: String,
    pub phase: Option<u32>,
    pub severity: Severity,
    pub fix: Option<Fix>,
}

/// A machine-applicable fix: replace the bytes of `span` with `content`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub message: String,
    pub edits: Vec<Edit>,
    /// How many things the edits change, as `ssot-lint fix` counts them (names moved, directives
    /// removed). Findings that share an edit (one import statement rewritten for several names)
    /// carry the same count, and `fix` counts a shared edit once.
    pub changes: usize,
}

/// What a fixer left alone, and why: data for `ssot-lint fix` to print, not a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unfixed {
    /// The whole file (it does not parse, is not valid UTF-8, or is in a language the fixer
    /// does not edit).
    File { reason: String },
    /// One name (at `span`) that stays where it is.
    Name { span: Span, name: String, reason: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub span: Span,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub content: String,
}

/// A violation placed in the project: path, positions, fingerprint, and what the run decided
/// about it (suppressed, baselined, gating). The result cache stores it as it is (serde).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    pub phase: Option<u32>,
    pub gating: bool,
    pub path: String,
    pub span: Span,
    pub start: Position,
    pub end: Position,
    pub message: String,
    pub check: String,
    pub fingerprint: String,
    pub baselined: bool,
    pub suppressed: bool,
    /// For a suppressed finding: the reason written after `--` in its `# ssot: ignore`.
    pub justification: Option<String>,
    pub fix: Option<Fix>,
}

impl Finding {
    /// The order every report uses: path, line, column, rule.
    pub(crate) fn sort_key(&self) -> (&str, usize, usize, &str, &str) {
        (&self.path, self.start.line, self.start.column, self.rule.as_str(), &self.message)
    }
}

/// Fingerprints survive edits elsewhere in the file: they hash the rule, path, check, the
/// finding's own source text and its line's text with whitespace collapsed, plus an occurrence
/// index among findings of the same file with the same key (so two identical lines differ).
/// Line numbers and indentation are deliberately left out.
///
/// A line longer than `LONG_LINE` bytes (minified or generated code) enters the key as the hash
/// of its collapsed text, computed once per line: many findings on one long line then cost
/// O(line + findings), not O(line × findings). Shorter lines enter as text, as they always have,
/// so existing baselines keep matching.
pub(crate) struct Fingerprinter {
    seen: std::collections::HashMap<u64, u32>,
    /// The last long line seen (address and length in the file's text) and its hash.
    long_line: Option<((usize, usize), u64)>,
}

/// Lines longer than this are hashed once (see `Fingerprinter`).
const LONG_LINE: usize = 4096;

impl Fingerprinter {
    pub fn new() -> Self {
        Fingerprinter { seen: std::collections::HashMap::new(), long_line: None }
    }

    /// Call in file order for the findings of one file.
    pub fn next(&mut self, rule: &str, path: &str, check: &str, line_text: &str, snippet: &str) -> String {
        let mut key = String::with_capacity(128);
        for part in [rule, path, check, snippet] {
            key.push_str(part);
            key.push('\0');
        }
        if line_text.len() > LONG_LINE {
            let id = (line_text.as_ptr() as usize, line_text.len());
            let hash = match self.long_line {
                Some((seen, hash)) if seen == id => hash,
                _ => {
                    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
                    for word in line_text.split_whitespace() {
                        hasher.update(word.as_bytes());
                        hasher.update(b" ");
                    }
                    let hash = hasher.digest();
                    self.long_line = Some((id, hash));
                    hash
                }
            };
            key.push_str(&format!("\u{1}{hash:016x}"));
        } else {
            for word in line_text.split_whitespace() {
                key.push_str(word);
                key.push(' ');
            }
        }
        let base = xxhash_rust::xxh3::xxh3_64(key.as_bytes());
        let occurrence = self.seen.entry(base).or_insert(0);
        let index = *occurrence;
        *occurrence += 1;
        let mut bytes = key.into_bytes();
        bytes.extend_from_slice(&index.to_le_bytes());
        format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes))
    }
}

impl Default for Fingerprinter {
    fn default() -> Self {
        Self::new()
    }
}

/// A finding for unit tests of code that only looks at its severity, gating and baseline state.
#[cfg(test)]
pub(crate) fn test_finding(severity: Severity, gating: bool, baselined: bool) -> Finding {
    use crate::facts::Span;
    use crate::source::Position;
    Finding {
        rule: crate::rule_id::RuleId::NonCanonicalImport,
        severity,
        phase: Some(2),
        gating,
        path: "app/x.py".to_string(),
        span: Span { start: 0, end: 1 },
        start: Position { line: 3, column: 5 },
        end: Position { line: 3, column: 9 },
        message: "m".to_string(),
        check: "Sym".to_string(),
        fingerprint: "0123456789abcdef".to_string(),
        baselined,
        suppressed: false,
        justification: None,
        fix: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_hashed_once_and_stay_stable() {
        let line = "from app import Manager; ".repeat(400);
        let text = line.clone();
        let mut first = Fingerprinter::new();
        let a: Vec<String> = (0..3).map(|_| first.next("r", "p.py", "c", &text, "Manager")).collect();
        let mut second = Fingerprinter::new();
        let b: Vec<String> = (0..3).map(|_| second.next("r", "p.py", "c", &line, "Manager")).collect();
        assert_eq!(a, b, "same line text, same fingerprints");
        assert_eq!(a.iter().collect::<std::collections::HashSet<_>>().len(), 3, "occurrences differ");
        // Whitespace is still collapsed on long lines.
        let spaced = line.replace("; ", ";   ");
        let mut third = Fingerprinter::new();
        assert_eq!(third.next("r", "p.py", "c", &spaced, "Manager"), a[0]);
    }

    #[test]
    fn short_lines_keep_their_fingerprints() {
        // The value recorded in existing baselines must not change.
        let mut fingerprints = Fingerprinter::new();
        let value = fingerprints.next(
            "non-canonical-import",
            "app/u.py",
            "Manager",
            "from app import  Manager",
            "Manager",
        );
        let key = "non-canonical-import\0app/u.py\0Manager\0Manager\0from app import Manager ";
        let mut bytes = key.as_bytes().to_vec();
        bytes.extend_from_slice(&0u32.to_le_bytes());
        assert_eq!(value, format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes)));
    }
}
