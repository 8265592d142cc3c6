//! Orchestration of one command: argv and config in, exit code out.

mod baseline;
mod check;
mod clean;
mod completions;
mod counts;
mod discover;
mod fix;
mod info;
mod registry;
mod settings;
mod trend;
mod watch;

use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use crate::baseline::{Baseline, Scope};
use crate::cli::{ColorChoice, Command, CommonArgs};
use crate::config::{self, Config};
use crate::diagnostic::Skipped;
use crate::engine;
use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::prefilter::Prefilter;
use crate::rule_id::{RuleId, RuleSet};
use crate::rules::Fixing;
use crate::settings::Settings;
use crate::source::SourceFile;
use crate::walk::{self, WalkOptions};

pub use settings::silent;

/// Runs one parsed command line and returns its exit code (errors become exit 2 in `main`).
pub fn run(mut command: Command) -> Result<ExitCode> {
    settings::apply_quiet(&mut command);
    match command {
        Command::Check(args) => check::run(&args),
        Command::Explain(args) => info::explain(&args),
        Command::Rules(args) => info::rules(&args),
        Command::Init(args) if args.discover => discover::init(&args),
        Command::Init(args) => info::init(&args),
        Command::Counts(args) => counts::run(&args),
        Command::Baseline(args) => baseline::run(&args),
        Command::Trend(args) => trend::run(&args),
        Command::Fix(args) => fix::run(&args),
        Command::Registry(command) => registry::run(&command),
        Command::Clean(args) => clean::run(&args),
        Command::Discover(args) => discover::run(&args),
        Command::Completions(args) => completions::completions(&args),
        Command::Man(_) => completions::man(),
    }
}

/// The result of linting the project, shared by `check`, `counts`, `baseline` and `fix`.
pub(crate) struct LintRun {
    /// What the run was resolved to: config (with its phase), rules, cache, prefilter.
    pub settings: Settings,
    pub cwd: PathBuf,
    pub files: usize,
    /// Every finding, suppressed ones included (marked), sorted; gating applied.
    pub findings: Vec<Finding>,
    pub skipped: Vec<Skipped>,
    /// Sources by report path: files with findings, and the config files.
    pub sources: HashMap<String, Arc<SourceFile>>,
    pub current_phase: Option<u32>,
    /// The `--baseline` file, when one was given (already applied to `findings`).
    pub baseline: Option<Baseline>,
    /// The files and rules this run looked at (baseline entries elsewhere are left alone).
    pub scope: Scope,
    /// Where each linted file is on disk, by report path (report paths are escaped for
    /// display; this is the path to open and write).
    pub paths: HashMap<String, PathBuf>,
}

/// The most threads `--jobs` starts: more only costs memory and start-up time (20,000 threads
/// took minutes to start), so larger values are capped.
pub(crate) const MAX_JOBS: usize = 256;

impl LintRun {
    /// Refuses (exit 2) to write a report over a file this run reads: a linted source file, a
    /// config file or the baseline. Compared by file identity, so symlinks and `./x` are caught.
    pub(crate) fn guard_output(&self, output: Option<&Path>, baseline: Option<&Path>) -> Result<()> {
        let Some(output) = output else {
            return Ok(());
        };
        let Some(target) = FileId::of(&self.cwd.join(output)) else {
            return Ok(());
        };
        let refuse = |what: &str| {
            Err(Error::usage_with_help(
                format!("refusing to write the report to {}: it is {what}", output.display()),
                "choose another --output file",
            ))
        };
        if let Some(baseline) = baseline {
            if FileId::of(&self.cwd.join(baseline)).as_ref() == Some(&target) {
                return refuse("the --baseline file");
            }
        }
        for source in &self.settings.config.sources {
            if FileId::of(&source.path).as_ref() == Some(&target) {
                return refuse("a config file of this run");
            }
        }
        if let Some((path, _)) =
            self.paths.iter().find(|(_, disk)| FileId::of(disk).as_ref() == Some(&target))
        {
            return refuse(&format!("a linted source file ({path})"));
        }
        Ok(())
    }
}

/// A file's identity: device and inode on Unix, the canonical path elsewhere.
#[derive(Clone, Debug, PartialEq, Eq)]
struct FileId(#[cfg(unix)] (u64, u64), #[cfg(not(unix))] PathBuf);

impl FileId {
    fn of(path: &Path) -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let metadata = std::fs::metadata(path).ok()?;
            Some(FileId((metadata.dev(), metadata.ino())))
        }
        #[cfg(not(unix))]
        {
            path.canonicalize().ok().map(FileId)
        }
    }
}

/// What a command needs of a run besides its findings; decided before the run, as part of its
/// `Settings`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Needs {
    /// The findings alone.
    Findings,
    /// Also the text of the files with findings (`LintRun::sources`), for reporters that draw
    /// snippets.
    Sources,
    /// The sources, and fixes planned for `ssot-lint fix`: the project's modules consulted and
    /// only the enabled rules' findings resolved (`Settings::fixing`).
    Fixes,
}

/// Loads the config, walks, lints and marks every finding (baseline, then phase gating).
/// Lints the project as `common` says, with what the command `needs`.
pub(crate) fn lint_project(common: &CommonArgs, baseline: Option<&Path>, needs: Needs) -> Result<LintRun> {
    lint_project_with(common, baseline.map_or(BaselineFrom::None, BaselineFrom::File), needs)
}

/// Where a run's baseline comes from.
#[derive(Clone, Copy, Debug)]
pub(crate) enum BaselineFrom<'a> {
    None,
    /// `--baseline FILE`
    File(&'a Path),
    /// `--baseline-ref REF`: the findings at merge-base(REF, HEAD), from the object store.
    Ref(&'a str),
}

impl<'a> BaselineFrom<'a> {
    pub fn of(file: Option<&'a Path>, rev: Option<&'a str>) -> Self {
        match (file, rev) {
            (Some(file), _) => BaselineFrom::File(file),
            (None, Some(rev)) => BaselineFrom::Ref(rev),
            (None, None) => BaselineFrom::None,
        }
    }
}

/// `lint_project` with a baseline from a file or from git.
pub(crate) fn lint_project_with(
    common: &CommonArgs,
    baseline_from: BaselineFrom,
    needs: Needs,
) -> Result<LintRun> {
    let baseline = match baseline_from {
        BaselineFrom::File(path) => Some(path),
        _ => None,
    };
    let cwd = std::env::current_dir().map_err(|source| Error::Read { path: PathBuf::from("."), source })?;
    let paths = if common.paths.is_empty() { vec![PathBuf::from(".")] } else { common.paths.clone() };
    let loaded = config::load(common.config.as_deref(), &cwd, &paths)?;
    if !common.quiet {
        match &loaded.path {
            None => crate::stderr_line!("warning: no ssot-lint.toml found; running with no registry (only syntax-error can fire)"),
            Some(path) if loaded.config.is_empty() => crate::stderr_line!(
                "warning: {} declares nothing to check (no registry, deprecated modules, concepts, patterns or events); only syntax-error can fire",
                path.display()
            ),
            Some(_) => {}
        }
    }
    let settings = resolve_settings(common, &cwd, &paths, loaded.config, needs)?;
    // Read the baseline before linting, so a bad file fails fast.
    let baseline = baseline.map(Baseline::load).transpose()?;
    let config = &settings.config;

    let walk_options = WalkOptions { force_exclude: common.force_exclude, follow_links: common.follow_links };
    let walked = walk::collect(config, &cwd, &paths, &walk_options)?;
    let entries = walked.files;
    // Files named with --force-exclude that are all excluded (pre-commit passing a staged
    // fixture) leave nothing to do, which is not an error; an empty directory walk is.
    let all_excluded_files = common.force_exclude && paths.iter().all(|path| cwd.join(path).is_file());
    if entries.is_empty() && !all_excluded_files {
        let shown: Vec<String> = paths.iter().map(|path| path.display().to_string()).collect();
        return Err(Error::usage_with_help(
            format!("no Python or Rust files to lint under {}", shown.join(", ")),
            "check the paths, and `include` / `exclude` in the config",
        ));
    }
    if !common.quiet {
        for entry in entries.iter().filter(|entry| entry.path.strip_prefix(&config.root).is_err()) {
            crate::stderr_line!(
                "warning: {} is outside the project root {}: reported with its absolute path, and its module name is a guess",
                entry.rel_path,
                walk::relative_path(Path::new(""), &config.root)
            );
        }
    }
    let baseline = match baseline_from {
        BaselineFrom::Ref(rev) => Some(trend::baseline_at_ref(&settings, &cwd, &paths, rev, common)?),
        _ => baseline,
    };
    let outcome = engine::lint(&settings, &entries);

    let scope = run_scope(&settings, &entries, &outcome.skipped);
    let paths = entries.iter().map(|entry| (entry.rel_path.clone(), entry.path.clone())).collect();
    let mut findings = outcome.findings;
    if let Some(baseline) = &baseline {
        baseline.mark(&mut findings);
    }
    let current_phase = settings.phase();
    crate::gate::apply(&mut findings, current_phase);

    let mut sources: HashMap<String, Arc<SourceFile>> =
        outcome.sources.into_iter().map(|file| (file.rel_path.clone(), file)).collect();
    for source in &config.sources {
        let file = SourceFile::from_text(&source.display, "", false, &source.text);
        sources.insert(source.display.clone(), Arc::new(file));
    }
    Ok(LintRun {
        settings,
        cwd,
        files: outcome.files,
        findings,
        skipped: walked.problems.into_iter().chain(outcome.skipped).collect(),
        sources,
        current_phase,
        baseline,
        scope,
        paths,
    })
}

/// The one place a run's `Settings` are made: the config (with the run's phase), the enabled
/// rules, whether the whole project is linted, threads, cache, prefilter and what the fixers
/// may assume.
fn resolve_settings(
    common: &CommonArgs,
    cwd: &Path,
    paths: &[PathBuf],
    mut config: Config,
    needs: Needs,
) -> Result<Settings> {
    config.current_phase = resolve_phase(&config, common.phase)?;
    settings::check_extend_select(common)?;
    let rules = enabled_rules(&settings::selected(common), &common.ignore)?;
    let whole_project = paths.iter().any(|path| {
        let absolute = cwd.join(path);
        absolute.canonicalize().is_ok_and(|path| path == config.root)
    });
    if common.jobs.is_some_and(|jobs| jobs > MAX_JOBS) && !common.quiet {
        crate::stderr_line!("warning: --jobs is capped at {MAX_JOBS} threads");
    }
    let cache_dir = (!common.no_cache).then(|| cache_dir(cwd, &config, common.cache_dir.as_deref()));
    let prefilter = (!common.no_prefilter).then(|| Prefilter::new(crate::rules::needles(&config)));
    let interest = crate::rules::interest(&config);
    let fixing = match needs {
        Needs::Fixes => Fixing::project(&config, rules),
        Needs::Findings | Needs::Sources => Fixing::trust_registry(),
    };
    Ok(Settings {
        config,
        rules,
        whole_project,
        jobs: common.jobs.map(|jobs| jobs.clamp(1, MAX_JOBS)),
        prefilter,
        interest,
        cache_dir,
        keep_sources: needs != Needs::Findings,
        fixing,
    })
}

/// The files linted (skipped ones excluded; config files on whole-project runs, where
/// `stale-registry` reports into them) and the rules enabled.
fn run_scope(settings: &Settings, entries: &[walk::FileEntry], skipped: &[Skipped]) -> Scope {
    let config = &settings.config;
    let skipped: HashSet<&str> = skipped.iter().map(|file| file.path.as_str()).collect();
    let linted =
        entries.iter().map(|entry| entry.rel_path.clone()).filter(|path| !skipped.contains(path.as_str()));
    let config_files =
        config.sources.iter().map(|source| source.display.clone()).filter(|_| settings.whole_project);
    Scope::new(linted.chain(config_files), settings.rules)
}

/// `--cache-dir DIR` (relative to the current directory), else `.ssot-lint-cache` in the project root.
fn cache_dir(cwd: &Path, config: &Config, given: Option<&Path>) -> PathBuf {
    match given {
        Some(dir) => cwd.join(dir),
        None => config.root.join(crate::cache::DIR_NAME),
    }
}

/// `--phase N` overrides `current-phase`; it must name a declared phase.
fn resolve_phase(config: &Config, requested: Option<u32>) -> Result<Option<u32>> {
    let Some(phase) = requested else {
        return Ok(config.current_phase);
    };
    if config.phases.is_empty() || config.phase_name(phase).is_some() {
        return Ok(Some(phase));
    }
    let declared: Vec<String> = config.phases.iter().map(|phase| phase.id.to_string()).collect();
    Err(Error::usage_with_help(
        format!("--phase {phase}: phase {phase} is not declared in the config"),
        format!("declared phases: {}", declared.join(", ")),
    ))
}

/// Rule ids left after `--select` and `--ignore`; unknown ids are an error.
fn enabled_rules(select: &[String], ignore: &[String]) -> Result<RuleSet> {
    let lookup = |id: &String| {
        RuleId::parse(id.trim()).ok_or_else(|| {
            Error::usage_with_help(
                format!("unknown rule `{id}`"),
                "run `ssot-lint rules` to list the rule ids",
            )
        })
    };
    let mut enabled =
        if select.is_empty() { RuleSet::all() } else { select.iter().map(lookup).collect::<Result<_>>()? };
    for id in ignore {
        enabled.remove(lookup(id)?);
    }
    Ok(enabled)
}

/// Warnings about files that could not be linted.
pub(crate) fn report_skipped(skipped: &[Skipped], quiet: bool) {
    if quiet {
        return;
    }
    for file in skipped {
        crate::stderr_line!("warning: skipped {}: {}", file.path, file.reason);
    }
}

/// Whether to color output written to stdout.
pub(crate) fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

/// Writes a report to `--output FILE` or stdout.
pub(crate) fn write_output(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<()> {
    match output {
        Some(path) => {
            let mut buffer = Vec::new();
            write(&mut buffer).map_err(|source| Error::Write { path: path.to_path_buf(), source })?;
            std::fs::write(path, buffer).map_err(|source| Error::Write { path: path.to_path_buf(), source })
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = std::io::BufWriter::new(stdout.lock());
            match write(&mut lock).and_then(|()| std::io::Write::flush(&mut lock)) {
                // A closed pipe (`ssot-lint check | head`) is not an error worth exit 2.
                Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.map_err(|source| Error::Write { path: PathBuf::from("<stdout>"), source }),
            }
        }
    }
}
