//! Page text assembly: glyphs (in content order) to the text a reader sees,
//! with a map from every character back to its glyph.
//!
//! A newline goes where the baseline moves by more than half an em (or the
//! writing direction changes); a space where the pen jumps forward by more
//! than a fraction of an em without drawing a space glyph (TJ offsets, `Td`
//! moves, separate text objects), or jumps back on the same line. Glyph order
//! is the content order, which is reading order for the producers seen in
//! practice (word processors, report generators); no column reordering.

use super::interp::{Glyph, PageGlyphs};
use std::collections::HashMap;

/// A forward gap wider than this share of an em reads as a space.
pub const SPACE_GAP: f32 = 0.15;
/// A baseline shift larger than this share of an em starts a new line.
pub const LINE_SHIFT: f32 = 0.5;

/// Grid (in points) for spotting the same character drawn twice at the same
/// place (overprinted fake bold): glyphs of the same character and size less
/// than about 1.5 cells apart count as one.
pub const OVERPRINT: f32 = 0.5;

/// One character of the page text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CharRef {
    /// Byte offset of the character in [`PageText::text`].
    pub byte: u32,
    /// Index of its glyph in [`PageGlyphs::glyphs`]; `None` for separators
    /// that layout inserted.
    pub glyph: Option<u32>,
}

/// The text of a page and its character → glyph map.
#[derive(Clone, Debug, Default)]
pub struct PageText {
    /// The page's text, with newlines and spaces inserted by layout.
    pub text: String,
    /// One entry per character of `text`, in order.
    pub chars: Vec<CharRef>,
}

impl PageText {
    /// Indices of the glyphs that make up text bytes `start..end` (each once,
    /// in order). A glyph whose text is only partly inside (a ligature) is
    /// included.
    pub fn glyphs_in(&self, start: usize, end: usize) -> Vec<u32> {
        let first = self.chars.partition_point(|c| (c.byte as usize) < start);
        let mut out: Vec<u32> = Vec::new();
        for c in &self.chars[first..] {
            if c.byte as usize >= end {
                break;
            }
            if let Some(g) = c.glyph {
                if out.last() != Some(&g) {
                    out.push(g);
                }
            }
        }
        out
    }
}

fn push(out: &mut PageText, c: char, glyph: Option<u32>) {
    out.chars.push(CharRef {
        byte: out.text.len() as u32,
        glyph,
    });
    out.text.push(c);
}

fn ends_with_space(t: &str) -> bool {
    t.chars().next_back().is_none_or(char::is_whitespace)
}

/// Expand presentation forms (ligatures) to the letters a reader types.
fn expand(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{FB00}' => "ff",
        '\u{FB01}' => "fi",
        '\u{FB02}' => "fl",
        '\u{FB03}' => "ffi",
        '\u{FB04}' => "ffl",
        '\u{FB05}' | '\u{FB06}' => "st",
        _ => return None,
    })
}

/// What separates glyph `g` from the glyph before it.
fn separator(p: &Glyph, g: &Glyph) -> Option<char> {
    let size = p.size.max(g.size).max(1e-3);
    let (dx, dy) = (p.end[0] - p.origin[0], p.end[1] - p.origin[1]);
    let len = (dx * dx + dy * dy).sqrt();
    let dir = if len > 1e-4 {
        [dx / len, dy / len]
    } else {
        [1.0, 0.0]
    };
    // Direction change (rotated text next to straight text): a new line.
    let (gx, gy) = (g.end[0] - g.origin[0], g.end[1] - g.origin[1]);
    let glen = (gx * gx + gy * gy).sqrt();
    if glen > 1e-4 && (gx * dir[0] + gy * dir[1]) / glen < 0.95 {
        return Some('\n');
    }
    let rel = [g.origin[0] - p.origin[0], g.origin[1] - p.origin[1]];
    let across = -rel[0] * dir[1] + rel[1] * dir[0];
    if across.abs() > LINE_SHIFT * size {
        return Some('\n');
    }
    let gap = (g.origin[0] - p.end[0]) * dir[0] + (g.origin[1] - p.end[1]) * dir[1];
    if gap > SPACE_GAP * size || gap < -0.5 * size {
        return Some(' ');
    }
    None
}

/// Assemble the page text from its glyphs.
pub fn page_text(pg: &PageGlyphs) -> PageText {
    let mut out = PageText {
        text: String::with_capacity(pg.text.len() + pg.text.len() / 8),
        chars: Vec::with_capacity(pg.glyphs.len() + pg.glyphs.len() / 8),
    };
    let mut prev: Option<&Glyph> = None;
    let mut drawn: HashMap<(char, i32, i32), f32> = HashMap::new();
    for (i, g) in pg.glyphs.iter().enumerate() {
        let t = pg.glyph_text(g);
        // The same character drawn again on (almost) the same spot: fake bold
        // or a shadow. A reader sees it once.
        if let Some(c) = t.chars().next().filter(|c| !c.is_whitespace()) {
            let (qx, qy) = (
                (g.origin[0] / OVERPRINT).round() as i32,
                (g.origin[1] / OVERPRINT).round() as i32,
            );
            let seen = (-1..=1).any(|dx| {
                (-1..=1).any(|dy| {
                    drawn
                        .get(&(c, qx + dx, qy + dy))
                        .is_some_and(|&size| (size - g.size).abs() <= 0.1 * g.size)
                })
            });
            if seen {
                continue;
            }
            drawn.insert((c, qx, qy), g.size);
        }
        if let Some(p) = prev {
            match separator(p, g) {
                Some('\n') => {
                    // Trailing spaces of the line go; a line break replaces them.
                    while out.text.ends_with(' ') {
                        out.text.pop();
                        out.chars.pop();
                    }
                    if !out.text.is_empty() && !out.text.ends_with('\n') {
                        push(&mut out, '\n', None);
                    }
                }
                Some(c) if !ends_with_space(&out.text) && !t.starts_with(char::is_whitespace) => {
                    push(&mut out, c, None);
                }
                _ => {}
            }
        }
        for c in t.chars() {
            let c = match c {
                '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{7F}' => continue,
                '\t' | '\r' | '\n' | '\u{A0}' => ' ',
                c => c,
            };
            if c == ' ' && ends_with_space(&out.text) {
                continue;
            }
            match expand(c) {
                Some(s) => s.chars().for_each(|e| push(&mut out, e, Some(i as u32))),
                None => push(&mut out, c, Some(i as u32)),
            }
        }
        // A glyph without text (undecodable) still moves the pen: keep it as
        // the previous glyph for spacing.
        prev = Some(g);
    }
    while out.text.ends_with(char::is_whitespace) {
        out.text.pop();
        out.chars.pop();
    }
    out
}
