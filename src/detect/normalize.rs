//! The normal form of a value of every kind: how two spellings of one value
//! (a BSN with or without dots, an e-mail address in another case, a name
//! with other spaces) are known to be the same. Used by the roster to file
//! and confirm values and by attribution to compare findings with the
//! subjects' and kept values.

use super::validate;
use crate::kind::Kind;

/// Normalize a value of `kind` the way detectors do; falls back to a
/// lower-case alphanumeric form when the validator does not accept it.
pub fn normalize(kind: Kind, value: &str) -> String {
    let v = match kind {
        Kind::Bsn => validate::bsn(value).map(|v| v.norm),
        Kind::Iban => validate::iban(value).map(|v| v.norm),
        Kind::Email => validate::email(value).map(|v| v.norm),
        Kind::Phone => validate::phone(value).map(|v| v.norm),
        Kind::Postcode => validate::postcode(value).map(|v| v.norm),
        Kind::BirthDate => {
            validate::parse_date(value).map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
        }
        Kind::IdDocument | Kind::LicensePlate => None,
        Kind::Name | Kind::Address => Some(collapse(value).to_lowercase()),
    };
    v.unwrap_or_else(|| {
        value
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_uppercase()
    })
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_value_meet() {
        assert_eq!(
            normalize(Kind::Bsn, "111.222.333"),
            normalize(Kind::Bsn, "111222333")
        );
        assert_eq!(normalize(Kind::Name, "Jan  de\tVries"), "jan de vries");
        assert_eq!(normalize(Kind::IdDocument, "ab-12 34"), "AB1234");
        // A value its validator refuses falls back to letters and digits.
        assert_eq!(normalize(Kind::Bsn, "12-34"), "1234");
    }
}
