//! Workbooks without an in-place redactor (XLS, XLSB, ODS) are written anew
//! as XLSX: what the reader reads is planned, the cell values are written
//! with `rust_xlsxwriter`, and the run says so (audit row, file record).
//!
//! Planning is done on the reader's own segments ([`SheetReader`]), so the
//! plan covers exactly what a scan sees. The new workbook then gets, sheet
//! by sheet in the original order:
//! - the sheet name (redacted if it holds personal data; made valid for
//!   Excel when it is not: at most 31 characters, none of `[]:*?/\`), hidden
//!   sheets stay hidden;
//! - every cell at its position: numbers stay numbers, dates and times stay
//!   dates and times (with a `dd-mm-yyyy` / `hh:mm:ss` / `[h]:mm:ss` number
//!   format), booleans stay booleans, strings stay strings, an error value
//!   becomes its text (`#DIV/0!`), a formula becomes its cached value;
//! - a cell the plan changes becomes a string with the redacted text.
//!
//! Nothing else is carried over: no formatting, formulas, comments, drawings,
//! macros or document properties (the new file has no author). Third-party
//! values found in what is dropped (document properties, comments the reader
//! sees) get an audit row saying they were removed (and, with the pseudonym
//! style, no number). Comments the reader does not see (XLS notes, ODS
//! annotations) are not copied either.
//!
//! Withheld (`needs_review`, not written): what the reader cannot read fully,
//! i.e. password-protected workbooks (an XLS `FilePass` record), charts
//! (chart sheets; chart substreams of an XLS; `xl/charts/` of an XLSB;
//! embedded objects of an ODS, which is how charts are stored there), sheets
//! that do not read to the end, and values Excel cannot hold (a string over
//! 32,767 characters, a cell past row 1,048,576 or column XFD).

use super::names::{parse_ref, sheet_name, valid_sheet_name};
use crate::container::package::open_package;
use crate::document::Segment;
use crate::extract::office::sheet::{
    data_ref_text, each_cell, open_workbook, SheetReader, WorkbookKind,
};
use crate::extract::{ExtractError, ReadCtx, Reader, Sink, Source};
use crate::redact::{apply, Conversion, Cx, Edit, RedactError};
use calamine::{DataRef, Reader as _, SheetType, SheetVisible};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

/// Every segment the reader produces, and what it could not read.
#[derive(Default)]
struct All {
    segs: Vec<Segment>,
    review: Vec<String>,
}

impl Sink for All {
    fn segment(&mut self, s: Segment) {
        self.segs.push(s);
    }
    fn embedded(&mut self, _: &str, _: Vec<u8>) {}
    fn needs_review(&mut self, reason: String) {
        self.review.push(reason);
    }
}

/// What the audit and the file record say about a conversion.
fn conversion(kind: WorkbookKind) -> Conversion {
    let reason = match kind {
        WorkbookKind::Xls => "converted XLS to XLSX: cell values and sheet names kept; formatting, formulas (their last values are written), comments, drawings, macros and document properties not kept",
        WorkbookKind::Xlsb => "converted XLSB to XLSX: cell values and sheet names kept; formatting, formulas (their last values are written), comments, drawings, macros and document properties not kept",
        WorkbookKind::Ods | WorkbookKind::Xlsx => "converted ODS to XLSX: cell values and sheet names kept; formatting, formulas (their last values are written), comments, drawings, macros and document properties not kept",
    };
    Conversion {
        ext: "xlsx",
        reason,
    }
}

/// Audit reason of a third-party value in a part that is not carried over.
const DROPPED: &str =
    "removed: document properties and comments are not carried into the converted XLSX";

/// BIFF record types looked at in an XLS workbook stream.
const BOF: u16 = 0x0809;
const FILEPASS: u16 = 0x002F;
/// `dt` of a BOF record that opens a chart substream (MS-XLS 2.4.21).
const BOF_CHART: u16 = 0x0020;

/// Why an XLS cannot be converted (read fully), if it cannot: a password, or
/// a chart (a chart sheet or a chart embedded in a sheet).
fn xls_problem(input: &[u8]) -> Result<Option<String>, RedactError> {
    let parse = |e: &dyn std::fmt::Display| ExtractError::parse("spreadsheet", e);
    let mut file = cfb::CompoundFile::open(Cursor::new(input)).map_err(|e| parse(&e))?;
    let Some(name) = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| file.is_stream(n))
    else {
        return Err(parse(&"no Workbook stream in the XLS file").into());
    };
    let mut stream = Vec::new();
    file.open_stream(name)
        .and_then(|s| s.take(input.len() as u64).read_to_end(&mut stream))
        .map_err(|e| parse(&e))?;
    Ok(biff_problem(&stream))
}

/// See [`xls_problem`]: the records of a BIFF workbook stream.
fn biff_problem(stream: &[u8]) -> Option<String> {
    let u16_at = |b: &[u8], i: usize| b.get(i..i + 2).map(|x| u16::from_le_bytes([x[0], x[1]]));
    let mut i = 0;
    while let (Some(typ), Some(len)) = (u16_at(stream, i), u16_at(stream, i + 2)) {
        let data = &stream[(i + 4).min(stream.len())..(i + 4 + len as usize).min(stream.len())];
        match typ {
            FILEPASS => {
                return Some("password-protected (encrypted) workbook: cannot be redacted".into())
            }
            BOF if u16_at(data, 2) == Some(BOF_CHART) => {
                return Some(
                    "the workbook has a chart, which cannot be converted to XLSX: not written"
                        .into(),
                )
            }
            _ => {}
        }
        i += 4 + len as usize;
    }
    None
}

/// Why a zip workbook (XLSB, ODS) cannot be converted, if it cannot.
fn package_problem(
    input: &[u8],
    kind: WorkbookKind,
    cx: &Cx<'_>,
) -> Result<Option<String>, RedactError> {
    let mut archive =
        open_package(input, cx.limits().archive(), "spreadsheet").map_err(ExtractError::from)?;
    let names: Vec<String> = archive
        .zip()
        .file_names()
        .flatten()
        .map(|n| n.into_owned())
        .collect();
    let chart = names.iter().any(|n| match kind {
        WorkbookKind::Xlsb => n.starts_with("xl/charts/") || n.starts_with("xl/chartsheets/"),
        // Charts (and other objects) of an ODS are sub-documents.
        _ => n.ends_with("/content.xml") || n.starts_with("ObjectReplacements/"),
    });
    Ok(chart.then(|| {
        format!(
            "the workbook has a chart or an embedded object, which cannot be converted to XLSX: not written ({})",
            kind.name()
        )
    }))
}

/// The number formats of the written dates and times.
struct Formats {
    date: Format,
    datetime: Format,
    time: Format,
    duration: Format,
}

impl Formats {
    fn new() -> Self {
        Formats {
            date: Format::new().set_num_format("dd-mm-yyyy"),
            datetime: Format::new().set_num_format("dd-mm-yyyy hh:mm:ss"),
            time: Format::new().set_num_format("hh:mm:ss"),
            duration: Format::new().set_num_format("[h]:mm:ss"),
        }
    }
}

/// An ISO 8601 duration (`PT12H30M15S`, `P1DT2H`) in days.
fn iso_duration_days(s: &str) -> Option<f64> {
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let rest = s.strip_prefix('P')?;
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) => (d, t),
        None => (rest, ""),
    };
    let mut days = 0.0;
    let mut num = String::new();
    let mut any = false;
    for (part, is_time) in [(date, false), (time, true)] {
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' || c == ',' {
                num.push(if c == ',' { '.' } else { c });
                continue;
            }
            let n: f64 = num.parse().ok()?;
            num.clear();
            any = true;
            days += match (c, is_time) {
                ('D', false) => n,
                ('W', false) => n * 7.0,
                ('H', true) => n / 24.0,
                ('M', true) => n / 1440.0,
                ('S', true) => n / 86400.0,
                _ => return None,
            };
        }
        if !num.is_empty() {
            return None;
        }
    }
    any.then_some(if neg { -days } else { days })
}

fn xlsx_err(e: XlsxError) -> RedactError {
    match e {
        XlsxError::MaxStringLengthExceeded => RedactError::Review(
            "a cell holds more than 32,767 characters (Excel's limit): cannot be converted to XLSX"
                .into(),
        ),
        XlsxError::RowColumnLimitError => RedactError::Review(
            "a cell lies outside Excel's 1,048,576 rows or 16,384 columns: cannot be converted to XLSX"
                .into(),
        ),
        e => RedactError::Failed(format!("writing the XLSX: {e}")),
    }
}

/// Write one cell value of the source, typed as it was.
fn write_value(
    ws: &mut Worksheet,
    (row, col): (u32, u16),
    v: &DataRef<'_>,
    f: &Formats,
) -> Result<(), XlsxError> {
    match v {
        DataRef::Empty => {}
        DataRef::Int(i) => {
            ws.write_number(row, col, *i as f64)?;
        }
        DataRef::Float(x) if x.is_finite() => {
            ws.write_number(row, col, *x)?;
        }
        DataRef::Float(x) => {
            ws.write_string(row, col, x.to_string())?;
        }
        DataRef::String(s) => {
            ws.write_string(row, col, s.as_str())?;
        }
        DataRef::SharedString(s) => {
            ws.write_string(row, col, *s)?;
        }
        DataRef::Bool(b) => {
            ws.write_boolean(row, col, *b)?;
        }
        DataRef::Error(e) => {
            ws.write_string(row, col, e.to_string())?;
        }
        DataRef::DateTime(d) => {
            let serial = d.as_f64();
            if d.is_duration() {
                ws.write_number_with_format(row, col, serial, &f.duration)?;
            } else if (0.0..1.0).contains(&serial) {
                ws.write_number_with_format(row, col, serial, &f.time)?;
            } else {
                // Through the calendar date, so a 1904-based XLS lands on the
                // same day in the 1900-based XLSX.
                let (y, m, dd, hh, mm, ss, ms) = d.to_ymd_hms_milli();
                let date_only = (hh, mm, ss, ms) == (0, 0, 0, 0);
                let dt = ExcelDateTime::from_ymd(y, m, dd)
                    .and_then(|x| x.and_hms_milli(hh.into(), mm, ss, ms));
                let fmt = if date_only { &f.date } else { &f.datetime };
                match dt {
                    Ok(dt) => ws.write_datetime_with_format(row, col, &dt, fmt)?,
                    // Excel's own 29-02-1900 and the like: the serial as is.
                    Err(_) => ws.write_number_with_format(row, col, serial, fmt)?,
                };
            }
        }
        DataRef::DateTimeIso(s) => match ExcelDateTime::parse_from_str(s) {
            Ok(dt) => {
                let fmt = if !s.contains(':') {
                    &f.date
                } else if s.len() <= 12 && !s.contains('-') {
                    &f.time
                } else {
                    &f.datetime
                };
                ws.write_datetime_with_format(row, col, &dt, fmt)?;
            }
            Err(_) => {
                ws.write_string(row, col, s.as_str())?;
            }
        },
        DataRef::DurationIso(s) => match iso_duration_days(s) {
            Some(days) => {
                ws.write_number_with_format(row, col, days, &f.duration)?;
            }
            None => {
                ws.write_string(row, col, s.as_str())?;
            }
        },
    }
    Ok(())
}

/// A changed cell: the text the plan was made on, and its edits.
struct Change {
    text: String,
    edits: Vec<Edit>,
}

/// Redact a workbook of `kind` (XLS, XLSB or ODS) into a new XLSX.
pub fn redact(input: &[u8], kind: WorkbookKind, cx: &mut Cx<'_>) -> Result<Vec<u8>, RedactError> {
    // 0. What the reader cannot read fully is withheld.
    let problem = match kind {
        WorkbookKind::Xls => xls_problem(input)?,
        _ => package_problem(input, kind, cx)?,
    };
    if let Some(p) = problem {
        return Err(RedactError::Review(p));
    }
    // 1. The segments as the reader reads them, planned.
    let mut all = All::default();
    SheetReader.read(
        &Source::Memory(input.to_vec()),
        &ReadCtx::new(cx.limits(), cx.depth),
        &mut all,
    )?;
    if !all.review.is_empty() {
        return Err(RedactError::Review(all.review.join("; ")));
    }
    let mut changes: HashMap<(String, (u32, u32)), Change> = HashMap::new();
    let mut renamed: HashMap<String, String> = HashMap::new();
    for seg in &all.segs {
        let (before, mentioned) = (cx.audit.len(), cx.mentions.len());
        let edits = cx.plan(seg);
        match (&seg.loc.sheet, &seg.loc.cell) {
            (Some(sheet), Some(cell)) => {
                if edits.is_empty() {
                    continue;
                }
                let pos = parse_ref(cell)
                    .ok_or_else(|| RedactError::Failed("a cell without a position".into()))?;
                changes.insert(
                    (sheet.clone(), pos),
                    Change {
                        text: seg.text.clone(),
                        edits,
                    },
                );
            }
            (Some(sheet), None) if seg.label.as_deref() == Some("sheet") => {
                if !edits.is_empty() {
                    renamed.insert(sheet.clone(), apply(&seg.text, &edits));
                }
            }
            // Properties and comments: not written at all, so no pseudonym
            // number goes to whoever is named only there.
            _ => {
                cx.mentions.truncate(mentioned);
                for row in &mut cx.audit[before..] {
                    row.reason = DROPPED;
                    row.replacement = "(removed)".into();
                }
            }
        }
    }
    // 2. The values, typed, into a new workbook.
    let mut wb = open_workbook(input, kind)?;
    let meta = wb.sheets_metadata().to_vec();
    if let Some(chart) = meta.iter().position(|s| s.typ == SheetType::ChartSheet) {
        return Err(RedactError::Review(format!(
            "sheet {} is a chart sheet, which cannot be converted to XLSX: not written",
            chart + 1
        )));
    }
    let first_visible = meta.iter().position(|s| s.visible == SheetVisible::Visible);
    let mut out = Workbook::new();
    out.set_properties(&DocProperties::new());
    let formats = Formats::new();
    // Names of the source (a new name must not take one) and names given.
    let mut taken: HashSet<String> = meta.iter().map(|s| s.name.to_lowercase()).collect();
    let mut given: HashSet<String> = HashSet::new();
    let ctx = ReadCtx::new(cx.limits(), cx.depth);
    let mut used = 0usize;
    for (i, sheet) in meta.iter().enumerate() {
        let wanted = renamed.get(&sheet.name).unwrap_or(&sheet.name);
        let lower = wanted.to_lowercase();
        let name = if valid_sheet_name(wanted)
            && !given.contains(&lower)
            && (wanted == &sheet.name || !taken.contains(&lower))
        {
            wanted.clone()
        } else {
            sheet_name(wanted, &mut taken)
        };
        given.insert(name.to_lowercase());
        taken.insert(name.to_lowercase());
        let ws = out.add_worksheet();
        ws.set_name(&name).map_err(xlsx_err)?;
        if sheet.visible != SheetVisible::Visible && first_visible.is_some() {
            ws.set_hidden(true);
        }
        if Some(i) == first_visible {
            ws.set_active(true);
        }
        let mut failed: Option<RedactError> = None;
        let problem = each_cell(&mut wb, i, &sheet.name, &ctx, &mut |(r, c), v| {
            if failed.is_some() {
                return;
            }
            let Ok(col) = u16::try_from(c) else {
                failed = Some(xlsx_err(XlsxError::RowColumnLimitError));
                return;
            };
            let written = match changes.get(&(sheet.name.clone(), (r, c))) {
                Some(change) => {
                    used += 1;
                    let now = data_ref_text(v);
                    if now.as_deref() != Some(change.text.as_str()) {
                        failed = Some(RedactError::Failed(format!(
                            "sheet {}: a changed cell reads differently the second time",
                            i + 1
                        )));
                        return;
                    }
                    ws.write_string(r, col, apply(&change.text, &change.edits))
                        .map(|_| ())
                }
                None => write_value(ws, (r, col), v, &formats),
            };
            if let Err(e) = written {
                failed = Some(xlsx_err(e));
            }
        })?;
        if let Some(e) = failed {
            return Err(e);
        }
        if let Some(p) = problem {
            return Err(RedactError::Review(p));
        }
    }
    if used != changes.len() {
        return Err(RedactError::Failed(format!(
            "{} changed cells not found when writing the XLSX",
            changes.len().saturating_sub(used)
        )));
    }
    let bytes = out.save_to_buffer().map_err(xlsx_err)?;
    cx.converted = Some(conversion(kind));
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_durations() {
        assert_eq!(iso_duration_days("PT12H"), Some(0.5));
        assert_eq!(iso_duration_days("P1DT6H"), Some(1.25));
        assert_eq!(iso_duration_days("PT0H30M0S"), Some(30.0 / 1440.0));
        assert_eq!(iso_duration_days("-PT12H"), Some(-0.5));
        assert_eq!(iso_duration_days("PT1,5S"), Some(1.5 / 86400.0));
        assert_eq!(iso_duration_days("P"), None);
        assert_eq!(iso_duration_days("12:00"), None);
        assert_eq!(iso_duration_days("PT12"), None);
        assert_eq!(iso_duration_days("P3H"), None);
    }

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend(data);
        r
    }

    #[test]
    fn biff_charts_and_passwords() {
        // Globals BOF (dt 0x0005), a sheet BOF (0x0010), EOFs: fine.
        let bof = |dt: u16| {
            let mut d = 0x0600u16.to_le_bytes().to_vec();
            d.extend(dt.to_le_bytes());
            d.extend([0u8; 12]);
            record(BOF, &d)
        };
        let eof = record(0x000A, &[]);
        let plain = [bof(0x0005), eof.clone(), bof(0x0010), eof.clone()].concat();
        assert_eq!(biff_problem(&plain), None);
        // A chart substream inside the sheet.
        let chart = [
            bof(0x0005),
            eof.clone(),
            bof(0x0010),
            bof(0x0020),
            eof.clone(),
            eof.clone(),
        ]
        .concat();
        assert!(biff_problem(&chart).unwrap().contains("chart"));
        let locked = [bof(0x0005), record(FILEPASS, &[1, 0, 1, 0]), eof.clone()].concat();
        assert!(biff_problem(&locked).unwrap().contains("password"));
        // Truncated streams end the walk.
        assert_eq!(biff_problem(&plain[..plain.len() - 3]), None);
        assert_eq!(biff_problem(&[]), None);
    }
}
