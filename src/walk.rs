//! Walking: command-line paths to the list of files to scan, with include /
//! exclude globs, symlinks not followed unless asked, and special files
//! (fifos, devices, sockets) reported as skipped instead of opened.

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

fn globset(globs: &[String]) -> Result<Option<GlobSet>, WalkError> {
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
    shown.to_string_lossy().replace('\\', "/")
}

/// The path of a walk error: the root itself (a folder that cannot be
/// read) is shown as given on the command line, never as "".
fn error_display(root: &Path, path: &Path, single_dir_root: bool) -> String {
    match display(root, path, single_dir_root) {
        s if s.is_empty() => root.to_string_lossy().replace('\\', "/"),
        s => s,
    }
}

/// All files under `roots`, sorted by display path, so that runs, shards
/// and reports are deterministic.
pub fn walk(roots: &[PathBuf], opts: &WalkOptions) -> Result<Vec<Entry>, WalkError> {
    let include = globset(&opts.include)?;
    let exclude = globset(&opts.exclude)?;
    let single_dir_root = roots.len() == 1 && roots[0].is_dir();
    let mut out = Vec::new();
    for root in roots {
        if std::fs::symlink_metadata(root).is_err() {
            return Err(WalkError::Missing {
                path: root.display().to_string(),
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
                    out.push(Entry {
                        display: error_display(root, &path, single_dir_root),
                        path,
                        skip: Some(format!(
                            "cannot walk: {}",
                            e.to_string().lines().next().unwrap_or("")
                        )),
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
                path,
                display: shown,
                skip,
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

    #[test]
    fn missing_root_is_an_error() {
        assert!(walk(&[PathBuf::from("/no/such/place")], &WalkOptions::default()).is_err());
    }
}
