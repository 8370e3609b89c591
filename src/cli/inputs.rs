//! Owns what the command line names as input beyond plain paths: `-`
//! (standard input, read whole before the scan and reported under
//! `--stdin-name` or `-`) and `--files-from FILE` (a list of paths, one per
//! line or NUL-separated with `-0`; `-` reads the list from standard input).

use super::args::WalkArgs;
use anyhow::{bail, Context, Result};
use std::io::Read;
use std::path::{Path, PathBuf};
use zwartlak::walk::Entry;

/// The inputs of a run: the paths to walk and, for `-`, standard input.
pub struct Inputs {
    /// Paths from the command line and the `--files-from` list, in that
    /// order, without `-`.
    pub paths: Vec<PathBuf>,
    /// Standard input, when `-` was given.
    pub stdin: Option<Entry>,
}

fn is_stdin(p: &Path) -> bool {
    p.as_os_str() == "-"
}

/// The paths of a `--files-from` list: `nul`-separated, else one per line
/// (a trailing `\r` dropped); empty entries are left out.
pub fn parse_list(bytes: &[u8], nul: bool) -> Vec<PathBuf> {
    let sep = if nul { b'\0' } else { b'\n' };
    bytes
        .split(|&b| b == sep)
        .map(|p| {
            if nul {
                p
            } else {
                p.strip_suffix(b"\r").unwrap_or(p)
            }
        })
        .filter(|p| !p.is_empty())
        .map(path_of_bytes)
        .collect()
}

#[cfg(unix)]
fn path_of_bytes(b: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(b))
}

#[cfg(not(unix))]
fn path_of_bytes(b: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(b).into_owned())
}

impl Inputs {
    /// Gather the inputs; reads standard input when `-` is a path or the
    /// `--files-from` file. Both at once is a usage error, as is `-` when
    /// `allow_stdin` is false.
    pub fn gather(paths: &[PathBuf], walk: &WalkArgs, allow_stdin: bool) -> Result<Inputs> {
        let wants_stdin = paths.iter().any(|p| is_stdin(p));
        let list_on_stdin = walk.files_from.as_deref().is_some_and(is_stdin);
        if wants_stdin && !allow_stdin {
            bail!("`-` (standard input) is not supported here: give a file");
        }
        if wants_stdin && list_on_stdin {
            bail!("`-` and `--files-from -` both want standard input: give one of them");
        }
        if walk.stdin_name.is_some() && !wants_stdin {
            bail!("--stdin-name needs `-` among the paths");
        }
        let mut out: Vec<PathBuf> = paths.iter().filter(|p| !is_stdin(p)).cloned().collect();
        if let Some(list) = &walk.files_from {
            let bytes = if list_on_stdin {
                let mut b = Vec::new();
                std::io::stdin()
                    .read_to_end(&mut b)
                    .context("cannot read the --files-from list from standard input")?;
                b
            } else {
                std::fs::read(list).with_context(|| {
                    format!(
                        "cannot read --files-from {}",
                        zwartlak::walk::shown_path(list)
                    )
                })?
            };
            let listed = parse_list(&bytes, walk.null);
            if listed.iter().any(|p| is_stdin(p)) {
                bail!("a --files-from list cannot name `-` (standard input)");
            }
            out.extend(listed);
        }
        let stdin = if wants_stdin {
            let mut data = Vec::new();
            std::io::stdin()
                .read_to_end(&mut data)
                .context("cannot read standard input")?;
            let name = walk.stdin_name.as_deref().unwrap_or("-");
            Some(Entry::held(name, data))
        } else {
            None
        };
        if out.is_empty() && stdin.is_none() {
            bail!("no input: give paths, `-` or a --files-from list with paths in it");
        }
        Ok(Inputs { paths: out, stdin })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_by_line_or_by_nul() {
        assert_eq!(
            parse_list(b"a.txt\r\nmap/b c.pdf\n\n", false),
            [PathBuf::from("a.txt"), PathBuf::from("map/b c.pdf")]
        );
        assert_eq!(
            parse_list(b"regel\neen.txt\0twee.txt\0", true),
            [PathBuf::from("regel\neen.txt"), PathBuf::from("twee.txt")]
        );
        assert!(parse_list(b"", false).is_empty());
    }
}
