#![no_main]
//! The text formats (plain, CSV, TSV, JSON, XML, HTML): the first byte picks
//! the reader, the rest is the file.
use libfuzzer_sys::fuzz_target;
use zwartlak::extract::Format;

const FORMATS: [Format; 6] = [
    Format::Text,
    Format::Csv,
    Format::Tsv,
    Format::Json,
    Format::Xml,
    Format::Html,
];

fuzz_target!(|data: &[u8]| {
    if let Some((&pick, rest)) = data.split_first() {
        zwartlak_fuzz::run(FORMATS[pick as usize % FORMATS.len()], rest);
    }
});
