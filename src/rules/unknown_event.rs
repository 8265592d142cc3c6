//! `unknown-event`: a string literal event passed to an `[[events]]` emitter that is not in
//! the vocabulary.

use super::{violation, ConceptKey, FileContext, InterestBuilder, Needles, RuleId, RuleMeta, RuleScope};
use crate::config::Config;
use crate::config::EventArgument;
use crate::facts::{Argument, Call};
use crate::finding::{Severity, Violation};

pub(crate) const META: RuleMeta = RuleMeta {
    id: RuleId::UnknownEvent,
    default_severity: Severity::Error,
    reported: super::when_enabled,
    doc: include_str!("../../rules/unknown-event.md"),
    scope: RuleScope::File(check),
    needles,
    interest,
    concept: ConceptKey::Check,
    fix: super::Fixability::None,
};

fn needles(config: &Config, needles: &mut Needles) {
    for events in &config.events {
        for glob in &events.emitters {
            needles.glob(glob);
        }
    }
}

fn interest(config: &Config, interest: &mut InterestBuilder) {
    for events in &config.events {
        for glob in &events.emitters {
            interest.glob(glob);
        }
    }
}

pub fn check(context: &FileContext, out: &mut Vec<Violation>) {
    for events in context.events() {
        for call in &context.facts.calls {
            let Some(callee) = &call.callee else { continue };
            if !events.emitters.iter().any(|glob| glob.matches_chain(callee)) {
                continue;
            }
            let Some(argument) = event_argument(call, &events.argument) else {
                continue;
            };
            let Some(event) = &argument.string_value else {
                continue;
            };
            if events.allowed.iter().any(|allowed| allowed == event) {
                continue;
            }
            let message = format!(
                "unknown event \"{event}\" passed to {}; {} allows: {}",
                callee.describe("()"),
                events.name,
                events.allowed.join(", ")
            );
            out.push(violation(&META, events.level, argument.span, &events.name, message));
        }
    }
}

pub(super) fn event_argument<'a>(call: &'a Call, wanted: &EventArgument) -> Option<&'a Argument> {
    call.args.iter().find(|argument| match wanted {
        EventArgument::Position(index) => argument.position == Some(*index),
        EventArgument::Keyword(name) => argument.keyword.as_deref() == Some(name.as_str()),
    })
}
