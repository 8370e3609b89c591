//! JSON and JSON Lines: every string and number leaf is a segment labelled
//! with its key, located by its JSON pointer (`part`); the leaves of an array
//! of records (objects, or the lines of JSON Lines) are the cells of a table,
//! one column per key path. Text that is not JSON is
//! read as plain text.

use super::text::{decode_all, TextReader};
use super::{ExtractError, ReadCtx, Reader, Sink, Source};
use crate::document::{Column, Location, Segment};
use serde_json::Value;
use std::collections::HashMap;

/// The reader of JSON and JSON Lines: string and number values, labelled with their key.
pub struct JsonReader;

/// The tables of one JSON document: every array of records (objects) is a
/// table, each key path within its records a column (JSON Lines: the lines
/// are the records of table 0).
#[derive(Default)]
struct Tables {
    count: u32,
    columns: HashMap<(u32, String), u32>,
}

impl Tables {
    fn table(&mut self) -> u32 {
        self.count += 1;
        self.count - 1
    }

    /// The column of the leaf at `rel` (its pointer within the record; array
    /// indices inside a record are one column: `/tel/*`).
    fn column(&mut self, table: u32, rel: &str) -> Column {
        let key: Vec<&str> = rel
            .split('/')
            .map(|p| {
                if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) {
                    "*"
                } else {
                    p
                }
            })
            .collect();
        let n = self.columns.len() as u32;
        let index = *self.columns.entry((table, key.join("/"))).or_insert(n);
        Column { table, index }
    }
}

/// Where a walk is: the pointer, the key, the line (JSON Lines) and the
/// record it is in (table, pointer length at the record).
struct Walk<'a> {
    pointer: String,
    line: Option<u64>,
    tables: &'a mut Tables,
    sink: &'a mut dyn Sink,
}

impl Walk<'_> {
    fn emit(&mut self, text: String, key: Option<&str>, record: Option<(u32, usize)>) {
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            self.pointer.as_str()
        };
        let mut loc = Location::part(pointer);
        loc.line = self.line;
        let mut seg = Segment::new(text, loc);
        if let Some(k) = key {
            seg = seg.with_label(k);
        }
        if let Some((table, at)) = record {
            seg.column = Some(self.tables.column(table, &self.pointer[at..]));
        }
        self.sink.segment(seg);
    }

    fn walk(&mut self, v: &Value, key: Option<&str>, record: Option<(u32, usize)>) {
        match v {
            Value::String(s) => self.emit(s.clone(), key, record),
            Value::Number(n) => self.emit(n.to_string(), key, record),
            Value::Array(items) => {
                let table = items
                    .iter()
                    .any(Value::is_object)
                    .then(|| self.tables.table());
                for (i, item) in items.iter().enumerate() {
                    let len = self.pointer.len();
                    self.pointer.push_str(&format!("/{i}"));
                    let rec = match table {
                        Some(t) if item.is_object() => Some((t, self.pointer.len())),
                        _ => record,
                    };
                    self.walk(item, key, rec);
                    self.pointer.truncate(len);
                }
            }
            Value::Object(map) => {
                for (k, item) in map {
                    let len = self.pointer.len();
                    self.pointer.push('/');
                    self.pointer
                        .push_str(&k.replace('~', "~0").replace('/', "~1"));
                    self.walk(item, Some(k), record);
                    self.pointer.truncate(len);
                }
            }
            Value::Bool(_) | Value::Null => {}
        }
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
        let mut tables = Tables::default();
        if let Ok(v) = serde_json::from_str::<Value>(&text) {
            Walk {
                pointer: String::new(),
                line: None,
                tables: &mut tables,
                sink,
            }
            .walk(&v, None, None);
            return Ok(());
        }
        // JSON Lines: one document per line.
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let docs: Option<Vec<Value>> = lines.iter().map(|l| serde_json::from_str(l).ok()).collect();
        if let Some(docs) = docs.filter(|d| !d.is_empty()) {
            let mut n = 0u64;
            let lines_table = tables.table();
            for (i, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let v = &docs[n as usize];
                n += 1;
                let record = v.is_object().then_some((lines_table, 0));
                Walk {
                    pointer: String::new(),
                    line: Some(i as u64 + 1),
                    tables: &mut tables,
                    sink: &mut *sink,
                }
                .walk(v, None, record);
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
    fn arrays_of_records_are_tables() {
        let segs = read(
            r#"{"meta":{"n":2},"rows":[{"bsn":"1","adres":{"pc":"a"},"tel":["x","y"]},{"tel":["z"],"bsn":"2"}],"kinderen":[{"bsn":"3"}]}"#,
        );
        let col = |part: &str| {
            segs.iter()
                .find(|s| s.loc.part.as_deref() == Some(part))
                .unwrap()
                .column
        };
        assert_eq!(col("/meta/n"), None);
        assert_eq!(col("/rows/0/bsn"), col("/rows/1/bsn"));
        assert_eq!(col("/rows/0/tel/0"), col("/rows/1/tel/0"));
        assert_eq!(col("/rows/0/tel/1"), col("/rows/0/tel/0"));
        assert_ne!(col("/rows/0/bsn"), col("/rows/0/adres/pc"));
        assert!(col("/rows/0/adres/pc").is_some());
        assert_ne!(
            col("/kinderen/0/bsn").unwrap().table,
            col("/rows/0/bsn").unwrap().table
        );
        let lines = read("{\"a\":\"x\"}\n{\"a\":\"y\"}\n");
        assert!(lines[0].column.is_some());
        assert_eq!(lines[0].column, lines[1].column);
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
