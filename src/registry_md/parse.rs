//! Turning an import statement into the module and names it imports.

/// An import line, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed {
    /// `from M import a, b as c`: each name with the offset (in lines) of the line it is on.
    From { module: String, names: Vec<(String, usize)> },
    /// `import a.b, c as d`.
    Modules(Vec<String>),
}

/// Parses a one-line `from M import ...` / `import M, ...`.
pub fn parse_import(line: &str) -> Option<Parsed> {
    parse_statement(&[line.to_string()])
}

/// Parses an import statement given line by line; `None` for relative, star or malformed
/// imports.
pub(super) fn parse_statement(parts: &[String]) -> Option<Parsed> {
    let joined = parts.join(" ");
    let words: Vec<&str> = joined.split_whitespace().collect();
    match words.first().copied() {
        Some("from") => {
            let module = *words.get(1)?;
            if words.get(2) != Some(&"import") || !is_dotted_name(module) {
                return None;
            }
            let names = from_names(parts)?;
            Some(Parsed::From { module: module.to_string(), names })
        }
        Some("import") => {
            let modules: Vec<String> = joined
                .trim_start()
                .strip_prefix("import")?
                .split(',')
                .filter_map(|item| item.split_whitespace().next())
                .map(str::to_string)
                .collect();
            let valid = !modules.is_empty() && modules.iter().all(|module| is_dotted_name(module));
            valid.then_some(Parsed::Modules(modules))
        }
        _ => None,
    }
}

/// The names after `import`, each with the offset of the line it is on.
fn from_names(parts: &[String]) -> Option<Vec<(String, usize)>> {
    // The keyword is the third word of the statement (`from`, module, `import`).
    let mut words_before = 0;
    let mut names = Vec::new();
    for (offset, part) in parts.iter().enumerate() {
        let mut fragment = part.as_str();
        if words_before <= 2 {
            let words: Vec<(usize, &str)> = word_offsets(part).collect();
            match words.get(2 - words_before) {
                Some((at, _)) => fragment = &part[at + "import".len()..],
                None => {
                    words_before += words.len();
                    continue;
                }
            }
            words_before = 3;
        }
        for item in fragment.split(',') {
            let item = item.trim_matches(|c: char| c.is_whitespace() || c == '(' || c == ')');
            let Some(name) = item.split_whitespace().next() else { continue };
            if name == "*" || !is_identifier(name) {
                return None;
            }
            names.push((name.to_string(), offset));
        }
    }
    (!names.is_empty()).then_some(names)
}

/// `(byte offset, word)` of each whitespace-separated word.
fn word_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_whitespace().map(move |word| (word.as_ptr() as usize - text.as_ptr() as usize, word))
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

/// `a.b.c` with identifier segments (no leading dot: relative imports are not usable).
pub(crate) fn is_dotted_name(name: &str) -> bool {
    name.split('.').all(is_identifier)
}
