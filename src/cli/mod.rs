//! Command-line interface (SPEC: commands, options, exit codes): the
//! commands and what each does with its options. The option groups `scan`
//! and `redact` share are in [`args`], turned into a run by [`setup`]; the
//! CI gate and `merge` are in [`gate_cli`].

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use zwartlak::record::FileResult;
use zwartlak::report;

mod args;
mod gate_cli;
mod inputs;
mod setup;
use args::SharedArgs;
use gate_cli::{GateArgs, MergeArgs};
use setup::{Progress, Setup};

#[derive(Parser)]
#[command(
    name = "zwartlak",
    version,
    about = "Find and redact personal data in documents (Dutch-aware)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once per run: the size of the variants does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Walk files and folders in parallel, detect personal data, report findings.
    Scan(ScanArgs),
    /// Write redacted copies (same format) of every input into --out DIR.
    Redact(RedactArgs),
    /// Join the JSONL reports of `scan --shard` workers into one report.
    Merge(MergeArgs),
}

#[derive(Args)]
#[command(after_help = zwartlak::extract::Limits::default().describe())]
struct RedactArgs {
    /// Files and folders to redact (never modified).
    #[arg(required_unless_present = "files_from")]
    paths: Vec<PathBuf>,
    /// Folder for the redacted copies (mirrors the input tree; not inside an
    /// input). It must be new or empty, unless --overwrite.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Write into a --out folder that is not empty: copies replace files of
    /// the same name, copies of files withheld in this run are removed, and
    /// the temporary files of a killed earlier run are cleaned up.
    #[arg(long)]
    overwrite: bool,
    /// What replaces a value: `label` ([naam], [BSN]...), `pseudonym` ([persoon 1]) or `box` (█).
    /// PDF page text is always removed and covered by a black box, whatever the style.
    #[arg(long, value_enum, default_value_t = zwartlak::redact::Style::Label)]
    style: zwartlak::redact::Style,
    /// Write one row per redaction to FILE (CSV, or JSON Lines for .jsonl).
    #[arg(long, value_name = "FILE")]
    audit: Option<PathBuf>,
    /// Output format of the record stream on standard output.
    #[arg(long, value_enum, default_value_t = report::Format::Text)]
    format: report::Format,
    /// Print values as they stand in finding records (the audit stays masked).
    #[arg(long)]
    reveal: bool,
    #[command(flatten)]
    shared: SharedArgs,
}

#[derive(Args)]
#[command(after_help = zwartlak::extract::Limits::default().describe())]
struct ScanArgs {
    /// Files and folders to scan; `-` reads standard input (see --stdin-name).
    #[arg(required_unless_present = "files_from")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = report::Format::Text)]
    format: report::Format,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// `--format sarif`: results per run at most (GitHub code scanning
    /// rejects a run of more than 25,000). Past the cap a file's findings are
    /// one result per kind with their count, and the run says the cap applied.
    #[arg(long, value_name = "N", default_value_t = report::SARIF_MAX_RESULTS as u64,
          value_parser = clap::value_parser!(u64).range(report::SARIF_MIN_RESULTS as u64..=report::SARIF_MAX_RESULTS as u64))]
    sarif_max_results: u64,
    /// Print values as they stand in the document (evaluation and trusted use only).
    #[arg(long)]
    reveal: bool,
    /// CI gate: exit 1 when a finding of these kinds (comma-separated, or `any`) is found.
    #[arg(long, value_name = "KINDS")]
    fail_on: Option<String>,
    #[command(flatten)]
    shared: SharedArgs,
    #[command(flatten)]
    gate: GateArgs,
}

pub fn run() -> Result<ExitCode> {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return Ok(ExitCode::from(code));
        }
    };
    match cli.command {
        Command::Scan(a) => scan(a),
        Command::Redact(a) => redact(a),
        Command::Merge(m) => gate_cli::merge(m),
    }
}

fn redact(mut a: RedactArgs) -> Result<ExitCode> {
    use zwartlak::redact::{self, Redaction, Style};
    a.paths = inputs::Inputs::gather(&a.paths, &a.shared.walk, false)?.paths;
    redact::check_out_dir(&a.paths, &a.out).map_err(anyhow::Error::msg)?;
    // The config's kinds, min_confidence, include and exclude apply as in
    // `scan`; its allow lists and policies belong to the scan gate: values on
    // an allow list are still redacted (the safe side).
    let config = setup::load_config(&a.shared.config)?;
    let run = Setup::new(&a.paths, &config, &a.shared, a.reveal)?;
    let mut red = Redaction::new(run.scanner, a.style);
    // The pseudonyms are numbered first: the copies' names use them.
    if a.style == Style::Pseudonym {
        red.build_register(&run.entries)?;
    }
    let jobs = redact::plan_outputs(&a.paths, run.entries, &a.out, &|names| {
        red.redacted_names(names)
    });
    let opened = redact::open_release(&a.out, a.overwrite).map_err(anyhow::Error::msg)?;
    let entries: Vec<_> = jobs.iter().map(|j| j.entry.clone()).collect();
    let (progress, bytes) = Progress::new(&a.shared.progress, &entries);
    drop(entries);
    red.scanner.opts.progress = bytes;
    let color = a.format == report::Format::Text && std::io::stdout().is_terminal();
    let stdout = std::io::stdout();
    let out: Box<dyn Write> = Box::new(std::io::BufWriter::new(stdout.lock()));
    let opts = report::ReportOptions {
        color,
        root: Some(report::root_uri(&scan_root(&a.paths))),
        ..report::ReportOptions::default()
    };
    let mut rep = report::with_options(a.format, out, opts);
    let released = red.run(&jobs, rep.as_mut(), &mut |r| progress.tick(r))?;
    drop(rep);
    progress.finish();
    let stale = redact::remove_stale(&jobs, &released.written);
    let shown = zwartlak::walk::shown_path(&a.out);
    if !a.shared.progress.quiet && (stale > 0 || opened.temps_removed > 0) {
        eprintln!(
            "zwartlak: removed from --out {shown}: {stale} stale cop{} of files not written \
             in this run, {} temporary file{} of an earlier run",
            if stale == 1 { "y" } else { "ies" },
            opened.temps_removed,
            if opened.temps_removed == 1 { "" } else { "s" }
        );
    }
    if let Some(path) = &a.audit {
        redact::audit::write_file(&released.audit, path)
            .with_context(|| format!("cannot write {}", zwartlak::walk::shown_path(path)))?;
    }
    let s = &released.summary;
    if s.renamed.unwrap_or(0) > 0 && !a.shared.progress.quiet {
        eprintln!(
            "zwartlak: {} cop{} written under another name: another input's copy has the \
             same path (see the notes and the audit)",
            s.renamed.unwrap_or(0),
            if s.renamed == Some(1) { "y" } else { "ies" }
        );
    }
    let failed = s.write_errors.unwrap_or(0);
    if failed > 0 {
        // The marker stays: the release is not what it should be.
        eprintln!(
            "zwartlak: {failed} redacted cop{} could not be written: {shown} is incomplete",
            if failed == 1 { "y" } else { "ies" }
        );
        return Ok(ExitCode::from(2));
    }
    redact::close_release(&a.out).with_context(|| format!("cannot finish --out {shown}"))?;
    Ok(ExitCode::from(0))
}

/// The folder report paths are relative to: the one folder given (the walk
/// shows paths within it), else the working directory (paths as given).
fn scan_root(paths: &[PathBuf]) -> PathBuf {
    match paths {
        [one] if one.is_dir() => one.clone(),
        _ => PathBuf::from("."),
    }
}

fn scan(a: ScanArgs) -> Result<ExitCode> {
    let config = setup::load_config(&a.shared.config)?;
    let g = gate_cli::prepare(&a.gate, config, a.fail_on.as_deref())?;
    let inputs = inputs::Inputs::gather(&a.paths, &a.shared.walk, true)?;
    let Setup {
        filter,
        mut entries,
        mut scanner,
    } = Setup::new(&inputs.paths, &g.config, &a.shared, a.reveal)?;
    entries.extend(inputs.stdin);
    if let Some(shard) = a.gate.shard {
        entries.retain(|e| shard.owns(&e.display));
    }
    // The roster's content and file names (ids can be "file:row") change results.
    let detect = &a.shared.detect;
    let roster_key = if a.gate.cache.is_some() {
        detect
            .roster
            .iter()
            .map(|p| {
                let name = p.file_name().unwrap_or_default().to_string_lossy();
                format!("{name}:{}", gate_cli::file_hash(Some(p)))
            })
            .collect::<Vec<_>>()
            .join(",")
    } else {
        String::new()
    };
    let cache = gate_cli::open_cache(
        &a.gate,
        &format!(
            "kinds={:?};min={};reveal={};limits={:?};subject={};keep={};organization={};roster={roster_key}",
            filter.kinds,
            filter.min_confidence,
            a.reveal,
            scanner.opts.limits,
            gate_cli::file_hash(detect.subject.as_deref()),
            gate_cli::file_hash(detect.keep.as_deref()),
            g.config.organization.fingerprint(),
        ),
    )?;

    let (progress, bytes) = Progress::new(&a.shared.progress, &entries);
    scanner.opts.progress = bytes;
    let mut each = |r: &FileResult| progress.tick(r);

    let color =
        a.output.is_none() && a.format == report::Format::Text && std::io::stdout().is_terminal();
    let opts = report::ReportOptions {
        color,
        fingerprints: g.fingerprints.clone(),
        title: Some(
            a.paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        root: Some(report::root_uri(&scan_root(&a.paths))),
        max_results: Some(a.sarif_max_results as usize),
    };
    let outcome = gate_cli::write_output(a.output.as_deref(), |out| {
        let inner = report::with_options(a.format, out, opts);
        let mut rep = g.report(&a.gate, inner);
        scanner.run_cached(
            &entries,
            &mut rep,
            &mut each,
            cache.as_ref().map(|c| c as &dyn zwartlak::scan::EntryCache),
        )?;
        Ok(rep.outcome)
    })?;
    progress.finish();
    if let Some(c) = &cache {
        let stats = c.finish()?;
        if !a.shared.progress.quiet {
            eprintln!(
                "zwartlak: cache: {} unchanged, {} touched but unchanged, {} scanned",
                stats.hits, stats.rehashed, stats.misses
            );
        }
    }
    g.conclude(&a.gate, outcome)
}
