//! Logical lines and top-level statements, found by a byte scanner (no parse).
//!
//! The prefilter uses this to parse only the top-level statements that can matter. The scanner
//! knows string literals (prefixes, triple quotes, escapes, f-string replacement fields with
//! PEP 701 nesting), comments, brackets and backslash continuations, which is all it takes to
//! find where a logical line ends and whether it starts at column 0.
//!
//! A mistake here can only cost time or fall back to a whole-file parse: when a statement is
//! cut in two, the partial parse has a syntax error, and the caller then parses the whole file.

use super::comments::{is_ident_byte, string_prefix};

/// One logical line: `[start, end)` from its first token to its terminating newline (a
/// trailing comment included).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogicalLine {
    pub start: usize,
    pub end: usize,
    /// Index of the top-level statement it belongs to.
    pub chunk: usize,
    /// It contains the word `import`, `class` or `def` outside string literals.
    pub declares: bool,
    /// It looks like a syntax error: a stray closing bracket, an unterminated string, a
    /// compound statement header without `:`, a bad indentation (see `group`).
    pub suspect: bool,
    /// Its last token is a `:` at bracket depth 0: it opens an indented block.
    pub opens_block: bool,
    /// It holds `import` and a `*` outside brackets: a star import, which binds every name.
    pub star_import: bool,
}

/// The logical lines of a file and its top-level statements (chunks): contiguous byte ranges
/// that cover the whole file, each starting at a column-0 logical line (with the decorators and
/// `else` / `elif` / `except` / `finally` clauses that belong to it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    pub lines: Vec<LogicalLine>,
    pub chunks: Vec<(usize, usize)>,
    /// By chunk: it holds a suspect logical line. The prefilter parses suspect statements of
    /// the files it parses, so their syntax errors are reported (a cheap check, not a proof).
    pub suspect: Vec<bool>,
}

impl Layout {
    /// The logical line containing byte `offset` (`None` in blank and comment-only lines).
    pub fn line_at(&self, offset: usize) -> Option<&LogicalLine> {
        let index = self.lines.partition_point(|line| line.start <= offset);
        let line = self.lines.get(index.checked_sub(1)?)?;
        (offset < line.end.max(line.start + 1)).then_some(line)
    }
}

#[derive(Clone, Copy, Debug)]
enum Frame {
    /// Code; `depth` counts open brackets. The bottom frame is the file, the others are
    /// f-string replacement fields.
    Code {
        depth: u32,
    },
    Str {
        quote: u8,
        triple: bool,
        format: bool,
        raw: bool,
    },
    /// The format spec of a replacement field, literal text up to `}`.
    Spec,
}

struct Scanner<'a> {
    src: &'a [u8],
    stack: Vec<Frame>,
    lines: Vec<LogicalLine>,
    /// The logical line being read.
    open: Option<Open>,
}

#[derive(Clone, Copy, Default)]
struct Open {
    start: usize,
    declares: bool,
    imports: bool,
    star_import: bool,
    suspect: bool,
    /// A `:` at depth 0 was seen, and whether the last token so far is one.
    colon: bool,
    ends_with_colon: bool,
}

/// Compound statement keywords whose header must hold a `:`.
const HEADERS: [&[u8]; 11] =
    [b"def", b"class", b"if", b"elif", b"else", b"for", b"while", b"with", b"try", b"except", b"finally"];

/// Scans `src` into logical lines and top-level statements.
pub fn layout(src: &[u8]) -> Layout {
    let mut scanner = Scanner { src, stack: vec![Frame::Code { depth: 0 }], lines: Vec::new(), open: None };
    scanner.run();
    let lines = scanner.lines;
    group(src, lines)
}

impl Scanner<'_> {
    fn at(&self, index: usize) -> u8 {
        self.src.get(index).copied().unwrap_or(0)
    }

    fn end_line(&mut self, end: usize) {
        if let Some(open) = self.open.take() {
            let mut word = leading_word(&self.src[open.start..]);
            if word == b"async" {
                let rest = &self.src[open.start + 5..];
                let skip = rest.iter().position(|&byte| !matches!(byte, b' ' | b'\t')).unwrap_or(rest.len());
                word = leading_word(&rest[skip..]);
            }
            let missing_colon = HEADERS.contains(&word) && !open.colon;
            self.lines.push(LogicalLine {
                start: open.start,
                end,
                chunk: 0,
                declares: open.declares,
                suspect: open.suspect || missing_colon,
                opens_block: open.ends_with_colon,
                star_import: open.star_import,
            });
        }
    }

    fn mark_suspect(&mut self) {
        if let Some(open) = &mut self.open {
            open.suspect = true;
        }
    }

    fn run(&mut self) {
        let src = self.src;
        let len = src.len();
        let mut i = 0;
        while i < len {
            let top = self.stack.len() - 1;
            i = match self.stack[top] {
                Frame::Code { depth } => self.code(i, top, depth),
                Frame::Str { quote, triple, format, raw } => self.string(i, quote, triple, format, raw),
                Frame::Spec => self.spec(i, top),
            };
            if self.stack.is_empty() {
                self.stack.push(Frame::Code { depth: 0 });
            }
        }
        // An unclosed bracket or string at the end of the file.
        if self.stack.len() > 1 || matches!(self.stack[0], Frame::Code { depth } if depth > 0) {
            self.mark_suspect();
        }
        self.end_line(len);
    }

    fn code(&mut self, i: usize, top: usize, depth: u32) -> usize {
        let src = self.src;
        let byte = src[i];
        let at_file_level = top == 0 && depth == 0;
        match byte {
            b'\n' | b'\r' => {
                if at_file_level {
                    self.end_line(i);
                }
                i + 1
            }
            b' ' | b'\t' | b'\x0c' => i + 1,
            b'#' => {
                src[i..].iter().position(|&b| b == b'\n' || b == b'\r').map_or(src.len(), |offset| i + offset)
            }
            b'\\' if matches!(self.at(i + 1), b'\n' | b'\r') => {
                // A backslash continuation joins the next physical line.
                if self.at(i + 1) == b'\r' && self.at(i + 2) == b'\n' {
                    i + 3
                } else {
                    i + 2
                }
            }
            _ => {
                let walrus = self.at(i + 1) == b'=';
                let open = self.open.get_or_insert(Open { start: i, ..Open::default() });
                open.ends_with_colon = false;
                if byte == b':' && top == 0 && depth == 0 && !walrus {
                    open.colon = true;
                    open.ends_with_colon = true;
                }
                if byte == b'*' && top == 0 && depth == 0 && open.imports {
                    open.star_import = true;
                }
                self.token(i, top, depth)
            }
        }
    }

    fn token(&mut self, i: usize, top: usize, depth: u32) -> usize {
        let src = self.src;
        let byte = src[i];
        match byte {
            b'\'' | b'"' => self.open_string(i, false, false),
            b'(' | b'[' | b'{' => {
                self.stack[top] = Frame::Code { depth: depth + 1 };
                i + 1
            }
            b')' | b']' => {
                if depth == 0 {
                    self.mark_suspect();
                }
                self.stack[top] = Frame::Code { depth: depth.saturating_sub(1) };
                i + 1
            }
            b'}' => {
                if depth > 0 {
                    self.stack[top] = Frame::Code { depth: depth - 1 };
                } else if top > 0 {
                    self.stack.pop();
                } else {
                    self.mark_suspect();
                }
                i + 1
            }
            b':' if depth == 0 && top > 0 => {
                self.stack[top] = Frame::Spec;
                i + 1
            }
            _ if is_ident_byte(byte) => {
                let start = i;
                let mut end = i;
                while end < src.len() && is_ident_byte(src[end]) {
                    end += 1;
                }
                let word = &src[start..end];
                if matches!(word, b"import" | b"class" | b"def") {
                    if let Some(open) = &mut self.open {
                        open.declares = true;
                        open.imports |= word == b"import";
                    }
                }
                if matches!(self.at(end), b'\'' | b'"') {
                    if let Some((format, raw)) = string_prefix(word) {
                        return self.open_string(end, format, raw);
                    }
                }
                end
            }
            _ => i + 1,
        }
    }

    fn open_string(&mut self, i: usize, format: bool, raw: bool) -> usize {
        let quote = self.src[i];
        let triple = self.at(i + 1) == quote && self.at(i + 2) == quote;
        self.stack.push(Frame::Str { quote, triple, format, raw });
        if triple {
            i + 3
        } else {
            i + 1
        }
    }

    fn string(&mut self, i: usize, quote: u8, triple: bool, format: bool, raw: bool) -> usize {
        let src = self.src;
        let byte = src[i];
        match byte {
            b'\\' => {
                let next = self.at(i + 1);
                if format && !raw && next == b'N' && self.at(i + 2) == b'{' {
                    let close = src[i + 3..]
                        .iter()
                        .position(|&b| b == b'}' || b == quote || b == b'\n')
                        .map_or(src.len(), |offset| i + 3 + offset);
                    if self.at(close) == b'}' {
                        close + 1
                    } else {
                        close
                    }
                } else if format && next == b'{' {
                    i + 1
                } else if next == b'\r' && self.at(i + 2) == b'\n' {
                    i + 3
                } else {
                    (i + 2).min(src.len())
                }
            }
            _ if byte == quote => {
                if !triple {
                    self.stack.pop();
                    i + 1
                } else if self.at(i + 1) == quote && self.at(i + 2) == quote {
                    self.stack.pop();
                    i + 3
                } else {
                    i + 1
                }
            }
            b'\n' | b'\r' if !triple => {
                // Unterminated single-quoted string: it ends at the line end, which the code
                // frame below then sees.
                self.stack.pop();
                self.mark_suspect();
                i
            }
            b'{' if format => {
                if self.at(i + 1) == b'{' {
                    i + 2
                } else {
                    self.stack.push(Frame::Code { depth: 0 });
                    i + 1
                }
            }
            _ => i + 1,
        }
    }

    fn spec(&mut self, i: usize, top: usize) -> usize {
        let byte = self.src[i];
        let (quote, triple) = match top.checked_sub(1).and_then(|index| self.stack.get(index)) {
            Some(Frame::Str { quote, triple, .. }) => (*quote, *triple),
            _ => (0, true),
        };
        match byte {
            b'{' => {
                self.stack.push(Frame::Code { depth: 0 });
                i + 1
            }
            b'}' => {
                self.stack.pop();
                i + 1
            }
            b'\\' => (i + 2).min(self.src.len()),
            b'\n' | b'\r' if !triple => {
                self.stack.pop();
                self.stack.pop();
                i
            }
            _ if byte == quote => {
                self.stack.pop();
                i
            }
            _ => i + 1,
        }
    }
}

/// Groups logical lines into top-level statements.
fn group(src: &[u8], mut lines: Vec<LogicalLine>) -> Layout {
    let mut starts = vec![0];
    let mut previous_is_decorator = false;
    for (index, line) in lines.iter().enumerate() {
        let column_zero = line.start == 0 || matches!(src[line.start - 1], b'\n' | b'\r');
        let word = leading_word(&src[line.start..]);
        let continues = matches!(word, b"else" | b"elif" | b"except" | b"finally");
        if index > 0 && column_zero && !continues && !previous_is_decorator {
            starts.push(line.start);
        }
        previous_is_decorator = column_zero && src[line.start] == b'@';
    }
    let mut chunks = Vec::with_capacity(starts.len());
    for (index, &start) in starts.iter().enumerate() {
        let end = starts.get(index + 1).copied().unwrap_or(src.len());
        chunks.push((start, end));
    }
    check_indentation(src, &mut lines);
    let mut suspect = vec![false; chunks.len()];
    let mut chunk = 0;
    for line in &mut lines {
        while chunk + 1 < chunks.len() && chunks[chunk + 1].0 <= line.start {
            chunk += 1;
        }
        line.chunk = chunk;
        suspect[chunk] |= line.suspect;
    }
    Layout { lines, chunks, suspect }
}

/// Marks logical lines whose indentation Python would reject: an indent after a line that
/// opens no block, no indent after one that does, a dedent to a column never used.
fn check_indentation(src: &[u8], lines: &mut [LogicalLine]) {
    let mut stack = vec![0usize];
    let mut opens_block = false;
    for index in 0..lines.len() {
        let line = &mut lines[index];
        let line_start =
            src[..line.start].iter().rposition(|&b| b == b'\n' || b == b'\r').map_or(0, |at| at + 1);
        let column = line.start - line_start;
        let top = stack.last().copied().unwrap_or(0);
        let (bad, no_block) = if column > top {
            stack.push(column);
            (!opens_block, false)
        } else {
            while stack.last().is_some_and(|&level| level > column) {
                stack.pop();
            }
            (opens_block || stack.last() != Some(&column), opens_block)
        };
        line.suspect |= bad;
        opens_block = line.opens_block;
        if no_block {
            // The header without a block is the broken statement (it may be a chunk of its own).
            lines[index - 1].suspect = true;
        }
    }
}

fn leading_word(text: &[u8]) -> &[u8] {
    let end = text.iter().position(|&byte| !is_ident_byte(byte)).unwrap_or(text.len());
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk_texts(src: &str) -> Vec<&str> {
        layout(src.as_bytes()).chunks.iter().map(|&(start, end)| &src[start..end]).collect()
    }

    #[test]
    fn top_level_statements_keep_their_clauses_and_decorators() {
        let src = "import os\n\n@decorator\ndef f(\n    a,\n):\n    return a\n\ntry:\n    x = 1\nexcept E:\n    pass\nx = 2\n";
        assert_eq!(
            chunk_texts(src),
            vec![
                "import os\n\n",
                "@decorator\ndef f(\n    a,\n):\n    return a\n\n",
                "try:\n    x = 1\nexcept E:\n    pass\n",
                "x = 2\n"
            ]
        );
    }

    #[test]
    fn strings_comments_and_continuations_do_not_start_statements() {
        let src = "x = '''\nimport y\n'''\n# import z\ny = 1 + \\\n2\nz = f\"{a['k']:>{w}}\" # c\n";
        let layout = layout(src.as_bytes());
        assert_eq!(
            chunk_texts(src),
            vec!["x = '''\nimport y\n'''\n# import z\n", "y = 1 + \\\n2\n", "z = f\"{a['k']:>{w}}\" # c\n"]
        );
        // `import` inside the string is not a declaration; the comment line is no logical line.
        assert!(!layout.lines[0].declares);
        assert_eq!(layout.line_at(src.find("# import").unwrap()), None);
    }

    #[test]
    fn declaring_lines_are_marked() {
        let src = "if T: from a import B\nclass C(B):\n    def m(self): pass\nuse(B)\n";
        let layout = layout(src.as_bytes());
        let declares: Vec<bool> = layout.lines.iter().map(|line| line.declares).collect();
        assert_eq!(declares, vec![true, true, true, false]);
        let star = super::layout(b"from a import *\nx = a * b\n");
        assert_eq!(star.lines.iter().map(|line| line.star_import).collect::<Vec<_>>(), vec![true, false]);
        assert_eq!(layout.lines.iter().map(|line| line.chunk).collect::<Vec<_>>(), vec![0, 1, 1, 2]);
    }

    #[test]
    fn statements_that_look_broken_are_suspect() {
        let suspect = |src: &str| layout(src.as_bytes()).suspect;
        assert_eq!(suspect("def f(x)\n    return x\n\ny = 1\n"), vec![true, false]);
        assert_eq!(suspect("x = 1)\ny = 'abc\nz = 2\n"), vec![true, true, false]);
        assert_eq!(suspect("x = 1\n    y = 2\nif x:\npass\n"), vec![true, true, true]);
        assert_eq!(suspect("class A:\n    def f(self):\n        pass\n  x = 1\n"), vec![true]);
        let fine = "async def f(a: int) -> Dict[str, int]:  # c\n    if a: return {'k': a[1:2]}\n    x = lambda: 0\n";
        assert_eq!(suspect(fine), vec![false]);
        assert_eq!(suspect("s = '''\nabc\n"), vec![true]);
    }

    #[test]
    fn an_unclosed_bracket_keeps_the_rest_in_one_statement() {
        let src = "def broken(:\n    return x\n\n\nfrom a import B\n";
        assert_eq!(chunk_texts(src), vec![src]);
    }
}
