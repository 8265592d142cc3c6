//! Fingerprints (SPEC §5.1, §6) survive unrelated edits and tell identical lines apart, so a
//! baseline keeps matching while the code around its findings changes.

mod common;

use std::path::Path;

use common::*;

const CONFIG: &str = "[[pattern]]\nid = \"raw-send\"\nmatch = \"**.send_raw\"\n";

const SOURCE: &str = "\
def unrelated(value):
    doubled = value * 2
    if doubled:
        return doubled
    return 0


def handle(client):
    client.send_raw(b\"one\")
    client.send_raw(b\"two\")
";

fn project(source: &str) -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp dir");
    std::fs::write(temp.path().join("ssot-lint.toml"), CONFIG).expect("config");
    std::fs::write(temp.path().join("app.py"), source).expect("source");
    temp
}

/// (line, fingerprint) of every finding.
fn fingerprints(dir: &Path) -> Vec<(u64, String)> {
    check_json(dir, &[])["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|finding| {
            (
                finding["line"].as_u64().expect("line"),
                finding["fingerprint"].as_str().expect("fingerprint").to_string(),
            )
        })
        .collect()
}

fn fingerprints_of(source: &str) -> Vec<(u64, String)> {
    fingerprints(project(source).path())
}

fn only_fingerprints(found: &[(u64, String)]) -> Vec<&str> {
    found.iter().map(|(_, fingerprint)| fingerprint.as_str()).collect()
}

#[test]
fn fingerprints_are_16_hex_digits() {
    let found = fingerprints_of(SOURCE);
    assert_eq!(found.len(), 2);
    for (_, fingerprint) in &found {
        assert_eq!(fingerprint.len(), 16);
        assert!(fingerprint.chars().all(|c| c.is_ascii_hexdigit()), "{fingerprint}");
    }
}

#[test]
fn unchanged_after_inserting_lines_above() {
    let before = fingerprints_of(SOURCE);
    let after = fingerprints_of(&format!("import os\nimport sys\n\n\n{SOURCE}"));
    assert_eq!(after.iter().map(|(line, _)| *line).collect::<Vec<_>>(), [13, 14], "the lines did move");
    assert_eq!(only_fingerprints(&before), only_fingerprints(&after));
}

#[test]
fn unchanged_after_removing_lines_above() {
    let before = fingerprints_of(SOURCE);
    let shorter = SOURCE.replace("    if doubled:\n        return doubled\n", "");
    let after = fingerprints_of(&shorter);
    assert_eq!(after[0].0, 7);
    assert_eq!(only_fingerprints(&before), only_fingerprints(&after));
}

#[test]
fn unchanged_after_reindenting_an_unrelated_block() {
    let before = fingerprints_of(SOURCE);
    // `unrelated` goes from 4-space to 2-space indentation; line numbers stay the same.
    let reindented = SOURCE
        .replace("    doubled = value * 2\n", "  doubled = value * 2\n")
        .replace("    if doubled:\n        return doubled\n", "  if doubled:\n    return doubled\n")
        .replace("    return 0\n", "  return 0\n");
    assert_ne!(reindented, SOURCE);
    assert_eq!(fingerprints_of(&reindented), before);
}

#[test]
fn unchanged_after_reindenting_the_finding_itself() {
    let before = fingerprints_of(SOURCE);
    let nested = SOURCE.replace(
        "    client.send_raw(b\"one\")\n    client.send_raw(b\"two\")\n",
        "    if client:\n        client.send_raw(b\"one\")\n        client.send_raw(b\"two\")\n",
    );
    assert_eq!(only_fingerprints(&fingerprints_of(&nested)), only_fingerprints(&before));
}

#[test]
fn distinct_for_two_identical_lines() {
    let source = SOURCE.replace("b\"two\"", "b\"one\"");
    let found = fingerprints_of(&source);
    assert_eq!(found.len(), 2);
    assert_ne!(found[0].1, found[1].1);
}

/// The occurrence index counts among identical findings only, so one identical copy added above
/// takes the first fingerprint and exactly one fingerprint is new.
#[test]
fn an_identical_copy_adds_exactly_one_new_fingerprint() {
    let source = SOURCE.replace("b\"two\"", "b\"one\"");
    let before = fingerprints_of(&source);
    let copied =
        source.replace("def handle(client):\n", "def handle(client):\n    client.send_raw(b\"one\")\n");
    let after = fingerprints_of(&copied);
    assert_eq!(after.len(), 3);
    let new: Vec<_> = after.iter().filter(|found| !before.iter().any(|old| old.1 == found.1)).collect();
    assert_eq!(new.len(), 1, "{before:?} -> {after:?}");
}

#[test]
fn changed_when_the_finding_line_changes_or_the_file_moves() {
    let before = fingerprints_of(SOURCE);
    let edited = fingerprints_of(&SOURCE.replace("b\"one\"", "b\"uno\""));
    assert_ne!(edited[0].1, before[0].1);
    assert_eq!(edited[1].1, before[1].1);

    let temp = project(SOURCE);
    std::fs::create_dir(temp.path().join("pkg")).expect("mkdir");
    std::fs::rename(temp.path().join("app.py"), temp.path().join("pkg/app.py")).expect("move");
    let moved = fingerprints(temp.path());
    assert!(moved.iter().all(|found| !before.iter().any(|old| old.1 == found.1)));
}

#[test]
fn same_in_json_and_baseline() {
    let temp = project(SOURCE);
    let found = fingerprints(temp.path());
    ssot_lint().current_dir(temp.path()).args(["baseline", "-q", "-o", "b.json"]).assert().code(0);
    let text = std::fs::read_to_string(temp.path().join("b.json")).expect("baseline");
    for (_, fingerprint) in &found {
        assert!(text.contains(&format!("\"fingerprint\":\"{fingerprint}\"")), "{text}");
    }
}
