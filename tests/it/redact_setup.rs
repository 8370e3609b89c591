//! End to end: `zwartlak redact` is set up like `scan`. `--kinds` and the
//! config's `kinds` limit what is redacted, `--roster` finds the roster's
//! people, a malformed `zwartlak.toml` is a usage error naming the file and
//! line, and `--file-timeout` gives every file a deadline: a file past it
//! is an `error` record, is not written, and the run goes on.

use crate::util::{file_record, records, zwartlak};
use std::path::Path;

/// Third-party values planted in the inputs (invented).
const IBAN: &str = "NL91ABNA0417164300";
const EMAIL: &str = "p.jansen@example.nl";

/// `zwartlak redact IN --out OUT --format jsonl ARGS` run in `cwd`: exit
/// code, records and standard error.
fn redact(
    cwd: &Path,
    input: &Path,
    out: &Path,
    args: &[&str],
) -> (Option<i32>, Vec<serde_json::Value>, String) {
    let o = zwartlak()
        .current_dir(cwd)
        .arg("redact")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(["--format", "jsonl"])
        .args(args)
        .output()
        .unwrap();
    (
        o.status.code(),
        records(&o.stdout),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// A folder `in` holding `brief.txt` with an IBAN and an e-mail address.
fn letter(dir: &Path) -> std::path::PathBuf {
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(
        input.join("brief.txt"),
        format!("Graag overmaken op {IBAN}.\nVragen: mail {EMAIL}\n"),
    )
    .unwrap();
    input
}

#[test]
fn kinds_limit_what_is_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let input = letter(dir.path());
    let all = dir.path().join("all");
    let (code, _, err) = redact(dir.path(), &input, &all, &[]);
    assert_eq!(code, Some(0), "{err}");
    let text = std::fs::read_to_string(all.join("brief.txt")).unwrap();
    assert!(!text.contains(IBAN) && !text.contains(EMAIL), "{text}");

    let only_email = dir.path().join("email");
    let (code, records, err) = redact(dir.path(), &input, &only_email, &["--kinds", "email"]);
    assert_eq!(code, Some(0), "{err}");
    let text = std::fs::read_to_string(only_email.join("brief.txt")).unwrap();
    assert!(text.contains(IBAN), "{text}");
    assert!(!text.contains(EMAIL), "{text}");
    let kinds: Vec<&str> = records
        .iter()
        .filter(|r| r["record"] == "finding")
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["email"]);
}

#[test]
fn the_config_sets_kinds_and_a_bad_one_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = letter(dir.path());
    // Found in the working directory, as `scan` finds it.
    std::fs::write(dir.path().join("zwartlak.toml"), "kinds = [\"iban\"]\n").unwrap();
    let out = dir.path().join("out");
    let (code, _, err) = redact(dir.path(), &input, &out, &[]);
    assert_eq!(code, Some(0), "{err}");
    let text = std::fs::read_to_string(out.join("brief.txt")).unwrap();
    assert!(!text.contains(IBAN), "{text}");
    assert!(text.contains(EMAIL), "{text}");
    // --no-config leaves it out: everything is redacted again.
    let out = dir.path().join("out-no-config");
    let (code, _, err) = redact(dir.path(), &input, &out, &["--no-config"]);
    assert_eq!(code, Some(0), "{err}");
    let text = std::fs::read_to_string(out.join("brief.txt")).unwrap();
    assert!(!text.contains(EMAIL), "{text}");

    // A mistake on line 2 of the config: exit 2, the file and line named,
    // nothing written.
    std::fs::write(
        dir.path().join("zwartlak.toml"),
        "min_confidence = 0.6\nkinds = [\"bsn\", \"no_such_kind\"]\n",
    )
    .unwrap();
    let out = dir.path().join("out-bad");
    let (code, _, err) = redact(dir.path(), &input, &out, &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("zwartlak.toml:2:"), "{err}");
    assert!(!out.exists());
    // The same through --config.
    let other = dir.path().join("other.toml");
    std::fs::write(&other, "kinds = \"iban\"\n\n[allow\n").unwrap();
    let (code, _, err) = redact(
        dir.path(),
        &input,
        &out,
        &["--config", other.to_str().unwrap()],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("other.toml:"), "{err}");
}

#[test]
fn detection_flags_are_checked_as_in_scan() {
    let dir = tempfile::tempdir().unwrap();
    let input = letter(dir.path());
    let out = dir.path().join("out");
    for bad in [
        &["--min-confidence", "1.5"][..],
        &["--kinds", "bsn,colour"],
        &["--file-timeout", "-1"],
    ] {
        let (code, _, err) = redact(dir.path(), &input, &out, bad);
        assert_eq!(code, Some(2), "{bad:?}: {err}");
    }
    // A confidence above every finding's: nothing is redacted.
    let (code, records, err) = redact(dir.path(), &input, &out, &["--min-confidence", "1"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(records.iter().all(|r| r["record"] != "finding"));
    let text = std::fs::read_to_string(out.join("brief.txt")).unwrap();
    assert!(text.contains(IBAN) && text.contains(EMAIL), "{text}");
}

#[test]
fn roster_people_are_found_and_redacted() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (code, records, err) = redact(
        root,
        &root.join("fixtures/roster"),
        &out,
        &["--roster", "fixtures/roster.csv", "--reveal"],
    );
    assert_eq!(code, Some(0), "{err}");
    let name = records
        .iter()
        .find(|r| r["record"] == "finding" && r["kind"] == "name")
        .unwrap_or_else(|| panic!("no name in {records:?}"));
    // The roster's own spelling is "Kees Jurriaan van Oorschot".
    assert_eq!(name["value"], "OORSCHOT, K.J. VAN");
    assert!(name["roster"].is_string(), "{name}");
    assert_eq!(file_record(&records, "notitie.txt")["status"], "scanned");
    let text = std::fs::read_to_string(out.join("notitie.txt")).unwrap();
    assert!(!text.to_lowercase().contains("oorschot"), "{text}");
    // Without the roster the rules alone find a shorter name ("VAN" left
    // out), without a roster id: the roster is what found the whole name.
    let plain = dir.path().join("plain");
    let (code, records, err) = redact(root, &root.join("fixtures/roster"), &plain, &["--reveal"]);
    assert_eq!(code, Some(0), "{err}");
    let names: Vec<&serde_json::Value> = records
        .iter()
        .filter(|r| r["record"] == "finding" && r["kind"] == "name")
        .collect();
    assert!(
        names
            .iter()
            .all(|r| r["value"] != "OORSCHOT, K.J. VAN" && r["roster"].is_null()),
        "{names:?}"
    );
}

#[test]
fn a_file_past_its_deadline_is_an_error_record_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    // Many CSV fields, each a segment of its own, each with a value to redact.
    let mut big = String::from("naam;mail\n");
    for i in 0..20_000 {
        big.push_str(&format!("klant {i};p.jansen{i}@example.nl\n"));
    }
    std::fs::write(input.join("a-groot.csv"), big).unwrap();
    std::fs::write(input.join("b-klein.txt"), "niets bijzonders\n").unwrap();
    let out = dir.path().join("out");
    let (code, records, err) = redact(
        dir.path(),
        &input,
        &out,
        &["--file-timeout", "0.001", "-j", "1"],
    );
    assert_eq!(code, Some(0), "{err}");
    let big = file_record(&records, "a-groot.csv");
    assert_eq!(big["status"], "error", "{big}");
    assert_eq!(
        big["reason"],
        "limit exceeded: time budget of 0.001 s exceeded (--file-timeout)"
    );
    assert!(!out.join("a-groot.csv").exists());
    // The next file still has its record.
    file_record(&records, "b-klein.txt");
    let summary = records.iter().find(|r| r["record"] == "summary").unwrap();
    assert_eq!(summary["files"], 2, "{summary}");

    // With the default budget the same file is redacted and written.
    let out = dir.path().join("out-default");
    let (code, records, err) = redact(dir.path(), &input, &out, &[]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(file_record(&records, "a-groot.csv")["status"], "scanned");
    assert!(out.join("a-groot.csv").exists());
}
