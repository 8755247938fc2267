//! The arithmetic of lwsac, lws's chunked allocator: how big a new chunk is and
//! how allocations are rounded. The chunks themselves are C-visible memory and
//! live in `ffi::lwsac`; this module only decides sizes.
#![forbid(unsafe_code)]

/// Default payload room of a chunk: under a 4 KiB page with the headers (lws's value).
pub const DEFAULT_CHUNK: usize = 4000;

/// Allocations are rounded up to pointer alignment, as lws promises.
pub const ALIGN: usize = std::mem::size_of::<usize>();

/// `length` rounded up to [`ALIGN`]; `None` on overflow.
pub fn align(length: usize) -> Option<usize> {
    length.checked_next_multiple_of(ALIGN)
}

/// Total bytes to allocate for a new chunk that must hold `ensure` bytes after
/// `header` bytes of headers; `chunk_size` 0 means [`DEFAULT_CHUNK`]. An
/// oversized request gets a chunk of exactly its (aligned) size.
pub fn chunk_alloc(ensure: usize, chunk_size: usize, header: usize) -> Option<usize> {
    let room = if chunk_size == 0 {
        DEFAULT_CHUNK
    } else {
        chunk_size
    };
    room.max(align(ensure)?).checked_add(header)
}

/// How long a cached file is trusted before its modification time is looked
/// at again (`lwsac_cached_file`), in seconds.
pub const CACHED_FILE_RECHECK_SECS: i64 = 5;

/// Whether a cached file last confirmed at `last_confirm` is used without
/// looking at the file (times in seconds).
pub fn still_fresh(now: i64, last_confirm: i64) -> bool {
    now - last_confirm < CACHED_FILE_RECHECK_SECS
}

/// A file as `lwsac_cached_file` reads it.
pub struct CachedRead {
    /// Modification time, whole seconds (what lws compares).
    pub mtime: i64,
    pub data: Vec<u8>,
}

/// Reads `path` and its modification time.
pub fn read_cached(path: &std::path::Path) -> Result<CachedRead, String> {
    use std::io::Read;
    use std::os::unix::fs::MetadataExt;
    let mut f = std::fs::File::open(path).map_err(|_| format!("cannot open {}", path.display()))?;
    let meta = f
        .metadata()
        .map_err(|_| format!("cannot stat {}", path.display()))?;
    let mut data = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    f.read_to_end(&mut data)
        .map_err(|e| format!("cannot read {} ({e})", path.display()))?;
    Ok(CachedRead {
        mtime: meta.mtime(),
        data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_to_pointer_size() {
        assert_eq!(align(0), Some(0));
        assert_eq!(align(1), Some(8));
        assert_eq!(align(8), Some(8));
        assert_eq!(align(9), Some(16));
        assert_eq!(align(usize::MAX), None);
    }

    #[test]
    fn cached_files_are_rechecked_after_five_seconds() {
        assert!(still_fresh(104, 100));
        assert!(!still_fresh(105, 100));
    }

    #[test]
    fn chunks_grow_for_big_requests() {
        assert_eq!(chunk_alloc(16, 0, 64), Some(4064));
        assert_eq!(chunk_alloc(16, 100, 32), Some(132));
        assert_eq!(chunk_alloc(5001, 0, 64), Some(5008 + 64));
        assert_eq!(chunk_alloc(usize::MAX - 3, 0, 64), None);
    }
}
