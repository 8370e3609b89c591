//! The scan pipeline: walk → extract → detect → attribute → report.
//!
//! Files are processed in parallel by [`crate::ordered`]: results are written
//! in walk order, so output is deterministic, and workers stay within a
//! window of the last file written, so memory stays bounded. A file that cannot be read is an
//! `error` record; a panic inside a reader is caught and becomes one too.

use crate::attribute::People;
use crate::detect::columns::{self, ColumnEvidence};
use crate::detect::{Engine, Finding};
use crate::document::{Column, Locator, Segment};
use crate::extract::{self, strings, ExtractError, Format, Limits, ReadCtx, Sink, Source};
use crate::kind::Kind;
use crate::mask::mask;
use crate::ordered;
use crate::pathname::{self, Parts};
use crate::record::{FileRecord, FileResult, FindingRecord, Status, Summary};
use crate::report::Report;
use crate::walk::Entry;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// How to scan.
#[derive(Default)]
pub struct ScanOptions {
    /// Per-file limits (sizes, archive depth, time budget).
    pub limits: Limits,
    /// Print values as they stand instead of masked.
    pub reveal: bool,
    /// Owners of findings (from `--subject` / `--keep`).
    pub people: Option<People>,
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// Counts the bytes scanned, for a progress display.
    pub progress: Option<std::sync::Arc<BytesProgress>>,
}

/// How far a run is, in bytes of the files on disk, for a progress display
/// that moves during one large file too: a file being read counts what has
/// been read of it (streamed formats as they are read, others once read
/// whole), a file done counts its size.
#[derive(Debug, Default)]
pub struct BytesProgress {
    done: AtomicU64,
    reading: AtomicU64,
}

impl BytesProgress {
    /// Bytes done and read so far.
    pub fn bytes(&self) -> u64 {
        self.done.load(Ordering::Relaxed) + self.reading.load(Ordering::Relaxed)
    }

    /// A file of `bytes` bytes is done.
    pub fn finished(&self, bytes: u64) {
        self.done.fetch_add(bytes, Ordering::Relaxed);
    }
}

/// Results of walk entries kept between runs (`--cache`, see [`crate::cache`]).
pub trait EntryCache: Sync {
    /// The results of `entry`: from an earlier run when the file is
    /// unchanged, otherwise from `scan` (and then kept).
    fn get_or_scan(&self, entry: &Entry, scan: &dyn Fn() -> Vec<FileResult>) -> Vec<FileResult>;
}

/// The scanner: an engine plus options. Cheap to share across threads.
pub struct Scanner {
    /// The detectors and their filter.
    pub engine: Engine,
    /// How to scan.
    pub opts: ScanOptions,
}

struct FileSink<'a> {
    scanner: &'a Scanner,
    path: &'a str,
    depth: u32,
    findings: Vec<FindingRecord>,
    review: Vec<String>,
    children: Vec<FileResult>,
    /// Findings past `Limits::max_findings`, counted but not kept.
    dropped: u64,
    /// The deadline of the file on disk this one belongs to.
    deadline: Option<Instant>,
    /// Set once the deadline has passed: later segments are dropped
    /// unscanned and the file becomes an `error` record.
    timed_out: bool,
    /// Read by the strings pass: names need [`strings::NAME_MIN_CONFIDENCE`].
    strings_pass: bool,
    /// A text format: note NUL and control characters in its text.
    check_controls: bool,
    held_binary: bool,
    /// What the cells of the file's table columns showed.
    columns: ColumnEvidence,
    /// Findings of column cells that a column's verdict may raise: their
    /// index in `findings` and their column.
    raise: Vec<(usize, Column)>,
    /// Values of column cells below the confidence filter that a verdict
    /// would report: settled once the whole file is read
    /// ([`FileSink::settle_columns`]).
    provisional: Vec<Provisional>,
}

/// Raise `record` to the column verdict `v`; whether it was raised.
fn raise(v: Option<columns::Verdict>, record: &mut FindingRecord) -> bool {
    match v.and_then(|v| v.raises(record.kind, record.confidence)) {
        Some(c) => {
            record.confidence = c;
            record.rule = columns::RULE;
            true
        }
        None => false,
    }
}

/// A column cell's value that waits for its column's verdict.
struct Provisional {
    /// How many findings came before it.
    at: usize,
    column: Column,
    record: FindingRecord,
}

impl FileSink<'_> {
    /// Keep one finding, unless the strings pass says no or the file has
    /// as many as it may list.
    fn keep(&mut self, record: FindingRecord) -> bool {
        if !self.wanted(&record) {
            return false;
        }
        if self.findings.len() >= self.scanner.opts.limits.max_findings {
            self.dropped += 1;
            return false;
        }
        self.findings.push(record);
        true
    }

    /// Whether a finding is reported at all: names from the strings pass
    /// need [`strings::NAME_MIN_CONFIDENCE`].
    fn wanted(&self, record: &FindingRecord) -> bool {
        !(self.strings_pass
            && record.kind == Kind::Name
            && record.confidence < strings::NAME_MIN_CONFIDENCE)
    }

    /// Scan one cell of a table column: its findings as any segment's, and
    /// what its column's verdict may change kept aside.
    fn column_cell(&mut self, column: Column, seg: &Segment) {
        let engine = &self.scanner.engine;
        let label = seg.label.as_deref();
        let raw = engine.detect_raw(&seg.text, label);
        let pass = self
            .columns
            .observe(column, &seg.text, label, &raw, &|l, k| {
                engine.label_polarity(l, k)
            });
        let found = engine.settle(raw);
        let missing = pass.filter(|p| {
            engine.passes(p.kind, 1.0) && found.iter().all(|f| f.end <= p.start || f.start >= p.end)
        });
        // A long column's verdict is fixed: it applies at once.
        let fixed = self.columns.fixed(column);
        for (_, mut record) in self.scanner.records(self.path, seg, found) {
            let (kind, at) = (record.kind, self.findings.len());
            if let Some(v) = fixed {
                raise(v, &mut record);
                self.keep(record);
            } else if self.keep(record) && self.columns.possible(column, kind) {
                self.raise.push((at, column));
            }
        }
        if let Some(p) = missing {
            for (_, mut record) in self.scanner.records(self.path, seg, vec![p]) {
                match fixed {
                    Some(v) => {
                        if raise(v, &mut record) && engine.passes(record.kind, record.confidence) {
                            self.keep(record);
                        }
                    }
                    None => self.provisional.push(Provisional {
                        at: self.findings.len(),
                        column,
                        record,
                    }),
                }
            }
        }
    }

    /// Judge the file's table columns, raise the findings of their cells to
    /// their verdicts, and report the values that only a verdict makes
    /// reportable, each in its place among the file's findings.
    fn settle_columns(&mut self) {
        if self.raise.is_empty() && self.provisional.is_empty() {
            return;
        }
        let verdicts = self.columns.judge();
        if verdicts.is_empty() {
            return;
        }
        let raise_to =
            |column: Column, record: &mut FindingRecord| raise(verdicts.get(column), record);
        for (at, column) in std::mem::take(&mut self.raise) {
            raise_to(column, &mut self.findings[at]);
        }
        let mut earlier = std::mem::take(&mut self.findings).into_iter();
        let mut taken = 0;
        for mut p in std::mem::take(&mut self.provisional) {
            self.findings
                .extend(earlier.by_ref().take(p.at.saturating_sub(taken)));
            taken = taken.max(p.at);
            if raise_to(p.column, &mut p.record)
                && self
                    .scanner
                    .engine
                    .passes(p.record.kind, p.record.confidence)
                && self.wanted(&p.record)
            {
                self.findings.push(p.record);
            }
        }
        self.findings.extend(earlier);
        let limit = self.scanner.opts.limits.max_findings;
        if self.findings.len() > limit {
            self.dropped += (self.findings.len() - limit) as u64;
            self.findings.truncate(limit);
        }
    }

    fn over_budget(&mut self) -> bool {
        if !self.timed_out && self.deadline.is_some_and(|d| Instant::now() >= d) {
            self.timed_out = true;
        }
        self.timed_out
    }
}

impl Sink for FileSink<'_> {
    fn segment(&mut self, seg: Segment) {
        if self.over_budget() {
            return;
        }
        if self.check_controls && !self.held_binary {
            self.held_binary = extract::text::has_control(&seg.text);
        }
        if let Some(column) = seg.column {
            self.column_cell(column, &seg);
            return;
        }
        for (_, record) in self.scanner.segment_findings(self.path, &seg) {
            self.keep(record);
        }
    }

    fn embedded(&mut self, name: &str, data: Vec<u8>) {
        if self.over_budget() {
            return;
        }
        let shown = self.scanner.shown_path(name, 0, pathname::IN_ARCHIVE);
        let path = format!("{}!{}", self.path, shown);
        let results = self.scanner.scan_source_within(
            &Source::Memory(data),
            &path,
            self.depth + 1,
            self.deadline,
        );
        self.children.extend(results);
    }

    fn needs_review(&mut self, reason: String) {
        self.review.push(reason);
    }
}

/// The reason of a file whose scan panicked outside its reader (a bug).
fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    format!(
        "internal error while scanning (panic: {})",
        ordered::panic_message(p)
    )
}

impl Scanner {
    /// The findings of one segment of the file `path`, as scan and redact
    /// both see them: detected, limited to the segment's own range, with
    /// owner, location and the value as it is printed. In text order, each
    /// with its byte range in `seg.text`.
    pub fn segment_findings(
        &self,
        path: &str,
        seg: &Segment,
    ) -> Vec<(Range<usize>, FindingRecord)> {
        self.records(
            path,
            seg,
            self.engine.detect(&seg.text, seg.label.as_deref()),
        )
    }

    /// Finding records of the settled findings `found` of one segment.
    pub(crate) fn records(
        &self,
        path: &str,
        seg: &Segment,
        found: Vec<Finding>,
    ) -> Vec<(Range<usize>, FindingRecord)> {
        let mut locator = Locator::new(seg);
        let mut out = Vec::with_capacity(found.len());
        for f in found {
            if seg.own.as_ref().is_some_and(|own| !own.contains(&f.start)) {
                continue;
            }
            let raw = &seg.text[f.start..f.end];
            let owner = self
                .opts
                .people
                .as_ref()
                .map(|p| p.owner_in(f.kind, &f.norm, raw, &seg.text[..f.start]));
            let record = FindingRecord {
                path: path.to_string(),
                kind: f.kind,
                value: if self.opts.reveal {
                    raw.to_string()
                } else {
                    mask(f.kind, raw)
                },
                confidence: f.confidence,
                owner,
                location: locator.locate(f.start, f.end),
                rule: f.rule,
                roster: f.roster.and_then(|p| self.engine.roster_id(p)),
                norm: f.norm,
            };
            out.push((f.start..f.end, record));
        }
        out
    }

    /// The values in the names of `path` from byte `from` on (see
    /// [`crate::pathname`]: the names below the scanned root, the extension
    /// of the file's name left out), each with its byte range in `path`.
    /// Their records are made like those of text ([`Scanner::segment_findings`]:
    /// owner, masked value), located in the `parts` of [`Parts`], with the
    /// value as it stands in the name; their `path` is left for the caller
    /// to set (the path as shown, see [`Scanner::shown`]).
    pub fn name_findings(
        &self,
        path: &str,
        from: usize,
        parts: Parts,
    ) -> Vec<(Range<usize>, FindingRecord)> {
        let mut out = Vec::new();
        for name in pathname::names(path, from, parts) {
            let at = name.range.start;
            let seg = Segment::new(name.text, crate::document::Location::part(name.part));
            for (r, mut f) in self.segment_findings("", &seg) {
                let span = at + r.start..at + r.end;
                // `_` was read as a space: the value as it stands is in the path.
                let raw = &path[span.clone()];
                f.value = if self.opts.reveal {
                    raw.to_string()
                } else {
                    mask(f.kind, raw)
                };
                out.push((span, f));
            }
        }
        out
    }

    /// `path` as records show it, given the values found in its names
    /// ([`Scanner::name_findings`]): masked ([`pathname::masked`]) unless
    /// `--reveal`. Every report, the audit and every message print paths
    /// made here (or by [`Scanner::shown_path`]), never the path as it is.
    pub fn shown(&self, path: &str, found: &[(Range<usize>, FindingRecord)]) -> String {
        if self.opts.reveal || found.is_empty() {
            return path.to_string();
        }
        let spans: Vec<(Range<usize>, crate::kind::Kind)> =
            found.iter().map(|(r, f)| (r.clone(), f.kind)).collect();
        pathname::masked(path, &spans)
    }

    /// [`Scanner::shown`] of `path`, its names read from byte `from` on.
    pub fn shown_path(&self, path: &str, from: usize, parts: Parts) -> String {
        if self.opts.reveal {
            return path.to_string();
        }
        self.masked_path(path, from, parts)
    }

    /// `path` with the values in its names (from byte `from` on) masked,
    /// whatever `--reveal` says: as the audit of `redact` shows paths.
    pub fn masked_path(&self, path: &str, from: usize, parts: Parts) -> String {
        let spans: Vec<(Range<usize>, crate::kind::Kind)> = self
            .name_findings(path, from, parts)
            .into_iter()
            .map(|(r, f)| (r, f.kind))
            .collect();
        pathname::masked(path, &spans)
    }

    /// A scanner running `engine` with `opts`.
    pub fn new(engine: Engine, opts: ScanOptions) -> Self {
        Scanner { engine, opts }
    }

    /// Scan one file (or archive member): its own result first, then those of
    /// the files inside it. Its time budget (`Limits::max_seconds`) starts now
    /// and covers the files inside it.
    pub fn scan_source(&self, src: &Source, path: &str, depth: u32) -> Vec<FileResult> {
        self.scan_source_within(src, path, depth, extract::deadline_from(&self.opts.limits))
    }

    /// [`Scanner::scan_source`] within the deadline of an enclosing file
    /// (or of the redaction whose output is read back).
    pub fn scan_source_within(
        &self,
        src: &Source,
        path: &str,
        depth: u32,
        deadline: Option<Instant>,
    ) -> Vec<FileResult> {
        let bytes = src.len();
        let record =
            |status: Status, reason: Option<String>, format: Option<&'static str>| FileRecord {
                path: path.to_string(),
                status,
                reason,
                findings: 0,
                format,
                bytes,
                output: None,
                note: None,
            };
        if bytes > self.opts.limits.max_file_size {
            return vec![FileResult {
                file: record(
                    Status::Skipped,
                    Some(format!(
                        "larger than --max-filesize ({} bytes)",
                        self.opts.limits.max_file_size
                    )),
                    None,
                ),
                findings: vec![],
            }];
        }
        if bytes == 0 {
            return vec![FileResult {
                file: record(
                    Status::Skipped,
                    Some(crate::record::skip::EMPTY.into()),
                    None,
                ),
                findings: vec![],
            }];
        }
        let head = match src.head(8192) {
            Ok(h) => h,
            Err(e) => {
                return vec![FileResult {
                    file: record(Status::Error, Some(ExtractError::Io(e).to_string()), None),
                    findings: vec![],
                }]
            }
        };
        // An unknown binary format gets the strings pass (and needs review).
        let sniffed = extract::sniff_with(path, &head, |at, len| src.range(at, len).ok());
        let (reader, format_name) = match sniffed {
            Some(f) => (extract::reader_for(f), f.name()),
            None => (
                &strings::StringsReader as &dyn extract::Reader,
                strings::format_name(&head),
            ),
        };
        let mut sink = FileSink {
            scanner: self,
            path,
            depth,
            findings: Vec::new(),
            review: Vec::new(),
            children: Vec::new(),
            dropped: 0,
            deadline,
            timed_out: false,
            strings_pass: sniffed.is_none(),
            columns: ColumnEvidence::default(),
            raise: Vec::new(),
            provisional: Vec::new(),
            check_controls: matches!(
                sniffed,
                Some(
                    Format::Text
                        | Format::Csv
                        | Format::Tsv
                        | Format::Json
                        | Format::Xml
                        | Format::Html
                )
            ),
            held_binary: false,
        };
        let ctx = ReadCtx {
            limits: &self.opts.limits,
            depth,
            deadline,
        };
        let outcome = crate::panics::catch(|| reader.read(src, &ctx, &mut sink));
        sink.settle_columns();
        if sniffed.is_none() {
            sink.review.insert(0, strings::review_reason(&head));
        }
        if sink.dropped > 0 {
            sink.review.push(format!(
                "{} more findings than the {} listed (limit per file)",
                sink.dropped, self.opts.limits.max_findings
            ));
        }
        let (status, reason) = match outcome {
            Ok(Ok(())) if sink.timed_out => (
                Status::Error,
                Some(extract::budget_error(&self.opts.limits).to_string()),
            ),
            Ok(Ok(())) if sink.review.is_empty() => (Status::Scanned, None),
            Ok(Ok(())) => (Status::NeedsReview, Some(sink.review.join("; "))),
            Ok(Err(e)) => (Status::Error, Some(e.to_string())),
            Err(_) => (Status::Error, Some(crate::panics::damaged(format_name))),
        };
        let mut file = record(status, reason, Some(format_name));
        file.findings = sink.findings.len();
        if sink.held_binary {
            file.note = Some(extract::text::HELD_BINARY.into());
        }
        let mut out = Vec::with_capacity(1 + sink.children.len());
        out.push(FileResult {
            file,
            findings: sink.findings,
        });
        out.extend(sink.children);
        out
    }

    /// Scan one walk entry: its names (below the scanned root, see
    /// [`Entry::names_from`]) and its content. Its records show the path
    /// with the values in its names masked, unless `--reveal`. A skipped
    /// entry is not read, its names give no findings; its path is masked.
    pub fn scan_entry(&self, entry: &Entry) -> Vec<FileResult> {
        let names = self.name_findings(&entry.display, entry.names_from, pathname::ON_DISK);
        let shown = self.shown(&entry.display, &names);
        if let Some(reason) = &entry.skip {
            return vec![FileResult {
                file: FileRecord {
                    path: shown,
                    status: Status::Skipped,
                    reason: Some(reason.clone()),
                    findings: 0,
                    format: None,
                    bytes: 0,
                    output: None,
                    note: None,
                },
                findings: vec![],
            }];
        }
        // What this file has told the progress, taken back when it is done
        // (the run loop then counts the whole file).
        let read = Arc::new(AtomicU64::new(0));
        let told = self.opts.progress.clone().map(|p| {
            let read = read.clone();
            Arc::new(move |n: u64| {
                read.fetch_add(n, Ordering::Relaxed);
                p.reading.fetch_add(n, Ordering::Relaxed);
            }) as extract::ReadProgress
        });
        let opened = match &entry.data {
            Some(held) => Ok(Source::Memory(held.0.to_vec())),
            None => Source::file_with_progress(&entry.path, told),
        };
        let mut results = match opened {
            Ok(src) => self.scan_source(&src, &shown, 0),
            Err(e) => vec![FileResult {
                file: FileRecord {
                    path: shown.clone(),
                    status: Status::Error,
                    reason: Some(ExtractError::Io(e).to_string()),
                    findings: 0,
                    format: None,
                    bytes: 0,
                    output: None,
                    note: None,
                },
                findings: vec![],
            }],
        };
        // The names come before the content; a file that cannot be read
        // still has them.
        if !names.is_empty() {
            let own = &mut results[0];
            let content = std::mem::take(&mut own.findings);
            own.findings = names
                .into_iter()
                .map(|(_, mut f)| {
                    f.path = shown.clone();
                    f
                })
                .chain(content)
                .collect();
            own.file.findings = own.findings.len();
        }
        if let Some(p) = &self.opts.progress {
            p.reading
                .fetch_sub(read.load(Ordering::Relaxed), Ordering::Relaxed);
        }
        results
    }

    /// Scan all entries in parallel and feed the results, in entry order, to
    /// `report` and `each` (the gate and the progress bar look at them).
    ///
    /// Workers claim entries in order, but none starts an entry more than
    /// [`REORDER_WINDOW`] ahead of the last one written: results that wait
    /// for a slow earlier file are bounded in number, so peak memory depends
    /// on the largest files, not on how many files there are.
    pub fn run(
        &self,
        entries: &[Entry],
        report: &mut dyn Report,
        each: &mut dyn FnMut(&FileResult),
    ) -> std::io::Result<Summary> {
        self.run_cached(entries, report, each, None)
    }

    /// [`Scanner::run`], taking unchanged files from `cache`.
    pub fn run_cached(
        &self,
        entries: &[Entry],
        report: &mut dyn Report,
        each: &mut dyn FnMut(&FileResult),
        cache: Option<&dyn EntryCache>,
    ) -> std::io::Result<Summary> {
        let start = Instant::now();
        let mut summary = Summary::default();
        let mut failed = None;
        let pool = ordered::Pool {
            threads: self.opts.threads,
            window: REORDER_WINDOW,
            name: "zwartlak-scan",
        };
        ordered::map_ordered(
            entries,
            pool,
            |_, entry| {
                let results = match cache {
                    // Held content (standard input) has no file to key on.
                    Some(c) if entry.data.is_none() => {
                        c.get_or_scan(entry, &|| self.scan_entry(entry))
                    }
                    _ => self.scan_entry(entry),
                };
                if let Some(p) = &self.opts.progress {
                    p.finished(results.first().map_or(0, |r| r.file.bytes));
                }
                results
            },
            |i, results| {
                let results = results.unwrap_or_else(|p| {
                    vec![FileResult {
                        file: FileRecord {
                            path: self.shown_path(
                                &entries[i].display,
                                entries[i].names_from,
                                pathname::ON_DISK,
                            ),
                            status: Status::Error,
                            reason: Some(panic_message(p.as_ref())),
                            findings: 0,
                            format: None,
                            bytes: 0,
                            output: None,
                            note: None,
                        },
                        findings: vec![],
                    }]
                });
                for r in &results {
                    deliver(r, &mut summary, each, report, &mut failed);
                }
            },
        )?;
        if let Some(e) = failed {
            return Err(e);
        }
        summary.seconds = (start.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
        report.finish(&summary)?;
        Ok(summary)
    }
}

/// Hand one file's result on, in order: count it in `summary`, give it to
/// `each`, and write it to `report` unless an earlier write failed (the
/// first failure is kept in `failed`). Used by scan and redact.
pub fn deliver(
    r: &FileResult,
    summary: &mut Summary,
    each: &mut dyn FnMut(&FileResult),
    report: &mut dyn Report,
    failed: &mut Option<std::io::Error>,
) {
    summary.add(r);
    each(r);
    if failed.is_none() {
        if let Err(e) = report.file(r) {
            *failed = Some(e);
        }
    }
}

/// Most entries started ahead of the last one written (see [`Scanner::run`]).
pub const REORDER_WINDOW: usize = ordered::WINDOW;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::Filter;
    use crate::kind::Kind;
    use std::io::Write;

    fn scanner(max_seconds: f64) -> Scanner {
        scanner_with(Limits {
            max_seconds,
            ..Limits::default()
        })
    }

    fn scanner_with(limits: Limits) -> Scanner {
        Scanner::new(
            Engine::builtin(Filter::default()).unwrap(),
            ScanOptions {
                limits,
                ..ScanOptions::default()
            },
        )
    }

    #[test]
    fn findings_per_file_are_capped_and_flagged() {
        let text = "BSN: 111222333\nBSN: 123456782\nBSN: 111222333\n"
            .as_bytes()
            .to_vec();
        let few = Limits {
            max_findings: 2,
            ..Limits::default()
        };
        let r = scanner_with(few).scan_source(&Source::Memory(text.clone()), "a.txt", 0);
        assert_eq!(r[0].findings.len(), 2);
        assert_eq!(r[0].file.status, Status::NeedsReview);
        assert!(r[0]
            .file
            .reason
            .as_deref()
            .unwrap()
            .contains("1 more findings"));
        let all = scanner_with(Limits::default()).scan_source(&Source::Memory(text), "a.txt", 0);
        assert_eq!(all[0].findings.len(), 3);
        assert_eq!(all[0].file.status, Status::Scanned);
    }

    #[test]
    fn column_cells_are_settled_in_place_and_within_the_limit() {
        // A BSN column without header (9 valid numbers, no context word)
        // between cells that are found on their own.
        let bsns = [
            "111222333",
            "123456782",
            "100000083",
            "100000010",
            "100000022",
            "100000034",
            "100000046",
            "100000058",
            "100000071",
        ];
        let mut csv = String::from("mail;nummer\n");
        for b in bsns {
            csv.push_str(&format!("j.{b}@example.nl;{b}\n"));
        }
        let r = scanner_with(Limits::default()).scan_source(
            &Source::Memory(csv.clone().into_bytes()),
            "lijst.csv",
            0,
        );
        let kinds: Vec<&str> = r[0].findings.iter().map(|f| f.kind.as_str()).collect();
        assert_eq!(kinds, ["email", "bsn"].repeat(bsns.len()), "{kinds:?}");
        assert!(r[0]
            .findings
            .iter()
            .filter(|f| f.kind == crate::kind::Kind::Bsn)
            .all(|f| f.rule == columns::RULE && f.confidence >= 0.9));
        let few = Limits {
            max_findings: 5,
            ..Limits::default()
        };
        let r = scanner_with(few).scan_source(&Source::Memory(csv.into_bytes()), "lijst.csv", 0);
        assert_eq!(r[0].findings.len(), 5);
        assert_eq!(r[0].findings[4].kind, crate::kind::Kind::Email);
        assert!(r[0]
            .file
            .reason
            .as_deref()
            .unwrap()
            .contains("13 more findings"));
    }

    #[test]
    fn column_verdicts_keep_to_the_kind_and_confidence_filters() {
        let csv =
            "nr;mail\n111222333;a@b.nl\n123456782;c@d.nl\n100000010;e@f.nl\n100000022;g@h.nl\n";
        let with = |filter: crate::detect::Filter| {
            let s = Scanner::new(Engine::builtin(filter).unwrap(), ScanOptions::default());
            let r = s.scan_source(&Source::Memory(csv.as_bytes().to_vec()), "l.csv", 0);
            r[0].findings
                .iter()
                .map(|f| f.kind.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            with(Filter::default())
                .iter()
                .filter(|k| **k == "bsn")
                .count(),
            4
        );
        let only_mail = Filter {
            kinds: crate::kind::KindSet::parse("email").unwrap(),
            ..Filter::default()
        };
        assert_eq!(with(only_mail), vec!["email"; 4]);
        let strict = Filter {
            min_confidence: 0.93,
            ..Filter::default()
        };
        assert_eq!(with(strict), vec!["email"; 4]);
    }

    #[test]
    fn a_long_column_follows_its_fixed_verdict() {
        // Past DECIDE_AFTER values the verdict applies at once: every valid
        // number of the column is reported, before and after that point.
        let n = columns::DECIDE_AFTER as usize + 200;
        let valid: Vec<String> = (100_000_000u64..)
            .map(|v| v.to_string())
            .filter(|d| crate::detect::validate::elfproef(d))
            .take(n)
            .collect();
        let csv = format!("nr\n{}\n", valid.join("\n"));
        let r = scanner_with(Limits::default()).scan_source(
            &Source::Memory(csv.into_bytes()),
            "lijst.csv",
            0,
        );
        assert_eq!(r[0].findings.len(), n);
        assert!(r[0]
            .findings
            .iter()
            .all(|f| f.kind == crate::kind::Kind::Bsn && f.rule == columns::RULE));
    }

    #[test]
    fn text_with_nul_and_control_bytes_is_read_as_text() {
        let s = scanner_with(Limits::default());
        let csv = b"naam;bsn\nJan Jansen;111222333\x00\n\x01\x02;x\n".to_vec();
        let r = s.scan_source(&Source::Memory(csv), "export.csv", 0);
        assert_eq!(r[0].file.status, Status::Scanned);
        assert_eq!(r[0].file.format, Some("csv"));
        assert_eq!(r[0].file.note.as_deref(), Some(extract::text::HELD_BINARY));
        assert!(r[0]
            .findings
            .iter()
            .any(|f| f.kind == crate::kind::Kind::Bsn && f.norm == "111222333"));
        // NUL bytes first, then text full of BSNs
        let mut t = vec![0u8; 40];
        t.extend_from_slice("BSN 111222333\n".repeat(50).as_bytes());
        let r = s.scan_source(&Source::Memory(t), "lijst.txt", 0);
        assert_eq!(
            (r[0].file.status, r[0].file.format),
            (Status::Scanned, Some("text"))
        );
        assert_eq!(r[0].findings.len(), 50);
        // clean text gets no note
        let r = s.scan_source(&Source::Memory(b"BSN 111222333".to_vec()), "a.txt", 0);
        assert_eq!(r[0].file.note, None);
    }

    #[test]
    fn unknown_binary_gets_the_strings_pass_and_needs_review() {
        let s = scanner_with(Limits::default());
        let mut blob: Vec<u8> = (0u8..=255).cycle().take(3000).collect();
        blob.extend_from_slice(b"\x00BSN: 111222333\x00\x07mail p.jansen@example.nl\x00\x00\x00");
        blob.extend(
            "Burgerservicenummer 123456782"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        );
        blob.extend((0u8..=255).rev().cycle().take(3000));
        let r = s.scan_source(&Source::Memory(blob.clone()), "data.bin", 0);
        assert_eq!(r[0].file.status, Status::NeedsReview);
        assert_eq!(r[0].file.format, Some("binary"));
        assert!(r[0]
            .file
            .reason
            .as_deref()
            .unwrap()
            .contains("text strings"));
        let mut norms: Vec<&str> = r[0].findings.iter().map(|f| f.norm.as_str()).collect();
        norms.sort();
        assert_eq!(norms, vec!["111222333", "123456782", "p.jansen@example.nl"]);
        // findings point at their bytes
        let mail = r[0]
            .findings
            .iter()
            .find(|f| f.kind == crate::kind::Kind::Email)
            .unwrap();
        let (a, b) = (
            mail.location.byte_start.unwrap() as usize,
            mail.location.byte_end.unwrap() as usize,
        );
        assert_eq!(&blob[a..b], b"p.jansen@example.nl");
        // pictures say why
        let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
        png.extend((0u8..=255).cycle().take(500));
        let r = s.scan_source(&Source::Memory(png), "foto.png", 0);
        assert_eq!(
            (r[0].file.status, r[0].file.format),
            (Status::NeedsReview, Some("image"))
        );
    }

    #[test]
    fn names_from_the_strings_pass_need_high_confidence() {
        let s = scanner_with(Limits::default());
        // The same words read as text and read from a binary file: names the
        // strings pass finds are a subset, all at NAME_MIN_CONFIDENCE or more.
        let words =
            "Geachte heer Jansen,\nmet vriendelijke groet, Pieter de Vries\nOpen File Save As\n";
        let text = s.scan_source(&Source::Memory(words.as_bytes().to_vec()), "a.txt", 0);
        let mut blob = vec![0u8, 1, 2, 3, 0xFF, 0xFE, 0x00];
        blob.extend_from_slice(words.as_bytes());
        blob.extend_from_slice(&[0, 1, 2, 3, 0xFF]);
        let bin = s.scan_source(&Source::Memory(blob), "a.bin", 0);
        let names = |r: &[FileResult]| -> Vec<f32> {
            r[0].findings
                .iter()
                .filter(|f| f.kind == crate::kind::Kind::Name)
                .map(|f| f.confidence)
                .collect()
        };
        assert!(
            names(&text)
                .iter()
                .any(|&c| c < strings::NAME_MIN_CONFIDENCE),
            "{:?}",
            names(&text)
        );
        assert!(names(&bin)
            .iter()
            .all(|&c| c >= strings::NAME_MIN_CONFIDENCE));
        assert!(names(&bin).len() < names(&text).len());
    }

    #[test]
    fn members_follow_their_container() {
        let mut w = ::zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        w.start_file("a.txt", ::zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut w, b"IBAN NL91ABNA0417164300").unwrap();
        let z = w.finish().unwrap().into_inner();
        let r = scanner_with(Limits::default()).scan_source(&Source::Memory(z), "d/x.zip", 0);
        assert_eq!(
            r.iter().map(|r| r.file.path.as_str()).collect::<Vec<_>>(),
            vec!["d/x.zip", "d/x.zip!a.txt"]
        );
        assert_eq!(r[1].findings[0].path, "d/x.zip!a.txt");
    }

    #[test]
    fn names_of_an_entry_are_findings_and_masked_in_its_paths() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("post piet@example.nl");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("BSN 123456782.txt"), "niets").unwrap();
        let zip = zip_of(&[("lijst 06-12345678.txt", b"IBAN NL91ABNA0417164300")]);
        std::fs::write(dir.path().join("archief.zip"), zip).unwrap();
        let entries = crate::walk::walk(&[dir.path().to_path_buf()], &Default::default()).unwrap();
        let mut s = scanner_with(Limits::default());
        let r = s.scan_entry(&entries[1]);
        assert_eq!(r[0].file.path, "post p***@e******.nl/BSN *******82.txt");
        let found: Vec<(Kind, Option<&str>, &str)> = r[0]
            .findings
            .iter()
            .map(|f| (f.kind, f.location.part.as_deref(), f.path.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                (Kind::Email, Some("folder name"), r[0].file.path.as_str()),
                (Kind::Bsn, Some("file name"), r[0].file.path.as_str()),
            ]
        );
        assert_eq!(r[0].file.findings, 2);
        // archive members: the name is the archive's text, masked in the member's path
        let z = s.scan_entry(&entries[0]);
        assert_eq!(z[1].file.path, "archief.zip!lijst **-******78.txt");
        assert_eq!(z[0].findings[0].kind, Kind::Phone);
        assert_eq!(
            z[0].findings[0].location.part.as_deref(),
            Some("member name")
        );
        // --reveal: as they stand
        s.opts.reveal = true;
        let r = s.scan_entry(&entries[1]);
        assert_eq!(r[0].file.path, "post piet@example.nl/BSN 123456782.txt");
        assert_eq!(r[0].findings[1].value, "123456782");
    }

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = ::zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (n, d) in entries {
            w.start_file(*n, ::zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(d).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn a_large_file_tells_its_progress_while_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("groot.txt");
        let text = "een regel tekst zonder gegevens\n".repeat(8_000);
        std::fs::write(&path, &text).unwrap();
        let limits = Limits {
            stream_threshold: 1024,
            chunk_size: 4096,
            ..Limits::default()
        };
        // Streamed: many reports, each further, the last the whole file.
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let s2 = seen.clone();
        let told: extract::ReadProgress = Arc::new(move |n| s2.lock().unwrap().push(n));
        let src = Source::file_with_progress(&path, Some(told)).unwrap();
        scanner_with(limits.clone()).scan_source(&src, "groot.txt", 0);
        let seen = seen.lock().unwrap();
        assert!(seen.len() > 2, "{} reports", seen.len());
        assert_eq!(seen.iter().sum::<u64>(), text.len() as u64);
        // A run counts each file once, read or not.
        let mut s = scanner_with(limits);
        let bytes = Arc::new(BytesProgress::default());
        s.opts.progress = Some(bytes.clone());
        std::fs::write(dir.path().join("klein.txt"), "kort").unwrap();
        let entries = crate::walk::walk(&[dir.path().to_path_buf()], &Default::default()).unwrap();
        struct Nothing;
        impl Report for Nothing {
            fn file(&mut self, _: &FileResult) -> std::io::Result<()> {
                Ok(())
            }
            fn finish(&mut self, _: &Summary) -> std::io::Result<()> {
                Ok(())
            }
        }
        s.run(&entries, &mut Nothing, &mut |_| {}).unwrap();
        assert_eq!(bytes.bytes(), text.len() as u64 + 4);
    }

    #[test]
    fn a_file_over_its_time_budget_is_one_error_record() {
        let s = scanner(5.0);
        let zip = zip_of(&[("a.txt", b"mail p.jansen@example.nl"), ("b.txt", b"x")]);
        let within = s.scan_source(&Source::Memory(zip.clone()), "d.zip", 0);
        assert_eq!(within.len(), 3);
        assert!(within.iter().all(|r| r.file.status == Status::Scanned));
        // Members share the deadline of the file on disk: once it has passed,
        // neither the zip nor its members are read.
        let late = s.scan_source_within(&Source::Memory(zip), "d.zip", 0, Some(Instant::now()));
        assert_eq!(late.len(), 1);
        assert_eq!(late[0].file.status, Status::Error);
        assert_eq!(
            late[0].file.reason.as_deref(),
            Some("limit exceeded: time budget of 5 s exceeded (--file-timeout)")
        );
        // A reader that does not look at the clock (small plain text) still
        // gets no detection after the deadline: the sink drops its segments.
        let text = s.scan_source_within(
            &Source::Memory(b"mail p.jansen@example.nl".to_vec()),
            "a.txt",
            0,
            Some(Instant::now()),
        );
        assert_eq!(text[0].file.status, Status::Error);
        assert!(text[0].findings.is_empty());
    }
}

#[cfg(test)]
mod run_tests {
    use super::*;
    use crate::detect::Filter;

    struct Paths(Vec<String>);
    impl Report for Paths {
        fn file(&mut self, r: &FileResult) -> std::io::Result<()> {
            self.0.push(r.file.path.clone());
            Ok(())
        }
        fn finish(&mut self, _: &Summary) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn results_come_in_entry_order_past_the_window() {
        let dir = tempfile::tempdir().unwrap();
        let n = REORDER_WINDOW * 4 + 7;
        let entries: Vec<Entry> = (0..n)
            .map(|i| {
                let path = dir.path().join(format!("{i}.txt"));
                // Every 50th file is real (and slower); the rest are skipped entries.
                let skip = if i % 50 == 0 {
                    // A personal address: role mailboxes (info@) are not reported.
                    std::fs::write(&path, "mail p.jansen@example.nl\n".repeat(2000)).unwrap();
                    None
                } else {
                    Some("test".to_string())
                };
                Entry {
                    path,
                    display: format!("{i}.txt"),
                    skip,
                    data: None,
                    names_from: 0,
                }
            })
            .collect();
        for threads in [1, 3] {
            let s = Scanner::new(
                Engine::builtin(Filter::default()).unwrap(),
                ScanOptions {
                    threads,
                    ..ScanOptions::default()
                },
            );
            let mut rep = Paths(Vec::new());
            let summary = s.run(&entries, &mut rep, &mut |_| {}).unwrap();
            let want: Vec<String> = (0..n).map(|i| format!("{i}.txt")).collect();
            assert_eq!(rep.0, want);
            assert_eq!(summary.findings, 2000 * n.div_ceil(50) as u64);
        }
    }
}
