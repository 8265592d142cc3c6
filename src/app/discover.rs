//! `ssot-lint discover` and `init --discover`: walk and parse like `check`, then report what
//! the code says about its single sources of truth (`crate::discover`).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rayon::prelude::*;

use super::{report_skipped, write_output};
use crate::cli::{DiscoverArgs, DiscoverFormat, InitArgs};
use crate::config::{self, Config};
use crate::diagnostic::{FileDiagnostic, Skipped};
use crate::discover::{self, report, starter, FileSummary, Thresholds};
use crate::error::{Error, Result};
use crate::facts::FileFacts;
use crate::language::Language;
use crate::source::SourceFile;
use crate::walk::{self, FileEntry, WalkOptions};

/// The one call into the language front end: the facts of a whole file.
fn facts_of(file: &SourceFile) -> FileFacts {
    crate::lang::extract(file)
}

pub fn run(args: &DiscoverArgs) -> Result<ExitCode> {
    if let Some(path) = &args.write {
        refuse_overwrite(path, args.force)?;
    }
    let cwd = std::env::current_dir().map_err(|source| Error::Read { path: PathBuf::from("."), source })?;
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let loaded = config::load(args.config.as_deref(), &cwd, &paths)?;
    let config = loaded.config;

    let walk_options = WalkOptions { force_exclude: false, follow_links: args.follow_links };
    let walked = walk::collect(&config, &cwd, &paths, &walk_options)?;
    let tests = discover::test_globset();
    let entries: Vec<FileEntry> = walked
        .files
        .into_iter()
        .filter(|entry| entry.language == Language::Python)
        .filter(|entry| args.include_tests || !tests.is_match(&entry.rel_path))
        .collect();
    if entries.is_empty() {
        let shown: Vec<String> = paths.iter().map(|path| path.display().to_string()).collect();
        let tests_note = if args.include_tests { "" } else { " outside test code" };
        return Err(Error::usage_with_help(
            format!("no Python files{tests_note} to discover under {}", shown.join(", ")),
            "check the paths, `include` / `exclude` in the config, or pass --include-tests",
        ));
    }

    let (summaries, skipped) = summarize(&config, &entries, args.jobs);
    let thresholds = Thresholds {
        min_modules: args.min_modules as usize,
        min_imports: args.min_imports as usize,
        min_family: args.min_family as usize,
        max_modules: args.max_modules as usize,
        max_family: args.max_family as usize,
    };
    let discovery = discover::analyze(&summaries, thresholds);

    let on_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    write_output(args.output.as_deref(), |out| match args.format {
        DiscoverFormat::Json => report::write_json(&discovery, out),
        DiscoverFormat::Markdown => report::write_markdown(&discovery, args.include_tests, args.top, out),
        DiscoverFormat::Text if on_terminal => {
            report::write_table(&discovery, args.include_tests, args.top, out)
        }
        DiscoverFormat::Text => report::write_lines(&discovery, args.include_tests, args.top, out),
    })?;
    let mut all_skipped = walked.problems;
    all_skipped.extend(skipped);
    report_skipped(&all_skipped, args.quiet);

    if let Some(path) = &args.write {
        let project = project_table(&config, loaded.path.as_deref(), &cwd, path, args.include_tests)?;
        let text = starter::write(&discovery, &project, &command_line(args));
        std::fs::write(path, text).map_err(|source| Error::Write { path: path.clone(), source })?;
        if !args.quiet {
            crate::stderr_line!(
                "wrote {}: {} registry {}, {} {}; review it, then run `ssot-lint check`",
                path.display(),
                discovery.scattered.len(),
                if discovery.scattered.len() == 1 { "entry" } else { "entries" },
                starter::concepts(&discovery),
                if starter::concepts(&discovery) == 1 { "concept" } else { "concepts" },
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `init --discover [PATH] [--force]` = `discover --write PATH [--force]` on the current directory.
pub fn init(args: &InitArgs) -> Result<ExitCode> {
    let defaults = Thresholds::default();
    let discover = DiscoverArgs {
        paths: Vec::new(),
        config: None,
        format: DiscoverFormat::Text,
        output: None,
        write: Some(args.path.clone()),
        force: args.force,
        min_modules: defaults.min_modules as u32,
        min_imports: defaults.min_imports as u32,
        min_family: defaults.min_family as u32,
        max_modules: defaults.max_modules as u32,
        max_family: defaults.max_family as u32,
        include_tests: false,
        top: report::DEFAULT_TOP,
        jobs: None,
        follow_links: false,
        quiet: false,
    };
    run(&discover)
}

fn refuse_overwrite(path: &Path, force: bool) -> Result<()> {
    if path.is_dir() {
        return Err(Error::usage(format!("--write {}: is a directory", path.display())));
    }
    if path.exists() && !force {
        return Err(Error::usage_with_help(
            format!("{} already exists", path.display()),
            "use --force to overwrite it, or --write another file",
        ));
    }
    Ok(())
}

/// Reads and summarizes every file in parallel; the result is in `entries` order.
fn summarize(
    config: &Config,
    entries: &[FileEntry],
    jobs: Option<usize>,
) -> (Vec<FileSummary>, Vec<Skipped>) {
    let run = || entries.par_iter().map(|entry| summarize_file(config, entry)).collect::<Vec<_>>();
    let results = match jobs {
        Some(jobs) => match rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build() {
            Ok(pool) => pool.install(run),
            Err(_) => run(),
        },
        None => run(),
    };
    let mut summaries = Vec::with_capacity(results.len());
    let mut skipped = Vec::new();
    for result in results {
        match result {
            Ok(summary) => summaries.push(summary),
            Err(problem) => skipped.push(problem),
        }
    }
    (summaries, skipped)
}

fn summarize_file(config: &Config, entry: &FileEntry) -> Result<FileSummary, Skipped> {
    let skip = |reason| Skipped { path: entry.rel_path.clone(), reason };
    let bytes = read_source(&entry.path).map_err(skip)?;
    let (module, is_package) = walk::module_for(config, &entry.rel_path, entry.language);
    let file = SourceFile::with_language(entry.language, entry.rel_path.clone(), module, is_package, bytes);
    let facts = facts_of(&file);
    Ok(FileSummary::new(&file, &facts))
}

/// Reads a file as `check` does: a regular file of at most 10 MiB without NUL bytes.
fn read_source(path: &Path) -> Result<Vec<u8>, FileDiagnostic> {
    crate::engine::stat_source(path)?;
    crate::engine::read_source(path)
}

/// The written config's `[project]`: the roots discover used (relative to the written file's
/// directory), the `include` / `exclude` of the config it used, and the test-code globs.
fn project_table(
    config: &Config,
    config_path: Option<&Path>,
    cwd: &Path,
    target: &Path,
    include_tests: bool,
) -> Result<starter::Project> {
    let target = if target.is_absolute() { target.to_path_buf() } else { cwd.join(target) };
    let directory = target.parent().map(Path::to_path_buf).unwrap_or_else(|| cwd.to_path_buf());
    let directory =
        directory.canonicalize().map_err(|source| Error::Write { path: target.clone(), source })?;
    let roots = config
        .roots
        .iter()
        .map(|root| {
            let absolute = if root.is_empty() { config.root.clone() } else { config.root.join(root) };
            relative_root(&directory, &absolute)
        })
        .collect();
    let (include, mut exclude) = config_path.map(raw_project_globs).unwrap_or_default();
    if !include_tests {
        for glob in discover::TEST_GLOBS {
            if !exclude.iter().any(|existing| existing == glob) {
                exclude.push(glob.to_string());
            }
        }
    }
    Ok(starter::Project { roots, include, exclude })
}

/// `absolute` relative to `directory` with `/` separators (`"."` for the directory itself), or
/// absolute when it is not inside it.
fn relative_root(directory: &Path, absolute: &Path) -> String {
    match absolute.strip_prefix(directory) {
        Ok(relative) if relative.as_os_str().is_empty() => ".".to_string(),
        Ok(relative) => relative.to_string_lossy().replace('\\', "/"),
        Err(_) => absolute.to_string_lossy().replace('\\', "/"),
    }
}

/// `include` and `exclude` as written in the config file discover used (`[project]`, or
/// `[tool.ssot-lint.project]` in a pyproject.toml). The config already loaded, so it parses.
fn raw_project_globs(path: &Path) -> (Option<Vec<String>>, Vec<String>) {
    let Ok(text) = std::fs::read_to_string(path) else { return (None, Vec::new()) };
    let Ok(table) = text.parse::<toml::Table>() else { return (None, Vec::new()) };
    let project = match table.get("tool").and_then(|tool| tool.get("ssot-lint")) {
        Some(tool) => tool.get("project").cloned(),
        None => table.get("project").cloned(),
    };
    let strings = |key: &str| -> Option<Vec<String>> {
        let values = project.as_ref()?.get(key)?.as_array()?;
        Some(values.iter().filter_map(|value| value.as_str().map(str::to_string)).collect())
    };
    (strings("include"), strings("exclude").unwrap_or_default())
}

/// The command that wrote a config, for its header comment.
fn command_line(args: &DiscoverArgs) -> String {
    let mut command = "ssot-lint discover".to_string();
    for path in &args.paths {
        command.push(' ');
        command.push_str(&path.display().to_string());
    }
    let defaults = Thresholds::default();
    let given = [
        ("--min-modules", args.min_modules as usize, defaults.min_modules),
        ("--min-imports", args.min_imports as usize, defaults.min_imports),
        ("--min-family", args.min_family as usize, defaults.min_family),
        ("--max-modules", args.max_modules as usize, defaults.max_modules),
        ("--max-family", args.max_family as usize, defaults.max_family),
    ];
    for (flag, value, default) in given {
        if value != default {
            command.push_str(&format!(" {flag} {value}"));
        }
    }
    if args.include_tests {
        command.push_str(" --include-tests");
    }
    if let Some(path) = &args.write {
        command.push_str(&format!(" --write {}", path.display()));
    }
    command
}
