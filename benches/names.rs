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
use zwartlak::patterns;

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.next() % v.len()]
    }
}

fn list(s: &str) -> Vec<&str> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.contains(' '))
        .collect()
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn prose(bytes: usize) -> String {
    let words = list(patterns::names::NOT_NAMES);
    let first = list(patterns::names::FAKER_FIRST);
    let last = list(patterns::names::FAKER_SURNAMES);
    let tv = ["van", "de", "van der", "van den", "ter", "in 't"];
    let titles = ["mevrouw", "de heer", "dhr.", "mevr."];
    let streets = ["straat", "laan", "weg", "plein", "singel", "hof"];
    let mut r = Lcg(42);
    let mut out = String::with_capacity(bytes + 256);
    while out.len() < bytes {
        let n = 8 + r.next() % 12;
        for k in 0..n {
            let w = r.pick(&words);
            if k == 0 {
                out.push_str(&capitalise(w));
            } else {
                out.push(' ');
                out.push_str(w);
            }
            match r.next() % 60 {
                0 => {
                    out.push(' ');
                    out.push_str(r.pick(&first));
                    out.push(' ');
                    out.push_str(tv[r.next() % tv.len()]);
                    out.push(' ');
                    out.push_str(r.pick(&last));
                }
                1 => {
                    out.push(' ');
                    out.push_str(titles[r.next() % titles.len()]);
                    out.push(' ');
                    out.push_str(r.pick(&last));
                }
                2 => {
                    let f = r.pick(&first);
                    let initial: String = f.chars().take(1).collect();
                    out.push_str(&format!(" {}. {}", initial, r.pick(&last)));
                }
                3 => {
                    out.push_str(&format!(
                        " {}{} {}",
                        r.pick(&last),
                        streets[r.next() % streets.len()],
                        1 + r.next() % 200
                    ));
                }
                _ => {}
            }
        }
        out.push_str(if r.next().is_multiple_of(5) {
            ".\n"
        } else {
            ". "
        });
    }
    out
}

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
