//! The read-back check: every object of the output (strings, decoded
//! streams, the strings of each text operator) searched for the removed
//! values, where an occurrence inside a kept value does not count.

use crate::extract::pdf as reader;
use lopdf::content::Content;
use lopdf::{Document, Object, Stream};
use std::collections::BTreeSet;

/// A removed value as it could stand in the file: its text, and its bytes
/// in a simple (one byte per code, Latin) font.
pub(super) struct Needle {
    pub(super) text: String,
    pub(super) bytes: Option<Vec<u8>>,
    /// Kept values that contain this one: an occurrence inside one of them
    /// is the kept value, not a leftover.
    pub(super) within: Vec<(String, Option<Vec<u8>>)>,
}

/// A string's characters as single bytes, when they all fit in one.
pub(super) fn latin1(t: &str) -> Option<Vec<u8>> {
    t.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect()
}

impl Needle {
    /// Whether the value stands in `hay` outside every kept value holding it.
    pub(super) fn in_text(&self, hay: &str) -> bool {
        let within: Vec<&[u8]> = self.within.iter().map(|(t, _)| t.as_bytes()).collect();
        stands_outside(hay.as_bytes(), self.text.as_bytes(), &within)
    }

    /// Like [`Needle::in_text`], on raw bytes (one byte per character).
    pub(super) fn in_bytes(&self, hay: &[u8]) -> bool {
        let Some(b) = &self.bytes else { return false };
        let within: Vec<&[u8]> = self
            .within
            .iter()
            .filter_map(|(_, b)| b.as_deref())
            .collect();
        stands_outside(hay, b, &within)
    }
}

/// Whether `needle` occurs in `hay` at a place not covered by an occurrence
/// of one of `within`.
pub(super) fn stands_outside(hay: &[u8], needle: &[u8], within: &[&[u8]]) -> bool {
    if within.is_empty() {
        return memchr::memmem::find(hay, needle).is_some();
    }
    let covers: Vec<(usize, usize)> = within
        .iter()
        .flat_map(|w| memchr::memmem::find_iter(hay, w).map(move |s| (s, s + w.len())))
        .collect();
    memchr::memmem::find_iter(hay, needle)
        .any(|s| !covers.iter().any(|&(a, b)| a <= s && s + needle.len() <= b))
}

pub(super) fn needles(values: &[(String, String)], kept: &BTreeSet<String>) -> Vec<Needle> {
    let mut out: Vec<Needle> = Vec::new();
    for (v, _) in values {
        let t = v.trim();
        if t.chars().filter(|c| c.is_alphanumeric()).count() < 4 || out.iter().any(|n| n.text == t)
        {
            continue;
        }
        let within = kept
            .iter()
            .map(|k| k.trim())
            .filter(|k| k.len() > t.len() && k.contains(t))
            .map(|k| (k.to_string(), latin1(k)))
            .collect();
        out.push(Needle {
            text: t.to_string(),
            bytes: latin1(t),
            within,
        });
    }
    out
}

pub(super) fn strings_in<'a>(o: &'a Object, out: &mut Vec<&'a Object>) {
    match o {
        Object::String(..) => out.push(o),
        Object::Array(a) => a.iter().for_each(|x| strings_in(x, out)),
        Object::Dictionary(d) => d.iter().for_each(|(_, x)| strings_in(x, out)),
        Object::Stream(s) => s.dict.iter().for_each(|(_, x)| strings_in(x, out)),
        _ => {}
    }
}

/// Streams that hold binary data, not text: images, font programs, embedded
/// files (those were checked by their own redactor).
pub(super) fn binary_stream(s: &Stream) -> bool {
    let name = |k: &[u8]| s.dict.get(k).and_then(|o| o.as_name()).ok();
    matches!(name(b"Subtype"), Some(b"Image"))
        || matches!(name(b"Type"), Some(b"EmbeddedFile"))
        || s.dict.has(b"Length1")
        || s.dict.has(b"Length2")
        || matches!(
            name(b"Subtype"),
            Some(b"Type1C") | Some(b"CIDFontType0C") | Some(b"OpenType")
        )
}

/// How many removed values still stand anywhere in `doc`: in any string
/// object, in the raw bytes of any text-bearing stream, or in the joined
/// strings of one text operator (a value split over `TJ` elements).
pub(super) fn leftovers(
    doc: &Document,
    values: &[(String, String)],
    kept: &BTreeSet<String>,
) -> usize {
    let needles = needles(values, kept);
    if needles.is_empty() {
        return 0;
    }
    let mut found = 0;
    let has_bytes = |hay: &[u8], n: &Needle| n.in_bytes(hay);
    for obj in doc.objects.values() {
        let mut strings = Vec::new();
        strings_in(obj, &mut strings);
        for s in strings {
            let text = lopdf::decode_text_string(s).unwrap_or_default();
            let raw = s.as_str().unwrap_or(b"");
            found += needles
                .iter()
                .filter(|n| n.in_text(&text) || has_bytes(raw, n))
                .count();
        }
        let Object::Stream(s) = obj else { continue };
        if binary_stream(s) {
            continue;
        }
        let Ok(data) = s.get_plain_content_with_limit(reader::MAX_STREAM) else {
            continue;
        };
        found += needles.iter().filter(|n| has_bytes(&data, n)).count();
        for op in Content::decode_iter(&data).map_while(Result::ok) {
            let mut joined = Vec::new();
            for o in &op.operands {
                match o {
                    Object::String(b, _) => joined.extend_from_slice(b),
                    Object::Array(a) => a.iter().for_each(|x| {
                        if let Object::String(b, _) = x {
                            joined.extend_from_slice(b);
                        }
                    }),
                    _ => {}
                }
            }
            if !joined.is_empty() {
                found += needles.iter().filter(|n| has_bytes(&joined, n)).count();
            }
        }
    }
    found
}
