//! The source languages ssot-lint reads, and sets of them. A leaf module: the config, source
//! files and front ends all name languages without depending on one another.

use std::fmt;

/// The source languages ssot-lint reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Language {
    Python,
    Rust,
}

impl Language {
    pub(crate) const ALL: [Language; 2] = [Language::Python, Language::Rust];

    /// The language of a file, from its extension: `.rs` is Rust, everything else Python
    /// (`include` decides which files are read at all). The walk decides once per file
    /// (`walk::FileEntry`, `history::TreeFile`); the rest of a run reads that decision.
    pub(crate) fn of_path(path: &str) -> Language {
        if path.ends_with(".rs") {
            Language::Rust
        } else {
            Language::Python
        }
    }

    /// The name used in the config (`language = "rust"`) and in messages.
    pub fn name(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::Rust => "rust",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|language| language.name() == name)
    }

    /// The separator between the segments of a module path.
    pub(crate) fn separator(self) -> &'static str {
        match self {
            Language::Python => ".",
            Language::Rust => "::",
        }
    }

    /// `module` + separator + `name`; just `name` when `module` is empty.
    pub fn join(self, module: &str, name: &str) -> String {
        if module.is_empty() {
            name.to_string()
        } else {
            format!("{module}{}{name}", self.separator())
        }
    }

    /// A dense index, for per-language tables.
    pub fn index(self) -> usize {
        match self {
            Language::Python => 0,
            Language::Rust => 1,
        }
    }

    fn bit(self) -> u8 {
        match self {
            Language::Python => 1,
            Language::Rust => 2,
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The languages a config entry applies to.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Languages(u8);

impl Languages {
    pub(crate) const ALL: Languages = Languages(3);

    pub fn only(language: Language) -> Languages {
        Languages(language.bit())
    }

    pub fn contains(self, language: Language) -> bool {
        self.0 & language.bit() != 0
    }

    pub fn iter(self) -> impl Iterator<Item = Language> {
        Language::ALL.into_iter().filter(move |language| self.contains(*language))
    }
}

impl Default for Languages {
    fn default() -> Self {
        Languages::ALL
    }
}

impl fmt::Debug for Languages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}
