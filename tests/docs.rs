//! The documentation cannot drift from the code:
//!
//! - `docs/rules.md` and the README's rule table are generated from `rules/*.md` and the rules'
//!   metadata; `SSOT_LINT_UPDATE_DOCS=1 cargo test --test docs` rewrites them, a plain run fails
//!   when they are out of date;
//! - the configuration page's full example has every key of every table of the config schema;
//! - every ```toml snippet of the README, CONTRIBUTING.md and docs/ loads with the config loader,
//!   unless marked `<!-- snippet: fragment (REASON) -->` on the line above it;
//! - every output block marked `<!-- demo-output: ARGS -->` is what `ssot-lint ARGS` prints on
//!   the demo (lines may be left out where the block says `...`, never changed);
//! - relative links point at files and headings that exist.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::*;
use ssot_lint::rules::RULES;

const UPDATE_VAR: &str = "SSOT_LINT_UPDATE_DOCS";

/// The Markdown files a user reads: README, CONTRIBUTING and every page of docs/.
fn doc_files() -> Vec<PathBuf> {
    let root = repo_dir();
    let mut files = vec![root.join("README.md"), root.join("CONTRIBUTING.md")];
    let mut pages: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/")
        .map(|entry| entry.expect("dir entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    pages.sort();
    assert!(pages.len() >= 10, "docs/ has {} pages", pages.len());
    files.extend(pages);
    files
}

fn read(path: &Path) -> String {
    regenerate_if_asked();
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn relative(path: &Path) -> String {
    path.strip_prefix(repo_dir()).unwrap_or(path).display().to_string()
}

// ---------------------------------------------------------------------------------------------
// Generated parts

/// The rule table: one row per rule, its default severity and summary.
fn rule_table(link_prefix: &str) -> String {
    let mut table = String::from("| rule | default | fires on |\n|---|---|---|\n");
    for rule in RULES {
        table.push_str(&format!(
            "| [`{id}`]({link_prefix}#{id}) | {} | {} |\n",
            rule.default_severity.as_str(),
            rule.summary(),
            id = rule.id
        ));
    }
    table
}

/// `docs/rules.md`: the table, then every rule's doc with its headings one level down.
fn rules_page() -> String {
    let mut page = String::from(
        "# Rules\n\n\
         <!-- Generated from rules/*.md and the rules' metadata by tests/docs.rs: edit those, then run\n     \
         `SSOT_LINT_UPDATE_DOCS=1 cargo test --locked --test docs`. -->\n\n\
         `ssot-lint rules` lists the rules, `ssot-lint explain RULE` prints one rule's documentation\n\
         (the same text as below, and the help of each SARIF rule). Relative imports are resolved\n\
         against the importing file's module before any comparison, and imports count anywhere:\n\
         inside functions, `try` blocks and `if TYPE_CHECKING:`. `stale-registry` runs only when the\n\
         whole project is linted (PATHS include the project root), and its findings point at the\n\
         entry in the config file. Silence a finding with `# ssot: ignore[RULE]` (see\n\
         [Suppressions](configuration.md#suppressions)); select rules with `--select`,\n\
         `--extend-select` and `--ignore`.\n\n",
    );
    page.push_str(&rule_table(""));
    for rule in RULES {
        page.push('\n');
        let mut fence: Option<String> = None;
        for line in rule.doc.trim_end().lines() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("```") {
                let ticks: String = trimmed.chars().take_while(|c| *c == '`').collect();
                match &fence {
                    None => fence = Some(ticks),
                    Some(open) if *open == ticks && trimmed == ticks => fence = None,
                    Some(_) => {}
                }
            }
            if fence.is_none() && line.starts_with('#') {
                page.push('#');
            }
            page.push_str(line);
            page.push('\n');
        }
    }
    page
}

const TABLE_BEGIN: &str = "<!-- begin generated: rule table (tests/docs.rs) -->\n";
const TABLE_END: &str = "<!-- end generated: rule table -->";

/// `text` with the generated rule table between the markers replaced.
fn with_rule_table(text: &str, link_prefix: &str) -> String {
    let start = text.find(TABLE_BEGIN).expect("README has the rule-table begin marker") + TABLE_BEGIN.len();
    let end = text.find(TABLE_END).expect("README has the rule-table end marker");
    format!("{}{}{}", &text[..start], rule_table(link_prefix), &text[end..])
}

/// With `SSOT_LINT_UPDATE_DOCS` set, rewrites the generated docs once, before any test reads a
/// doc: the tests run in parallel, and one that checks README's links must see the new table.
fn regenerate_if_asked() {
    static DONE: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    DONE.get_or_init(|| {
        if std::env::var_os(UPDATE_VAR).is_none() {
            return;
        }
        let rules_page_path = repo_dir().join("docs/rules.md");
        let readme_path = repo_dir().join("README.md");
        let readme = std::fs::read_to_string(&readme_path).expect("README.md");
        for (path, expected) in
            [(rules_page_path, rules_page()), (readme_path, with_rule_table(&readme, "docs/rules.md"))]
        {
            if std::fs::read_to_string(&path).ok().as_deref() != Some(expected.as_str()) {
                std::fs::write(&path, expected).expect("write generated doc");
                eprintln!("rewrote {}", relative(&path));
            }
        }
    });
}

/// Compares a generated file with the one on disk (rewritten first when `SSOT_LINT_UPDATE_DOCS`
/// is set).
fn check_generated(path: &Path, expected: &str) {
    regenerate_if_asked();
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    if actual == expected {
        return;
    }
    let diff = similar::TextDiff::from_lines(actual.as_str(), expected).unified_diff().to_string();
    panic!(
        "{} is out of date: run `{UPDATE_VAR}=1 cargo test --locked --test docs` to regenerate it\n{diff}",
        relative(path)
    );
}

#[test]
fn rules_page_is_generated_from_the_rule_docs() {
    check_generated(&repo_dir().join("docs/rules.md"), &rules_page());
}

#[test]
fn readme_rule_table_is_generated_from_the_rule_docs() {
    let path = repo_dir().join("README.md");
    check_generated(&path, &with_rule_table(&read(&path), "docs/rules.md"));
}

#[test]
fn rules_page_has_every_rule_once() {
    let page = rules_page();
    for rule in RULES {
        assert_eq!(page.matches(&format!("\n## {}\n", rule.id)).count(), 1, "{}", rule.id);
    }
}

// ---------------------------------------------------------------------------------------------
// The README as a landing page

#[test]
fn readme_is_a_landing_page() {
    let readme = read(&repo_dir().join("README.md"));
    assert!(
        readme.len() <= 15 * 1024,
        "README.md is {} bytes; keep it under 15 KB and move detail to docs/",
        readme.len()
    );
    for section in ["## Install", "## Quick start", "## Documentation", "## Development"] {
        assert!(readme.contains(&format!("\n{section}")), "README lacks `{section}`");
    }
    assert!(!readme.contains("SPEC"), "README cites the SPEC, which users do not have");
}

/// The project's two commands stay findable where a contributor looks.
#[test]
fn the_two_project_commands_are_in_readme_and_contributing() {
    for file in ["README.md", "CONTRIBUTING.md"] {
        let text = read(&repo_dir().join(file));
        for command in ["cargo run --release -- check examples/chat-backend", "cargo test --locked"] {
            assert!(text.contains(command), "{file} lacks `{command}`");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Fenced blocks

struct Block {
    file: String,
    /// 1-based line of the opening fence.
    line: usize,
    lang: String,
    /// The HTML comment on the line above the fence, if any (`snippet: ...`, `demo-output: ...`).
    marker: Option<String>,
    text: String,
}

fn blocks(path: &Path) -> Vec<Block> {
    let text = read(path);
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let trimmed = lines[index].trim_start();
        if !trimmed.starts_with("```") {
            index += 1;
            continue;
        }
        let ticks: String = trimmed.chars().take_while(|c| *c == '`').collect();
        let lang = trimmed[ticks.len()..].trim().to_string();
        let indent = lines[index].len() - trimmed.len();
        let marker = index
            .checked_sub(1)
            .map(|above| lines[above].trim())
            .and_then(|above| above.strip_prefix("<!--")?.strip_suffix("-->"))
            .map(|marker| marker.trim().to_string());
        let start = index;
        let mut body = String::new();
        index += 1;
        while index < lines.len() && lines[index].trim() != ticks {
            let line = lines[index];
            body.push_str(line.get(indent.min(line.len() - line.trim_start().len())..).unwrap_or(line));
            body.push('\n');
            index += 1;
        }
        assert!(index < lines.len(), "{}:{}: unterminated fence", relative(path), start + 1);
        blocks.push(Block { file: relative(path), line: start + 1, lang, marker, text: body });
        index += 1;
    }
    blocks
}

fn all_blocks() -> Vec<Block> {
    doc_files().iter().flat_map(|path| blocks(path)).collect()
}

/// A snippet that uses `phase = N` without declaring phases (a rule doc showing one entry) is
/// read as part of a config that declares phases 1 to 9; one that declares its own is left alone.
fn with_phases(snippet: &str) -> String {
    if snippet.contains("[[phase]]") {
        return snippet.to_string();
    }
    let declared: String = (1..=9).map(|id| format!("[[phase]]\nid = {id}\n\n")).collect();
    // Tables first: a snippet starting with top-level keys would otherwise put them in [[phase]].
    match snippet.find("\n[") {
        Some(_) if !snippet.trim_start().starts_with('[') => snippet.to_string(),
        _ => format!("{declared}{snippet}"),
    }
}

/// Every TOML snippet loads as a config (against the repository root, so `extend` can name the
/// shipped packs), unless it is marked as a fragment with a reason.
#[test]
fn every_toml_snippet_loads() {
    let mut loaded = 0;
    let mut failures = Vec::new();
    for block in all_blocks().into_iter().filter(|block| block.lang == "toml") {
        if let Some(marker) = &block.marker {
            if let Some(reason) = marker.strip_prefix("snippet: fragment") {
                let reason = reason.trim().trim_start_matches('(').trim_end_matches(')').trim();
                assert!(
                    !reason.is_empty(),
                    "{}:{}: a fragment marker needs a reason",
                    block.file,
                    block.line
                );
                continue;
            }
        }
        match ssot_lint::config::from_text(&with_phases(&block.text), &repo_dir()) {
            Ok(_) => loaded += 1,
            Err(error) => failures.push(format!(
                "{}:{}: {:?}\n(mark a fragment with `<!-- snippet: fragment (why) -->` above the fence)",
                block.file,
                block.line,
                miette::Report::new(error)
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(loaded >= 5, "only {loaded} TOML snippets were loaded");
}

/// Every block marked `<!-- demo-output: ARGS -->` is what `ssot-lint ARGS` prints in the demo
/// directory: its lines, in order, are lines of stdout followed by stderr; a line `...` stands
/// for lines left out.
#[test]
fn demo_output_blocks_match_the_demo() {
    let demo_blocks: Vec<Block> = all_blocks()
        .into_iter()
        .filter(|block| block.marker.as_deref().is_some_and(|marker| marker.starts_with("demo-output:")))
        .collect();
    assert!(demo_blocks.len() >= 3, "only {} demo-output blocks", demo_blocks.len());
    let temp = tempfile::tempdir().expect("temp dir");
    let demo = temp.path().join("examples/chat-backend");
    copy_tree(&repo_dir().join("examples/chat-backend"), &demo);
    copy_tree(&repo_dir().join("rules/packs"), &temp.path().join("rules/packs"));
    init_git(temp.path());
    let mut failures = Vec::new();
    for block in &demo_blocks {
        let marker = block.marker.as_deref().unwrap_or_default();
        let args: Vec<&str> = marker["demo-output:".len()..].split_whitespace().collect();
        let output = ssot_lint().current_dir(temp.path()).args(&args).output().expect("run ssot-lint");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let actual: Vec<&str> = stdout.lines().chain(stderr.lines()).map(str::trim_end).collect();
        let mut position = 0;
        for expected in block.text.lines().map(str::trim_end).filter(|line| *line != "...") {
            match actual[position..].iter().position(|line| *line == expected) {
                Some(found) => position += found + 1,
                None => {
                    failures.push(format!(
                        "{}:{}: `ssot-lint {}` does not print, at this point:\n{expected}\n--- actual output:\n{}",
                        block.file,
                        block.line,
                        args.join(" "),
                        actual.join("\n")
                    ));
                    break;
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

// ---------------------------------------------------------------------------------------------
// The configuration reference covers the schema

/// The keys serde accepts in a table: read from the "unknown field" error of a probe key.
fn schema_keys(probe_table: &str) -> BTreeSet<String> {
    let text = format!("{probe_table}\nzz-probe = 1\n");
    let error =
        toml::from_str::<ssot_lint::config::schema::RawConfig>(&text).expect_err("probe key rejected");
    let message = error.message().to_string();
    let expected = message.split("expected one of").nth(1).or_else(|| message.split("expected").nth(1));
    let expected = expected.unwrap_or_else(|| panic!("no key list in: {message}"));
    expected.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

/// The full example of `docs/configuration.md` (the block after "The whole format") has every key
/// of every table the schema accepts, so a new key cannot go undocumented.
#[test]
fn configuration_page_documents_every_key() {
    let page = read(&repo_dir().join("docs/configuration.md"));
    let start = page.find("The whole format").expect("docs/configuration.md has `The whole format`");
    let block = blocks(&repo_dir().join("docs/configuration.md"))
        .into_iter()
        .find(|block| block.lang == "toml" && page[..start].lines().count() < block.line)
        .expect("the full example");
    let example: toml::Table = toml::from_str(&block.text).expect("the full example is TOML");
    let top: BTreeSet<String> = example.keys().cloned().collect();
    assert_eq!(top, schema_keys(""), "top-level tables of the full example vs the schema");
    for (table, value) in &example {
        let probe = if value.is_array() { format!("[[{table}]]") } else { format!("[{table}]") };
        let documented: BTreeSet<String> = match value {
            toml::Value::Array(entries) => entries
                .iter()
                .filter_map(toml::Value::as_table)
                .flat_map(|entry| entry.keys().cloned())
                .collect(),
            toml::Value::Table(entry) => entry.keys().cloned().collect(),
            _ => panic!("`{table}` is not a table"),
        };
        assert_eq!(documented, schema_keys(&probe), "keys of {probe} in the full example vs the schema");
    }
}

// ---------------------------------------------------------------------------------------------
// Links

/// GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to dashes.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn anchors(text: &str) -> BTreeSet<String> {
    let mut fence = false;
    let mut anchors = BTreeSet::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fence = !fence;
        } else if !fence && line.starts_with('#') {
            anchors.insert(slug(line.trim_start_matches('#')));
        }
    }
    anchors
}

#[test]
fn relative_links_resolve() {
    let mut broken = Vec::new();
    for path in doc_files() {
        let text = read(&path);
        let dir = path.parent().expect("parent");
        for (index, _) in text.match_indices("](") {
            let rest = &text[index + 2..];
            let Some(end) = rest.find(')') else { continue };
            let target = &rest[..end];
            if target.contains("://") || target.starts_with("mailto:") || target.contains(' ') {
                continue;
            }
            let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
            let file_path = if file.is_empty() { path.clone() } else { dir.join(file) };
            if !file_path.exists() {
                broken.push(format!("{}: {target}: no such file", relative(&path)));
                continue;
            }
            let is_markdown = file_path.extension().is_some_and(|ext| ext == "md");
            if !anchor.is_empty() && is_markdown && !anchors(&read(&file_path)).contains(anchor) {
                broken.push(format!("{}: {target}: no such heading", relative(&path)));
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// `init`'s template points at documentation that exists, not at a URL that may not.
#[test]
fn starter_config_references_the_docs_not_a_url() {
    let starter = ssot_lint::config::STARTER_CONFIG;
    assert!(!starter.contains("://"), "the starter config links a URL");
    assert!(starter.contains("docs/configuration.md"));
    assert!(repo_dir().join("docs/configuration.md").is_file());
}
