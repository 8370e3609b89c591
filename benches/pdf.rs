//! PDF extraction throughput: the dev corpus PDFs (or `ZWARTLAK_PDF_DIR`),
//! read into glyphs and page text. Two measurements over the same files:
//! bytes/s (`pdf/bytes`) and pages/s (`pdf/pages`). See benches/README.md.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::{Path, PathBuf};
use zwartlak::extract::pdf;

fn pdfs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            pdfs(&p, out);
        } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("pdf")) {
            out.push(p);
        }
    }
}

fn extract_all(files: &[Vec<u8>]) -> usize {
    let mut chars = 0;
    for bytes in files {
        if let Ok(doc) = pdf::open(bytes) {
            for p in pdf::document_pages(&doc) {
                chars += p.text.text.len();
            }
        }
    }
    chars
}

fn bench(c: &mut Criterion) {
    let dir = std::env::var("ZWARTLAK_PDF_DIR").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/dev/docs").to_string()
    });
    let mut paths = Vec::new();
    pdfs(Path::new(&dir), &mut paths);
    paths.sort();
    if paths.is_empty() {
        eprintln!("no PDFs under {dir}; set ZWARTLAK_PDF_DIR");
        return;
    }
    let files: Vec<Vec<u8>> = paths.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    let bytes: u64 = files.iter().map(|f| f.len() as u64).sum();
    let pages: u64 = files
        .iter()
        .filter_map(|b| pdf::open(b).ok())
        .map(|d| d.get_pages().len() as u64)
        .sum();
    eprintln!("{} PDFs, {} pages, {} bytes", files.len(), pages, bytes);

    let mut g = c.benchmark_group("pdf");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("bytes", |b| b.iter(|| extract_all(&files)));
    g.throughput(Throughput::Elements(pages));
    g.bench_function("pages", |b| b.iter(|| extract_all(&files)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
