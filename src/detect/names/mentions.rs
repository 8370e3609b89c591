//! Names learnt in one text: the words of names found with confidence, so
//! that a later or earlier mention of one of them on its own is found too,
//! and names joined by "en" to a name found.

use super::*;

/// Names found with at least this confidence teach their words to [`Mentions`].
pub(super) const MENTION_SOURCE: f32 = 0.8;

/// The words of the names found with confidence in one text ("Sharine" and
/// "Anthony" of "onze monteur Sharine Anthony"), so that a later or earlier
/// mention of one of them on its own ("bel dan Sharine") is found too.
#[derive(Default)]
pub(super) struct Mentions {
    /// [`word_key`] of the words.
    pub(super) words: std::collections::HashSet<u64, std::hash::BuildHasherDefault<PassThrough>>,
    /// Their shapes: most words of a text are ruled out without hashing.
    pub(super) shapes: ShapeFilter,
}

impl Mentions {
    pub(super) fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Learn the words of the name in tokens `from..to`.
    pub(super) fn learn(&mut self, run: &mut Run, from: usize, to: usize) {
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
    pub(super) fn known_prefix(&self, run: &mut Run, from: usize, to: usize) -> Option<usize> {
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
    pub(super) fn coordinated(&mut self, e: usize, a: usize) -> bool {
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
