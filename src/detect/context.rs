//! Context words ("hotwords"): one case-insensitive Aho-Corasick automaton
//! over the context and negative words of every detector. A detector asks for
//! the nearest hotword of its own around a match, or in the segment's label.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// Whether a hotword raises or lowers confidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Polarity {
    /// The hotword makes the match more likely personal data.
    Positive,
    /// The hotword makes the match less likely personal data.
    Negative,
}

/// Bytes before a match searched for hotwords.
pub const BEFORE: usize = 64;
/// Bytes after a match (same line only).
pub const AFTER: usize = 24;

/// The hotwords of all detectors in one automaton.
pub struct Hotwords {
    ac: Option<AhoCorasick>,
    /// Per automaton pattern (each word once): the detectors it is a
    /// hotword of, with its polarity for each. A word shared by detectors
    /// ("geboren" for a date and an address) counts for every one of them.
    owners: Vec<Vec<(usize, Polarity)>>,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

impl Hotwords {
    /// `words[i]` are the (positive, negative) words of detector `i`.
    pub fn new(words: &[(Vec<String>, Vec<String>)]) -> Self {
        let mut pats: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<(usize, Polarity)>> = Vec::new();
        let mut index = std::collections::HashMap::new();
        for (i, (pos, neg)) in words.iter().enumerate() {
            let all = pos
                .iter()
                .map(|w| (w, Polarity::Positive))
                .chain(neg.iter().map(|w| (w, Polarity::Negative)));
            for (w, pol) in all {
                let w = w.to_lowercase();
                let k = *index.entry(w.clone()).or_insert_with(|| {
                    pats.push(w);
                    owners.push(Vec::new());
                    pats.len() - 1
                });
                if !owners[k].iter().any(|&(d, _)| d == i) {
                    owners[k].push((i, pol));
                }
            }
        }
        let ac = (!pats.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .build(&pats)
                .expect("hotword automaton builds")
        });
        Hotwords { ac, owners }
    }

    /// Hotwords of `detector` in `hay` as whole words: (start, end, polarity).
    fn hits<'a>(
        &'a self,
        hay: &'a str,
        detector: usize,
    ) -> impl Iterator<Item = (usize, usize, Polarity)> + 'a {
        let b = hay.as_bytes();
        self.ac
            .iter()
            .flat_map(move |ac| ac.find_iter(hay))
            .filter_map(move |m| {
                let &(_, pol) = self.owners[m.pattern().as_usize()]
                    .iter()
                    .find(|&&(d, _)| d == detector)?;
                let (s, e) = (m.start(), m.end());
                let word_end = b[e - 1];
                let left_ok = s == 0 || !is_word_byte(b[s - 1]);
                let right_ok =
                    e == b.len() || !is_word_byte(word_end) || !b[e].is_ascii_alphabetic();
                (left_ok && right_ok).then_some((s, e, pol))
            })
    }

    /// The polarity of the hotword nearest to `text[start..end]`: first the
    /// text before the match on its own line (or on the line above, when the
    /// match starts its line, as in a form with the label above the value;
    /// nearest wins), then the rest of its line, then the segment label.
    pub fn nearest(
        &self,
        text: &str,
        start: usize,
        end: usize,
        label: Option<&str>,
        detector: usize,
    ) -> Option<Polarity> {
        let mut lo = start.saturating_sub(BEFORE);
        while !text.is_char_boundary(lo) {
            lo += 1;
        }
        // Only the window is searched for line breaks: one long line must
        // not cost a scan back to its start for every finding.
        let window = &text[lo..start];
        let lo = match window.rfind('\n') {
            Some(i) if window[i + 1..].trim().is_empty() => {
                // The value starts its line: the line above counts too.
                window[..i].rfind('\n').map_or(lo, |j| lo + j + 1)
            }
            Some(i) => lo + i + 1,
            None => lo,
        };
        let before = &text[lo..start];
        // A negative word with another number between it and the match
        // labels that number ("BSN 390046462. Bel me op 06-..."), not this one.
        let has_digit = |s: &[u8]| s.iter().any(u8::is_ascii_digit);
        let bb = before.as_bytes();
        if let Some((_, _, p)) = self
            .hits(before, detector)
            .filter(|&(_, e, p)| p == Polarity::Positive || !has_digit(&bb[e..]))
            .max_by_key(|&(_, e, _)| e)
        {
            return Some(p);
        }
        let mut hi = (end + AFTER).min(text.len());
        while !text.is_char_boundary(hi) {
            hi -= 1;
        }
        let after = &text[end..hi];
        let after = &after[..after.find('\n').unwrap_or(after.len())];
        let ab = after.as_bytes();
        if let Some((_, _, p)) = self
            .hits(after, detector)
            .filter(|&(s, _, p)| p == Polarity::Positive || !has_digit(&ab[..s]))
            .min_by_key(|&(s, _, _)| s)
        {
            return Some(p);
        }
        self.in_label(label?, detector)
    }

    /// The polarity of `detector`'s hotwords in a segment label: negative
    /// when any is negative ("BSN / klantnummer").
    pub fn in_label(&self, label: &str, detector: usize) -> Option<Polarity> {
        let mut found = None;
        for (_, _, p) in self.hits(label, detector) {
            if p == Polarity::Negative {
                return Some(p);
            }
            found = Some(p);
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hw() -> Hotwords {
        Hotwords::new(&[
            (
                vec!["bsn".into(), "burgerservicenummer".into()],
                vec!["klantnummer".into()],
            ),
            (vec!["geb.".into(), "BSN".into()], vec![]),
        ])
    }

    #[test]
    fn a_negative_word_belongs_to_the_number_right_after_it() {
        let h = hw();
        let t = "Klantnummer 888448020, en mijn nummer is 283605674";
        let s = t.find("283").unwrap();
        assert_eq!(h.nearest(t, s, s + 9, None, 0), None);
        let s = t.find("888").unwrap();
        assert_eq!(h.nearest(t, s, s + 9, None, 0), Some(Polarity::Negative));
    }

    #[test]
    fn a_word_shared_by_two_detectors_counts_for_both() {
        let h = hw();
        let t = "BSN 123456782";
        assert_eq!(h.nearest(t, 4, 13, None, 0), Some(Polarity::Positive));
        assert_eq!(h.nearest(t, 4, 13, None, 1), Some(Polarity::Positive));
    }

    #[test]
    fn nearest_before_wins() {
        let h = hw();
        let t = "Klantnummer: 888448020\nBSN: 283605674";
        let s = t.find("283").unwrap();
        assert_eq!(h.nearest(t, s, s + 9, None, 0), Some(Polarity::Positive));
        let s = t.find("888").unwrap();
        assert_eq!(h.nearest(t, s, s + 9, None, 0), Some(Polarity::Negative));
    }

    #[test]
    fn whole_words_only_and_labels() {
        let h = hw();
        let t = "xbsnx 123456782";
        assert_eq!(h.nearest(t, 6, 15, None, 0), None);
        assert_eq!(
            h.nearest("123456782", 0, 9, Some("BSN"), 0),
            Some(Polarity::Positive)
        );
        assert_eq!(
            h.nearest("123456782", 0, 9, Some("Klantnummer"), 0),
            Some(Polarity::Negative)
        );
        // another detector's words do not count
        assert_eq!(h.nearest("geb. 1-1-1990", 5, 13, None, 0), None);
        assert_eq!(
            h.nearest("geb. 1-1-1990", 5, 13, None, 1),
            Some(Polarity::Positive)
        );
        // after the match, same line
        assert_eq!(
            h.nearest("123456782 (BSN)", 0, 9, None, 0),
            Some(Polarity::Positive)
        );
        assert_eq!(h.nearest("123456782\nBSN", 0, 9, None, 0), None);
        // context on an earlier line does not count, unless the value starts the next line
        let t = "BSN: 1\nnotitie 123456782";
        assert_eq!(h.nearest(t, t.len() - 9, t.len(), None, 0), None);
        let t = "BSN:\n123456782";
        assert_eq!(
            h.nearest(t, t.len() - 9, t.len(), None, 0),
            Some(Polarity::Positive)
        );
    }
}
