//! The Python front end: tree-sitter-python tree -> `FileFacts`.
//!
//! One parser per thread, reused. Comments are found first by a small scanner
//! (`comments`), which fills the suppressions and blanks the comment bytes before parsing.
//! The tree is walked once, iteratively, with a `TreeCursor`: no recursion, so pathological
//! nesting cannot overflow the stack.

pub mod chunks;
pub(crate) mod comments;
mod fallback;
#[cfg(test)]
mod tests;

use std::cell::RefCell;
use std::fmt;
use std::ops::ControlFlow;
use std::sync::OnceLock;
use std::time::Duration;

use tree_sitter::{Language, Node, ParseOptions, ParseState, Parser, Point, Tree};

use crate::facts::{
    Argument, Assignment, Call, Chain, Definition, DefinitionKind, FileFacts, FromImport, Import, ImportKind,
    ImportedName, ModuleImport, Span,
};
use crate::source::SourceFile;

/// The parse went over its time budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseTimeout;

impl fmt::Display for ParseTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("parsing took longer than the time budget")
    }
}

impl std::error::Error for ParseTimeout {}

/// When a parse must stop: a point in the parsing thread's own CPU time, so a loaded machine
/// (CI runners share cores) does not change which files go over the budget. Where there is no
/// per-thread CPU clock, wall-clock time.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Deadline(Duration);

impl Deadline {
    pub(crate) fn after(budget: Duration) -> Self {
        Deadline(thread_time() + budget)
    }

    fn passed(self) -> bool {
        thread_time() >= self.0
    }
}

#[cfg(unix)]
fn thread_time() -> Duration {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `now` is a valid, writable timespec; CLOCK_THREAD_CPUTIME_ID exists on every unix
    // this builds for. On failure `now` stays zero, which only makes the budget more lenient.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    Duration::new(u64::try_from(now.tv_sec).unwrap_or(0), u32::try_from(now.tv_nsec).unwrap_or(0))
}

#[cfg(not(unix))]
fn thread_time() -> Duration {
    static START: OnceLock<std::time::Instant> = OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Parse `file.text` with tree-sitter-python and produce language-free facts.
/// `budget`: optional wall-clock limit for the parse; over it, `Err(ParseTimeout)`.
pub fn extract(file: &SourceFile, budget: Option<Duration>) -> Result<FileFacts, ParseTimeout> {
    let deadline = budget.map(Deadline::after);
    let comments = comments::scan(file.text.as_bytes());
    extract_with_comments(file, deadline, &comments)
}

/// Like `extract`, but parses only the byte ranges `keep` (whole top-level statements, see
/// `chunks`); everything else is blanked to spaces, offsets unchanged. When that partial text
/// does not parse cleanly, the whole file is parsed instead, so a cut in the wrong place or a
/// syntax error gives exactly what `extract` gives.
pub fn extract_regions(
    file: &SourceFile,
    budget: Option<Duration>,
    keep: &[(usize, usize)],
) -> Result<FileFacts, ParseTimeout> {
    let deadline = budget.map(Deadline::after);
    let comments = comments::scan(file.text.as_bytes());
    let blanked = comments::blank(file.text.as_bytes(), &comments);
    let ranges = included_ranges(file.text.as_bytes(), keep);
    let tree = PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let parser = slot.get_or_insert_with(new_parser);
        // The parser reads only the kept statements; the lexer jumps over the rest (much
        // cheaper than lexing it as blanks). Offsets and points stay the file's own.
        if parser.set_included_ranges(&ranges).is_err() {
            return Ok(None);
        }
        let tree = parse(parser, &blanked, deadline);
        let _ = parser.set_included_ranges(&[]);
        tree.map(Some)
    })?;
    let Some(tree) = tree.filter(|tree| !tree.root_node().has_error()) else {
        return extract_with_comments(file, deadline, &comments);
    };
    let mut walker = Walker::new(file, kinds());
    walker.walk(tree.root_node());
    let mut facts = walker.facts;
    facts.suppressions = comments::suppressions(&file.text, &comments);
    Ok(facts)
}

/// The facts the line-based fallback finds (imports and definitions), for a file whose parse
/// went over its budget. See `fallback`.
pub fn extract_fallback(file: &SourceFile, budget: Option<Duration>) -> FileFacts {
    let comments = comments::scan(file.text.as_bytes());
    let mut facts = fallback::extract(file, budget);
    facts.suppressions = comments::suppressions(&file.text, &comments);
    facts
}

/// Sorted, disjoint byte ranges as tree-sitter ranges (points: row and byte column).
fn included_ranges(text: &[u8], keep: &[(usize, usize)]) -> Vec<tree_sitter::Range> {
    let mut row = 0;
    let mut line_start = 0;
    let mut scanned = 0;
    let mut point = |offset: usize| {
        let offset = offset.min(text.len()).max(scanned);
        for (index, &byte) in text[scanned..offset].iter().enumerate() {
            if byte == b'\n' {
                row += 1;
                line_start = scanned + index + 1;
            }
        }
        scanned = offset;
        Point { row, column: offset - line_start }
    };
    keep.iter()
        .map(|&(start, end)| {
            let start_point = point(start);
            let end_point = point(end);
            tree_sitter::Range { start_byte: start, end_byte: end, start_point, end_point }
        })
        .collect()
}

fn extract_with_comments(
    file: &SourceFile,
    deadline: Option<Deadline>,
    comments: &[comments::Comment],
) -> Result<FileFacts, ParseTimeout> {
    let original = file.text.as_bytes();
    let suppressions = comments::suppressions(&file.text, comments);

    let tree = PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let parser = slot.get_or_insert_with(new_parser);
        if comments.is_empty() {
            return parse(parser, original, deadline);
        }
        let blanked = comments::blank(original, comments);
        let tree = parse(parser, &blanked, deadline)?;
        if tree.root_node().has_error() {
            // Safety net: a scanner mistake must never create a syntax error.
            parse(parser, original, deadline)
        } else {
            Ok(tree)
        }
    })?;

    let mut walker = Walker::new(file, kinds());
    walker.walk(tree.root_node());
    let mut facts = walker.facts;
    facts.suppressions = suppressions;
    Ok(facts)
}

fn language() -> Language {
    tree_sitter_python::LANGUAGE.into()
}

fn new_parser() -> Parser {
    let mut parser = Parser::new();
    parser.set_language(&language()).expect("tree-sitter-python is compatible with the linked tree-sitter");
    parser
}

fn parse(parser: &mut Parser, text: &[u8], deadline: Option<Deadline>) -> Result<Tree, ParseTimeout> {
    let mut input = |offset: usize, _: Point| -> &[u8] { text.get(offset..).unwrap_or(&[]) };
    let tree = match deadline {
        None => parser.parse_with_options(&mut input, None, None),
        Some(deadline) => {
            let mut progress = |_: &ParseState| {
                if deadline.passed() {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            };
            let options = ParseOptions::new().progress_callback(&mut progress);
            parser.parse_with_options(&mut input, None, Some(options))
        }
    };
    match tree {
        Some(tree) => Ok(tree),
        None => {
            // A cancelled parse would otherwise resume on the next call.
            parser.reset();
            Err(ParseTimeout)
        }
    }
}

/// Node kind and field ids, looked up once.
struct Kinds {
    import_statement: u16,
    import_from_statement: u16,
    future_import_statement: u16,
    aliased_import: u16,
    dotted_name: u16,
    relative_import: u16,
    import_prefix: u16,
    wildcard_import: u16,
    class_definition: u16,
    function_definition: u16,
    assignment: u16,
    attribute: u16,
    call: u16,
    identifier: u16,
    parenthesized_expression: u16,
    argument_list: u16,
    generator_expression: u16,
    keyword_argument: u16,
    list_splat: u16,
    dictionary_splat: u16,
    string: u16,
    string_start: u16,
    string_end: u16,
    interpolation: u16,
    comment: u16,
    open_paren: u16,
    field_name: u16,
    field_alias: u16,
    field_module_name: u16,
    field_left: u16,
    field_right: u16,
    field_object: u16,
    field_attribute: u16,
    field_function: u16,
    field_arguments: u16,
    field_value: u16,
}

fn kinds() -> &'static Kinds {
    static KINDS: OnceLock<Kinds> = OnceLock::new();
    KINDS.get_or_init(|| {
        let language = language();
        let named = |kind: &str| language.id_for_node_kind(kind, true);
        let field = |name: &str| language.field_id_for_name(name).map_or(0, |id| id.get());
        Kinds {
            import_statement: named("import_statement"),
            import_from_statement: named("import_from_statement"),
            future_import_statement: named("future_import_statement"),
            aliased_import: named("aliased_import"),
            dotted_name: named("dotted_name"),
            relative_import: named("relative_import"),
            import_prefix: named("import_prefix"),
            wildcard_import: named("wildcard_import"),
            class_definition: named("class_definition"),
            function_definition: named("function_definition"),
            assignment: named("assignment"),
            attribute: named("attribute"),
            call: named("call"),
            identifier: named("identifier"),
            parenthesized_expression: named("parenthesized_expression"),
            argument_list: named("argument_list"),
            generator_expression: named("generator_expression"),
            keyword_argument: named("keyword_argument"),
            list_splat: named("list_splat"),
            dictionary_splat: named("dictionary_splat"),
            string: named("string"),
            string_start: named("string_start"),
            string_end: named("string_end"),
            interpolation: named("interpolation"),
            comment: named("comment"),
            open_paren: language.id_for_node_kind("(", false),
            field_name: field("name"),
            field_alias: field("alias"),
            field_module_name: field("module_name"),
            field_left: field("left"),
            field_right: field("right"),
            field_object: field("object"),
            field_attribute: field("attribute"),
            field_function: field("function"),
            field_arguments: field("arguments"),
            field_value: field("value"),
        }
    })
}

fn span(node: Node) -> Span {
    Span::new(node.start_byte(), node.end_byte())
}

/// An enclosing `class` or `def` during the walk.
struct Scope<'a> {
    node_id: usize,
    name: &'a str,
    is_class: bool,
}

struct Walker<'a> {
    file: &'a SourceFile,
    src: &'a str,
    k: &'static Kinds,
    facts: FileFacts,
    scopes: Vec<Scope<'a>>,
    /// Scratch buffer for chain segments (innermost last).
    segments: Vec<&'a str>,
    /// True while the tree has an error that has not been located yet.
    looking_for_error: bool,
    /// The chain of the next attribute node to be entered, already known from its parent
    /// (`a.b.c` gives `a.b` for its object): keeps deep chains from costing O(depth) each.
    pending: Option<(usize, String)>,
}

impl<'a> Walker<'a> {
    fn new(file: &'a SourceFile, k: &'static Kinds) -> Self {
        Walker {
            file,
            src: &file.text,
            k,
            facts: FileFacts::default(),
            scopes: Vec::new(),
            segments: Vec::new(),
            looking_for_error: false,
            pending: None,
        }
    }

    fn text(&self, node: Node) -> &'a str {
        self.src.get(node.start_byte()..node.end_byte()).unwrap_or("")
    }

    /// Pre-order walk with a cursor; `enter` says whether to descend.
    fn walk(&mut self, root: Node<'_>) {
        self.looking_for_error = root.has_error();
        let mut cursor = root.walk();
        loop {
            let node = cursor.node();
            if self.enter(node) && cursor.goto_first_child() {
                continue;
            }
            loop {
                self.leave(cursor.node());
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return;
                }
            }
        }
    }

    fn enter(&mut self, node: Node) -> bool {
        if self.looking_for_error && (node.is_error() || node.is_missing()) {
            let start = node.start_byte();
            let end = if node.is_missing() { start } else { node.end_byte() };
            self.facts.syntax_error = Some(Span::new(start, end));
            self.looking_for_error = false;
        }
        let k = self.k;
        let kind = node.kind_id();
        let descend = if kind == k.import_statement {
            self.module_import(node);
            false
        } else if kind == k.import_from_statement {
            self.import_from(node);
            false
        } else if kind == k.future_import_statement || kind == k.comment {
            false
        } else if kind == k.class_definition || kind == k.function_definition {
            self.definition(node, kind == k.class_definition);
            true
        } else if kind == k.assignment {
            self.assignment(node);
            true
        } else if kind == k.attribute {
            let dotted = match self.pending.take() {
                Some((id, dotted)) if id == node.id() => Some(dotted),
                _ => self.chain(node),
            };
            if let Some(dotted) = dotted {
                self.expect_object_chain(node, &dotted);
                self.facts.attributes.push(Chain { dotted, span: span(node) });
            }
            true
        } else if kind == k.call {
            self.call(node);
            true
        } else {
            true
        };
        // Still descend into skipped subtrees that hold the first error.
        descend || (self.looking_for_error && node.has_error())
    }

    fn leave(&mut self, node: Node) {
        if self.scopes.last().is_some_and(|scope| scope.node_id == node.id()) {
            self.scopes.pop();
        }
    }

    fn definition(&mut self, node: Node, is_class: bool) {
        let name_node = node.child_by_field_id(self.k.field_name);
        let name = name_node.map_or("", |name| self.text(name));
        if let Some(name_node) = name_node.filter(|_| !name.is_empty()) {
            let mut qualified_name = String::new();
            for scope in &self.scopes {
                qualified_name.push_str(scope.name);
                qualified_name.push('.');
            }
            qualified_name.push_str(name);
            self.facts.definitions.push(Definition {
                kind: if is_class { DefinitionKind::Class } else { DefinitionKind::Function },
                name: name.to_string(),
                qualified_name,
                span: span(name_node),
                is_method: !is_class && self.scopes.last().is_some_and(|scope| scope.is_class),
                top_level: self.scopes.is_empty(),
            });
        }
        self.scopes.push(Scope { node_id: node.id(), name, is_class });
    }

    fn assignment(&mut self, node: Node) {
        if !self.scopes.is_empty() || node.child_by_field_id(self.k.field_right).is_none() {
            return;
        }
        let Some(left) = node.child_by_field_id(self.k.field_left) else {
            return;
        };
        if left.kind_id() != self.k.identifier {
            return;
        }
        let name = self.text(left);
        if !name.is_empty() {
            self.facts.assignments.push(Assignment { name: name.to_string(), span: span(left) });
        }
    }

    /// SPEC 4.1: identifiers and attribute accesses only; anything else ends the chain
    /// (`a().b` -> `b`). Parentheses are transparent. `None` when there is no segment at all.
    fn chain(&mut self, node: Node) -> Option<String> {
        let k = self.k;
        self.segments.clear();
        let mut current = node;
        loop {
            let kind = current.kind_id();
            if kind == k.attribute {
                let attribute = current.child_by_field_id(k.field_attribute)?;
                let name = self.text(attribute);
                if name.is_empty() {
                    return None;
                }
                self.segments.push(name);
                match current.child_by_field_id(k.field_object) {
                    Some(object) => current = object,
                    None => break,
                }
            } else if kind == k.identifier {
                let name = self.text(current);
                if !name.is_empty() {
                    self.segments.push(name);
                }
                break;
            } else if kind == k.parenthesized_expression {
                match self.only_named_child(current) {
                    Some(inner) => current = inner,
                    None => break,
                }
            } else {
                break;
            }
        }
        if self.segments.is_empty() {
            return None;
        }
        let length = self.segments.iter().map(|s| s.len() + 1).sum::<usize>();
        let mut dotted = String::with_capacity(length);
        for (index, segment) in self.segments.iter().rev().enumerate() {
            if index > 0 {
                dotted.push('.');
            }
            dotted.push_str(segment);
        }
        Some(dotted)
    }

    /// Remembers the chain of `node`'s object (through parentheses) when it is an attribute:
    /// `dotted` minus its last segment.
    fn expect_object_chain(&mut self, node: Node, dotted: &str) {
        let k = self.k;
        let Some(mut object) = node.child_by_field_id(k.field_object) else {
            return;
        };
        while object.kind_id() == k.parenthesized_expression {
            match self.only_named_child(object) {
                Some(inner) => object = inner,
                None => return,
            }
        }
        if object.kind_id() == k.attribute {
            if let Some((prefix, _)) = dotted.rsplit_once('.') {
                self.pending = Some((object.id(), prefix.to_string()));
            }
        }
    }

    /// The single named, non-comment child of a parenthesized expression.
    fn only_named_child<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        let mut cursor = node.walk();
        let mut found = None;
        for child in node.named_children(&mut cursor) {
            if child.kind_id() == self.k.comment {
                continue;
            }
            if found.is_some() {
                return None;
            }
            found = Some(child);
        }
        found
    }

    fn call(&mut self, node: Node) {
        let k = self.k;
        let callee = node.child_by_field_id(k.field_function).and_then(|function| {
            let dotted = self.chain(function)?;
            if function.kind_id() == k.attribute {
                // The callee is the next attribute node entered.
                self.pending = Some((function.id(), dotted.clone()));
            }
            Some(Chain { dotted, span: span(function) })
        });
        let mut args = Vec::new();
        if let Some(arguments) = node.child_by_field_id(k.field_arguments) {
            let kind = arguments.kind_id();
            if kind == k.generator_expression {
                args.push(Argument {
                    position: Some(0),
                    keyword: None,
                    string_value: None,
                    span: span(arguments),
                });
            } else if kind == k.argument_list {
                let mut position = 0;
                let mut cursor = arguments.walk();
                for child in arguments.named_children(&mut cursor) {
                    let kind = child.kind_id();
                    if kind == k.comment || child.is_error() || child.is_missing() {
                        continue;
                    }
                    if kind == k.keyword_argument {
                        let keyword =
                            child.child_by_field_id(k.field_name).map(|name| self.text(name).to_string());
                        let value = child.child_by_field_id(k.field_value);
                        args.push(Argument {
                            position: None,
                            keyword,
                            string_value: value.and_then(|value| self.string_value(value)),
                            span: span(value.unwrap_or(child)),
                        });
                    } else if kind == k.list_splat || kind == k.dictionary_splat {
                        args.push(Argument {
                            position: None,
                            keyword: None,
                            string_value: None,
                            span: span(child),
                        });
                    } else {
                        args.push(Argument {
                            position: Some(position),
                            keyword: None,
                            string_value: self.string_value(child),
                            span: span(child),
                        });
                        position += 1;
                    }
                }
            }
        }
        self.facts.calls.push(Call { callee, span: span(node), args });
    }

    /// The raw content of a plain string literal: no f-/t-string, no interpolation, not an
    /// implicit concatenation. Prefix and quotes are stripped; escapes are left as written.
    fn string_value(&self, node: Node) -> Option<String> {
        let k = self.k;
        if node.kind_id() != k.string {
            return None;
        }
        let mut content_start = None;
        let mut content_end = node.end_byte();
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            let kind = child.kind_id();
            if kind == k.interpolation {
                return None;
            } else if kind == k.string_start {
                let prefix = self.text(child);
                if prefix.bytes().any(|b| matches!(b.to_ascii_lowercase(), b'f' | b't')) {
                    return None;
                }
                content_start = Some(child.end_byte());
            } else if kind == k.string_end {
                content_end = child.start_byte();
            }
        }
        let start = content_start?;
        self.src.get(start..content_end.max(start)).map(str::to_string)
    }

    /// `a.b.c` from a dotted_name node (identifiers joined, whatever the spacing).
    fn dotted_name(&self, node: Node) -> String {
        let mut name = String::new();
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            if child.kind_id() == self.k.identifier {
                if !name.is_empty() {
                    name.push('.');
                }
                name.push_str(self.text(child));
            }
        }
        name
    }

    /// `(name, name span, alias, item span)` of a `dotted_name` or `aliased_import`.
    fn import_item(&self, node: Node) -> Option<(String, Span, Option<String>, Span)> {
        let k = self.k;
        let kind = node.kind_id();
        if kind == k.dotted_name {
            Some((self.dotted_name(node), span(node), None, span(node)))
        } else if kind == k.aliased_import {
            let name = node.child_by_field_id(k.field_name)?;
            let alias = node
                .child_by_field_id(k.field_alias)
                .map(|alias| self.text(alias).to_string())
                .filter(|alias| !alias.is_empty());
            Some((self.dotted_name(name), span(name), alias, span(node)))
        } else {
            None
        }
    }

    fn module_import(&mut self, node: Node) {
        let mut items = Vec::new();
        let mut cursor = node.walk();
        if cursor.goto_first_child() {
            loop {
                if cursor.field_id().map(|id| id.get()) == Some(self.k.field_name) {
                    if let Some((module, span, alias, item_span)) = self.import_item(cursor.node()) {
                        if !module.is_empty() {
                            items.push(ModuleImport { module, span, alias, item_span });
                        }
                    }
                }
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        if !items.is_empty() {
            self.facts.imports.push(Import { statement: span(node), kind: ImportKind::Module(items) });
        }
    }

    fn import_from(&mut self, node: Node) {
        let k = self.k;
        let mut module_node = None;
        let mut names = Vec::new();
        let mut star = false;
        let mut parenthesized = false;
        let mut cursor = node.walk();
        if cursor.goto_first_child() {
            loop {
                let child = cursor.node();
                let field = cursor.field_id().map_or(0, |id| id.get());
                if field == k.field_module_name {
                    module_node = Some(child);
                } else if field == k.field_name {
                    if let Some((name, span, alias, item_span)) = self.import_item(child) {
                        if !name.is_empty() {
                            names.push(ImportedName { name, span, alias, item_span });
                        }
                    }
                } else if child.kind_id() == k.wildcard_import {
                    star = true;
                } else if child.kind_id() == k.open_paren {
                    parenthesized = true;
                }
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        let Some(module_node) = module_node else {
            return;
        };
        let (level, raw_module) = if module_node.kind_id() == k.relative_import {
            let mut level = 0;
            let mut raw_module = String::new();
            let mut cursor = module_node.walk();
            for child in module_node.named_children(&mut cursor) {
                if child.kind_id() == k.import_prefix {
                    level = self.text(child).bytes().filter(|&b| b == b'.').count();
                } else if child.kind_id() == k.dotted_name {
                    raw_module = self.dotted_name(child);
                }
            }
            (level, raw_module)
        } else {
            (0, self.dotted_name(module_node))
        };
        if level == 0 && (raw_module.is_empty() || raw_module == "__future__") {
            return;
        }
        let module = resolve(&self.file.module, self.file.is_package, level, &raw_module);
        self.facts.imports.push(Import {
            statement: span(node),
            kind: ImportKind::From(FromImport {
                level,
                raw_module,
                module,
                module_span: span(module_node),
                names,
                star,
                parenthesized,
            }),
        });
    }
}

/// The absolute module of `from <level dots><raw> import ...` in module `module`.
/// `None` when a relative import climbs above the top-level package.
fn resolve(module: &str, is_package: bool, level: usize, raw: &str) -> Option<String> {
    if level == 0 {
        return Some(raw.to_string());
    }
    let mut package =
        if is_package { module } else { module.rsplit_once('.').map_or("", |(parent, _)| parent) };
    for _ in 1..level {
        package = package.rsplit_once('.')?.0;
    }
    if package.is_empty() {
        return None;
    }
    let mut resolved = package.to_string();
    if !raw.is_empty() {
        resolved.push('.');
        resolved.push_str(raw);
    }
    Some(resolved)
}
