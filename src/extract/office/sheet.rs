//! Spreadsheets: XLSX/XLSM, XLSB, XLS (BIFF) and ODS, read with calamine.
//!
//! Owns the cell model of a workbook as the scanner sees it: every non-empty
//! cell of every sheet is one segment at `Location::cell(sheet, "B7")`,
//! labelled with its column's header (the first non-empty cell of that
//! column) so that a "BSN" or "Klantnummer" header acts as context. Values
//! are written the way a person reads them: integral numbers without a
//! fraction (calamine returns `111222333.0`), dates as `dd-mm-yyyy`, formulas
//! as their cached values. Also read: sheet names, document properties
//! (creator, last modified by, title, company, ...), and for zip packages the
//! cell comments with their authors (`xl/comments*.xml`, threaded comments,
//! persons). Zip packages are checked against the archive limits before
//! calamine opens them; a password-protected (encrypted) workbook is
//! `needs_review`.

use super::{emit_part, read_entry};
use crate::container::ole::{is_encrypted_package, is_ole};
use crate::container::package::open_package;
use crate::container::xml::Dialect;
use crate::document::{Column, Location, Segment};
use crate::extract::{ExtractError, ReadCtx, Reader, Sink, Source};
use calamine::{Data, DataRef, Reader as _, Sheets};
use std::borrow::Cow;
use std::io::Cursor;

/// The reader of spreadsheets (XLSX, XLSM, XLSB, XLS, ODS), one segment per cell.
pub struct SheetReader;

pub use crate::document::column_name;

/// `dd-mm-yyyy` for an ISO date (`yyyy-mm-dd`, optionally with a time).
fn iso_to_dmy(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() >= 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
    {
        let rest = &s[10..];
        let time = rest
            .strip_prefix('T')
            .filter(|t| t.len() >= 5 && !t.starts_with("00:00"))
            .map(|t| format!(" {}", &t[..5]))
            .unwrap_or_default();
        return Some(format!("{}-{}-{}{}", &s[8..10], &s[5..7], &s[..4], time));
    }
    None
}

/// A cell's value as text, the way a person reads it. `None` for cells that
/// hold nothing to scan (empty, booleans, errors, durations).
pub fn cell_text(v: &Data) -> Option<Cow<'_, str>> {
    Some(match v {
        Data::Empty | Data::Bool(_) | Data::Error(_) | Data::DurationIso(_) => return None,
        Data::String(s) => Cow::Borrowed(s.as_str()),
        Data::Int(i) => Cow::Owned(i.to_string()),
        Data::Float(f) => Cow::Owned(format_float(*f)),
        Data::DateTime(dt) => {
            if dt.is_duration() {
                return None;
            }
            let (y, m, d, hh, mm, _, _) = dt.to_ymd_hms_milli();
            if hh == 0 && mm == 0 {
                Cow::Owned(format!("{d:02}-{m:02}-{y:04}"))
            } else {
                Cow::Owned(format!("{d:02}-{m:02}-{y:04} {hh:02}:{mm:02}"))
            }
        }
        Data::DateTimeIso(s) => match iso_to_dmy(s) {
            Some(t) => Cow::Owned(t),
            None => Cow::Borrowed(s.as_str()),
        },
    })
}

/// Integral floats as integers (`111222333.0` → `111222333`), others as
/// Rust prints them (shortest round-trip form).
pub fn format_float(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// A cell left of a value that names it ("BSN", "Telefoon:").
fn key_text(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty() && t.chars().count() <= 40 && !t.bytes().any(|b| b.is_ascii_digit()))
        .then_some(t)
}

/// Widest column whose header is remembered (XLSX has 16,384 columns).
const MAX_COLUMNS: usize = 1 << 14;

/// Turns the cells of one sheet, in row-major order, into segments. Cells
/// are streamed, never put in a dense grid: a sheet with one cell at A1 and
/// one at XFD1048576 costs two cells, not seventeen billion.
struct SheetEmitter<'s> {
    name: &'s str,
    /// The sheet's index: its table number for [`Column`].
    table: u32,
    /// Text of the first non-empty cell of each column.
    header: Vec<Option<String>>,
    row: Option<u32>,
    /// The previous non-empty cell of the row, when it reads as a key.
    left: Option<String>,
    /// The non-empty cells of the current row (column, text, is a string):
    /// a row is read whole before its cells are labelled.
    pending: Vec<(u32, String, bool)>,
    /// The current row is a table's header row: its cells are no form keys.
    header_row: bool,
}

impl<'s> SheetEmitter<'s> {
    fn new(name: &'s str, table: u32) -> Self {
        SheetEmitter {
            name,
            table,
            header: Vec::new(),
            row: None,
            left: None,
            pending: Vec::new(),
            header_row: false,
        }
    }

    fn cell(
        &mut self,
        (row, col): (u32, u32),
        text: Option<Cow<'_, str>>,
        is_string: bool,
        sink: &mut dyn Sink,
    ) {
        if self.row != Some(row) {
            self.finish(sink);
            self.row = Some(row);
        }
        if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            self.pending.push((col, text.into_owned(), is_string));
        }
    }

    /// Label and emit the cells of the current row. A row of three or more
    /// key-like strings that each start a column ("Naam | Termijnbedrag |
    /// Startdatum") is a header row: there the cell to the left is not the
    /// key of a form layout ("Naam | Jan Jansen").
    fn finish(&mut self, sink: &mut dyn Sink) {
        let Some(row) = self.row else { return };
        let cells = std::mem::take(&mut self.pending);
        self.header_row = cells.len() >= 3
            && cells.iter().all(|(c, t, is_string)| {
                *is_string
                    && key_text(t).is_some()
                    && self.header.get(*c as usize).is_none_or(|h| h.is_none())
            });
        self.left = None;
        for (col, text, is_string) in cells {
            self.emit((row, col), text, is_string, sink);
        }
    }

    fn emit(&mut self, (row, col): (u32, u32), text: String, is_string: bool, sink: &mut dyn Sink) {
        let c = col as usize;
        if c < MAX_COLUMNS && self.header.len() <= c {
            self.header.resize(c + 1, None);
        }
        let head = self.header.get(c).and_then(|h| h.as_deref());
        let under_header = head.is_some();
        // The cell to the left names this one in a form layout ("BSN" | 123…),
        // or when it ends in a colon.
        let key = self
            .left
            .as_deref()
            .filter(|k| (head.is_none() && !self.header_row) || k.ends_with(':'));
        let label = match (head, key) {
            (Some(h), Some(k)) => Some(format!("{h} {k}")),
            (Some(h), None) => Some(h.to_string()),
            (None, Some(k)) => Some(k.to_string()),
            (None, None) => None,
        };
        if head.is_none() {
            if let Some(h) = self.header.get_mut(c) {
                *h = Some(text.trim().to_string());
            }
        }
        self.left = if is_string {
            key_text(&text).map(str::to_string)
        } else {
            None
        };
        let cell = format!("{}{}", column_name(col as usize), u64::from(row) + 1);
        let mut seg = Segment::new(text, Location::cell(self.name, cell));
        seg.label = label;
        if under_header {
            // Under its column's first cell: a value of that column.
            seg.column = Some(Column {
                table: self.table,
                index: col,
            });
        }
        sink.segment(seg);
    }
}

/// The text of a streamed cell value, like [`cell_text`].
pub fn data_ref_text<'a>(v: &'a DataRef<'_>) -> Option<Cow<'a, str>> {
    match v {
        DataRef::SharedString(s) => Some(Cow::Borrowed(s)),
        DataRef::String(s) => Some(Cow::Borrowed(s.as_str())),
        other => cell_text(&Data::from(other.clone())).map(|t| Cow::Owned(t.into_owned())),
    }
}

/// Cells read between two looks at the clock.
const CHECK_EVERY: u64 = 4096;

/// `DataRef` view of a cell of a range (strings borrowed, not copied).
fn as_data_ref(v: &Data) -> DataRef<'_> {
    match v {
        Data::Int(i) => DataRef::Int(*i),
        Data::Float(f) => DataRef::Float(*f),
        Data::String(s) => DataRef::SharedString(s),
        Data::Bool(b) => DataRef::Bool(*b),
        Data::DateTime(d) => DataRef::DateTime(*d),
        Data::DateTimeIso(s) => DataRef::DateTimeIso(s.clone()),
        Data::DurationIso(s) => DataRef::DurationIso(s.clone()),
        Data::Error(e) => DataRef::Error(e.clone()),
        Data::Empty => DataRef::Empty,
    }
}

/// Visit every cell of one sheet in row-major order with its 0-based
/// (row, column) position: XLSX and XLSB streamed, XLS and ODS from
/// calamine's range (their readers build one anyway). The time budget is
/// checked every `CHECK_EVERY` cells. A sheet that cannot be read (fully)
/// returns the reason; the cells visited before it stand.
pub fn each_cell(
    wb: &mut Sheets<Cursor<&[u8]>>,
    index: usize,
    name: &str,
    ctx: &ReadCtx<'_>,
    f: &mut dyn FnMut((u32, u32), &DataRef<'_>),
) -> Result<Option<String>, ExtractError> {
    let mut cells_seen: u64 = 0;
    let mut tick = || -> Result<(), ExtractError> {
        cells_seen += 1;
        if cells_seen.is_multiple_of(CHECK_EVERY) {
            ctx.check()?;
        }
        Ok(())
    };
    let failed = |e: &dyn std::fmt::Display| format!("sheet {} cannot be read: {e}", index + 1);
    macro_rules! stream {
        ($book:expr) => {
            match $book.worksheet_cells_reader(name) {
                Ok(mut cells) => loop {
                    match cells.next_cell() {
                        Ok(Some(cell)) => {
                            tick()?;
                            f(cell.get_position(), cell.get_value());
                        }
                        Ok(None) => return Ok(None),
                        Err(e) => return Ok(Some(failed(&e))),
                    }
                },
                Err(e) => Ok(Some(failed(&e))),
            }
        };
    }
    match wb {
        Sheets::Xlsx(book) => stream!(book),
        Sheets::Xlsb(book) => stream!(book),
        _ => match wb.worksheet_range(name) {
            Ok(range) => {
                let (row0, col0) = range.start().unwrap_or((0, 0));
                for (r, c, v) in range.used_cells() {
                    tick()?;
                    f((row0 + r as u32, col0 + c as u32), &as_data_ref(v));
                }
                Ok(None)
            }
            Err(e) => Ok(Some(failed(&e))),
        },
    }
}

/// Emit every non-empty cell of one sheet. Errors while reading a sheet are
/// `needs_review`; the cells read before the error are kept.
fn emit_sheet(
    wb: &mut Sheets<Cursor<&[u8]>>,
    index: usize,
    name: &str,
    ctx: &ReadCtx<'_>,
    sink: &mut dyn Sink,
) -> Result<(), ExtractError> {
    let mut em = SheetEmitter::new(name, index as u32);
    let problem = each_cell(wb, index, name, ctx, &mut |pos, v| {
        let is_string = matches!(v, DataRef::String(_) | DataRef::SharedString(_));
        em.cell(pos, data_ref_text(v), is_string, sink);
    })?;
    em.finish(sink);
    if let Some(p) = problem {
        sink.needs_review(p);
    }
    Ok(())
}

fn props(wb: &mut Sheets<Cursor<&[u8]>>, kind: WorkbookKind, sink: &mut dyn Sink) {
    let Ok(p) = wb.workbook_properties() else {
        return;
    };
    let (core, app) = match kind {
        WorkbookKind::Xlsx | WorkbookKind::Xlsb => ("docProps/core.xml", "docProps/app.xml"),
        WorkbookKind::Ods => ("meta.xml", "meta.xml"),
        WorkbookKind::Xls => ("SummaryInformation", "DocumentSummaryInformation"),
    };
    let fields: [(&str, &str, &Option<String>); 9] = [
        (core, "creator", &p.creator),
        (core, "lastModifiedBy", &p.last_modified_by),
        (core, "title", &p.title),
        (core, "subject", &p.subject),
        (core, "description", &p.description),
        (core, "keywords", &p.keywords),
        (core, "category", &p.category),
        (app, "Company", &p.company),
        (app, "Manager", &p.manager),
    ];
    for (part, label, value) in fields {
        if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            sink.segment(Segment::new(v, Location::part(part)).with_label(label));
        }
    }
    let mut custom: Vec<_> = p.custom_properties.iter().collect();
    custom.sort();
    for (k, v) in custom {
        if !v.trim().is_empty() {
            sink.segment(
                Segment::new(v.as_str(), Location::part("docProps/custom.xml"))
                    .with_label(k.as_str()),
            );
        }
    }
}

/// The container format of a workbook.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkbookKind {
    /// Excel 97-2003 (BIFF in an OLE container).
    Xls,
    /// Office Open XML workbook.
    Xlsx,
    /// Excel binary workbook.
    Xlsb,
    /// OpenDocument spreadsheet.
    Ods,
}

impl WorkbookKind {
    /// The format's name in upper case (`"XLSX"`).
    pub fn name(self) -> &'static str {
        match self {
            WorkbookKind::Xls => "XLS",
            WorkbookKind::Xlsx => "XLSX",
            WorkbookKind::Xlsb => "XLSB",
            WorkbookKind::Ods => "ODS",
        }
    }

    /// The kind of a zip workbook from its entry names.
    pub fn of_package<S: AsRef<str>>(names: &[S]) -> WorkbookKind {
        let has = |n: &str| names.iter().any(|x| x.as_ref() == n);
        if has("xl/workbook.bin") {
            WorkbookKind::Xlsb
        } else if has("content.xml") && !has("xl/workbook.xml") {
            WorkbookKind::Ods
        } else {
            WorkbookKind::Xlsx
        }
    }
}

/// Comments, threaded comments and persons of a zip workbook.
fn zip_extras(
    bytes: &[u8],
    ctx: &ReadCtx<'_>,
    sink: &mut dyn Sink,
) -> Result<WorkbookKind, ExtractError> {
    let mut archive = open_package(bytes, ctx.limits.archive(), "spreadsheet")?;
    let names: Vec<String> = (0..archive.len())
        .map(|i| match archive.zip().name_for_index(i) {
            Some(Ok(n)) => n.into_owned(),
            _ => String::new(),
        })
        .collect();
    let kind = WorkbookKind::of_package(&names);
    for (i, name) in names.iter().enumerate() {
        ctx.check()?;
        let dialect = if name.starts_with("xl/comments") && name.ends_with(".xml") {
            Dialect::SheetComments
        } else if (name.starts_with("xl/threadedComments/") || name.starts_with("xl/persons/"))
            && name.ends_with(".xml")
        {
            Dialect::Props
        } else {
            continue;
        };
        let Some((name, data)) = read_entry(&mut archive, i, sink)? else {
            continue;
        };
        emit_part(&name, &data, dialect, ctx, sink)?;
    }
    Ok(kind)
}

impl Reader for SheetReader {
    fn read(
        &self,
        src: &Source,
        ctx: &ReadCtx<'_>,
        sink: &mut dyn Sink,
    ) -> Result<(), ExtractError> {
        let bytes = src.bytes()?;
        let bytes: &[u8] = &bytes;
        let kind = if is_ole(bytes) {
            if is_encrypted_package(bytes) {
                sink.needs_review("encrypted (password-protected) workbook".into());
                return Ok(());
            }
            WorkbookKind::Xls
        } else {
            zip_extras(bytes, ctx, sink)?
        };
        // calamine can panic on damaged files (index out of range in its OLE
        // reader, found by fuzzing): that is a damaged workbook, not a crash.
        crate::panics::catch(|| read_workbook(bytes, kind, ctx, sink)).unwrap_or_else(|_| {
            Err(ExtractError::parse(
                "spreadsheet",
                crate::panics::damaged("spreadsheet"),
            ))
        })
    }
}

/// Open a workbook of `kind` with calamine.
pub fn open_workbook(
    bytes: &[u8],
    kind: WorkbookKind,
) -> Result<Sheets<Cursor<&[u8]>>, ExtractError> {
    let cur = Cursor::new(bytes);
    let err = |e: &dyn std::fmt::Display| ExtractError::parse("spreadsheet", e);
    Ok(match kind {
        WorkbookKind::Xls => {
            Sheets::Xls(calamine::open_workbook_from_rs(cur).map_err(|e| err(&e))?)
        }
        WorkbookKind::Xlsx => {
            Sheets::Xlsx(calamine::open_workbook_from_rs(cur).map_err(|e| err(&e))?)
        }
        WorkbookKind::Xlsb => {
            Sheets::Xlsb(calamine::open_workbook_from_rs(cur).map_err(|e| err(&e))?)
        }
        WorkbookKind::Ods => {
            Sheets::Ods(calamine::open_workbook_from_rs(cur).map_err(|e| err(&e))?)
        }
    })
}

/// Open the workbook with calamine and emit its properties and sheets.
fn read_workbook(
    bytes: &[u8],
    kind: WorkbookKind,
    ctx: &ReadCtx<'_>,
    sink: &mut dyn Sink,
) -> Result<(), ExtractError> {
    let mut wb = open_workbook(bytes, kind)?;
    ctx.check()?;
    props(&mut wb, kind, sink);
    let names = wb.sheet_names();
    for (i, name) in names.iter().enumerate() {
        ctx.check()?;
        sink.segment(
            Segment::new(
                name.as_str(),
                Location {
                    sheet: Some(name.clone()),
                    ..Location::default()
                },
            )
            .with_label("sheet"),
        );
        emit_sheet(&mut wb, i, name, ctx, sink)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::ole::OLE_MAGIC;
    use crate::extract::testutil::run;
    use crate::testutil::{zip_of, zip_of_text};

    /// An OLE compound file whose FAT sector id (2) is within the file's
    /// sector count but past the data: calamine 0.38 slices out of range
    /// (`cfb.rs`, found by the `sheet` fuzz target). Built here, not copied.
    fn ole_fat_past_data() -> Vec<u8> {
        let mut h = vec![0u8; 512];
        h[..8].copy_from_slice(&OLE_MAGIC);
        h[24..26].copy_from_slice(&0x3Eu16.to_le_bytes());
        h[26..28].copy_from_slice(&3u16.to_le_bytes());
        h[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes());
        h[30..32].copy_from_slice(&9u16.to_le_bytes());
        h[32..34].copy_from_slice(&6u16.to_le_bytes());
        h[44..48].copy_from_slice(&1u32.to_le_bytes());
        h[60..64].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
        h[68..72].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
        for k in (76..512).step_by(4) {
            h[k..k + 4].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        }
        h[76..80].copy_from_slice(&2u32.to_le_bytes());
        h.resize(1024, 0);
        h
    }

    /// calamine still panics opening `data` as an `R` workbook (the bug is
    /// calamine's), and the reader makes that a "damaged file" error.
    fn assert_damaged_not_panic<R>(data: Vec<u8>)
    where
        R: calamine::Reader<Cursor<Vec<u8>>>,
    {
        let direct = std::panic::catch_unwind(|| {
            let _ = calamine::open_workbook_from_rs::<R, _>(Cursor::new(data.clone()));
        });
        assert!(
            direct.is_err(),
            "calamine fixed? then drop the catch_unwind"
        );
        let err = run(&SheetReader, data).unwrap_err();
        assert!(err.to_string().contains("damaged file"), "{err}");
    }

    #[test]
    fn damaged_ole_workbook_is_an_error_not_a_panic() {
        assert_damaged_not_panic::<calamine::Xls<_>>(ole_fat_past_data());
    }

    #[test]
    fn xlsb_sheet_with_unknown_relationship_is_an_error_not_a_panic() {
        // A BrtBundleSh record (type 0x9C, two-byte varint) naming a
        // relationship id that the workbook's .rels does not have: calamine
        // 0.38 indexes a HashMap with it and panics (`xlsb/mod.rs`, found by
        // the `sheet` fuzz target).
        let mut rec = vec![0x9C, 0x01, 20];
        rec.extend(0u32.to_le_bytes()); // visible
        rec.extend(1u32.to_le_bytes()); // tab id
        rec.extend(4u32.to_le_bytes()); // relationship id: 4 UTF-16 units
        rec.extend("rId9".encode_utf16().flat_map(|u| u.to_le_bytes()));
        let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>"#;
        let data = zip_of(&[
            ("xl/_rels/workbook.bin.rels", rels.as_bytes()),
            ("xl/workbook.bin", &rec[..]),
        ]);
        assert_damaged_not_panic::<calamine::Xlsb<_>>(data);
    }

    #[test]
    fn values_read_like_a_person_reads_them() {
        assert_eq!(format_float(111222333.0), "111222333");
        assert_eq!(format_float(-5.0), "-5");
        assert_eq!(format_float(1466.62), "1466.62");
        assert_eq!(format_float(1e20), "100000000000000000000");
        assert_eq!(iso_to_dmy("1980-04-01").as_deref(), Some("01-04-1980"));
        assert_eq!(
            iso_to_dmy("1980-04-01T00:00:00").as_deref(),
            Some("01-04-1980")
        );
        assert_eq!(
            iso_to_dmy("1980-04-01T10:30:00").as_deref(),
            Some("01-04-1980 10:30")
        );
        assert_eq!(iso_to_dmy("geen datum"), None);
        assert_eq!(cell_text(&Data::Bool(true)), None);
        assert_eq!(cell_text(&Data::Int(42)).as_deref(), Some("42"));
        let dt =
            calamine::ExcelDateTime::new(29312.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(
            cell_text(&Data::DateTime(dt)).as_deref(),
            Some("01-04-1980")
        );
    }

    const CT: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;
    const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;
    const WB: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Huurders" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    const WB_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
    // numFmtId 14 is the built-in date format.
    const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>"#;

    /// An xlsx with one sheet; `rows` is the sheetData content.
    pub fn xlsx(shared: &[&str], rows: &str, extra: &[(&str, &str)]) -> Vec<u8> {
        let sst = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{n}" uniqueCount="{n}">{}</sst>"#,
            shared
                .iter()
                .map(|s| format!("<si>{s}</si>"))
                .collect::<String>(),
            n = shared.len()
        );
        let sheet = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
        );
        let mut entries: Vec<(&str, &str)> = vec![
            ("[Content_Types].xml", CT),
            ("_rels/.rels", RELS),
            ("xl/workbook.xml", WB),
            ("xl/_rels/workbook.xml.rels", WB_RELS),
            ("xl/styles.xml", STYLES),
            ("xl/sharedStrings.xml", &sst),
            ("xl/worksheets/sheet1.xml", &sheet),
        ];
        entries.extend_from_slice(extra);
        zip_of_text(&entries)
    }

    #[test]
    fn cells_labels_numbers_dates_formulas_comments_props() {
        let rows = r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row><row r="2"><c r="A2"><v>111222333</v></c><c r="B2" t="s"><v>4</v></c><c r="C2" s="1"><v>29312</v></c><c r="D2"><f>A2*1</f><v>111222333</v></c></row><row r="3"><c r="A3" t="inlineStr"><is><t>987654321</t></is></c><c r="B3" t="s"><v>5</v></c></row>"#;
        let shared = [
            "<t>BSN</t>",
            "<t>Naam</t>",
            "<t>Geboortedatum</t>",
            "<t>Kopie</t>",
            // Rich text: one shared string split over runs.
            "<r><t xml:space=\"preserve\">Jan </t></r><r><rPr><b/></rPr><t>de Vries</t></r>",
            "<t>A &amp; B</t>",
        ];
        let comments = r#"<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>Els Bakker</author></authors><commentList><comment ref="A2" authorId="0"><text><r><t>Els Bakker:</t></r><r><t xml:space="preserve"> bel 06-12345678</t></r></text></comment></commentList></comments>"#;
        let core = r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Piet Hein</dc:creator><cp:lastModifiedBy>P. Hein</cp:lastModifiedBy><dc:title>Lijst</dc:title></cp:coreProperties>"#;
        let data = xlsx(
            &shared,
            rows,
            &[("xl/comments1.xml", comments), ("docProps/core.xml", core)],
        );
        let c = run(&SheetReader, data).unwrap();
        assert!(c.review.is_empty(), "{:?}", c.review);
        let cell = |r: &str| c.cell(r);
        let a2 = cell("A2");
        assert_eq!(a2.text, "111222333");
        assert_eq!(a2.label.as_deref(), Some("BSN"));
        assert_eq!(a2.loc.sheet.as_deref(), Some("Huurders"));
        assert_eq!(cell("A1").label, None);
        assert_eq!(cell("B2").text, "Jan de Vries");
        assert_eq!(cell("C2").text, "01-04-1980");
        assert_eq!(cell("C2").label.as_deref(), Some("Geboortedatum"));
        assert_eq!(cell("D2").text, "111222333");
        assert_eq!(cell("A3").text, "987654321");
        assert_eq!(cell("B3").text, "A & B");
        assert!(c
            .segs
            .iter()
            .any(|s| s.text == "Els Bakker" && s.loc.part.as_deref() == Some("xl/comments1.xml")));
        assert!(c.has("Els Bakker: bel 06-12345678"), "{:?}", c.texts());
        let creator = c.segs.iter().find(|s| s.text == "Piet Hein").unwrap();
        assert_eq!(creator.label.as_deref(), Some("creator"));
        assert!(c.has("P. Hein"));
        assert!(c
            .segs
            .iter()
            .any(|s| s.text == "Huurders" && s.loc.sheet.is_some()));
    }

    #[test]
    fn header_gives_bsn_context_to_number_cells() {
        use crate::detect::{Engine, Filter};
        use crate::kind::Kind as K;
        let engine = Engine::builtin(Filter::default()).unwrap();
        let rows = r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2"><v>111222333</v></c><c r="B2"><v>123456782</v></c></row>"#;
        let data = xlsx(&["<t>BSN</t>", "<t>Klantnummer</t>"], rows, &[]);
        let c = run(&SheetReader, data).unwrap();
        let kinds = |r: &str| {
            let s = c.cell(r);
            engine
                .detect(&s.text, s.label.as_deref())
                .into_iter()
                .map(|f| f.kind)
                .collect::<Vec<_>>()
        };
        // Both numbers pass the 11-check: the header decides.
        assert_eq!(kinds("A2"), vec![K::Bsn]);
        assert_eq!(kinds("B2"), Vec::<K>::new());
    }

    #[test]
    fn form_layout_uses_the_key_cell() {
        let rows = r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="C2"><v>5</v></c></row>"#;
        let data = xlsx(
            &["<t>Naam</t>", "<t>Jan</t>", "<t>Telefoon:</t>"],
            rows,
            &[],
        );
        let c = run(&SheetReader, data).unwrap();
        let b1 = c.cell("B1");
        assert_eq!(b1.label.as_deref(), Some("Naam"));
        let c2 = c.cell("C2");
        assert_eq!(c2.label.as_deref(), Some("Telefoon:"));
    }

    #[test]
    fn a_header_row_is_no_form_layout() {
        // "Naam | Termijnbedrag | Startdatum": column headers, so "Termijnbedrag"
        // is not the value of a "Naam" key; the cells below get their header.
        let rows = r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row><row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2"><v>12.5</v></c></row>"#;
        let data = xlsx(
            &[
                "<t>Naam</t>",
                "<t>Termijnbedrag</t>",
                "<t>Startdatum</t>",
                "<t>Jan de Vries</t>",
            ],
            rows,
            &[],
        );
        let c = run(&SheetReader, data).unwrap();
        let label = |r: &str| c.cell(r).label.clone();
        assert_eq!(label("B1"), None);
        assert_eq!(label("C1"), None);
        assert_eq!(label("A2").as_deref(), Some("Naam"));
        assert_eq!(label("B2").as_deref(), Some("Termijnbedrag"));
        // Cells come out in row order, the header row first.
        let cells: Vec<_> = c.segs.iter().filter_map(|s| s.loc.cell.clone()).collect();
        assert_eq!(cells, ["A1", "B1", "C1", "A2", "B2"]);
    }

    #[test]
    fn sparse_sheet_is_streamed_not_expanded() {
        // A dense grid for these two cells would need 17 billion entries.
        let rows = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>BSN</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>111222333</v></c></row>"#;
        let c = run(&SheetReader, xlsx(&[], rows, &[])).unwrap();
        let far = c.cell("XFD1048576");
        assert_eq!(far.text, "111222333");
    }

    #[test]
    fn broken_and_encrypted_workbooks() {
        assert!(run(&SheetReader, b"PK\x03\x04garbage".to_vec()).is_err());
        // A zip that is no workbook.
        assert!(run(&SheetReader, zip_of_text(&[("a.txt", "x")])).is_err());
        // An OLE file naming an EncryptedPackage stream.
        let mut ole = OLE_MAGIC.to_vec();
        ole.extend(vec![0u8; 100]);
        ole.extend(
            "EncryptedPackage"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        );
        let c = run(&SheetReader, ole).unwrap();
        assert_eq!(c.review.len(), 1);
        // Truncated OLE: an error, no panic.
        assert!(run(&SheetReader, OLE_MAGIC.to_vec()).is_err());
    }

    fn external(name: &str) -> Option<Vec<u8>> {
        std::fs::read(format!(
            "{}/../shared/external/xlsx/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .ok()
    }

    #[test]
    fn external_xls_and_ods_when_present() {
        for name in [
            "calamine__issues.xls",
            "calamine__date.ods",
            "calamine__issues.xlsb",
        ] {
            let Some(data) = external(name) else {
                eprintln!("skipped: {name} not present");
                continue;
            };
            let c = run(&SheetReader, data).unwrap();
            assert!(
                c.segs.iter().any(|s| s.loc.cell.is_some()),
                "{name}: no cells read"
            );
        }
    }
}
