//! `ssot-lint fix`: apply the fixes the rules attach to their findings (SPEC §7).
//!
//! Lints the project, then, for every file with an unsuppressed finding of a fixable rule, lints
//! that file afresh under the fix's settings (the project's modules consulted, the enabled
//! rules' findings resolved), applies the attached fixes that do not overlap, and lints the new
//! text again, until no fix is left (ruff's model: the re-lint is the verification). Then it
//! prints a diff (`--dry-run`) or writes the files atomically.
//!
//! Exit codes: `--dry-run` exits 1 when a change would be made, else 0. Without it, 0 after
//! writing (like `ruff check --fix-only`; what stays unfixed is for `check` to gate), and 2 when
//! it refuses to write (uncommitted changes without `--allow-dirty`) or could not write a file.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use rayon::prelude::*;

use super::{lint_project, report_skipped, write_output, Needs};
use crate::cli::FixArgs;
use crate::engine::{self, FileResult};
use crate::error::{Error, Result};
use crate::finding::{Edit, Finding, Unfixed};
use crate::git::Status;
use crate::report::text::plural;
use crate::rule_id::RuleSet;
use crate::rules::Fixability;
use crate::settings::Settings;
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
    let run = lint_project(&args.common, None, Needs::Fixes)?;
    report_skipped(&run.skipped, quiet);
    // The run's settings were resolved for fixing (`Needs::Fixes`: the project's modules
    // consulted, the enabled rules' findings resolved); the rounds lint with `check_source`,
    // which never reads or writes the result cache.
    let candidates = candidates(&run.findings, &run.sources, &run.paths);
    let (changes, failed) = plan_changes(&run.settings, &candidates, quiet);
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

/// A file to fix: its text as linted, and where it is on disk.
struct Candidate<'a> {
    source: &'a Arc<SourceFile>,
    disk_path: &'a Path,
}

/// The files with an unsuppressed finding of a fixable rule, in report order. `findings` are the
/// run's (enabled rules only).
fn candidates<'a>(
    findings: &[Finding],
    sources: &'a HashMap<String, Arc<SourceFile>>,
    paths: &'a HashMap<String, PathBuf>,
) -> Vec<Candidate<'a>> {
    let mut candidates = Vec::new();
    for findings in findings.chunk_by(|a, b| a.path == b.path) {
        let wanted = findings.iter().any(|finding| finding.rule.meta().fix.fixable() && !finding.suppressed);
        // Files with unsuppressed findings always have their source in the run.
        let source = findings.first().and_then(|finding| sources.get(&finding.path));
        let Some(source) = source.filter(|_| wanted) else {
            continue;
        };
        let Some(disk_path) = paths.get(&source.rel_path) else {
            continue;
        };
        candidates.push(Candidate { source, disk_path });
    }
    candidates
}

/// The changes of the candidate files; `true` when a file's fixes failed their check. The files
/// are fixed in parallel; what is said about them comes out in the candidates' order.
fn plan_changes(settings: &Settings, candidates: &[Candidate], quiet: bool) -> (Vec<Change>, bool) {
    let fix_one = |candidate: &Candidate| {
        // What the fixers left alone is said once, for the text as it is on disk.
        let mut unfixed = Vec::new();
        let lint = |file: &SourceFile| engine::check_source(file, settings);
        let fixed = fix_rounds(candidate.source, settings.rules, lint, |result| {
            unfixed.clone_from(&result.unfixed);
        });
        (unfixed, fixed)
    };
    let results: Vec<_> = engine::in_pool(settings.jobs, || candidates.par_iter().map(fix_one).collect());
    let mut changes = Vec::new();
    let mut failed = false;
    for (candidate, (unfixed, fixed)) in candidates.iter().zip(results) {
        let source = candidate.source;
        if !quiet {
            report_unfixed(source, &unfixed);
        }
        match fixed {
            Ok(fixed) if fixed.moved == 0 && fixed.removed == 0 => {}
            Ok(fixed) => {
                let root = &settings.config.root;
                let relative = candidate.disk_path.strip_prefix(root).unwrap_or(candidate.disk_path);
                changes.push(Change {
                    rel_path: source.rel_path.clone(),
                    raw_path: crate::git::path_bytes(relative),
                    disk_path: candidate.disk_path.to_path_buf(),
                    old: Arc::clone(source),
                    new: fixed.text,
                    moved: fixed.moved,
                    removed: fixed.removed,
                });
            }
            Err(message) => {
                crate::stderr_line!("error: {}: {message}; file left unchanged", source.rel_path);
                failed = true;
            }
        }
    }
    (changes, failed)
}

/// At most this many lint-and-fix rounds per file. One round applies every fix that overlaps no
/// other; the next takes the rest, and what a fix made newly fixable (a suppression the moved
/// import needed). Real files settle in two or three rounds.
const MAX_ROUNDS: usize = 10;

/// What the rounds did to one file.
#[derive(Debug, PartialEq, Eq)]
struct Fixed {
    text: String,
    /// Names moved (`Fix::changes` of the per-file import fixer).
    moved: usize,
    /// Unused suppressions removed (`Fix::changes` of the fixes built in the rule).
    removed: usize,
}

/// Lints `source` with `lint`, applies the fixes of the unsuppressed findings of the `enabled`
/// rules, and repeats on the new text until no fix is left. `first` sees the first round's
/// result. Fails (the file to be left unchanged) when a round's text would not parse where the
/// file did, when a round changes nothing although fixes remain, or when the fixes do not settle
/// within `MAX_ROUNDS`.
fn fix_rounds(
    source: &SourceFile,
    enabled: RuleSet,
    lint: impl Fn(&SourceFile) -> FileResult,
    first: impl FnOnce(&FileResult),
) -> std::result::Result<Fixed, String> {
    let mut fixed = Fixed { text: source.text.clone(), moved: 0, removed: 0 };
    // The first round lints `source` itself, so an invalid-UTF-8 mark is kept.
    let mut current: Option<SourceFile> = None;
    let mut first = Some(first);
    for _ in 0..MAX_ROUNDS {
        let file = current.as_ref().unwrap_or(source);
        let result = lint(file);
        if let Some(first) = first.take() {
            first(&result);
        }
        let fixes: Vec<&Finding> = result
            .findings
            .iter()
            .filter(|finding| {
                !finding.suppressed && finding.fix.is_some() && crate::rules::reported(finding, enabled)
            })
            .collect();
        let Some(&example) = fixes.first() else {
            return Ok(fixed);
        };
        let round = apply_fixes(&file.text, &fixes);
        if round.text == file.text {
            return Err(format!(
                "internal error: the fix of {} at line {} would change nothing",
                example.rule, example.start.line
            ));
        }
        let next = SourceFile::from_text(&source.rel_path, &source.module, source.is_package, &round.text);
        if let Some(problem) = breaks_parse(file, &next) {
            return Err(problem);
        }
        fixed = Fixed {
            text: round.text,
            moved: fixed.moved + round.moved,
            removed: fixed.removed + round.removed,
        };
        current = Some(next);
    }
    Err(format!("internal error: the fixes did not settle within {MAX_ROUNDS} rounds"))
}

/// Applies the fixes of `fixes` that overlap no other, in file order: a fix whose edits are
/// exactly another's (one import statement rewritten for several names) is applied and counted
/// once; of two that overlap, the first wins and the next round takes the other.
fn apply_fixes(text: &str, fixes: &[&Finding]) -> Fixed {
    let mut units: Vec<(&Finding, &[Edit])> = Vec::new();
    for finding in fixes {
        let Some(fix) = &finding.fix else { continue };
        if !fix.edits.is_empty() && !units.iter().any(|(_, edits)| *edits == fix.edits.as_slice()) {
            units.push((finding, &fix.edits));
        }
    }
    units.sort_by_key(|(_, edits)| edits.iter().map(|edit| (edit.span.start, edit.span.end)).min());
    let mut accepted: Vec<&Edit> = Vec::new();
    let (mut moved, mut removed) = (0, 0);
    for (finding, edits) in units {
        let overlaps = |a: &Edit, b: &Edit| {
            a.span.start == b.span.start || (a.span.start < b.span.end && b.span.start < a.span.end)
        };
        if edits.iter().any(|edit| accepted.iter().any(|known| overlaps(edit, known))) {
            continue;
        }
        accepted.extend(edits);
        let changes = finding.fix.as_ref().map_or(0, |fix| fix.changes);
        // What a fix changes is named by how its rule fixes: the per-file fixer moves imports,
        // the fix built in the rule removes a suppression.
        match finding.rule.meta().fix {
            Fixability::PerFile(_) => moved += changes,
            Fixability::InRule => removed += changes,
            Fixability::None => {}
        }
    }
    accepted.sort_by_key(|edit| edit.span.start);
    let mut out = String::with_capacity(text.len() + 64);
    let mut cursor = 0;
    for edit in accepted {
        out.push_str(&text[cursor..edit.span.start]);
        out.push_str(&edit.content);
        cursor = edit.span.end;
    }
    out.push_str(&text[cursor..]);
    Fixed { text: out, moved, removed }
}

/// Why `new` is refused: it does not parse where `old` did.
fn breaks_parse(old: &SourceFile, new: &SourceFile) -> Option<String> {
    let parse = |file: &SourceFile| crate::lang::frontend(file.language()).syntax_only(file);
    let facts = parse(new);
    let span = facts.syntax_error?;
    if parse(old).syntax_error.is_some() {
        return None;
    }
    let position = new.position(span.start);
    let detail = facts.syntax_error_message.as_deref().unwrap_or("syntax error");
    Some(format!(
        "internal error: the fixed file would not parse (line {}, column {}: {detail})",
        position.line, position.column
    ))
}

/// Why a file is left alone, or which names stay, on stderr.
fn report_unfixed(source: &SourceFile, unfixed: &[Unfixed]) {
    for item in unfixed {
        match item {
            Unfixed::File { reason } => {
                crate::stderr_line!("warning: {}: left alone: {reason}", source.rel_path);
            }
            Unfixed::Name { span, name, reason } => {
                let position = source.position(span.start);
                crate::stderr_line!(
                    "{}:{}:{}: cannot fix {name}: {reason}",
                    source.rel_path,
                    position.line,
                    position.column
                );
            }
        }
    }
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
    use std::cell::Cell;

    use super::*;

    fn settings() -> (tempfile::TempDir, Settings) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("ssot-lint.toml");
        let config = "[[registry]]\nsymbol = \"Manager\"\nmodule = \"app.core\"\n\n[[registry]]\nsymbol = \"Context\"\nmodule = \"app.context\"\n\n[[deprecated-module]]\nmodule = \"app.old\"\n";
        std::fs::write(&path, config).expect("write");
        let root = dir.path().to_path_buf();
        let config =
            crate::config::load(Some(&path), &root, std::slice::from_ref(&root)).expect("config").config;
        (dir, Settings::new(config))
    }

    fn user_file(text: &str) -> SourceFile {
        SourceFile::from_text("app/user.py", "app.user", false, text)
    }

    /// `fix_rounds` with the real lint, every fix's edits given `content` by `rewrite`.
    fn rounds_with(text: &str, rewrite: impl Fn() -> Option<String>) -> std::result::Result<Fixed, String> {
        let (_dir, settings) = settings();
        let lint = |file: &SourceFile| {
            let mut result = engine::check_source(file, &settings);
            for fix in result.findings.iter_mut().filter_map(|finding| finding.fix.as_mut()) {
                if let Some(content) = rewrite() {
                    fix.edits[0].content = content;
                }
            }
            result
        };
        fix_rounds(&user_file(text), RuleSet::all(), lint, |_| {})
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
    fn the_fixes_are_applied_until_none_is_left() {
        let fixed = rounds_with("from app import Manager, Context\n", || None).expect("fixed");
        assert_eq!(fixed.text, "from app.core import Manager\nfrom app.context import Context\n");
        // Two findings share the statement's one edit: it is applied once, and moves two names.
        assert_eq!((fixed.moved, fixed.removed), (2, 0));
    }

    #[test]
    fn the_first_round_is_reported_once() {
        let (_dir, settings) = settings();
        let rounds = Cell::new(0);
        let reported = Cell::new(0);
        let lint = |file: &SourceFile| {
            rounds.set(rounds.get() + 1);
            engine::check_source(file, &settings)
        };
        let text = "from app.old import Manager  # ssot: ignore[deprecated-module]\n";
        let fixed = fix_rounds(&user_file(text), RuleSet::all(), lint, |_| reported.set(reported.get() + 1))
            .expect("fixed");
        // The first round moves the name, which leaves the directive unused: the second round
        // removes it, the third finds nothing left.
        assert_eq!(fixed.text, "from app.core import Manager\n");
        assert_eq!((fixed.moved, fixed.removed), (1, 1));
        assert_eq!((rounds.get(), reported.get()), (3, 1));
    }

    #[test]
    fn a_fix_that_does_not_parse_is_refused() {
        let error = rounds_with("from app import Manager\n", || Some("from app.core import (Manager".into()))
            .expect_err("must fail");
        assert!(error.contains("would not parse (line 2, column 1: unexpected EOF"), "{error}");
    }

    #[test]
    fn a_fix_that_keeps_its_finding_is_refused() {
        assert_eq!(
            rounds_with("from app import Manager\n", || Some("from app.other import Manager".into())),
            Err("internal error: the fix of non-canonical-import at line 1 would change nothing".to_string())
        );
    }

    #[test]
    fn fixes_that_never_settle_are_refused() {
        let count = Cell::new(0);
        let result = rounds_with("from app import Manager\n", || {
            count.set(count.get() + 1);
            Some(format!("from app.m{} import Manager", count.get()))
        });
        assert_eq!(
            result,
            Err(format!("internal error: the fixes did not settle within {MAX_ROUNDS} rounds"))
        );
    }
}
