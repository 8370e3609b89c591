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
use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, ObjectId, Stream};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

pub struct PdfRedactor;

/// What the audit says a page-text redaction was replaced by.
pub const BOX_REPLACEMENT: &str = "█ (glyphs removed, black box)";

const REASON_PAGE_OWNED: &str = "third party: not the subject's, not on the keep list; PDF page text: glyphs removed and a black box drawn (a label cannot be typeset safely, --style does not apply)";
const REASON_PAGE_ALL: &str = "no --subject given: all personal data is removed; PDF page text: glyphs removed and a black box drawn (a label cannot be typeset safely, --style does not apply)";
const REASON_META: &str =
    "document metadata (/Info, XMP): removed entirely, whoever the value belongs to";

/// Extra margin around each box, in points.
const PAD: f32 = 0.4;
/// Overprinted copies (fake bold) lie within this distance, in points.
const OVERPRINT_DIST: f32 = 1.0;

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

/// Glyphs drawn again on (almost) the same spot as a picked glyph, with the
/// same text and size: fake-bold or shadow copies that layout shows once.
fn overprints(page: &PdfPage, picked: &[u32]) -> Vec<u32> {
    let pg = &page.glyphs;
    let cell = |v: f32| (v / OVERPRINT_DIST).floor() as i32;
    let mut grid: HashMap<(&str, i32, i32), Vec<u32>> = HashMap::new();
    for &i in picked {
        let g = &pg.glyphs[i as usize];
        let t = pg.glyph_text(g);
        if t.trim().is_empty() {
            continue;
        }
        grid.entry((t, cell(g.origin[0]), cell(g.origin[1])))
            .or_default()
            .push(i);
    }
    if grid.is_empty() {
        return Vec::new();
    }
    let picked: HashSet<u32> = picked.iter().copied().collect();
    let mut out = Vec::new();
    for (i, h) in pg.glyphs.iter().enumerate() {
        let i = i as u32;
        if picked.contains(&i) {
            continue;
        }
        let t = pg.glyph_text(h);
        if t.trim().is_empty() {
            continue;
        }
        let (cx, cy) = (cell(h.origin[0]), cell(h.origin[1]));
        let hit = (-1..=1).any(|dx| {
            (-1..=1).any(|dy| {
                grid.get(&(t, cx + dx, cy + dy)).is_some_and(|v| {
                    v.iter().any(|&p| {
                        let g = &pg.glyphs[p as usize];
                        (g.origin[0] - h.origin[0]).abs() <= OVERPRINT_DIST
                            && (g.origin[1] - h.origin[1]).abs() <= OVERPRINT_DIST
                            && (g.size - h.size).abs() <= 0.1 * g.size.abs()
                    })
                })
            })
        });
        if hit {
            out.push(i);
        }
    }
    out
}

/// The cuts in one stream: operator index to (string element, first byte, cut).
type OpCuts = BTreeMap<u32, Vec<(u32, u32, Cut)>>;

/// Cut the planned glyphs out of every content stream that draws them.
fn rewrite_streams(doc: &mut Document, cuts: &BTreeMap<Key, Cut>) -> Result<(), RedactError> {
    let mut by_stream: BTreeMap<ObjectId, OpCuts> = BTreeMap::new();
    for (k, c) in cuts {
        by_stream
            .entry(k.stream)
            .or_default()
            .entry(k.op)
            .or_default()
            .push((k.elem, k.start, *c));
    }
    for (id, ops) in by_stream {
        let stream = doc
            .get_object_mut(id)
            .and_then(|o| o.as_stream_mut())
            .map_err(|_| failed("a content stream to rewrite is missing"))?;
        let data = stream
            .get_plain_content_with_limit(reader::MAX_STREAM)
            .map_err(|_| failed("a content stream to rewrite cannot be decoded"))?;
        let operations: Vec<Operation> = Content::decode_iter(&data)
            .collect::<Result<_, _>>()
            .map_err(|_| failed("a content stream to rewrite cannot be parsed"))?;
        if ops
            .keys()
            .next_back()
            .is_some_and(|&last| last as usize >= operations.len())
        {
            return Err(failed(
                "a text operator to rewrite is not where the reader saw it",
            ));
        }
        let mut out = Vec::with_capacity(operations.len() + 4 * ops.len());
        for (i, op) in operations.into_iter().enumerate() {
            match ops.get(&(i as u32)) {
                Some(c) => out.extend(rewrite_op(op, c)?),
                None => out.push(op),
            }
        }
        let bytes = Content { operations: out }
            .encode()
            .map_err(|e| failed(format!("cannot encode a rewritten content stream: {e}")))?;
        stream.set_plain_content(bytes);
    }
    Ok(())
}

fn number(v: f32) -> Object {
    let r = (v * 1000.0).round() / 1000.0;
    if r.fract() == 0.0 && r.abs() < 1e9 {
        Object::Integer(r as i64)
    } else {
        Object::Real(r)
    }
}

fn push_number(arr: &mut Vec<Object>, v: f32) {
    if let Some(last) = arr.last_mut() {
        let prev = match last {
            Object::Integer(i) => Some(*i as f32),
            Object::Real(r) => Some(*r),
            _ => None,
        };
        if let Some(p) = prev {
            *last = number(p + v);
            return;
        }
    }
    arr.push(number(v));
}

/// One text-showing operator with some codes cut out: the operators that
/// replace it (a `TJ`, preceded by what `'` and `"` did implicitly).
fn rewrite_op(op: Operation, cuts: &[(u32, u32, Cut)]) -> Result<Vec<Operation>, RedactError> {
    let bad = || failed("a text operator to rewrite has an unexpected form");
    let mut o = op.operands;
    let (mut before, elems): (Vec<Operation>, Vec<Object>) = match op.operator.as_str() {
        "Tj" if !o.is_empty() => (vec![], vec![o.swap_remove(0)]),
        "'" if !o.is_empty() => (vec![Operation::new("T*", vec![])], vec![o.swap_remove(0)]),
        "\"" if o.len() >= 3 => {
            let s = o.remove(2);
            let ac = o.remove(1);
            let aw = o.remove(0);
            (
                vec![
                    Operation::new("Tw", vec![aw]),
                    Operation::new("Tc", vec![ac]),
                    Operation::new("T*", vec![]),
                ],
                vec![s],
            )
        }
        "TJ" if !o.is_empty() => match o.swap_remove(0) {
            Object::Array(a) => (vec![], a),
            _ => return Err(bad()),
        },
        _ => return Err(bad()),
    };
    let mut arr: Vec<Object> = Vec::with_capacity(elems.len() + 2 * cuts.len());
    let mut used = 0usize;
    for (e, item) in elems.into_iter().enumerate() {
        let mine: Vec<(u32, Cut)> = cuts
            .iter()
            .filter(|c| c.0 as usize == e)
            .map(|c| (c.1, c.2))
            .collect();
        match item {
            Object::String(s, fmt) if !mine.is_empty() => {
                used += mine.len();
                let mut at = 0usize;
                for (start, cut) in mine {
                    let (start, end) = (start as usize, cut.end as usize);
                    if start < at || end <= start || end > s.len() {
                        return Err(bad());
                    }
                    if start > at {
                        arr.push(Object::String(s[at..start].to_vec(), fmt));
                    }
                    push_number(&mut arr, -cut.adv);
                    at = end;
                }
                if at < s.len() {
                    arr.push(Object::String(s[at..].to_vec(), fmt));
                }
            }
            Object::Integer(_) | Object::Real(_) => {
                let v = match item {
                    Object::Integer(i) => i as f32,
                    Object::Real(r) => r,
                    _ => 0.0,
                };
                push_number(&mut arr, v);
            }
            other => arr.push(other),
        }
    }
    if used != cuts.len() {
        return Err(bad());
    }
    before.push(Operation::new("TJ", vec![Object::Array(arr)]));
    Ok(before)
}

/// Black boxes (page space, `[x0 y0 x1 y1]`) over the removed glyphs of a
/// page: one per run of removed glyphs on one line.
fn boxes(page: &PdfPage, cuts: &BTreeMap<Key, Cut>) -> Vec<[f32; 4]> {
    let mut rects: Vec<[f32; 4]> = Vec::new();
    let mut cur: Option<([f32; 4], &reader::Glyph)> = None;
    for g in &page.glyphs.glyphs {
        if !cuts.contains_key(&key_of(g)) {
            if let Some((r, _)) = cur.take() {
                rects.push(r);
            }
            continue;
        }
        let b = g.bbox;
        if b.iter().any(|v| !v.is_finite()) {
            continue;
        }
        cur = Some(match cur {
            Some((r, p)) if same_run(p, g) => (
                [
                    r[0].min(b[0]),
                    r[1].min(b[1]),
                    r[2].max(b[2]),
                    r[3].max(b[3]),
                ],
                g,
            ),
            Some((r, _)) => {
                rects.push(r);
                (b, g)
            }
            None => (b, g),
        });
    }
    if let Some((r, _)) = cur {
        rects.push(r);
    }
    rects
}

/// Two removed glyphs in content order that one box may cover: same line,
/// close together.
fn same_run(p: &reader::Glyph, g: &reader::Glyph) -> bool {
    let size = p.size.max(g.size).max(1.0);
    let dy = (g.origin[1] - p.origin[1]).abs();
    let gap = g.origin[0] - p.end[0];
    dy <= 0.5 * size && gap.abs() <= 2.0 * size
}

/// How many `q` the page's content leaves open at its end.
fn open_saves(doc: &Document, page: ObjectId) -> usize {
    let mut depth = 0usize;
    for id in doc.get_page_contents(page) {
        let Ok(data) = doc
            .get_object(id)
            .and_then(|o| o.as_stream())
            .and_then(|s| s.get_plain_content_with_limit(reader::MAX_STREAM))
        else {
            continue;
        };
        for op in Content::decode_iter(&data).map_while(Result::ok) {
            match op.operator.as_str() {
                "q" => depth += 1,
                "Q" => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    depth
}

/// Wrap the page content in `q … Q` and paint the boxes after it.
fn add_boxes(doc: &mut Document, page: ObjectId, rects: &[[f32; 4]]) -> Result<(), RedactError> {
    let open = open_saves(doc, page);
    let mut tail = "Q\n".repeat(open + 1);
    tail.push_str("q 0 0 0 rg\n");
    for r in rects {
        let (x0, y0) = (r[0] - PAD, r[1] - PAD);
        let (w, h) = ((r[2] - r[0]) + 2.0 * PAD, (r[3] - r[1]) + 2.0 * PAD);
        tail.push_str(&format!("{x0:.2} {y0:.2} {w:.2} {h:.2} re\n"));
    }
    tail.push_str("f\nQ\n");
    let contents = doc.get_page_contents(page);
    let head = doc.add_object(Stream::new(dictionary! {}, b"q\n".to_vec()));
    let tail = doc.add_object(Stream::new(dictionary! {}, tail.into_bytes()));
    let mut arr: Vec<Object> = vec![head.into()];
    arr.extend(contents.into_iter().map(Object::Reference));
    arr.push(tail.into());
    let dict = doc
        .get_object_mut(page)
        .and_then(|o| o.as_dict_mut())
        .map_err(|_| failed("a page to draw boxes on is missing"))?;
    dict.set("Contents", Object::Array(arr));
    Ok(())
}

/// The annotation objects of a page; annotations written inline in `/Annots`
/// become objects of their own so they can be edited.
fn annotation_ids(doc: &mut Document, page: ObjectId) -> Vec<ObjectId> {
    let annots = doc
        .get_dictionary(page)
        .ok()
        .and_then(|d| d.get(b"Annots").ok())
        .cloned();
    let (holder, mut arr) = match annots {
        Some(Object::Reference(id)) => match doc.get_object(id).and_then(|o| o.as_array()) {
            Ok(a) => (Some(id), a.clone()),
            Err(_) => return Vec::new(),
        },
        Some(Object::Array(a)) => (None, a),
        _ => return Vec::new(),
    };
    let mut ids = Vec::new();
    let mut changed = false;
    for item in arr.iter_mut() {
        match item {
            Object::Reference(id) => ids.push(*id),
            Object::Dictionary(d) => {
                let id = doc.add_object(Object::Dictionary(d.clone()));
                *item = Object::Reference(id);
                ids.push(id);
                changed = true;
            }
            _ => {}
        }
    }
    if changed {
        match holder {
            Some(h) => {
                if let Ok(o) = doc.get_object_mut(h) {
                    *o = Object::Array(arr);
                }
            }
            None => {
                if let Ok(d) = doc.get_object_mut(page).and_then(|o| o.as_dict_mut()) {
                    d.set("Annots", Object::Array(arr));
                }
            }
        }
    }
    ids
}

/// Form fields with their full names (as the reader names them) and ids.
fn field_ids(doc: &Document) -> Vec<(String, ObjectId)> {
    let Some(fields) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"AcroForm").ok())
        .map(|o| reader::deref(doc, o))
        .and_then(|o| o.as_dict().ok())
        .and_then(|f| f.get(b"Fields").ok())
        .map(|o| reader::deref(doc, o))
        .and_then(|o| o.as_array().ok())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut stack: Vec<(&Object, String)> = fields.iter().map(|f| (f, String::new())).collect();
    while let Some((obj, parent)) = stack.pop() {
        let Object::Reference(id) = obj else { continue };
        if !seen.insert(*id) || seen.len() > 100_000 {
            continue;
        }
        let Ok(d) = doc.get_dictionary(*id) else {
            continue;
        };
        let name = match d.get(b"T").ok().and_then(|o| reader::text_string(doc, o)) {
            Some(t) if parent.is_empty() => t,
            Some(t) => format!("{parent}.{t}"),
            None => parent.clone(),
        };
        out.push((name.clone(), *id));
        if let Ok(kids) = d
            .get(b"Kids")
            .map(|k| reader::deref(doc, k))
            .and_then(|k| k.as_array())
        {
            stack.extend(kids.iter().map(|k| (k, name.clone())));
        }
    }
    out
}

/// Write the redacted annotation texts and field values.
fn fix_strings(
    doc: &mut Document,
    pages: &[PdfPage],
    fixes: &[StringFix],
) -> Result<(), RedactError> {
    if fixes.is_empty() {
        return Ok(());
    }
    let fields = field_ids(doc);
    let mut need_appearances = false;
    for fix in fixes {
        let mut done = false;
        match fix.page {
            Some(n) => {
                let page = pages
                    .iter()
                    .find(|p| p.number == n)
                    .ok_or_else(|| failed("an annotation's page is missing"))?;
                for id in annotation_ids(doc, page.id) {
                    let Ok(a) = doc.get_dictionary(id) else {
                        continue;
                    };
                    if a.get(b"Subtype").and_then(|s| s.as_name()).ok() == Some(b"Widget") {
                        continue;
                    }
                    let matches = a
                        .get(fix.key.as_bytes())
                        .ok()
                        .and_then(|o| reader::text_string(doc, o))
                        .is_some_and(|t| t == fix.original);
                    if matches {
                        let a = doc
                            .get_dictionary_mut(id)
                            .map_err(|_| failed("annotation"))?;
                        a.set(fix.key.as_str(), lopdf::text_string(&fix.redacted));
                        // Rich text repeats /Contents with markup.
                        a.remove(b"RC");
                        done = true;
                    }
                }
            }
            None => {
                for (name, id) in &fields {
                    if *name != fix.key {
                        continue;
                    }
                    let Ok(d) = doc.get_dictionary(*id) else {
                        continue;
                    };
                    let v = d.get(b"V").ok().and_then(|o| reader::text_string(doc, o));
                    if v.as_deref() != Some(fix.original.as_str()) {
                        continue;
                    }
                    let dv = d.get(b"DV").ok().and_then(|o| reader::text_string(doc, o));
                    let kids: Vec<ObjectId> = d
                        .get(b"Kids")
                        .map(|k| reader::deref(doc, k))
                        .and_then(|k| k.as_array())
                        .map(|a| a.iter().filter_map(|k| k.as_reference().ok()).collect())
                        .unwrap_or_default();
                    let d = doc.get_dictionary_mut(*id).map_err(|_| failed("field"))?;
                    d.set("V", lopdf::text_string(&fix.redacted));
                    if dv.as_deref() == Some(fix.original.as_str()) {
                        d.set("DV", lopdf::text_string(&fix.redacted));
                    }
                    // The widget's appearance shows the old value: drop it,
                    // viewers build a new one from /V.
                    d.remove(b"AP");
                    for k in kids {
                        if let Ok(w) = doc.get_dictionary_mut(k) {
                            w.remove(b"AP");
                        }
                    }
                    need_appearances = true;
                    done = true;
                }
            }
        }
        if !done {
            return Err(failed(
                "an annotation text or form value with a finding could not be located",
            ));
        }
    }
    if need_appearances {
        let form = doc
            .catalog()
            .ok()
            .and_then(|c| c.get(b"AcroForm").ok())
            .and_then(|o| o.as_reference().ok());
        let form = match form {
            Some(id) => doc.get_dictionary_mut(id).ok(),
            None => doc
                .catalog_mut()
                .ok()
                .and_then(|c| c.get_mut(b"AcroForm").ok())
                .and_then(|o| o.as_dict_mut().ok()),
        };
        if let Some(f) = form {
            f.set("NeedAppearances", true);
        }
    }
    Ok(())
}

/// The embedded file streams, named as the reader names them.
fn embedded_streams(doc: &Document) -> Vec<(String, ObjectId)> {
    let mut out = Vec::new();
    let stream_of = |spec: &lopdf::Dictionary| -> Option<ObjectId> {
        let ef = spec.get(b"EF").ok().map(|o| reader::deref(doc, o))?;
        let ef = ef.as_dict().ok()?;
        ef.get(b"UF")
            .or_else(|_| ef.get(b"F"))
            .ok()?
            .as_reference()
            .ok()
    };
    for (_, page) in doc.get_pages() {
        let Ok(annots) = doc.get_page_annotations(page) else {
            continue;
        };
        for a in annots {
            if a.get(b"Subtype").and_then(|s| s.as_name()).ok() != Some(b"FileAttachment") {
                continue;
            }
            let Some(spec) = a
                .get(b"FS")
                .ok()
                .and_then(|o| reader::deref(doc, o).as_dict().ok())
            else {
                continue;
            };
            if let Some(id) = stream_of(spec) {
                out.push((reader::embedded_name(doc, None, spec), id));
            }
        }
    }
    let root = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Names").ok())
        .map(|o| reader::deref(doc, o))
        .and_then(|o| o.as_dict().ok())
        .and_then(|n| n.get(b"EmbeddedFiles").ok());
    let mut seen = HashSet::new();
    let mut stack: Vec<&Object> = root.into_iter().collect();
    while let Some(node) = stack.pop() {
        if let Object::Reference(id) = node {
            if !seen.insert(*id) || seen.len() > 10_000 {
                continue;
            }
        }
        let Ok(d) = reader::deref(doc, node).as_dict() else {
            continue;
        };
        if let Ok(names) = d
            .get(b"Names")
            .map(|n| reader::deref(doc, n))
            .and_then(|n| n.as_array())
        {
            for pair in names.chunks(2) {
                if let [k, spec] = pair {
                    let Ok(spec) = reader::deref(doc, spec).as_dict() else {
                        continue;
                    };
                    if let Some(id) = stream_of(spec) {
                        let key = reader::text_string(doc, k);
                        out.push((reader::embedded_name(doc, key, spec), id));
                    }
                }
            }
        }
        if let Ok(kids) = d
            .get(b"Kids")
            .map(|k| reader::deref(doc, k))
            .and_then(|k| k.as_array())
        {
            stack.extend(kids.iter());
        }
    }
    out
}

/// Redact every embedded file with the redactor of its format.
fn redact_embedded(
    doc: &mut Document,
    seen_by_reader: &[String],
    cx: &mut Cx<'_>,
) -> Result<(), RedactError> {
    let streams = embedded_streams(doc);
    let mut a: Vec<&str> = streams.iter().map(|(n, _)| n.as_str()).collect();
    let mut b: Vec<&str> = seen_by_reader.iter().map(String::as_str).collect();
    a.sort_unstable();
    b.sort_unstable();
    if a != b {
        return Err(failed(
            "the embedded files could not all be located for redaction",
        ));
    }
    let mut done: HashMap<ObjectId, ()> = HashMap::new();
    for (name, id) in streams {
        if done.insert(id, ()).is_some() {
            continue;
        }
        let data = doc
            .get_object(id)
            .and_then(|o| o.as_stream())
            .and_then(|s| s.get_plain_content_with_limit(reader::MAX_STREAM))
            .map_err(|_| {
                RedactError::Review(format!("embedded file {name} could not be decoded"))
            })?;
        let out = cx.embedded(&name, &data)?;
        let s = doc
            .get_object_mut(id)
            .and_then(|o| o.as_stream_mut())
            .map_err(|_| failed("embedded file stream"))?;
        s.dict.remove(b"Params");
        s.set_plain_content(out);
    }
    Ok(())
}

/// Drop document metadata: `/Info`, XMP `/Metadata` on any object,
/// `/PieceInfo`, and page thumbnails (a thumbnail is a picture of the page).
fn scrub(doc: &mut Document) {
    doc.trailer.remove(b"Info");
    for obj in doc.objects.values_mut() {
        let d = match obj {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &mut s.dict,
            _ => continue,
        };
        d.remove(b"Metadata");
        d.remove(b"PieceInfo");
        if d.has_type(b"Page") {
            d.remove(b"Thumb");
        }
    }
}

/// Every string object outside the content streams (link URIs such as
/// `mailto:`, bookmark titles, structure alt texts, ...) that still holds a
/// redacted value gets the value replaced: the value was found in the page
/// text, and these strings repeat it where the reader does not look.
fn scrub_strings(doc: &mut Document, values: &[(String, String)]) {
    let pairs: Vec<(String, &str)> = values
        .iter()
        .filter(|(v, _)| v.trim().chars().filter(|c| c.is_alphanumeric()).count() >= 4)
        .map(|(v, r)| (v.trim().to_lowercase(), r.as_str()))
        .collect();
    if pairs.is_empty() {
        return;
    }
    fn walk(o: &mut Object, pairs: &[(String, &str)]) {
        match o {
            Object::String(..) => {
                let Ok(text) = lopdf::decode_text_string(o) else {
                    return;
                };
                if let Some(new) = replace_values(&text, pairs) {
                    *o = lopdf::text_string(&new);
                }
            }
            Object::Array(a) => a.iter_mut().for_each(|x| walk(x, pairs)),
            Object::Dictionary(d) => d.iter_mut().for_each(|(_, x)| walk(x, pairs)),
            Object::Stream(s) => s.dict.iter_mut().for_each(|(_, x)| walk(x, pairs)),
            _ => {}
        }
    }
    for o in doc.objects.values_mut() {
        walk(o, &pairs);
    }
}

/// `text` with every (case-insensitive) occurrence of a value replaced, or
/// `None` when it holds none.
fn replace_values(text: &str, pairs: &[(String, &str)]) -> Option<String> {
    let mut cur = text.to_string();
    let mut changed = false;
    for (v, r) in pairs {
        let mut from = 0;
        while from <= cur.len() {
            let lower = cur.to_lowercase();
            // Offsets carry over only when lowercasing kept the byte lengths.
            let hay = if lower.len() == cur.len() {
                &lower
            } else {
                &cur
            };
            let Some(at) = hay.get(from..).and_then(|h| h.find(v.as_str())) else {
                break;
            };
            let at = from + at;
            if !cur.is_char_boundary(at) || !cur.is_char_boundary(at + v.len()) {
                break;
            }
            cur.replace_range(at..at + v.len(), r);
            from = at + r.len();
            changed = true;
        }
    }
    changed.then_some(cur)
}

/// A removed value as it could stand in the file: its text, and its bytes
/// in a simple (one byte per code, Latin) font.
struct Needle {
    text: String,
    bytes: Option<Vec<u8>>,
    /// Kept values that contain this one: an occurrence inside one of them
    /// is the kept value, not a leftover.
    within: Vec<(String, Option<Vec<u8>>)>,
}

/// A string's characters as single bytes, when they all fit in one.
fn latin1(t: &str) -> Option<Vec<u8>> {
    t.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect()
}

impl Needle {
    /// Whether the value stands in `hay` outside every kept value holding it.
    fn in_text(&self, hay: &str) -> bool {
        let within: Vec<&[u8]> = self.within.iter().map(|(t, _)| t.as_bytes()).collect();
        stands_outside(hay.as_bytes(), self.text.as_bytes(), &within)
    }

    /// Like [`Needle::in_text`], on raw bytes (one byte per character).
    fn in_bytes(&self, hay: &[u8]) -> bool {
        let Some(b) = &self.bytes else { return false };
        let within: Vec<&[u8]> = self
            .within
            .iter()
            .filter_map(|(_, b)| b.as_deref())
            .collect();
        stands_outside(hay, b, &within)
    }
}

/// Whether `needle` occurs in `hay` at a place not covered by an occurrence
/// of one of `within`.
fn stands_outside(hay: &[u8], needle: &[u8], within: &[&[u8]]) -> bool {
    if within.is_empty() {
        return memchr::memmem::find(hay, needle).is_some();
    }
    let covers: Vec<(usize, usize)> = within
        .iter()
        .flat_map(|w| memchr::memmem::find_iter(hay, w).map(move |s| (s, s + w.len())))
        .collect();
    memchr::memmem::find_iter(hay, needle)
        .any(|s| !covers.iter().any(|&(a, b)| a <= s && s + needle.len() <= b))
}

fn needles(values: &[(String, String)], kept: &BTreeSet<String>) -> Vec<Needle> {
    let mut out: Vec<Needle> = Vec::new();
    for (v, _) in values {
        let t = v.trim();
        if t.chars().filter(|c| c.is_alphanumeric()).count() < 4 || out.iter().any(|n| n.text == t)
        {
            continue;
        }
        let within = kept
            .iter()
            .map(|k| k.trim())
            .filter(|k| k.len() > t.len() && k.contains(t))
            .map(|k| (k.to_string(), latin1(k)))
            .collect();
        out.push(Needle {
            text: t.to_string(),
            bytes: latin1(t),
            within,
        });
    }
    out
}

fn strings_in<'a>(o: &'a Object, out: &mut Vec<&'a Object>) {
    match o {
        Object::String(..) => out.push(o),
        Object::Array(a) => a.iter().for_each(|x| strings_in(x, out)),
        Object::Dictionary(d) => d.iter().for_each(|(_, x)| strings_in(x, out)),
        Object::Stream(s) => s.dict.iter().for_each(|(_, x)| strings_in(x, out)),
        _ => {}
    }
}

/// Streams that hold binary data, not text: images, font programs, embedded
/// files (those were checked by their own redactor).
fn binary_stream(s: &Stream) -> bool {
    let name = |k: &[u8]| s.dict.get(k).and_then(|o| o.as_name()).ok();
    matches!(name(b"Subtype"), Some(b"Image"))
        || matches!(name(b"Type"), Some(b"EmbeddedFile"))
        || s.dict.has(b"Length1")
        || s.dict.has(b"Length2")
        || matches!(
            name(b"Subtype"),
            Some(b"Type1C") | Some(b"CIDFontType0C") | Some(b"OpenType")
        )
}

/// How many removed values still stand anywhere in `doc`: in any string
/// object, in the raw bytes of any text-bearing stream, or in the joined
/// strings of one text operator (a value split over `TJ` elements).
fn leftovers(doc: &Document, values: &[(String, String)], kept: &BTreeSet<String>) -> usize {
    let needles = needles(values, kept);
    if needles.is_empty() {
        return 0;
    }
    let mut found = 0;
    let has_bytes = |hay: &[u8], n: &Needle| n.in_bytes(hay);
    for obj in doc.objects.values() {
        let mut strings = Vec::new();
        strings_in(obj, &mut strings);
        for s in strings {
            let text = lopdf::decode_text_string(s).unwrap_or_default();
            let raw = s.as_str().unwrap_or(b"");
            found += needles
                .iter()
                .filter(|n| n.in_text(&text) || has_bytes(raw, n))
                .count();
        }
        let Object::Stream(s) = obj else { continue };
        if binary_stream(s) {
            continue;
        }
        let Ok(data) = s.get_plain_content_with_limit(reader::MAX_STREAM) else {
            continue;
        };
        found += needles.iter().filter(|n| has_bytes(&data, n)).count();
        for op in Content::decode_iter(&data).map_while(Result::ok) {
            let mut joined = Vec::new();
            for o in &op.operands {
                match o {
                    Object::String(b, _) => joined.extend_from_slice(b),
                    Object::Array(a) => a.iter().for_each(|x| {
                        if let Object::String(b, _) = x {
                            joined.extend_from_slice(b);
                        }
                    }),
                    _ => {}
                }
            }
            if !joined.is_empty() {
                found += needles.iter().filter(|n| has_bytes(&joined, n)).count();
            }
        }
    }
    found
}

#[cfg(test)]
mod tests;
