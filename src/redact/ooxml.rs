//! What the office redactors ([`super::docx`], [`super::xlsx`]) share: the
//! rewriting of a zip package part by part, and the rewriting of one XML
//! part through the reader's block model ([`crate::container::xml::parse_part`]).
//!
//! Package: entries keep their order; untouched entries are copied raw
//! (same bytes, same compression); rewritten entries keep their name,
//! compression method (stored stays stored) and timestamp. Thumbnails
//! (`docProps/thumbnail.*`, ODF `Thumbnails/`) are dropped, and the
//! references to them in `*.rels`, `[Content_Types].xml` and the ODF manifest
//! are removed. An encrypted or unreadable entry withholds the file.
//!
//! XML part: every block is planned with [`Cx::plan`] on the same segment the
//! scanner reads, and each replacement is written into the pieces it covers:
//! the replacement goes into the first piece, the rest of the value is
//! removed from the following pieces (runs keep their formatting); with
//! `--style box` every piece gets boxes for its own characters. Only piece
//! bytes change, so nothing outside the root element (or any markup) is
//! touched. Two rules go beyond the detectors:
//! - tracked deletions (`w:delText`) are emptied: deleted text is not part of
//!   the document, and it is where forgotten data hides;
//! - the names of a document's authors and editors (core `creator`,
//!   `lastModifiedBy`, app `Manager`, ODF `initial-creator`, comment and
//!   revision `author`/`initials`, `userId`, person `displayName`, spreadsheet
//!   comment authors) are always replaced, whoever they are: they are
//!   metadata about the file, not its content, and a name detector cannot
//!   be relied on for a lone name without context.

use super::{AuditRow, Cx, Edit, RedactError, Style};
use crate::container::archive::{entry_name, Archive, EntryError};
use crate::container::package::open_package;
use crate::container::xml::{block_segment, parse_part, Block, BlockKind, Dialect, Piece};
use crate::document::Location;
use crate::extract::ExtractError;
use crate::kind::Kind;
use crate::mask::mask;
use quick_xml::events::Event;
use std::borrow::Cow;
use std::io::{Cursor, Write};
use std::ops::Range;
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

/// What to do with one entry of a package.
pub enum PartAction {
    /// Copy the entry as it is (raw: same compressed bytes).
    Copy,
    /// Leave the entry out.
    Drop,
    /// Write these bytes instead.
    Replace(Vec<u8>),
}

/// A picture in the package (`word/media/image1.png`, ODF `Pictures/…`).
fn is_image_part(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    let ext = l.rsplit('.').next().unwrap_or("");
    matches!(
        ext,
        "png" | "jpg" | "jpeg" | "gif" | "bmp" | "tif" | "tiff" | "emf" | "wmf" | "webp" | "svg"
    ) && (l.contains("/media/") || l.starts_with("pictures/"))
}

/// Rendered previews of the first page: always dropped.
pub fn is_thumbnail(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    l.starts_with("docprops/thumbnail.") || l.starts_with("thumbnails/")
}

/// Parts that reference other parts by name (where a dropped part is unlisted).
fn is_reference_part(name: &str) -> bool {
    name.ends_with(".rels") || name == "[Content_Types].xml" || name == "META-INF/manifest.xml"
}

/// Read the parts named by `wanted` (the first entry of each name).
pub fn read_parts(
    input: &[u8],
    cx: &Cx<'_>,
    format: &'static str,
    wanted: impl Fn(&str) -> bool,
) -> Result<Vec<(String, Vec<u8>)>, RedactError> {
    let mut archive =
        open_package(input, cx.limits().archive(), format).map_err(ExtractError::from)?;
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let Some(name) = archive.name(i) else {
            continue;
        };
        if wanted(&name) && !out.iter().any(|(n, _)| *n == name) {
            let data = read_entry(&mut archive, i)?;
            out.push((name, data));
        }
    }
    Ok(out)
}

/// Unpack one part through the archive guard: over a limit is an error,
/// an encrypted or unreadable part withholds the file.
fn read_entry(archive: &mut Archive<'_>, i: usize) -> Result<Vec<u8>, RedactError> {
    match archive.read(i) {
        Ok(m) => Ok(m.data),
        Err(EntryError::Limit(e)) => Err(ExtractError::from(e).into()),
        Err(e) => Err(RedactError::Review(e.to_string())),
    }
}

/// Rewrite a zip package entry by entry. `part` decides for every entry that
/// `wants` names (it gets the unpacked bytes); other entries are copied raw.
pub fn rewrite_package(
    input: &[u8],
    cx: &mut Cx<'_>,
    format: &'static str,
    wants: impl Fn(&str) -> bool,
    mut part: impl FnMut(&str, &[u8], &mut Cx<'_>) -> Result<PartAction, RedactError>,
) -> Result<Vec<u8>, RedactError> {
    let mut archive =
        open_package(input, cx.limits().archive(), format).map_err(ExtractError::from)?;
    let mut names = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let entry = archive
            .zip()
            .by_index_raw(i)
            .map_err(|e| RedactError::Review(format!("part {} cannot be read: {e}", i + 1)))?;
        let name = entry_name(entry.name(), entry.name_raw());
        if entry.encrypted() {
            return Err(RedactError::Review(format!(
                "part {name} is encrypted: cannot be redacted"
            )));
        }
        names.push((name, entry.is_dir()));
    }
    let dropped: Vec<String> = names
        .iter()
        .filter(|(n, _)| is_thumbnail(n))
        .map(|(n, _)| n.clone())
        .collect();
    let zerr = |e: ::zip::result::ZipError| RedactError::Failed(format!("writing {format}: {e}"));
    let mut w = ::zip::ZipWriter::new(Cursor::new(Vec::with_capacity(input.len())));
    for (i, (name, is_dir)) in names.iter().enumerate() {
        if is_thumbnail(name) {
            continue;
        }
        let refs = is_reference_part(name) && !dropped.is_empty();
        let action = if *is_dir || !(wants(name) || refs) {
            PartAction::Copy
        } else {
            let data = read_entry(&mut archive, i)?;
            let action = part(name, &data, cx)?;
            if refs {
                let current: &[u8] = match &action {
                    PartAction::Replace(b) => b,
                    _ => &data,
                };
                match remove_references(current, &dropped) {
                    Some(clean) => PartAction::Replace(clean),
                    None => action,
                }
            } else {
                action
            }
        };
        if matches!(action, PartAction::Copy) && is_image_part(name) {
            cx.image_kept(Location::part(name.as_str()));
        }
        match action {
            PartAction::Drop => {}
            PartAction::Copy => {
                let entry = archive
                    .zip()
                    .by_index_raw(i)
                    .map_err(|e| RedactError::Review(format!("part {name} cannot be read: {e}")))?;
                w.raw_copy_file(entry).map_err(zerr)?;
            }
            PartAction::Replace(bytes) => {
                let entry = archive
                    .zip()
                    .by_index_raw(i)
                    .map_err(|e| RedactError::Review(format!("part {name} cannot be read: {e}")))?;
                let method = match entry.compression() {
                    CompressionMethod::Stored => CompressionMethod::Stored,
                    _ => CompressionMethod::Deflated,
                };
                let mut opts = SimpleFileOptions::default()
                    .compression_method(method)
                    .large_file(bytes.len() as u64 >= u32::MAX as u64);
                if let Some(t) = entry.last_modified() {
                    opts = opts.last_modified_time(t);
                }
                if let Some(mode) = entry.unix_mode() {
                    opts = opts.unix_permissions(mode);
                }
                drop(entry);
                w.start_file(name.as_str(), opts).map_err(zerr)?;
                w.write_all(&bytes)
                    .map_err(|e| RedactError::Failed(format!("writing {format}: {e}")))?;
            }
        }
    }
    Ok(w.finish().map_err(zerr)?.into_inner())
}

/// An XML part as text: the BOM apart, and whether the text is the part's
/// bytes exactly (UTF-8), so that byte ranges in it are byte ranges in the part.
pub struct PartText<'a> {
    /// Whether the part starts with a UTF-8 byte order mark (not in `xml`).
    pub bom: bool,
    /// The part's text.
    pub xml: Cow<'a, str>,
    /// Whether `xml` is the part's bytes exactly (after the BOM).
    pub exact: bool,
}

/// The text of an XML part (UTF-8, or UTF-16 with a BOM, converted).
pub fn part_text(data: &[u8]) -> PartText<'_> {
    if data.starts_with(&[0xFF, 0xFE]) || data.starts_with(&[0xFE, 0xFF]) {
        let xml = crate::container::xml::part_text(data);
        return PartText {
            bom: false,
            xml,
            exact: false,
        };
    }
    let bom = data.starts_with(b"\xEF\xBB\xBF");
    let body = if bom { &data[3..] } else { data };
    match std::str::from_utf8(body) {
        Ok(s) => PartText {
            bom,
            xml: Cow::Borrowed(s),
            exact: true,
        },
        Err(_) => PartText {
            bom,
            xml: String::from_utf8_lossy(body),
            exact: false,
        },
    }
}

/// One replacement of raw part bytes.
pub type SrcEdit = (Range<usize>, String);

/// Apply source edits to a part; `Err` when they overlap or the part's text
/// is not its bytes.
pub fn splice(
    name: &str,
    pt: &PartText<'_>,
    mut edits: Vec<SrcEdit>,
) -> Result<Vec<u8>, RedactError> {
    if !pt.exact {
        return Err(RedactError::Review(format!(
            "{name}: not UTF-8, cannot be rewritten safely"
        )));
    }
    edits.sort_by_key(|(r, _)| (r.start, r.end));
    let xml = pt.xml.as_bytes();
    let mut out = Vec::with_capacity(xml.len() + 3);
    if pt.bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let mut at = 0;
    for (r, text) in &edits {
        if r.start < at || r.end > xml.len() || r.end < r.start {
            return Err(RedactError::Failed(format!(
                "{name}: overlapping replacements"
            )));
        }
        out.extend_from_slice(&xml[at..r.start]);
        out.extend_from_slice(text.as_bytes());
        at = r.end;
    }
    out.extend_from_slice(&xml[at..]);
    Ok(out)
}

/// Escape text for an XML text node or attribute value.
pub fn escape(s: &str, attr: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\'' if attr => out.push_str("&apos;"),
            '\t' if attr => out.push_str("&#9;"),
            '\n' if attr => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// `text` written where the piece at `start` stands: CDATA content raw,
/// attribute values and text nodes escaped.
fn encode_piece(xml: &str, start: usize, text: &str) -> String {
    let before = &xml.as_bytes()[..start.min(xml.len())];
    if before.ends_with(b"<![CDATA[") {
        return text.replace("]]>", "]]]]><![CDATA[>");
    }
    let attr = matches!(before.last(), Some(b'"' | b'\''));
    escape(text, attr)
}

/// The local name of the element whose start tag is the last one before `at`
/// (the element a text piece stands in, or the element of an attribute).
pub fn enclosing_tag(xml: &str, at: usize) -> &str {
    let b = xml.as_bytes();
    let Some(lt) = memchr::memrchr(b'<', &b[..at.min(b.len())]) else {
        return "";
    };
    let rest = &xml[lt + 1..];
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(rest.len());
    let q = &rest[..end];
    q.rsplit(':').next().unwrap_or(q)
}

/// Boxes for the characters of `s`, whitespace kept.
fn boxes(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_whitespace() { c } else { super::BOX })
        .collect()
}

/// Write the edits of one block's text into its pieces. `blank` pieces are
/// emptied whatever the edits say.
pub fn piece_edits(
    xml: &str,
    text: &str,
    pieces: &[Piece],
    edits: &[Edit],
    boxed: bool,
    blank: &dyn Fn(&Piece) -> bool,
    out: &mut Vec<SrcEdit>,
) -> Result<(), RedactError> {
    let mut placed = vec![false; edits.len()];
    for p in pieces {
        let blanked = blank(p);
        let touching: Vec<usize> = (0..edits.len())
            .filter(|&k| edits[k].start < p.text.end && edits[k].end > p.text.start)
            .collect();
        if touching.is_empty() && !blanked {
            continue;
        }
        if p.source.end > xml.len() || (p.source.is_empty() && !p.text.is_empty()) {
            return Err(RedactError::Failed(
                "cannot locate a value in the document's XML".into(),
            ));
        }
        let mut new = String::new();
        if !blanked {
            let mut at = p.text.start;
            for &k in &touching {
                let e = &edits[k];
                let (s, end) = (e.start.max(p.text.start), e.end.min(p.text.end));
                if s < at {
                    continue;
                }
                new.push_str(&text[at..s]);
                if boxed {
                    new.push_str(&boxes(&text[s..end]));
                } else if !placed[k] {
                    new.push_str(&e.text);
                    placed[k] = true;
                }
                at = end;
            }
            new.push_str(&text[at..p.text.end]);
        }
        out.push((p.source.clone(), encode_piece(xml, p.source.start, &new)));
    }
    Ok(())
}

/// Whether a block names a document's author or editor (see the module docs).
fn is_editor(b: &Block, dialect: Dialect, xml: &str) -> bool {
    let label = b.label.as_deref().unwrap_or("");
    match b.kind {
        BlockKind::Attribute => matches!(label, "author" | "initials" | "userId" | "displayName"),
        BlockKind::Property => matches!(
            label,
            "creator" | "lastModifiedBy" | "initial-creator" | "Manager"
        ),
        BlockKind::Paragraph => {
            dialect == Dialect::SheetComments
                && b.pieces
                    .first()
                    .is_some_and(|p| enclosing_tag(xml, p.source.start) == "author")
        }
        BlockKind::Field => false,
    }
}

/// The edits of one block: what the plan replaces, or all of it for an
/// editor's name.
pub fn plan_block(
    part: &str,
    b: &Block,
    dialect: Dialect,
    xml: &str,
    cx: &mut Cx<'_>,
) -> Vec<Edit> {
    let seg = block_segment(part, b.clone());
    let edits = cx.plan(&seg);
    if !is_editor(b, dialect, xml) {
        return edits;
    }
    let blanked: Vec<Edit> = edits
        .iter()
        .map(|e| Edit {
            text: String::new(),
            ..e.clone()
        })
        .collect();
    let left = super::apply(&seg.text, &blanked);
    if !edits.is_empty() && !left.chars().any(char::is_alphanumeric) {
        return edits;
    }
    let raw = seg.text.as_str();
    let norm = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let replacement = cx.red.replacement(Kind::Name, &norm, raw);
    let owner = cx
        .red
        .scanner
        .opts
        .people
        .as_ref()
        .map(|p| p.owner(Kind::Name, &norm, raw));
    cx.audit.push(AuditRow {
        file: cx.audit_path.clone(),
        location: seg.loc.clone(),
        kind: Some(Kind::Name),
        owner,
        value: mask(Kind::Name, raw),
        reason: "document metadata: the names of authors and editors are always removed",
        replacement: replacement.clone(),
    });
    vec![Edit {
        start: 0,
        end: raw.len(),
        text: replacement,
    }]
}

/// Add edits for the editors' names written in the text of `b` (whole
/// words, where no edit is yet).
fn editor_mentions(
    part: &str,
    b: &Block,
    editors: &[String],
    edits: &mut Vec<Edit>,
    cx: &mut Cx<'_>,
) {
    let text = &b.text;
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    for name in editors {
        for (at, _) in text.match_indices(name.as_str()) {
            let end = at + name.len();
            if word(text[..at].chars().next_back()) || word(text[end..].chars().next()) {
                continue;
            }
            if edits.iter().any(|e| e.start < end && at < e.end) {
                continue;
            }
            let replacement = cx.red.replacement(Kind::Name, name, name);
            let mut location = crate::document::Location::part(part);
            location.paragraph = b.paragraph;
            cx.audit.push(AuditRow {
                file: cx.audit_path.clone(),
                location,
                kind: Some(Kind::Name),
                owner: None,
                value: mask(Kind::Name, name),
                reason: "the name of a third-party author of this part, repeated in its text",
                replacement: replacement.clone(),
            });
            edits.push(Edit {
                start: at,
                end,
                text: replacement,
            });
        }
    }
    edits.sort_by_key(|e| e.start);
}

/// Plan and rewrite every block of one XML part. `Ok(None)` when nothing
/// changes. A part that does not parse withholds the file.
pub fn redact_xml_part(
    name: &str,
    data: &[u8],
    dialect: Dialect,
    cx: &mut Cx<'_>,
) -> Result<Option<Vec<u8>>, RedactError> {
    let pt = part_text(data);
    let xml: &str = &pt.xml;
    let (blocks, err) = parse_part(xml, dialect);
    if let Some(err) = err {
        return Err(RedactError::Review(format!("{name}: {err}")));
    }
    let boxed = cx.red.style == Style::Box;
    let word = dialect == Dialect::Word;
    let blank =
        |p: &Piece| word && !p.source.is_empty() && enclosing_tag(xml, p.source.start) == "delText";
    // Third-party editors' names also go where the part repeats them in
    // text (Excel starts every comment with "Author:").
    let editors: Vec<String> = blocks
        .iter()
        .filter(|b| is_editor(b, dialect, xml))
        .map(|b| b.text.trim().to_string())
        .filter(|t| t.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .filter(|t| {
            cx.red
                .scanner
                .opts
                .people
                .as_ref()
                .is_none_or(|p| !p.owner(Kind::Name, t, t).is_kept())
        })
        .collect();
    let mut src = Vec::new();
    for b in &blocks {
        let mut edits = plan_block(name, b, dialect, xml, cx);
        if !editors.is_empty() && !is_editor(b, dialect, xml) {
            editor_mentions(name, b, &editors, &mut edits, cx);
        }
        let blank: &dyn Fn(&Piece) -> bool = if b.kind == BlockKind::Paragraph {
            &blank
        } else {
            &|_| false
        };
        piece_edits(xml, &b.text, &b.pieces, &edits, boxed, blank, &mut src)?;
    }
    if src.is_empty() {
        return Ok(None);
    }
    splice(name, &pt, src).map(Some)
}

/// The part without the empty elements that name a dropped part in an
/// attribute (`Relationship/@Target`, `Override/@PartName`,
/// `manifest:file-entry/@manifest:full-path`). `None` when nothing changes.
pub fn remove_references(data: &[u8], dropped: &[String]) -> Option<Vec<u8>> {
    let pt = part_text(data);
    if !pt.exact {
        return None;
    }
    let xml: &str = &pt.xml;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut cut: Vec<SrcEdit> = Vec::new();
    loop {
        let before = reader.buffer_position() as usize;
        match reader.read_event() {
            Ok(Event::Empty(e)) => {
                let names_dropped = e.attributes().flatten().any(|a| {
                    let v: &str = &a.value;
                    let v = v.trim_start_matches('/');
                    dropped.iter().any(|d| d.eq_ignore_ascii_case(v))
                });
                if names_dropped {
                    cut.push((before..reader.buffer_position() as usize, String::new()));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    if cut.is_empty() {
        return None;
    }
    splice("", &pt, cut).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_over_three_pieces_goes_into_the_first() {
        // "BSN: 1112" | "22" | "333 ok"
        let xml = "<p><t>BSN: 1112</t><t>22</t><t>333 ok</t></p>";
        let text = "BSN: 111222333 ok";
        let pieces = vec![
            Piece {
                source: 6..15,
                text: 0..9,
            },
            Piece {
                source: 22..24,
                text: 9..11,
            },
            Piece {
                source: 31..37,
                text: 11..17,
            },
        ];
        let edits = vec![Edit {
            start: 5,
            end: 14,
            text: "[BSN]".into(),
        }];
        let mut out = Vec::new();
        piece_edits(xml, text, &pieces, &edits, false, &|_| false, &mut out).unwrap();
        let pt = part_text(xml.as_bytes());
        let got = String::from_utf8(splice("x", &pt, out).unwrap()).unwrap();
        assert_eq!(got, "<p><t>BSN: [BSN]</t><t></t><t> ok</t></p>");
        let mut out = Vec::new();
        piece_edits(xml, text, &pieces, &edits, true, &|_| false, &mut out).unwrap();
        let got = String::from_utf8(splice("x", &pt, out).unwrap()).unwrap();
        assert_eq!(got, "<p><t>BSN: ████</t><t>██</t><t>███ ok</t></p>");
    }

    #[test]
    fn escaping_follows_the_place() {
        let xml = r#"<a b="x"><![CDATA[y]]>z</a>"#;
        assert_eq!(encode_piece(xml, 6, "\"&"), "&quot;&amp;");
        assert_eq!(encode_piece(xml, 18, "a]]>b"), "a]]]]><![CDATA[>b");
        assert_eq!(encode_piece(xml, 22, "<&>"), "&lt;&amp;&gt;");
        assert_eq!(enclosing_tag("<w:r><w:delText>ab", 17), "delText");
        assert_eq!(enclosing_tag(r#"<w:del w:author="x">"#, 17), "del");
    }

    #[test]
    fn references_to_dropped_parts_are_removed() {
        let rels = r#"<?xml version="1.0"?><Relationships><Relationship Id="r1" Target="docProps/thumbnail.jpeg"/><Relationship Id="r2" Target="/word/document.xml"/></Relationships>"#;
        let out = remove_references(rels.as_bytes(), &["docProps/thumbnail.jpeg".into()]).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            !out.contains("thumbnail") && out.contains("word/document.xml"),
            "{out}"
        );
        assert!(remove_references(rels.as_bytes(), &["x.png".into()]).is_none());
    }
}
