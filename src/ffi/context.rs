//! lws-context-vhost.h, the context half: creating and destroying contexts
//! (spec B1.1, B1.7), and the wsi's context / vhost / protocol accessors. The
//! vhost half is `vhost.rs`; the creation info is read in `creation_info.rs`.

use std::ffi::{c_void, CStr};
use std::ptr;
use std::sync::atomic::Ordering;

use super::callout::CHost;
use super::handle::{self, ContextHandle};
use super::types::*;
use super::vhost::make_vhost;
use super::{dll2, guard};
use crate::core::runtime::{Runtime, Teardown};
use crate::log::level;
use crate::lwsl;

/// Kept here for the modules that read C strings and retry policies through
/// this path.
pub use super::creation_info::{opt_string, validity_of};

/// The library version string (B7.5).
pub const VERSION: &CStr = c"4.3.3-lws-rs";

/// Creates a context (B1.1). No PROTOCOL_INIT happens here (B1.T1).
///
/// # Safety
/// `info` is NULL or a valid creation info whose pointers follow lws's contract.
#[no_mangle]
pub unsafe extern "C" fn lws_create_context(
    info: *const lws_context_creation_info,
) -> *mut lws_context {
    guard("lws_create_context", ptr::null_mut(), || {
        if info.is_null() {
            return Err(super::null("info is NULL"));
        }
        // SAFETY: non-NULL creation info from the caller.
        let info = unsafe { &*info };
        lwsl!(
            level::NOTICE,
            "LWS: {}, lws-rs (Rust), loop: mio, tls: rustls",
            VERSION.to_string_lossy()
        );
        let runtime = Runtime::new(super::creation_info::settings_of(info))?;
        let ctx = Box::into_raw(ContextHandle::new(
            runtime,
            info.user,
            info.options,
            info.pcontext,
            info.fops,
        ));
        // SAFETY: just allocated; freed only by destroy_context below or by
        // lws_context_destroy.
        let cx = unsafe { &*ctx };
        // SAFETY: the manager is inside the handle; nothing else refers to it yet.
        unsafe {
            (*cx.state_mgr.get()).context = cx.as_c();
        }
        // SAFETY: as above.
        unsafe {
            (*cx.state_mgr.get()).parent = cx.as_c().cast();
        }
        // SAFETY: the info this context is made from.
        unsafe { super::system::attach(cx, info) };
        // SAFETY: as above; a custom event library is set up before any vhost.
        if let Err(e) = unsafe { super::eventlib::attach(cx, info) } {
            lwsl!(level::ERR, "lws_create_context: {e}");
            // SAFETY: `ctx` came from Box::into_raw above and is not yet
            // published to the caller.
            unsafe { destroy_context(ctx) };
            return Ok(ptr::null_mut());
        }
        if !info.register_notifier_list.is_null() {
            let mut pp = info.register_notifier_list;
            loop {
                // SAFETY: a NULL-terminated array of notifier links (lws contract).
                let link = unsafe { *pp };
                if link.is_null() {
                    break;
                }
                // SAFETY: the link must stay valid while registered; the owner is
                // the manager inside the handle.
                unsafe { register_notifier(cx, link) };
                // SAFETY: not past the terminator yet.
                pp = unsafe { pp.add(1) };
            }
        }
        if info.options & LWS_SERVER_OPTION_EXPLICIT_VHOSTS == 0 {
            // SAFETY: info follows lws's contract.
            if let Err(e) = unsafe { make_vhost(cx, info) } {
                lwsl!(level::ERR, "lws_create_context: default vhost: {e}");
                // SAFETY: `ctx` came from Box::into_raw above and is not yet
                // published to the caller.
                unsafe { destroy_context(ctx) };
                return Ok(ptr::null_mut());
            }
        }
        if !info.pcontext.is_null() {
            // SAFETY: the caller gave a writable pointer for the context.
            unsafe { *info.pcontext = cx.as_c() };
        }
        Ok(cx.as_c())
    })
}

/// Adds a notifier at the head of the context's list (newest consulted first).
///
/// # Safety
/// `link` is a valid, unregistered notifier link that outlives its registration.
pub unsafe fn register_notifier(cx: &ContextHandle, link: *mut lws_state_notify_link) {
    // The link's dll2 node is its first member; the owner is the manager's list
    // inside the context handle.
    let node = link.cast::<lws_dll2>();
    let owner = cx.state_mgr.get().cast::<lws_dll2_owner>();
    // SAFETY: a valid unregistered link and the context's own list (offset 0 of
    // the manager).
    unsafe { dll2::add_head(node, owner) };
}

/// Delivers the teardown and frees the context.
///
/// # Safety
/// `ctx` came from `Box::into_raw` in `lws_create_context` and is not used after.
unsafe fn destroy_context(ctx: *mut ContextHandle) {
    // SAFETY: live until freed below.
    let cx = unsafe { &*ctx };
    let armed_suls = if cx.poisoned.load(Ordering::Acquire) {
        // After an internal error no callback runs; dropping the runtime closes
        // every socket.
        cx.runtime.abandon()
    } else {
        let Teardown::Complete { armed_suls } = cx.runtime.destroy(&CHost { ctx: cx }) else {
            return;
        };
        armed_suls
    };
    // Suls still armed would keep pointing at the freed context: detached, a
    // later lws_sul_cancel on them is a no-op (issue 10 defect 6).
    for key in armed_suls {
        // SAFETY: an armed sul must stay valid while armed (lws_sul_schedule's
        // contract); it was armed until the teardown disarmed it just now.
        unsafe { super::timeout::detach(key.0 as *mut lws_sorted_usec_list_t) };
    }
    if !cx.pcontext.is_null() {
        // SAFETY: the caller's pointer for the context, given at creation.
        unsafe { *cx.pcontext = ptr::null_mut() };
    }
    if !cx.poisoned.load(Ordering::Acquire) {
        super::eventlib::detach(cx);
    }
    cx.free_all_wsis();
    cx.free_all_vhosts();
    // The manager goes away: its notifier links (the application's memory)
    // are left detached, so they can be registered again elsewhere.
    let owner = cx.state_mgr.get().cast::<lws_dll2_owner>();
    loop {
        // SAFETY: the manager's list inside the live handle.
        let head = unsafe { (*owner).head };
        if head.is_null() {
            break;
        }
        // SAFETY: a registered link is valid while registered.
        unsafe { dll2::remove(head) };
    }
    super::system::detach(cx);
    cx.kill();
    // SAFETY: `ctx` came from Box::into_raw; freed once.
    drop(unsafe { Box::from_raw(ctx) });
}

/// Destroys a context (B1.7). From inside a callback it only marks the context:
/// `lws_service` then returns -1 and the caller destroys again after its loop.
///
/// # Safety
/// `context` is NULL or a live context; not used after this returns (unless the
/// destroy was deferred, see above).
#[no_mangle]
pub unsafe extern "C" fn lws_context_destroy(context: *mut lws_context) {
    guard("lws_context_destroy", (), || {
        if context.is_null() {
            return Ok(());
        }
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context_to_destroy(context) }?;
        // SAFETY: the handle is live and owned by this call from now on.
        unsafe { destroy_context(cx as *const ContextHandle as *mut ContextHandle) };
        Ok(())
    })
}

/// `info.user` of the context.
///
/// # Safety
/// `context` is a live context.
#[no_mangle]
pub unsafe extern "C" fn lws_context_user(context: *mut lws_context) -> *mut c_void {
    guard("lws_context_user", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        Ok(unsafe { handle::context(context) }?.user)
    })
}

/// The context a wsi belongs to.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_get_context(wsi: *const lws) -> *mut lws_context {
    guard("lws_get_context", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        let w = unsafe { handle::wsi(wsi) }?;
        Ok(w.ctx as *mut lws_context)
    })
}

/// The vhost a wsi is bound to.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_get_vhost(wsi: *mut lws) -> *mut lws_vhost {
    guard("lws_get_vhost", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        Ok(unsafe { handle::wsi(wsi) }?
            .vhost()
            .map_or(ptr::null_mut(), |v| v.as_c()))
    })
}

/// The wsi's protocol: a pointer into its vhost's copy of the table (B3.T1).
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_get_protocol(wsi: *mut lws) -> *const lws_protocols {
    guard("lws_get_protocol", ptr::null(), || {
        // SAFETY: checked handle conversion.
        let w = unsafe { handle::wsi(wsi) }?;
        Ok(w.vhost()
            .and_then(|v| v.protocols.get(w.protocol.get()))
            .map_or(ptr::null(), |p| p as *const _))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::vhost::{lws_get_vhost_by_name, lws_get_vhost_listen_port};
    use std::ffi::c_int;
    use std::sync::atomic::AtomicUsize;

    static PROTOCOL_DESTROYS: AtomicUsize = AtomicUsize::new(0);

    unsafe extern "C" fn counting(
        _wsi: *mut lws,
        reason: lws_callback_reasons,
        _user: *mut c_void,
        _in: *mut c_void,
        _len: usize,
    ) -> c_int {
        if reason == LWS_CALLBACK_PROTOCOL_DESTROY {
            PROTOCOL_DESTROYS.fetch_add(1, Ordering::Relaxed);
        }
        0
    }

    /// A context with the one protocol "counting", listening on `port`.
    fn counting_context(port: c_int) -> *mut lws_context {
        // SAFETY: plain C structs for which all-zero is the empty value.
        let protocols: &'static mut [lws_protocols; 2] =
            Box::leak(Box::new(unsafe { std::mem::zeroed() }));
        protocols[0].name = c"counting".as_ptr();
        protocols[0].callback = Some(counting);
        // SAFETY: as above.
        let mut info: lws_context_creation_info = unsafe { std::mem::zeroed() };
        info.port = port;
        // (leaked above: the context refers to its protocols for its life)
        info.protocols = protocols.as_ptr();
        // SAFETY: a valid creation info.
        let cx = unsafe { lws_create_context(&info) };
        assert!(!cx.is_null());
        cx
    }

    /// Issue 10 defect 8 (B1.7): a panic caught in any call that reached the
    /// context poisons it (every later call is refused), and
    /// `lws_context_destroy` still frees it, closing its listener, with no
    /// further callback.
    #[test]
    fn a_poisoned_context_is_refused_and_still_freed_defect_8() {
        let cx = counting_context(0);
        for _ in 0..3 {
            // SAFETY: a live context, on its one thread.
            assert_eq!(unsafe { crate::ffi::service::lws_service(cx, -1) }, 0);
        }
        // SAFETY: as above.
        let vh = unsafe { lws_get_vhost_by_name(cx, c"default".as_ptr()) };
        // SAFETY: a live vhost.
        let port = unsafe { lws_get_vhost_listen_port(vh) };
        assert!(port > 0);

        let r: i32 = guard("injected_panic", -5, || {
            // SAFETY: a live context.
            let _ = unsafe { handle::context(cx) }?;
            panic!("injected");
        });
        assert_eq!(r, -5);
        // SAFETY: the poisoned context is still allocated.
        assert_eq!(unsafe { crate::ffi::service::lws_service(cx, 0) }, -1);
        // SAFETY: as above.
        assert!(unsafe { lws_get_vhost_by_name(cx, c"default".as_ptr()) }.is_null());

        // SAFETY: destroyed once; not used after.
        unsafe { lws_context_destroy(cx) };
        assert_eq!(PROTOCOL_DESTROYS.load(Ordering::Relaxed), 0);
        let port = u16::try_from(port).unwrap_or_default();
        assert!(
            std::net::TcpListener::bind(("0.0.0.0", port)).is_ok(),
            "the listener of the poisoned context is still open"
        );
    }

    /// A caught panic poisons the contexts of its own thread, also one the
    /// panicking call did not reach, and none of another thread.
    #[test]
    fn a_panic_poisons_the_contexts_of_its_thread_only() {
        let cx = counting_context(CONTEXT_PORT_NO_LISTEN);
        // SAFETY: a live context, on its one thread.
        assert_eq!(unsafe { crate::ffi::service::lws_service(cx, -1) }, 0);

        let elsewhere = std::thread::spawn(|| guard("other_thread", -5, || panic!("elsewhere")));
        assert_eq!(elsewhere.join().ok(), Some(-5));
        // SAFETY: a live context, on its one thread.
        let after_other = unsafe { crate::ffi::service::lws_service(cx, -1) };
        assert_eq!(
            after_other, 0,
            "a panic on another thread poisoned this thread's context"
        );

        let r: i32 = guard("no_handle", -5, || panic!("reached no context"));
        assert_eq!(r, -5);
        // SAFETY: the poisoned context is still allocated.
        assert_eq!(unsafe { crate::ffi::service::lws_service(cx, 0) }, -1);
        // SAFETY: destroyed once; not used after.
        unsafe { lws_context_destroy(cx) };
    }

    /// An export implemented by calling another export: a panic in the outer
    /// body after the inner one reached the context still poisons it.
    #[test]
    fn a_panic_after_a_nested_export_poisons_its_context() {
        let cx = counting_context(CONTEXT_PORT_NO_LISTEN);
        let r: i32 = guard("outer", -5, || {
            // SAFETY: a live context.
            let user = unsafe { lws_context_user(cx) };
            assert!(user.is_null());
            panic!("injected after the nested export");
        });
        assert_eq!(r, -5);
        // SAFETY: the poisoned context is still allocated.
        assert!(unsafe { lws_get_vhost_by_name(cx, c"default".as_ptr()) }.is_null());
        // SAFETY: destroyed once; not used after.
        unsafe { lws_context_destroy(cx) };
    }
}
