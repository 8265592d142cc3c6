//! Conventions shared with ruff's command line: `-q` / `-qq`, `--extend-select`, and the `check`
//! flags that print something other than findings: `--show-settings`, `--show-files`,
//! `--statistics`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use super::write_output;
use crate::cli::{CheckArgs, Command, CommonArgs, OutputFormat};
use crate::config::{self, Config};
use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::rules;
use crate::walk::{self, WalkOptions};

/// `-qq`: not even errors are printed (`main` reads it before rendering one).
static SILENT: AtomicBool = AtomicBool::new(false);

pub fn silent() -> bool {
    SILENT.load(Ordering::Relaxed)
}

/// Turns the `-q` count into the `quiet` flag the commands read, and remembers `-qq`.
pub(crate) fn apply_quiet(command: &mut Command) {
    let common = match command {
        Command::Check(args) => &mut args.common,
        Command::Counts(args) => &mut args.common,
        Command::Baseline(args) => &mut args.common,
        Command::Fix(args) => &mut args.common,
        Command::Trend(args) => &mut args.common,
        _ => return,
    };
    common.quiet = common.quiet_level > 0;
    SILENT.store(common.quiet_level > 1, Ordering::Relaxed);
}

/// The rules to select: `--select` plus `--extend-select`. Without `--select` every rule is
/// already on, so `--extend-select` adds nothing, but its ids must still be rule ids.
pub fn selected(common: &CommonArgs) -> Vec<String> {
    if common.select.is_empty() {
        return Vec::new();
    }
    common.select.iter().chain(&common.extend_select).cloned().collect()
}

/// An unknown `--extend-select` id is an error even when `--select` is not given.
pub(crate) fn check_extend_select(common: &CommonArgs) -> Result<()> {
    for id in &common.extend_select {
        if rules::rule(id.trim()).is_none() {
            return Err(Error::usage_with_help(
                format!("unknown rule `{id}`"),
                "run `ssot-lint rules` to list the rule ids",
            ));
        }
    }
    Ok(())
}

/// `check --show-settings`: the resolved config, and where each part comes from.
pub(crate) fn show_settings(args: &CheckArgs) -> Result<ExitCode> {
    let common = &args.common;
    let (config, path) = load(common)?;
    let cwd = current_dir()?;
    let shown = |path: &std::path::Path| match walk::relative_path(&cwd, path) {
        relative if relative.is_empty() => ".".to_string(),
        relative => relative,
    };
    // The same resolution a lint run makes (phase, rules), without its warnings.
    let quiet = CommonArgs { quiet: true, ..common.clone() };
    let settings = super::resolve_settings(&quiet, &cwd, &[], config, super::Needs::Findings)?;
    let config = &settings.config;
    let phase = settings.phase();
    let enabled: Vec<&str> = settings.rules.iter().map(rules::RuleId::as_str).collect();
    write_output(None, |out| {
        match &path {
            Some(path) => writeln!(out, "config file: {}", shown(path))?,
            None => writeln!(out, "config file: none found (only syntax-error can fire)")?,
        }
        writeln!(out, "project root: {}", shown(&config.root))?;
        for (index, source) in config.sources.iter().enumerate().skip(1) {
            writeln!(out, "extends [{index}]: {}", source.display)?;
        }
        let project = project_table(config);
        let list = |key: &str| -> String {
            project
                .as_ref()
                .and_then(|table| table.get(key))
                .and_then(toml::Value::as_array)
                .map(|items| items.iter().filter_map(toml::Value::as_str).collect::<Vec<_>>().join(", "))
                .unwrap_or_else(|| "(default)".to_string())
        };
        let roots: Vec<&str> =
            config.roots.iter().map(|root| if root.is_empty() { "." } else { root.as_str() }).collect();
        writeln!(out, "roots: {}", roots.join(", "))?;
        writeln!(out, "include: {}", list("include"))?;
        writeln!(out, "exclude: {}", list("exclude"))?;
        let phase_origin = if common.phase.is_some() { " (--phase)" } else { "" };
        match phase {
            Some(phase) => writeln!(out, "current phase: {phase}{phase_origin}")?,
            None => writeln!(out, "current phase: none (every phase gates)")?,
        }
        for phase in &config.phases {
            writeln!(out, "phase {}: {}", phase.id, phase.name)?;
        }
        let source_of = |origin: &config::Origin| {
            config.sources.get(origin.source).map_or("?", |source| source.display.as_str())
        };
        writeln!(out, "registry: {} entries", config.registry.len())?;
        for entry in &config.registry {
            writeln!(out, "  {} -> {}  [{}]", entry.symbol, entry.module, source_of(&entry.origin))?;
        }
        writeln!(out, "deprecated modules: {}", config.deprecated_modules.len())?;
        for entry in &config.deprecated_modules {
            writeln!(out, "  {}", entry.module)?;
        }
        writeln!(out, "concepts: {}", config.concepts.len())?;
        for concept in &config.concepts {
            writeln!(out, "  {}  [{}]", concept.name, source_of(&concept.origin))?;
        }
        writeln!(out, "patterns: {}", config.patterns.len())?;
        for pattern in &config.patterns {
            writeln!(out, "  {}", pattern.id)?;
        }
        writeln!(out, "events: {}", config.events.len())?;
        for events in &config.events {
            writeln!(out, "  {}", events.name)?;
        }
        writeln!(out, "rules: {}", enabled.join(", "))
    })?;
    Ok(ExitCode::SUCCESS)
}

/// `check --show-files`: every file the walk would lint, one per line, in report-path order.
pub(crate) fn show_files(args: &CheckArgs) -> Result<ExitCode> {
    let common = &args.common;
    let (config, _) = load(common)?;
    let cwd = current_dir()?;
    let paths = if common.paths.is_empty() { vec![PathBuf::from(".")] } else { common.paths.clone() };
    let options = WalkOptions { force_exclude: common.force_exclude, follow_links: common.follow_links };
    let walked = walk::collect(&config, &cwd, &paths, &options)?;
    let mut files: Vec<&str> = walked.files.iter().map(|entry| entry.rel_path.as_str()).collect();
    files.sort_unstable();
    write_output(None, |out| {
        for file in &files {
            writeln!(out, "{file}")?;
        }
        Ok(())
    })?;
    super::report_skipped(&walked.problems, common.quiet);
    Ok(ExitCode::SUCCESS)
}

/// `check --statistics`: findings per rule, most first, `[*]` when some of them are fixable.
pub(crate) fn write_statistics(
    findings: &[Finding],
    format: OutputFormat,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut by_rule: BTreeMap<&str, (usize, bool)> = BTreeMap::new();
    for finding in findings {
        let entry = by_rule.entry(finding.rule.as_str()).or_default();
        entry.0 += 1;
        entry.1 |= finding.fix.is_some();
    }
    let mut rows: Vec<(&str, usize, bool)> =
        by_rule.into_iter().map(|(rule, (count, fixable))| (rule, count, fixable)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    if format == OutputFormat::Json {
        let list: Vec<_> = rows
            .iter()
            .map(|(rule, count, fixable)| serde_json::json!({"rule": rule, "count": count, "fixable": fixable}))
            .collect();
        serde_json::to_writer_pretty(&mut *out, &list)?;
        return writeln!(out);
    }
    let width = rows.iter().map(|(_, count, _)| count.to_string().len()).max().unwrap_or(1);
    for (rule, count, fixable) in rows {
        let marker = if fixable { "[*] " } else { "" };
        writeln!(out, "{count:>width$}  {marker}{rule}")?;
    }
    Ok(())
}

/// `--statistics` is a table or JSON; the CI formats have no place for it.
pub(crate) fn check_statistics_format(format: OutputFormat) -> Result<()> {
    match format {
        OutputFormat::Text | OutputFormat::Concise | OutputFormat::Json => Ok(()),
        other => Err(Error::usage_with_help(
            format!("--statistics cannot be combined with --output-format {}", format_name(other)),
            "use --output-format text or json with --statistics",
        )),
    }
}

fn format_name(format: OutputFormat) -> String {
    use clap::ValueEnum;
    format.to_possible_value().map(|value| value.get_name().to_string()).unwrap_or_default()
}

fn current_dir() -> Result<PathBuf> {
    std::env::current_dir().map_err(|source| Error::Read { path: PathBuf::from("."), source })
}

fn load(common: &CommonArgs) -> Result<(Config, Option<PathBuf>)> {
    check_extend_select(common)?;
    let cwd = current_dir()?;
    let paths = if common.paths.is_empty() { vec![PathBuf::from(".")] } else { common.paths.clone() };
    let loaded = config::load(common.config.as_deref(), &cwd, &paths)?;
    Ok((loaded.config, loaded.path))
}

/// The main config file's `[project]` table as written (include / exclude are compiled to glob
/// sets in `Config`, so their text is read back from the file).
fn project_table(config: &Config) -> Option<toml::Table> {
    let source = config.sources.first()?;
    let table: toml::Table = toml::from_str(&source.text).ok()?;
    let table = if source.path.file_name().is_some_and(|name| name == "pyproject.toml") {
        table.get("tool")?.get("ssot-lint")?.as_table()?.clone()
    } else {
        table
    };
    table.get("project")?.as_table().cloned()
}
