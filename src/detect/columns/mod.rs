//! Column evidence for tables: the cells of one column (a CSV or sheet
//! column, a key of an array of JSON records) are judged together.
//!
//! A register export whose headers are element codes (`01.01.20`) has no
//! context word near its values, and every 9-digit number on its own is
//! just 0.45 likely a BSN. Over a whole column the evidence is strong: when
//! nearly all values with digits pass the kind's validator, far more than
//! chance explains ([`stats`]), or the header names the kind ([`headers`])
//! and nearly all pass, the column holds that kind and its findings get the
//! column's confidence. Owns the tally per column ([`ColumnEvidence`]), the
//! judgement ([`ColumnEvidence::judge`]) and how a verdict raises findings
//! ([`Verdicts::apply`]); the parameters, chance rates and the header
//! dictionary are data (`patterns/columns.toml`).
//!
//! A header that is a negative context word of the kind ("Klantnummer")
//! blocks the verdict: an organisation may number its customers with the
//! same 11-check. A header that names another kind does too.

pub mod headers;
pub mod stats;

use super::context::Polarity;
use super::Finding;
use crate::document::Column;
use crate::kind::Kind;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The rule of a finding whose confidence the column evidence raised.
pub const RULE: &str = "column";

/// Confidences a column verdict gives (`[confidence]`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Confidences {
    /// Nearly all values pass, far more than chance (no header needed).
    pub data: f32,
    /// The header names the kind and nearly all values pass.
    pub header: f32,
}

/// `patterns/columns.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Levels of the two binomial tests.
    pub test: stats::Tests,
    /// Confidences of the verdicts.
    pub confidence: Confidences,
    /// Per judged kind: the rate at which its validator passes values of the
    /// same shape that are not of the kind.
    pub chance: BTreeMap<Kind, f64>,
    /// The header dictionary.
    pub header: Vec<headers::Entry>,
}

struct Compiled {
    spec: Spec,
    headers: headers::Headers,
}

fn compiled() -> &'static Compiled {
    static C: OnceLock<Compiled> = OnceLock::new();
    C.get_or_init(|| {
        // The shipped file is checked by a unit test (`builtin_spec_loads`).
        let spec: Spec =
            toml::from_str(crate::patterns::COLUMNS).expect("patterns/columns.toml is valid");
        let headers = headers::Headers::new(&spec.header).expect("patterns/columns.toml headers");
        Compiled { spec, headers }
    })
}

/// The kind a column header names, by the header dictionary.
pub fn header_kind(header: &str) -> Option<Kind> {
    compiled().headers.kind_of(header)
}

#[derive(Default)]
struct Tally {
    /// The label of the column's first labelled cell.
    label: Option<String>,
    /// Cells with a digit: each can hold a value of any judged kind.
    values: u64,
    /// Per judged kind (in `Spec::chance` order): cells that are one value of it.
    passes: Vec<u64>,
}

/// What the cells of a file's table columns showed so far.
#[derive(Default)]
pub struct ColumnEvidence {
    tallies: BTreeMap<Column, Tally>,
}

impl ColumnEvidence {
    /// Count one cell of `column` with text `text`, label `label` and `raw`,
    /// the detectors' findings in it before overlaps and the confidence
    /// filter. A cell without a digit is no trial (names, "onbekend"); a
    /// cell is a pass for a kind when one finding of that kind spans all of
    /// its trimmed text.
    pub fn observe(&mut self, column: Column, text: &str, label: Option<&str>, raw: &[Finding]) {
        let kinds = &compiled().spec.chance;
        let t = self.tallies.entry(column).or_default();
        if t.label.is_none() {
            t.label = label.map(str::to_string);
        }
        if !text.bytes().any(|b| b.is_ascii_digit()) {
            return;
        }
        t.values += 1;
        t.passes.resize(kinds.len(), 0);
        let start = text.len() - text.trim_start().len();
        let end = text.trim_end().len();
        for (i, kind) in kinds.keys().enumerate() {
            if raw
                .iter()
                .any(|f| f.kind == *kind && f.start <= start && f.end >= end)
            {
                t.passes[i] += 1;
            }
        }
    }

    /// Judge every column seen. `polarity` tells whether a label is a
    /// positive or negative context word of a kind (the detectors' words).
    pub fn judge(&self, polarity: &dyn Fn(&str, Kind) -> Option<Polarity>) -> Verdicts {
        let c = compiled();
        let mut out = BTreeMap::new();
        for (&column, t) in &self.tallies {
            let header = t.label.as_deref().and_then(|l| c.headers.kind_of(l));
            let mut best: Option<(u64, Kind, f32)> = None;
            for (i, (&kind, &chance)) in c.spec.chance.iter().enumerate() {
                let passes = t.passes.get(i).copied().unwrap_or(0);
                if passes == 0 || !c.spec.test.nearly_all(passes, t.values) {
                    continue;
                }
                let label = t.label.as_deref().unwrap_or("");
                if polarity(label, kind) == Some(Polarity::Negative) {
                    continue;
                }
                let confidence = match header {
                    Some(h) if h == kind => c.spec.confidence.header,
                    Some(_) => continue,
                    None if c.spec.test.beats_chance(passes, t.values, chance) => {
                        c.spec.confidence.data
                    }
                    None => continue,
                };
                if best.is_none_or(|(p, _, _)| passes > p) {
                    best = Some((passes, kind, confidence));
                }
            }
            if let Some((_, kind, confidence)) = best {
                out.insert(column, Verdict { kind, confidence });
            }
        }
        Verdicts(out)
    }
}

/// What a column holds, by its evidence.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Verdict {
    /// The kind of the column's values.
    pub kind: Kind,
    /// The confidence its findings of that kind get at least.
    pub confidence: f32,
}

/// The verdicts of a file's columns; columns without one are not listed.
#[derive(Debug, Default)]
pub struct Verdicts(BTreeMap<Column, Verdict>);

impl Verdicts {
    /// The verdict of `column`, if it has one.
    pub fn get(&self, column: Column) -> Option<Verdict> {
        self.0.get(&column).copied()
    }

    /// Whether no column has a verdict.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Raise the findings of a cell of `column` that are of its verdict's
    /// kind to the verdict's confidence (their rule becomes [`RULE`]).
    pub fn apply(&self, column: Column, raw: &mut [Finding]) {
        let Some(v) = self.get(column) else { return };
        for f in raw.iter_mut().filter(|f| f.kind == v.kind) {
            if f.confidence < v.confidence {
                f.confidence = v.confidence;
                f.rule = RULE;
            }
        }
    }
}

#[cfg(test)]
mod tests;
