//! Rule identities: `RuleId` and sets of them. A leaf module, so the config, findings and
//! scopes can name rules without depending on the rules' logic (`rules`).

use serde::{Deserialize, Serialize};

/// A rule's id: `Display`, `as_str` and serde give the kebab-case id users write. Declared in
/// the order of `rules::RULES` (sorted by id), so `RULES[id as usize]` is the rule's entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleId {
    BannedPattern,
    CompatImport,
    CompetingFactory,
    DeprecatedFactoryCall,
    DeprecatedModule,
    DuplicateClass,
    DuplicateDefinition,
    MissingEvent,
    NonCanonicalImport,
    StaleRegistry,
    SuppressionWithoutReason,
    SyntaxError,
    UnknownEvent,
    UnusedSuppression,
}

impl RuleId {
    /// Every rule id, in declaration order.
    pub(crate) const ALL: [RuleId; 14] = [
        RuleId::BannedPattern,
        RuleId::CompatImport,
        RuleId::CompetingFactory,
        RuleId::DeprecatedFactoryCall,
        RuleId::DeprecatedModule,
        RuleId::DuplicateClass,
        RuleId::DuplicateDefinition,
        RuleId::MissingEvent,
        RuleId::NonCanonicalImport,
        RuleId::StaleRegistry,
        RuleId::SuppressionWithoutReason,
        RuleId::SyntaxError,
        RuleId::UnknownEvent,
        RuleId::UnusedSuppression,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            RuleId::BannedPattern => "banned-pattern",
            RuleId::CompatImport => "compat-import",
            RuleId::CompetingFactory => "competing-factory",
            RuleId::DeprecatedFactoryCall => "deprecated-factory-call",
            RuleId::DeprecatedModule => "deprecated-module",
            RuleId::DuplicateClass => "duplicate-class",
            RuleId::DuplicateDefinition => "duplicate-definition",
            RuleId::MissingEvent => "missing-event",
            RuleId::NonCanonicalImport => "non-canonical-import",
            RuleId::StaleRegistry => "stale-registry",
            RuleId::SuppressionWithoutReason => "suppression-without-reason",
            RuleId::SyntaxError => "syntax-error",
            RuleId::UnknownEvent => "unknown-event",
            RuleId::UnusedSuppression => "unused-suppression",
        }
    }

    /// The rule called `id`, if there is one.
    pub fn parse(id: &str) -> Option<RuleId> {
        RuleId::ALL.into_iter().find(|rule| rule.as_str() == id)
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of rules (which are enabled, which are switched off in a file): one bit per `RuleId`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RuleSet(u32);

impl RuleSet {
    pub(crate) const EMPTY: RuleSet = RuleSet(0);

    pub fn all() -> RuleSet {
        RuleId::ALL.into_iter().collect()
    }

    pub fn contains(self, id: RuleId) -> bool {
        self.0 & (1 << id as u32) != 0
    }

    pub fn insert(&mut self, id: RuleId) {
        self.0 |= 1 << id as u32;
    }

    pub fn remove(&mut self, id: RuleId) {
        self.0 &= !(1 << id as u32);
    }

    pub(crate) fn is_all(self) -> bool {
        self == RuleSet::all()
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = RuleId> {
        RuleId::ALL.into_iter().filter(move |id| self.contains(*id))
    }
}

impl FromIterator<RuleId> for RuleSet {
    fn from_iter<I: IntoIterator<Item = RuleId>>(ids: I) -> Self {
        let mut set = RuleSet::EMPTY;
        for id in ids {
            set.insert(id);
        }
        set
    }
}
