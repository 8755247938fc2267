//! The fuzz targets' invariants, shared with the corpus replay test.
pub mod checks;
pub mod wire;
