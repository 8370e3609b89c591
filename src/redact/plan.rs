//! Owns the redaction plan: what happens to each finding and each file.
//! [`Cx`] is the context of one file being redacted; [`Cx::plan`] decides
//! which spans of a text are replaced, by what ([`Redaction::replacement`])
//! and why (the audit row), and keeps the mentions the pseudonym register is
//! built from; [`Cx::embedded`] and [`Cx::redact_bytes`] decide, per file,
//! which redactor handles it or why it is withheld. Every file has a time
//! budget (`--file-timeout`) shared with the files inside it: once it has
//! passed, nothing more is planned and the file is not written.

use super::columns::{column_values, segment_findings_with, ColumnValues};
use super::{redactor_for, register, AuditRow, Edit, RedactError, Redaction, Style, BOX};
use crate::document::{Location, Segment};
use crate::extract::{self, ExtractError, Format, Limits};
use crate::kind::Kind;
use crate::mask::mask;
use crate::pathname;
use crate::record::{FileRecord, FileResult, FindingRecord, Owner, Status};
use std::time::Instant;

/// A redactor that wrote another format than it read: the extension of the
/// output, and what the audit and the file record say about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conversion {
    /// Without the dot: `xlsx`.
    pub ext: &'static str,
    /// What the audit and the file record say about the conversion.
    pub reason: &'static str,
}

/// A third-party mention seen while planning (for the pseudonym register).
#[derive(Clone, Debug)]
pub struct Mention {
    /// The kind of the mentioned value.
    pub kind: Kind,
    /// The normalized value (raw personal data; never printed).
    pub norm: String,
    /// The value as it stood in the text (raw personal data; never printed).
    pub raw: String,
    /// Mentions with the same `segment` number stood in one text.
    pub segment: usize,
    /// Byte offset of the mention's start in its segment's text.
    pub start: usize,
    /// Byte offset of the mention's end (exclusive) in its segment's text.
    pub end: usize,
    /// Only a short gap ([`register::joins`]) separates it from the previous
    /// mention in the same text ("Jan de Vries <jan@x.nl>").
    pub joined: bool,
}

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

/// The context of one file being redacted: what was found, what was
/// replaced, and what could not be handled.
pub struct Cx<'a> {
    /// The redaction run this file belongs to.
    pub red: &'a Redaction,
    /// Display path of the file (archive members as `archive!member`), as
    /// its records show it: the values in its names masked unless `--reveal`.
    pub path: String,
    /// The path as the audit shows it: masked, whatever `--reveal` says.
    pub audit_path: String,
    /// Nesting depth of the file (0 for a file on disk).
    pub depth: u32,
    /// The findings of the file, as reported.
    pub findings: Vec<FindingRecord>,
    /// One audit row per replaced or kept finding.
    pub audit: Vec<AuditRow>,
    /// What could not be redacted; any entry makes the file `needs_review`.
    pub review: Vec<String>,
    /// Records of the files inside this one (archive members, attachments).
    pub children: Vec<FileResult>,
    /// Third-party mentions, in text order, for the pseudonym register.
    pub mentions: Vec<Mention>,
    /// Set by a redactor whose output is in another format than its input.
    pub converted: Option<Conversion>,
    /// The text of every finding that is kept (subject, staff, organisation): a
    /// removed value may still stand inside one ("Dorpsweg 4" in "Dorpsweg 4-II").
    pub kept: std::collections::BTreeSet<String>,
    segments: usize,
    /// When the time budget of the file on disk runs out (files inside it
    /// share it). `None`: no budget.
    deadline: Option<Instant>,
    /// Set once the deadline has passed: nothing more is planned and the
    /// file is not written.
    timed_out: bool,
    /// Values that column evidence raised in a scan of this file (tables
    /// only): planned at that confidence wherever they stand in it.
    column_values: ColumnValues,
}

impl<'a> Cx<'a> {
    /// The context of a file whose time budget starts now.
    pub fn new(red: &'a Redaction, path: &str, depth: u32) -> Self {
        Cx {
            red,
            path: path.to_string(),
            audit_path: path.to_string(),
            depth,
            findings: Vec::new(),
            audit: Vec::new(),
            review: Vec::new(),
            children: Vec::new(),
            mentions: Vec::new(),
            converted: None,
            kept: Default::default(),
            segments: 0,
            deadline: extract::deadline_from(&red.scanner.opts.limits),
            timed_out: false,
            column_values: ColumnValues::new(),
        }
    }

    /// The per-file limits of the run.
    pub fn limits(&self) -> &Limits {
        &self.red.scanner.opts.limits
    }

    /// When the file's time budget runs out (for a redactor's `ReadCtx`).
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Whether the file's time budget has run out (checked, and remembered,
    /// at every segment and every file inside it).
    pub fn over_budget(&mut self) -> bool {
        if !self.timed_out && self.deadline.is_some_and(|d| Instant::now() >= d) {
            self.timed_out = true;
        }
        self.timed_out
    }

    /// The error of a file over its time budget.
    pub fn budget_error(&self) -> RedactError {
        RedactError::Extract(extract::budget_error(self.limits()))
    }

    /// A picture copied as it is (a logo, a photo, a pasted scan): its pixels
    /// were not checked, so the audit log asks for a look before release.
    pub fn image_kept(&mut self, location: Location) {
        self.audit.push(AuditRow::note(
            &self.audit_path,
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
    /// subject's, staff's or organisation's. Returns the edits in text order.
    ///
    /// Once the time budget has run out nothing is planned: the file fails
    /// (see [`Cx::redact_bytes`]), so the text left as it is never written.
    pub fn plan(&mut self, seg: &Segment) -> Vec<Edit> {
        if self.over_budget() {
            return Vec::new();
        }
        let red = self.red;
        let found = segment_findings_with(&red.scanner, &self.path, seg, &self.column_values);
        let segment = self.segments;
        self.segments += 1;
        let mut edits = Vec::new();
        for (span, f) in found {
            let raw = &seg.text[span.clone()];
            let owner = f.owner;
            let redact = !Owner::kept(owner);
            if redact {
                let replacement = red.replacement(f.kind, &f.norm, raw);
                self.audit.push(AuditRow {
                    file: self.audit_path.clone(),
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
        // The member's name as records and the audit show it.
        let masked = self.red.scanner.masked_path(name, 0, pathname::IN_ARCHIVE);
        let shown = if self.red.scanner.opts.reveal {
            name
        } else {
            &masked
        };
        let path = format!("{}!{}", self.path, shown);
        let mut child = Cx::new(self.red, &path, self.depth + 1);
        child.audit_path = format!("{}!{}", self.audit_path, masked);
        child.deadline = self.deadline;
        let outcome = child.redact_bytes(data);
        self.timed_out |= child.timed_out;
        let outcome = match outcome {
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
                format: extract::sniff_bytes(name, data).map(Format::name),
                bytes: data.len() as u64,
                output: None,
                note: None,
            },
            findings: child_findings,
        });
        self.children.append(&mut child.children);
        // The parent's reason names the member as records show it.
        let name = shown;
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
        if self.over_budget() {
            return Err(self.budget_error());
        }
        if data.is_empty() {
            return Ok(Vec::new());
        }
        if self.depth > self.limits().max_depth {
            return Err(RedactError::Extract(ExtractError::Limit(format!(
                "nested deeper than {} levels",
                self.limits().max_depth
            ))));
        }
        let format = extract::sniff_bytes(&self.path, data).ok_or_else(|| {
            RedactError::Review(if is_image(data) {
                "an image: text in its pixels cannot be checked or redacted".into()
            } else {
                "binary file of unknown format: cannot be redacted".into()
            })
        })?;
        let redactor = redactor_for(format).ok_or(RedactError::Unsupported(format.name()))?;
        if matches!(
            format,
            Format::Csv | Format::Tsv | Format::Json | Format::Spreadsheet
        ) {
            // Column evidence needs whole columns: a scan of the file first,
            // so that the copy loses what a scan of the input reports.
            self.column_values = column_values(
                &self.red.scanner,
                &extract::Source::Memory(data.to_vec()),
                &self.path,
                self.depth,
                self.deadline,
            );
        }
        let out = match crate::panics::catch(|| redactor.redact(data, self)) {
            Ok(r) => r,
            Err(_) => Err(RedactError::Failed(crate::panics::damaged(format.name()))),
        };
        // Segments after the deadline were not planned: whatever the
        // redactor made of them cannot be written.
        if self.over_budget() {
            return Err(self.budget_error());
        }
        out
    }
}

impl Redaction {
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
}

#[cfg(test)]
mod tests {
    use super::super::apply;
    use super::super::tests::redaction;
    use super::*;

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
}
