//! A small Rust lexer that finds `//` line comments outside literals.
//!
//! syn drops comments, so `// ssot: ignore[...]` suppressions are read from the text. The lexer
//! knows what can hide a `//`: string literals (`"..."`, `b"..."`, `c"..."` with escapes, raw
//! strings `r#"..."#` with any number of `#`), char and byte literals (`'"'`, `b'\''`, told apart
//! from lifetimes `'a`) and nested block comments (`/* /* */ */`).
//!
//! It also measures how deep a parse of the file can recurse (`max_nesting`): syn recurses once
//! per bracket, per prefix operator (`!!!!x`), per closure (`|| || x`), and the syntax tree
//! of a chain (`a.b().c()...`, `a + b + ...`) is as deep as the chain is long. So the measure
//! is, at each token, the sum over the enclosing bracket levels of the tokens seen on that level
//! since its last `,` or `;`: an upper bound on the recursion depth that stays small for real
//! code (a 100k-element array literal measures 2, not 100k).

use crate::suppress::Comment;

/// What one pass over the text finds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scan {
    /// Every `//` comment (doc comments included), from `//` to just before the line ending,
    /// in order.
    pub comments: Vec<Comment>,
    /// The largest recursion bound seen (see the module doc).
    pub max_nesting: usize,
    /// Where `max_nesting` was first reached.
    pub max_nesting_at: usize,
}

/// The length of the UTF-8 sequence a leading byte starts (1 for anything unexpected).
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xF0..=0xF7 => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

fn is_ident_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte >= 0x80
}

struct Lexer<'a> {
    src: &'a [u8],
    i: usize,
    line: usize,
    /// Tokens since the last `,` or `;` on each open bracket level (the file is level 0).
    runs: Vec<usize>,
    /// The sum of `runs`.
    nesting: usize,
    scan: Scan,
}

impl Lexer<'_> {
    fn at(&self, index: usize) -> u8 {
        self.src.get(index).copied().unwrap_or(0)
    }

    /// Moves to `to`, counting the line breaks passed.
    fn advance_to(&mut self, to: usize) {
        let to = to.min(self.src.len());
        self.line += self.src[self.i..to].iter().filter(|&&b| b == b'\n').count();
        self.i = to;
    }

    fn run(mut self) -> Scan {
        while self.i < self.src.len() {
            let byte = self.src[self.i];
            match byte {
                b'/' if self.at(self.i + 1) == b'/' => self.line_comment(),
                b'/' if self.at(self.i + 1) == b'*' => self.block_comment(),
                b'\n' => {
                    self.line += 1;
                    self.i += 1;
                }
                _ if byte.is_ascii_whitespace() => self.i += 1,
                _ => {
                    self.token(byte);
                    match byte {
                        b'"' => self.quoted(self.i + 1, b'"'),
                        b'\'' => self.char_or_lifetime(),
                        _ if is_ident_byte(byte) => self.word(),
                        _ => self.i += 1,
                    }
                }
            }
        }
        self.scan
    }

    /// Counts the token starting with `byte` at `self.i` towards the nesting measure.
    fn token(&mut self, byte: u8) {
        match byte {
            b',' | b';' => {
                let run = self.runs.last_mut().map_or(0, std::mem::take);
                self.nesting -= run;
                return;
            }
            b')' | b']' | b'}' if self.runs.len() > 1 => {
                self.nesting -= self.runs.pop().unwrap_or(0);
            }
            _ => {}
        }
        if let Some(run) = self.runs.last_mut() {
            *run += 1;
            self.nesting += 1;
        }
        if matches!(byte, b'(' | b'[' | b'{') {
            self.runs.push(0);
        }
        if self.nesting > self.scan.max_nesting {
            self.scan.max_nesting = self.nesting;
            self.scan.max_nesting_at = self.i;
        }
    }

    fn line_comment(&mut self) {
        let start = self.i;
        let end = self.src[start..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(self.src.len(), |offset| start + offset);
        self.scan.comments.push(Comment { start, end, line: self.line });
        self.i = end;
    }

    /// `/* ... */`, nested; unterminated runs to the end of the file.
    fn block_comment(&mut self) {
        let mut nesting = 0usize;
        let mut j = self.i;
        while j < self.src.len() {
            if self.src[j] == b'/' && self.at(j + 1) == b'*' {
                nesting += 1;
                j += 2;
            } else if self.src[j] == b'*' && self.at(j + 1) == b'/' {
                nesting -= 1;
                j += 2;
                if nesting == 0 {
                    break;
                }
            } else {
                j += 1;
            }
        }
        self.advance_to(j);
    }

    /// A literal that ends at an unescaped `quote`, starting after its opening quote.
    fn quoted(&mut self, from: usize, quote: u8) {
        let mut j = from;
        while j < self.src.len() {
            match self.src[j] {
                b'\\' => j += 2,
                byte if byte == quote => {
                    j += 1;
                    break;
                }
                _ => j += 1,
            }
        }
        self.advance_to(j);
    }

    /// `r"..."`, `r#"..."#`: `hashes_at` is the index after the `r`. Not followed by `#*"`
    /// (a raw identifier `r#name`), nothing is consumed but the `r`.
    fn raw_string(&mut self, hashes_at: usize) {
        let hashes = self.src[hashes_at..].iter().take_while(|&&b| b == b'#').count();
        if self.at(hashes_at + hashes) != b'"' {
            self.i = hashes_at;
            return;
        }
        let body = hashes_at + hashes + 1;
        let mut j = body;
        let end = loop {
            match self.src[j..].iter().position(|&b| b == b'"') {
                None => break self.src.len(),
                Some(offset) => {
                    let quote = j + offset;
                    let closing =
                        self.src[quote + 1..].iter().take(hashes).take_while(|&&b| b == b'#').count();
                    if closing == hashes {
                        break quote + 1 + hashes;
                    }
                    j = quote + 1;
                }
            }
        };
        self.advance_to(end);
    }

    /// `'x'`, `'\n'`, `'\u{1F600}'`, `'"'` are char literals; `'a` and `'static` are lifetimes.
    fn char_or_lifetime(&mut self) {
        let i = self.i;
        if self.at(i + 1) == b'\\' {
            self.quoted(i + 1, b'\'');
            return;
        }
        let char_len = utf8_len(self.at(i + 1));
        if self.at(i + 1 + char_len) == b'\'' && self.at(i + 1) != b'\n' {
            self.advance_to(i + 2 + char_len);
        } else {
            self.i = i + 1;
        }
    }

    /// An identifier, or the prefix of a literal: `b"`, `b'`, `c"`, `r"`, `r#"`, `br"`, `cr#"`.
    fn word(&mut self) {
        let start = self.i;
        let mut end = start;
        while end < self.src.len() && is_ident_byte(self.src[end]) {
            end += 1;
        }
        let next = self.at(end);
        match (&self.src[start..end], next) {
            (b"b" | b"c", b'"') => self.quoted(end + 1, b'"'),
            (b"b", b'\'') => {
                self.i = end;
                self.char_or_lifetime();
            }
            (b"r" | b"br" | b"cr", b'"' | b'#') => self.raw_string(end),
            _ => self.i = end,
        }
    }
}

/// Every `//` comment outside literals and block comments, and the nesting measure.
pub(crate) fn scan(src: &[u8]) -> Scan {
    Lexer { src, i: 0, line: 1, runs: vec![0], nesting: 0, scan: Scan::default() }.run()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment_texts(src: &str) -> Vec<(usize, &str)> {
        scan(src.as_bytes()).comments.iter().map(|c| (c.line, &src[c.start..c.end])).collect()
    }

    #[test]
    fn line_and_doc_comments_are_found_with_their_lines() {
        let src = "/// doc\nfn f() {} // trailing\r\n  // own line\nlet x = 1;";
        assert_eq!(comment_texts(src), vec![(1, "/// doc"), (2, "// trailing"), (3, "// own line")]);
    }

    #[test]
    fn slashes_inside_literals_are_not_comments() {
        let src = concat!(
            "let a = \"http://x // no\"; // yes1\n",
            "let b = \"esc \\\" // no\"; // yes2\n",
            "let c = r#\"raw \" // no\"#; // yes3\n",
            "let d = br##\"x\"# // no\"##; // yes4\n",
            "let e = b\"// no\"; let f = c\"// no\"; // yes5\n",
            "let g = '\"'; let h = b'\\''; // yes6\n",
            "let i = \"multi\n// no\nline\"; // yes7\n",
        );
        let found: Vec<&str> = comment_texts(src).into_iter().map(|(_, text)| text).collect();
        assert_eq!(found, vec!["// yes1", "// yes2", "// yes3", "// yes4", "// yes5", "// yes6", "// yes7"]);
        let lines: Vec<usize> = comment_texts(src).into_iter().map(|(line, _)| line).collect();
        assert_eq!(lines, vec![1, 2, 3, 4, 5, 6, 9]);
    }

    #[test]
    fn lifetimes_do_not_open_char_literals() {
        let src = "fn f<'a>(x: &'a str) -> &'static str { x } // yes\nlet c = 'é'; // yes2\n";
        assert_eq!(comment_texts(src), vec![(1, "// yes"), (2, "// yes2")]);
    }

    #[test]
    fn nested_block_comments_hide_line_comments() {
        let src = "/* outer /* inner */ // no\n still */ x(); // yes\n/* unterminated // no";
        assert_eq!(comment_texts(src), vec![(2, "// yes")]);
    }

    #[test]
    fn raw_identifiers_are_not_raw_strings() {
        let src = "let r#type = 1; // yes\nlet r = 2; // yes2\n";
        assert_eq!(comment_texts(src), vec![(1, "// yes"), (2, "// yes2")]);
    }

    #[test]
    fn unterminated_literals_end_the_scan_without_panicking() {
        for src in ["\"open", "r#\"open", "'", "b'", "r#", "/*", "'\\", "'é"] {
            let scan = scan(src.as_bytes());
            assert!(scan.comments.is_empty(), "{src:?}");
        }
    }

    fn nesting(src: &str) -> (usize, usize) {
        let scan = scan(src.as_bytes());
        (scan.max_nesting, scan.max_nesting_at)
    }

    #[test]
    fn nesting_counts_tokens_per_bracket_level_since_the_last_separator() {
        // `fn f ( ) {` = 5 tokens at level 0, then `g ( h [ 0` at levels 1..3.
        assert_eq!(nesting("fn f() { g(h[0]); }"), (10, 13));
        // Literals and comments are one token or none.
        assert_eq!(nesting("let s = \"(((((\"; // [[[[[\n/* {{{{ */ x"), (4, 8));
        assert_eq!(nesting(""), (0, 0));
    }

    #[test]
    fn separators_keep_long_lists_shallow_but_not_long_chains() {
        let array = format!("[{}]", vec!["1"; 1000].join(", "));
        assert_eq!(nesting(&array).0, 2);
        let chain = format!("a{}", ".b(1, 2)".repeat(1000));
        assert!(nesting(&chain).0 > 4000, "{}", nesting(&chain).0);
        let unary = format!("{}x", "!".repeat(1000));
        assert_eq!(nesting(&unary).0, 1001);
        let parens = format!("{}1{}", "(".repeat(500), ")".repeat(500));
        assert_eq!(nesting(&parens).0, 501);
    }
}
