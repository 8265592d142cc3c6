//! An independent oracle for the Python front end: CPython's `ast` module
//! (`tests/oracle/python_facts.py`) reads every Python file of the fixtures and the demo, and
//! ssot-lint's facts must agree with it: the same imports (at every nesting level) and the same
//! module-level class and function names. Where CPython rejects a file, ssot-lint must report a
//! syntax error on the same line, except for the files listed below, which use syntax newer than
//! the Python 3.11 on this machine (ssot-lint must accept those).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{json, Value};
use ssot_lint::facts::{FileFacts, ImportKind};
use ssot_lint::source::SourceFile;

/// Valid Python 3.12+ (PEP 695/696 generics, PEP 701 f-strings) that Python 3.11 rejects; a
/// newer python3 parses them, and then they are compared like every other file.
const NEWER_THAN_PYTHON_3_11: &[&str] = &[
    "tests/fixtures/cases/modern-python/app/features/fstrings.py",
    "tests/fixtures/cases/modern-python/app/features/generics.py",
];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn python_files(dir: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<_> =
        std::fs::read_dir(dir).expect("read dir").map(|entry| entry.expect("entry").path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            python_files(&path, out);
        } else if path.extension().is_some_and(|extension| extension == "py") {
            let relative = path.strip_prefix(repo()).expect("inside the repo");
            out.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// What CPython says of each file. Fails (never skips) when python3 is not there.
fn oracle(files: &[String]) -> BTreeMap<String, Value> {
    let mut child = Command::new("python3")
        .arg(repo().join("tests/oracle/python_facts.py"))
        .current_dir(repo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs the oracle (it is on every machine this project is built on)");
    child.stdin.take().expect("stdin").write_all(files.join("\n").as_bytes()).expect("write paths");
    let output = child.wait_with_output().expect("oracle output");
    assert!(output.status.success(), "the oracle failed");
    serde_json::from_slice(&output.stdout).expect("oracle JSON")
}

/// ssot-lint's facts in the oracle's shape.
fn ours(facts: &FileFacts) -> Value {
    let imports: Vec<Value> = facts
        .imports
        .iter()
        .map(|import| match &import.kind {
            ImportKind::Module(items) => {
                json!([
                    "import",
                    items.iter().map(|item| json!([item.module, item.alias])).collect::<Vec<_>>()
                ])
            }
            ImportKind::From(from) => {
                let mut names: Vec<Value> =
                    from.names.iter().map(|name| json!([name.name, name.alias])).collect();
                if from.star {
                    names.push(json!(["*", null]));
                }
                json!(["from", from.level, from.raw_module, names])
            }
        })
        .collect();
    let definitions: Vec<&str> =
        facts.definitions.iter().filter(|definition| definition.top_level).map(|d| d.name.as_str()).collect();
    json!({"imports": imports, "definitions": definitions})
}

#[test]
fn facts_agree_with_cpython_ast_on_every_fixture_file() {
    let mut files = Vec::new();
    for dir in ["tests", "examples"] {
        python_files(&repo().join(dir), &mut files);
    }
    assert!(files.len() > 150, "found only {} Python files", files.len());
    let expected = oracle(&files);
    let mut disagreements = Vec::new();
    for path in &files {
        let bytes = std::fs::read(repo().join(path)).expect("read");
        let file = SourceFile::new(path.clone(), "fixture.module".to_string(), false, bytes);
        let facts = ssot_lint::lang::python::extract(&file);
        let theirs = &expected[path];
        if let Some(error) = theirs.get("error") {
            if NEWER_THAN_PYTHON_3_11.contains(&path.as_str()) {
                if facts.syntax_error.is_some() {
                    disagreements
                        .push(format!("{path}: valid Python 3.12+, but ssot-lint reports a syntax error"));
                }
                continue;
            }
            let our_line = facts.syntax_error.map(|span| file.position(span.start).line as u64);
            let line = theirs["line"].as_u64();
            // Invalid UTF-8 is reported by the syntax-error rule from the decoding, not the parser.
            if file.invalid_utf8_at.is_none() && our_line != line {
                disagreements
                    .push(format!("{path}: CPython: {error} (line {line:?}); ssot-lint: line {our_line:?}"));
            }
            continue;
        }
        if let Some(span) = facts.syntax_error {
            disagreements.push(format!("{path}: CPython accepts it; ssot-lint reports {span:?}"));
        }
        let ours = ours(&facts);
        if &ours != theirs {
            disagreements.push(format!("{path}:\n  CPython:  {theirs}\n  ssot-lint: {ours}"));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
