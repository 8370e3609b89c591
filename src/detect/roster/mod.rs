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
//! ([`Finding::roster`], printed by [`Roster::id`]): the value of the row's
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
//!   (a sorted list of fingerprints, each with its person, [`Detector::confirm`]).
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

use super::names::lexicon::{fold_into, key_hash, Fx, Lexicon, PassThrough};
use super::names::lexicon::{TV, TV1};
use super::normalize::normalize;
use super::{Detector, Finding};
use crate::kind::Kind;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::path::Path;

/// Confidence of a roster match.
const CONFIDENCE: f32 = 0.97;

/// Forms with fewer letters and digits than this are not looked for: too
/// short to be safe over all text ("Li", "J. Li").
const MIN_ALNUM: u32 = 4;

/// A map keyed by a hash that is already well mixed.
type Hashed<V> = HashMap<u64, V, BuildHasherDefault<PassThrough>>;

/// An anchor word's entry in the index.
#[derive(Clone, Copy, Debug)]
struct Anchor {
    /// Its shapes: a range in [`Roster::shapes`].
    shapes: (u32, u32),
    /// Its forms: a range in [`Roster::forms`].
    forms: (u32, u32),
    /// The tokens right before and right after the anchor in its forms, one
    /// bit each ([`near_bit`]): a quick test before the tokens further away
    /// are read (most anchors in running text are surnames that are also
    /// words: "Wijk", "Ketel").
    before: u64,
    after: u64,
}

fn near_bit(h: u64) -> u64 {
    1 << (h >> 58)
}

/// A 64-bit fingerprint of a normalized value (SipHash). With 200,000 values
/// in a roster, a value that is not among them matches one by chance about
/// once in 10^14 look-ups; name and address forms are 64-bit hashes too.
fn fingerprint(kind: Kind, norm: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    (kind, norm).hash(&mut h);
    h.finish()
}

/// The bit of an anchor hash in the Bloom filter of `bits` bits (a power of 2).
#[inline]
fn bloom_bit(h: u64, bits: usize) -> usize {
    (h >> 20) as usize & (bits - 1)
}

/// Known people.
pub struct Roster {
    /// Anchor word (hash of its folded form) -> its entry.
    anchors: Hashed<Anchor>,
    /// A Bloom filter (one bit per anchor) before the probe of `anchors`.
    bloom: Vec<u64>,
    /// Bit n: some anchor folds to an ASCII word of n bytes ([`ascii_len_bit`]).
    /// Most words of a text are not probed at all.
    ascii_lens: u64,
    /// Per anchor, sorted: (tokens before, tokens after) the anchor in a form.
    shapes: Vec<(u8, u8)>,
    /// Per anchor, sorted: the token-sequence hash of each of its forms, the
    /// form's kind and the person (index in `rows`) it belongs to (kept
    /// together: the few forms of one anchor are looked up in one place).
    forms: Vec<(u64, Kind, u32)>,
    /// Values the pattern detectors find and normalize themselves (BSN, IBAN,
    /// e-mail, phone ...), by [`fingerprint`], sorted, with their person:
    /// looked up, not searched for.
    known: Vec<(u64, u32)>,
    /// Per person: its file, row and id.
    rows: Vec<RowRef>,
    /// The id column values of all people, one after another.
    id_text: String,
    files: Vec<IdFile>,
}

/// A roster file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    #[error("{path}: {detail}")]
    File { path: String, detail: String },
}

/// One person's values, by kind.
#[derive(Debug, Default, Clone)]
pub struct Person {
    /// The row's id as reported ([`Roster::id`]): the id column's value, or
    /// "file:row". In [`Roster::new`], an empty id is the 1-based position
    /// in the list.
    pub id: String,
    pub values: Vec<(Kind, String)>,
}

fn column_kind(header: &str) -> Option<Kind> {
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
fn key_rank(header: &str) -> Option<u8> {
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
struct KeyCheck {
    keys: u32,
    bsns: u32,
}

impl KeyCheck {
    /// The id to use for a row (trimmed, not empty, not a BSN).
    fn take<'a>(&mut self, key: Option<&'a str>) -> Option<&'a str> {
        let key = key.map(str::trim).filter(|k| !k.is_empty())?;
        self.keys += 1;
        if super::validate::bsn(key).is_some() {
            self.bsns += 1;
            return None;
        }
        Some(key)
    }

    /// Whether the file's ids are used at all.
    fn usable(&self) -> bool {
        self.bsns == 0 || self.bsns * 2 < self.keys
    }
}

/// Where a person stands in the roster.
#[derive(Clone, Copy, Debug)]
struct RowRef {
    /// Index in [`Roster::files`].
    file: u32,
    /// Data row, 1-based (1: the first row under the header).
    row: u32,
    /// The id column's value: a range in [`Roster::id_text`] (empty: none).
    key: (u32, u32),
}

/// A roster file, as ids name it.
#[derive(Debug)]
struct IdFile {
    /// The file name ("huurders.csv"); empty for [`Roster::new`].
    name: String,
    /// Whether its id column is used ([`KeyCheck::usable`]).
    keys: bool,
}

/// What reading one roster file gave.
struct Read {
    people: usize,
    /// Whether the ids given are to be used ([`KeyCheck::usable`]).
    keys: bool,
}

/// Rows of cells, one at a time, to people: the first row is the header;
/// each later row's cells under a known column, trimmed and not empty, are a
/// person's values, given to `person` with the row's number (1-based, data
/// rows) and id ([`KeyCheck::take`]).
struct Rows<F> {
    cols: Option<Vec<Option<Kind>>>,
    /// The id column.
    key_col: Option<usize>,
    person: F,
    people: usize,
    /// Data rows so far.
    row: u32,
    keys: KeyCheck,
}

impl<F: FnMut(u32, Option<&str>, &[(Kind, &str)])> Rows<F> {
    fn new(person: F) -> Self {
        Rows {
            cols: None,
            key_col: None,
            person,
            people: 0,
            row: 0,
            keys: KeyCheck::default(),
        }
    }

    fn row<'a>(&mut self, cells: impl Iterator<Item = &'a str>) {
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
    fn skip(&mut self) {
        if self.cols.is_some() {
            self.row += 1;
        }
    }

    fn done(self) -> Read {
        Read {
            people: self.people,
            keys: self.keys.usable(),
        }
    }
}

/// The people of CSV text (any common delimiter) to `person`.
fn csv_rows(text: &str, person: impl FnMut(u32, Option<&str>, &[(Kind, &str)])) -> Read {
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
fn sheet_rows(
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
fn read_rows(
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
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

// ---------------------------------------------------------------------------
// Spelling forms

/// No anchor piece: the form's longest word that starts with a letter
/// anchors it.
const NO_ANCHOR: u16 = u16::MAX;
/// Piece 0 of every value is the comma.
const COMMA: u16 = 0;
/// Most pieces in one form.
const MAX_PARTS: usize = 4;

/// One spelling form: pieces in order.
#[derive(Clone, Copy, Debug)]
struct Form {
    parts: [u16; MAX_PARTS],
    len: u8,
    /// The piece whose last word is the anchor, or [`NO_ANCHOR`].
    anchor: u16,
}

/// The spelling forms of one roster value: pieces of text (a surname, "J.P.",
/// the comma) and forms made of them. Rendered, pieces are joined by a space
/// and the comma sticks to the piece before it; as tokens, a form is its
/// pieces' tokens in order. Reused from value to value (no allocation per
/// form).
#[derive(Default)]
struct Forms {
    text: String,
    /// Byte ranges of the pieces in `text`.
    pieces: Vec<(u32, u32)>,
    forms: Vec<Form>,
}

impl Forms {
    fn clear(&mut self) {
        self.text.clear();
        self.pieces.clear();
        self.forms.clear();
        self.piece(",");
    }

    fn piece(&mut self, s: &str) -> u16 {
        self.joined([s])
    }

    /// A piece of words joined by single spaces. The same text twice is one
    /// piece (a single given name is also the first one; "J." is all the
    /// initials), so the forms made of it are the same forms.
    fn joined<'a>(&mut self, words: impl IntoIterator<Item = &'a str>) -> u16 {
        let start = self.text.len();
        for (i, w) in words.into_iter().enumerate() {
            if i > 0 {
                self.text.push(' ');
            }
            self.text.push_str(w);
        }
        let new = &self.text[start..];
        if let Some(p) = self
            .pieces
            .iter()
            .position(|&(s, e)| &self.text[s as usize..e as usize] == new)
        {
            self.text.truncate(start);
            return p as u16;
        }
        self.pieces.push((start as u32, self.text.len() as u32));
        (self.pieces.len() - 1).min(NO_ANCHOR as usize - 1) as u16
    }

    fn get(&self, p: u16) -> &str {
        let (s, e) = self.pieces[p as usize];
        &self.text[s as usize..e as usize]
    }

    /// A form of the given pieces (`None` pieces are left out).
    fn form(&mut self, parts: &[Option<u16>], anchor: u16) {
        let mut f = Form {
            parts: [0; MAX_PARTS],
            len: 0,
            anchor,
        };
        for p in parts.iter().flatten() {
            f.parts[f.len as usize] = *p;
            f.len += 1;
        }
        let same = |g: &Form| g.len == f.len && g.parts == f.parts && g.anchor == f.anchor;
        if !self.forms.iter().any(same) {
            self.forms.push(f);
        }
    }

    fn render(&self, f: &Form) -> String {
        let mut s = String::new();
        for (i, &p) in f.parts[..f.len as usize].iter().enumerate() {
            if i > 0 && p != COMMA {
                s.push(' ');
            }
            s.push_str(self.get(p));
        }
        s
    }
}

/// The spelling forms of a name as it stands in the roster (see the module
/// documentation), added to `f`.
fn name_forms(name: &str, lex: &Lexicon, buf: &mut String, f: &mut Forms) {
    let words: Vec<&str> = name.split_whitespace().collect();
    // "Vries, Jan de" in the roster: this form, then the forms of the name
    // turned around.
    if let Some((sur, given)) = name.split_once(',') {
        let whole = f.joined(words.iter().copied());
        f.form(&[Some(whole)], NO_ANCHOR);
        let given: Vec<&str> = given.split_whitespace().collect();
        let (tv_after, given): (Vec<&str>, Vec<&str>) = given
            .iter()
            .partition(|w| lex.flags(w, buf) & (TV | TV1) != 0 && !w.ends_with('.'));
        let forward: Vec<&str> = given
            .iter()
            .chain(tv_after.iter())
            .copied()
            .chain(sur.split_whitespace())
            .collect();
        name_forms(&forward.join(" "), lex, buf, f);
        return;
    }
    // Given names, tussenvoegsel, surname: the tussenvoegsel starts at the
    // first lower-case particle after the first word.
    let tv_at = (1..words.len())
        .find(|&k| {
            let w = words[k];
            w.chars().next().is_some_and(char::is_lowercase) && lex.flags(w, buf) & (TV | TV1) != 0
        })
        .unwrap_or(words.len().saturating_sub(1));
    let (given, rest) = words.split_at(tv_at);
    let tv_len = rest
        .iter()
        .take_while(|w| w.chars().next().is_some_and(char::is_lowercase))
        .count();
    if words.len() < 2 || tv_at == 0 || tv_len == rest.len() {
        let whole = f.joined(words.iter().copied());
        f.form(&[Some(whole)], NO_ANCHOR);
        return;
    }
    let surname = f.joined(rest[tv_len..].iter().copied());
    let (tv, cap_tv) = if tv_len > 0 {
        let tv = f.joined(rest[..tv_len].iter().copied());
        let mut c = f.get(tv).chars();
        let cap: String = c
            .next()
            .map(|first| first.to_uppercase().chain(c).collect())
            .unwrap_or_default();
        (Some(tv), Some(f.piece(&cap)))
    } else {
        (None, None)
    };
    let initials: Vec<char> = given.iter().filter_map(|g| g.chars().next()).collect();
    let mut s = String::new();
    for c in &initials {
        s.push(*c);
        s.push('.');
    }
    let all = f.piece(&s); // "J.P."
    s.clear();
    for (i, c) in initials.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push(*c);
        s.push('.');
    }
    let spaced = f.piece(&s); // "J. P."
    let first = f.piece(&s[..initials.first().map_or(0, |c| c.len_utf8() + 1)]); // "J."
    let given_full = f.joined(given.iter().copied());
    let given_first = f.piece(given[0]);
    let (sur, comma) = (Some(surname), Some(COMMA));
    for ini in [all, spaced, first, given_full, given_first].map(Some) {
        f.form(&[ini, tv, sur], surname);
        f.form(&[cap_tv, sur, comma, ini], surname);
        if tv.is_some() {
            f.form(&[sur, comma, ini, tv], surname);
            f.form(&[sur, tv, comma, ini], surname);
        }
    }
}

/// Spelling variants of a name as it stands in the roster.
pub fn name_variants(name: &str) -> Vec<String> {
    let mut f = Forms::default();
    f.clear();
    name_forms(name, Lexicon::get(), &mut String::new(), &mut f);
    let mut out: Vec<String> = f.forms.iter().map(|x| f.render(x)).collect();
    out.sort();
    out.dedup();
    out
}

/// The spelling forms of an address as it stands in the roster, added to
/// `f`: the whole value; street and house number alone when more follows
/// (", 1234 AB Utrecht"); and a toevoeging as "12a", "12 a" and "12-a".
fn address_forms(value: &str, f: &mut Forms, toks: &mut Vec<Tok>, buf: &mut String) {
    let whole = f.joined(value.split_whitespace());
    f.form(&[Some(whole)], NO_ANCHOR);
    let text = f.get(whole).to_string();
    if !tokenize(&text, toks, buf) {
        return;
    }
    // The house number: the first token starting with a digit after a word.
    let Some(k) = toks
        .iter()
        .position(|t| text[t.start..].starts_with(|c: char| c.is_ascii_digit()))
    else {
        return;
    };
    if !toks[..k].iter().any(|t| t.word) {
        return;
    }
    let tok_text = |i: usize| &text[toks[i].start..toks[i].end];
    let num_tok = tok_text(k);
    let digits = num_tok.bytes().take_while(u8::is_ascii_digit).count();
    let (number, attached) = num_tok.split_at(digits);
    let is_letters = |s: &str| !s.is_empty() && s.chars().all(char::is_alphabetic);
    let is_word = |i: usize| toks.get(i).is_some_and(|t| t.word);
    let (toev, next) = if !attached.is_empty() {
        if !is_letters(attached) {
            return;
        }
        (Some(attached), k + 1)
    } else if toks
        .get(k + 1)
        .is_some_and(|t| !t.word && tok_text(k + 1) == "-")
        && is_word(k + 2)
        && toks[k + 2].alnum <= 4
    {
        (Some(tok_text(k + 2)), k + 3)
    } else if is_word(k + 1)
        && is_letters(tok_text(k + 1))
        && toks[k + 1].alnum <= 3
        && !is_word(k + 2)
    {
        (Some(tok_text(k + 1)), k + 2)
    } else {
        (None, k + 1)
    };
    let street = f.piece(text[..toks[k].start].trim_end());
    let num = f.piece(number);
    match toev {
        None if next < toks.len() => f.form(&[Some(street), Some(num)], NO_ANCHOR),
        None => {}
        Some(t) => {
            let t_piece = f.piece(t);
            let dash = f.piece("-");
            f.form(
                &[Some(street), Some(num), Some(dash), Some(t_piece)],
                NO_ANCHOR,
            );
            if is_letters(t) {
                let glued = f.piece(&format!("{number}{t}"));
                f.form(&[Some(street), Some(glued)], NO_ANCHOR);
                f.form(&[Some(street), Some(num), Some(t_piece)], NO_ANCHOR);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Tokens

/// A token of text or of a form: a word (a run of letters, digits and
/// combining marks) or one punctuation mark.
#[derive(Clone, Copy, Debug)]
struct Tok {
    /// Hash of the folded word or of the punctuation mark.
    h: u64,
    start: usize,
    end: usize,
    /// Letters and digits in it.
    alnum: u32,
    word: bool,
    /// A word that starts with a letter (only such a word can anchor a form:
    /// the search looks at words that start with a capital).
    letter: bool,
    /// A word whose folded form is ASCII: its length ([`ascii_len_bit`]); else 0.
    ascii_len: u8,
}

impl Tok {
    /// The word `s[start..end]`, with `alnum` letters and digits.
    fn word(s: &str, start: usize, end: usize, alnum: u32, letter: bool, buf: &mut String) -> Tok {
        let (h, ascii_len) = word_hash(&s[start..end], buf);
        Tok {
            h,
            start,
            end,
            alnum,
            word: true,
            letter,
            ascii_len,
        }
    }

    /// The punctuation mark `c` at byte `start`.
    fn punct(c: char, start: usize) -> Tok {
        Tok {
            h: punct_hash(c),
            start,
            end: start + c.len_utf8(),
            alnum: 0,
            word: false,
            letter: false,
            ascii_len: 0,
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || (!c.is_ascii() && unicode_normalization::char::is_combining_mark(c))
}

/// Space a form may have between two tokens: spaces, not a line break or tab.
fn is_gap(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

const K: u64 = 0x9e37_79b9_7f4a_7c15;

/// The hash of a word as written: that of its folded form (lower case, no
/// diacritics), so "VRIES", "Vries" and "Vriës" hash alike. Also the length
/// of the folded form when it is ASCII ([`ascii_len_bit`]), else 0.
#[inline]
fn word_hash(w: &str, buf: &mut String) -> (u64, u8) {
    if w.is_ascii() {
        // `key_hash` lower-cases ASCII letters and leaves digits alone.
        return (key_hash(w.as_bytes()), ascii_len_bit(w.len()));
    }
    fold_into(w, buf);
    if buf.is_ascii() {
        (key_hash(buf.as_bytes()), ascii_len_bit(buf.len()))
    } else {
        let mut h = Fx::default();
        h.write(buf.as_bytes());
        (h.finish() ^ 0x2545_f491_4f6c_dd1d, 0)
    }
}

/// The bit of a word length in [`Roster::ascii_lens`] (63: that long or longer).
#[inline]
fn ascii_len_bit(len: usize) -> u8 {
    len.min(63) as u8
}

fn punct_hash(c: char) -> u64 {
    let c = match c {
        '’' | '‘' | '`' | '´' => '\'',
        '‐' | '‑' => '-',
        c => c,
    };
    ((c as u64) ^ 0xa076_1d64_78bd_642f)
        .wrapping_mul(K)
        .rotate_left(31)
}

/// One more token in a sequence hash.
#[inline]
fn step(h: u64, t: u64) -> u64 {
    (h.rotate_left(5) ^ t).wrapping_mul(K)
}

const SEED: u64 = 0x8ebc_6af0_9c88_c6e3;

/// The token that starts at or after byte `i` (after spaces); `None` at the
/// end of the text or at a line break, tab or control character.
fn next_tok(s: &str, i: usize, buf: &mut String) -> Option<Tok> {
    let mut it = s[i..].char_indices();
    loop {
        let (o, c) = it.next()?;
        if is_gap(c) {
            continue;
        }
        let start = i + o;
        if is_word_char(c) {
            let mut end = start + c.len_utf8();
            let letter = c.is_alphabetic();
            let mut alnum = u32::from(c.is_alphanumeric());
            for (o, c) in it {
                if !is_word_char(c) {
                    break;
                }
                end = i + o + c.len_utf8();
                alnum += u32::from(c.is_alphanumeric());
            }
            return Some(Tok::word(s, start, end, alnum, letter, buf));
        }
        if c.is_whitespace() || c.is_control() {
            return None;
        }
        return Some(Tok::punct(c, start));
    }
}

/// The token that ends at or before byte `i` (before spaces); `None` at the
/// start of the text or at a line break, tab or control character.
fn prev_tok(s: &str, i: usize, buf: &mut String) -> Option<Tok> {
    let mut it = s[..i].char_indices().rev();
    loop {
        let (o, c) = it.next()?;
        if is_gap(c) {
            continue;
        }
        let end = o + c.len_utf8();
        if is_word_char(c) {
            let mut start = o;
            let mut alnum = u32::from(c.is_alphanumeric());
            let mut letter = c.is_alphabetic();
            for (o, c) in it {
                if !is_word_char(c) {
                    break;
                }
                start = o;
                alnum += u32::from(c.is_alphanumeric());
                letter = c.is_alphabetic();
            }
            return Some(Tok::word(s, start, end, alnum, letter, buf));
        }
        if c.is_whitespace() || c.is_control() {
            return None;
        }
        return Some(Tok::punct(c, o));
    }
}

/// Whether `text[start..end]` stands on its own: no word character right
/// before or after it (a form may start or end with a mark), and no hyphen
/// that joins it to a word: "Klerks, S." is not in "Van Essen-Klerks, S.",
/// "Jan de Vries" not in "Jan de Vries-Jansen", "Dorpsstraat 12" not in
/// "Dorpsstraat 12-a".
fn whole(text: &str, start: usize, end: usize) -> bool {
    let hyphen = |c: char| matches!(c, '-' | '‐' | '‑');
    let mut before = text[..start].chars().rev();
    let mut after = text[end..].chars();
    let joined_before = match before.next() {
        Some(c) if is_word_char(c) => true,
        Some(c) if hyphen(c) => before.next().is_some_and(is_word_char),
        _ => false,
    };
    let joined_after = match after.next() {
        Some(c) if is_word_char(c) => true,
        Some(c) if hyphen(c) => after.next().is_some_and(is_word_char),
        _ => false,
    };
    !joined_before && !joined_after
}

/// Whether a name form found at `text[start..end]` is the whole name there,
/// not the end or start of a longer one: not right after an initial
/// ("S. Wolters" in "T.D.S. Wolters"), and a surname-first form not right
/// after the tussenvoegsel of its surname ("Brink, F." in "Van den Brink, F.",
/// "Hoes-van den Brink, F.") nor before a tussenvoegsel or initial that ends
/// the name ("Wal, S." in "Wal, S. van der", "Wolters, T." in
/// "Wolters, T. D."). The names detector still finds the longer name.
fn name_stands_alone(text: &str, start: usize, end: usize, buf: &mut String) -> bool {
    let lex = Lexicon::get();
    let word = |t: &Tok| &text[t.start..t.end];
    let is_initial = |w: &str| {
        let mut c = w.chars();
        match (c.next(), c.next()) {
            (Some(a), None) => a.is_uppercase(),
            _ => matches!(w, "IJ" | "Th" | "Ch" | "Ph"),
        }
    };
    let is_dot = |t: &Tok| !t.word && word(t) == ".";
    let prev = prev_tok(text, start, buf);
    if let Some(p) = prev.filter(is_dot) {
        if prev_tok(text, p.start, buf).is_some_and(|q| q.word && is_initial(word(&q))) {
            return false;
        }
    }
    if !text[start..end].contains(',') {
        return true;
    }
    // A run of words that together are a tussenvoegsel ("van den", "ter").
    let mut fold_buf = String::new();
    let mut is_tv = |words: &[&str]| {
        if words.is_empty() || words.len() > 3 {
            return false;
        }
        if let [w] = words {
            return lex.flags(w, &mut fold_buf) & TV1 != 0;
        }
        let joined = words.join(" ");
        fold_into(&joined, &mut fold_buf);
        lex.is_tv_multi(&fold_buf)
    };
    // Tussenvoegsel words right before: part of the name when written with a
    // capital ("Van den Brink") or when nothing but a mark stands before
    // them; after a word in lower case they are prose ("brief van Brink, F.").
    let mut before: Vec<Tok> = Vec::new();
    let mut at = start;
    while before.len() < 3 {
        match prev_tok(text, at, buf) {
            Some(t) if t.word && t.letter => {
                at = t.start;
                before.push(t);
            }
            _ => break,
        }
    }
    // The longest run of them that is a tussenvoegsel.
    for n in (1..=before.len()).rev() {
        let words: Vec<&str> = before[..n].iter().rev().map(word).collect();
        if is_tv(&words) {
            let capital = words[0].starts_with(char::is_uppercase);
            if capital || !prev_tok(text, before[n - 1].start, buf).is_some_and(|t| t.word) {
                return false;
            }
            break;
        }
    }
    // Right after: another initial, or a tussenvoegsel that ends the name.
    let Some(n) = next_tok(text, end, buf) else {
        return true;
    };
    if n.word && is_initial(word(&n)) && next_tok(text, n.end, buf).is_some_and(|t| is_dot(&t)) {
        return false;
    }
    let mut after: Vec<Tok> = Vec::new();
    let mut at = end;
    while after.len() < 4 {
        match next_tok(text, at, buf) {
            Some(t) if t.word => {
                at = t.end;
                after.push(t);
            }
            _ => break,
        }
    }
    // The whole run of words after the form is a tussenvoegsel.
    let words: Vec<&str> = after.iter().map(word).collect();
    !is_tv(&words)
}

/// All tokens of `s` into `out`; false when a line break, tab or control
/// character stops them before the end.
fn tokenize(s: &str, out: &mut Vec<Tok>, buf: &mut String) -> bool {
    out.clear();
    let mut i = 0;
    while let Some(t) = next_tok(s, i, buf) {
        i = t.end;
        out.push(t);
    }
    s[i..].chars().all(is_gap)
}

// ---------------------------------------------------------------------------
// The index

/// An anchor's entry while the index is built.
#[derive(Default)]
struct Pending {
    forms: Vec<(u64, Kind, u32)>,
    shapes: Vec<(u8, u8)>,
    before: u64,
    after: u64,
}

/// Builds the index from the forms of one value after another.
#[derive(Default)]
struct Builder {
    /// Fingerprints of the values looked up, not searched for, and their
    /// person.
    known: Vec<(u64, u32)>,
    rows: Vec<RowRef>,
    id_text: String,
    files: Vec<IdFile>,
    /// The current value's forms.
    value_forms: Forms,
    anchors: Hashed<Pending>,
    ascii_lens: u64,
    /// Hashes of the current value's forms (forms often coincide as tokens:
    /// "J.P." and "J. P.").
    seen: Vec<u64>,
    /// Tokens of the current value's pieces, and each piece's range in it
    /// (`None`: the piece cannot match).
    piece_toks: Vec<Tok>,
    piece_at: Vec<Option<(usize, usize)>>,
    form_toks: Vec<Tok>,
    scratch: Vec<Tok>,
    buf: String,
}

impl Builder {
    /// Add one person's values: the person at data row `row` of the file
    /// being read (the last of `files` once it is pushed), with id `key`.
    fn person(&mut self, row: u32, key: Option<&str>, values: &[(Kind, &str)]) {
        let person = self.rows.len() as u32;
        let from = self.id_text.len() as u32;
        self.id_text.push_str(key.unwrap_or(""));
        self.rows.push(RowRef {
            file: self.files.len() as u32,
            row,
            key: (from, self.id_text.len() as u32),
        });
        let mut f = std::mem::take(&mut self.value_forms);
        for &(kind, v) in values {
            f.clear();
            match kind {
                Kind::Name => name_forms(v, Lexicon::get(), &mut self.buf, &mut f),
                Kind::Address => address_forms(v, &mut f, &mut self.scratch, &mut self.buf),
                _ => {
                    self.known
                        .push((fingerprint(kind, &normalize(kind, v)), person));
                    continue;
                }
            }
            self.add(&f, kind, person);
        }
        self.value_forms = f;
    }

    /// The file whose people were just added is done.
    fn file_done(&mut self, name: String, keys: bool) {
        self.files.push(IdFile { name, keys });
    }

    /// Index the forms in `f`, each found as `kind` of `person`.
    fn add(&mut self, f: &Forms, kind: Kind, person: u32) {
        self.piece_toks.clear();
        self.piece_at.clear();
        for p in 0..f.pieces.len() {
            let ok = tokenize(f.get(p as u16), &mut self.scratch, &mut self.buf);
            let from = self.piece_toks.len();
            self.piece_toks.extend_from_slice(&self.scratch);
            self.piece_at
                .push(ok.then_some((from, self.piece_toks.len())));
        }
        self.seen.clear();
        'form: for form in &f.forms {
            self.form_toks.clear();
            let mut anchor = None;
            for &p in &form.parts[..form.len as usize] {
                let Some((from, to)) = self.piece_at[p as usize] else {
                    continue 'form;
                };
                let toks = &self.piece_toks[from..to];
                if p == form.anchor {
                    anchor = toks
                        .iter()
                        .rposition(|t| t.letter)
                        .map(|i| self.form_toks.len() + i);
                }
                self.form_toks.extend_from_slice(toks);
            }
            let toks = &self.form_toks;
            if toks.iter().map(|t| t.alnum).sum::<u32>() < MIN_ALNUM {
                continue;
            }
            // No anchor piece: the longest word (the last of equals).
            let anchor = anchor.or_else(|| {
                toks.iter()
                    .enumerate()
                    .filter(|(_, t)| t.letter)
                    .max_by_key(|(i, t)| (t.alnum, *i))
                    .map(|(i, _)| i)
            });
            let Some(a) = anchor else {
                continue;
            };
            let (before, after) = (a, toks.len() - a - 1);
            let (Ok(before), Ok(after)) = (u8::try_from(before), u8::try_from(after)) else {
                continue;
            };
            let h = toks.iter().fold(SEED, |h, t| step(h, t.h));
            if self.seen.contains(&h) {
                continue;
            }
            self.seen.push(h);
            self.ascii_lens |= match toks[a].ascii_len {
                0 => 0,
                n => 1 << n,
            };
            let e = self.anchors.entry(toks[a].h).or_insert_with(|| Pending {
                forms: Vec::with_capacity(8),
                ..Pending::default()
            });
            e.forms.push((h, kind, person));
            if !e.shapes.contains(&(before, after)) {
                e.shapes.push((before, after));
            }
            if a > 0 {
                e.before |= near_bit(toks[a - 1].h);
            }
            if let Some(t) = toks.get(a + 1) {
                e.after |= near_bit(t.h);
            }
        }
    }

    fn finish(self) -> Roster {
        let mut known = self.known;
        let mut anchors = Hashed::with_capacity_and_hasher(self.anchors.len(), Default::default());
        let (mut shapes, mut forms) = (Vec::new(), Vec::new());
        // About 16 bits per anchor, at least 4096.
        let bits = (self.anchors.len() * 16).next_power_of_two().max(1 << 12);
        let mut bloom = vec![0u64; bits / 64];
        for (h, mut p) in self.anchors {
            p.shapes.sort_unstable();
            let from = shapes.len() as u32;
            shapes.extend_from_slice(&p.shapes);
            let shapes_at = (from, shapes.len() as u32);
            // The same form as a name and as an address: one kind, the same
            // in every run; of several people, the first.
            p.forms.sort_unstable();
            p.forms.dedup_by_key(|f| f.0);
            let from = forms.len() as u32;
            forms.extend_from_slice(&p.forms);
            anchors.insert(
                h,
                Anchor {
                    shapes: shapes_at,
                    forms: (from, forms.len() as u32),
                    before: p.before,
                    after: p.after,
                },
            );
            let bit = bloom_bit(h, bits);
            bloom[bit / 64] |= 1 << (bit % 64);
        }
        Roster {
            anchors,
            bloom,
            ascii_lens: self.ascii_lens,
            shapes,
            forms,
            // A value of several people: the first.
            known: {
                known.sort_unstable();
                known.dedup_by_key(|k| k.0);
                known
            },
            rows: self.rows,
            id_text: self.id_text,
            files: self.files,
        }
    }
}

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

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The id of the person with index `person` (as in [`Finding::roster`]):
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

    /// Forms around the anchor word `text[ws..we]` (hash `h`), pushed to
    /// `sc.found` as (start, end, kind, person).
    fn around(&self, text: &str, (ws, we, h): (usize, usize, u64), a: &Anchor, sc: &mut Scratch) {
        let Scratch {
            before,
            after,
            buf,
            found,
        } = sc;
        let shapes = &self.shapes[a.shapes.0 as usize..a.shapes.1 as usize];
        let forms = &self.forms[a.forms.0 as usize..a.forms.1 as usize];
        let max_before = shapes.iter().map(|s| s.0).max().unwrap_or(0) as usize;
        let max_after = shapes.iter().map(|s| s.1).max().unwrap_or(0) as usize;
        // The neighbours first: when one is not a neighbour of this anchor
        // in any form, the tokens on that side are not read.
        before.clear();
        let mut at = ws;
        while before.len() < max_before {
            let Some(t) = prev_tok(text, at, buf) else {
                break;
            };
            if before.is_empty() && a.before & near_bit(t.h) == 0 {
                break;
            }
            at = t.start;
            before.push(t);
        }
        after.clear();
        let mut at = we;
        while after.len() < max_after {
            let Some(t) = next_tok(text, at, buf) else {
                break;
            };
            if after.is_empty() && a.after & near_bit(t.h) == 0 {
                break;
            }
            at = t.end;
            after.push(t);
        }
        // Shapes are sorted by tokens before: hash that part once per group,
        // then extend over the tokens after.
        let mut k = 0;
        while k < shapes.len() {
            let nb = shapes[k].0 as usize;
            let group = shapes[k..]
                .iter()
                .take_while(|s| s.0 as usize == nb)
                .count();
            let shapes_here = &shapes[k..k + group];
            k += group;
            if nb > before.len() {
                continue;
            }
            let mut hash = before[..nb].iter().rev().fold(SEED, |x, t| step(x, t.h));
            hash = step(hash, h);
            let mut done = 0;
            for &(_, na) in shapes_here {
                let na = na as usize;
                if na > after.len() {
                    break;
                }
                while done < na {
                    hash = step(hash, after[done].h);
                    done += 1;
                }
                let Ok(at) = forms.binary_search_by_key(&hash, |f| f.0) else {
                    continue;
                };
                let (_, kind, person) = forms[at];
                let start = if nb > 0 { before[nb - 1].start } else { ws };
                let end = if na > 0 { after[na - 1].end } else { we };
                if whole(text, start, end)
                    && (kind != Kind::Name || name_stands_alone(text, start, end, buf))
                {
                    found.push((start, end, kind, person));
                }
            }
        }
    }
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// The position of the next byte at or after `i` that is an ASCII capital
/// or starts a character outside ASCII (which may be a capital: "Ö").
/// Eight bytes at a time: running text has a capital every sentence or so.
#[inline]
fn next_capital(b: &[u8], mut i: usize) -> Option<usize> {
    while i + 8 <= b.len() {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[i..i + 8]);
        let w = u64::from_le_bytes(w);
        // A byte 0x41..=0x5A below 0x80 (SWAR "has between"), or a byte
        // with its two top bits set (a UTF-8 lead byte).
        let low7 = w & (LO * 0x7f);
        let upper = (LO * (127 + 0x5b)).wrapping_sub(low7) & !w & (low7 + LO * (127 - 0x40)) & HI;
        let lead = w & (w << 1) & HI;
        if upper | lead != 0 {
            break;
        }
        i += 8;
    }
    b.get(i..)?
        .iter()
        .position(|&x| x.is_ascii_uppercase() || x >= 0xc0)
        .map(|p| i + p)
}

/// Working space of one search.
#[derive(Default)]
struct Scratch {
    before: Vec<Tok>,
    after: Vec<Tok>,
    buf: String,
    found: Vec<(usize, usize, Kind, u32)>,
}

impl Detector for Roster {
    fn detect(&self, text: &str, _label: Option<&str>, out: &mut Vec<Finding>) {
        if self.anchors.is_empty() {
            return;
        }
        let b = text.as_bytes();
        let n = b.len();
        let mut sc = Scratch::default();
        let bloom_bits = self.bloom.len() * 64;
        let mut i = 0;
        // Anchors are words that start with a capital ("Vries", "VRIES"):
        // jump from capital to capital.
        while let Some(p) = next_capital(b, i) {
            let c = text[p..].chars().next().unwrap_or(' ');
            i = p + c.len_utf8();
            if !c.is_uppercase() {
                continue;
            }
            // Not inside a word ("McDonald", "IJsselmeer" are looked up once).
            let prev = if p > 0 && b[p - 1] < 0x80 {
                Some(b[p - 1] as char)
            } else {
                text[..p].chars().next_back()
            };
            if prev.is_some_and(is_word_char) {
                continue;
            }
            // The whole word: ASCII letters and digits, then any word
            // characters.
            let start = p;
            while i < n && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let mut ascii = c.is_ascii();
            if i < n && b[i] >= 0x80 {
                for c in text[i..].chars() {
                    if !is_word_char(c) {
                        break;
                    }
                    ascii &= c.is_ascii();
                    i += c.len_utf8();
                }
            }
            let h = if ascii {
                if self.ascii_lens & (1 << ascii_len_bit(i - start)) == 0 {
                    continue;
                }
                key_hash(&b[start..i])
            } else {
                word_hash(&text[start..i], &mut sc.buf).0
            };
            let bit = bloom_bit(h, bloom_bits);
            if self.bloom[bit / 64] & (1 << (bit % 64)) == 0 {
                continue;
            }
            if let Some(a) = self.anchors.get(&h) {
                self.around(text, (start, i, h), a, &mut sc);
            }
        }
        // Leftmost first, then longest; no overlaps.
        let found = &mut sc.found;
        found.sort_unstable_by_key(|&(s, e, _, _)| (s, std::cmp::Reverse(e)));
        let mut last_end = 0;
        for &(start, end, kind, person) in found.iter() {
            if start < last_end {
                continue;
            }
            last_end = end;
            let value = &text[start..end];
            out.push(Finding {
                kind,
                start,
                end,
                confidence: CONFIDENCE,
                norm: match kind {
                    Kind::Name => super::names::collapse_ws(value),
                    _ => normalize(kind, value),
                },
                rule: "roster",
                roster: Some(person),
            });
        }
    }

    /// A value another detector found that is in the roster: high
    /// confidence, and the person it belongs to.
    fn confirm(&self, f: &mut Finding) {
        if f.kind == Kind::Name {
            return;
        }
        let fp = fingerprint(f.kind, &f.norm);
        if let Ok(at) = self.known.binary_search_by_key(&fp, |k| k.0) {
            f.confidence = f.confidence.max(CONFIDENCE);
            f.rule = "roster";
            f.roster = Some(self.known[at].1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A roster of CSV text, read as the file "t.csv".
    fn roster(csv: &str) -> Roster {
        let mut b = Builder::default();
        let read = csv_rows(csv, |row, key, v| b.person(row, key, v));
        b.file_done("t.csv".into(), read.keys);
        b.finish()
    }

    /// The engine with `r`: every finding with its value and roster id.
    fn ids(r: Roster, text: &str) -> Vec<(Kind, String, Option<String>)> {
        let engine = crate::detect::Engine::builtin(crate::detect::Filter::default())
            .unwrap()
            .with_roster(r);
        engine
            .detect(text, None)
            .into_iter()
            .map(|f| {
                let id = f.roster.and_then(|p| engine.roster_id(p));
                (f.kind, text[f.start..f.end].to_string(), id)
            })
            .collect()
    }

    fn id_of(found: &[(Kind, String, Option<String>)], kind: Kind, value: &str) -> String {
        let f = found.iter().find(|f| f.0 == kind && f.1 == value);
        let f = f.unwrap_or_else(|| panic!("no {kind} {value} in {found:?}"));
        f.2.clone()
            .unwrap_or_else(|| panic!("{kind} {value} has no roster id"))
    }

    fn found(r: &Roster, text: &str) -> Vec<(Kind, String)> {
        let mut out = Vec::new();
        r.detect(text, None, &mut out);
        out.into_iter()
            .map(|f| (f.kind, text[f.start..f.end].to_string()))
            .collect()
    }

    #[test]
    fn name_variants_cover_the_usual_forms() {
        let v = name_variants("Jan Pieter de Vries");
        for want in [
            "Jan Pieter de Vries",
            "J.P. de Vries",
            "J. P. de Vries",
            "J. de Vries",
            "De Vries, J.P.",
            "Vries, J.P. de",
            "Vries de, J.P.",
            "Vries, J. de",
            "De Vries, Jan",
            "Vries, Jan de",
            "Jan de Vries",
        ] {
            assert!(v.iter().any(|x| x == want), "{want} missing from {v:?}");
        }
        // Surname-first in the roster gives the same forms.
        assert!(name_variants("Vries, Jan de")
            .iter()
            .any(|x| x == "J. de Vries"));
    }

    #[test]
    fn one_pass_finds_every_value_of_every_person() {
        let r = roster(
            "naam;bsn;iban;e-mail;telefoon;adres\n\
             Jan Pieter de Vries;111222333;NL91ABNA0417164300;jan@voorbeeld.nl;06-12345678;Dorpsstraat 12\n\
             Ayşe Yılmaz;;;;+31 6 87654321;\n",
        );
        assert_eq!(r.len(), 2);
        let text = "DE VRIES, J.P. (bsn 111 222 333) betaalt van NL91 ABNA 0417 1643 00; \
                    mail JAN@voorbeeld.nl of bel 0612345678. Ayşe Yılmaz: 06 87654321. \
                    Woont Dorpsstraat 12.";
        // Names and addresses come from the roster's own pass ...
        let got = found(&r, text);
        let want = [
            (Kind::Name, "DE VRIES, J.P."),
            (Kind::Name, "Ayşe Yılmaz"),
            (Kind::Address, "Dorpsstraat 12"),
        ];
        assert_eq!(
            got,
            want.iter()
                .map(|(k, v)| (*k, v.to_string()))
                .collect::<Vec<_>>()
        );
        // ... numbers and e-mail addresses are confirmed by normalized value:
        // found by the pattern detectors, raised to roster confidence.
        let engine = crate::detect::Engine::builtin(crate::detect::Filter::default())
            .unwrap()
            .with_roster(r);
        let all = engine.detect(text, None);
        for (kind, v) in [
            (Kind::Bsn, "111 222 333"),
            (Kind::Iban, "NL91 ABNA 0417 1643 00"),
            (Kind::Email, "JAN@voorbeeld.nl"),
            (Kind::Phone, "0612345678"),
            (Kind::Phone, "06 87654321"),
        ] {
            let f = all
                .iter()
                .find(|f| f.kind == kind && &text[f.start..f.end] == v);
            let f = f.unwrap_or_else(|| panic!("{kind} {v} in {all:?}"));
            assert!(
                f.rule == "roster" && f.confidence >= CONFIDENCE,
                "{v}: {f:?}"
            );
        }
        // A BSN without context that is in the roster is reported; one that is not, is not.
        let bare = engine.detect("nummer 111222333 en 123456782", None);
        assert_eq!(bare.iter().filter(|f| f.kind == Kind::Bsn).count(), 1);
    }

    #[test]
    fn only_whole_words_match() {
        let r = roster("name\nJan de Vries\nSanne Klerks\n");
        assert!(found(&r, "Jan de Vriesland").is_empty());
        assert_eq!(found(&r, "(Jan de Vries)").len(), 1);
        // A hyphen between words makes one name of them.
        assert!(found(&r, "Jan de Vries-Jansen").is_empty());
        assert!(found(&r, "VAN ESSEN-KLERKS, S.").is_empty());
        assert_eq!(
            found(&r, "Jan de Vries - Jansen; Klerks, S.-"),
            vec![
                (Kind::Name, "Jan de Vries".to_string()),
                (Kind::Name, "Klerks, S.".to_string())
            ]
        );
    }

    #[test]
    fn files_without_known_columns_are_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.csv");
        std::fs::write(&p, "kleur;maat\nrood;3\n").unwrap();
        assert!(Roster::read_people(&p).is_err());
        std::fs::write(&p, "Naam,BSN\nJan de Vries,111222333\n").unwrap();
        assert_eq!(Roster::read_people(&p).unwrap().len(), 1);
    }

    #[test]
    fn any_case_any_diacritics_any_spaces_but_a_capital_anchor() {
        let r = roster("naam\nAyşe Yılmaz\nJan de Vries\n");
        for text in [
            "AYŞE YILMAZ",
            "Ayse Yilmaz",
            "A. Yılmaz",
            "Yilmaz, A.",
            "YILMAZ, AYSE",
            "Jan  de\u{a0}Vries",
            "J.de Vries",
            "DE VRIES , J .",
            "Vries, Jan de",
        ] {
            assert_eq!(
                found(&r, &format!("Gesprek met {text}: akkoord.")),
                vec![(Kind::Name, text.to_string())],
                "{text}"
            );
        }
        // The anchor word (the surname) starts with a capital, as names do.
        assert!(found(&r, "gesprek met jan de vries en ayşe yılmaz").is_empty());
        // Not across a line break or a tab (a table cell).
        assert!(found(&r, "Jan de\nVries").is_empty());
        assert!(found(&r, "Jan de\tVries").is_empty());
        // The finding's normalized value has single spaces.
        let mut out = Vec::new();
        r.detect("Jan  de\u{a0}Vries", None, &mut out);
        assert_eq!(out[0].norm, "Jan de Vries");
    }

    #[test]
    fn every_spelling_of_a_name_is_found_as_written() {
        for name in [
            "Jan Pieter de Vries",
            "Kees Jurriaan van Oorschot",
            "Maria van den Berg-Jansen",
            "Vries, Jan de",
            "Ayşe Yılmaz",
            "Sanne in 't Veld",
        ] {
            let r = roster(&format!("naam\n\"{name}\"\n"));
            for v in name_variants(name) {
                if v.chars().filter(|c| c.is_alphanumeric()).count() < MIN_ALNUM as usize {
                    continue;
                }
                let text = format!("Zie ({v}) hier.");
                assert_eq!(
                    found(&r, &text),
                    vec![(Kind::Name, v.clone())],
                    "{name}: {v}"
                );
            }
        }
    }

    #[test]
    fn not_the_end_or_start_of_a_longer_name() {
        let r = roster("naam\nSanne Wolters\nFrits Brink\nSara Wal\n");
        for text in [
            "T.D.S. Wolters",
            "R. S. Wolters",
            "Van den Brink, F.",
            "Hoes-van den Brink, F.",
            "mevrouw Van den Brink, F. belde",
            "Wal, S. van der",
            "Wal, S. van der; Wolters, S. D.",
        ] {
            assert!(found(&r, text).is_empty(), "{text}");
        }
        for (text, want) in [
            ("Dr. S. Wolters", "S. Wolters"),
            ("een brief van Brink, F. over de lekkage", "Brink, F."),
            ("een brief van Brink, F. over", "Brink, F."),
            ("Wal, S. van afdeling Wonen", "Wal, S."),
            ("Wal, S. op 3 maart", "Wal, S."),
            ("Wolters, S.: akkoord", "Wolters, S."),
        ] {
            assert_eq!(
                found(&r, text),
                vec![(Kind::Name, want.to_string())],
                "{text}"
            );
        }
    }

    #[test]
    fn short_forms_are_not_looked_for() {
        let r = roster("naam\nBo Li\n");
        assert_eq!(found(&r, "Bo Li"), vec![(Kind::Name, "Bo Li".to_string())]);
        assert!(found(&r, "B. Li en Li, B.").is_empty());
    }

    #[test]
    fn the_leftmost_then_longest_form_wins() {
        let r = roster("naam\nJan de Vries\nPieter Jan de Vries\n");
        assert_eq!(
            found(&r, "Pieter Jan de Vries belde."),
            vec![(Kind::Name, "Pieter Jan de Vries".to_string())]
        );
        assert_eq!(
            found(&r, "Brief van De Vries, Jan en Vries, Pieter Jan de."),
            vec![
                (Kind::Name, "De Vries, Jan".to_string()),
                (Kind::Name, "Vries, Pieter Jan de".to_string()),
            ]
        );
    }

    #[test]
    fn many_people_with_one_surname() {
        let given = [
            "Anna", "Bert", "Carla", "Dirk", "Eva", "Frits", "Greet", "Hans", "Ilse", "Joost",
        ];
        let mut csv = String::from("naam\n");
        for (i, a) in given.iter().enumerate() {
            for b in &given[i + 1..] {
                csv.push_str(&format!("{a} {b} Jansen\n"));
            }
        }
        let r = roster(&csv);
        assert_eq!(r.len(), 45);
        // Z. is nobody's initial; "Ilse Carla" nobody's given names, but
        // "Carla Jansen" is a form of eight people.
        let text = "Carla Ilse Jansen, A.J. Jansen, Jansen, G.H. en Jansen, Z. belden; \
                    Ilse Carla Jansen ook.";
        assert_eq!(
            found(&r, text),
            [
                "Carla Ilse Jansen",
                "A.J. Jansen",
                "Jansen, G.H.",
                "Carla Jansen"
            ]
            .iter()
            .map(|v| (Kind::Name, v.to_string()))
            .collect::<Vec<_>>()
        );
    }

    #[test]
    fn addresses_with_house_number_and_toevoeging() {
        let r = roster(
            "naam;adres\n\
             Jan de Vries;Dorpsstraat 12a, 1234 AB Utrecht\n\
             Piet Bakker;Lindelaan 4\n\
             Sara Smit;'s-Gravendijkwal 5 bis\n",
        );
        for (text, want) in [
            ("Dorpsstraat 12a", Some("Dorpsstraat 12a")),
            ("DORPSSTRAAT 12 A", Some("DORPSSTRAAT 12 A")),
            ("Dorpsstraat 12-a", Some("Dorpsstraat 12-a")),
            (
                "Dorpsstraat 12a, 1234 AB Utrecht",
                Some("Dorpsstraat 12a, 1234 AB Utrecht"),
            ),
            ("Dorpsstraat 12b", None),
            ("Dorpsstraat 12", None),
            ("Dorpsstraat 120a", None),
            ("Lindelaan 4", Some("Lindelaan 4")),
            ("Lindelaan 4 (achterom)", Some("Lindelaan 4")),
            ("Lindelaan 45", None),
            ("Lindelaan 4a", None),
            ("Lindelaan 4-b", None),
            ("('s-Gravendijkwal 5 bis)", Some("'s-Gravendijkwal 5 bis")),
            ("'s-Gravendijkwal 5bis", Some("'s-Gravendijkwal 5bis")),
            // Whole words: a form that starts with a mark is not inside a word.
            ("x's-Gravendijkwal 5 bis", None),
        ] {
            let got = found(&r, &format!("{text}."));
            let want: Vec<_> = want
                .into_iter()
                .map(|v| (Kind::Address, v.to_string()))
                .collect();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn rosters_from_several_files() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        let b = dir.path().join("b.csv");
        std::fs::write(&a, "naam,bsn\nJan de Vries,111222333\n,\n").unwrap();
        std::fs::write(&b, "\u{feff}Naam;Adres\nPiet Bakker;Lindelaan 4\n").unwrap();
        let r = Roster::from_files(&[&a, &b]).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(
            found(&r, "Piet Bakker, Lindelaan 4 en J. de Vries."),
            vec![
                (Kind::Name, "Piet Bakker".to_string()),
                (Kind::Address, "Lindelaan 4".to_string()),
                (Kind::Name, "J. de Vries".to_string()),
            ]
        );
        let mut bsn = Finding {
            kind: Kind::Bsn,
            start: 0,
            end: 9,
            confidence: 0.6,
            norm: "111222333".into(),
            rule: "bsn",
            roster: None,
        };
        r.confirm(&mut bsn);
        assert_eq!((bsn.rule, bsn.confidence), ("roster", CONFIDENCE));
        // Rows are numbered per file; the id names the file.
        assert_eq!(r.id(bsn.roster.unwrap()).as_deref(), Some("a.csv:1"));
        // A value of another kind with the same digits is not confirmed.
        let mut phone = Finding {
            kind: Kind::Phone,
            ..bsn.clone()
        };
        phone.rule = "phone";
        phone.roster = None;
        r.confirm(&mut phone);
        assert_eq!(phone.rule, "phone");
        assert_eq!(phone.roster, None);
    }

    #[test]
    fn findings_carry_the_id_column() {
        let r = roster(
            "Klantnummer;Naam;IBAN;E-mail;Adres\n\
             K-1042;Jan Pieter de Vries;NL91ABNA0417164300;jan@voorbeeld.nl;Dorpsstraat 12\n\
             K-7;Ayşe Yılmaz;;ayse@voorbeeld.nl;Lindelaan 4\n",
        );
        let found = ids(
            r,
            "Brief van DE VRIES, J.P., Dorpsstraat 12 (NL91 ABNA 0417 1643 00, \
             jan@voorbeeld.nl). Kopie: A. Yilmaz, Lindelaan 4, ayse@voorbeeld.nl.",
        );
        for (kind, value, id) in [
            (Kind::Name, "DE VRIES, J.P.", "K-1042"),
            (Kind::Address, "Dorpsstraat 12", "K-1042"),
            (Kind::Iban, "NL91 ABNA 0417 1643 00", "K-1042"),
            (Kind::Email, "jan@voorbeeld.nl", "K-1042"),
            (Kind::Name, "A. Yilmaz", "K-7"),
            (Kind::Address, "Lindelaan 4", "K-7"),
            (Kind::Email, "ayse@voorbeeld.nl", "K-7"),
        ] {
            assert_eq!(id_of(&found, kind, value), id, "{kind} {value}");
        }
    }

    #[test]
    fn id_columns_by_header() {
        for h in [
            "id",
            "ID",
            "Nr.",
            "nummer",
            "Klantnummer",
            "klant-nr.",
            "Huurdernummer",
            "relatie_nummer",
            "Debiteurnummer",
            "contractnummer",
        ] {
            assert!(key_rank(h).is_some(), "{h}");
            // An id column is never read as personal data.
            assert_eq!(column_kind(h), None, "{h}");
        }
        for h in [
            "naam",
            "bsn",
            "iban",
            "paspoortnummer",
            "id_document",
            "huisnummer",
        ] {
            assert_eq!(key_rank(h), None, "{h}");
        }
        // A register number is preferred to a bare "nr", wherever it stands.
        let r = roster("nr;naam;huurdernummer\n3;Jan de Vries;H-88\n");
        assert_eq!(r.id(0).as_deref(), Some("H-88"));
        // "id" is the row's id, not an identity document number.
        let r = roster("id;naam\nAB1234567;Jan de Vries\n");
        assert_eq!(r.id(0).as_deref(), Some("AB1234567"));
        let mut doc = Finding {
            kind: Kind::IdDocument,
            start: 0,
            end: 9,
            confidence: 0.6,
            norm: normalize(Kind::IdDocument, "AB1234567"),
            rule: "id_document",
            roster: None,
        };
        r.confirm(&mut doc);
        assert_eq!((doc.rule, doc.roster), ("id_document", None));
        // A passport column still is one.
        let r = roster("paspoortnummer;naam\nAB1234567;Jan de Vries\n");
        r.confirm(&mut doc);
        assert_eq!((doc.rule, doc.roster), ("roster", Some(0)));
    }

    #[test]
    fn without_an_id_column_the_file_and_row_name_the_person() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("huurders.csv");
        // Data rows: 1 Jan, 2 empty (no person, still a row), 3 Piet.
        std::fs::write(
            &a,
            "naam;iban\nJan de Vries;NL91ABNA0417164300\n;\nPiet Bakker;\n",
        )
        .unwrap();
        // Rows without an id fall back too.
        let b = dir.path().join("b.csv");
        std::fs::write(&b, "klantnr;naam\nK-5;Sara Smit\n;Frits Brink\n").unwrap();
        let r = Roster::from_files(&[&a, &b]).unwrap();
        let found = ids(
            r,
            "Jan de Vries, NL91ABNA0417164300, Piet Bakker, Sara Smit en Frits Brink.",
        );
        for (kind, value, id) in [
            (Kind::Name, "Jan de Vries", "huurders.csv:1"),
            (Kind::Iban, "NL91ABNA0417164300", "huurders.csv:1"),
            (Kind::Name, "Piet Bakker", "huurders.csv:3"),
            (Kind::Name, "Sara Smit", "K-5"),
            (Kind::Name, "Frits Brink", "b.csv:2"),
        ] {
            assert_eq!(id_of(&found, kind, value), id, "{kind} {value}");
        }
        // read_people gives the same ids.
        let people = Roster::read_people(&a).unwrap();
        let got: Vec<&str> = people.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(got, ["huurders.csv:1", "huurders.csv:3"]);
    }

    #[test]
    fn an_id_column_of_bsns_is_not_used() {
        // 111222333 and 123456782 pass the 11-check: a register keyed by BSN.
        let r = roster("id;naam\n111222333;Jan de Vries\n123456782;Piet Bakker\n");
        assert_eq!(r.id(0).as_deref(), Some("t.csv:1"));
        assert_eq!(r.id(1).as_deref(), Some("t.csv:2"));
        // Written with dots, or as the only id of the file: refused as well.
        let r = roster("klantnummer;naam\n1112.22.333;Jan de Vries\n");
        assert_eq!(r.id(0).as_deref(), Some("t.csv:1"));
        // Customer numbers of which one happens to pass the check: the
        // others are used, that one is not.
        let r = roster(
            "klantnummer;naam\n100200300;Jan de Vries\n111222333;Piet Bakker\n\
             100200301;Sara Smit\n",
        );
        let got: Vec<_> = (0..3).map(|i| r.id(i).unwrap()).collect();
        assert_eq!(got, ["100200300", "t.csv:2", "100200301"]);
        // The same in a roster made from a list of people.
        let person = |id: &str, name: &str| Person {
            id: id.into(),
            values: vec![(Kind::Name, name.into())],
        };
        let r = Roster::new(&[person("111222333", "Jan de Vries"), person("", "Sara Smit")]);
        assert_eq!(r.id(0).as_deref(), Some("1"));
        assert_eq!(r.id(1).as_deref(), Some("2"));
        let r = Roster::new(&[person("K-1", "Jan de Vries")]);
        assert_eq!(r.id(0).as_deref(), Some("K-1"));
    }

    #[test]
    fn a_value_of_several_rows_is_the_first_rows() {
        // Partners share an IBAN and an address; "J. de Vries" is a form of
        // Jan and of Johan. The first row wins, whatever the ids sort like.
        let csv = "nr;naam;iban;adres\n\
                   Z-9;Jan de Vries;NL91ABNA0417164300;Dorpsstraat 12\n\
                   A-1;Johan de Vries;NL91ABNA0417164300;Dorpsstraat 12\n";
        let text = "J. de Vries, Johan de Vries, Dorpsstraat 12, NL91ABNA0417164300.";
        let found = ids(roster(csv), text);
        for (kind, value, id) in [
            (Kind::Name, "J. de Vries", "Z-9"),
            (Kind::Name, "Johan de Vries", "A-1"),
            (Kind::Address, "Dorpsstraat 12", "Z-9"),
            (Kind::Iban, "NL91ABNA0417164300", "Z-9"),
        ] {
            assert_eq!(id_of(&found, kind, value), id, "{kind} {value}");
        }
        // Rows swapped: the other one is first.
        let swapped = "nr;naam;iban;adres\n\
                       A-1;Johan de Vries;NL91ABNA0417164300;Dorpsstraat 12\n\
                       Z-9;Jan de Vries;NL91ABNA0417164300;Dorpsstraat 12\n";
        let found = ids(roster(swapped), text);
        assert_eq!(id_of(&found, Kind::Name, "J. de Vries"), "A-1");
        assert_eq!(id_of(&found, Kind::Iban, "NL91ABNA0417164300"), "A-1");
        assert_eq!(id_of(&found, Kind::Address, "Dorpsstraat 12"), "A-1");
    }
}
