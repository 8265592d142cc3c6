//! The Rust front end: syn's syntax tree → `FileFacts`, the same facts Python produces.
//!
//! - `use` trees become imports (`uses`), with `crate::`, `self::` and `super::` made absolute.
//! - `struct`, `enum`, `union`, `trait`, `type` (and trait aliases) are classes; `fn` items,
//!   methods in `impl` and `trait` blocks are functions, qualified `Type::method`; module-level
//!   `const` and `static` are assignments.
//! - Calls (`f(x)`, `a::b(x)`, `recv.method(x)`), their string literal arguments, and chains of
//!   paths and fields (`self.ctx.manager`, `Manager::create`) with `::` and `.` as written.
//! - Macros are opaque: syn keeps their bodies as tokens, so nothing inside `foo!(...)` counts.
//! - Comments (`// ssot: ignore[...]`) come from the text (`comments`): syn drops them.
//! - syn stops at the first syntax error: the file is then parsed item by item (`recover`), so
//!   only the item syn cannot parse is lost (and reported); bare trait objects of edition 2015
//!   (`Fn(u8) + Send`) are read as `dyn` ones.
//!
//! Positions: syn (proc-macro2 with `span-locations`) gives lines and char columns of the parsed
//! text (`Spans` turns them into byte offsets); the text handed to syn starts after a BOM or a
//! `#!` line, so its first line starts at `base`.

mod comments;
pub mod module;
mod recover;
mod resolve;
#[cfg(test)]
mod tests;
mod uses;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Expr, ExprField, ExprLit, Item, Lit, Member, Path, QSelf, Type};

use crate::facts::{Argument, Assignment, Call, Chain, Definition, DefinitionKind, FileFacts, Span};
use crate::source::SourceFile;
use crate::suppress;

pub use module::{module_name, module_name_with};

/// Stack for the parse and the walk. syn and the walk recurse once per nesting level, and a
/// rayon worker has 2 MiB; this is reserved address space, only the pages used are touched.
const STACK_SIZE: usize = 1 << 30;

/// Files whose nesting measure is at most this are parsed on the calling thread (a rayon worker
/// has a 2 MiB stack: 128 levels at the 7 KiB measured for the costliest construct fit with room
/// to spare); deeper ones get a thread of their own with `STACK_SIZE`. A fresh thread per file
/// cost about 15% of the CPU time (thread start, stack pages, allocator arenas: measured with
/// `scripts/bench-rust`), and most real files stay under this bound (the median is 67).
const INLINE_NESTING: usize = 128;

/// A deeper nesting measure (`comments::Scan::max_nesting`) is reported as a syntax error
/// instead of being parsed: far beyond real code, and within `STACK_SIZE` (the costliest
/// construct measured, nested blocks, takes about 7 KiB of stack per level in a debug build).
pub(crate) const MAX_NESTING: usize = 50_000;

/// How much of a file a syntax error hides, as its message ends.
const WHOLE_FILE: &str = "syn stops at the first error, so nothing else in this file is linted";
const ONE_ITEM: &str = "only the item that holds it is skipped, the rest of the file is linted";

/// Parse `file.text` with syn and produce language-free facts.
pub fn extract(file: &SourceFile) -> FileFacts {
    let scan = comments::scan(file.text.as_bytes());
    let mut facts = if scan.max_nesting > MAX_NESTING {
        too_deep(&file.text, scan.max_nesting_at)
    } else if scan.max_nesting <= INLINE_NESTING {
        parse_here(file)
    } else {
        on_big_stack(|| parse_and_walk(file)).unwrap_or_else(|| parser_crashed(&file.text))
    };
    facts.suppressions = suppress::parse(&file.text, &scan.comments);
    facts
}

/// Parses on the calling thread, then drops proc-macro2's thread-local source map (it keeps a
/// copy of every text parsed on the thread, and its 32-bit offsets would wrap after 4 GiB).
fn parse_here(file: &SourceFile) -> FileFacts {
    let facts =
        std::panic::catch_unwind(|| parse_and_walk(file)).unwrap_or_else(|_| parser_crashed(&file.text));
    // Every span of this parse is gone by now (the tree was dropped inside `parse_and_walk`).
    proc_macro2::extra::invalidate_current_thread_spans();
    facts
}

/// Runs `work` on a fresh thread with a large stack (a fresh thread also frees proc-macro2's
/// thread-local source map when it ends). Without a thread to be had, `work` runs here.
/// `None` when it panicked.
fn on_big_stack<T: Send>(work: impl Fn() -> T + Sync) -> Option<T> {
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("ssot-lint-syn".into())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, &work);
        match spawned {
            Ok(handle) => handle.join().ok(),
            Err(_) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(&work)).ok(),
        }
    })
}

/// A panic inside syn is a bug there, not in the file; the file is reported, not skipped silently.
fn parser_crashed(text: &str) -> FileFacts {
    FileFacts {
        syntax_error: Some(widen(text, Span::new(0, 0))),
        syntax_error_message: Some(format!(
            "the Rust parser crashed on this file (a bug in syn, not in the file); {WHOLE_FILE}"
        )),
        ..FileFacts::default()
    }
}

/// Where the text syn sees starts: after a byte order mark and a `#!` line (not `#![attr]`).
fn parse_start(text: &str) -> usize {
    let base = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let rest = &text[base..];
    if rest.starts_with("#!") && !rest[2..].trim_start().starts_with('[') {
        base + rest.find('\n').unwrap_or(rest.len())
    } else {
        base
    }
}

fn parse_and_walk(file: &SourceFile) -> FileFacts {
    let base = parse_start(&file.text);
    let spans = Spans::new(file, base);
    let text = &file.text[base..];
    let error = match syn::parse_str::<syn::File>(text) {
        Ok(ast) => return walk(file, spans, &ast),
        Err(error) => error,
    };
    // One item syn cannot parse must not hide the whole file: parse item by item.
    let Some((ast, failure)) = recover::items(text) else {
        return FileFacts {
            syntax_error: Some(widen(&file.text, spans.error(&error))),
            syntax_error_message: Some(format!("{}; {WHOLE_FILE}", error_message(&error))),
            ..FileFacts::default()
        };
    };
    let mut facts = walk(file, spans, &ast);
    if let Some(error) = failure {
        facts.syntax_error = Some(widen(&file.text, spans.error(&error)));
        facts.syntax_error_message = Some(format!("{}; {ONE_ITEM}", error_message(&error)));
    }
    facts
}

fn walk(file: &SourceFile, spans: Spans, ast: &syn::File) -> FileFacts {
    let mut walker = Walker::new(file, spans, &ast.items);
    walker.visit_file(ast);
    let Walker { mut facts, names, .. } = walker;
    names.resolve(&mut facts);
    facts
}

/// An empty span inside the text grows to cover the character it points at.
fn widen(text: &str, span: Span) -> Span {
    if span.start < span.end {
        return span;
    }
    let width = text.get(span.start..).and_then(|rest| rest.chars().next()).map_or(0, char::len_utf8);
    Span::new(span.start, span.start + width)
}

/// syn's message, with proc-macro2's tokenizer error said in a way a reader can act on.
fn error_message(error: &syn::Error) -> String {
    let message = error.to_string();
    if message == "cannot parse string into token stream" {
        "unbalanced brackets, or an unterminated string, char or comment".to_string()
    } else {
        message
    }
}

fn too_deep(text: &str, at: usize) -> FileFacts {
    FileFacts {
        syntax_error: Some(widen(text, Span::new(at, at))),
        syntax_error_message: Some(format!(
            "nesting too deep to parse safely (more than {MAX_NESTING} brackets and operators in one expression); {WHOLE_FILE}"
        )),
        ..FileFacts::default()
    }
}

/// Turns syn spans into byte offsets of the file. proc-macro2 (with `span-locations`) reports
/// a 1-based line and a column counted in chars; the file's line index gives the line's byte
/// offset, and the column is added (all-ASCII text) or walked in chars. (Its `byte_range()`
/// costs a B-tree lookup and insert per call: about 8% of the whole run, measured.)
#[derive(Clone, Copy)]
struct Spans<'t> {
    text: &'t str,
    line_starts: &'t [usize],
    /// Where the text handed to syn starts (after a BOM or `#!` line): its line 1 starts here.
    base: usize,
    ascii: bool,
}

impl<'t> Spans<'t> {
    fn new(file: &'t SourceFile, base: usize) -> Self {
        Spans { text: &file.text, line_starts: file.line_starts(), base, ascii: file.text.is_ascii() }
    }

    fn offset(&self, at: proc_macro2::LineColumn) -> usize {
        let len = self.text.len();
        let line_start = match at.line {
            0 | 1 => self.base,
            line => self.line_starts.get(line - 1).copied().unwrap_or(len),
        };
        if self.ascii {
            return (line_start + at.column).min(len);
        }
        let rest = self.text.get(line_start..).unwrap_or("");
        rest.char_indices().nth(at.column).map_or(len, |(index, _)| line_start + index)
    }

    fn start(&self, span: proc_macro2::Span) -> usize {
        self.offset(span.start())
    }

    fn end(&self, span: proc_macro2::Span) -> usize {
        self.offset(span.end())
    }

    fn of(&self, span: proc_macro2::Span) -> Span {
        Span::new(self.start(span), self.end(span))
    }

    /// syn reports errors at the end of input with an empty span at offset 0: place them at the
    /// end of the file instead.
    fn error(&self, error: &syn::Error) -> Span {
        let span = self.of(error.span());
        if span.start == self.base && span.end == self.base && error.to_string().contains("end of input") {
            Span::new(self.text.len(), self.text.len())
        } else {
            span
        }
    }
}

/// What encloses the walker: a module level (the file or an inline `mod`), a type or trait
/// whose methods are being walked, or a function body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ScopeKind {
    Module,
    Type,
    Function,
}

struct Scope {
    name: String,
    kind: ScopeKind,
}

struct Walker<'t> {
    spans: Spans<'t>,
    facts: FileFacts,
    /// The current module's segments: the file's module, then inline `mod` names.
    module: Vec<String>,
    /// Names for qualified names: inline modules, impl/trait types, functions.
    scopes: Vec<Scope>,
    /// Items declared in each module level, innermost last (for `use` uniform paths).
    local_names: Vec<HashSet<String>>,
    /// Memoized `expr_start`, by node address (the tree is not moved during the walk).
    starts: RefCell<HashMap<usize, usize>>,
    /// `use` and local bindings, and the chains to resolve through them (qualified names).
    names: resolve::Names,
}

/// The names of the items declared directly in a module.
fn item_names(items: &[Item]) -> HashSet<String> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Mod(item) => Some(&item.ident),
            Item::Struct(item) => Some(&item.ident),
            Item::Enum(item) => Some(&item.ident),
            Item::Union(item) => Some(&item.ident),
            Item::Trait(item) => Some(&item.ident),
            Item::TraitAlias(item) => Some(&item.ident),
            Item::Type(item) => Some(&item.ident),
            Item::Fn(item) => Some(&item.sig.ident),
            Item::Const(item) => Some(&item.ident),
            Item::Static(item) => Some(&item.ident),
            _ => None,
        })
        .map(ToString::to_string)
        .collect()
}

/// The name an `impl` block's methods are qualified with: the self type's last path segment
/// (`impl<T> foo::Bar<T>` → `Bar`, `impl Trait for &Bar` → `Bar`).
fn type_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) if path.qself.is_none() => {
            path.path.segments.last().map(|segment| segment.ident.to_string())
        }
        Type::Reference(reference) => type_name(&reference.elem),
        Type::Paren(paren) => type_name(&paren.elem),
        Type::Group(group) => type_name(&group.elem),
        _ => None,
    }
}

/// `a::b::c` from a path (generic arguments dropped). With a qualified self (`<T as Tr>::f`)
/// the chain is what follows the `>`: the `<...>` ends it like a call would.
fn path_chain(qself: Option<&QSelf>, path: &Path) -> Option<String> {
    let skip = qself.map_or(0, |qself| qself.position);
    let mut chain = String::new();
    for segment in path.segments.iter().skip(skip) {
        if !chain.is_empty() {
            chain.push_str("::");
        }
        chain.push_str(&segment.ident.to_string());
    }
    (!chain.is_empty()).then_some(chain)
}

/// Parentheses and invisible groups are transparent in chains (SPEC §4.1).
fn unparen(mut expr: &Expr) -> &Expr {
    loop {
        expr = match expr {
            Expr::Paren(paren) => &paren.expr,
            Expr::Group(group) => &group.expr,
            other => return other,
        }
    }
}

impl<'t> Walker<'t> {
    fn new(file: &SourceFile, spans: Spans<'t>, items: &[Item]) -> Self {
        let module: Vec<String> =
            file.module.split("::").filter(|s| !s.is_empty()).map(str::to_string).collect();
        Walker {
            spans,
            facts: FileFacts::default(),
            module,
            scopes: Vec::new(),
            local_names: vec![item_names(items)],
            starts: RefCell::new(HashMap::new()),
            names: resolve::Names::new(),
        }
    }

    fn qualified(&self, name: &str) -> String {
        let mut qualified = String::new();
        for scope in &self.scopes {
            qualified.push_str(&scope.name);
            qualified.push_str("::");
        }
        qualified.push_str(name);
        qualified
    }

    fn define(&mut self, kind: DefinitionKind, ident: &syn::Ident, extent: proc_macro2::Span) {
        let name = ident.to_string();
        let is_method = kind == DefinitionKind::Function
            && self.scopes.last().is_some_and(|scope| scope.kind == ScopeKind::Type);
        self.facts.definitions.push(Definition {
            kind,
            qualified_name: self.qualified(&name),
            name,
            span: self.spans.of(ident.span()),
            extent: self.spans.of(extent),
            is_method,
            top_level: self.scopes.is_empty(),
        });
    }

    fn scoped(&mut self, name: String, kind: ScopeKind, walk: impl FnOnce(&mut Self)) {
        self.scopes.push(Scope { name, kind });
        walk(self);
        self.scopes.pop();
    }

    /// Module-level `const` / `static`: the Rust form of Python's module-level `Name = ...`.
    fn assign(&mut self, ident: &syn::Ident) {
        if self.scopes.is_empty() {
            self.facts
                .assignments
                .push(Assignment { name: ident.to_string(), span: self.spans.of(ident.span()) });
        }
    }

    /// An attribute chain; `rooted` when it starts at a path (not `a().b`, not `x.0.b`).
    fn push_attribute(&mut self, dotted: String, rooted: bool, start: usize, end: usize) {
        let chain = self.chain_fact(dotted, rooted, Span::new(start, end));
        if rooted {
            self.names.attribute(self.facts.attributes.len(), start);
        }
        self.facts.attributes.push(chain);
    }

    /// A chain fact; one starting at `crate::`, `self::` or `super::` gets its absolute path as
    /// its qualified name right away.
    fn chain_fact(&self, dotted: String, rooted: bool, span: Span) -> Chain {
        let mut chain = Chain::new(dotted, span);
        if rooted && ["crate::", "self::", "super::"].iter().any(|start| chain.dotted.starts_with(start)) {
            let (path, rest) = chain.dotted.split_at(chain.dotted.find('.').unwrap_or(chain.dotted.len()));
            let segments: Vec<&str> = path.split("::").collect();
            let empty = HashSet::new();
            let scope = uses::UseScope { module: &self.module, local_names: &empty };
            if let (_, Some(absolute)) = uses::resolve(&segments, false, &scope) {
                chain.qualified =
                    Some(format!("{absolute}{rest}")).filter(|qualified| *qualified != chain.dotted);
            }
        }
        chain
    }

    /// The chain of an expression, `None` when it is not made of paths and named fields
    /// (`a().b` → `b`, `x.0` → none), and whether it starts at a path (only then can its
    /// first segment name a `use`).
    fn rooted_chain(&self, expr: &Expr) -> Option<(String, bool)> {
        match unparen(expr) {
            Expr::Path(path) => {
                path_chain(path.qself.as_ref(), &path.path).map(|dotted| (dotted, path.qself.is_none()))
            }
            Expr::Field(field) => {
                let (root, spine) = field_spine(field);
                let (mut dotted, mut rooted) = self.rooted_chain(root).unwrap_or_default();
                for field in spine.iter().rev() {
                    rooted &= matches!(field.member, Member::Named(_));
                    append_member(&mut dotted, &field.member);
                }
                (!dotted.is_empty()).then_some((dotted, rooted))
            }
            _ => None,
        }
    }

    /// Byte offset where an expression starts: where the leftmost expression on its left edge
    /// starts. Results are memoized per node, so a method chain `a.b().c()...` of n calls
    /// costs O(n) in total rather than O(n²).
    fn expr_start(&self, expr: &Expr) -> usize {
        let mut edge = Vec::new();
        let mut current = expr;
        let start = loop {
            let key = current as *const Expr as usize;
            if let Some(&start) = self.starts.borrow().get(&key) {
                break start;
            }
            edge.push(key);
            current = match current {
                Expr::Call(call) => &call.func,
                Expr::MethodCall(call) => &call.receiver,
                Expr::Field(field) => &field.base,
                Expr::Index(index) => &index.expr,
                Expr::Try(try_expr) => &try_expr.expr,
                Expr::Await(await_expr) => &await_expr.base,
                Expr::Cast(cast) => &cast.expr,
                Expr::Binary(binary) => &binary.left,
                Expr::Assign(assign) => &assign.left,
                Expr::Group(group) => &group.expr,
                Expr::Range(range) => match &range.start {
                    Some(start) => start,
                    None => break self.spans.start(range.limits.span()),
                },
                Expr::Path(path) => break self.path_start(path.qself.as_ref(), &path.path),
                Expr::Lit(lit) => break self.spans.start(lit.lit.span()),
                Expr::Paren(paren) => break self.spans.start(paren.paren_token.span.open()),
                other => break self.spans.start(other.span()),
            };
        };
        self.starts.borrow_mut().extend(edge.into_iter().map(|key| (key, start)));
        start
    }

    /// Byte offset where an expression ends. Walks down the right edge without recursion.
    fn expr_end(&self, mut expr: &Expr) -> usize {
        loop {
            expr = match expr {
                Expr::Binary(binary) => &binary.right,
                Expr::Assign(assign) => &assign.right,
                Expr::Unary(unary) => &unary.expr,
                Expr::Reference(reference) => &reference.expr,
                Expr::Closure(closure) => &closure.body,
                Expr::Group(group) => &group.expr,
                Expr::Let(let_expr) => &let_expr.expr,
                Expr::Range(range) => match &range.end {
                    Some(end) => end,
                    None => return self.spans.end(range.limits.span()),
                },
                Expr::Call(call) => return self.spans.end(call.paren_token.span.close()),
                Expr::MethodCall(call) => return self.spans.end(call.paren_token.span.close()),
                Expr::Paren(paren) => return self.spans.end(paren.paren_token.span.close()),
                Expr::Tuple(tuple) => return self.spans.end(tuple.paren_token.span.close()),
                Expr::Array(array) => return self.spans.end(array.bracket_token.span.close()),
                Expr::Index(index) => return self.spans.end(index.bracket_token.span.close()),
                Expr::Block(block) => return self.spans.end(block.block.brace_token.span.close()),
                Expr::Struct(object) => return self.spans.end(object.brace_token.span.close()),
                Expr::Field(field) => return self.spans.end(member_span(&field.member)),
                Expr::Try(try_expr) => return self.spans.end(try_expr.question_token.span),
                Expr::Path(path) => return self.spans.end(path.path.span()),
                Expr::Lit(lit) => return self.spans.end(lit.lit.span()),
                other => return self.spans.end(other.span()),
            }
        }
    }

    fn path_start(&self, qself: Option<&QSelf>, path: &Path) -> usize {
        match (qself, &path.leading_colon, path.segments.first()) {
            (Some(qself), _, _) => self.spans.start(qself.lt_token.span),
            (None, Some(colon), _) => self.spans.start(colon.spans[0]),
            (None, None, Some(first)) => self.spans.start(first.ident.span()),
            (None, None, None) => self.spans.start(path.span()),
        }
    }

    fn arguments<'e>(&self, args: impl Iterator<Item = &'e Expr>) -> Vec<Argument> {
        args.enumerate()
            .map(|(position, arg)| Argument {
                position: Some(position),
                keyword: None,
                string_value: match arg {
                    Expr::Lit(ExprLit { lit: Lit::Str(text), .. }) => Some(text.value()),
                    _ => None,
                },
                span: Span::new(self.expr_start(arg), self.expr_end(arg)),
            })
            .collect()
    }

    /// `a.b.c`: one attribute per named field along the spine (`a.b.c` and `a.b`), then the
    /// root expression is walked. Iterative, so long chains cost linear time and no stack.
    fn field_chain(&mut self, outer: &ExprField) {
        let (root, spine) = field_spine(outer);
        let root_start = self.expr_start(root);
        let (mut dotted, mut rooted) = self.rooted_chain(root).unwrap_or_default();
        let mut start = root_start;
        for field in spine.iter().rev() {
            // A parenthesized base starts at its `(`.
            if let Expr::Paren(paren) = &*field.base {
                start = self.spans.start(paren.paren_token.span.open());
            }
            rooted &= matches!(field.member, Member::Named(_));
            append_member(&mut dotted, &field.member);
            if !dotted.is_empty() {
                let end = self.spans.end(member_span(&field.member));
                self.push_attribute(dotted.clone(), rooted, start, end);
            }
        }
        self.visit_expr(root);
    }
}

/// The fields along a chain, outermost first, and the expression at its root
/// (through parentheses: `(a.b).c` has spine `.c`, `.b` and root `a`).
fn field_spine(outer: &ExprField) -> (&Expr, Vec<&ExprField>) {
    let mut spine = vec![outer];
    let mut current = outer;
    loop {
        match unparen(&current.base) {
            Expr::Field(inner) => {
                spine.push(inner);
                current = inner;
            }
            root => return (root, spine),
        }
    }
}

fn member_span(member: &Member) -> proc_macro2::Span {
    match member {
        Member::Named(ident) => ident.span(),
        Member::Unnamed(index) => index.span,
    }
}

/// Adds `.name` to a chain; an unnamed member (`.0`) ends the chain so far.
fn append_member(dotted: &mut String, member: &Member) {
    match member {
        Member::Named(ident) => {
            if !dotted.is_empty() {
                dotted.push('.');
            }
            dotted.push_str(&ident.to_string());
        }
        Member::Unnamed(_) => dotted.clear(),
    }
}

impl<'ast> Visit<'ast> for Walker<'_> {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let empty = HashSet::new();
        let scope =
            uses::UseScope { module: &self.module, local_names: self.local_names.last().unwrap_or(&empty) };
        let spans = self.spans;
        let imports = uses::imports(item, &scope, &|span| spans.of(span));
        self.names.imports(&imports);
        self.facts.imports.extend(imports);
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        let Some((_, items)) = &item.content else { return };
        let name = item.ident.to_string();
        self.module.push(name.clone());
        self.local_names.push(item_names(items));
        self.names.push(resolve::ScopeKind::Module);
        self.scoped(name, ScopeKind::Module, |walker| {
            for item in items {
                walker.visit_item(item);
            }
        });
        self.names.pop();
        self.local_names.pop();
        self.module.pop();
    }

    fn visit_item_struct(&mut self, item: &'ast syn::ItemStruct) {
        self.define(DefinitionKind::Class, &item.ident, item.span());
        visit::visit_item_struct(self, item);
    }

    fn visit_item_enum(&mut self, item: &'ast syn::ItemEnum) {
        self.define(DefinitionKind::Class, &item.ident, item.span());
        visit::visit_item_enum(self, item);
    }

    fn visit_item_union(&mut self, item: &'ast syn::ItemUnion) {
        self.define(DefinitionKind::Class, &item.ident, item.span());
        visit::visit_item_union(self, item);
    }

    fn visit_item_type(&mut self, item: &'ast syn::ItemType) {
        self.define(DefinitionKind::Class, &item.ident, item.span());
        visit::visit_item_type(self, item);
    }

    fn visit_item_trait_alias(&mut self, item: &'ast syn::ItemTraitAlias) {
        self.define(DefinitionKind::Class, &item.ident, item.span());
    }

    fn visit_item_trait(&mut self, item: &'ast syn::ItemTrait) {
        self.define(DefinitionKind::Class, &item.ident, item.span());
        self.scoped(item.ident.to_string(), ScopeKind::Type, |walker| visit::visit_item_trait(walker, item));
    }

    fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
        self.define(DefinitionKind::Function, &item.sig.ident, item.span());
        self.names.push(resolve::ScopeKind::Block);
        self.scoped(item.sig.ident.to_string(), ScopeKind::Function, |walker| {
            visit::visit_trait_item_fn(walker, item)
        });
        self.names.pop();
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        // Methods of an unnameable type (`impl Trait for [T]`) are qualified `_::method`.
        let name = type_name(&item.self_ty).unwrap_or_else(|| "_".to_string());
        self.scoped(name, ScopeKind::Type, |walker| visit::visit_item_impl(walker, item));
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        self.define(DefinitionKind::Function, &item.sig.ident, item.span());
        self.names.push(resolve::ScopeKind::Block);
        self.scoped(item.sig.ident.to_string(), ScopeKind::Function, |walker| {
            visit::visit_impl_item_fn(walker, item)
        });
        self.names.pop();
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        self.define(DefinitionKind::Function, &item.sig.ident, item.span());
        self.names.push(resolve::ScopeKind::Block);
        self.scoped(item.sig.ident.to_string(), ScopeKind::Function, |walker| {
            visit::visit_item_fn(walker, item)
        });
        self.names.pop();
    }

    fn visit_block(&mut self, block: &'ast syn::Block) {
        self.names.push(resolve::ScopeKind::Block);
        visit::visit_block(self, block);
        self.names.pop();
    }

    /// `let x`, a parameter `x: T`, a closure's `|x|`, a match's `Some(x)`: hides a `use` of `x`.
    fn visit_pat_ident(&mut self, pat: &'ast syn::PatIdent) {
        self.names.local(pat.ident.to_string(), self.spans.start(pat.ident.span()));
        visit::visit_pat_ident(self, pat);
    }

    fn visit_item_const(&mut self, item: &'ast syn::ItemConst) {
        self.assign(&item.ident);
        visit::visit_item_const(self, item);
    }

    fn visit_item_static(&mut self, item: &'ast syn::ItemStatic) {
        self.assign(&item.ident);
        visit::visit_item_static(self, item);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        let callee = self.rooted_chain(&call.func).map(|(dotted, rooted)| {
            let span = Span::new(self.expr_start(&call.func), self.expr_end(&call.func));
            if rooted {
                self.names.callee(self.facts.calls.len(), span.start);
            }
            self.chain_fact(dotted, rooted, span)
        });
        let span = Span::new(self.expr_start(&call.func), self.spans.end(call.paren_token.span.close()));
        let args = self.arguments(call.args.iter());
        self.facts.calls.push(Call { callee, span, args });
        visit::visit_expr_call(self, call);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let start = self.expr_start(&call.receiver);
        let (mut dotted, rooted) = self.rooted_chain(&call.receiver).unwrap_or_default();
        append_member(&mut dotted, &Member::Named(call.method.clone()));
        let callee_span = Span::new(start, self.spans.end(call.method.span()));
        // Like Python's `a.b()`, whose callee `a.b` is an attribute expression too.
        self.push_attribute(dotted.clone(), rooted, callee_span.start, callee_span.end);
        let span = Span::new(start, self.spans.end(call.paren_token.span.close()));
        let args = self.arguments(call.args.iter());
        if rooted {
            self.names.callee(self.facts.calls.len(), callee_span.start);
        }
        let callee = self.chain_fact(dotted, rooted, callee_span);
        self.facts.calls.push(Call { callee: Some(callee), span, args });
        visit::visit_expr_method_call(self, call);
    }

    fn visit_expr_field(&mut self, field: &'ast ExprField) {
        self.field_chain(field);
    }

    fn visit_expr_path(&mut self, path: &'ast syn::ExprPath) {
        // A single identifier is a name, not an attribute access (as in Python).
        if path.path.segments.len() > 1 || path.qself.is_some() {
            if let Some(dotted) = path_chain(path.qself.as_ref(), &path.path) {
                let start = self.path_start(path.qself.as_ref(), &path.path);
                let end = self.spans.end(path.path.span());
                self.push_attribute(dotted, path.qself.is_none(), start, end);
            }
        }
        visit::visit_expr_path(self, path);
    }

    // Macro bodies are opaque token streams: nothing inside them is walked.
    fn visit_macro(&mut self, _: &'ast syn::Macro) {}
}
