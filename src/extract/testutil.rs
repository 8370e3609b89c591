//! Test scaffolding of the readers' unit tests (compiled for tests only):
//! [`Collect`], a sink that keeps what a reader sends, and [`run`] /
//! [`run_with`], a reader on bytes.

use crate::document::Segment;
use crate::extract::{ExtractError, Limits, ReadCtx, Reader, Sink, Source};

/// What a reader sent: segments, the names of embedded files, review reasons.
#[derive(Default, Debug)]
pub struct Collect {
    pub segs: Vec<Segment>,
    pub embedded: Vec<String>,
    pub review: Vec<String>,
}

impl Sink for Collect {
    fn segment(&mut self, s: Segment) {
        self.segs.push(s)
    }
    fn embedded(&mut self, n: &str, _: Vec<u8>) {
        self.embedded.push(n.to_string())
    }
    fn needs_review(&mut self, r: String) {
        self.review.push(r)
    }
}

impl Collect {
    /// The segments' texts.
    pub fn texts(&self) -> Vec<&str> {
        self.segs.iter().map(|s| s.text.as_str()).collect()
    }
    /// The first segment whose text contains `needle`.
    pub fn find(&self, needle: &str) -> Option<&Segment> {
        self.segs.iter().find(|s| s.text.contains(needle))
    }
    /// Whether a segment's text is `text` exactly.
    pub fn has(&self, text: &str) -> bool {
        self.segs.iter().any(|s| s.text == text)
    }
    /// The segment of cell `at` (`"B7"`).
    pub fn cell(&self, at: &str) -> &Segment {
        self.segs
            .iter()
            .find(|s| s.loc.cell.as_deref() == Some(at))
            .unwrap_or_else(|| panic!("no cell {at}: {:?}", self.texts()))
    }
}

/// `reader` on `data` with the default limits.
pub fn run(reader: &dyn Reader, data: Vec<u8>) -> Result<Collect, ExtractError> {
    run_with(reader, data, &Limits::default())
}

/// `reader` on `data` with `limits`.
pub fn run_with(
    reader: &dyn Reader,
    data: Vec<u8>,
    limits: &Limits,
) -> Result<Collect, ExtractError> {
    let mut c = Collect::default();
    reader.read(&Source::Memory(data), &ReadCtx::new(limits, 0), &mut c)?;
    Ok(c)
}
