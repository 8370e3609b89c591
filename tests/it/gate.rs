//! End-to-end tests of the CI gate and batch features: exit codes, config
//! (policies, allow lists, errors), baselines, SARIF against the 2.1.0
//! schema, shards + merge, the cache.

use crate::util::{of, records, repo, zwartlak, BIN};
use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

const KEY: &str = "a test key of enough length";

fn fixtures() -> PathBuf {
    repo("fixtures/dossier")
}

/// The binary, run in `cwd` (no zwartlak.toml above a fresh temp dir), with the test key.
fn zw(cwd: &Path) -> Command {
    let mut c = zwartlak();
    c.current_dir(cwd)
        .env("ZWARTLAK_FINGERPRINT_KEY", KEY)
        .arg("scan")
        .arg("-q");
    c
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(c: &mut Command) -> Run {
    let out = c.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn findings(recs: &[Value]) -> Vec<&Value> {
    of(recs, "finding")
}

/// The raw values the fixtures hold (from a --reveal run).
fn raw_values(cwd: &Path) -> Vec<String> {
    let r = run(zw(cwd)
        .arg(fixtures())
        .args(["--format", "jsonl", "--reveal"]));
    findings(&records(&r.stdout))
        .iter()
        .map(|f| f["value"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // 0: ran, no gate (a file that cannot be read is a record, not exit 2)
    let r = run(zw(d).arg(fixtures()).args(["--format", "jsonl"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\"status\":\"error\""));
    // 1: gate on a kind that is not there, but the fixtures hold a broken
    // zip and a binary file that were not read completely
    let r = run(zw(d).arg(fixtures()).args(["--fail-on", "license_plate"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("gate failed: 2 files not read completely (error 1, needs_review 1"),
        "{}",
        r.stderr
    );
    // 0: ... unless they are accepted
    let r = run(zw(d)
        .arg(fixtures())
        .args(["--fail-on", "license_plate", "--allow-unread"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // 1: gate failed; stderr says why without values
    let r = run(zw(d).arg(fixtures()).args(["--fail-on", "bsn,iban"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("gate failed: 9 findings (bsn 5, iban 4)"),
        "{}",
        r.stderr
    );
    for v in raw_values(d) {
        assert!(!r.stderr.contains(&v));
    }
    // 1: from the config's fail_on
    std::fs::write(d.join("zwartlak.toml"), "fail_on = [\"any\"]\n").unwrap();
    let r = run(zw(d).arg(fixtures()));
    assert_eq!(r.code, 1);
    // ... and --no-config ignores it
    let r = run(zw(d).arg(fixtures()).arg("--no-config"));
    assert_eq!(r.code, 0);
    std::fs::remove_file(d.join("zwartlak.toml")).unwrap();
    // 2: usage errors and runs that cannot complete
    let out = d.join("no/such/dir/report.json");
    let bad: Vec<Vec<String>> = vec![
        vec!["--fail-on".into(), "bsnn".into()],
        vec!["--min-confidence".into(), "2".into()],
        vec!["--shard".into(), "4/4".into()],
        vec!["--config".into(), "missing.toml".into()],
        vec!["-o".into(), out.display().to_string()],
        vec!["--format".into(), "pdf".into()],
        vec!["--cache".into(), d.display().to_string()],
    ];
    for args in bad {
        let r = run(zw(d).arg(fixtures()).args(&args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(!r.stderr.is_empty());
    }
    let r = run(zw(d).arg(d.join("no-such-folder")));
    assert_eq!(r.code, 2);
    let r = run(zwartlak().arg("frobnicate"));
    assert_eq!(r.code, 2);
    let r = run(zwartlak().arg("--version"));
    assert_eq!(r.code, 0);
}

#[test]
fn config_errors_are_exit_2_with_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("zwartlak.toml"),
        "min_confidence = 0.6\n\n[[policy]]\npaths = [\"exports/**\"]\nallow = [\"nam\"]\n",
    )
    .unwrap();
    // found in a parent of the working directory
    std::fs::create_dir(d.join("sub")).unwrap();
    let r = run(zw(&d.join("sub")).arg(fixtures()));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("zwartlak.toml:5:10: [[policy]] allow: unknown kind `nam`"),
        "{}",
        r.stderr
    );
}

#[test]
fn policy_per_path() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // In bijlagen/ only e-mail addresses and phone numbers may occur: the
    // export.json member holds a BSN and notitie-buren.txt a postcode.
    std::fs::write(
        d.join("zwartlak.toml"),
        "[[policy]]\npaths = [\"bijlagen/**\"]\nallow = [\"email\", \"phone\"]\n",
    )
    .unwrap();
    let r = run(zw(d).arg(fixtures()).args(["--format", "jsonl"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("2 findings (bsn 1, postcode 1), 2 against a path policy"),
        "{}",
        r.stderr
    );
    // allowing those kinds too passes, although other folders hold BSNs
    std::fs::write(
        d.join("zwartlak.toml"),
        "[[policy]]\npaths = [\"bijlagen/**\"]\nallow = [\"email\", \"phone\", \"bsn\", \"postcode\"]\n",
    )
    .unwrap();
    let r = run(zw(d).arg(fixtures()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // a policy outranks --fail-on for its paths: the BSN in bijlagen/ fails, the rest of --fail-on applies elsewhere
    std::fs::write(
        d.join("zwartlak.toml"),
        "[[policy]]\npaths = [\"bijlagen/**\"]\nallow = [\"email\", \"phone\", \"postcode\"]\n",
    )
    .unwrap();
    let r = run(zw(d).arg(fixtures()).args(["--fail-on", "iban"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("(bsn 1, iban 4)"), "{}", r.stderr);
}

#[test]
fn allow_list_drops_the_organisations_own_data() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let all = records(
        &run(zw(d)
            .arg(fixtures())
            .args(["--format", "jsonl", "--reveal"]))
        .stdout,
    );
    let ibans: Vec<String> = findings(&all)
        .iter()
        .filter(|f| f["kind"] == "iban")
        .map(|f| f["value"].as_str().unwrap().to_string())
        .collect();
    assert!(ibans.len() >= 2);
    let emails: Vec<String> = findings(&all)
        .iter()
        .filter(|f| f["kind"] == "email")
        .map(|f| f["value"].as_str().unwrap().to_string())
        .collect();
    let domain = emails[0].rsplit_once('@').unwrap().1.to_string();
    // written differently (spaces, lower case): normalized before comparing
    let own = ibans[0].to_lowercase();
    let spaced: String = own
        .chars()
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ");
    std::fs::write(
        d.join("zwartlak.toml"),
        format!("[allow]\niban = [\"{spaced}\"]\nemail_domains = [\"{domain}\"]\n"),
    )
    .unwrap();
    let recs = records(
        &run(zw(d)
            .arg(fixtures())
            .args(["--format", "jsonl", "--reveal"]))
        .stdout,
    );
    let f = findings(&recs);
    assert!(!f.iter().any(|x| x["value"]
        .as_str()
        .unwrap()
        .replace(' ', "")
        .eq_ignore_ascii_case(&ibans[0].replace(' ', ""))));
    assert!(!f
        .iter()
        .any(|x| x["kind"] == "email" && x["value"].as_str().unwrap().ends_with(&domain)));
    assert!(f.iter().any(|x| x["kind"] == "iban"), "other IBANs stay");
    let summary = recs.last().unwrap();
    assert_eq!(summary["findings"].as_u64().unwrap() as usize, f.len());
    // the gate does not fail on allowed values
    std::fs::write(
        d.join("zwartlak.toml"),
        format!(
            "[allow]\niban = [{}]\n",
            ibans
                .iter()
                .map(|i| format!("\"{i}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
    .unwrap();
    assert_eq!(
        run(zw(d)
            .arg(fixtures())
            .args(["--fail-on", "iban", "--allow-unread"]))
        .code,
        0
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let t = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &t);
        } else {
            std::fs::copy(e.path(), &t).unwrap();
        }
    }
}

#[test]
fn baseline_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let tree = d.join("tree");
    copy_dir(&fixtures(), &tree);
    let baseline = d.join("baseline.json");
    let r = run(zw(d)
        .arg(&tree)
        .args(["--fail-on", "any", "--write-baseline"])
        .arg(&baseline));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(&baseline).unwrap();
    let b: Value = serde_json::from_str(&text).unwrap();
    // one fingerprint per (kind, value, path): a value twice in one file counts once
    let count = b["count"].as_u64().unwrap();
    let jl = run(zw(d).arg(&tree).args(["--format", "jsonl"]));
    let n_findings = jl
        .stdout
        .lines()
        .filter(|l| l.contains(r#""record":"finding""#))
        .count() as u64;
    assert!(count > 0 && count <= n_findings, "{count} of {n_findings}");
    assert_eq!(b["fingerprints"].as_array().unwrap().len() as u64, count);
    // no raw value, no masked value, no key in the baseline
    for v in raw_values(d) {
        assert!(!text.contains(&v), "baseline holds a value");
        let digits: String = v.chars().filter(char::is_ascii_alphanumeric).collect();
        assert!(digits.len() < 6 || !text.contains(&digits));
    }
    assert!(!text.contains(KEY));
    // unchanged tree: nothing new, nothing reported, exit 0
    let r = run(zw(d)
        .arg(&tree)
        .args(["--fail-on", "any", "--allow-unread", "--format", "jsonl"])
        .arg("--baseline")
        .arg(&baseline));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(findings(&records(&r.stdout)).is_empty());
    // a new finding fails, and only it is reported
    std::fs::write(tree.join("nieuw.txt"), "BSN: 111222333\n").unwrap();
    let r = run(zw(d)
        .arg(&tree)
        .args(["--fail-on", "any", "--allow-unread", "--format", "jsonl"])
        .arg("--baseline")
        .arg(&baseline));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let recs = records(&r.stdout);
    let f = findings(&recs);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["path"], "nieuw.txt");
    assert_eq!(recs.last().unwrap()["findings"], 1);
    assert!(r.stderr.contains("not in the baseline"));
    // another key: refused (exit 2), not silently "all new"
    let r = run(zw(d)
        .env("ZWARTLAK_FINGERPRINT_KEY", "some other key 0123456789")
        .arg(&tree)
        .arg("--baseline")
        .arg(&baseline));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("another fingerprint key"), "{}", r.stderr);
    // no key: refused with a clear message
    let r = run(zw(d)
        .env_remove("ZWARTLAK_FINGERPRINT_KEY")
        .arg(&tree)
        .arg("--write-baseline")
        .arg(d.join("b2.json")));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("ZWARTLAK_FINGERPRINT_KEY"),
        "{}",
        r.stderr
    );
    assert!(!d.join("b2.json").exists());
    // a broken baseline file: exit 2
    std::fs::write(d.join("broken.json"), "[1,2").unwrap();
    let r = run(zw(d)
        .arg(&tree)
        .arg("--baseline")
        .arg(d.join("broken.json")));
    assert_eq!(r.code, 2);
}

#[test]
fn sarif_is_valid_against_the_2_1_0_schema() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = std::fs::read_to_string(repo("tests/data/sarif-schema-2.1.0.json")).unwrap();
    // The published schema has a stray `]` in the pattern of `run.language`
    // (a literal `]` in ECMA-262, which the validator's regex check rejects):
    // escape it, same meaning, so the schema compiles.
    let typo = r#"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$"#;
    assert!(text.contains(typo));
    let text = text.replace(typo, r#"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$"#);
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::draft4::new(&schema).expect("schema compiles");
    let r = run(zw(d).arg(fixtures()).args(["--format", "sarif"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let sarif: Value = serde_json::from_str(&r.stdout).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // the validator does reject what is not SARIF 2.1.0
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&broken));
    let run0 = &sarif["runs"][0];
    assert_eq!(
        run0["tool"]["driver"]["rules"].as_array().unwrap().len(),
        10
    );
    let results = run0["results"].as_array().unwrap();
    // one result per finding of the same scan in JSONL
    let jl = run(zw(d).arg(fixtures()).args(["--format", "jsonl"]));
    let n_findings = jl
        .stdout
        .lines()
        .filter(|l| l.contains(r#""record":"finding""#))
        .count();
    assert_eq!(results.len(), n_findings);
    for res in results {
        let fp = res["partialFingerprints"]["zwartlak/v1"].as_str().unwrap();
        assert_eq!(fp.len(), 64);
    }
    // line and cell locations
    assert!(results
        .iter()
        .any(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"].is_u64()));
    assert!(results
        .iter()
        .any(|r| r["locations"][0]["properties"]["cell"].is_string()));
    // the unreadable file is a notification
    let notes = run0["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert!(notes.iter().any(|n| n["level"] == "error"));
    for v in raw_values(d) {
        assert!(!r.stdout.contains(&v), "SARIF holds a raw value");
    }
    // fingerprints are the baseline's: the same finding, the same fingerprint
    // in a JSONL run, and a merged SARIF keeps them
    let jl = d.join("full.jsonl");
    let r = run(zw(d)
        .arg(fixtures())
        .args(["--format", "jsonl", "-o"])
        .arg(&jl));
    assert_eq!(r.code, 0);
    let merged = run(zwartlak().args(["merge", "--format", "sarif"]).arg(&jl));
    assert_eq!(merged.code, 0, "{}", merged.stderr);
    let m: Value = serde_json::from_str(&merged.stdout).unwrap();
    assert!(validator.is_valid(&m));
    let fps = |v: &Value| -> Vec<String> {
        v["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"]["zwartlak/v1"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    assert_eq!(fps(&m), fps(&sarif));
    // without a key: still valid, no fingerprints
    let r = run(zw(d)
        .env_remove("ZWARTLAK_FINGERPRINT_KEY")
        .arg(fixtures())
        .args(["--format", "sarif"]));
    let s: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(validator.is_valid(&s));
    assert!(s["runs"][0]["results"][0]["partialFingerprints"].is_null());
}

/// A tree of generated files plus the fixtures.
fn make_tree(root: &Path, n: usize) {
    copy_dir(&fixtures(), &root.join("fixtures"));
    for i in 0..n {
        let dir = root.join(format!("d{}", i % 7));
        std::fs::create_dir_all(&dir).unwrap();
        // a valid BSN (11-test) in some files, other text in the rest
        let body = if i % 3 == 0 {
            format!("Huurder {i}\nBSN: 111222333\nTel: 06-1234{:04}\n", i)
        } else {
            format!("Notitie {i}: geen bijzonderheden.\n")
        };
        std::fs::write(dir.join(format!("f{i}.txt")), body).unwrap();
    }
}

fn without_seconds(jsonl: &str) -> Vec<String> {
    jsonl
        .lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            if v["record"] == "summary" {
                v["seconds"] = Value::Null;
            }
            v.to_string()
        })
        .collect()
}

#[test]
fn four_shards_merged_equal_one_full_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let tree = d.join("tree");
    make_tree(&tree, 60);
    let full = run(zw(d).arg(&tree).args(["--format", "jsonl", "--reveal"]));
    assert_eq!(full.code, 0);
    let mut parts = Vec::new();
    let mut sizes = Vec::new();
    for k in 0..4 {
        let out = d.join(format!("shard{k}.jsonl"));
        let r = run(zw(d)
            .arg(&tree)
            .args([
                "--format",
                "jsonl",
                "--reveal",
                "--shard",
                &format!("{k}/4"),
                "-o",
            ])
            .arg(&out));
        assert_eq!(r.code, 0, "{}", r.stderr);
        let text = std::fs::read_to_string(&out).unwrap();
        sizes.push(
            text.lines()
                .filter(|l| l.contains("\"record\":\"file\""))
                .count(),
        );
        parts.push(out);
    }
    assert!(
        sizes.iter().all(|&n| n > 5),
        "every shard has work: {sizes:?}"
    );
    let merged = run(zwartlak().args(["merge", "--format", "jsonl"]).args(&parts));
    assert_eq!(merged.code, 0, "{}", merged.stderr);
    assert_eq!(
        without_seconds(&merged.stdout),
        without_seconds(&full.stdout)
    );
    // and the gate of a merge
    let r = run(zwartlak()
        .args(["merge", "--fail-on", "bsn", "--format", "csv"])
        .args(&parts));
    assert_eq!(r.code, 1);
    // a shard that did not finish cannot be merged
    let cut = d.join("cut.jsonl");
    let text = std::fs::read_to_string(&parts[0]).unwrap();
    std::fs::write(&cut, &text[..text.len() / 2]).unwrap();
    let r = run(zwartlak().arg("merge").arg(&cut));
    assert_eq!(r.code, 2);
}

#[test]
fn cache_serves_unchanged_files_and_rescans_changed_ones() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let tree = d.join("tree");
    make_tree(&tree, 30);
    let cache = d.join("scan.cache");
    let scan = |extra: &[&str]| {
        let mut c = zwartlak();
        c.current_dir(d)
            .env("ZWARTLAK_FINGERPRINT_KEY", KEY)
            .arg("scan")
            .arg(&tree)
            .args(["--format", "jsonl", "--reveal", "--no-config", "--cache"])
            .arg(&cache)
            .args(extra);
        run(&mut c)
    };
    let plain = run(zw(d).arg(&tree).args(["--format", "jsonl", "--reveal"]));
    let first = scan(&[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(first.stderr.contains("0 unchanged"), "{}", first.stderr);
    let on_disk = records(&plain.stdout)
        .iter()
        .filter(|r| r["record"] == "file" && !r["path"].as_str().unwrap().contains('!'))
        .count();
    let second = scan(&[]);
    assert!(
        second.stderr.contains(&format!(
            "{on_disk} unchanged, 0 touched but unchanged, 0 scanned"
        )),
        "{}",
        second.stderr
    );
    // the same records as a run without cache, values, archive members and all
    assert_eq!(
        without_seconds(&second.stdout),
        without_seconds(&plain.stdout)
    );
    // the gate works on cached results too
    let r = scan(&["--fail-on", "bsn"]);
    assert_eq!(r.code, 1);
    // a changed file is scanned again; other flags are a different cache key
    std::fs::write(tree.join("d1/f1.txt"), "BSN 123456782\n").unwrap();
    let third = scan(&[]);
    assert!(
        third.stderr.contains(&format!(
            "{} unchanged, 0 touched but unchanged, 1 scanned",
            on_disk - 1
        )),
        "{}",
        third.stderr
    );
    assert!(third.stdout.contains("123456782"));
    let masked = scan(&["--kinds", "bsn"]);
    assert!(masked.stderr.contains("0 unchanged"), "{}", masked.stderr);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&cache).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

#[test]
fn a_killed_cached_run_resumes() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let tree = d.join("tree");
    for i in 0..6000 {
        let sub = tree.join(format!("m{}", i / 500));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join(format!("n{i}.txt")), format!("Notitie {i}\n")).unwrap();
    }
    let cache = d.join("run.cache");
    let mut child = std::process::Command::new(BIN)
        .current_dir(d)
        .args([
            "scan",
            "-q",
            "--no-config",
            "-j",
            "1",
            "--format",
            "jsonl",
            "--cache",
        ])
        .arg(&cache)
        .arg(&tree)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Results come out in order after their entry was stored, and the cache
    // commits at the latest every 2048 new entries (sooner when a second has
    // passed, which on a loaded machine happens at any count): so once 4200
    // files are reported, at most 2047 are uncommitted and at least 2153 are
    // in the cache. Kill the run then.
    let mut seen = 0;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        if line.unwrap().contains("\"record\":\"file\"") {
            seen += 1;
            if seen == 4200 {
                break;
            }
        }
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert_eq!(seen, 4200);
    let out = zwartlak()
        .current_dir(d)
        .args(["scan", "--no-config", "--format", "jsonl", "--cache"])
        .arg(&cache)
        .arg(&tree)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let unchanged: u64 = stderr
        .split("cache: ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(unchanged >= 2048, "{stderr}");
    let plain = run(zw(d).arg(&tree).args(["--format", "jsonl", "--no-config"]));
    assert_eq!(
        without_seconds(&String::from_utf8(out.stdout).unwrap()),
        without_seconds(&plain.stdout)
    );
}

/// A CSV with one NUL byte is read as text: `--fail-on bsn` fails on its
/// BSN (it used to be skipped as binary and the gate passed), and the file
/// record says it held binary data.
#[test]
fn a_nul_byte_does_not_switch_the_gate_off() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("export.csv"),
        b"naam;bsn;opmerking\nJan Jansen;111222333;\x00\n",
    )
    .unwrap();
    let r = run(zw(dir.path())
        .arg("export.csv")
        .args(["--fail-on", "bsn", "--format", "jsonl"]));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let recs = records(&r.stdout);
    assert_eq!(
        findings(&recs)
            .iter()
            .filter(|f| f["kind"] == "bsn")
            .count(),
        1
    );
    let file = recs.iter().find(|r| r["record"] == "file").unwrap();
    assert_eq!(file["status"], "scanned");
    assert!(file["note"].as_str().unwrap().contains("binary data"));
}

/// The gate never passes what it did not read: a file over a limit, a file
/// that needs review or cannot be parsed fails `--fail-on` (exit 1), unless
/// `--allow-unread` or `allow_unread` in zwartlak.toml accepts it. Excluded
/// files are the user's choice: listed, not failing. SARIF lists them all.
#[test]
fn files_not_read_fail_the_gate_unless_a_policy_allows_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("in");
    std::fs::create_dir_all(root.join("fotos")).unwrap();
    std::fs::write(root.join("brief.txt"), "Geen persoonsgegevens hier.\n").unwrap();
    // over --max-filesize 200, with a BSN at its end
    let mut big = "x".repeat(300);
    big.push_str("\nBSN 111222333\n");
    std::fs::write(root.join("groot.txt"), big).unwrap();
    // a picture: only its strings are read, it needs review
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    png.extend((0u8..=255).cycle().take(150));
    std::fs::write(root.join("fotos/schade.png"), png).unwrap();
    std::fs::write(root.join("kapot.zip"), b"PK\x03\x04 not really a zip").unwrap();
    std::fs::write(root.join("oud.log"), "BSN 111222333\n").unwrap();
    let base = [
        "--max-filesize",
        "200",
        "--exclude",
        "*.log",
        "--fail-on",
        "bsn",
    ];

    let r = run(zw(dir.path())
        .arg(&root)
        .args(base)
        .args(["--format", "jsonl"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("3 files not read completely"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("111222333"));
    let recs = records(&r.stdout);
    let status = |p: &str| {
        let f = recs
            .iter()
            .find(|f| f["record"] == "file" && f["path"] == p)
            .unwrap_or_else(|| panic!("{p} not listed"));
        (
            f["status"].as_str().unwrap().to_string(),
            f["reason"].as_str().unwrap_or("").to_string(),
        )
    };
    assert_eq!(status("groot.txt").0, "skipped");
    assert!(status("groot.txt").1.contains("--max-filesize"));
    assert_eq!(status("fotos/schade.png").0, "needs_review");
    assert_eq!(status("kapot.zip").0, "error");
    assert_eq!(
        status("oud.log"),
        ("skipped".into(), "excluded by the glob `*.log`".into())
    );

    // --allow-unread: nothing failing was read
    let r = run(zw(dir.path()).arg(&root).args(base).arg("--allow-unread"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // text report lists the files with their reasons
    assert!(r.stdout.contains("groot.txt") && r.stdout.contains("larger than --max-filesize"));
    assert!(r.stdout.contains("excluded by the glob"));

    // per path in zwartlak.toml: the pictures are accepted, the rest still fails
    std::fs::write(
        dir.path().join("zwartlak.toml"),
        "allow_unread = [\"fotos/**\"]\n",
    )
    .unwrap();
    let r = run(zw(dir.path()).arg(&root).args(base));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("2 files not read completely"),
        "{}",
        r.stderr
    );
    std::fs::write(
        dir.path().join("zwartlak.toml"),
        "allow_unread = [\"fotos/**\", \"groot.txt\", \"*.zip\"]\n",
    )
    .unwrap();
    assert_eq!(run(zw(dir.path()).arg(&root).args(base)).code, 0);

    // without --fail-on, unread files are records only
    std::fs::remove_file(dir.path().join("zwartlak.toml")).unwrap();
    assert_eq!(run(zw(dir.path()).arg(&root).args(&base[..4])).code, 0);

    // SARIF names each file and why
    let r = run(zw(dir.path())
        .arg(&root)
        .args(base)
        .args(["--format", "sarif"]));
    assert_eq!(r.code, 1);
    let sarif: Value = serde_json::from_str(&r.stdout).unwrap();
    let notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    for (p, level) in [
        ("groot.txt", "warning"),
        ("fotos/schade.png", "warning"),
        ("kapot.zip", "error"),
        ("oud.log", "note"),
    ] {
        let n = notes
            .iter()
            .find(|n| n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == p)
            .unwrap_or_else(|| panic!("{p} not in {notes:?}"));
        assert_eq!(n["level"], level, "{p}");
        assert!(!n["message"]["text"].as_str().unwrap().is_empty());
    }
}
