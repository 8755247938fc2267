//! lws-map.h: `lws_map_t *` is a boxed [`MapHandle`] (opaque to C). Items are
//! C memory from the map's allocator (malloc, lwsac or the caller's own): an
//! [`ItemHead`] followed by the key and the value bytes. The bucket lists
//! (`crate::map::Buckets`) hold the items' addresses; the hash and compare
//! are the caller's through `callout`, or lws's defaults.

use std::ffi::c_void;
use std::mem::size_of;
use std::ptr;

use super::guard;
use super::lwsac::lwsac_use;
use super::types::{
    lws_map, lws_map_info_t, lws_map_item, lws_map_key_t, lws_map_t, lws_map_value_t,
};
use super::types::{
    lws_map_alloc_t, lws_map_compare_key_t, lws_map_free_t, lws_map_hash_from_key_t,
};
use super::{callout, lwsac};
use crate::core::Error;
use crate::map::{default_equal, default_hash, Buckets};

const MAP_MAGIC: u64 = 0x6c77_736d_6170_2121; // "lwsmap!!"
const ITEM_MAGIC: u64 = 0x6c77_736d_6974_656d; // "lwsmitem"

/// The start of every item's memory; key then value follow.
#[repr(C)]
struct ItemHead {
    magic: u64,
    map: *mut MapHandle,
    keylen: usize,
    valuelen: usize,
    bucket: usize,
}

const _: () = assert!(size_of::<ItemHead>().is_multiple_of(8));

struct MapHandle {
    magic: u64,
    hash: lws_map_hash_from_key_t,
    compare: lws_map_compare_key_t,
    alloc: lws_map_alloc_t,
    free: lws_map_free_t,
    /// `&lwsac` for `lws_map_alloc_lwsac`.
    opaque: *mut c_void,
    /// The lwsac chunk size for `lws_map_alloc_lwsac`.
    aux: *mut c_void,
    buckets: Buckets<usize>,
}

/// # Safety
/// `map` is NULL or a map made by `lws_map_create`.
unsafe fn map_ref<'a>(map: *mut lws_map_t) -> Result<&'a mut MapHandle, Error> {
    if map.is_null() {
        return Err(super::null("map is NULL"));
    }
    // SAFETY: made by lws_map_create by contract; the magic is checked first.
    let m = unsafe { &mut *map.cast::<MapHandle>() };
    if m.magic != MAP_MAGIC {
        return Err(Error::Refused("not a map"));
    }
    Ok(m)
}

/// # Safety
/// `item` is NULL or an item made by `lws_map_item_create`.
unsafe fn item_ref<'a>(item: *mut lws_map_item) -> Result<&'a mut ItemHead, Error> {
    if item.is_null() {
        return Err(super::null("item is NULL"));
    }
    // SAFETY: an item by contract; the magic is checked first.
    let i = unsafe { &mut *item.cast::<ItemHead>() };
    if i.magic != ITEM_MAGIC {
        return Err(Error::Refused("not a map item"));
    }
    Ok(i)
}

/// The key bytes' address.
fn key_ptr(item: *mut ItemHead) -> *mut u8 {
    item.cast::<u8>().wrapping_add(size_of::<ItemHead>())
}

impl MapHandle {
    /// # Safety
    /// `key` valid for `len` bytes.
    unsafe fn hash_of(&self, key: *const u8, len: usize) -> u32 {
        match self.hash {
            // SAFETY: the caller's hash, on valid key bytes.
            Some(h) => unsafe { callout::map_hash(h, key.cast_mut().cast(), len) },
            // SAFETY: valid for `len` bytes by contract.
            None => default_hash(unsafe { bytes(key, len) }),
        }
    }

    /// # Safety
    /// `key` valid for `len` bytes; `item` a live item of this map.
    unsafe fn same_key(&self, key: *const u8, len: usize, item: *mut ItemHead) -> bool {
        // SAFETY: live item.
        let ilen = unsafe { (*item).keylen };
        let ikey = key_ptr(item);
        match self.compare {
            // SAFETY: the caller's compare, on two valid keys.
            Some(c) => unsafe {
                callout::map_compare(c, key.cast_mut().cast(), len, ikey.cast(), ilen) == 0
            },
            // SAFETY: both valid for their lengths.
            None => default_equal(unsafe { bytes(key, len) }, unsafe { bytes(ikey, ilen) }),
        }
    }

    /// # Safety
    /// As `same_key`.
    unsafe fn find(&self, key: *const u8, len: usize) -> Option<*mut ItemHead> {
        // SAFETY: forwarded contract.
        let b = self.buckets.bucket_of(unsafe { self.hash_of(key, len) });
        self.buckets
            .candidates(b)
            .into_iter()
            .map(|a| a as *mut ItemHead)
            // SAFETY: the buckets hold live items only.
            .find(|&i| unsafe { self.same_key(key, len, i) })
    }
}

/// `len` bytes at `p` (empty for 0).
///
/// # Safety
/// `p` valid for `len` bytes when `len` > 0.
unsafe fn bytes<'a>(p: *const u8, len: usize) -> &'a [u8] {
    if len == 0 || p.is_null() {
        &[]
    } else {
        // SAFETY: by contract.
        unsafe { std::slice::from_raw_parts(p, len) }
    }
}

/// Unlinks `item` from its map and gives its memory back to the map's free.
///
/// # Safety
/// `item` is a live item; its map is live.
unsafe fn destroy_item(item: *mut ItemHead) {
    // SAFETY: live item by contract.
    let it = unsafe { &*item };
    let (map, bucket) = (it.map, it.bucket);
    // SAFETY: a live item's map is live.
    let m = unsafe { &mut *map };
    m.buckets.remove(bucket, item as usize);
    // SAFETY: live item; poisoned before its memory goes back.
    unsafe { (*item).magic = 0 };
    match m.free {
        // SAFETY: the free paired with the allocator the item came from.
        Some(f) => unsafe { callout::map_free(f, item.cast()) },
        // SAFETY: the default allocator is malloc.
        None => unsafe { libc::free(item.cast()) },
    }
}

/// Makes an empty map as `info` says (NULL hooks: lws's defaults; `modulo`
/// 0: 8 buckets). NULL on a NULL info.
///
/// # Safety
/// `info` is NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn lws_map_create(info: *const lws_map_info_t) -> *mut lws_map_t {
    guard("lws_map_create", ptr::null_mut(), || {
        if info.is_null() {
            return Err(super::null("info is NULL"));
        }
        // SAFETY: valid by contract.
        let i = unsafe { *info };
        let m = Box::new(MapHandle {
            magic: MAP_MAGIC,
            hash: i._hash,
            compare: i._compare,
            alloc: i._alloc,
            free: i._free,
            opaque: i.opaque,
            aux: i.aux,
            buckets: Buckets::new(i.modulo),
        });
        Ok(Box::into_raw(m).cast())
    })
}

/// Destroys every item and the map, and sets `*pmap` to NULL.
///
/// # Safety
/// `pmap` NULL or valid; `*pmap` NULL or a map.
#[no_mangle]
pub unsafe extern "C" fn lws_map_destroy(pmap: *mut *mut lws_map_t) {
    guard("lws_map_destroy", (), || {
        if pmap.is_null() {
            return Err(super::null("pmap is NULL"));
        }
        // SAFETY: valid by contract.
        let map = unsafe { *pmap };
        if map.is_null() {
            return Ok(());
        }
        // SAFETY: forwarded contract.
        let m = unsafe { map_ref(map) }?;
        for a in m.buckets.candidates_all() {
            // SAFETY: the buckets hold live items of this map.
            unsafe { destroy_item(a as *mut ItemHead) };
        }
        m.magic = 0;
        // SAFETY: made by Box::into_raw in lws_map_create; nothing uses it now.
        drop(unsafe { Box::from_raw(map.cast::<MapHandle>()) });
        // SAFETY: valid by contract.
        unsafe { *pmap = ptr::null_mut() };
        Ok(())
    })
}

/// Adds an item with a copy of `keylen` key bytes and `valuelen` value bytes
/// (zeroes when `value` is NULL), replacing any item with the same key.
/// NULL on allocation failure or bad arguments.
///
/// # Safety
/// `map` a map; `key` valid for `keylen` bytes; `value` NULL or valid for
/// `valuelen` bytes.
#[no_mangle]
#[expect(
    clippy::multiple_unsafe_ops_per_block,
    reason = "copying key and value into one fresh item belong together"
)]
pub unsafe extern "C" fn lws_map_item_create(
    map: *mut lws_map_t,
    key: lws_map_key_t,
    keylen: usize,
    value: lws_map_value_t,
    valuelen: usize,
) -> *mut lws_map_item {
    guard("lws_map_item_create", ptr::null_mut(), || {
        // SAFETY: forwarded contract.
        let m = unsafe { map_ref(map) }?;
        if key.is_null() && keylen != 0 {
            return Err(super::null("key is NULL"));
        }
        let key = key.cast::<u8>().cast_const();
        // SAFETY: forwarded contract.
        if let Some(old) = unsafe { m.find(key, keylen) } {
            // SAFETY: a live item of this map.
            unsafe { destroy_item(old) };
        }
        let Some(size) = size_of::<ItemHead>()
            .checked_add(keylen)
            .and_then(|s| s.checked_add(valuelen))
        else {
            return Err(Error::Refused("item too large"));
        };
        let mem = match m.alloc {
            // SAFETY: the caller's allocator, given this map.
            Some(a) => unsafe { callout::map_alloc(a, map, size) },
            // SAFETY: plain allocation, freed by the default free.
            None => unsafe { libc::malloc(size) },
        };
        if mem.is_null() {
            return Ok(ptr::null_mut());
        }
        let item = mem.cast::<ItemHead>();
        // SAFETY: `m` is still live: the callouts cannot free it without the
        // caller breaking lws's contract.
        let m = unsafe { map_ref(map) }?;
        // SAFETY: hash of valid key bytes.
        let bucket = m.buckets.bucket_of(unsafe { m.hash_of(key, keylen) });
        // SAFETY: `mem` has `size` bytes: the head, then key and value.
        unsafe {
            item.write(ItemHead {
                magic: ITEM_MAGIC,
                map: map.cast(),
                keylen,
                valuelen,
                bucket,
            });
        }
        let k = key_ptr(item);
        // SAFETY: copying into the item's own key and value bytes.
        unsafe {
            if keylen != 0 {
                ptr::copy_nonoverlapping(key, k, keylen);
            }
            if value.is_null() {
                ptr::write_bytes(k.add(keylen), 0, valuelen);
            } else if valuelen != 0 {
                ptr::copy_nonoverlapping(value.cast::<u8>(), k.add(keylen), valuelen);
            }
        }
        m.buckets.insert(bucket, item as usize);
        Ok(item.cast())
    })
}

/// Removes the item from its map and frees it.
///
/// # Safety
/// `item` NULL or a live item.
#[no_mangle]
pub unsafe extern "C" fn lws_map_item_destroy(item: *mut lws_map_item) {
    guard("lws_map_item_destroy", (), || {
        // SAFETY: forwarded contract.
        let i = unsafe { item_ref(item) }?;
        // SAFETY: checks the item's map is live.
        unsafe { map_ref(i.map.cast()) }?;
        // SAFETY: a live item of a live map.
        unsafe { destroy_item(item.cast()) };
        Ok(())
    })
}

/// The item whose key equals the `keylen` bytes at `key`, or NULL.
///
/// # Safety
/// `map` a map; `key` valid for `keylen` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_map_item_lookup(
    map: *mut lws_map_t,
    key: lws_map_key_t,
    keylen: usize,
) -> *mut lws_map_item {
    guard("lws_map_item_lookup", ptr::null_mut(), || {
        // SAFETY: forwarded contract.
        let m = unsafe { map_ref(map) }?;
        if key.is_null() && keylen != 0 {
            return Err(super::null("key is NULL"));
        }
        // SAFETY: forwarded contract.
        Ok(unsafe { m.find(key.cast::<u8>(), keylen) }.map_or(ptr::null_mut(), |i| i.cast()))
    })
}

/// The item's key bytes.
///
/// # Safety
/// `item` NULL or a live item.
#[no_mangle]
pub unsafe extern "C" fn lws_map_item_key(item: *mut lws_map_item) -> *const c_void {
    guard("lws_map_item_key", ptr::null(), || {
        // SAFETY: forwarded contract.
        unsafe { item_ref(item) }?;
        Ok(key_ptr(item.cast()).cast_const().cast())
    })
}

/// The item's value bytes (right after the key).
///
/// # Safety
/// `item` NULL or a live item.
#[no_mangle]
pub unsafe extern "C" fn lws_map_item_value(item: *mut lws_map_item) -> *const c_void {
    guard("lws_map_item_value", ptr::null(), || {
        // SAFETY: forwarded contract.
        let i = unsafe { item_ref(item) }?;
        Ok(key_ptr(item.cast())
            .wrapping_add(i.keylen)
            .cast_const()
            .cast())
    })
}

/// The item's key length.
///
/// # Safety
/// `item` NULL or a live item.
#[no_mangle]
pub unsafe extern "C" fn lws_map_item_key_len(item: *mut lws_map_item) -> usize {
    guard("lws_map_item_key_len", 0, || {
        // SAFETY: forwarded contract.
        Ok(unsafe { item_ref(item) }?.keylen)
    })
}

/// The item's value length.
///
/// # Safety
/// `item` NULL or a live item.
#[no_mangle]
pub unsafe extern "C" fn lws_map_item_value_len(item: *mut lws_map_item) -> usize {
    guard("lws_map_item_value_len", 0, || {
        // SAFETY: forwarded contract.
        Ok(unsafe { item_ref(item) }?.valuelen)
    })
}

/// An allocator for `lws_map_info._alloc`: takes `x` bytes from the lwsac
/// whose address is `info.opaque`, in chunks of `(size_t)info.aux`.
///
/// # Safety
/// `map` a map whose `opaque` is a valid `struct lwsac **`.
#[no_mangle]
pub unsafe extern "C" fn lws_map_alloc_lwsac(map: *mut lws_map, x: usize) -> *mut c_void {
    guard("lws_map_alloc_lwsac", ptr::null_mut(), || {
        // SAFETY: forwarded contract.
        let m = unsafe { map_ref(map) }?;
        if m.opaque.is_null() {
            return Err(super::null("info.opaque (the lwsac head) is NULL"));
        }
        // SAFETY: `opaque` is the caller's `struct lwsac **` by contract.
        Ok(unsafe { lwsac_use(m.opaque.cast::<*mut lwsac::lwsac>(), x, m.aux as usize) })
    })
}

/// The free paired with `lws_map_alloc_lwsac`: nothing, the memory goes with
/// the lwsac.
///
/// # Safety
/// Always safe.
#[no_mangle]
pub unsafe extern "C" fn lws_map_free_lwsac(v: *mut c_void) {
    guard("lws_map_free_lwsac", (), || {
        let _ = v;
        Ok(())
    })
}
