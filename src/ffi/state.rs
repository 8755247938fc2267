//! lws-system.h / lws-state.h: the system state manager (B2.1, B2.2).

use std::ffi::c_int;
use std::ptr;

use super::callout::CHost;
use super::handle::{self, ContextHandle};
use super::types::{lws_context, lws_state_manager_t, lws_state_notify_link_t};
use super::{context, dll2, guard};
use crate::core::{Error, SysState};

/// # Safety
/// `mgr` is NULL or a manager from `lws_system_get_state_manager`.
unsafe fn mgr_context<'a>(mgr: *mut lws_state_manager_t) -> Result<&'a ContextHandle, Error> {
    if mgr.is_null() {
        return Err(Error::Refused("state manager is NULL"));
    }
    // SAFETY: a manager lives inside its context handle and records it.
    let cx = unsafe { (*mgr).context };
    // SAFETY: checked handle conversion.
    unsafe { handle::context(cx) }
}

/// The context's state manager: `->state` is the current state and `->parent`
/// the context.
///
/// # Safety
/// `context` is a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_system_get_state_manager(
    context: *mut lws_context,
) -> *mut lws_state_manager_t {
    guard("lws_system_get_state_manager", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        Ok(unsafe { handle::context(context) }?.state_mgr.get())
    })
}

/// The context owning a state manager.
///
/// # Safety
/// `mgr` is a manager from `lws_system_get_state_manager`.
#[no_mangle]
pub unsafe extern "C" fn lws_system_context_from_system_mgr(
    mgr: *mut lws_state_manager_t,
) -> *mut lws_context {
    guard(
        "lws_system_context_from_system_mgr",
        ptr::null_mut(),
        || {
            // SAFETY: checked conversion.
            Ok(unsafe { mgr_context(mgr) }?.as_c())
        },
    )
}

/// Registers a notifier at the head of the list: the newest is consulted first.
///
/// # Safety
/// `link` is a zeroed link with `notify_cb` set that stays valid while registered.
#[no_mangle]
pub unsafe extern "C" fn lws_state_reg_notifier(
    mgr: *mut lws_state_manager_t,
    link: *mut lws_state_notify_link_t,
) {
    guard("lws_state_reg_notifier", (), || {
        // SAFETY: checked conversion.
        let cx = unsafe { mgr_context(mgr) }?;
        if link.is_null() {
            return Err(super::null("link is NULL"));
        }
        // SAFETY: forwarded contract.
        unsafe { context::register_notifier(cx, link) };
        Ok(())
    })
}

/// Registers each link of a NULL-terminated array, in order.
///
/// # Safety
/// As `lws_state_reg_notifier`, for every element.
#[no_mangle]
pub unsafe extern "C" fn lws_state_reg_notifier_list(
    mgr: *mut lws_state_manager_t,
    list: *const *mut lws_state_notify_link_t,
) {
    guard("lws_state_reg_notifier_list", (), || {
        if list.is_null() {
            return Ok(());
        }
        let mut p = list;
        loop {
            // SAFETY: a NULL-terminated array by contract.
            let link = unsafe { *p };
            if link.is_null() {
                break;
            }
            // SAFETY: forwarded contract.
            unsafe { lws_state_reg_notifier(mgr, link) };
            // SAFETY: not past the terminator.
            p = unsafe { p.add(1) };
        }
        Ok(())
    })
}

/// Removes a notifier.
///
/// # Safety
/// `link` is NULL or a valid link.
#[no_mangle]
pub unsafe extern "C" fn lws_state_reg_deregister(link: *mut lws_state_notify_link_t) {
    guard("lws_state_reg_deregister", (), || {
        if link.is_null() {
            return Ok(());
        }
        // SAFETY: the dll2 node is the link's first member, so the link pointer is
        // also a pointer to its node.
        unsafe { dll2::remove(link.cast::<super::types::lws_dll2>()) };
        Ok(())
    })
}

fn target_state(target: c_int) -> Result<SysState, Error> {
    SysState::from_number(target).ok_or(Error::Refused("no such system state"))
}

/// Steps the state one at a time towards `target` until reached or held by a
/// notifier. Always returns 0.
///
/// # Safety
/// `mgr` is a manager from `lws_system_get_state_manager`.
#[no_mangle]
pub unsafe extern "C" fn lws_state_transition_steps(
    mgr: *mut lws_state_manager_t,
    target: c_int,
) -> c_int {
    guard("lws_state_transition_steps", 0, || {
        // SAFETY: checked conversion.
        let cx = unsafe { mgr_context(mgr) }?;
        cx.runtime
            .transition_steps(&CHost { ctx: cx }, target_state(target)?);
        Ok(0)
    })
}

/// One attempt at moving straight to `target`: 0 when it happened, 1 when a
/// notifier held it.
///
/// # Safety
/// `mgr` is a manager from `lws_system_get_state_manager`.
#[no_mangle]
pub unsafe extern "C" fn lws_state_transition(
    mgr: *mut lws_state_manager_t,
    target: c_int,
) -> c_int {
    guard("lws_state_transition", 1, || {
        // SAFETY: checked conversion.
        let cx = unsafe { mgr_context(mgr) }?;
        Ok(c_int::from(
            !cx.runtime
                .transition(&CHost { ctx: cx }, target_state(target)?),
        ))
    })
}
