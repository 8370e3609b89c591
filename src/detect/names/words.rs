//! What each token of a run is: its flags and key from the word tables
//! (computed once per token), company and street words, whether a word may
//! be part of a name, tussenvoegsel sequences, and the finding made of a
//! token range.

use super::*;

impl Run<'_> {
    /// Flags of token `i` (0 for a token that is no word, or a word longer
    /// than any in the lists).
    #[inline]
    pub(super) fn f(&mut self, i: usize) -> u16 {
        let v = self.flags[i];
        if v != UNKNOWN {
            return v;
        }
        let t = self.toks[i];
        let v = if t.tk == Tk::Word && t.end - t.start <= MAX_WORD_LEN {
            self.lex.flags_of_key(self.key(i))
        } else {
            0
        };
        self.flags[i] = v;
        v
    }

    /// The table key ([`word_key`]) of word token `i`, computed once.
    #[inline]
    pub(super) fn key(&mut self, i: usize) -> u64 {
        let k = self.keys[i];
        if k != 0 {
            return k;
        }
        let k = word_key(self.toks[i].text(self.text), &mut self.buf);
        self.keys[i] = k;
        k
    }

    pub(super) fn word(&self, i: usize) -> Option<Tok> {
        self.toks.get(i).copied().filter(|t| t.is_word())
    }

    /// The token is a company marker: "B.V.", "Stichting", "Bouwbedrijf".
    pub(super) fn is_company(&mut self, i: usize) -> bool {
        let t = self.toks[i];
        match t.tk {
            Tk::Initials => {
                let w = t.text(self.text).to_ascii_lowercase();
                let w = w.trim_end_matches('.');
                let mut b = String::new();
                self.lex.flags(w, &mut b) & COMPANY != 0
            }
            Tk::Word => {
                if self.f(i) & COMPANY != 0 {
                    return true;
                }
                let w = self.toks[i].text(self.text);
                if w.is_ascii() {
                    self.lex.is_company_compound(w)
                } else {
                    fold_into(w, &mut self.buf);
                    self.lex.is_company_compound(&self.buf)
                }
            }
            Tk::Punct(b'&') => true,
            _ => false,
        }
    }

    /// A word with a strong street ending ("Zwijgerlaan", "Dorpsstraat").
    pub(super) fn is_street_word(&mut self, i: usize) -> bool {
        let t = self.toks[i];
        if t.tk != Tk::Word {
            return false;
        }
        let w = self.toks[i].text(self.text);
        matches!(self.lex.street_suffix_of(w, &mut self.buf), Some((_, true)))
    }

    /// Whether token `i` can be a word of a name. `lenient` after a title,
    /// initials or another name word: then a word before a colon or one that
    /// ends like a company word ("Wolfswinkel") still counts.
    pub(super) fn nameable(&mut self, i: usize, lenient: bool) -> bool {
        self.nameable_in(i, lenient, lenient)
    }

    pub(super) fn nameable_in(&mut self, i: usize, colon_ok: bool, company_ok: bool) -> bool {
        let t = self.toks[i];
        if t.tk != Tk::Word || !t.cap {
            return false;
        }
        let fl = self.f(i);
        if fl & (TITLE | SALUTATION | COMPANY | SIGNOFF) != 0 {
            return false;
        }
        if fl & (NOT_NAME | RELATION) != 0 && fl & (FIRST | SURNAME) == 0 {
            return false;
        }
        // Short all-caps words are abbreviations ("NL", "GGZ", the "AB" of a
        // postcode), unless they are names ("ALI", "DE" is a tussenvoegsel)
        // or follow a tussenvoegsel ("VAN 'T HOF", "VAN DER AA").
        if t.upper
            && t.end - t.start <= 3
            && fl & (FIRST | SURNAME | TV) == 0
            && !(i > 0 && self.toks[i - 1].is_word() && self.f(i - 1) & TV != 0)
        {
            return false;
        }
        // A label ("Naam:") is not a name.
        if !colon_ok && self.toks.get(i + 1).is_some_and(|n| n.is_punct(b':')) {
            return false;
        }
        // Known name words are not checked for street or company endings.
        if fl & (FIRST | SURNAME) == 0
            && (self.is_street_word(i) || (!company_ok && self.is_company(i)))
        {
            return false;
        }
        true
    }

    /// A tussenvoegsel starting at `i`: the index after it.
    pub(super) fn tv_seq(&mut self, i: usize) -> Option<usize> {
        let t = self.word(i)?;
        if t.upper && t.end - t.start > 4 {
            return None;
        }
        let fl = self.f(i);
        if fl & TV == 0 {
            return None;
        }
        // Longest multi-word tussenvoegsel first ("van de la", "van der").
        if fl & TVM != 0 {
            for n in [3usize, 2] {
                if i + n <= self.toks.len()
                    && (1..n).all(|k| {
                        let t = self.toks[i + k];
                        t.is_word() && t.end - t.start <= 5
                    })
                {
                    let mut joined = String::with_capacity(16);
                    for k in 0..n {
                        if k > 0 {
                            joined.push(' ');
                        }
                        fold_into(self.toks[i + k].text(self.text), &mut self.buf);
                        joined.push_str(&self.buf);
                    }
                    if self.lex.is_tv_multi(&joined) {
                        return Some(i + n);
                    }
                }
            }
        }
        (fl & TV1 != 0).then_some(i + 1)
    }

    /// Whether token `i`, a word of a name found with confidence, may be
    /// recognised on its own elsewhere in the text: a capitalised word of
    /// three letters or more that is no tussenvoegsel, title or ordinary word.
    pub(super) fn mention_word(&mut self, i: usize) -> bool {
        let t = self.toks[i];
        if t.tk != Tk::Word || !t.cap || t.text(self.text).chars().nth(2).is_none() {
            return false;
        }
        let fl = self.f(i);
        let never = TV | TITLE | SALUTATION | RELATION | LABEL | COMPANY | SIGNOFF;
        fl & never == 0 && (fl & (NOT_NAME | PLACE) == 0 || fl & (FIRST | SURNAME) != 0)
    }

    /// Whether token `w` is in a name list.
    pub(super) fn name_word(&mut self, w: usize) -> bool {
        self.f(w) & (FIRST | SURNAME) != 0
    }

    /// Whether word token `w` is an ordinary Dutch word ("Cultuur", "Verenigde").
    pub(super) fn dutch(&mut self, w: usize) -> bool {
        let t = self.toks[w];
        t.end - t.start <= MAX_WORD_LEN && self.lex.is_dutch_key(self.key(w))
    }

    pub(super) fn finding(&self, from: usize, to: usize, conf: f32, rule: &'static str) -> Finding {
        let start = self.toks[from].start as usize;
        let end = self.toks[to - 1].end as usize;
        let value = &self.text[start..end];
        Finding {
            kind: Kind::Name,
            start,
            end,
            confidence: conf,
            norm: collapse_ws(value),
            rule,
            roster: None,
        }
    }

    /// Whether word tokens `a..b` (next to each other) are a place abroad
    /// of several words ("Sierra Leone", "Verenigde Staten").
    pub(super) fn place_phrase(&mut self, a: usize, b: usize) -> bool {
        if !(a..b).all(|k| self.toks[k].is_word() && self.toks[k].cap) {
            return false;
        }
        let mut joined = String::new();
        for k in a..b {
            if k > a {
                joined.push(' ');
            }
            fold_into(self.toks[k].text(self.text), &mut self.buf);
            joined.push_str(&self.buf);
        }
        self.lex.is_place_phrase(&joined)
    }
}
