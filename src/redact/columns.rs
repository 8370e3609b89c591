//! How a redaction follows the column evidence of a scan (`detect::columns`):
//! a table's column is judged on all of its cells, but the redactors plan
//! one cell, shared string or JSON value at a time. So a table file is
//! scanned first ([`column_values`]) and every segment is planned with the
//! values that column evidence raised there ([`segment_findings_with`]):
//! the copy loses what a scan of the input reports, and its re-scan finds
//! nothing left.

use crate::detect::columns::{self, name_cells};
use crate::detect::Finding;
use crate::document::Segment;
use crate::extract::Source;
use crate::kind::Kind;
use crate::record::FindingRecord;
use crate::scan::Scanner;
use std::collections::HashMap;
use std::ops::Range;
use std::time::Instant;

/// Values whose confidence column evidence raised in a file, by kind and
/// normalized value, with that confidence.
pub type ColumnValues = HashMap<(Kind, String), f32>;

/// The values column evidence raised in the file `src` (a scan of it):
/// empty for a file without tables.
pub fn column_values(
    scanner: &Scanner,
    src: &Source,
    path: &str,
    depth: u32,
    deadline: Option<Instant>,
) -> ColumnValues {
    let mut out = ColumnValues::new();
    for r in scanner.scan_source_within(src, path, depth, deadline) {
        for f in r.findings.into_iter().filter(|f| f.rule == columns::RULE) {
            let c = out.entry((f.kind, f.norm)).or_insert(0.0);
            *c = c.max(f.confidence);
        }
    }
    out
}

/// [`Scanner::segment_findings`], with the values of `known` raised to their
/// confidence, and a segment that is a known name column's cell ("Kuiper"
/// under `01.02.40`, which no detector reads as a name) found whole.
pub fn segment_findings_with(
    scanner: &Scanner,
    path: &str,
    seg: &Segment,
    known: &ColumnValues,
) -> Vec<(Range<usize>, FindingRecord)> {
    if known.is_empty() {
        return scanner.segment_findings(path, seg);
    }
    let engine = &scanner.engine;
    let mut raw = engine.detect_raw(&seg.text, seg.label.as_deref());
    for f in &mut raw {
        if let Some(&c) = known.get(&(f.kind, f.norm.clone())) {
            if f.confidence < c {
                f.confidence = c;
                f.rule = columns::RULE;
            }
        }
    }
    let name = name_cells::cell_name(&seg.text);
    if let Some(&c) = known.get(&(Kind::Name, name.norm.clone())) {
        raw.push(Finding {
            confidence: c,
            ..name
        });
    }
    scanner.records(path, seg, engine.settle(raw))
}
