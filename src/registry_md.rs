//! `ssot-lint registry import`: a hand-written Markdown import registry (the
//! `SSOT_IMPORT_REGISTRY.md` style) → `[[registry]]` and `[[deprecated-module]]` TOML.
//!
//! The shape read: headings per service; fenced `python` blocks of import lines; a heading (or a
//! whole-line bold label such as `**❌ BROKEN:**`) classifies the lines under it, and a line's
//! trailing comment can override that:
//!
//! - broken: ❌ 🚫 ⛔ ✗ ✘, "BROKEN", "DO NOT USE", "DEPRECATED", "INCORRECT", "WRONG", "NOT WORKING"
//! - compatibility: "COMPATIBILITY", "COMPAT", "alias", "re-export"
//! - canonical: ✅ ✔ ✓, "VERIFIED", "CORRECT", "CANONICAL", "WORKING", "SSOT"
//!
//! checked in that order (so "✅ compatibility import" is compat, "❌ INCORRECT" is broken).
//! Words match case-insensitively at the start of a word ("CORRECT" does not match "INCORRECT").
//! A heading without a marker inherits its parent's class. Commented-out imports
//! (`# ❌ DEPRECATED: from M import A`) count as broken when they carry a broken marker or sit
//! under a broken heading. `@patch(...)` lines, other code and comments are skipped and counted.
//!
//! From those lines: the first canonical line of a symbol gives its `module`; compatibility lines
//! add `compat` modules; a module that appears only in broken lines becomes a
//! `[[deprecated-module]]` (with a `replacement` when all its symbols have one home). Conflicts
//! (two canonical homes, canonical or compat and broken in one module) are reported with both
//! source lines; the first canonical home wins, and canonical or compat beats broken.

use std::collections::HashMap;
use std::fmt::Write as _;

/// How a line (or the section it sits in) classifies its imports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Canonical,
    Compat,
    Broken,
}

const BROKEN_MARKS: &[&str] = &["❌", "🚫", "⛔", "✗", "✘", "❎"];
const BROKEN_WORDS: &[&str] =
    &["broken", "do not use", "don't use", "deprecat", "incorrect", "wrong", "not working", "forbidden"];
const COMPAT_WORDS: &[&str] = &["compat", "alias", "re-export", "reexport", "backward"];
const CANONICAL_MARKS: &[&str] = &["✅", "✔", "✓", "☑"];
const CANONICAL_WORDS: &[&str] = &["verified", "correct", "canonical", "working", "ssot"];

/// The class a piece of text (a heading, a label, a comment) gives, if any.
pub(crate) fn classify(text: &str) -> Option<Class> {
    let lower = text.to_lowercase();
    let has = |marks: &[&str], words: &[&str]| {
        marks.iter().any(|mark| text.contains(mark)) || words.iter().any(|word| has_word(&lower, word))
    };
    if has(BROKEN_MARKS, BROKEN_WORDS) {
        Some(Class::Broken)
    } else if has(&[], COMPAT_WORDS) {
        Some(Class::Compat)
    } else if has(CANONICAL_MARKS, CANONICAL_WORDS) {
        Some(Class::Canonical)
    } else {
        None
    }
}

/// `word` occurs in `text` at the start of a word (both already lowercase).
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(index, _)| {
        text[..index].chars().next_back().is_none_or(|before| !before.is_alphanumeric() && before != '_')
    })
}

/// One imported name (or module) seen in the registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seen {
    /// `None` for `import M` lines (a module, no symbol).
    pub symbol: Option<String>,
    pub module: String,
    pub class: Class,
    /// 1-based line of the name in the Markdown file.
    pub line: usize,
    /// The source line, trimmed (for conflict reports).
    pub source: String,
    /// The service heading the line sits under.
    pub section: String,
}

/// Lines that were not imports, by kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Skipped {
    /// `@patch('pkg.mod.Name')` and other `patch(...)` lines.
    pub patch: usize,
    /// Comments, code and anything else that is not an import line.
    pub other: usize,
    /// Import lines under no classifying heading and with no classifying comment.
    pub unclassified: usize,
    /// Relative (`from .x import y`) and star imports: they cannot name a module.
    pub unusable: usize,
    /// Commented-out imports without a broken marker.
    pub commented_out: usize,
    /// Fenced blocks in another language.
    pub other_blocks: usize,
}

/// What scanning the Markdown produced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scan {
    pub seen: Vec<Seen>,
    pub skipped: Skipped,
    /// Problems with the file's shape (e.g. an unterminated fence), with their line.
    pub warnings: Vec<(usize, String)>,
    /// First line of an import under no classifying heading, for the report.
    pub first_unclassified: Option<usize>,
}

#[derive(Clone, Debug)]
struct Fence {
    marker: char,
    length: usize,
    python: bool,
    line: usize,
}

/// Walks the Markdown line by line: headings, labels, fences and the import lines inside them.
pub(crate) fn scan(text: &str) -> Scan {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.split('\n').map(|line| line.strip_suffix('\r').unwrap_or(line)).collect();
    let mut scan = Scan::default();
    let mut sections = Sections::default();
    let mut fence: Option<Fence> = None;
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        let number = index + 1;
        index += 1;
        match &fence {
            Some(open) => {
                if closes(line, open) {
                    fence = None;
                } else if open.python {
                    index = python_line(&lines, index - 1, &sections, &mut scan);
                }
            }
            None => {
                if let Some(opened) = opens(line, number) {
                    scan.skipped.other_blocks += usize::from(!opened.python);
                    fence = Some(opened);
                } else {
                    sections.markdown_line(line);
                }
            }
        }
    }
    if let Some(open) = fence {
        scan.warnings
            .push((open.line, "code fence is never closed; read it to the end of the file".to_string()));
    }
    scan
}

/// `Some(fence)` when `line` opens a fenced code block (``` or ~~~, any indentation).
fn opens(line: &str, number: usize) -> Option<Fence> {
    let trimmed = line.trim_start_matches([' ', '\t']);
    let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let length = trimmed.chars().take_while(|c| *c == marker).count();
    if length < 3 {
        return None;
    }
    let info = trimmed[length..].trim().to_lowercase();
    let language = info.split(|c: char| c.is_whitespace() || c == '{' || c == ',').next().unwrap_or("");
    let python = matches!(language, "" | "python" | "py" | "python3" | "py3");
    Some(Fence { marker, length, python, line: number })
}

fn closes(line: &str, fence: &Fence) -> bool {
    let trimmed = line.trim_matches([' ', '\t']);
    let length = trimmed.chars().take_while(|c| *c == fence.marker).count();
    length >= fence.length && trimmed.chars().all(|c| c == fence.marker)
}

/// The headings (and bold labels) in force, each with its own or inherited class.
#[derive(Default)]
struct Sections {
    /// `(level, class, text)`, outermost first. Bold labels are level 7.
    stack: Vec<(usize, Option<Class>, String)>,
}

impl Sections {
    fn markdown_line(&mut self, line: &str) {
        let trimmed = line.trim_matches([' ', '\t']);
        let level = trimmed.chars().take_while(|c| *c == '#').count();
        let is_heading =
            (1..=6).contains(&level) && trimmed[level..].chars().next().is_none_or(|c| c == ' ' || c == '\t');
        if is_heading {
            let title = trimmed[level..].trim().trim_end_matches('#').trim();
            self.push(level, title);
        } else if let Some(label) = bold_label(trimmed) {
            self.push(7, label);
        }
    }

    fn push(&mut self, level: usize, title: &str) {
        self.stack.retain(|(open, _, _)| *open < level);
        let class = classify(title).or_else(|| self.class());
        self.stack.push((level, class, title.to_string()));
    }

    fn class(&self) -> Option<Class> {
        self.stack.last().and_then(|(_, class, _)| *class)
    }

    /// The service a line belongs to: the innermost level-1 or level-2 heading.
    fn section(&self) -> String {
        self.stack
            .iter()
            .rev()
            .find(|(level, _, _)| *level <= 2)
            .map(|(_, _, title)| title.clone())
            .unwrap_or_default()
    }
}

/// `**text**` or `**text:**` alone on a line (an emphasised label used as a sub-heading).
fn bold_label(line: &str) -> Option<&str> {
    let inner = line.strip_prefix("**")?.trim_end_matches(':').strip_suffix("**")?;
    (!inner.is_empty() && !inner.contains("**")).then_some(inner)
}

/// Reads one line of a python block (and its continuation lines); returns the next line index.
fn python_line(lines: &[&str], index: usize, sections: &Sections, scan: &mut Scan) -> usize {
    let line = lines[index];
    let trimmed = line.trim_matches([' ', '\t']);
    if trimmed.is_empty() {
        return index + 1;
    }
    let code_part = trimmed.split('#').next().unwrap_or("");
    if code_part.contains("patch(") || trimmed.starts_with("@patch") || trimmed.starts_with("@mock.patch") {
        scan.skipped.patch += 1;
        return index + 1;
    }
    let Some(start) = import_start(trimmed) else {
        scan.skipped.other += 1;
        return index + 1;
    };
    let head = &trimmed[..start];
    let commented_out = head.contains('#');
    let (statement, next) = if commented_out {
        (Statement::single(&trimmed[start..]), index + 1)
    } else {
        join_continuations(lines, index, &trimmed[start..])
    };
    let Some(parsed) = parse_statement(&statement.parts) else {
        let code = statement.parts.concat();
        let relative_or_star = code.trim_start().starts_with("from .") || code.contains('*');
        if relative_or_star && !commented_out {
            scan.skipped.unusable += 1;
        } else {
            // Prose that happens to contain "from" or "import" (`raise X from e`, a comment).
            scan.skipped.other += 1;
        }
        return next;
    };
    let line_class = classify(head).or_else(|| statement.comment(0).and_then(classify));
    let default = line_class.or_else(|| sections.class());
    if commented_out && default != Some(Class::Broken) {
        scan.skipped.commented_out += 1;
        return next;
    }
    let mut names: Vec<(Option<String>, String, Option<Class>, usize)> = Vec::new();
    match parsed {
        Parsed::From { module, names: imported } => {
            for (name, offset) in imported {
                // In a parenthesised list, a name's own comment beats the statement's.
                let own = if offset == 0 { None } else { statement.comment(offset).and_then(classify) };
                names.push((Some(name), module.clone(), own.or(default), offset));
            }
        }
        Parsed::Modules(modules) => {
            names.extend(modules.into_iter().map(|module| (None, module, default, 0)));
        }
    }
    if names.iter().any(|(_, _, class, _)| class.is_none()) {
        scan.skipped.unclassified += 1;
        scan.first_unclassified.get_or_insert(index + 1);
    }
    let section = sections.section();
    for (symbol, module, class, offset) in names {
        let Some(class) = class else { continue };
        let source = lines.get(index + offset).map_or("", |line| line.trim_matches([' ', '\t']));
        scan.seen.push(Seen {
            symbol,
            module,
            class,
            line: index + 1 + offset,
            source: source.to_string(),
            section: section.clone(),
        });
    }
    next
}

/// Byte offset of `from `/`import ` starting a word in `line`, if the line holds an import.
fn import_start(line: &str) -> Option<usize> {
    ["from", "import"]
        .iter()
        .filter_map(|keyword| {
            line.match_indices(keyword).map(|(index, _)| index).find(|&index| {
                let before_ok =
                    line[..index].chars().next_back().is_none_or(|c| !c.is_alphanumeric() && c != '_');
                let after = line[index + keyword.len()..].chars().next();
                before_ok && after.is_some_and(|c| c == ' ' || c == '\t')
            })
        })
        .min()
}

/// An import statement split into its lines: the code of each, and their comments.
struct Statement {
    /// Code of each line, comment and trailing backslash removed.
    parts: Vec<String>,
    /// `(line offset from the first line, comment text)`.
    comments: Vec<(usize, String)>,
}

impl Statement {
    fn single(line: &str) -> Statement {
        let mut statement = Statement { parts: Vec::new(), comments: Vec::new() };
        statement.push_line(line);
        statement
    }

    /// Adds one line; returns whether the statement continues on the next line.
    fn push_line(&mut self, text: &str) -> bool {
        let (code, comment) = match text.split_once('#') {
            Some((code, comment)) => (code, comment.trim()),
            None => (text, ""),
        };
        if !comment.is_empty() {
            self.comments.push((self.parts.len(), comment.to_string()));
        }
        // Spaced parentheses let `import(A, B)` split into words like `import (A, B)`.
        let code = code.replace('(', " ( ").replace(')', " ) ");
        let code = code.trim_end();
        let continued = code.ends_with('\\');
        self.parts.push(code.trim_end_matches('\\').to_string());
        continued
    }

    fn comment(&self, offset: usize) -> Option<&str> {
        self.comments.iter().find(|(at, _)| *at == offset).map(|(_, text)| text.as_str())
    }

    fn open_parens(&self) -> bool {
        let joined = self.parts.concat();
        joined.matches('(').count() > joined.matches(')').count()
    }
}

/// Joins `(`...`)` and backslash continuation lines (never past the block's closing fence);
/// returns the statement and the index of the line after it.
fn join_continuations(lines: &[&str], index: usize, first: &str) -> (Statement, usize) {
    let mut statement = Statement { parts: Vec::new(), comments: Vec::new() };
    let mut continued = statement.push_line(first);
    let mut next = index + 1;
    while continued || statement.open_parens() {
        match lines.get(next) {
            Some(line) if !is_fence_line(line) => {
                continued = statement.push_line(line.trim_matches([' ', '\t']))
            }
            _ => break,
        }
        next += 1;
    }
    (statement, next)
}

fn is_fence_line(line: &str) -> bool {
    let trimmed = line.trim_start_matches([' ', '\t']);
    trimmed.starts_with("```") || trimmed.starts_with("~~~")
}

/// An import line, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed {
    /// `from M import a, b as c`: each name with the offset (in lines) of the line it is on.
    From { module: String, names: Vec<(String, usize)> },
    /// `import a.b, c as d`.
    Modules(Vec<String>),
}

/// Parses a one-line `from M import ...` / `import M, ...`.
pub fn parse_import(line: &str) -> Option<Parsed> {
    parse_statement(&[line.to_string()])
}

/// Parses an import statement given line by line; `None` for relative, star or malformed
/// imports.
fn parse_statement(parts: &[String]) -> Option<Parsed> {
    let joined = parts.join(" ");
    let words: Vec<&str> = joined.split_whitespace().collect();
    match words.first().copied() {
        Some("from") => {
            let module = *words.get(1)?;
            if words.get(2) != Some(&"import") || !is_dotted_name(module) {
                return None;
            }
            let names = from_names(parts)?;
            Some(Parsed::From { module: module.to_string(), names })
        }
        Some("import") => {
            let modules: Vec<String> = joined
                .trim_start()
                .strip_prefix("import")?
                .split(',')
                .filter_map(|item| item.split_whitespace().next())
                .map(str::to_string)
                .collect();
            let valid = !modules.is_empty() && modules.iter().all(|module| is_dotted_name(module));
            valid.then_some(Parsed::Modules(modules))
        }
        _ => None,
    }
}

/// The names after `import`, each with the offset of the line it is on.
fn from_names(parts: &[String]) -> Option<Vec<(String, usize)>> {
    // The keyword is the third word of the statement (`from`, module, `import`).
    let mut words_before = 0;
    let mut names = Vec::new();
    for (offset, part) in parts.iter().enumerate() {
        let mut fragment = part.as_str();
        if words_before <= 2 {
            let words: Vec<(usize, &str)> = word_offsets(part).collect();
            match words.get(2 - words_before) {
                Some((at, _)) => fragment = &part[at + "import".len()..],
                None => {
                    words_before += words.len();
                    continue;
                }
            }
            words_before = 3;
        }
        for item in fragment.split(',') {
            let item = item.trim_matches(|c: char| c.is_whitespace() || c == '(' || c == ')');
            let Some(name) = item.split_whitespace().next() else { continue };
            if name == "*" || !is_identifier(name) {
                return None;
            }
            names.push((name.to_string(), offset));
        }
    }
    (!names.is_empty()).then_some(names)
}

/// `(byte offset, word)` of each whitespace-separated word.
fn word_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_whitespace().map(move |word| (word.as_ptr() as usize - text.as_ptr() as usize, word))
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

/// `a.b.c` with identifier segments (no leading dot: relative imports are not usable).
pub(crate) fn is_dotted_name(name: &str) -> bool {
    name.split('.').all(is_identifier)
}

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

/// The result of a conversion: the TOML text and what to tell the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Converted {
    pub toml: String,
    pub scan: Scan,
    pub registry: Registry,
}

/// Markdown registry → TOML fragment. `source_name` is named in the comments.
pub fn convert(text: &str, source_name: &str) -> Converted {
    let scan = scan(text);
    let registry = resolve(&scan.seen);
    let toml = render(&registry, &scan, source_name);
    Converted { toml, scan, registry }
}

/// Counts of the classified lines: (canonical, compat, broken) names.
fn class_counts(scan: &Scan) -> (usize, usize, usize) {
    let count = |class| scan.seen.iter().filter(|item| item.class == class).count();
    (count(Class::Canonical), count(Class::Compat), count(Class::Broken))
}

fn render(registry: &Registry, scan: &Scan, source_name: &str) -> String {
    let mut out = String::new();
    let (canonical, compat, broken) = class_counts(scan);
    let _ = writeln!(out, "# Converted from {} by `ssot-lint registry import`.", comment_text(source_name));
    let _ = writeln!(
        out,
        "# {} canonical, {} compatibility and {} broken imported names read; {} skipped; {}.",
        canonical,
        compat,
        broken,
        plural(skipped_total(&scan.skipped), "line"),
        plural(registry.conflicts.len(), "conflict")
    );
    let _ = writeln!(out, "# Each entry names the line of {} it comes from.", comment_text(source_name));
    let mut section = None;
    for home in &registry.homes {
        section_comment(&mut out, &mut section, &home.section);
        let _ = writeln!(out, "[[registry]]  # line {}", home.line);
        let _ = writeln!(out, "symbol = {}", quote(&home.symbol));
        let _ = writeln!(out, "module = {}", quote(&home.module));
        if !home.compat.is_empty() {
            let _ = writeln!(out, "compat = [");
            for (module, line) in &home.compat {
                let _ = writeln!(out, "    {},  # line {line}", quote(module));
            }
            let _ = writeln!(out, "]");
        }
    }
    let mut section = None;
    for entry in &registry.deprecated {
        section_comment(&mut out, &mut section, &entry.section);
        let _ = writeln!(out, "[[deprecated-module]]  # line {}", entry.line);
        let _ = writeln!(out, "module = {}", quote(&entry.module));
        if let Some(replacement) = &entry.replacement {
            let _ = writeln!(out, "replacement = {}", quote(replacement));
        }
    }
    out
}

/// A blank line, and a `# Section` comment when the section changes.
fn section_comment<'a>(out: &mut String, current: &mut Option<&'a str>, section: &'a str) {
    out.push('\n');
    if *current != Some(section) && !section.is_empty() {
        let _ = writeln!(out, "# {}", comment_text(section));
        *current = Some(section);
    }
}

pub(crate) fn skipped_total(skipped: &Skipped) -> usize {
    skipped.patch + skipped.other + skipped.unclassified + skipped.unusable + skipped.commented_out
}

/// A TOML basic string.
fn quote(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// Text safe inside a TOML comment (no control characters but tab).
fn comment_text(text: &str) -> String {
    text.chars().map(|c| if c.is_control() && c != '\t' { ' ' } else { c }).collect()
}

pub(crate) fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(symbol or module, module, class, line)` of every classified name.
    fn seen(markdown: &str) -> Vec<(String, String, Class, usize)> {
        scan(markdown)
            .seen
            .into_iter()
            .map(|item| (item.symbol.unwrap_or_default(), item.module, item.class, item.line))
            .collect()
    }

    fn one(symbol: &str, module: &str, class: Class, line: usize) -> (String, String, Class, usize) {
        (symbol.to_string(), module.to_string(), class, line)
    }

    #[test]
    fn markers_classify_in_order_broken_compat_canonical() {
        assert_eq!(classify("✅ VERIFIED IMPORTS"), Some(Class::Canonical));
        assert_eq!(classify("Correct imports"), Some(Class::Canonical));
        assert_eq!(classify("The canonical home"), Some(Class::Canonical));
        assert_eq!(classify("SSOT test infrastructure"), Some(Class::Canonical));
        assert_eq!(classify("INCORRECT imports"), Some(Class::Broken));
        assert_eq!(classify("❌ imports"), Some(Class::Broken));
        assert_eq!(classify("Do Not Use"), Some(Class::Broken));
        assert_eq!(classify("⚠️ DEPRECATED alias"), Some(Class::Broken));
        assert_eq!(classify("✅ Compatibility import"), Some(Class::Compat));
        assert_eq!(classify("COMPAT re-export"), Some(Class::Compat));
        assert_eq!(classify("alias via __init__"), Some(Class::Compat));
        assert_eq!(classify("🔷 Netra Backend"), None);
        assert_eq!(classify("⚠️ careful"), None);
        assert_eq!(classify("uncorrected"), None);
    }

    #[test]
    fn headings_classify_and_inherit() {
        let markdown = "# Registry\n## Service A\n### ✅ Working\n```python\nfrom a.good import A\n```\n\
            #### Sub-section\n```python\nfrom a.good import B\n```\n### Notes\n```python\nfrom a.other import C\n```\n\
            ## ❌ BROKEN\n### Service B\n```python\nfrom b.old import D\n```\n";
        let result = scan(markdown);
        assert_eq!(
            seen(markdown),
            vec![
                one("A", "a.good", Class::Canonical, 5),
                one("B", "a.good", Class::Canonical, 9),
                one("D", "b.old", Class::Broken, 18),
            ]
        );
        assert_eq!(result.skipped.unclassified, 1);
        assert_eq!(result.first_unclassified, Some(13));
        assert_eq!(result.seen[0].section, "Service A");
        assert_eq!(result.seen[2].section, "❌ BROKEN");
    }

    #[test]
    fn bold_labels_act_as_headings() {
        let markdown = "**✅ CANONICAL:**\n```python\nfrom a import A\n```\n**❌ BROKEN:**\n```python\nfrom b import A\n```\n";
        assert_eq!(seen(markdown), vec![one("A", "a", Class::Canonical, 3), one("A", "b", Class::Broken, 7)]);
    }

    #[test]
    fn trailing_comments_override_the_heading() {
        let markdown = "## ✅ Verified\n```python\nfrom a import A  # COMPATIBILITY re-export\n\
            from b import B  # ❌ BROKEN\nfrom c import C  # nothing special\n```\n";
        assert_eq!(
            seen(markdown),
            vec![
                one("A", "a", Class::Compat, 3),
                one("B", "b", Class::Broken, 4),
                one("C", "c", Class::Canonical, 5)
            ]
        );
    }

    #[test]
    fn commented_out_imports_count_only_when_marked_broken() {
        let markdown = "## Service\n```python\n# ❌ DEPRECATED: from a.old import A\n# from a.maybe import B\n\
            # ⚠️ DEPRECATED from a.older import C, D\n```\n## ❌ Removed\n```python\n# from a.gone import E\n```\n";
        let result = scan(markdown);
        assert_eq!(
            seen(markdown),
            vec![
                one("A", "a.old", Class::Broken, 3),
                one("C", "a.older", Class::Broken, 5),
                one("D", "a.older", Class::Broken, 5),
                one("E", "a.gone", Class::Broken, 9),
            ]
        );
        assert_eq!(result.skipped.commented_out, 1);
    }

    #[test]
    fn patch_and_other_lines_are_skipped_and_counted() {
        let markdown =
            "## ✅ OK\n```python\n@patch('a.b.C')\n@mock.patch(\"a.b.D\")\nwith patch('a.b.E') as e:\n\
            x = C()  # from here\n# just a comment\nraise Error from cause\n\nfrom a.b import C\n```\n";
        let result = scan(markdown);
        assert_eq!(seen(markdown), vec![one("C", "a.b", Class::Canonical, 10)]);
        assert_eq!(result.skipped.patch, 3);
        assert_eq!(result.skipped.other, 3);
    }

    #[test]
    fn relative_and_star_imports_are_unusable() {
        let markdown =
            "## ✅ OK\n```python\nfrom .sibling import A\nfrom a import *\nfrom .. import b\n```\n";
        let result = scan(markdown);
        assert!(result.seen.is_empty());
        assert_eq!(result.skipped.unusable, 3);
    }

    #[test]
    fn parenthesised_names_take_their_own_comment() {
        let markdown =
            "## ✅ OK\n```python\nfrom a import (  # all verified\n    A,\n    B,  # alias for old code\n\
            \tC as D,  # ❌ broken\n)\nfrom b import \\\n    E\n```\n";
        assert_eq!(
            seen(markdown),
            vec![
                one("A", "a", Class::Canonical, 4),
                one("B", "a", Class::Compat, 5),
                one("C", "a", Class::Broken, 6),
                one("E", "b", Class::Canonical, 9),
            ]
        );
    }

    #[test]
    fn odd_spacing_tabs_and_crlf_are_read() {
        let lf = "## ✅ OK\n```python\n\tfrom  a.b   import  A,B as  C ,D\nfrom a.c import(E)\n  import x.y ,  z as w\n```\n";
        let crlf = lf.replace('\n', "\r\n");
        let expected = vec![
            one("A", "a.b", Class::Canonical, 3),
            one("B", "a.b", Class::Canonical, 3),
            one("D", "a.b", Class::Canonical, 3),
            one("E", "a.c", Class::Canonical, 4),
            one("", "x.y", Class::Canonical, 5),
            one("", "z", Class::Canonical, 5),
        ];
        assert_eq!(seen(lf), expected);
        assert_eq!(seen(&crlf), expected);
        assert_eq!(convert(lf, "r.md").toml, convert(&crlf, "r.md").toml);
    }

    #[test]
    fn fences_of_other_languages_are_ignored() {
        let markdown = "## ✅ OK\n```bash\nfrom a import A\n```\n~~~python\nfrom b import B\n~~~\n\
            ````py\n```\nfrom c import C\n````\n";
        let result = scan(markdown);
        assert_eq!(
            seen(markdown),
            vec![one("B", "b", Class::Canonical, 6), one("C", "c", Class::Canonical, 10)]
        );
        assert_eq!(result.skipped.other_blocks, 1);
        assert_eq!(result.skipped.other, 1, "the ``` line inside a ```` fence is not an import");
    }

    #[test]
    fn an_unterminated_fence_is_read_to_the_end_with_a_warning() {
        let markdown = "## ✅ OK\n```python\nfrom a import A\nfrom b import (\n    B,\n";
        let result = scan(markdown);
        assert_eq!(
            seen(markdown),
            vec![one("A", "a", Class::Canonical, 3), one("B", "b", Class::Canonical, 5)]
        );
        assert_eq!(
            result.warnings,
            vec![(2, "code fence is never closed; read it to the end of the file".to_string())]
        );
    }

    #[test]
    fn odd_bytes_never_crash() {
        for markdown in [
            "",
            "\u{feff}",
            "```",
            "```python\n(",
            "# ✅\n```\nfrom",
            "```python\nfrom a import (\n```\n",
            "🦀🦀\r\r\n",
        ] {
            let converted = convert(markdown, "odd.md");
            assert!(toml::from_str::<toml::Table>(&converted.toml).is_ok(), "{markdown:?}");
        }
    }

    fn registry(markdown: &str) -> Registry {
        resolve(&scan(markdown).seen)
    }

    #[test]
    fn the_first_canonical_home_wins() {
        let result =
            registry("## ✅ OK\n```python\nfrom a import A\nfrom b import A\nfrom a import A\n```\n");
        assert_eq!(result.homes.len(), 1);
        assert_eq!((result.homes[0].module.as_str(), result.homes[0].line), ("a", 3));
        assert_eq!(result.conflicts.len(), 1);
        let conflict = &result.conflicts[0];
        assert_eq!(conflict.message, "A has two canonical homes; keeping a");
        assert_eq!(conflict.first, (3, "from a import A".to_string()));
        assert_eq!(conflict.second, (4, "from b import A".to_string()));
    }

    #[test]
    fn canonical_or_compat_beats_broken_in_the_same_module() {
        let result = registry(
            "## ✅ OK\n```python\nfrom a import A\nfrom c import A  # compat\n```\n## ❌ No\n```python\n\
             from a import A\nfrom c import A\n```\n",
        );
        let messages: Vec<&str> = result.conflicts.iter().map(|conflict| conflict.message.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "A is both canonical and broken in a; keeping it canonical",
                "A is both compat and broken in c; keeping it compat"
            ]
        );
        assert!(result.deprecated.is_empty());
        assert_eq!(result.homes[0].compat, vec![("c".to_string(), 4)]);
    }

    #[test]
    fn modules_only_in_broken_lines_become_deprecated() {
        let result = registry(
            "## ✅ OK\n```python\nfrom new import A, B\nfrom other import C\nfrom pkg.sub.core import D\n```\n\
             ## ❌ No\n```python\nfrom old import A, B\nfrom mixed import A, C\nfrom pkg import D\nimport legacy.events\n\
             from orphan import Z\nfrom other import Q\n```\n",
        );
        let deprecated: Vec<(&str, Option<&str>, usize)> = result
            .deprecated
            .iter()
            .map(|entry| (entry.module.as_str(), entry.replacement.as_deref(), entry.line))
            .collect();
        assert_eq!(
            deprecated,
            vec![
                ("old", Some("new"), 9),
                ("mixed", None, 10),
                ("legacy.events", None, 12),
                ("orphan", None, 13)
            ]
        );
        let pkg = "pkg is not made a deprecated module: pkg.sub.core inside it is canonical or compat";
        let other = "Q is marked broken in other but has no canonical home";
        assert_eq!(result.notes, vec![(11, pkg.to_string()), (14, other.to_string())]);
    }

    #[test]
    fn compat_without_a_home_is_a_note() {
        let result = registry("## Compatibility aliases\n```python\nfrom a import A\n```\n");
        assert!(result.homes.is_empty());
        let note = "A is imported for compatibility from a but has no canonical home; not emitted";
        assert_eq!(result.notes, vec![(3, note.to_string())]);
    }

    #[test]
    fn the_toml_is_valid_and_names_every_source_line() {
        let converted = convert(
            "## ✅ Svc\u{7}\n```python\nfrom a.b import A\nfrom c import A  # alias\n```\n## ❌\n```python\nfrom old import A\n```\n",
            "reg.md",
        );
        assert_eq!(
            converted.toml,
            "# Converted from reg.md by `ssot-lint registry import`.\n\
             # 1 canonical, 1 compatibility and 1 broken imported names read; 0 lines skipped; 0 conflicts.\n\
             # Each entry names the line of reg.md it comes from.\n\n\
             # ✅ Svc \n[[registry]]  # line 3\nsymbol = \"A\"\nmodule = \"a.b\"\ncompat = [\n    \"c\",  # line 4\n]\n\n\
             # ❌\n[[deprecated-module]]  # line 8\nmodule = \"old\"\nreplacement = \"a.b\"\n"
        );
        let table: toml::Table = toml::from_str(&converted.toml).expect("valid TOML");
        assert_eq!(table["registry"][0]["compat"][0].as_str(), Some("c"));
    }

    #[test]
    fn import_lines_parse() {
        assert_eq!(
            parse_import("from a.b import C as D, E"),
            Some(Parsed::From { module: "a.b".into(), names: vec![("C".into(), 0), ("E".into(), 0)] })
        );
        assert_eq!(
            parse_import("from importlib import import_module"),
            Some(Parsed::From { module: "importlib".into(), names: vec![("import_module".into(), 0)] })
        );
        assert_eq!(parse_import("import a.b as c, d"), Some(Parsed::Modules(vec!["a.b".into(), "d".into()])));
        assert_eq!(parse_import("from a import"), None);
        assert_eq!(parse_import("from a-b import c"), None);
        assert_eq!(parse_import("from a import b-c"), None);
    }
}
