//! The one gate to user code: the only place C function pointers (protocol
//! callbacks, sul callbacks, state notifiers, finalize hooks, log emitters,
//! list and ring callbacks, file operations) are called, and the delivery of
//! core callouts.
//!
//! Each call into a context's user code happens inside a
//! [`CalloutScope`](crate::core::runtime::CalloutScope): it counts the depth
//! (so that a callback's `lws_service` is refused and its
//! `lws_context_destroy` deferred) and restores it on unwind. No core lock is
//! ever held here (checked in debug builds). `tests/architecture.rs` fails on a
//! function-pointer call anywhere else.

use std::cell::Cell;
use std::ffi::{c_char, c_int, c_void, CStr};
use std::ptr;

use super::handle::{ContextHandle, RxInfo, WsiHandle};
use super::reasons;
use super::types::*;
use crate::core::http_server::FileInfo;
use crate::core::poll::{FdOwner, PollChange, POLLIN, POLLOUT};
use crate::core::runtime::{core_lock_held, CalloutScope, Runtime};
use crate::core::{
    Callout, ConnEvent, ConnId, Face, Host, ProtocolEvent, ProtocolRef, RawOver, Role, SysState,
};

/// A protocol callback (`lws_callback_function`).
pub type ProtocolFn =
    unsafe extern "C" fn(*mut lws, lws_callback_reasons, *mut c_void, *mut c_void, usize) -> c_int;

/// Enters the user code of the context behind `rt`.
fn enter(rt: &Runtime) -> CalloutScope<'_> {
    debug_assert!(!core_lock_held(), "user code entered under the core lock");
    rt.enter_callout()
}

/// [`enter`] for application code that drives the system state.
fn enter_state_driver(rt: &Runtime) -> CalloutScope<'_> {
    debug_assert!(!core_lock_held(), "user code entered under the core lock");
    rt.enter_state_driver()
}

/// Calls a protocol callback of the context behind `rt`.
///
/// # Safety
/// `cb` is a protocol callback from a creation info; `wsi`, `user`, `input` and
/// `len` are what `reason` means to it, valid for the call.
pub unsafe fn protocol_callback(
    rt: &Runtime,
    cb: ProtocolFn,
    wsi: *mut lws,
    reason: lws_callback_reasons,
    user: *mut c_void,
    input: *mut c_void,
    len: usize,
) -> c_int {
    let _scope = enter(rt);
    // SAFETY: forwarded contract.
    unsafe { cb(wsi, reason, user, input, len) }
}

/// Calls a list callback of `lws_dll2_foreach_safe` (the user's own code calls
/// it, so no context is entered).
///
/// # Safety
/// `cb` is callable with a node of the list being walked and `user`.
pub unsafe fn dll2_foreach_callback(
    cb: unsafe extern "C" fn(*mut lws_dll2, *mut c_void) -> c_int,
    node: *mut lws_dll2,
    user: *mut c_void,
) -> c_int {
    debug_assert!(!core_lock_held(), "user code entered under the core lock");
    // SAFETY: forwarded contract.
    unsafe { cb(node, user) }
}

/// Calls the callback of a sul on the caller's own list
/// (`__lws_sul_service_ripe`: the user's own code calls it, so no context is
/// entered).
///
/// # Safety
/// `cb` is the sul's callback and `sul` the node, detached and valid.
pub unsafe fn sul_list_callback(
    cb: unsafe extern "C" fn(*mut lws_sorted_usec_list),
    sul: *mut lws_sorted_usec_list,
) {
    debug_assert!(!core_lock_held(), "user code entered under the core lock");
    // SAFETY: forwarded contract.
    unsafe { cb(sul) }
}

/// Calls the comparator of `lws_dll2_add_sorted`.
///
/// # Safety
/// `compare` is callable with two valid nodes.
pub unsafe fn dll2_compare(
    compare: unsafe extern "C" fn(*const lws_dll2, *const lws_dll2) -> c_int,
    a: *const lws_dll2,
    b: *const lws_dll2,
) -> c_int {
    debug_assert!(!core_lock_held(), "user code entered under the core lock");
    // SAFETY: forwarded contract.
    unsafe { compare(a, b) }
}

/// Calls the `replace` of a `struct lws_process_html_state` for variable
/// `index`; its text is copied (lws writes "NULL" for a NULL answer).
///
/// # Safety
/// `replace` is callable with `data`; it returns NULL or a NUL-terminated
/// string valid until it returns to us.
pub unsafe fn html_replace(
    replace: unsafe extern "C" fn(*mut c_void, c_int) -> *const c_char,
    data: *mut c_void,
    index: c_int,
) -> Vec<u8> {
    debug_assert!(!core_lock_held(), "user code entered under the core lock");
    // SAFETY: forwarded contract.
    let p = unsafe { replace(data, index) };
    if p.is_null() {
        return b"NULL".to_vec();
    }
    // SAFETY: NUL-terminated by contract.
    unsafe { std::ffi::CStr::from_ptr(p) }.to_bytes().to_vec()
}

/// Calls a ring's element destructor.
///
/// # Safety
/// `destroy` is the ring's destructor and `element` one of its elements.
pub unsafe fn ring_element_destroy(
    destroy: unsafe extern "C" fn(*mut c_void),
    element: *mut c_void,
) {
    debug_assert!(!core_lock_held(), "user code entered under the core lock");
    // SAFETY: forwarded contract.
    unsafe { destroy(element) }
}

/// Wraps a C log emitter for the process logger, which calls it with no core
/// lock held (lines produced under the lock wait until it is released).
pub fn log_emitter(emit: unsafe extern "C" fn(c_int, *const c_char)) -> crate::log::Emitter {
    std::sync::Arc::new(move |lvl: u32, line: &std::ffi::CString| {
        debug_assert!(!core_lock_held(), "log emitter called under the core lock");
        // SAFETY: the user's emitter, called with one level bit and a
        // NUL-terminated line, as lws does.
        unsafe { emit(lvl as c_int, line.as_ptr()) }
    })
}

/// The host for one context.
pub struct CHost<'a> {
    pub ctx: &'a ContextHandle,
}

impl Host for CHost<'_> {
    fn deliver_with_face(&self, callout: &mut Callout, face: Option<Face>) -> i32 {
        match (callout, face) {
            (Callout::Conn { id, event }, Some(face)) => match self.ctx.wsi_of_face(face) {
                Some(w) => self.conn_event_of(*id, w, event),
                None => 0,
            },
            (callout, _) => self.deliver(callout),
        }
    }

    fn deliver(&self, callout: &mut Callout) -> i32 {
        match callout {
            Callout::Conn { id, event } => self.conn_event(*id, event),
            Callout::Poll { owner, fd, change } => self.poll_event(*owner, *fd, *change),
            Callout::Protocol { at, event } => self.protocol_event(*at, *event),
            Callout::Sul(key) => {
                let sul = key.0 as *mut lws_sorted_usec_list;
                // SAFETY: the key is the address of a sul armed through
                // lws_sul_schedule, which must stay valid while armed; it was armed
                // until the core popped it just now. Detach it first so that the
                // callback sees it unscheduled and may re-arm it.
                let node = unsafe { &mut *sul };
                node.list.owner = ptr::null_mut();
                let cb = node.cb;
                if let Some(cb) = cb {
                    let _scope = enter(&self.ctx.runtime);
                    // SAFETY: calling the user's sul callback with its own node.
                    unsafe { cb(sul) };
                }
                0
            }
            Callout::StateAttempt { current, target } => self.notify(*current, *target, true),
            Callout::StateArrival { state } => {
                // SAFETY: the manager lives inside the context handle; only the
                // service thread writes it, and no reference to it is held.
                unsafe { (*self.ctx.state_mgr.get()).state = state.number() };
                let r = self.notify(*state, *state, false);
                super::smd::state_arrived(self.ctx, *state);
                r
            }
            Callout::StartupFinished => {
                // Logged there; lws ignores the result here too.
                let _ = super::system::finalize_startup(self.ctx);
                0
            }
            Callout::VhostFinalized(id) => {
                if let Some(vh) = self.ctx.vhost_handle(*id) {
                    let blocks: Vec<*mut c_void> = vh.privs.lock().drain(..).flatten().collect();
                    for b in blocks {
                        // SAFETY: every block came from libc::calloc in
                        // lws_protocol_vh_priv_zalloc and is freed exactly once here.
                        unsafe { libc::free(b) };
                    }
                    if let Some(f) = vh.finalize {
                        let _scope = enter(&self.ctx.runtime);
                        // SAFETY: the user's finalize hook with its own argument.
                        unsafe { f(vh.as_c(), vh.finalize_arg) };
                    }
                }
                0
            }
        }
    }
}

impl CHost<'_> {
    /// The wsi standing for a descriptor in the poll-fd callbacks: the
    /// connection's, the vhost's listener wsi, or the cancel pipe's (bound to
    /// the first live vhost, whose `protocols[0]` hears of it).
    fn descriptor_wsi(&self, owner: FdOwner, fd: c_int) -> Option<&WsiHandle> {
        let w = match owner {
            FdOwner::Conn(id) => self.wsi(id)?,
            FdOwner::Listener(vh) => &self.ctx.vhost_handle(vh)?.listen_wsi,
            FdOwner::CancelPipe => {
                let vh = self
                    .ctx
                    .runtime
                    .with_core(|c| c.first_live_vhost())
                    .ok()??;
                let vh = self.ctx.vhost_handle(vh)?;
                let w = self.ctx.evlib.pipe_wsi(self.ctx);
                w.vhost.set(vh);
                w
            }
        };
        w.socket.set(fd);
        Some(w)
    }

    /// LWS_CALLBACK_ADD_POLL_FD / CHANGE_MODE_POLL_FD / DEL_POLL_FD to the
    /// vhost's `protocols[0]`, between LOCK_POLL and UNLOCK_POLL (`len` 1
    /// around an add or delete, 0 around a change, as lws), then the matching
    /// operation of a custom event library.
    fn poll_event(&self, owner: FdOwner, fd: c_int, change: PollChange) -> i32 {
        let Some(w) = self.descriptor_wsi(owner, fd) else {
            return 0;
        };
        let (reason, lock_len, events, prev_events) = match change {
            PollChange::Add { events } => (LWS_CALLBACK_ADD_POLL_FD, 1, events, 0),
            PollChange::Change { prev, events } => {
                (LWS_CALLBACK_CHANGE_MODE_POLL_FD, 0, events, prev)
            }
            PollChange::Del => (LWS_CALLBACK_DEL_POLL_FD, 1, 0, 0),
        };
        let mut pa = lws_pollargs {
            fd,
            events,
            prev_events,
        };
        let cb = w
            .vhost()
            .and_then(|vh| vh.protocols.first())
            .and_then(|p| p.callback);
        if let Some(cb) = cb {
            for (r, len) in [
                (LWS_CALLBACK_LOCK_POLL, lock_len),
                (reason, 0),
                (LWS_CALLBACK_UNLOCK_POLL, lock_len),
            ] {
                let arg: *mut lws_pollargs = &mut pa;
                // SAFETY: protocols[0]'s callback with a live wsi, its user
                // area and a pollargs valid for the call.
                unsafe {
                    protocol_callback(
                        &self.ctx.runtime,
                        cb,
                        w.as_c(),
                        r,
                        w.user.get(),
                        arg.cast(),
                        len,
                    )
                };
            }
        }
        if let Some(ops) = self.ctx.evlib.ops() {
            let rt = &self.ctx.runtime;
            let wsi_op = match (change, owner) {
                (PollChange::Add { .. }, FdOwner::Listener(_)) => ops.init_vhost_listen_wsi,
                (PollChange::Add { .. }, _) => ops.sock_accept,
                (PollChange::Del, _) => ops.wsi_logical_close,
                (PollChange::Change { .. }, _) => None,
            };
            if let Some(f) = wsi_op {
                let _scope = enter(rt);
                // SAFETY: the event library's operation with a live wsi.
                unsafe { f(w.as_c()) };
            }
            if let (PollChange::Change { prev, events }, Some(io)) = (change, ops.io) {
                for (bit, flag) in [(POLLIN, LWS_EV_READ), (POLLOUT, LWS_EV_WRITE)] {
                    if (prev ^ events) & bit != 0 {
                        let how = if events & bit != 0 {
                            LWS_EV_START
                        } else {
                            LWS_EV_STOP
                        };
                        let _scope = enter(rt);
                        // SAFETY: the event library's io operation with a live wsi.
                        unsafe { io(w.as_c(), how | flag) };
                    }
                }
            }
        }
        if change == PollChange::Del {
            w.socket.set(-1);
        }
        0
    }

    /// Calls a custom event library's context operations at creation:
    /// `init_context`, then `init_pt` for the one service thread with the
    /// foreign loop. Non-zero from either fails the creation.
    ///
    /// # Safety
    /// `ops` and `info` are the creation info's, valid for the call.
    pub unsafe fn evlib_init(
        &self,
        ops: &lws_event_loop_ops,
        info: *const lws_context_creation_info,
        foreign_loop: *mut c_void,
    ) -> c_int {
        let _scope = enter(&self.ctx.runtime);
        if let Some(f) = ops.init_context {
            // SAFETY: the library's operation with the new context and its info.
            if unsafe { f(self.ctx.as_c(), info) } != 0 {
                return -1;
            }
        }
        match ops.init_pt {
            // SAFETY: as above, with the application's foreign loop.
            Some(f) => unsafe { f(self.ctx.as_c(), foreign_loop, 0) },
            None => 0,
        }
    }

    /// A custom event library's `destroy_pt` at context destroy.
    pub fn evlib_destroy(&self, ops: &lws_event_loop_ops) {
        if let Some(f) = ops.destroy_pt {
            let _scope = enter(&self.ctx.runtime);
            // SAFETY: the library's operation with the context being destroyed.
            unsafe { f(self.ctx.as_c(), 0) };
        }
    }

    /// The wsi for a connection event, made on the first one.
    fn wsi(&self, id: ConnId) -> Option<&WsiHandle> {
        if let Some(w) = self.ctx.existing_wsi(id) {
            return Some(w);
        }
        let (vh, protocol, role) = self
            .ctx
            .runtime
            .with_core(|c| c.conn(id).map(|c| (c.vhost(), c.protocol(), c.role())))
            .ok()
            .flatten()?;
        let vh = self
            .ctx
            .vhost_handle(vh)
            .map_or(ptr::null(), |v| v as *const _);
        self.ctx.wsi_for(id, vh, protocol, role)
    }

    fn conn_event(&self, id: ConnId, event: &mut ConnEvent) -> i32 {
        let Some(w) = self.wsi(id) else {
            return 0;
        };
        self.conn_event_of(id, w, event)
    }

    fn conn_event_of(&self, id: ConnId, w: &WsiHandle, event: &mut ConnEvent) -> i32 {
        let client = w.role == Role::Client;
        let pick = |server: lws_callback_reasons, cl: lws_callback_reasons| {
            if client {
                cl
            } else {
                server
            }
        };
        let mut bytes: Vec<u8> = Vec::new();
        let mut use_bytes = false;
        let mut input: *mut c_void = ptr::null_mut();
        let mut to_protocol0 = false;
        // CLIENT_HTTP_REDIRECT passes the status as `len` (B4.4); the
        // extension confirmations pass the name as a C string with `len` 0.
        let mut len_override: Option<usize> = None;
        // RECEIVE: the byte its NUL replaced (None: the NUL was pushed past
        // the end).
        let mut nul_restore: Option<Option<u8>> = None;
        let reason = match event {
            ConnEvent::WsiCreate => {
                to_protocol0 = true;
                LWS_CALLBACK_WSI_CREATE
            }
            ConnEvent::NewClientInstantiated => LWS_CALLBACK_SERVER_NEW_CLIENT_INSTANTIATED,
            ConnEvent::BindProtocol => {
                self.bind(id, w);
                pick(
                    LWS_CALLBACK_HTTP_BIND_PROTOCOL,
                    LWS_CALLBACK_CLIENT_HTTP_BIND_PROTOCOL,
                )
            }
            ConnEvent::Connecting { fd } => {
                input = *fd as isize as *mut c_void;
                LWS_CALLBACK_CONNECTING
            }
            ConnEvent::FilterProtocolConnection { requested } => {
                if let Some(r) = requested {
                    bytes = r.clone();
                    use_bytes = true;
                }
                LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION
            }
            ConnEvent::ConfirmExtensionOkay { name } => {
                bytes = name.as_bytes().to_vec();
                use_bytes = true;
                len_override = Some(0);
                LWS_CALLBACK_CONFIRM_EXTENSION_OKAY
            }
            ConnEvent::ClientConfirmExtensionSupported { name } => {
                bytes = name.as_bytes().to_vec();
                use_bytes = true;
                len_override = Some(0);
                to_protocol0 = true;
                LWS_CALLBACK_CLIENT_CONFIRM_EXTENSION_SUPPORTED
            }
            ConnEvent::AddHeaders { room, appended } => {
                return self.add_headers(w, *room, appended);
            }
            ConnEvent::FileOpen { path, opened, .. } => {
                *opened = self.file_open(w, path);
                return 0;
            }
            ConnEvent::FileRead { at, want, data } => {
                *data = self.file_read(w, *at, *want);
                return 0;
            }
            ConnEvent::FileClose => {
                self.file_close(w);
                return 0;
            }
            ConnEvent::Established => {
                pick(LWS_CALLBACK_ESTABLISHED, LWS_CALLBACK_CLIENT_ESTABLISHED)
            }
            ConnEvent::AppendHandshakeHeader { room, appended } => {
                return self.append_headers(w, *room, appended);
            }
            ConnEvent::EstablishedClientHttp => LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP,
            ConnEvent::ClientFilterPreEstablish => LWS_CALLBACK_CLIENT_FILTER_PRE_ESTABLISH,
            ConnEvent::Receive {
                payload,
                first,
                last,
                binary,
                remaining,
            } => {
                w.rx.set(RxInfo {
                    first: *first,
                    last: *last,
                    binary: *binary,
                    remaining: *remaining,
                });
                // Straight from the connection's input buffer: the byte after
                // the payload becomes the NUL for the call (and is put back).
                let std::ops::Range { start, end } = payload.range;
                let buf = &mut payload.buf;
                if start > end || end > buf.len() {
                    return 0;
                }
                if end < buf.len() {
                    nul_restore = Some(Some(buf[end]));
                    buf[end] = 0;
                } else {
                    nul_restore = Some(None);
                    buf.push(0);
                }
                input = buf[start..].as_mut_ptr().cast();
                len_override = Some(end - start);
                pick(LWS_CALLBACK_RECEIVE, LWS_CALLBACK_CLIENT_RECEIVE)
            }
            ConnEvent::ReceivePong(p) => {
                bytes = std::mem::take(p);
                use_bytes = true;
                pick(LWS_CALLBACK_RECEIVE_PONG, LWS_CALLBACK_CLIENT_RECEIVE_PONG)
            }
            ConnEvent::Writeable => {
                pick(LWS_CALLBACK_SERVER_WRITEABLE, LWS_CALLBACK_CLIENT_WRITEABLE)
            }
            ConnEvent::PeerInitiatedClose(p) => {
                bytes = p.clone();
                use_bytes = true;
                LWS_CALLBACK_WS_PEER_INITIATED_CLOSE
            }
            ConnEvent::DropProtocol => pick(
                LWS_CALLBACK_WS_SERVER_DROP_PROTOCOL,
                LWS_CALLBACK_WS_CLIENT_DROP_PROTOCOL,
            ),
            ConnEvent::Closed => pick(LWS_CALLBACK_CLOSED, LWS_CALLBACK_CLIENT_CLOSED),
            ConnEvent::ConnectionError(why) => {
                bytes = why.as_bytes().to_vec();
                use_bytes = true;
                LWS_CALLBACK_CLIENT_CONNECTION_ERROR
            }
            ConnEvent::Timer => LWS_CALLBACK_TIMER,
            ConnEvent::FilterHttpConnection { path } => {
                Self::ensure_user(w);
                bytes = path.clone();
                use_bytes = true;
                LWS_CALLBACK_FILTER_HTTP_CONNECTION
            }
            ConnEvent::CheckAccessRights => LWS_CALLBACK_CHECK_ACCESS_RIGHTS,
            ConnEvent::Http { path } => {
                bytes = path.clone();
                use_bytes = true;
                LWS_CALLBACK_HTTP
            }
            ConnEvent::HttpBody(b) => {
                bytes = std::mem::take(b);
                use_bytes = true;
                LWS_CALLBACK_HTTP_BODY
            }
            ConnEvent::HttpBodyCompletion => LWS_CALLBACK_HTTP_BODY_COMPLETION,
            ConnEvent::HttpWriteable => LWS_CALLBACK_HTTP_WRITEABLE,
            ConnEvent::ClientHttpWriteable => LWS_CALLBACK_CLIENT_HTTP_WRITEABLE,
            ConnEvent::ReceiveClientHttp => LWS_CALLBACK_RECEIVE_CLIENT_HTTP,
            ConnEvent::CompletedClientHttp => LWS_CALLBACK_COMPLETED_CLIENT_HTTP,
            ConnEvent::ClientHttpRedirect { location, status } => {
                bytes = location.clone();
                use_bytes = true;
                len_override = Some(usize::from(*status));
                LWS_CALLBACK_CLIENT_HTTP_REDIRECT
            }
            ConnEvent::HttpFileCompletion => LWS_CALLBACK_HTTP_FILE_COMPLETION,
            ConnEvent::HttpDropProtocol => pick(
                LWS_CALLBACK_HTTP_DROP_PROTOCOL,
                LWS_CALLBACK_CLIENT_HTTP_DROP_PROTOCOL,
            ),
            ConnEvent::ClosedHttp => {
                pick(LWS_CALLBACK_CLOSED_HTTP, LWS_CALLBACK_CLOSED_CLIENT_HTTP)
            }
            ConnEvent::RawBind => {
                self.bind(id, w);
                LWS_CALLBACK_RAW_SKT_BIND_PROTOCOL
            }
            ConnEvent::RawAdopt(RawOver::Socket) => LWS_CALLBACK_RAW_ADOPT,
            ConnEvent::RawAdopt(RawOver::File) => {
                // A raw file has no bind callback; its per-session data is
                // made before RAW_ADOPT_FILE, as lws does.
                self.bind(id, w);
                LWS_CALLBACK_RAW_ADOPT_FILE
            }
            ConnEvent::RawConnected => LWS_CALLBACK_RAW_CONNECTED,
            ConnEvent::RawRx {
                over: RawOver::Socket,
                data,
                ..
            } => {
                bytes = std::mem::take(data);
                use_bytes = true;
                LWS_CALLBACK_RAW_RX
            }
            ConnEvent::RawRx {
                over: RawOver::File,
                ..
            } => LWS_CALLBACK_RAW_RX_FILE,
            ConnEvent::RawWriteable(RawOver::Socket) => LWS_CALLBACK_RAW_WRITEABLE,
            ConnEvent::RawWriteable(RawOver::File) => LWS_CALLBACK_RAW_WRITEABLE_FILE,
            ConnEvent::RawDrop => LWS_CALLBACK_RAW_SKT_DROP_PROTOCOL,
            ConnEvent::RawClose(RawOver::Socket) => LWS_CALLBACK_RAW_CLOSE,
            ConnEvent::RawClose(RawOver::File) => LWS_CALLBACK_RAW_CLOSE_FILE,
            ConnEvent::WsiDestroy => {
                to_protocol0 = true;
                LWS_CALLBACK_WSI_DESTROY
            }
        };
        let len = len_override.unwrap_or(bytes.len());
        if use_bytes {
            // Payloads are NUL-terminated one past `len`, as lws's client path
            // guarantees and C code printing them with %s expects.
            bytes.push(0);
            input = bytes.as_mut_ptr().cast();
        }
        let index = if to_protocol0 { 0 } else { w.protocol.get() };
        let cb = w
            .vhost()
            .and_then(|vh| vh.protocols.get(index))
            .and_then(|p| p.callback);
        let ret = match cb {
            // SAFETY: the protocol's callback with a live wsi, its user area, and
            // `in` valid for `len` bytes (+ NUL) during the call.
            Some(cb) => unsafe {
                protocol_callback(
                    &self.ctx.runtime,
                    cb,
                    w.as_c(),
                    reason,
                    w.user.get(),
                    input,
                    len,
                )
            },
            None => 0,
        };
        if let (Some(saved), ConnEvent::Receive { payload, .. }) = (nul_restore, &mut *event) {
            match saved {
                Some(b) => {
                    if let Some(slot) = payload.buf.get_mut(payload.range.end) {
                        *slot = b;
                    }
                }
                None => {
                    payload.buf.pop();
                }
            }
        }
        match event {
            ConnEvent::WsiDestroy => {
                self.file_close(w);
                self.ctx.retire_wsi(id)
            }
            // lws's client keeps the peer's Close payload to echo it, where
            // lws_get_close_payload then finds it (its server does not).
            ConnEvent::PeerInitiatedClose(p) if client => w.set_close_payload(p),
            _ => {}
        }
        ret
    }

    /// Binds the wsi to its protocol: zeroed per-session data of the protocol's
    /// size, unless the application supplied `userdata` (B4.T8).
    fn bind(&self, id: ConnId, w: &WsiHandle) {
        let Some((vh, protocol)) = self
            .ctx
            .runtime
            .with_core(|c| c.conn(id).map(|c| (c.vhost(), c.protocol())))
            .ok()
            .flatten()
        else {
            return;
        };
        // A queued connection learns its vhost only when it starts (B2.7).
        if let Some(v) = self.ctx.vhost_handle(vh) {
            w.vhost.set(v);
        }
        w.protocol.set(protocol);
        // Each binding starts with fresh zeroed per-session data (a keep-alive
        // connection gets a new one per transaction, B5.2).
        if w.user_owned.replace(false) {
            // SAFETY: owned data came from libc::calloc; freed once, here.
            unsafe { libc::free(w.user.replace(ptr::null_mut())) };
        }
        Self::ensure_user(w);
    }

    /// Zeroed per-session data of the wsi's protocol's size if it has none:
    /// an accepted HTTP connection has it from its first callback on, as lws
    /// makes it when it adopts the socket (a request served from a FILE mount
    /// is never bound again, yet FILTER_HTTP_CONNECTION, FILE_COMPLETION,
    /// HTTP_DROP_PROTOCOL and CLOSED_HTTP get it).
    fn ensure_user(w: &WsiHandle) {
        if !w.user.get().is_null() {
            return;
        }
        let size = w
            .vhost()
            .and_then(|v| v.psds.get(w.protocol.get()))
            .map_or(0, Cell::get);
        if size > 0 {
            // SAFETY: plain zeroed allocation, freed when the wsi is retired.
            let p = unsafe { libc::calloc(1, size) };
            w.user.set(p);
            w.user_owned.set(!p.is_null());
        }
    }

    /// Opens `path` read-only for the HTTP server through the context's fops
    /// chain, as lws does (the fops whose signature the path has, handed the
    /// chain head); the open file is kept on the wsi.
    fn file_open(&self, w: &WsiHandle, path: &str) -> Option<FileInfo> {
        self.file_close(w);
        let cpath = std::ffi::CString::new(path).ok()?;
        let head = self.ctx.fops.get();
        // SAFETY: the context's chain: its own platform table or one the user
        // set, which must stay valid while the context lives (lws contract).
        let (selected, vpath) = unsafe { super::fops::select_fops(head, &cpath) };
        // SAFETY: `vpath` is an offset inside `cpath`.
        let vpath = vpath.map_or(ptr::null(), |o| unsafe { cpath.as_ptr().add(o) });
        let mut flags: lws_fop_flags_t = libc::O_RDONLY as lws_fop_flags_t;
        let fd = {
            let _scope = enter(&self.ctx.runtime);
            // SAFETY: a valid chain; the path and flags live across the call.
            unsafe { fops_open(selected, head, cpath.as_ptr(), vpath, &mut flags) }
        };
        if fd.is_null() {
            return None;
        }
        w.file.set(fd);
        // SAFETY: the open file the fops just returned.
        let f = unsafe { &*fd };
        let mtime = if flags & LWS_FOP_FLAG_MOD_TIME_VALID != 0 {
            u64::from(f.mod_time)
        } else if f.fd >= 0 {
            // SAFETY: plain C struct; all-zero is valid.
            let mut st: libc::stat = unsafe { std::mem::zeroed() };
            // SAFETY: `f.fd` is the file's descriptor; `st` is writable.
            match unsafe { libc::fstat(f.fd, &mut st) } {
                0 => st.st_mtime.max(0) as u64,
                _ => 0,
            }
        } else {
            0
        };
        Some(FileInfo { len: f.len, mtime })
    }

    /// Reads up to `want` bytes from offset `at` of the wsi's open file.
    pub(super) fn file_read(&self, w: &WsiHandle, at: u64, want: usize) -> Option<Vec<u8>> {
        let fd = w.file.get();
        if fd.is_null() {
            return None;
        }
        let _scope = enter(&self.ctx.runtime);
        // SAFETY: the wsi's open file.
        let pos = unsafe { (*fd).pos };
        if pos != at {
            // SAFETY: as above (`lws_vfs_file_seek_set`).
            let r = unsafe { fops_seek_cur(fd, at as lws_fileofs_t - pos as lws_fileofs_t) };
            if r < 0 {
                return None;
            }
        }
        let mut buf = vec![0u8; want];
        let mut amount: lws_filepos_t = 0;
        // SAFETY: `buf` is writable for `want` bytes; `amount` is writable.
        let r = unsafe {
            fops_io(
                fd,
                false,
                &mut amount,
                buf.as_mut_ptr(),
                want as lws_filepos_t,
            )
        };
        if r < 0 {
            return None;
        }
        buf.truncate((amount as usize).min(want));
        Some(buf)
    }

    /// Closes the wsi's open file, if any.
    fn file_close(&self, w: &WsiHandle) {
        let mut fd = w.file.replace(ptr::null_mut());
        if fd.is_null() {
            return;
        }
        let _scope = enter(&self.ctx.runtime);
        // SAFETY: the wsi's open file, closed once through its own fops.
        unsafe { fops_close(&mut fd) };
    }

    /// CLIENT_APPEND_HANDSHAKE_HEADER: `in` is a `char **` into a buffer of
    /// `room` bytes; what the callback advanced over is appended.
    fn append_headers(&self, w: &WsiHandle, room: usize, appended: &mut Vec<u8>) -> i32 {
        let Some(cb) = w
            .vhost()
            .and_then(|vh| vh.protocols.get(w.protocol.get()))
            .and_then(|p| p.callback)
        else {
            return 0;
        };
        lend_header_room(room, appended, |start| {
            let mut p = start;
            // SAFETY: the callback may write up to `room` bytes from `p` (the
            // lent room has `room + 1`) and advance it.
            let ret = unsafe {
                protocol_callback(
                    &self.ctx.runtime,
                    cb,
                    w.as_c(),
                    LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER,
                    w.user.get(),
                    ptr::addr_of_mut!(p).cast(),
                    room,
                )
            };
            (ret, p)
        })
    }

    /// LWS_CALLBACK_ADD_HEADERS: `in` is a `struct lws_process_html_args`
    /// whose `p` / `max_len` give room for header lines.
    fn add_headers(&self, w: &WsiHandle, room: usize, appended: &mut Vec<u8>) -> i32 {
        let Some(cb) = w
            .vhost()
            .and_then(|vh| vh.protocols.get(w.protocol.get()))
            .and_then(|p| p.callback)
        else {
            return 0;
        };
        lend_header_room(room, appended, |start| {
            let mut args = lws_process_html_args {
                p: start,
                len: 0,
                max_len: c_int::try_from(room).unwrap_or(c_int::MAX),
                r#final: 0,
                chunked: 0,
            };
            // SAFETY: the callback may append up to `max_len` bytes at `args.p`
            // and advance it; both stay valid for the call.
            let ret = unsafe {
                protocol_callback(
                    &self.ctx.runtime,
                    cb,
                    w.as_c(),
                    LWS_CALLBACK_ADD_HEADERS,
                    w.user.get(),
                    ptr::addr_of_mut!(args).cast(),
                    0,
                )
            };
            (ret, args.p)
        })
    }

    fn protocol_event(&self, at: ProtocolRef, event: ProtocolEvent) -> i32 {
        let Some(vh) = self.ctx.vhost_handle(at.vhost) else {
            return 0;
        };
        let (Some(p), Some(wsi)) = (vh.protocols.get(at.index), vh.stand_ins.get(at.index)) else {
            return 0;
        };
        let Some(cb) = p.callback else {
            return 0;
        };
        let input: *mut c_void = match event {
            ProtocolEvent::Init => pvo_options_for(vh.pvo, p.name) as *mut c_void,
            _ => ptr::null_mut(),
        };
        // SAFETY: calling the protocol's callback with a stand-in wsi that lives as
        // long as the vhost handle, a NULL user area and the event's `in`.
        unsafe {
            protocol_callback(
                &self.ctx.runtime,
                cb,
                wsi.as_c(),
                reasons::protocol_event(event),
                ptr::null_mut(),
                input,
                0,
            )
        }
    }

    /// Walks the notifier list from its head: on attempts, stops at the first
    /// veto and returns it; on arrivals, every notifier hears it (a non-zero answer
    /// stops the walk, as in 4.3.3).
    fn notify(&self, current: SysState, target: SysState, attempt: bool) -> i32 {
        let mgr = self.ctx.state_mgr.get();
        // SAFETY: the manager lives inside the context handle.
        let mut node = unsafe { (*mgr).notify_list.head };
        while !node.is_null() {
            // Links embed their dll2 node as the first member (offset 0).
            let link = node as *mut lws_state_notify_link;
            // SAFETY: registered links must stay valid while registered; read the
            // successor before the callback, which may deregister the link.
            let next = unsafe { (*node).next };
            // SAFETY: as above.
            let cb = unsafe { (*link).notify_cb };
            if let Some(cb) = cb {
                let _scope = enter_state_driver(&self.ctx.runtime);
                // SAFETY: calling the user's notifier with the manager and its link.
                let r = unsafe {
                    cb(
                        mgr,
                        link,
                        current.number() as c_int,
                        target.number() as c_int,
                    )
                };
                if r != 0 {
                    if attempt {
                        return r;
                    }
                    break;
                }
            }
            node = next;
        }
        0
    }
}

/// The per-vhost options (`pvo->options`) of the protocol named `name`, or NULL.
fn pvo_options_for(
    mut pvo: *const lws_protocol_vhost_options,
    name: *const std::ffi::c_char,
) -> *const lws_protocol_vhost_options {
    if name.is_null() {
        return ptr::null();
    }
    // SAFETY: protocol names are NUL-terminated C strings from the creation info.
    let name = unsafe { CStr::from_ptr(name) };
    while !pvo.is_null() {
        // SAFETY: the pvo list is kept by reference (as lws does) and must stay
        // valid for the vhost's life.
        let node = unsafe { &*pvo };
        let (pname, options, next) = (node.name, node.options, node.next);
        // SAFETY: pvo names are NUL-terminated C strings.
        if !pname.is_null() && unsafe { CStr::from_ptr(pname) } == name {
            return options;
        }
        pvo = next;
    }
    ptr::null()
}

/// Hands one piece of a file upload to a form parser's `lws_spa_fileupload_cb`
/// (src/ffi/spa.rs); 0 when there is no callback.
///
/// # Safety
/// `name` and `filename` are NUL-terminated; `buf` is NULL or writable for
/// `len` bytes; all stay valid for the call.
pub unsafe fn spa_upload(
    cb: lws_spa_fileupload_cb,
    data: *mut c_void,
    name: *const c_char,
    filename: *const c_char,
    buf: *mut c_char,
    len: c_int,
    state: lws_spa_fileupload_states,
) -> c_int {
    let Some(cb) = cb else {
        return 0;
    };
    // SAFETY: the user's upload callback with its own opt_data and buffers
    // that the caller keeps valid for the call.
    unsafe { cb(data, name, filename, buf, len, state) }
}

/// Calls a lejp parser callback (the user's own `lejp_parse` runs it, so no
/// context is entered).
///
/// # Safety
/// `ctx` is the live parse context `cb` was registered on; no Rust reference
/// to it is held across the call.
pub unsafe fn lejp_callback(
    cb: unsafe extern "C" fn(*mut lejp_ctx, c_char) -> std::ffi::c_schar,
    ctx: *mut lejp_ctx,
    reason: c_char,
) -> std::ffi::c_schar {
    debug_assert!(!core_lock_held(), "user code entered under the core lock");
    // SAFETY: forwarded contract.
    unsafe { cb(ctx, reason) }
}

/// Calls a `lws_strexp` name expander.
///
/// # Safety
/// `name` is NUL-terminated; `out` has `olen` bytes; `pos` and `exp_ofs` point
/// into the live expander; all stay valid for the call.
pub unsafe fn strexp_expand(
    cb: unsafe extern "C" fn(
        *mut c_void,
        *const c_char,
        *mut c_char,
        *mut usize,
        usize,
        *mut usize,
    ) -> c_int,
    priv_: *mut c_void,
    name: *const c_char,
    out: *mut c_char,
    pos: *mut usize,
    olen: usize,
    exp_ofs: *mut usize,
) -> c_int {
    debug_assert!(!core_lock_held(), "user code entered under the core lock");
    // SAFETY: forwarded contract.
    unsafe { cb(priv_, name, out, pos, olen, exp_ofs) }
}

/// Calls an extension callback from `lws_ext_parse_options` (the user's own
/// call runs it, so no context is entered).
///
/// # Safety
/// `cb` is the extension's callback; `oa` lives across the call.
#[allow(
    clippy::too_many_arguments,
    reason = "lws's extension callback signature"
)]
pub unsafe fn extension_callback(
    cb: unsafe extern "C" fn(
        *mut lws_context,
        *const lws_extension,
        *mut lws,
        lws_extension_callback_reasons,
        *mut c_void,
        *mut c_void,
        usize,
    ) -> c_int,
    context: *mut lws_context,
    ext: *const lws_extension,
    wsi: *mut lws,
    reason: lws_extension_callback_reasons,
    user: *mut c_void,
    oa: &mut lws_ext_option_arg,
) -> c_int {
    debug_assert!(!core_lock_held(), "user code entered under the core lock");
    let arg: *mut lws_ext_option_arg = oa;
    // SAFETY: forwarded contract.
    unsafe { cb(context, ext, wsi, reason, user, arg.cast(), 0) }
}

/// Hands one system message to an `lws_smd_register` peer, on the service
/// thread (src/ffi/smd.rs).
///
/// # Safety
/// `buf` is writable for `len` bytes (+ a NUL) for the call; `opaque` is what
/// the peer registered with.
pub unsafe fn smd_notification(
    rt: &Runtime,
    cb: unsafe extern "C" fn(*mut c_void, u32, lws_usec_t, *mut c_void, usize) -> c_int,
    opaque: *mut c_void,
    class: u32,
    timestamp: lws_usec_t,
    buf: *mut c_void,
    len: usize,
) -> c_int {
    let _scope = enter(rt);
    // SAFETY: forwarded contract.
    unsafe { cb(opaque, class, timestamp, buf, len) }
}

/// Calls the application's `lws_system_ops.attach` (src/ffi/system.rs).
///
/// # Safety
/// `attach` comes from the creation info's ops; the arguments follow its contract.
pub unsafe fn system_attach_op(
    rt: &Runtime,
    attach: unsafe extern "C" fn(
        *mut lws_context,
        c_int,
        lws_attach_cb_t,
        lws_system_states_t,
        *mut c_void,
        *mut *mut lws_attach_item,
    ) -> c_int,
    context: *mut lws_context,
    get: *mut *mut lws_attach_item,
) -> c_int {
    let _scope = enter(rt);
    // SAFETY: forwarded contract; a NULL cb with a `get` asks for a ready item.
    unsafe { attach(context, 0, None, 0, ptr::null_mut(), get) }
}

/// Runs a served attach request's callback on the service thread.
///
/// # Safety
/// `cb` and `opaque` are what `__lws_system_attach` was given.
pub unsafe fn attach_callback(
    rt: &Runtime,
    cb: unsafe extern "C" fn(*mut lws_context, c_int, *mut c_void),
    context: *mut lws_context,
    opaque: *mut c_void,
) {
    let _scope = enter(rt);
    // SAFETY: forwarded contract.
    unsafe { cb(context, 0, opaque) }
}

/// Calls `lws_system_ops.captive_portal_detect_request`.
///
/// # Safety
/// `request` comes from the creation info's ops.
pub unsafe fn captive_portal_detect_request(
    rt: &Runtime,
    request: unsafe extern "C" fn(*mut lws_context) -> c_int,
    context: *mut lws_context,
) -> c_int {
    let _scope = enter_state_driver(rt);
    // SAFETY: forwarded contract.
    unsafe { request(context) }
}

/// Calls the `lws_reload_func` of a deprecated context once its last
/// connection has gone.
///
/// # Safety
/// `reload` is what `lws_context_deprecate` was given.
pub unsafe fn deprecation_done(rt: &Runtime, reload: unsafe extern "C" fn() -> c_int) {
    let _scope = enter(rt);
    // SAFETY: forwarded contract. lws ignores what it returns.
    unsafe { reload() };
}

/// Calls a log context's (or a log call's) prepend function, which writes a
/// prefix at `*p` (not past `e`) and advances `*p`. The user's own log call
/// runs it, so no context is entered.
///
/// # Safety
/// `p` points at a pointer into a buffer that ends at `e`; `cx` and `obj` are
/// what the log call was given.
pub unsafe fn log_prepend(
    prep: unsafe extern "C" fn(*mut lws_log_cx, *mut c_void, *mut *mut c_char, *mut c_char),
    cx: *mut lws_log_cx,
    obj: *mut c_void,
    p: *mut *mut c_char,
    e: *mut c_char,
) {
    debug_assert!(!core_lock_held(), "user code entered under the core lock");
    // SAFETY: forwarded contract.
    unsafe { prep(cx, obj, p, e) }
}

/// Hands a finished line to a log context's emitter (context-aware or plain).
///
/// # Safety
/// `cx` is the live log context the emitter belongs to; `line` is
/// NUL-terminated, `len` bytes long.
pub unsafe fn log_cx_emit(cx: *mut lws_log_cx, aware: bool, level: c_int, line: &std::ffi::CStr) {
    debug_assert!(!core_lock_held(), "log emitter called under the core lock");
    // SAFETY: `u` is a union of two function pointers; `aware` says which one
    // the application stored (LLLF_LOG_CONTEXT_AWARE), as lws reads it.
    let u = unsafe { (*cx).u };
    if aware {
        // SAFETY: as above.
        if let Some(emit_cx) = unsafe { u.emit_cx } {
            // SAFETY: the application's emitter with its own context.
            unsafe { emit_cx(cx, level, line.as_ptr(), line.to_bytes().len()) };
        }
        // SAFETY: as above.
    } else if let Some(emit) = unsafe { u.emit } {
        // SAFETY: the application's emitter with a NUL-terminated line.
        unsafe { emit(level, line.as_ptr()) };
    }
}

/// Tells a log context's `refcount_cb` that its count changed.
///
/// # Safety
/// `cx` is the live log context `cb` belongs to.
pub unsafe fn log_cx_refcount(
    cb: unsafe extern "C" fn(*mut lws_log_cx, c_int),
    cx: *mut lws_log_cx,
    new: c_int,
) {
    debug_assert!(!core_lock_held(), "user code entered under the core lock");
    // SAFETY: forwarded contract.
    unsafe { cb(cx, new) }
}

/// Calls the allocator installed with `lws_set_allocator`.
///
/// # Safety
/// `hook` is the user's allocator; the arguments follow its realloc contract.
pub unsafe fn allocator_hook(
    hook: unsafe extern "C" fn(*mut c_void, usize, *const c_char) -> *mut c_void,
    ptr: *mut c_void,
    size: usize,
    reason: *const c_char,
) -> *mut c_void {
    // SAFETY: forwarded contract.
    unsafe { hook(ptr, size, reason) }
}

/// Calls the comparator of `lws_dll2_add_sorted_priv`.
///
/// # Safety
/// `compare` is callable with `priv_` and two valid nodes.
pub unsafe fn dll2_compare_priv(
    compare: unsafe extern "C" fn(*mut c_void, *const lws_dll2, *const lws_dll2) -> c_int,
    priv_: *mut c_void,
    a: *const lws_dll2,
    b: *const lws_dll2,
) -> c_int {
    debug_assert!(!core_lock_held(), "user code entered under the core lock");
    // SAFETY: forwarded contract.
    unsafe { compare(priv_, a, b) }
}

/// Calls the sort function of `lws_list_ptr_insert`.
///
/// # Safety
/// `sort` is callable with two valid list links.
pub unsafe fn list_ptr_sort(
    sort: unsafe extern "C" fn(*mut c_void, *mut c_void) -> c_int,
    a: *mut c_void,
    b: *mut c_void,
) -> c_int {
    debug_assert!(!core_lock_held(), "user code entered under the core lock");
    // SAFETY: forwarded contract.
    unsafe { sort(a, b) }
}

/// Calls the save or load callback of `lws_tls_session_dump_save/_load`.
///
/// # Safety
/// `cb` is what the application passed; `dump` is valid for the call.
pub unsafe fn tls_session_dump(
    rt: &Runtime,
    cb: unsafe extern "C" fn(*mut lws_context, *mut lws_tls_session_dump) -> c_int,
    context: *mut lws_context,
    dump: *mut lws_tls_session_dump,
) -> c_int {
    let _scope = enter(rt);
    // SAFETY: forwarded contract.
    unsafe { cb(context, dump) }
}

/// Calls the `lws_hdr_custom_name_foreach` callback for one header name.
///
/// # Safety
/// `cb` is what the application passed; `name` has `nlen` bytes for the call.
pub unsafe fn custom_header_name(
    rt: &Runtime,
    cb: unsafe extern "C" fn(*const c_char, c_int, *mut c_void),
    name: *const c_char,
    nlen: c_int,
    opaque: *mut c_void,
) {
    let _scope = enter(rt);
    // SAFETY: forwarded contract.
    unsafe { cb(name, nlen, opaque) }
}

/// Calls the `open` of the fops `selected`, handing it the chain head `head`
/// as lws does (`fops->open(context->fops, path, vpath, &flags)`). NULL when
/// the table has no `open`.
///
/// # Safety
/// `selected` points at a valid fops table; `head`, `filename`, `vpath` and
/// `flags` are what its `open` expects.
pub unsafe fn fops_open(
    selected: *const lws_plat_file_ops,
    head: *const lws_plat_file_ops,
    filename: *const c_char,
    vpath: *const c_char,
    flags: *mut lws_fop_flags_t,
) -> lws_fop_fd_t {
    debug_assert!(!core_lock_held(), "user code entered under the core lock");
    // SAFETY: a valid table by contract.
    let Some(open) = (unsafe { (*selected).open }) else {
        return ptr::null_mut();
    };
    // SAFETY: forwarded contract.
    unsafe { open(head, filename, vpath, flags) }
}

/// The fops of an open file (`fop_fd->fops`), or None.
///
/// # Safety
/// `fop_fd` is a valid open file.
unsafe fn fops_of<'a>(fop_fd: lws_fop_fd_t) -> Option<&'a lws_plat_file_ops> {
    // SAFETY: a valid open file.
    let fops = unsafe { (*fop_fd).fops };
    // SAFETY: NULL or a valid table.
    unsafe { fops.as_ref() }
}

/// Calls `fop_fd->fops->seek_cur`; -1 without one.
///
/// # Safety
/// `fop_fd` is a valid open file.
pub unsafe fn fops_seek_cur(fop_fd: lws_fop_fd_t, offset: lws_fileofs_t) -> lws_fileofs_t {
    debug_assert!(!core_lock_held(), "user code entered under the core lock");
    // SAFETY: a valid open file.
    match unsafe { fops_of(fop_fd) }.and_then(|f| f.seek_cur) {
        // SAFETY: the file's own seek.
        Some(seek) => unsafe { seek(fop_fd, offset) },
        None => -1,
    }
}
/// Calls `fop_fd->fops->close(pfop_fd)`; 0 when there is no file or no `close`
/// (`lws_vfs_file_close`).
///
/// # Safety
/// `pfop_fd` points at NULL or a valid open file.
pub unsafe fn fops_close(pfop_fd: *mut lws_fop_fd_t) -> c_int {
    debug_assert!(!core_lock_held(), "user code entered under the core lock");
    // SAFETY: readable by contract.
    let fd = unsafe { *pfop_fd };
    if fd.is_null() {
        return 0;
    }
    // SAFETY: a valid open file.
    match unsafe { fops_of(fd) }.and_then(|f| f.close) {
        // SAFETY: the file's own close with the caller's slot.
        Some(close) => unsafe { close(pfop_fd) },
        None => 0,
    }
}

/// Calls `fop_fd->fops->read` (or `write` when `write`); -1 without one.
///
/// # Safety
/// `fop_fd` is a valid open file, `amount` writable, `buf` valid for `len`.
pub unsafe fn fops_io(
    fop_fd: lws_fop_fd_t,
    write: bool,
    amount: *mut lws_filepos_t,
    buf: *mut u8,
    len: lws_filepos_t,
) -> c_int {
    debug_assert!(!core_lock_held(), "user code entered under the core lock");
    // SAFETY: a valid open file.
    let f = unsafe { fops_of(fop_fd) }.and_then(|f| if write { f.write } else { f.read });
    match f {
        // SAFETY: the file's own read/write with the caller's buffer.
        Some(io) => unsafe { io(fop_fd, amount, buf, len) },
        None => -1,
    }
}

/// Calls a map's key hash (`lws_map_info._hash`).
///
/// # Safety
/// `hash` is callable with the key bytes.
pub unsafe fn map_hash(
    hash: unsafe extern "C" fn(lws_map_key_t, usize) -> lws_map_hash_t,
    key: lws_map_key_t,
    len: usize,
) -> lws_map_hash_t {
    debug_assert!(!core_lock_held(), "user code entered under the core lock");
    // SAFETY: forwarded contract.
    unsafe { hash(key, len) }
}

/// Calls a map's key compare (`lws_map_info._compare`).
///
/// # Safety
/// `compare` is callable with both keys' bytes.
pub unsafe fn map_compare(
    compare: unsafe extern "C" fn(lws_map_key_t, usize, lws_map_value_t, usize) -> c_int,
    a: lws_map_key_t,
    alen: usize,
    b: lws_map_value_t,
    blen: usize,
) -> c_int {
    debug_assert!(!core_lock_held(), "user code entered under the core lock");
    // SAFETY: forwarded contract.
    unsafe { compare(a, alen, b, blen) }
}

/// Calls a map's item allocator (`lws_map_info._alloc`).
///
/// # Safety
/// `alloc` is callable with the map handle.
pub unsafe fn map_alloc(
    alloc: unsafe extern "C" fn(*mut lws_map, usize) -> *mut c_void,
    map: *mut lws_map,
    size: usize,
) -> *mut c_void {
    debug_assert!(!core_lock_held(), "user code entered under the core lock");
    // SAFETY: forwarded contract.
    unsafe { alloc(map, size) }
}

/// Calls a map's item free (`lws_map_info._free`).
///
/// # Safety
/// `free` is the pair of the allocator `item` came from.
pub unsafe fn map_free(free: unsafe extern "C" fn(*mut c_void), item: *mut c_void) {
    debug_assert!(!core_lock_held(), "user code entered under the core lock");
    // SAFETY: forwarded contract.
    unsafe { free(item) }
}

/// Calls a cache's item destroy hook (`lws_cache_creation_info.cb`).
///
/// # Safety
/// `payload` is valid for `size` bytes for the call.
pub unsafe fn cache_item_destroy(
    cb: unsafe extern "C" fn(*mut c_void, usize),
    payload: *mut c_void,
    size: usize,
) {
    debug_assert!(!core_lock_held(), "user code entered under the core lock");
    // SAFETY: forwarded contract.
    unsafe { cb(payload, size) }
}

/// Calls an `lws_dir` callback with one entry.
///
/// # Safety
/// `dirpath` and `lde` are valid for the call.
pub unsafe fn dir_entry(
    cb: lws_dir_callback_function,
    dirpath: *const c_char,
    user: *mut c_void,
    lde: *mut lws_dir_entry,
) -> c_int {
    debug_assert!(!core_lock_held(), "user code entered under the core lock");
    // SAFETY: forwarded contract.
    unsafe { cb(dirpath, user, lde) }
}

/// Calls an `lws_dir_glob` path callback.
///
/// # Safety
/// `path` is a valid C string for the call.
pub unsafe fn dir_glob_path(
    cb: unsafe extern "C" fn(*mut c_void, *const c_char) -> c_int,
    user: *mut c_void,
    path: *const c_char,
) -> c_int {
    debug_assert!(!core_lock_held(), "user code entered under the core lock");
    // SAFETY: forwarded contract.
    unsafe { cb(user, path) }
}

thread_local! {
    /// The buffer header callbacks (ADD_HEADERS, CLIENT_APPEND_HANDSHAKE_HEADER)
    /// write into: one per service thread, kept from one connection to the
    /// next, as lws lends its per-thread service buffer. Zeroed once, when it
    /// grows; only what a callback wrote is copied out.
    static HEADER_ROOM: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Lends at least `room + 1` writable bytes to `write`, which calls user code
/// with their start and returns its answer and where the user code stopped;
/// the bytes before that point (at most `room`) are appended to `appended`.
fn lend_header_room(
    room: usize,
    appended: &mut Vec<u8>,
    write: impl FnOnce(*mut c_char) -> (i32, *mut c_char),
) -> i32 {
    HEADER_ROOM.with(|cell| {
        // A header callback that somehow led to another (never through the
        // pump, which does not nest) gets a buffer of its own.
        let mut own = Vec::new();
        let mut lent = cell.try_borrow_mut();
        let buf = match lent.as_deref_mut() {
            Ok(b) => b,
            Err(_) => &mut own,
        };
        if buf.len() <= room {
            buf.resize(room + 1, 0);
        }
        let start = buf.as_mut_ptr().cast::<c_char>();
        let (ret, end) = write(start);
        let used = (end as usize).saturating_sub(start as usize).min(room);
        appended.extend_from_slice(&buf[..used]);
        ret
    })
}
