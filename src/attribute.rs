//! Attribution: who a finding belongs to. With `--subject FILE` (the data
//! subject of an inspection request) and `--keep FILE` (staff), every finding
//! gets an owner: `subject`, `staff`, `organization` (the configuration's
//! `[organization]` table, see [`crate::organization`]) or `third_party`. Values are compared
//! after the same normalization the detectors produce (BSN digits, compact
//! IBAN, E.164, lower-case e-mail...); names as variants of one person.

use crate::detect::names::lexicon::{Lexicon, FIRST, SURNAME, TITLE, TV};
use crate::detect::normalize::normalize;
use crate::kind::{self, ByKind, Kind, TableKeys};
use crate::organization::{directory_contacts, KeptValues};
use crate::record::Owner;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// A field of the subject file: one value or a list.
#[derive(Debug, Deserialize, Default)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
    #[default]
    None,
}

impl OneOrMany {
    fn values(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
            OneOrMany::None => vec![],
        }
    }
}

/// A `--subject` file: a value or a list per kind name.
struct SubjectKeys;
impl TableKeys for SubjectKeys {
    const KEYS: &'static [&'static str] = &kind::NAMES;
}
type SubjectFile = ByKind<OneOrMany, SubjectKeys>;

/// A subject or keep file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PeopleError {
    #[error("{path}: {source}")]
    /// The file could not be read.
    Io {
        /// The file's path.
        path: String,
        /// The read error.
        source: std::io::Error,
    },
    /// The file is not a valid subject or keep file.
    #[error("{path}: {detail}")]
    Invalid {
        /// The file's path.
        path: String,
        /// What is wrong, as the TOML parser words it (it can quote the line).
        detail: String,
    },
}

/// A word of a tussenvoegsel, not identifying on its own: a word that starts
/// an entry of `patterns/names/tussenvoegsels.txt` ("van", "in" of "in 't"),
/// as the name lexicon reads that list. A word the first-name lists know and
/// the surname lists do not ("Ben", "Del") stays a word: it is more likely
/// the person's given name, and dropping it would let "Ben Jansen" match
/// "Piet Jansen".
fn is_particle(word: &str) -> bool {
    let mut buf = String::new();
    let f = Lexicon::get().flags(word, &mut buf);
    f & TV != 0 && !(f & FIRST != 0 && f & SURNAME == 0)
}

/// A title before a name ("dhr", "mevrouw", "heer" of "de heer"): the last
/// word of an entry of `patterns/names/titles.txt`, without its dot.
fn is_title(word: &str) -> bool {
    let mut buf = String::new();
    Lexicon::get().flags(word, &mut buf) & TITLE != 0
}

/// The comparable parts of a name: full words (not particles or titles),
/// and the initials.
#[derive(Debug, Clone, PartialEq)]
pub struct NameKey {
    words: Vec<String>,
    initials: Vec<char>,
}

impl NameKey {
    /// How much of a name this is: full words count double, initials once.
    pub fn weight(&self) -> usize {
        2 * self.words.len() + self.initials.len()
    }
    /// True when nothing identifying is left (only titles or particles).
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// The comparable parts of `name`: words without titles and particles, and initials.
pub fn name_key(name: &str) -> NameKey {
    let lower = name.to_lowercase();
    let mut words = Vec::new();
    let mut initials = Vec::new();
    for raw in lower.split(|c: char| c.is_whitespace() || c == ',' || c == '-') {
        let tok = raw.trim_matches(|c: char| c == '(' || c == ')' || c == '"');
        // "'t" (van 't Hof) and "v.d." (van der) are particles; "T." is an initial.
        if tok.is_empty() || matches!(tok, "'t" | "\u{2019}t" | "v.d." | "v.d" | "vd" | "v/d") {
            continue;
        }
        let bare = tok.trim_matches('.');
        if bare.is_empty() || is_title(bare) {
            continue;
        }
        // "J.P." -> initials j, p
        if tok.contains('.') && bare.split('.').all(|p| p.chars().count() <= 1) {
            initials.extend(bare.split('.').filter_map(|p| p.chars().next()));
            continue;
        }
        if is_particle(bare) {
            continue;
        }
        // "J P de Vries": a lone letter is an initial.
        if bare.chars().count() == 1 {
            initials.extend(bare.chars());
            continue;
        }
        words.push(bare.to_string());
    }
    NameKey { words, initials }
}

/// True when `found` can be a mention of the person named `known`: every
/// full word of `found` is a word of `known`, at least one of them is, and
/// its initials fit the first letters of `known`'s given names.
pub fn same_person(found: &NameKey, known: &NameKey) -> bool {
    if found.words.is_empty() || !found.words.iter().all(|w| known.words.contains(w)) {
        return false;
    }
    if found.initials.is_empty() {
        return true;
    }
    let firsts: HashSet<char> = known
        .words
        .iter()
        .filter_map(|w| w.chars().next())
        .chain(known.initials.iter().copied())
        .collect();
    found.initials.iter().all(|c| firsts.contains(c))
}

/// True when the local part of e-mail address `email` spells the person
/// `key`: given name or its initial, then any tussenvoegsels, then the
/// surname ("f.janssen@", "frans.janssen@", "j.vandenberg@"), letters only.
/// A surname alone is not enough.
pub fn email_spells(key: &NameKey, email: &str) -> bool {
    let Some((local, _)) = email.rsplit_once('@') else {
        return false;
    };
    let compact = ascii_letters(local);
    let (Some(first), Some(surname)) = (key.words.first(), key.words.last()) else {
        return false;
    };
    if key.words.len() < 2 || surname.chars().count() < 2 {
        return false;
    }
    let surname = ascii_letters(surname);
    let first = ascii_letters(first);
    let initial: String = first.chars().take(1).collect();
    let mut prefixes = vec![first.clone(), initial];
    prefixes.extend(key.initials.first().map(|c| c.to_string()));
    prefixes.iter().any(|p| {
        let Some(rest) = compact
            .strip_prefix(p.as_str())
            .and_then(|r| r.strip_suffix(surname.as_str()))
        else {
            return false;
        };
        only_particles(rest)
    })
}

/// The letters of `s`, lower case, accents dropped ("Avcı" -> "avci"), as
/// they are written in e-mail addresses.
fn ascii_letters(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd()
        .filter_map(|c| match c {
            'ı' => Some('i'),
            'ø' | 'Ø' => Some('o'),
            'ł' | 'Ł' => Some('l'),
            c if c.is_ascii_alphabetic() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// True when `s` (ASCII letters) is empty or a concatenation of
/// tussenvoegsel words of two letters or more ("vanden"), the longest first.
fn only_particles(mut s: &str) -> bool {
    'outer: while !s.is_empty() {
        for n in (2..=s.len()).rev() {
            if s.is_char_boundary(n) && is_particle(&s[..n]) {
                s = &s[n..];
                continue 'outer;
            }
        }
        return false;
    }
    true
}

/// The people a dossier knows: the subject and the staff.
#[derive(Debug, Default)]
pub struct People {
    subject: HashMap<Kind, HashSet<String>>,
    subject_names: Vec<NameKey>,
    staff_names: Vec<NameKey>,
    /// E-mail addresses and phone numbers of the staff directory (`--keep`).
    staff_values: KeptValues,
    /// The organisation's identifiers (`[organization]` of the configuration).
    organization: KeptValues,
}

impl People {
    /// The people described by a `--subject` and a `--keep` file (TOML), either optional.
    pub fn from_files(subject: Option<&Path>, keep: Option<&Path>) -> Result<Self, PeopleError> {
        let mut people = People::default();
        if let Some(p) = subject {
            let text = read(p)?;
            // Never the toml crate's Display: it quotes the offending line,
            // which holds the subject's data.
            let file: SubjectFile = toml::from_str(&text).map_err(|e| {
                let at = e.span().map_or(0, |s| s.start);
                PeopleError::Invalid {
                    path: p.display().to_string(),
                    detail: format!(
                        "line {}, column {}: {} (not a valid subject file; see SPEC)",
                        crate::config::line_of(&text, at),
                        crate::config::column_of(&text, at),
                        crate::config::toml_problem(e.message())
                    ),
                }
            })?;
            people.add_subject(&file);
        }
        if let Some(p) = keep {
            let text = read(p)?;
            for n in parse_keep(&text) {
                people.staff_names.push(name_key(&n));
            }
            people.staff_values = directory_contacts(&text);
        }
        Ok(people)
    }

    /// The organisation's own identifiers: their findings get owner
    /// `organization` (kept), unless they are the subject's or staff's.
    pub fn with_organization(mut self, organization: KeptValues) -> Self {
        self.organization = organization;
        self
    }

    fn add_subject(&mut self, f: &SubjectFile) {
        // Names are compared as people (name keys), the rest by value.
        for kind in Kind::ALL.into_iter().filter(|k| *k != Kind::Name) {
            let Some(field) = f.kind(kind) else {
                continue;
            };
            for v in field.values() {
                self.subject
                    .entry(kind)
                    .or_default()
                    .insert(normalize(kind, &v));
            }
        }
        for n in f
            .kind(Kind::Name)
            .map(OneOrMany::values)
            .unwrap_or_default()
        {
            self.subject_names.push(name_key(&n));
        }
    }

    /// The owner of a finding of `kind` with normalized value `norm`, written `raw`.
    pub fn owner(&self, kind: Kind, norm: &str, raw: &str) -> Owner {
        if kind == Kind::Name {
            let key = name_key(raw);
            if self.subject_names.iter().any(|k| same_person(&key, k)) {
                return Owner::Subject;
            }
            if self.staff_names.iter().any(|k| same_person(&key, k)) {
                return Owner::Staff;
            }
            if self.organization.holds(kind, norm, raw) {
                return Owner::Organization;
            }
            return Owner::ThirdParty;
        }
        let mine = self
            .subject
            .get(&kind)
            .is_some_and(|set| set.contains(norm) || set.contains(&normalize(kind, raw)));
        if mine {
            return Owner::Subject;
        }
        // A listed value of the organisation (its switchboard number) before
        // a directory's; the organisation's domain after the staff's addresses.
        if self.organization.lists(kind, norm, raw) {
            return Owner::Organization;
        }
        if self.staff_values.holds(kind, norm, raw) {
            return Owner::Staff;
        }
        if kind == Kind::Email {
            let email = raw.trim();
            if self.subject_names.iter().any(|k| email_spells(k, email)) {
                return Owner::Subject;
            }
            if self.staff_names.iter().any(|k| email_spells(k, email)) {
                return Owner::Staff;
            }
        }
        if self.organization.holds(kind, norm, raw) {
            return Owner::Organization;
        }
        Owner::ThirdParty
    }
}

impl People {
    /// The owner of a finding in its text: [`People::owner`], and a phone
    /// number or e-mail address in the signature block of a known person
    /// (their full name alone on a line, at most five lines above it, no
    /// blank line in between) is theirs. `before` is the text before the finding.
    pub fn owner_in(&self, kind: Kind, norm: &str, raw: &str, before: &str) -> Owner {
        let owner = self.owner(kind, norm, raw);
        if owner.is_kept() || !matches!(kind, Kind::Phone | Kind::Email) {
            return owner;
        }
        if let Some(o) = self.named_just_before(before) {
            return o;
        }
        let mut start = before.len().saturating_sub(600);
        while !before.is_char_boundary(start) {
            start += 1;
        }
        let mut lines = before[start..].lines().rev();
        // The finding's own line (its text before the finding) does not count.
        if !before.ends_with('\n') {
            lines.next();
        }
        let mut above: Vec<&str> = lines.take(10).collect();
        // Double-spaced text (HTML paragraphs joined): blank, text, blank, text...
        let double = above.len() >= 6 && (0..6).all(|i| (i % 2 == 0) == above[i].trim().is_empty());
        if double {
            above.retain(|l| !l.trim().is_empty());
        }
        for line in above.into_iter().take(5) {
            let line = line.trim();
            if line.is_empty() {
                break;
            }
            let words = line.split_whitespace().count();
            if !(2..=5).contains(&words) || line.chars().any(|c| c.is_ascii_digit() || c == '@') {
                continue;
            }
            let key = name_key(line);
            if key.words.len() < 2 {
                continue;
            }
            let full = |k: &NameKey| same_person(&key, k) && same_person(k, &key);
            if self.subject_names.iter().any(full) {
                return Owner::Subject;
            }
            if self.staff_names.iter().any(full) {
                return Owner::Staff;
            }
        }
        owner
    }

    /// Contact data given right after a known person's full name on the same
    /// line: "contact op met Hacer Avcı, telefoon 088 3102028", "Jan de Vries
    /// (06-12345678)". Only the name, a separator and a contact word may stand
    /// between them.
    fn named_just_before(&self, before: &str) -> Option<Owner> {
        let mut start = before.len().saturating_sub(80);
        while !before.is_char_boundary(start) {
            start += 1;
        }
        let line = before[start..].rsplit('\n').next().unwrap_or("");
        let mut tail = line.trim_end();
        loop {
            let t = tail.trim_end_matches(|c: char| {
                c.is_whitespace() || matches!(c, ',' | ':' | '(' | '-' | '/')
            });
            let lower = t.to_lowercase();
            let word = CONTACT_WORDS.iter().find(|w| {
                lower.ends_with(*w)
                    && !lower[..lower.len() - w.len()].ends_with(|c: char| c.is_alphanumeric())
            });
            match word {
                Some(w) => tail = &t[..t.len() - w.len()],
                None => {
                    tail = t;
                    break;
                }
            }
        }
        if tail.len() == line.trim_end().len() {
            // No separator or contact word: "Jan de Vries06..." is not this rule.
            return None;
        }
        // The last two to four words are the name.
        let words: Vec<&str> = tail.split_whitespace().collect();
        for n in (2..=4).rev() {
            if words.len() < n {
                continue;
            }
            let key = name_key(&words[words.len() - n..].join(" "));
            if key.words.len() < 2 {
                continue;
            }
            let full = |k: &NameKey| same_person(&key, k) && same_person(k, &key);
            if self.subject_names.iter().any(full) {
                return Some(Owner::Subject);
            }
            if self.staff_names.iter().any(full) {
                return Some(Owner::Staff);
            }
        }
        None
    }
}

/// Words between a name and its contact data ("telefoon", "mail").
const CONTACT_WORDS: &[&str] = &[
    "telefoonnummer",
    "telefoon",
    "tel.",
    "tel",
    "mobiel",
    "mob.",
    "e-mailadres",
    "e-mail",
    "email",
    "mail",
    "via",
    "op",
    "bereikbaar",
];

fn read(p: &Path) -> Result<String, PeopleError> {
    std::fs::read_to_string(p).map_err(|source| PeopleError::Io {
        path: p.display().to_string(),
        source,
    })
}

/// Names from a keep file: CSV with a `name` (or `naam`) column, or TOML
/// with `name`/`names = [...]`.
pub fn parse_keep(text: &str) -> Vec<String> {
    #[derive(Deserialize)]
    struct KeepToml {
        #[serde(default, alias = "names")]
        name: OneOrMany,
    }
    if let Ok(k) = toml::from_str::<KeepToml>(text) {
        let v = k.name.values();
        if !v.is_empty() {
            return v;
        }
    }
    let delimiter = crate::extract::csv::sniff_delimiter(text);
    let mut rdr = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let col = rdr
        .headers()
        .ok()
        .and_then(|h| {
            h.iter().position(|c| {
                matches!(
                    c.trim().to_lowercase().as_str(),
                    "name" | "naam" | "full_name" | "volledige naam"
                )
            })
        })
        .unwrap_or(0);
    rdr.records()
        .filter_map(Result::ok)
        .filter_map(|r| r.get(col).map(|s| s.trim().to_string()))
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn particles_and_titles_come_from_the_pattern_lists() {
        // Titles and tussenvoegsels of patterns/names/ are not part of the key.
        assert_eq!(name_key("Juffrouw J. de Vries"), name_key("J. de Vries"));
        assert_eq!(name_key("dhr. A. el Amrani"), name_key("A. Amrani"));
        assert_eq!(name_key("Fam. van 't Hof"), name_key("Hof"));
        // A given name that is also a tussenvoegsel stays a word.
        assert!(!same_person(
            &name_key("Ben Jansen"),
            &name_key("Piet Jansen")
        ));
        assert!(same_person(
            &name_key("Ben Jansen"),
            &name_key("Ben Jansen")
        ));
        assert!(only_particles("vanden") && only_particles("") && !only_particles("vandenx"));
    }

    #[test]
    fn name_variants_match() {
        let jan = name_key("Jan Pieter de Vries");
        for v in [
            "Jan de Vries",
            "J.P. de Vries",
            "De Vries",
            "DE VRIES, J.P.",
            "Vries, J. de",
            "J. P. de Vries",
        ] {
            assert!(same_person(&name_key(v), &jan), "{v}");
        }
        assert!(same_person(
            &name_key("VAN 'T HOF, S."),
            &name_key("Sanne van 't Hof")
        ));
        assert!(!same_person(
            &name_key("T. Krabbe"),
            &name_key("W.B. Krabbe-van Wijk")
        ));
        for v in [
            "Piet de Vries",
            "K. de Vries",
            "Jan Jansen",
            "de",
            "T. de Vries",
        ] {
            assert!(!same_person(&name_key(v), &jan), "{v}");
        }
    }

    #[test]
    fn subject_values_by_normal_form() {
        let f: SubjectFile = toml::from_str(
            "name = [\"Jan de Vries\"]\nbsn = \"111222333\"\niban = [\"NL91ABNA0417164300\"]\nphone = [\"06-12345678\"]\npostcode = [\"7411 AB\"]\nbirth_date = [\"1980-04-01\"]",
        )
        .unwrap();
        let mut p = People::default();
        p.add_subject(&f);
        assert_eq!(
            p.owner(Kind::Bsn, "111222333", "111.222.333"),
            Owner::Subject
        );
        assert_eq!(
            p.owner(Kind::Iban, "NL91ABNA0417164300", "nl91 abna 0417 1643 00"),
            Owner::Subject
        );
        assert_eq!(
            p.owner(Kind::Phone, "+31612345678", "+31 6 1234 5678"),
            Owner::Subject
        );
        assert_eq!(p.owner(Kind::Postcode, "7411AB", "7411AB"), Owner::Subject);
        assert_eq!(
            p.owner(Kind::BirthDate, "1980-04-01", "1 april 1980"),
            Owner::Subject
        );
        assert_eq!(
            p.owner(Kind::Bsn, "123456782", "123456782"),
            Owner::ThirdParty
        );
        assert_eq!(p.owner(Kind::Name, "", "J. de Vries"), Owner::Subject);
        assert_eq!(p.owner(Kind::Name, "", "Piet Jansen"), Owner::ThirdParty);
    }

    #[test]
    fn staff_addresses_by_name() {
        let frans = name_key("Frans Janssen");
        for e in [
            "f.janssen@corp.nl",
            "frans.janssen@corp.nl",
            "FJanssen@corp.nl",
        ] {
            assert!(email_spells(&frans, e), "{e}");
        }
        for e in [
            "janssen@corp.nl",
            "p.janssen@corp.nl",
            "frans@corp.nl",
            "info@corp.nl",
        ] {
            assert!(!email_spells(&frans, e), "{e}");
        }
        assert!(email_spells(&name_key("Hacer Avcı"), "h.avci@corp.nl"));
        assert!(email_spells(&name_key("Zoë Müller"), "zoe.muller@corp.nl"));
        let berg = name_key("Anna van den Berg");
        assert!(email_spells(&berg, "a.vandenberg@x.nl"));
        assert!(email_spells(&berg, "anna.berg@x.nl"));
        assert!(!email_spells(&berg, "a.vandenbergh@x.nl"));
        let mut p = People::default();
        p.staff_names.push(frans);
        assert_eq!(
            p.owner(Kind::Email, "f.janssen@corp.nl", "f.janssen@corp.nl"),
            Owner::Staff
        );
        assert_eq!(
            p.owner(Kind::Email, "k.jansen@corp.nl", "k.jansen@corp.nl"),
            Owner::ThirdParty
        );
    }

    #[test]
    fn signature_blocks() {
        let mut p = People::default();
        p.staff_names.push(name_key("Frans Janssen"));
        let sig = "Met vriendelijke groet,\n\nFrans Janssen\nWoonconsulent\nWoonstichting X\nT ";
        assert_eq!(
            p.owner_in(Kind::Phone, "+31883102010", "(088) 310 20 10", sig),
            Owner::Staff
        );
        let html = "groet,\n\nFrans Janssen\n\nWoonconsulent\n\nWoonstichting X\n\nT ";
        assert_eq!(p.owner_in(Kind::Phone, "x", "06-1", html), Owner::Staff);
        let own_line = "Frans Janssen\nWoonconsulent\n";
        assert_eq!(p.owner_in(Kind::Phone, "x", "06-1", own_line), Owner::Staff);
        // a blank line ends the block; a name inside a sentence is no signature
        let far = "Frans Janssen\nWoonconsulent\n\nBuurman: ";
        assert_eq!(p.owner_in(Kind::Phone, "x", "06-1", far), Owner::ThirdParty);
        let prose = "Frans Janssen belde de buurman.\nDiens nummer: ";
        assert_eq!(
            p.owner_in(Kind::Phone, "x", "06-1", prose),
            Owner::ThirdParty
        );
        // other kinds are not moved
        assert_eq!(p.owner_in(Kind::Bsn, "x", "1", sig), Owner::ThirdParty);
    }

    #[test]
    fn contact_data_right_after_a_known_name_is_theirs() {
        let mut p = People::default();
        p.staff_names.push(name_key("Hacer Avcı"));
        p.subject_names.push(name_key("Jan de Vries"));
        let owner = |before: &str| p.owner_in(Kind::Phone, "+31883102028", "088 3102028", before);
        assert_eq!(
            owner("Neem contact op met Hacer Avcı, telefoon "),
            Owner::Staff
        );
        assert_eq!(owner("huurder Jan de Vries (tel. "), Owner::Subject);
        assert_eq!(
            owner("Hacer Avcı belde over de buurman, zijn nummer is "),
            Owner::ThirdParty
        );
        assert_eq!(
            owner("De buurman van Hacer Avcı, Piet, telefoon "),
            Owner::ThirdParty
        );
        assert_eq!(owner("Avcı, telefoon "), Owner::ThirdParty);
    }

    #[test]
    fn keep_files() {
        assert_eq!(
            parse_keep("name\nFrans Janssen\nMirte Lenferink\n"),
            vec!["Frans Janssen", "Mirte Lenferink"]
        );
        assert_eq!(parse_keep("names = [\"A B\"]"), vec!["A B"]);
        assert_eq!(parse_keep("id;naam\n1;Jan Smit\n"), vec!["Jan Smit"]);
    }
}
