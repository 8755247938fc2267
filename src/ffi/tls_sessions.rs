//! TLS session dumps (lws-tls-sessions.h): a vhost's cached client session for one
//! host and port handed to the application (`lws_tls_session_dump_save`) and back
//! (`lws_tls_session_dump_load`). The blob is a token for a session kept in this
//! process (rustls cannot serialise client sessions; docs/COMPAT.md).

use std::ffi::{c_char, c_int, c_void, CStr};
use std::sync::Arc;

use super::handle::{self, VhostHandle};
use super::types::*;
use super::{callout, guard};
use crate::core::vhost::ClientTlsState;
use crate::core::Error;
use crate::log::level;
use crate::lwsl;
use crate::tls::sessions::{DumpStore, SessionCache};

/// The vhost's session cache; `None` when it has no client TLS or the cache is
/// disabled (`LWS_SERVER_OPTION_DISABLE_TLS_SESSION_CACHE`).
fn cache_of(vh: &VhostHandle) -> Result<Option<Arc<SessionCache>>, Error> {
    vh.context().runtime.with_core(|c| {
        c.vhost(vh.id).and_then(|v| match &v.client_tls {
            ClientTlsState::Ready { tls, .. } => tls.sessions().cloned(),
            ClientTlsState::NotConfigured => None,
        })
    })
}

/// lws's tag, `<vhost>_<host>_<port>`, cut to fit with its NUL.
fn tag(vh: &VhostHandle, host: &str, port: u16) -> [c_char; 96] {
    let text = format!("{}_{host}_{port}", vh.name.to_string_lossy());
    let mut out = [0 as c_char; 96];
    for (o, b) in out.iter_mut().zip(text.bytes().take(95)) {
        *o = b as c_char;
    }
    out
}

/// # Safety
/// `host` is NULL or NUL-terminated.
unsafe fn host_arg(host: *const c_char) -> Result<String, Error> {
    if host.is_null() {
        return Err(Error::Refused("NULL host"));
    }
    // SAFETY: non-NULL and NUL-terminated by contract.
    Ok(unsafe { CStr::from_ptr(host) }
        .to_string_lossy()
        .into_owned())
}

/// Hands the vhost's cached session for `host:port` to `cb_save` (its blob is valid
/// during the call). 0 when the callback took it; 1 when there is no such session,
/// the cache is disabled or the callback failed (the session then stays cached).
///
/// # Safety
/// `vh` is a vhost of this library, `host` NUL-terminated, `cb_save` NULL or callable.
#[no_mangle]
pub unsafe extern "C" fn lws_tls_session_dump_save(
    vh: *mut lws_vhost,
    host: *const c_char,
    port: u16,
    cb_save: lws_tls_sess_cb_t,
    opq: *mut c_void,
) -> c_int {
    guard("lws_tls_session_dump_save", 1, || {
        // SAFETY: checked handle conversion.
        let vh = unsafe { handle::vhost(vh) }?;
        // SAFETY: forwarded contract.
        let host = unsafe { host_arg(host) }?;
        let cb = cb_save.ok_or(Error::Refused("NULL callback"))?;
        let Some(cache) = cache_of(vh)? else {
            return Ok(1);
        };
        let Some(session) = cache.take_for_dump(&host, port) else {
            return Ok(1);
        };
        let mut blob = DumpStore::get().save(session);
        let mut dump = lws_tls_session_dump {
            tag: tag(vh, &host, port),
            blob: blob.as_mut_ptr().cast(),
            opaque: opq,
            blob_len: blob.len(),
        };
        let rt = &vh.context().runtime;
        // SAFETY: the application's callback with a dump valid for the call.
        let r = unsafe { callout::tls_session_dump(rt, cb, vh.context().as_c(), &mut dump) };
        if r == 0 {
            return Ok(0);
        }
        lwsl!(level::NOTICE, "lws_tls_session_dump_save: save failed");
        if let Ok(session) = DumpStore::get().load(&blob) {
            cache.restore(&host, port, session);
        }
        Ok(1)
    })
}

/// Asks `cb_load` for a session for `host:port` (it sets `blob` to memory from
/// malloc(), which is freed here, and `blob_len`) and puts it in the vhost's cache.
/// 0 when loaded; 1 when a session is already cached (it is likely newer), the cache
/// is disabled, the callback failed or the blob is not a dump of this process.
///
/// # Safety
/// `vh` is a vhost of this library, `host` NUL-terminated, `cb_load` NULL or callable.
#[no_mangle]
pub unsafe extern "C" fn lws_tls_session_dump_load(
    vh: *mut lws_vhost,
    host: *const c_char,
    port: u16,
    cb_load: lws_tls_sess_cb_t,
    opq: *mut c_void,
) -> c_int {
    guard("lws_tls_session_dump_load", 1, || {
        // SAFETY: checked handle conversion.
        let vh = unsafe { handle::vhost(vh) }?;
        // SAFETY: forwarded contract.
        let host = unsafe { host_arg(host) }?;
        let cb = cb_load.ok_or(Error::Refused("NULL callback"))?;
        let Some(cache) = cache_of(vh)? else {
            return Ok(1);
        };
        let mut dump = lws_tls_session_dump {
            tag: tag(vh, &host, port),
            blob: std::ptr::null_mut(),
            opaque: opq,
            blob_len: 0,
        };
        if cache.has_session(&host, port) {
            lwsl!(
                level::NOTICE,
                "lws_tls_session_dump_load: session already exists for {}",
                // SAFETY: `tag` is NUL-terminated (95 bytes at most, then zeros).
                unsafe { CStr::from_ptr(dump.tag.as_ptr()) }.to_string_lossy()
            );
            return Ok(1);
        }
        let rt = &vh.context().runtime;
        // SAFETY: the application's callback with a dump valid for the call.
        let r = unsafe { callout::tls_session_dump(rt, cb, vh.context().as_c(), &mut dump) };
        if r != 0 {
            lwsl!(level::WARN, "lws_tls_session_dump_load: load failed");
            return Ok(1);
        }
        let blob = if dump.blob.is_null() {
            Vec::new()
        } else {
            // SAFETY: the callback set `blob` to `blob_len` readable bytes.
            unsafe { std::slice::from_raw_parts(dump.blob.cast::<u8>(), dump.blob_len) }.to_vec()
        };
        // SAFETY: lws's contract: the load callback allocated the blob with malloc().
        unsafe { libc::free(dump.blob) };
        match DumpStore::get().load(&blob) {
            Ok(session) => {
                cache.restore(&host, port, session);
                Ok(0)
            }
            Err(why) => {
                lwsl!(level::WARN, "lws_tls_session_dump_load: {why}");
                Ok(1)
            }
        }
    })
}
