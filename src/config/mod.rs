//! The checked configuration: everything the rules need, compiled once before any file is read.

mod compile;
mod load;
pub mod schema;

use std::collections::HashMap;
use std::path::PathBuf;

use crate::facts::Span;
use crate::finding::{EntryLevel, Severity};
use crate::glob::DottedGlob;
use crate::language::{Language, Languages};

pub use load::{discover, from_text, load, project_root, LoadedConfig, STARTER_CONFIG};

/// One TOML file that contributed to the config (the main file or an `extend`ed pack).
#[derive(Clone, Debug)]
pub struct ConfigSource {
    pub path: PathBuf,
    /// Path relative to the project root with `/` separators (what reports show).
    pub display: String,
    pub text: String,
}

/// Where an entry is written: which config file and the byte span of its table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    pub source: usize,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Phase {
    pub id: u32,
    pub name: String,
}

#[derive(Clone, Debug)]
pub struct RegistryEntry {
    pub symbol: String,
    pub module: String,
    pub compat: Vec<String>,
    pub level: EntryLevel,
    pub origin: Origin,
    /// The languages whose files the entry applies to.
    pub languages: Languages,
}

#[derive(Clone, Debug)]
pub struct DeprecatedModule {
    pub module: String,
    pub replacement: Option<String>,
    pub level: EntryLevel,
    /// The languages whose files the entry applies to.
    pub languages: Languages,
}

impl DeprecatedModule {
    /// True for the module itself or any submodule of it (`a.b.c` / `a::b::c` under `a.b` / `a::b`).
    pub fn covers(&self, module: &str) -> bool {
        module
            .strip_prefix(self.module.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with("::"))
    }
}

#[derive(Clone, Debug)]
pub struct Concept {
    pub name: String,
    pub canonical_class: Option<String>,
    pub class_patterns: Vec<DottedGlob>,
    pub allow_classes: Vec<DottedGlob>,
    pub canonical_factory: Option<String>,
    pub factory_patterns: Vec<DottedGlob>,
    pub count_aliases: bool,
    pub level: EntryLevel,
    pub origin: Origin,
    /// The languages whose files the entry applies to.
    pub languages: Languages,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatternKind {
    Attribute,
    Call,
}

#[derive(Clone, Debug)]
pub struct Pattern {
    pub id: String,
    pub glob: DottedGlob,
    pub kind: PatternKind,
    pub message: Option<String>,
    pub level: EntryLevel,
    /// The languages whose files the entry applies to.
    pub languages: Languages,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventArgument {
    Position(usize),
    Keyword(String),
}

#[derive(Clone, Debug)]
pub struct Events {
    pub name: String,
    pub emitters: Vec<DottedGlob>,
    pub argument: EventArgument,
    pub allowed: Vec<String>,
    /// Events emitted all together or not at all, in declared order (`missing-event`).
    pub required: Vec<String>,
    /// What must emit all of `required`: a file, or each class.
    pub scope: EventScope,
    pub level: EntryLevel,
    /// The languages whose files the entry applies to.
    pub languages: Languages,
}

/// `[[events]] scope`: the unit that must emit every `required` event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventScope {
    File,
    Class,
}

/// The compiled configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// The project root: `[project] root`, else the current directory for `--config FILE`, else
    /// the discovered config file's directory (or the current directory without a config).
    pub root: PathBuf,
    pub sources: Vec<ConfigSource>,
    /// Import roots relative to `root`, `/`-separated, `""` for the root itself.
    pub roots: Vec<String>,
    pub include: globset::GlobSet,
    pub exclude: globset::GlobSet,
    pub phases: Vec<Phase>,
    pub current_phase: Option<u32>,
    pub registry: Vec<RegistryEntry>,
    pub deprecated_modules: Vec<DeprecatedModule>,
    pub concepts: Vec<Concept>,
    pub patterns: Vec<Pattern>,
    pub events: Vec<Events>,
    /// Registry entries by language and symbol: a symbol may have one home per language.
    /// Indexed by `Language::index`.
    registry_by_symbol: [HashMap<String, usize>; 2],
    /// Every entry's `allow-in`: where its findings do not apply.
    pub allow_in: crate::scope::AllowIn,
    /// `[project] per-file-ignores`.
    pub per_file_ignores: crate::scope::PerFileIgnores,
    /// `[project] require-suppression-reason`.
    pub require_suppression_reason: bool,
}

impl Config {
    /// The registry entry of `symbol` for Python files.
    pub(crate) fn registry_entry(&self, symbol: &str) -> Option<&RegistryEntry> {
        self.registry_entry_for(Language::Python, symbol)
    }

    /// The registry entry of `symbol` for files of `language`.
    pub(crate) fn registry_entry_for(&self, language: Language, symbol: &str) -> Option<&RegistryEntry> {
        self.registry_index_for(language, symbol).map(|index| &self.registry[index])
    }

    /// The index (in `registry`) of the entry of `symbol` for files of `language`.
    pub(crate) fn registry_index_for(&self, language: Language, symbol: &str) -> Option<usize> {
        self.registry_by_symbol[language.index()].get(symbol).copied()
    }

    /// The deprecated-module entry covering `module`, the most specific one first.
    pub fn deprecated_module(&self, module: &str) -> Option<&DeprecatedModule> {
        self.deprecated_modules
            .iter()
            .filter(|entry| entry.covers(module))
            .max_by_key(|entry| entry.module.len())
    }

    pub(crate) fn phase_name(&self, id: u32) -> Option<&str> {
        self.phases.iter().find(|phase| phase.id == id).map(|phase| phase.name.as_str())
    }

    /// True when nothing could ever fire but `syntax-error`.
    pub fn is_empty(&self) -> bool {
        self.registry.is_empty()
            && self.deprecated_modules.is_empty()
            && self.concepts.is_empty()
            && self.patterns.is_empty()
            && self.events.is_empty()
    }
}
