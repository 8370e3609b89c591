//! Word-processing packages: DOCX/DOCM/DOTX and ODT, redacted inside the
//! package (see [`super::ooxml`] for the package and XML rewriting rules).
//!
//! Parts rewritten: every part the reader reads ([`part_dialect`]: body,
//! headers, footers, foot- and endnotes, comments and their authors, text
//! boxes, field codes, tracked changes, `*.rels` link targets, `docProps/*`,
//! `customXml/*`, ODF `content.xml`/`styles.xml`/`meta.xml`), and, as a safety
//! net, the text of any other XML part that is not pure formatting (charts,
//! diagrams, ODF embedded objects). Pure formatting parts (styles, fonts,
//! numbering, settings, theme) and media are copied raw. Embedded files
//! (`word/embeddings/*`) are redacted by the redactor of their own format;
//! one that cannot be redacted withholds the document. Thumbnails are
//! dropped. Encrypted documents are `needs_review`.

use super::ooxml::{is_thumbnail, redact_xml_part, rewrite_package, PartAction};
use super::{Cx, RedactError, Redactor};
use crate::container::ole::{is_encrypted_package, is_ole};
use crate::container::package::part_dialect;
use crate::container::xml::Dialect;
use crate::extract::ExtractError;

/// The redactor of word-processing packages (DOCX, DOCM, DOTX, ODT).
pub struct DocxRedactor;

/// XML parts that hold formatting only: copied as they are.
fn formatting_only(lower: &str) -> bool {
    const WORD: &[&str] = &[
        "word/styles",
        "word/styleswitheffects",
        "word/fonttable",
        "word/numbering",
        "word/websettings",
        "word/settings",
        "word/theme/",
    ];
    WORD.iter().any(|p| lower.starts_with(p))
        || lower.starts_with("customxml/itemprops")
        || matches!(
            lower,
            "[content_types].xml" | "settings.xml" | "manifest.rdf" | "meta-inf/manifest.xml"
        )
}

/// How a part of a word-processing package is read for redaction.
fn dialect_of(name: &str) -> Option<Dialect> {
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("word/charts/") || lower.starts_with("word/diagrams/") {
        // Chart and diagram caches are not WordprocessingML: every text node counts.
        return lower.ends_with(".xml").then_some(Dialect::Props);
    }
    if let Some(d) = part_dialect(name) {
        return Some(d);
    }
    (lower.ends_with(".xml") && !formatting_only(&lower)).then_some(Dialect::Props)
}

fn embedded(name: &str) -> bool {
    name.starts_with("word/embeddings/")
}

impl Redactor for DocxRedactor {
    fn redact(&self, input: &[u8], cx: &mut Cx<'_>) -> Result<Vec<u8>, RedactError> {
        if is_ole(input) {
            return Err(if is_encrypted_package(input) {
                RedactError::Review("encrypted (password-protected) document".into())
            } else {
                ExtractError::parse(
                    "docx",
                    "an OLE compound file (legacy binary format), not a zip package",
                )
                .into()
            });
        }
        let mut body = false;
        let out = rewrite_package(
            input,
            cx,
            "docx",
            |name| embedded(name) || dialect_of(name).is_some(),
            |name, data, cx| {
                if is_thumbnail(name) {
                    return Ok(PartAction::Drop);
                }
                if embedded(name) {
                    return cx.embedded(name, data).map(PartAction::Replace);
                }
                body |= (name.starts_with("word/document") && name.ends_with(".xml"))
                    || name == "content.xml";
                let Some(dialect) = dialect_of(name) else {
                    return Ok(PartAction::Copy);
                };
                Ok(match redact_xml_part(name, data, dialect, cx)? {
                    Some(bytes) => PartAction::Replace(bytes),
                    None => PartAction::Copy,
                })
            },
        )?;
        if !body {
            return Err(RedactError::Review(
                "no document body (word/document.xml or content.xml)".into(),
            ));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::redaction;
    use super::super::Style;
    use super::*;
    use crate::extract::office::docx::DocxReader;
    use crate::extract::testutil::run;
    use crate::testutil::zip_of_text;
    use std::io::{Cursor, Read};

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn part(zip: &[u8], name: &str) -> Option<String> {
        let mut a = ::zip::ZipArchive::new(Cursor::new(zip)).unwrap();
        let mut e = a.by_name(name).ok()?;
        let mut s = String::new();
        e.read_to_string(&mut s).unwrap();
        Some(s)
    }

    fn doc(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {W}><w:body>{body}</w:body></w:document>"#
        )
    }

    #[test]
    fn split_runs_deltext_authors_props_and_thumbnail() {
        let body = doc(concat!(
            r#"<w:p><w:r><w:t xml:space="preserve">Bel 06-</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>1234</w:t></w:r><w:r><w:t>5678 &amp; klaar</w:t></w:r></w:p>"#,
            r#"<w:p><w:del w:id="1" w:author="Pieter Post"><w:r><w:delText>oud nummer</w:delText></w:r></w:del><w:r><w:t>nieuw</w:t></w:r></w:p>"#,
        ));
        let core = r#"<cp:coreProperties xmlns:cp="c" xmlns:dc="d"><dc:creator>Karel Appel</dc:creator><dc:title>Over IBAN NL91ABNA0417164300</dc:title></cp:coreProperties>"#;
        let rels = r#"<Relationships xmlns="r"><Relationship Id="rId1" Type="t" Target="docProps/thumbnail.jpeg"/><Relationship Id="rId2" Type="o" Target="word/document.xml"/></Relationships>"#;
        let input = zip_of_text(&[
            ("_rels/.rels", rels),
            ("word/document.xml", &body),
            ("docProps/core.xml", core),
            ("docProps/thumbnail.jpeg", "\u{ff}\u{d8}jpeg"),
            ("word/styles.xml", "<w:styles>06-12345678</w:styles>"),
            ("word/media/image1.png", "\u{89}PNG pixels"),
        ]);
        let red = redaction(Style::Label, None);
        let mut cx = Cx::new(&red, "a.docx", 0);
        let out = DocxRedactor.redact(&input, &mut cx).unwrap();
        // A picture is copied, and the audit asks for a look at it.
        assert!(part(&out, "word/media/image1.png").is_some());
        assert!(cx.audit.iter().any(|a| a.kind.is_none()
            && a.reason.starts_with("image kept")
            && a.location.part.as_deref() == Some("word/media/image1.png")));
        let d = part(&out, "word/document.xml").unwrap();
        assert!(d.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document"
        ));
        assert!(
            d.contains(r#"<w:t xml:space="preserve">Bel [telefoon]</w:t>"#),
            "{d}"
        );
        assert!(
            d.contains("<w:t></w:t></w:r><w:r><w:t> &amp; klaar</w:t>"),
            "{d}"
        );
        assert!(d.contains("<w:delText></w:delText>"), "{d}");
        assert!(d.contains(r#"w:author="[naam]""#), "{d}");
        assert!(!d.contains("Pieter"));
        let c = part(&out, "docProps/core.xml").unwrap();
        assert!(c.contains("<dc:creator>[naam]</dc:creator>"), "{c}");
        assert!(c.contains("Over IBAN [IBAN]"), "{c}");
        assert!(part(&out, "docProps/thumbnail.jpeg").is_none());
        assert!(!part(&out, "_rels/.rels").unwrap().contains("thumbnail"));
        // Formatting parts are copied as they are.
        assert_eq!(
            part(&out, "word/styles.xml").unwrap(),
            "<w:styles>06-12345678</w:styles>"
        );
        // The output reads back, clean.
        let c = run(&DocxReader, out.clone()).unwrap();
        assert!(c.review.is_empty());
        assert!(red.verify(&out, "a.docx").is_ok());
        // The creator's removal is in the audit (found as a name by the
        // detectors, or else removed as an editor's name).
        assert!(cx
            .audit
            .iter()
            .any(|a| a.kind == Some(crate::kind::Kind::Name)
                && a.location.part.as_deref() == Some("docProps/core.xml")));
    }

    #[test]
    fn odt_spans_meta_and_thumbnail() {
        let content = r#"<?xml version="1.0"?><office:document-content xmlns:office="o" xmlns:text="t"><office:body><office:text><text:p>IBAN <text:span>NL91 ABNA</text:span><text:s/>0417 164300 graag</text:p></office:text></office:body></office:document-content>"#;
        let meta = r#"<office:document-meta xmlns:office="o" xmlns:meta="m" xmlns:dc="d"><office:meta><meta:initial-creator>Tom Kok</meta:initial-creator><dc:date>2024-01-01</dc:date></office:meta></office:document-meta>"#;
        let manifest = r#"<manifest:manifest xmlns:manifest="m"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/><manifest:file-entry manifest:full-path="Thumbnails/thumbnail.png" manifest:media-type="image/png"/></manifest:manifest>"#;
        let input = zip_of_text(&[
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            ("content.xml", content),
            ("meta.xml", meta),
            ("Thumbnails/thumbnail.png", "png"),
            ("META-INF/manifest.xml", manifest),
        ]);
        let red = redaction(Style::Label, None);
        let mut cx = Cx::new(&red, "a.odt", 0);
        let out = DocxRedactor.redact(&input, &mut cx).unwrap();
        let c = part(&out, "content.xml").unwrap();
        assert!(
            c.contains("<text:p>IBAN <text:span>[IBAN]</text:span><text:s/> graag</text:p>"),
            "{c}"
        );
        let m = part(&out, "meta.xml").unwrap();
        assert!(
            m.contains("<meta:initial-creator>[naam]</meta:initial-creator>"),
            "{m}"
        );
        assert!(m.contains("2024-01-01"));
        assert!(part(&out, "Thumbnails/thumbnail.png").is_none());
        let mf = part(&out, "META-INF/manifest.xml").unwrap();
        assert!(
            !mf.contains("thumbnail") && mf.contains("content.xml"),
            "{mf}"
        );
        assert!(red.verify(&out, "a.odt").is_ok());
    }

    #[test]
    fn no_body_or_broken_xml_is_withheld() {
        let red = redaction(Style::Label, None);
        let mut cx = Cx::new(&red, "a.docx", 0);
        let err = DocxRedactor
            .redact(&zip_of_text(&[("x.xml", "<a/>")]), &mut cx)
            .unwrap_err();
        assert!(matches!(err, RedactError::Review(_)), "{err}");
        let broken = zip_of_text(&[(
            "word/document.xml",
            "<w:document><w:body><w:p><w:r><w:t>BSN 123456782</w:t></w:r><w:r w:x=\"1",
        )]);
        let err = DocxRedactor.redact(&broken, &mut cx).unwrap_err();
        assert!(matches!(err, RedactError::Review(_)), "{err}");
        assert!(DocxRedactor.redact(b"PK\x03\x04junk", &mut cx).is_err());
    }
}
