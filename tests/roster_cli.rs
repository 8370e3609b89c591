//! End to end: `zwartlak scan --roster` finds a listed person's name in a
//! spelling the roster does not contain and their other values, with high
//! confidence; a roster file without known columns is a usage error.

use assert_cmd::Command;

fn findings(args: &[&str]) -> Vec<serde_json::Value> {
    let out = Command::cargo_bin("zwartlak")
        .unwrap()
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|r| r["record"] == "finding")
        .collect()
}

#[test]
fn roster_values_are_found_with_high_confidence() {
    let f = findings(&[
        "scan",
        "fixtures/roster",
        "--roster",
        "fixtures/roster.csv",
        "--format",
        "jsonl",
        "--reveal",
    ]);
    let get = |kind: &str| {
        f.iter()
            .find(|r| r["kind"] == kind)
            .unwrap_or_else(|| panic!("no {kind} in {f:?}"))
    };
    assert_eq!(get("name")["value"], "OORSCHOT, K.J. VAN");
    assert!(get("name")["confidence"].as_f64().unwrap() > 0.95);
    assert_eq!(get("bsn")["value"], "1112.22.333");
    assert!(get("bsn")["confidence"].as_f64().unwrap() > 0.95);
    assert_eq!(get("iban")["value"], "NL91 ABNA 0417 1643 00");
    assert_eq!(get("phone")["value"], "0612345678");
    assert_eq!(get("address")["value"], "Lindelaan 4");
}

#[test]
fn unusable_roster_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "kleur;maat\nrood;3\n").unwrap();
    Command::cargo_bin("zwartlak")
        .unwrap()
        .args(["scan", "fixtures/roster", "--roster"])
        .arg(&bad)
        .assert()
        .code(2);
}
