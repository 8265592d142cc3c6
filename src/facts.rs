//! Language-free facts about one source file.
//!
//! The parser's tree never leaves the per-file task: a language front end (`lang::python`, `lang::rust`)
//! turns it into a `FileFacts`, and every rule reads only this. Positions are byte ranges into
//! `SourceFile::text`; `SourceFile::position` turns them into lines and columns.

use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` into the file's (lossily decoded) text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// Everything the rules need to know about one file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFacts {
    pub imports: Vec<Import>,
    pub definitions: Vec<Definition>,
    /// Module-level `Name = ...` / `Name: T = ...` bindings (plain identifier targets only).
    pub assignments: Vec<Assignment>,
    pub calls: Vec<Call>,
    /// Every attribute expression (`a.b`, `a.b.c`, ... each nested one separately).
    pub attributes: Vec<Chain>,
    /// Bare names that stand for a module member through an import (`cdc` after
    /// `from ssl import create_default_context as cdc`): `dotted` is the name as written,
    /// `qualified` the member it refers to (always set, always dotted). Attribute patterns
    /// match them by their qualified name only: the name itself is no attribute access.
    #[serde(default)]
    pub names: Vec<Chain>,
    pub suppressions: Suppressions,
    /// The first parse error, if any.
    pub syntax_error: Option<Span>,
    /// What the parser (ruff's or syn) said about that error.
    pub syntax_error_message: Option<String>,
}

/// One import statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Import {
    /// The whole statement, `import` / `from` keyword to the end of its last name or `)`.
    pub statement: Span,
    pub kind: ImportKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportKind {
    /// `import a.b.c` or `import a.b.c as x`: one entry per dotted name in the statement.
    Module(Vec<ModuleImport>),
    /// `from M import a, b as c` (or `from M import *`, with `names` empty and `star` true).
    From(FromImport),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleImport {
    /// The dotted module name as written, e.g. `a.b.c`.
    pub module: String,
    /// Span of the dotted name.
    pub span: Span,
    pub alias: Option<String>,
    /// Span of `a.b.c as x` (the whole aliased_import, or the dotted name when there is no alias).
    pub item_span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FromImport {
    /// Leading dots: 0 for an absolute import, 1 for `from .x`, 2 for `from ..x`, ...
    pub level: usize,
    /// The module text after the dots, as written (may be empty: `from . import x`).
    pub raw_module: String,
    /// The absolute module after resolving relative imports against the file's module name.
    /// `None` when a relative import climbs above the top-level package.
    pub module: Option<String>,
    /// Span of the module part including its dots (`..pkg.mod`).
    pub module_span: Span,
    pub names: Vec<ImportedName>,
    pub star: bool,
    /// True when the names are wrapped in parentheses.
    pub parenthesized: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedName {
    pub name: String,
    /// Span of the imported name itself.
    pub span: Span,
    pub alias: Option<String>,
    /// Span of `name as alias` (or just the name when there is no alias).
    pub item_span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DefinitionKind {
    Class,
    Function,
}

/// A `class` or `def` at any nesting level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Definition {
    pub kind: DefinitionKind,
    pub name: String,
    /// Dotted path inside the module: enclosing classes and functions, then the name,
    /// e.g. `UnifiedWebSocketManager.create_for_user` or `outer.Inner`.
    pub qualified_name: String,
    /// Span of the name identifier.
    pub span: Span,
    /// Span of the whole definition, body included: which calls it encloses.
    pub extent: Span,
    /// True for a function defined directly in a class body.
    pub is_method: bool,
    /// True when defined at module level (not nested in a class or function).
    pub top_level: bool,
}

/// A module-level binding of a plain name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub name: String,
    /// Span of the target identifier.
    pub span: Span,
}

/// A dotted chain built from identifiers and attribute accesses only (SPEC 4.1). Rust chains
/// keep their separators as written: `self.ctx.manager`, `ws::Manager::create`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chain {
    /// The spelling, e.g. `self.context.websocket_manager`. For `a().b` this is `b`.
    pub dotted: String,
    /// What the chain refers to through the file's imports, when that differs from its
    /// spelling: `ssl.create_default_context` for `cdc` after
    /// `from ssl import create_default_context as cdc`, `a.b.c` for `x.c` after `import a.b as x`.
    /// Computed by the language front end from the bindings in scope at the chain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualified: Option<String>,
    /// Span of the whole expression the chain was read from.
    pub span: Span,
}

impl Chain {
    /// A chain known only by its spelling.
    pub fn new(dotted: String, span: Span) -> Self {
        Chain { dotted, qualified: None, span }
    }

    /// The spelling, then the qualified name when there is one: a pattern matching either
    /// matches the chain.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.dotted.as_str()).chain(self.qualified.as_deref())
    }

    /// The spelling, followed by the qualified name in parentheses when it differs:
    /// `cdc (ssl.create_default_context)`. `suffix` goes after the spelling (`()` for a callee).
    pub(crate) fn describe(&self, suffix: &str) -> String {
        match &self.qualified {
            Some(qualified) => format!("{}{suffix} ({qualified})", self.dotted),
            None => format!("{}{suffix}", self.dotted),
        }
    }

    /// The last segment of the qualified name, when there is one.
    pub(crate) fn qualified_last_name(&self) -> Option<&str> {
        self.qualified.as_deref().map(|qualified| qualified.rsplit(['.', ':']).next().unwrap_or(qualified))
    }

    /// The last segment: `send` for `self.manager.send`, `create` for `Manager::create`.
    pub(crate) fn last_name(&self) -> &str {
        self.dotted.rsplit(['.', ':']).next().unwrap_or(&self.dotted)
    }
}

/// A call expression.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Call {
    /// The callee's chain; `None` when the callee is not a chain (e.g. `f()()`, `x[0]()`)...
    /// except that `a().b()` has callee chain `b`.
    pub callee: Option<Chain>,
    /// Span of the whole call expression.
    pub span: Span,
    pub args: Vec<Argument>,
}

/// One argument of a call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Argument {
    /// Position among the positional arguments (`None` for keyword, `*args`, `**kw`).
    pub position: Option<usize>,
    /// Keyword name for `name=value`.
    pub keyword: Option<String>,
    /// The value when it is a plain string literal (no f-string, no implicit concatenation).
    pub string_value: Option<String>,
    /// Span of the value expression.
    pub span: Span,
}

/// `# ssot: ignore` comments.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppressions {
    /// `# ssot: ignore-file` in a comment line.
    pub whole_file: bool,
    /// One entry per line carrying a trailing `# ssot: ignore[...]`.
    pub lines: Vec<LineSuppression>,
    /// Every directive as written, in file order: what `unused-suppression`,
    /// `suppression-without-reason` and the reports' justifications look at.
    pub directives: Vec<Directive>,
}

/// One `ssot: ignore`, `ssot: ignore[...]` or `ssot: ignore-file` directive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directive {
    /// True for `ignore-file`.
    pub file: bool,
    /// 1-based line of the comment.
    pub line: usize,
    /// The ids of `ignore[...]` and where each is written; empty means every rule.
    pub rules: Vec<(String, Span)>,
    /// From `ssot` to the end of the directive (its reason included).
    pub span: Span,
    /// The comment the directive is written in (from its `#` or `//`).
    pub comment: Span,
    /// The text after `--`, trimmed; `None` when there is none (or it is empty).
    pub reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineSuppression {
    /// 1-based line number of the comment.
    pub line: usize,
    /// Rule ids in `ignore[...]`; empty means every rule.
    pub rules: Vec<String>,
}
