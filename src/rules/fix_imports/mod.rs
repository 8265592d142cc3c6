//! The fixer of the import rules (`non-canonical-import`, `compat-import`, `deprecated-module`;
//! SPEC §7): it plans the rewrites of a file's `from X import ...` statements and attaches each
//! rewrite to the findings it resolves as `Finding.fix`, which `check` reports and
//! `ssot-lint fix` applies. The edits are Python text surgery (`edit.rs`); the policy of what
//! moves where is `plan.rs`; `project.rs` is what `fix` knows of the project's modules.
//!
//! A name `S` in `from X import S` moves to its registry `module` when it has an unsuppressed
//! `non-canonical-import` or `compat-import` finding (or, with those rules switched off, when the
//! statement has an unsuppressed `deprecated-module` finding). A statement whose names end up with
//! different homes is split into one statement per home, in the order the names first appear.
//! The names that stay keep the original statement, its trailing comment included; when every
//! name moves, the first group keeps it. Every part of the original statement that is kept is
//! copied byte for byte: spacing, aliases, parentheses, comments and line endings.

use crate::facts::Span;
use crate::rule_id::RuleId;

mod edit;
mod plan;
mod project;

pub use edit::{apply, minimal_edit};
pub use plan::{plan, ModuleFacts, TrustRegistry};
pub use project::ProjectModules;

use super::Fixer;

/// The one fixer the three import rules share (`RuleMeta::fix`): one rewrite of a statement
/// resolves the findings of all its names.
pub(crate) const FIXER: Fixer = Fixer { name: "import-rewrite", attach: plan::attach };

const NON_CANONICAL: RuleId = RuleId::NonCanonicalImport;
const COMPAT: RuleId = RuleId::CompatImport;
const DEPRECATED_MODULE: RuleId = RuleId::DeprecatedModule;

/// The rules whose findings this fixer resolves: those that name it in their `RuleMeta`.
fn resolves(rule: RuleId) -> bool {
    matches!(rule.meta().fix, super::Fixability::PerFile(fixer) if fixer.name == FIXER.name)
}

/// What `fix` would do to one file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FilePlan {
    /// One rewrite per import statement, in file order, never overlapping.
    pub rewrites: Vec<Rewrite>,
    /// Names with a fixable finding that stay where they are, and why.
    pub left: Vec<Left>,
    /// Why the whole file is left alone (syntax error, invalid UTF-8).
    pub blocked: Option<String>,
}

/// The new text of one import statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rewrite {
    /// The bytes replaced: the statement, plus its trailing comment when that comment moves.
    pub region: Span,
    pub content: String,
    pub moved: Vec<Moved>,
    /// The statement's module (where a `deprecated-module` finding sits).
    pub module_span: Span,
    /// True when no name is imported from the original module any more.
    pub module_emptied: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Moved {
    /// Span of the imported name in the original text.
    pub span: Span,
    pub symbol: String,
    pub home: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Left {
    pub span: Span,
    pub symbol: String,
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::edit::{common_prefix, common_suffix};
    use super::*;
    use crate::engine::lint;
    use crate::finding::Finding;
    use crate::settings::Settings;
    use crate::source::SourceFile;
    use crate::walk::{module_for, FileEntry};

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

    struct Fixed {
        text: String,
        plan: FilePlan,
        findings: Vec<Finding>,
    }

    /// Lints `source` as `rel_path` in a project with `CONFIG`, then plans and applies the fix.
    fn fix_source(rel_path: &str, source: &[u8]) -> Fixed {
        fix_source_with(CONFIG, rel_path, source)
    }

    /// `fix_source` under another config.
    fn fix_source_with(config_text: &str, rel_path: &str, source: &[u8]) -> Fixed {
        let dir = tempfile::tempdir().unwrap();
        let config_path = dir.path().join("ssot-lint.toml");
        std::fs::write(&config_path, config_text).unwrap();
        let path = dir.path().join(rel_path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, source).unwrap();
        let root = dir.path().canonicalize().unwrap();
        let config =
            crate::config::load(Some(&config_path), &root, std::slice::from_ref(&root)).unwrap().config;
        let entry = FileEntry::new(rel_path.to_string(), path);
        let settings = Settings::new(config);
        let findings = lint(&settings, &[entry]).findings;
        let config = settings.config;
        let (module, is_package) = module_for(&config, rel_path, crate::language::Language::Python);
        let file = SourceFile::new(rel_path.to_string(), module, is_package, source.to_vec());
        let facts = crate::lang::python::extract(&file);
        let plan = plan(&file, &facts, &config, &findings);
        Fixed { text: apply(&file.text, &plan.rewrites), plan, findings }
    }

    fn fixed(source: &str) -> String {
        fix_source("app/user.py", source.as_bytes()).text
    }

    #[test]
    fn one_home_replaces_only_the_module() {
        assert_eq!(
            fixed("from app import Manager as M  # hi\n"),
            "from app.core.manager import Manager as M  # hi\n"
        );
    }

    #[test]
    fn the_edit_covers_the_lines_that_change() {
        let result = fix_source("app/user.py", "x = 1\nfrom app import Manager\n".as_bytes());
        let finding = result.findings.iter().find(|finding| finding.rule == NON_CANONICAL).unwrap();
        let fix = finding.fix.as_ref().expect("fixable");
        assert_eq!(fix.message, "import Manager from app.core.manager");
        let edit = &fix.edits[0];
        assert_eq!((edit.line, edit.column, edit.end_line, edit.end_column), (2, 1, 2, 24));
        assert_eq!(edit.content, "from app.core.manager import Manager");

        let source = "from app import (\r\n    helper,\r\n    Manager,\r\n)\r\n";
        let result = fix_source("app/user.py", source.as_bytes());
        let edit = &result.findings.iter().find_map(|finding| finding.fix.as_ref()).unwrap().edits[0];
        assert_eq!((edit.line, edit.column, edit.end_line, edit.end_column), (3, 1, 3, 13));
        assert_eq!(edit.content, ")\r\nfrom app.core.manager import (\r\n    Manager,");
    }

    #[test]
    fn names_are_split_by_home_in_order() {
        assert_eq!(
            fixed("from app import Context, helper, Manager as M\n"),
            "from app.services.context import Context\nfrom app import helper\nfrom app.core.manager import Manager as M\n"
        );
    }

    #[test]
    fn names_sharing_a_home_stay_together() {
        assert_eq!(
            fixed("from app.compat import Manager, Context as C, Manager as M2\n"),
            "from app.core.manager import Manager, Manager as M2\nfrom app.services.context import Context as C\n"
        );
    }

    #[test]
    fn crlf_and_indentation_are_kept() {
        assert_eq!(
            fixed("def f():\r\n    from app import helper, Manager\r\n"),
            "def f():\r\n    from app import helper\r\n    from app.core.manager import Manager\r\n"
        );
        assert_eq!(
            fixed("def f():\n\tfrom app import Manager, helper\n"),
            "def f():\n\tfrom app.core.manager import Manager\n\tfrom app import helper\n"
        );
    }

    #[test]
    fn a_statement_sharing_its_line_is_split_with_semicolons() {
        assert_eq!(
            fixed("if True: from app import Manager, helper\n"),
            "if True: from app.core.manager import Manager; from app import helper\n"
        );
    }

    #[test]
    fn a_statement_continuing_a_compound_header_is_split_with_semicolons() {
        assert_eq!(
            fixed("if True: \\\n    from app import Manager, x\n"),
            "if True: \\\n    from app.core.manager import Manager; from app import x\n"
        );
        assert_eq!(
            fixed("if True: \\\r\n    from app import x, Manager\r\n"),
            "if True: \\\r\n    from app import x; from app.core.manager import Manager\r\n"
        );
    }

    #[test]
    fn backslash_continuations_are_joined() {
        assert_eq!(
            fixed("from app import Manager, \\\n    helper\n"),
            "from app.core.manager import Manager\nfrom app import helper\n"
        );
    }

    #[test]
    fn one_line_parentheses_and_trailing_commas() {
        assert_eq!(
            fixed("from app import (helper, Manager,)\n"),
            "from app import (helper,)\nfrom app.core.manager import (Manager)\n"
        );
    }

    #[test]
    fn a_file_without_final_newline() {
        assert_eq!(
            fixed("from app import helper, Manager"),
            "from app import helper\nfrom app.core.manager import Manager"
        );
    }

    #[test]
    fn a_comment_between_names_leaves_the_statement() {
        let result = fix_source("app/user.py", b"from app import (Manager,  # why\n    helper)\n");
        assert!(result.plan.rewrites.is_empty());
        assert_eq!(result.plan.left.len(), 1);
        assert!(result.plan.left[0].reason.contains("comment"), "{:?}", result.plan.left);
        assert!(result.findings.iter().all(|finding| finding.fix.is_none()));
    }

    #[test]
    fn a_comment_after_the_last_name_is_fine() {
        assert_eq!(
            fixed("from app import (helper, Manager  # why\n)\n"),
            "from app import (helper  # why\n)\nfrom app.core.manager import (Manager)\n"
        );
    }

    #[test]
    fn the_canonical_module_itself_is_not_rewritten() {
        let result = fix_source("app/core/manager.py", b"from app.legacy import Manager\n");
        assert!(result.plan.rewrites.is_empty());
        assert_eq!(result.plan.left[0].symbol, "Manager");
        assert!(result.plan.left[0].reason.contains("is this file"));
    }

    #[test]
    fn relative_imports_become_absolute_only_for_moved_names() {
        assert_eq!(
            fixed("from .sub import helper, Manager\nfrom .core.manager import Manager as Home\n"),
            "from .sub import helper\nfrom app.core.manager import Manager\nfrom .core.manager import Manager as Home\n"
        );
    }

    #[test]
    fn deprecated_module_gets_a_fix_only_when_emptied() {
        let result =
            fix_source("app/user.py", b"from app.old import Manager\nfrom app.old import Context, helper\n");
        assert_eq!(result.text, "from app.core.manager import Manager\nfrom app.services.context import Context\nfrom app.old import helper\n");
        let deprecated: Vec<bool> = result
            .findings
            .iter()
            .filter(|finding| finding.rule == DEPRECATED_MODULE)
            .map(|finding| finding.fix.is_some())
            .collect();
        assert_eq!(deprecated, vec![true, false]);
    }

    #[test]
    fn deprecated_module_carries_the_moves_of_names_without_their_own_finding() {
        let config = format!(
            "{CONFIG}\n[project]\nper-file-ignores = {{ \"app/user.py\" = [\"non-canonical-import\"] }}\n"
        );
        let result = fix_source_with(&config, "app/user.py", b"from app.old import Context, helper\n");
        assert_eq!(result.text, "from app.services.context import Context\nfrom app.old import helper\n");
        let fixes: Vec<(RuleId, Option<&str>)> = result
            .findings
            .iter()
            .map(|finding| (finding.rule, finding.fix.as_ref().map(|fix| fix.message.as_str())))
            .collect();
        assert_eq!(fixes, [(DEPRECATED_MODULE, Some("import Context from app.services.context"))]);
        assert_eq!(result.findings[0].fix.as_ref().map(|fix| fix.changes), Some(1));
    }

    #[test]
    fn the_import_rules_share_one_fixer() {
        for rule in crate::rules::RULES {
            let shared =
                matches!(rule.fix, crate::rules::Fixability::PerFile(fixer) if fixer.name == FIXER.name);
            assert_eq!(shared, resolves(rule.id), "{}", rule.id);
            assert_eq!(shared, matches!(rule.id, NON_CANONICAL | COMPAT | DEPRECATED_MODULE), "{}", rule.id);
        }
        assert!(matches!(RuleId::UnusedSuppression.meta().fix, crate::rules::Fixability::InRule));
    }

    #[test]
    fn suppressed_names_stay() {
        assert_eq!(
            fixed("from app import Manager, helper  # ssot: ignore\nfrom app import Context  # ssot: ignore[compat-import]\n"),
            "from app import Manager, helper  # ssot: ignore\nfrom app.services.context import Context  # ssot: ignore[compat-import]\n"
        );
        assert_eq!(
            fixed("# ssot: ignore-file\nfrom app import Manager\n"),
            "# ssot: ignore-file\nfrom app import Manager\n"
        );
    }

    #[test]
    fn star_imports_and_unknown_names_are_untouched() {
        let source = "from app import *\nfrom app import helper\nimport app.old\n";
        assert_eq!(fixed(source), source);
    }

    #[test]
    fn broken_files_are_blocked() {
        let syntax = fix_source("app/user.py", b"from app import Manager\ndef f(:\n    pass\n");
        assert_eq!(syntax.plan.blocked.as_deref(), Some("syntax error at line 2, column 7"));
        assert!(syntax.plan.rewrites.is_empty());
        let bytes = fix_source("app/user.py", b"from app import Manager\nx = '\xff'\n");
        assert_eq!(bytes.plan.blocked.as_deref(), Some("not valid UTF-8 (line 2, column 6)"));
    }

    #[test]
    fn fixing_twice_changes_nothing() {
        let sources = [
            "from app import Context, helper, Manager as M\n",
            "from app import (\n    Manager,  # m\n    helper,\n)\n",
            "if x: from app import helper, Manager\n",
        ];
        for source in sources {
            let once = fixed(source);
            assert_ne!(once, source);
            let twice = fix_source("app/user.py", once.as_bytes());
            assert!(twice.plan.rewrites.is_empty(), "{once}");
        }
    }

    #[test]
    fn odd_layouts_still_parse_after_the_fix() {
        let sources = [
            "from app import (\n    Manager,\n    helper)\n",
            "from app import (Manager as M, helper,  # c\n)\n",
            "from app import (Manager, helper); x = 1\n",
            "from app import Manager as M, \\\n    helper, \\\n    Context\n",
            "try:\n    from app import (\n        helper,\n        Manager,\n    )\nexcept ImportError:\n    pass\n",
            "class A:\n    if True: from app import (\n        Manager,\n        helper,\n    )\n",
            "from  app  import  helper ,  Manager  as  M\n",
        ];
        for source in sources {
            let result = fix_source("app/user.py", source.as_bytes());
            assert_ne!(result.text, source, "{source}");
            let file = SourceFile::from_text("app/user.py", "app.user", false, &result.text);
            let facts = crate::lang::python::extract(&file);
            assert_eq!(facts.syntax_error, None, "{}", result.text);
        }
    }

    #[test]
    fn common_affixes_respect_char_boundaries() {
        assert_eq!(common_prefix("héllo", "hé!"), 3);
        assert_eq!(common_prefix("abc", "abc"), 3);
        assert_eq!(common_suffix("aé", "bé"), 2);
        assert_eq!(common_suffix("", "x"), 0);
    }
}
