//! Build and search time of a roster (`--roster`), best of several runs:
//! `cargo run --release --example roster_speed ROSTER [TEXT] [RUNS]`.
//! Build: reading the file and indexing every row (what `--roster` costs
//! once per run); search: one pass of the roster detector over TEXT.
use std::time::{Duration, Instant};
use zwartlak::detect::roster::Roster;
use zwartlak::detect::Detector;

fn best(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let roster = args.next().expect("ROSTER");
    let text = args
        .next()
        .map(|p| std::fs::read_to_string(p).expect("readable UTF-8 file"));
    let runs: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10);
    // The word lists the name forms use are built once per process.
    zwartlak::detect::names::lexicon::Lexicon::get();
    let mut r = Roster::from_files(&[&roster]).expect("usable roster");
    let build = best(runs, || {
        r = Roster::from_files(&[&roster]).expect("usable roster")
    });
    println!(
        "{} people: build {:.1} ms",
        r.len(),
        build.as_secs_f64() * 1e3
    );
    if let Some(text) = text {
        let mut found = 0;
        let search = best(runs, || {
            let mut out = Vec::new();
            r.detect(&text, None, &mut out);
            found = out.len();
        });
        let mb = text.len() as f64 / (1 << 20) as f64;
        println!(
            "search {mb:.1} MiB: {:.1} ms ({:.0} MiB/s), {found} found",
            search.as_secs_f64() * 1e3,
            mb / search.as_secs_f64()
        );
    }
}
