//! ssot-lint: keeps a Python codebase on its single sources of truth while it migrates.
//!
//! Data flows one way: cli → config → walk → lang (facts) → rules → suppress/baseline/gate →
//! report. See DESIGN.md in the repository for the shape.

/// `eprintln!` that ignores write errors: a closed stderr (`ssot-lint check 2>&1 | head`) must
/// not turn into a panic.
#[macro_export]
macro_rules! stderr_line {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

pub mod app;
pub mod baseline;
pub mod cache;
pub mod cli;
pub(crate) mod codeowners;
pub mod config;
pub(crate) mod diagnostic;
pub mod discover;
pub mod engine;
pub mod error;
pub mod facts;
pub mod finding;
pub mod gate;
pub mod git;
pub mod glob;
pub mod history;
pub mod lang;
pub mod language;
pub mod prefilter;
pub mod registry_md;
pub mod report;
pub mod rule_id;
pub mod rules;
pub mod scope;
pub mod settings;
pub mod source;
pub mod suppress;
pub mod trend;
pub mod walk;
