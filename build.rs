//! Build script: compiles the one C file (the C-variadic entry points), gives the
//! shared library its libwebsockets SONAME, and regenerates the cbindgen part of
//! the public header into OUT_DIR. `LWS_REGEN_HEADER=1 cargo build` also writes it
//! to include/libwebsockets/lws-api.h; a unit test fails when the committed copy
//! differs from what the Rust types generate. The same goes for
//! include/libwebsockets/lws-constants.h, which is rendered here from
//! src/ffi/types/constants_table.rs (the enums and #defines cbindgen cannot express).
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
    let constants = constants_header();
    write_file(&out.join("lws-constants.h"), &constants);
    if env::var("LWS_REGEN_HEADER").is_ok_and(|v| v == "1") {
        generated.write_to_file(manifest.join("include/libwebsockets/lws-api.h"));
        write_file(
            &manifest.join("include/libwebsockets/lws-constants.h"),
            &constants,
        );
    }
}

/// Writes `text` to `path` unless it already holds exactly that.
fn write_file(path: &std::path::Path, text: &str) {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return;
    }
    if let Err(e) = std::fs::write(path, text) {
        panic!("writing {}: {e}", path.display());
    }
}

/// One group of src/ffi/types/constants_table.rs, as C text.
struct Group {
    doc: &'static [&'static str],
    kind: Kind,
    /// (name, value as written in the table)
    items: &'static [(&'static str, &'static str)],
}

enum Kind {
    Enum {
        tag: &'static str,
        typedef: Option<&'static str>,
    },
    AnonEnum,
    Defines {
        suffix: &'static str,
    },
    Const {
        c_text: &'static str,
    },
}

// The table's grammar (see its header); here each group becomes a `Group`.
macro_rules! lws_abi_constants {
    ($($t:tt)*) => {
        pub(crate) fn abi_groups() -> Vec<Group> {
            abi_groups!([] $($t)*)
        }
    };
}

macro_rules! abi_suffix {
    () => {
        ""
    };
    ($s:literal) => {
        $s
    };
}

// Munches one group at a time, collecting `Group` expressions in the brackets.
macro_rules! abi_groups {
    ([$($done:expr,)*]) => {
        vec![$($done),*]
    };
    ([$($done:expr,)*] $(#[doc = $d:literal])* enum $tag:ident: $alias:ident {
        $($name:ident = $val:expr),* $(,)?
    } $($rest:tt)*) => {
        abi_groups!([$($done,)* Group {
            doc: &[$($d),*],
            kind: Kind::Enum { tag: stringify!($tag), typedef: None },
            items: &[$((stringify!($name), stringify!($val))),*],
        },] $($rest)*)
    };
    ([$($done:expr,)*] $(#[doc = $d:literal])* typedef enum $tag:ident: $alias:ident {
        $($name:ident = $val:expr),* $(,)?
    } $($rest:tt)*) => {
        abi_groups!([$($done,)* Group {
            doc: &[$($d),*],
            kind: Kind::Enum { tag: stringify!($tag), typedef: Some(stringify!($alias)) },
            items: &[$((stringify!($name), stringify!($val))),*],
        },] $($rest)*)
    };
    ([$($done:expr,)*] $(#[doc = $d:literal])* anon enum $group:ident: $ty:ty {
        $($name:ident = $val:expr),* $(,)?
    } $($rest:tt)*) => {
        abi_groups!([$($done,)* Group {
            doc: &[$($d),*],
            kind: Kind::AnonEnum,
            items: &[$((stringify!($name), stringify!($val))),*],
        },] $($rest)*)
    };
    ([$($done:expr,)*] $(#[doc = $d:literal])* defines $group:ident: $ty:ty $(as $sfx:literal)? {
        $($name:ident = $val:expr),* $(,)?
    } $($rest:tt)*) => {
        abi_groups!([$($done,)* Group {
            doc: &[$($d),*],
            kind: Kind::Defines { suffix: abi_suffix!($($sfx)?) },
            items: &[$((stringify!($name), stringify!($val))),*],
        },] $($rest)*)
    };
    ([$($done:expr,)*] $(#[doc = $d:literal])* const $name:ident: $ty:ty = $val:expr => $c:literal;
        $($rest:tt)*) => {
        abi_groups!([$($done,)* Group {
            doc: &[$($d),*],
            kind: Kind::Const { c_text: $c },
            items: &[(stringify!($name), stringify!($val))],
        },] $($rest)*)
    };
}

include!("src/ffi/types/constants_table.rs");

// The second table (same grammar), for the areas of the headers no exported function
// uses: its groups follow the first table's.
mod misc {
    use super::{Group, Kind};
    include!("src/ffi/types/constants_table_misc.rs");
}

/// Renders include/libwebsockets/lws-constants.h.
fn constants_header() -> String {
    let mut s = String::from(
        "/* Generated by build.rs from src/ffi/types/constants_table.rs. Do not edit: run \
         `LWS_REGEN_HEADER=1 cargo build`. */\n\n#ifndef LWS_RS_CONSTANTS_H\n\
         #define LWS_RS_CONSTANTS_H\n",
    );
    for g in abi_groups().into_iter().chain(misc::abi_groups()) {
        s.push('\n');
        if !g.doc.is_empty() {
            s.push_str("/*\n");
            for d in g.doc {
                s.push_str(&format!(" *{}\n", d.trim_end()));
            }
            s.push_str(" */\n");
        }
        match g.kind {
            Kind::Enum { tag, typedef } => {
                let open = if typedef.is_some() {
                    "typedef enum"
                } else {
                    "enum"
                };
                s.push_str(&format!("{open} {tag} {{\n"));
                for (i, (name, val)) in g.items.iter().enumerate() {
                    let sep = if i + 1 < g.items.len() { "," } else { "" };
                    s.push_str(&format!("\t{name} = {val}{sep}\n"));
                }
                match typedef {
                    Some(t) => s.push_str(&format!("}} {t};\n")),
                    None => s.push_str("};\n"),
                }
            }
            Kind::AnonEnum => {
                s.push_str("enum {\n");
                for (i, (name, val)) in g.items.iter().enumerate() {
                    let sep = if i + 1 < g.items.len() { "," } else { "" };
                    s.push_str(&format!("\t{name} = {val}{sep}\n"));
                }
                s.push_str("};\n");
            }
            Kind::Defines { suffix } => {
                for (name, val) in g.items {
                    s.push_str(&format!("#define {name} {}\n", c_define_value(val, suffix)));
                }
            }
            Kind::Const { c_text } => {
                for (name, _) in g.items {
                    s.push_str(&format!("#define {name} {c_text}\n"));
                }
            }
        }
    }
    s.push_str("\n#endif /* LWS_RS_CONSTANTS_H */\n");
    s
}

/// `1 << 3` -> `(1ll << 3)` with suffix "ll": integer literals get the suffix unless they
/// are shift counts; anything but a lone literal is parenthesised.
fn c_define_value(val: &str, suffix: &str) -> String {
    let mut out = String::new();
    let mut prev_token = String::new();
    let mut chars = val.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_alphanumeric() || c == '_' {
            let mut tok = String::from(c);
            while let Some(&n) = chars.peek() {
                if !(n.is_ascii_alphanumeric() || n == '_') {
                    break;
                }
                tok.push(n);
                chars.next();
            }
            out.push_str(&tok);
            if tok.starts_with(|d: char| d.is_ascii_digit()) && prev_token != "<<" {
                out.push_str(suffix);
            }
            prev_token = tok;
        } else if c.is_whitespace() {
            out.push(c);
        } else {
            out.push(c);
            if c == '<' && prev_token == "<" {
                prev_token = "<<".into();
            } else {
                prev_token = c.to_string();
            }
        }
    }
    if val.chars().all(|c| c.is_ascii_alphanumeric()) {
        out
    } else {
        format!("({out})")
    }
}
