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
                    fold.confidence = g
                        .iter()
                        .map(|f| f.confidence)
                        .fold(fold.confidence, f32::max);
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
        if r.file.status == Status::Error || (r.file.status == Status::Skipped && r.file.unread()) {
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

    use crate::record::FileRecord;

    fn finding(path: &str, kind: Kind, location: Location) -> FindingRecord {
        FindingRecord {
            path: path.into(),
            kind,
            value: "***".into(),
            confidence: 0.9,
            owner: None,
            location,
            rule: kind.as_str(),
            roster: None,
            norm: String::new(),
        }
    }

    fn file(path: &str, status: Status, findings: Vec<FindingRecord>) -> FileResult {
        FileResult {
            file: FileRecord {
                path: path.into(),
                status,
                reason: (status != Status::Scanned).then(|| "a reason".into()),
                findings: findings.len(),
                format: None,
                bytes: 10,
                output: None,
                note: None,
            },
            findings,
        }
    }

    /// The report of `files` with at most `max` results, parsed.
    fn render(files: &[FileResult], max: usize) -> Value {
        let mut buf = Vec::new();
        {
            let mut rep = SarifReport::new(
                Box::new(&mut buf),
                None,
                Some("file:///srv/scan/".into()),
                max,
            );
            let mut summary = Summary::default();
            for f in files {
                summary.add(f);
                rep.file(f).unwrap();
            }
            rep.finish(&summary).unwrap();
        }
        serde_json::from_slice(&buf).expect("valid JSON")
    }

    /// `files` files of `per_file` findings each, alternating BSN and e-mail.
    fn many(files: usize, per_file: usize) -> Vec<FileResult> {
        (0..files)
            .map(|i| {
                let path = format!("map/{i:04}.txt");
                let findings = (0..per_file)
                    .map(|j| {
                        let kind = if j % 2 == 0 { Kind::Bsn } else { Kind::Email };
                        finding(&path, kind, Location::line(j as u64 + 1))
                    })
                    .collect();
                file(&path, Status::Scanned, findings)
            })
            .collect()
    }

    /// The findings a run accounts for: one per plain result, the count of
    /// an aggregated one.
    fn accounted(run: &Value) -> u64 {
        run["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["properties"]["findings"].as_u64().unwrap_or(1))
            .sum()
    }

    #[test]
    fn regions_only_with_a_start() {
        let cell = Location {
            sheet: Some("Huurders".into()),
            cell: Some("C7".into()),
            ..Location::default()
        };
        let part = Location {
            part: Some("word/document.xml".into()),
            paragraph: Some(3),
            byte_start: Some(4),
            byte_end: Some(13),
            ..Location::default()
        };
        let bytes = Location {
            byte_start: Some(40),
            byte_end: Some(49),
            ..Location::default()
        };
        let findings = vec![
            finding("a.pdf", Kind::Bsn, Location::page(2)),
            finding("b.xlsx", Kind::Iban, cell),
            finding("c.docx", Kind::Email, part),
            finding("d.txt", Kind::Phone, Location::line(5)),
            finding("e.html", Kind::Name, bytes),
        ];
        let v = render(&[file("x", Status::Scanned, findings)], DEFAULT_MAX_RESULTS);
        let results = v["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), 5);
        for r in results {
            let loc = &r["locations"][0];
            if let Some(region) = loc["physicalLocation"].get("region") {
                assert!(
                    region["startLine"].is_u64()
                        || region["byteOffset"].is_u64()
                        || region["charOffset"].is_u64(),
                    "{r}"
                );
                assert!(region.get("properties").is_none(), "{r}");
            }
        }
        let loc = |i: usize| &results[i]["locations"][0];
        assert!(loc(0)["physicalLocation"].get("region").is_none());
        assert_eq!(loc(0)["properties"]["page"], 2);
        assert_eq!(loc(1)["properties"]["cell"], "C7");
        assert_eq!(loc(1)["logicalLocations"][1]["name"], "Huurders!C7");
        assert!(loc(2)["physicalLocation"].get("region").is_none());
        assert_eq!(loc(2)["properties"]["part"], "word/document.xml");
        assert_eq!(loc(2)["properties"]["byteStart"], 4);
        assert_eq!(loc(3)["physicalLocation"]["region"]["startLine"], 5);
        assert_eq!(loc(4)["physicalLocation"]["region"]["byteOffset"], 40);
        assert_eq!(loc(4)["physicalLocation"]["region"]["byteLength"], 9);
    }

    #[test]
    fn under_the_cap_every_finding_is_a_result() {
        let v = render(&many(10, 20), DEFAULT_MAX_RESULTS);
        let run = &v["runs"][0];
        assert_eq!(run["results"].as_array().unwrap().len(), 200);
        assert_eq!(run["properties"]["resultCap"]["applied"], false);
        assert_eq!(run["properties"]["resultCap"]["maxResults"], 25_000);
        let notes = run["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .unwrap();
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn thirty_thousand_findings_stay_within_githubs_limits() {
        let files = many(300, 100);
        let v = render(&files, DEFAULT_MAX_RESULTS);
        let run = &v["runs"][0];
        let results = run["results"].as_array().unwrap();
        assert!(results.len() <= 25_000, "{}", results.len());
        assert!(
            results.len() >= 20_000,
            "the cap is used: {}",
            results.len()
        );
        assert!(run["tool"]["driver"]["rules"].as_array().unwrap().len() <= 25_000);
        assert_eq!(accounted(run), 30_000, "every finding is counted");
        let cap = &run["properties"]["resultCap"];
        assert_eq!(cap["applied"], true);
        assert_eq!(cap["results"].as_u64().unwrap() as usize, results.len());
        assert_eq!(
            cap["listedFindings"].as_u64().unwrap()
                + cap["aggregatedFindings"].as_u64().unwrap()
                + cap["countedFindings"].as_u64().unwrap(),
            30_000
        );
        // the aggregated results: one per file and kind, with their count
        let agg: Vec<&Value> = results
            .iter()
            .filter(|r| r["properties"]["aggregated"] == true)
            .collect();
        assert!(!agg.is_empty());
        for a in &agg {
            assert_eq!(a["properties"]["findings"], 50, "{a}");
            assert!(a["message"]["text"].as_str().unwrap().starts_with("50 "));
        }
        let notes = run["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .unwrap();
        assert!(notes.iter().any(|n| n["descriptor"]["id"] == "result-cap"));
        assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    }

    #[test]
    fn past_the_aggregates_findings_are_counted_per_kind() {
        // 100 results at most: 80 one by one, then one per file and kind
        // up to 90, then the rest counted in one result per kind
        let files = many(200, 3);
        let v = render(&files, 100);
        let run = &v["runs"][0];
        let results = run["results"].as_array().unwrap();
        assert!(results.len() <= 100, "{}", results.len());
        assert_eq!(accounted(run), 600);
        let last: Vec<&Value> = results
            .iter()
            .filter(|r| r["properties"]["files"].is_u64())
            .collect();
        assert_eq!(last.len(), 2, "one per kind: bsn and email");
        let files_counted: u64 = last
            .iter()
            .map(|r| r["properties"]["files"].as_u64().unwrap())
            .max()
            .unwrap();
        assert!(files_counted > 100, "{files_counted}");
        let cap = &run["properties"]["resultCap"];
        assert!(cap["countedFindings"].as_u64().unwrap() > 0);
        assert!(cap["aggregatedFiles"].as_u64().unwrap() > 0);
        // a cap below the least is raised to it
        let v = render(&many(5, 10), 1);
        assert_eq!(
            v["runs"][0]["properties"]["resultCap"]["maxResults"],
            MIN_MAX_RESULTS
        );
        assert_eq!(accounted(&v["runs"][0]), 50);
    }

    #[test]
    fn failed_files_make_the_run_unsuccessful() {
        let ok = render(
            &[
                file("a.txt", Status::Scanned, vec![]),
                file("b.png", Status::NeedsReview, vec![]),
            ],
            DEFAULT_MAX_RESULTS,
        );
        let inv = &ok["runs"][0]["invocations"][0];
        assert_eq!(inv["executionSuccessful"], true);
        assert_eq!(inv["toolExecutionNotifications"][0]["level"], "warning");
        for bad in [
            file("kapot.zip", Status::Error, vec![]),
            file("groot.bin", Status::Skipped, vec![]),
        ] {
            let name = bad.file.path.clone();
            let v = render(&[file("a.txt", Status::Scanned, vec![]), bad], 100);
            let inv = &v["runs"][0]["invocations"][0];
            assert_eq!(inv["executionSuccessful"], false, "{name}");
            let n = &inv["toolExecutionNotifications"][0];
            assert_eq!(
                n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                name.as_str()
            );
            assert!(n["message"]["text"].as_str().unwrap().contains(&name));
        }
        // a skip the user chose is a note, not a failure
        let mut chosen = file("oud.log", Status::Skipped, vec![]);
        chosen.file.reason = Some(crate::record::skip::SYMLINK.into());
        let v = render(&[chosen], 100);
        let inv = &v["runs"][0]["invocations"][0];
        assert_eq!(inv["executionSuccessful"], true);
        assert_eq!(inv["toolExecutionNotifications"][0]["level"], "note");
    }

    #[test]
    fn srcroot_is_defined_and_rules_carry_security_severity() {
        let v = render(&many(1, 2), 100);
        let run = &v["runs"][0];
        assert_eq!(
            run["originalUriBaseIds"]["SRCROOT"]["uri"],
            "file:///srv/scan/"
        );
        for r in run["results"].as_array().unwrap() {
            let base = &r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"];
            assert!(run["originalUriBaseIds"][base.as_str().unwrap()].is_object());
        }
        for (rule, k) in run["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .zip(Kind::ALL)
        {
            assert_eq!(rule["id"], k.as_str());
            assert_eq!(
                rule["properties"]["security-severity"],
                k.facts().security_severity
            );
        }
        // an absolute path (several roots given absolute) is a file URI
        assert_eq!(artifact("/srv/a b.txt")["uri"], "file:///srv/a%20b.txt");
        assert!(artifact("/srv/a.txt").get("uriBaseId").is_none());
    }

    #[test]
    fn root_uris_end_in_a_slash() {
        let dir = std::env::temp_dir();
        let u = root_uri(&dir);
        assert!(u.starts_with("file:///"), "{u}");
        assert!(u.ends_with('/'), "{u}");
        assert!(!u.ends_with("//"), "{u}");
    }

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
