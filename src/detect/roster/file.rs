//! The roster file format: CSV (any common delimiter) or the first sheet of
//! a workbook, a header row naming the columns (name, bsn, iban, email,
//! phone, address ...), and the id column each row is reported by, refused
//! when it holds BSNs.

use crate::kind::Kind;
use std::path::Path;

/// A roster file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    /// The file cannot be read or is not a valid roster.
    #[error("{path}: {detail}")]
    File {
        /// The roster file's path.
        path: String,
        /// What is wrong.
        detail: String,
    },
}

/// One person's values, by kind.
#[derive(Debug, Default, Clone)]
pub struct Person {
    /// The row's id as reported ([`Roster::id`](super::Roster::id)): the id column's value, or
    /// "file:row". In [`Roster::new`](super::Roster::new), an empty id is the 1-based position
    /// in the list.
    pub id: String,
    /// The person's values: (kind, value as written in the roster).
    pub values: Vec<(Kind, String)>,
}

pub(super) fn column_kind(header: &str) -> Option<Kind> {
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
        "id_document" | "paspoort" | "paspoortnummer" | "id-kaart" | "rijbewijs" => {
            Kind::IdDocument
        }
        "geboortedatum" | "birth_date" | "birthdate" | "date of birth" => Kind::BirthDate,
        _ => return None,
    })
}

/// Whether a header names the row's id column, and how surely (0: a number
/// of the register such as "klantnummer", 1: a bare "id" or "nr"); the
/// surest, then the leftmost, is the id column. Spaces, dots, dashes and
/// underscores do not count ("Klant-nr.", "relatie_nummer"). None of these
/// is a column of personal data ([`column_kind`]: "id_document", "paspoort").
pub(super) fn key_rank(header: &str) -> Option<u8> {
    let h: String = header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    match h.as_str() {
        "klantnummer" | "klantnr" | "klantid" | "huurdernummer" | "huurdernr" | "huurderid"
        | "relatienummer" | "relatienr" | "relatieid" | "debiteurnummer" | "debiteurnr"
        | "contractnummer" | "contractnr" | "persoonsnummer" | "persoonsnr" | "dossiernummer"
        | "dossiernr" | "registratienummer" | "customerid" | "customernumber" | "tenantid"
        | "personid" => Some(0),
        "id" | "nr" | "nummer" | "number" | "no" | "key" => Some(1),
        _ => None,
    }
}

/// The ids of one roster file: an id that is a BSN (it passes the
/// 11-check) is refused, and when half or more of the ids are, the column
/// is taken for a BSN column and none is used (random 8- or 9-digit
/// customer numbers pass the check about one time in eleven).
#[derive(Default)]
pub(super) struct KeyCheck {
    pub(super) keys: u32,
    pub(super) bsns: u32,
}

impl KeyCheck {
    /// The id to use for a row (trimmed, not empty, not a BSN).
    pub(super) fn take<'a>(&mut self, key: Option<&'a str>) -> Option<&'a str> {
        let key = key.map(str::trim).filter(|k| !k.is_empty())?;
        self.keys += 1;
        if crate::detect::validate::bsn(key).is_some() {
            self.bsns += 1;
            return None;
        }
        Some(key)
    }

    /// Whether the file's ids are used at all.
    pub(super) fn usable(&self) -> bool {
        self.bsns == 0 || self.bsns * 2 < self.keys
    }
}

/// Where a person stands in the roster.
#[derive(Clone, Copy, Debug)]
pub(super) struct RowRef {
    /// Index in [`Roster::files`].
    pub(super) file: u32,
    /// Data row, 1-based (1: the first row under the header).
    pub(super) row: u32,
    /// The id column's value: a range in [`Roster::id_text`] (empty: none).
    pub(super) key: (u32, u32),
}

/// A roster file, as ids name it.
#[derive(Debug)]
pub(super) struct IdFile {
    /// The file name ("huurders.csv"); empty for [`Roster::new`].
    pub(super) name: String,
    /// Whether its id column is used ([`KeyCheck::usable`]).
    pub(super) keys: bool,
}

/// What reading one roster file gave.
pub(super) struct Read {
    pub(super) people: usize,
    /// Whether the ids given are to be used ([`KeyCheck::usable`]).
    pub(super) keys: bool,
}

/// Rows of cells, one at a time, to people: the first row is the header;
/// each later row's cells under a known column, trimmed and not empty, are a
/// person's values, given to `person` with the row's number (1-based, data
/// rows) and id ([`KeyCheck::take`]).
pub(super) struct Rows<F> {
    pub(super) cols: Option<Vec<Option<Kind>>>,
    /// The id column.
    pub(super) key_col: Option<usize>,
    pub(super) person: F,
    pub(super) people: usize,
    /// Data rows so far.
    pub(super) row: u32,
    pub(super) keys: KeyCheck,
}

impl<F: FnMut(u32, Option<&str>, &[(Kind, &str)])> Rows<F> {
    pub(super) fn new(person: F) -> Self {
        Rows {
            cols: None,
            key_col: None,
            person,
            people: 0,
            row: 0,
            keys: KeyCheck::default(),
        }
    }

    pub(super) fn row<'a>(&mut self, cells: impl Iterator<Item = &'a str>) {
        let Some(cols) = &self.cols else {
            let headers: Vec<&str> = cells.collect();
            self.key_col = (0..headers.len())
                .filter_map(|i| Some((key_rank(headers[i])?, i)))
                .min()
                .map(|(_, i)| i);
            self.cols = Some(headers.into_iter().map(column_kind).collect());
            return;
        };
        self.row += 1;
        let mut key = None;
        let mut values: Vec<(Kind, &str)> = Vec::with_capacity(cols.len());
        for (i, cell) in cells.enumerate() {
            if Some(i) == self.key_col {
                key = Some(cell);
                continue;
            }
            let v = cell.trim();
            if let Some(Some(k)) = cols.get(i) {
                if !v.is_empty() {
                    values.push((*k, v));
                }
            }
        }
        if !values.is_empty() {
            let key = self.keys.take(key);
            (self.person)(self.row, key, &values);
            self.people += 1;
        }
    }

    /// A row that could not be read: counted, so later rows keep their number.
    pub(super) fn skip(&mut self) {
        if self.cols.is_some() {
            self.row += 1;
        }
    }

    pub(super) fn done(self) -> Read {
        Read {
            people: self.people,
            keys: self.keys.usable(),
        }
    }
}

/// The people of CSV text (any common delimiter) to `person`.
pub(super) fn csv_rows(text: &str, person: impl FnMut(u32, Option<&str>, &[(Kind, &str)])) -> Read {
    let delimiter = crate::extract::csv::sniff_delimiter(text);
    let mut rdr = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Rows::new(person);
    let mut rec = ::csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => rows.row(rec.iter()),
            Ok(false) => break,
            // A line that cannot be read is skipped; the rest of the file counts.
            Err(_) => rows.skip(),
        }
    }
    rows.done()
}

/// The people of the first worksheet of a workbook to `person`.
pub(super) fn sheet_rows(
    path: &Path,
    person: impl FnMut(u32, Option<&str>, &[(Kind, &str)]),
) -> Result<Read, String> {
    use calamine::{open_workbook_auto, Data, Reader};
    let mut wb = open_workbook_auto(path).map_err(|e| e.to_string())?;
    let sheet = wb.sheet_names().first().cloned().ok_or("no worksheet")?;
    let range = wb.worksheet_range(&sheet).map_err(|e| e.to_string())?;
    let mut rows = Rows::new(person);
    let mut cells: Vec<String> = Vec::new();
    for r in range.rows() {
        cells.clear();
        cells.extend(r.iter().map(|c| match c {
            // Numbers stored as numbers (a BSN, a phone number without 0).
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                format!("{}", *f as i64)
            }
            Data::Empty => String::new(),
            other => other.to_string(),
        }));
        rows.row(cells.iter().map(String::as_str));
    }
    Ok(rows.done())
}

/// The people of a roster file (CSV, or XLSX/XLS/ODS) to `person`; whether
/// the ids given are to be used ([`KeyCheck::usable`]).
pub(super) fn read_rows(
    path: &Path,
    person: impl FnMut(u32, Option<&str>, &[(Kind, &str)]),
) -> Result<bool, RosterError> {
    let err = |detail: String| RosterError::File {
        path: path.display().to_string(),
        detail,
    };
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let read = if matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "xlsb" | "ods") {
        sheet_rows(path, person).map_err(err)?
    } else {
        let bytes = std::fs::read(path).map_err(|e| err(e.to_string()))?;
        match std::str::from_utf8(&bytes) {
            Ok(t) => csv_rows(t.trim_start_matches('\u{feff}'), person),
            Err(_) => csv_rows(&encoding_rs::WINDOWS_1252.decode(&bytes).0, person),
        }
    };
    if read.people == 0 {
        return Err(err(
            "no people found (expected a header row with columns such as name, bsn, iban, email, phone, address)"
                .into(),
        ));
    }
    Ok(read.keys)
}

/// The name a roster file has in ids: its file name.
pub(super) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
