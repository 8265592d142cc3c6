//! `ssot-lint registry import`: Markdown import registry → TOML (see `crate::registry_md`).
//!
//! The TOML goes to stdout or `--output`; conflicts, notes and counts go to stderr. Exit 2 only
//! when the Markdown file cannot be read (or the output cannot be written).

use std::process::ExitCode;

use super::write_output;
use crate::cli::{RegistryCommand, RegistryImportArgs};
use crate::error::{Error, Result};
use crate::registry_md::{self, plural, Converted};

pub fn run(command: &RegistryCommand) -> Result<ExitCode> {
    match command {
        RegistryCommand::Import(args) => import(args),
    }
}

fn import(args: &RegistryImportArgs) -> Result<ExitCode> {
    let bytes =
        std::fs::read(&args.file).map_err(|source| Error::Read { path: args.file.clone(), source })?;
    // A stray invalid byte must not stop the conversion: decode lossily.
    let text = String::from_utf8_lossy(&bytes);
    let name = args
        .file
        .file_name()
        .map_or_else(|| args.file.display().to_string(), |name| name.to_string_lossy().into_owned());
    let converted = registry_md::convert(&text, &name);
    report(&converted, &args.file.display().to_string());
    write_output(args.output.as_deref(), |out| out.write_all(converted.toml.as_bytes()))?;
    Ok(ExitCode::SUCCESS)
}

/// Warnings, conflicts (with both source lines), notes and the counts, on stderr.
fn report(converted: &Converted, path: &str) {
    for (line, warning) in &converted.scan.warnings {
        crate::stderr_line!("warning: {path}:{line}: {warning}");
    }
    for conflict in &converted.registry.conflicts {
        crate::stderr_line!("conflict: {}", conflict.message);
        crate::stderr_line!("  {path}:{}: {}", conflict.first.0, conflict.first.1);
        crate::stderr_line!("  {path}:{}: {}", conflict.second.0, conflict.second.1);
    }
    for (line, note) in &converted.registry.notes {
        crate::stderr_line!("note: {path}:{line}: {note}");
    }
    let skipped = &converted.scan.skipped;
    if let Some(line) = converted.scan.first_unclassified {
        crate::stderr_line!(
            "note: {path}: {} under no ✅/❌ heading and with no classifying comment skipped (first at line {line})",
            plural(skipped.unclassified, "import line")
        );
    }
    let registry = &converted.registry;
    crate::stderr_line!(
        "{}, {}, {}; skipped {} (@patch {}, other {}, commented-out {}, relative or star {}, unclassified {}){}",
        entries(registry.homes.len()),
        plural(registry.deprecated.len(), "deprecated module"),
        plural(registry.conflicts.len(), "conflict"),
        plural(registry_md::skipped_total(skipped), "line"),
        skipped.patch,
        skipped.other,
        skipped.commented_out,
        skipped.unusable,
        skipped.unclassified,
        if skipped.other_blocks > 0 { format!("; {} ignored", plural(skipped.other_blocks, "non-Python block")) } else { String::new() }
    );
}

fn entries(count: usize) -> String {
    if count == 1 {
        "1 registry entry".to_string()
    } else {
        format!("{count} registry entries")
    }
}
