//! zwartlak finds personal data in documents and redacts it.
//!
//! The pipeline reads from the module list:
//! [`walk`] → [`extract`] → [`detect`] → [`attribute`] → [`report`],
//! driven by [`scan`]; [`redact`] writes redacted copies through the same
//! extraction, detection and attribution. The [`document`] model carries every piece of text with
//! the place it came from; [`record`] holds the SPEC's output records.
//! For CI and batch runs: [`config`] (`zwartlak.toml`), [`gate`] (allow
//! lists, policies, `--fail-on`), [`baseline`] (keyed fingerprints),
//! [`cache`] (incremental runs) and [`merge`] (shards).

pub mod attribute;
pub mod baseline;
pub mod cache;
pub mod config;
pub mod container;
pub mod detect;
pub mod document;
pub mod extract;
pub mod gate;
pub mod kind;
pub mod mask;
pub mod merge;
pub mod ordered;
pub mod organization;
pub mod patterns;
pub mod record;
pub mod redact;
pub mod report;
pub mod scan;
pub mod size;
#[cfg(test)]
pub(crate) mod testutil;
pub mod walk;
