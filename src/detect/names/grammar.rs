//! The name grammar: whether a run of capitalised words, initials and
//! tussenvoegsels starting at a token is a person's name (`Run::try_at`),
//! what rules a candidate out (ordinary words, places, organisations), and
//! the lower-case and initials-only forms after a title or relation.

use super::*;

impl Run<'_> {
    /// Candidates that are no person (words `words`, the run ending before
    /// token `j`): a leading ordinary word before a name ("Bel Jan de Vries",
    /// "Cultuur Bert Anciaux": the name starts at the next word), a place
    /// ("Verenigde Staten", "Kaap Verde", "Camp ..."), an adjective of a
    /// place ("Vlaamse ..."), an organisation written with an acronym ("GGD
    /// Rijnmond") or in camel case ("VluchtelingenWerk"), or a run of
    /// ordinary Dutch words ("Veilig Thuis").
    pub(super) fn not_a_person(
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
    pub(super) fn initials_after_title(&mut self, i: usize) -> Option<(usize, usize)> {
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
    pub(super) fn lower_name(&mut self, i: usize) -> Option<usize> {
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

    /// When the lower-case words right before token `i` are a tussenvoegsel
    /// that follows a title ("mevrouw van der Berg"), the index where the
    /// tussenvoegsel starts; otherwise `i`.
    pub(super) fn title_tv_start(&mut self, i: usize) -> usize {
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
    pub(super) fn try_at(&mut self, i: usize) -> Outcome {
        let n = self.toks.len();
        // Quick reject: an ordinary word ("Het", "Maandag") never starts a name.
        if self.toks[i].tk == Tk::Word && self.toks[i].cap {
            let fl = self.f(i);
            let never = NOT_NAME | RELATION | TITLE | SALUTATION | SIGNOFF | COMPANY;
            if fl & never != 0 && fl & (FIRST | SURNAME | TV) == 0 {
                return Outcome::Skip(i + 1);
            }
        }
        // A role joined to an organisation or place by a hyphen
        // ("VRT-journalist", "Likoed-leider"): no part of the name after it.
        if self.toks[i].tk == Tk::Word && self.toks[i].cap {
            let w = self.toks[i].text(self.text);
            if let Some((_, tail)) = w.rsplit_once('-') {
                if tail.starts_with(|c: char| c.is_lowercase())
                    && self.lex.flags(tail, &mut self.buf) & TV == 0
                    && self.lex.is_dutch_word(tail, &mut self.buf)
                {
                    return Outcome::Skip(i + 1);
                }
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
                // A name holds one tussenvoegsel group, after its first
                // names: "Patrick Du Bois van Sabena", "Kees Broere in de
                // Volkskrant" end before the second group, or before a group
                // after a first name and a surname.
                let hyphen_tv = nw > 0 && {
                    let w = self.toks[words[nw - 1]].text(self.text);
                    // "Jansen-van 't Hof": the group goes on after the hyphen.
                    w.rsplit_once('-')
                        .is_some_and(|(_, t)| self.lex.flags(t, &mut self.buf) & TV != 0)
                };
                // "Milosevic van Sierra Leone", "Pichon in de Verenigde
                // Staten": a place after the group is where, not who.
                let place_after = after < n && {
                    let fa = self.f(after);
                    (fa & PLACE != 0 && fa & (FIRST | SURNAME) == 0)
                        || (after + 1 < n && self.place_phrase(after, after + 2))
                };
                let complete = place_after
                    || !hyphen_tv
                        && (tvs > 0
                            || (nw >= 2
                                && self.f(words[0]) & FIRST != 0
                                && self.f(words[nw - 1]) & FIRST == 0
                                && inits == 0));
                if after < n && !org_after && !complete && self.nameable(after, true) {
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
            // A middle initial between a first name and a surname
            // ("Thomas L. Friedman", "Stephen P. Cohen").
            if nw > 0
                && tvs == 0
                && self.toks[j].tk == Tk::Initials
                && self.toks[j].end - self.toks[j].start == 2
                && self.f(words[nw - 1]) & FIRST != 0
                && self.word(j + 1).is_some_and(|t| t.cap)
                && !self.is_company(j)
                && self.nameable(j + 1, true)
            {
                j += 1;
                continue;
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
