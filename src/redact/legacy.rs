//! Legacy formats without a writer: Outlook `.msg`, Word 97–2003 `.doc` and
//! `.rtf`. No redacted copy is written (writing these binary formats back,
//! or converting them, is not done yet): the file is `needs_review` with a
//! reason that says how to release it (convert it to `.eml` or `.docx`
//! and redact that). What the reader finds is still planned, so the file
//! record lists its findings, and attachments are redacted as files of
//! their own, so their records show too (their copies are not written,
//! since the message that holds them is not).

use super::{Cx, RedactError, Redactor};
use crate::document::Segment;
use crate::extract::{reader_for, Format, ReadCtx, Sink, Source};

/// The "redactor" of a legacy format: it reports, it does not write.
pub struct LegacyRedactor {
    /// `Format::Msg`, `Format::Doc` or `Format::Rtf`.
    pub format: Format,
}

/// Why a file of `format` is not written.
pub fn reason(format: Format) -> String {
    match format {
        Format::Msg => "legacy .msg (Outlook): no redacted copy is written; save the message as .eml (or its text as .docx) to release a redacted copy".into(),
        Format::Doc => "legacy .doc (Word 97-2003): no redacted copy is written; convert it to .docx to release a redacted copy".into(),
        f => format!("{}: no redacted copy is written; convert it to .docx to release a redacted copy", f.name()),
    }
}

/// Collects what the reader hands out.
#[derive(Default)]
struct Collect {
    segs: Vec<Segment>,
    files: Vec<(String, Vec<u8>)>,
    review: Vec<String>,
}

impl Sink for Collect {
    fn segment(&mut self, seg: Segment) {
        self.segs.push(seg);
    }
    fn embedded(&mut self, name: &str, data: Vec<u8>) {
        self.files.push((name.to_string(), data));
    }
    fn needs_review(&mut self, reason: String) {
        self.review.push(reason);
    }
}

impl Redactor for LegacyRedactor {
    fn redact(&self, input: &[u8], cx: &mut Cx<'_>) -> Result<Vec<u8>, RedactError> {
        let mut sink = Collect::default();
        let limits = cx.limits().clone();
        let ctx = ReadCtx {
            limits: &limits,
            depth: cx.depth,
            deadline: cx.deadline(),
        };
        reader_for(self.format).read(&Source::Memory(input.to_vec()), &ctx, &mut sink)?;
        for seg in &sink.segs {
            cx.plan(seg);
        }
        for (name, data) in &sink.files {
            // Only for the attachment's own record: its copy is not written.
            let _ = cx.embedded(name, data);
        }
        let mut why = vec![reason(self.format)];
        why.extend(sink.review);
        Err(RedactError::Review(why.join("; ")))
    }
}
