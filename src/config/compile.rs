//! Raw TOML → checked `Config`: every semantic error is found here, with its span.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use toml::Spanned;

use super::load::config_error;
use super::schema::*;
use super::*;
use crate::error::{Error, Result};
use crate::language::{Language, Languages};
use crate::scope::{path_glob, AllowInBuilder, EntryKind, PerFileIgnores, PerFileIgnoresBuilder};

/// How a path written in an entry hints at its language.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PathKind {
    /// A module or qualified name: `a.b` is Python, `a::b` is Rust, one segment is either.
    Module,
    /// A dotted-name glob: `::` is Rust only; `.` is also Rust's field and method separator.
    Glob,
}

fn display(language: Language) -> &'static str {
    match language {
        Language::Python => "Python",
        Language::Rust => "Rust",
    }
}

/// Python's keywords (soft keywords such as `match` and `type` are valid names).
const PYTHON_KEYWORDS: [&str; 35] = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
    "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
    "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

/// A Python (and Rust) identifier: a letter or `_`, then letters, digits and `_`.
fn is_identifier(part: &str) -> bool {
    let mut chars = part.chars();
    chars.next().is_some_and(|first| first == '_' || first.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

/// The language a path looks like, if it says.
fn path_language(path: &str, kind: PathKind) -> Option<Language> {
    if path.contains("::") {
        Some(Language::Rust)
    } else if kind == PathKind::Module && path.contains('.') {
        Some(Language::Python)
    } else {
        None
    }
}

/// Compiles the main config (`files[0]`) and the packs it extends (the rest, in order).
pub(super) fn compile(root: PathBuf, files: Vec<(ConfigSource, RawConfig)>) -> Result<Config> {
    let sources: Vec<ConfigSource> = files.iter().map(|(source, _)| source.clone()).collect();
    let mut compiler = Compiler { sources: &sources, phases: Vec::new(), seen: HashMap::new() };

    for (index, (_, raw)) in files.iter().enumerate() {
        for phase in &raw.phase {
            compiler.declare_phase(index, phase)?;
        }
    }
    let mut registry = Vec::new();
    let mut deprecated_modules = Vec::new();
    let mut concepts = Vec::new();
    let mut patterns = Vec::new();
    let mut events = Vec::new();
    let mut allow_in = AllowInBuilder::default();
    for (index, (_, raw)) in files.iter().enumerate() {
        for entry in &raw.registry {
            compiler.allow_in(
                &mut allow_in,
                index,
                EntryKind::Registry,
                registry.len(),
                &entry.get_ref().allow_in,
            )?;
            registry.push(compiler.registry_entry(index, entry)?);
        }
        for entry in &raw.deprecated_module {
            let globs = &entry.get_ref().allow_in;
            compiler.allow_in(
                &mut allow_in,
                index,
                EntryKind::DeprecatedModule,
                deprecated_modules.len(),
                globs,
            )?;
            deprecated_modules.push(compiler.deprecated_module(index, entry)?);
        }
        for entry in &raw.concept {
            compiler.allow_in(
                &mut allow_in,
                index,
                EntryKind::Concept,
                concepts.len(),
                &entry.get_ref().allow_in,
            )?;
            concepts.push(compiler.concept(index, entry)?);
        }
        for entry in &raw.pattern {
            compiler.allow_in(
                &mut allow_in,
                index,
                EntryKind::Pattern,
                patterns.len(),
                &entry.get_ref().allow_in,
            )?;
            patterns.push(compiler.pattern(index, entry)?);
        }
        for entry in &raw.events {
            compiler.allow_in(
                &mut allow_in,
                index,
                EntryKind::Events,
                events.len(),
                &entry.get_ref().allow_in,
            )?;
            events.push(compiler.events(index, entry)?);
        }
    }
    let allow_in = allow_in.build().map_err(|error| Error::usage(error.to_string()))?;

    let project = files.first().and_then(|(_, raw)| raw.project.as_ref()).map(Spanned::get_ref);
    let default_project = RawProject::default();
    let project = project.unwrap_or(&default_project);
    let current_phase = match &project.current_phase {
        Some(phase) => Some(compiler.check_phase(0, phase)?),
        None => compiler.phases.iter().map(|phase| phase.id).max(),
    };
    let roots = match &project.roots {
        Some(roots) => roots.iter().map(|root| normalize_root(root.get_ref())).collect(),
        None => vec![String::new()],
    };
    let include = match &project.include {
        Some(globs) => compiler.path_globs(0, globs)?,
        None => path_globset(&["**/*.py", "**/*.rs"]).map_err(|error| Error::usage(error.to_string()))?,
    };
    let exclude = compiler.path_globs(0, &project.exclude)?;
    let per_file_ignores = match &project.per_file_ignores {
        Some(table) => compiler.per_file_ignores(0, table.get_ref())?,
        None => PerFileIgnores::default(),
    };
    let require_suppression_reason = project.require_suppression_reason.unwrap_or(false);

    // Declared order: counts, summaries and baselines list the phases as the config does.
    let phases = compiler.phases;
    let mut registry_by_symbol: [HashMap<String, usize>; 2] = Default::default();
    for (index, entry) in registry.iter().enumerate() {
        for language in entry.languages.iter() {
            registry_by_symbol[language.index()].insert(entry.symbol.clone(), index);
        }
    }
    Ok(Config {
        root,
        sources,
        roots,
        include,
        exclude,
        phases,
        current_phase,
        registry,
        deprecated_modules,
        concepts,
        patterns,
        events,
        registry_by_symbol,
        allow_in,
        per_file_ignores,
        require_suppression_reason,
    })
}

fn normalize_root(root: &str) -> String {
    let root = root.replace('\\', "/");
    let root = root.trim_start_matches("./").trim_end_matches('/');
    if root == "." {
        String::new()
    } else {
        root.to_string()
    }
}

fn path_globset<S: AsRef<str>>(globs: &[S]) -> std::result::Result<GlobSet, globset::Error> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        builder.add(GlobBuilder::new(glob.as_ref()).literal_separator(true).build()?);
    }
    builder.build()
}

struct Compiler<'a> {
    sources: &'a [ConfigSource],
    phases: Vec<Phase>,
    /// (table, id) → where it was first declared, to report duplicates.
    seen: HashMap<(&'static str, String), (usize, std::ops::Range<usize>)>,
}

impl Compiler<'_> {
    fn error(
        &self,
        source: usize,
        span: std::ops::Range<usize>,
        message: String,
        label: &str,
        help: Option<String>,
    ) -> Error {
        config_error(&self.sources[source], span, message, label, help)
    }

    fn unique(&mut self, table: &'static str, source: usize, id: &Spanned<String>) -> Result<()> {
        self.unique_in(table, None, source, id)
    }

    /// `unique` within one language's entries (`None`: among all entries of the table);
    /// `named`: say the language in the message.
    fn unique_in(
        &mut self,
        table: &'static str,
        language: Option<(Language, bool)>,
        source: usize,
        id: &Spanned<String>,
    ) -> Result<()> {
        let key_id = match language {
            Some((language, _)) => format!("{}:{}", language.name(), id.get_ref()),
            None => id.get_ref().clone(),
        };
        let key = (table, key_id);
        if let Some((first_source, first_span)) = self.seen.get(&key) {
            let first = &self.sources[*first_source];
            let starts = crate::source::line_starts(&first.text);
            let line = crate::source::position_in(&first.text, &starts, first_span.start).line;
            let scope = match language {
                Some((language, true)) => format!(" for {}", display(language)),
                _ => String::new(),
            };
            return Err(self.error(
                source,
                id.span(),
                format!("duplicate {table} `{}`{scope}", id.get_ref()),
                "declared again here",
                Some(format!("first declared in {} line {line}", first.display)),
            ));
        }
        self.seen.insert(key, (source, id.span()));
        Ok(())
    }

    fn not_empty(&self, source: usize, value: &Spanned<String>, what: &str) -> Result<String> {
        if value.get_ref().trim().is_empty() {
            return Err(self.error(source, value.span(), format!("{what} must not be empty"), "empty", None));
        }
        Ok(value.get_ref().clone())
    }

    fn declare_phase(&mut self, source: usize, phase: &Spanned<RawPhase>) -> Result<()> {
        let raw = phase.get_ref();
        let id = *raw.id.get_ref();
        let as_string = Spanned::new(raw.id.span(), id.to_string());
        self.unique("phase", source, &as_string)?;
        self.phases.push(Phase { id, name: raw.name.clone().unwrap_or_else(|| format!("Phase {id}")) });
        Ok(())
    }

    fn check_phase(&self, source: usize, phase: &Spanned<u32>) -> Result<u32> {
        let id = *phase.get_ref();
        if self.phases.iter().any(|declared| declared.id == id) {
            return Ok(id);
        }
        let declared: Vec<String> = self.phases.iter().map(|phase| phase.id.to_string()).collect();
        let help = if declared.is_empty() {
            format!("declare it: [[phase]] id = {id} name = \"...\"")
        } else {
            format!("declared phases: {}; add a [[phase]] with id = {id}", declared.join(", "))
        };
        Err(self.error(
            source,
            phase.span(),
            format!("phase {id} is not declared"),
            "undeclared phase",
            Some(help),
        ))
    }

    fn level(
        &self,
        source: usize,
        phase: &Option<Spanned<u32>>,
        severity: Option<RawSeverity>,
    ) -> Result<EntryLevel> {
        let phase = match phase {
            Some(phase) => Some(self.check_phase(source, phase)?),
            None => None,
        };
        let severity = severity.map(|severity| match severity {
            RawSeverity::Error => Severity::Error,
            RawSeverity::Warning => Severity::Warning,
            RawSeverity::Info => Severity::Info,
        });
        Ok(EntryLevel { phase, severity })
    }

    /// A module path or qualified name: dotted Python (`pkg.module.Name`) or Rust with `::`
    /// (`my_crate::module::Name`), not both.
    fn dotted_name(&self, source: usize, value: &Spanned<String>, what: &str) -> Result<String> {
        let name = self.not_empty(source, value, what)?;
        let bad = |message: String, label: &str, help: Option<String>| {
            Err(self.error(source, value.span(), message, label, help))
        };
        let is_rust = name.contains("::");
        if is_rust && name.contains('.') {
            return bad(
                format!("`{name}` mixes `.` and `::`"),
                "one separator per path",
                Some("Python paths are dotted (`pkg.module.Name`), Rust paths use `::` (`my_crate::module::Name`)".into()),
            );
        }
        let parts: Vec<&str> = if is_rust { name.split("::").collect() } else { name.split('.').collect() };
        if let Some(part) = parts.iter().find(|part| !is_identifier(part)) {
            let why = if part.is_empty() {
                "an empty segment".to_string()
            } else {
                format!("`{part}` is not an identifier")
            };
            return bad(
                format!("`{name}` is not a dotted Python name or a Rust path ({why})"),
                "expected something like `package.module` or `my_crate::module`",
                Some(
                    "each segment starts with a letter or `_` and holds only letters, digits and `_`".into(),
                ),
            );
        }
        if !is_rust {
            if let Some(keyword) = parts.iter().find(|part| PYTHON_KEYWORDS.contains(*part)) {
                return bad(
                    format!("`{name}` is not a Python module name: `{keyword}` is a keyword"),
                    "keyword in a module path",
                    Some("no Python import can name this module; check the spelling".into()),
                );
            }
        }
        if let Some(relative) = parts.iter().find(|part| matches!(**part, "crate" | "self" | "super")) {
            return bad(
                format!("`{name}` starts from `{relative}`, which means a different module in every crate"),
                "relative Rust path",
                Some("write the absolute path from the crate's name, e.g. `my_crate::module::Name`".into()),
            );
        }
        Ok(name)
    }

    /// The languages an entry applies to: its explicit `language`, else what its paths look like
    /// (all languages when none of them says). Paths of the other language are an error.
    fn languages(
        &self,
        source: usize,
        explicit: &Option<Spanned<String>>,
        paths: &[(&Spanned<String>, PathKind)],
    ) -> Result<Languages> {
        let explicit = match explicit {
            None => None,
            Some(value) => Some(Language::from_name(value.get_ref()).ok_or_else(|| {
                self.error(
                    source,
                    value.span(),
                    format!("unknown language `{}`", value.get_ref()),
                    "not a language",
                    Some("expected \"python\" or \"rust\"".into()),
                )
            })?),
        };
        let mut inferred: Option<(Language, &Spanned<String>)> = None;
        for (path, kind) in paths {
            let Some(language) = path_language(path.get_ref(), *kind) else { continue };
            if let Some(explicit) = explicit.filter(|explicit| *explicit != language) {
                return Err(self.error(
                    source,
                    path.span(),
                    format!(
                        "`{}` is a {} path, but the entry says language = \"{explicit}\"",
                        path.get_ref(),
                        display(language)
                    ),
                    "wrong language",
                    None,
                ));
            }
            match inferred {
                Some((first, first_path)) if first != language => {
                    return Err(self.error(
                        source,
                        path.span(),
                        format!(
                            "this entry mixes {} paths (`{}`) and {} paths (`{}`)",
                            display(first),
                            first_path.get_ref(),
                            display(language),
                            path.get_ref()
                        ),
                        "other language",
                        Some("an entry applies to one language: write one entry per language".into()),
                    ))
                }
                Some(_) => {}
                None => inferred = Some((language, path)),
            }
        }
        Ok(match explicit.or(inferred.map(|(language, _)| language)) {
            Some(language) => Languages::only(language),
            None => Languages::ALL,
        })
    }

    fn glob(&self, source: usize, value: &Spanned<String>) -> Result<DottedGlob> {
        DottedGlob::new(value.get_ref()).map_err(|error| {
            self.error(
                source,
                value.span(),
                error.to_string(),
                error.reason,
                Some(
                    "dotted-name globs: `*` within a segment, `*` as a whole segment, a leading `**.`".into(),
                ),
            )
        })
    }

    fn globs(&self, source: usize, values: &[Spanned<String>]) -> Result<Vec<DottedGlob>> {
        values.iter().map(|value| self.glob(source, value)).collect()
    }

    fn path_globs(&self, source: usize, values: &[Spanned<String>]) -> Result<GlobSet> {
        for value in values {
            if let Err(error) = GlobBuilder::new(value.get_ref()).build() {
                return Err(self.error(
                    source,
                    value.span(),
                    format!("invalid path glob: {error}"),
                    "does not compile",
                    None,
                ));
            }
        }
        let globs: Vec<&str> = values.iter().map(|value| value.get_ref().as_str()).collect();
        path_globset(&globs).map_err(|error| Error::usage(error.to_string()))
    }

    /// One path glob, or a config error underlining it.
    fn path_glob(&self, source: usize, value: &Spanned<String>, what: &str) -> Result<globset::Glob> {
        path_glob(value.get_ref()).map_err(|error| {
            self.error(
                source,
                value.span(),
                format!("invalid path glob in {what}: {}", error.kind()),
                "does not compile",
                Some("path globs are relative to the project root, like `include`: `app/compat.py`, `tests/**`".into()),
            )
        })
    }

    /// An entry's `allow-in` globs.
    fn allow_in(
        &self,
        builder: &mut AllowInBuilder,
        source: usize,
        kind: EntryKind,
        index: usize,
        globs: &[Spanned<String>],
    ) -> Result<()> {
        for value in globs {
            builder.add(kind, index, self.path_glob(source, value, "allow-in")?);
        }
        Ok(())
    }

    /// `[project] per-file-ignores = { "GLOB" = ["rule-id", ...] }`.
    fn per_file_ignores(&self, source: usize, table: &RawPerFileIgnores) -> Result<PerFileIgnores> {
        let mut builder = PerFileIgnoresBuilder::default();
        // Declared order, so the first bad key or id in the file is the one reported.
        let mut entries: Vec<_> = table.iter().collect();
        entries.sort_by_key(|(glob, _)| glob.span().start);
        for (glob, ids) in entries {
            let glob = self.path_glob(source, glob, "per-file-ignores")?;
            let mut rules = crate::rule_id::RuleSet::EMPTY;
            for id in ids.get_ref() {
                let Some(rule) = crate::rule_id::RuleId::parse(id.get_ref()) else {
                    return Err(self.error(
                        source,
                        id.span(),
                        format!("unknown rule id `{}` in per-file-ignores", id.get_ref()),
                        "not a rule",
                        Some("`ssot-lint rules` lists the rule ids".into()),
                    ));
                };
                rules.insert(rule);
            }
            builder.add(glob, rules);
        }
        builder.build().map_err(|error| Error::usage(error.to_string()))
    }

    fn origin(source: usize, span: std::ops::Range<usize>) -> Origin {
        Origin { source, span: Span::new(span.start, span.end) }
    }

    fn registry_entry(&mut self, source: usize, entry: &Spanned<RawRegistryEntry>) -> Result<RegistryEntry> {
        let raw = entry.get_ref();
        let module = self.dotted_name(source, &raw.module, "module")?;
        let compat = raw
            .compat
            .iter()
            .map(|module| self.dotted_name(source, module, "a compat module"))
            .collect::<Result<_>>()?;
        let mut paths = vec![(&raw.module, PathKind::Module)];
        paths.extend(raw.compat.iter().map(|module| (module, PathKind::Module)));
        let languages = self.languages(source, &raw.language, &paths)?;
        // A symbol has one home per language: `UserId` may live in a Python and a Rust module.
        let named = languages != Languages::ALL;
        for language in languages.iter() {
            self.unique_in("registry symbol", Some((language, named)), source, &raw.symbol)?;
        }
        Ok(RegistryEntry {
            symbol: self.not_empty(source, &raw.symbol, "symbol")?,
            module,
            compat,
            level: self.level(source, &raw.phase, raw.severity)?,
            origin: Self::origin(source, entry.span()),
            languages,
        })
    }

    fn deprecated_module(
        &mut self,
        source: usize,
        entry: &Spanned<RawDeprecatedModule>,
    ) -> Result<DeprecatedModule> {
        let raw = entry.get_ref();
        self.unique("deprecated-module", source, &raw.module)?;
        Ok(DeprecatedModule {
            module: self.dotted_name(source, &raw.module, "module")?,
            replacement: raw.replacement.clone(),
            level: self.level(source, &raw.phase, raw.severity)?,
            languages: self.languages(source, &raw.language, &[(&raw.module, PathKind::Module)])?,
        })
    }

    fn concept(&mut self, source: usize, entry: &Spanned<RawConcept>) -> Result<Concept> {
        let raw = entry.get_ref();
        self.unique("concept", source, &raw.name)?;
        let optional_name = |value: &Option<Spanned<String>>, what| {
            value.as_ref().map(|value| self.dotted_name(source, value, what)).transpose()
        };
        let mut paths: Vec<(&Spanned<String>, PathKind)> = Vec::new();
        paths.extend(
            raw.canonical_class.iter().chain(&raw.canonical_factory).map(|path| (path, PathKind::Module)),
        );
        paths.extend(
            raw.class_patterns
                .iter()
                .chain(&raw.allow_classes)
                .chain(&raw.factory_patterns)
                .map(|glob| (glob, PathKind::Glob)),
        );
        Ok(Concept {
            languages: self.languages(source, &raw.language, &paths)?,
            name: self.not_empty(source, &raw.name, "concept name")?,
            canonical_class: optional_name(&raw.canonical_class, "canonical-class")?,
            class_patterns: self.globs(source, &raw.class_patterns)?,
            allow_classes: self.globs(source, &raw.allow_classes)?,
            canonical_factory: optional_name(&raw.canonical_factory, "canonical-factory")?,
            factory_patterns: self.globs(source, &raw.factory_patterns)?,
            count_aliases: raw.count_aliases,
            level: self.level(source, &raw.phase, raw.severity)?,
            origin: Self::origin(source, entry.span()),
        })
    }

    fn pattern(&mut self, source: usize, entry: &Spanned<RawPattern>) -> Result<Pattern> {
        let raw = entry.get_ref();
        self.unique("pattern", source, &raw.id)?;
        Ok(Pattern {
            languages: self.languages(source, &raw.language, &[(&raw.pattern, PathKind::Glob)])?,
            id: self.not_empty(source, &raw.id, "pattern id")?,
            glob: self.glob(source, &raw.pattern)?,
            kind: match raw.kind {
                RawPatternKind::Attribute => PatternKind::Attribute,
                RawPatternKind::Call => PatternKind::Call,
            },
            message: raw.message.clone(),
            level: self.level(source, &raw.phase, raw.severity)?,
        })
    }

    fn events(&mut self, source: usize, entry: &Spanned<RawEvents>) -> Result<Events> {
        let raw = entry.get_ref();
        self.unique("events", source, &raw.name)?;
        if raw.emitters.is_empty() {
            return Err(self.error(
                source,
                entry.span(),
                "`emitters` must list at least one call target".into(),
                "no emitters",
                None,
            ));
        }
        let allowed: HashSet<&String> = raw.allowed.iter().collect();
        let mut allowed: Vec<String> = allowed.into_iter().cloned().collect();
        allowed.sort();
        let mut required: Vec<String> = Vec::new();
        for event in &raw.required {
            // A required event outside the vocabulary could never be emitted without an
            // `unknown-event` finding: the entry contradicts itself.
            if !allowed.contains(event.get_ref()) {
                return Err(self.error(
                    source,
                    event.span(),
                    format!("required event \"{}\" is not in `allowed`", event.get_ref()),
                    "not an allowed event",
                    Some("add it to `allowed`, or drop it from `required`".into()),
                ));
            }
            if !required.contains(event.get_ref()) {
                required.push(event.get_ref().clone());
            }
        }
        let paths: Vec<_> = raw.emitters.iter().map(|glob| (glob, PathKind::Glob)).collect();
        Ok(Events {
            languages: self.languages(source, &raw.language, &paths)?,
            name: self.not_empty(source, &raw.name, "events name")?,
            emitters: self.globs(source, &raw.emitters)?,
            argument: match &raw.argument {
                RawArgument::Position(index) => EventArgument::Position(*index),
                RawArgument::Keyword(name) => EventArgument::Keyword(name.clone()),
            },
            allowed,
            required,
            scope: match raw.scope {
                RawEventScope::File => EventScope::File,
                RawEventScope::Class => EventScope::Class,
            },
            level: self.level(source, &raw.phase, raw.severity)?,
        })
    }
}
