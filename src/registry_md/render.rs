//! Writing the resolved registry as `[[registry]]` / `[[deprecated-module]]` TOML.

use std::fmt::Write as _;

use super::resolve::Registry;
use super::scan::{Class, Scan, Skipped};

/// Counts of the classified lines: (canonical, compat, broken) names.
fn class_counts(scan: &Scan) -> (usize, usize, usize) {
    let count = |class| scan.seen.iter().filter(|item| item.class == class).count();
    (count(Class::Canonical), count(Class::Compat), count(Class::Broken))
}

pub(super) fn render(registry: &Registry, scan: &Scan, source_name: &str) -> String {
    let mut out = String::new();
    let (canonical, compat, broken) = class_counts(scan);
    let _ = writeln!(out, "# Converted from {} by `ssot-lint registry import`.", comment_text(source_name));
    let _ = writeln!(
        out,
        "# {} canonical, {} compatibility and {} broken imported names read; {} skipped; {}.",
        canonical,
        compat,
        broken,
        plural(skipped_total(&scan.skipped), "line"),
        plural(registry.conflicts.len(), "conflict")
    );
    let _ = writeln!(out, "# Each entry names the line of {} it comes from.", comment_text(source_name));
    let mut section = None;
    for home in &registry.homes {
        section_comment(&mut out, &mut section, &home.section);
        let _ = writeln!(out, "[[registry]]  # line {}", home.line);
        let _ = writeln!(out, "symbol = {}", quote(&home.symbol));
        let _ = writeln!(out, "module = {}", quote(&home.module));
        if !home.compat.is_empty() {
            let _ = writeln!(out, "compat = [");
            for (module, line) in &home.compat {
                let _ = writeln!(out, "    {},  # line {line}", quote(module));
            }
            let _ = writeln!(out, "]");
        }
    }
    let mut section = None;
    for entry in &registry.deprecated {
        section_comment(&mut out, &mut section, &entry.section);
        let _ = writeln!(out, "[[deprecated-module]]  # line {}", entry.line);
        let _ = writeln!(out, "module = {}", quote(&entry.module));
        if let Some(replacement) = &entry.replacement {
            let _ = writeln!(out, "replacement = {}", quote(replacement));
        }
    }
    out
}

/// A blank line, and a `# Section` comment when the section changes.
fn section_comment<'a>(out: &mut String, current: &mut Option<&'a str>, section: &'a str) {
    out.push('\n');
    if *current != Some(section) && !section.is_empty() {
        let _ = writeln!(out, "# {}", comment_text(section));
        *current = Some(section);
    }
}

pub(crate) fn skipped_total(skipped: &Skipped) -> usize {
    skipped.patch + skipped.other + skipped.unclassified + skipped.unusable + skipped.commented_out
}

/// A TOML basic string.
fn quote(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// Text safe inside a TOML comment (no control characters but tab).
fn comment_text(text: &str) -> String {
    text.chars().map(|c| if c.is_control() && c != '\t' { ' ' } else { c }).collect()
}

pub(crate) fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
