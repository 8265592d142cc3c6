//! Import rewrites (SPEC §7): one plan, shared by `ssot-lint fix` (which applies it) and by
//! `check` (which attaches each rewrite to its findings as `Finding.fix`).
//!
//! A name `S` in `from X import S` moves to its registry `module` when it has an unsuppressed
//! `non-canonical-import` or `compat-import` finding (or, with those rules switched off, when the
//! statement has an unsuppressed `deprecated-module` finding). A statement whose names end up with
//! different homes is split into one statement per home, in the order the names first appear.
//! The names that stay keep the original statement, its trailing comment included; when every
//! name moves, the first group keeps it. Every part of the original statement that is kept is
//! copied byte for byte: spacing, aliases, parentheses, comments and line endings.

use std::collections::HashMap;

use crate::config::Config;
use crate::facts::{FileFacts, FromImport, Import, ImportKind, Span};
use crate::finding::{Edit, Finding, Fix};
use crate::rule_id::RuleId;
use crate::source::SourceFile;

const NON_CANONICAL: RuleId = RuleId::NonCanonicalImport;
const COMPAT: RuleId = RuleId::CompatImport;
const DEPRECATED_MODULE: RuleId = RuleId::DeprecatedModule;

/// True for the rules whose findings `fix` can resolve.
pub(crate) fn is_import_rule(rule: RuleId) -> bool {
    matches!(rule, NON_CANONICAL | COMPAT | DEPRECATED_MODULE)
}

/// What `fix` would do to one file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FilePlan {
    /// One rewrite per import statement, in file order, never overlapping.
    pub rewrites: Vec<Rewrite>,
    /// Names with a fixable finding that stay where they are, and why.
    pub left: Vec<Left>,
    /// Why the whole file is left alone (syntax error, invalid UTF-8).
    pub blocked: Option<String>,
}

/// The new text of one import statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rewrite {
    /// The bytes replaced: the statement, plus its trailing comment when that comment moves.
    pub region: Span,
    pub content: String,
    pub moved: Vec<Moved>,
    /// The statement's module (where a `deprecated-module` finding sits).
    pub module_span: Span,
    /// True when no name is imported from the original module any more.
    pub module_emptied: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Moved {
    /// Span of the imported name in the original text.
    pub span: Span,
    pub symbol: String,
    pub home: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Left {
    pub span: Span,
    pub symbol: String,
    pub reason: String,
}

/// What the project knows about its modules, asked before a name is moved: a rewrite must
/// still import the same object.
pub(crate) trait ModuleFacts {
    /// Why `symbol` must not move from `from X import symbol` (`X` = `from`) to `home`, if so.
    fn refuse(&self, from: &str, symbol: &str, home: &str) -> Option<String>;
}

/// No knowledge beyond the config: every registry home is taken at its word (what `check`
/// uses to mark findings fixable; `ssot-lint fix` asks the project).
pub(crate) struct TrustRegistry;

impl ModuleFacts for TrustRegistry {
    fn refuse(&self, _: &str, _: &str, _: &str) -> Option<String> {
        None
    }
}

/// Plans the rewrites of one file from its facts and its findings (with `suppressed` decided).
pub fn plan(file: &SourceFile, facts: &FileFacts, config: &Config, findings: &[Finding]) -> FilePlan {
    plan_with(file, facts, config, findings, &TrustRegistry)
}

/// `plan`, moving a name only where `modules` agrees.
pub(crate) fn plan_with(
    file: &SourceFile,
    facts: &FileFacts,
    config: &Config,
    findings: &[Finding],
    modules: &dyn ModuleFacts,
) -> FilePlan {
    let marks = Marks::new(findings);
    let mut plan = FilePlan { blocked: blocked_reason(file, facts), ..FilePlan::default() };
    if plan.blocked.is_some() {
        return plan;
    }
    for import in &facts.imports {
        let ImportKind::From(from) = &import.kind else { continue };
        let Some(module) = &from.module else { continue };
        let homes: Vec<Option<String>> = from
            .names
            .iter()
            .map(|name| home_of(file, config, module, from, name, &marks, modules, &mut plan.left))
            .collect();
        if homes.iter().all(Option::is_none) {
            continue;
        }
        match rewrite(&file.text, import, from, &homes) {
            Some(rewrite) => plan.rewrites.push(rewrite),
            None => {
                let reason = "a comment sits between the imported names; move it by hand";
                let moving = from.names.iter().zip(&homes).filter(|(_, home)| home.is_some());
                plan.left.extend(moving.map(|(name, _)| Left {
                    span: name.span,
                    symbol: name.name.clone(),
                    reason: reason.to_string(),
                }));
            }
        }
    }
    plan
}

/// Attaches a `Fix` to every finding a planned rewrite resolves.
pub fn attach(file: &SourceFile, facts: &FileFacts, config: &Config, findings: &mut [Finding]) {
    if !findings.iter().any(|finding| is_import_rule(finding.rule) && !finding.suppressed) {
        return;
    }
    let plan = plan(file, facts, config, findings);
    // Findings by start offset, so attaching stays linear in the number of findings.
    let mut by_start: HashMap<usize, Vec<usize>> = HashMap::new();
    for (index, finding) in findings.iter().enumerate().filter(|(_, finding)| !finding.suppressed) {
        by_start.entry(finding.span.start).or_default().push(index);
    }
    for rewrite in &plan.rewrites {
        let edit = minimal_edit(file, rewrite);
        let starts = rewrite.moved.iter().map(|moved| moved.span.start).chain([rewrite.module_span.start]);
        for start in starts {
            for &index in by_start.get(&start).map(Vec::as_slice).unwrap_or_default() {
                if let Some(message) = fix_message(rewrite, &findings[index]) {
                    findings[index].fix = Some(Fix { message, edits: vec![edit.clone()] });
                }
            }
        }
    }
}

/// What a rewrite does for one finding, if it resolves it.
fn fix_message(rewrite: &Rewrite, finding: &Finding) -> Option<String> {
    if finding.rule == NON_CANONICAL || finding.rule == COMPAT {
        let moved = rewrite.moved.iter().find(|moved| moved.span == finding.span)?;
        return Some(format!("import {} from {}", moved.symbol, moved.home));
    }
    if finding.rule == DEPRECATED_MODULE && rewrite.module_emptied && finding.span == rewrite.module_span {
        let mut homes: Vec<&str> = rewrite.moved.iter().map(|moved| moved.home.as_str()).collect();
        homes.dedup();
        return Some(format!("import the names from {}", homes.join(", ")));
    }
    None
}

/// Applies non-overlapping rewrites (in file order) to `text`.
pub fn apply(text: &str, rewrites: &[Rewrite]) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut cursor = 0;
    for rewrite in rewrites {
        out.push_str(&text[cursor..rewrite.region.start]);
        out.push_str(&rewrite.content);
        cursor = rewrite.region.end;
    }
    out.push_str(&text[cursor..]);
    out
}

/// The edit that turns the rewrite's region into its content, without the whole lines both
/// share at either end (so a long parenthesised import yields a readable edit of the lines that
/// change, not a diff cut in the middle of a name).
pub fn minimal_edit(file: &SourceFile, rewrite: &Rewrite) -> Edit {
    let old = file.slice(rewrite.region);
    let new = rewrite.content.as_str();
    let prefix = common_prefix(old, new);
    let prefix = old[..prefix].rfind('\n').map_or(0, |newline| newline + 1);
    let suffix = common_suffix(&old[prefix..], &new[prefix..]);
    let shared = &old[old.len() - suffix..];
    let suffix = shared.find(['\r', '\n']).map_or(0, |line_end| suffix - line_end);
    let span = Span::new(rewrite.region.start + prefix, rewrite.region.end - suffix);
    let start = file.position(span.start);
    let end = file.position(span.end);
    Edit {
        span,
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        content: new[prefix..new.len() - suffix].to_string(),
    }
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((index, _), _)| index)
}

fn common_suffix(a: &str, b: &str) -> usize {
    let mut length = 0;
    for (x, y) in a.chars().rev().zip(b.chars().rev()) {
        if x != y {
            break;
        }
        length += x.len_utf8();
    }
    length
}

fn blocked_reason(file: &SourceFile, facts: &FileFacts) -> Option<String> {
    if file.language() != crate::language::Language::Python {
        return Some("fix rewrites Python imports only; Rust `use` items are left as they are".to_string());
    }
    if let Some(offset) = file.invalid_utf8_at {
        let position = file.position(offset);
        return Some(format!("not valid UTF-8 (line {}, column {})", position.line, position.column));
    }
    facts.syntax_error.map(|span| {
        let position = file.position(span.start);
        format!("syntax error at line {}, column {}", position.line, position.column)
    })
}

/// Which findings sit on which span: the fix only touches what the lint run reported.
struct Marks {
    by_span: HashMap<Span, Vec<(RuleId, bool)>>,
}

impl Marks {
    fn new(findings: &[Finding]) -> Self {
        let mut by_span: HashMap<Span, Vec<(RuleId, bool)>> = HashMap::new();
        for finding in findings.iter().filter(|finding| is_import_rule(finding.rule)) {
            by_span.entry(finding.span).or_default().push((finding.rule, finding.suppressed));
        }
        Marks { by_span }
    }

    /// `Some(suppressed)` when a name-level import finding sits on `span`.
    fn name_finding(&self, span: Span) -> Option<bool> {
        let marks = self.by_span.get(&span)?;
        let mut found = marks.iter().filter(|(rule, _)| *rule == NON_CANONICAL || *rule == COMPAT).peekable();
        found.peek()?;
        Some(found.any(|(_, suppressed)| *suppressed))
    }

    fn unsuppressed_deprecated(&self, span: Span) -> bool {
        self.by_span.get(&span).is_some_and(|marks| {
            marks.iter().any(|(rule, suppressed)| *rule == DEPRECATED_MODULE && !suppressed)
        })
    }
}

/// The canonical module a name moves to, or `None` when it stays.
#[allow(clippy::too_many_arguments)]
fn home_of(
    file: &SourceFile,
    config: &Config,
    module: &str,
    from: &FromImport,
    name: &crate::facts::ImportedName,
    marks: &Marks,
    modules: &dyn ModuleFacts,
    left: &mut Vec<Left>,
) -> Option<String> {
    let entry = config.registry_entry(&name.name)?;
    if entry.module == module {
        return None;
    }
    let wanted = match marks.name_finding(name.span) {
        Some(suppressed) => !suppressed,
        None => marks.unsuppressed_deprecated(from.module_span),
    };
    if !wanted {
        return None;
    }
    if entry.module == file.module {
        left.push(Left {
            span: name.span,
            symbol: name.name.clone(),
            reason: format!("its canonical module {} is this file", entry.module),
        });
        return None;
    }
    if let Some(reason) = modules.refuse(module, &name.name, &entry.module) {
        left.push(Left { span: name.span, symbol: name.name.clone(), reason });
        return None;
    }
    Some(entry.module.clone())
}

/// Names of one statement that share a home (`None`: the original module).
struct Group<'a> {
    home: Option<&'a str>,
    items: Vec<usize>,
}

fn groups(homes: &[Option<String>]) -> Vec<Group<'_>> {
    let mut groups: Vec<Group> = Vec::new();
    for (index, home) in homes.iter().enumerate() {
        let home = home.as_deref();
        match groups.iter_mut().find(|group| group.home == home) {
            Some(group) => group.items.push(index),
            None => groups.push(Group { home, items: vec![index] }),
        }
    }
    groups
}

/// The rewrite of one statement, or `None` when it cannot be done without losing a comment.
fn rewrite(text: &str, import: &Import, from: &FromImport, homes: &[Option<String>]) -> Option<Rewrite> {
    let statement = import.statement;
    let groups = groups(homes);
    let base = groups.iter().position(|group| group.home.is_none()).unwrap_or(0);
    let layout = Layout::of(text, statement, from);
    let eol = line_ending(text, statement.start);
    let indent = &text[line_start(text, statement.start)..statement.start];
    // An import that shares its logical line with other code (`if x: from a import b`, or
    // `if x: \` and the import on the next line) is split with `;`: a new line would change the
    // block structure.
    let line = line_start(text, statement.start);
    let separator = if is_horizontal_space(indent) && !continues_previous_line(text, line) {
        format!("{eol}{indent}")
    } else {
        "; ".to_string()
    };
    // The trailing comment stays on the line of the base statement: when that is not the last
    // statement emitted, the comment is moved (and so replaced) along with it.
    let carried = trailing_comment(text, statement.end).filter(|_| base + 1 != groups.len());

    let mut parts = Vec::with_capacity(groups.len());
    for (index, group) in groups.iter().enumerate() {
        if index != base {
            parts.push(layout.fresh(text, from, group, eol));
            continue;
        }
        let mut part = layout.base(text, statement, from, group)?;
        if let Some(comment) = carried {
            part.push_str(&text[comment.start..comment.end]);
        }
        parts.push(part);
    }
    let end = carried.map_or(statement.end, |comment| comment.end);
    let moved = from
        .names
        .iter()
        .zip(homes)
        .filter_map(|(name, home)| {
            home.as_ref().map(|home| Moved { span: name.span, symbol: name.name.clone(), home: home.clone() })
        })
        .collect();
    Some(Rewrite {
        region: Span::new(statement.start, end),
        content: parts.join(&separator),
        moved,
        module_span: from.module_span,
        module_emptied: groups.iter().all(|group| group.home.is_some()),
    })
}

/// How the names of a statement are laid out.
enum Layout {
    /// Parenthesised, one name per line, optional comma and comment after it; blank and comment
    /// lines between them. Names move with their lines (leading comment lines included).
    Lines(LineLayout),
    /// Anything else (one line, backslash continuations, several names per line).
    Inline,
}

struct LineLayout {
    /// End of the line holding `(`, after its line ending.
    opening_end: usize,
    /// Per name: its leading blank/comment lines and its own line, line endings included.
    blocks: Vec<Span>,
    /// Whether each name's line has its comma.
    has_comma: Vec<bool>,
    /// End of each name (`A as B`), where a missing comma goes.
    name_ends: Vec<usize>,
    /// Blank/comment lines after the last name.
    tail: Span,
    /// Start of the line holding `)`.
    closing_start: usize,
}

impl Layout {
    fn of(text: &str, statement: Span, from: &FromImport) -> Layout {
        match line_layout(text, statement, from) {
            Some(lines) => Layout::Lines(lines),
            None => Layout::Inline,
        }
    }

    /// The original statement with only `group`'s names, and its module replaced when the
    /// group moves. `None` when a comment would be lost.
    fn base(&self, text: &str, statement: Span, from: &FromImport, group: &Group) -> Option<String> {
        let module_start = from.module_span.start;
        let mut out = text[statement.start..module_start].to_string();
        let after_module = from.module_span.end;
        match group.home {
            Some(home) => push_module(&mut out, home, &text[after_module..]),
            None => out.push_str(&text[module_start..after_module]),
        }
        match self {
            Layout::Lines(lines) => {
                out.push_str(&text[after_module..lines.opening_end]);
                lines.push_blocks(text, &group.items, false, &mut out);
                out.push_str(&text[lines.tail.start..lines.tail.end]);
                out.push_str(&text[lines.closing_start..statement.end]);
            }
            Layout::Inline => {
                let names = &from.names;
                let first = names.first()?.item_span.start;
                out.push_str(&text[after_module..first]);
                let last_kept = *group.items.last()?;
                for (index, name) in names.iter().enumerate() {
                    let separator_end =
                        names.get(index + 1).map_or(statement.end, |next| next.item_span.start);
                    let separator = &text[name.item_span.end..separator_end];
                    let kept = group.items.contains(&index);
                    if kept {
                        out.push_str(&text[name.item_span.start..name.item_span.end]);
                    }
                    let keeps_separator = (kept && index != last_kept) || index + 1 == names.len();
                    if keeps_separator {
                        out.push_str(separator);
                    } else if separator.contains('#') {
                        return None;
                    }
                }
            }
        }
        Some(out)
    }

    /// A new statement importing `group`'s names from their home, in the original's style.
    fn fresh(&self, text: &str, from: &FromImport, group: &Group, eol: &str) -> String {
        let home = group.home.unwrap_or_default();
        match self {
            Layout::Lines(lines) => {
                let mut out = format!("from {home} import ({eol}");
                lines.push_blocks(text, &group.items, true, &mut out);
                let closing = &text[lines.closing_start..];
                let indent_length = closing.len() - closing.trim_start_matches([' ', '\t']).len();
                out.push_str(&closing[..indent_length]);
                out.push(')');
                out
            }
            Layout::Inline => {
                let items: Vec<&str> = group
                    .items
                    .iter()
                    .filter_map(|&index| from.names.get(index))
                    .map(|name| &text[name.item_span.start..name.item_span.end])
                    .collect();
                let items = items.join(", ");
                if from.parenthesized {
                    format!("from {home} import ({items})")
                } else {
                    format!("from {home} import {items}")
                }
            }
        }
    }
}

impl LineLayout {
    /// Appends the blocks of `items`, adding the comma a name needs when another follows it.
    /// `fresh`: a new statement, where the blank lines that separated names are left out.
    fn push_blocks(&self, text: &str, items: &[usize], fresh: bool, out: &mut String) {
        for (position, &index) in items.iter().enumerate() {
            let mut block = self.blocks[index];
            if fresh {
                block.start = skip_blank_lines(text, block.start, self.name_ends[index]);
            }
            let needs_comma = !self.has_comma[index] && position + 1 != items.len();
            let block_text = &text[block.start..block.end];
            if needs_comma {
                let name_end = self.name_ends[index] - block.start;
                out.push_str(&block_text[..name_end]);
                out.push(',');
                out.push_str(&block_text[name_end..]);
            } else {
                out.push_str(block_text);
            }
        }
    }
}

/// The line layout of a parenthesised multi-line statement, if it has one.
fn line_layout(text: &str, statement: Span, from: &FromImport) -> Option<LineLayout> {
    if !from.parenthesized || from.names.is_empty() {
        return None;
    }
    let first = from.names.first()?.item_span.start;
    let open = from.module_span.end + text.get(from.module_span.end..first)?.find('(')?;
    if !is_blank_or_comment(&text[open + 1..line_end(text, open)]) {
        return None;
    }
    let close = statement.end.checked_sub(1)?;
    if text.as_bytes().get(close) != Some(&b')') {
        return None;
    }
    let closing_start = line_start(text, close);
    if !is_horizontal_space(&text[closing_start..close]) {
        return None;
    }
    let opening_end = next_line(text, open);
    let mut cursor = opening_end;
    let mut layout = LineLayout {
        opening_end,
        blocks: Vec::new(),
        has_comma: Vec::new(),
        name_ends: Vec::new(),
        tail: Span::default(),
        closing_start,
    };
    for name in &from.names {
        let item = name.item_span;
        let start = line_start(text, item.start);
        let own_line = start >= cursor && is_horizontal_space(&text[start..item.start]);
        if !own_line || !only_comment_lines(text, cursor, start) || text[item.start..item.end].contains('\n')
        {
            return None;
        }
        let has_comma = name_line_rest(&text[item.end..line_end(text, item.end)])?;
        let end = next_line(text, item.end);
        if end > closing_start {
            return None;
        }
        layout.blocks.push(Span::new(cursor, end));
        layout.has_comma.push(has_comma);
        layout.name_ends.push(item.end);
        cursor = end;
    }
    if !only_comment_lines(text, cursor, closing_start) {
        return None;
    }
    layout.tail = Span::new(cursor, closing_start);
    Some(layout)
}

/// What may follow a name on its own line: spaces, one comma, spaces, a comment.
/// `Some(has_comma)` when that is all there is.
fn name_line_rest(rest: &str) -> Option<bool> {
    let rest = rest.trim_start_matches([' ', '\t']);
    let (has_comma, rest) = match rest.strip_prefix(',') {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    is_blank_or_comment(rest).then_some(has_comma)
}

/// True when every line in `[start, end)` is blank or a comment.
fn only_comment_lines(text: &str, start: usize, end: usize) -> bool {
    text.get(start..end).is_some_and(|lines| lines.split('\n').all(is_blank_or_comment))
}

fn is_blank_or_comment(line: &str) -> bool {
    let line = line.trim_start_matches([' ', '\t']).trim_end_matches('\r');
    line.is_empty() || line.starts_with('#')
}

fn is_horizontal_space(text: &str) -> bool {
    text.bytes().all(|byte| byte == b' ' || byte == b'\t')
}

/// Appends the absolute module `home` in place of a relative one. Dots may touch the keywords
/// (`from.x import y`, `from .import y`) but a name may not, so a space is added where the
/// original had none (found by fuzzing).
fn push_module(out: &mut String, home: &str, after: &str) {
    if !out.ends_with(char::is_whitespace) {
        out.push(' ');
    }
    out.push_str(home);
    if !after.starts_with(char::is_whitespace) {
        out.push(' ');
    }
}

/// `[statement end, comment end)` when only spaces and a comment follow the statement on its line.
fn trailing_comment(text: &str, end: usize) -> Option<Span> {
    let line_end = line_end(text, end);
    let rest = text.get(end..line_end)?.trim_end_matches('\r');
    let comment = rest.trim_start_matches([' ', '\t']);
    comment.starts_with('#').then(|| Span::new(end, end + rest.len()))
}

/// True when the line starting at `line_start` continues the previous one (a `\` ends it).
fn continues_previous_line(text: &str, line_start: usize) -> bool {
    let before = &text[..line_start];
    let before = before.strip_suffix('\n').unwrap_or(before);
    let before = before.strip_suffix('\r').unwrap_or(before);
    line_start > 0 && before.ends_with('\\')
}

/// Start of the line holding `offset`.
fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |index| index + 1)
}

/// Offset of the `\n` ending the line holding `offset` (or the end of the text).
fn line_end(text: &str, offset: usize) -> usize {
    text[offset..].find('\n').map_or(text.len(), |index| offset + index)
}

/// Start of the line after the one holding `offset` (or the end of the text).
fn next_line(text: &str, offset: usize) -> usize {
    (line_end(text, offset) + 1).min(text.len())
}

/// The line ending used at `offset`: that of its own line, else the file's first, else `\n`.
fn line_ending(text: &str, offset: usize) -> &'static str {
    let newline = text[offset..].find('\n').map(|index| offset + index).or_else(|| text.find('\n'));
    match newline {
        Some(index) if index > 0 && text.as_bytes()[index - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The start of the first line in `[start, limit)` that is not blank.
fn skip_blank_lines(text: &str, mut start: usize, limit: usize) -> usize {
    while start < limit {
        let end = next_line(text, start);
        if end > limit || !text[start..end].trim().is_empty() {
            break;
        }
        start = end;
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::lint;
    use crate::settings::Settings;
    use crate::walk::{module_for, FileEntry};

    const CONFIG: &str = r#"
[[registry]]
symbol = "Manager"
module = "app.core.manager"
compat = ["app.compat"]

[[registry]]
symbol = "Context"
module = "app.services.context"

[[deprecated-module]]
module = "app.old"
"#;

    struct Fixed {
        text: String,
        plan: FilePlan,
        findings: Vec<Finding>,
    }

    /// Lints `source` as `rel_path` in a project with `CONFIG`, then plans and applies the fix.
    fn fix_source(rel_path: &str, source: &[u8]) -> Fixed {
        let dir = tempfile::tempdir().unwrap();
        let config_path = dir.path().join("ssot-lint.toml");
        std::fs::write(&config_path, CONFIG).unwrap();
        let path = dir.path().join(rel_path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, source).unwrap();
        let root = dir.path().canonicalize().unwrap();
        let config =
            crate::config::load(Some(&config_path), &root, std::slice::from_ref(&root)).unwrap().config;
        let entry = FileEntry { rel_path: rel_path.to_string(), path };
        let settings = Settings::new(config);
        let findings = lint(&settings, &[entry]).findings;
        let config = settings.config;
        let (module, is_package) = module_for(&config, rel_path);
        let file = SourceFile::new(rel_path.to_string(), module, is_package, source.to_vec());
        let facts = crate::lang::python::extract(&file);
        let plan = plan(&file, &facts, &config, &findings);
        Fixed { text: apply(&file.text, &plan.rewrites), plan, findings }
    }

    fn fixed(source: &str) -> String {
        fix_source("app/user.py", source.as_bytes()).text
    }

    #[test]
    fn one_home_replaces_only_the_module() {
        assert_eq!(
            fixed("from app import Manager as M  # hi\n"),
            "from app.core.manager import Manager as M  # hi\n"
        );
    }

    #[test]
    fn the_edit_covers_the_lines_that_change() {
        let result = fix_source("app/user.py", "x = 1\nfrom app import Manager\n".as_bytes());
        let finding = result.findings.iter().find(|finding| finding.rule == NON_CANONICAL).unwrap();
        let fix = finding.fix.as_ref().expect("fixable");
        assert_eq!(fix.message, "import Manager from app.core.manager");
        let edit = &fix.edits[0];
        assert_eq!((edit.line, edit.column, edit.end_line, edit.end_column), (2, 1, 2, 24));
        assert_eq!(edit.content, "from app.core.manager import Manager");

        let source = "from app import (\r\n    helper,\r\n    Manager,\r\n)\r\n";
        let result = fix_source("app/user.py", source.as_bytes());
        let edit = &result.findings.iter().find_map(|finding| finding.fix.as_ref()).unwrap().edits[0];
        assert_eq!((edit.line, edit.column, edit.end_line, edit.end_column), (3, 1, 3, 13));
        assert_eq!(edit.content, ")\r\nfrom app.core.manager import (\r\n    Manager,");
    }

    #[test]
    fn names_are_split_by_home_in_order() {
        assert_eq!(
            fixed("from app import Context, helper, Manager as M\n"),
            "from app.services.context import Context\nfrom app import helper\nfrom app.core.manager import Manager as M\n"
        );
    }

    #[test]
    fn names_sharing_a_home_stay_together() {
        assert_eq!(
            fixed("from app.compat import Manager, Context as C, Manager as M2\n"),
            "from app.core.manager import Manager, Manager as M2\nfrom app.services.context import Context as C\n"
        );
    }

    #[test]
    fn crlf_and_indentation_are_kept() {
        assert_eq!(
            fixed("def f():\r\n    from app import helper, Manager\r\n"),
            "def f():\r\n    from app import helper\r\n    from app.core.manager import Manager\r\n"
        );
        assert_eq!(
            fixed("def f():\n\tfrom app import Manager, helper\n"),
            "def f():\n\tfrom app.core.manager import Manager\n\tfrom app import helper\n"
        );
    }

    #[test]
    fn a_statement_sharing_its_line_is_split_with_semicolons() {
        assert_eq!(
            fixed("if True: from app import Manager, helper\n"),
            "if True: from app.core.manager import Manager; from app import helper\n"
        );
    }

    #[test]
    fn a_statement_continuing_a_compound_header_is_split_with_semicolons() {
        assert_eq!(
            fixed("if True: \\\n    from app import Manager, x\n"),
            "if True: \\\n    from app.core.manager import Manager; from app import x\n"
        );
        assert_eq!(
            fixed("if True: \\\r\n    from app import x, Manager\r\n"),
            "if True: \\\r\n    from app import x; from app.core.manager import Manager\r\n"
        );
    }

    #[test]
    fn backslash_continuations_are_joined() {
        assert_eq!(
            fixed("from app import Manager, \\\n    helper\n"),
            "from app.core.manager import Manager\nfrom app import helper\n"
        );
    }

    #[test]
    fn one_line_parentheses_and_trailing_commas() {
        assert_eq!(
            fixed("from app import (helper, Manager,)\n"),
            "from app import (helper,)\nfrom app.core.manager import (Manager)\n"
        );
    }

    #[test]
    fn a_file_without_final_newline() {
        assert_eq!(
            fixed("from app import helper, Manager"),
            "from app import helper\nfrom app.core.manager import Manager"
        );
    }

    #[test]
    fn a_comment_between_names_leaves_the_statement() {
        let result = fix_source("app/user.py", b"from app import (Manager,  # why\n    helper)\n");
        assert!(result.plan.rewrites.is_empty());
        assert_eq!(result.plan.left.len(), 1);
        assert!(result.plan.left[0].reason.contains("comment"), "{:?}", result.plan.left);
        assert!(result.findings.iter().all(|finding| finding.fix.is_none()));
    }

    #[test]
    fn a_comment_after_the_last_name_is_fine() {
        assert_eq!(
            fixed("from app import (helper, Manager  # why\n)\n"),
            "from app import (helper  # why\n)\nfrom app.core.manager import (Manager)\n"
        );
    }

    #[test]
    fn the_canonical_module_itself_is_not_rewritten() {
        let result = fix_source("app/core/manager.py", b"from app.legacy import Manager\n");
        assert!(result.plan.rewrites.is_empty());
        assert_eq!(result.plan.left[0].symbol, "Manager");
        assert!(result.plan.left[0].reason.contains("is this file"));
    }

    #[test]
    fn relative_imports_become_absolute_only_for_moved_names() {
        assert_eq!(
            fixed("from .sub import helper, Manager\nfrom .core.manager import Manager as Home\n"),
            "from .sub import helper\nfrom app.core.manager import Manager\nfrom .core.manager import Manager as Home\n"
        );
    }

    #[test]
    fn deprecated_module_gets_a_fix_only_when_emptied() {
        let result =
            fix_source("app/user.py", b"from app.old import Manager\nfrom app.old import Context, helper\n");
        assert_eq!(result.text, "from app.core.manager import Manager\nfrom app.services.context import Context\nfrom app.old import helper\n");
        let deprecated: Vec<bool> = result
            .findings
            .iter()
            .filter(|finding| finding.rule == DEPRECATED_MODULE)
            .map(|finding| finding.fix.is_some())
            .collect();
        assert_eq!(deprecated, vec![true, false]);
    }

    #[test]
    fn suppressed_names_stay() {
        assert_eq!(
            fixed("from app import Manager, helper  # ssot: ignore\nfrom app import Context  # ssot: ignore[compat-import]\n"),
            "from app import Manager, helper  # ssot: ignore\nfrom app.services.context import Context  # ssot: ignore[compat-import]\n"
        );
        assert_eq!(
            fixed("# ssot: ignore-file\nfrom app import Manager\n"),
            "# ssot: ignore-file\nfrom app import Manager\n"
        );
    }

    #[test]
    fn star_imports_and_unknown_names_are_untouched() {
        let source = "from app import *\nfrom app import helper\nimport app.old\n";
        assert_eq!(fixed(source), source);
    }

    #[test]
    fn broken_files_are_blocked() {
        let syntax = fix_source("app/user.py", b"from app import Manager\ndef f(:\n    pass\n");
        assert_eq!(syntax.plan.blocked.as_deref(), Some("syntax error at line 2, column 7"));
        assert!(syntax.plan.rewrites.is_empty());
        let bytes = fix_source("app/user.py", b"from app import Manager\nx = '\xff'\n");
        assert_eq!(bytes.plan.blocked.as_deref(), Some("not valid UTF-8 (line 2, column 6)"));
    }

    #[test]
    fn fixing_twice_changes_nothing() {
        let sources = [
            "from app import Context, helper, Manager as M\n",
            "from app import (\n    Manager,  # m\n    helper,\n)\n",
            "if x: from app import helper, Manager\n",
        ];
        for source in sources {
            let once = fixed(source);
            assert_ne!(once, source);
            let twice = fix_source("app/user.py", once.as_bytes());
            assert!(twice.plan.rewrites.is_empty(), "{once}");
        }
    }

    #[test]
    fn odd_layouts_still_parse_after_the_fix() {
        let sources = [
            "from app import (\n    Manager,\n    helper)\n",
            "from app import (Manager as M, helper,  # c\n)\n",
            "from app import (Manager, helper); x = 1\n",
            "from app import Manager as M, \\\n    helper, \\\n    Context\n",
            "try:\n    from app import (\n        helper,\n        Manager,\n    )\nexcept ImportError:\n    pass\n",
            "class A:\n    if True: from app import (\n        Manager,\n        helper,\n    )\n",
            "from  app  import  helper ,  Manager  as  M\n",
        ];
        for source in sources {
            let result = fix_source("app/user.py", source.as_bytes());
            assert_ne!(result.text, source, "{source}");
            let file = SourceFile::from_text("app/user.py", "app.user", false, &result.text);
            let facts = crate::lang::python::extract(&file);
            assert_eq!(facts.syntax_error, None, "{}", result.text);
        }
    }

    #[test]
    fn common_affixes_respect_char_boundaries() {
        assert_eq!(common_prefix("héllo", "hé!"), 3);
        assert_eq!(common_prefix("abc", "abc"), 3);
        assert_eq!(common_suffix("aé", "bé"), 2);
        assert_eq!(common_suffix("", "x"), 0);
    }
}
