//! `non-canonical-import`: a registry symbol imported from a module that is neither its home
//! nor one of its compat modules.

use super::{violation, ConceptKey, FileContext, Needles, RuleId, RuleMeta, RuleScope};
use crate::config::Config;
use crate::facts::ImportKind;
use crate::finding::{Severity, Violation};

pub(crate) const META: RuleMeta = RuleMeta {
    id: RuleId::NonCanonicalImport,
    default_severity: Severity::Error,
    reported: super::when_enabled,
    doc: include_str!("../../rules/non-canonical-import.md"),
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
            if *module == entry.module || entry.compat.contains(module) {
                continue;
            }
            let message =
                format!("{} must be imported from {} (imported from {module})", entry.symbol, entry.module);
            out.push(violation(&META, entry.level, name.span, &entry.symbol, message));
        }
    }
}
