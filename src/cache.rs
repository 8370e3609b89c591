//! Incremental runs: `--cache FILE`, an embedded store (redb) of the results
//! of every file scanned, so an unchanged file is not read again.
//!
//! Per walk entry the cache keeps the file's size, modification time and
//! content hash (blake3) with its full results: the file record, the records
//! of its archive members and attachments, and the findings with their values
//! and normalized values (needed for `--reveal`, allow lists and baseline
//! fingerprints). **The cache therefore holds personal data**: it is created
//! with permissions 0600 and belongs on the scanning machine, not in a
//! repository or a CI artifact.
//!
//! A file is served from the cache when its size and mtime are the ones
//! stored (it is not opened), or when its size matches and its content hash
//! does (it is read once to hash it, not parsed). Every entry carries the
//! *scanner version key*: a hash of the build (the source of the detectors
//! and the embedded `patterns/`, see `build.rs`), the crate version and the
//! options that change results (kinds, minimum confidence, reveal, limits,
//! subject, keep and roster files). A different key is a miss, so new
//! detectors, patterns, flags or rosters never return stale results. Entries
//! of an older build are such misses; fields added to the stored records
//! (a finding's `roster` id) still have a serde default, so an older entry
//! reads as one without them. New results are committed in
//! batches (every 2048 files or every second), so a run that is killed halfway
//! keeps what it did and the next run resumes from there.

use crate::merge::{StoredFile, StoredFinding};
use crate::record::FileResult;
use crate::scan::EntryCache;
use crate::walk::Entry;
use redb::{Database, Durability, ReadOnlyTable, ReadableDatabase, TableDefinition};
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Instant, UNIX_EPOCH};

const ENTRIES: TableDefinition<&str, &[u8]> = TableDefinition::new("entries");
/// Commit after this many new entries (each commit is an fsync)...
const BATCH: usize = 2048;
/// ... or when the last commit is this old (seconds).
const BATCH_SECONDS: f64 = 1.0;

/// A cache that cannot be opened or written.
#[derive(Debug, thiserror::Error)]
#[error("cache {path}: {why}")]
pub struct CacheError {
    /// The cache file's path.
    pub path: String,
    /// What went wrong.
    pub why: String,
}

/// The build's own key: a hash of `src/` and `patterns/` made by `build.rs`.
pub const BUILD_KEY: &str = env!("ZWARTLAK_BUILD_KEY");

/// The scanner version key for a run with these options (a description of
/// everything that changes results, e.g. `kinds=...;min=0.5;reveal=false`).
pub fn version_key(options: &str) -> String {
    let mut h = blake3::Hasher::new();
    h.update(BUILD_KEY.as_bytes());
    h.update(b"\0");
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(b"\0");
    h.update(options.as_bytes());
    h.finalize().to_hex()[..32].to_string()
}

#[derive(Serialize, Deserialize)]
struct Stored {
    version: String,
    size: u64,
    mtime: (i64, u32),
    hash: String,
    results: Vec<(StoredFile, Vec<StoredFinding>)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct Stat {
    size: u64,
    mtime: (i64, u32),
}

fn stat(path: &Path) -> Option<Stat> {
    let m = std::fs::metadata(path).ok()?;
    if !m.is_file() {
        return None;
    }
    let mtime = match m.modified().ok()?.duration_since(UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
        Err(e) => (
            -(e.duration().as_secs() as i64),
            e.duration().subsec_nanos(),
        ),
    };
    Some(Stat {
        size: m.len(),
        mtime,
    })
}

fn hash_file(path: &Path) -> Option<String> {
    let mut f = std::fs::File::open(path).ok()?;
    let mut h = blake3::Hasher::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = f.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Some(h.finalize().to_hex().to_string())
}

fn key(entry: &Entry) -> String {
    format!("{}\0{}", entry.display, entry.path.to_string_lossy())
}

struct Pending {
    items: Vec<(String, Vec<u8>)>,
    last_commit: Instant,
    error: Option<String>,
}

/// Counters of a run, for the `--cache` summary on stderr and the benchmark.
#[derive(Debug, Default, Clone, Copy)]
pub struct CacheStats {
    /// Served without opening the file (same size and mtime).
    pub hits: u64,
    /// Served after hashing the file (same content, new mtime).
    pub rehashed: u64,
    /// Scanned and stored.
    pub misses: u64,
}

/// An open cache.
pub struct Cache {
    path: String,
    db: Database,
    snapshot: Option<ReadOnlyTable<&'static str, &'static [u8]>>,
    version: String,
    pending: Mutex<Pending>,
    stats: Mutex<CacheStats>,
    /// Commit after this many new entries or this many seconds.
    batch: usize,
    batch_seconds: f64,
}

impl Cache {
    /// Open (or create, with permissions 0600) the cache at `path` for runs
    /// with scanner version key `version`.
    pub fn open(path: &Path, version: String) -> Result<Cache, CacheError> {
        let shown = path.display().to_string();
        let err = |why: String| CacheError {
            path: shown.clone(),
            why,
        };
        let mut o = std::fs::OpenOptions::new();
        o.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.mode(0o600);
        }
        let file = o.open(path).map_err(|e| err(e.to_string()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(|e| err(e.to_string()))?;
        }
        drop(file);
        // redb may panic on a file damaged outside redb: report it instead.
        let opened = std::panic::catch_unwind(|| Database::create(path));
        let db = match opened {
            Ok(Ok(db)) => db,
            Ok(Err(e)) => return Err(err(e.to_string())),
            Err(_) => return Err(err("the file is damaged; delete it".into())),
        };
        {
            let tx = db.begin_write().map_err(|e| err(e.to_string()))?;
            tx.open_table(ENTRIES).map_err(|e| err(e.to_string()))?;
            tx.commit().map_err(|e| err(e.to_string()))?;
        }
        let snapshot = db
            .begin_read()
            .map(|tx| tx.open_table(ENTRIES))
            .map_err(|e| err(e.to_string()))?
            .map_err(|e| err(e.to_string()))?;
        Ok(Cache {
            path: shown,
            db,
            snapshot: Some(snapshot),
            version,
            pending: Mutex::new(Pending {
                items: Vec::new(),
                last_commit: Instant::now(),
                error: None,
            }),
            stats: Mutex::new(CacheStats::default()),
            batch: BATCH,
            batch_seconds: BATCH_SECONDS,
        })
    }

    fn read(&self, key: &str) -> Option<Stored> {
        let guard = self.snapshot.as_ref()?.get(key).ok()??;
        serde_json::from_slice(guard.value()).ok()
    }

    fn count(&self, f: impl FnOnce(&mut CacheStats)) {
        f(&mut self.stats.lock().unwrap_or_else(|p| p.into_inner()));
    }

    /// The counters so far.
    pub fn stats(&self) -> CacheStats {
        *self.stats.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn push(&self, key: String, value: Vec<u8>) {
        let due = {
            let mut p = self.pending.lock().unwrap_or_else(|p| p.into_inner());
            p.items.push((key, value));
            if p.items.len() >= self.batch
                || p.last_commit.elapsed().as_secs_f64() >= self.batch_seconds
            {
                p.last_commit = Instant::now();
                Some(std::mem::take(&mut p.items))
            } else {
                None
            }
        };
        // Commit outside the lock: the other workers go on meanwhile.
        if let Some(items) = due {
            if let Err(e) = self.commit(items) {
                let mut p = self.pending.lock().unwrap_or_else(|p| p.into_inner());
                p.error.get_or_insert(e);
            }
        }
    }

    fn commit(&self, items: Vec<(String, Vec<u8>)>) -> Result<(), String> {
        if items.is_empty() {
            return Ok(());
        }
        let mut tx = self.db.begin_write().map_err(|e| e.to_string())?;
        tx.set_durability(Durability::Immediate)
            .map_err(|e| e.to_string())?;
        {
            let mut t = tx.open_table(ENTRIES).map_err(|e| e.to_string())?;
            for (k, v) in &items {
                t.insert(k.as_str(), v.as_slice())
                    .map_err(|e| e.to_string())?;
            }
        }
        tx.commit().map_err(|e| e.to_string())
    }

    /// Commit what is pending. Call at the end of a run.
    pub fn finish(&self) -> Result<CacheStats, CacheError> {
        let mut p = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        let items = std::mem::take(&mut p.items);
        let result = self.commit(items);
        let error = p.error.take().or(result.err());
        match error {
            Some(why) => Err(CacheError {
                path: self.path.clone(),
                why,
            }),
            None => Ok(self.stats()),
        }
    }

    fn encode(&self, st: Stat, hash: String, results: &[FileResult]) -> Vec<u8> {
        let stored = Stored {
            version: self.version.clone(),
            size: st.size,
            mtime: st.mtime,
            hash,
            results: results
                .iter()
                .map(|r| {
                    (
                        StoredFile::from(&r.file),
                        r.findings.iter().map(StoredFinding::from).collect(),
                    )
                })
                .collect(),
        };
        serde_json::to_vec(&stored).unwrap_or_default()
    }
}

fn decode(stored: Stored) -> Vec<FileResult> {
    stored
        .results
        .into_iter()
        .map(|(file, findings)| FileResult {
            file: file.into_record(),
            findings: findings.into_iter().map(|f| f.into_record()).collect(),
        })
        .collect()
}

impl EntryCache for Cache {
    fn get_or_scan(&self, entry: &Entry, scan: &dyn Fn() -> Vec<FileResult>) -> Vec<FileResult> {
        if entry.skip.is_some() {
            return scan();
        }
        let Some(st) = stat(&entry.path) else {
            return scan();
        };
        let k = key(entry);
        let mut old = self.read(&k).filter(|s| s.version == self.version);
        if let Some(hit) = old.take_if(|o| o.size == st.size && o.mtime == st.mtime) {
            self.count(|c| c.hits += 1);
            return decode(hit);
        }
        // Changed, or touched: hash before reading, so that a change during
        // the scan is seen by the next run.
        let hash = hash_file(&entry.path).unwrap_or_default();
        if let Some(old) = old {
            if old.size == st.size && !hash.is_empty() && old.hash == hash {
                self.count(|c| c.rehashed += 1);
                let results = decode(old);
                self.push(k, self.encode(st, hash, &results));
                return results;
            }
        }
        let results = scan();
        self.count(|c| c.misses += 1);
        if !hash.is_empty() {
            self.push(k, self.encode(st, hash, &results));
        }
        results
    }
}

impl Drop for Cache {
    fn drop(&mut self) {
        // The read snapshot must go before the database.
        self.snapshot = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{FileRecord, Status};
    use std::cell::Cell;

    fn entry(dir: &Path, name: &str) -> Entry {
        Entry {
            path: dir.join(name),
            display: name.into(),
            skip: None,
            data: None,
            names_from: 0,
        }
    }

    fn result(path: &str) -> Vec<FileResult> {
        vec![FileResult {
            file: FileRecord {
                path: path.into(),
                status: Status::Scanned,
                reason: None,
                findings: 0,
                format: Some("txt"),
                bytes: 3,
                output: None,
                note: None,
            },
            findings: vec![],
        }]
    }

    #[test]
    fn hits_misses_versions_and_permissions() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "abc").unwrap();
        let db = dir.path().join("cache.redb");
        let e = entry(dir.path(), "a.txt");
        let scans = Cell::new(0);
        let scan = || {
            scans.set(scans.get() + 1);
            result("a.txt")
        };
        {
            let c = Cache::open(&db, "v1".into()).unwrap();
            assert_eq!(c.get_or_scan(&e, &scan)[0].file.path, "a.txt");
            c.finish().unwrap();
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&db).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // unchanged: served, not scanned
        {
            let c = Cache::open(&db, "v1".into()).unwrap();
            assert_eq!(c.get_or_scan(&e, &scan)[0].file.format, Some("txt"));
            assert_eq!(scans.get(), 1);
            assert_eq!(c.stats().hits, 1);
            c.finish().unwrap();
        }
        // another version key: scanned again
        {
            let c = Cache::open(&db, "v2".into()).unwrap();
            c.get_or_scan(&e, &scan);
            assert_eq!(scans.get(), 2);
            c.finish().unwrap();
        }
        // touched with the same content: rehashed, not scanned
        let f = std::fs::File::options()
            .write(true)
            .open(dir.path().join("a.txt"))
            .unwrap();
        f.set_modified(UNIX_EPOCH + std::time::Duration::from_secs(1_000_000))
            .unwrap();
        drop(f);
        {
            let c = Cache::open(&db, "v2".into()).unwrap();
            c.get_or_scan(&e, &scan);
            assert_eq!(scans.get(), 2);
            assert_eq!(c.stats().rehashed, 1);
            c.finish().unwrap();
        }
        // changed content: scanned
        std::fs::write(dir.path().join("a.txt"), "abd").unwrap();
        {
            let c = Cache::open(&db, "v2".into()).unwrap();
            c.get_or_scan(&e, &scan);
            assert_eq!(scans.get(), 3);
            c.finish().unwrap();
        }
        // a file that is not a database is an error, not a panic
        let junk = dir.path().join("junk.redb");
        std::fs::write(&junk, vec![7u8; 4096]).unwrap();
        assert!(Cache::open(&junk, "v".into()).is_err());
    }

    #[test]
    fn a_run_stopped_halfway_keeps_its_committed_batches() {
        let dir = tempfile::tempdir().unwrap();
        let batch = 16;
        let n = batch + 5;
        for i in 0..n {
            std::fs::write(dir.path().join(format!("{i}.txt")), format!("{i}")).unwrap();
        }
        let db = dir.path().join("cache.redb");
        let scans = Cell::new(0);
        let scan = || {
            scans.set(scans.get() + 1);
            result("x")
        };
        {
            let mut c = Cache::open(&db, "v".into()).unwrap();
            c.batch = batch;
            c.batch_seconds = f64::INFINITY;
            for i in 0..n {
                c.get_or_scan(&entry(dir.path(), &format!("{i}.txt")), &scan);
            }
            // dropped without `finish`, as when the process is killed: the
            // first batch was committed on the way
        }
        assert_eq!(scans.get(), n);
        let c = Cache::open(&db, "v".into()).unwrap();
        for i in 0..n {
            c.get_or_scan(&entry(dir.path(), &format!("{i}.txt")), &scan);
        }
        let s = c.stats();
        assert_eq!((s.hits, s.misses), (batch as u64, (n - batch) as u64));
        c.finish().unwrap();
    }

    #[test]
    fn version_key_depends_on_options() {
        assert_ne!(version_key("a"), version_key("b"));
        assert_eq!(version_key("a"), version_key("a"));
    }
}
