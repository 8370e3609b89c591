//! Glyph removal from content streams: the overprinted copies of a picked
//! glyph, and the rewrite of each text-showing operator that draws a cut
//! glyph as a `TJ` array with the glyph's advance in its place.

use super::{failed, Cut, Key};
use crate::extract::pdf::{self as reader, PdfPage};
use crate::redact::RedactError;
use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, ObjectId};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Overprinted copies (fake bold) lie within this distance, in points.
pub(super) const OVERPRINT_DIST: f32 = 1.0;

/// Glyphs drawn again on (almost) the same spot as a picked glyph, with the
/// same text and size: fake-bold or shadow copies that layout shows once.
pub(super) fn overprints(page: &PdfPage, picked: &[u32]) -> Vec<u32> {
    let pg = &page.glyphs;
    let cell = |v: f32| (v / OVERPRINT_DIST).floor() as i32;
    let mut grid: HashMap<(&str, i32, i32), Vec<u32>> = HashMap::new();
    for &i in picked {
        let g = &pg.glyphs[i as usize];
        let t = pg.glyph_text(g);
        if t.trim().is_empty() {
            continue;
        }
        grid.entry((t, cell(g.origin[0]), cell(g.origin[1])))
            .or_default()
            .push(i);
    }
    if grid.is_empty() {
        return Vec::new();
    }
    let picked: HashSet<u32> = picked.iter().copied().collect();
    let mut out = Vec::new();
    for (i, h) in pg.glyphs.iter().enumerate() {
        let i = i as u32;
        if picked.contains(&i) {
            continue;
        }
        let t = pg.glyph_text(h);
        if t.trim().is_empty() {
            continue;
        }
        let (cx, cy) = (cell(h.origin[0]), cell(h.origin[1]));
        let hit = (-1..=1).any(|dx| {
            (-1..=1).any(|dy| {
                grid.get(&(t, cx + dx, cy + dy)).is_some_and(|v| {
                    v.iter().any(|&p| {
                        let g = &pg.glyphs[p as usize];
                        (g.origin[0] - h.origin[0]).abs() <= OVERPRINT_DIST
                            && (g.origin[1] - h.origin[1]).abs() <= OVERPRINT_DIST
                            && (g.size - h.size).abs() <= 0.1 * g.size.abs()
                    })
                })
            })
        });
        if hit {
            out.push(i);
        }
    }
    out
}

/// The cuts in one stream: operator index to (string element, first byte, cut).
pub(super) type OpCuts = BTreeMap<u32, Vec<(u32, u32, Cut)>>;

/// Cut the planned glyphs out of every content stream that draws them.
pub(super) fn rewrite_streams(
    doc: &mut Document,
    cuts: &BTreeMap<Key, Cut>,
) -> Result<(), RedactError> {
    let mut by_stream: BTreeMap<ObjectId, OpCuts> = BTreeMap::new();
    for (k, c) in cuts {
        by_stream
            .entry(k.stream)
            .or_default()
            .entry(k.op)
            .or_default()
            .push((k.elem, k.start, *c));
    }
    for (id, ops) in by_stream {
        let stream = doc
            .get_object_mut(id)
            .and_then(|o| o.as_stream_mut())
            .map_err(|_| failed("a content stream to rewrite is missing"))?;
        let data = stream
            .get_plain_content_with_limit(reader::MAX_STREAM)
            .map_err(|_| failed("a content stream to rewrite cannot be decoded"))?;
        let operations: Vec<Operation> = Content::decode_iter(&data)
            .collect::<Result<_, _>>()
            .map_err(|_| failed("a content stream to rewrite cannot be parsed"))?;
        if ops
            .keys()
            .next_back()
            .is_some_and(|&last| last as usize >= operations.len())
        {
            return Err(failed(
                "a text operator to rewrite is not where the reader saw it",
            ));
        }
        let mut out = Vec::with_capacity(operations.len() + 4 * ops.len());
        for (i, op) in operations.into_iter().enumerate() {
            match ops.get(&(i as u32)) {
                Some(c) => out.extend(rewrite_op(op, c)?),
                None => out.push(op),
            }
        }
        let bytes = Content { operations: out }
            .encode()
            .map_err(|e| failed(format!("cannot encode a rewritten content stream: {e}")))?;
        stream.set_plain_content(bytes);
    }
    Ok(())
}

pub(super) fn number(v: f32) -> Object {
    let r = (v * 1000.0).round() / 1000.0;
    if r.fract() == 0.0 && r.abs() < 1e9 {
        Object::Integer(r as i64)
    } else {
        Object::Real(r)
    }
}

pub(super) fn push_number(arr: &mut Vec<Object>, v: f32) {
    if let Some(last) = arr.last_mut() {
        let prev = match last {
            Object::Integer(i) => Some(*i as f32),
            Object::Real(r) => Some(*r),
            _ => None,
        };
        if let Some(p) = prev {
            *last = number(p + v);
            return;
        }
    }
    arr.push(number(v));
}

/// One text-showing operator with some codes cut out: the operators that
/// replace it (a `TJ`, preceded by what `'` and `"` did implicitly).
pub(super) fn rewrite_op(
    op: Operation,
    cuts: &[(u32, u32, Cut)],
) -> Result<Vec<Operation>, RedactError> {
    let bad = || failed("a text operator to rewrite has an unexpected form");
    let mut o = op.operands;
    let (mut before, elems): (Vec<Operation>, Vec<Object>) = match op.operator.as_str() {
        "Tj" if !o.is_empty() => (vec![], vec![o.swap_remove(0)]),
        "'" if !o.is_empty() => (vec![Operation::new("T*", vec![])], vec![o.swap_remove(0)]),
        "\"" if o.len() >= 3 => {
            let s = o.remove(2);
            let ac = o.remove(1);
            let aw = o.remove(0);
            (
                vec![
                    Operation::new("Tw", vec![aw]),
                    Operation::new("Tc", vec![ac]),
                    Operation::new("T*", vec![]),
                ],
                vec![s],
            )
        }
        "TJ" if !o.is_empty() => match o.swap_remove(0) {
            Object::Array(a) => (vec![], a),
            _ => return Err(bad()),
        },
        _ => return Err(bad()),
    };
    let mut arr: Vec<Object> = Vec::with_capacity(elems.len() + 2 * cuts.len());
    let mut used = 0usize;
    for (e, item) in elems.into_iter().enumerate() {
        let mine: Vec<(u32, Cut)> = cuts
            .iter()
            .filter(|c| c.0 as usize == e)
            .map(|c| (c.1, c.2))
            .collect();
        match item {
            Object::String(s, fmt) if !mine.is_empty() => {
                used += mine.len();
                let mut at = 0usize;
                for (start, cut) in mine {
                    let (start, end) = (start as usize, cut.end as usize);
                    if start < at || end <= start || end > s.len() {
                        return Err(bad());
                    }
                    if start > at {
                        arr.push(Object::String(s[at..start].to_vec(), fmt));
                    }
                    push_number(&mut arr, -cut.adv);
                    at = end;
                }
                if at < s.len() {
                    arr.push(Object::String(s[at..].to_vec(), fmt));
                }
            }
            Object::Integer(_) | Object::Real(_) => {
                let v = match item {
                    Object::Integer(i) => i as f32,
                    Object::Real(r) => r,
                    _ => 0.0,
                };
                push_number(&mut arr, v);
            }
            other => arr.push(other),
        }
    }
    if used != cuts.len() {
        return Err(bad());
    }
    before.push(Operation::new("TJ", vec![Object::Array(arr)]));
    Ok(before)
}
