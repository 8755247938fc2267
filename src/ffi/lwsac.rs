//! lws-lwsac.h: lwsac, the chunked allocator whose memory C code uses directly,
//! and `lws_list_ptr_insert`, the singly-linked list lws pairs with it.
//!
//! The chunk layout is lws's and C-visible through `lwsac_sizeof()` and
//! `lwsac_get_tail_pos()`: each chunk is one `calloc` block starting with a
//! [`Chunk`] header; the first chunk also carries a [`Head`] right after it.
//! Every chunk points back to the first, so a detached, referenced lwsac can
//! free itself when the last reference goes. Allocations are rounded to pointer
//! size (`crate::lwsac::ALIGN`) and every header is a multiple of it, so every
//! pointer handed out is pointer-aligned. Sizes are decided in `crate::lwsac`.

#![allow(
    non_camel_case_types,
    reason = "the C ABI's type names are part of the contract"
)]

use std::ffi::{c_char, c_int, c_void};
use std::mem::size_of;
use std::ptr;

use super::guard;
use crate::log::level;
use crate::lwsac::{align, chunk_alloc};
use crate::lwsl;

/// `struct lwsac`: a chain of allocation chunks. Opaque to C.
pub enum lwsac {}

/// `lws_list_ptr`: a pointer to the next member's link (or NULL), embedded in
/// the listed object.
pub type lws_list_ptr = *mut c_void;

/// Orders two `lws_list_ptr` links: <= 0 inserts `a` before `b`.
pub type lws_list_ptr_sort_func_t =
    Option<unsafe extern "C" fn(a: lws_list_ptr, b: lws_list_ptr) -> c_int>;

/// The header at the start of every chunk (lws's `struct lwsac`).
#[repr(C)]
struct Chunk {
    next: *mut Chunk,
    /// The first chunk of the chain.
    head: *mut Chunk,
    /// Bytes in this chunk's allocation, headers included.
    alloc_size: usize,
    /// Offset of the next free byte from the chunk's start.
    ofs: usize,
}

/// The chain's bookkeeping, after the first chunk's header (lws's `struct lwsac_head`).
#[repr(C)]
struct Head {
    curr: *mut Chunk,
    total_alloc_size: usize,
    refcount: c_int,
    total_blocks: c_int,
    detached: c_char,
}

const _: () = assert!(size_of::<Chunk>() == 32 && size_of::<Head>() == 32);
const _: () = assert!(size_of::<Chunk>().is_multiple_of(crate::lwsac::ALIGN));
const _: () = assert!(size_of::<Head>().is_multiple_of(crate::lwsac::ALIGN));

/// The bookkeeping of the chain whose first chunk is `first`.
fn head_of(first: *mut Chunk) -> *mut Head {
    first.wrapping_add(1).cast()
}

/// Room left in `c`.
///
/// # Safety
/// `c` is a live chunk.
unsafe fn room(c: *const Chunk) -> usize {
    // SAFETY: live chunk by contract.
    let c = unsafe { &*c };
    c.alloc_size - c.ofs
}

/// Allocates a chunk for `ensure` bytes and links it at the end of `*head`.
///
/// # Safety
/// `head` is valid; `*head` is NULL or the first chunk of a live lwsac.
#[expect(
    clippy::multiple_unsafe_ops_per_block,
    reason = "initialising one fresh chunk and linking it: the writes belong together"
)]
unsafe fn grow(head: *mut *mut lwsac, ensure: usize, chunk_size: usize) -> Option<*mut Chunk> {
    // SAFETY: valid pointer by contract.
    let first = unsafe { *head }.cast::<Chunk>();
    let hdr = size_of::<Chunk>()
        + if first.is_null() {
            size_of::<Head>()
        } else {
            0
        };
    let alloc = chunk_alloc(ensure, chunk_size, hdr)?;
    // Zeroed, because `lwsac_scan_extant` reads every used byte of a chunk and
    // a caller may leave part of an `lwsac_use` allocation unwritten.
    // SAFETY: plain allocation; freed only by `free_chain`.
    let bf = unsafe { libc::calloc(1, alloc) }.cast::<Chunk>();
    if bf.is_null() {
        lwsl!(level::ERR, "lwsac_use: OOM trying to alloc {alloc}");
        return None;
    }
    let owner = if first.is_null() { bf } else { first };
    // SAFETY: `bf` is a fresh block of `alloc` >= hdr bytes, suitably aligned by
    // calloc; `owner`'s Head is live (just written when `owner == bf`); its
    // `curr` is the last chunk of the chain.
    unsafe {
        bf.write(Chunk {
            next: ptr::null_mut(),
            head: owner,
            alloc_size: alloc,
            ofs: hdr,
        });
        let h = head_of(owner);
        if first.is_null() {
            h.write(Head {
                curr: ptr::null_mut(),
                total_alloc_size: 0,
                refcount: 0,
                total_blocks: 0,
                detached: 0,
            });
            *head = bf.cast();
        } else if !(*h).curr.is_null() {
            (*(*h).curr).next = bf;
        }
        (*h).curr = bf;
        (*h).total_alloc_size += alloc;
        (*h).total_blocks += 1;
    }
    Some(bf)
}

/// Takes `ensure` bytes (rounded up to pointer size) from the lwsac `*head`.
///
/// # Safety
/// `head` is valid; `*head` is NULL or a live lwsac.
#[expect(
    clippy::multiple_unsafe_ops_per_block,
    reason = "one carve out of a chunk: reading and advancing its offset belong together"
)]
unsafe fn carve(
    head: *mut *mut lwsac,
    ensure: usize,
    chunk_size: usize,
    backfill: bool,
) -> Option<*mut c_void> {
    let al = align(ensure)?;
    // SAFETY: valid pointer by contract.
    let first = unsafe { *head }.cast::<Chunk>();
    let mut found = ptr::null_mut::<Chunk>();
    if backfill {
        let mut c = first;
        while !c.is_null() {
            // SAFETY: walking the live chain.
            if unsafe { room(c) } >= ensure {
                found = c;
                break;
            }
            // SAFETY: as above.
            c = unsafe { (*c).next };
        }
    } else if !first.is_null() {
        // SAFETY: a live lwsac's Head is valid; `curr` is one of its chunks.
        let curr = unsafe { (*head_of(first)).curr };
        // SAFETY: `curr` is a live chunk.
        if !curr.is_null() && unsafe { room(curr) } >= ensure {
            found = curr;
        }
    }
    if found.is_null() {
        // SAFETY: forwarded contract.
        found = unsafe { grow(head, ensure, chunk_size) }?;
    }
    // SAFETY: `found` is a live chunk with at least `ensure` bytes free at `ofs`;
    // the alignment padding is zeroed only as far as the chunk goes.
    unsafe {
        let ofs = (*found).ofs;
        let end = (ofs + al).min((*found).alloc_size);
        let base = found.cast::<u8>();
        ptr::write_bytes(base.add(ofs + ensure), 0, end - ofs - ensure);
        (*found).ofs = end;
        Some(base.add(ofs).cast())
    }
}

/// Frees every chunk of the chain starting at `c`.
///
/// # Safety
/// `c` is NULL or the first chunk of a live lwsac that nothing uses any more.
unsafe fn free_chain(mut c: *mut Chunk) {
    while !c.is_null() {
        // SAFETY: live chunk; read its successor before freeing it.
        let next = unsafe { (*c).next };
        // SAFETY: every chunk came from libc::calloc in `grow`; freed once.
        unsafe { libc::free(c.cast()) };
        c = next;
    }
}

/// Allocates `ensure` bytes (pointer-aligned) in the lwsac `*head`, creating it
/// or a new chunk of `chunk_size` (0: about 4000) bytes as needed. The memory
/// lives until `lwsac_free()`. Returns NULL on OOM or a NULL `head`.
///
/// # Safety
/// `head` is NULL or valid; `*head` is NULL or a live lwsac.
#[no_mangle]
pub unsafe extern "C" fn lwsac_use(
    head: *mut *mut lwsac,
    ensure: usize,
    chunk_size: usize,
) -> *mut c_void {
    guard("lwsac_use", ptr::null_mut(), || {
        if head.is_null() {
            return Err(super::null("head is NULL"));
        }
        // SAFETY: forwarded contract.
        Ok(unsafe { carve(head, ensure, chunk_size, false) }.unwrap_or(ptr::null_mut()))
    })
}

/// As `lwsac_use()`, but first tries every earlier chunk with room.
///
/// # Safety
/// As `lwsac_use()`.
#[no_mangle]
pub unsafe extern "C" fn lwsac_use_backfill(
    head: *mut *mut lwsac,
    ensure: usize,
    chunk_size: usize,
) -> *mut c_void {
    guard("lwsac_use_backfill", ptr::null_mut(), || {
        if head.is_null() {
            return Err(super::null("head is NULL"));
        }
        // SAFETY: forwarded contract.
        Ok(unsafe { carve(head, ensure, chunk_size, true) }.unwrap_or(ptr::null_mut()))
    })
}

/// As `lwsac_use()`, with the `ensure` bytes zeroed.
///
/// # Safety
/// As `lwsac_use()`.
#[no_mangle]
pub unsafe extern "C" fn lwsac_use_zero(
    head: *mut *mut lwsac,
    ensure: usize,
    chunk_size: usize,
) -> *mut c_void {
    guard("lwsac_use_zero", std::ptr::null_mut(), || {
        Ok({
            // SAFETY: forwarded contract.
            let p = unsafe { lwsac_use(head, ensure, chunk_size) };
            if !p.is_null() {
                // SAFETY: `p` has `ensure` bytes of this lwsac.
                unsafe { ptr::write_bytes(p.cast::<u8>(), 0, ensure) };
            }
            p
        })
    })
}

/// Frees the whole lwsac and sets `*head` to NULL.
///
/// # Safety
/// `head` is NULL or valid; `*head` is NULL or a live lwsac.
#[no_mangle]
pub unsafe extern "C" fn lwsac_free(head: *mut *mut lwsac) {
    guard("lwsac_free", (), || {
        'body: {
            if head.is_null() {
                break 'body;
            }
            // SAFETY: valid pointer by contract; taken and cleared before freeing.
            let first = unsafe { ptr::replace(head, ptr::null_mut()) };
            // SAFETY: the caller gives the lwsac up.
            unsafe { free_chain(first.cast()) }
        }
        Ok(())
    })
}

/// Marks the lwsac detached: it is freed now if unreferenced, else when the
/// last `lwsac_unreference()` comes. `*head` is set to NULL when freed.
///
/// # Safety
/// As `lwsac_free()`.
#[no_mangle]
pub unsafe extern "C" fn lwsac_detach(head: *mut *mut lwsac) {
    guard("lwsac_detach", (), || {
        'body: {
            // SAFETY: valid pointer by contract.
            if head.is_null() || unsafe { *head }.is_null() {
                break 'body;
            }
            // SAFETY: valid pointer by contract.
            let first = unsafe { *head };
            // SAFETY: a live lwsac's first chunk carries its Head.
            let h = unsafe { &mut *head_of(first.cast()) };
            h.detached = 1;
            if h.refcount == 0 {
                // SAFETY: forwarded contract.
                unsafe { lwsac_free(head) }
            }
        }
        Ok(())
    })
}

/// Takes a reference on the lwsac.
///
/// # Safety
/// `head` is NULL or a live lwsac.
#[no_mangle]
pub unsafe extern "C" fn lwsac_reference(head: *mut lwsac) {
    guard("lwsac_reference", (), || {
        'body: {
            if head.is_null() {
                lwsl!(level::ERR, "lwsac_reference: head is NULL");
                break 'body;
            }
            // SAFETY: a live lwsac's first chunk carries its Head.
            let h = unsafe { &mut *head_of(head.cast()) };
            h.refcount += 1;
        }
        Ok(())
    })
}

/// Drops a reference; a detached lwsac whose last reference this was is freed
/// and `*head` set to NULL.
///
/// # Safety
/// As `lwsac_free()`.
#[no_mangle]
pub unsafe extern "C" fn lwsac_unreference(head: *mut *mut lwsac) {
    guard("lwsac_unreference", (), || {
        'body: {
            // SAFETY: valid pointer by contract.
            if head.is_null() || unsafe { *head }.is_null() {
                break 'body;
            }
            // SAFETY: valid pointer by contract.
            let first = unsafe { *head };
            // SAFETY: a live lwsac's first chunk carries its Head.
            let h = unsafe { &mut *head_of(first.cast()) };
            if h.refcount == 0 {
                lwsl!(level::WARN, "lwsac_unreference: refcount going below zero");
            }
            h.refcount -= 1;
            if h.detached != 0 && h.refcount == 0 {
                // SAFETY: forwarded contract.
                unsafe { lwsac_free(head) }
            }
        }
        Ok(())
    })
}

/// Grows the most recent allocation by `amount` (aligned) zeroed bytes, if the
/// current chunk has room. Returns 0 on success, 1 if it has not.
///
/// # Safety
/// `head` is NULL or a live lwsac.
#[no_mangle]
pub unsafe extern "C" fn lwsac_extend(head: *mut lwsac, amount: usize) -> c_int {
    guard("lwsac_extend", 1, || {
        if head.is_null() {
            return Err(super::null("head is NULL"));
        }
        // SAFETY: a live lwsac's Head names its current chunk.
        let curr = unsafe { (*head_of(head.cast())).curr };
        let Some(al) = align(amount) else {
            return Ok(1);
        };
        // SAFETY: `curr` is a live chunk.
        if curr.is_null() || unsafe { room(curr) } < al {
            return Ok(1);
        }
        // SAFETY: live chunk with `al` bytes free at `ofs`.
        let c = unsafe { &mut *curr };
        let at = curr.cast::<u8>().wrapping_add(c.ofs);
        // SAFETY: those `al` bytes are inside the chunk's allocation.
        unsafe { ptr::write_bytes(at, 0, al) };
        c.ofs += al;
        Ok(0)
    })
}

/// Bytes from a chunk's start to its payload (`first`: the first chunk).
///
/// # Safety
/// Always safe.
#[no_mangle]
pub unsafe extern "C" fn lwsac_sizeof(first: c_int) -> usize {
    guard("lwsac_sizeof", 0, || {
        Ok(size_of::<Chunk>() + if first != 0 { size_of::<Head>() } else { 0 })
    })
}

/// Offset of the next free byte in chunk `lac`.
///
/// # Safety
/// `lac` is NULL or a live chunk.
#[no_mangle]
pub unsafe extern "C" fn lwsac_get_tail_pos(lac: *mut lwsac) -> usize {
    guard("lwsac_get_tail_pos", 0, || {
        Ok('body: {
            if lac.is_null() {
                lwsl!(level::ERR, "lwsac_get_tail_pos: lac is NULL");
                break 'body 0;
            }
            // SAFETY: live chunk by contract.
            unsafe { (*lac.cast::<Chunk>()).ofs }
        })
    })
}

/// The chunk after `lac`, or NULL.
///
/// # Safety
/// `lac` is NULL or a live chunk.
#[no_mangle]
pub unsafe extern "C" fn lwsac_get_next(lac: *mut lwsac) -> *mut lwsac {
    guard("lwsac_get_next", std::ptr::null_mut(), || {
        Ok('body: {
            if lac.is_null() {
                break 'body ptr::null_mut();
            }
            // SAFETY: live chunk by contract.
            unsafe { (*lac.cast::<Chunk>()).next }.cast()
        })
    })
}

/// `length` rounded up to pointer size.
///
/// # Safety
/// Always safe.
#[no_mangle]
pub unsafe extern "C" fn lwsac_align(length: usize) -> usize {
    guard("lwsac_align", 0, || Ok(align(length).unwrap_or(usize::MAX)))
}

/// Logs (at debug level) how much the lwsac holds.
///
/// # Safety
/// `head` is NULL or a live lwsac.
#[no_mangle]
pub unsafe extern "C" fn lwsac_info(head: *mut lwsac) {
    guard("lwsac_info", (), || {
        'body: {
            if head.is_null() {
                lwsl!(level::DEBUG, "lwsac_info: empty");
                break 'body;
            }
            // SAFETY: a live lwsac's first chunk carries its Head.
            let h = unsafe { &*head_of(head.cast()) };
            lwsl!(
                level::DEBUG,
                "lwsac_info: lac {head:p}: {}KiB in {} blocks",
                h.total_alloc_size >> 10,
                h.total_blocks
            );
        }
        Ok(())
    })
}

/// Bytes allocated for the whole lwsac, headers included.
///
/// # Safety
/// `head` is NULL or a live lwsac.
#[no_mangle]
pub unsafe extern "C" fn lwsac_total_alloc(head: *mut lwsac) -> u64 {
    guard("lwsac_total_alloc", 0, || {
        Ok('body: {
            if head.is_null() {
                break 'body 0;
            }
            // SAFETY: a live lwsac's first chunk carries its Head.
            unsafe { (*head_of(head.cast())).total_alloc_size as u64 }
        })
    })
}

/// Bytes of the lwsac not holding user data: unused room plus chunk headers.
///
/// # Safety
/// `head` is NULL or a live lwsac.
#[no_mangle]
pub unsafe extern "C" fn lwsac_total_overhead(head: *mut lwsac) -> u64 {
    guard("lwsac_total_overhead", 0, || {
        Ok({
            let mut c = head.cast::<Chunk>();
            let mut sum = 0u64;
            while !c.is_null() {
                // SAFETY: walking the live chain.
                sum += (unsafe { room(c) } + size_of::<Chunk>()) as u64;
                // SAFETY: as above.
                c = unsafe { (*c).next };
            }
            sum
        })
    })
}

/// Finds `len` bytes equal to `find` already allocated in the lwsac (followed
/// by a NUL when `nul` is set), so a caller can share an existing copy.
/// Returns it, or NULL.
///
/// # Safety
/// `head` is NULL or a live lwsac; `find` NULL or valid for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lwsac_scan_extant(
    head: *mut lwsac,
    find: *mut u8,
    len: usize,
    nul: c_int,
) -> *mut u8 {
    guard("lwsac_scan_extant", std::ptr::null_mut(), || {
        Ok('body: {
            if find.is_null() || len == 0 {
                break 'body ptr::null_mut();
            }
            // SAFETY: valid for `len` bytes by contract.
            let needle = unsafe { std::slice::from_raw_parts(find, len) };
            let mut c = head.cast::<Chunk>();
            let mut start = lwsac_sizeof_rs(true);
            while !c.is_null() {
                // SAFETY: walking the live chain.
                let used_len = unsafe { room_used(c) };
                // SAFETY: the first `ofs` bytes of a live chunk are initialised: `grow`
                // allocates chunks zeroed, then headers and allocations are written.
                let used = unsafe { std::slice::from_raw_parts(c.cast::<u8>(), used_len) };
                if let Some(at) = find_blob(&used[start.min(used.len())..], needle, nul != 0) {
                    // SAFETY: inside the chunk.
                    break 'body unsafe { c.cast::<u8>().add(start + at) };
                }
                start = lwsac_sizeof_rs(false);
                // SAFETY: walking the live chain.
                c = unsafe { (*c).next };
            }
            ptr::null_mut()
        })
    })
}

/// The `ofs` of a chunk.
///
/// # Safety
/// `c` is a live chunk.
unsafe fn room_used(c: *const Chunk) -> usize {
    // SAFETY: live chunk by contract.
    unsafe { (*c).ofs }
}

fn lwsac_sizeof_rs(first: bool) -> usize {
    size_of::<Chunk>() + if first { size_of::<Head>() } else { 0 }
}

/// Where `needle` occurs in `hay` (followed by a NUL inside `hay` when `nul`).
fn find_blob(hay: &[u8], needle: &[u8], nul: bool) -> Option<usize> {
    let n = needle.len();
    (0..hay.len().checked_sub(n)? + 1)
        .find(|&i| &hay[i..i + n] == needle && (!nul || hay.get(i + n) == Some(&0)))
}

/// Inserts the link `add` into the list at `*phead`: before the first member
/// `sort(add, member)` puts it at or before, or at the head when `sort` is NULL.
///
/// # Safety
/// `phead` and `add` valid; the list's links valid; `sort` callable.
#[no_mangle]
pub unsafe extern "C" fn lws_list_ptr_insert(
    phead: *mut lws_list_ptr,
    add: *mut lws_list_ptr,
    sort: lws_list_ptr_sort_func_t,
) {
    guard("lws_list_ptr_insert", (), || {
        'body: {
            if phead.is_null() || add.is_null() {
                lwsl!(level::ERR, "lws_list_ptr_insert: NULL list or member");
                break 'body;
            }
            let mut at = phead;
            if let Some(sort) = sort {
                // SAFETY: each link points at the next member's link or is NULL.
                while !unsafe { *at }.is_null() {
                    // SAFETY: as above.
                    let member = unsafe { *at };
                    // SAFETY: the user's comparator on two valid links.
                    if unsafe { super::callout::list_ptr_sort(sort, add.cast(), member) } <= 0 {
                        break;
                    }
                    // SAFETY: as above.
                    at = unsafe { *at }.cast();
                }
            }
            // SAFETY: `at` is a valid link (the head or a member's).
            let rest = unsafe { *at };
            // SAFETY: `add` is a valid link.
            unsafe { *add = rest };
            // SAFETY: as above.
            unsafe { *at = add.cast() };
        }
        Ok(())
    })
}

/// `lwsac_cached_file_t`: points at a cached file's contents inside an lwsac.
pub type lwsac_cached_file_t = *mut u8;

/// What `lwsac_cached_file` keeps between the lwsac headers and the contents.
#[repr(C)]
struct CachedInfo {
    /// The file's modification time (seconds) when it was read.
    mtime: i64,
    /// When it was last found unchanged (seconds).
    last_confirm: i64,
}

const _: () = assert!(size_of::<CachedInfo>().is_multiple_of(crate::lwsac::ALIGN));

/// Offset from a cached file's first chunk to its contents.
const CACHED_OFS: usize = size_of::<Chunk>() + size_of::<Head>() + size_of::<CachedInfo>();

/// The first chunk of the lwsac holding the contents at `c`.
fn cached_lac(c: lwsac_cached_file_t) -> *mut Chunk {
    c.wrapping_sub(CACHED_OFS).cast()
}

/// Takes a reference on a cached file so it is not freed while in use.
///
/// # Safety
/// `cache` NULL or from `lwsac_cached_file`.
#[no_mangle]
pub unsafe extern "C" fn lwsac_use_cached_file_start(cache: lwsac_cached_file_t) {
    guard("lwsac_use_cached_file_start", (), || {
        if cache.is_null() {
            return Err(super::null("cache is NULL"));
        }
        // SAFETY: a cached file's lwsac by contract.
        unsafe { (*head_of(cached_lac(cache))).refcount += 1 };
        Ok(())
    })
}

/// Drops a reference taken by `lwsac_use_cached_file_start`; a cached file
/// replaced meanwhile (detached) is freed with its last reference and `*cache`
/// set to NULL.
///
/// # Safety
/// `cache` NULL or valid; `*cache` NULL or from `lwsac_cached_file`.
#[no_mangle]
pub unsafe extern "C" fn lwsac_use_cached_file_end(cache: *mut lwsac_cached_file_t) {
    guard("lwsac_use_cached_file_end", (), || {
        // SAFETY: valid by contract.
        if cache.is_null() || unsafe { *cache }.is_null() {
            return Ok(());
        }
        // SAFETY: valid by contract.
        let mut lac = cached_lac(unsafe { *cache });
        // SAFETY: a cached file's lwsac carries its Head.
        let h = unsafe { &mut *head_of(lac) };
        if h.refcount == 0 {
            lwsl!(
                level::ERR,
                "lwsac_use_cached_file_end: html refcount zero on entry"
            );
            return Ok(());
        }
        h.refcount -= 1;
        if h.refcount == 0 && h.detached != 0 {
            // SAFETY: valid by contract.
            unsafe { *cache = ptr::null_mut() };
            // SAFETY: nothing references the lwsac now.
            unsafe { lwsac_free(ptr::addr_of_mut!(lac).cast()) };
        }
        Ok(())
    })
}

/// Marks the cached file detached: freed now when unreferenced (and `*cache`
/// set to NULL), else with the last `lwsac_use_cached_file_end`.
///
/// # Safety
/// `cache` valid; `*cache` NULL or from `lwsac_cached_file`.
#[no_mangle]
pub unsafe extern "C" fn lwsac_use_cached_file_detach(cache: *mut lwsac_cached_file_t) {
    guard("lwsac_use_cached_file_detach", (), || {
        if cache.is_null() {
            return Err(super::null("cache is NULL"));
        }
        // SAFETY: valid by contract.
        let c = unsafe { *cache };
        if c.is_null() {
            return Ok(());
        }
        let mut lac = cached_lac(c);
        // SAFETY: a cached file's lwsac carries its Head.
        let h = unsafe { &mut *head_of(lac) };
        h.detached = 1;
        if h.refcount != 0 {
            return Ok(());
        }
        // SAFETY: valid by contract.
        unsafe { *cache = ptr::null_mut() };
        // SAFETY: unreferenced now.
        unsafe { lwsac_free(ptr::addr_of_mut!(lac).cast()) };
        Ok(())
    })
}

/// Keeps the file at `filepath` in memory: on the first call (`*cache` NULL),
/// or when at least 5 s passed since the last check and the file's
/// modification time changed, reads it into a new lwsac (NUL-terminated),
/// sets `*cache` to its contents and `*len` to its length, and detaches the
/// old copy. Otherwise leaves `*cache` (and `*len`) alone. 0 on success, 1 when
/// the file cannot be opened or read.
///
/// # Safety
/// `filepath` a C string; `cache` valid, `*cache` NULL or from here; `len` valid.
#[no_mangle]
#[expect(
    clippy::multiple_unsafe_ops_per_block,
    reason = "writing the info and the contents of one fresh allocation belong together"
)]
pub unsafe extern "C" fn lwsac_cached_file(
    filepath: *const c_char,
    cache: *mut lwsac_cached_file_t,
    len: *mut usize,
) -> c_int {
    guard("lwsac_cached_file", 1, || {
        if filepath.is_null() || cache.is_null() || len.is_null() {
            return Err(super::null("filepath, cache or len is NULL"));
        }
        // SAFETY: valid C string by contract.
        let path = std::path::Path::new(
            <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(
                unsafe { std::ffi::CStr::from_ptr(filepath) }.to_bytes(),
            ),
        );
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        // SAFETY: valid by contract.
        let old = unsafe { *cache };
        let info = cached_lac(old)
            .cast::<u8>()
            .wrapping_add(lwsac_sizeof_rs(true))
            .cast::<CachedInfo>();
        // SAFETY: an existing cached file's info sits before its contents.
        if !old.is_null() && crate::lwsac::still_fresh(now, unsafe { (*info).last_confirm }) {
            return Ok(0);
        }
        let file = match crate::lwsac::read_cached(path) {
            Ok(f) => f,
            Err(e) => {
                lwsl!(level::ERR, "lwsac_cached_file: {e}");
                return Ok(1);
            }
        };
        // SAFETY: as above.
        if !old.is_null() && unsafe { (*info).mtime } == file.mtime {
            // SAFETY: as above.
            unsafe { (*info).last_confirm = now };
            return Ok(0);
        }
        let all = size_of::<CachedInfo>() + file.data.len() + 2;
        let mut lac: *mut lwsac = ptr::null_mut();
        // SAFETY: a fresh lwsac; one chunk big enough for everything.
        let p = unsafe { lwsac_use(&mut lac, all, all) }.cast::<u8>();
        if p.is_null() {
            return Ok(1);
        }
        debug_assert_eq!(p, lac.cast::<u8>().wrapping_add(lwsac_sizeof_rs(true)));
        // SAFETY: `p` has `all` bytes: the info, the contents and a NUL.
        unsafe {
            p.cast::<CachedInfo>().write(CachedInfo {
                mtime: file.mtime,
                last_confirm: now,
            });
            let a = p.add(size_of::<CachedInfo>());
            ptr::copy_nonoverlapping(file.data.as_ptr(), a, file.data.len());
            *a.add(file.data.len()) = 0;
            *cache = a;
            *len = file.data.len();
        }
        if !old.is_null() {
            let mut o = old;
            // SAFETY: the old copy, given up by this call.
            unsafe { lwsac_use_cached_file_detach(&mut o) };
        }
        Ok(0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blobs_are_found_with_and_without_nul() {
        assert_eq!(find_blob(b"xxabc\0", b"abc", true), Some(2));
        assert_eq!(find_blob(b"abcd", b"abc", true), None);
        assert_eq!(find_blob(b"abcd", b"abc", false), Some(0));
        assert_eq!(find_blob(b"ab", b"abc", false), None);
    }

    #[test]
    #[expect(
        clippy::multiple_unsafe_ops_per_block,
        reason = "a test driving the C entry points in sequence"
    )]
    fn allocations_are_aligned_and_chained() {
        let mut ac: *mut lwsac = ptr::null_mut();
        // SAFETY: a fresh lwsac, freed at the end.
        unsafe {
            for n in 1..2000usize {
                let p = lwsac_use(&mut ac, n % 37 + 1, 0);
                assert!(!p.is_null());
                assert_eq!(p as usize % crate::lwsac::ALIGN, 0);
            }
            assert!(!lwsac_get_next(ac).is_null());
            assert!(lwsac_total_alloc(ac) > 4000);
            lwsac_free(&mut ac);
        }
        assert!(ac.is_null());
    }
}
