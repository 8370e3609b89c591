//! `csv`: one row per finding, then one row per file that was not scanned
//! cleanly (skipped, error, needs_review), so problems are not lost. The
//! last column, `roster`, is the roster row's id of a finding (`--roster`).
//! Cells are made inert against formula injection ([`crate::csvcell`]).

use super::{round2, Report};
use crate::csvcell::CsvWriter;
use crate::record::{FileResult, Status, Summary};
use std::io::{self, Write};

pub struct CsvReport<'w> {
    w: CsvWriter<Box<dyn Write + 'w>>,
    header: bool,
}

impl<'w> CsvReport<'w> {
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        CsvReport {
            w: CsvWriter::new(out),
            header: false,
        }
    }
}

impl Report for CsvReport<'_> {
    fn file(&mut self, r: &FileResult) -> io::Result<()> {
        if !self.header {
            self.w.write_record([
                "record",
                "path",
                "kind",
                "value",
                "confidence",
                "owner",
                "location",
                "status",
                "reason",
                "roster",
            ])?;
            self.header = true;
        }
        for f in &r.findings {
            let loc = serde_json::to_string(&f.location)?;
            self.w.write_record([
                "finding",
                &f.path,
                f.kind.as_str(),
                &f.value,
                &round2(f.confidence).to_string(),
                f.owner.map(|o| o.as_str()).unwrap_or(""),
                &loc,
                "",
                "",
                f.roster.as_deref().unwrap_or(""),
            ])?;
        }
        if r.file.status != Status::Scanned {
            self.w.write_record([
                "file",
                &r.file.path,
                "",
                "",
                "",
                "",
                "",
                r.file.status.as_str(),
                r.file.reason.as_deref().unwrap_or(""),
                "",
            ])?;
        }
        Ok(())
    }

    fn finish(&mut self, _: &Summary) -> io::Result<()> {
        self.w.flush()
    }
}
