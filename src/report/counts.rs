//! `counts` output (SPEC §5.5): one table of violation counts as text, JSON, CSV or Markdown.
//! The table is computed by `app::counts`; this module only formats it.

use std::collections::BTreeMap;

use serde::Serialize;

/// Counts grouped one way, plus the total over every group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CountTable {
    /// What the groups are keyed by: `phase`, `rule`, `concept`, `check` or `file`.
    pub by: &'static str,
    pub current_phase: Option<u32>,
    /// Whether a baseline was given, so `baselined` and `fixed` mean something.
    pub with_baseline: bool,
    pub groups: Vec<Group>,
    pub total: Tally,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Group {
    pub key: String,
    /// The phase's declared name (`--by phase` only).
    pub name: Option<String>,
    pub tally: Tally,
    /// Violations of this group per rule id.
    pub by_rule: BTreeMap<String, usize>,
}

/// `count`: violations, i.e. reported findings neither suppressed nor baselined; `gating`: those
/// that gate; `baselined`: reported findings the baseline knows; `fixed`: baseline entries that
/// no longer occur.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Tally {
    pub count: usize,
    pub gating: usize,
    pub baselined: usize,
    pub fixed: usize,
}

impl Tally {
    pub fn add(&mut self, other: Tally) {
        self.count += other.count;
        self.gating += other.gating;
        self.baselined += other.baselined;
        self.fixed += other.fixed;
    }
}

/// The label of the group without a phase.
const NO_PHASE: &str = "(no phase)";

/// Aligned columns with a total row.
pub(crate) fn write_text(table: &CountTable, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut rows = vec![headers(table, false)];
    rows.extend(table.groups.iter().map(|group| row(table, group)));
    let mut total = vec!["total".to_string()];
    if table.by == "phase" {
        total.push(String::new());
    }
    total.extend(numbers(table, &table.total));
    rows.push(total);

    let labels = label_columns(table);
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|column| rows.iter().map(|row| row[column].chars().count()).max().unwrap_or(0))
        .collect();
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(
                |(column, (cell, &width))| {
                    if column < labels {
                        format!("{cell:<width$}")
                    } else {
                        format!("{cell:>width$}")
                    }
                },
            )
            .collect();
        writeln!(out, "{}", cells.join("  ").trim_end())?;
    }
    Ok(())
}

/// SPEC §5.5: `{"version": 1, "by": ..., "total": N, "groups": [...]}`.
pub(crate) fn write_json(table: &CountTable, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    #[derive(Serialize)]
    struct JsonCounts<'a> {
        version: u32,
        by: &'a str,
        current_phase: Option<u32>,
        total: usize,
        gating: usize,
        #[serde(skip_serializing_if = "Option::is_none")]
        baselined: Option<usize>,
        #[serde(skip_serializing_if = "Option::is_none")]
        fixed: Option<usize>,
        groups: Vec<JsonGroup<'a>>,
    }
    #[derive(Serialize)]
    struct JsonGroup<'a> {
        key: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<&'a str>,
        count: usize,
        gating: usize,
        #[serde(skip_serializing_if = "Option::is_none")]
        baselined: Option<usize>,
        #[serde(skip_serializing_if = "Option::is_none")]
        fixed: Option<usize>,
        by_rule: &'a BTreeMap<String, usize>,
    }
    let baseline = |value: usize| table.with_baseline.then_some(value);
    let json = JsonCounts {
        version: 1,
        by: table.by,
        current_phase: table.current_phase,
        total: table.total.count,
        gating: table.total.gating,
        baselined: baseline(table.total.baselined),
        fixed: baseline(table.total.fixed),
        groups: table
            .groups
            .iter()
            .map(|group| JsonGroup {
                key: &group.key,
                name: group.name.as_deref(),
                count: group.tally.count,
                gating: group.tally.gating,
                baselined: baseline(group.tally.baselined),
                fixed: baseline(group.tally.fixed),
                by_rule: &group.by_rule,
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    writeln!(out)
}

/// One header row and one row per group (no total row: spreadsheets sum themselves).
pub(crate) fn write_csv(table: &CountTable, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(headers(table, false))?;
    for group in &table.groups {
        writer.write_record(row(table, group))?;
    }
    writer.flush()
}

/// For `$GITHUB_STEP_SUMMARY`: a heading, a table with a bar of each group's share of what is
/// left, a total row, and which phases gate.
pub(crate) fn write_markdown(table: &CountTable, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    writeln!(out, "### ssot-lint: violations by {}\n", table.by)?;
    let mut header = headers(table, true);
    header.push("Share left".to_string());
    writeln!(out, "| {} |", header.join(" | "))?;
    let labels = label_columns(table);
    let align: Vec<&str> = (0..header.len())
        .map(|column| if column < labels || column == header.len() - 1 { "---" } else { "---:" })
        .collect();
    writeln!(out, "| {} |", align.join(" | "))?;
    for group in &table.groups {
        let mut cells: Vec<String> = row(table, group).iter().map(|cell| escape_markdown(cell)).collect();
        cells.push(share_bar(group.tally.count, table.total.count));
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    let mut total = vec!["**Total**".to_string()];
    if table.by == "phase" {
        total.push(String::new());
    }
    total.extend(numbers(table, &table.total).into_iter().map(|number| format!("**{number}**")));
    total.push(String::new());
    writeln!(out, "| {} |", total.join(" | "))?;
    if let Some(phase) = table.current_phase {
        writeln!(
            out,
            "\nCurrent phase: {phase}. Errors of phases up to {phase} gate; later phases are warnings."
        )?;
    }
    Ok(())
}

/// How many leading columns are labels (left-aligned): the key, and the phase name.
fn label_columns(table: &CountTable) -> usize {
    if table.by == "phase" {
        2
    } else {
        1
    }
}

fn headers(table: &CountTable, title_case: bool) -> Vec<String> {
    let mut headers = vec![table.by, "name", "violations", "gating", "baselined", "fixed since baseline"];
    if table.by != "phase" {
        headers.remove(1);
    }
    if !table.with_baseline {
        headers.truncate(headers.len() - 2);
    }
    headers
        .into_iter()
        .map(|header| if title_case { capitalize(header) } else { header.to_string() })
        .collect()
}

fn row(table: &CountTable, group: &Group) -> Vec<String> {
    let mut cells = vec![group.key.clone()];
    if table.by == "phase" {
        cells.push(group.name.clone().unwrap_or_else(|| NO_PHASE.to_string()));
    }
    cells.extend(numbers(table, &group.tally));
    cells
}

fn numbers(table: &CountTable, tally: &Tally) -> Vec<String> {
    let mut numbers = vec![tally.count, tally.gating];
    if table.with_baseline {
        numbers.extend([tally.baselined, tally.fixed]);
    }
    numbers.iter().map(usize::to_string).collect()
}

/// `` `████░░░░░░░░░░░░░░░░` 20% ``: `count` as a share of `total`, 20 cells wide.
fn share_bar(count: usize, total: usize) -> String {
    const WIDTH: usize = 20;
    // Rounded to the nearest cell / percent; nothing left at all is 0%.
    let share = |scale: usize| (count * scale + total / 2).checked_div(total).unwrap_or(0);
    let (filled, percent) = (share(WIDTH).min(WIDTH), share(100));
    format!("`{}{}` {percent}%", "█".repeat(filled), "░".repeat(WIDTH - filled))
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Keeps a cell inside its column: `|` would end it, a newline the row.
fn escape_markdown(cell: &str) -> String {
    cell.replace('|', "\\|").replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_bar_rounds_and_handles_an_empty_total() {
        assert_eq!(share_bar(0, 0), "`░░░░░░░░░░░░░░░░░░░░` 0%");
        assert_eq!(share_bar(1, 3), "`███████░░░░░░░░░░░░░` 33%");
        assert_eq!(share_bar(2, 3), "`█████████████░░░░░░░` 67%");
        assert_eq!(share_bar(5, 5), "`████████████████████` 100%");
    }

    #[test]
    fn markdown_cells_cannot_break_the_table() {
        assert_eq!(escape_markdown("a|b\nc"), "a\\|b c");
    }
}
