//! End-to-end tests of personal data in file and folder names (issue 10,
//! item 3): `scan` finds the values in the names below the scanned root and
//! the gate fails on them; no report, audit or message prints them without
//! `--reveal`; `redact` writes its copies under names with the values
//! replaced (the extension kept), and two inputs that get the same name are
//! both kept.

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

/// The values in the file name of [`named_file`].
const BSN: &str = "123456782";
const EMAIL: &str = "jan.devries@example.nl";
const IBAN: &str = "NL91ABNA0417164300";
/// The value in the folder name of [`named_folder`].
const FOLDER_EMAIL: &str = "p.bakker@voorbeeld.nl";

fn zwartlak() -> Command {
    let mut c = Command::cargo_bin("zwartlak").unwrap();
    c.env_remove("ZWARTLAK_FINGERPRINT_KEY");
    c.current_dir(std::env::temp_dir());
    c
}

/// `dossier/` holding a file whose name holds a BSN, an e-mail address and
/// an IBAN, and whose text holds nothing.
fn named_file(dir: &Path) -> PathBuf {
    let d = dir.join("dossier");
    fs::create_dir_all(&d).unwrap();
    fs::write(
        d.join(format!("BSN {BSN} - {EMAIL} - {IBAN}.txt")),
        "Een notitie zonder gegevens.\n",
    )
    .unwrap();
    d
}

/// `dossier/` holding a folder named after an e-mail address, with one
/// file in it.
fn named_folder(dir: &Path) -> PathBuf {
    let d = dir.join("dossier");
    let sub = d.join(format!("post van {FOLDER_EMAIL}"));
    fs::create_dir_all(&sub).unwrap();
    fs::write(sub.join("brief.txt"), "Een brief zonder gegevens.\n").unwrap();
    d
}

fn run(args: &[&str], paths: &[&Path]) -> (i32, String, String) {
    let out = zwartlak()
        .args(args)
        .args(paths)
        .args(["--no-config"])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn records(jsonl: &str) -> Vec<Value> {
    jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Which of `values` stand in `text` (the raw values; a test fails naming them).
fn raw_in<'a>(text: &str, values: &[&'a str]) -> Vec<&'a str> {
    values
        .iter()
        .copied()
        .filter(|v| text.contains(v))
        .collect()
}

#[test]
fn values_in_a_file_name_are_findings_located_in_the_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = named_file(dir.path());
    let (code, out, _) = run(&["scan", "--format", "jsonl"], &[&d]);
    assert_eq!(code, 0, "{out}");
    let recs = records(&out);
    let mut kinds: Vec<&str> = recs
        .iter()
        .filter(|r| r["record"] == "finding")
        .map(|r| {
            assert_eq!(r["location"]["part"], "file name", "{r}");
            r["kind"].as_str().unwrap()
        })
        .collect();
    kinds.sort();
    assert_eq!(kinds, vec!["bsn", "email", "iban"]);
    let file = recs.iter().find(|r| r["record"] == "file").unwrap();
    assert_eq!(file["findings"], 3);
    assert_eq!(file["status"], "scanned");
    // the path keeps its shape and extension, the values masked
    assert_eq!(
        file["path"],
        "BSN *******82 - j**********@e******.nl - NL91 **** **** **** 4300.txt"
    );
}

#[test]
fn the_gate_fails_on_a_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = named_file(dir.path());
    let (code, _, err) = run(&["scan", "--fail-on", "any", "-q"], &[&d]);
    assert_eq!(code, 1, "{err}");
    let (code, _, err) = run(&["scan", "--fail-on", "iban", "-q"], &[&d]);
    assert_eq!(code, 1, "{err}");
    let (code, _, err) = run(&["scan", "--fail-on", "phone", "-q"], &[&d]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn no_report_prints_the_values_in_a_path_without_reveal() {
    let dir = tempfile::tempdir().unwrap();
    let d = named_file(dir.path());
    let sub = named_folder(dir.path());
    assert_eq!(d, sub);
    let values = [BSN, EMAIL, IBAN, FOLDER_EMAIL];
    for format in ["text", "json", "jsonl", "csv", "sarif", "html"] {
        let (code, out, err) = run(&["scan", "--format", format, "--fail-on", "any"], &[&d]);
        assert_eq!(code, 1, "{format}: {err}");
        assert!(out.contains("4300"), "{format}: no finding shown\n{out}");
        assert_eq!(raw_in(&out, &values), Vec::<&str>::new(), "{format}\n{out}");
        assert_eq!(raw_in(&err, &values), Vec::<&str>::new(), "{format}\n{err}");
    }
    // a report written to a file, as the CI gate writes it
    let report = dir.path().join("rapport.sarif");
    let (_, _, err) = run(&["scan", "--format", "sarif", "-o"], &[&report, &d]);
    let sarif = fs::read_to_string(&report).unwrap();
    assert!(sarif.contains("file name"), "{sarif}");
    assert_eq!(raw_in(&sarif, &values), Vec::<&str>::new(), "{err}");
    // skipped files are listed masked too
    let (_, out, _) = run(&["scan", "--format", "jsonl", "--exclude", "*.txt"], &[&d]);
    let recs = records(&out);
    assert!(recs.iter().all(|r| r["record"] != "finding"), "{out}");
    assert_eq!(recs.iter().filter(|r| r["status"] == "skipped").count(), 2);
    assert_eq!(raw_in(&out, &values), Vec::<&str>::new(), "{out}");
}

#[test]
fn reveal_prints_paths_and_values_as_they_stand() {
    let dir = tempfile::tempdir().unwrap();
    let d = named_file(dir.path());
    let (_, out, _) = run(&["scan", "--format", "jsonl", "--reveal"], &[&d]);
    let recs = records(&out);
    let name = format!("BSN {BSN} - {EMAIL} - {IBAN}.txt");
    let file = recs.iter().find(|r| r["record"] == "file").unwrap();
    assert_eq!(file["path"], name.as_str());
    let mut values: Vec<&str> = recs
        .iter()
        .filter(|r| r["record"] == "finding")
        .map(|r| {
            assert_eq!(r["path"], name.as_str());
            r["value"].as_str().unwrap()
        })
        .collect();
    values.sort();
    assert_eq!(values, vec![BSN, IBAN, EMAIL]);
}

#[test]
fn a_folder_name_is_read_and_the_scanned_root_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let d = named_folder(dir.path());
    let (code, out, _) = run(&["scan", "--format", "jsonl", "--fail-on", "email"], &[&d]);
    assert_eq!(code, 1, "{out}");
    let recs = records(&out);
    let f: Vec<&Value> = recs.iter().filter(|r| r["record"] == "finding").collect();
    assert_eq!(f.len(), 1, "{out}");
    assert_eq!(f[0]["kind"], "email");
    assert_eq!(f[0]["location"]["part"], "folder name");
    assert_eq!(f[0]["path"], "post van p*******@v********.nl/brief.txt");
    // The folder given on the command line is the user's: not read.
    let root = d.join(format!("post van {FOLDER_EMAIL}"));
    let (code, out, _) = run(&["scan", "--format", "jsonl", "--fail-on", "any"], &[&root]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("\"finding\""), "{out}");
}

#[test]
fn redact_writes_the_copy_under_a_redacted_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = named_file(dir.path());
    let out_dir = dir.path().join("vrij");
    let audit = dir.path().join("audit.csv");
    let (code, out, err) = run(
        &["redact", "--format", "jsonl", "--out"],
        &[&out_dir, Path::new("--audit"), &audit, &d],
    );
    assert_eq!(code, 0, "{out}{err}");
    let written: Vec<String> = fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(written, vec!["BSN [BSN] - [e-mail] - [IBAN].txt"]);
    let copy = fs::read_to_string(out_dir.join(&written[0])).unwrap();
    assert_eq!(copy, "Een notitie zonder gegevens.\n");
    let audit = fs::read_to_string(&audit).unwrap();
    let values = [BSN, EMAIL, IBAN];
    for (what, text) in [("records", &out), ("stderr", &err), ("audit", &audit)] {
        assert_eq!(raw_in(text, &values), Vec::<&str>::new(), "{what}\n{text}");
    }
    let recs = records(&out);
    let file = recs.iter().find(|r| r["record"] == "file").unwrap();
    assert_eq!(
        file["output"], "BSN [BSN] - [e-mail] - [IBAN].txt",
        "{file}"
    );
    assert_eq!(file["findings"], 3);
    // three replacements, each in the file name
    assert_eq!(audit.matches("part=file name").count(), 3, "{audit}");
    let summary = recs.last().unwrap();
    assert_eq!(summary["redactions"], 3);
}

#[test]
fn redact_with_reveal_keeps_the_audit_masked() {
    let dir = tempfile::tempdir().unwrap();
    let d = named_file(dir.path());
    let out_dir = dir.path().join("vrij");
    let audit = dir.path().join("audit.jsonl");
    let (code, out, _) = run(
        &["redact", "--reveal", "--format", "jsonl", "--out"],
        &[&out_dir, Path::new("--audit"), &audit, &d],
    );
    assert_eq!(code, 0);
    assert!(out.contains(BSN), "records follow --reveal\n{out}");
    let audit = fs::read_to_string(&audit).unwrap();
    assert_eq!(
        raw_in(&audit, &[BSN, EMAIL, IBAN]),
        Vec::<&str>::new(),
        "{audit}"
    );
    assert!(audit.contains("*******82"), "{audit}");
}

#[test]
fn redacted_folder_names_that_meet_are_both_kept() {
    let dir = tempfile::tempdir().unwrap();
    let d = named_folder(dir.path());
    let other = d.join("post van k.smit@voorbeeld.nl");
    fs::create_dir_all(&other).unwrap();
    fs::write(other.join("brief.txt"), "Nog een brief.\n").unwrap();
    let out_dir = dir.path().join("vrij");
    let (code, out, err) = run(&["redact", "--format", "jsonl", "--out"], &[&out_dir, &d]);
    assert_eq!(code, 0, "{out}{err}");
    let folder = out_dir.join("post van [e-mail]");
    let mut names: Vec<String> = fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, vec!["brief (2).txt", "brief.txt"]);
    // walk order: k.smit's folder first
    assert_eq!(
        fs::read_to_string(folder.join("brief.txt")).unwrap(),
        "Nog een brief.\n"
    );
    let recs = records(&out);
    assert_eq!(recs.last().unwrap()["renamed"], 1, "{out}");
    assert!(err.contains("under another name"), "{err}");
    for text in [&out, &err] {
        assert_eq!(
            raw_in(text, &[FOLDER_EMAIL, "k.smit@voorbeeld.nl"]),
            Vec::<&str>::new(),
            "{text}"
        );
    }
}

#[test]
fn the_subjects_own_values_stay_in_the_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = named_file(dir.path());
    let subject = dir.path().join("subject.toml");
    fs::write(&subject, format!("bsn = \"{BSN}\"\n")).unwrap();
    let out_dir = dir.path().join("vrij");
    let (code, out, err) = run(
        &["redact", "--format", "jsonl", "--subject"],
        &[&subject, Path::new("--out"), &out_dir, &d],
    );
    assert_eq!(code, 0, "{out}{err}");
    let written: Vec<String> = fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(written, vec![format!("BSN {BSN} - [e-mail] - [IBAN].txt")]);
    let owners: Vec<(String, String)> = records(&out)
        .iter()
        .filter(|r| r["record"] == "finding")
        .map(|r| (r["kind"].to_string(), r["owner"].to_string()))
        .collect();
    assert!(
        owners.contains(&("\"bsn\"".into(), "\"subject\"".into())),
        "{owners:?}"
    );
}

/// A ZIP whose one member is named after a BSN and is encrypted (the
/// encryption flag set in its local and central headers): the reasons that
/// say why it is withheld name the member masked or by number, never raw,
/// and `scan` still finds the BSN in the name.
#[test]
fn a_withheld_member_is_not_named_raw_in_the_reasons() {
    use std::io::{Cursor, Write};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("dossier");
    fs::create_dir_all(&d).unwrap();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file(format!("BSN {BSN} notitie.txt"), stored)
        .unwrap();
    w.write_all(b"Een notitie zonder gegevens.\n").unwrap();
    let mut data = w.finish().unwrap().into_inner();
    // general purpose bit 0: local header at 0 (flags at +6), central
    // directory header (flags at +8)
    data[6] |= 1;
    let central = data.windows(4).position(|x| x == b"PK\x01\x02").unwrap();
    data[central + 8] |= 1;
    fs::write(d.join("post.zip"), data).unwrap();
    let out_dir = dir.path().join("vrij");
    let (_, out, err) = run(&["redact", "--format", "jsonl", "--out"], &[&out_dir, &d]);
    let recs = records(&out);
    let file = recs.iter().find(|r| r["record"] == "file").unwrap();
    assert_ne!(file["status"], "redacted", "{out}");
    assert!(
        file["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("encrypted"),
        "{out}"
    );
    for text in [&out, &err] {
        assert_eq!(raw_in(text, &[BSN]), Vec::<&str>::new(), "{text}");
    }
    // scan still reads the name of the entry it cannot open
    let (_, out, err) = run(&["scan", "--format", "jsonl"], &[&d]);
    let recs = records(&out);
    assert!(
        recs.iter()
            .any(|r| r["kind"] == "bsn" && r["location"]["part"] == "member name"),
        "{out}"
    );
    for text in [&out, &err] {
        assert_eq!(raw_in(text, &[BSN]), Vec::<&str>::new(), "{text}");
    }
}
