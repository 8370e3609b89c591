//! XML and HTML text content. A small tolerant tokenizer (malformed HTML is
//! the norm, so a strict XML parser is the wrong tool here): text nodes and
//! attribute values, entities decoded, `script`/`style` skipped. XML text nodes
//! are segments labelled with their element (`<bsn>…</bsn>` gives context);
//! HTML text is joined into one segment with line breaks at block elements.

use super::text::decode_all;
use super::{ExtractError, ReadCtx, Reader, Sink, Source};
use crate::document::{Location, Offsets, Segment};

/// The reader of XML and HTML: text nodes and attribute values.
pub struct MarkupReader {
    /// Whether the input is HTML (else XML).
    pub html: bool,
}

/// Decode character references in `s`. Unknown named entities stay as written.
pub fn decode_entities(s: &str) -> String {
    decode_entities_mapped(s).0
}

/// The longest HTML5 entity name (`CounterClockwiseContourIntegral`) has 31
/// characters; a longer run before `;` is no reference.
const MAX_ENTITY: usize = 32;

/// One decoded character reference: where its text stands in the decoded
/// string and where the reference (`&...;`) stands in the raw one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// Range in the decoded text.
    pub text: std::ops::Range<usize>,
    /// Range in the raw text.
    pub raw: std::ops::Range<usize>,
}

/// Decode character references in `s` and return, with the text, each
/// decoded reference, so that a position in the decoded text maps back to
/// its place in `s` (text between references is copied as it is).
pub fn decode_entities_mapped(s: &str) -> (String, Vec<Reference>) {
    let mut marks = Vec::new();
    if !s.contains('&') {
        return (s.to_string(), marks);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..]
            .find(|c: char| c == ';' || c == '&' || c.is_whitespace())
            .map(|e| e + 1);
        let decoded = end
            .filter(|&e| rest.as_bytes()[e] == b';' && e <= MAX_ENTITY + 1)
            .and_then(|e| Some((e, entity(&rest[1..e])?)));
        match decoded {
            Some((e, text)) => {
                let (t0, r0) = (out.len(), s.len() - rest.len());
                out.push_str(&text);
                rest = &rest[e + 1..];
                marks.push(Reference {
                    text: t0..out.len(),
                    raw: r0..s.len() - rest.len(),
                });
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    (out, marks)
}

/// The raw offset of decoded offset `pos`, given the node's `refs`. A
/// position inside a reference's text goes to the reference's start, or with
/// `round_up` to its end: a redaction never cuts a reference in two.
pub fn raw_offset(refs: &[Reference], pos: usize, round_up: bool) -> usize {
    let mut shift = 0isize;
    for r in refs {
        if pos < r.text.start || (pos == r.text.start && !r.text.is_empty()) {
            break;
        }
        if pos < r.text.end {
            return if round_up { r.raw.end } else { r.raw.start };
        }
        shift = r.raw.end as isize - r.text.end as isize;
    }
    (pos as isize + shift) as usize
}

/// A character reference: numeric, or any HTML5 named entity (the WHATWG
/// table as shipped by `html-escape`, sorted by name; it includes the XML
/// five). Not quick-xml's `escape-html` table: it has truncated code points
/// (`&ccaron;` gives U+0010 there instead of U+010D).
fn entity(name: &str) -> Option<std::borrow::Cow<'static, str>> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).map(|c| c.to_string().into());
    }
    let table = &html_escape::NAMED_ENTITIES;
    let i = table
        .binary_search_by(|(n, _)| (*n).cmp(name.as_bytes()))
        .ok()?;
    Some(table[i].1.into())
}

pub(crate) const BLOCK: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "tr",
    "td",
    "th",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "ul",
    "ol",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "hr",
    "title",
];

/// One token of markup.
pub(crate) enum Token<'a> {
    Text(usize, &'a str),
    /// start tag or end tag name, attributes (name, value, offset of value)
    Tag {
        name: &'a str,
        end: bool,
        attrs: Vec<(&'a str, &'a str, usize)>,
    },
}

pub(crate) fn tokenize(s: &str) -> Vec<Token<'_>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut skip_until: Option<&str> = None;
    while i < b.len() {
        if b[i] != b'<' {
            let j = memchr::memchr(b'<', &b[i..]).map_or(b.len(), |k| i + k);
            if skip_until.is_none() {
                out.push(Token::Text(i, &s[i..j]));
            }
            i = j;
            continue;
        }
        let rest = &s[i..];
        if let Some(close) = skip_until {
            let lower = rest.get(..close.len() + 2).map(|p| p.to_ascii_lowercase());
            if lower.as_deref() == Some(&format!("</{close}")) {
                skip_until = None;
            } else {
                i += 1;
                continue;
            }
        }
        if rest.starts_with("<!--") {
            i += rest.find("-->").map_or(rest.len(), |k| k + 3);
            continue;
        }
        if rest.starts_with("<![CDATA[") {
            let body_end = rest.find("]]>").unwrap_or(rest.len());
            out.push(Token::Text(i + 9, &rest[9.min(body_end)..body_end]));
            i += (body_end + 3).min(rest.len());
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            i += rest.find('>').map_or(rest.len(), |k| k + 1);
            continue;
        }
        let end_of_tag = find_tag_end(rest);
        // Without a closing '>' the tag runs to the end of the text, whose
        // last character may be more than one byte long.
        let mut stop = end_of_tag.saturating_sub(1).max(1);
        while !rest.is_char_boundary(stop) {
            stop -= 1;
        }
        let inner = &rest[1..stop];
        let (end, inner) = match inner.strip_prefix('/') {
            Some(x) => (true, x),
            None => (false, inner),
        };
        let name_len = inner
            .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
            .unwrap_or(inner.len());
        let name = &inner[..name_len];
        if name.is_empty() || !name.as_bytes()[0].is_ascii_alphabetic() {
            // A lone '<' in text.
            out.push(Token::Text(i, "<"));
            i += 1;
            continue;
        }
        let attrs_base = i + 1 + usize::from(end) + name_len;
        let attrs = parse_attrs(&inner[name_len..], attrs_base);
        let lname = name.to_ascii_lowercase();
        if !end && (lname == "script" || lname == "style") {
            skip_until = Some(if lname == "script" { "script" } else { "style" });
        }
        out.push(Token::Tag { name, end, attrs });
        i += end_of_tag;
    }
    out
}

fn find_tag_end(rest: &str) -> usize {
    let b = rest.as_bytes();
    let mut quote = 0u8;
    for (k, &c) in b.iter().enumerate().skip(1) {
        match (quote, c) {
            (0, b'"') | (0, b'\'') => quote = c,
            (q, c) if q != 0 && c == q => quote = 0,
            (0, b'>') => return k + 1,
            _ => {}
        }
    }
    b.len()
}

fn parse_attrs(s: &str, base: usize) -> Vec<(&str, &str, usize)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let ns = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'/' {
            i += 1;
        }
        let name = &s[ns..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let (vs, ve);
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                vs = i + 1;
                ve = memchr::memchr(q, &b[vs..]).map_or(b.len(), |k| vs + k);
                i = (ve + 1).min(b.len());
            } else {
                vs = i;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                ve = i;
            }
            if !name.is_empty() {
                out.push((name, &s[vs..ve], base + vs));
            }
        } else if ns == i {
            i += 1;
        }
    }
    out
}

impl Reader for MarkupReader {
    fn read(
        &self,
        src: &Source,
        ctx: &ReadCtx<'_>,
        sink: &mut dyn Sink,
    ) -> Result<(), ExtractError> {
        let bytes = src.bytes()?;
        let (text, offsets) = decode_all(&bytes);
        let tokens = tokenize(&text);
        ctx.check()?;
        if self.html {
            let mut out = String::with_capacity(text.len() / 2);
            let mut points: Vec<(u32, u64)> = Vec::new();
            for t in &tokens {
                match t {
                    Token::Text(at, s) => {
                        let (decoded, marks) = decode_entities_mapped(s);
                        let base = out.len();
                        points.push((base as u32, offsets.source(*at).unwrap_or(0)));
                        for r in marks {
                            let src = offsets.source(at + r.raw.end).unwrap_or(0);
                            points.push(((base + r.text.end) as u32, src));
                        }
                        out.push_str(&decoded);
                    }
                    Token::Tag { name, attrs, .. } => {
                        if BLOCK.iter().any(|b| b.eq_ignore_ascii_case(name))
                            && !out.ends_with('\n')
                        {
                            out.push('\n');
                        }
                        for (an, v, _) in attrs {
                            if matches!(
                                an.to_ascii_lowercase().as_str(),
                                "href" | "title" | "alt" | "value" | "content"
                            ) {
                                let v = decode_entities(v);
                                let v = v.strip_prefix("mailto:").unwrap_or(&v);
                                let v = v.strip_prefix("tel:").unwrap_or(v);
                                sink.segment(
                                    Segment::new(v.to_string(), Location::part(format!("@{an}")))
                                        .with_label(*an),
                                );
                            }
                        }
                    }
                }
            }
            let seg = Segment::new(out, Location::default()).with_offsets(Offsets::Table(points));
            sink.segment(seg);
            return Ok(());
        }
        let mut stack: Vec<&str> = Vec::new();
        for (k, t) in tokens.iter().enumerate() {
            if k % 4096 == 4095 {
                ctx.check()?;
            }
            match t {
                Token::Text(at, s) => {
                    if s.trim().is_empty() {
                        continue;
                    }
                    let (decoded, marks) = decode_entities_mapped(s);
                    let mut seg = Segment::new(decoded, Location::default());
                    seg.offsets = node_offsets(&offsets, *at, &marks);
                    if let Some(el) = stack.last() {
                        seg = seg.with_label(local(el));
                    }
                    sink.segment(seg);
                }
                Token::Tag { name, end, attrs } => {
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
                        let (decoded, marks) = decode_entities_mapped(v);
                        let mut seg =
                            Segment::new(decoded, Location::default()).with_label(local(an));
                        seg.offsets = node_offsets(&offsets, *at, &marks);
                        sink.segment(seg);
                    }
                    stack.push(name);
                }
            }
        }
        Ok(())
    }
}

/// The source offsets of a decoded node that starts at text offset `at`:
/// linear without references, else a checkpoint after each reference.
fn node_offsets(offsets: &Offsets, at: usize, marks: &[Reference]) -> Offsets {
    let Some(start) = offsets.source(at) else {
        return Offsets::None;
    };
    if marks.is_empty() {
        return Offsets::Linear(start);
    }
    let mut points = vec![(0, start)];
    for r in marks {
        match offsets.source(at + r.raw.end) {
            Some(src) => points.push((r.text.end as u32, src)),
            None => return Offsets::None,
        }
    }
    Offsets::Table(points)
}

pub(crate) fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testutil::run;

    fn read(html: bool, s: &str) -> Vec<Segment> {
        run(&MarkupReader { html }, s.as_bytes().to_vec())
            .unwrap()
            .segs
    }

    #[test]
    fn unclosed_tag_ending_in_a_multibyte_character() {
        // Found by the `eml` fuzz target (an HTML body part): the tag has no
        // '>' and the text ends inside "é"; slicing panicked.
        for html in [true, false] {
            for doc in ["<a \u{e9}", "x<b c='\u{20ac}", "<p>\u{1F600}<i\u{e9}"] {
                read(html, doc);
            }
        }
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("a &amp; b &#233; &#x20AC; &nbsp;&bogus; &"),
            "a & b é € \u{a0}&bogus; &"
        );
    }

    #[test]
    fn html5_named_entities_and_their_offsets() {
        assert_eq!(
            decode_entities(
                "&Uuml;nal &Ouml;zt&uuml;rk &ccaron;&scaron; &CounterClockwiseContourIntegral;"
            ),
            "\u{dc}nal \u{d6}zt\u{fc}rk \u{10d}\u{161} \u{2233}"
        );
        // HTML: a name after references maps back to its source bytes.
        let src = "<p>&Scaron;ef: &Ouml;zt&uuml;rk, Kerkstraat 4</p>";
        let segs = read(true, src);
        let body = segs.last().unwrap();
        let at = body.text.find("Kerkstraat").unwrap();
        let s = body.offsets.source(at).unwrap() as usize;
        assert_eq!(&src[s..s + 10], "Kerkstraat");
        let at = body.text.find("rk,").unwrap();
        let s = body.offsets.source(at).unwrap() as usize;
        assert_eq!(&src[s..s + 3], "rk,");
        // XML: text nodes with references keep offsets too.
        let src = "<r><naam>&Uuml;nal Kaya</naam></r>";
        let segs = read(false, src);
        assert_eq!(segs[0].text, "\u{dc}nal Kaya");
        let at = segs[0].text.find("Kaya").unwrap();
        let s = segs[0].offsets.source(at).unwrap() as usize;
        assert_eq!(&src[s..s + 4], "Kaya");
    }

    #[test]
    fn decoded_offsets_map_back_to_whole_references() {
        let raw = "a&Ouml;z &amp;&lt;b";
        let (text, refs) = decode_entities_mapped(raw);
        assert_eq!(text, "a\u{d6}z &<b");
        // every character boundary outside a reference maps to itself
        assert_eq!(raw_offset(&refs, 0, false), 0);
        assert_eq!(raw_offset(&refs, 1, false), 1);
        assert_eq!(raw_offset(&refs, 3, true), 7);
        assert_eq!(raw_offset(&refs, 4, false), 8);
        assert_eq!(raw_offset(&refs, 5, false), 9);
        assert_eq!(raw_offset(&refs, 6, false), 14);
        assert_eq!(raw_offset(&refs, text.len(), false), raw.len());
        // inside the two bytes of "\u{d6}": to the reference's edges
        assert_eq!(raw_offset(&refs, 2, false), 1);
        assert_eq!(raw_offset(&refs, 2, true), 7);
    }

    #[test]
    fn xml_nodes_with_labels_and_offsets() {
        let src = "<?xml version='1.0'?><r><bsn>123456782</bsn><p naam=\"Jan\"/></r>";
        let segs = read(false, src);
        assert_eq!(segs[0].text, "123456782");
        assert_eq!(segs[0].label.as_deref(), Some("bsn"));
        let at = segs[0].offsets.source(0).unwrap() as usize;
        assert_eq!(&src[at..at + 9], "123456782");
        assert_eq!(segs[1].text, "Jan");
        assert_eq!(segs[1].label.as_deref(), Some("naam"));
    }

    #[test]
    fn html_text_skips_script_and_keeps_mailto() {
        let segs = read(
            true,
            "<html><script>var x='06-12345678';</script><p>Beste <b>Jan</b>,<br>groet</p><a href=\"mailto:a@b.nl\">mail</a> x < y</html>",
        );
        let body = &segs.last().unwrap().text;
        assert!(body.contains("Beste Jan,\ngroet"), "{body:?}");
        assert!(!body.contains("06-12345678"));
        assert!(body.contains("x < y"));
        assert!(segs.iter().any(|s| s.text == "a@b.nl"));
    }

    #[test]
    fn broken_markup_never_fails() {
        for s in [
            "<",
            "<a",
            "<a href='x",
            "</",
            "<!--",
            "<![CDATA[x",
            "<p>&#xFFFFFFFF;</p>",
        ] {
            read(true, s);
            read(false, s);
        }
    }
}
