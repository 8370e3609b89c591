//! Word 97–2003 documents (`.doc`, `.dot`): the text of every story (body,
//! footnotes, headers and footers, comments, endnotes, text boxes) from the
//! `WordDocument` stream, found through the piece table (the CLX in the
//! `0Table`/`1Table` stream, located by the FIB). Pieces are 8-bit
//! (Windows-1252, "compressed") or UTF-16. Paragraphs become segments with
//! the story as `part` and their index as `paragraph`; field results are
//! read in line, field instructions (`HYPERLINK "mailto:..."`) as segments
//! of their own labelled `field`. The document properties (title, author,
//! last author, company, ...) are segments with `part: "properties"`
//! ([`crate::container::olps`]).
//!
//! Encrypted or obfuscated documents are `needs_review`. Word 6/95 files
//! (an older FIB, no table stream) are read from their raw text range and
//! marked `needs_review`, since fast-saved ones keep text elsewhere too.
//! Every offset of the FIB and the piece table is checked against its
//! stream: a bogus one is an error naming the structure, never a panic.
//! Embedded objects (`ObjectPool`) and comment authors are not read.
//!
//! Written by hand: the crates that read `.doc` text (`rwml`, `kakemono`,
//! `rs-chunks`, `kreuzberg`, ...) are whole document toolkits with their
//! own compound-file readers and many dependencies; the part needed here
//! (FIB, CLX, pieces) is small and specified in [MS-DOC] 2.4.1. The
//! compound file is opened with `cfb` ([`crate::container::ole`]).
//! `redact` does not write `.doc`: such a file is `needs_review` (see
//! [`crate::redact::legacy`]).

use crate::container::ole::Ole;
use crate::container::olps;
use crate::document::{Location, Segment};
use crate::extract::{ExtractError, ReadCtx, Reader, Sink, Source};
use encoding_rs::WINDOWS_1252;

/// The reader of Word 97–2003 documents.
pub struct DocReader;

const FORMAT: &str = "doc";
/// `wIdent` of a Word document.
const WORD_IDENT: u16 = 0xA5EC;
/// Lowest `nFib` of Word 97 and later.
const NFIB_97: u16 = 0x00C1;
/// Index of `fcClx`/`lcbClx` in `FibRgFcLcb`.
const CLX_PAIR: usize = 33;
/// Deepest field nesting tracked.
const MAX_FIELDS: usize = 64;

/// The stories of a document, in character-position order, with the
/// `FibRgLw97` index of their length.
const STORIES: &[(&str, usize)] = &[
    ("body", 3),
    ("footnotes", 4),
    ("headers", 5),
    ("macros", 6),
    ("comments", 7),
    ("endnotes", 8),
    ("textboxes", 9),
    ("header textboxes", 10),
];

fn err(detail: impl std::fmt::Display) -> ExtractError {
    ExtractError::parse(FORMAT, detail)
}

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    b.get(i..i.checked_add(2)?)
        .map(|x| u16::from_le_bytes([x[0], x[1]]))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    b.get(i..i.checked_add(4)?)
        .map(|x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]))
}

/// What the FIB says about the text.
#[derive(Debug)]
struct Fib {
    n_fib: u16,
    encrypted: bool,
    table: &'static str,
    /// Lengths (in characters) of the stories of [`STORIES`].
    ccp: Vec<u32>,
    clx: (u32, u32),
    /// `fcMin`, `fcMac`: the raw text range (Word 6/95).
    raw: (u32, u32),
}

fn parse_fib(w: &[u8]) -> Result<Fib, ExtractError> {
    let short = || err("the FIB is cut short (WordDocument stream too small)");
    if u16_at(w, 0).ok_or_else(short)? != WORD_IDENT {
        return Err(err(
            "no Word signature at the start of the WordDocument stream",
        ));
    }
    let n_fib = u16_at(w, 2).ok_or_else(short)?;
    let flags = u16_at(w, 10).ok_or_else(short)?;
    let raw = (
        u32_at(w, 24).ok_or_else(short)?,
        u32_at(w, 28).ok_or_else(short)?,
    );
    let encrypted = flags & 0x0100 != 0 || flags & 0x8000 != 0;
    let table = if flags & 0x0200 != 0 {
        "/1Table"
    } else {
        "/0Table"
    };
    let mut fib = Fib {
        n_fib,
        encrypted,
        table,
        ccp: Vec::new(),
        clx: (0, 0),
        raw,
    };
    if n_fib < NFIB_97 || encrypted {
        return Ok(fib);
    }
    // FibRgW97, FibRgLw97, FibRgFcLcb: each after its own count.
    let csw = u16_at(w, 32).ok_or_else(short)? as usize;
    let at = 34 + csw * 2;
    let cslw = u16_at(w, at).ok_or_else(short)? as usize;
    let lw = at + 2;
    if cslw < 11 {
        return Err(err(format!(
            "FIB: FibRgLw has {cslw} fields, fewer than 11"
        )));
    }
    for &(_, i) in STORIES {
        fib.ccp.push(u32_at(w, lw + 4 * i).ok_or_else(short)?);
    }
    let at = lw + cslw * 4;
    let pairs = u16_at(w, at).ok_or_else(short)? as usize;
    if pairs <= CLX_PAIR {
        return Err(err(format!("FIB: FibRgFcLcb has {pairs} pairs, no fcClx")));
    }
    let clx = at + 2 + CLX_PAIR * 8;
    fib.clx = (
        u32_at(w, clx).ok_or_else(short)?,
        u32_at(w, clx + 4).ok_or_else(short)?,
    );
    Ok(fib)
}

/// One piece: `len` characters at byte `offset` of the WordDocument stream.
#[derive(Debug, PartialEq)]
struct Piece {
    offset: usize,
    len: usize,
    compressed: bool,
}

/// The pieces of the CLX (`Prc`* then `Pcdt`) at `clx` in the table stream.
fn pieces(
    table: &[u8],
    (fc, lcb): (u32, u32),
    word_len: usize,
) -> Result<Vec<Piece>, ExtractError> {
    let (start, len) = (fc as usize, lcb as usize);
    let clx = start
        .checked_add(len)
        .and_then(|end| table.get(start..end))
        .ok_or_else(|| {
            err(format!(
                "the CLX (offset {fc}, {lcb} bytes) lies past the end of the table stream ({} bytes)",
                table.len()
            ))
        })?;
    let mut i = 0;
    let plc = loop {
        match clx.get(i) {
            Some(1) => {
                let cb = u16_at(clx, i + 1).ok_or_else(|| err("CLX: a Prc is cut short"))?;
                i += 3 + usize::from(cb);
            }
            Some(2) => {
                let lcb = u32_at(clx, i + 1).ok_or_else(|| err("CLX: the Pcdt is cut short"))?;
                break clx
                    .get(i + 5..)
                    .and_then(|r| r.get(..lcb as usize))
                    .ok_or_else(|| {
                        err(format!(
                            "CLX: the piece table ({lcb} bytes) runs past the CLX"
                        ))
                    })?;
            }
            Some(b) => return Err(err(format!("CLX: unknown entry type {b} at byte {i}"))),
            None => return Err(err("CLX: no piece table (Pcdt)")),
        }
    };
    if plc.len() < 16 || (plc.len() - 4) % 12 != 0 {
        return Err(err(format!(
            "piece table: {} bytes is not a whole number of pieces",
            plc.len()
        )));
    }
    let n = (plc.len() - 4) / 12;
    let mut out = Vec::with_capacity(n);
    let mut total = 0usize;
    for k in 0..n {
        let (a, b) = (u32_at(plc, 4 * k), u32_at(plc, 4 * k + 4));
        let (Some(a), Some(b)) = (a, b) else { break };
        if b < a {
            return Err(err(format!("piece table: piece {k} ends before it starts")));
        }
        let len = (b - a) as usize;
        let raw = u32_at(plc, 4 * (n + 1) + 8 * k + 2).unwrap_or(0);
        let compressed = raw & 0x4000_0000 != 0;
        let fc = (raw & 0x3FFF_FFFF) as usize;
        let (offset, bytes) = if compressed {
            (fc / 2, len)
        } else {
            (fc, len.saturating_mul(2))
        };
        if offset.checked_add(bytes).is_none_or(|end| end > word_len) {
            return Err(err(format!(
                "piece {k} ({len} characters at byte {offset}) points past the end of the WordDocument stream ({word_len} bytes)"
            )));
        }
        total += len;
        // Each character takes a byte of the stream at least: pieces that
        // claim more than that overlap (hostile) and would multiply it.
        if total > word_len {
            return Err(err(format!(
                "piece table claims more text ({total} characters) than the WordDocument stream holds ({word_len} bytes)"
            )));
        }
        out.push(Piece {
            offset,
            len,
            compressed,
        });
    }
    Ok(out)
}

/// The characters of all pieces, one UTF-16 unit per character position.
fn characters(word: &[u8], pieces: &[Piece]) -> Vec<u16> {
    let mut out = Vec::new();
    for p in pieces {
        let bytes = &word[p.offset..p.offset + if p.compressed { p.len } else { p.len * 2 }];
        if p.compressed {
            let mut buf = [0u16; 2];
            for &b in bytes {
                let c = if b < 0x80 {
                    u16::from(b)
                } else {
                    let (s, _, _) = WINDOWS_1252.decode(std::slice::from_ref(&b));
                    s.chars()
                        .next()
                        .map_or(0xFFFD, |c| c.encode_utf16(&mut buf)[0])
                };
                out.push(c);
            }
        } else {
            out.extend(
                bytes
                    .chunks_exact(2)
                    .map(|u| u16::from_le_bytes([u[0], u[1]])),
            );
        }
    }
    out
}

/// The paragraphs of one story: `(text, field instructions)`.
fn paragraphs(units: &[u16]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let (mut text, mut instr) = (Vec::<u16>::new(), Vec::<u16>::new());
    // Per open field: true while in its instruction (before the separator).
    let mut fields: Vec<bool> = Vec::new();
    let mut deeper = 0usize;
    let finish = |text: &mut Vec<u16>, instr: &mut Vec<u16>, out: &mut Vec<(String, String)>| {
        let t = String::from_utf16_lossy(text);
        let i = String::from_utf16_lossy(instr);
        out.push((t, i));
        text.clear();
        instr.clear();
    };
    let mut prev = 0u16;
    for &u in units {
        let in_instr = fields.iter().any(|&f| f);
        let after_cell = std::mem::replace(&mut prev, u) == 0x07;
        match u {
            // A cell mark right after a cell mark ends a table row: the row
            // is one paragraph, its cells separated by tabs.
            0x07 if after_cell && !in_instr => finish(&mut text, &mut instr, &mut out),
            0x13 => {
                if fields.len() < MAX_FIELDS {
                    fields.push(true);
                } else {
                    deeper += 1;
                }
                if in_instr || fields.len() > 1 {
                    instr.push(u16::from(b' '));
                }
            }
            0x14 => {
                if deeper == 0 {
                    if let Some(f) = fields.last_mut() {
                        *f = false;
                    }
                }
            }
            0x15 => {
                if deeper > 0 {
                    deeper -= 1;
                } else {
                    fields.pop();
                }
                if in_instr {
                    instr.push(u16::from(b' '));
                }
            }
            0x0D | 0x0C => {
                if in_instr {
                    instr.push(u16::from(b' '));
                } else {
                    finish(&mut text, &mut instr, &mut out);
                }
            }
            _ => {
                let c = match u {
                    0x07 | 0x09 => u16::from(b'\t'),
                    0x0B => u16::from(b'\n'),
                    0x1E => u16::from(b'-'),
                    // No-break space: a space to the detectors (as in RTF).
                    0xA0 => u16::from(b' '),
                    0..0x20 => continue,
                    _ => u,
                };
                if in_instr {
                    instr.push(c);
                } else {
                    text.push(c);
                }
            }
        }
    }
    if !text.is_empty() || !instr.is_empty() {
        finish(&mut text, &mut instr, &mut out);
    }
    out
}

/// Send the paragraphs of a story as segments.
fn emit(story: &str, units: &[u16], sink: &mut dyn Sink) {
    for (i, (text, instr)) in paragraphs(units).into_iter().enumerate() {
        let loc = || Location {
            part: Some(story.to_string()),
            paragraph: Some(i as u32),
            ..Location::default()
        };
        if !text.trim().is_empty() {
            sink.segment(Segment::new(text, loc()));
        }
        if !instr.trim().is_empty() {
            sink.segment(Segment::new(instr.trim().to_string(), loc()).with_label("field"));
        }
    }
}

impl Reader for DocReader {
    fn read(
        &self,
        src: &Source,
        ctx: &ReadCtx<'_>,
        sink: &mut dyn Sink,
    ) -> Result<(), ExtractError> {
        let bytes = src.bytes()?;
        let max = ctx.limits.max_member_size;
        let mut ole = Ole::open(&bytes, FORMAT)?;
        let word = ole
            .stream("/WordDocument", max)?
            .ok_or_else(|| err("no WordDocument stream (not a Word document)"))?;
        let fib = parse_fib(&word)?;
        if fib.encrypted {
            sink.needs_review("encrypted (password-protected) Word document".into());
            return Ok(());
        }
        if fib.n_fib < NFIB_97 {
            // Word 6/95: the text between fcMin and fcMac, 8-bit.
            let (a, b) = (fib.raw.0 as usize, fib.raw.1 as usize);
            let text = word
                .get(a..b.max(a))
                .ok_or_else(|| err("Word 6/95: the text range lies past the end of the stream"))?;
            let units: Vec<u16> = WINDOWS_1252.decode(text).0.encode_utf16().collect();
            emit("body", &units, sink);
            properties(&mut ole, sink);
            sink.needs_review(format!(
                "Word 6/95 document (nFib {}): read without its piece table; fast-saved text may be missing",
                fib.n_fib
            ));
            return Ok(());
        }
        ctx.check()?;
        let table = ole
            .stream(fib.table, max)?
            .ok_or_else(|| err(format!("no {} stream named by the FIB", &fib.table[1..])))?;
        let pieces = pieces(&table, fib.clx, word.len())?;
        let units = characters(&word, &pieces);
        ctx.check()?;
        let mut at = 0usize;
        for (&(story, _), &len) in STORIES.iter().zip(&fib.ccp) {
            let end = at.saturating_add(len as usize).min(units.len());
            emit(story, &units[at..end], sink);
            at = end;
        }
        if at == 0 && !units.is_empty() {
            // The FIB gives no story lengths: everything is the body.
            emit("body", &units, sink);
        }
        properties(&mut ole, sink);
        Ok(())
    }
}

/// The document properties (title, author, last author, company, ...):
/// segments with `part: "properties"`, labelled with the property.
fn properties(ole: &mut Ole<'_>, sink: &mut dyn Sink) {
    for (stream, doc) in [(olps::SUMMARY, false), (olps::DOC_SUMMARY, true)] {
        // A property set larger than this is no set of short strings.
        let Ok(Some(data)) = ole.stream(stream, 1 << 20) else {
            continue;
        };
        for (name, text) in olps::strings(&data, doc) {
            sink.segment(Segment::new(text, Location::part("properties")).with_label(name));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testutil::run;
    use crate::testutil::legacy::{
        doc_file, doc_file_props, doc_file_with, garble, garble_streams, DocPiece, Rng,
    };

    fn texts(segs: &[Segment]) -> Vec<String> {
        segs.iter()
            .map(|s| {
                format!(
                    "{}#{}{}: {}",
                    s.loc.part.as_deref().unwrap_or(""),
                    s.loc.paragraph.unwrap_or(0),
                    s.label
                        .as_deref()
                        .map(|l| format!(" ({l})"))
                        .unwrap_or_default(),
                    s.text
                )
            })
            .collect()
    }

    #[test]
    fn compressed_and_utf16_pieces_join_in_order() {
        let doc = doc_file(
            &[
                DocPiece::Ansi("Beste Fl\u{e9}r,\r€ 12,50 voor "),
                DocPiece::Utf16("Łukasz Żółć\r"),
                DocPiece::Ansi("Tel.\t06 1234\u{b}5678\r"),
            ],
            &[],
        );
        let segs = run(&DocReader, doc).unwrap();
        assert_eq!(
            texts(&segs.segs),
            [
                "body#0: Beste Flér,",
                "body#1: € 12,50 voor Łukasz Żółć",
                "body#2: Tel.\t06 1234\n5678"
            ]
        );
    }

    #[test]
    fn stories_and_fields() {
        let body = "Zie \u{13} HYPERLINK \"mailto:a@b.nl\" \u{14}a@b.nl\u{15} hier\r";
        let text = format!("{body}Voetnoot\r");
        let n = body.chars().count() as u32;
        let doc = doc_file(&[DocPiece::Utf16(&text)], &[n, 9]);
        let segs = run(&DocReader, doc).unwrap();
        assert_eq!(
            texts(&segs.segs),
            [
                "body#0: Zie a@b.nl hier",
                "body#0 (field): HYPERLINK \"mailto:a@b.nl\"",
                "footnotes#0: Voetnoot"
            ]
        );
    }

    /// A CLX of one Pcdt holding `plc`.
    fn clx(plc: &[u8]) -> Vec<u8> {
        let mut t = vec![0x02];
        t.extend((plc.len() as u32).to_le_bytes());
        t.extend(plc);
        t
    }

    fn plc(cps: &[u32], fcs: &[u32]) -> Vec<u8> {
        let mut p: Vec<u8> = cps.iter().flat_map(|c| c.to_le_bytes()).collect();
        for fc in fcs {
            p.extend([0, 0]);
            p.extend(fc.to_le_bytes());
            p.extend([0, 0]);
        }
        p
    }

    #[test]
    fn bogus_piece_tables_are_errors_that_name_the_problem() {
        let word = 1000;
        let ok = clx(&plc(&[0, 10], &[100]));
        assert_eq!(
            pieces(&ok, (0, ok.len() as u32), word).unwrap(),
            [Piece {
                offset: 100,
                len: 10,
                compressed: false
            }]
        );
        /// A table stream, where its CLX is (the whole stream if `None`),
        /// and what the error says.
        type Case = (Vec<u8>, Option<(u32, u32)>, &'static str);
        let cases: Vec<Case> = vec![
            (
                ok.clone(),
                Some((5, ok.len() as u32)),
                "lies past the end of the table stream",
            ),
            (ok.clone(), Some((u32::MAX, 8)), "lies past the end"),
            (
                clx(&plc(&[0, 10], &[995])),
                None,
                "points past the end of the WordDocument stream",
            ),
            (
                clx(&plc(&[0, 10], &[0x4000_0000 | 1990])),
                None,
                "points past the end",
            ),
            (clx(&plc(&[0, u32::MAX], &[0])), None, "points past the end"),
            (clx(&plc(&[10, 5], &[0])), None, "ends before it starts"),
            (
                clx(&plc(&[0, 600, 1200], &[0x4000_0000, 0x4000_0000])),
                None,
                "claims more text",
            ),
            (clx(&[1, 2, 3]), None, "not a whole number of pieces"),
            (
                vec![0x02, 0xFF, 0xFF, 0xFF, 0xFF],
                None,
                "runs past the CLX",
            ),
            (vec![0x01, 0xFF, 0x7F], None, "no piece table"),
            (vec![0x07], None, "unknown entry type 7"),
        ];
        for (table, at, want) in cases {
            let at = at.unwrap_or((0, table.len() as u32));
            let e = pieces(&table, at, word).unwrap_err().to_string();
            assert!(
                e.starts_with("doc: ") && e.contains(want),
                "{e} (wanted: {want})"
            );
        }
    }

    #[test]
    fn encrypted_and_foreign_files() {
        let enc = doc_file_with(&[DocPiece::Ansi("geheim\r")], &[], 0x0100);
        let c = run(&DocReader, enc).unwrap();
        assert!(c.segs.is_empty());
        assert_eq!(c.review, ["encrypted (password-protected) Word document"]);
        let msg = crate::testutil::legacy::msg_file(&Default::default());
        let e = run(&DocReader, msg).unwrap_err().to_string();
        assert!(e.contains("no WordDocument stream"), "{e}");
        let e = run(&DocReader, b"no ole".to_vec()).unwrap_err().to_string();
        assert!(e.starts_with("doc: not an OLE compound file"), "{e}");
    }

    #[test]
    fn document_properties_are_read() {
        let doc = doc_file_props(&[DocPiece::Ansi("x\r")], &[], 0, &[(4, "Pieter Post")]);
        let c = run(&DocReader, doc).unwrap();
        let p = c.find("Pieter Post").unwrap();
        assert_eq!(p.loc.part.as_deref(), Some("properties"));
        assert_eq!(p.label.as_deref(), Some("author"));
    }

    #[test]
    fn table_rows_are_paragraphs() {
        let doc = doc_file(
            &[DocPiece::Utf16("BSN\x07123\x07\x07IBAN\x07NL\x07\x07Na\r")],
            &[],
        );
        let c = run(&DocReader, doc).unwrap();
        assert_eq!(c.texts(), ["BSN\t123\t", "IBAN\tNL\t", "Na"]);
    }

    #[test]
    fn garbled_documents_never_panic() {
        let seed = doc_file_props(
            &[
                DocPiece::Ansi("Beste \u{13}REF x\u{14}Jan\u{15}\r"),
                DocPiece::Utf16("BSN 123 456 782\x07\x07"),
                DocPiece::Ansi("voetnoot\r"),
            ],
            &[30, 9],
            0,
            &[(2, "Titel"), (4, "Auteur Naam")],
        );
        let mut rng = Rng(0xD0C_5EED);
        let (mut errors, mut read) = (0, 0);
        for i in 0..600 {
            let data = if i % 2 == 0 {
                garble(&seed, &mut rng)
            } else {
                garble_streams(&seed, &mut rng)
            };
            let outcome = std::panic::catch_unwind(|| run(&DocReader, data));
            match outcome.unwrap_or_else(|_| panic!("input {i} panicked")) {
                Ok(_) => read += 1,
                Err(e) => {
                    errors += 1;
                    let m = e.to_string();
                    assert!(
                        m.starts_with("doc: ") || m.starts_with("limit exceeded: doc"),
                        "{m}"
                    );
                }
            }
        }
        assert!(errors > 0 && read > 0, "{errors} errors, {read} read");
    }
}
