//! `jsonl` (one record per line, the SPEC's machine format) and `json` (one
//! document: files, findings, summary).

use super::{round2, Report};
use crate::baseline::Fingerprints;
use crate::record::{FileResult, FindingRecord, Record, Summary};
use std::io::{self, Write};

fn rounded(f: &FindingRecord) -> FindingRecord {
    let mut f = f.clone();
    f.confidence = round2(f.confidence) as f32;
    f
}

pub struct JsonLines<'w> {
    out: Box<dyn Write + 'w>,
    fingerprints: Option<Fingerprints>,
    buf: Vec<u8>,
}

impl<'w> JsonLines<'w> {
    pub fn new(out: Box<dyn Write + 'w>, fingerprints: Option<Fingerprints>) -> Self {
        JsonLines {
            out,
            fingerprints,
            buf: Vec::new(),
        }
    }
}

impl Report for JsonLines<'_> {
    fn file(&mut self, r: &FileResult) -> io::Result<()> {
        for f in &r.findings {
            match self.fingerprints.as_ref().and_then(|fp| fp.of(f)) {
                None => serde_json::to_writer(&mut self.out, &Record::Finding(&rounded(f)))?,
                Some(fp) => {
                    // The record with one more field, `fingerprint`, at the end.
                    self.buf.clear();
                    serde_json::to_writer(&mut self.buf, &Record::Finding(&rounded(f)))?;
                    self.buf.pop();
                    self.buf.extend_from_slice(b",\"fingerprint\":\"");
                    self.buf.extend_from_slice(fp.as_bytes());
                    self.buf.extend_from_slice(b"\"}");
                    self.out.write_all(&self.buf)?;
                }
            }
            self.out.write_all(b"\n")?;
        }
        serde_json::to_writer(&mut self.out, &Record::File(&r.file))?;
        self.out.write_all(b"\n")
    }

    fn finish(&mut self, s: &Summary) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, &Record::Summary(s))?;
        self.out.write_all(b"\n")?;
        self.out.flush()
    }
}

/// A single JSON document. Findings and files are streamed into two arrays
/// written as the run goes, so memory stays bounded.
pub struct JsonDocument<'w> {
    out: Box<dyn Write + 'w>,
    files: Vec<u8>,
    first_finding: bool,
    first_file: bool,
}

impl<'w> JsonDocument<'w> {
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        JsonDocument {
            out,
            files: Vec::new(),
            first_finding: true,
            first_file: true,
        }
    }
}

impl Report for JsonDocument<'_> {
    fn file(&mut self, r: &FileResult) -> io::Result<()> {
        for f in &r.findings {
            self.out.write_all(if self.first_finding {
                b"{\"findings\":[\n"
            } else {
                b",\n"
            })?;
            self.first_finding = false;
            serde_json::to_writer(&mut self.out, &Record::Finding(&rounded(f)))?;
        }
        if !self.first_file {
            self.files.extend_from_slice(b",\n");
        }
        self.first_file = false;
        serde_json::to_writer(&mut self.files, &Record::File(&r.file))?;
        Ok(())
    }

    fn finish(&mut self, s: &Summary) -> io::Result<()> {
        if self.first_finding {
            self.out.write_all(b"{\"findings\":[")?;
        }
        self.out.write_all(b"\n],\"files\":[\n")?;
        self.out.write_all(&self.files)?;
        self.out.write_all(b"\n],\"summary\":")?;
        serde_json::to_writer(&mut self.out, &Record::Summary(s))?;
        self.out.write_all(b"}\n")?;
        self.out.flush()
    }
}
