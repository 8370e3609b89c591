//! The finding kinds of the SPEC: stable lower-case names that never change meaning.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// What a finding is. The serialized names are fixed by `SPEC.md`.
/// Serialized as its [`Facts::name`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
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

/// How a value of a kind is masked for output (applied by `mask.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MaskShape {
    /// Every letter and digit starred except `head` leading and `tail`
    /// trailing ones (all starred when those would show the whole value);
    /// separators kept.
    Keep {
        /// Leading letters and digits shown.
        head: usize,
        /// Trailing letters and digits shown.
        tail: usize,
    },
    /// Country, check digits and the last four: "NL91 **** **** **** 4300".
    Iban,
    /// First character of the local part and of every host label, the
    /// top-level domain kept: "j*********@e******.nl".
    Email,
    /// Every word keeps its first letter: "J** d* V****".
    Words,
}

/// Everything the program says about one kind, in one row of [`TABLE`].
#[derive(Debug)]
pub struct Facts {
    /// The kind this row describes.
    pub kind: Kind,
    /// The SPEC name: the record's `kind`, the SARIF rule id, the value of
    /// `--kinds` / `--fail-on`, and the key in `zwartlak.toml` (`kinds`,
    /// `fail_on`, `[allow]`, `[[policy]] allow`) and in `--subject` files.
    pub name: &'static str,
    /// What a redaction writes in place of a value (`--style label`); Dutch,
    /// as the documents are.
    pub label: &'static str,
    /// The word of a pseudonym (`--style pseudonym`): "[telefoon 1]",
    /// "[persoon 2]"; a contact value linked to a person is "[e-mail persoon 1]".
    pub pseudonym: &'static str,
    /// How `mask.rs` masks a value for output.
    pub mask: MaskShape,
    /// The SARIF rule's `fullDescription` for a kind that no detector in
    /// `patterns/detectors.toml` finds (names and addresses are found by
    /// code). A kind found by a pattern detector takes that detector's
    /// `description`, so it is `None` here (a test holds both to that).
    pub description: Option<&'static str>,
    /// The colour of the kind in the HTML report.
    pub color: &'static str,
    /// The SARIF rule's `security-severity` property: a number from 0.0 to
    /// 10.0 written as a string, which code-scanning dashboards map to
    /// critical (9.0 and up), high (7.0 to 8.9), medium (4.0 to 6.9) or low.
    /// Higher for values that identify a person on their own or give access
    /// to money or official records (BSN, identity documents, IBAN) than for
    /// contact details, and lowest for values that say little alone
    /// (postcode, licence plate).
    pub security_severity: &'static str,
    /// Context written before a bare `[allow]` value so that a detector
    /// needing context recognises it ("BSN: 123456782").
    pub hint: &'static str,
}

/// The facts of every kind, in [`Kind`] order.
pub const TABLE: [Facts; 10] = [
    Facts {
        kind: Kind::Bsn,
        name: "bsn",
        label: "[BSN]",
        pseudonym: "BSN",
        mask: MaskShape::Keep { head: 0, tail: 2 },
        description: None,
        color: "#c0392b",
        security_severity: "9.0",
        hint: "BSN: ",
    },
    Facts {
        kind: Kind::Iban,
        name: "iban",
        label: "[IBAN]",
        pseudonym: "IBAN",
        mask: MaskShape::Iban,
        description: None,
        color: "#d35400",
        security_severity: "7.5",
        hint: "",
    },
    Facts {
        kind: Kind::Email,
        name: "email",
        label: "[e-mail]",
        pseudonym: "e-mail",
        mask: MaskShape::Email,
        description: None,
        color: "#2980b9",
        security_severity: "5.0",
        hint: "",
    },
    Facts {
        kind: Kind::Phone,
        name: "phone",
        label: "[telefoon]",
        pseudonym: "telefoon",
        mask: MaskShape::Keep { head: 0, tail: 2 },
        description: None,
        color: "#16a085",
        security_severity: "5.0",
        hint: "telefoon: ",
    },
    Facts {
        kind: Kind::Name,
        name: "name",
        label: "[naam]",
        pseudonym: "persoon",
        mask: MaskShape::Words,
        description: Some("Name of a person"),
        color: "#8e44ad",
        security_severity: "5.5",
        hint: "",
    },
    Facts {
        kind: Kind::Address,
        name: "address",
        label: "[adres]",
        pseudonym: "adres",
        mask: MaskShape::Words,
        description: Some("Street address (street and house number)"),
        color: "#2c3e50",
        security_severity: "6.0",
        hint: "",
    },
    Facts {
        kind: Kind::Postcode,
        name: "postcode",
        label: "[postcode]",
        pseudonym: "postcode",
        mask: MaskShape::Keep { head: 2, tail: 0 },
        description: None,
        color: "#7f8c8d",
        security_severity: "3.0",
        hint: "",
    },
    Facts {
        kind: Kind::BirthDate,
        name: "birth_date",
        label: "[geboortedatum]",
        pseudonym: "geboortedatum",
        mask: MaskShape::Keep { head: 0, tail: 0 },
        description: None,
        color: "#27ae60",
        security_severity: "6.5",
        hint: "geboortedatum: ",
    },
    Facts {
        kind: Kind::IdDocument,
        name: "id_document",
        label: "[ID-nummer]",
        pseudonym: "ID-nummer",
        mask: MaskShape::Keep { head: 0, tail: 0 },
        description: None,
        color: "#e67e22",
        security_severity: "8.5",
        hint: "paspoortnummer: ",
    },
    Facts {
        kind: Kind::LicensePlate,
        name: "license_plate",
        label: "[kenteken]",
        pseudonym: "kenteken",
        mask: MaskShape::Keep { head: 0, tail: 0 },
        description: None,
        color: "#34495e",
        security_severity: "3.5",
        hint: "kenteken: ",
    },
];

// Row i of the table is the kind with discriminant i: `Kind::facts` indexes by it.
const _: () = {
    let mut i = 0;
    while i < TABLE.len() {
        assert!(TABLE[i].kind as usize == i, "TABLE is not in Kind order");
        i += 1;
    }
};

/// The kind names in table order, for messages and key lists.
pub const NAMES: [&str; TABLE.len()] = {
    let mut names = [""; TABLE.len()];
    let mut i = 0;
    while i < TABLE.len() {
        names[i] = TABLE[i].name;
        i += 1;
    }
    names
};

impl Kind {
    /// Every kind, in the order reports list them (the table's).
    pub const ALL: [Kind; TABLE.len()] = {
        let mut all = [Kind::Bsn; TABLE.len()];
        let mut i = 0;
        while i < TABLE.len() {
            all[i] = TABLE[i].kind;
            i += 1;
        }
        all
    };

    /// This kind's row of [`TABLE`].
    pub fn facts(self) -> &'static Facts {
        &TABLE[self as usize]
    }

    /// The SPEC name (`bsn`, `birth_date`, ...).
    pub fn as_str(self) -> &'static str {
        self.facts().name
    }

    /// The label a redaction writes in place of a value of this kind.
    pub fn label(self) -> &'static str {
        self.facts().label
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Kind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Kind {
    /// Exactly a name of the table, as a derived enum would be.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| serde::de::Error::unknown_variant(&s, &NAMES))
    }
}

/// Error for an unknown kind name.
#[derive(Debug, thiserror::Error)]
#[error("unknown kind `{0}` (expected one of: {list}, any)", list = NAMES.join(", "))]
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

/// The keys of a table read as [`ByKind`]: the kind names first, in table
/// order, then the table's own extra keys.
pub trait TableKeys {
    /// The keys, kind names first.
    const KEYS: &'static [&'static str];
}

/// `N` keys: the kind names, then `extra` (`N` must be their count).
pub const fn keys<const N: usize>(extra: &[&'static str]) -> [&'static str; N] {
    assert!(N == NAMES.len() + extra.len(), "wrong key count");
    let mut keys = [""; N];
    let mut i = 0;
    while i < N {
        keys[i] = if i < NAMES.len() {
            NAMES[i]
        } else {
            extra[i - NAMES.len()]
        };
        i += 1;
    }
    keys
}

/// A TOML table keyed by kind name (`[allow]` in `zwartlak.toml`, a
/// `--subject` file) and by the extra keys of `K`, read as a derived struct
/// with `deny_unknown_fields` would read it: any other key is an "unknown
/// field" error that lists the keys. The kinds' keys come from [`TABLE`], so
/// a new kind needs no new field anywhere.
pub struct ByKind<V, K> {
    /// Indexed like `K::KEYS`.
    values: Vec<Option<V>>,
    keys: std::marker::PhantomData<K>,
}

impl<V, K: TableKeys> Default for ByKind<V, K> {
    fn default() -> Self {
        ByKind {
            values: K::KEYS.iter().map(|_| None).collect(),
            keys: std::marker::PhantomData,
        }
    }
}

impl<V, K: TableKeys> ByKind<V, K> {
    /// The value given for `kind`.
    pub fn kind(&self, kind: Kind) -> Option<&V> {
        self.values[kind as usize].as_ref()
    }

    /// The value given for an extra key.
    pub fn key(&self, key: &str) -> Option<&V> {
        let i = K::KEYS.iter().position(|k| *k == key)?;
        self.values[i].as_ref()
    }
}

impl<'de, V: Deserialize<'de>, K: TableKeys> Deserialize<'de> for ByKind<V, K> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<V, K>(std::marker::PhantomData<(V, K)>);
        impl<'de, V: Deserialize<'de>, K: TableKeys> serde::de::Visitor<'de> for Visit<V, K> {
            type Value = ByKind<V, K>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table keyed by kind name")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut out = ByKind::<V, K>::default();
                while let Some(i) = map.next_key_seed(KeyIndex::<K>(std::marker::PhantomData))? {
                    if out.values[i].is_some() {
                        return Err(serde::de::Error::duplicate_field(K::KEYS[i]));
                    }
                    out.values[i] = Some(map.next_value()?);
                }
                Ok(out)
            }
        }
        d.deserialize_map(Visit(std::marker::PhantomData))
    }
}

/// Reads a key of a [`ByKind`] table as its index in `K::KEYS`. An unknown key
/// is an error raised while the key is read, so that the TOML reader points
/// at the key (as it does for a derived struct).
struct KeyIndex<K>(std::marker::PhantomData<K>);

impl<'de, K: TableKeys> serde::de::DeserializeSeed<'de> for KeyIndex<K> {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        let key = String::deserialize(d)?;
        K::KEYS
            .iter()
            .position(|k| *k == key)
            .ok_or_else(|| serde::de::Error::unknown_field(&key, K::KEYS))
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
    fn security_severities_are_numbers_from_0_to_10() {
        for k in Kind::ALL {
            let s = k.facts().security_severity;
            let v: f64 = s
                .parse()
                .unwrap_or_else(|_| panic!("{k}: {s:?} is not a number"));
            assert!((0.0..=10.0).contains(&v), "{k}: {v}");
            // one decimal, as dashboards show it
            assert_eq!(format!("{v:.1}"), s, "{k}");
        }
        // the ranking the comment on the field promises
        let sev = |k: Kind| k.facts().security_severity.parse::<f64>().unwrap();
        assert!(sev(Kind::Bsn) >= 9.0);
        assert!(sev(Kind::Bsn) > sev(Kind::Email));
        assert!(sev(Kind::IdDocument) > sev(Kind::Phone));
        assert!(sev(Kind::Postcode) < 4.0);
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
