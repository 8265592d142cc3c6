use std::time::{Duration, Instant};

use super::*;
use crate::facts::LineSuppression;
use crate::facts::{FileFacts, FromImport, ImportKind};

fn facts_of(module: &str, is_package: bool, src: &str) -> FileFacts {
    let file = SourceFile::from_text("x.py", module, is_package, src);
    extract(&file)
}

fn facts(src: &str) -> FileFacts {
    facts_of("app.core.models", false, src)
}

fn slice(src: &str, span: Span) -> &str {
    &src[span.start..span.end]
}

fn from_imports(facts: &FileFacts) -> Vec<&FromImport> {
    facts
        .imports
        .iter()
        .filter_map(|import| match &import.kind {
            ImportKind::From(from) => Some(from),
            ImportKind::Module(_) => None,
        })
        .collect()
}

fn resolved(module: &str, is_package: bool, src: &str) -> Option<String> {
    let facts = facts_of(module, is_package, src);
    let froms = from_imports(&facts);
    assert_eq!(froms.len(), 1, "{src}");
    froms[0].module.clone()
}

fn chains(facts: &FileFacts) -> Vec<&str> {
    facts.attributes.iter().map(|chain| chain.dotted.as_str()).collect()
}

fn callees(facts: &FileFacts) -> Vec<Option<&str>> {
    facts.calls.iter().map(|call| call.callee.as_ref().map(|c| c.dotted.as_str())).collect()
}

/// The text of every comment, from the parser's token stream.
fn comment_texts(src: &str) -> Vec<&str> {
    let parsed = parse_unchecked_source(src, PySourceType::Python);
    parsed
        .tokens()
        .iter()
        .filter(|token| token.kind() == TokenKind::Comment)
        .map(|token| &src[token.range().start().to_usize()..token.range().end().to_usize()])
        .collect()
}

fn rules(rules: &[&str]) -> Vec<String> {
    rules.iter().map(|rule| rule.to_string()).collect()
}

// ---------------------------------------------------------------- imports

#[test]
fn module_imports_with_aliases() {
    let src = "import a.b.c as x, d\nimport  os . path\n";
    let facts = facts(src);
    assert_eq!(facts.imports.len(), 2);
    let ImportKind::Module(items) = &facts.imports[0].kind else { panic!() };
    assert_eq!(slice(src, facts.imports[0].statement), "import a.b.c as x, d");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].module, "a.b.c");
    assert_eq!(slice(src, items[0].span), "a.b.c");
    assert_eq!(items[0].alias.as_deref(), Some("x"));
    assert_eq!(slice(src, items[0].item_span), "a.b.c as x");
    assert_eq!(items[1].module, "d");
    assert_eq!(items[1].alias, None);
    assert_eq!(slice(src, items[1].item_span), "d");
    let ImportKind::Module(items) = &facts.imports[1].kind else { panic!() };
    assert_eq!(items[0].module, "os.path");
}

#[test]
fn from_imports_absolute() {
    let src = "from a.b import c, d as e\nfrom m import *\n";
    let facts = facts(src);
    let froms = from_imports(&facts);
    assert_eq!(froms.len(), 2);
    let first = froms[0];
    assert_eq!((first.level, first.raw_module.as_str()), (0, "a.b"));
    assert_eq!(first.module.as_deref(), Some("a.b"));
    assert_eq!(slice(src, first.module_span), "a.b");
    assert!(!first.star && !first.parenthesized);
    assert_eq!(first.names.len(), 2);
    assert_eq!(first.names[0].name, "c");
    assert_eq!(slice(src, first.names[0].span), "c");
    assert_eq!(first.names[1].name, "d");
    assert_eq!(first.names[1].alias.as_deref(), Some("e"));
    assert_eq!(slice(src, first.names[1].span), "d");
    assert_eq!(slice(src, first.names[1].item_span), "d as e");
    assert!(froms[1].star);
    assert!(froms[1].names.is_empty());
    assert_eq!(slice(src, facts.imports[1].statement), "from m import *");
}

#[test]
fn parenthesised_multi_line_from_import() {
    let src = "from app.models import (\n    User,  # the user\n    Group as G,\n)\nx = 1\n";
    let facts = facts(src);
    let froms = from_imports(&facts);
    assert_eq!(froms.len(), 1);
    assert!(froms[0].parenthesized);
    let names: Vec<_> = froms[0].names.iter().map(|n| (n.name.as_str(), n.alias.as_deref())).collect();
    assert_eq!(names, [("User", None), ("Group", Some("G"))]);
    assert!(slice(src, facts.imports[0].statement).ends_with(")"));
    assert!(slice(src, facts.imports[0].statement).starts_with("from app.models"));
}

#[test]
fn relative_imports_in_a_module() {
    // app/core/models.py
    let m = "app.core.models";
    assert_eq!(resolved(m, false, "from . import x\n").as_deref(), Some("app.core"));
    assert_eq!(resolved(m, false, "from .sib import x\n").as_deref(), Some("app.core.sib"));
    assert_eq!(resolved(m, false, "from ..other.deep import x\n").as_deref(), Some("app.other.deep"));
    assert_eq!(resolved(m, false, "from .. import x\n").as_deref(), Some("app"));
    assert_eq!(resolved(m, false, "from ... import x\n"), None);
    assert_eq!(resolved(m, false, "from ...pkg import *\n"), None);
    assert_eq!(resolved(m, false, "from .... import x\n"), None);
    let facts = facts_of(m, false, "from ..pkg.sub import *\n");
    let from = from_imports(&facts)[0];
    assert_eq!((from.level, from.raw_module.as_str(), from.star), (2, "pkg.sub", true));
    assert_eq!(from.module.as_deref(), Some("app.pkg.sub"));
    assert_eq!(slice("from ..pkg.sub import *\n", from.module_span), "..pkg.sub");
}

#[test]
fn relative_imports_in_a_package_init() {
    // app/core/__init__.py
    let m = "app.core";
    assert_eq!(resolved(m, true, "from . import x\n").as_deref(), Some("app.core"));
    assert_eq!(resolved(m, true, "from .models import x\n").as_deref(), Some("app.core.models"));
    assert_eq!(resolved(m, true, "from .. import x\n").as_deref(), Some("app"));
    assert_eq!(resolved(m, true, "from ..api import x\n").as_deref(), Some("app.api"));
    assert_eq!(resolved(m, true, "from ... import x\n"), None);
    // Top-level __init__.py and top-level modules have no package to resolve against.
    assert_eq!(resolved("", true, "from . import x\n"), None);
    assert_eq!(resolved("setup", false, "from . import x\n"), None);
    assert_eq!(resolved("setup", false, "from .x import y\n"), None);
    assert_eq!(resolved("pkg", true, "from .x import y\n").as_deref(), Some("pkg.x"));
}

#[test]
fn resolve_function_directly() {
    assert_eq!(resolve("a.b.c", false, 0, "x.y").as_deref(), Some("x.y"));
    assert_eq!(resolve("a.b.c", false, 1, "").as_deref(), Some("a.b"));
    assert_eq!(resolve("a.b.c", false, 2, "z").as_deref(), Some("a.z"));
    assert_eq!(resolve("a.b.c", false, 3, "z"), None);
    assert_eq!(resolve("a.b.c", true, 3, "z").as_deref(), Some("a.z"));
    assert_eq!(resolve("a.b.c", true, 4, "z"), None);
}

#[test]
fn imports_anywhere() {
    let src = "\
from __future__ import annotations
from typing import TYPE_CHECKING
try:
    import ujson as json
except ImportError:
    import json
if TYPE_CHECKING:
    from app.models import User
def f():
    from .helpers import h
    class C:
        def m(self):
            import deep.module
";
    let facts = facts(src);
    let mut modules = Vec::new();
    for import in &facts.imports {
        match &import.kind {
            ImportKind::Module(items) => modules.extend(items.iter().map(|i| i.module.clone())),
            ImportKind::From(from) => modules.push(from.module.clone().unwrap_or_default()),
        }
    }
    assert_eq!(modules, ["typing", "ujson", "json", "app.models", "app.core.helpers", "deep.module"]);
}

// ---------------------------------------------------------------- definitions

#[test]
fn definitions_and_qualified_names() {
    let src = "\
class Outer:
    class Inner:
        def method(self):
            def helper():
                pass
    @staticmethod
    def create_for_user(u):
        pass
    async def aio(self):
        pass

@decorator
def outer():
    class Local:
        pass

@a.b(c)
@d
class Decorated:
    pass

async def top():
    pass
";
    let facts = facts(src);
    let got: Vec<_> = facts
        .definitions
        .iter()
        .map(|d| (d.kind, d.name.as_str(), d.qualified_name.as_str(), d.is_method, d.top_level))
        .collect();
    use DefinitionKind::{Class, Function};
    assert_eq!(
        got,
        [
            (Class, "Outer", "Outer", false, true),
            (Class, "Inner", "Outer.Inner", false, false),
            (Function, "method", "Outer.Inner.method", true, false),
            (Function, "helper", "Outer.Inner.method.helper", false, false),
            (Function, "create_for_user", "Outer.create_for_user", true, false),
            (Function, "aio", "Outer.aio", true, false),
            (Function, "outer", "outer", false, true),
            (Class, "Local", "outer.Local", false, false),
            (Class, "Decorated", "Decorated", false, true),
            (Function, "top", "top", false, true),
        ]
    );
    for definition in &facts.definitions {
        assert_eq!(slice(src, definition.span), definition.name);
    }
}

// ---------------------------------------------------------------- assignments

#[test]
fn module_level_assignments() {
    let src = "\
X = 1
Y: int = 2
Z: int
A = B = 3
a, b = 1, 2
N += 1
Manager = type('Manager', (), {})
obj.attr = 4
items[0] = 5
if cond:
    IN_IF = 1
else:
    IN_ELSE = 1
try:
    IN_TRY = 1
except Exception:
    IN_EXCEPT = 1
with ctx:
    IN_WITH = 1
for i in x:
    IN_FOR = 1
def f():
    LOCAL = 1
class C:
    ATTR = 1
(w := 3)
";
    let facts = facts(src);
    let names: Vec<_> = facts.assignments.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(
        names,
        ["X", "Y", "A", "B", "Manager", "IN_IF", "IN_ELSE", "IN_TRY", "IN_EXCEPT", "IN_WITH", "IN_FOR"]
    );
    for assignment in &facts.assignments {
        assert_eq!(slice(src, assignment.span), assignment.name);
    }
}

// ---------------------------------------------------------------- chains

#[test]
fn chains_for_every_attribute() {
    let src = "self.context.websocket_manager.send(x)\n";
    let facts = facts(src);
    assert_eq!(
        chains(&facts),
        ["self.context.websocket_manager.send", "self.context.websocket_manager", "self.context"]
    );
    let spans: Vec<_> = facts.attributes.iter().map(|c| slice(src, c.span)).collect();
    assert_eq!(
        spans,
        ["self.context.websocket_manager.send", "self.context.websocket_manager", "self.context"]
    );
    assert_eq!(facts.attributes[0].last_name(), "send");
}

#[test]
fn chains_end_at_calls_and_subscripts() {
    let facts = facts("a().b\nx[0].y\nf(a).b.c\n(a.b).c\n(a).b\n'sep'.join\nNone.x\n");
    assert_eq!(chains(&facts), ["b", "y", "b.c", "b", "a.b.c", "a.b", "a.b", "join", "x"]);
}

#[test]
fn chains_through_parentheses_and_calls() {
    let facts = facts("(a.b).c.d()\nx.y(z.w).v\nf(a.b.c).d.e\n((p)).q\n");
    assert_eq!(
        chains(&facts),
        ["a.b.c.d", "a.b.c", "a.b", "v", "x.y", "z.w", "d.e", "d", "a.b.c", "a.b", "p.q"]
    );
    assert_eq!(callees(&facts), [Some("a.b.c.d"), Some("x.y"), Some("f")]);
}

#[test]
fn soft_keywords_are_identifiers_in_chains() {
    let facts = facts("match.group(1)\ntype(x).__name__\nprint.x\n");
    assert_eq!(chains(&facts), ["match.group", "__name__", "print.x"]);
    assert_eq!(callees(&facts), [Some("match.group"), Some("type")]);
}

// ---------------------------------------------------------------- calls

#[test]
fn calls_and_callees() {
    let src = "f(g(1), h.i(2))\na().b()\nf()()\nx[0]()\n(a.b)()\nlambda: 0()\n";
    let facts = facts(src);
    assert_eq!(
        callees(&facts),
        [Some("f"), Some("g"), Some("h.i"), Some("b"), Some("a"), None, Some("f"), None, Some("a.b"), None]
    );
    assert_eq!(slice(src, facts.calls[0].span), "f(g(1), h.i(2))");
    assert_eq!(slice(src, facts.calls[2].span), "h.i(2)");
    let callee = facts.calls[3].callee.as_ref().unwrap();
    assert_eq!(slice(src, callee.span), "a().b");
}

#[test]
fn call_arguments() {
    let src = "\
emit(
    'user.created',   # event
    payload,
    *rest,
    level='info',
    **extra,
    raw=r'a\\nb',
    fmt=f'x',
    bad=f'{x}',
    joined='a' 'b',
    b=b\"bytes\",
    tri=\"\"\"t\"\"\",
)
";
    let facts = facts(src);
    assert_eq!(facts.calls.len(), 1);
    let args = &facts.calls[0].args;
    let got: Vec<_> = args
        .iter()
        .map(|a| (a.position, a.keyword.as_deref(), a.string_value.as_deref(), slice(src, a.span)))
        .collect();
    assert_eq!(
        got,
        [
            (Some(0), None, Some("user.created"), "'user.created'"),
            (Some(1), None, None, "payload"),
            (None, None, None, "*rest"),
            (None, Some("level"), Some("info"), "'info'"),
            (None, None, None, "**extra"),
            (None, Some("raw"), Some("a\\nb"), "r'a\\nb'"),
            (None, Some("fmt"), None, "f'x'"),
            (None, Some("bad"), None, "f'{x}'"),
            (None, Some("joined"), None, "'a' 'b'"),
            (None, Some("b"), Some("bytes"), "b\"bytes\""),
            (None, Some("tri"), Some("t"), "\"\"\"t\"\"\""),
        ]
    );
    assert!(
        slice(src, facts.calls[0].span).starts_with("emit(")
            && slice(src, facts.calls[0].span).ends_with(')')
    );
}

#[test]
fn generator_argument_is_one_positional() {
    let src = "any(x for x in y)\nsum((x for x in y), start=0)\n";
    let facts = facts(src);
    assert_eq!(facts.calls[0].args.len(), 1);
    assert_eq!(facts.calls[0].args[0].position, Some(0));
    assert_eq!(slice(src, facts.calls[0].args[0].span), "(x for x in y)");
    assert_eq!(facts.calls[1].args.len(), 2);
    assert_eq!(facts.calls[1].args[1].keyword.as_deref(), Some("start"));
}

#[test]
fn empty_and_escaped_strings() {
    let facts = facts("f('', \"a\\\"b\", u'x', T'{y}', Rb'z')\n");
    let values: Vec<_> = facts.calls[0].args.iter().map(|a| a.string_value.as_deref()).collect();
    assert_eq!(values, [Some(""), Some("a\\\"b"), Some("x"), None, Some("z")]);
}

// ---------------------------------------------------------------- comments & suppressions

#[test]
fn suppressions_one_several_all() {
    let src = "\
import a  # ssot: ignore[compat-import]
import b  # ssot:ignore[rule-a, rule-b ]
import c  # ssot: ignore
import d  # noqa: E501  # ssot:  ignore[compat-import]  # expect: x
import e  # ssot: ignored
import f  # not ssot
";
    let facts = facts(src);
    assert!(!facts.suppressions.whole_file);
    assert_eq!(
        facts.suppressions.lines,
        [
            LineSuppression { line: 1, rules: rules(&["compat-import"]) },
            LineSuppression { line: 2, rules: rules(&["rule-a", "rule-b"]) },
            LineSuppression { line: 3, rules: vec![] },
            LineSuppression { line: 4, rules: rules(&["compat-import"]) },
        ]
    );
}

#[test]
fn ignore_file() {
    let facts = facts("x = 1\n    # ssot: ignore-file\n");
    assert!(facts.suppressions.whole_file);
    assert!(facts.suppressions.lines.is_empty());
    assert!(!self::facts("x = '# ssot: ignore-file'\n").suppressions.whole_file);
}

#[test]
fn hashes_inside_strings_are_not_comments() {
    let src = "\
a = '# ssot: ignore'
b = \"it's # not\"  # real: 1
c = '''
# ssot: ignore
still string ' \" # no
'''  # ssot: ignore[x]
d = r'\\\\' # ssot: ignore[y]
e = f\"{'#'}\" # ssot: ignore[z]
g = f'{x:#>10}'  # ssot: ignore[w]
h = rb'\\'' + RF\"{a['#']}\" # ssot: ignore[v]
";
    let facts = facts(src);
    let lines: Vec<_> = facts.suppressions.lines.iter().map(|s| s.line).collect();
    assert_eq!(lines, [6, 7, 8, 9, 10]);
    assert!(facts.syntax_error.is_none());
}

#[test]
fn comments_after_pep701_strings_and_escapes() {
    let src = "\
x = f\"{d[\"k\"]}\"  # one
y = f'''{
    a  # two
}'''
z = f\"\\N{BULLET} {v}\"  # three
v = 1  # four
u = \"\\\\\"  # five
t = f'{{not a field # x}}'  # six
";
    assert_eq!(comment_texts(src), ["# one", "# two", "# three", "# four", "# five", "# six"]);
    assert_eq!(facts(src).syntax_error, None);
}

#[test]
fn comments_after_format_specs_and_nested_braces() {
    let src = "\
a = f'{x!r:>10}'  # one
b = f'{v:{w}.{p}}'  # two
c = f'{ {\"k\": 1}[\"k\"] }'  # three
d = f'{(lambda: 1)()}'  # four
e = f'{x:{\"#\"}>5}' # five
g = f'''{x:
}'''  # six
h = u'x' + B'y' + Br'z'  # seven
i = 1if'#'else 2  # eight
#ssot:ignore[a]
";
    assert_eq!(
        comment_texts(src),
        ["# one", "# two", "# three", "# four", "# five", "# six", "# seven", "# eight", "#ssot:ignore[a]"]
    );
    let facts = facts(src);
    assert_eq!(facts.suppressions.lines, [LineSuppression { line: 10, rules: rules(&["a"]) }]);
}

#[test]
fn comment_lines_in_crlf_files() {
    let facts = facts("a = 1\r\nb = 2  # ssot: ignore\r\n");
    assert_eq!(facts.suppressions.lines, [LineSuppression { line: 2, rules: vec![] }]);
}

// ---------------------------------------------------------------- syntax errors

#[test]
fn missing_node_syntax_error() {
    let src = "x = 1\ndef f(:\n    pass\n";
    let facts = facts(src);
    let error = facts.syntax_error.expect("error");
    // At the `:` where a parameter was expected, with the parser's message.
    assert_eq!(error.start, src.find(':').unwrap());
    assert!(facts.syntax_error_message.is_some());
    // The rest of the file is still read.
    assert_eq!(facts.definitions.len(), 1);
    assert_eq!(facts.assignments.len(), 1);
}

#[test]
fn error_node_syntax_error() {
    let src = "x = 1\ny = = 2\nz = 3\n";
    let facts = facts(src);
    let error = facts.syntax_error.expect("error");
    assert!(error.start >= 6 && error.end > error.start, "{error:?}");
    assert!(src[..error.end].contains('='));
}

#[test]
fn first_error_in_document_order() {
    let src = "a = (1,\nb = 2\ndef f(:\n    pass\n";
    let facts = facts(src);
    let error = facts.syntax_error.expect("error");
    assert!(error.start < src.find("def").unwrap(), "{error:?}");
}

#[test]
fn error_inside_an_import_is_found() {
    let src = "from a import (b,\nx = 1\n";
    let facts = facts(src);
    assert!(facts.syntax_error.is_some());
}

#[test]
fn clean_file_has_no_error() {
    assert_eq!(facts("x = 1\n# c\n").syntax_error, None);
}

// ---------------------------------------------------------------- robustness & performance

#[test]
fn deep_parentheses_do_not_overflow() {
    let depth = 10_000;
    let src = format!("x = {}f(a.b){}\n", "(".repeat(depth), ")".repeat(depth));
    let facts = facts(&src);
    assert_eq!(facts.assignments.len(), 1);
    assert_eq!(callees(&facts), [Some("f")]);
    assert_eq!(chains(&facts), ["a.b"]);
}

#[test]
fn deep_attribute_chain_does_not_overflow() {
    let depth = 5_000;
    let src = format!("root{}\n", ".a".repeat(depth));
    let facts = facts(&src);
    assert_eq!(facts.attributes.len(), depth);
    assert_eq!(facts.attributes[0].dotted.len(), src.trim_end().len());
    assert_eq!(facts.attributes[depth - 1].dotted, "root.a");
    let calls = format!("f{}\n", "()".repeat(depth));
    assert_eq!(self::facts(&calls).calls.len(), depth);
}

#[test]
fn many_comment_lines_at_varying_indentation_are_fast() {
    let mut src = String::from("def outer():\n    def inner():\n        x = 1\n");
    for i in 0..8_000 {
        src.push_str(&" ".repeat((i * 7) % 13));
        src.push_str("# a comment line\n");
    }
    src.push_str("        return x  # ssot: ignore\n    return inner\n");
    let start = Instant::now();
    let facts = facts(&src);
    let elapsed = start.elapsed();
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    assert_eq!(facts.syntax_error, None);
    assert_eq!(facts.definitions.len(), 2);
    assert_eq!(facts.suppressions.lines, [LineSuppression { line: 8_004, rules: vec![] }]);
}

#[test]
fn empty_and_non_utf8_files() {
    assert_eq!(facts(""), FileFacts::default());
    let file = SourceFile::new("b.py".into(), "b".into(), false, b"x = '\xff'  # ssot: ignore\n".to_vec());
    let facts = extract(&file);
    assert_eq!(facts.assignments.len(), 1);
    assert_eq!(facts.suppressions.lines.len(), 1);
}

// ---------------------------------------------------------------- modern Python

#[test]
fn pep695_and_696_generics_parse_cleanly() {
    let src = "\
class LoginFlow[_AuthProviderT: AuthProvider = AuthProvider](FlowHandler):
    pass

def first[T = str](items: list[T]) -> T:
    return items[0]

type Alias[K, V = int] = dict[K, V]

class Box[*Ts, **P]:
    def get[U](self) -> U: ...
";
    let facts = facts(src);
    assert_eq!(facts.syntax_error, None, "{:?}", facts.syntax_error_message);
    let names: Vec<_> = facts.definitions.iter().map(|d| d.qualified_name.as_str()).collect();
    assert_eq!(names, ["LoginFlow", "first", "Box", "Box.get"]);
    // `type X = ...` binds a module-level name.
    let assigned: Vec<_> = facts.assignments.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(assigned, ["Alias"]);
}

#[test]
fn pep701_fstrings_with_nested_quotes_and_backslashes() {
    let src = "x = f\"{d[\"Manager\"]} {'\\n'.join(a.b)} {f'{c.d}'}\"\n";
    let facts = facts(src);
    assert_eq!(facts.syntax_error, None, "{:?}", facts.syntax_error_message);
    assert_eq!(chains(&facts), ["join", "a.b", "c.d"]);
}

#[test]
fn match_except_star_walrus_and_soft_keywords() {
    let src = "\
match command.split():
    case [\"go\", direction]:
        go(direction)
    case _:
        pass
try:
    run()
except* ValueError as group:
    handle(group)
if (n := len(items)) > 3:
    pass
match = 1
type = x
case = match.group
with (open(a) as f, open(b) as g):
    pass
";
    let facts = facts(src);
    assert_eq!(facts.syntax_error, None, "{:?}", facts.syntax_error_message);
    let assigned: Vec<_> = facts.assignments.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(assigned, ["match", "type", "case"]);
    assert_eq!(
        callees(&facts),
        [
            Some("command.split"),
            Some("go"),
            Some("run"),
            Some("handle"),
            Some("len"),
            Some("open"),
            Some("open")
        ]
    );
}

#[test]
fn under_indented_continuation_lines_in_nested_blocks() {
    let src = "\
class A:
    def f(self):
        if x:
            from app.models import (
    User,
  Group,
)
            return User
";
    let facts = facts(src);
    assert_eq!(facts.syntax_error, None, "{:?}", facts.syntax_error_message);
    let names: Vec<_> = from_imports(&facts)[0].names.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["User", "Group"]);
}

#[test]
fn a_syntax_error_carries_the_parser_message_and_the_rest_is_read() {
    let src = "from a import B\ndef broken(:\n    pass\nfrom c import D\n";
    let facts = facts(src);
    let error = facts.syntax_error.expect("error");
    assert_eq!(&src[..error.start].lines().count(), &2);
    assert!(!facts.syntax_error_message.unwrap_or_default().is_empty());
    assert_eq!(facts.imports.len(), 2);
}

#[test]
fn deep_operator_chains_do_not_overflow() {
    // Each `+` nests the tree one level deeper: the visit and the drop recurse that deep.
    let src = format!("x = {}a\n", "a + ".repeat(100_000));
    let file = SourceFile::from_text("x.py", "x", false, &src);
    let (facts, errors_only) = std::thread::spawn(move || (extract(&file), extract_syntax_error(&file)))
        .join()
        .expect("no stack overflow");
    assert_eq!(facts.assignments.len(), 1);
    assert_eq!(facts.syntax_error, None);
    assert_eq!(errors_only, FileFacts::default());
}

#[test]
fn stub_files_parse_as_stubs() {
    let file =
        SourceFile::from_text("pkg/x.pyi", "pkg.x", false, "def f(x: int) -> int: ...\nclass C: ...\n");
    let facts = extract(&file);
    assert_eq!(facts.syntax_error, None);
    assert_eq!(facts.definitions.len(), 2);
}

// ---------------------------------------------------------------- qualified names (issue 15)

/// (spelling, qualified) of every callee that has a qualified name.
fn qualified_callees(facts: &FileFacts) -> Vec<(&str, &str)> {
    facts
        .calls
        .iter()
        .filter_map(|call| call.callee.as_ref())
        .filter_map(|callee| callee.qualified.as_deref().map(|qualified| (callee.dotted.as_str(), qualified)))
        .collect()
}

fn qualified_attributes(facts: &FileFacts) -> Vec<(&str, &str)> {
    facts
        .attributes
        .iter()
        .filter_map(|chain| chain.qualified.as_deref().map(|qualified| (chain.dotted.as_str(), qualified)))
        .collect()
}

fn qualified_names(facts: &FileFacts) -> Vec<(&str, &str)> {
    facts.names.iter().map(|name| (name.dotted.as_str(), name.qualified.as_deref().unwrap_or(""))).collect()
}

#[test]
fn four_spellings_of_one_call() {
    let src = "import ssl\nimport ssl as s\nfrom ssl import create_default_context\n\
               from ssl import create_default_context as cdc\n\
               ssl.create_default_context()\ns.create_default_context()\ncreate_default_context()\ncdc()\n";
    let facts = facts(src);
    // The spelling `ssl.create_default_context` is its own qualified name: none is set.
    assert_eq!(
        qualified_callees(&facts),
        [
            ("s.create_default_context", "ssl.create_default_context"),
            ("create_default_context", "ssl.create_default_context"),
            ("cdc", "ssl.create_default_context"),
        ]
    );
    assert_eq!(qualified_attributes(&facts), [("s.create_default_context", "ssl.create_default_context")]);
    assert_eq!(
        qualified_names(&facts),
        [("create_default_context", "ssl.create_default_context"), ("cdc", "ssl.create_default_context")]
    );
}

#[test]
fn module_imports_bind_their_first_name_or_their_alias() {
    let facts = facts("import a.b\nimport a.b.c as x\na.b.f()\nx.g.h()\nx\n");
    assert_eq!(qualified_callees(&facts), [("x.g.h", "a.b.c.g.h")]);
    // `x` is read twice: as the root of `x.g.h` and alone.
    assert_eq!(qualified_names(&facts), [("x", "a.b.c"), ("x", "a.b.c")]);
}

#[test]
fn relative_imports_are_resolved() {
    let facts =
        facts_of("app.core.models", false, "from .bridge import emit as e\nfrom .. import ws\ne()\nws.f()\n");
    assert_eq!(qualified_callees(&facts), [("e", "app.core.bridge.emit"), ("ws.f", "app.ws.f")]);
    // Above the top-level package: unknown, and it hides nothing else either.
    let facts = facts_of("app", false, "from ... import x\nx.f()\n");
    assert!(qualified_callees(&facts).is_empty());
}

#[test]
fn star_imports_bind_nothing_known() {
    let facts = facts("from ssl import *\ncreate_default_context()\n");
    assert!(qualified_callees(&facts).is_empty() && facts.names.is_empty());
}

#[test]
fn type_checking_imports_count() {
    let src = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app.ws import Manager as M\n\
               def f(m: M.Sub): ...\n";
    assert_eq!(qualified_attributes(&facts(src)), [("M.Sub", "app.ws.Manager.Sub")]);
}

#[test]
fn rebinding_hides_the_import() {
    for src in [
        // assignment, def, class, parameter, loop target, with-as, except-as, comprehension
        "from ssl import wrap as w\nw = other\nw()\n",
        "from ssl import wrap as w\ndef w(): ...\nw()\n",
        "from ssl import wrap as w\nclass w: ...\nw()\n",
        "from ssl import wrap as w\ndef f(w):\n    w()\n",
        "from ssl import wrap as w\ndef f(*, w=None):\n    w()\n",
        "from ssl import wrap as w\nfor w in ws:\n    w()\n",
        "from ssl import wrap as w\nwith open() as w:\n    w()\n",
        "from ssl import wrap as w\ntry:\n    pass\nexcept E as w:\n    w()\n",
        "from ssl import wrap as w\n[w() for w in ws]\n",
        "from ssl import wrap as w\n{k: w() for k, w in ws}\n",
        "from ssl import wrap as w\nf = lambda w: w()\n",
        "from ssl import wrap as w\nmatch x:\n    case [*w]:\n        w()\n",
        "from ssl import wrap as w\nif (w := 3):\n    w()\n",
        "import ssl as s\ndef f():\n    s = make()\n    s.wrap()\n",
        "import ssl as s\ns: Any = None\ns.wrap()\n",
        // a function's own name is local all through it: a use before its binding is unbound
        "from ssl import wrap as w\ndef f():\n    w()\n    w = 1\n",
    ] {
        let facts = facts(src);
        assert!(qualified_callees(&facts).is_empty(), "{src}: {:?}", qualified_callees(&facts));
        assert!(facts.names.is_empty(), "{src}: {:?}", qualified_names(&facts));
    }
}

#[test]
fn source_order_within_a_scope() {
    // The last binding before the use wins; an import after the use does not count.
    let src = "w()\nfrom ssl import wrap as w\nw()\nfrom tls import wrap as w\nw()\nw = 1\nw()\n";
    assert_eq!(qualified_callees(&facts(src)), [("w", "ssl.wrap"), ("w", "tls.wrap")]);
    // An assignment binds after its value: `s = s.wrap()` reads the import.
    assert_eq!(qualified_callees(&facts("import ssl as s\ns = s.wrap()\ns.f()\n")), [("s.wrap", "ssl.wrap")]);
}

#[test]
fn function_bodies_see_the_last_module_binding() {
    // A module-level import after the def is bound when the body runs.
    let src = "def f():\n    w()\nfrom ssl import wrap as w\n";
    assert_eq!(qualified_callees(&facts(src)), [("w", "ssl.wrap")]);
    // ... and a later module-level rebinding hides it.
    let src = "from ssl import wrap as w\ndef f():\n    w()\nw = None\n";
    assert!(qualified_callees(&facts(src)).is_empty());
    // Nested functions and lambdas see the enclosing function's bindings.
    let src =
        "def f():\n    from ssl import wrap as w\n    def g():\n        return w()\n    h = lambda: w()\n";
    assert_eq!(qualified_callees(&facts(src)), [("w", "ssl.wrap"), ("w", "ssl.wrap")]);
}

#[test]
fn imports_inside_functions_and_classes_are_scoped_to_them() {
    let src = "def f():\n    from ssl import wrap as w\n    w()\ndef g():\n    w()\n";
    assert_eq!(qualified_callees(&facts(src)), [("w", "ssl.wrap")]);
    // A nested function's own import wins over the module's.
    let src = "from ssl import wrap as w\ndef f():\n    from tls import wrap as w\n    w()\nw()\n";
    assert_eq!(qualified_callees(&facts(src)), [("w", "tls.wrap"), ("w", "ssl.wrap")]);
    // A class body's import is not visible in its methods.
    let src = "class A:\n    from ssl import wrap as w\n    x = w()\n    def m(self):\n        w()\n";
    assert_eq!(qualified_callees(&facts(src)), [("w", "ssl.wrap")]);
}

#[test]
fn decorators_and_defaults_run_in_the_enclosing_scope() {
    let src = "from app import deco as d, make as m\n@d.wrap\ndef f(d, x=m.default()):\n    d.wrap()\n";
    assert_eq!(qualified_callees(&facts(src)), [("m.default", "app.make.default")]);
    assert_eq!(
        qualified_attributes(&facts(src)),
        [("d.wrap", "app.deco.wrap"), ("m.default", "app.make.default")]
    );
}

#[test]
fn chains_not_rooted_at_a_name_are_never_resolved() {
    let facts = facts("from ssl import wrap\nget().wrap()\n(x or y).wrap\n");
    assert!(qualified_callees(&facts).is_empty() && qualified_attributes(&facts).is_empty());
}
