//! End-to-end tests of column evidence (issue 12): the binary on the register
//! export of `fixtures/register/` (made by `scripts/gen_register.py`), whose
//! headers are GBA/BRP element codes and hold no context word: BSNs, birth
//! dates and names (voornamen, geslachtsnaam) are found at the default
//! confidence, and nothing else of those kinds.

use crate::util::{repo, zwartlak};
use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

const CODES: [&str; 12] = [
    "01.01.10", "01.01.20", "01.02.10", "01.02.30", "01.02.40", "01.03.10", "01.04.10", "08.10.30",
    "08.11.10", "08.11.20", "08.11.60", "08.11.70",
];

fn fixture(name: &str) -> PathBuf {
    repo("fixtures/register").join(name)
}

/// The findings of `scan PATH --format jsonl --reveal`.
fn findings(path: &Path) -> Vec<Value> {
    let out = zwartlak()
        .args(["scan", "--format", "jsonl", "--reveal"])
        .arg(path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|r| r["record"] == "finding")
        .collect()
}

/// (data row counted from 1, column code, kind) of the truth's cells of `kind`.
fn truth(kind: &str) -> HashSet<(u64, String, String)> {
    let t: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(fixture("truth.json")).unwrap()).unwrap();
    t.iter()
        .filter(|v| v["kind"] == kind)
        .map(|v| {
            (
                v["row"].as_u64().unwrap(),
                v["code"].as_str().unwrap().to_string(),
                kind.to_string(),
            )
        })
        .collect()
}

/// Where a finding stands: (data row, column code, kind). A1 cells for CSV
/// and sheets (row 1 is the header), JSON pointers `/row/code` for JSON.
fn place(f: &Value) -> (u64, String, String) {
    let kind = f["kind"].as_str().unwrap().to_string();
    let loc = &f["location"];
    if let Some(cell) = loc["cell"].as_str() {
        let col = (cell.as_bytes()[0] - b'A') as usize;
        let row: u64 = cell[1..].parse().unwrap();
        return (row - 1, CODES[col].to_string(), kind);
    }
    let part = loc["part"].as_str().unwrap();
    let mut it = part.trim_start_matches('/').split('/');
    let row: u64 = it.next().unwrap().parse().unwrap();
    (row + 1, it.next().unwrap().to_string(), kind)
}

/// Recall of the truth's BSNs, birth dates and names (voornamen,
/// geslachtsnaam), and the findings of those kinds that are not in the truth.
fn score(found: &[Value]) -> Vec<(&'static str, f64, usize)> {
    let places: HashSet<_> = found.iter().map(place).collect();
    ["bsn", "birth_date", "name"]
        .into_iter()
        .map(|k| {
            let t = truth(k);
            let hit = t.iter().filter(|p| places.contains(*p)).count();
            let extra = places
                .iter()
                .filter(|p| p.2 == k && !t.contains(*p))
                .count();
            (k, hit as f64 / t.len() as f64, extra)
        })
        .collect()
}

fn assert_recall(found: &[Value], what: &str) {
    for (kind, recall, extra) in score(found) {
        assert!(recall >= 0.99, "{what}: {kind} recall {recall}");
        assert_eq!(
            extra, 0,
            "{what}: {extra} {kind} findings outside the truth"
        );
    }
}

#[test]
fn coded_csv_export_gives_its_bsns_birth_dates_and_names() {
    let found = findings(&fixture("brp-export.csv"));
    assert_recall(&found, "csv");
    // the address start dates (08.10.30) are dates too, but no birth dates
    assert!(found
        .iter()
        .all(|f| !(f["kind"] == "birth_date" && place(f).1 == "08.10.30")));
    // the raised ones say why
    assert!(found
        .iter()
        .any(|f| f["kind"] == "bsn" && f["rule"] == "column"));
}

#[test]
fn coded_json_records_give_their_bsns_birth_dates_and_names() {
    assert_recall(&findings(&fixture("brp-export.json")), "json");
}

/// The export as a workbook, BSNs and house numbers stored as numbers (a BSN
/// with a leading zero then has eight digits), the rest as text.
fn workbook(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(fixture("brp-export.csv")).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, line) in text.lines().enumerate() {
        for (c, v) in line.split(';').enumerate() {
            let (r, c) = (r as u32, c as u16);
            let numeric =
                r > 0 && (CODES[c as usize] == "01.01.20" || CODES[c as usize] == "08.11.20");
            match v.parse::<f64>() {
                Ok(n) if numeric => ws.write_number(r, c, n).map(|_| ()),
                _ if v.is_empty() => Ok(()),
                _ => ws.write_string(r, c, v).map(|_| ()),
            }
            .unwrap();
        }
    }
    let path = dir.join("brp-export.xlsx");
    wb.save(&path).unwrap();
    path
}

#[test]
fn coded_workbook_gives_its_bsns_birth_dates_and_names() {
    let dir = tempfile::tempdir().unwrap();
    let found = findings(&workbook(dir.path()));
    assert_recall(&found, "xlsx");
    // BSNs that lost their leading zero are found as the 9-digit number
    let eight: Vec<&Value> = found
        .iter()
        .filter(|f| f["kind"] == "bsn" && f["value"].as_str().unwrap().len() == 8)
        .collect();
    assert!(
        !eight.is_empty(),
        "the fixture has BSNs with a leading zero"
    );
}

#[test]
fn without_a_header_the_values_alone_make_a_bsn_column_but_not_a_birth_date_column() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("brp-export.csv")).unwrap();
    let (head, rest) = text.split_once('\n').unwrap();
    let blank: Vec<String> = (1..=head.split(';').count())
        .map(|i| format!("k{i}"))
        .collect();
    let path = dir.path().join("zonder-koppen.csv");
    std::fs::write(&path, format!("{}\n{rest}", blank.join(";"))).unwrap();
    let found = findings(&path);
    let s = score(&found);
    assert!(s[0].1 >= 0.99, "bsn recall {}", s[0].1);
    // a date says nothing by itself: without the header no birth dates
    assert!(s[1].1 < 0.01, "birth_date recall {}", s[1].1);
    // nor does a word: the surnames alone are not read as names
    assert!(s[2].1 < 0.9, "name recall {}", s[2].1);
}

#[test]
fn a_column_of_random_numbers_gives_no_bsn() {
    // about 1 in 11 of them pass the 11-check, by chance
    let found = findings(&fixture("random-numbers.csv"));
    assert!(
        found.iter().all(|f| f["kind"] != "bsn"),
        "{:?}",
        found.iter().filter(|f| f["kind"] == "bsn").count()
    );
}

#[test]
fn fail_on_bsn_gates_the_coded_export() {
    zwartlak()
        .args(["scan", "--fail-on", "bsn", "-q"])
        .arg(fixture("brp-export.csv"))
        .assert()
        .code(1);
    zwartlak()
        .args(["scan", "--fail-on", "bsn", "-q"])
        .arg(fixture("random-numbers.csv"))
        .assert()
        .code(0);
}

#[test]
fn redacting_the_coded_export_removes_what_the_scan_reports() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::copy(fixture("brp-export.csv"), input.join("brp-export.csv")).unwrap();
    let out = dir.path().join("out");
    zwartlak()
        .args(["redact", "-q", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .code(0);
    let copy = std::fs::read_to_string(out.join("brp-export.csv")).unwrap();
    let t: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(fixture("truth.json")).unwrap()).unwrap();
    let left = t
        .iter()
        .filter(|v| copy.contains(v["value"].as_str().unwrap()))
        .count();
    assert_eq!(left, 0, "values left in the redacted copy");
    assert!(findings(&out.join("brp-export.csv"))
        .iter()
        .all(|f| f["kind"] != "bsn" && f["kind"] != "birth_date"));
}
