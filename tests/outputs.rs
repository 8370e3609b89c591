//! End-to-end tests of how zwartlak writes its outputs (issue 10): reports,
//! audits and baselines written through to FIFOs, devices and standard
//! output, symbolic links followed; release folders that say when they are
//! incomplete, that keep every copy and that never merge silently; exit
//! codes for write failures; file names shown safely on a terminal.

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};

fn zwartlak() -> Command {
    let mut c = Command::cargo_bin("zwartlak").unwrap();
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
    assert!(html.contains("<html") || html.contains("<!DOCTYPE"), "{html}");
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
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
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
