//! How a word becomes a table key: folding (lower case, diacritics removed)
//! and a fast 64-bit hash of the folded bytes. Used by every word table and
//! by the build script (which pre-hashes the Dutch word list), so this file
//! depends on nothing in the crate.

const K1: u64 = 0x9e37_79b9_7f4a_7c15;
const SPACE_BITS: u64 = 0x2020_2020_2020_2020;

/// A 64-bit hash of a word, eight bytes at a time. Every byte is OR-ed with
/// 0x20 first, which lower-cases ASCII letters and leaves the other bytes a
/// word can hold (lower-case letters, digits, '-', '\'', '.', ' ') as they
/// are, so a word as written and its folded table key hash alike.
#[inline]
pub fn key_hash(b: &[u8]) -> u64 {
    let mut h: u64 = (b.len() as u64).wrapping_mul(K1);
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]) | SPACE_BITS;
        h = (h.rotate_left(5) ^ w).wrapping_mul(K1);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut t = [0u8; 8];
        t[..rest.len()].copy_from_slice(rest);
        let w = u64::from_le_bytes(t) | (SPACE_BITS >> (8 * (8 - rest.len())));
        h = (h.rotate_left(5) ^ w).wrapping_mul(K1);
    }
    h ^ (h >> 29)
}

/// The table key of a word as written: [`key_hash`] of its folded form
/// (case and diacritics). ASCII words are hashed as they are (the hash folds
/// their case); `buf` is scratch space for the others.
#[inline]
pub fn word_key(word: &str, buf: &mut String) -> u64 {
    if word.is_ascii() {
        key_hash(word.as_bytes())
    } else {
        fold_into(word, buf);
        key_hash(buf.as_bytes())
    }
}

/// Lower case with diacritics removed: the key every table is looked up by.
pub fn fold_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
        return;
    }
    for c in word.chars() {
        for l in c.to_lowercase() {
            match l {
                'ı' => out.push('i'),
                'ł' => out.push('l'),
                'đ' => out.push('d'),
                'ø' => out.push('o'),
                'ß' => out.push_str("ss"),
                'æ' => out.push_str("ae"),
                '’' | '‘' | '`' => out.push('\''),
                _ if l.is_ascii() => out.push(l),
                _ => {
                    use unicode_normalization::char::{decompose_canonical, is_combining_mark};
                    decompose_canonical(l, |d| {
                        if !is_combining_mark(d) {
                            out.push(d)
                        }
                    });
                }
            }
        }
    }
}

/// `word` folded: lower case with diacritics removed (see [`fold_into`]).
pub fn fold(word: &str) -> String {
    let mut s = String::with_capacity(word.len());
    fold_into(word, &mut s);
    s
}
