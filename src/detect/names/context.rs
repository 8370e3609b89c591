//! What stands around a candidate: the context before it (title, greeting,
//! relation, label, letter closing on the line above, chat sender), surname-
//! first tails ("Vries, J.P. de") and appositions after it.

use super::*;

impl Run<'_> {
    /// What the line before the newline at token `nl` is (skipping one blank
    /// line): a letter closing ("Met vriendelijke groet,") or a label on a
    /// line of its own (a form: "Naam" above the name).
    pub(super) fn line_above(&mut self, nl: usize) -> Option<Ctx> {
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
    pub(super) fn context(&mut self, i: usize) -> (Ctx, bool) {
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
    pub(super) fn chat_prefix(&self, p: usize) -> bool {
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
    pub(super) fn plain_sender(&mut self, i: usize) -> bool {
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
    pub(super) fn label_line(&mut self, p: usize) -> bool {
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
    pub(super) fn rev_tail(&mut self, j: usize) -> Option<(usize, f32)> {
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
    pub(super) fn apposition(&mut self, j: usize) -> bool {
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
}
