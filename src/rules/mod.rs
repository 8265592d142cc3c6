//! The rules: one file per rule id, each with its documentation in `rules/<rule-id>.md`.
//!
//! `RULES` is the one static list every command reads (`rules`, `explain`, SARIF `rules[]`,
//! `--select` validation). Per-file rules see only `FileFacts` (never a syntax tree); the one
//! project-wide rule (`stale-registry`) merges small per-file contributions.

mod banned_pattern;
mod compat_import;
mod competing_factory;
mod deprecated_factory_call;
mod deprecated_module;
mod duplicate_class;
mod duplicate_definition;
mod non_canonical_import;
pub mod stale_registry;
pub mod suppression_without_reason;
mod syntax_error;
mod unknown_event;
pub mod unused_suppression;

use crate::config::{Concept, Config, DeprecatedModule, Events, Pattern, RegistryEntry};
use crate::facts::FileFacts;
use crate::finding::{Severity, Violation};
use crate::lang::Language;
use crate::scope::{AllowedHere, EntryKind};
use crate::source::SourceFile;

/// A rule's identity and documentation.
#[derive(Debug)]
pub struct RuleMeta {
    pub id: &'static str,
    pub default_severity: Severity,
    /// The whole Markdown doc (`rules/<id>.md`).
    pub doc: &'static str,
}

impl RuleMeta {
    /// The one-line summary: the first paragraph after the `# id` heading.
    pub fn summary(&self) -> &'static str {
        self.doc
            .lines()
            .skip_while(|line| line.starts_with('#') || line.trim().is_empty())
            .find(|line| !line.trim().is_empty())
            .unwrap_or(self.id)
            .trim()
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

/// Every rule, sorted by id.
pub const RULES: &[RuleMeta] = &[
    banned_pattern::META,
    compat_import::META,
    competing_factory::META,
    deprecated_factory_call::META,
    deprecated_module::META,
    duplicate_class::META,
    duplicate_definition::META,
    non_canonical_import::META,
    stale_registry::META,
    suppression_without_reason::META,
    syntax_error::META,
    unknown_event::META,
    unused_suppression::META,
];

pub fn rule(id: &str) -> Option<&'static RuleMeta> {
    RULES.iter().find(|rule| rule.id == id)
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
    pub fn qualify(&self, qualified_name: &str) -> String {
        self.language().join(&self.file.module, qualified_name)
    }

    /// The path of `name` inside `module`: `module.name` or `module::name`.
    pub fn join(&self, module: &str, name: &str) -> String {
        self.language().join(module, name)
    }

    pub fn registry_entry(&self, symbol: &str) -> Option<&'a RegistryEntry> {
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
        languages: impl Fn(&T) -> crate::lang::Languages + 's,
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

type FileRule = fn(&FileContext, &mut Vec<Violation>);

const FILE_RULES: &[FileRule] = &[
    banned_pattern::check,
    compat_import::check,
    competing_factory::check,
    deprecated_factory_call::check,
    deprecated_module::check,
    duplicate_class::check,
    duplicate_definition::check,
    non_canonical_import::check,
    syntax_error::check,
    unknown_event::check,
];

/// Runs every per-file rule over one file.
pub fn check_file(context: &FileContext) -> Vec<Violation> {
    let mut violations = Vec::new();
    for rule in FILE_RULES {
        rule(context, &mut violations);
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
        let ids: Vec<_> = RULES.iter().map(|rule| rule.id).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(ids, sorted);
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
