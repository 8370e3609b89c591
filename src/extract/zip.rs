//! ZIP archives: every entry is handed back to the pipeline as an embedded
//! file (`a.zip!dir/b.txt`), within limits on entry count, total unpacked
//! size, per-entry compression ratio and nesting depth. Sizes in headers are
//! not trusted: reading stops at the limit whatever the header claims.

use super::{ExtractError, ReadCtx, Reader, Sink, Source};
use std::io::{Cursor, Read};

pub struct ZipReader;

impl Reader for ZipReader {
    fn read(
        &self,
        src: &Source,
        ctx: &ReadCtx<'_>,
        sink: &mut dyn Sink,
    ) -> Result<(), ExtractError> {
        let limits = ctx.limits;
        if ctx.depth >= limits.max_depth {
            return Err(ExtractError::Limit(format!(
                "archive nested deeper than {} levels",
                limits.max_depth
            )));
        }
        let bytes = src.bytes()?;
        let mut archive = ::zip::ZipArchive::new(Cursor::new(&bytes[..]))
            .map_err(|e| ExtractError::parse("zip", e))?;
        if archive.len() > limits.max_entries {
            return Err(ExtractError::Limit(format!(
                "{} entries, more than the limit of {}",
                archive.len(),
                limits.max_entries
            )));
        }
        let mut unpacked: u64 = 0;
        for i in 0..archive.len() {
            ctx.check()?;
            let mut entry = match archive.by_index(i) {
                Ok(e) => e,
                Err(::zip::result::ZipError::UnsupportedArchive(msg))
                    if msg.contains("ncrypt") || msg.contains("assword") =>
                {
                    sink.needs_review(format!("entry {} is encrypted", i + 1));
                    continue;
                }
                Err(e) => {
                    sink.needs_review(format!("entry {} cannot be read: {e}", i + 1));
                    continue;
                }
            };
            if entry.is_dir() {
                continue;
            }
            let name = entry
                .name()
                .map(|n| n.replace('\\', "/").trim_start_matches('/').to_string())
                .unwrap_or_else(|_| String::from_utf8_lossy(entry.name_raw()).into_owned());
            // Control characters (NUL, ...) in a name would end up in report paths.
            let name: String = name
                .chars()
                .map(|c| if c.is_control() { '_' } else { c })
                .collect();
            if entry.encrypted() {
                sink.needs_review(format!("entry {name} is encrypted"));
                continue;
            }
            let compressed = entry.compressed_size().max(1);
            let declared = entry.size();
            if declared / compressed > limits.max_ratio && declared > 1 << 20 {
                return Err(ExtractError::Limit(format!(
                    "entry {name}: compression ratio {} over the limit of {}",
                    declared / compressed,
                    limits.max_ratio
                )));
            }
            let room = limits
                .max_unpacked
                .saturating_sub(unpacked)
                .min(limits.max_member_size);
            let mut data = Vec::with_capacity(declared.min(room).min(64 << 20) as usize);
            let read = (&mut entry).take(room + 1).read_to_end(&mut data);
            if let Err(e) = read {
                sink.needs_review(format!("entry {name} cannot be unpacked: {e}"));
                continue;
            }
            if data.len() as u64 > room {
                return Err(ExtractError::Limit(format!(
                    "entry {name}: unpacked size over the limit ({} bytes in all, {} per entry)",
                    limits.max_unpacked, limits.max_member_size
                )));
            }
            if data.len() as u64 / compressed > limits.max_ratio && data.len() > 1 << 20 {
                return Err(ExtractError::Limit(format!(
                    "entry {name}: compression ratio over the limit of {}",
                    limits.max_ratio
                )));
            }
            unpacked += data.len() as u64;
            drop(entry);
            sink.embedded(&name, data);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Segment;
    use crate::extract::Limits;
    use std::io::Write;

    #[derive(Default)]
    struct Collect(Vec<String>, Vec<String>);
    impl Sink for Collect {
        fn segment(&mut self, _: Segment) {}
        fn embedded(&mut self, n: &str, _: Vec<u8>) {
            self.0.push(n.to_string())
        }
        fn needs_review(&mut self, r: String) {
            self.1.push(r)
        }
    }

    fn make(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = ::zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (n, d) in entries {
            w.start_file(*n, ::zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(d).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn lists_entries() {
        let z = make(&[("a/b.txt", b"x"), ("c.csv", b"y")]);
        let mut c = Collect::default();
        let limits = Limits::default();
        ZipReader
            .read(&Source::Memory(z), &ReadCtx::new(&limits, 0), &mut c)
            .unwrap();
        assert_eq!(c.0, vec!["a/b.txt", "c.csv"]);
    }

    #[test]
    fn enforces_limits() {
        let big = vec![b'a'; 4 << 20];
        let z = make(&[("bomb.txt", &big)]);
        let mut c = Collect::default();
        let limits = Limits::default();
        let err = ZipReader
            .read(
                &Source::Memory(z.clone()),
                &ReadCtx::new(&limits, 0),
                &mut c,
            )
            .unwrap_err();
        assert!(err.to_string().contains("ratio"), "{err}");
        let deep = ZipReader
            .read(&Source::Memory(z), &ReadCtx::new(&limits, 9), &mut c)
            .unwrap_err();
        assert!(deep.to_string().contains("nested"));
        let few = Limits {
            max_entries: 1,
            ..Limits::default()
        };
        let z = make(&[("a", b"1"), ("b", b"2")]);
        assert!(ZipReader
            .read(&Source::Memory(z), &ReadCtx::new(&few, 0), &mut c)
            .is_err());
    }

    #[test]
    fn control_characters_in_names_are_replaced() {
        let z = make(&[("a\u{0}PK\u{6}\u{6}.txt", b"x")]);
        let mut c = Collect::default();
        let limits = Limits::default();
        ZipReader
            .read(&Source::Memory(z), &ReadCtx::new(&limits, 0), &mut c)
            .unwrap();
        assert_eq!(c.0, vec!["a_PK__.txt"]);
    }

    #[test]
    fn garbage_is_an_error() {
        let mut c = Collect::default();
        let limits = Limits::default();
        assert!(ZipReader
            .read(
                &Source::Memory(b"PK\x03\x04garbage".to_vec()),
                &ReadCtx::new(&limits, 0),
                &mut c
            )
            .is_err());
    }
}
