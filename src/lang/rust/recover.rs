//! Per-item recovery for files syn rejects as a whole.
//!
//! syn stops at the first error, so one item it cannot parse would hide every other fact of the
//! file. Here the file's tokens are split at top-level item boundaries (a `;`, or a `{...}` block
//! that ends an item) and each part is parsed on its own. A part that fails is retried once with
//! `dyn` written before bare trait objects (`Fn(u8) + Send`, `Box<Error + Send>`: valid in
//! edition 2015, where rustc accepts them, but not to syn); a part that still fails is the file's
//! syntax error, and every other part is linted. The tokens keep their spans, so positions are
//! those of the file.

use proc_macro2::{Delimiter, Group, Ident, Spacing, TokenStream, TokenTree};

/// Identifiers that start an item (after its attributes).
const ITEM_STARTS: [&str; 17] = [
    "pub",
    "fn",
    "struct",
    "enum",
    "union",
    "impl",
    "trait",
    "mod",
    "use",
    "const",
    "static",
    "type",
    "extern",
    "unsafe",
    "async",
    "macro_rules",
    "auto",
];

/// The items that parse (as one file) and the first error of a part that does not; `None` when
/// the text does not even tokenize (unbalanced brackets, unterminated literal).
pub fn items(text: &str) -> Option<(syn::File, Option<syn::Error>)> {
    let tokens: Vec<TokenTree> = text.parse::<TokenStream>().ok()?.into_iter().collect();
    let mut file = syn::File { shebang: None, frontmatter: None, attrs: Vec::new(), items: Vec::new() };
    let mut failure = None;
    for part in split(&tokens) {
        let stream: TokenStream = part.iter().cloned().collect();
        let parsed = syn::parse2::<syn::File>(stream).or_else(|error| {
            let mut changed = false;
            let repaired = with_dyn(part, &mut changed);
            if !changed {
                return Err(error);
            }
            syn::parse2::<syn::File>(repaired.into_iter().collect()).map_err(|_| error)
        });
        match parsed {
            Ok(parsed) => {
                file.attrs.extend(parsed.attrs);
                file.items.extend(parsed.items);
            }
            Err(error) => {
                failure.get_or_insert(error);
            }
        }
    }
    Some((file, failure))
}

/// Top-level parts, each one or more whole items (in the usual case exactly one).
fn split(tokens: &[TokenTree]) -> Vec<&[TokenTree]> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut index = 0;
    while index < tokens.len() {
        let end = match &tokens[index] {
            TokenTree::Punct(punct) if punct.as_char() == ';' => Some(index + 1),
            TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => match tokens.get(index + 1) {
                Some(TokenTree::Punct(punct)) if punct.as_char() == ';' => Some(index + 2),
                None => Some(index + 1),
                Some(_) if starts_item(&tokens[index + 1..]) => Some(index + 1),
                Some(_) => None,
            },
            _ => None,
        };
        match end {
            Some(end) => {
                parts.push(&tokens[start..end]);
                start = end;
                index = end;
            }
            None => index += 1,
        }
    }
    if start < tokens.len() {
        parts.push(&tokens[start..]);
    }
    parts
}

/// Does an item start here: an attribute, an item keyword, or a macro call (`name!`)?
fn starts_item(tokens: &[TokenTree]) -> bool {
    match tokens {
        [TokenTree::Punct(punct), ..] => punct.as_char() == '#',
        [TokenTree::Ident(ident), rest @ ..] => {
            let name = ident.to_string();
            ITEM_STARTS.contains(&name.as_str())
                || matches!(rest.first(), Some(TokenTree::Punct(punct)) if punct.as_char() == '!')
        }
        _ => false,
    }
}

/// `tokens` with `dyn` before each bare trait object: a path (`a::B`, optionally with `(args)`
/// and `-> Ret` of the `Fn` sugar) followed by `+`, where a type starts (after `<`, `=`, `&`,
/// `,`, `->`, `mut`, a lifetime, or at the start of a parenthesised group). Groups are repaired
/// recursively.
fn with_dyn(tokens: &[TokenTree], changed: &mut bool) -> Vec<TokenTree> {
    let mut out: Vec<TokenTree> = Vec::with_capacity(tokens.len() + 2);
    let mut index = 0;
    while index < tokens.len() {
        if type_starts_after(&out, index == 0) && bare_trait_object(&tokens[index..]) {
            out.push(TokenTree::Ident(Ident::new("dyn", tokens[index].span())));
            *changed = true;
        }
        match &tokens[index] {
            TokenTree::Group(group) => {
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                let mut repaired =
                    Group::new(group.delimiter(), with_dyn(&inner, changed).into_iter().collect());
                repaired.set_span(group.span());
                out.push(TokenTree::Group(repaired));
            }
            other => out.push(other.clone()),
        }
        index += 1;
    }
    out
}

/// Whether a type may start after what `out` ends with (`at_start`: first token of a group).
fn type_starts_after(out: &[TokenTree], at_start: bool) -> bool {
    match out.last() {
        None => at_start,
        Some(TokenTree::Punct(punct)) => match punct.as_char() {
            '<' | '=' | '&' | ',' => true,
            '>' => {
                matches!(out.iter().rev().nth(1), Some(TokenTree::Punct(arrow)) if arrow.as_char() == '-' && arrow.spacing() == Spacing::Joint)
            }
            _ => false,
        },
        Some(TokenTree::Ident(ident)) => {
            ident == "mut"
                || matches!(out.iter().rev().nth(1), Some(TokenTree::Punct(quote)) if quote.as_char() == '\'')
        }
        Some(_) => false,
    }
}

/// `Path[(..)][-> Path] +` at the start of `tokens`.
fn bare_trait_object(tokens: &[TokenTree]) -> bool {
    let mut index = match path_length(tokens) {
        0 => return false,
        length => length,
    };
    if let Some(TokenTree::Group(group)) = tokens.get(index) {
        if group.delimiter() != Delimiter::Parenthesis {
            return false;
        }
        index += 1;
        if let (Some(TokenTree::Punct(dash)), Some(TokenTree::Punct(arrow))) =
            (tokens.get(index), tokens.get(index + 1))
        {
            if dash.as_char() == '-' && arrow.as_char() == '>' {
                index += 2;
                match path_length(&tokens[index..]) {
                    0 => return false,
                    length => index += length,
                }
            }
        }
    }
    matches!(tokens.get(index), Some(TokenTree::Punct(plus)) if plus.as_char() == '+')
}

/// The number of tokens of `ident (:: ident)*` at the start of `tokens` (0: none).
fn path_length(tokens: &[TokenTree]) -> usize {
    let mut index = 0;
    loop {
        match tokens.get(index) {
            Some(TokenTree::Ident(ident)) if !matches!(ident.to_string().as_str(), "dyn" | "impl" | "as") => {
                index += 1;
            }
            _ => return 0,
        }
        match (tokens.get(index), tokens.get(index + 1)) {
            (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
                if a.as_char() == ':' && b.as_char() == ':' =>
            {
                index += 2;
            }
            _ => return index,
        }
    }
}
