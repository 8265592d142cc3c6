//! `# ssot: ignore` comments (SPEC §4.2): read from each front end's comments, applied to
//! findings.

use crate::facts::{LineSuppression, Suppressions};

/// One comment, as a front end found it: `[start, end)` runs from the comment marker (`#`,
/// `//`) to just before the line ending.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment {
    pub start: usize,
    pub end: usize,
    /// 1-based line of the comment.
    pub line: usize,
}

fn is_ident_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte >= 0x80
}

/// Is a finding of `rule` starting on 1-based `line` suppressed?
pub fn is_suppressed(suppressions: &Suppressions, rule: &str, line: usize) -> bool {
    suppressions.whole_file
        || suppressions.lines.iter().any(|suppression| {
            suppression.line == line
                && (suppression.rules.is_empty() || suppression.rules.iter().any(|id| id == rule))
        })
}

/// `# ssot: ignore`, `# ssot: ignore[a, b]` and `# ssot: ignore-file` (SPEC 4.2).
pub fn parse(src: &str, comments: &[Comment]) -> Suppressions {
    let mut suppressions = Suppressions::default();
    for comment in comments {
        let Some(text) = src.get(comment.start..comment.end) else {
            continue;
        };
        let mut line: Option<Vec<String>> = None;
        for directive in directives(text) {
            match directive {
                Directive::File => suppressions.whole_file = true,
                Directive::Line(rules) => {
                    line = Some(match line {
                        None => rules,
                        // An unrestricted ignore wins; otherwise merge the lists.
                        Some(previous) if previous.is_empty() || rules.is_empty() => Vec::new(),
                        Some(mut previous) => {
                            previous.extend(rules);
                            previous
                        }
                    });
                }
            }
        }
        if let Some(rules) = line {
            suppressions.lines.push(LineSuppression { line: comment.line, rules });
        }
    }
    suppressions
}

enum Directive {
    File,
    Line(Vec<String>),
}

/// Every `ssot: ignore...` directive in one comment's text.
fn directives(text: &str) -> Vec<Directive> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(offset) = text.get(from..).and_then(|rest| rest.find("ssot")) {
        let start = from + offset;
        from = start + 4;
        if start > 0 && is_ident_byte(bytes[start - 1]) {
            continue;
        }
        let rest = text[from..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix("ignore") else {
            continue;
        };
        if let Some(after) = rest.strip_prefix("-file") {
            if !after.bytes().next().is_some_and(|b| is_ident_byte(b) || b == b'-') {
                found.push(Directive::File);
            }
            continue;
        }
        if let Some(list) = rest.strip_prefix('[') {
            let inside = list.find(']').map_or(list, |close| &list[..close]);
            let rules = inside
                .split(',')
                .map(str::trim)
                .filter(|rule| !rule.is_empty())
                .map(str::to_string)
                .collect();
            found.push(Directive::Line(rules));
            continue;
        }
        if !rest.bytes().next().is_some_and(|b| is_ident_byte(b) || b == b'-') {
            found.push(Directive::Line(Vec::new()));
        }
    }
    found
}
