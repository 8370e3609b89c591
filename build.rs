//! Build script: a key of this build's detectors and data (every file under
//! `src/` and `patterns/`), so that a scan cache made by another build is not
//! trusted (`src/cache.rs`); and the Dutch word list as sorted word keys
//! (`OUT_DIR/dutch_keys.bin`), so that no table is built at start-up.

#[allow(dead_code)]
#[path = "src/detect/names/keys.rs"]
mod keys;

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
    dutch_keys();
}

/// Hash every word of `patterns/names/dutch_words.txt` as the name detector
/// does ([`keys::word_key`]) and write the sorted keys as little-endian u64s.
fn dutch_keys() {
    let list = std::fs::read_to_string("patterns/names/dutch_words.txt")
        .expect("patterns/names/dutch_words.txt is readable");
    let mut buf = String::new();
    let mut k: Vec<u64> = list
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|w| keys::word_key(w, &mut buf))
        .collect();
    k.sort_unstable();
    k.dedup();
    let bytes: Vec<u8> = k.iter().flat_map(|x| x.to_le_bytes()).collect();
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR is set"));
    std::fs::write(out.join("dutch_keys.bin"), bytes).expect("OUT_DIR is writable");
}
