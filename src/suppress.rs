//! `# ssot: ignore` comments (SPEC §4.2): read from each front end's comments, applied to
//! findings.

use crate::facts::{Directive, LineSuppression, Span, Suppressions};

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

/// `# ssot: ignore`, `# ssot: ignore[a, b]` and `# ssot: ignore-file` (SPEC 4.2), each
/// optionally followed by `-- reason`.
pub fn parse(src: &str, comments: &[Comment]) -> Suppressions {
    let mut suppressions = Suppressions::default();
    for comment in comments {
        let Some(text) = src.get(comment.start..comment.end) else {
            continue;
        };
        let mut line: Option<Vec<String>> = None;
        for found in directives(text) {
            let rules: Vec<String> = found.rules.iter().map(|(id, _)| id.clone()).collect();
            if found.file {
                suppressions.whole_file = true;
            } else {
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
            let at = |span: Span| Span::new(comment.start + span.start, comment.start + span.end);
            suppressions.directives.push(Directive {
                file: found.file,
                line: comment.line,
                rules: found.rules.into_iter().map(|(id, span)| (id, at(span))).collect(),
                span: at(found.span),
                comment: Span::new(comment.start, comment.end),
                reason: found.reason,
            });
        }
        if let Some(rules) = line {
            suppressions.lines.push(LineSuppression { line: comment.line, rules });
        }
    }
    suppressions
}

/// One directive, with spans relative to the comment's text.
struct Found {
    file: bool,
    rules: Vec<(String, Span)>,
    span: Span,
    reason: Option<String>,
}

/// Every `ssot: ignore...` directive in one comment's text.
fn directives(text: &str) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
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
        // Offset of `rest` in `text`.
        let offset_of = |rest: &str| text.len() - rest.len();
        let (file, rules, end) = if let Some(after) = rest.strip_prefix("-file") {
            if after.bytes().next().is_some_and(|b| is_ident_byte(b) || b == b'-') {
                continue;
            }
            (true, Vec::new(), offset_of(after))
        } else if let Some(list) = rest.strip_prefix('[') {
            let list_start = offset_of(list);
            let inside = list.find(']').map_or(list, |close| &list[..close]);
            let mut rules = Vec::new();
            let mut at = list_start;
            for part in inside.split(',') {
                let id = part.trim();
                if !id.is_empty() {
                    let id_start = at + (part.len() - part.trim_start().len());
                    rules.push((id.to_string(), Span::new(id_start, id_start + id.len())));
                }
                at += part.len() + 1;
            }
            let end = list_start + inside.len() + usize::from(inside.len() < list.len());
            (false, rules, end)
        } else {
            if rest.bytes().next().is_some_and(|b| is_ident_byte(b) || b == b'-') {
                continue;
            }
            (false, Vec::new(), offset_of(rest))
        };
        // `-- reason`: the rest of the comment, up to a following directive.
        let after = &text[end..];
        let (reason, end) = match after.trim_start().strip_prefix("--") {
            Some(reason_text) => {
                let reason_start = offset_of(reason_text);
                let reason_end = text[reason_start..]
                    .find("ssot")
                    .filter(|&at| next_is_directive(&text[reason_start + at..]))
                    .map_or(text.len(), |at| reason_start + at);
                let reason = text[reason_start..reason_end].trim();
                let end = reason_start + text[reason_start..reason_end].trim_end().len();
                ((!reason.is_empty()).then(|| reason.to_string()), end)
            }
            None => (None, end),
        };
        from = from.max(end);
        found.push(Found { file, rules, span: Span::new(start, end), reason });
    }
    found
}

/// Might the file hold an `ssot: ignore` directive? Such a file is always linted whole, so its
/// suppressions can be judged (`unused-suppression`, `suppression-without-reason`).
pub(crate) fn may_hold_directive(text: &str) -> bool {
    memchr::memmem::find_iter(text.as_bytes(), b"ssot").any(|at| next_is_directive(&text[at..]))
}

/// Does `text` (starting at `ssot`) begin a directive?
fn next_is_directive(text: &str) -> bool {
    text.strip_prefix("ssot")
        .map(str::trim_start)
        .and_then(|rest| rest.strip_prefix(':'))
        .is_some_and(|rest| rest.trim_start().starts_with("ignore"))
}

/// Which directives (and which ids in them) suppressed something in one file.
#[derive(Clone, Debug)]
pub struct Usage {
    /// By directive: by id (one slot for a blanket directive).
    used: Vec<Vec<bool>>,
}

impl Usage {
    pub fn new(suppressions: &Suppressions) -> Self {
        Usage {
            used: suppressions
                .directives
                .iter()
                .map(|directive| vec![false; directive.rules.len().max(1)])
                .collect(),
        }
    }

    /// Is a finding of `rule` starting on `line` suppressed? Records which directives did it
    /// and returns the first one's reason (`Some(None)`: suppressed without a reason). The
    /// directives on the line itself take the credit; `ignore-file` only what they leave.
    /// `explicit_only`: only the rule's id on the line itself suppresses it, never a blanket
    /// `ignore` or `ignore-file` (the rules that judge the suppressions themselves, whose
    /// findings a blanket directive must not hide: `RuleMeta::judges_suppressions`).
    pub(crate) fn suppress(
        &mut self,
        suppressions: &Suppressions,
        rule: &str,
        line: usize,
        explicit_only: bool,
    ) -> Option<Option<String>> {
        let mut reason: Option<Option<String>> = None;
        for (index, directive) in suppressions.directives.iter().enumerate() {
            if directive.file || directive.line != line {
                continue;
            }
            let hit = if directive.rules.is_empty() {
                if explicit_only {
                    continue;
                }
                self.used[index][0] = true;
                true
            } else {
                let mut hit = false;
                for (slot, (id, _)) in directive.rules.iter().enumerate() {
                    if id == rule {
                        self.used[index][slot] = true;
                        hit = true;
                    }
                }
                hit
            };
            if hit && reason.is_none() {
                reason = Some(directive.reason.clone());
            }
        }
        if reason.is_some() || explicit_only {
            return reason;
        }
        for (index, directive) in suppressions.directives.iter().enumerate() {
            if directive.file {
                self.used[index][0] = true;
                if reason.is_none() {
                    reason = Some(directive.reason.clone());
                }
            }
        }
        reason
    }

    /// For directive `index`: `None` when it is used; else the ids that suppressed nothing
    /// (empty for a blanket `ignore` or `ignore-file` that suppressed nothing). Which of those
    /// ids are worth reporting is the caller's policy (`unused-suppression`).
    pub fn unused(&self, suppressions: &Suppressions, index: usize) -> Option<Vec<usize>> {
        let directive = &suppressions.directives[index];
        let used = &self.used[index];
        if directive.rules.is_empty() {
            return (!used[0]).then(Vec::new);
        }
        let unused: Vec<usize> = (0..directive.rules.len()).filter(|&slot| !used[slot]).collect();
        (!unused.is_empty()).then_some(unused)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_one(text: &str) -> Suppressions {
        parse(text, &[Comment { start: 0, end: text.len(), line: 1 }])
    }

    #[test]
    fn directives_keep_their_ids_spans_and_reasons() {
        let text = "# ssot: ignore[a,  b] -- moved in phase 2";
        let found = parse_one(text);
        let directive = &found.directives[0];
        assert!(!directive.file);
        let ids: Vec<(&str, &str)> =
            directive.rules.iter().map(|(id, span)| (id.as_str(), &text[span.start..span.end])).collect();
        assert_eq!(ids, [("a", "a"), ("b", "b")]);
        assert_eq!(
            &text[directive.span.start..directive.span.end],
            "ssot: ignore[a,  b] -- moved in phase 2"
        );
        assert_eq!(directive.reason.as_deref(), Some("moved in phase 2"));
        assert_eq!(found.lines, [LineSuppression { line: 1, rules: vec!["a".into(), "b".into()] }]);
    }

    #[test]
    fn reasons_end_at_the_next_directive_and_may_be_empty() {
        let found = parse_one("# ssot: ignore-file -- generated ssot: ignore[x] --  ");
        assert_eq!(found.directives.len(), 2);
        assert!(found.whole_file);
        assert_eq!(found.directives[0].reason.as_deref(), Some("generated"));
        assert_eq!(found.directives[1].reason, None, "`--` and blanks only is no reason");
        assert_eq!(parse_one("# ssot: ignore").directives[0].reason, None);
        // A dash that does not start `--` is not a reason (and `ignore-x` is no directive).
        assert!(parse_one("# ssot: ignore-x -- y").directives.is_empty());
    }

    #[test]
    fn usage_credits_line_directives_before_ignore_file() {
        let suppressions = Suppressions {
            whole_file: true,
            lines: Vec::new(),
            directives: vec![
                Directive {
                    file: true,
                    line: 1,
                    rules: Vec::new(),
                    span: Span::new(0, 1),
                    comment: Span::new(0, 1),
                    reason: Some("file".into()),
                },
                Directive {
                    file: false,
                    line: 3,
                    rules: vec![("a".into(), Span::new(0, 1)), ("b".into(), Span::new(0, 1))],
                    span: Span::new(0, 1),
                    comment: Span::new(0, 1),
                    reason: None,
                },
            ],
        };
        let mut usage = Usage::new(&suppressions);
        assert_eq!(usage.suppress(&suppressions, "a", 3, false), Some(None), "the line's own directive");
        assert_eq!(usage.unused(&suppressions, 0), Some(Vec::new()), "ignore-file not credited yet");
        assert_eq!(usage.unused(&suppressions, 1), Some(vec![1]), "`b` is unused");
        assert_eq!(usage.suppress(&suppressions, "b", 5, false), Some(Some("file".into())));
        assert_eq!(usage.unused(&suppressions, 0), None);
        // An explicit-only finding is only silenced by its explicit id on the line.
        assert_eq!(usage.suppress(&suppressions, "c", 5, true), None);
        assert_eq!(usage.suppress(&suppressions, "b", 3, true), Some(None));
    }
}
