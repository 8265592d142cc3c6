//! Command-line interface (clap derive): every command and flag, with its help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "ssot-lint",
    version,
    about = "Keeps a Python codebase on its single sources of truth while it migrates",
    long_about = "Keeps a Python codebase on its single sources of truth while it migrates.\n\n\
        Reads ssot-lint.toml (the import registry, concepts, deprecated modules, banned patterns,\n\
        event vocabularies and migration phases) and reports every place that breaks it.\n\
        Without a command, `ssot-lint [PATHS]` runs `check`.",
    after_help = "Exit codes: 0 no gating findings, 1 gating findings, 2 the tool could not do its job."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Show internal error codes (e.g. `ssot_lint::usage`) with error messages
    #[arg(long, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint the project; the CI gate (default command)
    Check(CheckArgs),
    /// Violation counts per phase, rule, concept, check or file
    Counts(CountsArgs),
    /// Write the current findings to a baseline file (the ratchet)
    Baseline(BaselineArgs),
    /// Violations per phase over git history: a burn-down read from the object store
    #[command(long_about = TREND_ABOUT)]
    Trend(TrendArgs),
    /// Rewrite non-canonical imports to their canonical module
    Fix(FixArgs),
    /// Print a rule's documentation
    Explain(ExplainArgs),
    /// List every rule with its default severity
    Rules(RulesArgs),
    /// Import registry tools
    #[command(subcommand)]
    Registry(RegistryCommand),
    /// Write a commented starter ssot-lint.toml (--discover: one proposed from the code)
    Init(InitArgs),
    /// Find scattered imports, duplicate definitions and class families; --write a starter config
    #[command(long_about = DISCOVER_ABOUT)]
    Discover(DiscoverArgs),
    /// Remove the fact cache
    Clean(CleanArgs),
    /// Print a shell completion script: bash, zsh, fish or powershell
    #[command(after_help = COMPLETIONS_HELP)]
    Completions(CompletionsArgs),
    /// Print the man page (roff) on stdout
    Man(ManArgs),
}

/// Options shared by every command that lints.
#[derive(Debug, Args, Clone, Default)]
pub struct CommonArgs {
    /// Files or directories to lint [default: .]
    pub paths: Vec<PathBuf>,

    /// Config file (default: ssot-lint.toml, .ssot-lint.toml or pyproject.toml [tool.ssot-lint],
    /// searched from the current directory upwards). A config named here applies to the current
    /// directory as the project root, unless it sets `[project] root`
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Override `current-phase`: findings of later phases are warnings and do not gate
    #[arg(long, value_name = "N")]
    pub phase: Option<u32>,

    /// Only run these rules (comma-separated rule ids)
    #[arg(long, value_name = "RULE,...", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Do not run these rules (comma-separated rule ids)
    #[arg(long, value_name = "RULE,...", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Run these rules in addition to those of --select (comma-separated rule ids)
    #[arg(long, value_name = "RULE,...", value_delimiter = ',')]
    pub extend_select: Vec<String>,

    /// Number of threads [default: all cores; at most 256, larger values are capped]
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,

    /// Do not read or write the fact cache
    #[arg(long)]
    pub no_cache: bool,

    /// Cache directory [default: .ssot-lint-cache in the project root]
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Parse every file and run every rule on it, even where the needle prefilter finds
    /// nothing any rule could match (slower; reports every syntax error, see syntax-error)
    #[arg(long)]
    pub no_prefilter: bool,

    /// Apply `exclude` to files named explicitly on the command line too
    #[arg(long)]
    pub force_exclude: bool,

    /// Follow symbolic links while walking directories
    #[arg(long)]
    pub follow_links: bool,

    /// -q: print only findings and errors (no summary, no warnings); -qq: print nothing, the
    /// exit code says it all
    #[arg(long = "quiet", short = 'q', action = clap::ArgAction::Count)]
    pub quiet_level: u8,

    /// Set from `quiet_level` after parsing (`-q` or more): no warnings, no summary.
    #[arg(skip)]
    pub quiet: bool,

    /// When to use colors
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Rich diagnostics on a terminal, one line per finding otherwise
    Text,
    /// One line per finding: path:line:col: rule message
    Concise,
    /// JSON: every finding and a summary (version 1)
    Json,
    /// SARIF 2.1.0 for GitHub code scanning
    Sarif,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// GitLab code quality report (Code Climate JSON)
    Gitlab,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Output format
    #[arg(long = "output-format", visible_alias = "format", value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,

    /// Write the report to FILE instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Baseline file: findings recorded there are reported as baselined and do not gate
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Baseline from git: findings that occur at merge-base(REF, HEAD), computed from the
    /// object store (no baseline file), are reported as baselined and do not gate
    #[arg(long, value_name = "REF", conflicts_with = "baseline")]
    pub baseline_ref: Option<String>,

    /// Print baselined findings too (as notes)
    #[arg(long)]
    pub show_baselined: bool,

    /// Exit 0 even when there are gating findings
    #[arg(long)]
    pub exit_zero: bool,

    /// Exit 2 when any file could not be linted (unreadable, too big, timed out)
    #[arg(long)]
    pub strict: bool,

    /// SARIF automationDetails.id
    #[arg(long, value_name = "ID", default_value = "ssot-lint/")]
    pub sarif_category: String,

    /// Print the number of findings per rule instead of the findings (text or json)
    #[arg(long)]
    pub statistics: bool,

    /// Print the resolved settings (config files, root, phases, entries and where each comes
    /// from) and exit
    #[arg(long, conflicts_with_all = ["show_files", "watch"])]
    pub show_settings: bool,

    /// Print the files that would be linted and exit
    #[arg(long, conflicts_with = "watch")]
    pub show_files: bool,

    /// Re-lint whenever a file changes (Ctrl-C to stop); the cache makes a change cost one file
    #[arg(long, short = 'w', conflicts_with_all = ["output", "exit_zero"])]
    pub watch: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CountsBy {
    Phase,
    Rule,
    Concept,
    Check,
    File,
    /// The owners `CODEOWNERS` gives each file ("unowned" for the rest)
    Owner,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CountsFormat {
    Text,
    Json,
    Csv,
    Markdown,
}

#[derive(Debug, Args)]
pub struct CountsArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// What to group by
    #[arg(long, value_enum, default_value_t = CountsBy::Phase)]
    pub by: CountsBy,

    /// Output format
    #[arg(long = "output-format", visible_alias = "format", value_enum, default_value_t = CountsFormat::Text)]
    pub format: CountsFormat,

    /// Print only one number: the violations of phase N (suppressed and baselined excluded)
    #[arg(long, value_name = "N")]
    pub only_phase: Option<u32>,

    /// Baseline file: adds a "fixed since baseline" column
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Baseline from git: the findings at merge-base(REF, HEAD), computed from the object
    /// store, as with --baseline FILE
    #[arg(long, value_name = "REF", conflicts_with = "baseline")]
    pub baseline_ref: Option<String>,

    /// Write the counts to FILE instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Where to write the baseline
    #[arg(long, short = 'o', value_name = "FILE", default_value = ".ssot-lint-baseline.json")]
    pub output: PathBuf,

    /// Update FILE in place: drop entries that no longer occur, refuse new ones
    #[arg(long, value_name = "FILE", conflicts_with = "output")]
    pub update: Option<PathBuf>,

    /// With --update: also add new findings
    #[arg(long, requires = "update")]
    pub allow_new: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrendFormat {
    /// A table with a bar per commit
    Text,
    /// {"version": 1, "rev", "points": [...]}, oldest commit first
    Json,
    /// One row per commit
    Csv,
    /// A first/last/change table and a Mermaid chart (for $GITHUB_STEP_SUMMARY)
    Markdown,
    /// A burn-down chart, one line per phase
    Svg,
    /// One self-contained page: the chart and the table
    Html,
}

const TREND_ABOUT: &str = "Violations per phase over git history: a burn-down read from the object store.

Lints the tree of each commit reached from --rev (first parents by default) exactly as `check`
would lint a clean checkout of it: that commit's .gitignore files, include / exclude, hidden
files, PATHS, suppressions and phase gating. Nothing is checked out and the work tree is never
read, so a bare or --no-checkout clone works.

One config is used for every commit, the one found as `check` finds it (or --config), so the
series is comparable: a commit is measured against today's registry and phases, not the config
it had then.

Each file version (git blob) is linted once: a commit costs only what changed in it, and the
results are kept in the cache directory, so a nightly run re-lints only the new commits.";

#[derive(Debug, Args)]
pub struct TrendArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// The newest commit of the series
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    pub rev: String,

    /// At most N commits (points) in the series
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_commits: u64,

    /// Only commits with a committer date at or after DATE (2025-01-31, "3 months ago", ...)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// Follow first parents only: the mainline of merges (the default)
    #[arg(long, overrides_with = "all_parents")]
    pub first_parent: bool,

    /// Follow every parent: commits of merged branches too, by commit date
    #[arg(long, overrides_with = "first_parent")]
    pub all_parents: bool,

    /// Sample every Nth commit, counted from --rev (which is always a point)
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    pub every: u64,

    /// Output format
    #[arg(long = "output-format", visible_alias = "format", value_enum, default_value_t = TrendFormat::Text)]
    pub format: TrendFormat,

    /// Write the report to FILE instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct FixArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Print a unified diff and change nothing (exit 1 when there is a change)
    #[arg(long, visible_alias = "diff")]
    pub dry_run: bool,

    /// Write files even when they have uncommitted git changes
    #[arg(long)]
    pub allow_dirty: bool,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Rule id, e.g. non-canonical-import
    pub rule: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format
    #[arg(long = "output-format", visible_alias = "format", value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Debug, Subcommand)]
pub enum RegistryCommand {
    /// Convert a Markdown import registry (SSOT_IMPORT_REGISTRY.md style) to ssot-lint TOML
    Import(RegistryImportArgs),
}

#[derive(Debug, Args)]
pub struct RegistryImportArgs {
    /// The Markdown registry
    pub file: PathBuf,

    /// Write the TOML to FILE instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the config
    #[arg(default_value = "ssot-lint.toml")]
    pub path: PathBuf,

    /// Overwrite an existing file
    #[arg(long)]
    pub force: bool,

    /// Propose the config from the code in the current directory: the same as
    /// `ssot-lint discover --write PATH` (prints the report too)
    #[arg(long)]
    pub discover: bool,
}

const DISCOVER_ABOUT: &str = "Find the single-source-of-truth problems of a codebase from the code alone, \
before anyone writes a config.

Reports, ranked:
  scattered imports      names imported with `from M import N` from several modules of the project,
                         with the modules that define them and the ones that only re-export them;
                         ranked by the imports that do not use the name's most used import source
                         (a package re-exporting to everyone is not scattered)
  duplicate definitions  classes and functions defined at module level in several modules
                         (up to --max-modules; more is a convention such as a plugin hook)
  families               classes sharing a CamelCase suffix of one or two words (*WebSocketManager,
                         *Factory), with the factories around them (get_*_factory, create_*, *Factory)
                         (up to --max-family classes)

Test code (tests/, test_*.py, *_test.py, conftest.py) is left out unless --include-tests; the
config's include / exclude apply when a config is found (none is needed).
--write FILE turns the report into a starter config: a [[registry]] entry per scattered name and a
[[concept]] per family, each preceded by its evidence. A name's registry home is its one defining
module, else the module most of its imports lead to; the modules that only re-export it are compat.
`check` with the config reports exactly the non-canonical and compat imports counted here.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiscoverFormat {
    /// A ranked report: tables on a terminal, one line per item otherwise
    Text,
    /// Everything found, stable schema: {"version": 1, "files", "scattered", "duplicates", "families"}
    Json,
    /// Markdown tables for an issue or pull-request description
    Markdown,
}

#[derive(Debug, Args)]
pub struct DiscoverArgs {
    /// Files or directories to read [default: .]
    pub paths: Vec<PathBuf>,

    /// Config file, for roots, include and exclude (default: the one found as `check` finds it;
    /// none is needed)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Output format
    #[arg(long = "output-format", visible_alias = "format", value_enum, default_value_t = DiscoverFormat::Text)]
    pub format: DiscoverFormat,

    /// Write the report to FILE instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Write a starter config proposed from the findings to FILE (refuses to overwrite)
    #[arg(long, value_name = "FILE")]
    pub write: Option<PathBuf>,

    /// With --write: overwrite FILE when it exists
    #[arg(long, requires = "write")]
    pub force: bool,

    /// A scattered name is imported from, and a duplicate defined in, at least N modules
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u32).range(2..))]
    pub min_modules: u32,

    /// A scattered name has at least N imports (from project modules) that do not use its most
    /// used import source
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..))]
    pub min_imports: u32,

    /// A family has at least N classes
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(2..))]
    pub min_family: u32,

    /// A duplicate defined in more than N modules is a convention (a plugin hook such as
    /// `async_setup_entry`), only counted
    #[arg(long, value_name = "N", default_value_t = 25, value_parser = clap::value_parser!(u32).range(2..))]
    pub max_modules: u32,

    /// A family of more than N classes is a convention (every plugin's `*Sensor`), only counted
    #[arg(long, value_name = "N", default_value_t = 25, value_parser = clap::value_parser!(u32).range(2..))]
    pub max_family: u32,

    /// Count test code too (tests/, test_*.py, *_test.py, conftest.py)
    #[arg(long)]
    pub include_tests: bool,

    /// Items shown per section in text and markdown (0: all); JSON always lists all
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub top: usize,

    /// Number of threads [default: all cores]
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,

    /// Follow symbolic links while walking directories
    #[arg(long)]
    pub follow_links: bool,

    /// Print nothing on stderr but errors
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Config file (the cache is in its project root, found as `check` finds it)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Cache directory [default: .ssot-lint-cache in the project root]
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: Shell,
}

const COMPLETIONS_HELP: &str = "Install, for example:
  bash        ssot-lint completions bash > ~/.local/share/bash-completion/completions/ssot-lint
  zsh         ssot-lint completions zsh > ~/.zfunc/_ssot-lint   (with fpath+=~/.zfunc before compinit)
  fish        ssot-lint completions fish > ~/.config/fish/completions/ssot-lint.fish
  powershell  ssot-lint completions powershell >> $PROFILE";

#[derive(Debug, Args)]
pub struct ManArgs {}

/// Inserts `check` when the first argument is not a command, so `ssot-lint src/` lints.
pub fn with_default_command(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    use clap::CommandFactory;
    // `--verbose` is global: it may come before the command (`ssot-lint --verbose check`).
    let Some(first) = args.iter().skip(1).filter_map(|arg| arg.to_str()).find(|arg| *arg != "--verbose")
    else {
        let mut args = args;
        args.push("check".into());
        return args;
    };
    let command = Cli::command();
    let is_command = command
        .get_subcommands()
        .any(|sub| sub.get_name() == first || sub.get_all_aliases().any(|alias| alias == first));
    let is_top_level_flag = matches!(first, "-h" | "--help" | "-V" | "--version" | "help");
    if is_command || is_top_level_flag {
        return args;
    }
    let mut args = args;
    args.insert(1, "check".into());
    args
}
