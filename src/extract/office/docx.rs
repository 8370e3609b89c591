//! Word-processing packages: DOCX/DOCM/DOTX (WordprocessingML) and ODT.
//!
//! Owns which parts the scanner reads and how: the body, headers, footers,
//! footnotes, endnotes, comments (text, `w:author`, `w:initials`), text
//! boxes, tracked changes (`w:delText` is data too), field codes
//! (`w:instrText`, `w:fldSimple`), relationship targets (`mailto:`
//! hyperlinks), `docProps/*` and `customXml/*`. ODT: `content.xml`,
//! `styles.xml`, `meta.xml`. Embedded objects (`word/embeddings/*`, ODF
//! `Object */`) go back to the pipeline as files of their own. Each part is
//! cut into blocks by [`crate::container::xml`]; the package is opened
//! through the archive guard ([`crate::container::package::open_package`]),
//! so the same entry count, size and ratio limits apply as to any archive.

use super::{emit_part, ole_package, read_entry};
use crate::container::package::{open_package, part_dialect};
use crate::extract::{ExtractError, ReadCtx, Reader, Sink, Source};

/// The reader of word-processing packages (DOCX, DOCM, DOTX, ODT).
pub struct DocxReader;

impl Reader for DocxReader {
    fn read(
        &self,
        src: &Source,
        ctx: &ReadCtx<'_>,
        sink: &mut dyn Sink,
    ) -> Result<(), ExtractError> {
        let bytes = src.bytes()?;
        if crate::container::ole::is_ole(&bytes) {
            return ole_package(&bytes, "docx", sink);
        }
        let mut archive = open_package(&bytes, ctx.limits.archive(), "docx")?;
        let mut any = false;
        for i in 0..archive.len() {
            ctx.check()?;
            let Some(name) = archive.name(i) else {
                continue;
            };
            let embedded = name.starts_with("word/embeddings/");
            let dialect = part_dialect(&name);
            if dialect.is_none() && !embedded {
                continue;
            }
            let Some((name, data)) = read_entry(&mut archive, i, sink)? else {
                continue;
            };
            if embedded {
                if ctx.depth + 1 >= ctx.limits.max_depth {
                    sink.needs_review(format!("embedded object {name} nested too deep"));
                } else {
                    sink.embedded(&name, data);
                }
                continue;
            }
            let Some(dialect) = dialect else { continue };
            any |= (name.starts_with("word/document") && name.ends_with(".xml"))
                || name == "content.xml";
            emit_part(&name, &data, dialect, ctx, sink)?;
        }
        if !any {
            sink.needs_review("no document body (word/document.xml or content.xml)".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testutil::{run, Collect};
    use crate::extract::Limits;
    use crate::testutil::zip_of_text;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn doc(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}</w:body></w:document>"#
        )
    }

    fn docx(extra: &[(&str, &str)]) -> Vec<u8> {
        let body = doc(
            r#"<w:p><w:r><w:t xml:space="preserve">Telefoon: 06-</w:t></w:r><w:r><w:t>12345678</w:t></w:r></w:p>"#,
        );
        let mut entries = vec![("word/document.xml", body.as_str())];
        entries.extend_from_slice(extra);
        zip_of_text(&entries)
    }

    #[test]
    fn package_parts_headers_comments_props_rels() {
        let header = format!(
            r#"<w:hdr {W}><w:p><w:r><w:t>Kenmerk huurder Jan Smit</w:t></w:r></w:p></w:hdr>"#
        );
        let footer =
            format!(r#"<w:ftr {W}><w:p><w:r><w:t>info@corporatie.nl</w:t></w:r></w:p></w:ftr>"#);
        let comments = format!(
            r#"<w:comments {W}><w:comment w:id="0" w:author="Mila de Boer" w:initials="MdB"><w:p><w:r><w:t>Bel terug op 0612345678</w:t></w:r></w:p></w:comment></w:comments>"#
        );
        let notes = format!(
            r#"<w:footnotes {W}><w:footnote w:id="1"><w:p><w:r><w:t>Voetnoot NL91ABNA0417164300</w:t></w:r></w:p></w:footnote></w:footnotes>"#
        );
        let core = r#"<cp:coreProperties xmlns:cp="c" xmlns:dc="d" xmlns:dcterms="t"><dc:creator>Karel Appel</dc:creator><cp:lastModifiedBy>K. Appel</cp:lastModifiedBy><dc:title>Brief aan mevrouw Smit</dc:title><dcterms:created>2024-01-01T00:00:00Z</dcterms:created></cp:coreProperties>"#;
        let app = r#"<Properties xmlns="x"><Company>Woonstichting</Company><Manager>Hanna Berg</Manager><Pages>1</Pages></Properties>"#;
        let custom = r#"<Properties xmlns:vt="v"><property name="ContentTypeId"><vt:lpwstr>0x0101007351FBC7CACEE346ABEC</vt:lpwstr></property><property name="Behandelaar"><vt:lpwstr>Sanne Wit</vt:lpwstr></property></Properties>"#;
        let rels = r#"<Relationships xmlns="r"><Relationship Id="rId9" Type="h" Target="mailto:jan.smit@example.nl" TargetMode="External"/></Relationships>"#;
        let data = docx(&[
            ("word/header1.xml", &header),
            ("word/footer1.xml", &footer),
            ("word/comments.xml", &comments),
            ("word/footnotes.xml", &notes),
            ("word/styles.xml", "<w:styles>BSN 111222333</w:styles>"),
            ("docProps/core.xml", core),
            ("docProps/app.xml", app),
            ("docProps/custom.xml", custom),
            ("word/_rels/document.xml.rels", rels),
            ("word/embeddings/oleObject1.xlsx", "PK not really"),
            ("word/media/image1.png", "\u{89}PNG"),
        ]);
        let c = run(&DocxReader, data).unwrap();
        assert!(c.review.is_empty(), "{:?}", c.review);
        let body = c.find("Telefoon").unwrap();
        assert_eq!(body.text, "Telefoon: 06-12345678");
        assert_eq!(body.loc.part.as_deref(), Some("word/document.xml"));
        assert_eq!(body.loc.paragraph, Some(0));
        assert_eq!(
            c.find("Jan Smit").unwrap().loc.part.as_deref(),
            Some("word/header1.xml")
        );
        assert!(c.find("info@corporatie.nl").is_some());
        assert!(c.find("Bel terug").is_some());
        let author = c.segs.iter().find(|s| s.text == "Mila de Boer").unwrap();
        assert_eq!(author.label.as_deref(), Some("author"));
        assert!(c.has("MdB"));
        assert!(c.find("NL91ABNA").is_some());
        let creator = c.segs.iter().find(|s| s.text == "Karel Appel").unwrap();
        assert_eq!(creator.label.as_deref(), Some("creator"));
        assert!(c.has("K. Appel"));
        assert!(c.has("Brief aan mevrouw Smit"));
        assert!(c.has("Hanna Berg"));
        let custom = c.segs.iter().find(|s| s.text == "Sanne Wit").unwrap();
        assert_eq!(custom.label.as_deref(), Some("Behandelaar"));
        assert!(c.find("0x0101").is_none());
        assert!(!c.texts().iter().any(|t| t.contains("2024") || *t == "1"));
        assert!(c.find("mailto:jan.smit@example.nl").is_some());
        assert!(c.find("111222333").is_none(), "styles are not read");
        assert_eq!(c.embedded, vec!["word/embeddings/oleObject1.xlsx"]);
    }

    #[test]
    fn odt_paragraphs_spans_and_meta() {
        let content = r#"<?xml version="1.0"?><office:document-content xmlns:office="o" xmlns:text="t" xmlns:table="b"><office:body><office:text><text:h>Kop</text:h><text:p>IBAN <text:span>NL91 ABNA</text:span><text:s/>0417 164300</text:p><table:table><table:table-row><table:table-cell><text:p>BSN</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell><text:p>111222333</text:p></table:table-cell></table:table-row></table:table><text:p>Zie <office:annotation><dc:creator xmlns:dc="d">Ria Vos</dc:creator><dc:date xmlns:dc="d">2024-02-02</dc:date><text:p>let op</text:p></office:annotation>hier</text:p></office:text></office:body></office:document-content>"#;
        let meta = r#"<office:document-meta xmlns:office="o" xmlns:meta="m" xmlns:dc="d"><office:meta><meta:initial-creator>Tom Kok</meta:initial-creator><dc:date>2024-01-01</dc:date></office:meta></office:document-meta>"#;
        let data = zip_of_text(&[
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            ("content.xml", content),
            ("meta.xml", meta),
        ]);
        let c = run(&DocxReader, data).unwrap();
        assert!(c.review.is_empty(), "{:?}", c.review);
        assert!(c.has("IBAN NL91 ABNA 0417 164300"), "{:?}", c.texts());
        let cell = c.segs.iter().find(|s| s.text == "111222333").unwrap();
        assert_eq!(cell.label.as_deref(), Some("BSN"));
        assert!(c.has("Ria Vos"));
        assert!(c.has("Zie hier"), "{:?}", c.texts());
        assert!(c.has("let op"));
        assert!(c.has("Tom Kok"));
        assert!(!c.texts().iter().any(|t| t.contains("2024")));
    }

    #[test]
    fn bad_packages_are_errors_not_panics() {
        assert!(run(&DocxReader, b"PK\x03\x04 garbage".to_vec()).is_err());
        let few = Limits {
            max_entries: 2,
            ..Limits::default()
        };
        let data = docx(&[("a.xml", "<a/>"), ("b.xml", "<b/>")]);
        let mut c = Collect::default();
        let err = DocxReader
            .read(&Source::Memory(data), &ReadCtx::new(&few, 0), &mut c)
            .unwrap_err();
        assert!(err.to_string().contains("entries"));
        // A zip without a document body is flagged.
        let c = run(&DocxReader, zip_of_text(&[("x.txt", "hallo")])).unwrap();
        assert_eq!(c.review.len(), 1);
    }

    #[test]
    fn ratio_limit_on_declared_sizes() {
        let big = "a".repeat(4 << 20);
        let data = zip_of_text(&[("word/document.xml", &big)]);
        let err = run(&DocxReader, data).unwrap_err();
        assert!(err.to_string().contains("ratio"), "{err}");
    }
}
