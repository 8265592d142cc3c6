//! The rules: one file per rule id, each with its documentation in `rules/<rule-id>.md`.
//!
//! `RULES` is the one static list every command reads (`rules`, `explain`, SARIF `rules[]`,
//! `--select` validation). Per-file rules see only `FileFacts` (never a syntax tree); project-wide
//! rules (`stale-registry`) merge small per-file parts of a `Contribution`, which the engine, the
//! cache and `trend` carry without looking inside.

mod banned_pattern;
mod compat_import;
mod competing_factory;
mod deprecated_factory_call;
mod deprecated_module;
mod duplicate_class;
mod duplicate_definition;
pub mod fix_imports;
mod fixing;
mod missing_event;
mod non_canonical_import;
pub(crate) mod stale_registry;
pub(crate) mod suppression_without_reason;
mod syntax_error;
mod unknown_event;
pub(crate) mod unused_suppression;

use crate::config::{Concept, Config, DeprecatedModule, Events, Pattern, RegistryEntry};
use crate::facts::FileFacts;
use crate::finding::{Finding, Severity, Unfixed, Violation};
pub use crate::lang::InterestBuilder;
use crate::language::Language;
pub use crate::prefilter::Needles;
pub use crate::rule_id::{RuleId, RuleSet};
use crate::scope::{AllowedHere, EntryKind};
use crate::source::SourceFile;
pub use fixing::Fixing;

/// Its entry in `RULES`.
impl RuleId {
    pub(crate) fn meta(self) -> &'static RuleMeta {
        &RULES[self as usize]
    }
}

/// Where a rule runs.
#[derive(Clone, Copy, Debug)]
pub enum RuleScope {
    /// On each file's facts, in the parallel per-file task.
    File(FileRule),
    /// On the whole project, from what every file contributed (`stale-registry`): only when
    /// the whole project is linted.
    Project(ProjectRule),
    /// On a file's suppression comments, once the other rules have placed their findings.
    Suppressions(SuppressionRule),
}

/// How `counts --by concept` files a rule's findings, from their `check`
/// (`app::counts::concept_of`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConceptKey {
    /// The check is the concept's name.
    Concept,
    /// The check is a registry symbol: the concept whose canonical class or factory it is.
    RegistrySymbol,
    /// A concept's name when one is called that, else a registry symbol.
    ConceptOrRegistrySymbol,
    /// The check is a deprecated module: the one concept whose canonical code lives in its
    /// replacement module.
    DeprecatedModule,
    /// The check itself (pattern ids, event vocabularies, syntax errors).
    Check,
}

/// Everything about a rule but its logic: identity, documentation, where it runs, what it
/// asks of the prefilter, how its findings count and how they are fixed.
#[derive(Debug)]
pub struct RuleMeta {
    pub id: RuleId,
    pub default_severity: Severity,
    /// The whole Markdown doc (`rules/<id>.md`).
    pub doc: &'static str,
    pub scope: RuleScope,
    /// The names in the config this rule can match (`prefilter`): a file holding none of any
    /// rule's needles skips fact extraction and the rules. A rule that forgets one silently
    /// misses files, so each rule declares its own next to its check.
    pub needles: fn(&Config, &mut Needles),
    /// The globs over qualified names this rule matches calls, attributes or names against: the
    /// front ends resolve only the names some rule's glob could match.
    pub interest: fn(&Config, &mut InterestBuilder),
    pub concept: ConceptKey,
    /// Whether a finding of this rule is reported in a run with these rules enabled
    /// (`--select`/`--ignore`): `when_enabled` for most rules; `unused-suppression` also asks
    /// whether the ids it judged belong to rules that ran.
    pub reported: fn(&Finding, RuleSet) -> bool,
    /// How its findings get a `Fix` (`ssot-lint fix` applies them).
    pub fix: Fixability,
}

/// How a rule's findings get their `Fix`.
#[derive(Clone, Copy, Debug)]
pub enum Fixability {
    /// Never fixable.
    None,
    /// The rule builds the `Fix` with the violation (`unused-suppression`).
    InRule,
    /// A fixer runs once per file, after placement, when the file has an unsuppressed finding
    /// of the rule: it sees all the file's findings at once, so rules that share a fixer (the
    /// import rules, where one rewrite of `from X import a, b` resolves several findings) share
    /// the run.
    PerFile(&'static Fixer),
}

impl Fixability {
    pub fn fixable(self) -> bool {
        !matches!(self, Fixability::None)
    }
}

/// A fixer run over a file's placed findings: it attaches a `Fix` to the findings it resolves
/// and records what it leaves alone, and why.
#[derive(Debug)]
pub struct Fixer {
    /// Names the fixer: rules whose `PerFile` fixers have the same name share one run.
    pub name: &'static str,
    pub attach: fn(&FixContext, &mut [Finding], &mut Vec<Unfixed>),
}

/// What a fixer sees besides the findings.
pub struct FixContext<'a> {
    pub file: &'a SourceFile,
    pub facts: &'a FileFacts,
    pub config: &'a Config,
    /// What the fixers may assume and whose findings they resolve (`Settings::fixing`).
    pub fixing: &'a Fixing,
}

/// Runs, once each, the fixers of the rules with an unsuppressed finding in the file (of the
/// rules `context.fixing` resolves); returns what they left alone.
pub(crate) fn attach_fixes(context: &FixContext, findings: &mut [Finding]) -> Vec<Unfixed> {
    let mut fixers: Vec<&'static Fixer> = Vec::new();
    for finding in findings.iter().filter(|finding| !finding.suppressed) {
        if !context.fixing.rules.contains(finding.rule) {
            continue;
        }
        if let Fixability::PerFile(fixer) = finding.rule.meta().fix {
            if !fixers.iter().any(|known| known.name == fixer.name) {
                fixers.push(fixer);
            }
        }
    }
    let mut unfixed = Vec::new();
    for fixer in fixers {
        (fixer.attach)(context, findings, &mut unfixed);
    }
    unfixed
}

/// `reported` of most rules: a finding is reported when its rule is enabled.
pub(crate) fn when_enabled(finding: &Finding, enabled: RuleSet) -> bool {
    enabled.contains(finding.rule)
}

/// Is a finding reported in a run with these rules enabled? Its rule decides (`RuleMeta::reported`).
pub(crate) fn reported(finding: &Finding, enabled: RuleSet) -> bool {
    (finding.rule.meta().reported)(finding, enabled)
}

/// `needles` of a rule that matches nothing from the config (syntax errors, suppressions).
pub(crate) fn no_needles(_: &Config, _: &mut Needles) {}

impl RuleMeta {
    /// The one-line summary: the first paragraph after the `# id` heading.
    pub fn summary(&self) -> &'static str {
        self.doc
            .lines()
            .skip_while(|line| line.starts_with('#') || line.trim().is_empty())
            .find(|line| !line.trim().is_empty())
            .unwrap_or(self.id.as_str())
            .trim()
    }

    /// Does the rule judge the suppression comments themselves (`RuleScope::Suppressions`)? Its
    /// findings are silenced only by its own id on their line: a blanket `ignore` or
    /// `ignore-file` must not hide the finding about itself, and an id of such a rule in a list
    /// is never reported unused.
    pub(crate) fn judges_suppressions(&self) -> bool {
        matches!(self.scope, RuleScope::Suppressions(_))
    }

    /// The text of one `## heading` section, without the heading.
    pub fn section(&self, heading: &str) -> Option<&'static str> {
        let marker = format!("## {heading}");
        let start = self.doc.find(&marker)? + marker.len();
        let rest = &self.doc[start..];
        let end = rest.find("\n## ").unwrap_or(rest.len());
        Some(rest[..end].trim())
    }
}

/// Every rule, sorted by id (in `RuleId` order).
pub const RULES: &[RuleMeta] = &[
    banned_pattern::META,
    compat_import::META,
    competing_factory::META,
    deprecated_factory_call::META,
    deprecated_module::META,
    duplicate_class::META,
    duplicate_definition::META,
    missing_event::META,
    non_canonical_import::META,
    stale_registry::META,
    suppression_without_reason::META,
    syntax_error::META,
    unknown_event::META,
    unused_suppression::META,
];

/// The needles every rule asks the prefilter for. All rules, whatever `--select` says: the
/// cache stores every rule's findings of a file.
pub fn needles(config: &Config) -> Needles {
    let mut needles = Needles::default();
    for rule in RULES {
        (rule.needles)(config, &mut needles);
    }
    needles
}

/// Which qualified names the rules can match (`RuleMeta::interest` of every rule, whatever
/// `--select` says: the cache stores every rule's findings of a file).
pub(crate) fn interest(config: &Config) -> crate::lang::Interest {
    let mut builder = InterestBuilder::default();
    for rule in RULES {
        (rule.interest)(config, &mut builder);
    }
    crate::lang::Interest::of(builder)
}

/// `interest` of a rule that matches no qualified name.
pub(crate) fn no_interest(_: &Config, _: &mut InterestBuilder) {}

pub fn rule(id: &str) -> Option<&'static RuleMeta> {
    RULES.iter().find(|rule| rule.id.as_str() == id)
}

/// What a per-file rule gets to look at.
pub struct FileContext<'a> {
    pub file: &'a SourceFile,
    pub facts: &'a FileFacts,
    pub config: &'a Config,
    /// The entries whose `allow-in` matches this file.
    allowed: AllowedHere,
}

/// The config as one file sees it: only the entries that apply to the file's language and are
/// not allowed in it (`allow-in`), and paths joined with the language's separator.
impl<'a> FileContext<'a> {
    pub fn new(file: &'a SourceFile, facts: &'a FileFacts, config: &'a Config) -> Self {
        FileContext { file, facts, config, allowed: config.allow_in.here(&file.rel_path) }
    }

    pub fn language(&self) -> Language {
        self.file.language()
    }

    /// `module.qualified_name` (Python) or `module::qualified_name` (Rust) of something
    /// defined in this file.
    pub(crate) fn qualify(&self, qualified_name: &str) -> String {
        self.language().join(&self.file.module, qualified_name)
    }

    /// The path of `name` inside `module`: `module.name` or `module::name`.
    pub fn join(&self, module: &str, name: &str) -> String {
        self.language().join(module, name)
    }

    pub(crate) fn registry_entry(&self, symbol: &str) -> Option<&'a RegistryEntry> {
        let index = self.config.registry_index_for(self.language(), symbol)?;
        (!self.allowed.contains(EntryKind::Registry, index)).then(|| &self.config.registry[index])
    }

    /// The most specific deprecated-module entry covering `module` among those that apply here
    /// (an entry allowed in this file steps aside; a broader one may still apply).
    pub fn deprecated_module(&self, module: &str) -> Option<&'a DeprecatedModule> {
        let language = self.language();
        self.config
            .deprecated_modules
            .iter()
            .enumerate()
            .filter(|(index, entry)| {
                entry.languages.contains(language)
                    && entry.covers(module)
                    && !self.allowed.contains(EntryKind::DeprecatedModule, *index)
            })
            .max_by_key(|(_, entry)| entry.module.len())
            .map(|(_, entry)| entry)
    }

    /// The entries of one table that apply to this file: its language, not allowed here.
    fn applying<'s, T>(
        &'s self,
        entries: &'a [T],
        kind: EntryKind,
        languages: impl Fn(&T) -> crate::language::Languages + 's,
    ) -> impl Iterator<Item = &'a T> + 's {
        let language = self.language();
        entries.iter().enumerate().filter_map(move |(index, entry)| {
            (languages(entry).contains(language) && !self.allowed.contains(kind, index)).then_some(entry)
        })
    }

    pub fn concepts(&self) -> impl Iterator<Item = &'a Concept> + '_ {
        self.applying(&self.config.concepts, EntryKind::Concept, |concept| concept.languages)
    }

    pub fn patterns(&self) -> impl Iterator<Item = &'a Pattern> + '_ {
        self.applying(&self.config.patterns, EntryKind::Pattern, |pattern| pattern.languages)
    }

    pub fn events(&self) -> impl Iterator<Item = &'a Events> + '_ {
        self.applying(&self.config.events, EntryKind::Events, |events| events.languages)
    }
}

pub(crate) type FileRule = fn(&FileContext, &mut Vec<Violation>);

/// A project-wide rule: what each file contributes to it, and its check over every file's
/// contribution once all files are linted.
#[derive(Clone, Copy, Debug)]
pub struct ProjectRule {
    /// Records the file's part in its contribution (in the parallel per-file task). A part left
    /// at its default says nothing: such a contribution is dropped (`Contribution::is_empty`).
    pub contribute: fn(&FileContext, &mut Contribution),
    /// The rule's findings, located in the config files, from every file's contribution.
    pub check: fn(&Config, &[&Contribution]) -> Vec<ConfigViolation>,
}

/// What one file gives the project-wide rules: one part per rule, each read only by its rule.
/// The engine computes it with the findings, the cache stores it, `trend` keeps it per file
/// version, none of them looks inside. A new project rule adds its part here.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Contribution {
    stale_registry: stale_registry::Part,
}

impl Contribution {
    /// Says nothing to any project rule (every part at its default): whole-project checks do not
    /// need it (`trend` keeps only the others of each commit).
    pub fn is_empty(&self) -> bool {
        *self == Contribution::default()
    }
}

/// A violation located in a config file (`ConfigSource` index) rather than a source file.
#[derive(Clone, Debug)]
pub struct ConfigViolation {
    pub source: usize,
    pub violation: Violation,
}

/// Every project rule's part of one file's contribution.
pub fn contribute(context: &FileContext) -> Contribution {
    let mut contribution = Contribution::default();
    for rule in RULES {
        if let RuleScope::Project(project) = rule.scope {
            (project.contribute)(context, &mut contribution);
        }
    }
    contribution
}

/// Do any of these rules read contributions (is collecting them worth it)?
pub(crate) fn reads_contributions(enabled: RuleSet) -> bool {
    RULES.iter().any(|rule| matches!(rule.scope, RuleScope::Project(_)) && enabled.contains(rule.id))
}

/// The findings of the enabled project-wide rules from every file's contribution. Only
/// meaningful when the whole project was linted (a partial run has not seen every file).
pub fn check_project(
    config: &Config,
    enabled: RuleSet,
    contributions: &[&Contribution],
) -> Vec<ConfigViolation> {
    let mut violations = Vec::new();
    for rule in RULES {
        if let RuleScope::Project(project) = rule.scope {
            if enabled.contains(rule.id) {
                violations.extend((project.check)(config, contributions));
            }
        }
    }
    violations
}

/// What a rule over a file's suppression comments sees, once every other rule has placed its
/// findings (and so recorded which directives silenced something).
pub struct SuppressionContext<'a> {
    pub file: &'a SourceFile,
    pub config: &'a Config,
    pub suppressions: &'a crate::facts::Suppressions,
    pub usage: &'a crate::suppress::Usage,
    /// Rules switched off in this file (`per-file-ignores`).
    pub not_run: RuleSet,
    /// Every rule ran on the complete facts of a file that parses: a directive that silenced
    /// nothing is known to be unused.
    pub complete: bool,
}

pub(crate) type SuppressionRule = fn(&SuppressionContext, &mut Vec<Violation>);

/// Runs every rule over a file's suppression comments.
pub(crate) fn check_suppressions(context: &SuppressionContext) -> Vec<Violation> {
    let mut violations = Vec::new();
    for rule in RULES {
        if let RuleScope::Suppressions(check) = rule.scope {
            check(context, &mut violations);
        }
    }
    violations
}

/// Runs every per-file rule over one file.
pub fn check_file(context: &FileContext) -> Vec<Violation> {
    let mut violations = Vec::new();
    for rule in RULES {
        if let RuleScope::File(check) = rule.scope {
            check(context, &mut violations);
        }
    }
    violations
}

/// Builds a violation with the entry's phase and severity (or the rule's default severity).
pub(crate) fn violation(
    meta: &RuleMeta,
    level: crate::finding::EntryLevel,
    span: crate::facts::Span,
    check: &str,
    message: String,
) -> Violation {
    Violation {
        rule: meta.id,
        span,
        message,
        check: check.to_string(),
        phase: level.phase,
        severity: level.severity.unwrap_or(meta.default_severity),
        fix: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_and_sorted() {
        let ids: Vec<_> = RULES.iter().map(|rule| rule.id.as_str()).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(ids, sorted);
    }

    #[test]
    fn rule_ids_index_rules_and_round_trip() {
        for (index, rule) in RULES.iter().enumerate() {
            assert_eq!(rule.id as usize, index, "{} is out of RuleId order", rule.id);
            assert_eq!(RuleId::parse(rule.id.as_str()), Some(rule.id));
            let json = serde_json::to_string(&rule.id).unwrap();
            assert_eq!(json, format!("\"{}\"", rule.id));
            assert_eq!(serde_json::from_str::<RuleId>(&json).unwrap(), rule.id);
        }
        assert!(RULES.len() <= 32, "RuleSet holds 32 rules");
        assert!(RuleSet::all().is_all() && RuleSet::all().iter().count() == RULES.len());
    }

    #[test]
    fn every_rule_has_a_complete_doc() {
        for rule in RULES {
            assert!(
                rule.doc.starts_with(&format!("# {}\n", rule.id)),
                "{} doc must start with `# {}`",
                rule.id,
                rule.id
            );
            for heading in ["What it does", "Why is this bad?", "Example", "Use instead", "Configuration"] {
                let section = rule.section(heading);
                assert!(section.is_some_and(|text| !text.is_empty()), "{} doc lacks `## {heading}`", rule.id);
            }
            assert!(!rule.summary().is_empty() && rule.summary().len() <= 200, "{} summary", rule.id);
        }
    }

    #[test]
    fn every_doc_file_belongs_to_a_rule() {
        let docs = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules")).unwrap();
        for entry in docs {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if let Some(id) = name.strip_suffix(".md") {
                assert!(rule(id).is_some(), "rules/{name} has no rule");
            }
        }
    }
}
