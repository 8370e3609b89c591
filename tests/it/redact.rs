//! End-to-end tests of `zwartlak redact` on `fixtures/redact/`: every
//! output is read back with an independent parser (encoding_rs, csv,
//! mail-parser, zip, serde_json), third-party values must be gone in every
//! form, the subject's values must stay, and the structure must survive.

use crate::util::{file_record, files_under, of, records, unzip, zwartlak};
use std::path::{Path, PathBuf};

const FIX: &str = "fixtures/redact";
/// Third-party values planted in the fixtures (invented).
const THIRD: &[&str] = &[
    "123456782",
    "NL91ABNA0417164300",
    "06-12345678",
    "0612345678",
    "piet.jansen@voorbeeld.nl",
    "12-03-1975",
];
/// The subject's values (subject.toml).
const SUBJECT: &[&str] = &["111222333", "NL20INGB0001234567", "06-87654321"];

fn run_redact(out: &Path, extra: &[&str]) -> (serde_json::Value, Vec<serde_json::Value>) {
    let output = zwartlak()
        .args(["redact", &format!("{FIX}/in"), "--subject"])
        .arg(format!("{FIX}/subject.toml"))
        .args([
            "--keep",
            &format!("{FIX}/keep.csv"),
            "--format",
            "jsonl",
            "--out",
        ])
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let records = records(&output.stdout);
    let summary = of(&records, "summary")[0].clone();
    (summary, records)
}

/// Digits of `s` (to catch a value written with other separators).
fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

fn assert_clean(text: &str, what: &str) {
    let compact = digits(text);
    for v in THIRD {
        assert!(
            !text.contains(v),
            "{what}: third-party {v} left in {text:?}"
        );
        let d = digits(v);
        if d.len() >= 9 {
            assert!(!compact.contains(&d), "{what}: digits of {v} left");
        }
    }
}

fn assert_kept(text: &str, values: &[&str], what: &str) {
    for v in values {
        assert!(
            text.contains(v),
            "{what}: subject value {v} lost in {text:?}"
        );
    }
}

fn tmp() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    (dir, out)
}

#[test]
fn text_in_windows_1252_is_written_back_in_windows_1252() {
    let (_d, out) = tmp();
    let (_, records) = run_redact(&out, &[]);
    assert_eq!(
        file_record(&records, "notitie-cp1252.txt")["status"],
        "scanned"
    );
    let bytes = std::fs::read(out.join("notitie-cp1252.txt")).unwrap();
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "must stay Windows-1252"
    );
    let (text, _, bad) = encoding_rs::WINDOWS_1252.decode(&bytes);
    assert!(!bad);
    assert!(text.starts_with("Notitie over de huurder, café-bezoek à € 5\r\n"));
    assert_clean(&text, "txt");
    assert_kept(&text, SUBJECT, "txt");
    assert!(text.contains("[BSN]") && text.contains("[geboortedatum]"));
    // everything that is not a replacement is byte-identical
    let original = std::fs::read(format!("{FIX}/in/notitie-cp1252.txt")).unwrap();
    assert_eq!(&bytes[..100], &original[..100]);
}

#[test]
fn csv_keeps_its_cells_quotes_and_delimiter() {
    let (_d, out) = tmp();
    run_redact(&out, &[]);
    let text = std::fs::read_to_string(out.join("sub/lijst.csv")).unwrap();
    assert_clean(&text, "csv");
    assert_kept(&text, &SUBJECT[..1], "csv");
    assert_kept(&text, &SUBJECT[2..], "csv");
    let read = |t: &str| -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .from_reader(t.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect()
    };
    let original = read(&std::fs::read_to_string(format!("{FIX}/in/sub/lijst.csv")).unwrap());
    let redacted = read(&text);
    assert_eq!(original.len(), redacted.len());
    for (a, b) in original.iter().zip(&redacted) {
        assert_eq!(a.len(), b.len(), "cell count per row");
    }
    assert_eq!(redacted[1][3], "eigen nummer; \"vast\"");
    assert_eq!(redacted[2][1], "[BSN]");
    assert_eq!(redacted[2][3], "bel [telefoon] of mail [e-mail]; \"spoed\"");
}

#[test]
fn eml_headers_bodies_and_attachments() {
    let (_d, out) = tmp();
    let (_, records) = run_redact(&out, &[]);
    assert_eq!(file_record(&records, "klacht.eml")["status"], "scanned");
    assert_eq!(
        file_record(&records, "klacht.eml!telefoons.csv")["status"],
        "scanned"
    );
    let raw = std::fs::read(out.join("klacht.eml")).unwrap();
    let msg = mail_parser::MessageParser::default()
        .parse(&raw[..])
        .unwrap();
    // encoded-word subject: decoded, redacted, re-encoded
    assert_eq!(msg.subject(), Some("Klacht buurman, bel [telefoon] €"));
    let from = msg.from().unwrap().first().unwrap();
    // a third party's display name is removed with the address
    assert_eq!(from.name.as_deref(), Some("[naam]"));
    assert!(from
        .address
        .as_deref()
        .unwrap()
        .ends_with("@redacted.invalid"));
    let to = msg.to().unwrap().first().unwrap();
    assert_eq!(to.address.as_deref(), Some("jan.devries@example.nl"));
    // quoted-printable text body and base64 HTML body
    let body = msg.body_text(0).unwrap();
    assert_clean(&body, "eml text");
    assert_kept(&body, &["06-87654321"], "eml text");
    assert!(body.contains("Groet, € 5 kosten"));
    let html = msg.body_html(0).unwrap();
    assert_clean(&html, "eml html");
    assert!(html.contains("<b>[IBAN]</b>") && html.contains("NL20INGB0001234567"));
    // the transfer encodings are kept
    let raw_text = String::from_utf8_lossy(&raw);
    assert!(raw_text.contains("Content-Transfer-Encoding: quoted-printable"));
    assert!(raw_text.contains("=E2=82=AC"), "QP body re-encoded");
    // attachment redacted with the CSV redactor, still base64
    let att = msg.attachment(0).unwrap();
    let att = String::from_utf8(att.contents().to_vec()).unwrap();
    assert_eq!(
        att,
        "naam;telefoon\nBuurman;[telefoon]\nHuurder;06-87654321\n"
    );
    // no view of the raw message holds a third-party value
    assert_clean(&raw_text, "eml raw");
}

#[test]
fn zip_members_are_redacted_recursively() {
    let (_d, out) = tmp();
    let (_, records) = run_redact(&out, &[]);
    assert_eq!(
        file_record(&records, "bijlagen.zip!binnen.zip!verklaring.txt")["status"],
        "scanned"
    );
    let members = unzip(&std::fs::read(out.join("bijlagen.zip")).unwrap());
    let names: Vec<&str> = members.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "map/notitie.txt",
            "map/",
            "post-[telefoon].txt",
            "binnen.zip",
            "data.json"
        ]
    );
    let text = |i: usize| String::from_utf8(members[i].1.clone()).unwrap();
    assert_eq!(text(0), "Huurder BSN 111222333; buurman BSN [BSN].\n");
    let json: serde_json::Value = serde_json::from_slice(&members[4].1).unwrap();
    assert_eq!(json["buurman"]["bsn"], "[BSN]");
    assert_eq!(json["buurman"]["tel"][0], "[telefoon]");
    assert_eq!(json["huurder"]["bsn"], "111222333");
    let inner = unzip(&members[3].1);
    for (name, data) in &inner {
        assert_clean(&String::from_utf8_lossy(data), name);
    }
    let eml = mail_parser::MessageParser::default()
        .parse(&inner[1].1[..])
        .unwrap();
    assert_eq!(eml.body_text(0).unwrap().trim(), "Mijn IBAN is [IBAN].");
}

#[test]
fn unredactable_files_are_withheld_and_inputs_untouched() {
    let (_d, out) = tmp();
    let before: Vec<Vec<u8>> = ["notitie-cp1252.txt", "klacht.eml", "bijlagen.zip"]
        .iter()
        .map(|f| std::fs::read(format!("{FIX}/in/{f}")).unwrap())
        .collect();
    let (summary, records) = run_redact(&out, &[]);
    // brief.pdf is not a PDF that parses: an error record, nothing written.
    let pdf = file_record(&records, "brief.pdf");
    assert_eq!(pdf["status"], "error");
    assert!(pdf["reason"].as_str().unwrap().contains("pdf"));
    assert!(!out.join("brief.pdf").exists());
    assert_eq!(summary["written"], 4);
    assert!(summary["redactions"].as_u64().unwrap() >= 20);
    let after: Vec<Vec<u8>> = ["notitie-cp1252.txt", "klacht.eml", "bijlagen.zip"]
        .iter()
        .map(|f| std::fs::read(format!("{FIX}/in/{f}")).unwrap())
        .collect();
    assert_eq!(before, after);
    // no temporary files are left behind
    let mut n = 0;
    for e in files_under(&out).iter().map(Path::new) {
        assert!(!e.file_name().unwrap().to_string_lossy().starts_with(".tmp"));
        n += 1;
    }
    assert_eq!(n, 4);
}

#[test]
fn out_dir_inside_an_input_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("a.txt"), "BSN 123456782\n").unwrap();
    let output = zwartlak()
        .arg("redact")
        .arg(&input)
        .arg("--out")
        .arg(input.join("red"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(!input.join("red").exists());
    assert!(!String::from_utf8_lossy(&output.stderr).contains("123456782"));
}

#[test]
fn audit_rows_are_masked() {
    let (d, out) = tmp();
    let audit = d.path().join("audit.csv");
    run_redact(&out, &["--audit", audit.to_str().unwrap()]);
    let text = std::fs::read_to_string(&audit).unwrap();
    assert!(text.starts_with("file,location,kind,owner,value,reason,replacement\n"));
    assert_clean(&text, "audit");
    assert!(text.contains("notitie-cp1252.txt,line=3 bytes="), "{text}");
    assert!(text.contains(",bsn,third_party,*******82,"), "{text}");
    let jsonl = d.path().join("audit.jsonl");
    let out2 = d.path().join("out2");
    run_redact(&out2, &["--audit", jsonl.to_str().unwrap()]);
    let rows = records(std::fs::read(&jsonl).unwrap());
    assert_eq!(rows.len(), text.lines().count() - 1);
    assert!(rows.iter().all(|r| r["owner"] == "third_party"));
}

#[test]
fn pseudonyms_are_consistent_across_files() {
    let (_d, out) = tmp();
    run_redact(&out, &["--style", "pseudonym"]);
    let txt = std::fs::read(out.join("notitie-cp1252.txt")).unwrap();
    let txt = encoding_rs::WINDOWS_1252.decode(&txt).0.into_owned();
    let csv = std::fs::read_to_string(out.join("sub/lijst.csv")).unwrap();
    assert_clean(&txt, "pseudonym txt");
    assert_clean(&csv, "pseudonym csv");
    // the same BSN and phone get the same pseudonym in both files
    for p in ["[BSN 1]", "[telefoon 1]"] {
        assert!(txt.contains(p) && csv.contains(p), "{p}: {txt} / {csv}");
    }
}

#[test]
fn box_style_keeps_length() {
    let (_d, out) = tmp();
    run_redact(&out, &["--style", "box"]);
    let csv = std::fs::read_to_string(out.join("sub/lijst.csv")).unwrap();
    assert!(csv.contains("Buurman;█████████;"), "{csv}");
    // Windows-1252 has no █: the same number of #
    let txt = std::fs::read(out.join("notitie-cp1252.txt")).unwrap();
    let txt = encoding_rs::WINDOWS_1252.decode(&txt).0.into_owned();
    assert!(
        txt.contains("BSN #########, IBAN ##################"),
        "{txt}"
    );
}
