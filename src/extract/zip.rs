//! ZIP archives: every entry is handed back to the pipeline as an embedded
//! file (`a.zip!dir/b.txt`), and its name is read as text of the archive
//! (location part `member name`, as [`crate::pathname`] reads names; the
//! zip redactor replaces what is found there), within the limits of the archive guard
//! ([`crate::container::archive`]: entry count, total unpacked size,
//! per-entry compression ratio and nesting depth). An encrypted or unreadable
//! entry is `needs_review`; the other entries are still read.

use super::{ExtractError, ReadCtx, Reader, Sink, Source};
use crate::container::archive::{check_depth, Archive, EntryError};

/// The reader of zip archives: each member is read by its own format.
pub struct ZipReader;

impl Reader for ZipReader {
    fn read(
        &self,
        src: &Source,
        ctx: &ReadCtx<'_>,
        sink: &mut dyn Sink,
    ) -> Result<(), ExtractError> {
        let limits = ctx.limits.archive();
        check_depth(ctx.depth, &limits)?;
        let bytes = src.bytes()?;
        let mut archive = Archive::open(&bytes, limits, "zip", "entry")?;
        for i in 0..archive.len() {
            ctx.check()?;
            let member = match archive.read(i) {
                Ok(m) => m,
                Err(EntryError::Limit(e)) => {
                    // The name was read even where its content was not.
                    if let Some(name) = archive.name(i) {
                        name_segments(&name, sink);
                    }
                    return Err(e.into());
                }
                Err(e) => {
                    if let Some(name) = archive.name(i) {
                        name_segments(&name, sink);
                    }
                    sink.needs_review(e.to_string());
                    continue;
                }
            };
            if member.is_dir {
                continue;
            }
            let name = name_segments(&member.name, sink);
            sink.embedded(&name, member.data);
        }
        Ok(())
    }
}

/// Give `sink` the text of member name `raw` (location part `member name`);
/// the name with control characters (NUL, ...) replaced, as reports show it.
fn name_segments(raw: &str, sink: &mut dyn Sink) -> String {
    let name: String = raw
        .chars()
        .map(|c| if c.is_control() { '_' } else { c })
        .collect();
    for n in crate::pathname::names(&name, 0, crate::pathname::IN_ARCHIVE) {
        sink.segment(crate::document::Segment::new(
            n.text,
            crate::document::Location::part(n.part),
        ));
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Segment;
    use crate::extract::Limits;
    use crate::testutil::zip_of;

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

    #[test]
    fn lists_entries() {
        let z = zip_of(&[("a/b.txt", b"x"), ("c.csv", b"y")]);
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
        let z = zip_of(&[("bomb.txt", &big)]);
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
        let z = zip_of(&[("a", b"1"), ("b", b"2")]);
        assert!(ZipReader
            .read(&Source::Memory(z), &ReadCtx::new(&few, 0), &mut c)
            .is_err());
    }

    #[test]
    fn control_characters_in_names_are_replaced() {
        let z = zip_of(&[("a\u{0}PK\u{6}\u{6}.txt", b"x")]);
        let mut c = Collect::default();
        let limits = Limits::default();
        ZipReader
            .read(&Source::Memory(z), &ReadCtx::new(&limits, 0), &mut c)
            .unwrap();
        assert_eq!(c.0, vec!["a_PK__.txt"]);
    }

    #[test]
    fn member_names_are_read_as_text() {
        struct Names(Vec<(String, Option<String>)>);
        impl Sink for Names {
            fn segment(&mut self, s: Segment) {
                self.0.push((s.text, s.loc.part));
            }
            fn embedded(&mut self, _: &str, _: Vec<u8>) {}
            fn needs_review(&mut self, _: String) {}
        }
        let z = zip_of(&[("post_J_de_Vries/bsn 123456782.txt", b"x")]);
        let mut n = Names(Vec::new());
        let limits = Limits::default();
        ZipReader
            .read(&Source::Memory(z), &ReadCtx::new(&limits, 0), &mut n)
            .unwrap();
        let part = Some(crate::pathname::MEMBER_NAME.to_string());
        assert_eq!(
            n.0,
            vec![
                ("post J de Vries".to_string(), part.clone()),
                ("bsn 123456782".to_string(), part)
            ]
        );
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
