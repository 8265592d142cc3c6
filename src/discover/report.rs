//! Formats a [`Discovery`]: JSON (the stable schema of issue 18), a table for a terminal,
//! one line per item otherwise, and Markdown for an issue or pull request. Nothing here
//! counts: every number comes from the discovery.

use std::io::Write;

use serde::Serialize;

use super::{Discovery, Duplicate, Family, Scattered};

/// How many items of each section the human formats show by default.
pub(crate) const DEFAULT_TOP: usize = 20;

#[derive(Serialize)]
struct JsonDiscovery<'a> {
    version: u32,
    files: usize,
    scattered: Vec<JsonScattered<'a>>,
    duplicates: Vec<JsonDuplicate<'a>>,
    families: Vec<JsonFamily<'a>>,
}

#[derive(Serialize)]
struct JsonScattered<'a> {
    name: &'a str,
    defined_in: &'a [String],
    imported_from: &'a std::collections::BTreeMap<String, usize>,
}

#[derive(Serialize)]
struct JsonDuplicate<'a> {
    name: &'a str,
    kind: &'a str,
    defined_in: Vec<JsonLocation<'a>>,
}

#[derive(Serialize)]
struct JsonLocation<'a> {
    module: &'a str,
    path: &'a str,
    line: usize,
}

#[derive(Serialize)]
struct JsonFamily<'a> {
    suffix: &'a str,
    classes: &'a [String],
    factories: &'a [String],
}

/// `{"version": 1, "files": N, "scattered": [...], "duplicates": [...], "families": [...]}`,
/// every list in the discovery's (ranked, deterministic) order, `imported_from` by module.
pub(crate) fn write_json(discovery: &Discovery, out: &mut dyn Write) -> std::io::Result<()> {
    let json = JsonDiscovery {
        version: 1,
        files: discovery.files,
        scattered: discovery
            .scattered
            .iter()
            .map(|item| JsonScattered {
                name: &item.name,
                defined_in: &item.defined_in,
                imported_from: &item.imported_from,
            })
            .collect(),
        duplicates: discovery
            .duplicates
            .iter()
            .map(|item| JsonDuplicate {
                name: &item.name,
                kind: item.kind.as_str(),
                defined_in: item
                    .defined_in
                    .iter()
                    .map(|at| JsonLocation { module: &at.module, path: &at.path, line: at.line })
                    .collect(),
            })
            .collect(),
        families: discovery
            .families
            .iter()
            .map(|item| JsonFamily {
                suffix: &item.suffix,
                classes: &item.classes,
                factories: &item.factories,
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    writeln!(out)
}

/// `1577` → `1,577`.
pub(crate) fn thousands(number: usize) -> String {
    let digits = number.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// "imported 1,577x from A, 54x from B, 21x from C; defined in A".
pub fn evidence(item: &Scattered) -> String {
    let sources: Vec<String> = item
        .ranked_sources()
        .iter()
        .map(|(module, count)| format!("{}x from {module}", thousands(*count)))
        .collect();
    let defined = if item.defined_in.is_empty() {
        "defined in no module of the project".to_string()
    } else {
        format!("defined in {}", item.defined_in.join(", "))
    };
    format!("imported {}; {defined}", sources.join(", "))
}

/// What `check` reports under the proposed registry entry.
pub fn check_counts(item: &Scattered) -> String {
    let outside = if item.outside > 0 {
        format!(" ({} from outside the project: another library's {}?)", thousands(item.outside), item.name)
    } else {
        String::new()
    };
    format!(
        "{} non-canonical{outside}, {} compat {}",
        thousands(item.non_canonical),
        thousands(item.compat_imports),
        if item.compat_imports == 1 { "import" } else { "imports" }
    )
}

fn heading(discovery: &Discovery, include_tests: bool) -> String {
    let tests = if include_tests { "test code included" } else { "test code left out" };
    format!(
        "{} Python {} read ({tests})",
        thousands(discovery.files),
        plural(discovery.files, "file", "files")
    )
}

fn plural<'a>(count: usize, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 {
        one
    } else {
        many
    }
}

/// The first `top` items (all when `top` is 0) and how many were left out.
fn first<T>(items: &[T], top: usize) -> (&[T], usize) {
    if top == 0 || items.len() <= top {
        (items, 0)
    } else {
        (&items[..top], items.len() - top)
    }
}

/// `a, b, c, +2 more`.
fn list(items: impl IntoIterator<Item = String>, show: usize) -> String {
    let items: Vec<String> = items.into_iter().collect();
    let mut shown: Vec<String> = items.iter().take(show).cloned().collect();
    if items.len() > show {
        shown.push(format!("+{} more", items.len() - show));
    }
    shown.join(", ")
}

fn short_name(qualified: &str) -> &str {
    qualified.rsplit('.').next().unwrap_or(qualified)
}

fn home_note(item: &Scattered) -> String {
    match item.defined_in.len() {
        1 => "defines it".to_string(),
        _ if item.defined_in.contains(&item.home) => {
            format!("one of {} definitions, most imports", item.defined_in.len())
        }
        _ => "most imports".to_string(),
    }
}

fn sources(item: &Scattered, show: usize) -> String {
    list(
        item.ranked_sources().into_iter().map(|(module, count)| format!("{module} {}", thousands(count))),
        show,
    )
}

fn more_line(out: &mut dyn Write, left_out: usize, indent: &str) -> std::io::Result<()> {
    if left_out > 0 {
        writeln!(
            out,
            "{indent}... and {} more (--top 0 shows all, --format json lists all)",
            thousands(left_out)
        )?;
    }
    Ok(())
}

/// Aligned columns; `right` marks the numeric ones.
fn table(out: &mut dyn Write, rows: &[Vec<String>], right: &[bool]) -> std::io::Result<()> {
    let columns = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|column| rows.iter().map(|row| row[column].chars().count()).max().unwrap_or(0))
        .collect();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(column, (cell, &width))| {
                if right.get(column).copied().unwrap_or(false) {
                    format!("{cell:>width$}")
                } else {
                    format!("{cell:<width$}")
                }
            })
            .collect();
        writeln!(out, "  {}", cells.join("  ").trim_end())?;
    }
    Ok(())
}

/// The report for a terminal: one table per section, `top` rows each (0: all).
pub(crate) fn write_table(
    discovery: &Discovery,
    include_tests: bool,
    top: usize,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out, "ssot-lint discover: {}\n", heading(discovery, include_tests))?;

    writeln!(
        out,
        "Scattered imports: {} {} imported from several modules (ranked by imports not via the main source)",
        thousands(discovery.scattered.len()),
        plural(discovery.scattered.len(), "name", "names")
    )?;
    let (shown, left_out) = first(&discovery.scattered, top);
    if !shown.is_empty() {
        let mut rows = vec![vec![
            "NAME".to_string(),
            "IMPORTS".to_string(),
            "NOT VIA MAIN".to_string(),
            "HOME".to_string(),
            "IMPORTED FROM".to_string(),
        ]];
        rows.extend(shown.iter().map(|item| {
            vec![
                item.name.clone(),
                thousands(item.total()),
                thousands(item.spread),
                format!("{} ({})", item.home, home_note(item)),
                sources(item, 4),
            ]
        }));
        table(out, &rows, &[false, true, true, false, false])?;
    }
    more_line(out, left_out, "  ")?;
    homonym_line(discovery, out, "  ")?;

    writeln!(
        out,
        "\nDuplicate definitions: {} {} defined at module level in several modules",
        thousands(discovery.duplicates.len()),
        plural(discovery.duplicates.len(), "name", "names")
    )?;
    let (shown, left_out) = first(&discovery.duplicates, top);
    if !shown.is_empty() {
        let mut rows = vec![vec![
            "NAME".to_string(),
            "KIND".to_string(),
            "MODULES".to_string(),
            "DEFINED IN".to_string(),
        ]];
        rows.extend(shown.iter().map(|item| {
            vec![
                item.name.clone(),
                item.kind.as_str().to_string(),
                item.defined_in.len().to_string(),
                places(item, 3),
            ]
        }));
        table(out, &rows, &[false, false, true, false])?;
    }
    more_line(out, left_out, "  ")?;
    conventions_line(discovery, out, "  ")?;

    writeln!(
        out,
        "\nFamilies: {} {} of classes sharing a name suffix (concept candidates)",
        thousands(discovery.families.len()),
        plural(discovery.families.len(), "group", "groups")
    )?;
    let (shown, left_out) = first(&discovery.families, top);
    if !shown.is_empty() {
        let mut rows = vec![vec![
            "SUFFIX".to_string(),
            "CLASSES".to_string(),
            "FACTORIES".to_string(),
            "MEMBERS".to_string(),
        ]];
        rows.extend(shown.iter().map(|item| {
            vec![
                format!("*{}", item.suffix),
                item.classes.len().to_string(),
                item.factories.len().to_string(),
                list(item.classes.iter().map(|class| short_name(class).to_string()), 4),
            ]
        }));
        table(out, &rows, &[false, true, true, false])?;
    }
    more_line(out, left_out, "  ")?;
    large_families_line(discovery, out, "  ")?;
    writeln!(out, "\n{}", next_step(discovery))
}

fn places(item: &Duplicate, show: usize) -> String {
    list(item.defined_in.iter().map(|at| format!("{}:{}", at.path, at.line)), show)
}

fn homonym_line(discovery: &Discovery, out: &mut dyn Write, indent: &str) -> std::io::Result<()> {
    if discovery.homonyms.is_empty() {
        return Ok(());
    }
    let examples = list(
        discovery.homonyms.iter().map(|homonym| {
            format!(
                "{} ({} sources, defined in {})",
                homonym.name, homonym.import_sources, homonym.defining_modules
            )
        }),
        3,
    );
    writeln!(
        out,
        "{indent}{} more {} imported from several modules without a clear home (defined in several, no source holds most imports), not proposed: {examples}",
        thousands(discovery.homonyms.len()),
        plural(discovery.homonyms.len(), "name is", "names are"),
    )
}

fn max_of(discovery: &Discovery, pick: fn(&super::Thresholds) -> usize) -> usize {
    discovery.thresholds.as_ref().map_or(0, pick)
}

fn conventions_line(discovery: &Discovery, out: &mut dyn Write, indent: &str) -> std::io::Result<()> {
    if discovery.conventions.is_empty() {
        return Ok(());
    }
    let examples = list(
        discovery
            .conventions
            .iter()
            .map(|(name, modules)| format!("{name} ({} modules)", thousands(*modules))),
        3,
    );
    writeln!(
        out,
        "{indent}{} more {} defined in more than {} modules: conventions such as plugin hooks, not listed (--max-modules): {examples}",
        thousands(discovery.conventions.len()),
        plural(discovery.conventions.len(), "name is", "names are"),
        max_of(discovery, |thresholds| thresholds.max_modules),
    )
}

fn large_families_line(discovery: &Discovery, out: &mut dyn Write, indent: &str) -> std::io::Result<()> {
    if discovery.large_families.is_empty() {
        return Ok(());
    }
    let examples = list(
        discovery
            .large_families
            .iter()
            .map(|(suffix, classes)| format!("*{suffix} ({} classes)", thousands(*classes))),
        3,
    );
    writeln!(
        out,
        "{indent}{} more {} of more than {} classes: conventions such as plugin base classes, not listed (--max-family): {examples}",
        thousands(discovery.large_families.len()),
        plural(discovery.large_families.len(), "family", "families"),
        max_of(discovery, |thresholds| thresholds.max_family),
    )
}

fn next_step(discovery: &Discovery) -> String {
    if discovery.scattered.is_empty() && discovery.families.is_empty() {
        return "Nothing to propose at these thresholds (see --min-modules, --min-imports, --min-family)."
            .to_string();
    }
    "Next: `ssot-lint discover --write ssot-lint.toml` writes these as a starter config (registry entries and concepts, each with its evidence); review it, then run `ssot-lint check`.".to_string()
}

/// One line per item, for pipes and files.
pub(crate) fn write_lines(
    discovery: &Discovery,
    include_tests: bool,
    top: usize,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let (shown, scattered_left) = first(&discovery.scattered, top);
    for item in shown {
        writeln!(
            out,
            "scattered {}: {}; {} not via {}; home {} ({}); check: {}",
            item.name,
            evidence(item),
            thousands(item.spread),
            item.main_source,
            item.home,
            home_note(item),
            check_counts(item)
        )?;
    }
    more_line(out, scattered_left, "")?;
    homonym_line(discovery, out, "")?;
    let (shown, duplicates_left) = first(&discovery.duplicates, top);
    for item in shown {
        writeln!(
            out,
            "duplicate {} {}: defined in {} modules: {}",
            item.kind.as_str(),
            item.name,
            item.defined_in.len(),
            places(item, usize::MAX)
        )?;
    }
    more_line(out, duplicates_left, "")?;
    conventions_line(discovery, out, "")?;
    let (shown, families_left) = first(&discovery.families, top);
    for item in shown {
        let factories =
            if item.factories.is_empty() { "none".to_string() } else { item.factories.join(", ") };
        writeln!(
            out,
            "family *{}: {} classes: {}; factories: {factories}",
            item.suffix,
            item.classes.len(),
            item.classes.join(", ")
        )?;
    }
    more_line(out, families_left, "")?;
    large_families_line(discovery, out, "")?;
    writeln!(
        out,
        "{}: {} scattered, {} duplicate, {} {}",
        heading(discovery, include_tests),
        thousands(discovery.scattered.len()),
        thousands(discovery.duplicates.len()),
        thousands(discovery.families.len()),
        plural(discovery.families.len(), "family", "families")
    )
}

fn code(text: &str) -> String {
    format!("`{}`", text.replace('`', "'").replace('|', "\\|"))
}

/// Markdown for an issue or pull-request description.
pub(crate) fn write_markdown(
    discovery: &Discovery,
    include_tests: bool,
    top: usize,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out, "## ssot-lint discover\n")?;
    writeln!(out, "{}.\n", heading(discovery, include_tests))?;

    writeln!(out, "### Scattered imports ({})\n", thousands(discovery.scattered.len()))?;
    let (shown, left_out) = first(&discovery.scattered, top);
    if shown.is_empty() {
        writeln!(out, "None at these thresholds.")?;
    } else {
        writeln!(out, "| Name | Imports | Not via main source | Home | Imported from |")?;
        writeln!(out, "|---|---:|---:|---|---|")?;
        for item in shown {
            writeln!(
                out,
                "| {} | {} | {} | {} ({}) | {} |",
                code(&item.name),
                thousands(item.total()),
                thousands(item.spread),
                code(&item.home),
                home_note(item),
                sources(item, 5)
            )?;
        }
    }
    more_line(out, left_out, "\n")?;
    homonym_line(discovery, out, "\n")?;

    writeln!(out, "\n### Duplicate definitions ({})\n", thousands(discovery.duplicates.len()))?;
    let (shown, left_out) = first(&discovery.duplicates, top);
    if shown.is_empty() {
        writeln!(out, "None at these thresholds.")?;
    } else {
        writeln!(out, "| Name | Kind | Modules | Defined in |")?;
        writeln!(out, "|---|---|---:|---|")?;
        for item in shown {
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                code(&item.name),
                item.kind.as_str(),
                item.defined_in.len(),
                places(item, 5)
            )?;
        }
    }
    more_line(out, left_out, "\n")?;
    conventions_line(discovery, out, "\n")?;

    writeln!(out, "\n### Class families ({})\n", thousands(discovery.families.len()))?;
    let (shown, left_out) = first(&discovery.families, top);
    if shown.is_empty() {
        writeln!(out, "None at these thresholds.")?;
    } else {
        writeln!(out, "| Suffix | Classes | Members | Factories |")?;
        writeln!(out, "|---|---:|---|---|")?;
        for item in shown {
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                code(&format!("*{}", item.suffix)),
                item.classes.len(),
                list(item.classes.iter().map(|class| short_name(class).to_string()), 6),
                family_factories(item)
            )?;
        }
    }
    more_line(out, left_out, "\n")?;
    large_families_line(discovery, out, "\n")?;
    Ok(())
}

fn family_factories(item: &Family) -> String {
    if item.factories.is_empty() {
        "none".to_string()
    } else {
        list(item.factories.iter().map(|factory| code(factory)), 4)
    }
}
