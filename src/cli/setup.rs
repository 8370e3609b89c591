//! Owns turning the shared option groups of `scan` and `redact`
//! ([`super::args`]) into a run, once for both commands: the configuration
//! (`zwartlak.toml` or `--config`), the detection engine (kinds, minimum
//! confidence, roster), the per-file limits, the people (subject, staff),
//! the walked files and the progress bar. Command-line values win over the
//! configuration's, which win over the defaults.

use super::args::{ConfigArgs, DetectArgs, LimitArgs, ProgressArgs, WalkArgs};
use anyhow::{bail, Context, Result};
use std::io::IsTerminal;
use std::path::PathBuf;
use zwartlak::attribute::People;
use zwartlak::config::Config;
use zwartlak::detect::roster::Roster;
use zwartlak::detect::{Engine, Filter};
use zwartlak::extract::Limits;
use zwartlak::kind::KindSet;
use zwartlak::record::FileResult;
use zwartlak::scan::{ScanOptions, Scanner};
use zwartlak::walk::{self, Entry, WalkOptions};

/// The minimum confidence when neither the command line nor the config sets one.
const DEFAULT_MIN_CONFIDENCE: f32 = 0.5;

/// Load the configuration: `--config FILE`, else `zwartlak.toml` in the
/// working directory or a parent, else none (`--no-config`: none). A
/// mistake in it is a usage error naming the file and line (exit 2).
pub fn load_config(a: &ConfigArgs) -> Result<Config> {
    if a.no_config {
        return Ok(Config::default());
    }
    let cwd = std::env::current_dir().context("working directory")?;
    Ok(Config::discover(a.config.as_deref(), &cwd)?)
}

/// Everything a scan or redaction run is built from.
pub struct Setup {
    /// Kinds and minimum confidence in effect.
    pub filter: Filter,
    /// The files to work on, in walk order.
    pub entries: Vec<Entry>,
    /// Engine, people, limits, threads and `--reveal`, ready to run.
    pub scanner: Scanner,
}

impl Setup {
    /// Build the run from the shared option groups and the loaded `config`.
    pub fn new(
        paths: &[PathBuf],
        config: &Config,
        detect: &DetectArgs,
        limit_args: &LimitArgs,
        walk: &WalkArgs,
        reveal: bool,
    ) -> Result<Setup> {
        let min_confidence = detect
            .min_confidence
            .or(config.min_confidence)
            .unwrap_or(DEFAULT_MIN_CONFIDENCE);
        if !(0.0..=1.0).contains(&min_confidence) {
            bail!("--min-confidence must be between 0 and 1, not {min_confidence}");
        }
        let kinds = match &detect.kinds {
            Some(k) => KindSet::parse(k).context("--kinds")?,
            None => config.kinds.unwrap_or_else(KindSet::all),
        };
        let people = if detect.subject.is_some() || detect.keep.is_some() {
            Some(
                People::from_files(detect.subject.as_deref(), detect.keep.as_deref())?
                    .with_organization(config.organization.clone()),
            )
        } else {
            None
        };
        let filter = Filter {
            min_confidence,
            kinds,
        };
        let mut engine = Engine::builtin(filter.clone())?;
        if !detect.roster.is_empty() {
            engine = engine.with_roster(Roster::from_files(&detect.roster)?);
        }
        let limits = file_limits(limit_args)?;
        let entries = walk::walk(
            paths,
            &WalkOptions {
                include: [walk.include.clone(), config.include.clone()].concat(),
                exclude: [walk.exclude.clone(), config.exclude.clone()].concat(),
                follow_symlinks: walk.follow_symlinks,
            },
        )?;
        let scanner = Scanner::new(
            engine,
            ScanOptions {
                limits,
                reveal,
                people,
                threads: limit_args.threads,
            },
        );
        Ok(Setup {
            filter,
            entries,
            scanner,
        })
    }
}

/// `--max-filesize` and `--file-timeout` over the default limits.
pub fn file_limits(a: &LimitArgs) -> Result<Limits> {
    let mut limits = Limits::default();
    if let Some(m) = a.max_filesize {
        limits.max_file_size = m;
    }
    if !(a.file_timeout.is_finite() && a.file_timeout >= 0.0) {
        bail!(
            "--file-timeout must be a number of seconds (0: none), not {}",
            a.file_timeout
        );
    }
    limits.max_seconds = a.file_timeout;
    Ok(limits)
}

/// A progress bar over `total` files on standard error, unless `-q` or
/// standard error is not a terminal; and the callback that moves it.
pub struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    pub fn new(a: &ProgressArgs, total: usize) -> Progress {
        Progress((!a.quiet && std::io::stderr().is_terminal()).then(|| {
            let pb = indicatif::ProgressBar::new(total as u64);
            pb.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} files {elapsed_precise} {msg}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            pb
        }))
    }

    /// Count a result (files inside other files are not walk entries).
    pub fn tick(&self, r: &FileResult) {
        if let Some(pb) = &self.0 {
            if !r.file.path.contains('!') {
                pb.inc(1);
            }
        }
    }

    pub fn finish(self) {
        if let Some(pb) = self.0 {
            pb.finish_and_clear();
        }
    }
}
