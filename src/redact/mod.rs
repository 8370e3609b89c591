//! Redaction: write a copy of every input with third-party personal data
//! replaced, in the same format.
//!
//! Owns what every format's redactor shares: the [`Redactor`] trait a format
//! implements, the replacement [`Style`]s, [`Edit`]s and [`apply`], the
//! [`RedactError`]s and the [`Redaction`] run itself. The work is split by
//! job: [`plan`] decides what happens to each finding and each file
//! ([`Cx::plan`]: which spans of a text are replaced, by what, and why; the
//! run-wide pseudonym [`Register`] is built from its mentions), [`run`] is
//! the per-file loop (read, redact, re-scan fail-closed, write; in parallel,
//! in walk order, within each file's time budget), [`names`] replaces
//! personal data in the names of copies and archive members, and
//! [`outputs`] decides where copies go and writes them atomically. The audit rows are in
//! [`audit`].
//!
//! Formats live in submodules: plain text, CSV, JSON and markup in [`text`],
//! e-mail in [`eml`], archives in [`zip`], word-processing documents in
//! [`docx`] and workbooks in [`xlsx`] (both on the package rewriting of
//! [`ooxml`]), PDF (true removal of glyphs) in [`pdf`]. Workbooks without an
//! in-place redactor (XLS, XLSB, ODS) are written anew as XLSX by
//! [`convert`]: the redactor reports that on [`Cx::converted`], the copy gets
//! the `.xlsx` name planned for it ([`Job::converted_out`]), and the audit and
//! the file record say so. A format without a redactor is never written: its
//! file is reported as `needs_review`; the legacy formats (`.msg`, `.doc`,
//! `.rtf`) are read and their findings listed, but not written ([`legacy`]).

pub mod audit;
pub mod columns;
pub mod docx;
pub mod eml;
pub mod legacy;
pub mod names;
pub mod ooxml;
pub mod outputs;
pub mod pdf;
pub mod plan;
pub mod register;
pub mod run;
pub mod text;
pub mod workbook;
pub mod zip;

use crate::extract::{ExtractError, Format};
use crate::record::Status;
use crate::scan::Scanner;
pub use workbook::{convert, xlsx};

pub use audit::AuditRow;
pub use outputs::{
    check_out_dir, close_release, open_release, plan_outputs, remove_stale, same_names,
    write_atomic, Job,
};
pub use plan::{Conversion, Cx, Mention};
pub use register::Register;
pub use run::{Outcome, Released};

/// What a redacted value is replaced by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Style {
    /// The kind's label: `[naam]`, `[BSN]`, `[IBAN]` ...
    #[default]
    Label,
    /// `[persoon 1]`: the same third party gets the same number in the whole run.
    Pseudonym,
    /// `█` for every character (whitespace kept).
    Box,
}

/// The character a `box` redaction writes (encodings without it use `#`).
pub const BOX: char = '█';

/// Why a file could not be redacted. `Review` and `Unsupported` become a
/// `needs_review` record, the others an `error` record; the file is not written.
#[derive(Debug, thiserror::Error)]
pub enum RedactError {
    #[error("no redactor for {0} files yet: not written")]
    /// No redactor exists for this format yet.
    Unsupported(&'static str),
    #[error("{0}")]
    /// Part of the file cannot be redacted safely; the message says what.
    Review(String),
    #[error(transparent)]
    /// The file could not be read.
    Extract(#[from] ExtractError),
    #[error("{0}")]
    /// The file could not be redacted; the message says why.
    Failed(String),
}

impl RedactError {
    fn status(&self) -> Status {
        match self {
            RedactError::Unsupported(_) | RedactError::Review(_) => Status::NeedsReview,
            RedactError::Extract(_) | RedactError::Failed(_) => Status::Error,
        }
    }
}

/// A format's redactor: the bytes of one file in, the redacted bytes out.
/// It extracts text the way the format's reader does, asks [`Cx::plan`]
/// what to replace, and writes the result in the same format, or, when it
/// cannot, in another one that it names on [`Cx::converted`].
pub trait Redactor: Sync {
    /// The redacted copy of `input`, with findings planned through `cx`.
    fn redact(&self, input: &[u8], cx: &mut Cx<'_>) -> Result<Vec<u8>, RedactError>;
}

/// The redactor of a format, or `None` when there is none yet.
pub fn redactor_for(format: Format) -> Option<&'static dyn Redactor> {
    Some(match format {
        Format::Text => &text::TextRedactor,
        Format::Csv => &text::CsvRedactor { delimiter: None },
        Format::Tsv => &text::CsvRedactor {
            delimiter: Some(b'\t'),
        },
        Format::Json => &text::JsonRedactor,
        Format::Xml => &text::MarkupRedactor { html: false },
        Format::Html => &text::MarkupRedactor { html: true },
        Format::Eml => &eml::EmlRedactor,
        Format::Zip => &zip::ZipRedactor,
        Format::Docx => &docx::DocxRedactor,
        Format::Spreadsheet => &xlsx::XlsxRedactor,
        Format::Pdf => &pdf::PdfRedactor,
        Format::Msg => &legacy::LegacyRedactor {
            format: Format::Msg,
        },
        Format::Doc => &legacy::LegacyRedactor {
            format: Format::Doc,
        },
        Format::Rtf => &legacy::LegacyRedactor {
            format: Format::Rtf,
        },
    })
}

/// One replacement in a text: bytes `start..end` become `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// Byte offset of the replaced range's start.
    pub start: usize,
    /// Byte offset of the replaced range's end (exclusive).
    pub end: usize,
    /// The replacement text.
    pub text: String,
}

/// Apply sorted, non-overlapping edits to `text`.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        if e.start < at || e.end > text.len() {
            continue;
        }
        out.push_str(&text[at..e.start]);
        out.push_str(&e.text);
        at = e.end;
    }
    out.push_str(&text[at..]);
    out
}

/// A redaction run: the scanner (detectors, owners, limits) and the style.
pub struct Redaction {
    /// Detectors, owners and limits, as for a scan.
    pub scanner: Scanner,
    /// What a redacted value is replaced by.
    pub style: Style,
    /// The pseudonym numbers of third parties (for [`Style::Pseudonym`]).
    pub register: Register,
}

impl Redaction {
    /// A run with `scanner`'s detectors, people, limits and threads.
    pub fn new(scanner: Scanner, style: Style) -> Self {
        Redaction {
            scanner,
            style,
            register: Register::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribute::People;
    use crate::detect::{Engine, Filter};
    use crate::scan::ScanOptions;

    /// A run with the built-in detectors, one thread and, when given, the
    /// subject described by the TOML `subject`.
    pub(crate) fn redaction(style: Style, subject: Option<&str>) -> Redaction {
        let people = subject.map(|s| {
            let dir = tempfile::tempdir().unwrap();
            let p = dir.path().join("s.toml");
            std::fs::write(&p, s).unwrap();
            People::from_files(Some(&p), None).unwrap()
        });
        Redaction::new(
            Scanner::new(
                Engine::builtin(Filter::default()).unwrap(),
                ScanOptions {
                    people,
                    threads: 1,
                    ..ScanOptions::default()
                },
            ),
            style,
        )
    }
}
