//! OLE compound files (legacy XLS, DOC and Outlook MSG, and the wrapper of
//! an encrypted OOXML package): recognised by their magic bytes and, from
//! the directory names in the first bytes, as a Word document or an Outlook
//! message; opened with the `cfb` crate ([`Ole`]), which owns the sector
//! chains (and their loops). What is read from it is bounded here: a stream
//! is read up to a byte limit, and a storage copied out as a compound file
//! of its own ([`Ole::extract_storage`]) is bounded in size and entry count.
//! A panic inside `cfb` on a damaged file is an error, never a crash.

use super::ContainerError;
use std::io::{Cursor, Read, Write};

/// The first eight bytes of every OLE compound file.
pub const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Whether the bytes are an OLE compound file (XLS, DOC, or an encrypted
/// OOXML package).
pub fn is_ole(bytes: &[u8]) -> bool {
    bytes.starts_with(&OLE_MAGIC)
}

/// `name` in UTF-16LE, as directory entries spell it.
fn utf16(name: &str) -> Vec<u8> {
    name.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

/// Whether an OLE compound file is an encrypted OOXML package (its directory
/// names the `EncryptedPackage` stream, in UTF-16).
pub fn is_encrypted_package(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, &utf16("EncryptedPackage")).is_some()
}

/// Whether the first bytes of an OLE file hold the directory of an Outlook
/// message (`__substg1.0_` or `__properties_version1.0` entries). Only a
/// hint: a directory further into the file is not seen.
pub fn looks_like_msg(head: &[u8]) -> bool {
    memchr::memmem::find(head, &utf16("__substg1.0_")).is_some()
        || memchr::memmem::find(head, &utf16("__properties_version1.0")).is_some()
}

/// Whether the first bytes of an OLE file hold the directory of a Word
/// document (a `WordDocument` stream). Only a hint, like [`looks_like_msg`].
pub fn looks_like_word(head: &[u8]) -> bool {
    memchr::memmem::find(head, &utf16("WordDocument")).is_some()
}

/// Where the first sector of the directory of an OLE file starts, from its
/// header (sector size and first directory sector): the directory names
/// the streams, and often lies past the first bytes a sniffer sees.
pub fn directory_offset(head: &[u8]) -> Option<u64> {
    if !is_ole(head) {
        return None;
    }
    let shift = u16::from_le_bytes(head.get(30..32)?.try_into().ok()?);
    let first = u32::from_le_bytes(head.get(48..52)?.try_into().ok()?);
    if !(shift == 9 || shift == 12) || first >= 0xFFFF_FFFA {
        return None;
    }
    Some((u64::from(first) + 1) << shift)
}

/// One entry of a storage.
#[derive(Clone, Debug)]
pub struct OleEntry {
    /// The entry's name (not its path).
    pub name: String,
    /// A storage (true) or a stream.
    pub storage: bool,
    /// The declared length of a stream (not to be trusted).
    pub len: u64,
}

/// An open compound file, read from memory.
pub struct Ole<'a> {
    file: cfb::CompoundFile<Cursor<&'a [u8]>>,
    format: &'static str,
}

fn damaged(format: &'static str, what: &str) -> ContainerError {
    ContainerError::Parse {
        format,
        detail: format!("damaged OLE compound file ({what})"),
    }
}

impl<'a> Ole<'a> {
    /// Open `bytes` as a compound file; `format` names the file's format in
    /// errors.
    pub fn open(bytes: &'a [u8], format: &'static str) -> Result<Self, ContainerError> {
        if !is_ole(bytes) {
            return Err(ContainerError::Parse {
                format,
                detail: "not an OLE compound file (no OLE signature)".into(),
            });
        }
        match crate::panics::catch(|| cfb::CompoundFile::open(Cursor::new(bytes))) {
            Ok(Ok(file)) => Ok(Ole { file, format }),
            Ok(Err(e)) => Err(ContainerError::Parse {
                format,
                detail: format!("not a readable OLE compound file: {e}"),
            }),
            Err(_) => Err(damaged(format, "the directory cannot be read")),
        }
    }

    /// Whether `path` names a stream.
    pub fn is_stream(&self, path: &str) -> bool {
        crate::panics::catch(|| self.file.is_stream(path)).unwrap_or(false)
    }

    /// Whether `path` names a storage.
    pub fn is_storage(&self, path: &str) -> bool {
        crate::panics::catch(|| self.file.is_storage(path)).unwrap_or(false)
    }

    /// The entries of the storage at `path` (`/` for the root), at most
    /// `max` of them.
    pub fn entries(&self, path: &str, max: usize) -> Result<Vec<OleEntry>, ContainerError> {
        let format = self.format;
        let listed = crate::panics::catch(|| {
            self.file.read_storage(path).map(|it| {
                it.take(max + 1)
                    .map(|e| OleEntry {
                        name: e.name().to_string(),
                        storage: e.is_storage(),
                        len: e.len(),
                    })
                    .collect::<Vec<_>>()
            })
        });
        match listed {
            Ok(Ok(v)) if v.len() > max => Err(ContainerError::Limit(format!(
                "{format}: storage {path} has more than {max} entries"
            ))),
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(ContainerError::Parse {
                format,
                detail: format!("storage {path}: {e}"),
            }),
            Err(_) => Err(damaged(format, "a storage cannot be listed")),
        }
    }

    /// The bytes of the stream at `path`: `None` when there is none; over
    /// `max` bytes is a [`ContainerError::Limit`].
    pub fn stream(&mut self, path: &str, max: u64) -> Result<Option<Vec<u8>>, ContainerError> {
        if !self.is_stream(path) {
            return Ok(None);
        }
        let format = self.format;
        let file = &mut self.file;
        let read = crate::panics::catch(|| -> std::io::Result<Vec<u8>> {
            let s = file.open_stream(path)?;
            let mut buf = Vec::new();
            s.take(max.saturating_add(1)).read_to_end(&mut buf)?;
            Ok(buf)
        });
        match read {
            Ok(Ok(buf)) if buf.len() as u64 > max => Err(ContainerError::Limit(format!(
                "{format}: stream {path} is larger than {max} bytes"
            ))),
            Ok(Ok(buf)) => Ok(Some(buf)),
            Ok(Err(e)) => Err(ContainerError::Parse {
                format,
                detail: format!("stream {path} cannot be read: {e}"),
            }),
            Err(_) => Err(damaged(format, "a sector chain cannot be followed")),
        }
    }

    /// The storage at `path` copied, with everything below it, into a
    /// compound file of its own whose root holds what the storage held (an
    /// embedded message or object, to be read as a file of its own). At most
    /// `max_entries` entries and `max_bytes` of stream data; `fix` may
    /// rewrite a stream on the way (its path below the storage, its bytes).
    pub fn extract_storage(
        &mut self,
        path: &str,
        max_entries: usize,
        max_bytes: u64,
        fix: &dyn Fn(&str, Vec<u8>) -> Vec<u8>,
    ) -> Result<Vec<u8>, ContainerError> {
        let format = self.format;
        let prefix = path.trim_end_matches('/').to_string();
        let walked = crate::panics::catch(|| {
            self.file.walk_storage(&prefix).map(|it| {
                it.take(max_entries + 2)
                    .map(|e| (e.path().to_string_lossy().into_owned(), e.is_stream()))
                    .collect::<Vec<_>>()
            })
        });
        let entries = match walked {
            Ok(Ok(v)) => v,
            Ok(Err(e)) => {
                return Err(ContainerError::Parse {
                    format,
                    detail: format!("storage {path}: {e}"),
                })
            }
            Err(_) => return Err(damaged(format, "a storage cannot be walked")),
        };
        if entries.len() > max_entries + 1 {
            return Err(ContainerError::Limit(format!(
                "{format}: storage {path} has more than {max_entries} entries"
            )));
        }
        let write_err = |e: std::io::Error| ContainerError::Parse {
            format,
            detail: format!("storage {path} cannot be copied: {e}"),
        };
        let mut out = cfb::CompoundFile::create(Cursor::new(Vec::new())).map_err(write_err)?;
        let mut total = 0u64;
        for (full, is_stream) in entries {
            let Some(rel) = full.strip_prefix(&prefix) else {
                continue;
            };
            if rel.is_empty() || rel == "/" {
                continue; // the storage itself: the new root
            }
            if is_stream {
                let left = max_bytes.saturating_sub(total);
                let data = self.stream(&full, left)?.unwrap_or_default();
                total += data.len() as u64;
                let data = fix(rel, data);
                let mut s = out.create_stream(rel).map_err(write_err)?;
                s.write_all(&data).map_err(write_err)?;
            } else {
                out.create_storage(rel).map_err(write_err)?;
            }
        }
        out.flush().map_err(write_err)?;
        Ok(out.into_inner().into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn looks_like_dir(b: &[u8]) -> bool {
        memchr::memmem::find(b, &utf16("inner")).is_some()
    }

    fn sample() -> Vec<u8> {
        let mut f = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        f.create_storage("/inner").unwrap();
        f.create_storage("/inner/deeper").unwrap();
        f.create_stream("/inner/deeper/s")
            .unwrap()
            .write_all(b"hello")
            .unwrap();
        f.create_stream("/inner/t")
            .unwrap()
            .write_all(b"x")
            .unwrap();
        f.create_stream("/top")
            .unwrap()
            .write_all(&[7; 5000])
            .unwrap();
        f.flush().unwrap();
        f.into_inner().into_inner()
    }

    #[test]
    fn streams_are_read_within_their_limit() {
        let bytes = sample();
        let mut ole = Ole::open(&bytes, "msg").unwrap();
        assert_eq!(ole.stream("/top", 5000).unwrap().unwrap().len(), 5000);
        let err = ole.stream("/top", 4999).unwrap_err();
        assert!(err.to_string().contains("larger than 4999 bytes"), "{err}");
        assert!(ole.stream("/absent", 10).unwrap().is_none());
        let mut names: Vec<(String, bool)> = ole
            .entries("/", 10)
            .unwrap()
            .into_iter()
            .map(|e| (e.name, e.storage))
            .collect();
        names.sort();
        assert_eq!(names, [("inner".into(), true), ("top".into(), false)]);
        assert!(ole.entries("/", 1).is_err());
    }

    #[test]
    fn a_storage_becomes_a_file_of_its_own() {
        let bytes = sample();
        let mut ole = Ole::open(&bytes, "msg").unwrap();
        let fix = |p: &str, d: Vec<u8>| if p == "/t" { b"fixed".to_vec() } else { d };
        let copy = ole.extract_storage("/inner", 10, 1000, &fix).unwrap();
        let mut inner = Ole::open(&copy, "msg").unwrap();
        assert_eq!(inner.stream("/deeper/s", 10).unwrap().unwrap(), b"hello");
        assert_eq!(inner.stream("/t", 10).unwrap().unwrap(), b"fixed");
        assert!(inner.stream("/top", 10000).unwrap().is_none());
        assert!(ole.extract_storage("/inner", 1, 1000, &fix).is_err());
        assert!(ole.extract_storage("/inner", 10, 3, &fix).is_err());
    }

    #[test]
    fn not_ole_and_damaged_are_errors() {
        assert!(Ole::open(b"plain text", "doc").is_err());
        let mut bytes = sample();
        bytes.truncate(600);
        if let Ok(mut ole) = Ole::open(&bytes, "doc") {
            let _ = ole.stream("/top", 10_000);
        }
        let head = &sample()[..];
        assert!(!looks_like_word(head));
        let at = directory_offset(head).unwrap() as usize;
        assert!(
            looks_like_dir(&head[at..]),
            "the directory names its entries"
        );
        assert_eq!(directory_offset(b"plain"), None);
    }
}
