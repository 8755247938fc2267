//! lws's allocator hook: `lws_set_allocator()` replaces the function behind
//! `lws_realloc()` (and lws's internal `lws_malloc` / `lws_free`, which are
//! `lws_realloc(NULL, n)` / `lws_realloc(p, 0)`). The hook is process-wide, as in
//! lws; the user's function is called only from `lws_realloc` below.

use super::guard;
use std::ffi::{c_char, c_void};

use parking_lot::RwLock;

/// The allocator signature: `realloc(ptr, size)` semantics, size 0 frees;
/// `reason` names the caller for accounting.
type AllocFn =
    unsafe extern "C" fn(ptr: *mut c_void, size: usize, reason: *const c_char) -> *mut c_void;

static HOOK: RwLock<Option<AllocFn>> = RwLock::new(None);

/// Makes `realloc` the allocator behind `lws_realloc()`; NULL restores the
/// default (libc realloc / free).
///
/// # Safety
/// `realloc`, when set, behaves like realloc and stays callable.
#[no_mangle]
pub unsafe extern "C" fn lws_set_allocator(
    realloc: Option<
        unsafe extern "C" fn(ptr: *mut c_void, size: usize, reason: *const c_char) -> *mut c_void,
    >,
) {
    guard("lws_set_allocator", (), || {
        {
            *HOOK.write() = realloc;
        }
        Ok(())
    })
}

/// Resizes (or, with `size` 0, frees and returns NULL) `ptr` through the
/// allocator set by `lws_set_allocator()`; `ptr` NULL allocates.
///
/// # Safety
/// `ptr` is NULL or came from this allocator; `reason` NULL or a C string.
#[no_mangle]
pub unsafe extern "C" fn lws_realloc(
    ptr: *mut c_void,
    size: usize,
    reason: *const c_char,
) -> *mut c_void {
    guard("lws_realloc", std::ptr::null_mut(), || {
        Ok('body: {
            let hook = *HOOK.read();
            if let Some(hook) = hook {
                // SAFETY: the user's allocator, with its own contract's arguments.
                break 'body unsafe { super::callout::allocator_hook(hook, ptr, size, reason) };
            }
            if size == 0 {
                // SAFETY: `ptr` came from the default allocator (libc) by contract.
                unsafe { libc::free(ptr) };
                break 'body std::ptr::null_mut();
            }
            // SAFETY: as above.
            unsafe { libc::realloc(ptr, size) }
        })
    })
}

/// Hands freed heap memory back to the system after connections released
/// `bytes` of buffers (glibc keeps freed memory in its arenas, and raises its
/// mmap threshold after big frees, so an RSS grown by a burst would stay).
pub fn give_back(bytes: usize) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: malloc_trim only returns free heap pages to the kernel; it
        // touches no live allocation.
        unsafe { libc::malloc_trim(0) };
    }
    crate::lwsl!(
        crate::log::level::DEBUG,
        "gave back freed buffer memory ({bytes} bytes released by connections)"
    );
}
