#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zwartlak_fuzz::run(zwartlak::extract::Format::Docx, data));
