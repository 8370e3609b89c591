//! The CI gate: what is reported and what fails the run.
//!
//! [`GateReport`] sits between the pipeline and a report. For every finding,
//! in this order:
//! 1. on the config's allow list (the organisation's own data): dropped;
//! 2. its fingerprint is in the `--baseline`: dropped (known and accepted);
//! 3. the first `[[policy]]` covering its path decides: a kind the policy
//!    does not allow fails the gate, an allowed one does not;
//! 4. otherwise it fails the gate when its kind is in `--fail-on` / `fail_on`.
//!
//! With `--fail-on` / `fail_on`, a file that was not read completely
//! ([`FileRecord::unread`](crate::record::FileRecord::unread): `error`, `needs_review`, skipped for its
//! content or a limit) fails the gate too, unless `--allow-unread` is given
//! or its path matches the config's `allow_unread` globs: the gate never
//! passes what it did not read.
//!
//! The file records and the summary are corrected for dropped findings, and
//! the fingerprints of all findings not on the allow list (baselined ones
//! too) are collected for `--write-baseline`.

use crate::baseline::{Baseline, Fingerprints};
use crate::config::Config;
use crate::kind::{Kind, KindSet};
use crate::record::{FileResult, Summary};
use crate::report::Report;
use std::collections::{BTreeMap, BTreeSet};
use std::io;

/// The rules of a gate.
pub struct Gate<'c> {
    /// The loaded configuration (allow list, policies).
    pub config: &'c Config,
    /// The kinds that fail the gate (`--fail-on` / `fail_on`); `None`: no kind fails.
    pub fail_on: Option<KindSet>,
    /// Accepted findings that do not fail the gate (`--baseline`).
    pub baseline: Option<Baseline>,
    /// Needed for baselines; `None` when no key was given.
    pub fingerprints: Option<Fingerprints>,
    /// Collect the fingerprints of reported findings (for `--write-baseline`).
    pub collect: bool,
    /// `--allow-unread`: files not read completely never fail the gate.
    pub allow_unread: bool,
}

/// What the gate saw.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Findings that fail the gate, per kind.
    pub failing: BTreeMap<Kind, u64>,
    /// Findings dropped by the allow list.
    pub allowed: u64,
    /// Findings dropped because the baseline has them.
    pub baselined: u64,
    /// Of the failing findings, how many broke a path policy.
    pub policy_violations: u64,
    /// Fingerprints of the reported findings (when collecting).
    pub seen: BTreeSet<String>,
    /// Files not read completely that fail the gate, per status.
    pub unread: BTreeMap<&'static str, u64>,
}

impl Outcome {
    /// Whether any finding fails the gate.
    pub fn failed(&self) -> bool {
        !self.failing.is_empty() || !self.unread.is_empty()
    }

    /// [`Outcome::describe`], with "not in the baseline" after the findings
    /// when a baseline was used.
    pub fn describe_gate(&self, baseline: bool) -> String {
        let s = self.describe();
        if !baseline || self.failing.is_empty() {
            return s;
        }
        match s.find("; ") {
            Some(i) => format!("{} not in the baseline{}", &s[..i], &s[i..]),
            None => format!("{s} not in the baseline"),
        }
    }

    /// "3 findings (bsn 2, iban 1)": counts only, never values.
    pub fn describe(&self) -> String {
        let total: u64 = self.failing.values().sum();
        let parts: Vec<String> = self
            .failing
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        let mut s = String::new();
        if total > 0 {
            s = format!(
                "{total} finding{} ({})",
                if total == 1 { "" } else { "s" },
                parts.join(", ")
            );
        }
        if self.policy_violations > 0 {
            s.push_str(&format!(
                ", {} against a path policy",
                self.policy_violations
            ));
        }
        let unread: u64 = self.unread.values().sum();
        if unread > 0 {
            let parts: Vec<String> = self
                .unread
                .iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect();
            if !s.is_empty() {
                s.push_str("; ");
            }
            s.push_str(&format!(
                "{unread} file{} not read completely ({}; listed in the report; \
                 --allow-unread or `allow_unread` in zwartlak.toml accepts them)",
                if unread == 1 { "" } else { "s" },
                parts.join(", ")
            ));
        }
        s
    }
}

/// A report behind the gate.
pub struct GateReport<'w, 'c> {
    inner: Box<dyn Report + 'w>,
    gate: Gate<'c>,
    /// What the gate has seen so far.
    pub outcome: Outcome,
}

impl<'w, 'c> GateReport<'w, 'c> {
    /// A report that passes what the gate lets through to `inner`.
    pub fn new(inner: Box<dyn Report + 'w>, gate: Gate<'c>) -> Self {
        GateReport {
            inner,
            gate,
            outcome: Outcome::default(),
        }
    }
}

impl Report for GateReport<'_, '_> {
    fn file(&mut self, r: &FileResult) -> io::Result<()> {
        let g = &self.gate;
        if g.fail_on.is_some()
            && !g.allow_unread
            && r.file.unread()
            && !g.config.allows_unread(&r.file.path)
        {
            *self
                .outcome
                .unread
                .entry(r.file.status.as_str())
                .or_default() += 1;
        }
        let policy = if g.config.policies.is_empty() {
            None
        } else {
            g.config.policy_for(&r.file.path)
        };
        if !g.collect && g.baseline.is_none() && policy.is_none() && g.config.allow.is_empty() {
            // Nothing to drop: count what fails and pass the result on as it is.
            if let Some(kinds) = g.fail_on {
                for f in r.findings.iter().filter(|f| kinds.contains(f.kind)) {
                    *self.outcome.failing.entry(f.kind).or_default() += 1;
                }
            }
            return self.inner.file(r);
        }
        let mut out = FileResult {
            file: r.file.clone(),
            findings: Vec::with_capacity(r.findings.len()),
        };
        for f in &r.findings {
            if g.config.allow.allows(f) {
                self.outcome.allowed += 1;
                continue;
            }
            let fp = g.fingerprints.as_ref().and_then(|fp| fp.of(f));
            if g.collect {
                if let Some(fp) = &fp {
                    self.outcome.seen.insert(fp.clone());
                }
            }
            if let (Some(b), Some(fp)) = (&g.baseline, &fp) {
                if b.contains(fp) {
                    self.outcome.baselined += 1;
                    continue;
                }
            }
            let fails = match policy {
                Some(p) => !p.allow.contains(f.kind),
                None => g.fail_on.is_some_and(|k| k.contains(f.kind)),
            };
            if fails {
                *self.outcome.failing.entry(f.kind).or_default() += 1;
                if policy.is_some() {
                    self.outcome.policy_violations += 1;
                }
            }
            out.findings.push(f.clone());
        }
        out.file.findings = out.findings.len();
        self.inner.file(&out)
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        let mut s = summary.clone();
        s.findings = s
            .findings
            .saturating_sub(self.outcome.allowed + self.outcome.baselined);
        self.inner.finish(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::baseline::fingerprint;
    use crate::document::Location;
    use crate::record::{FileRecord, FindingRecord, Status};
    use std::cell::RefCell;
    use std::rc::Rc;

    #[derive(Default)]
    struct Collect(Rc<RefCell<(Vec<FileResult>, Option<Summary>)>>);
    impl Report for Collect {
        fn file(&mut self, r: &FileResult) -> io::Result<()> {
            self.0.borrow_mut().0.push(r.clone());
            Ok(())
        }
        fn finish(&mut self, s: &Summary) -> io::Result<()> {
            self.0.borrow_mut().1 = Some(s.clone());
            Ok(())
        }
    }

    fn result(path: &str, found: &[(Kind, &str)]) -> FileResult {
        FileResult {
            file: FileRecord {
                path: path.into(),
                status: Status::Scanned,
                reason: None,
                findings: found.len(),
                format: Some("txt"),
                bytes: 10,
                output: None,
                note: None,
            },
            findings: found
                .iter()
                .map(|(k, n)| FindingRecord {
                    path: path.into(),
                    kind: *k,
                    value: "***".into(),
                    confidence: 0.9,
                    owner: None,
                    location: Location::line(1),
                    rule: "t",
                    roster: None,
                    norm: n.to_string(),
                })
                .collect(),
        }
    }

    const KEY: &[u8] = b"test key 0123456789";

    fn run(gate: Gate<'_>, files: &[FileResult]) -> (Outcome, Vec<FileResult>, Summary) {
        let sink = Collect::default();
        let seen = sink.0.clone();
        let mut rep = GateReport::new(Box::new(sink), gate);
        let mut summary = Summary::default();
        for f in files {
            summary.add(f);
            rep.file(f).unwrap();
        }
        rep.finish(&summary).unwrap();
        let (files, s) = seen.borrow().clone();
        (rep.outcome, files, s.unwrap())
    }

    #[test]
    fn policy_allow_list_baseline_and_fail_on() {
        let config = Config::parse(
            "[allow]\nemail_domains = [\"corp.nl\"]\n[[policy]]\npaths = [\"exports/**\"]\nallow = [\"phone\", \"email\"]\n",
            "t",
        )
        .unwrap();
        let files = vec![
            result(
                "exports/a.csv",
                &[(Kind::Phone, "+31612345678"), (Kind::Bsn, "123456782")],
            ),
            result(
                "dossier/b.txt",
                &[
                    (Kind::Email, "info@corp.nl"),
                    (Kind::Iban, "NL91ABNA0417164300"),
                ],
            ),
        ];
        // no --fail-on: only the policy violation fails
        let (o, out, s) = run(
            Gate {
                config: &config,
                fail_on: None,
                baseline: None,
                fingerprints: Some(Fingerprints::keyed(std::str::from_utf8(KEY).unwrap()).unwrap()),
                collect: true,
                allow_unread: false,
            },
            &files,
        );
        assert!(o.failed());
        assert_eq!(o.failing.get(&Kind::Bsn), Some(&1));
        assert_eq!(o.policy_violations, 1);
        assert_eq!(o.allowed, 1);
        assert_eq!(out[1].findings.len(), 1);
        assert_eq!(out[1].file.findings, 1);
        assert_eq!(s.findings, 3);
        assert_eq!(o.seen.len(), 3);
        assert_eq!(o.describe(), "1 finding (bsn 1), 1 against a path policy");

        // --fail-on iban: the iban outside the policy fails too; phone in the policy does not
        let (o, _, _) = run(
            Gate {
                config: &config,
                fail_on: Some(KindSet::parse("iban,phone").unwrap()),
                baseline: None,
                fingerprints: None,
                collect: false,
                allow_unread: false,
            },
            &files,
        );
        assert_eq!(o.failing.get(&Kind::Iban), Some(&1));
        assert_eq!(o.failing.get(&Kind::Phone), None);

        // a baseline with the bsn and the iban: nothing fails, they are not reported
        let mut b = Baseline::default();
        b.fingerprints
            .insert(fingerprint(KEY, Kind::Bsn, "123456782", "exports/a.csv"));
        b.fingerprints.insert(fingerprint(
            KEY,
            Kind::Iban,
            "NL91ABNA0417164300",
            "dossier/b.txt",
        ));
        let (o, out, s) = run(
            Gate {
                config: &config,
                fail_on: Some(KindSet::all()),
                baseline: Some(b.clone()),
                fingerprints: Some(Fingerprints::keyed(std::str::from_utf8(KEY).unwrap()).unwrap()),
                collect: false,
                allow_unread: false,
            },
            &files,
        );
        assert!(!o.failed(), "{o:?}");
        assert_eq!(o.baselined, 2);
        assert_eq!(s.findings, 1);
        assert_eq!(out[0].findings.len(), 1);
        // the same value moved to another file is new
        let moved = vec![result("dossier/c.txt", &[(Kind::Bsn, "123456782")])];
        let (o, _, _) = run(
            Gate {
                config: &config,
                fail_on: Some(KindSet::all()),
                baseline: Some(b),
                fingerprints: Some(Fingerprints::keyed(std::str::from_utf8(KEY).unwrap()).unwrap()),
                collect: false,
                allow_unread: false,
            },
            &moved,
        );
        assert!(o.failed());
    }
}

#[cfg(test)]
mod unread_tests {
    use super::*;
    use crate::record::{skip, FileRecord, Status};

    fn file(path: &str, status: Status, reason: Option<&str>) -> FileResult {
        FileResult {
            file: FileRecord {
                path: path.into(),
                status,
                reason: reason.map(str::to_string),
                findings: 0,
                format: None,
                bytes: 1,
                output: None,
                note: None,
            },
            findings: vec![],
        }
    }

    struct Null;
    impl Report for Null {
        fn file(&mut self, _: &FileResult) -> io::Result<()> {
            Ok(())
        }
        fn finish(&mut self, _: &Summary) -> io::Result<()> {
            Ok(())
        }
    }

    fn outcome(
        config: &Config,
        fail_on: Option<KindSet>,
        allow: bool,
        files: &[FileResult],
    ) -> Outcome {
        let mut rep = GateReport::new(
            Box::new(Null),
            Gate {
                config,
                fail_on,
                baseline: None,
                fingerprints: None,
                collect: false,
                allow_unread: allow,
            },
        );
        for f in files {
            rep.file(f).unwrap();
        }
        rep.outcome
    }

    #[test]
    fn files_not_read_fail_the_gate_unless_allowed() {
        let files = vec![
            file(
                "a.pdf",
                Status::NeedsReview,
                Some("encrypted (needs a password)"),
            ),
            file("b.zip", Status::Error, Some("limit exceeded: ratio")),
            file(
                "c.txt",
                Status::Skipped,
                Some("larger than --max-filesize (10 bytes)"),
            ),
            file("scans/d.png", Status::NeedsReview, Some("an image")),
            file("e.txt", Status::Skipped, Some(skip::EMPTY)),
            file("f.txt", Status::Skipped, Some("excluded by the glob `f.*`")),
            file("g.txt", Status::Skipped, Some(skip::SYMLINK)),
            file("h.txt", Status::Scanned, None),
        ];
        let none = Config::default();
        let any = Some(KindSet::all());
        let o = outcome(&none, any, false, &files);
        assert!(o.failed());
        assert_eq!(o.unread.get("needs_review"), Some(&2));
        assert_eq!(o.unread.get("error"), Some(&1));
        assert_eq!(o.unread.get("skipped"), Some(&1));
        assert!(
            o.describe().starts_with("4 files not read completely"),
            "{}",
            o.describe()
        );
        // without --fail-on they are records only
        assert!(!outcome(&none, None, false, &files).failed());
        // --allow-unread
        assert!(!outcome(&none, any, true, &files).failed());
        // allow_unread globs in the config
        let config = Config::parse("allow_unread = [\"scans/**\", \"*.pdf\"]\n", "t").unwrap();
        let o = outcome(&config, any, false, &files);
        assert_eq!(o.unread.values().sum::<u64>(), 2, "{:?}", o.unread);
        assert_eq!(o.unread.get("needs_review"), None);
    }
}
