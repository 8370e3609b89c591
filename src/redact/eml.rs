//! E-mail (RFC 5322 / MIME): redacted by splicing the raw message.
//!
//! Headers: address headers are rebuilt from their parsed addresses (display
//! names RFC 2047-encoded when needed, a removed address becomes
//! `…@redacted.invalid`), text headers (Subject, X-…) are re-encoded, the
//! parameters of Content-Type / Content-Disposition (attachment names) are
//! rebuilt, and any other header is redacted in its raw form. Every text and
//! HTML part is redacted as decoded text and written back in its own charset
//! and Content-Transfer-Encoding. Attachments and attached messages are
//! redacted by the redactor of their format. One that cannot be redacted
//! safely (a photo, a scan, an unknown binary) is taken out: a short text
//! part saying so takes its place, the attachment keeps its own
//! `needs_review` record and an audit row, and the message is released. A
//! failure (an error, not a review) still withholds the whole message, as does
//! a message whose only part is such an attachment.

use super::audit::AuditRow;
use super::text::{check_markup_covered, markup_edits, text_edits};
use super::{apply, Cx, Edit, RedactError, Redactor, BOX};
use crate::document::{Location, Offsets, Segment};
use crate::extract::eml::{default_ext, sanitize_name, Flat};
use crate::extract::ExtractError;
use mail_parser::{
    Encoding as Cte, Header, HeaderName, HeaderValue, MessageParser, MimeHeaders, PartType,
};

/// The redactor of e-mail messages: headers, text parts and attachments.
pub struct EmlRedactor;

/// Headers whose parsed Text value is free text (others are ids, dates...).
/// The audit reason for an attachment taken out of a message.
const WITHHELD_REASON: &str =
    "attachment withheld: it cannot be redacted safely (see its needs_review record)";
/// The file name of the note that takes a withheld attachment's place.
const WITHHELD_NAME: &str = "bijlage-achtergehouden.txt";

/// A MIME part (headers and body) that takes the place of a withheld
/// attachment: a short note, in Dutch, for the reader of the released copy.
/// `name` is the attachment's (already redacted) file name.
fn withheld_part(name: &str, nl: &str) -> Vec<u8> {
    let note = format!(
        "De bijlage {name} is niet vrijgegeven: zwartlak kon niet vaststellen dat er geen persoonsgegevens van anderen in staan (bijvoorbeeld een foto of scan). Het origineel wordt apart beoordeeld.{nl}"
    );
    let mut out = String::new();
    for h in [
        "Content-Type: text/plain; charset=utf-8".to_string(),
        format!("Content-Disposition: attachment; filename=\"{WITHHELD_NAME}\""),
        "Content-Transfer-Encoding: base64".to_string(),
    ] {
        out.push_str(&h);
        out.push_str(nl);
    }
    out.push_str(nl);
    out.push_str(&base64(note.as_bytes(), Some((76, nl))));
    out.push_str(nl);
    out.into_bytes()
}

fn is_text_header(name: &HeaderName<'_>) -> bool {
    matches!(
        name,
        HeaderName::Subject | HeaderName::Comments | HeaderName::Keywords | HeaderName::Other(_)
    )
}

/// The canonical spelling the reader uses in locations ("header:From").
fn header_label(h: &Header<'_>) -> String {
    h.name.as_str().to_string()
}

/// RFC 2047 encoded words for a header value that is not plain ASCII.
fn encode_words(s: &str) -> String {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return s.to_string();
    }
    // Chunks of whole characters, at most 45 bytes each (60 base64 chars).
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in s.chars() {
        if chunk.len() + c.len_utf8() > 45 {
            words.push(format!("=?utf-8?b?{}?=", base64(chunk.as_bytes(), None)));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(format!("=?utf-8?b?{}?=", base64(chunk.as_bytes(), None)));
    }
    words.join(" ")
}

/// A display name as it may stand before `<address>`.
fn display_name(s: &str) -> String {
    if !s.is_ascii() {
        return encode_words(s);
    }
    if s.chars()
        .any(|c| "()<>[]:;@\\,.\"".contains(c) || c.is_control())
    {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        s.to_string()
    }
}

/// The local part for a removed address: the replacement as a slug.
fn placeholder_address(replacement: &str) -> String {
    let mut slug = String::new();
    for c in replacement.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    format!(
        "{}@redacted.invalid",
        if slug.is_empty() { "redacted" } else { slug }
    )
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Base64, in lines of `wrap` (76 for bodies) separated by `nl`, or one line.
pub fn base64(data: &[u8], wrap: Option<(usize, &str)>) -> String {
    let mut out = String::with_capacity(data.len() * 4 / 3 + 4);
    let mut col = 0;
    for chunk in data.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for k in 0..4 {
            if let Some((width, nl)) = wrap {
                if col == width {
                    out.push_str(nl);
                    col = 0;
                }
            }
            if k <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
            col += 1;
        }
    }
    out
}

/// Quoted-printable (RFC 2045): lines kept, at most 76 characters per line.
pub fn quoted_printable(data: &[u8], nl: &str) -> String {
    let mut out = String::with_capacity(data.len() + data.len() / 8);
    let text_lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    for (li, raw) in text_lines.iter().enumerate() {
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        let mut col = 0;
        for (i, &b) in line.iter().enumerate() {
            let last = i + 1 == line.len();
            let literal =
                (b == b' ' || b == b'\t') && !last || (33..=126).contains(&b) && b != b'=';
            let piece = if literal {
                (b as char).to_string()
            } else {
                format!("={b:02X}")
            };
            if col + piece.len() > 75 {
                out.push('=');
                out.push_str(nl);
                col = 0;
            }
            out.push_str(&piece);
            col += piece.len();
        }
        if li + 1 < text_lines.len() {
            out.push_str(nl);
        }
    }
    out
}

/// The body bytes of a part with new content: charset, then transfer encoding.
fn encode_body(text_or_bytes: &[u8], cte: Cte, old_raw: &[u8], nl: &str) -> Vec<u8> {
    // Keep the line break (or none) that ended the old encoded body.
    let trail: &[u8] = if old_raw.ends_with(b"\r\n") {
        b"\r\n"
    } else if old_raw.ends_with(b"\n") {
        b"\n"
    } else {
        b""
    };
    let mut out = match cte {
        Cte::Base64 => base64(text_or_bytes, Some((76, nl))).into_bytes(),
        Cte::QuotedPrintable => {
            let body = text_or_bytes.strip_suffix(trail).unwrap_or(text_or_bytes);
            quoted_printable(body, nl).into_bytes()
        }
        Cte::None => {
            let body = text_or_bytes.strip_suffix(trail).unwrap_or(text_or_bytes);
            body.to_vec()
        }
    };
    out.extend_from_slice(trail);
    out
}

/// Text in the part's charset (`█` becomes `#` where the charset lacks it).
fn encode_charset(text: &str, charset: Option<&str>) -> Result<Vec<u8>, RedactError> {
    let enc = match charset {
        None => encoding_rs::UTF_8,
        Some(label) => {
            encoding_rs::Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
                RedactError::Review(format!("unknown charset {label:?} in a redacted part"))
            })?
        }
    };
    if enc == encoding_rs::UTF_8 || enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        return Ok(text.as_bytes().to_vec());
    }
    let text = text.replace(BOX, "#");
    let (bytes, _, _) = enc.encode(&text);
    Ok(bytes.into_owned())
}

struct Splice {
    start: usize,
    end: usize,
    bytes: Vec<u8>,
}

/// The new value (after the colon, up to and including the line end) of a
/// header, or `None` when nothing in it is redacted.
fn redact_header(
    h: &Header<'_>,
    input: &[u8],
    nl: &str,
    cx: &mut Cx<'_>,
    new_names: &mut Vec<(String, String)>,
) -> Result<Option<Vec<u8>>, RedactError> {
    let label = header_label(h);
    let loc = || Location::part(format!("header:{label}"));
    let value = match &h.value {
        HeaderValue::Address(addr) => {
            let mut changed = false;
            let mut out = Vec::new();
            for a in addr.iter() {
                let name = a.name.as_deref().unwrap_or("");
                let email = a.address.as_deref().unwrap_or("");
                let text = match (name.is_empty(), email.is_empty()) {
                    (false, false) => format!("{name} <{email}>"),
                    (false, true) => name.to_string(),
                    _ => email.to_string(),
                };
                let edits = cx.plan(&Segment::new(text.as_str(), loc()).with_label(label.as_str()));
                let email_at = if name.is_empty() { 0 } else { name.len() + 2 };
                let (mut name_edits, mut email_edits) = (Vec::new(), Vec::new());
                for e in edits {
                    changed = true;
                    if !name.is_empty() && e.end <= name.len() {
                        name_edits.push(e);
                    } else if !email.is_empty() && e.start >= email_at {
                        email_edits.push(Edit {
                            start: e.start - email_at,
                            end: (e.end - email_at).min(email.len()),
                            text: e.text,
                        });
                    } else {
                        // Spans name and address: drop both.
                        name_edits = vec![Edit {
                            start: 0,
                            end: name.len(),
                            text: e.text.clone(),
                        }];
                        email_edits = vec![Edit {
                            start: 0,
                            end: email.len(),
                            text: e.text,
                        }];
                    }
                }
                let new_name = apply(name, &name_edits);
                let new_email = if email_edits.is_empty() {
                    email.to_string()
                } else if email_edits.len() == 1
                    && email_edits[0].start == 0
                    && email_edits[0].end == email.len()
                {
                    placeholder_address(&email_edits[0].text)
                } else {
                    placeholder_address(&apply(email, &email_edits))
                };
                out.push(match (new_name.is_empty(), new_email.is_empty()) {
                    (false, false) => format!("{} <{new_email}>", display_name(&new_name)),
                    (false, true) => display_name(&new_name),
                    _ => new_email,
                });
            }
            if !changed {
                return Ok(None);
            }
            out.join(&format!(",{nl} "))
        }
        HeaderValue::Text(t) if is_text_header(&h.name) => {
            let edits = cx.plan(&Segment::new(t.as_ref(), loc()).with_label(label.as_str()));
            if edits.is_empty() {
                return Ok(None);
            }
            encode_words(&apply(t, &edits))
        }
        HeaderValue::TextList(list) if is_text_header(&h.name) => {
            let mut changed = false;
            let mut items = Vec::new();
            for t in list {
                let edits = cx.plan(&Segment::new(t.as_ref(), loc()).with_label(label.as_str()));
                changed |= !edits.is_empty();
                items.push(encode_words(&apply(t, &edits)));
            }
            if !changed {
                return Ok(None);
            }
            items.join(", ")
        }
        HeaderValue::ContentType(ct) => {
            let mut changed = false;
            let mut params = Vec::new();
            for a in ct.attributes().unwrap_or(&[]) {
                let mut v = a.value.to_string();
                if matches!(a.name.to_ascii_lowercase().as_str(), "name" | "filename") {
                    let edits =
                        cx.plan(&Segment::new(v.as_str(), loc()).with_label(a.name.as_ref()));
                    if !edits.is_empty() {
                        changed = true;
                        let new = apply(&v, &edits).replace(['/', '\\'], "_");
                        new_names.push((sanitize_name(&v), sanitize_name(&new)));
                        v = new;
                    }
                }
                params.push((a.name.to_string(), v));
            }
            if !changed {
                return raw_header(h, input, cx, &label);
            }
            let mut s = ct.ctype().to_string();
            if let Some(sub) = ct.subtype() {
                s.push('/');
                s.push_str(sub);
            }
            for (k, v) in params {
                let v = if v.is_ascii() { v } else { encode_words(&v) };
                s.push_str(&format!(";{nl} {k}=\"{}\"", v.replace('"', "'")));
            }
            s
        }
        // Identifiers made by mail software, often from the sender's
        // address (`<123.jan@example.nl>`): an id holding personal data is
        // replaced whole, so the header keeps its `<id>` syntax.
        _ if matches!(
            h.name,
            HeaderName::MessageId
                | HeaderName::InReplyTo
                | HeaderName::References
                | HeaderName::ContentId
                | HeaderName::ResentMessageId
        ) =>
        {
            return id_header(h, input, nl, cx, &label)
        }
        _ => return raw_header(h, input, cx, &label),
    };
    Ok(Some(format!(" {value}{nl}").into_bytes()))
}

/// The raw bytes of header `h` in `input` and the edits the plan makes in
/// them (read as one segment at its place in the file); `None` when the
/// header is out of range or holds nothing to redact.
fn plan_raw<'i>(
    h: &Header<'_>,
    input: &'i [u8],
    cx: &mut Cx<'_>,
    label: &str,
) -> Option<(&'i [u8], Vec<Edit>)> {
    let (s, e) = (h.offset_start as usize, h.offset_end as usize);
    let raw = input.get(s..e.max(s))?;
    let text = String::from_utf8_lossy(raw);
    let seg = Segment::new(text.as_ref(), Location::part(format!("header:{label}")))
        .with_label(label)
        .with_offsets(Offsets::Linear(s as u64));
    let edits = cx.plan(&seg);
    (!edits.is_empty()).then_some((raw, edits))
}

/// Redact a header of message ids (`<a@b> <c@d>`): every id that holds a
/// finding becomes `<redacted-N@redacted.invalid>`.
fn id_header(
    h: &Header<'_>,
    input: &[u8],
    nl: &str,
    cx: &mut Cx<'_>,
    label: &str,
) -> Result<Option<Vec<u8>>, RedactError> {
    let Some((raw, edits)) = plan_raw(h, input, cx, label) else {
        return Ok(None);
    };
    let text = String::from_utf8_lossy(raw);
    // The `<…>` spans of the value.
    let mut spans = Vec::new();
    let mut at = 0;
    while let Some(open) = text[at..].find('<') {
        let Some(close) = text[at + open..].find('>') else {
            break;
        };
        spans.push((at + open, at + open + close + 1));
        at += open + close + 1;
    }
    let inside = |e: &Edit| spans.iter().any(|&(a, b)| a <= e.start && e.end <= b);
    if spans.is_empty() || !edits.iter().all(inside) {
        // A finding outside any `<id>`: one placeholder id for the value.
        return Ok(Some(
            format!(" <redacted-1@redacted.invalid>{nl}").into_bytes(),
        ));
    }
    let mut n = 0;
    let ids: Vec<String> = spans
        .iter()
        .map(|&(a, b)| {
            if edits.iter().any(|e| a <= e.start && e.end <= b) {
                n += 1;
                format!("<redacted-{n}@redacted.invalid>")
            } else {
                text[a..b].to_string()
            }
        })
        .collect();
    Ok(Some(
        format!(" {}{nl}", ids.join(&format!("{nl} "))).into_bytes(),
    ))
}

/// Redact a header in its raw form (ids, Received lines, unknown structure).
fn raw_header(
    h: &Header<'_>,
    input: &[u8],
    cx: &mut Cx<'_>,
    label: &str,
) -> Result<Option<Vec<u8>>, RedactError> {
    let Some((raw, edits)) = plan_raw(h, input, cx, label) else {
        return Ok(None);
    };
    let text = String::from_utf8_lossy(raw);
    if std::str::from_utf8(raw).is_err() {
        return Err(RedactError::Review(format!(
            "header {label} is not valid UTF-8 and holds personal data"
        )));
    }
    Ok(Some(apply(&text, &edits).into_bytes()))
}

impl Redactor for EmlRedactor {
    fn redact(&self, input: &[u8], cx: &mut Cx<'_>) -> Result<Vec<u8>, RedactError> {
        if cx.depth >= cx.limits().max_depth {
            return Err(ExtractError::Limit(format!(
                "message nested deeper than {} levels",
                cx.limits().max_depth
            ))
            .into());
        }
        let msg = MessageParser::default()
            .parse(input)
            .ok_or_else(|| ExtractError::parse("eml", "not a mail message (no headers)"))?;
        // Dropped level by level: a deep chain of forwarded messages would
        // overflow the stack in the default drop.
        let msg = Flat(msg);
        let msg = &msg.0;
        let nl = if memchr::memmem::find(input, b"\r\n").is_some() {
            "\r\n"
        } else {
            "\n"
        };
        let mut splices: Vec<Splice> = Vec::new();
        for (i, part) in msg.parts.iter().enumerate() {
            let mut new_names = Vec::new();
            for h in part.headers() {
                if let Some(bytes) = redact_header(h, input, nl, cx, &mut new_names)? {
                    splices.push(Splice {
                        start: h.offset_start as usize,
                        end: h.offset_end as usize,
                        bytes,
                    });
                }
            }
            let (bs, be) = (part.offset_body as usize, part.offset_end as usize);
            let Some(old_raw) = input.get(bs..be.max(bs)) else {
                continue;
            };
            let is_attachment = msg.attachments.contains(&(i as u32));
            let charset = part.content_type().and_then(|ct| ct.attribute("charset"));
            let loc = Location::part(format!("body[{i}]"));
            let new_body: Option<Vec<u8>> = match &part.body {
                PartType::Multipart(_) => None,
                PartType::Text(t) | PartType::Html(t) if !is_attachment => {
                    let html = matches!(part.body, PartType::Html(_));
                    let edits = if html {
                        let e = markup_edits(t, true, cx);
                        check_markup_covered(t, &e, cx)?;
                        e
                    } else {
                        text_edits(t, &Offsets::None, loc, cx)
                    };
                    if edits.is_empty() {
                        None
                    } else {
                        Some(encode_charset(&apply(t, &edits), charset)?)
                    }
                }
                body => {
                    let name = part
                        .attachment_name()
                        .map(sanitize_name)
                        .map(|n| {
                            new_names
                                .iter()
                                .find(|(old, _)| *old == n)
                                .map_or(n.clone(), |(_, new)| new.clone())
                        })
                        .unwrap_or_else(|| format!("attachment-{i}{}", default_ext(body)));
                    let data = part.contents();
                    if data.len() as u64 > cx.limits().max_member_size {
                        return Err(RedactError::Review(format!(
                            "attachment {name} is larger than the member limit"
                        )));
                    }
                    let out = match cx.embedded(&name, data) {
                        Ok(out) => out,
                        // An attachment that cannot be redacted safely (a photo,
                        // a scan, an unknown binary) is taken out of the message
                        // and keeps its own needs_review record; the message
                        // itself is released.
                        Err(RedactError::Review(_)) if i > 0 => {
                            let hs = part.offset_header as usize;
                            splices.retain(|s| s.start < hs);
                            splices.push(Splice {
                                start: hs,
                                end: be,
                                bytes: withheld_part(&name, nl),
                            });
                            cx.audit.push(AuditRow::note(
                                &cx.audit_path,
                                Location::part(format!("body[{i}]")),
                                WITHHELD_REASON,
                                WITHHELD_NAME,
                            ));
                            continue;
                        }
                        Err(e) => return Err(e),
                    };
                    if out == data {
                        None
                    } else if matches!(body, PartType::Text(_) | PartType::Html(_)) {
                        // Decoded to UTF-8 by the parser: back to the part's charset.
                        let s = String::from_utf8(out).map_err(|_| {
                            RedactError::Failed(format!(
                                "attachment {name}: not text after redaction"
                            ))
                        })?;
                        Some(encode_charset(&s, charset)?)
                    } else {
                        Some(out)
                    }
                }
            };
            if let Some(body) = new_body {
                splices.push(Splice {
                    start: bs,
                    end: be,
                    bytes: encode_body(&body, part.encoding, old_raw, nl),
                });
            }
        }
        splices.sort_by_key(|s| (s.start, s.end));
        let mut out = Vec::with_capacity(input.len());
        let mut at = 0;
        for s in splices {
            if s.start < at || s.end > input.len() || s.end < s.start {
                return Err(RedactError::Failed(
                    "overlapping parts in the message".into(),
                ));
            }
            out.extend_from_slice(&input[at..s.start]);
            out.extend_from_slice(&s.bytes);
            at = s.end;
        }
        out.extend_from_slice(&input[at..]);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::redaction;
    use super::super::Style;
    use super::*;

    #[test]
    fn encoders() {
        assert_eq!(base64(b"Man", None), "TWFu");
        assert_eq!(base64(b"Ma", None), "TWE=");
        assert_eq!(base64(b"M", None), "TQ==");
        assert_eq!(
            base64(&[0u8; 60], Some((76, "\n")))
                .lines()
                .next()
                .unwrap()
                .len(),
            76
        );
        assert_eq!(
            quoted_printable("a=b é \nx".as_bytes(), "\r\n"),
            "a=3Db =C3=A9=20\r\nx"
        );
        let long = "x".repeat(100);
        let qp = quoted_printable(long.as_bytes(), "\n");
        assert!(qp.lines().all(|l| l.len() <= 76));
        assert_eq!(qp.replace("=\n", ""), long);
        assert_eq!(encode_words("Ján"), "=?utf-8?b?SsOhbg==?=");
        assert_eq!(display_name("[naam]"), "\"[naam]\"");
        assert_eq!(
            placeholder_address("[e-mail persoon 2]"),
            "e-mail-persoon-2@redacted.invalid"
        );
    }

    const MAIL: &str = "From: =?utf-8?q?Piet_de_Vries?= <piet@voorbeeld.nl>\r\nTo: Huurder <huurder@voorbeeld.nl>\r\nSubject: =?utf-8?b?QlNOIDEyMzQ1Njc4Mg==?=\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nBel me op 06-12345678 =E2=82=AC 5\r\n--b\r\nContent-Type: text/csv; name=\"lijst.csv\"\r\nContent-Disposition: attachment; filename=\"lijst.csv\"\r\nContent-Transfer-Encoding: base64\r\n\r\nYmFuaztpYmFuCkE7Tkw5MUFCTkEwNDE3MTY0MzAwCg==\r\n--b--\r\n";

    #[test]
    fn headers_bodies_and_attachments() {
        let red = redaction(Style::Label, Some("email = \"huurder@voorbeeld.nl\""));
        let mut cx = Cx::new(&red, "m.eml", 0);
        let out = EmlRedactor.redact(MAIL.as_bytes(), &mut cx).unwrap();
        let msg = MessageParser::default().parse(&out[..]).unwrap();
        let from = msg.from().unwrap().first().unwrap();
        assert_eq!(from.address.as_deref(), Some("e-mail@redacted.invalid"));
        assert_eq!(
            msg.to().unwrap().first().unwrap().address.as_deref(),
            Some("huurder@voorbeeld.nl")
        );
        assert_eq!(msg.subject(), Some("BSN [BSN]"));
        assert_eq!(
            msg.body_text(0).unwrap().trim_end(),
            "Bel me op [telefoon] € 5"
        );
        let att = msg.attachment(0).unwrap();
        assert_eq!(att.contents(), b"bank;iban\nA;[IBAN]\n");
        assert!(cx.children.iter().any(|c| c.file.path == "m.eml!lijst.csv"));
        // the raw text no longer holds the values in any encoding
        let raw = String::from_utf8_lossy(&out);
        assert!(!raw.contains("piet@") && !raw.contains("12345678"), "{raw}");
        assert!(raw.contains("--b--"));
        // the output passes the fail-closed re-scan (placeholders are not addresses)
        red.verify(&out, "m.eml").unwrap();
    }

    #[test]
    fn an_attachment_that_cannot_be_redacted_is_taken_out_and_the_mail_released() {
        // A JPEG (the first bytes of one; its pixels could hold anyone's data).
        let jpg = base64(
            b"\xff\xd8\xff\xe0\0\x10JFIF\0 pretend pixels 06-12345678",
            None,
        );
        let mail = format!(
            "From: Huurder <huurder@voorbeeld.nl>\r\nSubject: foto\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nZie de foto. Bel 06-12345678.\r\n--b\r\nContent-Type: image/jpeg; name=\"lek.jpg\"\r\nContent-Disposition: attachment; filename=\"lek.jpg\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{jpg}\r\n--b--\r\n"
        );
        let red = redaction(Style::Label, Some("email = \"huurder@voorbeeld.nl\""));
        let (cx, out) = red.redact_file(mail.as_bytes(), "m.eml");
        let out = out.expect("the message itself is released");
        let msg = MessageParser::default().parse(&out[..]).unwrap();
        assert_eq!(
            msg.body_text(0).unwrap().trim_end(),
            "Zie de foto. Bel [telefoon]."
        );
        // The image is gone; a note stands in its place.
        let att = msg.attachment(0).unwrap();
        assert_eq!(att.attachment_name(), Some(WITHHELD_NAME));
        let note = String::from_utf8_lossy(att.contents());
        assert!(
            note.contains("lek.jpg") && note.contains("niet vrijgegeven"),
            "{note}"
        );
        assert!(memchr::memmem::find(&out, b"JFIF").is_none());
        assert!(!String::from_utf8_lossy(&out).contains(&jpg[..20]));
        // The image keeps its own needs_review record, and the audit says so.
        let child = cx
            .children
            .iter()
            .find(|c| c.file.path == "m.eml!lek.jpg")
            .unwrap();
        assert_eq!(child.file.status, crate::record::Status::NeedsReview);
        assert!(child.file.reason.as_deref().unwrap().contains("image"));
        assert!(cx.audit.iter().any(|a| a.reason == WITHHELD_REASON));
    }

    #[test]
    fn a_message_that_is_only_an_image_is_still_withheld() {
        let jpg = base64(b"\xff\xd8\xff\xe0\0\x10JFIF\0 pixels", None);
        let mail = format!(
            "From: Huurder <huurder@voorbeeld.nl>\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; filename=\"a.jpg\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{jpg}\r\n"
        );
        let red = redaction(Style::Label, None);
        let (_, out) = red.redact_file(mail.as_bytes(), "m.eml");
        assert!(out.is_err());
    }
}
