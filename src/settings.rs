//! `Settings`: everything a lint pass depends on, resolved once from the command line and the
//! config before any file is read (ripgrep's `LowArgs` → `HiArgs`). The commands build it
//! (`app::resolve_settings`); the engine only reads it, and nothing changes it afterwards.

use std::path::PathBuf;

use crate::config::Config;
use crate::lang::Interest;
use crate::prefilter::Prefilter;
use crate::rule_id::RuleSet;
use crate::rules::Fixing;

#[derive(Debug)]
pub struct Settings {
    /// The config; its `current_phase` is the run's phase (`--phase` over the file's).
    pub config: Config,
    /// The rules that may report (after `--select` / `--ignore`). Every rule still runs: the
    /// cache holds a file's findings of all of them.
    pub rules: RuleSet,
    /// The whole project is linted: project-wide rules (`stale-registry`) run.
    pub whole_project: bool,
    /// Threads to use; `None` = all cores.
    pub jobs: Option<usize>,
    /// The needles of every rule; `None`: every file gets every rule (`--no-prefilter`).
    pub prefilter: Option<Prefilter>,
    /// Which qualified names the rules can use (the front ends resolve only those).
    pub interest: Interest,
    /// Where the result cache lives; `None`: no cache (`--no-cache`).
    pub cache_dir: Option<PathBuf>,
    /// Keep the text of files with findings (`LintOutcome::sources`), for a reporter that draws
    /// snippets or for `fix`; otherwise a warm run need not read them.
    pub keep_sources: bool,
    /// What the fixers may assume and whose findings they resolve: `check` trusts the registry
    /// and fixes every rule's findings (so a cached result holds the same fixes whatever
    /// `--select` says); `ssot-lint fix` asks the project and resolves its enabled rules.
    pub fixing: Fixing,
}

impl Settings {
    /// Every rule enabled, the prefilter on, no cache, not the whole project, all cores.
    pub fn new(config: Config) -> Settings {
        let prefilter = Some(Prefilter::new(crate::rules::needles(&config)));
        let interest = crate::rules::interest(&config);
        Settings {
            config,
            rules: RuleSet::all(),
            whole_project: false,
            jobs: None,
            prefilter,
            interest,
            cache_dir: None,
            keep_sources: false,
            fixing: Fixing::trust_registry(),
        }
    }

    /// The run's phase: findings of later phases do not gate.
    pub fn phase(&self) -> Option<u32> {
        self.config.current_phase
    }

    /// What a file's result depends on besides the config and the binary: part of the cache key.
    pub(crate) fn cache_key(&self) -> String {
        format!("prefilter={} fixing={}", self.prefilter.is_some(), self.fixing.key())
    }
}
