//! lws-spa.h over `crate::http::spa::FormParser`: `struct lws_spa *` is a boxed
//! [`SpaHandle`]. The encoding comes from the wsi's Content-Type, read with
//! `lws_hdr_copy` into 205 bytes as lws does. File uploads reach the user's
//! `lws_spa_fileupload_cb` through `callout::spa_upload`. The parser sits in a
//! `RefCell`, so a call on the same parser from inside its own upload callback
//! is refused instead of aliasing it.

use std::cell::{Cell, RefCell};
use std::ffi::{c_char, c_int, c_void, CStr};
use std::ptr;

use super::callout;
use super::handle;
use super::types::*;
use super::{guard, null};
use crate::core::Error;
use crate::http::spa::{Encoding, FormParser, Upload, UploadSink, UploadState, CONTENT_TYPE_ROOM};
use crate::log::level;
use crate::lwsl;

const SPA_MAGIC: u64 = 0x6c77_732d_7273_5350;
const DEAD: u64 = 0;

/// Behind `struct lws_spa *`.
struct SpaHandle {
    magic: Cell<u64>,
    parser: RefCell<FormParser>,
    upload: CUpload,
}

/// The user's upload callback as an [`UploadSink`].
#[derive(Clone, Copy)]
struct CUpload {
    cb: lws_spa_fileupload_cb,
    data: *mut c_void,
}

impl UploadSink for CUpload {
    fn deliver(&mut self, u: Upload<'_>) -> bool {
        let (buf, len) = match u.data {
            Some(d) => (
                d.as_mut_ptr().cast::<c_char>(),
                c_int::try_from(d.len()).unwrap_or(c_int::MAX),
            ),
            None => (ptr::null_mut(), 0),
        };
        let state = match u.state {
            UploadState::Content => LWS_UFS_CONTENT,
            UploadState::FinalContent => LWS_UFS_FINAL_CONTENT,
            UploadState::Open => LWS_UFS_OPEN,
            UploadState::Close => LWS_UFS_CLOSE,
        };
        // SAFETY: name and filename are NUL-terminated, buf is the parser's
        // chunk (writable, `len` bytes) or NULL; all outlive the call.
        let r = unsafe {
            callout::spa_upload(
                self.cb,
                self.data,
                u.name.as_ptr(),
                u.filename.as_ptr(),
                buf,
                len,
                state,
            )
        };
        r >= 0
    }
}

/// # Safety
/// `spa` is NULL or a pointer from `lws_spa_create*` (a destroyed one is read
/// once for its magic word).
unsafe fn spa_ref<'a>(spa: *mut lws_spa) -> Result<&'a SpaHandle, Error> {
    if spa.is_null() {
        return Err(null("spa is NULL"));
    }
    let h = spa.cast::<SpaHandle>();
    // SAFETY: by contract a SpaHandle; the magic word tells a live one.
    if unsafe { &(*h).magic }.get() != SPA_MAGIC {
        return Err(Error::Refused("not a live spa"));
    }
    // SAFETY: the magic word says this is a live SpaHandle.
    Ok(unsafe { &*h })
}

const BUSY: Error = Error::Refused("spa is in use by its own upload callback");

/// The request's Content-Type as lws reads it: None when absent, empty or
/// longer than lws's 205-byte buffer.
fn content_type(wsi: *mut lws) -> Option<Vec<u8>> {
    let mut buf = [0u8; CONTENT_TYPE_ROOM];
    // SAFETY: buf has room for CONTENT_TYPE_ROOM bytes; the wsi was checked.
    let n = unsafe {
        super::http::lws_hdr_copy(
            wsi,
            buf.as_mut_ptr().cast(),
            CONTENT_TYPE_ROOM as c_int,
            WSI_TOKEN_HTTP_CONTENT_TYPE,
        )
    };
    let n = usize::try_from(n).ok().filter(|&n| n > 0)?;
    Some(buf[..n.min(CONTENT_TYPE_ROOM)].to_vec())
}

/// The names of `info.param_names`, copied.
///
/// # Safety
/// `info.param_names` holds `count_params` name pointers, `param_names_stride`
/// bytes apart (0: adjacent).
unsafe fn param_names(info: &lws_spa_create_info) -> Result<Vec<Vec<u8>>, Error> {
    let count = usize::try_from(info.count_params)
        .map_err(|_| Error::Refused("count_params is negative"))?;
    if count == 0 {
        return Ok(Vec::new());
    }
    if info.param_names.is_null() {
        return Err(null("param_names is NULL"));
    }
    let stride = match info.param_names_stride {
        0 => size_of::<*const c_char>(),
        s => s,
    };
    let mut names = Vec::with_capacity(count);
    for i in 0..count {
        let at = info.param_names.cast::<u8>().wrapping_add(i * stride);
        // SAFETY: by contract name pointer i is at this address (possibly
        // unaligned when a stride is given).
        let p = unsafe { at.cast::<*const c_char>().read_unaligned() };
        if p.is_null() {
            return Err(null("a param_names entry is NULL"));
        }
        // SAFETY: the names are NUL-terminated C strings.
        names.push(unsafe { CStr::from_ptr(p) }.to_bytes().to_vec());
    }
    Ok(names)
}

/// # Safety
/// As `lws_spa_create_via_info`.
unsafe fn create(wsi: *mut lws, info: &lws_spa_create_info) -> Result<*mut lws_spa, Error> {
    // SAFETY: checked handle conversion.
    unsafe { handle::wsi(wsi) }?;
    let storage =
        usize::try_from(info.max_storage).map_err(|_| Error::Refused("max_storage is negative"))?;
    // SAFETY: forwarded contract.
    let names = unsafe { param_names(info) }?;
    let encoding = Encoding::from_content_type(content_type(wsi).as_deref());
    let parser = FormParser::new(encoding, names, storage);
    if parser.lacks_boundary() {
        lwsl!(
            level::NOTICE,
            "lws_spa_create: multipart body without a boundary: no field will be found"
        );
    }
    let h = Box::new(SpaHandle {
        magic: Cell::new(SPA_MAGIC),
        parser: RefCell::new(parser),
        upload: CUpload {
            cb: info.opt_cb,
            data: info.opt_data,
        },
    });
    Ok(Box::into_raw(h).cast())
}

/// Ends the parse once: the last urlencoded value, then LWS_UFS_CLOSE.
fn finalize(h: &SpaHandle) -> Result<(), Error> {
    let mut p = h.parser.try_borrow_mut().map_err(|_| BUSY)?;
    let mut sink = h.upload;
    if let Err(e) = p.finalize(&mut sink) {
        lwsl!(level::NOTICE, "lws_spa_finalize: {e}");
    }
    Ok(())
}

/// A parser for the body of `wsi`'s request, keeping the fields named in
/// `param_names`; see `lws_spa_create_via_info`.
///
/// # Safety
/// `param_names` holds `count_params` C strings; `opt_cb` is NULL or callable
/// with `opt_data` until the parser is destroyed.
#[no_mangle]
pub unsafe extern "C" fn lws_spa_create(
    wsi: *mut lws,
    param_names: *const *const c_char,
    count_params: c_int,
    max_storage: c_int,
    opt_cb: lws_spa_fileupload_cb,
    opt_data: *mut c_void,
) -> *mut lws_spa {
    guard("lws_spa_create", ptr::null_mut(), || {
        let info = lws_spa_create_info {
            param_names,
            count_params,
            max_storage,
            opt_cb,
            opt_data,
            param_names_stride: 0,
            ac: ptr::null_mut(),
            ac_chunk_size: 0,
        };
        // SAFETY: forwarded contract.
        unsafe { create(wsi, &info) }
    })
}

/// A parser for the body of `wsi`'s request (urlencoded, or multipart when the
/// Content-Type says `multipart/form-data` or `multipart/related` with a
/// boundary). NULL for a NULL wsi or info, a negative count or storage, or a
/// NULL name.
///
/// # Safety
/// `info` is NULL or valid; its names and callback as for `lws_spa_create`.
#[no_mangle]
pub unsafe extern "C" fn lws_spa_create_via_info(
    wsi: *mut lws,
    info: *const lws_spa_create_info_t,
) -> *mut lws_spa {
    guard("lws_spa_create_via_info", ptr::null_mut(), || {
        if info.is_null() {
            return Err(null("info is NULL"));
        }
        // SAFETY: a valid info by contract, read once.
        let info = unsafe { *info };
        // SAFETY: forwarded contract.
        unsafe { create(wsi, &info) }
    })
}

/// Parses the next `len` bytes of the body: 0, or -1 when the body is bad (a
/// name over 31 bytes, a bad %-escape, a value beyond max_storage) or the
/// upload callback returned a negative value. Ignored after finalize.
///
/// # Safety
/// `spa` is NULL or live; `in_` holds `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_spa_process(
    spa: *mut lws_spa,
    in_: *const c_char,
    len: c_int,
) -> c_int {
    guard("lws_spa_process", -1, || {
        // SAFETY: checked conversion.
        let h = unsafe { spa_ref(spa) }?;
        let n = usize::try_from(len).map_err(|_| Error::Refused("len is negative"))?;
        if n > 0 && in_.is_null() {
            return Err(null("in is NULL"));
        }
        let input: &[u8] = if n == 0 {
            &[]
        } else {
            // SAFETY: `in_` holds `len` bytes by contract.
            unsafe { std::slice::from_raw_parts(in_.cast::<u8>(), n) }
        };
        let mut p = h.parser.try_borrow_mut().map_err(|_| BUSY)?;
        let mut sink = h.upload;
        Ok(match p.process(input, &mut sink) {
            Ok(()) => 0,
            Err(e) => {
                lwsl!(level::NOTICE, "lws_spa_process: {e}");
                -1
            }
        })
    })
}

/// The body is complete: ends the last urlencoded value and tells the upload
/// callback LWS_UFS_CLOSE. Returns 0.
///
/// # Safety
/// `spa` is NULL or live.
#[no_mangle]
pub unsafe extern "C" fn lws_spa_finalize(spa: *mut lws_spa) -> c_int {
    guard("lws_spa_finalize", 0, || {
        // SAFETY: checked conversion.
        finalize(unsafe { spa_ref(spa) }?)?;
        Ok(0)
    })
}

/// The length of field `n`'s values (0 when it had none or `n` is too big).
///
/// # Safety
/// `spa` is NULL or live.
#[no_mangle]
pub unsafe extern "C" fn lws_spa_get_length(spa: *mut lws_spa, n: c_int) -> c_int {
    guard("lws_spa_get_length", 0, || {
        // SAFETY: checked conversion.
        let h = unsafe { spa_ref(spa) }?;
        let n = usize::try_from(n).map_err(|_| Error::Refused("negative parameter index"))?;
        let p = h.parser.try_borrow().map_err(|_| BUSY)?;
        Ok(c_int::try_from(p.length(n)).unwrap_or(c_int::MAX))
    })
}

/// Field `n`'s (first) value, NUL-terminated and valid until the parser is
/// destroyed; NULL when it had none or `n` is too big.
///
/// # Safety
/// `spa` is NULL or live.
#[no_mangle]
pub unsafe extern "C" fn lws_spa_get_string(spa: *mut lws_spa, n: c_int) -> *const c_char {
    guard("lws_spa_get_string", ptr::null(), || {
        // SAFETY: checked conversion.
        let h = unsafe { spa_ref(spa) }?;
        let n = usize::try_from(n).map_err(|_| Error::Refused("negative parameter index"))?;
        let p = h.parser.try_borrow().map_err(|_| BUSY)?;
        // Kept values are boxed once and never moved until the handle is freed.
        Ok(p.value(n).map_or(ptr::null(), |v| v.as_ptr().cast()))
    })
}

/// Frees the parser (finalizing it first if that was not done, as lws does).
/// Returns 0, or -1 for NULL or a parser busy in its own callback.
///
/// # Safety
/// `spa` is NULL or live; it is invalid afterwards.
#[no_mangle]
pub unsafe extern "C" fn lws_spa_destroy(spa: *mut lws_spa) -> c_int {
    guard("lws_spa_destroy", -1, || {
        // SAFETY: checked conversion.
        let h = unsafe { spa_ref(spa) }?;
        finalize(h)?;
        h.magic.set(DEAD);
        // SAFETY: the pointer came from Box::into_raw in create and is freed
        // once: its magic word is now dead, and no borrow of it remains.
        drop(unsafe { Box::from_raw(spa.cast::<SpaHandle>()) });
        Ok(0)
    })
}
