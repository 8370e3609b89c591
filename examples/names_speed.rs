//! CPU-time throughput of the name and address detectors on a text file, or on
//! the benchmark's generated prose when FILE is `-`:
//! `cargo run --release --example names_speed FILE [ITERATIONS]`.
//! Run it under `perf stat -e task-clock` on a busy machine: MB / CPU-second.
#[path = "../benches/prose/mod.rs"]
mod prose;

use std::time::Instant;
use zwartlak::detect::address::AddressDetector;
use zwartlak::detect::names::NameDetector;
use zwartlak::detect::Detector;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("FILE");
    let iters: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(5);
    let text = if path == "-" {
        prose::prose(16 << 20)
    } else {
        std::fs::read_to_string(path).expect("readable UTF-8 file")
    };
    let (n, a) = (NameDetector::new(), AddressDetector::new());
    // Build the word tables before timing.
    n.detect("Jan de Vries", None, &mut Vec::new());
    let t = Instant::now();
    let mut found = 0;
    for _ in 0..iters {
        let mut out = Vec::new();
        n.detect(&text, None, &mut out);
        a.detect(&text, None, &mut out);
        found += out.len();
    }
    let mb = (text.len() * iters) as f64 / 1e6;
    let s = t.elapsed().as_secs_f64();
    println!(
        "{mb:.1} MB in {s:.2} s wall = {:.0} MB/s wall, {found} findings",
        mb / s
    );
}
