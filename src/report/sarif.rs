//! `sarif`: SARIF 2.1.0 for code-scanning dashboards, within what GitHub
//! code scanning accepts. One rule per finding kind (with its
//! `security-severity` from the kind table); one result per finding with its
//! location: a `region` only where the finding has a start (a line, or a byte
//! offset in the file itself, GitHub's rule GH1003), while page, sheet, cell,
//! part and paragraph are location properties and logical locations. With a
//! fingerprint key `partialFingerprints` holds the keyed fingerprint (never
//! the value); the roster row's id of a finding (`--roster`) is the result
//! property `roster`. Paths are relative to `SRCROOT`, defined in the run's
//! `originalUriBaseIds`.
//!
//! A run holds at most [`DEFAULT_MAX_RESULTS`] results (GitHub rejects a run
//! of more than 25,000), or the `--sarif-max-results` given. A file's
//! findings are listed one by one while they fit below the cap minus a
//! reserve of a tenth; past that a file gets one result per kind saying how
//! many findings it holds; when even those do not fit, the findings are
//! counted into one result per kind at the end of the run. Nothing is
//! dropped without a count: the run's `properties.resultCap` and a
//! notification say the cap applied. Files that could not be read become
//! tool execution notifications, and a file that failed (status `error`, or
//! skipped for a reason the user did not choose) makes
//! `executionSuccessful` false. Results are streamed.

use super::{round2, Report};
use crate::baseline::Fingerprints;
use crate::detect::pattern::builtin_descriptions;
use crate::document::Location;
use crate::kind::Kind;
use crate::record::{FileResult, FindingRecord, Status, Summary};
use serde_json::{json, Map, Value};
use std::io::{self, Write};
use std::path::Path;

/// The key of our fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "zwartlak/v1";

/// Results per run by default: GitHub code scanning's maximum ("SARIF
/// support for code scanning", limits: 25,000 results per run, of which it
/// shows the 5,000 most severe).
pub const DEFAULT_MAX_RESULTS: usize = 25_000;

/// The least cap accepted: room for the end-of-run result of every kind
/// and a few more.
pub const MIN_MAX_RESULTS: usize = 2 * Kind::ALL.len();

/// The `uriBaseId` of every artifact location.
const SRCROOT: &str = "SRCROOT";

/// Findings not listed one by one, per kind (in [`Kind::ALL`] order).
#[derive(Clone, Default)]
struct Folded {
    findings: u64,
    files: u64,
    /// The first file counted, for the result's location.
    first: Option<String>,
    /// The highest confidence counted.
    confidence: f32,
}

pub struct SarifReport<'w> {
    out: Box<dyn Write + 'w>,
    fingerprints: Option<Fingerprints>,
    /// `file://` URI of the folder the paths are relative to, with a
    /// trailing slash; `None` when unknown (a merge of reports).
    root: Option<String>,
    max_results: usize,
    started: bool,
    /// Results written so far.
    results: usize,
    /// Findings written as results of their own.
    listed: u64,
    /// Files (and their findings) written as one result per kind.
    aggregated_files: u64,
    aggregated_findings: u64,
    /// Findings counted into the end-of-run results.
    folded: Vec<Folded>,
    failed: bool,
    notifications: Vec<Value>,
}

impl<'w> SarifReport<'w> {
    /// A report to `out`; `root` is the `file://` URI of the scan root (see
    /// [`root_uri`]); `max_results` is clamped to at least [`MIN_MAX_RESULTS`].
    pub fn new(
        out: Box<dyn Write + 'w>,
        fingerprints: Option<Fingerprints>,
        root: Option<String>,
        max_results: usize,
    ) -> Self {
        SarifReport {
            out,
            fingerprints,
            root,
            max_results: max_results.max(MIN_MAX_RESULTS),
            started: false,
            results: 0,
            listed: 0,
            aggregated_files: 0,
            aggregated_findings: 0,
            folded: vec![Folded::default(); Kind::ALL.len()],
            failed: false,
            notifications: Vec::new(),
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        let driver = json!({
            "name": "zwartlak",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "rules": Kind::ALL.iter().map(|k| rule(*k)).collect::<Vec<_>>(),
        });
        // The head of the document, open at the results array.
        let head = serde_json::to_string(&driver)?;
        write!(
            self.out,
            "{{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{{\"tool\":{{\"driver\":{head}}},\"columnKind\":\"unicodeCodePoints\",\"results\":["
        )
    }

    fn write_result(&mut self, res: &Value) -> io::Result<()> {
        if self.results > 0 {
            self.out.write_all(b",\n")?;
        }
        self.results += 1;
        serde_json::to_writer(&mut self.out, res)?;
        Ok(())
    }

    /// Past this many results a file's findings are no longer listed one by one.
    fn individual_limit(&self) -> usize {
        self.fold_limit() - self.max_results / 10
    }

    /// Past this many results findings are only counted, for the end of the run.
    fn fold_limit(&self) -> usize {
        self.max_results - Kind::ALL.len()
    }
}

/// The `file://` URI of folder `dir` (made absolute), with a trailing slash,
/// as `originalUriBaseIds` wants it.
pub fn root_uri(dir: &Path) -> String {
    let abs = std::fs::canonicalize(dir)
        .or_else(|_| std::path::absolute(dir))
        .unwrap_or_else(|_| dir.to_path_buf());
    let mut p = abs.to_string_lossy().replace('\\', "/");
    if !p.starts_with('/') {
        // a Windows drive path: file:///C:/...
        p.insert(0, '/');
    }
    if !p.ends_with('/') {
        p.push('/');
    }
    format!("file://{}", uri(&p))
}

/// The rule description of a kind: its pattern detector's `description` in
/// `patterns/detectors.toml`, or the kind table's for kinds found by code.
fn describe(k: Kind) -> &'static str {
    builtin_descriptions()
        .iter()
        .find(|(kind, _)| *kind == k)
        .map(|(_, d)| d.as_str())
        .or(k.facts().description)
        .unwrap_or("")
}

fn rule(k: Kind) -> Value {
    json!({
        "id": k.as_str(),
        "name": k.as_str(),
        "shortDescription": {"text": format!("Personal data: {}", k.as_str())},
        "fullDescription": {"text": describe(k)},
        "defaultConfiguration": {"level": "error"},
        "help": {"text": "Remove or redact this value (zwartlak redact), add it to the allow list in zwartlak.toml if it is the organisation's own, or accept it in the baseline."},
        "properties": {
            "tags": ["privacy", "personal-data"],
            "security-severity": k.facts().security_severity,
        },
    })
}

/// A path as a URI reference: unreserved characters and `/!$&'()*+,;=:@` as
/// they are, everything else percent-encoded.
fn uri(path: &str) -> String {
    let mut s = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// The artifact location of a display path: relative to `SRCROOT`, or a
/// `file://` URI for an absolute path (several roots given absolute).
fn artifact(path: &str) -> Value {
    if path.starts_with('/') {
        json!({"uri": format!("file://{}", uri(path))})
    } else {
        json!({"uri": uri(path), "uriBaseId": SRCROOT})
    }
}

/// The location of a finding. A `region` only when it has a start: the
/// line, or byte offsets in the file itself (offsets within a part or
/// paragraph are not the artifact's); everything else is a property of the
/// location and a logical location.
fn location(path: &str, l: &Location) -> Value {
    let mut region = Map::new();
    if let Some(line) = l.line {
        region.insert("startLine".into(), json!(line.max(1)));
    }
    let mut props = Map::new();
    if let (Some(a), Some(b)) = (l.byte_start, l.byte_end) {
        if l.part.is_none() && l.paragraph.is_none() {
            region.insert("byteOffset".into(), json!(a));
            region.insert("byteLength".into(), json!(b.saturating_sub(a)));
        } else {
            props.insert("byteStart".into(), json!(a));
            props.insert("byteEnd".into(), json!(b));
        }
    }
    let mut logical = Vec::new();
    if let Some(p) = l.page {
        props.insert("page".into(), json!(p));
        logical.push(json!({"name": format!("page {p}"), "kind": "page"}));
    }
    if let Some(s) = &l.sheet {
        props.insert("sheet".into(), json!(s));
        logical.push(json!({"name": s, "kind": "sheet"}));
    }
    if let Some(c) = &l.cell {
        props.insert("cell".into(), json!(c));
        let name = match &l.sheet {
            Some(s) => format!("{s}!{c}"),
            None => c.clone(),
        };
        logical.push(json!({"name": name, "kind": "cell"}));
    }
    if let Some(p) = &l.part {
        props.insert("part".into(), json!(p));
        logical.push(json!({"name": p, "kind": "part"}));
    }
    if let Some(p) = l.paragraph {
        props.insert("paragraph".into(), json!(p));
    }
    let mut physical = Map::new();
    physical.insert("artifactLocation".into(), artifact(path));
    if !region.is_empty() {
        physical.insert("region".into(), Value::Object(region));
    }
    let mut loc = Map::new();
    loc.insert("physicalLocation".into(), Value::Object(physical));
    if !logical.is_empty() {
        loc.insert("logicalLocations".into(), Value::Array(logical));
    }
    if !props.is_empty() {
        loc.insert("properties".into(), Value::Object(props));
    }
    Value::Object(loc)
}

fn level(confidence: f32) -> &'static str {
    if confidence >= 0.8 {
        "error"
    } else {
        "warning"
    }
}

fn rule_index(k: Kind) -> usize {
    Kind::ALL.iter().position(|x| *x == k).unwrap_or(0)
}

impl SarifReport<'_> {
    fn finding(&mut self, f: &FindingRecord) -> io::Result<()> {
        let mut res = json!({
            "ruleId": f.kind.as_str(),
            "ruleIndex": rule_index(f.kind),
            "level": level(f.confidence),
            "rank": (round2(f.confidence) * 100.0).round(),
            "message": {"text": format!("{}: {}", f.kind.as_str(), f.value)},
            "locations": [location(&f.path, &f.location)],
            "properties": {
                "confidence": round2(f.confidence),
                "detector": f.rule,
            },
        });
        if let Some(o) = f.owner {
            res["properties"]["owner"] = json!(o.as_str());
        }
        if let Some(id) = &f.roster {
            res["properties"]["roster"] = json!(id);
        }
        if let Some(fp) = self.fingerprints.as_ref().and_then(|fp| fp.of(f)) {
            res["partialFingerprints"] = json!({ FINGERPRINT_KEY: fp });
        }
        self.listed += 1;
        self.write_result(&res)
    }

    /// One result for the `findings` (all of one kind, in one file, in
    /// document order) saying how many there are, at the first one's location.
    fn aggregate(&mut self, findings: &[&FindingRecord]) -> io::Result<()> {
        let first = findings[0];
        let n = findings.len();
        let top = findings.iter().map(|f| f.confidence).fold(0.0, f32::max);
        let res = json!({
            "ruleId": first.kind.as_str(),
            "ruleIndex": rule_index(first.kind),
            "level": level(top),
            "rank": (round2(top) * 100.0).round(),
            "message": {"text": format!(
                "{n} {} finding{} in this file, listed as one result (the report holds at most {} results); the first is at this location, `--format jsonl` lists each",
                first.kind.as_str(), if n == 1 { "" } else { "s" }, self.max_results)},
            "locations": [location(&first.path, &first.location)],
            "properties": {
                "aggregated": true,
                "findings": n,
                "confidence": round2(top),
            },
        });
        self.write_result(&res)
    }
}

impl Report for SarifReport<'_> {
    fn file(&mut self, r: &FileResult) -> io::Result<()> {
        self.start()?;
        let n = r.findings.len();
        if self.results + n <= self.individual_limit() {
            for f in &r.findings {
                self.finding(f)?;
            }
        } else {
            let mut by_kind: Vec<Vec<&FindingRecord>> = vec![Vec::new(); Kind::ALL.len()];
            for f in &r.findings {
                by_kind[rule_index(f.kind)].push(f);
            }
            let groups: Vec<_> = by_kind.into_iter().filter(|g| !g.is_empty()).collect();
            if self.results + groups.len() <= self.fold_limit() {
                self.aggregated_files += 1;
                self.aggregated_findings += n as u64;
                for g in &groups {
                    self.aggregate(g)?;
                }
            } else {
                for g in &groups {
                    let fold = &mut self.folded[rule_index(g[0].kind)];
                    fold.findings += g.len() as u64;
                    fold.files += 1;
                    fold.first.get_or_insert_with(|| g[0].path.clone());
                    fold.confidence = g.iter().map(|f| f.confidence).fold(fold.confidence, f32::max);
                }
            }
        }
        // Every file not read completely is listed, and so is every file
        // skipped by choice (exclude glob, symbolic link), as a note.
        let level = match r.file.status {
            Status::Scanned => None,
            Status::Error => Some("error"),
            Status::NeedsReview => Some("warning"),
            Status::Skipped if r.file.unread() => Some("warning"),
            Status::Skipped if r.file.skipped_by_choice() => Some("note"),
            Status::Skipped => None,
        };
        // A file that could not be read at all, for a reason the user did not
        // choose, is a failure of the run; one read in part (needs_review) is not.
        if r.file.status == Status::Error
            || (r.file.status == Status::Skipped && r.file.unread())
        {
            self.failed = true;
        }
        if let Some(level) = level {
            self.notifications.push(json!({
                "level": level,
                "message": {"text": format!("{}: {}: {}", r.file.path, r.file.status.as_str(), r.file.reason.as_deref().unwrap_or(""))},
                "locations": [{"physicalLocation": {"artifactLocation": artifact(&r.file.path)}}],
                "descriptor": {"id": r.file.status.as_str()},
            }));
        }
        Ok(())
    }

    fn finish(&mut self, s: &Summary) -> io::Result<()> {
        self.start()?;
        // The findings only counted: one result per kind.
        let folded_findings: u64 = self.folded.iter().map(|f| f.findings).sum();
        for (i, fold) in std::mem::take(&mut self.folded).into_iter().enumerate() {
            let (Some(first), true) = (fold.first, fold.findings > 0) else {
                continue;
            };
            let k = Kind::ALL[i];
            let res = json!({
                "ruleId": k.as_str(),
                "ruleIndex": i,
                "level": level(fold.confidence),
                "rank": (round2(fold.confidence) * 100.0).round(),
                "message": {"text": format!(
                    "{} {} finding{} in {} further file{}, starting with this one, not listed: the report holds at most {} results; `--format jsonl` lists each",
                    fold.findings, k.as_str(), if fold.findings == 1 { "" } else { "s" },
                    fold.files, if fold.files == 1 { "" } else { "s" }, self.max_results)},
                "locations": [{"physicalLocation": {"artifactLocation": artifact(&first)}}],
                "properties": {
                    "aggregated": true,
                    "findings": fold.findings,
                    "files": fold.files,
                    "confidence": round2(fold.confidence),
                },
            });
            self.write_result(&res)?;
        }
        let capped = self.aggregated_files > 0 || folded_findings > 0;
        let cap = json!({
            "maxResults": self.max_results,
            "applied": capped,
            "results": self.results,
            "listedFindings": self.listed,
            "aggregatedFiles": self.aggregated_files,
            "aggregatedFindings": self.aggregated_findings,
            "countedFindings": folded_findings,
        });
        if capped {
            self.notifications.push(json!({
                "level": "warning",
                "message": {"text": format!(
                    "result cap applied: {} findings, at most {} results per run; {} listed one by one, {} in {} files as one result per file and kind, {} counted in one result per kind at the end; `--format jsonl` lists each",
                    s.findings, self.max_results, self.listed, self.aggregated_findings,
                    self.aggregated_files, folded_findings)},
                "descriptor": {"id": "result-cap"},
            }));
        }
        let invocation = json!({
            "executionSuccessful": !self.failed,
            "toolExecutionNotifications": self.notifications,
            "properties": {
                "files": s.files, "bytes": s.bytes, "findings": s.findings,
                "errors": s.errors, "needsReview": s.needs_review, "skipped": s.skipped,
                "seconds": s.seconds,
            },
        });
        let base = match &self.root {
            Some(root) => json!({ SRCROOT: {
                "uri": root,
                "description": {"text": "The folder scanned: paths are relative to it."},
            }}),
            None => json!({ SRCROOT: {
                "description": {"text": "The folder scanned, unknown here (the report was merged from others): paths are relative to it."},
            }}),
        };
        writeln!(
            self.out,
            "],\"invocations\":[{}],\"originalUriBaseIds\":{},\"properties\":{{\"resultCap\":{}}}}}]}}",
            serde_json::to_string(&invocation)?,
            serde_json::to_string(&base)?,
            serde_json::to_string(&cap)?,
        )?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_one_description() {
        for k in Kind::ALL {
            let from_spec = builtin_descriptions().iter().any(|(kind, _)| *kind == k);
            assert!(
                from_spec != k.facts().description.is_some(),
                "{k}: described in patterns/detectors.toml and in the kind table, or in neither"
            );
            assert!(!describe(k).trim().is_empty(), "{k}");
        }
    }

    #[test]
    fn uris_are_encoded() {
        assert_eq!(uri("a b/c#d.txt"), "a%20b/c%23d.txt");
        assert_eq!(uri("x.zip!in/ë.txt"), "x.zip!in/%C3%AB.txt");
    }
}
