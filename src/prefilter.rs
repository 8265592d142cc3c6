//! The prefilter: which parts of a file can produce a finding at all.
//!
//! Every name a rule can match is compiled once per run into one Aho-Corasick automaton (the
//! "needles"). A file that contains no needle cannot produce a finding, so it is not parsed.
//! In a file that does, only the top-level statements that can matter are parsed (the others
//! are blanked, offsets unchanged; see `lang::python::chunks`):
//!
//! - **declaration needles** (registry symbols, the last segment of deprecated modules, the last
//!   segment of canonical classes and factories) can only matter in an import statement or a
//!   `class` / `def` header: a hit keeps its top-level statement when its logical line contains
//!   `import`, `class` or `def`;
//! - **glob needles** (the literal fragments of class and factory patterns, `[[pattern]]`
//!   matches and event emitters) can matter anywhere: a top-level statement is kept when it
//!   contains every fragment of one glob (a name matching the glob contains all of them).
//!
//! In a file that is parsed at all, a top-level statement that looks broken (see
//! `chunks::Layout::suspect`) is parsed too, so that its syntax error is reported.
//!
//! Some files are judged by their path too: in a registry `module`, every statement holding
//! one of the registry's symbols, or a star import, is kept (stale-registry looks at what the
//! module binds), and a module inside a deprecated module is parsed whole (its relative imports
//! name the deprecated module without spelling it). A glob without any literal fragment (`*`) matches every name: the prefilter
//! then turns itself off, and so it does when the config checks nothing (only syntax-error can
//! fire, so every file is parsed).

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::config::Config;
use crate::glob::DottedGlob;
use crate::lang::python::chunks::{self, Layout};

/// One needle: a literal and which sides must be identifier boundaries.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Needle {
    text: String,
    /// The byte before the hit must not be an identifier byte.
    left: bool,
    /// The byte after the hit must not be an identifier byte.
    right: bool,
}

/// What a hit of one needle means.
#[derive(Clone, Debug, Default)]
struct Role {
    declaration: bool,
    /// Glob groups this needle is a fragment of.
    groups: Vec<usize>,
}

/// The compiled needles of a config.
#[derive(Debug)]
pub struct Prefilter {
    /// `None`: the prefilter is off and every file is parsed whole.
    automaton: Option<AhoCorasick>,
    /// By automaton pattern id: the needles sharing that literal.
    by_pattern: Vec<Vec<usize>>,
    needles: Vec<Needle>,
    roles: Vec<Role>,
    /// Each glob's needles; a glob is present when all of them are.
    groups: Vec<Vec<usize>>,
    registry_modules: HashSet<String>,
    deprecated_modules: Vec<crate::config::DeprecatedModule>,
}

/// What the prefilter decided for one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Nothing in the file can produce a finding: do not parse it.
    Skip,
    /// Parse the whole file.
    Whole,
    /// Parse only these byte ranges (top-level statements); blank the rest.
    Regions(Vec<(usize, usize)>),
}

#[derive(Default)]
struct Builder {
    needles: Vec<Needle>,
    roles: Vec<Role>,
    groups: Vec<Vec<usize>>,
    /// A glob without a literal fragment was seen: every name can match.
    matches_everything: bool,
}

impl Builder {
    fn needle(&mut self, text: &str, left: bool, right: bool) -> usize {
        let needle = Needle { text: text.to_string(), left, right };
        if let Some(index) = self.needles.iter().position(|known| *known == needle) {
            return index;
        }
        self.needles.push(needle);
        self.roles.push(Role::default());
        self.needles.len() - 1
    }

    fn declaration(&mut self, name: &str) {
        if name.is_empty() {
            return;
        }
        let index = self.needle(name, true, true);
        self.roles[index].declaration = true;
    }

    /// The last segment of `dotted` (`a.b.C` or `a::b::C`) as a declaration needle.
    fn last_segment(&mut self, dotted: &str) {
        self.declaration(dotted.rsplit(['.', ':']).next().unwrap_or(dotted));
    }

    fn glob(&mut self, glob: &DottedGlob) {
        let mut members = Vec::new();
        for (text, left, right) in fragments(glob) {
            members.push(self.needle(text, left, right));
        }
        members.sort_unstable();
        members.dedup();
        if members.is_empty() {
            self.matches_everything = true;
            return;
        }
        let group = self.groups.len();
        for &member in &members {
            self.roles[member].groups.push(group);
        }
        self.groups.push(members);
    }
}

/// The literal fragments of a glob, each with whether it must start and end at an identifier
/// boundary (it does unless a `*` touches it on that side).
fn fragments(glob: &DottedGlob) -> Vec<(&str, bool, bool)> {
    let source = glob.as_str();
    let pattern = source.strip_prefix("**.").or_else(|| source.strip_prefix("**::")).unwrap_or(source);
    let mut out = Vec::new();
    // Segments are separated by `.` or `::` (Rust), as in `DottedGlob`.
    for segment in pattern.split("::").flat_map(|part| part.split('.')) {
        let parts: Vec<&str> = segment.split('*').collect();
        let last = parts.len() - 1;
        for (index, part) in parts.iter().enumerate() {
            if !part.is_empty() {
                out.push((*part, index == 0, index == last));
            }
        }
    }
    debug_assert_eq!(out.len(), glob.literal_fragments().count());
    out
}

fn is_identifier_byte(byte: u8) -> bool {
    // Only ASCII counts: a non-ASCII neighbour could end an identifier (or be an error that
    // tree-sitter recovers from), so it is taken as a boundary; that only parses more.
    byte.is_ascii_alphanumeric() || byte == b'_'
}

impl Prefilter {
    pub fn new(config: &Config) -> Self {
        let mut builder = Builder::default();
        for entry in &config.registry {
            builder.declaration(&entry.symbol);
        }
        for entry in &config.deprecated_modules {
            builder.last_segment(&entry.module);
        }
        for concept in &config.concepts {
            for target in [&concept.canonical_class, &concept.canonical_factory].into_iter().flatten() {
                builder.last_segment(target);
            }
            for glob in concept.class_patterns.iter().chain(&concept.factory_patterns) {
                builder.glob(glob);
            }
        }
        for pattern in &config.patterns {
            builder.glob(&pattern.glob);
        }
        for events in &config.events {
            for glob in &events.emitters {
                builder.glob(glob);
            }
        }
        let automaton = if builder.matches_everything || builder.needles.is_empty() {
            None
        } else {
            compile(&builder.needles)
        };
        let mut by_pattern: Vec<Vec<usize>> = Vec::new();
        let mut texts: Vec<&str> = Vec::new();
        for (index, needle) in builder.needles.iter().enumerate() {
            match texts.iter().position(|text| *text == needle.text) {
                Some(pattern) => by_pattern[pattern].push(index),
                None => {
                    texts.push(&needle.text);
                    by_pattern.push(vec![index]);
                }
            }
        }
        Prefilter {
            automaton,
            by_pattern,
            needles: builder.needles,
            roles: builder.roles,
            groups: builder.groups,
            registry_modules: config.registry.iter().map(|entry| entry.module.clone()).collect(),
            deprecated_modules: config.deprecated_modules.clone(),
        }
    }

    /// True when every file is parsed whole (no needles, or a glob that matches everything).
    pub fn is_off(&self) -> bool {
        self.automaton.is_none()
    }

    /// What to parse of the file `module` with text `text`.
    pub fn decide(&self, module: &str, text: &str) -> Decision {
        let Some(automaton) = &self.automaton else {
            return Decision::Whole;
        };
        if self.deprecated_modules.iter().any(|entry| entry.covers(module)) {
            return Decision::Whole;
        }
        let registry_module = self.registry_modules.contains(module);
        let mut hits = self.hits(automaton, text.as_bytes());
        if !registry_module && !hits.is_empty() && !self.could_matter(&hits) {
            hits.clear();
        }
        // Even a file no rule can fire in is scanned (cheaply, without parsing) for statements
        // that look broken, and those are parsed, so its syntax errors are still reported.
        let layout = chunks::layout(text.as_bytes());
        let regions = self.kept_regions(&layout, &hits, registry_module);
        if regions.is_empty() {
            Decision::Skip
        } else {
            Decision::Regions(regions)
        }
    }

    /// Every needle hit, as (needle index, byte offset), in text order.
    fn hits(&self, automaton: &AhoCorasick, bytes: &[u8]) -> Vec<(usize, usize)> {
        let mut hits = Vec::new();
        for found in automaton.find_overlapping_iter(bytes) {
            let (start, end) = (found.start(), found.end());
            let left_ok = start == 0 || !is_identifier_byte(bytes[start - 1]);
            let right_ok = bytes.get(end).is_none_or(|&byte| !is_identifier_byte(byte));
            for &needle in &self.by_pattern[found.pattern().as_usize()] {
                let wanted = &self.needles[needle];
                if (!wanted.left || left_ok) && (!wanted.right || right_ok) {
                    hits.push((needle, start));
                }
            }
        }
        hits
    }

    /// Cheap file-level test before looking at statements: a declaration hit, or one glob
    /// whose fragments are all present.
    fn could_matter(&self, hits: &[(usize, usize)]) -> bool {
        if hits.iter().any(|&(needle, _)| self.roles[needle].declaration) {
            return true;
        }
        let present: HashSet<usize> = hits.iter().map(|&(needle, _)| needle).collect();
        self.any_group_complete(&present)
    }

    fn any_group_complete(&self, present: &HashSet<usize>) -> bool {
        present
            .iter()
            .flat_map(|&needle| &self.roles[needle].groups)
            .any(|&group| self.groups[group].iter().all(|member| present.contains(member)))
    }

    /// The top-level statements to parse, merged into ranges.
    /// In a registry module, stale-registry asks whether the module binds each of its symbols
    /// (defines, assigns or imports it, or star-imports anything): every statement that holds a
    /// symbol or a star import is kept.
    fn kept_regions(
        &self,
        layout: &Layout,
        hits: &[(usize, usize)],
        registry_module: bool,
    ) -> Vec<(usize, usize)> {
        let mut keep = vec![false; layout.chunks.len()];
        let mut present: Vec<HashSet<usize>> = vec![HashSet::new(); layout.chunks.len()];
        if registry_module {
            for line in layout.lines.iter().filter(|line| line.star_import) {
                keep[line.chunk] = true;
            }
        }
        for &(needle, offset) in hits {
            let Some(line) = layout.line_at(offset) else { continue };
            let chunk = line.chunk;
            let role = &self.roles[needle];
            if role.declaration && (line.declares || registry_module) {
                keep[chunk] = true;
            }
            if !role.groups.is_empty() {
                present[chunk].insert(needle);
            }
        }
        for (chunk, needles) in present.iter().enumerate() {
            if !keep[chunk] && !needles.is_empty() && self.any_group_complete(needles) {
                keep[chunk] = true;
            }
        }
        // Statements that look broken are parsed too, so the file's syntax errors are reported.
        for (kept, suspect) in keep.iter_mut().zip(&layout.suspect) {
            *kept |= *suspect;
        }
        let mut regions: Vec<(usize, usize)> = Vec::new();
        for (chunk, range) in layout.chunks.iter().enumerate() {
            if !keep[chunk] {
                continue;
            }
            match regions.last_mut() {
                Some(last) if last.1 == range.0 => last.1 = range.1,
                _ => regions.push(*range),
            }
        }
        regions
    }
}

fn compile(needles: &[Needle]) -> Option<AhoCorasick> {
    let mut texts: Vec<&str> = Vec::new();
    for needle in needles {
        if !texts.contains(&needle.text.as_str()) {
            texts.push(&needle.text);
        }
    }
    // Overlapping search needs the standard match kind: every hit of every needle is seen, so
    // a short needle inside a longer one (`Manager` in `WebSocketManager`) is never hidden.
    AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(&texts)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefilter(toml: &str) -> Prefilter {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ssot-lint.toml"), toml).unwrap();
        let loaded = crate::config::load(None, dir.path(), &[]).unwrap();
        Prefilter::new(&loaded.config)
    }

    const CONFIG: &str = r#"
[[registry]]
symbol = "UnifiedManager"
module = "app.core.unified"

[[deprecated-module]]
module = "app.old.factory"

[[concept]]
name = "manager"
class-patterns = ["*WebSocketManager"]
canonical-factory = "app.core.unified.UnifiedManager.create_for_user"

[[pattern]]
id = "sleep"
match = "time.sleep"
"#;

    #[test]
    fn files_without_needles_are_skipped() {
        let filter = prefilter(CONFIG);
        assert_eq!(filter.decide("app.x", "import os\nprint(os.sep)\n"), Decision::Skip);
        // Identifier boundaries: `UnifiedManagers` is not `UnifiedManager`.
        assert_eq!(filter.decide("app.x", "UnifiedManagers = 1\n"), Decision::Skip);
        // One fragment of a two-fragment glob is not enough.
        assert_eq!(filter.decide("app.x", "import time\ntime.time()\n"), Decision::Skip);
    }

    #[test]
    fn declaration_hits_keep_only_their_import_or_header_statement() {
        let filter = prefilter(CONFIG);
        let text = "import os\nfrom app.x import UnifiedManager\n\ndef f():\n    return UnifiedManager()\n";
        let import_end = text.find("\n\ndef").unwrap() + 2;
        assert_eq!(filter.decide("app.x", text), Decision::Regions(vec![(10, import_end)]));
        // A use outside an import or a header is not a declaration.
        assert_eq!(filter.decide("app.x", "def f():\n    return UnifiedManager()\n"), Decision::Skip);
        let header = "class A:\n    def create_for_user(self):\n        pass\n";
        assert_eq!(filter.decide("app.x", header), Decision::Regions(vec![(0, header.len())]));
    }

    #[test]
    fn deprecated_modules_match_by_last_segment_and_path() {
        let filter = prefilter(CONFIG);
        // Inside the deprecated package, `from . import x` names it without spelling it.
        assert_eq!(filter.decide("app.old.factory.sub", "from . import helpers\n"), Decision::Whole);
        let relative = "from . import factory\n";
        assert_eq!(filter.decide("app.old.x", relative), Decision::Regions(vec![(0, relative.len())]));
        // A registry module keeps what may bind its symbol, star imports included.
        assert_eq!(filter.decide("app.core.unified", "x = 1\n"), Decision::Skip);
        let bound = "x = 1\nif X:\n    UnifiedManager = make()\nfrom m import *\n";
        assert_eq!(filter.decide("app.core.unified", bound), Decision::Regions(vec![(6, bound.len())]));
    }

    #[test]
    fn glob_fragments_must_all_be_in_one_statement() {
        let filter = prefilter(CONFIG);
        let split = "import time\n\ndef f():\n    sleep = 1\n";
        assert_eq!(filter.decide("app.x", split), Decision::Skip);
        let together = "import os\n\ndef f():\n    time.sleep(1)\n";
        assert_eq!(filter.decide("app.x", together), Decision::Regions(vec![(11, together.len())]));
        let class = "class FastWebSocketManager:\n    pass\n";
        assert_eq!(filter.decide("app.x", class), Decision::Regions(vec![(0, class.len())]));
    }

    #[test]
    fn a_glob_without_literals_or_an_empty_config_turns_it_off() {
        assert!(prefilter("[[pattern]]\nid = \"all\"\nmatch = \"*\"\n").is_off());
        assert!(prefilter("[project]\nroots = [\".\"]\n").is_off());
        assert_eq!(prefilter("").decide("a", "x = 1\n"), Decision::Whole);
    }
}
