//! Compiles the C wire harness (tests-c/fuzz/wire/lws_fuzz_wire.c) for the
//! `wire` target: it calls the library's exported C API, which the
//! `websockets` rlib (instrumented for coverage) provides at link time.
fn main() {
    let dir = "../tests-c/fuzz/wire";
    println!("cargo:rerun-if-changed={dir}/lws_fuzz_wire.c");
    println!("cargo:rerun-if-changed={dir}/lws_fuzz_wire.h");
    println!("cargo:rerun-if-changed=../include");
    cc::Build::new()
        .file(format!("{dir}/lws_fuzz_wire.c"))
        .include("../include")
        .include(dir)
        .opt_level(2)
        .debug(true)
        .flag("-Wall")
        .flag("-Wextra")
        .flag("-Werror")
        .compile("lws_fuzz_wire");
}
