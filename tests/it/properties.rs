//! Property tests: valid identifiers embedded in arbitrary text are always
//! found with the right normalized value; 9-digit numbers that fail the
//! 11-check never are BSNs; text made of name-like pieces never makes the
//! detectors panic, and every finding lies on character boundaries.

use proptest::prelude::*;
use zwartlak::detect::{Engine, Filter};
use zwartlak::kind::{Kind, KindSet};

fn engine() -> &'static Engine {
    static E: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    // Confidence 0: the property is about finding, not about scoring context.
    E.get_or_init(|| {
        Engine::builtin(Filter {
            min_confidence: 0.0,
            kinds: KindSet::all(),
        })
        .unwrap()
    })
}

/// Text around a token: anything but digits and characters that glue onto
/// the token (so the token stays a token), ending and starting with a space.
fn filler() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-zA-Zéëï,;:!?()\\n ]{0,80}")
        .unwrap()
        .prop_map(|s| format!(" {s} "))
}

fn bsn_digits() -> impl Strategy<Value = String> {
    proptest::collection::vec(0u32..10, 8).prop_filter_map("check digit 10", |d| {
        let s: u32 = d.iter().enumerate().map(|(i, x)| x * (9 - i as u32)).sum();
        let check = s % 11;
        (check < 10 && s > 0)
            .then(|| d.iter().map(|x| x.to_string()).collect::<String>() + &check.to_string())
    })
}

fn elfproef(d: &str) -> bool {
    let v: Vec<i64> = d.bytes().map(|b| i64::from(b - b'0')).collect();
    let s: i64 = v[..8]
        .iter()
        .enumerate()
        .map(|(i, x)| x * (9 - i as i64))
        .sum::<i64>()
        - v[8];
    s != 0 && s % 11 == 0
}

fn iban_nl() -> impl Strategy<Value = String> {
    ("[A-Z]{4}", "[0-9]{10}").prop_map(|(bank, acct)| {
        let s = format!("{bank}{acct}NL00");
        let mut rem = 0u64;
        for c in s.chars() {
            let v = u64::from(c.to_digit(36).unwrap());
            rem = if v >= 10 {
                (rem * 100 + v) % 97
            } else {
                (rem * 10 + v) % 97
            };
        }
        format!("NL{:02}{bank}{acct}", 98 - rem)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn valid_bsn_is_found(pre in filler(), bsn in bsn_digits(), post in filler(), form in 0usize..3) {
        let written = match form {
            0 => bsn.clone(),
            1 => format!("{}.{}.{}", &bsn[..4], &bsn[4..6], &bsn[6..]),
            _ => format!("{} {} {}", &bsn[..3], &bsn[3..6], &bsn[6..]),
        };
        let text = format!("{pre}{written}{post}");
        let found = engine().detect(&text, None);
        prop_assert!(found.iter().any(|f| f.kind == Kind::Bsn && f.norm == bsn && text[f.start..f.end] == written), "{text:?} {found:?}");
    }

    #[test]
    fn failing_eleven_check_is_never_bsn(pre in filler(), digits in "[0-9]{9}", post in filler(), context in proptest::bool::ANY) {
        prop_assume!(!elfproef(&digits));
        let text = format!("{pre}{}{digits}{post}", if context { "BSN: " } else { "" });
        let found = engine().detect(&text, None);
        prop_assert!(found.iter().all(|f| f.kind != Kind::Bsn), "{text:?} {found:?}");
    }

    #[test]
    fn valid_iban_is_found(pre in filler(), iban in iban_nl(), post in filler(), grouped in proptest::bool::ANY, lower in proptest::bool::ANY) {
        let mut written = if grouped {
            iban.as_bytes().chunks(4).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join(" ")
        } else {
            iban.clone()
        };
        if lower {
            written = written.to_lowercase();
        }
        let text = format!("{pre}{written}{post}");
        let found = engine().detect(&text, None);
        prop_assert!(found.iter().any(|f| f.kind == Kind::Iban && f.norm == iban && text[f.start..f.end] == written), "{text:?} {found:?}");
    }

    #[test]
    fn valid_mobile_number_is_found(pre in filler(), range in 1u32..6, rest in "[0-9]{7}", post in filler(), form in 0usize..6) {
        let nsn = format!("6{range}{rest}");
        let written = match form {
            0 => format!("0{nsn}"),
            1 => format!("06-{}", &nsn[1..]),
            2 => format!("06 {} {}", &nsn[1..5], &nsn[5..]),
            3 => format!("+31 6 {}", &nsn[1..]),
            4 => format!("+31 (0)6 {} {}", &nsn[1..5], &nsn[5..]),
            _ => format!("0031{nsn}"),
        };
        let text = format!("{pre}{written}{post}");
        let found = engine().detect(&text, None);
        let e164 = format!("+31{nsn}");
        prop_assert!(found.iter().any(|f| f.kind == Kind::Phone && f.norm == e164 && text[f.start..f.end] == written), "{text:?} {found:?}");
    }

    #[test]
    fn name_like_text_never_panics_and_findings_are_well_formed(
        pieces in proptest::collection::vec(name_piece(), 0..60)
    ) {
        let text = pieces.concat();
        let found = engine().detect(&text, None);
        for f in &found {
            prop_assert!(f.start < f.end && f.end <= text.len(), "{text:?} {f:?}");
            prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end), "{text:?} {f:?}");
        }
        // Also as a labelled cell (a "Naam" column).
        let _ = engine().detect(&text, Some("Naam"));
    }
}

/// Pieces of Dutch text around names: first names, surnames, tussenvoegsels
/// (also in capitals and with 't), initials, titles, roles, "en", commas,
/// line breaks, and odd characters.
fn name_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Jan ".to_string()),
        Just("Sanne ".to_string()),
        Just("de Vries".to_string()),
        Just("VAN 'T ".to_string()),
        Just("'T ".to_string()),
        Just("in 't ".to_string()),
        Just("J.P. ".to_string()),
        Just("A.".to_string()),
        Just("mevr. ".to_string()),
        Just("buurvrouw ".to_string()),
        Just("kinderen ".to_string()),
        Just(", het kind van ".to_string()),
        Just(" en ".to_string()),
        Just(", ".to_string()),
        Just("\n".to_string()),
        Just("Met vriendelijke groet,\n".to_string()),
        Just("Dorpsstraat 12 A. ".to_string()),
        Just("Çelik-Yılmaz ".to_string()),
        Just("’t ".to_string()),
        proptest::string::string_regex("[A-Z][a-zé]{0,8} ?").unwrap(),
        proptest::string::string_regex("[A-Z]{1,4}[,.:]? ?").unwrap(),
        proptest::string::string_regex("[\\PC]{0,3}").unwrap(),
    ]
}
