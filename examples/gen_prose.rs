//! Write the benchmark prose to a file: `cargo run --release --example gen_prose -- OUT [MB]`.
//! Used to compare zwartlak with other tools on the same text (benches/README.md).

#[path = "../benches/prose.rs"]
mod prose;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next() else {
        eprintln!("usage: gen_prose OUT [MB]");
        std::process::exit(2);
    };
    let mb: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(100);
    let text = prose::prose(mb << 20, 42);
    if let Err(e) = std::fs::write(&out, text) {
        eprintln!("gen_prose: {out}: {e}");
        std::process::exit(1);
    }
}
