//! Builders of legacy binary files for tests and fixtures: Outlook `.msg`
//! messages ([`msg_file`]) and Word 97 `.doc` documents ([`doc_file`]),
//! written as OLE compound files with the `cfb` crate. Shared by the unit
//! tests (`crate::testutil::legacy`) and `examples/legacy_fixtures.rs`
//! (included there by path), so it uses only external crates.
//!
//! The files follow [MS-OXMSG] and [MS-DOC] as far as the readers look:
//! property streams with their headers, `__substg1.0_` value streams,
//! recipient and attachment storages, embedded messages in a
//! `__substg1.0_3701000D` storage; a FIB with `FibRgLw97` story lengths and
//! `fcClx`, a table stream with a CLX of one piece per [`DocPiece`].

#![allow(dead_code)]

use std::io::{Cursor, Write};
use std::time::{Duration, UNIX_EPOCH};

type Cfb = cfb::CompoundFile<Cursor<Vec<u8>>>;

/// A fixed time for every storage, so that the files are reproducible.
fn stamp(f: &mut Cfb, path: &str) {
    let t = UNIX_EPOCH + Duration::from_secs(1_600_000_000);
    f.set_created_time(path, t).unwrap();
    f.set_modified_time(path, t).unwrap();
}

/// A recipient: type (1 To, 2 Cc, 3 Bcc), display name, address.
pub struct Recipient<'a> {
    pub kind: u32,
    pub name: &'a str,
    pub email: &'a str,
}

/// An attachment of a message.
pub enum Attachment<'a> {
    /// A file attached by value.
    File { name: &'a str, data: Vec<u8> },
    /// A message attached as a message (attach method 5).
    Message { name: &'a str, msg: Box<Msg<'a>> },
}

/// What a message holds. Empty strings are left out.
#[derive(Default)]
pub struct Msg<'a> {
    pub subject: &'a str,
    pub sender_name: &'a str,
    pub sender_email: &'a str,
    pub recipients: Vec<Recipient<'a>>,
    /// `PR_BODY`.
    pub body: Option<&'a str>,
    /// `PR_HTML` (bytes).
    pub html: Option<Vec<u8>>,
    /// RTF text, written compressed as `PR_RTF_COMPRESSED`.
    pub rtf: Option<String>,
    /// `PR_TRANSPORT_MESSAGE_HEADERS`.
    pub headers: Option<&'a str>,
    pub attachments: Vec<Attachment<'a>>,
    /// Strings as 8-bit (`PT_STRING8`, Windows-1252) instead of UTF-16.
    pub ansi: bool,
}

/// Properties of one object: fixed values and variable (stream) values.
#[derive(Default)]
struct Props {
    fixed: Vec<(u16, u16, u32)>,
    streams: Vec<(u16, u16, Vec<u8>)>,
}

impl Props {
    fn string(&mut self, id: u16, s: &str, ansi: bool) {
        if s.is_empty() {
            return;
        }
        if ansi {
            let (b, _, _) = encoding_rs::WINDOWS_1252.encode(s);
            self.streams.push((id, 0x001E, b.into_owned()));
        } else {
            let b = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
            self.streams.push((id, 0x001F, b));
        }
    }
    fn binary(&mut self, id: u16, b: Vec<u8>) {
        self.streams.push((id, 0x0102, b));
    }
    fn long(&mut self, id: u16, v: u32) {
        self.fixed.push((id, 0x0003, v));
    }

    /// Write the value streams and the property stream into `dir`, whose
    /// property stream header has `header` bytes.
    fn write(&self, f: &mut Cfb, dir: &str, header: &[u8]) {
        let mut table = header.to_vec();
        for &(id, ty, v) in &self.fixed {
            table.extend(((u32::from(id) << 16) | u32::from(ty)).to_le_bytes());
            table.extend(6u32.to_le_bytes());
            table.extend(v.to_le_bytes());
            table.extend(0u32.to_le_bytes());
        }
        for (id, ty, data) in &self.streams {
            let name = format!("{dir}/__substg1.0_{id:04X}{ty:04X}");
            f.create_stream(&name).unwrap().write_all(data).unwrap();
            let size = data.len() as u32
                + if *ty == 0x001F {
                    2
                } else if *ty == 0x001E {
                    1
                } else {
                    0
                };
            table.extend(((u32::from(*id) << 16) | u32::from(*ty)).to_le_bytes());
            table.extend(6u32.to_le_bytes());
            table.extend(size.to_le_bytes());
            table.extend(0u32.to_le_bytes());
        }
        f.create_stream(format!("{dir}/__properties_version1.0"))
            .unwrap()
            .write_all(&table)
            .unwrap();
    }
}

fn write_message(f: &mut Cfb, dir: &str, m: &Msg<'_>, top: bool) {
    let mut p = Props::default();
    p.string(0x0037, m.subject, m.ansi);
    p.string(0x0C1A, m.sender_name, m.ansi);
    p.string(0x0C1F, m.sender_email, m.ansi);
    p.string(0x0042, m.sender_name, m.ansi);
    p.string(0x0065, m.sender_email, m.ansi);
    let to: Vec<&str> = m
        .recipients
        .iter()
        .filter(|r| r.kind == 1)
        .map(|r| r.name)
        .collect();
    let cc: Vec<&str> = m
        .recipients
        .iter()
        .filter(|r| r.kind == 2)
        .map(|r| r.name)
        .collect();
    p.string(0x0E04, &to.join("; "), m.ansi);
    p.string(0x0E03, &cc.join("; "), m.ansi);
    if let Some(b) = m.body {
        p.string(0x1000, b, m.ansi);
    }
    if let Some(h) = &m.html {
        p.binary(0x1013, h.clone());
    }
    if let Some(r) = &m.rtf {
        p.binary(0x1009, compressed_rtf::compress_rtf(r).unwrap());
    }
    if let Some(h) = m.headers {
        p.string(0x007D, h, m.ansi);
    }
    if m.ansi {
        p.long(0x3FFD, 1252);
    }
    for (i, r) in m.recipients.iter().enumerate() {
        let sub = format!("{dir}/__recip_version1.0_#{i:08X}");
        f.create_storage(&sub).unwrap();
        stamp(f, &sub);
        let mut rp = Props::default();
        rp.long(0x0C15, r.kind);
        rp.string(0x3001, r.name, m.ansi);
        rp.string(0x3003, r.email, m.ansi);
        rp.string(0x39FE, r.email, m.ansi);
        rp.write(f, &sub, &[0; 8]);
    }
    for (i, a) in m.attachments.iter().enumerate() {
        let sub = format!("{dir}/__attach_version1.0_#{i:08X}");
        f.create_storage(&sub).unwrap();
        stamp(f, &sub);
        let mut ap = Props::default();
        match a {
            Attachment::File { name, data } => {
                ap.long(0x3705, 1);
                ap.string(0x3707, name, m.ansi);
                ap.string(0x3001, name, m.ansi);
                ap.binary(0x3701, data.clone());
            }
            Attachment::Message { name, msg } => {
                ap.long(0x3705, 5);
                ap.string(0x3001, name, m.ansi);
                let inner = format!("{sub}/__substg1.0_3701000D");
                f.create_storage(&inner).unwrap();
                stamp(f, &inner);
                write_message(f, &inner, msg, false);
            }
        }
        ap.write(f, &sub, &[0; 8]);
    }
    // Header: 8 reserved, next recipient id, next attachment id, counts,
    // and (top level only) 8 more reserved bytes.
    let mut header = vec![0u8; 8];
    header.extend((m.recipients.len() as u32).to_le_bytes());
    header.extend((m.attachments.len() as u32).to_le_bytes());
    header.extend((m.recipients.len() as u32).to_le_bytes());
    header.extend((m.attachments.len() as u32).to_le_bytes());
    if top {
        header.extend([0; 8]);
    }
    p.write(f, dir, &header);
}

/// An Outlook message file.
pub fn msg_file(m: &Msg<'_>) -> Vec<u8> {
    let mut f = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    f.create_storage("/__nameid_version1.0").unwrap();
    stamp(&mut f, "/__nameid_version1.0");
    write_message(&mut f, "", m, true);
    stamp(&mut f, "/");
    f.flush().unwrap();
    f.into_inner().into_inner()
}

/// A piece of document text: 8-bit (Windows-1252) or UTF-16.
pub enum DocPiece<'a> {
    Ansi(&'a str),
    Utf16(&'a str),
}

/// A Word 97 document whose text is `pieces` in order. `stories` are the
/// lengths in characters of body, footnotes, headers, macros, comments,
/// endnotes, text boxes and header text boxes (as many as given); with none
/// the whole text is the body. `flags` are ORed into the FibBase flags
/// (`0x0100` encrypted).
pub fn doc_file_with(pieces: &[DocPiece<'_>], stories: &[u32], flags: u16) -> Vec<u8> {
    doc_file_props(pieces, stories, flags, &[])
}

/// [`doc_file_with`], with a `\u{5}SummaryInformation` stream holding
/// `summary` (`(property id, text)`: 2 title, 4 author, 8 last author)
/// when it is not empty.
pub fn doc_file_props(
    pieces: &[DocPiece<'_>],
    stories: &[u32],
    flags: u16,
    summary: &[(u32, &str)],
) -> Vec<u8> {
    // FIB: FibBase (32), csw + FibRgW97 (2 + 28), cslw + FibRgLw97
    // (2 + 88), cbRgFcLcb + FibRgFcLcb97 (2 + 93 * 8).
    let mut w = vec![0u8; 1024];
    w[0..2].copy_from_slice(&0xA5ECu16.to_le_bytes());
    w[2..4].copy_from_slice(&0x00C1u16.to_le_bytes());
    w[10..12].copy_from_slice(&(0x0204u16 | flags).to_le_bytes()); // fComplex, 1Table
    w[32..34].copy_from_slice(&14u16.to_le_bytes());
    w[62..64].copy_from_slice(&22u16.to_le_bytes());
    w[152..154].copy_from_slice(&93u16.to_le_bytes());
    let mut plc_cps = vec![0u32];
    let mut pcds = Vec::new();
    let mut cp = 0u32;
    for p in pieces {
        let (bytes, chars, fc) = match p {
            DocPiece::Ansi(s) => {
                let (b, _, _) = encoding_rs::WINDOWS_1252.encode(s);
                let fc = ((w.len() as u32) * 2) | 0x4000_0000;
                (b.into_owned(), s.chars().count() as u32, fc)
            }
            DocPiece::Utf16(s) => {
                let b: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
                let n = (b.len() / 2) as u32;
                (b, n, w.len() as u32)
            }
        };
        w.extend(bytes);
        cp += chars;
        plc_cps.push(cp);
        pcds.push(fc);
    }
    let total = cp;
    let body = if stories.is_empty() {
        total
    } else {
        stories[0]
    };
    for (i, len) in std::iter::once(body)
        .chain(stories.iter().skip(1).copied())
        .enumerate()
    {
        let at = 64 + 4 * (3 + i);
        w[at..at + 4].copy_from_slice(&len.to_le_bytes());
    }
    let mut plc = Vec::new();
    for c in &plc_cps {
        plc.extend(c.to_le_bytes());
    }
    for fc in &pcds {
        plc.extend(0u16.to_le_bytes());
        plc.extend(fc.to_le_bytes());
        plc.extend(0u16.to_le_bytes());
    }
    // The table stream: a Prc (one empty grpprl) then the Pcdt.
    let mut table = vec![0x01, 0x00, 0x00];
    table.push(0x02);
    table.extend((plc.len() as u32).to_le_bytes());
    table.extend(&plc);
    let clx = 154 + 33 * 8;
    w[clx..clx + 4].copy_from_slice(&0u32.to_le_bytes());
    w[clx + 4..clx + 8].copy_from_slice(&(table.len() as u32).to_le_bytes());
    let mut f = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    f.create_stream("/WordDocument")
        .unwrap()
        .write_all(&w)
        .unwrap();
    f.create_stream("/1Table")
        .unwrap()
        .write_all(&table)
        .unwrap();
    if !summary.is_empty() {
        f.create_stream("/\u{5}SummaryInformation")
            .unwrap()
            .write_all(&property_set(summary))
            .unwrap();
    }
    stamp(&mut f, "/");
    f.flush().unwrap();
    f.into_inner().into_inner()
}

/// A property set stream with one section of `(id, VT_LPSTR value)`
/// properties and code page 1252.
pub fn property_set(props: &[(u32, &str)]) -> Vec<u8> {
    let mut values: Vec<(u32, Vec<u8>)> = vec![(1, {
        let mut v = 2u32.to_le_bytes().to_vec(); // VT_I2
        v.extend(1252u16.to_le_bytes());
        v.extend([0, 0]);
        v
    })];
    for (id, s) in props {
        let (b, _, _) = encoding_rs::WINDOWS_1252.encode(s);
        let mut v = 0x1Eu32.to_le_bytes().to_vec();
        v.extend((b.len() as u32 + 1).to_le_bytes());
        v.extend(b.iter());
        v.push(0);
        while !v.len().is_multiple_of(4) {
            v.push(0);
        }
        values.push((*id, v));
    }
    let mut table = Vec::new();
    let mut data: Vec<u8> = Vec::new();
    let head = 8 + 8 * values.len();
    for (id, v) in &values {
        table.extend(id.to_le_bytes());
        table.extend(((head + data.len()) as u32).to_le_bytes());
        data.extend(v);
    }
    let mut section = ((head + data.len()) as u32).to_le_bytes().to_vec();
    section.extend((values.len() as u32).to_le_bytes());
    section.extend(table);
    section.extend(data);
    let mut s = vec![0xFE, 0xFF, 0, 0, 5, 1, 2, 0];
    s.extend([0; 16]); // CLSID
    s.extend(1u32.to_le_bytes());
    s.extend([0x11; 16]); // FMTID
    s.extend(48u32.to_le_bytes());
    s.extend(section);
    s
}

/// [`doc_file_with`] without extra flags.
pub fn doc_file(pieces: &[DocPiece<'_>], stories: &[u32]) -> Vec<u8> {
    doc_file_with(pieces, stories, 0)
}

/// A small deterministic random number generator (xorshift64*).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// `data` damaged the ways hostile files are: cut short, bytes flipped,
/// 32-bit fields overwritten with 0, small, huge and negative values.
pub fn garble(data: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut d = data.to_vec();
    match rng.below(4) {
        0 => d.truncate(rng.below(d.len() + 1)),
        1 => {
            for _ in 0..1 + rng.below(8) {
                if !d.is_empty() {
                    let i = rng.below(d.len());
                    d[i] ^= 1 << rng.below(8);
                }
            }
        }
        _ => {
            for _ in 0..1 + rng.below(4) {
                if d.len() >= 4 {
                    let i = rng.below(d.len() - 3);
                    let v: u32 = match rng.below(5) {
                        0 => 0,
                        1 => rng.below(64) as u32,
                        2 => u32::MAX,
                        3 => 0x7FFF_FFFF,
                        _ => rng.next() as u32,
                    };
                    d[i..i + 4].copy_from_slice(&v.to_le_bytes());
                }
            }
        }
    }
    d
}

/// The compound file `ole` copied with some of its streams garbled
/// ([`garble`]): the damage lands in the structures the readers parse
/// (FIB, piece table, property streams), not only in the container.
pub fn garble_streams(ole: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut src = cfb::CompoundFile::open(Cursor::new(ole)).unwrap();
    let entries: Vec<(String, bool)> = src
        .walk()
        .map(|e| (e.path().to_string_lossy().into_owned(), e.is_stream()))
        .collect();
    let mut out = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    for (path, is_stream) in entries {
        if path == "/" {
            continue;
        }
        if is_stream {
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut src.open_stream(&path).unwrap(), &mut data).unwrap();
            if rng.below(3) == 0 {
                data = garble(&data, rng);
            }
            out.create_stream(&path).unwrap().write_all(&data).unwrap();
        } else {
            out.create_storage(&path).unwrap();
        }
    }
    out.flush().unwrap();
    out.into_inner().into_inner()
}
