//! End-to-end tests of the legacy formats: Outlook `.msg`, Word 97–2003
//! `.doc` and `.rtf`, on the fixtures of `fixtures/legacy/` (made by
//! `scripts/make_legacy_fixtures.sh`, all data invented). Every planted
//! value is found where it stands (header, body, paragraph, attachment);
//! `redact` lists the findings but writes no copy; damaged copies of the
//! fixtures are records, never crashes.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/legacy")
}

fn zwartlak() -> Command {
    Command::cargo_bin("zwartlak").unwrap()
}

fn records(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn scan(dir: &Path) -> Vec<Value> {
    let out = zwartlak()
        .args(["scan", "--format", "jsonl", "--reveal"])
        .arg(dir)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    records(&out.stdout)
}

/// `(path, kind, value as written, part, paragraph)`: every planted value.
const PLANTED: &[(&str, &str, &str, &str, Option<u64>)] = &[
    // Outlook message: headers, transport headers, plain-text body.
    (
        "melding.msg",
        "name",
        "Fenna Klompmaker",
        "header:Subject",
        None,
    ),
    (
        "melding.msg",
        "email",
        "fenna.klompmaker@voorbeeldmail.nl",
        "header:From",
        None,
    ),
    (
        "melding.msg",
        "name",
        "Jorrit Wijnbergen",
        "header:Cc",
        None,
    ),
    (
        "melding.msg",
        "email",
        "j.wijnbergen@voorbeeldmail.nl",
        "header:Cc",
        None,
    ),
    (
        "melding.msg",
        "email",
        "fenna.thuis@voorbeeldmail.nl",
        "transport header:Reply-To",
        None,
    ),
    ("melding.msg", "bsn", "390046462", "body", None),
    ("melding.msg", "phone", "06-41 27 93 58", "body", None),
    (
        "melding.msg",
        "iban",
        "NL85 RABO 1203 4895 53",
        "body",
        None,
    ),
    // Its attachments: a text file, an attached message (8-bit strings,
    // HTML body only), a Word 97 document (footnote story).
    (
        "melding.msg!gegevens-partner.txt",
        "bsn",
        "822553934",
        "",
        None,
    ),
    (
        "melding.msg!gegevens-partner.txt",
        "phone",
        "020-794 31 86",
        "",
        None,
    ),
    (
        "melding.msg!Eerder bericht van Stijn.msg",
        "email",
        "stijn.oudejans@voorbeeldmail.nl",
        "header:From",
        None,
    ),
    (
        "melding.msg!Eerder bericht van Stijn.msg",
        "iban",
        "NL64 INGB 5419 5320 40",
        "body",
        None,
    ),
    (
        "melding.msg!Eerder bericht van Stijn.msg",
        "phone",
        "06 83 20 71 95",
        "body",
        None,
    ),
    (
        "melding.msg!verklaring.doc",
        "bsn",
        "233 739 622",
        "body",
        Some(1),
    ),
    (
        "melding.msg!verklaring.doc",
        "email",
        "m.zwanenburg@voorbeeldmail.nl",
        "footnotes",
        Some(0),
    ),
    // A message whose only body is compressed RTF.
    (
        "rtf-body.msg",
        "email",
        "joost.ruigrok@voorbeeldmail.nl",
        "header:From",
        None,
    ),
    (
        "rtf-body.msg",
        "email",
        "burgerzaken@gemeente-voorbeeld.nl",
        "header:To",
        None,
    ),
    (
        "rtf-body.msg",
        "name",
        "Ans Özdemir-Brouwer",
        "body",
        Some(2),
    ),
    ("rtf-body.msg", "bsn", "199203052", "body", Some(2)),
    ("rtf-body.msg", "phone", "06 52 18 40 67", "body", Some(3)),
    (
        "rtf-body.msg",
        "email",
        "ans.ozdemir@voorbeeldmail.nl",
        "body",
        Some(3),
    ),
    // Word 97 with 8-bit and UTF-16 pieces (built with cfb).
    ("verklaring.doc", "bsn", "233 739 622", "body", Some(1)),
    (
        "verklaring.doc",
        "iban",
        "NL41 ABNA 2840 4622 68",
        "body",
        Some(2),
    ),
    (
        "verklaring.doc",
        "email",
        "m.zwanenburg@voorbeeldmail.nl",
        "footnotes",
        Some(0),
    ),
    // Word 97 written by LibreOffice (a table: one row per paragraph).
    (
        "gespreksverslag.doc",
        "name",
        "Henk-Jan Bloemendaal",
        "body",
        Some(1),
    ),
    (
        "gespreksverslag.doc",
        "phone",
        "06-27 58 14 90",
        "body",
        Some(2),
    ),
    (
        "gespreksverslag.doc",
        "email",
        "hj.bloemendaal@voorbeeldmail.nl",
        "body",
        Some(2),
    ),
    ("gespreksverslag.doc", "bsn", "958273376", "body", Some(3)),
    (
        "gespreksverslag.doc",
        "iban",
        "NL04 TRIO 8961 2953 02",
        "body",
        Some(4),
    ),
    // RTF: 8-bit and Unicode escapes, a table, a field, document info.
    ("brief.rtf", "name", "Schönfeld", "body", Some(0)),
    ("brief.rtf", "bsn", "558917446", "body", Some(3)),
    (
        "brief.rtf",
        "iban",
        "NL52 SNSB 7410 5340 24",
        "body",
        Some(4),
    ),
    ("brief.rtf", "phone", "+31 6 19 27 45 83", "body", Some(5)),
    (
        "brief.rtf",
        "email",
        "r.terpstra@gemeente-voorbeeld.nl",
        "body",
        Some(5),
    ),
    ("brief.rtf", "name", "Zdeněka Nováková", "body", Some(8)),
    ("brief.rtf", "name", "Reinout Terpstra", "info", None),
];

#[test]
fn every_planted_value_is_found_where_it_stands() {
    let recs = scan(&fixtures());
    let findings: Vec<&Value> = recs.iter().filter(|r| r["record"] == "finding").collect();
    for &(path, kind, value, part, paragraph) in PLANTED {
        let hit = findings.iter().find(|f| {
            f["path"] == path
                && f["kind"] == kind
                && f["value"] == value
                && f["location"]["part"].as_str().unwrap_or("") == part
                && f["location"]["paragraph"].as_u64() == paragraph
        });
        assert!(
            hit.is_some(),
            "{path}: {kind} {value} in {part} {paragraph:?} not found; found there: {:?}",
            findings
                .iter()
                .filter(|f| f["path"] == path && f["kind"] == kind)
                .map(|f| (&f["value"], &f["location"]))
                .collect::<Vec<_>>()
        );
    }
    // One record per file and per attachment, each read as its format.
    let files: Vec<(&str, &str, &str)> = recs
        .iter()
        .filter(|r| r["record"] == "file")
        .map(|r| {
            (
                r["path"].as_str().unwrap(),
                r["status"].as_str().unwrap(),
                r["format"].as_str().unwrap_or(""),
            )
        })
        .collect();
    for want in [
        ("brief.rtf", "scanned", "rtf"),
        ("gespreksverslag.doc", "scanned", "doc"),
        ("melding.msg", "scanned", "msg"),
        ("melding.msg!gegevens-partner.txt", "scanned", "text"),
        ("melding.msg!Eerder bericht van Stijn.msg", "scanned", "msg"),
        ("melding.msg!verklaring.doc", "scanned", "doc"),
        ("rtf-body.msg", "scanned", "msg"),
        ("verklaring.doc", "scanned", "doc"),
    ] {
        assert!(files.contains(&want), "{want:?} not in {files:?}");
    }
    assert_eq!(files.len(), 8, "{files:?}");
}

#[test]
fn legacy_files_are_known_by_their_content_too() {
    let dir = tempfile::tempdir().unwrap();
    let copy = |from: &str, to: &str| {
        std::fs::copy(fixtures().join(from), dir.path().join(to)).unwrap();
    };
    copy("melding.msg", "bericht");
    copy("gespreksverslag.doc", "verslag.bin");
    copy("brief.rtf", "brief.doc");
    let recs = scan(dir.path());
    let format = |p: &str| {
        recs.iter()
            .find(|r| r["record"] == "file" && r["path"] == p)
            .map(|r| r["format"].as_str().unwrap_or("").to_string())
    };
    assert_eq!(format("bericht").as_deref(), Some("msg"));
    assert_eq!(format("verslag.bin").as_deref(), Some("doc"));
    assert_eq!(format("brief.doc").as_deref(), Some("rtf"));
    assert_eq!(format("bericht!verklaring.doc").as_deref(), Some("doc"));
}

#[test]
fn redact_lists_the_findings_but_writes_no_legacy_copy() {
    let out = tempfile::tempdir().unwrap();
    let run = zwartlak()
        .args(["redact", "--format", "jsonl", "--out"])
        .arg(out.path())
        .arg(fixtures())
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    let recs = records(&run.stdout);
    let file = |p: &str| {
        recs.iter()
            .find(|r| r["record"] == "file" && r["path"] == p)
            .unwrap_or_else(|| panic!("no record for {p}: {recs:?}"))
    };
    for (path, says) in [
        ("melding.msg", "save the message as .eml"),
        ("rtf-body.msg", "save the message as .eml"),
        ("verklaring.doc", "convert it to .docx"),
        ("gespreksverslag.doc", "convert it to .docx"),
        ("brief.rtf", "convert it to .docx"),
    ] {
        let r = file(path);
        assert_eq!(r["status"], "needs_review", "{r}");
        let reason = r["reason"].as_str().unwrap();
        assert!(reason.contains(says), "{path}: {reason}");
        assert!(r["findings"].as_u64().unwrap() >= 3, "{path}: {r}");
    }
    // The attachments have records of their own (their copies are not
    // written either: the message that holds them is not).
    assert_eq!(file("melding.msg!gegevens-partner.txt")["findings"], 3);
    let written: Vec<_> = walk(out.path());
    assert!(
        written.iter().all(|p| !["msg", "doc", "rtf"]
            .iter()
            .any(|e| p.extension().is_some_and(|x| x == *e))),
        "{written:?}"
    );
    // Withheld on purpose: not a write error.
    assert_ne!(run.status.code(), Some(2));
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn damaged_copies_are_records_not_crashes() {
    let dir = tempfile::tempdir().unwrap();
    let mut made = 0;
    for name in [
        "melding.msg",
        "rtf-body.msg",
        "verklaring.doc",
        "gespreksverslag.doc",
        "brief.rtf",
    ] {
        let data = std::fs::read(fixtures().join(name)).unwrap();
        let (stem, ext) = name.rsplit_once('.').unwrap();
        let n = data.len();
        let mut variants: Vec<Vec<u8>> = [600, 1500, n / 2, n - 7]
            .iter()
            .map(|&cut| data[..cut.min(n)].to_vec())
            .collect();
        // Whole sectors zeroed, and every 32-bit word of one sector set high.
        for at in (512..n).step_by(4096) {
            let mut z = data.clone();
            z[at..(at + 512).min(n)].fill(0);
            variants.push(z);
            let mut h = data.clone();
            for w in h[at..(at + 512).min(n)].chunks_exact_mut(4) {
                w.copy_from_slice(&0x7FFF_FFF0u32.to_le_bytes());
            }
            variants.push(h);
        }
        for (i, v) in variants.into_iter().enumerate() {
            std::fs::write(dir.path().join(format!("{stem}-{i}.{ext}")), v).unwrap();
            made += 1;
        }
    }
    let recs = scan(dir.path());
    let top: Vec<&Value> = recs
        .iter()
        .filter(|r| r["record"] == "file" && !r["path"].as_str().unwrap().contains('!'))
        .collect();
    assert_eq!(top.len(), made, "one record per damaged file");
    for r in &top {
        let status = r["status"].as_str().unwrap();
        assert!(
            ["scanned", "needs_review", "error"].contains(&status),
            "{r}"
        );
        if status == "error" {
            let reason = r["reason"].as_str().unwrap();
            // "damaged file (the X reader failed)": a panic the pipeline caught.
            assert!(!reason.contains("reader failed"), "{r}");
        }
    }
    // Some survive (damage in unread data), some do not.
    assert!(top.iter().any(|r| r["status"] == "scanned"));
    assert!(top.iter().any(|r| r["status"] == "error"));
    assert_eq!(recs.last().unwrap()["record"], "summary");
}
