//! The prefilter: can any rule fire in a file at all?
//!
//! Every name a rule can match is compiled once per run into one Aho-Corasick automaton (the
//! "needles"). A file holds something a rule could match when it contains
//!
//! - a **declaration needle** (a registry symbol, the last segment of a deprecated module, of a
//!   canonical class or of a canonical factory) at identifier boundaries, or
//! - every literal fragment of one **glob** (class and factory patterns, `[[pattern]]` matches,
//!   event emitters): a name matching the glob contains all of them.
//!
//! A glob's fragments may also come from the file's own module name: a relative import
//! (`from .bridge import emit as e`, or Rust's `crate::`/`super::`) gives the qualified name
//! `app.bridge.emit` without spelling `app`, so the module name is searched for glob fragments
//! too (not for declaration needles). Every other part of a qualified name is spelled in the
//! file: the import statement that binds an alias names the module and the member it stands for.
//!
//! Some files are judged by their path: a registry `module` (stale-registry asks what it binds)
//! and a module inside a deprecated module (its relative imports name the deprecated module
//! without spelling it) always get every rule. A glob without any literal fragment (`*`)
//! matches every name: the prefilter then turns itself off, and so it does when the config
//! checks nothing.
//!
//! A file the prefilter rules out is still parsed (the parser is fast, and syntax errors are
//! reported in every file); it only skips the fact extraction and the rules.

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::glob::DottedGlob;

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
    /// Files judged by their path (`Needles::module`, `Needles::inside_module`).
    modules: HashSet<String>,
    inside_modules: Vec<crate::config::DeprecatedModule>,
}

/// What the rules ask the prefilter to look for (`RuleMeta::needles`), gathered once per run.
#[derive(Default)]
pub struct Needles {
    needles: Vec<Needle>,
    roles: Vec<Role>,
    groups: Vec<Vec<usize>>,
    /// A glob without a literal fragment was seen: every name can match.
    matches_everything: bool,
    /// Files judged by their path: these modules, and modules inside these deprecated ones.
    modules: HashSet<String>,
    inside: Vec<crate::config::DeprecatedModule>,
}

impl Needles {
    fn needle(&mut self, text: &str, left: bool, right: bool) -> usize {
        let needle = Needle { text: text.to_string(), left, right };
        if let Some(index) = self.needles.iter().position(|known| *known == needle) {
            return index;
        }
        self.needles.push(needle);
        self.roles.push(Role::default());
        self.needles.len() - 1
    }

    /// A name a rule matches, found at identifier boundaries.
    pub fn declaration(&mut self, name: &str) {
        if name.is_empty() {
            return;
        }
        let index = self.needle(name, true, true);
        self.roles[index].declaration = true;
    }

    /// The last segment of `dotted` (`a.b.C` or `a::b::C`) as a declaration needle.
    pub(crate) fn last_segment(&mut self, dotted: &str) {
        self.declaration(dotted.rsplit(['.', ':']).next().unwrap_or(dotted));
    }

    /// A glob a rule matches names against: a file may match when it holds all its fragments.
    pub fn glob(&mut self, glob: &DottedGlob) {
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
        // Two rules may ask for the same glob (an emitter, a factory pattern): one group is enough.
        if self.groups.contains(&members) {
            return;
        }
        let group = self.groups.len();
        for &member in &members {
            self.roles[member].groups.push(group);
        }
        self.groups.push(members);
    }

    /// The file of this module always gets every rule.
    pub fn module(&mut self, module: &str) {
        self.modules.insert(module.to_string());
    }

    /// Every module inside this deprecated one (itself included) always gets every rule.
    pub(crate) fn inside_module(&mut self, entry: &crate::config::DeprecatedModule) {
        self.inside.push(entry.clone());
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
    // Only ASCII counts: a non-ASCII neighbour could end an identifier, so it is taken as a
    // boundary; that only runs the rules on more files.
    byte.is_ascii_alphanumeric() || byte == b'_'
}

impl Prefilter {
    /// Compiles what the rules asked for (`rules::needles`).
    pub fn new(builder: Needles) -> Self {
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
            modules: builder.modules,
            inside_modules: builder.inside,
        }
    }

    /// True when every file gets every rule (no needles, or a glob that matches everything).
    pub fn is_off(&self) -> bool {
        self.automaton.is_none()
    }

    /// Whether any rule could fire in the file `module` with text `text`: a declaration needle
    /// anywhere, every fragment of one glob, or a file judged by its path (a registry module,
    /// or a module inside a deprecated one).
    pub fn may_fire(&self, module: &str, text: &str) -> bool {
        let Some(automaton) = &self.automaton else {
            return true;
        };
        if self.modules.contains(module) || self.inside_modules.iter().any(|entry| entry.covers(module)) {
            return true;
        }
        // Relative imports resolve against the module name: its segments count as spelled, but
        // only a hit in the text decides (the last name of a qualified name is always spelled).
        // By needle: 0 not seen, 1 seen in the module name, 2 seen in the text.
        let mut seen = vec![0u8; self.needles.len()];
        self.hits(automaton, module.as_bytes(), |needle| {
            seen[needle] = 1;
            false
        });
        self.hits(automaton, text.as_bytes(), |needle| {
            if self.roles[needle].declaration {
                return true;
            }
            let fresh = seen[needle] != 2;
            seen[needle] = 2;
            fresh && self.completes_a_group(needle, &seen)
        })
    }

    /// Calls `found` with each needle hit at its identifier boundaries, until it returns true.
    fn hits(&self, automaton: &AhoCorasick, bytes: &[u8], mut found: impl FnMut(usize) -> bool) -> bool {
        for hit in automaton.find_overlapping_iter(bytes) {
            let (start, end) = (hit.start(), hit.end());
            let left_ok = start == 0 || !is_identifier_byte(bytes[start - 1]);
            let right_ok = bytes.get(end).is_none_or(|&byte| !is_identifier_byte(byte));
            for &needle in &self.by_pattern[hit.pattern().as_usize()] {
                let wanted = &self.needles[needle];
                if (wanted.left && !left_ok) || (wanted.right && !right_ok) {
                    continue;
                }
                if found(needle) {
                    return true;
                }
            }
        }
        false
    }

    /// Whether `needle`, just found, completes one of its globs.
    fn completes_a_group(&self, needle: usize, seen: &[u8]) -> bool {
        self.roles[needle]
            .groups
            .iter()
            .any(|&group| self.groups[group].iter().all(|&member| seen[member] != 0))
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
