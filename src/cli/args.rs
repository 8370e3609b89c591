//! Owns the option groups that `scan` and `redact` share, as clap
//! `#[command(flatten)]` groups: what to look for ([`DetectArgs`]), the
//! project configuration ([`ConfigArgs`]), per-file limits and threads
//! ([`LimitArgs`]), which files to take ([`WalkArgs`]) and progress output
//! ([`ProgressArgs`]), all five flattened into both commands as one
//! [`SharedArgs`]. Declared once so both commands spell, document and check
//! them the same way; [`super::setup`] turns them into the run.

use clap::Args;
use std::path::PathBuf;

/// Every option group `scan` and `redact` share (flattened into both).
#[derive(Args, Debug)]
pub struct SharedArgs {
    #[command(flatten)]
    pub detect: DetectArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub walk: WalkArgs,
    #[command(flatten)]
    pub progress: ProgressArgs,
}

/// What to look for and whose data it is.
#[derive(Args, Debug)]
pub struct DetectArgs {
    /// Only findings with at least this confidence (0..1) [default: 0.5, or the config's].
    #[arg(long, value_name = "X")]
    pub min_confidence: Option<f32>,
    /// Look only for these kinds (comma-separated) [default: all, or the config's].
    #[arg(long, value_name = "KINDS")]
    pub kinds: Option<String>,
    /// The data subject (TOML, see SPEC): findings get `owner`, and
    /// `redact` keeps the subject's own data.
    #[arg(long, value_name = "FILE")]
    pub subject: Option<PathBuf>,
    /// Staff to keep, owner `staff`: a CSV staff directory (a `name` column;
    /// the values of `email`, `phone` and `mobile` columns are kept too) or TOML names.
    #[arg(long, value_name = "FILE")]
    pub keep: Option<PathBuf>,
    /// Known people (CSV or XLSX with columns such as name, bsn, iban, email,
    /// phone, address): all their values are found in one pass, in every
    /// spelling variant, with high confidence, and carry the row's id (an id
    /// column such as klantnummer, else file:row) as `roster`.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub roster: Vec<PathBuf>,
}

/// Where the project configuration (`zwartlak.toml`) comes from.
#[derive(Args, Debug)]
pub struct ConfigArgs {
    /// Configuration file [default: zwartlak.toml in the working directory or a parent].
    /// Its kinds, min_confidence, include and exclude apply to `scan` and
    /// `redact`; its allow lists, policies and fail_on are the `scan` gate's.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Do not look for zwartlak.toml.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
}

/// Limits per file, and how many files at once.
#[derive(Args, Debug)]
pub struct LimitArgs {
    /// Leave out files larger than SIZE (e.g. 500M) [default: 2G].
    #[arg(long, value_name = "SIZE", value_parser = zwartlak::size::parse_size)]
    pub max_filesize: Option<u64>,
    /// Time budget per file in seconds, archive members and attachments
    /// included (0: none). A file over budget becomes an `error` record
    /// (and `redact` does not write it).
    #[arg(long, default_value_t = 60.0, value_name = "SECONDS")]
    pub file_timeout: f64,
    /// Worker threads (0: one per core).
    #[arg(long, short = 'j', default_value_t = 0, value_name = "N")]
    pub threads: usize,
}

/// Which files under the given paths are taken.
#[derive(Args, Debug)]
pub struct WalkArgs {
    /// Only files matching GLOB (repeatable; added to the config's `include`).
    /// A glob without `/` matches the file name in any folder; the file
    /// extension matches in either case (`*.pdf` takes `SCAN.PDF`) unless
    /// --glob-case-sensitive.
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Leave out files matching GLOB (repeatable; added to the config's
    /// `exclude`); extensions match in either case, as for --include.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Match the file extensions in --include/--exclude globs (and the
    /// config's) with their case as written.
    #[arg(long)]
    pub glob_case_sensitive: bool,
    /// Follow symbolic links.
    #[arg(long)]
    pub follow_symlinks: bool,
    /// Also take the paths listed in FILE, one per line (`-`: read the list
    /// from standard input). Relative paths are relative to the working folder.
    #[arg(long, value_name = "FILE")]
    pub files_from: Option<PathBuf>,
    /// The --files-from list is separated by NUL bytes (as `find -print0`
    /// writes it), not by line breaks.
    #[arg(short = '0', long = "null", requires = "files_from")]
    pub null: bool,
    /// The name standard input (`-` as a path) is reported under; its
    /// extension chooses the format (`brief.html`). Without it the content is
    /// sniffed and read as text when it is not a known format.
    #[arg(long, value_name = "NAME")]
    pub stdin_name: Option<String>,
}

/// Progress output on standard error.
#[derive(Args, Debug)]
pub struct ProgressArgs {
    /// No progress bar and no closing notes on standard error.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}
