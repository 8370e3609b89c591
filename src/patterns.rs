//! Data that is not code, embedded at build time from `patterns/`.

/// Pattern detectors: patterns, validators, context words.
pub const DETECTORS: &str = include_str!("../patterns/detectors.toml");
/// IBAN length per country.
pub const IBAN: &str = include_str!("../patterns/iban.toml");
/// Dutch numbering plan: area codes.
pub const PHONE_NL: &str = include_str!("../patterns/phone_nl.toml");
/// Glyph widths of the standard-14 PDF fonts (AFM metrics), by code point.
pub const PDF_STD14_WIDTHS: &str = include_str!("../patterns/pdf_std14_widths.txt");
