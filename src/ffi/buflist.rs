//! lws-buflist.h: `struct lws_buflist *` is a boxed [`Buflist`] with a magic
//! word (opaque to C). As in lws an empty list is a NULL head: the box is
//! freed and `*head` set to NULL when the last segment is used up.

use std::ffi::{c_char, c_int};
use std::ptr;

use super::guard;
use super::types::lws_buflist;
use crate::buflist::{Buflist, PRE};
use crate::core::Error;
use crate::log::level;
use crate::lwsl;

const MAGIC: u64 = 0x6c77_7362_7566_6c31; // "lwsbufl1"

struct BuflistHandle {
    magic: u64,
    list: Buflist,
}

/// The list `*head` points at (None: empty).
///
/// # Safety
/// `head` is NULL or valid; `*head` is NULL or a list made here.
unsafe fn list_at<'a>(head: *mut *mut lws_buflist) -> Result<Option<&'a mut BuflistHandle>, Error> {
    if head.is_null() {
        return Err(super::null("head is NULL"));
    }
    // SAFETY: valid pointer by contract.
    let h = unsafe { *head }.cast::<BuflistHandle>();
    if h.is_null() {
        return Ok(None);
    }
    // SAFETY: a non-NULL head was made by `lws_buflist_append_segment`; the
    // magic word is checked before anything else is used.
    let b = unsafe { &mut *h };
    if b.magic != MAGIC {
        return Err(Error::Refused("not a buflist"));
    }
    Ok(Some(b))
}

/// Frees the list and NULLs `*head` once it is empty.
///
/// # Safety
/// `head` is valid and `*head` a list made here.
unsafe fn settle(head: *mut *mut lws_buflist) {
    // SAFETY: by contract.
    let h = unsafe { *head }.cast::<BuflistHandle>();
    // SAFETY: live list made here.
    if !h.is_null() && unsafe { (*h).list.is_empty() } {
        // SAFETY: made by Box::into_raw in `lws_buflist_append_segment`.
        let mut b = unsafe { Box::from_raw(h) };
        b.magic = 0;
        drop(b);
        // SAFETY: valid by contract.
        unsafe { *head = ptr::null_mut() };
    }
}

/// Appends a copy of `len` bytes at `buf` as a new segment. Returns 1 when it
/// is the list's first segment, 0 when appended behind others, -1 on error
/// (NULL or empty buffer, or the 1023-segment sanity limit).
///
/// # Safety
/// `head` valid; `*head` NULL or a buflist; `buf` valid for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_buflist_append_segment(
    head: *mut *mut lws_buflist,
    buf: *const u8,
    len: usize,
) -> c_int {
    guard("lws_buflist_append_segment", -1, || {
        if buf.is_null() || len == 0 {
            return Err(Error::Refused("buf is NULL or len is 0"));
        }
        // SAFETY: valid by contract.
        let data = unsafe { std::slice::from_raw_parts(buf, len) };
        // SAFETY: forwarded contract.
        let first = match unsafe { list_at(head) }? {
            Some(b) => b.list.append(data),
            None => {
                let mut list = Buflist::default();
                let r = list.append(data);
                let b = Box::new(BuflistHandle { magic: MAGIC, list });
                // SAFETY: `head` checked non-NULL by `list_at`.
                unsafe { *head = Box::into_raw(b).cast() };
                r
            }
        };
        match first {
            Ok(f) => Ok(c_int::from(f)),
            Err(e) => {
                lwsl!(level::ERR, "lws_buflist_append_segment: {e}");
                Ok(-1)
            }
        }
    })
}

/// Frees every segment and sets `*head` to NULL.
///
/// # Safety
/// As `lws_buflist_append_segment`.
#[no_mangle]
pub unsafe extern "C" fn lws_buflist_destroy_all_segments(head: *mut *mut lws_buflist) {
    guard("lws_buflist_destroy_all_segments", (), || {
        // SAFETY: forwarded contract.
        if let Some(b) = unsafe { list_at(head) }? {
            b.list = Buflist::default();
            // SAFETY: forwarded contract.
            unsafe { settle(head) };
        }
        Ok(())
    })
}

/// The unused length of the head segment (0 when empty); `*buf` (if `buf` is
/// not NULL) is set to its first unused byte, with `LWS_PRE` bytes of
/// headroom before it, or NULL.
///
/// # Safety
/// As `lws_buflist_append_segment`; `buf` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn lws_buflist_next_segment_len(
    head: *mut *mut lws_buflist,
    buf: *mut *mut u8,
) -> usize {
    guard("lws_buflist_next_segment_len", 0, || {
        if !buf.is_null() {
            // SAFETY: valid by contract.
            unsafe { *buf = ptr::null_mut() };
        }
        // SAFETY: forwarded contract.
        let Some(b) = (unsafe { list_at(head) })? else {
            return Ok(0);
        };
        let Some(room) = b.list.next_segment() else {
            return Ok(0);
        };
        let n = room.len() - PRE;
        if !buf.is_null() {
            // `room` has PRE bytes of headroom and then the data.
            let p = room.as_mut_ptr().wrapping_add(PRE);
            // SAFETY: valid by contract.
            unsafe { *buf = p };
        }
        Ok(n)
    })
}

/// Marks `len` bytes of the head segment used; returns what is left of the head
/// segment afterwards (the next one's length once it is used up; 0 when the
/// list emptied). Using more than is left is refused (lws asserts) and changes
/// nothing.
///
/// # Safety
/// As `lws_buflist_append_segment`.
#[no_mangle]
pub unsafe extern "C" fn lws_buflist_use_segment(head: *mut *mut lws_buflist, len: usize) -> usize {
    guard("lws_buflist_use_segment", 0, || {
        // SAFETY: forwarded contract.
        let Some(b) = (unsafe { list_at(head) })? else {
            return Err(Error::Refused("the buflist is empty"));
        };
        if len == 0 {
            return Err(Error::Refused("len is 0"));
        }
        match b.list.use_segment(len) {
            Ok(left) => {
                // SAFETY: forwarded contract.
                unsafe { settle(head) };
                Ok(left)
            }
            Err(e) => {
                lwsl!(level::ERR, "lws_buflist_use_segment: {e}");
                Ok(b.list.head_left())
            }
        }
    })
}

/// Total length of all segments (used parts included, as in lws).
///
/// # Safety
/// As `lws_buflist_append_segment`.
#[no_mangle]
pub unsafe extern "C" fn lws_buflist_total_len(head: *mut *mut lws_buflist) -> usize {
    guard("lws_buflist_total_len", 0, || {
        // SAFETY: forwarded contract.
        Ok(unsafe { list_at(head) }?.map_or(0, |b| b.list.total_len()))
    })
}

/// Copies up to `len` bytes from offset `ofs` of the segments (each from its
/// start, used parts included) to `buf`, using nothing; returns the count.
///
/// # Safety
/// As `lws_buflist_append_segment`; `buf` valid for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_buflist_linear_copy(
    head: *mut *mut lws_buflist,
    ofs: usize,
    buf: *mut u8,
    len: usize,
) -> c_int {
    guard("lws_buflist_linear_copy", -1, || {
        // SAFETY: forwarded contract.
        let Some(b) = (unsafe { list_at(head) })? else {
            return Ok(0);
        };
        if buf.is_null() && len != 0 {
            return Err(super::null("buf is NULL"));
        }
        let out = if len == 0 {
            &mut [][..]
        } else {
            // SAFETY: valid for `len` bytes by contract.
            unsafe { std::slice::from_raw_parts_mut(buf, len) }
        };
        Ok(c_int::try_from(b.list.linear_copy(ofs, out)).unwrap_or(c_int::MAX))
    })
}

/// Copies up to `len` unused bytes across segments to `buf` and uses them;
/// returns the count.
///
/// # Safety
/// As `lws_buflist_linear_copy`.
#[no_mangle]
pub unsafe extern "C" fn lws_buflist_linear_use(
    head: *mut *mut lws_buflist,
    buf: *mut u8,
    len: usize,
) -> c_int {
    guard("lws_buflist_linear_use", -1, || {
        // SAFETY: forwarded contract.
        let Some(b) = (unsafe { list_at(head) })? else {
            return Ok(0);
        };
        if buf.is_null() && len != 0 {
            return Err(super::null("buf is NULL"));
        }
        let out = if len == 0 {
            &mut [][..]
        } else {
            // SAFETY: valid for `len` bytes by contract.
            unsafe { std::slice::from_raw_parts_mut(buf, len) }
        };
        let n = b.list.linear_use(out);
        // SAFETY: forwarded contract.
        unsafe { settle(head) };
        Ok(c_int::try_from(n).unwrap_or(c_int::MAX))
    })
}

/// Copies up to `len` unused bytes of the head segment only to `buf` and uses
/// them; `*frag_first` / `*frag_fin` (when not NULL) say whether the copy
/// started at the segment's start / reached its end. Returns the count.
///
/// # Safety
/// As `lws_buflist_linear_copy`; `frag_first`, `frag_fin` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn lws_buflist_fragment_use(
    head: *mut *mut lws_buflist,
    buf: *mut u8,
    len: usize,
    frag_first: *mut c_char,
    frag_fin: *mut c_char,
) -> c_int {
    guard("lws_buflist_fragment_use", -1, || {
        // SAFETY: forwarded contract.
        let Some(b) = (unsafe { list_at(head) })? else {
            return Ok(0);
        };
        if buf.is_null() && len != 0 {
            return Err(super::null("buf is NULL"));
        }
        let out = if len == 0 {
            &mut [][..]
        } else {
            // SAFETY: valid for `len` bytes by contract.
            unsafe { std::slice::from_raw_parts_mut(buf, len) }
        };
        let Some(f) = b.list.fragment_use(out) else {
            return Ok(0);
        };
        if !frag_first.is_null() {
            // SAFETY: valid by contract.
            unsafe { *frag_first = c_char::from(f.first) };
        }
        if !frag_fin.is_null() {
            // SAFETY: valid by contract.
            unsafe { *frag_fin = c_char::from(f.fin) };
        }
        // SAFETY: forwarded contract.
        unsafe { settle(head) };
        Ok(c_int::try_from(f.copied).unwrap_or(c_int::MAX))
    })
}
