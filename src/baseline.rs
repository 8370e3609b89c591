//! Keyed fingerprints of findings and baseline files.
//!
//! A finding is identified by HMAC-SHA256(key, kind NUL norm NUL path), hex:
//! the same value of the same kind in the same file gives the same
//! fingerprint on every run, and without the key nobody can test a guess
//! ("is BSN 123456782 in this baseline?"), so a baseline file or a SARIF
//! report holds no personal data. The key comes from the environment
//! (`ZWARTLAK_FINGERPRINT_KEY`, e.g. a CI secret) or the config. There is no
//! fallback without a key: a random salt stored next to the fingerprints
//! would not stop such guessing (a BSN has only ~10^8 valid values), so
//! zwartlak refuses to write or read a baseline without one.
//!
//! A baseline file is JSON: a format marker, a key id (an HMAC of a fixed
//! string, to tell a wrong key from a changed tree) and the sorted fingerprints.

use crate::kind::Kind;
use crate::record::FindingRecord;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

/// Keys shorter than this are refused: they can be guessed.
pub const MIN_KEY_LEN: usize = 16;

/// How a report gets the fingerprint of a finding.
#[derive(Clone)]
pub enum Fingerprints {
    /// Computed from the finding's normalized value with this key.
    Keyed(Arc<[u8]>),
    /// Already computed by the run that found it and carried in `norm`
    /// (records read back by `merge`).
    Carried,
}

/// Problems with keys and baseline files.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("the fingerprint key is shorter than {MIN_KEY_LEN} characters")]
    /// The key is too short to make fingerprints that cannot be guessed.
    ShortKey,
    #[error("{path}: {source}")]
    /// The baseline file could not be read or written.
    Io {
        /// The baseline file's path.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not a zwartlak baseline.
    #[error("{path}: not a zwartlak baseline file ({why})")]
    Format {
        /// The baseline file's path.
        path: String,
        /// What is wrong with it.
        why: String,
    },
    /// The baseline was written with another fingerprint key.
    #[error("{path}: the baseline was written with another fingerprint key")]
    WrongKey {
        /// The baseline file's path.
        path: String,
    },
}

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut m = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            m.update(&[0]);
        }
        m.update(p);
    }
    m.finalize().into_bytes().into()
}

/// The fingerprint of a finding of `kind` with normalized value `norm` at `path`.
pub fn fingerprint(key: &[u8], kind: Kind, norm: &str, path: &str) -> String {
    hex::encode(hmac(
        key,
        &[kind.as_str().as_bytes(), norm.as_bytes(), path.as_bytes()],
    ))
}

/// Identifies a key without revealing it.
pub fn key_id(key: &[u8]) -> String {
    hex::encode(&hmac(key, &[b"zwartlak fingerprint key id"])[..8])
}

impl Fingerprints {
    /// Fingerprints keyed with `key`.
    pub fn keyed(key: &str) -> Result<Self, BaselineError> {
        if key.len() < MIN_KEY_LEN {
            return Err(BaselineError::ShortKey);
        }
        Ok(Fingerprints::Keyed(Arc::from(key.as_bytes())))
    }

    /// The fingerprint of `f`, if it can be computed.
    pub fn of(&self, f: &FindingRecord) -> Option<String> {
        match self {
            Fingerprints::Keyed(key) => Some(fingerprint(key, f.kind, &f.norm, &f.path)),
            Fingerprints::Carried => (!f.norm.is_empty()).then(|| f.norm.clone()),
        }
    }

    /// The id of the key (a keyed hash, not the key), or `None` for carried fingerprints.
    pub fn key_id(&self) -> Option<String> {
        match self {
            Fingerprints::Keyed(key) => Some(key_id(key)),
            Fingerprints::Carried => None,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct BaselineFile {
    zwartlak_baseline: u32,
    fingerprint: String,
    key_id: String,
    count: usize,
    fingerprints: BTreeSet<String>,
}

const SCHEME: &str = "hex(HMAC-SHA256(key, kind NUL normalized value NUL path))";

/// The fingerprints of accepted findings.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Baseline {
    /// Hex fingerprints, as [`Fingerprints::of`] makes them.
    pub fingerprints: BTreeSet<String>,
}

impl Baseline {
    /// Whether the fingerprint `fp` is in the baseline.
    pub fn contains(&self, fp: &str) -> bool {
        self.fingerprints.contains(fp)
    }

    /// Read a baseline written with the same key.
    pub fn load(path: &Path, key_id: &str) -> Result<Baseline, BaselineError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Io {
            path: shown.clone(),
            source,
        })?;
        let file: BaselineFile =
            serde_json::from_str(&text).map_err(|e| BaselineError::Format {
                path: shown.clone(),
                why: e.to_string(),
            })?;
        if file.zwartlak_baseline != 1 {
            return Err(BaselineError::Format {
                path: shown,
                why: format!("version {}", file.zwartlak_baseline),
            });
        }
        if file.key_id != key_id {
            return Err(BaselineError::WrongKey { path: shown });
        }
        if let Some(bad) = file
            .fingerprints
            .iter()
            .find(|f| f.len() != 64 || !f.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            return Err(BaselineError::Format {
                path: shown,
                why: format!("bad fingerprint of {} characters", bad.len()),
            });
        }
        Ok(Baseline {
            fingerprints: file.fingerprints,
        })
    }

    /// Write the baseline ([`crate::output`]: atomically, or through to a device).
    pub fn save(&self, path: &Path, key_id: &str) -> Result<(), BaselineError> {
        let shown = path.display().to_string();
        let io = |source| BaselineError::Io {
            path: shown.clone(),
            source,
        };
        let file = BaselineFile {
            zwartlak_baseline: 1,
            fingerprint: SCHEME.into(),
            key_id: key_id.into(),
            count: self.fingerprints.len(),
            fingerprints: self.fingerprints.clone(),
        };
        crate::output::write_with(path, crate::output::Links::Follow, |w| {
            serde_json::to_writer_pretty(&mut *w, &file).map_err(std::io::Error::from)?;
            std::io::Write::write_all(w, b"\n")
        })
        .map_err(io)?
        .map_err(io)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_keyed_and_stable() {
        let a = fingerprint(b"0123456789abcdef", Kind::Bsn, "123456782", "d/a.txt");
        assert_eq!(a.len(), 64);
        assert_eq!(
            a,
            fingerprint(b"0123456789abcdef", Kind::Bsn, "123456782", "d/a.txt")
        );
        assert_ne!(
            a,
            fingerprint(b"0123456789abcdeX", Kind::Bsn, "123456782", "d/a.txt")
        );
        assert_ne!(
            a,
            fingerprint(b"0123456789abcdef", Kind::Phone, "123456782", "d/a.txt")
        );
        assert_ne!(
            a,
            fingerprint(b"0123456789abcdef", Kind::Bsn, "123456782", "d/b.txt")
        );
        // parts are separated: ("ab","c") and ("a","bc") differ
        assert_ne!(
            fingerprint(b"0123456789abcdef", Kind::Bsn, "ab", "c"),
            fingerprint(b"0123456789abcdef", Kind::Bsn, "a", "bc")
        );
        assert!(Fingerprints::keyed("short").is_err());
    }

    #[test]
    fn baseline_round_trip_and_wrong_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        let key = b"0123456789abcdef";
        let mut b = Baseline::default();
        b.fingerprints
            .insert(fingerprint(key, Kind::Iban, "NL91ABNA0417164300", "x"));
        b.save(&path, &key_id(key)).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("NL91ABNA0417164300") && !text.contains("0123456789abcdef"));
        assert_eq!(Baseline::load(&path, &key_id(key)).unwrap(), b);
        assert!(matches!(
            Baseline::load(&path, &key_id(b"another key 123456")),
            Err(BaselineError::WrongKey { .. })
        ));
        std::fs::write(&path, "{}").unwrap();
        assert!(matches!(
            Baseline::load(&path, &key_id(key)),
            Err(BaselineError::Format { .. })
        ));
    }
}
