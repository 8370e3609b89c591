//! Reports: file results to an output format. Every format implements
//! [`Report`]; the pipeline feeds it file results in a stable order and then
//! the summary.

mod csv;
mod json;
mod text;

use crate::record::{FileResult, Summary};
use std::io::{self, Write};

/// Output formats of `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Jsonl,
    Csv,
}

/// A report being written.
pub trait Report {
    fn file(&mut self, result: &FileResult) -> io::Result<()>;
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;
}

/// A report of `format` written to `out`. `color` is for the text format on a terminal.
pub fn new<'w>(format: Format, out: Box<dyn Write + 'w>, color: bool) -> Box<dyn Report + 'w> {
    match format {
        Format::Text => Box::new(text::TextReport::new(out, color)),
        Format::Jsonl => Box::new(json::JsonLines::new(out)),
        Format::Json => Box::new(json::JsonDocument::new(out)),
        Format::Csv => Box::new(csv::CsvReport::new(out)),
    }
}

/// Confidence rounded to two decimals for output.
pub(crate) fn round2(x: f32) -> f64 {
    (f64::from(x) * 100.0).round() / 100.0
}
