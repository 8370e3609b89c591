//! Tests on PDFs built here with lopdf: one feature per document.

use super::*;
use crate::extract::Limits;
use crate::testutil::{pdf_bytes as bytes_of, Pdf};
use lopdf::{dictionary, Dictionary, Stream};

#[derive(Default)]
struct Collect {
    segs: Vec<Segment>,
    review: Vec<String>,
    files: Vec<(String, Vec<u8>)>,
}

impl Sink for Collect {
    fn segment(&mut self, seg: Segment) {
        self.segs.push(seg);
    }
    fn embedded(&mut self, name: &str, data: Vec<u8>) {
        self.files.push((name.to_string(), data));
    }
    fn needs_review(&mut self, reason: String) {
        self.review.push(reason);
    }
}

impl Collect {
    fn page(&self, n: u32) -> &str {
        self.segs
            .iter()
            .find(|s| s.loc.page == Some(n) && s.loc.part.is_none())
            .map(|s| s.text.as_str())
            .unwrap_or("")
    }
    fn part(&self, part: &str) -> Option<&str> {
        self.segs
            .iter()
            .find(|s| s.loc.part.as_deref() == Some(part))
            .map(|s| s.text.as_str())
    }
}

fn helvetica() -> Dictionary {
    dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    }
}

fn read(bytes: Vec<u8>) -> (Result<(), ExtractError>, Collect) {
    let mut sink = Collect::default();
    let limits = Limits::default();
    let ctx = ReadCtx::new(&limits, 0);
    let r = PdfReader.read(&Source::Memory(bytes), &ctx, &mut sink);
    (r, sink)
}

fn font_res(name: &str, font: Dictionary) -> Dictionary {
    let mut fonts = Dictionary::new();
    fonts.set(name, Object::Dictionary(font));
    dictionary! { "Font" => fonts }
}

#[test]
fn winansi_helvetica_lines_and_words() {
    let mut p = Pdf::new();
    p.page(
        "BT /F1 12 Tf 72 700 Td (Naam: J.P. de Vries) Tj 0 -14 Td (Bedrag \\200 12,50) Tj \
         14 TL T* (derde regel) Tj (regel vier) ' ET",
        font_res("F1", helvetica()),
    );
    let (r, s) = read(bytes_of(p.finish(dictionary! {})));
    r.unwrap();
    assert_eq!(
        s.page(1),
        "Naam: J.P. de Vries\nBedrag € 12,50\nderde regel\nregel vier"
    );
    assert!(s.review.is_empty(), "{:?}", s.review);
}

#[test]
fn tj_offsets_become_spaces_and_kerning_does_not() {
    let mut p = Pdf::new();
    // Helvetica space = 278/1000 em: offsets of -278 read as spaces, kerning
    // of ±10..30 does not.
    p.page(
        "BT /F1 10 Tf 72 700 Td [(NL91) -278 (ABNA) -278 (04) 10 (17) -278 (1643) -300 (00)] TJ \
         0 -20 Td [(J.P.) -20 ( de V) 30 (ries)] TJ ET",
        font_res("F1", helvetica()),
    );
    let doc = p.finish(dictionary! {});
    let pages = document_pages(&doc);
    assert_eq!(pages[0].text.text, "NL91 ABNA 0417 1643 00\nJ.P. de Vries");

    // The glyph model: the "A" after the first offset is TJ element 2, byte 0,
    // shown by the operator at index 3 (BT, Tf, Td, TJ).
    let t = &pages[0].text;
    let at = t.text.find("ABNA").unwrap();
    let gs = t.glyphs_in(at, at + 4);
    assert_eq!(gs.len(), 4);
    let g = &pages[0].glyphs.glyphs[gs[0] as usize];
    assert_eq!((g.op, g.elem, g.bytes), (3, 2, (0, 1)));
    assert!(matches!(g.stream, StreamRef::Page(_)));
    assert_eq!(pages[0].glyphs.glyph_text(g), "A");
    assert!((g.adv - 667.0).abs() < 0.01, "adv {}", g.adv);
    // Box in page space: starts right of x=72, on the baseline y=700.
    assert!(
        g.bbox[0] > 72.0 && g.bbox[1] < 700.0 && g.bbox[3] > 705.0,
        "{:?}",
        g.bbox
    );
    // Separators have no glyph.
    let sp = t
        .chars
        .iter()
        .find(|c| t.text.as_bytes()[c.byte as usize] == b' ');
    assert_eq!(sp.unwrap().glyph, None);
}

/// A Type0 / Identity-H font with a ToUnicode map: codes 1.. are the
/// characters of `alphabet`.
fn type0_font(doc: &mut Document, alphabet: &str) -> Dictionary {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
         1 begincodespacerange <0000> <FFFF> endcodespacerange\n",
    );
    let chars: Vec<char> = alphabet.chars().collect();
    cmap.push_str(&format!("{} beginbfchar\n", chars.len()));
    for (i, c) in chars.iter().enumerate() {
        cmap.push_str(&format!("<{:04X}> <{:04X}>\n", i + 1, *c as u32));
    }
    cmap.push_str("endbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end");
    let tu = doc.add_object(Stream::new(dictionary! {}, cmap.into_bytes()));
    let widths: Vec<Object> = chars.iter().map(|_| Object::Integer(600)).collect();
    let cid = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "CIDFontType2",
        "BaseFont" => "ABCDEF+DejaVuSans",
        "DW" => 1000,
        "W" => vec![Object::Integer(1), Object::Array(widths)],
    });
    dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => "ABCDEF+DejaVuSans",
        "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Reference(cid)],
        "ToUnicode" => tu,
    }
}

fn hex_codes(alphabet: &str, text: &str) -> String {
    let chars: Vec<char> = alphabet.chars().collect();
    text.chars()
        .map(|c| format!("{:04X}", chars.iter().position(|a| *a == c).unwrap() + 1))
        .collect()
}

#[test]
fn type0_identity_h_with_tounicode() {
    let alphabet = "BSN: 0123456789éë ";
    let mut p = Pdf::new();
    let font = type0_font(&mut p.doc, alphabet);
    let content = format!(
        "BT /F2 11 Tf 1 0 0 1 62 739 Tm <{}> Tj ET",
        hex_codes(alphabet, "BSN: 123456782 é")
    );
    p.page(&content, font_res("F2", font));
    let doc = p.finish(dictionary! {});
    let pages = document_pages(&doc);
    assert_eq!(pages[0].text.text, "BSN: 123456782 é");
    let g = &pages[0].glyphs.glyphs[1];
    assert_eq!(g.bytes, (2, 4));
    assert_eq!(pages[0].glyphs.fonts[g.font as usize], "DejaVuSans");
    assert!((g.adv - 600.0).abs() < 0.01);
}

#[test]
fn form_xobject_text_with_inherited_state_and_ctm() {
    let mut p = Pdf::new();
    let form = p.doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 200.into(), 50.into()],
            "Matrix" => vec![1.into(), 0.into(), 0.into(), 1.into(), 10.into(), 0.into()],
        },
        b"BT 0 0 Td (in het formulier) Tj ET".to_vec(),
    ));
    let mut res = font_res("F1", helvetica());
    res.set("XObject", dictionary! { "Fm1" => form });
    // The font is set on the page and inherited by the form (no /Resources
    // on the form itself: the page's are used).
    p.page(
        "BT /F1 10 Tf 72 700 Td (op de pagina) Tj ET q 1 0 0 1 100 300 cm /Fm1 Do Q",
        res,
    );
    let doc = p.finish(dictionary! {});
    let pages = document_pages(&doc);
    assert_eq!(pages[0].text.text, "op de pagina\nin het formulier");
    let t = &pages[0].text;
    let at = t.text.find("formulier").unwrap();
    let g = &pages[0].glyphs.glyphs[t.glyphs_in(at, at + 1)[0] as usize];
    assert_eq!(g.stream, StreamRef::Form(form));
    // Origin = form matrix (10,0) + cm (100,300) + "in het " advance.
    assert!((g.origin[1] - 300.0).abs() < 0.01);
    assert!(g.origin[0] > 110.0 && g.origin[0] < 150.0);
}

#[test]
fn annotations_form_fields_and_metadata() {
    let mut p = Pdf::new();
    let annot = p.doc.add_object(dictionary! {
        "Type" => "Annot",
        "Subtype" => "Text",
        "Rect" => vec![0.into(), 0.into(), 10.into(), 10.into()],
        "Contents" => Object::string_literal("Bel 06-12345678"),
        "T" => Object::string_literal("Jan Jansen"),
    });
    let page = p.page(
        "BT /F1 10 Tf 72 700 Td (tekst) Tj ET",
        font_res("F1", helvetica()),
    );
    p.doc
        .get_dictionary_mut(page)
        .unwrap()
        .set("Annots", vec![Object::Reference(annot)]);
    let field = p.doc.add_object(dictionary! {
        "FT" => "Tx",
        "T" => Object::string_literal("BSN"),
        "V" => Object::string_literal("123456782"),
    });
    let xmp = p.doc.add_object(Stream::new(
        dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
        b"<x:xmpmeta><dc:creator><rdf:Seq><rdf:li>Piet &amp; Co</rdf:li></rdf:Seq></dc:creator></x:xmpmeta>"
            .to_vec(),
    ));
    let mut doc = p.finish(dictionary! {
        "AcroForm" => dictionary! { "Fields" => vec![Object::Reference(field)] },
        "Metadata" => xmp,
    });
    // UTF-16BE with BOM, as producers write non-ASCII names.
    let mut author = vec![0xFE, 0xFF];
    for u in "Anaïs de Wit".encode_utf16() {
        author.extend(u.to_be_bytes());
    }
    let info = doc.add_object(dictionary! {
        "Author" => Object::String(author, lopdf::StringFormat::Hexadecimal),
        "Title" => Object::string_literal("Huurcontract"),
    });
    doc.trailer.set("Info", info);
    let (r, s) = read(bytes_of(doc));
    r.unwrap();
    assert_eq!(s.part("info:Author"), Some("Anaïs de Wit"));
    assert_eq!(s.part("info:Title"), Some("Huurcontract"));
    assert_eq!(s.part("xmp"), Some("Piet & Co"));
    assert_eq!(s.part("annot:Contents"), Some("Bel 06-12345678"));
    assert_eq!(s.part("annot:T"), Some("Jan Jansen"));
    let f = s
        .segs
        .iter()
        .find(|x| x.loc.part.as_deref() == Some("form:BSN"))
        .unwrap();
    assert_eq!(
        (f.text.as_str(), f.label.as_deref()),
        ("123456782", Some("BSN"))
    );
    let a = s
        .segs
        .iter()
        .find(|x| x.loc.part.as_deref() == Some("annot:T"))
        .unwrap();
    assert_eq!(a.loc.page, Some(1));
}

#[test]
fn image_only_pages_need_review() {
    let mut p = Pdf::new();
    let img = p.doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => 1, "Height" => 1,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
        },
        vec![0x80],
    ));
    let res = || {
        let mut r = font_res("F1", helvetica());
        r.set("XObject", dictionary! { "Im1" => img });
        r
    };
    p.page("BT /F1 10 Tf 72 700 Td (tekstpagina) Tj ET", res());
    p.page("q 595 0 0 842 0 0 cm /Im1 Do Q", res());
    p.page("q 595 0 0 842 0 0 cm /Im1 Do Q", res());
    p.page("", res()); // blank: not a scan
    let (r, s) = read(bytes_of(p.finish(dictionary! {})));
    r.unwrap();
    assert_eq!(s.page(1), "tekstpagina");
    assert_eq!(s.review, vec!["pages 2, 3 have no text layer".to_string()]);
}

fn encrypted(user: &str) -> Vec<u8> {
    let mut p = Pdf::new();
    p.page(
        "BT /F1 10 Tf 72 700 Td (geheime tekst) Tj ET",
        font_res("F1", helvetica()),
    );
    let mut doc = p.finish(dictionary! {});
    doc.trailer.set(
        "ID",
        vec![
            Object::String(
                b"0123456789abcdef".to_vec(),
                lopdf::StringFormat::Hexadecimal,
            ),
            Object::String(
                b"0123456789abcdef".to_vec(),
                lopdf::StringFormat::Hexadecimal,
            ),
        ],
    );
    let version = lopdf::EncryptionVersion::V2 {
        document: &doc,
        owner_password: "eigenaar",
        user_password: user,
        key_length: 128,
        permissions: lopdf::Permissions::default(),
    };
    let state = lopdf::EncryptionState::try_from(version).expect("state");
    doc.encrypt(&state).expect("encrypt");
    bytes_of(doc)
}

#[test]
fn encrypted_with_empty_user_password_is_read() {
    let bytes = encrypted("");
    assert!(memchr::memmem::find(&bytes, b"geheime").is_none());
    let (r, s) = read(bytes);
    r.unwrap();
    assert_eq!(s.page(1), "geheime tekst");
    assert!(s.review.is_empty(), "{:?}", s.review);
}

#[test]
fn encrypted_with_a_password_needs_review() {
    let (r, s) = read(encrypted("wachtwoord"));
    r.unwrap();
    assert!(s.segs.iter().all(|x| !x.text.contains("geheime")));
    assert_eq!(s.review, vec!["encrypted (needs a password)".to_string()]);
}

#[test]
fn embedded_files_go_to_the_sink() {
    let mut p = Pdf::new();
    p.page("", dictionary! {});
    let data = p.doc.add_object(Stream::new(
        dictionary! { "Type" => "EmbeddedFile" },
        b"IBAN NL91ABNA0417164300".to_vec(),
    ));
    let spec = p.doc.add_object(dictionary! {
        "Type" => "Filespec",
        "F" => Object::string_literal("bijlage.txt"),
        "EF" => dictionary! { "F" => data },
    });
    let doc = p.finish(dictionary! {
        "Names" => dictionary! {
            "EmbeddedFiles" => dictionary! {
                "Names" => vec![Object::string_literal("bijlage.txt"), Object::Reference(spec)],
            },
        },
    });
    let (r, s) = read(bytes_of(doc));
    r.unwrap();
    assert_eq!(
        s.files,
        vec![(
            "bijlage.txt".to_string(),
            b"IBAN NL91ABNA0417164300".to_vec()
        )]
    );
}

#[test]
fn quote_operators_and_rotated_text() {
    let mut p = Pdf::new();
    // '"' sets word and char spacing, then moves to the next line.
    p.page(
        "BT /F1 10 Tf 12 TL 72 700 Td (eerste) Tj 2 0 (tweede regel) \" ET \
         BT /F1 10 Tf 0 1 -1 0 300 100 Tm (verticaal woord) Tj ET",
        font_res("F1", helvetica()),
    );
    let pages = document_pages(&p.finish(dictionary! {}));
    assert_eq!(pages[0].text.text, "eerste\ntweede regel\nverticaal woord");
}

#[test]
fn broken_input_is_an_error_not_a_panic() {
    for bytes in [
        b"%PDF-1.4\n".to_vec(),
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"
            .to_vec(),
        vec![0u8; 100],
    ] {
        let (r, _) = read(bytes);
        // Either an error record or an empty read; never a panic.
        let _ = r;
    }
    // A truncated real document.
    let mut p = Pdf::new();
    p.page(
        "BT /F1 10 Tf 72 700 Td (abc) Tj ET",
        font_res("F1", helvetica()),
    );
    let full = bytes_of(p.finish(dictionary! {}));
    for cut in [full.len() / 3, full.len() / 2, full.len() - 10] {
        let _ = read(full[..cut].to_vec());
    }
}

#[test]
fn unknown_font_and_missing_tf_do_not_stop_the_page() {
    let mut p = Pdf::new();
    p.page(
        "BT (zonder font) Tj /Nope 10 Tf 72 700 Td (onbekend font) Tj ET",
        dictionary! {},
    );
    let pages = document_pages(&p.finish(dictionary! {}));
    assert_eq!(pages[0].text.text, "onbekend font");
}

#[test]
fn overprinted_fake_bold_reads_once() {
    let mut p = Pdf::new();
    p.page(
        "BT /F1 10 Tf 72 700 Td (Vet) Tj ET BT /F1 10 Tf 72.3 700 Td (Vet) Tj ET \
         BT /F1 10 Tf 72 680 Td (Vet Vet) Tj ET \
         BT /F1 15 Tf 58.8 660 Td (e) Tj ET BT /F1 10 Tf 60 660.2 Td (e) Tj ET",
        font_res("F1", helvetica()),
    );
    let pages = document_pages(&p.finish(dictionary! {}));
    // Same character, same spot, different size: both are read.
    assert_eq!(pages[0].text.text, "Vet\nVet Vet\nee");
    // The glyph model keeps both copies (a redaction must remove both).
    assert_eq!(pages[0].glyphs.glyphs.len(), 15);
}

#[test]
fn widget_appearance_text_is_page_text() {
    let mut p = Pdf::new();
    let font = p.doc.add_object(helvetica());
    let ap = p.doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 100.into(), 20.into()],
            "Resources" => dictionary! { "Font" => dictionary! { "Helv" => font } },
        },
        b"/Tx BMC BT /Helv 10 Tf 2 5 Td (veldwaarde) Tj ET EMC".to_vec(),
    ));
    let hidden = p.doc.add_object(Stream::new(
        dictionary! { "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 10.into(), 10.into()] },
        b"BT /Helv 10 Tf (verborgen) Tj ET".to_vec(),
    ));
    let w = p.doc.add_object(dictionary! {
        "Type" => "Annot", "Subtype" => "Widget",
        "Rect" => vec![300.into(), 400.into(), 400.into(), 420.into()],
        "AP" => dictionary! { "N" => ap },
    });
    let h = p.doc.add_object(dictionary! {
        "Type" => "Annot", "Subtype" => "FreeText", "F" => 2,
        "Rect" => vec![0.into(), 0.into(), 10.into(), 10.into()],
        "AP" => dictionary! { "N" => hidden },
    });
    let page = p.page(
        "BT /F1 10 Tf 72 700 Td (pagina) Tj ET",
        font_res("F1", helvetica()),
    );
    p.doc
        .get_dictionary_mut(page)
        .unwrap()
        .set("Annots", vec![Object::Reference(w), Object::Reference(h)]);
    let pages = document_pages(&p.finish(dictionary! {}));
    assert_eq!(pages[0].text.text, "pagina\nveldwaarde");
    let g = pages[0].glyphs.glyphs.last().unwrap();
    assert_eq!(g.stream, StreamRef::Form(ap));
    // BBox (0,0)-(100,20) onto Rect (300,400)-(400,420): Td 2 5 → (302, 405).
    let first = &pages[0].glyphs.glyphs[6];
    assert!((first.origin[0] - 302.0).abs() < 0.01 && (first.origin[1] - 405.0).abs() < 0.01);
}

#[test]
fn time_budget_stops_the_interpreter() {
    // One page with many operators: a deadline that has already passed stops
    // the interpreter within DEADLINE_EVERY operators, and the reader says so.
    let mut p = Pdf::new();
    let content = "BT /F1 12 Tf 72 700 Td (tekst) Tj ET q Q ".repeat(20_000);
    p.page(&content, font_res("F1", helvetica()));
    let doc = p.finish(dictionary! {});
    let mut interp = Interpreter::new(&doc);
    interp.limits.deadline = Some(std::time::Instant::now());
    let (n, id) = doc.get_pages().into_iter().next().unwrap();
    let glyphs = interp.page(n, id);
    assert!(interp.timed_out);
    assert!(
        glyphs.ops <= interp::DEADLINE_EVERY,
        "{} ops run",
        glyphs.ops
    );

    let bytes = bytes_of(doc);
    let limits = Limits {
        max_seconds: 7.0,
        ..Limits::default()
    };
    let mut ctx = ReadCtx::new(&limits, 0);
    ctx.deadline = Some(std::time::Instant::now());
    let mut sink = Collect::default();
    let err = PdfReader
        .read(&Source::Memory(bytes.clone()), &ctx, &mut sink)
        .unwrap_err();
    assert!(
        err.to_string().contains("time budget of 7 s exceeded"),
        "{err}"
    );
    // Without a deadline the same file reads in full.
    let (r, sink) = read(bytes);
    r.unwrap();
    assert!(sink.page(1).contains("tekst"));
}

#[test]
fn encryption_dict_without_trailer_reference_is_needs_review() {
    // A damaged encrypted file: the trailer lost its /Encrypt, the standard
    // security handler dictionary is still there, the strings are ciphertext.
    let mut p = Pdf::new();
    p.page(
        "BT /F1 12 Tf 72 700 Td (\\354\\301\\262xK) Tj ET",
        font_res("F1", helvetica()),
    );
    let mut doc = p.finish(dictionary! {});
    doc.add_object(dictionary! {
        "Filter" => "Standard", "V" => 1, "R" => 2, "P" => -4,
        "O" => Object::string_literal(vec![1u8; 32]),
        "U" => Object::string_literal(vec![2u8; 32]),
    });
    let (r, sink) = read(bytes_of(doc));
    r.unwrap();
    assert!(sink.segs.is_empty());
    assert!(
        sink.review.iter().any(|m| m.contains("encrypted")),
        "{:?}",
        sink.review
    );
}
