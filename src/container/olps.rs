//! OLE property sets ([MS-OLEPS]): the `\u{5}SummaryInformation` and
//! `\u{5}DocumentSummaryInformation` streams of legacy Office files, which
//! hold the document's title, subject, author, last author, comments,
//! manager and company. Only string properties are read (8-bit in the
//! section's code page, or UTF-16); every count and offset is checked
//! against the stream, and at most [`MAX_PROPERTIES`] are looked at.
//!
//! Written by hand: no crate on crates.io reads property sets on their own
//! (the OLE crates leave them to the caller), and the part read here is a
//! header, a section table and length-prefixed strings.

use encoding_rs::WINDOWS_1252;

/// Most properties looked at in one section.
pub const MAX_PROPERTIES: usize = 1024;

/// The stream names (in the root storage of the compound file).
pub const SUMMARY: &str = "/\u{5}SummaryInformation";
/// See [`SUMMARY`].
pub const DOC_SUMMARY: &str = "/\u{5}DocumentSummaryInformation";

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(i..i.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(i..i.checked_add(4)?)?.try_into().ok()?,
    ))
}

/// The name of a string property of the summary (`doc == false`) or the
/// document summary (`doc == true`) section that can hold personal data.
fn field(doc: bool, id: u32) -> Option<&'static str> {
    Some(match (doc, id) {
        (false, 2) => "title",
        (false, 3) => "subject",
        (false, 4) => "author",
        (false, 5) => "keywords",
        (false, 6) => "comments",
        (false, 8) => "last author",
        (true, 0x0E) => "manager",
        (true, 0x0F) => "company",
        _ => return None,
    })
}

/// The personal-data string properties of a property set stream:
/// `(field, text)`. `doc` says which of the two streams it is. A damaged
/// stream gives what could be read before the damage.
pub fn strings(stream: &[u8], doc: bool) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    // Header: byte order FFFE, version, system, CLSID, section count; then
    // the first section's FMTID and offset.
    if u16_at(stream, 0) != Some(0xFFFE) {
        return out;
    }
    let Some(section) = u32_at(stream, 44).map(|o| o as usize) else {
        return out;
    };
    let Some(count) = u32_at(stream, section.saturating_add(4)) else {
        return out;
    };
    let base = section;
    let entries: Vec<(u32, usize)> = (0..(count as usize).min(MAX_PROPERTIES))
        .map_while(|k| {
            let at = base.checked_add(8 + 8 * k)?;
            Some((u32_at(stream, at)?, u32_at(stream, at + 4)? as usize))
        })
        .collect();
    // The code page (property 1, a VT_I2) of the section's 8-bit strings.
    let enc = entries
        .iter()
        .find(|(id, _)| *id == 1)
        .and_then(|&(_, off)| u16_at(stream, base.checked_add(off)?.checked_add(4)?))
        .and_then(codepage::to_encoding)
        .unwrap_or(WINDOWS_1252);
    for (id, off) in entries {
        let Some(name) = field(doc, id) else { continue };
        let Some(at) = base.checked_add(off) else {
            continue;
        };
        let (Some(ty), Some(len)) = (u32_at(stream, at), u32_at(stream, at + 4)) else {
            continue;
        };
        let data = at + 8;
        let text = match ty {
            // VT_LPSTR: a byte count, then the bytes (NUL-terminated).
            0x1E => stream
                .get(data..data.saturating_add(len as usize))
                .map(|b| enc.decode(b).0.into_owned()),
            // VT_LPWSTR: a character count, then UTF-16.
            0x1F => stream
                .get(data..data.saturating_add((len as usize).saturating_mul(2)))
                .map(|b| {
                    let units: Vec<u16> = b
                        .chunks_exact(2)
                        .map(|u| u16::from_le_bytes([u[0], u[1]]))
                        .collect();
                    String::from_utf16_lossy(&units)
                }),
            _ => None,
        };
        if let Some(t) = text {
            let t = t.trim_end_matches('\0').trim().to_string();
            if !t.is_empty() {
                out.push((name, t));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::legacy::property_set;

    #[test]
    fn string_properties_are_read() {
        let s = property_set(&[
            (2, "Notulen"),
            (4, "Geertje Haaksma"),
            (9, "ignored"),
            (8, ""),
        ]);
        assert_eq!(
            strings(&s, false),
            [
                ("title", "Notulen".to_string()),
                ("author", "Geertje Haaksma".to_string())
            ]
        );
        let d = property_set(&[(0x0F, "Woonstichting Voorbeeld")]);
        assert_eq!(
            strings(&d, true),
            [("company", "Woonstichting Voorbeeld".to_string())]
        );
    }

    #[test]
    fn damaged_streams_give_what_they_can() {
        let s = property_set(&[(2, "Notulen"), (4, "Geertje Haaksma")]);
        for cut in 0..s.len() {
            let _ = strings(&s[..cut], false);
        }
        let mut bad = s.clone();
        bad[52..56].copy_from_slice(&u32::MAX.to_le_bytes()); // count
        let got = strings(&bad, false);
        assert!(
            got.contains(&("author", "Geertje Haaksma".to_string())),
            "{got:?}"
        );
        let mut off = s.clone();
        off[44..48].copy_from_slice(&u32::MAX.to_le_bytes()); // section offset
        assert!(strings(&off, false).is_empty());
    }
}
