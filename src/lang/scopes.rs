//! A tree of nested scopes, built while a front end walks a file (Python's `bindings`, Rust's
//! `resolve`): each scope has a kind and a parent, addressed by index; the root is its own parent.

pub(crate) struct ScopeTree<K> {
    /// (kind, parent) by scope index.
    scopes: Vec<(K, u32)>,
    current: u32,
}

impl<K: Copy> ScopeTree<K> {
    pub(crate) fn new(root: K) -> Self {
        ScopeTree { scopes: vec![(root, 0)], current: 0 }
    }

    /// The scope the walk is in.
    pub(crate) fn current(&self) -> u32 {
        self.current
    }

    /// Enters a new scope nested in the current one.
    pub(crate) fn push(&mut self, kind: K) {
        let index = u32::try_from(self.scopes.len()).unwrap_or(u32::MAX);
        self.scopes.push((kind, self.current));
        self.current = index;
    }

    /// Leaves the current scope for its parent.
    pub(crate) fn pop(&mut self) {
        if let Some(&(_, parent)) = self.scopes.get(self.current as usize) {
            self.current = parent;
        }
    }

    /// The kind and the parent of `scope`.
    pub(crate) fn get(&self, scope: u32) -> Option<(K, u32)> {
        self.scopes.get(scope as usize).copied()
    }
}
