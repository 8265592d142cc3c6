//! `competing-factory`: a function, method or class named like a concept's factories, other
//! than its canonical factory.

use super::{violation, ConceptKey, FileContext, Needles, RuleId, RuleMeta, RuleScope};
use crate::config::Config;
use crate::finding::{Severity, Violation};

pub(crate) const META: RuleMeta = RuleMeta {
    id: RuleId::CompetingFactory,
    default_severity: Severity::Error,
    reported: super::when_enabled,
    doc: include_str!("../../rules/competing-factory.md"),
    scope: RuleScope::File(check),
    needles,
    interest: super::no_interest,
    concept: ConceptKey::Concept,
    fix: super::Fixability::None,
};

fn needles(config: &Config, needles: &mut Needles) {
    for concept in &config.concepts {
        for glob in &concept.factory_patterns {
            needles.glob(glob);
        }
    }
}

pub fn check(context: &FileContext, out: &mut Vec<Violation>) {
    for concept in context.concepts() {
        if concept.factory_patterns.is_empty() {
            continue;
        }
        for definition in &context.facts.definitions {
            if !concept.factory_patterns.iter().any(|glob| glob.matches(&definition.name)) {
                continue;
            }
            let qualified = context.qualify(&definition.qualified_name);
            if concept.canonical_factory.as_deref() == Some(qualified.as_str()) {
                continue;
            }
            let message = match &concept.canonical_factory {
                Some(canonical) => format!(
                    "{qualified} competes with {canonical}, the canonical factory of concept {}",
                    concept.name
                ),
                None => format!("{qualified} is another factory of concept {}", concept.name),
            };
            out.push(violation(&META, concept.level, definition.span, &concept.name, message));
        }
    }
}
