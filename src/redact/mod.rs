//! Redaction: write a copy of every input with third-party personal data
//! replaced, in the same format.
//!
//! Owns the orchestration of `zwartlak redact` (walk, parallel work, atomic
//! writes, the fail-closed re-scan of every output), the [`Redactor`] trait a
//! format implements, the redaction plan ([`Cx::plan`]: which spans of a text
//! are replaced, by what, and why) and the replacement [`Style`]s, including
//! the run-wide pseudonym [`Register`]. Formats live in submodules: plain
//! text, CSV, JSON and markup in [`text`], e-mail in [`eml`], archives in
//! [`zip`], word-processing documents in [`docx`] and workbooks in [`xlsx`]
//! (both on the package rewriting of [`ooxml`]), PDF (true removal of glyphs)
//! in [`pdf`]. Workbooks without an in-place redactor (XLS, XLSB, ODS) are
//! written anew as XLSX by [`convert`]: the redactor reports that on
//! [`Cx::converted`], the copy gets the `.xlsx` name planned for it
//! ([`Job::converted_out`]), and the audit and the file record say so. A
//! format without a redactor is never written: its file is reported as
//! `needs_review`.

pub mod audit;
pub mod docx;
pub mod eml;
pub mod ooxml;
pub mod pdf;
pub mod register;
pub mod text;
pub mod workbook;
pub mod zip;

use crate::attribute::People;
use crate::detect::Engine;
use crate::document::{Location, Segment};
use crate::extract::{self, ExtractError, Format, Limits, Source};
use crate::kind::Kind;
use crate::mask::mask;
use crate::record::{FileRecord, FileResult, FindingRecord, Owner, Status, Summary};
use crate::report::Report;
use crate::scan::{ScanOptions, Scanner};
use crate::walk::Entry;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::time::Instant;
pub use workbook::{convert, xlsx};

pub use audit::AuditRow;
pub use register::Register;

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
    Unsupported(&'static str),
    #[error("{0}")]
    Review(String),
    #[error(transparent)]
    Extract(#[from] ExtractError),
    #[error("{0}")]
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
    })
}

/// One replacement in a text: bytes `start..end` become `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
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

/// How to redact.
pub struct RedactOptions {
    pub style: Style,
    pub limits: Limits,
    /// Print values as they stand in finding records (never in the audit).
    pub reveal: bool,
    pub people: Option<People>,
    pub threads: usize,
}

/// A redaction run: the scanner (detectors, owners, limits) and the style.
pub struct Redaction {
    pub scanner: Scanner,
    pub style: Style,
    pub register: Register,
}

/// A redactor that wrote another format than it read: the extension of the
/// output, and what the audit and the file record say about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conversion {
    /// Without the dot: `xlsx`.
    pub ext: &'static str,
    pub reason: &'static str,
}

/// A third-party mention seen while planning (for the pseudonym register).
#[derive(Clone, Debug)]
pub struct Mention {
    pub kind: Kind,
    pub norm: String,
    pub raw: String,
    /// Mentions with the same `segment` number stood in one text.
    pub segment: usize,
    pub start: usize,
    pub end: usize,
    /// Only a short gap ([`register::joins`]) separates it from the previous
    /// mention in the same text ("Jan de Vries <jan@x.nl>").
    pub joined: bool,
}

/// The context of one file being redacted: what was found, what was
/// replaced, and what could not be handled.
/// Whether `data` starts like a JPEG, PNG, GIF, TIFF, BMP or WebP image.
fn is_image(data: &[u8]) -> bool {
    const MAGIC: &[&[u8]] = &[
        b"\xff\xd8\xff",
        b"\x89PNG\r\n\x1a\n",
        b"GIF87a",
        b"GIF89a",
        b"II*\0",
        b"MM\0*",
        b"BM",
    ];
    MAGIC.iter().any(|m| data.starts_with(m))
        || (data.len() >= 12 && &data[..4] == b"RIFF" && &data[8..12] == b"WEBP")
}

pub struct Cx<'a> {
    pub red: &'a Redaction,
    pub path: String,
    pub depth: u32,
    pub findings: Vec<FindingRecord>,
    pub audit: Vec<AuditRow>,
    pub review: Vec<String>,
    /// Records of the files inside this one (archive members, attachments).
    pub children: Vec<FileResult>,
    pub mentions: Vec<Mention>,
    /// Set by a redactor whose output is in another format than its input.
    pub converted: Option<Conversion>,
    /// The text of every finding that is kept (the subject's, staff's): a
    /// removed value may still stand inside one ("Dorpsweg 4" in "Dorpsweg 4-II").
    pub kept: std::collections::BTreeSet<String>,
    segments: usize,
}

impl<'a> Cx<'a> {
    pub fn new(red: &'a Redaction, path: &str, depth: u32) -> Self {
        Cx {
            red,
            path: path.to_string(),
            depth,
            findings: Vec::new(),
            audit: Vec::new(),
            review: Vec::new(),
            children: Vec::new(),
            mentions: Vec::new(),
            converted: None,
            kept: Default::default(),
            segments: 0,
        }
    }

    pub fn limits(&self) -> &Limits {
        &self.red.scanner.opts.limits
    }

    /// A picture copied as it is (a logo, a photo, a pasted scan): its pixels
    /// were not checked, so the audit log asks for a look before release.
    pub fn image_kept(&mut self, location: Location) {
        self.audit.push(AuditRow::note(
            &self.path,
            location,
            "image kept as it is: text in its pixels was not checked; look at it before release",
            "",
        ));
    }

    /// Note content that cannot be redacted safely: the file is withheld.
    pub fn needs_review(&mut self, reason: String) {
        self.review.push(reason);
    }

    /// Decide what to replace in one segment: every finding that is not the
    /// subject's or staff's. Returns the edits in text order.
    pub fn plan(&mut self, seg: &Segment) -> Vec<Edit> {
        let red = self.red;
        let found = red.scanner.segment_findings(&self.path, seg);
        let segment = self.segments;
        self.segments += 1;
        let mut edits = Vec::new();
        for (span, f) in found {
            let raw = &seg.text[span.clone()];
            let owner = f.owner;
            let redact = !matches!(owner, Some(Owner::Subject) | Some(Owner::Staff));
            if redact {
                let replacement = red.replacement(f.kind, &f.norm, raw);
                self.audit.push(AuditRow {
                    file: self.path.clone(),
                    location: f.location.clone(),
                    kind: Some(f.kind),
                    owner,
                    value: mask(f.kind, raw),
                    reason: match owner {
                        Some(_) => "third party: not the subject's, not on the keep list",
                        None => "no --subject given: all personal data is removed",
                    },
                    replacement: replacement.clone(),
                });
                let joined = self
                    .mentions
                    .last()
                    .filter(|p| p.segment == segment && p.end <= span.start)
                    .is_some_and(|p| register::joins(&seg.text[p.end..span.start]));
                self.mentions.push(Mention {
                    joined,
                    kind: f.kind,
                    norm: f.norm.clone(),
                    raw: raw.to_string(),
                    segment,
                    start: span.start,
                    end: span.end,
                });
                edits.push(Edit {
                    start: span.start,
                    end: span.end,
                    text: replacement,
                });
            } else if !self.kept.contains(raw) {
                self.kept.insert(raw.to_string());
            }
            self.findings.push(f);
        }
        edits
    }

    /// Redact a file inside this one (`name` is its path in the container).
    /// Its records become children of this file; any failure fails the parent.
    pub fn embedded(&mut self, name: &str, data: &[u8]) -> Result<Vec<u8>, RedactError> {
        let path = format!("{}!{}", self.path, name);
        let mut child = Cx::new(self.red, &path, self.depth + 1);
        let outcome = match child.redact_bytes(data) {
            // The container keeps the member's name and type: a copy in
            // another format cannot take its place.
            Ok(_) if child.converted.is_some() => Err(RedactError::Review(
                "a workbook that can only be redacted by converting it to XLSX cannot be replaced inside another file"
                    .into(),
            )),
            other => other,
        };
        let status = match &outcome {
            Ok(_) if child.review.is_empty() => Status::Scanned,
            Ok(_) => Status::NeedsReview,
            Err(e) => e.status(),
        };
        let reason = match &outcome {
            Ok(_) if child.review.is_empty() => None,
            Ok(_) => Some(child.review.join("; ")),
            Err(e) => Some(e.to_string()),
        };
        self.audit.append(&mut child.audit);
        for mut m in child.mentions.drain(..) {
            m.segment += self.segments;
            self.mentions.push(m);
        }
        self.segments += child.segments;
        let child_findings = std::mem::take(&mut child.findings);
        self.children.push(FileResult {
            file: FileRecord {
                path: path.clone(),
                status,
                reason: reason.clone(),
                findings: child_findings.len(),
                format: extract::sniff(name, &data[..data.len().min(8192)]).map(Format::name),
                bytes: data.len() as u64,
                output: None,
                note: None,
            },
            findings: child_findings,
        });
        self.children.append(&mut child.children);
        match (outcome, reason) {
            (Ok(out), None) => Ok(out),
            (Ok(_), Some(r)) => Err(RedactError::Review(format!("{name}: {r}"))),
            (Err(RedactError::Unsupported(f)), _) => Err(RedactError::Review(format!(
                "{name}: no redactor for {f} files yet"
            ))),
            (Err(e), _) => {
                let status = e.status();
                let msg = format!("{name}: {e}");
                Err(if status == Status::Error {
                    RedactError::Failed(msg)
                } else {
                    RedactError::Review(msg)
                })
            }
        }
    }

    /// Redact the bytes of one file of any format.
    pub fn redact_bytes(&mut self, data: &[u8]) -> Result<Vec<u8>, RedactError> {
        if data.is_empty() {
            return Ok(Vec::new());
        }
        if self.depth > self.limits().max_depth {
            return Err(RedactError::Extract(ExtractError::Limit(format!(
                "nested deeper than {} levels",
                self.limits().max_depth
            ))));
        }
        let format =
            extract::sniff(&self.path, &data[..data.len().min(8192)]).ok_or_else(|| {
                RedactError::Review(if is_image(data) {
                    "an image: text in its pixels cannot be checked or redacted".into()
                } else {
                    "binary file of unknown format: cannot be redacted".into()
                })
            })?;
        let redactor = redactor_for(format).ok_or(RedactError::Unsupported(format.name()))?;
        match catch_unwind(AssertUnwindSafe(|| redactor.redact(data, self))) {
            Ok(r) => r,
            Err(_) => Err(RedactError::Failed(
                "internal error in the redactor (panic)".into(),
            )),
        }
    }
}

impl Redaction {
    pub fn new(engine: Engine, opts: RedactOptions) -> Self {
        Redaction {
            scanner: Scanner::new(
                engine,
                ScanOptions {
                    limits: opts.limits,
                    reveal: opts.reveal,
                    people: opts.people,
                    threads: opts.threads,
                },
            ),
            style: opts.style,
            register: Register::default(),
        }
    }

    /// The text that replaces a value of `kind` written `raw`.
    pub fn replacement(&self, kind: Kind, norm: &str, raw: &str) -> String {
        match self.style {
            Style::Label => kind.label().to_string(),
            Style::Box => raw
                .chars()
                .map(|c| if c.is_whitespace() { c } else { BOX })
                .collect(),
            Style::Pseudonym => self
                .register
                .pseudonym(kind, norm, raw)
                .unwrap_or_else(|| kind.label().to_string()),
        }
    }

    /// Redact one file in memory: the output bytes, or why not. The output is
    /// re-scanned: a third-party value still found fails the file.
    pub fn redact_file(&self, data: &[u8], path: &str) -> (Cx<'_>, Result<Vec<u8>, RedactError>) {
        let mut cx = Cx::new(self, path, 0);
        let out = cx.redact_bytes(data);
        let out = match out {
            Ok(_) if !cx.review.is_empty() => Err(RedactError::Review(cx.review.join("; "))),
            Ok(bytes) => {
                // A converted copy is read back as what it now is.
                let as_written = match cx.converted {
                    Some(c) => format!("{path}.{}", c.ext),
                    None => path.to_string(),
                };
                self.verify(&bytes, &as_written).map(|()| bytes)
            }
            Err(e) => Err(e),
        };
        (cx, out)
    }

    /// Scan redacted output again; fail closed when anything that would be
    /// redacted is still there, or when the output no longer reads.
    pub fn verify(&self, out: &[u8], path: &str) -> Result<(), RedactError> {
        if out.is_empty() {
            return Ok(());
        }
        let results = self
            .scanner
            .scan_source(&Source::Memory(out.to_vec()), path, 0);
        let mut left: BTreeMap<&'static str, usize> = BTreeMap::new();
        for r in &results {
            if matches!(r.file.status, Status::Error | Status::NeedsReview) {
                return Err(RedactError::Failed(format!(
                    "redacted output does not read back cleanly ({}): not written",
                    r.file.path.rsplit('!').next().unwrap_or("")
                )));
            }
            for f in &r.findings {
                if !matches!(f.owner, Some(Owner::Subject) | Some(Owner::Staff)) {
                    *left.entry(f.kind.as_str()).or_default() += 1;
                }
            }
        }
        if left.is_empty() {
            return Ok(());
        }
        let what: Vec<String> = left.iter().map(|(k, n)| format!("{n} {k}")).collect();
        Err(RedactError::Failed(format!(
            "re-scan of the redacted output still finds {}: not written",
            what.join(", ")
        )))
    }

    /// First pass of the pseudonym style: plan every file without writing,
    /// then number the third parties in walk order.
    pub fn build_register(&mut self, jobs: &[Job]) {
        let mentions: Vec<Vec<Mention>> = jobs
            .par_iter()
            .map(|job| {
                if job.entry.skip.is_some() {
                    return Vec::new();
                }
                let Ok(data) = std::fs::read(&job.entry.path) else {
                    return Vec::new();
                };
                if data.len() as u64 > self.scanner.opts.limits.max_file_size {
                    return Vec::new();
                }
                let mut cx = Cx::new(self, &job.entry.display, 0);
                let _ = cx.redact_bytes(&data);
                cx.mentions
            })
            .collect();
        self.register = Register::build(&mentions);
    }
}

/// One input file and where its redacted copy goes.
#[derive(Clone, Debug)]
pub struct Job {
    pub entry: Entry,
    pub out: PathBuf,
    /// Where the copy goes when the redactor converts it to XLSX (see
    /// [`plan_outputs`]); never the `out` of another job.
    pub converted_out: PathBuf,
}

/// Extensions of the workbooks that are converted to XLSX.
const CONVERTED_EXTENSIONS: &[&str] = &["xls", "xlsb", "ods"];

/// Where the redacted copy of each entry goes: `out` mirrors the input tree
/// (one folder: its contents; several inputs: each under its own name).
///
/// `converted_out` is the name a copy converted to XLSX gets: `huur.xls` →
/// `huur.xlsx`, or `huur.xls.xlsx` when another copy already has that name
/// (then `huur.xls.2.xlsx` ...). The mirrored names are taken first, then
/// the workbooks with a converted extension (in walk order), then the rest
/// (a workbook whose content, not its name, says it is one).
pub fn plan_outputs(roots: &[PathBuf], entries: Vec<Entry>, out: &Path) -> Vec<Job> {
    let mut jobs = mirror_outputs(roots, entries, out);
    let key = |p: &Path| p.to_string_lossy().to_lowercase();
    let mut taken: std::collections::HashSet<String> = jobs.iter().map(|j| key(&j.out)).collect();
    let ext_of = |p: &Path| {
        p.extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default()
    };
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| !CONVERTED_EXTENSIONS.contains(&ext_of(&jobs[i].out).as_str()));
    for i in order {
        let o = jobs[i].out.clone();
        if ext_of(&o) == "xlsx" {
            continue;
        }
        let mut candidates = vec![o.with_extension("xlsx")];
        let mut n = 1;
        let chosen = loop {
            let c = match candidates.pop() {
                Some(c) => c,
                None => {
                    n += 1;
                    let mut name = o.as_os_str().to_os_string();
                    if n == 2 {
                        name.push(".xlsx");
                    } else {
                        name.push(format!(".{}.xlsx", n - 1));
                    }
                    PathBuf::from(name)
                }
            };
            if taken.insert(key(&c)) {
                break c;
            }
        };
        jobs[i].converted_out = chosen;
    }
    jobs
}

/// [`plan_outputs`] without the converted names (each is its `out`).
fn mirror_outputs(roots: &[PathBuf], entries: Vec<Entry>, out: &Path) -> Vec<Job> {
    let single_dir = roots.len() == 1 && roots[0].is_dir();
    entries
        .into_iter()
        .map(|entry| {
            let root = roots
                .iter()
                .filter(|r| entry.path.starts_with(r))
                .max_by_key(|r| r.as_os_str().len());
            let rel: PathBuf = match root {
                Some(r) if r.is_dir() => {
                    let inner = entry.path.strip_prefix(r).unwrap_or(&entry.path);
                    if single_dir {
                        inner.to_path_buf()
                    } else {
                        base_name(r).join(inner)
                    }
                }
                _ => PathBuf::from(entry.path.file_name().unwrap_or_default()),
            };
            let clean: PathBuf = rel
                .components()
                .filter(|c| matches!(c, Component::Normal(_)))
                .collect();
            let out = out.join(clean);
            Job {
                converted_out: out.clone(),
                out,
                entry,
            }
        })
        .collect()
}

fn base_name(p: &Path) -> PathBuf {
    match p.file_name() {
        Some(n) => PathBuf::from(n),
        None => std::fs::canonicalize(p)
            .ok()
            .and_then(|c| c.file_name().map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("input")),
    }
}

/// The absolute form of a path that may not exist yet.
fn absolute(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    // Resolve the longest existing prefix (symlinks), keep the rest as written.
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut resolved = std::fs::canonicalize(&existing).unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    resolved
}

/// Refuse an output folder inside an input (or an input inside it).
pub fn check_out_dir(roots: &[PathBuf], out: &Path) -> Result<(), String> {
    let out_abs = absolute(out);
    for r in roots {
        let r_abs = absolute(r);
        if out_abs.starts_with(&r_abs) {
            return Err(format!(
                "--out {} is inside the input {}: choose a folder outside the inputs",
                out.display(),
                r.display()
            ));
        }
        if r_abs.starts_with(&out_abs) {
            return Err(format!(
                "the input {} is inside --out {}: inputs are never overwritten",
                r.display(),
                out.display()
            ));
        }
    }
    Ok(())
}

/// Write `data` to `path` atomically (temporary file in the same folder, then rename).
pub fn write_atomic(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, data)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// What redacting one input produced.
pub struct Outcome {
    pub results: Vec<FileResult>,
    pub audit: Vec<AuditRow>,
    pub written: bool,
}

impl Redaction {
    /// Redact one job: read, redact, verify, write.
    pub fn run_job(&self, job: &Job) -> Outcome {
        let entry = &job.entry;
        let record = |status, reason: Option<String>, bytes| FileRecord {
            path: entry.display.clone(),
            status,
            reason,
            findings: 0,
            format: None,
            bytes,
            output: None,
            note: None,
        };
        let single = |file| Outcome {
            results: vec![FileResult {
                file,
                findings: vec![],
            }],
            audit: vec![],
            written: false,
        };
        if let Some(reason) = &entry.skip {
            return single(record(Status::Skipped, Some(reason.clone()), 0));
        }
        let data = match std::fs::metadata(&entry.path) {
            Ok(m) if m.len() > self.scanner.opts.limits.max_file_size => {
                return single(record(
                    Status::Skipped,
                    Some(format!(
                        "larger than --max-filesize ({} bytes): not written",
                        self.scanner.opts.limits.max_file_size
                    )),
                    m.len(),
                ))
            }
            Ok(_) => std::fs::read(&entry.path),
            Err(e) => Err(e),
        };
        let data = match data {
            Ok(d) => d,
            Err(e) => {
                return single(record(
                    Status::Error,
                    Some(ExtractError::Io(e).to_string()),
                    0,
                ))
            }
        };
        let (mut cx, out) = self.redact_file(&data, &entry.display);
        let mut file = record(Status::Scanned, None, data.len() as u64);
        file.format =
            extract::sniff(&entry.display, &data[..data.len().min(8192)]).map(Format::name);
        let mut written = false;
        let target = match cx.converted {
            Some(_) => &job.converted_out,
            None => &job.out,
        };
        match out {
            Ok(bytes) => match write_atomic(target, &bytes) {
                Ok(()) => written = true,
                Err(e) => {
                    file.status = Status::Error;
                    file.reason = Some(format!("cannot write the redacted copy: {e}"));
                }
            },
            Err(e) => {
                file.status = e.status();
                file.reason = Some(e.to_string());
            }
        }
        if let (true, Some(c)) = (written, cx.converted) {
            let name = target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            file.output = Some(name.clone());
            file.note = Some(format!("written as {name}; {}", c.reason));
            cx.audit.insert(
                0,
                AuditRow::note(&entry.display, Location::default(), c.reason, name),
            );
        }
        let findings: Vec<FindingRecord> = std::mem::take(&mut cx.findings);
        file.findings = findings.len();
        let mut results = vec![FileResult { file, findings }];
        results.append(&mut cx.children);
        Outcome {
            results,
            audit: if written {
                std::mem::take(&mut cx.audit)
            } else {
                Vec::new()
            },
            written,
        }
    }

    /// Redact all jobs in parallel; report results in walk order. Returns the
    /// summary (with `written` and `redactions`) and the audit rows.
    pub fn run(
        &self,
        jobs: &[Job],
        report: &mut dyn Report,
        each: &mut dyn FnMut(&FileResult),
    ) -> std::io::Result<(Summary, Vec<AuditRow>)> {
        let start = Instant::now();
        let mut summary = Summary::default();
        let mut audit = Vec::new();
        let mut written = 0u64;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.scanner.opts.threads)
            .build()
            .map_err(std::io::Error::other)?;
        let (tx, rx) = mpsc::sync_channel::<(usize, Outcome)>(64);
        std::thread::scope(|s| -> std::io::Result<()> {
            s.spawn(move || {
                pool.install(|| {
                    jobs.par_iter().enumerate().for_each_with(tx, |tx, (i, j)| {
                        let _ = tx.send((i, self.run_job(j)));
                    })
                })
            });
            let mut pending: BTreeMap<usize, Outcome> = BTreeMap::new();
            let mut next = 0;
            let mut failed = None;
            for (i, outcome) in rx {
                pending.insert(i, outcome);
                while let Some(mut o) = pending.remove(&next) {
                    written += u64::from(o.written);
                    audit.append(&mut o.audit);
                    for r in &o.results {
                        summary.add(r);
                        each(r);
                        if failed.is_none() {
                            if let Err(e) = report.file(r) {
                                failed = Some(e);
                            }
                        }
                    }
                    next += 1;
                }
            }
            failed.map_or(Ok(()), Err)
        })?;
        summary.seconds = (start.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
        summary.written = Some(written);
        // Rows without a kind are about whole files (conversions), not values.
        summary.redactions = Some(audit.iter().filter(|r| r.kind.is_some()).count() as u64);
        report.finish(&summary)?;
        Ok((summary, audit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::Filter;
    use crate::document::Location;

    pub(crate) fn redaction(style: Style, subject: Option<&str>) -> Redaction {
        let people = subject.map(|s| {
            let dir = tempfile::tempdir().unwrap();
            let p = dir.path().join("s.toml");
            std::fs::write(&p, s).unwrap();
            People::from_files(Some(&p), None).unwrap()
        });
        Redaction::new(
            Engine::builtin(Filter::default()).unwrap(),
            RedactOptions {
                style,
                limits: Limits::default(),
                reveal: false,
                people,
                threads: 1,
            },
        )
    }

    #[test]
    fn plan_keeps_the_subject_and_replaces_third_parties() {
        let red = redaction(Style::Label, Some("bsn = \"111222333\""));
        let mut cx = Cx::new(&red, "a.txt", 0);
        let text = "BSN 111.222.333 en BSN partner 123456782.";
        let edits = cx.plan(&Segment::new(text, Location::line(1)));
        assert_eq!(apply(text, &edits), "BSN 111.222.333 en BSN partner [BSN].");
        assert_eq!(cx.findings.len(), 2);
        assert_eq!(cx.audit.len(), 1);
        assert_eq!(cx.audit[0].value, "*******82");
        assert_eq!(cx.audit[0].owner, Some(Owner::ThirdParty));
    }

    #[test]
    fn styles() {
        let red = redaction(Style::Box, None);
        assert_eq!(red.replacement(Kind::Phone, "", "06 1234"), "██ ████");
        let red = redaction(Style::Label, None);
        assert_eq!(red.replacement(Kind::Iban, "", "NL.."), "[IBAN]");
    }

    #[test]
    fn out_dir_may_not_be_inside_an_input() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        std::fs::create_dir_all(&input).unwrap();
        assert!(check_out_dir(std::slice::from_ref(&input), &input.join("red")).is_err());
        assert!(check_out_dir(std::slice::from_ref(&input), &input).is_err());
        assert!(check_out_dir(std::slice::from_ref(&input), dir.path()).is_err());
        assert!(check_out_dir(std::slice::from_ref(&input), &dir.path().join("out")).is_ok());
    }

    #[test]
    fn outputs_mirror_the_tree() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        std::fs::create_dir_all(a.join("sub")).unwrap();
        std::fs::write(a.join("sub/x.txt"), "x").unwrap();
        std::fs::write(dir.path().join("y.txt"), "y").unwrap();
        let roots = vec![a.clone()];
        let entries = crate::walk::walk(&roots, &Default::default()).unwrap();
        let jobs = plan_outputs(&roots, entries, Path::new("/o"));
        assert_eq!(jobs[0].out, Path::new("/o/sub/x.txt"));
        let roots = vec![a.clone(), dir.path().join("y.txt")];
        let entries = crate::walk::walk(&roots, &Default::default()).unwrap();
        let mut outs: Vec<_> = plan_outputs(&roots, entries, Path::new("/o"))
            .into_iter()
            .map(|j| j.out)
            .collect();
        outs.sort();
        assert_eq!(
            outs,
            vec![PathBuf::from("/o/a/sub/x.txt"), PathBuf::from("/o/y.txt")]
        );
    }

    #[test]
    fn converted_copies_get_names_no_other_copy_has() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        std::fs::create_dir_all(&a).unwrap();
        for n in [
            "huur.xls",
            "huur.xlsx",
            "huur.ods",
            "lijst.xlsb",
            "Data.ODS",
            "notitie.txt",
        ] {
            std::fs::write(a.join(n), "x").unwrap();
        }
        let roots = vec![a.clone()];
        let entries = crate::walk::walk(&roots, &Default::default()).unwrap();
        let jobs = plan_outputs(&roots, entries, Path::new("/o"));
        let conv = |name: &str| {
            let j = jobs
                .iter()
                .find(|j| j.out == Path::new("/o").join(name))
                .unwrap();
            j.converted_out.to_string_lossy().into_owned()
        };
        // Walk order: Data.ODS, huur.ods, huur.xls, huur.xlsx, lijst.xlsb, notitie.txt.
        assert_eq!(conv("Data.ODS"), "/o/Data.xlsx");
        assert_eq!(conv("huur.ods"), "/o/huur.ods.xlsx");
        assert_eq!(conv("huur.xls"), "/o/huur.xls.xlsx");
        assert_eq!(conv("huur.xlsx"), "/o/huur.xlsx");
        assert_eq!(conv("lijst.xlsb"), "/o/lijst.xlsx");
        // Content decides the format: a workbook named .txt would go here.
        assert_eq!(conv("notitie.txt"), "/o/notitie.xlsx");
        let mut all: Vec<String> = jobs
            .iter()
            .filter(|j| j.out.extension().is_some_and(|e| e != "xlsx"))
            .map(|j| j.converted_out.to_string_lossy().to_lowercase())
            .chain(jobs.iter().map(|j| j.out.to_string_lossy().to_lowercase()))
            .collect();
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n, "{all:?}");
    }

    #[test]
    fn a_third_converted_name_counts_on() {
        let dir = tempfile::tempdir().unwrap();
        for n in ["h.xls", "h.xlsx", "h.xls.xlsx"] {
            std::fs::write(dir.path().join(n), "x").unwrap();
        }
        let roots = vec![dir.path().to_path_buf()];
        let entries = crate::walk::walk(&roots, &Default::default()).unwrap();
        let jobs = plan_outputs(&roots, entries, Path::new("/o"));
        let j = jobs
            .iter()
            .find(|j| j.out == Path::new("/o/h.xls"))
            .unwrap();
        assert_eq!(j.converted_out, Path::new("/o/h.xls.2.xlsx"));
    }

    #[test]
    fn unsupported_formats_are_withheld() {
        let red = redaction(Style::Label, None);
        // An image: no text to redact, so it cannot be shown to be clean.
        let (_, out) = red.redact_file(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0", "scan.png");
        let err = out.unwrap_err();
        assert_eq!(err.status(), Status::NeedsReview, "{err}");
    }
}
