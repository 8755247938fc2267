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

/// The ffi sources, each as (path relative to src/, text without `//` comments).
fn ffi_sources() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src.join("ffi"), &mut files);
    files.sort();
    files
        .iter()
        .map(|f| {
            let rel = f
                .strip_prefix(&src)
                .unwrap_or(f)
                .to_string_lossy()
                .into_owned();
            let text = fs::read_to_string(f).unwrap_or_default();
            let code: Vec<&str> = text
                .lines()
                .map(|l| match l.find("//") {
                    Some(i) if !l[..i].contains('"') => &l[..i],
                    _ => l,
                })
                .collect();
            (rel, code.join("\n"))
        })
        .collect()
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The identifier starting at byte `at` of `text`, if one does.
fn ident_at(text: &str, at: usize) -> &str {
    let rest = &text[at..];
    let end = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
    &rest[..end]
}

/// Calls through a C function pointer in `code`: a C struct's callback is an
/// `Option<extern fn>`, so it reaches a call as a name bound by `Some(name)` (or
/// a closure parameter `|name|`) that is then called as `name(`; or as a call of
/// a parenthesised expression, `(...)(`.
fn function_pointer_calls(code: &str) -> Vec<String> {
    let mut bound: Vec<&str> = Vec::new();
    for (i, _) in code.match_indices("Some(") {
        let name = ident_at(code, i + 5);
        if !name.is_empty() && code[i + 5 + name.len()..].starts_with(')') {
            bound.push(name);
        }
    }
    for (i, _) in code.match_indices('|') {
        let name = ident_at(code, i + 1);
        if !name.is_empty() && code[i + 1 + name.len()..].starts_with('|') {
            bound.push(name);
        }
    }
    bound.sort_unstable();
    bound.dedup();
    let mut calls = Vec::new();
    for name in bound {
        let call = format!("{name}(");
        for (i, _) in code.match_indices(&call) {
            let before = code[..i].chars().next_back().unwrap_or(' ');
            if is_ident(before) || before == '.' || before == ':' || before == '&' {
                continue;
            }
            if code[..i].ends_with("fn ") {
                continue;
            }
            let line = code[..i].matches('\n').count() + 1;
            calls.push(format!("line {line}: {name}(...)"));
        }
    }
    for (i, _) in code.match_indices(")(") {
        let line = code[..i].matches('\n').count() + 1;
        calls.push(format!("line {line}: (...)(...)"));
    }
    calls
}

/// Rule 2 of the gate (issue 10): C function pointers are called only in
/// src/ffi/callout.rs, where every call into a context's user code counts the
/// callout depth.
#[test]
fn function_pointers_are_called_only_through_the_gate() {
    let mut offenders = Vec::new();
    let sources = ffi_sources();
    assert!(sources.len() > 5, "expected the ffi sources");
    for (rel, code) in &sources {
        if rel == "ffi/callout.rs" {
            continue;
        }
        for call in function_pointer_calls(code) {
            offenders.push(format!("{rel}: {call}"));
        }
    }
    assert!(
        offenders.is_empty(),
        "function pointer called outside ffi::callout: {offenders:#?}"
    );
}

#[test]
fn the_function_pointer_check_finds_calls() {
    let direct = "if let Some(cb) = p.callback {\n    unsafe { cb(w, 1, u, i, 0) };\n}";
    assert_eq!(function_pointer_calls(direct), vec!["line 2: cb(...)"]);
    let closure = "x.map(|f| unsafe { f(e) })";
    assert_eq!(function_pointer_calls(closure), vec!["line 1: f(...)"]);
    let paren = "unsafe { (node.cb.unwrap())(sul) }";
    assert_eq!(function_pointer_calls(paren), vec!["line 1: (...)(...)"]);
    let gated = "if let Some(cb) = p.callback {\n    callout::protocol_callback(rt, cb, w)\n}";
    assert!(function_pointer_calls(gated).is_empty());
}

/// The exported functions of `code` whose body does not start with `guard(`.
fn unguarded_exports(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in code.match_indices("#[no_mangle]") {
        // The variadic trampolines are naked: a lone `jmp` to their C bodies,
        // which report through guarded exports.
        if code[..i].trim_end().ends_with("#[unsafe(naked)]") {
            continue;
        }
        let rest = &code[i..];
        let Some(f) = rest.find("extern \"C\" fn ") else {
            continue;
        };
        let name = ident_at(rest, f + "extern \"C\" fn ".len());
        let Some(open) = rest[f..].find('{') else {
            continue;
        };
        let body = rest[f + open + 1..].trim_start();
        let first = body
            .trim_start_matches("super::")
            .trim_start_matches("crate::ffi::");
        if !first.starts_with("guard(") {
            out.push(name.to_string());
        }
    }
    out
}

/// Rule 1 of the gate (issue 10): every exported function's body is
/// `guard(...)`, so refusals are logged one way and no panic reaches C.
#[test]
fn every_export_is_guarded() {
    let mut offenders = Vec::new();
    let mut exports = 0;
    for (rel, code) in &ffi_sources() {
        exports += code.matches("#[no_mangle]").count();
        for name in unguarded_exports(code) {
            offenders.push(format!("{rel}: {name}"));
        }
    }
    assert!(exports > 100, "expected the exports, found {exports}");
    assert!(
        offenders.is_empty(),
        "exports not starting with guard: {offenders:#?}"
    );
}

#[test]
fn the_guard_check_finds_unguarded_exports() {
    let good = "#[no_mangle]\npub unsafe extern \"C\" fn a(x: i32) -> i32 {\n    guard(\"a\", -1, || Ok(x))\n}";
    assert!(unguarded_exports(good).is_empty());
    let bad = "#[no_mangle]\npub unsafe extern \"C\" fn b(x: i32) -> i32 {\n    if x < 0 { return 1; }\n    guard(\"b\", -1, || Ok(x))\n}";
    assert_eq!(unguarded_exports(bad), vec!["b"]);
}

/// Issue 10 defect 7: the thread is checked in one place, the handle
/// conversions of src/ffi/handle.rs, so no accessor can forget it; only
/// `lws_cancel_service` (src/ffi/service.rs) converts without the check.
#[test]
fn the_thread_is_checked_only_by_the_handle_conversions() {
    let mut offenders = Vec::new();
    for (rel, code) in &ffi_sources() {
        if rel == "ffi/handle.rs" {
            continue;
        }
        if code.contains("check_thread(") {
            offenders.push(format!("{rel}: calls check_thread itself"));
        }
        let any_thread = code.matches("context_any_thread(").count();
        // The entry points lws itself makes callable from any thread:
        // lws_cancel_service, the smd senders (lws_smd_msg_alloc/send/printf),
        // logging through a context's log context, the system blob and ops
        // readers, and lws_get_random. Everything else goes through the check.
        const CROSS_THREAD_BY_DESIGN: [&str; 5] = [
            "ffi/service.rs",
            "ffi/smd.rs",
            "ffi/logcx.rs",
            "ffi/system.rs",
            "ffi/text.rs",
        ];
        if any_thread > 0 && !CROSS_THREAD_BY_DESIGN.contains(&rel.as_str()) {
            offenders.push(format!(
                "{rel}: converts a context without the thread check"
            ));
        }
    }
    assert!(offenders.is_empty(), "{offenders:#?}");
}
