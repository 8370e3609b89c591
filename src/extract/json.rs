//! JSON and JSON Lines: every string and number leaf is a segment labelled
//! with its key, located by its JSON pointer (`part`). Text that is not JSON is
//! read as plain text.

use super::text::{decode_all, TextReader};
use super::{ExtractError, ReadCtx, Reader, Sink, Source};
use crate::document::{Location, Segment};
use serde_json::Value;

/// The reader of JSON and JSON Lines: string and number values, labelled with their key.
pub struct JsonReader;

fn walk(
    v: &Value,
    pointer: &mut String,
    key: Option<&str>,
    line: Option<u64>,
    sink: &mut dyn Sink,
) {
    let emit = |text: String, pointer: &str, sink: &mut dyn Sink| {
        let mut loc = Location::part(if pointer.is_empty() { "/" } else { pointer });
        loc.line = line;
        let mut seg = Segment::new(text, loc);
        if let Some(k) = key {
            seg = seg.with_label(k);
        }
        sink.segment(seg);
    };
    match v {
        Value::String(s) => emit(s.clone(), pointer, sink),
        Value::Number(n) => emit(n.to_string(), pointer, sink),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push_str(&format!("/{i}"));
                walk(item, pointer, key, line, sink);
                pointer.truncate(len);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&k.replace('~', "~0").replace('/', "~1"));
                walk(item, pointer, Some(k), line, sink);
                pointer.truncate(len);
            }
        }
        Value::Bool(_) | Value::Null => {}
    }
}

impl Reader for JsonReader {
    fn read(
        &self,
        src: &Source,
        ctx: &ReadCtx<'_>,
        sink: &mut dyn Sink,
    ) -> Result<(), ExtractError> {
        if src.len() > ctx.limits.stream_threshold {
            return TextReader.read(src, ctx, sink);
        }
        let bytes = src.bytes()?;
        let (text, _) = decode_all(&bytes);
        if let Ok(v) = serde_json::from_str::<Value>(&text) {
            walk(&v, &mut String::new(), None, None, sink);
            return Ok(());
        }
        // JSON Lines: one document per line.
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let docs: Option<Vec<Value>> = lines.iter().map(|l| serde_json::from_str(l).ok()).collect();
        if let Some(docs) = docs.filter(|d| !d.is_empty()) {
            let mut n = 0u64;
            for (i, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let v = &docs[n as usize];
                n += 1;
                walk(v, &mut String::new(), None, Some(i as u64 + 1), sink);
            }
            return Ok(());
        }
        // Not JSON after all: still text.
        TextReader.read(src, ctx, sink)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testutil::run;

    fn read(s: &str) -> Vec<Segment> {
        run(&JsonReader, s.as_bytes().to_vec()).unwrap().segs
    }

    #[test]
    fn leaves_with_keys_and_pointers() {
        let segs = read(r#"{"huurder":{"bsn":"123456782","tel":[612345678]}}"#);
        assert_eq!(segs.len(), 2);
        assert_eq!(segs[0].label.as_deref(), Some("bsn"));
        assert_eq!(segs[0].loc.part.as_deref(), Some("/huurder/bsn"));
        assert_eq!(segs[1].text, "612345678");
        assert_eq!(segs[1].loc.part.as_deref(), Some("/huurder/tel/0"));
    }

    #[test]
    fn json_lines_and_fallback() {
        let segs = read("{\"a\":\"x\"}\n{\"a\":\"y\"}\n");
        assert_eq!(
            segs.iter().map(|s| s.loc.line).collect::<Vec<_>>(),
            vec![Some(1), Some(2)]
        );
        let segs = read("not json at all");
        assert_eq!(segs[0].text, "not json at all");
    }
}
