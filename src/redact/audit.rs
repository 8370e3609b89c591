//! The audit trail of a redaction run (`--audit FILE`): one row per replaced
//! value, as CSV or JSON Lines (by the file's extension). The value is always
//! masked: an audit file is kept, so it must not become a copy of the data.

use crate::document::Location;
use crate::kind::Kind;
use crate::record::Owner;
use serde::Serialize;
use std::io::{self, Write};
use std::path::Path;

/// One replaced value, or (without `kind`) something done to a whole file:
/// a workbook converted to XLSX, with the new name as `replacement`.
#[derive(Clone, Debug, Serialize)]
pub struct AuditRow {
    /// Display path of the file.
    pub file: String,
    /// Where in the file the value stood.
    pub location: Location,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The kind of the value; `None` for a row about the whole file.
    pub kind: Option<Kind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Who the value belongs to, when ownership was decided.
    pub owner: Option<Owner>,
    /// Masked, whatever `--reveal` says.
    pub value: String,
    /// Why the value was replaced or the file changed, in words.
    pub reason: &'static str,
    /// What was written in the value's place.
    pub replacement: String,
}

impl AuditRow {
    /// A row about the file, not about one value (a conversion, a withheld
    /// attachment, a picture kept as it is): no kind, owner or value.
    pub fn note(
        file: &str,
        location: Location,
        reason: &'static str,
        replacement: impl Into<String>,
    ) -> Self {
        AuditRow {
            file: file.to_string(),
            location,
            kind: None,
            owner: None,
            value: String::new(),
            reason,
            replacement: replacement.into(),
        }
    }
}

/// `page=2 line=14 cell=B3 ...` for the CSV column.
fn location_text(l: &Location) -> String {
    let mut parts = Vec::new();
    if let Some(p) = l.page {
        parts.push(format!("page={p}"));
    }
    if let Some(s) = &l.sheet {
        parts.push(format!("sheet={s}"));
    }
    if let Some(c) = &l.cell {
        parts.push(format!("cell={c}"));
    }
    if let Some(p) = &l.part {
        parts.push(format!("part={p}"));
    }
    if let Some(n) = l.line {
        parts.push(format!("line={n}"));
    }
    if let (Some(s), Some(e)) = (l.byte_start, l.byte_end) {
        parts.push(format!("bytes={s}-{e}"));
    }
    parts.join(" ")
}

/// Write the rows to `out`: JSON Lines when `jsonl` is true, else CSV with a header.
pub fn write(rows: &[AuditRow], jsonl: bool, out: &mut dyn Write) -> io::Result<()> {
    if jsonl {
        for r in rows {
            serde_json::to_writer(&mut *out, r)?;
            out.write_all(b"\n")?;
        }
        return out.flush();
    }
    let mut w = crate::csvcell::CsvWriter::new(out);
    w.write_record([
        "file",
        "location",
        "kind",
        "owner",
        "value",
        "reason",
        "replacement",
    ])?;
    for r in rows {
        w.write_record([
            r.file.as_str(),
            &location_text(&r.location),
            r.kind.map_or("", Kind::as_str),
            r.owner.map_or("", Owner::as_str),
            &r.value,
            r.reason,
            &r.replacement,
        ])?;
    }
    w.flush()
}

/// Write the audit file ([`crate::output`]: atomically, or through to a device); JSON Lines for `.jsonl`/`.json`, else CSV.
pub fn write_file(rows: &[AuditRow], path: &Path) -> io::Result<()> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let mut buf = Vec::new();
    write(
        rows,
        matches!(ext.as_str(), "jsonl" | "json" | "ndjson"),
        &mut buf,
    )?;
    crate::output::write_bytes(path, crate::output::Links::Follow, &buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_and_jsonl_rows() {
        let mut loc = Location::line(3);
        loc.byte_start = Some(10);
        loc.byte_end = Some(19);
        let rows = vec![AuditRow {
            file: "d/a.txt".into(),
            location: loc,
            kind: Some(Kind::Bsn),
            owner: Some(Owner::ThirdParty),
            value: "*******82".into(),
            reason: "third party",
            replacement: "[BSN]".into(),
        }];
        let mut csv = Vec::new();
        write(&rows, false, &mut csv).unwrap();
        let csv = String::from_utf8(csv).unwrap();
        assert_eq!(
            csv,
            "file,location,kind,owner,value,reason,replacement\nd/a.txt,line=3 bytes=10-19,bsn,third_party,*******82,third party,[BSN]\n"
        );
        let mut j = Vec::new();
        write(&rows, true, &mut j).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&j).unwrap();
        assert_eq!(v["kind"], "bsn");
        assert_eq!(v["location"]["line"], 3);
        assert_eq!(v["owner"], "third_party");
    }
}
