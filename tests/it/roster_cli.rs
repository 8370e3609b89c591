//! End to end: `zwartlak scan --roster` finds a listed person's name in a
//! spelling the roster does not contain and their other values, with high
//! confidence, from CSV and XLSX rosters together; a roster file without
//! known columns is a usage error. Findings carry the roster row's id in every
//! report format, through the cache and `merge`.

use crate::util::{records, zip_of_text, zwartlak};
use std::ffi::OsStr;

fn findings(args: &[&str]) -> Vec<serde_json::Value> {
    records(run_ok(args))
        .into_iter()
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
    zwartlak()
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
    let files: Vec<(&str, &str)> = files.iter().map(|(n, d)| (*n, d.as_str())).collect();
    zip_of_text(&files)
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

/// A roster with a `huurdernummer` id column, one without id column, and a
/// letter that mentions people of both.
fn roster_dossier(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let with_ids = dir.join("huurders.csv");
    std::fs::write(
        &with_ids,
        "Huurdernummer;Naam;IBAN;E-mail;Adres\n\
         H-2001;Kees Jurriaan van Oorschot;NL91ABNA0417164300;kees@voorbeeld.nl;Lindelaan 4\n\
         H-2002;Ayşe Yılmaz;;;Dorpsstraat 12a\n",
    )
    .unwrap();
    let without = dir.join("extra.csv");
    std::fs::write(&without, "naam;telefoon\nSanne Wolters;\n").unwrap();
    let docs = dir.join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(
        docs.join("brief.txt"),
        "Geachte heer OORSCHOT, K.J. VAN,\n\
         Uw rekening NL91 ABNA 0417 1643 00 en kees@voorbeeld.nl staan bij Lindelaan 4.\n\
         Mevrouw A. Yilmaz, Dorpsstraat 12-A, belde.\n\
         Mevrouw S. Wolters ook, met BSN 123456782.\n",
    )
    .unwrap();
    (with_ids, without)
}

fn scan_args<'a>(dir: &'a std::path::Path, rosters: &'a [std::path::PathBuf]) -> Vec<String> {
    let mut a = vec!["scan".to_string(), dir.join("docs").display().to_string()];
    for r in rosters {
        a.push("--roster".into());
        a.push(r.display().to_string());
    }
    a
}

/// Standard output and error of a run that succeeds.
fn run_both<S: AsRef<OsStr>>(args: &[S]) -> (String, String) {
    let out = zwartlak()
        .args(args)
        .assert()
        .success()
        .get_output()
        .clone();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn run_ok<S: AsRef<OsStr>>(args: &[S]) -> String {
    run_both(args).0
}

#[test]
fn findings_carry_the_roster_rows_id() {
    let dir = tempfile::tempdir().unwrap();
    let (with_ids, without) = roster_dossier(dir.path());
    let base = scan_args(dir.path(), &[with_ids, without]);
    let mut revealed = base.clone();
    revealed.extend(["--format", "jsonl", "--reveal"].map(String::from));
    let args: Vec<&str> = revealed.iter().map(String::as_str).collect();
    let f = findings(&args);
    let id = |kind: &str, value: &str| {
        let r = f
            .iter()
            .find(|r| r["kind"] == kind && r["value"] == value)
            .unwrap_or_else(|| panic!("no {kind} {value} in {f:?}"));
        r["roster"].as_str().map(str::to_string)
    };
    for (kind, value, want) in [
        ("name", "OORSCHOT, K.J. VAN", "H-2001"),
        ("iban", "NL91 ABNA 0417 1643 00", "H-2001"),
        ("email", "kees@voorbeeld.nl", "H-2001"),
        ("address", "Lindelaan 4", "H-2001"),
        ("name", "A. Yilmaz", "H-2002"),
        ("address", "Dorpsstraat 12-A", "H-2002"),
        // No id column: file and data row.
        ("name", "S. Wolters", "extra.csv:1"),
    ] {
        assert_eq!(id(kind, value).as_deref(), Some(want), "{kind} {value}");
    }
    // A value nobody in the roster has: no roster key at all.
    assert_eq!(id("bsn", "123456782"), None);

    // Masked output keeps the ids (they are not personal data).
    let mut masked = base.clone();
    masked.extend(["--format", "jsonl"].map(String::from));
    let args: Vec<&str> = masked.iter().map(String::as_str).collect();
    let m = findings(&args);
    let iban = m.iter().find(|r| r["kind"] == "iban").unwrap();
    assert_ne!(iban["value"], "NL91 ABNA 0417 1643 00");
    assert_eq!(iban["roster"], "H-2001");
    let ids: Vec<&str> = m.iter().filter_map(|r| r["roster"].as_str()).collect();
    assert_eq!(ids.len(), 7, "{m:?}");
}

#[test]
fn every_report_format_shows_the_roster_id() {
    let dir = tempfile::tempdir().unwrap();
    let (with_ids, _) = roster_dossier(dir.path());
    let base = scan_args(dir.path(), &[with_ids]);
    let with = |format: &str| {
        let mut a = base.clone();
        a.extend(["--format".to_string(), format.to_string()]);
        run_ok(&a)
    };
    let text = with("text");
    assert!(
        text.lines()
            .any(|l| l.contains("iban") && l.ends_with("roster H-2001")),
        "{text}"
    );
    let csv = with("csv");
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().ends_with(",reason,roster"), "{csv}");
    assert!(
        lines.any(|l| l.starts_with("finding,") && l.contains(",iban,") && l.ends_with(",H-2001")),
        "{csv}"
    );
    let sarif: serde_json::Value = serde_json::from_str(&with("sarif")).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let iban = results.iter().find(|r| r["ruleId"] == "iban").unwrap();
    assert_eq!(iban["properties"]["roster"], "H-2001");
    let bsn = results.iter().find(|r| r["ruleId"] == "bsn").unwrap();
    assert!(bsn["properties"].get("roster").is_none(), "{bsn}");
    let html = with("html");
    assert!(html.contains("<th>roster</th>") && html.contains("<td>H-2002</td>"));
}

#[test]
fn cache_and_merge_keep_the_roster_id() {
    let dir = tempfile::tempdir().unwrap();
    let (with_ids, _) = roster_dossier(dir.path());
    let cache = dir.path().join("scan.cache");
    let mut args = scan_args(dir.path(), std::slice::from_ref(&with_ids));
    args.extend(["--format", "jsonl", "--cache"].map(String::from));
    args.push(cache.display().to_string());
    let without_seconds = |s: &str| {
        s.lines()
            .filter(|l| !l.contains("\"summary\""))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let first = run_ok(&args);
    assert!(first.contains(r#""roster":"H-2001""#), "{first}");
    let (second, log) = run_both(&args);
    assert!(log.contains("cache: 1 unchanged"), "{log}");
    assert_eq!(without_seconds(&second), without_seconds(&first));
    // A changed roster is a different cache key: the new id is reported.
    let text = std::fs::read_to_string(&with_ids).unwrap();
    std::fs::write(&with_ids, text.replace("H-2001", "H-3001")).unwrap();
    let (third, log) = run_both(&args);
    assert!(log.contains("1 scanned"), "{log}");
    assert!(
        third.contains(r#""roster":"H-3001""#) && !third.contains("H-2001"),
        "{third}"
    );
    // `merge` reads the ids back.
    let shard = dir.path().join("s0.jsonl");
    std::fs::write(&shard, &third).unwrap();
    let merged = run_ok(&[
        "merge".into(),
        shard.display().to_string(),
        "--format".into(),
        "jsonl".into(),
    ]);
    assert_eq!(without_seconds(&merged), without_seconds(&third));
}
