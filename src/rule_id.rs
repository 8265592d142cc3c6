//! Rule identities: `RuleId` and sets of them. A leaf module, so the config, findings and
//! scopes can name rules without depending on the rules' logic (`rules`).

use serde::{Deserialize, Serialize};

/// Declares `RuleId` with one line per rule (`Variant => "kebab-id"`): the enum, `ALL` and
/// `as_str` come from the same list, so a new rule is one line here.
macro_rules! rule_ids {
    ($($variant:ident => $id:literal,)*) => {
        /// A rule's id: `Display`, `as_str` and serde give the kebab-case id users write. Declared
        /// in the order of `rules::RULES` (sorted by id), so `RULES[id as usize]` is the rule's
        /// entry.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum RuleId {
            $(
                #[serde(rename = $id)]
                $variant,
            )*
        }

        impl RuleId {
            /// Every rule id, in declaration order.
            pub(crate) const ALL: &'static [RuleId] = &[$(RuleId::$variant,)*];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $id,)*
                }
            }
        }
    };
}

rule_ids! {
    BannedPattern => "banned-pattern",
    CompatImport => "compat-import",
    CompetingFactory => "competing-factory",
    DeprecatedFactoryCall => "deprecated-factory-call",
    DeprecatedModule => "deprecated-module",
    DuplicateClass => "duplicate-class",
    DuplicateDefinition => "duplicate-definition",
    MissingEvent => "missing-event",
    NonCanonicalImport => "non-canonical-import",
    StaleRegistry => "stale-registry",
    SuppressionWithoutReason => "suppression-without-reason",
    SyntaxError => "syntax-error",
    UnknownEvent => "unknown-event",
    UnusedSuppression => "unused-suppression",
}

impl RuleId {
    /// The rule called `id`, if there is one.
    pub fn parse(id: &str) -> Option<RuleId> {
        RuleId::ALL.iter().copied().find(|rule| rule.as_str() == id)
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
        RuleId::ALL.iter().copied().collect()
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
        RuleId::ALL.iter().copied().filter(move |id| self.contains(*id))
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
