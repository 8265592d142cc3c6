//! `ssot-lint check`: the CI gate.

use std::process::ExitCode;

use super::{lint_project, report_skipped, use_color, write_output};
use crate::cli::{CheckArgs, OutputFormat};
use crate::error::Result;
use crate::finding::Finding;
use crate::gate::Summary;
use crate::report::{self, Report};

pub fn run(args: &CheckArgs) -> Result<ExitCode> {
    let common = &args.common;
    let run = lint_project(common, args.baseline.as_deref())?;
    let summary = Summary::new(run.files, &run.findings);
    let shown: Vec<Finding> = run
        .findings
        .iter()
        .filter(|finding| !finding.suppressed)
        .filter(|finding| !finding.baselined || args.show_baselined || keeps_baselined(args.format))
        .cloned()
        .collect();
    let report = Report { findings: &shown, summary: &summary, config: &run.config, sources: &run.sources };
    let format = match args.format {
        OutputFormat::Text if args.output.is_some() || !use_color_or_terminal(common) => {
            OutputFormat::Concise
        }
        format => format,
    };
    write_output(args.output.as_deref(), |out| match format {
        OutputFormat::Text => report::text::write_rich(&report, out, use_color(common.color)),
        OutputFormat::Concise => report::text::write_concise(&report, out),
        OutputFormat::Json => report::json::write(&report, out),
        OutputFormat::Sarif | OutputFormat::Github | OutputFormat::Gitlab => {
            Err(std::io::Error::other("this output format is not available in this build yet"))
        }
    })?;
    report_skipped(&run.skipped, common.quiet);

    if summary.gating == 0 || args.exit_zero {
        return Ok(ExitCode::SUCCESS);
    }
    if !common.quiet {
        let phases = run.current_phase.map(|phase| format!(" (phases <= {phase})")).unwrap_or_default();
        let more = summary.non_gating() - summary.baselined;
        let more = if more > 0 { format!("; {more} more reported as warnings") } else { String::new() };
        let baselined = summary.baselined;
        let baselined = if baselined > 0 { format!("; {baselined} baselined") } else { String::new() };
        eprintln!("{}{phases}{more}{baselined}", gating_count(summary.gating));
    }
    Ok(ExitCode::from(1))
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
