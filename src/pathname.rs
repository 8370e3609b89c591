//! Personal data in file and folder names. Owns which names of a path are
//! read as text ([`names`]: the names below the root the user gave, see
//! [`crate::walk::Entry::names_from`], or every name of an archive member),
//! the text a name is read as ([`Name::text`]) and the one function that
//! rewrites a path once the values in it are known ([`replace`]): reports
//! show paths through it with the values masked ([`masked`], the shapes of
//! [`crate::mask`]), `redact` names its copies through it with the values
//! replaced.
//!
//! Masked paths keep the structure of the masks (length, separators, the few
//! characters a mask shows), and nothing more: no hash of the value. A short
//! hash that is stable across runs (as baselines, shards and the cache need)
//! is not keyed, and an unkeyed hash of a BSN can be undone by trying the
//! 10^8 numbers that pass the eleven test; masks never allow that. So two
//! names that differ only in masked characters (`BSN 123456782.txt`, `BSN
//! 111222382.txt`) print the same; each keeps its own records, and
//! `--reveal` tells them apart.

use crate::kind::Kind;
use crate::mask::mask;
use std::ops::Range;

/// Location part of a value found in a file's own name.
pub const FILE_NAME: &str = "file name";
/// Location part of a value found in the name of a folder the file is in.
pub const FOLDER_NAME: &str = "folder name";
/// Location part of a value found in the name of an archive member (any of
/// the names in its path inside the archive).
pub const MEMBER_NAME: &str = "member name";

/// The location parts of the findings in a path's names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parts {
    /// Of the last name (the file's own).
    pub file: &'static str,
    /// Of the names before it (folders).
    pub folder: &'static str,
}

/// Paths on disk: [`FILE_NAME`] and [`FOLDER_NAME`].
pub const ON_DISK: Parts = Parts {
    file: FILE_NAME,
    folder: FOLDER_NAME,
};

/// Paths inside an archive: [`MEMBER_NAME`] for all.
pub const IN_ARCHIVE: Parts = Parts {
    file: MEMBER_NAME,
    folder: MEMBER_NAME,
};

/// One name of a path, as detectors read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    /// Where the read text stands in the path: the name, without the
    /// extension of a file's name (an e-mail address would take `.txt` for
    /// its top-level domain, and a redacted copy keeps its extension).
    pub range: Range<usize>,
    /// The location part of findings in it.
    pub part: &'static str,
    /// The text detectors read, as long as `range` (byte for byte): an `_`
    /// is read as a space (`Paspoort_Jan_de_Vries`), except in a word that
    /// holds an `@` (an e-mail address may hold `_`).
    pub text: String,
}

/// The names of `path` (separated by `/`) from byte `from` on, in order;
/// the last is the file's own name, without its extension.
pub fn names(path: &str, from: usize, parts: Parts) -> Vec<Name> {
    let Some(tail) = path.get(from..) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut start = from;
    let count = tail.split('/').count();
    for (i, name) in tail.split('/').enumerate() {
        let is_file = i + 1 == count;
        let len = if is_file {
            name.len() - extension(name).len()
        } else {
            name.len()
        };
        if len > 0 {
            out.push(Name {
                range: start..start + len,
                part: if is_file { parts.file } else { parts.folder },
                text: read_as(&name[..len]),
            });
        }
        start += name.len() + 1;
    }
    out
}

/// The extension of a file name, with its dot (`.txt`), or "": 1 to 5 ASCII
/// letters and digits, at least one a letter, after a dot that does not
/// start the name. Not when it ends an e-mail address (`jan@example.nl`:
/// an `@` before the dot and no dot after it).
fn extension(name: &str) -> &str {
    let Some(dot) = name.rfind('.') else {
        return "";
    };
    let ext = &name[dot + 1..];
    let looks = dot > 0
        && (1..=5).contains(&ext.len())
        && ext.bytes().all(|b| b.is_ascii_alphanumeric())
        && ext.bytes().any(|b| b.is_ascii_alphabetic());
    let ends_address = name[..dot]
        .rfind('@')
        .is_some_and(|at| !name[at..dot].contains('.'));
    if looks && !ends_address {
        &name[dot..]
    } else {
        ""
    }
}

/// `name` with each `_` read as a space, except in words holding an `@`.
fn read_as(name: &str) -> String {
    if !name.contains('_') {
        return name.to_string();
    }
    name.split(' ')
        .map(|word| {
            if word.contains('@') {
                word.to_string()
            } else {
                word.replace('_', " ")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `path` with each byte range of `spans` (sorted, not overlapping) replaced
/// by its text; a `/` or `\` in a replacement becomes `_`, so that it never
/// adds a folder. Ranges out of order or out of bounds are left alone.
pub fn replace(path: &str, spans: &[(Range<usize>, String)]) -> String {
    let mut out = String::with_capacity(path.len() + 16);
    let mut at = 0;
    for (r, text) in spans {
        if r.start < at || r.end > path.len() || r.start > r.end {
            continue;
        }
        let (Some(before), Some(_)) = (path.get(at..r.start), path.get(r.clone())) else {
            continue;
        };
        out.push_str(before);
        out.push_str(&text.replace(['/', '\\'], "_"));
        at = r.end;
    }
    out.push_str(&path[at..]);
    out
}

/// `path` as reports show it: each value found in it (byte range and kind)
/// masked as [`crate::mask::mask`] masks values.
pub fn masked(path: &str, found: &[(Range<usize>, Kind)]) -> String {
    let spans: Vec<(Range<usize>, String)> = found
        .iter()
        .filter_map(|(r, kind)| Some((r.clone(), mask(*kind, path.get(r.clone())?))))
        .collect();
    replace(path, &spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(path: &str, from: usize) -> Vec<(&str, &'static str, String)> {
        names(path, from, ON_DISK)
            .into_iter()
            .map(|n| (&path[n.range], n.part, n.text))
            .collect()
    }

    #[test]
    fn names_below_the_root_without_the_extension() {
        assert_eq!(
            read("dossier/Jan_de_Vries/brief 06-12345678.pdf", 8),
            vec![
                ("Jan_de_Vries", FOLDER_NAME, "Jan de Vries".to_string()),
                ("brief 06-12345678", FILE_NAME, "brief 06-12345678".into()),
            ]
        );
        // the root is not read
        assert_eq!(read("dossier/a.txt", 8).len(), 1);
        assert!(read("dossier/a.txt", 13).is_empty());
        assert!(read("dossier", 40).is_empty());
        // an extension is cut, an address's domain is not
        assert_eq!(read("jan@example.nl.txt", 0)[0].0, "jan@example.nl");
        assert_eq!(read("jan@example.nl", 0)[0].0, "jan@example.nl");
        assert_eq!(read("archief.tar.gz", 0)[0].0, "archief.tar");
        assert_eq!(read(".profile", 0)[0].0, ".profile");
        assert_eq!(read("brief 12.2023", 0)[0].0, "brief 12.2023");
        // an e-mail address keeps its underscore
        assert_eq!(
            read("post_jan_de_vries@example.nl en_zo.txt", 0)[0].2,
            "post_jan_de_vries@example.nl en zo"
        );
    }

    #[test]
    fn replace_never_adds_a_folder() {
        let p = "a/BSN 123456782.txt";
        assert_eq!(
            replace(p, &[(6..15, "[x/y\\z]".into())]),
            "a/BSN [x_y_z].txt"
        );
        // out of bounds or overlapping spans are left alone
        assert_eq!(
            replace(p, &[(6..15, "1".into()), (7..9, "2".into())]),
            "a/BSN 1.txt"
        );
        assert_eq!(replace(p, &[(6..99, "1".into())]), p);
    }

    #[test]
    fn masked_paths_keep_the_shape_of_the_masks() {
        let p = "d/BSN 123456782 - jan.devries@example.nl - NL91ABNA0417164300.txt";
        let shown = masked(
            p,
            &[
                (6..15, Kind::Bsn),
                (18..40, Kind::Email),
                (43..61, Kind::Iban),
            ],
        );
        assert_eq!(
            shown,
            "d/BSN *******82 - j**********@e******.nl - NL91 **** **** **** 4300.txt"
        );
    }
}
