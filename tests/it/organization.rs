//! End-to-end: the organisation's own identifiers (`[organization]` in the
//! configuration) and a staff directory's contact details (`--keep`) are
//! reported with their owner and kept in redacted copies, while a third
//! party's values in the same letter are removed. Every value here is
//! invented (IBAN check digits computed for these test numbers).

use crate::util::zwartlak;
use std::path::Path;

const LETTER: &str = "\
Woonstichting Voorbeeldhof
Voorbeeldplein 7
9999 ZZ Voorbeeldstad
Telefoon 088-1234500

Geachte heer Bakker,

Uw huurachterstand kunt u overmaken op NL14 BNGH 0285 0012 34 ten name van Woonstichting Voorbeeldhof.
Uw vraag is doorgestuurd aan onze collega m.devries@voorbeeldhof.nl.

Uw buurman, de heer Pieter Smit, Lindelaan 14, 8888 AA Elders, telefoon 06-23456789,
rekeningnummer NL44 RABO 0123 4567 89, heeft een klacht ingediend.

Met vriendelijke groet,

An Jansen
Woonconsulent
T 088-1234511
E a.jansen@voorbeeldhof.nl
";

/// Staff numbers with no name near them: only the directory makes them staff's.
const NOTE: &str =
    "Huurder belt terug op 088 123 45 11 of mobiel 06-11112222.\nZijn zoon: 06-33334444.\n";

/// The organisation's values as the configuration spells them: other
/// spellings than the letter's on purpose.
const CONFIG: &str = r#"
[organization]
name = "Woonstichting Voorbeeldhof"
address = ["VOORBEELDPLEIN 7", "Postbus 999"]
postcode = ["9999ZZ"]
city = "Voorbeeldstad"
iban = "NL14BNGH0285001234"
phone = ["+31 88 123 45 00"]
domain = "voorbeeldhof.nl"
kvk = "12345678"
"#;

/// A staff directory in which the direct number is spelled differently
/// from the signature.
const STAFF: &str =
    "name,function,email,phone,mobile\nAn Jansen,woonconsulent,A.Jansen@voorbeeldhof.nl,088 123 45 11,06-11112222\n";

const KEPT: &[&str] = &[
    "Voorbeeldplein 7",
    "9999 ZZ",
    "088-1234500",
    "NL14 BNGH 0285 0012 34",
    "m.devries@voorbeeldhof.nl",
    "088-1234511",
    "a.jansen@voorbeeldhof.nl",
];
const REMOVED: &[&str] = &[
    "Lindelaan 14",
    "8888 AA",
    "06-23456789",
    "NL44 RABO 0123 4567 89",
    "Pieter Smit",
];

fn setup(dir: &Path, config: &str) {
    std::fs::create_dir_all(dir.join("d")).unwrap();
    std::fs::write(dir.join("d/brief.txt"), LETTER).unwrap();
    std::fs::write(dir.join("d/notitie.txt"), NOTE).unwrap();
    std::fs::write(dir.join("zwartlak.toml"), config).unwrap();
    std::fs::write(dir.join("subject.toml"), "name = \"K. Bakker\"\n").unwrap();
    std::fs::write(dir.join("staff.csv"), STAFF).unwrap();
}

fn redact(dir: &Path, out: &str) -> (Vec<serde_json::Value>, String) {
    let o = zwartlak()
        .current_dir(dir)
        .args([
            "redact",
            "d",
            "--config",
            "zwartlak.toml",
            "--subject",
            "subject.toml",
            "--keep",
            "staff.csv",
            "--format",
            "jsonl",
            "--out",
            out,
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let stdout = String::from_utf8(o.stdout).unwrap();
    let records = crate::util::records(&stdout);
    for v in KEPT.iter().chain(REMOVED) {
        assert!(!stdout.contains(v), "report shows a raw value: {v}");
    }
    let text = std::fs::read_to_string(dir.join(out).join("brief.txt")).unwrap();
    let note = std::fs::read_to_string(dir.join(out).join("notitie.txt")).unwrap();
    assert!(
        note.contains("088 123 45 11") && note.contains("06-11112222"),
        "staff directory numbers removed: {note}"
    );
    assert!(!note.contains("06-33334444"), "{note}");
    (records, text)
}

fn owners(records: &[serde_json::Value], owner: &str) -> Vec<String> {
    records
        .iter()
        .filter(|r| r["record"] == "finding" && r["owner"] == owner)
        .map(|r| r["kind"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn organisation_and_staff_values_are_reported_and_kept_third_party_removed() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path(), CONFIG);
    let (records, text) = redact(dir.path(), "out");
    for v in KEPT {
        assert!(text.contains(v), "kept value removed: {v}\n{text}");
    }
    for v in REMOVED {
        assert!(!text.contains(v), "third-party value left: {v}\n{text}");
    }
    let org = owners(&records, "organization");
    for kind in ["address", "postcode", "phone", "iban", "email"] {
        assert!(
            org.iter().any(|k| k == kind),
            "no {kind} of the organisation: {org:?}"
        );
    }
    let staff = owners(&records, "staff");
    assert!(staff.iter().any(|k| k == "phone"), "{staff:?}");
    assert!(staff.iter().any(|k| k == "email"), "{staff:?}");
}

#[test]
fn without_the_table_the_organisations_values_are_third_party() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path(), "min_confidence = 0.5\n");
    let (records, text) = redact(dir.path(), "out");
    assert!(owners(&records, "organization").is_empty());
    for v in ["NL14 BNGH 0285 0012 34", "088-1234500", "Voorbeeldplein 7"] {
        assert!(!text.contains(v), "{v} kept without configuration\n{text}");
    }
    // the staff directory's contacts are still kept (checked in `redact`)
    assert!(text.contains("088-1234511") && text.contains("a.jansen@voorbeeldhof.nl"));
}

#[test]
fn a_bad_organisation_value_is_a_usage_error_naming_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    setup(
        dir.path(),
        "[organization]\nname = \"Woonstichting Voorbeeldhof\"\niban = \"NL99BNGH0285001234\"\n",
    );
    let o = zwartlak()
        .current_dir(dir.path())
        .args(["scan", "d"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("zwartlak.toml:3:") && err.contains(": [organization] iban:"),
        "{err}"
    );
    assert!(!err.contains("NL99"), "{err}");
}
