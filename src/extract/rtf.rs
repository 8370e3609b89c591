//! Rich Text Format: the text of an RTF document (a `.rtf` file, or the
//! decompressed RTF body of an Outlook message) with control words
//! stripped, `\'xx` escapes decoded in the document's or the font's code
//! page, and `\uN` escapes (with their `\ucN` fallback skipped, surrogate
//! pairs joined). Paragraphs (`\par`, `\sect`, `\page`, `\row`) become
//! segments with `part: "body"` and their paragraph index; the document
//! information (`\info`: title, subject, author, operator, company, ...)
//! becomes segments with `part: "info"`, labelled with the field.
//!
//! Skipped: `\*` destinations, font, colour, style and list tables,
//! pictures, embedded object data, field instructions (their results are
//! read). Encapsulated HTML (`\fromhtml`, Outlook): `\htmltag` groups are
//! skipped and text inside `\htmlrtf` ... `\htmlrtf0` is not read twice.
//!
//! Written by hand: `rtf-parser` (the one RTF crate on crates.io with a
//! text API) loses every paragraph boundary (no `\par` handling as of 0.4)
//! and brings wasm-bindgen with its default features; RTF's grammar is
//! small, and here every length and nesting depth is bounded. `redact`
//! does not write RTF: such a file is `needs_review` (see
//! [`crate::redact::legacy`]).

use super::{ExtractError, ReadCtx, Reader, Sink, Source};
use crate::document::{Location, Segment};
use encoding_rs::{Encoding, WINDOWS_1252};

/// The reader of `.rtf` documents.
pub struct RtfReader;

/// Deepest group nesting followed; deeper groups share the state of the
/// last one kept (no memory grows with hostile nesting).
const MAX_DEPTH: usize = 512;
/// Longest control word and parameter read (RTF allows 32 and 10).
const MAX_WORD: usize = 32;
const MAX_PARAM: usize = 10;

/// What an RTF document says.
#[derive(Debug, Default, PartialEq)]
pub struct RtfText {
    /// The paragraphs of the body, in order (empty ones included, so the
    /// index of a paragraph is stable).
    pub paragraphs: Vec<String>,
    /// Document information: `(field, text)`, e.g. `("author", ...)`.
    pub info: Vec<(String, String)>,
    /// Whether the RTF encapsulates HTML (`\fromhtml`).
    pub html: bool,
}

/// Whether the bytes start like RTF (`{\rtf`, after a BOM or whitespace).
pub fn looks_like_rtf(head: &[u8]) -> bool {
    super::text::strip_bom(head)
        .trim_ascii_start()
        .starts_with(b"{\\rtf")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dest {
    Text,
    Skip,
    FontTable,
    Info(usize),
}

#[derive(Clone, Copy)]
struct Group {
    dest: Dest,
    /// Fallback characters after `\uN` (`\ucN`, default 1).
    uc: u32,
    /// Inside `\htmlrtf` (encapsulated HTML: RTF-only text).
    htmlrtf: bool,
    /// Code page of `\'xx` bytes (from `\ansicpg` or the font's charset).
    enc: &'static Encoding,
}

/// The state of one parse.
struct Parser<'a> {
    src: &'a [u8],
    at: usize,
    stack: Vec<Group>,
    /// Groups opened past [`MAX_DEPTH`], not on the stack.
    overflow: usize,
    cur: Group,
    /// The group was just opened: a destination word may follow.
    fresh: bool,
    /// `\*` was seen at the start of the group.
    star: bool,
    /// `\'xx` bytes not yet decoded (multi-byte code pages).
    bytes: Vec<u8>,
    /// `\uN` units not yet decoded (surrogate pairs).
    units: Vec<u16>,
    /// Fallback characters still to skip after a `\uN`.
    skip: u32,
    out: RtfText,
    para: String,
    /// The document code page (`\ansicpg`).
    doc_enc: &'static Encoding,
    /// Font number -> code page, from the font table.
    fonts: Vec<(i32, &'static Encoding)>,
    /// The font being defined in the font table.
    font: Option<i32>,
}

/// The encoding of a Windows code page (1252 when unknown).
fn codepage(cp: i32) -> &'static Encoding {
    u16::try_from(cp)
        .ok()
        .and_then(codepage::to_encoding)
        .unwrap_or(WINDOWS_1252)
}

/// The code page of an RTF `\fcharset`.
fn charset_codepage(cs: i32) -> Option<i32> {
    Some(match cs {
        0..=2 => 1252,
        77 => 10000,
        128 => 932,
        129 => 949,
        134 => 936,
        136 => 950,
        161 => 1253,
        162 => 1254,
        163 => 1258,
        177 => 1255,
        178 => 1256,
        186 => 1257,
        204 => 1251,
        222 => 874,
        238 => 1250,
        _ => return None,
    })
}

/// Destinations whose text is not document text.
const SKIPPED: &[&str] = &[
    "colortbl",
    "stylesheet",
    "listtable",
    "listoverridetable",
    "revtbl",
    "rsidtbl",
    "generator",
    "pict",
    "objdata",
    "objclass",
    "fldinst",
    "themedata",
    "colorschememapping",
    "datastore",
    "latentstyles",
    "xmlnstbl",
    "filetbl",
    "pgdsctbl",
    "shppict",
    "nonshppict",
    "bkmkstart",
    "bkmkend",
    "fontemb",
    "falt",
    "panose",
    "htmltag",
    "mhtmltag",
    "pntext",
    "pntxta",
    "pntxtb",
    "sp",
    "sn",
    "sv",
    "userprops",
    "wgrffmtfilter",
    "operator_hidden",
];

/// Destinations of the `\info` group that hold text.
const INFO: &[&str] = &[
    "title",
    "subject",
    "author",
    "operator",
    "keywords",
    "comment",
    "doccomm",
    "company",
    "manager",
    "category",
    "hlinkbase",
];

impl<'a> Parser<'a> {
    fn new(src: &'a [u8]) -> Self {
        let g = Group {
            dest: Dest::Text,
            uc: 1,
            htmlrtf: false,
            enc: WINDOWS_1252,
        };
        Parser {
            src,
            at: 0,
            stack: Vec::new(),
            overflow: 0,
            cur: g,
            fresh: false,
            star: false,
            bytes: Vec::new(),
            units: Vec::new(),
            skip: 0,
            out: RtfText::default(),
            para: String::new(),
            doc_enc: WINDOWS_1252,
            fonts: Vec::new(),
            font: None,
        }
    }

    fn reading(&self) -> bool {
        !self.cur.htmlrtf && matches!(self.cur.dest, Dest::Text | Dest::Info(_))
    }

    /// Decode pending `\'xx` bytes and `\uN` units into the current text.
    fn flush(&mut self) {
        if !self.bytes.is_empty() {
            let (text, _, _) = self.cur.enc.decode(&self.bytes);
            let text = text.into_owned();
            self.bytes.clear();
            self.push_str(&text);
        }
        if !self.units.is_empty() {
            let text: String = char::decode_utf16(self.units.drain(..))
                .map(|c| c.unwrap_or('\u{FFFD}'))
                .collect();
            self.push_str(&text);
        }
    }

    fn push_str(&mut self, s: &str) {
        match self.cur.dest {
            Dest::Info(i) => {
                if let Some(f) = self.out.info.get_mut(i) {
                    f.1.push_str(s)
                }
            }
            _ => self.para.push_str(s),
        }
    }

    fn push_char(&mut self, c: char) {
        self.flush();
        if self.reading() {
            let mut b = [0; 4];
            self.push_str(c.encode_utf8(&mut b));
        }
    }

    fn end_paragraph(&mut self) {
        self.flush();
        if matches!(self.cur.dest, Dest::Text) {
            self.out.paragraphs.push(std::mem::take(&mut self.para));
        }
    }

    fn open(&mut self) {
        self.flush();
        self.skip = 0;
        if self.stack.len() < MAX_DEPTH {
            self.stack.push(self.cur);
        } else {
            self.overflow += 1;
        }
        self.fresh = true;
        self.star = false;
    }

    fn close(&mut self) {
        self.flush();
        self.skip = 0;
        if self.overflow > 0 {
            self.overflow -= 1;
        } else if let Some(g) = self.stack.pop() {
            if g.dest != Dest::FontTable {
                self.font = None;
            }
            self.cur = g;
        }
        self.fresh = false;
    }

    /// A plain byte of text (or of a fallback to skip).
    fn byte(&mut self, b: u8) {
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        if !self.reading() {
            return;
        }
        if !self.units.is_empty() {
            self.flush();
        }
        if b < 0x80 && self.bytes.is_empty() {
            let c = b as char;
            match self.cur.dest {
                Dest::Info(_) => self.push_str(c.encode_utf8(&mut [0; 4])),
                _ => self.para.push(c),
            }
        } else {
            self.bytes.push(b);
        }
    }

    fn word(&mut self, name: &str, param: Option<i32>) {
        let fresh = std::mem::replace(&mut self.fresh, false);
        let star = std::mem::replace(&mut self.star, false);
        // Font table entries: their number and charset, even while skipped.
        if self.cur.dest == Dest::FontTable {
            match (name, param) {
                ("f", Some(n)) => self.font = Some(n),
                ("fcharset", Some(cs)) | ("cpg", Some(cs)) => {
                    let cp = if name == "cpg" {
                        Some(cs)
                    } else {
                        charset_codepage(cs)
                    };
                    if let (Some(f), Some(cp)) = (self.font, cp) {
                        if self.fonts.len() < 4096 {
                            self.fonts.push((f, codepage(cp)));
                        }
                    }
                }
                _ => {}
            }
            return;
        }
        if matches!(self.cur.dest, Dest::Skip) {
            if name == "bin" {
                self.skip_bin(param);
            }
            return;
        }
        if fresh {
            if name == "fonttbl" {
                self.flush();
                self.cur.dest = Dest::FontTable;
                return;
            }
            if INFO.contains(&name) && self.in_info() {
                self.flush();
                self.out.info.push((name.to_string(), String::new()));
                self.cur.dest = Dest::Info(self.out.info.len() - 1);
                return;
            }
            if name == "info" {
                self.flush();
                // Text right in `\info` is dropped (no field of that
                // index); its fields are opened by their own words.
                self.cur.dest = Dest::Info(usize::MAX);
                return;
            }
            if star || SKIPPED.contains(&name) {
                self.flush();
                self.cur.dest = Dest::Skip;
                if name == "bin" {
                    self.skip_bin(param);
                }
                return;
            }
        }
        match name {
            "par" | "sect" | "page" | "row" => self.end_paragraph(),
            "line" => self.push_char('\n'),
            "tab" | "cell" => self.push_char('\t'),
            "emdash" => self.push_char('—'),
            "endash" => self.push_char('–'),
            "bullet" => self.push_char('•'),
            "lquote" => self.push_char('‘'),
            "rquote" => self.push_char('’'),
            "ldblquote" => self.push_char('“'),
            "rdblquote" => self.push_char('”'),
            "emspace" | "enspace" | "qmspace" => self.push_char(' '),
            "uc" => self.cur.uc = param.unwrap_or(1).clamp(0, 16) as u32,
            "u" => {
                if let Some(n) = param {
                    if !self.bytes.is_empty() {
                        self.flush();
                    }
                    if self.reading() {
                        self.units.push(n as i16 as u16);
                    }
                    self.skip = self.cur.uc;
                }
            }
            "ansicpg" => {
                if let Some(cp) = param {
                    self.flush();
                    self.doc_enc = codepage(cp);
                    self.cur.enc = self.doc_enc;
                }
            }
            "f" => {
                if let Some(n) = param {
                    self.flush();
                    self.cur.enc = self
                        .fonts
                        .iter()
                        .rev()
                        .find(|(f, _)| *f == n)
                        .map_or(self.doc_enc, |(_, e)| *e);
                }
            }
            "fromhtml" => self.out.html = true,
            "htmlrtf" => {
                self.flush();
                self.cur.htmlrtf = param != Some(0);
            }
            "bin" => self.skip_bin(param),
            _ => {}
        }
    }

    /// Whether the current group is inside `\info`.
    fn in_info(&self) -> bool {
        matches!(self.cur.dest, Dest::Info(_))
    }

    fn skip_bin(&mut self, param: Option<i32>) {
        let n = param.unwrap_or(0).max(0) as usize;
        self.at = self.at.saturating_add(n).min(self.src.len());
    }

    /// One control word or symbol after a backslash at `self.at - 1`.
    fn control(&mut self) {
        let src = self.src;
        let Some(&c) = src.get(self.at) else { return };
        if c.is_ascii_alphabetic() {
            let start = self.at;
            while self.at < src.len()
                && self.at - start < MAX_WORD
                && src[self.at].is_ascii_alphabetic()
            {
                self.at += 1;
            }
            // A longer word is cut: the rest is skipped as part of it.
            while self.at < src.len() && src[self.at].is_ascii_alphabetic() {
                self.at += 1;
            }
            let name = std::str::from_utf8(&src[start..(start + MAX_WORD).min(self.at)])
                .unwrap_or("")
                .to_string();
            let neg = src.get(self.at) == Some(&b'-');
            if neg {
                self.at += 1;
            }
            let ds = self.at;
            let mut value: i64 = 0;
            while self.at < src.len() && src[self.at].is_ascii_digit() {
                if self.at - ds < MAX_PARAM {
                    value = value * 10 + i64::from(src[self.at] - b'0');
                }
                self.at += 1;
            }
            let param = (self.at > ds).then(|| {
                let v = if neg { -value } else { value };
                v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
            });
            if src.get(self.at) == Some(&b' ') {
                self.at += 1;
            }
            // Fallback text after \uN is counted in characters; a control
            // word in it counts as one.
            if self.skip > 0 && name != "u" {
                self.skip -= 1;
                if name != "par" {
                    return;
                }
            }
            self.word(&name, param);
            return;
        }
        self.at += 1;
        match c {
            b'\'' => {
                let hex = src.get(self.at..self.at + 2).and_then(|h| {
                    std::str::from_utf8(h)
                        .ok()
                        .and_then(|h| u8::from_str_radix(h, 16).ok())
                });
                if let Some(b) = hex {
                    self.at += 2;
                    self.fresh = false;
                    self.byte(b);
                }
            }
            b'*' => self.star = true,
            b'\\' | b'{' | b'}' => {
                self.fresh = false;
                self.byte(c)
            }
            // A no-break space is read as a space: the detectors take
            // "06\~12 34 56 78" for the phone number it is.
            b'~' => self.push_char(' '),
            b'_' => self.push_char('-'),
            b'\n' | b'\r' => self.end_paragraph(),
            _ => {} // \- optional hyphen, \| \: and unknown symbols
        }
    }

    fn run(mut self, ctx: Option<&ReadCtx<'_>>) -> Result<RtfText, ExtractError> {
        let mut next_check = 1 << 20;
        while self.at < self.src.len() {
            if self.at >= next_check {
                next_check = self.at + (1 << 20);
                if let Some(ctx) = ctx {
                    ctx.check()?;
                }
            }
            let b = self.src[self.at];
            self.at += 1;
            match b {
                b'{' => self.open(),
                b'}' => self.close(),
                b'\\' => self.control(),
                b'\r' | b'\n' => {}
                _ => {
                    if !self.fresh || b != b' ' {
                        self.fresh = false;
                    }
                    self.byte(b)
                }
            }
        }
        self.flush();
        if !self.para.is_empty() {
            self.out.paragraphs.push(std::mem::take(&mut self.para));
        }
        let mut out = self.out;
        out.info.retain(|(_, t)| !t.trim().is_empty());
        Ok(out)
    }
}

/// The text of an RTF document. `ctx` (when given) is checked for the time
/// budget every MiB of input.
pub fn rtf_text(src: &[u8], ctx: Option<&ReadCtx<'_>>) -> Result<RtfText, ExtractError> {
    Parser::new(src).run(ctx)
}

/// Send an RTF document's text to `sink`: paragraphs as `part` (with their
/// index), document information as `info`.
pub fn emit(text: RtfText, part: &str, sink: &mut dyn Sink) {
    for (i, p) in text.paragraphs.into_iter().enumerate() {
        if p.trim().is_empty() {
            continue;
        }
        let loc = Location {
            part: Some(part.to_string()),
            paragraph: Some(i as u32),
            ..Location::default()
        };
        sink.segment(Segment::new(p, loc));
    }
    for (field, t) in text.info {
        sink.segment(Segment::new(t, Location::part("info")).with_label(field));
    }
}

impl Reader for RtfReader {
    fn read(
        &self,
        src: &Source,
        ctx: &ReadCtx<'_>,
        sink: &mut dyn Sink,
    ) -> Result<(), ExtractError> {
        let bytes = src.bytes()?;
        if !looks_like_rtf(&bytes[..bytes.len().min(64)]) {
            return Err(ExtractError::parse(
                "rtf",
                "not an RTF document (no {\\rtf)",
            ));
        }
        let text = rtf_text(&bytes, Some(ctx))?;
        emit(text, "body", sink);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(rtf: &str) -> String {
        rtf_text(rtf.as_bytes(), None).unwrap().paragraphs.join("|")
    }

    #[test]
    fn control_words_are_stripped_and_escapes_decoded() {
        let rtf = r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Arial;}}{\colortbl;\red0\green0\blue0;}
\pard\f0\fs20 Geachte heer Br\'f6mmel,\par Bedrag: \'8020,-\tab{\b vet}\par
\uc1\u8364? en \u-10179?\u-8704? klaar\par}";
        assert_eq!(
            body(rtf),
            "Geachte heer Brömmel,|Bedrag: €20,-\tvet|€ en \u{1F600} klaar"
        );
    }

    #[test]
    fn destinations_info_and_fields() {
        let rtf = r#"{\rtf1{\info{\title Memo}{\author Wendelien Oosterbeek}{\creatim\yr2020}}{\*\generator Hand 1.0;}
{\field{\*\fldinst HYPERLINK "mailto:x@y.nl"}{\fldrslt zichtbaar}}\par{\pict\wmetafile8 0102ff}tekst\par}"#;
        let t = rtf_text(rtf.as_bytes(), None).unwrap();
        assert_eq!(t.paragraphs, ["zichtbaar", "tekst"]);
        assert_eq!(
            t.info,
            [
                ("title".to_string(), "Memo".to_string()),
                ("author".to_string(), "Wendelien Oosterbeek".to_string())
            ]
        );
    }

    #[test]
    fn font_charsets_pick_the_code_page() {
        let rtf = r"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}{\f1\fcharset238 Arial CE;}}\f1 \'9ar\'e1nek \f0 \'e9\par}";
        assert_eq!(body(rtf), "šránek é");
    }

    #[test]
    fn encapsulated_html_is_read_once() {
        let rtf = r"{\rtf1\ansi\fromhtml1 {\*\htmltag64 <p>}{\htmlrtf \par \htmlrtf0}Hallo {\*\htmltag84 &amp;}\htmlrtf &\htmlrtf0  daag{\*\htmltag72 </p>}\htmlrtf\par\htmlrtf0}";
        let t = rtf_text(rtf.as_bytes(), None).unwrap();
        assert!(t.html);
        assert_eq!(t.paragraphs.join("|"), "|Hallo  daag");
    }

    #[test]
    fn hostile_input_is_bounded() {
        let deep = "{".repeat(100_000) + "tekst" + &"}".repeat(100_000);
        let rtf = format!("{{\\rtf1 {deep}\\par}}");
        assert_eq!(body(&rtf), "tekst");
        let long = format!(
            "{{\\rtf1 \\{}99999999999999999 x\\bin999999999 y}}",
            "a".repeat(100)
        );
        assert_eq!(body(&long), "x", "\\bin skips to the end");
        for cut in [
            "{\\rtf1 \\",
            "{\\rtf1 \\'",
            "{\\rtf1 \\'4",
            "{\\rtf1 \\u",
            "{\\rtf1 \\u-",
        ] {
            let _ = rtf_text(cut.as_bytes(), None).unwrap();
        }
        let unbalanced = "}}}{\\rtf1 a}}}}\\par b";
        assert_eq!(body(unbalanced), "a|b");
    }

    #[test]
    fn garbled_rtf_never_panics() {
        use crate::testutil::legacy::{garble, Rng};
        let seed = br"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 A;}{\f1\fcharset128 B;}}{\info{\author X}}
\uc2 a\u8364\'80\'81b {\f1 \'82\'a0}{\*\x y}{\pict 00}\bin3 abc\par{\field{\*\fldinst H}{\fldrslt r}}\cell\row}";
        let mut rng = Rng(0x57F);
        for i in 0..2000 {
            let data = garble(seed, &mut rng);
            let outcome = std::panic::catch_unwind(|| rtf_text(&data, None));
            assert!(outcome.is_ok(), "input {i} panicked");
        }
    }
}
