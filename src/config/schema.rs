//! The TOML shape of `ssot-lint.toml` (SPEC §3), exactly as written by the user.
//!
//! Every table denies unknown keys; values whose errors we report ourselves (duplicate ids,
//! bad globs, undeclared phases) keep their spans so the message can underline them.

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawConfig {
    pub project: Option<Spanned<RawProject>>,
    #[serde(default)]
    pub phase: Vec<Spanned<RawPhase>>,
    #[serde(default)]
    pub registry: Vec<Spanned<RawRegistryEntry>>,
    #[serde(default)]
    pub deprecated_module: Vec<Spanned<RawDeprecatedModule>>,
    #[serde(default)]
    pub concept: Vec<Spanned<RawConcept>>,
    #[serde(default)]
    pub pattern: Vec<Spanned<RawPattern>>,
    #[serde(default)]
    pub events: Vec<Spanned<RawEvents>>,
}

/// `pyproject.toml`: only `[tool.ssot-lint]` is read, everything else is someone else's.
#[derive(Debug, Deserialize)]
pub(crate) struct RawPyproject {
    pub tool: Option<RawPyprojectTool>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct RawPyprojectTool {
    #[serde(rename = "ssot-lint")]
    pub ssot_lint: Option<RawConfig>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawProject {
    /// The project root, relative to the config file's directory (default: that directory for
    /// a discovered config, the current directory for `--config FILE`).
    pub root: Option<Spanned<String>>,
    pub roots: Option<Vec<Spanned<String>>>,
    pub include: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
    pub current_phase: Option<Spanned<u32>>,
    #[serde(default)]
    pub extend: Vec<Spanned<String>>,
    /// `{ "GLOB" = ["rule-id", ...] }`: those rules are off in matching files.
    pub per_file_ignores: Option<Spanned<RawPerFileIgnores>>,
    /// A `# ssot: ignore` without `-- reason` is a `suppression-without-reason` finding.
    pub require_suppression_reason: Option<bool>,
}

/// `per-file-ignores`: glob → rule ids, every key and id with its span.
pub(crate) type RawPerFileIgnores =
    std::collections::BTreeMap<Spanned<String>, Spanned<Vec<Spanned<String>>>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawPhase {
    pub id: Spanned<u32>,
    pub name: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawSeverity {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawRegistryEntry {
    pub symbol: Spanned<String>,
    pub module: Spanned<String>,
    #[serde(default)]
    pub compat: Vec<Spanned<String>>,
    pub phase: Option<Spanned<u32>>,
    pub severity: Option<RawSeverity>,
    /// `"python"` or `"rust"`; default: the languages the entry's paths look like.
    pub language: Option<Spanned<String>>,
    /// Path globs (relative to the project root) where this entry's findings do not apply.
    #[serde(default)]
    pub allow_in: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawDeprecatedModule {
    pub module: Spanned<String>,
    pub replacement: Option<String>,
    pub phase: Option<Spanned<u32>>,
    pub severity: Option<RawSeverity>,
    /// `"python"` or `"rust"`; default: the languages the entry's paths look like.
    pub language: Option<Spanned<String>>,
    /// Path globs (relative to the project root) where this entry's findings do not apply.
    #[serde(default)]
    pub allow_in: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawConcept {
    pub name: Spanned<String>,
    pub canonical_class: Option<Spanned<String>>,
    #[serde(default)]
    pub class_patterns: Vec<Spanned<String>>,
    #[serde(default)]
    pub allow_classes: Vec<Spanned<String>>,
    pub canonical_factory: Option<Spanned<String>>,
    #[serde(default)]
    pub factory_patterns: Vec<Spanned<String>>,
    #[serde(default)]
    pub count_aliases: bool,
    pub phase: Option<Spanned<u32>>,
    pub severity: Option<RawSeverity>,
    /// `"python"` or `"rust"`; default: the languages the entry's paths look like.
    pub language: Option<Spanned<String>>,
    /// Path globs (relative to the project root) where this entry's findings do not apply.
    #[serde(default)]
    pub allow_in: Vec<Spanned<String>>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawPatternKind {
    Attribute,
    #[default]
    Call,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawPattern {
    pub id: Spanned<String>,
    #[serde(rename = "match")]
    pub pattern: Spanned<String>,
    #[serde(default)]
    pub kind: RawPatternKind,
    pub message: Option<String>,
    pub phase: Option<Spanned<u32>>,
    pub severity: Option<RawSeverity>,
    /// `"python"` or `"rust"`; default: the languages the entry's paths look like.
    pub language: Option<Spanned<String>>,
    /// Path globs (relative to the project root) where this entry's findings do not apply.
    #[serde(default)]
    pub allow_in: Vec<Spanned<String>>,
}

/// `argument = 0` (positional index) or `argument = "event_type"` (keyword name).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum RawArgument {
    Position(usize),
    Keyword(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawEvents {
    pub name: Spanned<String>,
    pub emitters: Vec<Spanned<String>>,
    #[serde(default = "first_argument")]
    pub argument: RawArgument,
    pub allowed: Vec<String>,
    /// Events a file (or class, per `scope`) that emits any of them must all emit
    /// (`missing-event`).
    #[serde(default)]
    pub required: Vec<Spanned<String>>,
    /// What must emit every `required` event: `"file"` (default) or `"class"`.
    #[serde(default)]
    pub scope: RawEventScope,
    pub phase: Option<Spanned<u32>>,
    pub severity: Option<RawSeverity>,
    /// `"python"` or `"rust"`; default: the languages the entry's paths look like.
    pub language: Option<Spanned<String>>,
    /// Path globs (relative to the project root) where this entry's findings do not apply.
    #[serde(default)]
    pub allow_in: Vec<Spanned<String>>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawEventScope {
    #[default]
    File,
    Class,
}

fn first_argument() -> RawArgument {
    RawArgument::Position(0)
}
