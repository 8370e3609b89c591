//! Pattern detectors, defined as data in `patterns/detectors.toml` and
//! compiled into one multi-pattern pass: the anchor prefilter picks windows,
//! one `RegexSet` over each window says which patterns can match there, and
//! only those patterns' regexes run, followed by their validator and the
//! context words.

use super::context::{Hotwords, Polarity};
use super::prefilter;
use super::validate::{self, Valid};
use super::{Detector, Finding};
use crate::kind::Kind;
use regex::{Regex, RegexSet};

use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct SpecFile {
    detector: Vec<DetectorSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DetectorSpec {
    id: String,
    kind: Kind,
    /// What the detector finds, in one sentence: the SARIF rule's
    /// `fullDescription` of its kind.
    description: String,
    /// Texts in which the detector must report a value (at the default
    /// minimum confidence), and texts in which it must not; checked by one
    /// unit test (the only reader: detection does not need them). Synthetic
    /// values only.
    #[serde(default)]
    #[cfg_attr(not(test), allow(dead_code))]
    must_match: Vec<String>,
    #[serde(default)]
    #[cfg_attr(not(test), allow(dead_code))]
    must_not_match: Vec<String>,
    validator: String,
    bound: Bound,
    #[serde(default)]
    context: Vec<String>,
    #[serde(default)]
    negative: Vec<String>,
    boost: f32,
    penalty: f32,
    pattern: Vec<PatternSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternSpec {
    re: String,
    base: f32,
    /// When set, the value is this capture group; the rest of the match is
    /// context the pattern requires (e.g. the name before "(24-09-2008)").
    #[serde(default)]
    group: usize,
}

/// The `description` of the first detector of each kind in
/// `patterns/detectors.toml`; kinds no pattern detector finds are absent.
pub fn builtin_descriptions() -> &'static [(Kind, String)] {
    static DESCRIPTIONS: std::sync::OnceLock<Vec<(Kind, String)>> = std::sync::OnceLock::new();
    DESCRIPTIONS.get_or_init(|| {
        // A spec that does not parse has no descriptions; `builtin()` reports
        // why, and a unit test keeps the shipped spec loading.
        let Ok(file) = toml::from_str::<SpecFile>(crate::patterns::DETECTORS) else {
            return Vec::new();
        };
        let mut out: Vec<(Kind, String)> = Vec::new();
        for d in file.detector {
            if !out.iter().any(|(k, _)| *k == d.kind) {
                out.push((d.kind, d.description));
            }
        }
        out
    })
}

/// What may not touch a match.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Bound {
    None,
    Digit,
    Alnum,
    /// As `Alnum`, and not glued to another number by a separator: no
    /// digit and `-` `.` `/` right before, no `-` `.` `/` `:` and a digit
    /// right after ("12-06-2023 1530", "06-12-2023 10:00" hold no phone).
    Number,
}

/// A spec file that does not load, with the place that is wrong.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("patterns/detectors.toml: {0}")]
    /// `patterns/detectors.toml` is not valid TOML or not of the expected shape.
    Toml(#[from] toml::de::Error),
    /// One detector of the file is invalid.
    #[error("patterns/detectors.toml: detector `{id}`: {what}")]
    Detector {
        /// The detector's `id`.
        id: String,
        /// What is wrong with it.
        what: String,
    },
}

struct Compiled {
    id: &'static str,
    kind: Kind,
    validator: fn(&str) -> Option<Valid>,
    bound: Bound,
    boost: f32,
    penalty: f32,
}

struct Pattern {
    detector: usize,
    re: Regex,
    base: f32,
    group: usize,
}

/// All pattern detectors as one.
pub struct PatternDetectors {
    detectors: Vec<Compiled>,
    patterns: Vec<Pattern>,
    set: RegexSet,
    hotwords: Hotwords,
}

impl PatternDetectors {
    /// The detectors shipped in `patterns/detectors.toml`.
    pub fn builtin() -> Result<Self, SpecError> {
        Self::from_toml(crate::patterns::DETECTORS)
    }

    /// The detectors described by `src`, a `detectors.toml` document.
    pub fn from_toml(src: &str) -> Result<Self, SpecError> {
        let file: SpecFile = toml::from_str(src)?;
        let mut detectors = Vec::new();
        let mut patterns = Vec::new();
        let mut words = Vec::new();
        for (i, d) in file.detector.into_iter().enumerate() {
            let err = |what: String| SpecError::Detector {
                id: d.id.clone(),
                what,
            };
            let validator = validate::by_name(&d.validator)
                .ok_or_else(|| err(format!("unknown validator `{}`", d.validator)))?;
            if d.pattern.is_empty() {
                return Err(err("no pattern".into()));
            }
            if d.description.trim().is_empty() {
                return Err(err("empty description".into()));
            }
            for p in &d.pattern {
                let re = Regex::new(&p.re).map_err(|e| err(format!("pattern `{}`: {e}", p.re)))?;
                if !(0.0..=1.0).contains(&p.base) {
                    return Err(err(format!("base {} is not in 0..1", p.base)));
                }
                if p.group >= re.captures_len() {
                    return Err(err(format!("pattern `{}` has no group {}", p.re, p.group)));
                }
                patterns.push(Pattern {
                    detector: i,
                    re,
                    base: p.base,
                    group: p.group,
                });
            }
            words.push((d.context.clone(), d.negative.clone()));
            detectors.push(Compiled {
                id: Box::leak(d.id.clone().into_boxed_str()),
                kind: d.kind,
                validator,
                bound: d.bound,
                boost: d.boost,
                penalty: d.penalty,
            });
        }
        // A roomy lazy-DFA cache: the set runs over many small windows and
        // must not rebuild its states again and again.
        let set = regex::RegexSetBuilder::new(patterns.iter().map(|p| p.re.as_str()))
            .dfa_size_limit(64 << 20)
            .build()
            .map_err(|e| SpecError::Detector {
                id: "*".into(),
                what: e.to_string(),
            })?;
        Ok(PatternDetectors {
            detectors,
            patterns,
            set,
            hotwords: Hotwords::new(&words),
        })
    }

    /// Nothing that `bound` forbids touches `start..end`. With `start == end`
    /// only the left edge is checked.
    fn bounded(text: &str, start: usize, end: usize, bound: Bound) -> bool {
        let before = text[..start].chars().next_back();
        let after = if end > start {
            text[end..].chars().next()
        } else {
            None
        };
        let touches = |c: Option<char>| match (bound, c) {
            (_, None) | (Bound::None, _) => false,
            (Bound::Digit, Some(c)) => c.is_ascii_digit(),
            (Bound::Alnum | Bound::Number, Some(c)) => c.is_alphanumeric(),
        };
        if touches(before) || touches(after) {
            return false;
        }
        if bound == Bound::Number {
            let b = text.as_bytes();
            let glued_before = start >= 2
                && matches!(b[start - 1], b'-' | b'.' | b'/')
                && b[start - 2].is_ascii_digit();
            let glued_after = end > start
                && end + 1 < b.len()
                && matches!(b[end], b'-' | b'.' | b'/' | b':')
                && b[end + 1].is_ascii_digit();
            return !glued_before && !glued_after;
        }
        true
    }
}

impl Detector for PatternDetectors {
    fn label_polarity(&self, label: &str, kind: Kind) -> Option<Polarity> {
        let mut found = None;
        for (i, d) in self.detectors.iter().enumerate() {
            if d.kind != kind {
                continue;
            }
            match self.hotwords.in_label(label, i) {
                Some(Polarity::Negative) => return Some(Polarity::Negative),
                Some(p) => found = Some(p),
                None => {}
            }
        }
        found
    }

    fn detect(&self, text: &str, label: Option<&str>, out: &mut Vec<Finding>) {
        let mut windows = Vec::new();
        prefilter::windows(text, &mut windows);
        for w in windows {
            let sub = &text[w.clone()];
            let hits = self.set.matches(sub);
            if !hits.matched_any() {
                continue;
            }
            for pi in hits.iter() {
                let p = &self.patterns[pi];
                let d = &self.detectors[p.detector];
                let spans: Vec<regex::Match<'_>> = if p.group == 0 {
                    p.re.find_iter(sub).collect()
                } else {
                    p.re.captures_iter(sub)
                        .filter_map(|c| c.get(p.group))
                        .collect()
                };
                for m in spans {
                    let start = w.start + m.start();
                    // The left edge first: it is cheap, and the validator may be not.
                    if !Self::bounded(text, start, start, d.bound) {
                        continue;
                    }
                    let Some(valid) = (d.validator)(m.as_str()) else {
                        continue;
                    };
                    let end = start + valid.len.unwrap_or(m.len());
                    if !Self::bounded(text, start, end, d.bound) {
                        continue;
                    }
                    let mut confidence = p.base + valid.bonus;
                    match self.hotwords.nearest(text, start, end, label, p.detector) {
                        Some(Polarity::Positive) => confidence += d.boost,
                        Some(Polarity::Negative) => confidence -= d.penalty,
                        None => {}
                    }
                    out.push(Finding {
                        kind: d.kind,
                        start,
                        end,
                        confidence: confidence.clamp(0.01, 0.99),
                        norm: valid.norm,
                        rule: d.id,
                        roster: None,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(text: &str, label: Option<&str>) -> Vec<Finding> {
        let mut out = Vec::new();
        PatternDetectors::builtin()
            .unwrap()
            .detect(text, label, &mut out);
        out
    }

    #[test]
    fn builtin_spec_loads() {
        PatternDetectors::builtin().unwrap();
    }

    /// The values detector `id` reports in `text` at the default minimum confidence.
    fn reported<'t>(det: &PatternDetectors, text: &'t str, id: &str) -> Vec<&'t str> {
        let min = crate::detect::Filter::default().min_confidence;
        let mut out = Vec::new();
        det.detect(text, None, &mut out);
        out.iter()
            .filter(|f| f.rule == id && f.confidence >= min)
            .map(|f| &text[f.start..f.end])
            .collect()
    }

    #[test]
    fn every_detector_keeps_its_examples() {
        let file: SpecFile = toml::from_str(crate::patterns::DETECTORS).unwrap();
        let det = PatternDetectors::builtin().unwrap();
        let mut wrong = Vec::new();
        for d in &file.detector {
            if d.must_match.is_empty() || d.must_not_match.is_empty() {
                wrong.push(format!(
                    "{}: needs must_match and must_not_match examples",
                    d.id
                ));
            }
            for text in &d.must_match {
                if reported(&det, text, &d.id).is_empty() {
                    wrong.push(format!("{}: finds nothing in {text:?}", d.id));
                }
            }
            for text in &d.must_not_match {
                let found = reported(&det, text, &d.id);
                if !found.is_empty() {
                    wrong.push(format!("{}: finds {found:?} in {text:?}", d.id));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn bad_specs_name_the_detector() {
        let e = PatternDetectors::from_toml(
            "[[detector]]\nid='x'\nkind='bsn'\ndescription='d'\nvalidator='nope'\nbound='none'\nboost=0.1\npenalty=0.1\n[[detector.pattern]]\nre='1'\nbase=0.5\n",
        )
        .err()
        .unwrap();
        assert!(
            e.to_string().contains("`x`") && e.to_string().contains("nope"),
            "{e}"
        );
        assert!(PatternDetectors::from_toml("[[detector]]\nid=1").is_err());
    }

    #[test]
    fn bsn_context_raises_and_lowers() {
        let with = find("BSN: 123456782", None);
        let bsn: Vec<_> = with.iter().filter(|f| f.kind == Kind::Bsn).collect();
        assert_eq!(bsn.len(), 1);
        assert!(bsn[0].confidence > 0.9);
        let bare = find("nummer 123456782 staat hier", None);
        assert!(bare
            .iter()
            .filter(|f| f.kind == Kind::Bsn)
            .all(|f| f.confidence < 0.5));
        let neg = find("Klantnummer 123456782", None);
        assert!(neg
            .iter()
            .filter(|f| f.kind == Kind::Bsn)
            .all(|f| f.confidence < 0.2));
        let label = find("123456782", Some("BSN"));
        assert!(label
            .iter()
            .any(|f| f.kind == Kind::Bsn && f.confidence > 0.9));
    }

    #[test]
    fn digits_glued_to_others_are_not_bsn() {
        assert!(find("BSN 1234567820", None)
            .iter()
            .all(|f| f.kind != Kind::Bsn));
    }

    #[test]
    fn finds_each_kind() {
        let text = "Geboren op 1 april 1980, IBAN NL91 ABNA 0417 1643 00, mail jan@example.nl, \
                    tel 06-12345678, Dorpsstraat 12, 7411 AB Deventer, paspoort GHQ653YX7, kenteken S-519-VK.";
        let kinds: Vec<Kind> = find(text, None)
            .iter()
            .filter(|f| f.confidence >= 0.5)
            .map(|f| f.kind)
            .collect();
        for k in [
            Kind::BirthDate,
            Kind::Iban,
            Kind::Email,
            Kind::Phone,
            Kind::Postcode,
            Kind::IdDocument,
            Kind::LicensePlate,
        ] {
            assert!(kinds.contains(&k), "{k} missing in {kinds:?}");
        }
    }

    #[test]
    fn a_date_in_brackets_after_a_name_is_a_birth_date() {
        let t = "de kinderen Jonathan (2012-12-26), Josephine\n(2022-04-13) en Ninthe (14 augustus 2009).";
        let f: Vec<_> = crate::detect::resolve_overlaps(find(t, None))
            .into_iter()
            .filter(|f| f.kind == Kind::BirthDate && f.confidence >= 0.5)
            .collect();
        let norms: Vec<&str> = f.iter().map(|f| f.norm.as_str()).collect();
        assert_eq!(norms, vec!["2012-12-26", "2022-04-13", "2009-08-14"]);
        assert_eq!(&t[f[0].start..f[0].end], "2012-12-26");
    }

    fn phones(text: &str) -> Vec<(String, String)> {
        crate::detect::resolve_overlaps(find(text, None))
            .into_iter()
            .filter(|f| f.kind == Kind::Phone && f.confidence >= 0.5)
            .map(|f| (text[f.start..f.end].to_string(), f.norm))
            .collect()
    }

    #[test]
    fn phones_as_people_type_them() {
        for (written, norm) in [
            ("(06)12345678", "+31612345678"),
            ("(06)-1234 5678", "+31612345678"),
            ("(06) 1234 5678", "+31612345678"),
            ("030 - 1234 567", "+31301234567"),
            ("088 - 7555555", "+31887555555"),
            ("065555 5555", "+31655555555"),
            ("046-5555555", "+31465555555"),
            ("0570 - 61 23 45", "+31570612345"),
        ] {
            let text = format!("Bel mij op {written} na vijf uur.");
            assert_eq!(
                phones(&text),
                vec![(written.to_string(), norm.to_string())],
                "{written}"
            );
        }
        // 046 is a two-digit area code (Sittard-Geleen): its numbers have
        // seven digits after it. Six is no number of the numbering plan.
        assert!(phones("Bel mij op 046-555555 na vijf uur.").is_empty());
    }

    #[test]
    fn dates_amounts_and_postcodes_written_like_phones_are_not_phones() {
        for text in [
            "Op 06-12-2023 10:00 uur",
            "Op 06-12-2023 10 uur",
            "Datum 12-06-2023 1530",
            "Afspraak 06 - 12 - 2023 om 10 uur",
            "Van (06)12-2023 tot (07)01-2024",
            "Op 06.12.2023 10.30 uur",
            "Op 06/12/2023 10:30",
            "Bedrag € 0612 345,67 en 030 - 1234,56 euro",
            "Totaal 061.234.567,89 en 0,30 - 1234 567",
            "Postcode 3067 - 1234 AB en 1011 AB 0612",
            "Postcode 3067 AB - 0612",
        ] {
            assert!(phones(text).is_empty(), "{text}: {:?}", phones(text));
        }
    }

    #[test]
    fn letter_dates_are_not_birth_dates() {
        let f = find("Deventer, 12 maart 2025\nBetreft: uw huur", None);
        assert!(f
            .iter()
            .filter(|f| f.kind == Kind::BirthDate)
            .all(|f| f.confidence < 0.5));
    }
}
