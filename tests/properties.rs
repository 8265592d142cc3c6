//! Property tests (issue #7), all through the binary in temp dirs:
//! - fingerprints survive random line insertions above the findings (SPEC §5.1);
//! - `fix` over generated import statements (aliases, parentheses, comments, relative levels,
//!   `from.x` spacing, indentation, CRLF) is idempotent and leaves no import finding behind;
//! - `--format sarif` reports exactly the findings `--format json` does.
//!
//! Case counts are modest (each case runs the binary two or three times) so the file stays
//! under ~30 s in a debug build. `PROPTEST_CASES=1000 cargo test --test properties` runs more.

mod common;

use std::path::Path;

use common::*;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use proptest::test_runner::Config as ProptestConfig;
use serde_json::Value;

/// `cases` unless `PROPTEST_CASES` says otherwise. Failures are reported with the shrunk input;
/// nothing is written into the repository tree.
fn config(cases: u32) -> ProptestConfig {
    let defaults = ProptestConfig::default();
    let cases = if std::env::var_os("PROPTEST_CASES").is_some() { defaults.cases } else { cases };
    ProptestConfig { cases, failure_persistence: None, ..defaults }
}

const PROJECT_CONFIG: &str = r#"
[[registry]]
symbol = "UnifiedManager"
module = "app.core.unified"
compat = ["app.core.legacy"]

[[registry]]
symbol = "EventBridge"
module = "app.core.bridge"

[[registry]]
symbol = "create_session"
module = "app.services.sessions"
compat = ["app.core.legacy"]

[[deprecated-module]]
module = "app.legacy.factory"
replacement = "app.core.unified"

[[concept]]
name = "websocket-manager"
canonical-class = "app.ws.unified.UnifiedWebSocketManager"
class-patterns = ["*WebSocketManager"]

[[pattern]]
id = "notify"
match = "**.user_emitter.notify_*"

[[pattern]]
id = "legacy-manager"
match = "**.context.websocket_manager"
kind = "attribute"

[[events]]
name = "bus-events"
emitters = ["bus.emit"]
allowed = ["user_joined"]
"#;

/// A temp project with the config above and one Python file at `rel_path`.
fn project() -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp dir");
    std::fs::write(temp.path().join("ssot-lint.toml"), PROJECT_CONFIG).expect("config");
    temp
}

fn write_source(dir: &Path, rel_path: &str, text: &str) {
    let path = dir.join(rel_path);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("create dirs");
    std::fs::write(path, text).expect("write source");
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().expect("findings array")
}

// --- Fingerprints ---------------------------------------------------------------------------

/// One-line statements that each produce a finding under `PROJECT_CONFIG`.
const FINDING_LINES: &[&str] = &[
    "from app.core.legacy import UnifiedManager",
    "from app.misc import EventBridge",
    "import app.legacy.factory",
    "self.user_emitter.notify_done()",
    "context.websocket_manager.send(1)",
    "bus.emit(\"user_left\")",
    "class LegacyWebSocketManager: pass",
];

/// Lines that produce no finding: inserting them anywhere must not move a fingerprint.
fn filler_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z]{1,8}_[0-9]{1,3} = [1-9][0-9]{0,4}",
        "# [a-z ]{0,30}",
        "print\\(\"[a-z ]{0,12}\"\\)",
        "import (os|sys|json)",
        Just("def helper():\n    return 1".to_string()),
        Just("\"\"\"A docstring.\"\"\"".to_string()),
    ]
}

/// (rule, check, fingerprint, line) of every finding in `app/mod.py`, in report order
/// (`stale-registry` also reports in the config file, which does not change).
type Placed = Vec<(String, String, String, u64)>;

fn placed(dir: &Path) -> Placed {
    findings(&check_json(dir, &[]))
        .iter()
        .filter(|finding| finding["path"] == "app/mod.py")
        .map(|finding| {
            (
                finding["rule"].as_str().expect("rule").to_string(),
                finding["check"].as_str().expect("check").to_string(),
                finding["fingerprint"].as_str().expect("fingerprint").to_string(),
                finding["line"].as_u64().expect("line"),
            )
        })
        .collect()
}

/// The file with `inserted` lines put before the line they name (indexes into the original).
fn with_insertions(lines: &[&str], inserted: &[(usize, String)]) -> (String, Vec<u64>) {
    let mut out = Vec::new();
    let mut new_line_of = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        for (_, text) in inserted.iter().filter(|(at, _)| *at == index) {
            out.push(text.clone());
        }
        new_line_of.push(out.iter().map(|text| text.lines().count().max(1)).sum::<usize>() as u64 + 1);
        out.push((*line).to_string());
    }
    (out.join("\n") + "\n", new_line_of)
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn fingerprints_survive_insertions_above(
        lines in prop::collection::vec(select(FINDING_LINES), 1..6),
        inserted in prop::collection::vec((0usize..6, filler_line()), 1..6),
    ) {
        let temp = project();
        let original = lines.join("\n") + "\n";
        write_source(temp.path(), "app/mod.py", &original);
        let before = placed(temp.path());
        prop_assert!(!before.is_empty(), "every generated line has a finding:\n{original}");

        let inserted: Vec<(usize, String)> =
            inserted.into_iter().map(|(at, text)| (at % lines.len(), text)).collect();
        let (edited, new_line_of) = with_insertions(&lines, &inserted);
        write_source(temp.path(), "app/mod.py", &edited);
        let after = placed(temp.path());

        prop_assert_eq!(after.len(), before.len(), "{}", edited);
        for (old, new) in before.iter().zip(&after) {
            prop_assert_eq!(&old.0, &new.0);
            prop_assert_eq!(&old.1, &new.1);
            prop_assert_eq!(&old.2, &new.2, "fingerprint of {} moved:\n{}", &old.0, edited);
            // The finding itself moved down by exactly the lines inserted above it.
            prop_assert_eq!(new.3, new_line_of[old.3 as usize - 1]);
        }
    }
}

// --- fix ------------------------------------------------------------------------------------

/// Modules imported from (all under `app`, the fixed file is `app/core/views.py`).
const MODULES: &[&str] = &[
    "app.core.unified",
    "app.core.legacy",
    "app.core.bridge",
    "app.services.sessions",
    "app.legacy.factory",
    "app.misc",
];

/// Registry symbols, plus names that have no entry.
const NAMES: &[&str] = &["UnifiedManager", "EventBridge", "create_session", "helper", "Other"];

#[derive(Clone, Debug)]
enum Layout {
    /// `from m import a, b as c`
    Plain,
    /// `from m import (a, b as c,)`
    Parens { trailing_comma: bool },
    /// One name per line in parentheses; per name: a comment line before it, a comment after it.
    Lines { comments: Vec<(bool, bool)>, trailing_comma: bool },
    /// `from m import a, \` continued on the next line.
    Backslash,
}

#[derive(Clone, Debug)]
struct Statement {
    module: &'static str,
    /// 0 = absolute, 1 = `.x` (from `app.core`), 2 = `..x` (from `app`); clamped to what fits.
    level: usize,
    names: Vec<(&'static str, bool)>,
    layout: Layout,
    trailing_comment: bool,
    /// `from.x import y`: a relative module written against `from`.
    tight: bool,
}

fn statement() -> impl Strategy<Value = Statement> {
    let names = subsequence(NAMES, 1..=4).prop_shuffle().prop_flat_map(|names| {
        let count = names.len();
        (Just(names), prop::collection::vec(any::<bool>(), count))
    });
    let flags = (any::<bool>(), any::<bool>(), any::<bool>());
    (select(MODULES), 0usize..3, names, 0u8..4, flags).prop_flat_map(
        |(module, level, (names, aliases), layout, (trailing_comment, trailing_comma, tight))| {
            let count = names.len();
            let names: Vec<(&'static str, bool)> = names.into_iter().zip(aliases).collect();
            let layout: BoxedStrategy<Layout> = match layout {
                0 => Just(Layout::Plain).boxed(),
                1 => Just(Layout::Parens { trailing_comma }).boxed(),
                2 => prop::collection::vec((any::<bool>(), any::<bool>()), count)
                    .prop_map(move |comments| Layout::Lines { comments, trailing_comma })
                    .boxed(),
                _ => Just(Layout::Backslash).boxed(),
            };
            layout.prop_map(move |layout| Statement {
                module,
                level,
                names: names.clone(),
                layout,
                trailing_comment,
                tight,
            })
        },
    )
}

impl Statement {
    fn module_text(&self) -> String {
        match self.level {
            1 if self.module.starts_with("app.core.") => format!(".{}", &self.module["app.core.".len()..]),
            1 | 2 => format!("..{}", &self.module["app.".len()..]),
            _ => self.module.to_string(),
        }
    }

    fn items(&self) -> Vec<String> {
        self.names
            .iter()
            .map(
                |(name, alias)| {
                    if *alias {
                        format!("{name} as {}_alias", name.to_lowercase())
                    } else {
                        name.to_string()
                    }
                },
            )
            .collect()
    }

    fn render(&self, indent: &str, eol: &str) -> String {
        let space = if self.tight && self.level > 0 { "" } else { " " };
        let head = format!("{indent}from{space}{} import ", self.module_text());
        let items = self.items();
        let mut text = match &self.layout {
            Layout::Plain => format!("{head}{}", items.join(", ")),
            Layout::Parens { trailing_comma } => {
                format!("{head}({}{})", items.join(", "), if *trailing_comma { "," } else { "" })
            }
            Layout::Backslash => format!("{head}{}", items.join(&format!(", \\{eol}{indent}    "))),
            Layout::Lines { comments, trailing_comma } => {
                let mut text = format!("{head}({eol}");
                for (index, (item, (before, after))) in items.iter().zip(comments).enumerate() {
                    if *before {
                        text.push_str(&format!("{indent}    # about {item}{eol}"));
                    }
                    let comma = if index + 1 < items.len() || *trailing_comma { "," } else { "" };
                    let comment = if *after { "  # note" } else { "" };
                    text.push_str(&format!("{indent}    {item}{comma}{comment}{eol}"));
                }
                text.push_str(&format!("{indent})"));
                text
            }
        };
        if self.trailing_comment {
            text.push_str("  # keep me");
        }
        text
    }
}

fn source_of(statements: &[Statement], indented: bool, crlf: bool) -> String {
    let eol = if crlf { "\r\n" } else { "\n" };
    let indent = if indented { "    " } else { "" };
    let mut lines = vec!["\"\"\"Generated.\"\"\"".to_string()];
    if indented {
        lines.push("if True:".to_string());
    }
    lines.extend(statements.iter().map(|statement| statement.render(indent, eol)));
    lines.push("value = 1".to_string());
    lines.join(eol) + eol
}

const FIXED_FILE: &str = "app/core/views.py";

/// Runs `fix` and returns the file afterwards; the run must succeed.
fn fix(dir: &Path) -> Result<String, TestCaseError> {
    let output =
        ssot_lint().current_dir(dir).args(["fix", "--allow-dirty", "--no-cache"]).output().expect("run fix");
    let stderr = String::from_utf8_lossy(&output.stderr);
    prop_assert_eq!(output.status.code(), Some(0), "fix failed: {}", stderr);
    Ok(std::fs::read_to_string(dir.join(FIXED_FILE)).expect("read fixed file"))
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn fix_is_idempotent_and_leaves_no_import_finding(
        statements in prop::collection::vec(statement(), 1..4),
        indented in any::<bool>(),
        crlf in any::<bool>(),
    ) {
        let temp = project();
        let source = source_of(&statements, indented, crlf);
        write_source(temp.path(), FIXED_FILE, &source);

        let once = fix(temp.path())?;
        let twice = fix(temp.path())?;
        prop_assert_eq!(&twice, &once, "a second fix changed the file:\n{}", source);

        let report = check_json(temp.path(), &[]);
        for finding in findings(&report) {
            let rule = finding["rule"].as_str().expect("rule");
            prop_assert!(
                !matches!(rule, "non-canonical-import" | "compat-import" | "syntax-error"),
                "{rule} left after fix at line {}:\n--- before\n{source}\n--- after\n{once}",
                finding["line"]
            );
            prop_assert!(finding["fix"].is_null(), "a fixable finding is left after fix:\n{once}");
        }
    }
}

// --- JSON and SARIF -------------------------------------------------------------------------

/// Fingerprints of the JSON report (sorted).
fn json_fingerprints(dir: &Path) -> Vec<String> {
    let mut prints: Vec<String> = findings(&check_json(dir, &[]))
        .iter()
        .map(|finding| finding["fingerprint"].as_str().expect("fingerprint").to_string())
        .collect();
    prints.sort();
    prints
}

/// `partialFingerprints["ssotLint/v1"]` of every SARIF result (sorted).
fn sarif_fingerprints(dir: &Path) -> Vec<String> {
    let output = ssot_lint()
        .current_dir(dir)
        .args(["check", "--format", "sarif", "--exit-zero", "--no-cache"])
        .output()
        .expect("run ssot-lint");
    assert!(output.status.success(), "sarif run failed: {}", String::from_utf8_lossy(&output.stderr));
    let log: Value = serde_json::from_slice(&output.stdout).expect("SARIF is JSON");
    let mut prints: Vec<String> = log["runs"][0]["results"]
        .as_array()
        .expect("results array")
        .iter()
        // Suppressed findings are results too (with `suppressions[]`); JSON lists them apart.
        .filter(|result| result["suppressions"].is_null())
        .map(|result| result["partialFingerprints"]["ssotLint/v1"].as_str().expect("fingerprint").to_string())
        .collect();
    prints.sort();
    prints
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn sarif_reports_the_same_findings_as_json(
        lines in prop::collection::vec(select(FINDING_LINES), 0..6),
        suppressed in prop::collection::vec(any::<bool>(), 6),
    ) {
        let temp = project();
        let text: Vec<String> = lines
            .iter()
            .zip(&suppressed)
            .map(|(line, off)| if *off { format!("{line}  # ssot: ignore") } else { (*line).to_string() })
            .collect();
        write_source(temp.path(), "app/mod.py", &(text.join("\n") + "\n"));
        prop_assert_eq!(sarif_fingerprints(temp.path()), json_fingerprints(temp.path()));
    }
}
