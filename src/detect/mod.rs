//! Detection: text to findings.
//!
//! Every detector implements [`Detector`]. The pattern detectors (checksums,
//! numbering plans, dates) are data in `patterns/` compiled into one pass
//! ([`pattern::PatternDetectors`]); names ([`names::NameDetector`]) and street
//! addresses ([`address::AddressDetector`]) come from a word-level grammar over
//! the lists in `patterns/names/` and `patterns/address/`; a
//! [`roster::Roster`] of known people can be added with
//! [`Engine::with_roster`]. The [`Engine`] runs all detectors over a
//! segment, resolves overlaps (the most confident finding keeps its span) and
//! applies the kind and confidence filters.

pub mod address;
pub mod columns;
pub mod context;
pub mod names;
pub mod normalize;
pub mod pattern;
pub mod prefilter;
pub mod roster;
pub mod validate;

use crate::kind::{Kind, KindSet};

/// A piece of personal data found in a text.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// The kind of personal data.
    pub kind: Kind,
    /// Byte range in the segment's text.
    pub start: usize,
    /// End (exclusive) of the byte range in the segment's text.
    pub end: usize,
    /// Confidence in `0.0..=1.0`.
    pub confidence: f32,
    /// Normalized value (digits, compact IBAN, E.164 ...).
    pub norm: String,
    /// The detector that found it.
    pub rule: &'static str,
    /// The roster person it belongs to (found or confirmed by the roster):
    /// an index for [`Engine::roster_id`].
    pub roster: Option<u32>,
}

/// Something that finds personal data in text.
pub trait Detector: Send + Sync {
    /// Append findings in `text` to `out`. `label` is the segment's label (a
    /// column header, a JSON key) and counts as context.
    fn detect(&self, text: &str, label: Option<&str>, out: &mut Vec<Finding>);

    /// Look at a finding of any detector (after all have run) and raise its
    /// confidence when this detector knows the value (the roster does).
    fn confirm(&self, _finding: &mut Finding) {}

    /// Whether `label` (a column header) holds this detector's context
    /// words for `kind`: positive, negative, or none of them.
    fn label_polarity(&self, _label: &str, _kind: Kind) -> Option<context::Polarity> {
        None
    }
}

/// Filters applied to what the detectors report.
#[derive(Clone, Debug)]
pub struct Filter {
    /// Findings below this confidence are dropped.
    pub min_confidence: f32,
    /// Only findings of these kinds are kept.
    pub kinds: KindSet,
}

impl Default for Filter {
    fn default() -> Self {
        Filter {
            min_confidence: 0.5,
            kinds: KindSet::all(),
        }
    }
}

/// All detectors, run together.
pub struct Engine {
    detectors: Vec<Box<dyn Detector>>,
    /// The roster, run after the other detectors (one: `--roster` files
    /// are read into one roster, so its person indices are unambiguous).
    roster: Option<roster::Roster>,
    filter: Filter,
}

impl Engine {
    /// An engine running `detectors`, without roster, filtered by `filter`.
    pub fn new(detectors: Vec<Box<dyn Detector>>, filter: Filter) -> Self {
        Engine {
            detectors,
            roster: None,
            filter,
        }
    }

    /// The built-in detectors.
    pub fn builtin(filter: Filter) -> Result<Self, pattern::SpecError> {
        Ok(Engine::new(
            vec![
                Box::new(pattern::PatternDetectors::builtin()?),
                Box::new(names::NameDetector::new()),
                Box::new(address::AddressDetector::new()),
            ],
            filter,
        ))
    }

    /// Add a detector.
    pub fn with(mut self, d: Box<dyn Detector>) -> Self {
        self.detectors.push(d);
        self
    }

    /// Use a roster of known people (in place of any earlier one).
    pub fn with_roster(mut self, r: roster::Roster) -> Self {
        self.roster = Some(r);
        self
    }

    /// The id of the roster person of a finding ([`Finding::roster`]).
    pub fn roster_id(&self, person: u32) -> Option<String> {
        self.roster.as_ref()?.id(person)
    }

    fn all(&self) -> impl Iterator<Item = &dyn Detector> {
        let roster = self.roster.as_ref().map(|r| r as &dyn Detector);
        self.detectors.iter().map(|d| d.as_ref()).chain(roster)
    }

    /// Findings in `text`, overlaps resolved, filtered, in text order.
    pub fn detect(&self, text: &str, label: Option<&str>) -> Vec<Finding> {
        self.settle(self.detect_raw(text, label))
    }

    /// Every detector's findings in `text`, confirmed, before overlaps are
    /// resolved and the filters applied ([`Engine::settle`]): what a table
    /// column is judged on (`columns`).
    pub fn detect_raw(&self, text: &str, label: Option<&str>) -> Vec<Finding> {
        let mut raw = Vec::new();
        for d in self.all() {
            d.detect(text, label, &mut raw);
        }
        // A detector may know values others found (the roster does).
        for d in self.all() {
            for f in raw.iter_mut() {
                d.confirm(f);
            }
        }
        raw
    }

    /// The context words of `label` for `kind` across the detectors:
    /// negative when any detector's are.
    pub fn label_polarity(&self, label: &str, kind: Kind) -> Option<context::Polarity> {
        let mut found = None;
        for d in self.all() {
            match d.label_polarity(label, kind) {
                Some(context::Polarity::Negative) => return Some(context::Polarity::Negative),
                Some(p) => found = Some(p),
                None => {}
            }
        }
        found
    }

    /// Raw findings ([`Engine::detect_raw`]) with overlaps resolved and the
    /// filters applied, in text order.
    pub fn settle(&self, raw: Vec<Finding>) -> Vec<Finding> {
        let mut kept = resolve_overlaps(raw);
        kept.retain(|f| self.passes(f.kind, f.confidence));
        kept
    }

    /// Whether a finding of `kind` at `confidence` passes the filters.
    pub fn passes(&self, kind: Kind, confidence: f32) -> bool {
        confidence >= self.filter.min_confidence && self.filter.kinds.contains(kind)
    }
}

/// Keep, among findings that overlap, the most confident one (then the
/// longest). Returns the kept findings in text order. Runs in O(n log n):
/// findings are cut into clusters of overlapping spans, and only a cluster
/// (a handful of candidates for one place) is resolved greedily.
pub fn resolve_overlaps(mut raw: Vec<Finding>) -> Vec<Finding> {
    if raw.len() < 2 {
        return raw;
    }
    raw.sort_by_key(|f| (f.start, f.end));
    let mut kept: Vec<Finding> = Vec::with_capacity(raw.len());
    let mut cluster: Vec<Finding> = Vec::new();
    let mut cluster_end = 0;
    let flush = |cluster: &mut Vec<Finding>, kept: &mut Vec<Finding>| {
        if cluster.len() == 1 {
            kept.append(cluster);
            return;
        }
        cluster.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then((b.end - b.start).cmp(&(a.end - a.start)))
                .then(a.start.cmp(&b.start))
        });
        let from = kept.len();
        for f in cluster.drain(..) {
            if kept[from..]
                .iter()
                .all(|k| f.end <= k.start || f.start >= k.end)
            {
                kept.push(f);
            }
        }
        kept[from..].sort_by_key(|f| (f.start, f.end));
    };
    for f in raw {
        if !cluster.is_empty() && f.start >= cluster_end {
            flush(&mut cluster, &mut kept);
        }
        cluster_end = if cluster.is_empty() {
            f.end
        } else {
            cluster_end.max(f.end)
        };
        cluster.push(f);
    }
    flush(&mut cluster, &mut kept);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(kind: Kind, start: usize, end: usize, confidence: f32) -> Finding {
        Finding {
            kind,
            start,
            end,
            confidence,
            norm: String::new(),
            rule: "t",
            roster: None,
        }
    }

    #[test]
    fn overlaps_keep_the_most_confident() {
        let kept = resolve_overlaps(vec![
            f(Kind::Bsn, 4, 12, 0.1),
            f(Kind::Phone, 0, 12, 0.9),
            f(Kind::Email, 20, 30, 0.9),
        ]);
        assert_eq!(
            kept.iter().map(|f| f.kind).collect::<Vec<_>>(),
            vec![Kind::Phone, Kind::Email]
        );
    }

    #[test]
    fn overlap_chains_resolve_per_cluster() {
        // a-b overlap, b-c overlap, a and c do not: b wins, then a and c are dropped.
        let kept = resolve_overlaps(vec![
            f(Kind::Bsn, 0, 10, 0.5),
            f(Kind::Phone, 8, 20, 0.9),
            f(Kind::Iban, 18, 30, 0.5),
            f(Kind::Email, 40, 50, 0.1),
        ]);
        assert_eq!(
            kept.iter().map(|f| f.kind).collect::<Vec<_>>(),
            vec![Kind::Phone, Kind::Email]
        );
        // a chain where the strongest is at the end keeps the first too
        let kept = resolve_overlaps(vec![
            f(Kind::Bsn, 0, 10, 0.5),
            f(Kind::Phone, 8, 20, 0.6),
            f(Kind::Iban, 18, 30, 0.9),
        ]);
        assert_eq!(
            kept.iter().map(|f| f.kind).collect::<Vec<_>>(),
            vec![Kind::Bsn, Kind::Iban]
        );
    }

    #[test]
    fn engine_filters() {
        let e = Engine::builtin(Filter {
            min_confidence: 0.5,
            kinds: KindSet::parse("iban").unwrap(),
        })
        .unwrap();
        let found = e.detect("BSN 123456782 en NL91ABNA0417164300", None);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, Kind::Iban);
    }
}
