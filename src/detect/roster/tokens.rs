//! Tokens of text and of forms: a word folded to lower case without
//! diacritics, or one punctuation mark, each kept as a hash; the forward and
//! backward tokenizers the search reads around an anchor with, and the rules
//! for where a match may start and end.

use crate::detect::names::lexicon::{fold_into, key_hash, Fx, Lexicon, TV1};
use std::hash::Hasher;

/// A token of text or of a form: a word (a run of letters, digits and
/// combining marks) or one punctuation mark.
#[derive(Clone, Copy, Debug)]
pub(super) struct Tok {
    /// Hash of the folded word or of the punctuation mark.
    pub(super) h: u64,
    pub(super) start: usize,
    pub(super) end: usize,
    /// Letters and digits in it.
    pub(super) alnum: u32,
    pub(super) word: bool,
    /// A word that starts with a letter (only such a word can anchor a form:
    /// the search looks at words that start with a capital).
    pub(super) letter: bool,
    /// A word whose folded form is ASCII: its length ([`ascii_len_bit`]); else 0.
    pub(super) ascii_len: u8,
}

impl Tok {
    /// The word `s[start..end]`, with `alnum` letters and digits.
    pub(super) fn word(
        s: &str,
        start: usize,
        end: usize,
        alnum: u32,
        letter: bool,
        buf: &mut String,
    ) -> Tok {
        let (h, ascii_len) = word_hash(&s[start..end], buf);
        Tok {
            h,
            start,
            end,
            alnum,
            word: true,
            letter,
            ascii_len,
        }
    }

    /// The punctuation mark `c` at byte `start`.
    pub(super) fn punct(c: char, start: usize) -> Tok {
        Tok {
            h: punct_hash(c),
            start,
            end: start + c.len_utf8(),
            alnum: 0,
            word: false,
            letter: false,
            ascii_len: 0,
        }
    }
}

pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || (!c.is_ascii() && unicode_normalization::char::is_combining_mark(c))
}

/// Space a form may have between two tokens: spaces, not a line break or tab.
pub(super) fn is_gap(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

pub(super) const K: u64 = 0x9e37_79b9_7f4a_7c15;

/// The hash of a word as written: that of its folded form (lower case, no
/// diacritics), so "VRIES", "Vries" and "Vriës" hash alike. Also the length
/// of the folded form when it is ASCII ([`ascii_len_bit`]), else 0.
#[inline]
pub(super) fn word_hash(w: &str, buf: &mut String) -> (u64, u8) {
    if w.is_ascii() {
        // `key_hash` lower-cases ASCII letters and leaves digits alone.
        return (key_hash(w.as_bytes()), ascii_len_bit(w.len()));
    }
    fold_into(w, buf);
    if buf.is_ascii() {
        (key_hash(buf.as_bytes()), ascii_len_bit(buf.len()))
    } else {
        let mut h = Fx::default();
        h.write(buf.as_bytes());
        (h.finish() ^ 0x2545_f491_4f6c_dd1d, 0)
    }
}

/// The bit of a word length in [`Roster::ascii_lens`] (63: that long or longer).
#[inline]
pub(super) fn ascii_len_bit(len: usize) -> u8 {
    len.min(63) as u8
}

pub(super) fn punct_hash(c: char) -> u64 {
    let c = match c {
        '’' | '‘' | '`' | '´' => '\'',
        '‐' | '‑' => '-',
        c => c,
    };
    ((c as u64) ^ 0xa076_1d64_78bd_642f)
        .wrapping_mul(K)
        .rotate_left(31)
}

/// One more token in a sequence hash.
#[inline]
pub(super) fn step(h: u64, t: u64) -> u64 {
    (h.rotate_left(5) ^ t).wrapping_mul(K)
}

pub(super) const SEED: u64 = 0x8ebc_6af0_9c88_c6e3;

/// The token that starts at or after byte `i` (after spaces); `None` at the
/// end of the text or at a line break, tab or control character.
pub(super) fn next_tok(s: &str, i: usize, buf: &mut String) -> Option<Tok> {
    let mut it = s[i..].char_indices();
    loop {
        let (o, c) = it.next()?;
        if is_gap(c) {
            continue;
        }
        let start = i + o;
        if is_word_char(c) {
            let mut end = start + c.len_utf8();
            let letter = c.is_alphabetic();
            let mut alnum = u32::from(c.is_alphanumeric());
            for (o, c) in it {
                if !is_word_char(c) {
                    break;
                }
                end = i + o + c.len_utf8();
                alnum += u32::from(c.is_alphanumeric());
            }
            return Some(Tok::word(s, start, end, alnum, letter, buf));
        }
        if c.is_whitespace() || c.is_control() {
            return None;
        }
        return Some(Tok::punct(c, start));
    }
}

/// The token that ends at or before byte `i` (before spaces); `None` at the
/// start of the text or at a line break, tab or control character.
pub(super) fn prev_tok(s: &str, i: usize, buf: &mut String) -> Option<Tok> {
    let mut it = s[..i].char_indices().rev();
    loop {
        let (o, c) = it.next()?;
        if is_gap(c) {
            continue;
        }
        let end = o + c.len_utf8();
        if is_word_char(c) {
            let mut start = o;
            let mut alnum = u32::from(c.is_alphanumeric());
            let mut letter = c.is_alphabetic();
            for (o, c) in it {
                if !is_word_char(c) {
                    break;
                }
                start = o;
                alnum += u32::from(c.is_alphanumeric());
                letter = c.is_alphabetic();
            }
            return Some(Tok::word(s, start, end, alnum, letter, buf));
        }
        if c.is_whitespace() || c.is_control() {
            return None;
        }
        return Some(Tok::punct(c, o));
    }
}

/// Whether `text[start..end]` stands on its own: no word character right
/// before or after it (a form may start or end with a mark), and no hyphen
/// that joins it to a word: "Klerks, S." is not in "Van Essen-Klerks, S.",
/// "Jan de Vries" not in "Jan de Vries-Jansen", "Dorpsstraat 12" not in
/// "Dorpsstraat 12-a".
pub(super) fn whole(text: &str, start: usize, end: usize) -> bool {
    let hyphen = |c: char| matches!(c, '-' | '‐' | '‑');
    let mut before = text[..start].chars().rev();
    let mut after = text[end..].chars();
    let joined_before = match before.next() {
        Some(c) if is_word_char(c) => true,
        Some(c) if hyphen(c) => before.next().is_some_and(is_word_char),
        _ => false,
    };
    let joined_after = match after.next() {
        Some(c) if is_word_char(c) => true,
        Some(c) if hyphen(c) => after.next().is_some_and(is_word_char),
        _ => false,
    };
    !joined_before && !joined_after
}

/// Whether a name form found at `text[start..end]` is the whole name there,
/// not the end or start of a longer one: not right after an initial
/// ("S. Wolters" in "T.D.S. Wolters"), and a surname-first form not right
/// after the tussenvoegsel of its surname ("Brink, F." in "Van den Brink, F.",
/// "Hoes-van den Brink, F.") nor before a tussenvoegsel or initial that ends
/// the name ("Wal, S." in "Wal, S. van der", "Wolters, T." in
/// "Wolters, T. D."). The names detector still finds the longer name.
pub(super) fn name_stands_alone(text: &str, start: usize, end: usize, buf: &mut String) -> bool {
    let lex = Lexicon::get();
    let word = |t: &Tok| &text[t.start..t.end];
    let is_initial = |w: &str| {
        let mut c = w.chars();
        match (c.next(), c.next()) {
            (Some(a), None) => a.is_uppercase(),
            _ => matches!(w, "IJ" | "Th" | "Ch" | "Ph"),
        }
    };
    let is_dot = |t: &Tok| !t.word && word(t) == ".";
    let prev = prev_tok(text, start, buf);
    if let Some(p) = prev.filter(is_dot) {
        if prev_tok(text, p.start, buf).is_some_and(|q| q.word && is_initial(word(&q))) {
            return false;
        }
    }
    if !text[start..end].contains(',') {
        return true;
    }
    // A run of words that together are a tussenvoegsel ("van den", "ter").
    let mut fold_buf = String::new();
    let mut is_tv = |words: &[&str]| {
        if words.is_empty() || words.len() > 3 {
            return false;
        }
        if let [w] = words {
            return lex.flags(w, &mut fold_buf) & TV1 != 0;
        }
        let joined = words.join(" ");
        fold_into(&joined, &mut fold_buf);
        lex.is_tv_multi(&fold_buf)
    };
    // Tussenvoegsel words right before: part of the name when written with a
    // capital ("Van den Brink") or when nothing but a mark stands before
    // them; after a word in lower case they are prose ("brief van Brink, F.").
    let mut before: Vec<Tok> = Vec::new();
    let mut at = start;
    while before.len() < 3 {
        match prev_tok(text, at, buf) {
            Some(t) if t.word && t.letter => {
                at = t.start;
                before.push(t);
            }
            _ => break,
        }
    }
    // The longest run of them that is a tussenvoegsel.
    for n in (1..=before.len()).rev() {
        let words: Vec<&str> = before[..n].iter().rev().map(word).collect();
        if is_tv(&words) {
            let capital = words[0].starts_with(char::is_uppercase);
            if capital || !prev_tok(text, before[n - 1].start, buf).is_some_and(|t| t.word) {
                return false;
            }
            break;
        }
    }
    // Right after: another initial, or a tussenvoegsel that ends the name.
    let Some(n) = next_tok(text, end, buf) else {
        return true;
    };
    if n.word && is_initial(word(&n)) && next_tok(text, n.end, buf).is_some_and(|t| is_dot(&t)) {
        return false;
    }
    let mut after: Vec<Tok> = Vec::new();
    let mut at = end;
    while after.len() < 4 {
        match next_tok(text, at, buf) {
            Some(t) if t.word => {
                at = t.end;
                after.push(t);
            }
            _ => break,
        }
    }
    // The whole run of words after the form is a tussenvoegsel.
    let words: Vec<&str> = after.iter().map(word).collect();
    !is_tv(&words)
}

/// All tokens of `s` into `out`; false when a line break, tab or control
/// character stops them before the end.
pub(super) fn tokenize(s: &str, out: &mut Vec<Tok>, buf: &mut String) -> bool {
    out.clear();
    let mut i = 0;
    while let Some(t) = next_tok(s, i, buf) {
        i = t.end;
        out.push(t);
    }
    s[i..].chars().all(is_gap)
}
