//! Owns turning the shared option groups of `scan` and `redact`
//! ([`super::args`]) into a run, once for both commands: the configuration
//! (`zwartlak.toml` or `--config`), the detection engine (kinds, minimum
//! confidence, roster), the per-file limits, the people (subject, staff),
//! the walked files and the progress bar. Command-line values win over the
//! configuration's, which win over the defaults.

use super::args::{ConfigArgs, LimitArgs, ProgressArgs, SharedArgs};
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
use zwartlak::scan::{BytesProgress, ScanOptions, Scanner};
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
        shared: &SharedArgs,
        reveal: bool,
    ) -> Result<Setup> {
        let SharedArgs {
            detect,
            limits: limit_args,
            walk,
            ..
        } = shared;
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
                glob_case_sensitive: walk.glob_case_sensitive,
            },
        )?;
        let scanner = Scanner::new(
            engine,
            ScanOptions {
                limits,
                reveal,
                people,
                threads: limit_args.threads,
                progress: None,
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

/// A progress bar on standard error, unless `-q` or standard error is not
/// a terminal: bytes of the walked files (moving during one large file
/// too, see [`BytesProgress`]) and files done; and the callback that counts
/// the files.
pub struct Progress(Option<Bar>);

struct Bar {
    pb: indicatif::ProgressBar,
    files: std::cell::Cell<u64>,
    total_files: usize,
    /// Moves the bar from the bytes counted by the workers.
    poller: Option<(
        std::sync::Arc<std::sync::atomic::AtomicBool>,
        std::thread::JoinHandle<()>,
    )>,
}

/// How often the bar reads the byte count.
const POLL: std::time::Duration = std::time::Duration::from_millis(150);

impl Progress {
    /// A bar over `entries`; returns the byte counter to put into the
    /// scanner's options (`None` without a bar: nothing is counted).
    pub fn new(
        a: &ProgressArgs,
        entries: &[Entry],
    ) -> (Progress, Option<std::sync::Arc<BytesProgress>>) {
        if a.quiet || !std::io::stderr().is_terminal() {
            return (Progress(None), None);
        }
        let total: u64 = entries
            .iter()
            .filter(|e| e.skip.is_none())
            .filter_map(|e| std::fs::metadata(&e.path).ok())
            .map(|m| m.len())
            .sum();
        let pb = indicatif::ProgressBar::new(total);
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {bytes}/{total_bytes} {msg} {elapsed_precise}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        pb.set_message(format!("0/{} files", entries.len()));
        let bytes = std::sync::Arc::new(BytesProgress::default());
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let poller = {
            let (pb, bytes, halt) = (pb.clone(), bytes.clone(), stop.clone());
            std::thread::Builder::new()
                .name("zwartlak-progress".into())
                .spawn(move || {
                    while !halt.load(std::sync::atomic::Ordering::Relaxed) {
                        pb.set_position(bytes.bytes().min(total));
                        std::thread::park_timeout(POLL);
                    }
                })
                .ok()
                .map(|h| (stop, h))
        };
        (
            Progress(Some(Bar {
                pb,
                files: std::cell::Cell::new(0),
                total_files: entries.len(),
                poller,
            })),
            Some(bytes),
        )
    }

    /// Count a result (files inside other files are not walk entries).
    pub fn tick(&self, r: &FileResult) {
        if let Some(bar) = &self.0 {
            if !r.file.path.contains('!') {
                bar.files.set(bar.files.get() + 1);
                bar.pb
                    .set_message(format!("{}/{} files", bar.files.get(), bar.total_files));
            }
        }
    }

    pub fn finish(self) {
        if let Some(bar) = self.0 {
            if let Some((stop, h)) = bar.poller {
                stop.store(true, std::sync::atomic::Ordering::Relaxed);
                h.thread().unpark();
                let _ = h.join();
            }
            bar.pb.finish_and_clear();
        }
    }
}
