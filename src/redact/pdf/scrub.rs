//! Metadata removal (`/Info`, XMP, `/PieceInfo`, thumbnails) and the
//! replacement of removed values in any string left in the file.

use lopdf::{Document, Object};

/// Drop document metadata: `/Info`, XMP `/Metadata` on any object,
/// `/PieceInfo`, and page thumbnails (a thumbnail is a picture of the page).
pub(super) fn scrub(doc: &mut Document) {
    doc.trailer.remove(b"Info");
    for obj in doc.objects.values_mut() {
        let d = match obj {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &mut s.dict,
            _ => continue,
        };
        d.remove(b"Metadata");
        d.remove(b"PieceInfo");
        if d.has_type(b"Page") {
            d.remove(b"Thumb");
        }
    }
}

/// Every string object outside the content streams (link URIs such as
/// `mailto:`, bookmark titles, structure alt texts, ...) that still holds a
/// redacted value gets the value replaced: the value was found in the page
/// text, and these strings repeat it where the reader does not look.
pub(super) fn scrub_strings(doc: &mut Document, values: &[(String, String)]) {
    let pairs: Vec<(String, &str)> = values
        .iter()
        .filter(|(v, _)| v.trim().chars().filter(|c| c.is_alphanumeric()).count() >= 4)
        .map(|(v, r)| (v.trim().to_lowercase(), r.as_str()))
        .collect();
    if pairs.is_empty() {
        return;
    }
    pub(super) fn walk(o: &mut Object, pairs: &[(String, &str)]) {
        match o {
            Object::String(..) => {
                let Ok(text) = lopdf::decode_text_string(o) else {
                    return;
                };
                if let Some(new) = replace_values(&text, pairs) {
                    *o = lopdf::text_string(&new);
                }
            }
            Object::Array(a) => a.iter_mut().for_each(|x| walk(x, pairs)),
            Object::Dictionary(d) => d.iter_mut().for_each(|(_, x)| walk(x, pairs)),
            Object::Stream(s) => s.dict.iter_mut().for_each(|(_, x)| walk(x, pairs)),
            _ => {}
        }
    }
    for o in doc.objects.values_mut() {
        walk(o, &pairs);
    }
}

/// `text` with every (case-insensitive) occurrence of a value replaced, or
/// `None` when it holds none.
pub(super) fn replace_values(text: &str, pairs: &[(String, &str)]) -> Option<String> {
    let mut cur = text.to_string();
    let mut changed = false;
    for (v, r) in pairs {
        let mut from = 0;
        while from <= cur.len() {
            let lower = cur.to_lowercase();
            // Offsets carry over only when lowercasing kept the byte lengths.
            let hay = if lower.len() == cur.len() {
                &lower
            } else {
                &cur
            };
            let Some(at) = hay.get(from..).and_then(|h| h.find(v.as_str())) else {
                break;
            };
            let at = from + at;
            if !cur.is_char_boundary(at) || !cur.is_char_boundary(at + v.len()) {
                break;
            }
            cur.replace_range(at..at + v.len(), r);
            from = at + r.len();
            changed = true;
        }
    }
    changed.then_some(cur)
}
