//! `#[repr(C)]` mirrors of the libwebsockets 4.3.3 types (filled in by the ABI work).
