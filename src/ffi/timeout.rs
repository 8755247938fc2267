//! lws-timeout-timer.h / lws-retry.h: user timers and backoff (B7.1, B6.7).
//!
//! A scheduled sul's `list.owner` points at its context's `sul_owner`, which is
//! how `lws_sul_cancel(sul)` (no context argument) finds the context, and why
//! `lws_dll2_is_detached(&sul->list)` tells whether it is armed.

use std::ffi::{c_int, c_uint};
use std::ptr;
use std::sync::atomic::{AtomicU64, Ordering};

use super::guard;
use super::handle::{self, ContextHandle};
use super::types::{
    lws_context, lws_dll2_owner_t, lws_dll2_t, lws_retry_bo_t, lws_sorted_usec_list_t, lws_usec_t,
    sul_cb_t,
};
use crate::core::timers::now_us;
use crate::core::{Error, SulKey};

/// `LWS_SET_TIMER_USEC_CANCEL`.
const SET_TIMER_USEC_CANCEL: lws_usec_t = -1;

/// The context a scheduled sul belongs to, from its `list.owner`: None when
/// it is not armed on a live context; refused from a wrong thread.
///
/// # Safety
/// `sul` is a valid node.
unsafe fn owner_context<'a>(
    sul: *mut lws_sorted_usec_list_t,
) -> Result<Option<&'a ContextHandle>, Error> {
    // SAFETY: valid node by contract.
    let owner = unsafe { (*sul).list.owner };
    // SAFETY: forwarded contract.
    unsafe { handle::sul_owner_context(owner) }
}

/// Arms `sul` on `cx` to fire `delay` µs from now.
///
/// # Safety
/// `sul` is valid and stays so while armed.
unsafe fn arm(
    cx: &ContextHandle,
    sul: *mut lws_sorted_usec_list_t,
    delay: lws_usec_t,
) -> Result<(), Error> {
    // SAFETY: valid node by contract. A sul armed on another context is moved.
    if let Some(prev) = unsafe { owner_context(sul) }? {
        if !ptr::eq(prev, cx) {
            prev.runtime.cancel_sul(SulKey(sul as usize))?;
        }
    }
    let due = cx
        .runtime
        .schedule_sul(SulKey(sul as usize), u64::try_from(delay).unwrap_or(0))?;
    // SAFETY: valid node; the owner marks it armed and names its context.
    let node = unsafe { &mut *sul };
    node.us = due as lws_usec_t;
    node.list.owner = cx.sul_owner.get();
    Ok(())
}

/// Marks an armed sul unscheduled (its context is going away).
///
/// # Safety
/// `sul` is a valid sul node.
pub unsafe fn detach(sul: *mut lws_sorted_usec_list_t) {
    // SAFETY: valid node by contract.
    let node = unsafe { &mut *sul };
    node.list.owner = ptr::null_mut();
    node.list.prev = ptr::null_mut();
    node.list.next = ptr::null_mut();
}

/// Calls `cb(sul)` on the service thread `us` µs from now; re-scheduling moves
/// the timer; `us == LWS_SET_TIMER_USEC_CANCEL` cancels it.
///
/// # Safety
/// `sul` stays valid until it fires or is cancelled.
#[no_mangle]
pub unsafe extern "C" fn lws_sul_schedule(
    ctx: *mut lws_context,
    tsi: c_int,
    sul: *mut lws_sorted_usec_list_t,
    cb: sul_cb_t,
    us: lws_usec_t,
) {
    guard("lws_sul_schedule", (), || {
        let _ = tsi;
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(ctx) }?;
        if sul.is_null() {
            return Err(super::null("sul is NULL"));
        }
        if us == SET_TIMER_USEC_CANCEL {
            // SAFETY: valid node by contract.
            unsafe { lws_sul_cancel(sul) };
            return Ok(());
        }
        // SAFETY: valid node by contract.
        unsafe { (*sul).cb = cb };
        // SAFETY: forwarded contract.
        unsafe { arm(cx, sul, us) }
    })
}

/// As `lws_sul_schedule`, with the callback and the delay already in `sul->cb`
/// and `sul->us`.
///
/// # Safety
/// As `lws_sul_schedule`.
#[no_mangle]
pub unsafe extern "C" fn lws_sul2_schedule(
    ctx: *mut lws_context,
    tsi: c_int,
    flags: c_int,
    sul: *mut lws_sorted_usec_list_t,
) {
    guard("lws_sul2_schedule", (), || {
        let _ = tsi;
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(ctx) }?;
        if sul.is_null() {
            return Err(super::null("sul is NULL"));
        }
        // SAFETY: valid node by contract.
        let us = unsafe { (*sul).us };
        if us == SET_TIMER_USEC_CANCEL {
            // SAFETY: valid node.
            unsafe { lws_sul_cancel(sul) };
            return Ok(());
        }
        // SAFETY: forwarded contract.
        unsafe { arm(cx, sul, us) }?;
        // LWSSULLI_WAKE_IF_SUSPENDED: counts for the earliest wakeable event.
        if flags & 1 != 0 {
            cx.wakeable_suls.lock().insert(sul as usize);
        }
        Ok(())
    })
}

/// Disarms `sul`; nothing happens when it is not armed.
///
/// # Safety
/// `sul` is NULL or a valid node.
#[no_mangle]
pub unsafe extern "C" fn lws_sul_cancel(sul: *mut lws_sorted_usec_list_t) {
    guard("lws_sul_cancel", (), || {
        if sul.is_null() {
            return Ok(());
        }
        // SAFETY: valid node by contract.
        if let Some(cx) = unsafe { owner_context(sul) }? {
            cx.runtime.cancel_sul(SulKey(sul as usize))?;
        }
        // SAFETY: valid node.
        unsafe { (*sul).list.owner = ptr::null_mut() };
        Ok(())
    })
}

/// Microseconds on the library's monotonic clock.
///
/// # Safety
/// Always safe.
#[no_mangle]
pub unsafe extern "C" fn lws_now_usecs() -> lws_usec_t {
    guard("lws_now_usecs", 0, || Ok(now_us() as lws_usec_t))
}

/// The default backoff table (B1.1): 1 s, 3 s, 9 s, 17 s.
const DEFAULT_RETRY_MS: [u32; 4] = [1000, 3000, 9000, 17000];

/// A cheap xorshift for backoff jitter; needs no cryptographic quality.
fn jitter_random() -> u64 {
    static STATE: AtomicU64 = AtomicU64::new(0);
    let mut x = STATE.load(Ordering::Relaxed);
    if x == 0 {
        x = now_us() | 1;
    }
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    STATE.store(x, Ordering::Relaxed);
    x
}

/// The next backoff delay for try `*ctry` (then increments it): the table entry
/// (the last one past its end) plus up to `jitter_percent` (0: 30) % random.
/// `*conceal` says whether the retry should still be hidden from the caller.
///
/// # Safety
/// `retry` is NULL or valid; `ctry` valid; `conceal` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn lws_retry_get_delay_ms(
    context: *mut lws_context,
    retry: *const lws_retry_bo_t,
    ctry: *mut u16,
    conceal: *mut c_int,
) -> c_uint {
    guard("lws_retry_get_delay_ms", 0, || {
        let _ = context;
        if ctry.is_null() {
            return Err(super::null("ctry is NULL"));
        }
        // SAFETY: NULL or valid by contract.
        let policy = unsafe { retry.as_ref() };
        let table: &[u32] = match policy {
            Some(p) if !p.retry_ms_table.is_null() && p.retry_ms_table_count > 0 => {
                // SAFETY: the policy's table has retry_ms_table_count entries.
                unsafe {
                    std::slice::from_raw_parts(
                        p.retry_ms_table,
                        usize::from(p.retry_ms_table_count),
                    )
                }
            }
            _ => &DEFAULT_RETRY_MS,
        };
        // SAFETY: valid by contract.
        let tries = unsafe { *ctry };
        let base = u64::from(table[usize::from(tries).min(table.len() - 1)]);
        let pc = match policy.map(|p| p.jitter_percent) {
            Some(0) | None => 30,
            Some(j) => u64::from(j),
        };
        let span = base * pc / 100;
        let ms = base + if span > 0 { jitter_random() % span } else { 0 };
        if !conceal.is_null() {
            let limit = policy.map_or(u16::MAX, |p| p.conceal_count);
            // SAFETY: writable by contract.
            unsafe { *conceal = c_int::from(limit == u16::MAX || tries < limit) };
        }
        // SAFETY: valid by contract.
        unsafe { *ctry = tries.saturating_add(1) };
        Ok(c_uint::try_from(ms).unwrap_or(c_uint::MAX))
    })
}

/// Schedules `sul` after the next backoff delay; returns 1 without scheduling
/// once the policy's `conceal_count` retries are used up.
///
/// # Safety
/// As `lws_sul_schedule` and `lws_retry_get_delay_ms`.
#[no_mangle]
pub unsafe extern "C" fn lws_retry_sul_schedule(
    context: *mut lws_context,
    tid: c_int,
    sul: *mut lws_sorted_usec_list_t,
    retry: *const lws_retry_bo_t,
    cb: sul_cb_t,
    ctry: *mut u16,
) -> c_int {
    guard("lws_retry_sul_schedule", 1, || {
        let mut conceal: c_int = 0;
        // SAFETY: forwarded contract.
        let ms = unsafe { lws_retry_get_delay_ms(context, retry, ctry, &mut conceal) };
        if conceal == 0 {
            return Ok(1);
        }
        // SAFETY: forwarded contract.
        unsafe { lws_sul_schedule(context, tid, sul, cb, lws_usec_t::from(ms) * 1000) };
        Ok(0)
    })
}

/// Orders sul nodes by due time (the node is the first member of its sul).
unsafe extern "C" fn sul_compare(a: *const lws_dll2_t, b: *const lws_dll2_t) -> c_int {
    // SAFETY: `list` member of a valid sul node on the list being sorted.
    let a = unsafe { (*a.cast::<lws_sorted_usec_list_t>()).us };
    // SAFETY: as above.
    let b = unsafe { (*b.cast::<lws_sorted_usec_list_t>()).us };
    match a.cmp(&b) {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    }
}

/// Puts `sul` on the caller's own list `own`, ordered by `sul->us` (already
/// absolute), taking it off any list it was on. Returns 0.
///
/// # Safety
/// `own` is a valid list of sul nodes; `sul` a valid node whose list, if it
/// is on one, is valid.
#[no_mangle]
pub unsafe extern "C" fn __lws_sul_insert(
    own: *mut lws_dll2_owner_t,
    sul: *mut lws_sorted_usec_list_t,
) -> c_int {
    guard("__lws_sul_insert", -1, || {
        if own.is_null() || sul.is_null() {
            return Err(super::null("own or sul is NULL"));
        }
        // SAFETY: valid node by contract; its list member comes first.
        let node = unsafe { ptr::addr_of_mut!((*sul).list) };
        // SAFETY: as above.
        unsafe { super::dll2::remove(node) };
        // SAFETY: a detached node, a valid list, our own comparator.
        unsafe { super::dll2::lws_dll2_add_sorted(node, own, Some(sul_compare)) };
        Ok(0)
    })
}

/// Fires, earliest first, every sul due by `usnow` on the `own_len` lists
/// from `own` (each is taken off its list before its callback runs). Returns
/// 0 when no sul is left on any list, else the µs from `usnow` until the
/// next one.
///
/// # Safety
/// `own` points at `own_len` valid lists of valid sul nodes.
#[no_mangle]
pub unsafe extern "C" fn __lws_sul_service_ripe(
    own: *mut lws_dll2_owner_t,
    own_len: c_int,
    usnow: lws_usec_t,
) -> lws_usec_t {
    guard("__lws_sul_service_ripe", 0, || {
        let n = usize::try_from(own_len).unwrap_or(0);
        if own.is_null() || n == 0 {
            return Err(super::null("no sul list"));
        }
        // Bounded: each round takes one sul off a list; a callback re-arming
        // itself for now could otherwise keep this going for ever.
        for _ in 0..100_000 {
            let mut hit: *mut lws_sorted_usec_list_t = ptr::null_mut();
            for i in 0..n {
                // SAFETY: `own` has `own_len` lists by contract.
                let list = unsafe { own.add(i) };
                // SAFETY: as above.
                let head = unsafe { (*list).head }.cast::<lws_sorted_usec_list_t>();
                if head.is_null() {
                    continue;
                }
                // SAFETY: a list head is a valid sul node.
                let head_us = unsafe { (*head).us };
                // SAFETY: `hit` is NULL or a head found above.
                if hit.is_null() || head_us < unsafe { (*hit).us } {
                    hit = head;
                }
            }
            if hit.is_null() {
                return Ok(0);
            }
            // SAFETY: a valid node found on a list just now.
            let node = unsafe { &mut *hit };
            let (us, cb) = (node.us, node.cb);
            if us > usnow {
                return Ok(us - usnow);
            }
            // SAFETY: as above; detached before its callback may re-arm it.
            unsafe { super::dll2::remove(&mut node.list) };
            if let Some(cb) = cb {
                // SAFETY: the sul's own callback with its detached node.
                unsafe { super::callout::sul_list_callback(cb, hit) };
            }
        }
        Ok(0)
    })
}

/// As `lws_sul_schedule`, and the sul may wake the system from suspend: it
/// counts for `lws_sul_earliest_wakeable_event`.
///
/// # Safety
/// As `lws_sul_schedule`.
#[no_mangle]
pub unsafe extern "C" fn lws_sul_schedule_wakesuspend(
    ctx: *mut lws_context,
    tsi: c_int,
    sul: *mut lws_sorted_usec_list_t,
    cb: sul_cb_t,
    us: lws_usec_t,
) {
    guard("lws_sul_schedule_wakesuspend", (), || {
        // SAFETY: forwarded contract.
        unsafe { lws_sul_schedule(ctx, tsi, sul, cb, us) };
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(ctx) }?;
        // SAFETY: valid node by contract.
        if us != SET_TIMER_USEC_CANCEL && unsafe { !(*sul).list.owner.is_null() } {
            cx.wakeable_suls.lock().insert(sul as usize);
        }
        Ok(())
    })
}

/// The due time (absolute µs) of the earliest armed sul that may wake the
/// system from suspend, in `*pearliest`: 0, or 1 when there is none.
///
/// # Safety
/// `ctx` is a live context; `pearliest` writable.
#[no_mangle]
pub unsafe extern "C" fn lws_sul_earliest_wakeable_event(
    ctx: *mut lws_context,
    pearliest: *mut lws_usec_t,
) -> c_int {
    guard("lws_sul_earliest_wakeable_event", 1, || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(ctx) }?;
        if pearliest.is_null() {
            return Err(super::null("pearliest is NULL"));
        }
        let owner = cx.sul_owner.get();
        let mut set = cx.wakeable_suls.lock();
        // Those no longer armed here (fired, cancelled, re-armed plainly or
        // elsewhere) leave the set.
        // SAFETY: every key is a sul armed through this context, which stays
        // valid while armed; only the owner pointer is read.
        set.retain(|k| unsafe {
            ptr::eq((*(*k as *const lws_sorted_usec_list_t)).list.owner, owner)
        });
        let earliest = set
            .iter()
            // SAFETY: as above; still armed, so valid.
            .map(|k| unsafe { (*(*k as *const lws_sorted_usec_list_t)).us })
            .min();
        match earliest {
            Some(us) => {
                // SAFETY: writable by contract.
                unsafe { *pearliest = us };
                Ok(0)
            }
            None => Ok(1),
        }
    })
}
