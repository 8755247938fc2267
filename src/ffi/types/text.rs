//! Types of the text helpers (lws-sha1-base64.h, lws-misc.h) and the
//! humanize schemas lws exports as data.
//!
//! Layouts: abi/layouts-text.tsv (measured), asserted in layout_asserts.rs.

use core::ffi::{c_char, c_int};

use crate::text::humanize::{Unit, SI, SI_BYTES, US};

/// `struct lws_b64state`: the resumable state of `lws_b64_decode_stateful`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_b64state {
    /// The group being collected.
    pub quad: [u8; 4],
    /// Running count of decoded bytes.
    pub done: usize,
    /// Characters counted into the current group.
    pub len: usize,
    /// Position in the current group.
    pub i: c_int,
    /// The last character read.
    pub c: c_int,
}

/// `lws_humanize_unit_t`: one row of a humanize schema; the array ends with
/// a NULL name.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_humanize_unit {
    /// The unit's suffix, or NULL at the end of the schema.
    pub name: *const c_char,
    /// How many of the value make one of this unit.
    pub factor: u64,
}
/// `lws_humanize_unit_t`.
pub type lws_humanize_unit_t = lws_humanize_unit;

// SAFETY: the exported schemas are immutable and their names point at
// 'static string literals, so sharing them between threads is sound.
unsafe impl Sync for lws_humanize_unit {}

const fn row(u: Unit<'static>) -> lws_humanize_unit {
    lws_humanize_unit {
        name: u.name.as_ptr(),
        factor: u.factor,
    }
}
const END: lws_humanize_unit = lws_humanize_unit {
    name: core::ptr::null(),
    factor: 0,
};

/// lws's `humanize_schema_si`: "Ki", "Mi" ... units of 1024.
#[no_mangle]
pub static humanize_schema_si: [lws_humanize_unit_t; 7] = [
    row(SI[0]),
    row(SI[1]),
    row(SI[2]),
    row(SI[3]),
    row(SI[4]),
    row(SI[5]),
    END,
];

/// lws's `humanize_schema_si_bytes`: "KiB", "MiB" ... and "B".
#[no_mangle]
pub static humanize_schema_si_bytes: [lws_humanize_unit_t; 7] = [
    row(SI_BYTES[0]),
    row(SI_BYTES[1]),
    row(SI_BYTES[2]),
    row(SI_BYTES[3]),
    row(SI_BYTES[4]),
    row(SI_BYTES[5]),
    END,
];

/// lws's `humanize_schema_us`: a count of microseconds as "y", "d", "hr",
/// "min", "s", "ms" or "μs".
#[no_mangle]
pub static humanize_schema_us: [lws_humanize_unit_t; 8] = [
    row(US[0]),
    row(US[1]),
    row(US[2]),
    row(US[3]),
    row(US[4]),
    row(US[5]),
    row(US[6]),
    END,
];
