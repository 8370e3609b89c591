//! PDF fonts as text extraction needs them: how a string splits into character
//! codes, the Unicode text of each code, and each code's advance width.
//!
//! Unicode comes from `/ToUnicode` when the font has one (it is the producer's
//! own statement and the only reliable source for subset fonts with custom
//! codes); otherwise from the font's `/Encoding` (Standard, WinAnsi, MacRoman,
//! `/Differences` with glyph names), read through lopdf. Type0 fonts with
//! Identity-H/V use 2-byte codes and take widths from the descendant's `/W`
//! and `/DW`. Standard-14 fonts without `/Widths` use the AFM widths shipped in
//! `patterns/pdf_std14_widths.txt`.

use super::cmap::ToUnicode;
use lopdf::{Dictionary, Document, Object};
use std::collections::HashMap;
use std::sync::OnceLock;

/// One character code in a shown string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Code {
    /// Byte offset of the code in the string.
    pub start: usize,
    /// Its length in bytes (1 to 4).
    pub len: u8,
    /// The character code.
    pub code: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
/// The font types that differ in how codes map to glyphs.
pub enum FontKind {
    /// A single-byte font (Type1, TrueType, MMType1).
    Simple,
    /// A composite font with multi-byte codes and a CMap.
    Type0,
    /// A font whose glyphs are content streams.
    Type3,
}

/// What text extraction knows about one font.
#[derive(Debug)]
pub struct Font {
    /// `/BaseFont` without a subset prefix (for the glyph model; never PII).
    pub name: String,
    /// The font's type.
    pub kind: FontKind,
    codespace: Vec<(u8, u32, u32)>,
    to_unicode: Option<ToUnicode>,
    /// Simple fonts: the encoding's character per code.
    simple: Option<Box<[Option<char>; 256]>>,
    /// Type0 without /ToUnicode whose codes are UTF-16 (UCS2 CMaps).
    ucs2: bool,
    first_char: u32,
    widths: Vec<f32>,
    cid_widths: HashMap<u32, f32>,
    default_width: f32,
    std14: Option<&'static HashMap<u32, u16>>,
    monospace: bool,
    /// Glyph space to text space (1/1000 except Type3).
    scale: f32,
    /// Ascent and descent in text space per unit font size.
    pub ascent: f32,
    /// Descent (negative below the baseline) in text space per unit font size.
    pub descent: f32,
}

fn name_of(obj: Option<&Object>) -> Option<&[u8]> {
    obj.and_then(|o| o.as_name().ok())
}

fn deref<'a>(doc: &'a Document, obj: &'a Object) -> &'a Object {
    match obj {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(obj),
        _ => obj,
    }
}

fn num(obj: &Object) -> Option<f32> {
    match obj {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

fn get<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    dict.get(key).ok().map(|o| deref(doc, o))
}

/// Standard-14 widths by font name, parsed once from the shipped data.
fn std14_tables() -> &'static HashMap<String, HashMap<u32, u16>> {
    static TABLES: OnceLock<HashMap<String, HashMap<u32, u16>>> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut all = HashMap::new();
        let mut cur: Option<(String, HashMap<u32, u16>)> = None;
        for line in crate::patterns::PDF_STD14_WIDTHS.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                if let Some((n, t)) = cur.take() {
                    all.insert(n, t);
                }
                cur = Some((name.to_string(), HashMap::new()));
                continue;
            }
            if let Some((_, table)) = cur.as_mut() {
                for pair in line.split_whitespace() {
                    if let Some((cp, w)) = pair.split_once('=') {
                        if let (Ok(cp), Ok(w)) = (u32::from_str_radix(cp, 16), w.parse()) {
                            table.insert(cp, w);
                        }
                    }
                }
            }
        }
        if let Some((n, t)) = cur {
            all.insert(n, t);
        }
        all
    })
}

/// The standard-14 font a base font name stands for (with the usual aliases),
/// and whether it is monospaced.
fn std14_for(base: &str) -> (Option<&'static HashMap<u32, u16>>, bool) {
    let lower = base.to_ascii_lowercase();
    if lower.contains("courier") || lower.contains("mono") {
        return (None, true);
    }
    let bold = lower.contains("bold") || lower.contains("black") || lower.contains("heavy");
    let italic = lower.contains("italic") || lower.contains("oblique");
    let family = if lower.contains("times") || (lower.contains("serif") && !lower.contains("sans"))
    {
        "Times"
    } else {
        "Helvetica"
    };
    let name = match (family, bold, italic) {
        ("Times", false, false) => "Times-Roman",
        ("Times", true, false) => "Times-Bold",
        ("Times", false, true) => "Times-Italic",
        ("Times", true, true) => "Times-BoldItalic",
        (_, false, false) => "Helvetica",
        (_, true, false) => "Helvetica-Bold",
        (_, false, true) => "Helvetica-Oblique",
        (_, true, true) => "Helvetica-BoldOblique",
    };
    (std14_tables().get(name), false)
}

impl Font {
    /// A font used when a `Tf` names no usable font: 1-byte codes read as
    /// Latin-1, Helvetica widths. Text still comes out, and a missing font does
    /// not hide what follows it.
    pub fn fallback() -> Font {
        let mut table = Box::new([None; 256]);
        for (b, slot) in table.iter_mut().enumerate() {
            if b >= 0x20 {
                *slot = char::from_u32(b as u32);
            }
        }
        Font {
            name: String::new(),
            kind: FontKind::Simple,
            codespace: vec![(1, 0, 0xFF)],
            to_unicode: None,
            simple: Some(table),
            ucs2: false,
            first_char: 0,
            widths: Vec::new(),
            cid_widths: HashMap::new(),
            default_width: 500.0,
            std14: std14_for("Helvetica").0,
            monospace: false,
            scale: 0.001,
            ascent: 0.8,
            descent: -0.2,
        }
    }

    /// Read a font dictionary. `limit` bounds the decompressed size of the
    /// `/ToUnicode` stream.
    pub fn load(doc: &Document, dict: &Dictionary, limit: usize) -> Font {
        let subtype = name_of(get(doc, dict, b"Subtype")).unwrap_or(b"Type1");
        let kind = match subtype {
            b"Type0" => FontKind::Type0,
            b"Type3" => FontKind::Type3,
            _ => FontKind::Simple,
        };
        let base = name_of(get(doc, dict, b"BaseFont"))
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default();
        let name = match base.split_once('+') {
            Some((prefix, rest)) if prefix.len() == 6 => rest.to_string(),
            _ => base.clone(),
        };
        let to_unicode = get(doc, dict, b"ToUnicode")
            .and_then(|o| o.as_stream().ok())
            .and_then(|s| s.get_plain_content_with_limit(limit).ok())
            .map(|data| ToUnicode::parse(&data))
            .filter(|m| !m.is_empty());

        let mut font = Font {
            name,
            kind,
            codespace: Vec::new(),
            to_unicode,
            simple: None,
            ucs2: false,
            first_char: 0,
            widths: Vec::new(),
            cid_widths: HashMap::new(),
            default_width: 0.0,
            std14: None,
            monospace: false,
            scale: 0.001,
            ascent: 0.8,
            descent: -0.2,
        };

        let descriptor_owner = match kind {
            FontKind::Type0 => {
                font.load_type0(doc, dict);
                get(doc, dict, b"DescendantFonts")
                    .and_then(|o| o.as_array().ok())
                    .and_then(|a| a.first())
                    .map(|o| deref(doc, o))
                    .and_then(|o| o.as_dict().ok())
            }
            _ => {
                font.load_simple(doc, dict);
                Some(dict)
            }
        };
        if let Some(desc) = descriptor_owner
            .and_then(|d| get(doc, d, b"FontDescriptor"))
            .and_then(|o| o.as_dict().ok())
        {
            let asc = get(doc, desc, b"Ascent").and_then(num).unwrap_or(0.0);
            let dsc = get(doc, desc, b"Descent").and_then(num).unwrap_or(0.0);
            if asc > 0.0 && asc < 2000.0 && dsc <= 0.0 && dsc > -1000.0 {
                font.ascent = asc / 1000.0;
                font.descent = dsc / 1000.0;
            }
            if kind == FontKind::Simple {
                if let Some(mw) = get(doc, desc, b"MissingWidth").and_then(num) {
                    font.default_width = mw;
                }
            }
        }
        font
    }

    fn load_simple(&mut self, doc: &Document, dict: &Dictionary) {
        self.codespace = vec![(1, 0, 0xFF)];
        if self.kind == FontKind::Type3 {
            if let Some(m) = get(doc, dict, b"FontMatrix").and_then(|o| o.as_array().ok()) {
                if let Some(a) = m.first().and_then(num) {
                    if a.is_finite() && a != 0.0 {
                        self.scale = a.abs();
                    }
                }
            }
        }
        self.first_char = get(doc, dict, b"FirstChar")
            .and_then(num)
            .map(|f| f.max(0.0) as u32)
            .unwrap_or(0);
        if let Some(ws) = get(doc, dict, b"Widths").and_then(|o| o.as_array().ok()) {
            self.widths = ws
                .iter()
                .take(256)
                .map(|w| num(deref(doc, w)).unwrap_or(0.0))
                .collect();
        }
        if self.widths.is_empty() {
            let (table, mono) = std14_for(&self.name);
            self.std14 = table;
            self.monospace = mono;
            self.default_width = if mono { 600.0 } else { 500.0 };
        }
        // The encoding's characters, through lopdf (Standard, WinAnsi, MacRoman,
        // Differences with glyph names). A synthetic dict keeps lopdf from
        // preferring /ToUnicode or failing on odd font types.
        let mut synthetic = Dictionary::new();
        synthetic.set("Type", Object::Name(b"Font".to_vec()));
        match dict.get(b"Encoding") {
            Ok(enc) => synthetic.set("Encoding", enc.clone()),
            Err(_) => {
                let symbolic = self.name.starts_with("Symbol") || self.name.starts_with("Zapf");
                if !symbolic {
                    synthetic.set("Encoding", Object::Name(b"StandardEncoding".to_vec()));
                }
            }
        }
        if let Ok(enc) = synthetic.get_font_encoding(doc) {
            let mut table = Box::new([None; 256]);
            let mut buf = String::new();
            for (b, slot) in table.iter_mut().enumerate() {
                buf.clear();
                if enc.write_to_string(&[b as u8], &mut buf).is_ok() {
                    let mut chars = buf.chars();
                    if let (Some(c), None) = (chars.next(), chars.next()) {
                        *slot = Some(c);
                    }
                }
            }
            self.simple = Some(table);
        }
    }

    fn load_type0(&mut self, doc: &Document, dict: &Dictionary) {
        self.default_width = 1000.0;
        match get(doc, dict, b"Encoding") {
            Some(Object::Name(n)) => {
                self.codespace = vec![(2, 0, 0xFFFF)];
                self.ucs2 = n.windows(4).any(|w| w == b"UCS2" || w == b"UTF1");
            }
            Some(Object::Stream(s)) => {
                let cs = s
                    .get_plain_content_with_limit(1 << 20)
                    .map(|d| ToUnicode::parse(&d).codespace)
                    .unwrap_or_default();
                self.codespace = if cs.is_empty() {
                    vec![(2, 0, 0xFFFF)]
                } else {
                    cs
                };
            }
            _ => self.codespace = vec![(2, 0, 0xFFFF)],
        }
        let Some(desc) = get(doc, dict, b"DescendantFonts")
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_dict().ok())
        else {
            return;
        };
        if let Some(dw) = get(doc, desc, b"DW").and_then(num) {
            self.default_width = dw;
        }
        if let Some(w) = get(doc, desc, b"W").and_then(|o| o.as_array().ok()) {
            let mut i = 0;
            while i < w.len() && self.cid_widths.len() < 100_000 {
                let Some(first) = num(deref(doc, &w[i])) else {
                    break;
                };
                let first = first.max(0.0) as u32;
                match w.get(i + 1).map(|o| deref(doc, o)) {
                    Some(Object::Array(ws)) => {
                        for (k, wv) in ws.iter().enumerate() {
                            if let Some(v) = num(deref(doc, wv)) {
                                self.cid_widths.insert(first + k as u32, v);
                            }
                        }
                        i += 2;
                    }
                    Some(last) => {
                        let (Some(last), Some(v)) =
                            (num(last), w.get(i + 2).map(|o| deref(doc, o)).and_then(num))
                        else {
                            break;
                        };
                        let last = (last.max(0.0) as u32).min(first.saturating_add(65_536));
                        for c in first..=last {
                            self.cid_widths.insert(c, v);
                        }
                        i += 3;
                    }
                    None => break,
                }
            }
        }
    }

    /// Split a shown string into character codes.
    pub fn codes<'a>(&'a self, bytes: &'a [u8]) -> impl Iterator<Item = Code> + 'a {
        let mut pos = 0;
        std::iter::from_fn(move || {
            if pos >= bytes.len() {
                return None;
            }
            let rest = &bytes[pos..];
            let mut take = 0u8;
            for &(n, lo, hi) in &self.codespace {
                let n = n.clamp(1, 4);
                if (n as usize) <= rest.len() {
                    let c = rest[..n as usize]
                        .iter()
                        .fold(0u32, |a, &b| (a << 8) | u32::from(b));
                    if c >= lo && c <= hi {
                        take = n;
                        break;
                    }
                }
            }
            if take == 0 {
                // Not in any range: use the shortest declared length.
                take = self
                    .codespace
                    .iter()
                    .map(|c| c.0)
                    .min()
                    .unwrap_or(1)
                    .clamp(1, 4)
                    .min(rest.len() as u8);
            }
            let code = rest[..take as usize]
                .iter()
                .fold(0u32, |a, &b| (a << 8) | u32::from(b));
            let c = Code {
                start: pos,
                len: take,
                code,
            };
            pos += take as usize;
            Some(c)
        })
    }

    /// Append the text of `code` to `out`; false when the font gives none.
    pub fn push_unicode(&self, code: Code, out: &mut String) -> bool {
        if let Some(tu) = &self.to_unicode {
            if let Some(s) = tu.get(code.len, code.code) {
                if !s.is_empty() && !s.contains('\u{0}') {
                    out.push_str(&s);
                    return true;
                }
            }
        }
        match self.kind {
            FontKind::Type0 => {
                if self.ucs2 {
                    if let Some(c) = char::from_u32(code.code) {
                        out.push(c);
                        return true;
                    }
                }
                false
            }
            _ => {
                if let Some(c) = self
                    .simple
                    .as_ref()
                    .and_then(|t| t.get(code.code as usize).copied().flatten())
                {
                    out.push(c);
                    return true;
                }
                false
            }
        }
    }

    /// Advance of `code` in text space per unit font size (before Tc/Tw/Tz).
    pub fn width(&self, code: Code) -> f32 {
        let w = match self.kind {
            FontKind::Type0 => self
                .cid_widths
                .get(&code.code)
                .copied()
                .unwrap_or(self.default_width),
            _ => {
                let idx = code.code.wrapping_sub(self.first_char) as usize;
                if code.code >= self.first_char && idx < self.widths.len() {
                    self.widths[idx]
                } else if self.monospace {
                    600.0
                } else if let Some(t) = self.std14 {
                    self.simple
                        .as_ref()
                        .and_then(|s| s.get(code.code as usize).copied().flatten())
                        .and_then(|c| t.get(&(c as u32)))
                        .map(|w| f32::from(*w))
                        .unwrap_or(self.default_width)
                } else {
                    self.default_width
                }
            }
        };
        w * self.scale
    }

    /// Whether word spacing (`Tw`) applies: single-byte code 32.
    pub fn is_word_space(&self, code: Code) -> bool {
        code.len == 1 && code.code == 32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn std14_helvetica_widths_from_data() {
        let (t, mono) = std14_for("Helvetica");
        let t = t.expect("Helvetica table");
        assert!(!mono);
        assert_eq!(t.get(&('A' as u32)), Some(&667));
        assert_eq!(t.get(&(' ' as u32)), Some(&278));
        assert!(std14_for("Times-Bold").0.is_some());
        assert!(std14_for("Courier").1);
        assert!(std14_for("ArialMT,Bold").0.unwrap().get(&('A' as u32)) == Some(&722));
    }

    #[test]
    fn simple_helvetica_without_widths() {
        let doc = Document::with_version("1.5");
        let mut d = Dictionary::new();
        d.set("Type", Object::Name(b"Font".to_vec()));
        d.set("Subtype", Object::Name(b"Type1".to_vec()));
        d.set("BaseFont", Object::Name(b"Helvetica".to_vec()));
        d.set("Encoding", Object::Name(b"WinAnsiEncoding".to_vec()));
        let f = Font::load(&doc, &d, 1 << 20);
        let codes: Vec<Code> = f.codes(b"A\x80 ").collect();
        assert_eq!(codes.len(), 3);
        let mut s = String::new();
        for c in &codes {
            assert!(f.push_unicode(*c, &mut s));
        }
        assert_eq!(s, "A€ ");
        assert!((f.width(codes[0]) - 0.667).abs() < 1e-6);
        assert!(f.is_word_space(codes[2]));
    }

    #[test]
    fn type0_identity_two_byte_codes_and_w_array() {
        let mut doc = Document::with_version("1.5");
        let mut cid = Dictionary::new();
        cid.set("Type", Object::Name(b"Font".to_vec()));
        cid.set("Subtype", Object::Name(b"CIDFontType2".to_vec()));
        cid.set("DW", 777);
        cid.set(
            "W",
            vec![
                Object::Integer(1),
                Object::Array(vec![500.into(), 600.into()]),
                Object::Integer(10),
                Object::Integer(12),
                Object::Integer(250),
            ],
        );
        let cid_id = doc.add_object(cid);
        let mut d = Dictionary::new();
        d.set("Type", Object::Name(b"Font".to_vec()));
        d.set("Subtype", Object::Name(b"Type0".to_vec()));
        d.set("Encoding", Object::Name(b"Identity-H".to_vec()));
        d.set("DescendantFonts", vec![Object::Reference(cid_id)]);
        let f = Font::load(&doc, &d, 1 << 20);
        let codes: Vec<Code> = f.codes(&[0, 1, 0, 2, 0, 11, 0, 99]).collect();
        assert_eq!(
            codes.iter().map(|c| c.code).collect::<Vec<_>>(),
            [1, 2, 11, 99]
        );
        assert!(codes.iter().all(|c| c.len == 2));
        let w: Vec<f32> = codes.iter().map(|c| f.width(*c)).collect();
        assert_eq!(w, [0.5, 0.6, 0.25, 0.777]);
        // No ToUnicode: the text is unknown, not guessed.
        assert!(!f.push_unicode(codes[0], &mut String::new()));
    }
}
