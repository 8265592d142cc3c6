//! Where config decisions apply: each entry's `allow-in` and `[project] per-file-ignores`.
//!
//! Both are path globs relative to the project root, compiled like `include` (`*` stays within
//! one path segment, `**` crosses them). Each is compiled into one `GlobSet`, so a file costs one
//! match per run, not one per entry.

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

use crate::rule_id::RuleSet;

/// The entry tables that take `allow-in`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntryKind {
    Registry,
    DeprecatedModule,
    Concept,
    Pattern,
    Events,
}

/// A path glob as `include`, `exclude`, `allow-in` and `per-file-ignores` write it.
pub(crate) fn path_glob(pattern: &str) -> Result<Glob, globset::Error> {
    GlobBuilder::new(pattern).literal_separator(true).build()
}

fn build(globs: Vec<Glob>) -> Result<GlobSet, globset::Error> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        builder.add(glob);
    }
    builder.build()
}

/// Every entry's `allow-in` globs.
#[derive(Clone, Debug, Default)]
pub struct AllowIn {
    /// `None` when no entry has `allow-in` (the common case: nothing to match).
    globs: Option<GlobSet>,
    /// By glob index: the entry the glob belongs to.
    owners: Vec<(EntryKind, usize)>,
}

/// The entries whose findings do not apply in one file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AllowedHere(Vec<(EntryKind, usize)>);

impl AllowedHere {
    /// Is entry `index` of table `kind` allowed (switched off) in this file?
    pub fn contains(&self, kind: EntryKind, index: usize) -> bool {
        !self.0.is_empty() && self.0.contains(&(kind, index))
    }
}

#[derive(Default)]
pub(crate) struct AllowInBuilder {
    globs: Vec<Glob>,
    owners: Vec<(EntryKind, usize)>,
}

impl AllowInBuilder {
    pub fn add(&mut self, kind: EntryKind, index: usize, glob: Glob) {
        self.globs.push(glob);
        self.owners.push((kind, index));
    }

    pub fn build(self) -> Result<AllowIn, globset::Error> {
        if self.owners.is_empty() {
            return Ok(AllowIn::default());
        }
        Ok(AllowIn { globs: Some(build(self.globs)?), owners: self.owners })
    }
}

impl AllowIn {
    /// The entries allowed in the file at `path` (relative to the project root, `/`-separated).
    pub fn here(&self, path: &str) -> AllowedHere {
        let Some(globs) = &self.globs else { return AllowedHere::default() };
        let mut found: Vec<(EntryKind, usize)> =
            globs.matches(path).into_iter().map(|glob| self.owners[glob]).collect();
        found.sort_unstable();
        found.dedup();
        AllowedHere(found)
    }
}

/// `[project] per-file-ignores`: rule ids switched off by path.
#[derive(Clone, Debug, Default)]
pub struct PerFileIgnores {
    globs: Option<GlobSet>,
    /// By glob index: the rule ids it switches off.
    rules: Vec<RuleSet>,
}

#[derive(Default)]
pub(crate) struct PerFileIgnoresBuilder {
    globs: Vec<Glob>,
    rules: Vec<RuleSet>,
}

impl PerFileIgnoresBuilder {
    pub fn add(&mut self, glob: Glob, rules: RuleSet) {
        self.globs.push(glob);
        self.rules.push(rules);
    }

    pub fn build(self) -> Result<PerFileIgnores, globset::Error> {
        if self.rules.is_empty() {
            return Ok(PerFileIgnores::default());
        }
        Ok(PerFileIgnores { globs: Some(build(self.globs)?), rules: self.rules })
    }
}

impl PerFileIgnores {
    /// The rules switched off in the file at `path`.
    pub fn ignored(&self, path: &str) -> RuleSet {
        let Some(globs) = &self.globs else { return RuleSet::EMPTY };
        globs.matches(path).into_iter().flat_map(|glob| self.rules[glob].iter()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_in_matches_relative_paths_with_literal_separators() {
        let mut builder = AllowInBuilder::default();
        builder.add(EntryKind::DeprecatedModule, 0, path_glob("app/compat.py").unwrap());
        builder.add(EntryKind::DeprecatedModule, 0, path_glob("tests/legacy/**").unwrap());
        builder.add(EntryKind::Pattern, 3, path_glob("scripts/*.py").unwrap());
        let allow = builder.build().unwrap();
        assert!(allow.here("app/compat.py").contains(EntryKind::DeprecatedModule, 0));
        assert!(!allow.here("app/compat.py").contains(EntryKind::Pattern, 3));
        assert!(allow.here("tests/legacy/deep/test_x.py").contains(EntryKind::DeprecatedModule, 0));
        assert!(allow.here("scripts/x.py").contains(EntryKind::Pattern, 3));
        assert!(!allow.here("scripts/sub/x.py").contains(EntryKind::Pattern, 3), "* stays in a segment");
        assert_eq!(AllowIn::default().here("anything.py"), AllowedHere::default());
    }

    #[test]
    fn per_file_ignores_merge_every_matching_glob() {
        let mut builder = PerFileIgnoresBuilder::default();
        use crate::rule_id::RuleId::*;
        builder.add(path_glob("tests/**").unwrap(), [DeprecatedModule, BannedPattern].into_iter().collect());
        builder
            .add(path_glob("tests/test_a.py").unwrap(), [BannedPattern, CompatImport].into_iter().collect());
        let ignores = builder.build().unwrap();
        let ids = |set: RuleSet| set.iter().map(crate::rule_id::RuleId::as_str).collect::<Vec<_>>();
        assert_eq!(
            ids(ignores.ignored("tests/test_a.py")),
            ["banned-pattern", "compat-import", "deprecated-module"]
        );
        assert_eq!(ids(ignores.ignored("tests/test_b.py")), ["banned-pattern", "deprecated-module"]);
        assert!(ignores.ignored("app/x.py").is_empty());
    }
}
