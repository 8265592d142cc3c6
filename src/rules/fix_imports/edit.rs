//! Text surgery: the new text of an import statement, and applying byte edits.

use super::{Moved, Rewrite};
use crate::facts::{FromImport, Import, Span};
use crate::finding::Edit;
use crate::source::SourceFile;

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

pub(super) fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((index, _), _)| index)
}

pub(super) fn common_suffix(a: &str, b: &str) -> usize {
    let mut length = 0;
    for (x, y) in a.chars().rev().zip(b.chars().rev()) {
        if x != y {
            break;
        }
        length += x.len_utf8();
    }
    length
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
pub(super) fn rewrite(
    text: &str,
    import: &Import,
    from: &FromImport,
    homes: &[Option<String>],
) -> Option<Rewrite> {
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
