//! PDF redaction by true removal.
//!
//! The file is read with the PDF reader's own glyph model
//! ([`crate::extract::pdf`]), so what is removed is exactly what the scanner
//! read. For every third-party finding in page text, the glyphs that make it
//! up (and overprinted fake-bold copies of them) are cut out of the content
//! streams that draw them, page contents and Form XObjects alike: the showing
//! operator is rewritten as a `TJ` array in which each removed character code
//! is replaced by the number `-advance`, so the rest of the line keeps its
//! place (`'` becomes `T* TJ`, `"` becomes `Tw Tc T* TJ`). An opaque black box
//! is drawn where the glyphs stood (the page content is wrapped in `q … Q`
//! and the boxes appended in default user space). Labels and pseudonyms are
//! not typeset into PDF pages (fonts are subsets; the audit says so).
//!
//! Annotation texts (`/Contents`, `/T`, `/Subj`) and form field values (`/V`)
//! with findings are rewritten as text strings with the run's replacement;
//! a redacted field loses its appearance stream (viewers rebuild it). Embedded
//! files go through the redactor of their own format. `/Info`, every
//! `/Metadata` (XMP), `/PieceInfo` and page thumbnails are dropped, unused
//! objects pruned (old streams with the text must not survive as orphans) and
//! a fresh file is written.
//!
//! Fail closed: an encrypted file, anything the reader flagged for review
//! (image-only pages, fonts without Unicode, content it could not parse),
//! invisible OCR text over a scanned image, and content the rewrite cannot
//! map back are reported `needs_review` or `error` and nothing is written.
//! The output is read back here: every object (strings, decoded streams, the
//! strings of each text operator) is searched for the removed values (an
//! occurrence inside a kept value, such as the subject's "Dorpsweg 4-II"
//! around a neighbour's "Dorpsweg 4", does not count), and the caller re-scans
//! it with the reader and the detectors. Pictures on pages with text (logos,
//! photos) are kept as they are; each such page gets an audit row asking for
//! a look before release.

use super::{apply, Cx, RedactError, Redactor};
use crate::document::{Location, Segment};
use crate::extract::pdf::{self as reader, OpenError, PdfPage, StreamRef};
use crate::extract::{ExtractError, Sink};
use lopdf::ObjectId;
use std::collections::BTreeMap;

/// The redactor of PDF files.
pub struct PdfRedactor;

/// What the audit says a page-text redaction was replaced by.
pub const BOX_REPLACEMENT: &str = "█ (glyphs removed, black box)";

const REASON_PAGE_OWNED: &str = "third party: not the subject's, not on the keep list; PDF page text: glyphs removed and a black box drawn (a label cannot be typeset safely, --style does not apply)";
const REASON_PAGE_ALL: &str = "no --subject given: all personal data is removed; PDF page text: glyphs removed and a black box drawn (a label cannot be typeset safely, --style does not apply)";
const REASON_META: &str =
    "document metadata (/Info, XMP): removed entirely, whoever the value belongs to";

/// Collects what the reader hands out, apart from the page glyph models.
#[derive(Default)]
struct Collect {
    segs: Vec<Segment>,
    embedded: Vec<String>,
    review: Vec<String>,
}

impl Sink for Collect {
    fn segment(&mut self, seg: Segment) {
        self.segs.push(seg);
    }
    fn embedded(&mut self, name: &str, _data: Vec<u8>) {
        self.embedded.push(name.to_string());
    }
    fn needs_review(&mut self, reason: String) {
        if !self.review.contains(&reason) {
            self.review.push(reason);
        }
    }
}

/// Where one character code to remove stands: stream, operator, string
/// element in the operator, first byte of the code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Key {
    stream: ObjectId,
    op: u32,
    elem: u32,
    start: u32,
}

/// The removed code's end byte and advance (TJ units).
#[derive(Clone, Copy, Debug)]
struct Cut {
    end: u32,
    adv: f32,
}

fn stream_id(s: StreamRef) -> ObjectId {
    match s {
        StreamRef::Page(id) | StreamRef::Form(id) => id,
    }
}

fn key_of(g: &reader::Glyph) -> Key {
    Key {
        stream: stream_id(g.stream),
        op: g.op,
        elem: g.elem,
        start: g.bytes.0,
    }
}

fn failed(msg: impl Into<String>) -> RedactError {
    RedactError::Failed(msg.into())
}

/// A text string (annotation or field) that gets its redacted text.
struct StringFix {
    /// Page number for annotations; `None` for form fields.
    page: Option<u32>,
    /// `Contents`/`T`/`Subj` for annotations, the full field name for fields.
    key: String,
    original: String,
    redacted: String,
}

impl Redactor for PdfRedactor {
    fn redact(&self, input: &[u8], cx: &mut Cx<'_>) -> Result<Vec<u8>, RedactError> {
        let mut doc = match reader::open(input) {
            Ok(d) => d,
            Err(OpenError::Encrypted) => {
                return Err(RedactError::Review(
                    "encrypted PDF (needs a password): cannot be redacted, not written".into(),
                ))
            }
            Err(OpenError::Parse(e)) => return Err(ExtractError::parse("pdf", e).into()),
        };
        let mut sink = Collect::default();
        let mut pages: Vec<PdfPage> = Vec::new();
        reader::read_document_with(&doc, &mut sink, &mut |p| pages.push(p));
        let mut review = std::mem::take(&mut sink.review);
        if pages.is_empty() {
            // A page tree that does not read: whatever the objects hold was
            // not scanned, so it cannot be called clean.
            review.push("no page could be read (broken page tree)".into());
        }

        // 1. Plan: findings to glyphs, strings and metadata.
        let mut cuts: BTreeMap<Key, Cut> = BTreeMap::new();
        let mut fixes: Vec<StringFix> = Vec::new();
        // (value as it stood, its replacement) of every redacted finding.
        let mut values: Vec<(String, String)> = Vec::new();
        for seg in &sink.segs {
            let before = cx.audit.len();
            let edits = cx.plan(seg);
            if edits.is_empty() {
                continue;
            }
            values.extend(
                edits
                    .iter()
                    .map(|e| (seg.text[e.start..e.end].to_string(), e.text.clone())),
            );
            let part = seg.loc.part.as_deref();
            match (seg.loc.page, part) {
                (Some(n), None) => {
                    let page = pages
                        .iter()
                        .find(|p| p.number == n)
                        .ok_or_else(|| failed("a page finding has no glyph model"))?;
                    let mut picked: Vec<u32> = Vec::new();
                    for e in &edits {
                        picked.extend(page.text.glyphs_in(e.start, e.end));
                    }
                    picked.sort_unstable();
                    picked.dedup();
                    if picked.is_empty() {
                        return Err(failed(format!(
                            "page {n}: a finding could not be mapped to glyphs"
                        )));
                    }
                    let dupes = overprints(page, &picked);
                    picked.extend(dupes);
                    let pg = &page.glyphs;
                    for &i in &picked {
                        let g = &pg.glyphs[i as usize];
                        if g.render == 3 && pg.images > 0 {
                            let r = format!(
                                "page {n}: text to redact is an invisible OCR layer over a scanned image; the image cannot be redacted"
                            );
                            if !review.contains(&r) {
                                review.push(r);
                            }
                        }
                        cuts.insert(
                            key_of(g),
                            Cut {
                                end: g.bytes.1,
                                adv: g.adv,
                            },
                        );
                    }
                    for row in &mut cx.audit[before..] {
                        row.reason = match row.owner {
                            Some(_) => REASON_PAGE_OWNED,
                            None => REASON_PAGE_ALL,
                        };
                        row.replacement = BOX_REPLACEMENT.to_string();
                    }
                }
                (_, Some(p)) if p.starts_with("info:") || p == "xmp" => {
                    for row in &mut cx.audit[before..] {
                        row.reason = REASON_META;
                        row.replacement = "(removed)".to_string();
                    }
                }
                (Some(n), Some(p)) if p.starts_with("annot:") => fixes.push(StringFix {
                    page: Some(n),
                    key: p["annot:".len()..].to_string(),
                    original: seg.text.clone(),
                    redacted: apply(&seg.text, &edits),
                }),
                (None, Some(p)) if p.starts_with("form:") => fixes.push(StringFix {
                    page: None,
                    key: p["form:".len()..].to_string(),
                    original: seg.text.clone(),
                    redacted: apply(&seg.text, &edits),
                }),
                _ => {
                    return Err(failed(
                        "a finding stands in a part of the PDF this redactor cannot rewrite",
                    ))
                }
            }
        }
        if !review.is_empty() {
            return Err(RedactError::Review(format!(
                "{}: not written",
                review.join("; ")
            )));
        }

        // Pictures stay as they are: the audit asks for a look at them.
        for page in pages.iter().filter(|p| p.glyphs.images > 0) {
            cx.image_kept(Location::page(page.number));
        }

        // 2. Rewrite: content streams, boxes, strings, embedded files.
        rewrite_streams(&mut doc, &cuts)?;
        for page in &pages {
            let rects = boxes(page, &cuts);
            if !rects.is_empty() {
                add_boxes(&mut doc, page.id, &rects)?;
            }
        }
        fix_strings(&mut doc, &pages, &fixes)?;
        redact_embedded(&mut doc, &sink.embedded, cx)?;

        // 3. Scrub metadata and other strings, drop orphans, write a fresh file.
        scrub(&mut doc);
        scrub_strings(&mut doc, &values);
        doc.prune_objects();
        doc.compress();
        let mut out = Vec::new();
        doc.save_to(&mut out)
            .map_err(|e| failed(format!("cannot write the redacted PDF: {e}")))?;

        // 4. Read the output back and look for what was removed.
        let back = reader::open(&out)
            .map_err(|_| failed("the redacted PDF does not open again: not written".to_string()))?;
        if back.get_pages().len() != pages.len() {
            return Err(failed(
                "the redacted PDF does not have the pages of the original: not written",
            ));
        }
        let left = leftovers(&back, &values, &cx.kept);
        if left > 0 {
            return Err(failed(format!(
                "{left} removed value(s) still stand in the redacted PDF's objects: not written"
            )));
        }
        Ok(out)
    }
}

mod boxes;
mod content;
mod embedded;
mod scrub;
mod strings;
mod verify;

use boxes::{add_boxes, boxes};
use content::{overprints, rewrite_streams};
use embedded::redact_embedded;
use scrub::{scrub, scrub_strings};
use strings::fix_strings;
use verify::leftovers;

#[cfg(test)]
mod tests;
