//! `parse-timeout`: a file whose parse went over the time budget (`--parse-budget`); it was
//! linted by the line-based fallback instead (see `lang::python::fallback`).

use std::time::Duration;

use super::{violation, RuleMeta};
use crate::facts::Span;
use crate::finding::{EntryLevel, Severity, Violation};

pub const META: RuleMeta = RuleMeta {
    id: "parse-timeout",
    default_severity: Severity::Warning,
    doc: include_str!("../../rules/parse-timeout.md"),
};

/// The finding for a file whose parse took longer than `budget`; it points at the file's start.
pub fn report(budget: Duration) -> Violation {
    let message = format!(
        "parsing took longer than the {} ms budget; linted by the line-based fallback (imports and definitions only)",
        budget.as_millis()
    );
    violation(&META, EntryLevel { phase: None, severity: None }, Span::new(0, 0), "parse-budget", message)
}
