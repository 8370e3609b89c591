//! The black boxes drawn where glyphs were removed: one per run of removed
//! glyphs on a line, appended to the page content in default user space.

use super::{failed, key_of, Cut, Key};
use crate::extract::pdf::{self as reader, PdfPage};
use crate::redact::RedactError;
use lopdf::content::Content;
use lopdf::{dictionary, Document, Object, ObjectId, Stream};
use std::collections::BTreeMap;

/// Extra margin around each box, in points.
pub(super) const PAD: f32 = 0.4;

/// Black boxes (page space, `[x0 y0 x1 y1]`) over the removed glyphs of a
/// page: one per run of removed glyphs on one line.
pub(super) fn boxes(page: &PdfPage, cuts: &BTreeMap<Key, Cut>) -> Vec<[f32; 4]> {
    let mut rects: Vec<[f32; 4]> = Vec::new();
    let mut cur: Option<([f32; 4], &reader::Glyph)> = None;
    for g in &page.glyphs.glyphs {
        if !cuts.contains_key(&key_of(g)) {
            if let Some((r, _)) = cur.take() {
                rects.push(r);
            }
            continue;
        }
        let b = g.bbox;
        if b.iter().any(|v| !v.is_finite()) {
            continue;
        }
        cur = Some(match cur {
            Some((r, p)) if same_run(p, g) => (
                [
                    r[0].min(b[0]),
                    r[1].min(b[1]),
                    r[2].max(b[2]),
                    r[3].max(b[3]),
                ],
                g,
            ),
            Some((r, _)) => {
                rects.push(r);
                (b, g)
            }
            None => (b, g),
        });
    }
    if let Some((r, _)) = cur {
        rects.push(r);
    }
    rects
}

/// Two removed glyphs in content order that one box may cover: same line,
/// close together.
pub(super) fn same_run(p: &reader::Glyph, g: &reader::Glyph) -> bool {
    let size = p.size.max(g.size).max(1.0);
    let dy = (g.origin[1] - p.origin[1]).abs();
    let gap = g.origin[0] - p.end[0];
    dy <= 0.5 * size && gap.abs() <= 2.0 * size
}

/// How many `q` the page's content leaves open at its end.
pub(super) fn open_saves(doc: &Document, page: ObjectId) -> usize {
    let mut depth = 0usize;
    for id in doc.get_page_contents(page) {
        let Ok(data) = doc
            .get_object(id)
            .and_then(|o| o.as_stream())
            .and_then(|s| s.get_plain_content_with_limit(reader::MAX_STREAM))
        else {
            continue;
        };
        for op in Content::decode_iter(&data).map_while(Result::ok) {
            match op.operator.as_str() {
                "q" => depth += 1,
                "Q" => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    depth
}

/// Wrap the page content in `q … Q` and paint the boxes after it.
pub(super) fn add_boxes(
    doc: &mut Document,
    page: ObjectId,
    rects: &[[f32; 4]],
) -> Result<(), RedactError> {
    let open = open_saves(doc, page);
    let mut tail = "Q\n".repeat(open + 1);
    tail.push_str("q 0 0 0 rg\n");
    for r in rects {
        let (x0, y0) = (r[0] - PAD, r[1] - PAD);
        let (w, h) = ((r[2] - r[0]) + 2.0 * PAD, (r[3] - r[1]) + 2.0 * PAD);
        tail.push_str(&format!("{x0:.2} {y0:.2} {w:.2} {h:.2} re\n"));
    }
    tail.push_str("f\nQ\n");
    let contents = doc.get_page_contents(page);
    let head = doc.add_object(Stream::new(dictionary! {}, b"q\n".to_vec()));
    let tail = doc.add_object(Stream::new(dictionary! {}, tail.into_bytes()));
    let mut arr: Vec<Object> = vec![head.into()];
    arr.extend(contents.into_iter().map(Object::Reference));
    arr.push(tail.into());
    let dict = doc
        .get_object_mut(page)
        .and_then(|o| o.as_dict_mut())
        .map_err(|_| failed("a page to draw boxes on is missing"))?;
    dict.set("Contents", Object::Array(arr));
    Ok(())
}
