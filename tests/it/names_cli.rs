//! End to end: `zwartlak scan` on fixtures/names (letters, a CSV list and an
//! e-mail written for these tests) finds every name and address form, and
//! nothing that only looks like one.

use crate::util::{records, zwartlak};
use std::collections::BTreeSet;

fn scan(reveal: bool) -> Vec<serde_json::Value> {
    let mut cmd = zwartlak();
    cmd.args(["scan", "fixtures/names", "--format", "jsonl"]);
    if reveal {
        cmd.arg("--reveal");
    }
    records(&cmd.assert().success().get_output().stdout)
}

fn found(kind: &str) -> BTreeSet<(String, String)> {
    scan(true)
        .into_iter()
        .filter(|r| r["record"] == "finding" && r["kind"] == kind)
        .map(|r| {
            (
                r["path"].as_str().unwrap().to_string(),
                r["value"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn set(items: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    items
        .iter()
        .map(|(p, v)| (p.to_string(), v.to_string()))
        .collect()
}

#[test]
fn names_in_letters_lists_and_mail() {
    assert_eq!(
        found("name"),
        set(&[
            ("brief.txt", "Van den Heuvel-Kaya"),
            ("brief.txt", "Ramdin"),
            ("brief.txt", "Sjoerd Wobbelink"),
            ("brief.txt", "Ayşe"),
            ("brief.txt", "Marieke Dekker"),
            ("lijst.csv", "DE VRIES, J.P."),
            ("lijst.csv", "Berg-Jansen, A. van den"),
            ("lijst.csv", "Kovačević, M."),
            ("mail.eml", "Dekker, Marieke"),
            ("mail.eml", "Emre Çelik"),
            ("mail.eml", "Emre"),
            ("mail.eml", "J. P. de Vries"),
            ("mail.eml", "Marieke"),
        ])
    );
}

#[test]
fn addresses_with_every_toevoeging() {
    assert_eq!(
        found("address"),
        set(&[
            ("brief.txt", "Willem de Zwijgerlaan 17-II"),
            ("brief.txt", "Christiaan Huygensstraat 3 bis"),
            ("lijst.csv", "Kerkstraat 12 A"),
            ("lijst.csv", "Laan van Borgele 4-3"),
            ("lijst.csv", "Julianalaan 9a"),
        ])
    );
}

#[test]
fn names_are_masked_without_reveal() {
    let records = scan(false);
    let names = records
        .iter()
        .filter(|r| r["record"] == "finding" && r["kind"] == "name")
        .count();
    assert_eq!(names, 13);
    let text = records.iter().map(|r| r.to_string()).collect::<String>();
    for raw in [
        "Wobbelink",
        "Dekker",
        "Kovačević",
        "Zwijgerlaan 17",
        "Ramdin",
    ] {
        assert!(!text.contains(raw), "{raw} printed without --reveal");
    }
}
