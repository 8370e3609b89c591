//! Throughput of the name and address detectors on generated Dutch prose.
//!
//! The prose is built here from the project's own word lists (not from any
//! corpus): sentences of ordinary Dutch words with a name every ~25 words
//! (first name + tussenvoegsel + surname, a title + surname, initials) and a
//! street address every ~60 words. About 16 MB.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use zwartlak::detect::address::AddressDetector;
use zwartlak::detect::names::NameDetector;
use zwartlak::detect::Detector;

#[path = "prose/mod.rs"]
mod prose;
use prose::prose;

fn bench(c: &mut Criterion) {
    let text = prose(16 << 20);
    let names = NameDetector::new();
    let addr = AddressDetector::new();
    let mut g = c.benchmark_group("names");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10);
    g.bench_function("name+address", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            names.detect(black_box(&text), None, &mut out);
            addr.detect(black_box(&text), None, &mut out);
            out.len()
        })
    });
    g.bench_function("name", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            names.detect(black_box(&text), None, &mut out);
            out.len()
        })
    });
    g.bench_function("address", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            addr.detect(black_box(&text), None, &mut out);
            out.len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
