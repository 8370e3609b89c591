//! The project configuration `zwartlak.toml`: enabled kinds, minimum
//! confidence, the CI gate (`fail_on`), allow lists (the organisation's own
//! IBANs, phone numbers, e-mail domains, regexes), include / exclude globs,
//! per-path policies and where the fingerprint key comes from.
//!
//! The file is found in the working directory or one of its parents, or given
//! with `--config FILE`. Every mistake is reported with its line and key
//! (`zwartlak.toml:7: [[policy]] allow: unknown kind ...`), never with a
//! panic. Allow-list values are normalized by running the built-in detectors
//! on them, so `020-123 4567` and `+31 20 1234567` are the same number.
//!
//! ```toml
//! kinds = ["bsn", "iban", "email", "phone"]   # default: all kinds
//! min_confidence = 0.6                        # default: 0.5
//! fail_on = ["bsn", "iban"]                   # or ["any"]; --fail-on overrides
//! include = ["**/*.pdf", "**/*.docx"]
//! exclude = ["archief/**"]
//! allow_unread = ["fotos/**", "**/*.png"]   # unread files here do not fail the gate
//! fingerprint_key_env = "ZWARTLAK_FINGERPRINT_KEY"   # the default
//!
//! [allow]                      # never reported: the organisation's own data
//! iban = ["NL91ABNA0417164300"]
//! phone = ["020-1234567"]
//! email = ["info@woonstichting.nl"]
//! email_domains = ["woonstichting.nl"]
//! regex = ["^NL\\d\\dBNGH"]    # matched against the normalized value
//!
//! [organization]               # reported, owner `organization`, and kept
//! name = "Woonstichting Voorbeeld"   # each key: a string or a list of strings
//! address = ["Voorbeeldplein 1", "Postbus 100"]
//! postcode = ["1234 AB"]
//! city = "Voorbeeldstad"
//! iban = ["NL91 ABNA 0417 1643 00"]
//! phone = ["088-1234500"]
//! email = ["info@voorbeeld.example"]
//! domain = ["voorbeeld.example"]     # any address at it (or a subdomain)
//! kvk = "12345678"
//! btw = "NL123456789B01"
//!
//! [[policy]]                   # the first policy whose globs match a path applies
//! paths = ["exports/aannemer/**"]
//! allow = ["name", "address", "phone"]   # any other kind there fails the gate
//! ```

use crate::detect::{Engine, Filter};
use crate::kind::{self, ByKind, Kind, KindSet, TableKeys};
use crate::organization::KeptValues;
use crate::record::FindingRecord;
use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::RegexSet;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The file name looked for in the working directory and its parents.
pub const FILE_NAME: &str = "zwartlak.toml";
/// The environment variable holding the fingerprint key, unless the config names another.
pub const DEFAULT_KEY_ENV: &str = "ZWARTLAK_FINGERPRINT_KEY";

/// A configuration that cannot be used, with where the problem is.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {source}")]
    /// The file could not be read.
    Io {
        /// The file's path.
        path: String,
        /// The read error.
        source: std::io::Error,
    },
    /// The file is not a valid configuration.
    #[error("{path}:{line}:{column}: {key}{message}")]
    Invalid {
        /// The file's path.
        path: String,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// `key: ` or empty.
        key: String,
        /// What is wrong (never the offending value).
        message: String,
    },
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    kinds: Option<Vec<Spanned<String>>>,
    min_confidence: Option<Spanned<f32>>,
    fail_on: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    allow_unread: Vec<Spanned<String>>,
    fingerprint_key: Option<String>,
    fingerprint_key_env: Option<String>,
    #[serde(default)]
    allow: RawAllow,
    #[serde(default)]
    policy: Vec<RawPolicy>,
    organization: Option<RawOrganization>,
}

/// A value of the `[organization]` table: a string or a list of strings.
type OrgValue = Option<Spanned<toml::Value>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrganization {
    name: OrgValue,
    address: OrgValue,
    postcode: OrgValue,
    city: OrgValue,
    iban: OrgValue,
    phone: OrgValue,
    email: OrgValue,
    domain: OrgValue,
    kvk: OrgValue,
    btw: OrgValue,
}

type Values = Vec<Spanned<String>>;

/// `[allow]`: a list per kind name, and these.
struct AllowKeys;
impl TableKeys for AllowKeys {
    const KEYS: &'static [&'static str] = &kind::keys::<12>(&["email_domains", "regex"]);
}
type RawAllow = ByKind<Values, AllowKeys>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    paths: Spanned<Vec<Spanned<String>>>,
    allow: Vec<Spanned<String>>,
}

/// Makes a [`ConfigError`] from a span, a key and a message.
type ErrorAt<'a> = dyn Fn(Option<Range<usize>>, &str, String) -> ConfigError + 'a;

/// Values that are never reported: the organisation's own data.
#[derive(Debug, Default)]
pub struct Allow {
    /// Normalized values per kind (as the detectors normalize them).
    values: HashMap<Kind, HashSet<String>>,
    /// Lower-case domains; a finding `x@domain` or `x@sub.domain` is allowed.
    email_domains: Vec<String>,
    /// Matched against the normalized value of any kind.
    regex: Option<RegexSet>,
}

impl Allow {
    /// Whether the allow list allows nothing.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.email_domains.is_empty() && self.regex.is_none()
    }

    /// Whether `f` is on the allow list (by its normalized value).
    pub fn allows(&self, f: &FindingRecord) -> bool {
        if f.norm.is_empty() {
            return false;
        }
        if let Some(set) = self.values.get(&f.kind) {
            if set.contains(&f.norm) || set.contains(&fold(&f.norm)) {
                return true;
            }
        }
        if f.kind == Kind::Email && !self.email_domains.is_empty() {
            let lower = f.norm.to_lowercase();
            if let Some((_, domain)) = lower.rsplit_once('@') {
                if self
                    .email_domains
                    .iter()
                    .any(|d| domain == d || domain.ends_with(&format!(".{d}")))
                {
                    return true;
                }
            }
        }
        self.regex.as_ref().is_some_and(|r| r.is_match(&f.norm))
    }
}

/// Lower case, single spaces: the fallback normalization for names and addresses.
fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A per-path policy: in these paths only the `allow`ed kinds may occur.
#[derive(Debug)]
pub struct Policy {
    /// Position in the file (0-based), for messages.
    pub index: usize,
    globs: GlobSet,
    /// The kinds that may occur in the covered paths.
    pub allow: KindSet,
}

impl Policy {
    /// Whether the policy covers `path` (a reported path; archive members
    /// `a.zip!x.txt` are covered when the archive or the member path matches).
    pub fn covers(&self, path: &str) -> bool {
        let outer = path.split('!').next().unwrap_or(path);
        self.globs.is_match(outer) || self.globs.is_match(path)
    }
}

/// A loaded configuration. Every field is optional; [`Config::default`] is
/// "no configuration".
#[derive(Debug, Default)]
pub struct Config {
    /// The file it came from.
    pub path: Option<PathBuf>,
    /// The kinds to report (`kinds`); `None` for all.
    pub kinds: Option<KindSet>,
    /// The minimum confidence of a reported finding (`min_confidence`).
    pub min_confidence: Option<f32>,
    /// The kinds that fail the CI gate (`fail_on`).
    pub fail_on: Option<KindSet>,
    /// Globs of paths to scan (`include`); empty for all.
    pub include: Vec<String>,
    /// Globs of paths to skip (`exclude`).
    pub exclude: Vec<String>,
    /// Values never reported (`[allow]`).
    pub allow: Allow,
    /// Per-path policies (`[[policy]]`), in file order.
    pub policies: Vec<Policy>,
    /// Paths whose files may stay unread (error, needs_review, skipped for
    /// their content) without failing the gate.
    allow_unread: Option<GlobSet>,
    /// The organisation's own identifiers (`[organization]`): with owners
    /// assigned, findings of these values get owner `organization` and are
    /// kept in redacted copies.
    pub organization: KeptValues,
    fingerprint_key: Option<String>,
    fingerprint_key_env: Option<String>,
}

/// 1-based line of byte offset `at` in `src`.
/// The kind of problem a TOML parse error reports, without the values it
/// quotes: the toml crate's `Display` shows the offending source line, and
/// its message can quote a value (`invalid type: integer `123456782``).
/// Quoted text is kept only when it is punctuation (`expected `=``).
pub fn toml_problem(message: &str) -> String {
    let first = message.trim().lines().next().unwrap_or("").trim();
    let mut out = String::with_capacity(first.len());
    let mut quote: Option<(char, String)> = None;
    for c in first.chars() {
        match &mut quote {
            Some((q, inner)) if c == *q => {
                let keep = !inner.is_empty() && inner.chars().all(|c| c.is_ascii_punctuation());
                out.push(*q);
                out.push_str(if keep { inner.as_str() } else { "…" });
                out.push(*q);
                quote = None;
            }
            Some((_, inner)) => inner.push(c),
            None if matches!(c, '"' | '`' | '\'') => quote = Some((c, String::new())),
            None => out.push(c),
        }
    }
    if quote.is_some() {
        out.push('…');
    }
    // Numbers outside quotes ("invalid length 3") are counts, but a value
    // could still slip through: long digit runs are cut.
    let mut cleaned = String::with_capacity(out.len());
    let mut digits = 0;
    for c in out.chars() {
        digits = if c.is_ascii_digit() { digits + 1 } else { 0 };
        if digits <= 3 {
            cleaned.push(c);
        } else if digits == 4 {
            cleaned.push('…');
        }
    }
    cleaned
}

/// A regex error without the pattern it quotes (the last line is its kind).
fn regex_problem(e: &regex::Error) -> String {
    let msg = e.to_string();
    let last = msg
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let last = last.trim().trim_start_matches("error:").trim();
    if last.is_empty() {
        "invalid regular expression".into()
    } else {
        format!("invalid regular expression ({last})")
    }
}

/// The 1-based column (in characters) of byte offset `at`.
pub fn column_of(src: &str, at: usize) -> usize {
    let mut at = at.min(src.len());
    while !src.is_char_boundary(at) {
        at -= 1;
    }
    let line_start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    src[line_start..at].chars().count() + 1
}

/// The 1-based line of byte offset `at`.
pub fn line_of(src: &str, at: usize) -> usize {
    src.as_bytes()[..at.min(src.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// A key that can be shown in a message: letters, `_`, `-` and `.` only
/// (a malformed line could have a value where the key should be).
fn plain_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphabetic() || matches!(c, '_' | '-' | '.' | ' '))
}

/// The key a parse error points at: the table header above the line and the
/// key before `=` on it.
fn key_at(src: &str, span: &Range<usize>) -> String {
    let start = span.start.min(src.len());
    let line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = src[start..].find('\n').map_or(src.len(), |i| start + i);
    let line = &src[line_start..line_end];
    let table = src[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.split('#').next().unwrap_or(l).trim().to_string())
        .filter(|t| plain_key(t.trim_matches(['[', ']'])));
    let key = line
        .split_once('=')
        .map(|(k, _)| k.trim().to_string())
        .filter(|k| !k.is_empty() && !k.starts_with('[') && plain_key(k));
    match (table, key) {
        (Some(t), Some(k)) => format!("{t} {k}: "),
        (None, Some(k)) => format!("{k}: "),
        (Some(t), None) => format!("{t}: "),
        (None, None) => String::new(),
    }
}

impl Config {
    /// The configuration to use: `explicit` when given, else `zwartlak.toml`
    /// in `cwd` or the nearest parent, else none.
    pub fn discover(explicit: Option<&Path>, cwd: &Path) -> Result<Config, ConfigError> {
        if let Some(p) = explicit {
            return Config::load(p);
        }
        for dir in cwd.ancestors() {
            let candidate = dir.join(FILE_NAME);
            if candidate.is_file() {
                return Config::load(&candidate);
            }
        }
        Ok(Config::default())
    }

    /// Load and check one file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let shown = path.display().to_string();
        let src = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: shown.clone(),
            source,
        })?;
        let mut c = Config::parse(&src, &shown)?;
        c.path = Some(path.to_path_buf());
        Ok(c)
    }

    /// Parse configuration text; `name` is used in messages.
    pub fn parse(src: &str, name: &str) -> Result<Config, ConfigError> {
        let err = |span: Option<Range<usize>>, key: &str, message: String| {
            let span = span.unwrap_or(0..0);
            ConfigError::Invalid {
                path: name.to_string(),
                line: line_of(src, span.start),
                column: column_of(src, span.start),
                key: if key.is_empty() {
                    key_at(src, &span)
                } else {
                    format!("{key}: ")
                },
                message,
            }
        };
        let raw: RawConfig =
            toml::from_str(src).map_err(|e| err(e.span(), "", toml_problem(e.message())))?;

        let kind_list = |list: &[Spanned<String>], key: &str| -> Result<KindSet, ConfigError> {
            let mut set = KindSet::default();
            for k in list {
                let parsed = KindSet::parse(k.get_ref())
                    .map_err(|e| err(Some(k.span()), key, e.to_string()))?;
                for kind in Kind::ALL {
                    if parsed.contains(kind) {
                        set.insert(kind);
                    }
                }
            }
            Ok(set)
        };
        let mut c = Config {
            fingerprint_key: raw.fingerprint_key,
            fingerprint_key_env: raw.fingerprint_key_env,
            ..Config::default()
        };
        if let Some(k) = &raw.kinds {
            c.kinds = Some(kind_list(k, "kinds")?);
        }
        if let Some(fail) = &raw.fail_on {
            c.fail_on = Some(kind_list(fail, "fail_on")?);
        }
        if let Some(m) = &raw.min_confidence {
            if !(0.0..=1.0).contains(m.get_ref()) {
                return Err(err(
                    Some(m.span()),
                    "min_confidence",
                    format!("must be between 0 and 1, not {}", m.get_ref()),
                ));
            }
            c.min_confidence = Some(*m.get_ref());
        }
        for (list, key, out) in [
            (&raw.include, "include", &mut c.include),
            (&raw.exclude, "exclude", &mut c.exclude),
        ] {
            for g in list {
                Glob::new(g.get_ref()).map_err(|e| err(Some(g.span()), key, e.to_string()))?;
                out.push(g.get_ref().clone());
            }
        }
        if !raw.allow_unread.is_empty() {
            let key = "allow_unread";
            let mut b = GlobSetBuilder::new();
            for g in &raw.allow_unread {
                b.add(Glob::new(g.get_ref()).map_err(|e| err(Some(g.span()), key, e.to_string()))?);
            }
            c.allow_unread = Some(
                b.build()
                    .map_err(|e| err(Some(raw.allow_unread[0].span()), key, e.to_string()))?,
            );
        }
        c.allow = Allow::build(&raw.allow, &err)?;
        if let Some(o) = &raw.organization {
            c.organization = organization(o, &err)?;
        }
        for (index, p) in raw.policy.iter().enumerate() {
            let key = "[[policy]] paths";
            if p.paths.get_ref().is_empty() {
                return Err(err(Some(p.paths.span()), key, "no paths".into()));
            }
            let mut b = GlobSetBuilder::new();
            for g in p.paths.get_ref() {
                b.add(Glob::new(g.get_ref()).map_err(|e| err(Some(g.span()), key, e.to_string()))?);
            }
            let globs = b
                .build()
                .map_err(|e| err(Some(p.paths.span()), key, e.to_string()))?;
            let allow = if p.allow.is_empty() {
                KindSet::default()
            } else {
                kind_list(&p.allow, "[[policy]] allow")?
            };
            c.policies.push(Policy {
                index,
                globs,
                allow,
            });
        }
        Ok(c)
    }

    /// Whether a file at `path` that was not read completely may pass the
    /// gate (`allow_unread`; archive members are covered by their archive's
    /// path too).
    pub fn allows_unread(&self, path: &str) -> bool {
        let outer = path.split('!').next().unwrap_or(path);
        self.allow_unread
            .as_ref()
            .is_some_and(|g| g.is_match(outer) || g.is_match(path))
    }

    /// The first policy covering `path`.
    pub fn policy_for(&self, path: &str) -> Option<&Policy> {
        self.policies.iter().find(|p| p.covers(path))
    }

    /// The fingerprint key: the environment variable (`fingerprint_key_env`,
    /// default `ZWARTLAK_FINGERPRINT_KEY`) first, then `fingerprint_key`.
    pub fn fingerprint_key(&self) -> Option<String> {
        let var = self
            .fingerprint_key_env
            .as_deref()
            .unwrap_or(DEFAULT_KEY_ENV);
        std::env::var(var)
            .ok()
            .filter(|k| !k.is_empty())
            .or_else(|| self.fingerprint_key.clone())
    }

    /// Where the key is expected, for messages.
    pub fn fingerprint_key_source(&self) -> String {
        format!(
            "the environment variable {} or `fingerprint_key` in {}",
            self.fingerprint_key_env
                .as_deref()
                .unwrap_or(DEFAULT_KEY_ENV),
            FILE_NAME
        )
    }
}

impl Allow {
    fn build(raw: &RawAllow, err: &ErrorAt<'_>) -> Result<Allow, ConfigError> {
        let mut allow = Allow::default();
        let mut engine = None;
        let none = Values::new();
        let lists = Kind::ALL.map(|k| (k, raw.kind(k).unwrap_or(&none)));
        for (kind, list) in lists {
            for v in list.iter() {
                let key = format!("[allow] {kind}");
                let norm = match kind {
                    // No pattern detector normalizes these: compare case-folded.
                    Kind::Name | Kind::Address => fold(v.get_ref()),
                    _ => {
                        if engine.is_none() {
                            engine = Some(
                                Engine::builtin(Filter {
                                    min_confidence: 0.0,
                                    kinds: KindSet::all(),
                                })
                                .map_err(|e| err(None, &key, e.to_string()))?,
                            );
                        }
                        let e = engine.as_ref().expect("engine was just built");
                        normalize(e, kind, v.get_ref()).ok_or_else(|| {
                            err(
                                Some(v.span()),
                                &key,
                                format!(
                                    "this value is not recognized as {} {kind}",
                                    if kind.as_str().starts_with(['a', 'e', 'i', 'o', 'u']) {
                                        "an"
                                    } else {
                                        "a"
                                    }
                                ),
                            )
                        })?
                    }
                };
                allow.values.entry(kind).or_default().insert(norm);
            }
        }
        for d in raw.key("email_domains").unwrap_or(&none) {
            let d = d.get_ref().trim().trim_start_matches('@').to_lowercase();
            if !d.is_empty() {
                allow.email_domains.push(d);
            }
        }
        let regexes = raw.key("regex").unwrap_or(&none);
        if !regexes.is_empty() {
            for r in regexes {
                regex::Regex::new(r.get_ref())
                    .map_err(|e| err(Some(r.span()), "[allow] regex", regex_problem(&e)))?;
            }
            allow.regex = Some(
                RegexSet::new(regexes.iter().map(|r| r.get_ref()))
                    .map_err(|e| err(None, "[allow] regex", regex_problem(&e)))?,
            );
        }
        Ok(allow)
    }
}

/// The `[organization]` table's values, checked one by one; an error names
/// the line and key, never the value.
fn organization(raw: &RawOrganization, err: &ErrorAt<'_>) -> Result<KeptValues, ConfigError> {
    let mut kept = KeptValues::default();
    let fields = [
        ("name", &raw.name),
        ("address", &raw.address),
        ("postcode", &raw.postcode),
        ("city", &raw.city),
        ("iban", &raw.iban),
        ("phone", &raw.phone),
        ("email", &raw.email),
        ("domain", &raw.domain),
        ("kvk", &raw.kvk),
        ("btw", &raw.btw),
    ];
    for (key, field) in fields {
        let Some(v) = field else { continue };
        let at = |message: String| err(Some(v.span()), &format!("[organization] {key}"), message);
        let values: Vec<&str> = match v.get_ref() {
            toml::Value::String(s) => vec![s.as_str()],
            toml::Value::Array(a) => a
                .iter()
                .map(|x| x.as_str())
                .collect::<Option<_>>()
                .ok_or_else(|| at("expected a string or a list of strings".into()))?,
            _ => return Err(at("expected a string or a list of strings".into())),
        };
        for s in values {
            kept.add(key, s).map_err(|e| at(e.message))?;
        }
    }
    Ok(kept)
}

/// The normalized value of `text` as a `kind`, as the detectors would report it.
fn normalize(engine: &Engine, kind: Kind, text: &str) -> Option<String> {
    // Context words so that context-dependent kinds are found in a bare value.
    let mut subject = String::from(kind.facts().hint);
    let offset = subject.len();
    subject.push_str(text.trim());
    engine
        .detect(&subject, None)
        .into_iter()
        .filter(|f| f.kind == kind && f.start >= offset)
        .max_by_key(|f| f.end - f.start)
        .map(|f| f.norm)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Location;

    fn finding(kind: Kind, norm: &str, path: &str) -> FindingRecord {
        FindingRecord {
            path: path.into(),
            kind,
            value: String::new(),
            confidence: 0.9,
            owner: None,
            location: Location::default(),
            rule: "t",
            roster: None,
            norm: norm.into(),
        }
    }

    #[test]
    fn parses_a_full_config() {
        let c = Config::parse(
            r#"
kinds = ["bsn", "iban", "email", "phone"]
min_confidence = 0.7
fail_on = ["any"]
include = ["**/*.txt"]
exclude = ["archief/**"]

[allow]
iban = ["NL91 ABNA 0417 1643 00"]
phone = ["020-1234567"]
email_domains = ["Woonstichting.nl"]
regex = ["^NL\\d\\dBNGH"]

[[policy]]
paths = ["exports/aannemer/**"]
allow = ["name", "address", "phone"]
"#,
            "zwartlak.toml",
        )
        .unwrap();
        assert!(c.kinds.unwrap().contains(Kind::Iban) && !c.kinds.unwrap().contains(Kind::Name));
        assert_eq!(c.min_confidence, Some(0.7));
        assert!(c.fail_on.unwrap().contains(Kind::LicensePlate));
        assert_eq!(c.include, vec!["**/*.txt"]);
        // allow lists compare normalized values
        assert!(c
            .allow
            .allows(&finding(Kind::Iban, "NL91ABNA0417164300", "a")));
        assert!(!c
            .allow
            .allows(&finding(Kind::Iban, "NL20INGB0001234567", "a")));
        assert!(c.allow.allows(&finding(Kind::Phone, "+31201234567", "a")));
        assert!(c
            .allow
            .allows(&finding(Kind::Email, "info@woonstichting.nl", "a")));
        assert!(c
            .allow
            .allows(&finding(Kind::Email, "x@mail.woonstichting.nl", "a")));
        assert!(!c
            .allow
            .allows(&finding(Kind::Email, "x@notwoonstichting.nl", "a")));
        assert!(c
            .allow
            .allows(&finding(Kind::Iban, "NL02BNGH0123456789", "a")));
        // policies by path, archive members by their archive
        let p = c.policy_for("exports/aannemer/lijst.csv").unwrap();
        assert!(p.allow.contains(Kind::Phone) && !p.allow.contains(Kind::Bsn));
        assert!(c.policy_for("exports/aannemer/a.zip!x/y.txt").is_some());
        assert!(c.policy_for("dossiers/a.txt").is_none());
    }

    /// `e` is `zwartlak.toml:<line>:<column>: <rest>...`.
    fn at(e: &str, line: usize, rest: &str) -> bool {
        let Some(tail) = e.strip_prefix(&format!("zwartlak.toml:{line}:")) else {
            return false;
        };
        let Some((col, msg)) = tail.split_once(": ") else {
            return false;
        };
        col.parse::<usize>().is_ok() && msg.starts_with(rest)
    }

    #[test]
    fn toml_problems_drop_quoted_values() {
        assert_eq!(
            toml_problem("invalid type: integer `123456782`, expected a string"),
            "invalid type: integer `…`, expected a string"
        );
        assert_eq!(toml_problem("expected `.`, `=`\nmore"), "expected `.`, `=`");
        assert_eq!(
            toml_problem("invalid length 1234567, x"),
            "invalid length 123…, x"
        );
        assert_eq!(toml_problem("unknown \"jan@x.nl"), "unknown …");
        assert_eq!(column_of("ab\ncdé", 7), 4);
    }

    fn error(src: &str) -> String {
        Config::parse(src, "zwartlak.toml").unwrap_err().to_string()
    }

    #[test]
    fn errors_name_line_and_key() {
        assert_eq!(
            error("kinds = [\"bsn\"]\n\n[[policy]]\npaths = [\"a/**\"]\nallow = [\"adress\"]\n"),
            "zwartlak.toml:5:10: [[policy]] allow: unknown kind `adress` (expected one of: bsn, iban, email, phone, name, address, postcode, birth_date, id_document, license_plate, any)"
        );
        let e = error("kinds = [\"bsn\"]\nmin_confidence = \"high\"\n");
        assert!(at(&e, 2, "min_confidence: "), "{e}");
        let e = error("min_confidence = 1.5\n");
        assert!(at(&e, 1, "min_confidence: must be between"), "{e}");
        let e = error("\n\nfail_onn = [\"bsn\"]\n");
        assert!(at(&e, 3, "fail_onn: unknown field"), "{e}");
        let e = error("[allow]\nphone = [\"12\"]\n");
        assert!(
            at(&e, 2, "[allow] phone: this value is not recognized"),
            "{e}"
        );
        let e = error("[allow]\nregex = [\"(\"]\n");
        assert!(at(&e, 2, "[allow] regex: "), "{e}");
        let e = error("exclude = [\"a/**\", \"[\"]\n");
        assert!(at(&e, 1, "exclude: "), "{e}");
        let e = error("kinds = [\"bsn\"\n");
        assert!(e.starts_with("zwartlak.toml:"), "{e}");
        // an error message never quotes an allow-list value, nor the line
        let e = error("[allow]\nbsn = [123456782]\n");
        assert!(at(&e, 2, "[allow] bsn: invalid type: integer"), "{e}");
        assert!(!e.contains("123456782"), "{e}");
        let e = error("[allow]\nemail = [\"a@b.nl\" \"c\"]\n");
        assert!(e.starts_with("zwartlak.toml:2:"), "{e}");
        assert!(!e.contains("a@b.nl") && !e.contains('|'), "{e}");
        let e = error("[allow]\niban = [\"NL00XXXX0000000000\"]\n");
        assert!(!e.contains("NL00XXXX"), "{e}");
        let e = error("[allow]\niban = \"NL91ABNA0417164300\"\n");
        assert!(at(&e, 2, "[allow] iban: "), "{e}");
        assert!(!e.contains("NL91ABNA"), "{e}");
    }

    #[test]
    fn organization_table() {
        let c = Config::parse(
            "[organization]\nname = \"Woonstichting Voorbeeld\"\niban = [\"NL91 ABNA 0417 1643 00\"]\nphone = \"088-1234500\"\npostcode = [\"1234 AB\", \"1234AC\"]\ndomain = \"voorbeeld.example\"\n",
            "zwartlak.toml",
        )
        .unwrap();
        let o = &c.organization;
        assert!(o.holds(Kind::Iban, "NL91ABNA0417164300", "NL91ABNA0417164300"));
        assert!(o.holds(Kind::Phone, "+31881234500", "088 123 45 00"));
        assert!(o.holds(Kind::Postcode, "1234AC", "1234 AC"));
        assert!(o.holds(Kind::Email, "a@voorbeeld.example", "a@voorbeeld.example"));
        assert!(!o.holds(Kind::Phone, "+31881234501", "088 123 45 01"));
        // the [organization] table alone is a configuration
        assert!(Config::parse("[organization]\n", "z.toml")
            .unwrap()
            .organization
            .is_empty());
        assert!(Config::default().organization.is_empty());
    }

    #[test]
    fn organization_errors_name_line_and_key_never_the_value() {
        let e = error("kinds = [\"iban\"]\n[organization]\nname = \"X\"\nfax = \"0881234500\"\n");
        assert!(e.starts_with("zwartlak.toml:4:1: "), "{e}");
        assert!(e.contains("fax: unknown field"), "{e}");
        assert!(!e.contains("0881234500"), "{e}");
        let e =
            error("[organization]\n\niban = [\"NL91 ABNA 0417 1643 00\", \"NL00 XXXX 0000\"]\n");
        assert!(
            (e.starts_with("zwartlak.toml:3:")
                && e.contains(": [organization] iban: this value is not recognized as an IBAN")),
            "{e}"
        );
        assert!(!e.contains("NL00") && !e.contains("NL91"), "{e}");
        let e = error("[organization]\nphone = 881234500\n");
        assert!(
            (e.starts_with("zwartlak.toml:2:")
                && e.contains(": [organization] phone: expected a string")),
            "{e}"
        );
        let e = error("[organization]\npostcode = [\"1234 AB\", 5]\n");
        assert!(
            (e.starts_with("zwartlak.toml:2:") && e.contains(": [organization] postcode: ")),
            "{e}"
        );
    }

    #[test]
    fn discovers_the_nearest_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "min_confidence = 0.8\n").unwrap();
        let c = Config::discover(None, &dir.path().join("a/b")).unwrap();
        assert_eq!(c.min_confidence, Some(0.8));
        assert_eq!(c.path.unwrap(), dir.path().join(FILE_NAME));
        assert!(Config::discover(Some(&dir.path().join("nope.toml")), dir.path()).is_err());
    }
}
