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

#[derive(Subcommand)]
enum Command {
    /// Walk files and folders in parallel, detect personal data, report findings.
    Scan(ScanArgs),
}

#[derive(Args)]
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
    /// Report only findings with at least this confidence (0..1).
    #[arg(long, default_value_t = 0.5, value_name = "X")]
    min_confidence: f32,
    /// Look only for these kinds (comma-separated).
    #[arg(long, value_name = "KINDS")]
    kinds: Option<String>,
    /// The data subject (TOML, see SPEC): findings get `owner`.
    #[arg(long, value_name = "FILE")]
    subject: Option<PathBuf>,
    /// Staff names (CSV with a `name` column, or TOML): owner `staff`.
    #[arg(long, value_name = "FILE")]
    keep: Option<PathBuf>,
    /// Worker threads (0: one per core).
    #[arg(long, short = 'j', default_value_t = 0, value_name = "N")]
    threads: usize,
    /// Scan only files matching GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// Skip files matching GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Skip files larger than SIZE (e.g. 500M).
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
    }
}

fn scan(a: ScanArgs) -> Result<ExitCode> {
    if !(0.0..=1.0).contains(&a.min_confidence) {
        anyhow::bail!(
            "--min-confidence must be between 0 and 1, not {}",
            a.min_confidence
        );
    }
    let kinds = match &a.kinds {
        Some(k) => KindSet::parse(k).context("--kinds")?,
        None => KindSet::all(),
    };
    let fail_on = a
        .fail_on
        .as_deref()
        .map(KindSet::parse)
        .transpose()
        .context("--fail-on")?;
    let people = if a.subject.is_some() || a.keep.is_some() {
        Some(People::from_files(a.subject.as_deref(), a.keep.as_deref())?)
    } else {
        None
    };
    let engine = Engine::builtin(Filter {
        min_confidence: a.min_confidence,
        kinds,
    })?;
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
    let entries = walk::walk(
        &a.paths,
        &WalkOptions {
            include: a.include.clone(),
            exclude: a.exclude.clone(),
            follow_symlinks: a.follow_symlinks,
        },
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
    let mut gate_failed = false;
    let mut each = |r: &FileResult| {
        if let Some(pb) = &progress {
            if !r.file.path.contains('!') {
                pb.inc(1);
            }
        }
        if let Some(kinds) = fail_on {
            gate_failed |= r.findings.iter().any(|f| kinds.contains(f.kind));
        }
    };

    let color =
        a.output.is_none() && a.format == report::Format::Text && std::io::stdout().is_terminal();
    match &a.output {
        None => {
            let stdout = std::io::stdout();
            let out: Box<dyn Write> = Box::new(std::io::BufWriter::new(stdout.lock()));
            let mut rep = report::new(a.format, out, color);
            scanner.run(&entries, rep.as_mut(), &mut each)?;
        }
        Some(path) => {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            let tmp = tempfile::NamedTempFile::new_in(dir)
                .with_context(|| format!("cannot write in {}", dir.display()))?;
            {
                let out: Box<dyn Write> = Box::new(std::io::BufWriter::new(tmp.as_file()));
                let mut rep = report::new(a.format, out, false);
                scanner.run(&entries, rep.as_mut(), &mut each)?;
            }
            tmp.persist(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    if let Some(pb) = progress {
        pb.finish_and_clear();
    }
    Ok(ExitCode::from(if gate_failed { 1 } else { 0 }))
}
