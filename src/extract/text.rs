//! Plain text: encoding detection (UTF-8, UTF-16 with BOM, Windows-1252
//! fallback) and chunked streaming of large files with overlap, so that a
//! 500 MB one-line file costs a bounded amount of memory.

use super::{ExtractError, ReadCtx, Reader, Sink, Source};
use crate::document::{Location, Offsets, Segment};
use std::io::Read;

/// Bytes repeated between consecutive chunks: longer than any finding plus
/// the context a detector looks at.
pub const OVERLAP: usize = 512;

/// Bytes looked at to decide the encoding.
pub const SAMPLE: usize = 1 << 16;

/// A text encoding zwartlak decodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8.
    Utf8,
    /// UTF-16, little-endian.
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
    /// Windows-1252, the fallback for text that is not valid UTF-8.
    Windows1252,
}

/// Strip a UTF-8 byte order mark.
pub fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(b)
}

/// True when the bytes look like a binary file (NUL bytes or many control
/// characters), unless they carry a UTF-16 byte order mark.
pub fn looks_binary(head: &[u8]) -> bool {
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    let sample = &head[..head.len().min(8192)];
    if memchr::memchr(0, sample).is_some() {
        return true;
    }
    let control = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    control * 20 > sample.len().max(1)
}

/// True when bytes that [`looks_binary`] flags are still mostly text: at
/// least 90 % printable characters (UTF-8, or a Windows-1252 letter between
/// ASCII letters), the rest NUL or control bytes. Such a file (a CSV export
/// with a stray NUL, a log with escape codes) is read as text, the way
/// ripgrep reads through binary data; anything else gets the strings pass.
pub fn mostly_text(head: &[u8]) -> bool {
    let sample = &head[..head.len().min(8192)];
    if sample.is_empty() {
        return true;
    }
    let mut text = 0usize;
    for chunk in sample.utf8_chunks() {
        text += chunk
            .valid()
            .chars()
            .filter(|&c| !c.is_control() || matches!(c, '\n' | '\r' | '\t' | '\x0C'))
            .map(char::len_utf8)
            .sum::<usize>();
        // A lone high byte between ASCII letters: Windows-1252 text.
        let bad = chunk.invalid();
        if bad.len() == 1 {
            let end =
                chunk.valid().as_ptr() as usize - sample.as_ptr() as usize + chunk.valid().len();
            let before = chunk.valid().chars().next_back();
            let after = sample.get(end + 1).copied();
            if before.is_some_and(|c| c.is_ascii_alphabetic())
                && after.is_some_and(|b| b.is_ascii_alphabetic())
            {
                text += 1;
            }
        }
    }
    text * 10 >= sample.len() * 9
}

/// The note of a text file that held NUL or control characters.
pub const HELD_BINARY: &str = "held binary data (NUL or control characters); read as text";

/// Whether decoded text holds NUL or C0 control characters other than tab,
/// line feed, carriage return and form feed.
pub fn has_control(text: &str) -> bool {
    text.bytes()
        .any(|b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))
}

/// Detect the encoding from the first bytes: BOMs first, then UTF-8 validity,
/// else Windows-1252. Returns the encoding and the BOM length.
pub fn detect_encoding(head: &[u8]) -> (Encoding, usize) {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return (Encoding::Utf8, 3);
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return (Encoding::Utf16Le, 2);
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return (Encoding::Utf16Be, 2);
    }
    match std::str::from_utf8(head) {
        Ok(_) => (Encoding::Utf8, 0),
        // A multi-byte character cut at the end of a full sample is still UTF-8.
        Err(e) if e.error_len().is_none() && head.len() >= SAMPLE => (Encoding::Utf8, 0),
        Err(_) => (Encoding::Windows1252, 0),
    }
}

/// Decode `raw` (which starts at source offset `base`) to text, with a map
/// from text offsets back to source offsets. Invalid UTF-8 sequences become
/// U+FFFD; nothing ever fails.
pub fn decode(raw: &[u8], enc: Encoding, base: u64) -> (String, Offsets) {
    match enc {
        Encoding::Utf8 => match std::str::from_utf8(raw) {
            Ok(s) => (s.to_string(), Offsets::Linear(base)),
            Err(_) => decode_lossy_utf8(raw, base),
        },
        Encoding::Windows1252 => {
            if raw.is_ascii() {
                // Valid ASCII is valid UTF-8: no copy of the mapping needed.
                return (
                    String::from_utf8_lossy(raw).into_owned(),
                    Offsets::Linear(base),
                );
            }
            let mut text = String::with_capacity(raw.len() + raw.len() / 8);
            let mut points = vec![(0u32, base)];
            for (i, &b) in raw.iter().enumerate() {
                if b < 0x80 {
                    text.push(b as char);
                } else {
                    let (cow, _) =
                        encoding_rs::WINDOWS_1252.decode_without_bom_handling(&raw[i..i + 1]);
                    text.push_str(&cow);
                    points.push((text.len() as u32, base + i as u64 + 1));
                }
            }
            (text, Offsets::Table(points))
        }
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let unit = |i: usize| -> u16 {
                let (a, b) = (raw[i], raw[i + 1]);
                if enc == Encoding::Utf16Le {
                    u16::from_le_bytes([a, b])
                } else {
                    u16::from_be_bytes([a, b])
                }
            };
            let units = (0..raw.len() / 2).map(|k| unit(2 * k));
            let mut text = String::with_capacity(raw.len() / 2);
            let mut points = Vec::with_capacity(raw.len() / 2);
            let mut src = 0usize;
            for r in char::decode_utf16(units) {
                points.push((text.len() as u32, base + src as u64));
                let c = r.unwrap_or(char::REPLACEMENT_CHARACTER);
                src += if (c as u32) >= 0x10000 { 4 } else { 2 };
                text.push(c);
            }
            points.push((text.len() as u32, base + src as u64));
            (text, Offsets::Table(points))
        }
    }
}

fn decode_lossy_utf8(raw: &[u8], base: u64) -> (String, Offsets) {
    let mut text = String::with_capacity(raw.len());
    let mut points = vec![(0u32, base)];
    for chunk in raw.utf8_chunks() {
        let start = chunk.valid().as_ptr() as usize - raw.as_ptr() as usize;
        points.push((text.len() as u32, base + start as u64));
        text.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            text.push(char::REPLACEMENT_CHARACTER);
        }
    }
    (text, Offsets::Table(points))
}

/// Largest `i <= at` that is a character boundary of `raw` in `enc`.
fn boundary(raw: &[u8], at: usize, enc: Encoding, origin: usize) -> usize {
    let mut i = at.min(raw.len());
    match enc {
        Encoding::Utf8 => {
            let floor = i.saturating_sub(4);
            while i > floor && i < raw.len() && (raw[i] & 0xC0) == 0x80 {
                i -= 1;
            }
            i
        }
        Encoding::Utf16Le | Encoding::Utf16Be => {
            if (i - origin.min(i)) % 2 == 1 {
                i -= 1;
            }
            // Do not split a surrogate pair.
            if i >= 2 && i + 1 < raw.len() {
                let hi = if enc == Encoding::Utf16Le {
                    raw[i + 1]
                } else {
                    raw[i]
                };
                if (0xDC..=0xDF).contains(&hi) {
                    i -= 2;
                }
            }
            i
        }
        Encoding::Windows1252 => i,
    }
}

/// Plain text reader.
pub struct TextReader;

impl Reader for TextReader {
    fn read(
        &self,
        src: &Source,
        ctx: &ReadCtx<'_>,
        sink: &mut dyn Sink,
    ) -> Result<(), ExtractError> {
        if src.len() <= ctx.limits.stream_threshold {
            let bytes = src.bytes()?;
            let (enc, bom) = detect_encoding(&bytes[..bytes.len().min(SAMPLE)]);
            let (text, offsets) = decode(&bytes[bom..], enc, bom as u64);
            sink.segment(Segment::new(text, Location::line(1)).with_offsets(offsets));
            return Ok(());
        }
        stream_chunks(src, ctx, sink)
    }
}

/// Decode a whole small file to one string (used by the structured text
/// readers: CSV, JSON, markup). Returns the text and its offsets.
pub fn decode_all(bytes: &[u8]) -> (String, Offsets) {
    let (enc, bom) = detect_encoding(&bytes[..bytes.len().min(SAMPLE)]);
    decode(&bytes[bom..], enc, bom as u64)
}

/// Stream a large text file as overlapping chunks. Chunk `i` owns the source
/// bytes `c_i..c_{i+1}` and carries `OVERLAP` bytes of context on both sides;
/// only findings that start in the owned part are kept (see `Segment::own`).
/// The chunk size is `limits.chunk_size`; the time budget is checked per chunk.
pub fn stream_chunks(
    src: &Source,
    ctx: &ReadCtx<'_>,
    sink: &mut dyn Sink,
) -> Result<(), ExtractError> {
    let chunk = ctx.limits.chunk_size.max(4 * OVERLAP);
    let mut reader = src.reader()?;
    let mut head = Vec::new();
    (&mut reader).take(SAMPLE as u64).read_to_end(&mut head)?;
    let (enc, bom) = detect_encoding(&head);
    // window holds source bytes starting at source offset win_start.
    let mut window = head;
    let mut win_start: u64 = 0;
    let mut own_start: u64 = bom as u64;
    let mut eof = false;
    let mut line: u64 = 1;
    loop {
        ctx.check()?;
        let want = (own_start - win_start) as usize + chunk + OVERLAP;
        if !eof && window.len() < want {
            let need = (want - window.len()) as u64;
            let n = (&mut reader).take(need).read_to_end(&mut window)?;
            eof = (n as u64) < need;
        }
        let origin = (bom as u64).saturating_sub(win_start) as usize;
        let own_lo = (own_start - win_start) as usize;
        let last = eof && window.len() <= own_lo + chunk;
        let own_hi = if last {
            window.len()
        } else {
            let b = boundary(&window, own_lo + chunk, enc, origin);
            if b <= own_lo {
                own_lo + chunk
            } else {
                b
            }
        };
        let left = boundary(
            &window,
            own_lo.saturating_sub(OVERLAP).max(origin),
            enc,
            origin,
        );
        let right = if last {
            own_hi
        } else {
            boundary(&window, (own_hi + OVERLAP).min(window.len()), enc, origin)
        };
        let (text, offsets) = decode(&window[left..right], enc, win_start + left as u64);
        let own_text_lo = offsets.text_at(win_start + own_lo as u64, text.len());
        let own_text_hi = offsets.text_at(win_start + own_hi as u64, text.len());
        let left_lines = memchr::memchr_iter(b'\n', &text.as_bytes()[..own_text_lo]).count() as u64;
        let mut seg = Segment::new(text, Location::line(line.saturating_sub(left_lines).max(1)))
            .with_offsets(offsets);
        let own_lines = memchr::memchr_iter(b'\n', &seg.text.as_bytes()[own_text_lo..own_text_hi])
            .count() as u64;
        seg.own = Some(own_text_lo..own_text_hi);
        sink.segment(seg);
        line += own_lines;
        if last {
            return Ok(());
        }
        own_start = win_start + own_hi as u64;
        // Drop what no later chunk needs.
        let keep_from = own_hi.saturating_sub(OVERLAP + 8);
        window.drain(..keep_from);
        win_start += keep_from as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testutil::Collect;

    static SMALL: std::sync::LazyLock<crate::extract::Limits> =
        std::sync::LazyLock::new(|| crate::extract::Limits {
            chunk_size: 4096,
            ..crate::extract::Limits::default()
        });

    /// A context that streams in 4 KiB chunks.
    fn small_chunks() -> ReadCtx<'static> {
        ReadCtx::new(&SMALL, 0)
    }

    #[test]
    fn detects_encodings() {
        assert_eq!(detect_encoding(b"abc"), (Encoding::Utf8, 0));
        assert_eq!(detect_encoding("café".as_bytes()), (Encoding::Utf8, 0));
        assert_eq!(detect_encoding(b"caf\xe9"), (Encoding::Windows1252, 0));
        assert_eq!(detect_encoding(b"\xef\xbb\xbfx"), (Encoding::Utf8, 3));
        assert_eq!(detect_encoding(b"\xff\xfex\x00"), (Encoding::Utf16Le, 2));
        // a multi-byte char cut at the end of a full sample
        let mut long = vec![b'a'; SAMPLE - 1];
        long.push(0xC3);
        assert_eq!(detect_encoding(&long), (Encoding::Utf8, 0));
    }

    #[test]
    fn windows_1252_maps_offsets() {
        let (t, o) = decode(b"Caf\xe9 \x80 5", Encoding::Windows1252, 10);
        assert_eq!(t, "Café € 5");
        let euro = t.find('€').unwrap();
        assert_eq!(o.source(euro), Some(15));
        assert_eq!(o.source(t.len()), Some(18));
    }

    #[test]
    fn utf16_decodes() {
        let raw: Vec<u8> = "BSN 1"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let (t, o) = decode(&raw, Encoding::Utf16Le, 2);
        assert_eq!(t, "BSN 1");
        assert_eq!(o.source(4), Some(10));
    }

    #[test]
    fn lossy_utf8_never_fails() {
        let (t, _) = decode(b"ab\xff\xfecd", Encoding::Utf8, 0);
        assert!(t.starts_with("ab") && t.ends_with("cd") && t.contains('\u{FFFD}'));
    }

    #[test]
    fn streams_every_encoding_without_loss() {
        let line = "regel met tekst café € 06-12345678\n";
        let utf8: Vec<u8> = line.repeat(3000).into_bytes();
        let cp1252: Vec<u8> = encoding_rs::WINDOWS_1252
            .encode(&line.repeat(3000))
            .0
            .into_owned();
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(
            line.repeat(3000)
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        );
        for data in [utf8, cp1252, utf16] {
            let mut sink = Collect::default();
            stream_chunks(&Source::Memory(data), &small_chunks(), &mut sink).unwrap();
            let joined: String = sink
                .segs
                .iter()
                .map(|s| &s.text[s.own.clone().unwrap()])
                .collect();
            assert_eq!(joined, line.repeat(3000));
        }
    }

    #[test]
    fn streams_with_overlap_and_owned_ranges() {
        let mut data = Vec::new();
        for i in 0..20000 {
            data.extend_from_slice(format!("regel {i} met tekst é\n").as_bytes());
        }
        let src = Source::Memory(data.clone());
        let mut sink = Collect::default();
        stream_chunks(&src, &small_chunks(), &mut sink).unwrap();
        assert!(sink.segs.len() > 10);
        // The owned parts, joined, are exactly the file.
        let joined: String = sink
            .segs
            .iter()
            .map(|s| &s.text[s.own.clone().unwrap()])
            .collect();
        assert_eq!(joined.as_bytes(), &data[..]);
        // Lines are counted across chunks.
        let s = &sink.segs[3];
        let own = s.own.clone().unwrap();
        let loc = s.locate(own.start, own.start + 1);
        let line_at = data[..loc.byte_start.unwrap() as usize]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64
            + 1;
        assert_eq!(loc.line, Some(line_at));
    }
}
