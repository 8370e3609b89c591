//! End-to-end tests: error messages about bad configuration and subject
//! files name the file, line, column and the kind of problem, never a value.

use crate::util::{zip_of, zwartlak};
use std::path::Path;

/// Standard error and exit code of `zwartlak scan INPUT FLAG FILE`.
fn scan_with(input: &Path, flag: &str, file: &Path) -> (String, i32) {
    let out = zwartlak()
        .arg("scan")
        .arg(input)
        .arg(flag)
        .arg(file)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

const IBAN: &str = "NL91ABNA0417164300";
const MAIL: &str = "jan.devries@example.nl";

#[test]
fn subject_and_config_errors_do_not_quote_values() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.txt"), "niets\n").unwrap();
    let input = d.join("a.txt");
    // A TOML syntax error on the line with the subject's IBAN and e-mail.
    let bad = d.join("subject.toml");
    std::fs::write(
        &bad,
        format!("name = \"Jan de Vries\"\niban = \"{IBAN}\" email = \"{MAIL}\"\n"),
    )
    .unwrap();
    // A CSV given as --subject.
    let csv = d.join("subject.csv");
    std::fs::write(&csv, format!("{MAIL};{IBAN}\nx;y\n")).unwrap();
    for subject in [&bad, &csv] {
        let (err, code) = scan_with(&input, "--subject", subject);
        assert_eq!(code, 2, "{err}");
        assert!(!err.contains(IBAN) && !err.contains("0417164300"), "{err}");
        assert!(!err.contains(MAIL) && !err.contains("devries"), "{err}");
        assert!(err.contains("line 2") || err.contains("line 1"), "{err}");
        assert!(err.contains("column"), "{err}");
    }
    // An unquoted allow-list number in the configuration.
    let config = d.join("zwartlak.toml");
    std::fs::write(&config, "[allow]\nbsn = [123456782]\n").unwrap();
    let (err, code) = scan_with(&input, "--config", &config);
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains("123456782") && !err.contains("3456"), "{err}");
    assert!(err.contains("zwartlak.toml:2:"), "{err}");
    // A syntax error in the configuration quotes no line either.
    std::fs::write(&config, format!("[allow]\nemail = [\"{MAIL}\" \"x\"]\n")).unwrap();
    let (err, code) = scan_with(&input, "--config", &config);
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains(MAIL) && !err.contains("devries"), "{err}");
    assert!(err.contains("zwartlak.toml:2:"), "{err}");
}

#[test]
fn a_parser_panic_is_one_damaged_file_line() {
    // An XLSB workbook naming a sheet relationship its .rels lacks: calamine
    // 0.38 panics on it (see extract::office::sheet's tests).
    let mut rec = vec![0x9C, 0x01, 20];
    rec.extend(0u32.to_le_bytes());
    rec.extend(1u32.to_le_bytes());
    rec.extend(4u32.to_le_bytes());
    rec.extend("rId9".encode_utf16().flat_map(|u| u.to_le_bytes()));
    let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>"#;
    let data = zip_of(&[
        ("xl/_rels/workbook.bin.rels", rels.as_bytes()),
        ("xl/workbook.bin", &rec[..]),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("kapot.xlsb"), &data).unwrap();
    for cmd in ["scan", "redact"] {
        let mut c = zwartlak();
        c.arg(cmd).arg(&input);
        if cmd == "redact" {
            c.arg("--out").arg(dir.path().join("uit"));
        } else {
            c.args(["--format", "jsonl"]);
        }
        let out = c.output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!err.contains("internal error"), "{cmd}: {err}");
        assert!(
            !err.contains(".rs:") && !err.contains("calamine"),
            "{cmd}: {err}"
        );
        // The file's entry (its line, and in the text report the reason
        // under it) says it is damaged.
        let all = format!("{stdout}{err}");
        let lines: Vec<&str> = all.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.contains("kapot.xlsb"))
            .unwrap_or_else(|| panic!("{cmd}: {all}"));
        let entry = lines[at..lines.len().min(at + 2)].join("\n");
        assert!(entry.contains("damaged file"), "{cmd}: {entry}");
    }
}
