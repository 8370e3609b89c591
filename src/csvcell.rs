//! The CSV files zwartlak writes itself (the `--format csv` report, the
//! redaction audit): every cell goes through [`inert`] so that a spreadsheet
//! opening the file never runs a formula planted in a file name or value
//! (CSV injection, OWASP). Redacted copies of the user's own CSV files are
//! not written here: they keep the input's cells as they were.

use std::borrow::Cow;
use std::io::{self, Write};

/// `cell` made inert for spreadsheets: a cell starting with `=`, `+`, `-`,
/// `@`, tab or carriage return gets a leading single quote (OWASP's advice),
/// anything else is left as it is.
pub fn inert(cell: &str) -> Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// A CSV writer whose every cell passes through [`inert`].
pub struct CsvWriter<W: Write> {
    w: ::csv::Writer<W>,
}

impl<W: Write> CsvWriter<W> {
    /// A writer with the `csv` crate's defaults (comma, quotes as needed).
    pub fn new(out: W) -> Self {
        CsvWriter {
            w: ::csv::Writer::from_writer(out),
        }
    }

    /// Write one row.
    pub fn write_record<'a>(&mut self, cells: impl IntoIterator<Item = &'a str>) -> io::Result<()> {
        self.w
            .write_record(cells.into_iter().map(|c| match inert(c) {
                Cow::Borrowed(b) => Cow::Borrowed(b.as_bytes()),
                Cow::Owned(o) => Cow::Owned(o.into_bytes()),
            }))
            .map_err(io::Error::other)
    }

    /// Flush what was written.
    pub fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_get_a_quote() {
        for c in ["=1+1", "+31", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(inert(c), format!("'{c}"));
        }
        for c in ["", "a=1", "'=x", " =x", "page=2", "06-12"] {
            assert_eq!(inert(c), c);
        }
    }

    #[test]
    fn written_cells_read_back_inert() {
        let mut buf = Vec::new();
        let mut w = CsvWriter::new(&mut buf);
        w.write_record(["=HYPERLINK(\"http://x\",\"y\")", "gewoon", "-1"])
            .unwrap();
        w.flush().unwrap();
        drop(w);
        let mut r = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&buf[..]);
        let row = r.records().next().unwrap().unwrap();
        assert_eq!(&row[0], "'=HYPERLINK(\"http://x\",\"y\")");
        assert_eq!(&row[1], "gewoon");
        assert_eq!(&row[2], "'-1");
    }
}
