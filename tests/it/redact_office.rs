//! End to end: `zwartlak redact` on DOCX and XLSX packages written by the
//! test (zip writer + literal XML). Every output is read back raw (every part
//! of the package), with `zwartlak scan`, and with python-docx / openpyxl
//! when the evaluation venv is there (the test says so when it skips that).

use crate::util::{
    self, assert_rescans_clean, file_record, zip_entries, zip_part, zip_with, Folder,
};
use serde_json::Value;
use std::path::{Path, PathBuf};
use zip::CompressionMethod;

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
const SUBJECT: &str = "bsn = \"111222333\"\nphone = [\"06-87654321\"]\n";
/// Third-party values planted below (invented), and the digits of the numbers.
const THIRD: &[&str] = &[
    "12345678",
    "123456782",
    "NL91ABNA0417164300",
    "piet.jansen@voorbeeld.nl",
];
/// Editors' names in metadata (always removed).
const EDITORS: &[&str] = &[
    "Mila de Boer",
    "MdB",
    "Pieter Post",
    "Karel Appel",
    "K. Appel",
    "Hanna Berg",
    "Els Bakker",
];

const D: CompressionMethod = CompressionMethod::Deflated;
const S: CompressionMethod = CompressionMethod::Stored;

fn docx() -> Vec<u8> {
    let ct = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Default Extension="jpeg" ContentType="image/jpeg"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/><Override PartName="/docProps/thumbnail.jpeg" ContentType="image/jpeg"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail" Target="docProps/thumbnail.jpeg"/></Relationships>"#;
    let doc_rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="mailto:piet.jansen@voorbeeld.nl" TargetMode="External"/><Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/></Relationships>"#;
    let body = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {W}><w:body><w:p><w:r><w:t xml:space="preserve">Bel de buurman op 06-</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>1234</w:t></w:r><w:r><w:t xml:space="preserve">5678 vandaag nog</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">Huurder zelf: 06-87654321, BSN 111222333.</w:t></w:r></w:p><w:p><w:del w:id="1" w:author="Pieter Post" w:date="2024-01-01T00:00:00Z"><w:r><w:delText xml:space="preserve">oud nummer 0612345678 </w:delText></w:r></w:del><w:ins w:id="2" w:author="Pieter Post"><w:r><w:t>nieuw nummer volgt</w:t></w:r></w:ins></w:p><w:p><w:commentRangeStart w:id="0"/><w:hyperlink r:id="rId4"><w:r><w:t>Mail de partner</w:t></w:r></w:hyperlink><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p><w:p><w:r><w:t>Partner BSN: 1234</w:t></w:r><w:r><w:t>56782</w:t></w:r></w:p><w:sectPr><w:headerReference w:type="default" r:id="rId1"/><w:footerReference w:type="default" r:id="rId2"/></w:sectPr></w:body></w:document>"#
    );
    let header = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr {W}><w:p><w:r><w:t>Rekening NL91 ABNA 0417 164300</w:t></w:r></w:p></w:hdr>"#
    );
    let footer = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr {W}><w:p><w:r><w:t>Contact piet.jansen@voorbeeld.nl</w:t></w:r></w:p></w:ftr>"#
    );
    let comments = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:comments {W}><w:comment w:id="0" w:author="Mila de Boer" w:date="2024-01-02T00:00:00Z" w:initials="MdB"><w:p><w:r><w:t>Bel terug op 06-12345678</w:t></w:r></w:p></w:comment></w:comments>"#
    );
    let core = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>Karel Appel</dc:creator><cp:lastModifiedBy>K. Appel</cp:lastModifiedBy><dc:title>Melding over IBAN NL91ABNA0417164300</dc:title><dcterms:created xsi:type="dcterms:W3CDTF">2024-01-01T00:00:00Z</dcterms:created></cp:coreProperties>"#;
    let app = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Company>Woonstichting</Company><Manager>Hanna Berg</Manager><Pages>1</Pages></Properties>"#;
    zip_with(&[
        ("[Content_Types].xml", ct.as_bytes(), D),
        ("_rels/.rels", rels.as_bytes(), D),
        ("word/document.xml", body.as_bytes(), D),
        ("word/_rels/document.xml.rels", doc_rels.as_bytes(), D),
        ("word/header1.xml", header.as_bytes(), D),
        ("word/footer1.xml", footer.as_bytes(), D),
        ("word/comments.xml", comments.as_bytes(), D),
        ("word/media/image1.png", b"\x89PNG\r\n\x1a\nnot really", S),
        ("docProps/core.xml", core.as_bytes(), D),
        ("docProps/app.xml", app.as_bytes(), D),
        (
            "docProps/thumbnail.jpeg",
            b"\xff\xd8\xff\xe0 a rendered page",
            S,
        ),
    ])
}

fn xlsx() -> Vec<u8> {
    const NS: &str = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#;
    let ct = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/comments1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;
    let wb = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook {NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Huurders" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    let wb_rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
    let sheet_rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="../comments1.xml"/></Relationships>"#;
    let styles = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet {NS}><fonts count="2"><font/><font><b/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="0" fontId="1" applyFont="1"/></cellXfs></styleSheet>"#
    );
    // 0..2 headers, 3: one rich-text string used by B2 and B3, 4: kept text.
    let sst = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst {NS} count="6" uniqueCount="5"><si><t>BSN</t></si><si><t>Telefoon</t></si><si><t>Opmerking</t></si><si><r><t xml:space="preserve">Bel </t></r><r><rPr><b/></rPr><t>06-1234</t></r><r><t>5678 na vijven</t></r></si><si><t>BSN partner</t></si></sst>"#
    );
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet {NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData><row r="1"><c r="A1" s="1" t="s"><v>0</v></c><c r="B1" s="1" t="s"><v>1</v></c><c r="C1" s="1" t="s"><v>2</v></c><c r="D1" s="1" t="s"><v>4</v></c></row><row r="2"><c r="A2" s="1"><v>123456782</v></c><c r="B2" t="s"><v>3</v></c><c r="C2" t="inlineStr"><is><t>mail piet.jansen@voorbeeld.nl graag</t></is></c><c r="D2"><f>A2</f><v>123456782</v></c></row><row r="3"><c r="A3"><v>111222333</v></c><c r="B3" t="s"><v>3</v></c><c r="C3" t="inlineStr"><is><t>niets bijzonders</t></is></c></row></sheetData></worksheet>"#
    );
    let comments = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<comments {NS}><authors><author>Els Bakker</author></authors><commentList><comment ref="C3" authorId="0"><text><r><t xml:space="preserve">Els Bakker: bel 06-12345678</t></r></text></comment></commentList></comments>"#
    );
    let core = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Karel Appel</dc:creator><cp:lastModifiedBy>K. Appel</cp:lastModifiedBy></cp:coreProperties>"#;
    zip_with(&[
        ("[Content_Types].xml", ct.as_bytes(), D),
        ("_rels/.rels", rels.as_bytes(), D),
        ("xl/workbook.xml", wb.as_bytes(), D),
        ("xl/_rels/workbook.xml.rels", wb_rels.as_bytes(), D),
        ("xl/styles.xml", styles.as_bytes(), S),
        ("xl/sharedStrings.xml", sst.as_bytes(), D),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes(), D),
        (
            "xl/worksheets/_rels/sheet1.xml.rels",
            sheet_rels.as_bytes(),
            D,
        ),
        ("xl/comments1.xml", comments.as_bytes(), D),
        ("docProps/core.xml", core.as_bytes(), D),
    ])
}

/// Redact `files` (written into a fresh folder) with the subject; the output
/// folder and the JSON records.
fn redact(files: &[(&str, Vec<u8>)], extra: &[&str]) -> (tempfile::TempDir, PathBuf, Vec<Value>) {
    let folder = Folder::new(files, SUBJECT);
    let records = folder.redact(extra);
    (folder.dir, folder.out, records)
}

/// No third-party value or editor name in any part of the package.
fn assert_clean(data: &[u8]) {
    for (name, _, d) in zip_entries(data) {
        let text = String::from_utf8_lossy(&d);
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        for v in THIRD {
            assert!(!text.contains(v), "{v} left in {name}: {text}");
        }
        for v in EDITORS {
            assert!(!text.contains(v), "{v} left in {name}: {text}");
        }
        assert!(
            !digits.contains("0417164300"),
            "account number left in {name}"
        );
    }
}

/// Text of an office file read with python-docx / openpyxl, or `None`
/// (with a note) when the evaluation venv is not installed.
fn python_view(path: &Path) -> Option<Value> {
    const SCRIPT: &str = r#"
import json, sys
p = sys.argv[1]
out = {}
if p.endswith(".docx"):
    import docx
    d = docx.Document(p)
    s = d.sections[0]
    out["body"] = [x.text for x in d.paragraphs]
    out["header"] = [x.text for x in s.header.paragraphs]
    out["footer"] = [x.text for x in s.footer.paragraphs]
    cp = d.core_properties
    out["author"], out["last_modified_by"], out["title"] = cp.author, cp.last_modified_by, cp.title
    out["comments"] = [[c.author, c.initials, c.text] for c in d.comments] if hasattr(d, "comments") else None
else:
    import openpyxl
    wb = openpyxl.load_workbook(p)
    ws = wb.worksheets[0]
    out["sheet"] = ws.title
    out["cells"] = {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}
    out["comments"] = {c.coordinate: [c.comment.author, c.comment.text] for row in ws.iter_rows() for c in row if c.comment}
    out["creator"] = wb.properties.creator
print(json.dumps(out))
"#;
    util::python_view("python-docx/openpyxl", SCRIPT, path)
}

#[test]
fn docx_runs_parts_tracked_changes_and_metadata() {
    let input = docx();
    let (dir, out, records) = redact(&[("brief.docx", input.clone())], &[]);
    let file = file_record(&records, "brief.docx");
    assert_eq!(file["status"], "scanned", "{file}");
    let path = out.join("brief.docx");
    let data = std::fs::read(&path).unwrap();
    assert_clean(&data);

    // Entry order kept, thumbnail dropped, untouched entries raw (stored stays stored).
    let before = zip_entries(&input);
    let after = zip_entries(&data);
    let names = |e: &[(String, CompressionMethod, Vec<u8>)]| -> Vec<String> {
        e.iter().map(|(n, _, _)| n.clone()).collect()
    };
    let mut expected = names(&before);
    expected.retain(|n| n != "docProps/thumbnail.jpeg");
    assert_eq!(names(&after), expected);
    let png = after
        .iter()
        .find(|(n, _, _)| n == "word/media/image1.png")
        .unwrap();
    assert_eq!(png.1, S);
    assert_eq!(png.2, b"\x89PNG\r\n\x1a\nnot really");
    assert!(!zip_part(&data, "_rels/.rels").contains("thumbnail"));
    assert!(!zip_part(&data, "[Content_Types].xml").contains("thumbnail"));

    // The value split over three runs: replacement in the first, formatting kept.
    let doc = zip_part(&data, "word/document.xml");
    assert!(doc
        .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document"));
    assert!(
        doc.contains(r#"<w:t xml:space="preserve">Bel de buurman op [telefoon]</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t></w:t></w:r><w:r><w:t xml:space="preserve"> vandaag nog</w:t>"#),
        "{doc}"
    );
    // The subject's own values stay.
    assert!(doc.contains("Huurder zelf: 06-87654321, BSN 111222333."));
    assert!(doc.contains("Partner BSN: [BSN]"), "{doc}");
    // Tracked deletion emptied, revision authors replaced, inserted text kept.
    assert!(
        doc.contains(r#"<w:delText xml:space="preserve"></w:delText>"#),
        "{doc}"
    );
    assert!(doc.contains(r#"w:author="[naam]""#) && doc.contains("nieuw nummer volgt"));
    assert!(zip_part(&data, "word/_rels/document.xml.rels").contains(r#"Target="mailto:[e-mail]""#));
    let core = zip_part(&data, "docProps/core.xml");
    assert!(
        core.contains("<dc:title>Melding over IBAN [IBAN]</dc:title>"),
        "{core}"
    );
    assert!(core.contains("2024-01-01T00:00:00Z"), "timestamps are kept");
    assert!(zip_part(&data, "docProps/app.xml").contains("<Company>Woonstichting</Company>"));

    // The audit trail says why the editors' names went.
    assert!(records
        .iter()
        .any(|r| r["record"] == "summary" && r["written"] == 1));
    assert_rescans_clean(dir.path(), &path);

    if let Some(v) = python_view(&path) {
        assert_eq!(v["body"][0], "Bel de buurman op [telefoon] vandaag nog");
        assert_eq!(v["header"][0], "Rekening [IBAN]");
        assert_eq!(v["footer"][0], "Contact [e-mail]");
        assert_eq!(v["author"], "[naam]");
        assert_eq!(v["last_modified_by"], "[naam]");
        if v["comments"].is_array() {
            assert_eq!(v["comments"][0][0], "[naam]");
            assert_eq!(v["comments"][0][2], "Bel terug op [telefoon]");
        }
    }
}

#[test]
fn docx_box_style_boxes_every_piece() {
    let (_dir, out, _) = redact(&[("brief.docx", docx())], &["--style", "box"]);
    let data = std::fs::read(out.join("brief.docx")).unwrap();
    assert_clean(&data);
    let doc = zip_part(&data, "word/document.xml");
    assert!(
        doc.contains(
            r#"Bel de buurman op ███</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>████</w:t>"#
        ),
        "{doc}"
    );
}

#[test]
fn xlsx_shared_inline_numeric_formula_and_comments() {
    let input = xlsx();
    let (dir, out, records) = redact(&[("lijst.xlsx", input.clone())], &[]);
    let file = file_record(&records, "lijst.xlsx");
    assert_eq!(file["status"], "scanned", "{file}");
    let path = out.join("lijst.xlsx");
    let data = std::fs::read(&path).unwrap();
    assert_clean(&data);
    let names = |d: &[u8]| {
        zip_entries(d)
            .into_iter()
            .map(|(n, m, _)| (n, m))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&data),
        names(&input),
        "entry order and compression kept"
    );
    assert_eq!(
        zip_part(&data, "xl/styles.xml"),
        zip_part(&input, "xl/styles.xml")
    );

    // One shared string used by two cells: redacted once, runs kept.
    let sst = zip_part(&data, "xl/sharedStrings.xml");
    assert!(
        sst.contains(r#"<r><t xml:space="preserve">Bel </t></r><r><rPr><b/></rPr><t>[telefoon]</t></r><r><t> na vijven</t></r>"#),
        "{sst}"
    );
    let sheet = zip_part(&data, "xl/worksheets/sheet1.xml");
    // The BSN stored as a number is now a string cell, style kept; the
    // subject's BSN stays a number; a formula showing the BSN loses it.
    assert!(
        sheet.contains(
            r#"<c r="A2" s="1" t="inlineStr"><is><t xml:space="preserve">[BSN]</t></is></c>"#
        ),
        "{sheet}"
    );
    assert!(sheet.contains(r#"<c r="A3"><v>111222333</v></c>"#));
    assert!(!sheet.contains("<f>"), "{sheet}");
    assert!(sheet.contains("mail [e-mail] graag"));
    assert!(sheet.contains(r#"<c r="B3" t="s"><v>3</v></c>"#));
    assert_rescans_clean(dir.path(), &path);

    if let Some(v) = python_view(&path) {
        let cells = &v["cells"];
        assert_eq!(cells["A2"], "[BSN]");
        assert_eq!(cells["A3"], 111222333);
        assert_eq!(cells["B2"], "Bel [telefoon] na vijven");
        assert_eq!(cells["B3"], "Bel [telefoon] na vijven");
        assert_eq!(cells["C2"], "mail [e-mail] graag");
        assert_eq!(cells["C3"], "niets bijzonders");
        assert_eq!(cells["A1"], "BSN");
        assert_eq!(v["sheet"], "Huurders");
        assert_eq!(v["comments"]["C3"][0], "[naam]");
        assert!(v["comments"]["C3"][1]
            .as_str()
            .unwrap()
            .contains("[telefoon]"));
        assert_eq!(v["creator"], "[naam]");
    }
}

#[test]
fn office_files_that_cannot_be_redacted_are_withheld() {
    // An encrypted package (OLE with an EncryptedPackage stream), a docx
    // whose body does not parse, and an xlsx with a pivot cache.
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend(vec![0u8; 100]);
    ole.extend(
        "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    let broken = zip_with(&[(
        "word/document.xml",
        format!("<w:document {W}><w:body><w:p><w:r><w:t>BSN 123456782</w:t></w:r><w:r w:x=\"1")
            .as_bytes(),
        D,
    )]);
    let mut pivot = zip_entries(&xlsx())
        .into_iter()
        .map(|(n, m, d)| (n, d, m))
        .collect::<Vec<_>>();
    pivot.push((
        "xl/pivotCache/pivotCacheRecords1.xml".into(),
        br#"<pivotCacheRecords><r><s v="Jan"/></r></pivotCacheRecords>"#.to_vec(),
        D,
    ));
    let pivot = zip_with(
        &pivot
            .iter()
            .map(|(n, d, m)| (n.as_str(), d.as_slice(), *m))
            .collect::<Vec<_>>(),
    );
    let (_dir, out, records) = redact(
        &[
            ("geheim.xlsx", ole.clone()),
            ("geheim.docx", ole),
            ("kapot.docx", broken),
            ("draaitabel.xlsx", pivot),
        ],
        &[],
    );
    for name in [
        "geheim.xlsx",
        "geheim.docx",
        "kapot.docx",
        "draaitabel.xlsx",
    ] {
        let r = file_record(&records, name);
        assert_eq!(r["status"], "needs_review", "{r}");
        assert!(!out.join(name).exists(), "{name} written");
    }
}
