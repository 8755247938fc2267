//! lws-smd.h: system message distribution over the context's bus
//! (src/smd.rs). Sending is allowed from any thread; delivery happens on the
//! service thread after each service pass, through the callout gate.
//!
//! A message being built (`lws_smd_msg_alloc`) is a C allocation: a header
//! recording its class, length and time, then the payload the caller writes.
//! Sending copies the payload onto the bus and frees the allocation; a refused
//! send leaves it with the caller, who frees it with `lws_smd_msg_free`.

use std::ffi::{c_char, c_int, c_void};
use std::ptr;

use super::handle::{self, ContextHandle};
use super::system::{self, CtxSystem};
use super::types::*;
use super::{callout, guard};
use crate::core::timers::now_us;
use crate::core::Error;
use crate::log::level;
use crate::lwsl;
use crate::smd::{Delivery, PeerId, SendError, Sent, MAX_PAYLOAD};

/// A peer's C callback.
pub type NotificationFn =
    unsafe extern "C" fn(*mut c_void, lws_smd_class_t, lws_usec_t, *mut c_void, usize) -> c_int;

/// How a peer takes delivery.
#[derive(Clone, Copy, Debug)]
pub enum PeerFn {
    /// An application peer: its callback, opaque pointer and the address of
    /// its `lws_smd_peer` handle (freed when it leaves).
    C {
        cb: NotificationFn,
        opaque: usize,
        handle: usize,
    },
    /// lws's own NETWORK peer: captive portal checks on request.
    System,
}

/// Tells a live peer handle from a stray pointer.
const PEER_MAGIC: u64 = 0x6c77_735f_736d_6470;

/// What C holds as `struct lws_smd_peer *`.
struct PeerHandle {
    magic: u64,
    context: *mut lws_context,
    id: PeerId,
}

/// The header in front of a payload from `lws_smd_msg_alloc`.
#[repr(C)]
struct MsgHeader {
    magic: u64,
    timestamp: lws_usec_t,
    class: lws_smd_class_t,
    len: u32,
}

const MSG_MAGIC: u64 = 0x6c77_735f_736d_646d;

/// Registers an application peer; returns its C handle.
pub fn register_c(
    cx: &ContextHandle,
    s: &CtxSystem,
    cb: NotificationFn,
    opaque: usize,
    filter: lws_smd_class_t,
) -> *mut lws_smd_peer {
    let handle = Box::into_raw(Box::new(PeerHandle {
        magic: PEER_MAGIC,
        context: cx.as_c(),
        id: PeerId::placeholder(),
    }));
    let id = s.smd.register(
        filter,
        PeerFn::C {
            cb,
            opaque,
            handle: handle as usize,
        },
    );
    // SAFETY: just allocated above; not yet shared.
    unsafe { (*handle).id = id };
    lwsl!(
        level::INFO,
        "smd: peer {handle:p} registered, filter 0x{filter:x}"
    );
    handle.cast()
}

/// Frees the handle of a peer that has left the bus.
pub fn free_peer(peer: PeerFn) {
    if let PeerFn::C { handle, .. } = peer {
        let h = handle as *mut PeerHandle;
        // SAFETY: the handle came from Box::into_raw in register_c and the bus
        // gave it back exactly once (unregister or clear). The magic is wiped
        // first so a late call with the stale pointer is more likely refused.
        unsafe { (*h).magic = 0 };
        // SAFETY: as above; freed once.
        drop(unsafe { Box::from_raw(h) });
    }
}

/// Puts `payload` on the bus: 0 when queued (or nobody wants it), 1 when refused.
fn send(
    cx: &ContextHandle,
    s: &CtxSystem,
    class: lws_smd_class_t,
    timestamp: lws_usec_t,
    payload: Vec<u8>,
) -> c_int {
    match s.smd.send(class, timestamp, payload, None) {
        Ok(Sent::Queued) => {
            // The sender may be on another thread: wake the service thread.
            cx.runtime.shared().cancel_service();
            0
        }
        Ok(Sent::NobodyInterested) => 0,
        Err(SendError::QueueFull(n)) => {
            lwsl!(level::WARN, "smd: rejecting message on queue depth {n}");
            1
        }
        Err(SendError::TooLarge(n)) => {
            lwsl!(
                level::WARN,
                "smd: rejecting {n}-byte message (max {MAX_PAYLOAD})"
            );
            1
        }
    }
}

/// Sends a text message if anybody wants the class (lws's internal printf path).
pub fn send_text(cx: &ContextHandle, s: &CtxSystem, class: lws_smd_class_t, text: &str) -> c_int {
    if !s.smd.wanted(class) {
        return 0;
    }
    send(
        cx,
        s,
        class,
        now_us() as lws_usec_t,
        text.as_bytes().to_vec(),
    )
}

/// lws's names of the system states, as SYSTEM_STATE messages carry them.
const STATE_NAMES: [&str; 15] = [
    "undef",
    "CONTEXT_CREATED",
    "INITIALIZED",
    "IFACE_COLDPLUG",
    "DHCP",
    "CPD_PRE_TIME",
    "TIME_VALID",
    "CPD_POST_TIME",
    "POLICY_VALID",
    "REGISTERED",
    "AUTH1",
    "AUTH2",
    "OPERATIONAL",
    "POLICY_INVALID",
    "DESTROYING",
];

/// Announces a system state arrival, `{"state":"NAME"}`, in the manager's SMD
/// class (LWSSMDCL_SYSTEM_STATE), after the notifiers heard it, as lws does.
pub fn state_arrived(cx: &ContextHandle, state: crate::core::SysState) {
    // SAFETY: the manager lives inside the handle; read on the service thread.
    let class = unsafe { (*cx.state_mgr.get()).smd_class };
    if class == 0 {
        return;
    }
    let Some(name) = usize::try_from(state.number())
        .ok()
        .and_then(|i| STATE_NAMES.get(i))
    else {
        return;
    };
    let s = system::of(cx);
    send_text(cx, &s, class, &format!("{{\"state\":\"{name}\"}}"));
}

/// Most deliveries in one pass: a peer answering every message with another
/// cannot keep the service thread here for ever.
const DELIVERIES_PER_PASS: usize = 4096;

/// Delivers what is queued (service thread only).
pub fn distribute(cx: &ContextHandle, s: &CtxSystem) {
    if s.smd.queued() == 0 {
        return;
    }
    let expired = s.smd.expire(now_us() as i64);
    if expired > 0 {
        lwsl!(level::WARN, "smd: timed out {expired} queued message(s)");
    }
    s.smd.distribute(DELIVERIES_PER_PASS, |d| deliver(cx, d));
}

fn deliver(cx: &ContextHandle, d: Delivery<PeerFn>) {
    let Delivery {
        peer,
        class,
        timestamp_us,
        mut payload,
    } = d;
    let len = payload.len();
    match peer {
        PeerFn::C { cb, opaque, .. } => {
            // A NUL after the payload, so text payloads can be read as strings.
            payload.push(0);
            // SAFETY: the peer's callback with its opaque pointer and a writable
            // copy of the payload that outlives the call.
            unsafe {
                callout::smd_notification(
                    &cx.runtime,
                    cb,
                    opaque as *mut c_void,
                    class,
                    timestamp_us,
                    payload.as_mut_ptr().cast(),
                    len,
                )
            };
        }
        PeerFn::System => {
            if class != LWSSMDCL_NETWORK {
                return;
            }
            let is = |name: &[u8], want: &[u8]| {
                crate::json::simple::simple_find(&payload, name)
                    .is_some_and(|(at, n)| &payload[at..at + n] == want)
            };
            if is(b"\"trigger\":", b"cpdcheck") || is(b"\"type\":", b"ipacq") {
                // SAFETY: our own context, live on its service thread.
                unsafe { system::lws_system_cpd_start(cx.as_c()) };
            }
        }
    }
}

/// Registers a peer for the classes in `_class_filter`: it hears, on the
/// service thread, every later message of those classes. Returns its handle,
/// or NULL.
///
/// # Safety
/// `ctx` is a live context; `cb` stays callable while registered.
#[no_mangle]
pub unsafe extern "C" fn lws_smd_register(
    ctx: *mut lws_context,
    opaque: *mut c_void,
    flags: c_int,
    _class_filter: lws_smd_class_t,
    cb: lws_smd_notification_cb_t,
) -> *mut lws_smd_peer {
    guard("lws_smd_register", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context_any_thread(ctx) }?;
        let cb = cb.ok_or(super::null("cb is NULL"))?;
        if flags != 0 {
            return Err(Error::Refused(
                "proxied secure-stream peers are not supported",
            ));
        }
        let s = system::of(cx);
        Ok(register_c(cx, &s, cb, opaque as usize, _class_filter))
    })
}

/// Removes a peer; messages only it still wanted are dropped. The handle is
/// freed.
///
/// # Safety
/// `pr` is NULL or a handle from `lws_smd_register` whose context is alive.
#[no_mangle]
pub unsafe extern "C" fn lws_smd_unregister(pr: *mut lws_smd_peer) {
    guard("lws_smd_unregister", (), || {
        if pr.is_null() {
            return Err(super::null("peer is NULL"));
        }
        let h = pr.cast::<PeerHandle>();
        // SAFETY: by contract a handle from lws_smd_register, not yet freed.
        let handle = unsafe { &*h };
        let (magic, context, id) = (handle.magic, handle.context, handle.id);
        if magic != PEER_MAGIC {
            return Err(Error::Refused("not an smd peer"));
        }
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context_any_thread(context) }?;
        lwsl!(level::NOTICE, "smd: destroying peer {pr:p}");
        if let Some(peer) = system::of(cx).smd.unregister(id) {
            free_peer(peer);
        }
        Ok(())
    })
}

/// A buffer for a `len`-byte payload of class `_class`, to fill and pass to
/// `lws_smd_msg_send`; NULL when no peer wants the class or `len` is too big.
///
/// # Safety
/// `ctx` is a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_smd_msg_alloc(
    ctx: *mut lws_context,
    _class: lws_smd_class_t,
    len: usize,
) -> *mut c_void {
    guard("lws_smd_msg_alloc", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context_any_thread(ctx) }?;
        if !system::of(cx).smd.wanted(_class) {
            lwsl!(
                level::INFO,
                "smd: rejecting class 0x{_class:x} as no participant wants"
            );
            return Ok(ptr::null_mut());
        }
        if len > MAX_PAYLOAD {
            return Err(Error::Refused("payload longer than LWS_SMD_MAX_PAYLOAD"));
        }
        let hdr = std::mem::size_of::<MsgHeader>();
        // SAFETY: plain allocation of header + payload (+1 so that len 0 is
        // still a distinct block); freed by lws_smd_msg_send or _free.
        let block = unsafe { libc::malloc(hdr + len + 1) }.cast::<MsgHeader>();
        if block.is_null() {
            return Err(Error::Refused("out of memory"));
        }
        // SAFETY: fresh, suitably aligned allocation (malloc) of at least a header.
        unsafe {
            block.write(MsgHeader {
                magic: MSG_MAGIC,
                timestamp: now_us() as lws_usec_t,
                class: _class,
                len: len as u32,
            })
        };
        // SAFETY: the payload starts right after the header, inside the block.
        Ok(unsafe { block.add(1) }.cast())
    })
}

/// # Safety
/// `payload` is NULL or from `lws_smd_msg_alloc` and not yet sent or freed.
unsafe fn header_of(payload: *mut c_void) -> Result<*mut MsgHeader, Error> {
    if payload.is_null() {
        return Err(super::null("payload is NULL"));
    }
    // SAFETY: by contract the payload follows a MsgHeader in the same block.
    let h = unsafe { payload.cast::<MsgHeader>().sub(1) };
    // SAFETY: as above, the header is readable.
    if unsafe { (*h).magic } != MSG_MAGIC {
        return Err(Error::Refused("not a payload from lws_smd_msg_alloc"));
    }
    Ok(h)
}

/// # Safety
/// `h` is a header from `header_of`; the block is not used after.
unsafe fn free_block(h: *mut MsgHeader) {
    // SAFETY: a live header; wiped so a double free is refused.
    unsafe { (*h).magic = 0 };
    // SAFETY: the block came from libc::malloc in lws_smd_msg_alloc.
    unsafe { libc::free(h.cast()) };
}

/// Frees an unsent payload and sets `*payload` to NULL.
///
/// # Safety
/// `payload` is NULL or points at a pointer from `lws_smd_msg_alloc`.
#[no_mangle]
pub unsafe extern "C" fn lws_smd_msg_free(payload: *mut *mut c_void) {
    guard("lws_smd_msg_free", (), || {
        if payload.is_null() {
            return Err(super::null("payload is NULL"));
        }
        // SAFETY: readable by contract.
        let p = unsafe { *payload };
        // SAFETY: forwarded contract.
        let h = unsafe { header_of(p) }?;
        // SAFETY: unsent block, freed once.
        unsafe { free_block(h) };
        // SAFETY: writable by contract.
        unsafe { *payload = ptr::null_mut() };
        Ok(())
    })
}

/// Queues a payload from `lws_smd_msg_alloc` for every interested peer: 0 (the
/// payload now belongs to the library), or 1 when the queue is full (the caller
/// still owns it). Any thread.
///
/// # Safety
/// `ctx` is a live context; `payload` from `lws_smd_msg_alloc`.
#[no_mangle]
pub unsafe extern "C" fn lws_smd_msg_send(ctx: *mut lws_context, payload: *mut c_void) -> c_int {
    guard("lws_smd_msg_send", 1, || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context_any_thread(ctx) }?;
        // SAFETY: forwarded contract.
        let h = unsafe { header_of(payload) }?;
        // SAFETY: a live header.
        let hdr = unsafe { &*h };
        let (class, ts, len) = (hdr.class, hdr.timestamp, hdr.len as usize);
        // SAFETY: the caller filled `len` payload bytes after the header.
        let bytes = unsafe { std::slice::from_raw_parts(payload.cast::<u8>(), len) }.to_vec();
        let r = send(cx, &system::of(cx), class, ts, bytes);
        if r == 0 {
            // SAFETY: the bus holds a copy now; the block is freed once.
            unsafe { free_block(h) };
        }
        Ok(r)
    })
}

/// Called by the C body of `lws_smd_msg_printf` before it formats: whether
/// anybody wants `class` (1), nobody does (0), or the context is bad (-1).
///
/// # Safety
/// `ctx` is NULL or a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_rs_smd_wanted(ctx: *mut lws_context, class: lws_smd_class_t) -> c_int {
    guard("lws_smd_msg_printf", -1, || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context_any_thread(ctx) }?;
        Ok(c_int::from(system::of(cx).smd.wanted(class)))
    })
}

/// Called by the C body of `lws_smd_msg_printf` with the formatted text.
///
/// # Safety
/// `ctx` is a live context; `text` points at `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_rs_smd_send_text(
    ctx: *mut lws_context,
    class: lws_smd_class_t,
    text: *const c_char,
    len: usize,
) -> c_int {
    guard("lws_smd_msg_printf", 1, || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context_any_thread(ctx) }?;
        if text.is_null() {
            return Err(super::null("text is NULL"));
        }
        // SAFETY: `len` bytes formatted by the C body.
        let bytes = unsafe { std::slice::from_raw_parts(text.cast::<u8>(), len) }.to_vec();
        Ok(send(
            cx,
            &system::of(cx),
            class,
            now_us() as lws_usec_t,
            bytes,
        ))
    })
}
