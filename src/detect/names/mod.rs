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
//!
//! The files: `tokens` and `keys`/`lexicon` (words and their tables),
//! `words` (what one token is), `context` (what stands around a candidate),
//! `grammar` (whether a candidate is a name), `mentions` (names learnt in
//! one text); this file runs them over a text in chunks.

mod context;
mod grammar;
pub mod keys;
pub mod lexicon;
mod mentions;
pub mod tokens;
mod words;

use super::{Detector, Finding};
use crate::kind::Kind;
use lexicon::*;
use mentions::{Mentions, MENTION_SOURCE};
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
