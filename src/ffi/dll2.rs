//! lws-dll2.h: the intrusive doubly-linked list C programs embed in their own
//! structs. The library also uses it for the state notifier list, whose links
//! are the user's memory.

use super::guard;
use std::ffi::{c_int, c_void};
use std::ptr;

use super::types::{lws_dll2, lws_dll2_foreach_cb_t, lws_dll2_owner, lws_dll2_owner_t, lws_dll2_t};

/// Whether `d` is on no list.
///
/// # Safety
/// `d` is a valid node.
pub unsafe fn is_detached(d: *const lws_dll2) -> bool {
    // SAFETY: valid node by contract.
    let n = unsafe { &*d };
    n.owner.is_null() && n.next.is_null() && n.prev.is_null()
}

/// # Safety
/// `d` is a valid detached node, `owner` a valid list.
#[expect(
    clippy::multiple_unsafe_ops_per_block,
    reason = "one list splice: the pointer updates only make sense together"
)]
pub unsafe fn add_head(d: *mut lws_dll2, owner: *mut lws_dll2_owner) {
    if owner.is_null() {
        return;
    }
    // SAFETY: valid node and owner by contract; the list's nodes are valid.
    unsafe {
        insert_between(d, owner, ptr::null_mut(), (*owner).head);
    }
}

/// Links `d` between `prev` and `next` (either may be NULL: list end).
///
/// # Safety
/// All pointers valid; `prev`/`next` adjacent in `owner`.
#[expect(
    clippy::multiple_unsafe_ops_per_block,
    reason = "one list splice: the pointer updates only make sense together"
)]
unsafe fn insert_between(
    d: *mut lws_dll2,
    owner: *mut lws_dll2_owner,
    prev: *mut lws_dll2,
    next: *mut lws_dll2,
) {
    // SAFETY: valid detached node by contract.
    if d.is_null() || owner.is_null() || !unsafe { is_detached(d) } {
        return;
    }
    // SAFETY: the caller guarantees every pointer here is a valid node or owner.
    unsafe {
        (*d).prev = prev;
        (*d).next = next;
        (*d).owner = owner;
        if prev.is_null() {
            (*owner).head = d;
        } else {
            (*prev).next = d;
        }
        if next.is_null() {
            (*owner).tail = d;
        } else {
            (*next).prev = d;
        }
        (*owner).count += 1;
    }
}

/// # Safety
/// `d` is a valid node.
#[expect(
    clippy::multiple_unsafe_ops_per_block,
    reason = "one list splice: the pointer updates only make sense together"
)]
pub unsafe fn remove(d: *mut lws_dll2) {
    // SAFETY: valid node by contract.
    if d.is_null() || unsafe { (*d).owner }.is_null() {
        return;
    }
    // SAFETY: an attached node's neighbours and owner are valid.
    unsafe {
        let owner = (*d).owner;
        if !(*d).next.is_null() {
            (*(*d).next).prev = (*d).prev;
        }
        if !(*d).prev.is_null() {
            (*(*d).prev).next = (*d).next;
        }
        if (*owner).tail == d {
            (*owner).tail = (*d).prev;
        }
        if (*owner).head == d {
            (*owner).head = (*d).next;
        }
        (*owner).count = (*owner).count.saturating_sub(1);
        (*d).prev = ptr::null_mut();
        (*d).next = ptr::null_mut();
        (*d).owner = ptr::null_mut();
    }
}

/// # Safety
/// `d` is a valid detached node, `owner` a valid list.
#[no_mangle]
pub unsafe extern "C" fn lws_dll2_add_head(d: *mut lws_dll2, owner: *mut lws_dll2_owner) {
    guard("lws_dll2_add_head", (), || {
        if d.is_null() || owner.is_null() {
            return Err(crate::core::Error::Refused("d or owner is NULL"));
        }
        // SAFETY: forwarded contract (both non-NULL).
        unsafe { add_head(d, owner) };
        Ok(())
    })
}

/// # Safety
/// `d` is a valid detached node, `owner` a valid list.
#[expect(
    clippy::multiple_unsafe_ops_per_block,
    reason = "one list splice: the pointer updates only make sense together"
)]
#[no_mangle]
pub unsafe extern "C" fn lws_dll2_add_tail(d: *mut lws_dll2, owner: *mut lws_dll2_owner) {
    guard("lws_dll2_add_tail", (), || {
        if owner.is_null() {
            return Ok(());
        }
        // SAFETY: forwarded contract; the tail is the last node.
        unsafe { insert_between(d, owner, (*owner).tail, ptr::null_mut()) };
        Ok(())
    })
}

/// Inserts `d` before the first node that `compare(d, node)` puts after it, so
/// equal nodes keep their insertion order.
///
/// # Safety
/// `d` is a valid detached node, `own` a valid list, `compare` callable.
#[expect(
    clippy::multiple_unsafe_ops_per_block,
    reason = "one list splice: the pointer updates only make sense together"
)]
#[no_mangle]
pub unsafe extern "C" fn lws_dll2_add_sorted(
    d: *mut lws_dll2_t,
    own: *mut lws_dll2_owner_t,
    compare: Option<unsafe extern "C" fn(d: *const lws_dll2_t, i: *const lws_dll2_t) -> c_int>,
) {
    guard("lws_dll2_add_sorted", (), || {
        let Some(compare) = compare else {
            // SAFETY: forwarded contract.
            unsafe { lws_dll2_add_tail(d, own) };
            return Ok(());
        };
        if own.is_null() {
            return Ok(());
        }
        // SAFETY: valid list by contract.
        let mut i = unsafe { (*own).head };
        while !i.is_null() {
            // SAFETY: the user's comparator on two valid nodes.
            if unsafe { super::callout::dll2_compare(compare, d, i) } < 0 {
                // SAFETY: `i` is on the list; its prev is its neighbour.
                unsafe { insert_between(d, own, (*i).prev, i) };
                return Ok(());
            }
            // SAFETY: valid node.
            i = unsafe { (*i).next };
        }
        // SAFETY: forwarded contract.
        unsafe { lws_dll2_add_tail(d, own) };
        Ok(())
    })
}

/// # Safety
/// `d` is a valid node.
#[no_mangle]
pub unsafe extern "C" fn lws_dll2_remove(d: *mut lws_dll2) {
    guard("lws_dll2_remove", (), || {
        // SAFETY: forwarded contract.
        unsafe { remove(d) };
        Ok(())
    })
}

/// # Safety
/// `d` is a valid node.
#[expect(
    clippy::multiple_unsafe_ops_per_block,
    reason = "one list splice: the pointer updates only make sense together"
)]
#[no_mangle]
pub unsafe extern "C" fn lws_dll2_clear(d: *mut lws_dll2) {
    guard("lws_dll2_clear", (), || {
        if d.is_null() {
            return Ok(());
        }
        // SAFETY: valid node by contract.
        unsafe {
            (*d).prev = ptr::null_mut();
            (*d).next = ptr::null_mut();
            (*d).owner = ptr::null_mut();
        };
        Ok(())
    })
}

/// # Safety
/// `d` is a valid owner.
#[expect(
    clippy::multiple_unsafe_ops_per_block,
    reason = "one list splice: the pointer updates only make sense together"
)]
#[no_mangle]
pub unsafe extern "C" fn lws_dll2_owner_clear(d: *mut lws_dll2_owner) {
    guard("lws_dll2_owner_clear", (), || {
        if d.is_null() {
            return Ok(());
        }
        // SAFETY: valid owner by contract.
        unsafe {
            (*d).head = ptr::null_mut();
            (*d).tail = ptr::null_mut();
            (*d).count = 0;
        };
        Ok(())
    })
}

/// # Safety
/// `d` is a valid node.
#[expect(
    clippy::multiple_unsafe_ops_per_block,
    reason = "one list splice: the pointer updates only make sense together"
)]
#[no_mangle]
pub unsafe extern "C" fn lws_dll2_is_detached(d: *const lws_dll2) -> c_int {
    guard("lws_dll2_is_detached", 1, || {
        if d.is_null() {
            return Ok(1);
        }
        // SAFETY: valid node; a node with an owner is attached even without
        // neighbours (an armed sul).
        Ok(c_int::from(unsafe {
            (*d).owner.is_null() && is_detached(d)
        }))
    })
}

/// Calls `cb` on each node from head to tail; the callback may remove the node
/// it is given. Stops and returns 1 when `cb` returns non-zero.
///
/// # Safety
/// `owner` is a valid list; `cb` callable.
#[no_mangle]
pub unsafe extern "C" fn lws_dll2_foreach_safe(
    owner: *mut lws_dll2_owner,
    user: *mut c_void,
    cb: lws_dll2_foreach_cb_t,
) -> c_int {
    guard("lws_dll2_foreach_safe", 0, || {
        let Some(cb) = cb else {
            return Ok(0);
        };
        if owner.is_null() {
            return Ok(0);
        }
        // SAFETY: valid list by contract.
        let mut p = unsafe { (*owner).head };
        while !p.is_null() {
            // SAFETY: read the successor before the callback may unlink `p`.
            let next = unsafe { (*p).next };
            // SAFETY: the user's callback on a valid node.
            if unsafe { super::callout::dll2_foreach_callback(cb, p, user) } != 0 {
                return Ok(1);
            }
            p = next;
        }
        Ok(0)
    })
}

/// Inserts the detached node `d` just before `after`, on `after`'s list.
///
/// # Safety
/// `d` is a valid detached node; `after` a valid node on a list.
#[no_mangle]
pub unsafe extern "C" fn lws_dll2_add_before(d: *mut lws_dll2, after: *mut lws_dll2) {
    guard("lws_dll2_add_before", (), || {
        'body: {
            if after.is_null() {
                crate::lwsl!(crate::log::level::ERR, "lws_dll2_add_before: after is NULL");
                break 'body;
            }
            // SAFETY: valid node by contract.
            let node = unsafe { &*after };
            let (owner, prev) = (node.owner, node.prev);
            // SAFETY: `prev` and `after` are adjacent on `owner` (a NULL owner is refused
            // by insert_between).
            unsafe { insert_between(d, owner, prev, after) }
        }
        Ok(())
    })
}

/// As `lws_dll2_add_sorted()`, with `priv` passed to every `compare` call.
///
/// # Safety
/// `d` is a valid detached node, `own` a valid list, `compare` callable.
#[no_mangle]
pub unsafe extern "C" fn lws_dll2_add_sorted_priv(
    d: *mut lws_dll2_t,
    own: *mut lws_dll2_owner_t,
    priv_: *mut c_void,
    compare: Option<
        unsafe extern "C" fn(
            priv_: *mut c_void,
            d: *const lws_dll2_t,
            i: *const lws_dll2_t,
        ) -> c_int,
    >,
) {
    guard("lws_dll2_add_sorted_priv", (), || {
        'body: {
            let Some(compare) = compare else {
                // SAFETY: forwarded contract.
                break 'body unsafe { lws_dll2_add_tail(d, own) };
            };
            if own.is_null() {
                break 'body;
            }
            // SAFETY: valid list by contract.
            let mut i = unsafe { (*own).head };
            while !i.is_null() {
                // SAFETY: the user's comparator on two valid nodes.
                if unsafe { super::callout::dll2_compare_priv(compare, priv_, d, i) } < 0 {
                    // SAFETY: `i` is on the list.
                    let prev = unsafe { (*i).prev };
                    // SAFETY: `prev` and `i` are adjacent on `own`.
                    break 'body unsafe { insert_between(d, own, prev, i) };
                }
                // SAFETY: valid node.
                i = unsafe { (*i).next };
            }
            // SAFETY: forwarded contract.
            unsafe { lws_dll2_add_tail(d, own) }
        }
        Ok(())
    })
}

/// The object (the node's address minus `dll2_ofs`) on `own` whose `const char *`
/// member at `ptr_ofs` is exactly the `namelen` bytes of `name`, or NULL. This is
/// what lws's `lws_dll2_search_sz_pl()` macro expands to.
///
/// # Safety
/// `own` is a valid list of objects of that shape; `name` valid for `namelen`.
#[no_mangle]
pub unsafe extern "C" fn _lws_dll2_search_sz_pl(
    own: *mut lws_dll2_owner_t,
    name: *const std::ffi::c_char,
    namelen: usize,
    dll2_ofs: usize,
    ptr_ofs: usize,
) -> *mut c_void {
    guard("_lws_dll2_search_sz_pl", std::ptr::null_mut(), || {
        Ok('body: {
            if own.is_null() || name.is_null() {
                break 'body ptr::null_mut();
            }
            // SAFETY: valid for `namelen` bytes by contract.
            let want = unsafe { std::slice::from_raw_parts(name.cast::<u8>(), namelen) };
            // SAFETY: valid list by contract.
            let mut p = unsafe { (*own).head };
            while !p.is_null() {
                let obj = p.cast::<u8>().wrapping_sub(dll2_ofs);
                let at = obj.wrapping_add(ptr_ofs).cast::<*const std::ffi::c_char>();
                // SAFETY: each listed object holds a `const char *` at `ptr_ofs`.
                let s = unsafe { at.read_unaligned() };
                // SAFETY: a non-NULL member is a NUL-terminated string.
                if !s.is_null() && unsafe { std::ffi::CStr::from_ptr(s) }.to_bytes() == want {
                    break 'body obj.cast();
                }
                // SAFETY: valid node.
                p = unsafe { (*p).next };
            }
            ptr::null_mut()
        })
    })
}
