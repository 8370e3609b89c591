//! Owns where redacted copies go and how they are written: the output
//! tree mirroring the inputs ([`plan_outputs`], with the names below the
//! root given by `rename` (personal data replaced, see [`super::names`]),
//! distinct names for inputs that would share one and the names of copies
//! converted to XLSX),
//! the refusal of an output folder inside an input ([`check_out_dir`]),
//! the release folder's life ([`open_release`]: refused when not empty
//! unless overwriting, marked incomplete while written, leftovers of a
//! killed run removed; [`remove_stale`], [`close_release`]) and the writing
//! of copies ([`write_atomic`]).

use crate::walk::Entry;
use std::ffi::{OsStr, OsString};
use std::path::{Component, Path, PathBuf};

/// One input file and where its redacted copy goes.
#[derive(Clone, Debug)]
pub struct Job {
    /// The input file.
    pub entry: Entry,
    /// Where its redacted copy goes.
    pub out: PathBuf,
    /// Where the copy goes when the redactor converts it to XLSX (see
    /// [`plan_outputs`]); never the `out` of another job.
    pub converted_out: PathBuf,
    /// The mirrored name was taken by another input's copy: `out` is
    /// `name (2).ext` (or 3 ...).
    pub renamed: bool,
    /// `rename` changed a name of the copy (personal data in the input's
    /// path was replaced).
    pub name_redacted: bool,
    /// How many of the names at the end of `out` are the input's names
    /// below its root (as `rename` gave them): the folders and the file.
    pub names: usize,
}

/// A `rename` for [`plan_outputs`] that keeps every name.
pub fn same_names(names: &[&OsStr]) -> Vec<OsString> {
    names.iter().map(|n| n.to_os_string()).collect()
}

/// Extensions of the workbooks that are converted to XLSX.
const CONVERTED_EXTENSIONS: &[&str] = &["xls", "xlsb", "ods"];

/// Where the redacted copy of each entry goes: `out` mirrors the input tree
/// (one folder: its contents; several inputs: each under its own name),
/// the names below the root given (folders, then the file) as `rename`
/// returns them (as many as it is given; the root's own name is kept).
/// Two inputs with the same mirrored name (`redact a/x.txt b/x.txt`; names
/// are compared without case, as a release may be copied to a file system
/// that ignores it) are both kept: the later one in walk order becomes
/// `x (2).txt` (`renamed`).
///
/// `converted_out` is the name a copy converted to XLSX gets: `huur.xls` →
/// `huur.xlsx`, or `huur.xls.xlsx` when another copy already has that name
/// (then `huur.xls.2.xlsx` ...). The mirrored names are taken first, then
/// the workbooks with a converted extension (in walk order), then the rest
/// (a workbook whose content, not its name, says it is one).
pub fn plan_outputs(
    roots: &[PathBuf],
    entries: Vec<Entry>,
    out: &Path,
    rename: &dyn Fn(&[&OsStr]) -> Vec<OsString>,
) -> Vec<Job> {
    let mut jobs = mirror_outputs(roots, entries, out, rename);
    let key = |p: &Path| crate::walk::display_name(p.as_os_str()).to_lowercase();
    let mut mirrored = std::collections::HashSet::new();
    let mut collided = Vec::new();
    for (i, j) in jobs.iter().enumerate() {
        if !mirrored.insert(key(&j.out)) {
            collided.push(i);
        }
    }
    for i in collided {
        let o = jobs[i].out.clone();
        let (stem, ext) = match (o.file_stem(), o.extension()) {
            (Some(s), Some(e)) => (s.to_os_string(), Some(e.to_os_string())),
            _ => (o.file_name().unwrap_or_default().to_os_string(), None),
        };
        let renamed = (2..)
            .map(|n| {
                let mut name = stem.clone();
                name.push(format!(" ({n})"));
                if let Some(e) = &ext {
                    name.push(".");
                    name.push(e);
                }
                o.with_file_name(name)
            })
            .find(|c| mirrored.insert(key(c)))
            .unwrap_or(o);
        jobs[i].converted_out = renamed.clone();
        jobs[i].out = renamed;
        jobs[i].renamed = true;
    }
    let mut taken: std::collections::HashSet<String> = jobs.iter().map(|j| key(&j.out)).collect();
    let ext_of = |p: &Path| {
        p.extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default()
    };
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| !CONVERTED_EXTENSIONS.contains(&ext_of(&jobs[i].out).as_str()));
    for i in order {
        let o = jobs[i].out.clone();
        if ext_of(&o) == "xlsx" {
            continue;
        }
        let mut candidates = vec![o.with_extension("xlsx")];
        let mut n = 1;
        let chosen = loop {
            let c = match candidates.pop() {
                Some(c) => c,
                None => {
                    n += 1;
                    let mut name = o.as_os_str().to_os_string();
                    if n == 2 {
                        name.push(".xlsx");
                    } else {
                        name.push(format!(".{}.xlsx", n - 1));
                    }
                    PathBuf::from(name)
                }
            };
            if taken.insert(key(&c)) {
                break c;
            }
        };
        jobs[i].converted_out = chosen;
    }
    jobs
}

/// [`plan_outputs`] without the converted names (each is its `out`).
fn mirror_outputs(
    roots: &[PathBuf],
    entries: Vec<Entry>,
    out: &Path,
    rename: &dyn Fn(&[&OsStr]) -> Vec<OsString>,
) -> Vec<Job> {
    let single_dir = roots.len() == 1 && roots[0].is_dir();
    entries
        .into_iter()
        .map(|entry| {
            let root = roots
                .iter()
                .filter(|r| entry.path.starts_with(r))
                .max_by_key(|r| r.as_os_str().len());
            // The root's own name (several inputs), then the names below it.
            let (head, below): (PathBuf, &Path) = match root {
                Some(r) if r.is_dir() => {
                    let inner = entry.path.strip_prefix(r).unwrap_or(&entry.path);
                    if single_dir {
                        (PathBuf::new(), inner)
                    } else {
                        (base_name(r), inner)
                    }
                }
                _ => (
                    PathBuf::new(),
                    Path::new(entry.path.file_name().unwrap_or_default()),
                ),
            };
            let names: Vec<&OsStr> = below
                .components()
                .filter_map(|c| match c {
                    Component::Normal(n) => Some(n),
                    _ => None,
                })
                .collect();
            // A replacement is one name, never `..` or a folder; otherwise,
            // or when `rename` miscounts, the input's name stays.
            let one_name = |n: &OsString| {
                let mut c = Path::new(n).components();
                matches!((c.next(), c.next()), (Some(Component::Normal(_)), None))
            };
            let new: Vec<OsString> = match rename(&names) {
                new if new.len() == names.len() => new
                    .into_iter()
                    .zip(&names)
                    .map(|(n, orig)| if one_name(&n) { n } else { orig.to_os_string() })
                    .collect(),
                _ => same_names(&names),
            };
            let name_redacted = new.iter().zip(&names).any(|(a, b)| a.as_os_str() != *b);
            let mut rel: PathBuf = head
                .components()
                .filter(|c| matches!(c, Component::Normal(_)))
                .collect();
            rel.extend(&new);
            let count = names.len();
            let out = out.join(rel);
            Job {
                converted_out: out.clone(),
                out,
                entry,
                renamed: false,
                name_redacted,
                names: count,
            }
        })
        .collect()
}

fn base_name(p: &Path) -> PathBuf {
    match p.file_name() {
        Some(n) => PathBuf::from(n),
        None => std::fs::canonicalize(p)
            .ok()
            .and_then(|c| c.file_name().map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("input")),
    }
}

/// The absolute form of a path that may not exist yet.
fn absolute(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    // Resolve the longest existing prefix (symlinks), keep the rest as written.
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut resolved = std::fs::canonicalize(&existing).unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    resolved
}

/// Refuse an output folder inside an input (or an input inside it).
pub fn check_out_dir(roots: &[PathBuf], out: &Path) -> Result<(), String> {
    let out_abs = absolute(out);
    for r in roots {
        let r_abs = absolute(r);
        if out_abs.starts_with(&r_abs) {
            return Err(format!(
                "--out {} is inside the input {}: choose a folder outside the inputs",
                out.display(),
                r.display()
            ));
        }
        if r_abs.starts_with(&out_abs) {
            return Err(format!(
                "the input {} is inside --out {}: inputs are never overwritten",
                r.display(),
                out.display()
            ));
        }
    }
    Ok(())
}

/// The file that marks a release folder as being written; removed when
/// the run is done ([`close_release`]).
pub const INCOMPLETE_MARKER: &str = ".zwartlak-incomplete";

/// What [`open_release`] found and did.
#[derive(Debug, Default)]
pub struct Opened {
    /// Temporary files of a killed earlier run that were removed.
    pub temps_removed: usize,
}

/// Make `out` ready for a release: refused when it exists and is not an
/// empty folder, unless `overwrite` (then the temporary files a killed run
/// left are removed); then marked incomplete ([`INCOMPLETE_MARKER`]) until
/// [`close_release`]. Errors are for the user (exit 2).
pub fn open_release(out: &Path, overwrite: bool) -> Result<Opened, String> {
    let shown = crate::walk::shown_path(out);
    let mut opened = Opened::default();
    match std::fs::symlink_metadata(out) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("cannot read --out {shown}: {e}")),
        Ok(m) if !std::fs::metadata(out).is_ok_and(|m| m.is_dir()) => {
            let _ = m;
            return Err(format!("--out {shown} exists and is not a folder"));
        }
        Ok(_) => {
            let mut entries = std::fs::read_dir(out)
                .map_err(|e| format!("cannot read --out {shown}: {e}"))?
                .filter_map(Result::ok)
                .map(|e| e.file_name());
            if let Some(first) = entries.next() {
                if !overwrite {
                    let more = entries.count();
                    let killed = first == INCOMPLETE_MARKER
                        || std::fs::symlink_metadata(out.join(INCOMPLETE_MARKER)).is_ok();
                    return Err(format!(
                        "--out {shown} is not empty ({} entr{}{}): choose an empty or new \
                         folder, or add --overwrite to replace the copies in it (copies of \
                         files withheld in this run are then removed)",
                        more + 1,
                        if more == 0 { "y" } else { "ies" },
                        if killed {
                            "; an earlier release into it did not finish"
                        } else {
                            ""
                        }
                    ));
                }
                opened.temps_removed = remove_temps(out);
            }
        }
    }
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create --out {shown}: {e}"))?;
    std::fs::write(
        out.join(INCOMPLETE_MARKER),
        "zwartlak is writing this release, or was stopped while writing it: \
         it is not complete.\n",
    )
    .map_err(|e| format!("cannot write in --out {shown}: {e}"))?;
    Ok(opened)
}

/// Remove zwartlak's temporary files ([`crate::output::is_temp_name`])
/// under `dir`, without following symbolic links. Returns how many.
fn remove_temps(dir: &Path) -> usize {
    let mut removed = 0;
    let Ok(rd) = std::fs::read_dir(dir) else {
        return 0;
    };
    for e in rd.filter_map(Result::ok) {
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            removed += remove_temps(&e.path());
        } else if ft.is_file()
            && crate::output::is_temp_name(&e.file_name())
            && std::fs::remove_file(e.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

/// Remove what stands where a copy of this run could have gone but was not
/// written: a stale copy of a withheld file (from an earlier release into
/// the same folder), or the copy under the other name when the format of
/// the copy changed. `written[i]` is where job `i`'s copy went, if it went.
/// Folders are left alone. Returns how many files were removed.
pub fn remove_stale(jobs: &[Job], written: &[Option<PathBuf>]) -> usize {
    let mut removed = 0;
    for (job, w) in jobs.iter().zip(written) {
        let mut names = vec![&job.out];
        if job.converted_out != job.out {
            names.push(&job.converted_out);
        }
        for p in names {
            if w.as_ref() == Some(p) {
                continue;
            }
            let stale = std::fs::symlink_metadata(p).is_ok_and(|m| !m.is_dir());
            if stale && std::fs::remove_file(p).is_ok() {
                removed += 1;
            }
        }
    }
    removed
}

/// The release is written: remove its [`INCOMPLETE_MARKER`].
pub fn close_release(out: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(out.join(INCOMPLETE_MARKER)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Write a redacted copy: its folder is made, then the copy is written
/// atomically ([`crate::output`]); a symbolic link where it goes is
/// replaced, never followed, and anything but a regular file is refused.
pub fn write_atomic(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    crate::output::write_bytes(path, crate::output::Links::Replace, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_dir_may_not_be_inside_an_input() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        std::fs::create_dir_all(&input).unwrap();
        assert!(check_out_dir(std::slice::from_ref(&input), &input.join("red")).is_err());
        assert!(check_out_dir(std::slice::from_ref(&input), &input).is_err());
        assert!(check_out_dir(std::slice::from_ref(&input), dir.path()).is_err());
        assert!(check_out_dir(std::slice::from_ref(&input), &dir.path().join("out")).is_ok());
    }

    #[test]
    fn outputs_mirror_the_tree() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        std::fs::create_dir_all(a.join("sub")).unwrap();
        std::fs::write(a.join("sub/x.txt"), "x").unwrap();
        std::fs::write(dir.path().join("y.txt"), "y").unwrap();
        let roots = vec![a.clone()];
        let entries = crate::walk::walk(&roots, &Default::default()).unwrap();
        let jobs = plan_outputs(&roots, entries, Path::new("/o"), &same_names);
        assert_eq!(jobs[0].out, Path::new("/o/sub/x.txt"));
        let roots = vec![a.clone(), dir.path().join("y.txt")];
        let entries = crate::walk::walk(&roots, &Default::default()).unwrap();
        let mut outs: Vec<_> = plan_outputs(&roots, entries, Path::new("/o"), &same_names)
            .into_iter()
            .map(|j| j.out)
            .collect();
        outs.sort();
        assert_eq!(
            outs,
            vec![PathBuf::from("/o/a/sub/x.txt"), PathBuf::from("/o/y.txt")]
        );
    }

    #[test]
    fn converted_copies_get_names_no_other_copy_has() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        std::fs::create_dir_all(&a).unwrap();
        for n in [
            "huur.xls",
            "huur.xlsx",
            "huur.ods",
            "lijst.xlsb",
            "Data.ODS",
            "notitie.txt",
        ] {
            std::fs::write(a.join(n), "x").unwrap();
        }
        let roots = vec![a.clone()];
        let entries = crate::walk::walk(&roots, &Default::default()).unwrap();
        let jobs = plan_outputs(&roots, entries, Path::new("/o"), &same_names);
        let conv = |name: &str| {
            let j = jobs
                .iter()
                .find(|j| j.out == Path::new("/o").join(name))
                .unwrap();
            j.converted_out.to_string_lossy().into_owned()
        };
        // Walk order: Data.ODS, huur.ods, huur.xls, huur.xlsx, lijst.xlsb, notitie.txt.
        assert_eq!(conv("Data.ODS"), "/o/Data.xlsx");
        assert_eq!(conv("huur.ods"), "/o/huur.ods.xlsx");
        assert_eq!(conv("huur.xls"), "/o/huur.xls.xlsx");
        assert_eq!(conv("huur.xlsx"), "/o/huur.xlsx");
        assert_eq!(conv("lijst.xlsb"), "/o/lijst.xlsx");
        // Content decides the format: a workbook named .txt would go here.
        assert_eq!(conv("notitie.txt"), "/o/notitie.xlsx");
        let mut all: Vec<String> = jobs
            .iter()
            .filter(|j| j.out.extension().is_some_and(|e| e != "xlsx"))
            .map(|j| j.converted_out.to_string_lossy().to_lowercase())
            .chain(jobs.iter().map(|j| j.out.to_string_lossy().to_lowercase()))
            .collect();
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n, "{all:?}");
    }

    #[test]
    fn inputs_with_the_same_output_name_are_both_kept() {
        let dir = tempfile::tempdir().unwrap();
        for d in ["a", "b", "c"] {
            std::fs::create_dir_all(dir.path().join(d)).unwrap();
        }
        std::fs::write(dir.path().join("a/x.txt"), "1").unwrap();
        std::fs::write(dir.path().join("b/x.txt"), "2").unwrap();
        std::fs::write(dir.path().join("c/X.TXT"), "3").unwrap();
        std::fs::write(dir.path().join("a/noext"), "4").unwrap();
        std::fs::write(dir.path().join("b/noext"), "5").unwrap();
        let roots: Vec<PathBuf> = ["a/x.txt", "b/x.txt", "c/X.TXT", "a/noext", "b/noext"]
            .iter()
            .map(|p| dir.path().join(p))
            .collect();
        let entries = crate::walk::walk(&roots, &Default::default()).unwrap();
        let jobs = plan_outputs(&roots, entries, Path::new("/o"), &same_names);
        let mut outs: Vec<(String, bool)> = jobs
            .iter()
            .map(|j| (j.out.to_string_lossy().into_owned(), j.renamed))
            .collect();
        outs.sort();
        assert_eq!(
            outs,
            vec![
                ("/o/X (3).TXT".to_string(), true),
                ("/o/noext".to_string(), false),
                ("/o/noext (2)".to_string(), true),
                ("/o/x (2).txt".to_string(), true),
                ("/o/x.txt".to_string(), false),
            ]
        );
    }

    #[test]
    fn renamed_names_mirror_and_collide_like_names() {
        let dir = tempfile::tempdir().unwrap();
        for d in ["jan@example.nl", "piet@example.nl"] {
            std::fs::create_dir_all(dir.path().join("in").join(d)).unwrap();
            std::fs::write(dir.path().join("in").join(d).join("brief.txt"), d).unwrap();
        }
        std::fs::write(dir.path().join("in/gewoon.txt"), "x").unwrap();
        let hide = |names: &[&OsStr]| -> Vec<OsString> {
            names
                .iter()
                .map(|n| match n.to_str() {
                    Some(s) if s.contains('@') => OsString::from("[e-mail]"),
                    _ => n.to_os_string(),
                })
                .collect()
        };
        let roots = vec![dir.path().join("in")];
        let entries = crate::walk::walk(&roots, &Default::default()).unwrap();
        let jobs = plan_outputs(&roots, entries, Path::new("/o"), &hide);
        let outs: Vec<(String, bool, bool, usize)> = jobs
            .iter()
            .map(|j| {
                (
                    j.out.to_string_lossy().into_owned(),
                    j.renamed,
                    j.name_redacted,
                    j.names,
                )
            })
            .collect();
        assert_eq!(
            outs,
            vec![
                ("/o/gewoon.txt".to_string(), false, false, 1),
                ("/o/[e-mail]/brief.txt".to_string(), false, true, 2),
                ("/o/[e-mail]/brief (2).txt".to_string(), true, true, 2),
            ]
        );
        // A rename that would add a folder or climb out keeps the name.
        let bad = |names: &[&OsStr]| -> Vec<OsString> {
            names.iter().map(|_| OsString::from("..")).collect()
        };
        let entries = crate::walk::walk(&roots, &Default::default()).unwrap();
        let jobs = plan_outputs(&roots, entries, Path::new("/o"), &bad);
        assert!(jobs
            .iter()
            .all(|j| !j.name_redacted && j.out.starts_with("/o")));
        assert_eq!(jobs[0].out, Path::new("/o/gewoon.txt"));
    }

    #[test]
    fn a_release_folder_must_be_empty_unless_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        open_release(&out, false).unwrap();
        assert!(out.join(INCOMPLETE_MARKER).exists());
        // A killed run: marker and a temporary file left.
        std::fs::create_dir_all(out.join("sub")).unwrap();
        std::fs::write(out.join("sub/.zwartlak-abc123.tmp"), "half").unwrap();
        let e = open_release(&out, false).unwrap_err();
        assert!(
            e.contains("not empty") && e.contains("did not finish"),
            "{e}"
        );
        let o = open_release(&out, true).unwrap();
        assert_eq!(o.temps_removed, 1);
        assert!(!out.join("sub/.zwartlak-abc123.tmp").exists());
        close_release(&out).unwrap();
        assert!(!out.join(INCOMPLETE_MARKER).exists());
        std::fs::write(dir.path().join("file"), "x").unwrap();
        assert!(open_release(&dir.path().join("file"), true).is_err());
    }

    #[test]
    fn a_third_converted_name_counts_on() {
        let dir = tempfile::tempdir().unwrap();
        for n in ["h.xls", "h.xlsx", "h.xls.xlsx"] {
            std::fs::write(dir.path().join(n), "x").unwrap();
        }
        let roots = vec![dir.path().to_path_buf()];
        let entries = crate::walk::walk(&roots, &Default::default()).unwrap();
        let jobs = plan_outputs(&roots, entries, Path::new("/o"), &same_names);
        let j = jobs
            .iter()
            .find(|j| j.out == Path::new("/o/h.xls"))
            .unwrap();
        assert_eq!(j.converted_out, Path::new("/o/h.xls.2.xlsx"));
    }
}
