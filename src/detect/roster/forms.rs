//! The spelling forms of a roster value: a name as initials, surname
//! first, without tussenvoegsel ...; an address with and without its place
//! and with its toevoeging written three ways (see the module documentation
//! of [`super`]).

use super::tokens::*;
use crate::detect::names::lexicon::{Lexicon, TV, TV1};

/// No anchor piece: the form's longest word that starts with a letter
/// anchors it.
pub(super) const NO_ANCHOR: u16 = u16::MAX;
/// Piece 0 of every value is the comma.
pub(super) const COMMA: u16 = 0;
/// Most pieces in one form.
pub(super) const MAX_PARTS: usize = 4;

/// One spelling form: pieces in order.
#[derive(Clone, Copy, Debug)]
pub(super) struct Form {
    pub(super) parts: [u16; MAX_PARTS],
    pub(super) len: u8,
    /// The piece whose last word is the anchor, or [`NO_ANCHOR`].
    pub(super) anchor: u16,
}

/// The spelling forms of one roster value: pieces of text (a surname, "J.P.",
/// the comma) and forms made of them. Rendered, pieces are joined by a space
/// and the comma sticks to the piece before it; as tokens, a form is its
/// pieces' tokens in order. Reused from value to value (no allocation per
/// form).
#[derive(Default)]
pub(super) struct Forms {
    pub(super) text: String,
    /// Byte ranges of the pieces in `text`.
    pub(super) pieces: Vec<(u32, u32)>,
    pub(super) forms: Vec<Form>,
}

impl Forms {
    pub(super) fn clear(&mut self) {
        self.text.clear();
        self.pieces.clear();
        self.forms.clear();
        self.piece(",");
    }

    pub(super) fn piece(&mut self, s: &str) -> u16 {
        self.joined([s])
    }

    /// A piece of words joined by single spaces. The same text twice is one
    /// piece (a single given name is also the first one; "J." is all the
    /// initials), so the forms made of it are the same forms.
    pub(super) fn joined<'a>(&mut self, words: impl IntoIterator<Item = &'a str>) -> u16 {
        let start = self.text.len();
        for (i, w) in words.into_iter().enumerate() {
            if i > 0 {
                self.text.push(' ');
            }
            self.text.push_str(w);
        }
        let new = &self.text[start..];
        if let Some(p) = self
            .pieces
            .iter()
            .position(|&(s, e)| &self.text[s as usize..e as usize] == new)
        {
            self.text.truncate(start);
            return p as u16;
        }
        self.pieces.push((start as u32, self.text.len() as u32));
        (self.pieces.len() - 1).min(NO_ANCHOR as usize - 1) as u16
    }

    pub(super) fn get(&self, p: u16) -> &str {
        let (s, e) = self.pieces[p as usize];
        &self.text[s as usize..e as usize]
    }

    /// A form of the given pieces (`None` pieces are left out).
    pub(super) fn form(&mut self, parts: &[Option<u16>], anchor: u16) {
        let mut f = Form {
            parts: [0; MAX_PARTS],
            len: 0,
            anchor,
        };
        for p in parts.iter().flatten() {
            f.parts[f.len as usize] = *p;
            f.len += 1;
        }
        let same = |g: &Form| g.len == f.len && g.parts == f.parts && g.anchor == f.anchor;
        if !self.forms.iter().any(same) {
            self.forms.push(f);
        }
    }

    pub(super) fn render(&self, f: &Form) -> String {
        let mut s = String::new();
        for (i, &p) in f.parts[..f.len as usize].iter().enumerate() {
            if i > 0 && p != COMMA {
                s.push(' ');
            }
            s.push_str(self.get(p));
        }
        s
    }
}

/// The spelling forms of a name as it stands in the roster (see the module
/// documentation), added to `f`.
pub(super) fn name_forms(name: &str, lex: &Lexicon, buf: &mut String, f: &mut Forms) {
    let words: Vec<&str> = name.split_whitespace().collect();
    // "Vries, Jan de" in the roster: this form, then the forms of the name
    // turned around.
    if let Some((sur, given)) = name.split_once(',') {
        let whole = f.joined(words.iter().copied());
        f.form(&[Some(whole)], NO_ANCHOR);
        let given: Vec<&str> = given.split_whitespace().collect();
        let (tv_after, given): (Vec<&str>, Vec<&str>) = given
            .iter()
            .partition(|w| lex.flags(w, buf) & (TV | TV1) != 0 && !w.ends_with('.'));
        let forward: Vec<&str> = given
            .iter()
            .chain(tv_after.iter())
            .copied()
            .chain(sur.split_whitespace())
            .collect();
        name_forms(&forward.join(" "), lex, buf, f);
        return;
    }
    // Given names, tussenvoegsel, surname: the tussenvoegsel starts at the
    // first lower-case particle after the first word.
    let tv_at = (1..words.len())
        .find(|&k| {
            let w = words[k];
            w.chars().next().is_some_and(char::is_lowercase) && lex.flags(w, buf) & (TV | TV1) != 0
        })
        .unwrap_or(words.len().saturating_sub(1));
    let (given, rest) = words.split_at(tv_at);
    let tv_len = rest
        .iter()
        .take_while(|w| w.chars().next().is_some_and(char::is_lowercase))
        .count();
    if words.len() < 2 || tv_at == 0 || tv_len == rest.len() {
        let whole = f.joined(words.iter().copied());
        f.form(&[Some(whole)], NO_ANCHOR);
        return;
    }
    let surname = f.joined(rest[tv_len..].iter().copied());
    let (tv, cap_tv) = if tv_len > 0 {
        let tv = f.joined(rest[..tv_len].iter().copied());
        let mut c = f.get(tv).chars();
        let cap: String = c
            .next()
            .map(|first| first.to_uppercase().chain(c).collect())
            .unwrap_or_default();
        (Some(tv), Some(f.piece(&cap)))
    } else {
        (None, None)
    };
    let initials: Vec<char> = given.iter().filter_map(|g| g.chars().next()).collect();
    let mut s = String::new();
    for c in &initials {
        s.push(*c);
        s.push('.');
    }
    let all = f.piece(&s); // "J.P."
    s.clear();
    for (i, c) in initials.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push(*c);
        s.push('.');
    }
    let spaced = f.piece(&s); // "J. P."
    let first = f.piece(&s[..initials.first().map_or(0, |c| c.len_utf8() + 1)]); // "J."
    let given_full = f.joined(given.iter().copied());
    let given_first = f.piece(given[0]);
    let (sur, comma) = (Some(surname), Some(COMMA));
    for ini in [all, spaced, first, given_full, given_first].map(Some) {
        f.form(&[ini, tv, sur], surname);
        f.form(&[cap_tv, sur, comma, ini], surname);
        if tv.is_some() {
            f.form(&[sur, comma, ini, tv], surname);
            f.form(&[sur, tv, comma, ini], surname);
        }
    }
}

/// Spelling variants of a name as it stands in the roster.
pub fn name_variants(name: &str) -> Vec<String> {
    let mut f = Forms::default();
    f.clear();
    name_forms(name, Lexicon::get(), &mut String::new(), &mut f);
    let mut out: Vec<String> = f.forms.iter().map(|x| f.render(x)).collect();
    out.sort();
    out.dedup();
    out
}

/// The spelling forms of an address as it stands in the roster, added to
/// `f`: the whole value; street and house number alone when more follows
/// (", 1234 AB Utrecht"); and a toevoeging as "12a", "12 a" and "12-a".
pub(super) fn address_forms(value: &str, f: &mut Forms, toks: &mut Vec<Tok>, buf: &mut String) {
    let whole = f.joined(value.split_whitespace());
    f.form(&[Some(whole)], NO_ANCHOR);
    let text = f.get(whole).to_string();
    if !tokenize(&text, toks, buf) {
        return;
    }
    // The house number: the first token starting with a digit after a word.
    let Some(k) = toks
        .iter()
        .position(|t| text[t.start..].starts_with(|c: char| c.is_ascii_digit()))
    else {
        return;
    };
    if !toks[..k].iter().any(|t| t.word) {
        return;
    }
    let tok_text = |i: usize| &text[toks[i].start..toks[i].end];
    let num_tok = tok_text(k);
    let digits = num_tok.bytes().take_while(u8::is_ascii_digit).count();
    let (number, attached) = num_tok.split_at(digits);
    let is_letters = |s: &str| !s.is_empty() && s.chars().all(char::is_alphabetic);
    let is_word = |i: usize| toks.get(i).is_some_and(|t| t.word);
    let (toev, next) = if !attached.is_empty() {
        if !is_letters(attached) {
            return;
        }
        (Some(attached), k + 1)
    } else if toks
        .get(k + 1)
        .is_some_and(|t| !t.word && tok_text(k + 1) == "-")
        && is_word(k + 2)
        && toks[k + 2].alnum <= 4
    {
        (Some(tok_text(k + 2)), k + 3)
    } else if is_word(k + 1)
        && is_letters(tok_text(k + 1))
        && toks[k + 1].alnum <= 3
        && !is_word(k + 2)
    {
        (Some(tok_text(k + 1)), k + 2)
    } else {
        (None, k + 1)
    };
    let street = f.piece(text[..toks[k].start].trim_end());
    let num = f.piece(number);
    match toev {
        None if next < toks.len() => f.form(&[Some(street), Some(num)], NO_ANCHOR),
        None => {}
        Some(t) => {
            let t_piece = f.piece(t);
            let dash = f.piece("-");
            f.form(
                &[Some(street), Some(num), Some(dash), Some(t_piece)],
                NO_ANCHOR,
            );
            if is_letters(t) {
                let glued = f.piece(&format!("{number}{t}"));
                f.form(&[Some(street), Some(glued)], NO_ANCHOR);
                f.form(&[Some(street), Some(num), Some(t_piece)], NO_ANCHOR);
            }
        }
    }
}
