//! End-to-end tests: error messages about bad configuration and subject
//! files name the file, line, column and the kind of problem, never a value.

use assert_cmd::Command;

fn stderr_of(args: &[&std::ffi::OsStr]) -> (String, i32) {
    let out = Command::cargo_bin("zwartlak")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

const IBAN: &str = "NL91ABNA0417164300";
const MAIL: &str = "jan.devries@example.nl";

#[test]
fn subject_and_config_errors_do_not_quote_values() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.txt"), "niets\n").unwrap();
    let input = d.join("a.txt");
    // A TOML syntax error on the line with the subject's IBAN and e-mail.
    let bad = d.join("subject.toml");
    std::fs::write(
        &bad,
        format!("name = \"Jan de Vries\"\niban = \"{IBAN}\" email = \"{MAIL}\"\n"),
    )
    .unwrap();
    // A CSV given as --subject.
    let csv = d.join("subject.csv");
    std::fs::write(&csv, format!("{MAIL};{IBAN}\nx;y\n")).unwrap();
    for subject in [&bad, &csv] {
        let (err, code) = stderr_of(&[
            "scan".as_ref(),
            input.as_os_str(),
            "--subject".as_ref(),
            subject.as_os_str(),
        ]);
        assert_eq!(code, 2, "{err}");
        assert!(!err.contains(IBAN) && !err.contains("0417164300"), "{err}");
        assert!(!err.contains(MAIL) && !err.contains("devries"), "{err}");
        assert!(err.contains("line 2") || err.contains("line 1"), "{err}");
        assert!(err.contains("column"), "{err}");
    }
    // An unquoted allow-list number in the configuration.
    let config = d.join("zwartlak.toml");
    std::fs::write(&config, "[allow]\nbsn = [123456782]\n").unwrap();
    let (err, code) = stderr_of(&[
        "scan".as_ref(),
        input.as_os_str(),
        "--config".as_ref(),
        config.as_os_str(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains("123456782") && !err.contains("3456"), "{err}");
    assert!(err.contains("zwartlak.toml:2:"), "{err}");
    // A syntax error in the configuration quotes no line either.
    std::fs::write(&config, format!("[allow]\nemail = [\"{MAIL}\" \"x\"]\n")).unwrap();
    let (err, code) = stderr_of(&[
        "scan".as_ref(),
        input.as_os_str(),
        "--config".as_ref(),
        config.as_os_str(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains(MAIL) && !err.contains("devries"), "{err}");
    assert!(err.contains("zwartlak.toml:2:"), "{err}");
}
