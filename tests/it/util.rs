//! The scaffolding the end-to-end tests share: the binary as a command, the
//! records of a JSON Lines report, a fresh folder to redact, files written
//! and listed, zip packages read, and the evaluation venv's Python readers.
//! The zip and PDF builders are the unit tests' own (`src/testutil.rs`,
//! included here as a module: that file uses nothing from the crate).

use assert_cmd::Command;
use serde_json::Value;
use std::ffi::OsStr;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use zip::CompressionMethod;

#[path = "../../src/testutil.rs"]
#[allow(dead_code)] // the unit tests use builders these tests do not
mod testutil;

pub use testutil::{pdf_bytes, zip_of, zip_of_text, zip_with, Pdf};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_zwartlak");

/// The binary under test as a command.
pub fn zwartlak() -> Command {
    Command::new(BIN)
}

/// A path in the repository (`fixtures/...`, `tests/data/...`).
pub fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The records of a JSON Lines report, one a line (a line that does not
/// parse panics, naming itself).
pub fn records(jsonl: impl AsRef<[u8]>) -> Vec<Value> {
    std::str::from_utf8(jsonl.as_ref())
        .expect("a JSON Lines report is UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The records of one type (`file`, `finding`, `summary`, ...).
pub fn of<'a>(recs: &'a [Value], record: &str) -> Vec<&'a Value> {
    recs.iter().filter(|r| r["record"] == record).collect()
}

/// The `file` record of `path`.
pub fn file_record<'a>(recs: &'a [Value], path: &str) -> &'a Value {
    recs.iter()
        .find(|r| r["record"] == "file" && r["path"] == path)
        .unwrap_or_else(|| panic!("no record for {path} in {recs:?}"))
}

/// `data` written to `dir/name`, its folders made; the path.
pub fn write(dir: &Path, name: &str, data: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, data).unwrap();
    p
}

/// Every regular file under `root`, relative, with `/` separators, sorted.
pub fn files_under(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(root).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

/// The entries of a zip archive, in order: name, compression, bytes.
pub fn zip_entries(data: &[u8]) -> Vec<(String, CompressionMethod, Vec<u8>)> {
    let mut a = zip::ZipArchive::new(Cursor::new(data)).unwrap();
    (0..a.len())
        .map(|i| {
            let mut e = a.by_index(i).unwrap();
            let mut d = Vec::new();
            e.read_to_end(&mut d).unwrap();
            (e.name().unwrap().to_string(), e.compression(), d)
        })
        .collect()
}

/// The entries of a zip archive, in order: name and bytes.
pub fn unzip(data: &[u8]) -> Vec<(String, Vec<u8>)> {
    zip_entries(data)
        .into_iter()
        .map(|(n, _, d)| (n, d))
        .collect()
}

/// The text of the entry `name` of a zip archive.
pub fn zip_part(data: &[u8], name: &str) -> String {
    let (_, d) = unzip(data)
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no part {name}"));
    String::from_utf8(d).unwrap()
}

/// A fresh folder to redact: `in/` holding the files, `subject.toml`, and
/// the path `out` for the copies.
pub struct Folder {
    pub dir: tempfile::TempDir,
    pub input: PathBuf,
    pub subject: PathBuf,
    pub out: PathBuf,
}

impl Folder {
    /// `files` written into `in/`, `subject` into `subject.toml`.
    pub fn new(files: &[(&str, Vec<u8>)], subject: &str) -> Folder {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        std::fs::create_dir_all(&input).unwrap();
        for (n, d) in files {
            std::fs::write(input.join(n), d).unwrap();
        }
        let subject_path = dir.path().join("subject.toml");
        std::fs::write(&subject_path, subject).unwrap();
        let out = dir.path().join("out");
        Folder {
            dir,
            input,
            subject: subject_path,
            out,
        }
    }

    /// `zwartlak redact --format jsonl --subject subject.toml in --out out
    /// EXTRA`, which must succeed; its records.
    pub fn redact<S: AsRef<OsStr>>(&self, extra: &[S]) -> Vec<Value> {
        let o = zwartlak()
            .args(["redact", "--format", "jsonl", "--subject"])
            .arg(&self.subject)
            .arg(&self.input)
            .arg("--out")
            .arg(&self.out)
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{o:?}");
        records(&o.stdout)
    }
}

/// `zwartlak scan` reads a redacted copy back cleanly: scanned, and only the
/// subject's own values (`dir/subject.toml`) found. The file record.
pub fn assert_rescans_clean(dir: &Path, path: &Path) -> Value {
    let o = zwartlak()
        .args(["scan", "--format", "jsonl", "--subject"])
        .arg(dir.join("subject.toml"))
        .arg(path)
        .output()
        .unwrap();
    let records = records(&o.stdout);
    let file = records.iter().find(|r| r["record"] == "file").unwrap();
    assert_eq!(file["status"], "scanned", "{file}");
    for f in of(&records, "finding") {
        assert_eq!(f["owner"], "subject", "{f}");
    }
    file.clone()
}

/// What `script` prints as JSON for `path`, run by the evaluation venv's
/// Python (`.venv-eval`, which `.ci/run` makes, or the one
/// `ZWARTLAK_EVAL_PYTHON` names); `None`, with a note on standard error, when
/// there is none: the check with `readers` is then skipped.
pub fn python_view(readers: &str, script: &str, path: &Path) -> Option<Value> {
    let python = std::env::var_os("ZWARTLAK_EVAL_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo(".venv-eval/bin/python"));
    if !python.exists() {
        eprintln!("skipped: no python venv with {readers} at {python:?}");
        return None;
    }
    let o = std::process::Command::new(python)
        .args(["-c", script])
        .arg(path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{readers} cannot open {path:?}: {o:?}");
    Some(serde_json::from_slice(&o.stdout).unwrap())
}
