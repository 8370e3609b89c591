//! Owns writing every file zwartlak produces: reports (`-o`), the audit
//! (`--audit`), baselines (`--write-baseline`) and redacted copies. One
//! function, [`write_with`], decides how a path is written:
//!
//! - `-`, `/dev/stdout` (and `/dev/fd/1`, `/proc/self/fd/1`): standard
//!   output; the same for standard error;
//! - a path that does not exist, or a regular file: atomically, through a
//!   temporary file in the same folder (named `.zwartlak-*.tmp`, see
//!   [`is_temp_name`]) renamed over it when everything was written;
//! - a FIFO or a character device (`/dev/null`, a terminal): written
//!   through (opened and written, never replaced);
//! - a symbolic link ([`Links::Follow`]): followed; its final target is
//!   written as above, so a link to a file keeps being a link and the file
//!   it names is replaced atomically;
//! - anything else (a folder, a block device, a socket): refused.
//!
//! Redacted copies use [`Links::Replace`]: a release folder must hold files,
//! so a symbolic link where a copy goes is replaced by the copy (never
//! followed out of the folder), and anything but a regular file there is
//! refused.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// What to do with a symbolic link at the output path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Links {
    /// Follow it and write what it names (reports, audits, baselines).
    Follow,
    /// Replace the link itself by the file; no write through to devices
    /// or FIFOs either (redacted copies in a release folder).
    Replace,
}

/// The prefix of zwartlak's temporary files.
pub const TEMP_PREFIX: &str = ".zwartlak-";
/// The suffix of zwartlak's temporary files.
pub const TEMP_SUFFIX: &str = ".tmp";

/// Whether a file name is one of zwartlak's temporary files (left behind
/// only when a run was killed while writing).
pub fn is_temp_name(name: &std::ffi::OsStr) -> bool {
    let n = name.as_encoded_bytes();
    n.starts_with(TEMP_PREFIX.as_bytes()) && n.ends_with(TEMP_SUFFIX.as_bytes())
}

/// Which standard stream a path names, if it names one.
fn standard_stream(path: &Path) -> Option<u8> {
    let s = path.as_os_str().to_str()?;
    match s {
        "-" | "/dev/stdout" | "/dev/fd/1" | "/proc/self/fd/1" => Some(1),
        "/dev/stderr" | "/dev/fd/2" | "/proc/self/fd/2" => Some(2),
        _ => None,
    }
}

/// Where and how a path is written.
enum Plan {
    Stream(u8),
    Through,
    Atomic(PathBuf),
}

/// The most symbolic links followed before giving up (as Linux does).
const MAX_LINKS: usize = 40;

fn plan(path: &Path, links: Links) -> io::Result<Plan> {
    if let Some(fd) = standard_stream(path) {
        if links == Links::Follow {
            return Ok(Plan::Stream(fd));
        }
    }
    let mut at = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let meta = match fs::symlink_metadata(&at) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Plan::Atomic(at)),
            Err(e) => return Err(e),
        };
        let ft = meta.file_type();
        if ft.is_file() {
            return Ok(Plan::Atomic(at));
        }
        if ft.is_symlink() {
            if links == Links::Replace {
                return Ok(Plan::Atomic(at));
            }
            // Magic links (/proc/self/fd/N -> "pipe:[...]") are not paths:
            // ask the kernel what the link leads to.
            if let Ok(m) = fs::metadata(&at) {
                if !m.is_file() {
                    return through(&m.file_type(), path);
                }
            }
            let target = fs::read_link(&at)?;
            at = match at.parent() {
                Some(dir) if target.is_relative() => dir.join(target),
                _ => target,
            };
            continue;
        }
        if links == Links::Replace {
            return Err(refused(path, "it is not a regular file"));
        }
        return through(&ft, path);
    }
    Err(refused(path, "too many levels of symbolic links"))
}

/// Write through to a FIFO or character device; refuse anything else.
fn through(ft: &fs::FileType, shown: &Path) -> io::Result<Plan> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() || ft.is_char_device() {
            return Ok(Plan::Through);
        }
        if ft.is_block_device() {
            return Err(refused(shown, "it is a block device"));
        }
        if ft.is_socket() {
            return Err(refused(shown, "it is a socket"));
        }
    }
    if ft.is_dir() {
        return Err(refused(shown, "it is a folder"));
    }
    Err(refused(
        shown,
        "it is not a regular file, a FIFO or a device",
    ))
}

fn refused(path: &Path, why: &str) -> io::Error {
    io::Error::other(format!(
        "{} is not replaced: {why}",
        crate::walk::shown_path(path)
    ))
}

/// Write to `path` what `write` writes (see the module documentation for
/// how each kind of path is written). Returns `Err` when the output itself
/// cannot be written, `Ok(Err(e))` when `write` failed (then an existing
/// file at `path` is left as it was).
pub fn write_with<T, E>(
    path: &Path,
    links: Links,
    write: impl FnOnce(&mut dyn Write) -> Result<T, E>,
) -> io::Result<Result<T, E>> {
    match plan(path, links)? {
        Plan::Stream(fd) => {
            let value = if fd == 1 {
                let mut w = io::BufWriter::new(io::stdout().lock());
                let v = write(&mut w);
                w.flush()?;
                v
            } else {
                let mut w = io::stderr().lock();
                write(&mut w)
            };
            Ok(value)
        }
        Plan::Through => {
            let f = OpenOptions::new().write(true).open(path)?;
            let mut w = io::BufWriter::new(f);
            let value = write(&mut w);
            w.flush()?;
            Ok(value)
        }
        Plan::Atomic(target) => {
            let dir = match target.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            let tmp = tempfile::Builder::new()
                .prefix(TEMP_PREFIX)
                .suffix(TEMP_SUFFIX)
                .tempfile_in(dir)?;
            let mut w = io::BufWriter::new(tmp.as_file());
            let value = match write(&mut w) {
                Ok(v) => v,
                Err(e) => return Ok(Err(e)),
            };
            w.flush()?;
            drop(w);
            keep_permissions(&target, tmp.as_file());
            tmp.as_file().sync_all()?;
            tmp.persist(&target).map_err(|e| e.error)?;
            Ok(Ok(value))
        }
    }
}

/// Write `data` to `path` (see [`write_with`]).
pub fn write_bytes(path: &Path, links: Links, data: &[u8]) -> io::Result<()> {
    write_with(path, links, |w| w.write_all(data))?
}

/// A file that replaces an existing one keeps its permissions (a new one
/// is readable by its owner only, as the temporary file is created).
fn keep_permissions(target: &Path, tmp: &File) {
    if let Ok(m) = fs::metadata(target) {
        if m.is_file() {
            let _ = tmp.set_permissions(m.permissions());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_and_a_regular_file_are_written_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.txt");
        write_bytes(&p, Links::Follow, b"one").unwrap();
        write_bytes(&p, Links::Follow, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left");
    }

    #[test]
    fn a_failed_write_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.txt");
        fs::write(&p, "old").unwrap();
        let r = write_with(&p, Links::Follow, |w| {
            w.write_all(b"half")?;
            Err::<(), io::Error>(io::Error::other("stop"))
        })
        .unwrap();
        assert!(r.is_err());
        assert_eq!(fs::read(&p).unwrap(), b"old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_followed_or_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("sub/real.html");
        fs::create_dir_all(real.parent().unwrap()).unwrap();
        fs::write(&real, "old").unwrap();
        let link = dir.path().join("latest.html");
        std::os::unix::fs::symlink("sub/real.html", &link).unwrap();
        write_bytes(&link, Links::Follow, b"new").unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read(&real).unwrap(), b"new");
        // A dangling link: its target is created.
        let dangling = dir.path().join("d.txt");
        std::os::unix::fs::symlink("sub/made.txt", &dangling).unwrap();
        write_bytes(&dangling, Links::Follow, b"made").unwrap();
        assert_eq!(fs::read(dir.path().join("sub/made.txt")).unwrap(), b"made");
        // In a release folder the link itself is replaced.
        write_bytes(&link, Links::Replace, b"copy").unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().is_file());
        assert_eq!(fs::read(&real).unwrap(), b"new");
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_written_through_and_folders_refused() {
        write_bytes(Path::new("/dev/null"), Links::Follow, b"x").unwrap();
        assert!(!fs::metadata("/dev/null").unwrap().file_type().is_file());
        assert!(write_bytes(Path::new("/dev/null"), Links::Replace, b"x").is_err());
        let dir = tempfile::tempdir().unwrap();
        let e = write_bytes(dir.path(), Links::Follow, b"x").unwrap_err();
        assert!(e.to_string().contains("folder"), "{e}");
    }

    #[test]
    fn temp_names_are_recognised() {
        assert!(is_temp_name(std::ffi::OsStr::new(".zwartlak-a1B2c3.tmp")));
        assert!(!is_temp_name(std::ffi::OsStr::new("report.tmp")));
    }
}
