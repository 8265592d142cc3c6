//! One lint pass: files → facts → findings, in parallel, with a deterministic result.
//!
//! Per file: the result cache (`cache`) may already hold the file's findings; otherwise the file
//! is parsed, and when the prefilter (`prefilter`) says a rule could fire in it, its facts are
//! extracted and the per-file rules run (otherwise only its syntax errors are reported).
//! Findings are placed (positions, suppressions, fingerprints) in the same task, so the cache
//! stores finished findings.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::cache::{self, Cache, CachedFinding, Entry, FileResult, Lookup, Stamp};
use crate::config::Config;
use crate::facts::FileFacts;
use crate::finding::{Finding, Fingerprinter, Violation};
use crate::lang::{self, python, Language};
use crate::prefilter::Prefilter;
use crate::rules::stale_registry::{self, Contribution};
use crate::rules::{self, FileContext};
use crate::source::{line_starts, line_text_in, position_in, SourceFile};
use crate::walk::{module_for, FileEntry};

/// Files over this size are skipped with a warning (SPEC §4).
pub const MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// Set this environment variable to print, on stderr, how each file was handled and the
/// slowest files (used by `scripts/bench`).
pub const TIMINGS_ENV: &str = "SSOT_LINT_TIMINGS";

#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    /// Threads to use; `None` = all cores.
    pub jobs: Option<usize>,
    /// Run project-wide rules (`stale-registry`): only when the whole project is linted.
    pub whole_project: bool,
    /// Rule ids that may report (after `--select` / `--ignore`).
    pub enabled_rules: Option<HashSet<&'static str>>,
    /// Run the rules on every file: no prefilter (`--no-prefilter`).
    pub no_prefilter: bool,
    /// Where the result cache lives; `None`: no cache (`--no-cache`).
    pub cache_dir: Option<PathBuf>,
    /// Keep the text of files with findings (`LintOutcome::sources`), for a reporter that draws
    /// snippets or for `fix`; otherwise a warm run need not read them.
    pub keep_sources: bool,
}

/// A file that could not be linted, and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum How {
    Cached,
    SyntaxOnly,
    Linted,
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
    options: &'a LintOptions,
    prefilter: Prefilter,
    /// Which qualified names the rules can use.
    interest: lang::Interest,
    cache: Option<Cache>,
}

pub fn lint(config: &Config, files: &[FileEntry], options: &LintOptions) -> LintOutcome {
    let cache =
        options.cache_dir.as_ref().map(|dir| Cache::open(dir, cache::key(config, &settings(options))));
    let engine = Engine {
        config,
        options,
        prefilter: Prefilter::new(config),
        interest: lang::Interest::of(config),
        cache,
    };
    let run = || files.par_iter().map(|entry| engine.lint_file(entry)).collect::<Vec<_>>();
    let results = match options.jobs {
        Some(jobs) => match rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build() {
            Ok(pool) => pool.install(run),
            Err(_) => run(),
        },
        None => run(),
    };

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
                outcome.findings.extend(findings.into_iter().filter(|finding| reported(options, finding)));
                contributions.push(contribution);
                outcome.sources.extend(source);
                if let Some(entry) = cache {
                    updates.push((path.clone(), entry));
                }
                times.push((path, elapsed));
            }
            FileOutcome::Skipped(skipped) => outcome.skipped.push(skipped),
        }
    }
    finish_findings(config, options, &mut outcome.findings, &contributions);
    times.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    times.truncate(10);
    outcome.stats.slowest = times;
    if let Some(cache) = engine.cache {
        seen.extend(files.iter().map(|entry| entry.rel_path.as_str()));
        if let Err(error) = cache.save(updates, &seen, options.whole_project) {
            crate::stderr_line!("warning: could not write the cache: {error}");
        }
    }
    if std::env::var_os(TIMINGS_ENV).is_some() {
        crate::stderr_line!("{}", outcome.stats);
    }
    outcome
}

/// What a pass adds once every file is linted: the project-wide rules (`stale-registry`, from
/// the files' contributions, on whole-project runs) and the deterministic order. `findings` are
/// the files' findings, already filtered by `rule_enabled`.
pub fn finish_findings(
    config: &Config,
    options: &LintOptions,
    findings: &mut Vec<Finding>,
    contributions: &[Contribution],
) {
    if options.whole_project && rule_enabled(options, stale_registry::META.id) {
        findings.extend(config_findings(config, stale_registry::check(config, contributions)));
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// Lints one file's bytes that do not come from the file system (a blob of a git commit, for
/// `trend`): the same checks, parse and rules as `lint` runs on a file on disk, with the
/// module name given by the caller. No cache: the caller keeps the results.
pub struct FileLinter<'a> {
    engine: Engine<'a>,
}

impl<'a> FileLinter<'a> {
    pub fn new(config: &'a Config, options: &'a LintOptions) -> Self {
        let engine = Engine {
            config,
            options,
            prefilter: Prefilter::new(config),
            interest: lang::Interest::of(config),
            cache: None,
        };
        FileLinter { engine }
    }

    /// Every finding of the file (all rules, suppressed ones marked) and its contribution; or
    /// why it is skipped (too big, binary), as `check` would skip it.
    pub fn lint_bytes(
        &self,
        rel_path: &str,
        module: (String, bool),
        bytes: Vec<u8>,
    ) -> Result<FileResult, String> {
        check_source(&bytes)?;
        let (findings, contribution, _, _) = self.engine.analyze(rel_path, module, bytes);
        Ok(FileResult { findings: findings.iter().map(CachedFinding::new).collect(), contribution })
    }

    /// `rule_enabled` for the findings of a cached `FileResult`.
    pub fn enabled(&self, rule: &str) -> bool {
        rule_enabled(self.engine.options, rule)
    }
}

/// The lint settings a file's result depends on, for the cache key.
pub fn settings(options: &LintOptions) -> String {
    format!("prefilter={}", !options.no_prefilter)
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

fn rule_enabled(options: &LintOptions, rule: &str) -> bool {
    options.enabled_rules.as_ref().is_none_or(|enabled| enabled.contains(rule))
}

impl Engine<'_> {
    fn lint_file(&self, entry: &FileEntry) -> FileOutcome {
        let started = Instant::now();
        let skip = |reason: String| FileOutcome::Skipped(Skipped { path: entry.rel_path.clone(), reason });
        let stamp = match stat_source(entry) {
            Ok(stamp) => stamp,
            Err(reason) => return skip(reason),
        };
        let cached = self.cache.as_ref().map(|cache| cache.lookup(&entry.rel_path, stamp));
        if let Some(Lookup::Fresh(cached)) = cached {
            if same_rust_module(self.config, entry, &cached.result) {
                return self.cached_outcome(entry, &cached.result, None, started);
            }
        }
        let bytes = match read_source(entry) {
            Ok(bytes) => bytes,
            Err(reason) => return skip(reason),
        };
        let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
        if let Some(Lookup::Verify(Some(cached))) = cached {
            if cached.hash == hash && same_rust_module(self.config, entry, &cached.result) {
                let restamped = Entry { stamp, hash, result: cached.result.clone() };
                return self.cached_outcome(entry, &cached.result, Some(restamped), started);
            }
        }
        let module = module_for(self.config, &entry.rel_path);
        let (findings, contribution, source, how) = self.analyze(&entry.rel_path, module, bytes);
        let cache = self.cache.as_ref().map(|_| Entry {
            stamp,
            hash,
            result: FileResult {
                findings: findings.iter().map(CachedFinding::new).collect(),
                contribution: contribution.clone(),
            },
        });
        let source = source.filter(|_| self.options.keep_sources && self.has_shown_findings(&findings));
        FileOutcome::Linted(Box::new(LintedFile {
            path: entry.rel_path.clone(),
            findings,
            contribution,
            source,
            cache,
            how,
            elapsed: started.elapsed(),
        }))
    }

    fn cached_outcome(
        &self,
        entry: &FileEntry,
        result: &FileResult,
        cache: Option<Entry>,
        started: Instant,
    ) -> FileOutcome {
        let findings: Vec<Finding> =
            result.findings.iter().filter_map(|finding| finding.to_finding(&entry.rel_path)).collect();
        // Reporters that draw snippets need the text of files with findings to show.
        let wanted = self.options.keep_sources && self.has_shown_findings(&findings);
        let source = wanted.then(|| read_source(entry).ok()).flatten().map(|bytes| {
            let (module, is_package) = module_for(self.config, &entry.rel_path);
            Arc::new(SourceFile::new(entry.rel_path.clone(), module, is_package, bytes))
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
        findings.iter().any(|finding| !finding.suppressed && rule_enabled(self.options, finding.rule))
    }

    /// Every finding of one file (all rules; the caller filters), and its contribution.
    fn analyze(
        &self,
        rel_path: &str,
        (module, is_package): (String, bool),
        bytes: Vec<u8>,
    ) -> (Vec<Finding>, Contribution, Option<Arc<SourceFile>>, How) {
        // The prefilter reads Python text; Rust files, and files that are not valid UTF-8 (so
        // their syntax-error finding is never lost), always get every rule.
        let may_fire = self.options.no_prefilter
            || Language::of_path(rel_path) == Language::Rust
            || std::str::from_utf8(&bytes).map_or(true, |text| {
                self.prefilter.may_fire(&module, text) || crate::suppress::may_hold_directive(text)
            });
        let file = SourceFile::new(rel_path.to_string(), module, is_package, bytes);
        let (facts, how) = if may_fire {
            (lang::extract_with(&file, &self.interest), How::Linted)
        } else {
            (python::extract_syntax_error(&file), How::SyntaxOnly)
        };
        let contribution = stale_registry::contribute(&FileContext::new(&file, &facts, self.config));
        let findings = place(self.config, &file, &facts, how == How::Linted);
        (findings, contribution, Some(Arc::new(file)), how)
    }
}

/// Every finding of one file's text, all rules run (no cache, no prefilter): what `fix` asks of
/// a file it has rewritten.
pub fn lint_text(config: &Config, file: &SourceFile) -> Vec<Finding> {
    let facts = lang::extract_with(file, &lang::Interest::of(config));
    place(config, file, &facts, true)
}

/// Runs the per-file rules over a file's facts and places their findings; `all_rules`: the
/// facts are complete (not only a syntax check), so unused suppressions can be judged.
fn place(config: &Config, file: &SourceFile, facts: &FileFacts, all_rules: bool) -> Vec<Finding> {
    let mut violations = rules::check_file(&FileContext::new(file, facts, config));
    // `per-file-ignores`: those rules are off here, as if they had not run.
    let ignored = config.per_file_ignores.ignored(&file.rel_path);
    violations.retain(|violation| !ignored.contains(&violation.rule));
    let mut usage = crate::suppress::Usage::new(&facts.suppressions);
    let mut findings = file_findings(file, facts, violations, &mut usage);
    // The suppressions are judged once every other rule has placed its findings; unused ones
    // only where the rules ran: after a full lint of a file that parses.
    let mut judged = rules::suppression_without_reason::check(
        file,
        &facts.suppressions,
        config.require_suppression_reason,
    );
    if all_rules && facts.syntax_error.is_none() {
        judged.extend(rules::unused_suppression::check(file, &facts.suppressions, &usage, &ignored));
    }
    judged.retain(|violation| !ignored.contains(&violation.rule));
    findings.extend(file_findings(file, facts, judged, &mut usage));
    crate::fix::attach(file, facts, config, &mut findings);
    findings
}

/// Is a finding of this run's (`--select`/`--ignore`) rules? An `unused-suppression` finding
/// also needs its ids judged (`unused_suppression::judged`).
pub fn reported(options: &LintOptions, finding: &Finding) -> bool {
    rule_enabled(options, finding.rule)
        && (finding.rule != rules::unused_suppression::META.id
            || rules::unused_suppression::judged(&finding.check, options.enabled_rules.as_ref()))
}

/// A Rust file's module comes from the nearest Cargo.toml, which the cache key does not cover:
/// a cached result stands only while the file's module is still the one it was computed for.
fn same_rust_module(config: &Config, entry: &FileEntry, result: &FileResult) -> bool {
    Language::of_path(&entry.rel_path) != Language::Rust
        || module_for(config, &entry.rel_path).0 == result.contribution.module
}

/// A file's size and mtime, refusing what is not a regular file or is too big.
fn stat_source(entry: &FileEntry) -> Result<Stamp, String> {
    let metadata = std::fs::metadata(&entry.path).map_err(|error| format!("cannot read: {error}"))?;
    if !metadata.is_file() {
        return Err("not a regular file".to_string());
    }
    if metadata.len() > MAX_FILE_SIZE {
        return Err(format!("file is larger than 10 MiB ({} bytes)", metadata.len()));
    }
    Ok(Stamp::of(&metadata))
}

/// Reads a file to lint, refusing what is not Python source: binary or unreadable.
fn read_source(entry: &FileEntry) -> Result<Vec<u8>, String> {
    let bytes = std::fs::read(&entry.path).map_err(|error| format!("cannot read: {error}"))?;
    check_source(&bytes)?;
    Ok(bytes)
}

/// Refuses a file's bytes that are not Python source: too big or binary.
fn check_source(bytes: &[u8]) -> Result<(), String> {
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(format!("file is larger than 10 MiB ({} bytes)", bytes.len()));
    }
    if memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some() {
        return Err("binary file (contains NUL bytes)".to_string());
    }
    Ok(())
}

/// Places a file's violations: positions, suppressions (recorded in `usage`), fingerprints, in
/// file order.
fn file_findings(
    file: &SourceFile,
    facts: &FileFacts,
    mut violations: Vec<Violation>,
    usage: &mut crate::suppress::Usage,
) -> Vec<Finding> {
    violations.sort_by(|a, b| (a.span.start, a.rule, &a.message).cmp(&(b.span.start, b.rule, &b.message)));
    let mut fingerprints = Fingerprinter::new();
    violations
        .into_iter()
        .map(|violation| {
            let start = file.position(violation.span.start);
            let end = file.position(violation.span.end.max(violation.span.start));
            let fingerprint = fingerprints.next(
                violation.rule,
                &file.rel_path,
                &violation.check,
                file.line_text(start.line),
                file.slice(violation.span),
            );
            let justification = usage.suppress(&facts.suppressions, violation.rule, start.line);
            let mut finding = into_finding(
                violation,
                file.rel_path.clone(),
                start,
                end,
                fingerprint,
                justification.is_some(),
            );
            finding.justification = justification.flatten();
            finding
        })
        .collect()
}

/// Places violations located in config files (`stale-registry`).
fn config_findings(config: &Config, violations: Vec<stale_registry::ConfigViolation>) -> Vec<Finding> {
    let mut fingerprints = Fingerprinter::new();
    // Each config file's line index is built once, not once per finding.
    let line_index: Vec<Vec<usize>> = config.sources.iter().map(|source| line_starts(&source.text)).collect();
    violations
        .into_iter()
        .filter_map(|located| {
            let source = config.sources.get(located.source)?;
            let violation = located.violation;
            if config.per_file_ignores.ignored(&source.display).contains(&violation.rule) {
                return None;
            }
            let starts = line_index.get(located.source)?;
            let start = position_in(&source.text, starts, violation.span.start);
            let end = position_in(&source.text, starts, violation.span.end);
            let line = line_text_in(&source.text, starts, start.line);
            let fingerprint = fingerprints.next(
                violation.rule,
                &source.display,
                &violation.check,
                line,
                &violation.message,
            );
            Some(into_finding(violation, source.display.clone(), start, end, fingerprint, false))
        })
        .collect()
}

fn into_finding(
    violation: Violation,
    path: String,
    start: crate::source::Position,
    end: crate::source::Position,
    fingerprint: String,
    suppressed: bool,
) -> Finding {
    Finding {
        rule: violation.rule,
        severity: violation.severity,
        phase: violation.phase,
        gating: false,
        path,
        span: violation.span,
        start,
        end,
        message: violation.message,
        check: violation.check,
        fingerprint,
        baselined: false,
        suppressed,
        justification: None,
        fix: violation.fix,
    }
}
