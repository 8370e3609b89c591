//! End-to-end tests of `zwartlak redact` on PDFs built here with lopdf: the
//! binary writes the redacted copy, poppler (`pdftotext`, `pdftoppm`, an
//! independent reader and renderer) must find none of the third-party values,
//! the subject's text must still be there, and the rendered page must be
//! black where the removed glyphs stood.
//!
//! poppler-utils is required; set `ZWARTLAK_SKIP_POPPLER=1` to skip these
//! tests on a machine without it (they then say so on stderr).

use crate::util::{file_record, pdf_bytes, zwartlak, Folder, Pdf};
use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Dictionary, Object, Stream, StringFormat};
use zwartlak::extract::pdf::{document_pages, open};

/// Third-party values (invented; the BSN and IBAN pass their checks).
const THIRD: &[&str] = &[
    "123456782",
    "NL91ABNA0417164300",
    "piet.jansen@voorbeeld.nl",
    "0612345678",
];
const SUBJECT_TOML: &str = "bsn = \"111222333\"\niban = [\"NL20INGB0001234567\"]\n";

fn poppler() -> bool {
    let have = std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok();
    if !have {
        assert!(
            std::env::var_os("ZWARTLAK_SKIP_POPPLER").is_some(),
            "pdftotext/pdftoppm (poppler-utils) are needed; ZWARTLAK_SKIP_POPPLER=1 skips"
        );
        eprintln!("poppler-utils missing: skipped");
    }
    have
}

fn helvetica() -> Dictionary {
    dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    }
}

/// A two-page letter: WinAnsi Helvetica body with values split over TJ
/// elements, a Form XObject footer, and a Type0 Identity-H line on page 2.
fn letter() -> Vec<u8> {
    let mut pdf = Pdf::new();
    let footer = pdf.doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 500.into(), 30.into()],
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => helvetica() } },
        },
        b"BT /F1 9 Tf 0 10 Td (Contact partner: piet.jansen@voorbeeld.nl) Tj ET".to_vec(),
    ));
    let page1 = b"BT /F1 12 Tf 72 760 Td (Woonstichting Voorbeeld) Tj ET\n\
        BT /F1 12 Tf 72 700 Td (Huurder BSN: 111222333, rekening NL20INGB0001234567) Tj ET\n\
        BT /F1 12 Tf 72 670 Td [(Partner BSN: 1234) -20 (56782 staat genoteerd) ] TJ ET\n\
        BT /F1 12 Tf 72 640 Td (Borg IBAN NL91 ABNA 0417 1643 00 bij de bank) Tj ET\n\
        BT /F1 12 Tf 72 610 Td (Telefoon buurman 06-12345678 voor sleutels) Tj ET\n\
        q 1 0 0 1 72 60 cm /Fm0 Do Q";
    pdf.page(
        page1,
        dictionary! {
            "Font" => dictionary! { "F1" => helvetica() },
            "XObject" => dictionary! { "Fm0" => footer },
        },
    );
    // Page 2: Type0 / Identity-H with a ToUnicode CMap (code = Unicode).
    let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
/CMapName /T def /CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
1 beginbfrange <0020> <00FF> <0020> endbfrange endcmap CMapName currentdict /CMap defineresource pop end end\n";
    let tu = pdf.stream(cmap);
    let cid = pdf.doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "Helvetica",
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("Identity"), "Supplement" => 0,
        },
        "DW" => 556,
    });
    let t0 = pdf.doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "Helvetica",
        "Encoding" => "Identity-H", "DescendantFonts" => vec![cid.into()], "ToUnicode" => tu,
    });
    let two = |s: &str| {
        Object::String(
            s.chars().flat_map(|c| (c as u16).to_be_bytes()).collect(),
            StringFormat::Hexadecimal,
        )
    };
    let ops = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F2".into(), 12.into()]),
        Operation::new("Td", vec![72.into(), 700.into()]),
        Operation::new(
            "TJ",
            vec![Object::Array(vec![
                two("Kind BSN 12345"),
                Object::Integer(-10),
                two("6782 eind"),
            ])],
        ),
        Operation::new("ET", vec![]),
    ];
    pdf.page(
        Content { operations: ops }.encode().unwrap(),
        dictionary! { "Font" => dictionary! { "F2" => t0 } },
    );
    let info = pdf.doc.add_object(dictionary! {
        "Author" => Object::string_literal("piet.jansen@voorbeeld.nl"),
        "Title" => Object::string_literal("Brief"),
    });
    let mut doc = pdf.finish(dictionary! {});
    doc.trailer.set("Info", info);
    pdf_bytes(doc)
}

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric() || "@.".contains(*c))
        .collect::<String>()
        .to_lowercase()
}

/// A fresh folder with the letter in `in/` and the subject.
fn setup() -> Folder {
    Folder::new(&[("brief.pdf", letter())], SUBJECT_TOML)
}

fn redact(folder: &Folder) -> Vec<serde_json::Value> {
    folder.redact(&["--style", "label"])
}

#[test]
fn redacted_pdf_reads_clean_in_poppler_and_keeps_the_subject() {
    if !poppler() {
        return;
    }
    let folder = setup();
    let out = &folder.out;
    let records = redact(&folder);
    let file = file_record(&records, "brief.pdf");
    assert_eq!(file["status"], "scanned", "{file}");
    let pdf = out.join("brief.pdf");
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(text.status.success());
    let text = String::from_utf8_lossy(&text.stdout).to_string();
    let flat = squash(&text);
    for v in THIRD {
        assert!(!flat.contains(&squash(v)), "{v} still in pdftotext output");
    }
    assert!(!flat.contains("56782"), "{text}");
    for keep in [
        "Woonstichting Voorbeeld",
        "111222333",
        "NL20INGB0001234567",
        "staat genoteerd",
        "bij de bank",
        "voor sleutels",
        "Contact partner:",
        "eind",
    ] {
        assert!(text.contains(keep), "{keep} lost: {text}");
    }
    let info = std::process::Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("Pages:") && info.contains('2'), "{info}");
    assert!(
        !info.contains("voorbeeld.nl") && !info.contains("Author"),
        "{info}"
    );
    // The output reads back cleanly in zwartlak's own scanner as well.
    let scan = zwartlak()
        .arg("scan")
        .arg(&pdf)
        .arg("--subject")
        .arg(&folder.subject)
        .args(["--format", "jsonl"])
        .output()
        .unwrap();
    let scan = String::from_utf8(scan.stdout).unwrap();
    assert!(!scan.contains("third_party"), "{scan}");
    assert!(scan.contains("\"status\":\"scanned\""), "{scan}");
}

/// Gray level of a pixel of a binary PGM (P5) image.
struct Pgm {
    w: usize,
    h: usize,
    px: Vec<u8>,
}

fn pgm(bytes: &[u8]) -> Pgm {
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let s = i;
        while !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[s..i]).to_string());
    }
    assert_eq!(fields[0], "P5");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let px = bytes[i + 1..].to_vec();
    assert_eq!(px.len(), w * h);
    Pgm { w, h, px }
}

impl Pgm {
    fn at(&self, x: f32, y: f32) -> u8 {
        let (x, y) = (x.round() as usize, y.round() as usize);
        self.px[y.min(self.h - 1) * self.w + x.min(self.w - 1)]
    }
}

#[test]
fn boxes_are_black_where_the_glyphs_stood() {
    if !poppler() {
        return;
    }
    let folder = setup();
    let out = &folder.out;
    redact(&folder);
    // Where "123456782" stood on page 1, from the input's glyph model.
    let doc = open(&letter()).unwrap();
    let pages = document_pages(&doc);
    let p = &pages[0];
    let at = p.text.text.find("123456782").unwrap();
    let ids = p.text.glyphs_in(at, at + 9);
    let g: Vec<_> = ids.iter().map(|&i| &p.glyphs.glyphs[i as usize]).collect();
    let (x0, x1) = (g[0].bbox[0], g.last().unwrap().bbox[2]);
    let (y0, y1) = (g[0].bbox[1], g[0].bbox[3]);
    let prefix = out.join("page");
    let st = std::process::Command::new("pdftoppm")
        .args(["-r", "50", "-gray", "-f", "1", "-l", "1", "-singlefile"])
        .arg(out.join("brief.pdf"))
        .arg(&prefix)
        .status()
        .unwrap();
    assert!(st.success());
    let img = pgm(&std::fs::read(out.join("page.pgm")).unwrap());
    let s = 50.0 / 72.0;
    let (py0, py1) = ((842.0 - y1) * s, (842.0 - y0) * s);
    // Every pixel well inside the box is black.
    let mut x = x0 * s + 1.5;
    while x < x1 * s - 1.5 {
        let mut y = py0 + 1.5;
        while y < py1 - 1.5 {
            assert!(img.at(x, y) < 40, "pixel {x},{y} is {}", img.at(x, y));
            y += 1.0;
        }
        x += 1.0;
    }
    // Right of the box the text goes on: not a solid black run; and the
    // empty margin is white.
    assert!(img.at(20.0, 200.0) > 240);
    let row = (py0 + py1) / 2.0;
    let after: Vec<u8> = (0..60)
        .map(|d| img.at(x1 * s + 6.0 + d as f32, row))
        .collect();
    assert!(after.iter().any(|&v| v > 200), "{after:?}");
}

#[test]
fn encrypted_or_broken_pdfs_are_not_written() {
    let folder = Folder::new(
        &[("kapot.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog".to_vec())],
        SUBJECT_TOML,
    );
    let out = &folder.out;
    let records = redact(&folder);
    let file = file_record(&records, "kapot.pdf");
    assert_eq!(file["status"], "error", "{file}");
    assert!(!out.join("kapot.pdf").exists());
}
