//! `duplicate-definition`: a registry symbol defined (`class S` / `def S`, any nesting level)
//! outside its canonical module.

use super::{violation, ConceptKey, FileContext, Needles, RuleId, RuleMeta, RuleScope};
use crate::config::Config;
use crate::facts::DefinitionKind;
use crate::finding::{Severity, Violation};

pub(crate) const META: RuleMeta = RuleMeta {
    id: RuleId::DuplicateDefinition,
    default_severity: Severity::Error,
    reported: super::when_enabled,
    doc: include_str!("../../rules/duplicate-definition.md"),
    scope: RuleScope::File(check),
    needles,
    interest: super::no_interest,
    concept: ConceptKey::RegistrySymbol,
    fix: super::Fixability::None,
};

fn needles(config: &Config, needles: &mut Needles) {
    for entry in &config.registry {
        needles.declaration(&entry.symbol);
    }
}

pub fn check(context: &FileContext, out: &mut Vec<Violation>) {
    for definition in &context.facts.definitions {
        let Some(entry) = context.registry_entry(&definition.name) else {
            continue;
        };
        if context.file.module == entry.module {
            continue;
        }
        let kind = match definition.kind {
            DefinitionKind::Class => "class",
            DefinitionKind::Function => "function",
        };
        let message = format!(
            "{kind} {} duplicates registry symbol {}, whose one home is {}",
            definition.qualified_name, entry.symbol, entry.module
        );
        out.push(violation(&META, entry.level, definition.span, &entry.symbol, message));
    }
}
