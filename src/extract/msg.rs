//! Outlook messages (`.msg`, [MS-OXMSG]): an OLE compound file of MAPI
//! properties. Read: the subject, sender and "sent on behalf of", every
//! recipient (display name and address, as `header:To`/`Cc`/`Bcc`), the
//! transport headers (through the e-mail reader, as `transport
//! header:...`), and the body: the plain-text property, else the HTML body
//! (through the HTML reader), else the compressed RTF body (decompressed,
//! then read by [`super::rtf`]). Attachments go back to the pipeline as
//! files of their own, as e-mail attachments do: files attached by value
//! with their names, attached messages and OLE objects (storages) copied
//! out as compound files of their own (an attached message as `NAME.msg`,
//! read by this reader again, up to the nesting limit).
//!
//! Bounds: at most `max_entries` recipients and attachments, every stream
//! at most `max_member_size`, all streams together at most `max_unpacked`
//! (hostile files can share sectors between streams), compressed RTF only
//! when its header sizes agree with the stream.
//!
//! The property layer is written by hand on `cfb`: `msg_parser`, the MSG
//! crate on crates.io, brings a second compound-file reader of its own
//! (this project reads OLE with `cfb` in [`crate::container::ole`]) and
//! hands attached messages back parsed, not as files that can go through
//! the reader dispatch. Compressed RTF ([MS-OXRTFCP]) is decompressed with
//! the `compressed-rtf` crate. `redact` does not write `.msg`: such a file
//! is `needs_review` (see [`crate::redact::legacy`]).

use super::eml::{sanitize_name, EmlReader, Relabel};
use super::markup::MarkupReader;
use super::rtf::{emit as emit_rtf, looks_like_rtf, rtf_text};
use super::{ExtractError, ReadCtx, Reader, Sink, Source};
use crate::container::ole::Ole;
use crate::document::{Location, Segment};
use encoding_rs::{Encoding, WINDOWS_1252};

/// The reader of Outlook messages.
pub struct MsgReader;

const FORMAT: &str = "msg";

// Property ids ([MS-OXPROPS]).
const SUBJECT: u16 = 0x0037;
const SENT_REPR_NAME: u16 = 0x0042;
const SENT_REPR_EMAIL: u16 = 0x0065;
const SENT_REPR_SMTP: u16 = 0x5D02;
const SENDER_NAME: u16 = 0x0C1A;
const SENDER_EMAIL: u16 = 0x0C1F;
const SENDER_SMTP: u16 = 0x5D01;
const RECEIVED_BY_NAME: u16 = 0x0040;
const RECEIVED_BY_EMAIL: u16 = 0x0076;
const DISPLAY_TO: u16 = 0x0E04;
const DISPLAY_CC: u16 = 0x0E03;
const DISPLAY_BCC: u16 = 0x0E02;
const TRANSPORT_HEADERS: u16 = 0x007D;
const BODY: u16 = 0x1000;
const HTML: u16 = 0x1013;
const RTF_COMPRESSED: u16 = 0x1009;
const CODEPAGE: u16 = 0x3FFD;
const INTERNET_CPID: u16 = 0x3FDE;
const RECIPIENT_TYPE: u16 = 0x0C15;
const DISPLAY_NAME: u16 = 0x3001;
const EMAIL_ADDRESS: u16 = 0x3003;
const SMTP_ADDRESS: u16 = 0x39FE;
const ATTACH_DATA: u16 = 0x3701;
const ATTACH_FILENAME: u16 = 0x3704;
const ATTACH_LONG_FILENAME: u16 = 0x3707;
const ATTACH_METHOD: u16 = 0x3705;

const PT_STRING8: u16 = 0x001E;
const PT_UNICODE: u16 = 0x001F;
const PT_BINARY: u16 = 0x0102;
const PT_OBJECT: u16 = 0x000D;
const PT_LONG: u16 = 0x0003;

/// Attach methods ([MS-OXCMSG] `PidTagAttachMethod`).
const ATTACH_EMBEDDED_MSG: u32 = 5;
const ATTACH_OLE: u32 = 6;

/// Size of the header of a property stream: top-level message, embedded
/// message, recipient or attachment.
const HEADER_TOP: usize = 32;
const HEADER_EMBEDDED: usize = 24;
const HEADER_SUB: usize = 8;

fn err(detail: impl std::fmt::Display) -> ExtractError {
    ExtractError::parse(FORMAT, detail)
}

/// One message being read: the open file and the bytes read so far.
struct Message<'a, 'c> {
    ole: Ole<'a>,
    ctx: &'c ReadCtx<'c>,
    /// Bytes read from streams so far (bounded by `max_unpacked`).
    read: u64,
    enc: &'static Encoding,
}

impl Message<'_, '_> {
    /// The bytes of `stream`, within the member and total limits.
    fn stream(&mut self, path: &str) -> Result<Option<Vec<u8>>, ExtractError> {
        let limits = self.ctx.limits;
        let left = limits.max_unpacked.saturating_sub(self.read);
        let max = limits.max_member_size.min(left);
        match self.ole.stream(path, max) {
            Ok(Some(b)) => {
                self.read += b.len() as u64;
                Ok(Some(b))
            }
            Ok(None) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    fn value(&mut self, dir: &str, id: u16, ty: u16) -> Result<Option<Vec<u8>>, ExtractError> {
        self.stream(&format!("{dir}/__substg1.0_{id:04X}{ty:04X}"))
    }

    /// A string property (UTF-16 or 8-bit in the message's code page),
    /// without trailing NULs; `None` when absent or blank.
    fn string(&mut self, dir: &str, id: u16) -> Result<Option<String>, ExtractError> {
        let s = if let Some(b) = self.value(dir, id, PT_UNICODE)? {
            let units: Vec<u16> = b
                .chunks_exact(2)
                .map(|u| u16::from_le_bytes([u[0], u[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        } else if let Some(b) = self.value(dir, id, PT_STRING8)? {
            self.enc.decode(&b).0.into_owned()
        } else {
            return Ok(None);
        };
        let s = s.trim_end_matches('\0').trim().to_string();
        Ok((!s.is_empty()).then_some(s))
    }

    /// The 32-bit fixed properties of the property stream in `dir`.
    fn longs(&mut self, dir: &str, header: usize) -> Result<Vec<(u16, u32)>, ExtractError> {
        let Some(b) = self.stream(&format!("{dir}/__properties_version1.0"))? else {
            return Ok(Vec::new());
        };
        let entries = b.get(header..).unwrap_or_default();
        Ok(entries
            .chunks_exact(16)
            .filter(|e| u16::from_le_bytes([e[0], e[1]]) == PT_LONG)
            .map(|e| {
                let id = u16::from_le_bytes([e[2], e[3]]);
                (id, u32::from_le_bytes([e[8], e[9], e[10], e[11]]))
            })
            .collect())
    }

    /// The sub-storages of the root whose names start with `prefix`, sorted.
    fn storages(&self, prefix: &str) -> Result<Vec<String>, ExtractError> {
        let max = self.ctx.limits.max_entries;
        // Value streams and the two kinds of sub-storage share the root.
        let all = self
            .ole
            .entries("/", max.saturating_mul(4).saturating_add(4096))?;
        let mut v: Vec<String> = all
            .into_iter()
            .filter(|e| e.storage && e.name.starts_with(prefix))
            .map(|e| format!("/{}", e.name))
            .collect();
        if v.len() > max {
            return Err(ExtractError::Limit(format!(
                "{FORMAT}: more than {max} {}",
                if prefix.contains("recip") {
                    "recipients"
                } else {
                    "attachments"
                }
            )));
        }
        v.sort();
        Ok(v)
    }
}

/// "Name <address>", or either alone.
fn mailbox(name: Option<String>, address: Option<String>) -> Option<String> {
    // An Exchange X.500 address (`/O=ORG/OU=.../CN=...`) is no mailbox.
    let address = address.filter(|a| a.contains('@'));
    match (name, address) {
        (Some(n), Some(a)) if n.eq_ignore_ascii_case(&a) => Some(a),
        (Some(n), Some(a)) => Some(format!("{n} <{a}>")),
        (Some(n), None) => Some(n),
        (None, a) => a,
    }
}

fn header(sink: &mut dyn Sink, name: &str, text: String) {
    sink.segment(Segment::new(text, Location::part(format!("header:{name}"))).with_label(name));
}

/// Passes the e-mail reader's header segments on as transport headers.
struct Transport<'a> {
    sink: &'a mut dyn Sink,
}

impl Sink for Transport<'_> {
    fn segment(&mut self, mut seg: Segment) {
        // Only the headers: the (empty) body of the header block is no text.
        if let Some(p) = seg.loc.part.as_deref().filter(|p| p.starts_with("header:")) {
            seg.loc.part = Some(format!("transport {p}"));
            self.sink.segment(seg)
        }
    }
    fn embedded(&mut self, _: &str, _: Vec<u8>) {}
    fn needs_review(&mut self, _: String) {}
}

/// The compressed RTF body as text, when its header is sound.
fn rtf_body(data: &[u8], max: u64) -> Result<String, String> {
    // compressed-rtf 1.0 slices and allocates from the header without
    // checking it against the data: checked here first.
    let word = |i: usize| {
        data.get(i..i + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let (Some(comp), Some(raw), Some(kind)) = (word(0), word(4), word(8)) else {
        return Err("compressed RTF body: header cut short".into());
    };
    if comp as usize + 4 != data.len() {
        return Err("compressed RTF body: its size does not match the stream".into());
    }
    let plausible = match kind {
        0x75465A4C => u64::from(raw) <= (data.len() as u64).saturating_mul(9).saturating_add(4096),
        0x414C454D => raw as usize <= data.len() - 16,
        _ => return Err("compressed RTF body: unknown compression type".into()),
    };
    if !plausible || u64::from(raw) > max {
        return Err("compressed RTF body: implausible uncompressed size".into());
    }
    match crate::panics::catch(|| compressed_rtf::decompress_rtf(data)) {
        Ok(Ok(s)) => Ok(s),
        Ok(Err(e)) => Err(format!("compressed RTF body cannot be decompressed: {e}")),
        Err(_) => Err("compressed RTF body is damaged".into()),
    }
}

/// The name an attachment is scanned under.
fn attachment_name(given: Option<String>, index: usize, ext: &str) -> String {
    let name = given
        .map(|n| sanitize_name(&n))
        .unwrap_or_else(|| format!("attachment-{index}"));
    if !ext.is_empty() && !name.to_ascii_lowercase().ends_with(ext) {
        format!("{name}{ext}")
    } else {
        name
    }
}

/// An embedded message's property stream made a top-level one: its header
/// grows from 24 to 32 bytes.
fn as_top_level(rel: &str, mut data: Vec<u8>) -> Vec<u8> {
    if rel == "/__properties_version1.0" && data.len() >= HEADER_EMBEDDED {
        data.splice(
            HEADER_EMBEDDED..HEADER_EMBEDDED,
            [0u8; HEADER_TOP - HEADER_EMBEDDED],
        );
    }
    data
}

impl Message<'_, '_> {
    fn headers(&mut self, sink: &mut dyn Sink) -> Result<(), ExtractError> {
        if let Some(s) = self.string("", SUBJECT)? {
            header(sink, "Subject", s);
        }
        let sender = {
            let addr = match self.string("", SENDER_SMTP)? {
                Some(a) => Some(a),
                None => self.string("", SENDER_EMAIL)?,
            };
            mailbox(self.string("", SENDER_NAME)?, addr)
        };
        let repr = {
            let addr = match self.string("", SENT_REPR_SMTP)? {
                Some(a) => Some(a),
                None => self.string("", SENT_REPR_EMAIL)?,
            };
            mailbox(self.string("", SENT_REPR_NAME)?, addr)
        };
        match (repr, sender) {
            // The same mailbox, one of them without its address.
            (Some(r), Some(s)) if s.starts_with(&r) => header(sink, "From", s),
            (Some(r), Some(s)) if r.starts_with(&s) => header(sink, "From", r),
            (Some(r), Some(s)) => {
                header(sink, "From", r);
                header(sink, "Sender", s);
            }
            (Some(m), _) | (None, Some(m)) => header(sink, "From", m),
            (None, None) => {}
        }
        let received = mailbox(
            self.string("", RECEIVED_BY_NAME)?,
            self.string("", RECEIVED_BY_EMAIL)?,
        );
        if let Some(m) = received {
            header(sink, "Received-By", m);
        }
        let recipients = self.storages("__recip_version1.0_")?;
        for dir in &recipients {
            self.ctx.check()?;
            let kind = self
                .longs(dir, HEADER_SUB)?
                .into_iter()
                .find(|&(id, _)| id == RECIPIENT_TYPE)
                .map_or(1, |(_, v)| v & 0x0F);
            let addr = match self.string(dir, SMTP_ADDRESS)? {
                Some(a) => Some(a),
                None => self.string(dir, EMAIL_ADDRESS)?,
            };
            if let Some(m) = mailbox(self.string(dir, DISPLAY_NAME)?, addr) {
                let name = match kind {
                    2 => "Cc",
                    3 => "Bcc",
                    _ => "To",
                };
                header(sink, name, m);
            }
        }
        if recipients.is_empty() {
            for (id, name) in [(DISPLAY_TO, "To"), (DISPLAY_CC, "Cc"), (DISPLAY_BCC, "Bcc")] {
                if let Some(s) = self.string("", id)? {
                    header(sink, name, s);
                }
            }
        }
        if let Some(h) = self.string("", TRANSPORT_HEADERS)? {
            let raw = format!("{}\r\n\r\n", h.trim_end());
            let mut t = Transport { sink };
            // Headers that do not parse are only a loss of context here.
            let _ = EmlReader.read(&Source::Memory(raw.into_bytes()), self.ctx, &mut t);
        }
        Ok(())
    }

    fn body(&mut self, sink: &mut dyn Sink) -> Result<(), ExtractError> {
        if let Some(b) = self.string("", BODY)? {
            sink.segment(Segment::new(b, Location::part("body")));
            return Ok(());
        }
        let html = match self.value("", HTML, PT_BINARY)? {
            Some(b) => Some(b),
            None => self.string("", HTML)?.map(String::into_bytes),
        };
        if let Some(h) = html.filter(|h| !h.is_empty()) {
            let mut inner = Relabel {
                sink,
                part: "body".into(),
            };
            return MarkupReader { html: true }.read(&Source::Memory(h), self.ctx, &mut inner);
        }
        if let Some(c) = self.value("", RTF_COMPRESSED, PT_BINARY)? {
            match rtf_body(&c, self.ctx.limits.max_member_size) {
                Ok(rtf) if looks_like_rtf(rtf.as_bytes()) => {
                    // The decompressed text holds bytes, one per char.
                    let bytes: Vec<u8> = rtf.chars().map(|c| c as u32 as u8).collect();
                    emit_rtf(rtf_text(&bytes, Some(self.ctx))?, "body", sink);
                }
                Ok(text) => sink.segment(Segment::new(text, Location::part("body"))),
                Err(reason) => sink.needs_review(reason),
            }
        }
        Ok(())
    }

    fn attachments(&mut self, sink: &mut dyn Sink) -> Result<(), ExtractError> {
        let limits = self.ctx.limits;
        for (i, dir) in self
            .storages("__attach_version1.0_")?
            .into_iter()
            .enumerate()
        {
            self.ctx.check()?;
            let method = self
                .longs(&dir, HEADER_SUB)?
                .into_iter()
                .find(|&(id, _)| id == ATTACH_METHOD)
                .map_or(1, |(_, v)| v);
            let given = match self.string(&dir, ATTACH_LONG_FILENAME)? {
                Some(n) => Some(n),
                None => match self.string(&dir, ATTACH_FILENAME)? {
                    Some(n) => Some(n),
                    None => self.string(&dir, DISPLAY_NAME)?,
                },
            };
            let object = format!("{dir}/__substg1.0_{ATTACH_DATA:04X}{PT_OBJECT:04X}");
            if self.ole.is_storage(&object) {
                let embedded_msg = method == ATTACH_EMBEDDED_MSG;
                let ext = if embedded_msg {
                    ".msg"
                } else if self.ole.is_stream(&format!("{object}/WordDocument")) {
                    ".doc"
                } else {
                    ""
                };
                let name = attachment_name(given, i, ext);
                let left = limits.max_unpacked.saturating_sub(self.read);
                let fix: &dyn Fn(&str, Vec<u8>) -> Vec<u8> = if embedded_msg {
                    &as_top_level
                } else {
                    &|_, d| d
                };
                let copy = self.ole.extract_storage(
                    &object,
                    limits.max_entries,
                    left.min(limits.max_member_size),
                    fix,
                )?;
                self.read += copy.len() as u64;
                sink.embedded(&name, copy);
                continue;
            }
            if method == ATTACH_OLE || method == ATTACH_EMBEDDED_MSG {
                sink.needs_review(format!("attachment {i}: its object storage is missing"));
                continue;
            }
            let name = attachment_name(given, i, "");
            match self.value(&dir, ATTACH_DATA, PT_BINARY) {
                Ok(Some(data)) => sink.embedded(&name, data),
                Ok(None) => {} // a link or reference: no data in the file
                Err(ExtractError::Limit(_)) => {
                    sink.needs_review(format!("attachment {name} is larger than the member limit"))
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

impl Reader for MsgReader {
    fn read(
        &self,
        src: &Source,
        ctx: &ReadCtx<'_>,
        sink: &mut dyn Sink,
    ) -> Result<(), ExtractError> {
        if ctx.depth >= ctx.limits.max_depth {
            sink.needs_review(super::eml::nested_too_deep(ctx.limits.max_depth));
            return Ok(());
        }
        let bytes = src.bytes()?;
        let ole = Ole::open(&bytes, FORMAT)?;
        if !ole.is_stream("/__properties_version1.0") {
            return Err(err(
                "no __properties_version1.0 stream (not an Outlook message)",
            ));
        }
        let mut m = Message {
            ole,
            ctx,
            read: 0,
            enc: WINDOWS_1252,
        };
        let longs = m.longs("", HEADER_TOP)?;
        let cp = [CODEPAGE, INTERNET_CPID]
            .iter()
            .find_map(|want| longs.iter().find(|(id, _)| id == want).map(|&(_, v)| v));
        if let Some(enc) = cp
            .and_then(|v| u16::try_from(v).ok())
            .and_then(codepage::to_encoding)
        {
            m.enc = enc;
        }
        m.headers(sink)?;
        ctx.check()?;
        m.body(sink)?;
        ctx.check()?;
        m.attachments(sink)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Limits;
    use crate::testutil::legacy::{
        doc_file, garble, garble_streams, msg_file, Attachment, DocPiece, Msg, Recipient, Rng,
    };

    #[derive(Default)]
    pub(crate) struct Collect {
        segs: Vec<Segment>,
        files: Vec<(String, Vec<u8>)>,
        review: Vec<String>,
    }
    impl Sink for Collect {
        fn segment(&mut self, s: Segment) {
            self.segs.push(s)
        }
        fn embedded(&mut self, n: &str, d: Vec<u8>) {
            self.files.push((n.to_string(), d))
        }
        fn needs_review(&mut self, r: String) {
            self.review.push(r)
        }
    }

    pub(crate) fn read(data: Vec<u8>) -> Result<Collect, ExtractError> {
        let limits = Limits::default();
        let mut c = Collect::default();
        MsgReader.read(&Source::Memory(data), &ReadCtx::new(&limits, 0), &mut c)?;
        Ok(c)
    }

    fn lines(c: &Collect) -> Vec<String> {
        c.segs
            .iter()
            .map(|s| format!("{}: {}", s.loc.part.as_deref().unwrap_or(""), s.text.trim()))
            .collect()
    }

    fn sample(ansi: bool) -> Msg<'static> {
        Msg {
            subject: "Dossier Ödön",
            sender_name: "Ödön Varga",
            sender_email: "odon@voorbeeld.test",
            recipients: vec![
                Recipient {
                    kind: 1,
                    name: "Roos Tjin",
                    email: "roos@voorbeeld.test",
                },
                Recipient {
                    kind: 2,
                    name: "",
                    email: "team@voorbeeld.test",
                },
            ],
            body: Some("Regel één\r\nRegel twee"),
            ansi,
            ..Msg::default()
        }
    }

    #[test]
    fn headers_recipients_and_plain_body() {
        for ansi in [false, true] {
            let c = read(msg_file(&sample(ansi))).unwrap();
            assert_eq!(
                lines(&c),
                [
                    "header:Subject: Dossier Ödön",
                    "header:From: Ödön Varga <odon@voorbeeld.test>",
                    "header:To: Roos Tjin <roos@voorbeeld.test>",
                    "header:Cc: team@voorbeeld.test",
                    "body: Regel één\r\nRegel twee",
                ],
                "ansi: {ansi}"
            );
            assert!(c.review.is_empty());
        }
    }

    #[test]
    fn html_then_rtf_bodies() {
        let mut m = sample(false);
        m.body = None;
        m.html = Some(b"<html><body><p>Hallo <b>Roos</b></p></body></html>".to_vec());
        let c = read(msg_file(&m)).unwrap();
        assert!(
            lines(&c).contains(&"body: Hallo Roos".to_string()),
            "{:?}",
            lines(&c)
        );
        m.html = None;
        m.rtf = Some(r"{\rtf1\ansi\ansicpg1252 Beste R\'f6s,\par tot ziens\par}".into());
        let c = read(msg_file(&m)).unwrap();
        let l = lines(&c);
        assert!(l.contains(&"body: Beste Rös,".to_string()), "{l:?}");
        assert!(l.contains(&"body: tot ziens".to_string()), "{l:?}");
    }

    #[test]
    fn attachments_and_attached_messages_become_files() {
        let mut inner = sample(false);
        inner.subject = "Binnenste";
        let mut m = sample(false);
        m.attachments = vec![
            Attachment::File {
                name: "../lijst.csv",
                data: b"a;b\n1;2\n".to_vec(),
            },
            Attachment::Message {
                name: "Doorgestuurd",
                msg: Box::new(inner),
            },
        ];
        let c = read(msg_file(&m)).unwrap();
        assert_eq!(c.files.len(), 2);
        assert_eq!(c.files[0].0, "lijst.csv");
        assert_eq!(c.files[0].1, b"a;b\n1;2\n");
        assert_eq!(c.files[1].0, "Doorgestuurd.msg");
        let nested = read(c.files[1].1.clone()).unwrap();
        assert!(lines(&nested).contains(&"header:Subject: Binnenste".to_string()));
        assert!(lines(&nested).contains(&"header:To: Roos Tjin <roos@voorbeeld.test>".to_string()));
    }

    #[test]
    fn bad_compressed_rtf_headers_are_refused() {
        let good = compressed_rtf::compress_rtf(r"{\rtf1 x}").unwrap();
        assert!(rtf_body(&good, 1 << 20).is_ok());
        assert!(rtf_body(&good[..10], 1 << 20).is_err());
        let mut huge = good.clone();
        huge[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(rtf_body(&huge, 1 << 20)
            .unwrap_err()
            .contains("implausible"));
        let mut raw = good.clone();
        raw[8..12].copy_from_slice(&0x414C454Du32.to_le_bytes());
        raw[4..8].copy_from_slice(&1000u32.to_le_bytes());
        assert!(rtf_body(&raw, 1 << 20).is_err());
    }

    #[test]
    fn garbled_messages_never_panic() {
        let mut rtf_only = sample(true);
        rtf_only.body = None;
        rtf_only.rtf = Some(r"{\rtf1\ansi Tekst met \'e9\u8364? en\par meer}".into());
        let mut html_only = sample(false);
        html_only.body = None;
        html_only.html = Some(b"<p>Hallo <b>daar</b></p>".to_vec());
        let mut full = sample(false);
        full.headers = Some("From: a@voorbeeld.test\r\nSubject: x\r\n");
        full.attachments = vec![
            Attachment::File {
                name: "a.txt",
                data: b"tekst".to_vec(),
            },
            Attachment::Message {
                name: "m",
                msg: Box::new(rtf_only),
            },
            Attachment::File {
                name: "d.doc",
                data: doc_file(&[DocPiece::Ansi("Hallo\r")], &[]),
            },
        ];
        let seeds = [msg_file(&full), msg_file(&html_only)];
        let mut rng = Rng(0x5EED_0115);
        let (mut errors, mut ok) = (0, 0);
        for seed in &seeds {
            for i in 0..250 {
                let data = if i % 2 == 0 {
                    garble(seed, &mut rng)
                } else {
                    garble_streams(seed, &mut rng)
                };
                let outcome = std::panic::catch_unwind(|| {
                    let c = read(data)?;
                    // Attached messages are read again, as the pipeline would.
                    for (name, d) in c.files.iter().filter(|(n, _)| n.ends_with(".msg")) {
                        let _ = (name, read(d.clone()));
                    }
                    Ok::<_, ExtractError>(c)
                });
                match outcome.unwrap_or_else(|_| panic!("input {i} panicked")) {
                    Ok(_) => ok += 1,
                    Err(e) => {
                        errors += 1;
                        let m = e.to_string();
                        assert!(
                            m.starts_with("msg: ") || m.starts_with("limit exceeded: msg"),
                            "{m}"
                        );
                    }
                }
            }
        }
        assert!(errors > 0 && ok > 0, "{errors} errors, {ok} read");
    }
}
