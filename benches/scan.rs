//! Throughput of all pattern detectors of the core scanner over Dutch prose
//! with sparse personal data (~100 MB, `benches/prose.rs`), one core.
//! See benches/README.md for the comparison with ripgrep.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use zwartlak::detect::{Engine, Filter};

#[path = "prose.rs"]
mod prose;

fn bench(c: &mut Criterion) {
    let mb: usize = std::env::var("ZWARTLAK_BENCH_MB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100);
    let text = prose::prose(mb << 20, 42);
    let engine = Engine::builtin(Filter::default()).expect("built-in detectors");
    // Segments as the text reader makes them for large files: 8 MiB chunks.
    let chunks: Vec<&str> = {
        let mut v = Vec::new();
        let mut rest = text.as_str();
        while !rest.is_empty() {
            let mut cut = rest.len().min(8 << 20);
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            v.push(&rest[..cut]);
            rest = &rest[cut..];
        }
        v
    };
    let found: usize = chunks.iter().map(|c| engine.detect(c, None).len()).sum();
    assert!(
        found > 1000,
        "the bench text must contain findings ({found})"
    );
    let mut g = c.benchmark_group("detect");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10);
    g.bench_function(format!("pattern_detectors_{mb}MB"), |b| {
        b.iter(|| {
            chunks
                .iter()
                .map(|c| engine.detect(c, None).len())
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
