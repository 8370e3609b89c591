//! IBANs as people type them (issue 12): the fixture written by
//! `scripts/iban_freeform.py` holds IBANs of every country of the IBAN
//! registry, generated and validated with the `schwifty` library, in free-form
//! groupings (spaces, dashes, dots, odd group sizes), and for each the same
//! value with wrong check digits. Recall over the valid ones must be at least
//! 0.98; no value that fails mod-97 may be reported.

use std::collections::{HashMap, HashSet};
use zwartlak::detect::{Engine, Filter};
use zwartlak::kind::Kind;

#[test]
fn free_form_ibans_of_every_registry_country() {
    let dir = crate::util::repo("fixtures/iban");
    let text = std::fs::read_to_string(dir.join("freeform.txt")).unwrap();
    let truth = std::fs::read_to_string(dir.join("freeform.tsv")).unwrap();
    let engine = Engine::builtin(Filter::default()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut found: HashMap<usize, HashSet<String>> = HashMap::new();
    for (i, line) in lines.iter().enumerate() {
        for f in engine.detect(line, None) {
            if f.kind == Kind::Iban {
                found.entry(i + 1).or_default().insert(f.norm);
            }
        }
    }
    let (mut valid, mut hit, mut invalid, mut reported) = (0, 0, 0, 0);
    let mut countries = HashSet::new();
    let mut missed = Vec::new();
    for row in truth.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        let (n, iban, ok): (usize, &str, bool) =
            (cols[0].parse().unwrap(), cols[1], cols[2] == "1");
        if ok {
            valid += 1;
            countries.insert(&iban[..2]);
            if found.get(&n).is_some_and(|s| s.contains(iban)) {
                hit += 1;
            } else {
                missed.push(lines[n - 1]);
                if std::env::var("IBAN_DEBUG").is_ok() {
                    let all: Vec<_> = engine
                        .detect(lines[n - 1], None)
                        .into_iter()
                        .map(|f| (f.kind, f.norm, f.confidence))
                        .collect();
                    eprintln!("{iban}: {} -> {all:?}", lines[n - 1]);
                }
            }
        } else {
            invalid += 1;
            if found.contains_key(&n) {
                reported += 1;
            }
        }
    }
    let recall = hit as f64 / valid as f64;
    eprintln!(
        "{} countries, {valid} valid, recall {recall:.4}; {invalid} invalid, {reported} reported",
        countries.len()
    );
    assert!(countries.len() >= 89, "{}", countries.len());
    assert!(
        recall >= 0.98,
        "recall {recall}; missed e.g. {:?}",
        &missed[..missed.len().min(10)]
    );
    assert_eq!(reported, 0, "a value failing mod-97 was reported");
}
