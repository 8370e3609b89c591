//! `text`: for people. Findings grouped per file, problems listed, a summary
//! line at the end. Everything taken from the input (paths, reasons that
//! name members, values) goes through [`terminal_safe`]: a file name cannot
//! split an entry or send escape sequences to the terminal.

use super::{round2, Report};
use crate::record::{FileResult, Status, Summary};
use crate::walk::terminal_safe;
use std::io::{self, Write};

pub struct TextReport<'w> {
    out: Box<dyn Write + 'w>,
    color: bool,
}

impl<'w> TextReport<'w> {
    pub fn new(out: Box<dyn Write + 'w>, color: bool) -> Self {
        TextReport { out, color }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// `1 file`, `2 files`.
fn count(n: u64, one: &str, more: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { more })
}

impl Report for TextReport<'_> {
    fn file(&mut self, r: &FileResult) -> io::Result<()> {
        let problem = match r.file.status {
            Status::Scanned => None,
            s => Some(format!(
                "{}: {}",
                s.as_str(),
                terminal_safe(r.file.reason.as_deref().unwrap_or(""))
            )),
        };
        if r.findings.is_empty() && problem.is_none() && r.file.note.is_none() {
            return Ok(());
        }
        writeln!(
            self.out,
            "{}",
            self.paint("1;35", &terminal_safe(&r.file.path))
        )?;
        if let Some(p) = problem {
            writeln!(self.out, "  {}", self.paint("33", &p))?;
        }
        if let Some(n) = &r.file.note {
            writeln!(self.out, "  {}", self.paint("36", &terminal_safe(n)))?;
        }
        for f in &r.findings {
            let owner = f
                .owner
                .map(|o| format!("  [{}]", o.as_str()))
                .unwrap_or_default();
            let roster = f
                .roster
                .as_deref()
                .map(|id| format!("  roster {id}"))
                .unwrap_or_default();
            writeln!(
                self.out,
                "  {:<13} {:<28} {:.2}  {}{}{}",
                self.paint("1;31", f.kind.as_str()),
                terminal_safe(&f.value),
                round2(f.confidence),
                terminal_safe(&f.location.describe()),
                owner,
                roster
            )?;
        }
        writeln!(self.out)
    }

    fn finish(&mut self, s: &Summary) -> io::Result<()> {
        writeln!(
            self.out,
            "{}, {}, {}, {} need{} review, {} skipped, {:.2} s",
            count(s.files, "file", "files") + &format!(" ({})", count(s.bytes, "byte", "bytes")),
            count(s.findings, "finding", "findings"),
            count(s.errors, "error", "errors"),
            s.needs_review,
            if s.needs_review == 1 { "s" } else { "" },
            s.skipped,
            s.seconds
        )?;
        if let (Some(w), Some(r)) = (s.written, s.redactions) {
            let mut line = count(w, "redacted copy", "redacted copies") + " written";
            if let Some(n) = s.renamed.filter(|&n| n > 0) {
                line.push_str(&format!(
                    " ({n} under another name: same path as another copy)"
                ));
            }
            if let Some(n) = s.write_errors.filter(|&n| n > 0) {
                line.push_str(&format!(", {n} could not be written"));
            }
            writeln!(self.out, "{line}, {} replaced", count(r, "value", "values"))?;
        }
        self.out.flush()
    }
}
