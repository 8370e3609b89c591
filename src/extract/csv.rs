//! CSV and TSV: every cell is a segment with its column header as label, its
//! column (cells under the header row) and its `cell` (A1) and `line` as
//! location. The delimiter is sniffed (`;`, `,`,
//! tab, `|`) unless the format fixes it.

use super::text::{decode_all, stream_chunks};
use super::{ExtractError, ReadCtx, Reader, Sink, Source};
use crate::document::{Column, Location, Segment};

/// The reader of CSV and TSV: one segment per cell, labelled with its column header.
pub struct CsvReader {
    /// The field delimiter; `None` to sniff it from the text.
    pub delimiter: Option<u8>,
}

pub use crate::document::column_name;

/// Pick the delimiter that splits the first lines most consistently.
pub fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    let mut best = (b',', 0usize);
    for d in [b';', b',', b'\t', b'|'] {
        let counts: Vec<usize> = lines
            .iter()
            .map(|l| l.bytes().filter(|&b| b == d).count())
            .collect();
        let Some(&first) = counts.first() else {
            continue;
        };
        if first == 0 {
            continue;
        }
        let consistent = counts.iter().filter(|&&c| c == first).count();
        let score = consistent * 1000 + first;
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

/// Rows read between two looks at the clock.
const CHECK_EVERY: usize = 1024;

impl Reader for CsvReader {
    fn read(
        &self,
        src: &Source,
        ctx: &ReadCtx<'_>,
        sink: &mut dyn Sink,
    ) -> Result<(), ExtractError> {
        if src.len() > ctx.limits.stream_threshold {
            // Very large exports: read as streamed text (no column labels).
            return stream_chunks(src, ctx, sink);
        }
        let bytes = src.bytes()?;
        let (text, _) = decode_all(&bytes);
        let delimiter = self.delimiter.unwrap_or_else(|| sniff_delimiter(&text));
        let mut rdr = ::csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut headers: Vec<String> = Vec::new();
        let mut record = ::csv::StringRecord::new();
        let mut row = 0usize;
        let (mut line_no, mut counted_to) = (1u64, 0usize);
        loop {
            match rdr.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => return Err(ExtractError::parse("csv", format!("row {}: {e}", row + 1))),
            }
            row += 1;
            if row.is_multiple_of(CHECK_EVERY) {
                ctx.check()?;
            }
            // The record's first line, counted from its byte offset.
            // (csv reports the offset just after the previous record's
            // terminator-less end, so skip line breaks to the record itself.)
            let mut at = record
                .position()
                .map_or(counted_to, |p| p.byte() as usize)
                .min(text.len());
            while at < text.len() && matches!(text.as_bytes()[at], b'\r' | b'\n') {
                at += 1;
            }
            if at >= counted_to {
                line_no +=
                    memchr::memchr_iter(b'\n', &text.as_bytes()[counted_to..at]).count() as u64;
                counted_to = at;
            }
            let line = line_no;
            if row == 1 {
                headers = record.iter().map(|h| h.trim().to_string()).collect();
            }
            for (col, field) in record.iter().enumerate() {
                if field.trim().is_empty() {
                    continue;
                }
                let mut loc = Location::line(line);
                loc.cell = Some(format!("{}{}", column_name(col), row));
                let mut seg = Segment::new(field, loc);
                if row > 1 {
                    seg = seg.in_column(Column {
                        table: 0,
                        index: col as u32,
                    });
                    if let Some(h) = headers.get(col).filter(|h| !h.is_empty()) {
                        seg = seg.with_label(h.clone());
                    }
                }
                sink.segment(seg);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testutil::run;

    /// The segments of `text` read as CSV, the delimiter sniffed.
    fn cells(text: &[u8]) -> Vec<Segment> {
        run(&CsvReader { delimiter: None }, text.to_vec())
            .unwrap()
            .segs
    }

    #[test]
    fn cells_past_column_z_are_named_as_in_a_spreadsheet() {
        let row = |p: &str| (1..=28).map(|i| format!("{p}{i}")).collect::<Vec<_>>();
        let text = format!("{}\n{}\n", row("kolom").join(";"), row("w").join(";"));
        let segs = cells(text.as_bytes());
        let at = |t: &str| {
            let s = segs.iter().find(|s| s.text == t).unwrap();
            (s.loc.cell.as_deref(), s.label.as_deref())
        };
        assert_eq!(at("w26"), (Some("Z2"), Some("kolom26")));
        assert_eq!(at("w27"), (Some("AA2"), Some("kolom27")));
        assert_eq!(at("w28"), (Some("AB2"), Some("kolom28")));
        assert_eq!(at("kolom28"), (Some("AB1"), None));
    }

    #[test]
    fn cells_have_labels_and_lines() {
        let segs = cells(b"Naam;BSN\r\nJan;111222333\r\n\"Piet\nK.\";123456782\r\nX;1\r\n");
        type Row<'a> = (&'a str, Option<u64>, Option<&'a str>, Option<&'a str>);
        let bsn: Vec<Row> = segs
            .iter()
            .map(|s| {
                (
                    s.text.as_str(),
                    s.loc.line,
                    s.loc.cell.as_deref(),
                    s.label.as_deref(),
                )
            })
            .collect();
        assert_eq!(bsn[2], ("Jan", Some(2), Some("A2"), Some("Naam")));
        assert_eq!(bsn[3], ("111222333", Some(2), Some("B2"), Some("BSN")));
        assert_eq!(bsn[5], ("123456782", Some(3), Some("B3"), Some("BSN")));
        assert_eq!(bsn[6], ("X", Some(5), Some("A4"), Some("Naam")));
    }

    #[test]
    fn sniffs() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3\n"), b';');
        assert_eq!(sniff_delimiter("a,b\n1,2\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), b'\t');
        assert_eq!(sniff_delimiter("a;b,c\n1;2,3\n4;5\n"), b';');
    }
}
