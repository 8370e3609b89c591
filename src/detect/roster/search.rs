//! The search: from capital to capital (eight bytes at a time), a probe of
//! the anchor index at each word that may be an anchor, and the candidate
//! forms around it looked up; numbers found by the pattern detectors are
//! confirmed by fingerprint.

use super::index::*;
use super::tokens::*;
use crate::detect::names::lexicon::key_hash;
use crate::detect::normalize::normalize;
use crate::detect::{Detector, Finding};
use crate::kind::Kind;

/// Confidence of a roster match.
pub(super) const CONFIDENCE: f32 = 0.97;

impl Roster {
    /// Forms around the anchor word `text[ws..we]` (hash `h`), pushed to
    /// `sc.found` as (start, end, kind, person).
    fn around(&self, text: &str, (ws, we, h): (usize, usize, u64), a: &Anchor, sc: &mut Scratch) {
        let Scratch {
            before,
            after,
            buf,
            found,
        } = sc;
        let shapes = &self.shapes[a.shapes.0 as usize..a.shapes.1 as usize];
        let forms = &self.forms[a.forms.0 as usize..a.forms.1 as usize];
        let max_before = shapes.iter().map(|s| s.0).max().unwrap_or(0) as usize;
        let max_after = shapes.iter().map(|s| s.1).max().unwrap_or(0) as usize;
        // The neighbours first: when one is not a neighbour of this anchor
        // in any form, the tokens on that side are not read.
        before.clear();
        let mut at = ws;
        while before.len() < max_before {
            let Some(t) = prev_tok(text, at, buf) else {
                break;
            };
            if before.is_empty() && a.before & near_bit(t.h) == 0 {
                break;
            }
            at = t.start;
            before.push(t);
        }
        after.clear();
        let mut at = we;
        while after.len() < max_after {
            let Some(t) = next_tok(text, at, buf) else {
                break;
            };
            if after.is_empty() && a.after & near_bit(t.h) == 0 {
                break;
            }
            at = t.end;
            after.push(t);
        }
        // Shapes are sorted by tokens before: hash that part once per group,
        // then extend over the tokens after.
        let mut k = 0;
        while k < shapes.len() {
            let nb = shapes[k].0 as usize;
            let group = shapes[k..]
                .iter()
                .take_while(|s| s.0 as usize == nb)
                .count();
            let shapes_here = &shapes[k..k + group];
            k += group;
            if nb > before.len() {
                continue;
            }
            let mut hash = before[..nb].iter().rev().fold(SEED, |x, t| step(x, t.h));
            hash = step(hash, h);
            let mut done = 0;
            for &(_, na) in shapes_here {
                let na = na as usize;
                if na > after.len() {
                    break;
                }
                while done < na {
                    hash = step(hash, after[done].h);
                    done += 1;
                }
                let Ok(at) = forms.binary_search_by_key(&hash, |f| f.0) else {
                    continue;
                };
                let (_, kind, person) = forms[at];
                let start = if nb > 0 { before[nb - 1].start } else { ws };
                let end = if na > 0 { after[na - 1].end } else { we };
                if whole(text, start, end)
                    && (kind != Kind::Name || name_stands_alone(text, start, end, buf))
                {
                    found.push((start, end, kind, person));
                }
            }
        }
    }
}

pub(super) const LO: u64 = 0x0101_0101_0101_0101;
pub(super) const HI: u64 = 0x8080_8080_8080_8080;

/// The position of the next byte at or after `i` that is an ASCII capital
/// or starts a character outside ASCII (which may be a capital: "Ö").
/// Eight bytes at a time: running text has a capital every sentence or so.
#[inline]
pub(super) fn next_capital(b: &[u8], mut i: usize) -> Option<usize> {
    while i + 8 <= b.len() {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[i..i + 8]);
        let w = u64::from_le_bytes(w);
        // A byte 0x41..=0x5A below 0x80 (SWAR "has between"), or a byte
        // with its two top bits set (a UTF-8 lead byte).
        let low7 = w & (LO * 0x7f);
        let upper = (LO * (127 + 0x5b)).wrapping_sub(low7) & !w & (low7 + LO * (127 - 0x40)) & HI;
        let lead = w & (w << 1) & HI;
        if upper | lead != 0 {
            break;
        }
        i += 8;
    }
    b.get(i..)?
        .iter()
        .position(|&x| x.is_ascii_uppercase() || x >= 0xc0)
        .map(|p| i + p)
}

/// Working space of one search.
#[derive(Default)]
pub(super) struct Scratch {
    pub(super) before: Vec<Tok>,
    pub(super) after: Vec<Tok>,
    pub(super) buf: String,
    pub(super) found: Vec<(usize, usize, Kind, u32)>,
}

impl Detector for Roster {
    fn detect(&self, text: &str, _label: Option<&str>, out: &mut Vec<Finding>) {
        if self.anchors.is_empty() {
            return;
        }
        let b = text.as_bytes();
        let n = b.len();
        let mut sc = Scratch::default();
        let bloom_bits = self.bloom.len() * 64;
        let mut i = 0;
        // Anchors are words that start with a capital ("Vries", "VRIES"):
        // jump from capital to capital.
        while let Some(p) = next_capital(b, i) {
            let c = text[p..].chars().next().unwrap_or(' ');
            i = p + c.len_utf8();
            if !c.is_uppercase() {
                continue;
            }
            // Not inside a word ("McDonald", "IJsselmeer" are looked up once).
            let prev = if p > 0 && b[p - 1] < 0x80 {
                Some(b[p - 1] as char)
            } else {
                text[..p].chars().next_back()
            };
            if prev.is_some_and(is_word_char) {
                continue;
            }
            // The whole word: ASCII letters and digits, then any word
            // characters.
            let start = p;
            while i < n && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let mut ascii = c.is_ascii();
            if i < n && b[i] >= 0x80 {
                for c in text[i..].chars() {
                    if !is_word_char(c) {
                        break;
                    }
                    ascii &= c.is_ascii();
                    i += c.len_utf8();
                }
            }
            let h = if ascii {
                if self.ascii_lens & (1 << ascii_len_bit(i - start)) == 0 {
                    continue;
                }
                key_hash(&b[start..i])
            } else {
                word_hash(&text[start..i], &mut sc.buf).0
            };
            let bit = bloom_bit(h, bloom_bits);
            if self.bloom[bit / 64] & (1 << (bit % 64)) == 0 {
                continue;
            }
            if let Some(a) = self.anchors.get(&h) {
                self.around(text, (start, i, h), a, &mut sc);
            }
        }
        // Leftmost first, then longest; no overlaps.
        let found = &mut sc.found;
        found.sort_unstable_by_key(|&(s, e, _, _)| (s, std::cmp::Reverse(e)));
        let mut last_end = 0;
        for &(start, end, kind, person) in found.iter() {
            if start < last_end {
                continue;
            }
            last_end = end;
            let value = &text[start..end];
            out.push(Finding {
                kind,
                start,
                end,
                confidence: CONFIDENCE,
                norm: match kind {
                    Kind::Name => crate::detect::names::collapse_ws(value),
                    _ => normalize(kind, value),
                },
                rule: "roster",
                roster: Some(person),
            });
        }
    }

    /// A value another detector found that is in the roster: high
    /// confidence, and the person it belongs to.
    fn confirm(&self, f: &mut Finding) {
        if f.kind == Kind::Name {
            return;
        }
        let fp = fingerprint(f.kind, &f.norm);
        if let Ok(at) = self.known.binary_search_by_key(&fp, |k| k.0) {
            f.confidence = f.confidence.max(CONFIDENCE);
            f.rule = "roster";
            f.roster = Some(self.known[at].1);
        }
    }
}
