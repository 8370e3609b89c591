//! CPU cost of reading file and folder names for personal data (what `scan`
//! adds per walk entry, see `zwartlak::pathname`): the names of N generated
//! paths, one in ten holding a value, through `Scanner::name_findings` and
//! `Scanner::shown`, on one thread:
//! `cargo run --release --example path_names_speed [N]`.
//! Prints microseconds per path; compare with the time per file of a scan.

use std::time::Instant;
use zwartlak::detect::{Engine, Filter};
use zwartlak::pathname::ON_DISK;
use zwartlak::scan::{ScanOptions, Scanner};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let scanner = Scanner::new(
        Engine::builtin(Filter::default()).expect("built-in patterns"),
        ScanOptions::default(),
    );
    let paths: Vec<String> = (0..n)
        .map(|i| {
            let name = match i % 10 {
                0 => format!("brief aan huurder{i}@voorbeeld.nl"),
                1 => format!("Notitie_gesprek_{}", 2000 + i % 25),
                _ => format!("scan_{i:06}"),
            };
            format!("dossier{:03}/map {}/{name}.pdf", i / 1000, (i / 100) % 10)
        })
        .collect();
    // Build the word tables before timing.
    scanner.name_findings("Jan de Vries.txt", 0, ON_DISK);
    let t = Instant::now();
    let mut found = 0;
    let mut shown_len = 0;
    for p in &paths {
        let f = scanner.name_findings(p, 0, ON_DISK);
        shown_len += scanner.shown(p, &f).len();
        found += f.len();
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "{n} paths in {s:.3} s = {:.1} µs per path, {found} findings ({shown_len} bytes shown)",
        s * 1e6 / n as f64
    );
}
