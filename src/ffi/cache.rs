//! lws-cache-ttl.h: `struct lws_cache_ttl_lru *` is a boxed [`CacheHandle`]
//! (opaque to C) holding one level's store (`crate::cache::Store`), its
//! links to the levels before and behind it, and the sul that runs its expiry
//! pass on the context's event loop. The chain functions collect the levels
//! as one slice, L1 first, and call `crate::cache`; the two ops tables
//! `lws_cache_ops_heap` and `lws_cache_ops_nscookiejar` are the same stores'
//! single-level operations, for C code that calls a table directly.

use std::ffi::{c_char, c_int, c_void, CStr};
use std::mem::{offset_of, size_of};
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;
use std::ptr;

use super::callout;
use super::dll2::lws_dll2_add_tail;
use super::guard;
use super::timeout::{lws_sul_cancel, lws_sul_schedule};
use super::types::{
    lws_cache_creation_info, lws_cache_match_t, lws_cache_ops, lws_cache_results_t,
    lws_cache_ttl_lru, lws_context, lws_dll2, lws_dll2_owner, lws_dll2_owner_t,
    lws_sorted_usec_list_t, lws_usec_t,
};
use crate::cache::{self, heap, Failed, Jar, Store, MAX_LEVELS};
use crate::core::timers::now_us;
use crate::core::Error;
use crate::log::level;
use crate::lwsl;

const MAGIC: u64 = 0x6c77_7363_6163_6865; // "lwscache"

/// Which of our stores a level is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Heap,
    Jar,
}

struct CacheHandle {
    magic: u64,
    name: String,
    cx: *mut lws_context,
    tsi: c_int,
    destroy_cb: Option<unsafe extern "C" fn(*mut c_void, usize)>,
    parent: *mut CacheHandle,
    child: *mut CacheHandle,
    sul: lws_sorted_usec_list_t,
    store: Store,
}

fn now() -> i64 {
    now_us() as i64
}

/// # Safety
/// `c` is NULL or a cache made here.
unsafe fn handle<'a>(c: *mut lws_cache_ttl_lru) -> Result<&'a mut CacheHandle, Error> {
    if c.is_null() {
        return Err(super::null("cache is NULL"));
    }
    // SAFETY: a cache made here by contract; the magic is checked first.
    let h = unsafe { &mut *c.cast::<CacheHandle>() };
    if h.magic != MAGIC {
        return Err(Error::Refused("not a cache"));
    }
    Ok(h)
}

/// The chain `c` is part of, L1 first, and `c`'s index in it.
///
/// # Safety
/// `c` is a live cache; its links point at live caches.
unsafe fn chain(c: *mut CacheHandle) -> (Vec<*mut CacheHandle>, usize) {
    let mut bottom = c;
    for _ in 0..MAX_LEVELS {
        // SAFETY: live links by contract.
        let child = unsafe { (*bottom).child };
        if child.is_null() {
            break;
        }
        bottom = child;
    }
    let mut levels = vec![bottom];
    while levels.len() < MAX_LEVELS {
        // SAFETY: as above.
        let parent = unsafe { (**levels.last().unwrap_or(&bottom)).parent };
        if parent.is_null() || levels.contains(&parent) {
            break;
        }
        levels.push(parent);
    }
    let at = levels.iter().position(|&l| l == c).unwrap_or(0);
    if levels[at] != c {
        // `c` is further out than MAX_LEVELS from its L1: work on it alone.
        return (vec![c], 0);
    }
    (levels, at)
}

/// Runs `op` over the chain of `c`, then shows destroyed items to their
/// level's destroy callback and re-arms every level's expiry sul.
///
/// # Safety
/// `c` is a live cache with live links.
unsafe fn with_chain<R>(c: *mut CacheHandle, op: impl FnOnce(&mut [&mut Store], usize) -> R) -> R {
    // SAFETY: forwarded contract.
    let (hs, at) = unsafe { chain(c) };
    let r = {
        // SAFETY: distinct live handles (`chain` never repeats one), so the
        // stores do not alias.
        let mut stores: Vec<&mut Store> = hs.iter().map(|&h| unsafe { &mut (*h).store }).collect();
        op(&mut stores, at)
    };
    for &h in &hs {
        // SAFETY: live handle; no borrow of its store is held any more.
        unsafe { settle(h) };
    }
    r
}

/// Delivers the level's destroyed payloads to its destroy callback and
/// re-arms (or cancels) its expiry sul.
///
/// # Safety
/// `h` is a live cache.
unsafe fn settle(h: *mut CacheHandle) {
    // SAFETY: live by contract.
    let hr = unsafe { &mut *h };
    if let Store::Heap(heap) = &mut hr.store {
        let gone = heap.take_destroyed();
        if let Some(cb) = hr.destroy_cb {
            for mut p in gone {
                let n = p.len() - 1;
                // SAFETY: the user's hook, on the payload's bytes for the call.
                unsafe { callout::cache_item_destroy(cb, p.as_mut_ptr().cast(), n) };
            }
        }
    }
    // SAFETY: the destroy hook must not destroy the cache (lws's contract).
    let hr = unsafe { &mut *h };
    match hr.store.next_expiry() {
        Some(e) => {
            let delay = (e - now()).max(0);
            // SAFETY: the sul lives in the boxed handle until it is destroyed,
            // which cancels it first.
            unsafe { lws_sul_schedule(hr.cx, hr.tsi, &mut hr.sul, Some(expiry_cb), delay) };
        }
        // SAFETY: as above.
        None => unsafe { lws_sul_cancel(&mut hr.sul) },
    }
}

/// The sul callback: the level's expiry pass.
///
/// # Safety
/// Called by the timer store with the sul of a live cache.
unsafe extern "C" fn expiry_cb(sul: *mut lws_sorted_usec_list_t) {
    guard("lws_cache expiry", (), || {
        let h = sul
            .cast::<u8>()
            .wrapping_sub(offset_of!(CacheHandle, sul))
            .cast::<CacheHandle>();
        // SAFETY: the sul is embedded in a live handle (destroy cancels it).
        let hr = unsafe { handle(h.cast()) }?;
        hr.store.expire(now());
        // SAFETY: live handle.
        unsafe { settle(h) };
        Ok(())
    })
}

/// # Safety
/// `s` NULL or a valid C string.
unsafe fn key<'a>(s: *const c_char, what: &'static str) -> Result<&'a [u8], Error> {
    if s.is_null() {
        return Err(super::null(what));
    }
    // SAFETY: valid C string by contract.
    Ok(unsafe { CStr::from_ptr(s) }.to_bytes())
}

fn kind_of(ops: *const lws_cache_ops) -> Option<Kind> {
    if ops.is_null() || ptr::eq(ops, &lws_cache_ops_heap) {
        Some(Kind::Heap)
    } else if ptr::eq(ops, &lws_cache_ops_nscookiejar) {
        Some(Kind::Jar)
    } else {
        None
    }
}

/// # Safety
/// `info` valid; its strings and parent valid.
unsafe fn create(
    info: *const lws_cache_creation_info,
    kind: Kind,
) -> Result<*mut lws_cache_ttl_lru, Error> {
    // SAFETY: valid by contract.
    let i = unsafe { &*info };
    if i.cx.is_null() {
        return Err(super::null("info->cx is NULL"));
    }
    // SAFETY: forwarded contract.
    let name = String::from_utf8_lossy(unsafe { key(i.name, "info->name is NULL") }?).into_owned();
    let parent = if i.parent.is_null() {
        ptr::null_mut()
    } else {
        // SAFETY: a cache by contract.
        let p = unsafe { handle(i.parent) }?;
        p as *mut CacheHandle
    };
    let store = match kind {
        Kind::Heap => Store::Heap(heap::Heap::new(heap::Limits {
            max_footprint: i.max_footprint,
            max_items: i.max_items,
        })),
        Kind::Jar => {
            // SAFETY: reading the union member the jar is configured by.
            let fp = unsafe { i.u.nscookiejar.filepath };
            // SAFETY: forwarded contract.
            let path = unsafe { key(fp, "info->u.nscookiejar.filepath is NULL") }?;
            Store::Jar(Jar::new(PathBuf::from(std::ffi::OsStr::from_bytes(path))))
        }
    };
    let h = Box::into_raw(Box::new(CacheHandle {
        magic: MAGIC,
        name,
        cx: i.cx,
        tsi: i.tsi,
        destroy_cb: i.cb,
        parent,
        child: ptr::null_mut(),
        // SAFETY: an all-zero sul is lws's detached, unscheduled state.
        sul: unsafe { std::mem::zeroed() },
        store,
    }));
    if !parent.is_null() && kind == Kind::Heap {
        // SAFETY: live parent checked above.
        unsafe { (*parent).child = h };
    }
    // SAFETY: fresh live handle.
    let hr = unsafe { &mut *h };
    if let Store::Jar(j) = &mut hr.store {
        // lws cleans the file (and finds its earliest expiry) at creation.
        if let Err(e) = j.regen(now(), None, None) {
            lwsl!(level::WARN, "lws_cache_create: {}: {e}", hr.name);
        }
        lwsl!(
            level::NOTICE,
            "lws_cache_nscookiejar_create: create {}",
            hr.name
        );
    }
    // SAFETY: live handle.
    unsafe { settle(h) };
    Ok(h.cast())
}

/// Makes a cache level as `info` says: `info->ops` is `&lws_cache_ops_heap`
/// (or NULL) or `&lws_cache_ops_nscookiejar`; `info->parent` the level behind
/// it. NULL when refused.
///
/// # Safety
/// `info` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn lws_cache_create(
    info: *const lws_cache_creation_info,
) -> *mut lws_cache_ttl_lru {
    guard("lws_cache_create", ptr::null_mut(), || {
        if info.is_null() {
            return Err(super::null("info is NULL"));
        }
        // SAFETY: valid by contract.
        let ops = unsafe { (*info).ops };
        let Some(kind) = kind_of(ops) else {
            return Err(Error::Refused("info->ops is not one of lws's cache ops"));
        };
        // SAFETY: forwarded contract.
        unsafe { create(info, kind) }
    })
}

/// # Safety
/// `pc` valid; `*pc` NULL or a cache.
unsafe fn destroy(pc: *mut *mut lws_cache_ttl_lru) -> Result<(), Error> {
    // SAFETY: valid by contract.
    let c = unsafe { *pc };
    if c.is_null() {
        return Ok(());
    }
    // SAFETY: forwarded contract.
    let h = unsafe { handle(c) }? as *mut CacheHandle;
    // SAFETY: live handle.
    let hr = unsafe { &mut *h };
    // SAFETY: the handle's own sul.
    unsafe { lws_sul_cancel(&mut hr.sul) };
    // Unlink from the neighbours so neither keeps a dangling pointer.
    if !hr.child.is_null() {
        // SAFETY: live link.
        unsafe { (*hr.child).parent = ptr::null_mut() };
    }
    // SAFETY: live link, checked before use.
    if !hr.parent.is_null() && unsafe { (*hr.parent).child } == h {
        // SAFETY: as above.
        unsafe { (*hr.parent).child = ptr::null_mut() };
    }
    if let Store::Heap(heap) = &mut hr.store {
        heap.expunge();
    }
    hr.magic = 0;
    // SAFETY: made by Box::into_raw in `create`; unlinked and disarmed.
    let mut b = unsafe { Box::from_raw(h) };
    if let (Store::Heap(heap), Some(cb)) = (&mut b.store, b.destroy_cb) {
        for mut p in heap.take_destroyed() {
            let n = p.len() - 1;
            // SAFETY: the user's hook, on the payload's bytes for the call.
            unsafe { callout::cache_item_destroy(cb, p.as_mut_ptr().cast(), n) };
        }
    }
    drop(b);
    // SAFETY: valid by contract.
    unsafe { *pc = ptr::null_mut() };
    Ok(())
}

/// Destroys the level (not its backing file) and sets `*cache` to NULL.
///
/// # Safety
/// `cache` NULL or valid; `*cache` NULL or a cache.
#[no_mangle]
pub unsafe extern "C" fn lws_cache_destroy(cache: *mut *mut lws_cache_ttl_lru) {
    guard("lws_cache_destroy", (), || {
        if cache.is_null() {
            return Err(super::null("cache is NULL"));
        }
        // SAFETY: forwarded contract.
        unsafe { destroy(cache) }
    })
}

fn status(r: Result<(), Failed>, api: &str) -> c_int {
    match r {
        Ok(()) => 0,
        Err(e) => {
            lwsl!(level::DEBUG, "{api}: {e}");
            1
        }
    }
}

/// Writes `size` bytes from `source` (or, with `source` NULL, room for them:
/// `*ppay` says where) under `specific_key` through every level from the
/// outermost in, with `expiry` (0: never; else µs on the `lws_now_usecs`
/// clock). `*ppay` (if not NULL) gets the payload's place in this level, valid
/// until the next cache call. 0 on success, 1 on failure.
///
/// # Safety
/// `cache` a cache; `specific_key` a C string; `source` NULL or valid for
/// `size` bytes; `ppay` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn lws_cache_write_through(
    cache: *mut lws_cache_ttl_lru,
    specific_key: *const c_char,
    source: *const u8,
    size: usize,
    expiry: lws_usec_t,
    ppay: *mut *mut c_void,
) -> c_int {
    guard("lws_cache_write_through", 1, || {
        // SAFETY: forwarded contract.
        let h = unsafe { handle(cache) }? as *mut CacheHandle;
        // SAFETY: forwarded contract.
        let k = unsafe { key(specific_key, "specific_key is NULL") }?;
        let src = if source.is_null() {
            None
        } else {
            // SAFETY: valid for `size` bytes by contract.
            Some(unsafe { std::slice::from_raw_parts(source, size) })
        };
        // SAFETY: live handle.
        let r = unsafe {
            with_chain(h, |levels, at| {
                cache::write_through(levels, at, now(), k, src, size, expiry)
                    .map(|p| p.map_or(ptr::null_mut(), |p| p.as_mut_ptr().cast::<c_void>()))
            })
        };
        match r {
            Ok(p) => {
                if !ppay.is_null() {
                    // SAFETY: valid by contract.
                    unsafe { *ppay = p };
                }
                Ok(0)
            }
            Err(e) => Ok(status(Err(e), "lws_cache_write_through")),
        }
    })
}

/// Looks `wildcard_key` up (outermost level's matching rules; cookie path
/// scoping for the cookie jar) and sets `*pdata` / `*psize` to the results
/// blob, walked with `lws_cache_results_walk`. The results are kept in this
/// level until a write or removal they would cover. 0 on success, 1 on failure.
///
/// # Safety
/// `cache` a cache; `wildcard_key` a C string; `pdata`, `psize` valid.
#[no_mangle]
pub unsafe extern "C" fn lws_cache_lookup(
    cache: *mut lws_cache_ttl_lru,
    wildcard_key: *const c_char,
    pdata: *mut *const c_void,
    psize: *mut usize,
) -> c_int {
    guard("lws_cache_lookup", 1, || {
        // SAFETY: forwarded contract.
        let h = unsafe { handle(cache) }? as *mut CacheHandle;
        // SAFETY: forwarded contract.
        let k = unsafe { key(wildcard_key, "wildcard_key is NULL") }?;
        if pdata.is_null() || psize.is_null() {
            return Err(super::null("pdata or psize is NULL"));
        }
        // SAFETY: live handle.
        let r = unsafe {
            with_chain(h, |levels, at| {
                cache::lookup(levels, at, k).map(|b| (b.as_ptr().cast::<c_void>(), b.len()))
            })
        };
        match r {
            Ok((p, n)) => {
                // SAFETY: valid by contract.
                unsafe { *pdata = p };
                // SAFETY: valid by contract.
                unsafe { *psize = n };
                Ok(0)
            }
            Err(e) => Ok(status(Err(e), "lws_cache_lookup")),
        }
    })
}

/// Finds `specific_key` in this level or one behind it (a hit in the cookie
/// jar is copied into L1) and sets `*pdata` / `*psize` to the payload, valid
/// until the next cache call. 0 on a hit, 1 otherwise.
///
/// # Safety
/// `cache` a cache; `specific_key` a C string; `pdata`, `psize` valid.
#[no_mangle]
pub unsafe extern "C" fn lws_cache_item_get(
    cache: *mut lws_cache_ttl_lru,
    specific_key: *const c_char,
    pdata: *mut *const c_void,
    psize: *mut usize,
) -> c_int {
    guard("lws_cache_item_get", 1, || {
        // SAFETY: forwarded contract.
        let h = unsafe { handle(cache) }? as *mut CacheHandle;
        // SAFETY: forwarded contract.
        let k = unsafe { key(specific_key, "specific_key is NULL") }?;
        if pdata.is_null() || psize.is_null() {
            return Err(super::null("pdata or psize is NULL"));
        }
        // SAFETY: live handle.
        let r = unsafe {
            with_chain(h, |levels, at| {
                cache::item_get(levels, at, k).map(|b| (b.as_ptr().cast::<c_void>(), b.len()))
            })
        };
        Ok(match r {
            Some((p, n)) => {
                // SAFETY: valid by contract.
                unsafe { *pdata = p };
                // SAFETY: valid by contract.
                unsafe { *psize = n };
                0
            }
            None => 1,
        })
    })
}

/// Removes `wildcard_key` from this level and every one behind it (the heap
/// level removes that exact key; the cookie jar every line it matches).
/// 0 on success, 1 when a level failed.
///
/// # Safety
/// `cache` a cache; `wildcard_key` a C string.
#[no_mangle]
pub unsafe extern "C" fn lws_cache_item_remove(
    cache: *mut lws_cache_ttl_lru,
    wildcard_key: *const c_char,
) -> c_int {
    guard("lws_cache_item_remove", 1, || {
        // SAFETY: forwarded contract.
        let h = unsafe { handle(cache) }? as *mut CacheHandle;
        // SAFETY: forwarded contract.
        let k = unsafe { key(wildcard_key, "wildcard_key is NULL") }?;
        // SAFETY: live handle.
        let r = unsafe { with_chain(h, |levels, at| cache::item_remove(levels, at, now(), k)) };
        Ok(status(r, "lws_cache_item_remove"))
    })
}

/// Empties this level and every one behind it (the cookie jar deletes its
/// file). 0 on success, 1 when a level failed.
///
/// # Safety
/// `cache` NULL or a cache.
#[no_mangle]
pub unsafe extern "C" fn lws_cache_expunge(cache: *mut lws_cache_ttl_lru) -> c_int {
    guard("lws_cache_expunge", 1, || {
        // SAFETY: forwarded contract.
        let h = unsafe { handle(cache) }? as *mut CacheHandle;
        // SAFETY: live handle.
        let r = unsafe { with_chain(h, cache::expunge) };
        Ok(status(r, "lws_cache_expunge"))
    })
}

/// Payload bytes this level holds.
///
/// # Safety
/// `cache` NULL or a cache.
#[no_mangle]
pub unsafe extern "C" fn lws_cache_footprint(cache: *mut lws_cache_ttl_lru) -> u64 {
    guard("lws_cache_footprint", 0, || {
        // SAFETY: forwarded contract.
        Ok(unsafe { handle(cache) }?.store.footprint())
    })
}

/// Logs the level's contents at debug level.
///
/// # Safety
/// `cache` NULL or a cache.
#[no_mangle]
pub unsafe extern "C" fn lws_cache_debug_dump(cache: *mut lws_cache_ttl_lru) {
    guard("lws_cache_debug_dump", (), || {
        // SAFETY: forwarded contract.
        let h = unsafe { handle(cache) }?;
        h.store.debug_dump(&h.name);
        Ok(())
    })
}

/// Steps `walk_ctx` (`ptr` / `size` set to a lookup's results) to the next
/// result: `payload_len`, `tag_len` and `tag` (NUL-terminated). 0 when it
/// stepped, 1 at the end.
///
/// # Safety
/// `walk_ctx` NULL or valid, its `ptr` valid for `size` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_cache_results_walk(walk_ctx: *mut lws_cache_results_t) -> c_int {
    guard("lws_cache_results_walk", 1, || {
        if walk_ctx.is_null() {
            return Err(super::null("walk_ctx is NULL"));
        }
        // SAFETY: valid by contract.
        let w = unsafe { &mut *walk_ctx };
        if w.size == 0 {
            return Ok(1);
        }
        if w.ptr.is_null() {
            return Err(super::null("walk_ctx->ptr is NULL"));
        }
        // SAFETY: valid for `size` bytes by contract.
        let blob = unsafe { std::slice::from_raw_parts(w.ptr, w.size) };
        let Some((pay, tag, step)) = cache::walk_results(blob) else {
            return Err(Error::Refused("truncated results"));
        };
        w.payload_len = pay;
        w.tag_len = tag;
        w.tag = w.ptr.wrapping_add(8);
        w.ptr = w.ptr.wrapping_add(step);
        w.size -= step;
        Ok(0)
    })
}

// The ops tables: the stores' single-level operations.

/// # Safety
/// `info` NULL or valid.
unsafe extern "C" fn op_create_heap(
    info: *const lws_cache_creation_info,
) -> *mut lws_cache_ttl_lru {
    guard("lws_cache_ops_heap.create", ptr::null_mut(), || {
        if info.is_null() {
            return Err(super::null("info is NULL"));
        }
        // SAFETY: forwarded contract.
        unsafe { create(info, Kind::Heap) }
    })
}

/// # Safety
/// `info` NULL or valid.
unsafe extern "C" fn op_create_jar(info: *const lws_cache_creation_info) -> *mut lws_cache_ttl_lru {
    guard("lws_cache_ops_nscookiejar.create", ptr::null_mut(), || {
        if info.is_null() {
            return Err(super::null("info is NULL"));
        }
        // SAFETY: forwarded contract.
        unsafe { create(info, Kind::Jar) }
    })
}

/// # Safety
/// As `lws_cache_destroy`.
unsafe extern "C" fn op_destroy(pc: *mut *mut lws_cache_ttl_lru) {
    guard("lws_cache_ops.destroy", (), || {
        if pc.is_null() {
            return Err(super::null("cache is NULL"));
        }
        // SAFETY: forwarded contract.
        unsafe { destroy(pc) }
    })
}

/// # Safety
/// `c` NULL or a cache.
unsafe extern "C" fn op_expunge(c: *mut lws_cache_ttl_lru) -> c_int {
    guard("lws_cache_ops.expunge", 1, || {
        // SAFETY: forwarded contract.
        let h = unsafe { handle(c) }? as *mut CacheHandle;
        // SAFETY: live handle.
        let r = unsafe { with_chain(h, |levels, at| cache::expunge(&mut levels[at..=at], 0)) };
        Ok(status(r, "lws_cache_ops.expunge"))
    })
}

/// # Safety
/// As `lws_cache_write_through`.
unsafe extern "C" fn op_write(
    c: *mut lws_cache_ttl_lru,
    specific_key: *const c_char,
    source: *const u8,
    size: usize,
    expiry: lws_usec_t,
    ppvoid: *mut *mut c_void,
) -> c_int {
    guard("lws_cache_ops.write", 1, || {
        // SAFETY: forwarded contract.
        let h = unsafe { handle(c) }? as *mut CacheHandle;
        // SAFETY: forwarded contract.
        let k = unsafe { key(specific_key, "specific_key is NULL") }?;
        let src = if source.is_null() {
            None
        } else {
            // SAFETY: valid for `size` bytes by contract.
            Some(unsafe { std::slice::from_raw_parts(source, size) })
        };
        // SAFETY: live handle.
        let r = unsafe {
            with_chain(h, |levels, at| {
                cache::write_level(levels, at, now(), k, src, size, expiry)
                    .map(|p| p.map_or(ptr::null_mut(), |p| p.as_mut_ptr().cast::<c_void>()))
            })
        };
        match r {
            Ok(p) => {
                if !ppvoid.is_null() {
                    // SAFETY: valid by contract.
                    unsafe { *ppvoid = p };
                }
                Ok(0)
            }
            Err(e) => Ok(status(Err(e), "lws_cache_ops.write")),
        }
    })
}

/// # Safety
/// `c` a cache; `wc`, `tag` C strings.
unsafe extern "C" fn op_tag_match(
    c: *mut lws_cache_ttl_lru,
    wc: *const c_char,
    tag: *const c_char,
    lookup_rules: c_char,
) -> c_int {
    guard("lws_cache_ops.tag_match", 1, || {
        // SAFETY: forwarded contract.
        let h = unsafe { handle(c) }?;
        // SAFETY: forwarded contract.
        let w = unsafe { key(wc, "wc is NULL") }?;
        // SAFETY: forwarded contract.
        let t = unsafe { key(tag, "tag is NULL") }?;
        Ok(c_int::from(!h.store.rules().matches(
            w,
            t,
            lookup_rules != 0,
        )))
    })
}

/// # Safety
/// `c` a cache; `wildcard_key` a C string; `owner` a valid list owner.
#[expect(
    clippy::multiple_unsafe_ops_per_block,
    reason = "filling in one freshly allocated match and listing it belong together"
)]
unsafe extern "C" fn op_lookup(
    c: *mut lws_cache_ttl_lru,
    wildcard_key: *const c_char,
    owner: *mut lws_dll2_owner_t,
) -> c_int {
    guard("lws_cache_ops.lookup", 1, || {
        // SAFETY: forwarded contract.
        let h = unsafe { handle(c) }?;
        // SAFETY: forwarded contract.
        let k = unsafe { key(wildcard_key, "wildcard_key is NULL") }?;
        if owner.is_null() {
            return Err(super::null("results_owner is NULL"));
        }
        let mut results = Vec::new();
        let r = match &h.store {
            Store::Heap(heap) => {
                heap.lookup(k, &mut results);
                Ok(())
            }
            Store::Jar(j) => j.lookup(k, &mut results),
        };
        if let Err(e) = r {
            return Ok(status(Err(e), "lws_cache_ops.lookup"));
        }
        for m in results {
            // Heap memory the caller frees with free(), as lws's results are.
            let size = size_of::<lws_cache_match_t>() + m.tag.len() + 1;
            // SAFETY: plain allocation handed to the caller.
            let p = unsafe { libc::calloc(1, size) }.cast::<lws_cache_match_t>();
            if p.is_null() {
                return Ok(1);
            }
            // SAFETY: `p` has room for the match, the tag and its NUL (zeroed).
            unsafe {
                (*p).expiry = m.expiry;
                (*p).payload_size = m.payload_size;
                (*p).tag_size = m.tag.len();
                ptr::copy_nonoverlapping(m.tag.as_ptr(), p.add(1).cast::<u8>(), m.tag.len());
                lws_dll2_add_tail(
                    ptr::addr_of_mut!((*p).list).cast::<lws_dll2>(),
                    owner.cast::<lws_dll2_owner>(),
                );
            }
        }
        Ok(0)
    })
}

/// # Safety
/// `c` a cache; `key` a C string.
unsafe extern "C" fn op_invalidate(
    c: *mut lws_cache_ttl_lru,
    wildcard_key: *const c_char,
) -> c_int {
    guard("lws_cache_ops.invalidate", 1, || {
        // SAFETY: forwarded contract.
        let h = unsafe { handle(c) }? as *mut CacheHandle;
        // SAFETY: forwarded contract.
        let k = unsafe { key(wildcard_key, "wildcard_key is NULL") }?;
        // SAFETY: live handle.
        let r = unsafe {
            with_chain(h, |levels, at| {
                cache::invalidate_level(levels, at, now(), k)
            })
        };
        Ok(status(r, "lws_cache_ops.invalidate"))
    })
}

/// # Safety
/// As `lws_cache_item_get`.
unsafe extern "C" fn op_get(
    c: *mut lws_cache_ttl_lru,
    specific_key: *const c_char,
    pdata: *mut *const c_void,
    psize: *mut usize,
) -> c_int {
    guard("lws_cache_ops.get", 1, || {
        // SAFETY: forwarded contract.
        let h = unsafe { handle(c) }? as *mut CacheHandle;
        // SAFETY: forwarded contract.
        let k = unsafe { key(specific_key, "specific_key is NULL") }?;
        // SAFETY: live handle.
        let r = unsafe {
            with_chain(h, |levels, at| {
                cache::get_level(levels, at, k).map(|b| (b.as_ptr().cast::<c_void>(), b.len()))
            })
        };
        Ok(match r {
            Some((p, n)) => {
                if !pdata.is_null() && !psize.is_null() {
                    // SAFETY: valid by contract.
                    unsafe { *pdata = p };
                    // SAFETY: valid by contract.
                    unsafe { *psize = n };
                }
                0
            }
            None => 1,
        })
    })
}

/// # Safety
/// `c` NULL or a cache.
unsafe extern "C" fn op_debug_dump(c: *mut lws_cache_ttl_lru) {
    // SAFETY: forwarded contract.
    unsafe { lws_cache_debug_dump(c) }
}

/// The heap store's operations.
#[no_mangle]
pub static lws_cache_ops_heap: lws_cache_ops = lws_cache_ops {
    create: Some(op_create_heap),
    destroy: Some(op_destroy),
    expunge: Some(op_expunge),
    write: Some(op_write),
    tag_match: Some(op_tag_match),
    lookup: Some(op_lookup),
    invalidate: Some(op_invalidate),
    get: Some(op_get),
    debug_dump: Some(op_debug_dump),
};

/// The netscape cookie jar store's operations.
#[no_mangle]
pub static lws_cache_ops_nscookiejar: lws_cache_ops = lws_cache_ops {
    create: Some(op_create_jar),
    destroy: Some(op_destroy),
    expunge: Some(op_expunge),
    write: Some(op_write),
    tag_match: Some(op_tag_match),
    lookup: Some(op_lookup),
    invalidate: Some(op_invalidate),
    get: Some(op_get),
    debug_dump: Some(op_debug_dump),
};
