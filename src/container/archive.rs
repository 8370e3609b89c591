//! The zip archive guard, one for reading and redacting: plain archives
//! (`.zip`) and office packages (DOCX, XLSX, ODF) are opened and unpacked
//! through [`Archive`] under the same [`ArchiveLimits`].
//!
//! Opening checks the directory: the entry count, every entry's declared
//! size and compression ratio, and the declared total. Unpacking checks what
//! is really read, because sizes in headers are not trusted: an entry is read
//! at most up to the room left (the total still allowed, capped at the
//! per-entry limit), and its real compression ratio is checked again.
//! Nesting depth is checked by [`check_depth`] before an archive is opened.

use super::{ArchiveLimits, ContainerError};
use std::io::{Cursor, Read};
use zip::result::ZipError;
use zip::{CompressionMethod, DateTime, ZipArchive};

/// Entries up to this size are never refused for their compression ratio
/// (a small file of repeated bytes compresses well and is harmless).
const RATIO_FLOOR: u64 = 1 << 20;

/// Refuse to open an archive nested `depth` levels deep when that is the
/// limit or more.
pub fn check_depth(depth: u32, limits: &ArchiveLimits) -> Result<(), ContainerError> {
    if depth >= limits.max_depth {
        return Err(ContainerError::Limit(format!(
            "archive nested deeper than {} levels",
            limits.max_depth
        )));
    }
    Ok(())
}

/// An entry's name as a path inside the archive: `/` separators, no leading
/// `/`; a name that is not UTF-8 is read lossily.
pub fn entry_name<S: AsRef<str>>(raw: Result<S, impl std::fmt::Display>, bytes: &[u8]) -> String {
    raw.map(|n| {
        n.as_ref()
            .replace('\\', "/")
            .trim_start_matches('/')
            .to_string()
    })
    .unwrap_or_else(|_| String::from_utf8_lossy(bytes).into_owned())
}

/// Why one entry was not unpacked.
#[derive(Debug, thiserror::Error)]
pub enum EntryError {
    /// Over a limit: the whole archive is refused.
    #[error(transparent)]
    Limit(#[from] ContainerError),
    /// The entry is encrypted (the message names it).
    #[error("{0}")]
    Encrypted(String),
    /// The entry cannot be read or unpacked (the message names it).
    #[error("{0}")]
    Unreadable(String),
}

/// One unpacked entry, with what a rewriter needs to write it again.
pub struct Member {
    /// The entry's path, see [`entry_name`].
    pub name: String,
    /// A directory entry (its `data` is empty).
    pub is_dir: bool,
    /// The unpacked bytes.
    pub data: Vec<u8>,
    /// How the entry was compressed.
    pub compression: CompressionMethod,
    /// The entry's timestamp, if it has one.
    pub last_modified: Option<DateTime>,
    /// The entry's Unix permissions, if it has them.
    pub unix_mode: Option<u32>,
}

/// A zip archive opened under limits; see the module docs.
pub struct Archive<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    limits: ArchiveLimits,
    /// What an entry is called in messages: "entry" or "part".
    noun: &'static str,
    unpacked: u64,
}

impl<'a> Archive<'a> {
    /// Open `bytes` as a zip archive of `format` after checking its
    /// directory. `noun` names an entry in messages ("entry", "part").
    pub fn open(
        bytes: &'a [u8],
        limits: ArchiveLimits,
        format: &'static str,
        noun: &'static str,
    ) -> Result<Self, ContainerError> {
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| ContainerError::Parse {
            format,
            detail: e.to_string(),
        })?;
        if zip.len() > limits.max_entries {
            return Err(ContainerError::Limit(format!(
                "{} entries, more than the limit of {}",
                zip.len(),
                limits.max_entries
            )));
        }
        let mut total: u64 = 0;
        for i in 0..zip.len() {
            let Ok(meta) = zip.by_index_data(i) else {
                continue;
            };
            let (size, compressed) = (meta.size(), meta.compressed_size().max(1));
            if size > limits.max_member_size {
                return Err(ContainerError::Limit(format!(
                    "{noun} {} unpacks to {size} bytes, over the limit of {}",
                    i + 1,
                    limits.max_member_size
                )));
            }
            if size / compressed > limits.max_ratio && size > RATIO_FLOOR {
                return Err(ContainerError::Limit(format!(
                    "{noun} {}: compression ratio {} over the limit of {}",
                    i + 1,
                    size / compressed,
                    limits.max_ratio
                )));
            }
            total = total.saturating_add(size);
        }
        if total > limits.max_unpacked {
            return Err(ContainerError::Limit(format!(
                "{total} bytes unpacked, over the limit of {}",
                limits.max_unpacked
            )));
        }
        Ok(Archive {
            zip,
            limits,
            noun,
            unpacked: 0,
        })
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.zip.len()
    }

    /// Whether the archive has no entries.
    pub fn is_empty(&self) -> bool {
        self.zip.len() == 0
    }

    /// The name of entry `i` (see [`entry_name`]), `None` when unreadable.
    pub fn name(&self, i: usize) -> Option<String> {
        match self.zip.name_for_index(i) {
            Some(Ok(n)) => Some(n.replace('\\', "/").trim_start_matches('/').to_string()),
            _ => None,
        }
    }

    /// The archive itself, for its directory and for raw (still compressed)
    /// copies of entries; entries are unpacked through [`Archive::read`].
    pub fn zip(&mut self) -> &mut ZipArchive<Cursor<&'a [u8]>> {
        &mut self.zip
    }

    /// Unpack entry `i` within the room left. Directories come back empty.
    pub fn read(&mut self, i: usize) -> Result<Member, EntryError> {
        let noun = self.noun;
        let limits = self.limits;
        let mut entry = match self.zip.by_index(i) {
            Ok(e) => e,
            Err(ZipError::UnsupportedArchive(msg))
                if msg.contains("ncrypt") || msg.contains("assword") =>
            {
                return Err(EntryError::Encrypted(format!(
                    "{noun} {} is encrypted",
                    i + 1
                )));
            }
            Err(e) => {
                return Err(EntryError::Unreadable(format!(
                    "{noun} {} cannot be read: {e}",
                    i + 1
                )))
            }
        };
        let name = entry_name(entry.name(), entry.name_raw());
        let mut member = Member {
            name,
            is_dir: entry.is_dir(),
            data: Vec::new(),
            compression: entry.compression(),
            last_modified: entry.last_modified(),
            unix_mode: entry.unix_mode(),
        };
        if member.is_dir {
            return Ok(member);
        }
        // Messages name entries by number: a member name may hold personal data.
        let number = i + 1;
        if entry.encrypted() {
            return Err(EntryError::Encrypted(format!(
                "{noun} {number} is encrypted"
            )));
        }
        let compressed = entry.compressed_size().max(1);
        let room = limits
            .max_unpacked
            .saturating_sub(self.unpacked)
            .min(limits.max_member_size);
        let mut data = Vec::with_capacity(entry.size().min(room).min(64 << 20) as usize);
        if let Err(e) = (&mut entry).take(room + 1).read_to_end(&mut data) {
            return Err(EntryError::Unreadable(format!(
                "{noun} {number} cannot be unpacked: {e}"
            )));
        }
        if data.len() as u64 > room {
            return Err(ContainerError::Limit(format!(
                "{noun} {number}: unpacked size over the limit ({} bytes in all, {} per {noun})",
                limits.max_unpacked, limits.max_member_size
            ))
            .into());
        }
        if data.len() as u64 / compressed > limits.max_ratio && data.len() as u64 > RATIO_FLOOR {
            return Err(ContainerError::Limit(format!(
                "{noun} {number}: compression ratio over the limit of {}",
                limits.max_ratio
            ))
            .into());
        }
        self.unpacked += data.len() as u64;
        member.data = data;
        Ok(member)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::zip_of;

    fn limits() -> ArchiveLimits {
        ArchiveLimits {
            max_entries: 10,
            max_unpacked: 1000,
            max_ratio: 200,
            max_depth: 3,
            max_member_size: 600,
        }
    }

    #[test]
    fn directory_is_checked_on_open() {
        let z = zip_of(&[("a", &[b'x'; 700])]);
        let err = Archive::open(&z, limits(), "zip", "entry").err().unwrap();
        assert!(err.to_string().contains("entry 1 unpacks to 700"), "{err}");
        let z = zip_of(&[("a", &[b'x'; 500]), ("b", &[b'y'; 501])]);
        let err = Archive::open(&z, limits(), "zip", "entry").err().unwrap();
        assert!(err.to_string().contains("1001 bytes unpacked"), "{err}");
        let few = ArchiveLimits {
            max_entries: 1,
            ..limits()
        };
        let z = zip_of(&[("a", b"1"), ("b", b"2")]);
        let err = Archive::open(&z, few, "zip", "entry").err().unwrap();
        assert!(err.to_string().contains("2 entries"), "{err}");
        let bomb = zip_of(&[("a", &vec![b'a'; 4 << 20])]);
        let big = ArchiveLimits {
            max_unpacked: 1 << 30,
            max_member_size: 1 << 30,
            ..limits()
        };
        let err = Archive::open(&bomb, big, "zip", "entry").err().unwrap();
        assert!(err.to_string().contains("ratio"), "{err}");
        assert!(matches!(
            Archive::open(b"PK\x03\x04garbage", limits(), "zip", "entry"),
            Err(ContainerError::Parse { format: "zip", .. })
        ));
    }

    #[test]
    fn reading_counts_what_was_unpacked() {
        let z = zip_of(&[("d/", b""), ("\\a", &[b'x'; 400]), ("b", &[b'y'; 300])]);
        let mut a = Archive::open(&z, limits(), "zip", "entry").unwrap();
        assert_eq!(a.len(), 3);
        assert!(a.read(0).unwrap().is_dir);
        let m = a.read(1).unwrap();
        assert_eq!((m.name.as_str(), m.data.len()), ("a", 400));
        // The directory allowed 700 bytes in all, but what is read counts:
        // a smaller total leaves no room for the second entry.
        a.limits.max_unpacked = 600;
        let err = a.read(2).err().unwrap();
        assert!(matches!(err, EntryError::Limit(_)), "{err}");
        assert!(err.to_string().contains("entry 3: unpacked size"), "{err}");
    }

    #[test]
    fn depth_limit() {
        assert!(check_depth(2, &limits()).is_ok());
        let err = check_depth(3, &limits()).unwrap_err();
        assert!(err.to_string().contains("nested deeper than 3"), "{err}");
    }
}
