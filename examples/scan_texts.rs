//! Runs zwartlak's built-in detectors over texts extracted by another tool
//! (`eval/extract.py --json OUT`: `{path: {"text": ...}}`), one text per file
//! and without segment labels, and prints JSONL findings with revealed values.
//! Used to compare detectors with other tools (scripts/deduce_compare.py) on
//! exactly the same text, also for formats this build cannot read itself.
//!
//! `cargo run --release --example scan_texts TEXTS.json > findings.jsonl`

use zwartlak::detect::{Engine, Filter};

fn main() -> anyhow::Result<()> {
    let path = std::env::args().nth(1).expect("TEXTS.json");
    let texts: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&std::fs::read(path)?)?;
    let engine = Engine::builtin(Filter::default())?;
    let t = std::time::Instant::now();
    let mut bytes = 0;
    for (path, doc) in &texts {
        let Some(text) = doc.get("text").and_then(|t| t.as_str()) else {
            continue;
        };
        bytes += text.len();
        for f in engine.detect(text, None) {
            let rec = serde_json::json!({
                "record": "finding",
                "path": path,
                "kind": f.kind.as_str(),
                "value": &text[f.start..f.end],
                "confidence": f.confidence,
            });
            println!("{rec}");
        }
    }
    eprintln!("{bytes} bytes in {:.3} s", t.elapsed().as_secs_f64());
    Ok(())
}
