//! `ssot-lint registry import`: a hand-written Markdown import registry (the
//! `SSOT_IMPORT_REGISTRY.md` style) → `[[registry]]` and `[[deprecated-module]]` TOML.
//!
//! The shape read: headings per service; fenced `python` blocks of import lines; a heading (or a
//! whole-line bold label such as `**❌ BROKEN:**`) classifies the lines under it, and a line's
//! trailing comment can override that:
//!
//! - broken: ❌ 🚫 ⛔ ✗ ✘, "BROKEN", "DO NOT USE", "DEPRECATED", "INCORRECT", "WRONG", "NOT WORKING"
//! - compatibility: "COMPATIBILITY", "COMPAT", "alias", "re-export"
//! - canonical: ✅ ✔ ✓, "VERIFIED", "CORRECT", "CANONICAL", "WORKING", "SSOT"
//!
//! checked in that order (so "✅ compatibility import" is compat, "❌ INCORRECT" is broken).
//! Words match case-insensitively at the start of a word ("CORRECT" does not match "INCORRECT").
//! A heading without a marker inherits its parent's class. Commented-out imports
//! (`# ❌ DEPRECATED: from M import A`) count as broken when they carry a broken marker or sit
//! under a broken heading. `@patch(...)` lines, other code and comments are skipped and counted.
//!
//! From those lines: the first canonical line of a symbol gives its `module`; compatibility lines
//! add `compat` modules; a module that appears only in broken lines becomes a
//! `[[deprecated-module]]` (with a `replacement` when all its symbols have one home). Conflicts
//! (two canonical homes, canonical or compat and broken in one module) are reported with both
//! source lines; the first canonical home wins, and canonical or compat beats broken.

mod parse;
mod render;
mod resolve;
mod scan;

pub use parse::{parse_import, Parsed};
use render::render;
pub(crate) use render::{plural, skipped_total};
pub use resolve::{resolve, Conflict, Deprecated, Home, Registry};
use scan::scan;
pub use scan::{Class, Scan, Seen, Skipped};

/// The result of a conversion: the TOML text and what to tell the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Converted {
    pub toml: String,
    pub scan: Scan,
    pub registry: Registry,
}

/// Markdown registry → TOML fragment. `source_name` is named in the comments.
pub fn convert(text: &str, source_name: &str) -> Converted {
    let scan = scan(text);
    let registry = resolve(&scan.seen);
    let toml = render(&registry, &scan, source_name);
    Converted { toml, scan, registry }
}

#[cfg(test)]
mod tests {
    use super::scan::classify;
    use super::*;

    /// `(symbol or module, module, class, line)` of every classified name.
    fn seen(markdown: &str) -> Vec<(String, String, Class, usize)> {
        scan(markdown)
            .seen
            .into_iter()
            .map(|item| (item.symbol.unwrap_or_default(), item.module, item.class, item.line))
            .collect()
    }

    fn one(symbol: &str, module: &str, class: Class, line: usize) -> (String, String, Class, usize) {
        (symbol.to_string(), module.to_string(), class, line)
    }

    #[test]
    fn markers_classify_in_order_broken_compat_canonical() {
        assert_eq!(classify("✅ VERIFIED IMPORTS"), Some(Class::Canonical));
        assert_eq!(classify("Correct imports"), Some(Class::Canonical));
        assert_eq!(classify("The canonical home"), Some(Class::Canonical));
        assert_eq!(classify("SSOT test infrastructure"), Some(Class::Canonical));
        assert_eq!(classify("INCORRECT imports"), Some(Class::Broken));
        assert_eq!(classify("❌ imports"), Some(Class::Broken));
        assert_eq!(classify("Do Not Use"), Some(Class::Broken));
        assert_eq!(classify("⚠️ DEPRECATED alias"), Some(Class::Broken));
        assert_eq!(classify("✅ Compatibility import"), Some(Class::Compat));
        assert_eq!(classify("COMPAT re-export"), Some(Class::Compat));
        assert_eq!(classify("alias via __init__"), Some(Class::Compat));
        assert_eq!(classify("🔷 Netra Backend"), None);
        assert_eq!(classify("⚠️ careful"), None);
        assert_eq!(classify("uncorrected"), None);
    }

    #[test]
    fn headings_classify_and_inherit() {
        let markdown = "# Registry\n## Service A\n### ✅ Working\n```python\nfrom a.good import A\n```\n\
            #### Sub-section\n```python\nfrom a.good import B\n```\n### Notes\n```python\nfrom a.other import C\n```\n\
            ## ❌ BROKEN\n### Service B\n```python\nfrom b.old import D\n```\n";
        let result = scan(markdown);
        assert_eq!(
            seen(markdown),
            vec![
                one("A", "a.good", Class::Canonical, 5),
                one("B", "a.good", Class::Canonical, 9),
                one("D", "b.old", Class::Broken, 18),
            ]
        );
        assert_eq!(result.skipped.unclassified, 1);
        assert_eq!(result.first_unclassified, Some(13));
        assert_eq!(result.seen[0].section, "Service A");
        assert_eq!(result.seen[2].section, "❌ BROKEN");
    }

    #[test]
    fn bold_labels_act_as_headings() {
        let markdown = "**✅ CANONICAL:**\n```python\nfrom a import A\n```\n**❌ BROKEN:**\n```python\nfrom b import A\n```\n";
        assert_eq!(seen(markdown), vec![one("A", "a", Class::Canonical, 3), one("A", "b", Class::Broken, 7)]);
    }

    #[test]
    fn trailing_comments_override_the_heading() {
        let markdown = "## ✅ Verified\n```python\nfrom a import A  # COMPATIBILITY re-export\n\
            from b import B  # ❌ BROKEN\nfrom c import C  # nothing special\n```\n";
        assert_eq!(
            seen(markdown),
            vec![
                one("A", "a", Class::Compat, 3),
                one("B", "b", Class::Broken, 4),
                one("C", "c", Class::Canonical, 5)
            ]
        );
    }

    #[test]
    fn commented_out_imports_count_only_when_marked_broken() {
        let markdown = "## Service\n```python\n# ❌ DEPRECATED: from a.old import A\n# from a.maybe import B\n\
            # ⚠️ DEPRECATED from a.older import C, D\n```\n## ❌ Removed\n```python\n# from a.gone import E\n```\n";
        let result = scan(markdown);
        assert_eq!(
            seen(markdown),
            vec![
                one("A", "a.old", Class::Broken, 3),
                one("C", "a.older", Class::Broken, 5),
                one("D", "a.older", Class::Broken, 5),
                one("E", "a.gone", Class::Broken, 9),
            ]
        );
        assert_eq!(result.skipped.commented_out, 1);
    }

    #[test]
    fn patch_and_other_lines_are_skipped_and_counted() {
        let markdown =
            "## ✅ OK\n```python\n@patch('a.b.C')\n@mock.patch(\"a.b.D\")\nwith patch('a.b.E') as e:\n\
            x = C()  # from here\n# just a comment\nraise Error from cause\n\nfrom a.b import C\n```\n";
        let result = scan(markdown);
        assert_eq!(seen(markdown), vec![one("C", "a.b", Class::Canonical, 10)]);
        assert_eq!(result.skipped.patch, 3);
        assert_eq!(result.skipped.other, 3);
    }

    #[test]
    fn relative_and_star_imports_are_unusable() {
        let markdown =
            "## ✅ OK\n```python\nfrom .sibling import A\nfrom a import *\nfrom .. import b\n```\n";
        let result = scan(markdown);
        assert!(result.seen.is_empty());
        assert_eq!(result.skipped.unusable, 3);
    }

    #[test]
    fn parenthesised_names_take_their_own_comment() {
        let markdown =
            "## ✅ OK\n```python\nfrom a import (  # all verified\n    A,\n    B,  # alias for old code\n\
            \tC as D,  # ❌ broken\n)\nfrom b import \\\n    E\n```\n";
        assert_eq!(
            seen(markdown),
            vec![
                one("A", "a", Class::Canonical, 4),
                one("B", "a", Class::Compat, 5),
                one("C", "a", Class::Broken, 6),
                one("E", "b", Class::Canonical, 9),
            ]
        );
    }

    #[test]
    fn odd_spacing_tabs_and_crlf_are_read() {
        let lf = "## ✅ OK\n```python\n\tfrom  a.b   import  A,B as  C ,D\nfrom a.c import(E)\n  import x.y ,  z as w\n```\n";
        let crlf = lf.replace('\n', "\r\n");
        let expected = vec![
            one("A", "a.b", Class::Canonical, 3),
            one("B", "a.b", Class::Canonical, 3),
            one("D", "a.b", Class::Canonical, 3),
            one("E", "a.c", Class::Canonical, 4),
            one("", "x.y", Class::Canonical, 5),
            one("", "z", Class::Canonical, 5),
        ];
        assert_eq!(seen(lf), expected);
        assert_eq!(seen(&crlf), expected);
        assert_eq!(convert(lf, "r.md").toml, convert(&crlf, "r.md").toml);
    }

    #[test]
    fn fences_of_other_languages_are_ignored() {
        let markdown = "## ✅ OK\n```bash\nfrom a import A\n```\n~~~python\nfrom b import B\n~~~\n\
            ````py\n```\nfrom c import C\n````\n";
        let result = scan(markdown);
        assert_eq!(
            seen(markdown),
            vec![one("B", "b", Class::Canonical, 6), one("C", "c", Class::Canonical, 10)]
        );
        assert_eq!(result.skipped.other_blocks, 1);
        assert_eq!(result.skipped.other, 1, "the ``` line inside a ```` fence is not an import");
    }

    #[test]
    fn an_unterminated_fence_is_read_to_the_end_with_a_warning() {
        let markdown = "## ✅ OK\n```python\nfrom a import A\nfrom b import (\n    B,\n";
        let result = scan(markdown);
        assert_eq!(
            seen(markdown),
            vec![one("A", "a", Class::Canonical, 3), one("B", "b", Class::Canonical, 5)]
        );
        assert_eq!(
            result.warnings,
            vec![(2, "code fence is never closed; read it to the end of the file".to_string())]
        );
    }

    #[test]
    fn odd_bytes_never_crash() {
        for markdown in [
            "",
            "\u{feff}",
            "```",
            "```python\n(",
            "# ✅\n```\nfrom",
            "```python\nfrom a import (\n```\n",
            "🦀🦀\r\r\n",
        ] {
            let converted = convert(markdown, "odd.md");
            assert!(toml::from_str::<toml::Table>(&converted.toml).is_ok(), "{markdown:?}");
        }
    }

    fn registry(markdown: &str) -> Registry {
        resolve(&scan(markdown).seen)
    }

    #[test]
    fn the_first_canonical_home_wins() {
        let result =
            registry("## ✅ OK\n```python\nfrom a import A\nfrom b import A\nfrom a import A\n```\n");
        assert_eq!(result.homes.len(), 1);
        assert_eq!((result.homes[0].module.as_str(), result.homes[0].line), ("a", 3));
        assert_eq!(result.conflicts.len(), 1);
        let conflict = &result.conflicts[0];
        assert_eq!(conflict.message, "A has two canonical homes; keeping a");
        assert_eq!(conflict.first, (3, "from a import A".to_string()));
        assert_eq!(conflict.second, (4, "from b import A".to_string()));
    }

    #[test]
    fn canonical_or_compat_beats_broken_in_the_same_module() {
        let result = registry(
            "## ✅ OK\n```python\nfrom a import A\nfrom c import A  # compat\n```\n## ❌ No\n```python\n\
             from a import A\nfrom c import A\n```\n",
        );
        let messages: Vec<&str> = result.conflicts.iter().map(|conflict| conflict.message.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "A is both canonical and broken in a; keeping it canonical",
                "A is both compat and broken in c; keeping it compat"
            ]
        );
        assert!(result.deprecated.is_empty());
        assert_eq!(result.homes[0].compat, vec![("c".to_string(), 4)]);
    }

    #[test]
    fn modules_only_in_broken_lines_become_deprecated() {
        let result = registry(
            "## ✅ OK\n```python\nfrom new import A, B\nfrom other import C\nfrom pkg.sub.core import D\n```\n\
             ## ❌ No\n```python\nfrom old import A, B\nfrom mixed import A, C\nfrom pkg import D\nimport legacy.events\n\
             from orphan import Z\nfrom other import Q\n```\n",
        );
        let deprecated: Vec<(&str, Option<&str>, usize)> = result
            .deprecated
            .iter()
            .map(|entry| (entry.module.as_str(), entry.replacement.as_deref(), entry.line))
            .collect();
        assert_eq!(
            deprecated,
            vec![
                ("old", Some("new"), 9),
                ("mixed", None, 10),
                ("legacy.events", None, 12),
                ("orphan", None, 13)
            ]
        );
        let pkg = "pkg is not made a deprecated module: pkg.sub.core inside it is canonical or compat";
        let other = "Q is marked broken in other but has no canonical home";
        assert_eq!(result.notes, vec![(11, pkg.to_string()), (14, other.to_string())]);
    }

    #[test]
    fn compat_without_a_home_is_a_note() {
        let result = registry("## Compatibility aliases\n```python\nfrom a import A\n```\n");
        assert!(result.homes.is_empty());
        let note = "A is imported for compatibility from a but has no canonical home; not emitted";
        assert_eq!(result.notes, vec![(3, note.to_string())]);
    }

    #[test]
    fn the_toml_is_valid_and_names_every_source_line() {
        let converted = convert(
            "## ✅ Svc\u{7}\n```python\nfrom a.b import A\nfrom c import A  # alias\n```\n## ❌\n```python\nfrom old import A\n```\n",
            "reg.md",
        );
        assert_eq!(
            converted.toml,
            "# Converted from reg.md by `ssot-lint registry import`.\n\
             # 1 canonical, 1 compatibility and 1 broken imported names read; 0 lines skipped; 0 conflicts.\n\
             # Each entry names the line of reg.md it comes from.\n\n\
             # ✅ Svc \n[[registry]]  # line 3\nsymbol = \"A\"\nmodule = \"a.b\"\ncompat = [\n    \"c\",  # line 4\n]\n\n\
             # ❌\n[[deprecated-module]]  # line 8\nmodule = \"old\"\nreplacement = \"a.b\"\n"
        );
        let table: toml::Table = toml::from_str(&converted.toml).expect("valid TOML");
        assert_eq!(table["registry"][0]["compat"][0].as_str(), Some("c"));
    }

    #[test]
    fn import_lines_parse() {
        assert_eq!(
            parse_import("from a.b import C as D, E"),
            Some(Parsed::From { module: "a.b".into(), names: vec![("C".into(), 0), ("E".into(), 0)] })
        );
        assert_eq!(
            parse_import("from importlib import import_module"),
            Some(Parsed::From { module: "importlib".into(), names: vec![("import_module".into(), 0)] })
        );
        assert_eq!(parse_import("import a.b as c, d"), Some(Parsed::Modules(vec!["a.b".into(), "d".into()])));
        assert_eq!(parse_import("from a import"), None);
        assert_eq!(parse_import("from a-b import c"), None);
        assert_eq!(parse_import("from a import b-c"), None);
    }
}
