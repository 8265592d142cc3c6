//! One file: text in, placed findings out. The per-file entry point every caller shares
//! (`check`, `fix`, `trend`, the fuzz targets and the tests).

use crate::facts::FileFacts;
use crate::finding::{Finding, Unfixed};
use crate::lang;
use crate::rules::{self, Contribution, FileContext};
use crate::settings::Settings;
use crate::source::SourceFile;

use super::place::file_findings;

/// How a file was handled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    /// Its result came from the cache.
    Cached,
    /// Parsed for syntax errors only: the prefilter found nothing any rule could match.
    SyntaxOnly,
    /// Parsed, facts extracted and every rule run.
    Linted,
}

/// What one file yields.
#[derive(Clone, Debug)]
pub struct FileResult {
    /// Every finding of every rule, placed, suppressed ones marked; the caller keeps those of
    /// the enabled rules (`rules::reported`).
    pub findings: Vec<Finding>,
    /// What the file gives the project-wide rules.
    pub contribution: Contribution,
    pub how: How,
    /// What the rules' fixers left alone, and why (`ssot-lint fix` prints it).
    pub unfixed: Vec<Unfixed>,
}

/// Lints one file under `settings`: the prefilter decides whether its facts are extracted and
/// the rules run (otherwise only its syntax error is reported), its language's front end
/// extracts them, and the findings are placed (positions, suppressions, fingerprints, fixes).
pub fn check_source(file: &SourceFile, settings: &Settings) -> FileResult {
    let frontend = lang::frontend(file.language());
    // Files that are not valid UTF-8 always get every rule, so their syntax-error finding is
    // never lost; so do files with a suppression comment (`unused-suppression` judges them).
    let may_fire = match &settings.prefilter {
        None => true,
        Some(_) if !frontend.prefiltered() || file.invalid_utf8_at.is_some() => true,
        Some(prefilter) => {
            prefilter.may_fire(&file.module, &file.text) || crate::suppress::may_hold_directive(&file.text)
        }
    };
    let (facts, how) = if may_fire {
        (frontend.extract(file, &settings.interest), How::Linted)
    } else {
        (frontend.syntax_only(file), How::SyntaxOnly)
    };
    let config = &settings.config;
    let contribution = rules::contribute(&FileContext::new(file, &facts, config));
    let (findings, unfixed) = place(settings, file, &facts, how == How::Linted);
    FileResult { findings, contribution, how, unfixed }
}

/// Runs the per-file rules over a file's facts and places their findings; `all_rules`: the
/// facts are complete (not only a syntax check), so unused suppressions can be judged. Returns
/// the findings, fixes attached, and what the fixers left alone.
fn place(
    settings: &Settings,
    file: &SourceFile,
    facts: &FileFacts,
    all_rules: bool,
) -> (Vec<Finding>, Vec<Unfixed>) {
    let config = &settings.config;
    let mut violations = rules::check_file(&FileContext::new(file, facts, config));
    // `per-file-ignores`: those rules are off here, as if they had not run.
    let ignored = config.per_file_ignores.ignored(&file.rel_path);
    violations.retain(|violation| !ignored.contains(violation.rule));
    let mut usage = crate::suppress::Usage::new(&facts.suppressions);
    let mut findings = file_findings(file, facts, violations, &mut usage);
    // The suppressions are judged once every other rule has placed its findings; unused ones
    // only where the rules ran: after a full lint of a file that parses.
    let mut judged = rules::check_suppressions(&rules::SuppressionContext {
        file,
        config,
        suppressions: &facts.suppressions,
        usage: &usage,
        not_run: ignored,
        complete: all_rules && facts.syntax_error.is_none(),
    });
    judged.retain(|violation| !ignored.contains(violation.rule));
    findings.extend(file_findings(file, facts, judged, &mut usage));
    // Each rule's fixer, once per file, over the placed findings (suppressions decided).
    let context = rules::FixContext { file, facts, config, fixing: &settings.fixing };
    let unfixed = rules::attach_fixes(&context, &mut findings);
    (findings, unfixed)
}
