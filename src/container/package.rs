//! Office packages (OOXML and OpenDocument): a zip of parts. Owns which
//! parts hold text and in which [`Dialect`] ([`part_dialect`]), and the
//! opening of a package through the archive guard ([`open_package`]).

use super::archive::Archive;
use super::xml::Dialect;
use super::{ArchiveLimits, ContainerError};

/// Which parts of a package hold text, and in which dialect.
pub fn part_dialect(name: &str) -> Option<Dialect> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".rels") {
        return Some(Dialect::Rels);
    }
    if !lower.ends_with(".xml") {
        return None;
    }
    if lower.starts_with("docprops/") || lower.starts_with("customxml/item") {
        return (!lower.contains("itemprops")).then_some(Dialect::Props);
    }
    if lower == "meta.xml" {
        return Some(Dialect::Props);
    }
    if lower == "content.xml" || lower == "styles.xml" {
        return Some(Dialect::Odf);
    }
    if let Some(rest) = lower.strip_prefix("word/") {
        let skip = [
            "styles",
            "styleswitheffects",
            "fonttable",
            "numbering",
            "websettings",
            "settings",
            "theme/",
            "stylesWithEffects",
        ];
        if skip
            .iter()
            .any(|s| rest.starts_with(&s.to_ascii_lowercase()))
        {
            return None;
        }
        return Some(Dialect::Word);
    }
    if lower.starts_with("xl/comments") {
        return Some(Dialect::SheetComments);
    }
    None
}

/// Open a zip package after checking the limits on its directory (entry
/// count, declared sizes and compression ratios). The zip reader refuses to
/// unpack more than an entry declares, so checking the declared sizes bounds
/// what any later reader (ours or calamine) unpacks; parts unpacked through
/// [`Archive::read`] are checked again as they are read.
pub fn open_package<'a>(
    bytes: &'a [u8],
    limits: ArchiveLimits,
    format: &'static str,
) -> Result<Archive<'a>, ContainerError> {
    Archive::open(bytes, limits, format, "part")
}
