//! Qualified names from import bindings: what `cdc` in `cdc()` refers to after
//! `from ssl import create_default_context as cdc` (issue 15).
//!
//! The extractor records, during its one visit, every binding of a name (imports with what they
//! bind, and every other way to bind a name: assignment, `def`, `class`, parameter, `for`/`with`/
//! `except` target, comprehension target, match capture) and every use that may need a
//! qualified name (the root name of an attribute chain or callee, and bare names). After the
//! visit, `resolve` looks each use up the way Python would, approximated:
//!
//! - **Within one scope, source order:** the last binding before the use wins. A binding takes
//!   effect at its name, except that an assignment (`x = ...`, `x += ...`, `x: T = ...`) and an
//!   import bind at the end of their statement (`s = s.wrap()` reads the old `s`).
//! - **A function scope** owns every name bound anywhere in it (Python's rule): a use before its
//!   first binding there is unbound, never the module's import. Lambdas and comprehensions own
//!   their parameters and targets whatever the order.
//! - **Function bodies run later:** a use inside a function (or lambda) that is not bound there
//!   sees the enclosing function's or module's *last* binding of the name, wherever it is in the
//!   file (a module-level import after the `def` still counts; a later module-level `x = ...`
//!   hides the import). Class bodies and comprehensions run in place, so they see the enclosing
//!   scope's bindings before them.
//! - Class scopes are not visible from the functions, lambdas and comprehensions nested in them.
//! - `import a.b` binds `a` (to `a`); `import a.b as x` binds `x` to `a.b`; `from m import n as x`
//!   binds `x` to `m.n` (`m` resolved when relative; an unresolvable relative import binds an
//!   unknown). `from m import *` binds nothing known: names behind it keep their spelling only.
//! - `global`, `nonlocal` and `del` are not modelled; `if TYPE_CHECKING:` imports count like any.

use crate::facts::{Chain, FileFacts, Span};
use crate::lang::scopes::ScopeTree;
use crate::lang::{Interest, NameFilter as Bloom};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ScopeKind {
    Module,
    Class,
    Function,
    Lambda,
    Comprehension,
}

struct Binding<'a> {
    name: &'a str,
    scope: u32,
    /// Where the binding takes effect (a byte offset).
    at: usize,
    /// What an import binds the name to (`ssl.create_default_context`); `None` for any other
    /// binding, which hides an import of the same name.
    target: Option<String>,
}

/// Where a use sits in the facts.
#[derive(Clone, Copy)]
enum Site<'a> {
    Attribute(usize),
    Callee(usize),
    Name(&'a str, Span),
}

struct Use<'a> {
    scope: u32,
    at: usize,
    site: Site<'a>,
}

pub(super) struct Bindings<'a> {
    scopes: ScopeTree<ScopeKind>,
    bindings: Vec<Binding<'a>>,
    uses: Vec<Use<'a>>,
    /// True once any import bound a name: without one there is nothing to resolve.
    any_import: bool,
}

impl<'a> Bindings<'a> {
    pub(super) fn new() -> Self {
        Bindings {
            scopes: ScopeTree::new(ScopeKind::Module),
            bindings: Vec::new(),
            uses: Vec::new(),
            any_import: false,
        }
    }

    /// Enters a new scope nested in the current one.
    pub(super) fn push(&mut self, kind: ScopeKind) {
        self.scopes.push(kind);
    }

    pub(super) fn pop(&mut self) {
        self.scopes.pop();
    }

    /// A binding that is not an import (it hides one of the same name).
    pub(super) fn bind(&mut self, name: &'a str, at: usize) {
        if !name.is_empty() {
            self.bindings.push(Binding { name, scope: self.scopes.current(), at, target: None });
        }
    }

    /// An import binding `name` to `target` (`None`: to something unknown).
    pub(super) fn import(&mut self, name: &'a str, at: usize, target: Option<String>) {
        if name.is_empty() {
            return;
        }
        self.any_import |= target.is_some();
        self.bindings.push(Binding { name, scope: self.scopes.current(), at, target });
    }

    /// The attribute chain `facts.attributes[index]`, rooted at a name, starting at `at`.
    pub(super) fn attribute(&mut self, index: usize, at: usize) {
        self.uses.push(Use { scope: self.scopes.current(), at, site: Site::Attribute(index) });
    }

    /// The callee of `facts.calls[index]`, rooted at a name, starting at `at`.
    pub(super) fn callee(&mut self, index: usize, at: usize) {
        self.uses.push(Use { scope: self.scopes.current(), at, site: Site::Callee(index) });
    }

    /// A bare name read at `span`.
    pub(super) fn name(&mut self, name: &'a str, span: Span) {
        self.uses.push(Use { scope: self.scopes.current(), at: span.start, site: Site::Name(name, span) });
    }

    /// Sets the qualified names in `facts` (chains and callees) and adds the bare names that
    /// stand for a module member (`facts.names`).
    pub(super) fn resolve(self, facts: &mut FileFacts, interest: &Interest) {
        if !self.any_import || self.uses.is_empty() {
            return;
        }
        // Only names some import binds can resolve; their bindings, by name, in visit order.
        // A sorted table: a file imports few names, and most names looked up are none of them.
        let mut names: Vec<&str> = self
            .bindings
            .iter()
            .filter(|binding| binding.target.is_some())
            .map(|binding| binding.name)
            .collect();
        names.sort_unstable();
        names.dedup();
        let mut bloom = Bloom::default();
        for name in &names {
            bloom.insert(name);
        }
        let mut by_name = ByName { names, lists: Vec::new(), bloom };
        by_name.lists.resize_with(by_name.names.len(), Vec::new);
        for (index, binding) in self.bindings.iter().enumerate() {
            if let Some(list) = by_name.get_mut(binding.name) {
                list.push(u32::try_from(index).unwrap_or(u32::MAX));
            }
        }
        for used in &self.uses {
            match used.site {
                Site::Attribute(index) => {
                    if let Some(chain) = facts.attributes.get_mut(index) {
                        self.qualify(&by_name, used, chain, interest);
                    }
                }
                Site::Callee(index) => {
                    if let Some(chain) = facts.calls.get_mut(index).and_then(|call| call.callee.as_mut()) {
                        self.qualify(&by_name, used, chain, interest);
                    }
                }
                Site::Name(name, span) => {
                    let Some(list) = by_name.get(name) else { continue };
                    let wanted =
                        |target: &&str| target.rsplit_once('.').is_some_and(|(_, last)| interest.wants(last));
                    if let Some(target) = self.lookup(list, used).filter(wanted) {
                        facts.names.push(Chain {
                            dotted: name.to_string(),
                            qualified: Some(target.to_string()),
                            span,
                        });
                    }
                }
            }
        }
    }

    /// Sets `chain.qualified` when its first segment resolves to an import and the result
    /// differs from the spelling.
    fn qualify(&self, by_name: &ByName, used: &Use, chain: &mut Chain, interest: &Interest) {
        let (first, rest) = match chain.dotted.find('.') {
            Some(dot) => chain.dotted.split_at(dot),
            None => (chain.dotted.as_str(), ""),
        };
        let Some(list) = by_name.get(first) else { return };
        let Some(target) = self.lookup(list, used) else { return };
        // A single name is qualified with the member it imports: only now is its last name known.
        if rest.is_empty() && !interest.wants(target.rsplit('.').next().unwrap_or(target)) {
            return;
        }
        if target != first {
            chain.qualified = Some(format!("{target}{rest}"));
        }
    }

    /// What the name (whose bindings are `list`) refers to at `used`: the target of the import
    /// binding it there, `None` when it is bound otherwise or not at all.
    fn lookup(&self, list: &[u32], used: &Use) -> Option<&str> {
        let mut scope = used.scope;
        let mut own = true;
        // The use runs after its scope's code has finished (a function body).
        let mut deferred = false;
        loop {
            let (kind, parent) = self.scopes.get(scope)?;
            if own || kind != ScopeKind::Class {
                let mut in_scope = list
                    .iter()
                    .filter_map(|&index| self.bindings.get(index as usize))
                    .filter(|b| b.scope == scope);
                let found = match kind {
                    ScopeKind::Lambda | ScopeKind::Comprehension => last(in_scope.by_ref()).map(Some),
                    ScopeKind::Function if deferred => last(in_scope.by_ref()).map(Some),
                    ScopeKind::Function => {
                        let all: Vec<&Binding> = in_scope.collect();
                        if all.is_empty() {
                            None
                        } else {
                            // Bound anywhere in the function: local, unbound before its first binding.
                            Some(last(all.into_iter().filter(|b| b.at < used.at)))
                        }
                    }
                    ScopeKind::Module | ScopeKind::Class if deferred => last(in_scope.by_ref()).map(Some),
                    ScopeKind::Module | ScopeKind::Class => {
                        last(in_scope.filter(|b| b.at < used.at)).map(Some)
                    }
                };
                if let Some(binding) = found {
                    return binding.and_then(|binding| binding.target.as_deref());
                }
            }
            if kind == ScopeKind::Module {
                return None;
            }
            deferred |= matches!(kind, ScopeKind::Function | ScopeKind::Lambda);
            own = false;
            scope = parent;
        }
    }
}

/// The bindings of each name some import binds, by name.
struct ByName<'a> {
    /// Sorted, without duplicates.
    names: Vec<&'a str>,
    /// By the index of the name: indexes into `Bindings::bindings`.
    lists: Vec<Vec<u32>>,
    /// Rules out most other names without a search.
    bloom: Bloom,
}

impl ByName<'_> {
    fn get(&self, name: &str) -> Option<&[u32]> {
        if !self.bloom.may_contain(name) {
            return None;
        }
        let index = self.names.binary_search(&name).ok()?;
        self.lists.get(index).map(Vec::as_slice)
    }

    fn get_mut(&mut self, name: &str) -> Option<&mut Vec<u32>> {
        let index = self.names.binary_search(&name).ok()?;
        self.lists.get_mut(index)
    }
}

/// The binding taking effect last (the latest visited on a tie).
fn last<'b, 'a: 'b>(bindings: impl Iterator<Item = &'b Binding<'a>>) -> Option<&'b Binding<'a>> {
    bindings.fold(None, |best: Option<&Binding>, binding| match best {
        Some(best) if best.at > binding.at => Some(best),
        _ => Some(binding),
    })
}
