//! Rust sources end to end: which entries apply to which language, config errors about
//! languages, the default `include`, and what a Rust syntax error looks like.

mod common;

use std::path::Path;

use common::*;
use predicates::prelude::*;

fn config_error(config: &str, expected: &[&str]) {
    let temp = project(config, &[("src/lib.rs", "fn f() {}\n")]);
    let mut assert = ssot_lint().current_dir(temp.path()).args(["check", "--no-cache"]).assert().code(2);
    for text in expected {
        assert = assert.stderr(predicate::str::contains(*text));
    }
}

fn concise(dir: &Path) -> String {
    let output = ssot_lint()
        .current_dir(dir)
        .args(["check", "--format", "concise", "--no-cache", "--exit-zero"])
        .output()
        .expect("run ssot-lint");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

const CARGO: &str = "[package]\nname = \"chat-core\"\nversion = \"0.1.0\"\n";

#[test]
fn unknown_language_is_an_error_with_its_span() {
    let config = "[[registry]]\nsymbol = \"A\"\nmodule = \"m\"\nlanguage = \"go\"\n";
    config_error(
        config,
        &["ssot-lint.toml:4:12", "unknown language `go`", "expected \"python\" or \"rust\""],
    );
}

#[test]
fn an_entry_mixing_python_and_rust_paths_is_an_error() {
    let config = "[[registry]]\nsymbol = \"A\"\nmodule = \"app.ids\"\ncompat = [\"chat_core::ids\"]\n";
    config_error(
        config,
        &[
            "ssot-lint.toml:4:11",
            "this entry mixes Python paths (`app.ids`) and Rust",
            "paths (`chat_core::ids`)",
            "write one entry per language",
        ],
    );
}

#[test]
fn a_path_of_the_other_language_than_the_explicit_one_is_an_error() {
    let config = "[[deprecated-module]]\nmodule = \"chat_core::legacy\"\nlanguage = \"python\"\n";
    config_error(
        config,
        &[
            "ssot-lint.toml:2:10",
            "`chat_core::legacy` is a Rust path, but the entry",
            "says language = \"python\"",
            "wrong language",
        ],
    );
    let config = "[[pattern]]\nid = \"p\"\nmatch = \"**::legacy\"\nlanguage = \"python\"\n";
    config_error(
        config,
        &["ssot-lint.toml:3:9", "`**::legacy` is a Rust path, but the entry", "wrong language"],
    );
}

#[test]
fn a_path_mixing_separators_is_an_error() {
    let config = "[[registry]]\nsymbol = \"A\"\nmodule = \"chat_core::ids.more\"\n";
    config_error(config, &["ssot-lint.toml:3:10", "`chat_core::ids.more` mixes `.` and `::`"]);
}

#[test]
fn a_relative_rust_path_is_an_error() {
    let config = "[[registry]]\nsymbol = \"A\"\nmodule = \"crate::ids\"\n";
    config_error(
        config,
        &["ssot-lint.toml:3:10", "starts from `crate`", "write the absolute path from the crate's name"],
    );
}

#[test]
fn a_symbol_has_one_home_per_language() {
    let config = "[[registry]]\nsymbol = \"UserId\"\nmodule = \"chat_core::ids\"\n\n[[registry]]\nsymbol = \"UserId\"\nmodule = \"chat_core::other\"\n";
    config_error(config, &["ssot-lint.toml:6:10", "duplicate registry symbol `UserId` for Rust"]);
    // One Python and one Rust home for the same name is fine.
    let config = "[[registry]]\nsymbol = \"UserId\"\nmodule = \"app.ids\"\n\n[[registry]]\nsymbol = \"UserId\"\nmodule = \"chat_core::ids\"\n";
    let temp = project(
        config,
        &[
            ("Cargo.toml", CARGO),
            ("src/lib.rs", "use crate::legacy::UserId;\n"),
            ("src/ids.rs", "pub struct UserId;\n"),
            ("app/x.py", "from app.old import UserId\n"),
            ("app/ids.py", "class UserId:\n    pass\n"),
        ],
    );
    assert_eq!(
        concise(temp.path()),
        "app/x.py:1:21: non-canonical-import [*] UserId must be imported from app.ids (imported from app.old)\n\
         src/lib.rs:1:20: non-canonical-import UserId must be imported from chat_core::ids (imported from chat_core::legacy)\n\
         Found 2 findings in 2 files (4 files linted): 2 gating, 0 not gating\n\
         [*] 1 fixable with `ssot-lint fix`\n"
    );
}

#[test]
fn entries_apply_to_the_languages_their_paths_look_like() {
    let config = "\
[[pattern]]
id = \"any-language\"
match = \"**.legacy_send\"

[[pattern]]
id = \"rust-only\"
match = \"**.legacy_flush\"
language = \"rust\"

[[pattern]]
id = \"rust-path\"
match = \"chat_core::old::*\"

[[deprecated-module]]
module = \"app.legacy\"
";
    let rust = "fn f(c: C) {\n    c.legacy_send();\n    c.legacy_flush();\n    chat_core::old::go();\n}\n";
    let python = "import app.legacy\n\nc.legacy_send()\nc.legacy_flush()\n";
    let temp = project(config, &[("Cargo.toml", CARGO), ("src/lib.rs", rust), ("app/x.py", python)]);
    assert_eq!(
        concise(temp.path()),
        "app/x.py:1:8: deprecated-module module app.legacy is deprecated\n\
         app/x.py:3:1: banned-pattern c.legacy_send() matches banned pattern any-language (`**.legacy_send`)\n\
         src/lib.rs:2:5: banned-pattern c.legacy_send() matches banned pattern any-language (`**.legacy_send`)\n\
         src/lib.rs:3:5: banned-pattern c.legacy_flush() matches banned pattern rust-only (`**.legacy_flush`)\n\
         src/lib.rs:4:5: banned-pattern chat_core::old::go() matches banned pattern rust-path (`chat_core::old::*`)\n\
         Found 5 findings in 2 files (2 files linted): 5 gating, 0 not gating\n"
    );
}

#[test]
fn include_defaults_to_python_and_rust_files() {
    let temp =
        project("", &[("src/lib.rs", "fn f() {}\n"), ("app/x.py", "x = 1\n"), ("notes.txt", "text\n")]);
    let report = check_json(temp.path(), &[]);
    assert_eq!(report["summary"]["files"], 2);
}

#[test]
fn a_rust_syntax_error_is_a_warning_with_syns_message() {
    let broken = "use crate::legacy::UserId;\n\nfn f() {\n    let x = ;\n}\n";
    let config = "[[registry]]\nsymbol = \"UserId\"\nmodule = \"chat_core::ids\"\n";
    let temp = project(
        config,
        &[("Cargo.toml", CARGO), ("src/lib.rs", broken), ("src/ids.rs", "pub struct UserId;\n")],
    );
    ssot_lint()
        .current_dir(temp.path())
        .args(["check", "--format", "concise", "--no-cache"])
        .assert()
        .code(1)
        .stdout(
            "src/lib.rs:1:20: non-canonical-import UserId must be imported from chat_core::ids (imported from \
             chat_core::legacy)\n\
             src/lib.rs:4:13: syntax-error syntax error: expected an expression; only the item that holds it \
             is skipped, the rest of the file is linted [warning]\n\
             Found 2 findings in 1 file (2 files linted): 1 gating, 1 not gating\n",
        );
}

#[test]
fn a_suppressed_rust_finding_is_counted_not_printed() {
    let config = "[[registry]]\nsymbol = \"UserId\"\nmodule = \"chat_core::ids\"\n";
    let source = "use crate::legacy::UserId; // ssot: ignore[non-canonical-import]\nconst URL: &str = \"http://x\"; // ssot: ignore\n";
    let temp = project(
        config,
        &[("Cargo.toml", CARGO), ("src/lib.rs", source), ("src/ids.rs", "pub struct UserId;\n")],
    );
    let report = check_json(temp.path(), &[]);
    assert_eq!(report["summary"]["suppressed"], 1, "{report}");
    // The `//` inside the string is no comment; the one after it is, and it suppresses nothing.
    assert_eq!(report["summary"]["findings"], 1, "{report}");
    assert_eq!(report["findings"][0]["rule"], "unused-suppression", "{report}");
    assert_eq!(report["findings"][0]["line"], 2, "{report}");
}

#[test]
fn a_renamed_crate_is_not_served_from_the_cache() {
    let config = "[[registry]]\nsymbol = \"UserId\"\nmodule = \"chat_core::ids\"\n";
    let files = [
        ("Cargo.toml", "[package]\nname = \"old-name\"\n"),
        ("src/lib.rs", "pub mod ids;\nuse crate::ids::UserId;\n"),
        ("src/ids.rs", "pub struct UserId;\n"),
    ];
    let temp = project(config, &files);
    let run = || {
        let output = ssot_lint()
            .current_dir(temp.path())
            .args(["check", "--format", "concise", "--exit-zero", "--ignore", "stale-registry"])
            .output()
            .expect("run ssot-lint");
        String::from_utf8(output.stdout).expect("UTF-8")
    };
    assert!(run().contains("imported from old_name::ids"), "{}", run());
    std::fs::write(temp.path().join("Cargo.toml"), "[package]\nname = \"chat-core\"\n").expect("rename");
    assert!(!run().contains("non-canonical-import"), "{}", run());
}

#[test]
fn fix_leaves_rust_use_items_alone_and_says_so() {
    let config = "[[registry]]\nsymbol = \"UserId\"\nmodule = \"chat_core::ids\"\n";
    let source = "pub mod ids;\nuse crate::legacy::UserId;\n";
    let temp = project(
        config,
        &[("Cargo.toml", CARGO), ("src/lib.rs", source), ("src/ids.rs", "pub struct UserId;\n")],
    );
    ssot_lint().current_dir(temp.path()).args(["fix", "--allow-dirty"]).assert().code(0).stderr(
        predicate::str::contains(
            "src/lib.rs: left alone: fix rewrites Python imports only; Rust `use` items are left as they are",
        ),
    );
    let after = std::fs::read_to_string(temp.path().join("src/lib.rs")).expect("read back");
    assert_eq!(after, source);
}
