//! The roster: a list of known people (`--roster FILE`, CSV or XLSX with
//! columns such as name, bsn, iban, email, phone, address), every value of
//! every person found wherever it stands.
//!
//! Owns the roster file format and the spelling forms of each value: a name
//! "Jan Pieter de Vries" is also looked for as "J.P. de Vries",
//! "J. P. de Vries", "J. de Vries", "De Vries, J.P.", "Vries, J.P. de",
//! "Vries de, J.P.", "De Vries, Jan" and "Vries, Jan de"; an address
//! "Dorpsstraat 12a, Utrecht" also as "Dorpsstraat 12a", "Dorpsstraat 12 a"
//! and "Dorpsstraat 12-a". A form matches whole words (a hyphen joins words:
//! "Klerks" is not a word of "Van Essen-Klerks"), in any case and with
//! or without diacritics ("DE VRIES, J.P.", "Ayse Yilmaz"), with any spaces
//! between its words but not across a line break or a tab, as long as its
//! anchor word (below: the surname, the street) starts with a capital, as
//! names do: "jan de vries" in lower case is not looked for. Findings from
//! the roster are high-confidence.
//!
//! Every finding of the roster carries the row it came from
//! ([`Finding::roster`](crate::detect::Finding::roster), printed by [`Roster::id`]): the value of the row's
//! id column when the roster has one ("klantnummer", "huurdernummer",
//! "relatienummer", "id", "nr" ..., see `key_rank`), else the file name and
//! the data row, 1 for the first row under the header ("huurders.csv:17").
//! An id column is never a column of personal data, and an id that is a BSN
//! (it passes the 11-check: a register keyed by BSN) is not printed: that
//! row falls back to file:row, and when half or more of a file's ids are
//! BSNs, every row of that file does. When one value (a shared IBAN, "J. de
//! Vries" for Jan and Johan de Vries) belongs to several rows, the first row
//! (in file order, files in the order given) is the one reported.
//!
//! Cheap for tens of thousands of people, in build and in search:
//! - Numbers and e-mail addresses (BSN, IBAN, phone ...) are found by the
//!   pattern detectors anyway; the roster confirms them by normalized value
//!   (a sorted list of fingerprints, each with its person, [`Detector::confirm`](crate::detect::Detector::confirm)).
//! - A name or address form is a sequence of tokens (a word folded to lower
//!   case without diacritics, or one punctuation mark), kept as the 64-bit
//!   hash of that sequence. Each form has an anchor word (the last word of
//!   the surname; else the form's longest word, the street of an address),
//!   and an index maps each anchor to its forms (each with its person) and
//!   their shapes: how many tokens stand before and after the anchor.
//! - The search jumps from capital to capital (eight bytes at a time),
//!   hashes the word that starts there and probes the anchor index (a Bloom
//!   filter first); only at an anchor are the tokens around it read and the
//!   few candidate sequences (one per shape) looked up among that anchor's
//!   forms. The leftmost, then longest, form wins where forms overlap.
//!
//! Building is one pass over the rows (no automaton, no list of people in
//! between): 50,000 rows in about a tenth of a second, most of it
//! normalizing their numbers (`benches/README.md`).

use std::path::Path;

mod file;
mod forms;
mod index;
mod search;
#[cfg(test)]
mod tests;
mod tokens;

use file::{file_name, read_rows, KeyCheck};
pub use file::{Person, RosterError};
pub use forms::name_variants;
use index::Builder;
pub use index::Roster;

impl Roster {
    /// A roster of `people`, each with its [`Person::id`] (an id that is a
    /// BSN is not used, as in a file).
    pub fn new(people: &[Person]) -> Self {
        let mut b = Builder::default();
        let mut keys = KeyCheck::default();
        let mut values = Vec::new();
        for (i, p) in people.iter().enumerate() {
            values.clear();
            values.extend(p.values.iter().map(|(k, v)| (*k, v.as_str())));
            let key = keys.take(Some(&p.id));
            b.person(i as u32 + 1, key, &values);
        }
        b.file_done(String::new(), keys.usable());
        b.finish()
    }

    /// Number of people in the roster.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the roster has no people.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The id of the person with index `person` (as in [`Finding::roster`](crate::detect::Finding::roster)):
    /// the value of its row's id column, else "file:row" ("huurders.csv:17",
    /// rows counted from the first row under the header).
    pub fn id(&self, person: u32) -> Option<String> {
        let r = self.rows.get(person as usize)?;
        let file = &self.files[r.file as usize];
        let key = &self.id_text[r.key.0 as usize..r.key.1 as usize];
        Some(if file.keys && !key.is_empty() {
            key.to_string()
        } else if file.name.is_empty() {
            r.row.to_string()
        } else {
            format!("{}:{}", file.name, r.row)
        })
    }

    /// People from a CSV (any common delimiter) or XLSX/XLS/ODS file, each
    /// with its id ([`Roster::id`]).
    pub fn read_people(path: &Path) -> Result<Vec<Person>, RosterError> {
        let mut people = Vec::new();
        let mut rows = Vec::new();
        let keys = read_rows(path, |row, key, values| {
            rows.push(row);
            people.push(Person {
                id: key.unwrap_or_default().to_string(),
                values: values.iter().map(|(k, v)| (*k, v.to_string())).collect(),
            })
        })?;
        let name = file_name(path);
        for (p, row) in people.iter_mut().zip(rows) {
            if !keys || p.id.is_empty() {
                p.id = format!("{name}:{row}");
            }
        }
        Ok(people)
    }

    /// A roster from several files, read row by row into the index.
    pub fn from_files(paths: &[impl AsRef<Path>]) -> Result<Self, RosterError> {
        let mut b = Builder::default();
        for p in paths {
            let p = p.as_ref();
            let keys = read_rows(p, |row, key, values| b.person(row, key, values))?;
            b.file_done(file_name(p), keys);
        }
        Ok(b.finish())
    }
}
