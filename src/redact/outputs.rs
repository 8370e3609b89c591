//! Owns where redacted copies go and how they are written: the output
//! tree mirroring the inputs ([`plan_outputs`], with the names of copies
//! converted to XLSX), the refusal of an output folder inside an input
//! ([`check_out_dir`]) and atomic writes ([`write_atomic`]).

use crate::walk::Entry;
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
}

/// Extensions of the workbooks that are converted to XLSX.
const CONVERTED_EXTENSIONS: &[&str] = &["xls", "xlsb", "ods"];

/// Where the redacted copy of each entry goes: `out` mirrors the input tree
/// (one folder: its contents; several inputs: each under its own name).
///
/// `converted_out` is the name a copy converted to XLSX gets: `huur.xls` →
/// `huur.xlsx`, or `huur.xls.xlsx` when another copy already has that name
/// (then `huur.xls.2.xlsx` ...). The mirrored names are taken first, then
/// the workbooks with a converted extension (in walk order), then the rest
/// (a workbook whose content, not its name, says it is one).
pub fn plan_outputs(roots: &[PathBuf], entries: Vec<Entry>, out: &Path) -> Vec<Job> {
    let mut jobs = mirror_outputs(roots, entries, out);
    let key = |p: &Path| p.to_string_lossy().to_lowercase();
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
fn mirror_outputs(roots: &[PathBuf], entries: Vec<Entry>, out: &Path) -> Vec<Job> {
    let single_dir = roots.len() == 1 && roots[0].is_dir();
    entries
        .into_iter()
        .map(|entry| {
            let root = roots
                .iter()
                .filter(|r| entry.path.starts_with(r))
                .max_by_key(|r| r.as_os_str().len());
            let rel: PathBuf = match root {
                Some(r) if r.is_dir() => {
                    let inner = entry.path.strip_prefix(r).unwrap_or(&entry.path);
                    if single_dir {
                        inner.to_path_buf()
                    } else {
                        base_name(r).join(inner)
                    }
                }
                _ => PathBuf::from(entry.path.file_name().unwrap_or_default()),
            };
            let clean: PathBuf = rel
                .components()
                .filter(|c| matches!(c, Component::Normal(_)))
                .collect();
            let out = out.join(clean);
            Job {
                converted_out: out.clone(),
                out,
                entry,
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

/// Write `data` to `path` atomically (temporary file in the same folder, then rename).
pub fn write_atomic(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, data)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
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
        let jobs = plan_outputs(&roots, entries, Path::new("/o"));
        assert_eq!(jobs[0].out, Path::new("/o/sub/x.txt"));
        let roots = vec![a.clone(), dir.path().join("y.txt")];
        let entries = crate::walk::walk(&roots, &Default::default()).unwrap();
        let mut outs: Vec<_> = plan_outputs(&roots, entries, Path::new("/o"))
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
        let jobs = plan_outputs(&roots, entries, Path::new("/o"));
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
    fn a_third_converted_name_counts_on() {
        let dir = tempfile::tempdir().unwrap();
        for n in ["h.xls", "h.xlsx", "h.xls.xlsx"] {
            std::fs::write(dir.path().join(n), "x").unwrap();
        }
        let roots = vec![dir.path().to_path_buf()];
        let entries = crate::walk::walk(&roots, &Default::default()).unwrap();
        let jobs = plan_outputs(&roots, entries, Path::new("/o"));
        let j = jobs
            .iter()
            .find(|j| j.out == Path::new("/o/h.xls"))
            .unwrap();
        assert_eq!(j.converted_out, Path::new("/o/h.xls.2.xlsx"));
    }
}
