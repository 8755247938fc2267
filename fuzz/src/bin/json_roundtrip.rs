#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| lws_fuzz::checks::json_roundtrip(data));
