//! The baseline file merges: two branches that each fix a different finding and run
//! `baseline --update` merge with `git merge` without a conflict, into exactly the file
//! `baseline --update` writes on the merged tree.

mod common;

use std::path::Path;

use common::*;

const CONFIG: &str = "[project]\nroots = [\".\"]\n\n[[deprecated-module]]\nmodule = \"app.legacy\"\n";
const LEGACY_IMPORT: &str = "import app.legacy\n";
const FIXED_IMPORT: &str = "import app.core\n";

fn git(dir: &Path, args: &[&str]) -> String {
    let output = std::process::Command::new("git")
        .args(["-c", "user.name=ssot-lint tests", "-c", "user.email=tests@example.com"])
        .args(["-c", "commit.gpgsign=false", "-c", "merge.conflictstyle=merge"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("run git");
    assert!(
        output.status.success(),
        "git {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn baseline(dir: &Path, args: &[&str]) {
    let output = ssot_lint()
        .current_dir(dir)
        .args(["baseline", "--no-cache"])
        .args(args)
        .output()
        .expect("run ssot-lint");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
}

fn read(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("baseline.json")).expect("baseline file")
}

fn fix(dir: &Path, file: &str) {
    std::fs::write(dir.join(file), FIXED_IMPORT).expect("write fix");
}

#[test]
fn two_branches_fixing_different_findings_merge_cleanly() {
    let files: Vec<String> = (1..=6).map(|n| format!("app/f{n}.py")).collect();
    let mut tree: Vec<(&str, &str)> = vec![("app/__init__.py", "")];
    tree.extend(files.iter().map(|file| (file.as_str(), LEGACY_IMPORT)));
    let temp = project(CONFIG, &tree);
    let dir = temp.path();
    git(dir, &["init", "-q", "-b", "main"]);
    baseline(dir, &["--output", "baseline.json"]);
    let recorded = read(dir);
    assert_eq!(
        recorded.lines().filter(|line| line.contains("\"deprecated-module\"")).count(),
        6,
        "{recorded}"
    );
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "baseline"]);

    // Branch a fixes f2, branch b fixes f5; each updates the baseline.
    git(dir, &["checkout", "-q", "-b", "a"]);
    fix(dir, "app/f2.py");
    baseline(dir, &["--update", "baseline.json"]);
    let on_a = read(dir);
    git(dir, &["commit", "-q", "-am", "fix f2"]);
    git(dir, &["checkout", "-q", "main"]);
    git(dir, &["checkout", "-q", "-b", "b"]);
    fix(dir, "app/f5.py");
    baseline(dir, &["--update", "baseline.json"]);
    let on_b = read(dir);
    git(dir, &["commit", "-q", "-am", "fix f5"]);

    // Each update changed exactly one line: the fixed finding's.
    for (branch, text) in [("a", &on_a), ("b", &on_b)] {
        let before: Vec<&str> = recorded.lines().collect();
        let after: Vec<&str> = text.lines().collect();
        assert_eq!(after.len() + 1, before.len(), "branch {branch}:\n{text}");
        assert!(
            after.iter().all(|line| before.contains(line)),
            "branch {branch} rewrote other lines:\n{text}"
        );
    }

    git(dir, &["checkout", "-q", "a"]);
    git(dir, &["merge", "-q", "--no-edit", "b"]);
    assert_eq!(git(dir, &["status", "--porcelain"]), "", "the merge left nothing to resolve");
    let merged = read(dir);
    assert!(!merged.contains("app/f2.py") && !merged.contains("app/f5.py"), "{merged}");
    assert_eq!(merged.lines().filter(|line| line.contains("\"deprecated-module\"")).count(), 4, "{merged}");

    // `baseline --update` on the merged tree writes the same file, byte for byte.
    baseline(dir, &["--update", "baseline.json"]);
    assert_eq!(read(dir), merged);
    // And so does a fresh baseline of the merged tree.
    baseline(dir, &["--output", "fresh.json"]);
    assert_eq!(std::fs::read_to_string(dir.join("fresh.json")).expect("fresh"), merged);
}
