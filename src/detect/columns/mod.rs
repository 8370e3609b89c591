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
//! judgement ([`ColumnEvidence::judge`]) and how a verdict raises a finding
//! ([`Verdict::raises`]); the parameters, chance rates and the header
//! dictionary are data (`patterns/columns.toml`).
//!
//! A header that is a negative context word of the kind ("Klantnummer")
//! blocks the verdict: an organisation may number its customers with the
//! same 11-check. A header that names another kind does too.

pub mod headers;
pub mod name_cells;
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

/// How a column could get a verdict of one kind, decided by its header.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Route {
    /// The header names the kind: nearly all values must pass.
    Header,
    /// No header names a kind: nearly all must pass, far more than chance.
    Data,
}

/// Non-empty cells after which a column's verdict is fixed: later cells
/// follow it at once, so that a long column costs no memory while it waits.
pub const DECIDE_AFTER: u64 = 1024;

#[derive(Default)]
struct Tally {
    /// The verdict, once [`DECIDE_AFTER`] cells were seen.
    fixed: Option<Option<Verdict>>,
    /// Per judged kind (in `Spec::chance` order): how a verdict of it could
    /// come, or `None` when the header rules it out.
    routes: Vec<Option<Route>>,
    /// Cells with a digit: each can hold a value of any judged kind but names.
    values: u64,
    /// Non-empty cells: each can hold a name.
    texts: u64,
    /// Per judged kind: cells that are one value of it.
    passes: Vec<u64>,
}

/// What the cells of a file's table columns showed so far.
#[derive(Default)]
pub struct ColumnEvidence {
    tallies: BTreeMap<Column, Tally>,
}

/// The routes of a column whose header is `label`: a kind the header
/// names comes by the header; a kind whose negative context word it holds
/// ("Klantnummer"), or another kind than the one it names, cannot come; a
/// kind whose values say nothing by themselves (chance rate 1) needs the
/// header.
fn routes(
    label: Option<&str>,
    polarity: &dyn Fn(&str, Kind) -> Option<Polarity>,
) -> Vec<Option<Route>> {
    let c = compiled();
    let header = label.and_then(|l| c.headers.kind_of(l));
    c.spec
        .chance
        .iter()
        .map(|(&kind, &chance)| {
            if label.is_some_and(|l| polarity(l, kind) == Some(Polarity::Negative)) {
                return None;
            }
            match header {
                Some(h) if h == kind => Some(Route::Header),
                Some(_) => None,
                None if chance < 1.0 => Some(Route::Data),
                None => None,
            }
        })
        .collect()
}

impl ColumnEvidence {
    /// Count one cell of `column` with text `text`, label `label` (the
    /// column's first cell decides its routes, with `polarity`: whether a
    /// label is a positive or negative context word of a kind) and `raw`,
    /// the detectors' findings in it before overlaps and the confidence
    /// filter. A cell without a digit is no trial (names, "onbekend"); a
    /// cell is a pass for a kind when one finding of that kind spans all of
    /// its trimmed text. Names are judged by their shape instead
    /// ([`name_cells`]), on every non-empty cell. Returns the cell's value
    /// (that finding, or a name over the whole cell) when a verdict of its
    /// kind is still possible for the column: what a verdict would raise.
    pub fn observe(
        &mut self,
        column: Column,
        text: &str,
        label: Option<&str>,
        raw: &[Finding],
        polarity: &dyn Fn(&str, Kind) -> Option<Polarity>,
    ) -> Option<Finding> {
        let kinds = &compiled().spec.chance;
        let t = self.tallies.entry(column).or_insert_with(|| Tally {
            fixed: None,
            routes: routes(label, polarity),
            values: 0,
            texts: 0,
            passes: vec![0; kinds.len()],
        });
        if text.trim().is_empty() {
            return None;
        }
        t.texts += 1;
        let digits = text.bytes().any(|b| b.is_ascii_digit());
        t.values += u64::from(digits);
        let start = text.len() - text.trim_start().len();
        let end = text.trim_end().len();
        let spans = |f: &&Finding| f.start <= start && f.end >= end;
        let mut found = None;
        for (i, &kind) in kinds.keys().enumerate() {
            // Passes of a kind the header rules out would never count.
            if t.routes[i].is_none() {
                continue;
            }
            let whole = || raw.iter().filter(|f| f.kind == kind).find(spans);
            let value = if kind == Kind::Name {
                if !name_cells::name_shaped(text) {
                    continue;
                }
                whole().cloned()
            } else if digits {
                match whole() {
                    Some(f) => Some(f.clone()),
                    None => continue,
                }
            } else {
                continue;
            };
            t.passes[i] += 1;
            if found.is_none() {
                found = Some(value.unwrap_or_else(|| name_cells::cell_name(text)));
            }
        }
        if t.texts == DECIDE_AFTER && t.fixed.is_none() {
            t.fixed = Some(t.verdict());
        }
        found
    }

    /// The verdict of `column` once it is fixed ([`DECIDE_AFTER`]):
    /// `Some(None)` when the column has none.
    pub fn fixed(&self, column: Column) -> Option<Option<Verdict>> {
        self.tallies.get(&column).and_then(|t| t.fixed)
    }

    /// Whether `column` can still get a verdict of `kind`.
    pub fn possible(&self, column: Column, kind: Kind) -> bool {
        let Some(t) = self.tallies.get(&column) else {
            return false;
        };
        compiled()
            .spec
            .chance
            .keys()
            .zip(&t.routes)
            .any(|(k, r)| *k == kind && r.is_some())
    }

    /// Judge every column seen (a fixed verdict stays).
    pub fn judge(&self) -> Verdicts {
        Verdicts(
            self.tallies
                .iter()
                .filter_map(|(&c, t)| Some((c, t.fixed.unwrap_or_else(|| t.verdict())?)))
                .collect(),
        )
    }
}

impl Tally {
    /// The kind nearly all of the column's values pass (by its header, or
    /// far more than chance), the most passed when several.
    fn verdict(&self) -> Option<Verdict> {
        let c = compiled();
        let mut best: Option<(u64, Verdict)> = None;
        for (i, (&kind, &chance)) in c.spec.chance.iter().enumerate() {
            let passes = self.passes[i];
            let trials = if kind == Kind::Name {
                self.texts
            } else {
                self.values
            };
            if passes == 0 || !c.spec.test.nearly_all(passes, trials) {
                continue;
            }
            let confidence = match self.routes[i] {
                Some(Route::Header) => c.spec.confidence.header,
                Some(Route::Data) if c.spec.test.beats_chance(passes, trials, chance) => {
                    c.spec.confidence.data
                }
                _ => continue,
            };
            if best.is_none_or(|(p, _)| passes > p) {
                best = Some((passes, Verdict { kind, confidence }));
            }
        }
        best.map(|(_, v)| v)
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

impl Verdict {
    /// The confidence a finding of `kind` at `confidence` in the column
    /// gets, when the verdict raises it.
    pub fn raises(&self, kind: Kind, confidence: f32) -> Option<f32> {
        (kind == self.kind && confidence < self.confidence).then_some(self.confidence)
    }
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
}

#[cfg(test)]
mod tests;
