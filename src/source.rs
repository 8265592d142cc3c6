//! One source file as the linter sees it: its text, its module name and a line index.

use crate::facts::Span;
use crate::language::Language;

/// 1-based line and column, columns counted in Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// The text of one file plus where line starts are, so positions are computed in one place.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path relative to the project root with `/` separators (what reports show).
    pub rel_path: String,
    /// Module name: dotted for Python, e.g. `app.core.models` (`pkg/__init__.py` -> `pkg`);
    /// `::`-separated for Rust, e.g. `my_crate::core::models` (see `lang::rust::module_name`).
    pub module: String,
    /// True for `__init__.py`: relative imports resolve against the module itself.
    pub is_package: bool,
    /// The text, lossily decoded when the file was not valid UTF-8.
    pub text: String,
    /// Byte offset of the first invalid UTF-8 byte, if any.
    pub invalid_utf8_at: Option<usize>,
    /// The language it is read as (its front end).
    language: Language,
    line_starts: Vec<usize>,
    /// An ASCII text's columns are byte offsets: no counting (many findings on one long line
    /// would otherwise cost O(line length) each).
    ascii: bool,
}

impl SourceFile {
    /// A file of the language its name says (`Language::of_path`, as the walk decides): for
    /// files that do not come from a walk (tests, config files, re-checked fixes).
    pub fn new(rel_path: String, module: String, is_package: bool, bytes: Vec<u8>) -> Self {
        let language = Language::of_path(&rel_path);
        Self::with_language(language, rel_path, module, is_package, bytes)
    }

    /// A file read as `language` (a walked or listed file's `language`).
    pub(crate) fn with_language(
        language: Language,
        rel_path: String,
        module: String,
        is_package: bool,
        bytes: Vec<u8>,
    ) -> Self {
        let (text, invalid_utf8_at) = match String::from_utf8(bytes) {
            Ok(text) => (text, None),
            Err(error) => {
                let valid_up_to = error.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
                (text, Some(valid_up_to))
            }
        };
        let line_starts = line_starts(&text);
        let ascii = text.is_ascii();
        SourceFile { rel_path, module, is_package, text, invalid_utf8_at, language, line_starts, ascii }
    }

    /// A file made from a string (tests, config files).
    pub fn from_text(rel_path: &str, module: &str, is_package: bool, text: &str) -> Self {
        Self::new(rel_path.to_string(), module.to_string(), is_package, text.as_bytes().to_vec())
    }

    /// 1-based line and Unicode-scalar column of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize) -> Position {
        if self.ascii {
            let offset = offset.min(self.text.len());
            let line_index = match self.line_starts.binary_search(&offset) {
                Ok(index) => index,
                Err(index) => index.saturating_sub(1),
            };
            let line_start = self.line_starts.get(line_index).copied().unwrap_or(0);
            return Position { line: line_index + 1, column: offset - line_start + 1 };
        }
        position_in(&self.text, &self.line_starts, offset)
    }

    /// The text of the 1-based line `line`, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        line_text_in(&self.text, &self.line_starts, line)
    }

    /// Byte offsets where each line starts (the first is always 0).
    pub(crate) fn line_starts(&self) -> &[usize] {
        &self.line_starts
    }

    pub(crate) fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// The language the file is read as.
    pub fn language(&self) -> Language {
        self.language
    }
}

/// Byte offsets where each line starts (the first is always 0).
pub(crate) fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|index| index + 1)).collect()
}

/// Converts a byte offset to a 1-based line and column given precomputed line starts.
pub(crate) fn position_in(text: &str, line_starts: &[usize], offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_index = match line_starts.binary_search(&offset) {
        Ok(index) => index,
        Err(index) => index.saturating_sub(1),
    };
    let mut line_start = line_starts.get(line_index).copied().unwrap_or(0);
    // A leading byte-order mark is invisible in editors (and Python ignores it): not a column.
    if line_start == 0 && text.starts_with('\u{FEFF}') {
        line_start = '\u{FEFF}'.len_utf8().min(offset);
    }
    let column = text[line_start..offset].chars().count() + 1;
    Position { line: line_index + 1, column }
}

/// The text of a 1-based line without its `\n` or `\r\n`.
pub(crate) fn line_text_in<'a>(text: &'a str, line_starts: &[usize], line: usize) -> &'a str {
    let Some(&start) = line_starts.get(line.wrapping_sub(1)) else {
        return "";
    };
    let end = line_starts.get(line).copied().unwrap_or(text.len());
    text[start..end].trim_end_matches('\n').trim_end_matches('\r')
}

/// The module name of a file from its path relative to an import root:
/// `/` -> `.`, `.py` dropped, `pkg/__init__.py` -> `pkg`. Returns the name and whether the
/// file is a package `__init__`.
pub fn module_name(relative_to_root: &str) -> (String, bool) {
    let without_ext = relative_to_root
        .strip_suffix(".pyi")
        .or_else(|| relative_to_root.strip_suffix(".py"))
        .unwrap_or(relative_to_root);
    let (path, is_package) = match without_ext.strip_suffix("__init__") {
        Some(parent) => (parent.trim_end_matches('/'), true),
        None => (without_ext, false),
    };
    (path.replace('/', "."), is_package)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names() {
        assert_eq!(module_name("app/core/models.py"), ("app.core.models".into(), false));
        assert_eq!(module_name("app/core/__init__.py"), ("app.core".into(), true));
        assert_eq!(module_name("__init__.py"), ("".into(), true));
        assert_eq!(module_name("setup.py"), ("setup".into(), false));
    }

    #[test]
    fn positions_count_unicode_scalars() {
        let file = SourceFile::from_text("a.py", "a", false, "x = 1\né = 'ü'; y\n");
        assert_eq!(file.position(0), Position { line: 1, column: 1 });
        let y = file.text.find('y').unwrap();
        assert_eq!(file.position(y), Position { line: 2, column: 10 });
        assert_eq!(file.line_text(2), "é = 'ü'; y");
        assert_eq!(file.position(10_000), Position { line: 3, column: 1 });
    }

    #[test]
    fn ascii_and_unicode_positions_agree() {
        for text in ["ab\ncd = 1\n\nx", "ab\ncd = 'é'\n\nx"] {
            let file = SourceFile::from_text("a.py", "a", false, text);
            let starts = line_starts(text);
            for offset in 0..=text.len() + 2 {
                if text.is_char_boundary(offset.min(text.len())) {
                    assert_eq!(
                        file.position(offset),
                        position_in(text, &starts, offset),
                        "{text:?} {offset}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let file = SourceFile::from_text("a.py", "a", false, "\u{FEFF}import x\n");
        assert_eq!(file.position(3), Position { line: 1, column: 1 });
        assert_eq!(file.position(10), Position { line: 1, column: 8 });
        assert_eq!(file.position(0), Position { line: 1, column: 1 });
    }

    #[test]
    fn invalid_utf8_is_located_and_decoded() {
        let file = SourceFile::new("a.py".into(), "a".into(), false, b"ok = 1\nbad = '\xff'\n".to_vec());
        assert_eq!(file.invalid_utf8_at, Some(14));
        assert!(file.text.contains('\u{FFFD}'));
    }
}
