//! XLSX throughput: a generated 50,000-row workbook (6 columns: customer
//! number, name, address, postcode, IBAN, phone; one BSN column) read by the
//! spreadsheet reader alone, and scanned end to end (reader + detectors).
//! Throughput is in bytes of the .xlsx file.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::io::{Cursor, Write};
use zwartlak::detect::{Engine, Filter};
use zwartlak::document::Segment;
use zwartlak::extract::office::sheet::SheetReader;
use zwartlak::extract::{Limits, ReadCtx, Reader, Sink, Source};
use zwartlak::scan::{ScanOptions, Scanner};

const ROWS: usize = 50_000;

/// A number that passes the BSN 11-check, from a seed.
fn bsn(seed: u64) -> u64 {
    let mut n = 100_000_000 + (seed * 7_919) % 800_000_000;
    loop {
        let d: Vec<u64> = n.to_string().bytes().map(|b| u64::from(b - b'0')).collect();
        let sum: i64 = (0..8).map(|i| (9 - i as i64) * d[i] as i64).sum::<i64>() - d[8] as i64;
        if sum % 11 == 0 {
            return n;
        }
        n += 1;
    }
}

/// A Dutch IBAN with valid check digits for a 10-digit account number.
fn iban(account: u64) -> String {
    let bban = format!("ABNA{account:010}");
    // Letters as numbers (A=10 ...), then "NL00" moved to the end.
    let digits: String = format!("{bban}NL00")
        .chars()
        .map(|c| c.to_digit(36).unwrap().to_string())
        .collect();
    let rem = digits
        .bytes()
        .fold(0u64, |r, b| (r * 10 + u64::from(b - b'0')) % 97);
    format!("NL{:02}{bban}", 98 - rem)
}

fn workbook() -> Vec<u8> {
    let mut sheet = String::with_capacity(ROWS * 400);
    sheet.push_str(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#);
    let head = [
        "Klantnummer",
        "BSN",
        "Naam",
        "Adres",
        "Postcode",
        "IBAN",
        "Telefoon",
    ];
    sheet.push_str(r#"<row r="1">"#);
    for (i, h) in head.iter().enumerate() {
        let col = (b'A' + i as u8) as char;
        sheet.push_str(&format!(
            r#"<c r="{col}1" t="inlineStr"><is><t>{h}</t></is></c>"#
        ));
    }
    sheet.push_str("</row>");
    for r in 2..ROWS + 2 {
        let k = r as u64;
        sheet.push_str(&format!(
            concat!(
                r#"<row r="{r}"><c r="A{r}"><v>{cust}</v></c><c r="B{r}"><v>{bsn}</v></c>"#,
                r#"<c r="C{r}" t="inlineStr"><is><t>Huurder {k}</t></is></c>"#,
                r#"<c r="D{r}" t="inlineStr"><is><t>Straatweg {num}</t></is></c>"#,
                r#"<c r="E{r}" t="inlineStr"><is><t>{pc} AB</t></is></c>"#,
                r#"<c r="F{r}" t="inlineStr"><is><t>{iban}</t></is></c>"#,
                r#"<c r="G{r}" t="inlineStr"><is><t>06-{tel:08}</t></is></c></row>"#
            ),
            r = r,
            cust = 500_000_000 + k,
            bsn = bsn(k),
            k = k,
            num = k % 300 + 1,
            pc = 1000 + k % 8999,
            iban = iban(k * 37),
            tel = 10_000_000 + k * 13 % 89_999_999,
        ));
    }
    sheet.push_str("</sheetData></worksheet>");
    let entries = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
        ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Lijst" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string()),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(data.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[derive(Default)]
struct Count(usize);
impl Sink for Count {
    fn segment(&mut self, s: Segment) {
        self.0 += s.text.len();
    }
    fn embedded(&mut self, _: &str, _: Vec<u8>) {}
    fn needs_review(&mut self, _: String) {}
}

fn bench(c: &mut Criterion) {
    let data = workbook();
    let limits = Limits::default();
    let mut g = c.benchmark_group("xlsx_50k_rows");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(data.len() as u64));
    let src = Source::Memory(data.clone());
    g.bench_function("read", |b| {
        b.iter(|| {
            let mut sink = Count::default();
            SheetReader
                .read(&src, &ReadCtx::new(&limits, 0), &mut sink)
                .unwrap();
            black_box(sink.0)
        })
    });
    let scanner = Scanner::new(
        Engine::builtin(Filter::default()).unwrap(),
        ScanOptions::default(),
    );
    g.bench_function("scan", |b| {
        b.iter(|| {
            let results = scanner.scan_source(&src, "lijst.xlsx", 0);
            assert_eq!(results[0].findings.len(), ROWS * 4);
            black_box(results.len())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
