//! Containers: the file formats that hold other files or parts, opened the
//! same way by the readers ([`crate::extract`]) and the redactors
//! ([`crate::redact`]), which both stand above this module.
//!
//! Owns the zip archive guard ([`archive`]: entry count, unpacked size,
//! compression ratio, nesting depth), office packages ([`package`]: which
//! parts hold text), the per-paragraph text model of an XML part ([`xml`])
//! and the recognition of OLE compound files ([`ole`]). Nothing here reads
//! from or writes to a sink: callers decide whether a problem is an error or
//! a `needs_review`. The property sets of OLE files (title, author,
//! company) are read by [`olps`].

pub mod archive;
pub mod ole;
pub mod olps;
pub mod package;
pub mod xml;

/// The limits a container is opened and unpacked under; the readers' and
/// redactors' per-file `Limits` hand down their archive fields.
#[derive(Clone, Copy, Debug)]
pub struct ArchiveLimits {
    /// Most entries in one archive.
    pub max_entries: usize,
    /// Most bytes unpacked from one archive (all entries together).
    pub max_unpacked: u64,
    /// Highest compression ratio accepted for an entry (zip bombs).
    pub max_ratio: u64,
    /// Deepest nesting of archives.
    pub max_depth: u32,
    /// Largest entry unpacked.
    pub max_member_size: u64,
}

/// Why a container cannot be opened or unpacked. The message names the
/// place but never quotes the content.
#[derive(Debug, thiserror::Error)]
pub enum ContainerError {
    /// Not a valid container of `format`.
    #[error("{format}: {detail}")]
    Parse {
        /// The format that was expected (`zip`, `docx`, `spreadsheet`).
        format: &'static str,
        /// What is wrong.
        detail: String,
    },
    /// Over one of the [`ArchiveLimits`].
    #[error("limit exceeded: {0}")]
    Limit(String),
}
