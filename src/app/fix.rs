//! `ssot-lint fix`: rewrite non-canonical imports (SPEC §7).
//!
//! Lints the project, plans the rewrites of every file with a fixable finding (`crate::fix`),
//! checks each rewritten file (it still parses, and the moved names no longer produce import
//! findings), then prints a diff (`--dry-run`) or writes the files atomically.
//!
//! Exit codes: `--dry-run` exits 1 when a change would be made, else 0. Without it, 0 after
//! writing (like `ruff check --fix-only`; what stays unfixed is for `check` to gate), and 2 when
//! it refuses to write (uncommitted changes without `--allow-dirty`) or could not write a file.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use super::{lint_project, report_skipped, write_output, LintRun};
use crate::cli::FixArgs;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::facts::FileFacts;
use crate::finding::Finding;
use crate::fix::{self, FilePlan};
use crate::report::text::plural;
use crate::source::SourceFile;

/// One file the fix would change.
struct Change {
    rel_path: String,
    disk_path: PathBuf,
    old: Arc<SourceFile>,
    new: String,
    moved: usize,
}

pub fn run(args: &FixArgs) -> Result<ExitCode> {
    let quiet = args.common.quiet;
    let run = lint_project(&args.common, None)?;
    report_skipped(&run.skipped, quiet);
    let (changes, failed) = plan_changes(&run, quiet);
    if args.dry_run {
        let moved: usize = changes.iter().map(|change| change.moved).sum();
        write_output(None, |out| write_diffs(&changes, out))?;
        if !quiet {
            crate::stderr_line!("would fix {} in {}", plural(moved, "import"), plural(changes.len(), "file"));
        }
        let code = if failed { 2 } else { u8::from(!changes.is_empty()) };
        return Ok(ExitCode::from(code));
    }
    if !args.allow_dirty {
        refuse_dirty(&run.config.root, &changes, quiet)?;
    }
    let (mut written, mut fixed, mut write_failed) = (0, 0, false);
    for change in &changes {
        match write_change(change) {
            Ok(()) => {
                written += 1;
                fixed += change.moved;
            }
            Err(message) => {
                crate::stderr_line!("error: {}: {message}", change.rel_path);
                write_failed = true;
            }
        }
    }
    if !quiet {
        crate::stderr_line!("fixed {} in {}", plural(fixed, "import"), plural(written, "file"));
    }
    Ok(if write_failed || failed { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

/// The changes of every file with a fixable finding; `true` when a rewrite failed its check.
fn plan_changes(run: &LintRun, quiet: bool) -> (Vec<Change>, bool) {
    let mut changes = Vec::new();
    let mut failed = false;
    for findings in run.findings.chunk_by(|a, b| a.path == b.path) {
        let wanted = findings.iter().any(|finding| fix::is_import_rule(finding.rule) && !finding.suppressed);
        // Files with unsuppressed findings always have their source in the run.
        let source = findings.first().and_then(|finding| run.sources.get(&finding.path));
        let Some(source) = source.filter(|_| wanted) else {
            continue;
        };
        match plan_file(&run.config, source, findings, quiet) {
            Ok(Some(change)) => changes.push(change),
            Ok(None) => {}
            Err(message) => {
                crate::stderr_line!("error: {}: {message}; file left unchanged", source.rel_path);
                failed = true;
            }
        }
    }
    (changes, failed)
}

/// Plans, applies in memory and checks the rewrites of one file.
fn plan_file(
    config: &Config,
    source: &Arc<SourceFile>,
    findings: &[Finding],
    quiet: bool,
) -> std::result::Result<Option<Change>, String> {
    let facts = crate::lang::extract(source);
    let plan = fix::plan(source, &facts, config, findings);
    if !quiet {
        report_plan(source, &plan);
    }
    if plan.blocked.is_some() || plan.rewrites.is_empty() {
        return Ok(None);
    }
    let new = fix::apply(&source.text, &plan.rewrites);
    verify(config, source, &facts, &new, &plan)?;
    Ok(Some(Change {
        rel_path: source.rel_path.clone(),
        disk_path: config.root.join(&source.rel_path),
        old: Arc::clone(source),
        new,
        moved: plan.rewrites.iter().map(|rewrite| rewrite.moved.len()).sum(),
    }))
}

/// Why a file is left alone, or which names stay, on stderr.
fn report_plan(source: &SourceFile, plan: &FilePlan) {
    if let Some(reason) = &plan.blocked {
        crate::stderr_line!("warning: {}: left alone: {reason}", source.rel_path);
        return;
    }
    for left in &plan.left {
        let position = source.position(left.span.start);
        crate::stderr_line!(
            "{}:{}:{}: cannot fix {}: {}",
            source.rel_path,
            position.line,
            position.column,
            left.symbol,
            left.reason
        );
    }
}

/// The rewritten file must still parse, and every moved name must have lost its import finding.
fn verify(
    config: &Config,
    old: &SourceFile,
    old_facts: &FileFacts,
    new_text: &str,
    plan: &FilePlan,
) -> std::result::Result<(), String> {
    let new = SourceFile::from_text(&old.rel_path, &old.module, old.is_package, new_text);
    let new_facts = crate::lang::python::extract(&new);
    if let Some(span) = new_facts.syntax_error {
        let position = new.position(span.start);
        let detail = new_facts.syntax_error_message.as_deref().unwrap_or("syntax error");
        return Err(format!(
            "internal error: the rewritten file would not parse (line {}, column {}: {detail})",
            position.line, position.column
        ));
    }
    let before = import_findings(config, old, old_facts);
    let after = import_findings(config, &new, &new_facts);
    for (symbol, count) in &before {
        let moved =
            plan.rewrites.iter().flat_map(|rewrite| &rewrite.moved).filter(|m| &m.symbol == symbol).count();
        let remaining = after.iter().find(|(other, _)| other == symbol).map_or(0, |(_, count)| *count);
        if remaining + moved != *count {
            return Err(format!("internal error: the rewrite would not resolve the imports of {symbol}"));
        }
    }
    Ok(())
}

/// `(symbol, count)` of the `non-canonical-import` and `compat-import` violations of a file.
fn import_findings(config: &Config, file: &SourceFile, facts: &FileFacts) -> Vec<(String, usize)> {
    let context = crate::rules::FileContext { file, facts, config };
    let mut counts: Vec<(String, usize)> = Vec::new();
    for violation in crate::rules::check_file(&context) {
        if !matches!(violation.rule, "non-canonical-import" | "compat-import") {
            continue;
        }
        match counts.iter_mut().find(|(symbol, _)| *symbol == violation.check) {
            Some((_, count)) => *count += 1,
            None => counts.push((violation.check, 1)),
        }
    }
    counts
}

/// Unified diffs, `a/` and `b/` prefixed so `git apply` / `patch -p1` take them.
fn write_diffs(changes: &[Change], out: &mut dyn std::io::Write) -> std::io::Result<()> {
    for change in changes {
        let diff = similar::TextDiff::from_lines(change.old.text.as_str(), change.new.as_str());
        let old_header = format!("a/{}", change.rel_path);
        let new_header = format!("b/{}", change.rel_path);
        let mut unified = diff.unified_diff();
        unified.context_radius(3).header(&old_header, &new_header);
        write!(out, "{unified}")?;
    }
    Ok(())
}

/// Exit 2 (naming the files) when a file to write has uncommitted git changes.
fn refuse_dirty(root: &Path, changes: &[Change], quiet: bool) -> Result<()> {
    let paths: Vec<&str> = changes.iter().map(|change| change.rel_path.as_str()).collect();
    match crate::git::dirty(root, &paths) {
        Ok(dirty) if dirty.is_empty() => Ok(()),
        Ok(dirty) => {
            // One line per file, before the (wrapped) error, so the names stay greppable.
            for path in &dirty {
                crate::stderr_line!("error: {path} has uncommitted changes");
            }
            Err(Error::usage_with_help(
                format!("refusing to fix {} with uncommitted changes", plural(dirty.len(), "file")),
                "commit or stash them first, or pass --allow-dirty",
            ))
        }
        Err(reason) => {
            if !quiet {
                crate::stderr_line!(
                    "warning: cannot check for uncommitted changes ({reason}); writing anyway"
                );
            }
            Ok(())
        }
    }
}

/// Writes one change atomically (temp file in the same directory, then rename), keeping the
/// file's permissions; refuses when the file changed since it was linted.
fn write_change(change: &Change) -> std::result::Result<(), String> {
    let target = std::fs::canonicalize(&change.disk_path).map_err(|error| error.to_string())?;
    let current = std::fs::read(&target).map_err(|error| error.to_string())?;
    if current != change.old.text.as_bytes() {
        return Err("the file changed while it was being fixed; left unchanged".to_string());
    }
    let directory = target.parent().ok_or_else(|| "the file has no directory".to_string())?;
    let permissions = std::fs::metadata(&target).map_err(|error| error.to_string())?.permissions();
    let mut temp = tempfile::NamedTempFile::new_in(directory).map_err(|error| error.to_string())?;
    temp.write_all(change.new.as_bytes()).map_err(|error| error.to_string())?;
    temp.as_file().sync_all().map_err(|error| error.to_string())?;
    std::fs::set_permissions(temp.path(), permissions).map_err(|error| error.to_string())?;
    temp.persist(&target).map_err(|error| error.error.to_string())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Span;
    use crate::fix::{Moved, Rewrite};

    fn config() -> (tempfile::TempDir, Config) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("ssot-lint.toml");
        std::fs::write(&path, "[[registry]]\nsymbol = \"Manager\"\nmodule = \"app.core\"\n").expect("write");
        let root = dir.path().to_path_buf();
        let config =
            crate::config::load(Some(&path), &root, std::slice::from_ref(&root)).expect("config").config;
        (dir, config)
    }

    fn plan_moving_manager() -> FilePlan {
        let rewrite = Rewrite {
            region: Span::new(0, 23),
            content: String::new(),
            moved: vec![Moved { span: Span::new(16, 23), symbol: "Manager".into(), home: "app.core".into() }],
            module_span: Span::new(5, 8),
            module_emptied: true,
        };
        FilePlan { rewrites: vec![rewrite], ..FilePlan::default() }
    }

    fn check(new_text: &str) -> std::result::Result<(), String> {
        let (_dir, config) = config();
        let old = SourceFile::from_text("app/user.py", "app.user", false, "from app import Manager\n");
        let facts = crate::lang::python::extract(&old);
        verify(&config, &old, &facts, new_text, &plan_moving_manager())
    }

    #[test]
    fn a_correct_rewrite_passes() {
        assert_eq!(check("from app.core import Manager\n"), Ok(()));
    }

    #[test]
    fn a_rewrite_that_does_not_parse_is_refused() {
        let error = check("from app.core import (Manager\n").expect_err("must fail");
        assert!(error.contains("would not parse (line 2, column 1: unexpected EOF"), "{error}");
    }

    #[test]
    fn a_rewrite_that_keeps_the_finding_is_refused() {
        assert_eq!(
            check("from app.other import Manager\n"),
            Err("internal error: the rewrite would not resolve the imports of Manager".to_string())
        );
    }
}
