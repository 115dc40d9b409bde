#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| econtrack_fuzz::agency_file(data));
