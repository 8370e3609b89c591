//! End-to-end tests of e-mail: deeply nested forwarded messages, and the
//! headers that carry people besides From/To.

use crate::util::{records, zwartlak};
use serde_json::Value;
use std::path::Path;

/// A message forwarded `levels` times: each level is a message whose only
/// body is the next one (`Content-Type: message/rfc822`).
fn nested_mail(levels: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..levels {
        out.extend_from_slice(
            format!(
                "From: a{i}@example.nl\r\nSubject: fw {i}\r\nContent-Type: message/rfc822\r\n\r\n"
            )
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

fn read(p: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned()
}

#[test]
fn the_senders_address_is_redacted_in_every_header() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let mail = "Return-Path: <jan.devries@example.nl>\r\n\
Received: from mail.example.nl (jan.devries@example.nl) by mx.example.org; Mon, 1 Jan 2024 10:00:00 +0100\r\n\
Message-ID: <20240101100000.4711.jan.devries@example.nl>\r\n\
In-Reply-To: <CAB1234XYZ.mailer>\r\n\
References: <CAB1234XYZ.mailer> <20231231.jan.devries@example.nl>\r\n\
From: Jan de Vries <jan.devries@example.nl>\r\n\
Reply-To: jan.devries@example.nl\r\n\
Sender: jan.devries@example.nl\r\n\
Disposition-Notification-To: jan.devries@example.nl\r\n\
Thread-Topic: vraag van jan.devries@example.nl\r\n\
X-Original-Sender: jan.devries@example.nl\r\n\
To: verhuur@example.org\r\n\
Subject: reparatie\r\n\
\r\n\
Graag een afspraak.\r\n";
    std::fs::write(input.join("m.eml"), mail).unwrap();
    // scan: every header that holds the address gives a finding there.
    let out = zwartlak()
        .args(["scan", "--format", "jsonl"])
        .arg(&input)
        .output()
        .unwrap();
    let recs = records(&out.stdout);
    let parts: Vec<&str> = recs
        .iter()
        .filter(|r| r["record"] == "finding" && r["kind"] == "email")
        .filter_map(|r| r["location"]["part"].as_str())
        .collect();
    for h in [
        "Return-Path",
        "Received",
        "Message-ID",
        "References",
        "Disposition-Notification-To",
        "Thread-Topic",
        "X-Original-Sender",
    ] {
        assert!(
            parts.contains(&format!("header:{h}").as_str()),
            "{h} in {parts:?}"
        );
    }
    // redact: no header of the copy holds the address.
    let released = dir.path().join("out");
    let _ = zwartlak()
        .arg("redact")
        .arg(&input)
        .arg("--out")
        .arg(&released)
        .output()
        .unwrap();
    let copy = read(&released.join("m.eml"));
    assert!(!copy.contains("jan.devries"), "{copy}");
    assert!(!copy.contains("devries@"), "{copy}");
    // ids keep their syntax; the id without personal data stays.
    assert!(copy.contains("<CAB1234XYZ.mailer>"), "{copy}");
    assert!(
        copy.contains("Message-ID: <redacted-1@redacted.invalid>"),
        "{copy}"
    );
}
