//! Owns the names of redacted copies: the file and folder names below the
//! input root, and the names of archive members, with third-party values
//! replaced as in text ([`Cx::plan_names`]: the same style, owners and
//! pseudonyms, the extension kept, see [`crate::pathname`]).
//! [`Redaction::redacted_names`] names the copy when its place is planned
//! ([`super::plan_outputs`], whose collision handling then keeps two copies
//! that get one name apart); [`Cx::for_entry`] starts the file's context
//! with its path as records and the audit show it, and the findings and
//! audit rows of its names; [`Redaction::name_left`] re-reads the name a
//! copy was given (fail closed, like the re-scan of its content).

use super::{Cx, Redaction};
use crate::document::{Location, Segment};
use crate::pathname::{self, Parts};
use crate::record::Owner;
use crate::walk::Entry;
use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::path::Path;

impl<'a> Cx<'a> {
    /// Plan the names of `path` from byte `from` on like text: their
    /// findings and audit rows join this file's (located in `parts`), their
    /// third-party mentions join the register's. Returns `path` with the
    /// values replaced (a `/` in a replacement becomes `_`).
    pub fn plan_names(&mut self, path: &str, from: usize, parts: Parts) -> String {
        let mut spans = Vec::new();
        for name in pathname::names(path, from, parts) {
            let at = name.range.start;
            let seg = Segment::new(name.text, Location::part(name.part));
            for e in self.plan(&seg) {
                spans.push((at + e.start..at + e.end, e.text));
            }
        }
        pathname::replace(path, &spans)
    }

    /// The context of the walk entry `entry`: its records show the path
    /// with the values in its names masked unless `--reveal`, the audit
    /// always masked; the findings and audit rows of its names come first.
    pub fn for_entry(red: &'a Redaction, entry: &Entry) -> Self {
        let scanner = &red.scanner;
        let found = scanner.name_findings(&entry.display, entry.names_from, pathname::ON_DISK);
        let mut cx = Cx::new(red, &scanner.shown(&entry.display, &found), 0);
        let spans: Vec<_> = found.iter().map(|(r, f)| (r.clone(), f.kind)).collect();
        cx.audit_path = pathname::masked(&entry.display, &spans);
        cx.plan_names(&entry.display, entry.names_from, pathname::ON_DISK);
        cx
    }
}

impl Redaction {
    /// The names of a copy below its root (folders, then the file), given
    /// the input's: values replaced as [`Cx::plan_names`] replaces them.
    /// A name with nothing to replace keeps its bytes (also when they are
    /// not UTF-8).
    pub fn redacted_names(&self, names: &[&OsStr]) -> Vec<OsString> {
        let texts: Vec<String> = names
            .iter()
            .map(|n| n.to_string_lossy().into_owned())
            .collect();
        let joined = texts.join("/");
        let mut cx = Cx::new(self, "", 0);
        let new = cx.plan_names(&joined, 0, pathname::ON_DISK);
        if new == joined {
            return names.iter().map(|n| n.to_os_string()).collect();
        }
        // Replacements hold no `/`: as many names as before.
        new.split('/')
            .zip(names.iter().zip(&texts))
            .map(|(n, (orig, text))| {
                if n == text {
                    orig.to_os_string()
                } else {
                    OsString::from(n)
                }
            })
            .collect()
    }

    /// What the last `count` names of `written` (the copy's names below its
    /// root) still hold that is not kept, as "1 bsn, 2 email"; `None` when
    /// nothing. A copy whose name still holds personal data is not written.
    pub fn name_left(&self, written: &Path, count: usize) -> Option<String> {
        let names: Vec<String> = written
            .components()
            .rev()
            .take(count)
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let joined: Vec<&str> = names.iter().rev().map(String::as_str).collect();
        let joined = joined.join("/");
        let mut left: BTreeMap<&'static str, usize> = BTreeMap::new();
        for (_, f) in self.scanner.name_findings(&joined, 0, pathname::ON_DISK) {
            if !Owner::kept(f.owner) {
                *left.entry(f.kind.as_str()).or_default() += 1;
            }
        }
        if left.is_empty() {
            return None;
        }
        let what: Vec<String> = left.iter().map(|(k, n)| format!("{n} {k}")).collect();
        Some(what.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::redaction;
    use super::super::Style;
    use super::*;
    use crate::kind::Kind;

    fn entry(display: &str, names_from: usize) -> Entry {
        Entry {
            path: display.into(),
            display: display.into(),
            skip: None,
            names_from,
            data: None,
        }
    }

    #[test]
    fn names_are_redacted_with_their_extension_kept() {
        let red = redaction(Style::Label, None);
        let names = [
            OsStr::new("post voor jan.devries@example.nl"),
            OsStr::new("BSN 123456782 - NL91ABNA0417164300.txt"),
        ];
        let new = red.redacted_names(&names);
        assert_eq!(
            new,
            vec![
                OsString::from("post voor [e-mail]"),
                OsString::from("BSN [BSN] - [IBAN].txt")
            ]
        );
        // nothing found: the names as they were
        let plain = [OsStr::new("brieven"), OsStr::new("huur.pdf")];
        assert_eq!(red.redacted_names(&plain), vec!["brieven", "huur.pdf"]);
        assert_eq!(red.name_left(Path::new("/o/a/BSN [BSN].txt"), 2), None);
        assert_eq!(
            red.name_left(Path::new("/o/BSN 123456782/x.txt"), 2)
                .as_deref(),
            Some("1 bsn")
        );
    }

    #[test]
    fn the_subjects_own_values_stay_in_names() {
        let red = redaction(Style::Label, Some("bsn = \"123456782\""));
        let names = [OsStr::new("BSN 123456782 en 111222333.txt")];
        assert_eq!(
            red.redacted_names(&names),
            vec![OsString::from("BSN 123456782 en [BSN].txt")]
        );
    }

    #[test]
    fn an_entry_starts_with_the_findings_of_its_names() {
        let red = redaction(Style::Label, None);
        let cx = Cx::for_entry(&red, &entry("root/mail jan.devries@example.nl/a.txt", 5));
        assert_eq!(cx.path, "root/mail j**********@e******.nl/a.txt");
        assert_eq!(cx.audit_path, cx.path);
        assert_eq!(cx.findings.len(), 1);
        assert_eq!(cx.findings[0].kind, Kind::Email);
        assert_eq!(cx.findings[0].path, cx.path);
        assert_eq!(
            cx.findings[0].location.part.as_deref(),
            Some(pathname::FOLDER_NAME)
        );
        assert_eq!(cx.audit[0].file, cx.path);
        assert_eq!(cx.audit[0].replacement, Kind::Email.label());
        // the root's own name is not read
        let cx = Cx::for_entry(&red, &entry("jan.devries@example.nl/a.txt", 23));
        assert!(cx.findings.is_empty());
        assert_eq!(cx.path, "jan.devries@example.nl/a.txt");
    }

    #[test]
    fn with_reveal_records_show_the_path_and_the_audit_masks_it() {
        let mut red = redaction(Style::Label, None);
        red.scanner.opts.reveal = true;
        let mut cx = Cx::for_entry(&red, &entry("post jan.devries@example.nl/a.zip", 0));
        assert_eq!(cx.path, "post jan.devries@example.nl/a.zip");
        assert_eq!(cx.audit_path, "post j**********@e******.nl/a.zip");
        assert_eq!(cx.audit[0].file, cx.audit_path);
        assert_eq!(cx.findings[0].value, "jan.devries@example.nl");
        // a member inside it: the same for its name
        cx.embedded("BSN 123456782.txt", b"niets").unwrap();
        assert_eq!(
            cx.children[0].file.path,
            "post jan.devries@example.nl/a.zip!BSN 123456782.txt"
        );
        let mut red = redaction(Style::Label, None);
        red.scanner.opts.reveal = false;
        let mut cx = Cx::new(&red, "a.zip", 0);
        cx.embedded("BSN 123456782.txt", b"niets").unwrap();
        assert_eq!(cx.children[0].file.path, "a.zip!BSN *******82.txt");
    }
}
