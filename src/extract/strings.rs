//! The strings pass: what can still be read in a file of an unknown binary
//! format (an executable, a database, an image's metadata, a proprietary
//! document). Like `strings(1)`, it collects runs of printable text of at
//! least [`MIN_RUN`] characters, in three encodings at once: UTF-8 (ASCII
//! included), Windows-1252 (single high bytes such as `é` between letters)
//! and UTF-16LE (what Windows programs and OLE files store). Each run keeps
//! its source byte offsets, so findings carry `byte_start`/`byte_end`.
//!
//! Hand-written: no maintained crate extracts multi-encoding strings with
//! offsets from a byte stream (the `strings` tools are programs, not
//! libraries). The file is read in blocks, so memory stays bounded.

use super::{ExtractError, ReadCtx, Reader, Sink, Source};
use crate::document::{Location, Offsets, Segment};
use std::io::Read;

/// Shortest run reported, in characters (`strings -n 6`): shorter runs in
/// binary data are mostly noise, and no finding kind is shorter.
pub const MIN_RUN: usize = 6;

/// Names found by the strings pass need at least this confidence: binary
/// files (executables, `.mo` translation catalogues, fonts) are full of
/// capitalised words that the name detectors would otherwise report.
pub const NAME_MIN_CONFIDENCE: f32 = 0.9;

/// The `format` of a file read by the strings pass.
pub fn format_name(head: &[u8]) -> &'static str {
    if is_image(head) {
        "image"
    } else {
        "binary"
    }
}

/// Why a file read by the strings pass needs review.
pub fn review_reason(head: &[u8]) -> String {
    if is_image(head) {
        "an image: text in its pixels is not read, only the text strings in its data".into()
    } else {
        "binary file of unknown format: only its text strings were read".into()
    }
}

/// Whether `head` starts like a picture (PNG, JPEG, GIF, TIFF, BMP, WebP,
/// HEIC): its text is in its pixels, which no strings pass reads.
pub fn is_image(head: &[u8]) -> bool {
    head.starts_with(b"\x89PNG")
        || head.starts_with(&[0xFF, 0xD8, 0xFF])
        || head.starts_with(b"GIF8")
        || head.starts_with(b"II*\x00")
        || head.starts_with(b"MM\x00*")
        || (head.starts_with(b"BM") && head.len() > 14 && head[6..10] == [0, 0, 0, 0])
        || (head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP"))
        || (head.get(4..8) == Some(b"ftyp")
            && matches!(head.get(8..12), Some(b"heic" | b"heix" | b"mif1" | b"avif")))
}

/// Whether a character may stand in a run.
fn printable(c: char) -> bool {
    !c.is_control() && c != '\u{FFFD}' || c == '\t'
}

/// A UTF-16 code unit that may stand in a UTF-16LE run: the Latin scripts
/// and common punctuation. Other ranges (CJK, ...) are left out: random
/// binary data decodes to them far more often than real text does.
fn utf16_text(u: u16) -> bool {
    matches!(u, 0x09 | 0x20..=0x7E | 0xA0..=0x24F | 0x2010..=0x2027 | 0x20AC)
}

/// One encoding's runs, joined into segments of about `flush_at` bytes.
struct Runs {
    /// Text of finished runs (each followed by a newline).
    text: String,
    points: Vec<(u32, u64)>,
    /// The run being read: its text, checkpoints relative to its start, its
    /// source start and its length in characters.
    run: String,
    run_points: Vec<(u32, u64)>,
    run_start: u64,
    run_chars: usize,
    /// Source offset just past the run's last character.
    run_end: u64,
}

impl Runs {
    fn new() -> Self {
        Runs {
            text: String::new(),
            points: Vec::new(),
            run: String::new(),
            run_points: Vec::new(),
            run_start: 0,
            run_chars: 0,
            run_end: 0,
        }
    }

    /// Add a character whose source bytes are `at..at + width`.
    fn push(&mut self, c: char, at: u64, width: u64) {
        if self.run_chars == 0 {
            self.run.clear();
            self.run_points.clear();
            self.run_start = at;
        } else if at != self.run_end {
            // Not adjacent (the caller skipped bytes): a run ends here.
            self.end();
            return self.push(c, at, width);
        }
        let t = self.run.len() as u32;
        // A checkpoint wherever text and source stop advancing together.
        if c.len_utf8() as u64 != width || self.run_points.is_empty() {
            self.run_points.push((t, at));
        }
        self.run.push(c);
        if c.len_utf8() as u64 != width {
            self.run_points.push((self.run.len() as u32, at + width));
        }
        self.run_chars += 1;
        self.run_end = at + width;
    }

    /// The current run ends; keep it when it is long enough.
    fn end(&mut self) {
        if self.run_chars >= MIN_RUN {
            let base = self.text.len() as u32;
            self.points
                .extend(self.run_points.iter().map(|&(t, s)| (base + t, s)));
            self.text.push_str(&self.run);
            // The separator maps to the byte after the run.
            self.points.push((self.text.len() as u32, self.run_end));
            self.text.push('\n');
        }
        self.run_chars = 0;
    }

    /// Hand the finished runs to `sink` as one segment.
    fn flush(&mut self, sink: &mut dyn Sink) {
        if self.text.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.text);
        let points = std::mem::take(&mut self.points);
        sink.segment(Segment::new(text, Location::default()).with_offsets(Offsets::Table(points)));
    }
}

/// The strings of a byte stream, fed block by block.
struct Strings {
    narrow: Runs,
    wide: Runs,
    /// Where each pass goes on in the next block (source offsets).
    narrow_next: u64,
    wide_next: u64,
    /// Finished runs are handed on once they hold this many bytes.
    flush_at: usize,
}

impl Strings {
    /// Read `block`, which starts at source offset `base` (at or before
    /// where both passes stopped). Unless it is the `last` block, the final
    /// bytes are left for the next block (a character may be cut there).
    /// Returns how many bytes of `block` no pass needs again.
    fn feed(&mut self, block: &[u8], base: u64, last: bool) -> usize {
        let stop = if last {
            block.len()
        } else {
            block.len().saturating_sub(4)
        };
        // Narrow pass: UTF-8, with Windows-1252 for bytes that are not UTF-8.
        let mut i = (self.narrow_next - base) as usize;
        while i < stop {
            let b = block[i];
            let at = base + i as u64;
            if b < 0x80 {
                if printable(b as char) {
                    self.narrow.push(b as char, at, 1);
                } else {
                    self.narrow.end();
                }
                i += 1;
                continue;
            }
            let width = match b {
                0xC2..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xF4 => 4,
                _ => 0,
            };
            let utf8 = (width > 0 && i + width <= block.len())
                .then(|| std::str::from_utf8(&block[i..i + width]).ok())
                .flatten()
                .and_then(|s| s.chars().next());
            match utf8 {
                Some(c) if printable(c) => {
                    self.narrow.push(c, at, width as u64);
                    i += width;
                }
                _ => {
                    // One Windows-1252 byte, when it is a letter or a sign
                    // text uses (é, ë, €, ’); anything else ends the run.
                    let (s, _) =
                        encoding_rs::WINDOWS_1252.decode_without_bom_handling(&block[i..i + 1]);
                    match s.chars().next() {
                        Some(c) if c.is_alphabetic() || "€‘’“”–—«»°§".contains(c) => {
                            self.narrow.push(c, at, 1)
                        }
                        _ => self.narrow.end(),
                    }
                    i += 1;
                }
            }
        }
        self.narrow_next = base + i as u64;
        // Wide pass: UTF-16LE units at either alignment. A unit that is text
        // extends the run two bytes on; anything else moves one byte on.
        let mut j = (self.wide_next - base) as usize;
        while j + 1 < block.len() && j < stop {
            let u = u16::from_le_bytes([block[j], block[j + 1]]);
            let at = base + j as u64;
            let going = self.wide.run_chars > 0 && at == self.wide.run_end;
            // Only a unit with a zero high byte starts a run: a pair of
            // ASCII bytes ("ab" = U+6261) is not UTF-16 text.
            if utf16_text(u) && (going || block[j + 1] == 0) {
                if !going {
                    self.wide.end();
                }
                self.wide
                    .push(char::from_u32(u32::from(u)).unwrap_or(' '), at, 2);
                j += 2;
            } else {
                self.wide.end();
                j += 1;
            }
        }
        if last {
            j = j.max(block.len());
        }
        self.wide_next = base + j as u64;
        (self.narrow_next.min(self.wide_next) - base) as usize
    }

    fn flush(&mut self, sink: &mut dyn Sink, force: bool) {
        for runs in [&mut self.narrow, &mut self.wide] {
            if force {
                runs.end();
            }
            if force || runs.text.len() >= self.flush_at {
                runs.flush(sink);
            }
        }
    }
}

/// The strings-pass reader.
pub struct StringsReader;

impl Reader for StringsReader {
    fn read(
        &self,
        src: &Source,
        ctx: &ReadCtx<'_>,
        sink: &mut dyn Sink,
    ) -> Result<(), ExtractError> {
        let block_size = ctx.limits.chunk_size.max(1 << 12);
        let mut strings = Strings {
            narrow: Runs::new(),
            wide: Runs::new(),
            narrow_next: 0,
            wide_next: 0,
            flush_at: block_size,
        };
        let mut reader = src.reader()?;
        let mut buf: Vec<u8> = Vec::with_capacity(block_size + 4);
        let mut base: u64 = 0;
        loop {
            ctx.check()?;
            let want = block_size.saturating_sub(buf.len()) as u64;
            let n = (&mut reader).take(want).read_to_end(&mut buf)?;
            let last = n == 0 || (n as u64) < want;
            let used = strings.feed(&buf, base, last);
            if last {
                strings.flush(sink, true);
                return Ok(());
            }
            strings.flush(sink, false);
            buf.drain(..used);
            base += used as u64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testutil::run_with;
    use crate::extract::Limits;

    fn strings_of(data: &[u8], chunk: usize) -> Vec<Segment> {
        let limits = Limits {
            chunk_size: chunk,
            ..Limits::default()
        };
        run_with(&StringsReader, data.to_vec(), &limits)
            .unwrap()
            .segs
    }

    /// Every run found, with the source bytes its text maps back to.
    fn runs(segs: &[Segment]) -> Vec<(String, u64, u64)> {
        let mut out = Vec::new();
        for s in segs {
            let mut at = 0;
            for line in s.text.split_terminator('\n') {
                let start = s.offsets.source(at).unwrap();
                let end = s.offsets.source(at + line.len()).unwrap();
                out.push((line.to_string(), start, end));
                at += line.len() + 1;
            }
        }
        out
    }

    fn blob() -> Vec<u8> {
        let mut b = vec![0u8, 1, 2, 0xFF, 0x90];
        b.extend_from_slice(b"BSN 111222333;");
        b.extend_from_slice(&[0, 0, 7, 0x81]);
        b.extend_from_slice(b"Ren\xe9 p.jansen@example.nl");
        b.extend_from_slice(&[0, 3, 0]);
        b.extend_from_slice("Zoë Straße".as_bytes());
        b.extend_from_slice(&[0, 0xFE]);
        b.extend(
            "tel 0612345678"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        );
        b.extend_from_slice(&[0, 0, 1, 0, b'a', b'b', 0]);
        b
    }

    #[test]
    fn finds_runs_in_three_encodings_with_source_offsets() {
        let data = blob();
        let found = runs(&strings_of(&data, 1 << 20));
        let texts: Vec<&str> = found.iter().map(|r| r.0.as_str()).collect();
        assert!(texts.contains(&"BSN 111222333;"), "{texts:?}");
        assert!(texts.contains(&"René p.jansen@example.nl"), "{texts:?}");
        assert!(texts.contains(&"Zoë Straße"), "{texts:?}");
        assert!(texts.contains(&"tel 0612345678"), "{texts:?}");
        // short runs ("ab") are not reported
        assert!(!texts.iter().any(|t| t.len() < MIN_RUN), "{texts:?}");
        for (text, start, end) in &found {
            let raw = &data[*start as usize..*end as usize];
            let decoded = if raw.len() > 1 && raw[1] == 0 {
                String::from_utf16_lossy(
                    &raw.chunks(2)
                        .map(|c| u16::from_le_bytes([c[0], c[1]]))
                        .collect::<Vec<_>>(),
                )
            } else if std::str::from_utf8(raw).is_ok() {
                String::from_utf8(raw.to_vec()).unwrap()
            } else {
                encoding_rs::WINDOWS_1252.decode(raw).0.into_owned()
            };
            assert_eq!(&decoded, text);
        }
        // a character inside a run maps to its own bytes
        let seg = &strings_of(&data, 1 << 20)[0];
        let at = seg.text.find("p.jansen").unwrap();
        let src = seg.offsets.source(at).unwrap() as usize;
        assert_eq!(&data[src..src + 8], b"p.jansen");
    }

    #[test]
    fn block_boundaries_do_not_change_the_runs() {
        let mut data = Vec::new();
        for i in 0..400 {
            data.extend_from_slice(&blob());
            data.extend_from_slice(format!("nummer {i} café\x00").as_bytes());
        }
        let whole = runs(&strings_of(&data, 1 << 24));
        for chunk in [4096, 4099, 5000] {
            let mut cut = runs(&strings_of(&data, chunk));
            let mut w = whole.clone();
            cut.sort_by_key(|r| r.1);
            w.sort_by_key(|r| r.1);
            assert_eq!(cut, w, "chunk {chunk}");
        }
    }

    #[test]
    fn images_are_recognized() {
        assert!(is_image(b"\x89PNG\r\n\x1a\n"));
        assert!(is_image(&[0xFF, 0xD8, 0xFF, 0xE0]));
        assert!(!is_image(b"PK\x03\x04"));
        assert!(!is_image(b"BSN 111222333"));
    }
}
