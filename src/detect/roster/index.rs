//! The index a roster is searched with: each anchor word (hash) with its
//! forms and shapes, a Bloom filter before it, and the numbers and e-mail
//! addresses by fingerprint of their normalized value. Built in one pass over
//! the rows of one roster file after another.

use super::file::*;
use super::forms::*;
use super::tokens::*;
use crate::detect::names::lexicon::{Lexicon, PassThrough};
use crate::detect::normalize::normalize;
use crate::kind::Kind;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// A map keyed by a hash that is already well mixed.
pub(super) type Hashed<V> = HashMap<u64, V, BuildHasherDefault<PassThrough>>;

/// Known people.
pub struct Roster {
    /// Anchor word (hash of its folded form) -> its entry.
    pub(super) anchors: Hashed<Anchor>,
    /// A Bloom filter (one bit per anchor) before the probe of `anchors`.
    pub(super) bloom: Vec<u64>,
    /// Bit n: some anchor folds to an ASCII word of n bytes ([`ascii_len_bit`]).
    /// Most words of a text are not probed at all.
    pub(super) ascii_lens: u64,
    /// Per anchor, sorted: (tokens before, tokens after) the anchor in a form.
    pub(super) shapes: Vec<(u8, u8)>,
    /// Per anchor, sorted: the token-sequence hash of each of its forms, the
    /// form's kind and the person (index in `rows`) it belongs to (kept
    /// together: the few forms of one anchor are looked up in one place).
    pub(super) forms: Vec<(u64, Kind, u32)>,
    /// Values the pattern detectors find and normalize themselves (BSN, IBAN,
    /// e-mail, phone ...), by [`fingerprint`], sorted, with their person:
    /// looked up, not searched for.
    pub(super) known: Vec<(u64, u32)>,
    /// Per person: its file, row and id.
    pub(super) rows: Vec<RowRef>,
    /// The id column values of all people, one after another.
    pub(super) id_text: String,
    pub(super) files: Vec<IdFile>,
}

/// Forms with fewer letters and digits than this are not looked for: too
/// short to be safe over all text ("Li", "J. Li").
pub(super) const MIN_ALNUM: u32 = 4;

/// An anchor word's entry in the index.
#[derive(Clone, Copy, Debug)]
pub(super) struct Anchor {
    /// Its shapes: a range in [`Roster::shapes`].
    pub(super) shapes: (u32, u32),
    /// Its forms: a range in [`Roster::forms`].
    pub(super) forms: (u32, u32),
    /// The tokens right before and right after the anchor in its forms, one
    /// bit each ([`near_bit`]): a quick test before the tokens further away
    /// are read (most anchors in running text are surnames that are also
    /// words: "Wijk", "Ketel").
    pub(super) before: u64,
    pub(super) after: u64,
}

pub(super) fn near_bit(h: u64) -> u64 {
    1 << (h >> 58)
}

/// A 64-bit fingerprint of a normalized value (SipHash). With 200,000 values
/// in a roster, a value that is not among them matches one by chance about
/// once in 10^14 look-ups; name and address forms are 64-bit hashes too.
pub(super) fn fingerprint(kind: Kind, norm: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    (kind, norm).hash(&mut h);
    h.finish()
}

/// The bit of an anchor hash in the Bloom filter of `bits` bits (a power of 2).
#[inline]
pub(super) fn bloom_bit(h: u64, bits: usize) -> usize {
    (h >> 20) as usize & (bits - 1)
}

/// An anchor's entry while the index is built.
#[derive(Default)]
pub(super) struct Pending {
    pub(super) forms: Vec<(u64, Kind, u32)>,
    pub(super) shapes: Vec<(u8, u8)>,
    pub(super) before: u64,
    pub(super) after: u64,
}

/// Builds the index from the forms of one value after another.
#[derive(Default)]
pub(super) struct Builder {
    /// Fingerprints of the values looked up, not searched for, and their
    /// person.
    pub(super) known: Vec<(u64, u32)>,
    pub(super) rows: Vec<RowRef>,
    pub(super) id_text: String,
    pub(super) files: Vec<IdFile>,
    /// The current value's forms.
    pub(super) value_forms: Forms,
    pub(super) anchors: Hashed<Pending>,
    pub(super) ascii_lens: u64,
    /// Hashes of the current value's forms (forms often coincide as tokens:
    /// "J.P." and "J. P.").
    pub(super) seen: Vec<u64>,
    /// Tokens of the current value's pieces, and each piece's range in it
    /// (`None`: the piece cannot match).
    pub(super) piece_toks: Vec<Tok>,
    pub(super) piece_at: Vec<Option<(usize, usize)>>,
    pub(super) form_toks: Vec<Tok>,
    pub(super) scratch: Vec<Tok>,
    pub(super) buf: String,
}

impl Builder {
    /// Add one person's values: the person at data row `row` of the file
    /// being read (the last of `files` once it is pushed), with id `key`.
    pub(super) fn person(&mut self, row: u32, key: Option<&str>, values: &[(Kind, &str)]) {
        let person = self.rows.len() as u32;
        let from = self.id_text.len() as u32;
        self.id_text.push_str(key.unwrap_or(""));
        self.rows.push(RowRef {
            file: self.files.len() as u32,
            row,
            key: (from, self.id_text.len() as u32),
        });
        let mut f = std::mem::take(&mut self.value_forms);
        for &(kind, v) in values {
            f.clear();
            match kind {
                Kind::Name => name_forms(v, Lexicon::get(), &mut self.buf, &mut f),
                Kind::Address => address_forms(v, &mut f, &mut self.scratch, &mut self.buf),
                _ => {
                    self.known
                        .push((fingerprint(kind, &normalize(kind, v)), person));
                    continue;
                }
            }
            self.add(&f, kind, person);
        }
        self.value_forms = f;
    }

    /// The file whose people were just added is done.
    pub(super) fn file_done(&mut self, name: String, keys: bool) {
        self.files.push(IdFile { name, keys });
    }

    /// Index the forms in `f`, each found as `kind` of `person`.
    pub(super) fn add(&mut self, f: &Forms, kind: Kind, person: u32) {
        self.piece_toks.clear();
        self.piece_at.clear();
        for p in 0..f.pieces.len() {
            let ok = tokenize(f.get(p as u16), &mut self.scratch, &mut self.buf);
            let from = self.piece_toks.len();
            self.piece_toks.extend_from_slice(&self.scratch);
            self.piece_at
                .push(ok.then_some((from, self.piece_toks.len())));
        }
        self.seen.clear();
        'form: for form in &f.forms {
            self.form_toks.clear();
            let mut anchor = None;
            for &p in &form.parts[..form.len as usize] {
                let Some((from, to)) = self.piece_at[p as usize] else {
                    continue 'form;
                };
                let toks = &self.piece_toks[from..to];
                if p == form.anchor {
                    anchor = toks
                        .iter()
                        .rposition(|t| t.letter)
                        .map(|i| self.form_toks.len() + i);
                }
                self.form_toks.extend_from_slice(toks);
            }
            let toks = &self.form_toks;
            if toks.iter().map(|t| t.alnum).sum::<u32>() < MIN_ALNUM {
                continue;
            }
            // No anchor piece: the longest word (the last of equals).
            let anchor = anchor.or_else(|| {
                toks.iter()
                    .enumerate()
                    .filter(|(_, t)| t.letter)
                    .max_by_key(|(i, t)| (t.alnum, *i))
                    .map(|(i, _)| i)
            });
            let Some(a) = anchor else {
                continue;
            };
            let (before, after) = (a, toks.len() - a - 1);
            let (Ok(before), Ok(after)) = (u8::try_from(before), u8::try_from(after)) else {
                continue;
            };
            let h = toks.iter().fold(SEED, |h, t| step(h, t.h));
            if self.seen.contains(&h) {
                continue;
            }
            self.seen.push(h);
            self.ascii_lens |= match toks[a].ascii_len {
                0 => 0,
                n => 1 << n,
            };
            let e = self.anchors.entry(toks[a].h).or_insert_with(|| Pending {
                forms: Vec::with_capacity(8),
                ..Pending::default()
            });
            e.forms.push((h, kind, person));
            if !e.shapes.contains(&(before, after)) {
                e.shapes.push((before, after));
            }
            if a > 0 {
                e.before |= near_bit(toks[a - 1].h);
            }
            if let Some(t) = toks.get(a + 1) {
                e.after |= near_bit(t.h);
            }
        }
    }

    pub(super) fn finish(self) -> Roster {
        let mut known = self.known;
        let mut anchors = Hashed::with_capacity_and_hasher(self.anchors.len(), Default::default());
        let (mut shapes, mut forms) = (Vec::new(), Vec::new());
        // About 16 bits per anchor, at least 4096.
        let bits = (self.anchors.len() * 16).next_power_of_two().max(1 << 12);
        let mut bloom = vec![0u64; bits / 64];
        for (h, mut p) in self.anchors {
            p.shapes.sort_unstable();
            let from = shapes.len() as u32;
            shapes.extend_from_slice(&p.shapes);
            let shapes_at = (from, shapes.len() as u32);
            // The same form as a name and as an address: one kind, the same
            // in every run; of several people, the first.
            p.forms.sort_unstable();
            p.forms.dedup_by_key(|f| f.0);
            let from = forms.len() as u32;
            forms.extend_from_slice(&p.forms);
            anchors.insert(
                h,
                Anchor {
                    shapes: shapes_at,
                    forms: (from, forms.len() as u32),
                    before: p.before,
                    after: p.after,
                },
            );
            let bit = bloom_bit(h, bits);
            bloom[bit / 64] |= 1 << (bit % 64);
        }
        Roster {
            anchors,
            bloom,
            ascii_lens: self.ascii_lens,
            shapes,
            forms,
            // A value of several people: the first.
            known: {
                known.sort_unstable();
                known.dedup_by_key(|k| k.0);
                known
            },
            rows: self.rows,
            id_text: self.id_text,
            files: self.files,
        }
    }
}
