//! The word tables behind the name and address detectors: one hash map from a
//! folded word (lower case, diacritics removed) to what the word can be, built
//! once from the lists in `patterns/names/` and `patterns/address/`.

pub use super::keys::{fold, fold_into, key_hash, word_key};
use crate::patterns;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// A small, fast non-cryptographic hasher for short words (the FxHash mix).
#[derive(Default, Clone, Copy)]
pub struct Fx(u64);

impl Hasher for Fx {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            h = (h.rotate_left(5) ^ w).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            h = (h.rotate_left(5) ^ b as u64).wrapping_mul(K);
        }
        self.0 = h;
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.write(&[i]);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A hasher for keys that are already hashes.
#[derive(Default, Clone, Copy)]
pub struct PassThrough(u64);

impl Hasher for PassThrough {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A set of word shapes (first letter, last letter, length) that rules out
/// most words of a text as members of a small word set before any hashing.
/// Words that are not ASCII always pass.
pub struct ShapeFilter {
    bits: Box<[u64; 512]>,
}

impl Default for ShapeFilter {
    fn default() -> Self {
        ShapeFilter {
            bits: Box::new([0; 512]),
        }
    }
}

impl ShapeFilter {
    /// The bit of an ASCII word: 5 bits of its first and last byte (case
    /// folded by the 0x20 bit) and its length up to 31.
    #[inline]
    fn slot(b: &[u8]) -> usize {
        let (f, l) = (b[0] | 0x20, b[b.len() - 1] | 0x20);
        (((f & 31) as usize) << 10) | (((l & 31) as usize) << 5) | b.len().min(31)
    }

    /// Add a folded word (lower case, no diacritics).
    pub fn insert(&mut self, folded: &str) {
        let b = folded.as_bytes();
        if !b.is_empty() && b.is_ascii() {
            let k = Self::slot(b);
            self.bits[k / 64] |= 1 << (k % 64);
        }
    }

    /// Whether a word as written (any case) may be in the set.
    #[inline]
    pub fn may_contain(&self, word: &str) -> bool {
        self.may_contain_bytes(word.as_bytes(), word.is_ascii())
    }

    /// Like [`ShapeFilter::may_contain`] for a word's bytes when whether it
    /// is ASCII is known (a token says so).
    #[inline]
    pub fn may_contain_bytes(&self, b: &[u8], ascii: bool) -> bool {
        if b.is_empty() || !ascii {
            return !b.is_empty();
        }
        let k = Self::slot(b);
        self.bits[k / 64] & (1 << (k % 64)) != 0
    }
}

/// A hash map keyed with the [`Fx`] hasher.
pub type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;
/// A hash set keyed with the [`Fx`] hasher.
pub type FxSet<K> = HashSet<K, BuildHasherDefault<Fx>>;

/// What a word can be (bit flags).
pub const FIRST: u16 = 1;
/// A surname (bit flag; lists in `patterns/names/`).
pub const SURNAME: u16 = 1 << 1;
/// A word that is never part of a name, such as "maandag" (bit flag; `not_names.txt`).
pub const NOT_NAME: u16 = 1 << 2;
/// A place name (bit flag).
pub const PLACE: u16 = 1 << 3;
/// A title such as "mevr" (bit flag; `titles.txt`).
pub const TITLE: u16 = 1 << 4;
/// A salutation such as "Beste" (bit flag; `salutations.txt`).
pub const SALUTATION: u16 = 1 << 5;
/// A relation word, the last word of an entry of `relations.txt` (bit flag).
pub const RELATION: u16 = 1 << 6;
/// The last word of a field label ("Naam", "Huurder", "Van").
pub const LABEL: u16 = 1 << 7;
/// A word that marks a company name (bit flag; `company_words.txt`).
pub const COMPANY: u16 = 1 << 8;
/// A one-word tussenvoegsel, or the first word of a longer one.
pub const TV: u16 = 1 << 9;
/// A word that is a street name on its own ("Markt") or starts one ("Laan van ...").
pub const STREET_WORD: u16 = 1 << 10;
/// The first word of a letter closing ("met", "groet", "hoogachtend").
pub const SIGNOFF: u16 = 1 << 11;
/// A tussenvoegsel of one word ("van", "de", "ter").
pub const TV1: u16 = 1 << 12;
/// A preposition before a place name ("te", "naar"): a capitalised word right
/// after it is a place unless the name is certain.
pub const PLACE_PREP: u16 = 1 << 15;
/// The first word of a tussenvoegsel of several words ("van" in "van der").
pub const TVM: u16 = 1 << 14;
/// An adjective or title that starts street names ("Hoge", "Oude", "Burgemeester").
pub const STREET_PREFIX: u16 = 1 << 13;

/// The word tables: folded word to its flags, plus the lists the detectors need.
pub struct Lexicon {
    /// Folded word -> flags, keyed by a 64-bit hash of the folded word (a
    /// collision between two of ~20k words is practically impossible, and
    /// the lookup then needs no string compare).
    words: HashMap<u64, u16, BuildHasherDefault<PassThrough>>,
    /// The shapes of relation and title words: a word of another shape is
    /// neither, without hashing it (most words of running text are tested
    /// for this before a lower-case name).
    rel_title_shapes: ShapeFilter,
    /// Tussenvoegsels of more than one word ("van der", "in 't").
    tv_multi: FxSet<Box<str>>,
    /// Full labels ("naam huurder", "from").
    labels: FxSet<Box<str>>,
    /// Labels whose value is a list of people ("aanwezig", "partijen").
    list_labels: FxSet<Box<str>>,
    /// Full closings ("met vriendelijke groet").
    signoffs: FxSet<Box<str>>,
    /// Word endings that mark an organisation ("bedrijf").
    company_suffixes: Vec<Box<str>>,
    /// Company-word endings by their last two bytes (indexes into
    /// `company_suffixes`).
    company_by_last2: FxMap<[u8; 2], Vec<usize>>,
    /// Street endings by their last two bytes (indexes into `street_suffixes`,
    /// longest first).
    street_by_last2: FxMap<[u8; 2], Vec<usize>>,
    /// Last bytes of any street-name ending (a quick pre-test).
    suffix_last_bytes: [bool; 256],
    /// Street-name endings, longest first, with whether the ending is
    /// strong (only streets end in it: "straat") or weak ("berg", "hof").
    street_suffixes: Vec<(Box<str>, bool)>,
    /// Place names abroad of several words ("sierra leone", "verenigde staten").
    places_multi: FxSet<Box<str>>,
    /// Keys of words that start a place name ("kaap", "fort", "camp").
    geo_heads: HashSet<u64, BuildHasherDefault<PassThrough>>,
    /// Keys of capitalised adjectives of places and peoples ("vlaamse").
    proper_adj: HashSet<u64, BuildHasherDefault<PassThrough>>,
}

/// Keys ([`word_key`]) of the ordinary Dutch words (about 350,000; a name
/// candidate made of them is not a name), hashed and sorted by the build
/// script from `patterns/names/dutch_words.txt`: little-endian `u64`s.
static DUTCH_KEYS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/dutch_keys.bin"));

/// Whether `key` is among [`DUTCH_KEYS`] (binary search: no table to build
/// at start-up).
fn is_dutch_key(key: u64) -> bool {
    let n = DUTCH_KEYS.len() / 8;
    let at = |i: usize| {
        let b = &DUTCH_KEYS[i * 8..i * 8 + 8];
        u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
    };
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match at(mid).cmp(&key) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

fn entries(list: &str) -> impl Iterator<Item = &str> {
    list.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

impl Lexicon {
    /// The built-in tables (built once).
    pub fn get() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(Lexicon::build)
    }

    fn build() -> Lexicon {
        use patterns::names as n;
        let mut lex = Lexicon {
            words: HashMap::default(),
            rel_title_shapes: ShapeFilter::default(),
            tv_multi: FxSet::default(),
            labels: FxSet::default(),
            list_labels: FxSet::default(),
            signoffs: FxSet::default(),
            company_suffixes: Vec::new(),
            suffix_last_bytes: [false; 256],
            company_by_last2: FxMap::default(),
            street_by_last2: FxMap::default(),
            street_suffixes: Vec::new(),
            places_multi: FxSet::default(),
            geo_heads: HashSet::default(),
            proper_adj: HashSet::default(),
        };
        let add = |lex: &mut Lexicon, w: &str, flag: u16| {
            let folded = fold(w);
            if flag & (RELATION | TITLE) != 0 {
                lex.rel_title_shapes.insert(&folded);
            }
            *lex.words.entry(key_hash(folded.as_bytes())).or_insert(0) |= flag;
        };
        for list in [n::FAKER_FIRST, n::EXTRA_FIRST] {
            for w in entries(list) {
                add(&mut lex, w, FIRST);
            }
        }
        for list in [n::FAKER_SURNAMES, n::EXTRA_SURNAMES] {
            for w in entries(list) {
                add(&mut lex, w, SURNAME);
            }
        }
        for w in entries(n::FAKER_PLACES) {
            // Only one-word places: "Den Haag" is covered by its words' own rules.
            if !w.contains(' ') {
                add(&mut lex, w, PLACE);
            }
        }
        for w in entries(n::WORLD_PLACES) {
            if let Some(head) = w.strip_prefix('^') {
                lex.geo_heads.insert(key_hash(fold(head).as_bytes()));
            } else if w.contains(' ') {
                lex.places_multi.insert(fold(w).into_boxed_str());
            } else {
                add(&mut lex, w, PLACE);
            }
        }
        for w in entries(n::PROPER_ADJECTIVES) {
            lex.proper_adj.insert(key_hash(fold(w).as_bytes()));
        }
        for w in entries(n::PLACE_PREPOSITIONS) {
            add(&mut lex, w, PLACE_PREP);
        }
        for w in entries(n::NOT_NAMES) {
            if !w.contains(' ') {
                add(&mut lex, w, NOT_NAME);
            }
        }
        for w in entries(n::TUSSENVOEGSELS) {
            let first = w.split(' ').next().unwrap_or(w);
            add(&mut lex, first, TV);
            if w.contains(' ') {
                add(&mut lex, first, TVM);
                lex.tv_multi.insert(fold(w).into_boxed_str());
            } else {
                add(&mut lex, w, TV1);
            }
        }
        for w in entries(n::TITLES) {
            let w = w.trim_end_matches('.');
            let last = w.rsplit(' ').next().unwrap_or(w);
            add(&mut lex, last, TITLE);
        }
        for w in entries(n::SALUTATIONS) {
            add(&mut lex, w, SALUTATION);
        }
        for w in entries(n::RELATIONS) {
            let last = w.rsplit(' ').next().unwrap_or(w);
            add(&mut lex, last, RELATION);
        }
        for w in entries(n::LABELS) {
            let w = match w.strip_prefix('+') {
                Some(l) => {
                    lex.list_labels.insert(fold(l).into_boxed_str());
                    l
                }
                None => w,
            };
            let w = w.trim_end_matches('.');
            let last = w.rsplit([' ', '.']).next().unwrap_or(w);
            add(&mut lex, last, LABEL);
            lex.labels.insert(fold(w).into_boxed_str());
        }
        for w in entries(n::SIGNOFFS) {
            let first = w.split(' ').next().unwrap_or(w);
            add(&mut lex, first.trim_end_matches('.'), SIGNOFF);
            lex.signoffs.insert(fold(w).into_boxed_str());
        }
        for w in entries(n::COMPANY_WORDS) {
            if let Some(suffix) = w.strip_prefix('*') {
                lex.company_suffixes.push(fold(suffix).into_boxed_str());
            } else {
                add(&mut lex, w.trim_end_matches('.'), COMPANY);
            }
        }
        for w in entries(patterns::STREET_SUFFIXES) {
            if let Some(word) = w.strip_prefix('=') {
                add(&mut lex, word, STREET_WORD);
            } else if let Some(word) = w.strip_prefix('^') {
                add(&mut lex, word, STREET_PREFIX);
            } else if let Some(weak) = w.strip_prefix('~') {
                lex.street_suffixes
                    .push((fold(weak).into_boxed_str(), false));
            } else {
                lex.street_suffixes.push((fold(w).into_boxed_str(), true));
            }
        }
        lex.street_suffixes
            .sort_by_key(|s| std::cmp::Reverse(s.0.len()));
        for (k, s) in lex.company_suffixes.iter().enumerate() {
            let b = s.as_bytes();
            if b.len() >= 2 {
                lex.company_by_last2
                    .entry([b[b.len() - 2], b[b.len() - 1]])
                    .or_default()
                    .push(k);
            }
        }
        for (k, (s, _)) in lex.street_suffixes.iter().enumerate() {
            let b = s.as_bytes();
            if let Some(&last) = b.last() {
                lex.suffix_last_bytes[last as usize] = true;
            }
            if b.len() >= 2 {
                lex.street_by_last2
                    .entry([b[b.len() - 2], b[b.len() - 1]])
                    .or_default()
                    .push(k);
            }
        }
        // Flags accumulate: a word can be a first name and a "not a name"
        // word at once ("Jan"); the grammar decides by context.
        lex
    }

    /// Flags of the word with table key `key` ([`word_key`]; 0 when unknown).
    #[inline]
    pub fn flags_of_key(&self, key: u64) -> u16 {
        self.words.get(&key).copied().unwrap_or(0)
    }

    /// Whether a word as written may be a relation or title word (false: it
    /// is surely neither).
    #[inline]
    pub fn may_be_relation_or_title(&self, word: &[u8], ascii: bool) -> bool {
        self.rel_title_shapes.may_contain_bytes(word, ascii)
    }

    /// Whether the word with table key `key` is an ordinary Dutch word.
    #[inline]
    pub fn is_dutch_key(&self, key: u64) -> bool {
        is_dutch_key(key)
    }

    /// Flags of a word (0 when unknown). `buf` is scratch space.
    #[inline]
    pub fn flags(&self, word: &str, buf: &mut String) -> u16 {
        if word.len() > 40 {
            return 0;
        }
        self.words.get(&word_key(word, buf)).copied().unwrap_or(0)
    }

    /// Like [`Lexicon::street_suffix`] for a word as written (any case).
    pub fn street_suffix_of(&self, word: &str, buf: &mut String) -> Option<(&str, bool)> {
        // Every ending is at least two letters; a cheap last-byte test first.
        let last = word.as_bytes().last()?.to_ascii_lowercase();
        if !self.suffix_last_bytes[last as usize] {
            return None;
        }
        if !word.is_ascii() {
            fold_into(word, buf);
            return self.street_suffix(buf);
        }
        let b = word.as_bytes();
        if b.len() < 3 {
            return None;
        }
        let key = [
            b[b.len() - 2].to_ascii_lowercase(),
            b[b.len() - 1].to_ascii_lowercase(),
        ];
        self.street_by_last2
            .get(&key)?
            .iter()
            .map(|&k| &self.street_suffixes[k])
            .find(|(s, _)| {
                b.len() > s.len() + 1 && b[b.len() - s.len()..].eq_ignore_ascii_case(s.as_bytes())
            })
            .map(|(s, strong)| (&**s, *strong))
    }

    /// Whether a word as written is an ordinary Dutch word ("Cultuur",
    /// "Verenigde"). Many surnames are too ("Bakker"): callers check the name
    /// lists first.
    pub fn is_dutch_word(&self, word: &str, buf: &mut String) -> bool {
        word.len() <= 40 && is_dutch_key(word_key(word, buf))
    }

    /// Whether a word as written is an adjective of a place or people ("Vlaamse").
    pub fn is_proper_adj(&self, word: &str, buf: &mut String) -> bool {
        word.len() <= 40 && self.proper_adj.contains(&word_key(word, buf))
    }

    /// Whether a word as written starts place names ("Kaap", "Camp").
    pub fn is_geo_head(&self, word: &str, buf: &mut String) -> bool {
        word.len() <= 40 && self.geo_heads.contains(&word_key(word, buf))
    }

    /// Whether `folded` ("sierra leone") is a place abroad of several words.
    pub fn is_place_phrase(&self, folded: &str) -> bool {
        self.places_multi.contains(folded)
    }

    /// Whether `folded` ("van der", "in 't") is a tussenvoegsel of several words.
    pub fn is_tv_multi(&self, folded: &str) -> bool {
        self.tv_multi.contains(folded)
    }

    /// Whether `folded` is a whole label ("naam huurder", "from").
    pub fn is_label(&self, folded: &str) -> bool {
        self.labels.contains(folded)
    }

    /// Whether `folded` is a label whose value is a list of people ("aanwezig").
    pub fn is_list_label(&self, folded: &str) -> bool {
        self.list_labels.contains(folded)
    }

    /// Whether `folded` is a letter closing ("met vriendelijke groet").
    pub fn is_signoff(&self, folded: &str) -> bool {
        self.signoffs.contains(folded)
    }

    /// Whether a (folded) word ends in an organisation word ("bouwbedrijf").
    pub fn is_company_compound(&self, folded: &str) -> bool {
        let b = folded.as_bytes();
        if b.len() < 2 {
            return false;
        }
        let key = [
            b[b.len() - 2].to_ascii_lowercase(),
            b[b.len() - 1].to_ascii_lowercase(),
        ];
        let Some(ks) = self.company_by_last2.get(&key) else {
            return false;
        };
        ks.iter().any(|&k| {
            let s = self.company_suffixes[k].as_bytes();
            b.len() >= s.len() && b[b.len() - s.len()..].eq_ignore_ascii_case(s)
        })
    }

    /// The street-name ending of a (folded) word, when it has one and more
    /// than the ending ("dorpsstraat" -> "straat", not "straat" itself), and
    /// whether that ending is strong (no surname ends in it).
    pub fn street_suffix(&self, folded: &str) -> Option<(&str, bool)> {
        let b = folded.as_bytes();
        if b.len() < 3 {
            return None;
        }
        let key = [b[b.len() - 2], b[b.len() - 1]];
        self.street_by_last2
            .get(&key)?
            .iter()
            .map(|&k| &self.street_suffixes[k])
            .find(|(s, _)| folded.len() > s.len() + 1 && folded.ends_with(&**s))
            .map(|(s, strong)| (&**s, *strong))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_case_and_diacritics() {
        assert_eq!(fold("Yılmaz"), "yilmaz");
        assert_eq!(fold("ÇELİK"), "celik");
        assert_eq!(fold("Dąbrowska"), "dabrowska");
        assert_eq!(fold("Kovačević"), "kovacevic");
        assert_eq!(fold("Vries"), "vries");
    }

    #[test]
    fn tables_load() {
        let lex = Lexicon::get();
        let mut b = String::new();
        assert!(lex.flags("Marieke", &mut b) & FIRST != 0);
        assert!(lex.flags("Yılmaz", &mut b) & SURNAME != 0);
        assert!(lex.flags("YILMAZ", &mut b) & SURNAME != 0);
        assert!(lex.flags("maandag", &mut b) & NOT_NAME != 0);
        assert!(lex.flags("mevr", &mut b) & TITLE != 0);
        assert!(lex.flags("Beste", &mut b) & SALUTATION != 0);
        assert!(lex.flags("van", &mut b) & TV != 0);
        assert!(lex.flags("te", &mut b) & PLACE_PREP != 0);
        assert!(lex.is_tv_multi("van der"));
        assert!(lex.is_tv_multi("in 't"));
        assert!(lex.is_company_compound("bouwbedrijf"));
        assert_eq!(lex.street_suffix("dorpsstraat"), Some(("straat", true)));
        assert_eq!(lex.street_suffix("rozenhof"), Some(("hof", false)));
        assert_eq!(lex.street_suffix("straat"), None);
        assert!(lex.is_signoff("met vriendelijke groet"));
        assert_eq!(
            lex.street_suffix_of("DORPSSTRAAT", &mut b),
            Some(("straat", true))
        );
        assert_eq!(lex.street_suffix_of("Jansen", &mut b), None);
        assert_eq!(
            lex.street_suffix_of("Ştefanstraat", &mut b),
            Some(("straat", true))
        );
        assert!(lex.is_company_compound("Bouwbedrijf"));
        assert_eq!(key_hash(b"Van-Der'S"), key_hash(b"van-der's"));
        assert_ne!(key_hash(b"vries"), key_hash(b"vriesa"));
    }
}
