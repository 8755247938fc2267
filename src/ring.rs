//! lws_ring.
#![forbid(unsafe_code)]
