//! The text model of an office XML part ([`Block`], [`Piece`]), which the
//! readers scan and the redactors rewrite: a block is one paragraph (its
//! runs joined, so a value split over several `w:r`/`w:t` is one string),
//! one field code, one attribute value (a comment or tracked-change author)
//! or one document property. Every piece of a block knows its byte range in
//! the part and its byte range in the block text.
//!
//! Vocabularies ([`Dialect`]): WordprocessingML, OpenDocument text,
//! properties and other data XML, relationships (`*.rels`) and
//! SpreadsheetML comments. Also owns the decoding of a part's bytes
//! ([`part_text`]) and the segment a block becomes ([`block_segment`]).

use crate::document::{Location, Offsets, Segment};
use quick_xml::events::{BytesStart, Event};
use quick_xml::XmlVersion;
use std::ops::Range;

/// What a [`Block`] holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// A paragraph (`w:p`, `a:p`, `text:p`, `text:h`): its text pieces in order.
    Paragraph,
    /// A field code (`w:instrText` pieces of a paragraph, or `w:fldSimple/@w:instr`).
    Field,
    /// One attribute value (an author, initials, a link target).
    Attribute,
    /// The text of one element outside paragraphs (a document property).
    Property,
}

/// One contiguous piece of source text that is part of a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    /// Byte range in the part (the raw, still escaped XML).
    pub source: Range<usize>,
    /// Byte range in the block text.
    pub text: Range<usize>,
}

/// A unit of text in an XML part, see the module docs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// What kind of text unit the block is.
    pub kind: BlockKind,
    /// Index of the paragraph this block is or belongs to (0-based, in
    /// document order, counting every paragraph of the part). `None` for text
    /// outside paragraphs.
    pub paragraph: Option<u32>,
    /// The text: pieces joined, with `\t`/`\n` for tabs and breaks (those
    /// separators belong to no piece).
    pub text: String,
    /// The source pieces the text was joined from, in order.
    pub pieces: Vec<Piece>,
    /// Context for the detectors: the element or attribute name of a
    /// property, the key cell left of a table cell and its column header, or a
    /// short preceding "Label:" paragraph.
    pub label: Option<String>,
}

/// Which vocabulary a part speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// WordprocessingML (and DrawingML text in it).
    Word,
    /// OpenDocument text (`content.xml`, `styles.xml`, `meta.xml`).
    Odf,
    /// Properties and other data XML: every element's own text is a block.
    Props,
    /// Relationships (`*.rels`): `Target` attributes.
    Rels,
    /// SpreadsheetML comments (`xl/comments*.xml`): authors and comment text.
    SheetComments,
}

impl Dialect {
    fn is_para(self, local: &str) -> bool {
        match self {
            Dialect::Word => local == "p",
            Dialect::Odf => local == "p" || local == "h",
            Dialect::SheetComments => local == "comment" || local == "author",
            Dialect::Props | Dialect::Rels => false,
        }
    }
    /// Whether text counts only inside text elements (`w:t`), not anywhere
    /// in a paragraph.
    fn text_elements_only(self) -> bool {
        self == Dialect::Word
    }
    fn leaf_text(self) -> bool {
        matches!(self, Dialect::Odf | Dialect::Props)
    }
    fn table_names(self) -> Option<(&'static str, &'static str, &'static str)> {
        match self {
            Dialect::Word => Some(("tbl", "tr", "tc")),
            Dialect::Odf => Some(("table", "table-row", "table-cell")),
            _ => None,
        }
    }
}

/// Properties whose values are timestamps or counters, not people.
const SKIP_PROPS: &[&str] = &[
    "created",
    "modified",
    "lastPrinted",
    "creation-date",
    "date",
    "print-date",
    "TotalTime",
    "Pages",
    "Words",
    "Characters",
    "Lines",
    "Paragraphs",
    "CharactersWithSpaces",
    "DocSecurity",
    "AppVersion",
    "revision",
    "editing-cycles",
    "editing-duration",
    "document-statistic",
];

/// Identifiers such as a SharePoint `ContentTypeId` (`0x0101…`): no text.
fn is_hex_blob(s: &str) -> bool {
    let t = s.trim();
    t.len() > 10
        && (t.starts_with("0x") || t.starts_with("0X"))
        && t[2..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Attributes that carry names or targets.
fn interesting_attr(dialect: Dialect, local: &str) -> bool {
    match dialect {
        Dialect::Rels => local == "Target",
        Dialect::Word => matches!(local, "author" | "initials" | "instr" | "userId"),
        Dialect::Odf => local == "href",
        Dialect::Props => local == "displayName",
        Dialect::SheetComments => false,
    }
}

fn local_name(qname: &str) -> &str {
    qname.rsplit(':').next().unwrap_or(qname)
}

/// The character an XML entity or character reference (`amp`, `#38`, `#x26`) stands for.
pub fn resolve_ref(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).filter(|&c| c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

#[derive(Default)]
struct Buf {
    text: String,
    pieces: Vec<Piece>,
}

impl Buf {
    fn push(&mut self, s: &str, source: Range<usize>) {
        let start = self.text.len();
        self.text.push_str(s);
        self.pieces.push(Piece {
            source,
            text: start..self.text.len(),
        });
    }
    fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

struct OpenPara {
    index: u32,
    body: Buf,
    field: Buf,
    /// Table nesting depth when the paragraph opened.
    table_depth: usize,
}

#[derive(Default)]
struct Table {
    row: usize,
    header: Vec<String>,
    cells: Vec<String>,
    in_cell: bool,
}

impl Table {
    fn label(&self) -> Option<String> {
        let col = self.cells.len().checked_sub(1)?;
        let mut parts: Vec<&str> = Vec::new();
        if self.row > 0 {
            if let Some(h) = self.header.get(col).map(|h| h.trim()) {
                if !h.is_empty() && h.chars().count() <= 60 {
                    parts.push(h);
                }
            }
        }
        if let Some(key) = self.cells[..col]
            .iter()
            .rev()
            .map(|c| c.trim())
            .find(|c| !c.is_empty())
        {
            if key.chars().count() <= 40 && !key.bytes().any(|b| b.is_ascii_digit()) {
                parts.push(key);
            }
        }
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

/// The label a short "Label:" paragraph gives the paragraph after it.
fn key_label(text: &str) -> Option<String> {
    let t = text.trim();
    (t.ends_with(':') && t.chars().count() <= 40).then(|| t.to_string())
}

/// Parse one XML part into blocks. Blocks come in the order they close;
/// paragraphs nested in a paragraph (text boxes) are blocks of their own.
/// On malformed XML the blocks read so far are returned with the error.
pub fn parse_part(xml: &str, dialect: Dialect) -> (Vec<Block>, Option<String>) {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = false;
    let base = xml.as_ptr() as usize;
    let mut out = Vec::new();
    let mut paras: Vec<OpenPara> = Vec::new();
    let mut tables: Vec<Table> = Vec::new();
    let mut next_index: u32 = 0;
    // Inside a text element: Some(true) for field code text, Some(false) for body text.
    let mut in_text: Option<bool> = None;
    // Leaf text outside paragraphs: (element local name, buffer).
    let mut stack: Vec<String> = Vec::new();
    let mut leaf: Option<Buf> = None;
    let mut prev_key: Option<String> = None;
    // Custom document property being read: its name labels its value.
    let mut prop_name: Option<String> = None;
    let mut error = None;

    loop {
        let before = reader.buffer_position() as usize;
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                error = Some(format!(
                    "malformed XML near byte {}: {}",
                    reader.error_position(),
                    short_error(&e)
                ));
                break;
            }
        };
        let after = reader.buffer_position() as usize;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                let qname = e.name();
                let local = local_name(qname.as_ref()).to_string();
                attributes(
                    e,
                    dialect,
                    base,
                    xml.len(),
                    paras.last().map(|p| p.index),
                    &mut out,
                );
                if let Some((tbl, tr, tc)) = dialect.table_names() {
                    if local == tbl && !empty {
                        tables.push(Table::default());
                    } else if local == tr && !empty {
                        if let Some(t) = tables.last_mut() {
                            t.cells.clear();
                        }
                    } else if local == tc {
                        if let Some(t) = tables.last_mut() {
                            t.cells.push(String::new());
                            t.in_cell = !empty;
                        }
                    }
                }
                if dialect == Dialect::Props && local == "property" {
                    prop_name = attr_value(e, "name");
                }
                if dialect.is_para(&local) {
                    if !empty {
                        paras.push(OpenPara {
                            index: next_index,
                            body: Buf::default(),
                            field: Buf::default(),
                            table_depth: tables.len(),
                        });
                    }
                    next_index += 1;
                } else if let Some(p) = paras.last_mut() {
                    match (dialect, local.as_str()) {
                        (Dialect::Word, "t" | "delText") if !empty => in_text = Some(false),
                        (Dialect::Word, "instrText") if !empty => in_text = Some(true),
                        // Not the tab stops of a paragraph's properties (`w:tabs/w:tab`).
                        (_, "tab") if stack.last().map(String::as_str) != Some("tabs") => {
                            p.body.text.push('\t')
                        }
                        (Dialect::Word, "br" | "cr") | (Dialect::Odf, "line-break") => {
                            p.body.text.push('\n')
                        }
                        (Dialect::Word, "noBreakHyphen") => p.body.text.push('-'),
                        (Dialect::Odf, "s") => {
                            let n = attr_value(e, "c")
                                .and_then(|c| c.parse::<usize>().ok())
                                .unwrap_or(1)
                                .min(64);
                            p.body.text.extend(std::iter::repeat_n(' ', n));
                        }
                        _ => {}
                    }
                }
                if !empty {
                    stack.push(local);
                    leaf = None;
                }
            }
            Event::End(ref e) => {
                let qname = e.name();
                let local = local_name(qname.as_ref());
                if dialect.is_para(local) {
                    if let Some(p) = paras.pop() {
                        let label = match tables.last() {
                            Some(t) if t.in_cell && p.table_depth == tables.len() => t.label(),
                            _ => prev_key.take(),
                        };
                        let depth = tables.len();
                        if let Some(t) = tables.last_mut() {
                            if t.in_cell && p.table_depth == depth {
                                if let Some(c) = t.cells.last_mut() {
                                    if !c.is_empty() {
                                        c.push(' ');
                                    }
                                    c.push_str(p.body.text.trim());
                                }
                            }
                        }
                        if !p.body.is_blank() {
                            prev_key = key_label(&p.body.text);
                        }
                        finish_para(p, label, &mut out);
                    }
                } else if matches!(local, "t" | "delText" | "instrText") {
                    in_text = None;
                } else if local == "property" {
                    prop_name = None;
                }
                if let Some((tbl, tr, tc)) = dialect.table_names() {
                    if local == tbl {
                        tables.pop();
                    } else if local == tr {
                        if let Some(t) = tables.last_mut() {
                            if t.row == 0 {
                                t.header = std::mem::take(&mut t.cells);
                            }
                            t.row += 1;
                        }
                    } else if local == tc {
                        if let Some(t) = tables.last_mut() {
                            t.in_cell = false;
                        }
                    }
                }
                if let Some(b) = leaf.take() {
                    if let Some(name) = stack.last() {
                        if !b.is_blank()
                            && !SKIP_PROPS.contains(&name.as_str())
                            && !is_hex_blob(&b.text)
                        {
                            out.push(Block {
                                kind: BlockKind::Property,
                                paragraph: None,
                                label: Some(prop_name.clone().unwrap_or_else(|| name.clone())),
                                text: b.text,
                                pieces: b.pieces,
                            });
                        }
                    }
                }
                stack.pop();
            }
            Event::Text(t) => {
                let s = t.xml10_content();
                text_event(
                    &s,
                    before..after,
                    dialect,
                    in_text,
                    &mut paras,
                    &mut leaf,
                    &stack,
                );
            }
            Event::CData(t) => {
                let s = t.xml10_content();
                text_event(
                    &s,
                    before + 9..after.saturating_sub(3),
                    dialect,
                    in_text,
                    &mut paras,
                    &mut leaf,
                    &stack,
                );
            }
            Event::GeneralRef(r) => {
                let mut tmp = [0u8; 4];
                let s: &str = match resolve_ref(&r) {
                    Some(c) => c.encode_utf8(&mut tmp),
                    None => &xml[before.min(xml.len())..after.min(xml.len())],
                };
                text_event(
                    s,
                    before..after,
                    dialect,
                    in_text,
                    &mut paras,
                    &mut leaf,
                    &stack,
                );
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // An unterminated document: keep what was read.
    while let Some(p) = paras.pop() {
        finish_para(p, None, &mut out);
    }
    (out, error)
}

fn short_error(e: &quick_xml::Error) -> String {
    // Error texts can quote element names but not document text; keep them short anyway.
    e.to_string().chars().take(80).collect()
}

#[allow(clippy::too_many_arguments)]
fn text_event(
    s: &str,
    source: Range<usize>,
    dialect: Dialect,
    in_text: Option<bool>,
    paras: &mut [OpenPara],
    leaf: &mut Option<Buf>,
    stack: &[String],
) {
    let meta = dialect == Dialect::Odf
        && matches!(
            stack.last().map(String::as_str),
            Some("creator" | "date" | "initials")
        );
    if let (false, Some(p)) = (meta, paras.last_mut()) {
        if dialect.text_elements_only() {
            match in_text {
                Some(false) => p.body.push(s, source),
                Some(true) => p.field.push(s, source),
                None => {}
            }
        } else {
            p.body.push(s, source);
        }
    } else if meta || (dialect.leaf_text() && !stack.is_empty()) {
        leaf.get_or_insert_with(Buf::default).push(s, source);
    }
}

fn finish_para(p: OpenPara, label: Option<String>, out: &mut Vec<Block>) {
    if !p.body.is_blank() {
        out.push(Block {
            kind: BlockKind::Paragraph,
            paragraph: Some(p.index),
            text: p.body.text,
            pieces: p.body.pieces,
            label,
        });
    }
    if !p.field.is_blank() {
        out.push(Block {
            kind: BlockKind::Field,
            paragraph: Some(p.index),
            text: p.field.text,
            pieces: p.field.pieces,
            label: Some("field".into()),
        });
    }
}

fn attr_value(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (local_name(a.key.as_ref()) == local)
            .then(|| a.normalized_value(XmlVersion::Implicit1_0).ok())
            .flatten()
            .map(|v| v.into_owned())
    })
}

fn attributes(
    e: &BytesStart<'_>,
    dialect: Dialect,
    base: usize,
    len: usize,
    paragraph: Option<u32>,
    out: &mut Vec<Block>,
) {
    for a in e.attributes().flatten() {
        let key = local_name(a.key.as_ref());
        if !interesting_attr(dialect, key) {
            continue;
        }
        let Ok(value) = a.normalized_value(XmlVersion::Implicit1_0) else {
            continue;
        };
        if value.trim().is_empty() {
            continue;
        }
        // The raw value borrows from the part, so its address gives its place.
        let start = (a.value.as_ptr() as usize).wrapping_sub(base);
        let source = if start <= len && start + a.value.len() <= len {
            start..start + a.value.len()
        } else {
            0..0
        };
        let text = value.into_owned();
        out.push(Block {
            kind: if key == "instr" {
                BlockKind::Field
            } else {
                BlockKind::Attribute
            },
            paragraph,
            pieces: vec![Piece {
                source,
                text: 0..text.len(),
            }],
            text,
            label: Some(key.to_string()),
        });
    }
}

/// The text of an XML part: UTF-8 as is (BOM dropped), UTF-16 decoded.
/// Byte ranges in the blocks refer to this text, which is the part itself
/// whenever the part is UTF-8 (always, in practice).
pub fn part_text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    if data.starts_with(&[0xFF, 0xFE]) || data.starts_with(&[0xFE, 0xFF]) {
        let (enc, bom) = encoding_rs::Encoding::for_bom(data).unwrap_or((encoding_rs::UTF_8, 0));
        let (s, _) = enc.decode_without_bom_handling(&data[bom..]);
        return std::borrow::Cow::Owned(s.into_owned());
    }
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    String::from_utf8_lossy(data)
}

/// The segment of one block of `part`, as the scanner reads it (redaction
/// plans on the very same segment).
pub fn block_segment(part: &str, b: Block) -> Segment {
    let loc = Location {
        part: Some(part.to_string()),
        paragraph: b.paragraph,
        ..Location::default()
    };
    let mut seg = Segment::new(b.text, loc).with_offsets(Offsets::Linear(0));
    seg.label = b.label;
    seg
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn doc(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}</w:body></w:document>"#
        )
    }

    #[test]
    fn runs_join_into_one_paragraph_with_piece_map() {
        let xml = doc(
            r#"<w:p><w:r><w:t xml:space="preserve">BSN: </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>1112</w:t></w:r><w:r><w:t>22333</w:t></w:r></w:p><w:p><w:r><w:t>A &amp; B</w:t></w:r></w:p>"#,
        );
        let (blocks, err) = parse_part(&xml, Dialect::Word);
        assert!(err.is_none());
        assert_eq!(blocks.len(), 2);
        let p = &blocks[0];
        assert_eq!(p.text, "BSN: 111222333");
        assert_eq!(p.paragraph, Some(0));
        assert_eq!(p.pieces.len(), 3);
        for piece in &p.pieces {
            assert_eq!(&xml[piece.source.clone()], &p.text[piece.text.clone()]);
        }
        // Entities: the text is decoded, the piece keeps the escaped source.
        let q = &blocks[1];
        assert_eq!(q.text, "A & B");
        assert_eq!(q.paragraph, Some(1));
        let amp = q
            .pieces
            .iter()
            .find(|p| &q.text[p.text.clone()] == "&")
            .unwrap();
        assert_eq!(&xml[amp.source.clone()], "&amp;");
    }

    #[test]
    fn tracked_changes_fields_and_authors() {
        let xml = doc(
            r#"<w:p><w:del w:id="1" w:author="Pieter Post" w:date="2024-01-01T00:00:00Z"><w:r><w:delText>oud 06-12345678</w:delText></w:r></w:del><w:ins w:id="2" w:author="P. Post"><w:r><w:t>nieuw</w:t></w:r></w:ins></w:p><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "mailto:jan@example.nl" </w:instrText></w:r><w:r><w:t>mail mij</w:t></w:r></w:p><w:p><w:fldSimple w:instr="HYPERLINK mailto:b@c.nl"><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>"#,
        );
        let (blocks, _) = parse_part(&xml, Dialect::Word);
        let texts: Vec<(&str, BlockKind)> =
            blocks.iter().map(|b| (b.text.as_str(), b.kind)).collect();
        assert!(
            texts.contains(&("oud 06-12345678nieuw", BlockKind::Paragraph)),
            "{texts:?}"
        );
        assert!(texts.contains(&("Pieter Post", BlockKind::Attribute)));
        assert!(texts.contains(&("P. Post", BlockKind::Attribute)));
        assert!(texts.contains(&("mail mij", BlockKind::Paragraph)));
        assert!(texts.contains(&(" HYPERLINK \"mailto:jan@example.nl\" ", BlockKind::Field)));
        assert!(texts.contains(&("HYPERLINK mailto:b@c.nl", BlockKind::Field)));
        // The author's piece points at the raw attribute value.
        let a = blocks.iter().find(|b| b.text == "Pieter Post").unwrap();
        assert_eq!(&xml[a.pieces[0].source.clone()], "Pieter Post");
        assert_eq!(a.label.as_deref(), Some("author"));
        // Text outside w:t (dates in attributes, rPr) is not paragraph text.
        assert!(!blocks.iter().any(|b| b.text.contains("2024")));
    }

    #[test]
    fn text_box_is_its_own_paragraph_and_tabs_separate() {
        let xml = doc(
            r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Voor</w:t></w:r><w:r><w:pict><v:textbox xmlns:v="urn:v"><w:txbxContent><w:p><w:r><w:t>In het vak</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></w:r><w:r><w:tab/><w:t>na</w:t></w:r></w:p>"#,
        );
        let (blocks, _) = parse_part(&xml, Dialect::Word);
        let texts: Vec<&str> = blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, vec!["In het vak", "Voor\tna"]);
        assert_eq!(blocks[0].paragraph, Some(1));
        assert_eq!(blocks[1].paragraph, Some(0));
    }

    #[test]
    fn table_cells_get_key_and_header_labels() {
        let cell = |t: &str| format!("<w:tc><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>");
        let xml = doc(&format!(
            "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl><w:p><w:r><w:t>Burgerservicenummer:</w:t></w:r></w:p><w:p><w:r><w:t>123456782</w:t></w:r></w:p>",
            cell("Naam"),
            cell("BSN"),
            cell("Jansen"),
            cell("111222333"),
        ));
        let (blocks, _) = parse_part(&xml, Dialect::Word);
        let num = blocks.iter().find(|b| b.text == "111222333").unwrap();
        assert_eq!(num.label.as_deref(), Some("BSN Jansen"));
        let bsn = blocks.iter().find(|b| b.text == "BSN").unwrap();
        assert_eq!(bsn.label.as_deref(), Some("Naam"));
        let after = blocks.iter().find(|b| b.text == "123456782").unwrap();
        assert_eq!(after.label.as_deref(), Some("Burgerservicenummer:"));
    }

    #[test]
    fn malformed_xml_keeps_what_was_read() {
        let xml = format!("<w:document {W}><w:body><w:p><w:r><w:t>eerst</w:t></w:r></w:p><w:p><w:r><w:t>kapot</w:t></w:r><w:r w:x=\"1");
        let (blocks, err) = parse_part(&xml, Dialect::Word);
        assert!(err.is_some());
        assert_eq!(blocks[0].text, "eerst");
        assert_eq!(blocks[1].text, "kapot");
    }
}
