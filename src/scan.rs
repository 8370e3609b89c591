//! The scan pipeline: walk → extract → detect → attribute → report.
//!
//! Files are processed in parallel by [`crate::ordered`]: results are written
//! in walk order, so output is deterministic, and workers stay within a
//! window of the last file written, so memory stays bounded. A file that cannot be read is an
//! `error` record; a panic inside a reader is caught and becomes one too.

use crate::attribute::People;
use crate::detect::Engine;
use crate::document::{Locator, Segment};
use crate::extract::{self, ExtractError, Limits, ReadCtx, Sink, Source};
use crate::mask::mask;
use crate::ordered;
use crate::record::{FileRecord, FileResult, FindingRecord, Status, Summary};
use crate::report::Report;
use crate::walk::Entry;
use std::ops::Range;
use std::time::Instant;

/// How to scan.
#[derive(Default)]
pub struct ScanOptions {
    pub limits: Limits,
    /// Print values as they stand instead of masked.
    pub reveal: bool,
    /// Owners of findings (from `--subject` / `--keep`).
    pub people: Option<People>,
    pub threads: usize,
}

/// Results of walk entries kept between runs (`--cache`, see [`crate::cache`]).
pub trait EntryCache: Sync {
    /// The results of `entry`: from an earlier run when the file is
    /// unchanged, otherwise from `scan` (and then kept).
    fn get_or_scan(&self, entry: &Entry, scan: &dyn Fn() -> Vec<FileResult>) -> Vec<FileResult>;
}

/// The scanner: an engine plus options. Cheap to share across threads.
pub struct Scanner {
    pub engine: Engine,
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
}

impl FileSink<'_> {
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
        for (_, record) in self.scanner.segment_findings(self.path, &seg) {
            if self.findings.len() >= self.scanner.opts.limits.max_findings {
                self.dropped += 1;
                continue;
            }
            self.findings.push(record);
        }
    }

    fn embedded(&mut self, name: &str, data: Vec<u8>) {
        if self.over_budget() {
            return;
        }
        let path = format!("{}!{}", self.path, name);
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
        let found = self.engine.detect(&seg.text, seg.label.as_deref());
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
                file: record(Status::Skipped, Some("empty file".into()), None),
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
        let Some(format) = extract::sniff(path, &head) else {
            return vec![FileResult {
                file: record(
                    Status::Skipped,
                    Some("binary file of unknown format".into()),
                    None,
                ),
                findings: vec![],
            }];
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
        };
        let ctx = ReadCtx {
            limits: &self.opts.limits,
            depth,
            deadline,
        };
        let outcome =
            crate::panics::catch(|| extract::reader_for(format).read(src, &ctx, &mut sink));
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
            Err(_) => (Status::Error, Some(crate::panics::damaged(format.name()))),
        };
        let mut file = record(status, reason, Some(format.name()));
        file.findings = sink.findings.len();
        let mut out = Vec::with_capacity(1 + sink.children.len());
        out.push(FileResult {
            file,
            findings: sink.findings,
        });
        out.extend(sink.children);
        out
    }

    /// Scan one walk entry.
    pub fn scan_entry(&self, entry: &Entry) -> Vec<FileResult> {
        if let Some(reason) = &entry.skip {
            return vec![FileResult {
                file: FileRecord {
                    path: entry.display.clone(),
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
        match Source::file(&entry.path) {
            Ok(src) => self.scan_source(&src, &entry.display, 0),
            Err(e) => vec![FileResult {
                file: FileRecord {
                    path: entry.display.clone(),
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
        }
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
            |_, entry| match cache {
                Some(c) => c.get_or_scan(entry, &|| self.scan_entry(entry)),
                None => self.scan_entry(entry),
            },
            |i, results| {
                let results = results.unwrap_or_else(|p| {
                    vec![FileResult {
                        file: FileRecord {
                            path: entries[i].display.clone(),
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
                    summary.add(r);
                    each(r);
                    if failed.is_none() {
                        if let Err(e) = report.file(r) {
                            failed = Some(e);
                        }
                    }
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

/// Most entries started ahead of the last one written (see [`Scanner::run`]).
pub const REORDER_WINDOW: usize = ordered::WINDOW;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::Filter;
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
