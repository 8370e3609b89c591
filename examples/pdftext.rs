//! Print the page text zwartlak reads from a PDF, pages separated by form
//! feeds (like `pdftotext`). For comparing extraction with other tools
//! (`scripts/pdf_agreement.py`); it prints document text, so use it only on
//! files you may read.
//!
//! Usage: cargo run --release --example pdftext -- FILE.pdf [--glyphs]

use zwartlak::extract::pdf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: pdftext FILE.pdf [--glyphs]");
        std::process::exit(2);
    };
    let glyphs = args.iter().any(|a| a == "--glyphs");
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            std::process::exit(2);
        }
    };
    let doc = match pdf::open(&bytes) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("cannot open {path}: {e:?}");
            std::process::exit(1);
        }
    };
    for page in pdf::document_pages(&doc) {
        println!("{}\u{c}", page.text.text);
        if glyphs {
            for g in &page.glyphs.glyphs {
                eprintln!(
                    "p{} {:?} op{} el{} b{:?} {:?} x{:.1} y{:.1} size{:.1} adv{:.0}",
                    g.page,
                    g.stream,
                    g.op,
                    g.elem,
                    g.bytes,
                    page.glyphs.glyph_text(g),
                    g.origin[0],
                    g.origin[1],
                    g.size,
                    g.adv
                );
            }
        }
    }
}
