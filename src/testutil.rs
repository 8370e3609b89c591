//! Test scaffolding shared by the unit tests (compiled for tests only): the
//! one zip builder and the one PDF builder the readers' and redactors' tests
//! build their inputs with. The end-to-end tests include this file too
//! (`tests/it/util.rs`), so it uses nothing from the crate.

use ::zip::CompressionMethod;
#[path = "testutil/legacy.rs"]
pub mod legacy;

use lopdf::{dictionary, Dictionary, Document, Object, ObjectId, Stream};
use std::io::{Cursor, Write};

/// A zip archive of `(name, bytes)` entries, in order, deflated.
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let entries: Vec<_> = entries
        .iter()
        .map(|(n, d)| (*n, *d, CompressionMethod::Deflated))
        .collect();
    zip_with(&entries)
}

/// A zip archive of `(name, bytes, compression)` entries, in order.
pub fn zip_with(entries: &[(&str, &[u8], CompressionMethod)]) -> Vec<u8> {
    let mut w = ::zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (n, d, m) in entries {
        let options = ::zip::write::SimpleFileOptions::default().compression_method(*m);
        w.start_file(*n, options).unwrap();
        w.write_all(d).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A zip archive of `(name, text)` entries (office packages of XML parts).
pub fn zip_of_text(entries: &[(&str, &str)]) -> Vec<u8> {
    let entries: Vec<(&str, &[u8])> = entries.iter().map(|(n, d)| (*n, d.as_bytes())).collect();
    zip_of(&entries)
}

/// A PDF document builder: pages with content and resources, then the
/// catalog with extras.
pub struct Pdf {
    /// The document being built (add objects to it directly).
    pub doc: Document,
    pages_id: ObjectId,
    kids: Vec<Object>,
}

impl Pdf {
    /// An empty PDF 1.7 document.
    pub fn new() -> Self {
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        Pdf {
            doc,
            pages_id,
            kids: Vec::new(),
        }
    }

    /// A content stream object.
    pub fn stream(&mut self, content: &[u8]) -> ObjectId {
        self.doc
            .add_object(Stream::new(dictionary! {}, content.to_vec()))
    }

    /// An A4 page with `contents` (a stream or an array of streams),
    /// `resources`, and `extra` entries in its dictionary.
    pub fn page_with(
        &mut self,
        contents: Object,
        resources: Dictionary,
        extra: Dictionary,
    ) -> ObjectId {
        let r = self.doc.add_object(resources);
        let mut page = dictionary! {
            "Type" => "Page",
            "Parent" => self.pages_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Contents" => contents,
            "Resources" => r,
        };
        for (k, v) in extra.iter() {
            page.set(k.clone(), v.clone());
        }
        let id = self.doc.add_object(page);
        self.kids.push(id.into());
        id
    }

    /// An A4 page with one content stream.
    pub fn page(&mut self, content: impl AsRef<[u8]>, resources: Dictionary) -> ObjectId {
        let c = self.stream(content.as_ref());
        self.page_with(c.into(), resources, Dictionary::new())
    }

    /// The document, its catalog holding `catalog_extra` too.
    pub fn finish(mut self, catalog_extra: Dictionary) -> Document {
        let count = self.kids.len() as i64;
        self.doc.objects.insert(
            self.pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => self.kids,
                "Count" => count,
            }),
        );
        let mut catalog = dictionary! { "Type" => "Catalog", "Pages" => self.pages_id };
        for (k, v) in catalog_extra.iter() {
            catalog.set(k.clone(), v.clone());
        }
        let cat = self.doc.add_object(catalog);
        self.doc.trailer.set("Root", cat);
        self.doc
    }

    /// The document saved, see [`Pdf::finish`].
    pub fn bytes(self, catalog_extra: Dictionary) -> Vec<u8> {
        pdf_bytes(self.finish(catalog_extra))
    }
}

/// A document saved.
pub fn pdf_bytes(mut doc: Document) -> Vec<u8> {
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    out
}
