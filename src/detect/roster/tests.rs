//! Tests of the roster: file format, spelling forms, tokens, index and search.

use super::file::*;
use super::forms::*;
use super::index::*;
use super::search::*;
use crate::detect::normalize::normalize;
use crate::detect::{Detector, Finding};
use crate::kind::Kind;

/// A roster of CSV text, read as the file "t.csv".
fn roster(csv: &str) -> Roster {
    let mut b = Builder::default();
    let read = csv_rows(csv, |row, key, v| b.person(row, key, v));
    b.file_done("t.csv".into(), read.keys);
    b.finish()
}

/// The engine with `r`: every finding with its value and roster id.
fn ids(r: Roster, text: &str) -> Vec<(Kind, String, Option<String>)> {
    let engine = crate::detect::Engine::builtin(crate::detect::Filter::default())
        .unwrap()
        .with_roster(r);
    engine
        .detect(text, None)
        .into_iter()
        .map(|f| {
            let id = f.roster.and_then(|p| engine.roster_id(p));
            (f.kind, text[f.start..f.end].to_string(), id)
        })
        .collect()
}

fn id_of(found: &[(Kind, String, Option<String>)], kind: Kind, value: &str) -> String {
    let f = found.iter().find(|f| f.0 == kind && f.1 == value);
    let f = f.unwrap_or_else(|| panic!("no {kind} {value} in {found:?}"));
    f.2.clone()
        .unwrap_or_else(|| panic!("{kind} {value} has no roster id"))
}

fn found(r: &Roster, text: &str) -> Vec<(Kind, String)> {
    let mut out = Vec::new();
    r.detect(text, None, &mut out);
    out.into_iter()
        .map(|f| (f.kind, text[f.start..f.end].to_string()))
        .collect()
}

#[test]
fn name_variants_cover_the_usual_forms() {
    let v = name_variants("Jan Pieter de Vries");
    for want in [
        "Jan Pieter de Vries",
        "J.P. de Vries",
        "J. P. de Vries",
        "J. de Vries",
        "De Vries, J.P.",
        "Vries, J.P. de",
        "Vries de, J.P.",
        "Vries, J. de",
        "De Vries, Jan",
        "Vries, Jan de",
        "Jan de Vries",
    ] {
        assert!(v.iter().any(|x| x == want), "{want} missing from {v:?}");
    }
    // Surname-first in the roster gives the same forms.
    assert!(name_variants("Vries, Jan de")
        .iter()
        .any(|x| x == "J. de Vries"));
}

#[test]
fn one_pass_finds_every_value_of_every_person() {
    let r = roster(
        "naam;bsn;iban;e-mail;telefoon;adres\n\
         Jan Pieter de Vries;111222333;NL91ABNA0417164300;jan@voorbeeld.nl;06-12345678;Dorpsstraat 12\n\
         Ayşe Yılmaz;;;;+31 6 87654321;\n",
    );
    assert_eq!(r.len(), 2);
    let text = "DE VRIES, J.P. (bsn 111 222 333) betaalt van NL91 ABNA 0417 1643 00; \
                mail JAN@voorbeeld.nl of bel 0612345678. Ayşe Yılmaz: 06 87654321. \
                Woont Dorpsstraat 12.";
    // Names and addresses come from the roster's own pass ...
    let got = found(&r, text);
    let want = [
        (Kind::Name, "DE VRIES, J.P."),
        (Kind::Name, "Ayşe Yılmaz"),
        (Kind::Address, "Dorpsstraat 12"),
    ];
    assert_eq!(
        got,
        want.iter()
            .map(|(k, v)| (*k, v.to_string()))
            .collect::<Vec<_>>()
    );
    // ... numbers and e-mail addresses are confirmed by normalized value:
    // found by the pattern detectors, raised to roster confidence.
    let engine = crate::detect::Engine::builtin(crate::detect::Filter::default())
        .unwrap()
        .with_roster(r);
    let all = engine.detect(text, None);
    for (kind, v) in [
        (Kind::Bsn, "111 222 333"),
        (Kind::Iban, "NL91 ABNA 0417 1643 00"),
        (Kind::Email, "JAN@voorbeeld.nl"),
        (Kind::Phone, "0612345678"),
        (Kind::Phone, "06 87654321"),
    ] {
        let f = all
            .iter()
            .find(|f| f.kind == kind && &text[f.start..f.end] == v);
        let f = f.unwrap_or_else(|| panic!("{kind} {v} in {all:?}"));
        assert!(
            f.rule == "roster" && f.confidence >= CONFIDENCE,
            "{v}: {f:?}"
        );
    }
    // A BSN without context that is in the roster is reported; one that is not, is not.
    let bare = engine.detect("nummer 111222333 en 123456782", None);
    assert_eq!(bare.iter().filter(|f| f.kind == Kind::Bsn).count(), 1);
}

#[test]
fn only_whole_words_match() {
    let r = roster("name\nJan de Vries\nSanne Klerks\n");
    assert!(found(&r, "Jan de Vriesland").is_empty());
    assert_eq!(found(&r, "(Jan de Vries)").len(), 1);
    // A hyphen between words makes one name of them.
    assert!(found(&r, "Jan de Vries-Jansen").is_empty());
    assert!(found(&r, "VAN ESSEN-KLERKS, S.").is_empty());
    assert_eq!(
        found(&r, "Jan de Vries - Jansen; Klerks, S.-"),
        vec![
            (Kind::Name, "Jan de Vries".to_string()),
            (Kind::Name, "Klerks, S.".to_string())
        ]
    );
}

#[test]
fn files_without_known_columns_are_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("r.csv");
    std::fs::write(&p, "kleur;maat\nrood;3\n").unwrap();
    assert!(Roster::read_people(&p).is_err());
    std::fs::write(&p, "Naam,BSN\nJan de Vries,111222333\n").unwrap();
    assert_eq!(Roster::read_people(&p).unwrap().len(), 1);
}

#[test]
fn any_case_any_diacritics_any_spaces_but_a_capital_anchor() {
    let r = roster("naam\nAyşe Yılmaz\nJan de Vries\n");
    for text in [
        "AYŞE YILMAZ",
        "Ayse Yilmaz",
        "A. Yılmaz",
        "Yilmaz, A.",
        "YILMAZ, AYSE",
        "Jan  de\u{a0}Vries",
        "J.de Vries",
        "DE VRIES , J .",
        "Vries, Jan de",
    ] {
        assert_eq!(
            found(&r, &format!("Gesprek met {text}: akkoord.")),
            vec![(Kind::Name, text.to_string())],
            "{text}"
        );
    }
    // The anchor word (the surname) starts with a capital, as names do.
    assert!(found(&r, "gesprek met jan de vries en ayşe yılmaz").is_empty());
    // Not across a line break or a tab (a table cell).
    assert!(found(&r, "Jan de\nVries").is_empty());
    assert!(found(&r, "Jan de\tVries").is_empty());
    // The finding's normalized value has single spaces.
    let mut out = Vec::new();
    r.detect("Jan  de\u{a0}Vries", None, &mut out);
    assert_eq!(out[0].norm, "Jan de Vries");
}

#[test]
fn every_spelling_of_a_name_is_found_as_written() {
    for name in [
        "Jan Pieter de Vries",
        "Kees Jurriaan van Oorschot",
        "Maria van den Berg-Jansen",
        "Vries, Jan de",
        "Ayşe Yılmaz",
        "Sanne in 't Veld",
    ] {
        let r = roster(&format!("naam\n\"{name}\"\n"));
        for v in name_variants(name) {
            if v.chars().filter(|c| c.is_alphanumeric()).count() < MIN_ALNUM as usize {
                continue;
            }
            let text = format!("Zie ({v}) hier.");
            assert_eq!(
                found(&r, &text),
                vec![(Kind::Name, v.clone())],
                "{name}: {v}"
            );
        }
    }
}

#[test]
fn not_the_end_or_start_of_a_longer_name() {
    let r = roster("naam\nSanne Wolters\nFrits Brink\nSara Wal\n");
    for text in [
        "T.D.S. Wolters",
        "R. S. Wolters",
        "Van den Brink, F.",
        "Hoes-van den Brink, F.",
        "mevrouw Van den Brink, F. belde",
        "Wal, S. van der",
        "Wal, S. van der; Wolters, S. D.",
    ] {
        assert!(found(&r, text).is_empty(), "{text}");
    }
    for (text, want) in [
        ("Dr. S. Wolters", "S. Wolters"),
        ("een brief van Brink, F. over de lekkage", "Brink, F."),
        ("een brief van Brink, F. over", "Brink, F."),
        ("Wal, S. van afdeling Wonen", "Wal, S."),
        ("Wal, S. op 3 maart", "Wal, S."),
        ("Wolters, S.: akkoord", "Wolters, S."),
    ] {
        assert_eq!(
            found(&r, text),
            vec![(Kind::Name, want.to_string())],
            "{text}"
        );
    }
}

#[test]
fn short_forms_are_not_looked_for() {
    let r = roster("naam\nBo Li\n");
    assert_eq!(found(&r, "Bo Li"), vec![(Kind::Name, "Bo Li".to_string())]);
    assert!(found(&r, "B. Li en Li, B.").is_empty());
}

#[test]
fn the_leftmost_then_longest_form_wins() {
    let r = roster("naam\nJan de Vries\nPieter Jan de Vries\n");
    assert_eq!(
        found(&r, "Pieter Jan de Vries belde."),
        vec![(Kind::Name, "Pieter Jan de Vries".to_string())]
    );
    assert_eq!(
        found(&r, "Brief van De Vries, Jan en Vries, Pieter Jan de."),
        vec![
            (Kind::Name, "De Vries, Jan".to_string()),
            (Kind::Name, "Vries, Pieter Jan de".to_string()),
        ]
    );
}

#[test]
fn many_people_with_one_surname() {
    let given = [
        "Anna", "Bert", "Carla", "Dirk", "Eva", "Frits", "Greet", "Hans", "Ilse", "Joost",
    ];
    let mut csv = String::from("naam\n");
    for (i, a) in given.iter().enumerate() {
        for b in &given[i + 1..] {
            csv.push_str(&format!("{a} {b} Jansen\n"));
        }
    }
    let r = roster(&csv);
    assert_eq!(r.len(), 45);
    // Z. is nobody's initial; "Ilse Carla" nobody's given names, but
    // "Carla Jansen" is a form of eight people.
    let text = "Carla Ilse Jansen, A.J. Jansen, Jansen, G.H. en Jansen, Z. belden; \
                Ilse Carla Jansen ook.";
    assert_eq!(
        found(&r, text),
        [
            "Carla Ilse Jansen",
            "A.J. Jansen",
            "Jansen, G.H.",
            "Carla Jansen"
        ]
        .iter()
        .map(|v| (Kind::Name, v.to_string()))
        .collect::<Vec<_>>()
    );
}

#[test]
fn addresses_with_house_number_and_toevoeging() {
    let r = roster(
        "naam;adres\n\
         Jan de Vries;Dorpsstraat 12a, 1234 AB Utrecht\n\
         Piet Bakker;Lindelaan 4\n\
         Sara Smit;'s-Gravendijkwal 5 bis\n",
    );
    for (text, want) in [
        ("Dorpsstraat 12a", Some("Dorpsstraat 12a")),
        ("DORPSSTRAAT 12 A", Some("DORPSSTRAAT 12 A")),
        ("Dorpsstraat 12-a", Some("Dorpsstraat 12-a")),
        (
            "Dorpsstraat 12a, 1234 AB Utrecht",
            Some("Dorpsstraat 12a, 1234 AB Utrecht"),
        ),
        ("Dorpsstraat 12b", None),
        ("Dorpsstraat 12", None),
        ("Dorpsstraat 120a", None),
        ("Lindelaan 4", Some("Lindelaan 4")),
        ("Lindelaan 4 (achterom)", Some("Lindelaan 4")),
        ("Lindelaan 45", None),
        ("Lindelaan 4a", None),
        ("Lindelaan 4-b", None),
        ("('s-Gravendijkwal 5 bis)", Some("'s-Gravendijkwal 5 bis")),
        ("'s-Gravendijkwal 5bis", Some("'s-Gravendijkwal 5bis")),
        // Whole words: a form that starts with a mark is not inside a word.
        ("x's-Gravendijkwal 5 bis", None),
    ] {
        let got = found(&r, &format!("{text}."));
        let want: Vec<_> = want
            .into_iter()
            .map(|v| (Kind::Address, v.to_string()))
            .collect();
        assert_eq!(got, want, "{text}");
    }
}

#[test]
fn rosters_from_several_files() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.csv");
    std::fs::write(&a, "naam,bsn\nJan de Vries,111222333\n,\n").unwrap();
    std::fs::write(&b, "\u{feff}Naam;Adres\nPiet Bakker;Lindelaan 4\n").unwrap();
    let r = Roster::from_files(&[&a, &b]).unwrap();
    assert_eq!(r.len(), 2);
    assert_eq!(
        found(&r, "Piet Bakker, Lindelaan 4 en J. de Vries."),
        vec![
            (Kind::Name, "Piet Bakker".to_string()),
            (Kind::Address, "Lindelaan 4".to_string()),
            (Kind::Name, "J. de Vries".to_string()),
        ]
    );
    let mut bsn = Finding {
        kind: Kind::Bsn,
        start: 0,
        end: 9,
        confidence: 0.6,
        norm: "111222333".into(),
        rule: "bsn",
        roster: None,
    };
    r.confirm(&mut bsn);
    assert_eq!((bsn.rule, bsn.confidence), ("roster", CONFIDENCE));
    // Rows are numbered per file; the id names the file.
    assert_eq!(r.id(bsn.roster.unwrap()).as_deref(), Some("a.csv:1"));
    // A value of another kind with the same digits is not confirmed.
    let mut phone = Finding {
        kind: Kind::Phone,
        ..bsn.clone()
    };
    phone.rule = "phone";
    phone.roster = None;
    r.confirm(&mut phone);
    assert_eq!(phone.rule, "phone");
    assert_eq!(phone.roster, None);
}

#[test]
fn findings_carry_the_id_column() {
    let r = roster(
        "Klantnummer;Naam;IBAN;E-mail;Adres\n\
         K-1042;Jan Pieter de Vries;NL91ABNA0417164300;jan@voorbeeld.nl;Dorpsstraat 12\n\
         K-7;Ayşe Yılmaz;;ayse@voorbeeld.nl;Lindelaan 4\n",
    );
    let found = ids(
        r,
        "Brief van DE VRIES, J.P., Dorpsstraat 12 (NL91 ABNA 0417 1643 00, \
         jan@voorbeeld.nl). Kopie: A. Yilmaz, Lindelaan 4, ayse@voorbeeld.nl.",
    );
    for (kind, value, id) in [
        (Kind::Name, "DE VRIES, J.P.", "K-1042"),
        (Kind::Address, "Dorpsstraat 12", "K-1042"),
        (Kind::Iban, "NL91 ABNA 0417 1643 00", "K-1042"),
        (Kind::Email, "jan@voorbeeld.nl", "K-1042"),
        (Kind::Name, "A. Yilmaz", "K-7"),
        (Kind::Address, "Lindelaan 4", "K-7"),
        (Kind::Email, "ayse@voorbeeld.nl", "K-7"),
    ] {
        assert_eq!(id_of(&found, kind, value), id, "{kind} {value}");
    }
}

#[test]
fn id_columns_by_header() {
    for h in [
        "id",
        "ID",
        "Nr.",
        "nummer",
        "Klantnummer",
        "klant-nr.",
        "Huurdernummer",
        "relatie_nummer",
        "Debiteurnummer",
        "contractnummer",
    ] {
        assert!(key_rank(h).is_some(), "{h}");
        // An id column is never read as personal data.
        assert_eq!(column_kind(h), None, "{h}");
    }
    for h in [
        "naam",
        "bsn",
        "iban",
        "paspoortnummer",
        "id_document",
        "huisnummer",
    ] {
        assert_eq!(key_rank(h), None, "{h}");
    }
    // A register number is preferred to a bare "nr", wherever it stands.
    let r = roster("nr;naam;huurdernummer\n3;Jan de Vries;H-88\n");
    assert_eq!(r.id(0).as_deref(), Some("H-88"));
    // "id" is the row's id, not an identity document number.
    let r = roster("id;naam\nAB1234567;Jan de Vries\n");
    assert_eq!(r.id(0).as_deref(), Some("AB1234567"));
    let mut doc = Finding {
        kind: Kind::IdDocument,
        start: 0,
        end: 9,
        confidence: 0.6,
        norm: normalize(Kind::IdDocument, "AB1234567"),
        rule: "id_document",
        roster: None,
    };
    r.confirm(&mut doc);
    assert_eq!((doc.rule, doc.roster), ("id_document", None));
    // A passport column still is one.
    let r = roster("paspoortnummer;naam\nAB1234567;Jan de Vries\n");
    r.confirm(&mut doc);
    assert_eq!((doc.rule, doc.roster), ("roster", Some(0)));
}

#[test]
fn without_an_id_column_the_file_and_row_name_the_person() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("huurders.csv");
    // Data rows: 1 Jan, 2 empty (no person, still a row), 3 Piet.
    std::fs::write(
        &a,
        "naam;iban\nJan de Vries;NL91ABNA0417164300\n;\nPiet Bakker;\n",
    )
    .unwrap();
    // Rows without an id fall back too.
    let b = dir.path().join("b.csv");
    std::fs::write(&b, "klantnr;naam\nK-5;Sara Smit\n;Frits Brink\n").unwrap();
    let r = Roster::from_files(&[&a, &b]).unwrap();
    let found = ids(
        r,
        "Jan de Vries, NL91ABNA0417164300, Piet Bakker, Sara Smit en Frits Brink.",
    );
    for (kind, value, id) in [
        (Kind::Name, "Jan de Vries", "huurders.csv:1"),
        (Kind::Iban, "NL91ABNA0417164300", "huurders.csv:1"),
        (Kind::Name, "Piet Bakker", "huurders.csv:3"),
        (Kind::Name, "Sara Smit", "K-5"),
        (Kind::Name, "Frits Brink", "b.csv:2"),
    ] {
        assert_eq!(id_of(&found, kind, value), id, "{kind} {value}");
    }
    // read_people gives the same ids.
    let people = Roster::read_people(&a).unwrap();
    let got: Vec<&str> = people.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(got, ["huurders.csv:1", "huurders.csv:3"]);
}

#[test]
fn an_id_column_of_bsns_is_not_used() {
    // 111222333 and 123456782 pass the 11-check: a register keyed by BSN.
    let r = roster("id;naam\n111222333;Jan de Vries\n123456782;Piet Bakker\n");
    assert_eq!(r.id(0).as_deref(), Some("t.csv:1"));
    assert_eq!(r.id(1).as_deref(), Some("t.csv:2"));
    // Written with dots, or as the only id of the file: refused as well.
    let r = roster("klantnummer;naam\n1112.22.333;Jan de Vries\n");
    assert_eq!(r.id(0).as_deref(), Some("t.csv:1"));
    // Customer numbers of which one happens to pass the check: the
    // others are used, that one is not.
    let r = roster(
        "klantnummer;naam\n100200300;Jan de Vries\n111222333;Piet Bakker\n\
         100200301;Sara Smit\n",
    );
    let got: Vec<_> = (0..3).map(|i| r.id(i).unwrap()).collect();
    assert_eq!(got, ["100200300", "t.csv:2", "100200301"]);
    // The same in a roster made from a list of people.
    let person = |id: &str, name: &str| Person {
        id: id.into(),
        values: vec![(Kind::Name, name.into())],
    };
    let r = Roster::new(&[person("111222333", "Jan de Vries"), person("", "Sara Smit")]);
    assert_eq!(r.id(0).as_deref(), Some("1"));
    assert_eq!(r.id(1).as_deref(), Some("2"));
    let r = Roster::new(&[person("K-1", "Jan de Vries")]);
    assert_eq!(r.id(0).as_deref(), Some("K-1"));
}

#[test]
fn a_value_of_several_rows_is_the_first_rows() {
    // Partners share an IBAN and an address; "J. de Vries" is a form of
    // Jan and of Johan. The first row wins, whatever the ids sort like.
    let csv = "nr;naam;iban;adres\n\
               Z-9;Jan de Vries;NL91ABNA0417164300;Dorpsstraat 12\n\
               A-1;Johan de Vries;NL91ABNA0417164300;Dorpsstraat 12\n";
    let text = "J. de Vries, Johan de Vries, Dorpsstraat 12, NL91ABNA0417164300.";
    let found = ids(roster(csv), text);
    for (kind, value, id) in [
        (Kind::Name, "J. de Vries", "Z-9"),
        (Kind::Name, "Johan de Vries", "A-1"),
        (Kind::Address, "Dorpsstraat 12", "Z-9"),
        (Kind::Iban, "NL91ABNA0417164300", "Z-9"),
    ] {
        assert_eq!(id_of(&found, kind, value), id, "{kind} {value}");
    }
    // Rows swapped: the other one is first.
    let swapped = "nr;naam;iban;adres\n\
                   A-1;Johan de Vries;NL91ABNA0417164300;Dorpsstraat 12\n\
                   Z-9;Jan de Vries;NL91ABNA0417164300;Dorpsstraat 12\n";
    let found = ids(roster(swapped), text);
    assert_eq!(id_of(&found, Kind::Name, "J. de Vries"), "A-1");
    assert_eq!(id_of(&found, Kind::Iban, "NL91ABNA0417164300"), "A-1");
    assert_eq!(id_of(&found, Kind::Address, "Dorpsstraat 12"), "A-1");
}
