#![no_main]
//! The legacy formats (Outlook .msg, Word 97-2003 .doc, RTF): the first byte
//! picks the reader, the rest is the file.
use libfuzzer_sys::fuzz_target;
use zwartlak::extract::Format;

const FORMATS: [Format; 3] = [Format::Msg, Format::Doc, Format::Rtf];

fuzz_target!(|data: &[u8]| {
    if let Some((&pick, rest)) = data.split_first() {
        zwartlak_fuzz::run(FORMATS[pick as usize % FORMATS.len()], rest);
    }
});
