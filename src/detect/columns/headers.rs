//! The header dictionary: which kind of personal data a column header names.
//! Words, phrases and abbreviations in Dutch and English, and the element
//! codes of the Dutch person register (GBA/BRP rubrieknummers such as
//! `01.01.20`), read from the `[[header]]` entries of
//! `patterns/columns.toml`.
//!
//! A header names a kind when it holds one of the kind's words as whole
//! words ("BSN partner", "geboorte_datum", "DatumGeboorte": camel case and
//! punctuation split words), when it is one of them written together
//! ("Geb.datum" = "gebdatum"), or when it holds one of the kind's codes: a
//! full rubriek `CC.GG.EE`, an element `GG.EE` ("burgerservicenummer
//! (01.20)"), or the rubriek as a bare number (`010120`, `10120`).

use crate::kind::Kind;
use regex::Regex;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

/// One `[[header]]` entry of `patterns/columns.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The kind such a column holds.
    pub kind: Kind,
    /// Words, phrases and abbreviations that name it.
    #[serde(default)]
    pub words: Vec<String>,
    /// GBA/BRP codes: full rubrieken `CC.GG.EE` or elements `GG.EE`.
    #[serde(default)]
    pub codes: Vec<String>,
}

/// The dictionary, compiled for lookups.
pub struct Headers {
    /// Token sequences of the words, with their kind.
    phrases: Vec<(Vec<String>, Kind)>,
    /// Every word written together ("gebdatum"), with its kind.
    compact: HashMap<String, Kind>,
    /// Codes without dots (`010120`, `0120`), with their kind.
    codes: HashMap<String, Kind>,
}

/// A header cut into lower-case words: at punctuation, spaces and camel
/// case boundaries ("DatumGeboorte" → datum, geboorte).
pub fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if c.is_alphanumeric() {
            if c.is_uppercase() && prev_lower && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = c.is_lowercase();
            cur.extend(c.to_lowercase());
        } else {
            prev_lower = false;
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn code_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?:^|[^0-9.])((?:[0-9]{2}\.)?[0-9]{2}\.[0-9]{2})(?:$|[^0-9.])")
            .expect("code pattern compiles")
    })
}

impl Headers {
    /// The dictionary of `entries`; a code that is not `GG.EE` or
    /// `CC.GG.EE` is an error.
    pub fn new(entries: &[Entry]) -> Result<Self, String> {
        let mut phrases = Vec::new();
        let mut compact = HashMap::new();
        let mut codes = HashMap::new();
        for e in entries {
            for w in &e.words {
                let ws = words(w);
                if ws.is_empty() {
                    return Err(format!("{}: empty header word {w:?}", e.kind));
                }
                compact.insert(ws.concat(), e.kind);
                phrases.push((ws, e.kind));
            }
            for c in &e.codes {
                let parts: Vec<&str> = c.split('.').collect();
                let ok = matches!(parts.len(), 2 | 3)
                    && parts
                        .iter()
                        .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()));
                if !ok {
                    return Err(format!("{}: code {c:?} is not GG.EE or CC.GG.EE", e.kind));
                }
                codes.insert(parts.concat(), e.kind);
            }
        }
        // Longer phrases first: "datum geboorte" before "datum".
        phrases.sort_by_key(|(ws, _)| std::cmp::Reverse(ws.len()));
        Ok(Headers {
            phrases,
            compact,
            codes,
        })
    }

    /// The kind the header `h` names, if any. Codes first (a coded header
    /// often repeats the element's name), then words.
    pub fn kind_of(&self, h: &str) -> Option<Kind> {
        let t = h.trim();
        if (5..=6).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) {
            // A rubrieknummer as a number loses its leading zero (10120).
            if let Some(&k) = self.codes.get(&format!("{t:0>6}")) {
                return Some(k);
            }
        }
        for m in code_re().captures_iter(t) {
            let code = m[1].replace('.', "");
            if let Some(&k) = self.codes.get(&code) {
                return Some(k);
            }
        }
        let ws = words(t);
        if ws.is_empty() {
            return None;
        }
        if let Some(&k) = self.compact.get(&ws.concat()) {
            return Some(k);
        }
        self.phrases
            .iter()
            .find(|(p, _)| ws.windows(p.len()).any(|w| w == p.as_slice()))
            .map(|&(_, k)| k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict() -> Headers {
        let e = |kind, words: &[&str], codes: &[&str]| Entry {
            kind,
            words: words.iter().map(|s| s.to_string()).collect(),
            codes: codes.iter().map(|s| s.to_string()).collect(),
        };
        Headers::new(&[
            e(
                Kind::Bsn,
                &["bsn", "burgerservicenummer"],
                &["01.01.20", "01.20"],
            ),
            e(
                Kind::BirthDate,
                &["geboortedatum", "geb.datum", "date of birth"],
                &["01.03.10"],
            ),
        ])
        .unwrap()
    }

    #[test]
    fn words_split_at_case_and_punctuation() {
        assert_eq!(words("DatumGeboorte"), vec!["datum", "geboorte"]);
        assert_eq!(words("geboorte_datum (1)"), vec!["geboorte", "datum", "1"]);
        assert_eq!(words("BSN-nummer"), vec!["bsn", "nummer"]);
        assert_eq!(words(" "), Vec::<String>::new());
    }

    #[test]
    fn words_phrases_and_compact_forms() {
        let d = dict();
        assert_eq!(d.kind_of("BSN"), Some(Kind::Bsn));
        assert_eq!(d.kind_of("bsn partner"), Some(Kind::Bsn));
        assert_eq!(d.kind_of("Geb. datum"), Some(Kind::BirthDate));
        assert_eq!(d.kind_of("GebDatum"), Some(Kind::BirthDate));
        assert_eq!(d.kind_of("Date of birth"), Some(Kind::BirthDate));
        assert_eq!(d.kind_of("dateOfBirth"), Some(Kind::BirthDate));
        // a word inside another word is not the word
        assert_eq!(d.kind_of("bsnx"), None);
        assert_eq!(d.kind_of("datum"), None);
        assert_eq!(d.kind_of(""), None);
    }

    #[test]
    fn codes_in_every_spelling() {
        let d = dict();
        assert_eq!(d.kind_of("01.01.20"), Some(Kind::Bsn));
        assert_eq!(d.kind_of("010120"), Some(Kind::Bsn));
        assert_eq!(d.kind_of("10120"), Some(Kind::Bsn));
        assert_eq!(d.kind_of("burgerservicenummer (01.20)"), Some(Kind::Bsn));
        assert_eq!(d.kind_of("01.03.10 Geboortedatum"), Some(Kind::BirthDate));
        assert_eq!(d.kind_of("[01.03.10]"), Some(Kind::BirthDate));
        // a code that is not listed, or digits that are part of a date, are not one
        assert_eq!(d.kind_of("01.03.20"), None);
        assert_eq!(d.kind_of("01.01.2020"), None);
        assert_eq!(d.kind_of("1.01.20"), None);
        assert_eq!(d.kind_of("123456"), None);
    }

    #[test]
    fn bad_codes_are_errors() {
        let e = Entry {
            kind: Kind::Bsn,
            words: vec![],
            codes: vec!["1.20".into()],
        };
        assert!(Headers::new(&[e]).is_err());
    }
}
