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
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..]
            .find(|c: char| c == ';' || c == '&' || c.is_whitespace())
            .map(|e| e + 1);
        match end.filter(|&e| rest.as_bytes()[e] == b';' && e <= 12) {
            Some(e) => {
                let name = &rest[1..e];
                match entity(name) {
                    Some(c) => {
                        out.push(c);
                        rest = &rest[e + 1..];
                    }
                    None => {
                        out.push('&');
                        rest = &rest[1..];
                    }
                }
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "euro" => '€',
        "eacute" => 'é',
        "egrave" => 'è',
        "euml" => 'ë',
        "ecirc" => 'ê',
        "iuml" => 'ï',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "auml" => 'ä',
        "aacute" => 'á',
        "agrave" => 'à',
        "oacute" => 'ó',
        "ccedil" => 'ç',
        "szlig" => 'ß',
        "copy" => '©',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        _ => return None,
    })
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
                        points.push((out.len() as u32, offsets.source(*at).unwrap_or(0)));
                        out.push_str(&decode_entities(s));
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
                    let mut seg = Segment::new(decode_entities(s), Location::default());
                    if !s.contains('&') {
                        seg.offsets = offsets.source(*at).map_or(Offsets::None, Offsets::Linear);
                    }
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
                        let mut seg = Segment::new(decode_entities(v), Location::default())
                            .with_label(local(an));
                        if !v.contains('&') {
                            seg.offsets =
                                offsets.source(*at).map_or(Offsets::None, Offsets::Linear);
                        }
                        sink.segment(seg);
                    }
                    stack.push(name);
                }
            }
        }
        Ok(())
    }
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
