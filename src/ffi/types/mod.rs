//! `#[repr(C)]` mirrors of the libwebsockets 4.3.3 types, with lws's own names.
//!
//! This is the Rust half of the C ABI; include/libwebsockets/lws-api.h is generated from
//! it by cbindgen (see cbindgen.toml), include/libwebsockets/lws-constants.h by build.rs
//! from `constants_table.rs`. Layouts are frozen to the reference build measured in
//! shared/abi/layouts.tsv and asserted at compile time in `layout_asserts.rs`.
//!
//! Naming: C names are kept verbatim (so `non_camel_case_types`), and C enums are integer
//! aliases (see `consts`). Exported functions use exactly these names in their
//! signatures so the generated prototypes match the lws ones.
#![allow(
    non_camel_case_types,
    reason = "the C ABI's type names are part of the contract"
)]
#![allow(
    dead_code,
    reason = "ABI mirror: items exist for C callers and for entry points still to come"
)]

mod consts;
mod containers;
mod eventlib;
mod info;
mod layout_asserts;
mod lejp;
mod misc;
mod protocols;
mod scalars;
mod spa;
mod system;
mod text;
mod tokenize;
mod vfs;
mod x509;

pub use self::consts::*;
pub use self::containers::*;
pub use self::eventlib::*;
pub use self::info::*;
pub use self::lejp::*;
pub use self::misc::*;
pub use self::protocols::*;
pub use self::scalars::*;
pub use self::spa::*;
pub use self::system::*;
pub use self::text::*;
pub use self::tokenize::*;
pub use self::vfs::*;
pub use self::x509::*;

#[cfg(test)]
mod tests {
    /// The committed generated headers must equal what this build generated; run
    /// `LWS_REGEN_HEADER=1 cargo build` after changing the types or the constants table.
    #[test]
    fn committed_headers_are_current() {
        let pairs = [
            (
                include_str!(concat!(env!("OUT_DIR"), "/lws-api.h")),
                include_str!("../../../include/libwebsockets/lws-api.h"),
                "lws-api.h",
            ),
            (
                include_str!(concat!(env!("OUT_DIR"), "/lws-constants.h")),
                include_str!("../../../include/libwebsockets/lws-constants.h"),
                "lws-constants.h",
            ),
        ];
        for (generated, committed, name) in pairs {
            assert!(
                generated == committed,
                "include/libwebsockets/{name} is stale: run LWS_REGEN_HEADER=1 cargo build"
            );
        }
    }
}
