//! `duplicate-class`: a class matching a concept's `class-patterns` that is not its canonical
//! class (with `count-aliases`, module-level `Name = ...` bindings too).

use super::{violation, ConceptKey, FileContext, Needles, RuleId, RuleMeta, RuleScope};
use crate::config::Concept;
use crate::config::Config;
use crate::facts::{DefinitionKind, Span};
use crate::finding::{Severity, Violation};

pub(crate) const META: RuleMeta = RuleMeta {
    id: RuleId::DuplicateClass,
    default_severity: Severity::Error,
    reported: super::when_enabled,
    doc: include_str!("../../rules/duplicate-class.md"),
    scope: RuleScope::File(check),
    needles,
    interest: super::no_interest,
    concept: ConceptKey::Concept,
    fix: super::Fixability::None,
};

fn needles(config: &Config, needles: &mut Needles) {
    for concept in &config.concepts {
        if let Some(canonical) = &concept.canonical_class {
            needles.last_segment(canonical);
        }
        for glob in &concept.class_patterns {
            needles.glob(glob);
        }
    }
}

pub fn check(context: &FileContext, out: &mut Vec<Violation>) {
    for concept in context.concepts() {
        if concept.class_patterns.is_empty() {
            continue;
        }
        for definition in &context.facts.definitions {
            if definition.kind == DefinitionKind::Class {
                report_if_duplicate(
                    context,
                    concept,
                    &definition.name,
                    &definition.qualified_name,
                    definition.span,
                    "class",
                    out,
                );
            }
        }
        if concept.count_aliases {
            for assignment in &context.facts.assignments {
                report_if_duplicate(
                    context,
                    concept,
                    &assignment.name,
                    &assignment.name,
                    assignment.span,
                    "alias",
                    out,
                );
            }
        }
    }
}

fn report_if_duplicate(
    context: &FileContext,
    concept: &Concept,
    name: &str,
    qualified_name: &str,
    span: Span,
    what: &str,
    out: &mut Vec<Violation>,
) {
    if !concept.class_patterns.iter().any(|glob| glob.matches(name)) {
        return;
    }
    let qualified = context.qualify(qualified_name);
    if concept.canonical_class.as_deref() == Some(qualified.as_str()) {
        return;
    }
    if concept.allow_classes.iter().any(|glob| glob.matches(name) || glob.matches(&qualified)) {
        return;
    }
    let message = match &concept.canonical_class {
        Some(canonical) => format!(
            "{what} {qualified} competes with {canonical}, the canonical class of concept {}",
            concept.name
        ),
        None => format!("{what} {qualified} is another implementation of concept {}", concept.name),
    };
    out.push(violation(&META, concept.level, span, &concept.name, message));
}
