//! lws-http.h header access: `lws_hdr_*`, URL arguments, the peer address and
//! the client's response status (spec B5.2, B5.4, B4.3).
//!
//! Headers are readable while lws keeps them: on servers up to and including
//! ESTABLISHED, on clients until CLIENT_FILTER_PRE_ESTABLISH.

use std::ffi::{c_char, c_int, c_uchar, c_uint, c_void, CStr};
use std::ptr;

use super::guard;
use super::handle;
use super::types::*;
use crate::core::conn::Head;
use crate::core::Error;
use crate::http::url_decode;

/// Header names of the `WSI_TOKEN_*` indices that name a plain header.
fn token_name(token: lws_token_indexes) -> Option<&'static str> {
    Some(match token {
        WSI_TOKEN_HOST => "host",
        WSI_TOKEN_CONNECTION => "connection",
        WSI_TOKEN_UPGRADE => "upgrade",
        WSI_TOKEN_ORIGIN => "origin",
        WSI_TOKEN_DRAFT => "sec-websocket-draft",
        WSI_TOKEN_EXTENSIONS => "sec-websocket-extensions",
        WSI_TOKEN_KEY1 => "sec-websocket-key1",
        WSI_TOKEN_KEY2 => "sec-websocket-key2",
        WSI_TOKEN_PROTOCOL => "sec-websocket-protocol",
        WSI_TOKEN_ACCEPT => "sec-websocket-accept",
        WSI_TOKEN_NONCE => "sec-websocket-nonce",
        WSI_TOKEN_HTTP2_SETTINGS => "http2-settings",
        WSI_TOKEN_HTTP_ACCEPT => "accept",
        WSI_TOKEN_HTTP_AC_REQUEST_HEADERS => "access-control-request-headers",
        WSI_TOKEN_HTTP_IF_MODIFIED_SINCE => "if-modified-since",
        WSI_TOKEN_HTTP_IF_NONE_MATCH => "if-none-match",
        WSI_TOKEN_HTTP_ACCEPT_ENCODING => "accept-encoding",
        WSI_TOKEN_HTTP_ACCEPT_LANGUAGE => "accept-language",
        WSI_TOKEN_HTTP_PRAGMA => "pragma",
        WSI_TOKEN_HTTP_CACHE_CONTROL => "cache-control",
        WSI_TOKEN_HTTP_AUTHORIZATION => "authorization",
        WSI_TOKEN_HTTP_COOKIE => "cookie",
        WSI_TOKEN_HTTP_CONTENT_LENGTH => "content-length",
        WSI_TOKEN_HTTP_CONTENT_TYPE => "content-type",
        WSI_TOKEN_HTTP_DATE => "date",
        WSI_TOKEN_HTTP_RANGE => "range",
        WSI_TOKEN_HTTP_REFERER => "referer",
        WSI_TOKEN_KEY => "sec-websocket-key",
        WSI_TOKEN_VERSION => "sec-websocket-version",
        WSI_TOKEN_SWORIGIN => "sec-websocket-origin",
        WSI_TOKEN_HTTP_ACCEPT_CHARSET => "accept-charset",
        WSI_TOKEN_HTTP_ACCEPT_RANGES => "accept-ranges",
        WSI_TOKEN_HTTP_ACCESS_CONTROL_ALLOW_ORIGIN => "access-control-allow-origin",
        WSI_TOKEN_HTTP_AGE => "age",
        WSI_TOKEN_HTTP_ALLOW => "allow",
        WSI_TOKEN_HTTP_CONTENT_DISPOSITION => "content-disposition",
        WSI_TOKEN_HTTP_CONTENT_ENCODING => "content-encoding",
        WSI_TOKEN_HTTP_CONTENT_LANGUAGE => "content-language",
        WSI_TOKEN_HTTP_CONTENT_LOCATION => "content-location",
        WSI_TOKEN_HTTP_CONTENT_RANGE => "content-range",
        WSI_TOKEN_HTTP_ETAG => "etag",
        WSI_TOKEN_HTTP_EXPECT => "expect",
        WSI_TOKEN_HTTP_EXPIRES => "expires",
        WSI_TOKEN_HTTP_FROM => "from",
        WSI_TOKEN_HTTP_IF_MATCH => "if-match",
        WSI_TOKEN_HTTP_IF_RANGE => "if-range",
        WSI_TOKEN_HTTP_IF_UNMODIFIED_SINCE => "if-unmodified-since",
        WSI_TOKEN_HTTP_LAST_MODIFIED => "last-modified",
        WSI_TOKEN_HTTP_LINK => "link",
        WSI_TOKEN_HTTP_LOCATION => "location",
        WSI_TOKEN_HTTP_MAX_FORWARDS => "max-forwards",
        WSI_TOKEN_HTTP_PROXY_AUTHENTICATE => "proxy-authenticate",
        WSI_TOKEN_HTTP_PROXY_AUTHORIZATION => "proxy-authorization",
        WSI_TOKEN_HTTP_REFRESH => "refresh",
        WSI_TOKEN_HTTP_RETRY_AFTER => "retry-after",
        WSI_TOKEN_HTTP_SERVER => "server",
        WSI_TOKEN_HTTP_SET_COOKIE => "set-cookie",
        WSI_TOKEN_HTTP_STRICT_TRANSPORT_SECURITY => "strict-transport-security",
        WSI_TOKEN_HTTP_TRANSFER_ENCODING => "transfer-encoding",
        WSI_TOKEN_HTTP_USER_AGENT => "user-agent",
        WSI_TOKEN_HTTP_VARY => "vary",
        WSI_TOKEN_HTTP_VIA => "via",
        WSI_TOKEN_HTTP_WWW_AUTHENTICATE => "www-authenticate",
        WSI_TOKEN_HTTP_X_REAL_IP => "x-real-ip",
        WSI_TOKEN_X_FORWARDED_FOR => "x-forwarded-for",
        WSI_TOKEN_TE => "te",
        WSI_TOKEN_REPLAY_NONCE => "replay-nonce",
        WSI_TOKEN_X_AUTH_TOKEN => "x-auth-token",
        _ => return None,
    })
}

/// The method a `*_URI` token stands for.
fn uri_method(token: lws_token_indexes) -> Option<&'static str> {
    Some(match token {
        WSI_TOKEN_GET_URI => "GET",
        WSI_TOKEN_POST_URI => "POST",
        WSI_TOKEN_OPTIONS_URI => "OPTIONS",
        WSI_TOKEN_PATCH_URI => "PATCH",
        WSI_TOKEN_PUT_URI => "PUT",
        WSI_TOKEN_DELETE_URI => "DELETE",
        WSI_TOKEN_HEAD_URI => "HEAD",
        WSI_TOKEN_CONNECT => "CONNECT",
        _ => return None,
    })
}

/// The fragments of a token: header occurrences, the path, or URL arguments.
fn fragments(head: &Head, token: lws_token_indexes) -> Vec<Vec<u8>> {
    let (path, query) = match head.path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (head.path.as_str(), None),
    };
    if let Some(m) = uri_method(token) {
        return if head.method == m {
            vec![path.as_bytes().to_vec()]
        } else {
            Vec::new()
        };
    }
    if token == WSI_TOKEN_HTTP_URI_ARGS {
        return query
            .map(|q| {
                q.split('&')
                    .filter(|a| !a.is_empty())
                    .map(url_decode)
                    .collect()
            })
            .unwrap_or_default();
    }
    let Some(name) = token_name(token) else {
        return Vec::new();
    };
    head.headers
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
        .collect()
}

/// Runs `f` on the wsi's kept head, if any.
fn with_head<R>(wsi: *mut lws, f: impl FnOnce(&Head) -> R) -> Result<Option<R>, Error> {
    // SAFETY: checked handle conversion.
    let w = unsafe { handle::wsi(wsi) }?;
    let id = w.conn_id()?;
    w.context()
        .runtime
        .with_core(|c| c.conn(id).and_then(|k| k.head()).map(f))
}

/// Copies `src` and a NUL into `dst` (room `len`); -1 when it does not fit.
///
/// # Safety
/// `dst` has room for `len` bytes.
unsafe fn copy_out(dst: *mut c_char, len: c_int, src: &[u8]) -> c_int {
    let room = usize::try_from(len).unwrap_or(0);
    if dst.is_null() || src.len() + 1 > room {
        return -1;
    }
    // SAFETY: src.len() + 1 <= room bytes fit in dst.
    unsafe { ptr::copy_nonoverlapping(src.as_ptr().cast::<c_char>(), dst, src.len()) };
    // SAFETY: as above.
    unsafe { *dst.wrapping_add(src.len()) = 0 };
    c_int::try_from(src.len()).unwrap_or(-1)
}

/// Length of a header (all its occurrences joined), 0 when absent.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_hdr_total_length(wsi: *mut lws, h: lws_token_indexes) -> c_int {
    guard("lws_hdr_total_length", 0, || {
        Ok(with_head(wsi, |hd| {
            let f = fragments(hd, h);
            let n: usize = f.iter().map(Vec::len).sum::<usize>() + f.len().saturating_sub(1) * 2;
            c_int::try_from(n).unwrap_or(c_int::MAX)
        })?
        .unwrap_or(0))
    })
}

/// Length of one fragment of a header, 0 when absent.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_hdr_fragment_length(
    wsi: *mut lws,
    h: lws_token_indexes,
    frag_idx: c_int,
) -> c_int {
    guard("lws_hdr_fragment_length", 0, || {
        let i = usize::try_from(frag_idx).map_err(|_| Error::Refused("negative fragment index"))?;
        Ok(with_head(wsi, |hd| {
            fragments(hd, h).get(i).map_or(0, |f| f.len() as c_int)
        })?
        .unwrap_or(0))
    })
}

/// Copies a header (occurrences joined with ", ") NUL-terminated; returns its
/// length, or -1 when absent-and-unreadable or `len` is too small.
///
/// # Safety
/// `dest` has room for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_hdr_copy(
    wsi: *mut lws,
    dest: *mut c_char,
    len: c_int,
    h: lws_token_indexes,
) -> c_int {
    guard("lws_hdr_copy", -1, || {
        let joined = with_head(wsi, |hd| fragments(hd, h).join(&b", "[..]))?.unwrap_or_default();
        // SAFETY: forwarded contract.
        Ok(unsafe { copy_out(dest, len, &joined) })
    })
}

/// Copies fragment `frag_idx` of a header (a URL argument for
/// `WSI_TOKEN_HTTP_URI_ARGS`); -1 when absent or too long.
///
/// # Safety
/// `dest` has room for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_hdr_copy_fragment(
    wsi: *mut lws,
    dest: *mut c_char,
    len: c_int,
    h: lws_token_indexes,
    frag_idx: c_int,
) -> c_int {
    guard("lws_hdr_copy_fragment", -1, || {
        let i = usize::try_from(frag_idx).map_err(|_| Error::Refused("negative fragment index"))?;
        let Some(f) = with_head(wsi, |hd| fragments(hd, h).get(i).cloned())?.flatten() else {
            return Ok(-1);
        };
        // SAFETY: forwarded contract.
        Ok(unsafe { copy_out(dest, len, &f) })
    })
}

fn custom_name(name: *const c_char, nlen: c_int) -> Result<String, Error> {
    if name.is_null() {
        return Err(super::null("name is NULL"));
    }
    let n = usize::try_from(nlen).map_err(|_| Error::Refused("negative name length"))?;
    // SAFETY: `name` points at `nlen` bytes by contract.
    let bytes = unsafe { std::slice::from_raw_parts(name.cast::<u8>(), n) };
    let s = String::from_utf8_lossy(bytes).to_ascii_lowercase();
    Ok(s.trim_end_matches(':').to_string())
}

/// Length of a header the token table does not know ("x-my-header:").
///
/// # Safety
/// `name` points at `nlen` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_hdr_custom_length(
    wsi: *mut lws,
    name: *const c_char,
    nlen: c_int,
) -> c_int {
    guard("lws_hdr_custom_length", -1, || {
        let n = custom_name(name, nlen)?;
        Ok(with_head(wsi, |hd| hd.header(&n).map_or(-1, |v| v.len() as c_int))?.unwrap_or(-1))
    })
}

/// Copies a header the token table does not know; -1 when absent or too long.
///
/// # Safety
/// `dst` has room for `len` bytes; `name` points at `nlen` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_hdr_custom_copy(
    wsi: *mut lws,
    dst: *mut c_char,
    len: c_int,
    name: *const c_char,
    nlen: c_int,
) -> c_int {
    guard("lws_hdr_custom_copy", -1, || {
        let n = custom_name(name, nlen)?;
        let Some(v) = with_head(wsi, |hd| hd.header(&n).map(<[u8]>::to_vec))?.flatten() else {
            return Ok(-1);
        };
        // SAFETY: forwarded contract.
        Ok(unsafe { copy_out(dst, len, &v) })
    })
}

/// Finds URL argument `name` ("x" or "x=") and copies its value; returns the
/// value's length or -1.
///
/// # Safety
/// `buf` has room for `len` bytes; `name` is NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn lws_get_urlarg_by_name_safe(
    wsi: *mut lws,
    name: *const c_char,
    buf: *mut c_char,
    len: c_int,
) -> c_int {
    guard("lws_get_urlarg_by_name_safe", -1, || {
        if name.is_null() {
            return Err(super::null("name is NULL"));
        }
        // SAFETY: NUL-terminated by contract.
        let want = unsafe { CStr::from_ptr(name) }.to_bytes().to_vec();
        let value = with_head(wsi, |hd| {
            fragments(hd, WSI_TOKEN_HTTP_URI_ARGS)
                .into_iter()
                .find_map(|a| {
                    let rest = a.strip_prefix(want.as_slice())?;
                    if want.ends_with(b"=") {
                        Some(rest.to_vec())
                    } else {
                        rest.strip_prefix(b"=").map(<[u8]>::to_vec)
                    }
                })
        })?
        .flatten();
        match value {
            // SAFETY: forwarded contract.
            Some(v) => Ok(unsafe { copy_out(buf, len, &v) }),
            None => Ok(-1),
        }
    })
}

/// As `lws_get_urlarg_by_name_safe`, returning `buf` or NULL.
///
/// # Safety
/// As `lws_get_urlarg_by_name_safe`.
#[no_mangle]
pub unsafe extern "C" fn lws_get_urlarg_by_name(
    wsi: *mut lws,
    name: *const c_char,
    buf: *mut c_char,
    len: c_int,
) -> *const c_char {
    guard("lws_get_urlarg_by_name", ptr::null(), || {
        // SAFETY: forwarded contract.
        let n = unsafe { lws_get_urlarg_by_name_safe(wsi, name, buf, len) };
        Ok(if n < 0 { ptr::null() } else { buf.cast_const() })
    })
}

/// Writes the peer's numeric address into `name`; returns `name` or NULL.
///
/// # Safety
/// `name` has room for `namelen` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_get_peer_simple(
    wsi: *mut lws,
    name: *mut c_char,
    namelen: usize,
) -> *const c_char {
    guard("lws_get_peer_simple", ptr::null(), || {
        // SAFETY: checked handle conversion.
        let w = unsafe { handle::wsi(wsi) }?;
        let id = w.conn_id()?;
        let peer = w.context().runtime.with_core(|c| {
            c.conn(id)
                .and_then(|k| k.tcp())
                .and_then(|s| s.peer_addr().ok())
        })?;
        let Some(peer) = peer else {
            return Ok(ptr::null());
        };
        let text = peer.ip().to_string();
        let len = c_int::try_from(namelen).unwrap_or(c_int::MAX);
        // SAFETY: forwarded contract.
        if unsafe { copy_out(name, len, text.as_bytes()) } < 0 {
            return Ok(ptr::null());
        }
        Ok(name.cast_const())
    })
}

/// The HTTP status of the server's answer (client side), 0 when none yet.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_http_client_http_response(wsi: *mut lws) -> c_uint {
    guard("lws_http_client_http_response", 0, || {
        Ok(with_head(wsi, |hd| c_uint::from(hd.status))?.unwrap_or(0))
    })
}

/// Appends `name: value\r\n` at `*p` (not past `end`) and advances `*p`.
/// Returns 0, or 1 when it does not fit.
///
/// # Safety
/// `*p..end` is writable; `name`/`value` readable.
unsafe fn add_header(name: &[u8], value: &[u8], p: *mut *mut u8, end: *mut u8) -> c_int {
    if p.is_null() {
        return 1;
    }
    // SAFETY: `p` is a valid pointer to the caller's write position.
    let start = unsafe { *p };
    if start.is_null() || end.is_null() || (end as usize) < (start as usize) {
        return 1;
    }
    let colon = if name.ends_with(b":") {
        &b""[..]
    } else {
        &b":"[..]
    };
    let line: Vec<u8> = [name, colon, b" ", value, b"\r\n"].concat();
    if line.len() > end as usize - start as usize {
        return 1;
    }
    // SAFETY: `line.len()` bytes fit between `*p` and `end` (checked above).
    unsafe { ptr::copy_nonoverlapping(line.as_ptr(), start, line.len()) };
    // SAFETY: as above; the caller's position moves past what was written.
    unsafe { *p = start.wrapping_add(line.len()) };
    0
}

/// # Safety
/// `name` is NUL-terminated; `value` has `length` bytes; `*p..end` writable.
#[no_mangle]
pub unsafe extern "C" fn lws_add_http_header_by_name(
    wsi: *mut lws,
    name: *const c_uchar,
    value: *const c_uchar,
    length: c_int,
    p: *mut *mut c_uchar,
    end: *mut c_uchar,
) -> c_int {
    guard("lws_add_http_header_by_name", 1, || {
        let _ = wsi;
        if name.is_null() || (value.is_null() && length > 0) {
            return Err(super::null("name or value is NULL"));
        }
        // SAFETY: NUL-terminated by contract.
        let n = unsafe { CStr::from_ptr(name.cast()) }.to_bytes();
        let len = usize::try_from(length).map_err(|_| Error::Refused("negative length"))?;
        let v: &[u8] = if len == 0 {
            &[]
        } else {
            // SAFETY: `length` readable bytes by contract.
            unsafe { std::slice::from_raw_parts(value, len) }
        };
        // SAFETY: forwarded contract.
        Ok(unsafe { add_header(n, v, p, end) })
    })
}

/// As `lws_add_http_header_by_name`, with the token's canonical name.
///
/// # Safety
/// As `lws_add_http_header_by_name`.
#[no_mangle]
pub unsafe extern "C" fn lws_add_http_header_by_token(
    wsi: *mut lws,
    token: lws_token_indexes,
    value: *const c_uchar,
    length: c_int,
    p: *mut *mut c_uchar,
    end: *mut c_uchar,
) -> c_int {
    guard("lws_add_http_header_by_token", 1, || {
        let _ = wsi;
        let name = token_name(token).ok_or(Error::Refused("token has no header name"))?;
        let len = usize::try_from(length).map_err(|_| Error::Refused("negative length"))?;
        if value.is_null() && len > 0 {
            return Err(super::null("value is NULL"));
        }
        let v: &[u8] = if len == 0 {
            &[]
        } else {
            // SAFETY: `length` readable bytes by contract.
            unsafe { std::slice::from_raw_parts(value, len) }
        };
        // SAFETY: forwarded contract.
        Ok(unsafe { add_header(name.as_bytes(), v, p, end) })
    })
}

/// lws's method table for `lws_http_get_uri_and_method`, in its order (with
/// LWS_WITH_HTTP_UNCOMMON_HEADERS and h2's `:path` last).
const URI_METHODS: [lws_token_indexes; 9] = [
    WSI_TOKEN_GET_URI,
    WSI_TOKEN_POST_URI,
    WSI_TOKEN_OPTIONS_URI,
    WSI_TOKEN_PUT_URI,
    WSI_TOKEN_PATCH_URI,
    WSI_TOKEN_DELETE_URI,
    WSI_TOKEN_CONNECT,
    WSI_TOKEN_HEAD_URI,
    WSI_TOKEN_HTTP_COLON_PATH,
];

/// The request's method as an index into lws's method table (GET 0, POST 1,
/// OPTIONS 2, PUT 3, PATCH 4, DELETE 5, CONNECT 6, HEAD 7) and its URI: `*puri_ptr`
/// stays valid until the headers go. -1 (with a warning) when there is none.
///
/// # Safety
/// `wsi` is a wsi of this library; `puri_ptr` and `puri_len` are writable.
#[no_mangle]
pub unsafe extern "C" fn lws_http_get_uri_and_method(
    wsi: *mut lws,
    puri_ptr: *mut *mut c_char,
    puri_len: *mut c_int,
) -> c_int {
    guard("lws_http_get_uri_and_method", -1, || {
        if puri_ptr.is_null() || puri_len.is_null() {
            return Err(super::null("puri_ptr or puri_len is NULL"));
        }
        let found = with_head(wsi, |hd| {
            URI_METHODS.iter().enumerate().find_map(|(i, t)| {
                let f = fragments(hd, *t);
                f.into_iter().next().map(|uri| (i, uri))
            })
        })?
        .flatten();
        let Some((index, uri)) = found else {
            crate::lwsl!(crate::log::level::WARN, "Missing URI in HTTP request");
            return Ok(-1);
        };
        // SAFETY: checked handle conversion (done by with_head already).
        let w = unsafe { handle::wsi(wsi) }?;
        let text = std::ffi::CString::new(uri).map_err(|_| Error::Refused("NUL in URI"))?;
        let mut kept = w.uri_text.borrow_mut();
        if kept.as_ref() != Some(&text) {
            *kept = Some(text);
        }
        let (ptr, len) = kept
            .as_ref()
            .map_or((ptr::null(), 0), |t| (t.as_ptr(), t.as_bytes().len()));
        // SAFETY: writable by contract; the text lives in the wsi handle.
        unsafe {
            *puri_ptr = ptr.cast_mut();
        }
        // SAFETY: writable by contract.
        unsafe { *puri_len = c_int::try_from(len).unwrap_or(c_int::MAX) };
        Ok(c_int::try_from(index).unwrap_or(-1))
    })
}

/// Copies the value of cookie `name` from the request's Cookie header into
/// `buf` (NUL-terminated) and sets `*max_len` to its length: 0; 1 when absent;
/// 2 when it does not fit `*max_len` bytes with its NUL. lws's scan: the first
/// `name=` anywhere in the header.
///
/// # Safety
/// `wsi` is a wsi of this library; `name` is NUL-terminated; `buf` has
/// `*max_len` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_http_cookie_get(
    wsi: *mut lws,
    name: *const c_char,
    buf: *mut c_char,
    max_len: *mut usize,
) -> c_int {
    guard("lws_http_cookie_get", 1, || {
        if name.is_null() || buf.is_null() || max_len.is_null() {
            return Err(super::null("name, buf or max_len is NULL"));
        }
        // SAFETY: NUL-terminated by contract.
        let name = unsafe { CStr::from_ptr(name) }.to_bytes().to_vec();
        // SAFETY: readable by contract.
        let max = unsafe { *max_len };
        let header = with_head(wsi, |hd| {
            fragments(hd, WSI_TOKEN_HTTP_COOKIE).into_iter().next()
        })?
        .flatten();
        let Some(header) = header else {
            return Ok(1);
        };
        match crate::http::cookie_value(&header, &name, max) {
            Ok(v) => {
                // SAFETY: `buf` has `max` > v.len() bytes.
                unsafe { ptr::copy_nonoverlapping(v.as_ptr().cast::<c_char>(), buf, v.len()) };
                // SAFETY: as above, room for the NUL.
                unsafe { buf.wrapping_add(v.len()).write(0) };
                // SAFETY: writable by contract.
                unsafe { *max_len = v.len() };
                Ok(0)
            }
            Err(code) => Ok(code),
        }
    })
}

/// Calls `cb` for each request header the token table does not know, in order,
/// with its lower-case name including the ':' (not NUL-terminated in lws; here
/// it is). 0; -1 when the wsi has no headers.
///
/// # Safety
/// `wsi` is a wsi of this library; `cb` is callable.
#[no_mangle]
pub unsafe extern "C" fn lws_hdr_custom_name_foreach(
    wsi: *mut lws,
    cb: lws_hdr_custom_fe_cb_t,
    opaque: *mut c_void,
) -> c_int {
    guard("lws_hdr_custom_name_foreach", -1, || {
        let cb = cb.ok_or(super::null("cb is NULL"))?;
        let known: Vec<&str> = (0..WSI_TOKEN_COUNT).filter_map(token_name).collect();
        let names = with_head(wsi, |hd| {
            hd.headers
                .iter()
                .filter(|(n, _)| !known.contains(&n.as_str()))
                .map(|(n, _)| format!("{n}:"))
                .collect::<Vec<_>>()
        })?;
        let Some(names) = names else {
            return Ok(-1);
        };
        // SAFETY: checked handle conversion (done by with_head already).
        let w = unsafe { handle::wsi(wsi) }?;
        for n in names {
            let Ok(text) = std::ffi::CString::new(n) else {
                continue;
            };
            let len = c_int::try_from(text.as_bytes().len()).unwrap_or(c_int::MAX);
            // SAFETY: the application's callback with a name valid for the call.
            unsafe {
                super::callout::custom_header_name(
                    &w.context().runtime,
                    cb,
                    text.as_ptr(),
                    len,
                    opaque,
                )
            };
        }
        Ok(0)
    })
}

/// Reads the response's `Retry-After` (seconds, or an HTTP date relative to its
/// `Date`) and, when it asks for longer than `*us_interval_in_out`, stores that
/// interval: 0. 1 when there is none, it does not parse, or it is not longer.
///
/// # Safety
/// `wsi` is a wsi of this library; `us_interval_in_out` is readable and writable.
#[no_mangle]
pub unsafe extern "C" fn lws_http_check_retry_after(
    wsi: *mut lws,
    us_interval_in_out: *mut lws_usec_t,
) -> c_int {
    guard("lws_http_check_retry_after", 1, || {
        if us_interval_in_out.is_null() {
            return Err(super::null("us_interval_in_out is NULL"));
        }
        let values = with_head(wsi, |hd| {
            (
                fragments(hd, WSI_TOKEN_HTTP_RETRY_AFTER).into_iter().next(),
                fragments(hd, WSI_TOKEN_HTTP_DATE).into_iter().next(),
            )
        })?;
        let Some((Some(value), date)) = values else {
            return Ok(1);
        };
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        // SAFETY: readable by contract.
        let current = unsafe { *us_interval_in_out };
        match crate::http::retry_after(&value, date.as_deref(), now, current) {
            Some(us) => {
                // SAFETY: writable by contract.
                unsafe { *us_interval_in_out = us };
                Ok(0)
            }
            None => Ok(1),
        }
    })
}
