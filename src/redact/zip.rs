//! ZIP archives: every member is redacted by the redactor of its own format
//! (recursively, within the reader's limits), member names that hold personal
//! data are redacted too, and the archive is written again with the same
//! member order, compression method and timestamps. Members are unpacked
//! through the same archive guard as the reader's ([`crate::container::archive`]).
//! One member that cannot be redacted withholds the whole archive.

use super::{Cx, RedactError, Redactor};
use crate::container::archive::{check_depth, Archive, EntryError};
use crate::extract::ExtractError;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

/// The redactor of zip archives: each member redacted by its own format.
pub struct ZipRedactor;

impl Redactor for ZipRedactor {
    fn redact(&self, input: &[u8], cx: &mut Cx<'_>) -> Result<Vec<u8>, RedactError> {
        let limits = cx.limits().archive();
        check_depth(cx.depth, &limits).map_err(ExtractError::from)?;
        let mut archive =
            Archive::open(input, limits, "zip", "entry").map_err(ExtractError::from)?;
        let mut w = ::zip::ZipWriter::new(Cursor::new(Vec::new()));
        let mut names = std::collections::HashSet::new();
        for i in 0..archive.len() {
            let member = match archive.read(i) {
                Ok(m) => m,
                Err(EntryError::Limit(e)) => return Err(ExtractError::from(e).into()),
                Err(e @ EntryError::Encrypted(_)) => {
                    return Err(RedactError::Review(format!("{e}: cannot be redacted")))
                }
                Err(e) => return Err(RedactError::Review(e.to_string())),
            };
            let new_name = redact_name(&member.name, cx);
            if !names.insert(new_name.clone()) {
                return Err(RedactError::Failed(format!(
                    "entry {}: two members would get the same redacted name",
                    i + 1
                )));
            }
            let method = match member.compression {
                CompressionMethod::Stored => CompressionMethod::Stored,
                _ => CompressionMethod::Deflated,
            };
            let mut opts = SimpleFileOptions::default().compression_method(method);
            if let Some(t) = member.last_modified {
                opts = opts.last_modified_time(t);
            }
            if let Some(mode) = member.unix_mode {
                opts = opts.unix_permissions(mode);
            }
            let zerr =
                |e: ::zip::result::ZipError| RedactError::Failed(format!("writing zip: {e}"));
            if member.is_dir {
                w.add_directory(new_name, opts).map_err(zerr)?;
                continue;
            }
            let out = cx.embedded(&new_name, &member.data)?;
            opts = opts.large_file(out.len() as u64 >= u32::MAX as u64);
            w.start_file(new_name, opts).map_err(zerr)?;
            w.write_all(&out)
                .map_err(|e| RedactError::Failed(format!("writing zip: {e}")))?;
        }
        let out = w
            .finish()
            .map_err(|e| RedactError::Failed(format!("writing zip: {e}")))?;
        Ok(out.into_inner())
    }
}

/// A member name with personal data replaced, path separators and the
/// extension kept (as the names of copies on disk, [`Cx::plan_names`]).
fn redact_name(name: &str, cx: &mut Cx<'_>) -> String {
    cx.plan_names(name, 0, crate::pathname::IN_ARCHIVE)
}

#[cfg(test)]
mod tests {
    use super::super::tests::redaction;
    use super::super::Style;
    use super::*;
    use crate::testutil::zip_of;
    use std::io::Read;

    fn members(z: &[u8]) -> Vec<(String, Vec<u8>)> {
        let mut a = ::zip::ZipArchive::new(Cursor::new(z)).unwrap();
        (0..a.len())
            .map(|i| {
                let mut e = a.by_index(i).unwrap();
                let mut d = Vec::new();
                e.read_to_end(&mut d).unwrap();
                (e.name().unwrap().to_string(), d)
            })
            .collect()
    }

    #[test]
    fn members_and_names_are_redacted_recursively() {
        let inner = zip_of(&[("c.txt", b"IBAN NL91ABNA0417164300")]);
        let z = zip_of(&[
            ("a/notitie.txt", b"BSN 123456782"),
            ("post-06-12345678.txt", b"x"),
            ("in.zip", &inner),
        ]);
        let red = redaction(Style::Label, None);
        let mut cx = Cx::new(&red, "z.zip", 0);
        let out = ZipRedactor.redact(&z, &mut cx).unwrap();
        let m = members(&out);
        assert_eq!(m[0], ("a/notitie.txt".into(), b"BSN [BSN]".to_vec()));
        assert_eq!(m[1].0, "post-[telefoon].txt");
        assert_eq!(members(&m[2].1)[0].1, b"IBAN [IBAN]".to_vec());
        let paths: Vec<&str> = cx.children.iter().map(|c| c.file.path.as_str()).collect();
        assert!(paths.contains(&"z.zip!in.zip!c.txt"), "{paths:?}");
    }

    #[test]
    fn a_member_without_redactor_withholds_the_archive() {
        let z = zip_of(&[
            ("a.txt", b"x"),
            ("b.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0"),
        ]);
        let red = redaction(Style::Label, None);
        let mut cx = Cx::new(&red, "z.zip", 0);
        let err = ZipRedactor.redact(&z, &mut cx).unwrap_err();
        assert!(matches!(err, RedactError::Review(_)), "{err}");
        assert!(err.to_string().contains("b.png"), "{err}");
    }
}
