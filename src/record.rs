//! The records a scan produces, as the SPEC fixes them for `--format jsonl`:
//! one finding record per finding, one file record per file, one summary.

use crate::document::Location;
use crate::kind::Kind;
use serde::{Deserialize, Serialize};

/// Who a finding belongs to (with `--subject` / `--keep`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// The data subject the dossier is about (`--subject`).
    Subject,
    /// Someone else: neither the subject nor staff.
    ThirdParty,
    /// A corporation employee (`--keep`), whose data is kept.
    Staff,
    /// The organisation's own identifiers (`[organization]` in `zwartlak.toml`).
    Organization,
}

impl Owner {
    /// The keep/redact rule: the data subject's own values, staff names and
    /// contact details and the organisation's identifiers are kept; a third
    /// party's are redacted.
    pub fn is_kept(self) -> bool {
        match self {
            Owner::Subject | Owner::Staff | Owner::Organization => true,
            Owner::ThirdParty => false,
        }
    }

    /// [`Owner::is_kept`] for a finding's owner, which is `None` when no
    /// `--subject` or `--keep` was given: then nothing is kept.
    pub fn kept(owner: Option<Owner>) -> bool {
        owner.is_some_and(Owner::is_kept)
    }

    /// The SPEC's snake_case name of the owner (`"third_party"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Owner::Subject => "subject",
            Owner::ThirdParty => "third_party",
            Owner::Staff => "staff",
            Owner::Organization => "organization",
        }
    }
}

/// One finding as reported.
#[derive(Clone, Debug, Serialize)]
pub struct FindingRecord {
    /// Display path of the file (archive members as `archive!member`).
    pub path: String,
    /// The kind of personal data.
    pub kind: Kind,
    /// Masked unless `--reveal`.
    pub value: String,
    /// Detector confidence in `0.0..=1.0`.
    pub confidence: f32,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Who the value belongs to; `None` without `--subject` / `--keep`.
    pub owner: Option<Owner>,
    /// Where in the file the value was found.
    pub location: Location,
    /// The detector that found it.
    pub rule: &'static str,
    /// The id of the roster row the value belongs to (`--roster`): the row's
    /// id column, or "file:row". Not personal data (an id that is a BSN is
    /// never used); printed as it is, also without `--reveal`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roster: Option<String>,
    /// Normalized value; never serialized (it is raw personal data). Used for
    /// ownership, fingerprints and deduplication.
    #[serde(skip)]
    pub norm: String,
}

/// The status of one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The file was read and scanned completely.
    Scanned,
    /// The file was not scanned (too large, unsupported, excluded); `reason` says why.
    Skipped,
    /// The file could not be read; `reason` says why.
    Error,
    /// The file was scanned but part of it could not be (e.g. an image page); `reason` says what.
    NeedsReview,
}

impl Status {
    /// The SPEC's snake_case name of the status (`"needs_review"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Scanned => "scanned",
            Status::Skipped => "skipped",
            Status::Error => "error",
            Status::NeedsReview => "needs_review",
        }
    }
}

/// Why a file was skipped by choice, not for its content: these skips do not
/// fail the gate (see [`FileRecord::unread`]).
pub mod skip {
    /// A file of zero bytes: there is nothing to read.
    pub const EMPTY: &str = "empty file";
    /// Symbolic links are not followed unless asked (like ripgrep).
    pub const SYMLINK: &str = "symbolic link (not followed; use --follow-symlinks)";
    /// Fifos, devices and sockets are never opened.
    pub const SPECIAL: &str = "not a regular file (fifo, device or socket)";
    /// The start of the reason of a file left out by an exclude glob.
    pub const EXCLUDED: &str = "excluded by the glob";
}

/// One file (or archive member) and what was found in it.
#[derive(Clone, Debug, Serialize)]
pub struct FileRecord {
    /// Display path of the file (archive members as `archive!member`).
    pub path: String,
    /// What happened to the file.
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Why the file was skipped, failed or needs review; `None` when scanned cleanly.
    pub reason: Option<String>,
    /// Number of findings reported for this file.
    pub findings: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The detected format (`"pdf"`, `"docx"` ...), when known.
    pub format: Option<&'static str>,
    /// Size of the file in bytes.
    pub bytes: u64,
    /// `redact`: the name of the redacted copy when it is not the input's
    /// (a workbook converted to XLSX: `huur.xls` → `huur.xlsx`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// Something a reader of the report should know about a file that is
    /// not a problem (`reason` is for problems): what a conversion dropped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl FileRecord {
    /// Whether the file was not read completely for a reason the user did
    /// not choose: an `error`, `needs_review`, or a skip for its content
    /// (over a size limit, an unknown format, a folder that cannot be
    /// walked). With `--fail-on` such a file fails the gate unless allowed.
    /// Skips the user chose (an exclude glob, symbolic links not followed,
    /// special files) and empty files are not.
    pub fn unread(&self) -> bool {
        match self.status {
            Status::Scanned => false,
            Status::Error | Status::NeedsReview => true,
            Status::Skipped => {
                let reason = self.reason.as_deref().unwrap_or("");
                ![skip::EMPTY, skip::SYMLINK, skip::SPECIAL].contains(&reason)
                    && !reason.starts_with(skip::EXCLUDED)
            }
        }
    }

    /// A skip the user chose (see [`FileRecord::unread`]), listed in reports.
    pub fn skipped_by_choice(&self) -> bool {
        self.status == Status::Skipped
            && !self.unread()
            && self.reason.as_deref() != Some(skip::EMPTY)
    }
}

/// A file record with its findings, as the pipeline hands it to a report.
#[derive(Clone, Debug)]
pub struct FileResult {
    /// The file's record.
    pub file: FileRecord,
    /// The file's findings, in document order.
    pub findings: Vec<FindingRecord>,
}

/// Totals of a run.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Summary {
    /// Files and archive members seen.
    pub files: u64,
    /// Bytes read from disk (archive members are counted in their archive's size).
    pub bytes: u64,
    /// Findings reported.
    pub findings: u64,
    /// Files with status `error`.
    pub errors: u64,
    /// Files with status `needs_review`.
    pub needs_review: u64,
    /// Files with status `skipped`.
    pub skipped: u64,
    /// Wall-clock duration of the run in seconds.
    pub seconds: f64,
    /// `redact`: redacted copies written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written: Option<u64>,
    /// `redact`: values replaced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redactions: Option<u64>,
    /// `redact`: copies that should have been written but could not be
    /// (a write error; files withheld on purpose are not counted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub write_errors: Option<u64>,
    /// `redact`: copies written under another name because another
    /// input's copy has the same path (`x (2).txt`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed: Option<u64>,
}

impl Summary {
    /// Count one file result into the totals (not `seconds`, `written`, `redactions`).
    pub fn add(&mut self, r: &FileResult) {
        self.files += 1;
        // Members of an archive are counted as files, their bytes only once (the archive's).
        if !r.file.path.contains('!') {
            self.bytes += r.file.bytes;
        }
        self.findings += r.findings.len() as u64;
        match r.file.status {
            Status::Error => self.errors += 1,
            Status::NeedsReview => self.needs_review += 1,
            Status::Skipped => self.skipped += 1,
            Status::Scanned => {}
        }
    }
}

/// Any record, tagged with `"record"` as the SPEC requires.
#[derive(Serialize)]
#[serde(tag = "record", rename_all = "snake_case")]
pub enum Record<'a> {
    /// A finding record.
    Finding(&'a FindingRecord),
    /// A file record.
    File(&'a FileRecord),
    /// The summary record, written last.
    Summary(&'a Summary),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_and_staff_are_kept_third_parties_and_unknown_owners_not() {
        assert!(Owner::kept(Some(Owner::Subject)));
        assert!(Owner::kept(Some(Owner::Staff)));
        assert!(Owner::kept(Some(Owner::Organization)));
        assert_eq!(
            serde_json::to_string(&Owner::Organization).unwrap(),
            "\"organization\""
        );
        assert!(!Owner::kept(Some(Owner::ThirdParty)));
        assert!(!Owner::kept(None));
    }

    #[test]
    fn records_serialize_as_the_spec_says() {
        let f = FindingRecord {
            path: "d/brief.pdf".into(),
            kind: Kind::Iban,
            value: "NL91 **** **** **** 4300".into(),
            confidence: 0.99,
            owner: Some(Owner::ThirdParty),
            location: Location::page(2),
            rule: "iban",
            roster: None,
            norm: "NL91ABNA0417164300".into(),
        };
        let j = serde_json::to_string(&Record::Finding(&f)).unwrap();
        assert!(j.starts_with(r#"{"record":"finding","path":"d/brief.pdf","kind":"iban","value":"NL91 **** **** **** 4300","confidence":0.99,"owner":"third_party","location":{"page":2}"#), "{j}");
        assert!(!j.contains("NL91ABNA"), "norm must never be serialized");
        assert!(!j.contains("roster"), "no roster key without a roster: {j}");
        let with_id = FindingRecord {
            roster: Some("K-1042".into()),
            ..f
        };
        let j = serde_json::to_string(&Record::Finding(&with_id)).unwrap();
        assert!(j.ends_with(r#""rule":"iban","roster":"K-1042"}"#), "{j}");
        let s = serde_json::to_string(&Record::Summary(&Summary::default())).unwrap();
        assert!(s.starts_with(r#"{"record":"summary","files":0"#));
    }
}
