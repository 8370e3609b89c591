//! PDF reader: page text in reading order, metadata, annotations, form field
//! values and embedded files, built on lopdf's object and content layer.
//!
//! Text comes from our own glyph model ([`interp`] runs the content streams,
//! [`fonts`] decodes codes, [`layout`] assembles lines), not from lopdf's
//! `extract_text`, which misses Form XObjects, runs words together and
//! prefers `/Encoding` over `/ToUnicode`. The glyph model is public
//! ([`document_pages`], [`PdfPage`]) so that redaction rewrites exactly the
//! operators the scanner read.
//!
//! Segments: one per page (`Location::page(n)`), one per metadata field
//! (`part: "info:Author"`, `"xmp"`), per annotation text
//! (`page` + `part: "annot:Contents"`), per form field value
//! (`part: "form:<field>"`). Pages with images and no text, encrypted files
//! and pages whose fonts give no Unicode are reported as `needs_review`.

pub mod cmap;
pub mod fonts;
pub mod interp;
pub mod layout;

pub use interp::{Glyph, InterpLimits, Interpreter, PageGlyphs, StreamRef};
pub use layout::{page_text, CharRef, PageText};

use super::{ExtractError, ReadCtx, Reader, Sink, Source};
use crate::document::{Location, Segment};
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};
use std::collections::HashSet;

/// Most pages read from one file; the rest is reported.
pub const MAX_PAGES: usize = 10_000;
/// Largest decompressed stream accepted while loading.
pub const MAX_STREAM: usize = 64 << 20;

/// The PDF reader.
pub struct PdfReader;

/// One page: its glyphs and its text.
pub struct PdfPage {
    /// 1-based page number.
    pub number: u32,
    /// The page's object id in the document.
    pub id: ObjectId,
    /// The glyphs drawn on the page.
    pub glyphs: PageGlyphs,
    /// The page's text, laid out, with its character-to-glyph map.
    pub text: PageText,
}

/// Why a PDF could not be opened.
#[derive(Debug)]
pub enum OpenError {
    /// Encrypted with a user password other than the empty one.
    Encrypted,
    /// Not a PDF lopdf can load; the message says why.
    Parse(String),
}

/// Load a PDF with bounded stream decompression. An encrypted file opens when
/// its user password is empty (lopdf tries that itself).
pub fn open(bytes: &[u8]) -> Result<Document, OpenError> {
    let opts = LoadOptions {
        max_decompressed_size: Some(MAX_STREAM),
        ..LoadOptions::default()
    };
    match Document::load_mem_with_options(bytes, opts) {
        Ok(doc) => {
            if doc.trailer.has(b"Encrypt") || orphan_encryption_dict(&doc) {
                Err(OpenError::Encrypted)
            } else {
                Ok(doc)
            }
        }
        Err(lopdf::Error::InvalidPassword) => Err(OpenError::Encrypted),
        Err(e) => Err(OpenError::Parse(e.to_string())),
    }
}

/// Whether the file holds a standard security handler dictionary that the
/// trailer no longer points to (a damaged encrypted file): its strings and
/// streams are still encrypted, so what would be read is noise.
fn orphan_encryption_dict(doc: &Document) -> bool {
    doc.objects.values().any(|o| {
        o.as_dict().is_ok_and(|d| {
            d.get(b"Filter")
                .and_then(|f| f.as_name())
                .is_ok_and(|f| f == b"Standard")
                && d.has(b"O")
                && d.has(b"U")
                && d.has(b"P")
        })
    })
}

/// The glyphs and text of every page, in page order (at most [`MAX_PAGES`]).
pub fn document_pages(doc: &Document) -> Vec<PdfPage> {
    let mut interp = Interpreter::new(doc);
    doc.get_pages()
        .into_iter()
        .take(MAX_PAGES)
        .map(|(n, id)| {
            let glyphs = interp.page(n, id);
            let text = page_text(&glyphs);
            PdfPage {
                number: n,
                id,
                glyphs,
                text,
            }
        })
        .collect()
}

pub(crate) fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
        _ => o,
    }
}

/// A PDF text string (PDFDocEncoding or UTF-16 with BOM) as Rust text.
pub(crate) fn text_string(doc: &Document, o: &Object) -> Option<String> {
    let o = deref(doc, o);
    let s = match o {
        Object::String(..) => lopdf::decode_text_string(o).ok()?,
        Object::Name(n) => String::from_utf8_lossy(n).into_owned(),
        _ => return None,
    };
    let s: String = s
        .chars()
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect();
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

const INFO_KEYS: [&str; 6] = [
    "Title", "Author", "Subject", "Keywords", "Creator", "Producer",
];

fn metadata(doc: &Document, sink: &mut dyn Sink) {
    if let Some(info) = doc
        .trailer
        .get(b"Info")
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok())
    {
        for key in INFO_KEYS {
            if let Some(v) = info
                .get(key.as_bytes())
                .ok()
                .and_then(|o| text_string(doc, o))
            {
                // /Creator and /Producer name the software that made the
                // file, not a person (that is /Author): label them so.
                let label = match key {
                    "Creator" | "Producer" => "application",
                    k => k,
                };
                sink.segment(
                    Segment::new(v, Location::part(format!("info:{key}"))).with_label(label),
                );
            }
        }
    }
    if let Some(xmp) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Metadata").ok())
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_stream().ok())
        .and_then(|s| s.get_plain_content_with_limit(MAX_STREAM).ok())
    {
        let text = xml_text(&xmp);
        if !text.is_empty() {
            sink.segment(Segment::new(text, Location::part("xmp")));
        }
    }
}

/// The text nodes of an XML packet, one per line, entities decoded.
fn xml_text(xml: &[u8]) -> String {
    let s = String::from_utf8_lossy(xml);
    let mut out = String::new();
    let mut in_tag = false;
    let mut node = String::new();
    let flush = |node: &mut String, out: &mut String| {
        let t = node.trim();
        if !t.is_empty() {
            let t = t
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&");
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&t);
        }
        node.clear();
    };
    for c in s.chars() {
        match c {
            '<' => {
                flush(&mut node, &mut out);
                in_tag = true;
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => node.push(c),
            _ => {}
        }
    }
    flush(&mut node, &mut out);
    out
}

fn annotations(doc: &Document, page: u32, page_id: ObjectId, sink: &mut dyn Sink) {
    let Ok(annots) = doc.get_page_annotations(page_id) else {
        return;
    };
    for a in annots {
        let subtype = a.get(b"Subtype").and_then(|s| s.as_name()).unwrap_or(b"");
        if subtype == b"Widget" {
            continue; // form fields: read from the AcroForm tree
        }
        for key in ["Contents", "T", "Subj"] {
            if let Some(v) = a.get(key.as_bytes()).ok().and_then(|o| text_string(doc, o)) {
                let loc = Location {
                    page: Some(page),
                    part: Some(format!("annot:{key}")),
                    ..Location::default()
                };
                sink.segment(Segment::new(v, loc));
            }
        }
        if subtype == b"FileAttachment" {
            if let Ok(fs) = a.get(b"FS") {
                embedded_file(doc, None, fs, sink);
            }
        }
    }
}

fn form_fields(doc: &Document, sink: &mut dyn Sink) {
    let Some(fields) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"AcroForm").ok())
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok())
        .and_then(|f| f.get(b"Fields").ok())
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_array().ok())
    else {
        return;
    };
    let mut seen = HashSet::new();
    let mut stack: Vec<(&Object, String)> = fields.iter().map(|f| (f, String::new())).collect();
    while let Some((obj, parent)) = stack.pop() {
        if let Object::Reference(id) = obj {
            if !seen.insert(*id) || seen.len() > 100_000 {
                continue;
            }
        }
        let Ok(d) = deref(doc, obj).as_dict() else {
            continue;
        };
        let name = match d.get(b"T").ok().and_then(|o| text_string(doc, o)) {
            Some(t) if parent.is_empty() => t,
            Some(t) => format!("{parent}.{t}"),
            None => parent.clone(),
        };
        if let Some(v) = d.get(b"V").ok().and_then(|o| text_string(doc, o)) {
            let label = name.rsplit('.').next().unwrap_or(&name).to_string();
            sink.segment(Segment::new(v, Location::part(format!("form:{name}"))).with_label(label));
        }
        if let Ok(kids) = d
            .get(b"Kids")
            .map(|k| deref(doc, k))
            .and_then(|k| k.as_array())
        {
            stack.extend(kids.iter().map(|k| (k, name.clone())));
        }
    }
}

/// The name an embedded file is reported under: the file specification's
/// `/UF` or `/F`, else its name-tree key (path separators replaced).
pub(crate) fn embedded_name(doc: &Document, key: Option<String>, spec: &Dictionary) -> String {
    let name = ["UF", "F"]
        .iter()
        .find_map(|k| {
            spec.get(k.as_bytes())
                .ok()
                .and_then(|o| text_string(doc, o))
        })
        .or(key)
        .unwrap_or_else(|| "embedded".to_string());
    name.replace(['/', '\\', '!'], "_")
}

/// A file specification's embedded stream, handed to the sink.
fn embedded_file(doc: &Document, key: Option<String>, spec: &Object, sink: &mut dyn Sink) {
    let Ok(spec) = deref(doc, spec).as_dict() else {
        return;
    };
    let name = embedded_name(doc, key, spec);
    let Some(stream) = spec
        .get(b"EF")
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok())
        .and_then(|ef| ef.get(b"UF").or_else(|_| ef.get(b"F")).ok())
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_stream().ok())
    else {
        return;
    };
    match stream.get_plain_content_with_limit(MAX_STREAM) {
        Ok(data) => sink.embedded(&name, data),
        Err(_) => sink.needs_review(format!("embedded file {name} could not be decoded")),
    }
}

fn embedded_files(doc: &Document, sink: &mut dyn Sink) {
    let Some(root) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Names").ok())
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok())
        .and_then(|n| n.get(b"EmbeddedFiles").ok())
    else {
        return;
    };
    let mut seen = HashSet::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if let Object::Reference(id) = node {
            if !seen.insert(*id) || seen.len() > 10_000 {
                continue;
            }
        }
        let Ok(d) = deref(doc, node).as_dict() else {
            continue;
        };
        if let Ok(names) = d
            .get(b"Names")
            .map(|n| deref(doc, n))
            .and_then(|n| n.as_array())
        {
            for pair in names.chunks(2) {
                if let [k, spec] = pair {
                    embedded_file(doc, text_string(doc, k), spec, sink);
                }
            }
        }
        if let Ok(kids) = d
            .get(b"Kids")
            .map(|k| deref(doc, k))
            .and_then(|k| k.as_array())
        {
            stack.extend(kids.iter());
        }
    }
}

/// "page 3" / "pages 3, 5".
fn pages_phrase(pages: &[u32]) -> String {
    let list: Vec<String> = pages.iter().map(u32::to_string).collect();
    if pages.len() == 1 {
        format!("page {} has", list[0])
    } else {
        format!("pages {} have", list.join(", "))
    }
}

/// Read one loaded document into the sink (no time budget).
pub fn read_document(doc: &Document, sink: &mut dyn Sink) {
    let limits = super::Limits::default();
    // Without a deadline nothing can time out.
    let _ = read_document_within(doc, &ReadCtx::new(&limits, 0), sink, &mut |_| {});
}

/// [`read_document`], also handing every page's glyph model to `page` (in
/// page order, after its segment went to the sink): the redactor maps the
/// findings in a page segment back to glyphs with it.
pub fn read_document_with(doc: &Document, sink: &mut dyn Sink, page: &mut dyn FnMut(PdfPage)) {
    let limits = super::Limits::default();
    let _ = read_document_within(doc, &ReadCtx::new(&limits, 0), sink, page);
}

/// Read one loaded document into the sink within the context's time
/// budget (checked per page and, inside the interpreter, every
/// [`interp::DEADLINE_EVERY`] operators), handing each page's glyph model to `page`.
pub fn read_document_within(
    doc: &Document,
    ctx: &ReadCtx<'_>,
    sink: &mut dyn Sink,
    page: &mut dyn FnMut(PdfPage),
) -> Result<(), ExtractError> {
    metadata(doc, sink);
    let mut interp = Interpreter::new(doc);
    interp.limits.deadline = ctx.deadline;
    let pages = doc.get_pages();
    let mut no_text = Vec::new();
    let mut undecodable = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    for (&n, &id) in pages.iter().take(MAX_PAGES) {
        ctx.check()?;
        let glyphs = interp.page(n, id);
        if interp.timed_out {
            return Err(super::budget_error(ctx.limits));
        }
        let text = page_text(&glyphs);
        let has_text = text.text.chars().any(|c| !c.is_whitespace());
        if has_text {
            sink.segment(Segment::new(text.text.clone(), Location::page(n)));
        }
        if !has_text && glyphs.images > 0 {
            no_text.push(n);
        }
        let total = glyphs.glyphs.len() as u32;
        if glyphs.undecoded > 8 && glyphs.undecoded * 4 > total {
            undecodable.push(n);
        }
        for p in &glyphs.problems {
            if !problems.contains(p) {
                problems.push(p.clone());
            }
        }
        page(PdfPage {
            number: n,
            id,
            glyphs,
            text,
        });
        annotations(doc, n, id, sink);
        if interp.ops_total > interp.limits.max_ops {
            break;
        }
    }
    form_fields(doc, sink);
    embedded_files(doc, sink);
    if pages.len() > MAX_PAGES {
        sink.needs_review(format!("only the first {MAX_PAGES} pages were read"));
    }
    if !no_text.is_empty() {
        sink.needs_review(format!("{} no text layer", pages_phrase(&no_text)));
    }
    if !undecodable.is_empty() {
        sink.needs_review(format!(
            "{} text in fonts without a Unicode mapping",
            pages_phrase(&undecodable)
        ));
    }
    for p in problems {
        sink.needs_review(p);
    }
    Ok(())
}

impl Reader for PdfReader {
    fn read(
        &self,
        src: &Source,
        ctx: &ReadCtx<'_>,
        sink: &mut dyn Sink,
    ) -> Result<(), ExtractError> {
        let bytes = src.bytes()?;
        match open(&bytes) {
            Ok(doc) => {
                ctx.check()?;
                read_document_within(&doc, ctx, sink, &mut |_| {})
            }
            Err(OpenError::Encrypted) => {
                sink.needs_review("encrypted (needs a password)".to_string());
                Ok(())
            }
            Err(OpenError::Parse(e)) => Err(ExtractError::parse("pdf", e)),
        }
    }
}

#[cfg(test)]
mod tests;
