//! `syntax-error`: a file its parser (tree-sitter or syn) cannot parse cleanly, or that is not
//! valid UTF-8.

use super::{violation, FileContext, RuleMeta};
use crate::facts::Span;
use crate::finding::{EntryLevel, Severity, Violation};
use crate::lang::Language;

pub const META: RuleMeta = RuleMeta {
    id: "syntax-error",
    default_severity: Severity::Warning,
    doc: include_str!("../../rules/syntax-error.md"),
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
        let message = match (language, &context.facts.syntax_error_message) {
            // The Rust front end says how much the error hides (the whole file, or one item).
            (Language::Rust, Some(detail)) => format!("syntax error: {detail}"),
            _ => "syntax error: the file does not parse cleanly; the rest of it is still linted".to_string(),
        };
        out.push(violation(&META, level, span, language.name(), message));
    }
}
