//! lws-http.h response side: status lines and headers into the caller's
//! buffer, whole responses, files, and the end of a transaction (spec B5.3).

use std::ffi::{c_char, c_int, c_uchar, c_uint, c_void, CStr};
use std::ptr;

use super::callout::CHost;
use super::handle::{self, WsiHandle};
use super::http::lws_add_http_header_by_name;
use super::types::*;
use super::{guard, write};
use crate::core::http_server::{FileData, FileStep};
use crate::core::{ConnId, Error};
use crate::http::status_text;
use crate::log::level;
use crate::lwsl;

/// # Safety
/// `wsi` is NULL or a wsi handed out by this library.
unsafe fn conn<'a>(wsi: *mut lws) -> Result<(&'a WsiHandle, ConnId), Error> {
    // SAFETY: checked handle conversion.
    let w = unsafe { handle::wsi(wsi) }?;
    let id = w.conn_id()?;
    Ok((w, id))
}

/// Appends raw bytes at `*p` (bounded by `end`): 0, or 1 when they do not fit.
///
/// # Safety
/// `*p..end` is writable.
unsafe fn append(bytes: &[u8], p: *mut *mut c_uchar, end: *mut c_uchar) -> c_int {
    if p.is_null() {
        return 1;
    }
    // SAFETY: the caller's write position.
    let start = unsafe { *p };
    if start.is_null()
        || end.is_null()
        || (end as usize) < (start as usize)
        || bytes.len() > end as usize - start as usize
    {
        return 1;
    }
    // SAFETY: `bytes.len()` bytes fit between `*p` and `end` (checked).
    unsafe { ptr::copy_nonoverlapping(bytes.as_ptr(), start, bytes.len()) };
    // SAFETY: as above.
    unsafe { *p = start.wrapping_add(bytes.len()) };
    0
}

/// The status line for the request's HTTP version, followed by the vhost's
/// `info.headers` and `server:` header.
///
/// # Safety
/// `*p..end` is writable.
#[no_mangle]
pub unsafe extern "C" fn lws_add_http_header_status(
    wsi: *mut lws,
    code: c_uint,
    p: *mut *mut c_uchar,
    end: *mut c_uchar,
) -> c_int {
    guard("lws_add_http_header_status", 1, || {
        // SAFETY: checked conversion.
        let (w, id) = unsafe { conn(wsi) }?;
        let code16 = u16::try_from(code).map_err(|_| Error::Refused("status out of range"))?;
        let (minor, extra) = w.context().runtime.with_core(|c| {
            let minor = c
                .conn(id)
                .and_then(|k| k.http())
                .map_or(1, |t| t.version_minor);
            (minor, c.vhost_headers(id))
        })?;
        let mut line = format!("HTTP/1.{minor} {code16} {}\r\n", status_text(code16)).into_bytes();
        line.extend_from_slice(&extra);
        // SAFETY: forwarded contract.
        Ok(unsafe { append(&line, p, end) })
    })
}

/// `content-length: n`.
///
/// # Safety
/// `*p..end` is writable.
#[no_mangle]
pub unsafe extern "C" fn lws_add_http_header_content_length(
    wsi: *mut lws,
    content_length: lws_filepos_t,
    p: *mut *mut c_uchar,
    end: *mut c_uchar,
) -> c_int {
    guard("lws_add_http_header_content_length", 1, || {
        let _ = wsi;
        let line = format!("content-length: {content_length}\r\n");
        // SAFETY: forwarded contract.
        Ok(unsafe { append(line.as_bytes(), p, end) })
    })
}

/// Status line, content-type and content-length (or `connection: close` when
/// the length is `LWS_ILLEGAL_HTTP_CONTENT_LEN`).
///
/// # Safety
/// `*p..end` is writable; `content_type` NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn lws_add_http_common_headers(
    wsi: *mut lws,
    code: c_uint,
    content_type: *const c_char,
    content_len: lws_filepos_t,
    p: *mut *mut c_uchar,
    end: *mut c_uchar,
) -> c_int {
    guard("lws_add_http_common_headers", 1, || {
        // SAFETY: forwarded contract.
        if unsafe { lws_add_http_header_status(wsi, code, p, end) } != 0 {
            return Ok(1);
        }
        if !content_type.is_null() {
            // SAFETY: NUL-terminated by contract.
            let t = unsafe { CStr::from_ptr(content_type) }.to_bytes();
            // SAFETY: forwarded contract.
            if unsafe {
                lws_add_http_header_by_name(
                    wsi,
                    c"content-type:".as_ptr().cast(),
                    t.as_ptr(),
                    t.len() as c_int,
                    p,
                    end,
                )
            } != 0
            {
                return Ok(1);
            }
        }
        let line = if content_len == u64::MAX {
            // The body ends with the connection: lws_http_transaction_completed
            // then says to close (lws's HTTP_CONNECTION_CLOSE).
            // SAFETY: checked handle conversion (a stand-in wsi has no
            // transaction to mark).
            if let Ok((w, id)) = unsafe { conn(wsi) } {
                w.context()
                    .runtime
                    .with_core(|c| c.response_ends_with_connection(id))?;
            }
            "connection: close\r\n".to_string()
        } else {
            format!("content-length: {content_len}\r\n")
        };
        // SAFETY: forwarded contract.
        Ok(unsafe { append(line.as_bytes(), p, end) })
    })
}

/// The blank line that ends the headers.
///
/// # Safety
/// `*p..end` is writable.
#[no_mangle]
pub unsafe extern "C" fn lws_finalize_http_header(
    wsi: *mut lws,
    p: *mut *mut c_uchar,
    end: *mut c_uchar,
) -> c_int {
    guard("lws_finalize_http_header", 1, || {
        let _ = wsi;
        // SAFETY: forwarded contract.
        Ok(unsafe { append(b"\r\n", p, end) })
    })
}

/// Finalizes the headers built from `start` to `*p` and writes them.
///
/// # Safety
/// `start..*p` holds the headers; `*p..end` is writable.
#[no_mangle]
pub unsafe extern "C" fn lws_finalize_write_http_header(
    wsi: *mut lws,
    start: *mut c_uchar,
    p: *mut *mut c_uchar,
    end: *mut c_uchar,
) -> c_int {
    guard("lws_finalize_write_http_header", 1, || {
        // SAFETY: forwarded contract.
        if unsafe { lws_finalize_http_header(wsi, p, end) } != 0 || p.is_null() {
            return Ok(1);
        }
        // SAFETY: the caller's write position.
        let len = (unsafe { *p } as usize).saturating_sub(start as usize);
        // SAFETY: `start..start+len` was written by the helpers above.
        let n = unsafe { write::lws_write(wsi, start, len, LWS_WRITE_HTTP_HEADERS) };
        Ok(c_int::from(n < 0 || n as usize != len))
    })
}

/// Writes a whole response with a small HTML page for `code` (and the text
/// `html_body`). Does not complete the transaction.
///
/// # Safety
/// `html_body` NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn lws_return_http_status(
    wsi: *mut lws,
    code: c_uint,
    html_body: *const c_char,
) -> c_int {
    guard("lws_return_http_status", -1, || {
        // SAFETY: checked conversion.
        let (w, id) = unsafe { conn(wsi) }?;
        let code = u16::try_from(code).map_err(|_| Error::Refused("status out of range"))?;
        // SAFETY: NULL or NUL-terminated.
        let html = unsafe { super::context::opt_string(html_body) };
        w.context()
            .runtime
            .with_core(|c| c.queue_status(id, code, html.as_deref()))?;
        Ok(0)
    })
}

/// Sends a file: < 0 on error, 0 when the transfer started
/// (HTTP_FILE_COMPLETION follows).
///
/// # Safety
/// `file` and `content_type` NUL-terminated; `other_headers` NULL or
/// `other_headers_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_serve_http_file(
    wsi: *mut lws,
    file: *const c_char,
    content_type: *const c_char,
    other_headers: *const c_char,
    other_headers_len: c_int,
) -> c_int {
    guard("lws_serve_http_file", -1, || {
        // SAFETY: checked conversion.
        let (w, id) = unsafe { conn(wsi) }?;
        // SAFETY: each is NULL or NUL-terminated by contract.
        let copy = |s| unsafe { super::context::opt_string(s) };
        let (path, mime) = (copy(file), copy(content_type));
        let path = path.ok_or(Error::Refused("file is NULL"))?;
        let extra: Vec<u8> = match usize::try_from(other_headers_len) {
            Ok(n) if n > 0 && !other_headers.is_null() => {
                // SAFETY: `other_headers_len` readable bytes by contract.
                unsafe { std::slice::from_raw_parts(other_headers.cast::<u8>(), n) }.to_vec()
            }
            _ => Vec::new(),
        };
        let host = CHost { ctx: w.context() };
        w.context().runtime.with_core_pumped(&host, |c| {
            c.serve_file(id, &path, mime.as_deref().unwrap_or(""), &extra)
        })?;
        Ok(0)
    })
}

/// How many pieces one `lws_serve_http_file_fragment` sends at most before
/// leaving the rest to the writable-driven sending.
const FRAGMENT_STEPS: usize = 64;

/// Sends the next part of the file `lws_serve_http_file` started on `wsi`,
/// as much as the socket takes now (read through the context's fops):
/// 0 when more is left (sending goes on by itself as the socket drains),
/// 1 when the whole file is sent (the file is closed and
/// HTTP_FILE_COMPLETION follows, delivered after the calling callback
/// returns), -1 when a read or the socket failed (the connection closes).
/// On a wsi that sends no file: 1, or 0 while output is still queued (lws's
/// values; lws also delivers HTTP_FILE_COMPLETION there, we do not, see
/// docs/COMPAT.md). -1 with one log line for a NULL or dead wsi.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_serve_http_file_fragment(wsi: *mut lws) -> c_int {
    guard("lws_serve_http_file_fragment", -1, || {
        // SAFETY: checked conversion.
        let (w, id) = unsafe { conn(wsi) }?;
        let host = CHost { ctx: w.context() };
        let rt = &w.context().runtime;
        let mut ret = 0;
        for _ in 0..FRAGMENT_STEPS {
            ret = match rt.with_core(|c| c.file_fragment_step(id))? {
                FileStep::NoFile { unsent } => c_int::from(!unsent),
                FileStep::Wait => 0,
                FileStep::Done => 1,
                FileStep::Gone => -1,
                FileStep::Read { at, want } => {
                    let data = host.file_read(w, at, want);
                    match rt.with_core(|c| c.file_fragment_data(id, data))? {
                        FileData::Next => continue,
                        FileData::Wait => 0,
                        FileData::Failed => -1,
                    }
                }
            };
            break;
        }
        if ret == 0 {
            rt.with_core(|c| c.file_fragment_resume(id))?;
        }
        if !rt.in_callout() {
            rt.pump(&host);
        }
        Ok(ret)
    })
}

/// Ends the HTTP transaction: non-zero when the connection must close now
/// (return -1 from the callback then); 0 when it waits for the next request.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_http_transaction_completed(wsi: *mut lws) -> c_int {
    guard("lws_http_transaction_completed", 1, || {
        // SAFETY: checked conversion.
        let (w, id) = unsafe { conn(wsi) }?;
        Ok(c_int::from(
            w.context()
                .runtime
                .with_core(|c| c.transaction_completed(id))?,
        ))
    })
}

/// Writes a redirect (`code`, `Location: loc`) with an empty body.
///
/// # Safety
/// `loc` has `len` bytes; `*p..end` is writable.
#[no_mangle]
pub unsafe extern "C" fn lws_http_redirect(
    wsi: *mut lws,
    code: c_int,
    loc: *const c_uchar,
    len: c_int,
    p: *mut *mut c_uchar,
    end: *mut c_uchar,
) -> c_int {
    guard("lws_http_redirect", -1, || {
        let Ok(code) = c_uint::try_from(code) else {
            return Ok(-1);
        };
        let start = if p.is_null() {
            ptr::null_mut()
        } else {
            // SAFETY: the caller's write position.
            unsafe { *p }
        };
        let header = |name: &CStr, value: *const c_uchar, vlen: c_int| {
            // SAFETY: forwarded contract; the names and values are NUL-terminated
            // literals or the caller's `len` bytes.
            unsafe { lws_add_http_header_by_name(wsi, name.as_ptr().cast(), value, vlen, p, end) }
        };
        // SAFETY: forwarded contract.
        let failed = unsafe { lws_add_http_header_status(wsi, code, p, end) } != 0
            || header(c"location:", loc, len) != 0
            || header(c"content-type:", c"text/html".as_ptr().cast(), 9) != 0
            || header(c"content-length:", c"0".as_ptr().cast(), 1) != 0;
        if failed {
            return Ok(-1);
        }
        // SAFETY: forwarded contract.
        Ok(unsafe { lws_finalize_write_http_header(wsi, start, p, end) })
    })
}

/// The stock protocol handler: 404 for LWS_CALLBACK_HTTP, 200 once a request
/// body is complete, and the end of the transaction after a served file;
/// every other reason returns 0 (B5.3).
///
/// # Safety
/// Called by the library or by a protocol callback with its own arguments.
#[no_mangle]
pub unsafe extern "C" fn lws_callback_http_dummy(
    wsi: *mut lws,
    reason: lws_callback_reasons,
    user: *mut c_void,
    in_: *mut c_void,
    len: usize,
) -> c_int {
    guard("lws_callback_http_dummy", -1, || {
        let _ = (user, in_, len);
        let finish = |status: c_uint| -> c_int {
            // SAFETY: the wsi given to this callback.
            if unsafe { lws_return_http_status(wsi, status, ptr::null()) } != 0 {
                return -1;
            }
            // SAFETY: as above.
            if unsafe { lws_http_transaction_completed(wsi) } != 0 {
                return -1;
            }
            0
        };
        let complete = || {
            // SAFETY: the wsi given to this callback.
            unsafe { lws_http_transaction_completed(wsi) }
        };
        Ok(match reason {
            LWS_CALLBACK_HTTP => finish(404),
            LWS_CALLBACK_HTTP_BODY_COMPLETION => finish(200),
            LWS_CALLBACK_HTTP_FILE_COMPLETION if complete() != 0 => -1,
            _ => 0,
        })
    })
}

/// Client side: hands the response body bytes that have arrived to
/// LWS_CALLBACK_RECEIVE_CLIENT_HTTP_READ callbacks (synchronously, in pieces
/// of at most `*len` bytes copied through `*buf`). Returns 0, or -1 when the
/// connection is finished.
///
/// # Safety
/// `*buf` has room for `*len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_http_client_read(
    wsi: *mut lws,
    buf: *mut *mut c_char,
    len: *mut c_int,
) -> c_int {
    guard("lws_http_client_read", -1, || {
        // SAFETY: checked conversion.
        let (w, id) = unsafe { conn(wsi) }?;
        if buf.is_null() || len.is_null() {
            return Err(super::null("buf or len is NULL"));
        }
        // SAFETY: valid pointer by contract.
        let dst = unsafe { *buf };
        // SAFETY: valid pointer by contract.
        let room = unsafe { *len };
        let room = usize::try_from(room).unwrap_or(0).max(1);
        let Some(body) = w.context().runtime.with_core(|c| c.take_client_body(id))? else {
            return Ok(-1);
        };
        let Some(cb) = w
            .vhost()
            .and_then(|v| v.protocols.get(w.protocol.get()))
            .and_then(|p| p.callback)
        else {
            return Ok(0);
        };
        for piece in body.chunks(room) {
            let target: *mut c_void = if dst.is_null() {
                piece.as_ptr() as *mut c_void
            } else {
                // SAFETY: `piece.len()` <= `*len` bytes fit in the caller's buffer.
                unsafe { ptr::copy_nonoverlapping(piece.as_ptr(), dst.cast::<u8>(), piece.len()) };
                dst.cast()
            };
            // SAFETY: the bound protocol's callback with this wsi and the piece.
            let r = unsafe {
                super::callout::protocol_callback(
                    &w.context().runtime,
                    cb,
                    w.as_c(),
                    LWS_CALLBACK_RECEIVE_CLIENT_HTTP_READ,
                    w.user.get(),
                    target,
                    piece.len(),
                )
            };
            if r != 0 {
                w.context()
                    .runtime
                    .with_core(|c| c.finish(id, crate::core::close::Ending::Abrupt))?;
                return Ok(-1);
            }
        }
        Ok(0)
    })
}

/// Client side: 1 while the application still writes a request body (in
/// CLIENT_HTTP_WRITEABLE), 0 when it is done.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_client_http_body_pending(
    wsi: *mut lws,
    something_left_to_send: c_int,
) {
    guard("lws_client_http_body_pending", (), || {
        // SAFETY: checked conversion.
        let (w, id) = unsafe { conn(wsi) }?;
        w.context()
            .runtime
            .with_core(|c| c.set_body_pending(id, something_left_to_send != 0))?;
        Ok(())
    })
}

/// Client side: appends the header of one multipart/form-data part (or, with
/// `name` NULL, the closing delimiter) at `*p`, for a request made with
/// `LCCSCF_HTTP_MULTIPART_MIME`. Returns 0, or 1 when it did not fit.
///
/// # Safety
/// `*p..end` is writable; the strings are NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn lws_client_http_multipart(
    wsi: *mut lws,
    name: *const c_char,
    filename: *const c_char,
    content_type: *const c_char,
    p: *mut *mut c_char,
    end: *mut c_char,
) -> c_int {
    guard("lws_client_http_multipart", 1, || {
        // SAFETY: checked conversion.
        let (w, id) = unsafe { conn(wsi) }?;
        // SAFETY: each is NULL or NUL-terminated by contract.
        let copy = |s| unsafe { super::context::opt_string(s) };
        let (name, filename, content_type) = (copy(name), copy(filename), copy(content_type));
        let boundary = w.context().runtime.with_core(|c| {
            match c
                .conn(id)
                .and_then(|k| k.client())
                .and_then(|s| s.form.as_ref())
            {
                Some(crate::core::conn::FormKind::Multipart { boundary }) => Some(boundary.clone()),
                _ => None,
            }
        })?;
        let Some(boundary) = boundary else {
            lwsl!(
                level::ERR,
                "lws_client_http_multipart: not a LCCSCF_HTTP_MULTIPART_MIME connection"
            );
            return Ok(1);
        };
        let subsequent = w.multipart_started.replace(name.is_some());
        let part = crate::http::multipart_part(
            &boundary,
            subsequent,
            name.as_deref(),
            filename.as_deref(),
            content_type.as_deref(),
        );
        // SAFETY: forwarded contract.
        Ok(unsafe { append(part.as_bytes(), p.cast(), end.cast()) })
    })
}

/// Whether a redirect turned this client request into a GET.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_http_is_redirected_to_get(wsi: *mut lws) -> c_int {
    guard("lws_http_is_redirected_to_get", 0, || {
        // SAFETY: checked conversion.
        let (w, id) = unsafe { conn(wsi) }?;
        let r = w.context().runtime.with_core(|c| {
            c.conn(id)
                .and_then(|k| k.client())
                .is_some_and(|s| s.redirected_to_get)
        })?;
        Ok(c_int::from(r))
    })
}

/// The MIME type lws gives `file`: the mount's `extra_mimetypes` first (a name
/// that ends with the entry, case-insensitive), then lws's own table, then the
/// mount's `*` entry; NULL when unknown. An extra type is returned as the mount's
/// own `value` pointer, lws's as a string that lives as long as the process.
///
/// # Safety
/// `file` is NUL-terminated; `m` is NULL or a valid mount.
#[no_mangle]
pub unsafe extern "C" fn lws_get_mimetype(
    file: *const c_char,
    m: *const lws_http_mount,
) -> *const c_char {
    guard("lws_get_mimetype", ptr::null(), || {
        if file.is_null() {
            return Err(super::null("file is NULL"));
        }
        // SAFETY: NUL-terminated by contract.
        let name = unsafe { CStr::from_ptr(file) }
            .to_string_lossy()
            .into_owned();
        // SAFETY: NULL or a valid mount.
        let pvo = unsafe { m.as_ref() }.map_or(ptr::null(), |m| m.extra_mimetypes);
        // SAFETY: NULL or a valid pvo list.
        let extra = unsafe { super::creation_info::pvo_pairs(pvo) };
        Ok(match crate::http::mime_lookup(&name, &extra) {
            None => ptr::null(),
            Some(crate::http::MimeSource::Server(i)) => server_mimetypes()
                .get(i)
                .map_or(ptr::null(), |c| c.as_ptr()),
            Some(crate::http::MimeSource::Extra(i)) => {
                // The i-th named node of the caller's list (pvo_pairs skips
                // nodes without a name).
                let mut p = pvo;
                let mut seen = 0;
                let mut out = ptr::null();
                while !p.is_null() {
                    // SAFETY: a valid list node.
                    let node = unsafe { &*p };
                    if !node.name.is_null() {
                        if seen == i {
                            out = node.value;
                            break;
                        }
                        seen += 1;
                    }
                    p = node.next;
                }
                out
            }
        })
    })
}

/// lws's MIME table as C strings, made once.
fn server_mimetypes() -> &'static [std::ffi::CString] {
    static TABLE: std::sync::OnceLock<Vec<std::ffi::CString>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        crate::http::SERVER_MIMETYPES
            .iter()
            .filter_map(|(_, m)| std::ffi::CString::new(*m).ok())
            .collect()
    })
}

/// Whether `wsi` is a CGI connection: always 0, CGI is not built (as lws's
/// default build).
///
/// # Safety
/// Any `wsi` (lws does not look at it without CGI).
#[no_mangle]
pub unsafe extern "C" fn lws_is_cgi(wsi: *mut lws) -> c_int {
    guard("lws_is_cgi", 0, || {
        let _ = wsi;
        Ok(0)
    })
}

/// Applies an HTTP compression transform: this build has none
/// (`LWS_WITH_HTTP_STREAM_COMPRESSION` is off, as in lws's default build), so,
/// as lws then, nothing is added to the headers and 0 is returned.
///
/// # Safety
/// Any arguments (none is looked at).
#[no_mangle]
pub unsafe extern "C" fn lws_http_compression_apply(
    wsi: *mut lws,
    name: *const c_char,
    p: *mut *mut c_uchar,
    end: *mut c_uchar,
    decomp: c_char,
) -> c_int {
    guard("lws_http_compression_apply", 0, || {
        let _ = (wsi, name, p, end, decomp);
        Ok(0)
    })
}
