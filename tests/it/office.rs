//! End to end: the binary scans DOCX and XLSX files written by the test and
//! reports findings at their part/paragraph and sheet/cell.

use crate::util::{of, records, zip_of_text, zwartlak};
use serde_json::Value;

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

fn docx() -> Vec<u8> {
    let cell = |t: &str| format!("<w:tc><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>");
    let body = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body><w:p><w:r><w:t xml:space="preserve">Bel mij op 06-</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>1234</w:t></w:r><w:r><w:t>5678</w:t></w:r></w:p><w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl><w:p><w:r><w:t>Einde</w:t></w:r></w:p></w:body></w:document>"#,
        cell("Naam"),
        cell("BSN"),
        cell("Jansen"),
        cell("111222333"),
    );
    let rels = r#"<Relationships xmlns="r"><Relationship Id="rId9" Type="h" Target="mailto:huurder@example.nl" TargetMode="External"/></Relationships>"#;
    let comments = format!(
        r#"<w:comments {W}><w:comment w:id="0" w:author="Ans"><w:p><w:r><w:t>IBAN NL91ABNA0417164300</w:t></w:r></w:p></w:comment></w:comments>"#
    );
    zip_of_text(&[
        ("word/document.xml", &body),
        ("word/_rels/document.xml.rels", rels),
        ("word/comments.xml", &comments),
    ])
}

fn xlsx() -> Vec<u8> {
    let ct = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let wb = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Huurders" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let wb_rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    let sheet = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Klantnummer</t></is></c><c r="B1" t="inlineStr"><is><t>BSN</t></is></c></row><row r="2"><c r="A2"><v>123456782</v></c><c r="B2"><v>111222333</v></c></row></sheetData></worksheet>"#;
    zip_of_text(&[
        ("[Content_Types].xml", ct),
        ("_rels/.rels", rels),
        ("xl/workbook.xml", wb),
        ("xl/_rels/workbook.xml.rels", wb_rels),
        ("xl/worksheets/sheet1.xml", sheet),
    ])
}

#[test]
fn scans_docx_and_xlsx_with_locations() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("brief.docx"), docx()).unwrap();
    std::fs::write(dir.path().join("lijst.xlsx"), xlsx()).unwrap();
    // An encrypted workbook is an OLE file with an EncryptedPackage stream.
    let mut locked = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    locked.extend([0u8; 504]);
    locked.extend(
        "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    std::fs::write(dir.path().join("locked.xlsx"), locked).unwrap();
    std::fs::write(dir.path().join("kapot.docx"), b"PK\x03\x04 not a zip").unwrap();

    let out = zwartlak()
        .args(["scan", "--format", "jsonl", "--reveal"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs = records(&out.stdout);
    let files = of(&recs, "file");
    assert_eq!(files.len(), 4, "{files:?}");
    let status = |p: &str| {
        files
            .iter()
            .find(|f| f["path"] == p)
            .map(|f| f["status"].as_str().unwrap().to_string())
    };
    assert_eq!(status("brief.docx").as_deref(), Some("scanned"));
    assert_eq!(status("lijst.xlsx").as_deref(), Some("scanned"));
    assert_eq!(status("locked.xlsx").as_deref(), Some("needs_review"));
    assert_eq!(status("kapot.docx").as_deref(), Some("error"));

    let find = |path: &str, kind: &str| -> Vec<&Value> {
        recs.iter()
            .filter(|r| r["record"] == "finding" && r["path"] == path && r["kind"] == kind)
            .collect()
    };
    let phone = find("brief.docx", "phone");
    assert_eq!(phone.len(), 1);
    assert_eq!(phone[0]["value"], "06-12345678");
    assert_eq!(phone[0]["location"]["part"], "word/document.xml");
    assert_eq!(phone[0]["location"]["paragraph"], 0);
    // The BSN in a table cell has its context from the header cell.
    let bsn = find("brief.docx", "bsn");
    assert_eq!(bsn.len(), 1);
    assert_eq!(bsn[0]["value"], "111222333");
    let email = find("brief.docx", "email");
    assert_eq!(email[0]["value"], "huurder@example.nl");
    assert_eq!(email[0]["location"]["part"], "word/_rels/document.xml.rels");
    assert_eq!(
        find("brief.docx", "iban")[0]["location"]["part"],
        "word/comments.xml"
    );

    // Both numbers pass the 11-check; only the BSN column is reported.
    let bsn = find("lijst.xlsx", "bsn");
    assert_eq!(bsn.len(), 1, "{bsn:?}");
    assert_eq!(bsn[0]["value"], "111222333");
    assert_eq!(bsn[0]["location"]["sheet"], "Huurders");
    assert_eq!(bsn[0]["location"]["cell"], "B2");
}
