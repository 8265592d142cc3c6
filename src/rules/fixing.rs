//! `Fixing`: the fixers' view of the project, part of a run's `Settings` (owned here, by the
//! rules that read it, so `settings` depends on `rules` and never the other way round).

use std::sync::Arc;

use crate::config::Config;
use crate::rule_id::RuleSet;
use crate::rules::fix_imports::{ModuleFacts, ProjectModules, TrustRegistry};

/// The fixers' view of the project (`Settings::fixing`): what they may assume about the
/// project's modules and whose findings they resolve.
#[derive(Clone, Debug)]
pub struct Fixing {
    /// What the project knows about its modules, asked before a name is moved.
    pub modules: Arc<dyn ModuleFacts>,
    /// The rules whose findings the fixers resolve (only their findings decide what moves).
    pub rules: RuleSet,
    /// Which view this is, for the cache key: fixes planned under one view are never read
    /// under another.
    key: String,
}

impl Fixing {
    /// No knowledge beyond the config; every rule's findings are resolved (what `check` uses).
    pub(crate) fn trust_registry() -> Fixing {
        Fixing { modules: Arc::new(TrustRegistry), rules: RuleSet::all(), key: "registry".to_string() }
    }

    /// The project's files consulted before a name moves, and only `rules`' findings resolved
    /// (what `ssot-lint fix` uses).
    pub(crate) fn project(config: &Config, rules: RuleSet) -> Fixing {
        let key = format!("project:{}", rules.iter().map(|rule| rule.as_str()).collect::<Vec<_>>().join(","));
        Fixing { modules: Arc::new(ProjectModules::new(config)), rules, key }
    }

    /// Names this view in the result cache's key.
    pub(crate) fn key(&self) -> &str {
        &self.key
    }
}
