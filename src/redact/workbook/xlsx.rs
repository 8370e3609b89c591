//! Spreadsheets: XLSX/XLSM redacted inside the package (see
//! [`crate::redact::ooxml`] for the package and XML rewriting rules); the rest of the workbook
//! (styles, formulas elsewhere, charts, pivots' definitions) stays as it was.
//!
//! Cells are planned on the segments the reader makes (calamine's values,
//! with the column header as label), so redaction sees exactly what a scan
//! sees. A changed cell is written back as follows:
//! - a shared string (`t="s"`) is changed inside `xl/sharedStrings.xml`,
//!   rich-text runs kept (the replacement in the first run); a shared string
//!   used by several cells is redacted for all of them;
//! - any other cell (inline string, number such as a BSN stored as a number,
//!   date, formula result) becomes an inline string cell with the redacted
//!   text, keeping its style; a formula in it is removed with its value.
//!
//! Also rewritten: sheet names (`xl/workbook.xml`, made valid for Excel),
//! comments and their authors, threaded comments, persons, `docProps/*`,
//! `*.rels` targets, and the text of any other XML part that is not pure
//! formatting (charts, drawings). Thumbnails are dropped; embedded files
//! (`xl/embeddings/*`) go to their own redactor. Pivot caches and external
//! link caches (copies of data in attributes) are `needs_review`, as are
//! encrypted workbooks: those files are not written. XLS, XLSB and ODS
//! workbooks have no in-place redactor: they are written anew as XLSX by
//! [`super::convert`].

use super::names::{parse_ref, sheet_name};
use crate::container::ole::{is_encrypted_package, is_ole};
use crate::container::package::{open_package, part_dialect};
use crate::container::xml::{resolve_ref, Dialect, Piece};
use crate::document::column_name;
use crate::document::{Location, Segment};
use crate::extract::office::sheet::{SheetReader, WorkbookKind};
use crate::extract::{ExtractError, ReadCtx, Reader, Sink, Source};
use crate::redact::ooxml::{
    escape, is_thumbnail, part_text, piece_edits, read_parts, redact_xml_part, rewrite_package,
    splice, PartAction, SrcEdit,
};
use crate::redact::{apply, Cx, Edit, RedactError, Redactor, Style};
use quick_xml::events::{BytesStart, Event};
use quick_xml::XmlVersion;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

/// The redactor of workbooks: XLSX/XLSM inside the package, other workbooks converted to XLSX.
pub struct XlsxRedactor;

/// The cell segments the reader produces (everything else is planned from
/// the parts themselves).
#[derive(Default)]
struct Cells {
    segs: Vec<Segment>,
    review: Vec<String>,
}

impl Sink for Cells {
    fn segment(&mut self, s: Segment) {
        if s.loc.cell.is_some() {
            self.segs.push(s);
        }
    }
    fn embedded(&mut self, _: &str, _: Vec<u8>) {}
    fn needs_review(&mut self, reason: String) {
        self.review.push(reason);
    }
}

/// A cell whose text the plan changes.
struct CellChange {
    text: String,
    edits: Vec<Edit>,
}

fn local(q: &str) -> &str {
    q.rsplit(':').next().unwrap_or(q)
}

fn prefix_of(e: &BytesStart<'_>) -> String {
    let q = e.name();
    let q: &str = q.as_ref();
    match q.rsplit_once(':') {
        Some((p, _)) => format!("{p}:"),
        None => String::new(),
    }
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (local(a.key.as_ref()) == name)
            .then(|| a.normalized_value(XmlVersion::Implicit1_0).ok())
            .flatten()
            .map(|v| v.into_owned())
    })
}

/// A sheet of `xl/workbook.xml`: its name, relationship id, and where the
/// raw name stands in the part.
struct SheetEntry {
    name: String,
    rid: String,
    name_src: Range<usize>,
}

fn workbook_sheets(xml: &str) -> Result<Vec<SheetEntry>, String> {
    let base = xml.as_ptr() as usize;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if local(e.name().as_ref()) == "sheet" => {
                let mut entry = SheetEntry {
                    name: String::new(),
                    rid: String::new(),
                    name_src: 0..0,
                };
                for a in e.attributes().flatten() {
                    let value = a
                        .normalized_value(XmlVersion::Implicit1_0)
                        .map(|v| v.into_owned())
                        .unwrap_or_default();
                    match (a.key.as_ref(), local(a.key.as_ref())) {
                        ("name", _) => {
                            let start = (a.value.as_ptr() as usize).wrapping_sub(base);
                            if start <= xml.len() && start + a.value.len() <= xml.len() {
                                entry.name_src = start..start + a.value.len();
                            }
                            entry.name = value;
                        }
                        (k, "id") if k != "sheetId" => entry.rid = value,
                        _ => {}
                    }
                }
                out.push(entry);
            }
            Ok(Event::Eof) => break,
            Err(e) => return Err(format!("xl/workbook.xml: malformed XML: {e}")),
            Ok(_) => {}
        }
    }
    Ok(out)
}

/// Relationship id → target part (resolved against `xl/`).
fn workbook_targets(xml: &str) -> HashMap<String, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = HashMap::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if local(e.name().as_ref()) == "Relationship" => {
                if let (Some(id), Some(target)) = (attr(&e, "Id"), attr(&e, "Target")) {
                    out.insert(id, resolve_target(&target));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    out
}

fn resolve_target(target: &str) -> String {
    let full = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("xl/{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in full.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The next event of a part with the bytes it spans; malformed XML is a
/// message naming the position.
fn next_event<'x>(
    reader: &mut quick_xml::Reader<&'x [u8]>,
) -> Result<(Event<'x>, Range<usize>), String> {
    let before = reader.buffer_position() as usize;
    let ev = reader
        .read_event()
        .map_err(|e| format!("malformed XML near byte {}: {e}", reader.error_position()))?;
    Ok((ev, before..reader.buffer_position() as usize))
}

/// A `c` element of a sheet part.
struct FoundCell {
    range: Range<usize>,
    prefix: String,
    pos: (u32, u32),
    style: Option<String>,
    kind: Option<String>,
    value: String,
}

/// The cells at `wanted` positions, with their place in the part. Positions
/// follow the `r` attributes, or count on from the previous row / cell
/// where `r` is missing (as readers do).
fn find_cells(xml: &str, wanted: &HashSet<(u32, u32)>) -> Result<Vec<FoundCell>, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut row: Option<u32> = None;
    let mut col: Option<u32> = None;
    let mut open: Option<FoundCell> = None;
    let mut in_v = false;
    loop {
        let (ev, span) = next_event(&mut reader)?;
        let (before, after) = (span.start, span.end);
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                match local(e.name().as_ref()) {
                    "row" => {
                        row = Some(
                            attr(e, "r")
                                .and_then(|r| r.trim().parse::<u32>().ok())
                                .map(|r| r.saturating_sub(1))
                                .unwrap_or_else(|| row.map_or(0, |r| r + 1)),
                        );
                        col = None;
                    }
                    "c" => {
                        let pos = attr(e, "r")
                            .and_then(|r| parse_ref(&r))
                            .unwrap_or_else(|| (row.unwrap_or(0), col.map_or(0, |c| c + 1)));
                        row = Some(pos.0);
                        col = Some(pos.1);
                        if !empty && wanted.contains(&pos) {
                            open = Some(FoundCell {
                                range: before..before,
                                prefix: prefix_of(e),
                                pos,
                                style: attr(e, "s"),
                                kind: attr(e, "t"),
                                value: String::new(),
                            });
                        }
                    }
                    "v" if open.is_some() && !empty => in_v = true,
                    _ => {}
                }
            }
            Event::Text(t) if in_v => {
                if let Some(c) = open.as_mut() {
                    c.value.push_str(&t.xml10_content());
                }
            }
            Event::End(ref e) => match local(e.name().as_ref()) {
                "v" => in_v = false,
                "c" => {
                    if let Some(mut c) = open.take() {
                        c.range.end = after;
                        out.push(c);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// One `si` of the shared strings: the byte range of its content, its text
/// from `t` elements (phonetic runs apart) and the pieces of that text.
struct SharedString {
    inner: Range<usize>,
    prefix: String,
    text: String,
    pieces: Vec<Piece>,
    phonetic: bool,
}

fn shared_strings(xml: &str) -> Result<Vec<SharedString>, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut cur: Option<SharedString> = None;
    let mut in_t = false;
    let mut in_rph = 0usize;
    let push = |cur: &mut Option<SharedString>, s: &str, source: Range<usize>| {
        if let Some(si) = cur.as_mut() {
            let start = si.text.len();
            si.text.push_str(s);
            si.pieces.push(Piece {
                source,
                text: start..si.text.len(),
            });
        }
    };
    loop {
        let (ev, span) = next_event(&mut reader)?;
        let (before, after) = (span.start, span.end);
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                match local(e.name().as_ref()) {
                    "si" => {
                        let si = SharedString {
                            inner: after..after,
                            prefix: prefix_of(e),
                            text: String::new(),
                            pieces: Vec::new(),
                            phonetic: false,
                        };
                        if empty {
                            out.push(si);
                        } else {
                            cur = Some(si);
                        }
                    }
                    "rPh" if !empty => {
                        in_rph += 1;
                        if let Some(si) = cur.as_mut() {
                            si.phonetic = true;
                        }
                    }
                    "t" if !empty && in_rph == 0 => in_t = true,
                    _ => {}
                }
            }
            Event::End(ref e) => match local(e.name().as_ref()) {
                "si" => {
                    if let Some(mut si) = cur.take() {
                        si.inner.end = before;
                        out.push(si);
                    }
                }
                "rPh" => in_rph = in_rph.saturating_sub(1),
                "t" => in_t = false,
                _ => {}
            },
            Event::Text(t) if in_t => push(&mut cur, &t.xml10_content(), before..after),
            Event::CData(t) if in_t => push(
                &mut cur,
                &t.xml10_content(),
                before + 9..after.saturating_sub(3),
            ),
            Event::GeneralRef(r) if in_t => {
                let mut tmp = [0u8; 4];
                let s: &str = match resolve_ref(&r) {
                    Some(c) => c.encode_utf8(&mut tmp),
                    None => &xml[before.min(xml.len())..after.min(xml.len())],
                };
                push(&mut cur, s, before..after);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// Edits of several cells on one text: sorted, overlaps dropped (the
/// fail-closed re-scan catches anything a dropped edit would have covered).
fn merge_edits(mut edits: Vec<Edit>) -> Vec<Edit> {
    edits.sort_by_key(|e| (e.start, std::cmp::Reverse(e.end)));
    let mut out: Vec<Edit> = Vec::new();
    for e in edits {
        if out.last().is_some_and(|l| e.start < l.end) {
            continue;
        }
        out.push(e);
    }
    out
}

/// Plan the sheet names of `xl/workbook.xml`.
fn redact_workbook(data: &[u8], cx: &mut Cx<'_>) -> Result<Option<Vec<u8>>, RedactError> {
    let pt = part_text(data);
    let sheets = workbook_sheets(&pt.xml).map_err(RedactError::Review)?;
    let mut taken: HashSet<String> = sheets.iter().map(|s| s.name.to_lowercase()).collect();
    let mut src: Vec<SrcEdit> = Vec::new();
    for s in &sheets {
        let seg = Segment::new(
            s.name.as_str(),
            Location {
                sheet: Some(s.name.clone()),
                ..Location::default()
            },
        )
        .with_label("sheet");
        let edits = cx.plan(&seg);
        if edits.is_empty() {
            continue;
        }
        if s.name_src.is_empty() {
            return Err(RedactError::Failed(
                "cannot locate a sheet name in xl/workbook.xml".into(),
            ));
        }
        let new = sheet_name(&apply(&s.name, &edits), &mut taken);
        src.push((s.name_src.clone(), escape(&new, true)));
    }
    if src.is_empty() {
        return Ok(None);
    }
    splice("xl/workbook.xml", &pt, src).map(Some)
}

/// The cell `c` written as an inline string holding `text`.
fn inline_cell(c: &FoundCell, text: &str) -> String {
    let p = &c.prefix;
    let r = format!("{}{}", column_name(c.pos.1 as usize), c.pos.0 + 1);
    let s = c
        .style
        .as_deref()
        .map(|s| format!(" s=\"{}\"", escape(s, true)))
        .unwrap_or_default();
    format!(
        "<{p}c r=\"{r}\"{s} t=\"inlineStr\"><{p}is><{p}t xml:space=\"preserve\">{}</{p}t></{p}is></{p}c>",
        escape(text, false)
    )
}

/// Parts whose text is a copy of the data kept in attributes: not redacted
/// in place, so the workbook is withheld.
fn data_cache(lower: &str) -> bool {
    lower.starts_with("xl/pivotcache/") || lower.starts_with("xl/externallinks/")
}

/// XML parts copied as they are: formatting, or handled on their own.
fn formatting_only(lower: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "xl/styles",
        "xl/theme/",
        "xl/calcchain",
        "xl/worksheets/",
        "xl/chartsheets/",
        "xl/sharedstrings",
        "xl/workbook.xml",
        "xl/metadata",
        "xl/tables/",
        "xl/printersettings/",
        "customxml/itemprops",
    ];
    lower == "[content_types].xml" || PREFIXES.iter().any(|p| lower.starts_with(p))
}

/// How a part of a workbook package is read for redaction.
fn dialect_of(name: &str) -> Option<Dialect> {
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("xl/comments") && lower.ends_with(".xml") {
        return Some(Dialect::SheetComments);
    }
    if let Some(d) = part_dialect(name) {
        return Some(d);
    }
    (lower.ends_with(".xml") && !formatting_only(&lower)).then_some(Dialect::Props)
}

fn embedded(name: &str) -> bool {
    name.starts_with("xl/embeddings/")
}

impl XlsxRedactor {
    /// The rewritten sheet parts and shared strings for the changed cells.
    fn cells(
        &self,
        input: &[u8],
        changes: BTreeMap<String, HashMap<(u32, u32), CellChange>>,
        cx: &mut Cx<'_>,
    ) -> Result<HashMap<String, Vec<u8>>, RedactError> {
        let mut out = HashMap::new();
        if changes.is_empty() {
            return Ok(out);
        }
        let parts = read_parts(input, cx, "xlsx", |n| {
            n == "xl/workbook.xml"
                || n == "xl/_rels/workbook.xml.rels"
                || n == "xl/sharedStrings.xml"
                || n.starts_with("xl/worksheets/")
        })?;
        let get = |n: &str| {
            parts
                .iter()
                .find(|(p, _)| p == n)
                .map(|(_, d)| d.as_slice())
        };
        let missing = |n: &str| RedactError::Failed(format!("{n} not found in the package"));
        let wb = part_text(get("xl/workbook.xml").ok_or_else(|| missing("xl/workbook.xml"))?);
        let sheets = workbook_sheets(&wb.xml).map_err(RedactError::Review)?;
        let rels = part_text(
            get("xl/_rels/workbook.xml.rels")
                .ok_or_else(|| missing("xl/_rels/workbook.xml.rels"))?,
        );
        let targets = workbook_targets(&rels.xml);
        let boxed = cx.red.style == Style::Box;
        // Shared string index → the changes of the cells that use it.
        let mut shared: BTreeMap<usize, Vec<&CellChange>> = BTreeMap::new();
        for (sheet, cells) in &changes {
            let part = sheets
                .iter()
                .find(|s| s.name == *sheet)
                .and_then(|s| targets.get(&s.rid))
                .ok_or_else(|| missing(&format!("the part of sheet {}", sheets.len())))?;
            let data = get(part).ok_or_else(|| missing(part))?;
            let pt = part_text(data);
            let wanted: HashSet<(u32, u32)> = cells.keys().copied().collect();
            let found = find_cells(&pt.xml, &wanted)
                .map_err(|e| RedactError::Review(format!("{part}: {e}")))?;
            if found.len() != wanted.len() {
                return Err(RedactError::Failed(format!(
                    "{part}: {} changed cells not found in the sheet",
                    wanted.len().saturating_sub(found.len())
                )));
            }
            let mut src: Vec<SrcEdit> = Vec::new();
            for c in &found {
                let change = &cells[&c.pos];
                if c.kind.as_deref() == Some("s") {
                    let idx: usize = c.value.trim().parse().map_err(|_| {
                        RedactError::Failed(format!("{part}: bad shared string index"))
                    })?;
                    shared.entry(idx).or_default().push(change);
                } else {
                    let text = apply(&change.text, &change.edits);
                    src.push((c.range.clone(), inline_cell(c, &text)));
                }
            }
            if !src.is_empty() {
                out.insert(part.clone(), splice(part, &pt, src)?);
            }
        }
        if !shared.is_empty() {
            let name = "xl/sharedStrings.xml";
            let pt = part_text(get(name).ok_or_else(|| missing(name))?);
            let strings =
                shared_strings(&pt.xml).map_err(|e| RedactError::Review(format!("{name}: {e}")))?;
            let mut src: Vec<SrcEdit> = Vec::new();
            for (idx, uses) in shared {
                let si = strings.get(idx).ok_or_else(|| {
                    RedactError::Failed(format!("{name}: shared string {idx} is missing"))
                })?;
                let text = &uses[0].text;
                let edits = merge_edits(uses.iter().flat_map(|u| u.edits.clone()).collect());
                if si.text == *text && !si.phonetic {
                    piece_edits(
                        &pt.xml,
                        &si.text,
                        &si.pieces,
                        &edits,
                        boxed,
                        &|_| false,
                        &mut src,
                    )?;
                } else {
                    // The text as calamine reads it differs from the runs
                    // (phonetic runs, escapes): write the whole string anew.
                    let p = &si.prefix;
                    src.push((
                        si.inner.clone(),
                        format!(
                            "<{p}t xml:space=\"preserve\">{}</{p}t>",
                            escape(&apply(text, &edits), false)
                        ),
                    ));
                }
            }
            out.insert(name.to_string(), splice(name, &pt, src)?);
        }
        Ok(out)
    }
}

impl Redactor for XlsxRedactor {
    fn redact(&self, input: &[u8], cx: &mut Cx<'_>) -> Result<Vec<u8>, RedactError> {
        if is_ole(input) {
            if is_encrypted_package(input) {
                return Err(RedactError::Review(
                    "encrypted (password-protected) workbook: cannot be redacted".into(),
                ));
            }
            return super::convert::redact(input, WorkbookKind::Xls, cx);
        }
        let names: Vec<String> = {
            let mut archive = open_package(input, cx.limits().archive(), "spreadsheet")
                .map_err(ExtractError::from)?;
            archive
                .zip()
                .file_names()
                .flatten()
                .map(|n| n.into_owned())
                .collect()
        };
        match WorkbookKind::of_package(&names) {
            WorkbookKind::Xlsx => {}
            kind => return super::convert::redact(input, kind, cx),
        }
        if !names.iter().any(|n| n == "xl/workbook.xml") {
            return Err(
                ExtractError::parse("spreadsheet", "no xl/workbook.xml in the package").into(),
            );
        }
        // 1. The cells as the reader reads them, planned.
        let mut sink = Cells::default();
        SheetReader.read(
            &Source::Memory(input.to_vec()),
            &ReadCtx::new(cx.limits(), cx.depth),
            &mut sink,
        )?;
        if !sink.review.is_empty() {
            return Err(RedactError::Review(sink.review.join("; ")));
        }
        let mut changes: BTreeMap<String, HashMap<(u32, u32), CellChange>> = BTreeMap::new();
        for seg in &sink.segs {
            let edits = cx.plan(seg);
            if edits.is_empty() {
                continue;
            }
            let (Some(sheet), Some(pos)) = (
                seg.loc.sheet.clone(),
                seg.loc.cell.as_deref().and_then(parse_ref),
            ) else {
                return Err(RedactError::Failed("a cell without a position".into()));
            };
            changes.entry(sheet).or_default().insert(
                pos,
                CellChange {
                    text: seg.text.clone(),
                    edits,
                },
            );
        }
        // 2. Sheets and shared strings rewritten for those cells.
        let replaced = self.cells(input, changes, cx)?;
        let changed: HashSet<String> = replaced.keys().cloned().collect();
        // 3. The package, part by part.
        rewrite_package(
            input,
            cx,
            "xlsx",
            |name| {
                changed.contains(name)
                    || name == "xl/workbook.xml"
                    || embedded(name)
                    || data_cache(&name.to_ascii_lowercase())
                    || dialect_of(name).is_some()
            },
            |name, data, cx| {
                if is_thumbnail(name) {
                    return Ok(PartAction::Drop);
                }
                if let Some(bytes) = replaced.get(name) {
                    return Ok(PartAction::Replace(bytes.clone()));
                }
                if name == "xl/workbook.xml" {
                    return Ok(
                        redact_workbook(data, cx)?.map_or(PartAction::Copy, PartAction::Replace)
                    );
                }
                if embedded(name) {
                    return cx.embedded(name, data).map(PartAction::Replace);
                }
                if data_cache(&name.to_ascii_lowercase()) {
                    return Err(RedactError::Review(format!(
                        "{name}: a cached copy of data (pivot table or external link) cannot be redacted in place"
                    )));
                }
                let Some(dialect) = dialect_of(name) else {
                    return Ok(PartAction::Copy);
                };
                Ok(redact_xml_part(name, data, dialect, cx)?
                    .map_or(PartAction::Copy, PartAction::Replace))
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references() {
        assert_eq!(parse_ref("A1"), Some((0, 0)));
        assert_eq!(parse_ref("B7"), Some((6, 1)));
        assert_eq!(parse_ref("xfd1048576"), Some((1048575, 16383)));
        assert_eq!(parse_ref("A0"), None);
        assert_eq!(parse_ref("7"), None);
        assert_eq!(
            resolve_target("worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve_target("/xl/worksheets/s.xml"),
            "xl/worksheets/s.xml"
        );
        assert_eq!(resolve_target("../xl/./a.xml"), "xl/a.xml");
    }

    #[test]
    fn cells_without_r_count_on() {
        let xml = r#"<worksheet><sheetData><row><c><v>1</v></c><c t="s"><v>4</v></c></row><row r="5"><c r="C5" s="2"><v>3</v></c></row></sheetData></worksheet>"#;
        let wanted: HashSet<_> = [(0, 1), (4, 2)].into_iter().collect();
        let found = find_cells(xml, &wanted).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].value, "4");
        assert_eq!(found[0].kind.as_deref(), Some("s"));
        assert_eq!(
            &xml[found[1].range.clone()],
            r#"<c r="C5" s="2"><v>3</v></c>"#
        );
        assert_eq!(
            inline_cell(&found[1], "a<b"),
            r#"<c r="C5" s="2" t="inlineStr"><is><t xml:space="preserve">a&lt;b</t></is></c>"#
        );
    }

    #[test]
    fn shared_strings_runs_and_phonetics() {
        let xml = r#"<sst><si><t>Jan</t></si><si/><si><r><t xml:space="preserve">A &amp; </t></r><r><t>B</t></r><rPh><t>x</t></rPh></si></sst>"#;
        let s = shared_strings(xml).unwrap();
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].text, "Jan");
        assert_eq!(s[2].text, "A & B");
        assert!(s[2].phonetic && !s[0].phonetic);
        assert_eq!(&xml[s[0].inner.clone()], "<t>Jan</t>");
    }
}
