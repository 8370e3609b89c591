//! zwartlak finds personal data in documents and redacts it.
//!
//! The pipeline reads from the module list:
//! [`walk`] → [`extract`] → [`detect`] → [`attribute`] → [`report`],
//! driven by [`scan`]; [`redact`] writes redacted copies through the same
//! extraction, detection and attribution. The [`document`] model carries every piece of text with
//! the place it came from; [`record`] holds the SPEC's output records.
//! For CI and batch runs: [`config`] (`zwartlak.toml`), [`gate`] (allow
//! lists, policies, `--fail-on`), [`baseline`] (keyed fingerprints),
//! [`cache`] (incremental runs) and [`merge`] (shards). Every file written
//! (reports, audits, baselines, redacted copies) goes through [`output`].
//!
//! # Example
//!
//! Scan a short Dutch letter held in memory with the built-in detectors.
//! `273849104` passes the BSN eleven test (elfproef); the mail address is
//! made up.
//!
//! ```
//! use zwartlak::detect::{Engine, Filter};
//! use zwartlak::extract::Source;
//! use zwartlak::kind::Kind;
//! use zwartlak::record::Status;
//! use zwartlak::scan::{ScanOptions, Scanner};
//!
//! let engine = Engine::builtin(Filter::default()).expect("the built-in patterns compile");
//! let scanner = Scanner::new(engine, ScanOptions::default());
//!
//! let letter = "Geachte huurder,\n\
//!               Uw burgerservicenummer 273849104 staat in ons dossier.\n\
//!               Reageer via huurzaken@voorbeeld.nl.\n";
//! let results = scanner.scan_source(&Source::Memory(letter.as_bytes().to_vec()), "brief.txt", 0);
//!
//! // One file, no archive members inside it.
//! assert_eq!(results.len(), 1);
//! let file = &results[0];
//! assert_eq!(file.file.status, Status::Scanned);
//! let kinds: Vec<Kind> = file.findings.iter().map(|f| f.kind).collect();
//! assert!(kinds.contains(&Kind::Bsn), "{kinds:?}");
//! assert!(kinds.contains(&Kind::Email), "{kinds:?}");
//! // Values are masked unless `ScanOptions::reveal` is set.
//! assert!(file.findings.iter().all(|f| !f.value.contains("273849104")));
//! ```

#![deny(missing_docs)]

pub mod attribute;
pub mod baseline;
pub mod cache;
pub mod config;
pub mod container;
pub mod csvcell;
pub mod detect;
pub mod document;
pub mod extract;
pub mod gate;
pub mod kind;
pub mod mask;
pub mod merge;
pub mod ordered;
pub mod organization;
pub mod output;
pub mod panics;
pub mod pathname;
pub mod patterns;
pub mod record;
pub mod redact;
pub mod report;
pub mod scan;
pub mod size;
#[cfg(test)]
pub(crate) mod testutil;
pub mod walk;
