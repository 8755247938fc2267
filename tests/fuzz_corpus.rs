//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`, minimised by
//! `scripts/fuzz.sh`) through the fuzz targets' own invariant checks, on stable
//! Rust with no fuzzer: `fuzz/src/checks.rs` is compiled here as it is there.

#[path = "../fuzz/src/checks.rs"]
mod checks;

use std::path::Path;

fn replay(target: &str) {
    let (_, check) = checks::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .unwrap_or_else(|| panic!("no fuzz target {target}"));
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{}: empty corpus", dir.display());
    for f in &files {
        let data = std::fs::read(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        // A failing file names itself in the panic output.
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(outcome.is_ok(), "invariant broken by {}", f.display());
    }
}

#[test]
fn every_target_has_a_corpus_and_a_test() {
    let src = include_str!("fuzz_corpus.rs");
    for (name, _) in checks::TARGETS {
        assert!(
            src.contains(&format!("fn {name}()")),
            "add a replay test for {name}"
        );
        let bin = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz/src/bin")
            .join(format!("{name}.rs"));
        assert!(bin.is_file(), "{} is missing", bin.display());
    }
}

#[test]
fn ws_rx() {
    replay("ws_rx");
}

#[test]
fn ws_rx_deflate() {
    replay("ws_rx_deflate");
}

#[test]
fn ws_roundtrip() {
    replay("ws_roundtrip");
}

#[test]
fn ws_extensions() {
    replay("ws_extensions");
}

#[test]
fn http_request() {
    replay("http_request");
}

#[test]
fn http_response() {
    replay("http_response");
}

#[test]
fn http_chunked() {
    replay("http_chunked");
}

#[test]
fn http_url() {
    replay("http_url");
}

#[test]
fn form() {
    replay("form");
}

#[test]
fn form_roundtrip() {
    replay("form_roundtrip");
}

#[test]
fn json() {
    replay("json");
}

#[test]
fn json_roundtrip() {
    replay("json_roundtrip");
}

#[test]
fn tokenize() {
    replay("tokenize");
}
