//! `ssot-lint fix`: rewrite non-canonical imports (SPEC §7).
//!
//! Lints the project, plans the rewrites of every file with a fixable finding (`crate::fix`),
//! checks each rewritten file (it still parses, and the moved names no longer produce import
//! findings), then prints a diff (`--dry-run`) or writes the files atomically.
//!
//! Exit codes: `--dry-run` exits 1 when a change would be made, else 0. Without it, 0 after
//! writing (like `ruff check --fix-only`; what stays unfixed is for `check` to gate), and 2 when
//! it refuses to write (uncommitted changes without `--allow-dirty`) or could not write a file.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::rule_id::RuleId;
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
use crate::fix::{self, FilePlan, ModuleFacts};
use crate::git::Status;
use crate::report::text::plural;
use crate::source::SourceFile;

/// One file the fix would change.
struct Change {
    rel_path: String,
    disk_path: PathBuf,
    /// The path relative to the project root as raw bytes (for diff headers).
    raw_path: Vec<u8>,
    old: Arc<SourceFile>,
    new: String,
    moved: usize,
    /// Unused suppressions removed.
    removed: usize,
}

pub fn run(args: &FixArgs) -> Result<ExitCode> {
    let quiet = args.common.quiet;
    let run = lint_project(&args.common, None, true)?;
    report_skipped(&run.skipped, quiet);
    let (changes, failed) = plan_changes(&run, quiet);
    if args.dry_run {
        let moved: usize = changes.iter().map(|change| change.moved).sum();
        let removed: usize = changes.iter().map(|change| change.removed).sum();
        write_output(None, |out| write_diffs(&changes, out))?;
        if !quiet {
            crate::stderr_line!(
                "would fix {}{} in {}",
                plural(moved, "import"),
                removed_note(removed, "remove"),
                plural(changes.len(), "file")
            );
        }
        let code = if failed { 2 } else { u8::from(!changes.is_empty()) };
        return Ok(ExitCode::from(code));
    }
    if !args.allow_dirty {
        refuse_dirty(&changes, quiet)?;
    }
    let (mut written, mut fixed, mut removed, mut write_failed) = (0, 0, 0, false);
    for change in &changes {
        match write_change(change) {
            Ok(()) => {
                written += 1;
                fixed += change.moved;
                removed += change.removed;
            }
            Err(message) => {
                crate::stderr_line!("error: {}: {message}", change.rel_path);
                write_failed = true;
            }
        }
    }
    if !quiet {
        crate::stderr_line!(
            "fixed {}{} in {}",
            plural(fixed, "import"),
            removed_note(removed, "removed"),
            plural(written, "file")
        );
    }
    Ok(if write_failed || failed { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

/// ` and removed 2 unused suppressions` (nothing when none were).
fn removed_note(removed: usize, verb: &str) -> String {
    if removed == 0 {
        return String::new();
    }
    format!(" and {verb} {}", plural(removed, "unused suppression"))
}

/// The changes of every file with a fixable finding; `true` when a rewrite failed its check.
fn plan_changes(run: &LintRun, quiet: bool) -> (Vec<Change>, bool) {
    let mut changes = Vec::new();
    let mut failed = false;
    let modules = ProjectModules::new(&run.settings.config);
    for findings in run.findings.chunk_by(|a, b| a.path == b.path) {
        let wanted = findings.iter().any(|finding| {
            (fix::is_import_rule(finding.rule) || finding.rule == UNUSED_SUPPRESSION) && !finding.suppressed
        });
        // Files with unsuppressed findings always have their source in the run.
        let source = findings.first().and_then(|finding| run.sources.get(&finding.path));
        let Some(source) = source.filter(|_| wanted) else {
            continue;
        };
        let Some(disk_path) = run.paths.get(&source.rel_path) else {
            continue;
        };
        match plan_file(run, &modules, source, disk_path, findings, quiet) {
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
    run: &LintRun,
    modules: &ProjectModules,
    source: &Arc<SourceFile>,
    disk_path: &Path,
    findings: &[Finding],
    quiet: bool,
) -> std::result::Result<Option<Change>, String> {
    let config = &run.settings.config;
    let facts = crate::lang::extract(source);
    let plan = fix::plan_with(source, &facts, config, findings, modules);
    // A file here only for its unused suppressions has nothing to say about imports.
    let imports = findings.iter().any(|finding| fix::is_import_rule(finding.rule) && !finding.suppressed);
    if !quiet && imports {
        report_plan(source, &plan);
    }
    let mut new = source.text.clone();
    let mut moved = 0;
    if plan.blocked.is_none() && !plan.rewrites.is_empty() {
        new = fix::apply(&source.text, &plan.rewrites);
        verify(config, source, &facts, &new, &plan)?;
        moved = plan.rewrites.iter().map(|rewrite| rewrite.moved.len()).sum();
    }
    // Judged on the text with its imports fixed: a suppression the moved import needed may
    // have become unused, and a second run must find nothing left to do.
    let (new, removed) = remove_unused_suppressions(run, source, new)?;
    if moved == 0 && removed == 0 {
        return Ok(None);
    }
    let relative = disk_path.strip_prefix(&config.root).unwrap_or(disk_path);
    Ok(Some(Change {
        rel_path: source.rel_path.clone(),
        raw_path: crate::git::path_bytes(relative),
        disk_path: disk_path.to_path_buf(),
        old: Arc::clone(source),
        new,
        moved,
        removed,
    }))
}

const UNUSED_SUPPRESSION: RuleId = RuleId::UnusedSuppression;

/// Removes the suppressions of `text` (the file's text, its imports already fixed) that
/// `unused-suppression` reports in this run; returns the new text and how many it removed.
fn remove_unused_suppressions(
    run: &LintRun,
    source: &SourceFile,
    text: String,
) -> std::result::Result<(String, usize), String> {
    let file = SourceFile::from_text(&source.rel_path, &source.module, source.is_package, &text);
    let mut edits: Vec<crate::finding::Edit> = crate::engine::check_source(&file, &run.settings)
        .findings
        .into_iter()
        .filter(|finding| {
            finding.rule == UNUSED_SUPPRESSION
                && !finding.suppressed
                && run.scope.rules().contains(UNUSED_SUPPRESSION)
                && crate::rules::unused_suppression::judged(&finding.check, run.scope.rules())
        })
        .filter_map(|finding| finding.fix)
        .flat_map(|fix| fix.edits)
        .collect();
    edits.sort_by_key(|edit| (edit.span.start, edit.span.end));
    // Two directives of one comment may both want it gone: the first edit wins, the next run
    // takes the rest.
    let mut kept: Vec<crate::finding::Edit> = Vec::new();
    for edit in edits {
        if kept.last().is_none_or(|last| last.span.end <= edit.span.start) {
            kept.push(edit);
        }
    }
    if kept.is_empty() {
        return Ok((text, 0));
    }
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    for edit in &kept {
        out.push_str(&text[cursor..edit.span.start]);
        out.push_str(&edit.content);
        cursor = edit.span.end;
    }
    out.push_str(&text[cursor..]);
    let check = SourceFile::from_text(&source.rel_path, &source.module, source.is_package, &out);
    if crate::lang::extract(&check).syntax_error.is_some() && file_parses(&file) {
        return Err("internal error: removing the unused suppressions would break the file".to_string());
    }
    Ok((out, kept.len()))
}

fn file_parses(file: &SourceFile) -> bool {
    crate::lang::extract(file).syntax_error.is_none()
}

/// The project's modules as files under the import roots: a name never moves to a module of the
/// project that does not bind it (a stale registry entry would break the import), and never when
/// it is a submodule of the package it is imported from (`from app import utils` with
/// `app/utils.py` imports the module, not the registry symbol `utils`).
struct ProjectModules<'a> {
    config: &'a Config,
    /// Module → whether it binds each symbol asked about (`None`: no such file).
    facts: RefCell<HashMap<String, Option<FileFacts>>>,
}

impl<'a> ProjectModules<'a> {
    fn new(config: &'a Config) -> Self {
        ProjectModules { config, facts: RefCell::new(HashMap::new()) }
    }

    /// The file of a dotted module under the first import root that has it.
    fn module_file(&self, module: &str) -> Option<PathBuf> {
        let relative = module.replace('.', "/");
        self.config.roots.iter().find_map(|root| {
            let base = self.config.root.join(root).join(&relative);
            let package = base.join("__init__");
            [
                base.with_extension("py"),
                base.with_extension("pyi"),
                package.with_extension("py"),
                package.with_extension("pyi"),
            ]
            .into_iter()
            .find(|candidate| candidate.is_file())
        })
    }

    fn binds(&self, module: &str, symbol: &str) -> Option<bool> {
        let mut cache = self.facts.borrow_mut();
        let facts = cache.entry(module.to_string()).or_insert_with(|| {
            let path = self.module_file(module)?;
            let bytes = std::fs::read(&path).ok()?;
            let is_package = path.file_stem().is_some_and(|stem| stem == "__init__");
            let file = SourceFile::new(module.to_string(), module.to_string(), is_package, bytes);
            Some(crate::lang::python::extract(&file))
        });
        facts.as_ref().map(|facts| crate::rules::stale_registry::binds(facts, symbol))
    }
}

impl ModuleFacts for ProjectModules<'_> {
    fn refuse(&self, from: &str, symbol: &str, home: &str) -> Option<String> {
        let submodule = format!("{from}.{symbol}");
        if self.module_file(&submodule).is_some() {
            return Some(format!("{submodule} is a module, not the registry symbol {symbol}"));
        }
        // A home that is not a file of the project (an installed package, a module still to be
        // written) is taken at the registry's word.
        match self.binds(home, symbol) {
            Some(false) => Some(format!(
                "its registry module {home} does not define, import or assign {symbol} (a stale registry entry)"
            )),
            Some(true) | None => None,
        }
    }
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
    let context = crate::rules::FileContext::new(file, facts, config);
    let mut counts: Vec<(String, usize)> = Vec::new();
    for violation in crate::rules::check_file(&context) {
        if !matches!(violation.rule, RuleId::NonCanonicalImport | RuleId::CompatImport) {
            continue;
        }
        match counts.iter_mut().find(|(symbol, _)| *symbol == violation.check) {
            Some((_, count)) => *count += 1,
            None => counts.push((violation.check, 1)),
        }
    }
    counts
}

/// Unified diffs, `a/` and `b/` prefixed so `git apply` / `patch -p1` take them; file names
/// are quoted as git quotes them.
fn write_diffs(changes: &[Change], out: &mut dyn std::io::Write) -> std::io::Result<()> {
    for change in changes {
        let diff = similar::TextDiff::from_lines(change.old.text.as_str(), change.new.as_str());
        let old_header = diff_header("a/", &change.raw_path);
        let new_header = diff_header("b/", &change.raw_path);
        let mut unified = diff.unified_diff();
        unified.context_radius(3).header(&old_header, &new_header);
        write!(out, "{unified}")?;
    }
    Ok(())
}

/// A `---` / `+++` file name as git writes it: C-quoted (`"a/tab\tx.py"`, octal for bytes
/// outside ASCII) when it holds a control character, `"`, `\` or a non-ASCII byte, and
/// followed by a tab when it holds a space, so GNU patch reads the whole name.
fn diff_header(prefix: &str, path: &[u8]) -> String {
    let mut name = prefix.as_bytes().to_vec();
    name.extend_from_slice(path);
    let needs_quotes = name.iter().any(|&byte| byte < 0x20 || byte == b'"' || byte == b'\\' || byte >= 0x7f);
    if !needs_quotes {
        let text = String::from_utf8_lossy(&name).into_owned();
        return if text.contains(' ') { format!("{text}\t") } else { text };
    }
    let mut out = String::from("\"");
    for byte in name {
        match byte {
            b'\x07' => out.push_str("\\a"),
            b'\x08' => out.push_str("\\b"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\x0b' => out.push_str("\\v"),
            b'\x0c' => out.push_str("\\f"),
            b'\r' => out.push_str("\\r"),
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(char::from(byte)),
            _ => out.push_str(&format!("\\{byte:03o}")),
        }
    }
    out.push('"');
    out
}

/// Exit 2 (naming the files) when a file to write is not committed: modified, staged,
/// untracked or ignored. Each file is asked of the repository that holds it; a file in no
/// repository is written with a warning naming it (that file alone is unchecked).
fn refuse_dirty(changes: &[Change], quiet: bool) -> Result<()> {
    let targets: Vec<PathBuf> = changes
        .iter()
        .map(|change| std::fs::canonicalize(&change.disk_path).unwrap_or_else(|_| change.disk_path.clone()))
        .collect();
    let statuses = crate::git::statuses(&targets);
    let mut dirty = 0;
    // Files in no repository, by reason: written, with one warning per reason naming them.
    let mut unchecked: Vec<(&str, Vec<&str>)> = Vec::new();
    // One line per file, before the (wrapped) error, so the names stay greppable. Untracked and
    // ignored files are not committed either: git could not undo the fix.
    for (change, status) in changes.iter().zip(&statuses) {
        match status {
            Status::Clean => {}
            Status::Modified | Status::Untracked => {
                crate::stderr_line!("error: {} has uncommitted changes", change.rel_path);
                dirty += 1;
            }
            Status::NoRepository(reason) => match unchecked.iter_mut().find(|(known, _)| known == reason) {
                Some((_, files)) => files.push(&change.rel_path),
                None => unchecked.push((reason, vec![&change.rel_path])),
            },
        }
    }
    if !quiet {
        for (reason, files) in &unchecked {
            crate::stderr_line!(
                "warning: not in a git repository ({reason}): cannot check for uncommitted changes; writing anyway: {}",
                files.join(", ")
            );
        }
    }
    if dirty == 0 {
        return Ok(());
    }
    Err(Error::usage_with_help(
        format!("refusing to fix {} with uncommitted changes", plural(dirty, "file")),
        "commit or stash them first, or pass --allow-dirty",
    ))
}

/// Writes one change atomically (temp file in the same directory, then rename), keeping the
/// file's permissions, owner and group; refuses a read-only file, and a file that changed
/// since it was linted, also while the new text was being written (checked again right
/// before the rename: size, modification time and content).
fn write_change(change: &Change) -> std::result::Result<(), String> {
    const CHANGED: &str = "the file changed while it was being fixed; left unchanged (run fix again)";
    let target = std::fs::canonicalize(&change.disk_path).map_err(|error| error.to_string())?;
    let metadata = std::fs::metadata(&target).map_err(|error| error.to_string())?;
    if is_read_only(&target, &metadata) {
        return Err("the file is read-only; left unchanged (make it writable to fix it)".to_string());
    }
    let stamp = crate::cache::Stamp::of(&metadata);
    let current = std::fs::read(&target).map_err(|error| error.to_string())?;
    if current != change.old.text.as_bytes() {
        return Err(CHANGED.to_string());
    }
    let directory = target.parent().ok_or_else(|| "the file has no directory".to_string())?;
    let mut temp = tempfile::NamedTempFile::new_in(directory).map_err(|error| error.to_string())?;
    temp.write_all(change.new.as_bytes()).map_err(|error| error.to_string())?;
    temp.as_file().sync_all().map_err(|error| error.to_string())?;
    keep_owner(temp.as_file(), &metadata);
    std::fs::set_permissions(temp.path(), metadata.permissions()).map_err(|error| error.to_string())?;
    // The last look before the rename: another process may have written the file meanwhile.
    let now = std::fs::metadata(&target).map_err(|error| error.to_string())?;
    if crate::cache::Stamp::of(&now) != stamp
        || std::fs::read(&target).map_err(|error| error.to_string())? != change.old.text.as_bytes()
    {
        return Err(CHANGED.to_string());
    }
    temp.persist(&target).map_err(|error| error.error.to_string())?;
    Ok(())
}

/// A file without write permission is refused (as ruff and black do), also for root: the
/// rename would otherwise replace it whatever its mode.
fn is_read_only(path: &Path, metadata: &std::fs::Metadata) -> bool {
    if metadata.permissions().readonly() {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let Ok(path) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
            return false;
        };
        // SAFETY: `path` is a valid NUL-terminated string that outlives the call.
        unsafe { libc::access(path.as_ptr(), libc::W_OK) != 0 }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// Gives the new file the old one's owner and group (possible as root; otherwise the group
/// alone when the user is in it). Failing that, the file is owned by whoever runs fix, as with
/// any editor that saves by rename.
fn keep_owner(file: &std::fs::File, metadata: &std::fs::Metadata) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if std::os::unix::fs::fchown(file, Some(metadata.uid()), Some(metadata.gid())).is_err() {
            let _ = std::os::unix::fs::fchown(file, None, Some(metadata.gid()));
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, metadata);
    }
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
    fn diff_headers_are_quoted_as_git_quotes_them() {
        assert_eq!(diff_header("a/", b"app/u.py"), "a/app/u.py");
        assert_eq!(diff_header("a/", b"app/with space.py"), "a/app/with space.py\t");
        assert_eq!(diff_header("b/", b"app/tab\tx.py"), "\"b/app/tab\\tx.py\"");
        assert_eq!(diff_header("a/", b"app/r\xff.py"), "\"a/app/r\\377.py\"");
        assert_eq!(diff_header("a/", b"a\"b\\c.py"), "\"a/a\\\"b\\\\c.py\"");
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
