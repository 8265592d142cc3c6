//! The fallback for a file whose parse went over its time budget: a line-based scan.
//!
//! The file is cut into logical lines by the byte scanner of `chunks` (strings, comments,
//! brackets and continuations are known; no parse). Then:
//!
//! - each logical line that starts with `import` or `from` is parsed on its own (a statement
//!   is tiny, so this is fast whatever the rest of the file holds), giving the same import
//!   facts as a whole-file parse;
//! - each `class NAME` / `def NAME` / `async def NAME` header gives a definition, its enclosing
//!   classes and functions found from indentation;
//! - each column-0 `NAME = ...` / `NAME: T = ...` outside any definition gives a module-level
//!   assignment.
//!
//! Calls and attribute chains are not extracted, so `banned-pattern`, `unknown-event` and
//! `deprecated-factory-call` cannot fire in such a file, and neither can `syntax-error`.

use std::time::Duration;

use super::chunks::{self, LogicalLine};
use super::{kinds, new_parser, parse, Deadline, Walker, PARSER};
use crate::facts::{Assignment, Definition, DefinitionKind, FileFacts, Import, ImportKind, Span};
use crate::source::SourceFile;

struct Scope {
    column: usize,
    name: String,
    is_class: bool,
}

pub fn extract(file: &SourceFile, budget: Option<Duration>) -> FileFacts {
    let src = file.text.as_bytes();
    let layout = chunks::layout(src);
    let mut facts = FileFacts::default();
    let mut scopes: Vec<Scope> = Vec::new();
    for line in &layout.lines {
        let column = column_of(src, line.start);
        while scopes.last().is_some_and(|scope| scope.column >= column) {
            scopes.pop();
        }
        let text = &file.text[line.start..line.end];
        let word = first_word(text);
        match word {
            "import" | "from" => facts.imports.extend(parse_import(file, line, budget)),
            "class" | "def" | "async" => {
                if let Some((definition, is_class)) = definition(text, line.start, &scopes) {
                    scopes.push(Scope { column, name: definition.name.clone(), is_class });
                    facts.definitions.push(definition);
                }
            }
            _ if column == 0 && scopes.is_empty() => facts.assignments.extend(assignment(text, line.start)),
            _ => {}
        }
    }
    facts
}

fn column_of(src: &[u8], offset: usize) -> usize {
    let line_start =
        src[..offset].iter().rposition(|&byte| byte == b'\n' || byte == b'\r').map_or(0, |at| at + 1);
    offset - line_start
}

fn first_word(text: &str) -> &str {
    let end = text.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(text.len());
    &text[..end]
}

/// Parses one import statement on its own and moves its spans back into the file.
fn parse_import(file: &SourceFile, line: &LogicalLine, budget: Option<Duration>) -> Vec<Import> {
    let statement = &file.text[line.start..line.end];
    let piece = SourceFile::from_text(&file.rel_path, &file.module, file.is_package, statement);
    let deadline = budget.map(Deadline::after);
    let tree = PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let parser = slot.get_or_insert_with(new_parser);
        parse(parser, statement.as_bytes(), deadline).ok()
    });
    let Some(tree) = tree else { return Vec::new() };
    let mut walker = Walker::new(&piece, kinds());
    walker.walk(tree.root_node());
    let mut imports = walker.facts.imports;
    for import in &mut imports {
        shift_import(import, line.start);
    }
    imports
}

fn shift(span: &mut Span, by: usize) {
    span.start += by;
    span.end += by;
}

fn shift_import(import: &mut Import, by: usize) {
    shift(&mut import.statement, by);
    match &mut import.kind {
        ImportKind::Module(items) => {
            for item in items {
                shift(&mut item.span, by);
                shift(&mut item.item_span, by);
            }
        }
        ImportKind::From(from) => {
            shift(&mut from.module_span, by);
            for name in &mut from.names {
                shift(&mut name.span, by);
                shift(&mut name.item_span, by);
            }
        }
    }
}

/// `class NAME`, `def NAME` or `async def NAME` at the start of `text`.
fn definition(text: &str, start: usize, scopes: &[Scope]) -> Option<(Definition, bool)> {
    let (rest, offset) = match text.strip_prefix("async") {
        Some(rest) => {
            let trimmed = rest.trim_start();
            (trimmed, text.len() - trimmed.len())
        }
        None => (text, 0),
    };
    let is_class = first_word(rest) == "class";
    if !is_class && first_word(rest) != "def" {
        return None;
    }
    let keyword = if is_class { 5 } else { 3 };
    let after = &rest[keyword..];
    let name_text = after.trim_start();
    let name = first_word(name_text);
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let name_start = start + offset + keyword + (after.len() - name_text.len());
    let mut qualified_name = String::new();
    for scope in scopes {
        qualified_name.push_str(&scope.name);
        qualified_name.push('.');
    }
    qualified_name.push_str(name);
    let definition = Definition {
        kind: if is_class { DefinitionKind::Class } else { DefinitionKind::Function },
        name: name.to_string(),
        qualified_name,
        span: Span::new(name_start, name_start + name.len()),
        is_method: !is_class && scopes.last().is_some_and(|scope| scope.is_class),
        top_level: scopes.is_empty(),
    };
    Some((definition, is_class))
}

/// `NAME = ...` or `NAME: T = ...` (not `==`).
fn assignment(text: &str, start: usize) -> Option<Assignment> {
    let name = first_word(text);
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let rest = text[name.len()..].trim_start();
    let value = match rest.strip_prefix(':') {
        Some(annotated) => annotated.split_once('=').map(|(_, value)| value)?,
        None => rest.strip_prefix('=')?,
    };
    if value.starts_with('=') {
        return None;
    }
    Some(Assignment { name: name.to_string(), span: Span::new(start, start + name.len()) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_definitions_and_assignments_are_found_without_a_whole_parse() {
        let src = "import os\n# from x import y\nclass A:\n    def m(self):\n        from .b import (\n            C as D,\n        )\n\nasync def f():\n    pass\nX: int = 1\nY == 2\n";
        let file = SourceFile::from_text("pkg/mod.py", "pkg.mod", false, src);
        let facts = extract(&file, None);
        let full = super::super::extract(&file, None).unwrap();
        assert_eq!(facts.imports, full.imports);
        assert_eq!(facts.definitions, full.definitions);
        assert_eq!(facts.assignments, full.assignments);
        assert_eq!(facts.imports.len(), 2);
        let names: Vec<&str> = facts.definitions.iter().map(|d| d.qualified_name.as_str()).collect();
        assert_eq!(names, ["A", "A.m", "f"]);
    }
}
