//! `stale-registry`: registry entries and concepts that point at nothing in the linted tree.
//!
//! Whole-project runs only. Each file contributes what it provides (`contribute`, in the
//! parallel per-file task, into its `Part` of the file's `Contribution`); `check` merges the
//! contributions once all files are done.

use super::{
    violation, ConceptKey, ConfigViolation, Contribution, FileContext, Needles, ProjectRule, RuleId,
    RuleMeta, RuleScope,
};
use crate::config::Config;
use crate::facts::{FileFacts, ImportKind};
use crate::finding::Severity;

pub(crate) const META: RuleMeta = RuleMeta {
    id: RuleId::StaleRegistry,
    default_severity: Severity::Warning,
    reported: super::when_enabled,
    doc: include_str!("../../rules/stale-registry.md"),
    scope: RuleScope::Project(ProjectRule { contribute, check }),
    needles,
    interest: super::no_interest,
    concept: ConceptKey::ConceptOrRegistrySymbol,
    fix: super::Fixability::None,
};

/// Registry symbols, canonical classes and factories (a file defining them contributes); a
/// registry module is judged by its path (the rule asks what it binds).
fn needles(config: &Config, needles: &mut Needles) {
    for entry in &config.registry {
        needles.declaration(&entry.symbol);
        needles.module(&entry.module);
    }
    for concept in &config.concepts {
        for target in [&concept.canonical_class, &concept.canonical_factory].into_iter().flatten() {
            needles.last_segment(target);
        }
    }
}

/// What one file provides towards the registry and the concepts: indices into the config's
/// tables (the cache key covers the config, so they stay valid with the cached contribution).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct Part {
    /// Registry entries (by index) whose module is this file, whatever their language.
    registry_modules: Vec<usize>,
    /// Registry entries (by index) whose module is this file and whose symbol it binds.
    registry_symbols: Vec<usize>,
    /// Concepts (by index) whose canonical class is defined here.
    canonical_classes: Vec<usize>,
    /// Concepts (by index) whose canonical factory is defined here.
    canonical_factories: Vec<usize>,
}

fn contribute(context: &FileContext, contribution: &mut Contribution) {
    let config = context.config;
    let module = &context.file.module;
    let here = || config.registry.iter().enumerate().filter(|(_, entry)| entry.module == *module);
    let registry_modules = here().map(|(index, _)| index).collect();
    let registry_symbols = here()
        .filter(|(_, entry)| {
            entry.languages.contains(context.language()) && binds(context.facts, &entry.symbol)
        })
        .map(|(index, _)| index)
        .collect();
    let defines = |target: &Option<String>| {
        target.as_deref().is_some_and(|target| {
            context
                .facts
                .definitions
                .iter()
                .any(|definition| context.qualify(&definition.qualified_name) == target)
        })
    };
    let concepts =
        || config.concepts.iter().enumerate().filter(|(_, c)| c.languages.contains(context.language()));
    contribution.stale_registry = Part {
        registry_modules,
        registry_symbols,
        canonical_classes: concepts().filter(|(_, c)| defines(&c.canonical_class)).map(|(i, _)| i).collect(),
        canonical_factories: concepts()
            .filter(|(_, c)| defines(&c.canonical_factory))
            .map(|(i, _)| i)
            .collect(),
    };
}

/// Does the module bind `symbol` at all: define it, import it, assign it (or star-import)?
pub fn binds(facts: &FileFacts, symbol: &str) -> bool {
    let defined =
        facts.definitions.iter().any(|definition| definition.top_level && definition.name == symbol);
    let assigned = facts.assignments.iter().any(|assignment| assignment.name == symbol);
    let imported = facts.imports.iter().any(|import| match &import.kind {
        ImportKind::From(from) => {
            from.star || from.names.iter().any(|name| name.alias.as_deref().unwrap_or(&name.name) == symbol)
        }
        ImportKind::Module(modules) => modules.iter().any(|item| match &item.alias {
            Some(alias) => alias == symbol,
            None => item.module.split('.').next() == Some(symbol),
        }),
    });
    defined || assigned || imported
}

fn check(config: &Config, contributions: &[&Contribution]) -> Vec<ConfigViolation> {
    let mut out = Vec::new();
    let parts = || contributions.iter().map(|contribution| &contribution.stale_registry);
    // Sets, so a large registry against a large tree stays linear.
    let provided: std::collections::HashSet<usize> =
        parts().flat_map(|part| part.registry_modules.iter().copied()).collect();
    let bound: std::collections::HashSet<usize> =
        parts().flat_map(|part| part.registry_symbols.iter().copied()).collect();
    for (index, entry) in config.registry.iter().enumerate() {
        let provided = provided.contains(&index);
        let message = if !provided {
            format!("registry module {} of {} is not provided by any linted file", entry.module, entry.symbol)
        } else if !bound.contains(&index) {
            format!("registry module {} does not define, import or assign {}", entry.module, entry.symbol)
        } else {
            continue;
        };
        // Every finding carries the phase and severity of its entry (SPEC §4).
        let violation = violation(&META, entry.level, entry.origin.span, &entry.symbol, message);
        out.push(ConfigViolation { source: entry.origin.source, violation });
    }
    for (index, concept) in config.concepts.iter().enumerate() {
        let targets = [("class", &concept.canonical_class), ("factory", &concept.canonical_factory)];
        for (what, target) in targets {
            let Some(target) = target else { continue };
            let found_in = |part: &Part| match what {
                "class" => part.canonical_classes.contains(&index),
                _ => part.canonical_factories.contains(&index),
            };
            if parts().any(found_in) {
                continue;
            }
            let message = format!(
                "canonical {what} {target} of concept {} is defined nowhere in the linted tree",
                concept.name
            );
            let violation = violation(&META, concept.level, concept.origin.span, &concept.name, message);
            out.push(ConfigViolation { source: concept.origin.source, violation });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::{check_project, contribute, FileContext, RuleId, RuleSet};
    use crate::source::SourceFile;

    const CONFIG: &str = r#"
[[registry]]
symbol = "Manager"
module = "app.core"

[[concept]]
name = "manager"
canonical-class = "app.core.Manager"
"#;

    fn contribution_of(config: &crate::config::Config, module: &str, text: &str) -> super::Contribution {
        let path = format!("{}.py", module.replace('.', "/"));
        let file = SourceFile::from_text(&path, module, false, text);
        let facts = crate::lang::python::extract(&file);
        contribute(&FileContext::new(&file, &facts, config))
    }

    fn messages(config: &crate::config::Config, contributions: &[&super::Contribution]) -> Vec<String> {
        check_project(config, RuleSet::all(), contributions)
            .into_iter()
            .map(|located| located.violation.message)
            .collect()
    }

    /// The module alone is news to the rule (the entry is provided, only not bound), so the
    /// contribution is kept; a file unrelated to the registry contributes nothing.
    #[test]
    fn a_registry_module_that_binds_nothing_still_contributes() {
        let config = crate::config::from_text(CONFIG, std::path::Path::new("/nonexistent")).unwrap();
        let empty_core = contribution_of(&config, "app.core", "x = 1\n");
        let other = contribution_of(&config, "app.other", "class Manager: ...\n");
        assert!(!empty_core.is_empty());
        assert!(other.is_empty(), "{other:?}");
        assert_eq!(
            messages(&config, &[&empty_core, &other]),
            [
                "registry module app.core does not define, import or assign Manager",
                "canonical class app.core.Manager of concept manager is defined nowhere in the linted tree",
            ]
        );
        let core = contribution_of(&config, "app.core", "class Manager: ...\n");
        assert!(messages(&config, &[&core]).is_empty());
        assert_eq!(
            messages(&config, &[]),
            [
                "registry module app.core of Manager is not provided by any linted file",
                "canonical class app.core.Manager of concept manager is defined nowhere in the linted tree",
            ]
        );
        // A run without the rule asks nothing of the contributions.
        let mut without = RuleSet::all();
        without.remove(RuleId::StaleRegistry);
        assert!(check_project(&config, without, &[]).is_empty());
        assert!(!crate::rules::reads_contributions(without));
    }
}
