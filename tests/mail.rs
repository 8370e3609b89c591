//! End-to-end tests of e-mail: deeply nested forwarded messages, and the
//! headers that carry people besides From/To.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn zwartlak() -> Command {
    Command::cargo_bin("zwartlak").unwrap()
}

fn records(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// A message forwarded `levels` times: each level is a message whose only
/// body is the next one (`Content-Type: message/rfc822`).
fn nested_mail(levels: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..levels {
        out.extend_from_slice(
            format!("From: a{i}@example.nl\r\nSubject: fw {i}\r\nContent-Type: message/rfc822\r\n\r\n")
                .as_bytes(),
        );
    }
    out.extend_from_slice(b"From: last@example.nl\r\nSubject: end\r\n\r\nBel 06-12345678\r\n");
    out
}

#[test]
fn ten_thousand_nested_messages_stop_at_the_nesting_limit() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("diep.eml"), nested_mail(10_000)).unwrap();
    std::fs::write(dir.path().join("gewoon.txt"), "niets bijzonders\n").unwrap();
    let out = zwartlak()
        .args(["scan", "--format", "jsonl"])
        .arg(dir.path())
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    let recs = records(&out.stdout);
    let files: Vec<&Value> = recs.iter().filter(|r| r["record"] == "file").collect();
    let paths: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    // The other file's record is there, and the run ends with its summary.
    assert!(paths.contains(&"gewoon.txt"), "{paths:?}");
    assert_eq!(recs.last().unwrap()["record"], "summary");
    // At most the nesting limit (5) of levels are read, and one is marked
    // for review because the messages go deeper than that.
    let mail: Vec<&&Value> = files
        .iter()
        .filter(|f| f["path"].as_str().unwrap().starts_with("diep.eml"))
        .collect();
    assert!(mail.len() <= 6, "{} records for the mail", mail.len());
    let review: Vec<_> = mail
        .iter()
        .filter(|f| f["status"] == "needs_review")
        .collect();
    assert_eq!(review.len(), 1, "{mail:?}");
    let reason = review[0]["reason"].as_str().unwrap();
    assert!(reason.contains("nested deeper than 5"), "{reason}");
}

#[allow(dead_code)]
fn read(p: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned()
}
