//! `ssot-lint trend`: violations per phase over git history, and the `--baseline-ref` baseline.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{resolve_settings, write_output, Needs};
use crate::baseline::Baseline;
use crate::cli::{CommonArgs, TrendArgs, TrendFormat};
use crate::config;
use crate::error::{Error, Result};
use crate::gate::phase_key;
use crate::history::{self, History, WalkSpec};
use crate::report::trend::{self as render, Point, Series, Trend};
use crate::settings::Settings;
use crate::trend::Linter;

pub fn run(args: &TrendArgs) -> Result<ExitCode> {
    let common = &args.common;
    let cwd = std::env::current_dir().map_err(|source| Error::Read { path: PathBuf::from("."), source })?;
    let paths = if common.paths.is_empty() { vec![PathBuf::from(".")] } else { common.paths.clone() };
    let loaded = config::load(common.config.as_deref(), &cwd, &paths)?;
    if loaded.path.is_none() && !common.quiet {
        crate::stderr_line!(
            "warning: no ssot-lint.toml found; running with no registry (only syntax-error can fire)"
        );
    }
    let settings = resolve_settings(common, &cwd, &paths, loaded.config, Needs::Findings)?;
    let config = &settings.config;
    let current_phase = settings.phase();
    let since = args.since.as_deref().map(parse_since).transpose()?;

    let history = History::open(&cwd, config)?;
    let mut starts = history::starts(config, &cwd, &paths)?;
    starts.force_exclude = common.force_exclude;
    if common.follow_links && !common.quiet {
        crate::stderr_line!(
            "warning: --follow-links has no effect on trend: symbolic links in git trees are not followed"
        );
    }
    let tip = history.resolve(&args.rev)?;
    let spec = WalkSpec {
        first_parent: !args.all_parents,
        max_commits: usize::try_from(args.max_commits).unwrap_or(usize::MAX),
        since,
        every: usize::try_from(args.every).unwrap_or(usize::MAX),
    };
    let walked = history.walk(tip, &spec)?;
    if let Some(available) = walked.shallow_end {
        if !common.quiet {
            crate::stderr_line!(
                "warning: shallow clone: only {available} commits of history are available from {}; linting those (fetch more with `git fetch --unshallow` or a larger `fetch-depth`)",
                args.rev
            );
        }
    }
    if walked.commits.is_empty() {
        return Err(Error::usage_with_help(
            format!("no commits of {} to lint", args.rev),
            "check --since and --rev",
        ));
    }

    let mut linter = Linter::new(&settings, &history, starts);
    linter.progress = !common.quiet;
    let trees: Vec<_> = walked.commits.iter().map(|commit| commit.tree).collect();
    let series = Series::of(config);
    let mut points = Vec::new();
    let mut skipped = BTreeMap::new();
    let mut commits = walked.commits.iter();
    linter.summarize_trees(&trees, current_phase, |summary, skipped_files| {
        let Some(commit) = commits.next() else { return };
        let mut by_phase: BTreeMap<String, usize> = series.keys().map(|key| (key.to_string(), 0)).collect();
        by_phase.insert(phase_key(None), 0);
        by_phase.extend(summary.by_phase);
        for file in skipped_files {
            skipped.entry((file.path, file.reason)).or_insert(commit.id);
        }
        points.push(Point {
            commit: commit.id.to_string(),
            date: commit.date.clone(),
            subject: commit.subject.clone(),
            files: summary.files,
            total: summary.findings,
            gating: summary.gating,
            by_phase,
            by_rule: summary.by_rule,
        });
    });
    let stats = linter.stats;
    linter.save_cache();
    if std::env::var_os(crate::engine::TIMINGS_ENV).is_some() {
        crate::stderr_line!(
            "ssot-lint trend: {} file versions read and linted, {} from the cache",
            stats.read,
            stats.cached
        );
    }
    if !common.quiet {
        for ((path, reason), commit) in &skipped {
            crate::stderr_line!(
                "warning: skipped {path} (first in {}): {reason}",
                short(&commit.to_string())
            );
        }
    }
    let trend = Trend { version: 1, rev: tip.to_string(), points, series };
    write_output(args.output.as_deref(), |out| match args.format {
        TrendFormat::Text => render::write_text(&trend, out),
        TrendFormat::Json => render::write_json(&trend, out),
        TrendFormat::Csv => render::write_csv(&trend, out),
        TrendFormat::Markdown => render::write_markdown(&trend, &args.rev, out),
        TrendFormat::Svg => render::write_svg(&trend, out),
        TrendFormat::Html => render::write_html(&trend, &args.rev, out),
    })?;
    // A report, not a gate.
    Ok(ExitCode::SUCCESS)
}

fn short(id: &str) -> &str {
    id.get(..7).unwrap_or(id)
}

/// `--since DATE`: any date git understands (`2025-01-31`, `3 months ago`, ISO 8601).
fn parse_since(text: &str) -> Result<i64> {
    gix::date::parse(text, Some(gix::date::Zoned::now())).map(|time| time.seconds).map_err(|error| {
        Error::usage_with_help(
            format!("--since {text}: not a date: {error}"),
            "for example 2025-01-31, 2025-01-31T12:00:00+01:00 or \"3 months ago\"",
        )
    })
}

/// `--baseline-ref REF`: the findings of the tree at merge-base(REF, HEAD), linted from the
/// object store as `check` lints a checkout (same paths, config and rules; cached by blob).
pub(super) fn baseline_at_ref(
    settings: &Settings,
    cwd: &Path,
    paths: &[PathBuf],
    rev: &str,
    common: &CommonArgs,
) -> Result<Baseline> {
    let config = &settings.config;
    let history = History::open(cwd, config)?;
    let head = history.resolve("HEAD")?;
    let other = history.resolve(rev)?;
    let base = history.merge_base(other, head)?;
    let info = history.commit_info(&history.local(), base)?;
    let mut starts = history::starts(config, cwd, paths)?;
    starts.force_exclude = common.force_exclude;
    let mut linter = Linter::new(settings, &history, starts);
    let linted = linter.lint_trees(&[info.tree], config.current_phase);
    linter.save_cache();
    let findings = linted.into_iter().next().map(|lint| lint.findings).unwrap_or_default();
    let baseline = Baseline::from_findings(&findings);
    if !common.quiet {
        crate::stderr_line!(
            "baseline: {} findings at {} (merge base of {rev} and HEAD)",
            baseline.entries.len(),
            short(&base.to_string())
        );
    }
    Ok(baseline)
}
