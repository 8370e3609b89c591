//! Shared harness of the fuzz targets: feed bytes to one reader, with a sink
//! that drops segments and reads embedded files (zip entries, attachments)
//! with the reader the pipeline would pick, as deep as the limits allow.
//! A panic, abort, hang or out-of-memory here is a bug in a reader.

use zwartlak::document::Segment;
use zwartlak::extract::{reader_for, sniff_bytes, Format, Limits, ReadCtx, Sink, Source};

struct DropSink<'a> {
    limits: &'a Limits,
    depth: u32,
}

impl Sink for DropSink<'_> {
    fn segment(&mut self, seg: Segment) {
        std::hint::black_box(seg);
    }
    fn embedded(&mut self, name: &str, data: Vec<u8>) {
        if let Some(format) = sniff_bytes(name, &data) {
            read(format, data, self.limits, self.depth + 1);
        }
    }
    fn needs_review(&mut self, reason: String) {
        std::hint::black_box(reason);
    }
}

fn read(format: Format, data: Vec<u8>, limits: &Limits, depth: u32) {
    let ctx = ReadCtx::new(limits, depth);
    let mut sink = DropSink { limits, depth };
    let _ = reader_for(format).read(&Source::Memory(data), &ctx, &mut sink);
}

static DEFAULT_HOOK: std::sync::Once = std::sync::Once::new();

/// Read `data` as `format` with the default limits.
pub fn run(format: Format, data: &[u8]) {
    // libfuzzer-sys aborts in its panic hook, even for a panic that a reader
    // catches on purpose (calamine's, in the spreadsheet reader). Put the
    // default hook back: a panic that escapes the reader still aborts, since
    // libfuzzer-sys catches it around this call and aborts.
    DEFAULT_HOOK.call_once(|| drop(std::panic::take_hook()));
    let limits = Limits::default();
    read(format, data.to_vec(), &limits, 0);
}
