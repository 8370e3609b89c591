//! End-to-end tests of the small things a new user reads (issue 10, item 13):
//! an OS error said once, counts in the right number, the right article,
//! no record without a path.

use assert_cmd::Command;
use std::fs;

fn zwartlak(dir: &std::path::Path) -> Command {
    let mut c = crate::util::zwartlak();
    c.current_dir(dir);
    c
}

#[test]
fn a_missing_keep_file_says_its_os_error_once() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), "hallo\n").unwrap();
    let out = zwartlak(dir.path())
        .args(["scan", "a.txt", "--no-config", "--keep", "/nope/keep.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nope/keep.csv"), "{err}");
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
}

#[test]
fn the_text_summary_counts_in_singular_and_plural() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), "BSN 111222333\n").unwrap();
    fs::write(dir.path().join("b.pdf"), "%PDF-1.4\nkapot\n").unwrap();
    let out = zwartlak(dir.path())
        .args(["scan", ".", "--no-config"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let last = text.lines().last().unwrap();
    assert!(
        last.starts_with("2 files (") && last.contains(", 1 finding, 1 error, 0 need review"),
        "{last}"
    );
    let out = zwartlak(dir.path())
        .args(["redact", "a.txt", "--out", "rel", "--no-config"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("1 file (14 bytes), 1 finding, 0 errors"),
        "{text}"
    );
    assert!(
        text.contains("1 redacted copy written, 1 value replaced"),
        "{text}"
    );
}

#[test]
fn a_value_the_config_cannot_read_is_an_iban_not_a_iban() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), "hallo\n").unwrap();
    fs::write(
        dir.path().join("zwartlak.toml"),
        "[allow]\niban = [\"geen rekening\"]\n",
    )
    .unwrap();
    let out = zwartlak(dir.path())
        .args(["scan", "a.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("as an iban"), "{err}");
}
