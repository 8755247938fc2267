//! lws-ring.h over `crate::ring::Ring` (B7.2).

use std::ffi::{c_int, c_void};
use std::ptr;

use super::guard;
use super::types::lws_ring;
use crate::core::Error;
use crate::ring::Ring;

type DestroyFn = unsafe extern "C" fn(element: *mut c_void);

const RING_MAGIC: u64 = 0x6c77_732d_7273_7252;
const DEAD: u64 = 0xdead_dead_dead_dead;

/// Behind `struct lws_ring *`; the magic word (first, as in the other
/// handles) refuses a pointer that is not a live ring.
#[repr(C)]
struct RingHandle {
    magic: u64,
    ring: Ring,
    destroy: Option<DestroyFn>,
}

impl RingHandle {
    /// A closure that hands each released element to the user's destroy hook.
    fn destroyer(destroy: Option<DestroyFn>) -> impl FnMut(&mut [u8]) {
        move |elem: &mut [u8]| {
            if let Some(f) = destroy {
                // SAFETY: the user's element destructor, called once per element
                // as the oldest tail passes it.
                unsafe { super::callout::ring_element_destroy(f, elem.as_mut_ptr().cast()) };
            }
        }
    }
}

/// # Safety
/// `ring` is NULL or a ring from `lws_ring_create` not yet destroyed.
unsafe fn ring_mut<'a>(ring: *mut lws_ring) -> Result<&'a mut RingHandle, Error> {
    if ring.is_null() {
        return Err(Error::Refused("ring is NULL"));
    }
    let h = ring.cast::<RingHandle>();
    // SAFETY: by contract a RingHandle from lws_ring_create; the magic tells a
    // live one.
    if unsafe { (*h).magic } != RING_MAGIC {
        return Err(Error::Refused("not a live ring"));
    }
    // SAFETY: the magic word says this is a live RingHandle.
    Ok(unsafe { &mut *h })
}

/// A tail argument: NULL (the ring's own), or a tail that is on an element
/// boundary inside the buffer.
///
/// # Safety
/// `tail` is NULL or readable.
unsafe fn tail_arg(ring: &Ring, tail: *const u32) -> Result<Option<u32>, Error> {
    // SAFETY: NULL or readable by contract.
    match unsafe { tail.as_ref() }.copied() {
        Some(t) if !ring.valid_tail(t) => Err(Error::Refused("tail misaligned or out of range")),
        t => Ok(t),
    }
}

/// A ring of `count` elements of `element_len` bytes (holds `count - 1`).
///
/// # Safety
/// `destroy_element` is NULL or callable for the ring's life.
#[no_mangle]
pub unsafe extern "C" fn lws_ring_create(
    element_len: usize,
    count: usize,
    destroy_element: Option<unsafe extern "C" fn(element: *mut c_void)>,
) -> *mut lws_ring {
    guard("lws_ring_create", ptr::null_mut(), || {
        let ring = Ring::new(element_len, count)
            .ok_or(Error::Refused("element size or count unusable"))?;
        Ok(Box::into_raw(Box::new(RingHandle {
            magic: RING_MAGIC,
            ring,
            destroy: destroy_element,
        }))
        .cast())
    })
}

/// Releases every element still held (through the destroy hook) and the ring.
///
/// # Safety
/// `ring` is NULL or a live ring; not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn lws_ring_destroy(ring: *mut lws_ring) {
    guard("lws_ring_destroy", (), || {
        if ring.is_null() {
            return Ok(());
        }
        // SAFETY: checked handle conversion.
        let live = unsafe { ring_mut(ring) }?;
        live.magic = DEAD;
        // SAFETY: a live RingHandle from lws_ring_create, freed once here.
        let mut h = unsafe { Box::from_raw(ring.cast::<RingHandle>()) };
        let mut d = RingHandle::destroyer(h.destroy);
        h.ring.drain(&mut d);
        Ok(())
    })
}

/// # Safety
/// `ring` is a live ring.
#[no_mangle]
pub unsafe extern "C" fn lws_ring_get_count_free_elements(ring: *mut lws_ring) -> usize {
    guard("lws_ring_get_count_free_elements", 0, || {
        // SAFETY: checked conversion.
        Ok(unsafe { ring_mut(ring) }?.ring.free_elements())
    })
}

/// # Safety
/// `ring` is a live ring; `tail` NULL or a tail of this ring.
#[no_mangle]
pub unsafe extern "C" fn lws_ring_get_count_waiting_elements(
    ring: *mut lws_ring,
    tail: *mut u32,
) -> usize {
    guard("lws_ring_get_count_waiting_elements", 0, || {
        // SAFETY: checked conversion.
        let h = unsafe { ring_mut(ring) }?;
        // SAFETY: NULL or a readable tail.
        let t = unsafe { tail_arg(&h.ring, tail) }?;
        Ok(h.ring.waiting_elements(t))
    })
}

/// Copies up to `max_count` elements from `src`; returns how many fitted.
///
/// # Safety
/// `src` holds `max_count` elements.
#[no_mangle]
pub unsafe extern "C" fn lws_ring_insert(
    ring: *mut lws_ring,
    src: *const c_void,
    max_count: usize,
) -> usize {
    guard("lws_ring_insert", 0, || {
        // SAFETY: checked conversion.
        let h = unsafe { ring_mut(ring) }?;
        if src.is_null() {
            return Err(Error::Refused("src is NULL"));
        }
        let n = max_count.min(h.ring.free_elements());
        // SAFETY: the caller provides `max_count` elements; we read only `n` of them.
        let s = unsafe { std::slice::from_raw_parts(src.cast::<u8>(), n * h.ring.element_len()) };
        Ok(h.ring.insert(s, n))
    })
}

/// Consumes up to `max_count` elements for `tail` (NULL: the ring's own tail,
/// which also releases them), copying them to `dest` unless it is NULL.
///
/// # Safety
/// `dest` is NULL or has room for `max_count` elements.
#[no_mangle]
pub unsafe extern "C" fn lws_ring_consume(
    ring: *mut lws_ring,
    tail: *mut u32,
    dest: *mut c_void,
    max_count: usize,
) -> usize {
    guard("lws_ring_consume", 0, || {
        // SAFETY: checked conversion.
        let h = unsafe { ring_mut(ring) }?;
        let el = h.ring.element_len();
        // SAFETY: NULL or a readable tail.
        let n = max_count.min(h.ring.waiting_elements(unsafe { tail_arg(&h.ring, tail) }?));
        let dest = (!dest.is_null()).then(|| {
            // SAFETY: room for max_count >= n elements by contract.
            unsafe { std::slice::from_raw_parts_mut(dest.cast::<u8>(), n * el) }
        });
        let mut d = RingHandle::destroyer(h.destroy);
        // SAFETY: NULL or a valid tail.
        let t = unsafe { tail.as_mut() };
        Ok(h.ring.consume(t, dest, n, &mut d))
    })
}

/// The next element for `tail` (NULL: the ring's own), or NULL when none.
///
/// # Safety
/// `ring` is a live ring; `tail` NULL or a tail of this ring.
#[no_mangle]
pub unsafe extern "C" fn lws_ring_get_element(
    ring: *mut lws_ring,
    tail: *mut u32,
) -> *const c_void {
    guard("lws_ring_get_element", ptr::null(), || {
        // SAFETY: checked conversion.
        let h = unsafe { ring_mut(ring) }?;
        // SAFETY: NULL or a readable tail.
        let t = unsafe { tail_arg(&h.ring, tail) }?;
        Ok(match h.ring.element_offset(t) {
            Some(off) => h.ring.buffer_mut()[off..].as_ptr().cast(),
            None => ptr::null(),
        })
    })
}

/// Moves the oldest tail to `tail`, releasing the elements it passes.
///
/// # Safety
/// `ring` is a live ring.
#[no_mangle]
pub unsafe extern "C" fn lws_ring_update_oldest_tail(ring: *mut lws_ring, tail: u32) {
    guard("lws_ring_update_oldest_tail", (), || {
        // SAFETY: checked conversion.
        let h = unsafe { ring_mut(ring) }?;
        let mut d = RingHandle::destroyer(h.destroy);
        h.ring
            .update_oldest_tail(tail, &mut d)
            .map_err(Error::Refused)
    })
}

/// Where a new consumer should start.
///
/// # Safety
/// `ring` is a live ring.
#[no_mangle]
pub unsafe extern "C" fn lws_ring_get_oldest_tail(ring: *mut lws_ring) -> u32 {
    guard("lws_ring_get_oldest_tail", 0, || {
        // SAFETY: checked conversion.
        Ok(unsafe { ring_mut(ring) }?.ring.oldest_tail())
    })
}

/// The contiguous free space at the head: returns 0 and sets `*start`/`*bytes`,
/// or 1 when the ring is full.
///
/// # Safety
/// `start` and `bytes` are writable.
#[no_mangle]
pub unsafe extern "C" fn lws_ring_next_linear_insert_range(
    ring: *mut lws_ring,
    start: *mut *mut c_void,
    bytes: *mut usize,
) -> c_int {
    guard("lws_ring_next_linear_insert_range", 1, || {
        // SAFETY: checked conversion.
        let h = unsafe { ring_mut(ring) }?;
        if start.is_null() || bytes.is_null() {
            return Err(Error::Refused("start or bytes is NULL"));
        }
        let Some((off, n)) = h.ring.next_linear_insert_range() else {
            return Ok(1);
        };
        let p = h.ring.buffer_mut()[off..].as_mut_ptr().cast::<c_void>();
        // SAFETY: writable by contract.
        unsafe { *start = p };
        // SAFETY: writable by contract.
        unsafe { *bytes = n };
        Ok(0)
    })
}

/// Advances the head over bytes written through the linear insert range.
///
/// # Safety
/// `ring` is a live ring.
#[no_mangle]
pub unsafe extern "C" fn lws_ring_bump_head(ring: *mut lws_ring, bytes: usize) {
    guard("lws_ring_bump_head", (), || {
        // SAFETY: checked conversion.
        unsafe { ring_mut(ring) }?
            .ring
            .bump_head(bytes)
            .map_err(Error::Refused)
    })
}

/// Logs (at notice level) the ring's sizes, head, oldest tail and the free and
/// waiting counts for `tail` (NULL: the oldest tail).
///
/// # Safety
/// `ring` is a live ring; `tail` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn lws_ring_dump(ring: *mut lws_ring, tail: *mut u32) {
    guard("lws_ring_dump", (), || {
        // SAFETY: checked conversion.
        let h = unsafe { ring_mut(ring) }?;
        // SAFETY: NULL or a readable tail.
        let t = unsafe { tail_arg(&h.ring, tail) }?;
        crate::lwsl!(
            crate::log::level::NOTICE,
            "ring {ring:p}: {}",
            h.ring.describe(t)
        );
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 10 (one handle store): a ring pointer is checked by its magic
    /// word like the context, vhost and wsi handles, so a pointer that is not
    /// a live ring is refused instead of being used.
    #[test]
    fn a_pointer_that_is_not_a_ring_is_refused() {
        let mut not_a_ring = [0u64; 32];
        let p = not_a_ring.as_mut_ptr().cast::<lws_ring>();
        let byte = 7u8;
        // SAFETY: `p` points at readable memory that is not a ring.
        let inserted = unsafe { lws_ring_insert(p, ptr::addr_of!(byte).cast(), 1) };
        assert_eq!(inserted, 0);
        // SAFETY: as above.
        assert_eq!(unsafe { lws_ring_get_count_free_elements(p) }, 0);
        // SAFETY: as above; refused, so nothing is freed.
        unsafe { lws_ring_destroy(p) };
        assert!(not_a_ring.iter().all(|w| *w == 0));

        // SAFETY: a fresh ring of 4 one-byte elements, no destroy hook.
        let ring = unsafe { lws_ring_create(1, 4, None) };
        assert!(!ring.is_null());
        // SAFETY: a live ring.
        assert_eq!(unsafe { lws_ring_get_count_free_elements(ring) }, 3);
        // SAFETY: as above; destroyed once.
        unsafe { lws_ring_destroy(ring) };
    }
}
