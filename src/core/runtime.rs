//! The runtime: one context's lock, poller and driver.
//!
//! One service pass (`service`), in order (spec B1.4):
//! 1. on the first pass, GET_THREAD_ID;
//! 2. due timers, in due order, each delivered with no lock held;
//! 3. protocol init, if it has not happened yet (B1.5);
//! 4. one poll wait, bounded by the next timer (0 when the caller passed < 0);
//! 5. I/O: the cancel waker and listeners;
//! 6. the EVENT_WAIT_CANCELLED broadcast, when `lws_cancel_service` was called;
//! 7. the reaper: vhosts whose destruction was requested are torn down.
//!
//! The core lock is held only for short state changes, never across a callout,
//! so a callback may call back into any API (guide §3.6 R2/R3).
#![forbid(unsafe_code)]

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use std::io::Write;
use std::os::unix::net::UnixStream;

use mio::{Events, Interest, Poll, Token};
use parking_lot::{Mutex, MutexGuard};

use super::context::{Core, InitWalk, Reaping, LISTENER_BASE, WAKER_TOKEN};
use super::poll::FdOwner;
use super::readiness::WaitHint;
use super::system::{internal_veto, SysState};
use super::timers::{now_us, SulKey, TimerTarget};
use super::vhost::VhostConfig;
use super::{Callout, Error, Face, Host, ProtocolEvent, ProtocolRef, VhostId};
use crate::log::level;
use crate::lwsl;

/// The longest single poll wait (lws caps its wait at about 23 days).
const MAX_WAIT: Duration = Duration::from_secs(23 * 86_400);

/// Identifies the calling thread cheaply (std's ThreadId has no stable number).
pub fn thread_token() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    // Const-initialised (no lazy-init check on every call; 0 = not yet drawn).
    thread_local!(static TOKEN: std::cell::Cell<u64> = const { std::cell::Cell::new(0) });
    TOKEN.with(|t| match t.get() {
        0 => {
            let v = NEXT.fetch_add(1, Ordering::Relaxed);
            t.set(v);
            v
        }
        v => v,
    })
}

thread_local! {
    /// Whether this thread holds a core lock right now (user code must never
    /// run then: the gate checks it).
    static CORE_LOCKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the calling thread holds a context's core lock.
pub fn core_lock_held() -> bool {
    CORE_LOCKED.with(|c| c.get())
}

/// Marks the core lock held on this thread while alive (also on unwind).
/// Only debug builds keep the mark (the gate's check is a debug assertion);
/// release builds save the two thread-local writes on every lock.
struct LockMark;

impl LockMark {
    fn new() -> LockMark {
        #[cfg(debug_assertions)]
        CORE_LOCKED.with(|c| c.set(true));
        LockMark
    }
}

impl Drop for LockMark {
    fn drop(&mut self) {
        #[cfg(debug_assertions)]
        CORE_LOCKED.with(|c| c.set(false));
    }
}

/// One level of user code on the stack of a context: while it lives, nested
/// `lws_service` is refused and `lws_context_destroy` only marks the context.
/// Dropping it (also on unwind) restores the depth.
pub struct CalloutScope<'a> {
    shared: &'a Shared,
    /// A system-state notifier or the captive-portal hook: the application
    /// code that moves the state towards OPERATIONAL.
    drives_state: bool,
}

impl Drop for CalloutScope<'_> {
    fn drop(&mut self) {
        if self.drives_state {
            self.shared.state_drivers.fetch_sub(1, Ordering::AcqRel);
        }
        self.shared.callout_depth.fetch_sub(1, Ordering::AcqRel);
    }
}

/// What other threads may touch: only `lws_cancel_service` comes here (R8).
pub struct Shared {
    /// The write end of the cancel pipe (a socket pair: its read end is a
    /// descriptor a host event loop can watch, `Core::poll.cancel_pipe`).
    wake: UnixStream,
    cancel_pending: AtomicBool,
    /// The service thread's token; 0 until the first `lws_service`.
    owner: AtomicU64,
    /// How many callouts are on the stack right now.
    callout_depth: AtomicU32,
    /// How many callouts were ever delivered (tells a pass whether user code ran).
    callouts_delivered: AtomicU64,
    /// How many of the callouts on the stack drive the system state.
    state_drivers: AtomicU32,
    /// Freed buffer bytes the last pass found due to go back to the system
    /// allocator (taken by the host after the pass).
    give_back: AtomicUsize,
    destroy_requested: AtomicBool,
}

impl Shared {
    /// Wakes the service thread and asks for one EVENT_WAIT_CANCELLED broadcast.
    /// Lock-free; safe from any thread.
    pub fn cancel_service(&self) {
        self.cancel_pending.store(true, Ordering::Release);
        // A full pipe already wakes the loop.
        match (&self.wake).write(&[1]) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => lwsl!(level::ERR, "lws_cancel_service: wake failed: {e}"),
        }
    }
}

/// What `lws_service_fd` did with a descriptor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FdServiced {
    /// Serviced; the host's `revents` are consumed.
    Handled,
    /// Its connection closed while being serviced (the host's table may
    /// have changed under it).
    Closed,
    /// Not a descriptor of this context: left alone.
    NotOurs,
    /// The call was refused (inside a callback, another thread, destroyed).
    Refused,
}

/// Result of a destroy request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Teardown {
    /// Called from inside a callback: the context is marked, the current
    /// `lws_service` returns -1, and the caller must destroy again after its loop.
    Deferred,
    /// Every callback of the teardown has been delivered; free the context.
    /// The user timers still armed are disarmed and listed: the host must
    /// detach them, so that a later cancel does not reach the freed context.
    Complete { armed_suls: Vec<SulKey> },
}

pub struct Runtime {
    core: Mutex<Core>,
    poll: Mutex<(Poll, Events)>,
    shared: Arc<Shared>,
}

/// How a service pass starts, decided under its first lock.
enum PassStart {
    /// A start-up step, timer or protocol init is owed first.
    Prelude,
    /// The first callout of the pass.
    Deliver((Callout, Option<Face>)),
    /// Nothing to deliver: straight to the poll, with what it waits for.
    Idle(WaitHint),
}

/// What a lock that ends a callout's round trip found: the next callout, or
/// none left and what the reaper needs if the pass ends here.
enum Next {
    Deliver((Callout, Option<Face>)),
    Settled(Reaping),
}

impl Next {
    fn of(c: &mut Core) -> Next {
        match c.next_callout_with_face() {
            Some(n) => Next::Deliver(n),
            None => Next::Settled(c.reaping()),
        }
    }
}

impl Runtime {
    /// A context at CONTEXT_CREATED whose first service pass will step the system
    /// state towards OPERATIONAL and deliver one EVENT_WAIT_CANCELLED (B1.1/B1.6).
    pub fn new(settings: super::context::Settings) -> Result<Runtime, Error> {
        let poll = Poll::new().map_err(|e| Error::io("create poll", e))?;
        let registry = poll
            .registry()
            .try_clone()
            .map_err(|e| Error::io("clone poll registry", e))?;
        let (wake, rx) = UnixStream::pair().map_err(|e| Error::io("create cancel pipe", e))?;
        for end in [&wake, &rx] {
            end.set_nonblocking(true)
                .map_err(|e| Error::io("create cancel pipe", e))?;
        }
        let mut rx = mio::net::UnixStream::from_std(rx);
        poll.registry()
            .register(&mut rx, WAKER_TOKEN, Interest::READABLE)
            .map_err(|e| Error::io("register cancel pipe", e))?;
        let mut core = Core::new(registry);
        core.poll.cancel_pipe = Some(rx);
        core.tls_budget =
            super::tls_budget::TlsBudget::new(settings.tls_max_conns, settings.tls_max_handshakes);
        core.settings = settings;
        core.timers.schedule(TimerTarget::SystemStart, now_us() + 1);
        let rt = Runtime {
            core: Mutex::new(core),
            poll: Mutex::new((poll, Events::with_capacity(256))),
            shared: Arc::new(Shared {
                wake,
                cancel_pending: AtomicBool::new(false),
                owner: AtomicU64::new(0),
                callout_depth: AtomicU32::new(0),
                state_drivers: AtomicU32::new(0),
                give_back: AtomicUsize::new(0),
                callouts_delivered: AtomicU64::new(0),
                destroy_requested: AtomicBool::new(false),
            }),
        };
        rt.shared.cancel_service();
        Ok(rt)
    }

    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// Refuses calls from a thread other than the service thread (R1). Before the
    /// first `lws_service`, the thread setting the context up may call anything.
    pub fn check_thread(&self) -> Result<(), Error> {
        self.check_thread_of(thread_token)
    }

    /// The service thread's token ([`thread_token`]), 0 until the first
    /// service call; it never changes after that.
    pub fn owner_token(&self) -> u64 {
        self.shared.owner.load(Ordering::Acquire)
    }

    /// [`Runtime::check_thread`] for a caller that knows its thread's token
    /// (`token` is asked only once the service thread is known).
    pub fn check_thread_of(&self, token: impl FnOnce() -> u64) -> Result<(), Error> {
        let owner = self.shared.owner.load(Ordering::Acquire);
        if owner == 0 || owner == token() {
            Ok(())
        } else {
            Err(Error::Refused(
                "called from a thread other than the service thread",
            ))
        }
    }

    /// Runs `f` with the core. The lock is never held across a callout, so a
    /// failure to take it can only be our own re-entrancy: refused, never a hang.
    pub fn with_core<R>(&self, f: impl FnOnce(&mut Core) -> R) -> Result<R, Error> {
        // Log lines produced under the lock reach the (user) emitter after it
        // is released, in order.
        crate::log::with_lines_held(|| {
            let mut guard: MutexGuard<'_, Core> = self.core.try_lock().ok_or(Error::Refused(
                "context is busy (re-entered from inside the library)",
            ))?;
            let _mark = LockMark::new();
            Ok(f(&mut guard))
        })
    }

    /// Whether a callout is running on this context right now.
    pub fn in_callout(&self) -> bool {
        self.shared.callout_depth.load(Ordering::Acquire) > 0
    }

    pub fn is_destroy_requested(&self) -> bool {
        self.shared.destroy_requested.load(Ordering::Acquire)
    }

    fn deliver(&self, host: &dyn Host, mut callout: Callout) -> i32 {
        self.deliver_mut(host, &mut callout)
    }

    fn deliver_mut(&self, host: &dyn Host, callout: &mut Callout) -> i32 {
        let _scope = self.enter_callout();
        host.deliver(callout)
    }

    /// Enters user code on this context (see [`CalloutScope`]).
    pub fn enter_callout(&self) -> CalloutScope<'_> {
        self.shared.callout_depth.fetch_add(1, Ordering::AcqRel);
        self.shared
            .callouts_delivered
            .fetch_add(1, Ordering::AcqRel);
        CalloutScope {
            shared: &self.shared,
            drives_state: false,
        }
    }

    /// Enters application code that drives the system state: a state notifier
    /// or `captive_portal_detect_request`. Connections it requests start at
    /// once (B2.7): they are what moves the state on.
    pub fn enter_state_driver(&self) -> CalloutScope<'_> {
        let mut scope = self.enter_callout();
        self.shared.state_drivers.fetch_add(1, Ordering::AcqRel);
        scope.drives_state = true;
        scope
    }

    /// Whether a state notifier or the captive-portal hook is on the stack.
    pub fn driving_state(&self) -> bool {
        self.shared.state_drivers.load(Ordering::Acquire) > 0
    }

    /// Adds a vhost (listener bound and registered). The caller publishes its
    /// handle, then calls [`Runtime::init_new_vhosts`].
    pub fn add_vhost(&self, cfg: VhostConfig) -> Result<VhostId, Error> {
        self.with_core(|c| c.add_vhost(cfg))?
    }

    /// After the context's protocol init has happened, a new vhost gets its
    /// PROTOCOL_INITs before `lws_create_vhost` returns (B1.5).
    pub fn init_new_vhosts(&self, host: &dyn Host) {
        if self
            .with_core(|c| c.init_walk == InitWalk::Completed)
            .unwrap_or(false)
        {
            self.init_protocols(host);
        }
    }

    /// Runs PROTOCOL_INIT for every protocol still owed one, in vhost creation
    /// order and array order. A walk already running (we are inside one of its
    /// callbacks) picks up new vhosts itself. False when a PROTOCOL_INIT of
    /// this walk failed.
    pub fn init_protocols(&self, host: &dyn Host) -> bool {
        let start = self
            .with_core(|c| match c.init_walk {
                InitWalk::Active => None,
                before => {
                    c.init_walk = InitWalk::Active;
                    Some(before == InitWalk::NotYet)
                }
            })
            .unwrap_or(None);
        let Some(first) = start else {
            return true;
        };
        let mut all_ok = true;
        while let Ok(Some(at)) = self.with_core(|c| c.next_protocol_init()) {
            let ret = self.deliver(
                host,
                Callout::Protocol {
                    at,
                    event: ProtocolEvent::Init,
                },
            );
            all_ok &= ret == 0;
            let _ = self.with_core(|c| c.record_init_result(at, ret));
        }
        let _ = self.with_core(|c| c.init_walk = InitWalk::Completed);
        if first {
            self.deliver(host, Callout::StartupFinished);
        }
        all_ok
    }

    /// Whether the context-wide protocol init has run.
    pub fn protocols_initialised(&self) -> bool {
        self.with_core(|c| c.init_walk == InitWalk::Completed)
            .unwrap_or(false)
    }

    /// Bytes of freed buffer memory the host should hand back to the system
    /// allocator now (once the give-back delay has passed), if any.
    pub fn take_give_back(&self) -> Option<usize> {
        match self.shared.give_back.swap(0, Ordering::AcqRel) {
            0 => None,
            bytes => Some(bytes),
        }
    }

    /// One service pass; returns lws_service()'s value.
    pub fn service(&self, host: &dyn Host, timeout_ms: i32) -> i32 {
        if !self.enter_service("lws_service") {
            return -1;
        }

        let depth_before = self.shared.callouts_delivered.load(Ordering::Acquire);
        // One lock starts the pass: the pending set is re-queued, and when no
        // start-up step, timer or protocol init is owed, the first callout is
        // produced under the same lock; when there is none, what the wait
        // needs is read under it too.
        let now = now_us();
        let start = self.with_core(|c| {
            c.begin_pass(now);
            let quiet = c.thread_id_sent
                && c.init_walk == InitWalk::Completed
                && c.timers.next_due().is_none_or(|d| d > now);
            if !quiet {
                return PassStart::Prelude;
            }
            match c.next_callout_with_face() {
                Some(first) => PassStart::Deliver(first),
                None => PassStart::Idle(c.wait_hint()),
            }
        });
        let hint = match start {
            Ok(PassStart::Deliver(first)) => {
                self.pump_from(host, Some(first));
                None
            }
            Ok(PassStart::Prelude) => {
                self.prelude(host);
                None
            }
            Ok(PassStart::Idle(hint)) => Some(hint),
            Err(_) => None,
        };
        // User code already ran in this pass (a timer, protocol init): it may have
        // changed what the caller's loop waits for, so do not block (B1.4 allows
        // it: the pass did have an event).
        let ran_user_code = self.shared.callouts_delivered.load(Ordering::Acquire) != depth_before;

        let wait = if timeout_ms < 0 || ran_user_code {
            Duration::ZERO
        } else {
            let hint = match hint {
                Some(h) => Ok(h),
                None => self.with_core(|c| c.wait_hint()),
            };
            match hint {
                Ok(WaitHint { pending: true, .. }) | Err(_) => Duration::ZERO,
                // From the pass's start: no user code ran, so it began
                // microseconds ago (one clock read per pass).
                Ok(WaitHint {
                    next_due: Some(due),
                    ..
                }) => Duration::from_micros(due.saturating_sub(now)),
                Ok(WaitHint { next_due: None, .. }) => MAX_WAIT,
            }
            .min(MAX_WAIT)
        };
        // A request raised by a callback since the last pass must not wait.
        let wait = if self.is_destroy_requested() {
            Duration::ZERO
        } else {
            wait
        };

        let first;
        {
            let mut guard = self.poll.lock();
            let (poll, events) = &mut *guard;
            if let Err(e) = poll.poll(events, Some(wait)) {
                if e.kind() != std::io::ErrorKind::Interrupted {
                    lwsl!(level::ERR, "lws_service: poll: {e}");
                }
            }
            // The events are applied and the first callout they led to is
            // produced under one lock.
            first = self.with_core(|c| {
                for ev in events.iter() {
                    let Token(t) = ev.token();
                    if ev.token() == WAKER_TOKEN {
                        c.drain_cancel_pipe();
                        continue;
                    }
                    if t >= LISTENER_BASE {
                        c.accept_all(VhostId(t - LISTENER_BASE));
                    } else {
                        if ev.is_read_closed() && !ev.is_readable() {
                            c.on_hangup(t);
                        }
                        let readable = ev.is_readable() || ev.is_read_closed() || ev.is_error();
                        let hup = ev.is_read_closed() || ev.is_error();
                        c.on_ready(t, readable, ev.is_writable() || ev.is_error(), hup);
                    }
                }
                Next::of(c)
            });
        }
        let doomed = match first {
            Ok(Next::Settled(reaping)) => Some(self.settle(reaping)),
            Ok(Next::Deliver(next)) => self.pump_from(host, Some(next)),
            Err(_) => None,
        };
        self.epilogue(host, doomed)
    }

    /// What every pass starts with: GET_THREAD_ID once, due timers, protocol
    /// init if not yet, and what they produced.
    fn prelude(&self, host: &dyn Host) {
        self.send_thread_id(host);
        self.run_due_timers(host);
        if !self.protocols_initialised() {
            self.init_protocols(host);
        }
        self.pump(host);
    }

    /// What every pass ends with: the EVENT_WAIT_CANCELLED broadcast and the
    /// reaper; returns lws_service()'s value. `doomed` is the list of
    /// destroyed vhosts if the pass's last lock already took it.
    fn epilogue(&self, host: &dyn Host, mut doomed: Option<Vec<VhostId>>) -> i32 {
        if self.shared.cancel_pending.swap(false, Ordering::AcqRel) {
            self.broadcast(host, ProtocolEvent::EventWaitCancelled);
            // The broadcast's callbacks may have destroyed a vhost.
            doomed = None;
        }
        self.reap(host, doomed);
        if self.is_destroy_requested() {
            -1
        } else {
            0
        }
    }

    /// Refuses a service call from inside a callback, after destroy, or from a
    /// second thread; the first caller becomes the service thread.
    fn enter_service(&self, api: &str) -> bool {
        if self.in_callout() {
            lwsl!(level::ERR, "{api}: called from inside a callback; refused");
            return false;
        }
        if self.is_destroy_requested() {
            return false;
        }
        let me = thread_token();
        match self
            .shared
            .owner
            .compare_exchange(0, me, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => true,
            Err(owner) if owner == me => true,
            Err(_) => {
                lwsl!(level::ERR, "{api}: called from a second thread; refused");
                false
            }
        }
    }

    /// `lws_service_fd`: the host's poll reported `revents` on `fd`. Services
    /// that descriptor as our own loop would (no wait), after the due timers.
    pub fn service_fd(&self, host: &dyn Host, fd: i32, revents: i32) -> FdServiced {
        if !self.enter_service("lws_service_fd") {
            return FdServiced::Refused;
        }
        let Ok(Some(owner)) = self.with_core(|c| c.fd_owner(fd)) else {
            lwsl!(
                level::INFO,
                "lws_service_fd: fd {fd} is not a descriptor of this context"
            );
            return FdServiced::NotOurs;
        };
        self.prelude(host);
        let now = now_us();
        let _ = self.with_core(|c| match owner {
            FdOwner::Conn(id) => {
                c.pass_at = now;
                c.conn_revents(id, revents)
            }
            FdOwner::Listener(vh) => {
                if revents & super::poll::POLLIN != 0 {
                    c.accept_all(vh)
                }
            }
            FdOwner::CancelPipe => c.drain_cancel_pipe(),
        });
        self.pump(host);
        let closed = match owner {
            FdOwner::Conn(id) => self
                .with_core(|c| {
                    c.conn(id)
                        .is_none_or(|k| k.phase() == super::conn::PhaseKind::Finished)
                })
                .unwrap_or(true),
            _ => false,
        };
        if self.epilogue(host, None) < 0 {
            return FdServiced::Refused;
        }
        if closed {
            FdServiced::Closed
        } else {
            FdServiced::Handled
        }
    }

    /// `lws_service_adjust_timeout`: runs what is due (timers, protocol init)
    /// and says how long a host loop may sleep: 0 while input is buffered
    /// where its poll cannot see it, else `timeout_ms` cut to the next timer.
    pub fn adjust_timeout(&self, host: &dyn Host, timeout_ms: i32) -> i32 {
        if !self.in_callout() && !self.is_destroy_requested() {
            self.prelude(host);
        }
        let (busy, next) = self
            .with_core(|c| (c.has_hidden_work(), c.timers.next_due()))
            .unwrap_or((false, None));
        if busy {
            return 0;
        }
        match next {
            Some(due) => {
                let u = due.saturating_sub(now_us());
                if u == 0 {
                    0
                } else if timeout_ms >= 0 && u < u64::from(timeout_ms.unsigned_abs()) * 1000 {
                    i32::try_from(u / 1000).unwrap_or(timeout_ms)
                } else {
                    timeout_ms
                }
            }
            None => timeout_ms,
        }
    }

    fn send_thread_id(&self, host: &dyn Host) {
        let first = self
            .with_core(|c| {
                if c.thread_id_sent {
                    return None;
                }
                c.thread_id_sent = true;
                c.vhosts
                    .iter()
                    .position(|v| v.is_live() && !v.protocols.is_empty())
                    .map(|vi| ProtocolRef {
                        vhost: VhostId(vi),
                        index: 0,
                    })
            })
            .ok()
            .flatten();
        if let Some(at) = first {
            self.deliver(
                host,
                Callout::Protocol {
                    at,
                    event: ProtocolEvent::GetThreadId,
                },
            );
        }
    }

    /// Fires every timer due now, earliest first. Timers armed by these callbacks
    /// wait for the next pass (B1.T12).
    fn run_due_timers(&self, host: &dyn Host) {
        let now = now_us();
        // Most passes have nothing due: one look decides.
        let Ok(Some(mark)) = self.with_core(|c| {
            c.timers
                .next_due()
                .filter(|d| *d <= now)
                .map(|_| c.timers.mark())
        }) else {
            return;
        };
        while let Ok(Some(target)) = self.with_core(|c| c.timers.pop_due(now, mark)) {
            match target {
                TimerTarget::Sul(key) => {
                    self.deliver(host, Callout::Sul(key));
                }
                TimerTarget::SystemStart => self.transition_steps(host, SysState::Operational),
                TimerTarget::ConnTimeout(id) => {
                    let _ = self.with_core(|c| c.on_timeout(id));
                }
                TimerTarget::ConnTimer(id) => {
                    let _ = self.with_core(|c| c.on_timer(id));
                }
                TimerTarget::ConnValidity(id) => {
                    let _ = self.with_core(|c| c.on_validity(id));
                }
                TimerTarget::AcceptRetry(vh) => {
                    let _ = self.with_core(|c| c.accept_all(vh));
                }
                TimerTarget::GiveBack => {
                    let _ = self.with_core(Core::give_back_due);
                }
            }
            self.pump(host);
        }
    }

    /// Delivers callouts until none is left, applying each callback's answer
    /// before the next one is produced.
    pub fn pump(&self, host: &dyn Host) {
        if let Ok(first) = self.with_core(|c| c.next_callout_with_face()) {
            self.pump_from(host, first);
        }
    }

    /// [`Runtime::pump`] from a callout already produced: one lock round trip
    /// per delivered callout (applying its answer and producing the next one
    /// share it; the connection's handle comes with the callout). The lock
    /// that finds nothing left also takes what the reaper needs: the vhosts
    /// destroyed so far are returned, for a pass that ends here.
    fn pump_from(
        &self,
        host: &dyn Host,
        mut next: Option<(Callout, Option<Face>)>,
    ) -> Option<Vec<VhostId>> {
        while let Some((mut callout, face)) = next.take() {
            let ret = {
                let _scope = self.enter_callout();
                host.deliver_with_face(&mut callout, face)
            };
            match self.with_core(|c| {
                c.apply(callout, ret);
                Next::of(c)
            }) {
                Ok(Next::Deliver(n)) => next = Some(n),
                Ok(Next::Settled(reaping)) => return Some(self.settle(reaping)),
                Err(_) => return None,
            }
        }
        None
    }

    /// Runs `f` on the core and then delivers what it produced: for API calls
    /// whose effects must reach callbacks in this pass.
    pub fn with_core_pumped<R>(
        &self,
        host: &dyn Host,
        f: impl FnOnce(&mut Core) -> R,
    ) -> Result<R, Error> {
        let r = self.with_core(f)?;
        if !self.in_callout() {
            self.pump(host);
        }
        Ok(r)
    }

    fn broadcast(&self, host: &dyn Host, event: ProtocolEvent) {
        let targets = self.with_core(|c| c.all_protocols()).unwrap_or_default();
        for at in targets {
            // The return value is ignored on purpose: in lws a non-zero answer to
            // EVENT_WAIT_CANCELLED broke the cancel pipe (B1.6, issue #2168).
            self.deliver(host, Callout::Protocol { at, event });
        }
    }

    /// Arms a user timer `delay_us` from now; returns the absolute due time.
    pub fn schedule_sul(&self, key: SulKey, delay_us: u64) -> Result<u64, Error> {
        let due = now_us().saturating_add(delay_us);
        self.with_core(|c| c.timers.schedule(TimerTarget::Sul(key), due))?;
        Ok(due)
    }

    pub fn cancel_sul(&self, key: SulKey) -> Result<bool, Error> {
        self.with_core(|c| c.timers.cancel(TimerTarget::Sul(key)))
    }

    pub fn state(&self) -> SysState {
        self.with_core(|c| c.state).unwrap_or(SysState::Unknown)
    }

    /// Steps the state one at a time towards `target` until it is reached or a
    /// notifier holds it (`lws_state_transition_steps`, B2.2).
    pub fn transition_steps(&self, host: &dyn Host, target: SysState) {
        loop {
            let current = self.state();
            if current >= target {
                return;
            }
            let Some(next) = current.next() else {
                return;
            };
            if !self.transition(host, next) {
                return;
            }
        }
    }

    /// One attempt at moving straight to `target` (`lws_state_transition`): user
    /// notifiers first (newest first), then the internal one; on success every
    /// notifier hears the arrival. Returns whether the state moved.
    pub fn transition(&self, host: &dyn Host, target: SysState) -> bool {
        let current = self.state();
        if current == target {
            return true;
        }
        if self.deliver(host, Callout::StateAttempt { current, target }) != 0 {
            lwsl!(
                level::INFO,
                "system state: {current:?} -> {target:?} held by a notifier"
            );
            return false;
        }
        if internal_veto(current, target, SystemTime::now()) {
            lwsl!(
                level::NOTICE,
                "system state: {target:?} waits for the wall clock to be set"
            );
            return false;
        }
        let _ = self.with_core(|c| c.state = target);
        lwsl!(level::INFO, "system state: {current:?} -> {target:?}");
        self.deliver(host, Callout::StateArrival { state: target });
        match target {
            SysState::PolicyValid => {
                self.init_protocols(host);
            }
            // The system is ready: queued client connects start now (B2.7).
            SysState::Operational => {
                let _ = self.with_core(|c| c.drain_connect_queue());
                if !self.in_callout() {
                    self.pump(host);
                }
            }
            _ => {}
        }
        true
    }

    /// `lws_vhost_destroy`: the vhost stops being found at once and is torn down
    /// at the end of the current (or next) service pass.
    pub fn request_vhost_destroy(&self, id: VhostId) -> Result<(), Error> {
        if self.with_core(|c| c.mark_doomed(id))? {
            self.shared.cancel_service();
        }
        Ok(())
    }

    /// Its connections close first (each hears its closing callbacks and
    /// WSI_DESTROY), then its protocols get PROTOCOL_DESTROY and its storage
    /// goes (B3.1, B1.7 order). A listener it shares is handed on.
    fn teardown_vhost(&self, host: &dyn Host, id: VhostId) {
        let _ = self.with_core(|c| {
            c.release_listener(id);
            for conn in c.conns_of_vhost(id) {
                c.finish(conn, super::close::Ending::Abrupt);
            }
        });
        self.pump(host);
        let targets = self
            .with_core(|c| c.destroy_targets(id))
            .unwrap_or_default();
        for at in targets {
            self.deliver(
                host,
                Callout::Protocol {
                    at,
                    event: ProtocolEvent::Destroy,
                },
            );
        }
        self.deliver(host, Callout::VhostFinalized(id));
        let _ = self.with_core(|c| c.mark_destroyed(id));
    }

    /// Passes on the buffer memory a [`Reaping`] found due to go back to the
    /// system allocator ([`Runtime::take_give_back`]) at once, wherever the
    /// pass goes on; returns its destroyed vhosts.
    fn settle(&self, reaping: Reaping) -> Vec<VhostId> {
        if let Some(bytes) = reaping.give_back {
            self.shared.give_back.fetch_add(bytes, Ordering::AcqRel);
        }
        reaping.doomed
    }

    /// Tears down the vhosts destroyed during the pass: `doomed`, when the
    /// pass's last lock read them, else read now (with the give-back, under
    /// one lock).
    fn reap(&self, host: &dyn Host, doomed: Option<Vec<VhostId>>) {
        let doomed = match doomed {
            Some(d) => d,
            None => self.settle(self.with_core(Core::reaping).unwrap_or_default()),
        };
        for id in doomed {
            self.teardown_vhost(host, id);
        }
    }

    /// `lws_context_destroy` (B1.7). From inside a callback it only marks the
    /// context; otherwise it delivers the whole teardown sequence.
    pub fn destroy(&self, host: &dyn Host) -> Teardown {
        if self.in_callout() {
            self.shared.destroy_requested.store(true, Ordering::Release);
            self.shared.cancel_service();
            return Teardown::Deferred;
        }
        self.shared.destroy_requested.store(true, Ordering::Release);
        // Every connection closes first, without Close frames (B1.7 step 2);
        // queued connects that never started are told so.
        let _ = self.with_core(|c| {
            c.fail_connect_queue("closed before established");
            for id in c.conn_ids() {
                c.finish(id, super::close::Ending::Abrupt);
            }
            c.retire_cancel_pipe();
        });
        self.pump(host);
        let ids: Vec<VhostId> = self
            .with_core(|c| {
                let ids: Vec<VhostId> = (0..c.vhosts.len()).map(VhostId).collect();
                for id in &ids {
                    c.close_listener(*id);
                }
                ids
            })
            .unwrap_or_default();
        self.transition(host, SysState::PolicyInvalid);
        for id in ids {
            let live = self.with_core(|c| c.vhost(id).is_some()).unwrap_or(false);
            if live {
                self.teardown_vhost(host, id);
            }
        }
        self.transition(host, SysState::ContextDestroying);
        let armed_suls = self.with_core(|c| c.timers.clear()).unwrap_or_default();
        Teardown::Complete { armed_suls }
    }

    /// Destroy after an internal error: no callback is delivered. Every timer
    /// is disarmed (the user suls among them are returned, as in
    /// [`Teardown::Complete`]); the sockets close when the runtime is dropped.
    pub fn abandon(&self) -> Vec<SulKey> {
        self.shared.destroy_requested.store(true, Ordering::Release);
        self.with_core(|c| c.timers.clear()).unwrap_or_default()
    }

    /// The vhost's listening port, if it has a listener.
    pub fn listen_port(&self, id: VhostId) -> Option<u16> {
        self.with_core(|c| c.vhost(id).and_then(|v| v.listen_port))
            .ok()
            .flatten()
    }

    pub fn vhost_by_name(&self, name: &str) -> Option<VhostId> {
        self.with_core(|c| c.vhost_by_name(name)).ok().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::panic::{catch_unwind, AssertUnwindSafe};

    /// A host whose delivery panics (a bug in the glue between core and user
    /// code, not in user code: C callbacks cannot unwind).
    struct PanickingHost;

    impl Host for PanickingHost {
        fn deliver(&self, _callout: &mut Callout) -> i32 {
            panic!("host failed");
        }
    }

    /// Issue 10 defect 3 (B1.4): the callout depth is restored when a delivery
    /// unwinds, so the context does not believe itself inside a callback for
    /// ever (which would refuse every later `lws_service` and defer every
    /// destroy).
    #[test]
    fn callout_depth_is_restored_on_unwind_defect_3() -> Result<(), Error> {
        let rt = Runtime::new(super::super::context::Settings::default())?;
        rt.schedule_sul(SulKey(1), 0)?;
        std::thread::sleep(Duration::from_millis(2));
        let r = catch_unwind(AssertUnwindSafe(|| rt.service(&PanickingHost, 0)));
        assert!(r.is_err(), "the delivery should have panicked");
        assert!(!rt.in_callout());
        assert!(!core_lock_held());
        Ok(())
    }
}
