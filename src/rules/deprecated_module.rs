//! `deprecated-module`: an import naming a deprecated module or a submodule of it.

use super::{violation, ConceptKey, FileContext, Needles, RuleId, RuleMeta, RuleScope};
use crate::config::Config;
use crate::config::DeprecatedModule;
use crate::facts::{ImportKind, Span};
use crate::finding::{Severity, Violation};

pub(crate) const META: RuleMeta = RuleMeta {
    id: RuleId::DeprecatedModule,
    default_severity: Severity::Error,
    reported: super::when_enabled,
    doc: include_str!("../../rules/deprecated-module.md"),
    scope: RuleScope::File(check),
    needles,
    interest: super::no_interest,
    concept: ConceptKey::DeprecatedModule,
    // One rewrite of the import statement, shared with the other import rules.
    fix: super::Fixability::PerFile(&super::fix_imports::FIXER),
};

/// The module's last name; a module inside a deprecated one is judged by its path (its relative
/// imports name the deprecated module without spelling it).
fn needles(config: &Config, needles: &mut Needles) {
    for entry in &config.deprecated_modules {
        needles.last_segment(&entry.module);
        needles.inside_module(entry);
    }
}

pub fn check(context: &FileContext, out: &mut Vec<Violation>) {
    if context.config.deprecated_modules.is_empty() {
        return;
    }
    for import in &context.facts.imports {
        match &import.kind {
            ImportKind::Module(modules) => {
                for item in modules {
                    if let Some(entry) = context.deprecated_module(&item.module) {
                        out.push(report(entry, &item.module, item.span));
                    }
                }
            }
            ImportKind::From(from) => {
                let Some(module) = &from.module else { continue };
                if let Some(entry) = context.deprecated_module(module) {
                    out.push(report(entry, module, from.module_span));
                    continue;
                }
                // `from package import deprecated_module` (`use package::deprecated_module`)
                for name in &from.names {
                    let submodule = context.join(module, &name.name);
                    if let Some(entry) = context.deprecated_module(&submodule) {
                        out.push(report(entry, &submodule, name.span));
                    }
                }
            }
        }
    }
}

fn report(entry: &DeprecatedModule, imported: &str, span: Span) -> Violation {
    let mut message = if imported == entry.module {
        format!("module {imported} is deprecated")
    } else {
        format!("module {imported} is part of deprecated module {}", entry.module)
    };
    if let Some(replacement) = &entry.replacement {
        message.push_str(&format!("; use {replacement}"));
    }
    violation(&META, entry.level, span, &entry.module, message)
}
