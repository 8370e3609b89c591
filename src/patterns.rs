//! Data that is not code, embedded at build time from `patterns/`.

/// Pattern detectors: patterns, validators, context words.
pub const DETECTORS: &str = include_str!("../patterns/detectors.toml");
/// IBAN length per country.
pub const IBAN: &str = include_str!("../patterns/iban.toml");
/// Dutch numbering plan: area codes.
pub const PHONE_NL: &str = include_str!("../patterns/phone_nl.toml");
