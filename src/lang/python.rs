//! The Python front end: ruff's parser (`ruff_python_parser`) -> `FileFacts`.
//!
//! The parser is exact on modern Python (PEP 695/696 generics, PEP 701 f-strings, `match`,
//! `except*`, soft keywords) and recovers from syntax errors: it reports every error and still
//! builds a tree of the rest, so a file with an error is linted everywhere else. Its AST never
//! leaves this module; one visit turns it into facts. Comments come from the parser's token
//! stream, so a `#` inside a string is never taken for a suppression.
//!
//! Deep nesting cannot overflow the stack: the parser grows its stack on deep recursion, and so
//! do the visits here (`on_big_stack`) and the drop of the tree (`drop_deep`).

mod bindings;
mod screen;
#[cfg(test)]
mod tests;

use ruff_python_ast::token::{TokenKind, Tokens};
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::ModModule;
use ruff_python_ast::{self as ast, AnyStringFlags, Expr, PySourceType, Stmt, StringFlags};
use ruff_python_parser::{parse_unchecked_source, Parsed};
use ruff_text_size::{Ranged, TextRange};

use crate::facts::{
    Argument, Assignment, Call, Chain, Definition, DefinitionKind, FileFacts, FromImport, Import, ImportKind,
    ImportedName, ModuleImport, Span,
};
use crate::lang::Interest;
use crate::source::SourceFile;
use crate::suppress::{self, Comment};

use bindings::{Bindings, ScopeKind};

/// Parses `file.text` and extracts its language-free facts.
pub fn extract(file: &SourceFile) -> FileFacts {
    extract_with(file, &Interest::all())
}

/// `extract`, with qualified names only where `interest` can use them.
pub(crate) fn extract_with(file: &SourceFile, interest: &Interest) -> FileFacts {
    let parsed = parse(file);
    let mut extractor = Extractor::new(file, parsed.tokens(), interest);
    extractor.visit_body(&parsed.syntax().body);
    let depth = extractor.depth.max;
    let Extractor { mut facts, bindings, .. } = extractor;
    bindings.resolve(&mut facts, interest);
    facts.suppressions = suppress::parse(&file.text, &comments(file, parsed.tokens()));
    add_syntax_error(&mut facts, &parsed, &file.text);
    drop_deep(parsed, depth);
    facts
}

/// Only the syntax error (and the suppressions that may silence it) of a file: what a file
/// that no rule can fire in still reports. The file is only lexed unless its tokens show a sign
/// of an error (see `screen`); then it is parsed, and the error is the parser's.
pub(crate) fn extract_syntax_error(file: &SourceFile) -> FileFacts {
    if screen::looks_valid(&file.text) {
        return FileFacts::default();
    }
    let parsed = parse(file);
    let mut facts = FileFacts::default();
    if add_syntax_error(&mut facts, &parsed, &file.text) {
        facts.suppressions = suppress::parse(&file.text, &comments(file, parsed.tokens()));
    }
    let mut depth = Depth::default();
    depth.visit_body(&parsed.syntax().body);
    drop_deep(parsed, depth.max);
    facts
}

fn parse(file: &SourceFile) -> Parsed<ModModule> {
    let source_type = if file.rel_path.ends_with(".pyi") { PySourceType::Stub } else { PySourceType::Python };
    parse_unchecked_source(&file.text, source_type)
}

/// The first error in the file, with the parser's own message. True when there is one.
fn add_syntax_error(facts: &mut FileFacts, parsed: &Parsed<ModModule>, text: &str) -> bool {
    let Some(error) = parsed.errors().iter().min_by_key(|error| error.location.start()) else {
        return false;
    };
    let mut location = span(error.location);
    // An error at a line ending (`def f()` without `:`) stays on its line.
    if let Some(newline) = text.get(location.start..location.end).and_then(|error| error.find(['\r', '\n'])) {
        location.end = location.start + newline;
    }
    facts.syntax_error = Some(location);
    facts.syntax_error_message = Some(error.error.to_string());
    true
}

/// Runs `work`, growing the stack when less than `RED_ZONE` is left: the visits recurse once
/// per nesting level, and `a + a + ... + a` nests as deep as it is long.
fn on_big_stack<T>(work: impl FnOnce() -> T) -> T {
    stacker::maybe_grow(RED_ZONE, GROWN_STACK, work)
}

const RED_ZONE: usize = 128 * 1024;
const GROWN_STACK: usize = 4 * 1024 * 1024;
/// A generous bound on the stack one nesting level of the tree takes to drop.
const DROP_FRAME: usize = 1024;

/// Drops a tree `depth` levels deep: the drop recurses once per level, so a deep tree is
/// dropped on a stack grown to fit.
fn drop_deep(parsed: Parsed<ModModule>, depth: usize) {
    let needed = depth.saturating_mul(DROP_FRAME).saturating_add(RED_ZONE);
    if stacker::remaining_stack().is_some_and(|left| left > needed) {
        drop(parsed);
    } else {
        stacker::grow(needed, move || drop(parsed));
    }
}

/// How deep a visit is in the tree (statements and expressions), and the deepest it went.
#[derive(Default)]
struct Depth {
    current: usize,
    max: usize,
}

impl Depth {
    fn enter(&mut self) {
        self.current += 1;
        self.max = self.max.max(self.current);
    }

    fn leave(&mut self) {
        self.current -= 1;
    }
}

/// Measures a tree's depth, for a file whose facts are not extracted.
impl<'a> Visitor<'a> for Depth {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.enter();
        on_big_stack(|| visitor::walk_stmt(self, stmt));
        self.leave();
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        self.enter();
        on_big_stack(|| visitor::walk_expr(self, expr));
        self.leave();
    }
}

fn span(range: TextRange) -> Span {
    Span::new(range.start().to_usize(), range.end().to_usize())
}

/// Every `#` comment of the file, from the token stream.
fn comments(file: &SourceFile, tokens: &Tokens) -> Vec<Comment> {
    tokens
        .iter()
        .filter(|token| token.kind() == TokenKind::Comment)
        .map(|token| {
            let Span { start, end } = span(token.range());
            Comment { start, end, line: file.position(start).line }
        })
        .collect()
}

/// An enclosing `class` or `def` during the visit.
struct Scope<'a> {
    name: &'a str,
    is_class: bool,
}

struct Extractor<'a> {
    file: &'a SourceFile,
    interest: &'a Interest,
    tokens: &'a Tokens,
    facts: FileFacts,
    scopes: Vec<Scope<'a>>,
    /// The chain of the next attribute expression to be visited, already known from its parent
    /// (`a.b.c` gives `a.b` for its value), and whether it is rooted at a name: keeps deep
    /// chains from costing O(depth) each.
    pending: Option<(*const ast::ExprAttribute, String, bool)>,
    /// Import and other bindings, and the uses to resolve through them (qualified names).
    bindings: Bindings<'a>,
    /// While the targets of an assignment statement are visited: where the statement ends
    /// (the names it binds take effect there, after its value is evaluated).
    store_at: Option<usize>,
    /// How deep the visit is, and the deepest it went (for `drop_deep`).
    depth: Depth,
}

impl<'a> Visitor<'a> for Extractor<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.depth.enter();
        on_big_stack(|| self.statement(stmt));
        self.depth.leave();
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        self.depth.enter();
        on_big_stack(|| match expr {
            Expr::Attribute(attribute) => {
                self.attribute(expr, attribute);
                visitor::walk_expr(self, expr);
            }
            Expr::Call(call) => {
                self.call(call);
                visitor::walk_expr(self, expr);
            }
            Expr::Name(name) => match name.ctx {
                ast::ExprContext::Store => {
                    let at = self.store_at.unwrap_or_else(|| name.range.start().to_usize());
                    self.bindings.bind(name.id.as_str(), at);
                }
                ast::ExprContext::Load if self.interest.bare_names => {
                    self.bindings.name(name.id.as_str(), span(name.range));
                }
                _ => {}
            },
            Expr::Lambda(lambda) => self.lambda(lambda),
            Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_) => {
                self.bindings.push(ScopeKind::Comprehension);
                visitor::walk_expr(self, expr);
                self.bindings.pop();
            }
            _ => visitor::walk_expr(self, expr),
        });
        self.depth.leave();
    }

    fn visit_except_handler(&mut self, handler: &'a ast::ExceptHandler) {
        let ast::ExceptHandler::ExceptHandler(inner) = handler;
        if let Some(name) = &inner.name {
            self.bindings.bind(name.as_str(), name.range.start().to_usize());
        }
        visitor::walk_except_handler(self, handler);
    }

    fn visit_pattern(&mut self, pattern: &'a ast::Pattern) {
        let captured = match pattern {
            ast::Pattern::MatchAs(capture) => capture.name.as_ref(),
            ast::Pattern::MatchStar(star) => star.name.as_ref(),
            ast::Pattern::MatchMapping(mapping) => mapping.rest.as_ref(),
            _ => None,
        };
        if let Some(name) = captured {
            self.bindings.bind(name.as_str(), name.range.start().to_usize());
        }
        visitor::walk_pattern(self, pattern);
    }
}

impl<'a> Extractor<'a> {
    fn new(file: &'a SourceFile, tokens: &'a Tokens, interest: &'a Interest) -> Self {
        Extractor {
            file,
            interest,
            tokens,
            facts: FileFacts::default(),
            scopes: Vec::new(),
            pending: None,
            bindings: Bindings::new(),
            store_at: None,
            depth: Depth::default(),
        }
    }

    fn statement(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Import(import) => self.module_import(import),
            Stmt::ImportFrom(import) => self.import_from(import),
            Stmt::ClassDef(class) => {
                self.definition(&class.name, true, span(class.range));
                // Decorators, type parameters and bases run in the enclosing scope.
                for decorator in &class.decorator_list {
                    self.visit_decorator(decorator);
                }
                if let Some(type_params) = &class.type_params {
                    self.visit_type_params(type_params);
                }
                if let Some(arguments) = &class.arguments {
                    self.visit_arguments(arguments);
                }
                self.bindings.bind(class.name.as_str(), class.name.range.start().to_usize());
                self.bindings.push(ScopeKind::Class);
                self.visit_body(&class.body);
                self.bindings.pop();
                self.scopes.pop();
            }
            Stmt::FunctionDef(function) => {
                self.definition(&function.name, false, span(function.range));
                // Decorators, type parameters, defaults and annotations run in the enclosing
                // scope; the parameters are bound in the body's.
                for decorator in &function.decorator_list {
                    self.visit_decorator(decorator);
                }
                if let Some(type_params) = &function.type_params {
                    self.visit_type_params(type_params);
                }
                self.visit_parameters(&function.parameters);
                if let Some(returns) = &function.returns {
                    self.visit_annotation(returns);
                }
                self.bindings.bind(function.name.as_str(), function.name.range.start().to_usize());
                self.bindings.push(ScopeKind::Function);
                self.bind_parameters(&function.parameters);
                self.visit_body(&function.body);
                self.bindings.pop();
                self.scopes.pop();
            }
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    self.assignment(target);
                }
                self.store_at = Some(assign.range.end().to_usize());
                visitor::walk_stmt(self, stmt);
                self.store_at = None;
            }
            Stmt::AugAssign(assign) => {
                self.store_at = Some(assign.range.end().to_usize());
                visitor::walk_stmt(self, stmt);
                self.store_at = None;
            }
            Stmt::AnnAssign(assign) => {
                if assign.value.is_some() {
                    self.assignment(&assign.target);
                }
                self.store_at = Some(assign.range.end().to_usize());
                visitor::walk_stmt(self, stmt);
                self.store_at = None;
            }
            Stmt::TypeAlias(alias) => {
                self.assignment(&alias.name);
                visitor::walk_stmt(self, stmt);
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    /// Whether a chain's qualified name could matter: a chain of several names keeps its last
    /// name when qualified; a single name's qualified name ends with the imported member, which
    /// only resolution knows.
    fn worth_resolving(&self, last: Option<&str>) -> bool {
        !self.interest.is_none() && last.is_none_or(|last| self.interest.wants(last))
    }

    fn bind_parameters(&mut self, parameters: &'a ast::Parameters) {
        for parameter in parameters.iter() {
            let name = &parameter.as_parameter().name;
            self.bindings.bind(name.as_str(), name.range.start().to_usize());
        }
    }

    /// `lambda x=d: body`: the defaults run in the enclosing scope, the body in the lambda's.
    fn lambda(&mut self, lambda: &'a ast::ExprLambda) {
        if let Some(parameters) = &lambda.parameters {
            for default in parameters.iter_non_variadic_params().filter_map(|param| param.default.as_deref())
            {
                self.visit_expr(default);
            }
        }
        self.bindings.push(ScopeKind::Lambda);
        if let Some(parameters) = &lambda.parameters {
            self.bind_parameters(parameters);
        }
        self.visit_expr(&lambda.body);
        self.bindings.pop();
    }

    fn definition(&mut self, name: &'a ast::Identifier, is_class: bool, extent: Span) {
        let name_text = name.as_str();
        if !name_text.is_empty() {
            let mut qualified_name = String::new();
            for scope in &self.scopes {
                qualified_name.push_str(scope.name);
                qualified_name.push('.');
            }
            qualified_name.push_str(name_text);
            self.facts.definitions.push(Definition {
                kind: if is_class { DefinitionKind::Class } else { DefinitionKind::Function },
                name: name_text.to_string(),
                qualified_name,
                span: span(name.range()),
                extent,
                is_method: !is_class && self.scopes.last().is_some_and(|scope| scope.is_class),
                top_level: self.scopes.is_empty(),
            });
        }
        self.scopes.push(Scope { name: name_text, is_class });
    }

    /// A module-level binding of a plain name (`Name = ...`, `Name: T = ...`, `type Name = ...`).
    fn assignment(&mut self, target: &Expr) {
        if !self.scopes.is_empty() {
            return;
        }
        if let Expr::Name(name) = target {
            if !name.id.is_empty() {
                self.facts.assignments.push(Assignment { name: name.id.to_string(), span: span(name.range) });
            }
        }
    }

    fn attribute(&mut self, expr: &'a Expr, attribute: &'a ast::ExprAttribute) {
        let known = match self.pending.take() {
            Some((node, dotted, rooted)) if std::ptr::eq(node, attribute) => Some((dotted, rooted)),
            _ => chain(expr),
        };
        let Some((dotted, rooted)) = known else { return };
        if let Expr::Attribute(value) = attribute.value.as_ref() {
            if let Some((prefix, _)) = dotted.rsplit_once('.') {
                self.pending = Some((value as *const _, prefix.to_string(), rooted));
            }
        }
        let at = span(attribute.range);
        if rooted && self.worth_resolving(Some(attribute.attr.as_str())) {
            self.bindings.attribute(self.facts.attributes.len(), at.start);
        }
        self.facts.attributes.push(Chain::new(dotted, at));
    }

    fn call(&mut self, call: &'a ast::ExprCall) {
        let callee = chain(&call.func).map(|(dotted, rooted)| {
            if let Expr::Attribute(function) = call.func.as_ref() {
                // The callee is the next attribute expression visited.
                self.pending = Some((function as *const _, dotted.clone(), rooted));
            }
            let at = span(call.func.range());
            let last = match call.func.as_ref() {
                Expr::Attribute(function) => Some(function.attr.as_str()),
                _ => None,
            };
            if rooted && self.worth_resolving(last) {
                self.bindings.callee(self.facts.calls.len(), at.start);
            }
            Chain::new(dotted, at)
        });
        let mut args = Vec::new();
        let mut position = 0;
        for argument in call.arguments.iter_source_order() {
            match argument {
                ast::ArgOrKeyword::Arg(Expr::Starred(starred)) => args.push(Argument {
                    position: None,
                    keyword: None,
                    string_value: None,
                    span: span(starred.range),
                }),
                ast::ArgOrKeyword::Arg(value) => {
                    // `f(x for x in y)`: the generator's parentheses are the call's, and the
                    // argument spans them (as in Python's own `ast`).
                    let range = match value {
                        Expr::Generator(generator) if !generator.parenthesized => call.arguments.range,
                        _ => value.range(),
                    };
                    args.push(Argument {
                        position: Some(position),
                        keyword: None,
                        string_value: self.string_value(value),
                        span: span(range),
                    });
                    position += 1;
                }
                ast::ArgOrKeyword::Keyword(keyword) => args.push(match &keyword.arg {
                    Some(name) => Argument {
                        position: None,
                        keyword: Some(name.as_str().to_string()),
                        string_value: self.string_value(&keyword.value),
                        span: span(keyword.value.range()),
                    },
                    // `**kwargs`
                    None => Argument {
                        position: None,
                        keyword: None,
                        string_value: None,
                        span: span(keyword.range),
                    },
                }),
            }
        }
        self.facts.calls.push(Call { callee, span: span(call.range()), args });
    }

    /// The raw content of a plain string (or bytes) literal: not an f-/t-string, not an
    /// implicit concatenation. Prefix and quotes are stripped; escapes are left as written.
    fn string_value(&self, value: &Expr) -> Option<String> {
        let (range, flags) = match value {
            Expr::StringLiteral(literal) if !literal.value.is_implicit_concatenated() => {
                let part = literal.value.iter().next()?;
                (part.range, AnyStringFlags::from(part.flags))
            }
            Expr::BytesLiteral(literal) if !literal.value.is_implicit_concatenated() => {
                let part = literal.value.iter().next()?;
                (part.range, AnyStringFlags::from(part.flags))
            }
            _ => return None,
        };
        let start = (range.start() + flags.opener_len()).to_usize();
        let end = (range.end() - flags.closer_len()).to_usize();
        self.file.text.get(start..end.max(start)).map(str::to_string)
    }

    fn module_import(&mut self, import: &'a ast::StmtImport) {
        let items: Vec<ModuleImport> = import
            .names
            .iter()
            .filter(|alias| !alias.name.is_empty())
            .map(|alias| ModuleImport {
                module: alias.name.to_string(),
                span: span(alias.name.range),
                alias: alias.asname.as_ref().map(ToString::to_string).filter(|alias| !alias.is_empty()),
                item_span: span(alias.range),
            })
            .collect();
        // `import a.b` binds `a`; `import a.b as x` binds `x` to `a.b`. In effect after the statement.
        let end = import.range.end().to_usize();
        let aliases = if self.interest.is_none() { &[][..] } else { &import.names[..] };
        for alias in aliases {
            let module = alias.name.as_str();
            match alias.asname.as_ref().filter(|alias| !alias.is_empty()) {
                Some(asname) => self.bindings.import(asname.as_str(), end, Some(module.to_string())),
                None => {
                    let first = module.split('.').next().unwrap_or(module);
                    self.bindings.import(first, end, Some(first.to_string()));
                }
            }
        }
        if !items.is_empty() {
            self.facts
                .imports
                .push(Import { statement: span(import.range), kind: ImportKind::Module(items) });
        }
    }

    fn import_from(&mut self, import: &'a ast::StmtImportFrom) {
        let level = import.level as usize;
        let raw_module = import.module.as_ref().map_or(String::new(), ToString::to_string);
        if level == 0 && (raw_module.is_empty() || raw_module == "__future__") {
            return;
        }
        let tokens = self.tokens.in_range(import.range);
        let module_span = module_span(tokens, import.module.as_ref());
        let mut names = Vec::new();
        let mut star = false;
        for alias in &import.names {
            match alias.name.as_str() {
                "*" => star = true,
                "" => {}
                name => names.push(ImportedName {
                    name: name.to_string(),
                    span: span(alias.name.range),
                    alias: alias.asname.as_ref().map(ToString::to_string).filter(|alias| !alias.is_empty()),
                    item_span: span(alias.range),
                }),
            }
        }
        let parenthesized = tokens.iter().any(|token| token.kind() == TokenKind::Lpar);
        let module = resolve(&self.file.module, self.file.is_package, level, &raw_module);
        // `from m import n as x` binds `x` to `m.n` (unknown when `m` does not resolve).
        let end = import.range.end().to_usize();
        let aliases = if self.interest.is_none() { &[][..] } else { &import.names[..] };
        for alias in aliases {
            let name = alias.name.as_str();
            if name == "*" {
                continue;
            }
            let bound = alias.asname.as_ref().filter(|alias| !alias.is_empty()).unwrap_or(&alias.name);
            let target =
                module.as_ref().filter(|_| !name.is_empty()).map(|module| format!("{module}.{name}"));
            self.bindings.import(bound.as_str(), end, target);
        }
        self.facts.imports.push(Import {
            statement: span(import.range),
            kind: ImportKind::From(FromImport {
                level,
                raw_module,
                module,
                module_span,
                names,
                star,
                parenthesized,
            }),
        });
    }
}

/// The span of `from`'s module part, its leading dots included (`..pkg.mod`): from the first
/// token after `from` to the end of the module name, or of the last dot when there is none.
fn module_span(tokens: &[ruff_python_ast::token::Token], module: Option<&ast::Identifier>) -> Span {
    let mut dots = tokens
        .iter()
        .skip(1)
        .take_while(|token| matches!(token.kind(), TokenKind::Dot | TokenKind::Ellipsis))
        .map(Ranged::range);
    let first_dot = dots.next();
    let last_dot = dots.last().or(first_dot);
    let start = first_dot.or(module.map(Ranged::range)).map_or(0, |range| range.start().to_usize());
    let end = module.map(Ranged::range).or(last_dot).map_or(start, |range| range.end().to_usize());
    Span::new(start, end)
}

/// SPEC 4.1: identifiers and attribute accesses only; anything else ends the chain
/// (`a().b` -> `b`). `None` when there is no segment at all. The flag is true when the chain
/// starts at a name (`a.b`, not `a().b`): only then can its first segment be an import.
fn chain(expr: &Expr) -> Option<(String, bool)> {
    let mut segments: Vec<&str> = Vec::new();
    let mut current = expr;
    let mut rooted = false;
    loop {
        match current {
            Expr::Attribute(attribute) => {
                if attribute.attr.is_empty() {
                    return None;
                }
                segments.push(attribute.attr.as_str());
                current = &attribute.value;
            }
            Expr::Name(name) => {
                if !name.id.is_empty() {
                    segments.push(name.id.as_str());
                    rooted = true;
                }
                break;
            }
            _ => break,
        }
    }
    if segments.is_empty() {
        return None;
    }
    let mut dotted = String::with_capacity(segments.iter().map(|segment| segment.len() + 1).sum());
    for (index, segment) in segments.iter().rev().enumerate() {
        if index > 0 {
            dotted.push('.');
        }
        dotted.push_str(segment);
    }
    Some((dotted, rooted))
}

/// The absolute module of `from <level dots><raw> import ...` in module `module`.
/// `None` when a relative import climbs above the top-level package.
pub(crate) fn resolve(module: &str, is_package: bool, level: usize, raw: &str) -> Option<String> {
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
