//! `ssot-lint check`: the CI gate.

use std::process::ExitCode;

use super::{lint_project_with, report_skipped, use_color, write_output, BaselineFrom, Needs};
use crate::cli::{CheckArgs, OutputFormat};
use crate::error::Result;
use crate::finding::Finding;
use crate::gate::Summary;
use crate::report::{self, Report};

pub fn run(args: &CheckArgs) -> Result<ExitCode> {
    if args.show_settings {
        return super::settings::show_settings(args);
    }
    if args.show_files {
        return super::settings::show_files(args);
    }
    if args.statistics {
        super::settings::check_statistics_format(args.format)?;
    }
    if args.watch {
        return super::watch::run(args, run_once);
    }
    run_once(args)
}

/// One lint run: the report, then the exit code.
fn run_once(args: &CheckArgs) -> Result<ExitCode> {
    let common = &args.common;
    let format = match args.format {
        OutputFormat::Text if args.output.is_some() || !use_color_or_terminal(common) => {
            OutputFormat::Concise
        }
        format => format,
    };
    // Only the rich text format draws snippets from the files' text.
    let baseline = BaselineFrom::of(args.baseline.as_deref(), args.baseline_ref.as_deref());
    let needs = if format == OutputFormat::Text { Needs::Sources } else { Needs::Findings };
    let run = lint_project_with(common, baseline, needs)?;
    run.guard_output(args.output.as_deref(), args.baseline.as_deref())?;
    let summary = Summary::new(run.files, &run.findings).with_skipped(&run.skipped);
    let shown: Vec<Finding> = run
        .findings
        .iter()
        .filter(|finding| !finding.suppressed)
        .filter(|finding| !finding.baselined || args.show_baselined || keeps_baselined(args.format))
        .cloned()
        .collect();
    let suppressed: Vec<Finding> =
        run.findings.iter().filter(|finding| finding.suppressed).cloned().collect();
    // GitHub code scanning accepts at most MAX_RESULTS results per run: SARIF gets the most
    // severe findings, then suppressed ones while there is room.
    let over_the_limit = shown.len() + suppressed.len() > report::sarif::MAX_RESULTS;
    let (shown_here, suppressed_here, sarif_dropped) = if format == OutputFormat::Sarif && over_the_limit {
        let (kept, dropped) = crate::gate::most_severe(&shown, report::sarif::MAX_RESULTS);
        let room = report::sarif::MAX_RESULTS - kept.len();
        let kept: Vec<Finding> = kept.into_iter().cloned().collect();
        (Some(kept), Some(suppressed.iter().take(room).cloned().collect::<Vec<_>>()), dropped)
    } else {
        (None, None, 0)
    };
    let report = Report {
        findings: shown_here.as_deref().unwrap_or(&shown),
        suppressed: suppressed_here.as_deref().unwrap_or(&suppressed),
        summary: &summary,
        config: &run.settings.config,
        sources: &run.sources,
    };
    let silent = common.quiet_level > 1;
    write_output(args.output.as_deref(), |out| match format {
        // -qq: nothing on stdout (a report written to --output FILE is still written).
        _ if silent && args.output.is_none() => Ok(()),
        _ if args.statistics => super::settings::write_statistics(&shown, format, out),
        OutputFormat::Text => {
            report::text::write_rich_with(&report, out, use_color(common.color), !common.quiet)
        }
        OutputFormat::Concise => report::text::write_concise_with(&report, out, !common.quiet),
        OutputFormat::Json => report::json::write(&report, out),
        OutputFormat::Sarif => report::sarif::write(&report, &args.sarif_category, out),
        OutputFormat::Github => report::github::write(&report, out),
        OutputFormat::Gitlab => report::gitlab::write(&report, out),
    })?;
    report_skipped(&run.skipped, common.quiet);
    if args.strict {
        strict_gate(&run.skipped)?;
    }
    if sarif_dropped > 0 && !common.quiet {
        crate::stderr_line!(
            "warning: SARIF holds the {} most severe of {} findings (GitHub code scanning accepts at most {} results per run); {sarif_dropped} left out",
            report::sarif::MAX_RESULTS,
            shown.len(),
            report::sarif::MAX_RESULTS
        );
    }

    if summary.gating == 0 || args.exit_zero {
        return Ok(ExitCode::SUCCESS);
    }
    if !common.quiet {
        let phases = run.current_phase.map(|phase| format!(" (phases <= {phase})")).unwrap_or_default();
        let more = summary.non_gating() - summary.baselined;
        let more = if more > 0 { format!("; {more} more reported as warnings") } else { String::new() };
        let baselined = summary.baselined;
        let baselined = if baselined > 0 { format!("; {baselined} baselined") } else { String::new() };
        crate::stderr_line!("{}{phases}{more}{baselined}", gating_count(summary.gating));
    }
    Ok(ExitCode::from(1))
}

/// `--strict`: a run that could not lint every file completely cannot vouch for the code.
fn strict_gate(skipped: &[crate::diagnostic::Skipped]) -> Result<()> {
    let incomplete: Vec<String> =
        skipped.iter().map(|file| format!("{} ({})", file.path, file.reason)).collect();
    if incomplete.is_empty() {
        return Ok(());
    }
    Err(crate::error::Error::usage_with_help(
        format!(
            "--strict: {} could not be linted completely: {}",
            plural_files(incomplete.len()),
            incomplete.join(", ")
        ),
        "fix or exclude them, or drop --strict",
    ))
}

fn plural_files(count: usize) -> String {
    if count == 1 {
        "1 file".to_string()
    } else {
        format!("{count} files")
    }
}

fn gating_count(count: usize) -> String {
    if count == 1 {
        "1 gating finding".to_string()
    } else {
        format!("{count} gating findings")
    }
}

/// Machine formats carry baselined findings (marked); human formats show them on request.
fn keeps_baselined(format: OutputFormat) -> bool {
    matches!(format, OutputFormat::Json | OutputFormat::Sarif)
}

/// Rich text only on a terminal (or with `--color always`).
fn use_color_or_terminal(common: &crate::cli::CommonArgs) -> bool {
    use std::io::IsTerminal;
    common.color == crate::cli::ColorChoice::Always || std::io::stdout().is_terminal()
}
