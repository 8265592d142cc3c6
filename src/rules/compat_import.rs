//! `compat-import`: a registry symbol imported from one of its tolerated compat modules.

use super::{violation, ConceptKey, FileContext, Needles, RuleId, RuleMeta, RuleScope};
use crate::config::Config;
use crate::facts::ImportKind;
use crate::finding::{EntryLevel, Severity, Violation};

pub(crate) const META: RuleMeta = RuleMeta {
    id: RuleId::CompatImport,
    default_severity: Severity::Warning,
    reported: super::when_enabled,
    doc: include_str!("../../rules/compat-import.md"),
    scope: RuleScope::File(check),
    needles,
    interest: super::no_interest,
    concept: ConceptKey::RegistrySymbol,
    // One rewrite of the import statement, shared with the other import rules.
    fix: super::Fixability::PerFile(&super::fix_imports::FIXER),
};

fn needles(config: &Config, needles: &mut Needles) {
    for entry in &config.registry {
        needles.declaration(&entry.symbol);
    }
}

pub fn check(context: &FileContext, out: &mut Vec<Violation>) {
    for import in &context.facts.imports {
        let ImportKind::From(from) = &import.kind else {
            continue;
        };
        let Some(module) = &from.module else { continue };
        for name in &from.names {
            let Some(entry) = context.registry_entry(&name.name) else {
                continue;
            };
            if *module == entry.module || !entry.compat.contains(module) {
                continue;
            }
            // A compat module is tolerated by definition: never louder than a warning.
            let severity = entry.level.severity.map(|severity| severity.min(Severity::Warning));
            let level = EntryLevel { severity, ..entry.level };
            let message = format!(
                "{} is imported from compat module {module}; import it from {}",
                entry.symbol, entry.module
            );
            out.push(violation(&META, level, name.span, &entry.symbol, message));
        }
    }
}
