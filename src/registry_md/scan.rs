//! Finding the import lines in the Markdown: fenced `python` blocks, the headings and bold
//! labels that classify them, and continuation lines joined into statements.

use super::parse::{parse_statement, Parsed};

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
