//! End-to-end tests of how zwartlak writes its outputs (issue 10): reports,
//! audits and baselines written through to FIFOs, devices and standard
//! output, symbolic links followed; release folders that say when they are
//! incomplete, that keep every copy and that never merge silently; exit
//! codes for write failures; file names shown safely on a terminal.

use crate::util::{of, records};
use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};

fn zwartlak() -> Command {
    let mut c = crate::util::zwartlak();
    c.env_remove("ZWARTLAK_FINGERPRINT_KEY");
    c.current_dir(std::env::temp_dir());
    c
}

/// A folder with one text file holding a finding.
fn dossier(dir: &Path) -> PathBuf {
    let d = dir.join("dossier");
    fs::create_dir_all(&d).unwrap();
    fs::write(d.join("brief.txt"), "BSN 111222333 van de buurman.\n").unwrap();
    d
}

fn mkfifo(p: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(p)
        .status()
        .expect("mkfifo (coreutils) is needed for this test");
    assert!(ok.success(), "mkfifo failed");
}

fn is_fifo(p: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    fs::symlink_metadata(p).unwrap().file_type().is_fifo()
}

/// Read a FIFO to its end on a thread.
fn drain(p: &Path) -> std::thread::JoinHandle<Vec<u8>> {
    let p = p.to_path_buf();
    std::thread::spawn(move || fs::read(p).unwrap())
}

#[test]
fn report_and_audit_are_written_through_a_fifo() {
    let dir = tempfile::tempdir().unwrap();
    let d = dossier(dir.path());
    let fifo = dir.path().join("report.pipe");
    mkfifo(&fifo);
    let reader = drain(&fifo);
    zwartlak()
        .arg("scan")
        .arg(&d)
        .args(["--no-config", "--format", "jsonl", "-o"])
        .arg(&fifo)
        .assert()
        .success();
    assert!(is_fifo(&fifo), "the FIFO was replaced by a file");
    let got = String::from_utf8(reader.join().unwrap()).unwrap();
    assert!(got.contains(r#""record":"summary""#), "{got}");
    assert!(got.contains(r#""kind":"bsn""#), "{got}");

    let audit = dir.path().join("audit.pipe");
    mkfifo(&audit);
    let reader = drain(&audit);
    zwartlak()
        .arg("redact")
        .arg(&d)
        .arg("--out")
        .arg(dir.path().join("out"))
        .args(["--no-config", "-q", "--audit"])
        .arg(&audit)
        .assert()
        .success();
    assert!(is_fifo(&audit), "the FIFO was replaced by a file");
    let got = String::from_utf8(reader.join().unwrap()).unwrap();
    assert!(got.starts_with("file,location,kind"), "{got}");
    assert!(got.contains("bsn"), "{got}");
}

#[test]
fn a_symlinked_report_stays_a_link_to_the_new_report() {
    let dir = tempfile::tempdir().unwrap();
    let d = dossier(dir.path());
    let reports = dir.path().join("reports");
    fs::create_dir_all(reports.join("runs")).unwrap();
    fs::write(reports.join("runs/old.html"), "old report").unwrap();
    let latest = reports.join("latest.html");
    std::os::unix::fs::symlink("runs/old.html", &latest).unwrap();
    zwartlak()
        .arg("scan")
        .arg(&d)
        .args(["--no-config", "--format", "html", "-o"])
        .arg(&latest)
        .assert()
        .success();
    let meta = fs::symlink_metadata(&latest).unwrap();
    assert!(meta.file_type().is_symlink(), "the link was replaced");
    let html = fs::read_to_string(reports.join("runs/old.html")).unwrap();
    assert!(
        html.contains("<html") || html.contains("<!DOCTYPE"),
        "{html}"
    );
    // No temporary file left next to the target or the link.
    let left: Vec<_> = fs::read_dir(reports.join("runs"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
}

#[test]
fn baseline_through_a_symlink_and_to_a_fifo() {
    let dir = tempfile::tempdir().unwrap();
    let d = dossier(dir.path());
    let real = dir.path().join("real.json");
    fs::write(&real, "{}").unwrap();
    let link = dir.path().join("baseline.json");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let key = "a test key of enough length 0123456789";
    zwartlak()
        .env("ZWARTLAK_FINGERPRINT_KEY", key)
        .arg("scan")
        .arg(&d)
        .args(["--no-config", "-q", "--format", "jsonl", "--write-baseline"])
        .arg(&link)
        .assert()
        .success();
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let b = fs::read_to_string(&real).unwrap();
    assert!(b.contains("zwartlak_baseline"), "{b}");
    let fifo = dir.path().join("baseline.pipe");
    mkfifo(&fifo);
    let reader = drain(&fifo);
    zwartlak()
        .env("ZWARTLAK_FINGERPRINT_KEY", key)
        .arg("scan")
        .arg(&d)
        .args(["--no-config", "-q", "--format", "jsonl", "--write-baseline"])
        .arg(&fifo)
        .assert()
        .success();
    assert!(is_fifo(&fifo), "the FIFO was replaced by a file");
    let got = String::from_utf8(reader.join().unwrap()).unwrap();
    assert!(got.contains("zwartlak_baseline"), "{got}");
}

#[test]
fn dev_stdout_and_dash_write_to_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let d = dossier(dir.path());
    for target in ["/dev/stdout", "-"] {
        let out = zwartlak()
            .arg("scan")
            .arg(&d)
            .args(["--no-config", "--format", "jsonl", "-o", target])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{target}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(r#""record":"summary""#), "{target}: {text}");
    }
    assert!(fs::symlink_metadata("/dev/stdout")
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn dev_null_stays_a_device_and_a_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dossier(dir.path());
    zwartlak()
        .arg("scan")
        .arg(&d)
        .args(["--no-config", "-o", "/dev/null"])
        .assert()
        .success();
    use std::os::unix::fs::FileTypeExt;
    assert!(fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
    let out = zwartlak()
        .arg("scan")
        .arg(&d)
        .args(["--no-config", "-o"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("folder"), "{err}");
}

/// A PNG: `redact` has no redactor for images, so it withholds the file.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0";

fn redact(inputs: &[&Path], out: &Path, extra: &[&str]) -> std::process::Output {
    let mut c = zwartlak();
    c.arg("redact");
    for i in inputs {
        c.arg(i);
    }
    c.arg("--out").arg(out).arg("--no-config").args(extra);
    c.output().unwrap()
}

#[test]
fn a_non_empty_out_folder_is_refused_unless_overwrite_which_removes_stale_copies() {
    let dir = tempfile::tempdir().unwrap();
    let d = dossier(dir.path());
    fs::write(d.join("scan.png"), PNG).unwrap();
    let out = dir.path().join("out");
    fs::create_dir_all(&out).unwrap();
    // Another dossier's unredacted file, where the withheld image's copy would go.
    fs::write(out.join("scan.png"), "BSN 111222333 stale").unwrap();
    let o = redact(&[&d], &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("not empty") && err.contains("--overwrite"),
        "{err}"
    );
    assert!(!out.join("brief.txt").exists(), "nothing is written");
    assert_eq!(
        fs::read(out.join("scan.png")).unwrap(),
        b"BSN 111222333 stale"
    );

    let o = redact(&[&d], &out, &["--overwrite", "--format", "jsonl"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        !out.join("scan.png").exists(),
        "the stale copy of the withheld file is removed"
    );
    let copy = fs::read_to_string(out.join("brief.txt")).unwrap();
    assert!(!copy.contains("111222333"), "{copy}");
    assert!(!out.join(".zwartlak-incomplete").exists());
}

#[test]
fn inputs_with_the_same_output_path_are_both_kept_and_said() {
    let dir = tempfile::tempdir().unwrap();
    for (d, v) in [("a", "111222333"), ("b", "123456782")] {
        fs::create_dir_all(dir.path().join(d)).unwrap();
        fs::write(dir.path().join(d).join("x.txt"), format!("BSN {v}\n")).unwrap();
    }
    let out = dir.path().join("out");
    let audit = dir.path().join("audit.csv");
    let a = dir.path().join("a/x.txt");
    let b = dir.path().join("b/x.txt");
    let o = redact(
        &[&a, &b],
        &out,
        &["--audit", audit.to_str().unwrap(), "--format", "jsonl"],
    );
    assert_eq!(o.status.code(), Some(0));
    let mut names: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["x (2).txt", "x.txt"]);
    for n in &names {
        let c = fs::read_to_string(out.join(n)).unwrap();
        assert!(c.contains("[BSN]"), "{n}: {c}");
    }
    let stdout = String::from_utf8(o.stdout).unwrap();
    let summary = stdout
        .lines()
        .find(|l| l.contains(r#""record":"summary""#))
        .unwrap();
    assert!(summary.contains(r#""written":2"#), "{summary}");
    assert!(summary.contains(r#""renamed":1"#), "{summary}");
    assert!(stdout.contains(r#""output":"x (2).txt""#), "{stdout}");
    let rows = fs::read_to_string(&audit).unwrap();
    assert!(
        rows.lines()
            .any(|l| l.contains("same path") && l.contains("x (2).txt")),
        "{rows}"
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("another name"), "{err}");
}

#[test]
fn leftovers_of_a_killed_run_are_flagged_and_cleaned() {
    let dir = tempfile::tempdir().unwrap();
    let d = dossier(dir.path());
    let out = dir.path().join("out");
    fs::create_dir_all(out.join("sub")).unwrap();
    // What a run killed while writing leaves behind.
    fs::write(out.join(".zwartlak-incomplete"), "").unwrap();
    fs::write(out.join("sub/.zwartlak-Ab12Cd.tmp"), "half a copy").unwrap();
    let o = redact(&[&d], &out, &["-q"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("did not finish"), "{err}");
    let o = redact(&[&d], &out, &["--overwrite"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(!out.join("sub/.zwartlak-Ab12Cd.tmp").exists());
    assert!(!out.join(".zwartlak-incomplete").exists());
    assert!(out.join("brief.txt").exists());
}

#[test]
fn a_copy_that_cannot_be_written_is_exit_2_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dossier(dir.path());
    fs::create_dir_all(d.join("sub")).unwrap();
    fs::write(d.join("sub/nota.txt"), "BSN 123456782\n").unwrap();
    fs::write(d.join("foto.png"), PNG).unwrap();
    let out = dir.path().join("out");
    fs::create_dir_all(&out).unwrap();
    // A file where the folder of a copy must go: that copy cannot be
    // written (also as root, unlike a read-only folder).
    fs::write(out.join("sub"), "in the way").unwrap();
    let o = redact(&[&d], &out, &["--overwrite"]);
    assert_eq!(o.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("1 could not be written"), "{stdout}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("could not be written"), "{err}");
    assert!(
        out.join(".zwartlak-incomplete").exists(),
        "an incomplete release stays marked"
    );
    let o = redact(&[&d], &out, &["--overwrite", "--format", "jsonl"]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains(r#""write_errors":1"#), "{stdout}");

    // A file withheld on purpose (no redactor for images) is no write error.
    let only = dir.path().join("only");
    fs::create_dir_all(&only).unwrap();
    fs::write(only.join("foto.png"), PNG).unwrap();
    let o = redact(&[&only], &dir.path().join("out2"), &[]);
    assert_eq!(o.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("1 needs review"), "{stdout}");
}

#[test]
fn file_names_are_shown_escaped_and_one_to_one() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d");
    fs::create_dir_all(&d).unwrap();
    let body = "BSN 111222333\n";
    let names: [&[u8]; 4] = [
        b"kleur\x1b[31m\x1b]0;titel\x07.txt",
        b"twee\nregels.txt",
        b"a\xff.txt",
        b"a\xfe.txt",
    ];
    for n in names {
        fs::write(d.join(OsStr::from_bytes(n)), body).unwrap();
    }
    let out = zwartlak()
        .arg("scan")
        .arg(&d)
        .args(["--no-config", "--format", "text"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
    assert!(
        text.contains(r"kleur\x1B[31m\x1B]0;titel\x07.txt"),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l == r"twee\nregels.txt"),
        "a newline splits the entry: {text}"
    );
    assert!(text.lines().any(|l| l == r"a\xFF.txt"), "{text}");
    assert!(text.lines().any(|l| l == r"a\xFE.txt"), "{text}");

    // The same names in JSON Lines: two different names, two different paths.
    let out = zwartlak()
        .arg("scan")
        .arg(&d)
        .args(["--no-config", "--format", "jsonl"])
        .output()
        .unwrap();
    let mut paths: Vec<String> = of(&records(&out.stdout), "file")
        .iter()
        .map(|v| v["path"].as_str().unwrap().to_string())
        .collect();
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), 4, "{paths:?}");

    // Copies keep the original bytes of their names.
    let rel = dir.path().join("rel");
    let o = redact(&[&d], &rel, &["-q"]);
    assert_eq!(o.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(!stdout.contains('\x1b'), "{stdout:?}");
    for n in names {
        let c = fs::read_to_string(rel.join(OsStr::from_bytes(n))).unwrap();
        assert!(c.contains("[BSN]"), "{c}");
    }

    // Standard error: a path in an error message is escaped too.
    let out = zwartlak()
        .arg("scan")
        .arg(d.join("ontbreekt\x1b[2J\n.txt"))
        .arg("--no-config")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains('\x1b'), "{err:?}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err:?}");
    assert!(err.contains(r"ontbreekt\x1B[2J\n.txt"), "{err}");
}
