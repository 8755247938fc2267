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
    fn chunks_grow_for_big_requests() {
        assert_eq!(chunk_alloc(16, 0, 64), Some(4064));
        assert_eq!(chunk_alloc(16, 100, 32), Some(132));
        assert_eq!(chunk_alloc(5001, 0, 64), Some(5008 + 64));
        assert_eq!(chunk_alloc(usize::MAX - 3, 0, 64), None);
    }
}
