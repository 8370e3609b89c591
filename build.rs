//! Build script: a key of this build's detectors and data (every file under
//! `src/` and `patterns/`), so that a scan cache made by another build is not
//! trusted (`src/cache.rs`).

use std::hash::{DefaultHasher, Hasher};
use std::path::Path;

fn visit(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            visit(&p, files);
        } else {
            files.push(p);
        }
    }
}

fn main() {
    let mut files = Vec::new();
    for dir in ["src", "patterns"] {
        println!("cargo:rerun-if-changed={dir}");
        visit(Path::new(dir), &mut files);
    }
    files.sort();
    let mut h = DefaultHasher::new();
    for f in &files {
        h.write(f.to_string_lossy().as_bytes());
        h.write(&std::fs::read(f).unwrap_or_default());
    }
    println!("cargo:rustc-env=ZWARTLAK_BUILD_KEY={:016x}", h.finish());
}
