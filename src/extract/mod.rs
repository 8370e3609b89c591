//! Extraction: bytes of one file to a stream of [`Segment`]s.
//!
//! Owns format detection (magic bytes first, then the extension), the
//! [`Reader`] trait every format implements, the [`Sink`] a reader writes to,
//! and the per-file [`Limits`]. Readers never panic on bad input: they return an
//! [`ExtractError`], and the pipeline turns it into an `error` record.

pub mod csv;
pub mod eml;
pub mod json;
pub mod markup;
pub mod msg;
pub mod office;
pub mod pdf;
pub mod rtf;
pub mod strings;
#[cfg(test)]
pub(crate) mod testutil;
pub mod text;
pub mod zip;

use crate::container::{ole, ArchiveLimits, ContainerError};
use crate::document::Segment;
use std::borrow::Cow;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The formats zwartlak reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text (any encoding the text reader decodes).
    Text,
    /// Comma-separated values.
    Csv,
    /// Tab-separated values.
    Tsv,
    /// JSON or JSON Lines.
    Json,
    /// XML.
    Xml,
    /// HTML.
    Html,
    /// An e-mail message (RFC 5322 / MIME).
    Eml,
    /// A zip archive.
    Zip,
    /// A PDF document.
    Pdf,
    /// A Word document (DOCX).
    Docx,
    /// A spreadsheet (XLSX, XLSM, XLSB, XLS, ODS).
    Spreadsheet,
    /// An Outlook message (`.msg`, OLE).
    Msg,
    /// A Word 97–2003 document (`.doc`, `.dot`, OLE).
    Doc,
    /// A Rich Text Format document.
    Rtf,
}

impl Format {
    /// The lower-case name of the format, as in the `format` field of file records.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Json => "json",
            Format::Xml => "xml",
            Format::Html => "html",
            Format::Eml => "eml",
            Format::Zip => "zip",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Spreadsheet => "spreadsheet",
            Format::Msg => "msg",
            Format::Doc => "doc",
            Format::Rtf => "rtf",
        }
    }
}

/// What went wrong while reading one file. The message names the place.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("cannot read: {0}")]
    /// The file could not be read.
    Io(#[from] io::Error),
    #[error("{format}: {detail}")]
    /// The file is not valid in its format.
    Parse {
        /// The format's name.
        format: &'static str,
        /// What is wrong and where (never the content).
        detail: String,
    },
    #[error("limit exceeded: {0}")]
    /// A [`Limits`] bound was exceeded; the message says which.
    Limit(String),
    #[error("{0} reader is not available in this build")]
    /// The format's reader is not compiled into this build.
    Unsupported(&'static str),
}

impl From<ContainerError> for ExtractError {
    fn from(e: ContainerError) -> Self {
        match e {
            ContainerError::Parse { format, detail } => ExtractError::Parse { format, detail },
            ContainerError::Limit(m) => ExtractError::Limit(m),
        }
    }
}

impl ExtractError {
    /// A [`ExtractError::Parse`] for `format` with `detail`.
    pub fn parse(format: &'static str, detail: impl std::fmt::Display) -> Self {
        ExtractError::Parse {
            format,
            detail: detail.to_string(),
        }
    }
}

/// Per-file limits. Archives and containers check them while unpacking.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Files larger than this are skipped (`--max-filesize`).
    pub max_file_size: u64,
    /// Text files larger than this are streamed in chunks instead of read whole.
    pub stream_threshold: u64,
    /// Chunk size for streamed text.
    pub chunk_size: usize,
    /// Most entries read from one archive.
    pub max_entries: usize,
    /// Most bytes unpacked from one archive (all entries together).
    pub max_unpacked: u64,
    /// Highest compression ratio accepted for an entry (zip bombs).
    pub max_ratio: u64,
    /// Deepest nesting of archives and attachments.
    pub max_depth: u32,
    /// Largest in-memory container member (zip entry, attachment) read.
    pub max_member_size: u64,
    /// Most findings kept for one file; a file with more is listed with the
    /// first ones and marked `needs_review` (memory stays bounded).
    pub max_findings: usize,
    /// Time budget of one file on disk, members and attachments included
    /// (`--file-timeout`), in seconds. `0` means no budget.
    pub max_seconds: f64,
}

impl Limits {
    /// The limits an archive or package is opened and unpacked under.
    pub fn archive(&self) -> ArchiveLimits {
        ArchiveLimits {
            max_entries: self.max_entries,
            max_unpacked: self.max_unpacked,
            max_ratio: self.max_ratio,
            max_depth: self.max_depth,
            max_member_size: self.max_member_size,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: 2 << 30,
            stream_threshold: 32 << 20,
            chunk_size: 8 << 20,
            max_entries: 10_000,
            max_unpacked: 1 << 30,
            max_ratio: 200,
            max_depth: 5,
            max_member_size: 256 << 20,
            max_findings: 100_000,
            max_seconds: 60.0,
        }
    }
}

impl Limits {
    /// The default limits, for `--help`.
    pub fn describe(&self) -> String {
        let size = |b: u64| -> String {
            match b {
                b if b >= 1 << 30 && b % (1 << 30) == 0 => format!("{} GiB", b >> 30),
                b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
                b => format!("{b} bytes"),
            }
        };
        format!(
            "Limits (a file over one is an `error`, `needs_review` or `skipped` record, \
             and with --fail-on fails the gate unless --allow-unread):\n  \
             file size {} (--max-filesize), time per file {} s (--file-timeout),\n  \
             archives: {} entries, {} unpacked in all, compression ratio {}, nesting depth {},\n  \
             one archive member or attachment {}, findings per file {}",
            size(self.max_file_size),
            self.max_seconds,
            self.max_entries,
            size(self.max_unpacked),
            self.max_ratio,
            self.max_depth,
            size(self.max_member_size),
            self.max_findings,
        )
    }
}

/// Told how many bytes were read from a file on disk, as they are read
/// (for a progress display): streamed reads as they go, whole reads at once.
pub type ReadProgress = std::sync::Arc<dyn Fn(u64) + Send + Sync>;

/// The bytes of one file: on disk, or already in memory (a zip entry, an
/// e-mail attachment).
pub enum Source {
    /// A file on disk.
    File {
        /// Where the file is.
        path: PathBuf,
        /// Its length in bytes when the source was made.
        len: u64,
        /// Told how many bytes were read so far (progress display), if anyone listens.
        progress: Option<ReadProgress>,
    },
    /// Bytes held in memory.
    Memory(Vec<u8>),
}

impl Source {
    /// A file on disk, with its length read from its metadata.
    pub fn file(path: &Path) -> io::Result<Self> {
        Self::file_with_progress(path, None)
    }

    /// A file on disk whose reads are told to `progress`.
    pub fn file_with_progress(path: &Path, progress: Option<ReadProgress>) -> io::Result<Self> {
        let len = std::fs::metadata(path)?.len();
        Ok(Source::File {
            path: path.to_path_buf(),
            len,
            progress,
        })
    }

    /// Length of the content in bytes.
    pub fn len(&self) -> u64 {
        match self {
            Source::File { len, .. } => *len,
            Source::Memory(b) => b.len() as u64,
        }
    }

    /// Whether the content is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The first `n` bytes (fewer when the file is shorter).
    pub fn head(&self, n: usize) -> io::Result<Cow<'_, [u8]>> {
        match self {
            Source::Memory(b) => Ok(Cow::Borrowed(&b[..n.min(b.len())])),
            Source::File { path, .. } => {
                let mut buf = Vec::with_capacity(n);
                File::open(path)?.take(n as u64).read_to_end(&mut buf)?;
                Ok(Cow::Owned(buf))
            }
        }
    }

    /// Up to `len` bytes from `offset` (fewer at the end of the content).
    pub fn range(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        match self {
            Source::Memory(b) => {
                let start = usize::try_from(offset).unwrap_or(usize::MAX).min(b.len());
                Ok(b[start..b.len().min(start.saturating_add(len))].to_vec())
            }
            Source::File { path, .. } => {
                use std::io::Seek;
                let mut f = File::open(path)?;
                f.seek(io::SeekFrom::Start(offset))?;
                let mut buf = Vec::with_capacity(len);
                f.take(len as u64).read_to_end(&mut buf)?;
                Ok(buf)
            }
        }
    }

    /// All bytes.
    pub fn bytes(&self) -> io::Result<Cow<'_, [u8]>> {
        match self {
            Source::Memory(b) => Ok(Cow::Borrowed(b)),
            Source::File { path, progress, .. } => {
                let b = std::fs::read(path)?;
                if let Some(p) = progress {
                    p(b.len() as u64);
                }
                Ok(Cow::Owned(b))
            }
        }
    }

    /// A reader over all bytes, for streaming.
    pub fn reader(&self) -> io::Result<Box<dyn Read + '_>> {
        match self {
            Source::Memory(b) => Ok(Box::new(&b[..])),
            Source::File { path, progress, .. } => {
                let f = File::open(path)?;
                Ok(match progress {
                    Some(p) => Box::new(io::BufReader::with_capacity(
                        1 << 16,
                        Told { inner: f, told: p },
                    )),
                    None => Box::new(io::BufReader::with_capacity(1 << 16, f)),
                })
            }
        }
    }
}

/// A reader that tells its [`ReadProgress`] what it read.
struct Told<'a, R> {
    inner: R,
    told: &'a ReadProgress,
}

impl<R: Read> Read for Told<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        (self.told)(n as u64);
        Ok(n)
    }
}

/// Where a reader puts what it finds.
pub trait Sink {
    /// A piece of text with its origin.
    fn segment(&mut self, seg: Segment);
    /// A file inside this one (zip entry, attachment, embedded file). `name` is
    /// its path inside the container; it is scanned as a file of its own.
    fn embedded(&mut self, name: &str, data: Vec<u8>);
    /// Content that could not be read as text (an image-only page, an
    /// encrypted part). The file gets status `needs_review`.
    fn needs_review(&mut self, reason: String);
}

/// Context a reader gets besides its input.
pub struct ReadCtx<'a> {
    /// The limits that apply to the file.
    pub limits: &'a Limits,
    /// Nesting depth of this file (0 for a file on disk).
    pub depth: u32,
    /// When the time budget of the file runs out. Files inside a file share
    /// the deadline of the file on disk. `None`: no budget.
    pub deadline: Option<Instant>,
}

impl<'a> ReadCtx<'a> {
    /// A context without a deadline.
    pub fn new(limits: &'a Limits, depth: u32) -> Self {
        ReadCtx {
            limits,
            depth,
            deadline: None,
        }
    }

    /// The same context with the deadline `limits.max_seconds` from now
    /// (none when that is 0).
    pub fn with_budget(mut self) -> Self {
        self.deadline = deadline_from(self.limits);
        self
    }

    /// Whether the time budget is used up.
    pub fn expired(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// `Err(Limit)` once the time budget is used up. Readers call it in
    /// their loops (per page, part, sheet, entry, chunk, every N rows).
    pub fn check(&self) -> Result<(), ExtractError> {
        if self.expired() {
            Err(budget_error(self.limits))
        } else {
            Ok(())
        }
    }
}

/// The deadline of a file whose reading starts now.
pub fn deadline_from(limits: &Limits) -> Option<Instant> {
    let budget = Duration::try_from_secs_f64(limits.max_seconds).ok()?;
    if budget.is_zero() {
        return None;
    }
    Instant::now().checked_add(budget)
}

/// The error of a file over its time budget.
pub fn budget_error(limits: &Limits) -> ExtractError {
    ExtractError::Limit(format!(
        "time budget of {} s exceeded (--file-timeout)",
        limits.max_seconds
    ))
}

/// A format reader.
pub trait Reader: Sync {
    /// Read `src` and hand its text segments, embedded files and review notes to `sink`.
    fn read(
        &self,
        src: &Source,
        ctx: &ReadCtx<'_>,
        sink: &mut dyn Sink,
    ) -> Result<(), ExtractError>;
}

/// Decide the format of a file from its first bytes and its name. `None`
/// means an unknown binary file (it gets the strings pass,
/// [`strings::StringsReader`]). Text with some NUL or control bytes is text.
pub fn sniff(name: &str, head: &[u8]) -> Option<Format> {
    let ext = extension(name);
    if head.starts_with(b"%PDF")
        || (head.len() > 4
            && memchr::memmem::find(&head[..head.len().min(1024)], b"%PDF-").is_some())
    {
        return Some(Format::Pdf);
    }
    if rtf::looks_like_rtf(&head[..head.len().min(64)]) {
        return Some(Format::Rtf);
    }
    // A zip starts with a local header, or (empty archive) with the end
    // record. Zips with a prefix (self-extracting, "leading garbage") have
    // their first local header further on; a zip reader finds the central
    // directory from the end, so those open too. A `.zip` that has neither
    // goes to the zip reader anyway: it is an error record, not "skipped".
    let near = &head[..head.len().min(1024)];
    if head.starts_with(b"PK\x03\x04")
        || head.starts_with(b"PK\x05\x06")
        || memchr::memmem::find(near, b"PK\x03\x04").is_some()
        || (ext == "zip" && text::looks_binary(head))
    {
        return Some(match ext.as_str() {
            "docx" | "docm" | "dotx" | "odt" | "doc" | "dot" => Format::Docx,
            "xlsx" | "xlsm" | "xlsb" | "ods" => Format::Spreadsheet,
            _ => Format::Zip,
        });
    }
    if ole::is_ole(head) {
        // Encrypted OOXML packages are OLE files too; their readers say so.
        // Outlook messages and Word documents are known by the names in
        // their directory when it is among the first bytes, else by name.
        return match ext.as_str() {
            "xls" | "xlsx" | "xlsm" | "xlsb" => Some(Format::Spreadsheet),
            "docx" | "docm" | "dotx" => Some(Format::Docx),
            _ if ole::looks_like_msg(head) => Some(Format::Msg),
            _ if ole::looks_like_word(head) => Some(Format::Doc),
            "msg" => Some(Format::Msg),
            "doc" | "dot" => Some(Format::Doc),
            _ => None,
        };
    }
    let by_ext = match ext.as_str() {
        "csv" => Some(Format::Csv),
        "tsv" | "tab" => Some(Format::Tsv),
        "json" | "jsonl" | "ndjson" | "geojson" => Some(Format::Json),
        "xml" | "svg" | "xhtml" => Some(Format::Xml),
        "html" | "htm" => Some(Format::Html),
        "eml" | "msg822" | "mbox" => Some(Format::Eml),
        _ => None,
    };
    // A mail with a binary (e.g. UTF-16) body part still starts with headers.
    if by_ext == Some(Format::Eml) && eml::starts_with_header(head) {
        return Some(Format::Eml);
    }
    if text::looks_binary(head) && !text::mostly_text(head) {
        return None;
    }
    if let Some(f) = by_ext {
        return Some(f);
    }
    let trimmed = text::strip_bom(head).trim_ascii_start();
    if trimmed.starts_with(b"<?xml") {
        return Some(Format::Xml);
    }
    if trimmed.len() >= 5
        && (trimmed[..5].eq_ignore_ascii_case(b"<html")
            || trimmed[..5].eq_ignore_ascii_case(b"<!doc"))
    {
        return Some(Format::Html);
    }
    if eml::looks_like_mail(trimmed) {
        return Some(Format::Eml);
    }
    Some(Format::Text)
}

/// [`sniff`], and for an OLE file it cannot place from the first bytes, a
/// look at the file's first directory sector (read with `read_at(offset,
/// len)`), whose entry names tell an Outlook message or a Word document.
pub fn sniff_with(
    name: &str,
    head: &[u8],
    read_at: impl FnOnce(u64, usize) -> Option<Vec<u8>>,
) -> Option<Format> {
    sniff(name, head).or_else(|| {
        let dir = read_at(ole::directory_offset(head)?, 4096)?;
        if ole::looks_like_msg(&dir) {
            Some(Format::Msg)
        } else if ole::looks_like_word(&dir) {
            Some(Format::Doc)
        } else {
            None
        }
    })
}

/// [`sniff_with`] for a file held in memory.
pub fn sniff_bytes(name: &str, data: &[u8]) -> Option<Format> {
    sniff_with(name, &data[..data.len().min(8192)], |at, len| {
        let rest = data.get(usize::try_from(at).ok()?..)?;
        Some(rest[..rest.len().min(len)].to_vec())
    })
}

fn extension(name: &str) -> String {
    let base = name.rsplit(['/', '\\', '!']).next().unwrap_or(name);
    match base.rsplit_once('.') {
        Some((_, e)) => e.to_ascii_lowercase(),
        None => String::new(),
    }
}

/// The reader for a format.
pub fn reader_for(format: Format) -> &'static dyn Reader {
    match format {
        Format::Text => &text::TextReader,
        Format::Csv => &csv::CsvReader { delimiter: None },
        Format::Tsv => &csv::CsvReader {
            delimiter: Some(b'\t'),
        },
        Format::Json => &json::JsonReader,
        Format::Xml => &markup::MarkupReader { html: false },
        Format::Html => &markup::MarkupReader { html: true },
        Format::Eml => &eml::EmlReader,
        Format::Zip => &zip::ZipReader,
        Format::Pdf => &pdf::PdfReader,
        Format::Docx => &office::docx::DocxReader,
        Format::Spreadsheet => &office::sheet::SheetReader,
        Format::Msg => &msg::MsgReader,
        Format::Doc => &office::doc::DocReader,
        Format::Rtf => &rtf::RtfReader,
    }
}

/// Placeholder reader for a format whose reader is not built yet: it reports
/// the file as an error record naming the missing reader (never silently clean).
pub struct Unavailable(pub &'static str);

impl Reader for Unavailable {
    fn read(&self, _: &Source, _: &ReadCtx<'_>, _: &mut dyn Sink) -> Result<(), ExtractError> {
        Err(ExtractError::Unsupported(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::zip_of;

    struct Drop;
    impl Sink for Drop {
        fn segment(&mut self, _: Segment) {}
        fn embedded(&mut self, _: &str, _: Vec<u8>) {}
        fn needs_review(&mut self, _: String) {}
    }

    #[test]
    fn check_fails_once_the_deadline_passed() {
        let limits = Limits {
            max_seconds: 3.0,
            ..Limits::default()
        };
        let ctx = ReadCtx::new(&limits, 0);
        assert!(ctx.check().is_ok(), "no deadline, no limit");
        let ctx = ReadCtx::new(&limits, 0).with_budget();
        assert!(ctx.check().is_ok(), "3 s have not passed yet");
        let mut ctx = ReadCtx::new(&limits, 0);
        ctx.deadline = Some(Instant::now());
        let err = ctx.check().unwrap_err();
        assert!(matches!(err, ExtractError::Limit(_)));
        assert_eq!(
            err.to_string(),
            "limit exceeded: time budget of 3 s exceeded (--file-timeout)"
        );
        let none = Limits {
            max_seconds: 0.0,
            ..Limits::default()
        };
        assert!(ReadCtx::new(&none, 0).with_budget().deadline.is_none());
    }

    #[test]
    fn every_long_running_reader_stops_at_the_deadline() {
        let csv: String = (0..5000).map(|i| format!("{i};naam {i}\n")).collect();
        let mail = b"From: a@example.nl\r\nTo: b@example.nl\r\nSubject: x\r\n\r\nhallo\r\n";
        let xml = b"<?xml version='1.0'?><w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'><w:body><w:p><w:r><w:t>hallo</w:t></w:r></w:p></w:body></w:document>";
        let cases: Vec<(Format, Vec<u8>)> = vec![
            (Format::Zip, zip_of(&[("a.txt", b"x"), ("b.txt", b"y")])),
            (Format::Docx, zip_of(&[("word/document.xml", xml)])),
            (
                Format::Spreadsheet,
                zip_of(&[("xl/workbook.xml", b"<workbook/>")]),
            ),
            (Format::Csv, csv.clone().into_bytes()),
            (Format::Eml, mail.to_vec()),
            (Format::Text, csv.into_bytes()),
        ];
        // Tiny chunks so that text and CSV are streamed.
        let limits = Limits {
            stream_threshold: 1 << 20,
            ..Limits::default()
        };
        let streamed = Limits {
            stream_threshold: 1000,
            chunk_size: 4096,
            ..Limits::default()
        };
        for (format, data) in cases {
            for limits in [&limits, &streamed] {
                let src = Source::Memory(data.clone());
                let ok = reader_for(format).read(&src, &ReadCtx::new(limits, 0), &mut Drop);
                // (the spreadsheet stub has no sheets: an error, but not this one)
                if let Err(e) = ok {
                    assert!(format == Format::Spreadsheet, "{format:?}: {e}");
                    assert!(!e.to_string().contains("time budget"), "{e}");
                }
                if format == Format::Text && limits.stream_threshold > data.len() as u64 {
                    continue; // one small segment: nothing to interrupt
                }
                let mut ctx = ReadCtx::new(limits, 0);
                ctx.deadline = Some(Instant::now());
                let err = reader_for(format).read(&src, &ctx, &mut Drop).unwrap_err();
                assert!(err.to_string().contains("time budget"), "{format:?}: {err}");
            }
        }
    }

    #[test]
    fn sniffs_by_magic_then_extension() {
        assert_eq!(sniff("a.txt", b"%PDF-1.7\n"), Some(Format::Pdf));
        assert_eq!(sniff("a.docx", b"PK\x03\x04...."), Some(Format::Docx));
        assert_eq!(sniff("a.bin", b"PK\x03\x04...."), Some(Format::Zip));
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0];
        assert_eq!(sniff("a.xls", &ole), Some(Format::Spreadsheet));
        assert_eq!(sniff("locked.xlsx", &ole), Some(Format::Spreadsheet));
        assert_eq!(sniff("locked.docx", &ole), Some(Format::Docx));
        assert_eq!(sniff("old.doc", &ole), Some(Format::Doc));
        assert_eq!(sniff("mail.MSG", &ole), Some(Format::Msg));
        assert_eq!(sniff("a.bin", &ole), None);
        assert_eq!(sniff("brief.doc", b"{\\rtf1\\ansi x}"), Some(Format::Rtf));
        assert_eq!(
            sniff("x.txt", b"\xef\xbb\xbf {\\rtf1 x}"),
            Some(Format::Rtf)
        );
        assert_eq!(sniff("renamed.doc", b"PK\x03\x04...."), Some(Format::Docx));
        assert_eq!(sniff("a.csv", b"a;b\n1;2\n"), Some(Format::Csv));
        assert_eq!(
            sniff("noext", b"<?xml version='1.0'?><a/>"),
            Some(Format::Xml)
        );
        assert_eq!(sniff("x.dat", b"\x00\x01\x02\x03\x00\x00binary"), None);
        assert_eq!(sniff("notes", b"Hallo wereld\n"), Some(Format::Text));
        assert_eq!(
            sniff("m", b"From: a@b.nl\r\nTo: c@d.nl\r\nSubject: x\r\n\r\nbody"),
            Some(Format::Eml)
        );
        assert_eq!(sniff("D1/x.zip!a/b.CSV", b"a,b"), Some(Format::Csv));
        assert_eq!(
            sniff("sfx.zip", b"Leading garbage\nPK\x03\x04\x14\x00"),
            Some(Format::Zip)
        );
        assert_eq!(
            sniff("x.docx", b"\x00\x01prefixPK\x03\x04\x14\x00"),
            Some(Format::Docx)
        );
        assert_eq!(
            sniff("cd.zip", b"\x02PK\x06\x06\xfd\x00"),
            Some(Format::Zip)
        );
        assert_eq!(sniff("cd.bin", b"\x02PK\x06\x06\xfd\x00"), None);
        assert_eq!(
            sniff(
                "m.eml",
                b"Content-Type: text/plain; charset=utf-16le\n\nT\x00e\x00"
            ),
            Some(Format::Eml)
        );
        assert_eq!(sniff("m.eml", b"\x00\x01\x02 not a mail"), None);
    }
}
