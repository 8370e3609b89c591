//! CMap parsing: `/ToUnicode` maps (code → Unicode text) with their codespace
//! ranges (how many bytes make up one character code).
//!
//! Only the parts text extraction needs are read: `begincodespacerange`,
//! `beginbfchar` and `beginbfrange` (both destination forms). Anything else in
//! the stream (PostScript procedure names, `usecmap`, CID ranges) is skipped.
//! Malformed input gives a partial map, never an error.

use std::collections::HashMap;

/// A `/ToUnicode` map.
#[derive(Clone, Debug, Default)]
pub struct ToUnicode {
    /// `(byte length, low, high)` of each codespace range.
    pub codespace: Vec<(u8, u32, u32)>,
    single: HashMap<(u8, u32), String>,
    /// `(byte length, low, high, destination)`; the last UTF-16 unit of the
    /// destination is incremented over the range.
    ranges: Vec<(u8, u32, u32, RangeDst)>,
}

#[derive(Clone, Debug)]
enum RangeDst {
    Incr(Vec<u16>),
    Each(Vec<String>),
}

/// Tokens of the CMap syntax we care about.
#[derive(Debug, PartialEq)]
enum Tok<'a> {
    Hex(Vec<u8>),
    Open,
    Close,
    Word(&'a [u8]),
}

fn tokens(data: &[u8]) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let c = data[i];
        match c {
            b'%' => {
                while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if data.get(i + 1) == Some(&b'<') => i += 2,
            b'>' if data.get(i + 1) == Some(&b'>') => i += 2,
            b'<' => {
                let mut digits = Vec::new();
                i += 1;
                while i < data.len() && data[i] != b'>' {
                    if data[i].is_ascii_hexdigit() {
                        digits.push(data[i]);
                    }
                    i += 1;
                }
                i += 1;
                if digits.len() % 2 == 1 {
                    digits.push(b'0');
                }
                let bytes = digits
                    .chunks(2)
                    .map(|p| (hex_val(p[0]) << 4) | hex_val(p[1]))
                    .collect();
                out.push(Tok::Hex(bytes));
            }
            b'[' => {
                out.push(Tok::Open);
                i += 1;
            }
            b']' => {
                out.push(Tok::Close);
                i += 1;
            }
            b'(' => {
                // Literal strings appear in headers (/Registry (Adobe)); skip them.
                let mut depth = 0usize;
                while i < data.len() {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            c if c.is_ascii_whitespace() || c == b'{' || c == b'}' => i += 1,
            _ => {
                let start = i;
                while i < data.len()
                    && !data[i].is_ascii_whitespace()
                    && !b"<>[](){}%/".contains(&data[i])
                {
                    i += 1;
                }
                if i == start {
                    i += 1; // a lone '/' or other delimiter
                }
                out.push(Tok::Word(&data[start..i]));
            }
        }
    }
    out
}

fn hex_val(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    }
}

fn code_of(bytes: &[u8]) -> Option<(u8, u32)> {
    if bytes.is_empty() || bytes.len() > 4 {
        return None;
    }
    Some((
        bytes.len() as u8,
        bytes.iter().fold(0u32, |a, &b| (a << 8) | u32::from(b)),
    ))
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|p| {
            if p.len() == 2 {
                u16::from_be_bytes([p[0], p[1]])
            } else {
                u16::from(p[0])
            }
        })
        .collect()
}

fn utf16_string(units: &[u16]) -> String {
    char::decode_utf16(units.iter().copied())
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// Most entries accepted from one CMap (a crafted range cannot blow up memory:
/// ranges are stored, not expanded).
const MAX_ENTRIES: usize = 200_000;

impl ToUnicode {
    /// Parse a decoded CMap stream.
    pub fn parse(data: &[u8]) -> ToUnicode {
        let toks = tokens(data);
        let mut map = ToUnicode::default();
        let mut i = 0;
        let mut entries = 0usize;
        while i < toks.len() && entries < MAX_ENTRIES {
            match &toks[i] {
                Tok::Word(b"begincodespacerange") => {
                    i += 1;
                    while let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi))) =
                        (toks.get(i), toks.get(i + 1))
                    {
                        if let (Some((n, lo)), Some((_, hi))) = (code_of(lo), code_of(hi)) {
                            map.codespace.push((n, lo, hi));
                        }
                        i += 2;
                    }
                }
                Tok::Word(b"beginbfchar") => {
                    i += 1;
                    while let (Some(Tok::Hex(src)), Some(Tok::Hex(dst))) =
                        (toks.get(i), toks.get(i + 1))
                    {
                        if let Some(code) = code_of(src) {
                            map.single.insert(code, utf16_string(&utf16_units(dst)));
                            entries += 1;
                        }
                        i += 2;
                    }
                }
                Tok::Word(b"beginbfrange") => {
                    i += 1;
                    while let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi))) =
                        (toks.get(i), toks.get(i + 1))
                    {
                        let range = code_of(lo).zip(code_of(hi));
                        match toks.get(i + 2) {
                            Some(Tok::Hex(dst)) => {
                                if let Some(((n, lo), (_, hi))) = range {
                                    if lo <= hi {
                                        map.ranges.push((
                                            n,
                                            lo,
                                            hi,
                                            RangeDst::Incr(utf16_units(dst)),
                                        ));
                                        entries += 1;
                                    }
                                }
                                i += 3;
                            }
                            Some(Tok::Open) => {
                                let mut j = i + 3;
                                let mut each = Vec::new();
                                while let Some(Tok::Hex(d)) = toks.get(j) {
                                    each.push(utf16_string(&utf16_units(d)));
                                    j += 1;
                                }
                                if let Some(((n, lo), (_, hi))) = range {
                                    if lo <= hi {
                                        entries += each.len();
                                        map.ranges.push((n, lo, hi, RangeDst::Each(each)));
                                    }
                                }
                                i = j + 1; // past ']'
                            }
                            _ => break,
                        }
                    }
                }
                _ => i += 1,
            }
        }
        map
    }

    /// Whether the map has any mapping at all.
    pub fn is_empty(&self) -> bool {
        self.single.is_empty() && self.ranges.is_empty()
    }

    /// The text of character code `code` of `len` bytes.
    pub fn get(&self, len: u8, code: u32) -> Option<String> {
        if let Some(s) = self.single.get(&(len, code)) {
            return Some(s.clone());
        }
        // Later ranges override earlier ones, as later definitions do in a CMap.
        for (n, lo, hi, dst) in self.ranges.iter().rev() {
            if *n != len || code < *lo || code > *hi {
                continue;
            }
            let off = code - lo;
            return match dst {
                RangeDst::Incr(units) => {
                    let mut units = units.clone();
                    if let Some(last) = units.last_mut() {
                        *last = last.wrapping_add(off as u16);
                    }
                    Some(utf16_string(&units))
                }
                RangeDst::Each(v) => v.get(off as usize).cloned(),
            };
        }
        None
    }

    /// The byte lengths of codes that have a mapping (to guess the code length
    /// when no codespace range is given).
    pub fn code_lengths(&self) -> impl Iterator<Item = u8> + '_ {
        self.single
            .keys()
            .map(|(n, _)| *n)
            .chain(self.ranges.iter().map(|r| r.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CMAP: &[u8] = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0003> <0020> <0011> <00660069> endbfchar
2 beginbfrange <0024> <0026> <0041> <0030> <0031> [<0078> <D835DC00>] endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end";

    #[test]
    fn bfchar_bfrange_and_codespace() {
        let m = ToUnicode::parse(CMAP);
        assert_eq!(m.codespace, vec![(2, 0, 0xFFFF)]);
        assert_eq!(m.get(2, 3).as_deref(), Some(" "));
        assert_eq!(m.get(2, 0x11).as_deref(), Some("fi"));
        assert_eq!(m.get(2, 0x24).as_deref(), Some("A"));
        assert_eq!(m.get(2, 0x26).as_deref(), Some("C"));
        assert_eq!(m.get(2, 0x27), None);
        assert_eq!(m.get(2, 0x30).as_deref(), Some("x"));
        assert_eq!(m.get(2, 0x31).as_deref(), Some("\u{1D400}"));
        assert_eq!(m.get(1, 0x24), None);
    }

    #[test]
    fn garbage_gives_partial_map() {
        let m = ToUnicode::parse(b"beginbfchar <01> <0041> <02> endbfchar beginbfrange <05> [");
        assert_eq!(m.get(1, 1).as_deref(), Some("A"));
        assert_eq!(m.get(1, 2), None);
        let _ = ToUnicode::parse(&[0xff, b'<', b'(', b'\\']);
    }
}
