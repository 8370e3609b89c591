//! `sarif`: SARIF 2.1.0 for code-scanning dashboards. One rule per finding
//! kind; one result per finding with its location (a `region` with the line
//! or byte range, and page / sheet / cell / part as region properties and
//! logical locations) and, with a fingerprint key, `partialFingerprints`
//! holding the keyed fingerprint (never the value); the roster row's id of a
//! finding (`--roster`) is the result property `roster`. Files that could not
//! be read become tool execution notifications. Results are streamed.

use super::{round2, Report};
use crate::baseline::Fingerprints;
use crate::detect::pattern::builtin_descriptions;
use crate::document::Location;
use crate::kind::Kind;
use crate::record::{FileResult, Status, Summary};
use serde_json::{json, Map, Value};
use std::io::{self, Write};

/// The key of our fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "zwartlak/v1";

pub struct SarifReport<'w> {
    out: Box<dyn Write + 'w>,
    fingerprints: Option<Fingerprints>,
    started: bool,
    first_result: bool,
    notifications: Vec<Value>,
}

impl<'w> SarifReport<'w> {
    pub fn new(out: Box<dyn Write + 'w>, fingerprints: Option<Fingerprints>) -> Self {
        SarifReport {
            out,
            fingerprints,
            started: false,
            first_result: true,
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
        "properties": {"tags": ["privacy", "personal-data"]},
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

fn location(path: &str, l: &Location) -> Value {
    let mut region = Map::new();
    if let Some(line) = l.line {
        region.insert("startLine".into(), json!(line.max(1)));
    }
    let mut props = Map::new();
    if let (Some(a), Some(b)) = (l.byte_start, l.byte_end) {
        if l.part.is_none() && l.paragraph.is_none() {
            // offsets in the file itself
            region.insert("byteOffset".into(), json!(a));
            region.insert("byteLength".into(), json!(b.saturating_sub(a)));
        } else {
            // offsets within a part / paragraph: not artifact offsets
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
    if !props.is_empty() {
        region.insert("properties".into(), Value::Object(props));
    }
    let mut physical = Map::new();
    physical.insert(
        "artifactLocation".into(),
        json!({"uri": uri(path), "uriBaseId": "SRCROOT"}),
    );
    if !region.is_empty() {
        physical.insert("region".into(), Value::Object(region));
    }
    let mut loc = Map::new();
    loc.insert("physicalLocation".into(), Value::Object(physical));
    if !logical.is_empty() {
        loc.insert("logicalLocations".into(), Value::Array(logical));
    }
    Value::Object(loc)
}

impl Report for SarifReport<'_> {
    fn file(&mut self, r: &FileResult) -> io::Result<()> {
        self.start()?;
        for f in &r.findings {
            let mut res = json!({
                "ruleId": f.kind.as_str(),
                "ruleIndex": Kind::ALL.iter().position(|k| *k == f.kind).unwrap_or(0),
                "level": if f.confidence >= 0.8 { "error" } else { "warning" },
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
            if !self.first_result {
                self.out.write_all(b",\n")?;
            }
            self.first_result = false;
            serde_json::to_writer(&mut self.out, &res)?;
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
        if let Some(level) = level {
            self.notifications.push(json!({
                "level": level,
                "message": {"text": format!("{}: {}", r.file.status.as_str(), r.file.reason.as_deref().unwrap_or(""))},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&r.file.path), "uriBaseId": "SRCROOT"}}}],
                "descriptor": {"id": r.file.status.as_str()},
            }));
        }
        Ok(())
    }

    fn finish(&mut self, s: &Summary) -> io::Result<()> {
        self.start()?;
        let invocation = json!({
            "executionSuccessful": true,
            "toolExecutionNotifications": self.notifications,
            "properties": {
                "files": s.files, "bytes": s.bytes, "findings": s.findings,
                "errors": s.errors, "needsReview": s.needs_review, "skipped": s.skipped,
                "seconds": s.seconds,
            },
        });
        writeln!(
            self.out,
            "],\"invocations\":[{}]}}]}}",
            serde_json::to_string(&invocation)?
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
