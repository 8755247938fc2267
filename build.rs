//! Build script: compiles the one C file (the C-variadic entry points), gives the
//! shared library its libwebsockets SONAME, and regenerates the cbindgen part of
//! the public header into OUT_DIR. `LWS_REGEN_HEADER=1 cargo build` also writes it
//! to include/libwebsockets/lws-api.h; a unit test fails when the committed copy
//! differs from what the Rust types generate.
use std::env;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=csrc/variadic.c");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-env-changed=LWS_REGEN_HEADER");

    cc::Build::new()
        .file("csrc/variadic.c")
        .warnings(true)
        .extra_warnings(true)
        .warnings_into_errors(true)
        .flag("-std=c99")
        .compile("lwsvariadic");

    // lws 4.3.x ships libwebsockets.so.19; programs linked against it record that name.
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libwebsockets.so.19");

    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    let out = PathBuf::from(env::var("OUT_DIR").unwrap_or_else(|_| ".".into()));
    let config = match cbindgen::Config::from_file(manifest.join("cbindgen.toml")) {
        Ok(c) => c,
        Err(e) => panic!("cbindgen.toml: {e}"),
    };
    let generated = match cbindgen::Builder::new()
        .with_crate(&manifest)
        .with_config(config)
        .generate()
    {
        Ok(g) => g,
        Err(e) => panic!("cbindgen failed: {e}"),
    };
    generated.write_to_file(out.join("lws-api.h"));
    if env::var("LWS_REGEN_HEADER").is_ok_and(|v| v == "1") {
        generated.write_to_file(manifest.join("include/libwebsockets/lws-api.h"));
    }
}
