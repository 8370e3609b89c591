//! The roster: a list of known people (`--roster FILE`, CSV or XLSX with
//! columns such as name, bsn, iban, email, phone, address), every value of
//! every person matched in ONE case-insensitive Aho-Corasick pass.
//!
//! Owns the roster file format and the spelling variants of each value: a
//! name "Jan Pieter de Vries" is also looked for as "J.P. de Vries",
//! "J. P. de Vries", "J. de Vries", "De Vries, J.P.", "Vries, J.P. de",
//! "Vries de, J.P.", "De Vries, Jan" and "Vries, Jan de" (any case); a BSN
//! also grouped "123 456 782" / "1234.56.782"; an IBAN also in groups of four;
//! a phone number with and without separators and as +31. Findings from the
//! roster are high-confidence.

use super::names::lexicon::{Lexicon, TV, TV1};
use super::{Detector, Finding};
use crate::attribute::normalize;
use crate::kind::Kind;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::path::Path;

/// Confidence of a roster match.
const CONFIDENCE: f32 = 0.97;

/// Known people, matched in one pass.
pub struct Roster {
    ac: Option<AhoCorasick>,
    /// Per pattern: the kind it finds.
    kinds: Vec<Kind>,
    /// Values the pattern detectors find and normalize themselves (BSN, IBAN,
    /// e-mail, phone ...): looked up by normalized value, not searched for,
    /// so tens of thousands of rows cost a hash set, not automaton states.
    known: std::collections::HashSet<(Kind, String)>,
    people: usize,
}

/// A roster file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    #[error("{path}: {detail}")]
    File { path: String, detail: String },
}

/// One person's values, by kind.
#[derive(Debug, Default, Clone)]
pub struct Person {
    pub values: Vec<(Kind, String)>,
}

fn column_kind(header: &str) -> Option<Kind> {
    let h = header.trim().to_lowercase();
    let h = h.trim_matches(|c: char| !c.is_alphanumeric());
    Some(match h {
        "name" | "naam" | "full name" | "full_name" | "volledige naam" | "huurder" | "persoon" => {
            Kind::Name
        }
        "bsn" | "burgerservicenummer" => Kind::Bsn,
        "iban" | "rekeningnummer" | "rekening" | "bankrekening" => Kind::Iban,
        "email" | "e-mail" | "e-mailadres" | "emailadres" | "mail" => Kind::Email,
        "phone" | "telefoon" | "telefoonnummer" | "tel" | "mobiel" | "mobile" | "gsm" => {
            Kind::Phone
        }
        "address" | "adres" | "straat" | "woonadres" => Kind::Address,
        "postcode" | "zip" => Kind::Postcode,
        "id" | "id_document" | "paspoort" | "paspoortnummer" | "id-kaart" | "rijbewijs" => {
            Kind::IdDocument
        }
        "geboortedatum" | "birth_date" | "birthdate" | "date of birth" => Kind::BirthDate,
        _ => return None,
    })
}

/// People from rows of cells, the first row being the header.
fn people_from_rows(rows: &[Vec<String>]) -> Vec<Person> {
    let Some((header, body)) = rows.split_first() else {
        return Vec::new();
    };
    let cols: Vec<Option<Kind>> = header.iter().map(|h| column_kind(h)).collect();
    body.iter()
        .map(|row| Person {
            values: row
                .iter()
                .zip(&cols)
                .filter_map(|(cell, k)| {
                    let v = cell.trim();
                    match k {
                        Some(k) if !v.is_empty() => Some((*k, v.to_string())),
                        _ => None,
                    }
                })
                .collect(),
        })
        .filter(|p| !p.values.is_empty())
        .collect()
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let delimiter = crate::extract::csv::sniff_delimiter(text);
    let mut rdr = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    rdr.records()
        .filter_map(Result::ok)
        .map(|r| r.iter().map(str::to_string).collect())
        .collect()
}

fn xlsx_rows(path: &Path) -> Result<Vec<Vec<String>>, String> {
    use calamine::{open_workbook_auto, Data, Reader};
    let mut wb = open_workbook_auto(path).map_err(|e| e.to_string())?;
    let sheet = wb.sheet_names().first().cloned().ok_or("no worksheet")?;
    let range = wb.worksheet_range(&sheet).map_err(|e| e.to_string())?;
    Ok(range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    // Numbers stored as numbers (a BSN, a phone number without 0).
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                        format!("{}", *f as i64)
                    }
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect())
}

/// Spelling variants of a name as it stands in the roster.
pub fn name_variants(name: &str) -> Vec<String> {
    let lex = Lexicon::get();
    let mut buf = String::new();
    let words: Vec<&str> = name.split_whitespace().collect();
    let mut out = vec![words.join(" ")];
    // "Vries, Jan de" in the roster: turn it around first.
    if let Some((sur, given)) = name.split_once(',') {
        let given: Vec<&str> = given.split_whitespace().collect();
        let (tv_after, given): (Vec<&str>, Vec<&str>) = given
            .iter()
            .partition(|w| lex.flags(w, &mut buf) & (TV | TV1) != 0 && !w.ends_with('.'));
        let forward: Vec<&str> = given
            .iter()
            .chain(tv_after.iter())
            .copied()
            .chain(sur.split_whitespace())
            .collect();
        out.extend(name_variants(&forward.join(" ")));
        out.sort();
        out.dedup();
        return out;
    }
    // Given names, tussenvoegsel, surname: the tussenvoegsel starts at the
    // first lower-case particle after the first word.
    let tv_at = (1..words.len())
        .find(|&k| {
            let w = words[k];
            w.chars().next().is_some_and(char::is_lowercase)
                && lex.flags(w, &mut buf) & (TV | TV1) != 0
        })
        .unwrap_or(words.len().saturating_sub(1));
    if words.len() < 2 || tv_at == 0 {
        return out;
    }
    let given = &words[..tv_at];
    let rest = &words[tv_at..];
    let tv: Vec<&str> = rest
        .iter()
        .take_while(|w| w.chars().next().is_some_and(char::is_lowercase))
        .copied()
        .collect();
    let surname = rest[tv.len()..].join(" ");
    if surname.is_empty() {
        return out;
    }
    let tv = tv.join(" ");
    let initials: Vec<String> = given
        .iter()
        .filter_map(|g| g.chars().next())
        .map(|c| format!("{c}."))
        .collect();
    let all = initials.concat(); // "J.P."
    let spaced = initials.join(" "); // "J. P."
    let first = initials.first().cloned().unwrap_or_default(); // "J."
    let cap_tv = {
        let mut c = tv.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect::<String>())
            .unwrap_or_default()
    };
    let with_tv = |a: &str, b: &str| {
        if a.is_empty() {
            b.to_string()
        } else {
            format!("{a} {b}")
        }
    };
    let given_full = given.join(" ");
    for ini in [&all, &spaced, &first, &given_full, &given[0].to_string()] {
        out.push(format!("{} {}", ini, with_tv(&tv, &surname)));
        out.push(format!("{}, {}", with_tv(&cap_tv, &surname), ini));
        if !tv.is_empty() {
            out.push(format!("{}, {} {}", surname, ini, tv));
            out.push(format!("{} {}, {}", surname, tv, ini));
        } else {
            out.push(format!("{surname}, {ini}"));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Spelling variants of a value of another kind.
fn value_variants(kind: Kind, v: &str) -> Vec<String> {
    let digits: String = v.chars().filter(char::is_ascii_digit).collect();
    let mut out = vec![v.trim().to_string()];
    match kind {
        Kind::Bsn if digits.len() == 9 => {
            out.push(digits.clone());
            out.push(format!(
                "{} {} {}",
                &digits[..3],
                &digits[3..6],
                &digits[6..]
            ));
            out.push(format!(
                "{}.{}.{}",
                &digits[..4],
                &digits[4..6],
                &digits[6..]
            ));
        }
        Kind::Iban => {
            let compact: String = v.chars().filter(|c| !c.is_whitespace()).collect();
            let grouped = compact
                .as_bytes()
                .chunks(4)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect::<Vec<_>>()
                .join(" ");
            out.push(compact);
            out.push(grouped);
        }
        Kind::Phone if digits.len() >= 9 => {
            // National form "0612345678" from "+31612345678" / "0031...".
            let national = if let Some(rest) = digits.strip_prefix("0031") {
                format!("0{rest}")
            } else if v.trim_start().starts_with('+') && digits.starts_with("31") {
                format!("0{}", &digits[2..])
            } else {
                digits.clone()
            };
            if national.len() == 10 && national.starts_with('0') {
                let n = &national[1..];
                out.push(national.clone());
                out.push(format!("+31{n}"));
                out.push(format!("+31 {n}"));
                out.push(format!("0031{n}"));
                if let Some(sub) = national.strip_prefix("06") {
                    out.push(format!("06-{sub}"));
                    out.push(format!("06 {sub}"));
                    out.push(format!("+31 6 {sub}"));
                }
            }
        }
        _ => {}
    }
    out.sort();
    out.dedup();
    out
}

impl Roster {
    /// A roster of `people`.
    pub fn new(people: &[Person]) -> Self {
        let mut pats: Vec<String> = Vec::new();
        let mut kinds = Vec::new();
        let mut known = std::collections::HashSet::new();
        for p in people {
            for (kind, v) in &p.values {
                let vars = match kind {
                    Kind::Name => name_variants(v),
                    Kind::Address => value_variants(*kind, v),
                    _ => {
                        known.insert((*kind, normalize(*kind, v)));
                        continue;
                    }
                };
                for var in vars {
                    // Too short to be safe in one pass over all text ("Li", "06").
                    if var.chars().filter(|c| c.is_alphanumeric()).count() < 4 {
                        continue;
                    }
                    pats.push(var);
                    kinds.push(*kind);
                }
            }
        }
        let ac = (!pats.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                // Hundreds of thousands of patterns: the noncontiguous NFA
                // builds in a fraction of the time of the contiguous one.
                .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
                .build(&pats)
                .expect("roster automaton builds")
        });
        Roster {
            ac,
            kinds,
            known,
            people: people.len(),
        }
    }

    /// Number of people in the roster.
    pub fn len(&self) -> usize {
        self.people
    }

    pub fn is_empty(&self) -> bool {
        self.people == 0
    }

    /// People from a CSV (any common delimiter) or XLSX/XLS/ODS file.
    pub fn read_people(path: &Path) -> Result<Vec<Person>, RosterError> {
        let err = |detail: String| RosterError::File {
            path: path.display().to_string(),
            detail,
        };
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        let rows = if matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "xlsb" | "ods") {
            xlsx_rows(path).map_err(err)?
        } else {
            let bytes = std::fs::read(path).map_err(|e| err(e.to_string()))?;
            let text = match std::str::from_utf8(&bytes) {
                Ok(t) => t.trim_start_matches('\u{feff}').to_string(),
                Err(_) => encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned(),
            };
            csv_rows(&text)
        };
        let people = people_from_rows(&rows);
        if people.is_empty() {
            return Err(err(
                "no people found (expected a header row with columns such as name, bsn, iban, email, phone, address)"
                    .into(),
            ));
        }
        Ok(people)
    }

    /// A roster from several files.
    pub fn from_files(paths: &[impl AsRef<Path>]) -> Result<Self, RosterError> {
        let mut people = Vec::new();
        for p in paths {
            people.extend(Self::read_people(p.as_ref())?);
        }
        Ok(Roster::new(&people))
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

impl Detector for Roster {
    fn detect(&self, text: &str, _label: Option<&str>, out: &mut Vec<Finding>) {
        let Some(ac) = &self.ac else {
            return;
        };
        for m in ac.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            // Whole words and whole numbers only.
            let before = text[..s].chars().next_back();
            let after = text[e..].chars().next();
            if before.is_some_and(is_word_char) || after.is_some_and(is_word_char) {
                continue;
            }
            let kind = self.kinds[m.pattern().as_usize()];
            let value = &text[s..e];
            out.push(Finding {
                kind,
                start: s,
                end: e,
                confidence: CONFIDENCE,
                norm: match kind {
                    Kind::Name => super::names::collapse_ws(value),
                    _ => normalize(kind, value),
                },
                rule: "roster",
            });
        }
    }

    /// A value another detector found that is in the roster: high confidence.
    fn confirm(&self, f: &mut Finding) {
        if f.kind != Kind::Name && self.known.contains(&(f.kind, f.norm.clone())) {
            f.confidence = f.confidence.max(CONFIDENCE);
            f.rule = "roster";
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roster(csv: &str) -> Roster {
        Roster::new(&people_from_rows(&csv_rows(csv)))
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
            .with(Box::new(r));
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
        let r = roster("name\nJan de Vries\n");
        assert!(found(&r, "Jan de Vriesland").is_empty());
        assert_eq!(found(&r, "(Jan de Vries)").len(), 1);
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
}
