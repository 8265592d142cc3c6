//! `ssot-lint baseline`: write or update the baseline file (SPEC §6).

use std::path::Path;
use std::process::ExitCode;

use super::{lint_project, report_skipped, LintRun, Needs};
use crate::baseline::{Baseline, Entry};
use crate::cli::BaselineArgs;
use crate::error::Result;
use crate::finding::Finding;
use crate::report::text::plural;

pub fn run(args: &BaselineArgs) -> Result<ExitCode> {
    match &args.update {
        Some(path) => update(args, path),
        None => write_new(args),
    }
}

/// `baseline --output FILE`: record every reported finding of this run.
fn write_new(args: &BaselineArgs) -> Result<ExitCode> {
    let run = lint_project(&args.common, None, Needs::Findings)?;
    run.guard_output(Some(&args.output), None)?;
    report_skipped(&run.skipped, args.common.quiet);
    let baseline = Baseline::from_findings(&run.findings);
    baseline.write(&args.output)?;
    if !args.common.quiet {
        crate::stderr_line!(
            "wrote {} to {}{}",
            plural(baseline.entries.len(), "finding"),
            args.output.display(),
            phase_breakdown(&baseline, &run)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `baseline --update FILE`: keep entries that still occur (and those outside this run's
/// scope), drop fixed ones, and add new findings only with `--allow-new`. The pruned file is
/// written even when new findings are refused: the ratchet only ever tightens.
fn update(args: &BaselineArgs, path: &Path) -> Result<ExitCode> {
    let run = lint_project(&args.common, Some(path), Needs::Findings)?;
    run.guard_output(Some(path), None)?;
    report_skipped(&run.skipped, args.common.quiet);
    let old = run.baseline.clone().unwrap_or_default();
    let fixed = old.fixed(&run.findings, &run.scope).len();
    let reported = || run.findings.iter().filter(|finding| !finding.suppressed);
    let new: Vec<&Finding> = reported().filter(|finding| !finding.baselined).collect();

    // Entries of files that no longer exist (deleted or renamed) can never match again.
    let (out_of_scope, deleted): (Vec<Entry>, Vec<Entry>) = old
        .entries
        .iter()
        .filter(|entry| !run.scope.covers(&entry.rule, &entry.path))
        .cloned()
        .partition(|entry| still_exists(&run, &entry.path));
    let fixed = fixed + deleted.len();
    // Entries are rebuilt from the findings, so a phase moved in the config is picked up.
    let still_there = reported().filter(|finding| finding.baselined).map(Entry::from_finding);
    let added: Vec<Entry> = if args.allow_new {
        new.iter().map(|finding| Entry::from_finding(finding)).collect()
    } else {
        Vec::new()
    };
    let baseline = Baseline::from_entries(out_of_scope.into_iter().chain(still_there).chain(added));
    baseline.write(path)?;

    if !args.common.quiet {
        let added = if args.allow_new { new.len() } else { 0 };
        crate::stderr_line!(
            "updated {}: {} (removed {} fixed, added {} new){}",
            path.display(),
            plural(baseline.entries.len(), "finding"),
            fixed,
            added,
            phase_breakdown(&baseline, &run)
        );
    }
    if new.is_empty() || args.allow_new {
        return Ok(ExitCode::SUCCESS);
    }
    refuse_new(&new);
    Ok(ExitCode::from(1))
}

/// Whether the file of a baseline entry is still there: linted by this run, a built-in pack, or
/// present on disk under the project root.
fn still_exists(run: &LintRun, path: &str) -> bool {
    run.paths.contains_key(path)
        || path.starts_with("builtin:")
        || std::fs::symlink_metadata(run.settings.config.root.join(path)).is_ok()
}

/// Lists the findings `--update` would not add (printed even with `--quiet`: it is the error).
fn refuse_new(new: &[&Finding]) {
    let verb = if new.len() == 1 { "is" } else { "are" };
    crate::stderr_line!("error: {} {verb} not in the baseline:", plural(new.len(), "finding"));
    for finding in new {
        crate::stderr_line!(
            "  {}:{}:{}: {} {}",
            finding.path,
            finding.start.line,
            finding.start.column,
            finding.rule,
            finding.message
        );
    }
    let them = if new.len() == 1 { "it" } else { "them" };
    crate::stderr_line!("fix {them}, or rerun with --allow-new to accept {them} into the baseline");
}

/// ` (phase 1: 3, phase 2: 0, no phase: 1)`, or nothing when no phases are declared.
fn phase_breakdown(baseline: &Baseline, run: &LintRun) -> String {
    if run.settings.config.phases.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = baseline
        .phase_totals(&run.settings.config.phases)
        .iter()
        .map(|(key, count)| match key.as_str() {
            "none" => format!("no phase: {count}"),
            _ => format!("phase {key}: {count}"),
        })
        .collect();
    format!(" ({})", parts.join(", "))
}
