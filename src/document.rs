//! The document model that extraction produces and detection consumes.
//!
//! A document is a stream of [`Segment`]s: pieces of text, each knowing where it
//! came from (page, sheet + cell, part, line, source byte range). Redaction maps a
//! finding back to its source through the same model, so "what we found" and
//! "where it stands" cannot drift apart.

use serde::{Deserialize, Serialize};

/// Where a piece of text (or a finding) stands in its file. Every field is
/// optional; a reader fills in what fits its format.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    /// 1-based page number (PDF).
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// 1-based line number (text formats), see [`Segment::loc`].
    pub line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Sheet name (spreadsheets).
    pub sheet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Cell reference such as `B7` (spreadsheets).
    pub cell: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The part of a container the text came from (a DOCX part, an e-mail header).
    pub part: Option<String>,
    /// Paragraph index within `part` (word processing documents). When it is
    /// set, `byte_start`/`byte_end` count within that paragraph's text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Start of the text in the source file's bytes, when the reader knows it.
    pub byte_start: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// End (exclusive) of the text in the source file's bytes, when the reader knows it.
    pub byte_end: Option<u64>,
}

impl Location {
    /// For people: "page 2, cell B7, line 12".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(p) = self.page {
            parts.push(format!("page {p}"));
        }
        if let Some(s) = &self.sheet {
            parts.push(format!("sheet {s}"));
        }
        if let Some(c) = &self.cell {
            parts.push(format!("cell {c}"));
        }
        if let Some(p) = &self.part {
            parts.push(p.clone());
        }
        if let Some(n) = self.line {
            parts.push(format!("line {n}"));
        }
        parts.join(", ")
    }

    /// A location with only `part` set.
    pub fn part(part: impl Into<String>) -> Self {
        Location {
            part: Some(part.into()),
            ..Location::default()
        }
    }
    /// A location with only `page` set.
    pub fn page(page: u32) -> Self {
        Location {
            page: Some(page),
            ..Location::default()
        }
    }
    /// A location with only `sheet` and `cell` set.
    pub fn cell(sheet: impl Into<String>, cell: impl Into<String>) -> Self {
        Location {
            sheet: Some(sheet.into()),
            cell: Some(cell.into()),
            ..Location::default()
        }
    }
    /// A location with only `line` set.
    pub fn line(line: u64) -> Self {
        Location {
            line: Some(line),
            ..Location::default()
        }
    }
}

/// Column letters of a zero-based column index, as in A1 cell references
/// (0 -> A, 26 -> AA); CSV and spreadsheet readers share them.
pub fn column_name(mut col: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// The column of a table a cell belongs to: tables are numbered per file by
/// their reader (a sheet, an array of JSON records), columns within a table.
/// Cells of one column are judged together (`detect::columns`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Column {
    /// The table within the file.
    pub table: u32,
    /// The column within the table.
    pub index: u32,
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

impl Offsets {
    /// The text offset of source offset `src` (the inverse of [`Offsets::source`]),
    /// at most `len`. Without a mapping, `src` itself.
    pub fn text_at(&self, src: u64, len: usize) -> usize {
        let t = match self {
            Offsets::None => src as usize,
            Offsets::Linear(base) => src.saturating_sub(*base) as usize,
            Offsets::Table(points) => {
                let i = points.partition_point(|&(_, s)| s <= src);
                if i == 0 {
                    0
                } else {
                    let (t, s) = points[i - 1];
                    let next = points.get(i).map_or(usize::MAX, |&(nt, _)| nt as usize);
                    (t as usize + (src - s) as usize).min(next)
                }
            }
        };
        t.min(len)
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
    /// For a cell under a table's header row: its column. Header cells have none.
    pub column: Option<Column>,
}

impl Segment {
    /// A segment of `text` starting at `loc`, without label, offsets or owned range.
    pub fn new(text: impl Into<String>, loc: Location) -> Self {
        Segment {
            text: text.into(),
            loc,
            label: None,
            offsets: Offsets::None,
            own: None,
            column: None,
        }
    }

    /// The segment as a cell of `column`.
    pub fn in_column(mut self, column: Column) -> Self {
        self.column = Some(column);
        self
    }

    /// The segment with `label` as its label.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// The segment with `offsets` as its text-to-source map.
    pub fn with_offsets(mut self, offsets: Offsets) -> Self {
        self.offsets = offsets;
        self
    }

    /// The location of the text range `start..end` of this segment.
    pub fn locate(&self, start: usize, end: usize) -> Location {
        Locator::new(self).locate(start, end)
    }
}

/// Locates many ranges of one segment. Lines are counted incrementally, so
/// ranges given in increasing order cost one pass over the text in all.
pub struct Locator<'a> {
    seg: &'a Segment,
    at: usize,
    line: u64,
}

impl<'a> Locator<'a> {
    /// A locator at the start of `seg`.
    pub fn new(seg: &'a Segment) -> Self {
        Locator {
            seg,
            at: 0,
            line: seg.loc.line.unwrap_or(0),
        }
    }

    /// The location of the text range `start..end` of the segment; fastest when called with increasing `start`.
    pub fn locate(&mut self, start: usize, end: usize) -> Location {
        let seg = self.seg;
        let mut loc = seg.loc.clone();
        if seg.loc.line.is_some() {
            let start = start.min(seg.text.len());
            if start < self.at {
                self.at = 0;
                self.line = seg.loc.line.unwrap_or(0);
            }
            self.line +=
                memchr::memchr_iter(b'\n', &seg.text.as_bytes()[self.at..start]).count() as u64;
            self.at = start;
            loc.line = Some(self.line);
        }
        if let (Some(s), Some(e)) = (seg.offsets.source(start), seg.offsets.source(end)) {
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
    fn column_names() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27), "AB");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }

    #[test]
    fn linear_offsets_and_lines() {
        let seg =
            Segment::new("a\nb\nBSN 123", Location::line(10)).with_offsets(Offsets::Linear(100));
        let loc = seg.locate(8, 11);
        assert_eq!(loc.line, Some(12));
        assert_eq!((loc.byte_start, loc.byte_end), (Some(108), Some(111)));
    }

    #[test]
    fn locator_counts_incrementally_and_rewinds() {
        let seg = Segment::new("a\nb\nc\nd", Location::line(1));
        let mut l = Locator::new(&seg);
        assert_eq!(l.locate(2, 3).line, Some(2));
        assert_eq!(l.locate(6, 7).line, Some(4));
        assert_eq!(l.locate(0, 1).line, Some(1));
        assert_eq!(l.locate(4, 5).line, Some(3));
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
    fn text_at_inverts_source() {
        let o = Offsets::Table(vec![(0, 0), (5, 5), (7, 6)]);
        for t in [0, 3, 5, 7, 9] {
            assert_eq!(o.text_at(o.source(t).unwrap(), 100), t);
        }
        assert_eq!(Offsets::Linear(10).text_at(15, 100), 5);
        assert_eq!(Offsets::Linear(10).text_at(500, 100), 100);
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
