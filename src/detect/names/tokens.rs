//! A byte-level tokenizer for the name and address detectors: words (with
//! inner hyphens and apostrophes), initials ("J.", "J.P.", "IJ.", "Th."),
//! digit runs, newlines and single punctuation bytes. Spaces are skipped; a
//! tab is punctuation (it separates table cells, and a name never spans one).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
/// The class of a token.
pub enum Tk {
    /// A word of letters, possibly with inner hyphens and apostrophes.
    Word,
    /// Initials such as "J." or "J.P.".
    Initials,
    /// A run of digits.
    Number,
    /// A line break.
    Newline,
    /// One punctuation character (its first byte; 0x80 for any non-ASCII one).
    Punct(u8),
}

#[derive(Clone, Copy, Debug)]
/// One token: its class and byte range in the text.
pub struct Tok {
    /// Byte offset of the token's start.
    pub start: u32,
    /// Byte offset of the token's end (exclusive).
    pub end: u32,
    /// The token's class.
    pub tk: Tk,
    /// Starts with an upper-case letter.
    pub cap: bool,
    /// Two or more letters, none lower case.
    pub upper: bool,
    /// All bytes are ASCII.
    pub ascii: bool,
}

impl Tok {
    #[inline]
    /// The token's text in `s`, the text it was cut from.
    pub fn text<'a>(&self, s: &'a str) -> &'a str {
        &s[self.start as usize..self.end as usize]
    }
    #[inline]
    /// Whether the token is a word.
    pub fn is_word(&self) -> bool {
        self.tk == Tk::Word
    }
    #[inline]
    /// Whether the token is the punctuation byte `c`.
    pub fn is_punct(&self, c: u8) -> bool {
        self.tk == Tk::Punct(c)
    }
}

const SPACE: u8 = 1;
const LOWER: u8 = 2;
const UPPER: u8 = 3;
const DIGIT: u8 = 4;
const NL: u8 = 5;
const HIGH: u8 = 6;
const OTHER: u8 = 0;

static CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if b.is_ascii_lowercase() {
            LOWER
        } else if b.is_ascii_uppercase() {
            UPPER
        } else if b.is_ascii_digit() {
            DIGIT
        } else if b == b'\n' {
            NL
        } else if b == b' ' || b == b'\r' || b == 0x0b || b == 0x0c {
            SPACE
        } else if b >= 0x80 {
            HIGH
        } else {
            OTHER
        };
        i += 1;
    }
    t
};

/// The character at byte `i` (a UTF-8 lead byte) and its length.
#[inline]
fn char_at(s: &str, i: usize) -> (char, usize) {
    match s[i..].chars().next() {
        Some(c) => (c, c.len_utf8()),
        None => ('\u{0}', 1),
    }
}

/// Whether byte `i` starts a letter; returns (is letter, is upper, byte length).
#[inline]
fn letter_at(s: &str, b: &[u8], i: usize) -> (bool, bool, usize) {
    match CLASS[b[i] as usize] {
        LOWER => (true, false, 1),
        UPPER => (true, true, 1),
        HIGH => {
            let (c, n) = char_at(s, i);
            (c.is_alphabetic(), c.is_uppercase(), n)
        }
        _ => (false, false, 1),
    }
}

/// Two-letter initials written with a full stop ("IJ.", "Th.").
fn digraph_initial(w: &[u8]) -> bool {
    matches!(w, b"IJ" | b"Th" | b"Ch" | b"Ph" | b"Chr")
}

/// Split `s` into tokens, appended to `out` (which is cleared first).
pub fn tokenize(s: &str, out: &mut Vec<Tok>) {
    out.clear();
    let b = s.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i < n {
        let c = CLASS[b[i] as usize];
        match c {
            SPACE => {
                i += 1;
            }
            NL => {
                out.push(Tok {
                    start: i as u32,
                    end: i as u32 + 1,
                    tk: Tk::Newline,
                    cap: false,
                    upper: false,
                    ascii: true,
                });
                i += 1;
            }
            DIGIT => {
                let st = i;
                while i < n && CLASS[b[i] as usize] == DIGIT {
                    i += 1;
                }
                out.push(Tok {
                    start: st as u32,
                    end: i as u32,
                    tk: Tk::Number,
                    cap: false,
                    upper: false,
                    ascii: true,
                });
            }
            LOWER | UPPER | HIGH => {
                let (is_letter, first_upper, len) = letter_at(s, b, i);
                if !is_letter {
                    if c == HIGH && s[i..].starts_with('\u{a0}') {
                        i += len; // no-break space
                        continue;
                    }
                    // Curly apostrophe before 't / 's.
                    out.push(Tok {
                        start: i as u32,
                        end: (i + len) as u32,
                        tk: Tk::Punct(0x80),
                        cap: false,
                        upper: false,
                        ascii: c != HIGH,
                    });
                    i += len;
                    continue;
                }
                let st = i;
                i += len;
                let mut ascii = c != HIGH;
                let mut any_lower = !first_upper;
                let mut letters = 1;
                loop {
                    // Fast path: a run of ASCII lower-case letters.
                    let run = i;
                    while i < n && CLASS[b[i] as usize] == LOWER {
                        i += 1;
                    }
                    if i > run {
                        letters += i - run;
                        any_lower = true;
                    }
                    if i >= n {
                        break;
                    }
                    match CLASS[b[i] as usize] {
                        UPPER => {
                            letters += 1;
                            i += 1;
                            continue;
                        }
                        HIGH => {
                            let (l, up, len) = letter_at(s, b, i);
                            if l {
                                ascii &= len == 1;
                                any_lower |= !up;
                                letters += 1;
                                i += len;
                                continue;
                            }
                        }
                        _ => {}
                    }
                    // Inner hyphen or apostrophe followed by a letter.
                    if (b[i] == b'-' || b[i] == b'\'') && i + 1 < n && letter_at(s, b, i + 1).0 {
                        i += 1;
                        continue;
                    }
                    break;
                }
                let w = &b[st..i];
                // Initials: "J." "J.P." "J.-P." "IJ." "Th."
                if first_upper
                    && i < n
                    && b[i] == b'.'
                    && (letters == 1 || (w.is_ascii() && digraph_initial(w)))
                {
                    let mut e = i + 1;
                    loop {
                        let mut k = e;
                        if k < n && b[k] == b'-' {
                            k += 1;
                        }
                        if k + 1 < n && CLASS[b[k] as usize] == UPPER && b[k + 1] == b'.' {
                            e = k + 2;
                            continue;
                        }
                        break;
                    }
                    // Not initials when a letter follows directly ("J.Pietersen" is fine,
                    // but "A.nders" is not a thing we try to read).
                    out.push(Tok {
                        start: st as u32,
                        end: e as u32,
                        tk: Tk::Initials,
                        cap: true,
                        upper: true,
                        ascii,
                    });
                    i = e;
                    continue;
                }
                out.push(Tok {
                    start: st as u32,
                    end: i as u32,
                    tk: Tk::Word,
                    cap: first_upper,
                    upper: first_upper && !any_lower && letters >= 2,
                    ascii,
                });
            }
            _ => {
                // 't and 's as words (also 'T and 'S in all-caps text).
                if (b[i] == b'\'') && i + 1 < n && matches!(b[i + 1], b't' | b's' | b'T' | b'S') {
                    let after = i + 2;
                    if after >= n || !letter_at(s, b, after).0 {
                        out.push(Tok {
                            start: i as u32,
                            end: after as u32,
                            tk: Tk::Word,
                            cap: false,
                            upper: false,
                            ascii: true,
                        });
                        i = after;
                        continue;
                    }
                }
                out.push(Tok {
                    start: i as u32,
                    end: i as u32 + 1,
                    tk: Tk::Punct(b[i]),
                    cap: false,
                    upper: false,
                    ascii: true,
                });
                i += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<(Tk, String)> {
        let mut v = Vec::new();
        tokenize(s, &mut v);
        v.iter().map(|t| (t.tk, t.text(s).to_string())).collect()
    }

    #[test]
    fn words_initials_numbers() {
        let t = kinds("mevr. A.K. van den Berg-Jansen, Dorpsweg 12a\nJ. P. in 't Veld");
        let texts: Vec<&str> = t.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "mevr",
                ".",
                "A.K.",
                "van",
                "den",
                "Berg-Jansen",
                ",",
                "Dorpsweg",
                "12",
                "a",
                "\n",
                "J.",
                "P.",
                "in",
                "'t",
                "Veld"
            ]
        );
        assert_eq!(t[2].0, Tk::Initials);
        assert_eq!(t[8].0, Tk::Number);
    }

    #[test]
    fn diacritics_and_caps() {
        let mut v = Vec::new();
        let s = "Şükrü ÇELİK Dąbrowska";
        tokenize(s, &mut v);
        assert_eq!(v.len(), 3);
        assert!(v[0].cap && !v[0].upper);
        assert!(v[1].upper);
        assert_eq!(v[2].text(s), "Dąbrowska");
    }
}
