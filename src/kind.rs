//! The finding kinds of the SPEC: stable lower-case names that never change meaning.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a finding is. The serialized names are fixed by `SPEC.md`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A Dutch citizen service number (burgerservicenummer).
    Bsn,
    /// An international bank account number.
    Iban,
    /// An e-mail address.
    Email,
    /// A telephone number.
    Phone,
    /// A person's name.
    Name,
    /// A street address.
    Address,
    /// A Dutch postcode (`1234 AB`).
    Postcode,
    /// A date of birth.
    BirthDate,
    /// The number of an identity document (passport, ID card, driving licence).
    IdDocument,
    /// A vehicle registration plate.
    LicensePlate,
}

impl Kind {
    /// Every kind, in the order reports list them.
    pub const ALL: [Kind; 10] = [
        Kind::Bsn,
        Kind::Iban,
        Kind::Email,
        Kind::Phone,
        Kind::Name,
        Kind::Address,
        Kind::Postcode,
        Kind::BirthDate,
        Kind::IdDocument,
        Kind::LicensePlate,
    ];

    /// The SPEC name (`bsn`, `birth_date`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Bsn => "bsn",
            Kind::Iban => "iban",
            Kind::Email => "email",
            Kind::Phone => "phone",
            Kind::Name => "name",
            Kind::Address => "address",
            Kind::Postcode => "postcode",
            Kind::BirthDate => "birth_date",
            Kind::IdDocument => "id_document",
            Kind::LicensePlate => "license_plate",
        }
    }

    /// The label a redaction writes in place of a value of this kind.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Bsn => "[BSN]",
            Kind::Iban => "[IBAN]",
            Kind::Email => "[e-mail]",
            Kind::Phone => "[telefoon]",
            Kind::Name => "[naam]",
            Kind::Address => "[adres]",
            Kind::Postcode => "[postcode]",
            Kind::BirthDate => "[geboortedatum]",
            Kind::IdDocument => "[ID-nummer]",
            Kind::LicensePlate => "[kenteken]",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error for an unknown kind name.
#[derive(Debug, thiserror::Error)]
#[error("unknown kind `{0}` (expected one of: bsn, iban, email, phone, name, address, postcode, birth_date, id_document, license_plate, any)")]
pub struct UnknownKind(pub String);

impl FromStr for Kind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == t)
            .ok_or_else(|| UnknownKind(s.to_string()))
    }
}

/// A set of kinds, as given to `--fail-on` (`any` means all of them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KindSet(u16);

impl KindSet {
    /// The set of every kind.
    pub fn all() -> Self {
        KindSet((1 << Kind::ALL.len()) - 1)
    }
    /// Add `k` to the set.
    pub fn insert(&mut self, k: Kind) {
        self.0 |= 1 << (k as u16);
    }
    /// Whether `k` is in the set.
    pub fn contains(self, k: Kind) -> bool {
        self.0 & (1 << (k as u16)) != 0
    }
    /// Whether the set has no kinds.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// Parse a comma-separated list such as `bsn,iban` or `any`.
    pub fn parse(list: &str) -> Result<Self, UnknownKind> {
        let mut set = KindSet::default();
        for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            if part.eq_ignore_ascii_case("any") || part.eq_ignore_ascii_case("all") {
                return Ok(KindSet::all());
            }
            set.insert(part.parse()?);
        }
        if set.is_empty() {
            return Err(UnknownKind(list.to_string()));
        }
        Ok(set)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for k in Kind::ALL {
            assert_eq!(k.as_str().parse::<Kind>().unwrap(), k);
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.as_str())
            );
        }
    }

    #[test]
    fn kind_sets() {
        let s = KindSet::parse("bsn, iban").unwrap();
        assert!(s.contains(Kind::Bsn) && s.contains(Kind::Iban) && !s.contains(Kind::Name));
        assert!(KindSet::parse("any").unwrap().contains(Kind::LicensePlate));
        assert!(KindSet::parse("bsn,foo").is_err());
        assert!(KindSet::parse("").is_err());
    }
}
