//! Office documents: word-processing packages ([`docx`]: DOCX, ODT), Word
//! 97–2003 documents ([`doc`]) and workbooks ([`sheet`]: XLSX, XLSB, XLS,
//! ODS). Owns what both readers do
//! the same way on top of [`crate::container`]: unpacking a part with its
//! problems sent to the sink ([`read_entry`]), reading an XML part into
//! segments ([`emit_part`]), and an OLE file where a zip package was
//! expected ([`ole_package`]).

pub mod doc;
pub mod docx;
pub mod sheet;

use crate::container::archive::{Archive, EntryError};
use crate::container::ole::is_encrypted_package;
use crate::container::xml::{block_segment, parse_part, part_text, Dialect};
use crate::extract::{ExtractError, ReadCtx, Sink};

/// Read one part. `Ok(None)` when the part is a directory or cannot be read
/// (the reason goes to `sink` as needs_review); over a limit is an error.
pub fn read_entry(
    archive: &mut Archive<'_>,
    index: usize,
    sink: &mut dyn Sink,
) -> Result<Option<(String, Vec<u8>)>, ExtractError> {
    match archive.read(index) {
        Ok(m) if m.is_dir => Ok(None),
        Ok(m) => Ok(Some((m.name, m.data))),
        Err(EntryError::Limit(e)) => Err(e.into()),
        Err(e) => {
            sink.needs_review(e.to_string());
            Ok(None)
        }
    }
}

/// Read the XML part `name` in `dialect` and send its blocks to the sink,
/// one segment per block. Malformed XML is needs_review naming the part;
/// the blocks before the error are sent.
pub fn emit_part(
    name: &str,
    data: &[u8],
    dialect: Dialect,
    ctx: &ReadCtx<'_>,
    sink: &mut dyn Sink,
) -> Result<(), ExtractError> {
    let xml = part_text(data);
    let (blocks, err) = parse_part(&xml, dialect);
    ctx.check()?;
    for b in blocks {
        sink.segment(block_segment(name, b));
    }
    if let Some(err) = err {
        sink.needs_review(format!("{name}: {err}"));
    }
    Ok(())
}

/// An OLE file where a zip package was expected: encrypted packages are
/// `needs_review`, anything else an error.
pub fn ole_package(
    bytes: &[u8],
    format: &'static str,
    sink: &mut dyn Sink,
) -> Result<(), ExtractError> {
    if is_encrypted_package(bytes) {
        sink.needs_review("encrypted (password-protected) document".into());
        return Ok(());
    }
    Err(ExtractError::parse(
        format,
        "an OLE compound file (legacy binary format), not a zip package",
    ))
}
