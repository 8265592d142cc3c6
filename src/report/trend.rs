//! `trend` reports: JSON, CSV, text, Markdown (with a Mermaid chart), SVG and HTML.
//!
//! The SVG chart is drawn here, not by a plotting library: one polyline per phase over the
//! commits (evenly spaced, oldest left), y from zero, dates on the x axis, a legend with the
//! phase names. It needs no script or font beyond the browser's default, so it renders in a
//! browser, in GitHub's file view and inside the HTML page.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use serde::Serialize;

use crate::config::Config;

/// A trend: one point per commit, oldest first.
#[derive(Debug, Serialize)]
pub struct Trend {
    pub version: u32,
    /// The commit `--rev` named.
    pub rev: String,
    pub points: Vec<Point>,
    #[serde(skip)]
    pub series: Series,
}

/// One commit's counts: what `counts` counts (suppressed findings excluded).
#[derive(Clone, Debug, Serialize)]
pub struct Point {
    pub commit: String,
    /// Committer date, ISO 8601.
    pub date: String,
    pub subject: String,
    pub files: usize,
    pub total: usize,
    pub gating: usize,
    /// Every declared phase and `none`, zeros included.
    pub by_phase: BTreeMap<String, usize>,
    /// Rules with at least one finding.
    pub by_rule: BTreeMap<String, usize>,
}

/// The declared phases, in order: (id, name).
#[derive(Clone, Debug, Default)]
pub struct Series {
    phases: Vec<(String, String)>,
}

const NONE: &str = "none";

impl Series {
    pub fn of(config: &Config) -> Self {
        Series {
            phases: config.phases.iter().map(|phase| (phase.id.to_string(), phase.name.clone())).collect(),
        }
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.phases.iter().map(|(key, _)| key.as_str())
    }
}

impl Trend {
    /// The series to draw or tabulate: (key, label) for each declared phase, then findings of
    /// no phase when there are any (or when no phase is declared).
    fn lines(&self) -> Vec<(String, String)> {
        let mut lines: Vec<(String, String)> = self
            .series
            .phases
            .iter()
            .map(|(key, name)| (key.clone(), format!("phase {key}: {name}")))
            .collect();
        let any_none = self.points.iter().any(|point| count(point, NONE) > 0);
        if lines.is_empty() || any_none {
            lines.push((NONE.to_string(), "no phase".to_string()));
        }
        lines
    }

    fn rules(&self) -> Vec<String> {
        let rules: BTreeSet<&String> = self.points.iter().flat_map(|point| point.by_rule.keys()).collect();
        rules.into_iter().cloned().collect()
    }
}

fn count(point: &Point, key: &str) -> usize {
    point.by_phase.get(key).copied().unwrap_or(0)
}

fn short(id: &str) -> &str {
    id.get(..7).unwrap_or(id)
}

fn day(date: &str) -> &str {
    date.get(..10).unwrap_or(date)
}

pub(crate) fn write_json(trend: &Trend, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, trend)?;
    writeln!(out)
}

/// One row per commit: commit, date, subject, files, total, gating, one column per phase
/// (`phase_<id>`, `phase_none`), one per rule that ever fired.
pub(crate) fn write_csv(trend: &Trend, out: &mut dyn Write) -> io::Result<()> {
    let mut phases: Vec<String> = trend.series.keys().map(str::to_string).collect();
    phases.push(NONE.to_string());
    let rules = trend.rules();
    let mut writer = csv::Writer::from_writer(out);
    let mut header: Vec<String> =
        ["commit", "date", "subject", "files", "total", "gating"].map(str::to_string).to_vec();
    header.extend(phases.iter().map(|key| format!("phase_{key}")));
    header.extend(rules.iter().cloned());
    writer.write_record(&header)?;
    for point in &trend.points {
        let mut row = vec![
            point.commit.clone(),
            point.date.clone(),
            point.subject.clone(),
            point.files.to_string(),
            point.total.to_string(),
            point.gating.to_string(),
        ];
        row.extend(phases.iter().map(|key| count(point, key).to_string()));
        row.extend(rules.iter().map(|rule| point.by_rule.get(rule).copied().unwrap_or(0).to_string()));
        writer.write_record(&row)?;
    }
    writer.flush()
}

/// A compact table, one line per commit, with a bar for the total.
pub(crate) fn write_text(trend: &Trend, out: &mut dyn Write) -> io::Result<()> {
    const BAR: usize = 30;
    let lines = trend.lines();
    let (Some(first), Some(last)) = (trend.points.first(), trend.points.last()) else {
        return Ok(());
    };
    writeln!(
        out,
        "{} from {} to {}",
        plural(trend.points.len(), "commit"),
        day(&first.date),
        day(&last.date)
    )?;
    let widths: Vec<usize> = lines.iter().map(|(key, _)| key.len().max(5)).collect();
    write!(out, "{:<7}  {:<10}", "commit", "date")?;
    for ((key, _), width) in lines.iter().zip(&widths) {
        write!(out, "  {key:>width$}")?;
    }
    writeln!(out, "  {:>6}  {:>6}", "total", "gating")?;
    let max = trend.points.iter().map(|point| point.total).max().unwrap_or(0).max(1);
    for point in &trend.points {
        write!(out, "{:<7}  {:<10}", short(&point.commit), day(&point.date))?;
        for ((key, _), width) in lines.iter().zip(&widths) {
            write!(out, "  {:>width$}", count(point, key))?;
        }
        let bar = "█".repeat((point.total * BAR).div_ceil(max));
        writeln!(out, "  {:>6}  {:>6}  {bar}", point.total, point.gating)?;
    }
    let names: Vec<String> = lines.iter().map(|(_, label)| label.clone()).collect();
    writeln!(out, "columns: {}", names.join(", "))
}

/// For `$GITHUB_STEP_SUMMARY`: first, last and change per phase, and a Mermaid line chart.
pub(crate) fn write_markdown(trend: &Trend, rev: &str, out: &mut dyn Write) -> io::Result<()> {
    let lines = trend.lines();
    let (Some(first), Some(last)) = (trend.points.first(), trend.points.last()) else {
        return Ok(());
    };
    writeln!(out, "### ssot-lint trend: {} of `{}`\n", plural(trend.points.len(), "commit"), md_escape(rev))?;
    writeln!(
        out,
        "| | first (`{}`, {}) | last (`{}`, {}) | change |",
        short(&first.commit),
        day(&first.date),
        short(&last.commit),
        day(&last.date)
    )?;
    writeln!(out, "|---|---:|---:|---:|")?;
    let row = |out: &mut dyn Write, label: &str, from: usize, to: usize| {
        writeln!(out, "| {} | {from} | {to} | {} |", md_escape(label), change(from, to))
    };
    for (key, label) in &lines {
        row(out, label, count(first, key), count(last, key))?;
    }
    row(out, "total", first.total, last.total)?;
    row(out, "gating", first.gating, last.gating)?;
    writeln!(out)?;
    let max = trend
        .points
        .iter()
        .flat_map(|point| lines.iter().map(|(key, _)| count(point, key)))
        .max()
        .unwrap_or(0);
    writeln!(out, "```mermaid\nxychart-beta")?;
    writeln!(out, "    title \"Violations per phase\"")?;
    let labels: Vec<String> =
        trend.points.iter().map(|point| format!("\"{}\"", short(&point.commit))).collect();
    writeln!(out, "    x-axis [{}]", labels.join(", "))?;
    writeln!(out, "    y-axis \"violations\" 0 --> {}", nice_ceiling(max))?;
    for (key, _) in &lines {
        let values: Vec<String> = trend.points.iter().map(|point| count(point, key).to_string()).collect();
        writeln!(out, "    line [{}]", values.join(", "))?;
    }
    writeln!(out, "```\n")?;
    let names: Vec<String> = lines.iter().map(|(_, label)| md_escape(label)).collect();
    writeln!(out, "Lines, in chart order: {}.", names.join("; "))
}

fn change(from: usize, to: usize) -> String {
    match to.cmp(&from) {
        std::cmp::Ordering::Less => format!("−{}", from - to),
        std::cmp::Ordering::Equal => "0".to_string(),
        std::cmp::Ordering::Greater => format!("+{}", to - from),
    }
}

fn md_escape(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// The smallest 1, 2, 3, 4, 5, 6 or 8 × 10^k at or above `value` (at least 1): a round top for
/// an axis that leaves little empty space above the highest value.
fn nice_ceiling(value: usize) -> usize {
    let mut scale = 1;
    loop {
        for step in [1, 2, 3, 4, 5, 6, 8] {
            if step * scale >= value.max(1) {
                return step * scale;
            }
        }
        scale *= 10;
    }
}

const COLORS: [&str; 10] = [
    "#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
    "#17becf",
];

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if c.is_control() && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The burn-down chart: one line per phase (`<g class="series" data-phase="...">`), a dashed
/// total line, y from zero with round ticks, dates under the x axis, a legend on the right.
pub(crate) fn write_svg(trend: &Trend, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(svg(trend).as_bytes())
}

fn svg(trend: &Trend) -> String {
    const WIDTH: f64 = 1000.0;
    const HEIGHT: f64 = 440.0;
    const LEFT: f64 = 64.0;
    const RIGHT: f64 = 310.0;
    const TOP: f64 = 48.0;
    const BOTTOM: f64 = 56.0;
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let lines = trend.lines();
    let points = &trend.points;
    let n = points.len();
    let max = points.iter().map(|point| point.total).max().unwrap_or(0);
    let top = nice_ceiling(max) as f64;
    let x = |index: usize| {
        if n <= 1 {
            LEFT + plot_width / 2.0
        } else {
            LEFT + plot_width * index as f64 / (n - 1) as f64
        }
    };
    let y = |value: usize| TOP + plot_height - plot_height * value as f64 / top;

    let mut svg = String::new();
    let mut add = |text: String| {
        svg.push_str(&text);
        svg.push('\n');
    };
    add(format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" font-size="12">"#
    ));
    add(format!(r##"<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>"##));
    let title = match (points.first(), points.last()) {
        (Some(first), Some(last)) => format!(
            "Violations per phase, {} ({} to {})",
            plural(n, "commit"),
            day(&first.date),
            day(&last.date)
        ),
        _ => "Violations per phase".to_string(),
    };
    add(format!(
        r##"<text x="{LEFT}" y="28" font-size="16" font-weight="600" fill="#24292f">{}</text>"##,
        xml_escape(&title)
    ));

    // Y axis: about five steps from zero.
    add(r##"<g class="y-axis" fill="#57606a" text-anchor="end">"##.to_string());
    let step = (top as usize).div_ceil(5).max(1);
    let mut tick = 0;
    while tick <= top as usize {
        let at = y(tick);
        add(format!(
            "<line x1=\"{LEFT}\" y1=\"{at:.1}\" x2=\"{:.1}\" y2=\"{at:.1}\" stroke=\"#d0d7de\" stroke-width=\"1\"/>",
            LEFT + plot_width
        ));
        add(format!(r#"<text x="{:.1}" y="{:.1}">{tick}</text>"#, LEFT - 8.0, at + 4.0));
        tick += step;
    }
    add("</g>".to_string());

    // X axis: every date up to ten commits, else seven evenly picked.
    add(r##"<g class="x-axis" fill="#57606a" text-anchor="middle">"##.to_string());
    add(format!(
        "<line x1=\"{LEFT}\" y1=\"{0:.1}\" x2=\"{1:.1}\" y2=\"{0:.1}\" stroke=\"#57606a\" stroke-width=\"1\"/>",
        TOP + plot_height,
        LEFT + plot_width
    ));
    let labels = if n <= 10 { n } else { 7 };
    let mut shown = BTreeSet::new();
    for label in 0..labels {
        let index = if labels <= 1 { n.saturating_sub(1) } else { label * (n - 1) / (labels - 1) };
        if !shown.insert(index) {
            continue;
        }
        let at = x(index);
        add(format!(
            r##"<line x1="{at:.1}" y1="{0:.1}" x2="{at:.1}" y2="{1:.1}" stroke="#57606a"/>"##,
            TOP + plot_height,
            TOP + plot_height + 5.0
        ));
        add(format!(
            r#"<text x="{at:.1}" y="{:.1}">{}</text>"#,
            TOP + plot_height + 20.0,
            xml_escape(day(&points[index].date))
        ));
    }
    add(format!(
        r#"<text x="{:.1}" y="{:.1}">commits, oldest to newest</text>"#,
        LEFT + plot_width / 2.0,
        HEIGHT - 10.0
    ));
    add("</g>".to_string());

    // Total (dashed), then one line per phase.
    let polyline = |values: &dyn Fn(&Point) -> usize| {
        points
            .iter()
            .enumerate()
            .map(|(index, point)| format!("{:.1},{:.1}", x(index), y(values(point))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    add(format!(
        r##"<g class="total"><polyline fill="none" stroke="#8c959f" stroke-width="1.5" stroke-dasharray="5 4" points="{}"/></g>"##,
        polyline(&|point| point.total)
    ));
    let dots = n <= 100;
    for (index, (key, label)) in lines.iter().enumerate() {
        let color = COLORS[index % COLORS.len()];
        add(format!(r#"<g class="series" data-phase="{}">"#, xml_escape(key)));
        add(format!(r#"<title>{}</title>"#, xml_escape(label)));
        add(format!(
            r#"<polyline fill="none" stroke="{color}" stroke-width="2.5" stroke-linejoin="round" points="{}"/>"#,
            polyline(&|point| count(point, key))
        ));
        if dots {
            for (at, point) in points.iter().enumerate() {
                let value = count(point, key);
                add(format!(
                    r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{color}"><title>{} {}: {value}</title></circle>"#,
                    x(at),
                    y(value),
                    short(&point.commit),
                    xml_escape(day(&point.date))
                ));
            }
        }
        add("</g>".to_string());
    }

    // Legend: phase names with their last value.
    let legend_x = LEFT + plot_width + 24.0;
    add(r##"<g class="legend" fill="#24292f">"##.to_string());
    let last = points.last();
    for (index, (key, label)) in lines.iter().enumerate() {
        let at = TOP + 10.0 + 22.0 * index as f64;
        let color = COLORS[index % COLORS.len()];
        let value = last.map_or(0, |point| count(point, key));
        add(format!(r#"<rect x="{legend_x:.1}" y="{:.1}" width="14" height="4" fill="{color}"/>"#, at - 4.0));
        add(format!(
            r#"<text x="{:.1}" y="{at:.1}">{} ({value})</text>"#,
            legend_x + 20.0,
            xml_escape(&truncate(label, 40))
        ));
    }
    let at = TOP + 10.0 + 22.0 * lines.len() as f64;
    add(format!(
        r##"<line x1="{legend_x:.1}" y1="{0:.1}" x2="{1:.1}" y2="{0:.1}" stroke="#8c959f" stroke-width="1.5" stroke-dasharray="5 4"/>"##,
        at - 2.0,
        legend_x + 14.0
    ));
    add(format!(
        r#"<text x="{:.1}" y="{at:.1}">total ({})</text>"#,
        legend_x + 20.0,
        last.map_or(0, |point| point.total)
    ));
    add("</g>".to_string());
    add("</svg>".to_string());
    svg
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// One self-contained page (no script, no network): the chart and a table of every commit.
pub(crate) fn write_html(trend: &Trend, rev: &str, out: &mut dyn Write) -> io::Result<()> {
    let lines = trend.lines();
    writeln!(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">")?;
    writeln!(out, "<title>ssot-lint trend of {}</title>", xml_escape(rev))?;
    writeln!(
        out,
        "<style>\nbody {{ font-family: -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; margin: 2em; color: #24292f; }}\n\
         table {{ border-collapse: collapse; margin-top: 1.5em; font-size: 14px; }}\n\
         th, td {{ border-bottom: 1px solid #d0d7de; padding: 4px 10px; text-align: right; }}\n\
         th {{ background: #f6f8fa; }}\n\
         td.text {{ text-align: left; }}\n\
         td.date {{ white-space: nowrap; }}\n\
         code {{ font-size: 13px; }}\n</style>\n</head>\n<body>"
    )?;
    writeln!(out, "<h1>ssot-lint trend of <code>{}</code></h1>", xml_escape(rev))?;
    writeln!(
        out,
        "<p>Violations per phase in {} (suppressed findings excluded), each commit linted as <code>check</code> lints a clean checkout of it.</p>",
        plural(trend.points.len(), "commit")
    )?;
    out.write_all(svg(trend).as_bytes())?;
    writeln!(out, "<table>\n<thead><tr><th>commit</th><th>date</th><th>subject</th>")?;
    for (_, label) in &lines {
        write!(out, "<th>{}</th>", xml_escape(label))?;
    }
    writeln!(out, "<th>total</th><th>gating</th><th>files</th></tr></thead>\n<tbody>")?;
    for point in trend.points.iter().rev() {
        write!(
            out,
            "<tr><td class=\"text\"><code>{}</code></td><td class=\"text date\">{}</td><td class=\"text\">{}</td>",
            short(&point.commit),
            xml_escape(day(&point.date)),
            xml_escape(&truncate(&point.subject, 80))
        )?;
        for (key, _) in &lines {
            write!(out, "<td>{}</td>", count(point, key))?;
        }
        writeln!(out, "<td>{}</td><td>{}</td><td>{}</td></tr>", point.total, point.gating, point.files)?;
    }
    writeln!(out, "</tbody>\n</table>\n</body>\n</html>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_tops_are_round_and_close_above_the_maximum() {
        let tops: Vec<usize> = [0, 1, 7, 9, 11, 49, 51, 250, 7978].map(nice_ceiling).to_vec();
        assert_eq!(tops, [1, 1, 8, 10, 20, 50, 60, 300, 8000]);
    }

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(xml_escape("a<b & \"c\" 'd'\u{1}"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos; ");
    }
}
