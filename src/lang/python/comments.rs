//! A small Python-aware comment scanner.
//!
//! It knows enough about string literals (prefixes, single and triple quotes, backslash escapes,
//! f-/t-string replacement fields including PEP 701 nesting) to find every `#` comment that is
//! outside a string. The result feeds two things: `# ssot: ignore` suppressions, and blanking
//! comment bytes before parsing (tree-sitter-python's indentation scanner is quadratic on long
//! runs of comment lines at varying indentation).
//!
//! A mistake here can never break a parse (the caller re-parses the original text when the
//! blanked text has an error); at worst it costs time or misses a suppression.

use crate::facts::{LineSuppression, Suppressions};

/// One `#` comment: `[start, end)` runs from the `#` to just before the line ending.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment {
    pub start: usize,
    pub end: usize,
    /// 1-based line of the comment.
    pub line: usize,
}

#[derive(Clone, Copy, Debug)]
enum Frame {
    /// Code. `depth` counts open brackets; the bottom frame is the file itself, the others are
    /// f-string replacement fields (which end at a `}` or `:` at depth 0).
    Code { depth: u32 },
    /// Inside a string literal.
    Str { quote: u8, triple: bool, format: bool, raw: bool },
    /// The format spec of a replacement field (`{x:>{width}}`), literal text up to `}`.
    Spec,
}

pub(super) fn is_ident_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte >= 0x80
}

/// `Some((format, raw))` when `word` is a string prefix (`r`, `b`, `u`, `f`, `t`, any case or
/// combination, at most three letters).
pub(super) fn string_prefix(word: &[u8]) -> Option<(bool, bool)> {
    if word.is_empty() || word.len() > 3 {
        return None;
    }
    let mut format = false;
    let mut raw = false;
    for &byte in word {
        match byte.to_ascii_lowercase() {
            b'f' | b't' => format = true,
            b'r' => raw = true,
            b'b' | b'u' => {}
            _ => return None,
        }
    }
    Some((format, raw))
}

/// Every comment outside string literals, in order.
pub fn scan(src: &[u8]) -> Vec<Comment> {
    let mut comments = Vec::new();
    let mut stack = vec![Frame::Code { depth: 0 }];
    let len = src.len();
    let at = |index: usize| src.get(index).copied().unwrap_or(0);
    let mut i = 0;
    while i < len {
        let byte = src[i];
        let top = stack.len() - 1;
        match stack[top] {
            Frame::Code { depth } => match byte {
                b'#' => {
                    let end = src[i..]
                        .iter()
                        .position(|&b| b == b'\n' || b == b'\r')
                        .map_or(len, |offset| i + offset);
                    comments.push(Comment { start: i, end, line: 0 });
                    i = end;
                }
                b'\'' | b'"' => {
                    i = open_string(&mut stack, src, i, false, false);
                }
                b'(' | b'[' | b'{' => {
                    stack[top] = Frame::Code { depth: depth + 1 };
                    i += 1;
                }
                b')' | b']' => {
                    stack[top] = Frame::Code { depth: depth.saturating_sub(1) };
                    i += 1;
                }
                b'}' => {
                    if depth > 0 {
                        stack[top] = Frame::Code { depth: depth - 1 };
                    } else if top > 0 {
                        // End of a replacement field: back into the string.
                        stack.pop();
                    }
                    i += 1;
                }
                b':' if depth == 0 && top > 0 => {
                    stack[top] = Frame::Spec;
                    i += 1;
                }
                _ if is_ident_byte(byte) => {
                    let start = i;
                    while i < len && is_ident_byte(src[i]) {
                        i += 1;
                    }
                    if matches!(at(i), b'\'' | b'"') {
                        if let Some((format, raw)) = string_prefix(&src[start..i]) {
                            i = open_string(&mut stack, src, i, format, raw);
                        }
                    }
                }
                _ => i += 1,
            },
            Frame::Str { quote, triple, format, raw } => match byte {
                b'\\' => {
                    let next = at(i + 1);
                    if format && !raw && next == b'N' && at(i + 2) == b'{' {
                        // `\N{NAME}` in a non-raw f-string is an escape, not a field.
                        let close = src[i + 3..]
                            .iter()
                            .position(|&b| b == b'}' || b == quote || b == b'\n')
                            .map_or(len, |offset| i + 3 + offset);
                        i = if at(close) == b'}' { close + 1 } else { close };
                    } else if format && next == b'{' {
                        i += 1;
                    } else if next == b'\r' && at(i + 2) == b'\n' {
                        i += 3;
                    } else {
                        i = (i + 2).min(len);
                    }
                }
                _ if byte == quote => {
                    if !triple {
                        stack.pop();
                        i += 1;
                    } else if at(i + 1) == quote && at(i + 2) == quote {
                        stack.pop();
                        i += 3;
                    } else {
                        i += 1;
                    }
                }
                b'\n' | b'\r' if !triple => {
                    // Unterminated single-quoted string: it ends at the line end.
                    stack.pop();
                    i += 1;
                }
                b'{' if format => {
                    if at(i + 1) == b'{' {
                        i += 2;
                    } else {
                        stack.push(Frame::Code { depth: 0 });
                        i += 1;
                    }
                }
                _ => i += 1,
            },
            Frame::Spec => {
                let (quote, triple) = match top.checked_sub(1).and_then(|index| stack.get(index)) {
                    Some(Frame::Str { quote, triple, .. }) => (*quote, *triple),
                    _ => (0, true),
                };
                match byte {
                    b'{' => {
                        stack.push(Frame::Code { depth: 0 });
                        i += 1;
                    }
                    b'}' => {
                        stack.pop();
                        i += 1;
                    }
                    b'\\' => i = (i + 2).min(len),
                    b'\n' | b'\r' if !triple => {
                        // The single-quoted string ends here (unterminated).
                        stack.pop();
                        stack.pop();
                        i += 1;
                    }
                    _ if byte == quote => {
                        // The closing quote ends the field; let the string frame see it.
                        stack.pop();
                    }
                    _ => i += 1,
                }
            }
        }
        if stack.is_empty() {
            stack.push(Frame::Code { depth: 0 });
        }
    }
    number_lines(src, &mut comments);
    comments
}

/// Pushes a string frame for the quote at `i` and returns the index after the opening quote(s).
fn open_string(stack: &mut Vec<Frame>, src: &[u8], i: usize, format: bool, raw: bool) -> usize {
    let quote = src[i];
    let triple = src.get(i + 1) == Some(&quote) && src.get(i + 2) == Some(&quote);
    stack.push(Frame::Str { quote, triple, format, raw });
    if triple {
        i + 3
    } else {
        i + 1
    }
}

fn number_lines(src: &[u8], comments: &mut [Comment]) {
    let mut line = 1;
    let mut offset = 0;
    for comment in comments {
        line += src[offset..comment.start].iter().filter(|&&b| b == b'\n').count();
        offset = comment.start;
        comment.line = line;
    }
}

/// A copy of `src` with every comment byte replaced by a space (line endings untouched).
pub fn blank(src: &[u8], comments: &[Comment]) -> Vec<u8> {
    let mut out = src.to_vec();
    for comment in comments {
        if let Some(bytes) = out.get_mut(comment.start..comment.end) {
            bytes.fill(b' ');
        }
    }
    out
}

/// `# ssot: ignore`, `# ssot: ignore[a, b]` and `# ssot: ignore-file` (SPEC 4.2).
pub fn suppressions(src: &str, comments: &[Comment]) -> Suppressions {
    let mut suppressions = Suppressions::default();
    for comment in comments {
        let Some(text) = src.get(comment.start..comment.end) else {
            continue;
        };
        let mut line: Option<Vec<String>> = None;
        for directive in directives(text) {
            match directive {
                Directive::File => suppressions.whole_file = true,
                Directive::Line(rules) => {
                    line = Some(match line {
                        None => rules,
                        // An unrestricted ignore wins; otherwise merge the lists.
                        Some(previous) if previous.is_empty() || rules.is_empty() => Vec::new(),
                        Some(mut previous) => {
                            previous.extend(rules);
                            previous
                        }
                    });
                }
            }
        }
        if let Some(rules) = line {
            suppressions.lines.push(LineSuppression { line: comment.line, rules });
        }
    }
    suppressions
}

enum Directive {
    File,
    Line(Vec<String>),
}

/// Every `ssot: ignore...` directive in one comment's text.
fn directives(text: &str) -> Vec<Directive> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(offset) = text.get(from..).and_then(|rest| rest.find("ssot")) {
        let start = from + offset;
        from = start + 4;
        if start > 0 && is_ident_byte(bytes[start - 1]) {
            continue;
        }
        let rest = text[from..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix("ignore") else {
            continue;
        };
        if let Some(after) = rest.strip_prefix("-file") {
            if !after.bytes().next().is_some_and(|b| is_ident_byte(b) || b == b'-') {
                found.push(Directive::File);
            }
            continue;
        }
        if let Some(list) = rest.strip_prefix('[') {
            let inside = list.find(']').map_or(list, |close| &list[..close]);
            let rules = inside
                .split(',')
                .map(str::trim)
                .filter(|rule| !rule.is_empty())
                .map(str::to_string)
                .collect();
            found.push(Directive::Line(rules));
            continue;
        }
        if !rest.bytes().next().is_some_and(|b| is_ident_byte(b) || b == b'-') {
            found.push(Directive::Line(Vec::new()));
        }
    }
    found
}
