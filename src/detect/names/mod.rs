//! The `name` detector: personal names in running text, tables and e-mail
//! headers.
//!
//! Owns the name grammar. Text is split by [`tokens::tokenize`] into words,
//! initials and punctuation; only capitalised words and initials start a
//! candidate, and every word is looked up once in the [`lexicon::Lexicon`]
//! (first names, surnames, tussenvoegsels, titles, not-names, ...). A
//! candidate is a run of initials, capitalised words and tussenvoegsels
//! ("J.P. van den Berg-Jansen"), or a surname-first form ("Vries, J.P. de",
//! "DE VRIES, J.P.", "Dekker, Marieke"). Whether it is a name, and how sure,
//! comes from the words themselves (a known first name, initials, a known
//! surname) and from the context before it: a title ("mevr.", "de heer"), a
//! greeting ("Beste"), a relation ("partner", "buurman"), a label ("Naam:",
//! a CSV column "Naam", an e-mail "From" header) or a letter closing on the
//! line above. Streets ("Willem de Zwijgerlaan"), companies ("Bouwbedrijf X",
//! "X B.V."), places and ordinary capitalised words are rejected. Titles and
//! greetings are not part of the value.

pub mod keys;
pub mod lexicon;
pub mod tokens;

use super::{Detector, Finding};
use crate::kind::Kind;
use lexicon::*;
use tokens::{tokenize, Tk, Tok};

/// Finds personal names.
pub struct NameDetector {
    lex: &'static Lexicon,
}

impl Default for NameDetector {
    fn default() -> Self {
        Self::new()
    }
}

impl NameDetector {
    /// A name detector over the built-in word lists.
    pub fn new() -> Self {
        NameDetector {
            lex: Lexicon::get(),
        }
    }
}

/// What stands right before a candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ctx {
    None,
    Title,
    Salutation,
    Relation,
    Label,
    Signoff,
    /// A chat sender at the start of a line ("[12-03 21:14] Sanne:",
    /// "14/02/2024, 09:12 - Fenna de Wit:", "Mo:"): a name when a colon ends it.
    Chat,
}

/// The value with whitespace runs collapsed to one space.
pub(crate) fn collapse_ws(value: &str) -> String {
    if value.contains(|c: char| c.is_whitespace() && c != ' ') || value.contains("  ") {
        value.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        value.to_string()
    }
}

/// Most words in one name ("Maria Johanna Petronella van der Berg-Jansen").
const MAX_WORDS: usize = 6;
const UNKNOWN: u16 = u16::MAX;
/// Words longer than this (bytes) are in no list.
const MAX_WORD_LEN: u32 = 40;

struct Run<'a> {
    text: &'a str,
    toks: &'a [Tok],
    lex: &'static Lexicon,
    flags: Vec<u16>,
    /// [`word_key`] of each word token, computed once (0: not yet).
    keys: Vec<u64>,
    buf: String,
    /// The segment's label names a person field.
    label_ctx: bool,
}

enum Outcome {
    /// A name ending before token `.0`.
    Found(usize, Finding),
    /// Not a name; continue at token `.0`.
    Skip(usize),
    /// Shaped like a name (capitalised words `.1`, up to `.2` exclusive)
    /// without evidence of its own: a name only when the same words were
    /// found as a name elsewhere in the text ([`Mentions`]).
    Weak(usize, usize, usize),
}

impl<'a> Run<'a> {
    /// Flags of token `i` (0 for a token that is no word, or a word longer
    /// than any in the lists).
    #[inline]
    fn f(&mut self, i: usize) -> u16 {
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
    fn key(&mut self, i: usize) -> u64 {
        let k = self.keys[i];
        if k != 0 {
            return k;
        }
        let k = word_key(self.toks[i].text(self.text), &mut self.buf);
        self.keys[i] = k;
        k
    }

    fn word(&self, i: usize) -> Option<Tok> {
        self.toks.get(i).copied().filter(|t| t.is_word())
    }

    /// The token is a company marker: "B.V.", "Stichting", "Bouwbedrijf".
    fn is_company(&mut self, i: usize) -> bool {
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
    fn is_street_word(&mut self, i: usize) -> bool {
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
    fn nameable(&mut self, i: usize, lenient: bool) -> bool {
        self.nameable_in(i, lenient, lenient)
    }

    fn nameable_in(&mut self, i: usize, colon_ok: bool, company_ok: bool) -> bool {
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
    fn tv_seq(&mut self, i: usize) -> Option<usize> {
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

    /// What the line before the newline at token `nl` is (skipping one blank
    /// line): a letter closing ("Met vriendelijke groet,") or a label on a
    /// line of its own (a form: "Naam" above the name).
    fn line_above(&mut self, nl: usize) -> Option<Ctx> {
        let mut end = nl;
        if end > 0 && self.toks[end - 1].tk == Tk::Newline {
            end -= 1;
        }
        let mut start = end;
        while start > 0 && self.toks[start - 1].tk != Tk::Newline {
            start -= 1;
            if end - start > 6 {
                return None;
            }
        }
        if start == end || !self.toks[start].is_word() {
            return None;
        }
        let fl = self.f(start);
        let last = self.toks[end - 1];
        let last_word = if last.is_word() {
            end - 1
        } else if end - start >= 2 && self.toks[end - 2].is_word() {
            end - 2
        } else {
            return None;
        };
        let lf = self.f(last_word);
        if fl & SIGNOFF == 0 && lf & LABEL == 0 {
            return None;
        }
        let s = self.toks[start].start as usize;
        let e = last.end as usize;
        let line = fold(&self.text[s..e]);
        let line = line.trim_end_matches([',', '.', ' ', '!', ':']);
        if fl & SIGNOFF != 0 && self.lex.is_signoff(line) {
            return Some(Ctx::Signoff);
        }
        // Only the label alone on its line ("Naam", "Naam melder:").
        if lf & LABEL != 0 && self.lex.is_label(line) && !matches!(line, "van" | "aan") {
            return Some(Ctx::Label);
        }
        None
    }

    /// The context right before token `i`, and whether `i` starts a sentence.
    fn context(&mut self, i: usize) -> (Ctx, bool) {
        if i == 0 {
            return (
                if self.label_ctx {
                    Ctx::Label
                } else if self.plain_sender(i) {
                    Ctx::Chat
                } else {
                    Ctx::None
                },
                true,
            );
        }
        let p = i - 1;
        let pt = self.toks[p];
        let sentence_start = match pt.tk {
            Tk::Newline => true,
            Tk::Punct(c) => matches!(c, b'.' | b'!' | b'?' | b':' | b';' | b'"' | b'*' | b'-'),
            _ => false,
        };
        match pt.tk {
            Tk::Word => {
                let fl = self.f(p);
                if fl & TITLE != 0 {
                    return (Ctx::Title, false);
                }
                if fl & SALUTATION != 0 {
                    return (Ctx::Salutation, false);
                }
                if fl & RELATION != 0 {
                    return (Ctx::Relation, false);
                }
                // "Aanwezig: Ahmed en Samira".
                if pt.text(self.text) == "en" && self.label_line(p) {
                    return (Ctx::Label, false);
                }
                // "De wijkagent is Anna ...", "Mijn buurman heet Ali".
                if p > 0
                    && matches!(pt.text(self.text), "is" | "was" | "heet" | "heette")
                    && self.toks[p - 1].is_word()
                    && self.f(p - 1) & RELATION != 0
                {
                    return (Ctx::Relation, false);
                }
            }
            Tk::Punct(b'.')
                if p > 0 && self.toks[p - 1].is_word() && self.f(p - 1) & TITLE != 0 =>
            {
                return (Ctx::Title, false);
            }
            // "Naam:", "Huurder:", and roles used as labels ("Monteur:").
            Tk::Punct(b':')
                if p > 0
                    && self.toks[p - 1].is_word()
                    && self.f(p - 1) & (LABEL | RELATION) != 0 =>
            {
                return (Ctx::Label, true);
            }
            // "Ondergetekende, Jan ...", "buurvrouw, Fatima ...".
            Tk::Punct(b',')
                if p > 0 && self.toks[p - 1].is_word() && self.f(p - 1) & RELATION != 0 =>
            {
                return (Ctx::Relation, false);
            }
            Tk::Newline => {
                if let Some(c) = self.line_above(p) {
                    return (c, true);
                }
                if self.plain_sender(i) {
                    return (Ctx::Chat, true);
                }
            }
            Tk::Punct(b']' | b'-') if self.chat_prefix(p) => return (Ctx::Chat, true),
            // The next item of a list after a label: "Aanwezig: Mo, Zuzia en Kees".
            Tk::Punct(b',' | b'/') if self.label_line(p) => return (Ctx::Label, false),
            _ => {}
        }
        if self.label_ctx
            && matches!(
                pt.tk,
                Tk::Punct(b',') | Tk::Punct(b';') | Tk::Punct(b'>') | Tk::Punct(b'"')
            )
        {
            return (Ctx::Label, sentence_start);
        }
        (Ctx::None, sentence_start)
    }

    /// Whether the tokens from the line start up to and including `p` (a
    /// "]" or "-") are a chat time stamp: only numbers and punctuation, with
    /// a time ("21:14") among them.
    fn chat_prefix(&self, p: usize) -> bool {
        let mut k = p;
        let (mut nums, mut colon) = (0, false);
        while k > 0 && self.toks[k - 1].tk != Tk::Newline {
            k -= 1;
            match self.toks[k].tk {
                Tk::Number => nums += 1,
                Tk::Punct(b':') => colon = true,
                Tk::Punct(_) => {}
                _ => return false,
            }
            if p - k > 16 {
                return false;
            }
        }
        nums >= 3 && colon
    }

    /// A first name alone at the start of a line, before a colon ("Mo: ik
    /// kom om 8 uur"): a chat or transcript sender.
    fn plain_sender(&mut self, i: usize) -> bool {
        let t = self.toks[i];
        if t.tk != Tk::Word || !t.cap || t.upper {
            return false;
        }
        let fl = self.f(i);
        fl & FIRST != 0
            && fl & (NOT_NAME | LABEL | RELATION | TITLE | SALUTATION | SIGNOFF | COMPANY) == 0
            && self.toks.get(i + 1).is_some_and(|n| n.is_punct(b':'))
    }

    /// Whether the line of token `p` starts with a label of a list of people
    /// and its colon before `p` ("Aanwezig: Mo, Zuzia", "Afwezig met bericht: Ria,").
    fn label_line(&mut self, p: usize) -> bool {
        let mut k = p;
        let mut colon = None;
        while k > 0 && self.toks[k - 1].tk != Tk::Newline {
            k -= 1;
            if self.toks[k].is_punct(b':') {
                colon = Some(k);
            }
            if p - k > 60 {
                return false;
            }
        }
        let Some(c) = colon else {
            return false;
        };
        if c == k || c - k > 4 || !self.toks[c - 1].is_word() || self.f(c - 1) & LABEL == 0 {
            return false;
        }
        if !self.toks[k..c].iter().all(|t| t.is_word()) {
            return false;
        }
        let s = self.toks[k].start as usize;
        let e = self.toks[c - 1].end as usize;
        let line = fold(&self.text[s..e]);
        self.lex.is_list_label(&collapse_ws(&line))
    }

    /// After a name ending before token `j`: a surname-first tail
    /// (", J.P." / ", J.P. de" / ", Marieke"). Returns the end token and confidence.
    fn rev_tail(&mut self, j: usize) -> Option<(usize, f32)> {
        if !self.toks.get(j)?.is_punct(b',') {
            return None;
        }
        let mut k = j + 1;
        let mut inits = 0;
        while k < self.toks.len() && self.toks[k].tk == Tk::Initials && !self.is_company(k) {
            k += 1;
            inits += 1;
        }
        let conf = if inits > 0 {
            0.92
        } else {
            // Outlook display name: "Dekker, Marieke".
            let t = self.word(k)?;
            if !t.cap || t.upper && self.f(k) & FIRST == 0 {
                return None;
            }
            let fl = self.f(k);
            if fl & FIRST == 0 || fl & NOT_NAME != 0 || !self.nameable(k, false) {
                return None;
            }
            // Not the first name of a following full name ("Deventer, Jan de Vries").
            if self.word(k + 1).is_some_and(|n| n.cap) {
                return None;
            }
            if let Some(after) = self.tv_seq(k + 1) {
                if after < self.toks.len() && self.nameable(after, true) {
                    return None;
                }
            }
            k += 1;
            0.8
        };
        // Trailing tussenvoegsel ("Vries, J.P. de") when nothing name-like follows.
        if let Some(after) = self.tv_seq(k) {
            let lower = !self.toks[k].cap;
            let next_is_word = self.toks.get(after).is_some_and(|t| t.is_word());
            if lower && !next_is_word {
                k = after;
            }
        }
        Some((k, conf))
    }

    /// Token `j` starts an apposition that names a role: ", de buurvrouw",
    /// ", het kind van", ", onze monteur".
    fn apposition(&mut self, j: usize) -> bool {
        if !self.toks.get(j).is_some_and(|t| t.is_punct(b',')) {
            return false;
        }
        let Some(det) = self.word(j + 1) else {
            return false;
        };
        if !matches!(
            fold(det.text(self.text)).as_str(),
            "de" | "het" | "een" | "mijn" | "onze" | "ons" | "zijn" | "haar" | "hun" | "uw"
        ) {
            return false;
        }
        self.word(j + 2).is_some_and(|t| !t.cap) && self.f(j + 2) & RELATION != 0
    }

    /// Whether token `i`, a word of a name found with confidence, may be
    /// recognised on its own elsewhere in the text: a capitalised word of
    /// three letters or more that is no tussenvoegsel, title or ordinary word.
    fn mention_word(&mut self, i: usize) -> bool {
        let t = self.toks[i];
        if t.tk != Tk::Word || !t.cap || t.text(self.text).chars().nth(2).is_none() {
            return false;
        }
        let fl = self.f(i);
        let never = TV | TITLE | SALUTATION | RELATION | LABEL | COMPANY | SIGNOFF;
        fl & never == 0 && (fl & (NOT_NAME | PLACE) == 0 || fl & (FIRST | SURNAME) != 0)
    }

    /// Whether token `w` is in a name list.
    fn name_word(&mut self, w: usize) -> bool {
        self.f(w) & (FIRST | SURNAME) != 0
    }

    /// Whether word token `w` is an ordinary Dutch word ("Cultuur", "Verenigde").
    fn dutch(&mut self, w: usize) -> bool {
        let t = self.toks[w];
        t.end - t.start <= MAX_WORD_LEN && self.lex.is_dutch_key(self.key(w))
    }

    /// Candidates that are no person (words `words`, the run ending before
    /// token `j`): a leading ordinary word before a name ("Bel Jan de Vries",
    /// "Cultuur Bert Anciaux": the name starts at the next word), a place
    /// ("Verenigde Staten", "Kaap Verde", "Camp ..."), an adjective of a
    /// place ("Vlaamse ..."), an organisation written with an acronym ("GGD
    /// Rijnmond") or in camel case ("VluchtelingenWerk"), or a run of
    /// ordinary Dutch words ("Veilig Thuis").
    fn not_a_person(
        &mut self,
        words: &[usize],
        j: usize,
        ctx: Ctx,
        lead_tv: bool,
    ) -> Option<Outcome> {
        let nw = words.len();
        let w0 = words[0];
        let skip = Some(Outcome::Skip(j.max(w0 + 1)));
        // One word: still a name when the text names the person elsewhere
        // ("Karin Wouterse ... zei Wouterse").
        let weak = if nw == 1 {
            Some(Outcome::Weak(j.max(w0 + 1), w0, w0 + 1))
        } else {
            Some(Outcome::Skip(j.max(w0 + 1)))
        };
        if self.toks[w0].upper && self.toks[words[nw - 1]].upper {
            return None; // all-caps runs have their own rules
        }
        let first_name = self.name_word(w0);
        // Leading ordinary words before a first name: "Bel Jan de Vries",
        // "Binnenlandse Zaken Otto Schily".
        if nw >= 2 && !lead_tv && ctx != Ctx::Title && !first_name {
            let mut m = 0;
            while m + 1 < nw
                && words[m + 1] == words[m] + 1
                && !self.name_word(words[m])
                && self.dutch(words[m])
            {
                m += 1;
            }
            if m > 0 && self.f(words[m]) & FIRST != 0 {
                return Some(Outcome::Skip(words[m]));
            }
        }
        // "Camp David", "Kaap Verde" (a geo word that is also a surname).
        if nw >= 2 && self.f(w0) & FIRST == 0 {
            let t = self.toks[w0].text(self.text);
            if self.lex.is_geo_head(t, &mut self.buf) {
                return skip;
            }
        }
        // A title, relation word or name label keeps its chance ("de heer
        // Kross", "wijkagent Kroes", a cell under "Naam").
        let strong = matches!(ctx, Ctx::Title | Ctx::Relation | Ctx::Label);
        if !first_name && !strong {
            let t = self.toks[w0].text(self.text);
            if self.lex.is_proper_adj(t, &mut self.buf) {
                return weak;
            }

            // "GGD Rijnmond", "US Open": an acronym leads a mixed-case run.
            if nw >= 2 && self.toks[w0].upper && self.toks[w0].end - self.toks[w0].start >= 2 {
                return skip;
            }
        }
        // A place abroad of several words: the whole run or its first words.
        if nw >= 2 && (1..nw).all(|k| words[k] == words[k - 1] + 1) {
            let mut joined = String::new();
            for (k, &w) in words.iter().enumerate().take(4) {
                if k > 0 {
                    joined.push(' ');
                }
                fold_into(self.toks[w].text(self.text), &mut self.buf);
                joined.push_str(&self.buf);
                if k > 0 && self.lex.is_place_phrase(&joined) {
                    return skip;
                }
            }
        }
        // A word in camel case made of two ordinary words: a brand.
        for &w in words {
            let t = self.toks[w].text(self.text);
            if !self.name_word(w) {
                if let Some(cut) = camel_cut(t) {
                    let (a, b) = t.split_at(cut);
                    if self.lex.is_dutch_word(a, &mut self.buf)
                        && self.lex.is_dutch_word(b, &mut self.buf)
                    {
                        return skip;
                    }
                }
            }
        }
        // Only ordinary words (no name-list word).
        if !strong
            && (0..nw).all(|k| {
                let w = words[k];
                !self.name_word(w) && !self.toks[w].upper && self.dutch(w)
            })
        {
            return weak;
        }
        None
    }

    /// Initials alone after a title: "mw. B.", "dhr. v.d. B.", "Mw. El H.".
    /// Token `i` is the first initial or a capitalised tussenvoegsel; returns
    /// the tokens of the name.
    fn initials_after_title(&mut self, i: usize) -> Option<(usize, usize)> {
        let n = self.toks.len();
        let mut start = i;
        let mut k = i;
        if self.toks[i].tk == Tk::Word {
            k = self.tv_seq(i)?;
        } else {
            // An abbreviated tussenvoegsel before the initial: "v.d.", "v."
            let one = |run: &Self, k: usize, c: &str| {
                run.toks[k].is_word() && run.toks[k].text(run.text) == c
            };
            let dot = |run: &Self, k: usize| run.toks[k].is_punct(b'.');
            if i >= 4
                && dot(self, i - 1)
                && one(self, i - 2, "d")
                && dot(self, i - 3)
                && one(self, i - 4, "v")
            {
                start = i - 4;
            } else if i >= 2 && dot(self, i - 1) && one(self, i - 2, "v") {
                start = i - 2;
            }
        }
        if self.context(start).0 != Ctx::Title {
            return None;
        }
        let first_init = k;
        while k < n && self.toks[k].tk == Tk::Initials && k - first_init < 4 {
            k += 1;
        }
        if k == first_init {
            return None;
        }
        // "mw. A. de Vries", "dhr. J. Pietersen": the full grammar reads those.
        if k < n
            && (self.toks[k].cap && self.toks[k].is_word()
                || self.tv_seq(k).is_some_and(|a| a < n && self.toks[a].cap))
        {
            return None;
        }
        Some((start, k))
    }

    /// A name in lower case at token `i` after a relation word or a title:
    /// "de buurman jan", "ome kees", "mevrouw de graaf". Only words from the
    /// name lists; after a relation word a first name, after a title a surname
    /// or first name. Returns the end token.
    fn lower_name(&mut self, i: usize) -> Option<usize> {
        let t = self.toks[i];
        if !t.is_word() || t.cap || i == 0 {
            return None;
        }
        // Cheap pre-test on the word before: a relation or title word, or
        // the full stop of an abbreviated title.
        let p = i - 1;
        let pt = self.toks[p];
        let title_dot =
            pt.is_punct(b'.') && p > 0 && self.toks[p - 1].is_word() && self.f(p - 1) & TITLE != 0;
        if !title_dot {
            // Most words are ruled out by their shape, without a look-up.
            let pb = &self.text.as_bytes()[pt.start as usize..pt.end as usize];
            if !pt.is_word()
                || (self.flags[p] == UNKNOWN
                    && !self.lex.may_be_relation_or_title(pb, pt.ascii)
                    && !matches!(pb, b"heet" | b"heette" | b"genaamd"))
            {
                return None;
            }
        }
        let pf = if title_dot {
            TITLE
        } else if matches!(pt.text(self.text), "heet" | "heette" | "genaamd") {
            RELATION
        } else {
            self.f(p)
        };
        if pf & (RELATION | TITLE) == 0 {
            return None;
        }
        let never =
            NOT_NAME | TITLE | SALUTATION | RELATION | LABEL | SIGNOFF | COMPANY | PLACE_PREP;
        let ok = |run: &mut Self, k: usize, want: u16| {
            let w = run.toks[k];
            if !w.is_word() || w.cap || w.end - w.start < 3 {
                return false;
            }
            let fl = run.f(k);
            fl & want != 0 && fl & never == 0
        };
        if pf & TITLE != 0 {
            // "mevrouw de graaf", "meneer bakker".
            let k = self
                .tv_seq(i)
                .filter(|&a| !self.toks[i].cap && a > i)
                .unwrap_or(i);
            if k < self.toks.len() && ok(self, k, SURNAME | FIRST) {
                return Some(k + 1);
            }
            return None;
        }
        if !ok(self, i, FIRST) {
            return None;
        }
        // A lower-case surname that is no ordinary word may follow ("ferhat yilmaz").
        let mut end = i + 1;
        if end < self.toks.len() && ok(self, end, SURNAME) && !self.dutch(end) {
            end += 1;
        }
        Some(end)
    }

    fn finding(&self, from: usize, to: usize, conf: f32, rule: &'static str) -> Finding {
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

    /// When the lower-case words right before token `i` are a tussenvoegsel
    /// that follows a title ("mevrouw van der Berg"), the index where the
    /// tussenvoegsel starts; otherwise `i`.
    fn title_tv_start(&mut self, i: usize) -> usize {
        // Cheap test first: a short lower-case one-word tussenvoegsel before `i`.
        if i == 0 {
            return i;
        }
        let p = self.toks[i - 1];
        if !(p.is_word() && !p.cap && p.end - p.start <= 5) || self.f(i - 1) & TV1 == 0 {
            return i;
        }
        let mut k = i;
        while k > 0 && i - k < 3 {
            let t = self.toks[k - 1];
            if !(t.is_word() && !t.cap && t.end - t.start <= 5) {
                break;
            }
            k -= 1;
        }
        // Longest tussenvoegsel that ends right before `i`, after a title.
        for s in k..i {
            if self.tv_seq(s) == Some(i) && self.context(s).0 == Ctx::Title {
                return s;
            }
        }
        i
    }

    /// Try a name starting at token `i`.
    fn try_at(&mut self, i: usize) -> Outcome {
        let n = self.toks.len();
        // Quick reject: an ordinary word ("Het", "Maandag") never starts a name.
        if self.toks[i].tk == Tk::Word && self.toks[i].cap {
            let fl = self.f(i);
            let never = NOT_NAME | RELATION | TITLE | SALUTATION | SIGNOFF | COMPANY;
            if fl & never != 0 && fl & (FIRST | SURNAME | TV) == 0 {
                return Outcome::Skip(i + 1);
            }
        }
        let (ctx, sentence_start) = self.context(i);
        let mut j = i;
        let mut inits = 0;
        while j < n && self.toks[j].tk == Tk::Initials {
            if self.is_company(j) {
                return Outcome::Skip(j + 1);
            }
            j += 1;
            inits += 1;
        }
        let mut words: [usize; MAX_WORDS] = [0; MAX_WORDS];
        let mut nw = 0;
        let mut tvs = 0;
        let mut lead_tv = false;
        while j < n && nw < MAX_WORDS {
            let lenient = ctx == Ctx::Title || inits > 0;
            let lenient_colon = lenient || nw > 0 || ctx == Ctx::Chat;
            if let Some(after) = self.tv_seq(j) {
                // "Kees Verbruggen van de NMBS": an all-caps word after a
                // tussenvoegsel in a mixed-case name is an organisation.
                let org_after = nw > 0
                    && after < n
                    && self.toks[after].upper
                    && !self.toks[words[0]].upper
                    && self.f(after) & (FIRST | SURNAME) == 0;
                if after < n && !org_after && self.nameable(after, true) {
                    if nw == 0 && inits == 0 {
                        lead_tv = true;
                    }
                    tvs += 1;
                    words[nw] = after;
                    nw += 1;
                    j = after + 1;
                    continue;
                }
                break;
            }
            if self.nameable_in(j, lenient_colon, lenient) {
                words[nw] = j;
                nw += 1;
                j += 1;
                // A double name with a tussenvoegsel after the hyphen:
                // "Weenk-ten Have", "Berg-van Dijk".
                let w = self.toks[j - 1].text(self.text);
                if let Some((_, tail)) = w.rsplit_once('-') {
                    let mut b = String::new();
                    if self.lex.flags(tail, &mut b) & TV1 != 0
                        && j < n
                        && self.nameable(j, true)
                        && nw < MAX_WORDS
                    {
                        words[nw] = j;
                        nw += 1;
                        j += 1;
                    }
                }
                continue;
            }
            break;
        }
        let words = &words[..nw];

        // Surname-first forms: "Vries, J.P. de", "Vries de, J.P.", "DE VRIES, J.P.".
        if nw > 0 && inits == 0 {
            let mut k = j;
            if let Some(after) = self.tv_seq(k) {
                if self.toks.get(after).is_some_and(|t| t.is_punct(b',')) && !self.toks[k].cap {
                    k = after;
                }
            }
            let all_place = words
                .iter()
                .all(|&w| self.f(w) & PLACE != 0 && self.f(w) & (FIRST | SURNAME) == 0);
            if nw <= 3 {
                // A place name can be a surname too ("Hoogland, T.T."): with
                // initials that end the name, the surname-first form decides.
                let rev = self.rev_tail(k).filter(|&(end, conf)| {
                    !all_place
                        || (conf >= 0.9
                            && self
                                .toks
                                .get(end)
                                .is_none_or(|t| !t.is_word() && t.tk != Tk::Initials))
                });
                // "Ria, Giovanni" in a list: two first names are no
                // surname-first display name ("Dekker, Marieke").
                let in_list = i > 0 && {
                    let p = self.toks[i - 1];
                    p.is_punct(b',') || (p.is_word() && p.text(self.text) == "en")
                };
                let rev = rev.filter(|&(end, conf)| {
                    let list_goes_on = self.toks.get(end).is_some_and(|t| {
                        t.is_punct(b',') || (t.is_word() && t.text(self.text) == "en")
                    });
                    conf >= 0.9
                        || (self.f(words[0]) & (FIRST | SURNAME) != FIRST
                            && !in_list
                            && !list_goes_on)
                });
                if let Some((end, conf)) = rev {
                    let conf = if ctx == Ctx::None {
                        conf
                    } else {
                        conf.max(0.9)
                    };
                    return Outcome::Found(end, self.finding(i, end, conf, "name.reversed"));
                }
            }
        }
        if nw == 0 {
            return Outcome::Skip(j.max(i + 1));
        }
        // A street ("Willem de Zwijgerlaan", "Christiaan Huygensstraat").
        let mut k = j;
        while let Some(after) = self.tv_seq(k) {
            if after == k || after - k > 3 {
                break;
            }
            k = after;
        }
        if k < n && self.is_street_word(k) {
            return Outcome::Skip(k + 1);
        }
        // A company ("Bouwbedrijf Jansen", "Jansen B.V.", "Jansen Oost B.V.",
        // "Jansen & Zn").
        if i > 0 && self.is_company(i - 1) {
            return Outcome::Skip(j);
        }
        let mut k = j;
        while k < n && k < j + 3 {
            let t = self.toks[k];
            let capital = t.cap && matches!(t.tk, Tk::Word | Tk::Initials);
            if !capital && !t.is_punct(b'&') {
                // "Jansen bouw b.v.": lower-case legal forms count too.
                if t.is_word() && t.end - t.start <= 4 && self.is_company(k) {
                    return Outcome::Skip(k + 1);
                }
                break;
            }
            if self.is_company(k) {
                return Outcome::Skip(k + 1);
            }
            k += 1;
        }

        // An all-caps word that is no name ("IBAN", "BSN") inside a
        // mixed-case run ends the name: "Over IBAN ...", "Jansen BSN ...".
        let mut cut = words.len();
        if !words.iter().all(|&w| self.toks[w].upper) {
            for (n, &w) in words.iter().enumerate() {
                if self.toks[w].upper && self.f(w) & NOT_NAME != 0 {
                    cut = n;
                    break;
                }
            }
        }
        let words = &words[..cut];
        let nw = cut;
        if nw == 0 {
            return Outcome::Skip(j.max(i + 1));
        }
        if inits == 0 {
            if let Some(o) = self.not_a_person(words, j, ctx, lead_tv) {
                return o;
            }
        }
        // A chat sender ends at its colon; without one the line is a message.
        let ctx = if ctx == Ctx::Chat {
            let end = *words.last().unwrap() + 1;
            if !self.toks.get(end).is_some_and(|t| t.is_punct(b':')) {
                Ctx::None
            } else if (0..nw).all(|k| self.f(words[k]) & FIRST == 0)
                && self.f(words[nw - 1]) & PLACE != 0
            {
                // "Woonstad Utrecht:": an organisation's account.
                return Outcome::Skip(j.max(i + 1));
            } else {
                Ctx::Chat
            }
        } else {
            ctx
        };
        let first = words[0];
        let ff = self.f(first);
        let all_upper = words.iter().all(|&w| self.toks[w].upper);
        let known_first = ff & FIRST != 0 && !lead_tv;
        let known_sur = words[usize::from(nw > 1)..]
            .iter()
            .any(|&w| self.f(w) & SURNAME != 0);
        let all_place = words
            .iter()
            .all(|&w| self.f(w) & PLACE != 0 && self.f(w) & (FIRST | SURNAME) == 0);
        let plain = ff & (NOT_NAME | PLACE) == 0;
        // "geboren te Nieuw Nickerie", "verhuisd naar Oost Souburg".
        let place_prep = i > 0 && {
            let p = self.toks[i - 1];
            p.is_word() && !p.cap && self.f(i - 1) & PLACE_PREP != 0
        };
        if place_prep && inits == 0 && ctx == Ctx::None && !(known_first && nw >= 2) {
            return Outcome::Skip(j.max(i + 1));
        }

        // An adjective before a role is no name: "Andere getuige",
        // "Vorige huurder" (a known name keeps its chance: "Jan buurman").
        if nw == 1
            && inits == 0
            && ctx != Ctx::None
            && self.f(words[0]) & (FIRST | SURNAME) == 0
            && self.word(j).is_some_and(|t| !t.cap)
            && self.f(j) & (RELATION | LABEL) != 0
        {
            return Outcome::Skip(j);
        }
        // An apposition names the role after the name: "Fatima, de
        // buurvrouw", "Sem, het kind van de buren".
        let ctx = if ctx == Ctx::None && self.apposition(*words.last().unwrap() + 1) {
            Ctx::Relation
        } else {
            ctx
        };
        // Words that are no name ("partner IBAN ...", a title "Over IBAN", a
        // cell "A"): context alone does not make them one.
        let not_name_first = ff & NOT_NAME != 0 && (ff & (FIRST | SURNAME) == 0 || all_upper);
        let lone_non_name = inits == 0
            && (not_name_first || (nw == 1 && self.toks[first].end - self.toks[first].start < 2));
        let conf: f32 = if inits > 0 {
            0.9
        } else {
            match ctx {
                Ctx::Title => 0.9,
                _ if lone_non_name => 0.0,
                Ctx::Salutation | Ctx::Relation if !all_place => 0.85,
                Ctx::Label | Ctx::Signoff | Ctx::Chat if !all_place && (!all_upper || nw > 1) => {
                    0.85
                }
                _ if all_upper && nw >= 2 && known_first && known_sur => 0.7,
                _ if all_upper => 0.0,
                _ if nw >= 2 && known_first => 0.85,
                _ if nw >= 2 && lead_tv && known_sur => 0.7,
                // "Anna van Essen"; but not "Brief van Jansen" at a sentence start.
                _ if nw >= 2 && tvs > 0 && plain && !all_place && !sentence_start => 0.7,
                _ if nw >= 2 && known_sur && plain && !all_place => 0.65,
                // Two or three unknown capitalised words: a name only inside a
                // sentence ("belde Zorbadis Quelin") or as a whole table cell,
                // not in a title-case heading.
                _ if (2..=3).contains(&nw) && plain && !all_place && !place_prep => {
                    let inside = i > 0 && {
                        let p = self.toks[i - 1];
                        (p.is_word() && !p.cap) || p.is_punct(b',') || p.is_punct(b'(')
                    };
                    // A cell: after a tab up to a tab or the line end, or from the
                    // line start up to a tab.
                    let nx = self.toks.get(j);
                    let cell = i > 0
                        && match self.toks[i - 1].tk {
                            Tk::Punct(b'\t') => {
                                nx.is_none_or(|t| t.is_punct(b'\t') || t.tk == Tk::Newline)
                            }
                            Tk::Newline => nx.is_some_and(|t| t.is_punct(b'\t')),
                            _ => false,
                        };
                    if inside || cell {
                        0.5
                    } else {
                        0.0
                    }
                }
                _ if nw == 1 && known_first && plain => {
                    if sentence_start {
                        0.55
                    } else {
                        0.6
                    }
                }
                _ => 0.0,
            }
        };
        let end = *words.last().unwrap() + 1;
        if conf <= 0.0 {
            if inits == 0 && !lone_non_name && !all_place && !place_prep {
                return Outcome::Weak(j.max(i + 1), i, end);
            }
            return Outcome::Skip(j.max(i + 1));
        }
        Outcome::Found(end, self.finding(i, end, conf, "name.forward"))
    }
}

/// Where a word in camel case splits ("VluchtelingenWerk" -> 13): an upper-case
/// letter after four or more lower-case ones.
fn camel_cut(w: &str) -> Option<usize> {
    let b = w.as_bytes();
    let mut lower = 0;
    for (k, &c) in b.iter().enumerate() {
        if c.is_ascii_lowercase() {
            lower += 1;
        } else if c.is_ascii_uppercase() && k > 0 {
            return (lower >= 4 && k + 2 < b.len()).then_some(k);
        } else if !c.is_ascii_uppercase() {
            lower = 0;
        }
    }
    None
}

/// Names found with at least this confidence teach their words to [`Mentions`].
const MENTION_SOURCE: f32 = 0.8;

/// The words of the names found with confidence in one text ("Sharine" and
/// "Anthony" of "onze monteur Sharine Anthony"), so that a later or earlier
/// mention of one of them on its own ("bel dan Sharine") is found too.
#[derive(Default)]
struct Mentions {
    /// [`word_key`] of the words.
    words: std::collections::HashSet<u64, std::hash::BuildHasherDefault<PassThrough>>,
    /// Their shapes: most words of a text are ruled out without hashing.
    shapes: ShapeFilter,
}

impl Mentions {
    fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Learn the words of the name in tokens `from..to`.
    fn learn(&mut self, run: &mut Run, from: usize, to: usize) {
        for k in from..to {
            if !run.mention_word(k) {
                continue;
            }
            let w = run.toks[k].text(run.text);
            self.words.insert(run.key(k));
            self.shapes.insert(&fold(w));
            // The parts of a double name ("Dekker-Weijland").
            if w.contains('-') {
                for part in w.split('-').filter(|p| p.chars().count() >= 3) {
                    if run.lex.flags(part, &mut run.buf) & (TV | NOT_NAME | PLACE) == 0 {
                        self.words.insert(word_key(part, &mut run.buf));
                        self.shapes.insert(&fold(part));
                    }
                }
            }
        }
    }

    /// The end of the longest run of known words (tussenvoegsels between
    /// them allowed) at the start of tokens `from..to`, if any.
    fn known_prefix(&self, run: &mut Run, from: usize, to: usize) -> Option<usize> {
        let mut end = None;
        let mut k = from;
        while k < to {
            let t = run.toks[k];
            if t.is_word() && t.cap {
                if !self.words.contains(&run.key(k)) {
                    break;
                }
                end = Some(k + 1);
            } else if !(t.is_word() && run.f(k) & TV != 0) {
                break;
            }
            k += 1;
        }
        end
    }
}

impl Run<'_> {
    /// Whether the candidate at token `a` is joined by "en" / "&" to the
    /// name that ended at token `e`, on the same line and in the same clause
    /// ("de kinderen Sem (8) en Noor").
    fn coordinated(&mut self, e: usize, a: usize) -> bool {
        if a < e + 2 || a - e > 10 {
            return false;
        }
        let p = self.toks[a - 1];
        let joined = p.is_punct(b'&') || (p.is_word() && p.text(self.text) == "en");
        joined
            && self.toks[e..a - 1].iter().all(|t| {
                t.tk != Tk::Newline
                    && !matches!(t.tk, Tk::Punct(b'.' | b'!' | b'?' | b';' | b':' | b','))
                    && !(t.is_word() && t.cap)
            })
    }
}

impl NameDetector {
    /// Whether a segment label (CSV column, e-mail header) names a person field.
    fn label_is_name(&self, label: &str) -> bool {
        let l = fold(label.trim().trim_end_matches(':'));
        if self.lex.is_label(&l) {
            return true;
        }
        let last = l.rsplit([' ', '_', '-', '.']).next().unwrap_or(&l);
        let mut b = String::new();
        self.lex.flags(last, &mut b) & LABEL != 0
    }
}

/// Long texts are read in chunks of about this many bytes, cut at a line
/// end, so that the token buffers stay small.
const CHUNK: usize = 64 * 1024;
/// Lines before a chunk that are read again as context (a letter closing
/// above a signature line).
const CONTEXT_LINES: usize = 3;

/// What one text carries from chunk to chunk: the names learnt so far and
/// buffers reused for tokens, their flags and keys.
#[derive(Default)]
struct Scratch {
    mentions: Mentions,
    toks: Vec<Tok>,
    flags: Vec<u16>,
    keys: Vec<u64>,
}

impl NameDetector {
    /// Names in `text[from..to]`, reading `text[ctx..from]` as context only.
    fn detect_chunk(
        &self,
        text: &str,
        (ctx, from, to): (usize, usize, usize),
        label_ctx: bool,
        scratch: &mut Scratch,
        out: &mut Vec<Finding>,
    ) {
        let chunk = &text[ctx..to];
        if chunk.len() >= u32::MAX as usize {
            return; // one line of 4 GB without a space: not text
        }
        let Scratch {
            mentions,
            toks,
            flags,
            keys,
        } = scratch;
        tokenize(chunk, toks);
        flags.clear();
        flags.resize(toks.len(), UNKNOWN);
        keys.clear();
        keys.resize(toks.len(), 0);
        let mut run = Run {
            text: chunk,
            toks,
            lex: self.lex,
            flags: std::mem::take(flags),
            keys: std::mem::take(keys),
            buf: String::new(),
            label_ctx: label_ctx && ctx == 0,
        };
        let toks = run.toks;
        let n = toks.len();
        let emit_from = (from - ctx) as u32;
        // Name-shaped candidates without evidence, decided at the end of the
        // chunk by the words of the names found (before or after them).
        let mut weak: Vec<(usize, usize)> = Vec::new();
        // Tokens of the names found (start, end), in order.
        let mut covered: Vec<(usize, usize)> = Vec::new();
        // The last name found with confidence: (end token, its confidence).
        let mut last: Option<usize> = None;
        // A finding in this chunk's own range, moved to text offsets.
        let emit = |mut f: Finding, out: &mut Vec<Finding>| {
            if f.start as u32 >= emit_from {
                f.start += ctx;
                f.end += ctx;
                out.push(f);
            }
        };
        let mut i = 0;
        while i < n {
            let t = toks[i];
            let start = match t.tk {
                Tk::Initials => true,
                Tk::Word if t.cap => true,
                _ => false,
            };
            if !start {
                if let Some(end) = run.lower_name(i) {
                    emit(run.finding(i, end, 0.7, "name.lower"), out);
                    covered.push((i, end));
                    i = end;
                } else {
                    i += 1;
                }
                continue;
            }
            if t.tk == Tk::Initials || run.f(i) & TV != 0 {
                if let Some((a, b)) = run.initials_after_title(i) {
                    emit(run.finding(a, b, 0.85, "name.initials"), out);
                    covered.push((a, b));
                    i = b;
                    continue;
                }
            }
            // "mevrouw van der Berg": a lower-case tussenvoegsel between a
            // title and this word starts the name.
            let from = run.title_tv_start(i);
            match run.try_at(from) {
                Outcome::Found(end, f) => {
                    covered.push((from, end));
                    if f.confidence >= MENTION_SOURCE {
                        mentions.learn(&mut run, from, end);
                        last = Some(end);
                    }
                    emit(f, out);
                    i = end.max(i + 1);
                }
                Outcome::Weak(next, a, b) => {
                    if last.is_some_and(|e| run.coordinated(e, a)) {
                        // "de kinderen Sem en Noor": a name joined to one found.
                        emit(run.finding(a, b, 0.7, "name.coordinated"), out);
                        covered.push((a, b));
                        mentions.learn(&mut run, a, b);
                        last = Some(b);
                    } else {
                        weak.push((a, b));
                    }
                    i = next.max(i + 1);
                }
                Outcome::Skip(next) => i = next.max(i + 1),
            }
        }
        if !mentions.is_empty() {
            for (a, b) in weak {
                if let Some(end) = mentions.known_prefix(&mut run, a, b) {
                    emit(run.finding(a, end, 0.6, "name.mention"), out);
                }
            }
            // A learnt name written in lower case later or earlier ("wilma").
            for (k, &t) in toks.iter().enumerate() {
                if !t.is_word() || t.cap || t.end - t.start < 3 {
                    continue;
                }
                let tb = &run.text.as_bytes()[t.start as usize..t.end as usize];
                if !mentions.shapes.may_contain_bytes(tb, t.ascii)
                    || !mentions.words.contains(&run.key(k))
                {
                    continue;
                }
                let fl = run.f(k);
                // An ordinary word that is also a surname ("bakker") stays a word.
                if fl & (TV | TITLE | RELATION | LABEL | SALUTATION | SIGNOFF | COMPANY) != 0
                    || (fl & FIRST == 0 && (fl & NOT_NAME != 0 || run.dutch(k)))
                {
                    continue;
                }
                let inside = covered
                    .partition_point(|&(a, _)| a <= k)
                    .checked_sub(1)
                    .is_some_and(|c| covered[c].1 > k);
                if !inside {
                    emit(run.finding(k, k + 1, 0.6, "name.mention"), out);
                }
            }
        }
        *flags = run.flags;
        *keys = run.keys;
    }
}

impl Detector for NameDetector {
    fn detect(&self, text: &str, label: Option<&str>, out: &mut Vec<Finding>) {
        let label_ctx = label.is_some_and(|l| self.label_is_name(l));
        let mut scratch = Scratch::default();
        let b = text.as_bytes();
        let mut from = 0;
        let mut ctx = 0;
        while from < text.len() {
            let mut to = text.len();
            if to - from > 2 * CHUNK {
                // Cut after a newline; a text without one is cut at a space.
                let cut = from + CHUNK;
                to = memchr::memchr(b'\n', &b[cut..])
                    .or_else(|| memchr::memchr(b' ', &b[cut..]))
                    .map_or(text.len(), |k| cut + k + 1);
            }
            self.detect_chunk(text, (ctx, from, to), label_ctx, &mut scratch, out);
            // The next chunk re-reads the last few lines as context.
            let mut c = to;
            for _ in 0..=CONTEXT_LINES {
                match memchr::memrchr(b'\n', &b[from..c.saturating_sub(1).max(from)]) {
                    Some(k) => c = from + k + 1,
                    None => {
                        c = from;
                        break;
                    }
                }
            }
            ctx = c.min(to);
            from = to;
        }
    }
}

#[cfg(test)]
mod tests;
