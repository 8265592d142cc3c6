use super::*;
use crate::facts::{FromImport, ImportKind, LineSuppression, ModuleImport};

fn facts_in(module: &str, src: &str) -> FileFacts {
    let file = SourceFile::from_text("src/x.rs", module, false, src);
    extract(&file)
}

fn facts(src: &str) -> FileFacts {
    facts_in("chat::ws::conn", src)
}

fn slice(src: &str, span: Span) -> &str {
    &src[span.start..span.end]
}

fn froms(facts: &FileFacts) -> Vec<&FromImport> {
    facts
        .imports
        .iter()
        .filter_map(|import| match &import.kind {
            ImportKind::From(from) => Some(from),
            ImportKind::Module(_) => None,
        })
        .collect()
}

fn modules(facts: &FileFacts) -> Vec<&ModuleImport> {
    facts
        .imports
        .iter()
        .flat_map(|import| match &import.kind {
            ImportKind::Module(items) => items.iter().collect(),
            ImportKind::From(_) => Vec::new(),
        })
        .collect()
}

/// `(resolved module, [name or name as alias], star)` of every `from` fact.
fn from_summary(facts: &FileFacts) -> Vec<(Option<String>, Vec<String>, bool)> {
    froms(facts)
        .iter()
        .map(|from| {
            let names = from
                .names
                .iter()
                .map(|name| match &name.alias {
                    Some(alias) => format!("{} as {alias}", name.name),
                    None => name.name.clone(),
                })
                .collect();
            (from.module.clone(), names, from.star)
        })
        .collect()
}

fn resolved(module: &str, src: &str) -> Vec<Option<String>> {
    froms(&facts_in(module, src)).iter().map(|from| from.module.clone()).collect()
}

fn chains(facts: &FileFacts) -> Vec<&str> {
    facts.attributes.iter().map(|chain| chain.dotted.as_str()).collect()
}

fn callees(facts: &FileFacts) -> Vec<Option<&str>> {
    facts.calls.iter().map(|call| call.callee.as_ref().map(|callee| callee.dotted.as_str())).collect()
}

fn some(text: &str) -> Option<String> {
    Some(text.to_string())
}

// ---------------------------------------------------------------- use trees

#[test]
fn use_groups_renames_self_and_globs_become_from_facts() {
    let src = "use chat::ids::{UserId, SessionId as Sid, store::{self, Store as S}, wire::*};\n";
    let facts = facts(src);
    assert_eq!(
        from_summary(&facts),
        vec![
            (some("chat::ids"), vec!["UserId".into(), "SessionId as Sid".into(), "store".into()], false),
            (some("chat::ids::store"), vec!["Store as S".into()], false),
            (some("chat::ids::wire"), vec![], true),
        ]
    );
    let from = froms(&facts)[0];
    assert!(from.parenthesized, "names in braces");
    assert_eq!(slice(src, from.names[1].span), "SessionId");
    assert_eq!(slice(src, from.names[1].item_span), "SessionId as Sid");
    // `self` stands for the group's own path: the name is `store`, located at `self`.
    assert_eq!(slice(src, from.names[2].span), "self");
    assert_eq!(slice(src, from.module_span), "chat::ids");
    assert_eq!(slice(src, froms(&facts)[1].module_span), "store");
    assert_eq!(slice(src, facts.imports[0].statement), src.trim_end());
}

#[test]
fn a_plain_use_is_a_from_fact_and_a_bare_crate_is_a_module_fact() {
    let src = "use chat::ids::UserId;\nuse serde;\nuse tokio as rt;\npub use ::std::fmt::Debug;\n";
    let facts = facts(src);
    assert_eq!(
        from_summary(&facts),
        vec![
            (some("chat::ids"), vec!["UserId".into()], false),
            (some("std::fmt"), vec!["Debug".into()], false)
        ]
    );
    let modules: Vec<(&str, Option<&str>)> =
        modules(&facts).iter().map(|item| (item.module.as_str(), item.alias.as_deref())).collect();
    assert_eq!(modules, vec![("serde", None), ("tokio", Some("rt"))]);
    let first = froms(&facts)[0];
    assert!(!first.parenthesized);
    assert_eq!((first.level, first.raw_module.as_str()), (0, "chat::ids"));
}

#[test]
fn crate_self_and_super_resolve_against_the_module() {
    let module = "chat::ws::conn";
    assert_eq!(resolved(module, "use crate::ids::UserId;"), vec![some("chat::ids")]);
    assert_eq!(resolved(module, "use self::frame::Frame;"), vec![some("chat::ws::conn::frame")]);
    assert_eq!(resolved(module, "use super::Manager;"), vec![some("chat::ws")]);
    assert_eq!(resolved(module, "use super::super::ids::UserId;"), vec![some("chat::ids")]);
    assert_eq!(resolved(module, "use self::super::Manager;"), vec![some("chat::ws")]);
    // Climbing above the crate root resolves to nothing (no rule can fire on it).
    assert_eq!(resolved(module, "use super::super::super::X;"), vec![None]);
    assert_eq!(resolved("chat", "use super::X;"), vec![None]);
    let facts = facts_in(module, "use super::super::ids::UserId;");
    let from = froms(&facts)[0];
    assert_eq!((from.level, from.raw_module.as_str()), (3, "super::super::ids"));
}

#[test]
fn super_inside_inline_modules_climbs_the_inline_modules_first() {
    let src = "mod outer {\n    mod inner {\n        use super::Helper;\n        use super::super::Root;\n        use self::deep::D;\n    }\n}\n";
    assert_eq!(
        resolved("chat::ws", src),
        vec![some("chat::ws::outer"), some("chat::ws"), some("chat::ws::outer::inner::deep")]
    );
}

#[test]
fn a_first_segment_naming_a_local_item_is_relative_to_the_module() {
    let src = "mod frame;\nenum Kind { A }\nuse frame::Frame;\nuse Kind::*;\nuse other::Thing;\n";
    assert_eq!(
        resolved("chat::ws", src),
        vec![some("chat::ws::frame"), some("chat::ws::Kind"), some("other")]
    );
}

#[test]
fn uses_inside_functions_count_too() {
    let src = "fn handler() {\n    use crate::legacy::Manager;\n}\n";
    assert_eq!(resolved("chat::ws", src), vec![some("chat::legacy")]);
}

// ---------------------------------------------------------------- definitions

fn definitions(facts: &FileFacts) -> Vec<(DefinitionKind, &str, bool, bool)> {
    facts.definitions.iter().map(|d| (d.kind, d.qualified_name.as_str(), d.is_method, d.top_level)).collect()
}

#[test]
fn types_are_classes_and_functions_and_methods_are_qualified() {
    use DefinitionKind::{Class, Function};
    let src = "\
pub struct Manager;
enum Event { A }
union Raw { a: u8 }
type Alias = Manager;
pub(crate) trait Factory { fn create() -> Self; fn build(&self) {} }
impl Manager { pub fn create_for_user() -> Self { fn helper() {} Manager } }
impl<T> Factory for Wrapper<T> { fn create() -> Self { todo!() } }
impl Factory for &Other { fn create() -> Self { todo!() } }
impl Factory for [u8] { fn create() -> Self { todo!() } }
fn free() { struct Local; }
mod inner { pub struct Nested; impl Nested { fn new() {} } }
";
    let facts = facts(src);
    assert_eq!(
        definitions(&facts),
        vec![
            (Class, "Manager", false, true),
            (Class, "Event", false, true),
            (Class, "Raw", false, true),
            (Class, "Alias", false, true),
            (Class, "Factory", false, true),
            (Function, "Factory::create", true, false),
            (Function, "Factory::build", true, false),
            (Function, "Manager::create_for_user", true, false),
            (Function, "Manager::create_for_user::helper", false, false),
            (Function, "Wrapper::create", true, false),
            (Function, "Other::create", true, false),
            (Function, "_::create", true, false),
            (Function, "free", false, true),
            (Class, "free::Local", false, false),
            (Class, "inner::Nested", false, false),
            (Function, "inner::Nested::new", true, false),
        ]
    );
    let create = &facts.definitions[7];
    assert_eq!(slice(src, create.span), "create_for_user");
}

#[test]
fn module_level_consts_and_statics_are_assignments() {
    let src = "pub const MAX: usize = 3;\nstatic mut COUNT: u32 = 0;\nfn f() { const LOCAL: u8 = 1; }\nimpl X { const ASSOC: u8 = 2; }\n";
    let facts = facts(src);
    let names: Vec<&str> = facts.assignments.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, vec!["MAX", "COUNT"]);
}

// ---------------------------------------------------------------- calls and chains

#[test]
fn callee_chains_of_paths_methods_and_broken_chains() {
    let src = "fn f() {\n    Manager::create(1);\n    self.ctx.bridge.emit(\"a\");\n    make().build();\n    (get)();\n    f()();\n    <T as Tr>::make();\n    Vec::<u8>::new();\n}\n";
    let facts = facts(src);
    assert_eq!(
        callees(&facts),
        vec![
            Some("Manager::create"),
            Some("self.ctx.bridge.emit"),
            Some("build"),
            Some("make"),
            Some("get"),
            None,
            Some("f"),
            Some("make"),
            Some("Vec::new"),
        ]
    );
    let emit = &facts.calls[1];
    assert_eq!(slice(src, emit.span), "self.ctx.bridge.emit(\"a\")");
    assert_eq!(slice(src, emit.callee.as_ref().unwrap().span), "self.ctx.bridge.emit");
    assert_eq!(slice(src, facts.calls[0].span), "Manager::create(1)");
}

#[test]
fn string_literal_arguments_are_read_by_position() {
    let src =
        "fn f() { bridge.emit(\"agent_started\", r#\"raw\"#, name, \"esc\\\"aped\", 1 + \"x\".len()); }";
    let facts = facts(src);
    let args = &facts.calls[0].args;
    let values: Vec<(Option<usize>, Option<&str>)> =
        args.iter().map(|a| (a.position, a.string_value.as_deref())).collect();
    assert_eq!(
        values,
        vec![
            (Some(0), Some("agent_started")),
            (Some(1), Some("raw")),
            (Some(2), None),
            (Some(3), Some("esc\"aped")),
            (Some(4), None)
        ]
    );
    assert_eq!(slice(src, args[0].span), "\"agent_started\"");
    assert_eq!(slice(src, args[4].span), "1 + \"x\".len()");
    assert!(args.iter().all(|a| a.keyword.is_none()));
}

#[test]
fn argument_spans_cover_whole_expressions() {
    let src = "fn f() { g(|x| x + 1, &mut a.b, -n, a..b, [1, 2], S { a: 1 }, x?, y.await, v[0], (1, 2), 3 as u8, if c { 1 } else { 2 }); }";
    let facts = facts(src);
    let spans: Vec<&str> = facts.calls[0].args.iter().map(|a| slice(src, a.span)).collect();
    assert_eq!(
        spans,
        vec![
            "|x| x + 1",
            "&mut a.b",
            "-n",
            "a..b",
            "[1, 2]",
            "S { a: 1 }",
            "x?",
            "y.await",
            "v[0]",
            "(1, 2)",
            "3 as u8",
            "if c { 1 } else { 2 }"
        ]
    );
}

#[test]
fn field_chains_are_attributes_each_nested_one_included() {
    let src = "fn f() { let a = self.context.websocket_manager.send; let b = make().inner.x; let c = t.0.y; let d = (p.q).r; }";
    let facts = facts(src);
    assert_eq!(
        chains(&facts),
        vec![
            "self.context",
            "self.context.websocket_manager",
            "self.context.websocket_manager.send",
            "inner",
            "inner.x",
            "y",
            "p.q",
            "p.q.r",
        ]
    );
    let spans: Vec<&str> = facts.attributes.iter().map(|c| slice(src, c.span)).collect();
    assert_eq!(spans[1], "self.context.websocket_manager");
    assert_eq!(spans[3], "make().inner");
    assert_eq!(spans[7], "(p.q).r");
}

#[test]
fn paths_and_method_callees_are_attributes_too() {
    let src = "fn f() { let x = config::DEFAULT; let y = a; ws::Registry::global().send(1); }";
    let facts = facts(src);
    assert_eq!(chains(&facts), vec!["config::DEFAULT", "send", "ws::Registry::global"]);
    let spans: Vec<&str> = facts.attributes.iter().map(|c| slice(src, c.span)).collect();
    assert_eq!(spans, vec!["config::DEFAULT", "ws::Registry::global().send", "ws::Registry::global"]);
}

#[test]
fn macros_are_opaque() {
    let src = "fn f() { println!(\"{}\", self.ctx.manager); vec![make_manager()]; }\nmacro_rules! m { () => { legacy::call() } }\n";
    let facts = facts(src);
    assert!(facts.calls.is_empty(), "{:?}", facts.calls);
    assert!(facts.attributes.is_empty(), "{:?}", facts.attributes);
}

#[test]
fn long_chains_are_linear_and_do_not_overflow() {
    let src = format!("fn f() {{ let x = a{}; let y = {}b; }}", ".m()".repeat(10_000), "!".repeat(40_000));
    let started = std::time::Instant::now();
    let facts = facts(&src);
    assert_eq!(facts.calls.len(), 10_000);
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "{:?}", started.elapsed());
}

// ---------------------------------------------------------------- syntax errors

#[test]
fn a_syntax_error_hides_only_its_item() {
    let src = "use crate::legacy::Manager;\nfn f() {\n    let x = ;\n}\nstruct After;\n";
    let facts = facts(src);
    assert_eq!(facts.syntax_error.map(|span| slice(src, span)), Some(";"));
    assert_eq!(
        facts.syntax_error_message.as_deref(),
        Some(
            "expected an expression; only the item that holds it is skipped, the rest of the file is linted"
        )
    );
    assert_eq!(facts.imports.len(), 1, "the item before the error is linted");
    let names: Vec<&str> = facts.definitions.iter().map(|definition| definition.name.as_str()).collect();
    assert_eq!(names, ["After"], "the broken fn is not, the item after it is");
}

#[test]
fn bare_trait_objects_are_not_syntax_errors() {
    // Edition 2015 code rustc accepts (signal-hook-registry 1.4.8, line 140).
    for (src, names) in [
        ("use crate::legacy::Manager;\ntype A = Fn(u8) + Send;\nstruct S;\n", ["A", "S"]),
        ("type B = Box<Fn(&T) + Send>;\nfn f() {}\n", ["B", "f"]),
        ("type C<'a> = &'a (Fn(u8) + Send);\nenum E {}\n", ["C", "E"]),
        (
            "type Action = Fn(&siginfo_t) + Send + Sync;\nstruct Slot { f: Box<Error + Send> }\n",
            ["Action", "Slot"],
        ),
    ] {
        let facts = facts(src);
        assert_eq!(facts.syntax_error, None, "{src}: {:?}", facts.syntax_error_message);
        let found: Vec<&str> = facts.definitions.iter().map(|definition| definition.name.as_str()).collect();
        assert_eq!(found, names, "{src}");
    }
    let facts = facts("use crate::legacy::Manager;\ntype A = Fn(u8) + Send;\n");
    assert_eq!(froms(&facts).len(), 1);
}

#[test]
fn items_after_a_broken_one_keep_their_positions() {
    let src = "fn broken() -> {}\nfn ok() { legacy::make(); }\n";
    let facts = facts(src);
    assert!(facts.syntax_error.is_some());
    let call = facts.calls.first().expect("the call in ok() is found");
    assert_eq!(slice(src, call.span), "legacy::make()");
}

#[test]
fn unbalanced_brackets_and_unterminated_input_are_located() {
    // The tokenizer finds the `}` that does not close the `(`.
    let src = "fn f() {\n    let x = (1;\n}\n";
    let facts_of_src = facts(src);
    assert_eq!(facts_of_src.syntax_error.map(|span| slice(src, span)), Some("}"));
    assert_eq!(
        facts_of_src.syntax_error_message.as_deref(),
        Some("unbalanced brackets, or an unterminated string, char or comment; syn stops at the first error, so nothing else in this file is linted")
    );
    // An unclosed bracket at the end of the file is located at the bracket.
    let src = "fn f() { (";
    assert_eq!(facts(src).syntax_error.map(|span| slice(src, span)), Some("("));
    let src = "fn f() -> u8";
    let facts = facts(src);
    assert_eq!(facts.syntax_error, Some(Span::new(src.len(), src.len())));
    assert!(facts.syntax_error_message.unwrap().contains("end of input"));
}

#[test]
fn nesting_beyond_the_limit_is_a_syntax_error_not_a_crash() {
    let src = format!("fn f() {{ let x = {}1; }}", "-".repeat(MAX_NESTING + 10));
    let facts = facts(&src);
    let span = facts.syntax_error.unwrap();
    assert!(span.start > 10 && span.start < src.len(), "{span:?}");
    assert!(facts.syntax_error_message.unwrap().contains("nesting too deep"));
}

#[test]
fn byte_order_mark_and_shebang_keep_offsets_right() {
    let src = "\u{feff}#!/usr/bin/env run-cargo-script\nfn main() { legacy::start(); }\n";
    let facts = facts(src);
    assert_eq!(slice(src, facts.calls[0].span), "legacy::start()");
    let src = "#![allow(dead_code)]\nfn main() { legacy::start(); }\n";
    assert_eq!(slice(src, facts_in("m", src).calls[0].span), "legacy::start()");
}

#[test]
fn spans_are_bytes_even_after_multibyte_text() {
    let src = "fn f() { let s = \"héllo wörld\"; /* ü */ a.b.c(); }";
    let facts = facts(src);
    assert_eq!(slice(src, facts.calls[0].span), "a.b.c()");
}

// ---------------------------------------------------------------- suppressions

#[test]
fn suppressions_come_from_line_comments_outside_strings() {
    let src = "\
use a::B; // ssot: ignore[non-canonical-import]
let s = \"// ssot: ignore\";
/* // ssot: ignore */ x();
fn f() {} // ssot: ignore
// ssot: ignore-file
";
    let facts = facts_in("m", &format!("fn wrap() {{}}\n{src}"));
    // The file does not parse (statements at module level), yet comments still count.
    assert!(facts.syntax_error.is_some());
    assert_eq!(
        facts.suppressions.lines,
        vec![
            LineSuppression { line: 2, rules: vec!["non-canonical-import".to_string()] },
            LineSuppression { line: 5, rules: vec![] },
        ]
    );
    assert!(facts.suppressions.whole_file);
}

#[test]
fn arbitrary_text_never_panics() {
    // A small deterministic generator over the pieces that trip lexers and resolvers.
    const PIECES: [&str; 26] = [
        "\"", "'", "r#\"", "\"#", "/*", "*/", "//", "\\", "(", ")", "{", "}", "[", "]", "\n", "é", "a", "b'",
        "#", "use a::{", "super::", "fn f(", ";", ".", "::", " ",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..500 {
        let mut text = String::new();
        for _ in 0..40 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            text.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
        }
        let file = SourceFile::from_text("src/x.rs", "m", false, &text);
        let facts = extract(&file);
        for span in facts.syntax_error.iter().chain(facts.calls.iter().map(|call| &call.span)) {
            assert!(span.start <= span.end && span.end <= text.len(), "{span:?} in {text:?}");
            assert!(
                text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                "{span:?} in {text:?}"
            );
        }
    }
}

#[test]
fn files_parsed_inline_fit_a_rayon_worker_stack() {
    // The costliest constructs measured, nested right up to the inline bound, on a thread with
    // the 2 MiB stack of a rayon worker (debug build: the largest frames).
    let depth = INLINE_NESTING - 8;
    let blocks = format!("fn f() {{ {}1{} }}", "{ ".repeat(depth), " }".repeat(depth));
    // `||` is two tokens of the measure.
    let closures = format!("fn f() {{ let g = {}1; }}", "|| ".repeat((INLINE_NESTING - 10) / 2));
    for src in [blocks, closures] {
        assert!(comments::scan(src.as_bytes()).max_nesting <= INLINE_NESTING);
        let worker = std::thread::Builder::new().stack_size(2 << 20).spawn(move || facts(&src).syntax_error);
        assert_eq!(worker.unwrap().join().unwrap(), None);
    }
}

// ---------------------------------------------------------------- qualified names (issue 15)

/// (spelling, qualified) of every callee with a qualified name.
fn qualified_callees(facts: &FileFacts) -> Vec<(&str, &str)> {
    facts
        .calls
        .iter()
        .filter_map(|call| call.callee.as_ref())
        .filter_map(|callee| callee.qualified.as_deref().map(|qualified| (callee.dotted.as_str(), qualified)))
        .collect()
}

#[test]
fn use_renames_resolve_callees_and_chains() {
    let src = "use crate::legacy::make as mk;\nuse crate::legacy;\nuse tokio as rt;\nuse std::sync::Arc;\n\
               fn f() {\n    mk();\n    legacy::make();\n    rt::spawn(x);\n    Arc::new(1);\n    mk.field.send();\n}\n";
    let facts = facts(src);
    assert_eq!(
        qualified_callees(&facts),
        [
            ("mk", "chat::legacy::make"),
            ("legacy::make", "chat::legacy::make"),
            ("rt::spawn", "tokio::spawn"),
            ("Arc::new", "std::sync::Arc::new"),
            ("mk.field.send", "chat::legacy::make.field.send"),
        ]
    );
}

#[test]
fn crate_self_and_super_paths_are_made_absolute() {
    let facts = facts("fn f() {\n    crate::legacy::make();\n    super::make();\n    self::make();\n}\n");
    assert_eq!(
        qualified_callees(&facts),
        [
            ("crate::legacy::make", "chat::legacy::make"),
            ("super::make", "chat::ws::make"),
            ("self::make", "chat::ws::conn::make")
        ]
    );
}

#[test]
fn use_scoping_and_shadowing() {
    // A `use` in a function body counts there only; order does not matter for `use`.
    let src = "fn f() {\n    mk();\n    use crate::legacy::make as mk;\n}\nfn g() {\n    mk();\n}\n";
    assert_eq!(qualified_callees(&facts(src)), [("mk", "chat::legacy::make")]);
    // An inline module does not see its parent's `use` items.
    let src = "use crate::legacy::make as mk;\nmod inner {\n    fn g() {\n        mk();\n    }\n}\n";
    assert!(qualified_callees(&facts(src)).is_empty());
    // Locals hide the `use` from their position on: `let`, parameters, closure parameters.
    for src in [
        "use crate::legacy::make as mk;\nfn f() {\n    let mk = other;\n    mk();\n}\n",
        "use crate::legacy::make as mk;\nfn f(mk: F) {\n    mk();\n}\n",
        "use crate::legacy::make as mk;\nfn f() {\n    let g = |mk: F| mk();\n}\n",
        "use crate::legacy::make as mk;\nfn f() {\n    if let Some(mk) = x {\n        mk();\n    }\n}\n",
        "use crate::legacy::*;\nfn f() {\n    make();\n}\n",
        "use crate::legacy::make;\nfn f() {\n    get().make();\n    x.0.make();\n}\n",
    ] {
        assert!(qualified_callees(&facts(src)).is_empty(), "{src}: {:?}", qualified_callees(&facts(src)));
    }
    // ... but not before it.
    let src = "use crate::legacy::make as mk;\nfn f() {\n    mk();\n    let mk = other;\n}\n";
    assert_eq!(qualified_callees(&facts(src)), [("mk", "chat::legacy::make")]);
}
