//! Arbitrary `pattern\nchain` pairs: compile the dotted glob and match the chain, checked
//! against a slow but obviously correct reference matcher (dynamic programming per segment).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ssot_lint::glob::DottedGlob;

/// Does one pattern segment (`*` = any run of characters) match one name?
fn segment_reference(pattern: &[char], name: &[char]) -> bool {
    // matched[j]: the pattern prefix read so far matches name[..j].
    let mut matched = vec![false; name.len() + 1];
    matched[0] = true;
    for &token in pattern {
        let mut next = vec![false; name.len() + 1];
        for j in 0..=name.len() {
            next[j] = if token == '*' {
                matched[j] || (j > 0 && next[j - 1])
            } else {
                j > 0 && matched[j - 1] && name[j - 1] == token
            };
        }
        matched = next;
    }
    matched[name.len()]
}

/// SPEC §4.1: the chain matches as a whole; a leading `**.` absorbs any number of leading segments.
fn reference(pattern: &str, chain: &str) -> bool {
    let (any_prefix, rest) = match pattern.strip_prefix("**.") {
        Some(rest) => (true, rest),
        None => (false, pattern),
    };
    let segments: Vec<Vec<char>> = rest.split('.').map(|segment| segment.chars().collect()).collect();
    let names: Vec<Vec<char>> = chain.split('.').map(|name| name.chars().collect()).collect();
    if names.len() < segments.len() || (!any_prefix && names.len() != segments.len()) {
        return false;
    }
    let tail = &names[names.len() - segments.len()..];
    segments.iter().zip(tail).all(|(segment, name)| segment_reference(segment, name))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (pattern, chain) = text.split_once('\n').unwrap_or((text, ""));
    let Ok(glob) = DottedGlob::new(pattern) else { return };
    assert_eq!(glob.is_literal(), !pattern.contains('*'));
    for fragment in glob.literal_fragments() {
        assert!(pattern.contains(fragment));
    }
    assert_eq!(glob.matches(chain), reference(pattern, chain), "pattern {pattern:?} chain {chain:?}");
});
