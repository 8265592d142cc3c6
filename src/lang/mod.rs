//! Language front ends: each turns one `SourceFile` into the same language-free `FileFacts`.
//!
//! `extract` picks the front end by file extension: `.rs` files go to `rust` (syn), everything
//! else to `python` (ruff's parser). Paths keep each language's own separator inside the facts and
//! the config: Python modules are dotted (`app.core.models`), Rust paths use `::`
//! (`my_crate::core::models`), and a Rust chain mixes both as written (`self.ctx.manager`,
//! `Manager::create`). Dotted-name globs treat `.` and `::` alike (SPEC §4.1), so the rules
//! never need to know which language a file is in beyond the few helpers on `Language`.

pub mod python;
pub mod rust;

use std::fmt;

use crate::facts::FileFacts;
use crate::source::SourceFile;

/// The source languages ssot-lint reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Language {
    Python,
    Rust,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Python, Language::Rust];

    /// The language of a file, from its extension: `.rs` is Rust, everything else Python
    /// (`include` decides which files are read at all).
    pub fn of_path(path: &str) -> Language {
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

    pub fn from_name(name: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|language| language.name() == name)
    }

    /// The separator between the segments of a module path.
    pub fn separator(self) -> &'static str {
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
    pub const ALL: Languages = Languages(3);

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

/// The facts of one whole file, from the front end of its language.
pub fn extract(file: &SourceFile) -> FileFacts {
    match file.language() {
        Language::Python => python::extract(file),
        Language::Rust => rust::extract(file),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_of_a_path_is_its_extension() {
        assert_eq!(Language::of_path("src/lib.rs"), Language::Rust);
        assert_eq!(Language::of_path("app/models.py"), Language::Python);
        assert_eq!(Language::of_path("stubs/models.pyi"), Language::Python);
        assert_eq!(Language::of_path("rs"), Language::Python);
    }

    #[test]
    fn names_round_trip_and_unknown_names_are_none() {
        for language in Language::ALL {
            assert_eq!(Language::from_name(language.name()), Some(language));
        }
        assert_eq!(Language::from_name("go"), None);
        assert_eq!(Language::from_name("Rust"), None);
    }

    #[test]
    fn join_uses_the_language_separator() {
        assert_eq!(Language::Python.join("app.core", "models"), "app.core.models");
        assert_eq!(Language::Rust.join("my_crate::core", "models"), "my_crate::core::models");
        assert_eq!(Language::Rust.join("", "Type::new"), "Type::new");
    }

    #[test]
    fn language_sets() {
        let rust = Languages::only(Language::Rust);
        assert!(rust.contains(Language::Rust) && !rust.contains(Language::Python));
        assert!(Language::ALL.iter().all(|language| Languages::ALL.contains(*language)));
        assert_eq!(format!("{rust:?}"), "[Rust]");
    }
}
