//! The HTML report in a real browser: headless Chromium renders it without
//! console errors and takes a screenshot. Skipped, with a note, when no
//! Chromium is installed (`.ci/run` installs it).

use crate::util::{repo, zwartlak};
use std::path::{Path, PathBuf};
use std::process::Output;

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join(name))
                    .find(|p| p.is_file())
            })
        })
}

fn headless(browser: &Path, extra: &[&str], page: &Path) -> Output {
    let profile = tempfile::tempdir().unwrap();
    std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap()
}

/// Console messages (errors, warnings, logs) Chromium printed for the page.
fn console_lines(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect()
}

#[test]
fn html_report_renders_in_headless_chromium() {
    let Some(browser) = chromium() else {
        eprintln!(
            "NOTE: chromium not installed; HTML rendering test skipped (.ci/run installs it)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.html");
    let out = zwartlak()
        .current_dir(dir.path())
        .args(["scan", "-q", "--no-config", "--format", "html", "-o"])
        .arg(&report)
        .arg(repo("fixtures/dossier"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let html = std::fs::read_to_string(&report).unwrap();
    // no external assets: the only URL is the SVG namespace
    let stripped = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(!stripped.contains("http:") && !stripped.contains("https:"));
    assert!(!html.contains("<link") && !html.contains("<script") && !html.contains("<img"));

    // the browser's DOM holds the sections, and the console is silent
    let dom = headless(
        &browser,
        &["--enable-logging=stderr", "--v=0", "--dump-dom"],
        &report,
    );
    let dom_text = String::from_utf8_lossy(&dom.stdout);
    for id in [
        "totals",
        "per-kind",
        "per-folder",
        "top-files",
        "problems",
        "findings",
    ] {
        assert!(
            dom_text.contains(&format!("id=\"{id}\"")),
            "section {id} missing"
        );
    }
    assert!(dom_text.contains("<svg"));
    assert!(dom_text.contains("kapot.zip"), "the error file is listed");
    assert_eq!(console_lines(&dom), Vec::<String>::new());

    // the check above does see console errors: a page with one
    let bad = dir.path().join("bad.html");
    std::fs::write(
        &bad,
        "<html><body><script>console.error('x'); missing();</script></body></html>",
    )
    .unwrap();
    let b = headless(
        &browser,
        &["--enable-logging=stderr", "--v=0", "--dump-dom"],
        &bad,
    );
    assert!(!console_lines(&b).is_empty());

    // a screenshot
    let shot = dir.path().join("report.png");
    let s = headless(
        &browser,
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000",
        ],
        &report,
    );
    assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stderr));
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(
        png.len() > 20_000,
        "a blank page is smaller: {} bytes",
        png.len()
    );
}
