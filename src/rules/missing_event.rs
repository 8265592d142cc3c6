//! `missing-event`: a file (or class) that emits some of an `[[events]]` entry's `required`
//! events but not all of them.

use super::{
    unknown_event::event_argument, violation, ConceptKey, FileContext, InterestBuilder, Needles, RuleId,
    RuleMeta, RuleScope,
};
use crate::config::{Config, EventScope, Events};
use crate::facts::{DefinitionKind, FileFacts, Span};
use crate::finding::{Severity, Violation};

pub(crate) const META: RuleMeta = RuleMeta {
    id: RuleId::MissingEvent,
    default_severity: Severity::Error,
    reported: super::when_enabled,
    doc: include_str!("../../rules/missing-event.md"),
    scope: RuleScope::File(check),
    needles,
    interest,
    concept: ConceptKey::Check,
    fix: super::Fixability::None,
};

/// Only the emitters of entries with `required` events: a file that calls none cannot miss one.
fn needles(config: &Config, needles: &mut Needles) {
    for events in config.events.iter().filter(|events| !events.required.is_empty()) {
        for glob in &events.emitters {
            needles.glob(glob);
        }
    }
}

/// As `needles`: only the emitters of entries with `required` events.
fn interest(config: &Config, interest: &mut InterestBuilder) {
    for events in config.events.iter().filter(|events| !events.required.is_empty()) {
        for glob in &events.emitters {
            interest.glob(glob);
        }
    }
}

/// What one unit (the file, or one class) emits.
struct Unit<'a> {
    /// The class's qualified name; `""` for the file.
    class: &'a str,
    /// The first emission with a literal event: where the finding goes.
    first: Option<Span>,
    emitted: Vec<&'a str>,
    /// An emission whose event is not a literal (a variable, an f-string, no event argument):
    /// it may emit what looks missing, so the unit is not judged.
    dynamic: bool,
}

pub fn check(context: &FileContext, out: &mut Vec<Violation>) {
    for events in context.events() {
        if events.required.is_empty() {
            continue;
        }
        for unit in units(context.facts, events) {
            let Some(first) = unit.first else { continue };
            let emits = |event: &String| unit.emitted.contains(&event.as_str());
            if unit.dynamic || !events.required.iter().any(emits) {
                continue;
            }
            let missing: Vec<&str> =
                events.required.iter().filter(|event| !emits(event)).map(String::as_str).collect();
            if missing.is_empty() {
                continue;
            }
            let who = match events.scope {
                EventScope::File => "this file".to_string(),
                EventScope::Class => format!("class {}", unit.class),
            };
            let message = format!(
                "{who} emits some of the required {} events but never {}",
                events.name,
                missing.join(", ")
            );
            out.push(violation(&META, events.level, first, &events.name, message));
        }
    }
}

/// The units that call an emitter of `events`, in the order of their first call. With
/// `scope = "class"`, calls outside every class belong to no unit.
fn units<'a>(facts: &'a FileFacts, events: &Events) -> Vec<Unit<'a>> {
    let mut units: Vec<Unit<'a>> = Vec::new();
    for call in &facts.calls {
        let Some(callee) = &call.callee else { continue };
        if !events.emitters.iter().any(|glob| glob.matches_chain(callee)) {
            continue;
        }
        let class = match events.scope {
            EventScope::File => "",
            EventScope::Class => match enclosing_class(facts, call.span) {
                Some(class) => class,
                None => continue,
            },
        };
        let index = match units.iter().position(|unit| unit.class == class) {
            Some(index) => index,
            None => {
                units.push(Unit { class, first: None, emitted: Vec::new(), dynamic: false });
                units.len() - 1
            }
        };
        let unit = &mut units[index];
        let argument = event_argument(call, &events.argument);
        match argument.and_then(|argument| Some((argument.span, argument.string_value.as_deref()?))) {
            Some((span, event)) => {
                if unit.first.is_none_or(|first| span.start < first.start) {
                    unit.first = Some(span);
                }
                unit.emitted.push(event);
            }
            None => unit.dynamic = true,
        }
    }
    units
}

/// The class a call at `at` belongs to: the innermost class whose definition encloses it, or
/// the type of the innermost enclosing method (a Rust `impl` block has no class definition).
/// Functions nested in a method belong to the method's class.
fn enclosing_class(facts: &FileFacts, at: Span) -> Option<&str> {
    let mut enclosing: Vec<_> = facts
        .definitions
        .iter()
        .filter(|definition| definition.extent.start <= at.start && at.end <= definition.extent.end)
        .collect();
    enclosing.sort_by_key(|definition| std::cmp::Reverse(definition.extent.start));
    enclosing.into_iter().find_map(|definition| match definition.kind {
        DefinitionKind::Class => Some(definition.qualified_name.as_str()),
        DefinitionKind::Function if definition.is_method => definition
            .qualified_name
            .strip_suffix(definition.name.as_str())
            .map(|prefix| prefix.trim_end_matches(['.', ':'])),
        DefinitionKind::Function => None,
    })
}
