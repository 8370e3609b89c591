//! Walking: command-line paths to the list of files to scan, with include /
//! exclude globs, symlinks not followed unless asked, and special files
//! (fifos, devices, sockets) reported as skipped instead of opened. Also
//! how paths are shown: [`display_name`] (no two names look the same, also
//! when they are not UTF-8) and [`terminal_safe`] (no control character or
//! escape sequence reaches a terminal).

use crate::record::skip;
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};

/// What to walk and how.
#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    /// Globs a file's path must match to be walked; empty for all.
    pub include: Vec<String>,
    /// Globs of paths to leave out.
    pub exclude: Vec<String>,
    /// Whether symbolic links are followed.
    pub follow_symlinks: bool,
    /// Whether globs match file extensions case-sensitively (by default
    /// `*.pdf` also takes `SCAN.PDF`).
    pub glob_case_sensitive: bool,
}

/// One entry of the walk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The file on disk.
    pub path: PathBuf,
    /// The path as reported (relative to the root when one folder was given).
    pub display: String,
    /// Set when the entry must not be opened: the reason it is skipped.
    pub skip: Option<String>,
    /// Where in `display` the names below the root the user gave begin:
    /// the names from here on are read for personal data
    /// ([`crate::pathname`]), the root itself is not. A file given on the
    /// command line: its own name. `display.len()`: none (the root itself).
    pub names_from: usize,
    /// The content, when it was read before the walk (standard input);
    /// then `path` is not opened.
    pub data: Option<Held>,
}

/// Bytes read ahead of the scan, shared between threads. Its `Debug` shows
/// the length only: the bytes may hold personal data.
#[derive(Clone, PartialEq, Eq)]
pub struct Held(pub std::sync::Arc<Vec<u8>>);

impl std::fmt::Debug for Held {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Held({} bytes)", self.0.len())
    }
}

impl Entry {
    /// An entry for content already read (standard input), shown as
    /// `display`; its extension, if any, guides format detection.
    pub fn held(display: &str, data: Vec<u8>) -> Entry {
        Entry {
            path: PathBuf::from("-"),
            display: display.to_string(),
            skip: None,
            names_from: 0,
            data: Some(Held(std::sync::Arc::new(data))),
        }
    }
}

/// A walk that cannot start.
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error("invalid glob `{glob}`: {source}")]
    /// An include or exclude glob does not parse.
    Glob {
        /// The glob as given.
        glob: String,
        /// The parse error.
        source: globset::Error,
    },
    /// A path given on the command line does not exist.
    #[error("{path}: no such file or directory")]
    Missing {
        /// The path as given.
        path: String,
    },
}

/// `glob` with the letters of its file extension matched in either case:
/// `*.pdf` becomes `*.[pP][dD][fF]`. The extension is what follows the first
/// `.` of the last path component that is not its first character (so
/// `*.tar.gz` covers both parts and `.env` has none). Letters inside a `[...]`
/// class or after a `\` are left as written. Hand-written: globset's
/// `case_insensitive` applies to the whole path, folder names included.
fn extension_case_insensitive(glob: &str) -> String {
    let last = glob.rfind('/').map_or(0, |i| i + 1);
    let Some(dot) = glob[last..]
        .char_indices()
        .skip(1)
        .find(|&(_, c)| c == '.')
        .map(|(i, _)| last + i)
    else {
        return glob.to_string();
    };
    let mut out = String::with_capacity(glob.len() * 2);
    out.push_str(&glob[..=dot]);
    let (mut in_class, mut escaped) = (false, false);
    for c in glob[dot + 1..].chars() {
        if escaped {
            escaped = false;
            out.push(c);
            continue;
        }
        match c {
            '\\' => escaped = true,
            '[' => in_class = true,
            ']' => in_class = false,
            _ => {}
        }
        if c.is_ascii_alphabetic() && !in_class {
            out.push('[');
            out.push(c.to_ascii_lowercase());
            out.push(c.to_ascii_uppercase());
            out.push(']');
        } else {
            out.push(c);
        }
    }
    out
}

fn globset(globs: &[String], case_sensitive: bool) -> Result<Option<GlobSet>, WalkError> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for g in globs {
        // A glob without a slash matches the file name anywhere, like ripgrep's.
        let pattern = if g.contains('/') {
            g.clone()
        } else {
            format!("**/{g}")
        };
        let pattern = if case_sensitive {
            pattern
        } else {
            extension_case_insensitive(&pattern)
        };
        b.add(Glob::new(&pattern).map_err(|source| WalkError::Glob {
            glob: g.clone(),
            source,
        })?);
    }
    Ok(Some(b.build().map_err(|source| WalkError::Glob {
        glob: globs.join(","),
        source,
    })?))
}

fn display(root: &Path, path: &Path, single_dir_root: bool) -> String {
    let shown = if single_dir_root {
        path.strip_prefix(root).unwrap_or(path)
    } else {
        path
    };
    // The root itself (an error at a folder given on the command line) is
    // shown as given, never as an empty path.
    let shown = if shown.as_os_str().is_empty() {
        root
    } else {
        shown
    };
    display_name(shown.as_os_str())
}

/// A path as reports show it, one to one: two different names never show
/// the same. On Unix a name is bytes: bytes that are not UTF-8 are shown
/// as `\xNN`, and a backslash as `\\` (so that a name spelling `\xff`
/// differs from one holding the byte 0xFF). Elsewhere backslashes (the
/// separator) become `/`. The bytes themselves are kept for writing.
pub fn display_name(name: &std::ffi::OsStr) -> String {
    #[cfg(unix)]
    {
        use std::fmt::Write;
        use std::os::unix::ffi::OsStrExt;
        let bytes = name.as_bytes();
        if bytes.is_ascii() && !bytes.contains(&b'\\') {
            return String::from_utf8_lossy(bytes).into_owned();
        }
        let mut out = String::with_capacity(bytes.len() + 8);
        for chunk in bytes.utf8_chunks() {
            out.push_str(&chunk.valid().replace('\\', "\\\\"));
            for b in chunk.invalid() {
                let _ = write!(out, "\\x{b:02X}");
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        name.to_string_lossy().replace('\\', "/")
    }
}

/// `s` with every control character and every character that changes how
/// a terminal shows text (escape sequences, bidirectional overrides)
/// written as an escape: `\n`, `\t`, `\x1B`, `\u{202E}`. A newline in a
/// file name cannot split a report entry, an escape sequence cannot
/// recolour or rewrite the terminal. Printable text is unchanged.
pub fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    fn unsafe_char(c: char) -> bool {
        c.is_control()
            || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    }
    if !s.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // C0 and DEL as \xNN; wider ones as \u{..}, so that they never
            // read as a byte that is not UTF-8 (those are \x80 and up).
            c if (c as u32) < 0x80 && unsafe_char(c) => {
                out.push_str(&format!("\\x{:02X}", c as u32))
            }
            c if unsafe_char(c) => out.push_str(&format!("\\u{{{:X}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A path as it may be printed on a terminal: [`display_name`], then
/// [`terminal_safe`].
pub fn shown_path(p: &Path) -> String {
    terminal_safe(&display_name(p.as_os_str())).into_owned()
}

/// The path of a walk error: the root itself (a folder that cannot be
/// read) is shown as given on the command line, never as "".
fn error_display(root: &Path, path: &Path, single_dir_root: bool) -> String {
    match display(root, path, single_dir_root) {
        s if s.is_empty() => root.to_string_lossy().replace('\\', "/"),
        s => s,
    }
}

/// What went wrong in a walk, without the paths the error carries: the
/// entry's own path is reported with it, masked like every path
/// ([`crate::pathname`]); a path inside the message would not be.
fn walk_error(e: &ignore::Error) -> String {
    match e {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => walk_error(err),
        ignore::Error::Loop { .. } => "file system loop (a link to a folder above it)".into(),
        ignore::Error::Partial(errs) => errs.first().map_or_else(String::new, walk_error),
        e => e.to_string().lines().next().unwrap_or("").to_string(),
    }
}

/// Where the names below `root` begin in `shown`, the display of `path`
/// (see [`Entry::names_from`]).
fn names_from(root: &Path, path: &Path, shown: &str) -> usize {
    let rel = match path.strip_prefix(root) {
        Ok(r) if !r.as_os_str().is_empty() => r,
        // A file given on the command line: its own name.
        _ if path == root && !root.is_dir() => match path.file_name() {
            Some(n) => Path::new(n),
            None => return shown.len(),
        },
        _ => return shown.len(),
    };
    let tail = display_name(rel.as_os_str());
    match shown.strip_suffix(tail.as_str()) {
        Some(head) if head.is_empty() || head.ends_with('/') => head.len(),
        _ => shown.len(),
    }
}

/// All files under `roots`, sorted by display path, so that runs, shards
/// and reports are deterministic.
pub fn walk(roots: &[PathBuf], opts: &WalkOptions) -> Result<Vec<Entry>, WalkError> {
    let include = globset(&opts.include, opts.glob_case_sensitive)?;
    let exclude = globset(&opts.exclude, opts.glob_case_sensitive)?;
    let single_dir_root = roots.len() == 1 && roots[0].is_dir();
    let mut out = Vec::new();
    for root in roots {
        if std::fs::symlink_metadata(root).is_err() {
            return Err(WalkError::Missing {
                path: shown_path(root),
            });
        }
        let walker = ignore::WalkBuilder::new(root)
            .standard_filters(false)
            .hidden(false)
            .follow_links(opts.follow_symlinks)
            .build();
        for item in walker {
            let dent = match item {
                Ok(d) => d,
                Err(e) => {
                    let path = match &e {
                        ignore::Error::WithPath { path, .. } => path.clone(),
                        _ => root.clone(),
                    };
                    let display = error_display(root, &path, single_dir_root);
                    out.push(Entry {
                        names_from: names_from(root, &path, &display),
                        display,
                        path,
                        skip: Some(format!("cannot walk: {}", walk_error(&e))),
                        data: None,
                    });
                    continue;
                }
            };
            let path = dent.path().to_path_buf();
            let shown = display(root, &path, single_dir_root);
            let rel = Path::new(&shown);
            let Some(ft) = dent.file_type() else { continue };
            if ft.is_dir() {
                continue;
            }
            if include.as_ref().is_some_and(|g| !g.is_match(rel)) {
                continue;
            }
            // Excluded files are listed (the user's choice, never silent).
            let excluded = exclude
                .as_ref()
                .and_then(|g| g.matches(rel).first().copied())
                .map(|i| format!("{} `{}`", skip::EXCLUDED, opts.exclude[i]));
            let skip = if excluded.is_some() {
                excluded
            } else if ft.is_symlink() {
                Some(skip::SYMLINK.to_string())
            } else if !ft.is_file() {
                Some(skip::SPECIAL.to_string())
            } else {
                None
            };
            out.push(Entry {
                names_from: names_from(root, &path, &shown),
                path,
                display: shown,
                skip,
                data: None,
            });
        }
    }
    out.sort_by(|a, b| a.display.cmp(&b.display));
    out.dedup_by(|a, b| a.path == b.path);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_with_globs_and_relative_paths() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        std::fs::write(dir.path().join("a/b/x.txt"), "x").unwrap();
        std::fs::write(dir.path().join("a/y.csv"), "y").unwrap();
        std::fs::write(dir.path().join("z.log"), "z").unwrap();
        let all = walk(&[dir.path().to_path_buf()], &WalkOptions::default()).unwrap();
        let names: Vec<&str> = all.iter().map(|e| e.display.as_str()).collect();
        assert_eq!(names, vec!["a/b/x.txt", "a/y.csv", "z.log"]);
        let opts = WalkOptions {
            include: vec!["*.txt".into(), "*.csv".into()],
            exclude: vec!["a/b/**".into()],
            ..Default::default()
        };
        let some = walk(&[dir.path().to_path_buf()], &opts).unwrap();
        assert_eq!(
            some.iter()
                .filter(|e| e.skip.is_none())
                .map(|e| e.display.as_str())
                .collect::<Vec<_>>(),
            vec!["a/y.csv"]
        );
        // the excluded file is listed with the glob that left it out
        let x = some.iter().find(|e| e.display == "a/b/x.txt").unwrap();
        assert_eq!(x.skip.as_deref(), Some("excluded by the glob `a/b/**`"));
        assert_eq!(some.len(), 2, "z.log matches no include glob: not listed");
    }

    #[test]
    fn extensions_match_in_either_case() {
        assert_eq!(extension_case_insensitive("**/*.pdf"), "**/*.[pP][dD][fF]");
        assert_eq!(
            extension_case_insensitive("Archief/*.Tar.gz"),
            "Archief/*.[tT][aA][rR].[gG][zZ]"
        );
        assert_eq!(extension_case_insensitive("**/.env"), "**/.env");
        assert_eq!(extension_case_insensitive("a.b/c"), "a.b/c");
        assert_eq!(
            extension_case_insensitive("*.{pdf,[dD]oc}"),
            "*.{[pP][dD][fF],[dD][oO][cC]}"
        );
        let dir = tempfile::tempdir().unwrap();
        for f in [
            "SCAN.PDF",
            "brief.Pdf",
            "noot.txt",
            "Map/LIJST.CSV",
            "map/x.csv",
        ] {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        let names = |include: &[&str], sensitive: bool| -> Vec<String> {
            let opts = WalkOptions {
                include: include.iter().map(|s| s.to_string()).collect(),
                glob_case_sensitive: sensitive,
                ..WalkOptions::default()
            };
            walk(&[dir.path().to_path_buf()], &opts)
                .unwrap()
                .into_iter()
                .map(|e| e.display)
                .collect()
        };
        assert_eq!(names(&["*.pdf"], false), ["SCAN.PDF", "brief.Pdf"]);
        assert!(names(&["*.pdf"], true).is_empty());
        // Folder names keep their case: only the extension is folded.
        assert_eq!(names(&["map/*.csv"], false), ["map/x.csv"]);
    }

    #[test]
    fn names_below_the_root_are_marked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        std::fs::write(dir.path().join("a/b/x.txt"), "x").unwrap();
        std::fs::write(dir.path().join("y.txt"), "y").unwrap();
        let below = |e: &Entry| e.display[e.names_from..].to_string();
        let one = walk(&[dir.path().join("a")], &WalkOptions::default()).unwrap();
        assert_eq!(below(&one[0]), "b/x.txt");
        assert_eq!(one[0].names_from, 0);
        // several roots: shown as given, the root's own names not read
        let two = walk(
            &[dir.path().join("a"), dir.path().join("y.txt")],
            &WalkOptions::default(),
        )
        .unwrap();
        let names: Vec<String> = two.iter().map(below).collect();
        assert_eq!(names, vec!["b/x.txt", "y.txt"]);
        assert!(two[0].display.ends_with("/a/b/x.txt"), "{}", two[0].display);
        // one file given: its own name
        let file = walk(&[dir.path().join("y.txt")], &WalkOptions::default()).unwrap();
        assert_eq!(below(&file[0]), "y.txt");
        // the root folder itself (an error there): no names
        assert_eq!(names_from(dir.path(), dir.path(), "d"), 1);
    }

    #[test]
    fn walk_errors_do_not_quote_paths() {
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "Permission denied");
        let e = ignore::Error::WithPath {
            path: PathBuf::from("d/post jan@example.nl"),
            err: Box::new(ignore::Error::Io(io)),
        };
        assert!(e.to_string().contains("jan@example.nl"));
        assert_eq!(walk_error(&e), "Permission denied");
        let lp = ignore::Error::Loop {
            ancestor: PathBuf::from("d/jan@example.nl"),
            child: PathBuf::from("d/jan@example.nl/x"),
        };
        assert!(!walk_error(&lp).contains('@'), "{}", walk_error(&lp));
    }

    #[test]
    fn a_root_that_cannot_be_walked_keeps_its_path() {
        let root = Path::new("/srv/dossiers");
        assert_eq!(error_display(root, root, true), "/srv/dossiers");
        assert_eq!(error_display(root, &root.join("a/b"), true), "a/b");
        assert_eq!(
            error_display(root, &root.join("a"), false),
            "/srv/dossiers/a"
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_and_fifos_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("real.txt"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path().join("real.txt"), dir.path().join("link.txt"))
            .unwrap();
        let status = std::process::Command::new("mkfifo")
            .arg(dir.path().join("pipe"))
            .status();
        let all = walk(&[dir.path().to_path_buf()], &WalkOptions::default()).unwrap();
        let link = all.iter().find(|e| e.display == "link.txt").unwrap();
        assert!(link.skip.as_deref().unwrap().contains("symbolic link"));
        if status.is_ok_and(|s| s.success()) {
            let pipe = all.iter().find(|e| e.display == "pipe").unwrap();
            assert!(pipe.skip.as_deref().unwrap().contains("fifo"));
        }
        assert!(all
            .iter()
            .find(|e| e.display == "real.txt")
            .unwrap()
            .skip
            .is_none());
    }

    #[cfg(unix)]
    #[test]
    fn names_are_shown_one_to_one() {
        use std::os::unix::ffi::OsStrExt;
        let show = |b: &[u8]| display_name(std::ffi::OsStr::from_bytes(b));
        assert_eq!(show(b"d/brief.txt"), "d/brief.txt");
        assert_eq!(show("d/één.txt".as_bytes()), "d/één.txt");
        assert_eq!(show(b"a\xff"), r"a\xFF");
        assert_eq!(show(b"a\\xFF"), r"a\\xFF");
        assert_ne!(show(b"a\xff"), show(b"a\xfe"));
        assert_ne!(show(b"a\\b"), show(b"a/b"));
    }

    #[test]
    fn control_characters_are_escaped_for_terminals() {
        assert_eq!(terminal_safe("d/brief.txt"), "d/brief.txt");
        assert_eq!(terminal_safe("a\nb\tc\x1b[31m"), r"a\nb\tc\x1B[31m");
        assert_eq!(terminal_safe("x\u{202e}y\u{85}"), r"x\u{202E}y\u{85}");
        assert_eq!(terminal_safe("één"), "één");
    }

    #[test]
    fn an_error_at_a_root_folder_has_its_path() {
        let root = Path::new("given/dir");
        assert_eq!(display(root, root, true), "given/dir");
    }

    #[test]
    fn missing_root_is_an_error() {
        assert!(walk(&[PathBuf::from("/no/such/place")], &WalkOptions::default()).is_err());
    }
}
