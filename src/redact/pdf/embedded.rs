//! Embedded files of a PDF: found as the reader names them and redacted by
//! the redactor of their own format.

use super::failed;
use crate::extract::pdf as reader;
use crate::redact::{Cx, RedactError};
use lopdf::{Document, Object, ObjectId};
use std::collections::{HashMap, HashSet};

/// The embedded file streams, named as the reader names them.
pub(super) fn embedded_streams(doc: &Document) -> Vec<(String, ObjectId)> {
    let mut out = Vec::new();
    let stream_of = |spec: &lopdf::Dictionary| -> Option<ObjectId> {
        let ef = spec.get(b"EF").ok().map(|o| reader::deref(doc, o))?;
        let ef = ef.as_dict().ok()?;
        ef.get(b"UF")
            .or_else(|_| ef.get(b"F"))
            .ok()?
            .as_reference()
            .ok()
    };
    for (_, page) in doc.get_pages() {
        let Ok(annots) = doc.get_page_annotations(page) else {
            continue;
        };
        for a in annots {
            if a.get(b"Subtype").and_then(|s| s.as_name()).ok() != Some(b"FileAttachment") {
                continue;
            }
            let Some(spec) = a
                .get(b"FS")
                .ok()
                .and_then(|o| reader::deref(doc, o).as_dict().ok())
            else {
                continue;
            };
            if let Some(id) = stream_of(spec) {
                out.push((reader::embedded_name(doc, None, spec), id));
            }
        }
    }
    let root = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Names").ok())
        .map(|o| reader::deref(doc, o))
        .and_then(|o| o.as_dict().ok())
        .and_then(|n| n.get(b"EmbeddedFiles").ok());
    let mut seen = HashSet::new();
    let mut stack: Vec<&Object> = root.into_iter().collect();
    while let Some(node) = stack.pop() {
        if let Object::Reference(id) = node {
            if !seen.insert(*id) || seen.len() > 10_000 {
                continue;
            }
        }
        let Ok(d) = reader::deref(doc, node).as_dict() else {
            continue;
        };
        if let Ok(names) = d
            .get(b"Names")
            .map(|n| reader::deref(doc, n))
            .and_then(|n| n.as_array())
        {
            for pair in names.chunks(2) {
                if let [k, spec] = pair {
                    let Ok(spec) = reader::deref(doc, spec).as_dict() else {
                        continue;
                    };
                    if let Some(id) = stream_of(spec) {
                        let key = reader::text_string(doc, k);
                        out.push((reader::embedded_name(doc, key, spec), id));
                    }
                }
            }
        }
        if let Ok(kids) = d
            .get(b"Kids")
            .map(|k| reader::deref(doc, k))
            .and_then(|k| k.as_array())
        {
            stack.extend(kids.iter());
        }
    }
    out
}

/// Redact every embedded file with the redactor of its format.
pub(super) fn redact_embedded(
    doc: &mut Document,
    seen_by_reader: &[String],
    cx: &mut Cx<'_>,
) -> Result<(), RedactError> {
    let streams = embedded_streams(doc);
    let mut a: Vec<&str> = streams.iter().map(|(n, _)| n.as_str()).collect();
    let mut b: Vec<&str> = seen_by_reader.iter().map(String::as_str).collect();
    a.sort_unstable();
    b.sort_unstable();
    if a != b {
        return Err(failed(
            "the embedded files could not all be located for redaction",
        ));
    }
    let mut done: HashMap<ObjectId, ()> = HashMap::new();
    for (name, id) in streams {
        if done.insert(id, ()).is_some() {
            continue;
        }
        let data = doc
            .get_object(id)
            .and_then(|o| o.as_stream())
            .and_then(|s| s.get_plain_content_with_limit(reader::MAX_STREAM))
            .map_err(|_| {
                // Not by name: a file name may hold personal data.
                RedactError::Review("an embedded file could not be decoded".into())
            })?;
        let out = cx.embedded(&name, &data)?;
        let s = doc
            .get_object_mut(id)
            .and_then(|o| o.as_stream_mut())
            .map_err(|_| failed("embedded file stream"))?;
        s.dict.remove(b"Params");
        s.set_plain_content(out);
    }
    Ok(())
}
