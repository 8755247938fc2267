//! lws-map.h, lws-cache-ttl.h and the `lws_dir` part of lws-misc.h: the
//! container types C code fills in or reads. The map, map item and cache
//! handles are opaque (C only holds pointers); their contents are in
//! `ffi::map` and `ffi::cache`.

use core::ffi::{c_char, c_int, c_void};

use super::{lws_context, lws_dir_obj_type_t, lws_dll2_owner_t, lws_dll2_t, lws_usec_t};

/// `struct lws_map` / `lws_map_t`: a hash map. Opaque to C.
pub enum lws_map {}
/// `lws_map_t`.
pub type lws_map_t = lws_map;
/// `struct lws_map_item`: one key/value item of a map. Opaque to C.
pub enum lws_map_item {}
/// `lws_map_key_t`.
pub type lws_map_key_t = *mut c_void;
/// `lws_map_value_t`.
pub type lws_map_value_t = *mut c_void;
/// `lws_map_hash_t`.
pub type lws_map_hash_t = u32;
/// Hashes a key.
pub type lws_map_hash_from_key_t =
    Option<unsafe extern "C" fn(key: lws_map_key_t, kl: usize) -> lws_map_hash_t>;
/// Compares two keys: 0 when they are the same.
pub type lws_map_compare_key_t = Option<
    unsafe extern "C" fn(
        key1: lws_map_key_t,
        kl1: usize,
        key2: lws_map_value_t,
        kl2: usize,
    ) -> c_int,
>;
/// Allocates `x` bytes for an item of map `mo`.
pub type lws_map_alloc_t = Option<unsafe extern "C" fn(mo: *mut lws_map, x: usize) -> *mut c_void>;
/// Frees an item's memory.
pub type lws_map_free_t = Option<unsafe extern "C" fn(arg1: *mut c_void)>;

/// `struct lws_map_info` / `lws_map_info_t`: how `lws_map_create` makes a map.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_map_info {
    /// NULL: lws's default hash.
    pub _hash: lws_map_hash_from_key_t,
    /// NULL: equal length and bytes.
    pub _compare: lws_map_compare_key_t,
    /// NULL: malloc.
    pub _alloc: lws_map_alloc_t,
    /// NULL: free.
    pub _free: lws_map_free_t,
    /// `&lwsac` when using the lwsac allocator.
    pub opaque: *mut c_void,
    /// The lwsac chunk size when using the lwsac allocator.
    pub aux: *mut c_void,
    /// Number of hash buckets (0: 8).
    pub modulo: usize,
}
/// `lws_map_info_t`.
pub type lws_map_info_t = lws_map_info;

/// `struct lws_cache_ttl_lru`: one cache level. Opaque to C.
pub enum lws_cache_ttl_lru {}

/// Called with each item's payload as the cache destroys it.
pub type lws_cache_item_destroy_cb = Option<unsafe extern "C" fn(item: *mut c_void, size: usize)>;

/// `u.nscookiejar` of `struct lws_cache_creation_info`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_cache_creation_info_nscookiejar {
    /// The cookie file.
    pub filepath: *const c_char,
}

/// `u` of `struct lws_cache_creation_info`: per-store settings.
#[repr(C)]
#[derive(Clone, Copy)]
pub union lws_cache_creation_info_u {
    pub nscookiejar: lws_cache_creation_info_nscookiejar,
}

/// `struct lws_cache_creation_info`: how `lws_cache_create` makes a level.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct lws_cache_creation_info {
    /// The context whose event loop expires items.
    pub cx: *mut lws_context,
    /// Short name of the cache.
    pub name: *const c_char,
    /// NULL, or called as each item is destroyed.
    pub cb: lws_cache_item_destroy_cb,
    /// NULL, or the next level out.
    pub parent: *mut lws_cache_ttl_lru,
    /// `&lws_cache_ops_heap` (NULL) or `&lws_cache_ops_nscookiejar`.
    pub ops: *const lws_cache_ops,
    /// Per-store settings.
    pub u: lws_cache_creation_info_u,
    /// 0, or the most payload bytes to keep.
    pub max_footprint: usize,
    /// 0, or the most items to keep.
    pub max_items: usize,
    /// 0, or the largest payload (unused by lws's stores).
    pub max_payload: usize,
    /// The service thread whose timers expire items.
    pub tsi: c_int,
}

/// `struct lws_cache_ops`: a cache store's operations.
#[repr(C)]
pub struct lws_cache_ops {
    pub create: Option<
        unsafe extern "C" fn(info: *const lws_cache_creation_info) -> *mut lws_cache_ttl_lru,
    >,
    pub destroy: Option<unsafe extern "C" fn(_cache: *mut *mut lws_cache_ttl_lru)>,
    pub expunge: Option<unsafe extern "C" fn(cache: *mut lws_cache_ttl_lru) -> c_int>,
    pub write: Option<
        unsafe extern "C" fn(
            cache: *mut lws_cache_ttl_lru,
            specific_key: *const c_char,
            source: *const u8,
            size: usize,
            expiry: lws_usec_t,
            ppvoid: *mut *mut c_void,
        ) -> c_int,
    >,
    pub tag_match: Option<
        unsafe extern "C" fn(
            cache: *mut lws_cache_ttl_lru,
            wc: *const c_char,
            tag: *const c_char,
            lookup_rules: c_char,
        ) -> c_int,
    >,
    pub lookup: Option<
        unsafe extern "C" fn(
            cache: *mut lws_cache_ttl_lru,
            wildcard_key: *const c_char,
            results_owner: *mut lws_dll2_owner_t,
        ) -> c_int,
    >,
    pub invalidate: Option<
        unsafe extern "C" fn(cache: *mut lws_cache_ttl_lru, wildcard_key: *const c_char) -> c_int,
    >,
    pub get: Option<
        unsafe extern "C" fn(
            cache: *mut lws_cache_ttl_lru,
            specific_key: *const c_char,
            pdata: *mut *const c_void,
            psize: *mut usize,
        ) -> c_int,
    >,
    pub debug_dump: Option<unsafe extern "C" fn(cache: *mut lws_cache_ttl_lru)>,
}

/// `struct lws_cache_match` / `lws_cache_match_t`: one key found by a store's
/// lookup; the tag and a NUL follow it in the same allocation.
#[repr(C)]
pub struct lws_cache_match {
    pub list: lws_dll2_t,
    /// 0, or when the item expires.
    pub expiry: lws_usec_t,
    /// What a get of the tag would return, in bytes.
    pub payload_size: usize,
    /// Length of the tag after this struct.
    pub tag_size: usize,
}
/// `lws_cache_match_t`.
pub type lws_cache_match_t = lws_cache_match;

/// `struct lws_cache_results` / `lws_cache_results_t`: the cursor of
/// `lws_cache_results_walk` over a lookup's results.
#[repr(C)]
pub struct lws_cache_results {
    /// Set to the results before walking.
    pub ptr: *const u8,
    /// Set to their size before walking.
    pub size: usize,
    pub payload_len: usize,
    pub tag_len: usize,
    pub tag: *const u8,
}
/// `lws_cache_results_t`.
pub type lws_cache_results_t = lws_cache_results;

/// `struct lws_dir_entry`: one object `lws_dir` found.
#[repr(C)]
pub struct lws_dir_entry {
    pub name: *const c_char,
    pub r#type: lws_dir_obj_type_t,
}

/// `lws_dir_callback_function`: a C function *type* (hand-written in
/// lws-types.h); C passes a pointer to one.
pub type lws_dir_callback_function = unsafe extern "C" fn(
    dirpath: *const c_char,
    user: *mut c_void,
    lde: *mut lws_dir_entry,
) -> c_int;

/// Called by `lws_dir_glob_cb` with each matching path.
pub type lws_dir_glob_cb_t =
    Option<unsafe extern "C" fn(data: *mut c_void, path: *const c_char) -> c_int>;

/// `struct lws_dir_glob` / `lws_dir_glob_t`: the `user` of `lws_dir_glob_cb`.
#[repr(C)]
pub struct lws_dir_glob {
    /// The filename filter, like `"*.txt"`.
    pub filter: *const c_char,
    pub cb: lws_dir_glob_cb_t,
    pub user: *mut c_void,
}
/// `lws_dir_glob_t`.
pub type lws_dir_glob_t = lws_dir_glob;
