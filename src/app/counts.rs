//! `ssot-lint counts`: violation counts per phase / rule / concept / check / file (SPEC §5.5).
//!
//! Counts come from the same findings `check` reports (`lint_project`): a violation is a
//! reported finding that is neither suppressed nor baselined.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::process::ExitCode;

use super::{lint_project_with, report_skipped, write_output, BaselineFrom, LintRun, Needs};
use crate::cli::{CountsArgs, CountsBy, CountsFormat};
use crate::codeowners::{CodeOwners, UNOWNED};
use crate::config::Config;
use crate::error::Result;
use crate::report::counts::{self, CountTable, Group, Tally};
use crate::rules::{ConceptKey, RuleId};

pub fn run(args: &CountsArgs) -> Result<ExitCode> {
    let baseline = BaselineFrom::of(args.baseline.as_deref(), args.baseline_ref.as_deref());
    let run = lint_project_with(&args.common, baseline, Needs::Findings)?;
    run.guard_output(args.output.as_deref(), args.baseline.as_deref())?;
    report_skipped(&run.skipped, args.common.quiet);
    let output = args.output.as_deref();
    if let Some(phase) = one_number_phase(args, &run.settings.config)? {
        let count = phase_violations(&run, phase);
        write_output(output, |out| writeln!(out, "{count}"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let table = count_table(&run, args.by, args.common.quiet);
    write_output(output, |out| match args.format {
        CountsFormat::Text => counts::write_text(&table, out),
        CountsFormat::Json => counts::write_json(&table, out),
        CountsFormat::Csv => counts::write_csv(&table, out),
        CountsFormat::Markdown => counts::write_markdown(&table, out),
    })?;
    // A report, not a gate: `check` decides the exit code, so scripts can capture the output.
    Ok(ExitCode::SUCCESS)
}

/// The phase whose violations `counts` prints as one number: `--only-phase N`, or the deprecated
/// `counts --phase N` with nothing else (text, by phase). Everywhere else `--phase N` overrides
/// `current-phase`, as under `check`.
fn one_number_phase(args: &CountsArgs, config: &Config) -> Result<Option<u32>> {
    if let Some(phase) = args.only_phase {
        if !config.phases.is_empty() && config.phase_name(phase).is_none() {
            let declared: Vec<String> = config.phases.iter().map(|phase| phase.id.to_string()).collect();
            return Err(crate::error::Error::usage_with_help(
                format!("--only-phase {phase}: phase {phase} is not declared in the config"),
                format!("declared phases: {}", declared.join(", ")),
            ));
        }
        return Ok(Some(phase));
    }
    let legacy =
        args.common.phase.filter(|_| args.format == CountsFormat::Text && args.by == CountsBy::Phase);
    if let Some(phase) = legacy {
        if !args.common.quiet {
            crate::stderr_line!(
                "warning: `counts --phase {phase}` printing one number is deprecated: use `counts --only-phase {phase}` (--phase will only override current-phase, as it does under check)"
            );
        }
    }
    Ok(legacy)
}

/// `counts --only-phase N`: the violations of phase N (suppressed and baselined ones excluded).
fn phase_violations(run: &LintRun, phase: u32) -> usize {
    run.findings
        .iter()
        .filter(|finding| !finding.suppressed && !finding.baselined && finding.phase == Some(phase))
        .count()
}

/// Groups the run's findings (and the baseline's fixed entries) by `by`.
/// `quiet`: no warnings about CODEOWNERS (`--by owner`).
pub(crate) fn count_table(run: &LintRun, by: CountsBy, quiet: bool) -> CountTable {
    let owners = if by == CountsBy::Owner { code_owners(&run.settings.config, quiet) } else { None };
    let group_key = |rule: &str, check: &str, path: &str, phase: Option<u32>| {
        group_key(&run.settings.config, owners.as_ref(), by, rule, check, path, phase)
    };
    let mut groups = Groups::seeded(&run.settings.config, by);
    for finding in run.findings.iter().filter(|finding| !finding.suppressed) {
        let key = group_key(finding.rule.as_str(), &finding.check, &finding.path, finding.phase);
        let group = groups.get(&run.settings.config, by, key);
        if finding.baselined {
            group.tally.baselined += 1;
        } else {
            group.tally.count += 1;
            group.tally.gating += usize::from(finding.gating);
            *group.by_rule.entry(finding.rule.to_string()).or_default() += 1;
        }
    }
    if let Some(baseline) = &run.baseline {
        for entry in baseline.fixed(&run.findings, &run.scope) {
            let key = group_key(&entry.rule, &entry.check, &entry.path, entry.phase);
            groups.get(&run.settings.config, by, key).tally.fixed += 1;
        }
    }
    let groups = groups.finish(by);
    let mut total = Tally::default();
    for group in &groups {
        total.add(group.tally);
    }
    CountTable {
        by: by_name(by),
        current_phase: run.current_phase,
        with_baseline: run.baseline.is_some(),
        groups,
        total,
    }
}

/// Groups in the order they were first seen, looked up by key.
struct Groups {
    groups: Vec<Group>,
    index: HashMap<String, usize>,
    /// How many leading groups are declared entities (phases, concepts), listed even when zero.
    declared: usize,
}

impl Groups {
    /// Declared phases (`--by phase`) and concepts (`--by concept`) start at zero, so a finished
    /// phase shows as 0 rather than vanishing. Without declared phases, the one `none` group shows.
    fn seeded(config: &Config, by: CountsBy) -> Self {
        let keys: Vec<String> = match by {
            CountsBy::Phase if config.phases.is_empty() => vec![NONE.to_string()],
            CountsBy::Phase => config.phases.iter().map(|phase| phase.id.to_string()).collect(),
            CountsBy::Concept => config.concepts.iter().map(|concept| concept.name.clone()).collect(),
            _ => Vec::new(),
        };
        let mut groups = Groups { groups: Vec::new(), index: HashMap::new(), declared: 0 };
        for key in keys {
            groups.get(config, by, key);
        }
        groups.declared = groups.groups.len();
        groups
    }

    fn get(&mut self, config: &Config, by: CountsBy, key: String) -> &mut Group {
        let next = self.groups.len();
        let index = *self.index.entry(key.clone()).or_insert(next);
        if index == next {
            let name = match by {
                CountsBy::Phase => Some(phase_name(config, &key)),
                _ => None,
            };
            self.groups.push(Group { key, name, tally: Tally::default(), by_rule: Default::default() });
        }
        &mut self.groups[index]
    }

    /// Phases: declared order, then phases no longer declared (baseline entries), then `none`.
    /// Everything else: most violations first, then by key; declared concepts at zero stay listed.
    fn finish(self, by: CountsBy) -> Vec<Group> {
        let declared = self.declared;
        let mut groups = self.groups;
        let mut rest = groups.split_off(declared);
        match by {
            CountsBy::Phase => {
                rest.sort_by_key(|group| group.key.parse::<u32>().map_or((1, 0), |id| (0, id)));
                groups.extend(rest);
            }
            _ => {
                groups.extend(rest);
                let order = |group: &Group| (Reverse(group.tally.count), Reverse(group.tally.baselined));
                groups.sort_by(|a, b| order(a).cmp(&order(b)).then_with(|| a.key.cmp(&b.key)));
            }
        }
        groups
    }
}

/// The key findings of no phase are counted under (as in the JSON summary).
const NONE: &str = "none";

fn phase_name(config: &Config, key: &str) -> String {
    key.parse::<u32>()
        .ok()
        .and_then(|id| config.phase_name(id))
        .map_or_else(|| if key == NONE { "(no phase)" } else { "(not declared)" }.to_string(), str::to_string)
}

fn by_name(by: CountsBy) -> &'static str {
    match by {
        CountsBy::Phase => "phase",
        CountsBy::Rule => "rule",
        CountsBy::Concept => "concept",
        CountsBy::Check => "check",
        CountsBy::File => "file",
        CountsBy::Owner => "owner",
    }
}

/// The project's CODEOWNERS, with a warning when there is none, it cannot be read, or some of
/// its lines are skipped (every finding then counts as unowned, or as the other lines say).
fn code_owners(config: &Config, quiet: bool) -> Option<CodeOwners> {
    let warn = |message: String| {
        if !quiet {
            crate::stderr_line!("warning: {message}");
        }
    };
    match CodeOwners::discover(&config.root) {
        None => {
            warn("no CODEOWNERS file (.github/CODEOWNERS, CODEOWNERS or docs/CODEOWNERS): every finding is unowned".to_string());
            None
        }
        Some(Err(error)) => {
            warn(format!("cannot read CODEOWNERS: {error}: every finding is unowned"));
            None
        }
        Some(Ok(owners)) => {
            for (line, reason) in &owners.skipped {
                warn(format!("{}:{line}: line skipped: {reason}", owners.path.display()));
            }
            Some(owners)
        }
    }
}

fn group_key(
    config: &Config,
    owners: Option<&CodeOwners>,
    by: CountsBy,
    rule: &str,
    check: &str,
    path: &str,
    phase: Option<u32>,
) -> String {
    match by {
        CountsBy::Phase => crate::gate::phase_key(phase),
        CountsBy::Rule => rule.to_string(),
        CountsBy::Concept => concept_of(config, rule, check).to_string(),
        CountsBy::Check => check.to_string(),
        CountsBy::File => path.to_string(),
        CountsBy::Owner => owners.and_then(|owners| owners.owners(path)).unwrap_or(UNOWNED).to_string(),
    }
}

/// The concept a finding works against. Concept rules name it directly. A registry symbol's
/// findings (imports, duplicate definitions, a stale entry) roll up into the concept whose
/// canonical class or factory is that symbol, and a deprecated module's into the one concept
/// whose canonical code lives in its replacement module; so `--by concept` answers "how much
/// of the websocket-manager migration is left" including its imports. Anything else (patterns,
/// events, syntax errors, symbols of no concept) keeps its `check`. Each rule says which its
/// check is (`RuleMeta::concept`); `rule` is as written in the findings or the baseline.
fn concept_of<'a>(config: &'a Config, rule: &str, check: &'a str) -> &'a str {
    let Some(rule) = RuleId::parse(rule) else { return check };
    let by_name = || config.concepts.iter().find(|concept| concept.name == check);
    let registry_symbol = || {
        config.registry_entry(check).and_then(|entry| {
            let qualified = format!("{}.{}", entry.module, entry.symbol);
            concept_implementing(config, &qualified)
        })
    };
    let concept = match rule.meta().concept {
        ConceptKey::Concept => return check,
        ConceptKey::ConceptOrRegistrySymbol if by_name().is_some() => return check,
        ConceptKey::RegistrySymbol | ConceptKey::ConceptOrRegistrySymbol => registry_symbol(),
        ConceptKey::DeprecatedModule => config
            .deprecated_modules
            .iter()
            .find(|entry| entry.module == check)
            .and_then(|entry| entry.replacement.as_deref())
            .and_then(|module| concept_in_module(config, module)),
        ConceptKey::Check => None,
    };
    concept.unwrap_or(check)
}

/// The first concept whose canonical class is `qualified`, or whose canonical factory is it or
/// a method of it.
fn concept_implementing<'a>(config: &'a Config, qualified: &str) -> Option<&'a str> {
    let names = |target: &Option<String>| {
        target.as_deref().is_some_and(|target| {
            target == qualified || target.strip_prefix(qualified).is_some_and(|rest| rest.starts_with('.'))
        })
    };
    config
        .concepts
        .iter()
        .find(|concept| names(&concept.canonical_class) || names(&concept.canonical_factory))
        .map(|concept| concept.name.as_str())
}

/// The concept whose canonical class or factory is defined in `module`, when exactly one is.
fn concept_in_module<'a>(config: &'a Config, module: &str) -> Option<&'a str> {
    let inside = |target: &Option<String>| {
        target
            .as_deref()
            .and_then(|target| target.strip_prefix(module))
            .is_some_and(|rest| rest.starts_with('.'))
    };
    let mut found = config
        .concepts
        .iter()
        .filter(|concept| inside(&concept.canonical_class) || inside(&concept.canonical_factory));
    match (found.next(), found.next()) {
        (Some(concept), None) => Some(concept.name.as_str()),
        _ => None,
    }
}
