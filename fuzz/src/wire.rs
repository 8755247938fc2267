//! The `wire` target: the C harness `lws_fuzz_one` (tests-c/fuzz/wire/) drives
//! one connection of the exported C API per input, its peer's bytes taken from
//! the input. The first byte picks the role (bit 0: 0 server, 1 client); the
//! harness checks its invariants itself and aborts on a violation. The same
//! corpus is replayed by the C test `fuzz/wire_corpus_replay` (ctest, ASan and
//! valgrind).

use std::os::raw::c_int;

extern "C" {
    fn lws_fuzz_one(data: *const u8, len: usize, role: c_int) -> c_int;
}

/// Runs one input through the C harness.
pub fn wire(data: &[u8]) {
    let (role, rest) = data.split_first().map_or((0, data), |(r, x)| (*r, x));
    // SAFETY: lws_fuzz_one reads exactly `len` bytes from `data`, which
    // `rest` provides for the duration of the call; it keeps no pointer to them.
    unsafe {
        lws_fuzz_one(rest.as_ptr(), rest.len(), c_int::from(role & 1));
    }
}
