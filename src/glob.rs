//! Dotted-name globs (SPEC §4.1).
//!
//! A pattern is split on `.` and `::` into segments (both separate segments, in patterns and in
//! chains alike, so `**.ctx.manager` matches Rust's `self.ctx.manager` and `a::b::*` matches
//! `a::b::c`). `*` inside a segment matches any run of characters
//! within that segment; a segment that is exactly `*` matches one whole segment; a leading `**.`
//! matches zero or more leading segments. A pattern matches a dotted chain as a whole.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DottedGlob {
    source: String,
    /// True when the pattern starts with `**.`.
    any_prefix: bool,
    segments: Vec<String>,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid dotted-name glob `{pattern}`: {reason}")]
pub struct GlobError {
    pub pattern: String,
    pub reason: &'static str,
}

impl DottedGlob {
    pub fn new(pattern: &str) -> Result<Self, GlobError> {
        let error = |reason| GlobError { pattern: pattern.to_string(), reason };
        let (any_prefix, rest) = match pattern.strip_prefix("**.").or_else(|| pattern.strip_prefix("**::")) {
            Some(rest) => (true, rest),
            None => (false, pattern),
        };
        if rest.is_empty() {
            return Err(error("the pattern is empty"));
        }
        let segments: Vec<String> = split_segments(rest).map(str::to_string).collect();
        for segment in &segments {
            if segment.is_empty() {
                return Err(error("empty segment (two dots in a row, or a leading/trailing dot)"));
            }
            if segment.contains("**") {
                return Err(error("`**` is only allowed as the leading segment `**.`"));
            }
            if !segment.chars().all(|c| c == '*' || c == '_' || c.is_alphanumeric()) {
                return Err(error("segments may only contain identifier characters and `*`"));
            }
        }
        Ok(DottedGlob { source: pattern.to_string(), any_prefix, segments })
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// True when the pattern has no wildcard at all (it names exactly one chain).
    pub fn is_literal(&self) -> bool {
        !self.any_prefix && !self.source.contains('*')
    }

    /// The last segment when it has no wildcard: every name the pattern matches ends with it.
    pub(crate) fn last_literal(&self) -> Option<&str> {
        self.segments.last().map(String::as_str).filter(|last| !last.contains('*'))
    }

    /// The literal identifier fragments of the pattern (for prefiltering).
    pub fn literal_fragments(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().flat_map(|segment| segment.split('*')).filter(|part| !part.is_empty())
    }

    /// Does the pattern match the chain's spelling or its qualified name (what it refers to
    /// through the file's imports)?
    pub(crate) fn matches_chain(&self, chain: &crate::facts::Chain) -> bool {
        chain.names().any(|name| self.matches(name))
    }

    /// Does the pattern match the dotted chain `dotted` as a whole?
    pub fn matches(&self, dotted: &str) -> bool {
        // Most chains end in another name: reject them before splitting anything.
        if let Some(last) = self.segments.last().filter(|last| !last.contains('*')) {
            let Some(head) = dotted.strip_suffix(last.as_str()) else { return false };
            if !(head.is_empty() || head.ends_with('.') || head.ends_with("::")) {
                return false;
            }
        }
        let count = segment_count(dotted);
        if count < self.segments.len() || (!self.any_prefix && count != self.segments.len()) {
            return false;
        }
        split_segments(dotted)
            .skip(count - self.segments.len())
            .zip(&self.segments)
            .all(|(name, pattern)| segment_matches(pattern, name))
    }
}

impl fmt::Display for DottedGlob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// The segments of a chain or pattern: split on `::` and on `.` (left to right, as
/// `split("::")` then `split('.')` would, without a substring searcher per call: this runs for
/// every chain and pattern).
fn split_segments(dotted: &str) -> Segments<'_> {
    Segments { rest: Some(dotted) }
}

/// How many segments `split_segments` yields.
fn segment_count(dotted: &str) -> usize {
    let bytes = dotted.as_bytes();
    let (mut count, mut index) = (1, 0);
    while index < bytes.len() {
        match bytes[index] {
            b'.' => count += 1,
            b':' if bytes.get(index + 1) == Some(&b':') => {
                count += 1;
                index += 1;
            }
            _ => {}
        }
        index += 1;
    }
    count
}

struct Segments<'a> {
    rest: Option<&'a str>,
}

impl<'a> Iterator for Segments<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        let bytes = rest.as_bytes();
        for (index, &byte) in bytes.iter().enumerate() {
            let separator = match byte {
                b'.' => 1,
                b':' if bytes.get(index + 1) == Some(&b':') => 2,
                _ => continue,
            };
            // Separators are ASCII: both slices start and end on char boundaries.
            self.rest = rest.get(index + separator..);
            return rest.get(..index);
        }
        self.rest = None;
        Some(rest)
    }
}

/// Wildcard match of one segment where `*` matches any run of characters (no backtracking
/// blow-up: greedy with one restart point, the classic linear-space algorithm).
fn segment_matches(pattern: &str, name: &str) -> bool {
    let pattern = pattern.as_bytes();
    let name = name.as_bytes();
    let (mut p, mut n) = (0, 0);
    let mut restart: Option<(usize, usize)> = None;
    while n < name.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            restart = Some((p, n));
            p += 1;
        } else if p < pattern.len() && pattern[p] == name[n] {
            p += 1;
            n += 1;
        } else if let Some((star, matched)) = restart {
            p = star + 1;
            n = matched + 1;
            restart = Some((star, matched + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&byte| byte == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, dotted: &str) -> bool {
        DottedGlob::new(pattern).unwrap().matches(dotted)
    }

    #[test]
    fn leading_double_star_matches_zero_or_more_segments() {
        assert!(matches("**.context.websocket_manager", "self.context.websocket_manager"));
        assert!(matches("**.context.websocket_manager", "context.websocket_manager"));
        assert!(matches("**.context.websocket_manager", "a.b.context.websocket_manager"));
        assert!(!matches("**.context.websocket_manager", "ctx.websocket_manager"));
        assert!(!matches("**.context.websocket_manager", "context.websocket_manager.send"));
    }

    #[test]
    fn without_double_star_the_chain_matches_as_a_whole() {
        assert!(!matches("context.websocket_manager", "self.context.websocket_manager"));
        assert!(matches("context.websocket_manager", "context.websocket_manager"));
    }

    #[test]
    fn star_inside_and_as_a_segment() {
        assert!(matches("**.user_emitter.notify_*", "self.user_emitter.notify_agent_started"));
        assert!(matches("notify_*", "notify_"));
        assert!(!matches("notify_*", "self.notify_x"));
        assert!(matches("app.*.emit", "app.events.emit"));
        assert!(!matches("app.*.emit", "app.emit"));
        assert!(!matches("app.*.emit", "app.a.b.emit"));
        assert!(matches("*WebSocketManager", "UnifiedWebSocketManager"));
        assert!(matches("*WebSocket*Factory", "WebSocketManagerFactory"));
        assert!(!matches("*WebSocketManager", "WebSocketManagerFactory"));
        assert!(matches("a*b*c", "abbbc"));
        assert!(!matches("a*b*c", "abbbcd"));
    }

    #[test]
    fn rust_separators_split_segments_too() {
        assert!(matches("**.ctx.manager", "self.ctx.manager"));
        assert!(matches("**.Manager::create", "ws::Manager::create"));
        assert!(matches("a::b::*", "a::b::c"));
        assert!(matches("a.b.*", "a::b::c"));
        assert!(matches("**::legacy_send", "conn.legacy_send"));
        assert!(matches("Registry::global.*", "Registry::global.send"));
        assert!(!matches("a::b::*", "a::b::c::d"));
        assert!(!matches("**::c", "a::bc"));
    }

    #[test]
    fn segments_split_like_str_split() {
        for dotted in [
            "", "a", "a.b", "a::b", "a::b.c", "a..b", ".a", "a.", "a:::b", "a:b", "::a", "a::", "::",
            "é.ü::x",
        ] {
            let expected: Vec<&str> = dotted.split("::").flat_map(|part| part.split('.')).collect();
            assert_eq!(split_segments(dotted).collect::<Vec<_>>(), expected, "{dotted:?}");
            assert_eq!(segment_count(dotted), expected.len(), "{dotted:?}");
        }
    }

    #[test]
    fn chains_match_by_spelling_or_qualified_name() {
        let glob = DottedGlob::new("ssl.create_default_context").unwrap();
        let mut chain = crate::facts::Chain::new("cdc".to_string(), crate::facts::Span::default());
        assert!(!glob.matches_chain(&chain));
        chain.qualified = Some("ssl.create_default_context".to_string());
        assert!(glob.matches_chain(&chain));
        assert_eq!(chain.describe("()"), "cdc() (ssl.create_default_context)");
        let spelled = crate::facts::Chain::new("ssl.create_default_context".to_string(), chain.span);
        assert!(glob.matches_chain(&spelled));
        assert_eq!(spelled.describe(""), "ssl.create_default_context");
    }

    #[test]
    fn invalid_patterns_are_rejected() {
        for bad in
            ["", "**.", "**::", "a..b", ".a", "a.", "a.**.b", "a-b", "**", "a:::b", "a:b", "a::.b", "::a"]
        {
            assert!(DottedGlob::new(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}
