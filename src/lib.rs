//! ssot-lint: keeps a Python codebase on its single sources of truth while it migrates.
//!
//! Data flows one way: cli → config → walk → lang (facts) → rules → suppress/baseline/gate →
//! report. See DESIGN.md in the repository for the shape.

pub mod app;
pub mod baseline;
pub mod cache;
pub mod cli;
pub mod config;
pub mod error;
pub mod facts;
pub mod finding;
pub mod fix;
pub mod gate;
pub mod git;
pub mod glob;
pub mod lang;
pub mod lint;
pub mod prefilter;
pub mod registry_md;
pub mod report;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod walk;
