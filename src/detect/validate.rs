//! Validators: the checks a candidate must pass after its pattern matched
//! (checksums, numbering plans, calendars). Each returns the normalized value
//! (the form `--subject` values and baselines compare on), or `None`.

use std::collections::HashSet;
use std::sync::OnceLock;

/// A validated candidate.
#[derive(Clone, Debug, PartialEq)]
pub struct Valid {
    /// Normalized value (BSN digits, IBAN compact upper case, phone E.164 ...).
    pub norm: String,
    /// When the validator shortened the match: its new length in bytes.
    pub len: Option<usize>,
    /// Added to the pattern's base confidence.
    pub bonus: f32,
}

impl Valid {
    fn new(norm: impl Into<String>) -> Self {
        Valid {
            norm: norm.into(),
            len: None,
            bonus: 0.0,
        }
    }
}

/// Digits of `s`.
pub fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// The BSN "elfproef": weights 9..2 and -1, sum divisible by 11, not zero.
/// Eight digits are read with a leading zero.
pub fn elfproef(digits: &str) -> bool {
    let d: Vec<u32> = digits
        .bytes()
        .map(|b| u32::from(b.wrapping_sub(b'0')))
        .collect();
    if d.iter().any(|&x| x > 9) {
        return false;
    }
    let d: Vec<u32> = match d.len() {
        9 => d,
        8 => std::iter::once(0).chain(d).collect(),
        _ => return false,
    };
    let sum: i64 = d[..8]
        .iter()
        .enumerate()
        .map(|(i, &x)| i64::from(x) * (9 - i as i64))
        .sum::<i64>()
        - i64::from(d[8]);
    sum != 0 && sum % 11 == 0
}

/// `s` as a BSN when its digits pass the eleven test (elfproef).
pub fn bsn(s: &str) -> Option<Valid> {
    let d = digits(s);
    if !elfproef(&d) {
        return None;
    }
    let norm = if d.len() == 8 { format!("0{d}") } else { d };
    let mut v = Valid::new(norm);
    // The typical written forms 1234.56.782 / 123 456 782 say "BSN" more than a bare run.
    if s.contains(['.', ' ']) {
        v.bonus = 0.1;
    }
    Some(v)
}

/// The IBAN registry facts of `patterns/iban.toml`: length and BBAN format
/// per country.
struct IbanTable {
    lengths: std::collections::HashMap<String, usize>,
    /// Per country: (count, class) runs, class `n` digit, `a` letter, `c` either.
    bban: std::collections::HashMap<String, Vec<(usize, u8)>>,
}

fn iban_table() -> &'static IbanTable {
    static T: OnceLock<IbanTable> = OnceLock::new();
    T.get_or_init(|| {
        #[derive(serde::Deserialize)]
        struct F {
            lengths: std::collections::HashMap<String, usize>,
            #[serde(default)]
            bban: std::collections::HashMap<String, String>,
        }
        let f: F = toml::from_str(crate::patterns::IBAN).expect("patterns/iban.toml is valid");
        let bban = f
            .bban
            .into_iter()
            .map(|(cc, spec)| {
                let runs = spec
                    .split_inclusive(['n', 'a', 'c'])
                    .filter_map(|r| {
                        let (num, class) = r.split_at(r.len() - 1);
                        Some((num.trim_end_matches('!').parse().ok()?, class.as_bytes()[0]))
                    })
                    .collect();
                (cc, runs)
            })
            .collect();
        IbanTable {
            lengths: f.lengths,
            bban,
        }
    })
}

/// Whether the BBAN (a compact IBAN after its first four characters) has
/// the country's format; true for a country without one in the table.
fn bban_fits(cc: &str, bban: &[u8]) -> bool {
    let Some(runs) = iban_table().bban.get(cc) else {
        return true;
    };
    let mut at = 0;
    for &(n, class) in runs {
        let Some(part) = bban.get(at..at + n) else {
            return false;
        };
        let ok = part.iter().all(|b| match class {
            b'n' => b.is_ascii_digit(),
            b'a' => b.is_ascii_uppercase(),
            _ => b.is_ascii_uppercase() || b.is_ascii_digit(),
        });
        if !ok {
            return false;
        }
        at += n;
    }
    at == bban.len()
}

/// ISO 13616 mod-97 check over a compact upper-case IBAN.
pub fn mod97(iban: &str) -> bool {
    if iban.len() < 5 || !iban.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return false;
    }
    let (head, tail) = iban.split_at(4);
    // The number in u64, reduced mod 97 only when it grows large (a division
    // per character made this the cost of reading a roster's IBANs).
    let mut rem: u64 = 0;
    for b in tail.bytes().chain(head.bytes()) {
        let v = if b.is_ascii_digit() {
            u64::from(b - b'0')
        } else {
            u64::from(b.to_ascii_uppercase() - b'A') + 10
        };
        rem = if v >= 10 { rem * 100 + v } else { rem * 10 + v };
        if rem >= 1 << 56 {
            rem %= 97;
        }
    }
    rem % 97 == 1
}

/// An IBAN: country code, its registry length and BBAN format, check
/// digits. Written compact or in any grouping with spaces, dashes or dots
/// ("ES 58 0049 ...", "ES15-0049-1806-..."); a form with dashes, dots or a
/// separator after the country code must be upper case. A greedy match that
/// ran on into the next word is cut back to the country's length.
pub fn iban(s: &str) -> Option<Valid> {
    let cc: String = s.chars().take(2).collect::<String>().to_ascii_uppercase();
    let len = *iban_table().lengths.get(&cc)?;
    let mut compact = String::with_capacity(len);
    let mut end = 0;
    let mut free_form = s.get(2..).is_some_and(|r| r.starts_with([' ', '-', '.']));
    for (i, c) in s.char_indices() {
        if matches!(c, ' ' | '-' | '.') {
            free_form |= c != ' ';
            continue;
        }
        if !c.is_ascii_alphanumeric() {
            break;
        }
        compact.push(c.to_ascii_uppercase());
        end = i + 1;
        if compact.len() == len {
            break;
        }
    }
    if compact.len() != len
        || !compact[2..4].bytes().all(|b| b.is_ascii_digit())
        || !bban_fits(&cc, &compact.as_bytes()[4..])
    {
        return None;
    }
    if free_form
        && !s
            .get(..2)
            .is_some_and(|c| c.bytes().all(|b| b.is_ascii_uppercase()))
    {
        return None;
    }
    // Letters after the account part of a Dutch IBAN mean we are inside a longer token.
    if !mod97(&compact) {
        return None;
    }
    // Mixed-case IBANs are typing accidents at best; all lower or all upper is what people write.
    let letters: String = s[..end].chars().filter(char::is_ascii_alphabetic).collect();
    if letters.chars().any(|c| c.is_ascii_lowercase())
        && letters.chars().any(|c| c.is_ascii_uppercase())
    {
        return None;
    }
    Some(Valid {
        norm: compact,
        len: Some(end),
        // Length, BBAN format and mod-97 together leave about one random
        // string in tens of thousands: stronger evidence than a name pattern
        // ("S.D") that may overlap a dotted IBAN.
        bonus: 0.06,
    })
}

/// `s` as an e-mail address when it has a valid shape (trailing dots and hyphens dropped).
pub fn email(s: &str) -> Option<Valid> {
    let s = s.trim_end_matches(['.', '-']);
    let (local, domain) = s.rsplit_once('@')?;
    if local.is_empty()
        || local.len() > 64
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
    {
        return None;
    }
    let tld = domain.rsplit('.').next()?;
    if domain.contains("..")
        || domain.starts_with(['.', '-'])
        || tld.len() < 2
        || !tld.bytes().all(|b| b.is_ascii_alphabetic())
        // RFC 2606: no mailbox exists under .invalid (redaction placeholders use it).
        || tld.eq_ignore_ascii_case("invalid")
    {
        return None;
    }
    Some(Valid {
        norm: s.to_lowercase(),
        len: Some(s.len()),
        bonus: if is_role_mailbox(local) {
            NOT_PERSONAL
        } else {
            0.0
        },
    })
}

/// The bonus of a valid value that belongs to an organisation, not a person
/// (a role mailbox, a service number): it brings the confidence that the value
/// is personal data below any threshold, so it is not reported.
const NOT_PERSONAL: f32 = -1.0;

/// Whether the local part of an e-mail address names a role or department
/// (`patterns/role_mailboxes.txt`), ignoring a `+tag`.
fn is_role_mailbox(local: &str) -> bool {
    static ROLES: OnceLock<HashSet<String>> = OnceLock::new();
    let roles = ROLES.get_or_init(|| {
        crate::patterns::ROLE_MAILBOXES
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect()
    });
    let base = local.split('+').next().unwrap_or(local);
    roles.contains(&base.to_ascii_lowercase())
}

/// Dutch area codes (without the trunk 0), from `patterns/phone_nl.toml`.
struct NlPlan {
    area2: Vec<String>,
    area3: Vec<String>,
    service: Vec<String>,
    mobile: Vec<String>,
    nongeo: Vec<String>,
    m2m: Vec<String>,
}

fn nl_plan() -> &'static NlPlan {
    static P: OnceLock<NlPlan> = OnceLock::new();
    P.get_or_init(|| {
        #[derive(serde::Deserialize)]
        struct F {
            area2: Vec<String>,
            area3: Vec<String>,
            service: Vec<String>,
            mobile: Vec<String>,
            nongeo: Vec<String>,
            m2m: Vec<String>,
        }
        let f: F =
            toml::from_str(crate::patterns::PHONE_NL).expect("patterns/phone_nl.toml is valid");
        NlPlan {
            area2: f.area2,
            area3: f.area3,
            service: f.service,
            mobile: f.mobile,
            nongeo: f.nongeo,
            m2m: f.m2m,
        }
    })
}

/// A phone number. Dutch national forms must be grouped the way the
/// numbering plan groups them: the first group is the whole trunk prefix
/// (`06`, `010`, `0570`, `(055)`) or the whole number, which keeps dates such
/// as `01-03-2025 10` out. Dutch numbers must lie in an assigned range of
/// the numbering plan; other countries are checked with `phonenumber`.
pub fn phone(s: &str) -> Option<Valid> {
    let t = s.trim();
    let (intl, rest) = if let Some(r) = t.strip_prefix('+') {
        (true, r)
    } else if let Some(r) = t.strip_prefix("00") {
        (true, r)
    } else {
        (false, t)
    };
    let d = digits(rest);
    let e164 = if intl {
        if let Some(nsn) = d.strip_prefix("31") {
            // +31 (0)6 ...: drop the trunk zero written in brackets.
            let nsn = if rest.contains("(0)") {
                nsn.strip_prefix('0').unwrap_or(nsn)
            } else {
                nsn
            };
            if nsn.starts_with('0') || nsn.len() != 9 {
                return None;
            }
            format!("+31{nsn}")
        } else {
            if d.len() < 8 || d.len() > 15 {
                return None;
            }
            format!("+{d}")
        }
    } else {
        if !d.starts_with('0') || d.starts_with("00") {
            return None;
        }
        if !nl_grouping_ok(rest, &d) || date_shaped(rest) {
            return None;
        }
        format!("+31{}", &d[1..])
    };
    let valid = match e164.strip_prefix("+31") {
        Some(nsn) => nl_valid(nsn),
        // Other countries: libphonenumber's metadata (loaded on first use).
        None => phonenumber::parse(None, &e164).is_ok_and(|p| phonenumber::is_valid(&p)),
    };
    if !valid {
        return None;
    }
    // 0800 / 0900 / 0906 / 0909 numbers are an organisation's service lines.
    let service = e164.strip_prefix("+31").is_some_and(|nsn| {
        nl_plan()
            .service
            .iter()
            .any(|p| nsn.starts_with(p.as_str()))
    });
    let mut v = Valid::new(e164);
    if service {
        v.bonus = NOT_PERSONAL;
    }
    Some(v)
}

/// A Dutch national significant number (without the trunk 0) that the
/// numbering plan assigns.
fn nl_valid(nsn: &str) -> bool {
    let plan = nl_plan();
    let has = |list: &[String]| list.iter().any(|p| nsn.starts_with(p.as_str()));
    match nsn.len() {
        // Mobile first: the most common, and the shortest list.
        9 => has(&plan.mobile) || has(&plan.area2) || has(&plan.area3) || has(&plan.nongeo),
        11 => has(&plan.m2m) || has(&plan.service),
        7..=10 => has(&plan.service),
        _ => false,
    }
}

/// A written number that starts like a date: day or month, separator, day
/// or month, separator, a year (`06-12-2023 10`).
fn date_shaped(written: &str) -> bool {
    let groups: Vec<&str> = written
        .trim_start_matches('(')
        .splitn(4, |c: char| !c.is_ascii_digit())
        .collect();
    let seps: Vec<char> = written
        .trim_start_matches('(')
        .chars()
        .filter(|c| !c.is_ascii_digit())
        .take(2)
        .collect();
    groups.len() >= 3
        && (1..=2).contains(&groups[0].len())
        && (1..=2).contains(&groups[1].len())
        && groups[2].len() == 4
        && (groups[2].starts_with("19") || groups[2].starts_with("20"))
        && seps.iter().all(|c| matches!(c, '-' | '.' | '/'))
}

/// The written grouping of a national number: the first group is the whole
/// number or exactly the trunk prefix (`06`, `010`, `0570`, `0800`); a
/// mobile number (`06`) may be grouped any way (`065555 5555`).
fn nl_grouping_ok(written: &str, d: &str) -> bool {
    let plan = nl_plan();
    let first: String = written
        .trim_start_matches('(')
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if plan.service.iter().any(|p| d[1..].starts_with(p.as_str())) {
        // 0800 / 0900 / 0906 / 0909: 4 + 4 or 4 + 7 digits.
        return (d.len() == 8 || d.len() == 11) && (first.len() == 4 || first.len() == d.len());
    }
    if d.len() != 10 {
        return d.len() == 12 && plan.m2m.iter().any(|p| d[1..].starts_with(p.as_str()));
    }
    let in_list = |list: &[String]| list.iter().any(|a| a == &first[1..]);
    match first.len() {
        10 => true,
        2 => first == "06",
        3 => in_list(&plan.area2) || in_list(&plan.nongeo),
        4 => in_list(&plan.area3) || first.starts_with("06"),
        _ => first.starts_with("06"),
    }
}

/// Dutch postcode: 4 digits (not starting with 0) and 2 letters, not SA/SD/SS.
pub fn postcode(s: &str) -> Option<Valid> {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() != 6 {
        return None;
    }
    let (num, letters) = compact.split_at(4);
    if num.starts_with('0') || !num.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let up = letters.to_ascii_uppercase();
    if !up.bytes().all(|b| b.is_ascii_uppercase()) || ["SA", "SD", "SS"].contains(&up.as_str()) {
        return None;
    }
    let mut v = Valid::new(format!("{num}{up}"));
    if letters != up {
        v.bonus = -0.3;
    }
    Some(v)
}

const MONTHS: &[(&str, u32)] = &[
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("april", 4),
    ("mei", 5),
    ("juni", 6),
    ("juli", 7),
    ("augustus", 8),
    ("september", 9),
    ("oktober", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mrt", 3),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("okt", 10),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("october", 10),
];

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Parse a calendar date written as d-m-yyyy, d/m/yyyy, d.m.yyyy,
/// yyyy-mm-dd or "1 april 1980" to (year, month, day).
pub fn parse_date(s: &str) -> Option<(u32, u32, u32)> {
    let s = s.trim();
    let parts: Vec<&str> = s
        .split(|c: char| c == '-' || c == '/' || c == '.' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() != 3 {
        return None;
    }
    let num = |p: &str| p.parse::<u32>().ok();
    let (y, m, d) = if parts[0].len() == 4 {
        (num(parts[0])?, num(parts[1])?, num(parts[2])?)
    } else {
        let m = match num(parts[1]) {
            Some(m) => m,
            None => {
                let name = parts[1].to_lowercase();
                MONTHS.iter().find(|(n, _)| *n == name).map(|&(_, m)| m)?
            }
        };
        (num(parts[2])?, m, num(parts[0])?)
    };
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some((y, m, d))
}

/// A date that can be a date of birth (a real calendar date, 1900 up to this year).
pub fn birth_date(s: &str) -> Option<Valid> {
    let (y, m, d) = parse_date(s)?;
    if !(1900..=current_year()).contains(&y) {
        return None;
    }
    Some(Valid::new(format!("{y:04}-{m:02}-{d:02}")))
}

fn current_year() -> u32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    (1970 + secs / 31_556_952) as u32
}

/// Dutch passport / identity card number: 9 characters, letters and digits,
/// no letter O, the last one a digit.
/// A driving-licence number is 10 digits. Context decides (see the pattern).
pub fn id_document(s: &str) -> Option<Valid> {
    let up = s.to_ascii_uppercase();
    let b = up.as_bytes();
    let ok = match b.len() {
        9 => {
            b[..2].iter().all(u8::is_ascii_uppercase)
                && b.iter().all(u8::is_ascii_alphanumeric)
                && !b.contains(&b'O')
                && b[8].is_ascii_digit()
        }
        10 => b.iter().all(u8::is_ascii_digit),
        _ => false,
    };
    ok.then(|| Valid::new(up))
}

/// Dutch licence plate in one of the side codes (checked by the pattern):
/// plates use no vowels and no C or Q.
pub fn license_plate(s: &str) -> Option<Valid> {
    let up = s.to_ascii_uppercase();
    if up.bytes().any(|b| b"AEIOUCQ".contains(&b)) {
        return None;
    }
    let norm: String = up.chars().filter(char::is_ascii_alphanumeric).collect();
    if norm.len() != 6
        || !norm.bytes().any(|b| b.is_ascii_digit())
        || !norm.bytes().any(|b| b.is_ascii_uppercase())
    {
        return None;
    }
    Some(Valid::new(norm))
}

/// The validator named in a detector's spec.
pub fn by_name(name: &str) -> Option<fn(&str) -> Option<Valid>> {
    Some(match name {
        "bsn" => bsn,
        "iban" => iban,
        "email" => email,
        "phone" => phone,
        "postcode" => postcode,
        "birth_date" => birth_date,
        "id_document" => id_document,
        "license_plate" => license_plate,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elfproef_vectors() {
        for ok in [
            "111222333",
            "123456782",
            "541772107",
            "11122237",
            "999999990",
        ] {
            assert!(elfproef(ok), "{ok} should pass");
        }
        for bad in [
            "123456789",
            "111222334",
            "000000000",
            "12345678a",
            "1234567",
            "1234567890",
        ] {
            assert!(!elfproef(bad), "{bad} should fail");
        }
        assert_eq!(bsn("1234.56.782").unwrap().norm, "123456782");
        assert_eq!(bsn("11122237").unwrap().norm, "011122237");
    }

    #[test]
    fn mod97_agrees_with_the_digit_by_digit_reduction() {
        // The textbook form: reduce after every character.
        let reference = |s: &str| {
            let (head, tail) = s.split_at(4);
            let mut rem = 0u32;
            for c in tail.chars().chain(head.chars()) {
                let v = c.to_digit(36).unwrap_or(0);
                rem = if v >= 10 { rem * 100 + v } else { rem * 10 + v } % 97;
            }
            rem == 1
        };
        let alphabet = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let (mut valid, mut n) = (0, 0);
        for len in 5..=34 {
            for _ in 0..2000 {
                let s: String = (0..len)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        alphabet[(x % 36) as usize] as char
                    })
                    .collect();
                assert_eq!(mod97(&s), reference(&s), "{s}");
                valid += usize::from(reference(&s));
                n += 1;
            }
        }
        // About one in 97 random strings passes: both branches were tried.
        assert!(valid > n / 200 && valid < n / 50, "{valid} of {n}");
    }

    #[test]
    fn iban_vectors() {
        for ok in [
            "NL91ABNA0417164300",
            "DE89370400440532013000",
            "GB82WEST12345698765432",
            "BE68539007547034",
            "FR1420041010050500013M02606",
        ] {
            assert!(mod97(ok), "{ok}");
            assert_eq!(iban(ok).unwrap().norm, ok);
        }
        assert_eq!(
            iban("NL91 ABNA 0417 1643 00").unwrap().norm,
            "NL91ABNA0417164300"
        );
        assert_eq!(
            iban("nl91abna0417164300").unwrap().norm,
            "NL91ABNA0417164300"
        );
        // runs on into the next word: cut back to the country's length
        let v = iban("NL91 ABNA 0417 1643 00 en").unwrap();
        assert_eq!(v.len, Some("NL91 ABNA 0417 1643 00".len()));
        for bad in [
            "NL92ABNA0417164300",
            "NL91ABNA041716430",
            "XX91ABNA0417164300",
            "Nl91abna0417164300",
        ] {
            assert!(iban(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn iban_free_form() {
        for (written, norm) in [
            ("ES 58 0049 0290 3424 1352 8341", "ES5800490290342413528341"),
            ("ES58-0049-0290-3424-1352-8341", "ES5800490290342413528341"),
            ("ES58.0049.0290.3424.1352.8341", "ES5800490290342413528341"),
            ("NL 91 AB NA 04 17 16 43 00", "NL91ABNA0417164300"),
            ("NL91-ABNA-041716-4300 en", "NL91ABNA0417164300"),
        ] {
            assert_eq!(
                iban(written).map(|v| v.norm),
                Some(norm.to_string()),
                "{written}"
            );
        }
        let v = iban("ES58-0049-0290-3424-1352-8341-12").unwrap();
        assert_eq!(v.len, Some("ES58-0049-0290-3424-1352-8341".len()));
        for bad in [
            // one check digit changed: fails mod-97
            "ES 59 0049 0290 3424 1352 8341",
            // lower case with dashes
            "es58-0049-0290-3424-1352-8341",
            // right length and mod-97, but letters where NL has digits
            "NL02ABNA04171643AB",
            "x",
            "é",
        ] {
            assert!(iban(bad).is_none(), "{bad}");
        }
        assert!(bban_fits("NL", b"ABNA0417164300"));
        assert!(!bban_fits("NL", b"ABNA041716430"));
        assert!(!bban_fits("NL", b"0BNA0417164300"));
    }

    #[test]
    fn phone_vectors() {
        let cases = [
            ("06-12345678", "+31612345678"),
            ("06 1234 5678", "+31612345678"),
            ("06 12 34 56 78", "+31612345678"),
            ("0612345678", "+31612345678"),
            ("+31 6 12345678", "+31612345678"),
            ("+31 (0)6 1234 5678", "+31612345678"),
            ("0031612345678", "+31612345678"),
            ("010-1234567", "+31101234567"),
            ("0570-612345", "+31570612345"),
            ("(055) 577 12 34", "+31555771234"),
            ("0570 61 23 45", "+31570612345"),
            ("085-1234567", "+31851234567"),
            ("+49 30 12345678", "+493012345678"),
        ];
        for (w, e) in cases {
            assert_eq!(phone(w).map(|v| v.norm), Some(e.to_string()), "{w}");
        }
        for bad in [
            "01-03-2025 10",
            "0612345",
            "1234567890",
            "06-1234567",
            "+31 6 1234567",
            "0123-456789",
            "00-00000000",
        ] {
            assert!(phone(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn postcode_vectors() {
        assert_eq!(postcode("7391 SM").unwrap().norm, "7391SM");
        assert_eq!(postcode("7391SM").unwrap().norm, "7391SM");
        for bad in [
            "0391 SM", "7391 SS", "7391 SA", "7391 SD", "739 SM", "7391 S1",
        ] {
            assert!(postcode(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn date_vectors() {
        assert_eq!(birth_date("01-04-1980").unwrap().norm, "1980-04-01");
        assert_eq!(birth_date("1-4-1980").unwrap().norm, "1980-04-01");
        assert_eq!(birth_date("1980-04-01").unwrap().norm, "1980-04-01");
        assert_eq!(birth_date("1 april 1980").unwrap().norm, "1980-04-01");
        assert_eq!(birth_date("29 februari 2000").unwrap().norm, "2000-02-29");
        for bad in [
            "31-04-1980",
            "29-02-1900",
            "1 foo 1980",
            "01-13-1980",
            "01-01-1850",
            "01-01-2999",
        ] {
            assert!(birth_date(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn id_and_plate_vectors() {
        assert!(id_document("GHQ653YX7").is_some());
        assert!(id_document("NW1234567").is_some());
        assert!(id_document("NWABCDEF7").is_some());
        assert!(id_document("NWABCDEFG").is_none());
        assert!(id_document("GHO653YX7").is_none());
        assert!(id_document("1234567890").is_some());
        assert_eq!(license_plate("S-519-VK").unwrap().norm, "S519VK");
        assert_eq!(license_plate("12-BDF-3").unwrap().norm, "12BDF3");
        assert!(license_plate("AB-12-CD").is_none());
    }

    #[test]
    fn emails() {
        assert_eq!(
            email("Jan.de.Vries@Example.NL").unwrap().norm,
            "jan.de.vries@example.nl"
        );
        assert_eq!(email("a@b.nl.").unwrap().len, Some(6));
        for bad in ["a@b", "@b.nl", "a..b@c.nl", "a@b.n1"] {
            assert!(email(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn organisation_values_are_valid_but_not_personal() {
        // Role mailboxes: valid addresses, but an organisation's.
        for role in [
            "info@woonbedrijf.nl",
            "Klantenservice@x.nl",
            "incasso+2024@x.nl",
        ] {
            let v = email(role).unwrap();
            assert!(v.bonus <= NOT_PERSONAL, "{role}");
        }
        for person in ["j.devries@x.nl", "informatie.jansen@x.nl", "info.piet@x.nl"] {
            assert_eq!(email(person).unwrap().bonus, 0.0, "{person}");
        }
        // Service numbers: valid, an organisation's.
        for service in ["0800-1234", "0900 123 4567", "0906-1234567"] {
            assert!(phone(service).unwrap().bonus <= NOT_PERSONAL, "{service}");
        }
        for person in ["06-12345678", "0570-123456", "+31 88 123 4567"] {
            assert_eq!(phone(person).unwrap().bonus, 0.0, "{person}");
        }
    }
}
