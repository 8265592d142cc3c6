//! The language-free engine: one pass over the walked files, in parallel, with a
//! deterministic result.
//!
//! - `check_source` (`check.rs`): one file's text in, its placed findings out; every caller that
//!   lints a file goes through it.
//! - `lint` (here): the parallel map over the walk, the result cache (`cache`), the project-wide
//!   rules over every file's contribution, and one sort.
//! - `place.rs`: byte spans to findings (positions, suppressions, fingerprints); `io.rs`: what
//!   is read, and what is refused.

mod check;
mod io;
mod place;

use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

pub use check::{check_source, FileResult, How};
pub use io::MAX_FILE_SIZE;
pub(crate) use io::{read_source, refuse, stat_source};

use crate::cache::{self, Cache, Entry, Lookup};
use crate::config::Config;
use crate::diagnostic::Skipped;
use crate::finding::Finding;
use crate::rules::{self, Contribution};
use crate::settings::Settings;
use crate::source::SourceFile;
use crate::walk::{module_for, FileEntry};

/// Set this environment variable to print, on stderr, how each file was handled and the
/// slowest files (used by `scripts/bench`).
pub(crate) const TIMINGS_ENV: &str = "SSOT_LINT_TIMINGS";

/// The result of a pass.
#[derive(Debug, Default)]
pub struct LintOutcome {
    /// Files linted (skipped files not included).
    pub files: usize,
    /// Every finding, suppressed ones included (marked), sorted by path, line, column, rule.
    pub findings: Vec<Finding>,
    pub skipped: Vec<Skipped>,
    /// Sources of the files that have findings, for reporters that draw snippets.
    pub sources: Vec<Arc<SourceFile>>,
    pub stats: Stats,
}

/// How the files of a pass were handled.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Results taken from the cache.
    pub cached: usize,
    /// Parsed for syntax errors only: the prefilter found nothing any rule could match.
    pub syntax_only: usize,
    /// Parsed, facts extracted and every rule run.
    pub linted: usize,
    /// The slowest files (path, time), slowest first.
    pub slowest: Vec<(String, Duration)>,
}

/// A file that was linted (from the cache or not).
struct LintedFile {
    path: String,
    findings: Vec<Finding>,
    contribution: Contribution,
    source: Option<Arc<SourceFile>>,
    /// A new or re-stamped cache entry for this file (`None`: the cached one is current).
    cache: Option<Entry>,
    how: How,
    elapsed: Duration,
}

enum FileOutcome {
    Linted(Box<LintedFile>),
    Skipped(Skipped),
}

/// What every per-file task shares.
struct Engine<'a> {
    config: &'a Config,
    settings: &'a Settings,
    cache: Option<Cache>,
}

pub fn lint(settings: &Settings, files: &[FileEntry]) -> LintOutcome {
    let config = &settings.config;
    let cache =
        settings.cache_dir.as_ref().map(|dir| Cache::open(dir, cache::key(config, &settings.cache_key())));
    let engine = Engine { config, settings, cache };
    let results: Vec<FileOutcome> =
        in_pool(settings.jobs, || files.par_iter().map(|entry| engine.lint_file(entry)).collect());

    let mut outcome = LintOutcome::default();
    let mut contributions = Vec::new();
    let mut updates = Vec::new();
    let mut seen = Vec::new();
    let mut times = Vec::new();
    for result in results {
        match result {
            FileOutcome::Linted(linted) => {
                let LintedFile { path, findings, contribution, source, cache, how, elapsed } = *linted;
                outcome.files += 1;
                outcome.stats.count(how);
                outcome
                    .findings
                    .extend(findings.into_iter().filter(|finding| rules::reported(finding, settings.rules)));
                // An empty contribution tells the project-wide rules nothing.
                if !contribution.is_empty() {
                    contributions.push(contribution);
                }
                outcome.sources.extend(source);
                if let Some(entry) = cache {
                    updates.push((path.clone(), entry));
                }
                times.push((path, elapsed));
            }
            FileOutcome::Skipped(skipped) => outcome.skipped.push(skipped),
        }
    }
    let contributions: Vec<&Contribution> = contributions.iter().collect();
    finish_findings(settings, &mut outcome.findings, &contributions);
    times.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    times.truncate(10);
    outcome.stats.slowest = times;
    if let Some(cache) = engine.cache {
        seen.extend(files.iter().map(|entry| entry.rel_path.as_str()));
        if let Err(error) = cache.save(updates, &seen, settings.whole_project) {
            crate::stderr_line!("warning: could not write the cache: {error}");
        }
    }
    if std::env::var_os(TIMINGS_ENV).is_some() {
        crate::stderr_line!("{}", outcome.stats);
    }
    outcome
}

/// Runs `work` (which uses rayon) on `jobs` threads (`--jobs`), or on the global pool (all cores).
pub(crate) fn in_pool<T: Send>(jobs: Option<usize>, work: impl FnOnce() -> T + Send) -> T {
    match jobs.map(|jobs| rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build()) {
        Some(Ok(pool)) => pool.install(work),
        Some(Err(_)) | None => work(),
    }
}

impl Stats {
    fn count(&mut self, how: How) {
        let counter = match how {
            How::Cached => &mut self.cached,
            How::SyntaxOnly => &mut self.syntax_only,
            How::Linted => &mut self.linted,
        };
        *counter += 1;
    }
}

impl std::fmt::Display for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "ssot-lint files: {} cached, {} parsed for syntax errors only, {} linted",
            self.cached, self.syntax_only, self.linted
        )?;
        for (path, elapsed) in &self.slowest {
            writeln!(f, "ssot-lint slowest: {:.1} ms {path}", elapsed.as_secs_f64() * 1000.0)?;
        }
        Ok(())
    }
}

impl Engine<'_> {
    fn lint_file(&self, entry: &FileEntry) -> FileOutcome {
        let started = Instant::now();
        let skip = |reason| FileOutcome::Skipped(Skipped { path: entry.rel_path.clone(), reason });
        let stamp = match io::stat_source(&entry.path) {
            Ok(stamp) => stamp,
            Err(reason) => return skip(reason),
        };
        let cached = self.cache.as_ref().map(|cache| cache.lookup(&entry.rel_path, stamp));
        if let Some(Lookup::Fresh(cached)) = cached {
            if same_module(self.config, entry, cached) {
                return self.cached_outcome(entry, &cached.result, None, started);
            }
        }
        let bytes = match read_source(&entry.path) {
            Ok(bytes) => bytes,
            Err(reason) => return skip(reason),
        };
        let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
        if let Some(Lookup::Verify(Some(cached))) = cached {
            if cached.hash == hash && same_module(self.config, entry, cached) {
                let restamped =
                    Entry { stamp, hash, module: cached.module.clone(), result: cached.result.clone() };
                return self.cached_outcome(entry, &cached.result, Some(restamped), started);
            }
        }
        let (module, is_package) = module_for(self.config, &entry.rel_path, entry.language);
        let file =
            SourceFile::with_language(entry.language, entry.rel_path.clone(), module, is_package, bytes);
        let FileResult { findings, contribution, how, .. } = check_source(&file, self.settings);
        let cache = self.cache.as_ref().map(|_| Entry {
            stamp,
            hash,
            module: file.module.clone(),
            result: cache::FileResult { findings: findings.clone(), contribution: contribution.clone() },
        });
        let wanted = self.settings.keep_sources && self.has_shown_findings(&findings);
        FileOutcome::Linted(Box::new(LintedFile {
            path: entry.rel_path.clone(),
            findings,
            contribution,
            source: wanted.then(|| Arc::new(file)),
            cache,
            how,
            elapsed: started.elapsed(),
        }))
    }

    fn cached_outcome(
        &self,
        entry: &FileEntry,
        result: &cache::FileResult,
        cache: Option<Entry>,
        started: Instant,
    ) -> FileOutcome {
        let findings = result.findings.clone();
        // Reporters that draw snippets need the text of files with findings to show.
        let wanted = self.settings.keep_sources && self.has_shown_findings(&findings);
        let source = wanted.then(|| read_source(&entry.path).ok()).flatten().map(|bytes| {
            let (module, is_package) = module_for(self.config, &entry.rel_path, entry.language);
            Arc::new(SourceFile::with_language(
                entry.language,
                entry.rel_path.clone(),
                module,
                is_package,
                bytes,
            ))
        });
        FileOutcome::Linted(Box::new(LintedFile {
            path: entry.rel_path.clone(),
            findings,
            contribution: result.contribution.clone(),
            source,
            cache,
            how: How::Cached,
            elapsed: started.elapsed(),
        }))
    }

    fn has_shown_findings(&self, findings: &[Finding]) -> bool {
        findings.iter().any(|finding| !finding.suppressed && rules::reported(finding, self.settings.rules))
    }
}

/// What a pass adds once every file is linted: the project-wide rules (from the files'
/// contributions, on whole-project runs) and the deterministic order. `findings` are the files'
/// findings, already filtered by the enabled rules.
pub(crate) fn finish_findings(
    settings: &Settings,
    findings: &mut Vec<Finding>,
    contributions: &[&Contribution],
) {
    let config = &settings.config;
    if settings.whole_project {
        let violations = rules::check_project(config, settings.rules, contributions);
        findings.extend(place::config_findings(config, violations));
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// A file's module may depend on more than the cache key covers (a Rust file's comes from the
/// nearest Cargo.toml): a cached result stands only while the file's module is still the one it
/// was computed for.
fn same_module(config: &Config, entry: &FileEntry, cached: &Entry) -> bool {
    module_for(config, &entry.rel_path, entry.language).0 == cached.module
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::Language;

    /// The front end is the walk's choice (`FileEntry::language`), not the engine's reading of
    /// the file name: the same text in the same file is valid Rust and broken Python.
    #[test]
    fn the_walked_language_picks_the_front_end() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lib.py");
        std::fs::write(&path, "pub fn run() -> u8 { 1 }\n").unwrap();
        let config = crate::config::from_text("", dir.path()).unwrap();
        // No prefilter: every file is parsed, whatever needles the rules ask for (a file no
        // rule can fire in is only screened for syntax errors, and the screen passes this one).
        let settings = Settings { prefilter: None, ..Settings::new(config) };
        let rules_of = |language| {
            let entry = FileEntry { language, ..FileEntry::new("lib.py".to_string(), path.clone()) };
            let outcome = lint(&settings, &[entry]);
            assert_eq!(outcome.files, 1);
            outcome.findings.iter().map(|finding| finding.rule.as_str()).collect::<Vec<_>>()
        };
        assert_eq!(rules_of(Language::Python), ["syntax-error"]);
        assert!(rules_of(Language::Rust).is_empty());
    }
}
