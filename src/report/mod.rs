//! Reports: file results to an output format. Every format implements
//! [`Report`]; the pipeline feeds it file results in a stable order and then
//! the summary.

mod csv;
mod html;
mod json;
mod sarif;
mod text;

use crate::baseline::Fingerprints;
use crate::record::{FileResult, Summary};
pub use sarif::{
    root_uri, DEFAULT_MAX_RESULTS as SARIF_MAX_RESULTS, MIN_MAX_RESULTS as SARIF_MIN_RESULTS,
};
use std::io::{self, Write};

/// Output formats of `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable text.
    Text,
    /// One JSON document holding all records.
    Json,
    /// JSON Lines: one record per line, as the SPEC fixes them.
    Jsonl,
    /// CSV: one row per finding, then one per file not scanned cleanly.
    Csv,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// One self-contained HTML page for a privacy officer.
    Html,
}

/// A report being written.
pub trait Report {
    /// Write the records of one file (called in walk order).
    fn file(&mut self, result: &FileResult) -> io::Result<()>;
    /// Write the summary and end the report (called once, last).
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;
}

/// Options beyond the format.
#[derive(Clone, Default)]
pub struct ReportOptions {
    /// Colors (the text format on a terminal).
    pub color: bool,
    /// Keyed fingerprints: `jsonl` adds a `fingerprint` field to findings,
    /// `sarif` fills `partialFingerprints`.
    pub fingerprints: Option<Fingerprints>,
    /// A title for the HTML report (e.g. the scanned folder).
    pub title: Option<String>,
    /// `sarif`: the `file://` URI of the folder the paths are relative to
    /// ([`root_uri`]); `None` when unknown (a merge).
    pub root: Option<String>,
    /// `sarif`: results per run at most; `None` is [`SARIF_MAX_RESULTS`].
    pub max_results: Option<usize>,
}

/// A report of `format` written to `out`. `color` is for the text format on a terminal.
pub fn new<'w>(format: Format, out: Box<dyn Write + 'w>, color: bool) -> Box<dyn Report + 'w> {
    with_options(
        format,
        out,
        ReportOptions {
            color,
            ..ReportOptions::default()
        },
    )
}

/// A report of `format` written to `out`, with options.
pub fn with_options<'w>(
    format: Format,
    out: Box<dyn Write + 'w>,
    opts: ReportOptions,
) -> Box<dyn Report + 'w> {
    match format {
        Format::Text => Box::new(text::TextReport::new(out, opts.color)),
        Format::Jsonl => Box::new(json::JsonLines::new(out, opts.fingerprints)),
        Format::Json => Box::new(json::JsonDocument::new(out)),
        Format::Csv => Box::new(csv::CsvReport::new(out)),
        Format::Sarif => Box::new(sarif::SarifReport::new(
            out,
            opts.fingerprints,
            opts.root,
            opts.max_results.unwrap_or(SARIF_MAX_RESULTS),
        )),
        Format::Html => Box::new(html::HtmlReport::new(out, opts.title)),
    }
}

/// Confidence rounded to two decimals for output.
pub(crate) fn round2(x: f32) -> f64 {
    (f64::from(x) * 100.0).round() / 100.0
}
