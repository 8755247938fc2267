//! Delivers core callouts to user code: the only place C function pointers
//! (protocol callbacks, sul callbacks, state notifiers, finalize hooks) are
//! called. No library lock is held here.

use std::ffi::{c_int, c_void, CStr};
use std::ptr;

use super::handle::ContextHandle;
use super::reasons;
use super::types::{lws_protocol_vhost_options, lws_sorted_usec_list, lws_state_notify_link};
use crate::core::{Callout, Host, ProtocolEvent, ProtocolRef, SysState};

/// The host for one context.
pub struct CHost<'a> {
    pub ctx: &'a ContextHandle,
}

impl Host for CHost<'_> {
    fn deliver(&self, callout: &Callout) -> i32 {
        match callout {
            Callout::Protocol { at, event } => self.protocol_event(*at, *event),
            Callout::Sul(key) => {
                let sul = key.0 as *mut lws_sorted_usec_list;
                // SAFETY: the key is the address of a sul armed through
                // lws_sul_schedule, which must stay valid while armed; it was armed
                // until the core popped it just now. Detach it first so that the
                // callback sees it unscheduled and may re-arm it.
                let cb = unsafe {
                    (*sul).list.owner = ptr::null_mut();
                    (*sul).cb
                };
                if let Some(cb) = cb {
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
                self.notify(*state, *state, false)
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
            cb(
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
        let (pname, options, next) = unsafe { ((*pvo).name, (*pvo).options, (*pvo).next) };
        // SAFETY: pvo names are NUL-terminated C strings.
        if !pname.is_null() && unsafe { CStr::from_ptr(pname) } == name {
            return options;
        }
        pvo = next;
    }
    ptr::null()
}
