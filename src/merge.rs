//! Scale-out: `--shard K/N` picks a deterministic slice of the file set, and
//! `zwartlak merge` joins the JSONL reports of the shards into one report.
//!
//! A file belongs to shard `blake3(display path) mod N`, so every worker of a
//! Kubernetes Indexed Job / Slurm array / GNU parallel run, given the same
//! paths, agrees on the split without talking to the others. Merging reads
//! the shards' records back ([`StoredFinding`], [`StoredFile`]), puts them in
//! the order one full run would have written (by path, archive members after
//! their archive) and recomputes the summary; `seconds` is the slowest shard's.

use crate::document::Location;
use crate::kind::Kind;
use crate::record::{FileRecord, FileResult, FindingRecord, Owner, Status, Summary};
use crate::report::Report;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::io::{self, BufRead};
use std::sync::{Mutex, OnceLock};

/// `K/N`: this worker's shard (0-based `K`) of `N`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// This worker's shard, 0-based, below `count`.
    pub index: u64,
    /// Number of shards, at least 1.
    pub count: u64,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| format!("`{s}`: expected K/N, e.g. 0/4"))?;
        let index: u64 = k
            .trim()
            .parse()
            .map_err(|_| format!("`{s}`: K is not a number"))?;
        let count: u64 = n
            .trim()
            .parse()
            .map_err(|_| format!("`{s}`: N is not a number"))?;
        if count == 0 || index >= count {
            return Err(format!(
                "`{s}`: K must be 0..N-1 (shards count from 0, like JOB_COMPLETION_INDEX)"
            ));
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether the file with this display path belongs to this shard.
    pub fn owns(&self, display: &str) -> bool {
        shard_of(display, self.count) == self.index
    }
}

/// The shard (of `count`) a display path belongs to.
pub fn shard_of(display: &str, count: u64) -> u64 {
    let h = blake3::hash(display.as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(&h.as_bytes()[..8]);
    u64::from_le_bytes(b) % count
}

/// A `&'static str` for a rule or format name read back from a file. Names
/// come from a small fixed set, so the leaked memory is bounded.
pub fn intern(s: &str) -> &'static str {
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut set = NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    if let Some(&n) = set.get(s) {
        return n;
    }
    let leaked: &'static str = Box::leak(s.to_string().into_boxed_str());
    set.insert(leaked);
    leaked
}

/// A finding record as stored or read back.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoredFinding {
    /// Display path of the file.
    pub path: String,
    /// The kind of personal data.
    pub kind: Kind,
    /// The value as written (masked unless the run used `--reveal`).
    pub value: String,
    /// Detector confidence in `0.0..=1.0`.
    pub confidence: f32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Who the value belongs to, when ownership was decided.
    pub owner: Option<Owner>,
    #[serde(default)]
    /// Where in the file the value was found.
    pub location: Location,
    #[serde(default)]
    /// The detector that found it.
    pub rule: String,
    /// The roster row's id (absent in records and cache entries without one,
    /// and in those written before it existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roster: Option<String>,
    /// Only in cache entries (JSONL never holds it).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub norm: String,
    /// In JSONL written with a fingerprint key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}

impl From<&FindingRecord> for StoredFinding {
    fn from(f: &FindingRecord) -> Self {
        StoredFinding {
            path: f.path.clone(),
            kind: f.kind,
            value: f.value.clone(),
            confidence: f.confidence,
            owner: f.owner,
            location: f.location.clone(),
            rule: f.rule.to_string(),
            roster: f.roster.clone(),
            norm: f.norm.clone(),
            fingerprint: None,
        }
    }
}

impl StoredFinding {
    /// Turn the stored finding back into a record (its rule name interned).
    pub fn into_record(self) -> FindingRecord {
        FindingRecord {
            path: self.path,
            kind: self.kind,
            value: self.value,
            confidence: self.confidence,
            owner: self.owner,
            location: self.location,
            rule: intern(&self.rule),
            roster: self.roster,
            norm: self.norm,
        }
    }
}

/// A file record as stored or read back.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoredFile {
    /// Display path of the file.
    pub path: String,
    /// What happened to the file.
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Why the file was skipped, failed or needs review.
    pub reason: Option<String>,
    #[serde(default)]
    /// Number of findings reported for this file.
    pub findings: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The detected format, when known.
    pub format: Option<String>,
    #[serde(default)]
    /// Size of the file in bytes.
    pub bytes: u64,
}

impl From<&FileRecord> for StoredFile {
    fn from(f: &FileRecord) -> Self {
        StoredFile {
            path: f.path.clone(),
            status: f.status,
            reason: f.reason.clone(),
            findings: f.findings,
            format: f.format.map(str::to_string),
            bytes: f.bytes,
        }
    }
}

impl StoredFile {
    /// Turn the stored file back into a record (its format name interned).
    pub fn into_record(self) -> FileRecord {
        FileRecord {
            path: self.path,
            status: self.status,
            reason: self.reason,
            findings: self.findings,
            format: self.format.as_deref().map(intern),
            bytes: self.bytes,
            output: None,
            note: None,
        }
    }
}

#[derive(Deserialize)]
#[serde(tag = "record", rename_all = "snake_case")]
enum Line {
    Finding(StoredFinding),
    File(StoredFile),
    Summary(Summary),
}

/// A JSONL report that cannot be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// A report could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The report's name.
        path: String,
        /// The read error.
        source: io::Error,
    },
    /// A line of a report is not a zwartlak JSONL record.
    #[error("{path}:{line}: not a zwartlak JSONL record ({why})")]
    Record {
        /// The report's name.
        path: String,
        /// 1-based line number in the report; 0 when the fault is the report as a whole.
        line: usize,
        /// What is wrong with the line.
        why: String,
    },
    /// A report ends without a summary record (its shard did not finish).
    #[error("{path}: has no summary record (did that shard finish?)")]
    Incomplete {
        /// The report's name.
        path: String,
    },
}

/// The merged reports: file results in full-run order, and the summary.
pub struct Merged {
    /// File results in the order one full run would have written them.
    pub results: Vec<FileResult>,
    /// Totals recomputed over all shards; `seconds` is the slowest shard's.
    pub summary: Summary,
    /// Whether every finding carried a fingerprint.
    pub fingerprinted: bool,
}

/// Read the JSONL reports `inputs` (name, reader) and merge them.
pub fn merge(inputs: Vec<(String, Box<dyn BufRead>)>) -> Result<Merged, MergeError> {
    // Results grouped by the path on disk (archive members with their archive).
    let mut groups: BTreeMap<String, Vec<FileResult>> = BTreeMap::new();
    let mut seconds: f64 = 0.0;
    let mut fingerprinted = true;
    for (name, reader) in inputs {
        let mut pending: Vec<FindingRecord> = Vec::new();
        let mut finished = false;
        for (i, line) in reader.lines().enumerate() {
            let line = line.map_err(|source| MergeError::Io {
                path: name.clone(),
                source,
            })?;
            if line.trim().is_empty() {
                continue;
            }
            let rec: Line = serde_json::from_str(&line).map_err(|e| MergeError::Record {
                path: name.clone(),
                line: i + 1,
                // the kind of error and where, never serde's message (it can quote a value)
                why: format!("{:?} error at column {}", e.classify(), e.column()),
            })?;
            match rec {
                Line::Finding(mut f) => {
                    match f.fingerprint.take() {
                        Some(fp) => f.norm = fp,
                        None => fingerprinted = false,
                    }
                    pending.push(f.into_record());
                }
                Line::File(file) => {
                    let file = file.into_record();
                    let (mine, rest): (Vec<_>, Vec<_>) =
                        pending.drain(..).partition(|f| f.path == file.path);
                    pending = rest;
                    let key = file.path.split('!').next().unwrap_or("").to_string();
                    groups.entry(key).or_default().push(FileResult {
                        file,
                        findings: mine,
                    });
                }
                Line::Summary(s) => {
                    seconds = seconds.max(s.seconds);
                    finished = true;
                }
            }
        }
        if !finished {
            return Err(MergeError::Incomplete { path: name });
        }
        if !pending.is_empty() {
            return Err(MergeError::Record {
                path: name,
                line: 0,
                why: "findings without their file record".into(),
            });
        }
    }
    let mut summary = Summary::default();
    let mut results = Vec::new();
    for (_, group) in groups {
        for r in group {
            summary.add(&r);
            results.push(r);
        }
    }
    summary.seconds = seconds;
    Ok(Merged {
        results,
        summary,
        fingerprinted,
    })
}

impl Merged {
    /// Write the merged results to a report.
    pub fn write(&self, report: &mut dyn Report) -> io::Result<()> {
        for r in &self.results {
            report.file(r)?;
        }
        report.finish(&self.summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_without_overlap() {
        let paths: Vec<String> = (0..1000).map(|i| format!("d/{i}.txt")).collect();
        let shards: Vec<Shard> = (0..4).map(|k| format!("{k}/4").parse().unwrap()).collect();
        let mut sizes = [0usize; 4];
        for p in &paths {
            let owners: Vec<usize> = (0..4).filter(|&k| shards[k].owns(p)).collect();
            assert_eq!(owners.len(), 1);
            sizes[owners[0]] += 1;
        }
        assert!(sizes.iter().all(|&n| n > 180), "{sizes:?}");
        assert!("4/4".parse::<Shard>().is_err());
        assert!("1/0".parse::<Shard>().is_err());
        assert!("a/2".parse::<Shard>().is_err());
        assert!("3".parse::<Shard>().is_err());
    }

    #[test]
    fn merges_in_full_run_order() {
        let a = r#"{"record":"finding","path":"b.zip!x.txt","kind":"bsn","value":"*","confidence":0.9,"location":{"line":1},"rule":"bsn","fingerprint":"ab"}
{"record":"file","path":"b.zip","status":"scanned","findings":0,"format":"zip","bytes":100}
{"record":"file","path":"b.zip!x.txt","status":"scanned","findings":1,"format":"txt","bytes":10}
{"record":"summary","files":2,"bytes":100,"findings":1,"errors":0,"needs_review":0,"skipped":0,"seconds":0.5}
"#;
        let b = r#"{"record":"file","path":"a.txt","status":"error","reason":"bad","findings":0,"bytes":5}
{"record":"file","path":"c.txt","status":"scanned","findings":0,"format":"txt","bytes":7}
{"record":"summary","files":2,"bytes":12,"findings":0,"errors":1,"needs_review":0,"skipped":0,"seconds":0.7}
"#;
        let m = merge(vec![
            ("a".into(), Box::new(a.as_bytes()) as Box<dyn BufRead>),
            ("b".into(), Box::new(b.as_bytes())),
        ])
        .unwrap();
        let paths: Vec<&str> = m.results.iter().map(|r| r.file.path.as_str()).collect();
        assert_eq!(paths, vec!["a.txt", "b.zip", "b.zip!x.txt", "c.txt"]);
        assert_eq!(m.summary.files, 4);
        assert_eq!(m.summary.bytes, 112);
        assert_eq!(m.summary.findings, 1);
        assert_eq!(m.summary.errors, 1);
        assert_eq!(m.summary.seconds, 0.7);
        assert!(m.fingerprinted);
        assert_eq!(m.results[2].findings[0].norm, "ab");
        // a shard that did not finish is refused
        let cut = &a[..a.find("{\"record\":\"summary\"").unwrap()];
        assert!(matches!(
            merge(vec![(
                "a".into(),
                Box::new(cut.as_bytes()) as Box<dyn BufRead>
            )]),
            Err(MergeError::Incomplete { .. })
        ));
        assert!(merge(vec![(
            "x".into(),
            Box::new("not json\n".as_bytes()) as Box<dyn BufRead>
        )])
        .is_err());
    }
}
