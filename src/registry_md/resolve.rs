//! The classified names → canonical homes, compat modules, deprecated modules and conflicts.

use std::collections::HashMap;

use super::scan::{Class, Seen};

/// A symbol's canonical home, from its first canonical line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Home {
    pub symbol: String,
    pub module: String,
    pub line: usize,
    pub source: String,
    pub section: String,
    /// Compat modules with the line each comes from.
    pub compat: Vec<(String, usize)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deprecated {
    pub module: String,
    pub line: usize,
    pub section: String,
    pub replacement: Option<String>,
}

/// Two lines of the registry that disagree; the first one wins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub message: String,
    pub first: (usize, String),
    pub second: (usize, String),
}

/// The registry the Markdown describes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Registry {
    pub homes: Vec<Home>,
    pub deprecated: Vec<Deprecated>,
    pub conflicts: Vec<Conflict>,
    /// Lines that could not become an entry: `(line, why)`.
    pub notes: Vec<(usize, String)>,
}

/// Turns the classified lines into entries, first canonical home winning.
pub fn resolve(seen: &[Seen]) -> Registry {
    let mut registry = Registry::default();
    let mut by_symbol: HashMap<&str, usize> = HashMap::new();
    for item in seen.iter().filter(|item| item.class == Class::Canonical) {
        let Some(symbol) = item.symbol.as_deref() else { continue };
        match by_symbol.get(symbol) {
            None => {
                by_symbol.insert(symbol, registry.homes.len());
                registry.homes.push(Home {
                    symbol: symbol.to_string(),
                    module: item.module.clone(),
                    line: item.line,
                    source: item.source.clone(),
                    section: item.section.clone(),
                    compat: Vec::new(),
                });
            }
            Some(&index) if registry.homes[index].module != item.module => {
                let home = &registry.homes[index];
                let message = format!("{symbol} has two canonical homes; keeping {}", home.module);
                registry.conflicts.push(conflict(message, (home.line, &home.source), item));
            }
            Some(_) => {}
        }
    }
    for item in seen.iter().filter(|item| item.class == Class::Compat) {
        add_compat(&mut registry, &by_symbol, item);
    }
    for item in seen.iter().filter(|item| item.class == Class::Broken) {
        check_broken(&mut registry, &by_symbol, item);
    }
    let mut notes = Vec::new();
    registry.deprecated = deprecated_modules(seen, &registry, &by_symbol, &mut notes);
    registry.notes.extend(notes);
    registry
}

fn conflict(message: String, first: (usize, &str), second: &Seen) -> Conflict {
    Conflict { message, first: (first.0, first.1.to_string()), second: (second.line, second.source.clone()) }
}

fn add_compat(registry: &mut Registry, by_symbol: &HashMap<&str, usize>, item: &Seen) {
    let Some(symbol) = item.symbol.as_deref() else { return };
    let Some(&index) = by_symbol.get(symbol) else {
        registry.notes.push((
            item.line,
            format!(
                "{symbol} is imported for compatibility from {} but has no canonical home; not emitted",
                item.module
            ),
        ));
        return;
    };
    let home = &mut registry.homes[index];
    if home.module == item.module {
        let message =
            format!("{symbol} is both canonical and compat in {}; keeping it canonical", item.module);
        let first = (home.line, home.source.clone());
        registry.conflicts.push(conflict(message, (first.0, &first.1), item));
    } else if !home.compat.iter().any(|(module, _)| *module == item.module) {
        home.compat.push((item.module.clone(), item.line));
    }
}

fn check_broken(registry: &mut Registry, by_symbol: &HashMap<&str, usize>, item: &Seen) {
    let Some(symbol) = item.symbol.as_deref() else { return };
    let Some(&index) = by_symbol.get(symbol) else { return };
    let home = &registry.homes[index];
    let role = if home.module == item.module {
        "canonical"
    } else if home.compat.iter().any(|(module, _)| *module == item.module) {
        "compat"
    } else {
        return;
    };
    let message = format!("{symbol} is both {role} and broken in {}; keeping it {role}", item.module);
    let first = (home.line, home.source.clone());
    registry.conflicts.push(conflict(message, (first.0, &first.1), item));
}

/// Modules that appear only in broken lines (and contain no canonical or compat module).
fn deprecated_modules(
    seen: &[Seen],
    registry: &Registry,
    by_symbol: &HashMap<&str, usize>,
    notes: &mut Vec<(usize, String)>,
) -> Vec<Deprecated> {
    let good: Vec<&str> =
        seen.iter().filter(|item| item.class != Class::Broken).map(|item| item.module.as_str()).collect();
    let mut deprecated: Vec<Deprecated> = Vec::new();
    for item in seen.iter().filter(|item| item.class == Class::Broken) {
        let module = item.module.as_str();
        if deprecated.iter().any(|entry| entry.module == module) {
            continue;
        }
        let covered = good.iter().find(|good| **good == module || good.starts_with(&format!("{module}.")));
        if let Some(good) = covered {
            if *good != module {
                notes.push((
                    item.line,
                    format!(
                        "{module} is not made a deprecated module: {good} inside it is canonical or compat"
                    ),
                ));
            } else if item.symbol.as_deref().is_some_and(|symbol| !by_symbol.contains_key(symbol)) {
                let symbol = item.symbol.as_deref().unwrap_or_default();
                notes.push((
                    item.line,
                    format!("{symbol} is marked broken in {module} but has no canonical home"),
                ));
            }
            continue;
        }
        deprecated.push(Deprecated {
            module: module.to_string(),
            line: item.line,
            section: item.section.clone(),
            replacement: replacement(seen, registry, by_symbol, module),
        });
    }
    deprecated
}

/// The one canonical home of every symbol imported from a broken module, if they share it.
fn replacement(
    seen: &[Seen],
    registry: &Registry,
    by_symbol: &HashMap<&str, usize>,
    module: &str,
) -> Option<String> {
    let mut homes = seen
        .iter()
        .filter(|item| item.class == Class::Broken && item.module == module)
        .filter_map(|item| by_symbol.get(item.symbol.as_deref()?))
        .map(|&index| registry.homes[index].module.as_str());
    let first = homes.next()?;
    homes.all(|home| home == first).then(|| first.to_string())
}
