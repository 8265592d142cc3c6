//! Policy: which findings get which fix, and where each name moves.

use std::collections::HashMap;

use super::edit::{minimal_edit, rewrite};
use super::{resolves, FilePlan, Left, Rewrite, COMPAT, DEPRECATED_MODULE, NON_CANONICAL};
use crate::config::Config;
use crate::facts::{FileFacts, FromImport, ImportKind, Span};
use crate::finding::{Finding, Fix, Unfixed};
use crate::rule_id::{RuleId, RuleSet};
use crate::rules::{FixContext, Fixing};
use crate::source::SourceFile;

/// What the project knows about its modules, asked before a name is moved: a rewrite must
/// still import the same object. Shared by the parallel lint (`Settings::fixing`), hence
/// `Send + Sync`.
pub trait ModuleFacts: Send + Sync + std::fmt::Debug {
    /// Why `symbol` must not move from `from X import symbol` (`X` = `from`) to `home`, if so.
    fn refuse(&self, from: &str, symbol: &str, home: &str) -> Option<String>;
}

/// No knowledge beyond the config: every registry home is taken at its word (what `check`
/// uses to mark findings fixable; `ssot-lint fix` asks the project: `ProjectModules`).
#[derive(Debug)]
pub struct TrustRegistry;

impl ModuleFacts for TrustRegistry {
    fn refuse(&self, _: &str, _: &str, _: &str) -> Option<String> {
        None
    }
}

/// Plans the rewrites of one file from its facts and its findings (with `suppressed` decided),
/// as `check` does: trusting the registry, resolving every rule's findings.
pub fn plan(file: &SourceFile, facts: &FileFacts, config: &Config, findings: &[Finding]) -> FilePlan {
    plan_with(file, facts, config, findings, &Fixing::trust_registry())
}

/// `plan`, from the findings of the rules `fixing` resolves, moving a name only where its
/// modules agree.
pub(crate) fn plan_with(
    file: &SourceFile,
    facts: &FileFacts,
    config: &Config,
    findings: &[Finding],
    fixing: &Fixing,
) -> FilePlan {
    let modules = fixing.modules.as_ref();
    let marks = Marks::new(findings, fixing.rules);
    let mut plan = FilePlan { blocked: blocked_reason(file, facts), ..FilePlan::default() };
    if plan.blocked.is_some() {
        return plan;
    }
    for import in &facts.imports {
        let ImportKind::From(from) = &import.kind else { continue };
        let Some(module) = &from.module else { continue };
        let homes: Vec<Option<String>> = from
            .names
            .iter()
            .map(|name| home_of(file, config, module, from, name, &marks, modules, &mut plan.left))
            .collect();
        if homes.iter().all(Option::is_none) {
            continue;
        }
        match rewrite(&file.text, import, from, &homes) {
            Some(rewrite) => plan.rewrites.push(rewrite),
            None => {
                let reason = "a comment sits between the imported names; move it by hand";
                let moving = from.names.iter().zip(&homes).filter(|(_, home)| home.is_some());
                plan.left.extend(moving.map(|(name, _)| Left {
                    span: name.span,
                    symbol: name.name.clone(),
                    reason: reason.to_string(),
                }));
            }
        }
    }
    plan
}

/// The import rules' fixer (`FIXER`): attaches a `Fix` to every finding a planned rewrite
/// resolves, and records the names (or the whole file) it leaves alone.
pub(super) fn attach(context: &FixContext, findings: &mut [Finding], unfixed: &mut Vec<Unfixed>) {
    let file = context.file;
    let plan = plan_with(file, context.facts, context.config, findings, context.fixing);
    if let Some(reason) = plan.blocked {
        unfixed.push(Unfixed::File { reason });
        return;
    }
    unfixed.extend(plan.left.iter().map(|left| Unfixed::Name {
        span: left.span,
        name: left.symbol.clone(),
        reason: left.reason.clone(),
    }));
    let marks = Marks::new(findings, context.fixing.rules);
    // Findings by start offset, so attaching stays linear in the number of findings.
    let mut by_start: HashMap<usize, Vec<usize>> = HashMap::new();
    for (index, finding) in findings.iter().enumerate().filter(|(_, finding)| !finding.suppressed) {
        by_start.entry(finding.span.start).or_default().push(index);
    }
    for rewrite in &plan.rewrites {
        let edit = minimal_edit(file, rewrite);
        let changes = rewrite.moved.len();
        let starts = rewrite.moved.iter().map(|moved| moved.span.start).chain([rewrite.module_span.start]);
        for start in starts {
            for &index in by_start.get(&start).map(Vec::as_slice).unwrap_or_default() {
                if let Some(message) = fix_message(rewrite, &findings[index], &marks) {
                    findings[index].fix = Some(Fix { message, edits: vec![edit.clone()], changes });
                }
            }
        }
    }
}

/// What a rewrite does for one finding, if it resolves it (or, for a `deprecated-module`
/// finding, if it is what moves some of the names).
fn fix_message(rewrite: &Rewrite, finding: &Finding, marks: &Marks) -> Option<String> {
    if finding.rule == NON_CANONICAL || finding.rule == COMPAT {
        let moved = rewrite.moved.iter().find(|moved| moved.span == finding.span)?;
        return Some(format!("import {} from {}", moved.symbol, moved.home));
    }
    if finding.rule != DEPRECATED_MODULE || finding.span != rewrite.module_span {
        return None;
    }
    if rewrite.module_emptied {
        let mut homes: Vec<&str> = rewrite.moved.iter().map(|moved| moved.home.as_str()).collect();
        homes.dedup();
        return Some(format!("import the names from {}", homes.join(", ")));
    }
    // Names without a finding of their own (their rule is off here or not fixed in this run)
    // move because of this finding: it carries their rewrite, though names stay behind.
    let orphans: Vec<String> = rewrite
        .moved
        .iter()
        .filter(|moved| marks.name_finding(moved.span).is_none())
        .map(|moved| format!("import {} from {}", moved.symbol, moved.home))
        .collect();
    (!orphans.is_empty()).then(|| orphans.join("; "))
}

fn blocked_reason(file: &SourceFile, facts: &FileFacts) -> Option<String> {
    if file.language() != crate::language::Language::Python {
        return Some("fix rewrites Python imports only; Rust `use` items are left as they are".to_string());
    }
    if let Some(offset) = file.invalid_utf8_at {
        let position = file.position(offset);
        return Some(format!("not valid UTF-8 (line {}, column {})", position.line, position.column));
    }
    facts.syntax_error.map(|span| {
        let position = file.position(span.start);
        format!("syntax error at line {}, column {}", position.line, position.column)
    })
}

/// Which findings sit on which span: the fix only touches what the lint run reported.
struct Marks {
    by_span: HashMap<Span, Vec<(RuleId, bool)>>,
}

impl Marks {
    /// The marks of the import findings of the `rules` being fixed.
    fn new(findings: &[Finding], rules: RuleSet) -> Self {
        let mut by_span: HashMap<Span, Vec<(RuleId, bool)>> = HashMap::new();
        for finding in
            findings.iter().filter(|finding| resolves(finding.rule) && rules.contains(finding.rule))
        {
            by_span.entry(finding.span).or_default().push((finding.rule, finding.suppressed));
        }
        Marks { by_span }
    }

    /// `Some(suppressed)` when a name-level import finding sits on `span`.
    fn name_finding(&self, span: Span) -> Option<bool> {
        let marks = self.by_span.get(&span)?;
        let mut found = marks.iter().filter(|(rule, _)| *rule == NON_CANONICAL || *rule == COMPAT).peekable();
        found.peek()?;
        Some(found.any(|(_, suppressed)| *suppressed))
    }

    fn unsuppressed_deprecated(&self, span: Span) -> bool {
        self.by_span.get(&span).is_some_and(|marks| {
            marks.iter().any(|(rule, suppressed)| *rule == DEPRECATED_MODULE && !suppressed)
        })
    }
}

/// The canonical module a name moves to, or `None` when it stays.
#[allow(clippy::too_many_arguments)]
fn home_of(
    file: &SourceFile,
    config: &Config,
    module: &str,
    from: &FromImport,
    name: &crate::facts::ImportedName,
    marks: &Marks,
    modules: &dyn ModuleFacts,
    left: &mut Vec<Left>,
) -> Option<String> {
    let entry = config.registry_entry(&name.name)?;
    if entry.module == module {
        return None;
    }
    let wanted = match marks.name_finding(name.span) {
        Some(suppressed) => !suppressed,
        None => marks.unsuppressed_deprecated(from.module_span),
    };
    if !wanted {
        return None;
    }
    if entry.module == file.module {
        left.push(Left {
            span: name.span,
            symbol: name.name.clone(),
            reason: format!("its canonical module {} is this file", entry.module),
        });
        return None;
    }
    if let Some(reason) = modules.refuse(module, &name.name, &entry.module) {
        left.push(Left { span: name.span, symbol: name.name.clone(), reason });
        return None;
    }
    Some(entry.module.clone())
}
