//! End to end: `zwartlak scan --roster` finds a listed person's name in a
//! spelling the roster does not contain and their other values, with high
//! confidence, from CSV and XLSX rosters together; a roster file without
//! known columns is a usage error.

use assert_cmd::Command;
use std::io::{Cursor, Write};

fn findings(args: &[&str]) -> Vec<serde_json::Value> {
    let out = Command::cargo_bin("zwartlak")
        .unwrap()
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|r| r["record"] == "finding")
        .collect()
}

#[test]
fn roster_values_are_found_with_high_confidence() {
    let f = findings(&[
        "scan",
        "fixtures/roster",
        "--roster",
        "fixtures/roster.csv",
        "--format",
        "jsonl",
        "--reveal",
    ]);
    let get = |kind: &str| {
        f.iter()
            .find(|r| r["kind"] == kind)
            .unwrap_or_else(|| panic!("no {kind} in {f:?}"))
    };
    assert_eq!(get("name")["value"], "OORSCHOT, K.J. VAN");
    assert!(get("name")["confidence"].as_f64().unwrap() > 0.95);
    assert_eq!(get("bsn")["value"], "1112.22.333");
    assert!(get("bsn")["confidence"].as_f64().unwrap() > 0.95);
    assert_eq!(get("iban")["value"], "NL91 ABNA 0417 1643 00");
    assert_eq!(get("phone")["value"], "0612345678");
    assert_eq!(get("address")["value"], "Lindelaan 4");
}

#[test]
fn unusable_roster_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "kleur;maat\nrood;3\n").unwrap();
    Command::cargo_bin("zwartlak")
        .unwrap()
        .args(["scan", "fixtures/roster", "--roster"])
        .arg(&bad)
        .assert()
        .code(2);
}

/// A workbook with one sheet of inline-string and number cells.
fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    let mut sheet = String::new();
    for (r, row) in rows.iter().enumerate() {
        sheet.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, v) in row.iter().enumerate() {
            let at = format!("{}{}", (b'A' + c as u8) as char, r + 1);
            if v.bytes().all(|b| b.is_ascii_digit()) {
                sheet.push_str(&format!("<c r=\"{at}\"><v>{v}</v></c>"));
            } else {
                sheet.push_str(&format!(
                    "<c r=\"{at}\" t=\"inlineStr\"><is><t>{v}</t></is></c>"
                ));
            }
        }
        sheet.push_str("</row>");
    }
    let files = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
        ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Huurders" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string()),
        ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet}</sheetData></worksheet>"#)),
    ];
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in files {
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(data.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn csv_and_xlsx_rosters_find_names_and_addresses_in_other_spellings() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("huurders.csv");
    std::fs::write(
        &csv,
        "Naam;Adres\nAyşe Yılmaz;Dorpsstraat 12a, 1234 AB Utrecht\n",
    )
    .unwrap();
    let sheet = dir.path().join("huurders.xlsx");
    std::fs::write(
        &sheet,
        xlsx(&[
            &["Naam", "BSN"],
            &["Maria van den Berg-Jansen", "111222333"],
        ]),
    )
    .unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(
        docs.join("brief.txt"),
        "Aan: AYSE YILMAZ\nBetreft: lekkage Dorpsstraat 12-A\n\
         Kopie aan BERG-JANSEN, M. VAN DEN (bsn 1112.22.333).\n",
    )
    .unwrap();
    let f = findings(&[
        "scan",
        docs.to_str().unwrap(),
        "--roster",
        csv.to_str().unwrap(),
        "--roster",
        sheet.to_str().unwrap(),
        "--format",
        "jsonl",
        "--reveal",
    ]);
    for (kind, value) in [
        ("name", "AYSE YILMAZ"),
        ("address", "Dorpsstraat 12-A"),
        ("name", "BERG-JANSEN, M. VAN DEN"),
        ("bsn", "1112.22.333"),
    ] {
        let r = f
            .iter()
            .find(|r| r["kind"] == kind && r["value"] == value)
            .unwrap_or_else(|| panic!("no {kind} {value} in {f:?}"));
        // Found or confirmed by the roster (the BSN from the workbook).
        assert_eq!(r["rule"], "roster", "{r}");
        assert!(r["confidence"].as_f64().unwrap() > 0.95, "{r}");
    }
}
