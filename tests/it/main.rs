//! The end-to-end tests in one test binary (one link instead of one per
//! file): the binary on `fixtures/` and on files the tests write, the
//! library's property tests, one module per subject. `util` holds the
//! scaffolding they share. Run one module with `cargo test --test it cli::`.

mod util;

mod cli;
mod columns;
mod errors;
mod file_names;
mod gate;
mod html;
mod iban_freeform;
mod inputs;
mod legacy;
mod mail;
mod messages;
mod names_cli;
mod office;
mod organization;
mod outputs;
mod properties;
mod redact;
mod redact_office;
mod redact_pdf;
mod redact_setup;
mod redact_sheets;
mod robustness;
mod roster_cli;
mod sarif;
