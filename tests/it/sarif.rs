//! End to end: the `sarif` report as GitHub code scanning accepts it. It
//! validates against the SARIF 2.1.0 schema (`tests/data`), every region has
//! a start, `SRCROOT` is defined, failed files make the run unsuccessful,
//! and 30,000 findings give a run within GitHub's 25,000 results with every
//! finding counted.

use assert_cmd::Command;
use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/dossier")
}

/// The SARIF 2.1.0 schema's validator.
fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json"),
    )
    .unwrap();
    // The published schema has a stray `]` in the pattern of `run.language`
    // that the validator's regex check rejects: escaped, same meaning.
    let typo = r#"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$"#;
    assert!(text.contains(typo));
    let text = text.replace(typo, r#"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$"#);
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::draft4::new(&schema).expect("schema compiles")
}

fn assert_valid(v: &jsonschema::Validator, sarif: &Value) {
    let errors: Vec<String> = v
        .iter_errors(sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(20)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// `zwartlak ARGS`: exit code and the SARIF on stdout.
fn sarif(args: &[&std::ffi::OsStr]) -> (i32, Value) {
    let out = Command::cargo_bin("zwartlak")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let v = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    (out.status.code().unwrap_or(-1), v)
}

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

/// Every region has a start line or offset (GitHub's rule GH1003).
fn assert_regions_have_a_start(run: &Value) {
    for r in run["results"].as_array().unwrap() {
        for loc in r["locations"].as_array().unwrap() {
            if let Some(region) = loc["physicalLocation"].get("region") {
                assert!(
                    region["startLine"].is_u64()
                        || region["charOffset"].is_u64()
                        || region["byteOffset"].is_u64(),
                    "region without a start: {r}"
                );
            }
        }
    }
}

/// The findings a run accounts for: one per plain result, the count of an
/// aggregated one.
fn accounted(run: &Value) -> u64 {
    run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["properties"]["findings"].as_u64().unwrap_or(1))
        .sum()
}

#[test]
fn the_fixtures_give_a_report_github_accepts() {
    let v = validator();
    let root = fixtures();
    let (code, s) = sarif(&[
        os("scan"),
        os("-q"),
        root.as_os_str(),
        os("--format"),
        os("sarif"),
    ]);
    assert_eq!(code, 0);
    assert_valid(&v, &s);
    let run = &s["runs"][0];
    assert_regions_have_a_start(run);
    let results = run["results"].as_array().unwrap();
    assert!(results.len() > 10, "{}", results.len());
    // the e-mail (parts) and the CSV (cells) give location properties
    assert!(results
        .iter()
        .any(|r| r["locations"][0]["properties"]["part"].is_string()));
    assert!(results
        .iter()
        .any(|r| r["locations"][0]["properties"]["cell"].is_string()));
    // SRCROOT is the folder scanned, as a file URI ending in a slash
    let base = run["originalUriBaseIds"]["SRCROOT"]["uri"]
        .as_str()
        .unwrap();
    let canonical = std::fs::canonicalize(&root).unwrap();
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );
    assert!(
        base.trim_end_matches('/').ends_with("fixtures/dossier"),
        "{base} is not {}",
        canonical.display()
    );
    for r in results {
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"],
            "SRCROOT"
        );
    }
    // the damaged archive failed: the run was not successful, and says which file
    let inv = &run["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let notes = inv["toolExecutionNotifications"].as_array().unwrap();
    let broken = notes
        .iter()
        .find(|n| n["level"] == "error")
        .expect("an error notification");
    assert_eq!(
        broken["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "kapot.zip"
    );
    // severities per rule, as strings of numbers from 0 to 10
    for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
        let sev: f64 = rule["properties"]["security-severity"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((0.0..=10.0).contains(&sev), "{rule}");
    }
    assert_eq!(run["properties"]["resultCap"]["applied"], false);
}

/// A valid BSN (eleven test) for every `i`, all different.
fn bsns(n: usize) -> Vec<String> {
    (100_000_000u64..)
        .step_by(7)
        .filter(|x| {
            let d: Vec<u64> = x.to_string().bytes().map(|b| u64::from(b - b'0')).collect();
            let sum: i64 =
                (0..8).map(|i| (d[i] * (9 - i as u64)) as i64).sum::<i64>() - d[8] as i64;
            sum % 11 == 0
        })
        .take(n)
        .map(|x| x.to_string())
        .collect()
}

#[test]
fn thirty_thousand_findings_give_a_run_within_githubs_limits() {
    let dir = tempfile::tempdir().unwrap();
    let numbers = bsns(15_000);
    // 30 files of 500 lines, each line a BSN and an e-mail address
    for f in 0..30 {
        let mut text = String::new();
        for l in 0..500 {
            let i = f * 500 + l;
            writeln!(
                text,
                "dossier {i}: BSN {} en mail klant{i}@voorbeeld-woning.nl",
                numbers[i]
            )
            .unwrap();
        }
        std::fs::write(dir.path().join(format!("lijst{f:02}.txt")), text).unwrap();
    }
    let v = validator();
    let (code, s) = sarif(&[
        os("scan"),
        os("-q"),
        dir.path().as_os_str(),
        os("--format"),
        os("sarif"),
    ]);
    assert_eq!(code, 0);
    let run = &s["runs"][0];
    let findings = run["invocations"][0]["properties"]["findings"]
        .as_u64()
        .unwrap();
    assert_eq!(findings, 30_000, "the generated values are all found");
    let results = run["results"].as_array().unwrap().len();
    assert!(
        results <= 25_000,
        "{results} results: GitHub rejects the run"
    );
    assert!(
        results >= 20_000,
        "{results}: the cap is used, not undercut"
    );
    assert_eq!(s["runs"].as_array().unwrap().len(), 1);
    assert_eq!(accounted(run), findings, "no finding dropped uncounted");
    assert_eq!(run["properties"]["resultCap"]["applied"], true);
    assert!(run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["descriptor"]["id"] == "result-cap"));
    assert_regions_have_a_start(run);
    assert_valid(&v, &s);

    // a lower cap is kept too
    let (code, s) = sarif(&[
        os("scan"),
        os("-q"),
        dir.path().as_os_str(),
        os("--format"),
        os("sarif"),
        os("--sarif-max-results"),
        os("40"),
    ]);
    assert_eq!(code, 0);
    let run = &s["runs"][0];
    assert!(run["results"].as_array().unwrap().len() <= 40);
    assert_eq!(accounted(run), 30_000);
    assert_valid(&v, &s);

    // a cap above GitHub's is refused
    let out = Command::cargo_bin("zwartlak")
        .unwrap()
        .arg("scan")
        .arg(dir.path())
        .args(["--format", "sarif", "--sarif-max-results", "25001"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_merged_report_defines_srcroot_without_a_uri() {
    let dir = tempfile::tempdir().unwrap();
    let jl = dir.path().join("a.jsonl");
    let out = Command::cargo_bin("zwartlak")
        .unwrap()
        .args(["scan", "-q"])
        .arg(fixtures())
        .args(["--format", "jsonl", "-o"])
        .arg(&jl)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let (code, s) = sarif(&[os("merge"), jl.as_os_str(), os("--format"), os("sarif")]);
    assert_eq!(code, 0);
    assert_valid(&validator(), &s);
    let run = &s["runs"][0];
    assert!(run["originalUriBaseIds"]["SRCROOT"].is_object());
    assert!(run["originalUriBaseIds"]["SRCROOT"]["uri"].is_null());
    assert_regions_have_a_start(run);
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
}
