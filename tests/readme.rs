//! The README's rule table is the rules' own one-line summaries.

use ssot_lint::rules::RULES;

#[test]
fn readme_rule_table_matches_the_rule_docs() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    for rule in RULES {
        let row = format!("| `{}` | {} | {} |", rule.id, rule.default_severity.as_str(), rule.summary());
        assert!(readme.contains(&row), "README lacks the row:\n{row}");
    }
}
