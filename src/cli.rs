//! Command-line interface (SPEC: commands, options, exit codes).

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use zwartlak::attribute::People;
use zwartlak::detect::{Engine, Filter};
use zwartlak::extract::Limits;
use zwartlak::kind::KindSet;
use zwartlak::record::FileResult;
use zwartlak::report;
use zwartlak::scan::{ScanOptions, Scanner};
use zwartlak::walk::{self, WalkOptions};

mod gate_cli;
use gate_cli::{GateArgs, MergeArgs};

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
struct RedactArgs {
    /// Files and folders to redact (never modified).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Folder for the redacted copies (mirrors the input tree; not inside an input).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The data subject (TOML, see SPEC): their own data is kept.
    #[arg(long, value_name = "FILE")]
    subject: Option<PathBuf>,
    /// Staff names to keep (CSV with a `name` column, or TOML).
    #[arg(long, value_name = "FILE")]
    keep: Option<PathBuf>,
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
    /// Redact only findings with at least this confidence (0..1).
    #[arg(long, default_value_t = 0.5, value_name = "X")]
    min_confidence: f32,
    /// Worker threads (0: one per core).
    #[arg(long, short = 'j', default_value_t = 0, value_name = "N")]
    threads: usize,
    /// Redact only files matching GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// Leave out files matching GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Leave out files larger than SIZE (e.g. 500M) [default: 2G].
    #[arg(long, value_name = "SIZE", value_parser = zwartlak::size::parse_size)]
    max_filesize: Option<u64>,
    /// Follow symbolic links.
    #[arg(long)]
    follow_symlinks: bool,
}

#[derive(Args)]
#[command(after_help = Limits::default().describe())]
struct ScanArgs {
    /// Files and folders to scan.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = report::Format::Text)]
    format: report::Format,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Print values as they stand in the document (evaluation and trusted use only).
    #[arg(long)]
    reveal: bool,
    /// CI gate: exit 1 when a finding of these kinds (comma-separated, or `any`) is found.
    #[arg(long, value_name = "KINDS")]
    fail_on: Option<String>,
    /// Report only findings with at least this confidence (0..1) [default: 0.5, or the config's].
    #[arg(long, value_name = "X")]
    min_confidence: Option<f32>,
    /// Look only for these kinds (comma-separated).
    #[arg(long, value_name = "KINDS")]
    kinds: Option<String>,
    /// The data subject (TOML, see SPEC): findings get `owner`.
    #[arg(long, value_name = "FILE")]
    subject: Option<PathBuf>,
    /// Staff names (CSV with a `name` column, or TOML): owner `staff`.
    #[arg(long, value_name = "FILE")]
    keep: Option<PathBuf>,
    /// Known people (CSV or XLSX with columns such as name, bsn, iban, email,
    /// phone, address): all their values are found in one pass, in every
    /// spelling variant, with high confidence, and carry the row's id (an id
    /// column such as klantnummer, else file:row) as `roster`.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    roster: Vec<PathBuf>,
    /// Worker threads (0: one per core).
    #[arg(long, short = 'j', default_value_t = 0, value_name = "N")]
    threads: usize,
    /// Scan only files matching GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// Skip files matching GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Skip files larger than SIZE (e.g. 500M) [default: 2G].
    #[arg(long, value_name = "SIZE", value_parser = zwartlak::size::parse_size)]
    max_filesize: Option<u64>,
    /// Time budget per file in seconds, archive members and attachments
    /// included (0: none). A file over budget becomes an `error` record.
    #[arg(long, default_value_t = 60.0, value_name = "SECONDS")]
    file_timeout: f64,
    /// Follow symbolic links.
    #[arg(long)]
    follow_symlinks: bool,
    /// No progress bar.
    #[arg(long, short = 'q')]
    quiet: bool,
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

fn redact(a: RedactArgs) -> Result<ExitCode> {
    use zwartlak::redact::{self, RedactOptions, Redaction, Style};
    if !(0.0..=1.0).contains(&a.min_confidence) {
        anyhow::bail!(
            "--min-confidence must be between 0 and 1, not {}",
            a.min_confidence
        );
    }
    redact::check_out_dir(&a.paths, &a.out).map_err(anyhow::Error::msg)?;
    let people = if a.subject.is_some() || a.keep.is_some() {
        Some(People::from_files(a.subject.as_deref(), a.keep.as_deref())?)
    } else {
        None
    };
    let engine = Engine::builtin(Filter {
        min_confidence: a.min_confidence,
        kinds: KindSet::all(),
    })?;
    let mut limits = Limits::default();
    if let Some(m) = a.max_filesize {
        limits.max_file_size = m;
    }
    let entries = walk::walk(
        &a.paths,
        &WalkOptions {
            include: a.include.clone(),
            exclude: a.exclude.clone(),
            follow_symlinks: a.follow_symlinks,
        },
    )?;
    let jobs = redact::plan_outputs(&a.paths, entries, &a.out);
    std::fs::create_dir_all(&a.out)
        .with_context(|| format!("cannot create {}", a.out.display()))?;
    let mut red = Redaction::new(
        engine,
        RedactOptions {
            style: a.style,
            limits,
            reveal: a.reveal,
            people,
            threads: a.threads,
        },
    );
    if a.style == Style::Pseudonym {
        red.build_register(&jobs);
    }
    let color = a.format == report::Format::Text && std::io::stdout().is_terminal();
    let stdout = std::io::stdout();
    let out: Box<dyn Write> = Box::new(std::io::BufWriter::new(stdout.lock()));
    let mut rep = report::new(a.format, out, color);
    let (_, audit) = red.run(&jobs, rep.as_mut(), &mut |_| {})?;
    if let Some(path) = &a.audit {
        redact::audit::write_file(&audit, path)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(ExitCode::from(0))
}

fn scan(a: ScanArgs) -> Result<ExitCode> {
    let g = gate_cli::prepare(&a.gate, a.fail_on.as_deref())?;
    let min_confidence = a.min_confidence.or(g.config.min_confidence).unwrap_or(0.5);
    if !(0.0..=1.0).contains(&min_confidence) {
        anyhow::bail!("--min-confidence must be between 0 and 1, not {min_confidence}");
    }
    let kinds = match &a.kinds {
        Some(k) => KindSet::parse(k).context("--kinds")?,
        None => g.config.kinds.unwrap_or_else(KindSet::all),
    };
    let people = if a.subject.is_some() || a.keep.is_some() {
        Some(People::from_files(a.subject.as_deref(), a.keep.as_deref())?)
    } else {
        None
    };
    let mut engine = Engine::builtin(Filter {
        min_confidence,
        kinds,
    })?;
    if !a.roster.is_empty() {
        let roster = zwartlak::detect::roster::Roster::from_files(&a.roster)?;
        engine = engine.with_roster(roster);
    }
    let mut limits = Limits::default();
    if let Some(m) = a.max_filesize {
        limits.max_file_size = m;
    }
    if !(a.file_timeout.is_finite() && a.file_timeout >= 0.0) {
        anyhow::bail!(
            "--file-timeout must be a number of seconds (0: none), not {}",
            a.file_timeout
        );
    }
    limits.max_seconds = a.file_timeout;
    let mut entries = walk::walk(
        &a.paths,
        &WalkOptions {
            include: [a.include.clone(), g.config.include.clone()].concat(),
            exclude: [a.exclude.clone(), g.config.exclude.clone()].concat(),
            follow_symlinks: a.follow_symlinks,
        },
    )?;
    if let Some(shard) = a.gate.shard {
        entries.retain(|e| shard.owns(&e.display));
    }
    // The roster's content and file names (ids can be "file:row") change results.
    let roster_key = if a.gate.cache.is_some() {
        a.roster
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
            "kinds={kinds:?};min={min_confidence};reveal={};limits={limits:?};subject={};keep={};roster={roster_key}",
            a.reveal,
            gate_cli::file_hash(a.subject.as_deref()),
            gate_cli::file_hash(a.keep.as_deref()),
        ),
    )?;
    let scanner = Scanner::new(
        engine,
        ScanOptions {
            limits,
            reveal: a.reveal,
            people,
            threads: a.threads,
        },
    );

    let progress = (!a.quiet && std::io::stderr().is_terminal()).then(|| {
        let pb = indicatif::ProgressBar::new(entries.len() as u64);
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} files {elapsed_precise} {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        pb
    });
    let mut each = |r: &FileResult| {
        if let Some(pb) = &progress {
            if !r.file.path.contains('!') {
                pb.inc(1);
            }
        }
    };

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
    if let Some(pb) = progress {
        pb.finish_and_clear();
    }
    if let Some(c) = &cache {
        let stats = c.finish()?;
        if !a.quiet {
            eprintln!(
                "zwartlak: cache: {} unchanged, {} touched but unchanged, {} scanned",
                stats.hits, stats.rehashed, stats.misses
            );
        }
    }
    g.conclude(&a.gate, outcome)
}
