//! WebSocket extensions (lws-ws-ext.h): the extension table of a creation info
//! and the permessage-deflate entry points.
//!
//! The library runs permessage-deflate itself (`ws::deflate`): a table entry
//! named "permessage-deflate" turns it on for the vhost, with the entry's
//! `client_offer` as what its client connections offer. lws's table shape is
//! kept so that programs written for lws compile and behave unchanged; other
//! extensions are logged and ignored (docs/COMPAT.md).

use std::ffi::{c_char, c_int, c_void, CStr};

use super::callout::{self, CHost};
use super::context::opt_string;
use super::guard;
use super::handle;
use super::types::*;
use crate::core::Error;
use crate::log::level;
use crate::lwsl;
use crate::ws::deflate::{DeflateConfig, NAME};

/// lws's default zlib level for permessage-deflate.
const DEFAULT_LEVEL: u32 = 1;

/// The permessage-deflate configuration of an `info.extensions` table (up to
/// the entry with a NULL callback).
///
/// # Safety
/// `table` is NULL or an array of entries ending with a NULL callback, whose
/// strings are NULL or NUL-terminated.
pub unsafe fn deflate_of(table: *const lws_extension) -> Option<DeflateConfig> {
    let mut found = None;
    let mut e = table;
    // SAFETY: inside the array up to its terminator, by contract.
    while let Some(ext) = unsafe { e.as_ref() }.filter(|x| x.callback.is_some()) {
        // SAFETY: NUL-terminated or NULL by contract.
        let name = unsafe { opt_string(ext.name) }.unwrap_or_default();
        if name == NAME && found.is_none() {
            // SAFETY: as above.
            let offer = unsafe { opt_string(ext.client_offer) }.unwrap_or_else(|| NAME.into());
            found = Some(DeflateConfig {
                client_offer: offer,
                level: DEFAULT_LEVEL,
            });
        } else {
            lwsl!(
                level::WARN,
                "extension \"{name}\" is not supported (only {NAME}); ignored"
            );
        }
        e = e.wrapping_add(1);
    }
    found
}

/// Sets `opt_name` of the extension `ext_name` active on `wsi` to `opt_val`:
/// 0, or -1 when the extension is not active there or the option is unknown.
///
/// # Safety
/// `wsi` is a live wsi; the strings are NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn lws_set_extension_option(
    wsi: *mut lws,
    ext_name: *const c_char,
    opt_name: *const c_char,
    opt_val: *const c_char,
) -> c_int {
    guard("lws_set_extension_option", -1, || {
        if ext_name.is_null() || opt_name.is_null() || opt_val.is_null() {
            return Err(super::null("ext_name, opt_name or opt_val is NULL"));
        }
        // SAFETY: NUL-terminated by contract (for all three below).
        let ext = unsafe { CStr::from_ptr(ext_name) }.to_string_lossy();
        // SAFETY: as above.
        let opt = unsafe { CStr::from_ptr(opt_name) }.to_string_lossy();
        // SAFETY: as above.
        let val = unsafe { CStr::from_ptr(opt_val) }.to_string_lossy();
        if ext != NAME {
            return Err(Error::Refused("extension not active on this wsi"));
        }
        // SAFETY: checked handle conversion.
        unsafe { set_option(wsi, &opt, &val) }?;
        Ok(0)
    })
}

/// # Safety
/// `wsi` is NULL or a wsi handle.
unsafe fn set_option(wsi: *mut lws, name: &str, value: &str) -> Result<(), Error> {
    // SAFETY: checked handle conversion.
    let w = unsafe { handle::wsi(wsi) }?;
    let id = w.conn_id()?;
    let host = CHost { ctx: w.context() };
    w.context()
        .runtime
        .with_core_pumped(&host, |c| c.set_deflate_option(id, name, value))?
}

/// lws's permessage-deflate extension callback. The library negotiates and
/// runs the extension itself, so this is what a program calling it directly
/// gets: option reasons (`LWS_EXT_CB_OPTION_SET`, `_NAMED_OPTION_SET`) set the
/// option on `wsi`'s connection as `lws_set_extension_option` does; the
/// lifecycle reasons are accepted (0); payload reasons are refused (-1), as the
/// data path has no C buffers to hand out.
///
/// # Safety
/// For option reasons `in_` points to a `struct lws_ext_option_arg` and `wsi` is
/// a live wsi.
#[no_mangle]
pub unsafe extern "C" fn lws_extension_callback_pm_deflate(
    context: *mut lws_context,
    ext: *const lws_extension,
    wsi: *mut lws,
    reason: lws_extension_callback_reasons,
    user: *mut c_void,
    in_: *mut c_void,
    len: usize,
) -> c_int {
    guard("lws_extension_callback_pm_deflate", -1, || {
        let _ = (context, ext, user, len);
        match reason {
            LWS_EXT_CB_OPTION_SET | LWS_EXT_CB_NAMED_OPTION_SET => {
                // SAFETY: an option argument for these reasons, by contract.
                let oa = unsafe { in_.cast::<lws_ext_option_arg>().as_ref() }
                    .ok_or(super::null("in (the option argument) is NULL"))?;
                // SAFETY: NUL-terminated or NULL, by contract.
                let name = unsafe { opt_string(oa.option_name) }
                    .or_else(|| {
                        OPTION_NAMES
                            .get(usize::try_from(oa.option_index).ok()?)
                            .map(|s| s.to_string())
                    })
                    .ok_or(Error::Refused("unknown option index"))?;
                // SAFETY: `len` bytes at `start` (or up to a NUL when len is 0).
                let value = unsafe { option_value(oa) };
                // SAFETY: checked handle conversion.
                unsafe { set_option(wsi, &name, &value) }?;
                Ok(0)
            }
            LWS_EXT_CB_CONSTRUCT
            | LWS_EXT_CB_CLIENT_CONSTRUCT
            | LWS_EXT_CB_DESTROY
            | LWS_EXT_CB_OPTION_DEFAULT
            | LWS_EXT_CB_OPTION_CONFIRM => Ok(0),
            _ => Err(Error::Refused(
                "permessage-deflate data is processed inside the library",
            )),
        }
    })
}

/// lws's option table of permessage-deflate, in its index order.
const OPTION_NAMES: [&str; 8] = [
    "server_no_context_takeover",
    "client_no_context_takeover",
    "server_max_window_bits",
    "client_max_window_bits",
    "rx_buf_size",
    "tx_buf_size",
    "compression_level",
    "mem_level",
];

/// # Safety
/// `oa.start` is NULL, or `oa.len` readable bytes, or (len 0) NUL-terminated.
unsafe fn option_value(oa: &lws_ext_option_arg) -> String {
    if oa.start.is_null() {
        return String::new();
    }
    match usize::try_from(oa.len) {
        Ok(n) if n > 0 => {
            // SAFETY: `len` readable bytes by contract.
            let b = unsafe { std::slice::from_raw_parts(oa.start.cast::<u8>(), n) };
            String::from_utf8_lossy(b).into_owned()
        }
        // SAFETY: NUL-terminated by contract.
        _ => unsafe { opt_string(oa.start) }.unwrap_or_default(),
    }
}

/// Parses a negotiated option string (`"name[=value]; name ..."`, up to a
/// `,`) against the extension's option table and hands each option to the
/// extension callback as `LWS_EXT_CB_OPTION_SET`: 0, or -1 for an unknown
/// option, a value where none is allowed or none where one is required.
///
/// # Safety
/// `ext` has a callback; `opts` ends with a NULL name; `in_` has `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_ext_parse_options(
    ext: *const lws_extension,
    wsi: *mut lws,
    ext_user: *mut c_void,
    opts: *const lws_ext_options,
    in_: *const c_char,
    len: c_int,
) -> c_int {
    guard("lws_ext_parse_options", -1, || {
        // SAFETY: NULL or a valid extension entry by contract.
        let cb = unsafe { ext.as_ref() }
            .and_then(|e| e.callback)
            .ok_or(super::null("ext or its callback is NULL"))?;
        let n = usize::try_from(len).map_err(|_| Error::Refused("negative len"))?;
        if opts.is_null() || (n > 0 && in_.is_null()) {
            return Err(super::null("opts or in is NULL"));
        }
        let mut table = Vec::new();
        loop {
            let entry = opts.wrapping_add(table.len());
            // SAFETY: inside the table, which ends with a NULL name, by contract.
            let Some(o) = unsafe { entry.as_ref() }.filter(|o| !o.name.is_null()) else {
                break;
            };
            // SAFETY: non-NULL option names are NUL-terminated.
            table.push((
                unsafe { CStr::from_ptr(o.name) }.to_bytes().to_vec(),
                o.r#type,
            ));
        }
        // SAFETY: `len` readable bytes by contract.
        let text = unsafe { std::slice::from_raw_parts(in_.cast::<u8>(), n) };
        let text = &text[..text.iter().position(|&b| b == b',').unwrap_or(n)];
        let context = if wsi.is_null() {
            std::ptr::null_mut()
        } else {
            // SAFETY: a wsi handle (checked inside).
            unsafe { super::context::lws_get_context(wsi) }
        };
        for part in text.split(|&b| b == b';') {
            let lead = part.iter().take_while(|b| b.is_ascii_whitespace()).count();
            let item = part[lead..].trim_ascii_end();
            if item.is_empty() {
                continue;
            }
            let (name, value) = match item.iter().position(|&b| b == b'=') {
                Some(eq) => (item[..eq].trim_ascii_end(), Some(eq)),
                None => (item, None),
            };
            let index = table
                .iter()
                .position(|(n, _)| n.as_slice() == name)
                .ok_or(Error::Refused("unknown extension option"))?;
            let mut oa = lws_ext_option_arg {
                option_name: std::ptr::null(),
                option_index: index as c_int,
                start: std::ptr::null(),
                len: 0,
            };
            match (table[index].1, value) {
                (EXTARG_NONE, Some(_)) => return Err(Error::Refused("option takes no value")),
                (EXTARG_DEC, None) => return Err(Error::Refused("option needs a value")),
                (_, Some(eq)) => {
                    let digits = item[eq + 1..].trim_ascii().trim_ascii_start();
                    let digits = digits
                        .strip_prefix(b"\"")
                        .and_then(|d| d.strip_suffix(b"\""))
                        .unwrap_or(digits);
                    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
                        return Err(Error::Refused("option value is not a number"));
                    }
                    let offset = digits.as_ptr() as usize - text.as_ptr() as usize;
                    oa.start = in_.wrapping_add(offset);
                    oa.len = digits.len() as c_int;
                }
                _ => {}
            }
            // SAFETY: the extension's own callback, with an option argument that
            // lives across the call.
            let r = unsafe {
                callout::extension_callback(
                    cb,
                    context,
                    ext,
                    wsi,
                    LWS_EXT_CB_OPTION_SET,
                    ext_user,
                    &mut oa,
                )
            };
            if r != 0 {
                lwsl!(
                    level::INFO,
                    "lws_ext_parse_options: the extension refused an option"
                );
            }
        }
        Ok(0)
    })
}

/// lws logs the extension limit here; there is nothing else to set up, as
/// each vhost reads its table when it is created.
///
/// # Safety
/// Always safe: neither argument is dereferenced.
#[no_mangle]
pub unsafe extern "C" fn lws_context_init_extensions(
    info: *const lws_context_creation_info,
    context: *mut lws_context,
) {
    guard("lws_context_init_extensions", (), || {
        let _ = (info, context);
        lwsl!(level::INFO, " LWS_MAX_EXTENSIONS_ACTIVE: 1");
        Ok(())
    })
}
