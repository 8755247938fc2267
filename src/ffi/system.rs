//! lws-system.h: the per-context system pieces that sit beside the core — the
//! message bus (src/ffi/smd.rs), system blobs, the application's
//! `lws_system_ops`, attach requests, captive portal detection state, and the
//! deprecation of a context.
//!
//! They live in a side table keyed by the context handle's address, made when
//! the context is created ([`attach`]) and dropped when it is destroyed
//! ([`detach`]), so the core and the handle need no knowledge of them.

use std::ffi::{c_int, c_void};
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::Arc;

use parking_lot::Mutex;

use super::handle::{self, ContextHandle};
use super::types::*;
use super::{callout, guard, smd};
use crate::core::{Error, SysState};
use crate::log::level;
use crate::lwsl;
use crate::smd::Bus;
use crate::sysblob::HeapBlob;

/// Tells a live [`SystemBlob`] from a stray pointer.
const BLOB_MAGIC: u64 = 0x6c77_735f_626c_6f62;

/// `LWS_SYSBLOB_TYPE_COUNT`: slots per context.
const BLOB_SLOTS: usize = LWS_SYSBLOB_TYPE_COUNT as usize;

/// What a blob holds.
enum BlobData {
    Heap(HeapBlob),
    /// The application's own memory (address, length), never copied or freed.
    Direct(usize, usize),
}

/// One `lws_system_blob_t` slot (C sees only its address).
pub struct SystemBlob {
    magic: u64,
    data: Mutex<BlobData>,
}

/// One queued `__lws_system_attach` request (C sees it as `lws_attach_item`).
struct AttachItem {
    cb: unsafe extern "C" fn(*mut lws_context, c_int, *mut c_void),
    opaque: usize,
    state: SysState,
}

/// The sul that runs a deferred captive portal check, and its context.
#[repr(C)]
struct CpdDefer {
    /// First member, so the sul's address is the struct's.
    sul: lws_sorted_usec_list_t,
    context: *mut lws_context,
}

/// The system pieces of one context.
pub struct CtxSystem {
    pub smd: Bus<smd::PeerFn>,
    /// `info.system_ops` (address), kept by reference as lws does.
    ops: usize,
    blobs: Box<[SystemBlob]>,
    attach_queue: AttachQueue,
    cpd: AtomicU8,
    /// Address of the boxed [`CpdDefer`], freed in [`detach`].
    cpd_defer: usize,
    deprecated: AtomicBool,
    /// The reload callback of `lws_context_deprecate`, until it has run.
    on_deprecated_idle: Mutex<lws_reload_func>,
    /// The uid / gid the context runs as after dropping privileges
    /// (`info.uid` / `info.gid`, or those of `info.username` / `info.groupname`).
    ids: Mutex<(libc::uid_t, libc::gid_t)>,
    /// `info.log_cx` (address; 0: the process log context).
    log_cx: usize,
    /// `info.vhost_name`, the name the context logs under.
    name: Option<std::ffi::CString>,
}

/// Attach requests, newest first; entries are `Box<AttachItem>` addresses.
/// Their number is kept beside them, so that the look every service pass
/// takes needs no lock.
#[derive(Default)]
struct AttachQueue {
    items: Mutex<Vec<usize>>,
    len: AtomicUsize,
}

impl AttachQueue {
    /// Runs `edit` on the queue under its lock.
    fn with<R>(&self, edit: impl FnOnce(&mut Vec<usize>) -> R) -> R {
        let mut items = self.items.lock();
        let r = edit(&mut items);
        self.len.store(items.len(), Ordering::Release);
        r
    }

    fn is_empty(&self) -> bool {
        self.len.load(Ordering::Acquire) == 0
    }
}

/// Contexts' system pieces, by handle address.
static SYSTEMS: Mutex<Vec<(usize, Arc<CtxSystem>)>> = Mutex::new(Vec::new());

/// The system pieces of `cx` (made with lws's defaults if the context was
/// created without [`attach`]).
pub fn of(cx: &ContextHandle) -> Arc<CtxSystem> {
    let key = cx as *const ContextHandle as usize;
    let mut g = SYSTEMS.lock();
    if let Some((_, s)) = g.iter().find(|(k, _)| *k == key) {
        return s.clone();
    }
    let s = Arc::new(CtxSystem::new(cx, 0, 0, 0));
    g.push((key, s.clone()));
    s
}

impl CtxSystem {
    fn new(cx: &ContextHandle, ops: usize, ttl_us: lws_usec_t, depth: u16) -> CtxSystem {
        let ttl = if ttl_us > 0 {
            std::time::Duration::from_micros(ttl_us as u64)
        } else {
            crate::smd::DEFAULT_TTL
        };
        let depth = if depth > 0 {
            usize::from(depth)
        } else {
            crate::smd::DEFAULT_DEPTH
        };
        let defer = Box::new(CpdDefer {
            sul: lws_sorted_usec_list_t {
                list: lws_dll2 {
                    prev: ptr::null_mut(),
                    next: ptr::null_mut(),
                    owner: ptr::null_mut(),
                },
                us: 0,
                cb: None,
                latency_us: 0,
            },
            context: cx.as_c(),
        });
        CtxSystem {
            smd: Bus::new(ttl, depth),
            ops,
            blobs: (0..BLOB_SLOTS)
                .map(|_| SystemBlob {
                    magic: BLOB_MAGIC,
                    data: Mutex::new(BlobData::Heap(HeapBlob::default())),
                })
                .collect(),
            attach_queue: AttachQueue::default(),
            cpd: AtomicU8::new(LWS_CPD_UNKNOWN as u8),
            cpd_defer: Box::into_raw(defer) as usize,
            deprecated: AtomicBool::new(false),
            on_deprecated_idle: Mutex::new(None),
            ids: Mutex::new((0, 0)),
            log_cx: 0,
            name: None,
        }
    }

    /// The context's own log context (`info.log_cx`), or NULL.
    pub fn log_cx(&self) -> *mut lws_log_cx {
        self.log_cx as *mut lws_log_cx
    }

    /// The name the context logs under (`info.vhost_name`).
    pub fn name(&self) -> Option<std::ffi::CString> {
        self.name.clone()
    }

    /// The application's system ops, or NULL.
    pub fn ops(&self) -> *const lws_system_ops_t {
        self.ops as *const lws_system_ops_t
    }
}

/// Makes the context's system pieces from its creation info: the ops, the
/// message bus limits, lws's own NETWORK peer and the info's early peer, and
/// the state manager's announcement class.
///
/// # Safety
/// `info` is the creation info `cx` is being made from.
pub unsafe fn attach(cx: &ContextHandle, info: &lws_context_creation_info) {
    let mut made = CtxSystem::new(
        cx,
        info.system_ops as usize,
        info.smd_ttl_us,
        info.smd_queue_depth,
    );
    made.log_cx = info.log_cx as usize;
    made.name = super::logcx::context_name(info.vhost_name);
    let s = Arc::new(made);
    // The context is a user of its log context while it lives (as in lws).
    // SAFETY: info.log_cx is NULL or a valid log context that outlives the context.
    unsafe { super::logcx::lwsl_refcount_cx(info.log_cx, 1) };
    // SAFETY: the names are NULL or NUL-terminated (creation info contract).
    let ids = unsafe { effective_ids(info) };
    *s.ids.lock() = ids;
    let key = cx as *const ContextHandle as usize;
    {
        let mut g = SYSTEMS.lock();
        g.retain(|(k, _)| *k != key);
        g.push((key, s.clone()));
    }
    // SAFETY: the manager lives inside the handle; the context is not yet
    // published, so nothing else refers to it.
    unsafe { (*cx.state_mgr.get()).smd_class = LWSSMDCL_SYSTEM_STATE };
    s.smd.register(LWSSMDCL_NETWORK, smd::PeerFn::System);
    if let Some(cb) = info.early_smd_cb {
        smd::register_c(
            cx,
            &s,
            cb,
            info.early_smd_opaque as usize,
            info.early_smd_class_filter,
        );
    }
}

/// Drops the context's system pieces: queued messages, peers (their handles
/// become invalid, as in lws), blobs, attach requests.
pub fn detach(cx: &ContextHandle) {
    let key = cx as *const ContextHandle as usize;
    let taken = {
        let mut g = SYSTEMS.lock();
        g.iter()
            .position(|(k, _)| *k == key)
            .map(|i| g.swap_remove(i).1)
    };
    let Some(s) = taken else {
        return;
    };
    // SAFETY: the log context counted in by attach, still valid.
    unsafe { super::logcx::lwsl_refcount_cx(s.log_cx(), -1) };
    for peer in s.smd.clear() {
        smd::free_peer(peer);
    }
    for item in s.attach_queue.with(std::mem::take) {
        // SAFETY: every entry came from Box::into_raw in __lws_system_attach
        // and is freed once, here or when served.
        drop(unsafe { Box::from_raw(item as *mut AttachItem) });
    }
    let defer = s.cpd_defer as *mut CpdDefer;
    // SAFETY: the context's timers were cleared by its teardown, so the sul is
    // no longer armed; the box came from CtxSystem::new and is freed once.
    drop(unsafe { Box::from_raw(defer) });
}

/// Work the service thread does after each pass: queued messages, ready attach
/// requests, and the reload callback of a deprecated context gone idle.
/// `s` is the context's system pieces (`of(cx)`, found once per pass).
pub fn after_service(cx: &ContextHandle, s: &CtxSystem) {
    smd::distribute(cx, s);
    serve_attach(cx, s);
    if s.deprecated.load(Ordering::Acquire) {
        let idle = cx
            .runtime
            .with_core(|c| c.conn_ids().is_empty())
            .unwrap_or(false);
        if idle {
            let reload = s.on_deprecated_idle.lock().take();
            if let Some(f) = reload {
                // SAFETY: the application's reload callback, called once.
                unsafe { callout::deprecation_done(&cx.runtime, f) };
            }
        }
    }
}

/// lws_system_do_attach: asks the application's `attach` op for requests
/// whose state has been reached and runs them.
fn serve_attach(cx: &ContextHandle, s: &CtxSystem) {
    if s.attach_queue.is_empty() {
        return;
    }
    // SAFETY: ops (if any) are the application's, kept for the context's life.
    let Some(op) = (unsafe { s.ops().as_ref() }).and_then(|o| o.attach) else {
        lwsl!(
            level::ERR,
            "lws_system attach: define (*attach) in the system ops"
        );
        return;
    };
    // Bounded: each round serves one request or stops.
    for _ in 0..1024 {
        let mut got: *mut lws_attach_item = ptr::null_mut();
        // SAFETY: the application's op, asked for one ready item.
        if unsafe { callout::system_attach_op(&cx.runtime, op, cx.as_c(), &mut got) } != 0 {
            lwsl!(level::ERR, "lws_system attach: attach problem");
            return;
        }
        if got.is_null() {
            return;
        }
        // SAFETY: items handed out by __lws_system_attach are Box<AttachItem>
        // that the queue no longer owns; freed here, once.
        let item = unsafe { Box::from_raw(got.cast::<AttachItem>()) };
        // SAFETY: the callback and opaque given to __lws_system_attach.
        unsafe {
            callout::attach_callback(&cx.runtime, item.cb, cx.as_c(), item.opaque as *mut c_void)
        };
    }
}

/// The application's `lws_system_ops_t` from the creation info, or NULL.
///
/// # Safety
/// `context` is a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_system_get_ops(context: *mut lws_context) -> *const lws_system_ops_t {
    guard("lws_system_get_ops", ptr::null(), || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context_any_thread(context) }?;
        Ok(of(cx).ops())
    })
}

/// The body of an application's `attach` op: with `get` NULL, queues `cb` to run
/// on the service thread once the system state reaches `state` (0); otherwise
/// sets `*get` to the oldest queued request whose state has been reached, or NULL
/// (0). The application serializes calls with its own lock.
///
/// # Safety
/// `context` is a live context; `get` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn __lws_system_attach(
    context: *mut lws_context,
    tsi: c_int,
    cb: lws_attach_cb_t,
    state: lws_system_states_t,
    opaque: *mut c_void,
    get: *mut *mut lws_attach_item,
) -> c_int {
    guard("__lws_system_attach", 1, || {
        // SAFETY: checked handle conversion (the application may queue from
        // any thread).
        let cx = unsafe { handle::context_any_thread(context) }?;
        if tsi != 0 {
            return Err(Error::Refused("tsi does not exist (one service thread)"));
        }
        let s = of(cx);
        if get.is_null() {
            let cb = cb.ok_or(super::null("cb is NULL"))?;
            let state = SysState::from_number(state as i32)
                .ok_or(Error::Refused("no such system state"))?;
            let item = Box::new(AttachItem {
                cb,
                opaque: opaque as usize,
                state,
            });
            s.attach_queue
                .with(|q| q.insert(0, Box::into_raw(item) as usize));
            cx.runtime.shared().cancel_service();
            return Ok(0);
        }
        let now = cx.runtime.state();
        // The head is the newest (lws adds at the head and serves from it).
        let out = s.attach_queue.with(|q| {
            let ready = q.iter().position(|&i| {
                // SAFETY: queued entries are live Box<AttachItem>s.
                let item = unsafe { &*(i as *const AttachItem) };
                now >= item.state
            });
            ready.map_or(ptr::null_mut(), |at| q.remove(at) as *mut lws_attach_item)
        });
        // SAFETY: `get` is non-NULL and writable by contract.
        unsafe { *get = out };
        Ok(0)
    })
}

/// # Safety
/// `b` is NULL or from `lws_system_get_blob`.
unsafe fn blob<'a>(b: *mut lws_system_blob_t) -> Result<&'a SystemBlob, Error> {
    if b.is_null() {
        return Err(super::null("blob is NULL"));
    }
    // SAFETY: by contract a pointer from lws_system_get_blob, which points at a
    // SystemBlob owned by a live context's system pieces.
    let b = unsafe { &*b.cast::<SystemBlob>() };
    if b.magic != BLOB_MAGIC {
        return Err(Error::Refused("not a system blob"));
    }
    Ok(b)
}

/// Slot `type + idx` of the context's blobs, or NULL when out of range.
///
/// # Safety
/// `context` is a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_system_get_blob(
    context: *mut lws_context,
    type_: lws_system_blob_item_t,
    idx: c_int,
) -> *mut lws_system_blob_t {
    guard("lws_system_get_blob", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context_any_thread(context) }?;
        let slot = usize::try_from(idx)
            .ok()
            .and_then(|i| i.checked_add(type_ as usize))
            .filter(|&i| i < BLOB_SLOTS)
            .ok_or(Error::Refused("blob type / index out of range"))?;
        let s = of(cx);
        Ok(ptr::from_ref(&s.blobs[slot]).cast_mut().cast())
    })
}

/// Makes the blob point at the application's `len` bytes at `ptr` (not copied).
///
/// # Safety
/// `b` is from `lws_system_get_blob`; `ptr` stays readable for `len` bytes while set.
#[no_mangle]
pub unsafe extern "C" fn lws_system_blob_direct_set(
    b: *mut lws_system_blob_t,
    ptr: *const u8,
    len: usize,
) {
    guard("lws_system_blob_direct_set", (), || {
        // SAFETY: checked conversion.
        let b = unsafe { blob(b) }?;
        *b.data.lock() = BlobData::Direct(ptr as usize, len);
        Ok(())
    })
}

/// Empties the blob and makes it a heap blob.
///
/// # Safety
/// `b` is from `lws_system_get_blob`.
#[no_mangle]
pub unsafe extern "C" fn lws_system_blob_heap_empty(b: *mut lws_system_blob_t) {
    guard("lws_system_blob_heap_empty", (), || {
        // SAFETY: checked conversion.
        let b = unsafe { blob(b) }?;
        *b.data.lock() = BlobData::Heap(HeapBlob::default());
        Ok(())
    })
}

/// Appends a copy of `len` bytes to a heap blob: 0, or -1 on a direct blob or
/// NULL data.
///
/// # Safety
/// `b` is from `lws_system_get_blob`; `ptr` is readable for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_system_blob_heap_append(
    b: *mut lws_system_blob_t,
    ptr: *const u8,
    len: usize,
) -> c_int {
    guard("lws_system_blob_heap_append", -1, || {
        // SAFETY: checked conversion.
        let b = unsafe { blob(b) }?;
        if ptr.is_null() && len > 0 {
            return Err(super::null("data is NULL"));
        }
        let data: &[u8] = if len == 0 {
            &[]
        } else {
            // SAFETY: `len` readable bytes by contract.
            unsafe { std::slice::from_raw_parts(ptr, len) }
        };
        match &mut *b.data.lock() {
            BlobData::Heap(h) => {
                h.append(data);
                Ok(0)
            }
            BlobData::Direct(..) => Err(Error::Refused("blob is direct, not heap")),
        }
    })
}

/// How many bytes the blob holds.
///
/// # Safety
/// `b` is from `lws_system_get_blob`.
#[no_mangle]
pub unsafe extern "C" fn lws_system_blob_get_size(b: *mut lws_system_blob_t) -> usize {
    guard("lws_system_blob_get_size", 0, || {
        // SAFETY: checked conversion.
        let b = unsafe { blob(b) }?;
        Ok(match &*b.data.lock() {
            BlobData::Heap(h) => h.len(),
            BlobData::Direct(_, len) => *len,
        })
    })
}

/// Sets `*ptr` to the whole content when it is contiguous (direct, or one heap
/// segment): 0; -1 otherwise.
///
/// # Safety
/// `b` is from `lws_system_get_blob`; `ptr` is writable.
#[no_mangle]
pub unsafe extern "C" fn lws_system_blob_get_single_ptr(
    b: *mut lws_system_blob_t,
    ptr: *mut *const u8,
) -> c_int {
    guard("lws_system_blob_get_single_ptr", -1, || {
        // SAFETY: checked conversion.
        let b = unsafe { blob(b) }?;
        if ptr.is_null() {
            return Err(super::null("ptr is NULL"));
        }
        let found = match &*b.data.lock() {
            BlobData::Direct(p, _) => Some(*p as *const u8),
            BlobData::Heap(h) => h.single().map(<[u8]>::as_ptr),
        };
        match found {
            Some(p) => {
                // SAFETY: writable by contract.
                unsafe { *ptr = p };
                Ok(0)
            }
            None => Ok(-1),
        }
    })
}

/// Copies up to `*len` bytes from offset `ofs` into `buf` and sets `*len` to
/// how many: 0; 1 when a direct blob has nothing at `ofs` (`*len` = 0).
///
/// # Safety
/// `b` is from `lws_system_get_blob`; `buf` is writable for `*len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_system_blob_get(
    b: *mut lws_system_blob_t,
    buf: *mut u8,
    len: *mut usize,
    ofs: usize,
) -> c_int {
    guard("lws_system_blob_get", -2, || {
        // SAFETY: checked conversion.
        let b = unsafe { blob(b) }?;
        if len.is_null() {
            return Err(super::null("len is NULL"));
        }
        // SAFETY: readable by contract.
        let want = unsafe { *len };
        if buf.is_null() && want > 0 {
            return Err(super::null("buf is NULL"));
        }
        let out: &mut [u8] = if want == 0 {
            &mut []
        } else {
            // SAFETY: `*len` writable bytes by contract.
            unsafe { std::slice::from_raw_parts_mut(buf, want) }
        };
        let (n, ret) = match &*b.data.lock() {
            BlobData::Heap(h) => (h.copy_from(ofs, out), 0),
            BlobData::Direct(p, dlen) => {
                if ofs >= *dlen {
                    (0, 1)
                } else {
                    let n = want.min(dlen - ofs);
                    // The application's direct memory, readable for `dlen`
                    // bytes while set (lws_system_blob_direct_set).
                    let start = (*p as *const u8).wrapping_add(ofs);
                    // SAFETY: `ofs + n <= dlen`, inside the direct memory.
                    let src = unsafe { std::slice::from_raw_parts(start, n) };
                    out[..n].copy_from_slice(src);
                    (n, 0)
                }
            }
        };
        // SAFETY: writable by contract.
        unsafe { *len = n };
        Ok(ret)
    })
}

/// Frees a heap blob's content (a direct blob's memory is the application's).
///
/// # Safety
/// `b` is NULL or from `lws_system_get_blob`.
#[no_mangle]
pub unsafe extern "C" fn lws_system_blob_destroy(b: *mut lws_system_blob_t) {
    guard("lws_system_blob_destroy", (), || {
        if b.is_null() {
            return Ok(());
        }
        // SAFETY: checked conversion.
        let b = unsafe { blob(b) }?;
        if let BlobData::Heap(h) = &mut *b.data.lock() {
            h.clear();
        }
        Ok(())
    })
}

/// Starts captive portal detection: the result goes back to UNKNOWN and the
/// ops' `captive_portal_detect_request` is called if there is one (its return
/// value is returned); 0 otherwise.
///
/// # Safety
/// `context` is a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_system_cpd_start(context: *mut lws_context) -> c_int {
    guard("lws_system_cpd_start", 1, || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context_any_thread(context) }?;
        Ok(cpd_start(cx))
    })
}

fn cpd_start(cx: &ContextHandle) -> c_int {
    let s = of(cx);
    s.cpd.store(LWS_CPD_UNKNOWN as u8, Ordering::Release);
    // SAFETY: the application's ops, kept for the context's life.
    match (unsafe { s.ops().as_ref() }).and_then(|o| o.captive_portal_detect_request) {
        // SAFETY: the application's hook with its own context.
        Some(f) => unsafe { callout::captive_portal_detect_request(&cx.runtime, f, cx.as_c()) },
        None => 0,
    }
}

/// The sul callback of `lws_system_cpd_start_defer`.
unsafe extern "C" fn cpd_deferred(sul: *mut lws_sorted_usec_list_t) {
    guard("lws_system_cpd_start_defer", (), || {
        // SAFETY: the sul is the first member of a live CpdDefer (only that one
        // is ever scheduled with this callback).
        let cx = unsafe { (*sul.cast::<CpdDefer>()).context };
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(cx) }?;
        cpd_start(cx);
        Ok(())
    })
}

/// Runs `lws_system_cpd_start` on the service thread after `defer_us`.
///
/// # Safety
/// `cx` is a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_system_cpd_start_defer(cx: *mut lws_context, defer_us: lws_usec_t) {
    guard("lws_system_cpd_start_defer", (), || {
        // SAFETY: checked handle conversion.
        let h = unsafe { handle::context(cx) }?;
        let s = of(h);
        let sul = s.cpd_defer as *mut lws_sorted_usec_list_t;
        // SAFETY: the boxed CpdDefer lives until the context's system pieces are
        // dropped, after its timers are cleared.
        unsafe {
            super::timeout::lws_sul_schedule(
                cx,
                0,
                sul,
                Some(cpd_deferred as unsafe extern "C" fn(*mut lws_sorted_usec_list_t)),
                defer_us,
            )
        };
        Ok(())
    })
}

/// Names of the results, as lws announces them.
const CPD_NAMES: [&str; 4] = ["Unknown", "OK", "Captive", "No internet"];

/// Records the captive portal result (only while it is UNKNOWN), announces it as
/// a NETWORK message, and moves the system state on to OPERATIONAL unless the
/// policy is being changed.
///
/// # Safety
/// `context` is a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_system_cpd_set(context: *mut lws_context, result: lws_cpd_result_t) {
    guard("lws_system_cpd_set", (), || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(context) }?;
        let name = *CPD_NAMES
            .get(result as usize)
            .ok_or(Error::Refused("no such captive portal result"))?;
        let s = of(cx);
        if s.cpd.load(Ordering::Acquire) != LWS_CPD_UNKNOWN as u8 {
            return Ok(());
        }
        lwsl!(level::NOTICE, "setting CPD result {name}");
        s.cpd.store(result as u8, Ordering::Release);
        smd::send_text(
            cx,
            &s,
            LWSSMDCL_NETWORK,
            &format!("{{\"type\":\"cpd\",\"result\":\"{name}\"}}"),
        );
        if cx.runtime.state() != SysState::PolicyInvalid {
            cx.runtime
                .transition_steps(&callout::CHost { ctx: cx }, SysState::Operational);
        }
        Ok(())
    })
}

/// The captive portal result (`LWS_CPD_*`).
///
/// # Safety
/// `context` is a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_system_cpd_state_get(context: *mut lws_context) -> lws_cpd_result_t {
    guard("lws_system_cpd_state_get", LWS_CPD_UNKNOWN, || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context_any_thread(context) }?;
        Ok(lws_cpd_result_t::from(of(cx).cpd.load(Ordering::Acquire)))
    })
}

/// Whether `lws_context_destroy` has started on the context.
///
/// # Safety
/// `context` is a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_context_is_being_destroyed(context: *mut lws_context) -> c_int {
    guard("lws_context_is_being_destroyed", 0, || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context_any_thread(context) }?;
        Ok(c_int::from(cx.runtime.is_destroy_requested()))
    })
}

/// Stops the context accepting connections (its listening sockets close, so a
/// replacement context can bind them); existing connections go on, and once the
/// last has gone `cb` (if any) is called on the service thread.
///
/// # Safety
/// `cx` is a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_context_deprecate(cx: *mut lws_context, cb: lws_reload_func) {
    guard("lws_context_deprecate", (), || {
        // SAFETY: checked handle conversion.
        let h = unsafe { handle::context(cx) }?;
        h.runtime.with_core(|c| {
            for id in 0..c.vhost_slots() {
                c.close_listener(crate::core::VhostId(id));
            }
        })?;
        let s = of(h);
        *s.on_deprecated_idle.lock() = cb;
        s.deprecated.store(true, Ordering::Release);
        h.runtime.shared().cancel_service();
        Ok(())
    })
}

/// Whether `lws_context_deprecate` was called on the context.
///
/// # Safety
/// `cx` is a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_context_is_deprecated(cx: *mut lws_context) -> c_int {
    guard("lws_context_is_deprecated", 0, || {
        // SAFETY: checked handle conversion.
        let h = unsafe { handle::context_any_thread(cx) }?;
        Ok(c_int::from(of(h).deprecated.load(Ordering::Acquire)))
    })
}

/// `info.uid` / `info.gid`, replaced by the ids of `info.username` /
/// `info.groupname` when those name a known user / group (as lws aligns them).
///
/// # Safety
/// `info.username` and `info.groupname` are NULL or NUL-terminated.
unsafe fn effective_ids(info: &lws_context_creation_info) -> (libc::uid_t, libc::gid_t) {
    let (mut uid, mut gid) = (info.uid, info.gid);
    let mut strs = [0 as std::ffi::c_char; 1024];
    if !info.groupname.is_null() {
        // SAFETY: all-zero is a valid `struct group` to be filled in.
        let mut gr: libc::group = unsafe { std::mem::zeroed() };
        let mut found: *mut libc::group = ptr::null_mut();
        // SAFETY: a NUL-terminated name and buffers that outlive the call.
        let r = unsafe {
            libc::getgrnam_r(
                info.groupname,
                &mut gr,
                strs.as_mut_ptr(),
                strs.len(),
                &mut found,
            )
        };
        if r == 0 && !found.is_null() {
            gid = gr.gr_gid;
        } else {
            lwsl!(level::ERR, "lws_create_context: unknown groupname");
        }
    }
    if !info.username.is_null() {
        // SAFETY: all-zero is a valid `struct passwd` to be filled in.
        let mut pw: libc::passwd = unsafe { std::mem::zeroed() };
        let mut found: *mut libc::passwd = ptr::null_mut();
        // SAFETY: a NUL-terminated name and buffers that outlive the call.
        let r = unsafe {
            libc::getpwnam_r(
                info.username,
                &mut pw,
                strs.as_mut_ptr(),
                strs.len(),
                &mut found,
            )
        };
        if r == 0 && !found.is_null() {
            uid = pw.pw_uid;
        } else {
            lwsl!(level::ERR, "lws_create_context: unknown username");
        }
    }
    (uid, gid)
}

/// Sets `*uid` / `*gid` to what the context runs as after dropping privileges.
///
/// # Safety
/// `context` is a live context; `uid` and `gid` are writable.
#[no_mangle]
pub unsafe extern "C" fn lws_get_effective_uid_gid(
    context: *mut lws_context,
    uid: *mut libc::uid_t,
    gid: *mut libc::gid_t,
) {
    guard("lws_get_effective_uid_gid", (), || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context_any_thread(context) }?;
        if uid.is_null() || gid.is_null() {
            return Err(super::null("uid or gid is NULL"));
        }
        let (u, g) = *of(cx).ids.lock();
        // SAFETY: writable by contract.
        unsafe { *uid = u };
        // SAFETY: writable by contract.
        unsafe { *gid = g };
        Ok(())
    })
}

/// lws_plat_drop_app_privileges: the group (when `gid` is neither 0 nor
/// -1) with setgid, then the user (same rule) with initgroups + setuid.
fn drop_app_privileges(uid: libc::uid_t, gid: libc::gid_t) -> Result<(), Error> {
    let mut strs = [0 as std::ffi::c_char; 1024];
    if gid != 0 && gid != libc::gid_t::MAX {
        // SAFETY: all-zero is a valid `struct group` to be filled in.
        let mut gr: libc::group = unsafe { std::mem::zeroed() };
        let mut found: *mut libc::group = ptr::null_mut();
        // SAFETY: buffers that outlive the call.
        let r =
            unsafe { libc::getgrgid_r(gid, &mut gr, strs.as_mut_ptr(), strs.len(), &mut found) };
        if r != 0 || found.is_null() {
            return Err(Error::Config(format!("cannot find name for gid {gid}")));
        }
        // SAFETY: plain syscall.
        if unsafe { libc::setgid(gid) } != 0 {
            return Err(Error::Config(format!(
                "setgid: {} failed",
                std::io::Error::last_os_error()
            )));
        }
        lwsl!(level::NOTICE, "effective group id {gid}");
    }
    if uid != 0 && uid != libc::uid_t::MAX {
        // SAFETY: all-zero is a valid `struct passwd` to be filled in.
        let mut pw: libc::passwd = unsafe { std::mem::zeroed() };
        let mut found: *mut libc::passwd = ptr::null_mut();
        // SAFETY: buffers that outlive the call.
        let r =
            unsafe { libc::getpwuid_r(uid, &mut pw, strs.as_mut_ptr(), strs.len(), &mut found) };
        if r != 0 || found.is_null() {
            return Err(Error::Config(format!("getpwuid: unable to find uid {uid}")));
        }
        // SAFETY: `pw_name` was filled in by getpwuid_r, in `strs`.
        if unsafe { libc::initgroups(pw.pw_name, gid) } != 0 {
            return Err(Error::Config(format!(
                "initgroups: {}",
                std::io::Error::last_os_error()
            )));
        }
        // SAFETY: plain syscall.
        if unsafe { libc::setuid(uid) } != 0 {
            return Err(Error::Config(format!(
                "setuid: {} failed",
                std::io::Error::last_os_error()
            )));
        }
        lwsl!(level::NOTICE, "effective user id {uid}");
    }
    Ok(())
}

/// The end of start-up for a context made with
/// LWS_SERVER_OPTION_EXPLICIT_VHOSTS (run after the first protocol init, as
/// lws does; an application may call it once its vhosts are listening): the
/// process drops to `info.gid` / `info.uid` (or the ids of
/// `info.groupname` / `info.username`), as lws. 0, or 1 when that fails.
/// Nothing happens for other contexts.
///
/// # Safety
/// `context` is a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_finalize_startup(context: *mut lws_context) -> c_int {
    guard("lws_finalize_startup", 1, || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(context) }?;
        Ok(c_int::from(finalize_startup(cx).is_err()))
    })
}

/// `lws_finalize_startup`, also run after the context's first protocol
/// init, as lws does: with EXPLICIT_VHOSTS, the privileges are dropped.
pub fn finalize_startup(cx: &ContextHandle) -> Result<(), Error> {
    if cx.options & LWS_SERVER_OPTION_EXPLICIT_VHOSTS == 0 {
        return Ok(());
    }
    let (uid, gid) = *of(cx).ids.lock();
    let r = drop_app_privileges(uid, gid);
    if let Err(e) = &r {
        lwsl!(level::ERR, "dropping privileges: {e}");
    }
    r
}

/// Seconds since 1970-01-01 (UTC) by the wall clock.
///
/// # Safety
/// Always safe.
#[no_mangle]
pub unsafe extern "C" fn lws_now_secs() -> std::ffi::c_ulong {
    guard("lws_now_secs", 0, || {
        Ok(std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as std::ffi::c_ulong))
    })
}

/// # Safety
/// `xos` is NULL or points at a `struct lws_xos`.
unsafe fn xos_state<'a>(xos: *mut lws_xos) -> Result<&'a mut lws_xos, Error> {
    // SAFETY: by contract NULL or a valid, exclusively used state.
    unsafe { xos.as_mut() }.ok_or(super::null("xos is NULL"))
}

/// Seeds the PRNG state from `seed` (splitmix64, as lws).
///
/// # Safety
/// `xos` points at a writable `struct lws_xos`.
#[no_mangle]
pub unsafe extern "C" fn lws_xos_init(xos: *mut lws_xos, seed: u64) {
    guard("lws_xos_init", (), || {
        // SAFETY: checked conversion.
        unsafe { xos_state(xos) }?.s = crate::prng::seed(seed);
        Ok(())
    })
}

/// The next 64-bit output of the PRNG (xoshiro256**); 0 for a NULL state.
///
/// # Safety
/// `xos` points at a seeded `struct lws_xos`.
#[no_mangle]
pub unsafe extern "C" fn lws_xos(xos: *mut lws_xos) -> u64 {
    guard("lws_xos", 0, || {
        // SAFETY: checked conversion.
        Ok(crate::prng::next(&mut unsafe { xos_state(xos) }?.s))
    })
}

/// 1 about `percent` times in a hundred, else 0.
///
/// # Safety
/// `xos` points at a seeded `struct lws_xos`.
#[no_mangle]
pub unsafe extern "C" fn lws_xos_percent(xos: *mut lws_xos, percent: c_int) -> c_int {
    guard("lws_xos_percent", 0, || {
        // SAFETY: checked conversion.
        let s = unsafe { xos_state(xos) }?;
        Ok(c_int::from(crate::prng::percent(&mut s.s, percent)))
    })
}
