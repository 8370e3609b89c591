//! Values kept by configuration rather than by person: the organisation's
//! own identifiers (the `[organization]` table of `zwartlak.toml`, owner
//! `organization`) and the contact details of a staff directory (the e-mail
//! and phone columns of a `--keep` CSV, owner `staff`).
//!
//! Every value is compared in the detectors' normal form
//! ([`crate::detect::normalize`]): an IBAN spaced or compact, a phone number
//! in any national or international spelling, a postcode with or without its
//! space, an e-mail address in any case. Addresses compare case- and
//! space-insensitively, also when the found address runs on into a postcode
//! or city ("Voorbeeldplein 1, 1234 AB Stad" is "Voorbeeldplein 1"); an
//! e-mail address at a listed domain or one of its subdomains is the
//! organisation's. Names compare as whole words of the organisation's name.
//! KvK and BTW numbers are no finding kind; a finding whose letters and
//! digits are (part of) one of them is the organisation's all the same,
//! whatever detector mistook it for something else.
//!
//! The table only says what is the organisation's: which owner is asked
//! first, and what is kept, is [`crate::attribute`]'s and
//! [`crate::record::Owner`]'s business.

use crate::detect::normalize::normalize;
use crate::detect::validate;
use crate::kind::Kind;
use std::collections::{BTreeSet, HashMap, HashSet};

/// A set of kept values (the organisation's identifiers, or a staff
/// directory's contact details), in normal form.
#[derive(Debug, Default, Clone)]
pub struct KeptValues {
    /// Normalized values per kind (IBAN, phone, e-mail, postcode).
    values: HashMap<Kind, HashSet<String>>,
    /// Lower-case addresses, single spaces.
    addresses: Vec<String>,
    /// Lower-case e-mail domains without `@`.
    domains: Vec<String>,
    /// Names as lower-case words.
    names: Vec<Vec<String>>,
    /// Registration numbers (KvK, BTW): upper-case letters and digits.
    ids: Vec<String>,
}

/// One `[organization]` value that cannot be used, and why (never the value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The key of the table (`iban`, `phone`, ...).
    pub key: &'static str,
    /// What is wrong with the value (never the value itself).
    pub message: String,
}

/// The keys of the `[organization]` table, in the order they are documented.
pub const KEYS: &[&str] = &[
    "name", "address", "postcode", "city", "iban", "phone", "email", "domain", "kvk", "btw",
];

/// Lower case, single spaces.
fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Upper-case letters and digits only.
fn alnum(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_uppercase()
}

/// Lower-case words of a name, punctuation dropped.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

impl KeptValues {
    /// True when nothing is configured (no values, addresses, domains, names or ids).
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
            && self.addresses.is_empty()
            && self.domains.is_empty()
            && self.names.is_empty()
            && self.ids.is_empty()
    }

    /// Add the value `v` of table key `key` (one of [`KEYS`]); a value its
    /// kind's validator refuses is an error (it could never match).
    pub fn add(&mut self, key: &str, v: &str) -> Result<(), Invalid> {
        let Some(&key) = KEYS.iter().find(|k| **k == key) else {
            return Err(Invalid {
                key: "organization",
                message: format!("unknown key (expected one of: {})", KEYS.join(", ")),
            });
        };
        let v = v.trim();
        if v.is_empty() {
            return Err(Invalid {
                key,
                message: "empty value".into(),
            });
        }
        let refused = |kind: &str| Invalid {
            key,
            message: format!("this value is not recognized as {kind}"),
        };
        let checked = |kind: Kind, ok: bool, what: &str| {
            if ok {
                Ok((kind, normalize(kind, v)))
            } else {
                Err(refused(what))
            }
        };
        let (kind, norm) = match key {
            "iban" => checked(Kind::Iban, validate::iban(v).is_some(), "an IBAN")?,
            "phone" => checked(Kind::Phone, validate::phone(v).is_some(), "a phone number")?,
            "email" => checked(
                Kind::Email,
                validate::email(v).is_some(),
                "an e-mail address",
            )?,
            "postcode" => checked(
                Kind::Postcode,
                validate::postcode(v).is_some(),
                "a postcode",
            )?,
            "address" => {
                self.addresses.push(fold(v));
                return Ok(());
            }
            "domain" => {
                let d = v.trim_start_matches('@').to_lowercase();
                if d.contains('@') || !d.contains('.') || d.contains(char::is_whitespace) {
                    return Err(refused("an e-mail domain"));
                }
                self.domains.push(d);
                return Ok(());
            }
            "name" => {
                let w = words(v);
                if w.is_empty() {
                    return Err(refused("a name"));
                }
                self.names.push(w);
                return Ok(());
            }
            "kvk" | "btw" => {
                let id = alnum(v);
                if id.chars().filter(char::is_ascii_digit).count() < 8 {
                    return Err(refused("a registration number (8 digits or more)"));
                }
                self.ids.push(id);
                return Ok(());
            }
            // A city alone is no finding; an address running on into it is
            // matched by its street part.
            _ => return Ok(()),
        };
        self.values.entry(kind).or_default().insert(norm);
        Ok(())
    }

    /// Add a staff directory's contact value: `kind` is `Email` or `Phone`.
    /// Returns false (and keeps nothing) when the value is not one.
    pub fn add_contact(&mut self, kind: Kind, v: &str) -> bool {
        let ok = match kind {
            Kind::Email => validate::email(v.trim()).is_some(),
            Kind::Phone => validate::phone(v.trim()).is_some(),
            _ => false,
        };
        if ok {
            self.values
                .entry(kind)
                .or_default()
                .insert(normalize(kind, v.trim()));
        }
        ok
    }

    /// Whether a finding's normalized value is one of the listed values of
    /// its kind (no domain, address, name or number rule).
    pub fn lists(&self, kind: Kind, norm: &str, raw: &str) -> bool {
        self.values
            .get(&kind)
            .is_some_and(|set| set.contains(norm) || set.contains(&normalize(kind, raw)))
    }

    /// Whether a finding of `kind` with normalized value `norm`, written
    /// `raw`, is one of these values.
    pub fn holds(&self, kind: Kind, norm: &str, raw: &str) -> bool {
        if let Some(set) = self.values.get(&kind) {
            if set.contains(norm) || set.contains(&normalize(kind, raw)) {
                return true;
            }
        }
        match kind {
            Kind::Email => self.at_domain(raw) || self.at_domain(norm),
            Kind::Address => self.is_address(raw),
            Kind::Name => self.is_name(raw),
            _ => self.is_id(raw),
        }
    }

    fn at_domain(&self, email: &str) -> bool {
        let lower = email.trim().to_lowercase();
        let Some((_, domain)) = lower.rsplit_once('@') else {
            return false;
        };
        self.domains
            .iter()
            .any(|d| domain == d || domain.ends_with(&format!(".{d}")))
    }

    /// The found address is a listed one, possibly followed by more (a
    /// postcode, a city) after a character that is no letter or digit:
    /// "Plein 12" is not "Plein 123" or "Plein 12a".
    fn is_address(&self, raw: &str) -> bool {
        let found = fold(raw);
        self.addresses.iter().any(|a| {
            found
                .strip_prefix(a.as_str())
                .is_some_and(|rest| rest.chars().next().is_none_or(|c| !c.is_alphanumeric()))
        })
    }

    /// Every word of the found name stands, in order and adjacent, in a
    /// listed name ("Woonstichting Voorbeeld" and "Voorbeeld" are of
    /// "Woonstichting Voorbeeld"); a lone word of fewer than three letters
    /// is not enough.
    fn is_name(&self, raw: &str) -> bool {
        let found = words(raw);
        if found.is_empty() || (found.len() == 1 && found[0].chars().count() < 3) {
            return false;
        }
        self.names
            .iter()
            .any(|n| n.windows(found.len()).any(|w| w == found.as_slice()))
    }

    /// The finding's letters and digits are a registration number, or eight
    /// or more of them stand inside one (the digits of a BTW number).
    fn is_id(&self, raw: &str) -> bool {
        let found = alnum(raw);
        found.len() >= 8 && self.ids.iter().any(|id| id.contains(&found))
    }

    /// A short hash of the values (for a cache's version key); no value
    /// can be read from it.
    pub fn fingerprint(&self) -> String {
        if self.is_empty() {
            return String::new();
        }
        let mut all = BTreeSet::new();
        for (kind, set) in &self.values {
            for v in set {
                all.insert(format!("{}={v}", kind.as_str()));
            }
        }
        for a in &self.addresses {
            all.insert(format!("address={a}"));
        }
        for d in &self.domains {
            all.insert(format!("domain={d}"));
        }
        for n in &self.names {
            all.insert(format!("name={}", n.join(" ")));
        }
        for i in &self.ids {
            all.insert(format!("id={i}"));
        }
        let joined = all.into_iter().collect::<Vec<_>>().join("\n");
        blake3::hash(joined.as_bytes()).to_hex()[..16].to_string()
    }
}

/// The contact details of a staff directory (CSV, any common delimiter):
/// every cell of a column headed like `email`, `e-mail`, `phone`,
/// `telefoon`, `mobile` or `mobiel` that is an e-mail address or a phone
/// number (a cell may hold several, separated by `;`, `,` or `/`). Other
/// columns (`name`, `function`) are not read here; cells that are no such
/// value are left out.
pub fn directory_contacts(text: &str) -> KeptValues {
    let mut kept = KeptValues::default();
    let delimiter = crate::extract::csv::sniff_delimiter(text);
    let mut rdr = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let Ok(headers) = rdr.headers() else {
        return kept;
    };
    let columns: Vec<(usize, Kind)> = headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| contact_column(h).map(|k| (i, k)))
        .collect();
    if columns.is_empty() {
        return kept;
    }
    for row in rdr.records().filter_map(Result::ok) {
        for &(i, kind) in &columns {
            let Some(cell) = row.get(i).map(str::trim).filter(|c| !c.is_empty()) else {
                continue;
            };
            if !kept.add_contact(kind, cell) {
                for part in cell.split([';', ',', '/']) {
                    kept.add_contact(kind, part);
                }
            }
        }
    }
    kept
}

/// The kind of a directory column by its header, if it holds contact details.
fn contact_column(header: &str) -> Option<Kind> {
    let h = header.trim().to_lowercase().replace(['-', '_', ' '], "");
    const EMAIL: &[&str] = &["email", "mail", "emailadres", "mailadres"];
    const PHONE: &[&str] = &[
        "phone",
        "telephone",
        "tel",
        "telefoon",
        "telefoonnummer",
        "mobile",
        "mobiel",
        "mobielnummer",
        "mobilephone",
        "gsm",
        "direct",
        "doorkiesnummer",
        "doorkies",
    ];
    if EMAIL.contains(&h.as_str()) {
        Some(Kind::Email)
    } else if PHONE.contains(&h.as_str()) {
        Some(Kind::Phone)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An invented organisation: no value here belongs to anyone.
    fn example() -> KeptValues {
        let mut k = KeptValues::default();
        for (key, v) in [
            ("name", "Woonstichting Voorbeeldhof"),
            ("address", "Voorbeeldplein 7"),
            ("address", "Postbus 999"),
            ("postcode", "9999 ZZ"),
            ("city", "Voorbeeldstad"),
            ("iban", "NL91 ABNA 0417 1643 00"),
            ("phone", "088-1234500"),
            ("email", "Info@Voorbeeldhof.example"),
            ("domain", "@voorbeeldhof.example"),
            ("kvk", "12345678"),
            ("btw", "NL123456789B01"),
        ] {
            k.add(key, v).unwrap();
        }
        k
    }

    fn holds(k: &KeptValues, kind: Kind, raw: &str) -> bool {
        k.holds(kind, &normalize(kind, raw), raw)
    }

    #[test]
    fn values_match_in_any_spelling() {
        let k = example();
        for iban in ["NL91ABNA0417164300", "nl91 abna 0417 1643 00"] {
            assert!(holds(&k, Kind::Iban, iban), "{iban}");
        }
        assert!(!holds(&k, Kind::Iban, "NL20INGB0001234567"));
        for phone in [
            "088 123 45 00",
            "+31 88 1234500",
            "(088) 1234500",
            "0031881234500",
        ] {
            assert!(holds(&k, Kind::Phone, phone), "{phone}");
        }
        assert!(!holds(&k, Kind::Phone, "088-1234501"));
        assert!(holds(&k, Kind::Postcode, "9999ZZ") && holds(&k, Kind::Postcode, "9999 zz"));
        assert!(!holds(&k, Kind::Postcode, "9999 ZY"));
        assert!(holds(&k, Kind::Email, "INFO@voorbeeldhof.example"));
        // any address at the domain or a subdomain, not a look-alike
        assert!(holds(&k, Kind::Email, "a.jansen@voorbeeldhof.example"));
        assert!(holds(&k, Kind::Email, "x@mail.voorbeeldhof.example"));
        assert!(!holds(&k, Kind::Email, "x@notvoorbeeldhof.example"));
        assert!(!holds(
            &k,
            Kind::Email,
            "voorbeeldhof.example@elders.example"
        ));
    }

    #[test]
    fn addresses_names_and_registration_numbers() {
        let k = example();
        for a in [
            "Voorbeeldplein 7",
            "VOORBEELDPLEIN  7",
            "Voorbeeldplein 7, 9999 ZZ Voorbeeldstad",
            "postbus 999",
        ] {
            assert!(holds(&k, Kind::Address, a), "{a}");
        }
        for a in [
            "Voorbeeldplein 71",
            "Voorbeeldplein 7a",
            "Voorbeeldlaan 7",
            "Postbus 9",
        ] {
            assert!(!holds(&k, Kind::Address, a), "{a}");
        }
        assert!(holds(&k, Kind::Name, "Woonstichting Voorbeeldhof"));
        assert!(holds(&k, Kind::Name, "Voorbeeldhof"));
        assert!(!holds(&k, Kind::Name, "Jan Voorbeeldhof"));
        assert!(!holds(&k, Kind::Name, "Jan Jansen"));
        // a BTW number's digits mistaken for another kind
        assert!(holds(&k, Kind::Bsn, "123456789"));
        assert!(holds(&k, Kind::Phone, "12345678"));
        assert!(!holds(&k, Kind::Bsn, "111222333"));
    }

    #[test]
    fn values_that_can_never_match_are_refused_without_echo() {
        let mut k = KeptValues::default();
        let e = k.add("iban", "NL00XXXX0000000000").unwrap_err();
        assert_eq!(e.key, "iban");
        assert!(!e.message.contains("NL00"), "{}", e.message);
        assert!(k.add("phone", "12").is_err());
        assert!(k.add("postcode", "12345").is_err());
        assert!(k.add("email", "geen adres").is_err());
        assert!(k.add("domain", "a@b").is_err());
        assert!(k.add("kvk", "123").is_err());
        assert!(k.add("name", "  ").is_err());
        assert!(k.add("fax", "1").is_err());
        assert!(k.is_empty());
    }

    #[test]
    fn staff_directory_columns() {
        let dir = "name,function,email,phone,mobile\n\
                   An Jansen,woonconsulent,a.jansen@voorbeeldhof.example,088-1234511,06-12345678\n\
                   Bo de Wit,opzichter,,088 123 45 12,geen\n";
        let k = directory_contacts(dir);
        assert!(holds(&k, Kind::Email, "A.JANSEN@voorbeeldhof.example"));
        assert!(holds(&k, Kind::Phone, "+31 88 1234511"));
        assert!(holds(&k, Kind::Phone, "(088) 123 45 12"));
        assert!(holds(&k, Kind::Phone, "0612345678"));
        assert!(!holds(&k, Kind::Phone, "088-1234513"));
        // not a domain rule: a colleague not in the directory is not matched
        assert!(!holds(&k, Kind::Email, "c.smit@voorbeeldhof.example"));
        // names only, or semicolons and Dutch headers
        assert!(directory_contacts("name\nAn Jansen\n").is_empty());
        let k =
            directory_contacts("naam;telefoon;e-mail\nAn;088-1234511 / 06-87654321;a@b.example\n");
        assert!(holds(&k, Kind::Phone, "06 87654321") && holds(&k, Kind::Email, "a@b.example"));
    }

    #[test]
    fn staff_contacts_and_fingerprints() {
        let mut k = KeptValues::default();
        assert_eq!(k.fingerprint(), "");
        assert!(k.add_contact(Kind::Phone, "06-12345678"));
        assert!(k.add_contact(Kind::Email, "A.Jansen@voorbeeldhof.example"));
        assert!(!k.add_contact(Kind::Phone, "toestel 12"));
        assert!(holds(&k, Kind::Phone, "+31 6 1234 5678"));
        assert!(holds(&k, Kind::Email, "a.jansen@voorbeeldhof.example"));
        assert!(!holds(&k, Kind::Email, "b.jansen@voorbeeldhof.example"));
        let f = k.fingerprint();
        assert_eq!(f.len(), 16);
        assert!(k.add_contact(Kind::Phone, "06-87654321"));
        assert_ne!(k.fingerprint(), f);
    }
}
