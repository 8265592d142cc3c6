//! `syntax-error`: a file its parser (ruff's Python parser or syn) cannot parse cleanly, or that is not
//! valid UTF-8.

use super::{violation, ConceptKey, FileContext, RuleId, RuleMeta, RuleScope};
use crate::facts::Span;
use crate::finding::{EntryLevel, Severity, Violation};
use crate::language::Language;

pub(crate) const META: RuleMeta = RuleMeta {
    id: RuleId::SyntaxError,
    default_severity: Severity::Warning,
    reported: super::when_enabled,
    doc: include_str!("../../rules/syntax-error.md"),
    scope: RuleScope::File(check),
    needles: super::no_needles,
    interest: super::no_interest,
    concept: ConceptKey::Check,
    fix: super::Fixability::None,
};

pub fn check(context: &FileContext, out: &mut Vec<Violation>) {
    let level = EntryLevel { phase: None, severity: None };
    if let Some(offset) = context.file.invalid_utf8_at {
        let message =
            "file is not valid UTF-8 (first bad byte here); linted after lossy decoding".to_string();
        out.push(violation(
            &META,
            level,
            Span::new(offset, offset + char::REPLACEMENT_CHARACTER.len_utf8()),
            "utf-8",
            message,
        ));
    } else if let Some(span) = context.facts.syntax_error {
        let language = context.language();
        let detail = context.facts.syntax_error_message.as_deref().unwrap_or("the file does not parse");
        let message = match language {
            // The Rust front end says how much the error hides (the whole file, or one item).
            Language::Rust => format!("syntax error: {detail}"),
            Language::Python => format!("syntax error: {detail}; the rest of the file is still linted"),
        };
        out.push(violation(&META, level, span, language.name(), message));
    }
}
