//! Unit tests of the PDF redactor on documents built here with lopdf: one
//! feature per document. Values are invented (BSN and IBAN pass their checks).

use super::content::rewrite_op;
use super::scrub::replace_values;
use super::verify::strings_in;
use super::*;
use crate::extract::pdf::{document_pages, open};
use crate::redact::tests::redaction;
use crate::redact::Style;
use crate::testutil::Pdf;
use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Dictionary, Document, Object, Stream, StringFormat};

const THIRD_BSN: &str = "123456782";
const SUBJECT_BSN: &str = "111222333";
const SUBJECT: &str = "bsn = \"111222333\"";

fn helvetica() -> Dictionary {
    dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    }
}

/// A Type0 font with Identity-H 2-byte codes; code = Unicode (ToUnicode says so).
fn type0(doc: &mut Document) -> Dictionary {
    let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
/CMapName /Test-UCS def /CMapType 2 def\n\
1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
1 beginbfrange <0020> <00FF> <0020> endbfrange\n\
endcmap CMapName currentdict /CMap defineresource pop end end\n";
    let tu = doc.add_object(Stream::new(dictionary! {}, cmap.to_vec()));
    let cid = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "CIDFontType2",
        "BaseFont" => "TestSans",
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("Identity"),
            "Supplement" => 0,
        },
        "DW" => 600,
    });
    dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => "TestSans",
        "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Reference(cid)],
        "ToUnicode" => tu,
    }
}

/// 2-byte codes of `s` (code = Unicode).
fn cid_string(s: &str) -> Object {
    Object::String(
        s.chars().flat_map(|c| (c as u16).to_be_bytes()).collect(),
        StringFormat::Hexadecimal,
    )
}

fn fonts(f1: Dictionary) -> Dictionary {
    dictionary! { "Font" => dictionary! { "F1" => f1 } }
}

/// Redact with the subject of [`SUBJECT`]; the output must be written.
fn redact_ok(bytes: &[u8]) -> (Vec<u8>, Vec<crate::redact::AuditRow>) {
    let red = redaction(Style::Label, Some(SUBJECT));
    let (cx, out) = red.redact_file(bytes, "t.pdf");
    match out {
        Ok(b) => (b, cx.audit),
        Err(e) => panic!("not written: {e}"),
    }
}

fn page_texts(bytes: &[u8]) -> Vec<String> {
    let doc = open(bytes).expect("output opens");
    document_pages(&doc)
        .into_iter()
        .map(|p| p.text.text)
        .collect()
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Every string and decoded stream of every object, as bytes.
fn all_bytes(bytes: &[u8]) -> Vec<u8> {
    let doc = open(bytes).unwrap();
    let mut out = Vec::new();
    for o in doc.objects.values() {
        let mut strings = Vec::new();
        strings_in(o, &mut strings);
        for s in strings {
            out.extend_from_slice(s.as_str().unwrap());
            out.push(b'\n');
        }
        if let Object::Stream(s) = o {
            out.extend(s.get_plain_content().unwrap_or_default());
        }
    }
    out
}

fn contains(hay: &[u8], needle: &str) -> bool {
    memchr::memmem::find(hay, needle.as_bytes()).is_some()
}

/// Origin of the `n`-th glyph whose text is `c` on page 1.
fn origin_of(bytes: &[u8], c: &str, n: usize) -> [f32; 2] {
    let doc = open(bytes).unwrap();
    let pages = document_pages(&doc);
    let pg = &pages[0].glyphs;
    pg.glyphs
        .iter()
        .filter(|g| pg.glyph_text(g) == c)
        .nth(n)
        .map(|g| g.origin)
        .unwrap_or_else(|| panic!("no glyph {c:?} #{n}"))
}

fn close(a: [f32; 2], b: [f32; 2]) -> bool {
    (a[0] - b[0]).abs() < 0.01 && (a[1] - b[1]).abs() < 0.01
}

#[test]
fn winansi_value_split_over_tj_elements_is_removed_and_the_line_stays() {
    let mut p = Pdf::new();
    p.page(
        b"BT /F1 12 Tf 72 700 Td [(BSN: 1234) -30 (56782 en) ( meer tekst)] TJ ET\n\
          BT /F1 12 Tf 72 680 Td (Huurder BSN: 111222333) Tj ET",
        fonts(helvetica()),
    );
    let input = p.bytes(Dictionary::new());
    let before = origin_of(&input, "m", 0);
    let (out, audit) = redact_ok(&input);
    let text = &page_texts(&out)[0];
    assert!(!digits(text).contains(THIRD_BSN), "{text}");
    assert!(!digits(text).contains("56782"), "{text}");
    assert!(
        text.contains(SUBJECT_BSN) && text.contains("en meer tekst"),
        "{text}"
    );
    // The words after the cut did not move.
    assert!(close(origin_of(&out, "m", 0), before));
    assert!(!contains(&all_bytes(&out), "56782"));
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].replacement, BOX_REPLACEMENT);
    assert!(audit[0].reason.contains("black box"));
    // A black box is painted after the wrapped page content.
    let doc = open(&out).unwrap();
    let page = *doc.get_pages().get(&1).unwrap();
    let contents = doc.get_page_contents(page);
    assert_eq!(contents.len(), 3);
    let first = doc.get_object(contents[0]).unwrap().as_stream().unwrap();
    assert_eq!(first.get_plain_content().unwrap(), b"q\n");
    let last = doc.get_object(contents[2]).unwrap().as_stream().unwrap();
    let last = String::from_utf8(last.get_plain_content().unwrap()).unwrap();
    assert!(
        last.starts_with("Q\nq 0 0 0 rg\n") && last.contains(" re\n"),
        "{last}"
    );
}

#[test]
fn type0_identity_h_codes_are_cut_in_pairs() {
    let mut p = Pdf::new();
    let f = type0(&mut p.doc);
    let ops = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), 11.into()]),
        Operation::new("Td", vec![72.into(), 700.into()]),
        Operation::new(
            "TJ",
            vec![Object::Array(vec![
                cid_string("IBAN NL91ABNA04"),
                Object::Integer(-20),
                cid_string("17164300 staat"),
            ])],
        ),
        Operation::new("ET", vec![]),
    ];
    let content = Content { operations: ops }.encode().unwrap();
    p.page(&content, fonts(f));
    let input = p.bytes(Dictionary::new());
    let before = origin_of(&input, "t", 0);
    let (out, _) = redact_ok(&input);
    let text = &page_texts(&out)[0];
    assert!(
        !text.contains("NL91") && !digits(text).contains("0417164300"),
        "{text}"
    );
    assert!(
        text.starts_with("IBAN") && text.ends_with("staat"),
        "{text}"
    );
    assert!(close(origin_of(&out, "t", 0), before));
    // The codes left are whole pairs: the text reads back without garbage.
    assert!(text.is_ascii(), "{text}");
}

#[test]
fn form_xobject_text_is_removed_and_boxed_on_the_page() {
    let mut p = Pdf::new();
    let form = p.doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 400.into(), 50.into()],
            "Resources" => fonts(helvetica()),
        },
        b"BT /F1 10 Tf 0 10 Td (Partner BSN 123456782 einde) Tj ET".to_vec(),
    ));
    p.page(
        b"BT /F1 12 Tf 72 760 Td (Kop van de brief) Tj ET q 1 0 0 1 72 600 cm /Fm0 Do Q",
        dictionary! {
            "Font" => dictionary! { "F1" => helvetica() },
            "XObject" => dictionary! { "Fm0" => form },
        },
    );
    let input = p.bytes(Dictionary::new());
    let (out, _) = redact_ok(&input);
    let text = &page_texts(&out)[0];
    assert!(!digits(text).contains(THIRD_BSN), "{text}");
    assert!(
        text.contains("Kop van de brief") && text.contains("einde"),
        "{text}"
    );
    assert!(!contains(&all_bytes(&out), THIRD_BSN));
    // The box is in page space: inside the form's placement (x ≥ 72, y ≈ 610).
    let doc = open(&out).unwrap();
    let page = *doc.get_pages().get(&1).unwrap();
    let last = *doc.get_page_contents(page).last().unwrap();
    let tail = doc.get_object(last).unwrap().as_stream().unwrap();
    let tail = String::from_utf8(tail.get_plain_content().unwrap()).unwrap();
    let rect: Vec<f32> = tail
        .lines()
        .find(|l| l.ends_with(" re"))
        .unwrap()
        .split_whitespace()
        .take(4)
        .map(|v| v.parse().unwrap())
        .collect();
    assert!(rect[0] > 72.0 && rect[0] < 200.0, "{rect:?}");
    assert!(
        rect[1] > 600.0 && rect[1] < 615.0 && rect[3] > 5.0,
        "{rect:?}"
    );
}

#[test]
fn quote_operators_become_tstar_tj() {
    let mut p = Pdf::new();
    p.page(
        b"BT /F1 12 Tf 14 TL 72 700 Td (Eerste regel) Tj (BSN 123456782 hier) ' \
          2 0.5 (Mail piet.jansen@voorbeeld.nl graag) \" (Laatste regel) ' ET",
        fonts(helvetica()),
    );
    let input = p.bytes(Dictionary::new());
    let (out, audit) = redact_ok(&input);
    let text = &page_texts(&out)[0];
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert_eq!(lines[0], "Eerste regel");
    assert!(lines[1].starts_with("BSN") && lines[1].ends_with("hier"));
    assert!(lines[2].starts_with("Mail") && lines[2].ends_with("graag"));
    assert_eq!(lines[3], "Laatste regel");
    assert!(!text.contains("voorbeeld") && !digits(text).contains(THIRD_BSN));
    assert_eq!(audit.len(), 2);
    // `'` became `T* TJ`, `"` became `Tw Tc T* TJ`; the untouched `'` stays.
    let doc = open(&out).unwrap();
    let page = *doc.get_pages().get(&1).unwrap();
    let body = doc.get_page_contents(page)[1];
    let data = doc
        .get_object(body)
        .unwrap()
        .as_stream()
        .unwrap()
        .get_plain_content()
        .unwrap();
    let ops: Vec<String> = Content::decode(&data)
        .unwrap()
        .operations
        .into_iter()
        .map(|o| o.operator)
        .collect();
    let joined = ops.join(" ");
    assert!(joined.contains("Tj T* TJ Tw Tc T* TJ ' ET"), "{joined}");
}

#[test]
fn fake_bold_copies_are_all_removed() {
    let mut p = Pdf::new();
    p.page(
        b"BT /F1 12 Tf 72 700 Td (BSN 123456782) Tj ET\n\
          BT /F1 12 Tf 72.3 700 Td (BSN 123456782) Tj ET",
        fonts(helvetica()),
    );
    let input = p.bytes(Dictionary::new());
    let (out, _) = redact_ok(&input);
    let doc = open(&out).unwrap();
    let pages = document_pages(&doc);
    let pg = &pages[0].glyphs;
    // Both copies of "BSN" stay, no digit of either copy does.
    assert_eq!(pg.text, "BSN BSN ");
    assert!(!contains(&all_bytes(&out), "456"));
}

#[test]
fn metadata_is_scrubbed_and_orphans_pruned() {
    let mut p = Pdf::new();
    let s1 = p.stream(b"BT /F1 12 Tf 72 700 Td (Brief aan de huurder) Tj ET");
    let s2 = p.stream(b"BT /F1 12 Tf 72 680 Td (Kopie: piet.jansen@voorbeeld.nl) Tj ET");
    p.page_with(
        Object::Array(vec![s1.into(), s2.into()]),
        fonts(helvetica()),
        dictionary! { "PieceInfo" => dictionary! { "App" => Object::string_literal("piet.jansen@voorbeeld.nl") } },
    );
    let xmp = p.stream(
        b"<x:xmpmeta><rdf:RDF><dc:creator>piet.jansen@voorbeeld.nl</dc:creator></rdf:RDF></x:xmpmeta>",
    );
    let info = p.doc.add_object(dictionary! {
        "Author" => Object::string_literal("Piet Jansen"),
        "Title" => Object::string_literal("Brief piet.jansen@voorbeeld.nl"),
        "Producer" => Object::string_literal("Testmaker"),
    });
    p.doc.trailer.set("Info", info);
    let input = p.bytes(dictionary! { "Metadata" => xmp });
    assert!(contains(&all_bytes(&input), "Testmaker"));
    let (out, audit) = redact_ok(&input);
    let doc = open(&out).unwrap();
    assert!(!doc.trailer.has(b"Info"));
    assert!(doc.objects.values().all(|o| match o {
        Object::Dictionary(d) => !d.has(b"Metadata") && !d.has(b"PieceInfo"),
        Object::Stream(s) => !s.dict.has(b"Metadata"),
        _ => true,
    }));
    let all = all_bytes(&out);
    for gone in ["voorbeeld", "Testmaker", "Piet Jansen", "xmpmeta"] {
        assert!(!contains(&all, gone), "{gone} still in the output");
    }
    // And not in the raw file either (nothing outside the object table).
    assert!(!contains(&out, "voorbeeld") && !contains(&out, "Testmaker"));
    assert!(page_texts(&out)[0].contains("Brief aan de huurder"));
    // The metadata findings are in the audit as removed.
    assert!(audit.iter().any(|r| r.reason == REASON_META));
}

#[test]
fn annotation_text_and_form_values_are_redacted() {
    let mut p = Pdf::new();
    let annot = p.doc.add_object(dictionary! {
        "Type" => "Annot",
        "Subtype" => "Text",
        "Rect" => vec![10.into(), 10.into(), 30.into(), 30.into()],
        "Contents" => Object::string_literal("Bel buurman op 06-12345678 svp"),
        "RC" => Object::string_literal("<p>Bel buurman op 06-12345678 svp</p>"),
        "T" => Object::string_literal("Beheer"),
    });
    let field = p.doc.add_object(dictionary! {
        "FT" => "Tx",
        "T" => Object::string_literal("bsn"),
        "V" => Object::string_literal(THIRD_BSN),
        "Subtype" => "Widget",
        "Rect" => vec![100.into(), 100.into(), 200.into(), 120.into()],
        "F" => 2,
    });
    let body = p.stream(b"BT /F1 12 Tf 72 700 Td (Formulier) Tj ET");
    p.page_with(
        body.into(),
        fonts(helvetica()),
        dictionary! { "Annots" => vec![annot.into(), field.into()] },
    );
    let input = p.bytes(dictionary! {
        "AcroForm" => dictionary! { "Fields" => vec![field.into()] },
    });
    let (out, _) = redact_ok(&input);
    let doc = open(&out).unwrap();
    let a = doc.get_dictionary(annot).unwrap();
    let c = lopdf::decode_text_string(a.get(b"Contents").unwrap()).unwrap();
    assert_eq!(c, "Bel buurman op [telefoon] svp");
    assert!(!a.has(b"RC"));
    let f = doc.get_dictionary(field).unwrap();
    assert_eq!(
        lopdf::decode_text_string(f.get(b"V").unwrap()).unwrap(),
        "[BSN]"
    );
    assert!(!contains(&all_bytes(&out), "12345678"));
}

#[test]
fn embedded_files_are_redacted_by_their_own_format() {
    let mut p = Pdf::new();
    p.page(
        b"BT /F1 12 Tf 72 700 Td (Zie bijlage) Tj ET",
        fonts(helvetica()),
    );
    let ef = p.doc.add_object(Stream::new(
        dictionary! { "Type" => "EmbeddedFile", "Params" => dictionary! { "Size" => 40 } },
        b"Notitie: BSN partner 123456782.\n".to_vec(),
    ));
    let spec = p.doc.add_object(dictionary! {
        "Type" => "Filespec",
        "F" => Object::string_literal("notitie.txt"),
        "EF" => dictionary! { "F" => ef },
    });
    let input = p.bytes(dictionary! {
        "Names" => dictionary! {
            "EmbeddedFiles" => dictionary! {
                "Names" => vec![Object::string_literal("notitie.txt"), spec.into()],
            },
        },
    });
    let red = redaction(Style::Label, Some(SUBJECT));
    let (cx, out) = red.redact_file(&input, "t.pdf");
    let out = out.expect("written");
    assert_eq!(cx.children.len(), 1);
    assert_eq!(cx.children[0].file.path, "t.pdf!notitie.txt");
    let doc = open(&out).unwrap();
    let data = doc
        .get_object(ef)
        .unwrap()
        .as_stream()
        .unwrap()
        .get_plain_content()
        .unwrap();
    assert_eq!(data, b"Notitie: BSN partner [BSN].\n");
}

fn image_page(p: &mut Pdf, content: &[u8]) {
    let img = p.doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => 1, "Height" => 1,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
        },
        vec![0x80],
    ));
    p.page(
        content,
        dictionary! {
            "Font" => dictionary! { "F1" => helvetica() },
            "XObject" => dictionary! { "Im0" => img },
        },
    );
}

#[test]
fn image_only_pages_and_ocr_layers_are_withheld() {
    let red = redaction(Style::Label, Some(SUBJECT));
    let mut p = Pdf::new();
    p.page(b"BT /F1 12 Tf 72 700 Td (Brief) Tj ET", fonts(helvetica()));
    image_page(&mut p, b"q 500 0 0 700 50 50 cm /Im0 Do Q");
    let (_, out) = red.redact_file(&p.bytes(Dictionary::new()), "scan.pdf");
    let err = out.unwrap_err();
    assert!(matches!(err, RedactError::Review(_)));
    assert!(err.to_string().contains("page 2"), "{err}");

    // Invisible OCR text over a scan: the pixels would keep the value.
    let mut p = Pdf::new();
    image_page(
        &mut p,
        b"q 500 0 0 700 50 50 cm /Im0 Do Q BT 3 Tr /F1 12 Tf 72 700 Td (BSN 123456782) Tj ET",
    );
    let (_, out) = red.redact_file(&p.bytes(Dictionary::new()), "ocr.pdf");
    let err = out.unwrap_err();
    assert!(err.to_string().contains("OCR"), "{err}");

    // Not a PDF that parses: an error record, nothing written.
    let (_, out) = red.redact_file(b"%PDF-1.4\n% broken\n%%EOF\n", "kapot.pdf");
    assert!(matches!(out.unwrap_err(), RedactError::Extract(_)));
}

#[test]
fn subject_only_documents_keep_their_text_and_get_no_boxes() {
    let mut p = Pdf::new();
    p.page(
        b"BT /F1 12 Tf 72 700 Td (Huurder BSN: 111222333) Tj ET",
        fonts(helvetica()),
    );
    let input = p.bytes(Dictionary::new());
    let (out, audit) = redact_ok(&input);
    assert!(audit.is_empty());
    assert_eq!(page_texts(&out)[0], "Huurder BSN: 111222333");
    let doc = open(&out).unwrap();
    let page = *doc.get_pages().get(&1).unwrap();
    assert_eq!(doc.get_page_contents(page).len(), 1);
}

#[test]
fn rewrite_keeps_numbers_and_merges_the_gap() {
    let cut = |end, adv| Cut { end, adv };
    let op = Operation::new(
        "TJ",
        vec![Object::Array(vec![
            Object::string_literal("ab12"),
            Object::Integer(-40),
            Object::string_literal("34cd"),
        ])],
    );
    let out = rewrite_op(
        op,
        &[
            (0, 2, cut(3, 500.0)),
            (0, 3, cut(4, 500.0)),
            (2, 0, cut(1, 556.0)),
            (2, 1, cut(2, 556.0)),
        ],
    )
    .unwrap();
    assert_eq!(out.len(), 1);
    let arr = out[0].operands[0].as_array().unwrap();
    assert_eq!(
        arr,
        &vec![
            Object::string_literal("ab"),
            Object::Integer(-2152),
            Object::string_literal("cd"),
        ]
    );
    // A cut that does not fit the string fails instead of guessing.
    let op = Operation::new("Tj", vec![Object::string_literal("ab")]);
    assert!(rewrite_op(op, &[(0, 1, cut(5, 1.0))]).is_err());
}

#[test]
fn link_uris_and_other_strings_lose_the_values_found_in_the_text() {
    let mut p = Pdf::new();
    let link = p.doc.add_object(dictionary! {
        "Type" => "Annot",
        "Subtype" => "Link",
        "Rect" => vec![72.into(), 695.into(), 300.into(), 712.into()],
        "A" => dictionary! {
            "S" => "URI",
            "URI" => Object::string_literal("mailto:Piet.Jansen@voorbeeld.nl"),
        },
    });
    let body = p.stream(b"BT /F1 12 Tf 72 700 Td (Mail piet.jansen@voorbeeld.nl) Tj ET");
    p.page_with(
        body.into(),
        fonts(helvetica()),
        dictionary! { "Annots" => vec![link.into()] },
    );
    let outline = p.doc.add_object(dictionary! {
        "Title" => Object::string_literal("Brief aan piet.jansen@voorbeeld.nl"),
    });
    let input = p
        .bytes(dictionary! { "Outlines" => dictionary! { "First" => outline, "Last" => outline } });
    let (out, _) = redact_ok(&input);
    let doc = open(&out).unwrap();
    let uri = doc
        .get_dictionary(link)
        .unwrap()
        .get(b"A")
        .unwrap()
        .as_dict()
        .unwrap()
        .get(b"URI")
        .unwrap()
        .as_str()
        .unwrap()
        .to_vec();
    assert_eq!(uri, b"mailto:[e-mail]");
    let title = doc.get_dictionary(outline).unwrap().get(b"Title").unwrap();
    assert_eq!(
        lopdf::decode_text_string(title).unwrap(),
        "Brief aan [e-mail]"
    );
    assert!(!contains(&all_bytes(&out), "voorbeeld"));
}

#[test]
fn replacing_values_terminates_when_the_label_contains_the_value() {
    let pairs = vec![("mail".to_string(), "[e-mail]")];
    assert_eq!(
        replace_values("Mail en mail", &pairs).as_deref(),
        Some("[e-mail] en [e-mail]")
    );
    assert_eq!(replace_values("niets", &pairs), None);
}

#[test]
fn a_pdf_without_readable_pages_is_withheld() {
    let mut doc = Document::with_version("1.7");
    let body = doc.add_object(Stream::new(
        dictionary! {},
        b"BT /F1 12 Tf 72 700 Td (BSN 123456782) Tj ET".to_vec(),
    ));
    // The catalog's page tree is missing: the stream is never read.
    let cat = doc.add_object(dictionary! { "Type" => "Catalog", "Extra" => body });
    doc.trailer.set("Root", cat);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    let red = redaction(Style::Label, Some(SUBJECT));
    let (_, out) = red.redact_file(&bytes, "leeg.pdf");
    let err = out.unwrap_err();
    assert!(matches!(err, RedactError::Review(_)), "{err}");
    assert!(err.to_string().contains("no page"), "{err}");
}

#[test]
fn a_logo_next_to_text_is_kept_and_listed_in_the_audit() {
    // A page with text and a small picture (a letterhead logo): written, the
    // picture kept, and the audit asks for a look at the page.
    let mut p = Pdf::new();
    image_page(
        &mut p,
        b"q 40 0 0 20 50 780 cm /Im0 Do Q BT /F1 12 Tf 72 700 Td (Huurder BSN: 111222333) Tj ET",
    );
    let (out, audit) = redact_ok(&p.bytes(Dictionary::new()));
    assert_eq!(page_texts(&out)[0], "Huurder BSN: 111222333");
    let rows: Vec<_> = audit.iter().filter(|a| a.kind.is_none()).collect();
    assert_eq!(rows.len(), 1, "{audit:?}");
    assert!(rows[0].reason.starts_with("image kept"));
    assert_eq!(rows[0].location.page, Some(1));
}
