//! One lint pass: files → facts → findings, in parallel, with a deterministic result.

use std::collections::HashSet;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::facts::FileFacts;
use crate::finding::{Finding, Fingerprinter, Violation};
use crate::rules::stale_registry::{self, Contribution};
use crate::rules::{self, FileContext};
use crate::source::{line_starts, line_text_in, position_in, SourceFile};
use crate::walk::{module_for, FileEntry};

/// Files over this size are skipped with a warning (SPEC §4).
pub const MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    /// Threads to use; `None` = all cores.
    pub jobs: Option<usize>,
    /// Run project-wide rules (`stale-registry`): only when the whole project is linted.
    pub whole_project: bool,
    /// Rule ids that may report (after `--select` / `--ignore`).
    pub enabled_rules: Option<HashSet<&'static str>>,
}

/// A file that could not be linted, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
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
}

enum FileOutcome {
    Linted { findings: Vec<Finding>, contribution: Option<Contribution>, source: Option<Arc<SourceFile>> },
    Skipped(Skipped),
}

pub fn lint(config: &Config, files: &[FileEntry], options: &LintOptions) -> LintOutcome {
    let run = || files.par_iter().map(|entry| lint_file(config, entry, options)).collect::<Vec<_>>();
    let results = match options.jobs {
        Some(jobs) => match rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build() {
            Ok(pool) => pool.install(run),
            Err(_) => run(),
        },
        None => run(),
    };

    let mut outcome = LintOutcome::default();
    let mut contributions = Vec::new();
    for result in results {
        match result {
            FileOutcome::Linted { findings, contribution, source } => {
                outcome.files += 1;
                outcome.findings.extend(findings);
                contributions.extend(contribution);
                outcome.sources.extend(source);
            }
            FileOutcome::Skipped(skipped) => outcome.skipped.push(skipped),
        }
    }
    if options.whole_project && rule_enabled(options, stale_registry::META.id) {
        outcome.findings.extend(config_findings(config, stale_registry::check(config, &contributions)));
    }
    outcome.findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    outcome
}

fn rule_enabled(options: &LintOptions, rule: &str) -> bool {
    options.enabled_rules.as_ref().is_none_or(|enabled| enabled.contains(rule))
}

fn lint_file(config: &Config, entry: &FileEntry, options: &LintOptions) -> FileOutcome {
    let skip = |reason: String| FileOutcome::Skipped(Skipped { path: entry.rel_path.clone(), reason });
    let bytes = match read_source(entry) {
        Ok(bytes) => bytes,
        Err(reason) => return skip(reason),
    };
    let (module, is_package) = module_for(config, &entry.rel_path);
    let file = SourceFile::new(entry.rel_path.clone(), module, is_package, bytes);
    let facts = match crate::lang::extract(&file, None) {
        Ok(facts) => facts,
        Err(error) => return skip(error.to_string()),
    };
    let context = FileContext { file: &file, facts: &facts, config };
    let mut violations = rules::check_file(&context);
    violations.retain(|violation| rule_enabled(options, violation.rule));
    let contribution = options.whole_project.then(|| stale_registry::contribute(&context));
    let findings = file_findings(&file, &facts, violations);
    let source = findings.iter().any(|finding| !finding.suppressed).then(|| Arc::new(file));
    FileOutcome::Linted { findings, contribution, source }
}

/// Reads a file to lint, refusing what is not Python source: too big, binary, unreadable.
fn read_source(entry: &FileEntry) -> Result<Vec<u8>, String> {
    let metadata = std::fs::metadata(&entry.path).map_err(|error| format!("cannot read: {error}"))?;
    if !metadata.is_file() {
        return Err("not a regular file".to_string());
    }
    if metadata.len() > MAX_FILE_SIZE {
        return Err(format!("file is larger than 10 MiB ({} bytes)", metadata.len()));
    }
    let bytes = std::fs::read(&entry.path).map_err(|error| format!("cannot read: {error}"))?;
    if bytes.iter().take(8192).any(|&byte| byte == 0) {
        return Err("binary file (contains NUL bytes)".to_string());
    }
    Ok(bytes)
}

/// Places a file's violations: positions, suppressions, fingerprints, in file order.
fn file_findings(file: &SourceFile, facts: &FileFacts, mut violations: Vec<Violation>) -> Vec<Finding> {
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
            let suppressed = crate::suppress::is_suppressed(&facts.suppressions, violation.rule, start.line);
            into_finding(violation, file.rel_path.clone(), start, end, fingerprint, suppressed)
        })
        .collect()
}

/// Places violations located in config files (`stale-registry`).
fn config_findings(config: &Config, violations: Vec<stale_registry::ConfigViolation>) -> Vec<Finding> {
    let mut fingerprints = Fingerprinter::new();
    violations
        .into_iter()
        .filter_map(|located| {
            let source = config.sources.get(located.source)?;
            let violation = located.violation;
            let starts = line_starts(&source.text);
            let start = position_in(&source.text, &starts, violation.span.start);
            let end = position_in(&source.text, &starts, violation.span.end);
            let line = line_text_in(&source.text, &starts, start.line);
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
        fix: violation.fix,
    }
}
