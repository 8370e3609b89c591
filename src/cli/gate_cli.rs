//! The CI-gate side of the command line: `--fail-on`'s gate, `--baseline`,
//! `--write-baseline`, `--cache`, `--shard` and the `merge` command. Kept
//! apart from `cli/mod.rs` so that the scan and redact commands stay small;
//! the configuration itself is loaded by [`super::setup`] for both.

use anyhow::{bail, Context, Result};
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use zwartlak::baseline::{Baseline, Fingerprints};
use zwartlak::cache::{self, Cache};
use zwartlak::config::Config;
use zwartlak::gate::{Gate, GateReport, Outcome};
use zwartlak::kind::KindSet;
use zwartlak::merge::{self, Shard};
use zwartlak::output;
use zwartlak::report::{self, Report};
use zwartlak::walk;

/// Options of `scan` for CI and batch runs.
#[derive(Args, Debug)]
pub struct GateArgs {
    /// Report, and fail on, only findings not in this baseline.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the fingerprints of the current findings in FILE (the gate is not applied).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Keep results in FILE (0600; holds personal data) and skip unchanged files next time.
    #[arg(long, value_name = "FILE")]
    pub cache: Option<PathBuf>,
    /// Scan only shard K of N (0-based), split by path hash: `--shard 0/4`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// With --fail-on: files not read completely (error, needs_review,
    /// over a limit, unknown content) do not fail the gate. They stay listed.
    /// Per path: `allow_unread` globs in zwartlak.toml.
    #[arg(long)]
    pub allow_unread: bool,
}

/// `zwartlak merge`: join the JSONL reports of shards.
#[derive(Args, Debug)]
pub struct MergeArgs {
    /// JSONL reports written by `scan --format jsonl` (one per shard).
    #[arg(required = true)]
    pub reports: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = report::Format::Jsonl)]
    pub format: report::Format,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when the merged reports hold findings of these kinds (or
    /// `any`), or files not read completely (error, needs_review, skipped
    /// for their content).
    #[arg(long, value_name = "KINDS")]
    pub fail_on: Option<String>,
    /// With --fail-on: files not read completely do not fail the gate.
    #[arg(long)]
    pub allow_unread: bool,
    /// `--format sarif`: results per run at most (GitHub code scanning
    /// rejects a run of more than 25,000). Past the cap a file's findings are
    /// one result per kind with their count, and the run says the cap applied.
    #[arg(long, value_name = "N", default_value_t = report::SARIF_MAX_RESULTS as u64,
          value_parser = clap::value_parser!(u64).range(report::SARIF_MIN_RESULTS as u64..=report::SARIF_MAX_RESULTS as u64))]
    pub sarif_max_results: u64,
}

/// The gate of one run, ready to wrap a report.
pub struct Prepared {
    pub config: Config,
    pub fail_on: Option<KindSet>,
    pub fingerprints: Option<Fingerprints>,
    pub baseline: Option<Baseline>,
}

/// The gate of `config`: `--fail-on`, key and baseline (errors here are
/// usage errors: exit 2).
pub fn prepare(a: &GateArgs, config: Config, fail_on: Option<&str>) -> Result<Prepared> {
    let fail_on = match fail_on {
        Some(k) => Some(KindSet::parse(k).context("--fail-on")?),
        None => config.fail_on,
    };
    let fingerprints = match config.fingerprint_key() {
        Some(k) => Some(Fingerprints::keyed(&k).with_context(|| {
            format!("fingerprint key from {}", config.fingerprint_key_source())
        })?),
        None => None,
    };
    if fingerprints.is_none() && (a.baseline.is_some() || a.write_baseline.is_some()) {
        bail!(
            "a baseline needs a fingerprint key: set {} (a secret of at least {} characters). \
             Without a key the fingerprints of low-entropy values such as a BSN could be \
             reversed by trying them all, so zwartlak does not write or read baselines without one",
            config.fingerprint_key_source(),
            zwartlak::baseline::MIN_KEY_LEN
        );
    }
    let baseline = match (&a.baseline, &fingerprints) {
        (Some(p), Some(fp)) => Some(Baseline::load(p, &fp.key_id().unwrap_or_default())?),
        _ => None,
    };
    Ok(Prepared {
        config,
        fail_on,
        fingerprints,
        baseline,
    })
}

impl Prepared {
    /// `inner` behind this gate.
    pub fn report<'w>(&self, a: &GateArgs, inner: Box<dyn Report + 'w>) -> GateReport<'w, '_> {
        GateReport::new(
            inner,
            Gate {
                config: &self.config,
                fail_on: self.fail_on,
                baseline: self.baseline.clone(),
                fingerprints: self.fingerprints.clone(),
                collect: a.write_baseline.is_some(),
                allow_unread: a.allow_unread,
            },
        )
    }

    /// Write the baseline if asked, tell why the gate failed, and the exit code.
    pub fn conclude(&self, a: &GateArgs, outcome: Outcome) -> Result<ExitCode> {
        if let Some(path) = &a.write_baseline {
            let key_id = self
                .fingerprints
                .as_ref()
                .and_then(|f| f.key_id())
                .unwrap_or_default();
            let b = Baseline {
                fingerprints: outcome.seen,
            };
            b.save(path, &key_id)?;
            eprintln!(
                "zwartlak: baseline {} written ({} findings)",
                walk::shown_path(path),
                b.fingerprints.len()
            );
            return Ok(ExitCode::SUCCESS);
        }
        if outcome.failed() {
            eprintln!(
                "zwartlak: gate failed: {}",
                outcome.describe_gate(self.baseline.is_some())
            );
            return Ok(ExitCode::from(1));
        }
        Ok(ExitCode::SUCCESS)
    }
}

/// Open the `--cache`, if asked, for runs with these result-changing options.
pub fn open_cache(a: &GateArgs, options: &str) -> Result<Option<Cache>> {
    match &a.cache {
        None => Ok(None),
        Some(p) => Ok(Some(Cache::open(p, cache::version_key(options))?)),
    }
}

/// A short hash of a file's content (for the cache's version key); empty without a file.
pub fn file_hash(path: Option<&Path>) -> String {
    path.and_then(|p| std::fs::read(p).ok())
        .map(|b| blake3::hash(&b).to_hex()[..16].to_string())
        .unwrap_or_default()
}

/// Run `write` on standard output, or on `path` as [`output::write_with`]
/// writes it (atomically; through to a FIFO or device; a symbolic link
/// followed; `-` is standard output).
pub fn write_output<T>(
    path: Option<&Path>,
    write: impl FnOnce(Box<dyn Write + '_>) -> Result<T>,
) -> Result<T> {
    match path {
        None => {
            let stdout = std::io::stdout();
            write(Box::new(std::io::BufWriter::new(stdout.lock())))
        }
        Some(path) => output::write_with(path, output::Links::Follow, |w| write(Box::new(w)))
            .with_context(|| format!("cannot write {}", walk::shown_path(path)))?,
    }
}

/// `zwartlak merge`.
pub fn merge(m: MergeArgs) -> Result<ExitCode> {
    let fail_on = m
        .fail_on
        .as_deref()
        .map(KindSet::parse)
        .transpose()
        .context("--fail-on")?;
    let mut inputs: Vec<(String, Box<dyn std::io::BufRead>)> = Vec::new();
    for p in &m.reports {
        let f = std::fs::File::open(p).with_context(|| format!("cannot open {}", p.display()))?;
        inputs.push((
            p.display().to_string(),
            Box::new(std::io::BufReader::new(f)),
        ));
    }
    let merged = merge::merge(inputs)?;
    let opts = report::ReportOptions {
        color: false,
        fingerprints: merged.fingerprinted.then_some(Fingerprints::Carried),
        title: None,
        root: None,
        max_results: Some(m.sarif_max_results as usize),
    };
    write_output(m.output.as_deref(), |out| {
        let mut rep = report::with_options(m.format, out, opts);
        merged.write(rep.as_mut())?;
        Ok(())
    })?;
    let failing: u64 = merged
        .results
        .iter()
        .flat_map(|r| &r.findings)
        .filter(|f| fail_on.is_some_and(|k| k.contains(f.kind)))
        .count() as u64;
    let unread = if fail_on.is_some() && !m.allow_unread {
        merged.results.iter().filter(|r| r.file.unread()).count()
    } else {
        0
    };
    if failing > 0 || unread > 0 {
        eprintln!(
            "zwartlak: gate failed: {failing} findings, {unread} files not read completely in the merged reports"
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
