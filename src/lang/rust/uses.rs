//! `use` trees → `Import` facts.
//!
//! A Rust `use` item maps onto Python's imports leaf by leaf:
//!
//! | Rust                          | facts (as if Python)                                  |
//! |-------------------------------|-------------------------------------------------------|
//! | `use a::b::C;`                | `from a::b import C`                                  |
//! | `use a::b::C as D;`           | `from a::b import C as D`                             |
//! | `use a::b::{C, d::E};`        | `from a::b import C` and `from a::b::d import E`       |
//! | `use a::b::*;`                | `from a::b import *`                                  |
//! | `use a::b::{self};`           | `from a import b` (the group's own path)              |
//! | `use serde;`, `use a as b;`   | `import serde`, `import a as b`                       |
//!
//! Leaves with the same prefix in one item share one fact. Before any comparison the prefix is
//! made absolute: `crate::` becomes the crate's name, `self::` the current module, each
//! `super::` climbs one module (inline `mod` blocks count), and a first segment naming an item
//! declared in the current module (Rust 2018 uniform paths, e.g. `use submodule::Thing` after
//! `mod submodule;`) is taken relative to it. Anything else (`std::...`, other crates, `::x`) is
//! absolute as written. `level` mirrors Python's leading dots: 1 for `self::`, 1 + n for n
//! `super::`, 0 otherwise.

use std::collections::HashSet;

use syn::{ItemUse, UseTree};

use crate::facts::{FromImport, Import, ImportKind, ImportedName, ModuleImport, Span};

/// Where a `use` item sits.
pub(crate) struct UseScope<'a> {
    /// The current module's segments: the file's module, then enclosing inline `mod`s.
    pub module: &'a [String],
    /// Items declared in the current module (for uniform paths).
    pub local_names: &'a HashSet<String>,
}

/// One path segment with its span.
#[derive(Clone, Debug)]
struct Segment {
    name: String,
    span: Span,
}

#[derive(Clone, Debug)]
enum LeafKind {
    /// A name, `self` included, with its optional `as` rename and the span of `name as alias`.
    Name {
        name: String,
        span: Span,
        alias: Option<String>,
        item_span: Span,
    },
    Glob,
}

/// One imported thing: the path leading to it and what it is.
#[derive(Clone, Debug)]
struct Leaf {
    prefix: Vec<Segment>,
    /// Where the run of segments right before the leaf starts (after the last `{`).
    run_start: usize,
    braced: bool,
    kind: LeafKind,
}

/// The `Import` facts of one `use` item. `span` turns a syn span into a byte span.
pub fn imports(item: &ItemUse, scope: &UseScope, span: &dyn Fn(proc_macro2::Span) -> Span) -> Vec<Import> {
    let mut leaves = Vec::new();
    let start = item.leading_colon.as_ref().map(|colon| span(colon.spans[0]).start);
    collect(&item.tree, &mut Vec::new(), Run { start, braced: false, restart: false }, span, &mut leaves);
    let statement = Span::new(span(item.use_token.span).start, span(item.semi_token.span).end);
    let absolute = item.leading_colon.is_some();
    let mut froms: Vec<FromImport> = Vec::new();
    let mut modules: Vec<ModuleImport> = Vec::new();
    for leaf in leaves {
        add_leaf(leaf, absolute, scope, &mut froms, &mut modules);
    }
    let mut out: Vec<Import> =
        froms.into_iter().map(|from| Import { statement, kind: ImportKind::From(from) }).collect();
    if !modules.is_empty() {
        out.push(Import { statement, kind: ImportKind::Module(modules) });
    }
    out
}

/// Where the written module path of the leaves below starts, and whether they are in braces.
#[derive(Clone, Copy)]
struct Run {
    start: Option<usize>,
    braced: bool,
    /// Just inside a `{`: the next path segment starts a new run.
    restart: bool,
}

fn collect(
    tree: &UseTree,
    prefix: &mut Vec<Segment>,
    run: Run,
    span: &dyn Fn(proc_macro2::Span) -> Span,
    out: &mut Vec<Leaf>,
) {
    let Run { start: run_start, braced, .. } = run;
    match tree {
        UseTree::Path(path) => {
            let segment_span = span(path.ident.span());
            prefix.push(Segment { name: path.ident.to_string(), span: segment_span });
            let start =
                if run.restart { segment_span.start } else { run_start.unwrap_or(segment_span.start) };
            collect(&path.tree, prefix, Run { start: Some(start), restart: false, ..run }, span, out);
            prefix.pop();
        }
        UseTree::Name(name) => {
            let name_span = span(name.ident.span());
            let kind = LeafKind::Name {
                name: name.ident.to_string(),
                span: name_span,
                alias: None,
                item_span: name_span,
            };
            out.push(leaf(prefix, run_start, braced, kind));
        }
        UseTree::Rename(rename) => {
            let name_span = span(rename.ident.span());
            let item_span = Span::new(name_span.start, span(rename.rename.span()).end);
            let alias = Some(rename.rename.to_string()).filter(|alias| alias != "_");
            let kind = LeafKind::Name { name: rename.ident.to_string(), span: name_span, alias, item_span };
            out.push(leaf(prefix, run_start, braced, kind));
        }
        UseTree::Glob(_) => out.push(leaf(prefix, run_start, braced, LeafKind::Glob)),
        UseTree::Group(group) => {
            for tree in &group.items {
                collect(tree, prefix, Run { braced: true, restart: true, ..run }, span, out);
            }
        }
    }
}

fn leaf(prefix: &[Segment], run_start: Option<usize>, braced: bool, kind: LeafKind) -> Leaf {
    let run_start = run_start.or_else(|| prefix.last().map(|segment| segment.span.start)).unwrap_or(0);
    Leaf { prefix: prefix.to_vec(), run_start, braced, kind }
}

fn add_leaf(
    leaf: Leaf,
    absolute: bool,
    scope: &UseScope,
    froms: &mut Vec<FromImport>,
    modules: &mut Vec<ModuleImport>,
) {
    let (mut prefix, kind) = (leaf.prefix, leaf.kind);
    let mut name = match kind {
        LeafKind::Glob => {
            if !prefix.is_empty() {
                from_group(froms, &prefix, leaf.run_start, leaf.braced, absolute, scope).star = true;
            }
            return;
        }
        LeafKind::Name { name, span, alias, item_span } => ImportedName { name, span, alias, item_span },
    };
    if name.name == "self" {
        // `a::b::{self}` imports `a::b` itself: its last segment is the imported name.
        let Some(last) = prefix.pop() else { return };
        if matches!(last.name.as_str(), "crate" | "super" | "self") {
            return;
        }
        name.name = last.name;
    }
    if prefix.is_empty() {
        // `use serde;` / `use a as b;` (a path-less `crate` or `super` imports nothing nameable).
        if !matches!(name.name.as_str(), "crate" | "super" | "self") {
            let module = resolve(&[name.name.as_str()], absolute, scope).1;
            if let Some(module) = module {
                modules.push(ModuleImport {
                    module,
                    span: name.span,
                    alias: name.alias,
                    item_span: name.item_span,
                });
            }
        }
        return;
    }
    let group = from_group(froms, &prefix, leaf.run_start, leaf.braced, absolute, scope);
    group.names.push(name);
}

/// The `from` fact of `prefix` in this item, created on first use.
fn from_group<'o>(
    froms: &'o mut Vec<FromImport>,
    prefix: &[Segment],
    run_start: usize,
    braced: bool,
    absolute: bool,
    scope: &UseScope,
) -> &'o mut FromImport {
    let raw_module = prefix.iter().map(|segment| segment.name.as_str()).collect::<Vec<_>>().join("::");
    let index = match froms.iter().position(|from| from.raw_module == raw_module) {
        Some(index) => index,
        None => {
            let names: Vec<&str> = prefix.iter().map(|segment| segment.name.as_str()).collect();
            let (level, module) = resolve(&names, absolute, scope);
            let end = prefix.last().map_or(run_start, |segment| segment.span.end);
            froms.push(FromImport {
                level,
                raw_module,
                module,
                module_span: Span::new(run_start.min(end), end),
                names: Vec::new(),
                star: false,
                parenthesized: braced,
            });
            froms.len() - 1
        }
    };
    &mut froms[index]
}

/// `(level, absolute path)` of a path written in a `use` item; `None` when `super::` climbs
/// above the crate root or `crate::` is used where the crate is unknown.
pub fn resolve(segments: &[&str], absolute: bool, scope: &UseScope) -> (usize, Option<String>) {
    let Some((&first, rest)) = segments.split_first() else {
        return (0, Some(String::new()));
    };
    if absolute {
        return (0, Some(segments.join("::")));
    }
    let module = scope.module;
    let (level, base, rest): (usize, Option<&[String]>, &[&str]) = match first {
        "crate" => (0, module.first().map(std::slice::from_ref), rest),
        "self" => {
            let supers = rest.iter().take_while(|segment| **segment == "super").count();
            (1 + supers, module.len().checked_sub(supers).map(|keep| &module[..keep]), &rest[supers..])
        }
        "super" => {
            let supers = 1 + rest.iter().take_while(|segment| **segment == "super").count();
            (1 + supers, module.len().checked_sub(supers).map(|keep| &module[..keep]), &segments[supers..])
        }
        _ if scope.local_names.contains(first) && !module.is_empty() => (0, Some(module), segments),
        _ => return (0, Some(segments.join("::"))),
    };
    match base {
        Some(base) if !base.is_empty() => {
            let mut path: Vec<&str> = base.iter().map(String::as_str).collect();
            path.extend_from_slice(rest);
            (level, Some(path.join("::")))
        }
        _ => (level, None),
    }
}
