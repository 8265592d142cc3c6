//! `deprecated-factory-call`: a call whose target's last name matches a concept's
//! `factory-patterns`, other than a call of the canonical factory.

use super::{violation, ConceptKey, FileContext, InterestBuilder, Needles, RuleId, RuleMeta, RuleScope};
use crate::config::Config;
use crate::finding::{Severity, Violation};

pub(crate) const META: RuleMeta = RuleMeta {
    id: RuleId::DeprecatedFactoryCall,
    default_severity: Severity::Error,
    reported: super::when_enabled,
    doc: include_str!("../../rules/deprecated-factory-call.md"),
    scope: RuleScope::File(check),
    needles,
    interest,
    concept: ConceptKey::Concept,
    fix: super::Fixability::None,
};

fn needles(config: &Config, needles: &mut Needles) {
    for concept in &config.concepts {
        if let Some(canonical) = &concept.canonical_factory {
            needles.last_segment(canonical);
        }
        for glob in &concept.factory_patterns {
            needles.glob(glob);
        }
    }
}

fn interest(config: &Config, interest: &mut InterestBuilder) {
    for concept in &config.concepts {
        for glob in &concept.factory_patterns {
            interest.glob(glob);
        }
    }
}

pub fn check(context: &FileContext, out: &mut Vec<Violation>) {
    for concept in context.concepts() {
        if concept.factory_patterns.is_empty() {
            continue;
        }
        for call in &context.facts.calls {
            let Some(callee) = &call.callee else { continue };
            // The last name as spelled, or of what the callee refers to through an import
            // (`f()` after `from app.ws import get_websocket_manager_factory as f`).
            let mut last_names = std::iter::once(callee.last_name()).chain(callee.qualified_last_name());
            if !last_names.any(|last| concept.factory_patterns.iter().any(|glob| glob.matches(last))) {
                continue;
            }
            if let Some(canonical) = &concept.canonical_factory {
                if callee.names().any(|name| names_canonical(name, canonical)) {
                    continue;
                }
            }
            let described = callee.describe("()");
            let message = match &concept.canonical_factory {
                Some(canonical) => {
                    format!(
                        "call of deprecated factory {described}; use {canonical}() (concept {})",
                        concept.name
                    )
                }
                None => format!("call of deprecated factory {described} (concept {})", concept.name),
            };
            out.push(violation(&META, concept.level, call.span, &concept.name, message));
        }
    }
}

/// `Manager.create_for_user` names `pkg.mod.Manager.create_for_user` (and `Manager::create`
/// names `my_crate::ws::Manager::create`): the callee's chain is a trailing run of whole
/// segments of the canonical path.
fn names_canonical(callee: &str, canonical: &str) -> bool {
    canonical
        .strip_suffix(callee)
        .is_some_and(|rest| rest.is_empty() || rest.ends_with('.') || rest.ends_with("::"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn callee_names_canonical_by_whole_trailing_segments() {
        let canonical = "app.mod.Manager.create_for_user";
        assert!(super::names_canonical("Manager.create_for_user", canonical));
        assert!(super::names_canonical("mod.Manager.create_for_user", canonical));
        assert!(!super::names_canonical("OtherManager.create_for_user", canonical));
        assert!(!super::names_canonical("x.create_for_user", canonical));
        let rust = "chat::ws::Manager::create";
        assert!(super::names_canonical("Manager::create", rust));
        assert!(super::names_canonical("ws::Manager::create", rust));
        assert!(!super::names_canonical("OtherManager::create", rust));
        assert!(!super::names_canonical("r::create", rust));
    }
}
