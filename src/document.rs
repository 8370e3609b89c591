//! The document model that extraction produces and detection consumes.
//!
//! A document is a stream of [`Segment`]s: pieces of text, each knowing where it
//! came from (page, sheet + cell, part, line, source byte range). Redaction maps a
//! finding back to its source through the same model, so "what we found" and
//! "where it stands" cannot drift apart.

use serde::Serialize;

/// Where a piece of text (or a finding) stands in its file. Every field is
/// optional; a reader fills in what fits its format.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// Paragraph index within `part` (word processing documents). When it is
    /// set, `byte_start`/`byte_end` count within that paragraph's text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub byte_start: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub byte_end: Option<u64>,
}

impl Location {
    pub fn part(part: impl Into<String>) -> Self {
        Location {
            part: Some(part.into()),
            ..Location::default()
        }
    }
    pub fn page(page: u32) -> Self {
        Location {
            page: Some(page),
            ..Location::default()
        }
    }
    pub fn cell(sheet: impl Into<String>, cell: impl Into<String>) -> Self {
        Location {
            sheet: Some(sheet.into()),
            cell: Some(cell.into()),
            ..Location::default()
        }
    }
    pub fn line(line: u64) -> Self {
        Location {
            line: Some(line),
            ..Location::default()
        }
    }
}

/// How byte offsets in a segment's text map to byte offsets in the source.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Offsets {
    /// No byte mapping (the text was assembled, e.g. from PDF glyphs).
    #[default]
    None,
    /// Text byte `i` is source byte `base + i` (UTF-8 input read as is).
    Linear(u64),
    /// Sorted checkpoints `(text offset, source offset)`; between two
    /// checkpoints the mapping is linear. Used after re-encoding (Windows-1252,
    /// UTF-16) so that each character's source position is known.
    Table(Vec<(u32, u64)>),
}

impl Offsets {
    /// The source byte offset of text offset `at`, when known.
    pub fn source(&self, at: usize) -> Option<u64> {
        match self {
            Offsets::None => None,
            Offsets::Linear(base) => Some(base + at as u64),
            Offsets::Table(points) => {
                let at = at as u32;
                let i = points.partition_point(|&(t, _)| t <= at);
                if i == 0 {
                    return points.first().map(|&(_, s)| s);
                }
                let (t, s) = points[i - 1];
                Some(s + u64::from(at - t))
            }
        }
    }
}

/// One piece of extracted text and its origin.
#[derive(Clone, Debug, Default)]
pub struct Segment {
    /// The text, NFC and with the reader's own decoding applied.
    pub text: String,
    /// Where the segment starts. When `loc.line` is set, lines are counted
    /// from it: a finding's line is `loc.line` plus the newlines before it.
    pub loc: Location,
    /// A label that gives the text meaning: a column header, a JSON key, an
    /// e-mail header name. Detectors use it as context ("BSN" over a column).
    pub label: Option<String>,
    /// Text offsets to source offsets.
    pub offsets: Offsets,
    /// For overlapping chunks of a streamed file: only findings that start in
    /// this range belong to this segment (the rest is context).
    pub own: Option<std::ops::Range<usize>>,
}

impl Segment {
    pub fn new(text: impl Into<String>, loc: Location) -> Self {
        Segment {
            text: text.into(),
            loc,
            label: None,
            offsets: Offsets::None,
            own: None,
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_offsets(mut self, offsets: Offsets) -> Self {
        self.offsets = offsets;
        self
    }

    /// The location of the text range `start..end` of this segment.
    pub fn locate(&self, start: usize, end: usize) -> Location {
        let mut loc = self.loc.clone();
        if let Some(first) = self.loc.line {
            let before = &self.text.as_bytes()[..start.min(self.text.len())];
            loc.line = Some(first + memchr::memchr_iter(b'\n', before).count() as u64);
        }
        if let (Some(s), Some(e)) = (self.offsets.source(start), self.offsets.source(end)) {
            loc.byte_start = Some(s);
            loc.byte_end = Some(e);
        }
        loc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_offsets_and_lines() {
        let seg =
            Segment::new("a\nb\nBSN 123", Location::line(10)).with_offsets(Offsets::Linear(100));
        let loc = seg.locate(8, 11);
        assert_eq!(loc.line, Some(12));
        assert_eq!((loc.byte_start, loc.byte_end), (Some(108), Some(111)));
    }

    #[test]
    fn table_offsets_interpolate() {
        // "é" is 2 text bytes for 1 source byte at source 5.
        let o = Offsets::Table(vec![(0, 0), (5, 5), (7, 6)]);
        assert_eq!(o.source(3), Some(3));
        assert_eq!(o.source(5), Some(5));
        assert_eq!(o.source(7), Some(6));
        assert_eq!(o.source(9), Some(8));
    }

    #[test]
    fn no_line_when_unknown() {
        let seg = Segment::new("x\ny", Location::page(2));
        let loc = seg.locate(2, 3);
        assert_eq!(loc.page, Some(2));
        assert_eq!(loc.line, None);
        assert_eq!(loc.byte_start, None);
    }
}
