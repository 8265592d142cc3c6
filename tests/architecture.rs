//! The module graph of `src/` has no cycles: dependencies between the top-level modules
//! (engine, rules, front ends, reporters, ...) run one way. Read from the `crate::x` paths of the
//! code outside `#[cfg(test)]` items, comments and literals, as `cargo modules` reads the crate
//! without `--cfg-test` (`scripts/pub-usage` prints the same graph).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[test]
fn top_level_modules_depend_on_each_other_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = module_graph(&src);
    assert!(graph.len() > 10, "too few modules found under {}: {graph:?}", src.display());
    let mut cycles = Vec::new();
    for (from, targets) in &graph {
        for to in targets {
            if let Some(path) = path_between(&graph, to, from) {
                cycles.push(format!("{from} -> {}", path.join(" -> ")));
            }
        }
    }
    assert!(cycles.is_empty(), "module cycles (each edge that closes one):\n{}", cycles.join("\n"));
}

#[test]
fn the_reader_sees_paths_in_code_only() {
    let text = r##"
use crate::alpha::A; // crate::comment
/// crate::doc
fn f() { let s = "crate::string \" crate::escaped"; let c = '"'; crate::beta::b(); }
#[cfg(test)]
mod tests { use crate::gamma; }
#[cfg(test)]
use crate::delta;
fn g() { let r = r#"crate::raw"#; crate::epsilon::e() }
"##;
    let found: Vec<String> = crate_paths(&code_only(text)).into_iter().collect();
    assert_eq!(found, ["alpha", "beta", "epsilon"]);
}

/// Top-level module → the top-level modules its code names.
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    collect_rust_files(src, &mut files);
    let module_of = |path: &Path| -> Option<String> {
        let relative = path.strip_prefix(src).ok()?;
        let first = relative.components().next()?.as_os_str().to_string_lossy().into_owned();
        let name = first.strip_suffix(".rs").unwrap_or(&first).to_string();
        (name != "lib" && name != "main").then_some(name)
    };
    let known: BTreeSet<String> = files.iter().filter_map(|path| module_of(path)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in &files {
        let Some(module) = module_of(path) else { continue };
        let text = std::fs::read_to_string(path).expect("read a source file");
        let targets = graph.entry(module.clone()).or_default();
        for target in crate_paths(&code_only(&text)) {
            if target != module && known.contains(&target) {
                targets.insert(target);
            }
        }
    }
    graph
}

fn collect_rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            collect_rust_files(&path, out);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            out.push(path);
        }
    }
}

/// The first segment after each `crate::`.
fn crate_paths(code: &str) -> BTreeSet<String> {
    code.match_indices("crate::")
        .filter(|(at, _)| !code[..*at].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
        .map(|(at, marker)| {
            code[at + marker.len()..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
        })
        .filter(|name: &String| !name.is_empty())
        .collect()
}

/// The text without `#[cfg(test)]` items, comments, and string and char literals.
fn code_only(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        if rest.starts_with("#[cfg(test)]") {
            i = end_of_item(text, i + "#[cfg(test)]".len());
        } else if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            i += rest.find("*/").map_or(rest.len(), |end| end + 2);
        } else if let Some(end) = raw_string_end(rest) {
            i += end;
        } else if rest.starts_with('"') {
            i += string_end(rest);
        } else if let Some(end) = char_literal_end(rest) {
            i += end;
        } else {
            let c = rest.chars().next().expect("not at the end");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// Where the item starting after an attribute at `from` ends: after its `{ ... }` block, or
/// after its `;` when that comes first.
fn end_of_item(text: &str, from: usize) -> usize {
    let rest = &text[from..];
    let (Some(brace), semicolon) = (rest.find('{'), rest.find(';')) else {
        return rest.find(';').map_or(text.len(), |end| from + end + 1);
    };
    if semicolon.is_some_and(|semicolon| semicolon < brace) {
        return from + semicolon.unwrap_or(0) + 1;
    }
    // Braces inside the item's literals are rare enough in this crate's tests to count them all.
    let mut depth = 0usize;
    for (offset, c) in rest[brace..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return from + brace + offset + 1;
                }
            }
            _ => {}
        }
    }
    text.len()
}

/// `r"..."`, `r#"..."#`: the length of the literal, if `rest` starts with one.
fn raw_string_end(rest: &str) -> Option<usize> {
    let after_r = rest.strip_prefix('r')?;
    let hashes = after_r.len() - after_r.trim_start_matches('#').len();
    let body = after_r[hashes..].strip_prefix('"')?;
    let closing = format!("\"{}", "#".repeat(hashes));
    let end = body.find(&closing)?;
    Some(1 + hashes + 1 + end + closing.len())
}

/// The length of the `"..."` literal `rest` starts with (escapes honoured).
fn string_end(rest: &str) -> usize {
    let mut escaped = false;
    for (offset, c) in rest.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return offset + 1,
            _ => escaped = false,
        }
    }
    rest.len()
}

/// `'x'`, `'\n'`, `'\''`: the length of the char literal `rest` starts with (not a lifetime).
fn char_literal_end(rest: &str) -> Option<usize> {
    let body = rest.strip_prefix('\'')?;
    let mut chars = body.char_indices();
    let (_, first) = chars.next()?;
    if first == '\\' {
        chars.next()?;
    }
    let (offset, closing) = chars.next()?;
    (closing == '\'').then_some(1 + offset + 1)
}

/// A path of modules from `from` to `to`, if `to` is reachable.
fn path_between(graph: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> Option<Vec<String>> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![vec![from.to_string()]];
    while let Some(path) = stack.pop() {
        let last = path.last().expect("paths are never empty");
        if last == to {
            return Some(path);
        }
        if !seen.insert(last.clone()) {
            continue;
        }
        for next in graph.get(last).into_iter().flatten() {
            let mut longer = path.clone();
            longer.push(next.clone());
            stack.push(longer);
        }
    }
    None
}
