use super::*;
use crate::detect::validate;

#[test]
fn builtin_spec_loads() {
    let c = compiled();
    assert!(c.spec.chance.contains_key(&Kind::Bsn));
    assert_eq!(header_kind("01.01.20"), Some(Kind::Bsn));
    assert_eq!(header_kind("01.03.10"), Some(Kind::BirthDate));
    assert_eq!(header_kind("08.11.60"), Some(Kind::Postcode));
    assert_eq!(header_kind("Geboortedatum"), Some(Kind::BirthDate));
    assert_eq!(header_kind("Klantnummer"), None);
    assert_eq!(header_kind("01.02.40"), Some(Kind::Name));
    assert_eq!(header_kind("01.02.30"), None);
}

/// A small deterministic generator (xorshift64): the measurement below must
/// give the same numbers on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + (self.next() % 10) as u8))
            .collect()
    }
    fn letters(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'A' + (self.next() % 26) as u8))
            .collect()
    }
}

/// The chance rates in the data are what the validators do on random values
/// of the kind's shape (within three standard errors, or above: a higher
/// rate only makes the test stricter).
#[test]
fn chance_rates_match_the_validators() {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let n = 100_000u32;
    type Gen = fn(&mut Rng) -> String;
    type Check = fn(&str) -> Option<validate::Valid>;
    let shapes: [(Kind, Gen, Check); 4] = [
        (Kind::Bsn, |r| r.digits(9), validate::bsn),
        (
            Kind::Iban,
            |r| format!("NL{}{}{}", r.digits(2), r.letters(4), r.digits(10)),
            validate::iban,
        ),
        (
            Kind::Phone,
            |r| format!("0{}", r.digits(9)),
            validate::phone,
        ),
        (
            Kind::Postcode,
            |r| format!("{}{} {}", 1 + r.next() % 9, r.digits(3), r.letters(2)),
            validate::postcode,
        ),
    ];
    for (kind, gen, check) in shapes {
        let passed = (0..n).filter(|_| check(&gen(&mut r)).is_some()).count();
        let rate = passed as f64 / f64::from(n);
        let se = (rate * (1.0 - rate) / f64::from(n)).sqrt();
        let chance = compiled().spec.chance[&kind];
        assert!(
            chance >= rate - 3.0 * se && chance <= rate + 0.05,
            "{kind}: measured {rate:.4}, data says {chance}"
        );
    }
    assert_eq!(compiled().spec.chance[&Kind::BirthDate], 1.0);
}

fn finding(kind: Kind, start: usize, end: usize, confidence: f32) -> Finding {
    Finding {
        kind,
        start,
        end,
        confidence,
        norm: String::new(),
        rule: "t",
        roster: None,
    }
}

const A: Column = Column { table: 0, index: 0 };
const B: Column = Column { table: 0, index: 1 };

fn no_words(_: &str, _: Kind) -> Option<Polarity> {
    None
}

/// A column of `n` cells of which `pass` are one BSN each.
fn bsn_column(ev: &mut ColumnEvidence, col: Column, label: Option<&str>, n: usize, pass: usize) {
    for i in 0..n {
        let raw = if i < pass {
            vec![finding(Kind::Bsn, 0, 9, 0.45)]
        } else {
            vec![]
        };
        ev.observe(col, "123456789", label, &raw, &no_words);
    }
}

#[test]
fn a_column_of_valid_numbers_is_judged_by_its_values() {
    let mut ev = ColumnEvidence::default();
    bsn_column(&mut ev, A, None, 60, 58);
    bsn_column(&mut ev, B, None, 60, 6);
    let v = ev.judge();
    let a = v.get(A).unwrap();
    assert_eq!(
        a,
        Verdict {
            kind: Kind::Bsn,
            confidence: 0.9
        }
    );
    assert_eq!(v.get(B), None);
    assert_eq!(a.raises(Kind::Bsn, 0.45), Some(0.9));
    // another kind, or a finding above the verdict, keeps its confidence
    assert_eq!(a.raises(Kind::Name, 0.3), None);
    assert_eq!(a.raises(Kind::Bsn, 0.97), None);
}

#[test]
fn observe_returns_the_cells_value_while_a_verdict_is_possible() {
    let mut ev = ColumnEvidence::default();
    let raw = [
        finding(Kind::Name, 0, 3, 0.3),
        finding(Kind::Bsn, 0, 9, 0.45),
    ];
    assert_eq!(
        ev.observe(A, "123456782", None, &raw, &no_words),
        Some(raw[1].clone())
    );
    assert!(ev.possible(A, Kind::Bsn));
    assert!(!ev.possible(A, Kind::BirthDate));
    let neg = |l: &str, k: Kind| (k == Kind::Bsn && l == "Klantnr").then_some(Polarity::Negative);
    assert_eq!(
        ev.observe(B, "123456782", Some("Klantnr"), &raw, &neg),
        None
    );
    assert!(!ev.possible(B, Kind::Bsn));
    assert!(!ev.possible(Column { table: 9, index: 9 }, Kind::Bsn));
}

#[test]
fn a_coded_header_makes_a_small_column() {
    let mut ev = ColumnEvidence::default();
    bsn_column(&mut ev, A, Some("01.01.20"), 2, 2);
    bsn_column(&mut ev, B, None, 2, 2);
    let v = ev.judge();
    assert_eq!(
        v.get(A).map(|v| (v.kind, v.confidence)),
        Some((Kind::Bsn, 0.95))
    );
    // two passes without a header happen by chance once in 121 columns
    assert_eq!(v.get(B), None);
}

#[test]
fn cells_without_digits_are_no_trials_and_partial_matches_no_passes() {
    let mut ev = ColumnEvidence::default();
    bsn_column(&mut ev, A, None, 10, 10);
    for _ in 0..30 {
        ev.observe(A, "onbekend", None, &[], &no_words);
    }
    // "zie 123456782": the BSN does not span the cell
    for _ in 0..30 {
        let raw = [finding(Kind::Bsn, 4, 13, 0.45)];
        assert_eq!(ev.observe(B, "zie 123456782", None, &raw, &no_words), None);
    }
    let v = ev.judge();
    assert_eq!(v.get(A).map(|v| v.kind), Some(Kind::Bsn));
    assert_eq!(v.get(B), None);
}

#[test]
fn negative_words_and_other_kinds_block_a_verdict() {
    let neg =
        |l: &str, k: Kind| (k == Kind::Bsn && l == "Klantnummer").then_some(Polarity::Negative);
    let mut ev = ColumnEvidence::default();
    for _ in 0..50 {
        let raw = [finding(Kind::Bsn, 0, 9, 0.45)];
        ev.observe(A, "123456782", Some("Klantnummer"), &raw, &neg);
        // the header says phone: valid 11-check numbers there are no BSN column
        ev.observe(B, "123456782", Some("Telefoon"), &raw, &neg);
    }
    let v = ev.judge();
    assert!(v.is_empty(), "{v:?}");
}

#[test]
fn dates_need_a_header() {
    let mut ev = ColumnEvidence::default();
    for _ in 0..200 {
        let raw = [finding(Kind::BirthDate, 0, 10, 0.2)];
        ev.observe(A, "12-03-1971", Some("Ingangsdatum"), &raw, &no_words);
        ev.observe(B, "12-03-1971", Some("Geb. datum"), &raw, &no_words);
    }
    let v = ev.judge();
    assert_eq!(v.get(A), None);
    assert_eq!(v.get(B).map(|v| v.kind), Some(Kind::BirthDate));
}

#[test]
fn a_long_column_is_decided_on_its_first_values() {
    let mut ev = ColumnEvidence::default();
    let n = DECIDE_AFTER as usize;
    bsn_column(&mut ev, A, None, n - 1, n - 1);
    assert_eq!(ev.fixed(A), None);
    bsn_column(&mut ev, A, None, 1, 1);
    let fixed = ev.fixed(A).unwrap().unwrap();
    assert_eq!(fixed.kind, Kind::Bsn);
    // later values that fail do not undo it
    bsn_column(&mut ev, A, None, 5 * n, 0);
    assert_eq!(ev.judge().get(A), Some(fixed));
    // a column of chance passes is fixed without a verdict
    bsn_column(&mut ev, B, None, n, n / 11);
    assert_eq!(ev.fixed(B), Some(None));
}

#[test]
fn a_name_column_needs_its_header_and_name_shaped_cells() {
    let surnames = ["Kuiper", "de Vries", "Bouzid", "Stam", "van den Brink"];
    let mut ev = ColumnEvidence::default();
    let c = Column { table: 1, index: 0 };
    for _ in 0..4 {
        for s in surnames {
            let v = ev.observe(A, s, Some("01.02.40"), &[], &no_words).unwrap();
            assert_eq!(
                (v.kind, v.norm.as_str(), v.confidence),
                (Kind::Name, s, 0.0)
            );
            // the same cells without a header that names them
            assert_eq!(ev.observe(B, s, Some("Omschrijving"), &[], &no_words), None);
        }
        // a header that names names over organisations
        ev.observe(c, "Bouwbedrijf Stam B.V.", Some("Naam"), &[], &no_words);
        ev.observe(
            c,
            "Installatietechniek Kuiper",
            Some("Naam"),
            &[],
            &no_words,
        );
        ev.observe(c, "Stam", Some("Naam"), &[], &no_words);
    }
    let v = ev.judge();
    assert_eq!(v.get(A).map(|v| v.kind), Some(Kind::Name));
    assert_eq!(v.get(B), None);
    assert_eq!(v.get(c), None);
}
