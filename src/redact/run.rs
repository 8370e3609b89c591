//! Owns the per-file loop of `zwartlak redact`: read each input, redact it
//! ([`Redaction::redact_file`]), re-scan the output and fail closed
//! ([`Redaction::verify`]), write it, and report the records in walk order.
//! Files run in parallel through [`crate::ordered`] (bounded window), each
//! within its time budget (`--file-timeout`): a file over it, or one whose
//! redactor panics, becomes a record and the run goes on. Also the first
//! pass of the pseudonym style ([`Redaction::build_register`]).

use super::{write_atomic, AuditRow, Cx, Job, Mention, RedactError, Redaction, Register};
use crate::document::Location;
use crate::extract::{self, ExtractError, Format, Source};
use crate::ordered;
use crate::pathname::ON_DISK;
use crate::record::{FileRecord, FileResult, FindingRecord, Owner, Status, Summary};
use crate::report::Report;
use crate::walk::Entry;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

/// Why a copy has another name than its input (file note and audit row).
const RENAMED: &str = "another input's copy has the same path in --out";

/// Why a copy's name (or a folder's) differs from its input's.
const NAME_REDACTED: &str = "personal data in its path was replaced";

/// The outcome of a job whose redaction panicked outside a redactor; `path`
/// as records show it.
fn panicked(path: String, p: &(dyn std::any::Any + Send)) -> Outcome {
    Outcome {
        results: vec![FileResult {
            file: FileRecord {
                path,
                status: Status::Error,
                reason: Some(format!(
                    "internal error while redacting (panic: {}): not written",
                    ordered::panic_message(p)
                )),
                findings: 0,
                format: None,
                bytes: 0,
                output: None,
                note: None,
            },
            findings: vec![],
        }],
        audit: Vec::new(),
        written: None,
        write_failed: false,
    }
}

/// What redacting one input produced.
pub struct Outcome {
    /// The records of the input and of the files inside it.
    pub results: Vec<FileResult>,
    /// The audit rows of the input.
    pub audit: Vec<AuditRow>,
    /// Where the copy was written, if it was.
    pub written: Option<PathBuf>,
    /// The copy should have been written but could not be.
    pub write_failed: bool,
}

/// What a whole redaction run produced.
pub struct Released {
    /// With `written`, `redactions`, `write_errors` and `renamed` set.
    pub summary: Summary,
    /// One row per redaction and per note about a file, in job order.
    pub audit: Vec<AuditRow>,
    /// Per job, in order: where its copy was written, if it was.
    pub written: Vec<Option<PathBuf>>,
}

impl Redaction {
    /// Redact one file in memory: the output bytes, or why not. The output is
    /// re-scanned: a third-party value still found fails the file.
    pub fn redact_file(&self, data: &[u8], path: &str) -> (Cx<'_>, Result<Vec<u8>, RedactError>) {
        self.redact_in(Cx::new(self, path, 0), data)
    }

    /// [`Redaction::redact_file`] in the context `cx` (a walk entry's:
    /// [`Cx::for_entry`]), under the path it shows.
    pub fn redact_in<'s>(
        &'s self,
        mut cx: Cx<'s>,
        data: &[u8],
    ) -> (Cx<'s>, Result<Vec<u8>, RedactError>) {
        let path = cx.path.clone();
        let out = cx.redact_bytes(data);
        let out = match out {
            Ok(_) if !cx.review.is_empty() => Err(RedactError::Review(cx.review.join("; "))),
            Ok(bytes) => {
                // A converted copy is read back as what it now is.
                let as_written = match cx.converted {
                    Some(c) => format!("{path}.{}", c.ext),
                    None => path.to_string(),
                };
                self.verify_within(&bytes, &as_written, cx.deadline())
                    .map(|()| bytes)
            }
            Err(e) => Err(e),
        };
        // The re-scan shares the file's time budget.
        let out = if cx.over_budget() {
            Err(cx.budget_error())
        } else {
            out
        };
        (cx, out)
    }

    /// Scan redacted output again; fail closed when anything that would be
    /// redacted is still there, or when the output no longer reads.
    pub fn verify(&self, out: &[u8], path: &str) -> Result<(), RedactError> {
        self.verify_within(out, path, extract::deadline_from(&self.scanner.opts.limits))
    }

    /// [`Redaction::verify`] within the deadline of the file being redacted.
    fn verify_within(
        &self,
        out: &[u8],
        path: &str,
        deadline: Option<Instant>,
    ) -> Result<(), RedactError> {
        if out.is_empty() {
            return Ok(());
        }
        let results =
            self.scanner
                .scan_source_within(&Source::Memory(out.to_vec()), path, 0, deadline);
        let mut left: BTreeMap<&'static str, usize> = BTreeMap::new();
        for r in &results {
            if matches!(r.file.status, Status::Error | Status::NeedsReview) {
                return Err(RedactError::Failed(format!(
                    "redacted output does not read back cleanly ({}): not written",
                    r.file.path.rsplit('!').next().unwrap_or("")
                )));
            }
            for f in &r.findings {
                if !Owner::kept(f.owner) {
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

    /// First pass of the pseudonym style: plan every file (its names, then
    /// its content) without writing, then number the third parties in walk
    /// order. Before [`super::plan_outputs`]: the copies' names use the numbers.
    pub fn build_register(&mut self, entries: &[Entry]) -> std::io::Result<()> {
        let mut mentions: Vec<Vec<Mention>> = Vec::with_capacity(entries.len());
        let pool = ordered::Pool {
            threads: self.scanner.opts.threads,
            window: ordered::WINDOW,
            name: "zwartlak-register",
        };
        let this = &*self;
        // A file that cannot be read or planned adds no mentions here; the
        // second pass reports it.
        ordered::map_ordered(
            entries,
            pool,
            |_, entry| {
                if entry.skip.is_some() {
                    return Vec::new();
                }
                let mut cx = Cx::for_entry(this, entry);
                let Ok(data) = std::fs::read(&entry.path) else {
                    return cx.mentions;
                };
                if data.len() as u64 <= this.scanner.opts.limits.max_file_size {
                    let _ = cx.redact_bytes(&data);
                }
                cx.mentions
            },
            |_, m| mentions.push(m.unwrap_or_default()),
        )?;
        self.register = Register::build(&mentions);
        Ok(())
    }

    /// Redact one job: read, redact, verify, write. Its records and audit
    /// rows start with the values in its names (see [`Cx::for_entry`]); a
    /// skipped entry is not read and its names give none.
    pub fn run_job(&self, job: &Job) -> Outcome {
        let entry = &job.entry;
        let mut cx = Cx::for_entry(self, entry);
        let record = |path: &str, status, reason: Option<String>, bytes| FileRecord {
            path: path.to_string(),
            status,
            reason,
            findings: 0,
            format: None,
            bytes,
            output: None,
            note: None,
        };
        let single = |mut file: FileRecord, findings: Vec<FindingRecord>| {
            file.findings = findings.len();
            Outcome {
                results: vec![FileResult { file, findings }],
                audit: vec![],
                written: None,
                write_failed: false,
            }
        };
        if let Some(reason) = &entry.skip {
            return single(
                record(&cx.path, Status::Skipped, Some(reason.clone()), 0),
                vec![],
            );
        }
        let data = match std::fs::metadata(&entry.path) {
            Ok(m) if m.len() > self.scanner.opts.limits.max_file_size => {
                return single(
                    record(
                        &cx.path,
                        Status::Skipped,
                        Some(format!(
                            "larger than --max-filesize ({} bytes): not written",
                            self.scanner.opts.limits.max_file_size
                        )),
                        m.len(),
                    ),
                    std::mem::take(&mut cx.findings),
                )
            }
            Ok(_) => std::fs::read(&entry.path),
            Err(e) => Err(e),
        };
        let data = match data {
            Ok(d) => d,
            Err(e) => {
                return single(
                    record(
                        &cx.path,
                        Status::Error,
                        Some(ExtractError::Io(e).to_string()),
                        0,
                    ),
                    std::mem::take(&mut cx.findings),
                )
            }
        };
        let (mut cx, out) = self.redact_in(cx, &data);
        let mut file = record(&cx.path, Status::Scanned, None, data.len() as u64);
        file.format = extract::sniff_bytes(&entry.display, &data).map(Format::name);
        let mut written = false;
        let mut write_failed = false;
        let target = match cx.converted {
            Some(_) => &job.converted_out,
            None => &job.out,
        };
        // The copy's name is read again, like its content: fail closed.
        let out = out.and_then(|bytes| match self.name_left(target, job.names) {
            Some(left) => Err(RedactError::Failed(format!(
                "the name of the redacted copy still holds {left}: not written"
            ))),
            None => Ok(bytes),
        });
        match out {
            Ok(bytes) => match write_atomic(target, &bytes) {
                Ok(()) => written = true,
                Err(e) => {
                    write_failed = true;
                    file.status = Status::Error;
                    file.reason = Some(format!("cannot write the redacted copy: {e}"));
                }
            },
            Err(e) => {
                file.status = e.status();
                file.reason = Some(e.to_string());
            }
        }
        if written && (cx.converted.is_some() || job.renamed || job.name_redacted) {
            let name = target
                .file_name()
                .map(crate::walk::display_name)
                .unwrap_or_default();
            let mut why = Vec::new();
            if job.name_redacted {
                why.push(NAME_REDACTED);
            }
            if job.renamed {
                why.push(RENAMED);
            }
            if let Some(c) = cx.converted {
                why.push(c.reason);
            }
            file.output = Some(name.clone());
            file.note = Some(format!("written as {name}; {}", why.join("; ")));
            for (i, reason) in why.into_iter().enumerate() {
                cx.audit.insert(
                    i,
                    AuditRow::note(&cx.audit_path, Location::default(), reason, name.clone()),
                );
            }
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
            written: written.then(|| target.clone()),
            write_failed,
        }
    }

    /// Redact all jobs in parallel; report results in walk order. Returns the
    /// summary (with `written`, `redactions`, `write_errors`, `renamed`),
    /// the audit rows and where each copy went.
    pub fn run(
        &self,
        jobs: &[Job],
        report: &mut dyn Report,
        each: &mut dyn FnMut(&FileResult),
    ) -> std::io::Result<Released> {
        let start = Instant::now();
        let mut summary = Summary::default();
        let mut audit = Vec::new();
        let mut written = Vec::with_capacity(jobs.len());
        let mut write_errors = 0u64;
        let mut renamed = 0u64;
        let mut failed = None;
        let pool = ordered::Pool {
            threads: self.scanner.opts.threads,
            window: ordered::WINDOW,
            name: "zwartlak-redact",
        };
        ordered::map_ordered(
            jobs,
            pool,
            |_, job| {
                let o = self.run_job(job);
                if let Some(p) = &self.scanner.opts.progress {
                    p.finished(o.results.first().map_or(0, |r| r.file.bytes));
                }
                o
            },
            |i, outcome| {
                let mut o = outcome.unwrap_or_else(|p| {
                    let e = &jobs[i].entry;
                    let shown = self.scanner.shown_path(&e.display, e.names_from, ON_DISK);
                    panicked(shown, p.as_ref())
                });
                write_errors += u64::from(o.write_failed);
                renamed += u64::from(o.written.is_some() && jobs[i].renamed);
                written.push(o.written.take());
                audit.append(&mut o.audit);
                for r in &o.results {
                    crate::scan::deliver(r, &mut summary, each, report, &mut failed);
                }
            },
        )?;
        if let Some(e) = failed {
            return Err(e);
        }
        summary.seconds = (start.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
        summary.written = Some(written.iter().flatten().count() as u64);
        summary.write_errors = Some(write_errors);
        summary.renamed = Some(renamed);
        // Rows without a kind are about whole files (conversions), not values.
        summary.redactions = Some(audit.iter().filter(|r| r.kind.is_some()).count() as u64);
        report.finish(&summary)?;
        Ok(Released {
            summary,
            audit,
            written,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::redaction;
    use super::super::Style;
    use super::*;

    #[test]
    fn unsupported_formats_are_withheld() {
        let red = redaction(Style::Label, None);
        // An image: no text to redact, so it cannot be shown to be clean.
        let (_, out) = red.redact_file(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0", "scan.png");
        let err = out.unwrap_err();
        assert_eq!(err.status(), Status::NeedsReview, "{err}");
    }
}
