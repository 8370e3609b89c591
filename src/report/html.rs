//! `html`: one self-contained page for a privacy officer: totals per kind and
//! per folder as bar charts (inline SVG, inline CSS, no scripts, no external
//! assets), the files with the most findings, the findings with masked values
//! (always masked, even with `--reveal`; with the roster row's id when
//! `--roster` matched), and the files with errors or that need review. Large
//! runs are summarized: the tables are capped and say so.

use super::{round2, Report};
use crate::kind::Kind;
use crate::mask::mask;
use crate::record::{FileResult, Status, Summary};
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

/// At most this many finding rows, problem rows, files and folders are listed.
const MAX_FINDINGS: usize = 2000;
const MAX_PROBLEMS: usize = 1000;
const TOP_FILES: usize = 25;
const TOP_FOLDERS: usize = 20;

struct Row {
    path: String,
    kind: Kind,
    value: String,
    confidence: f64,
    location: String,
    owner: &'static str,
    /// The roster row's id.
    roster: Option<String>,
}

pub struct HtmlReport<'w> {
    out: Box<dyn Write + 'w>,
    title: Option<String>,
    per_kind: BTreeMap<Kind, u64>,
    per_folder: HashMap<String, u64>,
    per_file: Vec<(String, u64)>,
    rows: Vec<Row>,
    problems: Vec<(String, Status, String)>,
    problem_count: u64,
}

impl<'w> HtmlReport<'w> {
    pub fn new(out: Box<dyn Write + 'w>, title: Option<String>) -> Self {
        HtmlReport {
            out,
            title,
            per_kind: BTreeMap::new(),
            per_folder: HashMap::new(),
            per_file: Vec::new(),
            rows: Vec::new(),
            problems: Vec::new(),
            problem_count: 0,
        }
    }
}

/// Escape text for HTML content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// The folder a reported path is in (archive members: the archive's folder).
fn folder(path: &str) -> String {
    let outer = path.split('!').next().unwrap_or(path);
    match outer.rfind('/') {
        Some(i) => outer[..i].to_string(),
        None => "(top folder)".to_string(),
    }
}

fn color(k: Kind) -> &'static str {
    k.facts().color
}

/// A horizontal bar chart as inline SVG.
fn bars(items: &[(String, u64, &str)]) -> String {
    let max = items.iter().map(|i| i.1).max().unwrap_or(0).max(1) as f64;
    let row = 26;
    let label_w = 260;
    let bar_w = 560.0;
    let h = row * items.len().max(1) + 4;
    let mut s = format!(
        "<svg class=\"chart\" role=\"img\" width=\"{}\" height=\"{h}\" viewBox=\"0 0 {} {h}\" xmlns=\"http://www.w3.org/2000/svg\">",
        label_w + 640,
        label_w + 640
    );
    for (i, (label, n, fill)) in items.iter().enumerate() {
        let y = i * row + 2;
        let w = (*n as f64 / max * bar_w).max(if *n > 0 { 2.0 } else { 0.0 });
        let shown: String = if label.chars().count() > 38 {
            format!(
                "…{}",
                label
                    .chars()
                    .skip(label.chars().count() - 37)
                    .collect::<String>()
            )
        } else {
            label.clone()
        };
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{}\" y=\"{}\" width=\"{w:.1}\" height=\"18\" rx=\"3\" fill=\"{fill}\"><title>{}: {n}</title></rect><text x=\"{}\" y=\"{}\">{n}</text>",
            label_w - 8,
            y + 14,
            esc(&shown),
            label_w,
            y,
            esc(label),
            label_w as f64 + w + 6.0,
            y + 14,
        ));
    }
    s.push_str("</svg>");
    s
}

const STYLE: &str = r#"
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;background:#f6f7f9}
header{background:#1f2d3d;color:#fff;padding:18px 32px}
header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;color:#cdd6e0;font-size:13px}
main{padding:16px 32px;max-width:1200px}
section{background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:12px 20px;margin:14px 0}
h2{font-size:17px;margin:6px 0 10px}
.cards{display:flex;gap:12px;flex-wrap:wrap}
.card{background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:10px 16px;min-width:120px}
.card b{display:block;font-size:24px}
.card span{font-size:12px;color:#555}
.card.bad b{color:#c0392b}
.chart text{font-size:12px;fill:#333}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eef0f3;vertical-align:top}
th{background:#f0f2f5}
td.num{text-align:right;font-variant-numeric:tabular-nums}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
.kind{display:inline-block;padding:1px 6px;border-radius:3px;color:#fff;font-size:12px}
.note{color:#666;font-size:12px}
.error{color:#c0392b}.needs_review{color:#b9770e}
"#;

impl Report for HtmlReport<'_> {
    fn file(&mut self, r: &FileResult) -> io::Result<()> {
        if matches!(r.file.status, Status::Error | Status::NeedsReview) {
            self.problem_count += 1;
            if self.problems.len() < MAX_PROBLEMS {
                self.problems.push((
                    r.file.path.clone(),
                    r.file.status,
                    r.file.reason.clone().unwrap_or_default(),
                ));
            }
        }
        if r.findings.is_empty() {
            return Ok(());
        }
        *self.per_folder.entry(folder(&r.file.path)).or_default() += r.findings.len() as u64;
        self.per_file
            .push((r.file.path.clone(), r.findings.len() as u64));
        for f in &r.findings {
            *self.per_kind.entry(f.kind).or_default() += 1;
            if self.rows.len() < MAX_FINDINGS {
                self.rows.push(Row {
                    path: f.path.clone(),
                    kind: f.kind,
                    // Always masked: this page is meant to be passed around.
                    // (Values are already masked unless `--reveal`.)
                    value: if f.value.contains('*') {
                        f.value.clone()
                    } else {
                        mask(f.kind, &f.value)
                    },
                    confidence: round2(f.confidence),
                    location: f.location.describe(),
                    owner: f.owner.map(|o| o.as_str()).unwrap_or(""),
                    roster: f.roster.clone(),
                });
            }
        }
        Ok(())
    }

    fn finish(&mut self, s: &Summary) -> io::Result<()> {
        let title = match &self.title {
            Some(t) => format!("zwartlak report: {t}"),
            None => "zwartlak report".to_string(),
        };
        let mut h = String::new();
        h.push_str(&format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{}</title><style>{STYLE}</style></head><body>\n",
            esc(&title)
        ));
        h.push_str(&format!(
            "<header><h1>{}</h1><p>zwartlak {} · values are masked · {} files scanned in {:.2} s</p></header><main>\n",
            esc(&title),
            env!("CARGO_PKG_VERSION"),
            s.files,
            s.seconds
        ));
        let card = |n: u64, label: &str, bad: bool| {
            format!(
                "<div class=\"card{}\"><b>{n}</b><span>{label}</span></div>",
                if bad && n > 0 { " bad" } else { "" }
            )
        };
        h.push_str("<section id=\"totals\"><h2>Totals</h2><div class=\"cards\">");
        h.push_str(&card(s.files, "files", false));
        h.push_str(&card(s.findings, "findings", true));
        h.push_str(&card(
            self.per_file.len() as u64,
            "files with findings",
            true,
        ));
        h.push_str(&card(s.errors, "errors", true));
        h.push_str(&card(s.needs_review, "need review", true));
        h.push_str(&card(s.skipped, "skipped", false));
        let size = if s.bytes >= 1_000_000 {
            format!("{:.1} MB", s.bytes as f64 / 1e6)
        } else if s.bytes >= 10_000 {
            format!("{:.0} kB", s.bytes as f64 / 1e3)
        } else {
            format!("{} B", s.bytes)
        };
        h.push_str(&format!(
            "<div class=\"card\"><b>{size}</b><span>read</span></div>"
        ));
        h.push_str("</div></section>\n");

        h.push_str("<section id=\"per-kind\"><h2>Findings per kind</h2>");
        if self.per_kind.is_empty() {
            h.push_str("<p>No personal data found.</p>");
        } else {
            let items: Vec<(String, u64, &str)> = self
                .per_kind
                .iter()
                .map(|(k, n)| (k.as_str().to_string(), *n, color(*k)))
                .collect();
            h.push_str(&bars(&items));
        }
        h.push_str("</section>\n");

        let mut folders: Vec<(String, u64)> = self.per_folder.drain().collect();
        folders.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        if !folders.is_empty() {
            h.push_str("<section id=\"per-folder\"><h2>Findings per folder</h2>");
            let items: Vec<(String, u64, &str)> = folders
                .iter()
                .take(TOP_FOLDERS)
                .map(|(f, n)| (f.clone(), *n, "#2980b9"))
                .collect();
            h.push_str(&bars(&items));
            if folders.len() > TOP_FOLDERS {
                h.push_str(&format!(
                    "<p class=\"note\">The {TOP_FOLDERS} folders with the most findings of {}.</p>",
                    folders.len()
                ));
            }
            h.push_str("</section>\n");
        }

        let mut files = std::mem::take(&mut self.per_file);
        files.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        if !files.is_empty() {
            h.push_str("<section id=\"top-files\"><h2>Files with the most findings</h2><table><tr><th>file</th><th>findings</th></tr>");
            for (p, n) in files.iter().take(TOP_FILES) {
                h.push_str(&format!(
                    "<tr><td><code>{}</code></td><td class=\"num\">{n}</td></tr>",
                    esc(p)
                ));
            }
            h.push_str("</table></section>\n");
        }

        h.push_str(&format!(
            "<section id=\"problems\"><h2>Errors and files that need review ({})</h2>",
            self.problem_count
        ));
        if self.problems.is_empty() {
            h.push_str("<p>None.</p>");
        } else {
            h.push_str("<table><tr><th>file</th><th>status</th><th>reason</th></tr>");
            for (p, st, reason) in &self.problems {
                h.push_str(&format!(
                    "<tr><td><code>{}</code></td><td class=\"{}\">{}</td><td>{}</td></tr>",
                    esc(p),
                    st.as_str(),
                    st.as_str(),
                    esc(reason)
                ));
            }
            h.push_str("</table>");
            if self.problem_count as usize > self.problems.len() {
                h.push_str(&format!(
                    "<p class=\"note\">The first {} of {}.</p>",
                    self.problems.len(),
                    self.problem_count
                ));
            }
        }
        h.push_str("</section>\n");

        if !self.rows.is_empty() {
            // A roster column only when the roster matched something.
            let roster = self.rows.iter().any(|r| r.roster.is_some());
            h.push_str("<section id=\"findings\"><h2>Findings</h2><table><tr><th>file</th><th>kind</th><th>value (masked)</th><th>where</th><th>confidence</th><th>owner</th>");
            h.push_str(if roster {
                "<th>roster</th></tr>"
            } else {
                "</tr>"
            });
            for r in &self.rows {
                h.push_str(&format!(
                    "<tr><td><code>{}</code></td><td><span class=\"kind\" style=\"background:{}\">{}</span></td><td><code>{}</code></td><td>{}</td><td class=\"num\">{:.2}</td><td>{}</td>",
                    esc(&r.path),
                    color(r.kind),
                    r.kind.as_str(),
                    esc(&r.value),
                    esc(&r.location),
                    r.confidence,
                    r.owner
                ));
                if roster {
                    h.push_str(&format!(
                        "<td>{}</td>",
                        esc(r.roster.as_deref().unwrap_or(""))
                    ));
                }
                h.push_str("</tr>");
            }
            h.push_str("</table>");
            if s.findings as usize > self.rows.len() {
                h.push_str(&format!(
                    "<p class=\"note\">The first {} of {} findings; use <code>--format csv</code> for all.</p>",
                    self.rows.len(),
                    s.findings
                ));
            }
            h.push_str("</section>\n");
        }
        h.push_str("</main></body></html>\n");
        self.out.write_all(h.as_bytes())?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Location;
    use crate::record::{FileRecord, FindingRecord};

    #[test]
    fn html_is_self_contained_escaped_and_masked() {
        let mut buf = Vec::new();
        {
            let mut rep = HtmlReport::new(Box::new(&mut buf), Some("<dossiers>".into()));
            let f = FindingRecord {
                path: "a/<b>.txt".into(),
                kind: Kind::Iban,
                value: "NL91ABNA0417164300".into(),
                confidence: 0.99,
                owner: None,
                location: Location::line(3),
                rule: "iban",
                roster: None,
                norm: "NL91ABNA0417164300".into(),
            };
            let r = FileResult {
                file: FileRecord {
                    path: "a/<b>.txt".into(),
                    status: Status::Scanned,
                    reason: None,
                    findings: 1,
                    format: Some("txt"),
                    bytes: 10,
                    output: None,
                    note: None,
                },
                findings: vec![f],
            };
            rep.file(&r).unwrap();
            let mut bad = r.clone();
            bad.findings.clear();
            bad.file.path = "x.pdf".into();
            bad.file.status = Status::NeedsReview;
            bad.file.reason = Some("page 1 has no text layer".into());
            rep.file(&bad).unwrap();
            let mut s = Summary::default();
            s.add(&r);
            s.add(&bad);
            rep.finish(&s).unwrap();
        }
        let html = String::from_utf8(buf).unwrap();
        assert!(html.contains("zwartlak report: &lt;dossiers&gt;"));
        assert!(html.contains("a/&lt;b&gt;.txt"));
        assert!(!html.contains("NL91ABNA0417164300"), "values are masked");
        assert!(html.contains("NL91 **** **** **** 4300"));
        assert!(html.contains("page 1 has no text layer"));
        assert!(html.contains("<svg"));
        assert!(!html.contains("<script") && !html.contains("src=") && !html.contains("href="));
    }

    #[test]
    fn folders() {
        assert_eq!(folder("a/b/c.txt"), "a/b");
        assert_eq!(folder("c.txt"), "(top folder)");
        assert_eq!(folder("a/x.zip!d/e.txt"), "a");
    }
}
