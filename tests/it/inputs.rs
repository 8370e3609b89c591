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

/// A folder whose file names start like spreadsheet formulas, each holding
/// a (valid, invented) BSN so that every name reaches the CSV outputs.
fn formula_named_files() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "=HYPERLINK(\"x\",\"klik\").txt",
        "+31 lijst.txt",
        "-rapport.txt",
        "@team.txt",
        "\tinspring.txt",
    ] {
        std::fs::write(dir.path().join(name), "Burgerservicenummer: 123456782\n").unwrap();
    }
    dir
}

/// Every cell of a CSV document, parsed with the `csv` crate.
fn csv_cells(bytes: &[u8]) -> Vec<String> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    r.records()
        .flat_map(|row| row.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

fn assert_inert(cells: &[String], what: &str) {
    for c in cells {
        assert!(
            !c.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{what}: live formula cell {c:?}"
        );
    }
}

#[test]
fn csv_report_cells_are_inert() {
    let dir = formula_named_files();
    let out = zwartlak()
        .args(["scan", "--format", "csv"])
        .arg(dir.path())
        .output()
        .unwrap();
    let cells = csv_cells(&out.stdout);
    assert_inert(&cells, "csv report");
    assert!(
        cells.iter().any(|c| c == "'=HYPERLINK(\"x\",\"klik\").txt"),
        "{cells:?}"
    );
    assert!(cells.iter().any(|c| c == "'@team.txt"), "{cells:?}");
}

#[test]
fn redaction_audit_csv_cells_are_inert() {
    let dir = formula_named_files();
    let work = tempfile::tempdir().unwrap();
    let audit = work.path().join("audit.csv");
    let run = zwartlak()
        .args(["redact", "--format", "jsonl", "--out"])
        .arg(work.path().join("out"))
        .arg("--audit")
        .arg(&audit)
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let cells = csv_cells(&std::fs::read(&audit).unwrap());
    assert_inert(&cells, "audit");
    assert!(cells.iter().any(|c| c == "'+31 lijst.txt"), "{cells:?}");
    assert!(cells.iter().any(|c| c == "'-rapport.txt"), "{cells:?}");
}

/// The display paths of the file records of a scan.
fn scanned_paths(args: &[&str], dir: &Path) -> Vec<String> {
    let out = zwartlak()
        .args(["scan", "--format", "jsonl"])
        .args(args)
        .arg(dir)
        .output()
        .unwrap();
    let mut paths: Vec<String> = records(&out.stdout)
        .iter()
        .filter(|r| r["record"] == "file" && r["status"] == "scanned")
        .map(|r| r["path"].as_str().unwrap().to_string())
        .collect();
    paths.sort();
    paths
}

#[test]
fn include_and_exclude_globs_ignore_the_case_of_extensions() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["VERSLAG.TXT", "notitie.Txt", "brief.txt", "lijst.csv"] {
        std::fs::write(dir.path().join(name), "Burgerservicenummer: 123456782\n").unwrap();
    }
    assert_eq!(
        scanned_paths(&["--include", "*.txt"], dir.path()),
        ["VERSLAG.TXT", "brief.txt", "notitie.Txt"]
    );
    assert_eq!(
        scanned_paths(&["--exclude", "*.txt"], dir.path()),
        ["lijst.csv"]
    );
    assert_eq!(
        scanned_paths(&["--include", "*.txt", "--glob-case-sensitive"], dir.path()),
        ["brief.txt"]
    );
    let help = zwartlak().args(["scan", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(help.contains("--glob-case-sensitive"), "{help}");
}

/// Run `scan` with `stdin` and return the exit code and records.
fn scan_stdin(args: &[&str], stdin: &[u8]) -> (Option<i32>, Vec<serde_json::Value>) {
    let out = zwartlak()
        .args(["scan", "--format", "jsonl"])
        .args(args)
        .write_stdin(stdin.to_vec())
        .output()
        .unwrap();
    (out.status.code(), records(&out.stdout))
}

fn file_records(recs: &[serde_json::Value]) -> Vec<(String, String)> {
    recs.iter()
        .filter(|r| r["record"] == "file")
        .map(|r| {
            (
                r["path"].as_str().unwrap().to_string(),
                r["format"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn scan_dash_reads_standard_input() {
    let (code, recs) = scan_stdin(
        &["-"],
        b"Klantnummer 7, burgerservicenummer 123456782 (gecontroleerd).\n",
    );
    assert_eq!(code, Some(0));
    assert_eq!(file_records(&recs), [("-".to_string(), "text".to_string())]);
    let kinds: Vec<_> = findings(&recs).iter().map(|f| f["kind"].clone()).collect();
    assert_eq!(kinds, ["bsn"]);
}

#[test]
fn stdin_name_chooses_the_format() {
    let html = std::fs::read(fixture("entities.html")).unwrap();
    let (code, recs) = scan_stdin(&["-", "--stdin-name", "verslag.html"], &html);
    assert_eq!(code, Some(0));
    assert_eq!(
        file_records(&recs),
        [("verslag.html".to_string(), "html".to_string())]
    );
    assert!(
        findings(&recs).iter().any(|f| f["kind"] == "name"),
        "{recs:?}"
    );
    // Without a name the same bytes are sniffed under `-`.
    let (code, recs) = scan_stdin(&["-"], &html);
    assert_eq!(code, Some(0));
    assert_eq!(file_records(&recs).len(), 1);
    assert_eq!(file_records(&recs)[0].0, "-");
}

fn listed_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("map")).unwrap();
    std::fs::write(dir.path().join("map/een.txt"), "BSN 123456782\n").unwrap();
    std::fs::write(dir.path().join("map/twee met spatie.txt"), "niets\n").unwrap();
    std::fs::write(dir.path().join("niet.txt"), "BSN 123456782\n").unwrap();
    dir
}

#[test]
fn files_from_a_file_by_line_and_from_stdin_by_nul() {
    let dir = listed_folder();
    let a = dir.path().join("map/een.txt");
    let b = dir.path().join("map/twee met spatie.txt");
    let list = dir.path().join("lijst.txt");
    std::fs::write(
        &list,
        format!("{}\r\n\n{}\n", a.display(), b.display()).as_bytes(),
    )
    .unwrap();
    let want = vec![a.display().to_string(), b.display().to_string()];
    let out = zwartlak()
        .args(["scan", "--format", "jsonl", "--files-from"])
        .arg(&list)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let paths: Vec<_> = file_records(&records(&out.stdout))
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    assert_eq!(paths, want);

    let nul = format!("{}\0{}\0", a.display(), b.display());
    let (code, recs) = scan_stdin(&["--files-from", "-", "-0"], nul.as_bytes());
    assert_eq!(code, Some(0));
    let paths: Vec<_> = file_records(&recs).into_iter().map(|(p, _)| p).collect();
    assert_eq!(paths, want);
    assert_eq!(findings(&recs).len(), 1);
}

#[test]
fn stdin_cannot_be_both_content_and_list() {
    let out = zwartlak()
        .args(["scan", "-", "--files-from", "-"])
        .write_stdin(b"x\n".to_vec())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("both want standard input"), "{err}");
}

#[test]
fn redact_refuses_standard_input_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let out = zwartlak()
        .args(["redact", "-", "--out"])
        .arg(dir.path().join("out"))
        .write_stdin(b"BSN 123456782\n".to_vec())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("standard input"), "{err}");
}

#[test]
fn redaction_keeps_the_other_references_of_a_node_as_written() {
    // A Windows-1252 page: "č" has no byte there, so only `&ccaron;` can
    // write it; rewriting the whole node from decoded text lost it.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let page: &[u8] = b"<html><head><meta charset=\"windows-1252\"></head><body>\n\
        <p>Caf\xe9: gesprek met mevrouw &Uuml;nal &Ouml;zt&uuml;rk over de \
        &scaron;&ccaron; aanvraag &amp; de huur.</p></body></html>\n";
    std::fs::write(input.join("w.html"), page).unwrap();
    let out = dir.path().join("out");
    let run = zwartlak()
        .args(["redact", "--format", "jsonl", "--out"])
        .arg(&out)
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let red = std::fs::read(out.join("w.html")).unwrap();
    let red = String::from_utf8_lossy(&red);
    assert!(!red.contains("zt&uuml;rk"), "{red}");
    assert!(
        red.contains("&scaron;&ccaron; aanvraag &amp; de huur."),
        "{red}"
    );
    assert!(
        red.contains("Caf\u{fffd}:"),
        "é stays one cp1252 byte: {red}"
    );
}
