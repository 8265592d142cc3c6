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
mod scopes;

pub use crate::language::{Language, Languages};

use crate::facts::FileFacts;
use crate::glob::DottedGlob;
use crate::source::SourceFile;

/// The facts of one whole file, from the front end of its language.
pub fn extract(file: &SourceFile) -> FileFacts {
    extract_with(file, &Interest::all())
}

/// The facts of one whole file, with qualified names only where `interest` can use them.
pub(crate) fn extract_with(file: &SourceFile, interest: &Interest) -> FileFacts {
    frontend(file.language()).extract(file, interest)
}

/// A language's front end: a file's text in, language-free facts out. The engine picks one by
/// the file's language and knows nothing else about it.
pub(crate) trait Frontend: Sync {
    /// Every fact the rules can use (`interest`: which qualified names they ask about).
    fn extract(&self, file: &SourceFile, interest: &Interest) -> FileFacts;
    /// What a file no rule can fire in still reports: its syntax error, and the suppressions
    /// that may silence it.
    fn syntax_only(&self, file: &SourceFile) -> FileFacts;
    /// Can the prefilter judge this language's text? When not, every file gets every rule.
    fn prefiltered(&self) -> bool;
}

struct PythonFrontend;

impl Frontend for PythonFrontend {
    fn extract(&self, file: &SourceFile, interest: &Interest) -> FileFacts {
        python::extract_with(file, interest)
    }

    fn syntax_only(&self, file: &SourceFile) -> FileFacts {
        python::extract_syntax_error(file)
    }

    fn prefiltered(&self) -> bool {
        true
    }
}

struct RustFrontend;

impl Frontend for RustFrontend {
    fn extract(&self, file: &SourceFile, _: &Interest) -> FileFacts {
        rust::extract(file)
    }

    /// syn has no cheaper mode than a full parse: the facts come with it.
    fn syntax_only(&self, file: &SourceFile) -> FileFacts {
        rust::extract(file)
    }

    /// The needles are Python spellings (`a.b`, relative imports); Rust files get every rule.
    fn prefiltered(&self) -> bool {
        false
    }
}

/// The front end of `language`.
pub(crate) fn frontend(language: Language) -> &'static dyn Frontend {
    match language {
        Language::Python => &PythonFrontend,
        Language::Rust => &RustFrontend,
    }
}

/// A 256-bit Bloom filter over names (two bits each): most names read in a file are not
/// imported, and this answers that in a few instructions. False positives only cost a search.
#[derive(Clone, Debug, Default)]
pub(crate) struct NameFilter([u64; 4]);

impl NameFilter {
    fn bits(name: &str) -> [usize; 2] {
        let bytes = name.as_bytes();
        let mut word = [0u8; 8];
        let head = bytes.len().min(8);
        word[..head].copy_from_slice(&bytes[..head]);
        let tail = bytes.len().saturating_sub(8);
        let mut last = [0u8; 8];
        last[..bytes.len() - tail].copy_from_slice(&bytes[tail..]);
        let mixed =
            (u64::from_le_bytes(word) ^ u64::from_le_bytes(last).rotate_left(29) ^ bytes.len() as u64)
                .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        [(mixed >> 56) as usize, ((mixed >> 48) & 0xFF) as usize]
    }

    pub(crate) fn insert(&mut self, name: &str) {
        for bit in Self::bits(name) {
            self.0[bit / 64] |= 1 << (bit % 64);
        }
    }

    pub(crate) fn may_contain(&self, name: &str) -> bool {
        Self::bits(name).iter().all(|bit| self.0[bit / 64] & (1 << (bit % 64)) != 0)
    }
}

/// Which qualified names the rules of a run can use (issue 15). A qualified name ends with the
/// last name of what it qualifies (or, for a bare imported name, with the imported member), and a
/// glob can only match a name ending like its own last segment: resolution skips every chain
/// that no glob could match, so a config without patterns pays (almost) nothing for it.
/// The globs over qualified names the rules ask for, before they become an `Interest`.
#[derive(Debug, Default)]
pub struct InterestBuilder {
    /// Each glob's last literal segment (`None`: it ends in a wildcard).
    last_literals: Vec<Option<String>>,
    bare_names: bool,
}

impl InterestBuilder {
    /// Qualified names this glob could match must be resolved.
    pub(crate) fn glob(&mut self, glob: &DottedGlob) {
        self.last_literals.push(glob.last_literal().map(str::to_string));
    }

    /// Bare names standing for a module member must be resolved too (`FileFacts::names`).
    pub(crate) fn bare_names(&mut self) {
        self.bare_names = true;
    }
}

#[derive(Clone, Debug)]
pub struct Interest {
    /// `FileFacts::names` (bare names standing for a module member): only attribute patterns
    /// read them.
    pub bare_names: bool,
    /// The last segments the globs end with, sorted; `None` when some glob ends in a wildcard.
    last_names: Option<Vec<String>>,
    /// Rules out most other names before a search of `last_names`.
    filter: NameFilter,
}

impl Interest {
    /// Every qualified name (for callers without a config).
    pub fn all() -> Self {
        Interest { bare_names: true, last_names: None, filter: NameFilter::default() }
    }

    /// What the globs a builder collected over qualified names can use (each rule adds its own:
    /// `RuleMeta::interest`).
    pub(crate) fn of(builder: InterestBuilder) -> Self {
        Interest::of_last_literals(builder.last_literals, builder.bare_names)
    }

    /// `bare_names`: a bare name standing for a module member counts (attribute patterns).
    fn of_last_literals(last_literals: Vec<Option<String>>, bare_names: bool) -> Self {
        let last_names = last_literals.into_iter().collect::<Option<Vec<String>>>().map(|mut names| {
            names.sort_unstable();
            names.dedup();
            names
        });
        let mut filter = NameFilter::default();
        for name in last_names.iter().flatten() {
            filter.insert(name);
        }
        Interest { bare_names, last_names, filter }
    }

    /// Can a qualified name whose last segment is `last` match anything?
    pub(crate) fn wants(&self, last: &str) -> bool {
        self.last_names.as_ref().is_none_or(|names| {
            self.filter.may_contain(last) && names.binary_search_by(|name| name.as_str().cmp(last)).is_ok()
        })
    }

    /// No qualified name can matter (no glob at all): resolution is skipped.
    pub fn is_none(&self) -> bool {
        !self.bare_names && self.last_names.as_ref().is_some_and(Vec::is_empty)
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
