//! End-to-end tests of how inputs reach the scanner: HTML5 character
//! references in markup, CSV outputs made inert against formula injection,
//! case-insensitive include/exclude globs, standard input and file lists.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/inputs")
        .join(name)
}

fn zwartlak() -> Command {
    Command::cargo_bin("zwartlak").unwrap()
}

/// The JSON Lines records printed by a run.
fn records(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8(stdout.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn findings(recs: &[serde_json::Value]) -> Vec<&serde_json::Value> {
    recs.iter().filter(|r| r["record"] == "finding").collect()
}

#[test]
fn names_written_with_html5_entities_are_found_at_their_source_bytes() {
    let path = fixture("entities.html");
    let src = std::fs::read_to_string(&path).unwrap();
    let out = zwartlak()
        .args(["scan", "--format", "jsonl", "--reveal"])
        .arg(&path)
        .output()
        .unwrap();
    let recs = records(&out.stdout);
    let names: Vec<_> = findings(&recs)
        .into_iter()
        .filter(|f| f["kind"] == "name")
        .collect();
    let values: Vec<&str> = names.iter().filter_map(|f| f["value"].as_str()).collect();
    assert!(
        values.iter().any(|v| v.contains("\u{d6}zt\u{fc}rk")),
        "{values:?}"
    );
    assert!(
        values.iter().any(|v| v.contains("\u{10c}olakovi\u{107}")),
        "{values:?}"
    );
    // The byte range points at the name as written, entities and all.
    for f in &names {
        let (s, e) = (
            f["location"]["byte_start"].as_u64().unwrap() as usize,
            f["location"]["byte_end"].as_u64().unwrap() as usize,
        );
        let raw = &src[s..e];
        assert!(
            raw.ends_with("zt&uuml;rk") || raw.ends_with("olakovi&cacute;"),
            "{raw}"
        );
    }
}

#[test]
fn names_written_with_html5_entities_are_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = zwartlak()
        .args(["redact", "--format", "jsonl", "--out"])
        .arg(&out)
        .arg(fixture("entities.html"))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let red = std::fs::read_to_string(out.join("entities.html")).unwrap();
    for gone in [
        "zt&uuml;rk",
        "\u{d6}zt\u{fc}rk",
        "olakovi&cacute;",
        "olakovi\u{107}",
    ] {
        assert!(!red.contains(gone), "{gone} left in {red}");
    }
    // The markup around the names survives.
    assert!(red.contains("<p>Huisbezoek bij mevrouw "), "{red}");
    assert!(red.contains(" over de sleutel.</p>"), "{red}");
}
