//! End to end: `zwartlak redact` on XLS, XLSB and ODS workbooks, which are
//! written anew as XLSX. The XLS and ODS inputs are committed fixtures made
//! by independent pure-Python writers (`scripts/make_sheet_fixtures.py`:
//! xlwt, odfpy); XLSB (no such writer exists) is built here record by
//! record. Every output is read back with calamine and compared cell by cell
//! with the input, searched raw (every part of the package) for the third
//! party's values, and scanned again with `zwartlak scan`.

use crate::util::{self, file_record, of, records, repo, unzip, zip_of, zip_part, Folder};
use calamine::{Data, Reader, SheetVisible, Sheets};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

/// The subject of the fixtures.
const SUBJECT: &str = "name = [\"Jan de Vries\"]\nbsn = \"111222333\"\nphone = [\"06-87654321\"]\nbirth_date = [\"1980-04-01\"]\n";
/// The third party's values (invented), the editors' names of the metadata
/// and comments.
const GONE: &[&str] = &[
    "Piet Jansen",
    "123456782",
    "06-12345678",
    "0612345678",
    "piet.jansen@voorbeeld.nl",
    "NL91ABNA0417164300",
    "Karel Appel",
    "Els Bakker",
];

fn fixture(name: &str) -> Vec<u8> {
    let p = repo("fixtures/redact/sheets").join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{p:?}: {e}"))
}

struct Run {
    dir: tempfile::TempDir,
    input: PathBuf,
    out: PathBuf,
    records: Vec<Value>,
    audit: Vec<Value>,
}

impl Run {
    fn file(&self, path: &str) -> &Value {
        file_record(&self.records, path)
    }
    fn summary(&self) -> &Value {
        of(&self.records, "summary")[0]
    }
}

/// Redact `files` (written into a fresh folder) with the subject, with an
/// audit in JSON Lines.
fn redact(files: &[(&str, Vec<u8>)]) -> Run {
    redact_with(files, &[])
}

fn redact_with(files: &[(&str, Vec<u8>)], extra: &[&str]) -> Run {
    let folder = Folder::new(files, SUBJECT);
    let audit = folder.dir.path().join("audit.jsonl");
    let mut args = vec![OsString::from("--audit"), audit.clone().into()];
    args.extend(extra.iter().map(OsString::from));
    let recs = folder.redact(&args);
    Run {
        dir: folder.dir,
        input: folder.input,
        out: folder.out,
        records: recs,
        audit: records(std::fs::read(&audit).unwrap()),
    }
}

/// A cell value compared across formats: calamine reads an XLS number as a
/// float, an XLSX one as a float or an integer, an ODS date as ISO text.
#[derive(Clone, Debug, PartialEq)]
enum V {
    Num(f64),
    Str(String),
    Bool(bool),
    /// Year, month, day, hour, minute, second.
    Date(u16, u8, u8, u8, u8, u8),
    /// Seconds.
    Duration(i64),
    Error(String),
}

fn iso_date(s: &str) -> Option<V> {
    let n = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u16>().ok());
    let (y, m, d) = (n(0..4)?, n(5..7)?, n(8..10)?);
    let (hh, mm, ss) = if s.len() >= 19 {
        (n(11..13)?, n(14..16)?, n(17..19)?)
    } else {
        (0, 0, 0)
    };
    Some(V::Date(y, m as u8, d as u8, hh as u8, mm as u8, ss as u8))
}

fn iso_duration(s: &str) -> Option<V> {
    let t = s.strip_prefix("PT")?;
    let mut secs = 0.0;
    let mut num = String::new();
    for c in t.chars() {
        match c {
            '0'..='9' | '.' => num.push(c),
            'H' | 'M' | 'S' => {
                let n: f64 = num.parse().ok()?;
                num.clear();
                secs += n * [3600.0, 60.0, 1.0][(c != 'H') as usize + (c == 'S') as usize];
            }
            _ => return None,
        }
    }
    Some(V::Duration(secs.round() as i64))
}

fn v(d: &Data) -> Option<V> {
    Some(match d {
        Data::Empty => return None,
        Data::Int(i) => V::Num(*i as f64),
        Data::Float(f) => V::Num(*f),
        Data::String(s) => V::Str(s.clone()),
        Data::Bool(b) => V::Bool(*b),
        Data::Error(e) => V::Error(e.to_string()),
        Data::DateTime(dt) if dt.is_duration() => {
            V::Duration((dt.as_f64() * 86400.0).round() as i64)
        }
        Data::DateTime(dt) => {
            let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
            V::Date(y, m, d, hh, mm, ss)
        }
        Data::DateTimeIso(s) => iso_date(s).unwrap_or_else(|| V::Str(s.clone())),
        Data::DurationIso(s) => iso_duration(s).unwrap_or_else(|| V::Str(s.clone())),
    })
}

/// One sheet as calamine reads it: name, visibility, cells by (row, col).
type Sheet = (String, SheetVisible, BTreeMap<(u32, u32), V>);

fn read_book(path: &Path) -> Vec<Sheet> {
    let mut wb = calamine::open_workbook_auto(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    read_sheets(&mut wb)
}

fn read_sheets<RS: std::io::Read + std::io::Seek>(wb: &mut Sheets<RS>) -> Vec<Sheet> {
    let meta = wb.sheets_metadata().to_vec();
    meta.into_iter()
        .map(|s| {
            let range = wb.worksheet_range(&s.name).unwrap();
            let (r0, c0) = range.start().unwrap_or((0, 0));
            let cells = range
                .used_cells()
                .filter_map(|(r, c, d)| v(d).map(|x| ((r0 + r as u32, c0 + c as u32), x)))
                .collect();
            (s.name, s.visible, cells)
        })
        .collect()
}

fn cell(book: &[Sheet], sheet: usize, at: &str) -> V {
    let col = at.bytes().next().unwrap() - b'A';
    let row: u32 = at[1..].parse().unwrap();
    book[sheet]
        .2
        .get(&(row - 1, col as u32))
        .cloned()
        .unwrap_or_else(|| panic!("no cell {at} on sheet {sheet}: {:?}", book[sheet].2))
}

/// Every cell of the input is in the output at the same place: the same
/// value, or, where the audit says it was redacted, a string with a label.
fn assert_same_cells(input: &[Sheet], output: &[Sheet], redacted: &BTreeSet<(String, String)>) {
    assert_eq!(input.len(), output.len(), "sheet count");
    for ((name, vis, cells), (_, out_vis, out_cells)) in input.iter().zip(output) {
        assert_eq!(vis, out_vis, "visibility of {name}");
        let positions: Vec<_> = cells.keys().collect();
        let out_positions: Vec<_> = out_cells.keys().collect();
        assert_eq!(positions, out_positions, "cell positions of {name}");
        for (pos, value) in cells {
            let at = format!("{}{}", (b'A' + pos.1 as u8) as char, pos.0 + 1);
            let got = &out_cells[pos];
            if redacted.contains(&(name.clone(), at.clone())) {
                match got {
                    V::Str(s) => assert!(s.contains('['), "{name}!{at}: {s}"),
                    other => panic!("{name}!{at} redacted but not a string: {other:?}"),
                }
            } else {
                assert_eq!(value, got, "{name}!{at}");
            }
        }
    }
}

/// The (sheet, cell) of every cell redaction in the audit of `file`.
fn redacted_cells(run: &Run, file: &str) -> BTreeSet<(String, String)> {
    run.audit
        .iter()
        .filter(|r| r["file"] == file && r["location"]["cell"].is_string())
        .map(|r| {
            (
                r["location"]["sheet"].as_str().unwrap().to_string(),
                r["location"]["cell"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// No third-party value in any part of the package, and it is an XLSX.
fn assert_clean_package(path: &Path) {
    let mut names = Vec::new();
    for (name, d) in unzip(&std::fs::read(path).unwrap()) {
        let text = String::from_utf8_lossy(&d);
        for g in GONE {
            assert!(!text.contains(g), "{g} left in {name}: {text}");
        }
        names.push(name);
    }
    assert!(names.iter().any(|n| n == "xl/workbook.xml"), "{names:?}");
}

/// `zwartlak scan` reads the output back cleanly (`util::assert_rescans_clean`),
/// as a spreadsheet.
fn assert_rescans_clean(dir: &Path, path: &Path) {
    let file = util::assert_rescans_clean(dir, path);
    assert_eq!(file["format"], "spreadsheet", "{file}");
}

/// The workbook read with openpyxl (an independent reader), or `None` (with
/// a note) when the evaluation venv is not installed: sheets with title,
/// state and cells (dates as ISO text, with their number format).
fn openpyxl_view(path: &Path) -> Option<Value> {
    const SCRIPT: &str = r#"
import datetime, json, sys
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {"creator": wb.properties.creator, "sheets": []}
for ws in wb.worksheets:
    cells = {}
    for row in ws.iter_rows():
        for c in row:
            v = c.value
            if v is None:
                continue
            if isinstance(v, (datetime.datetime, datetime.date, datetime.time, datetime.timedelta)):
                v = [str(v), c.number_format]
            cells[c.coordinate] = v
    out["sheets"].append({"title": ws.title, "state": ws.sheet_state, "cells": cells})
print(json.dumps(out))
"#;
    util::python_view("openpyxl", SCRIPT, path)
}

/// The conversion row of the audit and the file record.
fn assert_conversion(run: &Run, input: &str, output: &str, from: &str) {
    let file = run.file(input);
    assert_eq!(file["status"], "scanned", "{file}");
    assert_eq!(file["output"], output, "{file}");
    let note = file["note"].as_str().unwrap();
    assert!(
        note.contains(&format!("converted {from} to XLSX")),
        "{note}"
    );
    assert!(note.contains(output), "{note}");
    let rows: Vec<&Value> = run
        .audit
        .iter()
        .filter(|r| r["file"] == input && r.get("kind").is_none())
        .collect();
    assert_eq!(rows.len(), 1, "{:?}", run.audit);
    let reason = rows[0]["reason"].as_str().unwrap();
    assert!(
        reason.starts_with(&format!("converted {from} to XLSX")),
        "{reason}"
    );
    assert!(
        reason.contains("formulas") && reason.contains("not kept"),
        "{reason}"
    );
    assert_eq!(rows[0]["replacement"], output);
    assert!(
        !run.out.join(input).exists(),
        "{input} written under its own name"
    );
    assert!(run.out.join(output).exists(), "{output} not written");
}

#[test]
fn xls_is_written_as_xlsx_cell_for_cell() {
    let run = redact(&[("huur.xls", fixture("huur.xls"))]);
    assert_conversion(&run, "huur.xls", "huur.xlsx", "XLS");
    let path = run.out.join("huur.xlsx");
    assert_clean_package(&path);
    let input = read_book(&run.input.join("huur.xls"));
    let output = read_book(&path);
    let redacted = redacted_cells(&run, "huur.xls");
    // Name, BSN, phone, birth date and e-mail of the third party, a date
    // under the birth-date header, the phone on the notes sheet, the IBAN on
    // the hidden sheet.
    assert_eq!(redacted.len(), 8, "{redacted:?}");
    assert_same_cells(&input, &output, &redacted);
    let names: Vec<&str> = output.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(names, ["Huurders", "Notities", "Verborgen"]);
    assert_eq!(output[2].1, SheetVisible::Hidden);
    // Types: numbers stay numbers, dates dates, booleans booleans.
    assert_eq!(cell(&output, 0, "A2"), V::Str("Jan de Vries".into()));
    assert_eq!(cell(&output, 0, "B2"), V::Num(111222333.0));
    assert_eq!(cell(&output, 0, "C2"), V::Str("06-87654321".into()));
    assert_eq!(cell(&output, 0, "D2"), V::Date(1980, 4, 1, 0, 0, 0));
    assert_eq!(cell(&output, 0, "E2"), V::Num(612.5));
    assert_eq!(cell(&output, 0, "F2"), V::Bool(true));
    assert_eq!(cell(&output, 0, "A3"), V::Str("[naam]".into()));
    assert_eq!(cell(&output, 0, "B3"), V::Str("[BSN]".into()));
    assert_eq!(cell(&output, 0, "D3"), V::Str("[geboortedatum]".into()));
    assert_eq!(cell(&output, 0, "F3"), V::Bool(false));
    assert_eq!(cell(&output, 0, "G3"), V::Str("mail [e-mail] graag".into()));
    assert_eq!(cell(&output, 0, "A4"), V::Str("niets bijzonders".into()));
    assert_eq!(
        cell(&output, 1, "D10"),
        V::Str("Bel de buurman op [telefoon] na vijven".into())
    );
    assert_eq!(cell(&output, 1, "A12"), V::Num(1466.62));
    assert_eq!(cell(&output, 2, "A1"), V::Str("IBAN partner [IBAN]".into()));
    // The summary counts values, not the conversion.
    assert_eq!(run.summary()["written"], 1);
    assert_eq!(run.summary()["redactions"], 8);
    assert_rescans_clean(run.dir.path(), &path);

    if let Some(v) = openpyxl_view(&path) {
        let sheets = &v["sheets"];
        assert_eq!(sheets[0]["title"], "Huurders");
        assert_eq!(sheets[2]["state"], "hidden");
        let c = &sheets[0]["cells"];
        assert_eq!(c["A3"], "[naam]");
        assert_eq!(c["B2"], 111222333);
        assert_eq!(c["D2"][0], "1980-04-01 00:00:00");
        assert_eq!(c["D2"][1], "dd-mm-yyyy");
        assert_eq!(c["F2"], true);
        assert_eq!(sheets[1]["cells"]["A12"], 1466.62);
        assert!(v["creator"].is_null() || v["creator"] == "", "{v}");
    }
}

#[test]
fn xls_with_1904_dates_keeps_the_calendar_day() {
    let run = redact(&[("huur-1904.xls", fixture("huur-1904.xls"))]);
    assert_conversion(&run, "huur-1904.xls", "huur-1904.xlsx", "XLS");
    let output = read_book(&run.out.join("huur-1904.xlsx"));
    assert_eq!(cell(&output, 0, "D2"), V::Date(1980, 4, 1, 0, 0, 0));
    let input = read_book(&run.input.join("huur-1904.xls"));
    assert_same_cells(&input, &output, &redacted_cells(&run, "huur-1904.xls"));
}

#[test]
fn ods_is_written_as_xlsx_without_metadata_or_comments() {
    let run = redact(&[("huur.ods", fixture("huur.ods"))]);
    assert_conversion(&run, "huur.ods", "huur.xlsx", "ODS");
    let path = run.out.join("huur.xlsx");
    // Creator in meta.xml and the annotation's author and text are gone.
    assert_clean_package(&path);
    let input = read_book(&run.input.join("huur.ods"));
    let output = read_book(&path);
    assert_same_cells(&input, &output, &redacted_cells(&run, "huur.ods"));
    // A formula's cached value, a time, a date from ISO text.
    assert_eq!(cell(&output, 0, "E5"), V::Num(7350.0));
    assert_eq!(cell(&output, 0, "G5"), V::Duration(10 * 3600 + 30 * 60));
    assert_eq!(cell(&output, 0, "D2"), V::Date(1980, 4, 1, 0, 0, 0));
    // Sheet names: a phone number redacted, then made valid for Excel.
    let names: Vec<&str> = output.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(
        names,
        ["Huurders", "Bel telefoon", "Overzicht van alle huurders"]
    );
    assert_eq!(
        cell(&output, 1, "D10"),
        V::Str("Bel de buurman op [telefoon] na vijven".into())
    );
    if let Some(v) = openpyxl_view(&path) {
        let c = &v["sheets"][0]["cells"];
        assert_eq!(c["E5"], 7350);
        assert_eq!(c["G5"][0], "10:30:00");
        assert_eq!(c["G5"][1], "[h]:mm:ss");
        assert_eq!(v["sheets"][1]["title"], "Bel telefoon");
    }
    // The creator is not carried over: the audit says it was removed.
    let removed: Vec<&Value> = run
        .audit
        .iter()
        .filter(|r| r["location"]["part"] == "meta.xml")
        .collect();
    assert!(!removed.is_empty());
    for r in removed {
        assert_eq!(r["replacement"], "(removed)", "{r}");
        assert_eq!(r["value"], "K**** A****", "{r}");
    }
    let core = zip_part(&std::fs::read(&path).unwrap(), "docProps/core.xml");
    assert!(
        core.contains("<dc:creator></dc:creator>") || !core.contains("<dc:creator>"),
        "{core}"
    );
    assert_rescans_clean(run.dir.path(), &path);
}

/// One XLSB record: varint type and length, then the body.
fn rec(out: &mut Vec<u8>, typ: u16, body: &[u8]) {
    if typ < 0x80 {
        out.push(typ as u8);
    } else {
        out.push((typ & 0x7F) as u8 | 0x80);
        out.push((typ >> 7) as u8);
    }
    let mut len = body.len();
    loop {
        let b = (len & 0x7F) as u8;
        len >>= 7;
        out.push(if len > 0 { b | 0x80 } else { b });
        if len == 0 {
            break;
        }
    }
    out.extend_from_slice(body);
}

fn wide(s: &str) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let mut v = (units.len() as u32).to_le_bytes().to_vec();
    v.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    v
}

/// An XLSB cell record: type and body.
type XlsbCell = (u16, Vec<u8>);

/// A cell record body: column, style, value.
fn cell_body(col: u32, style: u32, value: &[u8]) -> Vec<u8> {
    let mut b = col.to_le_bytes().to_vec();
    b.extend(style.to_le_bytes());
    b.extend_from_slice(value);
    b
}

/// An XLSB workbook: a visible sheet "Huurders" and a hidden one "Extra";
/// shared strings, a number, a date (style 1 = built-in date format 14), a
/// boolean, an inline string and a string formula with its cached value.
/// `extra` entries are added to the package.
fn xlsb(extra: &[(&str, &[u8])]) -> Vec<u8> {
    let mut wb = Vec::new();
    for (i, (name, rid, state)) in [("Huurders", "rId1", 0u32), ("Extra", "rId2", 1)]
        .iter()
        .enumerate()
    {
        let mut b = state.to_le_bytes().to_vec();
        b.extend((i as u32 + 1).to_le_bytes());
        b.extend(wide(rid));
        b.extend(wide(name));
        rec(&mut wb, 0x9C, &b);
    }
    rec(&mut wb, 0x90, &[]);
    rec(&mut wb, 0x9D, &[0; 8]);
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.bin"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.bin"/></Relationships>"#;
    let strings = [
        "Naam",
        "BSN",
        "Geboortedatum",
        "Actief",
        "Opmerking",
        "Piet Jansen",
        "Jan de Vries",
    ];
    let mut sst = Vec::new();
    let mut b = (strings.len() as u32).to_le_bytes().to_vec();
    b.extend((strings.len() as u32).to_le_bytes());
    rec(&mut sst, 0x9F, &b);
    for s in strings {
        let mut b = vec![0u8];
        b.extend(wide(s));
        rec(&mut sst, 0x13, &b);
    }
    rec(&mut sst, 0xA0, &[]);
    let mut styles = Vec::new();
    rec(&mut styles, 0x269, &2u32.to_le_bytes());
    for fmt in [0u16, 14] {
        let mut b = 0xFFFFu16.to_le_bytes().to_vec();
        b.extend(fmt.to_le_bytes());
        b.resize(16, 0);
        rec(&mut styles, 0x2F, &b);
    }
    rec(&mut styles, 0x26A, &[]);
    let sheet = |rows: &[(u32, Vec<XlsbCell>)]| {
        let mut s = Vec::new();
        rec(&mut s, 0x81, &[]);
        let mut dim = 0u32.to_le_bytes().to_vec();
        dim.extend(3u32.to_le_bytes());
        dim.extend(0u32.to_le_bytes());
        dim.extend(4u32.to_le_bytes());
        rec(&mut s, 0x94, &dim);
        rec(&mut s, 0x91, &[]);
        for (r, cells) in rows {
            let mut h = r.to_le_bytes().to_vec();
            h.resize(17, 0);
            rec(&mut s, 0x00, &h);
            for (typ, body) in cells {
                rec(&mut s, *typ, body);
            }
        }
        rec(&mut s, 0x92, &[]);
        rec(&mut s, 0x82, &[]);
        s
    };
    let isst = |col: u32, i: u32| (0x07u16, cell_body(col, 0, &i.to_le_bytes()));
    let real = |col: u32, style: u32, x: f64| (0x05u16, cell_body(col, style, &x.to_le_bytes()));
    let boolean = |col: u32, x: bool| (0x04u16, cell_body(col, 0, &[x as u8]));
    let inline = |col: u32, s: &str| (0x06u16, cell_body(col, 0, &wide(s)));
    let formula_str = |col: u32, s: &str| {
        let mut v = wide(s);
        v.extend(0u16.to_le_bytes());
        v.extend(0u32.to_le_bytes());
        v.extend(0u32.to_le_bytes());
        (0x08u16, cell_body(col, 0, &v))
    };
    let sheet1 = sheet(&[
        (
            0,
            vec![isst(0, 0), isst(1, 1), isst(2, 2), isst(3, 3), isst(4, 4)],
        ),
        // The subject: 01-04-1980 is serial 29312.
        (
            1,
            vec![
                isst(0, 6),
                real(1, 0, 111222333.0),
                real(2, 1, 29312.0),
                boolean(3, true),
                inline(4, "huurder"),
            ],
        ),
        // The third party.
        (
            2,
            vec![
                isst(0, 5),
                real(1, 0, 123456782.0),
                real(2, 1, 27560.0),
                boolean(3, false),
                formula_str(4, "mail piet.jansen@voorbeeld.nl graag"),
            ],
        ),
        (3, vec![inline(0, "niets bijzonders"), real(1, 0, -3.25)]),
    ]);
    let sheet2 = sheet(&[(4, vec![inline(2, "Bel 06-12345678 na vijven")])]);
    let ct = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>"#;
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", ct.as_bytes()),
        ("xl/workbook.bin", &wb),
        ("xl/_rels/workbook.bin.rels", rels.as_bytes()),
        ("xl/sharedStrings.bin", &sst),
        ("xl/styles.bin", &styles),
        ("xl/worksheets/sheet1.bin", &sheet1),
        ("xl/worksheets/sheet2.bin", &sheet2),
    ];
    entries.extend_from_slice(extra);
    zip_of(&entries)
}

#[test]
fn xlsb_is_written_as_xlsx_cell_for_cell() {
    let run = redact(&[("lijst.xlsb", xlsb(&[]))]);
    assert_conversion(&run, "lijst.xlsb", "lijst.xlsx", "XLSB");
    let path = run.out.join("lijst.xlsx");
    assert_clean_package(&path);
    let input = read_book(&run.input.join("lijst.xlsb"));
    let output = read_book(&path);
    // The builder is read as meant.
    assert_eq!(cell(&input, 0, "C2"), V::Date(1980, 4, 1, 0, 0, 0));
    assert_eq!(
        cell(&input, 0, "E3"),
        V::Str("mail piet.jansen@voorbeeld.nl graag".into())
    );
    let redacted = redacted_cells(&run, "lijst.xlsb");
    assert_eq!(redacted.len(), 5, "{redacted:?}");
    assert_same_cells(&input, &output, &redacted);
    assert_eq!(output[1].0, "Extra");
    assert_eq!(output[1].1, SheetVisible::Hidden);
    assert_eq!(cell(&output, 0, "B2"), V::Num(111222333.0));
    assert_eq!(cell(&output, 0, "C2"), V::Date(1980, 4, 1, 0, 0, 0));
    assert_eq!(cell(&output, 0, "D2"), V::Bool(true));
    assert_eq!(cell(&output, 0, "C3"), V::Str("[geboortedatum]".into()));
    assert_eq!(cell(&output, 0, "E3"), V::Str("mail [e-mail] graag".into()));
    assert_eq!(
        cell(&output, 1, "C5"),
        V::Str("Bel [telefoon] na vijven".into())
    );
    assert_rescans_clean(run.dir.path(), &path);
}

/// A small XLSX written with rust_xlsxwriter.
fn small_xlsx(text: &str) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().write_string(0, 0, text).unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn a_converted_copy_never_takes_another_copys_name() {
    let run = redact(&[
        ("huur.xls", fixture("huur.xls")),
        ("huur.xlsx", small_xlsx("al een xlsx")),
        ("huur.ods", fixture("huur.ods")),
    ]);
    // huur.xlsx keeps its name; the converted copies go beside it.
    assert_eq!(run.file("huur.xlsx")["status"], "scanned");
    assert!(run.file("huur.xlsx").get("output").is_none());
    assert_conversion(&run, "huur.ods", "huur.ods.xlsx", "ODS");
    assert_conversion(&run, "huur.xls", "huur.xls.xlsx", "XLS");
    let kept = read_book(&run.out.join("huur.xlsx"));
    assert_eq!(cell(&kept, 0, "A1"), V::Str("al een xlsx".into()));
    let mut written: Vec<String> = std::fs::read_dir(&run.out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(written, ["huur.ods.xlsx", "huur.xls.xlsx", "huur.xlsx"]);
}

/// An OLE compound file whose Workbook stream holds `records`.
fn ole_workbook(records: &[(u16, Vec<u8>)]) -> Vec<u8> {
    let mut stream = Vec::new();
    for (typ, body) in records {
        stream.extend(typ.to_le_bytes());
        stream.extend((body.len() as u16).to_le_bytes());
        stream.extend(body);
    }
    // Over 4096 bytes: a regular stream, not in the mini stream.
    stream.resize(5000, 0);
    let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    cf.create_stream("/Workbook")
        .unwrap()
        .write_all(&stream)
        .unwrap();
    cf.flush().unwrap();
    cf.into_inner().into_inner()
}

fn bof(dt: u16) -> (u16, Vec<u8>) {
    let mut b = 0x0600u16.to_le_bytes().to_vec();
    b.extend(dt.to_le_bytes());
    b.resize(16, 0);
    (0x0809, b)
}

#[test]
fn workbooks_that_cannot_be_converted_are_withheld() {
    // An ODS with a chart (an embedded object), an XLSB with a chart part,
    // an XLS with a chart substream, a password-protected XLS, and an XLS
    // inside a zip (the archive keeps member names and types).
    let ods = fixture("huur.ods");
    let ods_chart = {
        let mut a = zip::ZipArchive::new(Cursor::new(&ods)).unwrap();
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..a.len() {
            w.raw_copy_file(a.by_index(i).unwrap()).unwrap();
        }
        w.start_file(
            "Object 1/content.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        w.write_all(b"<office:document-content/>").unwrap();
        w.finish().unwrap().into_inner()
    };
    let xlsb_chart = xlsb(&[("xl/charts/chart1.xml", b"<c:chartSpace/>".as_slice())]);
    let eof = (0x000A, vec![]);
    let xls_chart = ole_workbook(&[
        bof(0x0005),
        eof.clone(),
        bof(0x0010),
        bof(0x0020),
        eof.clone(),
        eof.clone(),
    ]);
    let xls_locked = ole_workbook(&[bof(0x0005), (0x002F, vec![1, 0, 1, 0]), eof.clone()]);
    let zipped = zip_of(&[("huur.xls", &fixture("huur.xls"))]);
    let run = redact(&[
        ("grafiek.ods", ods_chart),
        ("grafiek.xlsb", xlsb_chart),
        ("grafiek.xls", xls_chart),
        ("slot.xls", xls_locked),
        ("bijlagen.zip", zipped),
    ]);
    for (name, why) in [
        ("grafiek.ods", "chart"),
        ("grafiek.xlsb", "chart"),
        ("grafiek.xls", "chart"),
        ("slot.xls", "password"),
        ("bijlagen.zip", "converting it to XLSX"),
    ] {
        let r = run.file(name);
        assert_eq!(r["status"], "needs_review", "{r}");
        assert!(r["reason"].as_str().unwrap().contains(why), "{r}");
        assert!(r.get("output").is_none(), "{r}");
    }
    assert_eq!(run.summary()["written"], 0);
    let written: Vec<_> = std::fs::read_dir(&run.out)
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(written.is_empty(), "{written:?}");
    assert!(run.audit.is_empty(), "{:?}", run.audit);
}

/// The XLS, XLSB and ODS files of `../shared/external/xlsx` (calamine's test
/// files, real office output) when present: each converted copy holds every
/// cell of its input at its place, or the file is withheld with a reason.
#[test]
fn external_workbooks_convert_cell_for_cell_when_present() {
    let dir = repo("../shared/external/xlsx");
    let Ok(list) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: {dir:?} not present");
        return;
    };
    let mut files: Vec<(String, Vec<u8>)> = list
        .map(|e| e.unwrap().path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("xls" | "xlsb" | "ods")
            )
        })
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    let run = redact(
        &files
            .iter()
            .map(|(n, d)| (n.as_str(), d.clone()))
            .collect::<Vec<_>>(),
    );
    let mut converted = 0;
    for (name, _) in &files {
        let r = run.file(name);
        if r["status"] != "scanned" {
            assert!(r["reason"].is_string(), "{r}");
            assert!(r.get("output").is_none(), "{r}");
            continue;
        }
        let out = run.out.join(r["output"].as_str().unwrap());
        let input = read_book(&run.input.join(name));
        let output = read_book(&out);
        assert_same_cells(&input, &output, &redacted_cells(&run, name));
        converted += 1;
    }
    eprintln!(
        "{converted} of {} external workbooks converted",
        files.len()
    );
    assert!(converted > 0);
}

#[test]
fn pseudonyms_count_only_people_in_the_converted_copy() {
    // The creator in meta.xml is dropped, not replaced: the third party in
    // the cells is person 1.
    let run = redact_with(
        &[("huur.ods", fixture("huur.ods"))],
        &["--style", "pseudonym"],
    );
    let output = read_book(&run.out.join("huur.xlsx"));
    assert_eq!(cell(&output, 0, "A3"), V::Str("[persoon 1]".into()));
    assert_eq!(cell(&output, 0, "B3"), V::Str("[BSN 1]".into()));
    assert_eq!(cell(&output, 0, "A2"), V::Str("Jan de Vries".into()));
}
