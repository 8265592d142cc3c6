//! `banned-pattern`: an attribute expression or call matching a `[[pattern]]`.

use super::{violation, ConceptKey, FileContext, InterestBuilder, Needles, RuleId, RuleMeta, RuleScope};
use crate::config::Config;
use crate::config::{Pattern, PatternKind};
use crate::facts::Span;
use crate::finding::{Severity, Violation};

pub(crate) const META: RuleMeta = RuleMeta {
    id: RuleId::BannedPattern,
    default_severity: Severity::Error,
    reported: super::when_enabled,
    doc: include_str!("../../rules/banned-pattern.md"),
    scope: RuleScope::File(check),
    needles,
    interest,
    concept: ConceptKey::Check,
    fix: super::Fixability::None,
};

fn needles(config: &Config, needles: &mut Needles) {
    for pattern in &config.patterns {
        needles.glob(&pattern.glob);
    }
}

fn interest(config: &Config, interest: &mut InterestBuilder) {
    for pattern in &config.patterns {
        interest.glob(&pattern.glob);
        // An attribute pattern also matches a bare name bound to a module member.
        if pattern.kind == PatternKind::Attribute {
            interest.bare_names();
        }
    }
}

pub fn check(context: &FileContext, out: &mut Vec<Violation>) {
    for pattern in context.patterns() {
        match pattern.kind {
            PatternKind::Attribute => {
                for chain in &context.facts.attributes {
                    if pattern.glob.matches_chain(chain) {
                        out.push(report(pattern, &chain.describe(""), chain.span));
                    }
                }
                // A bare name standing for a module member (`cdc` after `from ssl import
                // create_default_context as cdc`) is that attribute, by its qualified name.
                for name in &context.facts.names {
                    if name.qualified.as_deref().is_some_and(|qualified| pattern.glob.matches(qualified)) {
                        out.push(report(pattern, &name.describe(""), name.span));
                    }
                }
            }
            PatternKind::Call => {
                for call in &context.facts.calls {
                    let Some(callee) = &call.callee else { continue };
                    if pattern.glob.matches_chain(callee) {
                        out.push(report(pattern, &callee.describe("()"), call.span));
                    }
                }
            }
        }
    }
}

fn report(pattern: &Pattern, matched: &str, span: Span) -> Violation {
    let message = match &pattern.message {
        Some(help) => format!("{matched} is banned ({}): {help}", pattern.id),
        None => format!("{matched} matches banned pattern {} (`{}`)", pattern.id, pattern.glob),
    };
    violation(&META, pattern.level, span, &pattern.id, message)
}
