//! E-mail (RFC 5322 / MIME) with `mail-parser`: the address and subject
//! headers (decoded, display names included), every text and HTML body part,
//! and attachments handed back to the pipeline as embedded files, so an
//! attached PDF or zip is scanned like any other file.

use super::markup::MarkupReader;
use super::{ExtractError, ReadCtx, Reader, Sink, Source};
use crate::document::{Location, Segment};
use mail_parser::{HeaderValue, MessageParser, MimeHeaders, PartType};

/// The reader of e-mail messages: headers, text parts and attachments.
pub struct EmlReader;

/// Headers whose value is personal data or can hold it.
const ADDRESS_HEADERS: &[&str] = &[
    "From",
    "To",
    "Cc",
    "Bcc",
    "Reply-To",
    "Sender",
    "Resent-From",
    "Resent-To",
    "Resent-Cc",
    "Return-Path",
];
const TEXT_HEADERS: &[&str] = &[
    "Subject",
    "Comments",
    "Organization",
    "Thread-Topic",
    "X-Sender",
];
/// Headers read in their raw form besides the id headers ([`ID_HEADERS`]):
/// trace lines, notification addresses. `X-` headers are read too.
const RAW_HEADERS: &[&str] = &[
    "Received",
    "Disposition-Notification-To",
    "Return-Receipt-To",
    "Errors-To",
    "Delivered-To",
    "Envelope-To",
    "X-Original-To",
];

/// Headers holding message ids (`<left@right>`): identifiers, read only when
/// they carry one of the message's mailboxes.
const ID_HEADERS: &[&str] = &[
    "Message-ID",
    "In-Reply-To",
    "References",
    "Resent-Message-ID",
    "Content-ID",
];

/// True when the first line is a header field (`Name: value`). With a
/// `.eml` name that is enough, even when a body part is binary.
pub fn starts_with_header(head: &[u8]) -> bool {
    let line = head.split(|&b| b == b'\n').next().unwrap_or(b"");
    match memchr::memchr(b':', line) {
        Some(colon) if colon > 0 => line[..colon]
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'-'),
        _ => false,
    }
}

/// True when the bytes start like a mail message: header lines, one of them
/// an address header.
pub fn looks_like_mail(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&head[..head.len().min(4096)]);
    let mut header_lines = 0;
    let mut address = false;
    for line in text.lines().take(40) {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            continue;
        }
        match line.split_once(':') {
            Some((name, _))
                if !name.is_empty()
                    && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') =>
            {
                header_lines += 1;
                if ["from", "to", "received", "message-id", "return-path"]
                    .contains(&name.to_ascii_lowercase().as_str())
                {
                    address = true;
                }
            }
            _ => return false,
        }
    }
    header_lines >= 2 && address
}

/// The header segments of a message whose raw bytes are `raw`.
fn header_segments(msg: &mail_parser::Message<'_>, raw: &[u8], sink: &mut dyn Sink) {
    // The mailboxes of the message's address headers: a message id is read
    // only when it carries one of them (`<1234.jan@example.nl>` made from the
    // sender's address); other ids (`<D12.x7@mail.host>`) are identifiers,
    // not mailboxes, and would only be false e-mail findings.
    let mut mailboxes: Vec<String> = Vec::new();
    for h in msg.headers() {
        if let HeaderValue::Address(addr) = h.value() {
            mailboxes.extend(
                addr.iter()
                    .filter_map(|a| a.address())
                    .map(str::to_lowercase),
            );
        }
    }
    for h in msg.headers() {
        let name = h.name();
        let canon = ADDRESS_HEADERS
            .iter()
            .chain(TEXT_HEADERS)
            .chain(ID_HEADERS)
            .chain(RAW_HEADERS)
            .find(|n| n.eq_ignore_ascii_case(name))
            .copied();
        // (bytes: a damaged header name need not be ASCII)
        let is_x = name.len() > 2 && name.as_bytes()[..2].eq_ignore_ascii_case(b"x-");
        let Some(canon) = canon.or(is_x.then_some(name)) else {
            continue;
        };
        let loc = || Location::part(format!("header:{canon}"));
        let parsed = ADDRESS_HEADERS.contains(&canon) || TEXT_HEADERS.contains(&canon) || is_x;
        if !parsed
            || !matches!(
                h.value(),
                HeaderValue::Address(_) | HeaderValue::Text(_) | HeaderValue::TextList(_)
            )
        {
            // Ids and trace lines as they stand (the parsed form drops the
            // angle brackets, or keeps only part of a Received line).
            let (s, e) = (h.offset_start as usize, h.offset_end as usize);
            if let Some(value) = raw.get(s..e.max(s)) {
                let text = String::from_utf8_lossy(value).trim().to_string();
                let is_id = ID_HEADERS.iter().any(|n| n.eq_ignore_ascii_case(canon));
                let carries_mailbox = || {
                    let lower = text.to_lowercase();
                    mailboxes
                        .iter()
                        .any(|m| !m.is_empty() && lower.contains(m.as_str()))
                };
                if !text.is_empty() && (!is_id || carries_mailbox()) {
                    sink.segment(Segment::new(text, loc()).with_label(canon));
                }
            }
            continue;
        }
        match h.value() {
            HeaderValue::Address(addr) => {
                for a in addr.iter() {
                    let text = match (a.name(), a.address()) {
                        (Some(n), Some(e)) => format!("{n} <{e}>"),
                        (Some(n), None) => n.to_string(),
                        (None, Some(e)) => e.to_string(),
                        (None, None) => continue,
                    };
                    sink.segment(Segment::new(text, loc()).with_label(canon));
                }
            }
            HeaderValue::Text(t) => {
                sink.segment(Segment::new(t.to_string(), loc()).with_label(canon))
            }
            HeaderValue::TextList(list) => {
                for t in list {
                    sink.segment(Segment::new(t.to_string(), loc()).with_label(canon));
                }
            }
            _ => {}
        }
    }
}

impl Reader for EmlReader {
    fn read(
        &self,
        src: &Source,
        ctx: &ReadCtx<'_>,
        sink: &mut dyn Sink,
    ) -> Result<(), ExtractError> {
        // A forwarded message inside a forwarded message...: past the
        // nesting limit (as for archives, and as `redact` does) the message is
        // not parsed at all, so a deep chain costs at most `max_depth` parses
        // and copies of the input, not one per level.
        if ctx.depth >= ctx.limits.max_depth {
            sink.needs_review(nested_too_deep(ctx.limits.max_depth));
            return Ok(());
        }
        let bytes = src.bytes()?;
        // mail-parser 0.11 has a `debug_assert!` that fires on some nested
        // message/rfc822 parts (found by the `eml` fuzz target): in builds
        // with debug assertions that is a panic; here it is a damaged message.
        let parsed = crate::panics::catch(|| MessageParser::default().parse(&bytes[..]))
            .map_err(|_| ExtractError::parse("eml", crate::panics::damaged("e-mail")))?;
        let msg =
            parsed.ok_or_else(|| ExtractError::parse("eml", "not a mail message (no headers)"))?;
        let flat = Flat(msg);
        let msg = &flat.0;
        // Attachments are scanned after this message's parse tree is gone,
        // so nested levels do not each keep theirs alive.
        let mut pending: Vec<(String, Vec<u8>)> = Vec::new();
        header_segments(msg, &bytes, sink);
        let attachments: Vec<u32> = msg.attachments.clone();
        for (i, part) in msg.parts.iter().enumerate() {
            ctx.check()?;
            let id = i as u32;
            let part_name = || Location::part(format!("body[{i}]"));
            if attachments.contains(&id) {
                let name = part
                    .attachment_name()
                    .map(sanitize_name)
                    .unwrap_or_else(|| format!("attachment-{i}{}", default_ext(&part.body)));
                match &part.body {
                    PartType::Message(inner) => pending.push((name, inner.raw_message().to_vec())),
                    PartType::Text(t) | PartType::Html(t) => {
                        pending.push((name, t.as_bytes().to_vec()))
                    }
                    PartType::Binary(b) | PartType::InlineBinary(b) => {
                        if b.len() as u64 > ctx.limits.max_member_size {
                            sink.needs_review(format!(
                                "attachment {name} is larger than the member limit"
                            ));
                        } else {
                            pending.push((name, b.to_vec()))
                        }
                    }
                    PartType::Multipart(_) => {}
                }
                continue;
            }
            match &part.body {
                PartType::Text(t) => sink.segment(Segment::new(t.to_string(), part_name())),
                PartType::Html(h) => {
                    let mut inner = Relabel {
                        sink,
                        part: format!("body[{i}]"),
                    };
                    MarkupReader { html: true }.read(
                        &Source::Memory(h.as_bytes().to_vec()),
                        ctx,
                        &mut inner,
                    )?;
                }
                PartType::Message(inner) => {
                    pending.push((format!("message-{i}.eml"), inner.raw_message().to_vec()))
                }
                _ => {}
            }
        }
        drop(flat);
        for (name, data) in pending {
            ctx.check()?;
            sink.embedded(&name, data);
        }
        Ok(())
    }
}

/// The review reason of a message past the nesting limit.
pub(crate) fn nested_too_deep(max_depth: u32) -> String {
    format!("message nested deeper than {max_depth} levels: not read")
}

/// A parsed message that is dropped level by level instead of recursively:
/// mail-parser parses every nested `message/rfc822` level in one go, and
/// the default drop of 10,000 levels would overflow the stack.
pub(crate) struct Flat<'x>(pub mail_parser::Message<'x>);

impl Drop for Flat<'_> {
    fn drop(&mut self) {
        let mut stack = vec![std::mem::take(&mut self.0.parts)];
        while let Some(mut parts) = stack.pop() {
            for p in parts.iter_mut() {
                if let PartType::Message(inner) = &mut p.body {
                    stack.push(std::mem::take(&mut inner.parts));
                }
            }
        }
    }
}

/// Passes segments on with the body part as their location.
pub(crate) struct Relabel<'a> {
    pub(crate) sink: &'a mut dyn Sink,
    pub(crate) part: String,
}

impl Sink for Relabel<'_> {
    fn segment(&mut self, mut seg: Segment) {
        seg.loc.part = Some(self.part.clone());
        seg.offsets = crate::document::Offsets::None;
        self.sink.segment(seg)
    }
    fn embedded(&mut self, name: &str, data: Vec<u8>) {
        self.sink.embedded(name, data)
    }
    fn needs_review(&mut self, reason: String) {
        self.sink.needs_review(reason)
    }
}

/// The extension an unnamed attachment gets from its content.
pub(crate) fn default_ext(body: &PartType<'_>) -> &'static str {
    match body {
        PartType::Message(_) => ".eml",
        PartType::Html(_) => ".html",
        PartType::Text(_) => ".txt",
        _ => ".bin",
    }
}

/// An attachment name usable as a path component (no separators, no `..`);
/// the redactor names attachments the same way.
pub(crate) fn sanitize_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    let cleaned: String = base
        .chars()
        .map(|c| if c.is_control() || c == '!' { '_' } else { c })
        .collect();
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." {
        "attachment".to_string()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Limits;

    #[derive(Default)]
    struct Collect(Vec<Segment>, Vec<(String, Vec<u8>)>);
    impl Sink for Collect {
        fn segment(&mut self, seg: Segment) {
            self.0.push(seg)
        }
        fn embedded(&mut self, n: &str, d: Vec<u8>) {
            self.1.push((n.to_string(), d))
        }
        fn needs_review(&mut self, _: String) {}
    }

    const MAIL: &str = "From: =?utf-8?q?J=C3=A1n_de_Vries?= <jan@example.nl>\r\nTo: Piet <piet@example.nl>\r\nSubject: =?utf-8?b?QlNOIDEyMzQ1Njc4Mg==?=\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nBel me op 06-12345678 =E2=82=AC\r\n--b\r\nContent-Type: text/csv; name=\"lijst.csv\"\r\nContent-Disposition: attachment; filename=\"lijst.csv\"\r\nContent-Transfer-Encoding: base64\r\n\r\nYTtiCjE7Mgo=\r\n--b--\r\n";

    #[test]
    fn headers_body_and_attachments() {
        let mut c = Collect::default();
        let limits = Limits::default();
        EmlReader
            .read(
                &Source::Memory(MAIL.as_bytes().to_vec()),
                &ReadCtx::new(&limits, 0),
                &mut c,
            )
            .unwrap();
        let texts: Vec<&str> = c.0.iter().map(|s| s.text.as_str()).collect();
        assert!(
            texts.contains(&"Ján de Vries <jan@example.nl>"),
            "{texts:?}"
        );
        assert!(texts.contains(&"BSN 123456782"), "{texts:?}");
        assert!(
            texts.iter().any(|t| t.contains("06-12345678 €")),
            "{texts:?}"
        );
        assert_eq!(c.1.len(), 1);
        assert_eq!(c.1[0].0, "lijst.csv");
        assert_eq!(c.1[0].1, b"a;b\n1;2\n");
    }

    #[test]
    fn nested_rfc822_parts_do_not_panic() {
        // Minimized from a fuzzer crash (debug assertion in mail-parser).
        let data = b"Content-Type:multipart;boundary=outer\n\n--outerContent-Type:message/rfc822\n\nContent-Type:message/rfc822\n\n\n--outer--";
        let limits = Limits::default();
        let r = EmlReader.read(
            &Source::Memory(data.to_vec()),
            &ReadCtx::new(&limits, 0),
            &mut Collect::default(),
        );
        if let Err(e) = r {
            assert!(e.to_string().contains("damaged file"), "{e}");
        }
    }

    #[test]
    fn a_non_ascii_header_name_does_not_panic() {
        // Found through the .msg transport headers: a header name whose
        // second byte is inside a character was sliced as a str.
        let data = "X\u{e9}: waarde\r\nFrom: a@b.nl\r\n\r\nbody"
            .as_bytes()
            .to_vec();
        let limits = Limits::default();
        let mut c = Collect::default();
        EmlReader
            .read(&Source::Memory(data), &ReadCtx::new(&limits, 0), &mut c)
            .unwrap();
        assert!(c.0.iter().any(|s| s.text == "a@b.nl"));
    }

    #[test]
    fn sniff_mail() {
        assert!(looks_like_mail(b"Received: x\r\nFrom: a@b\r\n\r\nhi"));
        assert!(!looks_like_mail(
            b"Hallo: dit is tekst\nmet meer tekst zonder header\n"
        ));
    }

    #[test]
    fn names_are_sanitized() {
        assert_eq!(sanitize_name("../../etc/passwd"), "passwd");
        assert_eq!(sanitize_name("a!b.txt"), "a_b.txt");
        assert_eq!(sanitize_name(".."), "attachment");
    }
}
