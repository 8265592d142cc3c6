//! `ssot-lint discover`: single-source-of-truth problems found from the code alone, before
//! anyone has written a config.
//!
//! The input is one small [`FileSummary`] per Python file, cut from its language-free
//! `FileFacts` (imports with resolved modules, module-level definitions and assignments); the
//! parser never shows through. [`analyze`] turns the summaries into a [`Discovery`]:
//!
//! - **scattered imports**: a name imported with `from M import N` from several modules of the
//!   project, with a clear home (its one defining module, else an import source holding most
//!   of its imports), and how `check` would count its imports under a registry entry;
//! - **duplicate definitions**: a class or function defined at module level in several modules;
//! - **families**: classes sharing a CamelCase suffix of one or two words, with the factories
//!   around them.
//!
//! `report` formats a discovery (text, table, markdown, JSON); `starter` writes it as a config.

pub mod report;
pub mod starter;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::facts::{DefinitionKind, FileFacts, ImportKind};
use crate::source::SourceFile;

/// What discover keeps of one file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct FileSummary {
    /// The file's module name (`app.core.models`).
    pub module: String,
    /// The file's path relative to the project root.
    pub path: String,
    /// `(module, name)` for every name of every `from M import N` at any nesting level, with
    /// relative imports resolved; one entry per imported name (as `check` counts them).
    pub imports: Vec<(String, String)>,
    /// Module-level classes, functions and assignments, in file order. "Module level"
    /// includes the bodies of top-level `if` / `try` / `with` / `for` / `while` blocks.
    pub definitions: Vec<ModuleDefinition>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Class,
    Function,
    /// `Name = ...` / `Name: T = ...` at module level.
    Assignment,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Class => "class",
            Kind::Function => "function",
            Kind::Assignment => "assignment",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ModuleDefinition {
    pub name: String,
    pub kind: Kind,
    /// 1-based line of the name.
    pub line: usize,
}

impl FileSummary {
    /// Cuts a file's facts down to what discover needs.
    pub fn new(file: &SourceFile, facts: &FileFacts) -> FileSummary {
        let mut imports = Vec::new();
        for import in &facts.imports {
            let ImportKind::From(from) = &import.kind else { continue };
            // A relative import above the top-level package resolves to nothing (`check`
            // skips it too).
            let Some(module) = &from.module else { continue };
            imports.extend(from.names.iter().map(|name| (module.clone(), name.name.clone())));
        }
        let line = |span: crate::facts::Span| file.position(span.start).line;
        let mut definitions: Vec<ModuleDefinition> = facts
            .definitions
            .iter()
            .filter(|definition| definition.top_level)
            .map(|definition| ModuleDefinition {
                name: definition.name.clone(),
                kind: match definition.kind {
                    DefinitionKind::Class => Kind::Class,
                    DefinitionKind::Function => Kind::Function,
                },
                line: line(definition.span),
            })
            .collect();
        definitions.extend(facts.assignments.iter().map(|assignment| ModuleDefinition {
            name: assignment.name.clone(),
            kind: Kind::Assignment,
            line: line(assignment.span),
        }));
        definitions.sort_by_key(|definition| definition.line);
        FileSummary { module: file.module.clone(), path: file.rel_path.clone(), imports, definitions }
    }
}

/// The thresholds that keep the report a short list a person can review.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Thresholds {
    /// A scattered name is imported from at least this many project modules; a duplicate is
    /// defined in at least this many modules.
    pub min_modules: usize,
    /// A scattered name has at least this many imports (from project modules) that are not
    /// from its most used import source.
    pub min_imports: usize,
    /// Duplicates defined in more modules, and families of more classes, are conventions of a
    /// plugin architecture (`async_setup_entry` in every integration), not copies to merge.
    pub max_modules: usize,
    pub max_family: usize,
    /// A family has at least this many classes.
    pub min_family: usize,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds { min_modules: 2, min_imports: 2, min_family: 3, max_modules: 25, max_family: 25 }
    }
}

/// A name imported from several modules, with a clear home.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scattered {
    pub name: String,
    /// Modules that define it (class, def or module-level assignment), sorted.
    pub defined_in: Vec<String>,
    /// Every module it is imported from (project modules and others) → imports.
    pub imported_from: BTreeMap<String, usize>,
    /// The proposed registry `module`: the one defining module, else the dominant import source.
    pub home: String,
    /// Import sources that do not define it (re-exports), other than the home: `compat`.
    pub compat: Vec<String>,
    /// Imports `check` would report as `compat-import` under the proposed entry.
    pub compat_imports: usize,
    /// Imports `check` would report as `non-canonical-import` under the proposed entry.
    pub non_canonical: usize,
    /// Of those, the imports from modules outside the project (another library's name).
    pub outside: usize,
    /// The project module it is imported from most.
    pub main_source: String,
    /// Imports from project modules other than `main_source`: the ranking key.
    pub spread: usize,
}

impl Scattered {
    pub fn total(&self) -> usize {
        self.imported_from.values().sum()
    }

    /// Import sources, most imports first (then by name).
    pub(crate) fn ranked_sources(&self) -> Vec<(&str, usize)> {
        let mut sources: Vec<(&str, usize)> =
            self.imported_from.iter().map(|(module, count)| (module.as_str(), *count)).collect();
        sources.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        sources
    }
}

/// A name imported from several project modules without a clear home: each import source
/// holds a minority of its imports and it is defined in several modules (e.g. a `DOMAIN`
/// constant every package defines for itself). Not proposed for the registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Homonym {
    pub name: String,
    pub defining_modules: usize,
    pub import_sources: usize,
    pub imports: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub module: String,
    pub path: String,
    pub line: usize,
}

/// A class or function name defined at module level in several modules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    pub name: String,
    pub kind: Kind,
    /// One location per module (its first definition there), sorted by module.
    pub defined_in: Vec<Location>,
}

/// Classes whose names share a CamelCase suffix: a concept candidate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Family {
    /// The longest CamelCase suffix the classes share (`WebSocketManager`).
    pub suffix: String,
    /// `module.Class`, sorted.
    pub classes: Vec<String>,
    /// `module.function` / `module.FactoryClass` around them, sorted.
    pub factories: Vec<String>,
    /// Suffixes of the more specific families reported separately whose classes this suffix
    /// also matches (`SocketManager` inside `Manager`): `allow-classes` in a written concept.
    pub contains: Vec<String>,
}

/// Everything `discover` found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Discovery {
    /// Python files read.
    pub files: usize,
    pub thresholds: Option<Thresholds>,
    /// Ranked: most imports not from the main import source first.
    pub scattered: Vec<Scattered>,
    /// Ranked: most imports first.
    pub homonyms: Vec<Homonym>,
    /// Ranked: most modules first.
    pub duplicates: Vec<Duplicate>,
    /// Ranked: most classes first.
    pub families: Vec<Family>,
    /// Duplicates over `max_modules` (ranked), left out of `duplicates`.
    pub conventions: Vec<(String, usize)>,
    /// Families over `max_family`: (suffix, classes), ranked, left out of `families`.
    pub large_families: Vec<(String, usize)>,
}

/// Test code by default (SPEC of issue 18): `tests/` directories, `test_*.py`, `*_test.py`,
/// `conftest.py`. The same globs go into a written config's `exclude`, so `check` with it
/// reads exactly the files discover read.
pub(crate) const TEST_GLOBS: [&str; 4] = ["**/tests/**", "**/test_*.py", "**/*_test.py", "**/conftest.py"];

/// The test-code globs, compiled as the config compiles `exclude` (`/` is literal).
pub(crate) fn test_globset() -> globset::GlobSet {
    let mut builder = globset::GlobSetBuilder::new();
    for glob in TEST_GLOBS {
        // The globs are constants that compile; a failure would only drop one of them.
        if let Ok(glob) = globset::GlobBuilder::new(glob).literal_separator(true).build() {
            builder.add(glob);
        }
    }
    builder.build().unwrap_or_else(|_| globset::GlobSet::empty())
}

pub(crate) fn analyze(files: &[FileSummary], thresholds: Thresholds) -> Discovery {
    let project = ProjectModules::new(files);
    let (scattered, homonyms) = scattered(files, &project, thresholds);
    let (duplicates, conventions): (Vec<Duplicate>, Vec<Duplicate>) = duplicates(files, thresholds)
        .into_iter()
        .partition(|item| item.defined_in.len() <= thresholds.max_modules);
    let conventions = conventions.into_iter().map(|item| (item.name, item.defined_in.len())).collect();
    let (families, large): (Vec<Family>, Vec<Family>) = families(files, thresholds)
        .into_iter()
        .partition(|family| family.classes.len() <= thresholds.max_family);
    let large_families = large.into_iter().map(|family| (family.suffix, family.classes.len())).collect();
    Discovery {
        files: files.len(),
        thresholds: Some(thresholds),
        scattered,
        homonyms,
        duplicates,
        families,
        conventions,
        large_families,
    }
}

/// The modules of the project: every file's module and the packages above it.
struct ProjectModules {
    modules: HashSet<String>,
}

impl ProjectModules {
    fn new(files: &[FileSummary]) -> Self {
        let mut modules = HashSet::new();
        for file in files {
            let mut module = file.module.as_str();
            while !module.is_empty() && modules.insert(module.to_string()) {
                module = module.rsplit_once('.').map_or("", |(parent, _)| parent);
            }
        }
        ProjectModules { modules }
    }

    fn contains(&self, module: &str) -> bool {
        self.modules.contains(module)
    }

    /// `from M import N` imports a submodule when `M.N` is a module of the project.
    fn is_submodule(&self, module: &str, name: &str) -> bool {
        self.modules.contains(&format!("{module}.{name}"))
    }
}

fn scattered(
    files: &[FileSummary],
    project: &ProjectModules,
    thresholds: Thresholds,
) -> (Vec<Scattered>, Vec<Homonym>) {
    let mut imports: HashMap<&str, BTreeMap<&str, usize>> = HashMap::new();
    let mut submodule_names: HashSet<&str> = HashSet::new();
    for file in files {
        for (module, name) in &file.imports {
            if project.is_submodule(module, name) {
                submodule_names.insert(name);
            }
            *imports.entry(name).or_default().entry(module).or_default() += 1;
        }
    }
    // (module, name) → the modules that module imports the name from: re-export chains.
    let mut reexports: HashMap<(&str, &str), Vec<&str>> = HashMap::new();
    for file in files {
        for (module, name) in &file.imports {
            reexports.entry((&file.module, name)).or_default().push(module);
        }
    }
    let mut definers: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for file in files.iter().filter(|file| !file.module.is_empty()) {
        for definition in &file.definitions {
            definers.entry(&definition.name).or_default().insert(&file.module);
        }
    }

    let mut scattered = Vec::new();
    let mut homonyms = Vec::new();
    for (name, sources) in imports {
        // `from pkg import models` imports a module, not a symbol with a home.
        if name == "*" || submodule_names.contains(name) {
            continue;
        }
        let internal: Vec<(&str, usize)> = sources
            .iter()
            .filter(|(module, _)| project.contains(module))
            .map(|(module, count)| (*module, *count))
            .collect();
        if internal.len() < thresholds.min_modules {
            continue;
        }
        let defined_in: Vec<&str> =
            definers.get(name).map(|set| set.iter().copied().collect()).unwrap_or_default();
        let home = match defined_in.as_slice() {
            [only] => Some(*only),
            [] => majority(internal.iter().copied()),
            // Several definitions: where do the imports end up? Imports through a re-export
            // count for the definition it leads to.
            _ => majority(internal.iter().filter_map(|(module, count)| {
                origin(&reexports, &defined_in, module, name).map(|definer| (definer, *count))
            })),
        };
        let Some(home) = home else {
            homonyms.push(Homonym {
                name: name.to_string(),
                defining_modules: defined_in.len(),
                import_sources: internal.len(),
                imports: sources.values().sum(),
            });
            continue;
        };
        let compat: Vec<String> = internal
            .iter()
            .map(|(module, _)| *module)
            .filter(|module| *module != home && !defined_in.contains(module))
            .map(str::to_string)
            .collect();
        let mut compat_imports = 0;
        let mut non_canonical = 0;
        let mut outside = 0;
        for (module, count) in &sources {
            if *module == home {
            } else if compat.iter().any(|compat| compat == module) {
                compat_imports += count;
            } else {
                non_canonical += count;
                if !project.contains(module) {
                    outside += count;
                }
            }
        }
        // How scattered: the project's imports that do not use its most used import source.
        // (A package re-exporting its private module's class to every caller is not
        // scattered: everyone imports it one way.)
        let (main_source, main_count) = internal
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
            .copied()
            .unwrap_or((home, 0));
        let internal_total: usize = internal.iter().map(|(_, count)| count).sum();
        let spread = internal_total - main_count;
        if spread < thresholds.min_imports {
            continue;
        }
        scattered.push(Scattered {
            name: name.to_string(),
            defined_in: defined_in.iter().map(|module| module.to_string()).collect(),
            imported_from: sources.iter().map(|(module, count)| (module.to_string(), *count)).collect(),
            home: home.to_string(),
            compat,
            compat_imports,
            non_canonical,
            outside,
            main_source: main_source.to_string(),
            spread,
        });
    }
    scattered
        .sort_by(|a, b| (b.spread, b.total()).cmp(&(a.spread, a.total())).then_with(|| a.name.cmp(&b.name)));
    homonyms.sort_by(|a, b| {
        (b.imports, b.import_sources).cmp(&(a.imports, a.import_sources)).then_with(|| a.name.cmp(&b.name))
    });
    (scattered, homonyms)
}

/// The module holding more than half of the counts (summed per module), if one does.
fn majority<'a>(counts: impl Iterator<Item = (&'a str, usize)>) -> Option<&'a str> {
    let mut per_module: BTreeMap<&str, usize> = BTreeMap::new();
    for (module, count) in counts {
        *per_module.entry(module).or_default() += count;
    }
    let total: usize = per_module.values().sum();
    let (module, count) = per_module.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))?;
    (count * 2 > total).then_some(*module)
}

/// The defining module an import of `name` from `module` leads to, following re-exports
/// (`module` imports `name` from elsewhere) up to a few hops.
fn origin<'a>(
    reexports: &HashMap<(&str, &str), Vec<&'a str>>,
    defined_in: &[&'a str],
    module: &'a str,
    name: &str,
) -> Option<&'a str> {
    let mut current = module;
    for _ in 0..8 {
        if let Some(definer) = defined_in.iter().find(|definer| **definer == current) {
            return Some(definer);
        }
        current = reexports.get(&(current, name))?.first()?;
    }
    None
}

fn duplicates(files: &[FileSummary], thresholds: Thresholds) -> Vec<Duplicate> {
    let mut by_name: BTreeMap<(&str, Kind), BTreeMap<&str, Location>> = BTreeMap::new();
    for file in files.iter().filter(|file| !file.module.is_empty()) {
        for definition in &file.definitions {
            let dunder = definition.name.starts_with("__") && definition.name.ends_with("__");
            if definition.kind == Kind::Assignment || dunder {
                continue;
            }
            by_name
                .entry((&definition.name, definition.kind))
                .or_default()
                .entry(&file.module)
                .or_insert_with(|| Location {
                    module: file.module.clone(),
                    path: file.path.clone(),
                    line: definition.line,
                });
        }
    }
    let mut duplicates: Vec<Duplicate> = by_name
        .into_iter()
        .filter(|(_, modules)| modules.len() >= thresholds.min_modules)
        .map(|((name, kind), modules)| Duplicate {
            name: name.to_string(),
            kind,
            defined_in: modules.into_values().collect(),
        })
        .collect();
    duplicates.sort_by(|a, b| {
        b.defined_in.len().cmp(&a.defined_in.len()).then_with(|| (&a.name, a.kind).cmp(&(&b.name, b.kind)))
    });
    duplicates
}

/// The CamelCase words of a class name: `HTTPWebSocketManager2` → `HTTP`, `Web`, `Socket`,
/// `Manager2`. Underscores separate words and are dropped.
pub(crate) fn camel_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    for part in name.split('_').filter(|part| !part.is_empty()) {
        let chars: Vec<(usize, char)> = part.char_indices().collect();
        let mut start = 0;
        for index in 1..chars.len() {
            let (offset, current) = chars[index];
            let previous = chars[index - 1].1;
            let next_is_lower = chars.get(index + 1).is_some_and(|(_, next)| next.is_lowercase());
            let boundary = current.is_uppercase()
                && (previous.is_lowercase()
                    || previous.is_ascii_digit()
                    || (previous.is_uppercase() && next_is_lower));
            if boundary {
                words.push(&part[start..offset]);
                start = offset;
            }
        }
        words.push(&part[start..]);
    }
    words
}

/// The last `count` CamelCase words of `name`, joined (`None` when it has fewer).
fn camel_suffix(name: &str, count: usize) -> Option<String> {
    let words = camel_words(name);
    (words.len() >= count && count > 0).then(|| words[words.len() - count..].concat())
}

/// A factory by its name: `get_*_factory` and `create_*` functions, `*Factory` classes.
fn is_factory(name: &str, kind: Kind) -> bool {
    match kind {
        Kind::Function => {
            (name.starts_with("get_") && name.ends_with("_factory")) || name.starts_with("create_")
        }
        Kind::Class => name.ends_with("Factory") && name.len() > "Factory".len(),
        Kind::Assignment => false,
    }
}

/// Lowercase without underscores: `get_websocket_manager` and `WebSocketManager` compare.
fn squash(name: &str) -> String {
    name.chars().filter(|c| *c != '_').flat_map(char::to_lowercase).collect()
}

/// A family member: (class name, `module.Class`).
type Member<'a> = (&'a str, &'a str);

fn families(files: &[FileSummary], thresholds: Thresholds) -> Vec<Family> {
    // Module-level classes (one per qualified name) and factory candidates.
    let mut classes: BTreeSet<(String, String)> = BTreeSet::new();
    let mut factories: BTreeSet<String> = BTreeSet::new();
    for file in files.iter().filter(|file| !file.module.is_empty()) {
        for definition in &file.definitions {
            if definition.kind == Kind::Class {
                classes.insert((definition.name.clone(), format!("{}.{}", file.module, definition.name)));
            }
            if is_factory(&definition.name, definition.kind) {
                factories.insert(format!("{}.{}", file.module, definition.name));
            }
        }
    }
    let group = |count: usize| {
        let mut groups: BTreeMap<String, Vec<Member>> = BTreeMap::new();
        for (name, qualified) in &classes {
            if let Some(suffix) = camel_suffix(name, count) {
                groups.entry(suffix).or_default().push((name, qualified));
            }
        }
        groups
    };
    // (members as (name, qualified name), suffixes of the specific families inside)
    let mut found: Vec<(Vec<Member>, Vec<String>)> = Vec::new();
    // Two-word suffixes first: the specific families (`SocketManager`).
    let mut taken: HashMap<&str, Vec<String>> = HashMap::new();
    for (_, members) in group(2) {
        if members.len() >= thresholds.min_family {
            let suffix = common_suffix(members.iter().map(|(name, _)| *name));
            for (_, qualified) in &members {
                taken.entry(qualified).or_default().push(suffix.clone());
            }
            found.push((members, Vec::new()));
        }
    }
    // Then one-word suffixes (`Manager`), with the classes of the specific families left out.
    for (_, members) in group(1) {
        let mut contains = BTreeSet::new();
        let rest: Vec<Member> = members
            .into_iter()
            .filter(|(_, qualified)| match taken.get(qualified) {
                Some(suffixes) => {
                    contains.extend(suffixes.iter().cloned());
                    false
                }
                None => true,
            })
            .collect();
        if rest.len() >= thresholds.min_family {
            found.push((rest, contains.into_iter().collect()));
        }
    }

    let mut families: Vec<Family> = found
        .into_iter()
        .map(|(members, contains)| Family {
            suffix: common_suffix(members.iter().map(|(name, _)| *name)),
            classes: {
                let mut classes: Vec<String> =
                    members.iter().map(|(_, qualified)| qualified.to_string()).collect();
                classes.sort();
                classes
            },
            factories: Vec::new(),
            contains,
        })
        .collect();
    // Each factory goes to the most specific family whose suffix its name contains.
    for factory in &factories {
        let name = factory.rsplit('.').next().unwrap_or(factory);
        let squashed = squash(name);
        let best = families
            .iter_mut()
            .filter(|family| squashed.contains(&squash(&family.suffix)))
            .max_by_key(|family| family.suffix.len());
        if let Some(family) = best {
            family.factories.push(factory.clone());
        }
    }
    families.sort_by(|a, b| b.classes.len().cmp(&a.classes.len()).then_with(|| a.suffix.cmp(&b.suffix)));
    families
}

/// The longest run of CamelCase words every name ends with.
fn common_suffix<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let mut common: Option<Vec<&str>> = None;
    for name in names {
        let words = camel_words(name);
        common = Some(match common {
            None => words,
            Some(common) => {
                let shared = common.iter().rev().zip(words.iter().rev()).take_while(|(a, b)| a == b).count();
                common[common.len() - shared..].to_vec()
            }
        });
    }
    common.unwrap_or_default().concat()
}

#[cfg(test)]
mod tests;
