//! Redactors for the text formats: plain text, CSV/TSV, JSON, XML and HTML.
//!
//! All of them work the same way: decode the file as the text reader does
//! (UTF-8, UTF-16 with BOM, Windows-1252), find the places to change in the
//! decoded text, and splice the replacements into the SOURCE bytes through
//! the decoder's offset map, encoded in the file's own encoding. Everything
//! not replaced stays byte for byte as it was (BOM, line ends, quoting).

use super::{apply, Cx, Edit, RedactError, Redactor};
use crate::document::{Location, Offsets, Segment};
use crate::extract::csv::{column_name, sniff_delimiter};
use crate::extract::markup::{
    decode_entities_mapped, local, raw_offset, tokenize, Reference, Token, BLOCK,
};
use crate::extract::text::{decode, detect_encoding, Encoding, SAMPLE};
use crate::record::Owner;

/// A text file decoded, with the map back to its bytes.
pub struct Decoded {
    /// The encoding the file was decoded from.
    pub enc: Encoding,
    /// The decoded text.
    pub text: String,
    /// Text offsets to byte offsets in the file.
    pub offsets: Offsets,
}

/// `bytes` decoded with the encoding detected from its start (a BOM is skipped).
pub fn decode_file(bytes: &[u8]) -> Decoded {
    let (enc, bom) = detect_encoding(&bytes[..bytes.len().min(SAMPLE)]);
    let (text, offsets) = decode(&bytes[bom..], enc, bom as u64);
    Decoded { enc, text, offsets }
}

/// `s` in `enc`. Characters the encoding lacks (only `█` can occur in a
/// replacement) become `#`.
pub fn encode(s: &str, enc: Encoding) -> Vec<u8> {
    match enc {
        Encoding::Utf8 => s.as_bytes().to_vec(),
        Encoding::Utf16Le => s.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        Encoding::Utf16Be => s.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        Encoding::Windows1252 => {
            let mut out = Vec::with_capacity(s.len());
            let mut buf = [0u8; 4];
            for c in s.chars() {
                if c.is_ascii() {
                    out.push(c as u8);
                    continue;
                }
                let (bytes, _, bad) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
                if bad || bytes.len() != 1 {
                    out.push(b'#');
                } else {
                    out.push(bytes[0]);
                }
            }
            out
        }
    }
}

/// Replace decoded-text ranges in the source bytes.
pub fn splice(src: &[u8], d: &Decoded, edits: &[Edit]) -> Result<Vec<u8>, RedactError> {
    let mut out = Vec::with_capacity(src.len());
    let mut at = 0usize;
    for e in edits {
        let (Some(s), Some(end)) = (d.offsets.source(e.start), d.offsets.source(e.end)) else {
            return Err(RedactError::Failed(
                "cannot map a finding back to the file's bytes".into(),
            ));
        };
        let (s, end) = (s as usize, end as usize);
        if s < at || end < s || end > src.len() {
            return Err(RedactError::Failed(
                "overlapping or out-of-range replacement".into(),
            ));
        }
        out.extend_from_slice(&src[at..s]);
        out.extend_from_slice(&encode(&e.text, d.enc));
        at = end;
    }
    out.extend_from_slice(&src[at..]);
    Ok(out)
}

/// Largest char boundary of `s` at or before `i`.
fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Text pieces larger than this are planned in line-aligned chunks.
const PIECE: usize = 4 << 20;

/// Plan a whole text (as one segment when it is not huge), edits in text offsets.
pub fn text_edits(text: &str, offsets: &Offsets, loc: Location, cx: &mut Cx<'_>) -> Vec<Edit> {
    if text.len() <= PIECE {
        let seg = Segment {
            text: text.to_string(),
            loc,
            label: None,
            offsets: offsets.clone(),
            own: None,
            column: None,
        };
        return cx.plan(&seg);
    }
    let mut edits = Vec::new();
    let mut start = 0;
    let mut line = loc.line.unwrap_or(1);
    while start < text.len() {
        let mut end = floor_boundary(text, start + PIECE);
        if end < text.len() {
            if let Some(nl) = text[start..end].rfind('\n') {
                end = start + nl + 1;
            }
        }
        let piece = &text[start..end];
        let mut l = loc.clone();
        l.line = Some(line);
        for mut e in cx.plan(&Segment::new(piece, l)) {
            e.start += start;
            e.end += start;
            edits.push(e);
        }
        line += memchr::memchr_iter(b'\n', piece.as_bytes()).count() as u64;
        start = end;
    }
    edits
}

/// Plain text in any encoding the text reader decodes.
pub struct TextRedactor;

impl Redactor for TextRedactor {
    fn redact(&self, input: &[u8], cx: &mut Cx<'_>) -> Result<Vec<u8>, RedactError> {
        let d = decode_file(input);
        let edits = text_edits(&d.text, &d.offsets, Location::line(1), cx);
        splice(input, &d, &edits)
    }
}

/// One CSV field: its raw range in the text, whether it was quoted, its value.
#[derive(Debug, PartialEq)]
struct Field {
    start: usize,
    end: usize,
    quoted: bool,
    value: String,
}

/// Split CSV text into records of fields with their raw ranges (RFC 4180,
/// tolerant: stray text after a closing quote is part of the value).
fn csv_records(text: &str, delim: u8) -> Vec<(u64, Vec<Field>)> {
    let b = text.as_bytes();
    let mut records = Vec::new();
    let mut i = 0;
    let mut line = 1u64;
    let stop = |c: u8| c == delim || c == b'\n' || c == b'\r';
    while i < b.len() {
        let first_line = line;
        let mut fields = Vec::new();
        loop {
            let start = i;
            let (quoted, value) = if i < b.len() && b[i] == b'"' {
                let mut v = Vec::new();
                i += 1;
                while i < b.len() {
                    if b[i] == b'"' {
                        if b.get(i + 1) == Some(&b'"') {
                            v.push(b'"');
                            i += 2;
                            continue;
                        }
                        i += 1;
                        break;
                    }
                    if b[i] == b'\n' {
                        line += 1;
                    }
                    v.push(b[i]);
                    i += 1;
                }
                while i < b.len() && !stop(b[i]) {
                    v.push(b[i]);
                    i += 1;
                }
                (true, String::from_utf8_lossy(&v).into_owned())
            } else {
                while i < b.len() && !stop(b[i]) {
                    i += 1;
                }
                (false, text[start..i].to_string())
            };
            fields.push(Field {
                start,
                end: i,
                quoted,
                value,
            });
            if i < b.len() && b[i] == delim {
                i += 1;
                continue;
            }
            if i < b.len() && b[i] == b'\r' {
                i += 1;
            }
            if i < b.len() && b[i] == b'\n' {
                i += 1;
                line += 1;
            }
            break;
        }
        records.push((first_line, fields));
    }
    records
}

/// CSV and TSV: every cell is planned with its column header as label; a
/// changed cell is written back quoted when it was quoted or needs it.
pub struct CsvRedactor {
    /// The field delimiter; `None` to sniff it from the text.
    pub delimiter: Option<u8>,
}

impl Redactor for CsvRedactor {
    fn redact(&self, input: &[u8], cx: &mut Cx<'_>) -> Result<Vec<u8>, RedactError> {
        let d = decode_file(input);
        let delim = self.delimiter.unwrap_or_else(|| sniff_delimiter(&d.text));
        let records = csv_records(&d.text, delim);
        let mut headers: Vec<String> = Vec::new();
        let mut edits = Vec::new();
        for (row, (line, fields)) in records.iter().enumerate() {
            if row == 0 {
                headers = fields.iter().map(|f| f.value.trim().to_string()).collect();
            }
            for (col, f) in fields.iter().enumerate() {
                if f.value.trim().is_empty() {
                    continue;
                }
                let mut loc = Location::line(*line);
                loc.cell = Some(format!("{}{}", column_name(col), row + 1));
                let mut seg = Segment::new(f.value.as_str(), loc);
                if let (false, Offsets::Linear(base)) = (f.quoted, &d.offsets) {
                    seg.offsets = Offsets::Linear(base + f.start as u64);
                }
                if row > 0 {
                    if let Some(h) = headers.get(col).filter(|h| !h.is_empty()) {
                        seg.label = Some(h.clone());
                    }
                }
                let cell_edits = cx.plan(&seg);
                if cell_edits.is_empty() {
                    continue;
                }
                let value = apply(&f.value, &cell_edits);
                let needs_quotes = value
                    .bytes()
                    .any(|c| c == delim || c == b'"' || c == b'\n' || c == b'\r');
                let raw = if f.quoted || needs_quotes {
                    format!("\"{}\"", value.replace('"', "\"\""))
                } else {
                    value
                };
                edits.push(Edit {
                    start: f.start,
                    end: f.end,
                    text: raw,
                });
            }
        }
        splice(input, &d, &edits)
    }
}

/// JSON and JSON Lines: string and number values (and object keys) are
/// planned with their key as label; a changed value is written back as a
/// JSON string. Text that is not JSON is redacted as plain text.
pub struct JsonRedactor;

fn parses_as_json(text: &str) -> Option<bool> {
    if serde_json::from_str::<serde_json::Value>(text).is_ok() {
        return Some(false);
    }
    let mut any = false;
    for l in text.lines().filter(|l| !l.trim().is_empty()) {
        serde_json::from_str::<serde_json::Value>(l).ok()?;
        any = true;
    }
    any.then_some(true)
}

/// End (exclusive) of the JSON string starting with the quote at `i`.
fn string_end(b: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

fn json_edits(text: &str, cx: &mut Cx<'_>) -> Vec<Edit> {
    let b = text.as_bytes();
    // (is object, label in effect inside)
    let mut stack: Vec<(bool, Option<String>)> = Vec::new();
    let mut edits = Vec::new();
    let mut line = 1u64;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                line += 1;
                i += 1;
            }
            b'{' => {
                stack.push((true, None));
                i += 1;
            }
            b'[' => {
                let label = stack.last().and_then(|s| s.1.clone());
                stack.push((false, label));
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                i += 1;
            }
            b'"' => {
                let end = string_end(b, i);
                let raw = &text[i..end];
                let value: String = serde_json::from_str(raw).unwrap_or_default();
                let mut j = end;
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                let is_key = b.get(j) == Some(&b':') && stack.last().is_some_and(|s| s.0);
                let label = if is_key {
                    None
                } else {
                    stack.last().and_then(|s| s.1.clone())
                };
                plan_json_value(&value, i, end, label, line, cx, &mut edits);
                if is_key {
                    if let Some(top) = stack.last_mut() {
                        top.1 = Some(value);
                    }
                }
                i = end;
            }
            c if c == b'-' || c.is_ascii_digit() => {
                let start = i;
                while i < b.len() && matches!(b[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                {
                    i += 1;
                }
                let label = stack.last().and_then(|s| s.1.clone());
                plan_json_value(&text[start..i], start, i, label, line, cx, &mut edits);
            }
            _ => i += 1,
        }
    }
    edits
}

fn plan_json_value(
    value: &str,
    start: usize,
    end: usize,
    label: Option<String>,
    line: u64,
    cx: &mut Cx<'_>,
    edits: &mut Vec<Edit>,
) {
    if value.trim().is_empty() {
        return;
    }
    let mut seg = Segment::new(value, Location::line(line));
    seg.label = label;
    let e = cx.plan(&seg);
    if !e.is_empty() {
        let new = apply(value, &e);
        edits.push(Edit {
            start,
            end,
            text: serde_json::to_string(&new).unwrap_or_else(|_| "\"\"".into()),
        });
    }
}

impl Redactor for JsonRedactor {
    fn redact(&self, input: &[u8], cx: &mut Cx<'_>) -> Result<Vec<u8>, RedactError> {
        let d = decode_file(input);
        let Some(lines) = parses_as_json(&d.text) else {
            return TextRedactor.redact(input, cx);
        };
        let edits = json_edits(&d.text, cx);
        let out = splice(input, &d, &edits)?;
        let back = decode_file(&out);
        if parses_as_json(&back.text) != Some(lines) {
            return Err(RedactError::Failed(
                "redacted JSON does not parse: not written".into(),
            ));
        }
        Ok(out)
    }
}

fn escape_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn escape_attr(s: &str) -> String {
    escape_text(s).replace('"', "&quot;").replace('\'', "&#39;")
}

/// Edits of a node's decoded text (sorted, as planned) as edits of the
/// markup: the node starts at `at`, its character references are `refs`.
/// Only the replaced ranges change, so the rest of the node keeps its
/// references as written (and its characters stay encodable in the file's
/// charset); a range that cuts a reference takes all of it, and ranges that
/// then touch are joined.
fn raw_edits(
    at: usize,
    refs: &[Reference],
    edits: &[Edit],
    escape: fn(&str) -> String,
) -> Vec<Edit> {
    let mut out: Vec<Edit> = Vec::with_capacity(edits.len());
    for e in edits {
        let start = at + raw_offset(refs, e.start, false);
        let end = at + raw_offset(refs, e.end, true);
        let text = escape(&e.text);
        match out.last_mut() {
            Some(prev) if start < prev.end => {
                prev.end = prev.end.max(end);
                prev.text.push_str(&text);
            }
            _ => out.push(Edit { start, end, text }),
        }
    }
    out
}

/// XML and HTML: text nodes and attribute values, tags kept.
pub struct MarkupRedactor {
    /// Whether the input is HTML (else XML).
    pub html: bool,
}

/// Edits (in `text` offsets) that redact markup. XML text nodes are planned
/// one by one with their element as label; HTML text is joined the way the
/// reader joins it, and a value spread over several nodes is removed from
/// each of them.
pub fn markup_edits(text: &str, html: bool, cx: &mut Cx<'_>) -> Vec<Edit> {
    let tokens = tokenize(text);
    let mut edits = Vec::new();
    let mut stack: Vec<&str> = Vec::new();
    // HTML: joined text and the nodes in it (joined start, raw at, references, decoded).
    let mut joined = String::new();
    let mut nodes: Vec<(usize, usize, Vec<Reference>, String)> = Vec::new();
    for t in &tokens {
        match t {
            Token::Text(at, s) => {
                let cdata = text[..*at].ends_with("<![CDATA[");
                let (decoded, refs) = if cdata {
                    (s.to_string(), Vec::new())
                } else {
                    decode_entities_mapped(s)
                };
                if html {
                    nodes.push((joined.len(), *at, refs, decoded.clone()));
                    joined.push_str(&decoded);
                    continue;
                }
                if s.trim().is_empty() {
                    continue;
                }
                let mut seg = Segment::new(decoded.as_str(), Location::default());
                if let Some(el) = stack.last() {
                    seg.label = Some(local(el).to_string());
                }
                let e = cx.plan(&seg);
                let escape: fn(&str) -> String = if cdata { str::to_string } else { escape_text };
                edits.extend(raw_edits(*at, &refs, &e, escape));
            }
            Token::Tag { name, end, attrs } => {
                if html
                    && BLOCK.iter().any(|b| b.eq_ignore_ascii_case(name))
                    && !joined.ends_with('\n')
                {
                    joined.push('\n');
                }
                if *end {
                    if let Some(p) = stack.iter().rposition(|e| e == name) {
                        stack.truncate(p);
                    }
                    continue;
                }
                for (an, v, at) in attrs {
                    if v.trim().is_empty() || an.starts_with("xmlns") {
                        continue;
                    }
                    let (decoded, refs) = decode_entities_mapped(v);
                    let seg = Segment::new(decoded.as_str(), Location::part(format!("@{an}")))
                        .with_label(local(an));
                    let e = cx.plan(&seg);
                    edits.extend(raw_edits(*at, &refs, &e, escape_attr));
                }
                if !html {
                    stack.push(name);
                }
            }
        }
    }
    if html && !joined.trim().is_empty() {
        let found = cx.plan(&Segment::new(joined.as_str(), Location::default()));
        let mut per_node: Vec<Vec<Edit>> = vec![Vec::new(); nodes.len()];
        for f in &found {
            let mut first = true;
            for (k, (ns, _, _, decoded)) in nodes.iter().enumerate() {
                let ne = ns + decoded.len();
                if ne <= f.start || *ns >= f.end {
                    continue;
                }
                per_node[k].push(Edit {
                    start: f.start.max(*ns) - ns,
                    end: f.end.min(ne) - ns,
                    text: if first { f.text.clone() } else { String::new() },
                });
                first = false;
            }
        }
        for (k, e) in per_node.into_iter().enumerate() {
            if e.is_empty() {
                continue;
            }
            let (_, at, refs, _) = &nodes[k];
            edits.extend(raw_edits(*at, refs, &e, escape_text));
        }
    }
    edits.sort_by_key(|e| (e.start, e.end));
    edits
}

/// Safety net for markup: personal data that the text-node pass cannot
/// reach (comments, `<script>`, `<style>`, processing instructions) is looked
/// for in the raw markup; any value to redact that no edit covers withholds
/// the file.
pub fn check_markup_covered(text: &str, edits: &[Edit], cx: &Cx<'_>) -> Result<(), RedactError> {
    let people = cx.red.scanner.opts.people.as_ref();
    for f in cx.red.scanner.engine.detect(text, None) {
        let raw = &text[f.start..f.end];
        let owner = people.map(|p| p.owner_in(f.kind, &f.norm, raw, &text[..f.start]));
        if Owner::kept(owner) {
            continue;
        }
        // Kept by the text-node pass, which sees more context (a signature block).
        let kept = cx
            .findings
            .iter()
            .any(|k| k.kind == f.kind && k.norm == f.norm && Owner::kept(k.owner));
        if kept {
            continue;
        }
        let covered = edits.iter().any(|e| e.start < f.end && f.start < e.end);
        if !covered {
            return Err(RedactError::Review(format!(
                "{} outside the text of the markup (comment, script or style): cannot be redacted",
                f.kind
            )));
        }
    }
    Ok(())
}

impl Redactor for MarkupRedactor {
    fn redact(&self, input: &[u8], cx: &mut Cx<'_>) -> Result<Vec<u8>, RedactError> {
        let d = decode_file(input);
        let edits = markup_edits(&d.text, self.html, cx);
        check_markup_covered(&d.text, &edits, cx)?;
        splice(input, &d, &edits)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::redaction;
    use super::super::Style;
    use super::*;

    fn run(r: &dyn Redactor, input: &[u8], subject: Option<&str>, style: Style) -> Vec<u8> {
        let red = redaction(style, subject);
        let mut cx = Cx::new(&red, "t", 0);
        r.redact(input, &mut cx).unwrap()
    }

    #[test]
    fn text_in_windows_1252_keeps_its_encoding() {
        let input = b"Caf\xe9 \x80 huurder BSN 123456782, partner IBAN NL91ABNA0417164300.\r\n";
        let out = run(&TextRedactor, input, None, Style::Label);
        assert_eq!(
            out,
            b"Caf\xe9 \x80 huurder BSN [BSN], partner IBAN [IBAN].\r\n".to_vec()
        );
        let boxed = run(&TextRedactor, input, None, Style::Box);
        assert!(boxed.starts_with(b"Caf\xe9 \x80 huurder BSN #########,"));
    }

    #[test]
    fn text_keeps_the_subject() {
        let input = "BSN 123456782 (huurder) en 111222333 ﻿é".as_bytes();
        let out = run(
            &TextRedactor,
            input,
            Some("bsn = \"123456782\""),
            Style::Label,
        );
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains("123456782") && !out.contains("111222333"),
            "{out}"
        );
    }

    #[test]
    fn utf16_text() {
        let mut input = vec![0xFF, 0xFE];
        input.extend(
            "tel 06-12345678 ok"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        let out = run(&TextRedactor, &input, None, Style::Label);
        let units: Vec<u16> = out[2..]
            .chunks(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        assert_eq!(String::from_utf16(&units).unwrap(), "tel [telefoon] ok");
    }

    #[test]
    fn csv_fields_and_quotes() {
        let recs = csv_records("a;\"b;\"\"c\"\"\"\r\n1;2", b';');
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].1[1].value, "b;\"c\"");
        assert!(recs[0].1[1].quoted);
        assert_eq!(recs[1].0, 2);
        let input = "naam;bsn;notitie\r\nA;123456782;\"tel 06-12345678; \"\"spoed\"\"\"\r\n";
        let out = run(
            &CsvRedactor { delimiter: None },
            input.as_bytes(),
            None,
            Style::Label,
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "naam;bsn;notitie\r\nA;[BSN];\"tel [telefoon]; \"\"spoed\"\"\"\r\n"
        );
    }

    #[test]
    fn json_values_keys_and_numbers() {
        let input =
            r#"{"huurder": {"bsn": 123456782, "tel": ["06-12345678"], "06-87654321": true}}"#;
        let out = run(&JsonRedactor, input.as_bytes(), None, Style::Label);
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["huurder"]["bsn"], "[BSN]");
        assert_eq!(v["huurder"]["tel"][0], "[telefoon]");
        assert_eq!(v["huurder"]["[telefoon]"], true);
        let lines = "{\"iban\":\"NL91ABNA0417164300\"}\n{\"x\":\"y\"}\n";
        let out = run(&JsonRedactor, lines.as_bytes(), None, Style::Label);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"iban\":\"[IBAN]\"}\n{\"x\":\"y\"}\n"
        );
    }

    #[test]
    fn markup_text_nodes_and_attributes() {
        let xml =
            "<?xml version='1.0'?><r><bsn>123456782</bsn><p tel=\"06-12345678\">a &amp; b</p></r>";
        let out = run(
            &MarkupRedactor { html: false },
            xml.as_bytes(),
            None,
            Style::Label,
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<?xml version='1.0'?><r><bsn>[BSN]</bsn><p tel=\"[telefoon]\">a &amp; b</p></r>"
        );
        let html =
            "<p>Bel <b>06-1234</b>5678 &amp; mail <a href=\"mailto:a.b@voorbeeld.nl\">hier</a></p>";
        let out = run(
            &MarkupRedactor { html: true },
            html.as_bytes(),
            None,
            Style::Label,
        );
        let out = String::from_utf8(out).unwrap();
        assert!(!out.contains("1234") && !out.contains("5678"), "{out}");
        assert!(!out.contains("a.b@voorbeeld.nl"), "{out}");
        assert!(out.contains("&amp; mail") && out.contains("<b>"), "{out}");
        // values in comments or scripts cannot be redacted: withheld
        let red = redaction(Style::Label, None);
        let mut cx = Cx::new(&red, "t", 0);
        let hidden = "<p>x</p><!-- BSN 123456782 --><script>var t='06-12345678'</script>";
        let err = MarkupRedactor { html: true }
            .redact(hidden.as_bytes(), &mut cx)
            .unwrap_err();
        assert!(matches!(err, RedactError::Review(_)), "{err}");
    }
}
