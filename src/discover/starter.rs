//! A discovery as a starter `ssot-lint.toml`: a `[[registry]]` entry per scattered name and a
//! `[[concept]]` per family, each preceded by a comment with its evidence.

use std::collections::HashSet;

use super::report::{check_counts, evidence, thousands};
use super::{Discovery, Family, Scattered};

/// The `[project]` table of the written config.
#[derive(Clone, Debug, Default)]
pub struct Project {
    /// Import roots, relative to the written file's directory (`"."` for it).
    pub roots: Vec<String>,
    /// `include` of the config discover used, when it set one.
    pub include: Option<Vec<String>>,
    /// `exclude` of the config discover used, then the test-code globs (unless tests counted).
    pub exclude: Vec<String>,
}

/// At most this many names in one evidence comment.
const SHOW: usize = 8;

pub fn write(discovery: &Discovery, project: &Project, command: &str) -> String {
    let mut out = String::new();
    out.push_str("# ssot-lint configuration written by `");
    out.push_str(command);
    out.push_str("`\n");
    out.push_str(&format!(
        "# from {} Python files: {} registry {}, {} {}. Every entry is a proposal with its evidence:\n",
        thousands(discovery.files),
        discovery.scattered.len(),
        if discovery.scattered.len() == 1 { "entry" } else { "entries" },
        concepts(discovery),
        if concepts(discovery) == 1 { "concept" } else { "concepts" },
    ));
    out.push_str(
        "# keep, edit or delete each, then run `ssot-lint check`. Reference: `ssot-lint init` writes\n",
    );
    out.push_str("# a commented template of every table.\n\n");

    out.push_str("[project]\n");
    out.push_str(&format!("roots = {}\n", array(&project.roots)));
    if let Some(include) = &project.include {
        out.push_str(&format!("include = {}\n", array(include)));
    }
    if !project.exclude.is_empty() {
        out.push_str("# Test code is left out, as discover left it out (`--include-tests` counts it).\n");
        out.push_str(&format!("exclude = {}\n", array(&project.exclude)));
    }
    out.push_str("# Rules off by path: per-file-ignores = { \"tests/**\" = [\"deprecated-module\"] }\n");

    if !discovery.scattered.is_empty() {
        out.push_str(
            "\n# An entry's findings can be switched off where they must occur (a compat shim, the legacy\n\
             # module's own tests): allow-in = [\"app/compat.py\", \"tests/legacy/**\"].\n",
        );
    }

    if !discovery.scattered.is_empty() {
        out.push_str(
            "\n# The import registry: each name's one home, and the modules that re-export it (compat).\n",
        );
    }
    for item in &discovery.scattered {
        out.push('\n');
        registry_entry(&mut out, item);
    }

    let (concepts, candidates): (Vec<&Family>, Vec<&Family>) =
        discovery.families.iter().partition(|family| enforced(family));
    if !concepts.is_empty() {
        out.push_str(
            "\n# Concepts: classes sharing a name suffix, with competing factories. Set canonical-class (and\n\
             # canonical-factory) to the one to keep; until then `check` reports every class and factory.\n",
        );
    }
    let mut names = HashSet::new();
    for family in concepts {
        out.push('\n');
        concept(&mut out, family, &mut names);
    }
    if !candidates.is_empty() {
        out.push_str(
            "\n# Families without factories: concept candidates only, not enforced. To enforce one, write a\n\
             # [[concept]] with class-patterns = [\"*Suffix\"] and its canonical-class.\n",
        );
        for family in candidates {
            out.push_str(&format!(
                "#   *{}: {} classes: {}\n",
                family.suffix,
                family.classes.len(),
                shown(&family.classes)
            ));
        }
    }
    out
}

/// Families become `[[concept]]` entries when factories compete around them (the pattern of
/// a real duplicated concept); the others, in a plugin architecture mostly one subclass per
/// plugin, are listed as comments.
pub(crate) fn enforced(family: &Family) -> bool {
    !family.factories.is_empty()
}

/// How many `[[concept]]` entries `write` writes.
pub fn concepts(discovery: &Discovery) -> usize {
    discovery.families.iter().filter(|family| enforced(family)).count()
}

fn registry_entry(out: &mut String, item: &Scattered) {
    out.push_str(&format!("# {}\n", evidence(item)));
    out.push_str(&format!("# `check` with this entry: {}\n", check_counts(item)));
    out.push_str("[[registry]]\n");
    out.push_str(&format!("symbol = {}\n", string(&item.name)));
    out.push_str(&format!("module = {}\n", string(&item.home)));
    if !item.compat.is_empty() {
        out.push_str(&format!("compat = {}\n", array(&item.compat)));
    }
    // A module path without a dot would read as "any language"; these are Python imports.
    if !item.home.contains('.') || item.compat.iter().any(|module| !module.contains('.')) {
        out.push_str("language = \"python\"\n");
    }
}

fn concept(out: &mut String, family: &Family, names: &mut HashSet<String>) {
    let classes = shown(&family.classes);
    out.push_str(&format!("# {} classes named *{}: {classes}\n", family.classes.len(), family.suffix));
    if family.factories.is_empty() {
        out.push_str("# no factories found around them\n");
    } else {
        out.push_str(&format!("# factories: {}\n", shown(&family.factories)));
    }
    if !family.contains.is_empty() {
        let specific: Vec<String> = family.contains.iter().map(|suffix| format!("*{suffix}")).collect();
        out.push_str(&format!(
            "# classes named {} are another family (allow-classes)\n",
            specific.join(", ")
        ));
    }
    out.push_str("[[concept]]\n");
    out.push_str(&format!("name = {}\n", string(&concept_name(&family.suffix, names))));
    out.push_str(&format!("class-patterns = {}\n", array(&[format!("*{}", family.suffix)])));
    if !family.contains.is_empty() {
        let allow: Vec<String> = family.contains.iter().map(|suffix| format!("*{suffix}")).collect();
        out.push_str(&format!("allow-classes = {}\n", array(&allow)));
    }
    if !family.factories.is_empty() {
        let mut patterns: Vec<String> = family
            .factories
            .iter()
            .map(|factory| factory.rsplit('.').next().unwrap_or(factory).to_string())
            .collect();
        patterns.sort();
        patterns.dedup();
        out.push_str(&format!("factory-patterns = {}\n", array(&patterns)));
    }
    // Bare-name globs would apply to Rust files too; discover read Python only.
    out.push_str("language = \"python\"\n");
}

/// `WebSocketManager` → `web-socket-manager`, made unique among `names`.
fn concept_name(suffix: &str, names: &mut HashSet<String>) -> String {
    let base: Vec<String> = super::camel_words(suffix).iter().map(|word| word.to_lowercase()).collect();
    let base = if base.is_empty() { "family".to_string() } else { base.join("-") };
    let mut name = base.clone();
    let mut counter = 2;
    while !names.insert(name.clone()) {
        name = format!("{base}-{counter}");
        counter += 1;
    }
    name
}

fn shown(items: &[String]) -> String {
    let mut list: Vec<String> = items.iter().take(SHOW).cloned().collect();
    if items.len() > SHOW {
        list.push(format!("+{} more", items.len() - SHOW));
    }
    list.join(", ")
}

fn string(value: &str) -> String {
    toml::Value::String(value.to_string()).to_string()
}

fn array(values: &[String]) -> String {
    let items: Vec<String> = values.iter().map(|value| string(value)).collect();
    format!("[{}]", items.join(", "))
}
