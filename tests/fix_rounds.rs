//! `ssot-lint fix` applies the fixes the rules attach (`Finding.fix`), under the run's rules:
//! which names move follows `--select`, `per-file-ignores` and suppressions exactly as the
//! findings do, and what `check` marks fixable is what `fix` changes.

mod common;

use std::path::Path;

use common::*;

const CONFIG: &str = r#"
[[registry]]
symbol = "Manager"
module = "app.core.manager"
compat = ["app.compat"]

[[registry]]
symbol = "Context"
module = "app.services.context"

[[deprecated-module]]
module = "app.old"
"#;

const SOURCE: &str = "from app.old import Context, helper
from app.old import Manager  # ssot: ignore[non-canonical-import]
from app.compat import Manager, Context
";

/// Runs `fix` (no cache, dirty tree allowed) with `extra` args; returns its stderr.
fn fix(dir: &Path, extra: &[&str]) -> String {
    let output = ssot_lint()
        .current_dir(dir)
        .args(["fix", "--no-cache", "--allow-dirty"])
        .args(extra)
        .output()
        .expect("run fix");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    stderr
}

fn fixed(config: &str, extra: &[&str]) -> (String, String) {
    let temp = project(config, &[("app/user.py", SOURCE)]);
    let stderr = fix(temp.path(), extra);
    let text = std::fs::read_to_string(temp.path().join("app/user.py")).expect("read");
    // Whatever was fixed, a second run finds nothing left.
    assert!(fix(temp.path(), extra).ends_with("fixed 0 imports in 0 files\n"), "not idempotent");
    (text, stderr)
}

#[test]
fn every_rule_moves_the_names_of_its_unsuppressed_findings() {
    let (text, stderr) = fixed(CONFIG, &[]);
    assert_eq!(
        text,
        "from app.services.context import Context
from app.old import helper
from app.old import Manager  # ssot: ignore[non-canonical-import]
from app.core.manager import Manager
from app.services.context import Context
"
    );
    assert!(stderr.ends_with("fixed 3 imports in 1 file\n"), "{stderr}");
}

#[test]
fn only_the_findings_of_selected_rules_move_names() {
    // `deprecated-module` alone: the names of its statements move, also one whose
    // `non-canonical-import` finding is suppressed (that rule is not fixed in this run).
    let (text, stderr) = fixed(CONFIG, &["--select", "deprecated-module"]);
    assert_eq!(
        text,
        "from app.services.context import Context
from app.old import helper
from app.core.manager import Manager  # ssot: ignore[non-canonical-import]
from app.compat import Manager, Context
"
    );
    assert!(stderr.ends_with("fixed 2 imports in 1 file\n"), "{stderr}");

    // `non-canonical-import` alone: `Context` from the compat module of another symbol is
    // non-canonical and moves; `Manager` from its own compat module stays.
    let (text, _) = fixed(CONFIG, &["--select", "non-canonical-import"]);
    assert_eq!(
        text,
        "from app.services.context import Context
from app.old import helper
from app.old import Manager  # ssot: ignore[non-canonical-import]
from app.compat import Manager
from app.services.context import Context
"
    );
}

#[test]
fn a_deprecated_module_finding_carries_the_moves_of_names_without_their_own_finding() {
    let config = format!(
        "{CONFIG}\n[project]\nper-file-ignores = {{ \"app/user.py\" = [\"non-canonical-import\", \"compat-import\"] }}\n"
    );
    let temp = project(&config, &[("app/user.py", SOURCE)]);
    let report = check_json(temp.path(), &[]);
    let fixes: Vec<(u64, &str)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|finding| finding["rule"] == "deprecated-module")
        .map(|finding| {
            (finding["line"].as_u64().expect("line"), finding["fix"]["message"].as_str().unwrap_or(""))
        })
        .collect();
    assert_eq!(
        fixes,
        [(1, "import Context from app.services.context"), (2, "import the names from app.core.manager")],
        "{report}"
    );
    let stderr = fix(temp.path(), &[]);
    assert!(stderr.ends_with("fixed 2 imports in 1 file\n"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(temp.path().join("app/user.py")).expect("read"),
        "from app.services.context import Context
from app.old import helper
from app.core.manager import Manager  # ssot: ignore[non-canonical-import]
from app.compat import Manager, Context
"
    );
}

/// `fix` plans its fixes knowing the project's files (a stale registry home is refused) and
/// `check` trusts the registry: each run's settings are resolved once, and their caches are
/// kept apart, so a `check` after a cached `fix` reports exactly what a cold `check` reports.
#[test]
fn fix_and_check_never_read_each_others_cached_fixes() {
    // `app/core/manager.py` exists but does not define `Manager`: fix refuses the move, check
    // still offers it.
    let temp = project(
        CONFIG,
        &[("app/user.py", "from app.compat import Manager\n"), ("app/core/manager.py", "OTHER = 1\n")],
    );
    let check_json = |extra: &[&str]| {
        let output = ssot_lint()
            .current_dir(temp.path())
            .args(["check", "--output-format", "json", "--exit-zero"])
            .args(extra)
            .output()
            .expect("run check");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let cold = check_json(&["--no-cache"]);
    assert!(cold.contains("\"fix\": {"), "check offers the move: {cold}");

    let output = ssot_lint()
        .current_dir(temp.path())
        .args(["fix", "--dry-run", "--allow-dirty"])
        .output()
        .expect("run fix");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot fix Manager: its registry module app.core.manager does not define"),
        "{stderr}"
    );
    assert_eq!(output.status.code(), Some(0), "nothing to change: {stderr}");

    assert_eq!(check_json(&[]), cold, "check after a cached fix run");
    assert_eq!(check_json(&[]), cold, "check from its own cache");
}
