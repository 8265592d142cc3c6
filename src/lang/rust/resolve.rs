//! Qualified names from `use` bindings: what `mk` in `mk()` refers to after
//! `use crate::ws::legacy::make as mk;` (issue 15), the Rust side of `python::bindings`.
//!
//! The walker records every name a `use` item binds (with the absolute path `uses` resolved), every
//! local binding that can hide one (`let` patterns, parameters, closure parameters, match
//! bindings: any identifier pattern), and every chain rooted at a name. After the walk, `resolve`
//! looks each chain's first segment up:
//!
//! - `use` items are order-independent and visible in their whole block or module; a block
//!   sees its enclosing blocks' and function's, and the module's; an inline `mod` sees none of
//!   its parent's (Rust's rule).
//! - A local binding hides a `use` of the same name from its position on, in its block and
//!   the blocks nested in it (closure parameters count in the enclosing block: an approximation
//!   that can only hide, never invent, a qualified name).
//! - Glob imports (`use a::*`) bind nothing known.

use std::collections::HashMap;

use crate::facts::{Chain, FileFacts, Import, ImportKind};
use crate::lang::scopes::ScopeTree;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ScopeKind {
    /// The file or an inline `mod`: the lookup stops here.
    Module,
    /// A function (its parameters) or a block.
    Block,
}

struct Binding {
    scope: u32,
    /// Where a local binding takes effect; `use` bindings hold everywhere in their scope.
    at: usize,
    /// The absolute path a `use` binds the name to; `None` for a local binding.
    target: Option<String>,
}

#[derive(Clone, Copy)]
enum Site {
    Attribute(usize),
    Callee(usize),
}

struct Use {
    scope: u32,
    at: usize,
    site: Site,
}

pub(super) struct Names {
    scopes: ScopeTree<ScopeKind>,
    bindings: HashMap<String, Vec<Binding>>,
    /// Locals, kept apart until the end: most are never named like a `use`.
    locals: Vec<(String, u32, usize)>,
    uses: Vec<Use>,
}

impl Names {
    pub(super) fn new() -> Self {
        Names {
            scopes: ScopeTree::new(ScopeKind::Module),
            bindings: HashMap::new(),
            locals: Vec::new(),
            uses: Vec::new(),
        }
    }

    pub(super) fn push(&mut self, kind: ScopeKind) {
        self.scopes.push(kind);
    }

    pub(super) fn pop(&mut self) {
        self.scopes.pop();
    }

    /// The names the imports of one `use` item bind, with their absolute paths.
    pub(super) fn imports(&mut self, imports: &[Import]) {
        for import in imports {
            match &import.kind {
                ImportKind::From(from) => {
                    let Some(module) = &from.module else { continue };
                    for name in &from.names {
                        let bound = name.alias.as_deref().unwrap_or(&name.name);
                        self.bind_use(bound, format!("{module}::{}", name.name));
                    }
                }
                ImportKind::Module(modules) => {
                    for module in modules {
                        let bound = module.alias.as_deref().unwrap_or(&module.module);
                        self.bind_use(bound, module.module.clone());
                    }
                }
            }
        }
    }

    fn bind_use(&mut self, name: &str, target: String) {
        if name.is_empty() || name == "_" {
            return;
        }
        let binding = Binding { scope: self.scopes.current(), at: 0, target: Some(target) };
        self.bindings.entry(name.to_string()).or_default().push(binding);
    }

    /// A local binding (`let x`, a parameter, a match binding) at `at`.
    pub(super) fn local(&mut self, name: String, at: usize) {
        self.locals.push((name, self.scopes.current(), at));
    }

    pub(super) fn attribute(&mut self, index: usize, at: usize) {
        self.uses.push(Use { scope: self.scopes.current(), at, site: Site::Attribute(index) });
    }

    pub(super) fn callee(&mut self, index: usize, at: usize) {
        self.uses.push(Use { scope: self.scopes.current(), at, site: Site::Callee(index) });
    }

    /// Sets the qualified names of the chains whose first segment a `use` binds.
    pub(super) fn resolve(mut self, facts: &mut FileFacts) {
        if self.bindings.is_empty() {
            return;
        }
        for (name, scope, at) in std::mem::take(&mut self.locals) {
            if let Some(list) = self.bindings.get_mut(&name) {
                list.push(Binding { scope, at, target: None });
            }
        }
        for used in &self.uses {
            let chain = match used.site {
                Site::Attribute(index) => facts.attributes.get_mut(index),
                Site::Callee(index) => facts.calls.get_mut(index).and_then(|call| call.callee.as_mut()),
            };
            if let Some(chain) = chain {
                self.qualify(used, chain);
            }
        }
    }

    fn qualify(&self, used: &Use, chain: &mut Chain) {
        if chain.qualified.is_some() {
            return;
        }
        let split = chain.dotted.find([':', '.']).unwrap_or(chain.dotted.len());
        let (first, rest) = chain.dotted.split_at(split);
        let Some(list) = self.bindings.get(first) else { return };
        let Some(target) = self.lookup(list, used) else { return };
        if target != first {
            chain.qualified = Some(format!("{target}{rest}"));
        }
    }

    fn lookup<'b>(&self, list: &'b [Binding], used: &Use) -> Option<&'b str> {
        let mut scope = used.scope;
        loop {
            let (kind, parent) = self.scopes.get(scope)?;
            let in_scope = || list.iter().filter(move |binding| binding.scope == scope);
            if in_scope().any(|binding| binding.target.is_none() && binding.at < used.at) {
                return None;
            }
            if let Some(binding) = in_scope().find(|binding| binding.target.is_some()) {
                return binding.target.as_deref();
            }
            if kind == ScopeKind::Module {
                return None;
            }
            scope = parent;
        }
    }
}
