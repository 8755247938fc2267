//! Keeps the fences of guide §3.3: unsafe code, `extern "C"`, `no_mangle` and
//! libc live only in src/ffi/; the safe modules forbid unsafe code.

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.map(|e| e.path()).unwrap_or_default();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn only_the_ffi_layer_touches_c() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(
        files.len() > 5,
        "expected the source tree under {}",
        src.display()
    );
    let mut offenders = Vec::new();
    for f in &files {
        let rel = f
            .strip_prefix(&src)
            .unwrap_or(f)
            .to_string_lossy()
            .into_owned();
        if rel.starts_with("ffi/") || rel == "lib.rs" {
            continue;
        }
        let text = fs::read_to_string(f).unwrap_or_default();
        for needle in [
            "crate::ffi",
            "extern \"C\"",
            "no_mangle",
            "libc::",
            "unsafe {",
            "unsafe fn",
        ] {
            if text.contains(needle) {
                offenders.push(format!("{rel}: {needle}"));
            }
        }
        if !text.contains("#![forbid(unsafe_code)]") {
            offenders.push(format!("{rel}: lacks #![forbid(unsafe_code)]"));
        }
    }
    assert!(offenders.is_empty(), "fence crossed: {offenders:#?}");
}
