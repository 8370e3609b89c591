//! The `address` detector: street + house number + toevoeging
//! ("Dorpsstraat 12", "Willem de Zwijgerlaan 5-II", "Weg naar Laren 3 bis").
//!
//! Owns the address grammar. Work starts only at a house number (a digit
//! `1-9` after a space); the word before it is looked up in the street-suffix
//! lexicon of `patterns/address/` ("straat", "laan", "hof", ...), and the street
//! is extended backwards over the words of its name ("Christiaan
//! Huygensstraat", "Koningin Julianalaan", "Burgemeester van Roijensingel").
//! Streets that start with a street word ("Laan van Meerdervoort", "Weg naar
//! Laren") and cells labelled as an address are read too. The postcode is its
//! own kind and is not part of the value.

use super::names::lexicon::{
    fold, Lexicon, FIRST, NOT_NAME, PLACE, STREET_PREFIX, STREET_WORD, SURNAME, TV, TV1,
};
use super::{Detector, Finding};
use crate::kind::Kind;

/// Finds street addresses.
pub struct AddressDetector {
    lex: &'static Lexicon,
}

impl Default for AddressDetector {
    fn default() -> Self {
        Self::new()
    }
}

impl AddressDetector {
    /// An address detector over the built-in word lists.
    pub fn new() -> Self {
        AddressDetector {
            lex: Lexicon::get(),
        }
    }
}

/// Whether any of eight bytes is an ASCII digit 1-9 (SWAR "has between"
/// test: bytes strictly between 0x30 and 0x3a).
#[inline]
fn has_digit_1_9(w: &[u8]) -> bool {
    const ONES: u64 = u64::MAX / 255;
    let x = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
    let low = x & (ONES * 127);
    let t = (ONES * (127 + 0x3a)).wrapping_sub(low) & !x & low.wrapping_add(ONES * (127 - 0x30));
    t & (ONES * 128) != 0
}

#[inline]
fn is_letter_byte(b: u8) -> bool {
    b.is_ascii_alphabetic() || b >= 0x80
}

/// Words on the same line before byte `end` (nearest first), separated by
/// single spaces: (start, end) pairs, at most `max`.
fn words_before(b: &[u8], mut end: usize, max: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    while out.len() < max {
        // Exactly the spaces between two words.
        let mut e = end;
        let mut spaces = 0;
        while e > 0 && b[e - 1] == b' ' {
            e -= 1;
            spaces += 1;
        }
        if spaces == 0 || spaces > 2 || e == 0 {
            break;
        }
        let mut s = e;
        while s > 0 && (is_letter_byte(b[s - 1]) || b[s - 1] == b'\'' || b[s - 1] == b'-') {
            s -= 1;
        }
        // Trim a leading hyphen or apostrophe that is not part of the word ("'t" is).
        while s < e && b[s] == b'-' {
            s += 1;
        }
        if s == e || !is_letter_byte(b[e - 1]) {
            break;
        }
        out.push((s, e));
        end = s;
        if s > 0 && !matches!(b[s - 1], b' ') {
            break;
        }
    }
    out
}

fn starts_upper(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Roman numerals used for floors ("12-II", "12 III").
fn is_roman(w: &[u8]) -> bool {
    !w.is_empty() && w.len() <= 4 && w.iter().all(|c| matches!(c, b'I' | b'V' | b'X'))
}

/// The end of the house number and toevoeging starting at byte `i` (a digit
/// 1-9), or None when this is not a house number (a postcode, an amount, a
/// time, a date, a phone number).
fn house_number(b: &[u8], i: usize) -> Option<usize> {
    let n = b.len();
    let mut e = i;
    while e < n && b[e].is_ascii_digit() {
        e += 1;
    }
    if e - i > 4 {
        return None;
    }
    let at = |k: usize| b.get(k).copied().unwrap_or(0);
    let word_end = |k: usize| !at(k).is_ascii_alphanumeric();
    // Postcode "7411 AB", amounts "12,50", times "12:30", dates "12-03-2024",
    // "12/3", phone numbers and percentages.
    if e - i == 4
        && at(e) == b' '
        && at(e + 1).is_ascii_uppercase()
        && at(e + 2).is_ascii_uppercase()
        && word_end(e + 3)
    {
        return None;
    }
    if matches!(at(e), b',' | b'.' | b':' | b'/' | b'%') && at(e + 1).is_ascii_digit() {
        return None;
    }
    if at(e) == b'-' && at(e + 1).is_ascii_digit() {
        let mut k = e + 1;
        while at(k).is_ascii_digit() {
            k += 1;
        }
        if k - (e + 1) > 3 || at(k) == b'-' {
            return None;
        }
        return Some(k); // 12-3
    }
    // Toevoeging.
    let c = at(e);
    if c.is_ascii_alphabetic() {
        // "12a", "12A", "12bis", "12hs"
        let mut k = e;
        while at(k).is_ascii_alphabetic() {
            k += 1;
        }
        let suffix = &b[e..k];
        if k - e == 1 || suffix.eq_ignore_ascii_case(b"bis") || suffix.eq_ignore_ascii_case(b"hs") {
            return Some(k);
        }
        return None; // "12e", "12km", "12ste": not a house number
    }
    if c == b'-' && at(e + 1).is_ascii_alphabetic() {
        let mut k = e + 1;
        while at(k).is_ascii_alphabetic() {
            k += 1;
        }
        let suffix = &b[e + 1..k];
        if k - (e + 1) == 1
            || is_roman(suffix)
            || suffix.eq_ignore_ascii_case(b"hs")
            || suffix.eq_ignore_ascii_case(b"bis")
        {
            return Some(k);
        }
        return Some(e);
    }
    if c == b' ' {
        let mut k = e + 1;
        while at(k).is_ascii_alphabetic() {
            k += 1;
        }
        let suffix = &b[e + 1..k];
        let next = at(k);
        let ends = !next.is_ascii_alphanumeric() && next != b'@';
        // A single capital followed by a full stop is an initial when a name
        // follows ("12 A. Smit", "12 A.J. de Vries"), a toevoeging at the end
        // of a sentence ("aan de Dorpsweg 12 A. Graag ...").
        if ends
            && ((suffix.len() == 1
                && suffix[0].is_ascii_uppercase()
                && (next != b'.' || !initial_before_name(b, k + 1)))
                || (suffix.len() > 1 && is_roman(suffix))
                || suffix == b"bis"
                || suffix == b"hs")
        {
            return Some(k);
        }
    }
    Some(e)
}

/// Whether the text after the full stop at `b[k - 1]` continues a name:
/// another initial ("A.J."), or a space and a tussenvoegsel or a word that
/// can be a first name or surname.
fn initial_before_name(b: &[u8], k: usize) -> bool {
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    if at(k).is_ascii_uppercase() && at(k + 1) == b'.' {
        return true;
    }
    if at(k) != b' ' {
        return false;
    }
    let s = k + 1;
    let mut e = s;
    while e < b.len() && (b[e].is_ascii_alphabetic() || b[e] >= 0x80 || b[e] == b'-') {
        e += 1;
    }
    let Ok(word) = std::str::from_utf8(&b[s..e]) else {
        return true; // cut inside a character: keep the cautious reading
    };
    if word.is_empty() {
        return false;
    }
    let mut buf = String::new();
    Lexicon::get().flags(word, &mut buf) & (FIRST | SURNAME | TV) != 0
}

impl AddressDetector {
    /// Whether a segment label or an inline label names an address field.
    fn address_label(label: &str) -> bool {
        let l = fold(label.trim().trim_end_matches(':'));
        matches!(
            l.rsplit([' ', '_']).next().unwrap_or(""),
            "adres" | "woonadres" | "straat" | "address" | "huisadres" | "bezoekadres"
        )
    }

    /// The street that ends right before the house number at byte `num`.
    /// Returns (street start, confidence).
    fn street_before(&self, text: &str, num: usize, label_ctx: bool) -> Option<(usize, f32)> {
        let b = text.as_bytes();
        // Cheap test first: the word before the number is capitalised.
        let &(s0, e0) = words_before(b, num, 1).first()?;
        let w0 = &text[s0..e0];
        if !starts_upper(w0) {
            return None;
        }
        let words = words_before(b, num, 6);
        let mut buf = String::new();
        let f0 = self.lex.flags(w0, &mut buf);
        let up0 = true;
        let suffix = self.lex.street_suffix_of(w0, &mut buf);
        let (mut start, conf) = match suffix {
            Some((_, strong)) if up0 => {
                if !strong && f0 & PLACE != 0 {
                    return None; // "Amsterdam 12"
                }
                // A weak ending before a year-like number: "Jaarverslag 2023".
                if !strong && b[num..].iter().take_while(|c| c.is_ascii_digit()).count() >= 4 {
                    return None;
                }
                (s0, if strong { 0.92 } else { 0.8 })
            }
            _ if f0 & STREET_WORD != 0 => (s0, 0.75),
            _ => {
                // "Weg naar Laren 5", "Laan van Nieuw Oost 3": a street word, then
                // lower-case connectors and capitalised words up to the number.
                let mut found = None;
                for (k, &(s, e)) in words.iter().enumerate().skip(1) {
                    let w = &text[s..e];
                    if starts_upper(w) && self.lex.flags(w, &mut buf) & STREET_WORD != 0 {
                        let (ns, ne) = words[k - 1];
                        if !starts_upper(&text[ns..ne]) {
                            found = Some(s);
                        }
                        break;
                    }
                }
                match found {
                    Some(s) => return Some((s, 0.85)),
                    None if label_ctx && up0 && f0 & NOT_NAME == 0 => (s0, 0.7),
                    None => return None,
                }
            }
        };
        // Extend over the words of the street's name.
        let weak = !matches!(suffix, Some((_, true)));
        let mut k = 1;
        while k < words.len() && k < 5 {
            let (s, e) = words[k];
            let w = &text[s..e];
            let fl = self.lex.flags(w, &mut buf);
            if starts_upper(w) {
                let lw = fold(w);
                if matches!(lw.as_str(), "de" | "het" | "'t") {
                    // "Het Rietveld 11", "De Brink 4"; not "De Dorpsstraat 12".
                    if weak {
                        start = s;
                    }
                    break;
                }
                if fl & TV != 0 && fl & STREET_PREFIX == 0 {
                    // A capitalised tussenvoegsel only opens the name ("Van Lennepstraat").
                    start = s;
                    break;
                }
                if fl & NOT_NAME != 0 && fl & (STREET_PREFIX | FIRST | SURNAME) == 0 {
                    break;
                }
                start = s;
                k += 1;
                continue;
            }
            // Lower-case tussenvoegsel inside the name ("Willem de Zwijgerlaan"),
            // only when a capitalised word comes before it.
            if fl & TV1 != 0 && k + 1 < words.len() {
                let (ps, pe) = words[k + 1];
                let pw = &text[ps..pe];
                let pf = self.lex.flags(pw, &mut buf);
                if starts_upper(pw) && (pf & NOT_NAME == 0 || pf & (STREET_PREFIX | FIRST) != 0) {
                    start = ps;
                    k += 2;
                    continue;
                }
            }
            break;
        }
        Some((start, conf))
    }
}

impl Detector for AddressDetector {
    fn detect(&self, text: &str, label: Option<&str>, out: &mut Vec<Finding>) {
        let b = text.as_bytes();
        let label_ctx = label.is_some_and(Self::address_label);
        let mut i = 1;
        let mut last_end = 0;
        while i < b.len() {
            // Skip eight bytes at a time while none of them is a digit 1-9.
            while i + 8 <= b.len() && !has_digit_1_9(&b[i..i + 8]) {
                i += 8;
            }
            if i >= b.len() {
                break;
            }
            let c = b[i];
            if !(b'1'..=b'9').contains(&c) || b[i - 1] != b' ' || i < last_end {
                i += 1;
                continue;
            }
            // The byte before the space(s) must end a word.
            let mut p = i - 1;
            while p > 0 && b[p] == b' ' {
                p -= 1;
            }
            if !is_letter_byte(b[p]) {
                i += 1;
                continue;
            }
            let Some(end) = house_number(b, i) else {
                i += 1;
                continue;
            };
            // A digit run continuing into more digits ("12 345") is not a number.
            if let Some((start, conf)) = self.street_before(text, i, label_ctx) {
                let value = &text[start..end];
                out.push(Finding {
                    kind: Kind::Address,
                    start,
                    end,
                    confidence: conf,
                    norm: super::names::collapse_ws(value),
                    rule: "address.street",
                    roster: None,
                });
                last_end = end;
                i = end.max(i + 1);
                continue;
            }
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addrs(text: &str) -> Vec<String> {
        addrs_with(text, None)
    }

    fn addrs_with(text: &str, label: Option<&str>) -> Vec<String> {
        let mut out = Vec::new();
        AddressDetector::new().detect(text, label, &mut out);
        out.into_iter()
            .filter(|f| f.confidence >= 0.5)
            .map(|f| text[f.start..f.end].to_string())
            .collect()
    }

    #[test]
    fn digit_scan_finds_every_digit() {
        for b in 0u8..=255 {
            for pos in 0..8 {
                let mut w = [b'x'; 8];
                w[pos] = b;
                assert_eq!(
                    has_digit_1_9(&w),
                    (b'1'..=b'9').contains(&b),
                    "{b} at {pos}"
                );
            }
        }
        let mut w = [0xffu8; 8];
        w[3] = b'0';
        assert!(!has_digit_1_9(&w));
    }

    #[test]
    fn plain_street_and_number() {
        assert_eq!(
            addrs("Zij woont op Dorpsstraat 12, 7411 AB Deventer."),
            ["Dorpsstraat 12"]
        );
        assert_eq!(addrs("Adres: Molenweg 3\n"), ["Molenweg 3"]);
    }

    #[test]
    fn toevoegingen() {
        for (text, want) in [
            ("Bloemgracht 12a te Zwolle", "Bloemgracht 12a"),
            ("Bloemgracht 12A te Zwolle", "Bloemgracht 12A"),
            ("Bloemgracht 12 A te Zwolle", "Bloemgracht 12 A"),
            ("Bloemgracht 12-II te Zwolle", "Bloemgracht 12-II"),
            ("Bloemgracht 12 bis te Zwolle", "Bloemgracht 12 bis"),
            ("Bloemgracht 12-3 te Zwolle", "Bloemgracht 12-3"),
            ("Bloemgracht 12-A te Zwolle", "Bloemgracht 12-A"),
            ("Bloemgracht 12 III, Zwolle", "Bloemgracht 12 III"),
            // A capital and a full stop at a sentence end is the toevoeging...
            (
                "woont aan de Bloemgracht 12 A. Graag tot ziens",
                "Bloemgracht 12 A",
            ),
            (
                "woont aan de Bloemgracht 12 A.\nTot ziens",
                "Bloemgracht 12 A",
            ),
            // ... before a name it is an initial.
            ("Bloemgracht 12 A. Jansen", "Bloemgracht 12"),
            ("Bloemgracht 12 A.J. Smit", "Bloemgracht 12"),
            ("Bloemgracht 12 P. van Dam", "Bloemgracht 12"),
        ] {
            assert_eq!(addrs(text), [want], "{text}");
        }
    }

    #[test]
    fn multi_word_streets() {
        assert_eq!(
            addrs("Christiaan Huygensstraat 120"),
            ["Christiaan Huygensstraat 120"]
        );
        assert_eq!(
            addrs("naar Hoge Hondstraat 7 verhuisd"),
            ["Hoge Hondstraat 7"]
        );
        assert_eq!(
            addrs("Koningin Julianalaan 44-III"),
            ["Koningin Julianalaan 44-III"]
        );
        assert_eq!(
            addrs("Burgemeester Jansenstraat 9"),
            ["Burgemeester Jansenstraat 9"]
        );
        assert_eq!(
            addrs("Willem de Zwijgerlaan 5"),
            ["Willem de Zwijgerlaan 5"]
        );
        assert_eq!(
            addrs("Het pand aan de Burgemeester van Roijensingel 3."),
            ["Burgemeester van Roijensingel 3"]
        );
        assert_eq!(
            addrs("Burgemeester Kuiper-straat 8"),
            ["Burgemeester Kuiper-straat 8"]
        );
    }

    #[test]
    fn street_word_first() {
        assert_eq!(addrs("Weg naar Hattem 68c"), ["Weg naar Hattem 68c"]);
        assert_eq!(addrs("Laan van Borgele 12"), ["Laan van Borgele 12"]);
        assert_eq!(addrs("Markt 3"), ["Markt 3"]);
        assert_eq!(addrs("Kraam op de Markt 3 bezet."), ["Markt 3"]);
    }

    #[test]
    fn a_name_before_the_street_is_not_part_of_it() {
        assert_eq!(
            addrs("Klacht van Anna Smit op Lindelaan 15 bis."),
            ["Lindelaan 15 bis"]
        );
        assert_eq!(addrs("Jan Hogerbeetsstraat 4"), ["Jan Hogerbeetsstraat 4"]);
        assert_eq!(addrs("Het Kwekersveld 11"), ["Het Kwekersveld 11"]);
        assert_eq!(addrs("Het Nieuwstad 11 is druk"), ["Het Nieuwstad 11"]);
    }

    #[test]
    fn sentence_words_are_not_part_of_the_street() {
        assert_eq!(addrs("In de Dorpsstraat 12 is lawaai."), ["Dorpsstraat 12"]);
        assert_eq!(addrs("Bewoner van Kerkstraat 4 klaagt."), ["Kerkstraat 4"]);
    }

    #[test]
    fn not_addresses() {
        assert!(addrs("Opiumwet 13b is van toepassing.").is_empty());
        assert!(addrs("Artikel 7 van de huurovereenkomst.").is_empty());
        assert!(addrs("De Dorpsstraat is afgesloten.").is_empty());
        assert!(addrs("Dorpsstraat 7411 AB").is_empty());
        assert!(addrs("Rotterdam 12 maart").is_empty());
        assert!(addrs("betaalde 12,50 euro").is_empty());
        assert!(addrs("om 12:30 uur").is_empty());
        assert!(addrs("Jaaroverzicht Rozenhof 2023").is_empty());
        assert!(addrs("Inkomensverklaring 2022").is_empty());
    }

    #[test]
    fn address_label_allows_unknown_streets() {
        assert_eq!(addrs_with("Zandvoort 12", Some("Adres")), ["Zandvoort 12"]);
        assert!(addrs("Zandvoort 12").is_empty());
    }

    #[test]
    fn diacritics_and_capitals() {
        assert_eq!(addrs("Rue de l'Église 4"), Vec::<String>::new());
        assert_eq!(addrs("Ştefanstraat 4"), ["Ştefanstraat 4"]);
        assert_eq!(addrs("DORPSSTRAAT 12"), ["DORPSSTRAAT 12"]);
    }
}
