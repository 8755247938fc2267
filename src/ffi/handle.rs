//! The objects behind the C handles, and the only place where raw handle
//! pointers become references.
//!
//! `struct lws_context *`, `struct lws_vhost *` and `struct lws *` point at a
//! [`ContextHandle`], [`VhostHandle`] or [`WsiHandle`]. Each starts with a magic
//! word so that NULL, a pointer of the wrong kind, or a context already destroyed
//! is refused with a log line instead of being used. Vhost handles live until
//! their context is freed, so pointers held by C stay readable after
//! `lws_vhost_destroy`.

use std::cell::{Cell, UnsafeCell};
use std::collections::VecDeque;
use std::ffi::{c_int, c_void, CString};
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use parking_lot::Mutex;

use super::types::{
    lws, lws_context, lws_dll2_owner, lws_plat_file_ops, lws_protocol_vhost_options, lws_protocols,
    lws_state_manager, lws_vhost,
};
use crate::core::conn::Conn;
use crate::core::runtime::{thread_token, Runtime};
use crate::core::{ConnId, Error, Face, Role, VhostId};

const CONTEXT_MAGIC: u64 = 0x6c77_732d_7273_6358;
const VHOST_MAGIC: u64 = 0x6c77_732d_7273_7648;
const WSI_MAGIC: u64 = 0x6c77_732d_7273_7757;
const DEAD: u64 = 0xdead_dead_dead_dead;

/// A vhost's `finalize` hook (`info.finalize`).
pub type FinalizeFn = unsafe extern "C" fn(vh: *mut lws_vhost, arg: *mut c_void);

/// Behind `struct lws_context *`.
pub struct ContextHandle {
    magic: AtomicU64,
    pub runtime: Runtime,
    /// `info.user`, returned by `lws_context_user`.
    pub user: *mut c_void,
    /// `info.options` of the context.
    pub options: u64,
    /// The C-visible state manager (`lws_system_get_state_manager`).
    pub state_mgr: UnsafeCell<lws_state_manager>,
    /// What a scheduled sul's `list.owner` points at, so `lws_sul_cancel(sul)`
    /// can find its context and `lws_dll2_is_detached` tells whether it is armed.
    pub sul_owner: UnsafeCell<lws_dll2_owner>,
    /// `info.pcontext`, cleared when the context is freed.
    pub pcontext: *mut *mut lws_context,
    /// Set when a panic was caught inside this context: every later call fails.
    pub poisoned: AtomicBool,
    /// The thread that created the context ([`thread_token`]): until a
    /// service thread exists, a panic on this thread poisons the context.
    creator: u64,
    /// The service thread's pthread id once a handle conversion has seen it
    /// (0 before): that thread then passes the thread check without a
    /// thread-local lookup. pthread ids are reused only after their thread
    /// is gone, so a match is the service thread or a later thread with no
    /// predecessor left to race with.
    service_pthread: AtomicU64,
    /// The context's platform fops (`lws_get_fops` hands out a pointer to it,
    /// which C may write), chained to `info.fops`.
    pub fops_platform: UnsafeCell<lws_plat_file_ops>,
    /// The head of the fops chain files are opened with (`lws_set_fops`).
    pub fops: Cell<*const lws_plat_file_ops>,
    /// `lws_canonical_hostname`: gethostname() at creation, or "unknown"
    /// (also with LWS_SERVER_OPTION_SKIP_SERVER_CANONICAL_NAME).
    pub canonical_hostname: CString,
    /// Handles of destroyed connections, kept a while so that a late call with a
    /// stale pointer reads a dead handle and is refused (guide §3.5).
    quarantine: Mutex<VecDeque<*mut WsiHandle>>,
    /// The custom event library and the cancel pipe's wsi (external poll).
    pub evlib: super::eventlib::EventLib,
    /// Suls armed by `lws_sul_schedule_wakesuspend` (addresses; those no
    /// longer armed here are dropped when looked at).
    pub wakeable_suls: Mutex<std::collections::HashSet<usize>>,
    /// The next lifecycle-tag ordinals of client and server connections.
    tag_ordinals: [AtomicU64; 2],
}

/// How many dead wsi handles are kept before the oldest is freed.
const QUARANTINE: usize = 256;

impl ContextHandle {
    pub fn new(
        runtime: Runtime,
        user: *mut c_void,
        options: u64,
        pcontext: *mut *mut lws_context,
        user_fops: *const lws_plat_file_ops,
    ) -> Box<Self> {
        let cx = Box::new(ContextHandle {
            magic: AtomicU64::new(CONTEXT_MAGIC),
            runtime,
            user,
            options,
            state_mgr: UnsafeCell::new(lws_state_manager {
                notify_list: empty_owner(),
                context: ptr::null_mut(),
                parent: ptr::null_mut(),
                smd_class: 0,
                state_names: ptr::null_mut(),
                name: c"system".as_ptr(),
                state: 1,
            }),
            sul_owner: UnsafeCell::new(empty_owner()),
            pcontext,
            poisoned: AtomicBool::new(false),
            creator: thread_token(),
            service_pthread: AtomicU64::new(0),
            fops_platform: UnsafeCell::new(super::fops::platform_fops(user_fops)),
            fops: Cell::new(ptr::null()),
            canonical_hostname: canonical_hostname(options),
            quarantine: Mutex::new(VecDeque::new()),
            evlib: super::eventlib::EventLib::default(),
            wakeable_suls: Mutex::new(std::collections::HashSet::new()),
            tag_ordinals: [AtomicU64::new(0), AtomicU64::new(0)],
        });
        cx.fops.set(cx.fops_platform.get());
        LIVE_CONTEXTS
            .lock()
            .push(&*cx as *const ContextHandle as usize);
        cx
    }

    /// Whether a panic on the thread `token` poisons this context: it is the
    /// service thread, or the creator while there is none yet.
    fn belongs_to(&self, token: u64) -> bool {
        match self.runtime.owner_token() {
            0 => self.creator == token,
            owner => owner == token,
        }
    }

    pub fn as_c(&self) -> *mut lws_context {
        self as *const ContextHandle as *mut lws_context
    }

    /// Publishes a vhost handle in the core's entry of its vhost (one store).
    pub fn publish_vhost(&self, vh: Box<VhostHandle>) -> Result<*mut VhostHandle, Error> {
        let id = vh.id;
        let raw = Box::into_raw(vh);
        let stored = self
            .runtime
            .with_core(|c| c.set_vhost_face(id, Face(raw as usize)));
        if let Err(e) = stored {
            // SAFETY: just made by Box::into_raw and published nowhere.
            drop(unsafe { Box::from_raw(raw) });
            return Err(e);
        }
        Ok(raw)
    }

    pub fn vhost_handle(&self, id: VhostId) -> Option<&VhostHandle> {
        let face = self.runtime.with_core(|c| c.vhost_face(id)).ok()??;
        // SAFETY: vhost faces are Box::into_raw pointers of vhost handles, freed
        // only in `free_all_vhosts`, after the last callout.
        Some(unsafe { &*(face.0 as *const VhostHandle) })
    }

    /// The next lifecycle-tag ordinal of a client or server connection.
    fn next_ordinal(&self, role: Role) -> u64 {
        let group = usize::from(role == Role::Server);
        self.tag_ordinals[group].fetch_add(1, Ordering::Relaxed)
    }

    /// How many vhosts the context ever had (destroyed ones included).
    pub fn vhost_count(&self) -> usize {
        self.runtime.with_core(|c| c.vhost_slots()).unwrap_or(0)
    }

    /// The handle of a connection, made on first use and kept in the core's
    /// slab entry of the connection (one store: no table of ours to keep in
    /// step). None once the connection is gone.
    pub fn wsi_for(
        &self,
        id: ConnId,
        vhost: *const VhostHandle,
        protocol: usize,
        role: Role,
    ) -> Option<&WsiHandle> {
        let make = |c: &Conn| {
            let w = Box::new(WsiHandle::conn(self, vhost, protocol, c, role));
            Face(Box::into_raw(w) as usize)
        };
        let face = self.runtime.with_core(|c| c.face_for(id, make)).ok()??;
        // SAFETY: faces are Box::into_raw pointers of wsi handles, owned by the
        // connection's slab entry until `retire_wsi` (after its last callout)
        // or `free_all_wsis` takes them.
        Some(unsafe { &*(face.0 as *const WsiHandle) })
    }

    pub fn existing_wsi(&self, id: ConnId) -> Option<&WsiHandle> {
        let face = self
            .runtime
            .with_core(|c| c.conn(id).and_then(|k| k.face()))
            .ok()??;
        self.wsi_of_face(face)
    }

    /// The handle behind a face the core just handed out with a callout
    /// (still in the connection's slab entry: no lock needed to find it).
    pub fn wsi_of_face(&self, face: Face) -> Option<&WsiHandle> {
        // SAFETY: as in `wsi_for`: a face in a slab entry is a live wsi handle
        // until `retire_wsi`, which runs only after the connection's last
        // callout; the callout carrying this face has not been answered yet.
        Some(unsafe { &*(face.0 as *const WsiHandle) })
    }

    /// The connection's last callout was delivered: the handle dies, its
    /// per-session data is freed, and the memory is kept a while.
    pub fn retire_wsi(&self, id: ConnId) {
        let Ok(Some(face)) = self.runtime.with_core(|c| c.take_face(id)) else {
            return;
        };
        let raw = face.0 as *mut WsiHandle;
        // SAFETY: just taken from its slab entry; still allocated.
        let w = unsafe { &*raw };
        w.kill();
        let mut q = self.quarantine.lock();
        q.push_back(raw);
        while q.len() > QUARANTINE {
            if let Some(old) = q.pop_front() {
                // SAFETY: each quarantined pointer came from Box::into_raw and
                // leaves the queue exactly once.
                drop(unsafe { Box::from_raw(old) });
            }
        }
    }

    /// Frees every wsi handle (the context is going away).
    pub fn free_all_wsis(&self) {
        let live = self
            .runtime
            .with_core(|c| c.take_all_faces())
            .unwrap_or_default();
        let dead: Vec<*mut WsiHandle> = self.quarantine.lock().drain(..).collect();
        let live = live.into_iter().map(|f| f.0 as *mut WsiHandle);
        for raw in live.chain(dead) {
            // SAFETY: each pointer came from Box::into_raw and was taken from
            // its slab entry or the quarantine above, so it is freed once.
            let w = unsafe { Box::from_raw(raw) };
            w.kill();
        }
    }

    /// Frees every vhost handle (the context is going away), with the
    /// per-vhost storage a teardown did not reach (a poisoned context).
    pub fn free_all_vhosts(&self) {
        let all = self
            .runtime
            .with_core(|c| c.take_vhost_faces())
            .unwrap_or_default();
        for face in all {
            // SAFETY: each face came from Box::into_raw in publish_vhost and was
            // taken from its core entry above, so it is freed once.
            let vh = unsafe { Box::from_raw(face.0 as *mut VhostHandle) };
            vh.magic.store(DEAD, Ordering::Release);
            for block in vh.privs.lock().drain(..).flatten() {
                // SAFETY: every block came from libc::calloc in
                // lws_protocol_vh_priv_zalloc and left the table just now.
                unsafe { libc::free(block) };
            }
            drop(vh);
        }
    }

    /// Marks the handle dead just before it is freed.
    pub fn kill(&self) {
        self.magic.store(DEAD, Ordering::Release);
    }
}

impl Drop for ContextHandle {
    fn drop(&mut self) {
        let me = self as *const ContextHandle as usize;
        LIVE_CONTEXTS.lock().retain(|&c| c != me);
    }
}

/// Every context handle not yet dropped (addresses): what a caught panic
/// looks through for the contexts of its thread. A handle leaves the list in
/// its destructor, under the list's lock, before its memory goes back.
static LIVE_CONTEXTS: Mutex<Vec<usize>> = Mutex::new(Vec::new());

/// After a panic was caught on this thread: poisons every context of the
/// thread (its service thread, or its creator before it has one), so that
/// every later call on them is refused. The contexts the panicking call did
/// not reach are poisoned too: an internal error leaves no promise about
/// what the thread's library state is.
pub fn poison_this_threads_contexts() {
    let me = thread_token();
    for &c in LIVE_CONTEXTS.lock().iter() {
        // SAFETY: listed handles are alive: each leaves the list, under this
        // lock, before it is freed.
        let cx = unsafe { &*(c as *const ContextHandle) };
        if cx.belongs_to(me) {
            cx.poisoned.store(true, Ordering::Release);
        }
    }
}

/// gethostname() (at most 95 bytes, as lws's buffer holds), or "unknown".
fn canonical_hostname(options: u64) -> CString {
    let unknown = || CString::from(c"unknown");
    if options & super::types::LWS_SERVER_OPTION_SKIP_SERVER_CANONICAL_NAME != 0 {
        return unknown();
    }
    let mut buf = [0u8; 96];
    // SAFETY: `buf` is writable for the length given, one byte kept for the NUL.
    if unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len() - 1) } != 0 {
        return unknown();
    }
    let end = buf.iter().position(|b| *b == 0).unwrap_or(buf.len() - 1);
    CString::new(&buf[..end]).unwrap_or_else(|_| unknown())
}

pub fn empty_owner() -> lws_dll2_owner {
    lws_dll2_owner {
        tail: ptr::null_mut(),
        head: ptr::null_mut(),
        count: 0,
    }
}

/// Behind `struct lws_vhost *`.
pub struct VhostHandle {
    magic: AtomicU64,
    pub ctx: *const ContextHandle,
    pub id: VhostId,
    pub name: CString,
    /// The vhost's own copy of the protocol table (B3.1): `lws_get_protocol`
    /// returns pointers into it.
    pub protocols: Box<[lws_protocols]>,
    /// One stand-in wsi per protocol, for protocol-wide callbacks (B0.4).
    pub stand_ins: Box<[WsiHandle]>,
    /// The wsi of its listening socket in the poll-fd callbacks and event
    /// library operations (its `socket` is the descriptor, -1 without one).
    pub listen_wsi: WsiHandle,
    /// `info.pvo`, kept by reference as lws does.
    pub pvo: *const lws_protocol_vhost_options,
    /// `info.user` of the vhost.
    pub user: *mut c_void,
    /// `info.port` as given (the bound port is asked of the core).
    pub configured_port: i32,
    /// Per protocol, the blocks from `lws_protocol_vh_priv_zalloc`; the last one
    /// is current. Earlier ones are kept, not leaked or freed under the caller.
    pub privs: Mutex<Vec<Vec<*mut c_void>>>,
    pub finalize: Option<FinalizeFn>,
    pub finalize_arg: *mut c_void,
    /// Per protocol, the per-session data size connections bound from now on
    /// get (`per_session_data_size`, changed by `lws_adjust_protocol_psds`).
    pub psds: Box<[Cell<usize>]>,
    /// `info.iface`, kept by reference as lws does (`lws_get_vhost_iface`).
    pub iface: *const std::ffi::c_char,
    /// `lws_vh_tag`.
    pub tag: CString,
    /// The server certificate and key paths it was given, and whether it
    /// was made with IGNORE_MISSING_CERT: what `lws_tls_cert_updated` uses.
    pub cert_paths: Option<(CString, CString, bool)>,
}

impl VhostHandle {
    /// A handle whose stand-ins point back at it; the address is final because
    /// the handle is boxed before the stand-ins are made.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        ctx: *const ContextHandle,
        id: VhostId,
        name: CString,
        protocols: Vec<lws_protocols>,
        pvo: *const lws_protocol_vhost_options,
        user: *mut c_void,
        configured_port: i32,
        finalize: Option<FinalizeFn>,
        finalize_arg: *mut c_void,
    ) -> Box<VhostHandle> {
        let n = protocols.len();
        let mut vh = Box::new(VhostHandle {
            magic: AtomicU64::new(VHOST_MAGIC),
            ctx,
            id,
            name,
            protocols: protocols.into_boxed_slice(),
            stand_ins: Box::new([]),
            listen_wsi: WsiHandle::stand_in(ctx, ptr::null(), 0),
            pvo,
            user,
            configured_port,
            privs: Mutex::new(vec![Vec::new(); n]),
            finalize,
            finalize_arg,
            psds: Box::new([]),
            iface: ptr::null(),
            tag: CString::default(),
            cert_paths: None,
        });
        vh.psds = vh
            .protocols
            .iter()
            .map(|p| Cell::new(p.per_session_data_size))
            .collect();
        let vh_ptr: *const VhostHandle = &*vh;
        vh.stand_ins = (0..n)
            .map(|i| WsiHandle::stand_in(ctx, vh_ptr, i))
            .collect();
        vh.listen_wsi = WsiHandle::descriptor(ctx, vh_ptr, "listen");
        vh
    }

    pub fn as_c(&self) -> *mut lws_vhost {
        self as *const VhostHandle as *mut lws_vhost
    }

    pub fn context(&self) -> &ContextHandle {
        // SAFETY: a vhost handle never outlives its context (freed in
        // ContextHandle::free_all_vhosts).
        unsafe { &*self.ctx }
    }

    /// The index of `prot` in this vhost's table: the pointer itself if it points
    /// into the table, else the first entry with the same name (B3.2, B10 #2697).
    pub fn protocol_index(&self, prot: *const lws_protocols) -> Option<usize> {
        if prot.is_null() {
            return None;
        }
        if let Some(i) = self.protocols.iter().position(|p| ptr::eq(p, prot)) {
            return Some(i);
        }
        // SAFETY: the caller passed a protocol pointer from C, which lws requires to
        // be a valid `struct lws_protocols`.
        let name = unsafe { (*prot).name };
        if name.is_null() {
            return None;
        }
        // SAFETY: `name` is a NUL-terminated protocol name from a C table.
        let wanted = unsafe { std::ffi::CStr::from_ptr(name) };
        self.protocols.iter().position(|p| {
            // SAFETY: every name in our copied table came from the creation info and
            // was checked non-NULL when the table was copied.
            !p.name.is_null() && unsafe { std::ffi::CStr::from_ptr(p.name) } == wanted
        })
    }
}

/// What receive state the application may ask about during a RECEIVE.
#[derive(Clone, Copy, Debug, Default)]
pub struct RxInfo {
    pub first: bool,
    pub last: bool,
    pub binary: bool,
    pub remaining: u64,
}

/// Behind `struct lws *`: a connection, or the stand-in for protocol-wide
/// callbacks of one (vhost, protocol). Only the service thread touches the
/// cells.
pub struct WsiHandle {
    magic: AtomicU64,
    pub ctx: *const ContextHandle,
    /// NULL while a queued client connection has no vhost yet (B2.7).
    pub vhost: Cell<*const VhostHandle>,
    pub protocol: Cell<usize>,
    /// None for stand-ins.
    pub conn: Option<ConnId>,
    pub role: Role,
    /// The per-session data (`user`): ours to free when `user_owned`.
    pub user: Cell<*mut c_void>,
    pub user_owned: Cell<bool>,
    pub opaque: Cell<*mut c_void>,
    /// `lws_set_opaque_parent_data`.
    pub opaque_parent: Cell<*mut c_void>,
    /// What `lws_get_udp` points at (a UDP wsi only; refreshed at each call).
    pub udp: std::cell::OnceCell<Box<Cell<super::types::lws_udp>>>,
    pub rx: Cell<RxInfo>,
    /// `lws_client_http_multipart` wrote a part already.
    pub multipart_started: Cell<bool>,
    /// The connect info's retry policy (kept by reference, as lws does).
    pub retry_policy: Cell<*const super::types::lws_retry_bo_t>,
    /// `lws_wsi_tag`.
    pub tag: CString,
    /// The peer's tx credit as lws estimates it (`lws_h2_update_peer_txcredit`);
    /// only h2 would ever send the WINDOW_UPDATEs that make it real.
    pub peer_tx_credit: Cell<i32>,
    /// The URI `lws_http_get_uri_and_method` pointed at, kept until the next
    /// call that finds a different one (or the wsi goes).
    pub uri_text: std::cell::RefCell<Option<CString>>,
    /// The Close payload (status and reason, at most 125 bytes) the
    /// connection sends: from `lws_close_reason`, or on a client the peer's,
    /// kept to echo it. `lws_get_close_payload` points at it.
    pub close_payload: UnsafeCell<[u8; 128]>,
    /// How much of `close_payload` is set (`lws_get_close_length`).
    pub close_len: Cell<usize>,
    /// The file the HTTP server is sending, opened through the context's fops.
    pub file: Cell<super::types::lws_fop_fd_t>,
    /// The descriptor a wsi that is not a connection stands for (a listener,
    /// the cancel pipe); -1 for the protocol stand-ins.
    pub socket: Cell<c_int>,
}

impl WsiHandle {
    fn stand_in(
        ctx: *const ContextHandle,
        vhost: *const VhostHandle,
        protocol: usize,
    ) -> WsiHandle {
        WsiHandle {
            magic: AtomicU64::new(WSI_MAGIC),
            ctx,
            vhost: Cell::new(vhost),
            protocol: Cell::new(protocol),
            conn: None,
            role: Role::Server,
            user: Cell::new(ptr::null_mut()),
            user_owned: Cell::new(false),
            opaque: Cell::new(ptr::null_mut()),
            opaque_parent: Cell::new(ptr::null_mut()),
            udp: std::cell::OnceCell::new(),
            rx: Cell::new(RxInfo::default()),
            multipart_started: Cell::new(false),
            retry_policy: Cell::new(ptr::null()),
            tag: CString::new(format!("wsi|{protocol}|protocol")).unwrap_or_default(),
            peer_tx_credit: Cell::new(0),
            uri_text: std::cell::RefCell::new(None),
            close_payload: UnsafeCell::new([0; 128]),
            close_len: Cell::new(0),
            file: Cell::new(ptr::null_mut()),
            socket: Cell::new(-1),
        }
    }

    /// The wsi of a descriptor that is not a connection (`kind`: "listen",
    /// "pipe"): its socket is set when the descriptor is announced.
    pub fn descriptor(
        ctx: *const ContextHandle,
        vhost: *const VhostHandle,
        kind: &str,
    ) -> WsiHandle {
        WsiHandle {
            tag: CString::new(format!("wsi|{kind}")).unwrap_or_default(),
            ..WsiHandle::stand_in(ctx, vhost, 0)
        }
    }

    fn conn(
        ctx: &ContextHandle,
        vhost: *const VhostHandle,
        protocol: usize,
        conn: &Conn,
        role: Role,
    ) -> WsiHandle {
        // lws's lifecycle tags: a per-group ordinal in hex, then what the
        // connection is; for a client "<method or WS>/<role>/<vhost>/<address>".
        let tag = match (role, conn.client()) {
            (Role::Client, Some(spec)) => {
                // SAFETY: NULL or the vhost handle of this live context.
                let vh_name = unsafe { vhost.as_ref() }
                    .map_or_else(|| "novh".into(), |v| v.name.to_string_lossy());
                format!(
                    "[wsicli|{:x}|{}/{}/{vh_name}/{}]",
                    ctx.next_ordinal(Role::Client),
                    spec.method.as_deref().unwrap_or("WS"),
                    if spec.raw { "raw-skt" } else { "h1" },
                    spec.address
                )
            }
            (role, _) => format!(
                "[wsi{}|{:x}|adopted]",
                if role == Role::Client { "cli" } else { "srv" },
                ctx.next_ordinal(role)
            ),
        };
        WsiHandle {
            conn: Some(conn.id()),
            role,
            tag: CString::new(tag).unwrap_or_default(),
            ..WsiHandle::stand_in(ctx, vhost, protocol)
        }
    }

    pub fn kill(&self) {
        self.magic.store(DEAD, Ordering::Release);
        if self.user_owned.replace(false) {
            // SAFETY: owned per-session data came from libc::calloc and is freed
            // once, here.
            unsafe { libc::free(self.user.replace(ptr::null_mut())) };
        }
    }

    pub fn as_c(&self) -> *mut lws {
        self as *const WsiHandle as *mut lws
    }

    /// Sets the Close payload `lws_get_close_payload` shows (at most 125
    /// bytes, lws's buffer).
    pub fn set_close_payload(&self, bytes: &[u8]) {
        let n = bytes.len().min(125);
        // SAFETY: the wsi's own buffer, only touched on the service thread; no
        // reference to it is live.
        unsafe {
            ptr::copy_nonoverlapping(bytes.as_ptr(), self.close_payload.get().cast::<u8>(), n)
        };
        self.close_len.set(n);
    }

    /// The bound vhost; None only for a queued connection that has none yet.
    pub fn vhost(&self) -> Option<&VhostHandle> {
        // SAFETY: NULL or a vhost handle, which lives as long as the context,
        // which outlives every wsi.
        unsafe { self.vhost.get().as_ref() }
    }

    pub fn context(&self) -> &ContextHandle {
        // SAFETY: a wsi never outlives its context.
        unsafe { &*self.ctx }
    }

    /// The connection behind a real wsi (the thread was checked when the
    /// handle was converted, in [`wsi`]).
    pub fn conn_id(&self) -> Result<ConnId, Error> {
        self.conn.ok_or(Error::Refused(
            "not a connection (protocol-wide stand-in wsi)",
        ))
    }
}

/// The checks every handle conversion makes: the calling thread, and that no
/// internal error poisoned the context. The service thread is known by its
/// pthread id after its first call, so it passes without a thread-local
/// lookup (one costs a call into the dynamic linker in a shared library).
fn usable(cx: &ContextHandle) -> Result<(), Error> {
    // SAFETY: pthread_self has no preconditions and cannot fail.
    let me = unsafe { libc::pthread_self() } as u64;
    if cx.service_pthread.load(Ordering::Relaxed) != me {
        let token = thread_token();
        cx.runtime.check_thread_of(|| token)?;
        if cx.runtime.owner_token() == token {
            cx.service_pthread.store(me, Ordering::Relaxed);
        }
    }
    if cx.poisoned.load(Ordering::Acquire) {
        return Err(Error::Refused(
            "context is unusable after an internal error",
        ));
    }
    Ok(())
}

/// `struct lws_context *` → handle, from the service thread (or during set-up).
///
/// # Safety
/// `p` is NULL or a pointer returned by `lws_create_context` (any other pointer
/// is read once for its magic word).
pub unsafe fn context<'a>(p: *const lws_context) -> Result<&'a ContextHandle, Error> {
    // SAFETY: forwarded contract.
    let cx = unsafe { context_any_thread(p) }?;
    usable(cx)?;
    Ok(cx)
}

/// `struct lws_context *` → handle for `lws_context_destroy`: a poisoned
/// context is accepted, so that it can still be freed.
///
/// # Safety
/// As [`context`].
pub unsafe fn context_to_destroy<'a>(p: *const lws_context) -> Result<&'a ContextHandle, Error> {
    // SAFETY: forwarded contract.
    let cx = unsafe { context_any_thread(p) }?;
    cx.runtime.check_thread()?;
    Ok(cx)
}

/// `struct lws_context *` → handle without the thread check (`lws_cancel_service`).
///
/// # Safety
/// As [`context`].
pub unsafe fn context_any_thread<'a>(p: *const lws_context) -> Result<&'a ContextHandle, Error> {
    if p.is_null() {
        return Err(Error::Refused("context is NULL"));
    }
    let cx = p as *const ContextHandle;
    // SAFETY: by contract `p` points at a ContextHandle; the magic tells a live one.
    let magic = unsafe { &(*cx).magic }.load(Ordering::Acquire);
    if magic != CONTEXT_MAGIC {
        return Err(Error::Refused("not a live context"));
    }
    // SAFETY: the magic word says this is a live ContextHandle.
    Ok(unsafe { &*cx })
}

/// An armed sul's `list.owner` → the context it is armed on (the owner is the
/// `sul_owner` field of a context handle). None when the owner is NULL or not
/// a live context (magic word); refused from a wrong thread or a poisoned
/// context, like every conversion.
///
/// # Safety
/// `owner` is NULL or the owner a sul node holds.
pub unsafe fn sul_owner_context<'a>(
    owner: *mut lws_dll2_owner,
) -> Result<Option<&'a ContextHandle>, Error> {
    if owner.is_null() {
        return Ok(None);
    }
    let off = std::mem::offset_of!(ContextHandle, sul_owner);
    let cx = (owner as *mut u8).wrapping_sub(off) as *const lws_context;
    // SAFETY: owners of armed suls are the `sul_owner` field of a context
    // handle; the magic word tells whether it still is one.
    let Ok(cx) = (unsafe { context_any_thread(cx) }) else {
        return Ok(None);
    };
    usable(cx)?;
    Ok(Some(cx))
}

/// `struct lws_vhost *` → handle, from the service thread (or during set-up).
///
/// # Safety
/// `p` is NULL or a vhost pointer this library returned.
pub unsafe fn vhost<'a>(p: *const lws_vhost) -> Result<&'a VhostHandle, Error> {
    if p.is_null() {
        return Err(Error::Refused("vhost is NULL"));
    }
    let vh = p as *const VhostHandle;
    // SAFETY: by contract `p` points at a VhostHandle; the magic tells a live one.
    let magic = unsafe { &(*vh).magic }.load(Ordering::Acquire);
    if magic != VHOST_MAGIC {
        return Err(Error::Refused("not a live vhost"));
    }
    // SAFETY: the magic word says this is a live VhostHandle.
    let vh = unsafe { &*vh };
    usable(vh.context())?;
    Ok(vh)
}

/// `struct lws *` → handle, from the service thread (or during set-up): the
/// one thread check of every wsi accessor (issue 10 defect 7).
///
/// # Safety
/// `p` is NULL or a wsi pointer this library handed out.
pub unsafe fn wsi<'a>(p: *const lws) -> Result<&'a WsiHandle, Error> {
    if p.is_null() {
        return Err(Error::Refused("wsi is NULL"));
    }
    let w = p as *const WsiHandle;
    // SAFETY: by contract `p` points at a WsiHandle; the magic (atomic, so a
    // wrong thread may read it) tells a live one.
    if unsafe { &(*w).magic }.load(Ordering::Acquire) != WSI_MAGIC {
        return Err(Error::Refused("not a live wsi"));
    }
    // SAFETY: the magic word says this is a live WsiHandle.
    let w = unsafe { &*w };
    usable(w.context())?;
    Ok(w)
}
